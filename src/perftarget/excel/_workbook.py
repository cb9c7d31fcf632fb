"""Whole workbooks: documents, evaluations and reports written sheet by sheet, read back by each sheet's kind.

A sheet's kind is told from its labels and headings (:func:`sheet_kind`), so one workbook
may hold target tables, self-evaluation tables and monitoring tables side by side:
:func:`read_workbook` reads the target tables into a :class:`~perftarget.Document`,
:func:`read_any_workbook` reads every kind.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, Literal, TypeVar

import attrs

from perftarget._judge.evaluate import ProjectEvaluation
from perftarget._judge.monitor import MonitoringReport
from perftarget._limits import DEFAULT_LIMITS, Limits
from perftarget._model.targets import DepartmentTargets, Document, ProjectTargets
from perftarget._values.text import opencc_installed
from perftarget.excel._calamine import CALAMINE_SUFFIXES, read_calamine
from perftarget.excel._department import _DEPARTMENT_TITLE, _DepartmentReader, _write_department
from perftarget.excel._grid import _display, _Grid, _label_key, _openpyxl, _Problems, _traditional_notice
from perftarget.excel._layouts import Detection, column_roles, detect, label_roles, span_roles
from perftarget.excel._monitoring import _LABELS as _MONITORING_LABELS
from perftarget.excel._monitoring import _header_columns as _monitoring_header
from perftarget.excel._monitoring import _MonitoringReader, _write_report
from perftarget.excel._project import _read_projects, _write_project
from perftarget.excel._selfeval import _LABELS as _EVALUATION_LABELS
from perftarget.excel._selfeval import _EvaluationReader, _write_evaluation
from perftarget.excel._selfeval import _header_columns as _evaluation_header
from perftarget.excel._writer import _save_atomic, _sheet_title, _Writer
from perftarget.exceptions import LimitExceededError, Problem, TraditionalTextWarning, WorkbookError

if TYPE_CHECKING:
    from types import ModuleType

    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "SheetKind",
    "WorkbookContents",
    "detect_layout",
    "read_any_workbook",
    "read_workbook",
    "sheet_kind",
    "write_evaluation_workbook",
    "write_monitoring_workbook",
    "write_workbook",
]

_NOTES_TITLE: Final = "说明"
_R = TypeVar("_R")

SheetKind = Literal["project", "department", "evaluation", "monitoring", "notes", "empty", "unknown"]
"""What a sheet holds, as :func:`sheet_kind` tells it.

