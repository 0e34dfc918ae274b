"""What each session-5 span rule is worth: score a model with all rules, then with one rule off.

    python eval/span_rule_ablation.py --data data/annotated/team-m.jsonl data/annotated/team-q.jsonl [--model M]
    python eval/span_rule_ablation.py --data ../shared/data/gold/dev.jsonl      # confirm only

A rule is switched off through its constant in govie.decoding (the code path stays the same).
Choose on held-out data of our own; dev only confirms.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "model"))

import govie  # noqa: E402
import govie.decoding as decoding  # noqa: E402
from govie.evaluation import score  # noqa: E402
from govie.schema import read_gold  # noqa: E402

NEVER = re.compile(r"(?!)")  # a pattern that matches nothing
SWITCH_OFF = {
    "status mark": ("STATUS_MARK", NEVER),
    "separators": ("SEPARATORS", set()),
    "touching pieces": ("JOIN_TOUCHING", ()),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="+", required=True)
    ap.add_argument("--model", default=None)
    args = ap.parse_args(argv)
    gold = [rec for path in args.data for rec in read_gold(path)]
    predictor = govie.load(args.model)
    print(f"{len(gold)} records from {', '.join(args.data)}; minimum entity score {predictor.min_entity_score}")
    print(f"{'setting':<22} {'entity F1':>9} {'EVENT':>7} {'DOC':>7} {'relation F1':>12}")
    for name in ["all rules", *SWITCH_OFF]:
        saved = None
        if name in SWITCH_OFF:
            attr, off = SWITCH_OFF[name]
            saved = getattr(decoding, attr)
            setattr(decoding, attr, off)
        try:
            rep = score(gold, predictor.predict([g.text for g in gold], batch_size=32))
        finally:
            if saved is not None:
                setattr(decoding, attr, saved)
        ents = rep["entities"]
        print(f"{name if name == 'all rules' else 'without ' + name:<22} {ents['micro']['f1']:>9.4f} "
              f"{ents['EVENT']['f1']:>7.4f} {ents['DOC']['f1']:>7.4f} {rep['relations']['micro']['f1']:>12.4f}")


if __name__ == "__main__":
    main()
