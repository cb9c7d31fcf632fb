"""Review of what published tables print: department tables with levels, the 计量单位 and 指标值类型
columns, the cost build-up, empty level-2 rows."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import perftarget as pt
from perftarget._model.targets import CostItem
from perftarget.rules import Finding, RuleExample, review

BASE = RuleExample("", "indicators").document().projects[0]


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def _found(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def _indicator(name: str, target: str, levels: str = "产出指标/数量指标", **extra: object) -> pt.Indicator:
    level1, _, level2 = levels.partition("/")
    fields: dict[str, object] = {"description": f"{name}的说明", "basis": "工作要求", **extra}
    return pt.Indicator(level1=level1 or None, level2=level2 or None, name=name, target=target, **fields)  # type: ignore[arg-type]


def _project(*indicators: pt.Indicator, **fields: object) -> pt.ProjectTargets:
    goal = attrs.evolve(BASE.goals[0], indicators=(*BASE.goals[0].indicators, *indicators))
    return attrs.evolve(BASE, goals=(goal,), **fields)  # type: ignore[arg-type]


# --- department tables with indicator levels ------------------------------------------------


def _department(*indicators: pt.Indicator, duties: tuple[str, ...] = ("做好全县来访群众接待工作",)) -> pt.Document:
    department = pt.DepartmentTargets(
        unit=pt.Unit("230001", "某县信访局"), year=2022, duties=duties, goals=(pt.Goal("履行信访工作职责", indicators),)
    )
    return pt.Document(department=department)


LEVELLED = (
    _indicator("接待来访人次", "≥500人次"),
    _indicator("群众来访劝返率", "≥95%", "效益指标/社会效益指标"),
    _indicator("来访群众满意度", "≥90%", "满意度指标/服务对象满意度指标"),
)


def test_a_clean_levelled_department_table_passes():
    """A 整体绩效目标表 with output, benefit and satisfaction rows has nothing to report."""
    assert review(_department(*LEVELLED)) == []


@pytest.mark.parametrize(
    ("dropped", "code"),
    [(0, "PT101"), (1, "PT102"), (2, "PT103")],
)
def test_department_tables_with_levels_need_outputs_benefits_satisfaction(dropped, code):
    """PT101 to PT103 check a department part whose indicators have levels, at department.goals."""
    kept = tuple(indicator for k, indicator in enumerate(LEVELLED) if k != dropped)
    (finding,) = review(_department(*kept))
    assert (finding.code, finding.path) == (code, "department.goals")
    assert finding.message.startswith("部门整体绩效目标")
    assert "department" in finding.message_en


def test_department_narratives_are_not_table_checked():
    """A narrative (no levels on any indicator) gets none of the table rules, as before."""
    narrative = (pt.Indicator(name="接待来访群众", target="应接尽接"),)
    assert review(_department(*narrative)) == []


def test_department_rows_with_one_level_and_mixed_trees():
    """PT203 reports a department row with one level of two; PT204 two trees in one department table."""
    half = _indicator("信访积案化解", "≥10件", "产出指标/")
    assert _codes(review(_department(*LEVELLED, half))) == ["PT203"]
    classic = _indicator("人均接待成本", "≤200元/人次", "产出指标/成本指标")
    core = _indicator("接待经费", "≤10万元", "成本指标/经济成本指标")
    findings = review(_department(*LEVELLED, classic, core))
    (mixed,) = _found(findings, "PT204")
    assert mixed.path == "department.goals[0].indicators[4].level1"


def test_department_cost_rows_are_amounts():
    """PT306 reports a department cost row that is not money; PT305 and PT106 stay project rules."""
    share = _indicator("经费支出准确率", "≥98%", "产出指标/成本指标")
    assert _codes(review(_department(*LEVELLED, share))) == ["PT306"]
    spending = _indicator("按时发放工资", "按时发放", "产出指标/时效指标", basis=None)
    assert review(_department(*LEVELLED, spending)) == []


def test_project_table_rules_unchanged_for_projects():
    """A project table alone is checked as before: paths relative to it."""
    project = attrs.evolve(BASE, goals=(attrs.evolve(BASE.goals[0], indicators=BASE.goals[0].indicators[1:]),))
    (finding,) = review(project, select=["PT101"])
    assert (finding.path, finding.message) == ("goals", "项目没有产出指标：每个项目至少要有一个适用的产出指标")


# --- 计量单位 in its own column (PT308), 指标值类型 (PT309) --------------------------------------------


@pytest.mark.parametrize(
    ("target", "unit_text", "flagged"),
    [
        ("28.8万元", "%", True),  # a Hunan row: the value in 万元, the column %
        ("应保尽保", "%", True),  # words, and a unit for a number that is not there
        ("≥10万元", "元", True),  # one dimension, another unit: the column misreads the value
        ("≥95%", "百分比", False),  # two spellings of one unit
        ("≥95", "%", False),  # the unit is given by the column only
        ("≥95%", "（%）", False),
        ("应保尽保", "/", False),
        ("应保尽保", "", False),
        ("按时完成", "定性", False),  # not a unit
    ],
)
def test_unit_column_against_the_target(target, unit_text, flagged):
    """PT308: the printed 计量单位 and the target's own unit must be one unit."""
    findings = _found(review(_project(_indicator("救助资金", target, unit_text=unit_text))), "PT308")
    assert bool(findings) is flagged
    if flagged:
        assert findings[0].path == "goals[0].indicators[3].unit_text"


