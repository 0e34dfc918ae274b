"""MSRA NER test F1 (PER/LOC/ORG, strict spans) of a govie model: our public benchmark.

    python eval/msra_test.py [--model FOLDER] [--limit N] [--json OUT.json]

MSRA labels only PER, LOC and ORG, so predictions of our other types are dropped before scoring
(a TITLE we split off is simply not compared). Scores with govie.evaluation.score (seqeval strict).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "model", REPO):
    sys.path.insert(0, str(p))

import govie  # noqa: E402
from govie.evaluation import score  # noqa: E402

MSRA_TYPES = ("PER", "LOC", "ORG")


def restrict(prediction: dict, types=MSRA_TYPES) -> dict:
    """Keep entities of the given types (relations are not scored here)."""
    return {"text": prediction["text"], "relations": [],
            "entities": [e for e in prediction["entities"] if e["type"] in types]}


def main(argv=None):
    from data.sources import read_msra

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    ap.add_argument("--limit", type=int, default=None, help="first N test sentences only")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--json", default=None, help="also write the full report here")
    ap.add_argument("--min-entity-score", type=float, default=None,
                    help="override the model's minimum entity score (0 keeps every decoded entity)")
    args = ap.parse_args(argv)
    records, problems = read_msra("test")
    records = records[: args.limit]
    predictor = govie.load(args.model, device="cpu", min_entity_score=args.min_entity_score)
    t0 = time.time()
    preds = predictor.predict([r.text for r in records], batch_size=args.batch_size)
    seconds = time.time() - t0
    report = score(records, [restrict(p) for p in preds])
    chars = sum(len(r.text) for r in records)
    print(f"MSRA test: {len(records)} sentences, {chars} chars, {chars / seconds:.0f} chars/s, skipped {dict(problems)}")
    for t in MSRA_TYPES + ("micro",):
        row = report["entities"][t]
        print(f"{t:<6} P {row['precision']:.4f}  R {row['recall']:.4f}  F1 {row['f1']:.4f}  support {row['support']}")
    # micro over PER/LOC/ORG only: score() already saw no other types on either side
    if args.json:
        Path(args.json).write_text(json.dumps({"model": args.model, "sentences": len(records),
                                               "entities": {t: report["entities"][t] for t in MSRA_TYPES + ("micro",)}},
                                              indent=1))


if __name__ == "__main__":
    main()
