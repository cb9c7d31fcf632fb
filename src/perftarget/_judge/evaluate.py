"""Self-evaluation (绩效自评): score a target table against its actuals by a :class:`ScoringPolicy`.

The rules are those of 财预〔2020〕10号 and its self-evaluation table (domain notes §5);
every variant a province uses is an option of the policy, and policies are data
(TOML or JSON files, presets shipped in ``perftarget/presets/scoring``).

The per-indicator path is kept lean: the policy's constants are computed once per
policy (:func:`_constants`), the weights once per table, and each indicator costs a few
Decimal operations and one formula string.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, TypeVar, get_args

import attrs

from perftarget._rulebook import presets
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
from perftarget._values.levels import Level1, Level2, to_level1
from perftarget._model.targets import DepartmentTargets, Document, ProjectTargets
from perftarget._values.numbers import format_number, round_half_up, to_decimal
from perftarget._codec.actuals import load_actuals
from perftarget._codec.convert import format_of, loads
from perftarget._files import read_text_file
from perftarget._values.threshold import _BAND_ATTAINMENT, Achievement, Comparator, Threshold, ThresholdKind
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

DEFAULT_POLICY: Final = "national-2020"
"""The name of the default scoring preset (财预〔2020〕10号)."""

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_TWO: Final = Decimal(2)
_HUNDRED: Final = Decimal(100)
# Sums are exact to this many places: 3 × (50 / 3) adds up to 50, not 50.00...01.
_SNAP: Final = Decimal("1e-20")
_PLAIN_DIGITS: Final = 27
# Every evaluation runs in this context, whatever the caller's: the same inputs, the same digits.
_CONTEXT: Final = Context(prec=28)
# Display rounding never fails for lack of digits, however large the amount.
_DISPLAY: Final = Context(prec=100)


class Grade(enum.Enum):
    """评价等级: the grade of a self-evaluation total (优 / 良 / 中 / 差).

    .. versionadded:: 0.1.0
    """

    EXCELLENT = "优"
    GOOD = "良"
    FAIR = "中"
    POOR = "差"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def english(self) -> str:
        """The English name (``excellent``, ``good``, ``fair``, ``poor``)."""
        return self.name.lower()


# --- the policy -------------------------------------------------------------------------------

BudgetRule = Literal["ratio", "full_at_90_minus_1_per_point"]
ReverseFormula = Literal["ratio", "linear"]
PercentageRule = Literal["ratio", "rate_times_weight"]
NotApplicableRule = Literal["redistribute", "rescale"]

_BUDGET_RULES: Final[tuple[str, ...]] = get_args(BudgetRule)
_REVERSE_FORMULAS: Final[tuple[str, ...]] = get_args(ReverseFormula)
_PERCENTAGE_RULES: Final[tuple[str, ...]] = get_args(PercentageRule)
_NOT_APPLICABLE_RULES: Final[tuple[str, ...]] = get_args(NotApplicableRule)

_NATIONAL_WEIGHTS: Final = {Level1.OUTPUT: Decimal(50), Level1.BENEFIT: Decimal(30), Level1.SATISFACTION: Decimal(10)}
_BAND_DEFAULTS: Final = {Achievement.ACHIEVED: _ONE, Achievement.PARTIAL: Decimal("0.7"),
                         Achievement.NOT_ACHIEVED: Decimal("0.3")}
_BAND_BOUNDS: Final = {Achievement.ACHIEVED: Decimal("0.8"), Achievement.PARTIAL: Decimal("0.6"),
                       Achievement.NOT_ACHIEVED: _ZERO}
_GRADE_BOUNDS: Final = {Grade.EXCELLENT: Decimal(90), Grade.GOOD: Decimal(80), Grade.FAIR: Decimal(60),
                        Grade.POOR: _ZERO}
_MAX_PLACES: Final = 10
# Enum members bound once: the per-indicator path compares identities, not class attributes.
_QUALITATIVE: Final = ThresholdKind.QUALITATIVE
_NOT_APPLICABLE: Final = ThresholdKind.NOT_APPLICABLE
_LE: Final = Comparator.LE
_LT: Final = Comparator.LT
_EQ: Final = Comparator.EQ
_BETWEEN: Final = Comparator.BETWEEN
_E = TypeVar("_E", Achievement, Grade)


def _points(value: object, field: str) -> Decimal:
    number = to_decimal(value, field=field)
    if number < _ZERO:
        raise InvalidValueError(f"{field!r} must not be negative (got {format_number(number)})", field=field,
                                value=value)
    return number


def _to_level1_weights(value: object) -> Mapping[Level1, Decimal]:
    if not isinstance(value, Mapping):
        msg = f"'level1_weights' must map level-1 indicators to points (got {type(value).__name__})"
        raise InvalidValueError(msg, field="level1_weights", value=value)
    weights: dict[Level1, Decimal] = {}
    for key, weight in value.items():
        level = to_level1(key) if isinstance(key, str) else key
        if not isinstance(level, Level1):
            choices = ", ".join(member.label for member in Level1)
            msg = f"'level1_weights' keys must be level-1 indicators ({choices}) (got {key!r})"
            raise InvalidValueError(msg, field="level1_weights", value=key)
        weights[level] = _points(weight, f"level1_weights[{level.label}]")
    return MappingProxyType(weights)


def _non_negative(value: object) -> Decimal:
    return _points(value, "value")


def _merge(value: object, defaults: Mapping[_E, Decimal], kind: type[_E], field: str) -> Mapping[_E, Decimal]:
    """``defaults`` updated from ``value``, whose keys are members, their values or their English names."""
    if not isinstance(value, Mapping):
        raise InvalidValueError(f"{field!r} must be a mapping (got {type(value).__name__})", field=field)
    merged = dict(defaults)
    for key, number in value.items():
        member = key if isinstance(key, kind) else next(
            (m for m in kind if key in (m.value, m.name.lower(), getattr(m, "english", None))), None
        )
        if member is None:
            choices = ", ".join(str(m.value) for m in kind)
            msg = f"{field!r} keys must be one of {choices} (got {key!r})"
            raise InvalidValueError(msg, field=field, value=key)
        merged[member] = _points(number, f"{field}[{member.value}]")
    return MappingProxyType(merged)


def _to_band_defaults(value: object) -> Mapping[Achievement, Decimal]:
    return _merge(value, _BAND_DEFAULTS, Achievement, "band_defaults")


def _to_band_bounds(value: object) -> Mapping[Achievement, Decimal]:
    return _merge(value, _BAND_BOUNDS, Achievement, "band_bounds")


def _to_grade_bounds(value: object) -> Mapping[Grade, Decimal]:
    return _merge(value, _GRADE_BOUNDS, Grade, "grade_bounds")


def _one_of(choices: tuple[str, ...]) -> Callable[[object, attrs.Attribute[str], str], None]:
    def check(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in choices:
            shown = ", ".join(repr(c) for c in choices)
            msg = f"{attribute.name!r} must be one of {shown} (got {value!r})"
            raise InvalidValueError(msg, field=attribute.name, value=value)

    return check


@attrs.frozen(kw_only=True)
class ScoringPolicy:
    """How a self-evaluation is scored: weights, formulas, bands, grades and rounding.

    The defaults are the national rules (财预〔2020〕10号); a province changes only what
    differs, in Python (``attrs.evolve(policy, budget_weight=20, ...)``) or in a TOML/JSON
    file read by :meth:`load`. Named presets ship with perftarget: :meth:`presets`,
    :meth:`preset`.

    Attributes:
        name: the policy's name (shown in every evaluation).
        description: what the policy is and where its rules come from.
        level1_weights: points per level-1 indicator (产出 50, 效益 30, 满意度 10). A level-1
            the policy does not weigh is scored inside the block it came from: 成本 inside
            产出 (101号 split it off), 满意度 inside 效益 (the 2013 framework's place for it).
        budget_weight: points for budget execution (预算执行率, 10).
        budget_rule: ``"ratio"``: min(spent / budget, 1) × weight; or
            ``"full_at_90_minus_1_per_point"``: full from ``budget_full_rate`` percent,
            minus ``budget_points_per_percent`` per percentage point below, down to 0.
        budget_full_rate: the rate (percent) from which the 90-rule gives full marks.
        budget_points_per_percent: the points the 90-rule takes per percentage point below.
        reverse_formula: 反向 (≤, <) indicators above target: ``"ratio"`` A / B × w, or
            ``"linear"`` w × (1 − (B − A) / A), 0 from B = 2A.
        percentage_rule: ``"ratio"`` (10号), or ``"rate_times_weight"``: ≥, > and =
            indicators in % score min(B / 100, 1) × w.
        over_achievement: B ≥ this × A flags a 正向 indicator as over-achieved (not deducted);
            0 turns the flag off.
        band_defaults: the share of the weight a qualitative band gives when no explicit
            score is given (达成 1, 部分达成 0.7, 未达成 0.3).
        band_bounds: the lower bound of each band, as a share of the weight (达成 0.8,
            部分达成 0.6, 未达成 0); each band runs up to the next one's bound (达成 up to 1).
        not_applicable: ``"redistribute"``: a level-1's points are split among its
            applicable indicators; ``"rescale"``: 无 rows keep their share, score nothing,
            and the total is rescaled by 100 / Σ applicable weights (按百分制折算).
        grade_bounds: the lowest total of each grade (优 90, 良 80, 中 60, 差 0).
        display_places: decimal places shown (half up); the scores themselves are exact.

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    level1_weights: Mapping[Level1, Decimal] = attrs.field(
        default=_NATIONAL_WEIGHTS, converter=_to_level1_weights, hash=False
    )
    budget_weight: Decimal = attrs.field(default=Decimal(10), converter=_non_negative)
    budget_rule: BudgetRule = attrs.field(default="ratio", validator=_one_of(_BUDGET_RULES))
    budget_full_rate: Decimal = attrs.field(default=Decimal(90), converter=_non_negative)
    budget_points_per_percent: Decimal = attrs.field(default=_ONE, converter=_non_negative)
    reverse_formula: ReverseFormula = attrs.field(default="ratio", validator=_one_of(_REVERSE_FORMULAS))
    percentage_rule: PercentageRule = attrs.field(default="ratio", validator=_one_of(_PERCENTAGE_RULES))
    over_achievement: Decimal = attrs.field(default=Decimal("1.2"), converter=_non_negative)
    band_defaults: Mapping[Achievement, Decimal] = attrs.field(
        default=_BAND_DEFAULTS, converter=_to_band_defaults, hash=False
    )
    band_bounds: Mapping[Achievement, Decimal] = attrs.field(
        default=_BAND_BOUNDS, converter=_to_band_bounds, hash=False
    )
    not_applicable: NotApplicableRule = attrs.field(default="redistribute", validator=_one_of(_NOT_APPLICABLE_RULES))
    grade_bounds: Mapping[Grade, Decimal] = attrs.field(
        default=_GRADE_BOUNDS, converter=_to_grade_bounds, hash=False
    )
    display_places: int = attrs.field(default=2)

    def __attrs_post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        full = sum(self.level1_weights.values(), self.budget_weight)
        if full != _HUNDRED:
            shown = " + ".join(f"{k.label} {format_number(v)}" for k, v in self.level1_weights.items())
            msg = (
                f"the level-1 weights and the budget weight must add up to 100 "
                f"(got {shown} + 预算执行率 {format_number(self.budget_weight)} = {format_number(full)})"
            )
            raise InvalidValueError(msg, field="level1_weights", value=full)
        if not self.name.strip():
            raise InvalidValueError("'name' must not be empty", field="name", value=self.name)
        if not _ZERO < self.budget_full_rate <= _HUNDRED:
            msg = f"'budget_full_rate' must be a percent in (0, 100] (got {format_number(self.budget_full_rate)})"
            raise InvalidValueError(msg, field="budget_full_rate", value=self.budget_full_rate)
        if _ZERO < self.over_achievement <= _ONE:
            shown = format_number(self.over_achievement)
            msg = f"'over_achievement' must be above 1, e.g. 1.2 for 120 %, or 0 for no flag (got {shown})"
            raise InvalidValueError(msg, field="over_achievement", value=self.over_achievement)
        bounds = self.band_bounds
        achieved, partial, missed = (bounds[b] for b in Achievement)
        if not missed == _ZERO < partial < achieved <= _ONE:
            msg = (
                "'band_bounds' must rise from 未达成 0 through 部分达成 to 达成 at most 1 "
                f"(got {format_number(missed)}, {format_number(partial)}, {format_number(achieved)})"
            )
            raise InvalidValueError(msg, field="band_bounds")
        for band, share in self.band_defaults.items():
            low, high = bounds[band], _band_high(bounds, band)
            inside = low <= share <= high if band is Achievement.ACHIEVED else low <= share < high
            if not inside:
                msg = f"'band_defaults[{band.value}]' must lie in its band (got {format_number(share)})"
                raise InvalidValueError(msg, field="band_defaults", value=share)
        grades = [self.grade_bounds[g] for g in Grade]
        if not (grades[-1] == _ZERO and all(grades[i] > grades[i + 1] for i in range(len(grades) - 1))):
            msg = "'grade_bounds' must fall from 优 through 良 and 中 to 差 at 0"
            raise InvalidValueError(msg, field="grade_bounds")
        places = self.display_places
        if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= _MAX_PLACES:
            msg = f"'display_places' must be a whole number from 0 to {_MAX_PLACES} (got {places!r})"
            raise InvalidValueError(msg, field="display_places", value=places)

    @classmethod
    def presets(cls) -> tuple[str, ...]:
        """The names of the presets shipped with perftarget, sorted."""
        return presets.names("scoring")

    @classmethod
    def preset(cls, name: str = DEFAULT_POLICY) -> ScoringPolicy:
        """A preset by name (see :meth:`presets`).

        The shipped presets: ``national-2020`` (the default), ``reverse-linear``,
        ``rate-times-weight``, ``budget-90-minus-1``, ``hubei-2020``, ``rescale-na``.

        Raises:
            InvalidValueError: there is no preset with that name.
        """
        return _preset(name)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ScoringPolicy:
        """Read a policy from a TOML or JSON file (by suffix), e.g. a province's own variant.

        Keys not given keep the national defaults, so a file can be as short as
        ``name = "某省" `` and ``budget_rule = "full_at_90_minus_1_per_point"``.

        Raises:
            DocumentError: the file cannot be read or breaks the policy's rules; every
                problem is listed.
        """
        file = Path(path)
        return loads(read_text_file(file), format_of(file), ScoringPolicy, source=str(file))

    def grade(self, total: Decimal) -> Grade:
        """The grade of an (unrounded) total under this policy (half-open bands: 90 is 优)."""
        return _grade(total, _constants(self))


def _band_high(bounds: Mapping[Achievement, Decimal], band: Achievement) -> Decimal:
    if band is Achievement.ACHIEVED:
        return _ONE
    if band is Achievement.PARTIAL:
        return bounds[Achievement.ACHIEVED]
    return bounds[Achievement.PARTIAL]


@lru_cache(maxsize=32)
def _preset(name: str) -> ScoringPolicy:
    try:
        text = presets.read_text("scoring", name)
    except KeyError:
        choices = ", ".join(presets.names("scoring"))
        raise InvalidValueError(f"no scoring preset {name!r}; the presets are {choices}", value=name) from None
    return loads(text, "toml", ScoringPolicy, source=f"scoring preset {name}")


def _policy(policy: ScoringPolicy | str | None) -> ScoringPolicy:
    if policy is None:
        return _preset(DEFAULT_POLICY)
    if isinstance(policy, str):
        return _preset(policy)
    if not isinstance(policy, ScoringPolicy):
        msg = f"'policy' must be a ScoringPolicy or a preset name (got {type(policy).__name__})"
        raise InvalidValueError(msg, field="policy", value=policy)
    return policy


class _Constants:
    """What the per-indicator path needs from a policy, computed once per policy."""

    __slots__ = (
        "band_default", "band_high", "band_low", "budget_90", "budget_weight", "fold", "full_rate", "grades", "level1",
        "level1_sum", "linear", "name", "over", "per_point", "places", "quantum", "rate_times_weight", "rescale",
        "total_points",
    )

    def __init__(self, policy: ScoringPolicy) -> None:
        self.name = policy.name
        self.places = policy.display_places
        self.quantum = _ONE.scaleb(-policy.display_places)
        self.level1 = {level.label: weight for level, weight in policy.level1_weights.items()}
        self.level1_sum = sum(self.level1.values(), _ZERO)
        self.budget_weight = policy.budget_weight
        self.total_points = self.level1_sum + self.budget_weight
        self.budget_90 = policy.budget_rule == "full_at_90_minus_1_per_point"
        self.full_rate = policy.budget_full_rate
        self.per_point = policy.budget_points_per_percent
        self.linear = policy.reverse_formula == "linear"
        self.rate_times_weight = policy.percentage_rule == "rate_times_weight"
        self.over = policy.over_achievement or None
        self.band_default = dict(policy.band_defaults)
        self.band_low = dict(policy.band_bounds)
        self.band_high = {band: _band_high(policy.band_bounds, band) for band in Achievement}
        self.rescale = policy.not_applicable == "rescale"
        self.fold = {
            child.label: parent.label
            for child, parent in ((Level1.COST, Level1.OUTPUT), (Level1.SATISFACTION, Level1.BENEFIT))
            if child.label not in self.level1 and parent.label in self.level1
        }
        self.grades = tuple((policy.grade_bounds[grade], grade) for grade in Grade)


@lru_cache(maxsize=64)
def _constants(policy: ScoringPolicy) -> _Constants:
    return _Constants(policy)


# --- results ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IndicatorScore:
    """One indicator's line of the self-evaluation: its weight, score and how the score came about.

    ``formula`` is the arithmetic with its numbers (``93 / 95 × 12.5 ≈ 12.24``), the
    actual expressed in the target's unit; ``rule`` names the rule applied (one of
    ``at_least``, ``at_most``, ``at_most_linear``, ``equal``, ``equal_zero``, ``range``,
    ``rate_times_weight``, ``qualitative``, ``explicit``, ``manual``, ``missing``,
    ``invalid``, ``not_applicable``).

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
    """The weight and score of one level-1 indicator (``产出指标``).

    When the table gives no levels, one subtotal with the label ``""`` covers every indicator.

    .. versionadded:: 0.1.0
    """

    level1: str
    weight: Decimal
    score: Decimal


_ROW_COLUMNS: Final = (
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
)


@attrs.frozen(kw_only=True)
class ProjectEvaluation:
    """A self-evaluation (绩效自评): the total, its grade, the budget score and every indicator's line.

    ``total`` and the scores are exact; ``display_total()`` and :meth:`to_rows` round half
    up to ``places`` decimals for display. ``budget_execution_rate`` is a percent
    (92 means 92 %). When the weights do not add up to the policy's 100 (or the policy
    rescales 无 rows) the total is ``raw_total × 100 / weight_total``; ``total_formula``
    shows the arithmetic.

    .. versionadded:: 0.1.0
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

    def display(self, value: Decimal | None) -> str:
        """A number rounded half up to this evaluation's places (``""`` for ``None``)."""
        if value is None:
            return ""
        return format_number(round_half_up(value, self.places))

    def display_total(self) -> str:
        """The total as published: rounded half up (``"94.23"``, or ``"94"`` with 0 places)."""
        return self.display(self.total)

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

    def to_rows(self) -> list[dict[str, str]]:
        """The indicator part of the 10号 self-evaluation table, one dict per row.

        Columns: 一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分,
        偏差原因分析及改进措施; numbers rounded for display, 无 rows with empty 分值 and 得分.
        After the indicators come a 预算执行率 row (年度指标值 = 全年预算数, 实际完成值 =
        全年执行数 and the rate) when the budget is scored, and the 总分 row.
        """
        rows = []
        for item in self.items:
            applicable = item.applicable
            values = (
                item.level1, item.level2, item.name, item.target, item.actual,
                self.display(item.weight) if applicable else "",
                self.display(item.score) if applicable else "",
                item.reason,
            )
            rows.append(dict(zip(_ROW_COLUMNS, values, strict=True)))
        if self.budget_score is not None:
            actual = f"{self.display(self.spent)}（{self.display_rate()}）"
            values = ("预算执行率", "", "", self.display(self.budget), actual, self.display(self.budget_weight),
                      self.display(self.budget_score), "")
            rows.append(dict(zip(_ROW_COLUMNS, values, strict=True)))
        values = ("总分", "", "", "", "", self.display(_HUNDRED), self.display_total(), "")
        rows.append(dict(zip(_ROW_COLUMNS, values, strict=True)))
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


