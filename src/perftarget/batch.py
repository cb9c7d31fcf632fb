"""Many tables at once: a folder on all cores, one result table, and the same work per Arrow batch or frame.

The unit of work is one *record*: the text of a targets document, with the text of its
actuals (for ``evaluate``) or of its spending (for ``monitor``). :func:`process_record`
turns one record into result rows of a fixed schema (:func:`result_columns`); everything
else is plumbing around it:

- :func:`process_folder` finds the documents under folders, pairs each ``X.json`` (or
  ``.toml``) with ``X.actuals.json`` / ``X.monitoring.json`` beside it, runs the records on
  all cores (processes), shows a progress bar, and streams the rows to CSV and Parquet;
- :func:`process_frame` / :func:`map_pandas` (pandas) and :func:`process_arrow` /
  :func:`map_arrow` (pyarrow) run the same function over a frame or record batches whose
  columns hold the texts, which is what Dask's ``map_partitions`` and Spark's
  ``mapInPandas`` / ``mapInArrow`` call.

A record that cannot be read or processed gives one row whose ``error`` column says why;
the others go on. Amounts, scores and rates are written as exact decimal text.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import gc
import os
import pickle
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import InvalidStateError, ProcessPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any, Final, TextIO

import attrs

from perftarget._codec.actuals import actuals_from_dict
from perftarget._codec.convert import Format, _fast_path, _parse_text, format_of, loads
from perftarget._files import decode_text, read_bytes, read_text_file, temporary_beside
from perftarget._formats.results import (
    RESULT_KINDS,
    Operation,
    Per,
    evaluation_rows,
    number_text,
    result_columns,
    result_ddl,
    result_row,
    result_schema,
)
from perftarget._judge.evaluate import ScoringPolicy, evaluate
from perftarget._judge.monitor import MonitoringPolicy, Payment, monitor
from perftarget._judge.review import ReviewConfig
from perftarget._model.actuals import ActualsDocument, TableActuals
from perftarget._model.targets import Document, ProjectTargets
from perftarget._progress import progress_bar
from perftarget.exceptions import DocumentError, MissingDependencyError, PerftargetError, Problem
from perftarget.rules import review

__all__ = [
    "BatchFailure",
    "BatchOptions",
    "BatchSummary",
    "csv_cell",
    "find_documents",
    "map_arrow",
    "map_pandas",
    "process_arrow",
    "process_folder",
    "process_frame",
    "process_record",
    "read_frame",
    "result_columns",
    "result_ddl",
    "result_schema",
]

_COMPANIONS: Final = {"evaluate": "actuals", "monitor": "monitoring"}
_COMPANION_KINDS: Final = ("actuals", "monitoring", "payments", "progress")
"""The last word of a companion file's name, after ``.``, ``-`` or ``_``: ``X.actuals.toml``, ``X-payments.toml``."""
_SUFFIXES: Final = (".json", ".toml")


