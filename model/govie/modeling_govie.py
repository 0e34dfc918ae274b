"""GovieConfig and GovieModel: one shared encoder, a BIO tagging head and a relation head.

The encoder is any model the Auto classes can build (BERT family, XLM-R...), stored inside the
config as a plain dict so a saved folder is self-contained: config.json + model.safetensors
(+ tokenizer files written next to them by the trainer) load with no network.

The heads (tagger, relation scorer) live in heads.py, shared with the plain-torch runtime.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PreTrainedModel

try:  # transformers 5 renamed the config base class
    from transformers import PreTrainedConfig
except ImportError:  # pragma: no cover - transformers 4
    from transformers import PretrainedConfig as PreTrainedConfig
from transformers.utils import ModelOutput

from .heads import GovieHeads
from .schema import BIO_LABELS, ENTITY_TYPES, RELATION_NAMES, RELATION_TYPES

NO_RELATION = "NONE"


class GovieConfig(PreTrainedConfig):
    model_type = "govie"

    def __init__(
        self,
        encoder: dict | None = None,
        labels: list[str] | None = None,
        entity_types: list[str] | None = None,
        relation_types: list[str] | None = None,
        relation_schema: dict[str, list[list[str]]] | None = None,
        type_embedding_size: int = 32,
        feature_embedding_size: int = 16,
        relation_hidden_size: int = 256,
        head_dropout: float = 0.1,
        max_window: int = 254,
        min_entity_score: float = 0.0,
        **kwargs,
    ):
        self.encoder = dict(encoder) if encoder else {"model_type": "bert"}
        self.labels = list(labels or BIO_LABELS)
        self.entity_types = list(entity_types or ENTITY_TYPES)
        self.relation_types = list(relation_types or RELATION_NAMES)
        self.relation_schema = relation_schema or {
            r: [sorted(heads), sorted(tails)] for r, (heads, tails) in RELATION_TYPES.items()
        }
        self.type_embedding_size = type_embedding_size
        self.feature_embedding_size = feature_embedding_size
        self.relation_hidden_size = relation_hidden_size
        self.head_dropout = head_dropout
        self.max_window = max_window
        # decoded entities whose score (mean probability of their labels) is lower are dropped,
        # with their relations; chosen on held-out data of our own (eval/entity_threshold.py)
        self.min_entity_score = min_entity_score
        kwargs.setdefault("id2label", dict(enumerate(self.labels)))
        kwargs.setdefault("label2id", {lab: i for i, lab in enumerate(self.labels)})
        super().__init__(**kwargs)

    def encoder_config(self):
        enc = dict(self.encoder)
        model_type = enc.pop("model_type")
        for key in ("transformers_version", "architectures", "_name_or_path", "dtype", "torch_dtype"):
            enc.pop(key, None)
        return AutoConfig.for_model(model_type, **enc)


@dataclass
class GovieOutput(ModelOutput):
    loss: torch.Tensor | None = None
    tag_loss: torch.Tensor | None = None
    relation_loss: torch.Tensor | None = None
    tag_logits: torch.Tensor | None = None
    relation_logits: torch.Tensor | None = None


class GovieModel(GovieHeads, PreTrainedModel):
    config_class = GovieConfig
    base_model_prefix = "govie"
    main_input_name = "input_ids"

    def __init__(self, config: GovieConfig):
        super().__init__(config)
        enc_config = config.encoder_config()
        self.encoder = AutoModel.from_config(enc_config, add_pooling_layer=False) if _has_pooler(enc_config) \
            else AutoModel.from_config(enc_config)
        self.build_heads(config, enc_config.hidden_size)
        self.post_init()

    def _init_weights(self, module):
        std = getattr(self.config.encoder_config(), "initializer_range", 0.02)
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=std)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=std)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    @classmethod
    def from_backbone(cls, backbone: str, num_layers: int | None = None, pretrained: bool = True,
                      **config_kwargs) -> "GovieModel":
        """A new GovieModel whose encoder starts from pretrained weights (local folder or Hub id).

        num_layers keeps only the backbone's first layers: a cheaper encoder for CPU budgets.
        pretrained=False keeps the backbone's architecture and vocabulary but not its weights
        (the random-initialisation baseline of a backbone comparison).
        """
        encoder = AutoModel.from_pretrained(backbone)
        if not pretrained:
            enc_dict = encoder.config.to_dict()
            if num_layers is not None:
                enc_dict["num_hidden_layers"] = num_layers
            return cls(GovieConfig(encoder=enc_dict, **config_kwargs))
        enc_dict = encoder.config.to_dict()
        if num_layers is not None:
            if not 0 < num_layers <= enc_dict["num_hidden_layers"]:
                raise ValueError(f"num_layers must be in 1..{enc_dict['num_hidden_layers']}")
            enc_dict["num_hidden_layers"] = num_layers
        config = GovieConfig(encoder=enc_dict, **config_kwargs)
        model = cls(config)
        missing, unexpected = model.encoder.load_state_dict(encoder.state_dict(), strict=False)
        kept = config.encoder_config().num_hidden_layers
        unexpected = [k for k in unexpected if not k.startswith("pooler.")
                      and not (k.startswith("encoder.layer.") and int(k.split(".")[2]) >= kept)]
        if missing or unexpected:
            raise ValueError(f"backbone {backbone} does not fit: missing {missing[:5]}, unexpected {unexpected[:5]}")
        return model

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        label_mask: torch.Tensor | None = None,
        entity_spans: torch.Tensor | None = None,
        pairs: torch.Tensor | None = None,
        pair_features: torch.Tensor | None = None,
        pair_labels: torch.Tensor | None = None,
        relation_weight: float = 1.0,
        **_,
    ) -> GovieOutput:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        tag_logits = self.tagger(self.dropout(hidden))
        tag_loss = relation_loss = rel_logits = None
        if label_mask is not None:
            # Partial labels: the loss is -log of the probability mass on the allowed labels, so a
            # source that never annotates TIME does not teach that its unmarked dates are O.
            log_z = torch.logsumexp(tag_logits, -1)
            log_allowed = torch.logsumexp(tag_logits.masked_fill(~label_mask, -1e4), -1)
            valid = label_mask.any(-1)
            tag_loss = (log_z - log_allowed)[valid].sum() / valid.sum().clamp(min=1)
        if entity_spans is not None and pairs is not None and pairs.numel():
            rel_logits = self.relation_logits(hidden, entity_spans, pairs, pair_features)
            if pair_labels is not None:
                relation_loss = nn.functional.cross_entropy(rel_logits, pair_labels)
        loss = None
        if tag_loss is not None or relation_loss is not None:
            loss = (tag_loss if tag_loss is not None else 0.0) + relation_weight * (
                relation_loss if relation_loss is not None else 0.0)
            if not torch.is_tensor(loss):
                loss = tag_logits.sum() * 0.0
        return GovieOutput(loss=loss, tag_loss=tag_loss, relation_loss=relation_loss,
                           tag_logits=tag_logits, relation_logits=rel_logits)


def _has_pooler(enc_config) -> bool:
    return enc_config.model_type in ("bert", "roberta", "xlm-roberta", "ernie", "nezha", "megatron-bert")


AutoConfig.register("govie", GovieConfig, exist_ok=True)
AutoModel.register(GovieConfig, GovieModel, exist_ok=True)
