"""Excel workbooks: the project target table written as published, read back equal, messy files tolerated."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perftarget
from perftarget import (
    Basis,
    BasisCategory,
    Budget,
    Checkpoint,
    Document,
    Goal,
    Indicator,
    ProjectTargets,
    SpendingSchedule,
    Suppression,
    Threshold,
    Unit,
)
from perftarget.excel import read_project_sheet, read_workbook, write_project_sheet, write_workbook
from perftarget.exceptions import DocumentError, MissingDependencyError, PerftargetError, WorkbookError
from perftarget.testing import documents, project_targets
from perftarget.values import Level1, Level2

SEED_SHEET = "1.常年驻京值班工作队值班费"

# The openpyxl round trip costs about a tenth of a second per sheet: keep the examples few.
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def seed() -> Document:
    """The bundled seed document."""
    return perftarget.load(Path(__file__).resolve().parent.parent / "examples" / "petition-bureau.toml")


@pytest.fixture(scope="module")
def seed_book(seed: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed written once as a workbook."""
    path = tmp_path_factory.mktemp("seed") / "seed.xlsx"
    write_workbook(seed, path)
    return path


def reload(workbook: openpyxl.Workbook) -> openpyxl.Workbook:
    """The workbook as a file would give it back: saved and loaded again."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def sheet_round_trip(project: ProjectTargets) -> ProjectTargets:
    """Write one project table on a sheet, save, load and read it back."""
    workbook = openpyxl.Workbook()
    write_project_sheet(workbook.active, project)
    return read_project_sheet(reload(workbook).active)


def fill(ws: object, rows: dict[int, dict[str, object]]) -> None:
    """Put values into cells given as {row: {column letter: value}}."""
    for row, cells in rows.items():
        for column, value in cells.items():
            ws[f"{column}{row}"] = value  # type: ignore[index]


# --- round trips ----------------------------------------------------------------------------


def test_seed_round_trip(seed: Document, seed_book: Path) -> None:
    """The seed written to Excel and read back is the same document."""
    assert seed == read_workbook(seed_book)


def test_seed_sheets(seed_book: Path) -> None:
    """The department part, one sheet per project and the notes, in that order."""
    assert openpyxl.load_workbook(seed_book).sheetnames == ["部门整体绩效目标", SEED_SHEET, "说明"]


def test_seed_project_layout(seed_book: Path) -> None:
    """The project sheet is laid out like the published table, cell by cell."""
    ws = openpyxl.load_workbook(seed_book)[SEED_SHEET]
    values = {cell.coordinate: cell.value for row in ws.iter_rows(max_row=19) for cell in row if cell.value is not None}
    assert values["A1"] == "常年驻京值班工作队值班费绩效目标表"
    assert (values["A2"], values["B2"], values["F2"]) == ("230001", "博野县信访局本级", "单位：万元")
    assert (values["A3"], values["B3"]) == ("项目编码", "13063722P0041681003")
    assert (values["A4"], values["B4"]) == ("项目名称", "常年驻京值班工作队值班费")
    assert [values[c] for c in ("A5", "B5", "C5", "D5", "E5", "F5")] == [
        "预算规模及资金用途", "预算数", 10, "其中：财政资金", 10, "其他资金"
    ]
    assert "G5" not in values  # 其他资金 not given
    assert values["B6"] == "常年驻京值班工作队值班费"
    assert [values[c] for c in ("A7", "B7", "C7", "D7", "E7")] == ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"]
    assert [values[c] for c in ("B8", "C8", "D8", "E8")] == [0.25, 0.5, 0.75, 1]
    assert (values["A9"], values["B9"]) == ("绩效目标", "1.目标内容 1")
    assert [values[f"{c}10"] for c in "ABCDEF"] == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    assert "G10" not in values  # no weights, no 分值 column
    assert [values[f"{c}11"] for c in "ABCDEF"] == [
        "产出指标", "数量指标", "工作日保障单位运转", "在岗人员出勤率", "≥8 小时/天", "工作要求"
    ]
    assert [values[f"{c}16"] for c in "BCDEF"] == ["生态效益指标", "无", "无", "无", "无"]


def test_seed_number_formats(seed_book: Path) -> None:
    """Amounts show two decimals and the plan shows percents, as published."""
    ws = openpyxl.load_workbook(seed_book)[SEED_SHEET]
    assert ws["C5"].number_format == "0.00"
    assert ws["B8"].number_format == "0%"


def test_seed_merged_levels(seed_book: Path) -> None:
    """Level-1 cells are merged over their indicators, like the labels spanning two rows."""
    ws = openpyxl.load_workbook(seed_book)[SEED_SHEET]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:G1", "A5:A6", "A7:A8", "A11:A14", "A15:A18"} <= merged
    assert "A19:A19" not in merged


def test_seed_block_and_print_area(seed_book: Path) -> None:
    """Below the table a perftarget block keeps the year; the print area leaves it out."""
    ws = openpyxl.load_workbook(seed_book)[SEED_SHEET]
    assert ws["A21"].value.startswith("perftarget")
    assert (ws["A22"].value, ws["B22"].value) == ("year", 2022)
    assert (ws["A23"].value, ws["B23"].value) == ("year_assumed", True)
    assert ws.print_area == "'1.常年驻京值班工作队值班费'!$A$1:$G$19"


def test_department_sheet(seed: Document, seed_book: Path) -> None:
    """The department part reads back from its own sheet, duties and measures in order."""
    ws = openpyxl.load_workbook(seed_book)["部门整体绩效目标"]
    assert (ws["A3"].value, ws["B3"].value) == ("总体绩效目标", seed.department.duties[0])
    assert read_workbook(seed_book, sheets=["部门整体绩效目标"]).department == seed.department


@pytest.mark.filterwarnings("ignore::perftarget.exceptions.TraditionalTextWarning")  # generated text may be traditional
@SLOW
@given(documents())
def test_documents_round_trip(document: Document) -> None:
    """Any document written to Excel and read back is equal to the original."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "book.xlsx"
        write_workbook(document, path)
        assert document == read_workbook(path)


