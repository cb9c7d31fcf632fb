"""Self-evaluation (绩效自评): score a target table against its actuals by a :class:`ScoringPolicy`.

The rules are those of 财预〔2020〕10号 and its self-evaluation table (domain notes §5),
written once in the rulebook (:mod:`perftarget._rulebook.scoring`): the policy, the
decision table of quantitative targets, the weight fold, the bands, the budget score, the
total and the grade. This module matches actuals to indicators, calls those rules and
puts the results together.

The per-indicator path is kept lean, since a province has millions of rows: the policy is
compiled once (:func:`rules_of`); what a table's levels, 无 rows and weights give (labels,
weights, the weights' sums) once per table shape (:func:`_shape`); the line of an
indicator (score, rule, formula) once per distinct target, actual text and weight
(:func:`_line`); actuals are matched by one lookup per row in the common case
(:func:`match_actuals`); and the result objects are built by plain slot assignment
(:func:`_filler`). Every result is a plain, frozen instance of its class, as its
constructor makes it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, getcontext, setcontext
from typing import Any, Final, Literal, TypeVar

import attrs

from perftarget._codec.actuals import load_actuals
from perftarget._model.actuals import (
    MISSING,
    ActualInput,
    ActualsDocument,
    Entry,
    ExplicitScore,
    Matched,
    TableActuals,
    match_actuals,
    read_amount,
)
from perftarget._model.targets import DepartmentTargets, Document, Goal, Indicator, ProjectTargets
from perftarget._rulebook.scoring import (
    CONTEXT,
    DEFAULT_POLICY,
    Grade,
    Rules,
    ScoringPolicy,
    add_up,
    band_case,
    band_span,
    budget_score,
    explain,
    explain_outcome,
    goal_block,
    indicator_weights,
    number_text,
    outcome,
    policy_of,
    printed_score,
    printed_sum,
    printed_total,
    rounded,
    rules_of,
    shown,
    snap,
    total,
)
from perftarget._values.levels import Level1, Level2, level_label
from perftarget._values.numbers import format_number, round_half_up
from perftarget._values.threshold import Achievement, Threshold, ThresholdKind
from perftarget.exceptions import (
    EvaluationError,
    InvalidActualError,
    InvalidValueError,
    Problem,
    UnitMismatchError,
)

__all__ = [
    "DEFAULT_POLICY",
    "DocumentEvaluation",
    "Grade",
    "IndicatorScore",
    "ProjectEvaluation",
    "ScoringPolicy",
    "Subtotal",
    "evaluate",
    "evaluate_department",
    "evaluate_document",
]

_ZERO: Final = Decimal(0)
_HUNDRED: Final = Decimal(100)
_CONTEXT: Final = CONTEXT
# The context an evaluation runs in, made current for its duration and then the caller's restored: a copy of
# CONTEXT (its flags may change; nothing reads them), cheaper than a fresh copy per call (localcontext).
_WORKING: Final = CONTEXT.copy()
# Enum members bound once: the per-indicator path compares identities, not class attributes.
_QUALITATIVE: Final = ThresholdKind.QUALITATIVE
_NOT_APPLICABLE: Final = ThresholdKind.NOT_APPLICABLE
_BLANK: Final = ThresholdKind.BLANK
_n = number_text
_T = TypeVar("_T")


# --- results ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IndicatorScore:
    """One indicator's line of the self-evaluation: its weight, score and how the score came about.

    ``formula`` is the arithmetic with its numbers (``93 / 95 × 12.5 ≈ 12.24``), the
    actual expressed in the target's unit; ``rule`` names the rule applied (one of
    ``at_least``, ``at_most``, ``at_most_linear``, ``equal``, ``equal_zero``, ``range``,
    ``rate_times_weight``, ``qualitative``, ``explicit``, ``manual``, ``missing``,
    ``invalid``, ``not_applicable``). A row with no target printed (blank) takes the score
    given for it: rule ``explicit``, its formula saying so.

    .. versionadded:: 0.1.0
    """

    path: str
    name: str
    level1: str = ""
    level2: str = ""
    target: str = ""
    actual: str = ""
    weight: Decimal = _ZERO
    score: Decimal = _ZERO
    rule: str = "not_applicable"
    formula: str = ""
    reason: str = ""
    needs_explanation: bool = False
    over_achieved: bool = False

    @property
    def applicable(self) -> bool:
        """``False`` for a 无 row."""
        return self.rule != "not_applicable"


@attrs.frozen
class Subtotal:
    """The weight and score of one level-1 indicator (``产出指标``), or of one goal block.

    When the table gives no levels, one subtotal with the label ``""`` covers every indicator.
    Under a policy that gives its points per goal block (``goal_points``), ``level1`` is the
    block's label (``年度绩效目标1``).

    .. versionadded:: 0.1.0
    """

    level1: str
    weight: Decimal
    score: Decimal


_ROW_COLUMNS: Final = (
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
)
_ROW_COLUMNS_EN: Final = (
    "Level 1", "Level 2", "Indicator", "Annual target", "Actual", "Weight", "Score", "Deviation analysis and measures",
)
_ROW_LABELS: Final = {"zh": ("预算执行率", "总分"), "en": ("Budget execution rate", "Total")}


@attrs.frozen(kw_only=True)
class ProjectEvaluation:
    """A self-evaluation (绩效自评): the total, its grade, the budget score and every indicator's line.

    ``total`` and the scores are exact; ``display_total()`` and :meth:`to_rows` round half
    up to ``places`` decimals for display. ``budget_execution_rate`` is a percent
    (92 means 92 %). When the weights do not add up to the policy's 100 (or the policy
    rescales 无 rows) the total is ``raw_total × 100 / weight_total``; ``total_formula``
    shows the arithmetic.

    What the 10号 self-evaluation table (附件1, domain notes §5.8) prints besides the scores
    is kept as printed: ``department`` (主管部门) and ``unit`` (实施单位), ``initial_budget``
    (年初预算数, 万元: the target table's budget, where ``budget`` is the full-year 全年预算数),
    and the 年度总体目标 row's two texts, ``goal`` (预期目标: the contents of the project's
    goals, one a line) and ``outcome`` (实际完成情况: what the goal actually achieved, given
    with the actuals, :attr:`TableActuals.outcome <perftarget.TableActuals.outcome>`).
    :func:`evaluate` takes them from the project and its actuals; a published table read on
    its own keeps what it prints.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``department``, ``unit``, ``initial_budget``, ``goal`` and ``outcome``.
    """

    scope: str = "project"
    code: str = ""
    name: str = ""
    year: int = 0
    policy: str = DEFAULT_POLICY
    total: Decimal
    grade: Grade
    raw_total: Decimal
    weight_total: Decimal
    total_formula: str = ""
    budget: Decimal | None = None
    spent: Decimal | None = None
    budget_execution_rate: Decimal | None = None
    budget_weight: Decimal = _ZERO
    budget_score: Decimal | None = None
    budget_formula: str = ""
    subtotals: tuple[Subtotal, ...] = ()
    items: tuple[IndicatorScore, ...] = ()
    places: int = 2
    problems: tuple[Problem, ...] = ()
    total_rounding: str = "round_total"
    printed_total: Decimal | None = None
    department: str = ""
    unit: str = ""
    initial_budget: Decimal | None = None
    goal: str = ""
    outcome: str = ""

    def display(self, value: Decimal | None) -> str:
        """A number rounded half up to this evaluation's places (``""`` for ``None``)."""
        if value is None:
            return ""
        return format_number(round_half_up(value, self.places))

    def display_total(self) -> str:
        """The total as published (总分): by the policy's ``total_rounding``.

        ``"round_total"``: the exact total rounded half up (``"94.23"``, or ``"94"`` with 0
        places); ``"sum_rounded"``: :attr:`printed_total`, the printed 得分 added (``"94.24"``).
        """
        return self.display(self.total if self.printed_total is None else self.printed_total)

    def column_sum(self) -> str:
        """The sum of the printed 得分 column (indicators and the budget line), as a reviewer adds it by hand."""
        scores = [item.score for item in self.items if item.applicable]
        if self.budget_score is not None:
            scores.append(self.budget_score)
        return self.display(printed_sum(scores, self.places))

    def rounding_note(self, lang: Literal["zh", "en"] = "zh") -> str:
        """How 总分 was printed, when the printed 得分 column does not add up to it; else ``""``.

        The seed under the national rules prints 总分 94.23 (the exact total 94.2346... rounded)
        while its 得分 column adds up to 94.24: the note says which rule the policy uses.
        """
        column = self.column_sum()
        if column == self.display_total():
            return ""
        if self.printed_total is not None:  # sum_rounded, rescaled to the full points
            if lang == "en":
                return f"Total: the printed scores ({column}) rescaled to 100 (policy total_rounding = sum_rounded)"
            return f"总分为得分列合计 {column} 按百分制折算（total_rounding = sum_rounded）"
        exact = _n(self.total)
        if lang == "en":
            return (
                f"Total: the exact total {exact} rounded half up (policy total_rounding = round_total); "
                f"the printed scores add up to {column}"
            )
        return f"总分为精确总分 {exact} 四舍五入（total_rounding = round_total），得分列合计 {column}"

    def display_rate(self) -> str:
        """The budget execution rate as a percent (``"92.00%"``), or ``""`` when not scored."""
        return "" if self.budget_execution_rate is None else f"{self.display(self.budget_execution_rate)}%"

    def item(self, key: str) -> IndicatorScore:
        """The line of the indicator with this path or name.

        Raises:
            KeyError: no indicator has it.
        """
        for item in self.items:
            if key in (item.path, item.name):
                return item
        raise KeyError(key)

    def subtotal(self, level1: Level1 | str) -> Subtotal:
        """The subtotal of one level-1 (the enum member or its label).

        Raises:
            KeyError: the table has no indicator of that level-1.
        """
        label = level1.label if isinstance(level1, Level1) else level1
        for subtotal in self.subtotals:
            if subtotal.level1 == label:
                return subtotal
        raise KeyError(label)

    @property
    def needs_explanation(self) -> tuple[IndicatorScore, ...]:
        """The lines scoring below their weight: each needs a 偏差原因分析及改进措施."""
        return tuple(item for item in self.items if item.needs_explanation)

    @property
    def missing_explanations(self) -> tuple[IndicatorScore, ...]:
        """The lines that need a 偏差原因分析 and have none."""
        return tuple(item for item in self.items if item.needs_explanation and not item.reason.strip())

    def to_rows(self, *, lang: Literal["zh", "en"] = "zh") -> list[dict[str, str]]:
        """The indicator part of the 10号 self-evaluation table, one dict per row.

        Columns: 一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分,
        偏差原因分析及改进措施; numbers rounded for display, 无 rows with empty 分值 and 得分.
        After the indicators come a 预算执行率 row (年度指标值 = 全年预算数, 实际完成值 =
        全年执行数 and the rate) when the budget is scored, and the 总分 row.
        ``lang="en"``: English headings, levels and labels (names and values as written).
        """
        columns = _ROW_COLUMNS_EN if lang == "en" else _ROW_COLUMNS
        budget_label, total_label = _ROW_LABELS[lang]
        rows = []
        for item in self.items:
            applicable = item.applicable
            values = (
                level_label(item.level1, lang), level_label(item.level2, lang), item.name, item.target, item.actual,
                self.display(item.weight) if applicable else "",
                self.display(item.score) if applicable else "",
                item.reason,
            )
            rows.append(dict(zip(columns, values, strict=True)))
        if self.budget_score is not None:
            rate = f"（{self.display_rate()}）" if lang == "zh" else f" ({self.display_rate()})"
            values = (budget_label, "", "", self.display(self.budget), f"{self.display(self.spent)}{rate}",
                      self.display(self.budget_weight), self.display(self.budget_score), "")
            rows.append(dict(zip(columns, values, strict=True)))
        values = (total_label, "", "", "", "", self.display(_HUNDRED), self.display_total(), "")
        rows.append(dict(zip(columns, values, strict=True)))
        return rows


