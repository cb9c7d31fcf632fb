"""序时进度 and the monitoring bands: the one home of each, for every path that monitors.

- :func:`time_progress` (and :func:`elapsed`, the same rule as an exact fraction): the
  share of the fiscal year elapsed on a date, by months (the default, the national
  "month/12") or by days. Review rule PT405, :func:`perftarget.monitor`,
  :func:`perftarget.monitor_series`, the monitoring sheet (which shows the report) and the
  column kernel :func:`perftarget.columnar.monitor` all ask it.
- :class:`Status` and :func:`status_band`: 红/黄/绿 from the ratio of execution to time
  progress, with the cut-offs :data:`RED_BELOW` and :data:`YELLOW_BELOW`.
- :class:`Likelihood` and :func:`likelihood_band`: 完成目标可能性 from forecast / target, with
  the cut-offs :data:`CERTAIN_AT` and :data:`POSSIBLE_AT`.

Sources and tags are in ``docs/concepts/monitoring.md``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from functools import lru_cache
from typing import Final, Literal

from perftarget.exceptions import MonitoringError

__all__ = [
    "CERTAIN_AT",
    "DEFAULT_TIME_BASIS",
    "POSSIBLE_AT",
    "RED_BELOW",
    "TIME_BASES",
    "YELLOW_BELOW",
    "Likelihood",
    "Status",
    "TimeBasis",
    "elapsed",
    "likelihood_band",
    "status_band",
    "time_progress",
]

# --- 序时进度 ------------------------------------------------------------------------------------

TimeBasis = Literal["months", "days"]
"""How time progress (序时进度) is counted: by whole months elapsed, or by days."""

TIME_BASES: Final[tuple[TimeBasis, ...]] = ("months", "days")
"""Every variant of :func:`time_progress`, the default first."""

DEFAULT_TIME_BASIS: Final[TimeBasis] = "months"
"""The national rule: 序时进度 = months elapsed / 12 (25/50/83.33/100 % at 3月底 6月底 10月底 12月底)."""

_HUNDRED: Final = Decimal(100)
_ONE_DAY: Final = dt.timedelta(days=1)
_MONTHS: Final = 12


@lru_cache(maxsize=4096)  # a batch asks the same few dates again and again
def elapsed(day: dt.date, year_start: dt.date, *, by: TimeBasis = DEFAULT_TIME_BASIS) -> tuple[int, int]:
    """序时进度 on ``day`` as an exact fraction ``(elapsed, length)``: the rule itself.

    ``year_start`` is the first day of the fiscal year, the first of a month; the year
    lasts twelve months.

    - ``by="months"`` (the default): ``(m, 12)``, m the whole months of the fiscal year
      elapsed, a month counting once its last day is reached (31 July: 7/12, 15 July: 6/12).
    - ``by="days"``: ``(d, D)``, d the days since the first day of the year and D the days
      from the first day to the last (0 on the first day, D/D on the last).

    Raises:
        MonitoringError: ``day`` is outside the fiscal year, or ``by`` is unknown.

    >>> elapsed(dt.date(2022, 6, 15), dt.date(2022, 1, 1))
    (5, 12)
    >>> elapsed(dt.date(2022, 6, 15), dt.date(2022, 1, 1), by="days")
    (165, 364)
    """
    end = year_start.replace(year=year_start.year + 1) - _ONE_DAY
    if not year_start <= day <= end:
        msg = f"as_of {day.isoformat()} is outside the fiscal year {year_start.isoformat()} to {end.isoformat()}"
        raise MonitoringError(msg)
    if by == "months":
        months = (day.year - year_start.year) * _MONTHS + day.month - year_start.month
        if (day + _ONE_DAY).day == 1:
            months += 1
        return months, _MONTHS
    if by == "days":
        return (day - year_start).days, (end - year_start).days
    msg = f"unknown time basis {by!r}: expected one of {', '.join(map(repr, TIME_BASES))}"
    raise MonitoringError(msg)


@lru_cache(maxsize=4096)
def time_progress(day: dt.date, year_start: dt.date, *, by: TimeBasis = DEFAULT_TIME_BASIS) -> Decimal:
    """序时进度: the share of the fiscal year elapsed on ``day``, in percent (0-100).

    The fraction :func:`elapsed` gives, × 100, as a ``Decimal`` (28 significant digits
    where the division does not end).

    >>> time_progress(dt.date(2022, 10, 31), dt.date(2022, 1, 1))
    Decimal('83.33333333333333333333333333')
    >>> time_progress(dt.date(2022, 6, 30), dt.date(2022, 1, 1))
    Decimal('50')
    >>> time_progress(dt.date(2022, 6, 30), dt.date(2022, 1, 1), by="days")
    Decimal('49.45054945054945054945054945')
    """
    part, whole = elapsed(day, year_start, by=by)
    return Decimal(part * 100) / Decimal(whole)


# --- the budget-progress band (红/黄/绿) ------------------------------------------------------------


class Status(enum.Enum):
    """The colour of budget progress (红灯/黄灯/绿灯), from the ratio of execution to time progress.

    .. versionadded:: 0.1.0
    """

    GREEN = "绿"
    YELLOW = "黄"
    RED = "红"

    @property
    def english(self) -> str:
        """``green``, ``yellow`` or ``red``."""
        return self.name.lower()

    @property
    def severity(self) -> int:
        """0 for green, 1 for yellow, 2 for red: higher is worse."""
        return _SEVERITY[self]


_SEVERITY: Final = {Status.GREEN: 0, Status.YELLOW: 1, Status.RED: 2}

RED_BELOW: Final = Decimal(60)
"""Red when r = execution / time progress × 100 is below this (one deployed system)."""

YELLOW_BELOW: Final = Decimal(80)
"""Yellow when r is below this and not red; green from here up (one deployed system)."""


def status_band(
    ratio: Decimal | None, *, red_below: Decimal = RED_BELOW, yellow_below: Decimal = YELLOW_BELOW
) -> Status:
    """The status for ratio r (percent): red below ``red_below``, yellow below ``yellow_below``.

    No ratio (no time elapsed yet) is green.

    >>> status_band(Decimal(60)), status_band(Decimal("59.99")), status_band(None)
    (<Status.YELLOW: '黄'>, <Status.RED: '红'>, <Status.GREEN: '绿'>)
    """
    if ratio is None or ratio >= yellow_below:
        return Status.GREEN
    if ratio < red_below:
        return Status.RED
    return Status.YELLOW


# --- the indicator band (完成目标可能性) ------------------------------------------------------------


class Likelihood(enum.Enum):
    """完成目标可能性: whether an indicator's target will be met by the end of the year.

    .. versionadded:: 0.1.0
    """

    CERTAIN = "确定能"
    POSSIBLE = "有可能"
    IMPOSSIBLE = "完全不可能"

    @property
    def english(self) -> str:
        """``certain``, ``possible`` or ``impossible``."""
        return self.name.lower()

    @property
    def status(self) -> Status:
        """The colour shown for it: 确定能 green, 有可能 yellow, 完全不可能 red."""
        return _LIKELIHOOD_STATUS[self]


_LIKELIHOOD_STATUS: Final = {
    Likelihood.CERTAIN: Status.GREEN,
    Likelihood.POSSIBLE: Status.YELLOW,
    Likelihood.IMPOSSIBLE: Status.RED,
}

CERTAIN_AT: Final = Decimal(1)
"""确定能 when the forecast reaches this share of the target (1 = on target)."""

POSSIBLE_AT: Final = Decimal("0.8")
"""有可能 when the forecast reaches this share of the target; 完全不可能 below."""


def likelihood_band(
    ratio: Decimal, *, certain_at: Decimal = CERTAIN_AT, possible_at: Decimal = POSSIBLE_AT
) -> Likelihood:
    """The likelihood for forecast / target ``ratio`` (1 = on target).

    >>> likelihood_band(Decimal(1)), likelihood_band(Decimal("0.8")), likelihood_band(Decimal("0.79"))
    (<Likelihood.CERTAIN: '确定能'>, <Likelihood.POSSIBLE: '有可能'>, <Likelihood.IMPOSSIBLE: '完全不可能'>)
    """
    if ratio >= certain_at:
        return Likelihood.CERTAIN
    if ratio >= possible_at:
        return Likelihood.POSSIBLE
    return Likelihood.IMPOSSIBLE
