"""Assemble the training mixture of a config and report what is in it.

    python -m data.build training/configs/default.yaml [--out mixture.jsonl] [--stats stats.json]

Reads every source of the config (the same readers the trainer uses), applies the weights the
way the trainer does for one epoch (floor(w) copies plus a seeded random share), and prints per
source: records, characters, entities per type, relations per type, annotated types and the
counts of anything a reader skipped. --out writes the sampled records as gold JSON Lines with
their "source"; --stats writes the table as JSON.
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

import yaml  # noqa: E402

from data.sources import load_source  # noqa: E402
from govie.schema import ENTITY_TYPES, RELATION_NAMES  # noqa: E402


def weighted_sample(records: list, weight: float, rng: random.Random) -> list:
    whole, frac = int(weight), weight - int(weight)
    return records * whole + rng.sample(records, round(frac * len(records)))


def source_stats(records: list) -> dict:
    ents = Counter(t for r in records for _, _, t in r.entities)
    rels = Counter(t for r in records for _, _, t in r.relations)
    return {"records": len(records), "chars": sum(len(r.text) for r in records),
            "entities": {t: ents[t] for t in ENTITY_TYPES}, "relations": {t: rels[t] for t in RELATION_NAMES}}


def build(config: dict, seed: int | None = None):
    rng = random.Random(config.get("seed", 13) if seed is None else seed)
    mixture, table = [], []
    for spec in config["sources"]:
        records, types, problems = load_source(spec)
        sample = weighted_sample(records, float(spec.get("weight", 1.0)), rng)
        table.append({"source": spec.get("name", spec["kind"]), "weight": spec.get("weight", 1.0),
                      "annotated_types": sorted(types), "skipped": dict(problems),
                      "available": source_stats(records), "per_epoch": source_stats(sample)})
        mixture.extend(sample)
    return mixture, table


def format_table(table: list[dict]) -> str:
    head = f"{'source':<10}{'weight':>7}{'records':>9}{'chars':>10}  " + " ".join(f"{t:>6}" for t in ENTITY_TYPES)
    head += "  " + " ".join(f"{r:>4}" for r in RELATION_NAMES)
    lines = [head]
    for row in table:
        s = row["per_epoch"]
        line = f"{row['source']:<10}{row['weight']:>7}{s['records']:>9}{s['chars']:>10}  "
        line += " ".join(f"{s['entities'][t]:>6}" for t in ENTITY_TYPES)
        line += "  " + " ".join(f"{s['relations'][r]:>6}" for r in RELATION_NAMES)
        lines.append(line)
        if row["skipped"]:
            lines.append(f"{'':<10}skipped by the reader: {row['skipped']}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--stats", type=Path)
    args = ap.parse_args(argv)
    config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    mixture, table = build(config)
    print(format_table(table))
    if args.out:
        with args.out.open("w", encoding="utf-8") as f:
            for rec in mixture:
                f.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
    if args.stats:
        args.stats.write_text(json.dumps(table, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
