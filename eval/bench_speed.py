"""CPU throughput of govie.predict against transformers' token-classification pipeline on the
same weights, and against two lexical taggers for scale.

    python eval/bench_speed.py [--model FOLDER] [--chars 200000] [--json eval/reports/speed.json]

Corpus: the team's annotated paragraphs (data/annotated/team-[a-f].jsonl, 150-230 characters
each) repeated until --chars characters; every system reads the same paragraphs.
Each system runs in its own subprocess so that its load time and peak RSS are its own:

- govie fp32 / govie int8: `govie.load(...).predict(corpus, batch_size=32)`, entities AND relations,
  on the plain-torch runtime (govie/runtime.py); govie fp32 hf: the same through transformers'
  BertModel (`backend="transformers"`), to show what the runtime saves at import and load.
- pipeline b1 / pipeline b32: `transformers.pipeline("token-classification",
  aggregation_strategy="simple")` over a BertForTokenClassification holding the same encoder
  and tag layer weights (entities only, no constrained decoding, no relations, no normalisation),
  at its default batch size 1 and at 32.
- jieba.posseg and thulac (segmentation + POS, no entities): lexical peers, for scale.

Latency: one 300-character paragraph, 30 single calls after 3 warm-up calls; p50 and p95.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "model"))

SYSTEMS = ("govie-fp32", "govie-int8", "govie-fp32-hf", "pipeline-b1", "pipeline-b32", "jieba-posseg", "thulac")


def corpus(n_chars: int) -> list[str]:
    paragraphs = [json.loads(line)["text"] for f in sorted(glob.glob(str(REPO / "data/annotated/team-[a-f].jsonl")))
                  for line in open(f, encoding="utf-8")]
    out, total = [], 0
    while total < n_chars:
        for p in paragraphs:
            out.append(p)
            total += len(p)
            if total >= n_chars:
                break
    return out


def paragraph_300() -> str:
    """A fixed ~300-character input for the latency figure: consecutive team paragraphs joined."""
    text = ""
    for p in corpus(2000):
        text += p
        if len(text) >= 300:
            return text[:300]
    return text


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_pipeline_model(govie_dir: str, out_dir: str) -> None:
    """A BertForTokenClassification with govie's encoder and tag layer (same weights, fp32)."""
    import govie
    from transformers import AutoModelForTokenClassification

    predictor = govie.load(govie_dir, device="cpu", backend="transformers")
    model = predictor.model
    enc_cfg = model.config.encoder_config()
    enc_cfg.num_labels = len(model.config.labels)
    enc_cfg.id2label = dict(enumerate(model.config.labels))
    enc_cfg.label2id = {lab: i for i, lab in enumerate(model.config.labels)}
    tc = AutoModelForTokenClassification.from_config(enc_cfg)
    base = getattr(tc, tc.base_model_prefix)
    missing, unexpected = base.load_state_dict(model.encoder.state_dict(), strict=False)
    assert not [k for k in missing if "pooler" not in k], missing
    tc.classifier.load_state_dict(model.tagger.state_dict())
    tc.save_pretrained(out_dir)
    predictor.tokenizer.save_pretrained(out_dir)


def run_system(name: str, model_dir: str | None, n_chars: int) -> dict:
    texts = corpus(n_chars)
    one = paragraph_300()
    t0 = time.perf_counter()
    if name.startswith("govie"):
        import govie

        predictor = govie.load(model_dir, device="cpu", quantize="int8" if name.endswith("int8") else None,
                               backend="transformers" if name.endswith("-hf") else "auto")
        run_batch = lambda xs: predictor.predict(xs, batch_size=32)  # noqa: E731
        run_one = predictor.predict
    elif name.startswith("pipeline"):
        from transformers import pipeline

        folder = os.environ["GOVIE_BENCH_PIPELINE_DIR"]
        nlp = pipeline("token-classification", model=folder, aggregation_strategy="simple", device=-1)
        bs = 1 if name.endswith("b1") else 32
        run_batch = lambda xs: nlp(xs, batch_size=bs)  # noqa: E731
        run_one = nlp
    elif name == "jieba-posseg":
        import jieba
        import jieba.posseg as pseg

        jieba.setLogLevel(60)
        jieba.initialize()
        run_batch = lambda xs: [list(pseg.cut(x)) for x in xs]  # noqa: E731
        run_one = lambda x: list(pseg.cut(x))  # noqa: E731
    elif name == "thulac":
        import thulac

        tagger = thulac.thulac()
        run_batch = lambda xs: [tagger.cut(x) for x in xs]  # noqa: E731
        run_one = tagger.cut
    else:
        raise ValueError(name)
    load_s = time.perf_counter() - t0
    for _ in range(3):
        run_one(one)
    lat = []
    for _ in range(30):
        t = time.perf_counter()
        run_one(one)
        lat.append(time.perf_counter() - t)
    t = time.perf_counter()
    run_batch(texts)
    seconds = time.perf_counter() - t
    chars = sum(map(len, texts))
    q = statistics.quantiles(lat, n=20)
    return {"system": name, "paragraphs": len(texts), "chars": chars, "seconds": round(seconds, 2),
            "chars_per_s": round(chars / seconds), "paragraphs_per_s": round(len(texts) / seconds, 1),
            "latency_300_p50_ms": round(statistics.median(lat) * 1000, 1), "latency_300_p95_ms": round(q[18] * 1000, 1),
            "load_s": round(load_s, 2), "peak_rss_mib": round(peak_rss_mib())}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="govie model folder (default: the bundled model)")
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--systems", nargs="*", default=list(SYSTEMS), choices=SYSTEMS)
    ap.add_argument("--json", default=None, help="write the rows here")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)  # internal: run one system in this process
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_system(args.one, args.model, args.chars)))
        return
    import torch

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GOVIE_BENCH_PIPELINE_DIR=tmp)
        if any(s.startswith("pipeline") for s in args.systems):
            import govie

            build_pipeline_model(args.model or str(govie.DEFAULT_MODEL_DIR), tmp)
        for name in args.systems:
            cmd = [sys.executable, __file__, "--one", name, "--chars", str(args.chars)]
            if args.model:
                cmd += ["--model", args.model]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), flush=True)
    by = {r["system"]: r for r in rows}
    pipes = [by[s]["chars_per_s"] for s in ("pipeline-b1", "pipeline-b32") if s in by]
    summary = {"torch_threads": torch.get_num_threads(), "cpu_count": os.cpu_count(), "rows": rows}
    if pipes:
        best_pipe = max(pipes)
        summary["ratio_vs_best_pipeline"] = {s: round(by[s]["chars_per_s"] / best_pipe, 2)
                                             for s in ("govie-fp32", "govie-int8") if s in by}
        print("ratio vs best pipeline:", summary["ratio_vs_best_pipeline"])
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
