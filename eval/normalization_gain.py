"""What normalisation buys: F1 with and without it, on all records and on the noisy ones.

    python eval/normalization_gain.py --data ../shared/data/gold/dev.jsonl [--model M]

"Noisy" records are those where govie's normalisation changes more than NFKC width folding
would: traditional characters, inline pinyin, HTML remnants. Prints one line per (subset, setting)
with entity and relation micro-F1.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "model"))

import govie  # noqa: E402
from govie.evaluation import score  # noqa: E402
from govie.normalize import normalize  # noqa: E402
from govie.schema import read_gold  # noqa: E402


def is_noisy(text: str) -> bool:
    return normalize(text).text != unicodedata.normalize("NFKC", text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--model", default=None)
    args = ap.parse_args(argv)
    gold = read_gold(args.data)
    noisy = [i for i, r in enumerate(gold) if is_noisy(r.text)]
    rows = []
    for setting, flag in (("normalised", True), ("raw", False)):
        preds = govie.load(args.model, device="cpu", normalization=flag).predict([r.text for r in gold], batch_size=32)
        for subset, idx in (("all", range(len(gold))), ("noisy", noisy)):
            rep = score([gold[i] for i in idx], [preds[i] for i in idx])
            rows.append({"subset": subset, "records": len(idx), "setting": setting,
                         "entity_f1": round(rep["entities"]["micro"]["f1"], 4),
                         "relation_f1": round(rep["relations"]["micro"]["f1"], 4)})
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
