"""Real administrative divisions of China, read at run time from the `cpca` package.

cpca (MIT licence, https://github.com/DQinYuan/chinese_province_city_area_mapper)
ships `resources/adcodes.csv` (12-digit administrative code, name, longitude,
latitude). We only read that file; the package itself is never imported, because
its __init__ needs pkg_resources and builds a matcher we do not use.
"""
import csv
import functools
import importlib.util
import os

_SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_NO_LOCALE = {"71", "81", "82"}   # Taiwan, Hong Kong, Macao: no county list in the file


def adcodes_path():
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the synthetic generator needs the cpca package: pip install cpca")
    path = os.path.join(list(spec.submodule_search_locations)[0], "resources", "adcodes.csv")
    if not os.path.exists(path):
        raise ImportError(f"cpca is installed but {path} is missing")
    return path


def prov_short(name):
    for suf in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suf):
            return name[: -len(suf)]
    return name


def city_short(name):
    if name.endswith("自治州"):
        return name[:2]
    for suf in ("地区", "盟", "市"):
        if name.endswith(suf) and len(name) > len(suf) + 1:
            return name[: -len(suf)]
    return name


def county_short(name):
    if "自治" in name:
        return name[:2]
    for suf in ("新区", "矿区", "林区", "特区", "县", "区", "市", "旗"):
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return name


def county_level(name):
    """The one-character level word used inside 县委/区委/市委 for this county."""
    if name.endswith("区"):
        return "区"
    if name.endswith("市"):
        return "市"
    return "县"


@functools.lru_cache(maxsize=1)
def load():
    """Return (counties, districts_by_city).

    counties: sorted list of dicts with prov, city, county names;
    districts_by_city: city code -> sorted list of county names under it.
    """
    rows = []
    with open(adcodes_path(), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["adcode"], r["name"].strip()))
    rows.sort()
    provs, cities, counties, by_city = {}, {}, [], {}
    for code, name in rows:
        p, c, d = code[:2], code[2:4], code[4:6]
        if c == "00" and d == "00":
            provs[p] = name
        elif d == "00":
            cities[p + c] = name
    for code, name in rows:
        p, c, d = code[:2], code[2:4], code[4:6]
        if d == "00" or c == "00" or p in _NO_LOCALE or name in _SKIP:
            continue
        prov = provs.get(p)
        city = cities.get(p + c)
        if prov is None or city is None:
            continue
        if city in _SKIP:
            if p in ("11", "12", "31", "50"):
                city = prov          # municipality: the city is the province-level city
            else:
                continue
        counties.append({"prov": prov, "city": city, "county": name, "code": code})
        by_city.setdefault(p + c, []).append(name)
    return counties, by_city
