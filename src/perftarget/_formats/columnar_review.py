"""Review (审核) of a columnar batch: the review rules over :class:`~perftarget._formats.columnar.Columns`.

:func:`review_columns` gives, for every project table of the columns, the findings
:func:`perftarget.review` gives for that table: the same codes, paths, severities and
messages, in the same order. It has no rule of its own: each table is rebuilt from its rows
as a :class:`~perftarget.ProjectTargets` (each distinct target, level, basis and weight
converted once, each distinct indicator built once) and reviewed by the review engine with
the built-in rules. Every table of the batch goes this one way (there is no second path for
some of them). Paths are those of the table's document: ``projects[p].…`` with ``p`` the
table's place in it, the ``project`` column of ``tables`` when present; otherwise it is
counted among the consecutive tables with the same ``file`` (right for
:func:`~perftarget._formats.columnar.flatten` of a mapping of file to document or of one
document; for a list of unnamed documents add the ``project`` column).

What the columns must hold: those :func:`~perftarget._formats.columnar.flatten` writes. Tables
built elsewhere may lack the optional ones (``description``, ``basis``, ``project``,
``purpose``, ``budget_fiscal``, ``budget_other``, ``year_assumed``, ``goal_contents``,
``plan_labels``); :func:`with_review_columns` adds them from the source documents, and
without them the review refuses the columns rather than judge a table it cannot see whole.

What the columns do not carry, and so is not reviewed: a department part (PT501, PT505 and
its goals and indicators), suppressions (PT504; a finding a table suppresses is reported),
the unit's code, the table's ``form`` (every table is reviewed as a target table), the
columns of published layouts (``unit_text``, ``value_kind``, ``costs``...: PT308, PT309,
PT407, PT408 see their defaults), and custom rules. A bare target read as
≤ (an inferred comparator other than ≥) does not survive the ``target`` text either.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from perftarget._codec.build import builder
from perftarget._formats.columnar import (
    Columns,
    clean_columns,
    column_schemas,
    dictionary_texts,
    kernel_modules,
    pyarrow_module,
    text_codes,
)
from perftarget._formats.results import result_schema
from perftarget._judge.review import ReviewConfig, _plan, _Run, _sorted, _to_ignore, _to_selectors
from perftarget._model.targets import Basis, Budget, Document, Goal, Indicator, ProjectTargets, Unit
from perftarget._values.levels import to_level1, to_level2
from perftarget._values.numbers import format_number
from perftarget._values.schedule import Checkpoint, SpendingSchedule
from perftarget._values.threshold import Threshold
from perftarget.exceptions import InvalidValueError
from perftarget.rules import BUILTIN_RULES

__all__ = ["review_columns", "review_summary", "with_review_columns"]

_TABLE_COLUMNS: Final = (
    "table", "file", "project", "project_code", "project_name", "unit", "year", "year_assumed", "purpose", "budget",
    "budget_fiscal", "budget_other", "goal_contents", "plan_start_month", "plan_dates", "plan_percents",
    "plan_labels", "plan_multi_year",
)
_INDICATOR_COLUMNS: Final = (
    "table", "path", "level1", "level2", "name", "description", "target", "basis", "weight", "key",
)
# The columns with_review_columns adds (the rest flatten always writes).
_TABLE_EXTRAS: Final = ("project", "purpose", "budget", "budget_fiscal", "budget_other", "year_assumed",
                        "goal_contents", "plan_labels")
_INDICATOR_EXTRAS: Final = ("description", "basis", "target")
_PROJECTS_TOKEN: Final = (1, 0, "projects")  # the first token of the sort key of a path projects[p]...
_PATH: Final = re.compile(r"\Agoals\[(\d+)\]\.indicators\[(\d+)\]\Z")


# --- adding the optional columns ----------------------------------------------------------------


def _walk(source: object) -> Iterator[tuple[int, ProjectTargets]]:
    if isinstance(source, Document):
        yield from enumerate(source.projects)
    elif isinstance(source, ProjectTargets):
        yield 0, source
    elif isinstance(source, Mapping):
        for item in source.values():
            yield from _walk(item)
    elif isinstance(source, Iterable) and not isinstance(source, (str, bytes)):
        for item in source:
            yield from _walk(item)
    else:
        msg = f"expected documents or project tables (got {type(source).__name__})"
        raise InvalidValueError(msg, field="source", value=source)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value)


def with_review_columns(columns: Columns, source: object) -> Columns:
    """``columns`` with the optional columns the review reads, taken from ``source``.

    ``source`` is what ``columns`` was flattened from (the same documents, in the same
    order). See the module docstring for the columns added.

    Raises:
        InvalidValueError: ``source`` does not hold the tables and indicators of ``columns``.

    .. versionadded:: 0.1.0
    """
    pa = pyarrow_module("perftarget.columnar")
    table_values: dict[str, list[object]] = {name: [] for name in _TABLE_EXTRAS}
    indicator_values: dict[str, list[object]] = {name: [] for name in _INDICATOR_EXTRAS}
    for index, project in _walk(source):
        schedule = project.schedule
        budget = project.budget
        for name, value in (
            ("project", index), ("purpose", project.purpose), ("budget", _amount(budget.total)),
            ("budget_fiscal", _amount(budget.fiscal)), ("budget_other", _amount(budget.other)),
            ("year_assumed", project.year_assumed), ("goal_contents", [goal.content for goal in project.goals]),
            ("plan_labels", [] if schedule is None else [c.label for c in schedule.checkpoints]),
        ):
            table_values[name].append(value)
        for _, indicator in project.iter_indicators():
            indicator_values["description"].append(indicator.description)
            indicator_values["basis"].append(None if indicator.basis is None else indicator.basis.text)
            indicator_values["target"].append(indicator.target.display)
    if len(table_values["project"]) != columns.table_count or (
        len(indicator_values["description"]) != columns.indicator_count
    ):
        msg = (
            f"source: expected the {columns.table_count} tables and {columns.indicator_count} indicators of the "
            f"columns, got {len(table_values['project'])} and {len(indicator_values['description'])}"
        )
        raise InvalidValueError(msg, field="source")
    table_schema, indicator_schema, _ = column_schemas(pa)  # the types flatten gives these columns
    tables = columns.tables
    for name, values in table_values.items():
        tables = _put(tables, name, pa.array(values, table_schema.field(name).type))
    indicators = columns.indicators
    for name, values in indicator_values.items():
        indicators = _put(indicators, name, pa.array(values, indicator_schema.field(name).type))
    return attrs.evolve(columns, tables=tables, indicators=indicators)


def _put(table: Any, name: str, array: Any) -> Any:  # noqa: ANN401 - pyarrow tables
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, array)
    return table.append_column(name, array)


# --- encoding -------------------------------------------------------------------------------------


class _Encoded:
    """A column as integer codes (0 for null) and its distinct values (index 0: ``None``)."""

    __slots__ = ("codes", "dictionary", "values")

    def __init__(self, column: Any, np: Any, pc: Any) -> None:  # noqa: ANN401 - pyarrow and numpy
        import pyarrow as pa  # noqa: PLC0415 - only reached through the columnar entry points

        codes, dictionary = text_codes(column, pa, pc, np)
        self.codes: Any = np.add(codes, 1, dtype=np.int64)
        self.dictionary: Any = dictionary  # the distinct values as Arrow (code k + 1 is dictionary[k])
        self.values: list[Any] = [None, *dictionary.to_pylist()]


def _to_numpy(column: Any, np: Any, dtype: Any, fill: object) -> Any:  # noqa: ANN401 - pyarrow, numpy
    return np.asarray(column.fill_null(fill).to_numpy(zero_copy_only=False), dtype=dtype)




def _places(batch_tables: Any, np: Any, pc: Any) -> Any:  # noqa: ANN401 - pyarrow, numpy
    """Each table's index in its document: the ``project`` column, or its run of equal ``file``."""
    if "project" in batch_tables.column_names:
        return _to_numpy(batch_tables.column("project"), np, np.int64, 0)
    files = _Encoded(batch_tables.column("file"), np, pc).codes
    n = len(files)
    if not n:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = files[1:] != files[:-1]
    run_start = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    return np.arange(n) - run_start



