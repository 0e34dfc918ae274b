"""A randomly initialised character-level BERT backbone folder (config, weights, vocab.txt tokenizer).

    python -m training.make_backbone OUT_DIR [--layers 4 --hidden 256 --heads 4 --chars-from FILE ...]

The vocabulary: the special tokens, "▁" for whitespace, every Han character of GB2312 (all valid
two-byte codes, decoded: a fixed, reproducible set), printable ASCII, full-width forms, CJK
punctuation, and the characters of any --chars-from files. Used as the random-init baseline and
by the tests, which build tiny backbones with it.
"""
from __future__ import annotations

import argparse
from pathlib import Path

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "▁"]


def gb2312_hanzi() -> list[str]:
    chars = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def base_charset() -> list[str]:
    chars = [chr(c) for c in range(0x21, 0x7F)]
    chars += [chr(c) for c in range(0x3000, 0x3040)]  # CJK punctuation
    chars += [chr(c) for c in range(0x2010, 0x2028)]  # dashes, quotes, ellipsis
    chars += list("·×÷°℃№‰←→↑↓①②③④⑤⑥⑦⑧⑨⑩")
    chars += gb2312_hanzi()
    return chars


def build_vocab(extra_text: str = "", base: bool = True) -> list[str]:
    seen, vocab = set(SPECIALS), list(SPECIALS)
    for ch in (base_charset() if base else []) + sorted(set(extra_text)):
        if ch not in seen and not ch.isspace():
            seen.add(ch)
            vocab.append(ch)
    return vocab


def save_char_tokenizer(vocab: list[str], out_dir: Path):
    from transformers import BertTokenizerFast

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    ids = {token: i for i, token in enumerate(vocab)}
    tok = BertTokenizerFast(vocab=ids, do_lower_case=False, tokenize_chinese_chars=True, strip_accents=False)
    tok.save_pretrained(out_dir)
    if BertTokenizerFast.from_pretrained(out_dir).get_vocab() != ids:
        raise RuntimeError(f"the tokenizer saved in {out_dir} does not read back its vocabulary")
    return tok


def make_random_backbone(out_dir: str | Path, vocab: list[str], layers: int = 4, hidden: int = 256,
                         heads: int = 4, intermediate: int | None = None, max_positions: int = 512, seed: int = 0):
    import torch
    from transformers import BertConfig, BertModel

    out_dir = Path(out_dir)
    torch.manual_seed(seed)
    tok = save_char_tokenizer(vocab, out_dir)
    config = BertConfig(vocab_size=len(vocab), hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=heads, intermediate_size=intermediate or 4 * hidden,
                        max_position_embeddings=max_positions, pad_token_id=0)
    BertModel(config, add_pooling_layer=False).save_pretrained(out_dir)
    return tok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--max-positions", type=int, default=512)
    parser.add_argument("--chars-from", nargs="*", default=[])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    extra = "".join(Path(p).read_text(encoding="utf-8") for p in args.chars_from)
    vocab = build_vocab(extra)
    make_random_backbone(args.out_dir, vocab, args.layers, args.hidden, args.heads,
                         max_positions=args.max_positions, seed=args.seed)
    print(f"wrote {args.out_dir}: vocab {len(vocab)}, {args.layers} layers x {args.hidden}")


if __name__ == "__main__":
    main()
