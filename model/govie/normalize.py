"""Text normalisation with an offset map back to the original text.

Scraped pages mix full-width and half-width forms, traditional characters, inline pinyin after
characters (縣委書(shū)記), HTML remnants and odd whitespace. The model sees one clean form; users
get offsets into the text they passed in. Every normalised character remembers the slice of the
original it came from, so a span [i, j) of the normalised text maps back to
original[starts[i]:ends[j - 1]].

Steps, in order:
1. HTML tags become one space; HTML entities (&nbsp; &amp; &#12345;) their character.
2. Inline pinyin right after a Han character, "(shū)" or "（qū）", is removed.
3. Each character: NFKC (width folding); zero-width and other format characters dropped;
   control characters, lone surrogates and every kind of space become " ", line breaks "\\n".
4. Traditional to simplified with OpenCC (t2s), kept only where it does not change lengths.
"""
from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,300})?/?|!--.{0,300}?--)>", re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")
_PINYIN_CHARS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（][{_PINYIN_CHARS}]{{1,7}}[)）]"
)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# One pinyin syllable, toned or not: initial, vowel cluster, final n/ng/r ("shū", "qu", "zhuang").
_SYLLABLE = re.compile(rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüê{_TONED}]{{1,3}}(?:ng|n|r)?")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, per character, the [start, end) slice of the original it came from.

    starts and ends are compact int64 arrays (8 bytes a character, not ~36 for a list of ints):
    a 1 MB page keeps its offset map in 16 MB.
    """

    text: str
    starts: Sequence[int]
    ends: Sequence[int]
    original: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty span [start, end) of the normalised text to the original text."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside normalised text of length {len(self.text)}")
        return self.starts[start], self.ends[end - 1]

    def from_original(self, start: int, end: int) -> tuple[int, int] | None:
        """Normalised span covering the original span [start, end); None if nothing of it survived."""
        # starts and ends are both non-decreasing, so two binary searches find the covered range.
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_right(self.ends, end) - 1
        if first > last:
            return None
        return first, last + 1


def _replacements(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, replacement) edits for tags, entities and pinyin, in order."""
    edits = []
    for m in _TAG.finditer(text):
        edits.append((m.start(), m.end(), " "))
    for m in _ENTITY.finditer(text):
        value = html.unescape(m.group())
        if value != m.group() and len(value) == 1:
            edits.append((m.start(), m.end(), value))
    for m in _PINYIN.finditer(text):
        if _SYLLABLE.fullmatch(m.group()[1:-1]):
            edits.append((m.start(), m.end(), ""))
    edits.sort()
    kept, last_end = [], 0
    for s, e, r in edits:
        if s >= last_end:
            kept.append((s, e, r))
            last_end = e
    return kept


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """Width-fold and clean one character; may return "" (dropped) or several characters."""
    if ch in _LINE_BREAKS:
        return "\n"
    cat = unicodedata.category(ch)
    if cat == "Cs" or cat == "Cc" or cat in ("Zs", "Zl", "Zp") or ch == "\t":
        return " "
    if cat == "Cf" or cat == "Mn" and ch in "\ufe00\ufe01\ufe02\ufe03\ufe0e\ufe0f":
        return ""  # zero-width spaces, joiners, BOM, variation selectors carry no meaning here
    folded = unicodedata.normalize("NFKC", ch)
    if any(unicodedata.category(c) in ("Zs",) for c in folded):
        folded = "".join(" " if unicodedata.category(c) == "Zs" else c for c in folded)
    return folded


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # OpenCC is a dependency; without it traditional text is kept as is
        return None
    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    converter = _t2s()
    if converter is None:
        return text
    out = converter.convert(text)
    if len(out) == len(text):
        return out
    # A phrase rule changed the length: fall back to character by character, which keeps it.
    chars = [converter.convert(c) for c in text]
    return "".join(c2 if len(c2) == 1 else c for c, c2 in zip(text, chars))


def normalize(text: str, simplify: bool = True) -> Normalized:
    """Normalise text for the model and keep the offset map to the original."""
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs a str, got {type(text).__name__}")
    out_chars: list[str] = []
    starts = array("q")
    ends = array("q")

    def emit(piece: str, s: int, e: int) -> None:
        for ch in piece:
            for folded in _fold_char(ch):
                out_chars.append(folded)
                starts.append(s)
                ends.append(e)

    pos = 0
    for s, e, replacement in _replacements(text):
        for i in range(pos, s):
            emit(text[i], i, i + 1)
        emit(replacement, s, e)
        pos = e
    for i in range(pos, len(text)):
        emit(text[i], i, i + 1)
    norm = "".join(out_chars)
    if simplify and norm:
        norm = _to_simplified(norm)
    return Normalized(text=norm, starts=starts, ends=ends, original=text)


def identity(text: str) -> Normalized:
    """The text as it is, with the trivial offset map (to measure what normalisation buys)."""
    if not isinstance(text, str):
        raise TypeError(f"identity() needs a str, got {type(text).__name__}")
    return Normalized(text=text, starts=array("q", range(len(text))), ends=array("q", range(1, len(text) + 1)),
                      original=text)
