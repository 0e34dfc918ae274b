"""Characters to token ids, and long texts to model-sized windows.

govie tags characters, so every character of the normalised text is exactly one token: entity
boundaries can fall anywhere, and token i of a window is character window.start + i - 1 (after
[CLS]). The ids come from the backbone tokenizer's vocabulary (bert-base-chinese style, or the
character vocabulary our converters write); a character it lacks is [UNK].
"""
from __future__ import annotations

from dataclasses import dataclass

from .schema import SENTENCE_END

WHITESPACE_TOKENS = ("▁", "[SPACE]", "[unused1]")
# Preferred places to cut a sentence that is longer than a window.
_SOFT_BREAKS = frozenset("，、,：:）)」』”")


class CharEncoder:
    """Maps characters to the ids of a tokenizer's vocabulary, one id per character."""

    def __init__(self, tokenizer):
        vocab = tokenizer.get_vocab()
        self.vocab_size = len(tokenizer)
        self.cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
        self.sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.unk_id = tokenizer.unk_token_id
        if self.cls_id is None or self.sep_id is None or self.unk_id is None:
            raise ValueError("the tokenizer needs cls/bos, sep/eos and unk tokens")
        space = next((vocab[t] for t in WHITESPACE_TOKENS if t in vocab), self.unk_id)
        # Whole-character entries only; "##x" continuation pieces and multi-char pieces are unused.
        self._ids: dict[str, int] = {tok: i for tok, i in vocab.items() if len(tok) == 1}
        # Uncased vocabularies (bert-base-chinese) only have lower-case Latin letters.
        for ch in "".join(chr(c) for c in range(0x41, 0x5B)):
            if ch not in self._ids and ch.lower() in self._ids:
                self._ids[ch] = self._ids[ch.lower()]
        for ws in " \n\t\u3000":
            self._ids[ws] = space

    def encode(self, text: str) -> list[int]:
        get, unk = self._ids.get, self.unk_id
        return [get(ch, unk) for ch in text]

    def unknown_rate(self, text: str) -> float:
        if not text:
            return 0.0
        return sum(1 for ch in text if ch not in self._ids) / len(text)


@dataclass(frozen=True)
class Window:
    start: int
    end: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; the end mark stays with its sentence."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _cut_long(start: int, end: int, text: str, max_chars: int, no_cut: frozenset[int]) -> list[tuple[int, int]]:
    """Cut one over-long sentence into pieces of at most max_chars, at a comma where possible."""
    pieces = []
    while end - start > max_chars:
        limit = start + max_chars
        cut = None
        for pos in range(limit, start + max_chars * 2 // 3, -1):  # soft break in the last third
            if text[pos - 1] in _SOFT_BREAKS and pos not in no_cut:
                cut = pos
                break
        if cut is None:
            cut = next((p for p in range(limit, start, -1) if p not in no_cut), limit)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_windows(text: str, max_chars: int, no_cut: frozenset[int] = frozenset()) -> list[Window]:
    """Pack whole sentences into windows of at most max_chars characters.

    A sentence longer than a window is cut, at a comma where one is near, never at a position in
    no_cut (used in training to keep gold entities whole). Whitespace-only windows are dropped.
    """
    if max_chars < 8:
        raise ValueError("max_chars must be at least 8")
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        pieces.extend(_cut_long(s, e, text, max_chars, no_cut) if e - s > max_chars else [(s, e)])
    windows: list[Window] = []
    cur_start = cur_end = None
    for s, e in pieces:
        if cur_start is not None and e - cur_start <= max_chars:
            cur_end = e
            continue
        if cur_start is not None:
            windows.append(Window(cur_start, cur_end))
        cur_start, cur_end = s, e
    if cur_start is not None:
        windows.append(Window(cur_start, cur_end))
    return [w for w in windows if text[w.start:w.end].strip()]
