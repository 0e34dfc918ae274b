"""The `govie` command: predict, eval, train, render."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Entities and relations from Chinese public-affairs news.")


def _read_inputs(source: str, whole: bool) -> list[dict]:
    """Records {"id"?, "text"} from a .jsonl file (field "text"), a text file or '-' (stdin).

    Plain text: one record per non-empty line, or the whole input as one record with --whole.
    """
    raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    if source.endswith(".jsonl"):
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise typer.BadParameter(f"{source}:{n}: bad JSON: {exc.msg}")
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise typer.BadParameter(f"{source}:{n}: needs a string field 'text'")
            records.append(obj)
        return records
    if whole:
        return [{"text": raw}]
    return [{"text": line} for line in raw.splitlines() if line.strip()]


@app.command()
def predict(
    source: str = typer.Argument("-", help="a text file (one text per line), a .jsonl file with 'text', or - for stdin"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="model folder or Hub id (default: bundled)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="write JSON Lines here instead of stdout"),
    whole: bool = typer.Option(False, "--whole", help="treat the whole input as one text"),
    batch_size: int = typer.Option(16, "--batch-size"),
    device: Optional[str] = typer.Option(None, "--device", help="cpu, cuda, cuda:1 ... (default: cuda if available)"),
    article: bool = typer.Option(False, "--article", help="each input (a whole text file, or each .jsonl record) is one "
                                                          "article: print its facts (people, meetings, donations)"),
    quantize: Optional[str] = typer.Option(None, "--quantize", help="int8: faster CPU inference (dynamic quantisation)"),
    pattern: str = typer.Option("**/*.txt", "--glob", help="with a directory SOURCE: which files to read"),
    resume: bool = typer.Option(False, "--resume", help="with --out: continue after the last complete line"),
    num_proc: int = typer.Option(1, "--num-proc", help="worker processes, each with its own model"),
    min_entity_score: Optional[float] = typer.Option(None, "--min-entity-score", min=0.0, max=1.0,
                                                     help="drop entities scored lower (default: the model's own setting)"),
):
    """Predict entities and relations; one JSON line per input text.

    SOURCE may be a directory: each file matching --glob is one text, its id the relative path.
    """
    from .corpus import output_line, predict_to_jsonl, read_directory
    from .predictor import QUANTIZATIONS, load

    if quantize is not None and quantize not in QUANTIZATIONS:
        raise typer.BadParameter(f"--quantize must be one of {QUANTIZATIONS}")
    if resume and out is None:
        raise typer.BadParameter("--resume needs --out")
    if source != "-" and Path(source).is_dir():
        records = read_directory(source, pattern)
    else:
        records = _read_inputs(source, whole or article)
    transform = _article_facts if article else None
    if out is not None:
        predict_to_jsonl(records, out, model=model, device=device, quantize=quantize, batch_size=batch_size,
                         num_proc=num_proc, resume=resume, transform=transform, progress=len(records) > 50,
                         min_entity_score=min_entity_score)
        return
    predictor = load(model, device=device, batch_size=batch_size, quantize=quantize, min_entity_score=min_entity_score)
    results = predictor.predict([r["text"] for r in records], progress=len(records) > 50 or sum(
        len(r["text"]) for r in records) > 50_000)
    for rec, res in zip(records, results):
        sys.stdout.write(output_line(rec, res, transform))


@app.command("eval")
def evaluate(
    data: Path = typer.Option(..., "--data", "-d", help="gold JSON Lines (GUIDELINES format)"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="model folder or Hub id (default: bundled)"),
    predictions: Optional[Path] = typer.Option(None, "--predictions", "-p",
                                               help="score this predictions file (JSON Lines, same order) instead of running a model"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="write the report as JSON here"),
    batch_size: int = typer.Option(32, "--batch-size"),
    device: Optional[str] = typer.Option(None, "--device"),
    no_normalization: bool = typer.Option(False, "--no-normalization",
                                          help="feed raw text to the model (to measure what normalisation is worth)"),
    quantize: Optional[str] = typer.Option(None, "--quantize", help="int8: score the dynamically quantised model"),
    no_span_rules: bool = typer.Option(False, "--no-span-rules",
                                       help="keep the tagger's spans as decoded (to measure what the span rules are worth)"),
    min_entity_score: Optional[float] = typer.Option(None, "--min-entity-score", min=0.0, max=1.0,
                                                     help="drop entities scored lower (default: the model's own setting)"),
):
    """Score a model (or a predictions file) on gold data: seqeval strict entities, strict relations."""
    from .evaluation import format_report, score
    from .schema import read_gold

    gold = read_gold(data)
    if predictions is not None:
        preds = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        from .predictor import load

        predictor = load(model, device=device, normalization=not no_normalization, quantize=quantize,
                         min_entity_score=min_entity_score, span_rules=not no_span_rules)
        preds = predictor.predict([r.text for r in gold], batch_size=batch_size, progress=len(gold) > 50)
    report = score(gold, preds)
    typer.echo(format_report(report))
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train(ctx: typer.Context, config: Path = typer.Argument(..., help="training config (YAML)")):
    """Train a model (same as python -m training.train CONFIG; run from a clone of the repository)."""
    repo = Path.cwd()
    sys.path.insert(0, str(repo))
    try:
        from training.train import main as train_main
    except ImportError:
        raise typer.BadParameter("training code not found: run `govie train` from the root of a govie clone")
    train_main([str(config), *ctx.args])


# -- facts and pages (issue 9) ----------------------------------------------------------------
def _article_facts(prediction: dict) -> dict:
    from .article import extract_article

    return extract_article(prediction)


def _predictions_to_render(source: str, model: Optional[str], device: Optional[str]) -> list[dict]:
    """Records of a .jsonl file that already hold 'entities' are drawn as they are; any other
    input (a text file is one article, line breaks kept) is predicted first."""
    records = _read_inputs(source, whole=True)
    if records and all(isinstance(r.get("entities"), list) for r in records):
        return records
    from .predictor import load

    return [{**({"id": r["id"]} if "id" in r else {}), **res}
            for r, res in zip(records, load(model, device=device).predict([r["text"] for r in records]))]


@app.command()
def render(
    source: str = typer.Argument("-", help="a text file (one article), a .jsonl file of texts or predictions, or - for stdin"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="model folder or Hub id (default: bundled)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="write the HTML page here instead of stdout"),
    title: Optional[str] = typer.Option(None, "--title", help="page title (default: the input's name)"),
    device: Optional[str] = typer.Option(None, "--device"),
):
    """Draw predictions as a standalone HTML page: coloured entities, relations listed under each text."""
    from .render import render_html

    page = render_html(_predictions_to_render(source, model, device),
                       title=title or ("govie" if source == "-" else Path(source).name))
    if out:
        out.write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)


def main():
    app()


if __name__ == "__main__":
    main()