# --- the tables rebuilt from their rows -------------------------------------------------------------


def _missing(columns: Columns) -> list[str]:
    tables, indicators = set(columns.tables.column_names), set(columns.indicators.column_names)
    return [f"tables.{name}" for name in _TABLE_COLUMNS if name not in tables and name != "project"] + [
        f"indicators.{name}" for name in _INDICATOR_COLUMNS if name not in indicators
    ]


def _values(table: Any, name: str, pa: Any) -> list[Any]:  # noqa: ANN401 - a pyarrow table
    """A column as Python values (a dictionary-encoded text as its text)."""
    column = table.column(name)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return column.to_pylist()  # type: ignore[no-any-return]


class _Once(dict[Any, Any]):
    """A value made once per distinct key (``make(key)`` on the first lookup)."""

    __slots__ = ("make",)

    def __init__(self, make: Any) -> None:  # noqa: ANN401 - a converter
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:  # noqa: ANN401 - a cell
        made = self[key] = self.make(key)
        return made


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _place_in_goal(path: str | None) -> tuple[int, int]:
    match = _PATH.match(path or "")
    if match is None:
        msg = f"indicators: a path must read goals[g].indicators[i] (got {path!r})"
        raise InvalidValueError(msg, field="path", value=path)
    return int(match.group(1)), int(match.group(2))