def usable_cpus() -> int:
    """The number of CPUs this process may run on.

    Its CPU affinity where the system tells it (the limit of a container or of ``taskset``),
    else ``os.cpu_count()``.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS and Windows have no sched_getaffinity
        return os.cpu_count() or 1


def _pyarrow(feature: str) -> Any:  # noqa: ANN401 - the pyarrow module
    try:
        import pyarrow as pa  # noqa: PLC0415 - optional extra
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("pyarrow", "parquet", feature) from None
    return pa


def _pandas(feature: str) -> Any:  # noqa: ANN401 - the pandas module
    try:
        import pandas as pd  # noqa: PLC0415 - optional extra
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("pandas", "pandas", feature) from None
    return pd


# --- CSV cells ---------------------------------------------------------------------------------

# A text cell a spreadsheet would take for a formula (OWASP "CSV injection"): one that starts with
# = + - @, a tab or a carriage return and is not a number written out in full (-12.5, +3, 1E+5).
_FORMULA: Final = re.compile(r"(?![+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z)[=+\-@\t\r]")


def csv_cell(value: object) -> object:
    r"""A value as every CSV writer of perftarget writes it: safe to open in a spreadsheet.

    A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``, so that Excel, LibreOffice or WPS shows it as text instead of running it as a formula
    (the OWASP advice on CSV injection). A number is kept as it is: an ``int`` or ``bool`` cell, and
    a text that is a number written out in full (amounts, rates and scores are exact decimal text,
    ``-12.5``), which a spreadsheet reads as that number and never as a formula.

    >>> csv_cell("=HYPERLINK(\"http://x\")"), csv_cell("-12.5"), csv_cell("-1+1"), csv_cell(-3)
    ('\'=HYPERLINK("http://x")', '-12.5', "'-1+1", -3)

    .. versionadded:: 0.1.0
    """
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


_FORMULA_FIRST: Final = frozenset("=+-@\t\r")  # the characters _FORMULA can start with


def csv_rows(rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    """The rows with each cell through :func:`csv_cell` (a row with no cell to change is passed as it is)."""
    first = _FORMULA_FIRST
    for row in rows:
        for value in row:
            if isinstance(value, str) and value[:1] in first:
                yield [csv_cell(cell) for cell in row]
                break
        else:
            yield row


# --- options -----------------------------------------------------------------------------------


def _to_date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    msg = f"as_of must be a date such as 2023-07-31 (got {value!r})"
    raise ValueError(msg)


def _check_choice(choices: tuple[str, ...]) -> Callable[[object, attrs.Attribute[str], str], None]:
    def check(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in choices:
            msg = f"{attribute.name} must be one of {', '.join(choices)} (got {value!r})"
            raise ValueError(msg)

    return check


@attrs.frozen(kw_only=True)
class BatchOptions:
    """What to do with each record: the operation, the row granularity and the policies.

    ``policy`` is a scoring preset name, the path of a policy file (``.toml`` / ``.json``)
    or a :class:`~perftarget.ScoringPolicy` (evaluate; with worker processes, a name or a path);
    ``monitoring_policy`` a :class:`~perftarget.MonitoringPolicy` (monitor); ``as_of``
    the monitoring date, which otherwise comes from the spending file; ``select`` and
    ``ignore`` choose review rules and ``config`` (a :class:`~perftarget.ReviewConfig`)
    sets their severities (check); ``fmt`` is the format of the texts (``None``:
    JSON when a text starts with ``{``, else TOML). Options are sent to the worker
    processes, so they must pickle.

    .. versionadded:: 0.1.0
    """

    operation: Operation = attrs.field(validator=_check_choice(("check", "evaluate", "monitor")))
    per: Per = attrs.field(default="table", validator=_check_choice(("table", "indicator")))
    fmt: Format | None = attrs.field(
        default=None, validator=attrs.validators.optional(_check_choice(("json", "toml")))
    )
    as_of: dt.date | None = attrs.field(default=None, converter=_to_date)
    policy: ScoringPolicy | str | None = None
    monitoring_policy: MonitoringPolicy | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    config: ReviewConfig | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The result columns for these options."""
        return result_columns(self.operation, self.per)


# --- one record --------------------------------------------------------------------------------


def _failure_row(
    columns: Sequence[str], file: str, reason: str, project: ProjectTargets | None = None
) -> tuple[object, ...]:
    values: dict[str, object] = {"file": file, "error": reason}
    if project is not None:
        values.update(project_code=project.code, project_name=project.name, year=project.year)
    return result_row(columns, values)


def _reason(exc: BaseException, file: str = "") -> str:
    """Why a record failed; the file the error is about when it is not the row's own (an actuals file)."""
    problems = getattr(exc, "problems", None)
    reason = "; ".join(str(p) for p in problems) if problems else str(exc) or type(exc).__name__
    source = getattr(exc, "source", None)
    if source and source != file and not reason.startswith(f"{source}:"):
        return f"{source}: {reason}"
    return reason


def _sniff(data: str | bytes) -> Format:
    """JSON when the text starts with ``{`` (after a BOM and blanks); a TOML document cannot."""
    head = data[:64].decode("utf-8", "ignore") if isinstance(data, bytes) else data[:64]
    return "json" if head.lstrip("\ufeff \t\r\n").startswith("{") else "toml"


def _read_document(data: str | bytes, fmt: Format, source: str) -> Document:
    """Read a targets document: the fast path straight from bytes when it can, else the full reader."""
    if fmt == "json":
        raw = data.encode("utf-8") if isinstance(data, str) else data
        raw = raw.removeprefix(b"\xef\xbb\xbf")
        fast = _fast_path()
        if fast is not None:
            document: Document | None = fast.loads_json(raw)
            if document is not None:
                return document
        text = decode_text(raw, source)
    else:
        text = decode_text(data, source) if isinstance(data, bytes) else data
    return loads(text, fmt, Document, source=source)


def _parse(data: str | bytes, fmt: Format, source: str) -> object:
    text = decode_text(data, source) if isinstance(data, bytes) else data
    return _parse_text(text, fmt, source=source)


def _projects_by_key(entries: Iterable[Any]) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for entry in entries:
        index.setdefault(entry.project, entry)
    return index


def _check_rows(document: Document, options: BatchOptions, file: str) -> list[tuple[object, ...]]:
    columns = options.columns
    findings = review(document, select=options.select, ignore=options.ignore, config=options.config)
    by_project: dict[int, list[Any]] = {}
    rest: list[Any] = []
    for finding in findings:
        path = finding.path
        if path.startswith("projects["):
            index = int(path[len("projects[") : path.index("]")])
            by_project.setdefault(index, []).append(finding)
        else:
            rest.append(finding)
    rows: list[tuple[object, ...]] = []
    if options.per == "indicator":
        rows.extend(
            result_row(columns, {"file": file, "path": finding.path, "code": finding.code,
                           "severity": finding.severity.value, "message": finding.message})
            for finding in rest
        )
    for index, project in enumerate(document.projects):
        found = by_project.get(index, [])
        if options.per == "indicator":
            rows.extend(
                result_row(columns, {
                    "file": file, "project_code": project.code, "project_name": project.name, "path": finding.path,
                    "code": finding.code, "severity": finding.severity.value, "message": finding.message,
                })
                for finding in found
            )
            continue
        severities = [finding.severity.value for finding in found]
        rows.append(result_row(columns, {
            "file": file, "project_code": project.code, "project_name": project.name, "year": project.year,
            "indicators": sum(len(goal.indicators) for goal in project.goals),
            "errors": severities.count("error"), "warnings": severities.count("warning"),
            "infos": severities.count("info"), "codes": " ".join(finding.code for finding in found),
        }))
    return rows


@functools.lru_cache(maxsize=8)
def _policy_from(name_or_path: str) -> ScoringPolicy | str:
    """A preset name as it is; a ``.toml`` / ``.json`` path read once per process."""
    if name_or_path.lower().endswith(_SUFFIXES):
        return ScoringPolicy.load(name_or_path)
    return name_or_path


def _evaluate_rows(
    document: Document, actuals: ActualsDocument, options: BatchOptions, file: str
) -> list[tuple[object, ...]]:
    columns = options.columns
    by_code = _projects_by_key(actuals.projects)
    rows = []
    for project in document.projects:
        entry: TableActuals | None = by_code.get(project.code) or by_code.get(project.name)
        if entry is None:
            rows.append(_failure_row(columns, file, f"no actuals for project {project.code}", project))
            continue
        try:
            policy = _policy_from(options.policy) if isinstance(options.policy, str) else options.policy
            result = evaluate(project, entry, spent=entry.spent, budget=entry.budget, policy=policy, strict=False)
        except PerftargetError as exc:
            rows.append(_failure_row(columns, file, _reason(exc), project))
            continue
        base = {"file": file, "project_code": project.code, "project_name": project.name, "year": project.year}
        rows.extend(result_row(columns, values) for values in evaluation_rows(result, base, options.per))
    return rows


def _payment_date(value: object) -> dt.date:
    day = _to_date(value)
    if day is None:
        msg = "a payment needs a date"
        raise ValueError(msg)
    return day


@attrs.frozen
class _Spending:
    project: str
    spent: object
    as_of: dt.date | None
    progress: Mapping[object, object]


def _spending_entries(data: object, source: str) -> list[_Spending]:
    """Read a spending file: ``projects`` with ``project``, ``payments`` (or ``spent``), ``progress``, ``as_of``."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("projects"), list):
        raise DocumentError([Problem("projects", "expected a list of projects")], source=source)
    file_as_of = data.get("as_of")
    entries = []
    for index, item in enumerate(data["projects"]):
        where = f"projects[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("project"), str):
            problems.append(Problem(where, "expected a table with the project's code (project = ...)"))
            continue
        try:
            if "payments" in item:
                spent: object = [
                    Payment(_payment_date(p["date"]), p["amount"], note=p.get("note", "")) for p in item["payments"]
                ]
            else:
                spent = item["spent"]
            as_of = _to_date(item.get("as_of", file_as_of))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(Problem(where, f"expected payments [{{date, amount}}] or spent, and a date: {exc}"))
            continue
        progress = item.get("progress", {})
        entries.append(_Spending(item["project"], spent, as_of, progress if isinstance(progress, Mapping) else {}))
    if problems:
        raise DocumentError(problems, source=source)
    return entries


def _monitor_rows(
    document: Document, spending: list[_Spending], options: BatchOptions, file: str
) -> list[tuple[object, ...]]:
    columns = options.columns
    by_code = _projects_by_key(spending)
    rows = []
    for project in document.projects:
        entry: _Spending | None = by_code.get(project.code) or by_code.get(project.name)
        if entry is None:
            rows.append(_failure_row(columns, file, f"no spending for project {project.code}", project))
            continue
        as_of = options.as_of or entry.as_of
        if as_of is None:
            rows.append(_failure_row(columns, file, "no as_of date (give one, or as_of in the spending file)", project))
            continue
        try:
            report = monitor(project, spent=entry.spent, as_of=as_of, progress=entry.progress,
                             policy=options.monitoring_policy)
        except PerftargetError as exc:
            rows.append(_failure_row(columns, file, _reason(exc), project))
            continue
        base = {"file": file, "project_code": project.code, "project_name": project.name}
        if options.per == "indicator":
            rows.extend(
                result_row(columns, {
                    **base, "path": line.path, "level1": line.level1, "level2": line.level2, "indicator": line.name,
                    "target": line.target, "unit": line.unit,
                    "value": number_text(line.value) if line.achievement is None else line.achievement.value,
                    "forecast": number_text(line.forecast) if line.forecast_achievement is None
                    else line.forecast_achievement.value,
                    "ratio": number_text(line.ratio),
                    "likelihood": "" if line.likelihood is None else line.likelihood.value,
                    "status": "" if line.status is None else line.status.value,
                })
                for line in report.indicators
            )
            continue
        rows.append(result_row(columns, {
            **base, "as_of": report.as_of.isoformat(), "budget": number_text(report.budget),
            "spent": number_text(report.spent),
            "execution_rate": number_text(report.execution_rate), "planned_share": number_text(report.planned_share),
            "time_progress": number_text(report.time_progress), "gap_to_plan": number_text(report.gap_to_plan),
            "gap_to_time": number_text(report.gap_to_time), "ratio": number_text(report.ratio),
            "status": report.status.value,
            "projected_spent": number_text(report.projected_spent), "findings": " ".join(report.finding_codes()),
        }))
    return rows


def process_record(
    targets: str | bytes,
    options: BatchOptions,
    *,
    companion: str | bytes | None = None,
    file: str = "",
    companion_file: str = "",
) -> list[tuple[object, ...]]:
    """Process one targets document (its text) and return result rows, in :attr:`BatchOptions.columns` order.

    ``companion`` is the text of the actuals (``evaluate``) or spending (``monitor``) file,
    ``companion_file`` its name for the messages. Nothing raises for bad input: a document
    that cannot be read or processed gives one row whose ``error`` column says why (for an
    unexpected error, such as a file that is not UTF-8: the file that caused it, the type of
    the error and its message), a table that cannot be processed one such row for the table.

    .. versionadded:: 0.1.0
    """
    columns = options.columns
    source = file or None
    where = file or "targets"
    try:
        document = _read_document(targets, options.fmt or _sniff(targets), where)
        if options.operation == "check":
            return _check_rows(document, options, file)
        if companion is None:
            what = "actuals" if options.operation == "evaluate" else "spending"
            return [_failure_row(columns, file, f"no {what} given for this document")]
        where = companion_file or _COMPANIONS[options.operation]
        data = _parse(companion, options.fmt or _sniff(companion), companion_file or source or where)
        if options.operation == "evaluate":
            actuals = actuals_from_dict(data, source=companion_file or source or where)
            where = file or "targets"
            return _evaluate_rows(document, actuals, options, file)
        spending = _spending_entries(data, companion_file or source or where)
        where = file or "targets"
        return _monitor_rows(document, spending, options, file)
    except PerftargetError as exc:
        return [_failure_row(columns, file, _reason(exc, file or "targets"))]
    except Exception as exc:  # noqa: BLE001 - one record's failure is its row, never the batch's
        return [_failure_row(columns, file, _unexpected(exc, where))]


def _unexpected(exc: BaseException, where: str) -> str:
    """The reason for an error no check of ours describes: the file, the type of the error and its message."""
    message = str(exc)
    return f"{where}: {type(exc).__name__}" + (f": {message}" if message else "")


# --- frames and record batches -----------------------------------------------------------------


def _options(operation: Operation | BatchOptions, kwargs: Mapping[str, Any]) -> BatchOptions:
    if isinstance(operation, BatchOptions):
        return attrs.evolve(operation, **kwargs) if kwargs else operation
    return BatchOptions(operation=operation, **kwargs)


def _records_rows(
    targets: Sequence[object], companions: Sequence[object] | None, files: Sequence[object] | None,
    options: BatchOptions,
) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for index, text in enumerate(targets):
        file = "" if files is None or files[index] is None else str(files[index])
        companion = None if companions is None else companions[index]
        if not isinstance(text, (str, bytes)):
            rows.append(_failure_row(options.columns, file, "the targets cell is empty"))
            continue
        rows.extend(process_record(text, options, companion=companion, file=file))  # type: ignore[arg-type]
    return rows


def _companion_column(options: BatchOptions) -> str | None:
    return _COMPANIONS.get(options.operation)


def process_frame(frame: Any, operation: Operation | BatchOptions, **options: Any) -> Any:  # noqa: ANN401 - pandas
    """Process every row of a pandas DataFrame; returns a DataFrame of result rows.

    The input has a column ``targets`` (the text of a targets document), ``actuals`` (for
    ``evaluate``) or ``monitoring`` (for ``monitor``) with the companion text, and
    optionally ``file`` (a label carried into the results). This is the function to give
    Dask's ``map_partitions``; ``options`` are those of :class:`BatchOptions`.

    .. versionadded:: 0.1.0
    """
    pd = _pandas("process_frame()")
    chosen = _options(operation, options)
    companion = _companion_column(chosen)
    rows = _records_rows(
        list(frame["targets"]),
        list(frame[companion]) if companion is not None and companion in frame else None,
        list(frame["file"]) if "file" in frame else None,
        chosen,
    )
    result = pd.DataFrame.from_records(rows, columns=list(chosen.columns))
    kinds = RESULT_KINDS[chosen.operation, chosen.per]
    dtypes = {name: {"int": "int64", "bool": "bool"}.get(kind, "object") for name, kind in kinds.items()}
    return result.astype(dtypes)


def read_frame(paths: Iterable[str | os.PathLike[str]], operation: Operation) -> Any:  # noqa: ANN401 - pandas
    """A frame of documents for :func:`process_frame`: ``file``, ``targets`` and the companion text.

    The companion column is ``actuals`` for ``evaluate`` and ``monitoring`` for
    ``monitor`` (``None`` where the file beside the document is missing). Files are read as
    :func:`perftarget.load` reads them (regular files only, bounded, UTF-8 or a
    :class:`~perftarget.DocumentError` naming the encoding they look like). Give each Dask
    partition its share of the paths (``dask.dataframe.from_map(read_frame, chunks, ...)``).

    .. versionadded:: 0.1.0
    """
    pd = _pandas("read_frame()")
    result_columns(operation)  # refuses an unknown operation
    kind = _COMPANIONS.get(operation)
    records = []
    for item in paths:
        path = Path(item)
        record: dict[str, object] = {"file": str(path), "targets": read_text_file(path)}
        if kind is not None:
            companion = _companion_path(path, operation)
            record[kind] = read_text_file(companion) if companion is not None and companion.exists() else None
        records.append(record)
    columns = ["file", "targets", *([kind] if kind is not None else [])]
    return pd.DataFrame.from_records(records, columns=columns).astype("object")


def map_pandas(
    frames: Iterable[Any], operation: Operation | BatchOptions, **options: Any  # noqa: ANN401 - BatchOptions fields
) -> Iterator[Any]:
    """:func:`process_frame` over an iterator of frames: the shape of Spark's ``mapInPandas``.

    .. versionadded:: 0.1.0
    """
    chosen = _options(operation, options)
    for frame in frames:
        yield process_frame(frame, chosen)


def process_arrow(batch: Any, operation: Operation | BatchOptions, **options: Any) -> Any:  # noqa: ANN401 - pyarrow
    """Process a :class:`pyarrow.RecordBatch` (columns as for :func:`process_frame`); returns one.

    .. versionadded:: 0.1.0
    """
    pa = _pyarrow("process_arrow()")
    chosen = _options(operation, options)
    names = set(batch.schema.names)
    companion = _companion_column(chosen)
    rows = _records_rows(
        batch.column("targets").to_pylist(),
        batch.column(companion).to_pylist() if companion is not None and companion in names else None,
        batch.column("file").to_pylist() if "file" in names else None,
        chosen,
    )
    schema = result_schema(chosen.operation, chosen.per)
    arrays = [pa.array([row[i] for row in rows], type=field.type) for i, field in enumerate(schema)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def map_arrow(
    batches: Iterable[Any], operation: Operation | BatchOptions, **options: Any  # noqa: ANN401 - BatchOptions fields
) -> Iterator[Any]:
    """:func:`process_arrow` over an iterator of record batches: the shape of Spark's ``mapInArrow``.

    .. versionadded:: 0.1.0
    """
    chosen = _options(operation, options)
    for batch in batches:
        yield process_arrow(batch, chosen)


# --- a folder on all cores ---------------------------------------------------------------------


@attrs.frozen
class BatchFailure:
    """A file or table that could not be processed: where, and why.

    .. versionadded:: 0.1.0
    """

    file: str
    reason: str
    project: str = ""

    def __str__(self) -> str:
        where = f"{self.file} ({self.project})" if self.project else self.file
        return f"{where}: {self.reason}"


@attrs.frozen(kw_only=True)
class BatchSummary:
    """What :func:`process_folder` did: counts, the failures, and the rows when collected.

    .. versionadded:: 0.1.0
    """

    columns: tuple[str, ...]
    files: int
    rows: int
    failures: tuple[BatchFailure, ...] = ()
    collected: tuple[tuple[object, ...], ...] | None = None

    @property
    def ok(self) -> bool:
        """``True`` when every file and table was processed."""
        return not self.failures

    def to_records(self) -> list[dict[str, object]]:
        """The collected rows as dicts (empty unless ``collect=True`` was given)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.collected or ()]


