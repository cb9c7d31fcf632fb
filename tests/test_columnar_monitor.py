"""Columnar monitoring: every table at once, equal to the object path rounded half up to 6 places."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perftarget as pt
from perftarget._codec.convert import from_dict
from perftarget._formats.columnar import Columns, flatten
from perftarget._formats.columnar_monitor import _run, monitor_columns, status_codes, status_lookup
from perftarget._judge.monitor import MonitoringPolicy, Payment, monitor
from perftarget._model.targets import Budget, Document, ProjectTargets, Unit
from perftarget._rulebook.progress import status_band
from perftarget._values.numbers import round_half_up
from perftarget._values.schedule import SpendingSchedule
from perftarget.batch import result_columns, result_schema
from perftarget.exceptions import InvalidValueError, PerftargetError
from perftarget.results import Status
from perftarget.testing import project_targets, schedules

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")

D = dt.date
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "petition-bureau.toml"
FIGURES = (
    "budget", "spent", "execution_rate", "planned_share", "time_progress", "gap_to_plan", "gap_to_time", "ratio",
    "projected_spent",
)
DEFAULT = MonitoringPolicy()
DAYS = MonitoringPolicy(time_basis="days")


def six(value: Decimal | None) -> str:
    """The columnar text of a figure: half up to 6 places, then as short as it goes."""
    if value is None:
        return ""
    text = format(round_half_up(value, 6).normalize(), "f")
    return "0" if text == "-0" else text


def reason(exc: PerftargetError) -> str:
    problems = getattr(exc, "problems", None)
    return "; ".join(str(p) for p in problems) if problems else str(exc)


def object_row(project: ProjectTargets, spent: object, as_of: object, policy: MonitoringPolicy) -> dict[str, str]:
    """What the object path gives for one table, in the columns of the batch results."""
    row = dict.fromkeys(result_columns("monitor", "table"), "")
    row.update(project_code=project.code, project_name=project.name)
    try:
        report = monitor(project, spent=spent, as_of=as_of, policy=policy)  # type: ignore[arg-type]
    except PerftargetError as exc:
        row["error"] = reason(exc)
        return row
    row.update(
        as_of=report.as_of.isoformat(), status=report.status.value, findings=" ".join(report.finding_codes()),
        budget=six(report.budget), spent=six(report.spent), execution_rate=six(report.execution_rate),
        planned_share=six(report.planned_share), time_progress=six(report.time_progress),
        gap_to_plan=six(report.gap_to_plan), gap_to_time=six(report.gap_to_time), ratio=six(report.ratio),
        projected_spent=six(report.projected_spent),
    )
    return row


def assert_same(
    projects: Sequence[ProjectTargets],
    payments: Mapping[str, list[Payment]],
    as_of: object,
    policy: MonitoringPolicy = DEFAULT,
    spent: Sequence[object] | None = None,
) -> tuple[list[dict[str, str]], list[int]]:
    """Columnar rows equal the object path's, rounded to 6 places; returns the rows and the slow tables."""
    columns = flatten(list(projects), payments=payments)
    table, slow = _run(columns, as_of=as_of, spent=spent, policy=policy)
    rows = table.to_pylist()
    assert table.column_names == list(result_columns("monitor", "table"))
    assert len(rows) == len(projects)
    for index, (project, row) in enumerate(zip(projects, rows, strict=True)):
        given = spent[index] if spent is not None else payments.get(project.code) or payments.get(project.name) or []
        expected = object_row(project, given, as_of, policy)
        assert row == expected, (index, index in slow)
        for name in FIGURES:  # the rule as numbers too: the columnar value is the object value rounded
            if row[name]:
                assert Decimal(row[name]) == Decimal(expected[name])
    return rows, slow


def seed() -> ProjectTargets:
    return pt.load(SEED).projects[0]


def project(plan: SpendingSchedule | None, *, budget: str = "10.00", year: int = 2022, code: str = "P1") -> ProjectTargets:
    return ProjectTargets(unit=Unit("1", "单位"), code=code, name=f"项目{code}", year=year, budget=Budget(total=budget),
                          schedule=plan)


