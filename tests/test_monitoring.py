"""In-year monitoring (绩效运行监控): the money side, the target side, bad input, the table, the format."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import perftarget as pt
from perftarget._codec.convert import from_dict, to_dict
from perftarget._judge.monitor import (
    MONITORING_COLUMNS,
    SERIES_COLUMNS,
    DeviationCause,
    IndicatorProgress,
    Likelihood,
    MonitoringPolicy,
    MonitoringReport,
    Payment,
    ProgressValue,
    Status,
    cumulative_by_unit,
    load_payments,
    monitor,
    monitor_series,
)
from perftarget._judge.review import format_decimal
from perftarget._rulebook.progress import time_progress
from perftarget._values.numbers import round_half_up
from perftarget._values.schedule import SpendingSchedule
from perftarget._values.threshold import Achievement
from perftarget.cli import main
from perftarget.exceptions import DocumentError, InvalidValueError, MonitoringError
from perftarget.values import Quantity

D = dt.date
ROOT = Path(__file__).resolve().parent.parent
PAYMENTS = ROOT / "examples" / "petition-bureau-payments.toml"
JULY = D(2022, 7, 31)
DAYS = MonitoringPolicy(time_basis="days")


def _close(value: Decimal | None, expected: Fraction) -> bool:
    assert value is not None
    return abs(Fraction(value) - expected) < Fraction(1, 10**18)


@pytest.fixture
def project(seed_path) -> pt.ProjectTargets:
    return pt.load(seed_path).projects[0]


def _with_indicators(project: pt.ProjectTargets, *indicators: pt.Indicator) -> pt.ProjectTargets:
    goal = attrs.evolve(project.goals[0], indicators=(*project.goals[0].indicators, *indicators))
    return attrs.evolve(project, goals=(goal,))


# --- the worked example ----------------------------------------------------------------------------


def test_seed_july_end_with_four_wan(project):
    """The docs' worked example by days: 4.0 万元 of 10.00 spent by 31 July."""
    report = monitor(project, spent="4.0", as_of=JULY, policy=DAYS)
    assert report.budget == 10
    assert report.spent == 4
    assert report.execution_rate == 40
    assert _close(report.planned_share, 50 + Fraction(25 * 31, 123))
    assert _close(report.planned_amount, Fraction(1, 10) * (50 + Fraction(25 * 31, 123)))
    assert _close(report.time_progress, Fraction(21100, 364))
    assert _close(report.gap_to_plan, -10 - Fraction(25 * 31, 123))
    assert _close(report.gap_to_time, 40 - Fraction(21100, 364))
    ratio = Fraction(40 * 100) / Fraction(21100, 364)
    assert _close(report.ratio, ratio)
    assert report.status is Status.YELLOW
    assert report.next_checkpoint is not None
    assert report.next_checkpoint.label == "10月底"
    assert report.to_next_checkpoint == Decimal("3.5")
    assert report.year_end_share == 100
    assert report.to_year_end == 6
    assert _close(report.months_left, 12 * Fraction(153, 364))
    assert _close(report.monthly_pace, 6 / (12 * Fraction(153, 364)))
    assert _close(report.projected_execution_linear, ratio)
    assert _close(report.projected_execution_plan, Fraction(40 * 100) / (50 + Fraction(25 * 31, 123)))
    assert _close(report.projected_spent, Fraction(400) / (50 + Fraction(25 * 31, 123)))
    assert report.finding_codes() == ("checkpoint-missed",)
    assert "behind 6月底 (2022-06-30): the plan asks 5.00 万元 (50%)" in report.findings[0].message


def test_default_is_months(project):
    """The default time progress is the national month/12: 31 July is 7/12, r = 40 / 58.33 × 100."""
    report = monitor(project, spent="4.0", as_of=JULY)
    assert report.policy.time_basis == "months"
    assert _close(report.time_progress, Fraction(700, 12))
    assert _close(report.ratio, Fraction(4000, 1) / Fraction(700, 12))
    assert report.status is Status.YELLOW
    assert _close(report.months_left, Fraction(5))
    assert _close(report.monthly_pace, Fraction(6, 5))


def test_months_basis_and_step_policy(project):
    """By months the July-end time progress is 7/12; the step plan is 50 % (6月底)."""
    policy = MonitoringPolicy(time_basis="months", interpolation="step")
    report = monitor(project, spent=4, as_of=JULY, policy=policy)
    assert _close(report.time_progress, Fraction(700, 12))
    assert report.planned_share == 50
    assert report.gap_to_plan == -10
    assert report.projected_execution_plan == 80
    assert report.projected_spent == 8
    assert report.policy is policy


def test_projection_policy_picks_the_straight_line(project):
    """With projection='linear' the 全年预计执行数 follows the straight line."""
    report = monitor(project, spent=4, as_of=JULY, policy=MonitoringPolicy(projection="linear"))
    assert report.projected_spent == report.projected_execution_linear * report.budget / 100  # type: ignore[operator]


