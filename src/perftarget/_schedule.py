"""资金支出计划: the spending plan, cumulative percent by checkpoint date."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from perftarget._numbers import HUNDRED, format_number, to_decimal, to_tuple
from perftarget.exceptions import InvalidValueError

__all__ = ["Checkpoint", "SpendingSchedule", "checkpoint_date"]

_ZERO: Final = Decimal(0)
_MONTH_END: Final = re.compile(r"^\s*(\d{1,2})\s*月\s*(底|末|末前|底前)?\s*$")


def checkpoint_date(label: str, fiscal_year: int, start_month: int = 1) -> dt.date:
    """The date a checkpoint label names in a fiscal year: ``"3月底"`` -> 31 March.

    Reads ``N月底`` / ``N月末`` / ``N月`` (the month's last day) and ISO dates
    (``2024-03-31``). Months before ``start_month`` belong to the next calendar year.

    Raises:
        InvalidValueError: the label names no date.
    """
    match = _MONTH_END.match(label)
    if match:
        month = int(match.group(1))
        if not 1 <= month <= 12:  # noqa: PLR2004
            raise InvalidValueError(f"no month {month} in checkpoint {label!r}", field="label", value=label)
        year = fiscal_year if month >= start_month else fiscal_year + 1
        return dt.date(year, month, 1) + relativedelta(months=1, days=-1)
    try:
        return dt.date.fromisoformat(label.strip())
    except ValueError:
        msg = f"cannot read checkpoint {label!r}: expected a month end such as 3月底 or a date such as 2024-03-31"
        raise InvalidValueError(msg, field="label", value=label) from None


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
        return self.label if self.label else self.date.isoformat()


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
    checkpoints: tuple[Checkpoint, ...] = attrs.field(converter=to_tuple)
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
                msg = f"checkpoints[{index}] must be a Checkpoint (got {type(checkpoint).__name__})"
                raise InvalidValueError(msg, field="checkpoints", value=checkpoint)
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
        return self.start + relativedelta(years=1, days=-1)

    @classmethod
    def from_labels(
        cls,
        fiscal_year: int,
        plan: dict[str, object],
        *,
        multi_year: bool = False,
        start_month: int = 1,
    ) -> SpendingSchedule:
        """Build a plan from printed headings: ``{"3月底": 25, "6月底": 50, ...}``."""
        checkpoints = tuple(
            Checkpoint(date=checkpoint_date(label, fiscal_year, start_month), percent=percent, label=label)
            for label, percent in plan.items()
        )
        return cls(fiscal_year=fiscal_year, checkpoints=checkpoints, multi_year=multi_year, start_month=start_month)
