"""Facts from one article: who holds which post, who chaired which meeting and when, who gave what to whom.

    >>> facts = govie.extract_article(open("article.txt").read())
    >>> facts["people"][0]
    {"name": "刘建国", "mentions": [...], "posts": [{"title": "副书记", "organisations": ["县委"], "evidence": [...]}],
     "memberships": []}

The facts are read off one prediction (entities + relations, GUIDELINES schema): nothing is inferred
that the relations do not say, except that the same name is the same person (or body, or meeting)
throughout one article. Every fact carries its evidence: spans {start, end, text, type} into the text.
"""
from __future__ import annotations

from .schema import sentence_ids

Span = dict  # {"start", "end", "text", "type"}


# -- reading the prediction ------------------------------------------------------------------
def _check_prediction(pred) -> None:
    if not isinstance(pred, dict) or not isinstance(pred.get("text"), str):
        raise TypeError("extract_article() needs a text (str) or a prediction dict with 'text', 'entities', 'relations'")
    for key in ("entities", "relations"):
        if not isinstance(pred.get(key, []), list):
            raise TypeError(f"prediction field {key!r} must be a list")


def _span(text: str, ent: dict) -> Span:
    # The text is re-read from the offsets so evidence always satisfies text[start:end] == span text.
    return {"start": ent["start"], "end": ent["end"], "text": text[ent["start"]:ent["end"]], "type": ent["type"]}


def _typed_relations(pred: dict, rtype: str, head_types: set[str], tail_types: set[str]):
    """(head entity, tail entity) of every relation of rtype whose ends have the expected types."""
    ents = pred.get("entities", [])
    for rel in pred.get("relations", []):
        if rel.get("type") != rtype:
            continue
        h, t = rel.get("head"), rel.get("tail")
        if not (isinstance(h, int) and isinstance(t, int) and 0 <= h < len(ents) and 0 <= t < len(ents)):
            continue  # a broken index is not a fact
        if ents[h]["type"] in head_types and ents[t]["type"] in tail_types:
            yield h, t


def _add_unique(items: list, new_items) -> None:
    for item in new_items:
        if item not in items:
            items.append(item)


def _by_position(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s["start"], s["end"]))


# -- people ----------------------------------------------------------------------------------
def _people(pred: dict) -> list[dict]:
    text, ents = pred["text"], pred.get("entities", [])
    people: dict[str, dict] = {}  # name -> entry, in order of first mention
    for ent in ents:
        if ent["type"] == "PER":
            name = _span(text, ent)["text"]
            entry = people.setdefault(name, {"name": name, "mentions": [], "posts": [], "memberships": []})
            entry["mentions"].append(_span(text, ent))

    title_orgs: dict[int, list[int]] = {}  # TITLE entity -> ORG entities it belongs to (隶属)
    for title, org in _typed_relations(pred, "隶属", {"TITLE"}, {"ORG"}):
        title_orgs.setdefault(title, []).append(org)

    for per, title in _typed_relations(pred, "任职", {"PER"}, {"TITLE"}):
        orgs = title_orgs.get(title, [])
        post = {"title": _span(text, ents[title])["text"],
                "organisations": list(dict.fromkeys(_span(text, ents[o])["text"] for o in orgs)),
                "evidence": [_span(text, ents[i]) for i in (per, title, *orgs)]}
        _merge_post(people[_span(text, ents[per])["text"]]["posts"], post)

    for per, org in _typed_relations(pred, "隶属", {"PER"}, {"ORG"}):
        membership = {"organisation": _span(text, ents[org])["text"],
                      "evidence": [_span(text, ents[per]), _span(text, ents[org])]}
        _merge_by(people[_span(text, ents[per])["text"]]["memberships"], membership, "organisation")

    for entry in people.values():
        _fold_bare_titles(entry["posts"])
        for fact in entry["posts"] + entry["memberships"]:
            fact["evidence"] = _by_position(fact["evidence"])
    return list(people.values())


def _merge_post(posts: list[dict], post: dict) -> None:
    """The same title at the same organisations, said twice, is one post with both evidences."""
    for old in posts:
        if old["title"] == post["title"] and old["organisations"] == post["organisations"]:
            _add_unique(old["evidence"], post["evidence"])
            return
    posts.append(post)


def _merge_by(facts: list[dict], fact: dict, key: str) -> None:
    for old in facts:
        if old[key] == fact[key]:
            _add_unique(old["evidence"], fact["evidence"])
            return
    facts.append(fact)


def _fold_bare_titles(posts: list[dict]) -> None:
    """A title named later without its organisation ("县长刘建国" after "青山县县长刘建国") is the same post,
    when exactly one post of that person has that title with an organisation."""
    for bare in [p for p in posts if not p["organisations"]]:
        full = [p for p in posts if p["title"] == bare["title"] and p["organisations"]]
        if len(full) == 1:
            _add_unique(full[0]["evidence"], bare["evidence"])
            posts.remove(bare)


# -- organisations ---------------------------------------------------------------------------
def _organisations(pred: dict) -> list[dict]:
    text = pred["text"]
    orgs: dict[str, dict] = {}
    for ent in pred.get("entities", []):
        if ent["type"] == "ORG":
            span = _span(text, ent)
            orgs.setdefault(span["text"], {"name": span["text"], "mentions": []})["mentions"].append(span)
    return list(orgs.values())


