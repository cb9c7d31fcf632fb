"""绩效运行监控: in-year monitoring of spending and targets against the plan (双监控).

:func:`monitor` answers the monitoring table for one date: how much of the budget is
spent against the spending plan and against time, what status that earns, what must
still be spent, where the year is heading; and, for indicators with values to date,
whether their targets will be met. :func:`monitor_series` does the same for a list of
dates (month ends by default), for a chart.

Every rule here is documented in ``docs/concepts/monitoring.md`` with its source.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Final, Literal

import attrs

from perftarget._codec.convert import _parse_text, format_of, loads
from perftarget._files import read_text_file
from perftarget._model.targets import Indicator, ProjectTargets
from perftarget._rulebook.progress import (
    CERTAIN_AT,
    DEFAULT_TIME_BASIS,
    POSSIBLE_AT,
    RED_BELOW,
    TIME_BASES,
    YELLOW_BELOW,
    Likelihood,
    Status,
    TimeBasis,
    elapsed,
    likelihood_band,
    status_band,
    time_progress,
)
from perftarget._rulebook.scoring import attainment
from perftarget._values.levels import level_label
from perftarget._values.numbers import HUNDRED, format_number, round_half_up, to_decimal, to_tuple
from perftarget._values.schedule import Checkpoint, Interpolation, SpendingSchedule, _Compiled, _compiled, to_wan
from perftarget._values.threshold import Achievement, Threshold
from perftarget._values.units import Quantity, dimension_of
from perftarget.exceptions import (
    DocumentError,
    InvalidActualError,
    InvalidValueError,
    MonitoringError,
    Problem,
    UnitMismatchError,
    shown,
)

__all__ = [
    "MONITORING_COLUMNS",
    "MONITORING_COLUMNS_EN",
    "SERIES_COLUMNS",
    "SERIES_COLUMNS_EN",
    "DeviationCause",
    "IndicatorProgress",
    "Likelihood",
    "MonitoringFinding",
    "MonitoringPolicy",
    "MonitoringReport",
    "Payment",
    "ProgressValue",
    "Status",
    "load_payments",
    "load_progress",
    "monitor",
    "monitor_series",
]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_PLAIN_DIGITS: Final = 27  # below the default context's 28 digits

MONITORING_COLUMNS: Final = (
    "年度预算数",
    "截至当期执行数",
    "执行率",
    "全年预计执行数",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "截至当期完成值",
    "全年预计完成值",
    "完成目标可能性",
    "偏差原因分析",
    "备注",
)
"""The columns of the standard monitoring table (绩效监控表), as :meth:`MonitoringReport.to_rows` fills them.

.. versionadded:: 0.1.0
"""

MONITORING_COLUMNS_EN: Final = (
    "Budget", "Spent to date", "Execution rate", "Forecast spending", "Level 1", "Level 2", "Indicator",
    "Annual target", "Value to date", "Forecast value", "Likelihood", "Deviation cause", "Remarks",
)
""":data:`MONITORING_COLUMNS` in English (``to_rows(lang="en")``), column for column."""

SERIES_COLUMNS: Final = ("日期", "截至当期执行数", "执行率", "计划进度", "序时进度", "执行/序时", "状态")
"""The columns of one line of a monitoring series (month by month), as :meth:`MonitoringReport.series_row` fills them.

