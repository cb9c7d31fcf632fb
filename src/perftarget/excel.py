"""Excel workbooks: the project target table (项目绩效目标表) as published, written and read.

Needs the ``excel`` extra (``pip install "perftarget[excel]"``). openpyxl is imported on
first use, so ``import perftarget.excel`` works without it; calling a function without
it raises :class:`~perftarget.exceptions.MissingDependencyError`.

A workbook holds the department part (部门整体绩效目标) on one sheet, one sheet per
project table laid out like the published one, and a 说明 sheet for the document's
notes. Below each table, a block headed ``perftarget`` keeps what the published layout
cannot show (the year, the fiscal year's first month, checkpoint dates, basis
categories, keys, suppressions), so that a document written and read back is equal to
the original.

Reading tolerates what real files contain (points after labels, numbering, filler rows,
blank cells under merged ones, 无 and ``/``, numbers stored as text, full-width
characters, extra blank rows and columns). Whatever it cannot read is reported, every
problem with its sheet and cell, in one :class:`~perftarget.exceptions.WorkbookError`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from perftarget._levels import Level1, Level2, to_level1, to_level2
from perftarget._model import (
    Basis,
    Budget,
    DepartmentTargets,
    Document,
    Goal,
    Indicator,
    Measure,
    ProjectTargets,
    Suppression,
    Unit,
)
from perftarget._numbers import format_number
from perftarget._schedule import Checkpoint, SpendingSchedule, checkpoint_date
from perftarget._serialization import _structure_category, threshold_text
from perftarget._threshold import Threshold, parse_quantity
from perftarget._units import convert
from perftarget.exceptions import (
    InvalidValueError,
    MissingDependencyError,
    Problem,
    ThresholdSyntaxError,
    WorkbookError,
)

if TYPE_CHECKING:
    from types import ModuleType

    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["read_project_sheet", "read_workbook", "write_project_sheet", "write_workbook"]

T = TypeVar("T")
_Where = tuple[int, int] | None  # a (row, column) position, or None for the sheet as a whole


def _openpyxl() -> ModuleType:
    """openpyxl, imported on first use (the ``excel`` extra)."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError as exc:
        raise MissingDependencyError("openpyxl", "excel", "reading and writing Excel workbooks") from exc


# --- labels and vocabulary ---------------------------------------------------------------

_DEPARTMENT_TITLE: Final = "部门整体绩效目标"
_NOTES_TITLE: Final = "说明"
_MARKER: Final = (
    "perftarget 数据：公开表不含此部分，读回时需要，请勿改动（perftarget data, not part of the published table）"
)
_AMOUNT_UNIT: Final = "单位：万元"
_WIDTH: Final = 7  # columns A..G: the budget row is the widest fixed row

_LABEL_FOLD: Final = str.maketrans({"（": "(", "）": ")", "：": ":", "％": "%", "．": ".", "，": ","})
_LABEL_NUMBERING: Final = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十0-9]+\)|[0-9]+[、.])")
_LABEL_SUFFIX: Final = re.compile(r"\([^()]*\)$")

_PROJECT_LABELS: Final = {
    **dict.fromkeys(("项目编码", "项目代码", "项目编号"), "code"),
    **dict.fromkeys(("项目名称",), "name"),
    **dict.fromkeys(("预算规模及资金用途", "预算规模及用途", "资金规模及用途", "预算规模"), "budget"),
    **dict.fromkeys(("资金支出计划", "支出计划"), "plan"),
    **dict.fromkeys(("绩效目标", "年度绩效目标", "年度总体目标", "项目绩效目标", "总体绩效目标"), "goal"),
    **dict.fromkeys(("绩效指标", "年度绩效指标"), "heading"),
}
_DEPARTMENT_LABELS: Final = {
    **dict.fromkeys(("总体绩效目标", "部门职责", "主要职责"), "duties"),
    **dict.fromkeys(("分项绩效目标",), "section"),
    **dict.fromkeys(("绩效目标", "年度绩效目标"), "goal"),
    **dict.fromkeys(("绩效指标", "年度绩效指标"), "heading"),
    **dict.fromkeys(("工作保障措施", "保障措施"), "measures"),
}
_BUDGET_NAMES: Final = {"total": "预算数", "fiscal": "财政资金", "other": "其他资金"}
_BUDGET_LABELS: Final = {
    **dict.fromkeys(("预算数", "预算总额", "资金总额", "年度资金总额"), "total"),
    **dict.fromkeys(("财政资金", "财政拨款"), "fiscal"),
    **dict.fromkeys(("其他资金",), "other"),
}

# The indicator table's columns: (field, printed heading, headings accepted when reading).
_COLUMNS: Final = (
    ("level1", "一级指标", ("一级指标",)),
    ("level2", "二级指标", ("二级指标",)),
    ("name", "三级指标", ("三级指标", "三级指标名称")),
    ("description", "绩效指标描述", ("绩效指标描述", "指标描述", "指标解释", "指标说明")),
    ("target", "指标值", ("指标值", "年度指标值", "目标值", "绩效指标值")),
    ("basis", "指标值确定依据", ("指标值确定依据", "确定依据", "指标值设定依据")),
    ("weight", "分值", ("分值", "权重", "指标分值", "指标权重")),
)
_HEADING_FIELDS: Final = {heading: field for field, _, headings in _COLUMNS for heading in headings}
_HEADINGS: Final = {field: heading for field, heading, _ in _COLUMNS}

_NOT_APPLICABLE: Final = frozenset({"无", "/", "／", "-", "—", "--", "——", "不适用"})
_FILLER_CHARS: Final = frozenset("….。·．")
_INDICATOR_NUMBERING: Final = re.compile(r"^指标\s*[0-9０-９]+\s*[:：]\s*")
_INDICATOR_FIELD: Final = re.compile(
    r"^goals\[(\d+)\]\.indicators\[(\d+)\]\.(key|basis\.category|suppressions|level1|level2)$"
)
_YEARS: Final = (1, 9998)  # a fiscal year and the next must fit the calendar
_YEAR_IN_TITLE: Final = re.compile(r"((?:19|20)\d\d)\s*年")
_SHEET_TITLE_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\']")
_SHEET_TITLE_MAX: Final = 31
_TRUE: Final = frozenset({"true", "是", "1", "yes"})
_FALSE: Final = frozenset({"false", "否", "0", "no"})


def _label_key(text: str) -> str:
    """A label as compared: no spaces, half-width punctuation, no numbering, trailing colon or (note)."""
    key = "".join(text.split()).translate(_LABEL_FOLD)
    key = _LABEL_NUMBERING.sub("", key, count=1).rstrip(":")
    return _LABEL_SUFFIX.sub("", key) or key


def _column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _is_filler(text: str) -> bool:
    return bool(text) and (set(text) <= _FILLER_CHARS or text in ("等", "……等"))


# --- reading: a worksheet as a grid of values ---------------------------------------------


@attrs.frozen
class _Cell:
    """One cell as read: a merged cell's value shows in every position it covers."""

    row: int
    column: int
    value: object
    number_format: str
    formula: bool
    leading: bool  # the leftmost column of its merged range (or not merged)
    continued: bool  # a row of a merged range below its first


