"""Per-record context: a locale, slot generators (g_*) and multi-entity macros (m_*).

Generators return the text of one piece. Macros write several pieces into a
Sentence and return the index of their main entity (a PER for officials).
Everything random goes through ``self.r`` (a ``random.Random``), never the
global generator.
"""
from . import lexicon as L
from .places import city_short, county_level, county_short, load, prov_short


class Sentence:
    """Pieces of one sentence: (text, entity type or None) plus relations."""

    __slots__ = ("pieces", "ents", "rels", "name")

    def __init__(self, name=""):
        self.pieces, self.ents, self.rels, self.name = [], [], [], name

    def lit(self, s):
        if s:
            self.pieces.append((s, None))

    def ent(self, s, etype):
        assert s and s == s.strip(), (s, etype)
        self.pieces.append((s, etype))
        self.ents.append(len(self.pieces) - 1)
        return len(self.ents) - 1

    def rel(self, h, t, r):
        assert h is not None and t is not None and h != t
        if (h, t, r) not in self.rels:
            self.rels.append((h, t, r))

    def text(self):
        return "".join(p for p, _ in self.pieces)


def cn_num(n):
    """Chinese numeral for 1..99 (ordinals in names: 第十七届, 第五次)."""
    d = L.CN_DIGITS
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n % 10] if n % 10 else "")
    return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")


