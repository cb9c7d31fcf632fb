"""The spending plan over time: checkpoint labels, planned share, time progress, planned amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

import perftarget as pt
from perftarget._rulebook.progress import TIME_BASES, elapsed, time_progress
from perftarget._values.schedule import Checkpoint, SpendingSchedule, checkpoint_date, to_wan
from perftarget.exceptions import InvalidValueError, MonitoringError
from perftarget.values import Quantity

D = dt.date


def _close(value: Decimal, expected: Fraction) -> bool:
    return abs(Fraction(value) - expected) < Fraction(1, 10**20)


@pytest.fixture
def seed_plan(seed_path) -> SpendingSchedule:
    schedule = pt.load(seed_path).projects[0].schedule
    assert schedule is not None
    return schedule


# --- labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("3月底", D(2022, 3, 31)),
        ("6月末", D(2022, 6, 30)),
        ("10月底", D(2022, 10, 31)),
        ("12月底", D(2022, 12, 31)),
        ("2月底", D(2022, 2, 28)),
        ("三月底", D(2022, 3, 31)),
        ("十二月末", D(2022, 12, 31)),
        ("1-6月", D(2022, 6, 30)),
        ("第一季度末", D(2022, 3, 31)),
        ("一季度", D(2022, 3, 31)),
        ("第二季度", D(2022, 6, 30)),
        ("三季度末", D(2022, 9, 30)),
        ("上半年", D(2022, 6, 30)),
        ("前三季度", D(2022, 9, 30)),
        ("全年", D(2022, 12, 31)),
        ("年底", D(2022, 12, 31)),
        ("Q1", D(2022, 3, 31)),
        ("Q2", D(2022, 6, 30)),
        ("q3", D(2022, 9, 30)),
        ("Q4", D(2022, 12, 31)),
        ("Ｑ１", D(2022, 3, 31)),
        ("H1", D(2022, 6, 30)),
        ("H2", D(2022, 12, 31)),
        ("2022-03-31", D(2022, 3, 31)),
        ("2022/3/31", D(2022, 3, 31)),
        ("3/31", D(2022, 3, 31)),
        ("3月31日", D(2022, 3, 31)),
        ("2022年3月31日", D(2022, 3, 31)),
        (" 6 月底 ", D(2022, 6, 30)),
    ],
)
def test_checkpoint_labels_calendar_year(label, expected):
    """Every way the tables write a checkpoint names the right day of a January fiscal year."""
    assert checkpoint_date(label, 2022) == expected


@pytest.mark.parametrize(
    ("label", "april", "october"),
    [
        ("3月底", D(2023, 3, 31), D(2023, 3, 31)),
        ("6月末", D(2022, 6, 30), D(2023, 6, 30)),
        ("10月底", D(2022, 10, 31), D(2022, 10, 31)),
        ("第一季度末", D(2022, 6, 30), D(2022, 12, 31)),
        ("Q2", D(2022, 9, 30), D(2023, 3, 31)),
        ("上半年", D(2022, 9, 30), D(2023, 3, 31)),
        ("前三季度", D(2022, 12, 31), D(2023, 6, 30)),
        ("全年", D(2023, 3, 31), D(2023, 9, 30)),
        ("3/31", D(2023, 3, 31), D(2023, 3, 31)),
        ("12/31", D(2022, 12, 31), D(2022, 12, 31)),
        ("2024-03-31", D(2024, 3, 31), D(2024, 3, 31)),
    ],
)
def test_checkpoint_labels_follow_the_fiscal_year(label, april, october):
    """Month labels fall in the fiscal year; quarters count from its first month."""
    assert checkpoint_date(label, 2022, start_month=4) == april
    assert checkpoint_date(label, 2022, start_month=10) == october


def test_leap_day_without_year():
    """2/29 exists only in leap years; the fiscal year decides."""
    assert checkpoint_date("2/29", 2024) == D(2024, 2, 29)
    assert checkpoint_date("2/29", 2023, start_month=4) == D(2024, 2, 29)
    with pytest.raises(InvalidValueError, match="'2/29'"):
        checkpoint_date("2/29", 2022)


@pytest.mark.parametrize("label", ["13月底", "Q5", "H3", "明年", "", "2024", "March", "10:00", "3/31 10:00", "第五季度"])
def test_bad_labels_say_what_was_expected(label):
    """A label that names no day is an error quoting the label and the accepted forms."""
    with pytest.raises(InvalidValueError) as caught:
        checkpoint_date(label, 2022)
    message = str(caught.value)
    assert repr(label) in message
    assert "expected a month end (3月底" in message
    assert caught.value.field == "label"
    assert isinstance(caught.value, ValueError)


def test_label_must_be_text():
    """A number is not a label."""
    with pytest.raises(InvalidValueError, match="must be text"):
        checkpoint_date(3, 2022)  # type: ignore[arg-type]


def test_from_labels_reads_quarters_and_checks_the_plan():
    """Plans written with quarter labels build; April fiscal years put 3月底 in the next calendar year."""
    plan = SpendingSchedule.from_labels(2022, {"Q1": 20, "上半年": 45, "前三季度": 70, "全年": 100})
    assert [c.date for c in plan.checkpoints] == [D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31)]
    april = SpendingSchedule.from_labels(2022, {"6月底": 30, "12月底": 60, "3月底": 100}, start_month=4)
    assert april.start == D(2022, 4, 1)
    assert april.end == D(2023, 3, 31)
    assert april.checkpoints[-1].date == D(2023, 3, 31)
    with pytest.raises(InvalidValueError, match="less than 50%"):
        SpendingSchedule.from_labels(2022, {"6月底": 50, "10月底": 40, "12月底": 100})


# --- planned share -------------------------------------------------------------------------------


def test_seed_plan_at_its_checkpoints(seed_plan):
    """The seed's plan reads 25/50/75/100 % at 3/6/10/12月底, by either policy."""
    for day, percent in [(D(2022, 3, 31), 25), (D(2022, 6, 30), 50), (D(2022, 10, 31), 75), (D(2022, 12, 31), 100)]:
        assert seed_plan.planned_share(day) == percent
        assert seed_plan.planned_share(day, policy="step") == percent


