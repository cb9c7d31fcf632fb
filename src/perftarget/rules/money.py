"""PT4xx money and plan: the budget adds up, costs fit in it, the spending plan is sound."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from perftarget._judge.review import Rule, RuleContext, RuleExample, Scope, Severity, Violation, format_decimal
from perftarget._model.targets import ProjectTargets
from perftarget._rulebook.progress import time_progress
from perftarget._values.numbers import format_number
from perftarget._values.units import convert, dimension_of
from perftarget.rules._common import is_cost, is_row, shown, target_text

__all__ = ["RULES"]

_HUNDRED: Final = Decimal(100)
_ZERO: Final = Decimal(0)


def _parts_above_total(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    budget = project.budget
    for field, part, zh in (("fiscal", budget.fiscal, "财政资金"), ("other", budget.other, "其他资金")):
        if part is not None and part > budget.total:
            yield ctx.violation(
                f"budget.{field}",
                part=zh,
                part_en=field,
                amount=format_decimal(part),
                total=format_decimal(budget.total),
            )


def _zero_budget(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    if project.budget.total.is_zero():
        yield ctx.violation("budget.total")


def _cost_above_budget(ctx: RuleContext) -> Iterator[Violation]:
    indicator, project = ctx.indicator, ctx.project
    assert indicator is not None  # noqa: S101 - indicator scope
    if project is None or not is_row(indicator) or not is_cost(indicator):
        return
    target = indicator.target
    if not target.is_quantitative or target.value is None or dimension_of(target.unit)[0] != "money":
        return
    amount = convert(target.value, target.unit, "万元")
    if amount > project.budget.total:
        yield ctx.violation(
            "target",
            name=shown(indicator),
            target=target_text(target),
            amount=format_decimal(amount),
            budget=format_decimal(project.budget.total),
        )


def _multi_year_share(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    schedule = project.schedule
    if schedule is None or not schedule.multi_year or not schedule.checkpoints:
        return
    last = schedule.checkpoints[-1]
    if last.percent < _HUNDRED:
        yield ctx.violation(
            f"schedule.checkpoints[{len(schedule.checkpoints) - 1}]",
            label=last.display_label,
            percent=format_decimal(last.percent),
            rest=format_decimal(_HUNDRED - last.percent),
        )


def _below_time_progress(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    schedule = project.schedule
    if schedule is None:
        return
    for index, checkpoint in enumerate(schedule.checkpoints):
        progress = time_progress(checkpoint.date, schedule.start)
        if checkpoint.percent < progress:
            yield ctx.violation(
                f"schedule.checkpoints[{index}]",
                label=checkpoint.display_label,
                percent=format_decimal(checkpoint.percent),
                progress=format_decimal(progress),
            )


def _no_plan(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    if project.schedule is None or not project.schedule.checkpoints:
        yield ctx.violation("schedule")


def _amount(value: Decimal) -> str:
    """An amount for a message: two decimals as usual, every decimal when rounding would hide a difference."""
    shown = format_decimal(value)
    return shown if Decimal(shown) == value else format_number(value.normalize())


def _costs_sum(project: ProjectTargets) -> Decimal | None:
    """The sum of the cost build-up's amounts (``None`` when no part prints one)."""
    amounts = [item.amount for item in project.costs if item.amount is not None]
    return sum(amounts, _ZERO) if amounts else None


