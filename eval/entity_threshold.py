"""Choose a minimum entity score on held-out data of our own, then confirm it elsewhere.

    python eval/entity_threshold.py --data data/annotated/team-k.jsonl data/annotated/team-l.jsonl \
        [--model M] [--grid 0,0.5,0.6,0.7,0.75,0.8,0.85,0.9]
    python eval/entity_threshold.py --data ../shared/data/gold/dev.jsonl --grid 0,0.8   # confirm only

Predicts once, then scores the predictions with entities whose score (mean probability of their
decoded labels) is below each threshold removed, together with their relations. The held-out
files must be data the model was not trained on; the dev set is for confirming a choice, never
for making it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "model"))

import govie  # noqa: E402
from govie.evaluation import score  # noqa: E402
from govie.schema import read_gold  # noqa: E402


def drop_below(prediction: dict, threshold: float) -> dict:
    """prediction without its entities scored under threshold (relation indices renumbered)."""
    keep = [i for i, e in enumerate(prediction["entities"]) if e["score"] >= threshold]
    new_index = {old: new for new, old in enumerate(keep)}
    relations = [{**r, "head": new_index[r["head"]], "tail": new_index[r["tail"]]}
                 for r in prediction["relations"] if r["head"] in new_index and r["tail"] in new_index]
    return {**prediction, "entities": [prediction["entities"][i] for i in keep], "relations": relations}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="+", required=True)
    ap.add_argument("--model", default=None)
    ap.add_argument("--grid", default="0,0.5,0.6,0.7,0.75,0.8,0.85,0.9")
    args = ap.parse_args(argv)
    gold = [rec for path in args.data for rec in read_gold(path)]
    predictions = govie.load(args.model, min_entity_score=0.0).predict([g.text for g in gold], batch_size=32)
    print(f"{len(gold)} records from {', '.join(args.data)}")
    print(f"{'threshold':>9} {'entity P':>9} {'R':>7} {'F1':>7} {'relation F1':>12} {'mean':>7}")
    means = {}
    for threshold in (float(x) for x in args.grid.split(",")):
        rep = score(gold, [drop_below(p, threshold) for p in predictions])
        e, r = rep["entities"]["micro"], rep["relations"]["micro"]
        means[threshold] = (e["f1"] + r["f1"]) / 2
        print(f"{threshold:>9.2f} {e['precision']:>9.4f} {e['recall']:>7.4f} {e['f1']:>7.4f} {r['f1']:>12.4f} "
              f"{means[threshold]:>7.4f}")
    # the choice rule: the best mean of entity and relation F1 (ties go to the lower threshold)
    print(f"best by the mean of entity and relation F1: {max(means, key=lambda t: (means[t], -t)):.2f}")


if __name__ == "__main__":
    main()
