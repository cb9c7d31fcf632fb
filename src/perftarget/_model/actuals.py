"""Actual values (实际完成值) for self-evaluation: the values, their tables, and matching them to indicators.

An actual is written the way people write it: text (``"96%"``, ``"7小时/天"``,
``"95000元"``), a number in the target's unit, an achievement band (达成 / 部分达成 /
未达成) for a qualitative target, or a band with an explicit score
(:class:`ExplicitScore`). :class:`Actual` adds a 偏差原因 (reason) and, for a
quantitative target, a score set by hand.

Reading the file that carries them is :mod:`perftarget._codec.actuals`' work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import Final, Union

import attrs

from perftarget._model.targets import Indicator, ProjectTargets, TypeCheck
from perftarget._values.numbers import format_number, to_decimal, to_optional_decimal, to_tuple
from perftarget._values.schedule import to_wan
from perftarget._values.threshold import Achievement, ThresholdKind
from perftarget._values.units import Quantity
from perftarget.exceptions import InvalidValueError, PerftargetError, Problem, WrongTypeError, shown

__all__ = [
    "Actual",
    "ActualInput",
    "ActualsDocument",
    "ExplicitScore",
    "TableActuals",
    "match_actuals",
    "read_amount",
    "to_actual",
]

_ZERO: Final = Decimal(0)


def _to_band(value: Achievement | str) -> Achievement:
    if isinstance(value, Achievement):
        return value
    if isinstance(value, str):
        band = Achievement.from_text(value)
        if band is not None:
            return band
    msg = f"'band' must be 达成, 部分达成 or 未达成 (achieved, partially achieved, not achieved) (got {shown(value)})"
    raise InvalidValueError(msg, field="band", value=value)


def _non_negative_score(_instance: object, _attribute: object, value: Decimal) -> None:
    if value < _ZERO:
        msg = f"'score' must not be negative (got {format_number(value)})"
        raise InvalidValueError(msg, field="score", value=value)


def _optional_non_negative_score(instance: object, attribute: object, value: Decimal | None) -> None:
    if value is not None:
        _non_negative_score(instance, attribute, value)


@attrs.frozen
class ExplicitScore:
    """A qualitative indicator's band with the score chosen inside it (10号 定性 scoring).

    ``score`` is in points (分), not a share: with a weight of 10, ``ExplicitScore("部分达成", 7)``
    gives 7 points. The evaluation checks that the score lies in its band: 达成 [0.8w, w],
    部分达成 [0.6w, 0.8w), 未达成 [0, 0.6w) by default.

    .. versionadded:: 0.1.0
    """

    band: Achievement = attrs.field(converter=_to_band)
    score: Decimal = attrs.field(converter=to_decimal, validator=_non_negative_score)

    def __str__(self) -> str:
        return f"{self.band.value}（{format_number(self.score)}分）"


ActualValue = Union[str, int, float, Decimal, Quantity, Achievement, ExplicitScore]  # noqa: UP007 - a runtime alias
_VALUE_TYPES: Final = (str, int, float, Decimal, Quantity, Achievement, ExplicitScore)


def _check_value(_instance: object, _attribute: object, value: ActualValue) -> None:
    if isinstance(value, bool) or not isinstance(value, _VALUE_TYPES):
        msg = (
            "'value' must be text, a number, a Quantity, an Achievement or an ExplicitScore "
            f"(got {type(value).__name__} {shown(value)})"
        )
        raise InvalidValueError(msg, field="value", value=value)


@attrs.frozen
class Actual:
    """An actual value with its 偏差原因分析及改进措施 and, optionally, a score set by hand.

    ``score`` is for a quantitative target whose actual is far above the target because
    the target was set too low: 10号 asks to reduce the score by the deviation
    (按照偏离度适度调减分值) but gives no formula, so the unit sets the score and
    explains it. It must not exceed what the rule gives. For a row whose table prints no
    target (a blank target) it is the score printed, the row's whole score
    (``Actual("", score=10)``), at most the row's weight.

    .. versionadded:: 0.1.0
    """

    value: ActualValue = attrs.field(validator=_check_value)
    reason: str = attrs.field(default="", kw_only=True, validator=attrs.validators.instance_of(str))
    score: Decimal | None = attrs.field(
        default=None, kw_only=True, converter=to_optional_decimal, validator=_optional_non_negative_score
    )


ActualInput = Union[ActualValue, Actual, Mapping[str, object]]  # noqa: UP007 - used at runtime by readers


def to_actual(value: object) -> Actual:
    """Read one actual as given in Python or in a file.

    Accepts the value itself, an :class:`Actual`, or a table with ``value`` and optional
    ``reason`` and ``score``, with ``band``, ``score`` and optional ``reason``, or with
    ``score`` (and an optional ``reason``) alone: the score printed for a row that prints no
    target and no actual (a blank row), read as ``Actual("", score=...)``.

    Raises:
        InvalidValueError: the value has none of these shapes.
    """
    if isinstance(value, Actual):
        return value
    if isinstance(value, Mapping):
        keys = set(value)
        reason = value.get("reason", "")
        if not isinstance(reason, str):
            raise InvalidValueError(f"'reason' must be text (got {reason!r})", field="reason", value=reason)
        if "band" in keys:
            extra = keys - {"band", "score", "reason"}
            if extra or "score" not in keys:
                msg = "a band with a score is written {band = ..., score = ...} (and an optional reason)"
                raise InvalidValueError(msg, value=dict(value))
            band = value["band"]
            if not isinstance(band, (str, Achievement)):
                _to_band(str(band))
            return Actual(ExplicitScore(band, _score_number(value["score"])), reason=reason)
        extra = keys - {"value", "reason", "score"}
        if not extra and "value" not in keys and "score" in keys:  # a score printed without an actual (blank row)
            return Actual("", reason=reason, score=_score_number(value["score"]))
        if extra or "value" not in keys:
            names = ", ".join(sorted(str(k) for k in extra)) or "value"
            msg = f"an actual table has value, and optional reason and score (unexpected or missing: {names})"
            raise InvalidValueError(msg, value=dict(value))
        score = value.get("score")
        return Actual(
            value["value"],
            reason=reason,
            score=None if score is None else _score_number(score),
        )
    return Actual(value)  # type: ignore[arg-type]


def _score_number(value: object) -> Decimal:
    if isinstance(value, (bool, float)) or not isinstance(value, (int, Decimal, str)):
        msg = f"'score' must be a number of points such as 8.5 (got {shown(value)})"
        raise InvalidValueError(msg, field="score", value=value)
    return to_decimal(value, field="score")


def _frozen_actuals(value: Mapping[str, object]) -> Mapping[str, Actual]:
    if not isinstance(value, Mapping):
        msg = f"'actuals' must be a mapping from indicator to actual value (got {type(value).__name__})"
        raise InvalidValueError(msg, field="actuals", value=value)
    return MappingProxyType({str(k): to_actual(v) for k, v in value.items()})


def _amount(value: object) -> Decimal | str | None:
    """Keep amount text (read at evaluation time, with its unit) and convert numbers."""
    if value is None or isinstance(value, str):
        return value
    return to_decimal(value, field="amount")


@attrs.frozen(kw_only=True)
class TableActuals:
    """The actuals for one target table: a project (by code or name) or the department.

    ``spent`` is the full-year amount executed (全年执行数) and ``budget`` the full-year
    budget (全年预算数) when it differs from the table's; both in 万元, or text with a
    money unit (``"92000元"``). ``outcome`` is what the year's overall goal actually
    achieved, as the unit states it: the 年度总体目标 row's 实际完成情况 of the 10号
    self-evaluation table (``"完成年度目标。"``); the evaluation carries it to the table.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``outcome``.
    """

    project: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    spent: Decimal | str | None = attrs.field(default=None, converter=_amount)
    budget: Decimal | str | None = attrs.field(default=None, converter=_amount)
    actuals: Mapping[str, Actual] = attrs.field(factory=dict, converter=_frozen_actuals, hash=False)
    outcome: str = attrs.field(default="", validator=TypeCheck(str))


@attrs.frozen(kw_only=True)
class ActualsDocument:
    """An actuals file: one :class:`TableActuals` per project, and one for the department.

    .. versionadded:: 0.1.0
    """

    projects: tuple[TableActuals, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=attrs.validators.deep_iterable(attrs.validators.instance_of(TableActuals)),
    )
    department: TableActuals | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(TableActuals))
    )
    notes: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def for_project(self, code: str | ProjectTargets, name: str = "") -> TableActuals | None:
        """The actuals given for the project with this code (or, failing that, this name); ``None`` if none.

        ``code`` may be the project's table itself (its code and name are used).

        Raises:
            WrongTypeError: ``code`` is neither text nor a :class:`~perftarget.ProjectTargets`.
        """
        if isinstance(code, ProjectTargets):
            project = code
            code, name = project.code, name or project.name
        elif not isinstance(code, str):
            msg = (
                f"for_project() takes a project's code (text) or its ProjectTargets "
                f"(got {type(code).__name__} {shown(code)})"
            )
            raise WrongTypeError(msg, field="code", value=code)
        for entry in self.projects:
            if entry.project == code:
                return entry
        if name:
            for entry in self.projects:
                if entry.project == name:
                    return entry
        return None


# --- matching actuals to a table's indicators ---------------------------------------------------

_MONEY_UNIT: Final = "万元"
_NOT_APPLICABLE: Final = ThresholdKind.NOT_APPLICABLE
MISSING: Final = object()
"""The value of an indicator that has no actual."""

Entry = tuple[str, Indicator]
"""An indicator with its path in its table (``goals[0].indicators[3]``)."""


# The amounts read, by their text: equal texts give equal amounts, down to the exponent.
_AMOUNTS: Final[dict[tuple[type, str], Decimal]] = {}
_AMOUNTS_MAX: Final = 1 << 12


def read_amount(value: object, field: str, problems: list[Problem]) -> Decimal | None:
    """An amount in 万元 (:func:`~perftarget._values.schedule.to_wan`), not negative; ``None`` on a problem.

    Text and decimals are read once per distinct text (an amount read is remembered).
    """
    if value is None:
        return None
    key: tuple[type, str] | None = None
    if type(value) is str:
        key = (str, value)
    elif type(value) is Decimal:
        key = (Decimal, str(value))
    amount = _AMOUNTS.get(key) if key is not None else None
    if amount is None:
        try:
            amount = to_wan(value, what=field)
        except PerftargetError as exc:
            problems.append(Problem(field, f'expected an amount such as 9.2 or "92000元": {exc}'))
            return None
        if key is not None:
            if len(_AMOUNTS) >= _AMOUNTS_MAX:
                _AMOUNTS.clear()
            _AMOUNTS[key] = amount
    if amount < _ZERO:
        problems.append(Problem(field, f"must not be negative (got {format_number(amount)})"))
        return None
    return amount


class Matched:
    """The actuals matched to a table's indicators, by position: value, reason, hand score, error."""

    __slots__ = ("errors", "manual", "reasons", "values")

    def __init__(self, count: int) -> None:
        self.values: list[object] = [MISSING] * count
        self.reasons: list[str] = [""] * count
        self.manual: list[Decimal | None] = [None] * count
        self.errors: dict[int, str] = {}

    def store(self, index: int, raw: object) -> None:
        """Keep ``raw`` as the actual of indicator ``index`` (plain values without a copy)."""
        kind = type(raw)
        if kind is str or kind is Decimal or kind is int:
            self.values[index] = raw
        elif isinstance(raw, (Actual, Mapping)):
            try:
                actual = raw if isinstance(raw, Actual) else to_actual(raw)
            except InvalidValueError as exc:
                self.errors[index] = str(exc)
                return
            self.values[index] = actual.value
            self.reasons[index] = actual.reason
            self.manual[index] = actual.score
        elif isinstance(raw, _VALUE_TYPES) and not isinstance(raw, bool):
            self.values[index] = raw
        else:
            self.errors[index] = f"cannot read the actual {raw!r} ({type(raw).__name__})"


