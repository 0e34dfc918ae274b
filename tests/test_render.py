"""govie.render_html and `govie render`: a standalone page with coloured entities and listed relations."""
import re
from html import unescape

from typer.testing import CliRunner

import govie
from govie.cli import app
from govie.render import TYPE_COLOURS, render_html

from conftest import SAMPLE, SAMPLE_GOLD

runner = CliRunner()


def gold_prediction():
    """The conftest gold record written as a prediction."""
    ents = [{"start": s, "end": e, "type": t, "text": SAMPLE[s:e], "score": 0.9} for s, e, t in SAMPLE_GOLD["entities"]]
    rels = [{"head": h, "tail": t, "type": r, "score": 0.9} for h, t, r in SAMPLE_GOLD["relations"]]
    return {"text": SAMPLE, "entities": ents, "relations": rels}


def marks(page):
    """(type, text) of every entity mark in the page's text block(s), in order."""
    found = []
    for block in re.findall(r'<div class="doc">(.*?)</div>', page, flags=re.S):
        found += [(t, unescape(x)) for t, x in
                  re.findall(r'<mark class="ent [^"]*" data-type="([^"]*)"[^>]*>(.*?)<span class="label">', block)]
    return found


def test_a_page_is_standalone_html_with_a_legend_of_every_type():
    page = render_html(gold_prediction(), title="市纪委")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page and "<title>市纪委</title>" in page
    assert "<script" not in page and "http" not in page  # no scripts, no external assets
    legend = re.search(r'<div class="legend">(.*?)</div>', page).group(1)
    assert re.findall(r">(\w+)</mark>", legend) == list(TYPE_COLOURS)
    for etype, colour in TYPE_COLOURS.items():
        assert f".t-{etype} {{ background: {colour}; }}" in page


def test_every_entity_is_a_marked_span_with_its_type():
    pred = gold_prediction()
    page = render_html(pred)
    assert marks(page) == [(e["type"], e["text"]) for e in pred["entities"]]
    # the text around the marks is all there, in order
    doc = re.search(r'<div class="doc">(.*?)</div>', page, flags=re.S).group(1)
    plain = unescape(re.sub(r'<span class="label">.*?</span>', "", re.sub(r"</?mark[^>]*>", "", doc)))
    assert plain == SAMPLE


def test_relations_are_listed_as_head_type_tail_with_offsets():
    page = render_html(gold_prediction())
    items = re.findall(r"<li>(.*?)</li>", page)
    assert len(items) == len(SAMPLE_GOLD["relations"])
    first = items[0]  # 李成宽 —任职→ 常委
    assert re.search(r">李成宽<span class=\"label\">PER</span></mark><span class=\"arrow\">—任职→</span>"
                     r"<mark [^>]*>常委<span class=\"label\">TITLE</span>", first)
    assert "[16:19] → [8:10]" in first


def test_text_is_escaped_and_line_breaks_are_kept():
    text = '<script>alert("x")</script>\n张三 & 李四'
    pred = {"text": text, "entities": [{"start": 28, "end": 30, "type": "PER", "text": "张三"}], "relations": []}
    page = render_html(pred, title="<b>title</b>")
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;title&lt;/b&gt;" in page
    assert "&lt;/script&gt;\n<mark" in page  # the newline survives, and the block is pre-wrap
    assert "white-space: pre-wrap" in page
    assert " &amp; 李四" in page
    assert marks(page) == [("PER", "张三")]
    assert '<p class="none">no relations</p>' in page


def test_a_list_gives_one_section_per_text_and_odd_entities_do_not_break_it():
    odd = {"id": "p2", "text": "甲乙丙丁",
           "entities": [{"start": 0, "end": 2, "type": "ORG"}, {"start": 1, "end": 3, "type": "PER"},  # overlap
                        {"start": 2, "end": 9, "type": "LOC"},  # past the end
                        {"start": 3, "end": 4, "type": "X\"<y"}],  # a type outside the schema
           "relations": [{"head": 0, "tail": 7, "type": "隶属"}]}  # no entity 7
    page = render_html([gold_prediction(), odd])
    assert page.count('<section class="document">') == 2 and "<h2>2 · p2</h2>" in page
    assert marks(page)[-2:] == [("ORG", "甲乙"), ("X&quot;&lt;y", "丁")]
    assert 'class="ent t-X__y"' in page


def test_render_html_is_exported():
    assert govie.render_html is render_html


def test_cli_render_writes_a_page_from_a_text_file(tiny_model_dir, tmp_path):
    src = tmp_path / "article.txt"
    src.write_text(SAMPLE + "\n县委书记王某主持召开会议。\n", encoding="utf-8")
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["render", str(src), "--model", str(tiny_model_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<title>article.txt</title>" in page
    assert page.count('<section class="document">') == 1  # the file is one article
    assert "会议。\n县委" in re.sub(r"<[^>]+>|PER|ORG|LOC|TITLE|TIME|NUM|EVENT|DOC", "", page)


def test_cli_render_draws_a_predictions_file_without_a_model(tmp_path):
    import json

    src = tmp_path / "preds.jsonl"
    src.write_text(json.dumps(gold_prediction(), ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["render", str(src), "--title", "gold"])
    assert result.exit_code == 0, result.output
    assert "<title>gold</title>" in result.stdout
    assert marks(result.stdout) == [(t, SAMPLE[s:e]) for s, e, t in SAMPLE_GOLD["entities"]]


def test_cli_predict_article_prints_facts(tiny_model_dir, tmp_path):
    import json

    src = tmp_path / "article.txt"
    src.write_text(SAMPLE + "\n县委书记王某主持召开会议。\n", encoding="utf-8")
    result = runner.invoke(app, ["predict", str(src), "--model", str(tiny_model_dir), "--article"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert len(lines) == 1  # the whole file is one article
    assert set(lines[0]) == {"text", "people", "organisations", "meetings", "donations"}
    assert lines[0]["text"] == SAMPLE + "\n县委书记王某主持召开会议。\n"
