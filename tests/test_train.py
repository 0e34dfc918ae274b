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


def test_training_is_deterministic_on_cpu_for_a_seed(tiny_backbone, tmp_path):
    import torch
    from safetensors.torch import load_file

    from training.train import load_config, train

    data = tmp_path / "train.jsonl"
    data.write_text("\n".join([json.dumps(SAMPLE_GOLD, ensure_ascii=False)] * 6) + "\n", encoding="utf-8")
    weights = []
    for run in ("a", "b"):
        cfg_path = tmp_path / f"{run}.yaml"
        cfg_path.write_text(
            f"backbone: {tiny_backbone}\noutput_dir: {tmp_path / run}\nepochs: 1\nbatch_size: 2\nmax_window: 60\n"
            f"seed: 7\nsources:\n  - {{name: toy, kind: jsonl, path: {data}, weight: 1.5}}\n", encoding="utf-8")
        train(load_config(cfg_path))
        weights.append(load_file(str(tmp_path / run / "best" / "model.safetensors")))
    assert weights[0].keys() == weights[1].keys()
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])


def test_repeated_set_options_all_apply(tmp_path):
    from training.train import load_config, parse_args

    cfg_path = tmp_path / "cfg.yaml"
    cfg_path.write_text("backbone: b\noutput_dir: o\nepochs: 3\nsources: [{name: x, kind: synth, n: 1}]\n",
                        encoding="utf-8")
    args = parse_args([str(cfg_path), "--set", "init_from=runs/a", "--set", "epochs=2", "lr=0.1"])
    cfg = load_config(args.config, args.set)
    assert (cfg["init_from"], cfg["epochs"], cfg["lr"]) == ("runs/a", 2, 0.1)