_codes = st.from_regex(r"\APT[0-9]{3}\Z")
_words = st.text(alphabet="指标理由说明abc123", min_size=1, max_size=8)


@st.composite
def projects_with_extras(draw: st.DrawFn) -> ProjectTargets:
    """Projects whose indicators carry what the published table cannot show."""
    project = draw(project_targets())
    goals = []
    for goal in project.goals:
        indicators = []
        for indicator in goal.indicators:
            changes: dict[str, object] = {}
            if draw(st.booleans()):
                changes["key"] = draw(_words)
            if draw(st.booleans()):
                changes["suppressions"] = tuple(draw(st.lists(st.builds(Suppression, _codes, _words), max_size=2)))
            levels = draw(st.sampled_from(["keep", "no level-2", "no levels"]))
            if levels != "keep":
                changes["level2"] = None
            if levels == "no levels":
                changes["level1"] = None
            if draw(st.booleans()):
                changes["weight"] = draw(st.decimals(0, 100, places=2))
            indicators.append(attrs.evolve(indicator, **changes))
        goals.append(Goal(goal.content, tuple(indicators)))
    suppressions = tuple(draw(st.lists(st.builds(Suppression, _codes, _words), max_size=2)))
    return attrs.evolve(project, goals=tuple(goals), suppressions=suppressions)


@pytest.mark.filterwarnings("ignore::perftarget.exceptions.TraditionalTextWarning")  # generated text may be traditional
@SLOW
@given(projects_with_extras())
def test_project_sheet_round_trip(project: ProjectTargets) -> None:
    """Keys, suppressions, categories, missing levels and weights survive the sheet."""
    assert project == sheet_round_trip(project)


