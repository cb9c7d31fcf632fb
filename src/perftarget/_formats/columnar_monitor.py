"""绩效运行监控 of a whole batch a column at a time: the table-level monitoring figures.

:func:`monitor_columns` answers, for every project table of a :class:`~perftarget.columnar.Columns`
batch, what :func:`perftarget.monitor` answers for one table (the ``monitor`` rows of the batch
results, one per table): budget, spent, execution rate, planned share, time progress, the gaps,
the ratio, the status, the projected year-end spending and the finding codes. It does so with
numpy over whole columns; no Python code runs per table on the fast path.

Decisions come from the rulebook (:mod:`perftarget._rulebook.progress`), not from a copy:
序时进度 is :func:`~perftarget._rulebook.progress.elapsed` asked once per distinct fiscal year
of the batch (an exact fraction the kernel divides by), and the status of each region that the
policy's cut-offs bound is :func:`~perftarget._rulebook.progress.status_band` at a point inside
it (:func:`status_lookup`; the tests check every region and both sides of every cut-off); each
distinct plan of the batch is built once as a :class:`~perftarget.SpendingSchedule` (its rules,
its error messages) and asked its planned share as an exact fraction once per distinct date. Why
keep a kernel at all: the object path monitors about 10,000 tables a second, the kernel about
500,000 (``benchmarks/bench_columnar_monitor.py``), and with one spent amount per table there
is no repeated value to cache.

Exact numbers: every amount is held as an integer of 10⁻⁶ 万元 and every percent as an integer
of 10⁻⁶ %; a text with more than six decimals, or beyond 10⁸ (万元 or %), sends its table to
the object path. Each figure is an exact fraction of such integers (the execution rate is
100 × spent / budget, the ratio 100 × spent × days in the year / (budget × days elapsed), the
projected spending spent × year-end share / planned share...), worked out by integer long
division: no float takes part in any amount, percent or comparison.

Rounding rule: every figure of the result is printed **rounded half up to 6 decimal places**
(half away from zero, as :func:`perftarget._values.numbers.round_half_up` does), trailing zeros and a
bare point trimmed (``40``, ``56.300813``, ``-16.300813``). The object path computes in
``Decimal`` with 28 significant digits and rounds a few intermediate results (the execution
rate before the gaps and projections); the kernel's figure is the exact value rounded once.
The two agree: an exact value that is not on a rounding tie lies at least
1 / (2 × its denominator) of 10⁻⁶ from one, and with every numerator and denominator
within int64 that distance is many orders above the object path's 28-digit error. On a tie
(or with the ratio exactly on a status cut-off) the 28-digit intermediates may tip the
other way, so such a table is handed to the object path, as is one with a figure of 10¹² or more. The rows of
tables that go through the object path are printed with the same rule, so a column never
mixes two formats; the object path itself is unchanged.

Findings: the table-level report's codes, in the object path's order: ``no-plan``,
``payments-outside-year``, ``no-time-elapsed``, ``above-budget``, ``checkpoint-missed``. A batch
holds no progress to date of indicators, so there is no ``cause-missing`` and no per-indicator
monitoring (``per="indicator"``): use :func:`perftarget.batch.process_record` for those.

Tables the kernel does not do are monitored, one by one, by :func:`perftarget.monitor` on the
project table rebuilt from the columns (code, name, year, budget, plan, payments), and their
rows put back in place: a missing or unreadable budget, year or plan, a budget of 0, an amount
or percent with more than six decimals or beyond 10⁸, a plan that breaks the plan's rules,
negative spending to date, ``as_of`` outside the fiscal year or not a date, a spent column of
floats or other objects, a policy whose cut-offs have more than six decimals, and the rounding
ties above. Errors give the row of the batch results (``error`` says what went wrong, the
figures are empty).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final, Literal

from perftarget._formats.columnar import Columns, clean_columns, kernel_modules
from perftarget._formats.columnar import scaled as _micro
from perftarget._formats.columnar import six_places as _six
from perftarget._formats.results import result_schema
from perftarget._judge.monitor import MonitoringPolicy, MonitoringReport, Payment, Status, monitor
from perftarget._model.targets import Budget, ProjectTargets, Unit
from perftarget._rulebook.progress import elapsed
from perftarget._values.schedule import Checkpoint, SpendingSchedule, _Compiled, checkpoint_date
from perftarget.exceptions import InvalidValueError, PerftargetError

if TYPE_CHECKING:
    from numpy import bool_, int64
    from numpy.typing import NDArray

    _Ints = NDArray[int64]
    _Bools = NDArray[bool_]

__all__ = ["monitor_columns"]

_M: Final = 10**6  # the scale: integers of 10**-6 万元 or 10**-6 %
_LIMIT: Final = 10**14  # amounts and cut-offs up to 10**8 (万元 or %)
_PERCENT: Final = 100 * _M
_INT64_MAX: Final = 2**63 - 1
_DIVISOR_LIMIT: Final = 9 * 10**17  # a remainder times 10 stays below 2**63
_MAX_PAYMENTS: Final = _INT64_MAX // _LIMIT  # payments of one table whose sum cannot overflow
_EPOCH: Final = dt.date(1970, 1, 1)
_POWERS: Final = tuple(10**k for k in range(19))  # every figure printed is below 10**18 (10**12 万元 or %)
_DECIMAL_TEXT: Final = r"^[+-]?(\d+(\.\d{0,6})?|\.\d{1,6})$"
_FINDINGS: Final = ("no-plan", "payments-outside-year", "no-time-elapsed", "above-budget", "checkpoint-missed")
_STATUSES: Final = (Status.GREEN.value, Status.YELLOW.value, Status.RED.value)  # by code: 0, 1, 2
_FIGURES: Final = (
    "budget", "spent", "execution_rate", "planned_share", "time_progress", "gap_to_plan", "gap_to_time", "ratio",
    "projected_spent",
)
_DEFAULT_POLICY: Final = MonitoringPolicy()
_KEPT: Final = frozenset({"file", "project_code", "project_name"})  # the same on both paths
_FEW: Final = 256  # up to this many tables by the object path, their rows go in as chunks


def _scaled(value: Decimal) -> int | None:
    """A cut-off as an integer of 10**-6, or ``None`` when that is not exact or too large."""
    return _micro(value, _LIMIT + 1)


def _reason(exc: BaseException) -> str:
    """An error as the batch results print it: the problems, else the message."""
    problems = getattr(exc, "problems", None)
    if problems:
        return "; ".join(str(p) for p in problems)
    return str(exc) or type(exc).__name__


class _Kernel:
    """One call of :func:`monitor_columns`: the columns as numpy arrays, and the figures."""

    def __init__(self, columns: Columns, as_of: object, spent: object, policy: MonitoringPolicy) -> None:
        self.pa, self.pc, self.np = kernel_modules("perftarget.columnar.monitor_columns")
        np = self.np
        columns = clean_columns(columns, self.pa, self.pc, np, ("tables", "payments"))
        self.columns = columns
        self.as_of = as_of
        self.spent_given = spent
        self.policy = policy
        self.tables = columns.tables
        self.n = int(self.tables.num_rows)
        numbers = self._ints(self.tables.column("table"), -1)
        if self.n > 1 and bool((numbers[1:] <= numbers[:-1]).any()):
            msg = "tables.table must number the tables in increasing order, each once (flatten() gives 0, 1, 2…)"
            raise InvalidValueError(msg, field="table")
        self.numbers: _Ints = numbers
        self.slow: _Bools = np.zeros(self.n, dtype=bool)
        self.powers: _Ints = np.array(_POWERS, dtype=np.int64)
        self.payment_owner: _Ints = np.zeros(0, dtype=np.int64)  # payments by table, and their rows
        self.payment_rows: _Ints = np.zeros(0, dtype=np.int64)
        self.spent_values: Sequence[object] | None = None

    # --- reading columns ------------------------------------------------------------------------

    def _ints(self, column: Any, fill: int) -> _Ints:  # noqa: ANN401 - a pyarrow column
        """Integers (or dates, as days since 1970-01-01) as int64, ``fill`` for nulls."""
        pa, pc, np = self.pa, self.pc, self.np
        if pa.types.is_date32(column.type):
            column = pc.cast(column, pa.int32())
        values = pc.cast(column, pa.int64()).fill_null(fill)
        return np.asarray(values.to_numpy(), dtype=np.int64)  # type: ignore[no-any-return]

    def _nulls(self, column: Any) -> _Bools:  # noqa: ANN401 - a pyarrow column
        return self.np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)  # type: ignore[no-any-return]

    def _decimals(self, column: Any, *, repeated: bool = False) -> tuple[_Ints, _Bools]:  # noqa: ANN401
        """Decimal text (or decimals) as integers of 10**-6, and where that is exact and within the limit.

        ``repeated`` columns (plan percents, payment amounts) are read once per distinct text.
        """
        pa, pc, np = self.pa, self.pc, self.np
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if repeated and not pa.types.is_dictionary(column.type) and len(column):
            column = pc.dictionary_encode(column)
        if pa.types.is_dictionary(column.type):
            values, ok = self._decimals(column.dictionary)
            index = np.asarray(column.indices.fill_null(0).to_numpy(), dtype=np.int64)
            valid = np.asarray(column.indices.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
            return values[index], ok[index] & valid
        kind = column.type
        count = len(column)
        if pa.types.is_integer(kind):
            ints = self._ints(column, 0)
            ok = ~self._nulls(column) & (np.abs(ints) <= _LIMIT // _M)
            return np.where(ok, ints, 0) * _M, ok
        if not (pa.types.is_decimal(kind) or pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return np.zeros(count, dtype=np.int64), np.zeros(count, dtype=bool)  # floats: the object path reads them
        decimals = self._cast_decimal(column)
        if decimals is None or count == 0:
            return np.zeros(count, dtype=np.int64), np.zeros(count, dtype=bool)
        valid = np.asarray(decimals.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        if sys.byteorder != "little":  # pragma: no cover - the buffer view below reads little-endian words
            exact = [None if d is None else int(d.scaleb(6)) for d in decimals.to_pylist()]
            ok = np.array([v is not None and abs(v) <= _LIMIT for v in exact], dtype=bool)
            return np.array([v if v is not None and abs(v) <= _LIMIT else 0 for v in exact], dtype=np.int64), ok
        words = np.frombuffer(decimals.buffers()[1], dtype=np.int64)
        words = words[2 * decimals.offset : 2 * (decimals.offset + count)]
        low, high = words[0::2], words[1::2]
        ok = valid & (high == (low >> 63)) & (np.abs(low) <= _LIMIT)
        return np.where(ok, low, 0), ok

    def _cast_decimal(self, column: Any) -> Any:  # noqa: ANN401 - pyarrow arrays
        """Decimals with 6 places; texts that are not plain decimals with up to 6 places become null."""
        pa, pc = self.pa, self.pc
        target = pa.decimal128(38, 6)
        try:
            return pc.cast(column, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if pa.types.is_decimal(column.type):  # more places or digits than the kernel holds
                return None
        readable = pc.match_substring_regex(column, _DECIMAL_TEXT)
        return pc.cast(pc.if_else(readable, column, pa.scalar(None, column.type)), target)

    # --- long division ---------------------------------------------------------------------------

    def _divide(self, numerator: _Ints, divisor: _Ints, digits: int) -> tuple[_Ints, _Ints, _Bools]:
        """``floor(numerator × 10**digits / divisor)`` and the remainder (over ``divisor``), exactly.

        Numerators are non-negative; elements beyond the int64-safe range come back marked bad.
        """
        np = self.np
        bad = (numerator < 0) | (divisor < 1) | (divisor > _DIVISOR_LIMIT)
        n = np.where(bad, 0, numerator)
        d = np.where(bad, 1, divisor)
        whole = n // d
        rest = n - whole * d
        scale = 10**digits
        bad |= whole >= _POWERS[18] // scale - 1  # the figure, rounded up, stays below 10**18
        whole = np.where(bad, 0, whole)
        fraction = np.zeros_like(n)
        left = digits
        largest = int(d.max()) if d.size else 1
        room = 0
        while largest * 10 ** (room + 1) <= _INT64_MAX:
            room += 1
        while left:
            step = min(left, room)
            rest = rest * 10**step
            digit = rest // d
            rest -= digit * d
            fraction = fraction * 10**step + digit
            left -= step
        return whole * scale + fraction, rest, bad

    def _round(self, floor: _Ints, rest: _Ints, divisor: _Ints) -> tuple[_Ints, _Bools]:
        """``floor + rest / divisor`` rounded half away from zero, and where it lies on a tie."""
        np = self.np
        tie = 2 * rest == divisor
        up = np.where(floor >= 0, floor + (2 * rest >= divisor), 0)
        down = np.where(rest == 0, floor, -(-floor - 1 + (2 * (divisor - rest) >= divisor)))
        return np.where(floor >= 0, up, down), tie

    def _difference(
        self, a: tuple[_Ints, _Ints, _Ints], b: tuple[_Ints, _Ints, _Ints]
    ) -> tuple[_Ints, _Ints, _Ints]:
        """``a − b`` for values held as (floor, remainder, divisor), in the same form."""
        np = self.np
        floor = a[0] - b[0]
        divisor = a[2] * b[2]
        rest = a[1] * b[2] - b[1] * a[2]
        borrow = rest < 0
        return floor - borrow, np.where(borrow, rest + divisor, rest), divisor

    # --- the inputs ---------------------------------------------------------------------------------

    def read_tables(self) -> None:
        np, pc = self.np, self.pc
        tables = self.tables
        year_column = tables.column("year")
        self.year = self._ints(year_column, 2000)
        self.slow |= self._nulls(year_column) | (self.year < 1) | (self.year > 9998)  # noqa: PLR2004 - date range
        self.year = np.where(self.slow, 2000, self.year)
        self.budget, budget_ok = self._decimals(tables.column("budget"))
        self.slow |= ~budget_ok | (self.budget <= 0)
        self.budget = np.where(self.slow, 1, self.budget)
        month_column = tables.column("plan_start_month")
        has_month = ~self._nulls(month_column)
        month = self._ints(month_column, 1)
        bad_month = has_month & ((month < 1) | (month > 12))  # noqa: PLR2004 - twelve months
        dates = tables.column("plan_dates").combine_chunks()
        percents = tables.column("plan_percents").combine_chunks()
        lengths = self._ints(pc.list_value_length(dates), 0)
        uneven = has_month & (lengths != self._ints(pc.list_value_length(percents), 0))  # the object path says so
        self.slow |= bad_month | uneven
        self.has_plan = has_month & (lengths > 0) & ~bad_month & ~uneven
        self.start_month = np.where(has_month & ~bad_month & ~uneven, month, 1)
        self.start_month = np.where(self.slow, 1, self.start_month)
        # first and last day of each fiscal year, as days since 1970-01-01
        first_month = (self.year - 1970) * 12 + self.start_month - 1
        self.start = first_month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        self.end = (first_month + 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1
        self._read_plan(dates, percents)

    def _read_plan(self, dates: Any, percents: Any) -> None:  # noqa: ANN401 - pyarrow arrays
        """Each table's plan as an index into the batch's distinct plans, each built once as a SpendingSchedule.

        The plan's rules (checkpoints in the year, in order, percents 0-100 never decreasing, the
        last 100 unless multi-year) and its planned share are the plan's own
        (:class:`~perftarget.SpendingSchedule`); a plan that breaks them sends its tables to the
        object path, which says why. Tables without a plan get the even plan of their year.
        """
        np, pa, pc = self.np, self.pa, self.pc
        text = pa.string()
        multi = self.tables.column("plan_multi_year").combine_chunks()
        fields = [pc.cast(pa.array(self.year), text), pc.cast(pa.array(self.start_month), text)]
        fields += [pc.cast(multi, text), pc.binary_join(pc.cast(dates, pa.list_(text)), ","),
                   pc.binary_join(pc.cast(percents, pa.list_(text)), ",")]
        key = pc.binary_join_element_wise(*fields, "|", null_handling="replace", null_replacement="~")
        key = pc.if_else(pa.array(self.has_plan), key, pc.binary_join_element_wise(*fields[:2], "|even", ""))
        encoded = pc.dictionary_encode(key)
        index = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        _, first = np.unique(index, return_index=True)
        rows = self.tables.take(pa.array(first)).select(["plan_dates", "plan_percents", "plan_multi_year"]).to_pylist()
        plans: list[_Compiled | None] = []
        for row, table in zip(rows, first.tolist(), strict=True):
            year, month = int(self.year[table]), int(self.start_month[table])
            try:
                if self.has_plan[table]:
                    checkpoints = tuple(
                        Checkpoint(date=day, percent=percent)
                        for day, percent in zip(row["plan_dates"], row["plan_percents"], strict=True)
                    )
                    schedule = SpendingSchedule(fiscal_year=year, checkpoints=checkpoints,
                                                multi_year=bool(row["plan_multi_year"]), start_month=month)
                else:
                    schedule = SpendingSchedule.even(year, start_month=month)
            except (PerftargetError, TypeError, ValueError):
                plans.append(None)
            else:
                plans.append(_Compiled(schedule))
        self.plans = plans
        self.plan_index: _Ints = index
        self.slow |= np.array([plan is None for plan in plans], dtype=bool)[index]

    def read_as_of(self) -> None:
        """The date of the check for each table (days since 1970) and its time progress.

        序时进度 is the rulebook's (:func:`perftarget._rulebook.progress.elapsed`), asked once per
        distinct fiscal year (year and first month) as an exact fraction ``elapsed / length``.
        """
        np, pa = self.np, self.pa
        as_of = self.as_of
        keys, group = np.unique(self.year * 16 + self.start_month, return_inverse=True)
        starts = [dt.date(key // 16, key % 16, 1) for key in keys.tolist()]
        days: list[dt.date | None]
        if isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime):
            days = [as_of] * len(starts)
        elif isinstance(as_of, str):
            days = [_label_date(as_of, start.year, start.month) for start in starts]
        else:  # not a date: every table gives the object path's error
            days = [None] * len(starts)
        fractions = [_time_fraction(day, start, self.policy) for day, start in zip(days, starts, strict=True)]
        broken = np.array([fraction is None for fraction in fractions], dtype=bool)
        self.slow |= broken[group]
        known = [day or _EPOCH for day in days]
        self.as_of_text = pa.array([day.isoformat() for day in known]).take(pa.array(group))
        self.day = np.array([(day - _EPOCH).days for day in known], dtype=np.int64)[group]
        self.x = np.where(self.slow, 0, self.day - self.start)
        self.elapsed = np.array([f[0] if f else 0 for f in fractions], dtype=np.int64)[group]
        self.length = np.array([f[1] if f else 1 for f in fractions], dtype=np.int64)[group]

    def read_spent(self) -> None:
        """Spent to date per table: the given column, or the payments dated in the year up to ``as_of``."""
        pa, np = self.pa, self.np
        n = self.n
        self.outside: _Bools = np.zeros(n, dtype=bool)
        given = self.spent_given
        if given is not None:
            try:
                column = given if isinstance(given, (pa.Array, pa.ChunkedArray)) else pa.array(given)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                column = None
            count = len(column) if column is not None else len(given)  # type: ignore[arg-type]
            if count != n:
                msg = f"spent must give one amount per table ({n} tables, {count} amounts)"
                raise InvalidValueError(msg, field="spent")
            self.spent_values = list(given) if column is None else column  # type: ignore[call-overload]
            if column is None:
                self.slow[:] = True
                self.spent = np.zeros(n, dtype=np.int64)
                return
            self.spent, ok = self._decimals(column)
            self.slow |= ~ok | (self.spent < 0)
            return
        payments = self.columns.payments
        if payments is None or payments.num_rows == 0:
            self.spent = np.zeros(n, dtype=np.int64)
            return
        raw = self._ints(payments.column("table"), -1)
        owner = np.searchsorted(self.numbers, raw) if n else np.zeros(len(raw), dtype=np.int64)
        date_column = payments.column("date")
        days = self._ints(date_column, 0)
        amount, amount_ok = self._decimals(payments.column("amount"), repeated=True)
        mine = (owner < n) & (self.numbers[np.minimum(owner, max(n - 1, 0))] == raw) if n else owner < 0
        rows = np.flatnonzero(mine)
        owner, days, amount = owner[mine], days[mine], amount[mine]
        bad = ~amount_ok[mine] | self._nulls(date_column)[mine]
        if owner.size > 1 and not np.all(owner[1:] >= owner[:-1]):
            order = np.argsort(owner, kind="stable")
            owner, days, amount, bad, rows = owner[order], days[order], amount[order], bad[order], rows[order]
        self.payment_owner, self.payment_rows = owner, rows
        self.slow[owner[bad]] = True
        start = self.start[owner]
        outside = (days < start) | (days > self.end[owner])
        self.outside[owner[outside]] = True
        counted = np.where(~outside & (days <= self.day[owner]), amount, 0)
        sums = np.zeros(n, dtype=np.int64)
        if owner.size:
            heads = np.flatnonzero(np.concatenate([[True], owner[1:] != owner[:-1]]))
            sums[owner[heads]] = np.add.reduceat(counted, heads)
            crowded = np.diff(np.append(heads, owner.size)) > _MAX_PAYMENTS
            self.slow[owner[heads[crowded]]] = True
        self.slow |= (sums < 0) | (sums > _LIMIT)
        self.spent = np.where(self.slow, 0, sums)

    # --- the figures --------------------------------------------------------------------------------

    def _plan_position(self, x: _Ints) -> None:
        """Where each date falls in its plan, asked of the plan once per distinct plan and date.

        The checkpoints passed, the percent of the last one passed, the year-end percent and the
        planned share as ``share / span`` (10⁻⁶ %, days), exactly
        (:meth:`~perftarget._values.schedule._Compiled.planned_fraction`).
        """
        np = self.np
        width = int(x.max()) + 1 if x.size else 1
        keys, inverse = np.unique(self.plan_index * width + x, return_inverse=True)
        found = np.zeros((len(keys), 5), dtype=np.int64)  # passed, last due, year end, share, span
        bad = np.zeros(len(keys), dtype=bool)
        policy = self.policy.interpolation
        for row, key in enumerate(keys.tolist()):
            plan = self.plans[key // width]
            if plan is None:
                found[row] = (0, 0, _PERCENT, 0, 1)
                continue
            day = key % width
            numerator, span = plan.planned_fraction(day, policy)
            figures = (_scaled(plan.last_due(day)), _scaled(plan.ys[-1]), _scaled(numerator))
            if None in figures:
                bad[row] = True
                found[row] = (0, 0, _PERCENT, 0, 1)
                continue
            found[row] = (plan.passed(day), *figures, span)
        self.slow |= bad[inverse]
        self.passed, self.last_due, self.year_end, self.share, self.span = found[inverse].T

    def compute(self) -> dict[str, Any]:
        """Every figure as text, and ``slow`` marking the tables the object path must do."""
        np = self.np
        budget, spent = self.budget, np.where(self.slow, 0, self.spent)
        x = np.where(self.slow, 0, self.x)
        self._plan_position(x)
        elapsed, length = np.where(self.slow, 0, self.elapsed), self.length
        figures: dict[str, _Ints] = {"budget": budget, "spent": spent}
        slow = self.slow.copy()
        execution = self._divide(100 * spent, budget, 6)
        slow |= execution[2]
        figures["execution_rate"], _ = self._round(execution[0], execution[1], budget)
        planned = (self.share // self.span, self.share % self.span, self.span)
        figures["planned_share"] = self._round(*planned)[0]
        time = self._divide(100 * elapsed, length, 6)
        figures["time_progress"] = self._round(time[0], time[1], length)[0]
        for name, other in (("gap_to_plan", planned), ("gap_to_time", (time[0], time[1], length))):
            gap = self._difference((execution[0], execution[1], budget), other)
            figures[name], tie = self._round(*gap)
            slow |= tie
        no_time = elapsed == 0
        ratio_divisor = budget * np.maximum(elapsed, 1)
        ratio = self._divide(100 * spent * length, ratio_divisor, 6)
        figures["ratio"], tie = self._round(ratio[0], ratio[1], ratio_divisor)
        slow |= ~no_time & (tie | ratio[2])
        status = self._status(ratio[0], ratio[1] == 0, no_time, slow)
        figures["projected_spent"], no_projection = self._projected(spent, elapsed, length, slow)
        missed = (self.passed > 0) & (execution[0] < self.last_due)
        flags = (~self.has_plan, self.outside, no_time, spent > budget, missed)
        self.slow = slow
        return self._text(figures, {"ratio": no_time, "projected_spent": no_projection}, status, flags)

    def _status(self, ratio: _Ints, exact: _Bools, no_time: _Bools, slow: _Bools) -> _Ints:
        """0 green, 1 yellow, 2 red, as the rulebook decides (:func:`status_lookup`).

        A ratio exactly on a cut-off goes to the object path (its 28-digit ratio may tip either way).
        """
        np = self.np
        lookup = status_lookup(self.policy)
        if lookup is None:
            slow[:] = True
            return np.zeros(self.n, dtype=np.int64)  # type: ignore[no-any-return]
        slow |= ~no_time & exact & np.isin(ratio, np.array(lookup[0], dtype=np.int64))
        return status_codes(np, lookup, ratio, no_time)

    def _projected(self, spent: _Ints, elapsed: _Ints, length: _Ints, slow: _Bools) -> tuple[_Ints, _Bools]:
        """全年预计执行数 in 10**-6 万元, and where there is none."""
        np = self.np
        if self.policy.projection == "plan":  # spent × year-end share / planned share
            none = self.share == 0
            gain, base = self.year_end * self.span, np.where(none, 1, self.share)
            safe = spent <= _INT64_MAX // np.maximum(gain, 1)
            if not safe.all():  # reduce the fraction where the product would not fit
                common = np.where(safe, 1, np.gcd(gain, base))
                gain, base = gain // common, base // common
                safe = spent <= _INT64_MAX // np.maximum(gain, 1)
            projected = self._divide(np.where(safe, spent, 0) * gain, base, 0)
            figure, tie = self._round(projected[0], projected[1], base)
            slow |= ~none & (tie | ~safe | projected[2])
            return figure, none
        none = elapsed == 0  # straight line: spent × days in the year / days elapsed
        steps = np.maximum(elapsed, 1)
        projected = self._divide(spent * length, steps, 0)
        figure, tie = self._round(projected[0], projected[1], steps)
        slow |= ~none & (tie | projected[2])
        return figure, none

    def _text(
        self, figures: dict[str, _Ints], empty: dict[str, _Bools], status: _Ints, flags: tuple[_Bools, ...]
    ) -> dict[str, Any]:
        np, pa, pc = self.np, self.pa, self.pc
        text: dict[str, Any] = {name: self._format(figures[name]) for name in _FIGURES}
        for name, where in empty.items():
            if where.any():
                text[name] = pc.if_else(pa.array(where), "", text[name])
        code = np.zeros(self.n, dtype=np.int64)
        for bit, flag in enumerate(flags):
            code |= flag.astype(np.int64) << bit
        names = [" ".join(c for b, c in enumerate(_FINDINGS) if mask >> b & 1) for mask in range(1 << len(_FINDINGS))]
        text["status"] = pa.array(_STATUSES).take(pa.array(status))
        text["findings"] = pa.array(names).take(pa.array(code))
        text["as_of"] = self.as_of_text
        return text

    def _format(self, values: _Ints) -> Any:  # noqa: ANN401 - a pyarrow array
        """Integers of 10**-6 as decimal text: ``56300813`` → ``56.300813``, ``-500000`` → ``-0.5``."""
        pa, pc, np = self.pa, self.pc, self.np
        if values.size > 1 and np.all(values == values[0]):  # one figure for every table (time progress, often)
            return pa.array([self._format(values[:1])[0].as_py()]).take(pa.array(np.zeros(values.size, np.int64)))
        negative = values < 0
        magnitude = np.abs(values)
        # 10**k + magnitude, k its digits but at least 7, prints "1" and the digits with one before the
        # point: 10**7 + 500000 is "10500000"; a point 6 from the end, trailing zeros off, and the
        # leading "1" gives way to the sign: "0.5", "-0.5"
        digits = np.maximum(np.searchsorted(self.powers, magnitude, side="right"), 7)
        text = pc.cast(pa.array(magnitude + self.powers[digits]), pa.string())
        text = pc.binary_replace_slice(text, start=-6, stop=-6, replacement=".")
        text = pc.utf8_rtrim(pc.utf8_rtrim(text, characters="0"), characters=".")
        positive = pc.binary_replace_slice(text, start=0, stop=1, replacement="")
        if not negative.any():
            return positive
        return pc.if_else(pa.array(negative), pc.binary_replace_slice(text, start=0, stop=1, replacement="-"), positive)

    # --- the object path --------------------------------------------------------------------------

    def object_rows(self, indices: list[int]) -> list[dict[str, str]]:
        """The rows of tables the kernel does not do, by :func:`perftarget.monitor` on rebuilt tables."""
        pa = self.pa
        rows = self.tables.take(pa.array(indices, pa.int64())).to_pylist()
        payments: dict[int, list[dict[str, Any]]] = {index: [] for index in indices}
        if self.spent_given is None and self.payment_owner.size:
            np = self.np
            wanted = np.array(indices, dtype=np.int64)
            low = np.searchsorted(self.payment_owner, wanted, side="left")
            high = np.searchsorted(self.payment_owner, wanted, side="right")
            chosen = np.concatenate([self.payment_rows[a:b] for a, b in zip(low.tolist(), high.tolist(), strict=True)])
            place = {int(self.numbers[index]): index for index in indices}
            for item in self.columns.payments.take(pa.array(chosen, pa.int64())).to_pylist():
                payments[place[item["table"]]].append(item)
        out = []
        for index, row in zip(indices, rows, strict=True):
            out.append(self._object_row(index, row, payments[index]))
        return out

    def _object_row(self, index: int, row: dict[str, Any], payments: list[dict[str, Any]]) -> dict[str, str]:
        base = {"file": row["file"] or "", "project_code": row["project_code"] or "",
                "project_name": row["project_name"] or ""}
        try:
            project = _rebuild(row)
        except (PerftargetError, TypeError, ValueError) as exc:
            return {**base, "error": f"tables[{index}]: {_reason(exc)}"}
        try:
            if self.spent_values is not None:
                value = self.spent_values[index]
                spent: object = value.as_py() if hasattr(value, "as_py") else value
            else:
                spent = [Payment(item["date"], item["amount"]) for item in payments]
            report = monitor(project, spent=spent, as_of=self.as_of, policy=self.policy)  # type: ignore[arg-type]
        except PerftargetError as exc:
            return {**base, "error": _reason(exc)}
        return {**base, **_report_row(report)}


def _time_fraction(day: dt.date | None, start: dt.date, policy: MonitoringPolicy) -> tuple[int, int] | None:
    """The rulebook's 序时进度 on ``day`` as ``(elapsed, length)``, or ``None`` outside the year."""
    if day is None:
        return None
    try:
        return elapsed(day, start, by=policy.time_basis)
    except PerftargetError:
        return None