# --- amounts and payments ----------------------------------------------------------------------------


@pytest.mark.parametrize("spent", ["40000元", "4万元", 4, Decimal("4.000"), Quantity(Decimal(40000), "元"), 4.0])
def test_same_report_in_yuan_or_wan(project, spent):
    """The unit of the amount changes nothing, down to the serialized form."""
    reference = monitor(project, spent="4.0", as_of=JULY)
    report = monitor(project, spent=spent, as_of=JULY)
    assert report == reference
    assert to_dict(report) == to_dict(reference)


def test_payments_count_up_to_as_of(project):
    """Only payments dated on or before ``as_of`` count; payments may be in 元."""
    payments = [Payment(D(2022, 1, 20), "10000元"), Payment(D(2022, 7, 31), 1), Payment(D(2022, 8, 1), 5)]
    assert monitor(project, spent=payments, as_of=JULY).spent == 2
    assert monitor(project, spent=payments, as_of=D(2022, 7, 30)).spent == 1
    assert monitor(project, spent=[], as_of=JULY).spent == 0


def test_payments_outside_the_year_are_a_finding(project):
    """Payments dated outside the fiscal year are left out and reported, not a crash."""
    payments = [Payment(D(2021, 12, 28), "0.3"), Payment(D(2022, 3, 1), 1), Payment(D(2023, 1, 5), "0.2")]
    report = monitor(project, spent=payments, as_of=JULY)
    assert report.spent == 1
    assert "payments-outside-year" in report.finding_codes()
    finding = next(f for f in report.findings if f.code == "payments-outside-year")
    assert "2 payment(s) dated outside fiscal year 2022" in finding.message
    assert "0.50 万元 in all" in finding.message
    assert "spent[0] 2021-12-28" in finding.message
    assert "spent[2] 2023-01-05" in finding.message


def test_refunds_and_negative_totals(project):
    """A refund lowers the total; a negative total to date is an error."""
    payments = [Payment(D(2022, 2, 1), 2), Payment(D(2022, 3, 1), "-0.5", note="退回")]
    assert monitor(project, spent=payments, as_of=JULY).spent == Decimal("1.5")
    with pytest.raises(MonitoringError, match="negative"):
        monitor(project, spent=[Payment(D(2022, 3, 1), -1)], as_of=JULY)


@pytest.mark.parametrize("spent", [-1, "-0.01", "-100元", Decimal(-4)])
def test_negative_spending_is_an_error(project, spent):
    """Spending below zero is a clear error."""
    with pytest.raises(MonitoringError, match="spent by 2022-07-31 is negative"):
        monitor(project, spent=spent, as_of=JULY)


@pytest.mark.parametrize("spent", ["4个", "四万元", None, {"a": 1}, object(), [1, 2]])
def test_spent_that_is_not_money(project, spent):
    """Amounts that are not money, and lists that are not payments, are errors."""
    with pytest.raises(MonitoringError):
        monitor(project, spent=spent, as_of=JULY)


def test_payment_checks_its_fields():
    """A payment needs a date (not a datetime) and an amount of money."""
    assert Payment(D(2022, 1, 1), "5000元").amount == Decimal("0.5")
    with pytest.raises(MonitoringError, match="must be a date"):
        Payment(dt.datetime(2022, 1, 1), 1)  # noqa: DTZ001
    with pytest.raises(MonitoringError, match="is not money"):
        Payment(D(2022, 1, 1), "5小时")


def test_spending_above_budget_is_a_finding(project):
    """Spending more than the budget is reported (execution above 100 %), not refused."""
    report = monitor(project, spent="12", as_of=JULY)
    assert report.execution_rate == 120
    assert report.status is Status.GREEN
    assert report.to_year_end == 0
    assert report.to_next_checkpoint == 0
    assert "above-budget" in report.finding_codes()
    assert "spent 12.00 万元 is above the budget of 10.00 万元" in str(report.findings[0])


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [D(2021, 12, 31), D(2023, 1, 1), "2023-03-31"])
def test_as_of_outside_the_year_is_an_error(project, as_of):
    """Monitoring outside the fiscal year is a clear error."""
    with pytest.raises(MonitoringError, match="outside fiscal year 2022"):
        monitor(project, spent=1, as_of=as_of)


def test_first_day_has_no_ratio(project):
    """On the first day no time has elapsed: no ratio, status green, a finding says so."""
    report = monitor(project, spent=0, as_of=D(2022, 1, 1))
    assert report.ratio is None
    assert report.projected_execution_linear is None
    assert report.projected_execution_plan is None
    assert report.projected_spent is None
    assert report.status is Status.GREEN
    assert report.finding_codes() == ("no-time-elapsed",)


