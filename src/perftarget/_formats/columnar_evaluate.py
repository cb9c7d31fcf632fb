"""Self-evaluation (绩效自评) of a whole batch a column at a time.

:func:`evaluate_columns` scores every indicator of a :class:`~perftarget.columnar.Columns`
batch with the same rules as :func:`perftarget.evaluate`, but with numpy over whole
columns: each distinct target, weight and actual text is read once, every score is exact
integer arithmetic, and the explanation of every score (the formula with its numbers) is
put together by Arrow's string kernels.

The rules are the rulebook's (:mod:`perftarget._rulebook.scoring`), not a copy: the formula
of each row is the case the rulebook's decision table gives for its facts (the kernel looks
them up in ``case_table``, the whole table generated from ``decide``), its ratio is the
formula's own pair of terms, its text the case's pieces; each table's weights are
``indicator_weights`` called once per distinct table shape (labels, 无 rows and weights
given, in order), and the bands' shares are the policy's.

Exact numbers: amounts, values and weights are held as integers of 10⁻⁶ (a value with more
decimals, or beyond 10⁹, sends its table to the object path), weights as exact fractions
(``50 / 3``), and every score as the exact quotient truncated to ten decimals, from which
the six decimals printed are rounded half up; the grade is decided on the exact total
(a total within 10⁻⁹ of a grade bound, or of a rounding tie, is recomputed by the object
path). No float takes part in any amount, score or comparison.

Every figure of the result is printed rounded half up to **6 decimal places** (trailing
zeros trimmed; :func:`perftarget.batch.process_folder` prints the object path's full
28-digit decimals instead), and the formulas are those of the object path, character for
character, ``=`` and ``≈`` included. The texts that repeat (``file``, ``project_code``,
``project_name``, ``path``, ``level1``, ``level2``, ``indicator``, ``target``, ``weight``,
``score``, ``rule``, ``formula``) come dictionary-encoded in the per-indicator result: a
formula is put together once per distinct combination of template, actual, target, weight
and band, which in a province is about one row in ten.

A table the kernel does not do exactly goes, whole, through :func:`perftarget.evaluate`
(lenient) and its rows are put back in place: tables with a missing, unreadable or
negative actual, a score set by hand or given with a band, a blank target (none printed), a unit conversion the kernel
does not hold, weights the rulebook finds a problem with or that do not add up to 100,
level labels outside the policy, no amount spent, and every table under a policy with ``not_applicable = "rescale"``,
the 90 %-minus-one budget rule or points per goal block (``goal_points``). Such tables give the same rows,
problems included.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Any, Final, Literal

from perftarget._formats.columnar import Columns, clean_columns, dictionary_texts, kernel_modules, text_codes
from perftarget._formats.columnar import scaled as _micro
from perftarget._formats.columnar import six_places as _six
from perftarget._formats.results import evaluation_rows, result_columns, result_schema
from perftarget._formats.results import result_row as _row
from perftarget._judge.evaluate import _CONTEXT, ProjectEvaluation, _band, _evaluate, _Invalid
from perftarget._model.actuals import Actual, ExplicitScore
from perftarget._model.targets import Indicator
from perftarget._rulebook.scoring import (
    CASES,
    FACTS,
    FORMULAS,
    OVER_CASES,
    Rules,
    ScoringPolicy,
    add_up,
    case_table,
    indicator_weights,
    policy_of,
    rules_of,
    score,
)
from perftarget._rulebook.scoring import number_text as _n
from perftarget._values.threshold import Achievement, Comparator, Threshold, ThresholdKind
from perftarget._values.units import convert, dimension_of, parse_quantity
from perftarget.exceptions import InvalidValueError, PerftargetError, ThresholdSyntaxError, UnitMismatchError

__all__ = ["evaluate_columns"]

_M6: Final = 10**6
_POWER_OF_FIVE: Final = 5**27  # the largest power of 5 below 2**63: holds every factor 5 of an int64
_LIMIT6: Final = 10**15  # values below 10**9, held as integers of 10**-6
_SAFE: Final = 2**62
_DIVISOR_LIMIT: Final = 9 * 10**13  # a remainder times 10**5 stays below 2**63

# target kinds and rule forms, as small integers for numpy
_NA, _QUAL, _QUANT = 0, 1, 2
_GE, _EQ, _LE, _BETWEEN = 0, 1, 2, 3
_COMPARATOR_CODE: Final = {
    Comparator.GE: _GE, Comparator.GT: _GE, Comparator.EQ: _EQ, Comparator.LE: _LE, Comparator.LT: _LE,
    Comparator.BETWEEN: _BETWEEN,
}

# the formula templates are the cases of the rulebook's decision table: (rule, pieces), where a piece
# is a literal or one of {b}, {a}, {u}, {w}, {s} (the score shown), {band}, {share}
_TEMPLATES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = tuple((case.rule, case.text) for case in CASES)

_BANDS: Final = tuple(Achievement)
_POOR: Final = "差"
_SPLICE_LIMIT: Final = 256
_WIDE: Final = Context(prec=100)  # for rounding a 28-digit score to display places, whatever its size
_REPEATED: Final = (
    "file", "project_code", "project_name", "path", "level1", "level2", "indicator", "target", "weight", "score",
    "rule", "formula",
)
_HALF: Final = 5_000  # half of the 10**-6 step, in 10**-10
_WEIGHT_DENOMINATOR: Final = 10**9  # a share of a level's points: points of 10**-6 over a few hundred rows
_T_SCORED: Final = tuple(number for number, (_rule, pieces) in enumerate(_TEMPLATES) if "{s}" in pieces)
# the templates of 正向 scoring (≥, >, = above 0, rate × weight): where over-achievement is flagged
_AT_LEAST: Final = tuple(number in OVER_CASES for number in range(len(CASES)))
# the templates scored min(rate, 100 %) × weight: the whole weight from 100 %
_T_RATE: Final = tuple(number for number, case in enumerate(CASES) if case.formula == "rate")
# each template's score: the whole weight, nothing, or a ratio times the weight, as (top, bottom) terms
_WHOLE, _NOTHING, _RATIO = 1, 2, 3
_ROLES: Final = tuple(
    _WHOLE if case.formula == "full" else (_NOTHING if FORMULAS[case.formula].ratio is None else _RATIO)
    for case in CASES
)
_RATIO_TERMS: Final = tuple(FORMULAS[case.formula].ratio for case in CASES)
# the ratios of two amounts (not of a constant): an endless decimal there may round in the object path
_T_RATIOS: Final = tuple(
    number for number, terms in enumerate(_RATIO_TERMS) if terms is not None and terms[1] not in {"1", "100"}
)
# which texts each template shows: the actual, the target's bound, its upper bound, the weight, the band
_USES: Final = tuple(
    tuple(int(piece in pieces or (piece == "{w}" and "{s}" in pieces)) for _rule, pieces in _TEMPLATES)
    for piece in ("{b}", "{a}", "{u}", "{w}", "{band}")
)
# the kernel's target kinds and comparator codes, as the rulebook's comparator groups (see FACTS)
_GROUP_OF_KIND: Final = (0, 1)  # 无, 定性
_GROUP_OF_COMPARATOR: Final = (2, 3, 4, 5)  # ≥ >, =, ≤ <, range


def _scaled(value: Decimal) -> int | None:
    """``value`` as an integer of 10**-6, or ``None`` when that is not exact or too large."""
    return _micro(value, _LIMIT6)


class _Kernel:
    """The arrays of one call; methods fill them step by step."""

    def __init__(self, columns: Columns, c: Rules, policy: ScoringPolicy) -> None:
        self.pa, self.pc, self.np = kernel_modules("perftarget.columnar.evaluate_columns")
        columns = clean_columns(columns, self.pa, self.pc, self.np)
        self.columns = columns
        self.c = c
        self.policy = policy
        self.ind = _complete(self.pa, columns.indicators, "indicators", _INDICATOR_COLUMNS)
        self.tab = _complete(self.pa, columns.tables, "tables", _TABLE_COLUMNS)
        np = self.np
        self.n = int(self.ind.num_rows)
        self.t = int(self.tab.num_rows)
        self.table_of = self._ints(self.ind.column("table"))
        numbers = self._ints(self.tab.column("table"))
        if self.t > 1 and bool((numbers[1:] <= numbers[:-1]).any()):
            msg = "tables.table must number the tables in increasing order, each once (flatten() gives 0, 1, 2…)"
            raise InvalidValueError(msg, field="tables.table", value=None)
        if self.n > 1 and bool((self.table_of[1:] < self.table_of[:-1]).any()):
            msg = "indicators must come table by table (indicators.table never decreasing), as flatten() gives them"
            raise InvalidValueError(msg, field="indicators.table", value=None)
        # the table numbers as positions 0…t-1, so that a partition of a larger batch works as it is
        # (numbers increasing from 0 to t-1 are those positions already, as flatten() gives them)
        if self.t and numbers[0] == 0 and numbers[-1] == self.t - 1:
            positions = self.table_of
            outside = bool(self.n) and (self.table_of[0] < 0 or self.table_of[-1] >= self.t)
        else:
            positions = np.searchsorted(numbers, self.table_of) if self.t else np.zeros(self.n, dtype=np.int64)
            outside = bool(self.t) and (
                bool((positions >= self.t).any())
                or bool((numbers[np.minimum(positions, self.t - 1)] != self.table_of).any())
            )
        if self.n and (not self.t or outside):
            msg = "indicators.table refers to a table that is not in tables"
            raise InvalidValueError(msg, field="indicators.table", value=None)
        self.table_of = np.asarray(positions, dtype=np.int64)
        # each table's rows are table_of[starts[i]:ends[i]] (the rows come table by table)
        self.ends = np.searchsorted(self.table_of, np.arange(self.t), side="right")
        self.starts = np.concatenate([[0], self.ends[:-1]]).astype(np.int64) if self.t else self.ends
        self.slow = np.zeros(self.t, dtype=bool)
        # filled in by _score
        self.exact: Any = None
        self.t_idx: Any = None
        self.target_texts: tuple[Any, Any] = (None, None)
        self.thresholds: dict[int, Threshold | None] = {}
        self.target_dict: Any = None
        self.spent6: Any = None
        self.budget6: Any = None
        self.budget10: Any = None
        self.budget_exact: Any = None
        self.rate10: Any = None
        self.rate_exact: Any = None
        self.w10_distinct: Any = None

    # --- helpers ---------------------------------------------------------------------------

    def _ints(self, column: Any) -> Any:  # noqa: ANN401 - numpy arrays
        return self.np.asarray(column.to_numpy(zero_copy_only=False), dtype=self.np.int64)

    def encode_array(self, name: str) -> tuple[Any, Any]:
        """Indices into the distinct values of a text column (-1 for null), and those values as Arrow."""
        return _encode_array(self.pc, self.np, self.ind.column(name))

    def encode(self, name: str) -> tuple[Any, list[str | None]]:
        """Indices into the distinct values of a text column (-1 for null), and those values."""
        indices, values = _encode_array(self.pc, self.np, self.ind.column(name))
        return indices, values.to_pylist()

    def scaled_column(self, column: Any) -> tuple[Any, Any]:  # noqa: ANN401
        """Decimal texts as integers of 10**-6, and where that is exact (null and bad texts: not)."""
        pa, pc, np = self.pa, self.pc, self.np
        array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        count = len(array)
        try:
            decimals = pc.cast(array, pa.decimal128(38, 6))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = np.zeros(count, dtype=np.int64)
            ok = np.zeros(count, dtype=bool)
            for index, text in enumerate(array.to_pylist()):
                try:
                    scaled = None if text is None else _scaled(Decimal(text))
                except InvalidOperation:
                    scaled = None
                if scaled is not None:
                    values[index], ok[index] = scaled, True
            return values, ok
        start = 2 * decimals.offset
        words = np.frombuffer(decimals.buffers()[1], dtype=np.int64)[start : start + 2 * count]
        words = words.reshape(-1, 2) if count else np.zeros((0, 2), dtype=np.int64)
        low, high = words[:, 0], words[:, 1]
        valid = np.asarray(decimals.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        ok = valid & (high == np.where(low < 0, -1, 0)) & (np.abs(low) < _LIMIT6)
        return np.where(ok, low, 0), ok

    def threshold(self, index: int) -> Threshold | None:
        """The parsed target of distinct target ``index``."""
        cache = self.thresholds
        if index not in cache:
            cache[index] = _parse_target(self.target_dict[index].as_py())
        return cache[index]

    def terminating(self, top: Any, bottom: Any) -> Any:  # noqa: ANN401 - numpy arrays
        """Whether each ``top / bottom`` is a finite decimal (its reduced denominator has no prime but 2 and 5)."""
        np = self.np
        bottom = np.where(bottom == 0, 1, np.abs(bottom))
        q = bottom // np.gcd(top, bottom)  # the reduced denominator (at least 1)
        q //= q & -q  # without its factors 2 (the lowest bit set is the largest power of 2 dividing it)
        q //= np.gcd(q, _POWER_OF_FIVE)  # and without its factors 5
        return q == 1

    def per_table(self, values: Any) -> Any:  # noqa: ANN401 - numpy arrays
        """The sum of ``values`` (integers, one per row) over each table's rows.

        Differences of a running sum: in int64 the running sum may wrap around, but the
        difference is exact wherever the table's own sum fits, as with a sum table by table.
        """
        np = self.np
        running = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(values, out=running[1:], dtype=np.int64)
        return running[self.ends] - running[self.starts]

    def flag(self, rows: Any) -> None:  # noqa: ANN401 - a boolean row mask
        """Send the tables of the flagged rows to the object path."""
        if rows.any():
            self.slow[self.table_of[rows]] = True

    def divide(self, num: Any, den: Any) -> tuple[Any, Any]:  # noqa: ANN401
        """``num / den`` truncated to 10 decimals (as an integer of 10**-10) and whether that is exact."""
        np = self.np
        den = np.where(den == 0, 1, den)
        q0, r = np.divmod(num, den)
        t1, r = np.divmod(r * 100_000, den)
        t2, r = np.divmod(r * 100_000, den)
        return q0 * 10**10 + t1 * 100_000 + t2, r == 0

    def text6(self, s10: Any) -> Any:  # noqa: ANN401 - an Arrow string array
        """Integers of 10**-10 (non-negative) as text rounded half up to 6 places, trailing zeros trimmed."""
        s6 = (s10 + _HALF) // 10_000
        return self.decimal_text(s6, 6, trim=True)

    def decimal_text(self, scaled: Any, places: int, *, trim: bool) -> Any:  # noqa: ANN401
        pa, pc, np = self.pa, self.pc, self.np
        count = len(scaled)
        words = np.zeros((count, 2), dtype=np.int64)
        words[:, 0] = scaled
        words[:, 1] = np.where(scaled < 0, -1, 0)
        array = pa.Array.from_buffers(pa.decimal128(38, places), count, [None, pa.py_buffer(words)])
        text = pc.cast(array, pa.string())
        if trim and places:
            text = pc.utf8_rtrim(pc.utf8_rtrim(text, "0"), ".")
        return text


_NUMBER_PATTERN: Final = r"^(?P<num>(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,6})?)(?P<unit>[^0-9.,，．].*)?$"


_TARGET_PATTERN: Final = (
    r"^(?P<op>[≥≤><=])?(?P<num>(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,6})?)(?P<unit>[^0-9.,，．~～至\-].*)?$"
)
_OPERATOR_CODE: Final = {"": _GE, "≥": _GE, ">": _GE, "≤": _LE, "<": _LE, "=": _EQ}


def _parse_target(text: str | None) -> Threshold | None:
    try:
        return Threshold.parse(text or "")
    except (ThresholdSyntaxError, UnitMismatchError):
        return None


def _canonical_unit(unit: str) -> str | None:
    """The unit as perftarget names it, or ``None`` when the text is not a plain unit (``万人次``: a multiplier)."""
    if not unit:
        return ""
    try:
        value, name = _parse_quantity("1" + unit)
        if Threshold.parse("≤1" + unit).deadline is not None:  # ≤10月底: a date (a deadline), read one by one
            return None
    except (ThresholdSyntaxError, InvalidValueError, UnitMismatchError):
        return None
    return name if value == 1 else None


def _unit_codes(k: _Kernel, texts: Any, unit_ids: dict[str, int]) -> Any:  # noqa: ANN401 - Arrow, numpy
    """The number of the unit each of ``texts`` names (-1: not a plain unit), numbering new units in ``unit_ids``.

    The unit texts of a batch are few: each distinct one is read once, and the numbers are
    spread to the texts with numpy.
    """
    np = k.np
    index, distinct = _encode_array(k.pc, np, texts)
    codes = [-1 if name is None else unit_ids.setdefault(name, len(unit_ids))
             for name in map(_canonical_unit, distinct.to_pylist())]
    return np.asarray(codes or [-1], dtype=np.int64)[np.maximum(index, 0)]


def _encode_array(pc: Any, np: Any, column: Any) -> tuple[Any, Any]:  # noqa: ANN401
    """Indices into the distinct values of a text column (-1 for null), and those values (Arrow).

    A dictionary-encoded column (as :func:`perftarget.columnar.flatten` writes repeated texts, a
    pandas categorical, Parquet) is taken as it is (see :func:`text_codes`).
    """
    import pyarrow as pa  # noqa: PLC0415 - only reached through the columnar entry points

    return text_codes(column, pa, pc, np)


# the columns the kernel reads: required (True) or filled with nulls when absent (False)
_TABLE_COLUMNS: Final = {
    "table": True, "project_code": True, "project_name": False, "file": False, "year": False, "budget": True,
    "spent": True, "actuals_budget": False,
}
_INDICATOR_COLUMNS: Final = {
    "table": True, "path": True, "level1": True, "level2": False, "name": True, "target": True, "weight": False,
    "key": False, "actual": True, "actual_score": False, "explicit_score": False, "reason": False,
}


_EMPTY_TEXT: Final = frozenset({"file", "project_name", "level2", "reason"})


def _complete(pa: Any, table: Any, what: str, wanted: Mapping[str, bool]) -> Any:  # noqa: ANN401 - pyarrow
    """``table`` with the optional columns it lacks added as nulls; an error naming the required ones missing."""
    present = set(table.column_names)
    missing = [name for name, required in wanted.items() if required and name not in present]
    if missing:
        msg = f"{what} lacks the column(s) {', '.join(missing)} (see perftarget.columnar for the layout)"
        raise InvalidValueError(msg, field=what, value=None)
    for name, required in wanted.items():
        if not required and name not in present:
            if name in _EMPTY_TEXT:
                column = pa.repeat(pa.scalar("", pa.string()), table.num_rows)
            else:
                column = pa.nulls(table.num_rows, pa.int32() if name == "year" else pa.string())
            table = table.append_column(name, column)
    return table


def _table_shapes(k: _Kernel, codes: Any) -> tuple[Any, list[bytes]]:  # noqa: ANN401 - numpy
    """Each table's shape (the bytes of its rows' codes, in order): an index per table, and the distinct shapes.

    The rows come table by table, so a table's codes are one slice of ``codes``: the shapes are
    a binary column over the same buffer, dictionary-encoded by Arrow.
    """
    np, pa, pc = k.np, k.pa, k.pc
    if not k.t:
        return np.zeros(0, dtype=np.int64), []
    bounds = np.concatenate([k.starts, k.ends[-1:]]).astype(np.int64) * 8
    keys = pa.Array.from_buffers(pa.large_binary(), k.t, [None, pa.py_buffer(bounds), pa.py_buffer(codes.tobytes())])
    encoded = pc.dictionary_encode(keys)
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return indices, encoded.dictionary.to_pylist()


def _weight_fraction(weight: Decimal) -> tuple[int, int] | None:
    """(numerator, denominator) of the fraction the rulebook's weight is the 28-digit quotient of, if small.

    A share such as 50 / 3 is the Decimal ``16.66...67``: the kernel holds it as 50 / 3, which
    it checks divides back to that Decimal. ``None`` when no fraction within int64 does.
    """
    exact = Fraction(weight)
    candidate = exact.limit_denominator(_WEIGHT_DENOMINATOR)
    with localcontext(_CONTEXT):
        if Decimal(candidate.numerator) / Decimal(candidate.denominator) != weight:
            candidate = exact
    if candidate.numerator >= _SAFE // _LIMIT6 or candidate.denominator >= _DIVISOR_LIMIT:
        return None
    return candidate.numerator, candidate.denominator


def _fraction(value: Decimal) -> tuple[int, int]:
    num, den = value.as_integer_ratio()
    return num, den


def evaluate_columns(
    columns: Columns,
    *,
    policy: ScoringPolicy | str | None = None,
    per: Literal["table", "indicator"] = "table",
) -> Any:  # noqa: ANN401 - a pyarrow.Table
    """Score every table of a batch, a column at a time; one row per table or per indicator.

    The result has the columns of :func:`perftarget.batch.result_columns` (``"evaluate"``,
    ``per``) and the same values as the object path, each figure printed rounded half up to
    6 places. The actual of each indicator is the ``actual`` column; the amount spent the
    tables' ``spent`` column (a table without it is scored by the object path, which
    leaves budget execution unscored).

    Args:
        columns: the batch (:func:`perftarget.columnar.flatten`, or your own tables).
        policy: a :class:`~perftarget.ScoringPolicy` or a preset name (``national-2020``).
        per: ``"table"`` (one row per project table) or ``"indicator"``.

    Raises:
        InvalidValueError: a required column is missing, the tables are not in increasing order of
            ``table``, the indicators not table by table, or ``per`` is unknown.
        MissingDependencyError: ``pyarrow`` (the ``columnar`` extra) is missing.

    .. versionadded:: 0.1.0
    """
    if per not in {"table", "indicator"}:
        msg = f"'per' must be 'table' or 'indicator' (got {per!r})"
        raise InvalidValueError(msg, field="per", value=per)
    chosen = policy_of(policy)
    k = _Kernel(columns, rules_of(chosen), chosen)
    with localcontext(_CONTEXT):
        scores = _score(k)
    return _results(k, scores, per)


class _Scores:
    """What the fast path computed, per indicator row and per table."""

    __slots__ = (
        "applicable", "b_text", "band", "full", "over", "rule", "s10", "share_text", "table_total", "w10", "w_text",
    )

    applicable: Any  # bool per row: not a 无 row
    b_text: tuple[Any, Any]  # the actual in the target's unit as formulas write it: (distinct texts, index per row)
    band: Any  # the band of a qualitative row (index into Achievement), -1 otherwise
    full: Any  # bool per row: the score is the whole weight
    over: Any  # bool per row: over-achieved
    rule: Any  # the formula template of each row (an index into _TEMPLATES)
    s10: Any  # each score truncated to 10 decimals, as an integer
    share_text: list[str]  # each band's default share, as formulas write it
    table_total: Any  # each table's total truncated to 10 decimals, as an integer
    w10: Any  # each weight truncated to 10 decimals, as an integer
    w_text: tuple[Any, Any]  # each weight as formulas write it: (distinct texts, index per row)


def _score(k: _Kernel) -> _Scores:  # noqa: C901, PLR0912, PLR0915 - one pass, step by step
    np, pa, pc, c = k.np, k.pa, k.pc, k.c
    n = k.n
    out = _Scores()
    if c.rescale or c.budget_90 or c.by_goal or c.sum_rounded:  # goal blocks, printed 总分: object path
        k.slow[:] = True
    # the tables' amounts: spent, and the budget the evaluation uses
    spent6, spent_ok = k.scaled_column(k.tab.column("spent"))
    budget6, budget_ok = k.scaled_column(_coalesce(k, "actuals_budget", "budget"))
    k.spent6, k.budget6 = spent6, budget6
    k.slow |= ~spent_ok | ~budget_ok | (spent6 < 0)
    k.slow |= budget6 <= 0
    k.slow |= budget6 >= _DIVISOR_LIMIT // 100
    # targets: the usual ≥95% / ≤10万元 read a column at a time, the rest (words, ranges…) one by one
    t_idx, t_dict = k.encode_array("target")
    k.t_idx = t_idx
    nt = len(t_dict)
    match = pc.extract_regex(t_dict, _TARGET_PATTERN)
    t_ok = np.asarray(match.is_valid().to_numpy(zero_copy_only=False), dtype=bool) if nt else np.zeros(0, bool)
    value_text = pc.if_else(match.is_valid(), match.field("num"), "0") if nt else pa.array([], pa.string())
    a6u, value_ok = k.scaled_column(value_text)
    t_ok &= value_ok
    operators = pc.fill_null(match.field("op"), "") if nt else pa.array([], pa.string())
    op_idx, op_texts = _encode_array(pc, np, operators)
    op_codes = np.asarray([_OPERATOR_CODE[o] for o in op_texts.to_pylist()] or [0], dtype=np.int64)
    # units are numbered once for targets and actuals alike (-1: not a plain unit), per distinct unit text
    unit_ids: dict[str, int] = {}
    t_unit = _unit_codes(k, pc.fill_null(match.field("unit"), "") if nt else operators, unit_ids)
    t_ok &= t_unit >= 0
    kinds = np.full(nt, _QUANT, dtype=np.int64)
    comps = op_codes[np.maximum(op_idx, 0)] if nt else np.zeros(0, np.int64)
    a6s = np.where(t_ok, a6u, 0)
    u6s = np.zeros(nt, dtype=np.int64)
    bad_target = np.zeros(nt, dtype=bool)
    a_txt = value_text
    u_txt = pa.repeat(pa.scalar("", pa.string()), nt)
    thresholds = k.thresholds
    k.target_dict = t_dict
    others = np.nonzero(~t_ok)[0]
    if len(others):
        fixed_a: dict[int, str] = {}
        fixed_u: dict[int, str] = {}
        for index, text in zip(others.tolist(), t_dict.take(pa.array(others)).to_pylist(), strict=True):
            threshold = _parse_target(text)
            thresholds[index] = threshold
            # a blank target (none printed) is scored by the score given for it: its table goes the object path
            kind, comp, a6, u6, unit, at, ut, bad = _NA, _GE, 0, 0, "", "", "", threshold is None or threshold.is_blank
            if threshold is not None:
                if threshold.kind is ThresholdKind.QUALITATIVE:
                    kind = _QUAL
                elif threshold.kind is ThresholdKind.QUANTITATIVE:
                    kind = _QUANT
                    comp = _COMPARATOR_CODE[threshold.comparator]  # type: ignore[index]
                    written = threshold.value
                    assert written is not None  # noqa: S101 - quantitative
                    scaled = _scaled(written)
                    upper = threshold.upper
                    scaled_upper = _scaled(upper) if upper is not None else 0
                    bad = scaled is None or scaled_upper is None or scaled < 0 or (scaled_upper or 0) < 0
                    a6, u6 = scaled or 0, scaled_upper or 0
                    unit, at, ut = threshold.unit, _n(written), "" if upper is None else _n(upper)
            kinds[index], comps[index], a6s[index], u6s[index] = kind, comp, a6, u6
            t_unit[index] = unit_ids.setdefault(unit, len(unit_ids))
            bad_target[index] = bad
            fixed_a[index], fixed_u[index] = at, ut
        mask = pa.array(~t_ok)
        a_txt = pc.replace_with_mask(a_txt, mask, pa.array([fixed_a[i] for i in others.tolist()], type=pa.string()))
        u_txt = pc.replace_with_mask(u_txt, mask, pa.array([fixed_u[i] for i in others.tolist()], type=pa.string()))
    k.target_texts = (a_txt, u_txt)
    t_safe = np.maximum(t_idx, 0)
    if n and nt:
        if k.ind.column("target").null_count:
            k.flag(t_idx < 0)
        if bad_target.any():
            k.flag(bad_target[t_safe])
    if nt:
        kind, a6, u6 = kinds[t_safe], a6s[t_safe], u6s[t_safe]
    else:
        kind = a6 = u6 = np.zeros(n, dtype=np.int64)
    applicable = kind != _NA
    out.applicable = applicable
    # hand scores and scores given with a band go the object path
    for name in ("actual_score", "explicit_score"):
        column = k.ind.column(name)
        if column.null_count < len(column):
            k.flag(np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool))
    # level-1 labels: looked up among the labels the policy knows (few); any other label, or none,
    # sends its table to the object path
    labels = k.ind.column("level1")
    known = sorted(set(c.fold) | set(c.level1))
    if labels.type != pa.string():
        labels = pc.cast(labels, pa.string())
    l_idx = np.asarray(pc.fill_null(pc.index_in(labels, value_set=pa.array(known, type=pa.string())), -1)
                       .to_numpy(zero_copy_only=False), dtype=np.int64)
    k.flag(l_idx < 0)
    l_idx = np.maximum(l_idx, 0)
    # weights given, read once per distinct text; an unreadable or negative one sends its table away
    w_idx, w_texts = k.encode("weight")
    given_weights: list[Decimal | None] = []
    for text in w_texts:
        try:
            weight: Decimal | None = Decimal(text or "")
        except InvalidOperation:
            weight = None
        given_weights.append(weight if weight is not None and weight.is_finite() and weight >= 0 else None)
    unreadable = np.asarray([weight is None for weight in given_weights] + [False], dtype=bool)[w_idx]
    k.flag(unreadable & (w_idx >= 0))
    # each table's weights are the rulebook's (indicator_weights), once per distinct table shape:
    # the labels, 无 rows and weights given of its rows, in order, as the bytes of one code per row
    nw = len(w_texts)
    codes = ((l_idx * 2 + applicable) * (nw + 1) + (w_idx + 1)).astype(np.int64)
    shape_of, shapes = _table_shapes(k, codes)
    weight_ids: dict[str, int] = {"0": 0}
    weight_values: list[Decimal] = [Decimal(0)]
    flat: list[int] = []
    offsets: list[int] = []
    bad_shape: list[bool] = []
    points = c.total_points - c.budget_weight
    for shape in shapes:
        rows = np.frombuffer(shape, dtype=np.int64).tolist()
        row_weights = [given_weights[code % (nw + 1) - 1] if code % (nw + 1) else None for code in rows]
        row_labels = [known[code // (nw + 1) // 2] for code in rows]
        row_applicable = [bool(code // (nw + 1) % 2) for code in rows]
        weights, problems = indicator_weights(row_labels, row_applicable, row_weights, c, points)
        _, weight_total, _ = add_up(
            row_labels, [w if live else None for w, live in zip(weights, row_applicable, strict=True)],
            [Decimal(0)] * len(rows), c.budget_weight, Decimal(0),
        )
        bad_shape.append(bool(problems) or weight_total != c.total_points)
        offsets.append(len(flat))
        for weight in weights:
            text = _n(weight)
            if text not in weight_ids:
                weight_ids[text] = len(weight_values)
                weight_values.append(weight)
            flat.append(weight_ids[text])
    if shapes:
        k.slow |= np.asarray(bad_shape, dtype=bool)[shape_of]
        position = np.arange(n, dtype=np.int64) - k.starts[k.table_of]
        starts_of_shape = np.asarray(offsets, dtype=np.int64)[shape_of[k.table_of]]
        w_inverse = np.asarray(flat, dtype=np.int64)[starts_of_shape + position]
    else:
        w_inverse = np.zeros(n, dtype=np.int64)
    # each distinct weight as the exact fraction whose 28-digit quotient it is (a weight that is none
    # within the kernel's integers sends its rows away)
    pairs = [_weight_fraction(weight) for weight in weight_values]
    wn = np.asarray([pair[0] if pair else 0 for pair in pairs], dtype=np.int64)
    wd = np.asarray([pair[1] if pair else 1 for pair in pairs], dtype=np.int64)
    k.flag(np.asarray([pair is None for pair in pairs], dtype=bool)[w_inverse])
    # per distinct weight (few): the rows take them by w_inverse where they need them
    w10_distinct, w_exact_distinct = k.divide(wn, wd)
    w_term_distinct = k.terminating(wn, wd)
    k.w10_distinct = w10_distinct
    w10 = w10_distinct[w_inverse]
    out.w10 = w10
    out.w_text = (pa.array(list(weight_ids), type=pa.string()), w_inverse)
    # actuals: a number and a unit read from each distinct text, a column at a time
    act_idx, act_dict = k.encode_array("actual")
    k.flag(applicable & (act_idx < 0))
    nq = len(act_dict)
    quant = kind == _QUANT
    qual = kind == _QUAL
    match = pc.extract_regex(act_dict, _NUMBER_PATTERN)
    matched = np.asarray(match.is_valid().to_numpy(zero_copy_only=False), dtype=bool) if nq else np.zeros(0, bool)
    number_text = pc.if_else(match.is_valid(), match.field("num"), "0") if nq else pa.array([], pa.string())
    q6, q_ok = k.scaled_column(number_text)
    q_ok &= matched
    unit_column = pc.fill_null(match.field("unit"), "") if nq else pa.array([], pa.string())
    q_unit = _unit_codes(k, unit_column, unit_ids)
    q_text = number_text
    # the texts the pattern does not read (thousands separators, full-width digits...): one by one
    odd = np.nonzero(~q_ok | (q_unit < 0))[0] if nq else np.zeros(0, np.int64)
    q_bad = ~q_ok
    if len(odd):
        texts = act_dict.take(pa.array(odd)).to_pylist()
        fixed_text: dict[int, str] = {}
        no_unit = unit_ids.setdefault("", len(unit_ids))
        for index, text in zip(odd.tolist(), texts, strict=True):
            q_bad[index] = True
            q_unit[index] = no_unit
            try:
                parsed = _parse_quantity(text or "")
            except (ThresholdSyntaxError, InvalidValueError):
                continue
            scaled = _scaled(parsed[0])
            if scaled is None or scaled < 0:
                continue
            q6[index], q_unit[index], q_bad[index] = scaled, unit_ids.setdefault(parsed[1], len(unit_ids)), False
            fixed_text[index] = _n(parsed[0])
        if fixed_text:
            mask = np.zeros(nq, dtype=bool)
            mask[list(fixed_text)] = True
            q_text = pc.replace_with_mask(q_text, pa.array(mask),
                                          pa.array([fixed_text[i] for i in sorted(fixed_text)], type=pa.string()))
    a_safe = np.maximum(act_idx, 0)
    if nq:
        b6 = q6[a_safe]
        row_q_bad = q_bad[a_safe] | (act_idx < 0)
    else:
        b6 = np.zeros(n, dtype=np.int64)
        row_q_bad = np.ones(n, dtype=bool)
    act_texts = act_dict
    k.flag(quant & row_q_bad)
    # units: same unit or no unit reads as is; another unit is converted, once per distinct actual
    b_dict = q_text if nq else pa.array([""], type=pa.string())
    b_index = a_safe.copy()
    if nq and n:
        unit_name = {i: unit for unit, i in unit_ids.items()}
        t_unit_row = t_unit[t_safe] if nt else np.zeros(n, dtype=np.int64)
        a_unit = q_unit[a_safe]
        empty = unit_ids.get("", -2)
        convert_rows = np.nonzero(quant & ~row_q_bad & (a_unit != empty) & (a_unit != t_unit_row))[0]
        extra_arrays: list[Any] = []
        if len(convert_rows):
            convert_rows, shifted, texts = _shift_by_powers_of_ten(
                k, convert_rows, a_unit, t_unit_row, unit_name, len(unit_ids), act_idx, q6, q_text, nq
            )
            if len(shifted[0]):
                b6[shifted[0]] = shifted[1]
                b_index[shifted[0]] = shifted[2]
                extra_arrays.append(texts)
        if len(convert_rows):
            done: dict[tuple[int, int, int], tuple[int | None, int]] = {}
            extra: list[str] = []
            base_index = nq + sum(len(t) for t in extra_arrays)
            numbers = q_text.take(pa.array(act_idx[convert_rows])).to_pylist()
            for row, actual, unit_from, unit_to, number in zip(
                convert_rows.tolist(), act_idx[convert_rows].tolist(), a_unit[convert_rows].tolist(),
                t_unit_row[convert_rows].tolist(), numbers, strict=True,
            ):
                key = (actual, unit_from, unit_to)
                hit = done.get(key)
                if hit is None:
                    value: Decimal | None = None
                    try:
                        value = convert(Decimal(number), unit_name[unit_from], unit_name[unit_to])
                        scaled = _scaled(value)
                    except (PerftargetError, InvalidOperation):
                        scaled = None
                    if value is None or scaled is None or scaled < 0:
                        hit = (None, -1)
                    else:
                        hit = (scaled, base_index + len(extra))
                        extra.append(_n(value))
                    done[key] = hit
                if hit[0] is None:
                    k.slow[k.table_of[row]] = True
                    continue
                b6[row], b_index[row] = hit
            if extra:
                extra_arrays.append(pa.array(extra, type=pa.string()))
        if extra_arrays:
            b_dict = pa.concat_arrays([b_dict, *extra_arrays])
    out.b_text = (b_dict, b_index)
    # qualitative: the band of each distinct (target, actual) pair
    band_row = np.full(n, -1, dtype=np.int64)
    share6 = np.zeros(n, dtype=np.int64)
    share_text = [""] * len(_BANDS)
    share_values = []
    for i, band in enumerate(_BANDS):
        share = c.band_default[band]
        share_values.append(_scaled(share))
        share_text[i] = _n(share)
    if share_values and any(v is None or v > _M6 for v in share_values):
        k.flag(qual)
    if qual.any():
        rows = np.nonzero(qual & (act_idx >= 0))[0]
        pair = t_idx[rows] * (nq + 1) + act_idx[rows]
        pair_first, pair_inverse = _distinct(k, pair)
        uniq_pair = pair[pair_first]
        pair_band = []
        for key in uniq_pair.tolist():
            threshold = k.threshold(key // (nq + 1))
            text = act_texts[key % (nq + 1)].as_py() or ""
            try:
                assert threshold is not None  # noqa: S101 - flagged rows have a target
                pair_band.append(_BANDS.index(_band(threshold, text)))
            except _Invalid:
                pair_band.append(-1)
        band_row[rows] = np.asarray(pair_band, dtype=np.int64)[pair_inverse.reshape(-1)]
        k.flag(qual & (band_row < 0))
        share6 = np.asarray([*(v or 0 for v in share_values), 0], dtype=np.int64)[band_row]  # -1: the 0 at the end
    out.band = band_row
    out.share_text = share_text
    # scores: each row's template (the formula it is scored by) says whether its score is the whole
    # weight, nothing, or a ratio times the weight. The template follows from a few facts about the
    # target (kind, comparator, unit %, signs of its bounds) and how the actual compares with them:
    # those facts are numbered, and the rulebook's case table gives the template of each number.
    percent = t_unit == unit_ids.get("%", -2) if nt else np.zeros(1, dtype=bool)
    if nt:
        groups = np.where(kinds == _QUANT, np.asarray(_GROUP_OF_COMPARATOR)[comps],
                          np.asarray([*_GROUP_OF_KIND, 0])[kinds])
        facts = (((groups * 2 + percent) * 3 + np.sign(a6s) + 1) * 2 + (u6s > 0))[t_safe]
    else:
        facts = np.zeros(n, dtype=np.int64)
    # then (see FACTS): B against A (<, =, >), the sign of B (never negative here), B ≥ 2A, B > U, whole share
    facts *= 3
    facts += b6 > a6
    facts += b6 >= a6
    facts *= 3
    facts += (b6 > 0) + 1
    for fact in (b6 >= 2 * a6, b6 > u6, share6 >= _M6):
        facts *= 2
        facts += fact
    assert [name for name, _size in FACTS] == [  # noqa: S101 - the order the facts are numbered in above
        "group", "percent", "a_sign", "u_positive", "relation", "b_sign", "twice", "above", "whole_share"]
    template = np.asarray(case_table(linear=c.linear, rate_times_weight=c.rate_times_weight), dtype=np.int64)[facts]
    role = np.asarray(_ROLES, dtype=np.int8)[template]
    rtw = np.isin(template, _T_RATE)
    full = (role == _WHOLE) | (rtw & (b6 >= 100 * _M6))  # min(rate, 100 %) × weight is the whole weight
    over = np.zeros(n, dtype=bool)
    if c.over is not None:
        over_num, over_den = _fraction(c.over)
        at_least = np.asarray(_AT_LEAST, dtype=bool)[template]
        over = at_least & (a6 > 0) & (b6 * over_den >= a6 * over_num)
    computed = applicable & (role == _RATIO) & ~full
    # the ratio of each computed score, times the weight: (top × wn) / (bottom × wd)
    rows = np.nonzero(computed)[0]
    tr, b_rows, a_rows = template[rows], b6[rows], a6[rows]
    terms = {
        "b": b_rows, "a": a_rows, "u": u6[rows], "share": share6[rows], "2a-b": 2 * a_rows - b_rows,
        "min(b,100)": np.minimum(b_rows, 100 * _M6), "100": np.full(len(rows), 100 * _M6, dtype=np.int64),
        "1": np.full(len(rows), _M6, dtype=np.int64),
    }
    top = np.zeros(len(rows), dtype=np.int64)
    bottom = np.ones(len(rows), dtype=np.int64)
    for number in np.unique(tr).tolist():
        pair = _RATIO_TERMS[number]
        if pair is not None:
            chosen_rows = tr == number
            top[chosen_rows] = terms[pair[0]][chosen_rows]
            bottom[chosen_rows] = terms[pair[1]][chosen_rows]
    w_rows = w_inverse[rows]
    num, den = top * wn[w_rows], bottom * wd[w_rows]
    # overflow guards (magnitudes only): otherwise the object path
    overflow = (num < 0) | (num >= _SAFE) | (den <= 0) | (den >= _DIVISOR_LIMIT)
    if overflow.any():
        k.slow[k.table_of[rows[overflow]]] = True
    too_large = (wn >= _SAFE // _LIMIT6) | (wd >= _DIVISOR_LIMIT)
    if too_large.any():
        k.flag(applicable & too_large[w_inverse])
    quotient, quotient_exact = k.divide(num, den)
    s10 = np.where(full, w10, 0)
    s10[rows] = quotient
    exact = np.ones(n, dtype=bool)
    exact[rows] = quotient_exact
    # rate_times_weight at or above 100 % is the whole weight
    out.s10 = s10
    out.full = full
    out.over = over
    out.rule = template
    # "= 9.20" or "≈ 9.69": the object path works to 28 digits, so a score is exact there only when
    # the weight and the ratio it multiplies are finite decimals (1/3 × 30 is "≈ 10.00" there too)
    k.exact = np.where(full, (w_exact_distinct & w_term_distinct)[w_inverse], ~computed | exact)
    # A score that is exactly a number at display precision may still be "≈" in the object path,
    # which rounds a weight such as 50/3 or a ratio such as 45.2/47.46 to 28 digits on the way:
    # where a weight or a ratio is an endless decimal, that arithmetic is redone as it does it.
    # (The ratio's top and bottom as above: 2 − (b − a) / a ends where (b − a) / a does.)
    unit = 10 ** (10 - c.places)
    chosen = np.nonzero(quotient_exact & (quotient % unit == 0))[0]
    if len(chosen):
        kind_of = tr[chosen]
        plain = w_term_distinct[w_rows[chosen]] & (
            ~np.isin(kind_of, _T_RATIOS) | k.terminating(top[chosen], bottom[chosen]))
        redo, w_redo = rows[chosen[~plain]], w_rows[chosen[~plain]]
        numbers = list(zip(template[redo].tolist(), b6[redo].tolist(), a6[redo].tolist(), u6[redo].tolist(),
                           share6[redo].tolist(), wn[w_redo].tolist(), wd[w_redo].tolist(), strict=True))
        found = {row: _exact_in_object_path(*row, c.places) for row in set(numbers)}
        k.exact[redo] = [found[row] for row in numbers]
    # table totals, the budget line included
    budget_w = c.budget_weight
    bw_num, bw_den = _fraction(budget_w)
    rate_num = spent6 * 100
    rate10, rate_exact = k.divide(rate_num, np.maximum(budget6, 1))
    ratio_full = spent6 >= budget6
    b_num = spent6 * bw_num
    k.slow |= (b_num >= _SAFE) | (budget6 * bw_den >= _DIVISOR_LIMIT)
    budget10, budget_exact = k.divide(b_num, np.maximum(budget6, 1) * bw_den)
    budget_full10, _ = k.divide(np.full(k.t, bw_num, dtype=np.int64), np.full(k.t, bw_den, dtype=np.int64))
    budget10 = np.where(ratio_full, budget_full10, budget10)
    budget_exact = budget_exact | ratio_full
    k.budget10, k.budget_exact, k.rate10, k.rate_exact = budget10, budget_exact, rate10, rate_exact
    total = budget10 + k.per_table(np.where(applicable, s10, 0))
    inexact = k.per_table(~k.exact) + ~budget_exact
    # rounding ties and grade bounds that the truncation could hide
    tail = total % 10_000
    k.slow |= (inexact > 0) & (tail < _HALF) & (tail + inexact >= _HALF)
    unsure = inexact > 0
    if unsure.any():
        for bound, _grade in c.grades:
            num, den = _fraction(bound)
            bound10 = int(k.divide(np.asarray([num], dtype=np.int64), np.asarray([den], dtype=np.int64))[0][0])
            k.slow |= unsure & (total < bound10) & (total + inexact >= bound10)
    out.table_total = total
    return out


@functools.lru_cache(maxsize=65536)
def _exact_in_object_path(  # noqa: PLR0917 - the numbers of one formula
    template: int, b6: int, a6: int, u6: int, share6: int, wn: int, wd: int, places: int
) -> bool:
    """Whether :func:`perftarget.evaluate` finds this score exact at ``places`` (its 28-digit arithmetic)."""
    b, a, upper, share = (Decimal(v).scaleb(-6) for v in (b6, a6, u6, share6))
    result = score(template, a, upper, b, Decimal(wn) / Decimal(wd), share=share)
    return result.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE) == result


def _ten_powers(unit_from: str, unit_to: str) -> tuple[int, int] | None:
    """(a, b) when ``unit_from`` is 10**a and ``unit_to`` 10**b of one base unit (元, 万元, 亿元…), else None."""
    try:
        (dim_from, factor_from), (dim_to, factor_to) = dimension_of(unit_from), dimension_of(unit_to)
    except (PerftargetError, ValueError):  # pragma: no cover - units were read by the parser
        return None
    if dim_from != dim_to:
        return None
    powers = []
    for factor in (factor_from, factor_to):
        sign, digits, exponent = factor.as_tuple()
        if sign or exponent != 0 or digits[0] != 1 or any(digits[1:]):
            return None
        powers.append(len(digits) - 1)
    return powers[0], powers[1]


def _shift_by_powers_of_ten(  # noqa: PLR0917 - the arrays of one step
    k: _Kernel, rows: Any, a_unit: Any, t_unit: Any, unit_name: Mapping[int, str], units: int,  # noqa: ANN401
    act_idx: Any, q6: Any, q_text: Any, nq: int,  # noqa: ANN401
) -> tuple[Any, tuple[Any, Any, Any], Any]:
    """Actuals in another unit of the target's scale (元 against 万元): converted a column at a time.

    ``convert`` multiplies by one unit's factor and divides by the other's; with powers of ten
    the value is the actual's digits shifted, and its text keeps the actual's decimals, or more
    where the division needs them (``95000元`` is ``9.5`` 万元, ``95000.00元`` ``9.5000``... as
    :class:`decimal.Decimal` writes them). Returns the rows left to the general path, then the
    rows done with their values (10**-6) and places in the actual texts, and those texts.
    """
    np, pa, pc = k.np, k.pa, k.pc
    pairs = a_unit[rows] * units + t_unit[rows]
    known, where = np.unique(pairs, return_inverse=True)
    shifts = [_ten_powers(unit_name[p // units], unit_name[p % units]) for p in known.tolist()]
    ok_pair = np.asarray([s is not None for s in shifts], dtype=bool)
    shift = np.asarray([0 if s is None else s[0] - s[1] for s in shifts], dtype=np.int64)[where.reshape(-1)]
    fast = ok_pair[where.reshape(-1)]
    actual = act_idx[rows]
    value = q6[actual]
    # decimals of each actual's number as written
    dots = np.asarray(pc.find_substring(q_text, ".").to_numpy(zero_copy_only=False), dtype=np.int64)
    lengths = np.asarray(pc.utf8_length(q_text).to_numpy(zero_copy_only=False), dtype=np.int64)
    written = np.where(dots >= 0, lengths - dots - 1, 0)[actual]
    up, down = np.maximum(shift, 0), np.maximum(-shift, 0)
    fast &= (written <= 6) & (value < _LIMIT6 // 10**up) & (value % 10**down == 0)  # noqa: PLR2004 - six places
    result = np.where(shift >= 0, value * 10**up, value // 10**down)
    digits = value // 10 ** (6 - np.minimum(written, 6))  # the actual's coefficient
    zeros = np.zeros(len(rows), dtype=np.int64)
    rest = digits.copy()
    for _ in range(18):
        more = (rest % 10 == 0) & (rest != 0) & (zeros < down)
        if not more.any():
            break
        zeros += more
        rest = np.where(more, rest // 10, rest)
    zeros = np.where(digits == 0, down, zeros)
    places = written + down - np.minimum(zeros, down)
    fast &= places <= 6  # noqa: PLR2004 - six places
    done = np.nonzero(fast)[0]
    texts, index = [], np.zeros(len(done), dtype=np.int64)
    at = nq
    for count in range(7):
        chosen = np.nonzero(places[done] == count)[0]
        if not len(chosen):
            continue
        texts.append(k.decimal_text(result[done][chosen] // 10 ** (6 - count), count, trim=False))
        index[chosen] = at + np.arange(len(chosen))
        at += len(chosen)
    joined = pa.concat_arrays(texts) if texts else pa.array([], type=pa.string())
    return rows[~fast], (rows[done], result[done], index), joined


def _coalesce(k: _Kernel, first: str, second: str) -> Any:  # noqa: ANN401 - an Arrow array
    """Column ``first`` where it has a value, else ``second`` (``first`` may be absent)."""
    if first not in k.tab.column_names:
        return k.tab.column(second)
    return k.pc.coalesce(k.tab.column(first), k.tab.column(second))


def _parse_quantity(text: str) -> tuple[Decimal, str]:
    quantity = parse_quantity(text)
    return quantity.value, quantity.unit


def _results(k: _Kernel, s: _Scores, per: str) -> Any:  # noqa: ANN401 - a pyarrow.Table
    np, pa = k.np, k.pa
    schema = result_schema("evaluate", per)  # type: ignore[arg-type]
    names = result_columns("evaluate", per)  # type: ignore[arg-type]
    if per == "indicator":  # the table's texts repeat on each of its rows: dictionary-encoded
        schema = dictionary_texts(schema, _REPEATED, pa)
    # every row through the kernel (the rows of slow tables are then replaced): no copy of the columns
    data = _indicator_rows(k, s) if per == "indicator" else _table_rows(k, s)
    slow_tables = np.nonzero(k.slow)[0]
    if not len(slow_tables):
        return pa.table([_column(k, data[name], schema.field(name).type) for name in names], schema=schema)
    return _with_object_path(k, data, schema, per, slow_tables)


def _with_object_path(k: _Kernel, data: Mapping[str, Any], schema: Any, per: str, slow_tables: Any) -> Any:  # noqa: ANN401
    """The result with the rows of ``slow_tables`` made by :func:`perftarget.evaluate` put in place."""
    np, pa = k.np, k.pa
    names = schema.names
    slow_rows, spans = _object_path(k, slow_tables, per, names)
    plain = pa.schema([pa.field(name, pa.string()) if isinstance(data[name], _Coded) else schema.field(name)
                       for name in names])
    slow = pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in slow_rows], schema=plain)
    # where each result row comes from: a row of the kernel's (below count) or of the object path's
    count = k.n if per == "indicator" else k.t
    source = None
    if len(spans) > _SPLICE_LIMIT:
        pieces, done = [], 0
        for start, end, first, rows in spans:
            pieces += [np.arange(done, start), count + np.arange(first, first + rows)]
            done = end
        pieces.append(np.arange(done, count))
        source = pa.array(np.concatenate(pieces))
    columns = []
    for name in names:
        value, kind = data[name], schema.field(name).type
        if isinstance(value, _Coded):  # one dictionary for the column, the object path's texts included
            columns.append(_coded(k, value, slow.column(name).combine_chunks(), spans))
            continue
        kept, new = _column(k, value, kind), slow.column(name).cast(kind)
        if not isinstance(kept, pa.ChunkedArray):
            kept = pa.chunked_array([kept], type=kind)
        if source is not None:  # many slow tables: one take
            columns.append(pa.chunked_array([*kept.chunks, *new.chunks], type=kind).take(source))
            continue
        # few slow tables: slices of the kernel's column around them, zero-copy
        parts, done = [], 0
        for start, end, first, rows in spans:
            parts += [kept.slice(done, start - done), new.slice(first, rows)]
            done = end
        parts.append(kept.slice(done))
        columns.append(pa.chunked_array([chunk for part in parts for chunk in part.chunks], type=kind))
    return pa.table(columns, schema=schema)


def _indicator_rows(k: _Kernel, s: _Scores) -> dict[str, Any]:
    """The result columns of every indicator row, as the kernel computed them."""
    np, pa = k.np, k.pa
    ind, tab = k.ind, k.tab
    count = k.n
    applicable = s.applicable
    template = s.rule
    first, inverse = _combinations(k, s)
    texts, position = _formulas(k, s, first)
    # the score texts: one per distinct rounded score (a text is a function of the number, so the
    # numbers are made distinct, not the texts)
    rounded = (s.s10[first] + _HALF) // 10_000
    shown_first, shown_index = _distinct(k, rounded)
    shown_order = np.argsort(rounded[shown_first])
    shown = rounded[shown_first][shown_order]
    shown_rank = np.empty(len(shown_order), dtype=np.int64)
    shown_rank[shown_order] = np.arange(len(shown_order))
    shown_index = shown_rank[shown_index]
    weight10 = np.where(applicable, s.w10, 0)
    return {
        "file": _Coded(tab.column("file"), k.table_of),
        "project_code": _Coded(tab.column("project_code"), k.table_of),
        "project_name": _Coded(tab.column("project_name"), k.table_of),
        "path": _shown(k, ind.column("path")),
        "level1": _shown(k, ind.column("level1")),
        "level2": _shown(k, ind.column("level2")),
        "indicator": _shown(k, ind.column("name")),
        "target": _shown(k, ind.column("target")),
        "actual": _actual_column(k, applicable),
        "weight": _Coded(k.text6(k.w10_distinct), s.w_text[1]),
        "score": _Coded(k.decimal_text(shown, 6, trim=True), shown_index.reshape(-1)[inverse], distinct=True),
        "rule": _Coded(pa.array([rule for rule, _ in _TEMPLATES], type=pa.string()), template),
        "formula": _Coded(texts, position[inverse]),
        "reason": _no_nulls(k, ind.column("reason")),
        "needs_explanation": pa.array(applicable & ~s.full & (weight10 > 0)),
        "over_achieved": pa.array(s.over),
        "error": _empty_texts(k, count),
    }


def _shown(k: _Kernel, column: Any) -> _Coded:  # noqa: ANN401 - an Arrow column
    """A text column of the input as the result shows it: codes into its distinct texts (null stays null).

    A dictionary-encoded column (as :func:`perftarget.columnar.flatten` writes them) is taken as
    it is: no text is copied or hashed per row.
    """
    np, pa = k.np, k.pa
    codes, values = _encode_array(k.pc, np, column)
    if values.type != pa.string():
        values = values.cast(pa.string())
    null = codes < 0
    if not null.any():
        return _Coded(values, codes, distinct=True)
    return _Coded(pa.concat_arrays([values, pa.nulls(1, values.type)]), np.where(null, len(values), codes))


def _combinations(k: _Kernel, s: _Scores) -> tuple[Any, Any]:
    """The first row of each distinct formula combination, and each row's combination number.

    A row's formula and score are a function of its template and of the texts it shows: the
    actual, the target's bound(s), the weight and the band (a template that does not show one
    leaves it out). The texts are made once per combination (a tenth of the rows in a province)
    and shared. Texts are compared as texts (``95%`` and ``95`` both show ``95``): a number written
    the same is the same number, and the weight by its exact value. Rows of tables left to the
    object path may hold numbers that do not match their texts: they are kept apart (and are
    replaced later).
    """
    np, pc = k.np, k.pc
    count = k.n
    template = s.rule
    b_dict, b_index = s.b_text
    a_dict, u_dict = k.target_texts
    w_index = s.w_text[1]
    # the distinct texts, numbered: the actual's number, and the target's bounds (one number for both)
    b_code, b_texts = _encode_array(pc, np, b_dict)
    a_code, a_texts = _encode_array(pc, np, a_dict)
    u_code, u_texts = _encode_array(pc, np, u_dict)
    bounds = a_code * (len(u_texts) + 1) + u_code if len(a_code) else np.zeros(1, dtype=np.int64)
    uses = [np.asarray(row, dtype=np.int64)[template] for row in _USES]
    parts = [
        (b_code[b_index] * uses[0], len(b_texts)),
        (bounds[np.maximum(k.t_idx, 0)] * (uses[1] | uses[2]), (len(a_texts) + 1) * (len(u_texts) + 1)),
        (w_index * uses[3], len(s.w_text[0])),
        (np.maximum(s.band, 0) * uses[4], len(_BANDS)),
    ]
    if count and k.slow.any():
        parts.append((k.slow[k.table_of], 2))
    if math.prod(size for _, size in parts) * len(_TEMPLATES) >= 2**62:  # pragma: no cover - 2**62 combinations
        return np.arange(count), np.arange(count)
    key = template.astype(np.int64)
    for values, size in parts:
        key *= size
        key += values
    return _distinct(k, key)


def _distinct(k: _Kernel, key: Any) -> tuple[Any, Any]:  # noqa: ANN401 - numpy arrays
    """The first row of each distinct key, and each row's distinct key number (hashed, not sorted)."""
    np = k.np
    encoded = k.pc.dictionary_encode(k.pa.array(key))
    inverse = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    # the keys are numbered in the order they first appear: a row is the first of its key where its
    # number exceeds every number before it (checked, else found the long way)
    count = len(encoded.dictionary)
    new = np.ones(len(inverse), dtype=bool)
    if len(inverse):
        new[1:] = inverse[1:] > np.maximum.accumulate(inverse)[:-1]
    first = np.nonzero(new)[0]
    if len(first) != count or bool((inverse[first] != np.arange(count)).any()):  # pragma: no cover - see above
        first = np.empty(count, dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(key) - 1, -1, -1)  # the last write is the first row
    return first, inverse


