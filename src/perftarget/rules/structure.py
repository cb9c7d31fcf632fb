"""PT2xx structure: the indicator tree is one national tree, without duplicates or stray 无."""

from __future__ import annotations

from collections.abc import Iterator

from perftarget._judge.review import Rule, RuleContext, RuleExample, Scope, Severity, Violation
from perftarget._model.targets import Goal, Indicator
from perftarget._values.levels import Level1, Level2
from perftarget.rules._common import ROW_FIELDS, Table, at, is_empty_row, is_row, label, row, shown, tables, target_text
from perftarget.rules._text import is_not_applicable_text, normalize_name

__all__ = ["RULES"]


def _unknown_level1(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    value = indicator.level1
    if isinstance(value, str) and not is_not_applicable_text(value):
        yield ctx.violation("level1", label=value.strip())


def _suggest_level2(text: str) -> tuple[str, str]:
    for word, member in (
        ("满意", Level2.SERVICE_SATISFACTION),
        ("社会效益", Level2.SOCIAL_BENEFIT),
        ("经济效益", Level2.ECONOMIC_BENEFIT),
        ("生态", Level2.ECOLOGICAL_BENEFIT),
        ("可持续", Level2.SUSTAINABILITY),
        ("数量", Level2.QUANTITY),
        ("质量", Level2.QUALITY),
        ("时效", Level2.TIMELINESS),
    ):
        if word in text:
            return f"，可改为“{member.label}”", f"; use “{member.label}”"
    return "", ""


def _unknown_level2(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    value = indicator.level2
    if isinstance(value, str) and not is_not_applicable_text(value):
        text = value.strip()
        suggestion, suggestion_en = _suggest_level2(text)
        yield ctx.violation("level2", label=text, suggestion=suggestion, suggestion_en=suggestion_en)


def _missing_level(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if ctx.project is None and indicator.level1 is None and indicator.level2 is None:
        return  # a department narrative's indicator: no levels at all
    for field, value, what in (("level1", indicator.level1, "一级"), ("level2", indicator.level2, "二级")):
        if value is None or (isinstance(value, str) and is_not_applicable_text(value)):
            english = "level-1" if field == "level1" else "level-2"
            yield ctx.violation(field, name=shown(indicator), what=what, what_en=english)


def _schema_of(level1: object, level2: object) -> str | None:
    if level2 is Level2.COST:
        return "classic"
    if (
        level1 is Level1.COST
        or level2 is Level2.ECONOMIC_COST
        or level2 is Level2.SOCIAL_COST
        or level2 is Level2.ECOLOGICAL_COST
    ):
        return "core2021"
    return None


def _levels(indicator: Indicator) -> str:
    return f"{label(indicator.level1)}/{label(indicator.level2)}".rstrip("/")


def _mixed_schema(ctx: RuleContext) -> Iterator[Violation]:
    for table in tables(ctx):
        yield from _mixed_in(table)


def _mixed_in(table: Table) -> Iterator[Violation]:
    first: tuple[str, int, int, Indicator] | None = None  # (schema, goal, place, indicator)
    for g, goal in enumerate(table.goals):
        for i, indicator in enumerate(goal.indicators):
            schema = _schema_of(indicator.level1, indicator.level2)
            if schema is None:
                continue
            if first is None:
                first = (schema, g, i, indicator)
            elif schema != first[0]:
                yield Violation(
                    at(table, f"goals[{g}].indicators[{i}].level1"),
                    {
                        "label": _levels(indicator),
                        "other": _levels(first[3]),
                        "other_path": at(table, f"goals[{first[1]}].indicators[{first[2]}]"),
                        "schema": _SCHEMA_ZH[schema],
                        "other_schema": _SCHEMA_ZH[first[0]],
                        "schema_en": _SCHEMA_EN[schema],
                        "other_schema_en": _SCHEMA_EN[first[0]],
                    },
                )
                return


_SCHEMA_ZH = {"classic": "88号/10号", "core2021": "101号"}
_SCHEMA_EN = {"classic": "classic (88号/10号)", "core2021": "core2021 (101号)"}


def _table_goals(ctx: RuleContext) -> Iterator[tuple[str, tuple[Goal, ...]]]:
    document = ctx.document
    if document.department is not None:
        yield ctx.department_path, document.department.goals
    for index, project in enumerate(document.projects):
        yield ctx.project_path(index), project.goals


def _duplicates(ctx: RuleContext) -> Iterator[Violation]:
    for table, goals in _table_goals(ctx):
        names: dict[str, tuple[int, int]] = {}
        keys: dict[str, tuple[int, int]] = {}
        prefix = f"{table}.goals" if table else "goals"
        for g, goal in enumerate(goals):
            for i, indicator in enumerate(goal.indicators):
                place = (g, i)  # the path is written only for a duplicate
                if indicator.key is not None:
                    earlier = keys.setdefault(indicator.key, place)
                    if earlier != place:
                        yield Violation(
                            f"{prefix}[{g}].indicators[{i}].key",
                            {"what": "指标键", "what_en": "key", "name": indicator.key, "other": _at(prefix, earlier)},
                        )
                if not is_row(indicator):
                    continue
                normalized = normalize_name(indicator.name)
                if not normalized:
                    continue
                earlier = names.setdefault(normalized, place)
                if earlier != place:
                    yield Violation(
                        f"{prefix}[{g}].indicators[{i}].name",
                        {
                            "what": "指标名称",
                            "what_en": "name",
                            "name": indicator.name.strip(),
                            "other": _at(prefix, earlier),
                        },
                    )


def _at(prefix: str, place: tuple[int, int]) -> str:
    return f"{prefix}[{place[0]}].indicators[{place[1]}]"


def _not_applicable_row(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if (
        not indicator.target.is_applicable
        and is_not_applicable_text(indicator.name)
        and not is_empty_row(indicator)  # nothing written, not even 无: PT208
    ):
        level = label(indicator.level2) or label(indicator.level1) or "（未分级）"
        yield ctx.violation("target", level=level)


def _named_not_applicable(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    target = indicator.target
    if (target.is_quantitative or target.is_qualitative) and is_not_applicable_text(indicator.name):
        yield ctx.violation("name", name=indicator.name.strip() or "（空）", target=target_text(indicator.target))


def _empty_row(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if is_empty_row(indicator):
        yield ctx.violation("name", level=label(indicator.level2) or label(indicator.level1) or "（未分级）")


RULES: tuple[Rule, ...] = (
    Rule(
        code="PT201",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Unknown level-1 label",
        title_zh="一级指标不在国家指标体系中",
        message="一级指标“{label}”不在国家指标体系中（产出、效益、满意度、成本指标）",
        message_en="level-1 “{label}” is not in either national tree (产出, 效益, 满意度, 成本指标)",
        help=(
            "perftarget keeps a label it does not know as text, but scoring and the other rules only understand the "
            "national level-1s: 产出指标, 效益指标, 满意度指标 and (101号) 成本指标. Points printed in the cell "
            "(产出指标(50分)) are understood."
        ),
        help_zh=(
            "perftarget 将不认识的一级指标名称按原文保留，但评分和其他规则只识别国家指标体系的一级指标：产出指标、"
            "效益指标、满意度指标，以及（101号的）成本指标。单元格中附注的分值（如“产出指标(50分)”）可以识别。"
        ),
        check=_unknown_level1,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(
            row("成效指标/社会效益指标", "矛盾纠纷化解率", "化解的矛盾纠纷占受理数的比例", "≥90%")
        ),
        pass_example=RuleExample(
            row("效益指标/社会效益指标", "矛盾纠纷化解率", "化解的矛盾纠纷占受理数的比例", "≥90%")
        ),
    ),
    Rule(
        code="PT202",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Unknown level-2 label",
        title_zh="二级指标不在国家指标体系中",
        message="二级指标“{label}”不在国家指标体系中{suggestion}",
        message_en="level-2 “{label}” is not in either national tree{suggestion_en}",
        help=(
            "Real tables print variants such as 社会公众或服务对象满意度指标. perftarget keeps the text, but only "
            "the national level-2s (数量/质量/时效/成本指标, 经济/社会/生态效益指标, 可持续影响指标, "
            "服务对象满意度指标, and the 101号 cost level-2s) are understood by scoring and by the other rules."
        ),
        help_zh=(
            "实际表格中常见“社会公众或服务对象满意度指标”等变体写法。perftarget 保留原文，但评分和其他规则只识别国家指"
            "标体系的二级指标（数量/质量/时效/成本指标，经济/社会/生态效益指标，可持续影响指标，服务对象满意度指标，"
            "以及101号的各项成本二级指标）。"
        ),
        check=_unknown_level2,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(
            row(
                "满意度指标/社会公众或服务对象满意度指标",
                "来访群众满意度",
                "问卷中满意的来访群众占比",
                "≥90%",
                "调查问卷",
            )
        ),
        pass_example=RuleExample(
            row("满意度指标/服务对象满意度指标", "来访群众满意度", "问卷中满意的来访群众占比", "≥90%", "调查问卷")
        ),
    ),
    Rule(
        code="PT203",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="Indicator without its level-1 or level-2",
        title_zh="指标缺少一级或二级指标",
        message="指标“{name}”没有{what}指标",
        message_en="indicator “{name}” has no {what_en} indicator",
        help=(
            "In a project table every 三级指标 sits under a 一级 and a 二级指标; without them it cannot be weighted "
            "or scored. In a department part, an indicator given one level needs the other (department "
            "narratives may list indicators without any level)."
        ),
        help_zh=(
            "项目绩效目标表中，每个三级指标都应归属于一个一级指标和一个二级指标，否则无法确定分值，也无法评分。"
            "部门整体绩效目标中，指标填写了一个层级的，另一个层级也要填写（部门整体目标的文字表述可以列出不分层级的指标"
            "）。"
        ),
        check=_missing_level,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(
            '[[indicators]]\nname = "来信办理及时率"\ndescription = "按期办结的来信占比"\ntarget = "≥95%"\n'
            'basis = "工作要求"\n'
        ),
        pass_example=RuleExample(row("产出指标/时效指标", "来信办理及时率", "按期办结的来信占比", "≥95%")),
    ),
    Rule(
        code="PT204",
        severity=Severity.ERROR,
        scope=Scope.DOCUMENT,
        title="Two indicator trees mixed in one table",
        title_zh="同一张表混用两套指标体系",
        message="“{label}”属于{schema}指标体系，但本表 {other_path} 的“{other}”属于{other_schema}指标体系",
        message_en=(
            "“{label}” belongs to the {schema_en} tree, but “{other}” at {other_path} belongs to the "
            "{other_schema_en} tree"
        ),
        help=(
            "A table follows one tree: either the 88号/10号 tree, where 成本指标 is a level-2 under 产出指标, or the "
            "101号 (2021) tree, where 成本指标 is a level-1 with 经济/社会/生态环境成本指标 under it. Move the cost "
            "indicators to one of the two places."
        ),
        help_zh=(
            "一张表只采用一套指标体系：或者是88号/10号体系，成本指标是产出指标下的二级指标；或者是101号（2021年）体系，"
            "成本指标是一级指标，下设经济/社会/生态环境成本指标。请将成本类指标统一放在其中一处。"
        ),
        check=_mixed_schema,
        fail_example=RuleExample(
            row("产出指标/成本指标", "人均值班费用", "值班人员人均费用", "≤2万元/人", "差旅保险标准")
            + "\n"
            + row("成本指标/经济成本指标", "值班费总额", "全年值班费用", "≤10万元", "预算批复"),
        ),
        pass_example=RuleExample(
            row("产出指标/成本指标", "人均值班费用", "值班人员人均费用", "≤2万元/人", "差旅保险标准")
            + "\n"
            + row("产出指标/成本指标", "值班费总额", "全年值班费用", "≤10万元", "预算批复"),
        ),
    ),
    Rule(
        code="PT205",
        severity=Severity.WARNING,
        scope=Scope.DOCUMENT,
        title="Duplicate indicator",
        title_zh="指标重复",
        message="{what}“{name}”与同表 {other} 重复",
        message_en="the {what_en} “{name}” repeats the one at {other} in the same table",
        help=(
            "Each indicator appears once in a table (names are compared ignoring spaces and punctuation; keys "
            "exactly). A repeated indicator is counted and scored twice; merge the rows or tell them apart."
        ),
        help_zh=(
            "每个指标在一张表中只出现一次（比较指标名称时忽略空格和标点，指标键按原样比较）。重复的指标会被重复计算和评"
            "分；请合并这两行，或加以区分。"
        ),
        check=_duplicates,
        fail_example=RuleExample(row("产出指标/质量指标", "驻京值班天数", "全年驻京值班的天数", "≥240天")),
        pass_example=RuleExample(row("产出指标/质量指标", "值班记录完整率", "值班记录完整的天数占比", "≥98%")),
    ),
    Rule(
        code="PT206",
        severity=Severity.INFO,
        scope=Scope.INDICATOR,
        title="Level-2 marked 无 (not applicable)",
        title_zh="二级指标填写为“无”（不适用）",
        message="二级指标“{level}”填写为“无”（不适用），该项不计入指标",
        message_en="level-2 “{level}” is marked 无 (not applicable) and has no indicator",
        help=(
            "A row of 无 says that a level-2 does not apply to the project, which is allowed, but it narrows what "
            "the table measures. Check that the project really has no such effect."
        ),
        help_zh=(
            "填写“无”的行表示该二级指标不适用于本项目，这是允许的，但会缩小绩效目标表衡量的范围。"
            "请核实项目确实没有这方面的效果。"
        ),
        check=_not_applicable_row,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(row("效益指标/生态效益指标", "无", "无", "无", "无")),
        pass_example=RuleExample(
            row(
                "效益指标/可持续影响指标",
                "重点敏感时期覆盖率",
                "对重大时间节点的维稳安排情况",
                "≥95%",
                "保障维稳工作效果",
            )
        ),
    ),
    Rule(
        code="PT207",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="Indicator named 无 with a target",
        title_zh="指标名称为“无”却填写了指标值",
        message="指标名称为“{name}”，却有指标值 {target}",
        message_en="the indicator is named “{name}” but has the target {target}",
        help=(
            "无 (or /) as the name marks a row that does not apply; such a row has no target. Either name the "
            "indicator or mark the whole row 无."
        ),
        help_zh="指标名称填写“无”（或“/”）表示该行不适用，不适用的行没有指标值。请填写指标名称，或将整行都填写为“无”。",
        check=_named_not_applicable,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(row("效益指标/经济效益指标", "无", "无", "≥95%", "无")),
        pass_example=RuleExample(row("效益指标/经济效益指标", "无", "无", "无", "无")),
    ),
    Rule(
        code="PT208",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Empty indicator row",
        title_zh="空白指标行",
        message="“{level}”下的一行是空的：没有指标名称，也没有指标值（连“无”也没有）",
        message_en="a row under “{level}” is empty: no indicator name and no target (not even 无)",
        help=(
            "Published templates print a row for every level-2 (经济效益指标, 生态效益指标...). Left empty, the row "
            "says neither what is measured nor that the level does not apply. Fill in the indicator, or write 无 "
            "in its name and target when the level-2 does not apply to the project (PT206 then notes it)."
        ),
        help_zh=(
            "公开的模板为每个二级指标（经济效益指标、生态效益指标……）都印有一行。空着不填，既没有说明衡量什么，"
            "也没有说明该层级不适用。请填写指标；该二级指标不适用于本项目的，在指标名称和指标值栏填写“无”"
            "（届时由PT206提示）。"
        ),
        check=_empty_row,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(row("效益指标/经济效益指标", "", "", "", "")),
        pass_example=RuleExample(row("效益指标/经济效益指标", "无", "无", "无", "无")),
    ),
)
