"""The model of a performance target document: frozen attrs classes, no I/O."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Context, Decimal
from typing import Any, Final

import attrs

from perftarget._values.levels import Level1, Level2, schemas_of, to_level1, to_level2
from perftarget._values.numbers import format_number, to_decimal, to_tuple
from perftarget._values.schedule import SpendingSchedule
from perftarget._values.threshold import Threshold
from perftarget.exceptions import InvalidValueError, WrongTypeError, shown

__all__ = [
    "TABLE_FORMS",
    "Basis",
    "BasisCategory",
    "Budget",
    "CostItem",
    "DepartmentTargets",
    "Detail",
    "Document",
    "Goal",
    "Indicator",
    "Measure",
    "ProjectTargets",
    "RegionalTarget",
    "Suppression",
    "TypeCheck",
    "Unit",
    "common_target",
]

_ZERO: Final = Decimal(0)

TABLE_FORMS: Final = ("target-table", "self-evaluation")
"""The published forms a project table can come from (:attr:`ProjectTargets.form`).

``"target-table"``: a 项目绩效目标表 (the default); ``"self-evaluation"``: the indicator part of a
项目支出绩效自评表 (财预〔2020〕10号 附件1), which prints no 指标值确定依据, no 绩效指标描述 and no
资金支出计划. Review picks the rules that fit the form (:class:`perftarget.rules.Profile`).
"""


_KIND_WORDS: Final = {str: "text (str)", int: "a whole number (int)", bool: "True or False"}


class TypeCheck:
    """An attrs validator that checks a field's type (or each item's, with ``each``) and nothing else.

    Like ``attrs.validators.instance_of``, but it raises :class:`WrongTypeError` naming the field
    (``Indicator.name must be text (str) (got int 3)``). Readers that decode into typed values
    already (the fast JSON path) know that such a check cannot fail, and skip it.
    """

    __slots__ = ("each", "type")

    def __init__(self, kind: type, *, each: bool = False) -> None:
        self.type, self.each = kind, each  # ``type`` as attrs' instance_of names it

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:  # noqa: ANN401
        kind = self.type
        if not self.each:
            if not isinstance(value, kind):
                self._refuse(f"{type(instance).__name__}.{attribute.name}", attribute.name, value)
            return
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                self._refuse(f"{type(instance).__name__}.{attribute.name}[{index}]", attribute.name, item)

    def _refuse(self, where: str, field: str, value: object) -> None:
        expected = _KIND_WORDS.get(self.type, f"a {self.type.__name__}")
        msg = f"{where} must be {expected} (got {type(value).__name__} {shown(value)})"
        raise WrongTypeError(msg, field=field, value=value)

    def __repr__(self) -> str:
        return f"<TypeCheck {'each ' if self.each else ''}{self.type.__name__}>"


def _of(kind: type) -> TypeCheck:
    """A validator like ``attrs.validators.instance_of`` raising :class:`WrongTypeError`, naming the field."""
    return TypeCheck(kind)


def _all_of(kind: type) -> TypeCheck:
    """A validator: every item of the tuple is a ``kind`` (:class:`WrongTypeError` naming the item)."""
    return TypeCheck(kind, each=True)


@attrs.frozen
class Unit:
    """预算单位: a budget unit, by its code and name (``230001``, ``博野县信访局本级``).

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(validator=_of(str))
    name: str = attrs.field(validator=_of(str))

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


def _non_negative(_instance: object, attribute: attrs.Attribute[Decimal | None], value: Decimal | None) -> None:
    if value is not None and value < _ZERO:
        msg = f"{attribute.name}: must not be negative (got {format_number(value)})"
        raise InvalidValueError(msg, field=attribute.name, value=value)


# One named converter per amount field, so that an error names the field.
def _total(value: object) -> Decimal:
    return to_decimal(value, field="total")


def _fiscal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="fiscal")


def _other(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="other")


def _weight(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="weight")


FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2999


