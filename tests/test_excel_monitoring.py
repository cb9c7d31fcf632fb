"""Excel: the monitoring table (绩效运行监控表) written with the published columns, read back equal."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import perftarget
from perftarget import Document, MonitoringPolicy, MonitoringReport, ProgressValue, ProjectTargets
from perftarget._rulebook.progress import time_progress
from perftarget.excel import (
    read_any_workbook,
    read_monitoring_sheet,
    read_workbook,
    sheet_kind,
    write_monitoring_sheet,
    write_monitoring_workbook,
    write_workbook,
)
from perftarget.exceptions import MonitoringError, WorkbookError
from perftarget.results import MONITORING_COLUMNS, Likelihood
from perftarget.testing import project_targets

ROOT = Path(__file__).resolve().parent.parent

# The openpyxl round trip costs about a tenth of a second per sheet: keep the examples few.
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def seed() -> Document:
    """The bundled seed document."""
    return perftarget.load(ROOT / "examples" / "petition-bureau.toml")


@pytest.fixture(scope="module")
def project(seed: Document) -> ProjectTargets:
    """The seed's project."""
    return seed.project("13063722P0041681003")


@pytest.fixture(scope="module")
def report(project: ProjectTargets) -> MonitoringReport:
    """The July-end check of the monitor guide: the payments to date and three indicators' progress."""
    payments = perftarget.load_payments(ROOT / "examples" / "petition-bureau-payments.toml")
    progress = {
        "群众来访接待劝返率": "96%",
        "上访人员满意度": ProgressValue(value="93%", cause="人员保障", note="样本偏少"),
        "正常办公条件保障情况": "部分达成",
    }
    return perftarget.monitor(project, spent=payments, as_of="7月底", progress=progress)


