"""Peak memory and time of predict() on hostile inputs, each case in a fresh process.

    python eval/bench_memory.py [--model M] [--cases 1mb_no_punct,100k_lines] [--chars 1000000]

Cases:
  1mb_no_punct  one text of --chars Han characters with no punctuation at all
  100k_lines    one text of 100,000 short lines (each a line break, so each its own sentence)
Each prints one JSON line: case, characters, seconds, peak RSS (MiB) and the RSS after loading the
model, entities found, and whether every offset checks out (text[start:end] == span).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_text(case: str, chars: int) -> str:
    rng = random.Random(0)
    pool = "县委书记市长镇党委政府召开会议研究部署疫情防控工作李王张刘陈杨赵黄周吴检查督导人民医院村社区"
    if case == "1mb_no_punct":
        return "".join(rng.choice(pool) for _ in range(chars))
    if case == "100k_lines":
        return "\n".join("".join(rng.choice(pool) for _ in range(rng.randint(3, 12))) for _ in range(100_000))
    raise ValueError(case)


def run_case(case: str, model: str | None, chars: int) -> dict:
    sys.path.insert(0, str(REPO / "model"))
    import govie

    text = make_text(case, chars)
    predictor = govie.load(model, device="cpu")
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.time()
    res = predictor.predict(text, batch_size=32)
    seconds = time.time() - t0
    ok = all(text[e["start"]:e["end"]] == e["text"] for e in res["entities"])
    return {"case": case, "chars": len(text), "seconds": round(seconds, 1),
            "chars_per_s": round(len(text) / seconds), "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "rss_after_load_mib": round(rss_loaded), "entities": len(res["entities"]),
            "relations": len(res["relations"]), "offsets_ok": ok}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--cases", default="1mb_no_punct,100k_lines")
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_case(args.one, args.model, args.chars)))
        return
    for case in args.cases.split(","):
        cmd = [sys.executable, __file__, "--one", case, "--chars", str(args.chars)]
        if args.model:
            cmd += ["--model", args.model]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        print(out, flush=True)


if __name__ == "__main__":
    main()