def test_fiscal_year_starting_in_april() -> None:
    """A fiscal year from April: 3月底 is next March; odd labels and dates are kept."""
    schedule = SpendingSchedule(
        fiscal_year=2024,
        start_month=4,
        checkpoints=(
            Checkpoint(date=dt.date(2024, 6, 30), percent=Decimal("12.5"), label="6月底"),
            Checkpoint(date=dt.date(2024, 9, 15), percent=40, label="9月底"),  # the label does not say the date
            Checkpoint(date=dt.date(2024, 12, 31), percent=60),  # no label
            Checkpoint(date=dt.date(2025, 2, 1), percent=70, label="春节前"),  # a label naming no date
            Checkpoint(date=dt.date(2025, 3, 31), percent=80, label="3月底"),
        ),
        multi_year=True,
    )
    project = ProjectTargets(
        unit=Unit("1", "单位"), code="P", name="跨年项目", year=2024, schedule=schedule,
        budget=Budget(total=Decimal("12345678901234567.89")),  # more digits than a float holds: written as text
    )
    assert project == sheet_round_trip(project)


def test_text_stays_text() -> None:
    """Targets starting with = are text, not formulas; a qualitative target that looks odd is kept."""
    indicators = (
        Indicator(name="覆盖率", target="=100%", level1="产出指标", level2="数量指标"),
        Indicator(name="安全事故", target="=0起", level1="效益指标", level2="社会效益指标",
                  basis=Basis("行业数据", BasisCategory.INDUSTRY), key="safety"),
    )
    project = ProjectTargets(unit=Unit("1", "单位"), code="P", name="项目", year=2024, budget=Budget(total=1),
                             goals=(Goal("1.5亿元工程按期完工", indicators), Goal("", ())))
    workbook = openpyxl.Workbook()
    write_project_sheet(workbook.active, project)
    ws = reload(workbook).active
    assert ws["E11"].data_type == "s"
    assert ws["B9"].value == "1、1.5亿元工程按期完工"  # numbered so that it reads back the same
    assert project == read_project_sheet(ws)


def test_weights_add_a_column(seed: Document) -> None:
    """A 分值 column appears when any indicator has a weight, and reads back."""
    project = seed.projects[0]
    goal = project.goals[0]
    weighted = attrs.evolve(goal.indicators[0], weight=Decimal("12.5"))
    project = attrs.evolve(project, goals=(Goal(goal.content, (weighted, *goal.indicators[1:])),))
    workbook = openpyxl.Workbook()
    write_project_sheet(workbook.active, project)
    ws = reload(workbook).active
    assert (ws["G10"].value, ws["G11"].value, ws["G12"].value) == ("分值", 12.5, None)
    assert project == read_project_sheet(ws)


# --- tolerance --------------------------------------------------------------------------------