def reload(workbook: openpyxl.Workbook) -> openpyxl.Workbook:
    """The workbook as a file would give it back: saved and loaded again."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def written(report: MonitoringReport, places: int = 2) -> openpyxl.Workbook:
    """A workbook with the report on its sheet, saved and loaded again."""
    workbook = openpyxl.Workbook()
    write_monitoring_sheet(workbook.active, report, places=places)
    return reload(workbook)


def fill(ws: object, rows: dict[int, dict[str, object]]) -> None:
    """Put values into cells given as {row: {column letter: value}}."""
    for row, cells in rows.items():
        for column, value in cells.items():
            ws[f"{column}{row}"] = value  # type: ignore[index]


# --- round trips ----------------------------------------------------------------------------------


def test_july_round_trip(report: MonitoringReport) -> None:
    """The July-end report written to a sheet and read back is the same report."""
    assert read_monitoring_sheet(written(report).active) == report


def test_money_only_round_trip(project: ProjectTargets) -> None:
    """A report without indicator progress, and one where no time has elapsed, round-trip too."""
    for as_of, spent in (("7月底", "4.0"), (dt.date(2022, 1, 1), 0)):
        report = perftarget.monitor(project, spent=spent, as_of=as_of)
        assert read_monitoring_sheet(written(report).active) == report


def test_series_workbook(project: ProjectTargets, tmp_path: Path) -> None:
    """A month-by-month series written as a workbook reads back as the same series."""
    payments = perftarget.load_payments(ROOT / "examples" / "petition-bureau-payments.toml")
    series = perftarget.monitor_series(project, payments=payments, dates=["3月底", "6月底", "7月底"])
    path = tmp_path / "series.xlsx"
    write_monitoring_workbook(series, path)
    assert openpyxl.load_workbook(path).sheetnames == [f"{i}.常年驻京值班工作队值班费" for i in (1, 2, 3)]
    contents = read_any_workbook(path)
    assert contents.reports == series
    assert (contents.document, contents.evaluations) == (Document(), ())


@st.composite
def reports(draw: st.DrawFn) -> MonitoringReport:
    """Reports on generated tables: any date in the year, any amount, progress of every kind, any policy."""
    project = draw(project_targets(nameless=True))
    assume(project.budget.total > 0)
    progress: dict[str, object] = {}
    for path, indicator in project.iter_indicators():
        target = indicator.target
        if not target.is_applicable or draw(st.booleans()):
            continue
        if target.is_quantitative:
            high = abs(target.value or 0) * 2 + 10
            number = draw(st.decimals(0, high, places=draw(st.integers(0, 3))))
            value: object = f"{number}{target.unit}" if draw(st.booleans()) else number
            forecast = draw(st.none() | st.decimals(0, high, places=2))
        else:
            value = draw(st.sampled_from(["达成", "部分达成", "未达成"]))
            forecast = draw(st.none() | st.sampled_from(["达成", "未达成"]))
        if draw(st.booleans()):
            cause = draw(st.none() | st.sampled_from(["经费保障", "人员", "other"]))
            value = ProgressValue(value=value, forecast=forecast, cause=cause,
                                  note=draw(st.sampled_from(["", "样本偏少", "下半年加快"])))
        progress[path] = value
    policy = draw(st.builds(
        MonitoringPolicy,
        interpolation=st.sampled_from(["linear", "step"]),
        time_basis=st.sampled_from(["days", "months"]),
        projection=st.sampled_from(["plan", "linear"]),
        cumulative=st.lists(st.sampled_from([p for p, _ in project.iter_indicators()] or ["x"]), max_size=1,
                            unique=True),
    ))
    day = draw(st.dates(dt.date(project.year, 1, 1), dt.date(project.year, 12, 31)))
    spent = draw(st.decimals(0, project.budget.total * 2, places=2))
    try:
        return perftarget.monitor(project, spent=spent, as_of=day, progress=progress, policy=policy)
    except MonitoringError:  # a value the target cannot take (a unit of another dimension...)
        assume(False)
        raise


@pytest.mark.filterwarnings("ignore::perftarget.exceptions.TraditionalTextWarning")  # generated text may be traditional
@SLOW
@given(reports())
def test_reports_round_trip(report: MonitoringReport) -> None:
    """Any report written to a sheet, saved, loaded and read back is equal to the original."""
    assert read_monitoring_sheet(written(report).active) == report


# --- the layout ----------------------------------------------------------------------------------


def test_july_layout(report: MonitoringReport) -> None:
    """The sheet has the published columns, numbers as numbers in their units."""
    ws = written(report).active
    values = {cell.coordinate: cell.value for row in ws.iter_rows(max_row=10) for cell in row if cell.value is not None}
    assert values["A1"] == "项目绩效运行监控表"
    assert [values[c] for c in ("A2", "B2", "A3", "B3", "A4")] == [
        "项目编码", "13063722P0041681003", "项目名称", "常年驻京值班工作队值班费", "截至日期"
    ]
    assert values["B4"].date() == dt.date(2022, 7, 31)  # a date cell
    assert [values[f"{c}5"] for c in "ABCDE"] == ["预算执行情况（万元）", *MONITORING_COLUMNS[:4]]
    assert [values[f"{c}6"] for c in "BCDE"] == [10, 4, 0.4, 7.104693140794224]
    assert [values[f"{c}7"] for c in "ABCDEFGHI"] == list(MONITORING_COLUMNS[4:])
    assert [values.get(f"{c}8") for c in "ABCDEFGHI"] == [
        "产出指标", "质量指标", "群众来访接待劝返率", "≥95%", 0.96, 0.96, "确定能", None, None
    ]
    assert [values.get(f"{c}9") for c in "CDEFG"] == ["正常办公条件保障情况", "良好", "部分达成", "部分达成", "有可能"]
    assert [values.get(f"{c}10") for c in "GHI"] == ["有可能", "人员保障", "样本偏少"]
    assert (ws["D6"].number_format, ws["E8"].number_format, ws["B4"].number_format) == ("0.00%", "0.00%",
                                                                                         "yyyy-mm-dd")
    assert ws.print_area == "'Sheet'!$A$1:$I$10"


def test_units_in_number_formats(project: ProjectTargets) -> None:
    """A count shows its unit after the number; the places are the caller's."""
    goal = project.goals[0]
    counted = attrs.evolve(goal.indicators[0], target="≥120次")
    project = attrs.evolve(project, goals=(attrs.evolve(goal, indicators=(counted, *goal.indicators[1:])),))
    report = perftarget.monitor(project, spent=4, as_of="7月底", progress={"工作日保障单位运转": "70次"})
    ws = written(report, places=1).active
    assert (ws["E8"].value, ws["E8"].number_format, ws["B6"].number_format) == (70, '0.0"次"', "0.0")
    assert read_monitoring_sheet(ws) == report