@attrs.frozen(kw_only=True)
class DocumentEvaluation:
    """The evaluations of a whole document: its projects and, when actuals are given, its department.

    .. versionadded:: 0.1.0
    """

    projects: tuple[ProjectEvaluation, ...] = ()
    department: ProjectEvaluation | None = None
    problems: tuple[Problem, ...] = ()

    def project(self, code_or_name: str) -> ProjectEvaluation:
        """The evaluation of the project with this code or name.

        Raises:
            KeyError: no project has it.
        """
        for evaluation in self.projects:
            if code_or_name in (evaluation.code, evaluation.name):
                return evaluation
        raise KeyError(code_or_name)


# --- one indicator ---------------------------------------------------------------------------


def _label(level: Level1 | Level2 | str | None) -> str:
    """The printed label of a level (``产出指标``), cheaply: enum members by their stored value."""
    if level is None:
        return ""
    if type(level) is str:
        return level
    label: str = level._value_  # type: ignore[union-attr]  # the member's label, without the property call
    return label


class _Invalid(Exception):  # noqa: N818 - internal signal, never escapes
    """An actual that cannot be scored; the message says why."""


def _number(target: Threshold, value: object) -> Decimal:
    if isinstance(value, (Achievement, ExplicitScore)):
        raise _Invalid(f"target {target.display!r} is quantitative: give a number, not the band {value}")
    try:
        return target.actual_in_unit(value)
    except UnitMismatchError as exc:
        raise _Invalid(f"actual {value!s} cannot be compared with target {target.display!r}: {exc}") from None
    except InvalidActualError as exc:
        if isinstance(value, str) and Achievement.from_text(value) is not None:
            raise _Invalid(f"target {target.display!r} is quantitative: give a number, not the band {value}") from None
        raise _Invalid(str(exc)) from None


