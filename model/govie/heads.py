"""The task heads over the shared encoder: a BIO tagger and a relation scorer.

A mixin, free of transformers, so that the training model (GovieModel, a transformers
PreTrainedModel) and the plain-torch inference model (runtime.RuntimeModel) are the same heads with
the same parameter names, and one saved folder loads into either.

Relation head: every entity becomes a span vector (encoder states at its first and last
character + a type embedding); every candidate pair (same sentence, types some relation allows)
is scored from [head; tail; head*tail; distance; entities-between] into "no relation" + the
relation types, with the types the schema forbids for that pair masked out.
"""
from __future__ import annotations

import torch
from torch import nn

from .decoding import N_BUCKETS


class GovieHeads:
    """Mixed into an nn.Module that has .config (labels, types, sizes) and .encoder."""

    def build_heads(self, config, hidden: int) -> None:
        n_types, n_rel = len(config.entity_types), len(config.relation_types) + 1
        self.dropout = nn.Dropout(config.head_dropout)
        self.tagger = nn.Linear(hidden, len(config.labels))
        self.type_embed = nn.Embedding(n_types, config.type_embedding_size)
        self.span_proj = nn.Linear(2 * hidden + config.type_embedding_size, config.relation_hidden_size)
        self.distance_embed = nn.Embedding(2 * N_BUCKETS, config.feature_embedding_size)
        self.between_embed = nn.Embedding(N_BUCKETS, config.feature_embedding_size)
        r = config.relation_hidden_size
        self.relation_mlp = nn.Sequential(
            nn.Linear(3 * r + 2 * config.feature_embedding_size, r), nn.GELU(),
            nn.Dropout(config.head_dropout), nn.Linear(r, n_rel),
        )
        # Kept out of the state dict and built from the config: from_pretrained creates modules on
        # the meta device, where a non-persistent buffer would come back uninitialised.
        self._allowed_cache: dict[torch.device, torch.Tensor] = {}

    def allowed_relations(self, device: torch.device) -> torch.Tensor:
        """[head type, tail type, no-relation + relation types] -> does the schema allow it."""
        if device not in self._allowed_cache:
            cfg = self.config
            n_types, n_rel = len(cfg.entity_types), len(cfg.relation_types) + 1
            allowed = torch.zeros(n_types, n_types, n_rel, dtype=torch.bool)
            allowed[:, :, 0] = True  # "no relation" is always possible
            type_id = {t: i for i, t in enumerate(cfg.entity_types)}
            for k, rel in enumerate(cfg.relation_types, 1):
                heads, tails = cfg.relation_schema[rel]
                for h in heads:
                    for t in tails:
                        allowed[type_id[h], type_id[t], k] = True
            self._allowed_cache[device] = allowed.to(device)
        return self._allowed_cache[device]

    def span_vectors(self, hidden: torch.Tensor, spans: torch.Tensor) -> torch.Tensor:
        """spans: [E, 4] = (window, first token, last token, type id) -> [E, relation_hidden]."""
        first = hidden[spans[:, 0], spans[:, 1]]
        last = hidden[spans[:, 0], spans[:, 2]]
        return torch.nn.functional.gelu(self.span_proj(torch.cat([first, last, self.type_embed(spans[:, 3])], -1)))

    def relation_logits(self, hidden, spans, pairs, pair_features) -> torch.Tensor:
        """pairs: [P, 2] indices into spans; pair_features: [P, 2] = (signed distance bucket, between bucket)."""
        return self.pair_logits(self.dropout(self.span_vectors(hidden, spans)), spans, pairs, pair_features)

    def pair_logits(self, vec, spans, pairs, pair_features) -> torch.Tensor:
        """relation_logits from span vectors already computed (inference scores pairs in chunks)."""
        head, tail = vec[pairs[:, 0]], vec[pairs[:, 1]]
        feats = [self.distance_embed(pair_features[:, 0]), self.between_embed(pair_features[:, 1])]
        logits = self.relation_mlp(torch.cat([head, tail, head * tail] + feats, -1))
        allowed = self.allowed_relations(logits.device)[spans[pairs[:, 0], 3], spans[pairs[:, 1], 3]]
        return logits.masked_fill(~allowed, -1e4)
