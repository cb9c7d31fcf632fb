"""资金支出计划: the spending plan, cumulative percent by checkpoint date.

Besides the model (:class:`Checkpoint`, :class:`SpendingSchedule`) this module reads
checkpoint headings (:func:`checkpoint_date`) and answers the plan's questions on any
date of the fiscal year: the planned share and the planned amounts. Dates are points on a
line that runs from the first day of the fiscal year (0 %) to its last day (100 %); a
checkpoint's percent holds on its own date. The time progress (序时进度) is not the plan's:
its one home is :func:`perftarget._rulebook.progress.time_progress`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from decimal import Decimal
from typing import Final, Literal

import attrs
from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from perftarget._limits import check_number
from perftarget._values.numbers import HUNDRED, format_number, to_decimal, to_tuple
from perftarget._values.threshold import parse_quantity
from perftarget._values.units import Quantity, convert, dimension_of
from perftarget.exceptions import (
    InvalidValueError,
    MonitoringError,
    ThresholdSyntaxError,
    UnitMismatchError,
    WrongTypeError,
    shown,
)

__all__ = ["Checkpoint", "Interpolation", "SpendingSchedule", "checkpoint_date"]

Interpolation = Literal["linear", "step"]
"""How the planned share runs between checkpoints: a straight line by days, or steps."""

_ZERO: Final = Decimal(0)

# --- reading checkpoint labels -------------------------------------------------------------

_CHINESE_NUMBERS: Final = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    "十一": 11, "十二": 12,
}
_END: Final = r"(?:底|末|末前|底前|前|终)?"
_NUMBER: Final = r"(\d{1,2}|十[一二]?|[一二两三四五六七八九])"
# 3月底, 6月末, 10月, 1-6月, 三月底, 6月份
_MONTH_END: Final = re.compile(rf"^(?:1\s*[-—~至到]\s*)?{_NUMBER}\s*月份?\s*{_END}$")
# 第一季度末, 一季度, 1季度, 三季末
_QUARTER: Final = re.compile(rf"^第?\s*([1-4一二三四])\s*季度?\s*{_END}$")
_Q_OR_H: Final = re.compile(r"^([QH])\s*([1-4])$", re.IGNORECASE)
# 3月31日, 2024年3月31日
_CHINESE_DATE: Final = re.compile(r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]$")
# named spans, as the fiscal month they end in
_NAMED: Final = {
    "上半年": 6, "上半年末": 6, "上半年底": 6, "半年": 6, "年中": 6, "下半年": 12, "前三季度": 9, "前三季度末": 9,
    "全年": 12, "年底": 12, "年末": 12, "年终": 12, "全年末": 12,
}
_LABEL_EXPECTED: Final = (
    "expected a month end (3月底, 6月末), a quarter or half (第一季度末, 一季度, Q1, 上半年, H1, 前三季度, 全年) "
    "or a date (2024-03-31, 3/31, 3月31日)"
)
# two defaults that differ in every part: what dateutil fills in from them was not in the label
_DEFAULT_A: Final = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - a calendar date, no time zone involved
_DEFAULT_B: Final = dt.datetime(2004, 2, 2)  # noqa: DTZ001


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CHINESE_NUMBERS[text]


def _label_error(label: str, reason: str = "") -> InvalidValueError:
    why = f" ({reason})" if reason else ""
    msg = f"cannot read checkpoint {label!r}{why}: {_LABEL_EXPECTED}"
    return InvalidValueError(msg, field="label", value=label)


def _fiscal_month_end(label: str, months: int, fiscal_year: int, start_month: int) -> dt.date:
    if not 1 <= months <= 12:  # noqa: PLR2004
        raise _label_error(label, f"no month {months}")
    return dt.date(fiscal_year, start_month, 1) + relativedelta(months=months, days=-1)


def _calendar_month_end(label: str, month: int, fiscal_year: int, start_month: int) -> dt.date:
    if not 1 <= month <= 12:  # noqa: PLR2004
        raise _label_error(label, f"no month {month}")
    year = fiscal_year if month >= start_month else fiscal_year + 1
    return dt.date(year, month, 1) + relativedelta(months=1, days=-1)


def _day_in_year(label: str, year: int | None, month: int, day: int, *, fiscal_year: int, start_month: int) -> dt.date:
    if year is None:
        year = fiscal_year if month >= start_month else fiscal_year + 1
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise _label_error(label, str(exc)) from None


def checkpoint_date(label: str, fiscal_year: int, start_month: int = 1) -> dt.date:
    """The date a checkpoint label names in a fiscal year: ``"3月底"`` -> 31 March.

    The fiscal year ``fiscal_year`` starts on the first day of ``start_month`` (January by
    default; April and October are used elsewhere) and lasts twelve months. Labels read:

    - month ends, by calendar month: ``3月底``, ``6月末``, ``10月``, ``三月底``, ``1-6月``;
      with a fiscal year starting in April, ``3月底`` is 31 March of the *next* calendar year;
    - quarters and halves, by fiscal month: ``第一季度末``, ``一季度``, ``Q1``..``Q4``, ``上半年``,
      ``H1``, ``H2``, ``前三季度``, ``全年``, ``年底``;
    - dates, read with python-dateutil: ``2024-03-31``, ``2024/3/31``, ``3/31``, and
      ``3月31日``; a date without a year falls in the fiscal year.

    Full-width characters (``Ｑ１``, ``３月底``) are read like their ASCII forms.

    Args:
        label: the column heading as printed.
        fiscal_year: the calendar year the fiscal year starts in.
        start_month: the fiscal year's first month, 1-12.

    Raises:
        InvalidValueError: the label names no date; the message says what was expected.

    >>> checkpoint_date("第一季度末", 2022)
    datetime.date(2022, 3, 31)
    >>> checkpoint_date("3月底", 2022, start_month=4)
    datetime.date(2023, 3, 31)

    .. versionadded:: 0.1.0
    """
    if not isinstance(label, str):
        msg = f"a checkpoint label must be text such as 3月底 (got {type(label).__name__} {label!r})"
        raise InvalidValueError(msg, field="label", value=label)
    text = unicodedata.normalize("NFKC", label).strip()
    if not text:
        raise _label_error(label, "empty")
    named = _NAMED.get(text)
    if named is not None:
        return _fiscal_month_end(label, named, fiscal_year, start_month)
    match = _MONTH_END.match(text)
    if match:
        return _calendar_month_end(label, _number(match.group(1)), fiscal_year, start_month)
    match = _QUARTER.match(text)
    if match:
        return _fiscal_month_end(label, 3 * _number(match.group(1)), fiscal_year, start_month)
    match = _Q_OR_H.match(text)
    if match:
        quarter = match.group(1).upper() == "Q"
        number = int(match.group(2))
        if not quarter and number > 2:  # noqa: PLR2004
            raise _label_error(label, "a year has halves H1 and H2 only")
        return _fiscal_month_end(label, number * (3 if quarter else 6), fiscal_year, start_month)
    match = _CHINESE_DATE.match(text)
    if match:
        year = int(match.group(1)) if match.group(1) else None
        month, day = int(match.group(2)), int(match.group(3))
        return _day_in_year(label, year, month, day, fiscal_year=fiscal_year, start_month=start_month)
    return _parse_with_dateutil(label, text, fiscal_year, start_month)


def _parse_with_dateutil(label: str, text: str, fiscal_year: int, start_month: int) -> dt.date:
    try:
        first = date_parser.parse(text, default=_DEFAULT_A)
        second = date_parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        raise _label_error(label) from None
    if (first.month, first.day) != (second.month, second.day):
        raise _label_error(label, "no month and day")
    if first.time() != dt.time() or second.time() != dt.time():
        raise _label_error(label, "a time of day is not a checkpoint")
    year = first.year if first.year == second.year else None
    return _day_in_year(label, year, first.month, first.day, fiscal_year=fiscal_year, start_month=start_month)


# --- amounts --------------------------------------------------------------------------------


def to_wan(value: object, *, what: str = "amount") -> Decimal:
    """An amount in 万元, exactly: numbers are 万元; text and quantities may carry a money unit.

    ``"40000元"``, ``Quantity(40000, "元")``, ``"4万元"``, ``"4.0"`` and ``Decimal("4.0")``
    are all 4 万元 (up to the exponent of the ``Decimal``).

    Raises:
        MonitoringError: the value is not a number, or its unit is not money.
    """
    if type(value) is Decimal:
        if not value.is_finite():
            raise MonitoringError(f"{what} must be a finite number (got {shown(value)})")
        check_number(value, where=what)
        return value
    if isinstance(value, Quantity):
        quantity = value
    elif isinstance(value, str):
        try:
            quantity = parse_quantity(value)
        except ThresholdSyntaxError as exc:
            msg = (
                f"{what} {shown(value)} is not an amount such as 4.0, '4万元' or '40000元' "
                f"({exc.expected} at column {exc.column})"
            )
            raise MonitoringError(msg) from None
    else:
        try:
            return to_decimal(value, field=what)
        except InvalidValueError as exc:
            raise MonitoringError(f"{exc} (an amount in 万元)") from None
    if not quantity.unit:
        return quantity.value
    if dimension_of(quantity.unit)[0] != "money":
        msg = f"{what} {str(quantity)!r} is not money: expected an amount in 元, 万元 or 亿元"
        raise MonitoringError(msg)
    try:
        return convert(quantity.value, quantity.unit, "万元")
    except UnitMismatchError as exc:  # pragma: no cover - guarded by the dimension check
        raise MonitoringError(str(exc)) from None


# --- the model ------------------------------------------------------------------------------


def _percent(value: object) -> Decimal:
    return to_decimal(value, field="percent")


@attrs.frozen(kw_only=True)
class Checkpoint:
    """One column of the plan: by ``date``, ``percent`` of the budget spent (cumulative).

    ``label`` keeps the column heading as printed (``3月底``).

    .. versionadded:: 0.1.0
    """

    date: dt.date = attrs.field(validator=attrs.validators.instance_of(dt.date))
    percent: Decimal = attrs.field(converter=_percent)
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        if not _ZERO <= self.percent <= HUNDRED:
            msg = f"'percent' must be between 0 and 100 (got {format_number(self.percent)})"
            raise InvalidValueError(msg, field="percent", value=self.percent)

    @property
    def display_label(self) -> str:
        """The printed heading, or the date in ISO form."""
        return self.label or self.date.isoformat()


def _to_checkpoints(value: object) -> tuple[object, ...]:
    """The checkpoints as a tuple; a mapping of headings is pointed to :meth:`SpendingSchedule.from_labels`."""
    if isinstance(value, Mapping):
        msg = (
            f"SpendingSchedule.checkpoints must be a sequence of Checkpoint (got {type(value).__name__}); "
            f"to build a plan from headings such as {{'3月底': 25, '6月底': 50}}, use "
            "SpendingSchedule.from_labels(fiscal_year, plan)"
        )
        raise WrongTypeError(msg, field="checkpoints", value=value)
    try:
        return to_tuple(value)
    except InvalidValueError as exc:
        msg = f"SpendingSchedule.checkpoints must be a sequence of Checkpoint (got {type(value).__name__})"
        raise WrongTypeError(msg, field="checkpoints", value=value) from exc


@attrs.frozen(kw_only=True)
class SpendingSchedule:
    """资金支出计划: cumulative percent of the budget to be spent by each checkpoint.

    Checkpoints lie in the fiscal year, in date order, with percents between 0 and 100
    that never decrease; the last is 100 unless ``multi_year`` is true (a project whose
    money runs over several years).

    The fiscal year ``fiscal_year`` starts on the first day of ``start_month`` of that
    calendar year (January by default) and lasts twelve months.

    .. versionadded:: 0.1.0
    """

    fiscal_year: int = attrs.field(validator=attrs.validators.instance_of(int))
    checkpoints: tuple[Checkpoint, ...] = attrs.field(converter=_to_checkpoints)
    multi_year: bool = False
    start_month: int = 1

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:  # noqa: PLR2004
            msg = f"'start_month' must be 1..12 (got {self.start_month})"
            raise InvalidValueError(msg, field="start_month", value=self.start_month)
        problems: list[str] = []
        start, end = self.start, self.end
        previous: Checkpoint | None = None
        for index, checkpoint in enumerate(self.checkpoints):
            if not isinstance(checkpoint, Checkpoint):
                msg = (
                    f"SpendingSchedule.checkpoints[{index}] must be a Checkpoint (got {type(checkpoint).__name__}); "
                    'for printed headings such as {"3月底": 25} use SpendingSchedule.from_labels'
                )
                raise WrongTypeError(msg, field="checkpoints", value=checkpoint)
            where = f"checkpoints[{index}] ({checkpoint.display_label})"
            if not start <= checkpoint.date <= end:
                problems.append(f"{where} falls outside fiscal year {self.fiscal_year} ({start} to {end})")
            if previous is not None:
                if checkpoint.date <= previous.date:
                    problems.append(f"{where} is not after {previous.display_label}")
                if checkpoint.percent < previous.percent:
                    problems.append(
                        f"{where} plans {format_number(checkpoint.percent)}%, less than "
                        f"{format_number(previous.percent)}% at {previous.display_label}: the plan is cumulative"
                    )
            previous = checkpoint
        if previous is not None and not self.multi_year and previous.percent != HUNDRED:
            problems.append(
                f"the last checkpoint plans {format_number(previous.percent)}%, not 100% "
                "(declare multi_year for a project that spends over several years)"
            )
        if problems:
            raise InvalidValueError("; ".join(problems), field="checkpoints", value=self.checkpoints)

    @property
    def start(self) -> dt.date:
        """First day of the fiscal year."""
        return dt.date(self.fiscal_year, self.start_month, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the fiscal year."""
        return _month_end(self.start, 12)

    @classmethod
    def from_labels(
        cls,
        fiscal_year: int,
        plan: Mapping[str, object],
        *,
        multi_year: bool = False,
        start_month: int = 1,
    ) -> SpendingSchedule:
        """Build a plan from printed headings: ``{"3月底": 25, "6月底": 50, ...}``.

        Headings are read by :func:`checkpoint_date` (``3月底``, ``第一季度末``, ``Q2``,
        ``上半年``, ``2022-10-31``, ``3/31``...), relative to the fiscal year.

        Raises:
            InvalidValueError: a heading names no date, or the plan breaks the rules above.
        """
        checkpoints = tuple(
            Checkpoint(date=checkpoint_date(label, fiscal_year, start_month), percent=percent, label=label)
            for label, percent in plan.items()
        )
        return cls(fiscal_year=fiscal_year, checkpoints=checkpoints, multi_year=multi_year, start_month=start_month)

    @classmethod
    def even(cls, fiscal_year: int, *, start_month: int = 1) -> SpendingSchedule:
        """The plan of a project that has none: 100 % by the end of the year, evenly by days.

        Its planned share on any date is the time progress by days
        (:func:`perftarget._rulebook.progress.time_progress` with ``by="days"``).

        .. versionadded:: 0.1.0
        """
        end = dt.date(fiscal_year, start_month, 1) + relativedelta(years=1, days=-1)
        checkpoint = Checkpoint(date=end, percent=HUNDRED, label="全年")
        return cls(fiscal_year=fiscal_year, checkpoints=(checkpoint,), start_month=start_month)

    # --- questions on a date ---------------------------------------------------------------

    def date_of(self, as_of: dt.date | str) -> dt.date:
        """``as_of`` as a date in this fiscal year; labels such as ``"7月底"`` are read too.

        Raises:
            MonitoringError: the date is outside the fiscal year, or is not a date.

        .. versionadded:: 0.1.0
        """
        return _compiled(self).date_of(as_of)

    def planned_share(self, as_of: dt.date | str, *, policy: Interpolation = "linear") -> Decimal:
        """The cumulative percent of the budget the plan expects spent by ``as_of`` (0-100).

        With ``policy="linear"`` (the default) the share runs in a straight line by days
        from 0 % on the first day of the fiscal year to the first checkpoint, then from
        checkpoint to checkpoint; after the last checkpoint it stays at the last percent.
        With ``policy="step"`` it is the percent of the last checkpoint on or before
        ``as_of`` (0 before the first).

        Raises:
            MonitoringError: ``as_of`` is outside the fiscal year, or ``policy`` is unknown.

        >>> plan = SpendingSchedule.from_labels(2022, {"3月底": 25, "6月底": 50, "10月底": 75, "12月底": 100})
        >>> plan.planned_share(dt.date(2022, 6, 30))
        Decimal('50')
        >>> plan.planned_share(dt.date(2022, 8, 15), policy="step")
        Decimal('50')

        .. versionadded:: 0.1.0
        """
        compiled = _compiled(self)
        return compiled.planned(compiled.offset(as_of), policy)

    def planned_amounts(self, budget_total: object) -> tuple[tuple[Checkpoint, Decimal], ...]:
        """Each checkpoint with its planned cumulative amount, percent × budget, in 万元, exactly.

        ``budget_total`` is a number in 万元, text such as ``"100000元"``, a
        :class:`~perftarget.Quantity` or a :class:`~perftarget.Budget` (its total).

        Raises:
            MonitoringError: the budget is negative or not an amount of money.

        >>> plan = SpendingSchedule.from_labels(2022, {"6月底": 50, "12月底": 100})
        >>> [(c.label, amount) for c, amount in plan.planned_amounts("10.00")]
        [('6月底', Decimal('5.00')), ('12月底', Decimal('10.00'))]

        .. versionadded:: 0.1.0
        """
        total = getattr(budget_total, "total", budget_total)
        amount = to_wan(total, what="budget")
        if amount < _ZERO:
            raise MonitoringError(f"the budget must not be negative (got {format_number(amount)} 万元)")
        return tuple((checkpoint, checkpoint.percent * amount / HUNDRED) for checkpoint in self.checkpoints)


