"""Shared fixtures: a tiny randomly initialised backbone and govie model, built on the spot (no network)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "model", REPO):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

SAMPLE = "8月10日，市委常委、市纪委书记李成宽主持召开市纪委常委会会议。"
SAMPLE_GOLD = {
    "id": "doc12-p3", "text": SAMPLE,
    "entities": [[0, 5, "TIME"], [6, 8, "ORG"], [8, 10, "TITLE"], [11, 14, "ORG"], [14, 16, "TITLE"],
                 [16, 19, "PER"], [23, 31, "EVENT"]],
    "relations": [[5, 2, "任职"], [5, 4, "任职"], [2, 1, "隶属"], [4, 3, "隶属"], [5, 6, "主持"], [6, 0, "时间"]],
}


@pytest.fixture(scope="session")
def tiny_backbone(tmp_path_factory) -> Path:
    from training.make_backbone import build_vocab, make_random_backbone

    folder = tmp_path_factory.mktemp("backbone")
    vocab = build_vocab(SAMPLE + "縣委書記王某主持召開會議堯都區尧县书记召开会议，。、（）()【】abcdefghijklmnopqrstuvwxyz0123456789",
                        base=False)
    make_random_backbone(folder, vocab, layers=1, hidden=32, heads=2, intermediate=64, max_positions=128)
    return folder


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_backbone, tmp_path_factory) -> Path:
    from transformers import AutoTokenizer

    from govie.modeling_govie import GovieModel

    folder = tmp_path_factory.mktemp("govie-model")
    model = GovieModel.from_backbone(str(tiny_backbone), max_window=60, relation_hidden_size=16)
    # Bias the tagger so a random model still emits entities and relation candidates to check.
    import torch

    with torch.no_grad():
        model.tagger.bias[1:] += 2.5
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(str(tiny_backbone)).save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_predictor(tiny_model_dir):
    import govie

    return govie.load(tiny_model_dir, device="cpu")


@pytest.fixture()
def gold_file(tmp_path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(SAMPLE_GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