def _is_companion(path: Path) -> bool:
    """Whether a file beside the targets documents holds their actuals, spending or indicator progress.

    The one rule for every reader of folders (batch runs and the command line): the name
    ends in ``actuals``, ``monitoring``, ``payments`` or ``progress`` after ``.``, ``-`` or
    ``_``, before ``.json``/``.toml`` (``X.actuals.toml``, ``X-actuals.toml``, ``X_payments.json``).
    """
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return any(stem.endswith(f"{mark}{kind}") for kind in _COMPANION_KINDS for mark in ".-_")


def _is_document(path: Path) -> bool:
    """Whether a path found in a folder is a document: a .json or .toml name that is not a folder.

    A regular file, or anything else that cannot be read as one (a link in a loop or to nowhere,
    a FIFO), whose row then says why.
    """
    if path.suffix.lower() not in _SUFFIXES or _is_companion(path):
        return False
    try:
        return not path.is_dir()
    except OSError:  # pragma: no cover - is_dir() answers False for most errors
        return True


def find_documents(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The targets documents under ``inputs`` (folders, searched recursively, and files), sorted.

    Companion files (``*.actuals.json``, ``*-payments.toml``...: the rule of :func:`_is_companion`)
    are left out, and so are temporary files (``.tmp``). A name ending in ``.json`` or ``.toml``
    that cannot be read as a file (a symbolic link in a loop or to nowhere, a FIFO, a socket)
    is kept, so that its row says why it was not read; folders are searched, not followed
    through symbolic links.
    """
    items = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    found: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if _is_document(p))
        else:
            found.append(path)
    return sorted(found)


def _companion_path(path: Path, operation: str) -> Path | None:
    kind = _COMPANIONS.get(operation)
    if kind is None:
        return None
    return path.with_name(f"{path.name[: -len(path.suffix)]}.{kind}{path.suffix}")




def _process_file(task: tuple[str, BatchOptions]) -> tuple[str, list[tuple[object, ...]]]:
    file, options = task
    path = Path(file)
    columns = options.columns
    where = file
    try:
        fmt = format_of(path)
        data = read_bytes(path)
        companion_path = _companion_path(path, options.operation)
        companion = None
        if companion_path is not None:
            where = str(companion_path)
            if not os.path.lexists(companion_path):
                return file, [_failure_row(columns, file, f"no {companion_path.name} beside it")]
            companion = read_bytes(companion_path)
    except PerftargetError as exc:
        return file, [_failure_row(columns, file, _reason(exc, file))]
    except OSError as exc:
        named = f"{exc.filename}: " if exc.filename and exc.filename != file else ""
        return file, [_failure_row(columns, file, f"{named}cannot read the file: {exc.strerror or exc}")]
    except Exception as exc:  # noqa: BLE001 - one file's failure is its row, never the batch's
        return file, [_failure_row(columns, file, _unexpected(exc, where))]
    companion_file = "" if companion_path is None else str(companion_path)
    return file, process_record(
        data, attrs.evolve(options, fmt=fmt), companion=companion, file=file, companion_file=companion_file
    )


_PARENT_CHECK: Final = 0.25  # seconds between a worker's checks that its parent still runs


def _watch_parent(parent: int) -> None:
    """End this worker as soon as the process that started it is gone (killed, even by SIGKILL)."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK)
    os._exit(1)


def _worker_init(parent: int) -> None:
    # the parent stops the workers: Ctrl-C is its to handle, and SIGTERM ends a worker at once
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(parent,), name="perftarget-parent", daemon=True).start()
    # the modules imported so far live as long as the worker: keep them out of every collection
    gc.freeze()


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """End the workers now (the batch is abandoned): no task is waited for.

    The pool's manager thread, seeing its workers gone, sets an exception on every pending
    future, some of which ``executor.map`` has cancelled meanwhile; before CPython 3.12
    (gh-107219) that raises :class:`~concurrent.futures.InvalidStateError` in the thread, which
    would print a traceback under the batch's one line. That error alone is not printed here.
    """
    previous = threading.excepthook

    def quiet(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not InvalidStateError:
            previous(args)

    processes = list((getattr(executor, "_processes", None) or {}).values())  # no public way before 3.14
    threading.excepthook = quiet
    try:
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)  # joins the manager thread
    finally:
        threading.excepthook = previous


