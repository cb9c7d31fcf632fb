"""PT5xx consistency: the narrative agrees with the tables, weights with the scoring policy."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Final

from perftarget._judge.review import Rule, RuleContext, RuleExample, Scope, Severity, Violation, format_decimal
from perftarget._model.targets import Indicator, ProjectTargets
from perftarget._rulebook.scoring import ScoringPolicy, block_points, goal_block, rules_of
from perftarget._rulebook.scoring import blocks as scoring_blocks
from perftarget._values.levels import Level1
from perftarget._values.threshold import Threshold
from perftarget._values.units import convert, convertible
from perftarget.rules._common import is_row, shown
from perftarget.rules._text import bigrams, dice

__all__ = ["MATCH_THRESHOLD", "RULES", "same_target"]

MATCH_THRESHOLD: Final = Fraction(3, 5)
"""Names match when Dice's coefficient of their character bigrams is at least 0.6."""

_ZERO: Final = Decimal(0)


def same_target(claim: Threshold, table: Threshold) -> bool:
    """Whether a narrative's target says the same as a table's: comparator, value(s), unit.

    Units of one dimension are compared after conversion (95% and 950‰ agree).
    """
    if not table.is_quantitative or claim.comparator is not table.comparator:
        return False
    if claim.value is None or table.value is None:
        return False
    if claim.unit == table.unit:
        return claim.value == table.value and claim.upper == table.upper
    if not claim.unit or not table.unit or not convertible(claim.unit, table.unit):
        return False

    def scaled(value: Decimal | None) -> Decimal | None:
        return None if value is None else convert(value, claim.unit, table.unit)

    return scaled(claim.value) == table.value and scaled(claim.upper) == table.upper


class _Index:
    """The document's project indicators, indexed by key and by name bigram (built once per document)."""

    __slots__ = ("by_gram", "by_key", "entries")

    def __init__(self, ctx: RuleContext) -> None:
        self.entries: list[tuple[int, str, Indicator, int]] = []  # (project, path, indicator, bigram count)
        self.by_gram: dict[str, list[int]] = {}
        self.by_key: dict[str, list[int]] = {}
        for p, project in enumerate(ctx.document.projects):
            for path, indicator in project.iter_indicators():
                if not is_row(indicator):
                    continue
                grams = bigrams(indicator.name)
                number = len(self.entries)
                self.entries.append((p, path, indicator, len(grams)))
                for gram in grams:
                    self.by_gram.setdefault(gram, []).append(number)
                if indicator.key is not None:
                    self.by_key.setdefault(indicator.key, []).append(number)

    def matches(self, claim: Indicator) -> list[int]:
        """The entries a narrative indicator is compared with: same key, else the most similar name."""
        if claim.key is not None and claim.key in self.by_key:
            return self.by_key[claim.key]
        grams = bigrams(claim.name)
        if not grams:
            return []
        shared: dict[int, int] = {}
        for gram in grams:
            for number in self.by_gram.get(gram, ()):
                shared[number] = shared.get(number, 0) + 1
        best: int | None = None
        best_score = MATCH_THRESHOLD
        for number, count in shared.items():
            score = dice(count, len(grams), self.entries[number][3])
            if score > best_score or (score == best_score and (best is None or number < best)):
                best, best_score = number, score
        return [] if best is None else [best]


def _narrative(ctx: RuleContext) -> Iterator[Violation]:
    document = ctx.document
    department = document.department
    if department is None or not document.projects:
        return
    index: _Index | None = None
    base = ctx.department_path
    for g, goal in enumerate(department.goals):
        for i, claim in enumerate(goal.indicators):
            if not claim.target.is_quantitative:
                continue
            if index is None:
                index = _Index(ctx)
            for number in index.matches(claim):
                p, path, indicator, _ = index.entries[number]
                if same_target(claim.target, indicator.target):
                    continue
                project = document.projects[p]
                where = f"goals[{g}].indicators[{i}].target"
                yield Violation(
                    f"{base}.{where}" if base else where,
                    {
                        "claim": (claim.description or claim.name).strip().rstrip("。.;；"),
                        "claim_target": str(claim.target),
                        "name": indicator.name.strip(),
                        "target": str(indicator.target),
                        "project": project.name,
                        "where": ctx.path_of(_join(ctx.project_path(p), f"{path}.target")),
                    },
                )


