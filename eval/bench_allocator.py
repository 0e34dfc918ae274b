"""What giving freed memory back costs and saves: speed and peak RSS under three allocator settings.

    python eval/bench_allocator.py [--chars 100000] [--texts news,no_punct]

Settings, each in a fresh process:
  trim    govie's default: malloc_trim after each batch (govie/allocator.py)
  off     GOVIE_MALLOC_TUNING=0: glibc as it comes (dynamic mmap threshold)
  mmap4m  GOVIE_MALLOC_TUNING=0 and MALLOC_MMAP_THRESHOLD_=4194304: large blocks always mmapped
Texts: "news" = the team paragraphs of eval/bench_speed.py repeated to --chars characters, as a
list; "no_punct" = one text of --chars characters without punctuation (eval/bench_memory.py).
Prints one JSON line per (text, setting): chars/s of the timed call and peak RSS (MiB).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETTINGS = {"trim": {}, "off": {"GOVIE_MALLOC_TUNING": "0"},
            "mmap4m": {"GOVIE_MALLOC_TUNING": "0", "MALLOC_MMAP_THRESHOLD_": "4194304"}}


def run_one(text_kind: str, chars: int) -> dict:
    sys.path[:0] = [str(HERE), str(HERE.parent / "model")]
    import govie
    from bench_memory import make_text
    from bench_speed import corpus

    predictor = govie.load(device="cpu")
    texts = corpus(chars) if text_kind == "news" else [make_text("1mb_no_punct", chars)]
    predictor.predict([t[:300] for t in texts[:8]], batch_size=32)  # warm-up
    t0 = time.perf_counter()
    predictor.predict(texts, batch_size=32)
    seconds = time.perf_counter() - t0
    n = sum(map(len, texts))
    return {"text": text_kind, "chars": n, "seconds": round(seconds, 2), "chars_per_s": round(n / seconds),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=100_000)
    ap.add_argument("--texts", default="news,no_punct")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.chars)))
        return
    for kind in args.texts.split(","):
        for name, extra in SETTINGS.items():
            env = {k: v for k, v in os.environ.items() if k != "MALLOC_MMAP_THRESHOLD_"}
            out = subprocess.run([sys.executable, __file__, "--one", kind, "--chars", str(args.chars)],
                                 env={**env, **extra}, capture_output=True, text=True, check=True).stdout
            print(json.dumps({"setting": name, **json.loads(out.strip().splitlines()[-1])}), flush=True)


if __name__ == "__main__":
    main()