def test_seed_plan_between_checkpoints(seed_plan):
    """Linear: a straight line by days from 0 % on 1 January; step: the last checkpoint passed."""
    # 1 Jan is day 0; 31 Mar day 89; 30 Jun day 180; 31 Oct day 303; 31 Dec day 364.
    assert seed_plan.planned_share(D(2022, 1, 1)) == 0
    assert _close(seed_plan.planned_share(D(2022, 2, 15)), Fraction(25 * 45, 89))
    assert _close(seed_plan.planned_share(D(2022, 5, 15)), 25 + Fraction(25 * (134 - 89), 91))
    assert _close(seed_plan.planned_share(D(2022, 7, 31)), 50 + Fraction(25 * 31, 123))
    assert _close(seed_plan.planned_share(D(2022, 11, 30)), 75 + Fraction(25 * 30, 61))
    assert seed_plan.planned_share(D(2022, 2, 15), policy="step") == 0
    assert seed_plan.planned_share(D(2022, 5, 15), policy="step") == 25
    assert seed_plan.planned_share(D(2022, 7, 31), policy="step") == 50
    assert seed_plan.planned_share(D(2022, 11, 30), policy="step") == 75


def test_plan_ending_early_stays_flat():
    """After the last checkpoint the planned share stays at its percent (here 100 % by 10月底)."""
    plan = SpendingSchedule.from_labels(2022, {"6月底": 40, "10月底": 100})
    assert plan.planned_share(D(2022, 11, 15)) == 100
    assert plan.planned_share(D(2022, 12, 31), policy="step") == 100


def test_multi_year_plan_ends_below_100():
    """A multi-year plan reaches its last percent, not 100, at the end of the year."""
    plan = SpendingSchedule.from_labels(2022, {"6月底": 20, "12月底": 60}, multi_year=True)
    assert plan.planned_share(D(2022, 12, 31)) == 60
    assert plan.planned_share(D(2022, 1, 1)) == 0


