import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govie
from govie.schema import ENTITY_TYPES, RELATION_TYPES

from conftest import SAMPLE

NEWS = [SAMPLE, "縣委書(shū)記王某主持召開會議。", "记者 徐孟国\n通讯员 孙利丹", "&nbsp;<p>县委书记</p>召开会议",
        "ＡＢＣ１２３，" * 30, "尧" * 200]


def check_result(text, res):
    assert res["text"] == text
    last_end = 0
    for ent in res["entities"]:
        assert 0 <= ent["start"] < ent["end"] <= len(text)
        assert text[ent["start"]:ent["end"]] == ent["text"]
        assert ent["start"] >= last_end, "entities overlap"
        last_end = ent["end"]
        assert ent["type"] in ENTITY_TYPES
        assert 0.0 <= ent["score"] <= 1.0
    for rel in res["relations"]:
        assert 0 <= rel["head"] < len(res["entities"]) and 0 <= rel["tail"] < len(res["entities"])
        assert rel["head"] != rel["tail"] and 0.0 <= rel["score"] <= 1.0
        head, tail = res["entities"][rel["head"]], res["entities"][rel["tail"]]
        heads, tails = RELATION_TYPES[rel["type"]]
        assert head["type"] in heads and tail["type"] in tails


def test_result_format_and_offsets_on_news_text(tiny_predictor):
    for text in NEWS:
        check_result(text, tiny_predictor.predict(text))
    res = tiny_predictor.predict(SAMPLE)
    assert set(res) == {"text", "entities", "relations"}
    assert res["entities"], "the biased tiny model tags something"


def test_batch_equals_one_by_one(tiny_predictor):
    batch = tiny_predictor.predict(NEWS, batch_size=3)
    assert batch == [tiny_predictor.predict(t) for t in NEWS]


def test_long_text_is_split_into_windows(tiny_predictor):
    text = "。".join([SAMPLE] * 40)
    res = tiny_predictor.predict(text)
    check_result(text, res)
    assert max(e["end"] for e in res["entities"]) > 1000


@pytest.mark.parametrize("bad, where", [(None, "NoneType"), (b"abc", "bytes"), (42, "int"),
                                        (["ok", 3], "item 1 is int")])
def test_bad_input_is_a_type_error(tiny_predictor, bad, where):
    with pytest.raises(TypeError, match=where):
        tiny_predictor.predict(bad)


def test_empty_and_whitespace_give_empty_results(tiny_predictor):
    assert tiny_predictor.predict("") == {"text": "", "entities": [], "relations": []}
    assert tiny_predictor.predict(" \n\t") == {"text": " \n\t", "entities": [], "relations": []}
    assert tiny_predictor.predict([]) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=150))
def test_offsets_hold_on_random_unicode(tiny_predictor, text):
    check_result(text, tiny_predictor.predict(text))


def test_same_results_from_eight_threads(tiny_predictor):
    expected = tiny_predictor.predict(NEWS)
    results = [None] * 8

    def work(i):
        results[i] = tiny_predictor.predict(NEWS)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_missing_and_corrupt_model_files_are_named(tiny_model_dir, tmp_path):
    import shutil

    broken = tmp_path / "m"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"\x00garbage")
    with pytest.raises(govie.ModelFilesError, match="model.safetensors"):
        govie.load(broken)
    (broken / "model.safetensors").unlink()
    with pytest.raises(govie.ModelFilesError, match="no model.safetensors"):
        govie.load(broken)
    (broken / "config.json").unlink()
    with pytest.raises(govie.ModelFilesError, match="no config.json"):
        govie.load(broken)


def test_offsets_hold_without_normalization_too(tiny_model_dir):
    raw = govie.load(tiny_model_dir, device="cpu", normalization=False)
    for text in NEWS:
        check_result(text, raw.predict(text))


HOSTILE = ["😀李成宽👍主持会议。", "县委\ud800书记\udfff王某", "李\u200b成\u200d宽\ufeff", "第一行\r\n第二行\r\n",
           "\x00\x07\x1b县委", "县" * 3000, "\n".join(["书记"] * 2000), "&amp;&lt;p&gt;<div class='x'>市委</div>"]