def _field_value(field: attrs.Attribute[Any], value: object) -> Any:  # noqa: ANN401 - a field's value
    """``value`` as ``__init__`` stores it in ``field``: converted and checked by the field's own hooks."""
    if field.converter is not None:
        value = field.converter(value)  # type: ignore[operator]
    if field.validator is not None:
        field.validator(None, field, value)
    return value


_INDICATOR_FIELDS: Final = attrs.fields_dict(Indicator)
_BUILDING_INDICATOR: Final = builder(Indicator)
_new: Final = object.__new__


_CARRIED_INDICATOR_FIELDS: Final = frozenset(
    {"level1", "level2", "name", "description", "target", "basis", "weight", "key", "suppressions"}
)


def _indicators(
    columns: Columns, np: Any, pc: Any  # noqa: ANN401 - numpy, pyarrow.compute
) -> tuple[Any, Any, Any, list[Indicator]]:
    """Each indicator row's table, goal and place in the goal (numpy arrays), and its :class:`Indicator`.

    Each distinct indicator is built once, each distinct cell converted once: the rows are read
    as the codes of their cells among the column's distinct values, so a row's Python texts are
    made only for its column's distinct values. A cell's value is what ``Indicator.__init__``
    would store (the field's converter and validator run once per distinct cell), the object is
    filled by plain assignment (:func:`~perftarget._codec.build.builder`), and its
    ``__attrs_post_init__`` (which reads the two levels) runs once per distinct pair of levels.
    """
    indicators = columns.indicators
    table = _to_numpy(indicators.column("table"), np, np.int64, -1)
    paths = _Encoded(indicators.column("path"), np, pc)
    cells = [_Encoded(indicators.column(name), np, pc) for name in _INDICATOR_COLUMNS[2:]]
    level1s, level2s, names, descriptions, targets, bases, weights, keys = (cell.values for cell in cells)
    f = _INDICATOR_FIELDS
    # each distinct cell converted once, by its code, to the value the field stores
    level1 = _Once(lambda code: _field_value(f["level1"], to_level1(level1s[code] or None)))
    level2 = _Once(lambda code: _field_value(f["level2"], to_level2(level2s[code] or None)))
    name = _Once(lambda code: _field_value(f["name"], names[code] or ""))
    description = _Once(lambda code: _field_value(f["description"], descriptions[code] or ""))
    threshold = _Once(lambda code: _field_value(f["target"], Threshold.parse(targets[code] or "")))
    basis = _Once(lambda code: _field_value(f["basis"], None if bases[code] is None else Basis(bases[code])))
    weight = _Once(lambda code: _field_value(f["weight"], _decimal(weights[code])))
    key = _Once(lambda code: _field_value(f["key"], keys[code]))
    suppressions = _field_value(f["suppressions"], ())
    # the fields the columns do not carry (计量单位, 指标值类型... of published layouts) take their defaults
    uncarried = tuple(
        (field.name, _field_value(field, field.default))
        for field in attrs.fields(Indicator)
        if field.name not in _CARRIED_INDICATOR_FIELDS
    )
    levels_checked: set[tuple[int, int]] = set()

    def build(codes: tuple[int, ...]) -> Indicator:
        l1, l2, n, d, t, b, w, k = codes
        made = _new(_BUILDING_INDICATOR)
        made.level1 = level1[l1]
        made.level2 = level2[l2]
        made.name = name[n]
        made.description = description[d]
        made.target = threshold[t]
        made.basis = basis[b]
        made.weight = weight[w]
        made.key = key[k]
        made.suppressions = suppressions
        for field_name, default in uncarried:
            setattr(made, field_name, default)
        made.__class__ = Indicator
        if (l1, l2) not in levels_checked:
            made.__attrs_post_init__()
            levels_checked.add((l1, l2))
        return made  # type: ignore[no-any-return]

    made = _Once(build)
    rows = zip(*(cell.codes.tolist() for cell in cells), strict=True)
    # each distinct path read once: the goal and the place in it of each row
    used = np.unique(paths.codes)
    goal_of, index_of = np.zeros(len(paths.values), np.int64), np.zeros(len(paths.values), np.int64)
    for code in used.tolist():
        goal_of[code], index_of[code] = _place_in_goal(paths.values[code])
    return table, goal_of[paths.codes], index_of[paths.codes], [made[row] for row in rows]