# --- numbers for formulas ---------------------------------------------------------------------


def _n(value: Decimal) -> str:
    """A number as a formula shows it: no exponent, at most 6 decimals."""
    text = str(value)
    if len(text) <= 8 and "E" not in text:  # noqa: PLR2004 - too short for more than six decimals
        return text
    if "E" in text:
        text = format_number(value)
    dot = text.find(".")
    if dot >= 0 and len(text) - dot > 7:  # noqa: PLR2004 - the point and six digits
        text = format_number(value.quantize(Decimal("1e-6"), rounding=ROUND_HALF_UP, context=_DISPLAY))
    return text


def _rounded(value: Decimal, quantum: Decimal) -> Decimal:
    # round_half_up with the policy's quantum made once, for the per-indicator path
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=_DISPLAY)


def _shown(score: Decimal, quantum: Decimal) -> str:
    """``= 9.20`` or ``≈ 9.69``: the score at display precision, and whether that is exact."""
    rounded = _rounded(score, quantum)
    return f"= {rounded}" if rounded == score else f"≈ {rounded}"


def _trim(value: Decimal) -> Decimal:
    """The same number without trailing zeros (``6.0`` → ``6``), in plain form below 10**27."""
    if value == value.to_integral_value() and value.adjusted() < _PLAIN_DIGITS:
        return value.quantize(_ONE)
    return value.normalize()


