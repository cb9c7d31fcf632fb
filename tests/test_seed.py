"""The seed (examples/petition-bureau.toml) holds every row of the published text."""

from __future__ import annotations

from decimal import Decimal

import perftarget as pt
from perftarget.values import Level1, Level2, ThresholdKind


def test_unit_year_and_notes(seed_path):
    """Unit 230001 博野县信访局本级; the unprinted year is marked assumed and explained."""
    document = pt.load(seed_path)
    assert document.department is not None
    assert pt.Unit("230001", "博野县信访局本级") == document.department.unit
    assert document.department.year_assumed
    assert document.projects[0].year_assumed
    assert "assumed" in document.notes


def test_department_part(seed_path):
    """Ten duties as printed, four sub-goals with their indicators, seven measures."""
    department = pt.load(seed_path).department
    assert department is not None
    assert len(department.duties) == 10
    assert department.duties[0] == "研究提出全县信访工作思路。"
    assert [g.content for g in department.goals] == [
        "保障人员正常工作、生活",
        "劝返群众来访人数占比",
        "按时足额发放工资、补贴",
        "经费支出准确",
    ]
    rate = department.goals[1].indicators[0]
    assert rate.name == "群众来访劝返率"
    assert rate.description == "群众来访劝返率大于 95%。"
    assert str(rate.target) == ">95%"
    assert len(department.measures) == 7
    assert department.measures[2].title == "加强绩效运行监控。"


def test_project_header(seed_path):
    """Code, name, budget 10.00 万元 (fiscal 10.00, other blank), fund use."""
    project = pt.load(seed_path).project("13063722P0041681003")
    assert project.name == "常年驻京值班工作队值班费"
    assert project.budget == pt.Budget(total=Decimal("10.00"), fiscal=Decimal("10.00"))
    assert project.budget.other is None
    assert project.purpose == "常年驻京值班工作队值班费"


def test_project_plan(seed_path):
    """25/50/75/100 % by the end of March, June, October and December."""
    schedule = pt.load(seed_path).projects[0].schedule
    assert schedule is not None
    assert [(c.label, c.percent, c.date.month, c.date.day) for c in schedule.checkpoints] == [
        ("3月底", 25, 3, 31),
        ("6月底", 50, 6, 30),
        ("10月底", 75, 10, 31),
        ("12月底", 100, 12, 31),
    ]


def test_nine_indicator_rows(seed_path):
    """All nine rows, the two 无 rows included, with mended names, descriptions and bases."""
    project = pt.load(seed_path).projects[0]
    rows = [
        (i.level1, i.level2, i.name, i.description, str(i.target), str(i.basis)) for i in project.indicators
    ]
    assert rows == [
        (Level1.OUTPUT, Level2.QUANTITY, "工作日保障单位运转", "在岗人员出勤率", "≥8小时/天", "工作要求"),
        (Level1.OUTPUT, Level2.QUALITY, "群众来访接待劝返率", "劝返群众来访人数占比", "≥95%", "接劝返比例"),
        (Level1.OUTPUT, Level2.TIMELINESS, "按时间进度要求支付使用资金", "月度时序", "按时发放", "发放期限"),
        (Level1.OUTPUT, Level2.COST, "经费支出准确率", "准确率", "≥98%", "差旅保险标准"),
        (Level1.BENEFIT, Level2.SOCIAL_BENEFIT, "正常办公条件保障情况", "保障办公条件", "良好", "办公条件"),
        (Level1.BENEFIT, Level2.ECOLOGICAL_BENEFIT, "无", "无", "无", "无"),
        (Level1.BENEFIT, Level2.SUSTAINABILITY, "重点敏感时期覆盖率", "对重大时间节点的维稳安排情况", "≥95%",
         "保障维稳工作效果"),
        (Level1.BENEFIT, Level2.ECONOMIC_BENEFIT, "无", "无", "无", "无"),
        (Level1.SATISFACTION, Level2.SERVICE_SATISFACTION, "上访人员满意度", "满意度", "≥98%", "调查问卷"),
    ]
    assert [i.applicable for i in project.indicators].count(False) == 2
    assert project.indicators[0].target.display == "≥8 小时/天"
    assert project.indicators[2].target.kind is ThresholdKind.QUALITATIVE
