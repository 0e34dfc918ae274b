"""The annotation schema (GUIDELINES.md, schema v1 rev 2) and the gold JSON Lines reader.

Everything that knows the entity types, the relation types or the BIO label set lives here,
so the model, the decoder, the data readers and the scorer cannot disagree.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

ENTITY_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "TITLE", "TIME", "NUM", "EVENT", "DOC")

# relation type -> (allowed head types, allowed tail types); head -> tail is the direction.
RELATION_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "任职": (frozenset({"PER"}), frozenset({"TITLE"})),
    "隶属": (frozenset({"PER", "TITLE"}), frozenset({"ORG"})),
    "主持": (frozenset({"PER", "ORG"}), frozenset({"EVENT"})),
    "时间": (frozenset({"EVENT"}), frozenset({"TIME"})),
    "捐赠": (frozenset({"PER", "ORG"}), frozenset({"ORG", "LOC", "PER"})),
}
RELATION_NAMES: tuple[str, ...] = tuple(RELATION_TYPES)

# A relation never crosses one of these (GUIDELINES: "from one 。！？; or line break to the next").
SENTENCE_END = frozenset("。！？；!?;\n")

BIO_LABELS: tuple[str, ...] = ("O",) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I"))
LABEL2ID = {label: i for i, label in enumerate(BIO_LABELS)}


def allowed_relations(head_type: str, tail_type: str) -> list[str]:
    """Relation types the schema allows from an entity of head_type to one of tail_type."""
    return [r for r, (heads, tails) in RELATION_TYPES.items() if head_type in heads and tail_type in tails]


def can_relate(head_type: str, tail_type: str) -> bool:
    return bool(allowed_relations(head_type, tail_type))


def sentence_ids(text: str) -> list[int]:
    """Sentence number of every character; the end mark belongs to the sentence it closes."""
    ids, sid = [], 0
    for ch in text:
        ids.append(sid)
        if ch in SENTENCE_END:
            sid += 1
    return ids


class GoldFormatError(ValueError):
    """A gold or training record breaks the format; the message starts with file:line."""


@dataclass
class Record:
    """One gold record: entities are (start, end, type) into text, relations (head, tail, type)."""

    id: str
    text: str
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    relations: list[tuple[int, int, str]] = field(default_factory=list)
    source: str | None = None

    def to_json(self) -> dict:
        out = {"id": self.id, "text": self.text, "entities": [list(e) for e in self.entities],
               "relations": [list(r) for r in self.relations]}
        if self.source is not None:
            out["source"] = self.source
        return out


def validate_record(obj: object, check_sentences: bool = True) -> Record:
    """Check one decoded JSON object against the format; raise ValueError with the reason."""
    if not isinstance(obj, dict):
        raise ValueError("record is not a JSON object")
    text, ents, rels = obj.get("text"), obj.get("entities"), obj.get("relations", [])
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    if not isinstance(ents, list):
        raise ValueError("'entities' must be a list")
    if not isinstance(rels, list):
        raise ValueError("'relations' must be a list")
    entities: list[tuple[int, int, str]] = []
    for i, ent in enumerate(ents):
        if not (isinstance(ent, (list, tuple)) and len(ent) == 3):
            raise ValueError(f"entity {i} is not [start, end, type]")
        s, e, t = ent
        if t not in ENTITY_TYPES:
            raise ValueError(f"entity {i} has unknown type {t!r}")
        if not (type(s) is int and type(e) is int and 0 <= s < e <= len(text)):
            raise ValueError(f"entity {i} has bad offsets [{s}, {e}] for a text of length {len(text)}")
        entities.append((s, e, t))
    order = sorted(range(len(entities)), key=lambda k: entities[k][:2])
    for a, b in zip(order, order[1:]):
        if entities[b][0] < entities[a][1]:
            raise ValueError(f"entities {a} and {b} overlap")
    sids = sentence_ids(text) if check_sentences else None
    relations: list[tuple[int, int, str]] = []
    for j, rel in enumerate(rels):
        if not (isinstance(rel, (list, tuple)) and len(rel) == 3):
            raise ValueError(f"relation {j} is not [head, tail, type]")
        h, t, r = rel
        if r not in RELATION_TYPES:
            raise ValueError(f"relation {j} has unknown type {r!r}")
        if not (type(h) is int and type(t) is int and 0 <= h < len(entities) and 0 <= t < len(entities)) or h == t:
            raise ValueError(f"relation {j} has bad entity indices [{h}, {t}]")
        if r not in allowed_relations(entities[h][2], entities[t][2]):
            raise ValueError(f"relation {j} {r} is not allowed from {entities[h][2]} to {entities[t][2]}")
        if sids is not None and sids[entities[h][0]] != sids[entities[t][0]]:
            raise ValueError(f"relation {j} {r} links entities of different sentences")
        relations.append((h, t, r))
    rid = obj.get("id")
    return Record(id=str(rid) if rid is not None else "", text=text, entities=entities,
                  relations=relations, source=obj.get("source"))


def read_gold(path: str | Path, check_sentences: bool = True) -> list[Record]:
    """Read a gold JSON Lines file; any bad record raises GoldFormatError naming file:line."""
    return list(iter_gold(path, check_sentences=check_sentences))


def iter_gold(path: str | Path, check_sentences: bool = True) -> Iterator[Record]:
    path = Path(path)
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFormatError(f"{path}:{lineno}: bad JSON: {exc.msg}") from None
            try:
                rec = validate_record(obj, check_sentences=check_sentences)
            except ValueError as exc:
                raise GoldFormatError(f"{path}:{lineno}: {exc}") from None
            if not rec.id:
                rec.id = f"{path.stem}:{lineno}"
            yield rec


def write_gold(records: Iterable[Record | dict], path: str | Path) -> int:
    n = 0
    with Path(path).open("w", encoding="utf-8") as f:
        for rec in records:
            obj = rec.to_json() if isinstance(rec, Record) else rec
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    return n