def messy_sheet(ws: object) -> None:
    """A project table as real files have it: shifted right, blank rows, text numbers, odd labels."""
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", "分值"]
    fill(ws, {
        2: {"B": "1.2024年社区服务项目绩效目标表"},  # numbered title, the year printed in it
        3: {"B": "230001 博野县信访局本级", "G": "单位：元"},  # code and name in one cell; amounts in 元
        5: {"B": "项目 编码", "C": 1306372400001},  # a space in the label; the code typed as a number
        6: {"B": "项目名称：", "C": "2024年社区服务项目"},
        7: {"B": "预算规模及\n资金用途", "C": "预算数", "D": "200,000.00", "E": "其中:财政资金", "F": "１５００００",
            "G": "其他资金", "H": "5万元"},
        8: {"C": "社区服务"},
        9: {"B": "资金支出计划(％)", "C": "3 月底", "D": "6月底", "E": "9月末", "F": "12月底"},
        10: {"C": "25%", "D": 0.5, "E": "７５％", "F": 100},
        12: {"B": "绩效目标", "C": "1.为社区居民提供服务"},
        13: {"B": "绩效指标"},
        14: dict(zip("BCDEFGH", header, strict=True)),
        15: {"B": "产出指标(50分)", "C": "数量指标", "D": "指标1：服务人次", "E": "全年服务人次", "F": "≥1000人次",
             "G": "计划标准", "H": "10分"},
        16: {"D": "服务场次", "F": "≥ １２ 次", "G": "工作计划", "H": 10},  # blank level-2 under a merged level-1
        17: {"C": "质量指标", "D": "指标2："},  # a template row left empty
        18: {"C": "时效指标", "D": "完成及时率", "F": 0.95, "H": "无"},  # a number in a percent format
        19: {"B": "效益指标", "C": "社会效益指标", "D": "居民获得感", "F": "明显提升", "G": "/", "H": 20},
        20: {"B": "效益指标", "D": "服务覆盖率", "F": "=100%", "H": "5"},  # repeated level-1; Excel's formula
        21: {"C": "生态效益指标", "D": "无", "E": "无", "F": "/", "G": "无"},  # blank level-1 repeats the one above
        22: {"D": "……"},
        23: {"B": "满意度指标（10分）", "C": "服务对象满意度", "D": "居民满意度", "F": "≥90％", "H": "１０"},
    })
    ws.cell(row=10, column=4).number_format = "0%"  # type: ignore[attr-defined]
    ws.cell(row=18, column=6).number_format = "0%"  # type: ignore[attr-defined]
    for cells in ("B7:B8", "B9:B10", "B15:B18"):
        ws.merge_cells(cells)  # type: ignore[attr-defined]


MESSY = ProjectTargets(
    unit=Unit("230001", "博野县信访局本级"),
    code="1306372400001",
    name="2024年社区服务项目",
    year=2024,
    budget=Budget(total=20, fiscal=15, other=5),
    purpose="社区服务",
    schedule=SpendingSchedule.from_labels(2024, {"3 月底": 25, "6月底": 50, "9月末": 75, "12月底": 100}),
    goals=(Goal("为社区居民提供服务", (
        Indicator(level1=Level1.OUTPUT, level2=Level2.QUANTITY, name="服务人次", description="全年服务人次",
                  target="≥1000人次", basis="计划标准", weight=10),
        Indicator(level1=Level1.OUTPUT, level2=Level2.QUANTITY, name="服务场次", target="≥12次", basis="工作计划",
                  weight=10),
        Indicator(level1=Level1.OUTPUT, level2=Level2.TIMELINESS, name="完成及时率", target="95%"),
        Indicator(level1=Level1.BENEFIT, level2=Level2.SOCIAL_BENEFIT, name="居民获得感", target="明显提升", basis="/",
                  weight=20),
        Indicator(level1=Level1.BENEFIT, level2=Level2.SOCIAL_BENEFIT, name="服务覆盖率", target="=100%", weight=5),
        Indicator(level1=Level1.BENEFIT, level2=Level2.ECOLOGICAL_BENEFIT, name="无", description="无",
                  target=Threshold.not_applicable(), basis="无"),
        Indicator(level1=Level1.SATISFACTION, level2=Level2.SERVICE_SATISFACTION, name="居民满意度", target="≥90%",
                  weight=10),
    )),),
)


def test_messy_sheet_reads(tmp_path: Path) -> None:
    """Every tolerance at once: the messy sheet reads as the table it shows."""
    workbook = openpyxl.Workbook()
    messy_sheet(workbook.active)
    workbook.save(tmp_path / "messy.xlsx")
    assert Document(projects=(MESSY,)) == read_workbook(tmp_path / "messy.xlsx")


def test_messy_sheet_details() -> None:
    """Bare and formula targets read as the cell shows them; a printed year is not assumed."""
    workbook = openpyxl.Workbook()
    messy_sheet(workbook.active)
    project = read_project_sheet(reload(workbook).active)
    targets = [indicator.target for indicator in project.indicators]
    assert targets[2].inferred  # 0.95 shown as 95%: a bare value, ≥ by the grammar's policy
    assert str(targets[4]) == "=100%"
    assert not project.year_assumed