QUARTERS = SpendingSchedule.from_labels(2022, {"3月底": 25, "6月底": 50, "10月底": 75, "12月底": 100})


# --- the seed and hand cases --------------------------------------------------------------------


def test_seed_on_31_july():
    """4.0 万元 of 10 spent by 31 July: 40 %, plan 56.30 %, time 57.97 % by days, yellow, behind 6月底; kernel only."""
    table = seed()
    payments = {table.code: [Payment(D(2022, 7, 31), "4.0")]}
    (by_months,), slow = assert_same([table], payments, D(2022, 7, 31))
    assert slow == []
    assert (by_months["time_progress"], by_months["ratio"], by_months["status"]) == ("58.333333", "68.571429", "黄")
    rows, slow = assert_same([table], payments, D(2022, 7, 31), DAYS)
    (row,) = rows
    assert slow == []
    assert row["execution_rate"] == "40"
    assert round_half_up(Decimal(row["planned_share"]), 2) == Decimal("56.30")
    assert round_half_up(Decimal(row["time_progress"]), 2) == Decimal("57.97")
    assert row["status"] == "黄"
    assert row["findings"] == "checkpoint-missed"
    assert row["planned_share"] == "56.300813"
    assert row["time_progress"] == "57.967033"
    assert row["ratio"] == "69.004739"
    assert row["projected_spent"] == "7.104693"
    assert row["gap_to_plan"] == "-16.300813"
    assert row["budget"] == "10"
    assert row["error"] == ""


def test_public_function_returns_the_batch_columns():
    """monitor_columns gives an Arrow table of text in the batch result columns, one row per table."""
    table = seed()
    columns = flatten(pt.load(SEED), payments={table.code: [Payment(D(2022, 7, 31), "4.0")]})
    result = monitor_columns(columns, as_of="7月底")
    assert isinstance(result, pa.Table)
    assert result.schema == result_schema("monitor", "table")
    assert result.column("as_of").to_pylist() == ["2022-07-31"]
    assert result.column("status").to_pylist() == ["黄"]


@pytest.mark.parametrize(
    ("as_of", "planned", "time"),
    [
        (D(2022, 2, 15), Fraction(25 * 45, 89), Fraction(45 * 100, 364)),  # before the first checkpoint
        (D(2022, 6, 30), Fraction(50), Fraction(180 * 100, 364)),  # on a checkpoint
        (D(2022, 8, 15), 50 + Fraction(25 * 46, 123), Fraction(226 * 100, 364)),  # between two
        (D(2022, 12, 31), Fraction(100), Fraction(100)),  # year end
    ],
)
def test_hand_cases_by_days(as_of, planned, time):
    """The planned share runs by days from 0 % on 1 January; time progress is days / 364; kernel only."""
    table = project(QUARTERS)
    rows, slow = assert_same([table], {"P1": [Payment(D(2022, 1, 20), "3.5")]}, as_of, DAYS)
    (row,) = rows
    assert slow == []
    for name, exact in (("planned_share", planned), ("time_progress", time)):
        decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
        assert row[name] == six(decimal)


def test_first_day_of_the_year():
    """On 1 January no time has elapsed: no ratio, no projection, green, a finding."""
    table = project(QUARTERS)
    rows, slow = assert_same([table], {"P1": []}, D(2022, 1, 1))
    assert slow == []
    assert rows[0]["ratio"] == ""
    assert rows[0]["projected_spent"] == ""
    assert rows[0]["status"] == "绿"
    assert rows[0]["findings"] == "no-time-elapsed"
    rows, slow = assert_same([table], {"P1": []}, D(2022, 1, 1), MonitoringPolicy(projection="linear"))
    assert rows[0]["projected_spent"] == ""