def _costs_total(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    total, parts = project.cost_total, _costs_sum(project)
    if total is None or parts is None or parts == total:
        return
    yield ctx.violation(
        "cost_total",
        total=_amount(total),
        parts=_amount(parts),
        count=sum(1 for item in project.costs if item.amount is not None),
        difference=_amount(abs(total - parts)),
    )


def _costs_budget(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    total = project.cost_total if project.cost_total is not None else _costs_sum(project)
    if total is None or total == project.budget.total:
        return
    printed = project.cost_total is not None
    yield ctx.violation(
        "cost_total" if printed else "costs",
        what="合计" if printed else "各项之和",
        what_en="total (合计)" if printed else "sum of its parts",
        total=_amount(total),
        budget=_amount(project.budget.total),
    )


def _costs(*amounts: str, total: str | None = None, budget: str = "10.00") -> str:
    items = ", ".join(
        f'{{name = "成本{k}", amount = {amount}, basis = "测算依据{k}"}}' for k, amount in enumerate(amounts, 1)
    )
    lines = [f"budget = {{total = {budget}}}", f"costs = [{items}]"]
    if total is not None:
        lines.append(f"cost_total = {total}")
    return "\n".join(lines) + "\n"


def _plan(october: int, december: int, *, multi_year: bool = False) -> str:
    flag = "multi_year = true\n" if multi_year else ""
    return (
        f"[schedule]\nfiscal_year = 2022\n{flag}checkpoints = [\n"
        '    {date = 2022-03-31, percent = 25, label = "3月底"},\n'
        '    {date = 2022-06-30, percent = 50, label = "6月底"},\n'
        f'    {{date = 2022-10-31, percent = {october}, label = "10月底"}},\n'
        f'    {{date = 2022-12-31, percent = {december}, label = "12月底"}},\n'
        "]\n"
    )


def _cost_row(target: str) -> str:
    return (
        '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "成本指标"\nname = "值班费总额"\n'
        f'description = "全年驻京值班费用"\ntarget = "{target}"\nbasis = "差旅保险标准"\n'
    )


RULES: tuple[Rule, ...] = (
    Rule(
        code="PT401",
        severity=Severity.ERROR,
        scope=Scope.PROJECT,
        title="Budget part larger than the total",
        title_zh="资金来源金额超过预算总额",
        message="{part} {amount} 万元超过预算总额 {total} 万元",
        message_en="the {part_en} part of the budget, {amount} 万元, is larger than the total {total} 万元",
        help=(
            "预算数 = 财政资金 + 其他资金. When all three are given perftarget checks the sum when the table is read; "
            "when one part is blank, a part larger than the total is still impossible. Check the amounts (万元)."
        ),
        help_zh=(
            "预算数 = 财政资金 + 其他资金。三项都填写时，perftarget 在读取表格时即核对合计；有一项空白时，"
            "某一部分大于预算总额仍然是不可能的。请核对金额（万元）。"
        ),
        check=_parts_above_total,
        object_only=True,
        reads=("budget",),
        fail_example=RuleExample("budget = {total = 10.00, fiscal = 12.00}\n", "project"),
        pass_example=RuleExample("budget = {total = 12.00, fiscal = 10.00}\n", "project"),
    ),
    Rule(
        code="PT402",
        severity=Severity.WARNING,
        scope=Scope.PROJECT,
        title="Budget total is zero",
        title_zh="预算总额为零",
        message="预算总额为 0：绩效目标无从与资金匹配",
        message_en="the budget total is 0: the targets cannot be matched to any money",
        help=(
            "A project target table accompanies a budget request; with no money, outputs and costs cannot be "
            "matched (相应匹配) and the execution rate cannot be computed. Enter the budget in 万元."
        ),
        help_zh=(
            "项目绩效目标表随预算申报一同报送；没有资金，产出和成本就无从与资金相应匹配，预算执行率也无法计算。"
            "请以万元填写预算数。"
        ),
        check=_zero_budget,
        object_only=True,
        reads=("budget",),
        fail_example=RuleExample("budget = {total = 0}\n", "project"),
        pass_example=RuleExample("budget = {total = 10.00}\n", "project"),
    ),
    Rule(
        code="PT403",
        severity=Severity.ERROR,
        scope=Scope.INDICATOR,
        title="Cost target above the budget",
        title_zh="成本指标值超过项目预算",
        message="成本指标“{name}”的指标值 {target}（{amount} 万元）超过项目预算 {budget} 万元",
        message_en="cost indicator “{name}” has the target {target} ({amount} 万元), above the budget of {budget} 万元",
        help=(
            "Outputs and costs must match the money (相应匹配, 88号): a cost indicator cannot plan to spend more than "
            "the project's budget. Lower the target or correct the budget (amounts are compared in 万元; unit "
            "costs such as 万元/人 are not compared)."
        ),
        help_zh=(
            "产出和成本必须与资金相应匹配（88号）：成本指标计划支出的金额不能超过项目预算。请调低指标值或更正预算（金额"
            "按万元比较；万元/人等单位成本不作比较）。"
        ),
        check=_cost_above_budget,
        fail_example=RuleExample(_cost_row("≤90万元") + "\n", "indicators"),
        pass_example=RuleExample(_cost_row("≤10万元") + "\n", "indicators"),
    ),
    Rule(
        code="PT404",
        severity=Severity.INFO,
        scope=Scope.PROJECT,
        title="Multi-year plan ends below 100 %",
        title_zh="跨年度项目的支出计划不到100%",
        message="多年度项目：资金支出计划到{label}累计 {percent}%，其余 {rest}% 在以后年度支出",
        message_en=(
            "multi-year project: the plan reaches {percent}% by {label}; the other {rest}% is spent in later years"
        ),
        help=(
            "A plan must reach 100 % by the end of the year unless the project is declared multi-year "
            "(multi_year = true). For such a project, check that the carried-over share is intended and budgeted."
        ),
        help_zh=(
            "资金支出计划到年底须累计达到100%，除非项目声明为跨年度项目（multi_year = true）。对跨年度项目，"
            "请核实结转到以后年度的部分确属有意安排，并已列入预算。"
        ),
        check=_multi_year_share,
        object_only=True,
        reads=("schedule",),
        fail_example=RuleExample(_plan(50, 60, multi_year=True), "project"),
        pass_example=RuleExample(_plan(85, 100, multi_year=True), "project"),
    ),
    Rule(
        code="PT405",
        severity=Severity.INFO,
        scope=Scope.PROJECT,
        title="Spending plan behind the linear time progress",
        title_zh="资金支出计划低于序时进度",
        message="资金支出计划到{label}累计 {percent}%，低于序时进度 {progress}%",
        message_en="the spending plan reaches {percent}% by {label}, below the linear time progress of {progress}%",
        help=(
            "序时进度 is the share of the year elapsed, months elapsed / 12 (10月底: 10/12 = 83.33 %; a checkpoint "
            "inside a month counts the months already ended). A plan behind it is allowed, but "
            "monitoring will compare spending with both the plan and the time progress, so a slow plan should be "
            "intended (e.g. payments due at year end)."
        ),
        help_zh=(
            "序时进度是全年已过去的比例，即已过月数 ÷ 12（10月底：10/12 = 83.33%；月中的时点只计已结束的月份）。"
            "支出计划低于序时进度是允许的，但绩效运行监控将把支出同时与支出计划和序时进度比较，因此计划偏慢应当是有意安"
            "排（如款项在年底支付）。"
        ),
        check=_below_time_progress,
        object_only=True,
        reads=("schedule",),
        fail_example=RuleExample(_plan(75, 100), "project"),
        pass_example=RuleExample(_plan(85, 100), "project"),
    ),
    Rule(
        code="PT406",
        severity=Severity.INFO,
        scope=Scope.PROJECT,
        title="No spending plan",
        title_zh="没有资金支出计划",
        message="项目没有资金支出计划",
        message_en="the project has no spending plan (资金支出计划)",
        help=(
            "The Hebei template asks for the cumulative share of the budget to be spent by 3月底, 6月底, 10月底 and "
            "12月底; in-year monitoring compares spending with it. Self-evaluation tables have no plan and are "
            "reviewed without this rule (the self-evaluation profile); ignore it for other layouts without one."
        ),
        help_zh=(
            "河北省模板要求填写到3月底、6月底、10月底和12月底累计支出预算的比例；年度中的绩效运行监控将支出与之比较。"
            "项目支出绩效自评表没有支出计划，按自评表审核方案（self-evaluation）审核，不运行本规则；"
            "其他没有支出计划的表式，可忽略本规则。"
        ),
        check=_no_plan,
        object_only=True,
        reads=("schedule",),
        fail_example=RuleExample("schedule = {fiscal_year = 2022, checkpoints = []}\n", "project"),
        pass_example=RuleExample(_plan(85, 100), "project"),
    ),
    Rule(
        code="PT407",
        severity=Severity.ERROR,
        scope=Scope.PROJECT,
        title="Cost build-up does not add up to its total",
        title_zh="预算成本构成各项之和与合计不符",
        message="预算成本构成的合计为 {total} 万元，但 {count} 项金额之和为 {parts} 万元（相差 {difference} 万元）",
        message_en=(
            "the cost build-up prints the total (合计) {total} 万元, but its {count} amounts add up to {parts} 万元 "
            "(a difference of {difference} 万元)"
        ),
        help=(
            "Layouts such as Hubei's 项目支出绩效目标表 print how the budget is reckoned (预算成本构成 | 金额 | "
            "测算依据) with a 合计 row. The 合计 is the sum of the amounts above it: a difference is a slip in one "
            "of them or in the total (a real table prints 662.98 over parts that add to 662.88). Parts left blank "
            "count for nothing."
        ),
        help_zh=(
            "湖北等地的项目支出绩效目标表列出预算的测算（预算成本构成 | 金额 | 测算依据），并有“合计”行。"
            "合计是其上各项金额之和：不一致说明某一项或合计有误（一张实际表格合计印为662.98，各项之和却是662.88）。"
            "空白的项按零计。"
        ),
        check=_costs_total,
        fail_example=RuleExample(_costs("4.00", "6.00", total="10.10"), "project"),
        pass_example=RuleExample(_costs("4.00", "6.00", total="10.00"), "project"),
    ),
    Rule(
        code="PT408",
        severity=Severity.WARNING,
        scope=Scope.PROJECT,
        title="Cost build-up total differs from the budget",
        title_zh="预算成本构成的合计与项目预算不符",
        message="预算成本构成的{what}为 {total} 万元，与项目预算总额 {budget} 万元不一致",
        message_en="the cost build-up's {what_en} is {total} 万元, not the project's budget total of {budget} 万元",
        help=(
            "The cost build-up explains the budget requested: its total (the printed 合计, else the sum of the "
            "amounts) is the project's 预算总额. A difference means a cost left out or counted twice, or a budget "
            "that does not match its reckoning. If the build-up deliberately covers only part of the budget, "
            "suppress the rule with the reason."
        ),
        help_zh=(
            "预算成本构成说明所申请预算的测算：其合计（表上所印的合计，没有时为各项金额之和）就是项目的预算总额。"
            "两者不一致，说明有成本漏列或重复计算，或预算与测算不符。成本构成有意只涵盖部分预算的，"
            "请注明理由后豁免本规则。"
        ),
        check=_costs_budget,
        fail_example=RuleExample(_costs("4.00", "8.00", total="12.00"), "project"),
        pass_example=RuleExample(_costs("4.00", "6.00", total="10.00"), "project"),
    ),
)
