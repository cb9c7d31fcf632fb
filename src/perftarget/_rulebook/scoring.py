"""The scoring rules of 财预〔2020〕10号, each written once: every path that scores calls them.

This module is the one home of the self-evaluation (绩效自评) rules (domain notes §5):

- :class:`ScoringPolicy` (weights, formulas, bands, grades; presets are data files) and
  :class:`Grade`; :func:`rules_of` compiles a policy into the few numbers the scorers use;
- the quantitative decision table: the facts of a target and an actual (comparator group,
  unit %, signs, how the actual compares with the bounds) decide a *case* (:data:`CASES`),
  and a case names its rule, its formula (:data:`FORMULAS`, as Decimal arithmetic and as a
  ratio of two named terms for the column kernel) and the text of its explanation;
  :func:`decide` is the table, :func:`case_table` all of it for a kernel, :func:`outcome`
  one indicator's score, :func:`attainment` the share of a target reached (monitoring);
- the level-1 weight fold (:func:`blocks`, :func:`fold`), each indicator's weight
  (:func:`indicator_weights`), the budget-execution score (:func:`budget_score`), the
  qualitative bands (:func:`band_span`), the total (:func:`total`) and the grade.

Signed targets (growth and decrease rates such as ``≥-5%`` or ``≤-3%``) are compared as
written: the clamp "a negative actual counts as 0" of vendor systems was meant for
quantities that cannot be negative, and is what the signed rule gives there. A target
that is met scores full marks; a missed target earns a share only where the formula's
ratio is one of two positive numbers, else 0 (see ``docs/concepts/scoring.md``).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import enum
import itertools
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache
from itertools import compress
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, NamedTuple, TypeVar, cast, get_args

import attrs

from perftarget._codec.convert import format_of, loads
from perftarget._files import read_text_file
from perftarget._rulebook import presets
from perftarget._values.levels import Level1, to_level1
from perftarget._values.numbers import format_number, round_half_up, to_decimal
from perftarget._values.threshold import Achievement, Comparator, Threshold
from perftarget.exceptions import InvalidValueError

__all__ = [
    "CASES",
    "CONTEXT",
    "DEFAULT_POLICY",
    "FACTS",
    "FORMULAS",
    "OVER_CASES",
    "Case",
    "Grade",
    "Outcome",
    "Rules",
    "ScoringPolicy",
    "add_up",
    "attainment",
    "band_case",
    "band_span",
    "block_points",
    "blocks",
    "budget_score",
    "case_table",
    "decide",
    "explain",
    "explain_outcome",
    "facts_of",
    "fold",
    "goal_block",
    "indicator_weights",
    "number_text",
    "outcome",
    "policy_of",
    "printed_score",
    "printed_sum",
    "printed_total",
    "rounded",
    "rules_of",
    "score",
    "shown",
    "snap",
    "total",
    "trim",
]

DEFAULT_POLICY: Final = "national-2020"
"""The name of the default scoring preset (财预〔2020〕10号)."""

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_TWO: Final = Decimal(2)
_HUNDRED: Final = Decimal(100)
_SNAP: Final = Decimal("1e-20")
_MICRO: Final = Decimal("1e-6")
_PLAIN_DIGITS: Final = 27
_HALF_UP: Final = Context(prec=100, rounding=ROUND_HALF_UP)
CONTEXT: Final = Context(prec=28)
"""Every score is computed in this context, whatever the caller's: the same inputs, the same digits."""
_MAX_PLACES: Final = 10
_CACHE_SIZE: Final = 1 << 16


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
TotalRounding = Literal["round_total", "sum_rounded"]

_NATIONAL_WEIGHTS: Final = {Level1.OUTPUT: Decimal(50), Level1.BENEFIT: Decimal(30), Level1.SATISFACTION: Decimal(10)}
_BAND_DEFAULTS: Final = {Achievement.ACHIEVED: _ONE, Achievement.PARTIAL: Decimal("0.7"),
                         Achievement.NOT_ACHIEVED: Decimal("0.3")}
_BAND_BOUNDS: Final = {Achievement.ACHIEVED: Decimal("0.8"), Achievement.PARTIAL: Decimal("0.6"),
                       Achievement.NOT_ACHIEVED: _ZERO}
_GRADE_BOUNDS: Final = {Grade.EXCELLENT: Decimal(90), Grade.GOOD: Decimal(80), Grade.FAIR: Decimal(60),
                        Grade.POOR: _ZERO}
# 101号 made 成本 a level-1 and the 2013 framework put 满意度 inside 效益: a policy that does not
# weigh the first scores it inside the second.
_FOLDS: Final = ((Level1.COST, Level1.OUTPUT), (Level1.SATISFACTION, Level1.BENEFIT))
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


