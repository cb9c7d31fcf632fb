"""Tables for analysts: records and DataFrames of every result kind, and the notebook displays."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings

import perftarget as pt
from perftarget._display import Table, render
from perftarget.frame import records, to_frame
from perftarget.testing import project_targets

PROGRESS = {"群众来访接待劝返率": "96%", "正常办公条件保障情况": "部分达成"}


@pytest.fixture(scope="module")
def document():
    return pt.load("examples/petition-bureau.toml")


@pytest.fixture(scope="module")
def evaluation(document):
    return pt.evaluate_document(document, "examples/petition-bureau-actuals.toml").projects[0]


@pytest.fixture(scope="module")
def report(document):
    payments = pt.load_payments("examples/petition-bureau-payments.toml")
    return pt.monitor(document.projects[0], spent=payments, as_of=dt.date(2022, 7, 31), progress=PROGRESS)


# --- documents ------------------------------------------------------------------------------------


def test_records_one_row_per_indicator(seed_path):
    """A document gives one record per indicator, department narrative included, with paths."""
    document = pt.load(seed_path)
    rows = records(document)
    assert len(rows) == 4 + 9
    assert rows[0]["path"] == "department.goals[0].indicators[0]"
    project_row = rows[4]
    assert project_row["path"] == "projects[0].goals[0].indicators[0]"
    assert project_row["project_code"] == "13063722P0041681003"
    assert project_row["target"] == "≥8 小时/天"
    assert project_row["target_value"] == Decimal(8)
    assert project_row["unit"] == "小时/天"


def test_chinese_headings():
    """lang='zh' uses the table's Chinese headings as column names."""
    project = pt.load("examples/petition-bureau.toml").projects[0]
    frame = to_frame(project, lang="zh")
    assert list(frame.columns[:6]) == ["项目编码", "项目名称", "绩效目标", "一级指标", "二级指标", "三级指标"]
    assert frame["指标值类型"].tolist().count("不适用") == 2


@pytest.mark.parametrize(("mode", "expected"), [("keep", Decimal(95)), ("float", 95.0), ("str", "95")])
def test_decimal_modes(seed_path, mode, expected):
    """Decimals are kept, or converted to float or text on request."""
    frame = to_frame(pt.load(seed_path).projects[0], decimals=mode)
    value = frame.loc[1, "target_value"]
    assert value == expected
    assert isinstance(value, type(expected))


def test_unknown_decimal_mode(document):
    """decimals is one of three words."""
    with pytest.raises(ValueError, match="decimals"):
        to_frame(document, decimals="int")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lang"):
        to_frame(document, lang="fr")  # type: ignore[arg-type]


def test_frame_is_a_dataframe(seed_path):
    """to_frame returns a pandas DataFrame with a row per indicator."""
    frame = to_frame(pt.load(seed_path))
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape[0] == 13


def test_unknown_type_refused():
    """Objects with no table form are refused clearly."""
    with pytest.raises(TypeError, match="no table form for int"):
        records(5)


def test_missing_values_are_none_or_nan(document):
    """A missing value is None (empty text included), NaN only in a float column."""
    frame = to_frame(document.projects[0])
    on_time = frame[frame["indicator"] == "按时间进度要求支付使用资金"].iloc[0]
    assert on_time["unit"] is None
    assert on_time["target_value"] is None
    floats = to_frame(document.projects[0], decimals="float")
    assert floats["target_value"].dtype == "float64"
    assert math.isnan(floats.loc[on_time.name, "target_value"])
    assert floats.loc[on_time.name, "unit"] is None
    assert all(value != "" for row in records(document) for value in row.values())


# --- evaluations ----------------------------------------------------------------------------------


def test_evaluation_scores_are_numbers(evaluation):
    """The 得分 column adds up: the indicators and the budget line make the total (the issue's '12.5012.24...')."""
    frame = to_frame(evaluation, decimals="float", lang="zh")
    assert frame["得分"].dtype == "float64"
    assert frame["分值"].dtype == "float64"
    assert frame["得分"].iloc[:9].sum() == pytest.approx(85.0327604726101)
    assert list(frame["行"].iloc[-2:]) == ["预算执行率", "总分"]
    assert frame["得分"].iloc[:10].sum() == pytest.approx(frame["得分"].iloc[-1])
    exact = to_frame(evaluation)
    assert exact["score"].iloc[-1] == evaluation.total
    assert isinstance(exact["score"].iloc[1], Decimal)
    assert abs(sum(exact["score"].iloc[:10]) - evaluation.raw_total) < Decimal("1e-18")
    assert exact["needs_explanation"].dtype == bool
    assert list(exact["line"].iloc[-2:]) == ["budget", "total"]