.. versionadded:: 0.1.0
"""

SERIES_COLUMNS_EN: Final = ("Date", "Spent to date", "Execution rate", "Plan", "Time progress", "Ratio", "Status")
""":data:`SERIES_COLUMNS` in English (``series_row(lang="en")``)."""

Lang = Literal["zh", "en"]
_INDICATOR_COLUMNS: Final = MONITORING_COLUMNS[4:]


# --- the enums ---------------------------------------------------------------------------------


_BAND_LIKELIHOOD: Final = {
    Achievement.ACHIEVED: Likelihood.CERTAIN,
    Achievement.PARTIAL: Likelihood.POSSIBLE,
    Achievement.NOT_ACHIEVED: Likelihood.IMPOSSIBLE,
}


class DeviationCause(enum.Enum):
    """偏差原因分析: the category of the cause when an indicator falls behind.

    .. versionadded:: 0.1.0
    """

    FUNDING = "经费保障"
    RULES = "制度保障"
    STAFFING = "人员保障"
    FACILITIES = "硬件条件保障"
    OTHER = "其他"

    @property
    def english(self) -> str:
        """``funding``, ``rules``, ``staffing``, ``facilities`` or ``other``."""
        return self.name.lower()

    @classmethod
    def from_text(cls, text: str) -> DeviationCause:
        """The cause named by ``text``: ``经费保障`` or ``经费``, or the English name.

        Raises:
            MonitoringError: no cause has that name.
        """
        key = text.strip()
        for member in cls:
            if key in (member.value, member.value.removesuffix("保障"), member.english, member.name):
                return member
        choices = ", ".join(f"{m.value} ({m.english})" for m in cls)
        raise MonitoringError(f"unknown deviation cause {shown(text)}: expected one of {choices}")


def _to_cause(value: object) -> DeviationCause | None:
    if value is None or isinstance(value, DeviationCause):
        return value
    if isinstance(value, str):
        return DeviationCause.from_text(value)
    raise MonitoringError(f"a deviation cause must be a DeviationCause or its name (got {shown(value)})")


# --- inputs --------------------------------------------------------------------------------------


def _payment_date(_instance: object, _attribute: object, value: dt.date) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        msg = f"a payment date must be a date such as 2022-03-25 (got {type(value).__name__} {shown(value)})"
        raise MonitoringError(msg)


def _payment_amount(value: object) -> Decimal:
    return to_wan(value, what="payment amount")


@attrs.frozen
class Payment:
    """One dated payment (支出) of the project, in 万元.

    ``amount`` takes a number in 万元, text such as ``"5000元"`` or a money
    :class:`~perftarget.Quantity`. A negative amount is a refund (退回); the total to date
    must not be negative.

    .. versionadded:: 0.1.0
    """

    date: dt.date = attrs.field(validator=_payment_date)
    amount: Decimal = attrs.field(converter=_payment_amount)
    note: str = attrs.field(default="", kw_only=True, validator=attrs.validators.instance_of(str))


@attrs.frozen(kw_only=True)
class ProgressValue:
    """What a unit reports for one indicator: the value to date, and optionally more.

    ``value`` is the 截至当期完成值: a number in the target's unit, text with a unit
    (``"96%"``, ``"120次"``), a :class:`~perftarget.Quantity`, or for a qualitative target an
    achievement band (:class:`~perftarget.Achievement` or 达成/部分达成/未达成). ``forecast``
    replaces the computed year-end forecast (全年预计完成值) when the unit gives its own.
    ``cause`` (偏差原因分析) and ``note`` (备注) are carried into the report.

    .. versionadded:: 0.1.0
    """

    value: Decimal | int | str | Quantity | Achievement
    forecast: Decimal | int | str | Quantity | Achievement | None = None
    cause: DeviationCause | None = attrs.field(default=None, converter=_to_cause)
    note: str = attrs.field(default="", validator=attrs.validators.instance_of(str))


# --- the policy ----------------------------------------------------------------------------------


def _decimal(value: object) -> Decimal:
    return to_decimal(value, field="cut-off")


_NAMES: Final = attrs.validators.deep_iterable(attrs.validators.instance_of(str))
_NOT_CUMULATIVE_DIMENSIONS: Final = frozenset({"ratio", "minutes", "days", "months"})
_NOT_CUMULATIVE_UNITS: Final = frozenset({"分", "个百分点", "百分点", "级", "星", "星级"})


def cumulative_by_unit(unit: str) -> bool:
    """Whether an indicator in ``unit`` accumulates over the year, by the default rule.

    Counts (个, 次, 人次, 户...) and amounts of money accumulate; rates and percentages
    (%, ‰, 小时/天), durations (天, 月, 小时), scores (分) and unitless values stand as they are.

    .. versionadded:: 0.1.0
    """
    if not unit or "/" in unit or unit in _NOT_CUMULATIVE_UNITS:
        return False
    return dimension_of(unit)[0] not in _NOT_CUMULATIVE_DIMENSIONS


@attrs.frozen(kw_only=True)
class MonitoringPolicy:
    """The choices behind a monitoring report; every default is documented with its source.

    Attributes:
        interpolation: planned share between checkpoints, ``"linear"`` by days or ``"step"``.
        time_basis: time progress (序时进度) by whole ``"months"`` (the default, the national
            month/12) or by ``"days"``; see :func:`~perftarget._rulebook.progress.time_progress`.
        red_below: status is red when the ratio r = execution / time progress × 100 is below this.
        yellow_below: status is yellow when r is below this (and not red); green otherwise.
        certain_at: 确定能 when the forecast reaches this share of the target (1 = 100 %).
        possible_at: 有可能 when it reaches this share; 完全不可能 below.
        projection: which projection fills 全年预计执行数, ``"plan"`` (following the plan's
            shape) or ``"linear"`` (straight-line in time).
        cumulative: indicators (by path, name or key) whose values accumulate over the year,
            whatever their unit.
        not_cumulative: indicators whose values stand as they are, whatever their unit.

    .. versionadded:: 0.1.0
    """

    interpolation: Interpolation = attrs.field(default="linear", validator=attrs.validators.in_(("linear", "step")))
    time_basis: TimeBasis = attrs.field(default=DEFAULT_TIME_BASIS, validator=attrs.validators.in_(TIME_BASES))
    red_below: Decimal = attrs.field(default=RED_BELOW, converter=_decimal)
    yellow_below: Decimal = attrs.field(default=YELLOW_BELOW, converter=_decimal)
    certain_at: Decimal = attrs.field(default=CERTAIN_AT, converter=_decimal)
    possible_at: Decimal = attrs.field(default=POSSIBLE_AT, converter=_decimal)
    projection: Literal["plan", "linear"] = attrs.field(
        default="plan", validator=attrs.validators.in_(("plan", "linear"))
    )
    cumulative: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_NAMES)
    not_cumulative: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=_NAMES)

    def __attrs_post_init__(self) -> None:
        if not _ZERO <= self.red_below <= self.yellow_below:
            msg = (
                f"status thresholds must satisfy 0 <= red_below <= yellow_below "
                f"(got {format_number(self.red_below)} and {format_number(self.yellow_below)})"
            )
            raise InvalidValueError(msg, field="red_below", value=self.red_below)
        if not _ZERO <= self.possible_at <= self.certain_at <= _ONE:
            msg = (
                f"likelihood cut-offs must satisfy 0 <= possible_at <= certain_at <= 1 "
                f"(got {format_number(self.possible_at)} and {format_number(self.certain_at)})"
            )
            raise InvalidValueError(msg, field="certain_at", value=self.certain_at)
        both = set(self.cumulative) & set(self.not_cumulative)
        if both:
            msg = f"indicators both cumulative and not: {', '.join(sorted(both))}"
            raise InvalidValueError(msg, field="cumulative", value=tuple(sorted(both)))

    def status_for(self, ratio: Decimal | None) -> Status:
        """The status for ratio r (percent) by :func:`~perftarget._rulebook.progress.status_band`."""
        return status_band(ratio, red_below=self.red_below, yellow_below=self.yellow_below)

    def likelihood_for(self, ratio: Decimal) -> Likelihood:
        """The likelihood for forecast / target ``ratio`` by :func:`~perftarget._rulebook.progress.likelihood_band`."""
        return likelihood_band(ratio, certain_at=self.certain_at, possible_at=self.possible_at)

    def time_progress(self, day: dt.date, year_start: dt.date) -> Decimal:
        """序时进度 on ``day`` by this policy's ``time_basis``: the rulebook's ``time_progress``."""
        return time_progress(day, year_start, by=self.time_basis)

    def time_fraction(self, day: dt.date, year_start: dt.date) -> tuple[int, int]:
        """The same 序时进度 as an exact fraction ``(elapsed, length)``: the rulebook's ``elapsed``."""
        return elapsed(day, year_start, by=self.time_basis)

    def is_cumulative(self, path: str, indicator: Indicator) -> bool:
        """Whether ``indicator`` (at ``path``) accumulates: the lists first, then the unit rule."""
        names = (path, indicator.name, indicator.key)
        if any(name in self.not_cumulative for name in names):
            return False
        if any(name in self.cumulative for name in names):
            return True
        return cumulative_by_unit(indicator.target.unit)