def _formulas(k: _Kernel, s: _Scores, rows: Any) -> tuple[Any, Any]:  # noqa: ANN401 - Arrow, numpy
    """The formula of each of ``rows`` (indicator rows), and where each row's formula is in them.

    The formulas are put together template by template (one join of the template's literals
    and values each), and left in that order: the second array gives, for each of ``rows``,
    the position of its formula.
    """
    np, pa, pc, c = k.np, k.pa, k.pc, k.c
    places = c.places
    count = len(rows)
    template = s.rule[rows]
    order = np.argsort(template.astype(np.int8), kind="stable")  # 19 templates: a radix sort
    sizes = np.bincount(template, minlength=len(_TEMPLATES))
    ends = np.cumsum(sizes).tolist()
    position = np.empty(count, dtype=np.int64)
    position[order] = np.arange(count, dtype=np.int64)
    ordered = rows[order]
    b_dict, b_index = s.b_text
    w_dict, w_index = s.w_text
    a_dict, u_dict = k.target_texts
    band = s.band[ordered]
    band_index = np.where(band >= 0, band, len(_BANDS))
    t_index = np.maximum(k.t_idx[ordered], 0)
    sources = {
        "{b}": (b_dict, b_index[ordered]), "{a}": (a_dict, t_index), "{u}": (u_dict, t_index),
        "{w}": (w_dict, w_index[ordered]),
        "{band}": (pa.array([b.value for b in _BANDS] + [""], type=pa.string()), band_index),
        "{share}": (pa.array([*s.share_text, ""], type=pa.string()), band_index),
    }
    # the score as shown ("= 9.2" or "≈ 9.69"), for the rows of the templates that show one
    scored = np.isin(np.arange(len(_TEMPLATES)), _T_SCORED)[template[order]]
    shown_rows = ordered[scored]
    shown10 = s.s10[shown_rows]
    approx = ~((shown10 % 10 ** (10 - places) == 0) & k.exact[shown_rows])
    rounded = (shown10 + 5 * 10 ** (9 - places)) // 10 ** (10 - places)
    signs = pa.array(["= ", "≈ "], type=pa.string()).take(pa.array(approx.astype(np.int8)))
    shown = pc.binary_join_element_wise(signs, k.decimal_text(rounded, places, trim=False), "")
    shown_at = np.cumsum(scored) - 1  # the place of each (scored) row in shown
    parts: list[Any] = []
    start = 0
    for tmpl, (_rule, pieces) in enumerate(_TEMPLATES):
        end = ends[tmpl]
        if end == start:
            continue
        args: list[Any] = []
        for piece in pieces:
            if piece == "{s}":
                args.append(shown.slice(int(shown_at[start]), end - start))
            elif piece in sources:
                values, index = sources[piece]
                args.append(values.take(pa.array(index[start:end])))
            else:
                args.append(piece)
        if len(args) == 1:
            parts.append(pa.repeat(pa.scalar(args[0], pa.string()), end - start))
        else:
            parts.append(pc.binary_join_element_wise(*args, ""))
        start = end
    texts = pa.concat_arrays(parts) if parts else pa.array([], type=pa.string())
    return texts, position


