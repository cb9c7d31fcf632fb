"""Targets per region (福建 专项转移支付绩效目标表, 区域目标值): the model, the stored format, Excel, review, scoring.

The table is the fixture tests/data/layouts/fujian-transfer.txt (its source in tests/data/README.md):
7 regions of 龙岩市, one target column each under 区域目标值.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest

import perftarget as pt
from perftarget._codec.convert import from_dict
from perftarget._model.targets import MAX_REGIONS
from perftarget.excel import read_workbook, write_workbook
from perftarget.exceptions import DocumentError, EvaluationError, InvalidValueError, WorkbookError
from perftarget.values import RegionalTarget, common_target

_fast = pytest.importorskip("perftarget._codec.fast")

FIXTURE = Path(__file__).resolve().parent / "data" / "layouts" / "fujian-transfer.txt"
REGIONS = ("新罗区", "永定区", "上杭县", "武平县", "长汀县", "连城县", "漳平市")


def _book() -> openpyxl.Workbook:
    """The fixture as a workbook, as tests/test_layouts_provinces.py builds it (text cells and merges only)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = FIXTURE.stem
    lines = [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    for row, line in enumerate(lines[1:], start=1):
        for column, text in enumerate(line.split("|"), start=1):
            ws.cell(row, column).value = text or None
    for merged in lines[0].split()[1:]:  # the @merge line
        ws.merge_cells(merged)
    return book


def _fujian(tmp_path: Path, edit: dict[str, object] | None = None) -> Path:
    path = tmp_path / "fujian.xlsx"
    book = _book()
    for ref, value in (edit or {}).items():
        book.active[ref] = value
    book.save(path)
    return path


def test_the_published_table_reads_as_printed(tmp_path: Path) -> None:
    """The unit from its label row, the budget from one cell, 区域 a detail, a target per region and column."""
    (project,) = read_workbook(_fujian(tmp_path), year=2023).projects
    assert (project.unit, project.name, project.year, project.year_assumed) == (
        pt.Unit("230001", "龙岩市民族与宗教事务局"), "宗教管理经费补助", 2023, False
    )
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (Decimal(30), Decimal(30), None)
    assert project.details == (pt.Detail("区域", "、".join(REGIONS)),)
    assert project.goals[0].content.startswith("为推进宗教活动场所规范化管理")
    first, second, third = project.indicators
    assert [(r.region, str(r.target)) for r in first.regional_targets] == list(
        zip(REGIONS, ["2", "3", "1", "2", "2", "2", "2"], strict=True)
    )
    assert first.target.is_blank  # the regions differ: no target of its own
    assert [str(i.target) for i in (second, third)] == ["≥95%", "≥95%"]  # the regions' common target
    assert {str(r.target) for r in second.regional_targets} == {"≥95%"}
    assert (third.level1_label, third.level2_label, third.description) == ("产出指标", "质量指标", "反映项目完成情况")


def test_amounts_in_one_cell_each_as_printed(tmp_path: Path) -> None:
    """秀屿区 prints 其他资金0: a printed 0 is 0, a label with nothing after it is no amount (as a blank cell)."""
    path = _fujian(tmp_path, {"B4": "资金总额35 其中:财政拨款35 其他资金0"})
    budget = read_workbook(path, year=2023).projects[0].budget
    assert (budget.total, budget.fiscal, budget.other) == (Decimal(35), Decimal(35), Decimal(0))
    with pytest.raises(WorkbookError) as caught:  # the parts do not add up
        read_workbook(_fujian(tmp_path, {"B4": "资金总额：30　其中：财政拨款20　其他资金5"}), year=2023)
    assert {problem.location for problem in caught.value.problems} == {"fujian-transfer!B4"}


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        ({"G7": "新罗区"}, "G7 G8 G9 G10"),  # a region named twice: its column is not read
        ({"H8": "按时完成"}, None),  # a qualitative target is a target
        ({"H9": "≥"}, "H9"),  # a target that cannot be read, at its cell
    ],
)
def test_region_cells_are_checked_where_they_are(tmp_path: Path, edit: dict[str, str], where: str | None) -> None:
    path = _fujian(tmp_path, edit)
    if where is None:
        (project,) = read_workbook(path, year=2023).projects
        assert str(project.indicators[0].regional_targets[2].target) == "按时完成"
        return
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, year=2023)
    assert {problem.location for problem in caught.value.problems} == {f"fujian-transfer!{c}" for c in where.split()}


def test_a_region_left_blank_has_no_target(tmp_path: Path) -> None:
    (project,) = read_workbook(_fujian(tmp_path, {"G8": None}), year=2023).projects
    assert "永定区" not in [r.region for r in project.indicators[0].regional_targets]
    assert len(project.indicators[1].regional_targets) == len(REGIONS)