def _schedule(  # noqa: PLR0917 - the plan's columns
    year: int, start: int | None, dates: Any, percents: Any, labels: Any, multi_year: object  # noqa: ANN401
) -> SpendingSchedule | None:
    if start is None:
        return None
    labels = labels or [None] * len(dates or ())
    return SpendingSchedule(
        fiscal_year=year,
        checkpoints=tuple(
            Checkpoint(date=d, percent=Decimal(p), label=lab) for d, p, lab in zip(dates or (), percents or (), labels,
                                                                                    strict=True)
        ),
        start_month=int(start),
        multi_year=bool(multi_year),
    )


def _tables(columns: Columns, pa: Any, np: Any, pc: Any) -> Iterator[ProjectTargets]:  # noqa: ANN401 - pyarrow
    """Each table of the columns as the :class:`ProjectTargets` its rows describe, in order."""
    tables = columns.tables
    n = int(tables.num_rows)
    row_table, row_goal, row_index, made = _indicators(columns, np, pc)
    # the rows in table order, then goal, then place in the goal (a stable sort: rows at one place keep
    # their order), and the runs of rows of one goal of one table
    order = np.lexsort((row_index, row_goal, row_table))
    if len(order) and not (order[1:] > order[:-1]).all():
        made = [made[k] for k in order.tolist()]
        row_table, row_goal = row_table[order], row_goal[order]
    new_run = np.ones(len(made), dtype=bool)
    new_run[1:] = (row_table[1:] != row_table[:-1]) | (row_goal[1:] != row_goal[:-1])
    run_starts = np.flatnonzero(new_run)
    starts = [*run_starts.tolist(), len(made)]
    run_goals = row_goal[run_starts].tolist()
    table_runs = np.searchsorted(row_table[run_starts], np.arange(n + 1)).tolist()  # the runs of each table
    names = ("project_code", "project_name", "unit", "year", "year_assumed", "purpose", "budget", "budget_fiscal",
             "budget_other", "goal_contents", "plan_start_month", "plan_dates", "plan_percents", "plan_labels",
             "plan_multi_year")
    units = _Once(lambda name: Unit("", name or ""))
    # tables of a batch share their plans and budgets often: each distinct one is made once (they are values)
    schedules = _Once(lambda key: _schedule(*key))
    budgets = _Once(lambda key: Budget(total=Decimal(key[0] or "0"), fiscal=_decimal(key[1]), other=_decimal(key[2])))
    for table, row in enumerate(zip(*(_values(tables, name, pa) for name in names), strict=True)):
        (code, name, unit, year, assumed, purpose, total, fiscal, other, contents, start, dates, percents, labels,
         multi_year) = row
        first, last = table_runs[table], table_runs[table + 1]
        contents = contents or []
        count = max(len(contents), run_goals[last - 1] + 1 if last > first else 0)
        goals: list[list[Indicator]] = [[] for _ in range(count)]
        for run in range(first, last):
            goals[run_goals[run]] = made[starts[run] : starts[run + 1]]
        schedule = None if start is None else schedules[
            year, start, tuple(dates or ()), tuple(percents or ()), tuple(labels or ()), multi_year
        ]
        yield ProjectTargets(
            unit=units[unit], code=code or "", name=name or "", year=int(year),
            budget=budgets[total, fiscal, other],
            purpose=purpose or "", schedule=schedule,
            goals=tuple(Goal(contents[g] if g < len(contents) else "", tuple(goal)) for g, goal in enumerate(goals)),
            year_assumed=bool(assumed),
        )