def _actual_column(k: _Kernel, applicable: Any) -> Any:  # noqa: ANN401 - Arrow, numpy
    """The actual as given, blank on 无 rows (which take none)."""
    pa, pc, np = k.pa, k.pc, k.np
    column = k.ind.column("actual")
    given = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    actual = _blank_nulls(k, column, given)
    if (given & ~applicable).any():
        actual = pc.if_else(pa.array(applicable), actual, "")
    return actual


def _blank_nulls(k: _Kernel, column: Any, given: Any) -> Any:  # noqa: ANN401 - Arrow, numpy
    """A text column with ``""`` for null (``given``: where it is not null).

    Arrow usually leaves a null text empty (its start and end offsets equal): then only the
    validity bitmap goes, and the texts are shared, not copied.
    """
    pa, np = k.pa, k.np
    if column.null_count == 0:
        return column
    array = column.chunk(0) if isinstance(column, pa.ChunkedArray) and column.num_chunks == 1 else column
    if isinstance(array, pa.Array) and array.type == pa.string():
        count, start = len(array), array.offset
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[start : start + count + 1]
        if not (offsets[1:] - offsets[:-1])[~given].any():
            return pa.Array.from_buffers(pa.string(), count, [None, *array.buffers()[1:]], offset=start)
    return k.pc.fill_null(column, "")