def test_the_unit_column_gives_a_bare_number_its_unit():
    """PT105 accepts a unit printed in its own column."""
    assert "PT105" in _codes(review(_project(_indicator("受助人数", "≥500"))))
    assert "PT105" not in _codes(review(_project(_indicator("受助人数", "≥500", unit_text="人"))))


@pytest.mark.parametrize(
    ("target", "value_kind", "flagged"),
    [
        ("按月安排", "定量", True),
        ("按月安排", " 定量 ", True),
        ("按月安排", "定性", False),
        ("按月安排", "", False),
        ("≥12次", "定量", False),
        ("无", "定量", False),
    ],
)
def test_quantitative_row_with_words(target, value_kind, flagged):
    """PT309: a row declared 定量 with a value in words; PT301 leaves such a row to it."""
    codes = _codes(review(_project(_indicator("资金拨付", target, value_kind=value_kind))))
    assert ("PT309" in codes) is flagged
    if flagged:
        assert "PT301" not in codes


# --- the cost build-up (PT407, PT408) ------------------------------------------------------


def _costed(amounts: list[str | None], total: str | None, budget: str) -> pt.ProjectTargets:
    costs = tuple(
        CostItem(name=f"成本{k}", amount=None if a is None else Decimal(a), basis="测算") for k, a in enumerate(amounts)
    )
    return _project(
        costs=costs,
        cost_total=None if total is None else Decimal(total),
        budget=pt.Budget(total=Decimal(budget)),
    )


HUBEI_PARTS = ["312.50", "186.30", "98.08", "66.00"]  # add up to 662.88


def test_hubei_cost_total_that_does_not_add_up():
    """A real Hubei table prints 合计 662.98 over parts adding to 662.88: PT407 at cost_total."""
    assert sum(map(Decimal, HUBEI_PARTS)) == Decimal("662.88")
    (finding,) = _found(review(_costed(HUBEI_PARTS, "662.98", "662.98")), "PT407")
    assert finding.path == "cost_total"
    assert finding.message == "预算成本构成的合计为 662.98 万元，但 4 项金额之和为 662.88 万元（相差 0.1 万元）"
    assert "PT407" not in _codes(review(_costed(HUBEI_PARTS, "662.88", "662.88")))


def test_cost_sums_edge_cases():
    """Blank parts count for nothing; a difference below a cent is shown, not rounded away; no total, no PT407."""
    assert "PT407" not in _codes(review(_costed(["4.00", None, "6.00"], "10", "10")))
    (finding,) = _found(review(_costed(["4.001", "6.00"], "10.00", "10.00")), "PT407")
    assert "相差 0.001 万元" in finding.message
    assert "PT407" not in _codes(review(_costed(["4.00", "6.00"], None, "10")))
    assert "PT407" not in _codes(review(_costed([None], "10", "10")))


@pytest.mark.parametrize(
    ("amounts", "total", "budget", "path"),
    [
        (["4.00", "6.00"], "10.00", "10.00", None),
        (["4.00", "6.00"], "10.00", "12.00", "cost_total"),  # the printed total against the budget
        (["4.00", "6.00"], None, "12.00", "costs"),  # no total printed: the sum
        ([], None, "12.00", None),  # no build-up: nothing to compare
    ],
)
def test_cost_total_against_the_budget(amounts, total, budget, path):
    """PT408: the build-up's total (printed, else summed) is the project's budget total."""
    findings = _found(review(_costed(amounts, total, budget)), "PT408")
    assert [f.path for f in findings] == ([] if path is None else [path])


# --- empty level-2 rows (PT208) ------------------------------------------------------------


def test_an_empty_level2_row_is_its_own_finding():
    """An empty 经济效益 row (levels, nothing else) is PT208, not a 无 row (PT206) nor a named-无 row (PT207)."""
    empty = pt.Indicator(level1="效益指标", level2="经济效益指标", name="", target="")
    codes = _codes(review(_project(empty)))
    assert "PT208" in codes
    assert "PT206" not in codes
    assert "PT207" not in codes
    written = pt.Indicator(level1="效益指标", level2="经济效益指标", name="无", target="无")
    codes = _codes(review(_project(written)))
    assert "PT206" in codes
    assert "PT208" not in codes
    half = pt.Indicator(level1="效益指标", level2="经济效益指标", name="", description="带动增收", target="")
    assert "PT208" not in _codes(review(_project(half)))


def test_an_empty_row_is_one_finding_and_a_named_blank_row_another():
    """A row printing nothing but its levels is PT208 only; a named row with no target printed is PT112 only."""
    empty = review(_project(_indicator("", "", description="", basis=None)))
    assert "PT208" in _codes(empty)
    assert "PT112" not in _codes(empty)
    named = review(_project(_indicator("来访登记完整率", "")))
    assert "PT112" in _codes(named)
    assert "PT208" not in _codes(named)
