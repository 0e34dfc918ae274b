"""A standalone HTML page showing predictions, in the manner of displaCy: coloured entity spans with
their type, and the relations listed under each text. Inline CSS only: no scripts, no external files.

    >>> Path("page.html").write_text(govie.render_html(govie.predict(text)), encoding="utf-8")
"""
from __future__ import annotations

import re
from html import escape

from .schema import ENTITY_TYPES

# One colour per entity type (displaCy's palette where the types match).
TYPE_COLOURS = {
    "PER": "#aa9cfc", "ORG": "#7aecec", "LOC": "#ff9561", "TITLE": "#feca74",
    "TIME": "#bfe1d9", "NUM": "#e4e7d2", "EVENT": "#ffeb80", "DOC": "#c887fb",
}
OTHER_COLOUR = "#dddddd"

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; background: #fff; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; color: #555; margin-top: 2em; }
.legend { margin: 0 0 1.5em; line-height: 2.2; }
.legend .ent { margin-right: .4em; }
.doc { white-space: pre-wrap; line-height: 2.4; font-size: 1.05em; border: 1px solid #e3e3e3;
       border-radius: 6px; padding: .8em 1em; }
/* nowrap: CJK text may break between any two characters, which would tear a name from its label */
.ent { padding: .15em .35em; margin: 0 .1em; border-radius: .35em; line-height: 1; white-space: nowrap; }
.ent .label { font-size: .62em; font-weight: bold; font-family: sans-serif; margin-left: .35em;
              vertical-align: middle; text-transform: uppercase; opacity: .75; }
.rels { margin: .6em 0 0; padding-left: 1.6em; line-height: 2.1; }
.rels .arrow { color: #555; margin: 0 .3em; white-space: nowrap; }
.rels .offsets { color: #999; font-size: .8em; margin-left: .6em; }
.none { color: #999; font-style: italic; }
h3 { font-size: .9em; color: #777; font-weight: normal; margin: 1em 0 0; }
"""


def _type_class(etype: str) -> str:
    # A class name made only of safe characters, whatever type string a prediction carries.
    return "t-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(etype))


def _type_css(types) -> str:
    rules = [f".{_type_class(t)} {{ background: {TYPE_COLOURS.get(t, OTHER_COLOUR)}; }}" for t in types]
    return "\n".join(rules)


def _entity_html(text: str, ent: dict) -> str:
    etype = str(ent["type"])
    tip = f"{etype} {ent['score']:.2f}" if isinstance(ent.get("score"), (int, float)) else etype
    return (f'<mark class="ent {_type_class(etype)}" data-type="{escape(etype)}" title="{escape(tip)}">'
            f'{escape(text[ent["start"]:ent["end"]])}<span class="label">{escape(etype)}</span></mark>')


def _drawable(pred: dict) -> list[dict]:
    """Entities in text order, leaving out any that fall outside the text or overlap the one before."""
    n = len(pred["text"])
    ents = sorted((e for e in pred.get("entities", []) if 0 <= e["start"] < e["end"] <= n),
                  key=lambda e: (e["start"], e["end"]))
    kept = []
    for ent in ents:
        if not kept or ent["start"] >= kept[-1]["end"]:
            kept.append(ent)
    return kept


def _marked_text(pred: dict) -> str:
    text, parts, pos = pred["text"], [], 0
    for ent in _drawable(pred):
        parts.append(escape(text[pos:ent["start"]]))
        parts.append(_entity_html(text, ent))
        pos = ent["end"]
    parts.append(escape(text[pos:]))
    return "".join(parts)


def _relation_item(pred: dict, rel: dict) -> str | None:
    ents = pred.get("entities", [])
    h, t = rel.get("head"), rel.get("tail")
    if not (isinstance(h, int) and isinstance(t, int) and 0 <= h < len(ents) and 0 <= t < len(ents)):
        return None
    head, tail = ents[h], ents[t]
    text = pred["text"]
    return (f"<li>{_entity_html(text, head)}<span class=\"arrow\">—{escape(str(rel['type']))}→</span>"
            f"{_entity_html(text, tail)}<span class=\"offsets\">[{head['start']}:{head['end']}] → "
            f"[{tail['start']}:{tail['end']}]</span></li>")


def _relations_html(pred: dict) -> str:
    items = [item for rel in pred.get("relations", []) if (item := _relation_item(pred, rel))]
    if not items:
        return '<p class="none">no relations</p>'
    return f'<h3>relations ({len(items)})</h3><ol class="rels">' + "".join(items) + "</ol>"


def _legend_html(types) -> str:
    return '<div class="legend">' + "".join(
        f'<mark class="ent {_type_class(t)}">{escape(t)}</mark>' for t in types) + "</div>"


def _document_html(pred: dict, number: int, several: bool) -> str:
    heading = ""
    if several:
        name = f"{number}" + (f" · {pred['id']}" if pred.get("id") is not None else "")
        heading = f"<h2>{escape(name)}</h2>"
    return (f'<section class="document">{heading}<div class="doc">{_marked_text(pred)}</div>'
            f"{_relations_html(pred)}</section>")


def render_html(prediction_or_list, title: str | None = None) -> str:
    """One HTML page for a prediction (a dict from govie.predict) or a list of them."""
    preds = [prediction_or_list] if isinstance(prediction_or_list, dict) else list(prediction_or_list)
    for i, pred in enumerate(preds):
        if not isinstance(pred, dict) or not isinstance(pred.get("text"), str):
            raise TypeError(f"render_html() needs prediction dicts with a 'text'; item {i} is not one")
    # Every schema type in the legend, plus any other type a prediction carries.
    types = list(ENTITY_TYPES) + sorted({str(e["type"]) for p in preds for e in p.get("entities", [])}
                                        - set(ENTITY_TYPES))
    page_title = escape(title or "govie")
    body = "\n".join(_document_html(p, i + 1, len(preds) > 1) for i, p in enumerate(preds))
    return (f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n<title>{page_title}</title>\n'
            f"<style>{CSS}\n{_type_css(types)}\n</style>\n</head>\n<body>\n<h1>{page_title}</h1>\n"
            f"{_legend_html(types)}\n{body}\n</body>\n</html>\n")