def test_checkpoint_on_the_first_day():
    """A checkpoint dated on the first day holds from that day (no 0 % anchor before it)."""
    plan = SpendingSchedule(
        fiscal_year=2022,
        checkpoints=[Checkpoint(date=D(2022, 1, 1), percent=10), Checkpoint(date=D(2022, 12, 31), percent=100)],
    )
    assert plan.planned_share(D(2022, 1, 1)) == 10
    assert plan.planned_share(D(2022, 1, 1), policy="step") == 10
    assert plan.planned_share(D(2022, 12, 31)) == 100


def test_empty_plan_plans_nothing():
    """A plan without checkpoints (allowed by the model) plans 0 % all year."""
    plan = SpendingSchedule(fiscal_year=2022, checkpoints=[])
    assert plan.planned_share(D(2022, 7, 1)) == 0
    assert plan.planned_share(D(2022, 7, 1), policy="step") == 0


def test_even_plan_is_time_progress_by_days():
    """The even plan of a project without one equals the time progress by days."""
    plan = SpendingSchedule.even(2022)
    for day in (D(2022, 1, 1), D(2022, 4, 17), D(2022, 9, 30), D(2022, 12, 31)):
        assert plan.planned_share(day) == time_progress(day, plan.start, by="days")


def test_unknown_policy_is_an_error(seed_plan):
    """Policies are 'linear' and 'step'; time bases 'months' and 'days'."""
    with pytest.raises(MonitoringError, match="expected 'linear' or 'step'"):
        seed_plan.planned_share(D(2022, 5, 1), policy="cubic")  # type: ignore[arg-type]
    with pytest.raises(MonitoringError, match="expected one of 'months', 'days'"):
        time_progress(D(2022, 5, 1), seed_plan.start, by="weeks")  # type: ignore[arg-type]


# --- time progress -------------------------------------------------------------------------------


def test_time_progress_by_days(seed_plan):
    """Days since 1 January over the 364 days to 31 December: 0 on the first day, 100 on the last."""
    start = seed_plan.start
    assert time_progress(D(2022, 1, 1), start, by="days") == 0
    assert time_progress(D(2022, 12, 31), start, by="days") == 100
    assert _close(time_progress(D(2022, 7, 31), start, by="days"), Fraction(21100, 364))


def test_time_progress_by_months(seed_plan):
    """Whole months elapsed over 12: a month counts once its last day is reached (§4: month/12)."""
    start = seed_plan.start
    assert time_progress(D(2022, 3, 31), start, by="months") == 25
    assert time_progress(D(2022, 6, 30), start, by="months") == 50
    assert _close(time_progress(D(2022, 10, 31), start, by="months"), Fraction(1000, 12))
    assert time_progress(D(2022, 12, 31), start, by="months") == 100
    assert time_progress(D(2022, 7, 15), start, by="months") == 50
    assert time_progress(D(2022, 1, 1), start, by="months") == 0


def test_time_progress_default_is_months(seed_plan):
    """The default is the national month/12: 25/50/83.33/100 % at the seed's checkpoints."""
    assert TIME_BASES[0] == "months"
    got = [time_progress(c.date, seed_plan.start) for c in seed_plan.checkpoints]
    assert [round(value, 2) for value in got] == [Decimal(25), Decimal(50), Decimal("83.33"), Decimal(100)]


def test_time_progress_is_its_fraction():
    """time_progress is elapsed() × 100 for every day of a year and both bases (one rule, two forms)."""
    start = D(2024, 1, 1)
    for offset in range(366):
        day = start + dt.timedelta(days=offset)
        for by in TIME_BASES:
            part, whole = elapsed(day, start, by=by)
            assert time_progress(day, start, by=by) == Decimal(part * 100) / Decimal(whole)


@pytest.mark.parametrize("start_month", [4, 10])
def test_time_progress_other_fiscal_years(start_month):
    """A fiscal year starting in April or October runs twelve months from its first day."""
    plan = SpendingSchedule.even(2022, start_month=start_month)
    first = D(2022, start_month, 1)
    assert time_progress(first, plan.start, by="days") == 0
    assert time_progress(plan.end, plan.start, by="days") == 100
    assert time_progress(plan.end, plan.start, by="months") == 100
    sixth_month_end = checkpoint_date("上半年", 2022, start_month)
    assert time_progress(sixth_month_end, plan.start, by="months") == 50
    assert plan.planned_share(plan.end) == 100