def test_fiscal_year_starting_in_april():
    """A fiscal year from 1 April: the plan, the days and the labels are read in that year."""
    plan = SpendingSchedule.from_labels(2022, {"6月底": 30, "12月底": 60, "3月底": 100}, start_month=4)
    table = project(plan)
    payments = {"P1": [Payment(D(2022, 5, 10), "2"), Payment(D(2023, 1, 5), "3.25"), Payment(D(2022, 3, 31), "1")]}
    for as_of in (D(2022, 4, 1), D(2022, 6, 30), D(2023, 1, 31), D(2023, 3, 31), "9月底", "3月底", "Q3"):
        for policy in (DAYS, DEFAULT):
            rows, slow = assert_same([table], payments, as_of, policy)
            assert slow == [] or rows[0]["ratio"] == "80"  # by months, 30 June is r = 80: a cut-off, the object path
            assert "payments-outside-year" in rows[0]["findings"]
    rows, _ = assert_same([table], payments, D(2023, 1, 31), DAYS)
    assert rows[0]["time_progress"] == six(Decimal(305 * 100) / 364)
    assert rows[0]["planned_share"] == six(60 + Decimal(40 * 31) / 90)
    assert rows[0]["spent"] == "5.25"


def test_no_plan_is_even():
    """Without a plan the even plan applies: planned share = time progress, and a no-plan finding."""
    table = project(None)
    empty = project(SpendingSchedule(fiscal_year=2022, checkpoints=(), start_month=4), code="P2")
    rows, slow = assert_same([table, empty], {"P1": [Payment(D(2022, 3, 1), "1")]}, "6月底", DAYS)
    assert slow == []
    assert rows[0]["planned_share"] == rows[0]["time_progress"]
    assert rows[0]["findings"] == "no-plan checkpoint-missed" or rows[0]["findings"].startswith("no-plan")
    assert rows[1]["as_of"] == "2022-06-30"


def test_above_budget_and_policies():
    """Spending above the budget is a finding; step, months and straight-line projection agree too."""
    table = project(QUARTERS)
    payments = {"P1": [Payment(D(2022, 2, 1), "12.5")]}
    for policy in (
        DEFAULT,
        MonitoringPolicy(interpolation="step"),
        MonitoringPolicy(time_basis="months"),
        MonitoringPolicy(projection="linear", red_below="30.5", yellow_below="99.123456"),
    ):
        for as_of in (D(2022, 3, 15), D(2022, 3, 31), D(2022, 11, 30)):
            rows, slow = assert_same([table], payments, as_of, policy)
            assert slow == []
            assert "above-budget" in rows[0]["findings"]


def test_errors_are_rows():
    """A date outside the year, a zero budget and negative spending give the object path's error rows."""
    tables = [project(QUARTERS), project(QUARTERS, budget="0", code="P2"), project(QUARTERS, code="P3"),
              project(None, year=2023, code="P4")]
    payments = {"P1": [Payment(D(2022, 2, 1), "1")], "P3": [Payment(D(2022, 2, 1), "-1")]}
    rows, slow = assert_same(tables, payments, D(2022, 5, 31))
    assert slow == [1, 2, 3]
    assert rows[0]["error"] == ""
    assert "budget is 0" in rows[1]["error"]
    assert "negative" in rows[2]["error"]
    assert "outside fiscal year 2023" in rows[3]["error"]
    assert all(row[name] == "" for row in rows[1:] for name in FIGURES)


def test_more_than_six_decimals_goes_to_the_object_path():
    """An amount with seven decimals is not held by the kernel; its table gives the object path's row."""
    tables = [project(QUARTERS), project(QUARTERS, code="P2")]
    payments = {"P1": [Payment(D(2022, 2, 1), "1.1234567")], "P2": [Payment(D(2022, 2, 1), "1.123456")]}
    rows, slow = assert_same(tables, payments, D(2022, 5, 31))
    assert slow == [0]
    assert rows[0]["spent"] == "1.123457"
    assert rows[1]["spent"] == "1.123456"


