"""Excel: the 10号 self-evaluation table (项目支出绩效自评表) written as published, read back equal, published ones read."""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perftarget
from perftarget import Actual, Document, ProjectEvaluation, ProjectTargets, ScoringPolicy, TableActuals
from perftarget.excel import (
    read_any_workbook,
    read_evaluation_sheet,
    read_workbook,
    sheet_kind,
    write_evaluation_sheet,
    write_evaluation_workbook,
    write_workbook,
)
from perftarget.exceptions import WorkbookError
from perftarget.results import Grade
from perftarget.serialization import from_dict, to_dict
from perftarget.testing import department_targets, project_targets

ROOT = Path(__file__).resolve().parent.parent

# The openpyxl round trip costs about a tenth of a second per sheet: keep the examples few.
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def seed() -> Document:
    """The bundled seed document."""
    return perftarget.load(ROOT / "examples" / "petition-bureau.toml")


@pytest.fixture(scope="module")
def evaluation(seed: Document) -> ProjectEvaluation:
    """The seed's project scored with the bundled actuals, as the evaluate guide does."""
    return perftarget.evaluate_document(seed, ROOT / "examples" / "petition-bureau-actuals.toml").projects[0]


def reload(workbook: openpyxl.Workbook) -> openpyxl.Workbook:
    """The workbook as a file would give it back: saved and loaded again."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def written(evaluation: ProjectEvaluation) -> openpyxl.Workbook:
    """A workbook with the evaluation on its sheet, saved and loaded again."""
    workbook = openpyxl.Workbook()
    write_evaluation_sheet(workbook.active, evaluation)
    return reload(workbook)


def fill(ws: object, rows: dict[int, dict[str, object]]) -> None:
    """Put values into cells given as {row: {column letter: value}}."""
    for row, cells in rows.items():
        for column, value in cells.items():
            ws[f"{column}{row}"] = value  # type: ignore[index]


# --- round trips ----------------------------------------------------------------------------------


def test_seed_round_trip(evaluation: ProjectEvaluation) -> None:
    """The seed's evaluation written to a sheet and read back is the same evaluation."""
    assert read_evaluation_sheet(written(evaluation).active) == evaluation


def test_workbook_round_trip(evaluation: ProjectEvaluation, tmp_path: Path) -> None:
    """A workbook of evaluations, one sheet each, reads back through read_any_workbook."""
    other = attrs.evolve(evaluation, name="另一个项目", code="P2")
    path = tmp_path / "evaluations.xlsx"
    write_evaluation_workbook([evaluation, other], path)
    assert openpyxl.load_workbook(path).sheetnames == ["1.常年驻京值班工作队值班费", "2.另一个项目"]
    contents = read_any_workbook(path)
    assert contents.evaluations == (evaluation, other)
    assert (contents.document, contents.reports) == (Document(), ())


def _with_rows(seed: Document, changes: dict[int, dict[str, object]]) -> Document:
    """The seed with some of its project's rows changed (field → value per row index)."""
    project = seed.projects[0]
    goal = project.goals[0]
    rows = list(goal.indicators)
    for index, fields in changes.items():
        rows[index] = attrs.evolve(rows[index], **fields)  # type: ignore[arg-type]
    return attrs.evolve(seed, projects=(attrs.evolve(project, goals=(attrs.evolve(goal, indicators=tuple(rows)),)),))


def test_nameless_and_blank_rows_round_trip(seed: Document) -> None:
    """Nameless 无 rows (as 无, /, …… or ——), and blank rows that carry points, named or not: nothing is dropped."""
    changes: dict[int, dict[str, object]] = {
        5: {"name": "", "target": perftarget.Threshold.parse("……")},
        7: {"name": "", "target": perftarget.Threshold.parse("/")},
        2: {"name": "", "target": perftarget.Threshold.blank()},
        4: {"target": perftarget.Threshold.blank()},
    }
    document = _with_rows(seed, changes)
    actuals = {"工作日保障单位运转": "8小时/天", "群众来访接待劝返率": "93%", "经费支出准确率": "98%",
               "正常办公条件保障情况": Actual("", score=10), "goals[0].indicators[2]": {"score": "12.5"},
               "重点敏感时期覆盖率": "95%", "上访人员满意度": "96%"}
    evaluation = perftarget.evaluate(document.projects[0], actuals, spent="9.2")
    assert [item.rule for item in evaluation.items].count("explicit") == 2
    sheet = written(evaluation).active
    back = read_evaluation_sheet(sheet)
    assert back == evaluation
    assert len(back.items) == 9