def _join(base: str, field: str) -> str:
    return f"{base}.{field}" if base else field


def _policy(ctx: RuleContext) -> ScoringPolicy:
    return ScoringPolicy.preset(ctx.config.scoring_policy)


def _has_weights(project: ProjectTargets) -> bool:
    return any(indicator.weight is not None for goal in project.goals for indicator in goal.indicators)


def _weight_sums(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    if not _has_weights(project):
        return
    rows = [indicator for indicator in project.indicators if is_row(indicator)]
    if not rows or any(indicator.weight is None for indicator in rows):
        return  # no weights (nothing to check) or some missing (PT503)
    policy = _policy(ctx)
    if policy.goal_points:
        yield from _goal_sums(ctx, project, policy)
        return
    blocks = scoring_blocks(policy)
    sums: dict[Level1, Decimal] = dict.fromkeys(policy.level1_weights, _ZERO)
    total = _ZERO
    for indicator in rows:
        weight = indicator.weight
        assert weight is not None  # noqa: S101 - checked above
        total += weight
        block = blocks.get(indicator.level1) if isinstance(indicator.level1, Level1) else None
        if block is not None:
            sums[block] += weight
    values = {"policy": policy.name}
    present = {blocks[i.level1] for i in rows if isinstance(i.level1, Level1) and i.level1 in blocks}
    if present == set(policy.level1_weights):
        for block, points in policy.level1_weights.items():
            if sums[block] != points:
                yield ctx.violation(
                    "goals",
                    what=block.label,
                    what_en=block.label,
                    sum=format_decimal(sums[block]),
                    expected=format_decimal(points),
                    **values,
                )
        return
    expected_total = sum(policy.level1_weights.values(), _ZERO)
    if total != expected_total:
        yield ctx.violation(
            "goals",
            what="全部三级指标",
            what_en="all indicators",
            sum=format_decimal(total),
            expected=format_decimal(expected_total),
            **values,
        )


def _goal_sums(ctx: RuleContext, project: ProjectTargets, policy: ScoringPolicy) -> Iterator[Violation]:
    """Each goal block's weights against its points, as the scorer shares them (the rulebook's block_points)."""
    sums: dict[str, Decimal] = {}
    for index, goal in enumerate(project.goals):
        for indicator in goal.indicators:
            if is_row(indicator) and indicator.weight is not None:
                label = goal_block(index)
                sums[label] = sums.get(label, _ZERO) + indicator.weight
    rules = rules_of(policy)
    expected = block_points(set(sums), rules, rules.level1_sum)
    for label, total in sums.items():
        points = expected.get(label)
        if points is not None and total != points:
            yield ctx.violation("goals", what=label, what_en=label, sum=format_decimal(total),
                                expected=format_decimal(points), policy=policy.name)


def _weights_partial(ctx: RuleContext) -> Iterator[Violation]:
    project = ctx.project
    assert project is not None  # noqa: S101 - project scope
    if not _has_weights(project):
        return
    entries = [(path, indicator) for path, indicator in project.iter_indicators() if is_row(indicator)]
    given = sum(1 for _, indicator in entries if indicator.weight is not None)
    if not given or given == len(entries):
        return
    for path, indicator in entries:
        if indicator.weight is None:
            yield ctx.violation(f"{path}.weight", name=shown(indicator), given=given, count=len(entries))


def _unused_suppression(_ctx: RuleContext) -> Iterator[Violation]:
    """Computed by the engine after every other rule (see perftarget._judge.review)."""
    return iter(())


def _year_mismatch(ctx: RuleContext) -> Iterator[Violation]:
    document = ctx.document
    if document.department is None:
        return
    year = document.department.year
    for index, project in enumerate(document.projects):
        if project.year != year:
            yield Violation(
                _join(ctx.project_path(index), "year"),
                {"name": project.name, "year": project.year, "department_year": year},
            )


_DEPARTMENT = """\
[department]

[[department.goals]]
content = "劝返群众来访人数占比"

[[department.goals.indicators]]
name = "群众来访劝返率"
target = "{target}"
description = "群众来访劝返率{target}。"

[[projects]]
"""


def _weighted_project(output: int, benefit: int, satisfaction: int) -> str:
    return (
        '[[goals]]\ncontent = "保障驻京值班工作队全年在岗值班，做好来访群众劝返工作"\n\n'
        '[[goals.indicators]]\nlevel1 = "产出指标"\nlevel2 = "数量指标"\nname = "驻京值班天数"\n'
        f'description = "全年驻京值班的天数"\ntarget = "≥250天"\nbasis = "工作要求"\nweight = {output}\n\n'
        '[[goals.indicators]]\nlevel1 = "效益指标"\nlevel2 = "社会效益指标"\nname = "群众来访劝返率"\n'
        'description = "劝返的来访群众人数占来访人数的比例"\ntarget = "≥95%"\nbasis = "历年劝返比例"\n'
        f"weight = {benefit}\n\n"
        '[[goals.indicators]]\nlevel1 = "满意度指标"\nlevel2 = "服务对象满意度指标"\nname = "上访人员满意度"\n'
        f'description = "问卷中表示满意的上访人员占比"\ntarget = "≥90%"\nbasis = "调查问卷"\nweight = {satisfaction}\n'
    )


RULES: tuple[Rule, ...] = (
    Rule(
        code="PT501",
        severity=Severity.WARNING,
        scope=Scope.DOCUMENT,
        title="Department narrative disagrees with a project table",
        title_zh="部门整体目标与项目绩效目标表不一致",
        message="部门整体目标“{claim}”（{claim_target}）与项目“{project}”的指标“{name}”（{target}，{where}）不一致",
        message_en=(
            "the department narrative “{claim}” ({claim_target}) disagrees with indicator “{name}” ({target}, at "
            "{where}) of project “{project}”"
        ),
        help=(
            "The department's narrative targets (分项绩效目标) and the project tables describe the same work, so a "
            "target stated in both must agree. Indicators are matched by key when the narrative's indicator has "
            "one, else by name: the project indicator whose name has the highest Dice coefficient of character "
            "bigrams with the narrative's, at least 0.6 (spaces and punctuation ignored; 群众来访劝返率 and "
            "群众来访接待劝返率 score 0.71). Comparator, value and unit are compared; 大于 reads as >, so "
            "“大于 95%” disagrees with ≥95%: write 不低于 95% or correct the table."
        ),
        help_zh=(
            "部门整体绩效目标中的分项绩效目标与项目绩效目标表描述的是同一项工作，两处都写明的指标值必须一致。"
            "部门整体目标的指标设有指标键的，按指标键匹配，否则按名称匹配：取与其名称的字符二元组 Dice 系数最高、"
            "且不低于0.6的项目指标（忽略空格和标点；“群众来访劝返率”与“群众来访接待劝返率”为0.71）。比较计算符号、"
            "数值和计量单位；“大于”理解为 >，因此“大于 95%”与 ≥95% 不一致：请在部门整体目标中写“不低于 95%”，"
            "或更正项目表。"
        ),
        check=_narrative,
        fail_example=RuleExample(_DEPARTMENT.format(target="大于 95%"), "document"),
        pass_example=RuleExample(_DEPARTMENT.format(target="不低于 95%"), "document"),
    ),
    Rule(
        code="PT502",
        severity=Severity.WARNING,
        scope=Scope.PROJECT,
        title="Indicator weights do not add up under the scoring policy",
        title_zh="指标分值合计与评分办法不符",
        message="{what}的三级指标分值合计 {sum}，评分办法“{policy}”要求 {expected}",
        message_en="the weights of {what_en} add up to {sum}; scoring policy “{policy}” gives it {expected}",
        help=(
            "When a table gives weights (分值), they must add up to the policy's level-1 points: national-2020 "
            "gives 产出 50, 效益 30, 满意度 10 (and 10 for budget execution), so the indicators add up to 90. "
            "成本 counts in 产出 and, where the policy has no 满意度 block, 满意度 in 效益. When a whole level-1 is "
            "missing only the total is checked. A policy that gives its points per goal block (hubei-2020: "
            "年度绩效目标1 and 年度绩效目标2, 40 each) checks each goal's weights against its block, a missing goal's "
            "points shared by the others. Choose the policy with scoring-policy in [tool.perftarget]."
        ),
        help_zh=(
            "表中填写分值的，各指标分值合计必须等于评分办法规定的一级指标分值：national-2020 规定产出50分、效益30分、"
            "满意度10分（另有预算执行率10分），因此各指标分值合计为90分。成本计入产出；评分办法没有单列满意度的，"
            "满意度计入效益。缺少整个一级指标时，只核对分值总计。按目标分块给分的评分办法（hubei-2020："
            "年度绩效目标1和年度绩效目标2，各40分）逐个目标核对其分值，缺少的目标的分值由其他目标分摊。"
            "评分办法在 [tool.perftarget] 的 scoring-policy 中选择。"
        ),
        check=_weight_sums,
        fail_example=RuleExample(_weighted_project(45, 30, 10), "project"),
        pass_example=RuleExample(_weighted_project(50, 30, 10), "project"),
    ),
    Rule(
        code="PT503",
        severity=Severity.WARNING,
        scope=Scope.PROJECT,
        title="Weights given for some indicators only",
        title_zh="只有部分指标填写了分值",
        message="{count} 个指标中有 {given} 个填写了分值，指标“{name}”没有填写",
        message_en="{given} of {count} indicators have a weight (分值), but “{name}” has none",
        help=(
            "Give every applicable indicator its weight, or none (then each level-1's points are shared evenly). "
            "A partly weighted table leaves the remaining points to be split in a way nobody wrote down."
        ),
        help_zh=(
            "请为每个适用的指标都填写分值，或者都不填（此时每个一级指标的分值在其指标间平均分配）。"
            "只有部分指标填写分值的表，剩余分值如何分配没有任何书面依据。"
        ),
        check=_weights_partial,
        fail_example=RuleExample(_weighted_project(50, 30, 10).replace("weight = 10\n", ""), "project"),
        pass_example=RuleExample(_weighted_project(50, 30, 10), "project"),
    ),
    Rule(
        code="PT504",
        severity=Severity.INFO,
        scope=Scope.DOCUMENT,
        title="Suppression that matches nothing",
        title_zh="豁免没有对应任何问题",
        message="豁免规则 {code} {why}",
        message_en="the suppression of {code} {why_en}",
        help=(
            "A suppression switches a rule off for one indicator or project, with a reason. One that matches no "
            "finding (the problem was fixed) or names no rule (a typo) should be removed, so that it does not hide "
            "a later problem. Suppressions of rules not selected in this run are not reported."
        ),
        help_zh=(
            "豁免（suppression）针对某一指标或项目关闭一条规则，并须注明理由。没有对应任何审核意见的豁免（问题已改正）"
            "或不对应任何规则的豁免（代码写错）应当删除，以免掩盖以后出现的问题。本次未选用的规则的豁免不报告。"
        ),
        check=_unused_suppression,
        fail_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "来信办理及时率"\n'
            'description = "按期办结的来信占比"\ntarget = "≥95%"\nbasis = "工作要求"\n'
            'suppressions = [{code = "PT307", reason = "指标值按惯例不写符号"}]\n'
        ),
        pass_example=RuleExample(
            '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "质量指标"\nname = "来信办理及时率"\n'
            'description = "按期办结的来信占比"\ntarget = "100%"\nbasis = "工作要求"\n'
            'suppressions = [{code = "PT307", reason = "指标值按惯例不写符号"}]\n'
        ),
    ),
    Rule(
        code="PT505",
        severity=Severity.WARNING,
        scope=Scope.DOCUMENT,
        title="Project year differs from the department's",
        title_zh="项目预算年度与部门整体目标不同",
        message="项目“{name}”的预算年度为 {year}，部门整体目标为 {department_year}",
        message_en="project “{name}” is for {year}, the department targets for {department_year}",
        help=(
            "A document holds one unit's targets for one budget year; check the year of the project or of the "
            "department."
        ),
        help_zh="一个文档包含一个预算单位一个预算年度的绩效目标；请核对项目或部门整体绩效目标的预算年度。",
        check=_year_mismatch,
        fail_example=RuleExample(
            '[department]\nyear = 2023\n\n[[department.goals]]\ncontent = "保障人员正常工作、生活"\n\n'
            '[[department.goals.indicators]]\nname = "单位正常运转"\ntarget = "工作日保障单位正常运转"\n\n'
            "[[projects]]\n",
            "document",
        ),
        pass_example=RuleExample(
            '[department]\nyear = 2022\n\n[[department.goals]]\ncontent = "保障人员正常工作、生活"\n\n'
            '[[department.goals.indicators]]\nname = "单位正常运转"\ntarget = "工作日保障单位正常运转"\n\n'
            "[[projects]]\n",
            "document",
        ),
    ),
)
