"""PT1xx completeness: the table has what 88号 and the Hebei template require."""

from __future__ import annotations

from collections.abc import Iterator

from perftarget._judge.review import Rule, RuleContext, RuleExample, Scope, Severity, Violation
from perftarget._values.levels import Level1
from perftarget.rules._common import (
    PRINTED_ROW_FIELDS,
    ROW_FIELDS,
    Table,
    at,
    is_empty_row,
    is_row,
    shown,
    tables,
    target_text,
)
from perftarget.rules._text import is_not_applicable_text, is_placeholder, serves_people

__all__ = ["RULES"]


def _has_level1(table: Table, level1: Level1) -> bool:
    return any(
        indicator.level1 is level1 and is_row(indicator) for goal in table.goals for indicator in goal.indicators
    )


def _missing(table: Table, **values: object) -> Violation:
    return Violation(at(table, "goals"), {"what": table.what, "what_en": table.what_en, **values})


def _no_output(ctx: RuleContext) -> Iterator[Violation]:
    for table in tables(ctx):
        if not _has_level1(table, Level1.OUTPUT):
            yield _missing(table)


def _no_benefit(ctx: RuleContext) -> Iterator[Violation]:
    for table in tables(ctx):
        if not _has_level1(table, Level1.BENEFIT):
            yield _missing(table)


def _no_satisfaction(ctx: RuleContext) -> Iterator[Violation]:
    for table in tables(ctx):
        indicators = [indicator for goal in table.goals for indicator in goal.indicators]
        if any(indicator.level1 is Level1.SATISFACTION for indicator in indicators):
            continue  # present, or declared not applicable with a 无 row
        texts = [*table.texts, *(goal.content for goal in table.goals)]
        texts.extend(f"{indicator.name} {indicator.description}" for indicator in indicators)
        word = serves_people(" ".join(texts))
        if word is not None:
            yield _missing(table, word=word)


