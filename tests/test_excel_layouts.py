"""Published target-table layouts (河北, 湖南 整体/项目, 湖北 项目支出): each reads as printed and round-trips equal.

The fixtures are compact text descriptions in ``tests/data/layouts/`` (sources in
``tests/data/README.md``), turned into small workbooks here: one line a row, cells split by
``|``, ``~`` a blank row, ``@merge`` the merged ranges, ``n:`` a number cell and ``p:`` a
percent cell.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import perftarget
from perftarget import Budget, DepartmentTargets, Document, Goal, Indicator, Measure, ProjectTargets, Unit
from perftarget._model.targets import CostItem
from perftarget.excel import (
    LAYOUTS,
    detect_layout,
    read_project_sheet,
    read_workbook,
    sheet_kind,
    write_project_sheet,
    write_workbook,
)
from perftarget.excel._layouts import is_template_name
from perftarget.exceptions import WorkbookError
from perftarget.values import Level1, Level2

DATA = Path(__file__).resolve().parent / "data" / "layouts"
N_A = perftarget.Threshold.not_applicable()


def sheet_from_text(ws: openpyxl.worksheet.worksheet.Worksheet, text: str) -> None:
    """Fill a worksheet from a fixture's text description."""
    merges: list[str] = []
    row = 0
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@merge"):
            merges += line.split()[1:]
            continue
        row += 1
        if line.strip() == "~":
            continue
        for column, raw in enumerate(line.split("|"), start=1):
            value = raw.strip()
            if not value:
                continue
            cell = ws.cell(row=row, column=column)
            if value.startswith("n:"):
                cell.value, cell.number_format = float(value[2:]), "0.00"
            elif value.startswith("p:"):
                cell.value, cell.number_format = float(value[2:]), "0%"
            else:
                cell.value = value
    for cells in merges:
        ws.merge_cells(cells)


