"""Seven more published layouts (重庆, 四川 ×2, 福建, 陕西, 黑龙江, 新疆 兵团): told from their headings, each a fixture
as published.

Each fixture in tests/data/layouts/ is the table in its published form (sources in tests/data/README.md),
built here as an .xlsx with openpyxl. Detection is the registry's (perftarget.excel._layouts); reading
each in full needs reader features listed per layout below (strict xfail: the marker must go when they land).
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perftarget import Detail, Document, Unit
from perftarget.excel import (
    detect_layout,
    read_any_workbook,
    read_evaluation_sheet,
    read_project_sheet,
    read_workbook,
    write_evaluation_sheet,
    write_workbook,
)
from perftarget.excel._layouts import LAYOUTS, detect
from perftarget.excel._layouts_provinces import PROVINCE_LAYOUTS
from perftarget.exceptions import WorkbookError

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = DATA / "layouts"
KEYS = [str(entry["key"]) for entry in PROVINCE_LAYOUTS]


def book_of(path: Path) -> openpyxl.Workbook:
    """A fixture as a workbook: one line a row, cells split by ``|``; ``~`` a blank row; ``n:`` a number
    cell (0.00), ``p:`` a percent cell (0%); ``@merge`` lists the merged ranges; ``#`` lines are notes."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = path.stem
    row = 0
    merges: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("@merge"):
            merges = line.split()[1:]
            continue
        row += 1
        for column, text in enumerate(line.split("|") if line != "~" else (), start=1):
            cell = ws.cell(row, column)
            if text.startswith(("n:", "p:")):
                cell.value = float(text[2:])
                cell.number_format = "0.00" if text[0] == "n" else "0%"
            elif text:
                cell.value = text
    for merged in merges:
        ws.merge_cells(merged)
    return book


@pytest.fixture(scope="module", params=KEYS)
def published(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    key = str(request.param)
    path = tmp_path_factory.mktemp("layouts") / f"{key}.xlsx"
    book_of(FIXTURES / f"{key}.txt").save(path)
    return key, path


def _rows(path: Path) -> list[list[str]]:
    ws = openpyxl.load_workbook(path).active
    return [[str(cell.value) for cell in row if cell.value is not None] for row in ws.iter_rows()]


def test_each_layout_is_told_from_its_headings(published: tuple[str, Path]) -> None:
    key, path = published
    kind = next(str(entry["kind"]) for entry in PROVINCE_LAYOUTS if entry["key"] == key)
    if kind == "evaluation":  # detect_layout looks for target tables; the registry tells evaluations too
        rows = [row for row in _rows(path) if row]
        detection = detect(rows, [row[0] for row in rows], rows[0][0], kinds=("evaluation",))
    else:
        detection = detect_layout(openpyxl.load_workbook(path).active)
    assert detection.layout is not None, detection.reason
    assert detection.layout.key == key
    assert detection.reason.startswith(f"{key}: headings ")


def test_a_sheet_of_none_says_why() -> None:
    detection = detect([["指标名称", "上年度实际水平"]], ["项目名称"], "某表")
    assert detection.layout is None
    assert "heilongjiang-project needs headings 三级指标、本年度计划水平" in detection.reason
    assert "chongqing-project needs headings 三级指标、指标值、分值" in detection.reason


def test_entries_are_registered_and_cited() -> None:
    registered = {layout.key: layout for layout in LAYOUTS}
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for key in KEYS:
        layout = registered[key]
        assert (FIXTURES / f"{key}.txt").exists()
        assert f"`{key}`" in readme
        address = next(part for part in layout.source.split() if part.startswith("http"))
        assert address.rstrip(";") in readme, key


# What reading each in full needs from the project reader (perftarget.excel._project), beyond the registry:
_NEEDS: dict[str, str] = {}


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(key, marks=pytest.mark.xfail(raises=WorkbookError, strict=True, reason=_NEEDS[key]))
        if key in _NEEDS
        else key
        for key in KEYS
    ],
)
def test_each_layout_reads_and_round_trips(key: str, tmp_path: Path) -> None:
    path = tmp_path / f"{key}.xlsx"
    book_of(FIXTURES / f"{key}.txt").save(path)
    contents = read_any_workbook(path, year=2023)
    document = contents.document
    assert document.projects or contents.evaluations
    write_workbook(document, tmp_path / "again.xlsx")
    assert read_workbook(tmp_path / "again.xlsx") == document