_STATUS_CODES: Final = {Status.GREEN: 0, Status.YELLOW: 1, Status.RED: 2}


def status_lookup(policy: MonitoringPolicy) -> tuple[tuple[int, ...], tuple[int, ...], int] | None:
    """The policy's status band as the kernel reads it, every decision asked of the rulebook.

    Returns the cut-offs (integers of 10⁻⁶ %, sorted, distinct), the status code (0 green,
    1 yellow, 2 red) of each open region they bound (below the first, between each pair,
    above the last) and the code for no ratio; ``None`` when a cut-off is not a whole number
    of 10⁻⁶ within the kernel's range. Each region's code is
    :func:`perftarget._rulebook.progress.status_band` at the region's midpoint (half a step
    of 10⁻⁶ outside the outer cut-offs); the band changes only at its cut-offs, which the
    tests check over every region and at every cut-off.
    """
    red, yellow = _scaled(policy.red_below), _scaled(policy.yellow_below)
    if red is None or yellow is None:
        return None
    cuts = tuple(sorted({red, yellow}))
    halves = [2 * cuts[0] - 1, *(a + b for a, b in pairwise(cuts)), 2 * cuts[-1] + 1]
    codes = tuple(_STATUS_CODES[policy.status_for(Decimal(half).scaleb(-6) / 2)] for half in halves)
    return cuts, codes, _STATUS_CODES[policy.status_for(None)]