def workbook_of(*names: str, directory: Path) -> Path:
    """A workbook with one sheet a fixture, saved in ``directory``."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in names:
        sheet_from_text(book.create_sheet(name), (DATA / f"{name}.txt").read_text("utf-8"))
    path = directory / "layouts.xlsx"
    book.save(path)
    return path


def round_trip(document: Document) -> Document:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "again.xlsx"
        write_workbook(document, path)
        return read_workbook(path)


# --- what each layout holds, as printed ---------------------------------------------------------

HUNAN_DEPARTMENT = DepartmentTargets(
    unit=Unit("", "湖南省某某事务中心"),
    year=2023,
    duties=("负责全省某某事务的组织协调",),
    goals=(Goal("完成年度重点工作，保障单位正常运转", (
        Indicator(level1=Level1.OUTPUT, level2=Level2.QUANTITY, name="资金支付", target="28.8万元", unit_text="%",
                  value_kind="定量", description="年度支付的专项资金", scoring_rule="未达到扣2分"),
        Indicator(level1=Level1.OUTPUT, level2=Level2.QUALITY, name="困难群众救助", target="应保尽保", unit_text="%",
                  value_kind="定性", description="符合条件的困难群众", scoring_rule="每发现一例扣1分"),
        Indicator(level1=Level1.OUTPUT, level2=Level2.TIMELINESS, name="资金拨付时间", target="按月安排",
                  value_kind="定量", description="按月拨付到位", scoring_rule="延迟一月扣1分", remarks="按季度核实"),
        Indicator(level1=Level1.BENEFIT, level2=Level2.ECONOMIC_BENEFIT, name="", target=N_A),
        Indicator(level1=Level1.BENEFIT, level2=Level2.SOCIAL_BENEFIT, name="群众满意度", target="≥90", unit_text="%",
                  value_kind="定量", description="抽样调查满意度", scoring_rule="每降低1%扣0.5分"),
        Indicator(level1=Level1.SATISFACTION, level2=Level2.SERVICE_SATISFACTION, name="服务对象满意率", target="≥95",
                  unit_text="%", value_kind="定量", description="问卷调查", scoring_rule="低于目标不得分"),
    )),),
)

HUNAN_PROJECT = ProjectTargets(
    unit=Unit("", "湖南省某某局"),
    code="",
    name="农村公路养护补助",
    year=2023,
    budget=Budget(total=Decimal("120.50"), fiscal=Decimal("100.50"), other=Decimal(20)),
    purpose="农村公路日常养护",
    department="湖南省交通运输厅",
    goals=(Goal("完成农村公路养护任务，路况保持良好", (
        Indicator(level1=Level1.OUTPUT, level2=Level2.QUANTITY, name="养护里程", target="≥1200", unit_text="公里",
                  value_kind="定量", description="年度养护的农村公路里程", scoring_rule="每少10公里扣1分"),
        Indicator(level1=Level1.OUTPUT, level2=Level2.QUALITY, name="优良路率", target="≥80", unit_text="%",
                  value_kind="定量", description="优良等级路段占比", scoring_rule="每降低1%扣1分"),
        Indicator(level1=Level1.OUTPUT, level2=Level2.TIMELINESS, name="资金拨付及时性", target="及时拨付",
                  value_kind="定性", description="按进度拨付", scoring_rule="未及时拨付扣2分"),
        Indicator(level1=Level1.BENEFIT, level2=Level2.SOCIAL_BENEFIT, name="群众出行条件", target="明显改善",
                  value_kind="定性", description="出行便利程度", scoring_rule="未改善不得分"),
        Indicator(level1=Level1.BENEFIT, level2=Level2.ECOLOGICAL_BENEFIT, name="", target=N_A),
    )),),
)

HUBEI_PROJECT = ProjectTargets(
    unit=Unit("", "湖北省某某信息中心"),
    code="",
    name="政务信息系统运行维护",
    year=2023,
    budget=Budget(total=Decimal("662.98"), fiscal=Decimal("662.98")),
    purpose="信息系统运维、网络租赁和安全服务",
    department="湖北省某某厅",
    category="专项业务类",
    nature="延续性项目",
    grounds="《湖北省政务信息化项目管理办法》",
    carryover=Decimal(12),
    costs=(
        CostItem("运维服务费", Decimal(420), "3个系统×140万元", (Decimal(400), Decimal(410))),
        CostItem("网络租赁费", Decimal(180), "专线12个月×15万元", (Decimal(180), Decimal(180))),
        CostItem("等保测评费", Decimal("62.88"), "按合同", (Decimal(60), None)),
    ),
    cost_total=Decimal("662.98"),
    measures=(Measure("建立运维管理制度，按季度考核服务商"),),
    goals=(Goal("保障政务信息系统稳定运行，全年可用率不低于99%", (
        Indicator(level2=Level2.QUANTITY, name="运维系统数量", description="反映年度运维的信息系统数量", target="=3个"),
        Indicator(level2=Level2.QUANTITY, name="网络专线条数", description="反映租赁的网络专线数量", target="≥12条"),
        Indicator(level2=Level2.QUANTITY, name="等保测评系统数", target=N_A),
        Indicator(level2=Level2.QUALITY, name="系统可用率", description="反映系统全年可用时间占比", target="≥99%"),
        Indicator(level2=Level2.QUALITY, name="安全事故数", description="反映全年发生的网络安全事故次数", target="=0次"),
        Indicator(level2=Level2.TIMELINESS, name="故障响应时间", description="反映故障发生到响应的时长", target="≤2小时"),
        Indicator(level2=Level2.SERVICE_SATISFACTION, name="用户满意度", description="反映使用单位对运维服务的满意程度",
                  target="≥90%"),
    )),),
)


@pytest.fixture(scope="module")
def seed() -> Document:
    return perftarget.load(Path(__file__).resolve().parent.parent / "examples" / "petition-bureau.toml")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture, one sheet each, in one workbook."""
    names = ("hebei-project", "hunan-department", "hunan-project", "hubei-project")
    return workbook_of(*names, directory=tmp_path_factory.mktemp("layouts"))