def _snap(value: Decimal) -> Decimal:
    """A sum kept to 20 decimal places and without trailing zeros: 3 × (50 / 3) is 50."""
    if value.adjusted() >= _PLAIN_DIGITS - 20:
        return value
    return _trim(value.quantize(_SNAP))


# --- weights ----------------------------------------------------------------------------------


def _label(level: Level1 | Level2 | str | None) -> str:
    """The printed label of a level (``产出指标``), cheaply: enum members by their stored value."""
    if level is None:
        return ""
    if type(level) is str:
        return level
    label: str = level._value_  # type: ignore[union-attr]  # the member's label, without the property call
    return label


def _weights(  # noqa: C901, PLR0912 - the weighting rules read best in one place
    entries: Sequence[Entry], labels: Sequence[str], c: _Constants, points: Decimal, problems: list[Problem]
) -> list[Decimal]:
    """Each indicator's weight: the table's when given, else its share of its level-1's points."""
    count = len(entries)
    weights = [_ZERO] * count
    na = _NOT_APPLICABLE
    applicable = [indicator.target.kind is not na for _, indicator in entries]
    members: dict[str, list[int]] = {}
    if not any(labels):
        nominal = {"": points}
        members[""] = list(range(count))
    else:
        nominal = dict(c.level1)
        if c.level1_sum and points != c.level1_sum:
            nominal = {level: weight * points / c.level1_sum for level, weight in nominal.items()}
        fold = c.fold
        for index, label in enumerate(labels):
            block = fold.get(label, label)
            if block in nominal:
                members.setdefault(block, []).append(index)
                continue
            path, indicator = entries[index]
            if indicator.weight is not None:
                weights[index] = indicator.weight if applicable[index] else _ZERO
            elif applicable[index]:
                problems.append(Problem(path, f"level-1 {label or '(none)'} has no points in policy {c.name}; "
                                              "give the indicator a weight (分值)"))
    if not c.rescale:
        empty = [b for b in nominal if not any(applicable[i] for i in members.get(b, ()))]
        if empty:
            spare = sum((nominal[b] for b in empty), _ZERO)
            live = sum((nominal[b] for b in nominal if b not in empty), _ZERO)
            if spare and live:
                nominal = {b: (_ZERO if b in empty else p + p * spare / live) for b, p in nominal.items()}
    for block, indices in members.items():
        given = _ZERO
        free = []
        for index in indices:
            weight = entries[index][1].weight
            if weight is None:
                if c.rescale or applicable[index]:
                    free.append(index)
            elif applicable[index]:
                weights[index] = weight
                given += weight
            elif c.rescale:
                given += weight
        if not free:
            continue
        remaining = nominal[block] - given
        if remaining < _ZERO:
            problems.append(Problem(entries[free[0]][0], f"the weights given in {block or 'the table'} "
                                                         f"({format_number(given)}) exceed its {_n(nominal[block])} "
                                                         "points"))
            continue
        share = remaining / len(free)
        for index in free:
            if applicable[index]:
                weights[index] = share
    return weights


