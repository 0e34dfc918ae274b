import json

import pytest

from govie.schema import BIO_LABELS, ENTITY_TYPES, GoldFormatError, allowed_relations, read_gold, sentence_ids

from conftest import SAMPLE_GOLD


def test_label_set_is_bio_over_the_eight_types():
    assert len(ENTITY_TYPES) == 8
    assert BIO_LABELS[0] == "O" and len(BIO_LABELS) == 17
    assert "B-TITLE" in BIO_LABELS and "I-DOC" in BIO_LABELS


def test_relation_schema_follows_the_guidelines():
    assert allowed_relations("PER", "TITLE") == ["任职"]
    assert allowed_relations("PER", "ORG") == ["隶属", "捐赠"]
    assert allowed_relations("TITLE", "PER") == []
    assert allowed_relations("EVENT", "TIME") == ["时间"]


def test_sentence_ids_keep_the_end_mark_with_its_sentence():
    assert sentence_ids("甲。乙\n丙") == [0, 0, 1, 1, 2]


def test_reads_the_guidelines_example(gold_file):
    [rec] = read_gold(gold_file)
    assert rec.id == "doc12-p3"
    assert rec.text[16:19] == "李成宽"
    assert (5, 6, "主持") in rec.relations


def _write(tmp_path, *lines):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, reason", [
    (lambda r: r["entities"].append([30, 40, "PER"]), "bad offsets"),
    (lambda r: r["entities"].append([1, 3, "PER"]), "overlap"),
    (lambda r: r["entities"].__setitem__(0, [0, 5, "DATE"]), "unknown type 'DATE'"),
    (lambda r: r["relations"].append([5, 99, "任职"]), "bad entity indices"),
    (lambda r: r["relations"].append([2, 5, "任职"]), "not allowed from TITLE to PER"),
    (lambda r: r["relations"].append([5, 2, "朋友"]), "unknown type '朋友'"),
])
def test_bad_records_name_file_line_and_reason(tmp_path, mutate, reason):
    bad = json.loads(json.dumps(SAMPLE_GOLD))
    mutate(bad)
    path = _write(tmp_path, json.dumps(SAMPLE_GOLD, ensure_ascii=False), json.dumps(bad, ensure_ascii=False))
    with pytest.raises(GoldFormatError) as err:
        read_gold(path)
    assert f"{path}:2:" in str(err.value)
    assert reason in str(err.value)


def test_bad_json_and_cross_sentence_relation(tmp_path):
    with pytest.raises(GoldFormatError, match=r"bad.jsonl:1: bad JSON"):
        read_gold(_write(tmp_path, "{not json"))
    rec = {"text": "李成宽。书记", "entities": [[0, 3, "PER"], [4, 6, "TITLE"]], "relations": [[0, 1, "任职"]]}
    with pytest.raises(GoldFormatError, match="different sentences"):
        read_gold(_write(tmp_path, json.dumps(rec, ensure_ascii=False)))