class _Grid:
    """A read-only view of a worksheet: values by position, merged ranges filled in."""

    def __init__(self, ws: Worksheet) -> None:
        self.title = str(ws.title)
        self._values: dict[tuple[int, int], tuple[object, str, bool]] = {}
        for cells in ws.iter_rows():
            for cell in cells:
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                self._values[(cell.row, cell.column)] = (value, str(cell.number_format or ""), cell.data_type == "f")
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        self._last_column: dict[tuple[int, int], int] = {}
        for merged in ws.merged_cells.ranges:
            origin = (merged.min_row, merged.min_col)
            self._last_column[origin] = merged.max_col
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    self._origin[(row, column)] = origin
        positions = self._values.keys() | self._origin.keys()
        self.max_row = max((row for row, _ in positions), default=0)
        self.max_column = max((column for _, column in positions), default=0)
        self.left = min((column for _, column in self._values), default=1)

    def at(self, row: int, column: int) -> _Cell | None:
        """The cell at a position (a merged range's value anywhere in it), or ``None`` if blank."""
        origin = self._origin.get((row, column), (row, column))
        stored = self._values.get(origin)
        if stored is None:
            return None
        value, number_format, formula = stored
        return _Cell(row, column, value, number_format, formula, origin[1] == column, origin[0] != row)

    def items(self, row: int) -> list[_Cell]:
        """The non-blank cells of a row, left to right, a merged range once."""
        cells = (self.at(row, column) for column in range(1, self.max_column + 1))
        return [cell for cell in cells if cell is not None and cell.leading]

    def after(self, cell: _Cell) -> _Cell | None:
        """The cell right of ``cell`` (of its merged range), blank or not."""
        origin = self._origin.get((cell.row, cell.column), (cell.row, cell.column))
        return self.at(cell.row, self._last_column.get(origin, origin[1]) + 1)

    def ref(self, row: int, column: int) -> str:
        return f"{self.title}!{_column_letter(column)}{row}"

    def where(self, cell: _Cell) -> str:
        return self.ref(cell.row, cell.column)


class _Problems:
    """Problems found so far, each at a place such as ``sheet!A12``; listed sheet by sheet, top to bottom."""

    def __init__(self) -> None:
        self._found: list[tuple[int, int, int, Problem]] = []
        self._sheets: dict[str, int] = {}

    def add(self, where: str, message: str, *, sheet: str = "", position: tuple[int, int] = (0, 0)) -> None:
        order = self._sheets.setdefault(sheet, len(self._sheets))
        self._found.append((order, *position, Problem(where, message)))

    @property
    def found(self) -> list[Problem]:
        return [problem for *_, problem in sorted(self._found, key=lambda entry: entry[:3])]

    def __len__(self) -> int:
        return len(self._found)


def _numeric(cell: _Cell) -> tuple[Decimal, bool]:
    """A number cell's value as shown (percent formats scaled to percent) and whether it is a percent."""
    value = cell.value
    number = Decimal(value) if isinstance(value, (int, Decimal)) else Decimal(repr(value))
    section = cell.number_format.split(";", 1)[0]
    percent = "%" in section
    if percent:
        number *= 100
    match = re.search(r"\.([0#?]+)", section)
    shown = len(match.group(1)) if match else (0 if re.search(r"[0#?]", section) else None)
    try:
        plain = number.normalize()
        if _places(plain) == 0:
            plain = plain.quantize(Decimal(1))
        if shown is not None and _places(plain) <= shown:
            plain = plain.quantize(Decimal(1).scaleb(-shown))
    except InvalidOperation:  # too large to re-scale: keep it as it is
        return number, percent
    return plain, percent


def _display(cell: _Cell | None) -> str:
    """A cell's value as text, stripped; numbers as shown (``0.95`` in a percent format is ``95%``)."""
    if cell is None:
        return ""
    value = cell.value
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        number, percent = _numeric(cell)
        return format_number(number) + ("%" if percent else "")
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value).strip()


class _Reader:
    """Reads cells of one grid into values, noting each problem at its cell."""

    def __init__(self, grid: _Grid, problems: _Problems) -> None:
        self.grid = grid
        self.problems = problems

    def problem(self, where: _Cell | _Where, message: str) -> None:
        """Note a problem at a cell, a (row, column) position, or (``None``) the sheet."""
        title = self.grid.title
        if isinstance(where, _Cell):
            where = (where.row, where.column)
        if where is None:
            self.problems.add(title, message, sheet=title)
        else:
            self.problems.add(self.grid.ref(*where), message, sheet=title, position=where)

    def text(self, cell: _Cell | None, what: str) -> str:
        if cell is not None and cell.formula:
            self.problem(cell, f"{what} is a formula ({cell.value}); perftarget reads values: enter the value")
            return ""
        return _display(cell)

    def number(
        self, cell: _Cell | None, what: str, units: tuple[str, ...] = (), *, plain: str = "", to: str = ""
    ) -> Decimal | None:
        """A number, blank (``None``), 无 or / (``None``); a unit word among ``units`` is converted ``to``.

        A number without a unit is in ``plain``; a number cell in a percent format is a percent.
        """
        text = self.text(cell, what)
        if cell is None or not text or text in _NOT_APPLICABLE:
            return None
        if isinstance(cell.value, (int, float, Decimal)) and not isinstance(cell.value, bool):
            value, percent = _numeric(cell)
            unit = "%" if percent and "%" in units else plain
        else:
            try:
                quantity = parse_quantity(text)
            except ThresholdSyntaxError:
                quantity = None
            if quantity is None or (quantity.unit and quantity.unit not in units):
                shown = f" (plain or in {'/'.join(units)})" if units else ""
                self.problem(cell, f"{what} must be a number{shown}, not {text!r}")
                return None
            value, unit = quantity.value, quantity.unit or plain
        return convert(value, unit, to) if unit and to and unit != to else value

    def integer(self, cell: _Cell | None, what: str) -> int | None:
        number = self.number(cell, what)
        if number is None:
            if _display(cell) in ("", *_NOT_APPLICABLE):  # else number() said what is wrong
                self.problem(cell, f"{what} is missing")
            return None
        if number != number.to_integral_value():
            self.problem(cell, f"{what} must be a whole number, not {format_number(number)}")
            return None
        return int(number)

    def flag(self, cell: _Cell | None, what: str) -> bool:
        if cell is not None and isinstance(cell.value, bool):
            return cell.value
        text = self.text(cell, what).lower()
        if text in _TRUE:
            return True
        if text not in _FALSE and text:
            self.problem(cell, f"{what} must be TRUE or FALSE (是/否), not {text!r}")
        return False

    def date(self, cell: _Cell, what: str) -> dt.date | None:
        if isinstance(cell.value, dt.datetime):
            return cell.value.date()
        if isinstance(cell.value, dt.date):
            return cell.value
        text = self.text(cell, what)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.problem(cell, f"{what} must be a date such as 2024-03-31, not {text!r}")
            return None


