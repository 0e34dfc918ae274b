"""From tag scores to entity spans, and from entities to relation candidates.

Decoding is constrained to valid BIO: I-X may only follow B-X or I-X, so every decoded span has
one type and a beginning. The best valid path is found by Viterbi over the per-token
log-probabilities, batched over windows.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import torch

from .schema import BIO_LABELS, allowed_relations


@lru_cache(maxsize=8)
def transition_mask(labels: tuple[str, ...] = BIO_LABELS) -> tuple[np.ndarray, np.ndarray]:
    """(allowed[prev, next], allowed_start[next]) as bool arrays for the BIO scheme."""
    n = len(labels)
    allowed = np.ones((n, n), dtype=bool)
    start = np.ones(n, dtype=bool)
    for j, lab in enumerate(labels):
        if lab.startswith("I-"):
            etype = lab[2:]
            start[j] = False
            for i, prev in enumerate(labels):
                allowed[i, j] = prev in (f"B-{etype}", f"I-{etype}")
    allowed.flags.writeable = False
    start.flags.writeable = False
    return allowed, start


_NEG = -1e4


def viterbi_bio(log_probs, lengths: list[int], labels: tuple[str, ...] = BIO_LABELS) -> list[list[int]]:
    """Best valid BIO label ids per sequence. log_probs: [batch, length, labels] (no specials).

    Runs in NumPy: the per-step work is a [batch, 17, 17] max, far too small to pay torch's
    per-operation overhead.
    """
    if isinstance(log_probs, torch.Tensor):
        log_probs = log_probs.detach().float().cpu().numpy()
    allowed, start_ok = transition_mask(tuple(labels))
    trans = np.where(allowed, 0.0, _NEG).astype(log_probs.dtype)
    batch, max_len, n = log_probs.shape
    if max_len == 0:
        return [[] for _ in range(batch)]
    score = log_probs[:, 0] + np.where(start_ok, 0.0, _NEG).astype(log_probs.dtype)
    back = np.zeros((batch, max_len, n), dtype=np.int64)
    lengths_a = np.asarray(lengths)
    for t in range(1, max_len):
        cand = score[:, :, None] + trans[None]  # [batch, prev, next]
        idx = cand.argmax(axis=1)
        new = np.take_along_axis(cand, idx[:, None, :], axis=1)[:, 0] + log_probs[:, t]
        active = (lengths_a > t)[:, None]
        score = np.where(active, new, score)
        back[:, t] = np.where(active, idx, 0)
    # Backtrack all sequences at once; a sequence joins when t reaches its last position.
    cur = score.argmax(axis=1)
    out = np.zeros((batch, max_len), dtype=np.int64)
    rows = np.arange(batch)
    for t in range(max_len - 1, -1, -1):
        active = lengths_a > t
        out[:, t] = np.where(active, cur, 0)
        if t:
            cur = np.where(active, back[rows, t, cur], cur)
    paths = [out[b, :length].tolist() for b, length in enumerate(lengths)]
    return paths


def bio_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) spans of a BIO tag sequence; a stray I-X starts a new span."""
    spans, start, etype = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != etype):
            if start is not None:
                spans.append((start, i, etype))
            start, etype = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


# Bracket and quote pairs. The guidelines leave surrounding punctuation, quotes and 《》 out of a
# span (except 《》 of a DOC), and a name's own brackets are always balanced inside it.
PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》", "〈": "〉", "(": ")", "（": "）",
         "【": "】", "[": "]", "〔": "〕"}
CLOSERS = {c: o for o, c in PAIRS.items()}
SENTENCE_ENDS = set("。！？!?；;\n")
# A name never begins or ends with a separator; the tagger sometimes runs onto one in a list.
SEPARATORS = set("、，,。；;：:！？!?")
MAX_QUOTE_GAP = 12  # characters between the two halves of a quoted name that the tagger split


def _unbalanced(piece: str, opener: str) -> int:
    """How many more openers than closers of this pair the piece holds."""
    return piece.count(opener) - piece.count(PAIRS[opener])


def _wraps(text: str, s: int, e: int) -> bool:
    """text[s] opens a pair that closes exactly at text[e - 1]."""
    opener, depth = text[s], 0
    closer = PAIRS.get(opener)
    if closer is None or text[e - 1] != closer or e - s < 2:
        return False
    for i in range(s, e):
        depth += (text[i] == opener) - (text[i] == closer)
        if depth == 0:
            return i == e - 1
    return False