def _sichuan_book(tmp_path: Path, edit: dict[str, object]) -> Path:
    path = tmp_path / "sichuan.xlsx"
    book = book_of(FIXTURES / "sichuan-project.txt")
    for ref, value in edit.items():
        book.active[ref] = value
    book.save(path)
    return path


def test_a_department_row_is_kept_as_a_detail(tmp_path: Path) -> None:
    """The row above the first project giving the department and its total over all its projects: that
    project's detail 部门预算数 (printed once, so the next project has none)."""
    first, second = read_workbook(_sichuan_book(tmp_path, {}), year=2023).projects
    assert first.details == (Detail("部门预算数", "820-马踏镇部门 | 8827620.53"),)
    assert second.details == ()


def test_several_projects_on_one_sheet_are_read_apart(tmp_path: Path) -> None:
    """四川 申报表 as published holds the department's projects one after another (单位名称 merged down them
    all; 项目名称, 预算数, 年度目标 merged down each): one project each, in sheet order, each with its own
    budget, goal and indicators; written (a sheet each) and read back, the document is the same."""
    document = read_workbook(_sichuan_book(tmp_path, {}), year=2023)
    first, second = document.projects
    assert [(p.unit, p.name, p.budget.total, p.year) for p in document.projects] == [
        (Unit("820001", "井研县马踏镇人民政府"), "村组干部报酬", Decimal("330.984"), 2023),
        (Unit("820001", "井研县马踏镇人民政府"), "基层组织活动经费", Decimal("66.00"), 2023),
    ]
    assert first.goals[0].content == "按时发放村组干部报酬"
    assert second.goals[0].content.startswith("包括必要的办公用品费")
    assert [len(p.goals[0].indicators) for p in document.projects] == [8, 5]
    last = second.goals[0].indicators[-1]
    assert (last.name, str(last.target), last.unit_text, last.weight) == ("行政村数量", "=11", "个", Decimal(10))
    write_workbook(document, tmp_path / "again.xlsx")
    assert len(openpyxl.load_workbook(tmp_path / "again.xlsx").sheetnames) == 2
    assert read_workbook(tmp_path / "again.xlsx") == document


def test_a_unit_printed_once_above_is_each_projects(tmp_path: Path) -> None:
    """单位名称 printed on the first project's row and left blank below (not merged): the next project's too."""
    path = tmp_path / "sichuan.xlsx"
    book = book_of(FIXTURES / "sichuan-project.txt")
    ws = book.active
    ws.unmerge_cells("A5:A17")
    ws.merge_cells("A5:A12")
    book.save(path)
    projects = read_workbook(path, year=2023).projects
    assert [project.unit for project in projects] == [Unit("820001", "井研县马踏镇人民政府")] * 2