.. versionadded:: 0.1.0
"""

_EVALUATION_KEYS: Final = frozenset(key for key, kind in _EVALUATION_LABELS.items() if kind == "funds") | {
    "年度绩效指标完成情况"
}


def write_workbook(document: Document, path: str | os.PathLike[str]) -> None:
    """Write a document as an Excel workbook (``.xlsx``), atomically.

    Sheets: ``部门整体绩效目标`` for the department part (if any), ``1.<project name>``…
    one per project table (see :func:`write_project_sheet`), and ``说明`` with the
    document's notes (if any). The workbook is built in full, saved to a temporary file
    beside ``path`` and renamed over it: a failure leaves any old file as it was.

    Raises:
        WorkbookError: a text holds a character that a workbook cannot store.
        MissingDependencyError: openpyxl is not installed.

    .. versionadded:: 0.1.0
    """
    xl = _openpyxl()
    workbook = xl.Workbook()
    workbook.remove(workbook.active)
    problems: list[Problem] = []
    if document.department is not None:
        writer = _Writer(workbook.create_sheet(_DEPARTMENT_TITLE), xl)
        _write_department(writer, document.department)
        problems += writer.problems.found
    for index, project in enumerate(document.projects, start=1):
        writer = _Writer(workbook.create_sheet(_sheet_title(index, project.name)), xl)
        _write_project(writer, project)
        problems += writer.problems.found
    if document.notes or not workbook.worksheets:
        writer = _Writer(workbook.create_sheet(_NOTES_TITLE), xl)
        writer.widths((100,))
        writer.put(1, 1, _NOTES_TITLE, "plain")
        writer.put(2, 1, document.notes, "plain")
        problems += writer.problems.found
    if problems:
        raise WorkbookError(problems, source=str(path))
    _save_atomic(workbook, Path(path))


def _save_sheets(
    items: Iterable[_R], path: str | os.PathLike[str], write: Callable[[_Writer, _R], None], name: Callable[[_R], str]
) -> None:
    """One sheet per item (``1.<name>``...), or an empty 说明 sheet when there are none; saved atomically."""
    xl = _openpyxl()
    workbook = xl.Workbook()
    workbook.remove(workbook.active)
    problems: list[Problem] = []
    for index, item in enumerate(items, start=1):
        writer = _Writer(workbook.create_sheet(_sheet_title(index, name(item))), xl)
        write(writer, item)
        problems += writer.problems.found
    if not workbook.worksheets:
        _Writer(workbook.create_sheet(_NOTES_TITLE), xl).put(1, 1, _NOTES_TITLE, "plain")
    if problems:
        raise WorkbookError(problems, source=str(path))
    _save_atomic(workbook, Path(path))


def write_evaluation_workbook(evaluations: Iterable[ProjectEvaluation], path: str | os.PathLike[str]) -> None:
    """Write self-evaluations as an Excel workbook (``.xlsx``), one 10号 table per sheet, atomically.

    Sheets are titled ``1.<project name>``, ``2.<project name>``... (see
    :func:`write_evaluation_sheet`); without evaluations the workbook has one empty ``说明``
    sheet. Like :func:`write_workbook`, a failure leaves any old file as it was.

    Raises:
        WorkbookError: a text holds a character that a workbook cannot store.
        MissingDependencyError: openpyxl is not installed.

    .. versionadded:: 0.1.0
    """
    _save_sheets(evaluations, path, _write_evaluation, lambda evaluation: evaluation.name)


def write_monitoring_workbook(
    reports: Iterable[MonitoringReport], path: str | os.PathLike[str], *, places: int = 2
) -> None:
    """Write monitoring reports as an Excel workbook (``.xlsx``), one table per sheet, atomically.

    Sheets are titled ``1.<project name>``, ``2.<project name>``... in the order given (a
    month-by-month series of one project gives one sheet per date; see
    :func:`write_monitoring_sheet`). ``places`` is the decimals shown.

    Raises:
        WorkbookError: a text holds a character that a workbook cannot store.
        MissingDependencyError: openpyxl is not installed.

    .. versionadded:: 0.1.0
    """

    def write(writer: _Writer, report: MonitoringReport) -> None:
        _write_report(writer, report, places)

    _save_sheets(reports, path, write, lambda report: report.project_name)


_MIN_HEADINGS: Final = 2  # a header: two known headings, or one among three cells or more


def _detection(grid: _Grid) -> Detection:
    """The target-table layout of a sheet (:func:`perftarget.excel._layouts.detect`), from its rows."""
    roles = column_roles(("project", "department"))
    spans = span_roles(("project", "department"))
    rows = [items for row in grid.rows() if (items := grid.items(row))]
    headers: list[list[str]] = []
    titles: list[str] = []
    for items in rows:
        texts = [_display(cell) for cell in items]
        known = sum(1 for text in texts if _label_key(text) in roles or _label_key(text) in spans)
        if known >= _MIN_HEADINGS or (known and len(texts) > _MIN_HEADINGS):
            headers.append(texts)
        elif len(items) == 1 and not headers:
            titles.append(texts[0])
    labels = [_display(items[0]) for items in rows if items[0].column == grid.left]
    return detect(headers, labels, " ".join(titles))


def _kind_of(grid: _Grid) -> tuple[SheetKind, Detection | None]:  # noqa: PLR0911 - one return per kind
    """What a sheet holds, from its labels and headings, and the target-table layout found (if looked for)."""
    rows = [items for row in grid.rows() if (items := grid.items(row))]
    if not rows:
        return "empty", None
    if _label_key(_display(rows[0][0])) == _NOTES_TITLE:
        return "notes", None
    keys = {_label_key(_display(items[0])) for items in rows if items[0].column == grid.left}
    if any(_monitoring_header(items) is not None for items in rows):  # 截至当期完成值 or 全年预计完成值
        return "monitoring", None
    if any(_evaluation_header(items) is not None for items in rows):  # 得分
        return "evaluation", None
    if any(_MONITORING_LABELS.get(key) == "as_of" for key in keys):
        return "monitoring", None
    detection = _detection(grid)
    if detection.layout is not None and detection.layout.kind in ("project", "department"):
        return detection.layout.kind, detection  # type: ignore[return-value]
    if any(label_roles("project").get(key) == "code" for key in keys):
        return "project", detection
    if keys & {_DEPARTMENT_TITLE, f"{_DEPARTMENT_TITLE}表", "总体绩效目标", "工作保障措施"}:
        return "department", detection
    if keys & _EVALUATION_KEYS:
        return "evaluation", detection
    return "unknown", detection


def detect_layout(ws: Worksheet) -> Detection:
    """Which published target-table layout an openpyxl worksheet is in, or why none fits.

    The layouts are those of :data:`perftarget.excel.LAYOUTS`; a layout fits when one
    header row holds its required headings and one of its marks (a label, a heading or a
    word of the title) is found. ``Detection.reason`` names the headings matched, or the
    headings seen and what each layout expects.

    .. versionadded:: 0.2.0
    """
    return _detection(_Grid(ws))


def sheet_kind(ws: Worksheet) -> SheetKind:
    """What an openpyxl worksheet holds, told from its labels and headings.

    - ``"monitoring"``: a monitoring table (a header with 截至当期完成值 or 全年预计完成值, or a
      截至日期 row);
    - ``"evaluation"``: a self-evaluation table (a header with 三级指标 and 得分, or a
      项目资金 or 年度绩效指标完成情况 row);
    - ``"project"``: a project target table in a registered layout (:func:`detect_layout`), or
      with a 项目编码 row;
    - ``"department"``: the department part in a registered layout, or with a 总体绩效目标 or
      工作保障措施 row, or its title;
    - ``"notes"``: the ``说明`` sheet; ``"empty"``: nothing on it; ``"unknown"``: none of these.

    .. versionadded:: 0.1.0
    """
    return _kind_of(_Grid(ws))[0]


def _notes(grid: _Grid) -> str:
    texts = [_display(cell) for row in grid.rows() for cell in grid.items(row)]
    return "\n".join(texts[1:])


_CELL_TAG: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_MERGE_TAG: Final = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"'
)
_CHUNK: Final = 1 << 20
_OVERLAP: Final = 512  # longer than any tag counted: a tag cut by a chunk's end is found in the next


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _sheet_size(stream: IO[bytes]) -> tuple[int, int]:
    """(cells written, cells covered by merged ranges) of a worksheet's XML, read in chunks."""
    cells = area = 0
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        text = tail + chunk
        end = len(text) if not chunk else max(len(text) - _OVERLAP, 0)
        cells += sum(1 for match in _CELL_TAG.finditer(text) if match.start() < end)
        for match in _MERGE_TAG.finditer(text):
            if match.start() < end:
                first_col, first_row, last_col, last_row = match.groups()
                rows = int(last_row or first_row) - int(first_row) + 1
                columns = _column_number(last_col or first_col) - _column_number(first_col) + 1
                area += max(rows, 1) * max(columns, 1)
        if not chunk:
            return cells, area
        tail = text[end:]