def test_year_from_the_caller() -> None:
    """A table that prints no year takes the caller's, marked as assumed; without it, an error."""
    workbook = openpyxl.Workbook()
    messy_sheet(workbook.active)
    workbook.active["B2"] = "社区服务项目绩效目标表"
    assert read_project_sheet(workbook.active, year=2025) == attrs.evolve(
        MESSY, year=2025, year_assumed=True, schedule=SpendingSchedule.from_labels(
            2025, {"3 月底": 25, "6月底": 50, "9月末": 75, "12月底": 100}
        )
    )
    with pytest.raises(WorkbookError, match=r"^Sheet: no year: .* pass year=$"):
        read_project_sheet(workbook.active)


def test_unit_variants() -> None:
    """The unit row may hold code and name apart, or the name alone; a 单位 cell may be absent."""
    workbook = openpyxl.Workbook()
    messy_sheet(workbook.active)
    ws = workbook.active
    ws["B3"], ws["G3"] = "博野县信访局本级", None
    ws["D7"], ws["F7"] = "20", "15"  # now in 万元, the default
    assert read_project_sheet(ws).unit == Unit("", "博野县信访局本级")
    ws["B3"], ws["C3"] = "230001", "博野县信访局本级"
    assert read_project_sheet(ws).unit == Unit("230001", "博野县信访局本级")


# --- errors -------------------------------------------------------------------------------------


def broken_sheet(ws: object) -> None:
    """A project table with one mistake of each kind the reader reports."""
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", "联系人"]  # 备注 is read
    fill(ws, {
        1: {"A": "某项目绩效目标表"},
        2: {"A": "230001", "B": "某单位", "F": "单位：美元"},
        3: {"A": "项目编码", "B": "P001"},
        4: {"A": "项目名称", "B": "某项目", "C": "又一个名称"},
        5: {"A": "预算规模及资金用途", "B": "预算数", "C": "十万", "D": "其中：财政资金", "E": "=C5"},
        6: {"B": "用途"},
        7: {"A": "资金支出计划（%）", "B": "待定", "C": "6月底", "D": "12月底"},
        8: {"B": "30%", "D": "100%", "E": "5%"},
        9: {"A": "绩效目标", "B": "目标"},
        10: dict(zip("ABCDEFG", header, strict=True)),
        11: {"A": "产出指标", "B": "社会效益指标", "C": "指标A", "E": "≥95%"},
        12: {"B": "数量指标", "E": "≥5个"},
        13: {"B": "质量指标", "C": "指标B", "E": "≥abc%", "F": "依据"},
        14: {"B": "时效指标", "C": "指标C", "E": "≥1个", "H": "额外"},
        16: {"A": "perftarget"},
        17: {"A": "colour", "B": "red"},
        18: {"A": "goals[0].indicators[5].key", "B": "某指标", "C": "k"},
        19: {"A": "goals[0].indicators[0].key", "B": "另一个", "C": "k"},
        20: {"A": "suppressions", "B": "PT101"},
    })
    ws.merge_cells("A5:A6")  # type: ignore[attr-defined]
    ws.merge_cells("A7:A8")  # type: ignore[attr-defined]


BROKEN = {
    "错误": "no year",
    "错误!F2": "amounts must be in 万元 or 元, not '美元'",
    "错误!C4": "expected one value for the project name, found another: '又一个名称'",
    "错误!C5": "预算数 must be a number (plain or in 万元/元), not '十万'",
    "错误!E5": "财政资金 is a formula (=C5)",
    "错误!B7": "cannot tell the date of checkpoint '待定'",
    "错误!C8": "no percent under '6月底'",
    "错误!E8": "a percent under no checkpoint heading",
    "错误!G10": "unknown column heading '联系人'",
    "错误!B11": "level-2 社会效益指标 does not belong to level-1 产出指标",
    "错误!C12": "the indicator has no name",
    "错误!E13": "cannot read the target '≥abc%': expected a number after the comparator at column 2",
    "错误!H14": "a value in a column without a heading: '额外'",
    "错误!A17": "unknown field 'colour' in the perftarget block",
    "错误!A18": "goals[0].indicators[5] is not in the table above",
    "错误!A19": "this row is for '另一个', but goals[0].indicators[0] is '指标A'",
    "错误!C20": "suppressing PT101 needs a reason",
}


