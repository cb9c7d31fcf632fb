"""Model invariants: what the classes accept, convert and reject."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given

import perftarget as pt
from perftarget.testing import project_targets
from perftarget.values import Level1, Level2, Schema


def _indicator(**changes: object) -> pt.Indicator:
    fields: dict[str, object] = {"level1": "产出指标", "level2": "数量指标", "name": "出勤率", "target": "≥95%"}
    fields.update(changes)
    return pt.Indicator(**fields)  # type: ignore[arg-type]


def test_levels_accept_labels_and_members():
    """level1/level2 take the Chinese label, a label with points, or the enum member."""
    assert _indicator().level1 is Level1.OUTPUT
    assert _indicator(level1="产出指标(50分)").level1 is Level1.OUTPUT
    assert _indicator(level1=Level1.OUTPUT, level2=Level2.QUANTITY).level2 is Level2.QUANTITY


def test_unknown_labels_are_kept_as_text():
    """A label outside both trees is kept verbatim, not rejected."""
    indicator = _indicator(level1="满意度指标", level2="社会公众或服务对象满意度指标")
    assert indicator.level2 == "社会公众或服务对象满意度指标"


def test_level2_must_belong_to_level1():
    """A known level-2 under the wrong known level-1 is an error naming both."""
    with pytest.raises(pt.InvalidValueError, match="社会效益指标 does not belong to level-1 产出指标"):
        _indicator(level2="社会效益指标")


def test_cost_is_level2_classic_and_level1_core2021():
    """成本指标 sits under 产出 (classic) and is itself a level-1 (2021)."""
    assert _indicator(level2="成本指标").level2 is Level2.COST
    assert _indicator(level1="成本指标", level2="经济成本指标").level1 is Level1.COST
    assert {Schema.CLASSIC, Schema.CORE2021} == set(Schema)


def test_target_text_is_parsed_and_basis_text_wrapped():
    """target and basis accept text."""
    indicator = _indicator(basis="工作要求")
    assert indicator.target == pt.Threshold.at_least(95, "%")
    assert indicator.basis == pt.Basis("工作要求")


def test_budget_parts_must_add_up():
    """total = fiscal + other when all three are given; amounts are exact."""
    assert pt.Budget(total="10.00", fiscal=6, other=4.0).other == Decimal("4.0")
    with pytest.raises(pt.InvalidValueError, match="do not add up"):
        pt.Budget(total=10, fiscal=6, other=3)
    with pytest.raises(pt.InvalidValueError, match="must not be negative"):
        pt.Budget(total=-1)
    with pytest.raises(pt.InvalidValueError, match="must be a number"):
        pt.Budget(total=True)


def test_float_amounts_convert_through_repr():
    """0.1 becomes Decimal('0.1'), not the binary expansion."""
    assert pt.Budget(total=0.1).total == Decimal("0.1")


def _plan(*percents: int, multi_year: bool = False) -> pt.SpendingSchedule:
    months = [3, 6, 10, 12][: len(percents)]
    return pt.SpendingSchedule.from_labels(
        2022, {f"{m}月底": p for m, p in zip(months, percents, strict=True)}, multi_year=multi_year
    )


def test_schedule_rules():
    """Percents 0-100, non-decreasing, last 100 unless multi-year; every problem listed."""
    assert _plan(25, 50, 75, 100).checkpoints[-1].date == dt.date(2022, 12, 31)
    assert _plan(25, 50, 60, multi_year=True).multi_year
    with pytest.raises(pt.InvalidValueError) as caught:
        _plan(25, 20, 75, 90)
    message = str(caught.value)
    assert "less than 25%" in message
    assert "not 100%" in message
    with pytest.raises(pt.InvalidValueError, match="between 0 and 100"):
        _plan(25, 50, 75, 120)


def test_schedule_checkpoints_in_year_and_order():
    """Checkpoints lie in the fiscal year and in date order."""
    late = pt.Checkpoint(date=dt.date(2023, 1, 31), percent=100)
    with pytest.raises(pt.InvalidValueError, match="outside fiscal year 2022"):
        pt.SpendingSchedule(fiscal_year=2022, checkpoints=[late])
    first = pt.Checkpoint(date=dt.date(2022, 6, 30), percent=50)
    second = pt.Checkpoint(date=dt.date(2022, 3, 31), percent=100)
    with pytest.raises(pt.InvalidValueError, match="is not after"):
        pt.SpendingSchedule(fiscal_year=2022, checkpoints=[first, second])


def test_project_schedule_year_matches(seed_path):
    """The plan's fiscal year is the project's year."""
    project = pt.load(seed_path).projects[0]
    with pytest.raises(pt.InvalidValueError, match="the spending plan is for 2022, the project for 2023"):
        attrs.evolve(project, year=2023)


def test_models_are_frozen(seed_path):
    """Models are immutable; changes go through attrs.evolve."""
    project = pt.load(seed_path).projects[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        project.name = "x"  # type: ignore[misc]
    renamed = attrs.evolve(project, name="新名称")
    assert renamed.name == "新名称"
    assert renamed.goals == project.goals


def test_suppression_needs_a_reason():
    """A suppression without a reason is refused."""
    with pytest.raises(pt.InvalidValueError, match="needs a reason"):
        pt.Suppression("PT301", " ")


def test_lists_become_tuples():
    """Sequences are stored as tuples, so documents are hashable values."""
    goal = pt.Goal("目标", [_indicator()])
    assert isinstance(goal.indicators, tuple)
    assert hash(goal) == hash(pt.Goal("目标", (_indicator(),)))


def test_project_lookup(seed_path):
    """document.project() finds by code or name, else KeyError."""
    document = pt.load(seed_path)
    assert document.project("常年驻京值班工作队值班费") is document.projects[0]
    with pytest.raises(KeyError):
        document.project("nope")


@given(project_targets())
def test_evolve_keeps_validity(project):
    """Evolving a valid project with its own values yields an equal, valid project."""
    assert attrs.evolve(project) == project
    assert len(project.indicators) == sum(len(g.indicators) for g in project.goals)


@given(project_targets())
def test_paths_address_indicators(project):
    """iter_indicators yields paths that index the project's goals."""
    assert len(list(project.iter_indicators())) == len(project.indicators)
    for path, indicator in project.iter_indicators():
        goal_index = int(path.split("]")[0].split("[")[1])
        indicator_index = int(path.split("[")[2].rstrip("]"))
        assert project.goals[goal_index].indicators[indicator_index] is indicator