def test_ratio_on_a_cut_off_goes_to_the_object_path():
    """40 % spent at exactly half the year is a ratio of exactly 80: the object path decides, green."""
    table = project(QUARTERS, budget="100")
    rows, slow = assert_same([table], {"P1": [Payment(D(2022, 1, 2), "40")]}, D(2022, 7, 2))
    assert slow == [0]
    assert rows[0]["ratio"] == "80"
    assert rows[0]["status"] == "绿"


def test_spent_column():
    """One amount per table (text, decimals or floats) replaces the payments; floats go by the object path."""
    tables = [seed(), project(QUARTERS, code="P2")]
    as_of = D(2022, 7, 31)
    rows, slow = assert_same(tables, {}, as_of, spent=["4.0", "40000元"])
    assert slow == [1]  # text with a unit is read by the object path
    assert rows[0]["execution_rate"] == "40"
    assert rows[1]["spent"] == "4"
    _, slow = assert_same(tables, {}, as_of, spent=[Decimal("4.0"), Decimal("2.123456")])
    assert slow == []
    _, slow = assert_same(tables, {}, as_of, spent=[4, 2])
    assert slow == []
    _, slow = assert_same(tables, {}, as_of, spent=[4.0, 2.5])
    assert slow == [0, 1]
    columns = flatten(tables)
    with pytest.raises(InvalidValueError, match="one amount per table"):
        monitor_columns(columns, as_of=as_of, spent=["1"])


def test_per_indicator_is_not_in_the_kernel():
    """A batch holds no progress of indicators: per='indicator' is refused with a pointer."""
    columns = flatten([seed()])
    with pytest.raises(InvalidValueError, match="per='table'"):
        monitor_columns(columns, as_of="7月底", per="indicator")  # type: ignore[arg-type]


def test_unreadable_columns_give_error_rows():
    """Warehouse rows the kernel cannot read (no budget, a broken plan) give an error row, not a number."""
    columns = flatten([project(QUARTERS), project(QUARTERS, code="P2"), project(None, code="P3")])
    tables = columns.tables
    budget = pa.array(["10", None, "abc"])
    tables = tables.set_column(tables.schema.get_field_index("budget"), "budget", budget)
    result = monitor_columns(Columns(tables, columns.indicators, columns.payments), as_of=D(2022, 5, 31))
    errors = result.column("error").to_pylist()
    assert errors[0] == ""
    assert "budget is missing" in errors[1]
    assert "tables[2]" in errors[2]
    assert result.column("budget").to_pylist()[1:] == ["", ""]


def test_generated_province_runs_in_the_kernel(load_script):
    """200 generated tables with their payments: every table in the kernel, equal to the object path."""
    generate = load_script("benchmarks/generate.py")
    generated = list(generate.generate_tables(200, seed=3))
    document = from_dict(generate.document(generated), pt.Document)
    payments = {
        t.monitoring["project"]: [Payment(D.fromisoformat(p["date"]), p["amount"]) for p in t.monitoring["payments"]]
        for t in generated
    }
    _, slow = assert_same(document.projects, payments, generate.AS_OF)
    assert slow == []


# --- the property -------------------------------------------------------------------------------

