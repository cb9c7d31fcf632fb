"""PT6xx document: what a finance bureau rejects at once about the tables of one document as a whole.

A document is one unit's submission for one budget year: each project appears once, under a
code and a name, and all are for the same year (PT505 compares them with the department part).
"""

from __future__ import annotations

from collections.abc import Iterator

from perftarget._judge.review import Rule, RuleContext, RuleExample, Scope, Severity, Violation
from perftarget.rules._text import is_not_applicable_text

__all__ = ["RULES"]


def _join(base: str, field: str) -> str:
    return f"{base}.{field}" if base else field


def _duplicate_codes(ctx: RuleContext) -> Iterator[Violation]:
    seen: dict[str, int] = {}
    for index, project in enumerate(ctx.document.projects):
        code = project.code.strip()
        if not code:
            continue  # PT603
        first = seen.setdefault(code, index)
        if first != index:
            yield Violation(
                _join(ctx.project_path(index), "code"),
                {
                    "code": code,
                    "name": project.name.strip(),
                    "other": ctx.project_path(first) or "projects[0]",
                    "other_name": ctx.document.projects[first].name.strip(),
                },
            )


def _years_differ(ctx: RuleContext) -> Iterator[Violation]:
    document = ctx.document
    if document.department is not None or len(document.projects) < 2:  # noqa: PLR2004 - PT505 with a department
        return
    first = document.projects[0]
    for index, project in enumerate(document.projects[1:], start=1):
        if project.year != first.year:
            yield Violation(
                _join(ctx.project_path(index), "year"),
                {"name": project.name.strip(), "year": project.year, "first": first.name.strip(),
                 "first_year": first.year},
            )


def _no_code_or_name(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    for field, value, what in (("code", project.code, "项目编码"), ("name", project.name, "项目名称")):
        if not value.strip() or is_not_applicable_text(value):
            english = "code (项目编码)" if field == "code" else "name (项目名称)"
            other = project.name.strip() if field == "code" else project.code.strip()
            yield ctx.violation(field, what=what, what_en=english, other=other or "（空）")


def _no_unit(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    if not project.unit.name.strip() or is_not_applicable_text(project.unit.name):
        yield ctx.violation("unit.name", name=project.name.strip() or project.code.strip() or "（空）")


_TWO_PROJECTS = '[[projects]]\n\n[[projects]]\nname = "信访接待场所运行维护"\n{second}'

RULES: tuple[Rule, ...] = (
    Rule(
        code="PT601",
        severity=Severity.ERROR,
        scope=Scope.DOCUMENT,
        title="Two projects with the same code",
        title_zh="两个项目的项目编码相同",
        message="项目编码“{code}”重复：项目“{name}”与 {other}（“{other_name}”）编码相同",
        message_en="the project code “{code}” is used twice: “{name}” and {other} (“{other_name}”)",
        help=(
            "A project code (项目编码) names one project of the budget: the budget system keys targets, money, "
            "monitoring and self-evaluation by it, so a document with two projects of one code is refused. Give "
            "each project its own code from the project library (项目库), or merge the two tables."
        ),
        help_zh=(
            "项目编码对应预算中的一个项目：预算系统按项目编码关联绩效目标、资金、绩效运行监控和绩效自评，"
            "因此一个文档中两个项目编码相同的，不予受理。请为每个项目填写其在项目库中的编码，或将两张表合并。"
        ),
        check=_duplicate_codes,
        fail_example=RuleExample(_TWO_PROJECTS.format(second=""), "document"),
        pass_example=RuleExample(_TWO_PROJECTS.format(second='code = "13063722P0041681004"\n'), "document"),
    ),
    Rule(
        code="PT602",
        severity=Severity.WARNING,
        scope=Scope.DOCUMENT,
        title="Projects of different budget years",
        title_zh="各项目的预算年度不同",
        message="项目“{name}”的预算年度为 {year}，同一文档中的项目“{first}”为 {first_year}",
        message_en="project “{name}” is for {year}, but project “{first}” of the same document is for {first_year}",
        help=(
            "A document holds one unit's targets for one budget year. Without a department part (PT505 compares "
            "the projects with it), the projects are compared with the first: check the year of the one that "
            "differs, or put each year's tables in a document of its own."
        ),
        help_zh=(
            "一个文档包含一个预算单位一个预算年度的绩效目标。没有部门整体绩效目标时（有则由PT505将项目与之比较），"
            "各项目与第一个项目比较：请核对年度不同的项目，或将各年度的表分别放入各自的文档。"
        ),
        check=_years_differ,
        fail_example=RuleExample(
            _TWO_PROJECTS.format(second='code = "13063722P0041681004"\nyear = 2023\n'
                                        "schedule = {fiscal_year = 2023, checkpoints = ["
                                        '{date = 2023-12-31, percent = 100, label = "12月底"}]}\n'),
            "document",
        ),
        pass_example=RuleExample(_TWO_PROJECTS.format(second='code = "13063722P0041681004"\n'), "document"),
    ),
    Rule(
        code="PT603",
        severity=Severity.ERROR,
        scope=Scope.PROJECT,
        title="Project without a code or a name",
        title_zh="项目缺少编码或名称",
        message="{what}为空（项目：{other}）",
        message_en="the project's {what_en} is empty (project: {other})",
        help=(
            "Every project table names its project by the code of the project library (项目编码) and by its name "
            "(项目名称); the budget system matches tables, money and results by them. Fill in both as they "
            "stand in the project library."
        ),
        help_zh=(
            "每张项目绩效目标表都以项目库中的项目编码和项目名称标明所属项目；预算系统据此匹配表格、资金和结果。"
            "请按项目库中的登记填写这两项。"
        ),
        check=_no_code_or_name,
        fail_example=RuleExample('code = ""\n', "project"),
        pass_example=RuleExample('code = "13063722P0041681003"\n', "project"),
    ),
    Rule(
        code="PT604",
        severity=Severity.ERROR,
        scope=Scope.PROJECT,
        title="Budget unit not named",
        title_zh="未填写预算单位名称",
        message="项目“{name}”没有填写预算单位名称",
        message_en="project “{name}” does not name its budget unit (预算单位)",
        help=(
            "A target table is submitted by a budget unit (预算单位), which answers for its targets; a table "
            "without the unit's name cannot be filed. Fill in the unit's name (and code) as in the budget."
        ),
        help_zh=(
            "绩效目标表由预算单位报送，并由其对绩效目标负责；没有预算单位名称的表无法归档。请按预算填写单位名称（及单位"
            "编码）。"
        ),
        check=_no_unit,
        fail_example=RuleExample('unit = {code = "230001", name = ""}\n', "project"),
        pass_example=RuleExample('unit = {code = "230001", name = "博野县信访局本级"}\n', "project"),
    ),
)