def _empty_texts(k: _Kernel, count: int) -> Any:  # noqa: ANN401 - Arrow
    """``count`` empty texts: all offsets zero, no text bytes."""
    pa = k.pa
    offsets = pa.py_buffer(k.np.zeros(count + 1, dtype=k.np.int32))
    return pa.Array.from_buffers(pa.string(), count, [None, offsets, pa.py_buffer(b"")])


def _no_nulls(k: _Kernel, column: Any) -> Any:  # noqa: ANN401 - Arrow
    return column if column.null_count == 0 else k.pc.fill_null(column, "")


class _Coded:
    """A result column given as ``texts[index]``: dictionary-encoded when the result is put together.

    ``distinct``: the texts are already distinct and none is null.
    """

    __slots__ = ("distinct", "index", "texts")

    def __init__(self, texts: Any, index: Any, *, distinct: bool = False) -> None:  # noqa: ANN401
        self.texts, self.index, self.distinct = texts, index, distinct


def _coded(k: _Kernel, coded: _Coded, more: Any = None, spans: Sequence[tuple[int, int, int, int]] = ()) -> Any:  # noqa: ANN401
    """The column ``coded`` stands for, dictionary-encoded over its distinct texts (as pandas wants them).

    With ``more`` (the texts of the object path's rows) and ``spans`` (as :func:`_object_path` gives
    them), those rows are put in place of the kernel's.
    """
    np, pa = k.np, k.pa
    texts, index = coded.texts, coded.index
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if more is None and coded.distinct:
        return pa.DictionaryArray.from_arrays(pa.array(index, type=pa.int32()), texts)
    if more is not None:
        texts = pa.concat_arrays([texts.cast(pa.string()), more.cast(pa.string())])
    distinct, values = _encode_array(k.pc, np, texts)
    distinct = distinct.astype(np.int32)
    codes = distinct[index]
    if more is not None:
        added = distinct[len(coded.texts) :]
        parts, done = [], 0
        for start, end, first, count in spans:
            parts += [codes[done:start], added[first : first + count]]
            done = end
        parts.append(codes[done:])
        codes = np.concatenate(parts)
    null = codes < 0 if bool((distinct < 0).any()) else None  # a null text stays null
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32(), mask=null), values)