def test_last_day_has_no_pace(project):
    """On the last day no month is left: the pace is undefined, the remainder still shown."""
    report = monitor(project, spent=9, as_of=D(2022, 12, 31))
    assert report.months_left == 0
    assert report.monthly_pace is None
    assert report.to_year_end == 1
    assert report.next_checkpoint is not None
    assert report.next_checkpoint.label == "12月底"
    assert report.finding_codes() == ("checkpoint-missed",)


def test_on_a_checkpoint_date(project):
    """On a checkpoint's own date it is the checkpoint due, and missing it is a finding."""
    report = monitor(project, spent="2.4", as_of="3月底")
    assert report.next_checkpoint is not None
    assert report.next_checkpoint.label == "3月底"
    assert report.to_next_checkpoint == Decimal("0.1")
    assert report.finding_codes() == ("checkpoint-missed",)
    assert monitor(project, spent="2.5", as_of="3月底").findings == ()


def test_after_the_last_checkpoint():
    """A plan finished by 10月底 has no next checkpoint in November."""
    plan = SpendingSchedule.from_labels(2022, {"6月底": 50, "10月底": 100})
    project = _project(schedule=plan)
    report = monitor(project, spent=10, as_of=D(2022, 11, 15))
    assert report.next_checkpoint is None
    assert report.to_next_checkpoint == 0
    assert report.planned_share == 100
    assert report.findings == ()


def _project(*, schedule: SpendingSchedule | None, budget: str = "10", year: int = 2022) -> pt.ProjectTargets:
    return pt.ProjectTargets(
        unit=pt.Unit("000001", "测试单位"),
        code="P1",
        name="测试项目",
        year=year,
        budget=pt.Budget(total=budget),
        schedule=schedule,
    )


def test_project_without_a_plan():
    """Without a plan the even plan is used (planned share = time progress by days), with a finding."""
    report = monitor(_project(schedule=None), spent=5, as_of=JULY, policy=DAYS)
    assert report.planned_share == report.time_progress
    assert report.finding_codes()[0] == "no-plan"


def test_multi_year_plan_targets_its_last_percent():
    """A multi-year plan aims at its last percent by the year end, not 100 %."""
    plan = SpendingSchedule.from_labels(2022, {"6月底": 20, "12月底": 60}, multi_year=True)
    report = monitor(_project(schedule=plan), spent=2, as_of=D(2022, 6, 30))
    assert report.year_end_share == 60
    assert report.to_year_end == 4
    assert report.projected_execution_plan == 60


def test_zero_budget_is_an_error():
    """With a budget of 0 there is no execution rate: an error, not a division crash."""
    with pytest.raises(MonitoringError, match="budget is 0"):
        monitor(_project(schedule=None, budget="0"), spent=0, as_of=JULY)


def test_monitor_takes_a_project(seed_path):
    """A document is not a project: the error says how to pick one."""
    with pytest.raises(MonitoringError, match=r"document\.project\(code\)"):
        monitor(pt.load(seed_path), spent=1, as_of=JULY)  # type: ignore[arg-type]


@pytest.mark.parametrize("start_month", [4, 10])
def test_fiscal_years_starting_in_april_or_october(start_month):
    """Quarter plans of non-January fiscal years are read and monitored in that year."""
    plan = SpendingSchedule.from_labels(
        2022, {"Q1": 25, "Q2": 50, "Q3": 75, "Q4": 100}, start_month=start_month
    )
    project = _project(schedule=plan)
    half = plan.checkpoints[1].date
    report = monitor(project, spent=5, as_of=half, policy=MonitoringPolicy(time_basis="months"))
    assert report.planned_share == 50
    assert report.time_progress == 50
    assert report.ratio == 100
    assert report.status is Status.GREEN
    assert report.year_start == D(2022, start_month, 1)
    with pytest.raises(MonitoringError, match="outside fiscal year"):
        monitor(project, spent=5, as_of=D(2022, start_month, 1) - dt.timedelta(days=1))


# --- status ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spent", "status"),
    [("0", Status.RED), ("2.9", Status.RED), ("3.1", Status.YELLOW), ("3.9", Status.YELLOW), ("4.5", Status.GREEN)],
)
def test_status_thresholds(spent, status):
    """r = execution / time × 100: red below 60, yellow below 80, green otherwise (30 June, months basis)."""
    project = _project(schedule=None)
    report = monitor(project, spent=spent, as_of="6月底", policy=MonitoringPolicy(time_basis="months"))
    # time progress 50 %, so r = 2 × execution rate = 20 × spent
    assert report.ratio == Decimal(spent) * 20
    assert report.status is status


def test_status_boundaries_exactly():
    """60 is yellow and 80 green: the thresholds are 'below'."""
    project = _project(schedule=None)
    policy = MonitoringPolicy(time_basis="months")
    assert monitor(project, spent=3, as_of="6月底", policy=policy).status is Status.YELLOW
    assert monitor(project, spent=4, as_of="6月底", policy=policy).status is Status.GREEN


def test_custom_status_thresholds(project):
    """Thresholds are configurable."""
    policy = MonitoringPolicy(red_below=70, yellow_below=90)
    assert monitor(project, spent=4, as_of=JULY, policy=policy).status is Status.RED