def test_a_problem_in_a_later_project_names_its_cell(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as caught:
        read_workbook(_sichuan_book(tmp_path, {"K16": "二十", "L17": "反向指标"}), year=2023)
    assert {problem.location for problem in caught.value.problems} == {"sichuan-project!K16", "sichuan-project!L17"}


def test_a_unit_or_budget_off_its_projects_row_is_reported(tmp_path: Path) -> None:
    """A 单位名称 or 预算数 is read on the row of its 项目名称; one on another row of the project is reported."""
    path = tmp_path / "sichuan.xlsx"
    book = book_of(FIXTURES / "sichuan-project.txt")
    ws = book.active
    ws.unmerge_cells("C13:C17")
    ws["C15"] = 5.0
    book.save(path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, year=2023)
    assert {problem.location for problem in caught.value.problems} == {"sichuan-project!C15"}


def test_one_sheet_reader_says_the_sheet_holds_several(tmp_path: Path) -> None:
    """read_project_sheet reads one project: a sheet of several is reported where each further one starts."""
    ws = openpyxl.load_workbook(_sichuan_book(tmp_path, {})).active
    with pytest.raises(WorkbookError) as caught:
        read_project_sheet(ws, year=2023)
    assert [problem.location for problem in caught.value.problems] == ["sichuan-project!A13"]
    assert "read_workbook() reads each" in caught.value.problems[0].message


def test_the_comparator_column_joins_the_target(tmp_path: Path) -> None:
    """指标性质 ≥ and 指标值 95 read as ≥95; 指标方向性 follows from it; 单位名称 and 预算数 are the project's."""
    path = _sichuan_book(tmp_path, {"A4": None, "C4": None})
    project = read_workbook(path, year=2023).projects[0]
    assert project.unit == Unit("820001", "井研县马踏镇人民政府")
    assert project.budget.total == Decimal("330.984")  # 3309840.00 元 in 万元
    first = project.indicators[0]
    assert (str(first.target), first.unit_text, first.weight) == ("≥95", "%", Decimal(10))
    write_workbook(Document(projects=(project,)), tmp_path / "again.xlsx")
    assert read_workbook(tmp_path / "again.xlsx").projects == (project,)


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        ({"L5": "反向指标"}, "L5"),  # ≥95 is 正向
        ({"H5": "≤", "L5": "正向指标"}, "L5"),  # ≤95 is 反向
        ({"I5": "≤95", "H5": "≥", "L5": "反向指标"}, "H5"),  # the 指标值 says its own comparator, which disagrees
        ({"I5": "按时发放", "H5": "≥"}, "H5"),  # a statement takes 定性, not a comparator
    ],
)
def test_a_comparator_or_direction_that_disagrees_is_reported(tmp_path: Path, edit: dict[str, str], where: str) -> None:
    path = _sichuan_book(tmp_path, {"A4": None, "C4": None, **edit})
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, year=2023)
    assert {problem.location for problem in caught.value.problems} == {f"sichuan-project!{where}"}


def test_agreeing_marks_read(tmp_path: Path) -> None:
    path = _sichuan_book(tmp_path, {"A4": None, "C4": None, "I5": "≥95", "I6": "按时", "H6": "定性", "H7": "≤", "L7": "反向指标"})
    indicators = read_workbook(path, year=2023).projects[0].indicators
    assert [str(i.target) for i in indicators[:3]] == ["≥95", "按时", "≤1"]


def _sichuan_evaluation(tmp_path: Path, edit: dict[str, object] | None = None) -> Path:
    path = tmp_path / "sichuan-evaluation.xlsx"
    book = book_of(FIXTURES / "sichuan-evaluation.txt")
    for ref, value in (edit or {}).items():
        book.active[ref] = value
    book.save(path)
    return path


def test_a_form_not_yet_scored_reads_as_not_reported(tmp_path: Path) -> None:
    """四川 自评表 as published: 完成值 and 得分 blank, so each line is not reported (rule missing, 0 of its points);
    the 合计 row's 100 is the points (10 + 60 + 30), the total 0; 指标性质 and 度量单位 join the target."""
    (evaluation,) = read_any_workbook(_sichuan_evaluation(tmp_path), year=2023).evaluations
    assert [(i.target, i.actual, i.weight, i.score, i.rule) for i in evaluation.items] == [
        ("=100%", "", Decimal(60), Decimal(0), "missing"),
        ("=100%", "", Decimal(30), Decimal(0), "missing"),
    ]
    assert (evaluation.budget_weight, evaluation.budget_score, evaluation.weight_total) == (Decimal(10), None, Decimal(100))
    assert (evaluation.total, evaluation.budget, evaluation.spent) == (Decimal(0), Decimal("251.89"), Decimal("251.89"))
    scored = {"H18": "100%", "J18": 60, "H19": "100%", "J19": 30, "H12": 10}  # the form once filled in: 合计 is 100
    (filled,) = read_any_workbook(_sichuan_evaluation(tmp_path, scored), year=2023).evaluations
    assert ([item.rule for item in filled.items], filled.budget_score, filled.total) == (["manual"] * 2, Decimal(10), Decimal(100))
    book = openpyxl.Workbook()
    write_evaluation_sheet(book.active, evaluation)
    book.save(tmp_path / "again.xlsx")
    assert read_evaluation_sheet(openpyxl.load_workbook(tmp_path / "again.xlsx").active) == evaluation