def _band(target: Threshold, value: object) -> Achievement:
    if isinstance(value, (Achievement, str, dt.date)):  # a date: against a deadline (10月底前)
        try:
            return target.achievement(value)
        except InvalidActualError as exc:
            raise _Invalid(str(exc)) from None
    raise _Invalid(
        f"target {target.display!r} is qualitative: give 达成, 部分达成 or 未达成 (or a band with a score), "
        f"not the number {value!s}"
    )


def _qualitative(target: Threshold, w: Decimal, value: object, rules: Rules) -> tuple[Decimal, str, str]:
    if isinstance(value, ExplicitScore):
        band = value.band
        low, high, closed = band_span(band, w, rules)
        score = value.score
        span = f"[{_n(low)}, {_n(high)}{']' if closed else ')'}"
        if not (low <= score <= high if closed else low <= score < high):
            raise _Invalid(f"the score {_n(score)} given for {band.value} must lie in {span} (weight {_n(w)})")
        return score, "explicit", f"{band.value}: {_n(score)} given, within {span}"
    band = _band(target, value)
    case, share = band_case(band, rules)
    score = share * w
    fields = {"band": band.value, "w": _n(w), "share": _n(share), "s": shown(score, rules.quantum)}
    return score, "qualitative", explain(case, fields)