def test_blank_rows_of_a_published_table_read_as_printed() -> None:
    """A published sheet's rows with 分值 and 得分 but no target or actual (the 天长 table) read with their points."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    fill(ws, {
        1: {"A": "项目支出绩效自评表"}, 2: {"A": "项目名称", "B": "水旱灾害防御经费"},
        3: {"A": "年度绩效指标完成情况", "B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "年度指标值",
            "F": "实际完成值", "G": "分值", "H": "得分", "I": "偏差原因分析及改进措施"},
        4: {"B": "产出指标(20分)", "C": "数量指标", "D": "指标1:完成项目数量", "E": "1", "F": "1", "G": 10, "H": 10},
        5: {"C": "质量指标", "D": "指标1:工程质量合格", "G": 10, "H": 10},
        6: {"D": "指标2:"}, 7: {"D": "……"},
        8: {"A": "总分", "G": 100, "H": 20},
    })
    evaluation = read_evaluation_sheet(ws)
    assert [(item.name, item.target, item.weight, item.score, item.rule) for item in evaluation.items] == [
        ("完成项目数量", "1", 10, 10, "manual"), ("工程质量合格", "", 10, 10, "manual")]


def test_department_round_trip(seed: Document) -> None:
    """A department evaluation (no levels, no budget) round-trips too."""
    actuals = {"单位正常运转": "达成", "群众来访劝返率": "96%", "工资、补贴发放": "达成", "经费支出准确": "部分达成"}
    overall = perftarget.evaluate_department(seed.department, actuals)
    ws = written(overall).active
    assert ws["B13"].value is None  # no level-1
    assert read_evaluation_sheet(ws) == overall


@st.composite
def evaluations(draw: st.DrawFn) -> ProjectEvaluation:
    """Evaluations of generated tables: actuals of every kind, some missing, any preset, spent or not."""
    department = draw(st.booleans()) and draw(st.integers(0, 4)) == 0
    table = draw(department_targets() if department else project_targets(nameless=True))
    entries = (
        [(f"goals[{g}].indicators[{i}]", indicator) for g, goal in enumerate(table.goals)
         for i, indicator in enumerate(goal.indicators)]
        if department else list(table.iter_indicators())  # type: ignore[union-attr]
    )
    actuals: dict[str, object] = {}
    for path, indicator in entries:
        target = indicator.target
        if not target.is_applicable or draw(st.integers(0, 9)) == 0:
            continue  # 无, or an actual left out (scored 0, with a problem)
        if target.is_blank:  # no target printed: the score printed (at most the weight, or a problem)
            actuals[path] = Actual("", score=draw(st.decimals(0, 30, places=draw(st.integers(0, 2)))))
            continue
        if target.is_quantitative:
            high = abs(target.value or 0) * 2 + 10
            number = draw(st.decimals(0, high, places=draw(st.integers(0, 3))))
            value: object = f"{number}{target.unit}" if draw(st.booleans()) else number
        else:
            value = draw(st.sampled_from(["达成", "部分达成", "未达成", "achieved"]))
        if draw(st.booleans()):
            value = Actual(value, reason=draw(st.sampled_from(["", "人员不足", "下年改进"])))
        actuals[path] = value
    spent = draw(st.none() | st.decimals(0, 1000, places=2))
    policy = draw(st.sampled_from(ScoringPolicy.presets()))
    # the 年度总体目标's 实际完成情况, given with the actuals: none, a sentence, or text on two lines
    given = TableActuals(actuals=actuals, outcome=draw(st.sampled_from(["", "完成年度目标。", "部分完成\n下年改进"])))
    if department:
        budget = None if spent is None else draw(st.decimals(1, 1000, places=2))
        return perftarget.evaluate_department(table, given, spent=spent, budget=budget, policy=policy, strict=False)
    assert isinstance(table, ProjectTargets)
    return perftarget.evaluate(table, given, spent=spent, policy=policy, strict=False)


@pytest.mark.filterwarnings("ignore::perftarget.exceptions.TraditionalTextWarning")  # generated text may be traditional
@SLOW
@given(evaluations())
def test_evaluations_round_trip(evaluation: ProjectEvaluation) -> None:
    """Any evaluation written to a sheet, saved, loaded and read back is equal to the original."""
    assert read_evaluation_sheet(written(evaluation).active) == evaluation


def test_whole_places(seed: Document) -> None:
    """A policy printing whole points shows whole numbers; the exact scores still read back."""
    whole = attrs.evolve(ScoringPolicy.preset(), name="整数", display_places=0)
    evaluation = perftarget.evaluate(seed.projects[0], {"群众来访接待劝返率": "93%"}, spent="9.2", policy=whole,
                                     strict=False)
    ws = written(evaluation).active
    assert (ws["H14"].number_format, ws["G6"].number_format, ws["H22"].number_format) == ("0", "0%", "0")
    assert read_evaluation_sheet(ws) == evaluation


def test_serializable_contents(evaluation: ProjectEvaluation, tmp_path: Path) -> None:
    """What read_any_workbook returns is plain data: it round-trips through to_dict and from_dict."""
    path = tmp_path / "book.xlsx"
    write_evaluation_workbook([evaluation], path)
    contents = read_any_workbook(path)
    assert from_dict(to_dict(contents), type(contents)) == contents


# --- the layout ----------------------------------------------------------------------------------


def test_seed_layout(evaluation: ProjectEvaluation) -> None:
    """The sheet is laid out like the 10号 table, cell by cell."""
    ws = written(evaluation).active
    values = {cell.coordinate: cell.value for row in ws.iter_rows(max_row=23) for cell in row if cell.value is not None}
    assert (values["A1"], values["A2"]) == ("项目支出绩效自评表", "（2022年度）")
    assert (values["A3"], values["B3"], values["A4"], values["F4"]) == ("项目名称", "常年驻京值班工作队值班费", "主管部门",
                                                                        "实施单位")
    assert [values[f"{c}5"] for c in "ACDEFGH"] == [
        "项目资金（万元）", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"
    ]
    assert [values[f"{c}6"] for c in "BCDEFGH"] == ["年度资金总额", 10, 10, 9.2, 10, 0.92, 9.2]  # 年初预算数 the table's
    assert [values[f"B{r}"] for r in (7, 8, 9)] == ["其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert (values["A10"], values["B10"], values["F10"]) == ("年度总体目标", "预期目标", "实际完成情况")
    assert [values[f"{c}12"] for c in "ABCDEFGHI"] == [
        "年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施",
    ]
    assert (values["B13"], values["B17"], values["B21"]) == ("产出指标(50分)", "效益指标(30分)", "满意度指标(10分)")
    assert [values[f"{c}14"] for c in "CDEFGHI"] == [
        "质量指标", "群众来访接待劝返率", "≥95%", "93%", 12.5, 12.23684210526316,
        "重复来访人数增加；下年加强源头化解，做好接访前研判",
    ]
    assert [values.get(f"{c}18") for c in "DEFGH"] == ["无", "无", None, None, None]  # 无: no points
    assert (values["A22"], values["G22"], values["H22"]) == ("总分", 100, 94.2327604726101)


def test_number_formats_and_merges(evaluation: ProjectEvaluation) -> None:
    """Numbers show the policy's two decimals; level cells and the labels are merged."""
    ws = written(evaluation).active
    assert (ws["D6"].number_format, ws["G6"].number_format, ws["H14"].number_format) == ("0.00", "0.00%", "0.00")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:I1", "A5:A9", "A10:A11", "A12:A21", "B13:B16", "B17:B20", "A22:F22", "H6:I6"} <= merged
    assert ws.print_area == "'Sheet'!$A$1:$I$22"


