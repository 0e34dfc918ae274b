import json

from data.build import build
from data.sources import read_cluener, read_msra
from govie.features import ConversionStats, record_to_examples
from govie.encoding import CharEncoder

from conftest import SAMPLE_GOLD


def test_msra_bmes_becomes_spans_and_bad_tags_are_counted(tmp_path):
    path = tmp_path / "msra_train.txt"
    path.write_text("李 B-PER\n成 M-PER\n宽 E-PER\n在 O\n京 S-LOC\n\r\n中 M-ORG\n国 E-ORG\n", encoding="utf-8")
    records, problems = read_msra(path=path)
    assert [r.text for r in records] == ["李成宽在京", "中国"]
    assert records[0].entities == [(0, 3, "PER"), (4, 5, "LOC")]
    assert problems == {"M without B": 1, "E without B": 1}


def test_cluener_is_mapped_with_inclusive_ends(tmp_path):
    obj = {"text": "浙商银行行长叶老桂看《大众软件》和魔兽世界",
           "label": {"company": {"浙商银行": [[0, 3]]}, "position": {"行长": [[4, 5]]}, "name": {"叶老桂": [[6, 8]]},
                     "book": {"大众软件": [[11, 14]]}, "game": {"魔兽世界": [[17, 20]]}}}
    (tmp_path / "train.json").write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
    [rec], problems = read_cluener("train", folder=tmp_path)
    assert [(rec.text[s:e], t) for s, e, t in rec.entities] == [
        ("浙商银行", "ORG"), ("行长", "TITLE"), ("叶老桂", "PER"), ("《大众软件》", "DOC")]
    assert problems == {"dropped game": 1}


def test_mixture_weights_and_stats(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join([json.dumps(SAMPLE_GOLD, ensure_ascii=False)] * 4) + "\n", encoding="utf-8")
    mixture, table = build({"seed": 1, "sources": [{"name": "toy", "kind": "jsonl", "path": str(path), "weight": 1.5}]})
    assert len(mixture) == 6
    assert table[0]["per_epoch"]["entities"]["PER"] == 6 and table[0]["per_epoch"]["relations"]["任职"] == 12


def test_gold_offsets_survive_normalisation_of_traditional_pinyin_text(tiny_backbone):
    from transformers import AutoTokenizer

    from govie.schema import Record

    rec = Record("t", "堯都區(qū)委書(shū)記王某主持會議。", [(0, 8, "ORG"), (8, 15, "TITLE"), (15, 17, "PER")],
                 [(2, 1, "任职"), (1, 0, "隶属")])
    stats = ConversionStats()
    [ex] = record_to_examples(rec, CharEncoder(AutoTokenizer.from_pretrained(tiny_backbone)), 60, stats=stats)
    # normalised: 尧都区委 书记 王某 ...: spans shrink by the removed pinyin, nothing is skipped
    assert ex.entities == [(0, 4, 1), (4, 6, 3), (6, 8, 0)]
    assert ex.relations == {(2, 1): 1, (1, 0): 2}
    assert not stats.skipped
