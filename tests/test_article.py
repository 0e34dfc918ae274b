"""govie.extract_article: facts from one article, each tied to evidence spans in the text.

The mini articles below are written for these tests; their predictions are made by hand, as a
perfect model following GUIDELINES.md would output them, and so are the expected facts.
"""
import json
import sys

import pytest

import govie
from govie.article import extract_article, to_dataframes

from conftest import SAMPLE


def entities(text, *marks):
    """Entity dicts for (surface, type) marks given in text order: each is looked up after the previous one."""
    out, pos = [], 0
    for surface, etype in marks:
        start = text.index(surface, pos)
        out.append({"start": start, "end": start + len(surface), "type": etype, "text": surface, "score": 1.0})
        pos = start + len(surface)
    return out


def relations(*triples):
    return [{"head": h, "tail": t, "type": r, "score": 1.0} for h, t, r in triples]


def spans(ents, *indices):
    """Evidence as extract_article gives it: {start, end, text, type} in text order."""
    chosen = sorted((ents[i] for i in indices), key=lambda e: e["start"])
    return [{"start": e["start"], "end": e["end"], "text": e["text"], "type": e["type"]} for e in chosen]


def all_evidence(facts):
    """Every span anywhere in the facts (mentions and evidence)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if {"start", "end", "text", "type"} <= set(node):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in facts.items() if k != "text"})
    return found


# -- article 1: posts across sentences, a membership, a chaired meeting ---------------------------
ARTICLE_1 = ("河西区召开防汛工作部署会\n"
             "6月3日上午，区委书记、区人大常委会主任陈立群主持召开河西区防汛工作部署会。区委常委、区政府副区长赵明出席。\n"
             "会上，区水利局林海介绍了汛情。\n"
             "会后，陈立群书记带队检查了河西堤防。")
ENTS_1 = entities(
    ARTICLE_1,
    ("河西区", "LOC"), ("防汛工作部署会", "EVENT"),                                      # 0 1
    ("6月3日上午", "TIME"), ("区委", "ORG"), ("书记", "TITLE"), ("区人大常委会", "ORG"),  # 2 3 4 5
    ("主任", "TITLE"), ("陈立群", "PER"), ("河西区防汛工作部署会", "EVENT"),               # 6 7 8
    ("区委", "ORG"), ("常委", "TITLE"), ("区政府", "ORG"), ("副区长", "TITLE"), ("赵明", "PER"),  # 9-13
    ("区水利局", "ORG"), ("林海", "PER"),                                               # 14 15
    ("陈立群", "PER"), ("书记", "TITLE"), ("河西堤防", "LOC"),                           # 16 17 18
)
PRED_1 = {"text": ARTICLE_1, "entities": ENTS_1, "relations": relations(
    (7, 4, "任职"), (4, 3, "隶属"), (7, 6, "任职"), (6, 5, "隶属"), (7, 8, "主持"), (8, 2, "时间"),
    (13, 10, "任职"), (10, 9, "隶属"), (13, 12, "任职"), (12, 11, "隶属"),
    (15, 14, "隶属"),
    (16, 17, "任职"),
)}


def test_article_1_people_posts_memberships_and_meetings():
    facts = extract_article(PRED_1)
    assert facts == {
        "text": ARTICLE_1,
        "people": [
            {"name": "陈立群", "mentions": spans(ENTS_1, 7) + spans(ENTS_1, 16),
             # "陈立群书记" in the last sentence names no organisation: it is the same 区委 post.
             "posts": [{"title": "书记", "organisations": ["区委"], "evidence": spans(ENTS_1, 3, 4, 7, 16, 17)},
                       {"title": "主任", "organisations": ["区人大常委会"], "evidence": spans(ENTS_1, 5, 6, 7)}],
             "memberships": []},
            {"name": "赵明", "mentions": spans(ENTS_1, 13),
             "posts": [{"title": "常委", "organisations": ["区委"], "evidence": spans(ENTS_1, 9, 10, 13)},
                       {"title": "副区长", "organisations": ["区政府"], "evidence": spans(ENTS_1, 11, 12, 13)}],
             "memberships": []},
            {"name": "林海", "mentions": spans(ENTS_1, 15), "posts": [],
             "memberships": [{"organisation": "区水利局", "evidence": spans(ENTS_1, 14, 15)}]},
        ],
        "organisations": [
            {"name": "区委", "mentions": spans(ENTS_1, 3, 9)},
            {"name": "区人大常委会", "mentions": spans(ENTS_1, 5)},
            {"name": "区政府", "mentions": spans(ENTS_1, 11)},
            {"name": "区水利局", "mentions": spans(ENTS_1, 14)},
        ],
        "meetings": [
            {"name": "防汛工作部署会", "mentions": spans(ENTS_1, 1), "chairs": [], "times": []},
            {"name": "河西区防汛工作部署会", "mentions": spans(ENTS_1, 8),
             "chairs": [{"name": "陈立群", "type": "PER", "evidence": spans(ENTS_1, 7, 8)}],
             "times": [{"time": "6月3日上午", "evidence": spans(ENTS_1, 2, 8)}]},
        ],
        "donations": [],
    }


# -- article 2: donations, amounts scoped to their sentence (。 and ；) ----------------------------
ARTICLE_2 = ("抗疫路上见真情\n"
             "2月9日，爱心企业家王海涛向石桥镇捐赠口罩5000只、消毒液200箱。同日，县慈善总会收到捐款3.5万元。\n"
             "县红十字会向青山村捐赠帐篷20顶；县总工会向河口村捐赠棉被300床。\n"
             "村民李秀英为独居老人周桂兰送去米面油，价值800元。")
ENTS_2 = entities(
    ARTICLE_2,
    ("2月9日", "TIME"), ("王海涛", "PER"), ("石桥镇", "LOC"), ("5000只", "NUM"), ("200箱", "NUM"),  # 0-4
    ("县慈善总会", "ORG"), ("3.5万元", "NUM"),                                                     # 5 6
    ("县红十字会", "ORG"), ("青山村", "LOC"), ("20顶", "NUM"),                                      # 7 8 9
    ("县总工会", "ORG"), ("河口村", "LOC"), ("300床", "NUM"),                                        # 10 11 12
    ("李秀英", "PER"), ("周桂兰", "PER"), ("800元", "NUM"),                                         # 13 14 15
)
PRED_2 = {"text": ARTICLE_2, "entities": ENTS_2,
          "relations": relations((1, 2, "捐赠"), (7, 8, "捐赠"), (10, 11, "捐赠"), (13, 14, "捐赠"))}


def sentence(text, first_words):
    """{start, end, text} of the sentence starting with first_words and running to its end mark."""
    start = text.index(first_words)
    end = min(i for i in range(start, len(text)) if text[i] in "。！？；!?;\n") + 1
    return {"start": start, "end": end, "text": text[start:end]}


def test_article_2_donations_carry_the_amounts_of_their_own_sentence():
    facts = extract_article(PRED_2)
    assert facts["donations"] == [
        {"donor": {"name": "王海涛", "type": "PER"}, "recipient": {"name": "石桥镇", "type": "LOC"},
         "amounts": ["5000只", "200箱"],  # not 3.5万元: that is the next sentence
         "sentence": sentence(ARTICLE_2, "2月9日"), "evidence": spans(ENTS_2, 1, 2, 3, 4)},
        {"donor": {"name": "县红十字会", "type": "ORG"}, "recipient": {"name": "青山村", "type": "LOC"},
         "amounts": ["20顶"], "sentence": sentence(ARTICLE_2, "县红十字会"), "evidence": spans(ENTS_2, 7, 8, 9)},
        {"donor": {"name": "县总工会", "type": "ORG"}, "recipient": {"name": "河口村", "type": "LOC"},
         "amounts": ["300床"], "sentence": sentence(ARTICLE_2, "县总工会"), "evidence": spans(ENTS_2, 10, 11, 12)},
        {"donor": {"name": "李秀英", "type": "PER"}, "recipient": {"name": "周桂兰", "type": "PER"},
         "amounts": ["800元"], "sentence": sentence(ARTICLE_2, "村民李秀英"), "evidence": spans(ENTS_2, 13, 14, 15)},
    ]
    assert facts["donations"][1]["sentence"]["text"] == "县红十字会向青山村捐赠帐篷20顶；"
    assert [p["name"] for p in facts["people"]] == ["王海涛", "李秀英", "周桂兰"]
    assert all(p["posts"] == [] and p["memberships"] == [] for p in facts["people"])
    assert [o["name"] for o in facts["organisations"]] == ["县慈善总会", "县红十字会", "县总工会"]
    assert facts["meetings"] == []


# -- article 3: an organisation holds a meeting named twice; a byline and an editor line ----------
ARTICLE_3 = ("县教育局召开2023年校园安全工作会\n"
             "（通讯员 何静）4月12日，县教育局召开2023年校园安全工作会。局党组书记、局长吴建华作工作报告。\n"
             "责任编辑：宋佳")
ENTS_3 = entities(
    ARTICLE_3,
    ("县教育局", "ORG"), ("2023年校园安全工作会", "EVENT"),                                  # 0 1
    ("通讯员", "TITLE"), ("何静", "PER"), ("4月12日", "TIME"),                              # 2 3 4
    ("县教育局", "ORG"), ("2023年校园安全工作会", "EVENT"),                                  # 5 6
    ("党组书记", "TITLE"), ("局长", "TITLE"), ("吴建华", "PER"),                            # 7 8 9
    ("责任编辑", "TITLE"), ("宋佳", "PER"),                                                # 10 11
)
PRED_3 = {"text": ARTICLE_3, "entities": ENTS_3, "relations": relations(
    (0, 1, "主持"), (3, 2, "任职"), (5, 6, "主持"), (6, 4, "时间"), (9, 7, "任职"), (9, 8, "任职"), (11, 10, "任职"),
)}


def test_article_3_one_meeting_named_twice_with_its_organiser_and_date():
    facts = extract_article(PRED_3)
    assert facts["meetings"] == [
        {"name": "2023年校园安全工作会", "mentions": spans(ENTS_3, 1, 6),
         "chairs": [{"name": "县教育局", "type": "ORG", "evidence": spans(ENTS_3, 0, 1, 5, 6)}],
         "times": [{"time": "4月12日", "evidence": spans(ENTS_3, 4, 6)}]},
    ]
    assert facts["people"] == [
        {"name": "何静", "mentions": spans(ENTS_3, 3), "memberships": [],
         "posts": [{"title": "通讯员", "organisations": [], "evidence": spans(ENTS_3, 2, 3)}]},
        {"name": "吴建华", "mentions": spans(ENTS_3, 9), "memberships": [],
         "posts": [{"title": "党组书记", "organisations": [], "evidence": spans(ENTS_3, 7, 9)},
                   {"title": "局长", "organisations": [], "evidence": spans(ENTS_3, 8, 9)}]},
        {"name": "宋佳", "mentions": spans(ENTS_3, 11), "memberships": [],
         "posts": [{"title": "责任编辑", "organisations": [], "evidence": spans(ENTS_3, 10, 11)}]},
    ]
    assert facts["organisations"] == [{"name": "县教育局", "mentions": spans(ENTS_3, 0, 5)}]


@pytest.mark.parametrize("pred", [PRED_1, PRED_2, PRED_3], ids=["article1", "article2", "article3"])
def test_facts_are_json_and_every_span_quotes_the_text(pred):
    facts = extract_article(pred)
    assert json.loads(json.dumps(facts, ensure_ascii=False)) == facts
    found = all_evidence(facts)
    assert found  # each article yields spans to check
    for span in found:
        assert pred["text"][span["start"]:span["end"]] == span["text"]


def test_relations_against_the_schema_or_with_broken_indices_are_not_facts():
    text = "县委书记王某某主持召开会议。"
    ents = entities(text, ("县委", "ORG"), ("书记", "TITLE"), ("王某某", "PER"))
    pred = {"text": text, "entities": ents,
            "relations": relations((0, 1, "任职"),  # ORG -> TITLE: 任职 needs a PER head
                                   (2, 9, "任职"))}  # no entity 9
    facts = extract_article(pred)
    assert facts["people"] == [{"name": "王某某", "mentions": spans(ents, 2), "posts": [], "memberships": []}]


def test_a_title_at_two_organisations_is_two_posts():
    text = "市卫健委主任张强。省卫健委主任张强。"
    ents = entities(text, ("市卫健委", "ORG"), ("主任", "TITLE"), ("张强", "PER"),
                    ("省卫健委", "ORG"), ("主任", "TITLE"), ("张强", "PER"))
    pred = {"text": text, "entities": ents,
            "relations": relations((2, 1, "任职"), (1, 0, "隶属"), (5, 4, "任职"), (4, 3, "隶属"))}
    posts = extract_article(pred)["people"][0]["posts"]
    assert posts == [{"title": "主任", "organisations": ["市卫健委"], "evidence": spans(ents, 0, 1, 2)},
                     {"title": "主任", "organisations": ["省卫健委"], "evidence": spans(ents, 3, 4, 5)}]


def test_a_text_goes_through_the_given_predictor(tiny_predictor):
    facts = extract_article(SAMPLE, predictor=tiny_predictor)
    assert facts["text"] == SAMPLE
    assert set(facts) == {"text", "people", "organisations", "meetings", "donations"}
    pred = tiny_predictor.predict(SAMPLE)
    assert facts == extract_article(pred)  # the same as extracting from the prediction
    assert [p["name"] for p in facts["people"]] == list(dict.fromkeys(
        e["text"] for e in pred["entities"] if e["type"] == "PER"))
    for span in all_evidence(facts):
        assert SAMPLE[span["start"]:span["end"]] == span["text"]


def test_bad_input_says_what_is_expected():
    with pytest.raises(TypeError, match="prediction dict"):
        extract_article(["not", "an", "article"])
    with pytest.raises(TypeError, match="entities"):
        extract_article({"text": "x", "entities": "none"})


def test_extract_article_is_exported():
    assert govie.extract_article is extract_article


def test_to_dataframes_gives_one_row_per_post_meeting_and_donation():
    pytest.importorskip("pandas")  # an optional dependency (it comes with the dev extras, via datasets)
    tables = to_dataframes(extract_article(PRED_1))
    people = tables["people"]
    assert list(people.columns) == ["person", "title", "organisation", "evidence"]
    assert people[["person", "title", "organisation"]].values.tolist() == [
        ["陈立群", "书记", "区委"], ["陈立群", "主任", "区人大常委会"], ["赵明", "常委", "区委"],
        ["赵明", "副区长", "区政府"], ["林海", "", "区水利局"]]
    assert tables["meetings"]["chairs"].tolist() == ["", "陈立群"]
    assert tables["meetings"]["times"].tolist() == ["", "6月3日上午"]
    donations = to_dataframes(extract_article(PRED_2))["donations"]
    assert donations["amounts"].tolist() == ["5000只、200箱", "20顶", "300床", "800元"]
    assert donations["evidence"][0] == "王海涛[18:21] 石桥镇[22:25] 5000只[29:34] 200箱[38:42]"


def test_to_dataframes_without_pandas_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match="pip install pandas"):
        to_dataframes(extract_article(PRED_1))