POLICIES = st.builds(
    MonitoringPolicy,
    interpolation=st.sampled_from(["linear", "step"]),
    time_basis=st.sampled_from(["days", "months"]),
    projection=st.sampled_from(["plan", "linear"]),
)
LABELS = ("1月底", "3月底", "第一季度末", "6月底", "上半年", "7月31日", "9月底", "全年", "12月底", "1月1日", "Q4")


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[ProjectTargets], dict[str, list[Payment]], object]:
    """Up to five projects (most with a positive budget and a plan), payments around their years, a date."""
    projects = []
    common = draw(st.integers(2015, 2035))
    for _ in range(draw(st.integers(1, 5))):
        table = draw(project_targets())
        if draw(st.integers(0, 3)):  # most tables of a batch are of one year
            table = attrs.evolve(table, year=common, schedule=draw(st.none() | schedules(common)))
        if table.schedule is None and draw(st.booleans()):
            table = attrs.evolve(table, schedule=draw(schedules(table.year)))
        projects.append(table)
    payments: dict[str, list[Payment]] = {}
    for table in projects:
        start = (table.schedule or SpendingSchedule.even(table.year)).start
        amounts = st.decimals(min_value=0, max_value=10**5, places=draw(st.sampled_from([0, 2, 6])))
        if draw(st.integers(0, 5)) == 0:  # refunds, and amounts the kernel does not hold
            amounts |= st.decimals(min_value=-10, max_value=10, places=draw(st.sampled_from([2, 7])))
        entries = draw(st.lists(st.tuples(st.integers(-40, 400), amounts), max_size=6))
        payments[table.code] = [Payment(start + dt.timedelta(days=offset), amount) for offset, amount in entries]
    first = projects[0].schedule or SpendingSchedule.even(projects[0].year)
    day = first.start + dt.timedelta(days=draw(st.integers(0, (first.end - first.start).days)))
    as_of = draw(st.sampled_from(LABELS) | st.just(day))
    return projects, payments, as_of


@settings(max_examples=80, deadline=None)  # each example monitors whole batches both ways
@given(batches(), POLICIES)
def test_columnar_equals_object_path(batch, policy):
    """For any batch, every column of every row is the object path's, figures rounded half up to 6 places."""
    projects, payments, as_of = batch
    assert_same(projects, payments, as_of, policy)


@settings(max_examples=80, deadline=None)  # each example monitors whole batches both ways
@given(batches(), st.lists(st.decimals(min_value=0, max_value=10**6, places=4), min_size=5, max_size=5))
def test_columnar_equals_object_path_with_spent(batch, amounts):
    """With one amount per table instead of payments, the same holds."""
    projects, _, as_of = batch
    spent = [str(amount) for amount in amounts[: len(projects)]]
    assert_same(projects, {}, as_of, DEFAULT, spent)


def test_many_tables_by_the_object_path():
    """Hundreds of tables the kernel does not do, between tables it does, all back in their places."""
    tables = [project(QUARTERS, budget="0" if k % 3 else "10", code=f"P{k}") for k in range(600)]
    payments = {f"P{k}": [Payment(D(2022, 2, 1), "1.5")] for k in range(600)}
    rows, slow = assert_same(tables, payments, D(2022, 5, 31))
    assert len(slow) == 400
    assert [row["error"] == "" for row in rows] == [k % 3 == 0 for k in range(600)]


def test_uneven_plan_lists():
    """A warehouse row with more plan dates than percents is an error row; its neighbours are untouched."""
    columns = flatten([project(QUARTERS), project(QUARTERS, code="P2"), project(QUARTERS, code="P3")])
    tables = columns.tables
    percents = pa.array([["25", "50", "75", "100"], ["25", "50", "100"], ["25", "50", "75", "100"]], pa.list_(pa.string()))
    tables = tables.set_column(tables.schema.get_field_index("plan_percents"), "plan_percents", percents)
    result = monitor_columns(Columns(tables, columns.indicators, columns.payments), as_of=D(2022, 5, 31)).to_pylist()
    assert result[0]["error"] == result[2]["error"] == ""
    assert result[0]["planned_share"] == result[2]["planned_share"] != ""
    assert "plan_percents" in result[1]["error"]