def status_codes(
    np: Any,  # noqa: ANN401 - the numpy module
    lookup: tuple[tuple[int, ...], tuple[int, ...], int],
    ratio: _Ints,
    no_time: _Bools,
) -> _Ints:
    """The status code of each ratio (its floor in 10⁻⁶ %, the exact value not on a cut-off) by region."""
    cuts, codes, none = lookup
    region = np.searchsorted(np.array(cuts, dtype=np.int64), ratio, side="right")
    return np.where(no_time, none, np.array(codes, dtype=np.int64)[region])  # type: ignore[no-any-return]


def _label_date(label: str, year: int, start_month: int) -> dt.date | None:
    """The date a label names in a fiscal year, or ``None`` when it names none."""
    try:
        return checkpoint_date(label, year, start_month)
    except InvalidValueError:
        return None


def _rebuild(row: dict[str, Any]) -> ProjectTargets:
    """The project table a row of ``tables`` describes, as far as monitoring needs it."""
    schedule = None
    if row["plan_start_month"] is not None:
        dates = row["plan_dates"] or []
        percents = row["plan_percents"] or []
        if len(dates) != len(percents):
            msg = f"plan_dates has {len(dates)} checkpoints, plan_percents {len(percents)}"
            raise InvalidValueError(msg, field="plan_percents")
        schedule = SpendingSchedule(
            fiscal_year=row["year"],
            checkpoints=tuple(Checkpoint(date=d, percent=p) for d, p in zip(dates, percents, strict=True)),
            multi_year=bool(row["plan_multi_year"]),
            start_month=row["plan_start_month"],
        )
    if row["budget"] is None:
        raise InvalidValueError("the budget is missing", field="budget")
    return ProjectTargets(
        unit=Unit("", row["unit"] or ""),
        code=row["project_code"] or "",
        name=row["project_name"] or "",
        year=row["year"],
        budget=Budget(total=row["budget"]),
        schedule=schedule,
    )


