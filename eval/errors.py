"""Error classes of a model on a gold file: boundary errors, type confusions, misses, spurious spans.

    python eval/errors.py --model runs/default/best --data ../shared/data/gold/dev.jsonl [--show 5]

Prints counts per class and type, with record ids; --show N prints N examples per class (for a
developer's eyes: do not paste dev-set text into the repository).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "model"))

import govie  # noqa: E402
from govie.schema import read_gold  # noqa: E402


def classify(gold, pred_ents):
    """Yield (class, type, gold span or None, pred span or None) for every non-exact entity."""
    g = {(s, e): t for s, e, t in gold}
    p = {(e["start"], e["end"]): e["type"] for e in pred_ents}
    for (s, e), t in g.items():
        if p.get((s, e)) == t:
            continue
        if (s, e) in p:
            yield "wrong type", f"{t}->{p[(s, e)]}", (s, e), (s, e)
            continue
        over = [(ps, pe) for (ps, pe) in p if ps < e and s < pe]
        if over:
            ps, pe = over[0]
            kind = ("boundary: too short" if s <= ps and pe <= e else
                    "boundary: too long" if ps <= s and e <= pe else "boundary: crossing")
            yield kind, t, (s, e), over[0]
        else:
            yield "missed", t, (s, e), None
    for (s, e), t in p.items():
        if (s, e) in g:
            continue
        if not any(gs < e and s < ge for gs, ge in g):
            yield "spurious", t, None, (s, e)


def classify_relations(gold, pred):
    """Yield (class, relation type) for every relation error: was it the entities or the relation head?"""
    g_ents = list(gold.entities)
    p_ents = [(e["start"], e["end"], e["type"]) for e in pred["entities"]]
    g_set = {(g_ents[h], g_ents[t], r) for h, t, r in gold.relations}
    p_set = {(p_ents[r["head"]], p_ents[r["tail"]], r["type"]) for r in pred["relations"]}
    found = set(p_ents)
    for h, t, r in g_set - p_set:
        both = h in found and t in found
        yield ("relation missed, entities right" if both else "relation missed, entity wrong"), r
    gold_spans = set(g_ents)
    for h, t, r in p_set - g_set:
        both = h in gold_spans and t in gold_spans
        yield ("relation spurious, entities right" if both else "relation spurious, entity wrong"), r


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--data", required=True)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--markdown", action="store_true", help="a table of counts and record ids, no text "
                                                             "(safe to commit for the dev set)")
    args = ap.parse_args(argv)
    gold = read_gold(args.data)
    preds = govie.load(args.model).predict([r.text for r in gold], batch_size=32)
    counts, ids, examples = Counter(), defaultdict(set), defaultdict(list)
    for rec, pred in zip(gold, preds):
        for cls, r in classify_relations(rec, pred):
            counts[(cls, r)] += 1
            ids[(cls, r)].add(rec.id)
        for cls, t, gs, ps in classify(rec.entities, pred["entities"]):
            counts[(cls, t)] += 1
            ids[(cls, t)].add(rec.id)
            if len(examples[(cls, t)]) < args.show:
                g = rec.text[gs[0]:gs[1]] if gs else "-"
                p = rec.text[ps[0]:ps[1]] if ps else "-"
                examples[(cls, t)].append(f"gold={g!r} pred={p!r}")
    if args.markdown:
        print("| errors | class | type | records | e.g. record ids |")
        print("|---|---|---|---|---|")
        for (cls, t), n in counts.most_common():
            print(f"| {n} | {cls} | {t} | {len(ids[(cls, t)])} | {', '.join(sorted(ids[(cls, t)])[:6])} |")
        return
    for (cls, t), n in counts.most_common():
        print(f"{n:5d}  {cls:<10} {t:<12} records: {len(ids[(cls, t)])}  e.g. {sorted(ids[(cls, t)])[:4]}")
        for ex in examples[(cls, t)]:
            print("         ", ex)


if __name__ == "__main__":
    main()