def test_block_holds_what_the_table_cannot(evaluation: ProjectEvaluation) -> None:
    """Below the table: exact scores, rules, formulas; each line's field names its line."""
    ws = written(evaluation).active
    block = {row[0]: row[1:] for row in ws.iter_rows(min_row=24, values_only=True) if row[0]}
    assert block["code"][0] == "13063722P0041681003"
    assert block["items[1].score"][:2] == ("群众来访接待劝返率", "12.23684210526315789473684210")
    assert block["items[1].rule"][:2] == ("群众来访接待劝返率", "at_least")
    assert "items[0].score" not in block  # 12.5 reads back from the table as it is
    assert "name" not in block  # the table shows it
    assert "year" not in block


# --- reading published tables ------------------------------------------------------------------


def tianchang(ws: object) -> None:
    """The published Tianchang water bureau table (fixtures/tianchang-water-2022-selfeval.txt), cell by cell."""
    fill(ws, {
        1: {"A": "项目支出绩效自评表"},
        2: {"A": "(2022年度)"},
        3: {"A": "项目名称", "B": "水旱灾害防御经费"},
        4: {"A": "主管部门", "F": "实施单位", "G": "天长市水利局"},
        5: {"A": "项目资金\n(万元)", "C": "年初预算数", "D": "全年预算数(A)", "E": "全年执行数(B)", "F": "分值",
            "G": "执行率(B/A)", "H": "得分"},
        6: {"B": "年度资金总额:", "C": 880, "D": 880, "E": "880", "F": 10, "G": "100%", "H": "10分"},
        7: {"B": "其中:本年财政拨款", "C": 880, "D": 880, "E": 880, "F": "-", "H": "-"},
        8: {"B": "上年结转资金", "F": "-", "H": "-"},
        9: {"B": "其他资金", "F": "-", "H": "-"},
        10: {"A": "年度总体目标完成情况", "B": "预期目标", "F": "实际完成情况"},
        11: {"B": "完成年度防汛工作,完成中型灌区节水改造项目和农业综合水价改革项目。", "F": "完成年度目标。"},
        12: {"A": "年度绩效指标完成情况", "B": "一级\n指标", "C": "二级指标", "D": "三级指标", "E": "年度指标值",
             "F": "实际完成值", "G": "分值", "H": "得分", "I": "偏差原因分析及改进措施"},
        13: {"B": "产\n出\n指\n标\n(50分)", "C": "数量指标", "D": "指标1:完成中型灌区节水改造项目数量", "E": 1, "F": 1,
             "G": 10, "H": 10},
        14: {"D": "指标2:完成农业综合水价改革项目", "E": 1, "F": 1, "G": 10, "H": 10},
        15: {"D": "……"},
        16: {"C": "质量指标", "D": "指标1:工程质量合格", "G": "１０", "H": 10},
        17: {"D": "指标2:"},
        18: {"D": "……"},
        19: {"C": "时效指标", "D": "指标1:年度资金支付完成率100%", "G": 10, "H": 10},
        20: {"D": "指标2:"},
        21: {"C": "成本指标", "D": "指标1:资金执行在预算范围内", "G": 10, "H": 10},
        22: {"B": "效\n益\n指\n标\n(30分)", "C": "经济效益\n指标", "D": "指标1:全市安全度汛", "G": 10, "H": 10},
        23: {"C": "社会效益\n指标", "D": "指标1:保护全市人口财产不受损失", "G": 10, "H": 10},
        24: {"C": "生态效益\n指标", "D": "指标1:/", "E": "/", "F": "/"},
        25: {"C": "可持续影\n响指标", "D": "指标1:已建工程良性运行", "G": 10, "H": 10},
        26: {"B": "满意度指标\n(10分)", "C": "服务对象\n满意度指标", "D": "指标1:服务对象满意度", "E": "90%", "F": "100%",
             "G": 10, "H": 10},
        27: {"D": "指标2:"},
        28: {"A": "总分", "G": 100, "H": 100},
        29: {"A": "注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、服务对象满意度指标10分、预算资金执行率10分。"},
    })
    for cells in ("A5:A9", "A10:A11", "A12:A27", "B13:B21", "B22:B25", "B26:B27", "C13:C15", "C16:C18", "C19:C20",
                  "C26:C27", "A28:F28", "B3:I3", "B11:E11", "F11:I11", "H5:I5", "H6:I6"):
        ws.merge_cells(cells)  # type: ignore[attr-defined]


