"""Loading a model folder and predicting entities and relations on raw text.

text -> normalise (offset map) -> windows of whole sentences -> character ids -> encoder ->
BIO Viterbi -> entities -> candidate pairs -> relation head -> spans on the ORIGINAL text.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np
import torch

from .allocator import release_free_memory
from .decoding import bio_to_spans, candidate_pairs, tidy_spans, viterbi_bio
from .encoding import CharEncoder, split_windows
from .features import pair_features
from .normalize import Normalized, identity, normalize
from .quantization import QUANTIZATIONS, load_calibration, quantize_int8
from .schema import sentence_ids

if TYPE_CHECKING:  # transformers is imported only when a model needs it (see runtime.py)
    from .modeling_govie import GovieModel

DEFAULT_MODEL_DIR = Path(__file__).parent / "default_model"
REQUIRED_FILES = ("config.json", "model.safetensors")
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt")
BACKENDS = ("auto", "torch", "transformers")
# Candidate pairs scored per call of the relation head: a window dense with entities has thousands
# of pairs, and a batch of such windows would otherwise need one [pairs, 3 x hidden] block at once.
MAX_PAIRS_PER_CALL = 4096
# Batches between two malloc_trim calls on CPU: a trim costs ~10 ms, so short calls never pay it,
# and long ones stay within a few batches' worth of freed memory (eval/reports/memory.md).
TRIM_EVERY = 8


class ModelFilesError(OSError):
    """A model folder is missing a file or holds a corrupt one; the message names the file."""


def check_model_folder(folder: Path) -> None:
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise ModelFilesError(f"model folder {folder} has no {name}")
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise ModelFilesError(f"model folder {folder} has no tokenizer file ({' or '.join(TOKENIZER_FILES)})")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFilesError(f"{folder / 'config.json'} is not valid JSON: {exc}") from None
    if config.get("model_type") != "govie":
        raise ModelFilesError(f"{folder / 'config.json'} is not a govie model (model_type={config.get('model_type')!r})")
    from safetensors import safe_open

    try:
        with safe_open(str(folder / "model.safetensors"), framework="pt") as f:
            keys = list(f.keys())
    except Exception as exc:  # safetensors raises several error types for a damaged header
        raise ModelFilesError(f"{folder / 'model.safetensors'} is corrupt: {exc}") from None
    if not keys:
        raise ModelFilesError(f"{folder / 'model.safetensors'} holds no tensors")


def resolve_device(device: str | torch.device | None) -> torch.device:
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' was asked for but CUDA is not available")
    return dev


def _check_texts(texts) -> tuple[list[str], bool]:
    if isinstance(texts, str):
        return [texts], True
    if texts is None or isinstance(texts, (bytes, bytearray)) or not isinstance(texts, Iterable):
        raise TypeError(f"predict() needs a str or a list of str, got {type(texts).__name__}")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"predict() needs str items; item {i} is {type(t).__name__}")
    return texts, False


class Predictor:
    """A loaded model ready to predict. Thread-safe: predict() keeps no state between calls."""

    def __init__(self, model: "GovieModel", tokenizer, device: torch.device | None = None,
                 batch_size: int = 16, max_window: int | None = None, normalization: bool = True,
                 quantize: str | None = None, min_entity_score: float | None = None,
                 span_rules: bool = True, _owns_model: bool = False, _int8_maxima=None):
        self.device = resolve_device(device)
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        self.encoder = CharEncoder(tokenizer)
        self.batch_size = batch_size
        self.quantize = quantize
        # normalization=False feeds the raw text (for measuring what normalisation is worth).
        self._normalize = normalize if normalization else identity
        limit = model.config.encoder_config().max_position_embeddings - 2
        self.max_window = min(max_window or model.config.max_window, limit)
        # None: the model's own setting (config.json), 0.0 for folders written before it existed
        if min_entity_score is None:
            min_entity_score = getattr(model.config, "min_entity_score", 0.0)
        if not 0.0 <= min_entity_score <= 1.0:
            raise ValueError(f"min_entity_score must lie in [0, 1], got {min_entity_score!r}")
        self.min_entity_score = float(min_entity_score)
        # span_rules=False keeps the tagger's spans as decoded (decoding.tidy_spans: quoted names
        # split at a comma joined, surrounding punctuation trimmed, 1-character EVENT/DOC dropped)
        self.span_rules = span_rules
        if quantize is not None:
            if quantize not in QUANTIZATIONS:
                raise ValueError(f"quantize must be one of {QUANTIZATIONS} or None, got {quantize!r}")
            if self.device.type != "cpu":
                raise ValueError("quantize='int8' runs on CPU only; use device='cpu'")
            # calibrates with this (fp32) predictor, then swaps; a model that load() built for
            # this predictor alone is quantised in place, a caller's model is copied first
            self.model = quantize_int8(self, inplace=_owns_model, maxima=_int8_maxima)

    @classmethod
    def load(cls, path_or_hub_id: str | Path | None = None, device=None, backend: str = "auto",
             **kwargs) -> "Predictor":
        """backend: "torch" runs a BERT-encoder folder in plain torch (runtime.py, no transformers
        import: the fast start), "transformers" builds GovieModel, "auto" takes the first that fits."""
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        source = Path(path_or_hub_id) if path_or_hub_id is not None else DEFAULT_MODEL_DIR
        if source.exists():
            if not source.is_dir():
                raise ModelFilesError(f"{source} is not a model folder")
            check_model_folder(source)
            if kwargs.get("quantize") == "int8":
                kwargs["_int8_maxima"] = load_calibration(source)
            if backend != "transformers":
                from .runtime import CharVocab, RuntimeModel, UnsupportedModel

                try:
                    model, vocab = RuntimeModel.from_folder(source), CharVocab.from_folder(source)
                except UnsupportedModel:
                    if backend == "torch":
                        raise
                else:
                    return cls(model, vocab, device=device, _owns_model=True, **kwargs)
        elif backend == "torch":
            raise ValueError(f"backend='torch' needs a local model folder; {source} does not exist")
        return cls._load_with_transformers(source, path_or_hub_id, device, **kwargs)

    @classmethod
    def _load_with_transformers(cls, source: Path, path_or_hub_id, device, **kwargs) -> "Predictor":
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        from .modeling_govie import GovieModel

        hf_logging.disable_progress_bar()
        where = str(source) if source.exists() else str(path_or_hub_id)  # a Hub id: from_pretrained resolves it
        # Weights may ship in fp16 to keep the package small; compute in fp32 (fast and exact on CPU).
        try:
            model = GovieModel.from_pretrained(where, dtype=torch.float32)
        except OSError as exc:
            if source.exists():
                raise
            raise OSError(f"cannot load govie model {where!r}: not a local folder, and not found on the Hub "
                          f"or in its cache ({exc})") from exc
        tokenizer = AutoTokenizer.from_pretrained(where)
        return cls(model, tokenizer, device=device, _owns_model=True, **kwargs)

    # -- prediction -----------------------------------------------------------------------
    def predict(self, texts: str | list[str], batch_size: int | None = None, progress: bool = False):
        """Entities and relations of one text (a dict) or of each text of a list (a list of dicts)."""
        items, single = _check_texts(texts)
        norms = [self._normalize(t) for t in items]
        jobs = []  # (text index, window start, window end)
        for i, norm in enumerate(norms):
            for w in split_windows(norm.text, self.max_window):
                jobs.append((i, w.start, w.end))
        found: list[list[tuple]] = [[] for _ in items]  # per text: (entities, relations) per window
        order = sorted(range(len(jobs)), key=lambda j: jobs[j][2] - jobs[j][1])
        bs = batch_size or self.batch_size
        batches = [order[k:k + bs] for k in range(0, len(order), bs)]
        if progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc="windows", unit="batch")
        with torch.inference_mode():
            for done, batch in enumerate(batches, 1):
                windows = [jobs[j] for j in batch]
                for (i, ws, _), result in zip(windows, self._predict_windows(norms, windows)):
                    found[i].append((ws, result))
                if done % TRIM_EVERY == 0 and self.device.type == "cpu":
                    release_free_memory()  # else freed activations stay resident (allocator.py)
        results = [self._assemble(norm, parts) for norm, parts in zip(norms, found)]
        return results[0] if single else results

    def _predict_windows(self, norms: list[Normalized], windows: list[tuple[int, int, int]]):
        texts = [norms[i].text[s:e] for i, s, e in windows]
        n, length = len(texts), max(len(t) for t in texts) + 2
        enc = self.encoder
        ids = torch.full((n, length), enc.pad_id, dtype=torch.long)
        mask = torch.zeros((n, length), dtype=torch.long)
        for b, t in enumerate(texts):
            ids[b, : len(t) + 2] = torch.tensor([enc.cls_id] + enc.encode(t) + [enc.sep_id])
            mask[b, : len(t) + 2] = 1
        ids, mask = ids.to(self.device), mask.to(self.device)
        hidden = self.model.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        log_probs = torch.log_softmax(self.model.tagger(hidden).float(), -1)[:, 1:-1].cpu().numpy()
        lengths = [len(t) for t in texts]
        paths = viterbi_bio(log_probs, lengths, tuple(self.model.config.labels))
        labels = self.model.config.labels
        type_id = {t: k for k, t in enumerate(self.model.config.entity_types)}
        per_window, spans, pairs, feats, owners = [], [], [], [], []
        for b, (path, text) in enumerate(zip(paths, texts)):
            # probability of the decoded label at each character; an entity's score is their mean
            path_probs = np.exp(log_probs[b, np.arange(len(path)), path]) if path else None
            decoded = [(s, e, etype, float(path_probs[s:e].mean()))
                       for s, e, etype in bio_to_spans([labels[k] for k in path])]
            if self.span_rules:
                decoded = tidy_spans(text, decoded)
            ents = []
            for s, e, etype, score in decoded:
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if s < e:
                    ents.append((s, e, etype, score))
            sids = sentence_ids(text)
            cand = candidate_pairs([(s, e, t) for s, e, t, _ in ents], [sids[s] for s, _, _, _ in ents])
            base = len(spans)
            spans.extend((b, s + 1, e, type_id[t]) for s, e, t, _ in ents)
            feats.extend(pair_features([(s, e, type_id[t]) for s, e, t, _ in ents], cand))
            pairs.extend((base + h, base + t) for h, t in cand)
            owners.extend((b, h, t) for h, t in cand)
            per_window.append((ents, []))
        if pairs:
            span_tensor = torch.tensor(spans, device=self.device)
            vectors = self.model.span_vectors(hidden, span_tensor)  # once; the pairs go in chunks
            for c in range(0, len(pairs), MAX_PAIRS_PER_CALL):
                chunk = slice(c, c + MAX_PAIRS_PER_CALL)
                logits = self.model.pair_logits(
                    vectors, span_tensor, torch.tensor(pairs[chunk], device=self.device),
                    torch.tensor(feats[chunk], device=self.device)).float()
                probs = torch.softmax(logits, -1)
                best_p, best = probs.max(-1)
                for (b, h, t), k, p in zip(owners[chunk], best.tolist(), best_p.tolist()):
                    if k != 0:
                        per_window[b][1].append((h, t, self.model.config.relation_types[k - 1], p))
        return per_window

    def _assemble(self, norm: Normalized, parts: list[tuple[int, tuple]]) -> dict:
        entities, relations = [], []
        for ws, (ents, rels) in sorted(parts, key=lambda p: p[0]):
            index = {}  # window entity -> result entity
            for k, (s, e, etype, score) in enumerate(ents):
                if score < self.min_entity_score:
                    # Its relations go with it: they are kept only between indexed entities. The
                    # filter is here, after pair scoring, on purpose: filtering before pairs are
                    # built saves little and scored relations 0.15-0.2 F1 points lower (session 5).
                    continue
                start, end = norm.to_original(ws + s, ws + e)
                if entities and start < entities[-1]["end"]:
                    # Two spans inside one original character that normalisation expanded
                    # (¼ -> 1⁄4): keep the first, so spans never overlap in the original.
                    continue
                index[k] = len(entities)
                entities.append({"start": start, "end": end, "type": etype,
                                 "text": norm.original[start:end], "score": round(score, 4)})
            for h, t, rtype, score in rels:
                if h in index and t in index:
                    relations.append({"head": index[h], "tail": index[t], "type": rtype, "score": round(score, 4)})
        return {"text": norm.original, "entities": entities, "relations": relations}


def load(path_or_hub_id: str | Path | None = None, device=None, backend: str = "auto", **kwargs) -> Predictor:
    """Load a govie model: None for the bundled default, a local folder, or a Hub id."""
    return Predictor.load(path_or_hub_id, device=device, backend=backend, **kwargs)
