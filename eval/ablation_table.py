"""Markdown tables of the ablation rows in runs/ablation/ (made by eval/run_ablations.sh).

    python eval/ablation_table.py [--runs runs/ablation]

Per row: dev entity and relation micro-F1 (../shared/data/gold/dev.jsonl, scored in training by
govie.evaluation), the weak types, MSRA test F1 (eval/msra_test.py), training and dev-inference
chars/s on this machine, and the size of the saved model.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

DATA_ROWS = [("full", "all sources, partial-label loss (the default mixture)"),
             ("naive", "MSRA and CLUENER mixed naively: their unlabelled types taught as O"),
             ("no-team", "without the team's annotated paragraphs"),
             ("no-synth", "without the synthetic generator"),
             ("no-public", "without MSRA and CLUENER"),
             ("self-train", "MSRA and CLUENER samples self-trained: the types they lack labelled by the v2 model")]
BACKBONE_ROWS = [("random-init", "e5-small architecture, 6 layers, random weights (baseline)"),
                 ("full", "A: multilingual-e5-small converted, first 6 of 12 layers"),
                 ("e5-12-layers", "A: multilingual-e5-small converted, all 12 layers"),
                 ("mlm-compact", "B: our 4x256 character BERT, masked-LM pre-trained here")]


def load_row(folder: Path) -> dict | None:
    metrics = folder / "metrics.jsonl"
    if not metrics.exists():
        return None
    epochs = [json.loads(x) for x in metrics.read_text(encoding="utf-8").splitlines() if '"event": "epoch"' in x]
    if not epochs:
        return None
    last = epochs[-1]
    row = {"entity": last["dev_entity_f1"], "relation": last["dev_relation_f1"],
           "types": last["dev_entity_f1_by_type"], "train_cps": last["train_chars_per_s"],
           "infer_cps": last.get("dev_chars_per_s"), "seconds": last["seconds"]}
    msra = folder / "msra_test.json"
    row["msra"] = json.loads(msra.read_text())["entities"]["micro"]["f1"] if msra.exists() else None
    weights = folder / "best" / "model.safetensors"
    row["mb"] = weights.stat().st_size / 2**20 if weights.exists() else None
    return row


def fmt(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def table(rows, runs: Path, backbone: bool) -> str:
    head = "| row | what | dev entity F1 | dev relation F1 | LOC | EVENT | DOC | MSRA test F1 |"
    sep = "|---|---|---|---|---|---|---|---|"
    if backbone:
        head += " train chars/s | dev inference chars/s | fp32 size MB |"
        sep += "---|---|---|"
    out = [head, sep]
    for name, what in rows:
        r = load_row(runs / name)
        if r is None:
            out.append(f"| {name} | {what} | not run |" + " |" * (sep.count("|") - 4))
            continue
        line = (f"| {name} | {what} | {fmt(r['entity'])} | {fmt(r['relation'])} | {fmt(r['types'].get('LOC'))} | "
                f"{fmt(r['types'].get('EVENT'))} | {fmt(r['types'].get('DOC'))} | {fmt(r['msra'])} |")
        if backbone:
            line += f" {r['train_cps']:.0f} | {fmt(r['infer_cps'], 0)} | {fmt(r['mb'], 1)} |"
        out.append(line)
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", default="runs/ablation")
    args = ap.parse_args(argv)
    runs = Path(args.runs)
    print("## Data ablation\n")
    print(table(DATA_ROWS, runs, backbone=False))
    print("\n## Backbone comparison\n")
    print(table(BACKBONE_ROWS, runs, backbone=True))


if __name__ == "__main__":
    main()