def _table_rows(k: _Kernel, s: _Scores) -> dict[str, Any]:
    """The result columns of every table, as the kernel computed them."""
    np, pa, c = k.np, k.pa, k.c
    tables = np.arange(k.t)
    total10 = s.table_total[tables]
    grade = np.full(len(tables), len(c.grades), dtype=np.int64)
    for position in range(len(c.grades) - 1, -1, -1):
        num, den = _fraction(c.grades[position][0])
        bound10, _ = k.divide(np.asarray([num], dtype=np.int64), np.asarray([den], dtype=np.int64))
        grade = np.where(total10 >= bound10[0], position, grade)
    grade_names = pa.array([str(g.value) for _, g in c.grades] + [_POOR], type=pa.string())
    counts = k.ends - k.starts
    explain = k.per_table(s.applicable & ~s.full & (s.w10 > 0))
    count = len(tables)
    total_text = k.text6(total10)
    return {
        "file": k.tab.column("file"),
        "project_code": k.tab.column("project_code"),
        "project_name": k.tab.column("project_name"),
        "year": k.tab.column("year"),
        "total": total_text,
        "grade": grade_names.take(pa.array(grade)),
        "raw_total": total_text,
        "weight_total": pa.repeat(pa.scalar(_six(c.total_points), pa.string()), count),
        "budget": k.decimal_text(k.budget6[tables], 6, trim=True),
        "spent": k.decimal_text(k.spent6[tables], 6, trim=True),
        "budget_execution_rate": k.text6(k.rate10[tables]),
        "budget_score": k.text6(k.budget10[tables]),
        "indicators": pa.array(counts),
        "needs_explanation": pa.array(explain),
        "problems": pa.array(np.zeros(count, dtype=np.int64)),
        "problem_messages": _empty_texts(k, count),
        "error": _empty_texts(k, count),
    }