def test_block_holds_what_the_table_cannot(report: MonitoringReport) -> None:
    """Below the table: the plan and time progress, status, projections, findings; nothing the table shows."""
    ws = written(report).active
    block = {row[0]: row[1:] for row in ws.iter_rows(min_row=12, values_only=True) if row[0]}
    assert block["status"][0] == "黄"
    assert block["time_progress"][0] == "58.33333333333333333333333333"  # 7/12: the rulebook's 序时进度 by months
    assert Decimal(block["time_progress"][0]) == time_progress(report.as_of, report.year_start) == report.time_progress
    assert block["indicators[0].path"][:2] == ("群众来访接待劝返率", "goals[0].indicators[1]")
    assert block["findings"][0] == 2
    for shown in ("budget", "spent", "execution_rate", "as_of", "project_name", "indicators[0].value"):
        assert shown not in block


# --- reading --------------------------------------------------------------------------------------


def test_filled_in_by_hand(report: MonitoringReport) -> None:
    """Values typed into the sheet read in the target's unit: text with units, bands, causes by short name."""
    workbook = written(report)
    ws = workbook.active
    ws.insert_rows(9)
    fill(ws, {
        8: {"E": "９７％", "F": "0.97", "G": "certain"},  # full-width; a fraction typed as text is not a percent
        9: {"C": "指标2：", "D": "……"},  # a template row
        10: {"E": "基本达成", "F": "达成", "G": "确定能", "H": "经费"},
    })
    for merged in list(ws.merged_cells.ranges):  # the block moved down a row; the table's merges did not
        if merged.min_row > 11:
            ws.unmerge_cells(str(merged))
    back = read_monitoring_sheet(ws)
    first, second = back.indicators[:2]
    assert (first.value, first.forecast, first.likelihood) == (Decimal(97), Decimal("0.97"), Likelihood.CERTAIN)
    assert (second.achievement.value, second.forecast_achievement.value, second.deviation_cause.value) == (
        "部分达成", "达成", "经费保障"
    )
    assert len(back.indicators) == 3


def test_table_edits_win(report: MonitoringReport) -> None:
    """A value changed in Excel reads back as changed: the block's exact forecast is for the value as written."""
    ws = written(report).active
    ws["C6"] = 5
    ws["F8"] = 0.9
    back = read_monitoring_sheet(ws)
    assert (back.spent, back.indicators[0].forecast) == (5, 90)
    assert back.projected_spent == report.projected_spent  # untouched: exact from the block


def test_published_table_without_block(report: MonitoringReport) -> None:
    """Without the block a monitoring table cannot become a report; the error names what is missing."""
    ws = written(report).active
    ws.delete_rows(12, 60)
    with pytest.raises(WorkbookError) as caught:
        read_monitoring_sheet(ws)
    [problem] = caught.value.problems
    assert problem.location == "Sheet"
    assert problem.message.startswith("the published table does not show planned_share, planned_amount, "
                                      "time_progress, gap_to_plan")
    assert "perftarget block below the table, which is missing or incomplete" in problem.message


def test_chinese_date_and_labels(report: MonitoringReport) -> None:
    """截至日期 may be written 2022年7月31日; a label may carry a colon or a note."""
    ws = written(report).active
    ws["A4"], ws["B4"] = "监控时点：", "2022年7月31日"
    assert read_monitoring_sheet(ws) == report
    ws["B4"] = "2022年2月30日"
    with pytest.raises(WorkbookError, match=r"Sheet!B4: 截至日期 is not a date"):
        read_monitoring_sheet(ws)


# --- errors --------------------------------------------------------------------------------------


BROKEN = {
    "错误!C6": "截至当期执行数 must be a number (plain or in 万元/元), not '很多'",
    "错误!J7": "unknown column heading '说明一'",
    "错误!E8": "截至当期完成值: cannot compare '天' with '%': different dimensions",
    "错误!G8": "完成目标可能性 must be one of 确定能, 有可能, 完全不可能, not '大概'",
    "错误!E9": "截至当期完成值 must be 达成, 部分达成 or 未达成 for the qualitative target '良好', not '还行'",
    "错误!H9": "偏差原因分析: unknown deviation cause '天气'",
    "错误!D10": "cannot read the target '≥abc'",
    "错误!E11": "the target is 无 (not applicable): 截至当期完成值 must be blank",
    "错误!J11": "a value in a column without a heading: '多余'",
}


