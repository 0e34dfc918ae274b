"""Predicting over big corpora: a directory of pages, a JSON Lines file, or a datasets.Dataset.

Output is written chunk by chunk, so an interrupted run loses at most one chunk, and `resume=True`
continues after the last complete line (line i of the output is always input record i). With
num_proc > 1 each worker process loads its own model and uses cpu_count / num_proc threads.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Iterator

# this process's loaded models, by settings; govie.predict() uses the bundled model's entry
_predictors: dict = {}
_predictors_lock = threading.Lock()
_worker_key = None  # the settings a predict_to_jsonl worker process was started with


def cached_predictor(model=None, device=None, quantize=None, batch_size: int = 16, min_entity_score=None):
    """One Predictor per settings and process (worker processes load their own once); thread-safe."""
    key = (str(model), str(device), quantize, batch_size, min_entity_score)
    with _predictors_lock:
        if key not in _predictors:
            from .predictor import load

            _predictors[key] = load(model, device=device, quantize=quantize, batch_size=batch_size,
                                    min_entity_score=min_entity_score)
        return _predictors[key]


def output_line(record: dict, result: dict, transform=None) -> str:
    """One JSON line: the (transformed) result, with the input record's id first if it has one."""
    if transform is not None:
        result = transform(result)
    if "id" in record:
        result = {"id": record["id"], **result}
    return json.dumps(result, ensure_ascii=False) + "\n"


def read_directory(folder: str | Path, pattern: str = "**/*.txt") -> list[dict]:
    """One record per file (the whole file is one text), id = its path relative to the folder."""
    folder = Path(folder)
    files = sorted(p for p in folder.glob(pattern) if p.is_file())
    return [{"id": str(p.relative_to(folder)), "text": p.read_text(encoding="utf-8", errors="replace")} for p in files]


def _init_worker(model, device, quantize, threads, batch_size, min_entity_score):
    global _worker_key
    import torch

    torch.set_num_threads(threads)
    _worker_key = (model, device, quantize, batch_size, min_entity_score)
    cached_predictor(*_worker_key)


def _predict_chunk(texts: list[str]) -> list[dict]:
    return cached_predictor(*_worker_key).predict(texts)


def _chunks(records: list[dict], size: int) -> Iterator[list[dict]]:
    for k in range(0, len(records), size):
        yield records[k:k + size]


def completed_lines(out_path: Path, records: list[dict]) -> int:
    """How many leading records the output already holds; drops a torn last line."""
    if not out_path.exists():
        return 0
    raw = out_path.read_bytes()
    keep = raw[: raw.rfind(b"\n") + 1]  # a line without its newline was cut by the interruption
    lines = keep.decode("utf-8").splitlines()
    if len(lines) > len(records):
        raise ValueError(f"{out_path} has {len(lines)} lines but the input has only {len(records)} records")
    for i, line in enumerate(lines):
        rid = records[i].get("id")
        if rid is not None and json.loads(line).get("id") != rid:
            raise ValueError(f"{out_path}:{i + 1} is for id {json.loads(line).get('id')!r}, input record {i} is "
                             f"{rid!r}: not the same input, will not resume")
    if len(keep) != len(raw):
        out_path.write_bytes(keep)
    return len(lines)


def predict_to_jsonl(records: list[dict], out_path: str | Path, model=None, device=None, quantize=None,
                     batch_size: int = 32, num_proc: int = 1, chunk_size: int = 256, resume: bool = False,
                     transform=None, progress: bool = True, min_entity_score=None) -> int:
    """Predict records {"id"?, "text"} into out_path (JSON Lines, same order). Returns lines written now."""
    out_path = Path(out_path)
    start = completed_lines(out_path, records) if resume else 0
    todo = records[start:]
    chunks = list(_chunks(todo, chunk_size))
    written = 0
    bar = None
    if progress and todo:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), initial=0, unit="text", desc=f"predict ({start} done before)" if start else "predict")
    with out_path.open("a" if resume else "w", encoding="utf-8") as sink:
        def write(chunk, results):
            nonlocal written
            for rec, res in zip(chunk, results):
                sink.write(output_line(rec, res, transform))
            sink.flush()
            written += len(chunk)
            if bar is not None:
                bar.update(len(chunk))

        if num_proc <= 1:
            predictor = cached_predictor(model, device, quantize, batch_size, min_entity_score)
            for chunk in chunks:
                write(chunk, predictor.predict([r["text"] for r in chunk]))
        else:
            from concurrent.futures import ProcessPoolExecutor
            import multiprocessing as mp

            threads = max(1, (os.cpu_count() or 1) // num_proc)
            with ProcessPoolExecutor(num_proc, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                                     initargs=(model, device, quantize, threads, batch_size, min_entity_score)) as pool:
                for chunk, results in zip(chunks, pool.map(_predict_chunk, [[r["text"] for r in c] for c in chunks])):
                    write(chunk, results)
    if bar is not None:
        bar.close()
    return written


def predict_dataset(dataset, text_column: str = "text", model=None, device=None, quantize=None,
                    batch_size: int = 32, num_proc: int | None = None, **map_kwargs):
    """A datasets.Dataset with "entities" and "relations" columns added (datasets caches the result:
    re-running the same call on the same data reads the cache instead of predicting again)."""
    if text_column not in dataset.column_names:
        raise ValueError(f"dataset has no column {text_column!r} (columns: {dataset.column_names})")

    def add(batch):
        results = cached_predictor(model, device, quantize, batch_size).predict(list(batch[text_column]))
        return {"entities": [r["entities"] for r in results], "relations": [r["relations"] for r in results]}

    return dataset.map(add, batched=True, batch_size=max(batch_size * 8, 64), num_proc=num_proc, **map_kwargs)
