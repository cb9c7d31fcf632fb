"""PT3xx quality of targets: quantified, in the right unit, reachable, pointing the right way."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from perftarget._judge.review import Rule, RuleContext, RuleExample, Scope, Severity, Violation, format_decimal
from perftarget._values.levels import Level2
from perftarget._values.threshold import Comparator
from perftarget._values.units import dimension_of, is_known_unit, normalize_unit
from perftarget.rules._common import (
    COST_LEVEL2,
    PRINTED_ROW_FIELDS,
    ROW_FIELDS,
    is_cost,
    is_row,
    label,
    row,
    shown,
    target_text,
)
from perftarget.rules._text import (
    RATE_UNITS,
    direction_of,
    is_growth,
    is_not_applicable_text,
    rate_kind,
    restates_spending,
)

__all__ = ["RULES"]

_HUNDRED: Final = Decimal(100)
_RATE_CEILING: Final = {"%": _HUNDRED, "‰": Decimal(1000)}
_NUMERIC_LEVEL2: Final = frozenset({Level2.QUANTITY, *COST_LEVEL2})
QUANTITATIVE_KIND: Final = "定量"
_BRACKETS: Final = "()（）[]【】"


def _rate_text(name: str, description: str) -> tuple[str, str] | None:
    """The text that names a rate (the name first, then the description) and its kind."""
    for text in (name, description):
        kind = rate_kind(text)
        if kind is not None:
            return text.strip(), kind
    return None


def _qualitative_for_number(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if not indicator.target.is_qualitative or not is_row(indicator):
        return
    if indicator.value_kind.strip() == QUANTITATIVE_KIND:
        return  # the row says it is quantitative: PT309
    if indicator.level2 in _NUMERIC_LEVEL2:
        yield ctx.violation(
            "target",
            name=shown(indicator),
            target=target_text(indicator.target),
            why=f"它是{label(indicator.level2)}",
            why_en=f"it is a {label(indicator.level2)} indicator",
        )
        return
    found = _rate_text(indicator.name, indicator.description)
    if found is not None:
        yield ctx.violation(
            "target",
            name=shown(indicator),
            target=target_text(indicator.target),
            why=f"“{found[0]}”是比率",
            why_en=f"“{found[0]}” names a rate",
        )


def _rate_unit(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    target = indicator.target
    if not target.is_quantitative or not target.unit or target.unit in RATE_UNITS:
        return
    found = _rate_text(indicator.name, indicator.description)
    if found is None:
        return
    text, kind = found
    if kind == "satisfaction" and target.unit == "分":
        return  # satisfaction scored in points (满意度 ≥90分) is a common, legitimate form
    yield ctx.violation("target", text=text, target=target_text(target), unit=target.unit)


def _rate_above_hundred(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    target = indicator.target
    if not target.is_quantitative or target.value is None:
        return
    ceiling = _RATE_CEILING.get(target.unit)
    if ceiling is None or is_growth(indicator.name) or is_growth(indicator.description):
        return
    comparator = target.comparator
    value = target.value
    if (comparator in (Comparator.GE, Comparator.EQ, Comparator.BETWEEN) and value > ceiling) or (
        comparator is Comparator.GT and value >= ceiling
    ):
        yield ctx.violation(
            "target",
            name=shown(indicator),
            target=target_text(target),
            ceiling=f"{format_decimal(ceiling)}{target.unit}",
        )


def _wrong_direction(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    target = indicator.target
    if not target.is_quantitative or target.comparator is None:
        return
    wants_higher = target.comparator.higher_is_better
    if wants_higher is None or target.inferred:
        return
    higher = direction_of(indicator.name)
    if higher is None:
        higher = direction_of(indicator.description)
    if higher is None or higher == wants_higher:
        return
    yield ctx.violation(
        "target",
        name=shown(indicator),
        target=target_text(target),
        says="越高越好" if higher else "越低越好",
        says_en="higher is better" if higher else "lower is better",
        comparator=target.comparator.value,
    )


def _restates_spending(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if ctx.project is None or not is_row(indicator):
        return
    if restates_spending(indicator.name):
        yield ctx.violation("name", name=indicator.name.strip(), target=target_text(indicator.target))


def _cost_not_money(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if not is_row(indicator) or not is_cost(indicator):
        return
    target = indicator.target
    if target.is_quantitative and dimension_of(target.unit)[0].split("/", 1)[0] == "money":
        return
    yield ctx.violation(
        "target", name=shown(indicator), target=target_text(target), level=label(indicator.level2 or indicator.level1)
    )


def _unit_column(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    printed = indicator.unit_text.strip()
    if is_not_applicable_text(printed) or not is_row(indicator):
        return
    column = normalize_unit(printed.strip(_BRACKETS))
    target = indicator.target
    if target.is_quantitative and target.unit:
        if target.unit != column:
            yield ctx.violation(
                "unit_text",
                name=shown(indicator),
                printed=printed,
                target=target_text(target),
                why=f"的单位是“{target.unit}”",
                why_en=f"is in “{target.unit}”",
            )
    elif target.is_qualitative and is_known_unit(column):
        yield ctx.violation(
            "unit_text",
            name=shown(indicator),
            printed=printed,
            target=target_text(target),
            why="是文字，没有可计量的数",
            why_en="is text, with no number to measure",
        )


def _text_for_quantitative(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    if indicator.value_kind.strip() == QUANTITATIVE_KIND and indicator.target.is_qualitative and is_row(indicator):
        yield ctx.violation("target", name=shown(indicator), target=target_text(indicator.target))


def _inferred(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None  # noqa: S101 - indicator scope
    target = indicator.target
    if target.is_quantitative and target.inferred and target.comparator is not None:
        yield ctx.violation(
            "target", name=shown(indicator), target=target_text(target), comparator=target.comparator.value
        )


RULES: tuple[Rule, ...] = (
    Rule(
        code="PT301",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Qualitative target where a number is expected",
        title_zh="应当量化的指标使用了定性指标值",
        message="指标“{name}”的指标值“{target}”是定性表述，但{why}，应当量化",
        message_en="indicator “{name}” has the qualitative target “{target}”, but {why_en}: give a number",
        help=(
            "88号 asks for targets that are 细化量化: use a qualitative statement only when the result cannot be "
            "counted, and then in graded form (好/较好/一般/差). Quantity and cost indicators, and indicators named "
            "as rates (…率, 占比), are numbers by nature. A row whose 指标值类型 says 定量 is reported by PT309 "
            "instead."
        ),
        help_zh=(
            "88号要求绩效指标细化量化：只有在结果无法计量时才使用定性表述，且应分级分档（好/较好/一般/差）。数量指标、"
            "成本指标，以及名称为比率的指标（……率、占比），本身就应当是数值。指标值类型为“定量”的行改由PT309报告。"
        ),
        check=_qualitative_for_number,
        object_only=True,
        reads=PRINTED_ROW_FIELDS,
        fail_example=RuleExample(row("产出指标/数量指标", "接待来访群众", "全年接待来访群众的人次", "应接尽接")),
        pass_example=RuleExample(row("产出指标/数量指标", "接待来访群众", "全年接待来访群众的人次", "≥500人次")),
    ),
    Rule(
        code="PT302",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Rate-named indicator with a non-rate unit",
        title_zh="比率类指标的指标值不以比例计",
        message="“{text}”按名称是比率，但指标值 {target} 的单位是“{unit}”，不是 % 或 ‰",
        message_en="“{text}” is named as a rate, but its target {target} is in “{unit}”, not % or ‰",
        help=(
            "A name or description ending in 率 (or containing 占比, 比例) promises a share, so the target should "
            "be in % or ‰ (出勤率 ≥95%). Either express the target as a share or rename the indicator after what "
            "is measured (出勤时长 ≥8小时/天). 频率, 效率 and satisfaction in points (满意度 ≥90分) are not flagged."
        ),
        help_zh=(
            "指标名称或描述以“率”结尾（或含“占比”“比例”）的，表示一个比例，指标值应以 % 或 ‰ 计（出勤率 ≥95%）。"
            "请将指标值改为比例，或按实际计量的内容重新命名指标（出勤时长 ≥8小时/天）。“频率”“效率”"
            "以及以分计的满意度（满意度 ≥90分）不在此列。"
        ),
        check=_rate_unit,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(row("产出指标/数量指标", "工作日保障单位运转", "在岗人员出勤率", "≥8 小时/天")),
        pass_example=RuleExample(
            row("产出指标/数量指标", "工作日在岗人员出勤率", "在岗人员出勤天数占工作日的比例", "≥95%")
        ),
    ),
    Rule(
        code="PT303",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="Rate target above 100 %",
        title_zh="比率指标值超过100%",
        message="指标“{name}”的指标值 {target} 超过 {ceiling}，比率达不到",
        message_en="indicator “{name}” has the target {target}, above {ceiling}: a share cannot reach it",
        help=(
            "A share cannot exceed 100 % (1000 ‰), so a target above it (or > 100 %) can never be met. Growth and "
            "change rates (增长率, 提高, 同比) may exceed 100 % and are not flagged."
        ),
        help_zh=(
            "比例不可能超过100%（1000‰），指标值高于此值（或写作“>100%”）永远无法完成。增长率和变化率（增长率、提高、"
            "同比）可以超过100%，不在此列。"
        ),
        check=_rate_above_hundred,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(row("产出指标/质量指标", "信访事项按期办结率", "按期办结事项占比", "≥105%")),
        pass_example=RuleExample(row("产出指标/质量指标", "信访事项按期办结率", "按期办结事项占比", "≥95%")),
    ),
    Rule(
        code="PT304",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Comparator contradicts the name",
        title_zh="计算符号与指标名称的方向相反",
        message="指标“{name}”按名称{says}，但指标值 {target} 使用了“{comparator}”",
        message_en="indicator “{name}” reads as {says_en}, but its target {target} uses “{comparator}”",
        help=(
            "满意度, 合格率, 覆盖率 and the like are better when higher, so their target is ≥ (or >); 投诉, 差错, "
            "事故, 不合格率 are better when lower, so ≤ (or <). The direction decides how the indicator is scored."
        ),
        help_zh=(
            "满意度、合格率、覆盖率等指标越高越好（正向指标），指标值应使用 ≥（或 >）；投诉、差错、事故、"
            "不合格率等越低越好（反向指标），应使用 ≤（或 <）。指标的方向决定其如何评分。"
        ),
        check=_wrong_direction,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(
            row("满意度指标/服务对象满意度指标", "来访群众满意度", "问卷中满意的来访群众占比", "≤90%", "调查问卷")
        ),
        pass_example=RuleExample(
            row("满意度指标/服务对象满意度指标", "来访群众满意度", "问卷中满意的来访群众占比", "≥90%", "调查问卷")
        ),
    ),
    Rule(
        code="PT305",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Spending restated as an output",
        title_zh="把资金支出复述为产出（投入类指标）",
        message="指标“{name}”（{target}）是对资金支出的复述（投入类指标），不是项目的产出或效益",
        message_en=(
            "indicator “{name}” ({target}) restates spending the money (an input), not what the project delivers"
        ),
        help=(
            "资金执行率 = 100%, 足额保障率, 按进度支付资金: spending the budget is the input, scored separately as "
            "预算执行率 (10 points). Indicators should say what the money buys (outputs) and achieves (benefits)."
        ),
        help_zh=(
            "“资金执行率=100%”“足额保障率”“按进度支付资金”：把预算花出去是投入，已单独以预算执行率（10分）评分。"
            "绩效指标应当说明资金买到了什么（产出）、实现了什么（效益）。"
        ),
        check=_restates_spending,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(
            row("产出指标/时效指标", "按时间进度要求支付使用资金", "月度时序", "按时发放", "发放期限")
        ),
        pass_example=RuleExample(
            row("产出指标/时效指标", "劝返信息报送及时率", "按规定时限报送的劝返信息占比", "≥98%", "信访工作规定")
        ),
    ),
    Rule(
        code="PT306",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Cost indicator that is not an amount of money",
        title_zh="成本指标的指标值不是金额",
        message="“{level}”下的指标“{name}”的指标值 {target} 不是金额",
        message_en="indicator “{name}” under “{level}” has the target {target}, which is not an amount of money",
        help=(
            "成本指标 (and 101号's 经济成本指标) state what the output costs: a total or a unit cost in 元 or 万元 "
            "(≤2万元/人, ≤10万元), so that it can be matched against the budget. A share or a qualitative statement "
            "belongs under 质量指标. Checked in project tables and in department parts with indicator levels."
        ),
        help_zh=(
            "成本指标（以及101号的经济成本指标）说明产出的成本：以元或万元计的总成本或单位成本（≤2万元/人、≤10万元），"
            "以便与预算相匹配。比例或定性表述应归入质量指标。本规则检查项目绩效目标表，以及分列指标层级的部门整体绩效目"
            "标。"
        ),
        check=_cost_not_money,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(row("产出指标/成本指标", "经费支出准确率", "准确率", "≥98%", "差旅保险标准")),
        pass_example=RuleExample(
            row("产出指标/成本指标", "人均值班费用", "值班人员人均费用", "≤2万元/人", "差旅保险标准")
        ),
    ),
    Rule(
        code="PT307",
        severity=Severity.WARNING,
        scope=Scope.INDICATOR,
        title="Target without a comparator",
        title_zh="指标值没有计算符号",
        message="指标“{name}”的指标值 {target} 没有计算符号，按“{comparator}”理解",
        message_en="the target {target} of indicator “{name}” has no comparator; it is read as “{comparator}”",
        help=(
            "Write the comparator (≥, ≤, =, >, <) in the target. A bare value is read as ≥ (the way published "
            "self-evaluations score it), which is wrong for costs and other lower-is-better indicators."
        ),
        help_zh=(
            "请在指标值中写明计算符号（≥、≤、=、>、<）。只写数值的，按 ≥ 理解（公开的自评表即按此评分），"
            "这对成本等越低越好的指标（反向指标）是错误的。"
        ),
        check=_inferred,
        object_only=True,
        reads=ROW_FIELDS,
        fail_example=RuleExample(row("产出指标/质量指标", "来信办理及时率", "按期办结的来信占比", "100%")),
        pass_example=RuleExample(row("产出指标/质量指标", "来信办理及时率", "按期办结的来信占比", "=100%")),
    ),
    Rule(
        code="PT308",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="计量单位 column disagrees with the target",
        title_zh="计量单位栏与指标值不一致",
        message="指标“{name}”的计量单位栏为“{printed}”，但指标值“{target}”{why}",
        message_en="the 计量单位 column of indicator “{name}” says “{printed}”, but its target “{target}” {why_en}",
        help=(
            "Layouts such as Hunan's print the unit in its own column (计量单位) beside the value. When the value "
            "carries a unit too (28.8万元), the two must be the same unit; a value in words (应保尽保) has no unit, so "
            "a unit in the column (%) says that a number is missing. Correct the column or the value: the unit "
            "decides how the target is compared and scored. Spellings of one unit (百分比 and %) agree."
        ),
        help_zh=(
            "湖南等地的表式在指标值旁另设计量单位栏。指标值本身也带单位的（28.8万元），两者必须是同一单位；"
            "文字表述的指标值（应保尽保）没有单位，计量单位栏却填了单位（%），说明缺少一个数值。"
            "请更正计量单位栏或指标值：单位决定指标值如何比较和评分。同一单位的不同写法（百分比与 %）视为一致。"
        ),
        check=_unit_column,
        object_only=True,
        reads=PRINTED_ROW_FIELDS,
        fail_example=RuleExample(
            row("产出指标/数量指标", "困难群众救助资金", "全年发放的救助资金", "28.8万元") + 'unit_text = "%"\n'
        ),
        pass_example=RuleExample(
            row("产出指标/数量指标", "困难群众救助资金", "全年发放的救助资金", "≥28.8万元") + 'unit_text = "万元"\n'
        ),
    ),
    Rule(
        code="PT309",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="定量 indicator with a value in words",
        title_zh="指标值类型为定量，指标值却是文字",
        message="指标“{name}”的指标值类型为定量，但指标值“{target}”是文字",
        message_en="indicator “{name}” is declared 定量 (quantitative), but its target “{target}” is in words",
        help=(
            "Layouts with a 指标值类型 column (Hunan's) declare each row 定量 or 定性. A 定量 row promises a number "
            "with its unit (≥12次, 100%); a value in words (按月安排) cannot be compared with an actual. Give the "
            "number, or declare the row 定性 with a graded statement."
        ),
        help_zh=(
            "设有指标值类型栏的表式（湖南）逐行注明定量或定性。定量的行应给出带计量单位的数值（≥12次、100%）；"
            "文字表述的指标值（按月安排）无法与实际完成值比较。请填写数值，或将该行改为定性并采用分级分档的表述。"
        ),
        check=_text_for_quantitative,
        object_only=True,
        reads=PRINTED_ROW_FIELDS,
        fail_example=RuleExample(
            row("产出指标/时效指标", "资金拨付时间", "救助资金按月拨付到户", "按月安排") + 'value_kind = "定量"\n'
        ),
        pass_example=RuleExample(
            row("产出指标/时效指标", "资金拨付时间", "救助资金按月拨付到户", "按月安排") + 'value_kind = "定性"\n'
        ),
    ),
)