# --- as_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [D(2021, 12, 31), D(2023, 1, 1), D(2030, 6, 30)])
def test_as_of_outside_the_year_is_an_error(seed_plan, day):
    """A date outside the fiscal year is a clear error, never a number."""
    with pytest.raises(MonitoringError) as caught:
        seed_plan.planned_share(day)
    assert f"as_of {day.isoformat()} is outside fiscal year 2022 (2022-01-01 to 2022-12-31)" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(MonitoringError, match="outside the fiscal year 2022-01-01 to 2022-12-31"):
        time_progress(day, seed_plan.start)


def test_as_of_outside_an_april_year():
    """For an April fiscal year, March of the same calendar year is outside, March of the next inside."""
    plan = SpendingSchedule.even(2022, start_month=4)
    with pytest.raises(MonitoringError, match="2022-04-01 to 2023-03-31"):
        time_progress(D(2022, 3, 31), plan.start)
    assert time_progress(D(2023, 3, 31), plan.start) == 100


def test_as_of_may_be_a_label_but_not_a_datetime(seed_plan):
    """``as_of`` reads labels such as 7月底; a datetime or a number is refused."""
    assert seed_plan.planned_share("6月底") == 50
    assert seed_plan.date_of("7月底") == D(2022, 7, 31)
    with pytest.raises(MonitoringError, match="must be a date"):
        seed_plan.planned_share(dt.datetime(2022, 7, 31, 12, 0))  # noqa: DTZ001
    with pytest.raises(MonitoringError, match="must be a date"):
        seed_plan.planned_share(20220731)  # type: ignore[arg-type]
    with pytest.raises(MonitoringError, match="as_of: cannot read checkpoint '下个月'"):
        seed_plan.planned_share("下个月")


# --- planned amounts -----------------------------------------------------------------------------


def test_seed_planned_amounts(seed_plan, seed_path):
    """25/50/75/100 % of 10.00 万元 are 2.5/5/7.5/10 万元, exactly; a Budget or text budget works too."""
    budget = pt.load(seed_path).projects[0].budget
    amounts = seed_plan.planned_amounts(budget)
    assert [(c.label, a) for c, a in amounts] == [
        ("3月底", Decimal("2.5")),
        ("6月底", Decimal(5)),
        ("10月底", Decimal("7.5")),
        ("12月底", Decimal(10)),
    ]
    assert seed_plan.planned_amounts("100000元") == amounts
    assert seed_plan.planned_amounts(Quantity(Decimal(10), "万元")) == amounts


def test_planned_amounts_exact_for_awkward_numbers():
    """Percent × budget / 100 keeps every digit."""
    plan = SpendingSchedule.from_labels(2022, {"3月底": "33.3", "12月底": 100})
    ((_, first), (_, last)) = plan.planned_amounts("12.34")
    assert first == Decimal("4.10922")
    assert last == Decimal("12.34")


def test_planned_amounts_reject_bad_budgets(seed_plan):
    """A negative budget or one that is not money is an error."""
    with pytest.raises(MonitoringError, match="must not be negative"):
        seed_plan.planned_amounts(-1)
    with pytest.raises(MonitoringError, match="is not money"):
        seed_plan.planned_amounts("10个")


# --- amounts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["4", "4.0", "4万元", "40000元", "40,000元", 4, Decimal("4.00"), Quantity(Decimal(40000), "元")]
)
def test_amounts_in_wan(value):
    """Numbers are 万元; text and quantities convert from 元/万元/亿元 exactly."""
    assert to_wan(value) == 4


@pytest.mark.parametrize("value", ["四万", "4小时", True, None, Decimal("NaN"), Quantity(Decimal(4), "%")])
def test_amounts_that_are_not_money(value):
    """Anything that is not an amount of money is an error naming it."""
    with pytest.raises(MonitoringError):
        to_wan(value, what="spent")
