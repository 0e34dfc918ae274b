import pytest

from govie.evaluation import format_report, score
from govie.schema import Record


def test_scores_worked_out_by_hand():
    gold = [Record("a", "李成宽任市委书记。", [(0, 3, "PER"), (4, 6, "ORG"), (6, 8, "TITLE")],
                   [(0, 2, "任职"), (2, 1, "隶属")])]
    # right PER and TITLE, ORG with a wrong boundary, one extra LOC; 任职 right, 隶属 lost with the ORG
    pred = [{"text": gold[0].text,
             "entities": [{"start": 0, "end": 3, "type": "PER"}, {"start": 3, "end": 6, "type": "ORG"},
                          {"start": 6, "end": 8, "type": "TITLE"}, {"start": 8, "end": 9, "type": "LOC"}],
             "relations": [{"head": 0, "tail": 2, "type": "任职"}, {"head": 2, "tail": 1, "type": "隶属"}]}]
    rep = score(gold, pred)
    ents = rep["entities"]
    assert ents["micro"]["precision"] == pytest.approx(2 / 4)
    assert ents["micro"]["recall"] == pytest.approx(2 / 3)
    assert ents["micro"]["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert ents["PER"]["f1"] == 1.0 and ents["ORG"]["f1"] == 0.0 and ents["LOC"]["precision"] == 0.0
    rels = rep["relations"]
    assert rels["任职"]["f1"] == 1.0
    assert rels["隶属"]["precision"] == 0.0 and rels["隶属"]["recall"] == 0.0
    assert rels["micro"]["precision"] == pytest.approx(0.5) and rels["micro"]["recall"] == pytest.approx(0.5)
    assert "micro" in format_report(rep)


def test_perfect_predictions_score_one(gold_file):
    from govie.schema import read_gold

    gold = read_gold(gold_file)
    rep = score(gold, gold)
    assert rep["entities"]["micro"]["f1"] == 1.0 and rep["relations"]["micro"]["f1"] == 1.0


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError):
        score([Record("a", "x")], [])