# -- meetings --------------------------------------------------------------------------------
def _meetings(pred: dict) -> list[dict]:
    """One entry per EVENT name: who chaired it (主持 heads) and when (时间 tails)."""
    text, ents = pred["text"], pred.get("entities", [])
    meetings: dict[str, dict] = {}
    for ent in ents:
        if ent["type"] == "EVENT":
            span = _span(text, ent)
            meetings.setdefault(span["text"], {"name": span["text"], "mentions": [], "chairs": [], "times": []})
            meetings[span["text"]]["mentions"].append(span)

    for chair, event in _typed_relations(pred, "主持", {"PER", "ORG"}, {"EVENT"}):
        who = _span(text, ents[chair])
        fact = {"name": who["text"], "type": who["type"], "evidence": [who, _span(text, ents[event])]}
        _merge_chair(meetings[_span(text, ents[event])["text"]]["chairs"], fact)

    for event, time in _typed_relations(pred, "时间", {"EVENT"}, {"TIME"}):
        when = _span(text, ents[time])
        fact = {"time": when["text"], "evidence": [_span(text, ents[event]), when]}
        _merge_by(meetings[_span(text, ents[event])["text"]]["times"], fact, "time")

    for meeting in meetings.values():
        for fact in meeting["chairs"] + meeting["times"]:
            fact["evidence"] = _by_position(fact["evidence"])
    return list(meetings.values())


def _merge_chair(chairs: list[dict], fact: dict) -> None:
    for old in chairs:
        if (old["name"], old["type"]) == (fact["name"], fact["type"]):
            _add_unique(old["evidence"], fact["evidence"])
            return
    chairs.append(fact)


# -- donations -------------------------------------------------------------------------------
def _sentence_bounds(text: str, sid: int, sids: list[int]) -> dict:
    """The sentence numbered sid, without its surrounding whitespace: {start, end, text}."""
    start = sids.index(sid)
    end = len(sids) - sids[::-1].index(sid)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return {"start": start, "end": end, "text": text[start:end]}


def _donations(pred: dict) -> list[dict]:
    """Each 捐赠 relation, with the amounts (NUM) said in the same sentence."""
    text, ents = pred["text"], pred.get("entities", [])
    sids = sentence_ids(text)
    donations = []
    for giver, receiver in _typed_relations(pred, "捐赠", {"PER", "ORG"}, {"ORG", "LOC", "PER"}):
        sid = sids[ents[giver]["start"]]
        amounts = [_span(text, e) for e in ents if e["type"] == "NUM" and sids[e["start"]] == sid]
        donor, recipient = _span(text, ents[giver]), _span(text, ents[receiver])
        donations.append({
            "donor": {"name": donor["text"], "type": donor["type"]},
            "recipient": {"name": recipient["text"], "type": recipient["type"]},
            "amounts": [a["text"] for a in amounts],
            "sentence": _sentence_bounds(text, sid, sids),
            "evidence": _by_position([donor, recipient, *amounts]),
        })
    return donations


# -- the entry point -------------------------------------------------------------------------
def extract_article(text_or_prediction, predictor=None) -> dict:
    """Facts of one article: people (with posts and memberships), organisations, meetings, donations.

    text_or_prediction: the article text (predicted with `predictor`, or with the bundled model) or
    a prediction dict as `govie.predict` returns it. The result is a JSON-serialisable dict.
    """
    if isinstance(text_or_prediction, str):
        if predictor is None:
            from . import predict

            pred = predict(text_or_prediction)
        else:
            pred = predictor.predict(text_or_prediction)
    else:
        pred = text_or_prediction
    _check_prediction(pred)
    return {"text": pred["text"], "people": _people(pred), "organisations": _organisations(pred),
            "meetings": _meetings(pred), "donations": _donations(pred)}


# -- tables ----------------------------------------------------------------------------------
def _evidence_cell(spans: list[Span]) -> str:
    return " ".join(f"{s['text']}[{s['start']}:{s['end']}]" for s in spans)


def to_dataframes(facts: dict) -> dict:
    """pandas tables of the facts: {"people": one row per post or membership (or bare name),
    "meetings": one row per meeting, "donations": one row per donation}."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("govie.article.to_dataframes needs pandas: pip install pandas") from None

    people_rows = []
    for person in facts["people"]:
        for post in person["posts"]:
            people_rows.append({"person": person["name"], "title": post["title"],
                                "organisation": "、".join(post["organisations"]),
                                "evidence": _evidence_cell(post["evidence"])})
        for member in person["memberships"]:
            people_rows.append({"person": person["name"], "title": "", "organisation": member["organisation"],
                                "evidence": _evidence_cell(member["evidence"])})
        if not person["posts"] and not person["memberships"]:
            people_rows.append({"person": person["name"], "title": "", "organisation": "",
                                "evidence": _evidence_cell(person["mentions"])})
    meeting_rows = [{"meeting": m["name"], "chairs": "、".join(c["name"] for c in m["chairs"]),
                     "times": "、".join(t["time"] for t in m["times"]),
                     "evidence": _evidence_cell(m["mentions"])} for m in facts["meetings"]]
    donation_rows = [{"donor": d["donor"]["name"], "recipient": d["recipient"]["name"],
                      "amounts": "、".join(d["amounts"]), "sentence": d["sentence"]["text"],
                      "evidence": _evidence_cell(d["evidence"])} for d in facts["donations"]]
    columns = {"people": ["person", "title", "organisation", "evidence"],
               "meetings": ["meeting", "chairs", "times", "evidence"],
               "donations": ["donor", "recipient", "amounts", "sentence", "evidence"]}
    rows = {"people": people_rows, "meetings": meeting_rows, "donations": donation_rows}
    return {name: pd.DataFrame(rows[name], columns=columns[name]) for name in columns}