def test_every_problem_reported(tmp_path: Path) -> None:
    """One error lists every problem, top to bottom, each with its sheet and cell; nothing is guessed."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "错误"
    broken_sheet(workbook.active)
    workbook.save(tmp_path / "broken.xlsx")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(tmp_path / "broken.xlsx")
    found = {problem.location: problem.message for problem in caught.value.problems}
    assert list(BROKEN) == list(found)
    for location, message in BROKEN.items():
        assert message in found[location], location
    text = str(caught.value)
    assert text.startswith(f"{tmp_path / 'broken.xlsx'}: 17 problems:\n  错误: no year")
    assert "\n  错误!E13: cannot read the target" in text


@pytest.fixture(scope="module")
def seed_sheet(seed: Document) -> openpyxl.Workbook:
    """The seed project written once on an in-memory sheet (tests restore what they change)."""
    book = openpyxl.Workbook()
    write_project_sheet(book.active, seed.projects[0])
    return book


_CELL_VALUES = st.one_of(
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),  # what a cell can hold
    st.sampled_from(["无", "/", "……", "=1+1", "≥", "99月底", "2024-13-01", "-5", "1e400", "１２３", "TRUE", "单位：元",
                     "perftarget", "绩效目标", "项目编码", "三级指标", "指标值", "year", "goals[0].indicators[0].key"]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)


@pytest.mark.filterwarnings("ignore::perftarget.exceptions.TraditionalTextWarning")  # generated text may be traditional
@given(row=st.integers(1, 26), column=st.integers(1, 9), value=_CELL_VALUES)
def test_any_edit_reads_or_is_reported(seed_sheet: openpyxl.Workbook, row: int, column: int, value: object) -> None:
    """Whatever one cell of a table holds, reading gives a table or a WorkbookError, nothing else."""
    cell = seed_sheet.active.cell(row=row, column=column)
    if isinstance(cell, openpyxl.cell.MergedCell):
        return
    old, old_format = cell.value, cell.number_format
    cell.value = value  # a date or a time also sets the cell's number format
    try:
        result: ProjectTargets | WorkbookError = read_project_sheet(seed_sheet.active)
    except WorkbookError as error:
        result = error
    finally:
        cell.value, cell.number_format = old, old_format
    assert isinstance(result, ProjectTargets) or result.problems


def test_workbook_error_family() -> None:
    """A WorkbookError is a DocumentError, a PerftargetError and a ValueError."""
    assert issubclass(WorkbookError, DocumentError)
    assert issubclass(WorkbookError, PerftargetError)
    assert issubclass(WorkbookError, ValueError)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the file"),
        (b"not a zip", r"not an Excel workbook \(\.xlsx\) that can be read: File is not a zip file"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    """A missing file or one that is not a workbook is one clear error naming the file."""
    path = tmp_path / "book.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WorkbookError, match=message) as caught:
        read_workbook(path)
    assert caught.value.source == str(path)


def test_unknown_sheet_and_selection(seed_book: Path, tmp_path: Path) -> None:
    """A sheet that is no known table is reported; ``sheets=`` reads only the ones named."""
    workbook = openpyxl.load_workbook(seed_book)
    workbook.create_sheet("封面")["A1"] = "2022年部门预算"
    workbook.create_sheet("空白")
    workbook.save(tmp_path / "more.xlsx")
    with pytest.raises(WorkbookError, match=r"封面: neither a project table"):
        read_workbook(tmp_path / "more.xlsx")
    document = read_workbook(tmp_path / "more.xlsx", sheets=[SEED_SHEET, "空白"])
    assert (document.department, len(document.projects), document.notes) == (None, 1, "")
    with pytest.raises(WorkbookError, match=r"没有: no sheet with this title"):
        read_workbook(tmp_path / "more.xlsx", sheets=["没有"])


def test_second_department(seed_book: Path, tmp_path: Path) -> None:
    """Two department parts in one workbook are an error, not a silent choice."""
    workbook = openpyxl.load_workbook(seed_book)
    workbook.copy_worksheet(workbook["部门整体绩效目标"])
    workbook.save(tmp_path / "two.xlsx")
    with pytest.raises(WorkbookError, match=r"a second department part"):
        read_workbook(tmp_path / "two.xlsx")


def test_edited_table_keeps_edits(seed_book: Path, tmp_path: Path) -> None:
    """A value changed in Excel is what reads back: the block holds only what the table cannot show."""
    workbook = openpyxl.load_workbook(seed_book)
    ws = workbook[SEED_SHEET]
    ws["E12"] = "≥96%"
    ws["C5"] = ws["E5"] = 12
    workbook.save(tmp_path / "edited.xlsx")
    project = read_workbook(tmp_path / "edited.xlsx").projects[0]
    assert str(project.indicators[1].target) == "≥96%"
    assert project.budget == Budget(total=12, fiscal=12)


# --- writing --------------------------------------------------------------------------------------


def test_control_characters_refused(tmp_path: Path) -> None:
    """Text a workbook cannot store is an error naming the cell; nothing is written."""
    project = ProjectTargets(unit=Unit("1", "单位"), code="P\x01", name="项目", year=2024, budget=Budget(total=1))
    path = tmp_path / "book.xlsx"
    with pytest.raises(WorkbookError, match=r"1\.项目!B3: 'P\\x01' holds a control character"):
        write_workbook(Document(projects=(project,)), path)
    assert list(tmp_path.iterdir()) == []


def test_write_is_atomic(seed: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while saving leaves the old file as it was and no temporary file behind."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")

    def fail(self: object, filename: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", fail)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(seed, path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_write_replaces(seed: Document, tmp_path: Path) -> None:
    """Writing over an existing workbook replaces it whole."""
    path = tmp_path / "book.xlsx"
    write_workbook(Document(notes="旧"), path)
    write_workbook(seed, path)
    assert read_workbook(path) == seed
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_empty_document(tmp_path: Path) -> None:
    """An empty document still makes a valid workbook, which reads back empty."""
    write_workbook(Document(), tmp_path / "empty.xlsx")
    assert read_workbook(tmp_path / "empty.xlsx") == Document()


# --- the optional dependency ---------------------------------------------------------------------


def test_missing_openpyxl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without openpyxl, a clear error says which extra to install."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "perftarget\[excel\]"') as caught:
        write_workbook(Document(), tmp_path / "book.xlsx")
    assert isinstance(caught.value, ImportError)
    assert (caught.value.package, caught.value.extra, caught.value.name) == ("openpyxl", "excel", "openpyxl")


def test_import_does_not_need_openpyxl() -> None:
    """``import perftarget`` and ``import perftarget.excel`` do not import openpyxl."""
    code = "import sys, perftarget, perftarget.excel; print('openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("value", "where"), [("无", "C5"), ("/", "C5"), (None, "A5")])
def test_budget_total_not_applicable_is_reported(seed_sheet: openpyxl.Workbook, value: object, where: str) -> None:
    """A budget total written as 无, / or left blank is reported at its cell (found by the edit fuzz test)."""
    cell = seed_sheet.active.cell(row=5, column=3)
    old, cell.value = cell.value, value
    try:
        with pytest.raises(WorkbookError) as caught:
            read_project_sheet(seed_sheet.active)
    finally:
        cell.value = old
    expected = f"{seed_sheet.active.title}!{where}: 预算数 (the budget total) is missing"
    assert [str(p) for p in caught.value.problems] == [expected]
