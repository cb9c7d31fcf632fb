"""A seeded generator of realistic province data: project target tables, actuals and payments.

A province has on the order of 300,000 project tables a year (about 100 counties x 300
budget units x 10 projects), each with about 12 indicators in one of the two national trees.
This module makes such data, deterministically from a seed, in perftarget's stored format:

- ``targets``: a project table as in a ``.json`` document (``ProjectTargets`` as dicts), with
  Chinese text, a budget, a spending plan (资金支出计划) and 9-15 indicators whose targets use
  the notations of real tables in realistic proportions: mostly ``≥N%``, some ``≤N万元`` and
  ``≤N次``, counts ``≥N个``, qualitative ``按时发放``/``良好``/``效果明显``, ``无`` rows, bare
  values, rarely ranges and ASCII or full-width comparators;
- ``actuals``: the matching 实际完成值 (one ``projects`` entry of an actuals file);
- ``monitoring``: dated payments (拨付/支出 with dates, 万元) and progress to date of the
  quantitative indicators, for in-year monitoring as of 31 July.

Run it to write a province folder (one targets file and one actuals file per budget unit)::

    .venv/bin/python benchmarks/generate.py --tables 10000 --out /tmp/province

or import it: ``generate_tables(n, seed=0)`` yields :class:`GeneratedTable` objects, and
``document(tables)`` wraps their targets into one document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
YEAR = 2023
AS_OF = dt.date(YEAR, 7, 31)

# --- vocabularies ---------------------------------------------------------------------------

_COUNTY_FIRST = "安宝博昌长城大德定丰阜高广海和河华怀吉建江金靖康乐临隆满宁平清庆荣瑞三沙寿顺泰唐望文武西祥新兴阳永"
_COUNTY_SECOND = "安平城川德定丰阜和化江康乐陵宁平山水泰田县阳野邑源州"
_COUNTY_KIND = ("县", "县", "县", "市", "区")

_BUREAUS = (
    ("教育局", ("义务教育薄弱环节改善", "学生资助", "教师培训", "校园安全保障", "学前教育普惠发展")),
    ("卫生健康局", ("基本公共卫生服务", "家庭医生签约服务", "疾病预防控制", "妇幼健康服务", "医疗设备购置")),
    ("农业农村局", ("高标准农田建设", "农业技术推广", "动物防疫", "农村人居环境整治", "农机购置补贴")),
    ("交通运输局", ("农村公路养护", "公路安全生命防护工程", "客运站运营补贴", "桥梁维修加固")),
    ("民政局", ("城乡低保", "特困人员救助供养", "临时救助", "养老服务体系建设", "残疾人两项补贴")),
    ("水利局", ("农村饮水安全维修养护", "河道治理", "小型水库除险加固", "水土保持")),
    ("住房和城乡建设局", ("老旧小区改造", "城市道路维护", "农村危房改造", "园林绿化养护")),
    ("文化广电和旅游局", ("公共文化服务", "送戏下乡", "文物保护", "图书馆免费开放")),
    ("人力资源和社会保障局", ("职业技能培训", "就业补助", "劳动保障监察")),
    ("自然资源和规划局", ("国土空间规划编制", "耕地保护", "不动产登记")),
    ("生态环境分局", ("大气污染防治", "环境监测", "农村污水治理")),
    ("应急管理局", ("安全生产监管", "应急物资储备", "森林防火")),
    ("市场监督管理局", ("食品安全抽检", "特种设备安全监察", "市场主体服务")),
    ("信访局", ("常年驻京值班工作队值班费", "信访接待", "矛盾纠纷化解")),
    ("司法局", ("法律援助", "人民调解", "普法宣传")),
    ("财政局", ("预算绩效管理", "财政信息化建设", "政府采购监管")),
)

_GOAL_CONTENT = (
    "保障{p}工作顺利实施，提升公共服务水平，群众满意度达到预期。",
    "按照年度计划完成{p}各项任务，资金使用规范，效益明显。",
    "完成{p}年度目标任务，确保资金及时足额拨付，发挥资金使用效益。",
    "通过实施{p}，改善基础条件，促进经济社会协调发展。",
)

# (level-1, level-2) pairs of each tree with how many indicators a table gives the level-2
_CLASSIC = (
    ("产出指标", "数量指标", (2, 3)),
    ("产出指标", "质量指标", (1, 2)),
    ("产出指标", "时效指标", (1, 2)),
    ("产出指标", "成本指标", (1, 2)),
    ("效益指标", "经济效益指标", (1, 1)),
    ("效益指标", "社会效益指标", (1, 2)),
    ("效益指标", "生态效益指标", (1, 1)),
    ("效益指标", "可持续影响指标", (1, 1)),
    ("满意度指标", "服务对象满意度指标", (1, 2)),
)
_CORE2021 = (
    ("成本指标", "经济成本指标", (1, 2)),
    ("成本指标", "社会成本指标", (1, 1)),
    ("成本指标", "生态环境成本指标", (1, 1)),
    ("产出指标", "数量指标", (2, 3)),
    ("产出指标", "质量指标", (1, 2)),
    ("产出指标", "时效指标", (1, 1)),
    ("效益指标", "经济效益指标", (1, 1)),
    ("效益指标", "社会效益指标", (1, 2)),
    ("效益指标", "可持续影响指标", (0, 1)),
    ("满意度指标", "服务对象满意度指标", (1, 1)),
)

_NAMES = {
    "数量指标": ("培训人次", "资助学生人数", "维修道路里程", "补贴发放户数", "检查企业数量", "采购设备数量",
               "举办活动场次", "覆盖村（社区）数", "印发宣传材料份数", "新建设施数量", "服务对象人数", "完成项目个数"),
    "质量指标": ("验收合格率", "资金发放准确率", "设备完好率", "培训合格率", "项目完工率", "数据准确率",
               "经费支出准确率", "工程质量达标率"),
    "时效指标": ("资金拨付及时率", "按时完成率", "项目完成及时性", "补贴发放及时性", "按时间进度要求支付使用资金"),
    "成本指标": ("项目总成本", "人均培训成本", "单位建设成本", "车辆运行成本控制"),
    "经济成本指标": ("项目总成本", "人均补助标准", "单位建设成本", "运行维护成本"),
    "社会成本指标": ("对社会稳定的负面影响", "群众投诉次数", "安全责任事故次数"),
    "生态环境成本指标": ("生态环境破坏情况", "污染物排放增加量"),
    "经济效益指标": ("带动农民增收", "节约财政资金", "拉动社会投资"),
    "社会效益指标": ("群众知晓率", "服务覆盖率", "社会治安状况", "政策宣传效果", "公共服务水平提升",
                 "正常办公条件保障情况"),
    "生态效益指标": ("植被覆盖率", "污水处理率", "人居环境改善情况"),
    "可持续影响指标": ("长效管理机制", "设施持续使用年限", "项目持续发挥作用", "重点敏感时期覆盖率"),
    "服务对象满意度指标": ("服务对象满意度", "群众满意度", "学生满意度", "受益群众满意度", "上访人员满意度"),
}
_DESCRIPTIONS = ("反映{n}情况", "考核{n}完成情况", "{n}", "按照年度工作计划确定", "反映项目实施效果", "")
_BASES = ("工作要求", "计划标准", "行业标准", "历史数据", "年度工作计划", "上级文件要求", "调查问卷", "预算批复",
          "发放期限", "差旅保险标准")
_CATEGORIES = ("计划标准", "行业标准", "历史标准", "其他标准")
_QUALITATIVE = {
    "时效指标": ("按时完成", "按时发放", "及时", "在项目计划完成时间内完成", "按月安排"),
    "社会效益指标": ("效果明显", "明显提升", "有所提高", "良好", "社会稳定"),
    "经济效益指标": ("效果明显", "有所增加", "明显"),
    "生态效益指标": ("明显改善", "良好", "有所改善"),
    "可持续影响指标": ("长期", "持续发挥作用", "建立健全", "效果显著"),
    "社会成本指标": ("无负面影响", "严格控制", "符合相关规定"),
    "生态环境成本指标": ("无破坏", "符合环保要求"),
    "质量指标": ("符合相关规定", "严格执行相关制度规定", "良好"),
}
_COUNT_UNITS = ("个", "人次", "户", "项", "次", "人", "场", "份", "公里", "台", "所")
_REASONS = ("受天气影响，工程进度有所延后，下年度加快实施。", "部分资金结转至下年使用，加强预算执行管理。",
            "服务对象需求变化，实际完成数量低于预期，下年度科学设定目标。", "资金下达较晚，影响支付进度。")


@dataclass(frozen=True)
class GeneratedTable:
    """One project table with its actuals and its in-year monitoring data."""

    county: str
    unit_code: str
    unit_name: str
    targets: dict[str, Any]
    actuals: dict[str, Any]
    monitoring: dict[str, Any]


def _money(value: float) -> str:
    return f"{value:.2f}"


def _num(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class _Maker:
    """Draws from one ``random.Random``; every choice goes through it, so a seed fixes the output."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.counties = self._counties()

    def _counties(self) -> list[str]:
        r = random.Random(20230101)
        names: set[str] = set()
        while len(names) < 100:
            names.add(r.choice(_COUNTY_FIRST) + r.choice(_COUNTY_SECOND) + r.choice(_COUNTY_KIND))
        return sorted(names)

    # --- targets --------------------------------------------------------------------------

    def percent_target(self, level2: str) -> tuple[str, dict[str, Any]]:
        r = self.r
        if level2 == "服务对象满意度指标":
            value = r.choice((80, 85, 90, 90, 95, 95, 98))
        else:
            value = r.choice((85, 90, 95, 95, 98, 98, 100, 100))
        roll = r.random()
        if roll < 0.90:
            sign = "≥"
        elif roll < 0.96:
            sign = "="
            value = 100
        else:
            sign = r.choice((">=", "≧", "＞", ">"))
            value = min(value, 98)
        unit = "%" if r.random() < 0.97 else r.choice(("％", "百分比"))
        text = f"{sign}{value}{unit}"
        return text, {"kind": "percent", "value": value, "sign": sign}

    def target(self, level2: str, budget: float) -> tuple[str, dict[str, Any]]:  # noqa: C901, PLR0911
        """A target text for a row of ``level2``, and what the actual should be drawn from."""
        r = self.r
        roll = r.random()
        if level2 in ("生态效益指标", "经济效益指标", "生态环境成本指标") and roll < 0.35:
            return "无", {"kind": "na"}
        if roll < 0.006:
            low = r.choice((80, 85, 90))
            return r.choice((f"{low}%-100%", f"{low}%～100%", f"[{low}, 100]%")), {"kind": "range", "value": low}
        if level2 == "数量指标":
            unit = r.choice(_COUNT_UNITS)
            value = r.choice((1, 2, 3, 5, 8, 10, 12, 20, 30, 50, 100, 120, 200, 300, 500, 1000, 1500, 3000))
            if r.random() < 0.06:
                return f"{value}{unit}", {"kind": "count", "value": value, "unit": unit, "sign": "≥"}
            sign = "≥" if r.random() < 0.85 else "="
            return f"{sign}{value}{unit}", {"kind": "count", "value": value, "unit": unit, "sign": sign}
        if level2 in ("成本指标", "经济成本指标"):
            if r.random() < 0.75:
                share = r.choice((1.0, 1.0, 0.9, 0.8, 0.5))
                value = _num(budget * share, 2)
                return f"≤{value}万元", {"kind": "money", "value": float(value)}
            per = r.choice((200, 500, 800, 1000, 1500, 3000))
            return f"≤{per}元/人", {"kind": "per", "value": per}
        if level2 == "社会成本指标" and roll < 0.6:
            value = r.choice((0, 1, 2, 3, 5))
            return f"≤{value}次", {"kind": "le_count", "value": value}
        if level2 in _QUALITATIVE and r.random() < (0.3 if level2 != "质量指标" else 0.08):
            return r.choice(_QUALITATIVE[level2]), {"kind": "qualitative"}
        if level2 == "时效指标" and r.random() < 0.25:
            value = r.choice((5, 7, 10, 15, 30))
            return f"≤{value}个工作日", {"kind": "le_count", "value": value}
        if level2 == "可持续影响指标" and r.random() < 0.5:
            value = r.choice((3, 5, 10))
            return f"≥{value}年", {"kind": "count", "value": value, "unit": "年", "sign": "≥"}
        if r.random() < 0.03:
            value = r.choice((90, 95, 100))
            return f"{value}%", {"kind": "percent", "value": value, "sign": "≥"}
        return self.percent_target(level2)

    def indicators(self, tree: tuple[tuple[str, str, tuple[int, int]], ...], budget: float) -> list[dict[str, Any]]:
        r = self.r
        rows: list[dict[str, Any]] = []
        used: set[str] = set()
        for level1, level2, (low, high) in tree:
            for _ in range(r.randint(low, high)):
                text, facts = self.target(level2, budget)
                if facts["kind"] == "na":
                    if any(row["level2"] == level2 for row in rows):
                        continue
                    name = description = basis_text = "无"
                    row: dict[str, Any] = {
                        "name": name, "target": text, "level1": level1, "level2": level2,
                        "description": description, "basis": basis_text,
                    }
                    rows.append({**row, "_facts": facts})
                    continue
                choices = [n for n in _NAMES[level2] if n not in used] or [f"{level2[:2]}指标{len(rows) + 1}"]
                name = r.choice(choices)
                used.add(name)
                row = {"name": name, "target": text, "level1": level1, "level2": level2}
                description = r.choice(_DESCRIPTIONS).format(n=name)
                if description:
                    row["description"] = description
                if r.random() < 0.1:
                    row["basis"] = {"text": r.choice(_BASES), "category": r.choice(_CATEGORIES)}
                elif r.random() < 0.95:
                    row["basis"] = r.choice(_BASES)
                rows.append({**row, "_facts": facts})
        return rows

    def weights(self, rows: list[dict[str, Any]]) -> None:
        """分值: 产出 50 (less 成本 in core2021), 效益 30, 满意度 10, spread over applicable rows."""
        shares = {"产出指标": 50, "成本指标": 0, "效益指标": 30, "满意度指标": 10}
        if any(row["level1"] == "成本指标" for row in rows):
            shares["产出指标"], shares["成本指标"] = 40, 10
        for level1, total in shares.items():
            members = [row for row in rows if row["level1"] == level1 and row["_facts"]["kind"] != "na"]
            if not members:
                continue
            each = Decimal(total) / len(members)
            each = each.quantize(Decimal("0.01")) if each != each.to_integral() else each.to_integral()
            for row in members:
                row["weight"] = str(each)
            members[0]["weight"] = str(Decimal(total) - each * (len(members) - 1))

    def schedule(self) -> dict[str, Any]:
        r = self.r
        if r.random() < 0.6:
            months = (3, 6, 10, 12)
        elif r.random() < 0.7:
            months = (3, 6, 9, 12)
        else:
            months = (6, 12)
        percents: list[int] = []
        level = 0
        for month in months[:-1]:
            level = max(level, min(95, round(month / 12 * 100 + r.choice((-15, -10, -5, 0, 0, 5)))))
            percents.append(level)
        percents.append(100)
        labels = {3: "第一季度末", 6: "6月底", 9: "9月底", 10: "10月底", 12: "12月底"}
        checkpoints = []
        for month, percent in zip(months, percents, strict=True):
            end = (dt.date(YEAR, month % 12 + 1, 1) if month < 12 else dt.date(YEAR + 1, 1, 1)) - dt.timedelta(days=1)
            point: dict[str, Any] = {"date": end.isoformat(), "percent": str(percent)}
            if r.random() < 0.8:
                point["label"] = labels[month] if month != 3 or r.random() < 0.5 else "3月底"
            checkpoints.append(point)
        return {"fiscal_year": YEAR, "checkpoints": checkpoints}

    def table(self, serial: int) -> GeneratedTable:
        r = self.r
        county_index = serial // 3000 % len(self.counties)
        county = self.counties[county_index]
        unit_index = serial // 10
        bureau, projects = _BUREAUS[unit_index % len(_BUREAUS)]
        unit_code = f"{130100 + county_index:06d}{unit_index % 300:03d}"
        unit_name = f"{county}{bureau}" + ("" if r.random() < 0.7 else "本级")
        project = r.choice(projects)
        name = f"{YEAR}年{county}{project}项目"
        code = f"{unit_code[:6]}{YEAR % 100}P{serial:010d}"
        budget = round(r.lognormvariate(4.0, 1.2), 2) + 1.0
        total = _money(budget)
        if r.random() < 0.7:
            budget_dict: dict[str, Any] = {"total": total, "fiscal": total}
        else:
            fiscal = _money(budget * r.choice((0.5, 0.6, 0.8, 0.9)))
            other = _money(float(total) - float(fiscal))
            budget_dict = {"total": _money(float(fiscal) + float(other)), "fiscal": fiscal, "other": other}
        tree = _CLASSIC if r.random() < 0.7 else _CORE2021
        rows = self.indicators(tree, float(budget_dict["total"]))
        if r.random() < 0.7:
            self.weights(rows)
        facts = [row.pop("_facts") for row in rows]
        goals: list[dict[str, Any]] = []
        if r.random() < 0.85:
            goals.append({"content": r.choice(_GOAL_CONTENT).format(p=project), "indicators": rows})
        else:
            cut = len(rows) // 2
            goals.append({"content": r.choice(_GOAL_CONTENT).format(p=project), "indicators": rows[:cut]})
            goals.append({"content": f"{project}资金使用规范，发挥效益。", "indicators": rows[cut:]})
        targets: dict[str, Any] = {
            "unit": {"code": unit_code, "name": unit_name},
            "code": code,
            "name": name,
            "year": YEAR,
            "budget": budget_dict,
            "purpose": f"用于{project}相关支出，保障项目顺利实施。",
        }
        if r.random() < 0.9:
            targets["schedule"] = self.schedule()
        targets["goals"] = goals
        actuals, progress = self.actuals(rows, facts)
        spent_share = r.choice((1.0, 1.0, 0.98, 0.95, 0.9, 0.85, 0.7))
        table_actuals: dict[str, Any] = {
            "project": code,
            "spent": _money(float(budget_dict["total"]) * spent_share),
            "actuals": actuals,
        }
        monitoring = {
            "project": code,
            "as_of": AS_OF.isoformat(),
            "payments": self.payments(float(budget_dict["total"])),
            "progress": progress,
        }
        return GeneratedTable(county, unit_code, unit_name, targets, table_actuals, monitoring)

    # --- actuals and monitoring -------------------------------------------------------------

    def actuals(self, rows: list[dict[str, Any]], facts: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
        r = self.r
        actuals: dict[str, Any] = {}
        progress: dict[str, Any] = {}
        for row, fact in zip(rows, facts, strict=True):
            kind = fact["kind"]
            if kind == "na":
                continue
            name = row["name"]
            if kind == "qualitative":
                band = r.choices(("达成", "部分达成", "未达成"), (0.85, 0.12, 0.03))[0]
                value: Any = band
                if band != "达成":
                    value = {"value": band, "reason": r.choice(_REASONS)}
                actuals[name] = value
                continue
            factor = r.choice((1.0, 1.0, 1.0, 1.02, 0.98, 0.95, 0.9, 1.1, 0.8))
            if kind in ("percent", "range"):
                actual = min(100.0, fact["value"] * factor) if kind == "percent" else r.choice((88.0, 95.0, 100.0))
                text = f"{_num(actual, 1)}%"
                progress[name] = f"{_num(actual * r.choice((0.5, 0.6, 0.7)), 1)}%"
            elif kind == "count":
                actual = max(0.0, round(fact["value"] * factor))
                text = f"{_num(actual, 0)}{fact['unit']}"
                progress[name] = f"{_num(round(actual * 0.55), 0)}{fact['unit']}"
            elif kind == "money":
                actual = fact["value"] * r.choice((1.0, 0.95, 0.9, 1.05))
                text = f"{_num(actual, 2)}万元" if r.random() < 0.7 else f"{_num(actual * 10000, 0)}元"
            elif kind == "per":
                text = f"{_num(fact['value'] * r.choice((0.9, 1.0, 1.1)), 0)}元/人"
            else:  # le_count
                text = f"{_num(max(0, fact['value'] + r.choice((-1, 0, 0, 0, 1))), 0)}"
            if factor < 1 and r.random() < 0.6:
                actuals[name] = {"value": text, "reason": r.choice(_REASONS)}
            else:
                actuals[name] = text
        return actuals, progress

    def payments(self, budget: float) -> list[dict[str, str]]:
        r = self.r
        share = r.choice((0.3, 0.45, 0.55, 0.6, 0.65, 0.7, 0.8))
        count = r.randint(2, 7)
        days = sorted(r.sample(range(15, AS_OF.timetuple().tm_yday), count))
        amount = budget * share / count
        start = dt.date(YEAR, 1, 1)
        return [
            {"date": (start + dt.timedelta(days=day - 1)).isoformat(), "amount": _money(amount)}
            for day in days
        ]


def generate_tables(count: int, *, seed: int = 0, start: int = 0) -> Iterator[GeneratedTable]:
    """``count`` project tables (with actuals and monitoring data), deterministic for a seed.

    ``start`` numbers the first table; tables ``start..start+count-1`` of one seed are the same
    whatever chunks they are generated in only when generated from the same ``start``.
    """
    maker = _Maker(seed * 1_000_003 + start)
    for serial in range(start, start + count):
        yield maker.table(serial)


def document(tables: Iterable[GeneratedTable]) -> dict[str, Any]:
    """One targets document holding the project tables."""
    return {"schema_version": SCHEMA_VERSION, "projects": [table.targets for table in tables]}


def actuals_document(tables: Iterable[GeneratedTable]) -> dict[str, Any]:
    """One actuals file for the tables."""
    return {"schema_version": SCHEMA_VERSION, "projects": [table.actuals for table in tables]}


def document_bytes(count: int, *, seed: int = 0, start: int = 0) -> bytes:
    """The JSON bytes of one document of ``count`` generated tables (UTF-8, compact)."""
    data = document(generate_tables(count, seed=seed, start=start))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_province(folder: Path, count: int, *, seed: int = 0) -> list[Path]:
    """Write ``count`` tables as one targets file per budget unit, with its actuals file beside it.

    Layout: ``folder/<county>/<unit code>.json`` and ``folder/<county>/<unit code>.actuals.json``
    (and ``<unit code>.monitoring.json``). Returns the targets files.
    """
    by_unit: dict[tuple[str, str], list[GeneratedTable]] = {}
    for table in generate_tables(count, seed=seed):
        by_unit.setdefault((table.county, table.unit_code), []).append(table)
    written: list[Path] = []
    for (county, unit_code), tables in by_unit.items():
        directory = folder / county
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{unit_code}.json"
        path.write_text(json.dumps(document(tables), ensure_ascii=False, indent=1), encoding="utf-8")
        actuals = directory / f"{unit_code}.actuals.json"
        actuals.write_text(json.dumps(actuals_document(tables), ensure_ascii=False, indent=1), encoding="utf-8")
        monitoring = {"schema_version": SCHEMA_VERSION, "projects": [t.monitoring for t in tables]}
        (directory / f"{unit_code}.monitoring.json").write_text(
            json.dumps(monitoring, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tables", type=int, default=1000, help="number of project tables (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the province into")
    args = parser.parse_args(argv)
    files = write_province(args.out, args.tables, seed=args.seed)
    print(f"wrote {args.tables} tables in {len(files)} unit files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