def _year(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    """A budget year: a whole number from 1900 to 2999 (dates of the year and the next must exist)."""
    if isinstance(value, bool) or not isinstance(value, int):
        where = f"{type(instance).__name__}.{attribute.name}"
        msg = f"{where} must be a whole number such as 2024 (got {type(value).__name__} {shown(value)})"
        raise WrongTypeError(msg, field=attribute.name, value=value)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        msg = f"{attribute.name!r} must be a budget year from {FIRST_YEAR} to {LAST_YEAR} (got {value})"
        raise InvalidValueError(msg, field=attribute.name, value=value)


_EXACT: Final = Context(prec=128)
"""Enough digits to add any two amounts within :class:`~perftarget.Limits` exactly."""


@attrs.frozen(kw_only=True)
class Budget:
    """预算数 in 万元: ``total`` = ``fiscal`` (财政资金) + ``other`` (其他资金).

    When all three are given they must add up. Amounts are exact ``Decimal``.

    .. versionadded:: 0.1.0
    """

    total: Decimal = attrs.field(converter=_total, validator=_non_negative)  # type: ignore[assignment]
    fiscal: Decimal | None = attrs.field(default=None, converter=_fiscal, validator=_non_negative)
    other: Decimal | None = attrs.field(default=None, converter=_other, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        if self.fiscal is not None and self.other is not None and _EXACT.add(self.fiscal, self.other) != self.total:
            msg = (
                f"budget parts do not add up: fiscal {format_number(self.fiscal)} + other "
                f"{format_number(self.other)} != total {format_number(self.total)}"
            )
            raise InvalidValueError(msg, field="total", value=self.total)


class BasisCategory(enum.Enum):
    """The kind of standard a target value rests on (绩效评价标准)."""

    PLAN = "计划标准"
    INDUSTRY = "行业标准"
    HISTORY = "历史标准"
    OTHER = "其他标准"

    @property
    def english(self) -> str:
        """The English name (``plan``, ``industry``, ``history``, ``other``)."""
        return self.name.lower()


@attrs.frozen
class Basis:
    """指标值确定依据: why the target has its value (``"工作要求"``), with an optional category.

    .. versionadded:: 0.1.0
    """

    text: str = attrs.field(validator=_of(str))
    category: BasisCategory | None = attrs.field(
        default=None, validator=attrs.validators.optional(_of(BasisCategory))
    )

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Suppression:
    """A review rule switched off for one indicator or project, with the reason why.

    ``code`` is a rule code such as ``PT301``; the reason is required so that a
    suppression can be audited.

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(validator=_of(str))
    reason: str = attrs.field(validator=_of(str))

    def __attrs_post_init__(self) -> None:
        if not self.reason.strip():
            raise InvalidValueError(f"suppressing {self.code} needs a reason", field="reason", value=self.reason)


def _to_threshold(value: Threshold | str) -> Threshold:
    if isinstance(value, str):
        return Threshold.parse(value)
    return value


def _to_basis(value: Basis | str | None) -> Basis | None:
    if isinstance(value, str):
        return Basis(value)
    return value


def _region(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    _of(str)(instance, attribute, value)
    if not value.strip() or value != value.strip():
        msg = f"region: a region is named, without spaces around its name (got {value!r})"
        raise InvalidValueError(msg, field=attribute.name, value=value)


def _regional_target(instance: object, attribute: attrs.Attribute[Threshold], value: Threshold) -> None:
    _of(Threshold)(instance, attribute, value)
    if value.is_blank:
        msg = "target: a region without a target is left out of regional_targets, not given a blank one"
        raise InvalidValueError(msg, field=attribute.name, value=value)


@attrs.frozen
class RegionalTarget:
    """区域目标值: an indicator's target for one region (a county, a district, a township).

    A 福建 专项转移支付绩效目标表 gives each indicator one target per region that the transfer
    reaches, under a heading 区域目标值 over one column per region (新罗区 | 永定区 | …). ``region``
    is the region's name as printed; ``target`` takes a :class:`Threshold` or its text, and says
    something (a region whose cell is empty has no :class:`RegionalTarget`: it is left out).

    >>> from perftarget.values import RegionalTarget
    >>> str(RegionalTarget("新罗区", ">=95%").target)
    '≥95%'

    .. versionadded:: 0.2.0
    """

    region: str = attrs.field(validator=_region)
    target: Threshold = attrs.field(converter=_to_threshold, validator=_regional_target)


MAX_REGIONS: Final = 1000
"""The most regions one indicator may give a target for (a province has about a hundred counties)."""


def _regional_targets(
    instance: object, attribute: attrs.Attribute[tuple[RegionalTarget, ...]], value: tuple[RegionalTarget, ...]
) -> None:
    _all_of(RegionalTarget)(instance, attribute, value)
    if len(value) > MAX_REGIONS:
        msg = f"regional_targets: at most {MAX_REGIONS} regions (got {len(value)})"
        raise InvalidValueError(msg, field=attribute.name, value=len(value))
    seen: set[str] = set()
    for item in value:
        region = item.region
        if region in seen:
            msg = f"regional_targets: region {region!r} is given twice"
            raise InvalidValueError(msg, field=attribute.name, value=region)
        seen.add(region)


def common_target(regional: tuple[RegionalTarget, ...]) -> Threshold:
    """The one target of an indicator that a table gives only per region (福建 区域目标值).

    The rule, the same on every path that reads such a table: when every region's target is the
    same threshold (compared as thresholds: ``≥95%`` and ``>=95%`` are the same), that target, as
    the first region prints it; otherwise (the regions differ, or there are none) no target is
    printed for the indicator as a whole: :meth:`Threshold.blank`.

    >>> from perftarget.values import RegionalTarget, common_target
    >>> str(common_target((RegionalTarget("新罗区", "≥95%"), RegionalTarget("永定区", ">=95%"))))
    '≥95%'
    >>> common_target((RegionalTarget("新罗区", "2"), RegionalTarget("永定区", "3"))).is_blank
    True

    .. versionadded:: 0.2.0
    """
    if regional and all(item.target == regional[0].target for item in regional[1:]):
        return regional[0].target
    return Threshold.blank()


@attrs.frozen(kw_only=True)
class Indicator:
    """A third-level indicator (三级指标) with its place in the tree and its target.

    ``level1`` and ``level2`` take the enum member or the Chinese label; a label that is
    not in either national tree is kept as text (and reported by :func:`perftarget.review`).
    ``target`` takes a :class:`Threshold` or its text. ``weight`` is the 分值, if the table
    gives one.

    Published layouts print more columns, kept as printed: ``unit_text`` is the 计量单位
    when it is its own column (``"%"``, ``"万元"``), ``value_kind`` the 指标值类型
    (``"定量"``/``"定性"``), ``scoring_rule`` the 评(扣)分标准, ``remarks`` the 备注 and
    ``last_year`` the 上年度实际水平 (黑龙江: last year's level, as printed: ``"99%"``).

    ``regional_targets`` holds a target per region where the table gives one (福建
    专项转移支付绩效目标表, 区域目标值: one column per region), in the order printed; the regions are
    named, each once. ``target`` stays the indicator's own: a table that prints only the regions'
    targets gives it by :func:`~perftarget.values.common_target` (the regions' target when they
    all agree, else blank).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``unit_text``, ``value_kind``, ``scoring_rule``, ``remarks``, ``last_year`` and
       ``regional_targets``.
    """

    level1: Level1 | str | None = attrs.field(default=None, converter=to_level1)
    level2: Level2 | str | None = attrs.field(default=None, converter=to_level2)
    name: str = attrs.field(validator=_of(str))
    description: str = attrs.field(default="", validator=_of(str))
    target: Threshold = attrs.field(
        converter=_to_threshold, validator=_of(Threshold)
    )
    basis: Basis | None = attrs.field(
        default=None,
        converter=_to_basis,
        validator=attrs.validators.optional(_of(Basis)),
    )
    weight: Decimal | None = attrs.field(default=None, converter=_weight, validator=_non_negative)
    key: str | None = None
    suppressions: tuple[Suppression, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(Suppression)
    )
    unit_text: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    value_kind: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    scoring_rule: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    remarks: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    last_year: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    regional_targets: tuple[RegionalTarget, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_regional_targets
    )

    def __attrs_post_init__(self) -> None:
        if isinstance(self.level1, Level1) and isinstance(self.level2, Level2) and not schemas_of(
            self.level1, self.level2
        ):
            msg = f"level-2 {self.level2.label} does not belong to level-1 {self.level1.label}"
            raise InvalidValueError(msg, field="level2", value=self.level2)

    @property
    def applicable(self) -> bool:
        """``False`` for a 无 row (the level-2 does not apply to this project)."""
        return self.target.is_applicable

    @property
    def level1_label(self) -> str:
        """The level-1 as printed (Chinese), or an empty string."""
        return "" if self.level1 is None else str(self.level1)

    @property
    def level2_label(self) -> str:
        """The level-2 as printed (Chinese), or an empty string."""
        return "" if self.level2 is None else str(self.level2)


@attrs.frozen
class Goal:
    """A goal (目标内容 / 分项绩效目标) and the indicators that measure it.

    .. versionadded:: 0.1.0
    """

    content: str = attrs.field(validator=_of(str))
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(Indicator)
    )


@attrs.frozen
class Measure:
    """A guarantee measure (工作保障措施): a heading and its text.

    .. versionadded:: 0.1.0
    """

    title: str = attrs.field(validator=_of(str))
    detail: str = attrs.field(default="", validator=_of(str))


@attrs.frozen
class Detail:
    """A label row of a published table that no other field holds, kept as printed (项目负责人 | 张某).

    ``label`` is the label as printed, ``text`` its value as displayed. Which labels a
    layout prints this way is the layout registry's (the ``detail`` label role).

    .. versionadded:: 0.2.0
    """

    label: str = attrs.field(validator=attrs.validators.instance_of(str))
    text: str = attrs.field(default="", validator=attrs.validators.instance_of(str))


def _form(_instance: object, _attribute: object, value: object) -> None:
    if value not in TABLE_FORMS:
        choices = ", ".join(TABLE_FORMS)
        raise InvalidValueError(f"expected a table form ({choices}), got {value!r}", field="form", value=value)


def _amount(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="amount")


def _carryover(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="carryover")


def _cost_total(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="cost_total")


def _prior_budget(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="prior_budget")


def _amounts(value: object) -> tuple[Decimal | None, ...]:
    return tuple(None if item is None else to_decimal(item, field="prior") for item in to_tuple(value))


@attrs.frozen
class CostItem:
    """One row of a cost build-up (预算成本构成 / 成本测算): a part of the budget and how it was reckoned.

    ``amount`` is the 金额 in 万元, ``basis`` the 测算(公式)依据, and ``prior`` the prior
    years' actual amounts as printed, oldest first (``None`` for a blank cell); ``prior_budget``
    is the prior year's budget for the item (黑龙江 上年度预算安排), where a table prints it.

    .. versionadded:: 0.2.0
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    amount: Decimal | None = attrs.field(default=None, converter=_amount, validator=_non_negative)
    basis: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    prior: tuple[Decimal | None, ...] = attrs.field(
        default=(),
        converter=_amounts,
        validator=attrs.validators.deep_iterable(attrs.validators.optional(attrs.validators.instance_of(Decimal))),
    )
    prior_budget: Decimal | None = attrs.field(default=None, converter=_prior_budget, validator=_non_negative)


@attrs.frozen(kw_only=True)
class ProjectTargets:
    """项目绩效目标表: one budget project's targets.

    ``year`` is the budget year; ``year_assumed`` marks a year that the source does not
    print. The schedule, when given, must be for the same year. ``form`` is the published
    form the table was read from (one of :data:`TABLE_FORMS`; a file without it is a target
    table), which chooses the review rules that fit it.

    What published project tables print besides is kept as printed: ``department``
    (主管部门), ``category`` (项目类别), ``nature`` (项目性质), ``grounds`` (立项依据),
    ``carryover`` (上年结转资金, 万元), the cost build-up ``costs`` with its printed
    total ``cost_total`` (合计, not checked here: review compares it with the parts), and
    the guarantee ``measures`` (保障绩效目标实现措施); the other label rows a layout prints
    (项目负责人, 联系电话, 建设周期, 项目总体概况...) are ``details``, in table order.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``department``, ``category``, ``nature``, ``grounds``, ``carryover``, ``costs``,
       ``cost_total``, ``measures`` and ``details``.
    """

    unit: Unit = attrs.field(validator=_of(Unit))
    code: str = attrs.field(validator=_of(str))
    name: str = attrs.field(validator=_of(str))
    year: int = attrs.field(validator=_year)
    budget: Budget = attrs.field(validator=_of(Budget))
    purpose: str = attrs.field(default="", validator=_of(str))
    schedule: SpendingSchedule | None = attrs.field(
        default=None, validator=attrs.validators.optional(_of(SpendingSchedule))
    )
    goals: tuple[Goal, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(Goal)
    )
    year_assumed: bool = False
    suppressions: tuple[Suppression, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(Suppression)
    )
    department: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    category: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    nature: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    grounds: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    carryover: Decimal | None = attrs.field(default=None, converter=_carryover, validator=_non_negative)
    costs: tuple[CostItem, ...] = attrs.field(default=(), converter=to_tuple, validator=_all_of(CostItem))
    cost_total: Decimal | None = attrs.field(default=None, converter=_cost_total, validator=_non_negative)
    measures: tuple[Measure, ...] = attrs.field(default=(), converter=to_tuple, validator=_all_of(Measure))
    form: str = attrs.field(default="target-table", validator=_form)
    details: tuple[Detail, ...] = attrs.field(default=(), converter=to_tuple, validator=_all_of(Detail))

    def __attrs_post_init__(self) -> None:
        if self.schedule is not None and self.schedule.fiscal_year != self.year:
            msg = f"the spending plan is for {self.schedule.fiscal_year}, the project for {self.year}"
            raise InvalidValueError(msg, field="schedule", value=self.schedule.fiscal_year)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of every goal, in table order."""
        return tuple(indicator for goal in self.goals for indicator in goal.indicators)

    def iter_indicators(self) -> Iterator[tuple[str, Indicator]]:
        """Each indicator with its path inside the project (``goals[0].indicators[3]``)."""
        for g, goal in enumerate(self.goals):
            for i, indicator in enumerate(goal.indicators):
                yield f"goals[{g}].indicators[{i}]", indicator


@attrs.frozen(kw_only=True)
class DepartmentTargets:
    """部门整体绩效目标: a unit's duties, sub-goals with their indicators, and measures.

    .. versionadded:: 0.1.0
    """

    unit: Unit = attrs.field(validator=_of(Unit))
    year: int = attrs.field(validator=_year)
    duties: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(str)
    )
    goals: tuple[Goal, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(Goal)
    )
    measures: tuple[Measure, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(Measure)
    )
    year_assumed: bool = False

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of every sub-goal, in order."""
        return tuple(indicator for goal in self.goals for indicator in goal.indicators)


@attrs.frozen(kw_only=True)
class Document:
    """A unit's published targets: the department-wide part and any number of project tables.

    .. versionadded:: 0.1.0
    """

    department: DepartmentTargets | None = attrs.field(
        default=None, validator=attrs.validators.optional(_of(DepartmentTargets))
    )
    projects: tuple[ProjectTargets, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_all_of(ProjectTargets)
    )
    notes: str = attrs.field(default="", validator=_of(str))

    def project(self, code_or_name: str) -> ProjectTargets:
        """The project with this code or name.

        Raises:
            KeyError: no project has it.
        """
        for project in self.projects:
            if code_or_name in (project.code, project.name):
                return project
        raise KeyError(code_or_name)