def test_each_layout_reads_as_printed(published: Path, seed: Document) -> None:
    document = read_workbook(published, year=2022)
    assert document.department == HUNAN_DEPARTMENT
    hebei, hunan, hubei = document.projects
    assert hebei == seed.projects[0]  # the seed's table as published reads as the seed
    assert hunan == HUNAN_PROJECT
    assert hubei == HUBEI_PROJECT


def test_each_layout_round_trips_equal(published: Path) -> None:
    """Read, written by perftarget, read again: equal, 无 rows and all."""
    document = read_workbook(published, year=2022)
    assert round_trip(document) == document


def test_layouts_are_detected_with_their_reason(published: Path) -> None:
    book = openpyxl.load_workbook(published)
    found = {title: detect_layout(book[title]) for title in book.sheetnames}
    assert {title: d.layout.key for title, d in found.items() if d.layout} == {
        "hebei-project": "hebei-project",
        "hunan-department": "hunan-department",
        "hunan-project": "hunan-project",
        "hubei-project": "hubei-project",
    }
    assert "当年预期实现值" in found["hubei-project"].reason
    assert [sheet_kind(book[title]) for title in book.sheetnames] == ["project", "department", "project", "project"]


def test_an_unknown_sheet_says_what_was_seen_and_expected(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "汇总"
    for column, heading in enumerate(("序号", "三级指标", "完成情况", "偏差原因"), start=1):
        ws.cell(row=2, column=column, value=heading)
    detection = detect_layout(ws)
    assert detection.layout is None
    assert detection.headings == ("序号", "三级指标", "完成情况", "偏差原因")
    assert "headings seen: 序号、三级指标、完成情况、偏差原因" in detection.reason
    assert "hebei-project needs headings 三级指标、指标值" in detection.reason
    assert "hubei-project needs headings 三级指标、当年预期实现值" in detection.reason
    book.save(tmp_path / "unknown.xlsx")
    with pytest.raises(WorkbookError, match=r"汇总: neither .*headings seen: 序号、三级指标"):
        read_workbook(tmp_path / "unknown.xlsx")


def test_a_layout_needs_its_mark(tmp_path: Path) -> None:
    """Hunan's columns without 整体 or 部门职责 are not the 整体 table; the reason names the missing mark."""
    book = openpyxl.Workbook()
    sheet_from_text(book.active, (DATA / "hunan-project.txt").read_text("utf-8"))
    detection = detect_layout(book.active)
    assert detection.layout is not None
    assert detection.layout.key == "hunan-project"
    book.active["A1"] = "2023年绩效目标表"
    book.active["A3"] = "名称"
    detection = detect_layout(book.active)
    assert detection.layout is None
    assert "hunan-project needs one of 项目" in detection.reason


# --- rows that used to be dropped -------------------------------------------------------------------


def _project(*indicators: Indicator) -> ProjectTargets:
    return ProjectTargets(unit=Unit("1", "单位"), code="P1", name="项目", year=2023, budget=Budget(total=Decimal(1)),
                          goals=(Goal("目标", indicators),))


@pytest.mark.parametrize("indicators", [
    (Indicator(level1="产出指标", level2="数量指标", name="甲", target="≥1个"),
     Indicator(level1="产出指标", level2="质量指标", name="", target=N_A)),  # a nameless 无 row
    (Indicator(level1="效益指标", level2="经济效益指标", name="", target=N_A),
     Indicator(level1="效益指标", level2="经济效益指标", name="", target=N_A)),  # two under one merged level-2
    (Indicator(name="", target=N_A, description="说明"),),  # no levels at all
    (Indicator(level1="产出指标", level2="数量指标", name="指标2", target=N_A),),  # looks like a template row
    (Indicator(level1="产出指标", level2="数量指标", name="指标3", target=N_A, unit_text="个"),),  # a unit: not one
])
def test_nameless_and_template_looking_rows_survive(indicators: tuple[Indicator, ...]) -> None:
    document = Document(projects=(_project(*indicators),))
    assert round_trip(document) == document


def test_the_template_rule() -> None:
    """A bare 指标N with nothing else but its levels is a template row, dropped on reading; anything more is kept."""
    assert [is_template_name(n) for n in ("指标2", "指标 12：", "指标２", "指标2：养护里程", "指标", "2")] == [
        True, True, True, False, False, False
    ]
    book = openpyxl.Workbook()
    rows = (
        "2023年某项目绩效目标表", "1|单位", "项目编码|P", "项目名称|某项目", "预算规模及资金用途|预算数|n:1",
        "绩效目标|目标", "一级指标|二级指标|三级指标|指标值|备注",
        "产出指标|数量指标|指标1|||", "|质量指标|指标2：|无||", "|时效指标|指标3|按时|", "|成本指标|指标4||说明",
    )
    sheet_from_text(book.active, "\n".join(rows))
    project = read_project_sheet(book.active)
    assert [(i.name, str(i.target), i.remarks) for i in project.indicators] == [("指标3", "按时", ""),
                                                                               ("指标4", "无", "说明")]


def test_new_columns_are_written_only_when_used(seed: Document) -> None:
    """The seed's sheet keeps its seven columns; a 计量单位 adds one, read back as printed."""
    book = openpyxl.Workbook()
    write_project_sheet(book.active, seed.projects[0])
    assert book.active.max_column == 7
    indicator = Indicator(level1="产出指标", level2="数量指标", name="甲", target="28.8万元", unit_text="%")
    project = _project(indicator)
    book = openpyxl.Workbook()
    write_project_sheet(book.active, project)
    assert [c.value for c in book.active[10]][:7] == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值",
                                                     "指标值确定依据", "计量单位"]
    assert read_project_sheet(book.active) == project