_DEFAULT_POLICY: Final = MonitoringPolicy()


# --- the report ----------------------------------------------------------------------------------


@attrs.frozen
class MonitoringFinding:
    """Something the monitoring noticed: a stable ``code``, a message, and where.

    Codes: ``no-plan``, ``above-budget``, ``payments-outside-year``, ``checkpoint-missed``,
    ``no-time-elapsed``, ``cause-missing``. ``message`` is in English, ``message_zh`` in
    Chinese; :meth:`text` gives the line in either.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``message_zh``.
    """

    code: str
    message: str
    location: str = ""
    message_zh: str = ""

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: Lang = "en") -> str:
        """The finding as a line: ``[code] location: message``, in English or Chinese."""
        where = f"{self.location}: " if self.location else ""
        message = self.message_zh if lang == "zh" and self.message_zh else self.message
        return f"[{self.code}] {where}{message}"


@attrs.frozen(kw_only=True)
class IndicatorProgress:
    """One indicator's line in the monitoring table.

    Quantitative targets carry ``value`` (to date) and ``forecast`` (year end) in the
    target's unit, and ``ratio`` = how far the forecast reaches the target (1 = met;
    direction-aware). Qualitative targets carry achievement bands instead.

    .. versionadded:: 0.1.0
    """

    path: str
    name: str
    level1: str = ""
    level2: str = ""
    target: str
    unit: str = ""
    cumulative: bool = False
    value: Decimal | None = None
    forecast: Decimal | None = None
    achievement: Achievement | None = None
    forecast_achievement: Achievement | None = None
    ratio: Decimal | None = None
    likelihood: Likelihood | None = None
    deviation_cause: DeviationCause | None = None
    note: str = ""

    @property
    def status(self) -> Status | None:
        """The colour of the likelihood (绿/黄/红), or ``None`` when there is no forecast."""
        return None if self.likelihood is None else self.likelihood.status


@attrs.frozen(kw_only=True)
class MonitoringReport:
    """The monitoring table for one project on one date (``as_of``, inclusive).

    Percents are on the 0-100 scale, amounts in 万元, all exact ``Decimal`` (round only
    to display). Gaps are in percentage points. Projections and ``monthly_pace`` are
    ``None`` where they are undefined (no time elapsed, nothing planned yet, no time left).

    .. versionadded:: 0.1.0
    """

    project_code: str
    project_name: str
    as_of: dt.date
    year_start: dt.date
    year_end: dt.date
    budget: Decimal
    spent: Decimal
    execution_rate: Decimal
    planned_share: Decimal
    planned_amount: Decimal
    time_progress: Decimal
    gap_to_plan: Decimal
    gap_to_time: Decimal
    ratio: Decimal | None
    status: Status
    next_checkpoint: Checkpoint | None
    to_next_checkpoint: Decimal
    year_end_share: Decimal
    to_year_end: Decimal
    months_left: Decimal
    monthly_pace: Decimal | None
    projected_execution_linear: Decimal | None
    projected_execution_plan: Decimal | None
    projected_spent: Decimal | None
    indicators: tuple[IndicatorProgress, ...] = ()
    findings: tuple[MonitoringFinding, ...] = ()
    policy: MonitoringPolicy = _DEFAULT_POLICY

    def finding_codes(self) -> tuple[str, ...]:
        """The codes of the findings, in order."""
        return tuple(finding.code for finding in self.findings)

    def to_rows(self, *, places: int = 2, lang: Lang = "zh") -> tuple[dict[str, str], ...]:
        """The report in the columns of the standard monitoring table (:data:`MONITORING_COLUMNS`).

        The first row is the money (年度预算数, 截至当期执行数, 执行率, 全年预计执行数, in
        万元 and percent); each indicator follows on its own row. Every row has every
        column; cells that do not apply are empty. Numbers are rounded half up to
        ``places`` decimals for display. ``lang="en"`` gives the headings of
        :data:`MONITORING_COLUMNS_EN` and English levels, likelihoods and causes.
        """
        english = lang == "en"
        rows = [dict.fromkeys(MONITORING_COLUMNS, "")]
        first = rows[0]
        first["年度预算数"] = _show(self.budget, places)
        first["截至当期执行数"] = _show(self.spent, places)
        first["执行率"] = _show(self.execution_rate, places) + "%"
        first["全年预计执行数"] = "" if self.projected_spent is None else _show(self.projected_spent, places)
        for line in self.indicators:
            row = dict.fromkeys(MONITORING_COLUMNS, "")
            row["一级指标"] = level_label(line.level1, lang)
            row["二级指标"] = level_label(line.level2, lang)
            row["三级指标"] = line.name
            row["年度指标值"] = line.target
            row["截至当期完成值"] = _show_value(line.value, line.achievement, line.unit, places, lang)
            row["全年预计完成值"] = _show_value(line.forecast, line.forecast_achievement, line.unit, places, lang)
            row["完成目标可能性"] = _word(line.likelihood, lang)
            row["偏差原因分析"] = _word(line.deviation_cause, lang)
            row["备注"] = line.note
            rows.append(row)
        if english:
            return tuple(dict(zip(MONITORING_COLUMNS_EN, row.values(), strict=True)) for row in rows)
        return tuple(rows)

    def series_row(self, *, places: int = 2, lang: Lang = "zh") -> dict[str, str]:
        """The report as one line of a series (:data:`SERIES_COLUMNS`): the date, spent, the rates, r, the status.

        Numbers are rounded half up to ``places`` decimals, as everywhere (40.125 % shows 40.13 %).
        ``lang="en"`` gives the headings of :data:`SERIES_COLUMNS_EN` and the status in English.
        """
        status = self.status.english if lang == "en" else self.status.value
        values = (
            self.as_of.isoformat(),
            _show(self.spent, places),
            _show(self.execution_rate, places) + "%",
            _show(self.planned_share, places) + "%",
            _show(self.time_progress, places) + "%",
            "" if self.ratio is None else _show(self.ratio, places),
            status,
        )
        return dict(zip(SERIES_COLUMNS_EN if lang == "en" else SERIES_COLUMNS, values, strict=True))

    def summary(self, *, places: int = 2, lang: Lang = "en") -> str:
        """A few lines for people, all in one language: the money, the status, what is left, the findings.

        Names, targets and finding messages are the document's and the finding's own text.
        """
        words = _SUMMARY[lang]

        def show(value: Decimal) -> str:
            return _show(value, places)

        def optional(value: Decimal | None) -> str:
            return _show_optional(value, places)

        status = self.status.value if lang == "zh" else self.status.english
        lines = [
            words["head"].format(code=self.project_code, name=self.project_name, day=self.as_of.isoformat()).strip(),
            words["spent"].format(spent=show(self.spent), budget=show(self.budget), rate=show(self.execution_rate)),
            words["plan"].format(plan=show(self.planned_share), plan_gap=show(self.gap_to_plan),
                                 time=show(self.time_progress), time_gap=show(self.gap_to_time)),
            words["ratio"].format(ratio=optional(self.ratio), status=status),
        ]
        if self.next_checkpoint is not None:
            lines.append(words["next"].format(label=self.next_checkpoint.display_label,
                                              percent=format_number(self.next_checkpoint.percent),
                                              left=show(self.to_next_checkpoint)))
        pace = "" if self.monthly_pace is None else words["pace"].format(pace=show(self.monthly_pace))
        lines.append(words["year_end"].format(share=format_number(self.year_end_share), day=self.year_end.isoformat(),
                                              left=show(self.to_year_end), pace=pace))
        lines.append(words["projected"].format(linear=optional(self.projected_execution_linear),
                                               plan=optional(self.projected_execution_plan)))
        lines.extend(
            words["indicator"].format(
                name=line.name, target=line.target,
                value=_show_value(line.value, line.achievement, line.unit, places, lang),
                forecast=_show_value(line.forecast, line.forecast_achievement, line.unit, places, lang),
                likelihood=_word(line.likelihood, lang),
            )
            for line in self.indicators
        )
        lines.extend(finding.text(lang) for finding in self.findings)
        return "\n".join(lines)