# --- reading: rows grouped under their labels ---------------------------------------------


@attrs.define
class _Segment:
    """A label row and the rows that follow it up to the next label."""

    kind: str
    label: _Cell | None
    rows: list[int] = attrs.Factory(list)


def _header_columns(items: Sequence[_Cell]) -> dict[str, _Cell] | None:
    """The indicator table's header (field -> heading cell), if the row is one."""
    fields: dict[str, _Cell] = {}
    for cell in items:
        field = _HEADING_FIELDS.get(_label_key(_display(cell)))
        if field is not None:
            fields.setdefault(field, cell)
    return fields if "name" in fields and "target" in fields else None


def _segments(grid: _Grid, labels: dict[str, str]) -> tuple[list[_Segment], int]:
    """Rows grouped under their labels (kind ``preamble`` first), and the first row of the perftarget block."""
    segments = [_Segment("preamble", None)]
    for row in range(1, grid.max_row + 1):
        items = grid.items(row)
        if not items or all(cell.continued for cell in items):
            continue  # blank, or nothing but the rest of merged cells from above
        first = items[0]
        if _header_columns(items) is not None:
            segments.append(_Segment("header", first, [row]))
            continue
        if first.column == grid.left and not first.continued:
            text = _display(first)
            if text.lower().startswith("perftarget"):
                return segments, row + 1
            kind = labels.get(_label_key(text))
            if kind is not None:
                segments.append(_Segment(kind, first, [row]))
                continue
        segments[-1].rows.append(row)
    return segments, grid.max_row + 1


def _value_after(reader: _Reader, row: int, what: str) -> str:
    """The one value right of a row's label (a code, a name, a goal, a duty)."""
    grid = reader.grid
    cells = [cell for cell in grid.items(row) if cell.column > grid.left]
    for extra in cells[1:]:
        reader.problem(extra, f"expected one value for {what}, found another: {_display(extra)!r}")
    return reader.text(cells[0], what) if cells else ""


def _unexpected(reader: _Reader, rows: Iterable[int]) -> None:
    for row in rows:
        cell = next(cell for cell in reader.grid.items(row) if not cell.continued)
        reader.problem(cell, f"unexpected row starting with {_display(cell)!r}")


# --- reading: the perftarget block ---------------------------------------------------------


@attrs.define
class _Block:
    """What the perftarget block below a table says."""

    fields: dict[str, list[_Cell | None]] = attrs.Factory(dict)
    suppressions: list[tuple[_Cell, list[_Cell | None]]] = attrs.Factory(list)
    indicators: dict[tuple[int, int], list[tuple[str, _Cell, list[_Cell | None]]]] = attrs.Factory(dict)

    def first(self, name: str) -> _Cell | None:
        values = self.fields.get(name)
        return values[0] if values else None


def _read_block(reader: _Reader, start: int, allowed: frozenset[str]) -> _Block:
    grid = reader.grid
    block = _Block()
    for row in range(start, grid.max_row + 1):
        items = grid.items(row)
        if not items:
            continue
        first = items[0]
        name = _display(first)
        values = [grid.at(row, column) for column in range(first.column + 1, grid.max_column + 2)]
        match = _INDICATOR_FIELD.match(name)
        if match:
            key = (int(match.group(1)), int(match.group(2)))
            block.indicators.setdefault(key, []).append((match.group(3), first, values))
        elif name == "suppressions" and name in allowed:
            block.suppressions.append((first, values))
        elif name in allowed:
            if name in block.fields:
                reader.problem(first, f"{name} is given twice in the perftarget block")
            block.fields[name] = values
        else:
            known = ", ".join(sorted(allowed | {"goals[i].indicators[j].<field>"}))
            reader.problem(first, f"unknown field {name!r} in the perftarget block; expected one of {known}")
    return block


def _suppression(reader: _Reader, where: _Cell, values: Sequence[_Cell | None]) -> Suppression | None:
    """A suppression from its code and reason cells."""
    code = values[0] if values else None
    reason = values[1] if len(values) > 1 else None
    try:
        return Suppression(reader.text(code, "the rule code"), reader.text(reason, "the reason"))
    except InvalidValueError as exc:
        reader.problem(reason or (where.row, where.column + 2), str(exc))  # the reason follows the code
        return None


def _year(reader: _Reader, block: _Block, title: str, fallback: int | None) -> tuple[int | None, bool]:
    """The year and whether it was assumed: the block, else the title's 20xx年, else ``fallback``."""
    assumed = reader.flag(block.first("year_assumed"), "year_assumed")
    if "year" in block.fields:
        cell = block.first("year")
        year = reader.integer(cell, "year")
        if year is not None and not _YEARS[0] <= year <= _YEARS[1]:
            reader.problem(cell, f"year must be between {_YEARS[0]} and {_YEARS[1]}, not {year}")
            return None, assumed
        return year, assumed
    match = _YEAR_IN_TITLE.search(title)
    if match:
        return int(match.group(1)), assumed
    if fallback is not None:
        return fallback, True
    reader.problem(None, "no year: the title prints none (such as 2024年) and there is no perftarget block; pass year=")
    return None, False


# --- indicator tables, shared by every layout ------------------------------------------------


def _level(text: str, parse: Callable[[str], T]) -> T:
    """A level label; one that is known once its line breaks and spaces are removed counts as known."""
    value = parse(text)
    if isinstance(value, str):
        squeezed = parse("".join(text.split()))
        if not isinstance(squeezed, str):
            return squeezed
    return value


_Levels = tuple[Level1 | str | None, Level2 | str | None]


def _resolve_levels(texts: Sequence[tuple[str, str]]) -> list[_Levels]:
    """Each row's levels from the level cells' texts (merged cells already filled in).

    A blank level-1 repeats the one above; a blank level-2 repeats the one above when
    the level-1 is blank or the same as above (merged or repeated), and is none otherwise.
    """
    resolved: list[_Levels] = []
    above: _Levels = (None, None)
    for text1, text2 in texts:
        level1 = _level(text1, to_level1) if text1 else above[0]
        if text2:
            level2 = _level(text2, to_level2)
        elif not text1 or level1 == above[0]:
            level2 = above[1]
        else:
            level2 = None
        above = (level1, level2)
        resolved.append(above)
    return resolved


@attrs.define
class _Row:
    """One indicator row as read, before the levels and the block are applied."""

    row: int
    levels: tuple[str, str]
    placeholder: bool
    cells: dict[str, _Cell | None]
    name: str = ""
    description: str = ""
    target: Threshold | None = None
    basis: str = ""
    weight: Decimal | None = None


@attrs.define
class _Table:
    """A goal and its indicator rows as read."""

    content: str
    label: _Cell | None
    rows: list[_Row] = attrs.Factory(list)
    has_header: bool = False


def _strip_goal_number(text: str, number: int) -> str:
    """``1.目标内容`` -> ``目标内容`` for goal ``number``; ``1.5亿元`` keeps its decimal point."""
    prefix = str(number)
    if not text.startswith(prefix):
        return text
    rest = text[len(prefix) :]
    if rest[:1] == "、" or (rest[:1] in (".", "．") and not rest[1:2].isdigit()):
        return rest[1:].lstrip()
    return text