def _column(k: _Kernel, values: Any, kind: Any) -> Any:  # noqa: ANN401
    if isinstance(values, _Coded):
        return _coded(k, values)
    return values.cast(kind) if values.type != kind else values


def _object_path(
    k: _Kernel, tables: Any, per: str, names: Sequence[str]  # noqa: ANN401
) -> tuple[list[tuple[object, ...]], list[tuple[int, int, int, int]]]:
    """Rows of the tables the kernel leaves to :func:`perftarget.evaluate`, and where they go.

    Each span is (first result row replaced, end of those rows, first of the new rows, how many).
    """
    np = k.np
    tab = k.tab
    ind = k.ind
    rows: list[tuple[object, ...]] = []
    spans: list[tuple[int, int, int, int]] = []
    starts = np.searchsorted(k.table_of, tables, side="left")
    ends = np.searchsorted(k.table_of, tables, side="right")
    columns = {name: ind.column(name) for name in (
        "path", "level1", "level2", "name", "target", "weight", "key", "actual", "actual_score", "explicit_score",
        "reason")}
    for table, start, end in zip(tables.tolist(), starts.tolist(), ends.tolist(), strict=True):
        first = len(rows)
        replaced = (start, end) if per == "indicator" else (table, table + 1)
        info = {name: tab.column(name)[table].as_py() for name in (
            "file", "project_code", "project_name", "year", "budget", "actuals_budget", "spent")}
        budget = info["actuals_budget"]
        if budget is None and info["spent"] is not None:
            budget = info["budget"]
        base = {"file": info["file"] or "", "project_code": info["project_code"] or "",
                "project_name": info["project_name"] or ""}
        part = {name: column.slice(start, end - start).to_pylist() for name, column in columns.items()}
        entries = []
        actuals: dict[str, Actual] = {}
        error = ""
        try:
            for i in range(end - start):
                path = part["path"][i]
                indicator = Indicator(level1=part["level1"][i] or None, level2=part["level2"][i] or None,
                                      name=part["name"][i] or "", target=part["target"][i] or "",
                                      weight=part["weight"][i], key=part["key"][i])
                entries.append((path, indicator))
                actual = part["actual"][i]
                if actual is None:
                    continue
                value: str | ExplicitScore = actual
                if part["explicit_score"][i] is not None:
                    value = ExplicitScore(actual, Decimal(part["explicit_score"][i]))
                score = part["actual_score"][i]
                actuals[path] = Actual(value, reason=part["reason"][i] or "",
                                       score=None if score is None else Decimal(score))
            result: ProjectEvaluation | None = _evaluate(
                scope="project", code=base["project_code"], name=base["project_name"], year=int(info["year"] or 0),
                entries=entries, actuals=actuals, spent=info["spent"], budget=budget, policy=k.policy,
                strict=False, subject=f"project {base['project_code']}",
            )
        except (PerftargetError, ValueError, InvalidOperation) as exc:
            result, error = None, str(exc)
        if result is None:
            rows.append(_row(names, {**base, "error": error or "cannot be evaluated"}))
            spans.append((*replaced, first, 1))
            continue
        base["year"] = info["year"]
        rows.extend(_row(names, values) for values in evaluation_rows(result, base, per, _six))
        spans.append((*replaced, first, len(rows) - first))
    return rows, spans