_BASIS_ZH: Final = {"months": "按月计", "days": "按天计"}

_SUMMARY: Final[dict[str, dict[str, str]]] = {
    "en": {
        "head": "{code} {name}, as of {day}",
        "spent": "spent {spent} of {budget} (10k yuan): execution rate {rate}%",
        "plan": "plan {plan}% (gap {plan_gap} pp), time {time}% (gap {time_gap} pp)",
        "ratio": "ratio {ratio}: {status}",
        "next": "next checkpoint {label} ({percent}%): {left} (10k yuan) still to spend",
        "pace": ", {pace} (10k yuan) a month",
        "year_end": "to reach {share}% by {day}: {left} (10k yuan){pace}",
        "projected": "projected year-end: {linear}% straight-line, {plan}% by the plan",
        "indicator": "{name}: {value} to date, {forecast} forecast for {target}: {likelihood}",
    },
    "zh": {
        "head": "{code} {name}，截至 {day}",
        "spent": "已执行 {spent} 万元，预算 {budget} 万元：执行率 {rate}%",
        "plan": "计划进度 {plan}%（差 {plan_gap} 个百分点），序时进度 {time}%（差 {time_gap} 个百分点）",
        "ratio": "执行/序时 {ratio}：{status}",
        "next": "下一节点 {label}（{percent}%）：尚需支出 {left} 万元",
        "pace": "，每月 {pace} 万元",
        "year_end": "至 {day} 达到 {share}%：尚需 {left} 万元{pace}",
        "projected": "年末预计执行率：按直线 {linear}%，按计划 {plan}%",
        "indicator": "{name}：截至当期 {value}，全年预计 {forecast}，目标 {target}：{likelihood}",
    },
}


def _word(value: Likelihood | DeviationCause | None, lang: str) -> str:
    """A likelihood or cause as printed: its Chinese label, or its English name."""
    if value is None:
        return ""
    return value.english if lang == "en" else value.value


def _rounded(value: Decimal, places: int) -> Decimal:
    """Half up for display; a number too long to round in the default context is shown whole."""
    if value.adjusted() + places >= _PLAIN_DIGITS:
        return value
    return round_half_up(value, places)


def _show(value: Decimal, places: int) -> str:
    return format_number(_rounded(value, places))


def _money(value: Decimal) -> str:
    """An amount in 万元 for a message: at least two decimals, at most four (one 元)."""
    text = format_number(_rounded(value, 4))
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"


def _show_optional(value: Decimal | None, places: int) -> str:
    return "-" if value is None else _show(value, places)


def _show_value(value: Decimal | None, band: Achievement | None, unit: str, places: int, lang: str = "zh") -> str:
    if band is not None:
        return band.english if lang == "en" else band.value
    if value is None:
        return ""
    return _show(value, places) + unit


# --- per-project precomputation ------------------------------------------------------------------


_AMBIGUOUS: Final = "ambiguous"