def _check_size(file: Path, limits: Limits) -> None:
    """Refuse a workbook above the limits before openpyxl builds anything (a zip bomb, a sheet of 10⁶ rows)."""
    limits.check("workbook_bytes", file.stat().st_size, str(file))
    with zipfile.ZipFile(file) as archive:
        parts = archive.infolist()
        limits.check("unpacked_bytes", sum(part.file_size for part in parts), str(file))
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                with archive.open(part) as stream:
                    cells, area = _sheet_size(stream)
                where = f"{file}: {part.filename}"
                limits.check("sheet_cells", cells, where)
                limits.check("sheet_cells", area, f"{where} (merged ranges)")


def _open(xl: ModuleType, file: Path, limits: Limits) -> Workbook:
    """The workbook, after checking its size; any failure to read it is a :class:`WorkbookError` naming the file."""
    try:
        _check_size(file, limits)
        with file.open("rb") as stream, warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            return xl.load_workbook(stream)
    except LimitExceededError as exc:
        problem = Problem(exc.where, str(exc).removeprefix(f"{exc.where}: "))
        raise WorkbookError([problem], source=str(file)) from exc
    except OSError as exc:
        raise WorkbookError([Problem("", f"cannot read the file: {exc.strerror or exc}")], source=str(file)) from exc
    except Exception as exc:  # zip, XML, entity and style errors of a damaged or hostile file
        problem = Problem("", f"not an Excel workbook (.xlsx) that can be read: {exc or type(exc).__name__}")
        raise WorkbookError([problem], source=str(file)) from exc