def _number_goal(content: str, number: int) -> str:
    """The goal as printed: ``1.目标内容``; ``1、`` before a digit, so that it reads back the same."""
    if not content:
        return ""
    separator = "、" if content[:1].isdigit() else "."
    return f"{number}{separator}{content}"


def _read_indicator_row(reader: _Reader, columns: dict[str, int], row: int) -> _Row:
    grid = reader.grid
    cells = {field: grid.at(row, column) for field, column in columns.items()}
    texts = {
        field: reader.text(cell, _HEADINGS[field]) for field, cell in cells.items() if field not in ("target", "weight")
    }
    texts = {field: "" if _is_filler(text) else text for field, text in texts.items()}
    target_cell = cells.get("target")
    # "=100%" typed into Excel becomes a formula; in this column its text is the target
    formula = target_cell is not None and target_cell.formula
    target_text = str(target_cell.value).strip() if formula and target_cell else _display(target_cell)
    target_text = "" if _is_filler(target_text) else target_text
    weight_text = _display(cells.get("weight"))
    name = _INDICATOR_NUMBERING.sub("", texts.get("name", ""), count=1)
    content = (name, texts.get("description", ""), target_text, texts.get("basis", ""), weight_text)
    result = _Row(row, (texts.get("level1", ""), texts.get("level2", "")), not any(content), cells)
    if result.placeholder:
        return result
    result.name = name
    result.description = texts.get("description", "")
    result.basis = texts.get("basis", "")
    if not name:
        reader.problem((row, columns["name"]), "the indicator has no name (三级指标)")
    try:
        result.target = Threshold.parse(target_text)
    except ThresholdSyntaxError as exc:
        where = target_cell or (row, columns["target"])
        reader.problem(where, f"cannot read the target {target_text!r}: expected {exc.expected} at column {exc.column}")
    if "weight" in cells:
        result.weight = reader.number(cells["weight"], "分值", ("分",))
    for cell in grid.items(row):
        if cell.column not in columns.values():
            reader.problem(cell, f"a value in a column without a heading: {_display(cell)!r}")
    return result


def _read_table(reader: _Reader, segment: _Segment, table: _Table) -> None:
    grid = reader.grid
    items = grid.items(segment.rows[0])
    for cell in items:
        if _HEADING_FIELDS.get(_label_key(_display(cell))) is None:
            known = "、".join(_HEADINGS.values())
            reader.problem(cell, f"unknown column heading {_display(cell)!r}; expected {known}")
    columns = {field: cell.column for field, cell in (_header_columns(items) or {}).items()}
    table.has_header = True
    table.rows.extend(_read_indicator_row(reader, columns, row) for row in segment.rows[1:])


@attrs.define
class _Extras:
    """What the perftarget block says about one indicator."""

    level1: list[Level1 | str | None] = attrs.Factory(list)  # empty: as the table says
    level2: list[Level2 | str | None] = attrs.Factory(list)
    key: str | None = None
    category: str = ""
    suppressions: list[Suppression] = attrs.Factory(list)


def _extras(reader: _Reader, block: _Block, path: tuple[int, int], row: _Row) -> _Extras:
    extras = _Extras()
    for field, where, values in block.indicators.pop(path, []):
        name = reader.text(values[0], "the indicator's name")
        if name != row.name:
            reader.problem(where, f"this row is for {name!r}, but goals[{path[0]}].indicators[{path[1]}] is "
                           f"{row.name!r} (row {row.row}): the table was edited; correct or delete this row")
            continue
        value = values[1] if len(values) > 1 else None
        if field == "suppressions":
            suppression = _suppression(reader, where, values[1:])
            if suppression is not None:
                extras.suppressions.append(suppression)
        elif field == "level1":
            extras.level1[:] = [to_level1(reader.text(value, field) or None)]
        elif field == "level2":
            extras.level2[:] = [to_level2(reader.text(value, field) or None)]
        elif field == "key":
            extras.key = reader.text(value, field)
        else:
            extras.category = reader.text(value, field)
            if not extras.category:
                reader.problem(where, "basis.category is blank")
    return extras


def _indicator(reader: _Reader, block: _Block, path: tuple[int, int], row: _Row, levels: _Levels) -> Indicator | None:
    """One indicator from its row, its resolved levels and what the block adds."""
    extras = _extras(reader, block, path, row)
    basis = Basis(row.basis) if row.basis else None
    if extras.category:
        try:
            basis = Basis(row.basis, _structure_category(extras.category, Basis))
        except InvalidValueError as exc:
            reader.problem(None, f"goals[{path[0]}].indicators[{path[1]}].basis.category: {exc}")
    if row.target is None:
        return None
    try:
        return Indicator(
            name=row.name,
            target=row.target,
            level1=extras.level1[0] if extras.level1 else levels[0],
            level2=extras.level2[0] if extras.level2 else levels[1],
            description=row.description,
            basis=basis,
            weight=row.weight,
            key=extras.key,
            suppressions=tuple(extras.suppressions),
        )
    except InvalidValueError as exc:
        reader.problem(row.cells.get("level2") or (row.row, reader.grid.left), str(exc))
        return None


def _goals(reader: _Reader, tables: Sequence[_Table], block: _Block) -> list[Goal]:
    goals = []
    for goal_index, table in enumerate(tables):
        if not table.has_header and table.label is not None:
            reader.problem(table.label, "no indicator table after this goal (a header row 一级指标 … 指标值)")
        resolved = _resolve_levels([row.levels for row in table.rows])
        kept = [(row, levels) for row, levels in zip(table.rows, resolved, strict=True) if not row.placeholder]
        indicators = [
            _indicator(reader, block, (goal_index, index), row, levels) for index, (row, levels) in enumerate(kept)
        ]
        goals.append(Goal(table.content, tuple(i for i in indicators if i is not None)))
    for (goal_index, index), entries in block.indicators.items():
        reader.problem(entries[0][1], f"goals[{goal_index}].indicators[{index}] is not in the table above")
    return goals


def _collect_tables(reader: _Reader, segments: Iterable[_Segment], other: Callable[[_Segment], bool]) -> list[_Table]:
    """The goals with their indicator tables; ``other`` reads the layout's other segments."""
    tables: list[_Table] = []
    for segment in segments:
        if segment.kind == "goal":
            content = _value_after(reader, segment.rows[0], "the goal")
            tables.append(_Table(_strip_goal_number(content, len(tables) + 1), segment.label))
            _unexpected(reader, segment.rows[1:])
        elif segment.kind == "header":
            if tables and tables[-1].has_header:
                reader.problem(segment.label, "a second indicator header under one goal: add a 绩效目标 row above it")
            elif not tables:
                tables.append(_Table("", None))
            _read_table(reader, segment, tables[-1])
        elif segment.kind == "heading":
            _unexpected(reader, segment.rows[1:])
        elif not other(segment):
            _unexpected(reader, segment.rows)
    return tables


_CODE: Final = re.compile(r"[0-9A-Za-z.\-]+")


