"""Synthetic gold records for govie, labelled by construction.

    python -m data.synth.generate --n 5000 --seed 0 --out FILE.jsonl

Texts are built piece by piece (plain text or one entity per piece), so every
offset is exact by construction. The same seed gives byte-identical output.
Variants: ~10 % traditional characters (OpenCC s2t per piece, kept only where
the length is unchanged), ~5 % inline pinyin, a few HTML remnants and
mojibake stretches between sentences.
"""
import argparse
import collections
import importlib.util
import json
import os
import random
import re
import sys
import time

from govie.schema import SENTENCE_END, sentence_ids

from . import lexicon as L
from . import macros
from .context import Ctx, Sentence
from .templates import FOOTS, HEADS, TEMPLATES

TOPIC_WEIGHTS = {"meet": 22, "insp": 12, "epi": 18, "don": 14, "vol": 7, "flood": 7, "pov": 7, "inv": 6,
                 "cong": 5, "honor": 5, "gen": 10}
P_TRAD, P_PINYIN, P_HTML, P_MOJIBAKE = 0.10, 0.05, 0.03, 0.02
P_HEAD, P_FOOT = 0.30, 0.30
MIN_LEN, MAX_LEN = 40, 300

_TOKEN = re.compile(r"\{([^{}]*)\}|<([^<>]*)>")
_DEFAULT_GEN = {"PER": "per", "TIME": "time_any"}
_REL = re.compile(r"^\s*(\w+)\s+(任职|隶属|主持|时间|捐赠)\s+(\w+)\s*$")


# ---------------------------------------------------------------------------- templates
class Construction:
    """One parsed template: a list of tokens and the relations between named slots."""

    def __init__(self, key, topic, template, rels):
        self.key, self.topic, self.template = key, topic, template
        self.tokens, pos = [], 0
        names = set()
        for m in _TOKEN.finditer(template):
            if m.start() > pos:
                self.tokens.append(("lit", template[pos:m.start()]))
            if m.group(1) is not None:
                tok = self._slot(m.group(1))
                if tok[0] in ("ent", "macro") and tok[1]:
                    assert tok[1] not in names, f"{key}: slot name {tok[1]} used twice"
                    names.add(tok[1])
                self.tokens.append(tok)
            else:
                self.tokens.append(("alt", m.group(2).split("|")))
            pos = m.end()
        if pos < len(template):
            self.tokens.append(("lit", template[pos:]))
        self.rels = []
        for part in filter(str.strip, rels.split(";")):
            m = _REL.match(part)
            assert m, f"{key}: bad relation {part!r}"
            h, r, t = m.groups()
            assert h in names and t in names, f"{key}: relation {part!r} names an unknown slot"
            self.rels.append((h, t, r))

    def _slot(self, body):
        if ":" not in body:
            return ("plain", body)
        name, rest = body.split(":", 1)
        if rest.startswith("@"):
            m = re.fullmatch(r"@(\w+)(?:\((\w*)\))?", rest)
            assert m, f"{self.key}: bad macro {rest!r}"
            fn = getattr(macros, "m_" + m.group(1), None)
            assert fn is not None, f"{self.key}: no macro {m.group(1)}"
            return ("macro", name, fn, m.group(2))
        if "=" in rest.split(":", 1)[0]:
            etype, lits = rest.split("=", 1)
            return ("ent", name, etype, ("lit", lits.split("|")))
        etype, gen = rest.split(":", 1) if ":" in rest else (rest, _DEFAULT_GEN[rest])
        return ("ent", name, etype, ("gen", gen))

    def build(self, x):
        s = Sentence(self.key)
        bound = {}
        for tok in self.tokens:
            kind = tok[0]
            if kind == "lit":
                s.lit(tok[1])
            elif kind == "alt":
                s.lit(x.c(tok[1]))
            elif kind == "plain":
                s.lit(x.gen(tok[1]))
            elif kind == "ent":
                _, name, etype, (src, val) = tok
                text = x.c(val) if src == "lit" else x.gen(val)
                quoted = text.startswith("“") and text.endswith("”") and text.count("“") == 1
                if quoted:                       # surrounding quotes stay outside the span
                    s.lit("“")
                    text = text[1:-1]
                i = s.ent(text, etype)
                if quoted:
                    s.lit("”")
                if name:
                    bound[name] = i
            else:
                _, name, fn, arg = tok
                i = fn(x, s, arg)
                if name:
                    bound[name] = i
        for h, t, r in self.rels:
            heads = bound[h] if isinstance(bound[h], list) else [bound[h]]
            tails = bound[t] if isinstance(bound[t], list) else [bound[t]]
            for hi in heads:
                for ti in tails:
                    s.rel(hi, ti, r)
        return s


def _parse(entries, prefix):
    out = []
    for i, (topic, tpl, rels) in enumerate(entries):
        out.append(Construction(f"{prefix}{i:03d}-{topic}", topic, tpl, rels))
    return out