def _report_row(report: MonitoringReport) -> dict[str, str]:
    """The figures of a report, printed by the columnar rule (6 places, half up, trimmed)."""
    return {
        "as_of": report.as_of.isoformat(),
        "budget": _six(report.budget),
        "spent": _six(report.spent),
        "execution_rate": _six(report.execution_rate),
        "planned_share": _six(report.planned_share),
        "time_progress": _six(report.time_progress),
        "gap_to_plan": _six(report.gap_to_plan),
        "gap_to_time": _six(report.gap_to_time),
        "ratio": _six(report.ratio),
        "status": report.status.value,
        "projected_spent": _six(report.projected_spent),
        "findings": " ".join(report.finding_codes()),
    }


def _run(
    columns: Columns, *, as_of: object, spent: object, policy: MonitoringPolicy
) -> tuple[Any, list[int]]:
    """The result table, and the tables that went through the object path."""
    kernel = _Kernel(columns, as_of, spent, policy)
    pa = kernel.pa
    kernel.read_tables()
    kernel.read_as_of()
    kernel.read_spent()
    text = kernel.compute()
    tables = kernel.tables
    schema = result_schema("monitor", "table")
    data: dict[str, Any] = {}
    for name in schema.names:
        if name in text:
            data[name] = text[name]
        elif name == "error":
            data[name] = pa.array([""] * kernel.n, pa.string())
        else:
            data[name] = tables.column(name).fill_null("")
    slow = [int(i) for i in kernel.np.flatnonzero(kernel.slow)]
    if slow:
        rows = kernel.object_rows(slow)
        for name in schema.names:
            if name not in _KEPT:
                replacements = pa.array([row.get(name, "") for row in rows], pa.string())
                data[name] = _put_back(kernel, data[name], slow, replacements)
    return pa.table(data, schema=schema), slow


