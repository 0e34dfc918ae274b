"""govie: entities and relations from Chinese public-affairs news.

    >>> import govie
    >>> govie.predict("8月10日，市委常委、市纪委书记李成宽主持召开市纪委常委会会议。")
    {"text": ..., "entities": [{"start", "end", "type", "text", "score"}, ...], "relations": [...]}
"""
from __future__ import annotations

from .predictor import DEFAULT_MODEL_DIR, ModelFilesError, Predictor, load
from .corpus import cached_predictor, predict_dataset, predict_to_jsonl
from .schema import BIO_LABELS, ENTITY_TYPES, RELATION_TYPES, GoldFormatError, read_gold

__version__ = "0.1.0"
__all__ = ["load", "predict", "Predictor", "GovieConfig", "GovieModel", "ENTITY_TYPES", "RELATION_TYPES",
           "BIO_LABELS", "read_gold", "GoldFormatError", "ModelFilesError", "DEFAULT_MODEL_DIR",
           "predict_dataset", "predict_to_jsonl"]


def __getattr__(name):
    # GovieConfig/GovieModel need transformers, whose import costs seconds: only on first use.
    if name in ("GovieConfig", "GovieModel"):
        from . import modeling_govie

        return getattr(modeling_govie, name)
    raise AttributeError(f"module 'govie' has no attribute {name!r}")


def predict(texts, batch_size: int | None = None, progress: bool = False):
    """Predict with the bundled default model (loaded once per process, on first use)."""
    return cached_predictor().predict(texts, batch_size=batch_size, progress=progress)


# -- facts and pages (issue 9) ----------------------------------------------------------------
from .article import extract_article  # noqa: E402
from .render import render_html  # noqa: E402

__all__ += ["extract_article", "render_html"]
