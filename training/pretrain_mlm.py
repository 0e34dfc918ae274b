"""Masked-LM pre-training of a character-level BERT on the Chinese text available offline.

    # our own compact backbone, from random weights, on MSRA + CLUENER + team + synthetic text
    python -m training.pretrain_mlm OUT_DIR --layers 4 --hidden 256 --minutes 15
    # domain-adaptive pre-training of an existing backbone on your own corpus (any GPU or CPU)
    python -m training.pretrain_mlm OUT_DIR --init backbones/e5-small-chars --text my_pages/*.txt

Characters are the tokens (as in fine-tuning: govie.encoding.CharEncoder), windows of up to
--max-len characters, 15% masked (80% [MASK], 10% random character, 10% kept). The vocabulary is
the --vocab-from backbone's (default: backbones/e5-small-chars) or, with --init, the initial
model's. Writes OUT_DIR as a backbone folder (BertModel weights + tokenizer) that training configs
name as `backbone:`, and OUT_DIR/mlm_log.jsonl with the loss curve, tokens seen and wall time.
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import random
import sys
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "model", REPO):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from govie.encoding import CharEncoder, split_windows  # noqa: E402


def corpus_texts(sources: list[str], text_files: list[str], log) -> list[str]:
    """Raw texts of the named sources (msra, cluener, team, synth) plus any text files."""
    from data.sources import load_source

    specs = {"msra": {"kind": "msra"}, "cluener": {"kind": "cluener"},
             "team": {"kind": "jsonl", "path": "data/annotated/team-[a-f].jsonl", "name": "team"},
             "synth": {"kind": "synth", "n": 6000, "seed": 0}}
    texts = []
    for name in sources:
        if name not in specs:
            raise ValueError(f"unknown source {name!r}; choose from {sorted(specs)}")
        spec = dict(specs[name])
        if spec.get("path"):
            spec["path"] = str(REPO / spec["path"])
        records, _, problems = load_source(spec)
        texts.extend(r.text for r in records)
        log({"source": name, "texts": len(records), "chars": sum(len(r.text) for r in records),
             "reader_skipped": dict(problems)})
    for pattern in text_files:
        files = sorted(glob.glob(pattern))
        if not files:
            raise FileNotFoundError(f"--text {pattern}: no such file")
        for f in files:
            lines = [ln for ln in Path(f).read_text(encoding="utf-8").splitlines() if ln.strip()]
            texts.extend(lines)
            log({"source": f, "texts": len(lines), "chars": sum(map(len, lines))})
    return texts


def mask_tokens(ids: torch.Tensor, special: torch.Tensor, mask_id: int, vocab_size: int,
                rng: torch.Generator, rate: float = 0.15) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking: labels are -100 except at the chosen positions."""
    labels = ids.clone()
    chosen = (torch.rand(ids.shape, generator=rng) < rate) & ~special
    labels[~chosen] = -100
    inputs = ids.clone()
    r = torch.rand(ids.shape, generator=rng)
    inputs[chosen & (r < 0.8)] = mask_id
    rand_pos = chosen & (r >= 0.8) & (r < 0.9)
    inputs[rand_pos] = torch.randint(5, vocab_size, (int(rand_pos.sum()),), generator=rng)
    return inputs, labels


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--init", default=None, help="continue from this backbone folder (domain-adaptive pre-training)")
    ap.add_argument("--vocab-from", default="backbones/e5-small-chars", help="tokenizer for a new model")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--sources", nargs="*", default=["msra", "cluener", "team", "synth"])
    ap.add_argument("--text", nargs="*", default=[], help="extra plain-text files (one text per line), globs allowed")
    ap.add_argument("--max-len", type=int, default=126)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--max-steps", type=int, default=100_000)
    ap.add_argument("--minutes", type=float, default=None, help="stop after this wall time (the step budget "
                                                                  "then sets the schedule: give both)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM, get_linear_schedule_with_warmup

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / "mlm_log.jsonl"
    log_path.write_text("")

    def log(obj):
        line = json.dumps(obj, ensure_ascii=False)
        print(line, flush=True)
        with log_path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")

    torch.manual_seed(args.seed)
    if args.init:
        tokenizer = AutoTokenizer.from_pretrained(args.init)
        model = BertForMaskedLM.from_pretrained(args.init)
    else:
        tokenizer = AutoTokenizer.from_pretrained(str(REPO / args.vocab_from) if (REPO / args.vocab_from).exists()
                                                  else args.vocab_from)
        config = BertConfig(vocab_size=len(tokenizer), hidden_size=args.hidden, num_hidden_layers=args.layers,
                            num_attention_heads=args.heads, intermediate_size=4 * args.hidden,
                            max_position_embeddings=512, pad_token_id=tokenizer.pad_token_id)
        model = BertForMaskedLM(config)
    encoder = CharEncoder(tokenizer)
    mask_id = tokenizer.mask_token_id
    if mask_id is None:
        raise ValueError("the tokenizer has no mask token")

    texts = corpus_texts(args.sources, args.text, log)
    windows = []
    for text in texts:
        for w in split_windows(text, args.max_len):
            piece = text[w.start:w.end]
            if piece.strip():
                windows.append([encoder.cls_id] + encoder.encode(piece) + [encoder.sep_id])
    n_tokens = sum(map(len, windows))
    log({"event": "corpus", "windows": len(windows), "tokens": n_tokens,
         "unk_rate": sum(t.count(encoder.unk_id) for t in windows) / max(n_tokens, 1),
         "parameters": sum(p.numel() for p in model.parameters())})
    if not windows:
        raise ValueError("no text to pre-train on")

    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.05 * args.max_steps), args.max_steps)
    model.train()
    t0, seen, step, running = time.time(), 0, 0, []
    order = []
    while step < args.max_steps:
        if args.minutes is not None and time.time() - t0 > args.minutes * 60:
            break
        if len(order) < args.batch_size:
            # length-sorted chunks, shuffled: little padding
            idx = list(range(len(windows)))
            rng.shuffle(idx)
            chunks = [sorted(idx[k:k + args.batch_size * 50], key=lambda i: len(windows[i]))
                      for k in range(0, len(idx), args.batch_size * 50)]
            batches = [c[k:k + args.batch_size] for c in chunks for k in range(0, len(c), args.batch_size)]
            rng.shuffle(batches)
            order = [i for b in batches for i in b]
        batch, order = order[:args.batch_size], order[args.batch_size:]
        length = max(len(windows[i]) for i in batch)
        ids = torch.full((len(batch), length), encoder.pad_id, dtype=torch.long)
        attn = torch.zeros_like(ids)
        for b, i in enumerate(batch):
            ids[b, :len(windows[i])] = torch.tensor(windows[i])
            attn[b, :len(windows[i])] = 1
        special = (ids == encoder.cls_id) | (ids == encoder.sep_id) | (attn == 0)
        inputs, labels = mask_tokens(ids, special, mask_id, len(tokenizer), gen)
        loss = model(input_ids=inputs, attention_mask=attn, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        seen += int(attn.sum())
        running.append(loss.item())
        if step % 100 == 0:
            log({"event": "step", "step": step, "loss": sum(running) / len(running), "tokens_seen": seen,
                 "seconds": round(time.time() - t0, 1), "tokens_per_s": round(seen / (time.time() - t0))})
            running = []
    model.bert.save_pretrained(out)  # the encoder only: a backbone folder for training configs
    tokenizer.save_pretrained(out)
    log({"event": "done", "steps": step, "tokens_seen": seen, "seconds": round(time.time() - t0, 1),
         "final_loss": math.nan if not running else sum(running) / len(running)})


if __name__ == "__main__":
    main()