# --- scoring one indicator --------------------------------------------------------------------

_BAND_BY_ATTAINMENT: Final = {share: band for band, share in _BAND_ATTAINMENT.items()}


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


def _quantitative(  # noqa: C901, PLR0911, PLR0912 - one branch per comparator and formula
    target: Threshold, w: Decimal, b: Decimal, c: _Constants
) -> tuple[Decimal, str, str, bool]:
    """(score, rule, formula, over-achieved) of a quantitative target; ``b`` in the target's unit."""
    prefix = ""
    if b < _ZERO:
        prefix = f"{_n(b)} counts as 0; "
        b = _ZERO
    a = target.value
    assert a is not None  # noqa: S101 - a quantitative threshold has a value
    comparator = target.comparator
    q = c.quantum
    if comparator is _LE or comparator is _LT:
        if b <= a:
            return w, "at_most", f"{prefix}{_n(b)} ≤ {_n(a)} → {_n(w)}", False
        if a <= _ZERO:
            return _ZERO, "at_most", f"{prefix}{_n(b)} > {_n(a)} → 0", False
        if c.linear:
            if b >= a * _TWO:
                return _ZERO, "at_most_linear", f"{prefix}{_n(b)} ≥ 2 × {_n(a)} → 0", False
            score = w * (_ONE - (b - a) / a)
            formula = f"{prefix}{_n(w)} × (1 − ({_n(b)} − {_n(a)}) / {_n(a)}) {_shown(score, q)}"
            return score, "at_most_linear", formula, False
        score = a / b * w
        return score, "at_most", f"{prefix}{_n(a)} / {_n(b)} × {_n(w)} {_shown(score, q)}", False
    if comparator is _BETWEEN:
        upper = target.upper
        assert upper is not None  # noqa: S101 - a range has an upper bound
        if b < a:
            score = b / a * w
            return score, "range", f"{prefix}{_n(b)} / {_n(a)} × {_n(w)} {_shown(score, q)}", False
        if b > upper:
            if upper <= _ZERO:
                return _ZERO, "range", f"{prefix}{_n(b)} > {_n(upper)} → 0", False
            score = upper / b * w
            return score, "range", f"{prefix}{_n(upper)} / {_n(b)} × {_n(w)} {_shown(score, q)}", False
        return w, "range", f"{prefix}{_n(a)} ≤ {_n(b)} ≤ {_n(upper)} → {_n(w)}", False
    rule = "at_least"
    if comparator is _EQ:
        if a == _ZERO:
            if b == _ZERO:
                return w, "equal_zero", f"{prefix}{_n(b)} = 0 → {_n(w)}", False
            return _ZERO, "equal_zero", f"{prefix}{_n(b)} ≠ 0 → 0", False
        rule = "equal"
    over = c.over is not None and a > _ZERO and b >= a * c.over
    if c.rate_times_weight and target.unit == "%":
        score = min(b / _HUNDRED, _ONE) * w
        return score, "rate_times_weight", f"{prefix}{_n(b)}% × {_n(w)} {_shown(score, q)}", over
    if b >= a:
        return w, rule, f"{prefix}{_n(b)} ≥ {_n(a)} → {_n(w)}", over
    score = min(b / a * w, w)
    return score, rule, f"{prefix}{_n(b)} / {_n(a)} × {_n(w)} {_shown(score, q)}", over