def test_plans_breaking_the_plan_rules_are_error_rows():
    """Warehouse plans that SpendingSchedule refuses (decreasing, outside the year, ending below 100) are error
    rows with the plan's own message; a plan shared by several tables is read once and gives them equal rows."""
    columns = flatten([project(QUARTERS, code=f"P{k}") for k in range(5)])
    tables = columns.tables
    percents = [["25", "50", "75", "100"], ["25", "20", "75", "100"], ["25", "50", "75", "100"],
                ["25", "50", "75", "90"], ["25", "50", "75", "100"]]
    dates = [[c.date for c in QUARTERS.checkpoints] for _ in range(5)]
    dates[2] = [*dates[2][:3], D(2023, 1, 31)]
    tables = tables.set_column(tables.schema.get_field_index("plan_percents"), "plan_percents",
                               pa.array(percents, pa.list_(pa.string())))
    tables = tables.set_column(tables.schema.get_field_index("plan_dates"), "plan_dates",
                               pa.array(dates, pa.list_(pa.date32())))
    result = monitor_columns(Columns(tables, columns.indicators, columns.payments), as_of=D(2022, 5, 31)).to_pylist()
    assert "the plan is cumulative" in result[1]["error"]
    assert "falls outside fiscal year 2022" in result[2]["error"]
    assert "not 100%" in result[3]["error"]
    assert result[0]["error"] == result[4]["error"] == ""
    assert {k: v for k, v in result[0].items() if "project" not in k} == {
        k: v for k, v in result[4].items() if "project" not in k
    }


def test_a_partition_monitors_as_the_whole() -> None:
    """Tables numbered 3, 7… (a partition of a larger batch) give the rows the whole batch gives for them."""
    document = pt.load(SEED)
    (project,) = document.projects
    projects = [attrs.evolve(project, code=f"P{n}") for n in range(10)]
    payments = {
        f"P{n}": [Payment(dt.date(2022, 2, 1), f"{n}.5"), Payment(dt.date(2022, 9, 1), "1")] for n in range(10)
    }
    whole = flatten(Document(projects=tuple(projects)), payments=payments)
    keep = pa.array([3, 7, 8], pa.int32())
    part = Columns(
        whole.tables.filter(pc.is_in(whole.tables.column("table"), keep)),
        whole.indicators.filter(pc.is_in(whole.indicators.column("table"), keep)),
        whole.payments.filter(pc.is_in(whole.payments.column("table"), keep)),
    )
    expected = monitor_columns(whole, as_of="2022-07-31").take(pa.array([3, 7, 8])).to_pylist()
    assert monitor_columns(part, as_of="2022-07-31").to_pylist() == expected


# --- the status band comes from the rulebook -------------------------------------------------------


CUT_OFFS = (Decimal(0), Decimal("0.000001"), Decimal(60), Decimal("60.000001"), Decimal("79.5"), Decimal(80), Decimal(100))


@pytest.mark.parametrize("red", CUT_OFFS)
@pytest.mark.parametrize("yellow", CUT_OFFS)
def test_status_band_is_the_rulebooks_everywhere(red, yellow):
    """Over every region of the input space (below, between and above the cut-offs, a step either side of
    each, and values between two steps), the kernel's status is ``status_band`` of the exact ratio."""
    np = pytest.importorskip("numpy")
    if red > yellow:
        with pytest.raises(InvalidValueError):
            MonitoringPolicy(red_below=red, yellow_below=yellow)
        return
    policy = MonitoringPolicy(red_below=red, yellow_below=yellow)
    lookup = status_lookup(policy)
    assert lookup is not None
    floors, exact_values = [], []
    for cut in (int(red * 10**6), int(yellow * 10**6)):
        for floor in range(max(cut - 3, 0), cut + 4):
            for rest in (Fraction(0), Fraction(1, 3), Fraction(999_999, 10**6)):
                if floor in lookup[0] and rest == 0:
                    continue  # exactly on a cut-off: the kernel hands such tables to the object path
                floors.append(floor)
                exact_values.append((floor + rest) / 10**6)
    floors.append(10**14)
    exact_values.append(Fraction(10**8))
    codes = status_codes(np, lookup, np.array(floors, dtype=np.int64), np.zeros(len(floors), dtype=bool))
    statuses = [Status.GREEN, Status.YELLOW, Status.RED]
    for code, value in zip(codes.tolist(), exact_values, strict=True):
        ratio = Decimal(value.numerator) / Decimal(value.denominator)
        assert statuses[code] is status_band(ratio, red_below=red, yellow_below=yellow), value
    (none,) = status_codes(np, lookup, np.zeros(1, dtype=np.int64), np.ones(1, dtype=bool)).tolist()
    assert statuses[none] is status_band(None)