def test_published_table_reads() -> None:
    """The published table reads as it shows: numbering, filler and template rows, points, / and 无."""
    workbook = openpyxl.Workbook()
    tianchang(workbook.active)
    ws = reload(workbook).active
    assert sheet_kind(ws) == "evaluation"
    evaluation = read_evaluation_sheet(ws)
    assert (evaluation.name, evaluation.year, evaluation.total, evaluation.grade) == ("水旱灾害防御经费", 2022, 100,
                                                                                     Grade.EXCELLENT)
    assert (evaluation.budget, evaluation.spent, evaluation.budget_execution_rate) == (880, 880, 100)
    assert (evaluation.budget_weight, evaluation.budget_score, evaluation.raw_total, evaluation.weight_total) == (
        10, 10, 100, 100
    )
    assert [item.name for item in evaluation.items] == [
        "完成中型灌区节水改造项目数量", "完成农业综合水价改革项目", "工程质量合格", "年度资金支付完成率100%",
        "资金执行在预算范围内", "全市安全度汛", "保护全市人口财产不受损失", "/", "已建工程良性运行", "服务对象满意度",
    ]
    assert [(s.level1, s.weight, s.score) for s in evaluation.subtotals] == [
        ("产出指标", 50, 50), ("效益指标", 30, 30), ("满意度指标", 10, 10)
    ]
    levels = [(item.level1, item.level2) for item in evaluation.items]
    assert levels[2] == ("产出指标", "质量指标")
    assert levels[5:10] == [("效益指标", "经济效益指标"), ("效益指标", "社会效益指标"), ("效益指标", "生态效益指标"),
                            ("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标")]
    last = evaluation.items[-1]
    assert (last.target, last.actual, last.weight, last.score, last.rule) == ("90%", "100%", 10, 10, "manual")
    na = evaluation.items[7]
    assert (na.rule, na.weight, na.score, na.applicable) == ("not_applicable", 0, 0, False)
    assert (evaluation.policy, evaluation.places, evaluation.problems) == ("national-2020", 2, ())