def test_written_with_a_two_row_header_and_read_back_equal(tmp_path: Path) -> None:
    """区域目标值 over the region columns, the regions below it, the other headings merged down both rows.

    An indicator whose regions come in another order than the columns keeps its order (the perftarget block).
    """
    document = read_workbook(_fujian(tmp_path), year=2023)
    project = document.projects[0]
    indicators = list(project.indicators)
    indicators[2] = attrs.evolve(indicators[2], regional_targets=(
        RegionalTarget("漳平市", "≥90%"), RegionalTarget("新罗区", "≥95%"), RegionalTarget("大田县", "≥80%"),
    ))
    changed = attrs.evolve(project, goals=(attrs.evolve(project.goals[0], indicators=tuple(indicators)),))
    document = pt.Document(projects=(changed,))
    write_workbook(document, tmp_path / "again.xlsx")
    assert read_workbook(tmp_path / "again.xlsx") == document
    ws = openpyxl.load_workbook(tmp_path / "again.xlsx").active
    header = next(row for row in ws.iter_rows() if row[0].value == "一级指标")
    below = [cell.value for cell in ws[header[0].row + 1]]
    heading = next(cell for cell in header if cell.value == "区域目标值")
    assert below[heading.column - 1 : heading.column - 1 + 8] == [*REGIONS, "大田县"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"{heading.coordinate}:{ws.cell(heading.row, heading.column + 7).coordinate}" in merged
    assert f"A{header[0].row}:A{header[0].row + 1}" in merged


def test_the_model_keeps_regions_named_once() -> None:
    target = RegionalTarget("新罗区", "≥95%")
    assert str(target.target) == "≥95%"
    for region in ("", " 新罗区", "新罗区\n"):
        with pytest.raises(InvalidValueError, match="region"):
            RegionalTarget(region, "1")
    with pytest.raises(InvalidValueError, match="left out"):
        RegionalTarget("新罗区", "")
    with pytest.raises(InvalidValueError, match="given twice"):
        pt.Indicator(name="x", target="", regional_targets=(target, target))
    many = tuple(RegionalTarget(f"区{k}", "1") for k in range(MAX_REGIONS + 1))
    with pytest.raises(InvalidValueError, match=f"at most {MAX_REGIONS}"):
        pt.Indicator(name="x", target="", regional_targets=many)
    with pytest.raises(pt.PerftargetError):
        pt.Indicator(name="x", target="", regional_targets=("新罗区",))  # type: ignore[arg-type]


def test_the_common_target_rule() -> None:
    same = (RegionalTarget("新罗区", "≥95%"), RegionalTarget("永定区", ">=95%"))
    assert str(common_target(same)) == "≥95%"
    assert common_target(()).is_blank
    assert common_target((*same, RegionalTarget("上杭县", "≥90%"))).is_blank


def test_stored_as_an_optional_list() -> None:
    """JSON and TOML (both paths) keep them; a file without them loads as before; a bad one says where."""
    indicator = pt.Indicator(name="项目完成率", target="≥95%", regional_targets=(
        RegionalTarget("新罗区", "≥95%"), RegionalTarget("永定区", "无")))
    project = pt.ProjectTargets(unit=pt.Unit("230001", "龙岩市民族与宗教事务局"), code="", name="宗教管理经费补助",
                                year=2023, budget=pt.Budget(total=30), goals=(pt.Goal("目标", (indicator,)),))
    document = pt.Document(projects=(project,))
    for fmt in ("json", "toml"):
        assert pt.loads(pt.dumps(document, fmt=fmt), fmt=fmt) == document
    text = pt.dumps(document, fmt="json")
    assert _fast.loads_json(text) == from_dict(json.loads(text), pt.Document) == document
    assert '"regional_targets"' not in pt.dumps(attrs.evolve(document, projects=()), fmt="json")
    data = json.loads(text)
    data["projects"][0]["goals"][0]["indicators"][0]["regional_targets"][1]["target"] = ""
    with pytest.raises(DocumentError) as caught:
        pt.loads(json.dumps(data), fmt="json")
    assert [p.location for p in caught.value.problems] == [
        "projects[0].goals[0].indicators[0].regional_targets[1].target"
    ]


def test_review_checks_each_regions_target(tmp_path: Path) -> None:
    """A region's target is checked as a target, at its place; a row whose regions differ is no blank target."""
    document = read_workbook(_fujian(tmp_path), year=2023)
    findings = pt.review(document)
    first = "projects[0].goals[0].indicators[0]"
    assert {f.path for f in findings if f.code == "PT105"} == {
        f"{first}.regional_targets[{j}].target" for j in range(len(REGIONS))
    }  # 2, 3, 1 ... print no unit
    assert not [f for f in findings if f.code == "PT112"]
    # a region whose target is the indicator's own is checked there, once
    assert not [f for f in findings if ".indicators[1].regional_targets" in f.path]


def test_scoring_takes_one_actual_per_indicator(tmp_path: Path) -> None:
    """A common target scores the indicator's actual; regions that differ need the score printed (no actual per region)."""
    (project,) = read_workbook(_fujian(tmp_path), year=2023).projects
    actuals = {"项目资金使用合规性": "100%", "项目完成率": "96%"}
    with pytest.raises(EvaluationError, match=r"indicators\[0\]: no target of its own is printed: its targets are per "
                       r"region \(新罗区、永定区、上杭县…\) and differ, and an actual per region is not supported"):
        pt.evaluate(project, actuals)
    result = pt.evaluate(project, {**actuals, "宗教管理经费补助县（市、区）数量": pt.Actual("", score=Decimal(10))})
    assert [item.rule for item in result.items] == ["explicit", "at_least", "at_least"]