_Line = tuple[Decimal, str, str, bool]
_Scored = tuple[Decimal, str, str, bool, bool]  # a line and whether it needs an explanation (score below weight)
# (target, actual, weight, rules) → (line or message, target shown, then the objects keyed by id)
_LINES: Final[dict[tuple[object, ...], tuple[_Scored | str, str, Threshold, Decimal, Rules]]] = {}
_LINES_MAX: Final = 1 << 16


def _score_line(target: Threshold, w: Decimal, value: object, rules: Rules) -> _Line:
    """(score, rule, formula, over-achieved) of one applicable indicator; raises _Invalid."""
    if target.kind is _QUALITATIVE or (type(value) is not Decimal and target.judged_by_band(value)):
        score, rule, formula = _qualitative(target, w, value, rules)  # 达成 against 3个工作日内 too
        return score, rule, formula, False
    result = outcome(target, _number(target, value), w, rules)
    return result.score, result.rule, explain_outcome(result, w, rules.quantum), result.over


def _scored(target: Threshold, w: Decimal, value: object, rules: Rules) -> _Scored | str:
    """:func:`_score_line` and whether the score is below the weight, or the message of :class:`_Invalid`."""
    try:
        score, rule, formula, over = _score_line(target, w, value, rules)
    except _Invalid as exc:
        return str(exc)
    return score, rule, formula, over, score < w


def _line(target: Threshold, w: Decimal, value: object, rules: Rules) -> _Scored | str:
    """:func:`_scored`, once per distinct (target, actual, weight, rules).

    The entry holds the objects it is keyed by, so no ``id`` is reused while it lives;
    numbers are keyed by their text (``1.0`` and ``1`` explain differently).
    """
    kind = type(value)
    if kind is str:
        key: tuple[object, ...] = (id(target), value, id(w), id(rules))
    elif kind is Decimal:
        key = (id(target), str(value), id(w), id(rules))
    else:
        return _scored(target, w, value, rules)
    hit = _LINES.get(key)
    if hit is None:
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        _LINES[key] = hit = (_scored(target, w, value, rules), _display(target), target, w, rules)
    return hit[0]


def _actual_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return _n(value)
    if isinstance(value, Achievement):
        return value.value
    return str(value)


def _filler(cls: type[_T]) -> Callable[[], Any]:
    """A subclass of a frozen result class whose fields take plain assignment; an instance then becomes ``cls``.

    Only for the result classes here, which have no validator, converter or post-init: the
    per-indicator path builds one line per indicator, and an assignment to a slot costs a
    tenth of a call of the slot's setter. The subclass adds no slot, so ``__class__`` can be
    set back to ``cls`` (Python checks the layouts): what is returned is a plain ``cls``
    instance, equal to, printed, pickled and serialized as one built by ``cls(...)``.
    """
    namespace = {
        "__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
        "__init__": object.__init__,  # called with no argument: a blank instance (a third cheaper than __new__)
    }
    return type(f"_{cls.__name__}Filler", (cls,), namespace)


_ScoreFiller: Final = _filler(IndicatorScore)
_SubtotalFiller: Final = _filler(Subtotal)
_EvaluationFiller: Final = _filler(ProjectEvaluation)


def _subtotal(level1: str, weight: Decimal, score: Decimal) -> Subtotal:
    """``Subtotal(level1, weight, score)``, built by :func:`_filler`."""
    subtotal: Any = _SubtotalFiller()
    subtotal.level1 = level1
    subtotal.weight = weight
    subtotal.score = score
    subtotal.__class__ = Subtotal
    return subtotal  # type: ignore[no-any-return]  # a Subtotal now


_Texts = tuple[str, str, Decimal | None, str, str]
"""What a self-evaluation table prints besides its scores: 主管部门, 实施单位, 年初预算数, 预期目标, 实际完成情况."""


def _evaluation(  # noqa: PLR0917 - every field of the evaluation, in order
    scope: str, code: str, name: str, year: int, policy: str, total: Decimal, grade: Grade, raw_total: Decimal,
    weight_total: Decimal, total_formula: str, budget: Decimal | None, spent: Decimal | None,
    budget_execution_rate: Decimal | None, budget_weight: Decimal, budget_score: Decimal | None, budget_formula: str,
    subtotals: tuple[Subtotal, ...], items: tuple[IndicatorScore, ...], places: int, problems: tuple[Problem, ...],
    total_rounding: str = "round_total", printed_total: Decimal | None = None, department: str = "", unit: str = "",
    initial_budget: Decimal | None = None, goal: str = "", outcome: str = "",
) -> ProjectEvaluation:
    """``ProjectEvaluation(...)`` from its fields in order, built by :func:`_filler`: one per table."""
    evaluation: Any = _EvaluationFiller()
    evaluation.scope = scope
    evaluation.code = code
    evaluation.name = name
    evaluation.year = year
    evaluation.policy = policy
    evaluation.total = total
    evaluation.grade = grade
    evaluation.raw_total = raw_total
    evaluation.weight_total = weight_total
    evaluation.total_formula = total_formula
    evaluation.budget = budget
    evaluation.spent = spent
    evaluation.budget_execution_rate = budget_execution_rate
    evaluation.budget_weight = budget_weight
    evaluation.budget_score = budget_score
    evaluation.budget_formula = budget_formula
    evaluation.subtotals = subtotals
    evaluation.items = items
    evaluation.places = places
    evaluation.problems = problems
    evaluation.total_rounding = total_rounding
    evaluation.printed_total = printed_total
    evaluation.department = department
    evaluation.unit = unit
    evaluation.initial_budget = initial_budget
    evaluation.goal = goal
    evaluation.outcome = outcome
    evaluation.__class__ = ProjectEvaluation
    return evaluation  # type: ignore[no-any-return]  # a ProjectEvaluation now