_FILLER: Final = ProjectTargets(unit=Unit("", ""), code="", name="", year=2000, budget=Budget(total=Decimal(0)))


def _documents(files: list[int], places: list[int]) -> Iterator[tuple[int, list[int]]]:
    """The tables of each document: runs of consecutive tables with the same file and rising places.

    Yields (the first table, the place of each table of the run).
    """
    first = 0
    for table in range(1, len(files) + 1):
        if table == len(files) or files[table] != files[first] or places[table] <= places[table - 1]:
            yield first, places[first:table]
            first = table


def _layout(columns: Columns, np: Any, pc: Any) -> tuple[list[int], list[int]]:  # noqa: ANN401 - numpy, pyarrow
    """Each table's place in its document and the code of its file, the numbering of the columns checked."""
    tables = columns.tables
    n = int(tables.num_rows)
    numbers = _to_numpy(tables.column("table"), np, np.int64, 0)
    if n and not (numbers == np.arange(n)).all():
        msg = "tables: the 'table' column must number the tables 0, 1, … in order"
        raise InvalidValueError(msg, field="table")
    row_table = _to_numpy(columns.indicators.column("table"), np, np.int64, -1)
    if len(row_table) and not ((row_table >= 0) & (row_table < n)).all():
        msg = f"indicators: the 'table' column must name a table of tables (0 to {n - 1})"
        raise InvalidValueError(msg, field="table")
    places = _places(tables, np, pc)
    if len(places) and int(places.min()) < 0:
        msg = "tables: the 'project' column must give each table's place in its document (0, 1, …)"
        raise InvalidValueError(msg, field="project")
    places = places.tolist()
    return places, _Encoded(tables.column("file"), np, pc).codes.tolist()


