"""Macros: slots that write several labelled pieces and their relations at once.

The official macro implements the ORG/TITLE split and the ellipsis rule of the
guidelines: "市残联党组书记、理事长张银良" -> 党组书记→市残联, 理事长→市残联 (隶属),
张银良→党组书记, 张银良→理事长 (任职). Titles that name their level with one
character (县长, 副区长, 镇长 ...) stand alone and start no ellipsis chain.
"""
from . import lexicon as L
from .context import cn_num


def _party_groups(x):
    lv = x.lvl()
    first = x._lv_prefix(lv, x.p(0.35))
    head = lv + "长"
    k = x.r.random()
    if k < 0.12:
        return [(first + "委", ["书记"])]
    if k < 0.22:
        return [(first + "委", ["副书记"]), (None, [head])]
    if k < 0.28:
        return [(first + "委", ["常委"]), (None, ["常务副" + head])]
    if k < 0.38:
        return [(first + "委", ["常委"]), (lv + "纪委", ["书记"]), (lv + "监委", ["主任"])]
    if k < 0.46:
        dept, t = x.c([("组织部", "部长"), ("宣传部", "部长"), ("统战部", "部长"), ("政法委", "书记"),
                       ("办公室", "主任")])
        return [(first + "委", ["常委"]), (x.c([dept, lv + "委" + dept]), [t])]
    if k < 0.52:
        return [(first + "委", ["常委"]), (None, ["副" + head])]
    if k < 0.62:
        return [(None, [x.c(["副" + head, "副" + head, head])])]
    if k < 0.67:
        return [(first + "政府", ["党组成员"]), (None, ["副" + head])]
    if k < 0.74:
        return [(first + "人大常委会", x.c([["主任"], ["副主任"], ["党组书记", "主任"], ["党组成员", "副主任"]]))]
    if k < 0.8:
        return [((first + "政协") if x.p(0.7) else "政协" + x._lv_prefix(lv, True) + "委员会",
                 x.c([["主席"], ["副主席"], ["党组书记", "主席"]]))]
    if k < 0.86:
        return [(first + "纪委", ["副书记"]), (lv + "监委", ["副主任"])]
    if k < 0.9:
        return [(first + "委", ["副书记"])]
    if k < 0.95:
        hq = x.c([lv + "疫情防控指挥部", x.county + "新冠肺炎疫情防控指挥部", lv + "防汛抗旱指挥部"])
        return [(first + "委", [x.c(["书记", "副书记"])]), (hq, [x.c(["指挥长", "副指挥长", "第一指挥长"])])]
    return [(first + "委", ["常委"]), (lv + "纪委", ["书记"]), (lv + "监委", ["代主任"])]


def _bureau_groups(x):
    full, short, head, dep = x._bureau()
    org = x._lv_prefix(x.lvl(), x.p(0.4)) + (full if x.p(0.35) else short)
    party = "党委书记" if short == "公安局" else "党组书记"
    k = x.r.random()
    if k < 0.25:
        return [(org, [head])]
    if k < 0.5:
        return [(org, [party, head])]
    if k < 0.65:
        return [(org, [dep])]
    if k < 0.78:
        return [(org, ["党组成员", dep])]
    if k < 0.9:
        return [(org, [x.c(["四级调研员", "三级调研员", "一级主任科员", "二级调研员", "总工程师", "办公室主任"])])]
    if short == "公安局":
        return [(org, ["政委"])]
    return [(org, [party])]


def _mass_groups(x):
    full, short, titles = x.c(L.MASS_ORGS)
    org = x._lv_prefix(x.lvl(), x.p(0.4)) + (full if x.p(0.3) else short)
    i = x.r.randrange(len(titles))
    if x.p(0.45) and i + 1 < len(titles):
        return [(org, titles[i:i + 2])]
    return [(org, [titles[i]])]


def _town_groups(x):
    t = x.g_town()
    street = t.endswith("街道")
    lvw = "街道" if street else t[-1]
    party = (t if x.p(0.75) else lvw) + ("党工委" if street else "党委")
    k = x.r.random()
    if k < 0.35:
        return [(party, ["书记"])]
    if k < 0.65:
        if street:
            return [(party, ["副书记"]), ("办事处", ["主任"])]
        return [(party, ["副书记"]), (None, [lvw + "长"])]
    if k < 0.78:
        return [(party, ["委员"]), (None, ["副" + lvw + "长" if not street else "副主任"])] if not street else \
            [(party, ["委员"]), ("办事处", ["副主任"])]
    if k < 0.88:
        return [(t + "纪委", ["书记"])] if not street else [(t + "纪工委", ["书记"])]
    return [(None, [("副" if x.p(0.5) else "") + (lvw + "长" if not street else "办事处主任")])] if not street else \
        [(t + "办事处", [x.c(["主任", "副主任"])])]