class _Shape:
    """What a table's rows give whatever their names, targets and actuals: made once per shape (:func:`_shape`).

    Level-1 and level-2 labels, 无 rows, each row's weight (the rulebook's
    :func:`indicator_weights`) and the weights as :func:`add_up` reads them (``None`` for 无).
    """

    __slots__ = ("blocks", "held", "labels", "level2", "line_weights", "na", "problems", "rows", "weights")

    def __init__(
        self, indicators: Sequence[Indicator], rules: Rules, scored: bool, held: tuple[object, ...],
        goals: Sequence[int] | None = None,
    ) -> None:
        self.held = held
        self.labels = tuple(_label(indicator.level1) for indicator in indicators)
        # the blocks sharing points and summed: the level-1s, or each row's goal block (a policy with goal points)
        self.blocks = self.labels if goals is None else tuple(goal_block(goal) for goal in goals)
        self.level2 = tuple(_label(indicator.level2) for indicator in indicators)
        self.na = tuple(indicator.target.kind is _NOT_APPLICABLE for indicator in indicators)
        points = rules.total_points - (rules.budget_weight if scored else _ZERO)
        weights, problems = indicator_weights(
            self.blocks, [not na for na in self.na], [indicator.weight for indicator in indicators], rules, points,
        )
        self.weights = weights
        self.problems = problems
        # what each row's line reads, in one tuple per row (zipping a few iterables costs less than many);
        # the weights' ids key the lines' memo (the shape holds the weights, so no id is reused)
        self.rows = tuple(
            zip(range(len(weights)), self.labels, self.level2, self.na, weights, map(id, weights), strict=True)
        )
        self.line_weights = tuple(None if na else w for na, w in zip(self.na, weights, strict=True))


_SHAPES: Final[dict[tuple[object, ...], _Shape]] = {}
_SHAPES_MAX: Final = 1 << 12
def _shape(entries: Sequence[Entry], rules: Rules, scored: bool) -> _Shape:
    """The :class:`_Shape` of a table, once per distinct rows' levels, weight objects and 无 rows.

    Levels are keyed by themselves (members or labels), weights and target kinds by identity:
    the entry holds those objects, so no ``id`` in its key is reused while it lives. Tables
    whose weights are shared objects (``None`` when the table gives none) share their shape.
    """
    key: list[object] = [id(rules), scored]
    add = key.extend
    for _, indicator in entries:
        weight = indicator.weight
        kind = indicator.target.kind._value_  # a kind's value hashes in C (an enum member through Python)
        add((indicator.level1, indicator.level2, weight if weight is None else id(weight), kind))
    goals = [_goal_of(path) for path, _ in entries] if rules.by_goal else None
    if goals is not None:
        key.extend(goals)
    frozen = tuple(key)
    found = _SHAPES.get(frozen)
    if found is None:
        if len(_SHAPES) >= _SHAPES_MAX:
            _SHAPES.clear()
        indicators = [indicator for _, indicator in entries]
        held = (tuple((indicator.weight, indicator.target.kind) for indicator in indicators), rules)
        found = _SHAPES[frozen] = _Shape(indicators, rules, scored, held, goals)
    return found


def _goal_of(path: str) -> int:
    """The goal of an indicator's path as :func:`_goal_paths` makes it (``goals[1].indicators[0]`` → 1).

    A path that names no goal (rows given by hand in columns) is in the first goal.
    """
    end = path.find("]")
    digits = path[6:end]
    return int(digits) if path.startswith("goals[") and digits.isdigit() and digits.isascii() else 0


_DISPLAYS: Final[dict[int, tuple[str, Threshold]]] = {}


def _display(target: Threshold) -> str:
    """``target.display``, once per threshold object (the entry holds it, so its ``id`` is not reused)."""
    hit = _DISPLAYS.get(id(target))
    if hit is None:
        if len(_DISPLAYS) >= _LINES_MAX:
            _DISPLAYS.clear()
        hit = _DISPLAYS[id(target)] = (target.display, target)
    return hit[0]