def test_status_words():
    """Statuses read in Chinese and English, with a severity order."""
    assert [s.value for s in Status] == ["绿", "黄", "红"]
    assert [s.english for s in Status] == ["green", "yellow", "red"]
    assert Status.GREEN.severity < Status.YELLOW.severity < Status.RED.severity


@pytest.mark.parametrize(
    "kwargs",
    [
        {"red_below": 90, "yellow_below": 80},
        {"red_below": -1},
        {"possible_at": "0.9", "certain_at": "0.8"},
        {"certain_at": "1.1"},
        {"interpolation": "cubic"},
        {"time_basis": "weeks"},
        {"projection": "hope"},
        {"cumulative": ["x"], "not_cumulative": ["x"]},
        {"cumulative": "重点敏感时期覆盖率"},
        {"not_cumulative": [3]},
    ],
)
def test_policy_rejects_nonsense(kwargs):
    """Policies check their own consistency (attrs' type checks raise TypeError)."""
    with pytest.raises((InvalidValueError, ValueError, TypeError)):
        MonitoringPolicy(**kwargs)


# --- the target side ----------------------------------------------------------------------------


def test_rates_stand_as_they_are(project):
    """A % indicator is not cumulative: its forecast is the value to date."""
    report = monitor(project, spent=4, as_of=JULY, progress={"群众来访接待劝返率": "96%"})
    (line,) = report.indicators
    assert line.path == "goals[0].indicators[1]"
    assert line.level1 == "产出指标"
    assert line.level2 == "质量指标"
    assert line.target == "≥95%"
    assert not line.cumulative
    assert line.value == 96
    assert line.forecast == 96
    assert line.ratio == Decimal(96) / 95
    assert line.likelihood is Likelihood.CERTAIN
    assert line.status is Status.GREEN
    assert report.finding_codes() == ("checkpoint-missed",)


def test_likelihood_cut_offs(project):
    """forecast/target ≥ 1 → 确定能, ≥ 0.8 → 有可能, else 完全不可能; a missing cause is a finding."""
    progress = {"上访人员满意度": 90, "重点敏感时期覆盖率": Decimal(70), "群众来访接待劝返率": "95%"}
    report = monitor(project, spent=4, as_of=JULY, progress=progress)
    likelihoods = {line.name: line.likelihood for line in report.indicators}
    assert likelihoods == {
        "上访人员满意度": Likelihood.POSSIBLE,
        "重点敏感时期覆盖率": Likelihood.IMPOSSIBLE,
        "群众来访接待劝返率": Likelihood.CERTAIN,
    }
    missing = [f for f in report.findings if f.code == "cause-missing"]
    assert {f.location for f in missing} == {"goals[0].indicators[6]", "goals[0].indicators[8]"}
    # lines come in table order, whatever the order of progress
    assert [line.path for line in report.indicators] == [
        "goals[0].indicators[1]",
        "goals[0].indicators[6]",
        "goals[0].indicators[8]",
    ]


def test_custom_likelihood_cut_offs(project):
    """Cut-offs are configurable."""
    policy = MonitoringPolicy(possible_at="0.95", certain_at="0.99")
    report = monitor(project, spent=4, as_of=JULY, progress={"上访人员满意度": 90}, policy=policy)
    assert report.indicators[0].likelihood is Likelihood.IMPOSSIBLE


def test_cause_and_note_are_carried(project):
    """A ProgressValue carries the deviation cause and note into the report and its row."""
    entry = ProgressValue(value="90%", cause="经费", note="问卷样本偏少")
    report = monitor(project, spent=4, as_of=JULY, progress={"上访人员满意度": entry})
    line = report.indicators[0]
    assert line.deviation_cause is DeviationCause.FUNDING
    assert line.note == "问卷样本偏少"
    assert "cause-missing" not in report.finding_codes()
    row = report.to_rows()[1]
    assert row["偏差原因分析"] == "经费保障"
    assert row["备注"] == "问卷样本偏少"
    assert row["完成目标可能性"] == "有可能"


def test_deviation_cause_names():
    """Causes read as Chinese (with or without 保障) or English; others are an error."""
    assert DeviationCause.from_text("制度保障") is DeviationCause.RULES
    assert DeviationCause.from_text("人员") is DeviationCause.STAFFING
    assert DeviationCause.from_text("facilities") is DeviationCause.FACILITIES
    assert DeviationCause.from_text("其他") is DeviationCause.OTHER
    with pytest.raises(MonitoringError, match="经费保障 \\(funding\\)"):
        DeviationCause.from_text("天气")