class _Project:
    """What :func:`monitor` needs from a project, computed once per project object."""

    __slots__ = (
        "budget",
        "code",
        "compiled",
        "dues",
        "findings",
        "index",
        "missed",
        "missed_zh",
        "name",
        "project",
        "year_end_amount",
    )

    def __init__(self, project: ProjectTargets) -> None:
        self.project = project
        self.code = project.code
        self.name = project.name
        self.budget = project.budget.total
        if self.budget <= _ZERO:
            msg = f"project {project.code} {project.name}: the budget is 0 万元, so no execution rate exists"
            raise MonitoringError(msg)
        schedule = project.schedule
        findings: list[MonitoringFinding] = []
        if schedule is None or not schedule.checkpoints:
            start_month = 1 if schedule is None else schedule.start_month  # the fiscal year stays the table's
            schedule = SpendingSchedule.even(project.year, start_month=start_month)
            findings.append(
                MonitoringFinding(
                    "no-plan",
                    "the project has no spending plan (资金支出计划); the plan is taken as even over the year, "
                    "so the planned share is the time progress by days",
                    "schedule",
                    "项目没有资金支出计划，按全年均衡支出计算，计划进度即按天数的序时进度",
                )
            )
        self.compiled: _Compiled = _compiled(schedule)
        self.findings = tuple(findings)
        budget = self.budget
        self.dues = tuple(percent * budget / HUNDRED for percent in self.compiled.percents)
        self.year_end_amount = self.compiled.ys[-1] * budget / HUNDRED
        self.missed = tuple(
            f"behind {checkpoint.display_label} ({checkpoint.date.isoformat()}): the plan asks "
            f"{_money(due)} 万元 ({format_number(checkpoint.percent)}%) by then, "
            for checkpoint, due in zip(self.compiled.checkpoints, self.dues, strict=True)
        )
        self.missed_zh = tuple(
            f"未达到 {checkpoint.display_label}（{checkpoint.date.isoformat()}）节点：计划到时累计支出 "
            f"{_money(due)} 万元（{format_number(checkpoint.percent)}%），"
            for checkpoint, due in zip(self.compiled.checkpoints, self.dues, strict=True)
        )
        self.index: dict[str, _Row | str] | None = None

    def lookup(self, key: object) -> _Row:
        """The indicator a progress key names: by path, name, key, or the Indicator itself."""
        index = self.index
        if index is None:
            index = self.index = self._build_index()
        if isinstance(key, Indicator):
            rows = [row for row in index.values() if isinstance(row, _Row) and row.indicator is key]
            rows = rows or [row for row in index.values() if isinstance(row, _Row) and row.indicator == key]
            if not rows:
                msg = f"progress: indicator {key.name!r} is not in project {self.code}"
                raise MonitoringError(msg)
            return rows[0]
        if not isinstance(key, str):
            msg = f"progress keys must be indicator names, paths or Indicator objects (got {type(key).__name__})"
            raise MonitoringError(msg)
        found = index.get(key)
        if isinstance(found, _Row):
            return found
        if found is None:
            names = ", ".join(repr(i.name) for _, i in self.project.iter_indicators() if i.applicable)
            msg = (
                f"progress[{key!r}]: no indicator of project {self.code} has this name or path; "
                f"expected one of {names}"
            )
            raise MonitoringError(msg)
        msg = f"progress[{key!r}]: several indicators have this name ({found}); use the path instead"
        raise MonitoringError(msg)

    def _build_index(self) -> dict[str, _Row | str]:
        index: dict[str, _Row | str] = {}
        by_name: dict[str, list[str]] = {}
        for position, (path, indicator) in enumerate(self.project.iter_indicators()):
            index[path] = _Row(path, indicator, position)
            for name in {indicator.name, indicator.key}:
                if name:
                    by_name.setdefault(name, []).append(path)
        for name, paths in by_name.items():
            if name in index:
                continue
            index[name] = index[paths[0]] if len(paths) == 1 else ", ".join(paths)
        return index


class _Row:
    """What the table shows of one indicator, computed once."""

    __slots__ = ("by_unit", "display", "indicator", "level1", "level2", "name", "names", "order", "path", "unit")

    def __init__(self, path: str, indicator: Indicator, order: int) -> None:
        self.path = path
        self.indicator = indicator
        self.order = order
        self.name = indicator.name
        self.names = (path, indicator.name, indicator.key)
        self.level1 = indicator.level1_label
        self.level2 = indicator.level2_label
        self.display = indicator.target.display
        self.unit = indicator.target.unit
        self.by_unit = cumulative_by_unit(self.unit)

    def cumulative(self, policy: MonitoringPolicy) -> bool:
        if policy.not_cumulative and any(name in policy.not_cumulative for name in self.names):
            return False
        if policy.cumulative and any(name in policy.cumulative for name in self.names):
            return True
        return self.by_unit


_PROJECTS: dict[int, _Project] = {}
_PROJECTS_LIMIT: Final = 4096


def _context(project: object) -> _Project:
    context = _PROJECTS.get(id(project))
    if context is not None and context.project is project:
        return context
    if not isinstance(project, ProjectTargets):
        msg = f"monitor() takes a ProjectTargets (got {type(project).__name__}); pick one with document.project(code)"
        raise MonitoringError(msg)
    context = _Project(project)
    if len(_PROJECTS) >= _PROJECTS_LIMIT:
        _PROJECTS.clear()
    _PROJECTS[id(project)] = context
    return context


def _policy(policy: object) -> MonitoringPolicy:
    if policy is None:
        return _DEFAULT_POLICY
    if not isinstance(policy, MonitoringPolicy):
        msg = f"policy must be a MonitoringPolicy (got {type(policy).__name__})"
        raise MonitoringError(msg)
    return policy


# --- the computation -----------------------------------------------------------------------------


def _is_amount(spent: object) -> bool:
    return isinstance(spent, (Decimal, int, float, str, Quantity))