def test_hostile_text_gives_valid_results(tiny_predictor):
    for text in HOSTILE:
        check_result(text, tiny_predictor.predict(text))


_NOISE = st.sampled_from(["😀", "\ud83d", "\u200b", "\r\n", "(shū)", "（qū）", "&nbsp;", "<br/>", "　", "Ａ", "縣", "\t", "。", "¼"])


@st.composite
def perturbed_news(draw):
    chars = list(draw(st.sampled_from(NEWS[:4])))
    for _ in range(draw(st.integers(0, 6))):
        chars.insert(draw(st.integers(0, len(chars))), draw(_NOISE))
    return "".join(chars)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(perturbed_news(), min_size=1, max_size=4))
def test_perturbed_news_batches_match_singles_and_repeat_exactly(tiny_predictor, texts):
    batch = tiny_predictor.predict(texts, batch_size=2)
    for text, res in zip(texts, batch):
        check_result(text, res)
    assert batch == [tiny_predictor.predict(t) for t in texts]
    assert batch == tiny_predictor.predict(texts, batch_size=2)


def test_relation_pairs_scored_in_chunks_give_the_same_result(tiny_predictor, monkeypatch):
    from govie import predictor as predictor_module

    text = "县委书记李成宽、县长王某、副县长张某主持召开会议。" * 3
    whole = tiny_predictor.predict(text)
    assert whole["relations"], "the biased tiny model should propose relations to check"
    monkeypatch.setattr(predictor_module, "MAX_PAIRS_PER_CALL", 3)
    assert tiny_predictor.predict(text) == whole


def test_free_memory_is_given_back_unless_the_user_opts_out():
    import os
    import platform
    import subprocess
    import sys

    code = "from govie.allocator import release_free_memory as r; print(r(), r())"
    run = lambda tuning: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,  # noqa: E731
                                        env={**os.environ, "GOVIE_MALLOC_TUNING": tuning}).stdout.split()
    assert run("0") == ["False", "False"]
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert run("1") == ["True", "True"]


def test_min_entity_score_drops_weak_entities_and_their_relations(tiny_model_dir):
    text = " ".join(NEWS[:3])
    everything = govie.load(tiny_model_dir, device="cpu", min_entity_score=0.0).predict(text)
    scores = sorted({e["score"] for e in everything["entities"]})
    assert len(scores) >= 2, "the biased tiny model gives entities of different scores"
    cut = (scores[len(scores) // 2 - 1] + scores[len(scores) // 2]) / 2  # between two rounded scores
    kept = govie.load(tiny_model_dir, device="cpu", min_entity_score=cut).predict(text)
    check_result(text, kept)
    strong = [e for e in everything["entities"] if e["score"] >= cut]
    assert kept["entities"] == strong and 0 < len(strong) < len(everything["entities"])
    # relations survive exactly when both of their entities do, renumbered to the kept list
    new_index = {everything["entities"].index(e): i for i, e in enumerate(strong)}
    expected = [{**r, "head": new_index[r["head"]], "tail": new_index[r["tail"]]}
                for r in everything["relations"] if r["head"] in new_index and r["tail"] in new_index]
    assert kept["relations"] == expected


def test_min_entity_score_defaults_to_the_models_setting(tiny_model_dir, tmp_path):
    import shutil

    assert govie.load(tiny_model_dir, device="cpu").min_entity_score == 0.0  # folders without the key
    folder = tmp_path / "strict"
    shutil.copytree(tiny_model_dir, folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "min_entity_score": 0.75}), encoding="utf-8")
    for backend in ("torch", "transformers"):
        assert govie.load(folder, device="cpu", backend=backend).min_entity_score == 0.75
    assert govie.load(folder, device="cpu", min_entity_score=0.0).min_entity_score == 0.0
    with pytest.raises(ValueError, match="min_entity_score"):
        govie.load(folder, device="cpu", min_entity_score=1.5)