def _resolve(entries: Sequence[Entry], rows: list[int]) -> int | str | None:
    """The row a name or key of ``rows`` names: the only one, the one applicable, ``None`` if all are 无, or why not."""
    if len(rows) == 1:
        return rows[0]
    live = [i for i in rows if entries[i][1].target.kind is not _NOT_APPLICABLE]
    if not live:
        return None
    if len(live) > 1:
        paths = ", ".join(entries[i][0] for i in live)
        return f"ambiguous: {paths} share this name; give the path or a key"
    return live[0]


def _names(entries: Sequence[Entry], indicators: Sequence[Indicator]) -> dict[str, int | str | None]:
    """Each name and key to its row (a key before a name), to ``None`` (only 无 rows) or to why it names none."""
    names = list(map(_NAME, indicators))
    found: dict[str, int | str | None] = dict(zip(names, range(len(names)), strict=True))
    if len(found) != len(names):  # shared names (无 rows are often all called 无)
        seen: set[str] = set()
        shared = {name for name in names if name in seen or seen.add(name)}  # type: ignore[func-returns-value]
        for name in shared:
            found[name] = _resolve(entries, [index for index, other in enumerate(names) if other == name])
    if any(map(_KEY, indicators)):
        by_key: dict[str, list[int]] = {}
        for index, indicator in enumerate(indicators):
            if indicator.key:
                by_key.setdefault(indicator.key, []).append(index)
        found.update((key, _resolve(entries, rows)) for key, rows in by_key.items())
    return found


