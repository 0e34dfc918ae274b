"""Self-training data: MSRA and CLUENER sentences with the types they lack labelled by a model.

    python -m data.self_train --out runs/selftrain/pseudo.jsonl [--model M] [--msra 3000 --cluener 2150]

For a sample of each source's training sentences (seeded), the model predicts entities; spans of
the types the source does NOT annotate (MSRA: TITLE, TIME, NUM, EVENT, DOC; CLUENER: TIME, NUM,
EVENT) with score >= --min-score, not overlapping a gold span, are added to the record.
The source's own gold spans stay as they are. In training the records keep the source's
annotated types (config: `types:`), so a pseudo span is positive evidence only: characters left
O may still be any type the source does not annotate, exactly as before (partial labels).
Writes gold JSON Lines (one file per source: OUT with -msra / -cluener before the extension)
and prints how many spans of each type were added and how many fell below the threshold.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "model", REPO):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from data.sources import ANNOTATED_TYPES, read_cluener, read_msra  # noqa: E402


# CLUENER's 《》 titles are books, films and games (the latter two dropped by its reader): a DOC
# predicted there is as likely a film as a document, so CLUENER gets no pseudo DOC.
NEVER_ADD = {"msra": frozenset(), "cluener": frozenset({"DOC"})}


def _bad_edge(span: str) -> bool:
    """The guidelines keep spaces and punctuation (but 《》 of a DOC) out of spans."""
    import unicodedata

    def bad(ch: str) -> bool:
        return ch.isspace() or (unicodedata.category(ch).startswith("P") and ch not in "《》")

    return not span or bad(span[0]) or bad(span[-1])


def pseudo_label(records, predictions, own_types: frozenset[str], min_score: float, stats: Counter,
                 never_add: frozenset[str] = frozenset()) -> list[dict]:
    out = []
    for rec, pred in zip(records, predictions):
        gold = list(rec.entities)
        spans = list(gold)
        for e in pred["entities"]:
            if e["type"] in own_types:
                continue
            if e["type"] in never_add:
                stats[f"never added {e['type']}"] += 1
                continue
            if e["score"] < min_score:
                stats[f"below threshold {e['type']}"] += 1
                continue
            if _bad_edge(rec.text[e["start"]:e["end"]]):
                stats[f"punctuation at an edge {e['type']}"] += 1
                continue
            if any(s < e["end"] and e["start"] < t for s, t, _ in spans):
                stats[f"overlaps a span {e['type']}"] += 1
                continue
            spans.append((e["start"], e["end"], e["type"]))
            stats[f"added {e['type']}"] += 1
        spans.sort()
        out.append({"id": rec.id, "text": rec.text,
                    "entities": [[s, t, ty] for s, t, ty in spans],
                    "relations": []})
    return out


def main(argv=None):
    import govie

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--model", default=None, help="labelling model (default: the bundled model)")
    ap.add_argument("--msra", type=int, default=3000, help="MSRA sentences to sample")
    ap.add_argument("--cluener", type=int, default=2150, help="CLUENER sentences to sample")
    ap.add_argument("--min-score", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    predictor = govie.load(args.model, device="cpu")
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for name, reader, n in (("msra", read_msra, args.msra), ("cluener", read_cluener, args.cluener)):
        records, _ = reader("train")
        sample = rng.sample(records, min(n, len(records)))
        stats = Counter()
        preds = predictor.predict([r.text for r in sample], batch_size=64)
        rows = pseudo_label(sample, preds, ANNOTATED_TYPES[name], args.min_score, stats, NEVER_ADD[name])
        path = out.with_name(f"{out.stem}-{name}{out.suffix}")
        with path.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(json.dumps({"source": name, "records": len(rows), "file": str(path), **dict(sorted(stats.items()))},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
