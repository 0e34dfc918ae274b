"""Big-corpus prediction: directories, resumable JSON Lines output, datasets, worker processes, int8."""
import json

import pytest
from typer.testing import CliRunner

from govie import Predictor
from govie.cli import app
from govie.corpus import predict_dataset, predict_to_jsonl, read_directory

from conftest import SAMPLE

runner = CliRunner()
TEXTS = [SAMPLE, "县委书记王某主持召开会议。", "", "8月10日，市纪委召开常委会会议。", SAMPLE[:40]]


def _strip_scores(result: dict) -> dict:
    """Scores may differ in the last bits between processes; spans and types may not."""
    return {"text": result["text"],
            "entities": [(e["start"], e["end"], e["type"]) for e in result["entities"]],
            "relations": [(r["head"], r["tail"], r["type"]) for r in result["relations"]]}


def test_a_directory_is_one_text_per_file_with_its_path_as_id(tiny_model_dir, tiny_predictor, tmp_path):
    pages = tmp_path / "pages"
    (pages / "2021").mkdir(parents=True)
    (pages / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (pages / "2021" / "b.txt").write_text(TEXTS[1] + "\n" + TEXTS[3], encoding="utf-8")
    (pages / "notes.md").write_text("not read", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["predict", str(pages), "--model", str(tiny_model_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["2021/b.txt", "a.txt"]
    assert lines[1]["text"] == TEXTS[0]
    assert _strip_scores(lines[1]) == _strip_scores(tiny_predictor.predict(TEXTS[0]))


def test_resume_continues_after_the_last_complete_line(tiny_model_dir, tmp_path):
    records = [{"id": f"r{i}", "text": t} for i, t in enumerate(TEXTS)]
    full = tmp_path / "full.jsonl"
    predict_to_jsonl(records, full, model=tiny_model_dir, chunk_size=2, progress=False)
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == len(TEXTS)
    # an interrupted run: two complete lines and a torn third one
    part = tmp_path / "part.jsonl"
    part.write_text("".join(lines[:2]) + lines[2][:10], encoding="utf-8")
    written = predict_to_jsonl(records, part, model=tiny_model_dir, chunk_size=2, resume=True, progress=False)
    assert written == len(TEXTS) - 2
    assert [_strip_scores(json.loads(x)) for x in part.read_text(encoding="utf-8").splitlines()] == \
        [_strip_scores(json.loads(x)) for x in lines]


def test_resume_refuses_the_output_of_another_input(tiny_model_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    predict_to_jsonl([{"id": "x", "text": TEXTS[1]}], out, model=tiny_model_dir, progress=False)
    with pytest.raises(ValueError, match="not the same input"):
        predict_to_jsonl([{"id": "y", "text": TEXTS[1]}], out, model=tiny_model_dir, resume=True, progress=False)


def test_worker_processes_give_the_same_results(tiny_model_dir, tmp_path):
    records = [{"id": str(i), "text": t} for i, t in enumerate(TEXTS * 2)]
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    predict_to_jsonl(records, one, model=tiny_model_dir, chunk_size=3, progress=False)
    predict_to_jsonl(records, two, model=tiny_model_dir, chunk_size=3, num_proc=2, progress=False)
    read = lambda p: [_strip_scores(json.loads(x)) for x in p.read_text(encoding="utf-8").splitlines()]  # noqa: E731
    assert read(one) == read(two)


def test_predict_dataset_adds_entities_and_relations(tiny_model_dir, tiny_predictor):
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"text": TEXTS, "source": ["x"] * len(TEXTS)})
    out = predict_dataset(ds, model=str(tiny_model_dir), batch_size=2)
    assert out.column_names == ["text", "source", "entities", "relations"]
    for row, text in zip(out, TEXTS):
        expected = _strip_scores(tiny_predictor.predict(text))
        assert _strip_scores({"text": row["text"], "entities": row["entities"], "relations": row["relations"]}) == expected
    with pytest.raises(ValueError, match="no column"):
        predict_dataset(ds, text_column="body", model=str(tiny_model_dir))


def test_read_directory_of_nothing_is_empty(tmp_path):
    assert read_directory(tmp_path) == []


def test_int8_predictor_keeps_offsets_on_the_original_text(tiny_model_dir):
    predictor = Predictor.load(tiny_model_dir, device="cpu", quantize="int8")
    text = "縣委書(shū)記王某，８月１０日出席會議。"
    result = predictor.predict(text)
    for e in result["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    with pytest.raises(ValueError, match="quantize must be one of"):
        Predictor.load(tiny_model_dir, device="cpu", quantize="int4")