_UNKNOWN: Final = "no indicator has this name, key or path"
_PATH: Final = itemgetter(0)
_INDICATOR: Final = itemgetter(1)
_NAME: Final = attrgetter("name")
_KEY: Final = attrgetter("key")



def _by_names(entries: Sequence[Entry], actuals: Mapping[str, ActualInput]) -> Matched | None:
    """:func:`match_actuals` in the common case, one lookup per row; ``None`` when the case is not that one.

    The case: no indicator has a key, every actual is given by the name of one applicable
    row (so no name is shared by two such rows) and none by a path. The rest is matched
    actual by actual.
    """
    matched = Matched(len(entries))
    values, reasons, manual = matched.values, matched.reasons, matched.manual
    na = _NOT_APPLICABLE
    taken: set[str] = set()
    for index, (path, indicator) in enumerate(entries):
        if indicator.key or path in actuals:
            return None
        if indicator.target.kind is na:
            continue
        name = indicator.name
        if name not in actuals:  # `in` and a subscript: a mappingproxy's get is a method call on its dict
            continue
        if name in taken:
            return None
        taken.add(name)
        raw = actuals[name]
        if type(raw) is Actual:
            values[index] = raw.value
            reasons[index] = raw.reason
            manual[index] = raw.score
        else:
            matched.store(index, raw)
    return matched if len(taken) == len(actuals) else None