def test_cumulative_counts_scale_by_elapsed_time(project):
    """A count accumulates: the forecast is value / elapsed share (by the policy's time basis)."""
    visits = pt.Indicator(name="接待来访群众", target="≥1200人次", level1="产出指标", level2="数量指标")
    with_count = _with_indicators(project, visits)
    policy = MonitoringPolicy(time_basis="months")
    report = monitor(with_count, spent=4, as_of="6月底", progress={"接待来访群众": "560人次"}, policy=policy)
    line = report.indicators[0]
    assert line.cumulative
    assert line.forecast == 1120
    assert _close(line.ratio, Fraction(1120, 1200))
    assert line.likelihood is Likelihood.POSSIBLE
    # forced to stand as it is
    flat = MonitoringPolicy(time_basis="months", not_cumulative=("接待来访群众",))
    assert monitor(with_count, spent=4, as_of="6月底", progress={"接待来访群众": 560}, policy=flat).indicators[
        0
    ].forecast == 560


def test_forced_cumulative_by_path(project):
    """A rate can be declared cumulative by its path."""
    policy = MonitoringPolicy(time_basis="months", cumulative=("goals[0].indicators[6]",))
    report = monitor(project, spent=4, as_of="6月底", progress={"重点敏感时期覆盖率": 50}, policy=policy)
    assert report.indicators[0].cumulative
    assert report.indicators[0].forecast == 100


def test_cumulative_on_the_first_day_has_no_forecast(project):
    """No time elapsed: a cumulative value cannot be scaled, so no forecast and no likelihood."""
    visits = pt.Indicator(name="接待来访群众", target="≥1200人次")
    report = monitor(_with_indicators(project, visits), spent=0, as_of=D(2022, 1, 1), progress={"接待来访群众": 3})
    assert report.indicators[0].forecast is None
    assert report.indicators[0].likelihood is None
    assert report.indicators[0].status is None
    assert report.to_rows()[1]["全年预计完成值"] == ""


def test_reverse_target_and_own_forecast(project):
    """A ≤ cost target: over the cap the ratio is target / forecast; the unit's own forecast wins."""
    cost = pt.Indicator(name="差旅费用", target="≤3万元", level1="产出指标", level2="成本指标")
    with_cost = _with_indicators(project, cost)
    policy = MonitoringPolicy(time_basis="months")
    report = monitor(with_cost, spent=4, as_of="6月底", progress={"差旅费用": "20000元"}, policy=policy)
    line = report.indicators[0]
    assert line.cumulative
    assert line.value == 2
    assert line.forecast == 4
    assert line.ratio == Decimal("0.75")
    assert line.likelihood is Likelihood.IMPOSSIBLE
    own = ProgressValue(value="2万元", forecast="2.9万元", cause="制度保障")
    line = monitor(with_cost, spent=4, as_of="6月底", progress={"差旅费用": own}, policy=policy).indicators[0]
    assert line.forecast == Decimal("2.9")
    assert line.ratio == 1
    assert line.likelihood is Likelihood.CERTAIN


def test_strict_target_met_exactly_is_not_certain(project):
    """For '>' a forecast equal to the target is not met: at most 有可能."""
    strict = pt.Indicator(name="结案率", target=">90%")
    report = monitor(_with_indicators(project, strict), spent=4, as_of=JULY, progress={"结案率": 90})
    assert report.indicators[0].ratio == 1
    assert report.indicators[0].likelihood is Likelihood.POSSIBLE


def test_equal_zero_and_range_targets(project):
    """'=0' is met only at zero; a range is met inside."""
    accidents = pt.Indicator(name="安全事故", target="=0次")
    band = pt.Indicator(name="办结时长", target="5~10天")
    extended = _with_indicators(project, accidents, band)
    report = monitor(extended, spent=4, as_of=JULY, progress={"安全事故": 0, "办结时长": 12})
    by_name = {line.name: line for line in report.indicators}
    assert by_name["安全事故"].likelihood is Likelihood.CERTAIN
    assert _close(by_name["办结时长"].ratio, Fraction(10, 12))
    assert by_name["办结时长"].likelihood is Likelihood.POSSIBLE
    report = monitor(extended, spent=4, as_of=JULY, progress={"安全事故": 1})
    assert report.indicators[0].likelihood is Likelihood.IMPOSSIBLE


def test_qualitative_bands(project):
    """定性 indicators take achievement bands: 达成 green/确定能, 部分达成 yellow, 未达成 red."""
    for value, likelihood in [
        ("达成", Likelihood.CERTAIN),
        (Achievement.PARTIAL, Likelihood.POSSIBLE),
        ("未达成", Likelihood.IMPOSSIBLE),
        ("良好", Likelihood.CERTAIN),
        ("优秀", Likelihood.CERTAIN),
        ("合格", Likelihood.POSSIBLE),
        ("不合格", Likelihood.IMPOSSIBLE),
    ]:
        report = monitor(project, spent=4, as_of=JULY, progress={"正常办公条件保障情况": value})
        line = report.indicators[0]
        assert line.likelihood is likelihood, value
        assert line.value is None
        assert line.achievement is line.forecast_achievement
    entry = ProgressValue(value="部分达成", forecast="达成")
    line = monitor(project, spent=4, as_of=JULY, progress={"正常办公条件保障情况": entry}).indicators[0]
    assert line.achievement is Achievement.PARTIAL
    assert line.forecast_achievement is Achievement.ACHIEVED
    assert line.status is Status.GREEN


