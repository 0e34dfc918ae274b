"""Inference without importing transformers: a model folder read by plain torch.

Importing transformers costs seconds (it pulls in torch.distributed, dynamo and its generation
stack), more than loading the model itself. For prediction none of it is needed: the default
encoder is a BERT, whose forward pass is a few lines, and the heads are shared (heads.py). So a
folder whose encoder is a plain BERT loads here: RuntimeConfig reads config.json, RuntimeModel
has exactly the parameter names of GovieModel and loads model.safetensors strictly, CharVocab
reads the tokenizer files. tests/test_runtime.py checks outputs against the transformers model.
Folders this cannot run (other encoder families, relative positions...) load through
transformers instead (Predictor.load(backend="auto")).
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import torch
from torch import nn
from torch.nn import functional as F

from .heads import GovieHeads


class UnsupportedModel(ValueError):
    """The folder needs transformers to run (the message says why)."""


def _encoder_unsupported(enc: dict) -> str | None:
    if enc.get("model_type") != "bert":
        return f"encoder type {enc.get('model_type')!r} (only 'bert' runs without transformers)"
    if enc.get("hidden_act", "gelu") != "gelu":
        return f"activation {enc.get('hidden_act')!r}"
    if enc.get("position_embedding_type", "absolute") != "absolute":
        return f"position embeddings {enc.get('position_embedding_type')!r}"
    if enc.get("is_decoder") or enc.get("add_cross_attention"):
        return "a decoder encoder"
    return None


class RuntimeConfig(SimpleNamespace):
    """config.json of a govie folder, read as plain attributes (the fields GovieConfig writes)."""

    @classmethod
    def from_folder(cls, folder: Path) -> "RuntimeConfig":
        cfg = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
        why = _encoder_unsupported(cfg.get("encoder", {}))
        if why:
            raise UnsupportedModel(f"{folder}: {why}")
        return cls(**cfg)

    def encoder_config(self) -> SimpleNamespace:
        enc = {"layer_norm_eps": 1e-12, "type_vocab_size": 2, **self.encoder}
        return SimpleNamespace(**enc)


class BertLayer(nn.Module):
    """One post-LayerNorm transformer layer, named like transformers' BertLayer."""

    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        h, eps = c.hidden_size, c.layer_norm_eps
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        self.attention.self.query, self.attention.self.key, self.attention.self.value = (
            nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h))
        self.attention.output = nn.Module()
        self.attention.output.dense, self.attention.output.LayerNorm = nn.Linear(h, h), nn.LayerNorm(h, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(h, c.intermediate_size)
        self.output = nn.Module()
        self.output.dense, self.output.LayerNorm = nn.Linear(c.intermediate_size, h), nn.LayerNorm(h, eps=eps)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        att = self.attention.self

        def split(t):  # [b, n, h] -> [b, heads, n, h / heads]
            return t.view(b, n, self.heads, h // self.heads).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(att.query(x)), split(att.key(x)), split(att.value(x)),
                                             attn_mask=key_mask)
        ctx = ctx.transpose(1, 2).reshape(b, n, h)
        out = self.attention.output
        x = out.LayerNorm(out.dense(ctx) + x)
        return self.output.LayerNorm(self.output.dense(F.gelu(self.intermediate.dense(x))) + x)


class BertEncoder(nn.Module):
    """Embeddings + layers; forward(input_ids, attention_mask).last_hidden_state like BertModel."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.embeddings.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.embeddings.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.embeddings.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(BertLayer(c) for _ in range(c.num_hidden_layers))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> SimpleNamespace:
        n = input_ids.shape[1]
        if n > self.embeddings.position_embeddings.num_embeddings:
            raise ValueError(f"input of {n} tokens is longer than the encoder's "
                             f"{self.embeddings.position_embeddings.num_embeddings} positions")
        emb = self.embeddings
        positions = torch.arange(n, device=input_ids.device)
        x = emb.word_embeddings(input_ids) + emb.position_embeddings(positions) + emb.token_type_embeddings.weight[0]
        x = emb.LayerNorm(x)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        # additive mask over keys, [b, 1, 1, n]: padding never receives attention
        key_mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.encoder.layer:
            x = layer(x, key_mask)
        return SimpleNamespace(last_hidden_state=x)


class RuntimeModel(GovieHeads, nn.Module):
    """GovieModel for inference only: same parameters, same heads, a plain-torch BERT encoder."""

    def __init__(self, config: RuntimeConfig):
        nn.Module.__init__(self)
        self.config = config
        enc = config.encoder_config()
        self.encoder = BertEncoder(enc)
        self.build_heads(config, enc.hidden_size)

    @classmethod
    def from_folder(cls, folder: str | Path, dtype: torch.dtype = torch.float32) -> "RuntimeModel":
        from safetensors.torch import load_file

        folder = Path(folder)
        model = cls(RuntimeConfig.from_folder(folder))
        state = {k: v.to(dtype) for k, v in load_file(str(folder / "model.safetensors")).items()}
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise UnsupportedModel(f"{folder / 'model.safetensors'} does not match a BERT govie model: "
                                   f"missing {missing[:3]}, unexpected {unexpected[:3]}")
        return model.to(dtype).eval()


class CharVocab:
    """The part of a tokenizer CharEncoder uses (vocabulary and special ids), read from
    tokenizer.json or vocab.txt plus tokenizer_config.json / special_tokens_map.json."""

    def __init__(self, vocab: dict[str, int], specials: dict[str, str]):
        self._vocab = vocab
        self._size = max(vocab.values()) + 1 if vocab else 0
        for role in ("cls", "sep", "pad", "unk", "bos", "eos"):
            token = specials.get(f"{role}_token")
            setattr(self, f"{role}_token_id", vocab.get(token) if token is not None else None)

    def get_vocab(self) -> dict[str, int]:
        return dict(self._vocab)

    def __len__(self) -> int:
        return self._size

    @classmethod
    def from_folder(cls, folder: str | Path) -> "CharVocab":
        folder = Path(folder)
        vocab: dict[str, int] = {}
        if (folder / "tokenizer.json").is_file():
            tok = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
            model_vocab = tok["model"]["vocab"]
            if isinstance(model_vocab, dict):  # WordPiece / BPE: token -> id
                vocab.update(model_vocab)
            else:  # Unigram: [[piece, score], ...] in id order
                vocab.update({piece: i for i, (piece, _) in enumerate(model_vocab)})
            vocab.update({t["content"]: t["id"] for t in tok.get("added_tokens", [])})
        elif (folder / "vocab.txt").is_file():
            lines = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
            vocab.update({t: i for i, t in enumerate(lines) if t or i < len(lines) - 1})
        else:
            raise UnsupportedModel(f"{folder} has no tokenizer.json or vocab.txt")
        specials: dict[str, str] = {}
        for name in ("special_tokens_map.json", "tokenizer_config.json"):
            if (folder / name).is_file():
                for key, value in json.loads((folder / name).read_text(encoding="utf-8")).items():
                    if key.endswith("_token") and value is not None:
                        specials[key] = value["content"] if isinstance(value, dict) else value
        if "unk_token" not in specials:
            raise UnsupportedModel(f"{folder}: no unk_token in tokenizer_config.json")
        return cls(vocab, specials)