def _payments(
    spent: Iterable[object], compiled: _Compiled, what: str
) -> tuple[list[Payment], MonitoringFinding | None]:
    """The payments inside the fiscal year, and a finding for those outside it."""
    inside: list[Payment] = []
    outside: list[str] = []
    outside_total = _ZERO
    start, end = compiled.start, compiled.end
    for position, payment in enumerate(spent):
        if not isinstance(payment, Payment):
            msg = f"{what}[{position}] must be a Payment(date, amount) (got {type(payment).__name__} {payment!r})"
            raise MonitoringError(msg)
        if start <= payment.date <= end:
            inside.append(payment)
        else:
            outside.append(f"{what}[{position}] {payment.date.isoformat()}")
            outside_total += payment.amount
    if not outside:
        return inside, None
    shown = "; ".join(outside[:5]) + ("; ..." if len(outside) > 5 else "")  # noqa: PLR2004
    message = (
        f"{len(outside)} payment(s) dated outside fiscal year {compiled.schedule.fiscal_year} "
        f"({start.isoformat()} to {end.isoformat()}), {_money(outside_total)} 万元 in all, are not counted: {shown}"
    )
    message_zh = (
        f"{len(outside)} 笔支付的日期不在 {compiled.schedule.fiscal_year} 预算年度内（{start.isoformat()} 至 "
        f"{end.isoformat()}），共 {_money(outside_total)} 万元，未计入：{shown}"
    )
    return inside, MonitoringFinding("payments-outside-year", message, what, message_zh)


def _checked_spent(amount: Decimal, day: dt.date) -> Decimal:
    """``amount`` without trailing zeros (``4.0`` and ``40000元`` give the same report), never negative."""
    if amount < _ZERO:
        msg = f"spent by {day.isoformat()} is negative ({_money(amount)} 万元); spending cannot be below 0"
        raise MonitoringError(msg)
    if amount.adjusted() >= _PLAIN_DIGITS:  # too many digits to rewrite: keep as given
        return amount
    if amount == amount.to_integral_value():
        return amount.quantize(_ONE)
    return amount.normalize()


def monitor(
    project: ProjectTargets,
    *,
    spent: object,
    as_of: dt.date | str,
    progress: Mapping[object, object] | None = None,
    policy: MonitoringPolicy | None = None,
) -> MonitoringReport:
    """The monitoring table (绩效运行监控) of ``project`` on ``as_of``.

    Args:
        project: the project's target table, with its budget and spending plan (a project
            without a plan is monitored against an even plan, with a ``no-plan`` finding).
        spent: what has been spent: an amount (a number in 万元, text such as ``"40000元"``
            or ``"4万元"``, a money :class:`~perftarget.Quantity`) spent by ``as_of``; or a
            sequence of :class:`Payment`, of which those dated on or before ``as_of`` count
            (payments dated outside the fiscal year are left out, with a finding).
        as_of: the date of the check, inclusive, inside the fiscal year; a label such as
            ``"7月底"`` is read like a checkpoint heading.
        progress: values to date for some indicators, keyed by indicator name, path
            (``goals[0].indicators[1]``), key or :class:`~perftarget.Indicator`; each value is
            a number, text, :class:`~perftarget.Quantity`, :class:`~perftarget.Achievement` or
            :class:`ProgressValue`.
        policy: the rules to apply (defaults: :class:`MonitoringPolicy`).

    Raises:
        MonitoringError: ``as_of`` is outside the fiscal year, spending is negative, an
            amount is not money, or a progress entry names no indicator or cannot be compared
            with its target. Spending above the budget is a finding, not an error.

    .. versionadded:: 0.1.0
    """
    context = _context(project)
    rules = _policy(policy)
    compiled = context.compiled
    day = compiled.date_of(as_of)
    findings = list(context.findings)
    if _is_amount(spent):
        amount = to_wan(spent, what="spent")
    elif isinstance(spent, Iterable):
        inside, outside = _payments(spent, compiled, "spent")
        if outside is not None:
            findings.append(outside)
        amount = sum((p.amount for p in inside if p.date <= day), _ZERO)
    else:
        msg = f"spent must be an amount or a list of Payment (got {type(spent).__name__} {spent!r})"
        raise MonitoringError(msg)
    return _report(context, day, _checked_spent(amount, day), findings, progress=progress, policy=rules)


def monitor_series(
    project: ProjectTargets,
    *,
    payments: Iterable[Payment],
    dates: Iterable[dt.date | str] | None = None,
    progress: Mapping[object, object] | None = None,
    policy: MonitoringPolicy | None = None,
) -> tuple[MonitoringReport, ...]:
    """One report per date from dated payments: the spending curve against the plan, for a chart.

    ``dates`` default to the twelve month ends of the fiscal year. Each report counts
    the payments dated on or before its date; payments outside the year are left out,
    with a finding in every report. ``progress``, when given, is applied as it is to
    every date (leave it out for a money-only chart).

    Raises:
        MonitoringError: as :func:`monitor`.

    .. versionadded:: 0.1.0
    """
    context = _context(project)
    rules = _policy(policy)
    compiled = context.compiled
    if _is_amount(payments) or not isinstance(payments, Iterable):
        msg = f"payments must be a list of Payment (got {type(payments).__name__})"
        raise MonitoringError(msg)
    if isinstance(dates, str):
        msg = f"dates must be a list of dates or labels (got the text {dates!r}); wrap one date in a list"
        raise MonitoringError(msg)
    days = compiled.month_ends if dates is None else tuple(compiled.date_of(d) for d in dates)
    inside, outside = _payments(payments, compiled, "payments")
    inside.sort(key=lambda p: p.date)
    paid_on = [p.date for p in inside]
    totals = [_ZERO]
    for payment in inside:
        totals.append(totals[-1] + payment.amount)
    base = [*context.findings, *(() if outside is None else (outside,))]
    reports = []
    for day in days:
        amount = _checked_spent(totals[bisect_right(paid_on, day)], day)
        reports.append(_report(context, day, amount, list(base), progress=progress, policy=rules))
    return tuple(reports)