_TIANCHANG_GOAL = "完成年度防汛工作,完成中型灌区节水改造项目和农业综合水价改革项目。"


def test_published_table_keeps_its_texts() -> None:
    """主管部门 (blank in the table), 实施单位 and the 年度总体目标 row's 预期目标 and 实际完成情况 read as printed,
    and come back equal once written (in their cells, not in the perftarget block)."""
    workbook = openpyxl.Workbook()
    tianchang(workbook.active)
    evaluation = read_evaluation_sheet(reload(workbook).active)
    assert (evaluation.department, evaluation.unit, evaluation.goal, evaluation.outcome) == (
        "", "天长市水利局", _TIANCHANG_GOAL, "完成年度目标。"
    )
    ws = written(evaluation).active
    assert (ws["G4"].value, ws["B11"].value, ws["F11"].value) == ("天长市水利局", _TIANCHANG_GOAL, "完成年度目标。")
    block = [str(cell.value) for cell in ws["A"] if cell.row > 30 and cell.value]  # below the table
    assert not {"unit", "goal", "outcome"} & set(block)
    assert read_evaluation_sheet(ws) == evaluation


def test_evaluating_the_published_fixture_prints_its_texts() -> None:
    """The 天长 fixture scored with its actuals file (``outcome = "完成年度目标。"``): the result carries the goal,
    the unit and the outcome, writes them where the published table prints them, and reads back equal."""
    data = ROOT / "tests" / "data"
    document = perftarget.load(data / "tianchang-water-2022.toml")
    evaluation = perftarget.evaluate_document(document, data / "tianchang-water-2022-actuals.toml").projects[0]
    assert (evaluation.department, evaluation.unit, evaluation.goal, evaluation.outcome) == (
        "", "天长市水利局", _TIANCHANG_GOAL, "完成年度目标。"
    )
    workbook = openpyxl.Workbook()
    tianchang(workbook.active)
    printed = read_evaluation_sheet(reload(workbook).active)
    texts = ("department", "unit", "initial_budget", "goal", "outcome")
    assert [getattr(printed, name) for name in texts] == [getattr(evaluation, name) for name in texts]
    ws = written(evaluation).active
    assert (ws["B4"].value, ws["G4"].value, ws["C6"].value, ws["B11"].value, ws["F11"].value) == (
        None, "天长市水利局", 880, _TIANCHANG_GOAL, "完成年度目标。"
    )
    assert read_evaluation_sheet(ws) == evaluation
    assert to_dict(evaluation)["outcome"] == "完成年度目标。"
    assert from_dict(to_dict(evaluation), ProjectEvaluation) == evaluation


def test_empty_texts_leave_their_cells_blank(evaluation: ProjectEvaluation) -> None:
    """Without 主管部门, 实施单位, 年初预算数 and goal texts the sheet is as before (blank cells); to_dict leaves them out."""
    bare = attrs.evolve(evaluation, department="", unit="", initial_budget=None, goal="", outcome="")
    ws = written(bare).active
    assert [ws[ref].value for ref in ("B4", "G4", "C6", "B11", "F11")] == [None] * 5
    assert read_evaluation_sheet(ws) == bare
    assert not {"department", "unit", "initial_budget", "goal", "outcome"} & set(to_dict(bare))