def _unit(reader: _Reader, rows: Sequence[int]) -> tuple[str, Unit | None, str]:
    """The title, the budget unit and the amounts' unit (万元 or 元) from the rows above the labels."""
    grid = reader.grid
    title = ""
    unit_rows: list[list[_Cell]] = []
    for row in rows:
        items = grid.items(row)
        key = _label_key(_display(items[0]))
        if not title and not unit_rows and len(items) == 1 and key.endswith(("绩效目标表", "绩效目标")):
            title = _display(items[0])
        else:
            unit_rows.append(items)
    if not unit_rows:
        reader.problem(None, "no row with the budget unit's code and name above the table")
        return title, None, "万元"
    for extra in unit_rows[1:]:
        reader.problem(extra[0], f"unexpected row above the table: {_display(extra[0])!r}")
    amount_unit = "万元"
    parts = []
    for cell in unit_rows[0]:
        text = reader.text(cell, "the unit")
        key = _label_key(text)
        if key.startswith(("单位:", "金额单位:")):
            amount_unit = key.split(":", 1)[1]
            if amount_unit not in ("万元", "元"):
                reader.problem(cell, f"amounts must be in 万元 or 元, not {amount_unit!r}")
                amount_unit = "万元"
        else:
            parts.append((cell, text))
    return title, _unit_of(reader, unit_rows[0][0], parts), amount_unit


def _unit_of(reader: _Reader, row_start: _Cell, parts: Sequence[tuple[_Cell, str]]) -> Unit | None:
    """The unit from its code and name cells, or from one cell ``230001 博野县信访局本级``."""
    for cell, text in parts[2:]:
        reader.problem(cell, f"expected the unit's code and name, found also {text!r}")
    if len(parts) >= 2:  # noqa: PLR2004 - code and name
        return Unit(parts[0][1], parts[1][1])
    if not parts:
        reader.problem(row_start, "no budget unit (code and name) on this row")
        return None
    cell, text = parts[0]
    words = text.split(maxsplit=1)
    if len(words) == 2 and _CODE.fullmatch(words[0]):  # noqa: PLR2004 - code and name
        return Unit(*words)
    if cell.column == reader.grid.left and _CODE.fullmatch(text):
        return Unit(text, "")
    return Unit("", text)


# --- reading: the project table ----------------------------------------------------------------


_PROJECT_FIELDS: Final = frozenset(
    {"year", "year_assumed", "schedule.start_month", "schedule.multi_year", "schedule.checkpoints.date", "suppressions"}
)
_ANY_YEAR: Final = 2000
_REQUIRED: Final = (("code", "项目编码"), ("name", "项目名称"), ("budget", "预算规模及资金用途"))


class _ProjectReader(_Reader):
    """Reads one project table (项目绩效目标表)."""

    def __init__(self, grid: _Grid, problems: _Problems) -> None:
        super().__init__(grid, problems)
        self.once: dict[str, _Segment] = {}
        self.amount_unit = "万元"

    def other(self, segment: _Segment) -> bool:
        if segment.kind not in ("code", "name", "budget", "plan"):
            return False
        first = self.once.setdefault(segment.kind, segment)
        if first is not segment:
            where = self.grid.where(first.label) if first.label else "?"
            self.problem(segment.label, f"a second {_display(segment.label)} row (the first is {where})")
        return True

    def read(self, year: int | None) -> ProjectTargets | None:
        before = len(self.problems)
        segments, block_start = _segments(self.grid, _PROJECT_LABELS)
        title, unit, self.amount_unit = _unit(self, segments[0].rows)
        tables = _collect_tables(self, segments[1:], self.other)
        block = _read_block(self, block_start, _PROJECT_FIELDS)
        for kind, label in _REQUIRED:
            if kind not in self.once:
                self.problem(None, f"no {label} row")
        code = self.single("code", "the project code")
        name = self.single("name", "the project name")
        if not name and "name" in self.once:
            self.problem(self.once["name"].label, "the project name is blank")
        budget, purpose = self.budget()
        the_year, assumed = _year(self, block, title, year)
        schedule = self.schedule(the_year, block)
        goals = _goals(self, tables, block)
        suppressions = [_suppression(self, where, values) for where, values in block.suppressions]
        if len(self.problems) > before or unit is None or budget is None or the_year is None:
            return None
        try:
            return ProjectTargets(
                unit=unit, code=code, name=name, year=the_year, budget=budget, purpose=purpose, schedule=schedule,
                goals=tuple(goals), year_assumed=assumed, suppressions=tuple(s for s in suppressions if s),
            )
        except InvalidValueError as exc:
            self.problem(None, str(exc))
            return None

    def single(self, kind: str, what: str) -> str:
        segment = self.once.get(kind)
        if segment is None:
            return ""
        _unexpected(self, segment.rows[1:])
        return _value_after(self, segment.rows[0], what)

    def budget(self) -> tuple[Budget | None, str]:
        segment = self.once.get("budget")
        if segment is None:
            return None, ""
        grid = self.grid
        row = segment.rows[0]
        cells: dict[str, _Cell | None] = {}
        used = set()
        for cell in grid.items(row)[1:]:
            kind = _BUDGET_LABELS.get(_label_key(_display(cell)).removeprefix("其中").lstrip(":"))
            if kind is not None:
                cells[kind] = value = grid.after(cell)
                used |= {cell.column, value.column if value else 0}
        for cell in grid.items(row)[1:]:
            if cell.column not in used:
                self.problem(cell, f"unexpected cell in the budget row: {_display(cell)!r}")
        amounts = {
            kind: self.number(cell, _BUDGET_NAMES[kind], ("万元", "元"), plain=self.amount_unit, to="万元")
            for kind, cell in cells.items()
        }
        purpose = ""
        if len(segment.rows) > 1:
            purpose = _value_after(self, segment.rows[1], "the fund use (资金用途)")
            _unexpected(self, segment.rows[2:])
        total = amounts.get("total")
        where = cells.get("total") or (row, grid.left)
        if total is None:
            if not _display(cells.get("total")):
                self.problem(where, "预算数 (the budget total) is missing")
            return None, purpose
        try:
            return Budget(total=total, fiscal=amounts.get("fiscal"), other=amounts.get("other")), purpose
        except InvalidValueError as exc:
            self.problem(where, str(exc))
            return None, purpose

    def schedule(self, year: int | None, block: _Block) -> SpendingSchedule | None:
        """The plan; checked by its headings against any year when the year is unknown."""
        segment = self.once.get("plan")
        start_cell = block.first("schedule.start_month")
        start_month = self.integer(start_cell, "schedule.start_month") if start_cell else 1
        if start_month is not None and not 1 <= start_month <= 12:  # noqa: PLR2004 - months
            self.problem(start_cell, f"schedule.start_month must be 1 to 12, not {start_month}")
            start_month = None
        multi_year = self.flag(block.first("schedule.multi_year"), "schedule.multi_year")
        headings = self.grid.items(segment.rows[0])[1:] if segment else []
        if segment is None or (not headings and start_cell is None):
            return None
        percents = segment.rows[1] if len(segment.rows) > 1 else None
        _unexpected(self, segment.rows[2:])
        stored = block.fields.get("schedule.checkpoints.date", []) if year is not None else []
        dates = {cell.column: cell for cell in stored if cell is not None}
        columns = {heading.column for heading in headings}
        checkpoints = [
            self.checkpoint(h, percents, dates.get(h.column), year or _ANY_YEAR, start_month or 1) for h in headings
        ]
        for cell in self.grid.items(percents) if percents else ():
            if cell.column > self.grid.left and cell.column not in columns:
                self.problem(cell, "a percent under no checkpoint heading")
        for column, cell in dates.items():
            if column not in columns:
                self.problem(cell, "a checkpoint date under no checkpoint heading")
        try:
            return SpendingSchedule(
                fiscal_year=year or _ANY_YEAR, checkpoints=tuple(c for c in checkpoints if c), multi_year=multi_year,
                start_month=start_month or 1,
            )
        except InvalidValueError as exc:
            self.problem(segment.label, f"the spending plan: {exc}")
            return None

    def checkpoint(
        self, heading: _Cell, percents: int | None, stored: _Cell | None, year: int, start_month: int
    ) -> Checkpoint | None:
        """One checkpoint: its heading, the percent below it and the date (from the block or the heading)."""
        label: str | None = self.text(heading, "a checkpoint heading")
        implied: dt.date | None = None
        if isinstance(heading.value, dt.date):  # a date cell: no label
            implied, label = self.date(heading, "a checkpoint heading"), None
        else:
            try:
                implied = checkpoint_date(label or "", year, start_month)
            except (ValueError, OverflowError):  # InvalidValueError, or whatever a date library raises
                implied = None
            if implied is not None and label == implied.isoformat():
                label = None
        date = self.date(stored, "schedule.checkpoints.date") if stored is not None else implied
        if date is None:
            self.problem(heading, f"cannot tell the date of checkpoint {_display(heading)!r}: write N月底 or a date "
                         "such as 2024-03-31")
            return None
        cell = self.grid.at(percents, heading.column) if percents else None
        percent = self.number(cell, "a planned percent", ("%",))
        if percent is None:
            where = cell or (percents or heading.row + 1, heading.column)
            self.problem(where, f"no percent under {_display(heading)!r}")
            return None
        try:
            return Checkpoint(date=date, percent=percent, label=label)
        except InvalidValueError as exc:
            self.problem(cell, str(exc))
            return None