def _score_items(  # noqa: PLR0912, PLR0915 - one pass per row, the common case first
    entries: Sequence[Entry], shape: _Shape, found: Matched, rules: Rules, problems: list[Problem],
) -> tuple[tuple[IndicatorScore, ...], list[Decimal]]:
    """Each indicator's line, and the scores that :func:`add_up` sums (0 for a 无 row).

    The common case, an actual as text whose line is known and no score set by hand, is a
    lookup; each line is built as :func:`_item` builds it, written out here (one per row).
    """
    items: list[IndicatorScore] = []
    scores: list[Decimal] = []
    missing, lines, rules_id, filler, cls = MISSING, _LINES, id(rules), _ScoreFiller, IndicatorScore
    rows = zip(entries, shape.rows, found.values, found.reasons, found.manual, strict=True)
    for (path, indicator), (index, label, level2, na, w, w_id), value, reason, by_hand in rows:
        target = indicator.target
        hit = lines.get((id(target), value, w_id, rules_id)) if type(value) is str else None
        if hit is not None and by_hand is None and type(hit[0]) is tuple:
            score, rule, formula, over, needs = hit[0]
            shown_target, actual = hit[1], value
        else:
            shown_target = _display(target)
            actual, over = "", False
            if na:  # weight, score and reason 0 and empty, whatever was given
                w = score = _ZERO  # noqa: PLW2901 - the 无 line's own values
                reason = ""  # noqa: PLW2901 - the 无 line's own values
                rule, formula, needs = "not_applicable", "not applicable (无)", False
            elif target.kind is _BLANK and index not in found.errors:
                regions = [item.region for item in indicator.regional_targets]
                score, rule, formula, needs, actual = _blank_line(path, w, value, by_hand, problems, regions)
            elif value is missing:
                message = found.errors.get(index)
                if message is not None:
                    problems.append(Problem(path, message))
                    score, rule, formula = _ZERO, "invalid", f"cannot be scored: {message}"
                else:
                    problems.append(Problem(path, f"no actual value for {indicator.name!r} (target {shown_target})"))
                    score, rule, formula = _ZERO, "missing", "no actual value → 0"
                needs = score < w
            else:
                line = _line(target, w, value, rules)
                actual = value if type(value) is str else _actual_text(value)
                if isinstance(line, str):
                    problems.append(Problem(path, line))
                    score, rule, formula, needs = _ZERO, "invalid", f"cannot be scored: {line}", w > _ZERO
                else:
                    score, rule, formula, over, needs = line
                    if by_hand is not None:
                        if by_hand > score:
                            problems.append(Problem(path, f"the score set by hand ({_n(by_hand)}) exceeds what the "
                                                          f"rule gives ({_n(score)})"))
                        else:
                            formula = f"{formula}; set by hand to {_n(by_hand)}"
                            score, rule, needs = by_hand, "manual", by_hand < w
        item: Any = filler()
        item.path = path
        item.name = indicator.name
        item.level1 = label
        item.level2 = level2
        item.target = shown_target
        item.actual = actual
        item.weight = w
        item.score = score
        item.rule = rule
        item.formula = formula
        item.reason = reason
        item.needs_explanation = needs
        item.over_achieved = over
        item.__class__ = cls
        items.append(item)
        scores.append(score)
    return tuple(items), scores


def _blank_line(  # noqa: PLR0917 - the line's parts
    path: str, w: Decimal, value: object, by_hand: Decimal | None, problems: list[Problem], regions: list[str]
) -> tuple[Decimal, str, str, bool, str]:
    """(score, rule, formula, needs explanation, actual shown) of a row with no target printed: its printed score.

    ``regions``: the regions of a row whose targets are per region and differ (then its target is blank).
    """
    given = value.score if by_hand is None and isinstance(value, ExplicitScore) else by_hand
    actual = "" if value is MISSING else _actual_text(value)
    line = printed_score(given, w, regions)
    if isinstance(line, str):
        problems.append(Problem(path, line))
        rule = "missing" if given is None else "invalid"
        return _ZERO, rule, f"cannot be scored: {line}", w > _ZERO, actual
    score, formula = line
    return score, "explicit", formula, score < w, actual


# --- budget and total ---------------------------------------------------------------------------


def _budget_score(
    spent: Decimal | None, budget: Decimal | None, rules: Rules, problems: list[Problem]
) -> tuple[Decimal | None, Decimal, str]:
    """(rate in percent, score, formula) of budget execution."""
    if spent is None or budget is None:
        return None, _ZERO, "not scored"
    if budget <= _ZERO:
        problems.append(Problem("budget", "the budget is 0: the execution rate is undefined"))
        return None, _ZERO, "budget 0 → 0"
    return budget_score(spent, budget, rules)


# --- evaluation -------------------------------------------------------------------------------


_PATHS: Final[dict[int, tuple[str, ...]]] = {}
_PATHS_MAX: Final = 64


def _goal_paths(goal: int, count: int) -> Sequence[str]:
    """The paths of a goal's first ``count`` indicators (``goals[0].indicators[3]``), made once for small tables."""
    paths = _PATHS.get(goal)
    if paths is None or len(paths) < count:
        made = tuple(f"goals[{goal}].indicators[{i}]" for i in range(max(count, 16)))
        if goal >= _PATHS_MAX or count > _PATHS_MAX:
            return made
        paths = _PATHS[goal] = made
    return paths