def _no_target(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if not indicator.target.is_applicable and not is_not_applicable_text(indicator.name):
        yield ctx.violation("target", name=shown(indicator), target=target_text(indicator.target) or "（空）")


def _blank_target(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if indicator.regional_targets:  # its targets are per region (福建 区域目标值), each checked as a target
        return
    if indicator.target.is_blank and not is_empty_row(indicator):  # a row printing nothing at all: PT208
        yield ctx.violation("target", name=shown(indicator))


def _no_unit(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if (
        indicator.target.is_quantitative
        and not indicator.target.unit
        and is_not_applicable_text(indicator.unit_text)  # else the unit is printed in its own column
    ):
        yield ctx.violation("target", name=shown(indicator), target=target_text(indicator.target))


def _no_basis(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    basis = indicator.basis
    if basis is not None and not is_not_applicable_text(basis.text):
        return
    if ctx.project is not None and is_row(indicator):
        yield ctx.violation("basis", name=shown(indicator))


def _no_indicators(ctx: RuleContext) -> Iterator[Violation]:
    goal = ctx.goal
    assert goal is not None  # noqa: S101 - goal scope
    if not goal.indicators:
        yield ctx.violation("indicators", content=goal.content.strip() or "（空）")


def _empty_content(ctx: RuleContext) -> Iterator[Violation]:
    goal = ctx.goal
    assert goal is not None  # noqa: S101 - goal scope
    if is_not_applicable_text(goal.content):
        yield ctx.violation("content", content=goal.content.strip() or "（空）")


def _placeholder(ctx: RuleContext) -> Iterator[Violation]:
    goal = ctx.goal
    assert goal is not None  # noqa: S101 - goal scope
    if is_placeholder(goal.content):
        yield ctx.violation("content", content=goal.content.strip())


def _no_description(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if is_not_applicable_text(indicator.description) and ctx.project is not None and is_row(indicator):
        yield ctx.violation("description", name=shown(indicator))


def _year_assumed(ctx: RuleContext) -> Iterator[Violation]:
    document = ctx.document
    if document.department is not None and document.department.year_assumed:
        yield Violation(
            _field(ctx.department_path, "year"),
            {"year": document.department.year, "what": "部门整体绩效目标", "what_en": "the department targets"},
        )
    for index, project in enumerate(document.projects):
        if project.year_assumed:
            yield Violation(
                _field(ctx.project_path(index), "year"),
                {"year": project.year, "what": f"项目“{project.name}”", "what_en": f"project “{project.name}”"},
            )


def _field(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


_OUTPUT_ROW = """\
[[goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "驻京值班天数"
description = "全年驻京值班的天数"
target = "≥250天"
basis = "工作要求"
"""
_BENEFIT_ROW = """\
[[goals.indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "群众来访劝返率"
description = "劝返的来访群众人数占来访人数的比例"
target = "≥95%"
basis = "历年劝返比例"
"""
_SATISFACTION_ROW = """\
[[goals.indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "上访人员满意度"
description = "问卷中表示满意的上访人员占比"
target = "≥90%"
basis = "调查问卷"
"""
_ROWS = _OUTPUT_ROW + "\n" + _BENEFIT_ROW + "\n" + _SATISFACTION_ROW
_GOAL = '[[goals]]\ncontent = "保障驻京值班工作队全年在岗值班，做好来访群众劝返工作"\n\n'

RULES: tuple[Rule, ...] = (
    Rule(
        code="PT101",
        severity=Severity.ERROR,
        scope=Scope.DOCUMENT,
        title="No output indicator (产出指标)",
        title_zh="缺少产出指标",
        message="{what}没有产出指标：每个{what}至少要有一个适用的产出指标",
        message_en="the {what_en} has no output indicator (产出指标); every {what_en} needs at least one that applies",
        help=(
            "88号 and 10号 require at least one indicator under each of 产出指标 and 效益指标. Add the outputs the "
            "money buys (数量, 质量, 时效, 成本), each with a target. A row marked 无 does not count. Checked on "
            "each project table, and on the department part when its indicators sit under levels (a "
            "部门整体绩效目标表); a department narrative without levels is not checked."
        ),
        help_zh=(
            "88号和10号要求产出指标、效益指标下各至少有一个指标。请补充资金所购买的产出（数量、质量、时效、成本），"
            "每项都要填写指标值。填写为“无”的行不计入。本规则检查每个项目绩效目标表；部门整体绩效目标的指标分列一级、"
            "二级指标时（部门整体绩效目标表）也检查，不分层级的部门整体目标文字表述不检查。"
        ),
        check=_no_output,
        fail_example=RuleExample(_GOAL + _BENEFIT_ROW + "\n" + _SATISFACTION_ROW, "project"),
        pass_example=RuleExample(_GOAL + _OUTPUT_ROW + "\n" + _BENEFIT_ROW + "\n" + _SATISFACTION_ROW, "project"),
    ),
    Rule(
        code="PT102",
        severity=Severity.ERROR,
        scope=Scope.DOCUMENT,
        title="No benefit indicator (效益指标)",
        title_zh="缺少效益指标",
        message="{what}没有效益指标：每个{what}至少要有一个适用的效益指标",
        message_en="the {what_en} has no benefit indicator (效益指标); every {what_en} needs at least one that applies",
        help=(
            "Besides outputs, a project states what they achieve: 经济效益, 社会效益, 生态效益 or 可持续影响. Rows "
            "marked 无 do not count; at least one benefit must apply. Checked on each project table, and on the "
            "department part when its indicators sit under levels."
        ),
        help_zh=(
            "除产出外，项目还应说明产出带来的效果：经济效益、社会效益、生态效益或可持续影响。填写为“无”的行不计入，"
            "至少要有一项效益指标适用。本规则检查每个项目绩效目标表；部门整体绩效目标的指标分列一级、二级指标时也检查。"
        ),
        check=_no_benefit,
        fail_example=RuleExample(_GOAL + _OUTPUT_ROW + "\n" + _SATISFACTION_ROW, "project"),
        pass_example=RuleExample(_GOAL + _OUTPUT_ROW + "\n" + _BENEFIT_ROW + "\n" + _SATISFACTION_ROW, "project"),
    ),
    Rule(
        code="PT103",
        severity=Severity.WARNING,
        scope=Scope.DOCUMENT,
        title="No satisfaction indicator for a project that serves people",
        title_zh="项目有服务对象但缺少满意度指标",
        message="{what}服务于“{word}”等对象，但没有适用的满意度指标",
        message_en="the {what_en} serves people (“{word}”) but has no satisfaction indicator (满意度指标) that applies",
        help=(
            "Where a project has service recipients, 88号 practice expects a 服务对象满意度指标, usually measured "
            "by questionnaire (e.g. 满意度 ≥90%). The rule looks for words naming recipients (群众, 学生, 来访...) "
            "in the project's name, purpose, goals and indicators (a department part with indicator levels: its "
            "duties, goals and indicators). If nobody is served, suppress it with a reason."
        ),
        help_zh=(
            "项目有服务对象的，按88号的通行做法应设置服务对象满意度指标，通常通过问卷调查取得（如满意度≥90%）。"
            "本规则在项目名称、资金用途、绩效目标和指标中查找指称服务对象的词（群众、学生、来访……）"
            "（分列指标层级的部门整体绩效目标：查找其部门职责、目标和指标）。确无服务对象的，请注明理由后豁免本规则。"
        ),
        check=_no_satisfaction,
        fail_example=RuleExample(_GOAL + _OUTPUT_ROW + "\n" + _BENEFIT_ROW, "project"),
        pass_example=RuleExample(_GOAL + _OUTPUT_ROW + "\n" + _BENEFIT_ROW + "\n" + _SATISFACTION_ROW, "project"),
    ),
    Rule(
        code="PT104",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="Indicator without a target value",
        title_zh="指标没有指标值",
        message="指标“{name}”没有指标值（填写为“{target}”）",
        message_en="indicator “{name}” has no target value (written “{target}”)",
        help=(
            "Every named indicator needs a target: a comparator, a number and a unit (≥95%), or a graded "
            "qualitative statement. 无 or / is only for a row whose whole level-2 does not apply, with 无 as its "
            "name too."
        ),
        help_zh=(
            "每个有名称的指标都要有指标值：计算符号、数值和计量单位（≥95%），或分级分档的定性表述。“无”或“/”"
            "只用于整个二级指标都不适用的行，且该行的指标名称也应填写为“无”。"
        ),
        check=_no_target,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "来访登记完整率"\n'
            'description = "登记信息完整的来访人次占比"\ntarget = "无"\nbasis = "工作要求"\n'
        ),
        pass_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "来访登记完整率"\n'
            'description = "登记信息完整的来访人次占比"\ntarget = "≥98%"\nbasis = "工作要求"\n'
        ),
    ),
    Rule(
        code="PT105",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="Quantitative target without a unit",
        title_zh="定量指标值没有计量单位",
        message="指标“{name}”的指标值 {target} 没有计量单位",
        message_en="the target {target} of indicator “{name}” has no unit of measure",
        help=(
            "A quantitative target needs its unit (计量单位): %, 个, 人次, 天, 万元, 小时/天... Write it in the target "
            "(≥250天) so that the value can be compared and scored. A layout that prints 计量单位 in its own column "
            "(unit_text) gives the unit there; PT308 checks that the two agree."
        ),
        help_zh=(
            "定量指标值必须有计量单位：%、个、人次、天、万元、小时/天……请写在指标值中（≥250天），以便比较和评分。"
            "计量单位单列一栏的表式（unit_text）在该栏填写单位；两者是否一致由PT308检查。"
        ),
        check=_no_unit,
        object_only=True,
        reads=PRINTED_ROW_FIELDS,
        fail_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "数量指标"\nname = "接待来访人次"\n'
            'description = "全年接待来访群众的人次"\ntarget = "≥500"\nbasis = "上年接待量"\n'
        ),
        pass_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "数量指标"\nname = "接待来访人次"\n'
            'description = "全年接待来访群众的人次"\ntarget = "≥500人次"\nbasis = "上年接待量"\n'
        ),
    ),
    Rule(
        code="PT106",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="No basis for the target value (指标值确定依据)",
        title_zh="没有指标值确定依据",
        message="指标“{name}”没有指标值确定依据",
        message_en="indicator “{name}” gives no basis for its target value (指标值确定依据)",
        help=(
            "Say why the target has its value: 计划标准 (the plan or budget), 行业标准, 历史标准 (past results), or "
            "another standard the finance bureau accepts; free text such as 工作要求 or 调查问卷 is common. The "
            "Hebei template makes this column mandatory. A self-evaluation table has no such column: tables of "
            "form self-evaluation are reviewed without this rule (the self-evaluation profile); ignore it for "
            "other layouts without the column."
        ),
        help_zh=(
            "请说明指标值为何如此确定：计划标准（计划或预算）、行业标准、历史标准（以往实际完成值），"
            "或财政部门认可的其他标准；常见的也有“工作要求”“调查问卷”等文字表述。河北省模板将此栏列为必填。"
            "项目支出绩效自评表没有此栏：form 为 self-evaluation 的表按自评表审核方案（self-evaluation）审核，"
            "不运行本规则；其他没有此栏的表式，可忽略本规则。"
        ),
        check=_no_basis,
        object_only=True,
        reads=("name", "description", "target", "basis"),  # a table read or rebuilt shares each distinct basis
        fail_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "时效指标"\nname = "来信办理及时率"\n'
            'description = "按期办结的来信占比"\ntarget = "≥95%"\n'
        ),
        pass_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "时效指标"\nname = "来信办理及时率"\n'
            'description = "按期办结的来信占比"\ntarget = "≥95%"\nbasis = {text = "信访条例规定的办理期限", '
            'category = "计划标准"}\n'
        ),
    ),
    Rule(
        code="PT107",
        severity=Severity.ERROR,
        scope=Scope.GOAL,
        title="Goal without indicators",
        title_zh="目标下没有指标",
        message="目标“{content}”下没有任何指标",
        message_en="goal “{content}” has no indicators",
        help="Each goal (目标内容 / 分项绩效目标) is measured by at least one indicator; add one or merge the goal.",
        help_zh="每个绩效目标（目标内容 / 分项绩效目标）至少要有一个指标来衡量；请补充指标，或将该目标与其他目标合并。",
        check=_no_indicators,
        object_only=True,
        fail_example=RuleExample('[[department.goals]]\ncontent = "按时足额发放工资、补贴"\n', "document"),
        pass_example=RuleExample(
            '[[department.goals]]\ncontent = "按时足额发放工资、补贴"\n\n[[department.goals.indicators]]\n'
            'name = "工资、补贴发放"\ntarget = "根据发放期限按时间进度及时发放"\n',
            "document",
        ),
    ),
    Rule(
        code="PT108",
        severity=Severity.ERROR,
        scope=Scope.GOAL,
        title="Empty goal content",
        title_zh="目标内容为空",
        message="目标内容为空（“{content}”）",
        message_en="the goal's content is empty (“{content}”)",
        help=(
            "State the goal (年度总体目标 / 目标内容) in a sentence: what the money achieves this year. 88号 asks "
            "for goals that are 指向明确 (specific)."
        ),
        help_zh="请用一句话写明目标（年度总体目标 / 目标内容）：这笔资金本年度要实现什么。88号要求绩效目标指向明确。",
        check=_empty_content,
        object_only=True,
        fail_example=RuleExample('[[goals]]\ncontent = "无"\n\n' + _ROWS, "project"),
        pass_example=RuleExample(_GOAL + _ROWS, "project"),
    ),
    Rule(
        code="PT109",
        severity=Severity.WARNING,
        scope=Scope.GOAL,
        title="Goal content is a template placeholder",
        title_zh="目标内容是模板占位文字",
        message="目标内容“{content}”是模板占位文字，不是目标",
        message_en="the goal's content “{content}” is the template's placeholder, not a goal",
        help=(
            "Templates print 目标内容1, 目标内容2... as placeholders; replace them with the goal itself (the seed "
            "leaves 目标内容 1)."
        ),
        help_zh=(
            "模板以“目标内容1”“目标内容2”……作为占位文字；请替换为实际的目标"
            "（博野县信访局2022年的项目表就保留了“目标内容 1”）。"
        ),
        check=_placeholder,
        object_only=True,
        fail_example=RuleExample('[[goals]]\ncontent = "目标内容 1"\n\n' + _ROWS, "project"),
        pass_example=RuleExample(_GOAL + _ROWS, "project"),
    ),
    Rule(
        code="PT110",
        severity=Severity.INFO,
        scope=Scope.INDICATOR,
        title="Indicator without a description (绩效指标描述)",
        title_zh="指标没有绩效指标描述",
        message="指标“{name}”没有绩效指标描述",
        message_en="indicator “{name}” has no description (绩效指标描述 / 指标解释)",
        help=(
            "A description says what is counted and how (分子/分母 for a rate), so that the target can be checked "
            "at the end of the year. Self-evaluation tables print no description and are reviewed without this "
            "rule (the self-evaluation profile)."
        ),
        help_zh=(
            "绩效指标描述说明统计什么、如何统计（比率类指标写明分子、分母），以便年终核对指标值是否完成。"
            "项目支出绩效自评表不列绩效指标描述，按自评表审核方案（self-evaluation）审核，不运行本规则。"
        ),
        check=_no_description,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "信访事项办结率"\n'
            'target = "≥90%"\nbasis = "工作要求"\n'
        ),
        pass_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "信访事项办结率"\n'
            'description = "已办结信访事项占受理事项的比例"\ntarget = "≥90%"\nbasis = "工作要求"\n'
        ),
    ),
    Rule(
        code="PT111",
        severity=Severity.INFO,
        scope=Scope.DOCUMENT,
        title="Budget year not printed",
        title_zh="未写明预算年度",
        message="{what}没有写明预算年度（按 {year} 年处理）",
        message_en="the budget year is not printed for {what_en} ({year} is assumed)",
        help=(
            "A target table belongs to one budget year; print it in the title. perftarget keeps an assumed year "
            "marked with year_assumed so that nobody mistakes it for a printed one."
        ),
        help_zh=(
            "绩效目标表对应一个预算年度，请在表头写明。perftarget 推定的年度以 year_assumed 标记，"
            "以免被误认为表上所印的年度。"
        ),
        check=_year_assumed,
        fail_example=RuleExample("year_assumed = true\n", "project"),
        pass_example=RuleExample("year = 2022\n", "project"),
    ),
    Rule(
        code="PT112",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="No target printed (blank target)",
        title_zh="指标值为空（未填写）",
        message="指标“{name}”的指标值为空（未填写）：该行仍计分值，自评时只能采用表上所填得分",
        message_en=(
            "indicator “{name}” prints no target (the cell is blank): the row still carries its weight, and a "
            "self-evaluation can only take the score written for it"
        ),
        help=(
            "An empty target cell is not 无: 无 (or /, —, 不适用) says that a row does not apply, and such a row has "
            "no weight; a blank cell says nothing, so the row keeps its weight (分值) and nothing can be compared "
            "with its actual. Published self-evaluation tables print 分值 and 得分 on such rows (a 2022 Anhui "
            "自评表 has six); perftarget then scores them by the score given (rule explicit). Write the target "
            "(≥95%, 按时发放), or 无 when the row does not apply. A row that prints its targets per region (福建 "
            "区域目标值) and whose regions differ has no target of its own: it is not reported here, and each "
            "region's target is checked as a target."
        ),
        help_zh=(
            "指标值栏空白不等于“无”：“无”（或“/”“—”“不适用”）表示该行不适用，不计分值；空白则什么也没有说明，"
            "该行仍计分值，也无法与实际完成值比较。公开的自评表在这样的行上也印有分值和得分（安徽省一张2022年自评表有六"
            "行）；perftarget 此时按表上所填得分计分（评分规则 explicit）。请填写指标值（≥95%、按时发放），"
            "不适用的行填写“无”。按区域列示指标值的行（福建“区域目标值”）各区域不一致时，该行本身没有指标值："
            "此规则不报告，而逐一按指标值检查各区域的目标值。"
        ),
        check=_blank_target,
        object_only=True,
        reads=(*ROW_FIELDS, "regional_targets"),
        fail_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "来访登记完整率"\n'
            'description = "登记信息完整的来访人次占比"\ntarget = ""\nbasis = "工作要求"\n'
        ),
        pass_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "来访登记完整率"\n'
            'description = "登记信息完整的来访人次占比"\ntarget = "≥98%"\nbasis = "工作要求"\n'
        ),
    ),
)
