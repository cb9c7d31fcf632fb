"""Properties of review(): it never raises on valid documents, clean documents have no errors,
the order and the selection behave, and a table's suppressions do exactly what they say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

import perftarget as pt
from perftarget._codec.convert import from_dict, to_dict
from perftarget._judge.review import Finding, Severity, _finding_key
from perftarget._values.levels import schemas_of, to_level1, to_level2
from perftarget.rules import BUILTIN_RULES, review
from perftarget.testing import (
    amounts,
    budgets,
    department_targets,
    documents,
    project_targets,
    qualitative_statements,
    schedules,
    text,
    thresholds,
    units,
)
from perftarget.values import Level1, Level2, Schema

CODES = [rule.code for rule in BUILTIN_RULES]

# --- documents built to be clean -------------------------------------------------------------

# (level-1, level-2 or None for the schema's cost level, name, description, unit, comparator, upper bound)
_TEMPLATES = {
    Level1.OUTPUT: (
        ("接待来访人次", "全年接待来访群众的人次", "人次", "≥", 100000),
        ("驻京值班天数", "全年驻京值班的天数", "天", "≥", 366),
        ("来信办理及时率", "按期办结的来信占比", "%", "≥", 100),
        ("信访事项按期办结", "在规定期限内办结信访事项", None, None, None),
    ),
    Level1.BENEFIT: (
        ("矛盾纠纷化解率", "化解的矛盾纠纷占受理数的比例", "%", "≥", 100),
        ("群众来访劝返率", "劝返的来访群众人数占来访人数的比例", "%", "≥", 100),
        ("越级上访发生次数", "全年越级上访的次数", "次", "≤", 1000),
    ),
    Level1.SATISFACTION: (("来访群众满意度", "问卷中表示满意的来访群众占比", "%", "≥", 100),),
}
_LEVEL2 = {
    Level1.OUTPUT: (Level2.QUANTITY, Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS),
    Level1.BENEFIT: (Level2.SOCIAL_BENEFIT, Level2.SOCIAL_BENEFIT, Level2.SUSTAINABILITY),
    Level1.SATISFACTION: (Level2.SERVICE_SATISFACTION,),
}
_NATIONAL = {Level1.OUTPUT: 50, Level1.BENEFIT: 30, Level1.SATISFACTION: 10}


@st.composite
def _clean_row(draw: st.DrawFn, level1: Level1, serial: int) -> pt.Indicator:
    choice = draw(st.integers(0, len(_TEMPLATES[level1]) - 1))
    name, description, unit, comparator, ceiling = _TEMPLATES[level1][choice]
    if unit is None:
        target = pt.Threshold.qualitative(draw(st.sampled_from(["按时办结", "在规定期限内完成", "及时"])))
    else:
        value = draw(st.decimals(min_value=0, max_value=ceiling, places=draw(st.integers(0, 2))))
        target = pt.Threshold.parse(f"{comparator}{value}{unit}")
    return pt.Indicator(
        level1=level1,
        level2=_LEVEL2[level1][choice],
        name=f"{name}{serial}",
        description=description,
        target=target,
        basis=draw(st.sampled_from(["工作要求", "历年数据", "信访工作条例"])),
    )


@st.composite
def _cost_row(draw: st.DrawFn, schema: Schema, budget: pt.Budget, serial: int) -> pt.Indicator:
    value = draw(st.decimals(min_value=0, max_value=budget.total, places=2))
    unit = draw(st.sampled_from(["万元", "元"]))
    amount = value if unit == "万元" else value * 10000
    level1, level2 = (Level1.OUTPUT, Level2.COST) if schema is Schema.CLASSIC else (Level1.COST, Level2.ECONOMIC_COST)
    return pt.Indicator(
        level1=level1,
        level2=level2,
        name=f"值班费总额{serial}",
        description="全年值班费用",
        target=pt.Threshold.at_most(amount, unit),
        basis="预算批复",
    )


def _split(points: int, count: int, cuts: list[int]) -> list[int]:
    """``points`` split into ``count`` whole parts at the given cut points."""
    marks = sorted(min(max(c, 0), points) for c in cuts[: count - 1])
    edges = [0, *marks, points]
    return [edges[i + 1] - edges[i] for i in range(count)]


@st.composite
def clean_projects(draw: st.DrawFn, year: int) -> pt.ProjectTargets:
    """A project table that no error rule can fault (and whose weights, if any, add up)."""
    schema = draw(st.sampled_from(list(Schema)))
    budget = draw(budgets())
    counts = {level: draw(st.integers(1, 3)) for level in _TEMPLATES}
    rows: list[pt.Indicator] = []
    serial = 0
    for level, count in counts.items():
        for _ in range(count):
            rows.append(draw(_clean_row(level, serial)))
            serial += 1
    for _ in range(draw(st.integers(0, 2))):
        rows.append(draw(_cost_row(schema, budget, serial)))
        serial += 1
    if draw(st.booleans()):
        blocks: dict[Level1, list[int]] = {}
        for index, row in enumerate(rows):
            level = Level1.OUTPUT if row.level1 is Level1.COST else row.level1
            assert isinstance(level, Level1)
            blocks.setdefault(level, []).append(index)
        for level, indices in blocks.items():
            cuts = draw(st.lists(st.integers(0, _NATIONAL[level]), min_size=len(indices), max_size=len(indices)))
            for index, weight in zip(indices, _split(_NATIONAL[level], len(indices), cuts), strict=True):
                rows[index] = attrs.evolve(rows[index], weight=weight)
    rows = draw(st.permutations(rows))
    if draw(st.booleans()):
        rows.append(
            pt.Indicator(
                level1=Level1.BENEFIT,
                level2=Level2.ECOLOGICAL_BENEFIT,
                name="无",
                target="无",
                description="无",
                basis="无",
            )
        )
    return pt.ProjectTargets(
        unit=draw(units()),
        code=draw(st.from_regex(r"\A[0-9]{8}P[0-9]{10}\Z")),
        name=draw(st.sampled_from(["常年驻京值班工作队值班费", "群众来访接待经费", "信访信息化运维"])),
        year=year,
        budget=budget,
        purpose=draw(st.sampled_from(["", "保障驻京值班工作队的值班费用"])),
        schedule=draw(st.none() | schedules(year)),
        goals=(pt.Goal(draw(st.sampled_from(["做好来访群众接待劝返工作", "保障信访工作正常运转"])), rows),),
        year_assumed=draw(st.booleans()),
    )


@st.composite
def _clean_department(draw: st.DrawFn, year: int) -> pt.DepartmentTargets:
    goals = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            indicator = pt.Indicator(name="群众来访劝返率", target=draw(st.sampled_from(["大于 95%", "不低于 95%"])))
        else:
            indicator = pt.Indicator(name=draw(text()), target=pt.Threshold.qualitative(draw(qualitative_statements())))
        goals.append(pt.Goal(draw(st.sampled_from(["保障人员正常工作、生活", "劝返群众来访人数占比"])), (indicator,)))
    return pt.DepartmentTargets(unit=draw(units()), year=year, goals=tuple(goals))


@st.composite
def clean_documents(draw: st.DrawFn) -> pt.Document:
    """Documents built to pass every error-severity rule."""
    year = draw(st.integers(2015, 2035))
    return pt.Document(
        department=draw(st.none() | _clean_department(year)),
        projects=tuple(draw(st.lists(clean_projects(year), min_size=1, max_size=3, unique_by=lambda p: p.code))),
    )


# --- documents built to trip every rule ---------------------------------------------------------

_LABELS1 = st.one_of(
    st.none(), st.sampled_from(list(Level1)), st.sampled_from(["", "成效指标", "产出指标(50分)", "无"])
)
_LABELS2 = st.one_of(
    st.none(), st.sampled_from(list(Level2)), st.sampled_from(["", "社会公众或服务对象满意度指标", "/", "满意度指标"])
)
_NAMES = st.one_of(
    text(),
    st.sampled_from(
        [
            "",
            "无",
            "/",
            "在岗人员出勤率",
            "巡查频率",
            "来访群众满意度",
            "不满意率",
            "群众投诉率",
            "项目资金执行率",
            "足额保障率",
            "接访量增长率",
            "值班费总额",
            "群众来访劝返率",
            "群众来访接待劝返率",
            "率",
            "满意",
        ]
    ),
)
_TARGETS = st.one_of(
    thresholds(),
    st.sampled_from(
        [
            "≥105%",
            ">100%",
            "≤90万元",
            "100%",
            "≥8小时/天",
            "≥95",
            "≥1001‰",
            "≤95000元",
            "≥2万元/人",
            "大于 95%",
            "90%~101%",
            "无",
            "≤123456789012345678901234567890.125万元",
            "≥123456789012345678901234567890.5%",
        ]
    ).map(pt.Threshold.parse),
)
_SUPPRESSIONS = st.lists(
    st.builds(pt.Suppression, st.sampled_from([*CODES, "PT3", "PT", "PT999", "BY101", " pt302 "]), st.just("原因")),
    max_size=3,
).map(tuple)


@st.composite
def _wild_indicator(draw: st.DrawFn) -> pt.Indicator:
    level1, level2 = to_level1(draw(_LABELS1)), to_level2(draw(_LABELS2))
    if isinstance(level1, Level1) and isinstance(level2, Level2) and not schemas_of(level1, level2):
        level2 = None
    return pt.Indicator(
        level1=level1,
        level2=level2,
        name=draw(_NAMES),
        description=draw(_NAMES),
        target=draw(_TARGETS),
        basis=draw(st.none() | st.sampled_from(["", "无", "工作要求"])),
        weight=draw(st.none() | amounts(max_value=60, places=1)),
        key=draw(st.none() | st.sampled_from(["a", "b"])),
        suppressions=draw(_SUPPRESSIONS),
    )


_GOALS = st.lists(
    st.builds(
        pt.Goal,
        st.sampled_from(["", "无", "目标内容 1", "目标1：", "劝返"]),
        st.lists(_wild_indicator(), max_size=6).map(tuple),
    ),
    max_size=3,
).map(tuple)


@st.composite
def _wild_budget(draw: st.DrawFn) -> pt.Budget:
    total = draw(amounts(max_value=100))
    part = draw(amounts(max_value=200))
    return draw(
        st.sampled_from(
            [
                pt.Budget(total=total, fiscal=part),
                pt.Budget(total=total, other=part),
                pt.Budget(total=Decimal(0)),
            ]
        )
    )


@st.composite
def _wild_schedule(draw: st.DrawFn, year: int) -> pt.SpendingSchedule | None:
    kind = draw(st.sampled_from(["none", "empty", "valid", "multi", "april"]))
    if kind == "none":
        return None
    if kind == "empty":
        return pt.SpendingSchedule(fiscal_year=year, checkpoints=())
    if kind == "valid":
        return draw(schedules(year))
    if kind == "april":
        return pt.SpendingSchedule.from_labels(year, {"6月底": 10, "3月底": 100}, start_month=4)
    low = draw(st.decimals(min_value=0, max_value=50, places=1))
    return pt.SpendingSchedule(
        fiscal_year=year,
        multi_year=True,
        checkpoints=(
            pt.Checkpoint(date=dt.date(year, 7, 2), percent=low),
            pt.Checkpoint(date=dt.date(year, 12, 31), percent=low + draw(amounts(max_value=50, places=1))),
        ),
    )


@st.composite
def wild_documents(draw: st.DrawFn) -> pt.Document:
    """Valid documents full of what the rules look for: odd labels, names, targets, suppressions."""
    year = draw(st.integers(2015, 2035))
    projects = []
    for _ in range(draw(st.integers(0, 3))):
        project_year = draw(st.sampled_from([year, year + 1]))
        projects.append(
            pt.ProjectTargets(
                unit=draw(units()),
                code="P",
                name=draw(_NAMES),
                year=project_year,
                budget=draw(_wild_budget()),
                purpose=draw(_NAMES),
                schedule=draw(_wild_schedule(project_year)),
                goals=draw(_GOALS),
                suppressions=draw(_SUPPRESSIONS),
                year_assumed=draw(st.booleans()),
            )
        )
    department = draw(st.none() | st.builds(pt.DepartmentTargets, unit=units(), year=st.just(year), goals=_GOALS))
    return pt.Document(department=department, projects=tuple(projects))


# --- the properties -----------------------------------------------------------------------------


@given(documents(), st.one_of(project_targets(schema=Schema.CORE2021), department_targets()))
def test_review_never_raises_on_generated_documents(document, table):
    """Any document the public strategies generate is reviewed without an exception, in order;
    so is each of its tables on its own, and a 2021-schema project or a department part alone."""
    findings = review(document)
    assert findings == sorted(findings, key=_finding_key)
    assert all(f.code in CODES for f in findings)
    for alone in (*document.projects, document.department, table):
        if alone is not None:
            assert all(isinstance(f, Finding) for f in review(alone))


@given(wild_documents(), st.booleans())
def test_review_never_raises_on_wild_documents(document, include_suppressed):
    """Documents built to trip the rules are reviewed completely and deterministically (the
    selection cache changes nothing); every finding is well-formed and round-trips through
    the converter."""
    findings = review(document, include_suppressed=include_suppressed)
    assert findings == review(document, include_suppressed=include_suppressed, select=["ALL"])
    assert [from_dict(to_dict(f), Finding) for f in findings] == findings
    for finding in findings:
        assert finding.code in CODES
        assert finding.message
        assert finding.message_en
        assert finding.help
        assert "{" not in finding.message
        assert "{" not in finding.message_en
        assert finding.suppressed <= include_suppressed
    assert findings == sorted(findings, key=_finding_key)


@given(clean_documents())
def test_clean_documents_have_no_errors(document):
    """A document built to be clean has no error-severity finding, and its weights add up."""
    findings = review(document)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert not {"PT502", "PT503"} & {f.code for f in findings}


@given(wild_documents(), st.sampled_from(["PT1", "PT2", "PT3", "PT4", "PT5", "PT30", "PT501"]))
def test_select_is_a_filter(document, prefix):
    """Selecting a prefix gives exactly the full review's findings with that prefix (PT504 aside:
    whether a suppression is unused depends on which rules ran)."""
    everything = review(document, ignore=["PT504"])
    assert review(document, select=[prefix], ignore=["PT504"]) == [f for f in everything if f.code.startswith(prefix)]
    assert review(document, ignore=[prefix, "PT504"]) == [f for f in everything if not f.code.startswith(prefix)]


@given(wild_documents())
def test_a_table_alone_matches_the_document(document):
    """Reviewing a project alone gives its findings within the document, with the prefix removed
    (document rules that compare tables with each other aside, and PT504, since a suppression
    of such a rule is used only inside the document)."""
    cross = {"PT501", "PT504", "PT505", "PT601", "PT602"}
    for index, project in enumerate(document.projects):
        prefix = f"projects[{index}]."
        inside = [(f.path.removeprefix(prefix), f.code) for f in review(document) if f.path.startswith(prefix)]
        alone = [(f.path, f.code) for f in review(project)]
        assert [row for row in inside if row[1] not in cross] == [row for row in alone if row[1] not in cross]


@given(clean_documents() | wild_documents())
def test_suppressing_each_finding_removes_exactly_it(document):
    """Suppressing every indicator finding on its indicator leaves only the other findings,
    and those suppressions are all used (no PT504 for them)."""
    document = _strip_suppressions(document)
    findings = review(document)
    by_indicator: dict[str, set[str]] = {}
    for finding in findings:
        head, found, _ = finding.path.partition(".indicators[")
        if found and head.startswith("projects["):
            index = finding.path.index("]", len(head) + len(found))
            by_indicator.setdefault(finding.path[: index + 1], set()).add(finding.code)
    suppressed = _suppress(document, by_indicator)
    remaining = review(suppressed)
    assert remaining == [
        f for f in findings if not any(f.path.startswith(p + ".") and f.code in c for p, c in by_indicator.items())
    ]
    marked = [f for f in review(suppressed, include_suppressed=True) if f.suppressed]
    assert len(marked) == len(findings) - len(remaining)


def _strip_goals(goals: tuple[pt.Goal, ...]) -> tuple[pt.Goal, ...]:
    return tuple(
        attrs.evolve(goal, indicators=tuple(attrs.evolve(i, suppressions=()) for i in goal.indicators))
        for goal in goals
    )


def _strip_suppressions(document: pt.Document) -> pt.Document:
    projects = tuple(attrs.evolve(p, goals=_strip_goals(p.goals), suppressions=()) for p in document.projects)
    department = document.department
    if department is not None:
        department = attrs.evolve(department, goals=_strip_goals(department.goals))
    return attrs.evolve(document, projects=projects, department=department)


def _suppress(document: pt.Document, by_indicator: dict[str, set[str]]) -> pt.Document:
    projects = []
    for p, project in enumerate(document.projects):
        goals = []
        for g, goal in enumerate(project.goals):
            indicators = []
            for i, indicator in enumerate(goal.indicators):
                codes = by_indicator.get(f"projects[{p}].goals[{g}].indicators[{i}]", set())
                indicators.append(
                    attrs.evolve(indicator, suppressions=tuple(pt.Suppression(c, "已确认") for c in sorted(codes)))
                )
            goals.append(attrs.evolve(goal, indicators=tuple(indicators)))
        projects.append(attrs.evolve(project, goals=tuple(goals)))
    return attrs.evolve(document, projects=tuple(projects))