def _month_end(start: dt.date, months: int) -> dt.date:
    """The last day of the ``months``-th month from ``start`` (the first of a month)."""
    index = start.month - 1 + months
    return dt.date(start.year + index // 12, index % 12 + 1, 1) - _ONE_DAY


_ONE_DAY: Final = dt.timedelta(days=1)


# --- precomputed plans ------------------------------------------------------------------------


class _Compiled:
    """A schedule as day offsets and percents, built once per schedule object."""

    __slots__ = (
        "checkpoint_offsets",
        "checkpoints",
        "end",
        "month_ends",
        "percents",
        "schedule",
        "start",
        "start_ordinal",
        "total_days",
        "total_days_decimal",
        "xs",
        "ys",
    )

    def __init__(self, schedule: SpendingSchedule) -> None:
        self.schedule = schedule
        self.start = schedule.start
        self.end = schedule.end
        self.start_ordinal = self.start.toordinal()
        self.total_days = self.end.toordinal() - self.start_ordinal
        self.total_days_decimal = Decimal(self.total_days)
        self.checkpoints = schedule.checkpoints
        self.checkpoint_offsets = tuple(c.date.toordinal() - self.start_ordinal for c in schedule.checkpoints)
        self.percents = tuple(c.percent for c in schedule.checkpoints)
        xs = list(self.checkpoint_offsets)
        ys = list(self.percents)
        if not xs or xs[0] > 0:
            xs.insert(0, 0)
            ys.insert(0, _ZERO)
        self.xs = tuple(xs)
        self.ys = tuple(ys)
        self.month_ends = tuple(_month_end(self.start, k) for k in range(1, 13))

    def date_of(self, as_of: object) -> dt.date:
        if isinstance(as_of, str):
            try:
                day = checkpoint_date(as_of, self.schedule.fiscal_year, self.schedule.start_month)
            except InvalidValueError as exc:
                raise MonitoringError(f"as_of: {exc}") from None
        elif isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
            msg = f"as_of must be a date such as 2022-07-31 (got {type(as_of).__name__} {as_of!r})"
            raise MonitoringError(msg)
        else:
            day = as_of
        if not self.start <= day <= self.end:
            msg = (
                f"as_of {day.isoformat()} is outside fiscal year {self.schedule.fiscal_year} "
                f"({self.start.isoformat()} to {self.end.isoformat()})"
            )
            raise MonitoringError(msg)
        return day

    def offset(self, as_of: object) -> int:
        return self.date_of(as_of).toordinal() - self.start_ordinal

    def planned(self, x: int, policy: str) -> Decimal:
        numerator, span = self.planned_fraction(x, policy)
        return numerator if span == 1 else numerator / span

    def planned_fraction(self, x: int, policy: str) -> tuple[Decimal, int]:
        """The planned share ``x`` days into the year as ``numerator / span`` (days), exactly: the rule itself.

        :meth:`planned` divides it; the column kernel reads it as it is.
        """
        if policy == "linear":
            xs = self.xs
            i = bisect_right(xs, x)
            if i >= len(xs):
                return self.ys[-1], 1
            x0 = xs[i - 1]
            y0 = self.ys[i - 1]
            if x == x0:
                return y0, 1
            span = xs[i] - x0
            return y0 * span + (self.ys[i] - y0) * (x - x0), span
        if policy == "step":
            return self.last_due(x), 1
        msg = f"unknown planned-share policy {policy!r}: expected 'linear' or 'step'"
        raise MonitoringError(msg)

    def passed(self, x: int) -> int:
        """How many checkpoints fall on or before ``x`` days into the year."""
        return bisect_right(self.checkpoint_offsets, x)

    def last_due(self, x: int) -> Decimal:
        """The percent of the last checkpoint on or before ``x`` (0 before the first)."""
        i = self.passed(x)
        return self.percents[i - 1] if i else _ZERO


_CACHE: dict[int, _Compiled] = {}
_CACHE_LIMIT: Final = 4096


def _compiled(schedule: SpendingSchedule) -> _Compiled:
    """The precomputed form of ``schedule``, kept while the schedule object lives in the cache."""
    compiled = _CACHE.get(id(schedule))
    if compiled is not None and compiled.schedule is schedule:
        return compiled
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    compiled = _Compiled(schedule)
    _CACHE[id(schedule)] = compiled
    return compiled