@attrs.frozen(kw_only=True)
class WorkbookContents:
    """Everything :func:`read_any_workbook` read: the target tables, the self-evaluations, the monitoring reports.

    Attributes:
        document: the target tables (department part, projects, notes), as
            :func:`read_workbook` gives them.
        evaluations: the self-evaluation tables, in sheet order.
        reports: the monitoring tables, in sheet order.

    .. versionadded:: 0.1.0
    """

    document: Document = attrs.field(factory=Document)
    evaluations: tuple[ProjectEvaluation, ...] = ()
    reports: tuple[MonitoringReport, ...] = ()


_OTHER_KINDS: Final = {
    "evaluation": "a self-evaluation table (项目支出绩效自评表), not a target table",
    "monitoring": "a monitoring table (绩效运行监控表), not a target table",
}


@attrs.define
class _Collected:
    """The tables read so far, sheet by sheet."""

    problems: _Problems
    year: int | None
    every_kind: bool
    department: DepartmentTargets | None = None
    projects: list[ProjectTargets] = attrs.Factory(list)
    evaluations: list[ProjectEvaluation] = attrs.Factory(list)
    reports: list[MonitoringReport] = attrs.Factory(list)
    notes: str = ""

    def read(self, grid: _Grid) -> None:
        """Read one sheet by its kind."""
        problems = self.problems
        kind, detection = _kind_of(grid)
        if kind == "project":
            self.projects.extend(_read_projects(grid, problems, self.year))
        elif kind == "department":
            if self.department is not None:
                problems.add(grid.title, "a second department part (部门整体绩效目标)", sheet=grid.title)
            self.department = _DepartmentReader(grid, problems).read(self.year)
        elif kind == "notes":
            self.notes = _notes(grid)
        elif kind == "evaluation" and self.every_kind:
            self.evaluations.extend(_found(_EvaluationReader(grid, problems).read()))
        elif kind == "monitoring" and self.every_kind:
            self.reports.extend(_found(_MonitoringReader(grid, problems).read()))
        elif kind in _OTHER_KINDS:
            message = f"{_OTHER_KINDS[kind]}: read it with read_any_workbook(), or pass sheets= to leave it out"
            problems.add(grid.title, message, sheet=grid.title)
        elif kind == "unknown":
            tables = "a target, self-evaluation or monitoring table" if self.every_kind else (
                "a project table (no 项目编码 row) nor the department part (no 总体绩效目标 or 工作保障措施 row)"
            )
            why = f" ({detection.reason})" if detection is not None else ""
            problems.add(grid.title, f"neither {tables}; pass sheets= to read only the others{why}", sheet=grid.title)


def _found(result: _R | None) -> list[_R]:
    return [] if result is None else [result]


