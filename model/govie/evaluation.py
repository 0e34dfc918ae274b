"""Scoring predictions against gold, kept apart from the model.

Entities: seqeval in strict mode with the IOB2 scheme over character tags, per type and micro.
Relations: strict: a predicted relation counts only if the head span and type, the tail span and
type, and the label all match a gold relation of the same record.
"""
from __future__ import annotations

from collections import Counter

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from .decoding import spans_to_bio
from .schema import ENTITY_TYPES, RELATION_NAMES, Record


def _as_spans_and_relations(item) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    if isinstance(item, Record):
        return list(item.entities), list(item.relations)
    ents = [(e["start"], e["end"], e["type"]) if isinstance(e, dict) else tuple(e) for e in item["entities"]]
    rels = [(r["head"], r["tail"], r["type"]) if isinstance(r, dict) else tuple(r) for r in item.get("relations", [])]
    return ents, rels


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": n_gold, "predicted": n_pred, "correct": tp}


def score(gold: list[Record], predicted: list) -> dict:
    """Report for parallel lists of gold records and predictions (dicts from predict() or Records)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold records but {len(predicted)} predictions")
    y_true, y_pred = [], []
    rel_tp, rel_pred, rel_gold = Counter(), Counter(), Counter()
    for g, p in zip(gold, predicted):
        text = g.text
        if isinstance(p, dict) and "text" in p and p["text"] != text:
            raise ValueError(f"prediction for record {g.id!r} is for another text")
        g_ents, g_rels = _as_spans_and_relations(g)
        p_ents, p_rels = _as_spans_and_relations(p)
        y_true.append(spans_to_bio(len(text), g_ents))
        y_pred.append(spans_to_bio(len(text), p_ents))
        g_set = {(g_ents[h], g_ents[t], r) for h, t, r in g_rels}
        p_set = {(p_ents[h], p_ents[t], r) for h, t, r in p_rels}
        for _, _, r in g_set:
            rel_gold[r] += 1
        for _, _, r in p_set:
            rel_pred[r] += 1
        for _, _, r in g_set & p_set:
            rel_tp[r] += 1
    report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    entities = {}
    for etype in ENTITY_TYPES:
        row = report.get(etype)
        if row is None:
            entities[etype] = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
        else:
            entities[etype] = {"precision": row["precision"], "recall": row["recall"], "f1": row["f1-score"],
                               "support": int(row["support"])}
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
    entities["micro"] = {"precision": micro["precision"], "recall": micro["recall"], "f1": micro["f1-score"],
                         "support": int(micro["support"])}
    relations = {r: _prf(rel_tp[r], rel_pred[r], rel_gold[r]) for r in RELATION_NAMES}
    relations["micro"] = _prf(sum(rel_tp.values()), sum(rel_pred.values()), sum(rel_gold.values()))
    return {"records": len(gold), "entities": entities, "relations": relations}


def format_report(report: dict) -> str:
    lines = [f"records: {report['records']}", "",
             f"{'entities':<10}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for name, row in report["entities"].items():
        lines.append(f"{name:<10}{row['precision']:>8.4f}{row['recall']:>8.4f}{row['f1']:>8.4f}{row['support']:>9}")
    lines += ["", f"{'relations':<10}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for name, row in report["relations"].items():
        label = name if name == "micro" else name
        lines.append(f"{label:<10}{row['precision']:>8.4f}{row['recall']:>8.4f}{row['f1']:>8.4f}{row['support']:>9}")
    return "\n".join(lines)
