"""Properties of the plan over time and of the monitoring report, on generated plans and projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from perftarget._codec.convert import from_dict, to_dict
from perftarget._judge.monitor import (
    MonitoringPolicy,
    MonitoringReport,
    Payment,
    ProgressValue,
    monitor,
    monitor_series,
)
from perftarget._model.targets import Budget, Goal, Indicator, ProjectTargets, Unit
from perftarget._rulebook.progress import TIME_BASES, Likelihood, time_progress
from perftarget._values.schedule import Checkpoint, SpendingSchedule
from perftarget._values.threshold import Threshold, ThresholdKind
from perftarget.testing import amounts, project_targets, schedules, thresholds

POLICIES = st.builds(
    MonitoringPolicy,
    interpolation=st.sampled_from(["linear", "step"]),
    time_basis=st.sampled_from(["days", "months"]),
    projection=st.sampled_from(["plan", "linear"]),
)


@st.composite
def fiscal_schedules(draw: st.DrawFn) -> SpendingSchedule:
    """Valid plans for fiscal years starting in January, April or October."""
    start_month = draw(st.sampled_from([1, 4, 10]))
    year = draw(st.integers(2015, 2035))
    months = [*sorted(draw(st.sets(st.integers(1, 11), max_size=4))), 12]
    percents = sorted(draw(st.lists(amounts(max_value=100, places=1), min_size=len(months) - 1,
                                    max_size=len(months) - 1)))
    start = dt.date(year, start_month, 1)
    checkpoints = [
        Checkpoint(date=start + relativedelta(months=month, days=-1), percent=percent)
        for month, percent in zip(months, [*percents, Decimal(100)], strict=True)
    ]
    return SpendingSchedule(fiscal_year=year, checkpoints=checkpoints, start_month=start_month)


ANY_SCHEDULE = st.one_of(schedules(), fiscal_schedules())


def _day(schedule: SpendingSchedule, offset: int) -> dt.date:
    return schedule.start + dt.timedelta(days=offset % ((schedule.end - schedule.start).days + 1))


@given(ANY_SCHEDULE, st.integers(0, 400), st.integers(0, 400), st.sampled_from(["linear", "step"]))
def test_planned_share_never_decreases(schedule, a, b, policy):
    """Later dates never plan less; every share lies in 0-100."""
    first, second = sorted((_day(schedule, a), _day(schedule, b)))
    early = schedule.planned_share(first, policy=policy)
    late = schedule.planned_share(second, policy=policy)
    assert 0 <= early <= late <= 100


@given(ANY_SCHEDULE, st.sampled_from(["linear", "step"]))
def test_planned_share_runs_from_0_to_100(schedule, policy):
    """0 % on the first day of the year; on the last, 100 % (a multi-year plan: its last checkpoint's percent)."""
    assume(schedule.checkpoints[0].date != schedule.start)
    assert schedule.planned_share(schedule.start, policy=policy) == 0
    expected = schedule.checkpoints[-1].percent if schedule.multi_year else 100
    assert schedule.planned_share(schedule.end, policy=policy) == expected


@given(ANY_SCHEDULE, st.sampled_from(["linear", "step"]))
def test_planned_share_is_the_plan_at_checkpoints(schedule, policy):
    """On a checkpoint's date both policies give its percent."""
    for checkpoint in schedule.checkpoints:
        assert schedule.planned_share(checkpoint.date, policy=policy) == checkpoint.percent


@given(ANY_SCHEDULE, st.integers(0, 400), st.integers(0, 400), st.sampled_from(TIME_BASES))
def test_time_progress_never_decreases(schedule, a, b, by):
    """Time progress runs from 0 on the first day to 100 on the last, never backwards."""
    first, second = sorted((_day(schedule, a), _day(schedule, b)))
    start = schedule.start
    assert 0 <= time_progress(first, start, by=by) <= time_progress(second, start, by=by) <= 100
    assert time_progress(start, start, by=by) == 0
    assert time_progress(schedule.end, start, by=by) == 100


@given(ANY_SCHEDULE, st.integers(0, 400))
def test_time_progress_by_months_is_month_over_12_at_month_ends(schedule, offset):
    """By months, every month end of the fiscal year is k/12 (25/50/83.33/100 at 3月底 6月底 10月底 12月底)."""
    day = _day(schedule, offset)
    months = (day.year - schedule.start.year) * 12 + day.month - schedule.start.month
    at_end = (day + dt.timedelta(days=1)).day == 1
    assert time_progress(day, schedule.start) == Decimal((months + at_end) * 100) / 12


@given(ANY_SCHEDULE, amounts(max_value=10**6))
def test_planned_amounts_are_exact(schedule, budget):
    """Each planned amount is percent × budget / 100 with nothing lost."""
    assume(budget > 0)
    for checkpoint, amount in schedule.planned_amounts(budget):
        assert amount * 100 / budget == checkpoint.percent


@st.composite
def monitored(draw: st.DrawFn) -> tuple[ProjectTargets, dt.date, MonitoringPolicy]:
    """A project with a positive budget (with or without a plan), a date in its year, a policy."""
    project = draw(project_targets())
    assume(project.budget.total > 0)
    if project.schedule is None and draw(st.booleans()):
        project = attrs.evolve(project, schedule=draw(schedules(project.year)))
    year = project.schedule or SpendingSchedule.even(project.year)
    day = year.start + dt.timedelta(days=draw(st.integers(0, (year.end - year.start).days)))
    return project, day, draw(POLICIES)


@given(monitored(), amounts(max_value=10**6), amounts(max_value=10**6))
def test_status_never_improves_when_spending_drops(case, a, b):
    """Less money spent never gives a better status (nor a higher execution rate or ratio)."""
    project, day, policy = case
    low, high = sorted((a, b))
    less = monitor(project, spent=low, as_of=day, policy=policy)
    more = monitor(project, spent=high, as_of=day, policy=policy)
    assert less.status.severity >= more.status.severity
    assert less.execution_rate <= more.execution_rate
    assert (less.ratio is None) == (more.ratio is None)
    if less.ratio is not None and more.ratio is not None:
        assert less.ratio <= more.ratio
    assert less.to_year_end >= more.to_year_end


@given(monitored(), amounts(max_value=10**5, places=4))
def test_yuan_or_wan_give_identical_reports(case, wan):
    """An amount in 元 gives exactly the report of the same amount in 万元, serialized form included."""
    project, day, policy = case
    in_wan = monitor(project, spent=wan, as_of=day, policy=policy)
    in_yuan = monitor(project, spent=f"{wan * 10000}元", as_of=day, policy=policy)
    assert in_yuan == in_wan
    assert to_dict(in_yuan) == to_dict(in_wan)


@given(monitored(), st.lists(st.tuples(st.integers(0, 364), amounts(max_value=1000)), max_size=12))
def test_payments_add_up_to_the_amount(case, entries):
    """A list of payments gives the report of their total to date; a series agrees with single reports."""
    project, day, policy = case
    start = (project.schedule or SpendingSchedule.even(project.year)).start
    payments = [Payment(start + dt.timedelta(days=offset), amount) for offset, amount in entries]
    total = sum((p.amount for p in payments if p.date <= day), Decimal(0))
    by_payments = monitor(project, spent=payments, as_of=day, policy=policy)
    assert by_payments == monitor(project, spent=total, as_of=day, policy=policy)
    (series,) = monitor_series(project, payments=payments, dates=[day], policy=policy)
    assert series == by_payments


@given(monitored(), amounts(max_value=10**6))
def test_reports_round_trip(case, spent):
    """Every report serializes to plain data and back, equal."""
    project, day, policy = case
    report = monitor(project, spent=spent, as_of=day, policy=policy)
    assert from_dict(to_dict(report), MonitoringReport) == report
    assert 0 <= report.planned_share <= 100
    assert 0 <= report.time_progress <= 100


# --- the indicator forecast and Threshold.is_met ---------------------------------------------------------


@st.composite
def near_targets(draw: st.DrawFn) -> tuple[Threshold, Decimal]:
    """A quantitative target and a forecast at, around or far from its bounds (negative ones too)."""
    target = draw(thresholds(kinds=(ThresholdKind.QUANTITATIVE,)))
    assert target.value is not None
    bound = draw(st.sampled_from([target.value, target.upper if target.upper is not None else target.value]))
    step = draw(st.sampled_from([Decimal(0), Decimal("0.001"), Decimal(1), bound.copy_abs() / 10]))
    forecast = draw(st.sampled_from([bound, bound - step, bound + step, -bound, Decimal(0)]))
    return target, forecast


def _one_indicator(target: Threshold) -> ProjectTargets:
    indicator = Indicator(level1="产出指标", level2="数量指标", name="x", target=target)
    return ProjectTargets(unit=Unit("1", "单位"), code="P", name="项目", year=2022, budget=Budget(total=Decimal(10)),
                          goals=(Goal("目标", (indicator,)),))


@given(near_targets(), st.sampled_from(["given", "to date", "cumulative"]))
def test_certain_exactly_when_the_forecast_meets_the_target(case, how):
    """With the default policy 确定能 ⇔ ``Threshold.is_met(forecast)``: a forecast at or past the target, as the
    target's own comparator reads it (> and < strict, = exact, ranges with their bounds)."""
    target, value = case
    project = _one_indicator(target)
    day = dt.date(2022, 7, 31)
    if how == "given":
        progress: dict[object, object] = {"x": ProgressValue(value=value, forecast=value)}
        policy = MonitoringPolicy(not_cumulative=("x",))
    else:
        progress = {"x": value}
        policy = MonitoringPolicy(**({"cumulative": ("x",)} if how == "cumulative" else {"not_cumulative": ("x",)}))
    (line,) = monitor(project, spent=1, as_of=day, progress=progress, policy=policy).indicators
    assert line.forecast is not None
    assert (line.likelihood is Likelihood.CERTAIN) == target.is_met(line.forecast)
