"""Tests for the synthetic data generator (data/synth)."""
import importlib.util
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

pytest.importorskip("opencc", reason="needs opencc-python-reimplemented")
if importlib.util.find_spec("cpca") is None:
    pytest.skip("needs cpca (administrative divisions)", allow_module_level=True)

from data.synth import generate as G  # noqa: E402

ENTITY_TYPES = {"PER", "ORG", "LOC", "TITLE", "TIME", "NUM", "EVENT", "DOC"}
RELATION_TYPES = {"任职", "隶属", "主持", "时间", "捐赠"}
ANNOTATE = os.path.join(os.path.dirname(ROOT), "shared", "annotation", "annotate.py")


@pytest.fixture(scope="module")
def big():
    return G.generate_with_stats(2000, seed=11)


def _check_fn():
    if not os.path.exists(ANNOTATE):
        pytest.skip(f"{ANNOTATE} not found")
    spec = importlib.util.spec_from_file_location("annotate_for_test", ANNOTATE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.check


def _dump(records):
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)


def test_deterministic_by_seed():
    a, b = G.generate(150, seed=5), G.generate(150, seed=5)
    assert _dump(a) == _dump(b)
    assert _dump(a) != _dump(G.generate(150, seed=6))


def test_records_pass_check():
    check = _check_fn()
    for seed in (0, 3):
        for rec in G.generate(300, seed=seed):
            assert check(rec) == [], (rec["id"], check(rec), rec["text"])


def test_format_and_offsets():
    for i, rec in enumerate(G.generate(300, seed=1)):
        assert set(rec) == {"id", "text", "entities", "relations", "source"}
        assert rec["id"] == f"synth-1-{i}" and rec["source"] == "synth"
        text = rec["text"]
        assert 40 <= len(text) <= 300
        for s, e, t in rec["entities"]:
            assert t in ENTITY_TYPES
            assert 0 <= s < e <= len(text)
            span = text[s:e]
            assert span == span.strip() and span
        for h, t, r in rec["relations"]:
            assert r in RELATION_TYPES and 0 <= h < len(rec["entities"]) and 0 <= t < len(rec["entities"])


def test_every_type_and_variant_appears(big):
    records, stats = big
    ents = {e[2] for r in records for e in r["entities"]}
    rels = {x[2] for r in records for x in r["relations"]}
    assert ents == ENTITY_TYPES
    assert rels == RELATION_TYPES
    assert stats["constructions_used"] >= 150
    for v in ("traditional", "pinyin", "noise"):
        assert stats["variants"].get(v, 0) > 0


def test_boundary_cases_present(big):
    records, _ = big
    spans = {(r["text"][s:e], t) for r in records for s, e, t in r["entities"]}
    texts = "\n".join(r["text"] for r in records)
    assert ("政府工作报告", "DOC") in spans            # DOC without 《》
    assert ("中央八项规定", "DOC") in spans
    assert any(t == "DOC" and s.startswith("《") for s, t in spans)
    assert any(t == "EVENT" and "暨" in s for s, t in spans)
    assert any(t == "TIME" and " " in s for s, t in spans)   # 2020-02-23 11:11
    assert any(t == "LOC" and len(s) == 1 for s, t in spans)  # 来伊 -> [伊]
    assert ("大会主席团", "ORG") in spans or ("主席团", "ORG") in spans
    assert "阅读次数" in texts and "ICP备" in texts
    # the unlabelled words stay unlabelled
    for word in ("近日", "党员干部", "阻击战", "县乡两级"):
        assert not any(word == s for s, _ in spans)


def test_cli(tmp_path, capsys):
    out = tmp_path / "s.jsonl"
    assert G.main(["--n", "50", "--seed", "2", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50
    printed = capsys.readouterr().out
    assert "entities:" in printed and "relations:" in printed and "constructions used:" in printed
