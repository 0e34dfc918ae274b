"""Model inputs shared by training and prediction: windows of a record, relation candidates, batches.

A training example is one window of one normalised record: its character ids, its BIO label per
character, the gold entities inside it and the gold relations between them. Gold offsets are
mapped through the normalisation map; anything that cannot be mapped is counted, not dropped
silently.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import torch

from .decoding import N_BUCKETS, bucket, candidate_pairs
from .encoding import CharEncoder, split_windows
from .normalize import normalize
from .schema import BIO_LABELS, ENTITY_TYPES, LABEL2ID, RELATION_NAMES, Record, sentence_ids

TYPE2ID = {t: i for i, t in enumerate(ENTITY_TYPES)}
REL2ID = {r: i + 1 for i, r in enumerate(RELATION_NAMES)}  # 0 is "no relation"


@dataclass
class WindowExample:
    input_ids: list[int]  # characters only; [CLS]/[SEP] are added when batching
    labels: list[int]  # BIO label id per character
    entities: list[tuple[int, int, int]]  # (start, end, type id), window character offsets, sorted
    sentence_of: list[int]  # sentence number of each entity
    relations: dict[tuple[int, int], int]  # (head, tail) entity indices -> relation id
    annotated_types: frozenset[str] = frozenset(ENTITY_TYPES)
    has_relations: bool = True
    record_id: str = ""


@dataclass
class ConversionStats:
    records: int = 0
    windows: int = 0
    entities: int = 0
    relations: int = 0
    skipped: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {"records": self.records, "windows": self.windows, "entities": self.entities,
                "relations": self.relations, "skipped": dict(self.skipped)}


def pair_features(entities: list[tuple[int, int, int]], pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(signed distance bucket, entities-between bucket) for each (head, tail); entities sorted by start."""
    feats = []
    for h, t in pairs:
        d = entities[t][0] - entities[h][0]
        feats.append((bucket(abs(d)) + (N_BUCKETS if d < 0 else 0), bucket(abs(t - h) - 1)))
    return feats


def record_to_examples(record: Record, encoder: CharEncoder, max_window: int,
                       annotated_types: frozenset[str] = frozenset(ENTITY_TYPES), has_relations: bool = True,
                       stats: ConversionStats | None = None) -> list[WindowExample]:
    stats = stats if stats is not None else ConversionStats()
    stats.records += 1
    norm = normalize(record.text)
    ents: list[tuple[int, int, str, int]] = []  # normalised (start, end, type, original index)
    for k, (s, e, t) in enumerate(record.entities):
        mapped = norm.from_original(s, e)
        if mapped is None:
            stats.skipped["entity removed by normalisation"] += 1
            continue
        ents.append((mapped[0], mapped[1], t, k))
    ents.sort()
    no_cut = frozenset(p for s, e, _, _ in ents for p in range(s + 1, e))
    examples = []
    text_sids = sentence_ids(norm.text)
    for win in split_windows(norm.text, max_window, no_cut=no_cut):
        inside = [en for en in ents if win.start <= en[0] and en[1] <= win.end]
        labels = [LABEL2ID["O"]] * (win.end - win.start)
        for s, e, t, _ in inside:
            labels[s - win.start] = LABEL2ID[f"B-{t}"]
            for i in range(s + 1 - win.start, e - win.start):
                labels[i] = LABEL2ID[f"I-{t}"]
        local = {orig: j for j, (_, _, _, orig) in enumerate(inside)}
        rels = {}
        for h, t, r in record.relations:
            if h in local and t in local:
                rels[(local[h], local[t])] = REL2ID[r]
            elif h in local or t in local:
                stats.skipped["relation cut by a window"] += 1
        sentence_of = [text_sids[s] for s, _, _, _ in inside]
        cand = set(candidate_pairs([(s, e, t) for s, e, t, _ in inside], sentence_of))
        for pair in [p for p in rels if p not in cand]:
            stats.skipped["relation across normalised sentences"] += 1
            del rels[pair]
        stats.relations += len(rels)
        stats.entities += len(inside)
        stats.windows += 1
        examples.append(WindowExample(
            input_ids=encoder.encode(norm.text[win.start:win.end]),
            labels=labels,
            entities=[(s - win.start, e - win.start, TYPE2ID[t]) for s, e, t, _ in inside],
            sentence_of=sentence_of,
            relations=rels,
            annotated_types=annotated_types,
            has_relations=has_relations,
            record_id=record.id,
        ))
    covered = sum(len(ex.entities) for ex in examples)
    if covered < len(ents):
        stats.skipped["entity on whitespace-only window"] += len(ents) - covered
    return examples


def _allowed_for_o(annotated: frozenset[str]) -> torch.Tensor:
    """Labels an unmarked character may really have: O, or any tag of a type the source never marks."""
    mask = torch.zeros(len(BIO_LABELS), dtype=torch.bool)
    for i, lab in enumerate(BIO_LABELS):
        mask[i] = lab == "O" or lab[2:] not in annotated
    return mask


def collate(examples: list[WindowExample], encoder: CharEncoder, with_relations: bool = True) -> dict:
    """Pad a list of windows into model inputs: [CLS] chars [SEP], label masks, relation pairs."""
    n = len(examples)
    length = max(len(ex.input_ids) for ex in examples) + 2
    input_ids = torch.full((n, length), encoder.pad_id, dtype=torch.long)
    attention = torch.zeros((n, length), dtype=torch.long)
    label_mask = torch.zeros((n, length, len(BIO_LABELS)), dtype=torch.bool)
    spans, pairs, feats, pair_labels = [], [], [], []
    o_masks: dict[frozenset[str], torch.Tensor] = {}
    for b, ex in enumerate(examples):
        m = len(ex.input_ids)
        input_ids[b, : m + 2] = torch.tensor([encoder.cls_id] + ex.input_ids + [encoder.sep_id])
        attention[b, : m + 2] = 1
        labels = torch.tensor(ex.labels, dtype=torch.long)
        rows = torch.nn.functional.one_hot(labels, len(BIO_LABELS)).bool()
        if ex.annotated_types != frozenset(ENTITY_TYPES):
            if ex.annotated_types not in o_masks:
                o_masks[ex.annotated_types] = _allowed_for_o(ex.annotated_types)
            rows[labels == LABEL2ID["O"]] = o_masks[ex.annotated_types]
        label_mask[b, 1: m + 1] = rows
        if not (with_relations and ex.has_relations and ex.entities):
            continue
        base = len(spans)
        for s, e, t in ex.entities:
            spans.append((b, s + 1, e, t))  # +1 for [CLS]; last token of [s, e) is e - 1 + 1
        cand = candidate_pairs([(s, e, ENTITY_TYPES[t]) for s, e, t in ex.entities], ex.sentence_of)
        for (h, t), f in zip(cand, pair_features(ex.entities, cand)):
            pairs.append((base + h, base + t))
            feats.append(f)
            pair_labels.append(ex.relations.get((h, t), 0))
    batch = {"input_ids": input_ids, "attention_mask": attention, "label_mask": label_mask}
    if pairs:
        batch.update(entity_spans=torch.tensor(spans, dtype=torch.long),
                     pairs=torch.tensor(pairs, dtype=torch.long),
                     pair_features=torch.tensor(feats, dtype=torch.long),
                     pair_labels=torch.tensor(pair_labels, dtype=torch.long))
    return batch