def test_evaluation_items_and_document_evaluation(document, evaluation):
    """The items alone give the indicator rows; a document evaluation gives every project's rows."""
    items = to_frame(evaluation.items, decimals="float")
    assert items.shape[0] == 9
    assert list(items.columns) == list(to_frame(evaluation).columns)
    assert items["score"].sum() == pytest.approx(85.0327604726101)
    whole = to_frame(pt.evaluate_document(document, "examples/petition-bureau-actuals.toml"))
    assert whole.shape[0] == 11
    assert set(whole["project_code"]) == {"13063722P0041681003"}


# --- monitoring -----------------------------------------------------------------------------------


def test_monitoring_report_is_numbers(report):
    """The money row first, then each indicator; amounts, rates and values are numbers."""
    frame = to_frame(report, decimals="float")
    money = frame.iloc[0]
    assert money["line"] == "budget"
    assert money["spent"] == pytest.approx(4.0)
    assert money["execution_rate"] == pytest.approx(40.0)
    assert money["status"] == "yellow"
    assert frame["execution_rate"].dtype == "float64"
    rate = frame[frame["indicator"] == "群众来访接待劝返率"].iloc[0]
    assert rate["value"] == pytest.approx(96.0)
    assert rate["likelihood"] == "certain"
    assert math.isnan(rate["spent"])
    office = frame[frame["indicator"] == "正常办公条件保障情况"].iloc[0]
    assert office["achievement"] == "partially achieved"
    zh = to_frame(report, lang="zh")
    assert zh["状态"].iloc[0] == "黄"
    assert zh["截至当期执行数"].iloc[0] == Decimal(4)
    assert zh[zh["三级指标"] == "群众来访接待劝返率"]["完成目标可能性"].iloc[0] == "确定能"
    assert zh["截至当期完成情况"].iloc[-1] == "部分达成"


def test_monitoring_indicators_findings_and_series(document, report):
    """Indicator lines, monitoring findings and a series of reports each give rows."""
    assert to_frame(report.indicators).shape[0] == len(report.indicators) == 2
    findings = to_frame(report.findings, lang="zh")
    assert list(findings.columns) == ["代码", "位置", "说明"]
    assert findings["代码"].iloc[0] == "checkpoint-missed"
    payments = pt.load_payments("examples/petition-bureau-payments.toml")
    series = pt.monitor_series(document.projects[0], payments=payments)
    frame = to_frame(series, decimals="float")
    assert frame.shape[0] == len(series)
    assert frame["execution_rate"].is_monotonic_increasing


# --- findings -------------------------------------------------------------------------------------


def test_findings_become_rows(seed_path):
    """The findings are a table of their fields, the message in the frame's one language."""
    findings = pt.review(pt.load(seed_path))
    frame = to_frame(findings)
    assert frame.shape[0] == len(findings)
    assert list(frame["code"])[:2] == ["PT501", "PT111"]
    columns = ["code", "severity", "path", "message", "help", "suppressed", "suppression_reason"]
    assert list(frame.columns) == columns
    assert frame["severity"].iloc[0] == "warning"
    assert frame["message"].tolist() == [f.message_en for f in findings]
    assert frame["suppressed"].dtype == bool
    assert frame["suppression_reason"].isna().all()
    zh = to_frame(findings, lang="zh")
    assert zh["级别"].iloc[0] == "警告"
    assert list(zh.columns) == ["规则", "级别", "位置", "问题", "修改建议", "已豁免", "豁免理由"]
    assert zh["问题"].tolist() == [f.message for f in findings]
    assert to_frame(list(findings), lang="zh").equals(zh)


# --- notebook display and str() -------------------------------------------------------------------


def test_repr_html(seed_path):
    """Jupyter shows the familiar form, styled: merged level cells with grid lines, the department's lists."""
    document = pt.load(seed_path)
    html = document.projects[0]._repr_html_()
    assert html.startswith('<div class="perftarget"><style>')
    assert "border:1px solid" in html
    assert '<table class="perftarget-project">' in html
    assert '<td rowspan="4">产出指标</td>' in html
    assert '<td rowspan="4">效益指标</td>' in html
    assert "博野县信访局本级 部门整体绩效目标" in document._repr_html_()
    assert document.department is not None
    assert "<ol>" in document.department._repr_html_()