def review_columns(
    columns: Columns,
    *,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
) -> Any:  # noqa: ANN401 - a pyarrow.Table
    """The findings of the built-in rules on a columnar batch, one row per finding.

    The columns are those of ``perftarget.batch.result_columns("check", "indicator")``:
    ``file`` (the table's), ``project_code``, ``project_name``, ``path``
    (``projects[p].goals[g].indicators[k].target``, relative to the table's document),
    ``code``, ``severity``, ``message`` and ``error`` (always empty). Rows are ordered by
    table, then as :func:`perftarget.review` orders them (path, then code). The texts that
    repeat (``file``, ``project_code``, ``project_name``, ``code``, ``severity``,
    ``message``) are dictionary-encoded (pandas shows them as categoricals). ``select``
    and ``ignore`` choose among the built-in rules as for :func:`perftarget.review`.

    Raises:
        InvalidValueError: a selector matches no rule; the columns lack one the review reads
            (:func:`with_review_columns` adds them), or do not describe valid tables.
        MissingDependencyError: ``pyarrow`` is not installed (the ``columnar`` extra).

    .. versionadded:: 0.1.0
    """
    pa, pc, np = kernel_modules("perftarget.columnar")
    config = ReviewConfig()
    if select is not None or ignore is not None:
        config = attrs.evolve(
            config,
            select=None if select is None else _to_selectors(select),
            ignore=() if ignore is None else _to_ignore(ignore),
        )
    plan = _plan(BUILTIN_RULES, config)  # refuses a selector that matches no rule, as review does
    missing = _missing(columns)
    if missing:
        msg = f"the review reads columns these lack: {', '.join(missing)} (with_review_columns adds them)"
        raise InvalidValueError(msg, field="columns")
    columns = clean_columns(columns, pa, pc, np)
    tables = columns.tables
    places, files = _layout(columns, np, pc)
    found: dict[str, list[Any]] = {"table": [], "path": [], "code": [], "severity": [], "message": []}
    # rebuilding and reviewing make many small objects that hold no cycles: the garbage collector
    # is paused while they are made, as the fast JSON path does for a large document
    collecting = gc.isenabled()
    gc.disable()
    try:
        projects = list(_tables(columns, pa, np, pc))
        for first, at in _documents(files, places):
            # the tables of one document at their places (a place no row gives holds a filler, whose findings go)
            table_at = dict(zip(at, range(first, first + len(at)), strict=True))
            document = Document(projects=tuple(projects[table_at[p]] if p in table_at else _FILLER
                                               for p in range(at[-1] + 1)))
            findings, keys = _sorted(_Run(plan, config, document, "document"))
            # the table of each finding, by its path's projects[p] (none without a department or suppressions)
            owners = [table_at.get(key[1][1], -1) if key[0] == _PROJECTS_TOKEN else -1 for key in keys]
            kept = [k for k, owner in enumerate(owners) if owner >= 0]
            if len(kept) != len(findings):
                findings = [findings[k] for k in kept]
                owners = [owners[k] for k in kept]
            found["table"] += owners
            found["path"] += [finding.path for finding in findings]
            found["code"] += [finding.code for finding in findings]
            found["severity"] += [finding.severity.value for finding in findings]
            found["message"] += [finding.message for finding in findings]
    finally:
        if collecting:
            gc.enable()
    return _assemble(tables, found, pa, pc)


def _assemble(tables: Any, found: Mapping[str, list[Any]], pa: Any, pc: Any) -> Any:  # noqa: ANN401 - pyarrow
    schema = _dictionary_schema(result_schema("check", "indicator"), pa)
    picked = pa.array(found["table"], pa.int32())

    def of_table(name: str) -> Any:  # noqa: ANN401 - an Arrow array
        column = tables.column(name).combine_chunks()
        return pc.dictionary_encode(column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column).take(
            picked
        )

    arrays = [
        of_table("file"), of_table("project_code"), of_table("project_name"), pa.array(found["path"], pa.string()),
        *(pc.dictionary_encode(pa.array(found[name], pa.string())) for name in ("code", "severity", "message")),
        pa.repeat(pa.scalar("", pa.string()), len(found["path"])),
    ]
    return pa.Table.from_arrays([a.cast(field.type) for a, field in zip(arrays, schema, strict=True)], schema=schema)


_CODED: Final = ("file", "project_code", "project_name", "code", "severity", "message")