def test_compound_rate_unit(project):
    """'≥8 小时/天' is a rate: it stands as it is; the value may carry the unit."""
    report = monitor(project, spent=4, as_of=JULY, progress={"goals[0].indicators[0]": "7.6 小时/天"})
    line = report.indicators[0]
    assert not line.cumulative
    assert line.forecast == Decimal("7.6")
    assert line.likelihood is Likelihood.POSSIBLE


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("没有这个指标", 1, "no indicator of project 13063722P0041681003"),
        ("无", 1, "several indicators have this name"),
        ("goals[0].indicators[5]", 1, "无 \\(not applicable\\)"),
        ("群众来访接待劝返率", "96小时", "cannot compare"),
        ("群众来访接待劝返率", "很多", "not a number"),
        ("正常办公条件保障情况", 3, "qualitative"),
        (3, 1, "progress keys must be"),
    ],
)
def test_bad_progress_is_an_error_naming_it(project, key, value, match):
    """Progress for an unknown, ambiguous or 无 indicator, or in the wrong unit, is a clear error."""
    with pytest.raises(MonitoringError, match=match):
        monitor(project, spent=4, as_of=JULY, progress={key: value})


def test_progress_given_twice(project):
    """The same indicator by name and by path is an error."""
    progress = {"群众来访接待劝返率": 96, "goals[0].indicators[1]": 97}
    with pytest.raises(MonitoringError, match="given twice"):
        monitor(project, spent=4, as_of=JULY, progress=progress)


def test_progress_keyed_by_indicator(project):
    """Indicator objects work as keys."""
    indicator = project.goals[0].indicators[1]
    report = monitor(project, spent=4, as_of=JULY, progress={indicator: 96})
    assert report.indicators[0].path == "goals[0].indicators[1]"
    stranger = pt.Indicator(name="外来指标", target="≥1个")
    with pytest.raises(MonitoringError, match="is not in project"):
        monitor(project, spent=4, as_of=JULY, progress={stranger: 1})


@pytest.mark.parametrize(
    ("unit", "cumulative"),
    [("个", True), ("人次", True), ("万元", True), ("元", True), ("%", False), ("‰", False), ("小时/天", False),
     ("天", False), ("月", False), ("", False), ("分", False)],
)
def test_default_cumulative_rule(unit, cumulative):
    """Counts and money accumulate; rates, durations, scores and bare numbers do not."""
    assert cumulative_by_unit(unit) is cumulative


# --- the table and the format -------------------------------------------------------------------


def test_rows_in_the_standard_columns(project):
    """to_rows(): the money row first, then one row per indicator, every column present."""
    progress = {"群众来访接待劝返率": "96%", "正常办公条件保障情况": ProgressValue(value="部分达成", cause="其他")}
    rows = monitor(project, spent="4.0", as_of=JULY, progress=progress).to_rows()
    assert all(tuple(row) == MONITORING_COLUMNS for row in rows)
    assert rows[0]["年度预算数"] == "10.00"
    assert rows[0]["截至当期执行数"] == "4.00"
    assert rows[0]["执行率"] == "40.00%"
    assert rows[0]["全年预计执行数"] == "7.10"
    assert rows[0]["三级指标"] == ""
    assert rows[1]["三级指标"] == "群众来访接待劝返率"
    assert rows[1]["年度指标值"] == "≥95%"
    assert rows[1]["截至当期完成值"] == "96.00%"
    assert rows[1]["全年预计完成值"] == "96.00%"
    assert rows[1]["完成目标可能性"] == "确定能"
    assert rows[1]["年度预算数"] == ""
    assert rows[2]["截至当期完成值"] == "部分达成"
    assert rows[2]["偏差原因分析"] == "其他"
    assert monitor(project, spent=4, as_of=JULY).to_rows(places=0)[0]["执行率"] == "40%"


def test_summary_mentions_the_essentials(project):
    """summary() is readable text with the numbers rounded half up, in one language (English by default)."""
    text = monitor(project, spent="4.0", as_of=JULY, progress={"群众来访接待劝返率": 96}).summary()
    assert "spent 4.00 of 10.00 (10k yuan): execution rate 40.00%" in text
    assert "plan 56.30% (gap -16.30 pp)" in text
    assert "time 58.33% (gap -18.33 pp)" in text
    assert "ratio 68.57: yellow" in text
    assert "next checkpoint 10月底 (75%): 3.50 (10k yuan) still to spend" in text
    assert "群众来访接待劝返率: 96.00% to date" in text
    assert "[checkpoint-missed]" in text