def _band(target: Threshold, value: object) -> Achievement:
    if isinstance(value, Achievement):
        return value
    if isinstance(value, str):
        band = Achievement.from_text(value)
        if band is not None:
            return band
        if value.strip() == target.statement:
            return Achievement.ACHIEVED
        try:
            return _BAND_BY_ATTAINMENT[target.attainment(value)]
        except InvalidActualError as exc:
            raise _Invalid(str(exc)) from None
    raise _Invalid(
        f"target {target.display!r} is qualitative: give 达成, 部分达成 or 未达成 (or a band with a score), "
        f"not the number {value!s}"
    )


def _qualitative(target: Threshold, w: Decimal, value: object, c: _Constants) -> tuple[Decimal, str, str]:
    if isinstance(value, ExplicitScore):
        band = value.band
        low = _trim(c.band_low[band] * w)
        high = _trim(c.band_high[band] * w)
        score = value.score
        closing = "]" if band is Achievement.ACHIEVED else ")"
        inside = low <= score <= high if band is Achievement.ACHIEVED else low <= score < high
        span = f"[{_n(low)}, {_n(high)}{closing}"
        if not inside:
            raise _Invalid(f"the score {_n(score)} given for {band.value} must lie in {span} (weight {_n(w)})")
        return score, "explicit", f"{band.value}: {_n(score)} given, within {span}"
    band = _band(target, value)
    share = c.band_default[band]
    score = share * w
    if share == _ONE:
        return score, "qualitative", f"{band.value} → {_n(w)}"
    return score, "qualitative", f"{band.value}: {_n(share)} × {_n(w)} {_shown(score, c.quantum)}"