def test_published_table_below_target() -> None:
    """A line scored below its weight needs an explanation, as read; a total below 90 grades 良."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    tianchang(ws)
    ws["H13"], ws["I13"], ws["H28"] = 6, "项目延期", 86
    evaluation = read_evaluation_sheet(ws)
    first = evaluation.items[0]
    assert (first.score, first.needs_explanation, first.reason) == (6, True, "项目延期")
    assert (evaluation.total, evaluation.grade, evaluation.raw_total) == (86, Grade.GOOD, 96)


def test_table_edits_win(evaluation: ProjectEvaluation) -> None:
    """A score changed in Excel reads back as changed: the block's exact value is for the score as written."""
    workbook = written(evaluation)
    ws = workbook.active
    ws["H14"] = 12
    ws["H15"] = 12.5  # the same value as written: the block has nothing for it anyway
    back = read_evaluation_sheet(ws)
    assert back.items[1].score == 12
    assert back.items[8].score == evaluation.items[8].score  # untouched: exact again
    assert back.items[1].rule == "at_least"


# --- errors --------------------------------------------------------------------------------------


BROKEN = {
    "错误!E6": "全年执行数 must be a number (plain or in 万元/元), not '很多'",
    "错误!J12": "unknown column heading '备注'",
    "错误!G13": "分值 must be a number (plain or in 分), not '十分'",
    "错误!H14": "得分 is missing",
    "错误!J15": "a value in a column without a heading: '多余'",
    "错误!H16": "the 总分 row has no score",
    "错误!A19": "unknown field 'colour' in the perftarget block",
    "错误!A20": "this row is for '另一个', but items[0] is '指标A'",
    "错误!A21": "items[9] is not in the table above",
}


def test_every_problem_reported() -> None:
    """One error lists every problem, top to bottom, each with its sheet and cell; nothing is guessed."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "错误"
    fill(ws, {
        1: {"A": "项目支出绩效自评表"},
        3: {"A": "项目名称", "B": "某项目"},
        5: {"A": "项目资金（万元）", "D": "全年预算数（A）", "E": "全年执行数（B）", "F": "分值"},
        6: {"B": "年度资金总额", "D": 10, "E": "很多"},
        12: {"A": "年度绩效指标完成情况", "B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "年度指标值",
             "F": "实际完成值", "G": "分值", "H": "得分", "I": "偏差原因分析及改进措施", "J": "备注"},
        13: {"B": "产出指标", "C": "数量指标", "D": "指标A", "G": "十分", "H": 5},
        14: {"D": "指标B", "G": 10},
        15: {"D": "指标C", "G": 10, "H": 10, "J": "多余"},
        16: {"A": "总分", "G": 100},
        18: {"A": "perftarget"},
        19: {"A": "colour", "B": "red"},
        20: {"A": "items[0].rule", "B": "另一个", "C": "at_least"},
        21: {"A": "items[9].rule", "B": "指标A", "C": "at_least"},
    })
    ws.merge_cells("A16:F16")
    with pytest.raises(WorkbookError) as caught:
        read_evaluation_sheet(ws)
    found = {problem.location: problem.message for problem in caught.value.problems}
    assert list(found) == list(BROKEN)
    for location, message in BROKEN.items():
        assert message in found[location], location


def test_block_value_checked() -> None:
    """A block value the evaluation cannot hold is reported at its cell."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "错误"
    tianchang(ws)
    fill(ws, {31: {"A": "perftarget"}, 32: {"A": "grade", "B": "甲"}, 33: {"A": "places", "B": "two"}})
    with pytest.raises(WorkbookError) as caught:
        read_evaluation_sheet(ws)
    found = {problem.location: problem.message for problem in caught.value.problems}
    assert list(found) == ["错误!B33"]  # a whole number is checked on reading; the grade by the converter after
    assert "places must be a number" in found["错误!B33"]
    ws["B33"] = 3
    with pytest.raises(WorkbookError, match=r"^错误!A32: .*expected Grade$"):
        read_evaluation_sheet(ws)