def test_summary_and_rows_in_chinese_or_english(project):
    """summary(lang=), to_rows(lang=) and series_row(lang=) each speak one language."""
    report = monitor(project, spent="4.0", as_of=JULY, progress={"群众来访接待劝返率": 96, "正常办公条件保障情况": "达成"})
    text = report.summary(lang="zh")
    assert "已执行 4.00 万元，预算 10.00 万元：执行率 40.00%" in text
    assert "执行/序时 68.57：黄" in text
    assert "群众来访接待劝返率：截至当期 96.00%" in text
    lines = text.split("\n[")[0]  # then the findings: [code] path: message
    assert "spent" not in lines
    assert "ratio" not in lines
    assert "[checkpoint-missed] spent: 未达到 6月底（2022-06-30）节点：计划到时累计支出 5.00 万元（50%），" in text
    assert str(report.findings[0]) == report.findings[0].text("en")
    assert report.findings[0].text("en").startswith("[checkpoint-missed] spent: behind 6月底")
    rows = report.to_rows(lang="en")
    assert list(rows[0])[:4] == ["Budget", "Spent to date", "Execution rate", "Forecast spending"]
    assert (rows[1]["Level 1"], rows[1]["Level 2"], rows[1]["Likelihood"]) == ("output", "quality", "certain")
    assert rows[2]["Value to date"] == "achieved"
    assert list(rows[0].values()) == list(report.to_rows()[0].values())
    assert report.series_row(lang="en")["Status"] == "yellow"


def test_report_round_trips_through_the_converter(project):
    """A full report serializes to plain data and back, equal; JSON works too."""
    progress = {
        "群众来访接待劝返率": "96%",
        "上访人员满意度": ProgressValue(value=90, cause="人员保障", note="样本少"),
        "正常办公条件保障情况": "部分达成",
    }
    policy = MonitoringPolicy(time_basis="months", cumulative=("x",))
    report = monitor(project, spent=[Payment(D(2021, 5, 1), 1), Payment(D(2022, 5, 1), 4)], as_of=JULY,
                     progress=progress, policy=policy)
    data = to_dict(report)
    assert data["status"] == "黄"
    lines = {line["name"]: line for line in data["indicators"]}
    assert lines["上访人员满意度"]["likelihood"] == "有可能"
    assert lines["上访人员满意度"]["deviation_cause"] == "人员保障"
    assert lines["正常办公条件保障情况"]["achievement"] == "部分达成"
    again = from_dict(json.loads(json.dumps(data, ensure_ascii=False)), MonitoringReport)
    assert again == report
    assert isinstance(again.indicators[0], IndicatorProgress)
    assert from_dict(to_dict(policy), MonitoringPolicy) == policy
    first_day = monitor(project, spent=0, as_of=D(2022, 1, 1))
    assert from_dict(to_dict(first_day), MonitoringReport) == first_day


# --- series and files -----------------------------------------------------------------------------


def test_series_by_month_end(project):
    """monitor_series: the twelve month ends by default, cumulative spending at each."""
    payments = load_payments(PAYMENTS)
    reports = monitor_series(project, payments=payments)
    assert [r.as_of for r in reports] == [D(2022, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)] + [
        D(2022, 12, 31)
    ]
    assert [r.spent for r in reports[:7]] == [Decimal(x) for x in ("0.5", "1", "1.6", "2.1", "2.6", "3.2", "4")]
    assert reports[6] == monitor(project, spent="4.0", as_of=JULY)
    assert all(r.spent == 4 for r in reports[7:])


def test_series_on_given_dates_with_findings(project):
    """Dates may be labels; payments outside the year give a finding in every report."""
    payments = [Payment(D(2021, 12, 30), 1), Payment(D(2022, 2, 1), 2)]
    reports = monitor_series(project, payments=payments, dates=["1月底", "Q1", D(2022, 7, 31)])
    assert [r.spent for r in reports] == [0, 2, 2]
    assert all("payments-outside-year" in r.finding_codes() for r in reports)
    assert "payments[0] 2021-12-30" in str(reports[0].findings[0])
    with pytest.raises(MonitoringError, match="outside fiscal year"):
        monitor_series(project, payments=payments, dates=[D(2023, 1, 31)])
    with pytest.raises(MonitoringError, match="list of Payment"):
        monitor_series(project, payments="4.0")  # type: ignore[arg-type]
    with pytest.raises(MonitoringError, match="wrap one date in a list"):
        monitor_series(project, payments=payments, dates="7月底")  # type: ignore[arg-type]


def test_example_payments_reach_four_wan_by_july():
    """The bundled payments add up to 4.0 万元 by 31 July 2022."""
    payments = load_payments(PAYMENTS)
    assert all(p.date.year == 2022 and p.date <= JULY for p in payments)
    assert sum(p.amount for p in payments) == 4
    assert payments[0].note == "1月值班费"


