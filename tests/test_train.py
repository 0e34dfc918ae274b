import json

import pytest

from conftest import SAMPLE_GOLD

pytest.importorskip("accelerate")


def test_training_script_trains_evaluates_saves_and_resumes(tiny_backbone, gold_file, tmp_path):
    from training.train import load_config, train

    import govie

    data = tmp_path / "train.jsonl"
    data.write_text("\n".join([json.dumps(SAMPLE_GOLD, ensure_ascii=False)] * 8) + "\n", encoding="utf-8")
    cfg_path = tmp_path / "cfg.yaml"
    cfg_path.write_text(
        f"backbone: {tiny_backbone}\noutput_dir: {tmp_path / 'run'}\nepochs: 2\nbatch_size: 4\nmax_window: 60\n"
        f"eval_path: {gold_file}\nhead_lr: 0.01\nlr: 0.001\n"
        f"sources:\n  - {{name: toy, kind: jsonl, path: {data}, weight: 1.0}}\n", encoding="utf-8")
    best = train(load_config(cfg_path))
    assert best["epoch"] in (0, 1)
    rows = [json.loads(x) for x in (tmp_path / "run" / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]
    epochs = [r for r in rows if r.get("event") == "epoch"]
    assert len(epochs) == 2 and "dev_entity_f1" in epochs[0]
    source_rows = [r for r in rows if r.get("source") == "toy"]
    assert source_rows[0]["records"] == 8 and source_rows[0]["relations"] == 48
    predictor = govie.load(tmp_path / "run" / "best", device="cpu")
    assert predictor.predict(SAMPLE_GOLD["text"])["text"] == SAMPLE_GOLD["text"]
    # resuming after the last epoch has nothing left to do and keeps the best
    again = train(load_config(cfg_path, ["epochs=2"]), resume=True)
    assert again == best