def _dictionary_schema(schema: Any, pa: Any) -> Any:  # noqa: ANN401 - a pyarrow schema
    """``schema`` with the repeated texts of the findings (:data:`_CODED`) dictionary-encoded."""
    return dictionary_texts(schema, _CODED, pa)


def _plain(column: Any, pa: Any) -> Any:  # noqa: ANN401 - an Arrow column
    """A text column as plain strings (a dictionary-encoded one decoded)."""
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def review_summary(columns: Columns, findings: Any) -> Any:  # noqa: ANN401 - pyarrow tables
    """One row per table with its finding counts: the columns of ``result_columns("check", "table")``.

    ``findings`` is what :func:`review_columns` returned for ``columns``: ``codes`` lists
    each table's codes in its findings' order, ``indicators`` counts its indicators.

    .. versionadded:: 0.1.0
    """
    pa, pc, np = kernel_modules("perftarget.columnar")

    from perftarget._formats.results import result_schema  # noqa: PLC0415

    columns = clean_columns(columns, pa, pc, np)
    tables = columns.tables
    n = int(tables.num_rows)
    table = _finding_tables(tables, findings, np, pa, pc)
    order = np.argsort(table, kind="stable")
    table = table[order]
    keep = table >= 0
    order, table = order[keep], table[keep]
    picked = pa.array(order)
    codes = _plain(findings.column("code"), pa).take(picked)
    severity = _plain(findings.column("severity"), pa).take(picked)
    counts = {
        kind: np.bincount(table[_to_numpy(pc.equal(severity, kind), np, bool, False)], minlength=n)  # noqa: FBT003
        for kind in ("error", "warning", "info")
    }
    offsets = np.searchsorted(table, np.arange(n + 1)).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), codes.combine_chunks()), " ")
    row_table = _to_numpy(columns.indicators.column("table"), np, np.int64, 0)
    schema = result_schema("check", "table")
    arrays = [
        tables.column("file"), tables.column("project_code"), tables.column("project_name"),
        pc.cast(tables.column("year"), pa.int64()),
        pa.array(np.bincount(row_table, minlength=n)[:n].astype(np.int64)),
        pa.array(counts["error"].astype(np.int64)), pa.array(counts["warning"].astype(np.int64)),
        pa.array(counts["info"].astype(np.int64)), joined, pa.repeat(pa.scalar("", pa.string()), n),
    ]
    return pa.Table.from_arrays([pa.chunked_array([a]) if not hasattr(a, "chunks") else a for a in arrays],
                                schema=schema)


def _finding_tables(tables: Any, findings: Any, np: Any, pa: Any, pc: Any) -> Any:  # noqa: ANN401 - pyarrow, numpy
    """The table of each finding (-1: none), by its ``file`` and the place in ``projects[p]`` of its path.

    Where two tables share a file and a place, the later one is taken.
    """
    places = _places(tables, np, pc)
    # a null file is a value of its own (a dictionary-encoded column would keep it as a null index)
    files = pc.dictionary_encode(_plain(tables.column("file"), pa).combine_chunks(), null_encoding="encode")
    table_file = files.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    finding_file = _to_numpy(
        pc.index_in(_plain(findings.column("file"), pa), value_set=files.dictionary, skip_nulls=False), np, np.int64,
        -1,
    )
    place = pc.struct_field(pc.extract_regex(findings.column("path"), r"^projects\[(?P<p>\d+)\]"), "p")
    place = _to_numpy(pc.cast(place, pa.int64()), np, np.int64, -1)
    if not len(places) or not len(place):
        return np.full(len(place), -1, dtype=np.int64)
    span = int(max(places.max(), place.max())) + 1
    keys = table_file * span + places
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    wanted = finding_file * span + place
    at = np.searchsorted(sorted_keys, wanted, side="right") - 1
    hit = (finding_file >= 0) & (place >= 0) & (at >= 0)
    hit[hit] = sorted_keys[at[hit]] == wanted[hit]
    return np.where(hit, order[np.maximum(at, 0)], -1)