def match_actuals(entries: Sequence[Entry], actuals: Mapping[str, ActualInput], problems: list[Problem]) -> Matched:
    """Each indicator's actual, found by path, key or name (in that order); problems for the rest.

    An actual given for a 无 row by key or name is ignored; an unknown or ambiguous name,
    or a second actual for the same indicator, is a problem at ``actuals['name']``. A name
    or key is one lookup: the shared ones (无 rows are often all called 无) are resolved first.
    """
    if not actuals:
        return Matched(len(entries))
    matched = _by_names(entries, actuals)
    if matched is not None:
        return matched
    count = len(entries)
    matched = Matched(count)
    indicators = list(map(_INDICATOR, entries))
    by_path = dict(zip(map(_PATH, entries), range(count), strict=True))
    by_name = _names(entries, indicators)
    values, reasons, manual = matched.values, matched.reasons, matched.manual
    given_as: dict[int, str] = {}
    for key, raw in actuals.items():
        found: int | str | None = by_path.get(key)
        if found is None:
            found = by_name.get(key, _UNKNOWN)
            if found is None or (type(found) is int and indicators[found].target.kind is _NOT_APPLICABLE):
                continue
        if isinstance(found, str):
            problems.append(Problem(f"actuals[{key!r}]", found))
        elif found in given_as:
            message = f"{entries[found][0]} already has an actual (given as {given_as[found]!r})"
            problems.append(Problem(f"actuals[{key!r}]", message))
        else:
            given_as[found] = key
            if type(raw) is Actual:
                values[found] = raw.value
                reasons[found] = raw.reason
                manual[found] = raw.score
            else:
                matched.store(found, raw)
    return matched