def test_the_sichuan_evaluation_keeps_its_header_texts(tmp_path: Path) -> None:
    """四川 自评表: 主管部门, 实施单位（盖章）, and under 1.项目年度目标完成情况 the 项目年度目标 and 年度目标完成情况
    texts (the latter the blank form's instruction, as printed) are kept; written in the 10号 layout, read back equal."""
    (evaluation,) = read_any_workbook(_sichuan_evaluation(tmp_path), year=2023).evaluations
    assert (evaluation.department, evaluation.unit) == ("青神县发展和改革局本级", "青神县发展和改革局")
    assert (evaluation.initial_budget, evaluation.budget) == (Decimal("238.93"), Decimal("251.89"))  # 年初 / 调整后
    assert evaluation.goal.startswith("严格执行相关政策")
    assert evaluation.goal.endswith("减少结余资金。")
    assert evaluation.outcome == "对照年度目标，说明相关任务目标的完成情况（100字以内）"
    filled = {"H8": "按时足额发放工资，缴纳社保。"}
    (done,) = read_any_workbook(_sichuan_evaluation(tmp_path, filled), year=2023).evaluations
    assert done.outcome == "按时足额发放工资，缴纳社保。"
    book = openpyxl.Workbook()
    write_evaluation_sheet(book.active, done)
    assert (book.active["B4"].value, book.active["F11"].value) == ("青神县发展和改革局本级", "按时足额发放工资，缴纳社保。")
    book.save(tmp_path / "again.xlsx")
    assert read_evaluation_sheet(openpyxl.load_workbook(tmp_path / "again.xlsx").active) == done


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        ({"J20": 90}, "J20"),  # nothing scored: 合计 is the points, 100
        ({"H18": "100%", "J18": 60, "H19": "100%", "J19": 30, "H12": 10, "J20": None}, "J20"),  # scored: 总分 blank
        ({"H18": "100%"}, "J18 J19"),  # once a line is scored, a blank 得分 is a score missing
    ],
)
def test_a_form_not_yet_scored_reports_what_disagrees(tmp_path: Path, edit: dict[str, object], where: str) -> None:
    with pytest.raises(WorkbookError) as caught:
        read_any_workbook(_sichuan_evaluation(tmp_path, edit), year=2023)
    assert {problem.location for problem in caught.value.problems} == {f"sichuan-evaluation!{cell}" for cell in where.split()}


def _heilongjiang(tmp_path: Path, edit: dict[str, object] | None = None) -> Path:
    path = tmp_path / "heilongjiang-project.xlsx"
    book = book_of(FIXTURES / "heilongjiang-project.txt")
    for ref, value in (edit or {}).items():
        book.active[ref] = value
    book.save(path)
    return path


def test_the_prior_years_figures_are_kept(tmp_path: Path) -> None:
    """黑龙江: the budget is 本年度申请金额 by source, last year's by source are details; each item's 上年度实际执行
    is its prior actual and 上年度预算安排 its prior budget; 上年度实际水平 is each indicator's last_year."""
    (project,) = read_workbook(_heilongjiang(tmp_path), year=2023).projects
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (Decimal(30), Decimal(30), None)
    assert [(d.label, d.text) for d in project.details[-2:]] == [
        ("上年度预算安排", "合计 30.00 | 财政拨款 30.00"),
        ("上年度实际执行", "合计 29.50 | 财政拨款 29.50"),
    ]
    (item,) = project.costs
    assert (item.name, item.amount, item.basis, item.prior, item.prior_budget) == (
        "1.网络租赁", Decimal(30), "12个月×2.5万元", (Decimal("29.5"),), Decimal(30)
    )
    assert project.cost_total == Decimal(30)
    assert [i.last_year for i in project.indicators] == ["99%", "2小时", "90%"]


def test_a_cost_total_of_prior_figures_that_does_not_add_up_is_reported(tmp_path: Path) -> None:
    """The 合计 row's prior-year figures are not kept: one that is not its column's sum is reported."""
    with pytest.raises(WorkbookError) as caught:
        read_workbook(_heilongjiang(tmp_path, {"D15": 28}), year=2023)
    assert {problem.location for problem in caught.value.problems} == {"heilongjiang-project!D15"}