class Ctx:
    def __init__(self, r):
        self.r = r
        counties, self.by_city = load()
        # weight Henan (the genre's home) three times, everything else once
        while True:
            loc = r.choice(counties)
            if loc["prov"] == "河南省" or r.random() < 0.34:
                break
        self.prov = loc["prov"]
        self.prov_s = prov_short(self.prov)
        self.city = loc["city"]
        self.city_s = city_short(self.city)
        self.county = loc["county"]
        self.county_s = county_short(self.county)
        self.L = county_level(self.county)
        self.siblings = [c for c in self.by_city.get(loc["code"][:4], []) if c != self.county] or [self.county]
        self.main_lv = "市" if r.random() < 0.35 else self.L
        self.year = r.choice([2018, 2019, 2020, 2020, 2020, 2021, 2021, 2022, 2023])
        self.month = r.randint(1, 12)
        self._memo = {}
        self.surnames = [s for s, _ in L.SURNAMES]
        self.weights = [w for _, w in L.SURNAMES]

    # ------------------------------------------------------------------ helpers
    def c(self, seq):
        return self.r.choice(seq)

    def p(self, prob):
        return self.r.random() < prob

    def memo(self, key, fn):
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def lvl(self):
        """A level word for a body in this locale: 市 (the city) or the county's 县/区/市.

        Mostly the record's main level, so that the bodies of one paragraph agree."""
        other = self.L if self.main_lv == "市" else "市"
        return self.main_lv if self.p(0.8) else other

    def gen(self, name):
        fn = getattr(self, "g_" + name, None)
        if fn is None:
            raise KeyError(f"no generator g_{name}")
        return fn()

    # ------------------------------------------------------------------ people
    def g_per(self):
        sur = self.r.choices(self.surnames, self.weights)[0]
        n = 1 if self.p(0.28) else 2
        return sur + "".join(self.c(L.GIVEN_CHARS) for _ in range(n))

    # ------------------------------------------------------------------ time
    def _md(self, month=None):
        m = month or (self.month if self.p(0.6) else self.r.randint(1, 12))
        return m, self.r.randint(1, 28 if m == 2 else 30)

    def g_date(self):
        m, d = self._md()
        return f"{m}月{d}日"

    def g_pod(self):
        return self.c(["上午", "下午", "晚", "晚上", "早上", "中午", "上午", "下午"])

    def g_date_pod(self):
        return self.g_date() + self.g_pod()

    def g_date_full(self):
        m, d = self._md()
        return f"{self.year}年{m}月{d}日" + (self.g_pod() if self.p(0.3) else "")

    def g_date_iso(self):
        m, d = self._md()
        return f"{self.year}-{m:02d}-{d:02d}"

    def g_date_range(self):
        m, d = self._md()
        d = min(d, 25)
        d2 = d + self.r.randint(1, 4)
        return f"{m}月{d}日" + self.c(["——", "至", "—"]) + f"{d2}日"

    def g_lunar(self):
        return self.c(["除夕", "腊月二十九", "腊月二十八", "腊月二十六", "正月初一", "正月初二", "正月初三",
                       "正月初五", "正月初七", "正月初八", "正月十五", "大年初一", "大年初二", "大年初三"])

    def g_festival(self):
        return self.c(["春节", "元宵节", "中秋节", "国庆节", "端午节", "重阳节", "元旦", "清明节", "五一"])

    def g_clock(self):
        pod = self.c(["上午", "下午", "晚", "早上"])
        h = {"上午": self.r.randint(8, 11), "下午": self.r.randint(2, 5), "晚": self.r.randint(7, 10),
             "早上": self.r.randint(6, 8)}[pod]
        mm = self.c(["时", "点", "时30分", "点半", "时许"])
        return self.g_date() + pod + f"{h}{mm}"

    def g_datetime(self):
        m, d = self._md()
        s = f"{self.year}-{m:02d}-{d:02d} {self.r.randint(6, 23):02d}:{self.r.randint(0, 59):02d}"
        if self.p(0.3):
            s += f":{self.r.randint(0, 59):02d}"
        return s

    def g_time_any(self):
        k = self.r.random()
        if k < 0.45:
            return self.g_date()
        if k < 0.75:
            return self.g_date_pod()
        if k < 0.88:
            return self.g_date_full()
        if k < 0.95:
            return self.g_clock()
        return self.g_date_iso()

    def g_year(self):
        return f"{self.year - self.r.randint(0, 1)}年"


    def g_birth(self):
        return f"{self.r.randint(1962, 1990)}年{self.r.randint(1, 12)}月"

    # ------------------------------------------------------------------ numbers
    def _n(self, lo, hi, round_to=1):
        n = self.r.randint(lo, hi)
        return max(round_to, n // round_to * round_to)

    def _a(self, lo, hi):
        """A round number for approximate counts (20余名, 3000余人次, 1.5万)."""
        n = self.r.randint(lo, hi)
        if n < 100:
            return max(10, n // 10 * 10)
        f = 10 ** (len(str(n)) - (1 if self.p(0.6) else 2))
        return max(10, n // f * f)

    def g_people(self):
        k = self.r.random()
        if k < 0.55:
            return f"{self._n(2, 900)}名"
        if k < 0.75:
            return f"{self._a(20, 3000)}余名"
        if k < 0.9:
            return f"{self._a(20, 800)}多名"
        return self.c(["百余名", "数百名", "两百余名", "三百多名", "千余名", "20余名", "十余名"])

    def g_persons(self):
        return f"{self._n(3, 20000)}人" if self.p(0.7) else f"{self._a(100, 9000)}余人"

    def g_persons_times(self):
        return f"{self._n(30, 99999)}人次" if self.p(0.7) else f"{self._a(100, 90000)}余人次"

    def g_households(self):
        return f"{self._n(3, 9000)}户" if self.p(0.8) else f"{self._a(100, 3000)}余户"

    def g_shops(self):
        return f"{self._n(3, 900)}家" if self.p(0.8) else f"{self._a(20, 500)}余家"

    def g_count_ge(self):
        return f"{self._n(2, 90)}个" if self.p(0.85) else f"{self._a(10, 200)}余个"

    def g_count_small(self):
        return f"{self._n(2, 15)}个"

    def g_cases(self):
        return f"{self._n(1, 60)}" + self.c(["起", "件", "宗"])

    def g_count_jian(self):
        return f"{self._n(3, 300)}件"

    def g_samples(self):
        return f"{self._n(50, 90000)}份"

    def g_vehicles(self):
        return f"{self._n(50, 20000)}" + self.c(["辆", "辆次", "台次"])

    def g_money(self):
        k = self.r.random()
        if k < 0.35:
            return f"{self._n(1, 500)}万元"
        if k < 0.55:
            return f"{self._n(1, 99)}.{self.r.randint(1, 9)}万元"
        if k < 0.75:
            return f"{self._n(200, 50000, 100)}元"
        if k < 0.85:
            return f"{self._a(10, 90)}余万元"
        if k < 0.93:
            return "人民币" + f"{self._n(1, 200)}万元"
        return "人民币" + f"{self._n(1, 200)}万"

    def g_income(self):
        return f"{self._n(5000, 30000, 100)}元" if self.p(0.5) else f"{self.r.randint(1, 3)}.{self.r.randint(1, 9)}万元"

    def g_money_big(self):
        k = self.r.random()
        if k < 0.4:
            return f"{self._n(1, 150)}亿元"
        if k < 0.6:
            return f"{self._n(1, 50)}.{self.r.randint(1, 9)}亿元"
        if k < 0.8:
            return f"{self._n(1000, 90000, 100)}万元"
        return f"{self._n(2, 80)}亿"

    def g_money_fx(self):
        return f"{self._n(100, 9000, 100)}万" + self.c(["港元", "美元", "欧元"]) if self.p(0.6) else \
            f"{self._n(1, 20)}亿" + self.c(["港元", "美元"])

    def g_pct_small(self):
        return f"{self.r.randint(0, 2)}.{self.r.randint(1, 99):02d}%"

    def g_people_small(self):
        return f"{self._n(3, 60)}名" if self.p(0.7) else f"{self._a(10, 60)}余名"

    def g_population(self):
        return f"{self._n(8, 160)}万人" if self.p(0.6) else f"{self._n(8, 160)}.{self.r.randint(1, 9)}万"

    def g_pct(self):
        return f"{self.r.randint(1, 99)}%" if self.p(0.6) else f"{self.r.randint(0, 99)}.{self.r.randint(1, 9)}%"

    def g_area_sqm(self):
        return f"{self._n(1, 90)}万平方米" if self.p(0.5) else f"{self._n(200, 90000, 100)}平方米"

    def g_area_mu(self):
        return f"{self._n(50, 20000, 10)}亩" if self.p(0.7) else f"{self._a(100, 9000)}余亩"

    def g_area_km(self):
        return f"{self._n(2, 900)}平方公里" + self.c(["", "", "以上"])

    def g_dur(self):
        return self.c(["24小时", "12小时以上", "8小时", "48小时", "72小时", "两个小时", "3个多小时"])

    def g_days(self):
        return self.c([f"{self._n(3, 60)}天", f"{self._a(10, 60)}余天", f"{self._n(2, 6)}个月", "一个多月",
                       f"{self._n(10, 60)}个日夜"])

    def g_mm(self):
        return f"{self._n(30, 400)}毫米" if self.p(0.7) else f"{self._n(30, 300)}.{self.r.randint(1, 9)}毫米"

    def g_meters(self):
        return f"{self.r.randint(0, 3)}.{self.r.randint(1, 9)}米"

    def g_km(self):
        return f"{self._n(2, 200)}公里" if self.p(0.7) else f"{self._n(2, 90)}.{self.r.randint(1, 9)}公里"

    def g_jobs(self):
        return f"{self._n(100, 9000, 50)}个" if self.p(0.7) else f"{self._a(100, 9000)}余个"

    def g_kinds(self):
        return self.c(["两类", "三类", "四类"])


    def g_paper(self):
        return f"{self._n(100, 90000, 10)}" + self.c(["份", "张"]) if self.p(0.6) else \
            f"{self._a(100, 90000)}" + self.c(["余份", "余张", "多份"])

    def g_banners(self):
        return f"{self._n(2, 900)}" + self.c(["条", "幅"]) if self.p(0.7) else f"{self._a(20, 900)}余条"

    def g_teams(self):
        return f"{self._n(2, 40)}支"

    def g_cases_p(self):
        return f"{self._n(1, 60)}例"

    def g_items_generic(self):
        return f"{self._n(100, 90000)}" + self.c(["件", "批次"]) if self.p(0.6) else f"{self._a(100, 90000)}余件"

    def g_money_rmb(self):
        return "人民币" + f"{self._n(1, 300)}万" + self.c(["元", "元", ""])

    def g_hours(self):
        return f"{self._n(100, 90000)}小时" if self.p(0.5) else f"{self._a(100, 90000)}余小时"

    def g_bags(self):
        return f"{self._n(1, 90)}万条" if self.p(0.5) else f"{self._n(500, 9000, 100)}条"

    def g_pieces(self):
        return f"{self._n(100, 9000, 10)}件"

    def g_cubic(self):
        return f"{self._n(500, 90000, 100)}立方米"

    def g_boxes(self):
        return f"{self._n(20, 3000)}" + self.c(["箱", "斤", "公斤", "吨", "件", "袋"])

    def g_doses(self):
        return f"{self._n(1, 900)}万剂次" if self.p(0.6) else f"{self._n(1000, 90000, 10)}剂次"

    def g_age(self):
        return f"{self.r.randint(19, 92)}岁"

    def g_counter(self):
        return str(self.r.choice([0, 0, self.r.randint(1, 99), self.r.randint(100, 99999)]))

    def g_icp(self):
        abbr = L.PROV_ABBR.get(self.prov_s, "豫")
        return f"{abbr}ICP备{self.r.randint(10000000, 20999999)}号" + self.c(["", "-1", "-2", ""])

    def g_police_icp(self):
        abbr = L.PROV_ABBR.get(self.prov_s, "豫")
        return f"{abbr}公网安备 {self.r.randint(41000000000000, 41999999999999)}号"

    def g_phone(self):
        return self.c([f"0{self.r.randint(310, 398)}-{self.r.randint(2000000, 8999999)}",
                       f"1{self.c('3589')}{self.r.randint(100000000, 999999999)}", "12345", "12320"])

    def g_smscode(self):
        return self.c(["JKSB", "YQ", "FK", "HX", "BB"]) + str(self.r.randint(1, 99))

    def g_imgid(self):
        return "".join(self.c("0123456789abcdef") for _ in range(self.c([16, 24, 32])))\
            + self.c([".jpg", ".png", "", ""])

    def g_email(self):
        user = "".join(self.c("abcdefghijklmnopqrstuvwxyz") for _ in range(self.r.randint(3, 8)))
        return user + str(self.r.randint(0, 999)) + self.c(["@163.com", "@126.com", "@qq.com", "@sina.com"])

    # ------------------------------------------------------------------ places
    def g_prov(self):
        return self.prov

    def g_prov_s(self):
        return self.prov_s

    def g_city(self):
        return self.city

    def g_city_s(self):
        return self.city_s

    def g_county(self):
        return self.county

    def g_county_s(self):
        return self.county_s

    def g_county_c(self):
        """One-character short form of a place (来伊, 在卢, 驻环单位); skip characters that read as words."""
        for name in [self.county] + self.siblings:
            ch = county_short(name)[0]
            if ch not in L.SHORT_FORM_STOP:
                return ch
        return self.c(L.SHORT_FORM_FALLBACK)

    def g_sibling(self):
        return self.c(self.siblings)

    def g_other_city(self):
        counties, _ = load()
        return self.c(counties)["city"] if self.p(0.5) else self.c(
            ["武汉", "湖北", "武汉市", "湖北省", "黄冈", "孝感", "随州", "郑州", "石家庄", "吉林", "新疆", "喀什",
             "西藏", "河北省", "上海", "北京"])

    def g_hubei(self):
        return self.c(["湖北", "武汉", "湖北武汉", "武汉市", "湖北省", "黄冈", "孝感", "随州", "十堰", "信阳", "贵州",
                       "西藏", "新疆"])

    def _township(self):
        suf = self.r.choices([s for s, _ in L.TOWN_SUFFIX], [w for _, w in L.TOWN_SUFFIX])[0]
        return self.c(L.PLACE_FIRST) + self.c(L.PLACE_SECOND) + suf

    def g_town(self):
        return self.memo("town", self._township)

    def g_town2(self):
        t = self._township()
        return t if t != self.g_town() else self._township()


    def town_level(self):
        t = self.g_town()
        return "街道" if t.endswith("街道") else t[-1]

    def _village(self):
        return self.c(L.PLACE_FIRST) + self.c(L.PLACE_FIRST + L.PLACE_SECOND) + self.c(L.VILLAGE_SUFFIX)

    def g_village(self):
        return self.memo("village", self._village)


    def g_community(self):
        return self.memo("community", lambda: self.c(L.COMMUNITY_WORDS) + "社区")

    def g_community2(self):
        return self.c(L.COMMUNITY_WORDS) + "社区"

    def g_community_alias(self):
        return self.g_community() + self.c(["(西区)", "(东区)", "（南区）", "(北区)", "（一期）"])

    def g_compound(self):
        return self.memo("compound", lambda: self.c(L.COMPOUND_WORDS) + self.c(L.COMPOUND_SUFFIX))

    def g_compound2(self):
        return self.c(L.COMPOUND_WORDS) + self.c(L.COMPOUND_SUFFIX)

    def g_square(self):
        w = self.c(L.SQUARE_WORDS)
        if w.endswith(("会堂", "中心")):
            return self.county_s + w + "广场"
        return self.c([self.city_s, self.county_s, "天中", "中心", ""]) + w + "广场"

    def g_road(self):
        return self.c([self.county_s, "", "", ""]) + self.c(L.ROAD_WORDS) + self.c(L.ROAD_SUFFIX)

    def g_checkpoint(self):
        k = self.r.random()
        if k < 0.4:
            return self.c(L.HIGHWAYS) + self.county_s + self.c(["疫情防控检测点", "疫情防控检查站", "防疫检查点"])
        if k < 0.7:
            return self.c(L.EXPRESSWAYS) + self.county_s + "站" + self.c(["疫情防控检测点", "疫情防控卡点", "防疫服务站"])
        return self.g_town() + self.g_village() + self.c(["疫情防控卡点", "防疫检查点", "疫情防控执勤点"])

    def g_river(self):
        return self.memo("river", lambda: self.c(L.RIVER_FIRST) + "河")

    def g_reservoir(self):
        return self.c(L.RESERVOIR_WORDS) + "水库"

    def g_hall(self):
        """A named hall or square as a place (LOC); centres and hotels are ORG (g_o_venue)."""
        return self.c([self.county + "人民会堂", self.city + "人民会堂", self.county + "大礼堂", self.county_s + "会堂",
                       self.county + "人民广场", self.city_s + "人民会堂"])

    def g_o_venue(self):
        return self.c([self.city + "会议中心", self.county + "会议中心", self.city_s + "宾馆", self.county + "宾馆",
                       self.county + "行政服务中心", self.county + "文化中心", self.county + "体育中心",
                       self.city + "国际会展中心"])

    def g_loc_agent(self):
        return self.c([self.county, self.county, self.city, self.prov + self.city if not self.prov.endswith("市")
                       else self.prov + self.county])

    def g_park_zone(self):
        return self.c([self.county + "产业集聚区", self.county_s + "经济技术开发区", self.county + "高新技术产业开发区",
                       self.county_s + "工业园区", self.city_s + "综合保税区", self.county + "商务中心区"])

    def g_zone_alias(self):
        left, right = self.c([("(", ")"), ("（", "）")])
        districts = [c for c in self.siblings + [self.county] if c.endswith("区")] or [self.county]
        return self.c(["经开区", "高新区", "新区", "示范区"]) + left + self.c(districts) + right

    def g_lpar(self):
        self._par = self.c([("（", "）"), ("(", ")"), ("（", "）")])
        return self._par[0]

    def g_rpar(self):
        return self._par[1]

    def g_members_total(self):
        self._members = self.r.randint(150, 520)
        return f"{self._members}名"

    def g_members_present(self):
        return f"{self._members - self.r.randint(3, 40)}名"

    def g_loc_chain(self):
        k = self.r.random()
        if k < 0.3:
            return self.city + self.county
        if k < 0.55:
            return self.county + self.g_town()
        if k < 0.75:
            return self.g_town() + self.g_village()
        if k < 0.9:
            return self.county + self.g_town() + self.g_village()
        return self.prov + self.city


    # ------------------------------------------------------------------ organisations
    def _lv_prefix(self, lv, full):
        """Prefix for a level body: 县/市 alone or the place name."""
        if not full:
            return lv
        if lv == "市":
            return self.city if not self.city.endswith("市") or self.L != "市" or self.p(0.5) else self.county
        return self.county

    def _bureau(self):
        return self.c(L.BUREAUS)

    def g_o_party(self):
        lv = self.lvl()
        return self._lv_prefix(lv, self.p(0.3)) + "委"

    def g_o_party_full(self):
        return self._lv_prefix(self.lvl(), True) + "委"

    def g_o_gov(self):
        lv = self.lvl()
        return self._lv_prefix(lv, self.p(0.4)) + self.c(["政府", "人民政府"])

    def g_o_gov_full(self):
        return self.county + "人民政府" if self.p(0.6) else self.city + "人民政府"

    def g_o_county_gov(self):
        return self.c([self.L + "政府", self.county + "政府", self.county + "人民政府", self.L + "人民政府"])

    def g_o_jw(self):
        return self._lv_prefix(self.lvl(), self.p(0.4)) + self.c(["纪委监委", "纪委", "纪委监委"])

    def g_o_bureau(self):
        full, short, _, _ = self._bureau()
        return self._lv_prefix(self.lvl(), self.p(0.35)) + (full if self.p(0.4) else short)

    def g_o_bureau_full(self):
        full, short, _, _ = self._bureau()
        return self._lv_prefix(self.lvl(), True) + (full if self.p(0.6) else short)

    def g_o_bureau_alias(self):
        return self.lvl() + self.c(["文化旅游(文物)局", "文化广电和旅游(文物)局", "应急管理(地震)局", "委宣传部(网信办)",
                                    "农业农村(畜牧)局", "卫生健康(体育)委员会"])

    def g_o_market(self):
        return self._lv_prefix(self.lvl(), self.p(0.5)) + self.c(["市场监督管理局", "市场监管局"])

    def g_o_fin(self):
        return self._lv_prefix(self.lvl(), self.p(0.4)) + self.c(["财政局", "民政局", "应急管理局", "乡村振兴局",
                                                                     "卫健委", "医保局", "委组织部"])

    def g_o_water(self):
        return self._lv_prefix(self.lvl(), self.p(0.4)) + self.c(["水利局", "应急管理局", "防汛抗旱指挥部办公室",
                                                                     "住建局", "城管局"])

    def g_o_police(self):
        return self._lv_prefix(self.lvl(), self.p(0.5)) + self.c(["公安局", "公安局交警大队", "公安局交通管理大队"])

    def g_o_police_station(self):
        return self.g_town()[:-1 if not self.g_town().endswith("街道") else -2] + "派出所"

    def g_o_cdc(self):
        return self._lv_prefix(self.lvl(), self.p(0.5)) + "疾病预防控制中心" if self.p(0.5) else \
            self._lv_prefix(self.lvl(), self.p(0.5)) + "疾控中心"

    def g_o_mass(self):
        full, short, _ = self.c(L.MASS_ORGS)
        return self._lv_prefix(self.lvl(), self.p(0.4)) + (full if self.p(0.4) else short)

    def g_o_charity(self):
        k = self.r.random()
        body = self.c(["红十字会", "慈善总会", "慈善总会", "红十字会", "慈善协会"])
        if k < 0.4:
            return self.lvl() + body
        if k < 0.85:
            return self._lv_prefix(self.lvl(), True) + body
        return self.c([self.prov_s + "省", self.city_s]) + body if not self.prov.endswith("市") else self.prov + body

    def g_o_rc_short(self):
        return self.c([self.L, "市"]) + self.c(["红十字会", "慈善总会", "卫健委", "残联", "人民医院", "教育局"])

    def g_o_npc(self):
        return self._lv_prefix(self.lvl(), self.p(0.4)) + "人大常委会"

    def g_o_cppcc(self):
        lv = self.lvl()
        return (self._lv_prefix(lv, True) + "政协") if self.p(0.5) else "政协" + self._lv_prefix(lv, True) + "委员会"

    def g_o_zuzhibu(self):
        return self._lv_prefix(self.lvl(), self.p(0.4)) + self.c(["委组织部", "委宣传部", "委统战部", "委政法委",
                                                                     "委办公室", "委编办", "委党校"])

    def g_o_party_school(self):
        return self._lv_prefix(self.lvl(), self.p(0.5)) + "委党校"

    def g_o_direct_party(self):
        return self.c(["市局直属机关党委", "县局直属机关党委", self.L + "委直属机关工委", "市委直属机关工委",
                       self.city + "委直属机关工委" if not self.city.endswith("市") else self.city + "委直属机关工委",
                       self._lv_prefix(self.lvl(), self.p(0.4)) + "卫健委机关党委",
                       self._lv_prefix(self.lvl(), self.p(0.4)) + "教育局机关党委"])

    def g_o_town_party(self):
        t = self.g_town()
        return t + ("党工委" if t.endswith("街道") else "党委")

    def g_o_town_gov(self):
        t = self.g_town()
        return t + ("办事处" if t.endswith("街道") else self.c(["政府", "人民政府"]))

    def g_o_town_any(self):
        t = self.g_town()
        if t.endswith("街道"):
            return t + self.c(["党工委", "办事处", "社区卫生服务中心", "综合执法中队"])
        return t + self.c(["党委", "政府", "人民政府", "卫生院", "中心学校", "纪委", "中心校"])

    def g_o_village_body(self):
        v = self.g_village() if self.p(0.6) else self.g_community()
        if v.endswith("社区"):
            return v + self.c(["党支部", "党总支", "居委会", "党委"])
        return v + self.c(["党支部", "党总支", "委会", "党支部委员会"])

    def g_o_hosp(self):
        return self.memo("hosp", self._hosp)

    def g_o_hosp2(self):
        h = self._hosp()
        return h if h != self.g_o_hosp() else self.county + "妇幼保健院"

    def _hosp(self):
        k = self.r.random()
        if k < 0.35:
            return self.county + self.c(["人民医院", "中医院", "妇幼保健院", "第二人民医院", "中医医院"])
        if k < 0.65:
            return self.city + self.c(["中心医院", "第一人民医院", "第二人民医院", "中医院", "传染病医院",
                                       "妇幼保健院", "精神卫生中心"])
        if k < 0.8:
            return self.g_town() + "卫生院" if not self.g_town().endswith("街道") else self.g_town() + "社区卫生服务中心"
        if k < 0.9:
            return self.prov_s + "省人民医院" if not self.prov.endswith("市") else self.prov + "人民医院"
        return self.county_s + self.c(["仁爱医院", "协和医院", "骨科医院", "康复医院"])

    def g_o_school(self):
        k = self.r.random()
        if k < 0.3:
            return self.county + self.c(["第一高级中学", "第二高级中学", "实验中学", "实验小学", "第一初级中学",
                                         "职业教育中心", "特殊教育学校"])
        if k < 0.55:
            return self.city + self.c(["第一中学", "第二中学", "第一高级中学", "实验学校", "第二十八中学"])
        if k < 0.75:
            return self.g_town() + self.c(["中心学校", "第一初级中学", "中心小学", "第二小学"])
        return self.c([self.city_s + "职业技术学院", self.city_s + "学院", "黄淮学院", self.prov_s + "工业大学",
                       self.prov_s + "财经政法大学", self.city_s + "幼儿师范高等专科学校"])

    def _brand(self):
        b = self.c(L.BRAND_CHARS) + self.c(L.BRAND_CHARS)
        return b if b[0] != b[1] else b[0] + "宇"

    def g_o_company(self):
        return self.memo("company", self._company)

    def g_o_company2(self):
        return self._company()

    def _company(self):
        k = self.r.random()
        b = self._brand()
        ind = self.c(L.INDUSTRIES)
        if k < 0.3:
            return self.c([self.prov_s, self.city_s, self.county_s]) + b + ind + "有限公司"
        if k < 0.45:
            return self.c([self.prov_s, ""]) + b + "（集团）有限公司"
        if k < 0.6:
            return b + self.c(["投资集团", "集团", "控股集团", "实业集团"])
        if k < 0.72:
            return self.c([self.prov_s, self.city_s]) + b + ind + "股份有限公司"
        if k < 0.85:
            return self.c([self.county, self.city]) + b + ind + "有限公司"
        return self.c(["中国石化", "中国石油", "中国建筑", "中国中铁", "国家电网", "中国移动", "中国电信", "中国铁建",
                       "正大集团", "牧原集团", "双汇集团", "宇通集团", "万达集团", "碧桂园集团", "阿里巴巴集团",
                       "京东集团", "中国平安"]) + self.c(["", "", self.city_s + "分公司", self.prov_s + "分公司"])

    def g_o_company_party(self):
        c = self.g_o_company()
        return c + self.c(["党委", "党支部", "党总支"])

    def g_o_bank(self):
        return self.c(["中国农业银行" + self.county_s + "支行", "中国建设银行" + self.city_s + "分行",
                       self.county_s + "农村商业银行", self.county_s + "农商银行",
                       "中国邮政储蓄银行" + self.county + "支行", "国网" + self.county + "供电公司",
                       "中国移动" + self.county_s + "分公司", "中国联通" + self.city_s + "分公司",
                       "中国工商银行" + self.city_s + "分行", self.county + "烟草专卖局",
                       "中国人寿" + self.county_s + "支公司", self.city_s + "银行" + self.county_s + "支行"])

    def g_o_store(self):
        return self._brand() + self.c(["超市", "连锁超市", "大药房", "购物中心", "大酒店", "百货", "生鲜超市", "药店"])

    def g_o_assoc(self):
        return self.c([self.county + "驻" + self.c(["郑州", "北京", "上海", "深圳", "广州", "武汉", "杭州"]) + "商会",
                       self.city_s + self.c(L.INDUSTRIES) + "协会", self.city + "青年企业家协会",
                       self.county + "个体劳动者协会", self.city_s + "温州商会", self.county + "餐饮行业协会",
                       self.county + "蓝天救援队", self.city_s + "义工联合会"])

    def g_o_media(self):
        k = self.r.random()
        if k < 0.35:
            return self.city_s + self.c(["日报", "晚报", "广播电视台", "手机报", "日报社"])
        if k < 0.55:
            return self.county + self.c(["融媒体中心", "广播电视台", "电视台"])
        if k < 0.8:
            return self.c(L.MEDIA_WEB)
        return self.c(L.MEDIA_NATIONAL)

    def g_o_media_paper(self):
        return self.c([self.city_s + "日报", self.city_s + "晚报", self.city_s + "手机报", self.prov_s + "日报",
                       "人民日报", "光明日报", "河南日报", "大河报", self.county_s + "新闻"])

    def g_o_agency(self):
        return self.c(L.NEWS_AGENCIES)

    def g_o_county_media(self):
        return self.county + self.c(["融媒体中心", "广播电视台", "委宣传部", "新闻中心"])

    def g_o_hq(self):
        return self.c([self.county + "新冠肺炎疫情防控指挥部", self.L + "疫情防控指挥部",
                       self.county + "疫情防控指挥部", "市疫情防控指挥部", self.city + "新冠肺炎疫情防控指挥部",
                       self.county + "疫情防控工作领导小组", "疫情防控工作领导小组",
                       self.g_town() + "疫情防控指挥部", self.L + "应对新冠肺炎疫情工作指挥部"])

    def g_o_flood_hq(self):
        return self.c([self.county + "防汛抗旱指挥部", self.L + "防汛抗旱指挥部", self.city + "防汛抗旱指挥部",
                       self.L + "防指", self.county + "防汛抗旱指挥部办公室"])

    def g_o_pov(self):
        return self.c([self.L + "扶贫办", self.county + "扶贫开发办公室", self.L + "乡村振兴局",
                       self.county + "脱贫攻坚领导小组", self.L + "委农办", self.county + "乡村振兴局"])

    def g_o_supervise(self):
        return self.c(["综合督察组", self.L + "委第" + cn_num(self.r.randint(1, 6)) + "巡察组",
                       "市第" + cn_num(self.r.randint(1, 9)) + "督导组", self.L + "疫情防控指挥部督导组",
                       self.county + "疫情防控督查组", "省委第" + cn_num(self.r.randint(1, 9)) + "巡视组",
                       "第" + cn_num(self.r.randint(1, 12)) + "督导组"])

    def g_o_team(self):
        return self.c([self.county + "援鄂医疗队", self.city + "援鄂医疗队", self.g_town() + "党员突击队",
                       self.county + "青年突击队", self.g_o_hosp() + "发热门诊党员先锋队",
                       self.county + "防汛抢险突击队", self.city_s + "蓝天救援队"])

    def g_o_youth(self):
        return self.c(["团" + self.lvl() + "委", "共青团" + self.county + "委员会", self.lvl() + "文明办",
                       self.lvl() + "志愿者协会", self.county + "志愿者协会", self.lvl() + "妇联",
                       self.g_town() + ("党工委" if self.g_town().endswith("街道") else "党委"),
                       self.city + "义工联合会", self.lvl() + "新时代文明实践中心"])

    def g_o_any_body(self):
        return self.c([self.g_o_party(), self.g_o_gov(), self.g_o_bureau(), self.g_o_bureau_full(), self.g_o_jw(),
                       self.g_o_town_party(), self.g_o_hq(), self.g_o_mass(), self.g_o_zuzhibu(), self.g_o_npc(),
                       self.g_o_hosp(), self.g_o_company()])

    def g_o_special(self):
        return self.c([self.county + "重度残疾人托养中心", self.city + "社会福利院", self.county + "敬老院",
                       self.g_town() + "敬老院", self.county + "儿童福利院", self.city + "救助管理站",
                       self.county + "光荣院", self.county + "残疾人康复中心"])

    def g_o_web(self):
        return self.c(["映象网", "大河网", "中原网", "顶端新闻", "人民网", "新华网", "央广网", "中国网"])

    def g_o_union(self):
        return self.c([self.g_o_mass(), self.g_o_party_full(), self.g_o_zuzhibu(), "团" + self.lvl() + "委",
                       self.lvl() + "委宣传部", self.lvl() + "文明办"])

    def g_o_xinwenban(self):
        return self.c([self.county + "人民政府新闻办公室", self.L + "政府新闻办", self.city + "人民政府新闻办公室",
                       self.L + "疫情防控指挥部", self.county + "新冠肺炎疫情防控指挥部"])

    # ------------------------------------------------------------------ titles
    def g_grass(self):
        return self.c(L.GRASS_ROLES)

    def g_flood_role(self):
        return self.c(L.FLOOD_ROLES)

    def g_head_title(self):
        return self.c(["", "", "", "代"]) + self.L + "长"


    def g_hosp_title(self):
        return self.c(L.HOSPITAL_TITLES)

    # ------------------------------------------------------------------ events
    def _topic_meeting(self):
        return self.c(L.MEETING_TOPICS) + self.c(L.MEETING_KINDS)

    def g_meeting(self):
        k = self.r.random()
        if k < 0.3:
            return self.c(["", "全县", "全市", "全区", self.county, self.city, "全镇", self.L + "委",
                           self.L + "政府"]) + self._topic_meeting()
        if k < 0.45:
            return self._topic_meeting()
        if k < 0.55:
            return self.lvl() + self.c(["纪委常委会会议", "委常委会会议", "委常委会", "委常委会（扩大）会议",
                                        "政府常务会议", "委理论学习中心组学习会", "委全会"])
        if k < 0.62:
            return self.lvl() + self.c(["委", "政府"]) + "第" + cn_num(self.r.randint(1, 40)) + "次" + \
                self.c(["专题会议", "常务会议", "常委会会议"])
        if k < 0.72:
            return self.c([self.L, "市", self.g_town()]) + "疫情防控指挥部" + self.c(["调度会议", "调度会", "专题会议",
                                                                                 "第" + cn_num(self.r.randint(2, 30)) + "次会议"])
        if k < 0.8:
            return self.g_o_bureau() + self.c(["党组会议", "党组（扩大）会议", "党组理论学习中心组学习会",
                                               "疫情防控工作会", "干部大会", "全体干部职工会议"])
        if k < 0.88:
            return self.g_town() + self.c(["党委会议", "疫情防控工作会", "村（社区）“两委”干部会议", "防汛工作会"])
        if k < 0.94:
            return self.c(["疫情防控工作会", "疫情防控指挥部调度会议", "全县疫情防控工作视频会议",
                           "全市防汛工作电视电话会议", "全县脱贫攻坚推进会"])
        return self.county + str(self.year) + "年" + self.c(["第一季度", "上半年", "三季度"]) + self.c(
            ["项目建设观摩点评会", "经济运行分析会", "重点项目推进会"])

    def g_meeting_city(self):
        return self.c(["全" + self.L, "全市"]) + self._topic_meeting()

    def g_meeting_bureau(self):
        return self.c(["", "全系统", "全局"]) + self._topic_meeting()

    def g_meeting_jì(self):
        return self.g_meeting_city() + "暨" + self._topic_meeting()

    def g_meeting_higher(self):
        return self.c(["全省", "全市", "全国"]) + self._topic_meeting()

    def g_ev_town_dispatch(self):
        return self.town_level() + "调度会"

    def g_ev_changwei(self):
        return self.c([self.L + "委常委会", self.L + "委常委会（扩大）会议", "市委常委会", "市委第" +
                       cn_num(self.r.randint(1, 30)) + "次专题会议", self.L + "委第" + cn_num(self.r.randint(1, 30)) +
                       "次专题会议", self.L + "纪委常委会会议", self.L + "政府第" + cn_num(self.r.randint(1, 60)) + "次常务会议"])

    def g_ev_campaign(self):
        return self.c(L.CAMPAIGNS) if self.p(0.8) else self.county + self.c(L.CAMPAIGNS)

    def g_ev_shuangbaodao(self):
        return self.c(["“双报到”志愿服务活动", "“双报到”活动", "党员“双报到”志愿服务活动", "“双报到”“双服务”活动"])

    def g_ev_pov(self):
        return self.c(["“百企帮百村”精准扶贫行动", "“千企帮千村”行动", "脱贫攻坚“回头看”活动", "“春风行动”",
                       "消费扶贫月活动", "“扶贫日”系列活动", "“携手奔小康”行动", "“万企帮万村”精准扶贫行动"])

    def g_ev_donation(self):
        return self.c([self.g_o_charity() + "抗疫物资捐赠仪式", self.g_o_company() + "爱心捐赠仪式",
                       self.county + "“慈善助学”捐赠仪式", self.city + "企业家抗疫捐款仪式",
                       self.g_o_company() + "向" + self.county + "捐赠医疗物资仪式"])

    def g_ev_signing(self):
        return self.c([self.city + str(self.year) + "年招商引资项目集中签约仪式", self.county + "重点项目签约仪式",
                       self.county + str(self.year) + "年第" + self.c("一二三四") + "季度重大项目集中签约活动",
                       self.city_s + "“云招商”项目签约仪式", self.county + "招商引资项目推介会"])

    def g_ev_kaigong(self):
        n = self.r.randint(5, 60)
        return self.c([f"{self.county}{self.year}年{self.c(['一', '二', '三', '四'])}季度{n}个重点项目集中开工仪式",
                       f"{self.city}{self.year}年第{self.c('一二三四')}批重点项目集中开工仪式",
                       f"{self.county_s}自治县{self.year}年二季度{n}个重点项目集中开工仪式" if "自治" in self.county else
                       f"{self.county}{self.year}年重点项目集中开工仪式",
                       f"{self._brand()}{self.c(L.INDUSTRIES)}产业园项目开工仪式"])

    def g_ev_npc(self):
        return self.memo("npc", lambda: self.c([self.county, self.city]) + "第" + cn_num(self.r.randint(12, 17)) +
                         "届人民代表大会第" + cn_num(self.r.randint(1, 7)) + "次会议")

    def g_ev_cppcc(self):
        return "政协" + self.c([self.county, self.city]) + "第" + cn_num(self.r.randint(9, 14)) + "届委员会第" + \
            cn_num(self.r.randint(1, 6)) + "次会议"

    def g_ev_npc_any(self):
        return self.g_ev_npc() if self.p(0.6) else self.g_ev_cppcc()

    def g_ev_cppcc_cw(self):
        return "政协" + self.c([self.county, self.city]) + "第" + cn_num(self.r.randint(9, 14)) + "届委员会常务委员会第" + \
            cn_num(self.r.randint(2, 30)) + "次会议"

    def g_ev_oath(self):
        return self.c(["宪法宣誓", "向宪法宣誓仪式", "宪法宣誓仪式", self.L + "人大常委会宪法宣誓仪式"])

    def g_ev_training(self):
        return self.c([f"{self.county}{self.year}年科级干部培训班", "全县村（社区）党组织书记培训班",
                       f"{self.city}{self.year}年新任职领导干部培训班", f"全{self.L}疫情防控业务培训会",
                       f"{self.county}第{cn_num(self.r.randint(1, 12))}期“乡村振兴大讲堂”",
                       f"{self.L}委理论学习中心组第{cn_num(self.r.randint(1, 12))}次集体学习"])

    def g_ev_commend(self):
        return self.c([f"{self.county}抗击新冠肺炎疫情表彰大会", f"{self.city}脱贫攻坚总结表彰大会",
                       f"全{self.L}“最美家庭”表彰会", f"{self.county}{self.year}年度优秀共产党员表彰大会",
                       f"{self.county}庆祝建党{self.r.randint(95, 102)}周年暨“两优一先”表彰大会",
                       f"{self.city}第{cn_num(self.r.randint(2, 8))}届道德模范颁奖典礼"])

    def g_ev_presser(self):
        return self.c([f"{self.county}疫情防控第{self.r.randint(2, 40)}场新闻发布会",
                       f"{self.city}新冠肺炎疫情防控工作新闻发布会", f"{self.county}防汛救灾新闻发布会",
                       f"{self.L}政府新闻办新闻发布会"])

    def g_ev_drill(self):
        return self.c([f"{self.county}{self.year}年防汛应急演练", "全县防汛抢险应急演练", self.g_reservoir() + "防汛实战演练",
                       f"{self.city}{self.year}年防汛抢险综合演练", f"{self.g_town()}防汛应急演练"])

    def g_ev_festival(self):
        return self.c([f"{self.county}第{cn_num(self.r.randint(1, 9))}届农民丰收节",
                       f"{self.city}第{cn_num(self.r.randint(1, 20))}届{self.c(L.PRODUCTS)}文化节",
                       f"{self.county}{self.year}年“中国农民丰收节”庆祝活动", f"{self.county_s}首届乡村旅游节"])

    def g_ev_propaganda(self):
        return self.c([f"{self.year}年“安全生产月”宣传咨询日活动", "“国家宪法日”宣传活动", "全国防灾减灾日宣传活动",
                       f"{self.county}“全民国家安全教育日”宣传活动", "“3·15”国际消费者权益日宣传活动",
                       f"{self.county}“扫黄打非”集中宣传活动"])

    def g_ev_training_open(self):
        return self.c([f"{self.county}{self.year}年科级干部培训班开班仪式", "全县村（社区）党组织书记培训班开班式",
                       f"{self.city}{self.year}年新任职领导干部培训班开班仪式",
                       f"全{self.L}疫情防控业务培训班开班仪式", f"{self.county}{self.year}年“乡村振兴”专题培训班开班式"])

    def g_ym_range(self):
        y = self.r.randint(1995, self.year - 3)
        return f"{y}年{self.r.randint(1, 12)}月" + self.c(["至", "—", "-"]) + f"{y + self.r.randint(1, 3)}年{self.r.randint(1, 12)}月"

    # ------------------------------------------------------------------ documents
    def g_doc_epi(self):
        k = self.r.random()
        if k < 0.55:
            return "《" + self.c(L.DOC_TOPICS_EPI) + "》"
        if k < 0.8:
            return "《" + self.c([self.county, self.city, self.g_town()]) + self.c(
                ["新冠肺炎疫情防控工作方案", "疫情防控应急预案", "复工复产疫情防控指南", "疫情防控工作责任追究办法"]) + "》"
        return self.c(L.SIMPLE_DOCS)

    def g_doc_law(self):
        return self.c(L.LAWS)

    def g_doc_plain(self):
        return self.c(["中央八项规定", "中央八项规定", "政府工作报告", "《中国共产党廉洁自律准则》",
                       "《关于新形势下党内政治生活的若干准则》"])

    def g_doc_commend(self):
        return "《关于表彰" + self.c([self.county, self.city]) + self.c(
            ["抗击新冠肺炎疫情先进集体和先进个人的决定", "脱贫攻坚先进集体和先进个人的决定",
             "优秀共产党员、优秀党务工作者和先进基层党组织的决定", "防汛救灾先进集体和先进个人的通报"]) + "》"

    def g_doc_agreement(self):
        return self.c([self.c(["中石化", "中石油", "中国建筑", self._brand()]) + self.c(
            ["无机化工产业基地", "新能源产业园", "智能制造产业园", "冷链物流园", "现代农业产业园", "光伏发电"]) +
            self.c(["战略投资协议", "项目投资协议", "合作框架协议", "项目合作协议"]),
            self.county_s + self._brand() + "年产" + str(self.r.randint(2, 50)) + "万吨" +
            self.c(["饲料", "新型建材", "面粉", "生物质燃料"]) + "项目投资协议"])

    def g_doc_pledge(self):
        return self.c(["《承诺书》", "《倡议书》", "《告知书》", "《疫情防控承诺书》", "《安全生产承诺书》",
                       "《防汛责任书》", "《禁烧承诺书》", "《村规民约》"])

    def g_doc_notice(self):
        return "《关于" + self.c(["进一步加强", "切实做好", "全面落实", "严格执行"]) + self.c(
            ["疫情防控", "防汛救灾", "安全生产", "秸秆禁烧", "森林防火", "冬春季疫情防控"]) + self.c(
            ["工作的通知", "措施的通告", "工作的实施方案", "责任的通知"]) + "》"

    # ------------------------------------------------------------------ plain (unlabelled) text
    def g_group(self):
        return self.c(L.GROUP_WORDS)

    def g_work(self):
        return self.c(L.WORK_ITEMS)

    def g_vague(self):
        return self.c(L.VAGUE_START)

    def g_rhet(self):
        return self.c(L.RHETORIC)

    def g_goods(self):
        return self.c(L.GOODS)

    def g_honor(self):
        return self.c(L.HONORS)

    def g_honor_coll(self):
        return self.c(L.HONORS_COLL)

    def g_industry(self):
        return self.c(L.INDUSTRY_FARM)

    def g_product(self):
        # a place inside a product or brand name is not labelled
        return self.c([self.county_s, self.city_s, "边坝", self.prov_s]) + self.c(L.PRODUCTS)

    def g_quote(self):
        """A policy line; not repeated within one record."""
        used = self._memo.setdefault("quotes", [])
        fresh = [q for q in L.QUOTES if q not in used] or L.QUOTES
        q = self.c(fresh)
        used.append(q)
        return q

    def g_say(self):
        return self.c(["只要大家平安，我们辛苦点不算啥", "这是我应该做的", "国家有难，我们也要出一份力",
                       "守好村口就是守好全村老少的家门", "作为一名党员，关键时刻必须站出来",
                       "能为家乡做点事，心里踏实", "感谢党和政府的关心"])