def _entries(goals: Sequence[Goal]) -> list[Entry]:
    """Each indicator with its path, as :meth:`ProjectTargets.iter_indicators` gives them."""
    entries: list[Entry] = []
    for g, goal in enumerate(goals):
        indicators = goal.indicators
        entries.extend(zip(_goal_paths(g, len(indicators)), indicators, strict=False))  # paths run on
    return entries


def _goal_text(goals: Sequence[Goal]) -> str:
    """The 预期目标 of a self-evaluation table: the goals' contents, one a line (the empty ones left out)."""
    if len(goals) == 1:  # the common case, without a join
        return goals[0].content
    return "\n".join([goal.content for goal in goals if goal.content])


def _actual_mapping(actuals: Mapping[str, ActualInput] | TableActuals) -> Mapping[str, ActualInput]:
    if isinstance(actuals, TableActuals):
        return actuals.actuals
    if not isinstance(actuals, Mapping):
        msg = f"'actuals' must map indicator names to actual values (got {type(actuals).__name__})"
        raise InvalidValueError(msg, field="actuals", value=actuals)
    return actuals


def _evaluate(
    *,
    scope: str,
    code: str,
    name: str,
    year: int,
    entries: Sequence[Entry],
    actuals: Mapping[str, ActualInput] | TableActuals,
    spent: object,
    budget: object,
    policy: ScoringPolicy | str | None,
    strict: bool,
    subject: str | None = None,
    texts: _Texts = ("", "", None, "", ""),
) -> ProjectEvaluation:
    """The evaluation of one table; ``subject`` names it in an error (by default its scope, code and name).

    ``texts``: 主管部门, 实施单位, 年初预算数, 预期目标 and 实际完成情况, carried to the result as they are.
    """
    chosen = policy_of(policy)
    rules = rules_of(chosen)
    problems: list[Problem] = []
    saved = getcontext()
    setcontext(_WORKING)
    try:
        found = match_actuals(entries, _actual_mapping(actuals), problems)
        spent_amount = read_amount(spent, "spent", problems)
        budget_amount = read_amount(budget, "budget", problems)
        scored = spent is not None
        if scored and budget is None and scope == "department":
            problems.append(Problem("budget", "department targets carry no budget: pass budget= with spent="))
        rate, budget_points, budget_formula = _budget_score(spent_amount, budget_amount, rules, problems)
        budget_weight = rules.budget_weight if scored else _ZERO
        shape = _shape(entries, rules, scored)
        if shape.problems:
            problems.extend(Problem(entries[index][0], message) for index, message in shape.problems)
        items, scores = _score_items(entries, shape, found, rules, problems)
        raw, weight_total, subtotals = add_up(shape.blocks, shape.line_weights, scores, budget_weight, budget_points)
        result, rescaled = total(raw, weight_total, rules)
        full = rules.total_points
        quantum = rules.quantum
        if not rescaled:
            if scored:
                parts = f"{rounded(raw - budget_points, quantum)!s} + {rounded(budget_points, quantum)!s}"
                total_formula = f"{parts} {shown(raw, quantum)}"
            else:
                total_formula = shown(raw, quantum).removeprefix("= ")
        else:
            if not rules.rescale and (scored or weight_total + rules.budget_weight != full):
                problems.append(Problem("weights", f"the weights add up to {_n(weight_total)}, not {_n(full)}: "
                                                   f"the total is rescaled to {_n(full)}"))
            unbounded = snap(raw * full / weight_total) if weight_total > _ZERO else _ZERO
            total_formula = f"{_n(raw)} × {_n(full)} / {_n(weight_total)} {shown(unbounded, quantum)}"
        if strict and problems:
            named = subject if subject is not None else f"{scope} {code} {name}".strip()
            raise EvaluationError(problems, subject=named)
        printed = None
        if rules.sum_rounded:  # 总分 as the printed 得分 add up; graded so
            lines = [score for score, weight in zip(scores, shape.line_weights, strict=True) if weight is not None]
            if scored and budget_points is not None:
                lines.append(budget_points)
            printed = printed_total(lines, weight_total, rules)
        if printed is not None:
            total_formula = f"{total_formula}; 总分 printed as the 得分 add up: {_n(printed)}"
        return _evaluation(
            scope, code, name, year, chosen.name, result, rules.grade(result if printed is None else printed), raw,
            weight_total, total_formula, budget_amount, spent_amount, rate, budget_weight,
            budget_points if scored else None, budget_formula,
            tuple([_subtotal(label, w, s) for label, (w, s) in subtotals.items()]), items, rules.places,
            tuple(problems), chosen.total_rounding, printed, *texts,
        )
    finally:
        setcontext(saved)