@contextlib.contextmanager
def _results(
    tasks: list[tuple[str, BatchOptions]], processes: int
) -> Iterator[Iterator[tuple[str, list[tuple[object, ...]]]]]:
    """Each file's rows, in file order: in this process, or on a pool whose workers end with the batch."""
    if processes <= 1 or len(tasks) <= 1:
        yield map(_process_file, tasks)
        return
    executor = ProcessPoolExecutor(max_workers=processes, initializer=_worker_init, initargs=(os.getpid(),))
    chunk = max(1, min(32, len(tasks) // (processes * 8)))
    try:
        yield executor.map(_process_file, tasks, chunksize=chunk)
    except BaseException:
        _stop_workers(executor)  # interrupted, terminated or failed: no worker outlives the batch
        raise
    executor.shutdown()


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`SystemExit` (status 143) instead of ending at once.

    So a terminated batch or write goes through its cleanup: the temporary files are removed,
    the workers stopped, the targets left as they were. Nothing changes outside the main thread
    or when SIGTERM already has a handler.
    """
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _Writers:
    """Streams rows to CSV and Parquet as they arrive, into temporary files beside the targets.

    :meth:`close` renames the complete files onto the targets (``os.replace``); :meth:`abort`
    removes them, so a run that fails leaves the files that were there before untouched.
    """

    def __init__(self, options: BatchOptions, csv_path: Path | None, parquet_path: Path | None) -> None:
        self.columns = options.columns
        self.csv_file: TextIO | None = None
        self.csv: Any = None
        self.parquet: Any = None
        self.schema: Any = None
        self.pending: list[tuple[object, ...]] = []
        self.renames: list[tuple[Path, Path]] = []
        try:
            if parquet_path is not None:
                pa = _pyarrow("writing Parquet")
                import pyarrow.parquet as pq  # noqa: PLC0415 - optional extra

                self.pa = pa
                self.schema = result_schema(options.operation, options.per)
                temporary = temporary_beside(parquet_path)
                self.renames.append((temporary, parquet_path))
                self.parquet = pq.ParquetWriter(str(temporary), self.schema)
            if csv_path is not None:
                temporary = temporary_beside(csv_path)
                self.renames.append((temporary, csv_path))
                self.csv_file = temporary.open("w", encoding="utf-8", newline="")
                self.csv = csv.writer(self.csv_file)
                self.csv.writerow(csv_cell(name) for name in self.columns)
        except BaseException:
            self.abort()
            raise

    def write(self, rows: list[tuple[object, ...]]) -> None:
        if self.csv is not None:
            self.csv.writerows(csv_rows(rows))
        if self.parquet is not None:
            self.pending.extend(rows)
            if len(self.pending) >= 65536:  # noqa: PLR2004 - one row group
                self.flush()

    def flush(self) -> None:
        if self.parquet is not None and self.pending:
            rows = self.pending
            arrays = [self.pa.array([row[i] for row in rows], type=f.type) for i, f in enumerate(self.schema)]
            self.parquet.write_batch(self.pa.RecordBatch.from_arrays(arrays, schema=self.schema))
            self.pending = []

    def _close_files(self) -> None:
        parquet, csv_file = self.parquet, self.csv_file
        self.parquet = self.csv_file = self.csv = None
        try:
            if parquet is not None:
                parquet.close()
        finally:
            if csv_file is not None:
                csv_file.close()

    def close(self) -> None:
        """Finish the files and rename them onto the targets; on any failure, remove them."""
        try:
            self.flush()
            self._close_files()
            while self.renames:
                temporary, target = self.renames[0]
                temporary.replace(target)  # os.replace: atomic within a folder
                self.renames.pop(0)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Close and remove the temporary files; the targets keep what they held."""
        with contextlib.suppress(Exception):  # the files are being thrown away
            self._close_files()
        for temporary, _target in self.renames:
            temporary.unlink(missing_ok=True)
        self.renames = []


def _check_picklable(options: BatchOptions) -> None:
    try:
        pickle.dumps(options)
    except Exception as exc:
        msg = (
            f"the options cannot be sent to worker processes ({exc}): give the scoring policy as a preset "
            "name or the path of a policy file, or use workers=1"
        )
        raise ValueError(msg) from exc


def _failures(file: str, rows: list[tuple[object, ...]], columns: tuple[str, ...]) -> list[BatchFailure]:
    error, code = columns.index("error"), columns.index("project_code")
    return [BatchFailure(file, str(row[error]), str(row[code])) for row in rows if row[error]]


def process_folder(
    operation: Operation | BatchOptions,
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    csv_path: str | os.PathLike[str] | None = None,
    parquet_path: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    progress: bool | TextIO | None = None,
    collect: bool = False,
    on_rows: Callable[[str, list[tuple[object, ...]]], None] | None = None,
    **options: Any,  # noqa: ANN401 - BatchOptions fields
) -> BatchSummary:
    """Process every targets document under ``inputs`` on all cores and write one result table.

    Each document ``X.json`` (or ``.toml``) is read with the actuals ``X.actuals.json``
    beside it for ``evaluate``, or the spending ``X.monitoring.json`` for ``monitor``. The
    rows (:func:`result_columns`) are streamed, in file order, to ``csv_path`` and
    ``parquet_path`` (the ``parquet`` extra) as results arrive; ``collect=True`` also keeps
    them in the summary. A file or table that fails gives a row with its ``error`` and a
    :class:`BatchFailure` in the summary; the others go on.

    The output files are written atomically: the rows go to a temporary file in the same
    folder, renamed onto ``csv_path`` / ``parquet_path`` when the run is complete; a run
    that fails or is interrupted leaves what was there before untouched.

    Args:
        operation: ``"check"`` (read and review), ``"evaluate"`` or ``"monitor"``, or
            :class:`BatchOptions`.
        inputs: folders (searched recursively) and files.
        csv_path: where to write the rows as CSV (UTF-8, a header row).
        parquet_path: where to write them as Parquet.
        workers: processes to use; by default the CPUs this process may run on, 1 to stay in this process.
        progress: a progress bar (drawn by rich, the ``cli`` extra) on stderr (``None``: when stderr is a
            terminal), or on a stream.
        collect: keep the rows in :attr:`BatchSummary.collected`.
        on_rows: called in this process with each file's path and rows, in file order,
            as they are written (to tally them without keeping them).
        options: the fields of :class:`BatchOptions` (``per``, ``as_of``, ``policy``...).

    .. versionadded:: 0.1.0
    """
    chosen = _options(operation, options)
    files = [str(path) for path in find_documents(inputs)]
    stream: TextIO | None
    if progress is None or isinstance(progress, bool):
        stream = sys.stderr if (sys.stderr.isatty() if progress is None else progress) else None
    else:
        stream = progress
    processes = workers if workers is not None else usable_cpus()
    if processes > 1 and len(files) > 1:
        _check_picklable(chosen)
    collected: list[tuple[object, ...]] | None = [] if collect else None
    failures: list[BatchFailure] = []
    count = 0
    tasks = [(file, chosen) for file in files]
    with terminate_as_exit(), progress_bar(len(files), stream) as bar:
        writers = _Writers(chosen, None if csv_path is None else Path(csv_path),
                           None if parquet_path is None else Path(parquet_path))
        try:
            with _results(tasks, processes) as results:
                for file, rows in results:
                    writers.write(rows)
                    failures.extend(_failures(file, rows, chosen.columns))
                    if collected is not None:
                        collected.extend(rows)
                    if on_rows is not None:
                        on_rows(file, rows)
                    count += len(rows)
                    bar.advance(f"{count} rows")
        except BaseException:
            writers.abort()
            raise
        writers.close()
    return BatchSummary(
        columns=chosen.columns, files=len(files), rows=count, failures=tuple(failures),
        collected=None if collected is None else tuple(collected),
    )