BODY = _parse(TEMPLATES, "b")
HEAD = _parse(HEADS, "h")
FOOT = _parse(FOOTS, "f")
BY_TOPIC = collections.defaultdict(list)
for _c in BODY:
    BY_TOPIC[_c.topic].append(_c)
N_CONSTRUCTIONS = len(BODY) + len(HEAD) + len(FOOT)
_FOOT_FIELDS = {c.key: {f for f, words in (("source", ("来源",)), ("time", ("发布时间", "datetime")),
                                          ("count", ("阅读次数", "点击")), ("icp", ("icp",)),
                                          ("editor", ("编辑",)), ("author", ("作者",)))
                        if any(w in c.template for w in words)} for c in FOOT}


# ---------------------------------------------------------------------------- variants
_OPENCC = None
_S2T_CACHE = {}


def _s2t(text):
    global _OPENCC
    if text not in _S2T_CACHE:
        if _OPENCC is None:
            try:
                import opencc
            except ImportError as exc:  # pragma: no cover
                raise ImportError("traditional variants need opencc-python-reimplemented") from exc
            _OPENCC = opencc.OpenCC("s2t")
        t = _OPENCC.convert(text)
        _S2T_CACHE[text] = t if len(t) == len(text) else text   # keep offsets exact
    return _S2T_CACHE[text]


def _mojibake(r):
    src = r.choice(["疫情防控工作", "志愿者在社区门口", "全县党员干部", "捐赠物资发放到位", "新闻中心", "返回首页"])
    raw = src.encode("utf-8")
    if r.random() < 0.6:
        s = raw.decode("gbk", errors="replace")
    else:
        s = raw.decode("cp1252", errors="replace")
    s = "".join(ch for ch in s if ch.isprintable() and ch not in SENTENCE_END)
    return s or "锟斤拷锟斤拷"


def _noise(r):
    if r.random() < 0.6:
        return r.choice(["&nbsp;", "&nbsp;&nbsp;", "<br>", "<br/>", "<br />", "</p><p>", "&nbsp;<br>", "\u3000\u3000"])
    return r.choice(["", " "]) + _mojibake(r) + r.choice(["", " "])


# ---------------------------------------------------------------------------- records
def _compose(x, r):
    """Choose the constructions of one record: [(Construction | None, separator-before)]."""
    topic = r.choices(list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values()))[0]
    n_body = r.choices([1, 2, 3, 4], [25, 35, 25, 15])[0]
    parts = []
    if r.random() < P_HEAD:
        parts.append(r.choice(HEAD))
    for _ in range(n_body):
        pool = BY_TOPIC[topic] if r.random() < 0.75 else BODY
        c = r.choice(pool)
        if c not in parts:       # one construction at most once per record
            parts.append(c)
    if r.random() < P_FOOT:
        seen = set()
        for c in r.sample(FOOT, r.choice([1, 1, 2, 3])):
            if not (_FOOT_FIELDS[c.key] & seen):     # one source line, one counter ... per page
                parts.append(c)
                seen |= _FOOT_FIELDS[c.key]
    return parts


def _build_record(x, r, noisy):
    parts = _compose(x, r)
    units = []          # (Sentence | separator str)
    length = 0
    n_body = 0
    for c in parts:
        s = c.build(x)
        ln = len(s.text())
        sep = ""
        if units:
            if c.key.startswith("f"):
                sep = r.choice(["\n", "\n", " ", "  "]) if not units[-1][0].name.startswith("f") else r.choice(["\n", "  ", " "])
            elif c.key.startswith("b") and n_body:
                sep = "\n" if r.random() < 0.12 else ""
                if noisy and r.random() < 0.5:
                    sep = _noise(r) + sep
        if length + len(sep) + ln > MAX_LEN:
            if c.key.startswith("b") and n_body == 0:
                continue
            break
        units.append((s, sep))
        length += len(sep) + ln
        n_body += c.key.startswith("b")
    while length < MIN_LEN or n_body == 0:
        c = r.choice(BODY)
        if any(u.name == c.key for u, _ in units):
            continue
        s = c.build(x)
        if length + len(s.text()) > MAX_LEN:
            if n_body:
                break
            continue
        # a body sentence added afterwards goes before the footers
        pos = next((i for i, (u, _) in enumerate(units) if u.name.startswith("f")), len(units))
        sep_after = units[pos][1] if pos < len(units) else ""
        units.insert(pos, (s, ""))
        if pos < len(units) - 1:
            units[pos + 1] = (units[pos + 1][0], sep_after or "\n")
        length += len(s.text())
        n_body += 1
    return units