def test_every_problem_reported() -> None:
    """One error lists every problem, top to bottom, each with its sheet and cell."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "错误"
    fill(ws, {
        1: {"A": "项目绩效运行监控表"},
        2: {"A": "项目编码", "B": "P1"},
        3: {"A": "项目名称", "B": "某项目"},
        4: {"A": "截至日期", "B": dt.date(2024, 6, 30)},
        5: {"A": "预算执行情况（万元）", "B": "年度预算数", "C": "截至当期执行数", "D": "执行率"},
        6: {"B": 10, "C": "很多", "D": "40%"},
        7: dict(zip("ABCDEFGHIJ", [*MONITORING_COLUMNS[4:], "说明一"], strict=True)),
        8: {"A": "产出指标", "B": "数量指标", "C": "指标A", "D": "≥95%", "E": "3天", "G": "大概"},
        9: {"C": "指标B", "D": "良好", "E": "还行", "H": "天气"},
        10: {"C": "指标C", "D": "≥abc", "E": 5},
        11: {"C": "指标D", "D": "无", "E": 5, "J": "多余"},
    })
    with pytest.raises(WorkbookError) as caught:
        read_monitoring_sheet(ws)
    found = {problem.location: problem.message for problem in caught.value.problems}
    assert list(found) == list(BROKEN)
    for location, message in BROKEN.items():
        assert message in found[location], location


def test_missing_parts() -> None:
    """No date, no budget row, no indicator table: each is named."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    fill(ws, {1: {"A": "项目绩效运行监控表"}, 2: {"A": "项目名称", "B": "某项目"}})
    with pytest.raises(WorkbookError) as caught:
        read_monitoring_sheet(ws)
    assert [problem.message for problem in caught.value.problems] == [
        "no 截至日期 row (the date of the report)",
        "no budget execution (年度预算数 and 截至当期执行数 with their values below)",
        "no indicator table (a header row 一级指标 … 三级指标 … 截至当期完成值)",
    ]


@pytest.fixture(scope="module")
def july_sheet(report: MonitoringReport) -> openpyxl.Workbook:
    """The July report on an in-memory sheet (tests restore what they change)."""
    book = openpyxl.Workbook()
    write_monitoring_sheet(book.active, report)
    return book


_CELL_VALUES = st.one_of(
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["无", "/", "……", "=1+1", "96%", "３天", "达成", "确定能", "经费", "截至日期", "三级指标",
                     "perftarget", "indicators[0].ratio", "status", "2022年13月1日", "findings"]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)


@pytest.mark.filterwarnings("ignore::perftarget.exceptions.TraditionalTextWarning")  # generated text may be traditional
@given(row=st.integers(1, 45), column=st.integers(1, 10), value=_CELL_VALUES)
def test_any_edit_reads_or_is_reported(july_sheet: openpyxl.Workbook, row: int, column: int, value: object) -> None:
    """Whatever one cell holds, reading gives a report or a WorkbookError, nothing else."""
    cell = july_sheet.active.cell(row=row, column=column)
    if isinstance(cell, openpyxl.cell.MergedCell):
        return
    old = cell.value
    cell.value = value
    try:
        result: MonitoringReport | WorkbookError = read_monitoring_sheet(july_sheet.active)
    except WorkbookError as error:
        result = error
    finally:
        cell.value = old
    assert isinstance(result, MonitoringReport) or result.problems


# --- workbooks ------------------------------------------------------------------------------------


def test_kinds_side_by_side(seed: Document, report: MonitoringReport, tmp_path: Path) -> None:
    """Targets and a monitoring sheet in one workbook: each kind is told apart and read."""
    path = tmp_path / "both.xlsx"
    write_workbook(seed, path)
    workbook = openpyxl.load_workbook(path)
    write_monitoring_sheet(workbook.create_sheet("监控"), report)
    workbook.save(path)
    assert sheet_kind(openpyxl.load_workbook(path)["监控"]) == "monitoring"
    contents = read_any_workbook(path)
    assert (contents.document, contents.reports) == (seed, (report,))
    with pytest.raises(WorkbookError, match=r"监控: a monitoring table \(绩效运行监控表\), not a target table"):
        read_workbook(path)


def test_control_characters_refused(report: MonitoringReport, tmp_path: Path) -> None:
    """Text a workbook cannot store is an error naming the cell; nothing is written."""
    broken = attrs.evolve(report, project_name="项目\x01")
    with pytest.raises(WorkbookError, match=r"!B3: '项目\\x01' holds a control character"):
        write_monitoring_workbook([broken], tmp_path / "book.xlsx")
    assert list(tmp_path.iterdir()) == []