def read_project_sheet(ws: Worksheet, *, year: int | None = None) -> ProjectTargets:
    """Read one project target table (项目绩效目标表) from an openpyxl worksheet.

    The sheet is laid out as :func:`write_project_sheet` writes it, or as a published
    table is (see the guide for what is tolerated). The year comes from the sheet's
    perftarget block, else from a ``20xx年`` in the title, else from ``year`` (the project
    is then marked :attr:`~perftarget.ProjectTargets.year_assumed`).

    Args:
        ws: an openpyxl worksheet.
        year: the budget year to use when the sheet gives none.

    Raises:
        WorkbookError: listing every cell that could not be read, as ``sheet!A12: reason``.

    .. versionadded:: 0.1.0
    """
    problems = _Problems()
    project = _ProjectReader(_Grid(ws), problems).read(year)
    if project is None:
        raise WorkbookError(problems.found)
    return project


# --- reading: the department part ------------------------------------------------------------


class _DepartmentReader(_Reader):
    """Reads the department part (部门整体绩效目标)."""

    def __init__(self, grid: _Grid, problems: _Problems) -> None:
        super().__init__(grid, problems)
        self.duties: list[str] = []
        self.measures: list[Measure] = []

    def other(self, segment: _Segment) -> bool:
        left = self.grid.left
        if segment.kind == "section":
            _unexpected(self, segment.rows[1:])
        elif segment.kind == "duties":
            self.duties.extend(text for row in segment.rows if (text := _value_after(self, row, "a duty")))
        elif segment.kind == "measures":
            for row in segment.rows:
                title = self.text(self.grid.at(row, left + 1), "the measure")
                detail = self.text(self.grid.at(row, left + 2), "the measure's detail")
                if title or detail:
                    self.measures.append(Measure(title, detail))
                for cell in self.grid.items(row):
                    if cell.column > left + 2:
                        self.problem(cell, f"unexpected cell after the measure's detail: {_display(cell)!r}")
        else:
            return False
        return True

    def read(self, year: int | None) -> DepartmentTargets | None:
        before = len(self.problems)
        segments, block_start = _segments(self.grid, _DEPARTMENT_LABELS)
        title, unit, _ = _unit(self, segments[0].rows)
        tables = _collect_tables(self, segments[1:], self.other)
        block = _read_block(self, block_start, frozenset({"year", "year_assumed"}))
        the_year, assumed = _year(self, block, title, year)
        goals = _goals(self, tables, block)
        if len(self.problems) > before or unit is None or the_year is None:
            return None
        return DepartmentTargets(
            unit=unit, year=the_year, duties=tuple(self.duties), goals=tuple(goals), measures=tuple(self.measures),
            year_assumed=assumed,
        )


# --- writing -------------------------------------------------------------------------------------


_Fields = list[tuple[str, Sequence[object]]]


class _Writer:
    """Writes cells of one worksheet with the table's styles."""

    def __init__(self, ws: Worksheet, xl: ModuleType) -> None:
        self.ws = ws
        self.problems = _Problems()
        styles = xl.styles
        side = styles.Side(style="thin")
        box = styles.Border(left=side, right=side, top=side, bottom=side)
        center = styles.Alignment(horizontal="center", vertical="center", wrap_text=True)
        self._styles = {
            "title": (styles.Font(bold=True, size=14), styles.Alignment(horizontal="center", vertical="center"), None),
            "label": (styles.Font(bold=True), center, box),
            "cell": (None, center, box),
            "text": (None, styles.Alignment(horizontal="left", vertical="center", wrap_text=True), box),
            "plain": (None, None, None),
            "note": (styles.Font(italic=True, color="FF808080"), None, None),
        }
        self._illegal = xl.utils.exceptions.IllegalCharacterError

    def put(
        self, row: int, column: int, value: object, style: str = "cell", *, to: tuple[int, int] | None = None,
        number_format: str | None = None,
    ) -> None:
        """Write ``value`` (text stays text, even ``=100%``), styled; ``to`` merges up to that cell."""
        cell = self.ws.cell(row=row, column=column)
        try:
            cell.value = value if value != "" else None
        except self._illegal:
            where = f"{self.ws.title}!{_column_letter(column)}{row}"
            message = f"{value!r} holds a control character that a workbook cannot store"
            self.problems.add(where, message, sheet=self.ws.title, position=(row, column))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # a leading "=" is text here, not a formula
        font, alignment, border = self._styles[style]
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        if border is not None:
            cell.border = border
        if number_format is not None:
            cell.number_format = number_format
        if to is not None and to != (row, column):
            self.ws.merge_cells(start_row=row, start_column=column, end_row=to[0], end_column=to[1])

    def number(self, row: int, column: int, value: Decimal | None, *, percent: bool = False, least: int = 0) -> None:
        """A number shown with its decimals (at least ``least``); as exact text when a float cannot hold it."""
        if value is None:
            self.put(row, column, None)
            return
        places = max(least, _places(value))
        decimals = "." + "0" * places if places else ""
        stored = value / 100 if percent else value
        if Decimal(repr(float(stored))) == stored:
            self.put(row, column, float(stored), number_format=f"0{decimals}{'%' if percent else ''}")
        else:
            self.put(row, column, format_number(value) + ("%" if percent else ""))

    def widths(self, widths: Sequence[float]) -> None:
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[_column_letter(index)].width = width

    def block(self, row: int, fields: _Fields) -> None:
        """The perftarget block from ``row``: the marker, then one field per row."""
        self.put(row, 1, _MARKER, "note")
        for offset, (name, values) in enumerate(fields, start=1):
            self.put(row + offset, 1, name, "note")
            for column, value in enumerate(values, start=2):
                if value is not None:
                    self.put(row + offset, column, value, "note")

    def finish(self, last_row: int, last_column: int) -> None:
        """Print the table (not the block) on pages one table wide."""
        self.ws.print_area = f"A1:{_column_letter(last_column)}{last_row}"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True