_LEVELS = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")]
_indicator = st.tuples(
    st.sampled_from(_LEVELS), st.sampled_from(["≥", "≤", "="]), st.integers(1, 999),
    st.sampled_from(["%", "个", "年", "人"]), st.integers(1, 30),
)
_Drawn = tuple[tuple[str, str], str, int, str, int]
_project = st.tuples(st.integers(1, 10**9), st.lists(_indicator, min_size=1, max_size=3))


@settings(max_examples=25)
@given(projects=st.lists(_project, min_size=1, max_size=3), style=st.sampled_from(["merged", "blank", "repeated"]))
def test_projects_laid_out_in_the_sichuan_form_read_back(projects: list[tuple[int, list[_Drawn]]], style: str) -> None:
    """Any number of projects printed as 四川 does (one row an indicator; 单位名称 once, merged down or blank
    below; each project's name, 预算数 in 元 and goal once, merged down its rows or blank below, or printed on
    every row as an export does) read back one project each, in order, with their budgets, goals and
    indicators; and they round-trip through a workbook."""
    merged = style == "merged"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "申报表"
    ws.append(["部门预算项目绩效目标申报表(2023年度)"])
    ws.append(["金额单位:元"])
    ws.append(["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
               "度量单位", "权重", "指标方向性"])
    row = 4
    for number, (cents, indicators) in enumerate(projects, start=1):
        first = row
        for index, ((level1, level2), mark, value, unit, weight) in enumerate(indicators):
            head = [None, f"项目{number}", cents / 100, f"目标{number}"] if index == 0 or style == "repeated" else [None] * 4
            direction = "反向指标" if mark == "≤" else "正向指标"
            ws.append([*head, level1, level2, f"指标{number}-{index}甲", mark, str(value), unit, weight, direction])
            row += 1
        if merged and row - first > 1:
            for column in "BCD":
                ws.merge_cells(f"{column}{first}:{column}{row - 1}")
    ws["A4"] = "820001-井研县马踏镇人民政府"
    if merged and row - 4 > 1:
        ws.merge_cells(f"A4:A{row - 1}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sichuan.xlsx"
        book.save(path)
        document = read_workbook(path)
        expected = [
            (f"项目{n}", Decimal(cents) / 1000000, f"目标{n}",
             [(f"指标{n}-{i}甲", f"{mark}{value}", unit, Decimal(weight)) for i, (_, mark, value, unit, weight) in
              enumerate(indicators)])
            for n, (cents, indicators) in enumerate(projects, start=1)
        ]
        assert [
            (p.name, p.budget.total, p.goals[0].content,
             [(i.name, str(i.target), i.unit_text, i.weight) for i in p.goals[0].indicators])
            for p in document.projects
        ] == expected
        assert {p.unit for p in document.projects} == {Unit("820001", "井研县马踏镇人民政府")}
        write_workbook(document, Path(folder) / "again.xlsx")
        assert read_workbook(Path(folder) / "again.xlsx") == document


def test_the_bingtuan_forms_two_sets_of_funds_and_goals_side_by_side(tmp_path: Path) -> None:
    """新疆 兵团 申报表: 年度资金申请总额 is the budget, 项目资金总额 (the whole project's) a detail with what is printed
    under it; 项目总目标 and 年度总体目标 side by side are two goals, the indicator table the year's; 项目期 a detail."""
    path = tmp_path / "xinjiang-bingtuan.xlsx"
    book_of(FIXTURES / "xinjiang-bingtuan.txt").save(path)
    (project,) = read_workbook(path, year=2021).projects
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (Decimal(1500), Decimal(1500), None)
    assert project.details == (
        Detail("项目期", "1年"),
        Detail("项目资金总额：", "1500.00 | 其中：财政资金 1500.00 | 上年结转资金 | 其他资金"),
    )
    overall, year = project.goals
    assert (overall.content.startswith("项目总目标：建设完成保鲜库1座"), overall.indicators) == (True, ())
    assert year.content.startswith("年度总体目标：2021年完成")
    assert [str(i.target) for i in year.indicators[:3]] == ["1座", "3550平方米", "1座"]
    assert (project.unit, project.department, project.nature) == (
        Unit("", "新疆生产建设兵团第一师阿拉尔市六团农业发展服务中心"), "农业农村局", "兵团推进乡村振兴补助资金"
    )

