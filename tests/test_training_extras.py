"""Self-training labels, masked-LM pre-training, naive mixing and the random-init baseline."""
import json

import pytest
import torch

from govie.schema import Record

from conftest import SAMPLE_GOLD


def test_self_training_adds_only_confident_new_types_that_fit():
    from data.self_train import pseudo_label
    from collections import Counter

    text = "3日，国务院总理李强在北京召开会议。"
    rec = Record(id="m1", text=text, entities=[(4, 7, "ORG"), (9, 11, "PER"), (12, 14, "LOC")])
    pred = {"entities": [
        {"start": 0, "end": 2, "type": "TIME", "score": 0.97},   # new type, confident: added
        {"start": 7, "end": 9, "type": "TITLE", "score": 0.6},   # below the threshold
        {"start": 9, "end": 11, "type": "PER", "score": 0.99},   # a type MSRA annotates itself
        {"start": 12, "end": 15, "type": "EVENT", "score": 0.95},  # overlaps gold 北京
        {"start": 16, "end": 18, "type": "NUM", "score": 0.95},  # ends in punctuation
    ]}
    stats = Counter()
    [row] = pseudo_label([rec], [pred], frozenset({"PER", "LOC", "ORG"}), 0.9, stats)
    assert row["entities"] == [[0, 2, "TIME"], [4, 7, "ORG"], [9, 11, "PER"], [12, 14, "LOC"]]
    assert row["relations"] == []
    assert stats == Counter({"added TIME": 1, "below threshold TITLE": 1, "overlaps a span EVENT": 1,
                             "punctuation at an edge NUM": 1})
    [row] = pseudo_label([rec], [pred], frozenset({"PER", "LOC", "ORG"}), 0.9, Counter(), frozenset({"TIME"}))
    assert [0, 2, "TIME"] not in row["entities"]


def test_masking_never_touches_special_or_padding_positions():
    from training.pretrain_mlm import mask_tokens

    ids = torch.randint(10, 100, (4, 30))
    special = torch.zeros_like(ids, dtype=torch.bool)
    special[:, 0] = special[:, -1] = True
    special[2, 10:] = True  # padding of a short row
    inputs, labels = mask_tokens(ids, special, mask_id=4, vocab_size=100, rng=torch.Generator().manual_seed(0), rate=0.5)
    chosen = labels != -100
    assert not (chosen & special).any()
    assert torch.equal(labels[chosen], ids[chosen])
    assert torch.equal(inputs[~chosen], ids[~chosen])
    assert (inputs[chosen] == 4).float().mean() > 0.5  # most chosen positions become [MASK]


def test_pretrain_mlm_writes_a_backbone_that_training_can_start_from(tiny_backbone, tmp_path):
    import govie
    from training.pretrain_mlm import main

    corpus = tmp_path / "pages.txt"
    corpus.write_text((SAMPLE_GOLD["text"] + "\n") * 20, encoding="utf-8")
    out = tmp_path / "mlm"
    main([str(out), "--init", str(tiny_backbone), "--sources", "--text", str(corpus), "--max-steps", "3",
          "--batch-size", "4"])
    log = [json.loads(x) for x in (out / "mlm_log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert log[-1]["event"] == "done" and log[-1]["steps"] == 3 and log[-1]["tokens_seen"] > 0
    model = govie.GovieModel.from_backbone(str(out))
    assert model.config.encoder_config().hidden_size > 0


def test_naive_mixing_and_random_init_options(tiny_backbone, tmp_path):
    pytest.importorskip("accelerate")
    from safetensors.torch import load_file

    from training.train import build_examples, load_config
    import govie
    from govie.encoding import CharEncoder
    from transformers import AutoTokenizer

    data = tmp_path / "toy.jsonl"
    data.write_text(json.dumps(SAMPLE_GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    cfg = load_config_from(tmp_path, tiny_backbone, data)
    encoder = CharEncoder(AutoTokenizer.from_pretrained(tiny_backbone))
    [(partial, _), (naive, _)] = build_examples(cfg, encoder, log=lambda obj: None)
    assert partial[0].annotated_types == frozenset({"PER"})
    assert naive[0].annotated_types == frozenset(govie.ENTITY_TYPES)
    pretrained = govie.GovieModel.from_backbone(str(tiny_backbone))
    random = govie.GovieModel.from_backbone(str(tiny_backbone), pretrained=False)
    backbone = load_file(str(tiny_backbone / "model.safetensors"))
    key = next(k for k in backbone if k.endswith("word_embeddings.weight"))
    assert torch.equal(pretrained.encoder.get_input_embeddings().weight, backbone[key])
    assert not torch.equal(random.encoder.get_input_embeddings().weight, backbone[key])


def load_config_from(tmp_path, backbone, data):
    from training.train import load_config

    path = tmp_path / "cfg.yaml"
    path.write_text(
        f"backbone: {backbone}\noutput_dir: {tmp_path / 'run'}\n"
        f"sources:\n  - {{name: a, kind: jsonl, path: {data}, types: [PER]}}\n"
        f"  - {{name: b, kind: jsonl, path: {data}, types: [PER], partial_labels: false}}\n", encoding="utf-8")
    return load_config(path)