def _runs(keys: Sequence[object]) -> Iterator[tuple[int, int]]:
    """(first, last) index of each run of equal keys."""
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            yield start, index - 1
            start = index


def _level_text(level: Level1 | Level2 | str | None) -> str:
    return "" if level is None else str(level)


def _write_indicators(w: _Writer, row: int, indicators: Sequence[Indicator], *, weighted: bool) -> None:
    """Indicator rows from ``row``, level cells merged over runs of the same level."""
    texts = [(_level_text(i.level1), _level_text(i.level2)) for i in indicators]
    for column, keys in ((1, [level1 for level1, _ in texts]), (2, texts)):
        for first, last in _runs(keys):
            text = texts[first][column - 1]
            if text:
                w.put(row + first, column, text, to=(row + last, column))
            else:  # blank: no level, each cell on its own
                for offset in range(first, last + 1):
                    w.put(row + offset, column, None)
    for offset, indicator in enumerate(indicators):
        w.put(row + offset, 3, indicator.name)
        w.put(row + offset, 4, indicator.description)
        w.put(row + offset, 5, threshold_text(indicator.target))
        w.put(row + offset, 6, indicator.basis.text if indicator.basis is not None else None)
        if weighted:
            w.number(row + offset, 7, indicator.weight)


def _indicator_fields(goal_index: int, indicators: Sequence[Indicator]) -> _Fields:
    """The block rows for what the table cannot show about each indicator."""
    fields: _Fields = []
    read_back = _resolve_levels([(_level_text(i.level1), _level_text(i.level2)) for i in indicators])
    for index, (indicator, (level1, level2)) in enumerate(zip(indicators, read_back, strict=True)):
        path = f"goals[{goal_index}].indicators[{index}]"
        name = indicator.name
        if level1 != indicator.level1:
            fields.append((f"{path}.level1", (name, _level_text(indicator.level1))))
        if level2 != indicator.level2:
            fields.append((f"{path}.level2", (name, _level_text(indicator.level2))))
        if indicator.key is not None:
            fields.append((f"{path}.key", (name, indicator.key)))
        if indicator.basis is not None and indicator.basis.category is not None:
            fields.append((f"{path}.basis.category", (name, indicator.basis.category.value)))
        fields.extend((f"{path}.suppressions", (name, s.code, s.reason)) for s in indicator.suppressions)
    return fields


def _write_goals(w: _Writer, row: int, goals: Sequence[Goal], width: int) -> tuple[int, _Fields]:
    """Each goal's 绩效目标 row, indicator header and rows; the next free row and the block rows."""
    weighted = any(indicator.weight is not None for goal in goals for indicator in goal.indicators)
    columns = len(_COLUMNS) if weighted else len(_COLUMNS) - 1
    fields: _Fields = []
    for goal_index, goal in enumerate(goals):
        w.put(row, 1, "绩效目标", "label")
        w.put(row, 2, _number_goal(goal.content, goal_index + 1), "text", to=(row, width))
        for column, (_, heading, _) in enumerate(_COLUMNS[:columns], start=1):
            w.put(row + 1, column, heading, "label")
        _write_indicators(w, row + 2, goal.indicators, weighted=weighted)
        row += 2 + len(goal.indicators)
        fields.extend(_indicator_fields(goal_index, goal.indicators))
    return row, fields


def _write_unit(w: _Writer, row: int, unit: Unit, width: int, *, amounts: bool) -> None:
    w.put(row, 1, unit.code, "plain")
    w.put(row, 2, unit.name, "plain", to=(row, width - 2 if amounts else width))
    if amounts:
        w.put(row, width - 1, _AMOUNT_UNIT, "plain", to=(row, width))


def _checkpoint_heading(checkpoint: Checkpoint, year: int, start_month: int) -> tuple[str, str | None]:
    """The printed heading, and the date to keep in the block when the heading does not say it."""
    if checkpoint.label is None:
        return checkpoint.date.isoformat(), None
    try:
        implied: dt.date | None = checkpoint_date(checkpoint.label, year, start_month)
    except (ValueError, OverflowError):
        implied = None
    return checkpoint.label, None if implied == checkpoint.date else checkpoint.date.isoformat()


def _write_project(w: _Writer, project: ProjectTargets) -> None:
    schedule = project.schedule
    checkpoints = schedule.checkpoints if schedule is not None else ()
    width = max(_WIDTH, 1 + len(checkpoints))
    w.widths(_COLUMN_WIDTHS)
    w.put(1, 1, f"{project.name}绩效目标表", "title", to=(1, width))
    _write_unit(w, 2, project.unit, width, amounts=True)
    w.put(3, 1, "项目编码", "label")
    w.put(3, 2, project.code, "text", to=(3, width))
    w.put(4, 1, "项目名称", "label")
    w.put(4, 2, project.name, "text", to=(4, width))
    budget = project.budget
    w.put(5, 1, "预算规模及资金用途", "label", to=(6, 1))
    parts = (("预算数", budget.total), ("其中：财政资金", budget.fiscal), ("其他资金", budget.other))
    for index, (label, amount) in enumerate(parts):
        w.put(5, 2 + 2 * index, label, "label")
        w.number(5, 3 + 2 * index, amount, least=2)
    w.put(6, 2, project.purpose, "text", to=(6, width))
    w.put(7, 1, "资金支出计划（%）", "label", to=(8, 1))
    dates: list[object] = []
    for column in range(2, width + 1):
        if schedule is not None and column - 2 < len(checkpoints):
            checkpoint = checkpoints[column - 2]
            heading, stored = _checkpoint_heading(checkpoint, project.year, schedule.start_month)
            w.put(7, column, heading)
            w.number(8, column, checkpoint.percent, percent=True)
            dates.append(stored)
        else:
            w.put(7, column, None)
            w.put(8, column, None)
    row, indicator_fields = _write_goals(w, 9, project.goals, width)
    fields: _Fields = [("year", (project.year,)), ("year_assumed", (project.year_assumed,))]
    if schedule is not None:
        fields += [("schedule.start_month", (schedule.start_month,)), ("schedule.multi_year", (schedule.multi_year,))]
        if any(dates):
            fields.append(("schedule.checkpoints.date", dates))
    fields += [("suppressions", (s.code, s.reason)) for s in project.suppressions]
    w.block(row + 1, fields + indicator_fields)
    w.finish(row - 1, width)