def _report(
    context: _Project,
    day: dt.date,
    amount: Decimal,
    findings: list[MonitoringFinding],
    *,
    progress: Mapping[object, object] | None,
    policy: MonitoringPolicy,
) -> MonitoringReport:
    compiled = context.compiled
    budget = context.budget
    x = day.toordinal() - compiled.start_ordinal
    execution = amount * HUNDRED / budget + _ZERO  # + 0: plain digits, never 4E+1
    planned = compiled.planned(x, policy.interpolation)
    time = policy.time_progress(day, compiled.start)
    elapsed_part, year_length = fraction = policy.time_fraction(day, compiled.start)
    year_end_share = compiled.ys[-1]
    if elapsed_part:  # r = execution / time × 100, from the exact fraction: one rounding, so r = 60 is 60
        ratio: Decimal | None = amount * HUNDRED * year_length / (budget * elapsed_part) + _ZERO
    else:
        ratio = None
        findings.append(
            MonitoringFinding(
                "no-time-elapsed",
                f"no time has elapsed by {day.isoformat()} ({policy.time_basis}), so there is no ratio and no "
                "straight-line projection; the status is green",
                message_zh=(
                    f"截至 {day.isoformat()} 尚无时间经过（{_BASIS_ZH[policy.time_basis]}），"
                    "没有执行/序时比值和直线预测；状态为绿"
                ),
            )
        )
    if amount > budget:
        findings.append(
            MonitoringFinding(
                "above-budget",
                f"spent {_money(amount)} 万元 is above the budget of {_money(budget)} 万元 "
                f"(执行率 {_show(execution, 2)}%)",
                "spent",
                f"已执行 {_money(amount)} 万元，超过预算 {_money(budget)} 万元（执行率 {_show(execution, 2)}%）",
            )
        )
    offsets = compiled.checkpoint_offsets
    dues = context.dues
    position = bisect_left(offsets, x)
    if position < len(offsets):
        next_checkpoint: Checkpoint | None = compiled.checkpoints[position]
        to_next = max(dues[position] - amount, _ZERO)
    else:
        next_checkpoint = None
        to_next = _ZERO
    passed = position if position < len(offsets) and offsets[position] == x else position - 1
    if passed >= 0 and amount < dues[passed]:
        message = f"{context.missed[passed]}{_money(amount)} 万元 spent by {day.isoformat()}"
        message_zh = f"{context.missed_zh[passed]}截至 {day.isoformat()} 支出 {_money(amount)} 万元"
        findings.append(MonitoringFinding("checkpoint-missed", message, "spent", message_zh))
    to_year_end = max(context.year_end_amount - amount, _ZERO)
    months_left = Decimal(12 * (year_length - elapsed_part)) / year_length
    monthly_pace = to_year_end / months_left + _ZERO if months_left else None
    linear = ratio
    by_plan = execution * year_end_share / planned + _ZERO if planned else None
    chosen = by_plan if policy.projection == "plan" else linear
    lines: tuple[IndicatorProgress, ...] = ()
    if progress:
        lines = _progress(context, progress, fraction, policy, findings)
    return MonitoringReport(
        project_code=context.code,
        project_name=context.name,
        as_of=day,
        year_start=compiled.start,
        year_end=compiled.end,
        budget=budget,
        spent=amount,
        execution_rate=execution,
        planned_share=planned,
        planned_amount=planned * budget / HUNDRED,
        time_progress=time,
        gap_to_plan=execution - planned,
        gap_to_time=execution - time,
        ratio=ratio,
        status=policy.status_for(ratio),
        next_checkpoint=next_checkpoint,
        to_next_checkpoint=to_next,
        year_end_share=year_end_share,
        to_year_end=to_year_end,
        months_left=months_left,
        monthly_pace=monthly_pace,
        projected_execution_linear=linear,
        projected_execution_plan=by_plan,
        projected_spent=None if chosen is None else chosen * budget / HUNDRED + _ZERO,
        indicators=lines,
        findings=tuple(findings),
        policy=policy,
    )


# --- the target side -----------------------------------------------------------------------------


def _progress(
    context: _Project,
    progress: Mapping[object, object],
    time: tuple[int, int],
    policy: MonitoringPolicy,
    findings: list[MonitoringFinding],
) -> tuple[IndicatorProgress, ...]:
    lines: list[tuple[int, IndicatorProgress]] = []
    given: dict[str, object] = {}
    for key, raw in progress.items():
        row = context.lookup(key)
        path = row.path
        if path in given:
            msg = f"{_where(key, path)}: the indicator is given twice (also as {given[path]!r})"
            raise MonitoringError(msg)
        given[path] = key
        value: object = raw
        forecast: object = None
        cause: DeviationCause | None = None
        note = ""
        if isinstance(raw, ProgressValue):
            value, forecast, cause, note = raw.value, raw.forecast, raw.cause, raw.note
        target = row.indicator.target
        try:
            if target.is_quantitative:
                line = _quantitative(row, (value, forecast, cause, note), time, policy)
            elif target.is_qualitative:
                line = _qualitative(row, (value, forecast, cause, note))
            else:
                what = "prints no target (blank)" if target.is_blank else "is 无 (not applicable)"
                msg = f"{_where(key, path)}: the indicator {what}; it has no target to monitor"
                raise MonitoringError(msg)
        except (InvalidActualError, UnitMismatchError) as exc:
            raise MonitoringError(f"{_where(key, path)}: {exc}") from None
        likelihood = line.likelihood
        if likelihood is not None and likelihood is not Likelihood.CERTAIN and cause is None:
            findings.append(
                MonitoringFinding(
                    "cause-missing",
                    f"{row.name}: {likelihood.value} to meet {row.display}; give the deviation cause "
                    "(偏差原因分析: 经费保障/制度保障/人员保障/硬件条件保障/其他)",
                    path,
                    f"{row.name}：{likelihood.value}完成 {row.display}；请填写偏差原因分析"
                    "（经费保障/制度保障/人员保障/硬件条件保障/其他）",
                )
            )
        lines.append((row.order, line))
    if len(lines) > 1:
        lines.sort(key=lambda item: item[0])
    return tuple(line for _, line in lines)


def _where(key: object, path: str) -> str:
    return f"progress[{key!r}] ({path})" if key != path else f"progress[{key!r}]"


_Entry = tuple[object, object, "DeviationCause | None", str]
"""A progress entry as (value to date, given forecast, deviation cause, note)."""