def _village_groups(x):
    v = x.g_village() if x.p(0.65) else x.g_community()
    comm = v.endswith("社区")
    k = x.r.random()
    if k < 0.45:
        return [(v + x.c(["党支部", "党总支"]), ["书记"])]
    if k < 0.75:
        return [(v + "党支部", ["书记"]), (None, ["居委会主任" if comm else x.c(["村委会主任", "村主任"])])]
    if k < 0.9:
        return [(v + ("居委会" if comm else "村委会"), [x.c(["主任", "委员"])])]
    return [(v + "党支部", ["副书记"])]


def _hosp_groups(x):
    h = x.g_o_hosp() if x.p(0.6) else x.g_o_hosp2()
    return [(h, x.c([["院长"], ["党委书记", "院长"], ["副院长"], ["党委书记"], ["党委副书记", "院长"],
                     ["感染科主任"], ["护理部主任"]]))]


def _school_groups(x):
    return [(x.g_o_school(), x.c([["校长"], ["党支部书记", "校长"], ["副校长"], ["党委书记", "院长"]]))]


def _company_groups(x):
    c = x.g_o_company() if x.p(0.6) else x.g_o_company2()
    return [(c, x.c([["董事长"], ["董事长", "总经理"], ["党委书记", "董事长"], ["总经理"], ["副总经理"],
                     ["执行董事"], ["董事长", "党委书记"]]))]


def _charity_groups(x):
    org = x.g_o_charity()
    if "红十字会" in org:
        return [(org, x.c([["会长"], ["常务副会长"], ["党组书记", "常务副会长"], ["秘书长"]]))]
    return [(org, x.c([["会长"], ["秘书长"], ["常务副会长"], ["会长", "秘书长"]]))]


def _police_groups(x):
    if x.p(0.3):
        return [(x.g_o_police_station(), [x.c(["所长", "教导员", "副所长"])])]
    org = x._lv_prefix(x.lvl(), x.p(0.5)) + "公安局"
    return [(org, x.c([["党委书记", "局长"], ["局长"], ["政委"], ["副局长"], ["党委委员", "副局长"]]))]


KINDS = {
    "party": _party_groups, "bureau": _bureau_groups, "mass": _mass_groups, "town": _town_groups,
    "village": _village_groups, "hosp": _hosp_groups, "school": _school_groups, "company": _company_groups,
    "charity": _charity_groups, "police": _police_groups,
}
# officials who chair meetings, lead inspections and speak for bodies; hospital, school, company and village
# officials appear through templates that name their kind explicitly
ANY = [("party", 52), ("bureau", 22), ("town", 14), ("mass", 5), ("police", 3), ("charity", 2), ("hosp", 1),
       ("village", 1)]
EVERYONE = [("party", 35), ("bureau", 20), ("town", 12), ("mass", 6), ("hosp", 6), ("company", 6), ("village", 6),
            ("police", 3), ("school", 3), ("charity", 3)]


def official(x, s, kind=None, honorific=True):
    """Stacked titles at bodies, then the name: 市委常委、市纪委书记、市监委主任李成宽."""
    if kind is None or kind == "any":
        table = EVERYONE if kind == "any" else ANY
        kind = x.r.choices([k for k, _ in table], [w for _, w in table])[0]
    groups = KINDS[kind](x)
    titles = []
    for gi, (org, tl) in enumerate(groups):
        if gi:
            s.lit("、")
        o = s.ent(org, "ORG") if org else None
        for ti, t in enumerate(tl):
            if ti:
                s.lit("、")
            i = s.ent(t, "TITLE")
            if o is not None:
                s.rel(i, o, "隶属")
            titles.append(i)
    p = s.ent(x.g_per(), "PER")
    for t in titles:
        s.rel(p, t, "任职")
    if honorific and x.p(0.1):
        s.lit("同志")
    return p


def m_off(x, s, arg=None):
    return official(x, s, arg or None)


