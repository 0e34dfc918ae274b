"""Fine-tune a GovieModel: python -m training.train CONFIG.yaml [--resume] [--set key=value ...]

The config names the backbone (a local folder or a Hub id), the data sources with their weights,
the hyper-parameters and the seed. Runs on CPU, one GPU, or many GPUs with
`accelerate launch -m training.train CONFIG.yaml`. Each epoch: dev evaluation, a line of metrics
in OUTPUT/metrics.jsonl, the best model kept in OUTPUT/best (a folder govie.load() reads), the
training state in OUTPUT/last for --resume.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
import yaml

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "model", REPO):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from govie.encoding import CharEncoder  # noqa: E402
from govie.evaluation import format_report, score  # noqa: E402
from govie.features import ConversionStats, collate, record_to_examples  # noqa: E402
from govie.modeling_govie import GovieModel  # noqa: E402
from govie.predictor import Predictor  # noqa: E402
from govie.schema import ENTITY_TYPES, read_gold  # noqa: E402

DEFAULTS = {
    "seed": 13, "max_window": 126, "epochs": 3, "batch_size": 16, "lr": 5e-5, "head_lr": 1e-3,
    "weight_decay": 0.01, "warmup_ratio": 0.06, "relation_weight": 1.0, "max_steps_per_epoch": None,
    "eval_path": None, "eval_limit": None, "init_from": None, "grad_clip": 1.0, "freeze_embeddings": False,
    "encoder_layers": None, "random_init": False,
}


def load_config(path: str | Path, overrides: list[str] = ()) -> dict:
    cfg = dict(DEFAULTS)
    cfg.update(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    for item in overrides:
        key, _, value = item.partition("=")
        cfg[key] = yaml.safe_load(value)
    for key in ("backbone", "output_dir", "sources"):
        if not cfg.get(key) and not (key == "backbone" and cfg.get("init_from")):
            raise ValueError(f"config {path} needs '{key}'")
    return cfg


def resolve(path: str | None) -> str | None:
    """Config paths are relative to the repository root; Hub ids pass through."""
    if path is None:
        return None
    p = Path(path)
    return str(REPO / p) if not p.is_absolute() and (REPO / p).exists() else str(path)


def build_examples(cfg: dict, encoder: CharEncoder, log) -> list[tuple[list, float]]:
    """Per source: (window examples, weight). Prints what each source gave and what it skipped."""
    from data.sources import load_source

    out = []
    for spec in cfg["sources"]:
        records, types, problems = load_source(spec)
        if not spec.get("partial_labels", True):
            # naive mixing (the ablation baseline): unannotated types count as O
            types = frozenset(ENTITY_TYPES)
        stats = ConversionStats()
        examples = []
        for rec in records:
            examples.extend(record_to_examples(rec, encoder, cfg["max_window"], annotated_types=types,
                                               has_relations=spec.get("relations", spec["kind"] not in ("msra", "cluener")),
                                               stats=stats))
        info = {"source": spec.get("name", spec["kind"]), "weight": spec.get("weight", 1.0),
                "types": sorted(types), **stats.as_dict(), "reader_skipped": dict(problems)}
        log(info)
        out.append((examples, float(spec.get("weight", 1.0))))
    return out


def sample_epoch(sources, rng: random.Random) -> list:
    """Weight w: floor(w) copies of every example plus a random (w - floor(w)) share."""
    epoch = []
    for examples, weight in sources:
        whole, frac = int(weight), weight - int(weight)
        for _ in range(whole):
            epoch.extend(examples)
        epoch.extend(rng.sample(examples, round(frac * len(examples))))
    return epoch


def length_batches(examples: list, batch_size: int, rng: random.Random) -> list[list]:
    """Shuffle, sort within chunks by length (less padding), then shuffle the batches."""
    order = examples[:]
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for k in range(0, len(order), chunk):
        part = sorted(order[k:k + chunk], key=lambda ex: len(ex.input_ids))
        batches.extend(part[i:i + batch_size] for i in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def evaluate(model, tokenizer, records, max_window: int) -> dict:
    predictor = Predictor(model, tokenizer, device=next(model.parameters()).device, max_window=max_window)
    was_training = model.training
    preds = predictor.predict([r.text for r in records], batch_size=32)
    model.train(was_training)
    return score(records, preds)


def train(cfg: dict, resume: bool = False) -> dict:
    from accelerate import Accelerator
    from accelerate.utils import set_seed
    from tqdm.auto import tqdm
    from transformers import AutoTokenizer, get_linear_schedule_with_warmup

    out_dir = Path(resolve(cfg["output_dir"]) or cfg["output_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    accelerator = Accelerator()
    set_seed(cfg["seed"])
    metrics_path = out_dir / "metrics.jsonl"

    def log(obj):
        if accelerator.is_main_process:
            line = json.dumps(obj, ensure_ascii=False)
            print(line, flush=True)
            with metrics_path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")

    if cfg.get("init_from"):
        model = GovieModel.from_pretrained(resolve(cfg["init_from"]))
        tokenizer = AutoTokenizer.from_pretrained(resolve(cfg["init_from"]))
    else:
        model = GovieModel.from_backbone(resolve(cfg["backbone"]), num_layers=cfg["encoder_layers"],
                                         pretrained=not cfg["random_init"], max_window=cfg["max_window"])
        tokenizer = AutoTokenizer.from_pretrained(resolve(cfg["backbone"]))
    model.config.max_window = cfg["max_window"]
    encoder = CharEncoder(tokenizer)
    log({"event": "config", **{k: v for k, v in cfg.items() if k != "sources"}, "sources": cfg["sources"]})
    sources = build_examples(cfg, encoder, log)
    dev = read_gold(resolve(cfg["eval_path"]))[: cfg["eval_limit"]] if cfg.get("eval_path") else None

    if cfg.get("freeze_embeddings"):
        for p in model.encoder.get_input_embeddings().parameters():
            p.requires_grad = False
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.") and p.requires_grad]
    enc_params = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    optimizer = torch.optim.AdamW([{"params": enc_params, "lr": cfg["lr"]},
                                   {"params": head_params, "lr": cfg["head_lr"]}],
                                  weight_decay=cfg["weight_decay"])
    n_epoch_examples = len(sample_epoch(sources, random.Random(0)))
    steps_per_epoch = math.ceil(n_epoch_examples / cfg["batch_size"])
    if cfg.get("max_steps_per_epoch"):
        steps_per_epoch = min(steps_per_epoch, cfg["max_steps_per_epoch"])
    total = steps_per_epoch * cfg["epochs"]
    scheduler = get_linear_schedule_with_warmup(optimizer, int(cfg["warmup_ratio"] * total), total)
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)

    start_epoch, best = 0, {"score": float("-inf")}
    state_dir = out_dir / "last"
    if resume and (state_dir / "progress.json").exists():
        accelerator.load_state(str(state_dir))
        progress = json.loads((state_dir / "progress.json").read_text())
        start_epoch, best = progress["epoch"] + 1, progress["best"]
        log({"event": "resumed", "from_epoch": start_epoch})

    for epoch in range(start_epoch, cfg["epochs"]):
        rng = random.Random(cfg["seed"] * 1000 + epoch)
        batches = length_batches(sample_epoch(sources, rng), cfg["batch_size"], rng)[:steps_per_epoch]
        batches = batches[accelerator.process_index::accelerator.num_processes]
        model.train()
        t0, chars, sums = time.time(), 0, {"loss": 0.0, "tag": 0.0, "rel": 0.0}
        bar = tqdm(batches, desc=f"epoch {epoch}", disable=not accelerator.is_main_process, mininterval=5)
        for step, batch_examples in enumerate(bar, 1):
            batch = {k: v.to(accelerator.device) for k, v in collate(batch_examples, encoder).items()}
            out = model(**batch, relation_weight=cfg["relation_weight"])
            accelerator.backward(out.loss)
            if cfg["grad_clip"]:
                accelerator.clip_grad_norm_(model.parameters(), cfg["grad_clip"])
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            chars += sum(len(ex.input_ids) for ex in batch_examples)
            sums["loss"] += out.loss.item()
            sums["tag"] += out.tag_loss.item() if out.tag_loss is not None else 0.0
            sums["rel"] += out.relation_loss.item() if out.relation_loss is not None else 0.0
            if step % 50 == 0:
                bar.set_postfix(loss=f"{sums['loss'] / step:.3f}")
            if step % 200 == 0:
                log({"event": "step", "epoch": epoch, "step": step, "loss": sums["loss"] / step,
                     "tag_loss": sums["tag"] / step, "relation_loss": sums["rel"] / step,
                     "chars_per_s": chars / (time.time() - t0)})
        n = max(len(batches), 1)
        row = {"event": "epoch", "epoch": epoch, "steps": len(batches), "loss": sums["loss"] / n,
               "tag_loss": sums["tag"] / n, "relation_loss": sums["rel"] / n,
               "train_chars_per_s": chars / max(time.time() - t0, 1e-9), "seconds": time.time() - t0}
        unwrapped = accelerator.unwrap_model(model)
        if dev is not None and accelerator.is_main_process:
            t_eval = time.time()
            rep = evaluate(unwrapped, tokenizer, dev, cfg["max_window"])
            row["dev_chars_per_s"] = sum(len(r.text) for r in dev) / (time.time() - t_eval)
            row.update(dev_entity_f1=rep["entities"]["micro"]["f1"], dev_relation_f1=rep["relations"]["micro"]["f1"],
                       dev_entity_f1_by_type={k: round(v["f1"], 4) for k, v in rep["entities"].items()})
            current = rep["entities"]["micro"]["f1"] + rep["relations"]["micro"]["f1"]
        else:
            rep, current = None, -row["loss"]
        log(row)
        if accelerator.is_main_process and current > best["score"]:
            best = {"score": current, "epoch": epoch}
            unwrapped.save_pretrained(out_dir / "best")
            tokenizer.save_pretrained(out_dir / "best")
            if rep is not None:
                (out_dir / "best" / "dev_report.json").write_text(json.dumps(rep, ensure_ascii=False, indent=1))
        accelerator.save_state(str(state_dir))
        if accelerator.is_main_process:
            (state_dir / "progress.json").write_text(json.dumps({"epoch": epoch, "best": best}))
    log({"event": "done", "best": best})
    return best


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config")
    parser.add_argument("--resume", action="store_true", help="continue from OUTPUT/last")
    # extend, not store: a second --set must add to the first, never replace it silently
    parser.add_argument("--set", nargs="+", action="extend", default=[], metavar="KEY=VALUE",
                        help="override config values (repeatable)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    train(load_config(args.config, args.set), resume=args.resume)


if __name__ == "__main__":
    main()