def test_no_indicator_table() -> None:
    """A sheet without the indicator header or the 总分 row says so."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    fill(ws, {1: {"A": "项目支出绩效自评表"}, 3: {"A": "项目名称", "B": "某项目"}})
    with pytest.raises(WorkbookError) as caught:
        read_evaluation_sheet(ws)
    assert [str(p) for p in caught.value.problems] == [
        "Sheet: no indicator table (a header row 一级指标 … 三级指标 … 得分)", "Sheet: no 总分 row",
    ]


@pytest.fixture(scope="module")
def seed_sheet(evaluation: ProjectEvaluation) -> openpyxl.Workbook:
    """The seed's evaluation on an in-memory sheet (tests restore what they change)."""
    book = openpyxl.Workbook()
    write_evaluation_sheet(book.active, evaluation)
    return book


_CELL_VALUES = st.one_of(
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["无", "/", "……", "=1+1", "10分", "１２", "总分", "得分", "三级指标", "perftarget",
                     "items[0].rule", "grade", "达成", "100%", "年度资金总额"]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)


@pytest.mark.filterwarnings("ignore::perftarget.exceptions.TraditionalTextWarning")  # generated text may be traditional
@given(row=st.integers(1, 40), column=st.integers(1, 10), value=_CELL_VALUES)
def test_any_edit_reads_or_is_reported(seed_sheet: openpyxl.Workbook, row: int, column: int, value: object) -> None:
    """Whatever one cell holds, reading gives an evaluation or a WorkbookError, nothing else."""
    cell = seed_sheet.active.cell(row=row, column=column)
    if isinstance(cell, openpyxl.cell.MergedCell):
        return
    old = cell.value
    cell.value = value
    try:
        result: ProjectEvaluation | WorkbookError = read_evaluation_sheet(seed_sheet.active)
    except WorkbookError as error:
        result = error
    finally:
        cell.value = old
    assert isinstance(result, ProjectEvaluation) or result.problems


# --- workbooks ------------------------------------------------------------------------------------


def test_kinds_side_by_side(seed: Document, evaluation: ProjectEvaluation, tmp_path: Path) -> None:
    """Targets and evaluations in one workbook: read_any_workbook reads both, read_workbook names the other kind."""
    path = tmp_path / "both.xlsx"
    write_workbook(seed, path)
    workbook = openpyxl.load_workbook(path)
    write_evaluation_sheet(workbook.create_sheet("自评"), evaluation)
    workbook.save(path)
    assert [sheet_kind(ws) for ws in openpyxl.load_workbook(path).worksheets] == [
        "department", "project", "notes", "evaluation"
    ]
    contents = read_any_workbook(path)
    assert (contents.document, contents.evaluations) == (seed, (evaluation,))
    with pytest.raises(WorkbookError, match=r"自评: a self-evaluation table \(项目支出绩效自评表\), not a target table"):
        read_workbook(path)
    assert read_workbook(path, sheets=["部门整体绩效目标", "1.常年驻京值班工作队值班费", "说明"]) == seed


def test_control_characters_refused(evaluation: ProjectEvaluation, tmp_path: Path) -> None:
    """Text a workbook cannot store is an error naming the cell; nothing is written."""
    broken = attrs.evolve(evaluation, name="项目\x01")
    with pytest.raises(WorkbookError, match=r"1\.项目\x01!B3: '项目\\x01' holds a control character"):
        write_evaluation_workbook([broken], tmp_path / "book.xlsx")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(WorkbookError, match=r"Sheet!B3"):
        write_evaluation_sheet(openpyxl.Workbook().active, broken)


def test_empty_workbook(tmp_path: Path) -> None:
    """No evaluations still make a valid workbook, which reads back empty."""
    path = tmp_path / "empty.xlsx"
    write_evaluation_workbook([], path)
    assert read_any_workbook(path).evaluations == ()


def test_big_numbers_stay_exact() -> None:
    """Amounts no float holds (32 digits, within Limits) are written as exact text and read back whole."""
    huge = Decimal("123456789012345678901234567890.12")
    evaluation = ProjectEvaluation(name="大项目", total=Decimal(50), grade=Grade.POOR, raw_total=Decimal(50),
                                   weight_total=Decimal(100), budget=huge, spent=huge / 10)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "big.xlsx"
        write_evaluation_workbook([evaluation], path)
        assert read_any_workbook(path).evaluations == (evaluation,)