def _actual_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return _n(value)
    if isinstance(value, Achievement):
        return value.value
    return str(value)


def _score_items(  # noqa: PLR0917 - the table, its actuals, weights and labels
    entries: Sequence[Entry], labels: Sequence[str], found: Matched, weights: Sequence[Decimal], c: _Constants,
    problems: list[Problem],
) -> list[IndicatorScore]:
    items = []
    values, reasons, manual, errors = found.values, found.reasons, found.manual, found.errors
    qualitative, na = _QUALITATIVE, _NOT_APPLICABLE
    for index, (path, indicator) in enumerate(entries):
        target = indicator.target
        kind = target.kind
        level1 = labels[index]
        level2 = _label(indicator.level2)
        if kind is na:
            items.append(IndicatorScore(path=path, name=indicator.name, level1=level1, level2=level2,
                                        target=target.display, formula="not applicable (无)"))
            continue
        w = weights[index]
        value = values[index]
        over = False
        shown = ""
        if value is MISSING:
            if index in errors:
                message = errors[index]
                problems.append(Problem(path, message))
                score, rule, formula = _ZERO, "invalid", f"cannot be scored: {message}"
            else:
                problems.append(Problem(path, f"no actual value for {indicator.name!r} (target {target.display})"))
                score, rule, formula = _ZERO, "missing", "no actual value → 0"
        else:
            shown = _actual_text(value)
            try:
                if kind is qualitative:
                    score, rule, formula = _qualitative(target, w, value, c)
                else:
                    score, rule, formula, over = _quantitative(target, w, _number(target, value), c)
            except _Invalid as exc:
                problems.append(Problem(path, str(exc)))
                score, rule, formula = _ZERO, "invalid", f"cannot be scored: {exc}"
            by_hand = manual[index]
            if by_hand is not None and rule != "invalid":
                if by_hand > score:
                    problems.append(Problem(path, f"the score set by hand ({_n(by_hand)}) exceeds what the rule "
                                                  f"gives ({_n(score)})"))
                else:
                    formula = f"{formula}; set by hand to {_n(by_hand)}"
                    score, rule = by_hand, "manual"
        items.append(IndicatorScore(
            path=path, name=indicator.name, level1=level1, level2=level2, target=target.display, actual=shown,
            weight=w, score=score, rule=rule, formula=formula, reason=reasons[index], needs_explanation=score < w,
            over_achieved=over,
        ))
    return items