def _render(units, r, trad, pinyin):
    """Apply the variants piece by piece and compute offsets."""
    pieces, ent_piece, rels, sent_keys = [], [], [], []
    for s, sep in units:
        if sep:
            pieces.append((sep, "NOISE"))
        base = len(ent_piece)
        for text, etype in s.pieces:
            if etype:
                ent_piece.append(len(pieces))
            pieces.append((text, etype))
        rels.extend((h + base, t + base, rr) for h, t, rr in s.rels)
        sent_keys.append(s.name)

    out = []         # (text, etype) after the variants
    new_index = {}   # old piece index -> new piece index (for entities)
    for pi, (text, etype) in enumerate(pieces):
        if etype == "NOISE":
            out.append((text, None))
            continue
        shown = _s2t(text) if trad else text
        trailing = ""
        if pinyin:
            buf = []
            for k, (orig, ch) in enumerate(zip(text, shown)):
                buf.append(ch)
                py = L.PINYIN.get(orig)
                if py and r.random() < 0.12:
                    mark = f"({py})" if r.random() < 0.8 else f"（{py}）"
                    if etype and k == len(text) - 1:
                        trailing = mark       # pinyin after the entity's last character stays outside
                    else:
                        buf.append(mark)
            shown = "".join(buf)
        if etype:
            new_index[pi] = len(out)
        out.append((shown, etype))
        if trailing:
            out.append((trailing, None))

    text_parts, offsets, pos = [], {}, 0
    for i, (t, _) in enumerate(out):
        offsets[i] = (pos, pos + len(t))
        text_parts.append(t)
        pos += len(t)
    text = "".join(text_parts)
    entities = []
    for old in ent_piece:
        ni = new_index[old]
        s, e = offsets[ni]
        assert text[s:e] == out[ni][0]
        entities.append([s, e, out[ni][1]])
    return text, entities, [list(x) for x in rels], sent_keys


def _self_check(rec):
    text, ents = rec["text"], rec["entities"]
    sid = sentence_ids(text)
    for s, e, t in ents:
        span = text[s:e]
        assert span and span == span.strip(), (rec["id"], span)
        assert span[0] not in "，。、；：,.;:”）)" and span[-1] not in "，。、；：,.;:“（(", (rec["id"], span)
    for h, t, r in rec["relations"]:
        assert sid[ents[h][0]] == sid[ents[t][0]], (rec["id"], r, text)
    spans = sorted((s, e) for s, e, _ in ents)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert s2 >= e1, (rec["id"], text)


def generate_with_stats(n, seed=0):
    r = random.Random(seed)
    records = []
    used = collections.Counter()
    variants = collections.Counter()
    for i in range(n):
        for _attempt in range(20):
            x = Ctx(r)
            trad = r.random() < P_TRAD
            pinyin = r.random() < P_PINYIN
            noisy = r.random() < P_HTML + P_MOJIBAKE
            units = _build_record(x, r, noisy)
            text, ents, rels, keys = _render(units, r, trad, pinyin)
            if MIN_LEN <= len(text) <= MAX_LEN:   # pinyin can push a text over the limit: rebuild it
                break
        rec = {"id": f"synth-{seed}-{i}", "text": text, "entities": ents, "relations": rels, "source": "synth"}
        _self_check(rec)
        records.append(rec)
        used.update(keys)
        variants.update(k for k, v in (("traditional", trad), ("pinyin", pinyin), ("noise", noisy)) if v)
    stats = {"constructions_used": len(used), "constructions_total": N_CONSTRUCTIONS,
             "construction_counts": dict(sorted(used.items())), "variants": dict(variants)}
    return records, stats


def generate(n: int, seed: int = 0) -> list:
    """n gold records in the guidelines' JSON Lines format, deterministic by seed."""
    return generate_with_stats(n, seed)[0]


def _load_check():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    path = os.path.join(os.path.dirname(root), "shared", "annotation", "annotate.py")
    if not os.path.exists(path):
        return None
    spec = importlib.util.spec_from_file_location("govie_annotate", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.check


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    t0 = time.time()
    records, stats = generate_with_stats(args.n, args.seed)
    elapsed = time.time() - t0
    with open(args.out, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    ents = collections.Counter(e[2] for rec in records for e in rec["entities"])
    rels = collections.Counter(r[2] for rec in records for r in rec["relations"])
    print(f"wrote {len(records)} records to {args.out} in {elapsed:.1f}s")
    print("entities:  " + "  ".join(f"{k} {ents[k]}" for k in sorted(ents)))
    print("relations: " + "  ".join(f"{k} {rels[k]}" for k in sorted(rels)))
    print(f"constructions used: {stats['constructions_used']} of {stats['constructions_total']}")
    print("variants:  " + "  ".join(f"{k} {v}" for k, v in sorted(stats["variants"].items())))
    check = _load_check()
    if check is not None:
        bad = sum(1 for rec in records if check(rec))
        print(f"check(): {bad} records with problems")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