def _quantitative(row: _Row, entry: _Entry, time: tuple[int, int], policy: MonitoringPolicy) -> IndicatorProgress:
    value, given_forecast, cause, note = entry
    target = row.indicator.target
    to_date = target.actual_in_unit(value)
    cumulative = row.cumulative(policy)
    forecast: Decimal | None
    if given_forecast is not None:
        forecast = target.actual_in_unit(given_forecast)
    elif not cumulative:
        forecast = to_date
    elif time[0]:  # to date / elapsed share of the year, from the exact fraction
        forecast = to_date * time[1] / time[0] + _ZERO
    else:
        forecast = None
    ratio = None if forecast is None else _forecast_ratio(target, forecast)
    likelihood = None
    if ratio is not None:
        likelihood = _likelihood(target, forecast, ratio, policy)
    return IndicatorProgress(
        path=row.path,
        name=row.name,
        level1=row.level1,
        level2=row.level2,
        target=row.display,
        unit=row.unit,
        cumulative=cumulative,
        value=to_date,
        forecast=forecast,
        ratio=ratio,
        likelihood=likelihood,
        deviation_cause=cause,
        note=note,
    )


def _likelihood(target: Threshold, forecast: Decimal | None, ratio: Decimal, policy: MonitoringPolicy) -> Likelihood:
    """完成目标可能性: 确定能 when the forecast meets the target (:meth:`Threshold.is_met`), else by the ratio.

    A forecast that reaches the target's number without meeting it (> or < at equality, = overshot, a
    negative forecast) is at best 有可能; with a ``certain_at`` below 1 a ratio from there up to 1 is 确定能.
    """
    if forecast is not None and target.is_met(forecast):
        return Likelihood.CERTAIN
    likelihood = policy.likelihood_for(ratio)
    if likelihood is Likelihood.CERTAIN and ratio >= _ONE:
        return Likelihood.POSSIBLE
    return likelihood


def _forecast_ratio(target: Threshold, forecast: Decimal) -> Decimal:
    """How far ``forecast`` reaches ``target``: 1 on target, direction-aware (the rulebook's attainment).

    The 10号 decision table with weight 1, not capped: a 正向 target's ratio runs above 1
    when over-achieved; signed targets are met (1) or not (0).
    """
    return attainment(target, forecast, capped=False)


def _band(target: Threshold, value: object) -> Achievement:
    if isinstance(value, Achievement):
        return value
    return target.achievement(value)


def _qualitative(row: _Row, entry: _Entry) -> IndicatorProgress:
    value, given_forecast, cause, note = entry
    target = row.indicator.target
    band = _band(target, value)
    forecast = band if given_forecast is None else _band(target, given_forecast)
    return IndicatorProgress(
        path=row.path,
        name=row.name,
        level1=row.level1,
        level2=row.level2,
        target=row.display,
        achievement=band,
        forecast_achievement=forecast,
        likelihood=_BAND_LIKELIHOOD[forecast],
        deviation_cause=cause,
        note=note,
    )


# --- payments from a file ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _PaymentFile:
    project: str = ""
    note: str = ""
    payments: tuple[Payment, ...] = ()


def load_payments(path: str | os.PathLike[str]) -> tuple[Payment, ...]:
    """Read dated payments from a ``.toml`` or ``.json`` file, amounts in 万元.

    The file has an array ``payments`` of tables ``{date, amount, note}`` and optionally
    ``project`` (the project code) and ``note``::

        project = "13063722P0041681003"
        payments = [
            {date = 2022-01-25, amount = 0.50, note = "1月值班费"},
        ]

    Raises:
        DocumentError: the file cannot be read or a payment is malformed; every problem
            is listed with its path (``payments[3].date``).

    .. versionadded:: 0.1.0
    """
    file = Path(path)
    kind = format_of(file)
    return loads(read_text_file(file), kind, _PaymentFile, source=str(file)).payments


_PROGRESS_FIELDS: Final = ("value", "forecast", "cause", "note")


def load_progress(path: str | os.PathLike[str]) -> dict[object, object]:
    """Read indicator values to date from a ``.toml`` or ``.json`` file, for ``monitor(progress=...)``.

    The file has a table ``progress`` keyed by indicator name or path, and optionally
    ``project`` (the project's code) and ``note``. A value is what :func:`monitor` takes
    (``"60%"``, ``120``, ``"达成"``) or a table ``{value, forecast, cause, note}`` read as a
    :class:`ProgressValue`::

        project = "13063722P0041681003"
        [progress]
        "群众来访接待劝返率" = "60%"
        "上访人员满意度" = {value = "90%", forecast = "95%", cause = "其他"}

    Raises:
        DocumentError: the file cannot be read, has no ``progress`` table, or an entry is
            malformed; every problem is listed with its path (``progress['上访人员满意度'].cause``).

    .. versionadded:: 0.2.0
    """
    file = Path(path)
    source = str(file)
    data = _parse_text(read_text_file(file), format_of(file), source=source)
    problems: list[Problem] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("progress"), Mapping):
        raise DocumentError([Problem("progress", "expected a table of values to date ([progress])")], source=source)
    problems.extend(
        Problem(str(key), "unknown key; expected progress, project or note")
        for key in sorted(set(data) - {"progress", "project", "note"})
    )
    entries: dict[object, object] = {}
    for key, raw in data["progress"].items():
        where = f"progress[{key!r}]"
        if not isinstance(raw, Mapping):
            entries[key] = raw
            continue
        unknown = sorted(set(raw) - set(_PROGRESS_FIELDS))
        if unknown or "value" not in raw:
            why = f"unknown key {', '.join(map(repr, unknown))}" if unknown else "required key 'value' missing"
            problems.append(Problem(where, f"{why}; expected value and optionally forecast, cause, note"))
            continue
        try:
            entries[key] = ProgressValue(**raw)
        except (TypeError, ValueError) as exc:
            problems.append(Problem(where, str(exc)))
    if problems:
        raise DocumentError(problems, source=source)
    return entries
