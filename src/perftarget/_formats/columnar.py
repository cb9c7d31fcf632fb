"""Province data as columns: one Arrow table of project tables, one of indicators, one of payments.

A finance department's warehouse holds targets as rows (one per indicator), not as
documents. :func:`flatten` turns documents (with their actuals and payments) into that
form, and the column kernels (:func:`perftarget.columnar.evaluate`, ``monitor``, ``review``)
work on it a whole column at a time, so that a batch of hundreds of thousands of tables
costs a few vectorised passes instead of one Python call per indicator.

The column layout (text columns are ``string``, amounts and percents exact decimal text,
``null`` where absent). The texts that repeat from row to row (``file`` and ``unit`` of the
tables; ``path``, ``level1``, ``level2``, ``name``, ``description``, ``target``, ``basis``,
``weight`` and ``key`` of the indicators) are dictionary-encoded (``dictionary<int32, string>``:
each distinct text held once, a number per row), which Parquet keeps and pandas shows as
categoricals; the kernels take every text column either way (plain ``string`` too, a dictionary
in any index width, chunks with different dictionaries):

``tables`` (one row per project table): ``table`` (int32, the number of the table in the
batch: 0…n-1 from :func:`flatten`; the kernels need only that it increase), ``file``,
``project`` (int32, its place in its document), ``project_code``, ``project_name``, ``unit``,
``year`` (int32), ``year_assumed`` (bool), ``purpose``, ``budget``, ``budget_fiscal``,
``budget_other`` (预算数 and its parts, 万元), ``spent`` and ``actuals_budget``
(全年执行数 and a budget given with the actuals, 万元),
``goal_contents`` (list<string>, one per goal), ``plan_start_month`` (int8, the first month of
the fiscal year; null without a plan), ``plan_dates`` (list<date32>), ``plan_percents``
(list<string>, cumulative), ``plan_labels`` (list<string>, the printed headings) and
``plan_multi_year`` (bool).

``indicators`` (one row per indicator, table by table): ``table`` (int32), ``path``
(``goals[0].indicators[3]``, inside the project), ``level1`` and ``level2`` (the printed
labels), ``name``, ``description``, ``target`` (as displayed: the text it was written with,
which reads as the same threshold), ``basis``, ``weight`` (分值, null when not given), ``key``,
``actual`` (the actual as text, null when none), ``actual_score`` (a score set by hand),
``explicit_score`` (the score given with a band, ``actual`` then holding the band), ``reason``.

``payments`` (one row per dated payment): ``table`` (int32), ``date`` (date32), ``amount`` (万元).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from perftarget._judge.monitor import Payment
from perftarget._model.actuals import MISSING, ActualsDocument, ExplicitScore, Matched, TableActuals, match_actuals
from perftarget._model.targets import Document, ProjectTargets
from perftarget._values.numbers import format_number, round_half_up
from perftarget._values.threshold import Achievement, Threshold, ThresholdKind
from perftarget.exceptions import InvalidValueError, MissingDependencyError

__all__ = [
    "Columns", "clean_columns", "column_schemas", "dictionary_texts", "flatten", "kernel_modules", "pyarrow_module",
    "scaled", "six_places", "text_codes",
]

_NOT_APPLICABLE = ThresholdKind.NOT_APPLICABLE


def kernel_modules(feature: str) -> tuple[Any, Any, Any]:
    """``pyarrow``, ``pyarrow.compute`` and ``numpy`` for the column kernels, or the extra to install."""
    pa = pyarrow_module(feature)
    try:
        import numpy as np  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError:  # pragma: no cover - the extra is installed in the test environment
        raise MissingDependencyError("numpy", "columnar", feature) from None
    import pyarrow.compute as pc  # noqa: PLC0415 - part of pyarrow

    return pa, pc, np


def dictionary_texts(schema: Any, names: Iterable[str], pa: Any) -> Any:  # noqa: ANN401 - a pyarrow schema
    """``schema`` with the text columns ``names`` dictionary-encoded (the repeated texts of a result)."""
    for name in names:
        schema = schema.set(schema.get_field_index(name), pa.field(name, pa.dictionary(pa.int32(), pa.string())))
    return schema


def text_codes(column: Any, pa: Any, pc: Any, np: Any) -> tuple[Any, Any]:  # noqa: ANN401 - pyarrow, numpy
    """A text column as codes into its distinct values: (int64 code of each row, -1 for null; the values).

    A dictionary-encoded column (as :func:`flatten` writes repeated texts, Parquet keeps them,
    pandas gives a categorical) is taken as it is, its rows not hashed again (see
    :func:`_clean_dictionary`). The values are an Arrow array: distinct, without null, each the
    text of some row.
    """
    if isinstance(column, pa.ChunkedArray) and not pa.types.is_dictionary(column.type):
        column = column.combine_chunks()
    encoded = _clean_dictionary(column, pa, pc, np) if pa.types.is_dictionary(column.type) else (
        pc.dictionary_encode(column)
    )
    indices = encoded.indices
    if indices.null_count:
        indices = indices.fill_null(-1)
    return np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64), encoded.dictionary


def _clean_dictionary(column: Any, pa: Any, pc: Any, np: Any) -> Any:  # noqa: ANN401 - pyarrow, numpy
    """A dictionary-encoded column as one array whose dictionary holds each text of its rows once.

    Chunks get one dictionary (Arrow unifies them); a dictionary that repeats a value or holds
    a null is made distinct (a row pointing at a null entry becomes null), and texts no row has
    (a categorical's unused categories) are left out. Indices become int32.
    """
    kind = pa.dictionary(pa.int32(), column.type.value_type)
    if isinstance(column, pa.ChunkedArray):
        column = pa.chunked_array([_distinct(chunk, pa, pc).cast(kind) for chunk in column.chunks], type=kind)
        column = column.combine_chunks()
    column = _distinct(column, pa, pc).cast(kind)
    dictionary, indices = column.dictionary, column.indices
    codes = np.asarray(indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    used = np.zeros(len(dictionary) + 1, dtype=bool)
    used[codes] = True  # a null (-1) marks the extra last slot
    if used[:-1].all():
        return column
    kept = np.flatnonzero(used[:-1])
    renumber = np.full(len(dictionary) + 1, -1, dtype=np.int32)
    renumber[kept] = np.arange(len(kept), dtype=np.int32)
    renumbered = renumber[codes]
    return pa.DictionaryArray.from_arrays(
        pa.array(renumbered, mask=renumbered < 0), dictionary.take(pa.array(kept))
    )


def _distinct(array: Any, pa: Any, pc: Any) -> Any:  # noqa: ANN401 - pyarrow
    """A dictionary array whose dictionary holds each value once and no null (null entries: null rows)."""
    dictionary = array.dictionary
    if not dictionary.null_count and len(pc.unique(dictionary)) == len(dictionary):
        return array
    distinct = pc.dictionary_encode(dictionary)
    return pa.DictionaryArray.from_arrays(distinct.indices.take(array.indices), distinct.dictionary)


def clean_columns(
    columns: Columns, pa: Any, pc: Any, np: Any, parts: Sequence[str] = ("tables", "indicators", "payments")  # noqa: ANN401 - pyarrow, numpy
) -> Columns:
    """``columns`` with each dictionary-encoded column of ``parts`` in one chunk over a distinct dictionary.

    The kernels call this first, so that the rest of their code meets one layout of such
    columns (Arrow cannot join chunks whose dictionaries hold a null), whatever the warehouse
    or pandas handed over. A column already in one chunk over a distinct dictionary without
    null (as :func:`flatten` makes them) is left as it is, as are plain columns; unused
    dictionary texts are left to :func:`text_codes`.
    """
    changed = {}
    for part in parts:
        table = getattr(columns, part)
        if table is None:
            continue
        for index, field in enumerate(table.schema):
            if not pa.types.is_dictionary(field.type):
                continue
            column = table.column(index)
            if column.num_chunks == 1:
                chunk = column.chunk(0)
                if _distinct(chunk, pa, pc) is chunk:
                    continue
            table = table.set_column(index, field.name, _clean_dictionary(column, pa, pc, np))
        changed[part] = table
    return attrs.evolve(columns, **changed)


def six_places(value: Decimal | None) -> str:
    """A figure as the column kernels print it: rounded half up to 6 places, no trailing zeros."""
    if value is None:
        return ""
    text = format_number(round_half_up(value, 6))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def scaled(value: Decimal, limit: int) -> int | None:
    """``value`` as an integer of 10**-6, or ``None`` when that is not exact or not below ``limit``."""
    try:
        micro = value.scaleb(6)
        if micro != micro.to_integral_value() or abs(micro) >= limit:
            return None
        return int(micro)
    except (InvalidOperation, OverflowError):  # pragma: no cover - NaN or infinity never reach here
        return None


def pyarrow_module(feature: str) -> Any:  # noqa: ANN401 - the pyarrow module
    """``pyarrow``, or a :class:`MissingDependencyError` naming the extra to install."""
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError:  # pragma: no cover - the extra is installed in the test environment
        raise MissingDependencyError("pyarrow", "columnar", feature) from None
    return pa


@attrs.frozen
class Columns:
    """A batch of project tables as Arrow tables: ``tables``, ``indicators`` and ``payments``.

    Build it with :func:`flatten`, or from your own warehouse tables with the same columns
    (see :mod:`perftarget.columnar` for the layout). ``indicators.table`` and
    ``payments.table`` refer to ``tables.table``.

    .. versionadded:: 0.1.0
    """

    tables: Any
    indicators: Any
    payments: Any = None

    @property
    def table_count(self) -> int:
        """How many project tables the batch holds."""
        return int(self.tables.num_rows)

    @property
    def indicator_count(self) -> int:
        """How many indicators the batch holds."""
        return int(self.indicators.num_rows)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def _actual_text(value: object) -> str | None:
    if value is MISSING:
        return None
    if isinstance(value, Achievement):
        return value.value
    if isinstance(value, ExplicitScore):
        return value.band.value
    return _text(value)


_TABLE_FIELDS = (
    "table", "file", "project", "project_code", "project_name", "unit", "year", "year_assumed", "purpose", "budget",
    "budget_fiscal", "budget_other", "spent", "actuals_budget", "goal_contents", "plan_start_month", "plan_dates",
    "plan_percents", "plan_labels", "plan_multi_year",
)
_INDICATOR_FIELDS = (
    "table", "path", "level1", "level2", "name", "description", "target", "basis", "weight", "key", "actual",
    "actual_score", "explicit_score", "reason",
)


def column_schemas(pa: Any) -> tuple[Any, Any, Any]:  # noqa: ANN401 - pyarrow
    """The Arrow schemas of the ``tables``, ``indicators`` and ``payments`` that :func:`flatten` makes."""
    text, texts = pa.string(), pa.list_(pa.string())
    coded = pa.dictionary(pa.int32(), pa.string())  # texts that repeat from row to row
    tables = pa.schema([
        ("table", pa.int32()), ("file", coded), ("project", pa.int32()), ("project_code", text),
        ("project_name", text), ("unit", coded), ("year", pa.int32()), ("year_assumed", pa.bool_()),
        ("purpose", text), ("budget", text), ("budget_fiscal", text), ("budget_other", text), ("spent", text),
        ("actuals_budget", text), ("goal_contents", texts), ("plan_start_month", pa.int8()),
        ("plan_dates", pa.list_(pa.date32())), ("plan_percents", texts), ("plan_labels", texts),
        ("plan_multi_year", pa.bool_()),
    ])
    indicators = pa.schema([
        ("table", pa.int32()), ("path", coded), ("level1", coded), ("level2", coded), ("name", coded),
        ("description", coded), ("target", coded), ("basis", coded), ("weight", coded), ("key", coded),
        ("actual", text),
        ("actual_score", text), ("explicit_score", text), ("reason", text),
    ])
    payments = pa.schema([("table", pa.int32()), ("date", pa.date32()), ("amount", pa.string())])
    return tables, indicators, payments


def _projects(source: object) -> list[tuple[str, int, ProjectTargets]]:
    if isinstance(source, Document):
        return [("", index, project) for index, project in enumerate(source.projects)]
    if isinstance(source, ProjectTargets):
        return [("", 0, source)]
    if isinstance(source, Mapping):
        found: list[tuple[str, int, ProjectTargets]] = []
        for file, item in source.items():
            found.extend((str(file), index, project) for _, index, project in _projects(item))
        return found
    if isinstance(source, Iterable) and not isinstance(source, (str, bytes)):
        found = []
        for item in source:
            found.extend(_projects(item))
        return found
    msg = f"expected documents or project tables (got {type(source).__name__})"
    raise InvalidValueError(msg, field="source", value=source)


def _find(entries: Mapping[str, Any], project: ProjectTargets) -> Any:  # noqa: ANN401 - a table's entry
    return entries.get(project.code) or entries.get(project.name)


def _by_project(items: Iterable[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        found.setdefault(item.project, item)
    return found


def flatten(
    source: Document | ProjectTargets | Iterable[Document | ProjectTargets] | Mapping[str, Document],
    *,
    actuals: ActualsDocument | Iterable[TableActuals] | None = None,
    payments: Mapping[str, Sequence[Payment]] | None = None,
) -> Columns:
    """Documents (or project tables) as :class:`Columns`, with their actuals and payments.

    Args:
        source: a document, a project table, a list of them, or a mapping of file name to
            document (the name fills the ``file`` column).
        actuals: the actuals (实际完成值) of the tables, matched by project code or name and,
            inside a table, by indicator path, key or name as :func:`perftarget.evaluate`
            does. Actuals that match no indicator are left out.
        payments: dated payments per project code (or name), for monitoring.

    Raises:
        MissingDependencyError: ``pyarrow`` is not installed (the ``columnar`` extra).

    .. versionadded:: 0.1.0
    """
    pa = pyarrow_module("perftarget.columnar")
    table_schema, indicator_schema, payment_schema = column_schemas(pa)
    projects = _projects(source)
    actual_entries = _by_project(
        (actuals.projects if isinstance(actuals, ActualsDocument) else actuals) if actuals is not None else ()
    )
    tables: dict[str, list[object]] = {name: [] for name in _TABLE_FIELDS}
    rows: dict[str, list[object]] = {name: [] for name in _INDICATOR_FIELDS}
    paid: dict[str, list[object]] = {"table": [], "date": [], "amount": []}
    # labels and displayed targets repeat: worked out once per object (the source keeps them alive)
    levels: dict[int, str] = {id(None): ""}
    shown: dict[int, str] = {}
    for number, (file, place, project) in enumerate(projects):
        entry: TableActuals | None = _find(actual_entries, project) if actual_entries else None
        schedule = project.schedule
        budget = project.budget
        checkpoints = () if schedule is None else schedule.checkpoints
        for name, value in (
            ("table", number), ("file", file), ("project", place), ("project_code", project.code),
            ("project_name", project.name), ("unit", project.unit.name), ("year", project.year),
            ("year_assumed", project.year_assumed), ("purpose", project.purpose), ("budget", _text(budget.total)),
            ("budget_fiscal", _text(budget.fiscal)), ("budget_other", _text(budget.other)),
            ("spent", None if entry is None else _text(entry.spent)),
            ("actuals_budget", None if entry is None else _text(entry.budget)),
            ("goal_contents", [goal.content for goal in project.goals]),
            ("plan_start_month", None if schedule is None else schedule.start_month),
            ("plan_dates", [c.date for c in checkpoints]),
            ("plan_percents", [format_number(c.percent) for c in checkpoints]),
            ("plan_labels", [c.label for c in checkpoints]),
            ("plan_multi_year", None if schedule is None else schedule.multi_year),
        ):
            tables[name].append(value)
        entries = list(project.iter_indicators())
        matched = match_actuals(entries, entry.actuals, []) if entry is not None else Matched(len(entries))
        count = len(entries)
        indicators = [indicator for _, indicator in entries]
        values = matched.values
        rows["table"].extend([number] * count)
        rows["path"].extend([path for path, _ in entries])
        rows["level1"].extend([levels.get(id(i.level1)) or _level(levels, i.level1) for i in indicators])
        rows["level2"].extend([levels.get(id(i.level2)) or _level(levels, i.level2) for i in indicators])
        rows["name"].extend([i.name for i in indicators])
        rows["description"].extend([i.description for i in indicators])
        rows["target"].extend([shown.get(id(i.target)) or _display(shown, i.target) for i in indicators])
        rows["basis"].extend([None if i.basis is None else i.basis.text for i in indicators])
        rows["weight"].extend([None if i.weight is None else format_number(i.weight) for i in indicators])
        rows["key"].extend([i.key or None for i in indicators])
        rows["actual"].extend([value if type(value) is str else _actual_text(value) for value in values])
        rows["actual_score"].extend([_text(score) for score in matched.manual])
        rows["explicit_score"].extend(
            [_text(value.score) if isinstance(value, ExplicitScore) else None for value in values]
        )
        rows["reason"].extend(matched.reasons)
        spent = None if payments is None else (payments.get(project.code) or payments.get(project.name))
        for payment in spent or ():
            paid["table"].append(number)
            paid["date"].append(payment.date)
            paid["amount"].append(format_number(payment.amount))
    return Columns(
        tables=pa.Table.from_pydict(tables, schema=table_schema),
        indicators=pa.Table.from_pydict(rows, schema=indicator_schema),
        payments=pa.Table.from_pydict(paid, schema=payment_schema),
    )


def _level(levels: dict[int, str], level: object) -> str:
    if level is None:
        return ""
    label = getattr(level, "label", None)
    text = label if isinstance(label, str) else str(level)
    levels[id(level)] = text
    return text


def _display(shown: dict[int, str], target: Threshold) -> str:
    text = target.display
    shown[id(target)] = text
    return text