# --- budget -----------------------------------------------------------------------------------


def _budget_score(
    spent: Decimal | None, budget: Decimal | None, c: _Constants, problems: list[Problem]
) -> tuple[Decimal | None, Decimal, str]:
    """(rate in percent, score, formula) of budget execution."""
    w = c.budget_weight
    if spent is None or budget is None:
        return None, _ZERO, "not scored"
    if budget <= _ZERO:
        problems.append(Problem("budget", "the budget is 0: the execution rate is undefined"))
        return None, _ZERO, "budget 0 → 0"
    ratio = spent / budget
    rate = _trim(ratio * _HUNDRED)
    head = f"{_n(spent)} / {_n(budget)} = {_n(rate)}%"
    if c.budget_90:
        if rate >= c.full_rate:
            return rate, w, f"{head} ≥ {_n(c.full_rate)}% → {_n(w)}"
        score = max(w - (c.full_rate - rate) * c.per_point, _ZERO)
        formula = f"{head}; {_n(w)} − ({_n(c.full_rate)} − {_n(rate)}) × {_n(c.per_point)} {_shown(score, c.quantum)}"
        if score == _ZERO:
            formula = f"{head}; {_n(w)} − ({_n(c.full_rate)} − {_n(rate)}) × {_n(c.per_point)} ≤ 0 → 0"
        return rate, score, formula
    if ratio >= _ONE:
        return rate, w, f"{head}; min({_n(rate)}%, 100%) × {_n(w)} = {_n(w)}"
    score = ratio * w
    return rate, score, f"{head}; {_n(rate)}% × {_n(w)} {_shown(score, c.quantum)}"


