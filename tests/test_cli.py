import json

from typer.testing import CliRunner

from govie.cli import app

from conftest import SAMPLE

runner = CliRunner()


def test_predict_writes_one_json_line_per_text(tiny_model_dir, tmp_path):
    src = tmp_path / "article.txt"
    src.write_text(SAMPLE + "\n\n县委书记王某主持召开会议。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["predict", str(src), "--model", str(tiny_model_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["text"] for x in lines] == [SAMPLE, "县委书记王某主持召开会议。"]
    assert all({"entities", "relations"} <= set(x) for x in lines)


def test_predict_reads_jsonl_and_keeps_ids(tiny_model_dir, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "p1", "text": SAMPLE}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["predict", str(src), "--model", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[-1])["id"] == "p1"


def test_eval_on_a_predictions_file(gold_file, tmp_path):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    pred = {"text": gold["text"], "entities": [{"start": s, "end": e, "type": t} for s, e, t in gold["entities"]][:4],
            "relations": [{"head": 2, "tail": 1, "type": "隶属"}]}
    preds = tmp_path / "pred.jsonl"
    preds.write_text(json.dumps(pred, ensure_ascii=False) + "\n", encoding="utf-8")
    report_path = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", "--data", str(gold_file), "--predictions", str(preds), "--json", str(report_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    # 4 of 7 entities, all correct; 1 of 6 relations, correct
    assert abs(report["entities"]["micro"]["recall"] - 4 / 7) < 1e-9
    assert report["entities"]["micro"]["precision"] == 1.0
    assert abs(report["relations"]["micro"]["recall"] - 1 / 6) < 1e-9
    assert "micro" in result.output


def test_eval_runs_a_model(tiny_model_dir, gold_file):
    result = runner.invoke(app, ["eval", "--data", str(gold_file), "--model", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert "relations" in result.output