def _to_goal_points(value: object) -> tuple[Decimal, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        msg = f"'goal_points' must list the points of each goal block, such as [40, 40] (got {type(value).__name__})"
        raise InvalidValueError(msg, field="goal_points", value=value)
    return tuple(_points(points, f"goal_points[{index}]") for index, points in enumerate(value))


def _level1_default(policy: ScoringPolicy) -> Mapping[Level1, Decimal]:
    """No level-1 points when the policy gives its points per goal block; else the national 50/30/10."""
    return {} if policy.goal_points else _NATIONAL_WEIGHTS


_GOAL_BLOCK: Final = "年度绩效目标{}"


def goal_block(index: int) -> str:
    """The label of goal block ``index`` (0-based) as published tables print it: ``年度绩效目标1``."""
    return _GOAL_BLOCK.format(index + 1)


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


def _band_high(bounds: Mapping[Achievement, Decimal], band: Achievement) -> Decimal:
    if band is Achievement.ACHIEVED:
        return _ONE
    if band is Achievement.PARTIAL:
        return bounds[Achievement.ACHIEVED]
    return bounds[Achievement.PARTIAL]


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
        goal_points: points per goal block, in goal order: a table that gives its points
            per goal (``年度绩效目标1 (40分)``, ``年度绩效目标2 (40分)``) rather than per level-1.
            When given, the goals are the blocks whose points their indicators share (as
            the level-1s are otherwise), ``level1_weights`` is empty (the default then), and
            the goal points with the budget weight add up to 100. A goal the table lacks gives
            its points to the others in proportion; a goal beyond the list has none (its
            indicators must give weights). Empty (the default): points per level-1.
        level1_weights: points per level-1 indicator (产出 50, 效益 30, 满意度 10; none when
            ``goal_points`` is given). A level-1 the policy does not weigh is scored inside the
            block it came from: 成本 inside 产出 (101号 split it off), 满意度 inside 效益 (the 2013
            framework's place for it).
        budget_weight: points for budget execution (预算执行率, 10).
        budget_rule: ``"ratio"``: min(spent / budget, 1) × weight; or
            ``"full_at_90_minus_1_per_point"``: full from ``budget_full_rate`` percent,
            minus ``budget_points_per_percent`` per percentage point below, down to 0.
        budget_full_rate: the rate (percent) from which the 90-rule gives full marks.
        budget_points_per_percent: the points the 90-rule takes per percentage point below.
        reverse_formula: 反向 (≤, <) indicators above target: ``"ratio"`` A / B × w, or
            ``"linear"`` w × (1 − (B − A) / A), 0 from B = 2A.
        percentage_rule: ``"ratio"`` (10号), or ``"rate_times_weight"``: ≥, > and =
            indicators in % (with a positive target) score min(B / 100, 1) × w.
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
        total_rounding: the printed 总分: ``"round_total"``, the exact total rounded half up
            (its grade by the exact total), so the printed 得分 may add to a cent more or
            less; or ``"sum_rounded"``, the sum of the printed 得分 (rescaled as the total
            is), as published tables add them, its grade by that printed total.

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    description: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    goal_points: tuple[Decimal, ...] = attrs.field(default=(), converter=_to_goal_points)
    level1_weights: Mapping[Level1, Decimal] = attrs.field(
        default=attrs.Factory(_level1_default, takes_self=True), converter=_to_level1_weights, hash=False
    )
    budget_weight: Decimal = attrs.field(default=Decimal(10), converter=_non_negative)
    budget_rule: BudgetRule = attrs.field(default="ratio", validator=_one_of(get_args(BudgetRule)))
    budget_full_rate: Decimal = attrs.field(default=Decimal(90), converter=_non_negative)
    budget_points_per_percent: Decimal = attrs.field(default=_ONE, converter=_non_negative)
    reverse_formula: ReverseFormula = attrs.field(default="ratio", validator=_one_of(get_args(ReverseFormula)))
    percentage_rule: PercentageRule = attrs.field(default="ratio", validator=_one_of(get_args(PercentageRule)))
    over_achievement: Decimal = attrs.field(default=Decimal("1.2"), converter=_non_negative)
    band_defaults: Mapping[Achievement, Decimal] = attrs.field(
        default=_BAND_DEFAULTS, converter=_to_band_defaults, hash=False
    )
    band_bounds: Mapping[Achievement, Decimal] = attrs.field(
        default=_BAND_BOUNDS, converter=_to_band_bounds, hash=False
    )
    not_applicable: NotApplicableRule = attrs.field(
        default="redistribute", validator=_one_of(get_args(NotApplicableRule))
    )
    grade_bounds: Mapping[Grade, Decimal] = attrs.field(
        default=_GRADE_BOUNDS, converter=_to_grade_bounds, hash=False
    )
    display_places: int = attrs.field(default=2)
    total_rounding: TotalRounding = attrs.field(default="round_total", validator=_one_of(get_args(TotalRounding)))

    def __attrs_post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        self._check_points()
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

    def _check_points(self) -> None:
        """The points: per goal block or per level-1 (not both), adding up to 100 with the budget's."""
        if self.goal_points and self.level1_weights:
            msg = "a policy gives its points per goal block (goal_points) or per level-1 (level1_weights), not both"
            raise InvalidValueError(msg, field="goal_points", value=self.goal_points)
        if self.goal_points:
            full = sum(self.goal_points, self.budget_weight)
            if full != _HUNDRED:
                shown = " + ".join(f"{goal_block(i)} {format_number(v)}" for i, v in enumerate(self.goal_points))
                msg = (
                    f"the goal points and the budget weight must add up to 100 "
                    f"(got {shown} + 预算执行率 {format_number(self.budget_weight)} = {format_number(full)})"
                )
                raise InvalidValueError(msg, field="goal_points", value=full)
        full = sum(self.level1_weights.values(), sum(self.goal_points, self.budget_weight))
        if full != _HUNDRED:
            shown = " + ".join(f"{k.label} {format_number(v)}" for k, v in self.level1_weights.items())
            msg = (
                f"the level-1 weights and the budget weight must add up to 100 "
                f"(got {shown} + 预算执行率 {format_number(self.budget_weight)} = {format_number(full)})"
            )
            raise InvalidValueError(msg, field="level1_weights", value=full)

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
        return rules_of(self).grade(total)

    def attainment(self, target: Threshold, actual: object) -> Decimal:
        """The share of ``target`` that ``actual`` attains under this policy, in [0, 1].

        The score of an indicator of weight 1 (see :func:`attainment`): ``B / A`` below a
        正向 target, ``A / B`` above a 反向 one, the band's share for a qualitative target.

        >>> from perftarget import Threshold
        >>> ScoringPolicy.preset().attainment(Threshold.parse("≥95%"), "76%")
        Decimal('0.8')

        Raises:
            InvalidActualError: ``actual`` cannot be compared with this target.
            UnitMismatchError: ``actual`` is in a unit of another dimension.

        .. versionadded:: 0.2.0
        """
        return attainment(target, actual, self)


@lru_cache(maxsize=32)
def _preset(name: str) -> ScoringPolicy:
    try:
        text = presets.read_text("scoring", name)
    except KeyError:
        choices = ", ".join(presets.names("scoring"))
        raise InvalidValueError(f"no scoring preset {name!r}; the presets are {choices}", value=name) from None
    return loads(text, "toml", ScoringPolicy, source=f"scoring preset {name}")


def policy_of(policy: ScoringPolicy | str | None) -> ScoringPolicy:
    """A policy from a policy, a preset name or ``None`` (the national preset)."""
    if policy is None:
        return _preset(DEFAULT_POLICY)
    if isinstance(policy, str):
        return _preset(policy)
    if not isinstance(policy, ScoringPolicy):
        msg = f"'policy' must be a ScoringPolicy or a preset name (got {type(policy).__name__})"
        raise InvalidValueError(msg, field="policy", value=policy)
    return policy


# --- a policy compiled ------------------------------------------------------------------------


def fold(level1_weights: Mapping[Level1, Decimal]) -> dict[Level1, Level1]:
    """The level-1s a policy does not weigh, each to the block it is scored in (成本 → 产出, 满意度 → 效益)."""
    return {child: parent for child, parent in _FOLDS if child not in level1_weights and parent in level1_weights}


def blocks(policy: ScoringPolicy) -> dict[Level1, Level1]:
    """Each level-1 the policy scores to the block whose points it shares (itself, or its fold)."""
    return {**{level: level for level in policy.level1_weights}, **fold(policy.level1_weights)}


class Rules:
    """A policy compiled once: what the scorers need from it, by label and as plain numbers."""

    __slots__ = (
        "band_default", "band_high", "band_low", "budget_90", "budget_weight", "by_goal", "fold", "full_rate",
        "grades", "level1", "level1_sum", "linear", "name", "over", "per_point", "places", "policy", "quantum",
        "rate_times_weight", "rescale", "sum_rounded", "total_points",
    )

    def __init__(self, policy: ScoringPolicy) -> None:
        self.policy = policy
        self.name = policy.name
        self.places = policy.display_places
        self.quantum = _ONE.scaleb(-policy.display_places)
        self.by_goal = bool(policy.goal_points)
        # the blocks whose points indicators share, by label: the level-1s, or the goal blocks (年度绩效目标1...)
        self.level1 = (
            {goal_block(index): points for index, points in enumerate(policy.goal_points)} if self.by_goal
            else {level.label: weight for level, weight in policy.level1_weights.items()}
        )
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
        self.sum_rounded = policy.total_rounding == "sum_rounded"
        self.fold = {child.label: parent.label for child, parent in fold(policy.level1_weights).items()}
        self.grades = tuple((policy.grade_bounds[grade], grade) for grade in Grade)

    def grade(self, total: Decimal) -> Grade:
        """The grade of an unrounded total: the first grade whose bound it reaches (half-open bands)."""
        for bound, grade in self.grades:
            if total >= bound:
                return grade
        return Grade.POOR


_RULES: Final[dict[int, Rules]] = {}


def rules_of(policy: ScoringPolicy) -> Rules:
    """The compiled :class:`Rules` of a policy, once per policy object (the entry holds it: no ``id`` reused)."""
    found = _RULES.get(id(policy))
    if found is None:
        if len(_RULES) >= 64:  # noqa: PLR2004 - a few policies per process
            _RULES.clear()
        found = _RULES[id(policy)] = Rules(policy)
    return found


# --- numbers as the explanations write them ---------------------------------------------------


def number_text(value: Decimal) -> str:
    """A number as a formula shows it: no exponent, at most 6 decimals."""
    text = str(value)
    if len(text) <= 8 and "E" not in text:  # noqa: PLR2004 - too short for more than six decimals
        return text
    if "E" in text:
        text = format_number(value)
    dot = text.find(".")
    if dot >= 0 and len(text) - dot > 7:  # noqa: PLR2004 - the point and six digits
        text = format_number(_HALF_UP.quantize(value, _MICRO))
    return text


def rounded(value: Decimal, quantum: Decimal) -> Decimal:
    """``value`` rounded half up to ``quantum`` (display only)."""
    return _HALF_UP.quantize(value, quantum)


def shown(score: Decimal, quantum: Decimal) -> str:
    """``= 9.20`` or ``≈ 9.69``: the score at display precision, and whether that is exact."""
    value = rounded(score, quantum)
    return f"= {value!s}" if value == score else f"≈ {value!s}"  # !s: str, a third of format()


def trim(value: Decimal) -> Decimal:
    """The same number without trailing zeros (``6.0`` → ``6``), in plain form below 10**27."""
    if value == value.to_integral_value() and value.adjusted() < _PLAIN_DIGITS:
        return value.quantize(_ONE)
    return value.normalize()


def snap(value: Decimal) -> Decimal:
    """A sum kept to 20 decimal places and without trailing zeros: 3 × (50 / 3) is 50.

    A function of the number alone (``45.0`` and ``45`` snap alike). Not remembered: the
    sums are new objects, and hashing a new 28-digit decimal costs twice this function.
    """
    if value.adjusted() >= _PLAIN_DIGITS - 20:
        return value
    value = value.quantize(_SNAP)  # below 10**7 + 1: in plain form, as trim gives it
    if value == value.to_integral_value():
        return value.quantize(_ONE)
    return value.normalize()


# --- the quantitative decision table ----------------------------------------------------------


class Formula(NamedTuple):
    """How a case's score is computed: Decimal arithmetic, and the same ratio as two named terms.

    ``ratio`` is ``(top, bottom)`` with terms among ``b``, ``a``, ``u``, ``share``,
    ``2a-b``, ``min(b,100)``, ``100`` and ``1`` (``None``: the whole weight or nothing).
    """

    compute: Callable[[Decimal, Decimal, Decimal, Decimal, Decimal], Decimal]  # (a, u, b, w, share) → score
    ratio: tuple[str, str] | None


FORMULAS: Final[Mapping[str, Formula]] = MappingProxyType({
    "none": Formula(lambda _a, _u, _b, _w, _s: _ZERO, None),
    "zero": Formula(lambda _a, _u, _b, _w, _s: _ZERO, None),
    "full": Formula(lambda _a, _u, _b, w, _s: w, None),
    "b/a": Formula(lambda a, _u, b, w, _s: b / a * w, ("b", "a")),
    "a/b": Formula(lambda a, _u, b, w, _s: a / b * w, ("a", "b")),
    "u/b": Formula(lambda _a, u, b, w, _s: u / b * w, ("u", "b")),
    "linear": Formula(lambda a, _u, b, w, _s: w * (_ONE - (b - a) / a), ("2a-b", "a")),
    "rate": Formula(lambda _a, _u, b, w, _s: min(b / _HUNDRED, _ONE) * w, ("min(b,100)", "100")),
    "share": Formula(lambda _a, _u, _b, w, s: s * w, ("share", "1")),
})
"""Each formula of the table by name: its Decimal arithmetic and its ratio (for exact kernels)."""


class Case(NamedTuple):
    """One case of the decision table: the rule it reports, its formula and its explanation.

    ``text`` is the explanation in pieces: literals and the fields ``{b}`` (the actual in the
    target's unit), ``{a}`` and ``{u}`` (the bounds), ``{w}`` (the weight), ``{s}`` (the
    score shown, ``= 9.20`` or ``≈ 9.69``), ``{band}`` and ``{share}``.
    """

    rule: str
    formula: str
    text: tuple[str, ...]


CASES: Final[tuple[Case, ...]] = (
    Case("not_applicable", "none", ("not applicable (无)",)),                          # 0
    Case("at_least", "full", ("{b}", " ≥ ", "{a}", " → ", "{w}")),                     # 1
    Case("at_least", "b/a", ("{b}", " / ", "{a}", " × ", "{w}", " ", "{s}")),          # 2
    Case("equal", "full", ("{b}", " ≥ ", "{a}", " → ", "{w}")),                        # 3
    Case("equal", "b/a", ("{b}", " / ", "{a}", " × ", "{w}", " ", "{s}")),             # 4
    Case("equal_zero", "full", ("{b}", " = 0 → ", "{w}")),                             # 5
    Case("equal_zero", "zero", ("{b}", " ≠ 0 → 0")),                                   # 6
    Case("rate_times_weight", "rate", ("{b}", "% × ", "{w}", " ", "{s}")),             # 7
    Case("at_most", "full", ("{b}", " ≤ ", "{a}", " → ", "{w}")),                      # 8
    Case("at_most", "zero", ("{b}", " > ", "{a}", " → 0")),                            # 9
    Case("at_most_linear", "zero", ("{b}", " ≥ 2 × ", "{a}", " → 0")),                 # 10
    Case("at_most_linear", "linear", ("{w}", " × (1 − (", "{b}", " − ", "{a}", ") / ", "{a}", ") ", "{s}")),  # 11
    Case("at_most", "a/b", ("{a}", " / ", "{b}", " × ", "{w}", " ", "{s}")),           # 12
    Case("range", "b/a", ("{b}", " / ", "{a}", " × ", "{w}", " ", "{s}")),             # 13
    Case("range", "zero", ("{b}", " > ", "{u}", " → 0")),                              # 14
    Case("range", "u/b", ("{u}", " / ", "{b}", " × ", "{w}", " ", "{s}")),             # 15
    Case("range", "full", ("{a}", " ≤ ", "{b}", " ≤ ", "{u}", " → ", "{w}")),          # 16
    Case("qualitative", "full", ("{band}", " → ", "{w}")),                             # 17
    Case("qualitative", "share", ("{band}", ": ", "{share}", " × ", "{w}", " ", "{s}")),  # 18
    Case("at_least", "zero", ("{b}", " < 0 → 0")),                                     # 19
    Case("equal", "zero", ("{b}", " < 0 → 0")),                                        # 20
    Case("at_least", "zero", ("{b}", " < ", "{a}", " → 0")),                           # 21
    Case("equal", "full", ("{b}", " = ", "{a}", " → ", "{w}")),                        # 22
    Case("equal", "zero", ("{b}", " ≠ ", "{a}", " → 0")),                              # 23
    Case("rate_times_weight", "zero", ("{b}", "% < 0 → 0")),                           # 24
    Case("range", "zero", ("{b}", " < 0 → 0")),                                        # 25
    Case("range", "zero", ("{b}", " < ", "{a}", " → 0")),                              # 26
)
"""The cases of the decision table, numbered (a kernel's template numbers are these)."""

OVER_CASES: Final = frozenset({1, 2, 3, 4, 7})
"""The cases of 正向 scoring (≥, >, = above 0, rate × weight): where over-achievement is flagged."""

# the facts a case is decided from, with the number of values each takes (see decide)
GROUP_NA, GROUP_QUAL, GROUP_GE, GROUP_EQ, GROUP_LE, GROUP_BETWEEN = range(6)
FACTS: Final = (
    ("group", 6), ("percent", 2), ("a_sign", 3), ("u_positive", 2), ("relation", 3), ("b_sign", 3), ("twice", 2),
    ("above", 2), ("whole_share", 2),
)
"""The facts of the table and their sizes; signs and the relation of B to A are 0 (−, <), 1 (0, =), 2 (+, >)."""

GROUP_OF: Final[Mapping[Comparator, int]] = MappingProxyType({
    Comparator.GE: GROUP_GE, Comparator.GT: GROUP_GE, Comparator.EQ: GROUP_EQ, Comparator.LE: GROUP_LE,
    Comparator.LT: GROUP_LE, Comparator.BETWEEN: GROUP_BETWEEN,
})
"""The comparator group of each comparator: > is scored as ≥ and < as ≤ (10号 gives full marks at equality)."""


def decide(  # noqa: C901, PLR0911, PLR0912 - the table, one branch per row
    facts: Sequence[int], *, linear: bool = False, rate_times_weight: bool = False, capped: bool = True,
) -> int:
    """The case (index into :data:`CASES`) for these facts: the decision table of 10号, row by row.

    ``facts`` are those of :data:`FACTS`, in order: ``relation`` compares B with A (the lower
    bound of a range); ``twice`` is B ≥ 2A, ``above`` B > U (a range's upper bound).
    ``capped=False`` scores B above a 正向 target by B / A (the forecast ratio of monitoring,
    over 1 when over-achieved).
    """
    group, percent, a_sign, u_positive, relation, b_sign, twice, above, whole_share = facts
    if group == GROUP_NA:
        return 0
    if group == GROUP_QUAL:
        return 17 if whole_share else 18
    a_positive, b_negative = a_sign == 2, b_sign == 0  # noqa: PLR2004 - a sign, shifted by one
    if group == GROUP_LE:
        if relation <= 1:
            return 8
        if not a_positive:
            return 9
        if linear:
            return 10 if twice else 11
        return 12
    if group == GROUP_BETWEEN:
        if relation == 0:
            if not a_positive:
                return 26
            return 25 if b_negative else 13
        if above:
            return 15 if u_positive else 14
        return 16
    if group == GROUP_EQ and not a_positive:
        if a_sign == 1:
            return 5 if relation == 1 else 6
        return 22 if relation == 1 else 23
    equal = group == GROUP_EQ
    if rate_times_weight and percent and a_positive:
        return 24 if b_negative else 7
    if relation >= 1:
        return (4 if equal else 2) if a_positive and not capped else (3 if equal else 1)
    if not a_positive:
        return 21
    if b_negative:
        return 20 if equal else 19
    return 4 if equal else 2


@lru_cache(maxsize=16)
def case_table(*, linear: bool, rate_times_weight: bool, capped: bool = True) -> tuple[int, ...]:
    """:func:`decide` over every combination of :data:`FACTS`, in mixed radix (the last fact varies fastest)."""
    return tuple(
        decide(facts, linear=linear, rate_times_weight=rate_times_weight, capped=capped)
        for facts in itertools.product(*(range(size) for _name, size in FACTS))
    )


def _sign(value: Decimal) -> int:
    return 0 if value < _ZERO else (1 if value == _ZERO else 2)


def facts_of(threshold: Threshold, b: Decimal) -> tuple[int, ...]:
    """The facts of a quantitative target and an actual in its unit (see :data:`FACTS`), share left at 1."""
    a = threshold.value
    comparator = threshold.comparator
    assert a is not None  # noqa: S101 - a quantitative threshold
    assert comparator is not None  # noqa: S101 - a quantitative threshold
    upper = threshold.upper if threshold.upper is not None else a
    return (
        GROUP_OF[comparator], int(threshold.unit == "%"), _sign(a), int(upper > _ZERO),
        0 if b < a else (1 if b == a else 2), _sign(b), int(b >= a * _TWO), int(b > upper), 1,
    )


def score(case: int, a: Decimal, u: Decimal, b: Decimal, w: Decimal, *, share: Decimal = _ONE) -> Decimal:
    """The score of a case: its formula with these numbers (weight ``w``)."""
    return FORMULAS[CASES[case].formula].compute(a, u, b, w, share)


class Outcome(NamedTuple):
    """What the table gives for one indicator: its case, score, whether it is over-achieved, and the numbers."""

    case: int
    score: Decimal
    over: bool
    a: Decimal
    u: Decimal
    b: Decimal

    @property
    def rule(self) -> str:
        """The rule's name (``at_least``, ``at_most``, ``range``...)."""
        return CASES[self.case].rule


def outcome(threshold: Threshold, b: Decimal, w: Decimal, rules: Rules, *, capped: bool = True) -> Outcome:
    """Score a quantitative target of weight ``w`` whose actual, in the target's unit, is ``b``."""
    facts = facts_of(threshold, b)
    case = decide(facts, linear=rules.linear, rate_times_weight=rules.rate_times_weight, capped=capped)
    a = threshold.value
    assert a is not None  # noqa: S101 - a quantitative threshold
    u = threshold.upper if threshold.upper is not None else a
    over = case in OVER_CASES and rules.over is not None and a > _ZERO and b >= a * rules.over
    return Outcome(case, score(case, a, u, b, w), over, a, u, b)


def explain(case: int, fields: Mapping[str, str]) -> str:
    """The explanation of a case with its fields filled in (see :class:`Case`)."""
    return "".join(fields[piece[1:-1]] if piece[:1] == "{" else piece for piece in CASES[case].text)


def explain_outcome(result: Outcome, w: Decimal, quantum: Decimal) -> str:
    """The explanation of a quantitative outcome (``93 / 95 × 12.5 ≈ 12.24``)."""
    n = number_text
    fields = {"b": n(result.b), "a": n(result.a), "u": n(result.u), "w": n(w), "s": shown(result.score, quantum)}
    return explain(result.case, fields)


def attainment(
    target: Threshold, actual: object, policy: ScoringPolicy | str | None = None, *, capped: bool = True
) -> Decimal:
    """The share of ``target`` that ``actual`` attains: the score of an indicator of weight 1.

    Quantitative: by the decision table (``B / A`` below a 正向 target, ``A / B`` above a
    反向 one, ranges to the nearer bound, signed targets met or 0); ``capped=False`` lets a
    正向 target's share run above 1 (the monitoring forecast). Qualitative: the share of
    the band the actual names (达成 1, 部分达成 0.7, 未达成 0.3 by default).

    Raises:
        InvalidActualError: ``actual`` cannot be compared with this target (or it is 无).
        UnitMismatchError: ``actual`` is in a unit of another dimension.
    """
    rules = rules_of(policy_of(policy))
    if target.judged_by_band(actual):  # a qualitative target, or 达成 against a time limit (3个工作日内)
        return rules.band_default[target.achievement(actual)]
    with localcontext(CONTEXT):
        return outcome(target, target.actual_in_unit(actual), _ONE, rules, capped=capped).score


# --- qualitative bands ------------------------------------------------------------------------


def band_case(band: Achievement, rules: Rules) -> tuple[int, Decimal]:
    """The case (17: the whole weight, 18: a share of it) and the share a band scores without an explicit score."""
    share = rules.band_default[band]
    return decide((GROUP_QUAL, 0, 1, 0, 1, 1, 0, 0, int(share == _ONE))), share


def band_span(band: Achievement, w: Decimal, rules: Rules) -> tuple[Decimal, Decimal, bool]:
    """The scores a band allows for weight ``w``: (low, high, high included); only 达成 includes its top."""
    return trim(rules.band_low[band] * w), trim(rules.band_high[band] * w), band is Achievement.ACHIEVED


# --- rows with no target printed ---------------------------------------------------------------


def printed_score(given: Decimal | None, w: Decimal, regions: Sequence[str] = ()) -> tuple[Decimal, str] | str:
    """The score of a row whose table prints no target (blank): the score the table prints for it.

    A blank row keeps its weight, and there is nothing to compare an actual with: the score is
    the one given (an explicit score, the 得分 printed), from 0 to the weight. So is a row whose
    targets are per region and differ (福建 区域目标值; ``regions`` names them): it has no target
    of its own, and an actual is for the row as a whole (there is no actual per region). Returns
    (score, explanation), or the problem when no score is given or it exceeds the weight.
    """
    if given is None and regions:
        shown = "、".join(regions[:3]) + ("…" if len(regions) > 3 else "")  # noqa: PLR2004 - a few names
        return (f"no target of its own is printed: its targets are per region ({shown}) and differ, and an actual "
                "per region is not supported; no score is given: give the score the table prints "
                "(an actual with score = ...)")
    if given is None:
        return ("no target is printed (blank) and no score is given: give the score the table prints "
                "(an actual with score = ...)")
    if given > w:
        return f"the score given ({number_text(given)}) exceeds the weight ({number_text(w)}) of a row with no target"
    return given, f"no target printed (blank): the score {number_text(given)} given is taken (explicit)"


# --- weights ----------------------------------------------------------------------------------


_WEIGHTS: Final[dict[tuple[object, ...], tuple[tuple[Decimal, ...], tuple[tuple[int, str], ...], Rules]]] = {}


def indicator_weights(
    labels: Sequence[str], applicable: Sequence[bool], given: Sequence[Decimal | None], rules: Rules, points: Decimal,
) -> tuple[Sequence[Decimal], Sequence[tuple[int, str]]]:
    """Each indicator's weight: the table's when given, else its share of its block's points.

    ``labels`` are the blocks' labels: the level-1 labels (``""`` when the table gives none),
    or under a policy with goal points each row's goal block (:func:`goal_block`); ``points`` what the
    indicators share (the policy's level-1 points, or 100 when budget execution is not
    scored). A level-1 the policy does not weigh folds into its block (:func:`fold`); a block
    without an applicable indicator gives its points to the others in proportion (unless the
    policy rescales). Returns the weights and the problems, as (indicator index, message).
    Remembered per table shape (labels, 无 rows, weights given as written): they repeat.
    """
    key = (
        *labels, *applicable, *[None if w is None else (w, str(w)) for w in given], id(rules), points, str(points),
    )
    found = _WEIGHTS.get(key)
    if found is None:
        weights, problems = _indicator_weights(labels, applicable, given, rules, points)
        if len(_WEIGHTS) >= _CACHE_SIZE:
            _WEIGHTS.clear()
        found = _WEIGHTS[key] = (tuple(weights), tuple(problems), rules)
    return found[0], found[1]


def block_points(live: Collection[str], rules: Rules, points: Decimal) -> dict[str, Decimal]:
    """The points of each block (level-1, or goal block) when the indicators share ``points`` in all.

    The policy's points, scaled to ``points`` (the indicator points, or 100 when budget execution
    is not scored); a block that is not ``live`` (no applicable indicator in the table) gives its
    points to the live ones in proportion, unless the policy rescales (按百分制折算).
    """
    nominal = dict(rules.level1)
    if rules.level1_sum and points != rules.level1_sum:
        nominal = {level: weight * points / rules.level1_sum for level, weight in nominal.items()}
    if not rules.rescale:
        empty = [block for block in nominal if block not in live]
        if empty:
            spare = sum((nominal[block] for block in empty), _ZERO)
            rest = sum((nominal[block] for block in nominal if block not in empty), _ZERO)
            if spare and rest:
                nominal = {b: (_ZERO if b in empty else p + p * spare / rest) for b, p in nominal.items()}
    return nominal


def _indicator_weights(  # noqa: C901, PLR0912 - the weighting rules read best in one place
    labels: Sequence[str], applicable: Sequence[bool], given: Sequence[Decimal | None], rules: Rules, points: Decimal,
) -> tuple[list[Decimal], list[tuple[int, str]]]:
    count = len(labels)
    weights = [_ZERO] * count
    problems: list[tuple[int, str]] = []
    members: dict[str, list[int]] = {}
    if not any(labels):
        nominal = {"": points}
        members[""] = list(range(count))
    else:
        folded, known = rules.fold, rules.level1
        for index, label in enumerate(labels):
            block = folded.get(label, label)
            if block in known:
                members.setdefault(block, []).append(index)
                continue
            weight = given[index]
            if weight is not None:
                weights[index] = weight if applicable[index] else _ZERO
            elif applicable[index]:
                where = f"goal block {label}" if rules.by_goal else f"level-1 {label or '(none)'}"
                problems.append((index, (f"{where} has no points in policy {rules.name}; "
                                         "give the indicator a weight (分值)")))
        live = {block for block, indices in members.items() if any(applicable[i] for i in indices)}
        nominal = block_points(live, rules, points)
    for block, indices in members.items():
        given_sum = _ZERO
        free = []
        for index in indices:
            weight = given[index]
            if weight is None:
                if rules.rescale or applicable[index]:
                    free.append(index)
            elif applicable[index]:
                weights[index] = weight
                given_sum += weight
            elif rules.rescale:
                given_sum += weight
        if not free:
            continue
        remaining = nominal[block] - given_sum
        if remaining < _ZERO:
            problems.append((free[0], (f"the weights given in {block or 'the table'} ({format_number(given_sum)}) "
                                       f"exceed its {number_text(nominal[block])} points")))
            continue
        share = remaining / len(free)
        for index in free:
            if applicable[index]:
                weights[index] = share
    return weights, problems


# --- budget execution -------------------------------------------------------------------------


_BUDGETS: Final[dict[tuple[str, str, int], tuple[tuple[Decimal, Decimal, str], Rules]]] = {}


def budget_score(spent: Decimal, budget: Decimal, rules: Rules) -> tuple[Decimal, Decimal, str]:
    """(rate in percent, score, formula) of budget execution (预算执行率) for a positive budget.

    ``ratio``: min(spent / budget, 1) × weight; the 90-rule: full from the full rate, minus
    the points per percentage point below, down to 0. Computed in :data:`CONTEXT`, once per
    distinct amounts as written (``9.20`` and ``9.2`` explain differently) and rules.
    """
    key = (str(spent), str(budget), id(rules))
    found = _BUDGETS.get(key)
    if found is None:
        with localcontext(CONTEXT):
            scored = _budget_score(spent, budget, rules)
        if len(_BUDGETS) >= _CACHE_SIZE:
            _BUDGETS.clear()
        found = _BUDGETS[key] = (scored, rules)
    return found[0]


def _budget_score(spent: Decimal, budget: Decimal, rules: Rules) -> tuple[Decimal, Decimal, str]:
    w = rules.budget_weight
    n = number_text
    ratio = spent / budget
    rate = trim(ratio * _HUNDRED)
    head = f"{n(spent)} / {n(budget)} = {n(rate)}%"
    if rules.budget_90:
        if rate >= rules.full_rate:
            return rate, w, f"{head} ≥ {n(rules.full_rate)}% → {n(w)}"
        points = max(w - (rules.full_rate - rate) * rules.per_point, _ZERO)
        arithmetic = f"{head}; {n(w)} − ({n(rules.full_rate)} − {n(rate)}) × {n(rules.per_point)}"
        if points == _ZERO:
            return rate, points, f"{arithmetic} ≤ 0 → 0"
        return rate, points, f"{arithmetic} {shown(points, rules.quantum)}"
    if ratio >= _ONE:
        return rate, w, f"{head}; min({n(rate)}%, 100%) × {n(w)} = {n(w)}"
    points = ratio * w
    return rate, points, f"{head}; {n(rate)}% × {n(w)} {shown(points, rules.quantum)}"


# --- the total --------------------------------------------------------------------------------


def total(raw: Decimal, weight_total: Decimal, rules: Rules) -> tuple[Decimal, bool]:
    """The total of a table from the sum of its scores and of its weights: (total, rescaled).

    When the weights add up to the policy's full points the total is the sum; otherwise it
    is rescaled, ``raw × full / weight_total`` (按百分制折算); always within [0, full].
    """
    full = rules.total_points
    if weight_total == full:
        return min(max(raw, _ZERO), full), False
    value = snap(raw * full / weight_total) if weight_total > _ZERO else _ZERO
    return min(max(value, _ZERO), full), True


def printed_sum(scores: Iterable[Decimal], places: int) -> Decimal:
    """The sum of scores as printed: each rounded half up to ``places``, then added (the 得分 column's sum)."""
    return sum((round_half_up(score, places) for score in scores), _ZERO)


def printed_total(scores: Iterable[Decimal], weight_total: Decimal, rules: Rules) -> Decimal | None:
    """总分 as printed under ``total_rounding = "sum_rounded"``; ``None`` under ``"round_total"``.

    The printed scores (indicators and budget line, :func:`printed_sum`) added and rescaled as
    :func:`total` rescales, then rounded half up to the policy's places (exact when nothing is
    rescaled). Under ``"round_total"`` the printed total is the exact total rounded.
    """
    if not rules.sum_rounded:
        return None
    value, _ = total(printed_sum(scores, rules.places), weight_total, rules)
    return round_half_up(value, rules.places)


_Sums = tuple[tuple[bool, ...], dict[str, tuple[bool, ...]], Decimal, dict[str, Decimal]]
_SUMS: Final[dict[tuple[int, int, int], tuple[_Sums, tuple[str, ...], tuple[Decimal | None, ...], Decimal]]] = {}


# (id of a _SUMS entry, ids of the scores) → (level-1 → (weight, score), the scores, the entry): held, so no id reused
_SUBTOTALS: Final[dict[tuple[int, ...], tuple[dict[str, tuple[Decimal, Decimal]], tuple[Decimal, ...], object]]] = {}
_SUBTOTALS_MAX: Final = 1 << 12  # the combinations that repeat are few (full marks); an entry holds a table's scores


def add_up(
    labels: Sequence[str], weights: Sequence[Decimal | None], scores: Sequence[Decimal], budget_weight: Decimal,
    budget_points: Decimal | None,
) -> tuple[Decimal, Decimal, dict[str, tuple[Decimal, Decimal]]]:
    """The sums of a table's lines: (raw total, weight total, level-1 → (weight, score)).

    Line ``i`` has the level-1 label ``labels[i]``, the weight ``weights[i]`` (``None`` for a
    无 row) and the score ``scores[i]``; 无 rows are left out of every sum but still open
    their level-1's subtotal. The budget line's weight and score start the totals. Sums are
    added in line order and kept exact to 20 places (:func:`snap`). The weights' part is
    remembered when ``labels`` and ``weights`` are tuples (a table shape's, which repeat).
    """
    if not len(labels) == len(weights) == len(scores):
        msg = f"add_up: {len(labels)} labels, {len(weights)} weights and {len(scores)} scores"
        raise ValueError(msg)
    if type(labels) is tuple and type(weights) is tuple:
        key = (id(labels), id(weights), id(budget_weight))
        found = _SUMS.get(key)
        if found is None:
            if len(_SUMS) >= _CACHE_SIZE:
                _SUMS.clear()
            found = _SUMS[key] = (_weight_sums(labels, weights, budget_weight), labels, weights, budget_weight)
        sums = found[0]
        scored = sums[0]
        raw = sum(compress(scores, scored), budget_points if budget_points is not None else _ZERO)
        # the subtotals, once per distinct score objects of a shape (a table at full marks has its weights)
        by_scores = (id(found), *map(id, scores))
        subtotals = _SUBTOTALS.get(by_scores)
        if subtotals is None:
            if len(_SUBTOTALS) >= _SUBTOTALS_MAX:
                _SUBTOTALS.clear()
            subtotals = _SUBTOTALS[by_scores] = (_subtotals(sums, scores), tuple(scores), found)
        return snap(raw), sums[2], dict(subtotals[0])
    sums = _weight_sums(labels, weights, budget_weight)
    raw = sum(compress(scores, sums[0]), budget_points if budget_points is not None else _ZERO)
    return snap(raw), sums[2], _subtotals(sums, scores)


def _subtotals(sums: _Sums, scores: Sequence[Decimal]) -> dict[str, tuple[Decimal, Decimal]]:
    """Level-1 → (weight, score) of a table's lines: each score summed in line order, kept exact to 20 places."""
    _, lines, _, label_weights = sums
    return {label: (label_weights[label], snap(sum(compress(scores, rows), _ZERO))) for label, rows in lines.items()}


def _weight_sums(labels: Sequence[str], weights: Sequence[Decimal | None], budget_weight: Decimal) -> _Sums:
    """(lines with a weight, level-1 → its lines with a weight, weight total, level-1 → its weight): as ``add_up``."""
    scored = tuple(weight is not None for weight in weights)
    lines = {
        label: tuple(live and other == label for other, live in zip(labels, scored, strict=True))
        for label in dict.fromkeys(labels)
    }
    given = cast("Sequence[Decimal]", weights)  # the None weights are not selected
    weight_total = snap(sum(compress(given, scored), budget_weight))
    label_weights = {label: snap(sum(compress(given, rows), _ZERO)) for label, rows in lines.items()}
    return scored, lines, weight_total, label_weights