def m_offs(x, s, arg=None):
    """Two or three officials in a row: 县委书记张三，县委副书记、县长李四等."""
    n = x.r.randint(2, 3)
    first = None
    for i in range(n):
        if i:
            s.lit(x.c(["，", "，", "和", "、"]) if i == n - 1 else "，")
        p = official(x, s, "any" if x.p(0.3) else None, honorific=False)
        first = first if first is not None else p
    s.lit(x.c(["等", "", "等领导", "一同"]))
    return first


def m_per(x, s, arg=None):
    p = s.ent(x.g_per(), "PER")
    if x.p(0.15):
        s.lit(x.c(["同志", "先生", "女士"]))
    return p


def m_goods_qty(x, s, arg=None):
    g = x.g_goods()
    unit = L.GOODS_UNITS[g]
    k = x.r.random()
    if unit in ("只",) and k < 0.4:
        q = f"{x._n(1, 50)}万{unit}"
    elif k < 0.75:
        q = f"{x._n(2, 5000)}{unit}"
    else:
        q = f"{x._n(10, 900, 10)}{x.c(['余', '多'])}{unit}"
    n = s.ent(q, "NUM")
    s.lit(g)
    return n


def m_goods_value(x, s, arg=None):
    s.lit(x.c(["价值", "总价值", "价值约", "折合人民币"]))
    n = s.ent(x.g_money(), "NUM")
    s.lit("的" + x.c(["防疫物资", "生活物资", "医疗物资", "消毒用品", "慰问品", "口罩和消毒液", "米面油"]))
    return n


def m_byline(x, s, arg=None):
    """(记者 徐孟国 通讯员 孙利丹): 任职 for each named role."""
    l, r = x.c([("（", "）"), ("(", ")")])
    s.lit(l)
    roles = x.c([["记者", "通讯员"], ["记者"], ["通讯员"], ["记者", "记者"], ["记者", "通讯员", "通讯员"],
                 ["通讯员", "通讯员"], ["实习生"], ["记者", "实习生"]])
    first = None
    for i, role in enumerate(roles):
        if i and not (role == roles[i - 1] and x.p(0.5)):
            s.lit(x.c([" ", " ", "  ", "，"]))
            t = s.ent(role, "TITLE")
            s.lit(x.c([" ", "", " "]))
        elif i:
            s.lit(x.c([" ", "、"]))
        else:
            t = s.ent(role, "TITLE")
            s.lit(x.c([" ", "", " "]))
        p = s.ent(x.g_per(), "PER")
        s.rel(p, t, "任职")
        first = first if first is not None else p
    s.lit(r)
    return first


def m_session_ord(x, s, arg=None):
    s.lit("第" + cn_num(x.r.randint(1, 9)) + "次")
    return None


def m_paper_mark(x, s, arg=None):
    """A media outlet written in 《》: the marks stay outside the ORG span."""
    s.lit("《")
    i = s.ent(x.g_o_media_paper(), "ORG")
    s.lit("》")
    return i


def m_gov_head(x, s, arg=None):
    """[上蔡县人民政府][县长]: returns the TITLE; the 隶属 is added here."""
    if x.p(0.6):
        o = s.ent(x.county + "人民政府", "ORG")
        t = s.ent(x.c(["", "", "副"]) + x.L + "长", "TITLE")
    else:
        o = s.ent(x.city + "人民政府", "ORG")
        t = s.ent(x.c(["", "", "副"]) + "市长", "TITLE")
    s.rel(t, o, "隶属")
    return t


def m_venue(x, s, arg=None):
    """Where an event is held: a hall or square is LOC, a centre or hotel is ORG."""
    if x.p(0.5):
        return s.ent(x.g_hall(), "LOC")
    return s.ent(x.g_o_venue(), "ORG")


def m_org_title(x, s, arg=None):
    """Titles at bodies, no person in the macro: 隶属 only (出席会议的有市委副书记、区财政局局长等).

    Returns the list of TITLE indices, so a template can give a person 任职 to each of them
    ("张三现任县财政局党组书记、局长")."""
    if arg in (None, "any"):
        arg = x.r.choices([k for k, _ in EVERYONE], [w for _, w in EVERYONE])[0]
    groups = KINDS[arg](x)
    titles = []
    for gi, (org, tl) in enumerate(groups):
        if gi:
            s.lit("、")
        o = s.ent(org, "ORG") if org else None
        for ti, t in enumerate(tl):
            if ti:
                s.lit("、")
            i = s.ent(t, "TITLE")
            titles.append(i)
            if o is not None:
                s.rel(i, o, "隶属")
    return titles
