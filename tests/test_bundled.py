"""Smoke test of the model that ships in the package (model/govie/default_model)."""
from pathlib import Path

import govie

REPO = Path(__file__).resolve().parent.parent


def test_bundled_model_is_small_safetensors():
    folder = govie.DEFAULT_MODEL_DIR
    assert (folder / "model.safetensors").is_file()
    assert (folder / "model.safetensors").stat().st_size < 60 * 2**20
    assert (folder / "README.md").is_file(), "the model card travels with the model"


def test_bundled_model_reads_a_plain_news_sentence():
    text = "8月10日，市委常委、市纪委书记李成宽主持召开市纪委常委会会议。"
    res = govie.predict(text)
    found = {(e["text"], e["type"]) for e in res["entities"]}
    # The clearest facts of the guidelines' own example: a trained model must get these.
    assert ("李成宽", "PER") in found
    assert ("8月10日", "TIME") in found
    assert any(e["type"] == "TITLE" for e in res["entities"])


def test_bundled_model_on_the_sample_article():
    text = (REPO / "data" / "sample_article.txt").read_text(encoding="utf-8")
    res = govie.predict(text)
    assert res["text"] == text
    for e in res["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    assert len(res["entities"]) >= 10 and res["relations"]


def test_int8_bundled_model_agrees_with_fp32():
    # int8 must be a faster copy of the same model, not another model: on the sample article
    # (not part of the calibration text) it finds nearly the same entities.
    text = (REPO / "data" / "sample_article.txt").read_text(encoding="utf-8")
    fp32 = govie.predict(text)
    int8 = govie.load(device="cpu", quantize="int8").predict(text)
    a = {(e["start"], e["end"], e["type"]) for e in fp32["entities"]}
    b = {(e["start"], e["end"], e["type"]) for e in int8["entities"]}
    assert 2 * len(a & b) / (len(a) + len(b)) >= 0.9
    assert any(type(m).__module__.startswith("torch.ao.nn.quantized") for m in
               govie.load(device="cpu", quantize="int8").model.modules())


def test_bundled_model_gives_the_same_results_on_both_backends():
    text = (REPO / "data" / "sample_article.txt").read_text(encoding="utf-8")
    fast = govie.load(device="cpu", backend="torch").predict(text)
    assert fast == govie.load(device="cpu", backend="transformers").predict(text)
