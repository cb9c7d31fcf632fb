"""Tables for analysts: records, DataFrames and notebook HTML."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

import perftarget as pt
from perftarget.frame import records, to_frame


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


def test_frame_is_a_dataframe(seed_path):
    """to_frame returns a pandas DataFrame with a row per indicator."""
    frame = to_frame(pt.load(seed_path))
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape[0] == 13


def test_unknown_type_refused():
    """Objects with no table form are refused clearly."""
    with pytest.raises(TypeError, match="no table form for int"):
        records(5)


def test_repr_html(seed_path):
    """Jupyter shows the familiar form: merged level cells and the department's lists."""
    document = pt.load(seed_path)
    html = document.projects[0]._repr_html_()
    assert html.startswith('<table class="perftarget-project">')
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


def test_findings_become_rows(seed_path):
    """A list of findings is a table of their fields."""
    findings = pt.review(pt.load(seed_path))
    frame = to_frame(findings)
    assert frame.shape[0] == len(findings)
    assert list(frame["code"])[:2] == ["PT501", "PT111"]
    assert {"severity", "path", "message", "message_en", "help"} <= set(frame.columns)