def _put_back(kernel: _Kernel, column: Any, rows: list[int], values: Any) -> Any:  # noqa: ANN401 - pyarrow
    """``column`` with ``values`` in ``rows``: a few rows as chunks between slices (no copy), many by a take."""
    pa, np = kernel.pa, kernel.np
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if len(rows) <= _FEW:
        pieces: list[Any] = []
        start = 0
        for position, row in enumerate(rows):
            pieces.extend((column.slice(start, row - start), values.slice(position, 1)))
            start = row + 1
        pieces.append(column.slice(start))
        return pa.chunked_array(pieces, pa.string())
    index = np.arange(len(column))
    index[rows] = len(column) + np.arange(len(rows))
    return pa.concat_arrays([column, values]).take(pa.array(index))


def monitor_columns(
    columns: Columns,
    *,
    as_of: dt.date | str,
    spent: object = None,
    policy: MonitoringPolicy | None = None,
    per: Literal["table"] = "table",
) -> Any:  # noqa: ANN401 - a pyarrow.Table
    """Monitor every project table of a batch at once: one row per table, as the batch results.

    The columns and their order are those of
    :func:`perftarget.batch.result_columns` ``("monitor", "table")``; every figure is
    printed rounded half up to 6 decimal places, trailing zeros trimmed (see the module
    notes for why and for the tables that go through :func:`perftarget.monitor`).

    Args:
        columns: the batch (:func:`perftarget.columnar.flatten`, or your own tables).
        as_of: the date of the check, inclusive, in every table's fiscal year; a label such
            as ``"7月底"`` is read in each table's own fiscal year.
        spent: spent to date, one amount per table (a pyarrow or pandas column, a numpy
            array or a list: decimal text in 万元, decimals or integers); by default the
            sum of ``columns.payments`` dated in the fiscal year on or before ``as_of``.
        policy: the rules to apply (defaults: :class:`~perftarget.MonitoringPolicy`).
        per: ``"table"``; a batch holds no progress to date of indicators, so there are
            no per-indicator rows to give.

    Returns:
        A :class:`pyarrow.Table` of text columns, one row per table in table order; a table
        that cannot be monitored has its reason in ``error`` and empty figures.

    Raises:
        InvalidValueError: ``per`` is not ``"table"``, ``spent`` does not give one amount per
            table, or ``tables.table`` does not number the tables in increasing order.
        MissingDependencyError: ``pyarrow`` (with numpy) is not installed.

    .. versionadded:: 0.1.0
    """
    if per != "table":
        msg = (
            f"monitor_columns gives one row per table (per='table', got {per!r}): a batch holds no progress "
            "to date of indicators; monitor indicators with perftarget.batch.process_record"
        )
        raise InvalidValueError(msg, field="per", value=per)
    if policy is not None and not isinstance(policy, MonitoringPolicy):
        msg = f"policy must be a MonitoringPolicy (got {type(policy).__name__})"
        raise InvalidValueError(msg, field="policy", value=policy)
    table, _ = _run(columns, as_of=as_of, spent=spent, policy=policy or _DEFAULT_POLICY)
    return table