def evaluate(
    project: ProjectTargets,
    actuals: Mapping[str, ActualInput] | TableActuals,
    *,
    spent: object = None,
    budget: object = None,
    policy: ScoringPolicy | str | None = None,
    strict: bool = True,
) -> ProjectEvaluation:
    """Score a project's self-evaluation (项目支出绩效自评) by a policy (national rules by default).

    Args:
        project: the project's target table.
        actuals: indicator → actual value. The key is the indicator's name (三级指标), its
            ``key`` or its path (``goals[0].indicators[3]``); the value is text as people
            write it (``"96%"``, ``"7小时/天"``, ``"95000元"``), a number in the target's unit,
            a band (达成 / 部分达成 / 未达成, or English) or an :class:`ExplicitScore` for a
            qualitative target, or an :class:`Actual` carrying a reason. A
            :class:`TableActuals` read from a file works too (its ``outcome``, the
            年度总体目标's 实际完成情况, goes to the result).
        spent: the full-year amount executed (全年执行数) in 万元, or text with a money unit;
            ``None`` (the default) takes the amount of a :class:`TableActuals`, or else leaves
            budget execution unscored and gives its points to the indicators.
        budget: the full-year budget (全年预算数); defaults to the :class:`TableActuals`'
            budget, then to the table's.
        policy: a :class:`ScoringPolicy` or a preset name; ``national-2020`` by default.
        strict: raise on any problem (the default); with ``False``, score what can be
            scored (0 for the rest) and list the problems in ``.problems``.

    Raises:
        EvaluationError: in strict mode, listing every problem with its path.
    """
    outcome = ""
    if isinstance(actuals, TableActuals):
        spent = actuals.spent if spent is None else spent
        budget = actuals.budget if budget is None else budget
        outcome = actuals.outcome
    if budget is None and spent is not None:
        budget = project.budget.total
    return _evaluate(
        scope="project", code=project.code, name=project.name, year=project.year,
        entries=_entries(project.goals), actuals=actuals, spent=spent, budget=budget, policy=policy, strict=strict,
        texts=(project.department, project.unit.name, project.budget.total, _goal_text(project.goals), outcome),
    )


def evaluate_department(
    department: DepartmentTargets,
    actuals: Mapping[str, ActualInput] | TableActuals,
    *,
    spent: object = None,
    budget: object = None,
    policy: ScoringPolicy | str | None = None,
    strict: bool = True,
) -> ProjectEvaluation:
    """Score a department's overall targets (部门整体) with the same rules as a project.

    Department goals' indicators usually carry no level-1: the indicator points are then
    split evenly among the applicable indicators, unless the indicators give weights
    (indicators that do carry levels are weighted as in a project). Department targets
    have no budget: pass ``spent`` and ``budget`` to score budget execution; without
    them its points go to the indicators (the indicators share all 100).

    Raises:
        EvaluationError: in strict mode, listing every problem with its path.
    """
    outcome = ""
    if isinstance(actuals, TableActuals):
        spent = actuals.spent if spent is None else spent
        budget = actuals.budget if budget is None else budget
        outcome = actuals.outcome
    return _evaluate(
        scope="department", code=department.unit.code, name=department.unit.name, year=department.year,
        entries=_entries(department.goals), actuals=actuals, spent=spent, budget=budget, policy=policy, strict=strict,
        subject=f"department {department.unit}", texts=("", "", None, _goal_text(department.goals), outcome),
    )


def _prefixed(problems: Iterable[Problem], prefix: str) -> list[Problem]:
    return [Problem(f"{prefix}.{p.location}" if p.location else prefix, p.message) for p in problems]


def evaluate_document(
    document: Document,
    actuals_document: ActualsDocument | str | os.PathLike[str],
    *,
    policy: ScoringPolicy | str | None = None,
    strict: bool = True,
) -> DocumentEvaluation:
    """Score every project of a document (and its department, when the actuals have a ``[department]``).

    ``actuals_document`` is an :class:`ActualsDocument` or the path of an actuals file.
    Each project's actuals are found by its code (or name). A project without actuals, or
    actuals for no project, is a problem.

    Raises:
        EvaluationError: in strict mode, listing every problem of every table, each path
            starting with ``projects[i]`` or ``department``.
        DocumentError: the actuals file cannot be read.
    """
    if not isinstance(actuals_document, ActualsDocument):
        actuals_document = load_actuals(actuals_document)
    problems: list[Problem] = []
    evaluations = []
    used: set[int] = set()
    for index, project in enumerate(document.projects):
        entry = actuals_document.for_project(project.code, project.name)
        where = f"projects[{index}]"
        if entry is None:
            problems.append(Problem(where, f"no actuals for project {project.code} {project.name}".rstrip()))
            continue
        used.add(id(entry))
        spent = entry.spent
        if spent is None:
            problems.append(Problem(f"{where}.spent", "the actuals give no amount spent (spent = ...)"))
        evaluation = evaluate(project, entry, spent=spent, policy=policy, strict=False)
        problems.extend(_prefixed(evaluation.problems, where))
        evaluations.append(evaluation)
    for index, entry in enumerate(actuals_document.projects):
        if id(entry) not in used:
            problems.append(Problem(f"actuals.projects[{index}]", f"no project {entry.project!r} in the document"))
    department = None
    if actuals_document.department is not None:
        if document.department is None:
            problems.append(Problem("actuals.department", "the document has no department part"))
        else:
            department = evaluate_department(document.department, actuals_document.department, policy=policy,
                                             strict=False)
            problems.extend(_prefixed(department.problems, "department"))
    if strict and problems:
        raise EvaluationError(problems, subject="document")
    return DocumentEvaluation(projects=tuple(evaluations), department=department, problems=tuple(problems))