def test_cost_items_with_unequal_prior_years_survive() -> None:
    project = ProjectTargets(
        unit=Unit("1", "单位"), code="P1", name="项目", year=2023, budget=Budget(total=Decimal(3)),
        costs=(CostItem("甲", Decimal(1), prior=(Decimal(1),)), CostItem("乙", Decimal(2))), cost_total=Decimal(3),
    )
    assert round_trip(Document(projects=(project,))).projects[0] == project


def test_the_registry_is_plain_data() -> None:
    """Every entry names a source, a kind and the columns its required roles come from."""
    keys = [layout.key for layout in LAYOUTS]
    assert len(keys) == len(set(keys))
    for layout in LAYOUTS:
        assert layout.source
        assert layout.kind in ("project", "department", "evaluation", "monitoring")
        assert all(role in layout.columns or any(role in roles for roles in layout.spans.values())
                   for role in layout.required)


@pytest.mark.parametrize("header", [
    "指标类型|指标名称|绩效标准|当年预期实现值",  # 湖北, the two columns headed apart
    "一级指标|三级指标|指标解释|指标值",  # a first level column that holds the level-2
])
def test_a_first_column_of_level_2_labels(header: str) -> None:
    """数量指标/质量指标 in the first column are the level-2 (the level-1 not printed), whatever it is headed."""
    rows = (
        "2023年某项目支出绩效目标表", "单位名称：某单位", "项目名称|某项目", "项目类别|专项业务类", "项目资金|年度资金总额|n:5",
        header, "数量指标|甲|反映甲|≥1个", "|乙|反映乙|≥2个", "质量指标|丙|反映丙|≥90%",
    )
    book = openpyxl.Workbook()
    sheet_from_text(book.active, "\n".join(rows))
    book.active.merge_cells("A7:A8")
    project = read_project_sheet(book.active)
    assert [(i.level1, i.level2, i.name) for i in project.indicators] == [
        (None, Level2.QUANTITY, "甲"), (None, Level2.QUANTITY, "乙"), (None, Level2.QUALITY, "丙")
    ]
    assert (project.unit, project.category, project.year) == (Unit("", "某单位"), "专项业务类", 2023)