def test_bad_payment_file(tmp_path):
    """A malformed payment file is a DocumentError with the path of the problem."""
    bad = tmp_path / "bad.toml"
    bad.write_text('payments = [{date = 2022-01-01, amount = 1}, {date = "soon", amount = 1}]\n', encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_payments(bad)
    assert "payments[1].date" in str(caught.value)
    with pytest.raises(DocumentError, match="cannot read"):
        load_payments(tmp_path / "missing.toml")
    with pytest.raises(DocumentError, match="suffix"):
        load_payments(tmp_path / "payments.csv")


def test_plan_without_checkpoints_keeps_its_fiscal_year():
    """A plan with no checkpoints is taken as even over the table's own fiscal year (April to March here)."""
    project = pt.load("examples/petition-bureau.toml").projects[0]
    april = attrs.evolve(project, schedule=pt.SpendingSchedule(fiscal_year=2022, checkpoints=(), start_month=4))
    report = pt.monitor(april, spent="4.0", as_of="2022-07-31", policy=DAYS)
    assert report.finding_codes() == ("no-plan",)
    assert report.time_progress == report.planned_share
    assert round(report.time_progress, 4) == Decimal("33.2418")  # 1 April to 31 July: 121 of 364 days


# --- one 序时进度 on every path -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "by_months", "by_days"),
    [(D(2022, 6, 15), "41.67", "45.33"), (D(2022, 6, 30), "50.00", "49.45"), (D(2022, 10, 31), "83.33", "83.24")],
)
def test_one_time_progress_on_every_path(project, day, by_months, by_days):
    """PT405, monitor, monitor_series and the column kernel give the rulebook's 序时进度, variant by variant.

    Regression: on the seed plan PT405 said 45.48 % on 15 June (days counted inclusively) and 50.00 % on
    30 June, while monitor said 45.33 % and 49.45 % (by days) or 41.67 % (by months).
    """
    start = project.schedule.start
    expected = {"months": time_progress(day, start), "days": time_progress(day, start, by="days")}
    assert round_half_up(expected["months"], 2) == Decimal(by_months)
    assert round_half_up(expected["days"], 2) == Decimal(by_days)
    for by, value in expected.items():
        policy = MonitoringPolicy(time_basis=by)  # type: ignore[arg-type]
        assert monitor(project, spent="4.0", as_of=day, policy=policy).time_progress == value
        (series,) = monitor_series(project, payments=[Payment(D(2022, 1, 5), "4.0")], dates=[day], policy=policy)
        assert series.time_progress == value
    assert monitor(project, spent="4.0", as_of=day).time_progress == expected["months"]  # the default
    plan = SpendingSchedule(
        fiscal_year=2022, checkpoints=(pt.Checkpoint(date=day, percent=1), pt.Checkpoint(date=D(2022, 12, 31),
                                                                                         percent=100)),
    )
    (finding,) = [f for f in pt.review(attrs.evolve(project, schedule=plan)) if f.code == "PT405"]
    assert f"低于序时进度 {format_decimal(expected['months'])}%" in finding.message
    pytest.importorskip("pyarrow")
    from perftarget._formats.columnar import flatten
    from perftarget._formats.columnar_monitor import monitor_columns

    columns = flatten([project], payments={project.code: [Payment(D(2022, 1, 5), "4.0")]})
    for by, value in expected.items():
        policy = MonitoringPolicy(time_basis=by)  # type: ignore[arg-type]
        row = monitor_columns(columns, as_of=day, policy=policy).to_pylist()[0]
        assert Decimal(row["time_progress"]) == round_half_up(value, 6)


def test_ratio_on_a_cut_off_is_exact():
    """1 万元 of 10 by 28 February, by months: r = 10 / (2/12 × 100) × 100 = 60 exactly, so yellow, not red.

    Regression: r was execution / a 28-digit time progress (16.666…67), 59.99…98, and the status red.
    """
    report = monitor(_project(schedule=None), spent=1, as_of=D(2022, 2, 28))
    assert report.ratio == 60
    assert report.status is Status.YELLOW
    assert report.months_left == 10


def test_series_rows_round_half_up(project, tmp_path, capsys):
    """A series line rounds half up like everything else: 40.125 % shows 40.13 %, 4.0125 万元 4.01 (the CLI too)."""
    row = monitor(project, spent="4.0125", as_of=JULY).series_row()
    assert list(row) == list(SERIES_COLUMNS)
    assert (row["日期"], row["截至当期执行数"], row["执行率"]) == ("2022-07-31", "4.01", "40.13%")
    assert row["序时进度"] == "58.33%"
    assert monitor(project, spent="0.0125", as_of=D(2022, 1, 1)).series_row()["执行/序时"] == ""
    payments = tmp_path / "payments.toml"
    payments.write_text('payments = [{date = 2022-01-25, amount = "4.0125"}]\n', encoding="utf-8")
    code = main(["monitor", "examples/petition-bureau.toml", "--payments", str(payments), "--monthly",
                        "--format", "csv"])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[7].startswith("2022-07-31,4.01,40.13%,56.30%,58.33%,68.79,黄")
