"""Deadlines (时效指标): one reading for 10月底前, 12月底前完成, 3个工作日内 and 按时发放 (issue 18).

A date to meet is a qualitative target with a :attr:`~perftarget.Threshold.deadline`, judged against the
actual date or a met/not-met statement; a time limit is a quantity (≤3个工作日), judged against the
actual duration or a met/not-met statement; 按时发放 is judged by a met/not-met statement.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import perftarget as pt
from perftarget import Threshold
from perftarget._values.threshold import Deadline
from perftarget.exceptions import InvalidActualError
from perftarget.values import Achievement, Comparator, ThresholdKind


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("10月底前", Deadline(10)),
        ("12月底前完成", Deadline(12)),
        ("≤10月底", Deadline(10)),
        ("10月末之前", Deadline(10)),
        ("十月底前", Deadline(10)),
        ("6月30日前", Deadline(6, 30)),
        ("2022年10月底前", Deadline(10, None, 2022)),
        ("年底前完成", Deadline(12)),
        ("于11月15日前完成项目验收", Deadline(11, 15)),
    ],
)
def test_a_date_to_meet_is_a_deadline(text, deadline):
    """A date with 前 (or after ≤) is a deadline statement, kept verbatim; it writes back as it reads."""
    target = Threshold.parse(text)
    assert target.kind is ThresholdKind.QUALITATIVE
    assert target.statement == text
    assert target.deadline == deadline
    assert target.is_deadline
    assert Threshold.parse(str(target)) == target


@pytest.mark.parametrize("text", ["≤10月", "10月前", "2月30日前", "按月安排", "≤3个月", "10月底完成"])
def test_not_a_date_to_meet(text):
    """Months as a duration (≤10月), an impossible day, no 前: no deadline date."""
    assert Threshold.parse(text).deadline is None


def test_judged_against_an_actual_date_or_a_statement():
    """parse("10月底前").is_met("2024-09-15") is True (it raised before); the day itself meets it."""
    target = Threshold.parse("10月底前")
    assert target.is_met("2024-09-15")
    assert target.is_met(dt.date(2024, 10, 31))
    assert target.is_met("2024年10月31日")
    assert not target.is_met("2024/11/1")
    assert target.is_met("达成")
    assert target.is_met("按时完成")
    assert not target.is_met("未按时完成")
    assert target.achievement("2024-11-01") is Achievement.NOT_ACHIEVED
    assert not Threshold.parse("2022年10月底前").is_met("2023-01-05")  # a year named is that year


def test_a_time_limit_is_a_quantity_that_also_takes_a_statement():
    """3个工作日内 is ≤3个工作日: a duration meets it or not, and so does 达成 / 未达成."""
    target = Threshold.parse("3个工作日内")
    assert (target.kind, target.comparator, str(target)) == (ThresholdKind.QUANTITATIVE, Comparator.LE, "≤3个工作日")
    assert target.is_deadline
    assert target.deadline is None
    assert target.is_met("2个工作日")
    assert not target.is_met("5个工作日")
    assert target.is_met("达成")
    assert not target.is_met(Achievement.NOT_ACHIEVED)
    assert not Threshold.parse("≥95%").judged_by_band("达成")  # a rate is not a deadline: a number is needed
    with pytest.raises(InvalidActualError):
        Threshold.parse("≥95%").is_met("达成")


def test_on_time_is_judged_by_a_statement():
    """按时发放 names no date: 达成/按时完成 or 未达成/逾期; a date cannot be judged and says so."""
    target = Threshold.parse("按时发放")
    assert target.is_deadline
    assert target.deadline is None
    assert target.is_met("按时完成")
    assert not target.is_met("逾期")
    with pytest.raises(InvalidActualError, match="names no date"):
        target.is_met("2022-10-20")


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 12))
def test_a_month_end_deadline_is_met_up_to_its_last_day(day, month):
    """Against M月底前, a date is met exactly when it falls in month M or before, in its year."""
    target = Threshold.parse(f"{month}月底前")
    assert target.is_met(day) == (day.month <= month)
    assert target.is_met(day.isoformat()) == target.is_met(day)


def test_the_evaluation_scores_a_deadline_by_its_band(seed_path):
    """In a self-evaluation, a date before the deadline scores the weight; after it, 未达成's share."""
    document = pt.load(seed_path)
    project = document.projects[0]
    goal = project.goals[0]
    indicators = list(goal.indicators)
    actuals = dict(pt.load_actuals("examples/petition-bureau-actuals.toml").for_project(project).actuals)
    name = "按时间进度要求支付使用资金"
    scores = {}
    for target in ("10月底前", "3个工作日内"):
        indicators[2] = attrs.evolve(indicators[2], target=Threshold.parse(target))
        changed = attrs.evolve(project, goals=(attrs.evolve(goal, indicators=tuple(indicators)), *project.goals[1:]))
        for actual in ("2022-10-20", "2022-11-05", "达成", "2个工作日", "5个工作日"):
            evaluation = pt.evaluate(changed, {**actuals, name: actual}, spent=9.2, strict=False)
            scores[target, actual] = None if evaluation.problems else evaluation.item(name).score
    assert scores["10月底前", "2022-10-20"] == scores["10月底前", "达成"] == 12.5
    assert scores["10月底前", "2022-11-05"] == pytest.approx(3.75)  # 未达成: 0.3 of the weight by default
    assert scores["3个工作日内", "达成"] == scores["3个工作日内", "2个工作日"] == 12.5
    assert scores["3个工作日内", "5个工作日"] == pytest.approx(7.5)  # A / B × w, as any 反向 target
    assert scores["10月底前", "2个工作日"] is None