def test_html_escapes_text():
    """User text is escaped in HTML."""
    indicator = pt.Indicator(level1="产出指标", level2="数量指标", name="<b>x</b>", target="≥1个")
    project = pt.ProjectTargets(
        unit=pt.Unit("1", "u"), code="P", name="n", year=2024, budget=pt.Budget(total=1),
        goals=[pt.Goal("g", [indicator])],
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in project._repr_html_()


def test_evaluation_displays_as_the_self_evaluation_form(evaluation):
    """A cell shows the 自评表 (HTML), print() the table as text, repr() one line."""
    html = evaluation._repr_html_()
    assert "<caption>常年驻京值班工作队值班费项目支出绩效自评表</caption>" in html
    assert '<td rowspan="4">产出指标</td>' in html
    assert '<tr class="sum"><th colspan="3">总分</th>' in html
    assert '<td class="num">94.23</td>' in html
    text = str(evaluation)
    assert text.startswith("常年驻京值班工作队值班费项目支出绩效自评表\n")
    assert "预算执行率" in text
    assert "94.23" in text
    assert repr(evaluation) == "<ProjectEvaluation 13063722P0041681003 常年驻京值班工作队值班费: 94.23 优, 9 indicators>"
    assert len(repr(evaluation)) < 100
    english = render(evaluation, "text", "en")
    assert "Score" in english
    assert "Total" in english
    assert "excellent" in english
    document_evaluation = pt.evaluate_document(pt.load("examples/petition-bureau.toml"),
                                               "examples/petition-bureau-actuals.toml")
    assert "94.23" in repr(document_evaluation)
    assert "自评表" in document_evaluation._repr_html_()


def test_report_displays_as_the_monitoring_form(report):
    """A monitoring report shows the 监控表: the money block, the indicator lines, the findings."""
    html = report._repr_html_()
    assert "项目绩效运行监控表" in html
    assert "<th>完成目标可能性</th>" in html
    assert "<td>确定能</td>" in html
    assert "checkpoint-missed" in html
    text = str(report)
    assert "执行率" in text
    assert "40.00%" in text
    assert "黄灯" in text
    assert repr(report).startswith("<MonitoringReport 13063722P0041681003")
    assert len(repr(report)) < 160
    assert "certain" in render(report, "text", "en")


def test_findings_display_as_a_table(document):
    """Table(findings) shows the review findings as a table; the text form leaves out the long help."""
    findings = pt.review(document)
    table = Table(findings)
    html = table._repr_html_()
    assert "<caption>审核意见（0 个错误，6 个警告，5 个提示）</caption>" in html
    assert html.count("<tr>") == 1 + len(findings)  # the headings, one row each
    assert '<td class="num">1</td><td>PT501</td><td>警告</td>' in html
    assert html == findings._repr_html_()
    text = str(table)
    assert "0 个错误，6 个警告，5 个提示" in text
    assert "修改建议" not in text
    assert "| 1 | PT501 | warning |" in Table(findings, "en")._repr_markdown_()
    assert repr(table) == "<Table of <Findings: 6 warnings, 5 info>>"
    assert repr(Table(list(findings))) == f"<Table of {len(findings)} findings>"


def test_print_project_shows_the_table(document):
    """print(project) lays out the table; the model's repr() stays the full, exact one."""
    project = document.projects[0]
    assert str(project).startswith("常年驻京值班工作队值班费项目绩效目标表\n")
    assert repr(project).startswith("ProjectTargets(")
    assert "项目绩效目标表" in str(document)


# --- properties -------------------------------------------------------------------------------------


@given(project=project_targets())
@settings(max_examples=10)
def test_any_table_gives_one_typed_row_per_indicator(project):
    """Any project table: one row per indicator, numbers as Decimal or float, never empty text; its forms lay out."""
    frame = to_frame(project, decimals="float")
    assert frame.shape[0] == len(project.indicators)
    assert frame["target_value"].dtype == "float64"
    exact = records(project)
    assert [row["target_value"] for row in exact] == [i.target.value for i in project.indicators]
    assert all(value != "" for row in exact for value in row.values())
    html = project._repr_html_()
    assert html.count("<tr>") == html.count("</tr>")
    assert "<script" not in html.replace("&lt;script", "")
    assert str(project).count("\n") >= len(project.indicators)