def _read(
    path: str | os.PathLike[str], *, year: int | None, sheets: Iterable[str] | None, every_kind: bool,
    limits: Limits | None,
) -> WorkbookContents:
    file = Path(path)
    limits = DEFAULT_LIMITS if limits is None else limits
    wanted = None if sheets is None else set(sheets)
    problems = _Problems()
    found = _Collected(problems, year, every_kind)
    if file.suffix.lower() in CALAMINE_SUFFIXES:
        titles, grids = read_calamine(file, limits, wanted)
    else:
        workbook = _open(_openpyxl(), file, limits)
        titles = [ws.title for ws in workbook.worksheets]
        grids = [_Grid(ws, limits) for ws in workbook.worksheets if wanted is None or ws.title in wanted]
        workbook.close()
    for grid in grids:
        found.read(grid)
    for missing in sorted((wanted or set()) - set(titles)):
        problems.add(missing, f"no sheet with this title; the workbook has {', '.join(titles)}", sheet=missing)
    if notice := _traditional_notice(grids):
        warnings.warn(f"{file}: {notice}", TraditionalTextWarning, stacklevel=3)
        if problems and not opencc_installed():  # the likely cause of the problems, said with them
            problems.add("", notice)
    if problems:
        raise WorkbookError(problems.found, source=str(file))
    document = Document(department=found.department, projects=tuple(found.projects), notes=found.notes)
    return WorkbookContents(document=document, evaluations=tuple(found.evaluations), reports=tuple(found.reports))


def read_workbook(
    path: str | os.PathLike[str], *, year: int | None = None, sheets: Iterable[str] | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read a document from an Excel workbook (``.xlsx``; ``.xls`` and ``.ods`` with the ``xls`` extra).

    Each sheet is recognised by its labels and headings (:func:`sheet_kind`): a target
    table in any published layout of :data:`~perftarget.excel.LAYOUTS` (:func:`detect_layout`),
    a project table with a 项目编码 row, the department part with a 总体绩效目标 or
    工作保障措施 row (or the title 部门整体绩效目标), and the ``说明`` sheet holds the notes;
    blank sheets are skipped; a sheet of no kind is reported with the headings seen. A sheet
    whose indicator rows name their project (四川 申报表: a 项目名称 column) and name several is
    read as one project each, in sheet order. A
    self-evaluation or monitoring table is reported: read such workbooks with
    :func:`read_any_workbook`, or pass ``sheets=``.

    Args:
        path: the workbook.
        year: the budget year for tables that give none (neither a perftarget block nor a
            ``20xx年`` in the title); such tables are marked ``year_assumed``.
        sheets: read only the sheets with these titles.
        limits: the bounds the file is checked against before it is read (:class:`~perftarget.Limits`;
            ``None``: the defaults).

    Raises:
        WorkbookError: listing every problem in every sheet, as ``sheet!A12: reason``.
        MissingDependencyError: openpyxl is not installed (python-calamine for ``.xls`` and ``.ods``).

    An ``.xls`` (Excel 97-2003) or ``.ods`` (OpenDocument) workbook is read through python-calamine
    and then exactly as an ``.xlsx``; it is measured against ``limits`` before calamine opens it.

    .. versionadded:: 0.1.0
    """
    return _read(path, year=year, sheets=sheets, every_kind=False, limits=limits).document


def read_any_workbook(
    path: str | os.PathLike[str], *, year: int | None = None, sheets: Iterable[str] | None = None,
    limits: Limits | None = None,
) -> WorkbookContents:
    """Read every table of a workbook (``.xlsx``, ``.xls``, ``.ods``): target tables, self-evaluations, monitoring.

    Each sheet's kind is told by :func:`sheet_kind`; target tables are read as by
    :func:`read_workbook`, self-evaluation tables as by :func:`read_evaluation_sheet`,
    monitoring tables as by :func:`read_monitoring_sheet`.

    Args:
        path: the workbook.
        year: the budget year for target tables that give none (as :func:`read_workbook`).
        sheets: read only the sheets with these titles.
        limits: the bounds the file is checked against before it is read (:class:`~perftarget.Limits`;
            ``None``: the defaults).

    Raises:
        WorkbookError: listing every problem in every sheet, as ``sheet!A12: reason``.
        MissingDependencyError: openpyxl is not installed (python-calamine for ``.xls`` and ``.ods``).

    .. versionadded:: 0.1.0
    """
    return _read(path, year=year, sheets=sheets, every_kind=True, limits=limits)