def write_project_sheet(ws: Worksheet, project: ProjectTargets) -> None:
    """Write one project target table (项目绩效目标表) onto an empty openpyxl worksheet.

    The layout is the published one: title, unit and ``单位：万元``, 项目编码, 项目名称,
    预算规模及资金用途, 资金支出计划（%）, then for each goal a 绩效目标 row and its
    indicator table, level-1 and level-2 cells merged (with a 分值 column when any weight
    is given). A block headed ``perftarget`` below the table keeps the rest (year,
    checkpoint dates, basis categories, keys, suppressions); the print area leaves it out.

    Args:
        ws: an empty openpyxl worksheet.
        project: the table to write.

    Raises:
        WorkbookError: a text holds a character that a workbook cannot store.
        MissingDependencyError: openpyxl is not installed.

    .. versionadded:: 0.1.0
    """
    writer = _Writer(ws, _openpyxl())
    _write_project(writer, project)
    if len(writer.problems):
        raise WorkbookError(writer.problems.found)


def _write_department(w: _Writer, department: DepartmentTargets) -> None:
    width = _WIDTH
    w.widths(_COLUMN_WIDTHS)
    w.put(1, 1, _DEPARTMENT_TITLE, "title", to=(1, width))
    _write_unit(w, 2, department.unit, width, amounts=False)
    row = 3
    duties = department.duties or ("",)
    w.put(row, 1, "总体绩效目标", "label", to=(row + len(duties) - 1, 1))
    for offset, duty in enumerate(duties):
        w.put(row + offset, 2, duty, "text", to=(row + offset, width))
    row += len(duties)
    w.put(row, 1, "分项绩效目标", "label", to=(row, width))
    row, fields = _write_goals(w, row + 1, department.goals, width)
    measures = department.measures or (Measure(""),)
    w.put(row, 1, "工作保障措施", "label", to=(row + len(measures) - 1, 1))
    for offset, measure in enumerate(measures):
        w.put(row + offset, 2, measure.title, "text")
        w.put(row + offset, 3, measure.detail, "text", to=(row + offset, width))
    row += len(measures)
    w.block(row + 1, [("year", (department.year,)), ("year_assumed", (department.year_assumed,)), *fields])
    w.finish(row - 1, width)


_COLUMN_WIDTHS: Final = (16, 14, 22, 26, 14, 18, 10)


# --- workbooks -------------------------------------------------------------------------------------


def _sheet_title(index: int, name: str) -> str:
    return f"{index}.{_SHEET_TITLE_FORBIDDEN.sub('_', name)}"[:_SHEET_TITLE_MAX]


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


def _save_atomic(workbook: Workbook, path: Path) -> None:
    """Save through a temporary file beside ``path`` and a rename: all or nothing."""
    directory = path.parent if str(path.parent) else Path()
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            workbook.save(stream)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _kind_of(grid: _Grid) -> str:
    """``project``, ``department``, ``notes``, ``empty`` or ``unknown``, from a sheet's labels."""
    rows = [items for row in range(1, grid.max_row + 1) if (items := grid.items(row))]
    if not rows:
        return "empty"
    if _display(rows[0][0]) == _NOTES_TITLE:
        return "notes"
    keys = {_label_key(_display(items[0])) for items in rows if items[0].column == grid.left}
    if any(_PROJECT_LABELS.get(key) == "code" for key in keys):
        return "project"
    if keys & {_DEPARTMENT_TITLE, f"{_DEPARTMENT_TITLE}表", "总体绩效目标", "工作保障措施"}:
        return "department"
    return "unknown"


def _notes(grid: _Grid) -> str:
    texts = [_display(cell) for row in range(1, grid.max_row + 1) for cell in grid.items(row)]
    return "\n".join(texts[1:])


def _open(xl: ModuleType, file: Path) -> Workbook:
    try:
        with file.open("rb") as stream, warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            return xl.load_workbook(stream)
    except OSError as exc:
        raise WorkbookError([Problem("", f"cannot read the file: {exc.strerror or exc}")], source=str(file)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, xl.utils.exceptions.InvalidFileException) as exc:
        problem = Problem("", f"not an Excel workbook (.xlsx) that can be read: {exc}")
        raise WorkbookError([problem], source=str(file)) from exc


def read_workbook(
    path: str | os.PathLike[str], *, year: int | None = None, sheets: Iterable[str] | None = None
) -> Document:
    """Read a document from an Excel workbook (``.xlsx``).

    Each sheet is recognised by its labels: a project table has a 项目编码 row, the
    department part a 总体绩效目标 or 工作保障措施 row (or the title 部门整体绩效目标), and
    the ``说明`` sheet holds the notes; blank sheets are skipped.

    Args:
        path: the workbook.
        year: the budget year for tables that give none (neither a perftarget block nor a
            ``20xx年`` in the title); such tables are marked ``year_assumed``.
        sheets: read only the sheets with these titles.

    Raises:
        WorkbookError: listing every problem in every sheet, as ``sheet!A12: reason``.
        MissingDependencyError: openpyxl is not installed.

    .. versionadded:: 0.1.0
    """
    file = Path(path)
    workbook = _open(_openpyxl(), file)
    wanted = None if sheets is None else set(sheets)
    titles = [ws.title for ws in workbook.worksheets]
    problems = _Problems()
    for missing in sorted((wanted or set()) - set(titles)):
        problems.add(missing, f"no sheet with this title; the workbook has {', '.join(titles)}", sheet=missing)
    department: DepartmentTargets | None = None
    projects: list[ProjectTargets] = []
    notes = ""
    for ws in workbook.worksheets:
        if wanted is not None and ws.title not in wanted:
            continue
        grid = _Grid(ws)
        kind = _kind_of(grid)
        if kind == "project":
            project = _ProjectReader(grid, problems).read(year)
            projects += [project] if project is not None else []
        elif kind == "department":
            if department is not None:
                problems.add(grid.title, "a second department part (部门整体绩效目标)", sheet=grid.title)
            department = _DepartmentReader(grid, problems).read(year)
        elif kind == "notes":
            notes = _notes(grid)
        elif kind == "unknown":
            message = ("neither a project table (no 项目编码 row) nor the department part "
                       "(no 总体绩效目标 or 工作保障措施 row); pass sheets= to read only the others")
            problems.add(grid.title, message, sheet=grid.title)
    workbook.close()
    if problems:
        raise WorkbookError(problems.found, source=str(file))
    return Document(department=department, projects=tuple(projects), notes=notes)