def trim_span(text: str, s: int, e: int, etype: str) -> tuple[int, int]:
    """Drop punctuation the span should not hold: a separator (、，；…) at either edge, an opener
    at its end, a closer at its start, an opener or closer whose partner is not inside, and a
    pair that wraps the whole span (a DOC keeps its 《》). Returns the new (start, end);
    start == end when nothing is left."""
    while s < e:
        first, last = text[s], text[e - 1]
        if first in SEPARATORS or first in CLOSERS or (first in PAIRS and _unbalanced(text[s:e], first) > 0):
            s += 1
        elif (last in SEPARATORS or last in PAIRS
              or (last in CLOSERS and _unbalanced(text[s:e], CLOSERS[last]) < 0)):
            e -= 1
        elif _wraps(text, s, e) and not (etype == "DOC" and first == "《"):
            s, e = s + 1, e - 1
        else:
            break
    return s, e


def _splits_a_quote(text: str, prev: tuple, span: tuple) -> bool:
    """prev opens a quote that span closes, a few characters later in the same sentence: the
    tagger tends to break a quoted name at its inner comma (“学习…，疫情…”活动)."""
    gap = text[prev[1]:span[0]]
    if len(gap) > MAX_QUOTE_GAP or SENTENCE_ENDS & set(gap):
        return False
    return any(_unbalanced(text[prev[0]:prev[1]], opener) > 0 and _unbalanced(text[span[0]:span[1]], opener) < 0
               and opener not in gap and closer not in gap for opener, closer in PAIRS.items())


# Two events or two documents are never written back to back: they are joined by 及/和/暨 or a
# separator. Touching spans of these types are one name the tagger broke (at a verb inside a
# ceremony's name, at a line break inside a notice's title); titles in 《》《》 stay two.
JOIN_TOUCHING = ("EVENT", "DOC")


def _touching_pieces(text: str, prev: tuple, span: tuple) -> bool:
    return (prev[1] == span[0] and span[2] in JOIN_TOUCHING
            and not (text[prev[1] - 1] == "》" and text[span[0]] == "《"))


def join_pieces(text: str, spans: list[tuple]) -> list[tuple]:
    """Join neighbouring spans of one type that are pieces of one name: touching EVENT/DOC
    pieces, and a quoted name split at its inner comma. Spans are (start, end, type, score) in
    text order; a joined span's score is the length-weighted mean."""
    out: list[tuple] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev and prev[2] == span[2] and (_touching_pieces(text, prev, span) or _splits_a_quote(text, prev, span)):
            a, b = prev[1] - prev[0], span[1] - span[0]
            out[-1] = (prev[0], span[1], prev[2], (prev[3] * a + span[3] * b) / (a + b))
        else:
            out.append(span)
    return out


# A status mark written after a document's name is not part of it (the guidelines keep only a
# DOC's own 《》; 《…（草案）》 keeps the mark, since it is inside the title). The closer may be
# missing when the tagger stopped one character short.
STATUS_MARK = re.compile(r"[（(](?:修订)?(?:草案|试行|暂行|修订稿|征求意见稿|送审稿)[）)]?$")


def drop_status_mark(text: str, s: int, e: int, etype: str) -> int:
    """The end of a DOC span without a trailing （草案）-style status mark."""
    if etype == "DOC":
        mark = STATUS_MARK.search(text, s, e)
        if mark and mark.start() > s:
            return mark.start()
    return e


# A name with a qualifier is never a single character: such EVENT/DOC spans are fragments.
MIN_LENGTH = {"EVENT": 2, "DOC": 2}


def tidy_spans(text: str, spans: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Decoded spans (start, end, type, score) after the span rules of the guidelines: touching
    EVENT/DOC pieces and split quoted names joined, status marks cut off documents, surrounding
    punctuation trimmed, one-character EVENT/DOC fragments dropped."""
    tidy = []
    for s, e, etype, score in join_pieces(text, spans):
        s, e = trim_span(text, s, drop_status_mark(text, s, e, etype), etype)
        if e - s >= MIN_LENGTH.get(etype, 1):
            tidy.append((s, e, etype, score))
    return tidy


def spans_to_bio(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * length
    for s, e, t in spans:
        tags[s] = f"B-{t}"
        for i in range(s + 1, e):
            tags[i] = f"I-{t}"
    return tags


def candidate_pairs(entities: list[tuple[int, int, str]], sentence_of: list[int]) -> list[tuple[int, int]]:
    """Ordered pairs (head, tail) of entities in one sentence whose types some relation allows.

    sentence_of[i] is the sentence number of entity i (of its first character).
    """
    pairs = []
    for h, (_, _, ht) in enumerate(entities):
        for t, (_, _, tt) in enumerate(entities):
            if h != t and sentence_of[h] == sentence_of[t] and allowed_relations(ht, tt):
                pairs.append((h, t))
    return pairs


def bucket(value: int, edges: tuple[int, ...] = (0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128)) -> int:
    """Log-spaced bucket of a non-negative integer (used for distances and counts)."""
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges)


N_BUCKETS = 15