# --- evaluation -------------------------------------------------------------------------------


def _grade(total: Decimal, c: _Constants) -> Grade:
    for bound, grade in c.grades:
        if total >= bound:
            return grade
    return Grade.POOR


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
    subject: str,
) -> ProjectEvaluation:
    chosen = _policy(policy)
    c = _constants(chosen)
    problems: list[Problem] = []
    with localcontext(_CONTEXT):
        found = match_actuals(entries, _actual_mapping(actuals), problems)
        spent_amount = read_amount(spent, "spent", problems)
        budget_amount = read_amount(budget, "budget", problems)
        scored = spent is not None
        if scored and budget is None and scope == "department":
            problems.append(Problem("budget", "department targets carry no budget: pass budget= with spent="))
        rate, budget_score, budget_formula = _budget_score(spent_amount, budget_amount, c, problems)
        budget_weight = c.budget_weight if scored else _ZERO
        points = c.total_points - budget_weight
        labels = [_label(indicator.level1) for _, indicator in entries]
        weights = _weights(entries, labels, c, points, problems)
        items = _score_items(entries, labels, found, weights, c, problems)
        raw = budget_score
        weight_total = budget_weight
        subtotals: dict[str, list[Decimal]] = {}
        for item in items:
            pair = subtotals.setdefault(item.level1, [_ZERO, _ZERO])
            if item.rule != "not_applicable":
                raw += item.score
                weight_total += item.weight
                pair[0] += item.weight
                pair[1] += item.score
        raw = _snap(raw)
        weight_total = _snap(weight_total)
        full = c.total_points
        if weight_total == full:
            total = raw
            shown = _shown(total, c.quantum)
            if scored:
                parts = (raw - budget_score, budget_score)
                total_formula = " + ".join(str(_rounded(part, c.quantum)) for part in parts) + f" {shown}"
            else:
                total_formula = shown.removeprefix("= ")
        else:
            if not c.rescale and (scored or weight_total + c.budget_weight != full):
                problems.append(Problem("weights", f"the weights add up to {_n(weight_total)}, not {_n(full)}: "
                                                   f"the total is rescaled to {_n(full)}"))
            total = _snap(raw * full / weight_total) if weight_total > _ZERO else _ZERO
            total_formula = f"{_n(raw)} × {_n(full)} / {_n(weight_total)} {_shown(total, c.quantum)}"
        total = min(max(total, _ZERO), full)
        if strict and problems:
            raise EvaluationError(problems, subject=subject)
        return ProjectEvaluation(
            scope=scope, code=code, name=name, year=year, policy=chosen.name,
            total=total, grade=_grade(total, c), raw_total=raw, weight_total=weight_total,
            total_formula=total_formula,
            budget=budget_amount, spent=spent_amount, budget_execution_rate=rate, budget_weight=budget_weight,
            budget_score=budget_score if scored else None, budget_formula=budget_formula,
            subtotals=tuple(Subtotal(label, _snap(w), _snap(s)) for label, (w, s) in subtotals.items()),
            items=tuple(items), places=c.places, problems=tuple(problems),
        )


def evaluate(
    project: ProjectTargets,
    actuals: Mapping[str, ActualInput] | TableActuals,
    *,
    spent: object,
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
            :class:`TableActuals` read from a file works too.
        spent: the full-year amount executed (全年执行数) in 万元, or text with a money unit;
            ``None`` takes the amount of a :class:`TableActuals`, or else leaves budget
            execution unscored and gives its points to the indicators.
        budget: the full-year budget (全年预算数); defaults to the :class:`TableActuals`'
            budget, then to the table's.
        policy: a :class:`ScoringPolicy` or a preset name; ``national-2020`` by default.
        strict: raise on any problem (the default); with ``False``, score what can be
            scored (0 for the rest) and list the problems in ``.problems``.

    Raises:
        EvaluationError: in strict mode, listing every problem with its path.
    """
    if isinstance(actuals, TableActuals):
        spent = actuals.spent if spent is None else spent
        budget = actuals.budget if budget is None else budget
    if budget is None and spent is not None:
        budget = project.budget.total
    return _evaluate(
        scope="project", code=project.code, name=project.name, year=project.year,
        entries=list(project.iter_indicators()), actuals=actuals, spent=spent, budget=budget, policy=policy,
        strict=strict, subject=f"project {project.code} {project.name}".strip(),
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
    if isinstance(actuals, TableActuals):
        spent = actuals.spent if spent is None else spent
        budget = actuals.budget if budget is None else budget
    entries = [
        (f"goals[{g}].indicators[{i}]", indicator)
        for g, goal in enumerate(department.goals)
        for i, indicator in enumerate(goal.indicators)
    ]
    return _evaluate(
        scope="department", code=department.unit.code, name=department.unit.name, year=department.year,
        entries=entries, actuals=actuals, spent=spent, budget=budget, policy=policy, strict=strict,
        subject=f"department {department.unit}",
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

