"""Cells as read: a worksheet as a grid of values, labels compared loosely, problems collected with their cell.

Everything every layout (target table, self-evaluation, monitoring) shares when reading:
:class:`_Grid` (merged ranges filled in), :func:`_display` (a cell as text, as shown),
:func:`_numeric` (a number cell as shown, percent formats scaled), :class:`_Problems`
(each problem at ``sheet!A12``) and :class:`_Reader` (typed values from cells, each
failure noted at its cell). openpyxl is imported on first use by :func:`_openpyxl`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Final

import attrs

from perftarget._limits import DEFAULT_LIMITS, Limits
from perftarget._values.numbers import format_number
from perftarget._values.text import opencc_installed, simplified, traditional_seen
from perftarget._values.threshold import parse_quantity
from perftarget._values.units import convert
from perftarget.exceptions import MissingDependencyError, Problem, ThresholdSyntaxError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from types import ModuleType

    from openpyxl.worksheet.worksheet import Worksheet

_Where = tuple[int, int] | None  # a (row, column) position, or None for the sheet as a whole


def _openpyxl() -> ModuleType:
    """openpyxl, imported on first use (the ``excel`` extra)."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError as exc:
        raise MissingDependencyError("openpyxl", "excel", "reading and writing Excel workbooks") from exc


_LABEL_FOLD: Final = str.maketrans({"（": "(", "）": ")", "：": ":", "％": "%", "．": ".", "，": ","})
_LABEL_NUMBERING: Final = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十0-9]+\)|[0-9]+[、.])")
_LABEL_SUFFIX: Final = re.compile(r"(?:\([^()]*\)|(?<=[^0-9.])[0-9]+(?:\.[0-9]+)?分)$")
"""A trailing note in brackets (``（定量/定性）``) or points (``预算执行 10分``), left out of a label."""

_NOT_APPLICABLE: Final = frozenset({"无", "/", "／", "-", "—", "--", "——", "不适用"})
_FILLER_CHARS: Final = frozenset("….。·．")
_INDICATOR_NUMBERING: Final = re.compile(r"^指标\s*[0-9０-９]+\s*[:：]\s*")

_YEAR_IN_TITLE: Final = re.compile(r"((?:19|20)\d\d)\s*年")

_TRUE: Final = frozenset({"true", "是", "1", "yes"})
_FALSE: Final = frozenset({"false", "否", "0", "no"})


_STARS: Final = re.compile(r"[*＊※]")


def _label_key(text: str) -> str:
    """A label as compared: no spaces or stars (``*指标值``), half-width punctuation, no numbering, colon, (note).

    In simplified characters when opencc is installed (績效目標 compares as 绩效目标). Labels
    repeat on every sheet, so a short text's key is cached; a long one (a goal, a note) is not.
    """
    return _cached_key(text) if len(text) <= _CACHED_LENGTH else _key(text)


def _key(text: str) -> str:
    key = simplified(_STARS.sub("", "".join(text.split())).translate(_LABEL_FOLD))
    key = _LABEL_NUMBERING.sub("", key, count=1).rstrip(":")
    return _LABEL_SUFFIX.sub("", key) or key


_CACHED_LENGTH: Final = 64
_cached_key: Final = lru_cache(maxsize=16384)(_key)


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


_Stored = tuple[object, str, bool]  # a cell's value, its number format, whether it is a formula
_Range = tuple[int, int, int, int]  # a merged range: first row, first column, last row, last column


def _check_cells(title: str, cells: int, ranges: list[_Range], limits: Limits) -> None:
    """Bound a sheet's stored cells and the area of its merged ranges before a grid is built."""
    merged_area = sum((last_row - row + 1) * (last_col - col + 1) for row, col, last_row, last_col in ranges)
    limits.check("sheet_cells", max(cells, merged_area), f"sheet {title!r}")


class _Grid:
    """A read-only view of a worksheet: values by position, merged ranges filled in.

    Only the cells that hold a value are visited (a stray far cell such as ``XFD1048576`` costs
    one cell, not the rectangle up to it); the cells and the merged area are bounded by
    ``limits.sheet_cells`` before anything is built.
    """

    def __init__(self, ws: Worksheet, limits: Limits = DEFAULT_LIMITS) -> None:
        ranges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        stored = ws._cells  # noqa: SLF001 - the sparse store; iter_rows() would build every blank cell
        title = str(ws.title)
        _check_cells(title, len(stored), ranges, limits)
        values: dict[tuple[int, int], _Stored] = {}
        for cell in stored.values():
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            values[(cell.row, cell.column)] = (value, str(cell.number_format or ""), cell.data_type == "f")
        self._build(title, values, ranges, limits)

    @classmethod
    def of(cls, title: str, values: dict[tuple[int, int], _Stored], ranges: list[_Range], limits: Limits) -> _Grid:
        """A grid of cells read by another reader (calamine): ``(row, column)`` to (value, number format, formula).

        Rows and columns count from 1; ``ranges`` are the merged ranges as (first row, first column, last
        row, last column). The same bound as a worksheet's applies (blank values are dropped).
        """
        _check_cells(title, len(values), ranges, limits)
        grid = cls.__new__(cls)
        kept = {at: cell for at, cell in values.items() if not (isinstance(cell[0], str) and not cell[0].strip())}
        grid._build(title, kept, ranges, limits)  # noqa: SLF001 - its own class
        return grid

    def _build(self, title: str, values: dict[tuple[int, int], _Stored], ranges: list[_Range], limits: Limits) -> None:
        self.title = title
        self.limits = limits
        self._values = values
        self._ranges = ranges
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        self._last_column: dict[tuple[int, int], int] = {}
        for min_row, min_col, max_row, max_col in ranges:
            origin = (min_row, min_col)
            self._last_column[origin] = max_col
            for row in range(min_row, max_row + 1):
                for column in range(min_col, max_col + 1):
                    self._origin[(row, column)] = origin
        self._columns: dict[int, list[int]] = {}
        for row, column in sorted(self._values.keys() | self._origin.keys()):
            self._columns.setdefault(row, []).append(column)
        self.max_row = max(self._columns, default=0)
        self.max_column = max((columns[-1] for columns in self._columns.values()), default=0)
        self.left = min((column for _, column in self._values), default=1)
        self.traditional = next(  # a text in traditional characters, for the reader's notice
            (value for value, _, _ in values.values() if isinstance(value, str) and traditional_seen(value)), ""
        )

    def rows(self, start: int = 1) -> list[int]:
        """The rows from ``start`` on that hold anything (a value, or part of a merged range), in order."""
        return [row for row in sorted(self._columns) if row >= start]

    def row_end(self, row: int) -> int:
        """The last column of a row that holds anything (0 for a blank row)."""
        columns = self._columns.get(row)
        return columns[-1] if columns else 0

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
        cells = (self.at(row, column) for column in self._columns.get(row, ()))
        return [cell for cell in cells if cell is not None and cell.leading]

    def after(self, cell: _Cell) -> _Cell | None:
        """The cell right of ``cell`` (of its merged range), blank or not."""
        origin = self._origin.get((cell.row, cell.column), (cell.row, cell.column))
        return self.at(cell.row, self._last_column.get(origin, origin[1]) + 1)

    def view(self, rows: Iterable[int], borrowed: Mapping[tuple[int, int], tuple[int, int]] | None = None) -> _Grid:
        """The same sheet with only these rows, each where it is (a problem still names the sheet's own cell).

        A merged range is cut to each run of kept rows it covers; a run below the range's first row
        shows the range's value from its own first row (a 单位名称 merged down two projects is each
        one's). ``borrowed`` shows at a position the value of another (a 单位名称 printed once above).
        """
        keep = sorted(set(rows))
        values = {
            (row, column): self._values[(row, column)]
            for row in keep
            for column in self._columns.get(row, ())
            if (row, column) in self._values
        }
        ranges: list[_Range] = []
        for min_row, min_col, max_row, max_col in self._ranges:
            inside = keep[bisect.bisect_left(keep, min_row) : bisect.bisect_right(keep, max_row)]
            starts = [row for index, row in enumerate(inside) if index == 0 or inside[index - 1] != row - 1]
            ends = [row for index, row in enumerate(inside) if index == len(inside) - 1 or inside[index + 1] != row + 1]
            for start, end in zip(starts, ends, strict=True):
                ranges.append((start, min_col, end, max_col))
                if start != min_row and (min_row, min_col) in self._values:
                    values[(start, min_col)] = self._values[(min_row, min_col)]
        for at, source in (borrowed or {}).items():
            stored = self._values.get(self._origin.get(source, source))
            if stored is not None:
                values[at] = stored
        return _Grid.of(self.title, values, ranges, self.limits)

    def last_column(self, cell: _Cell) -> int:
        """The last column of a cell's merged range (its own column when not merged)."""
        origin = self._origin.get((cell.row, cell.column), (cell.row, cell.column))
        return self._last_column.get(origin, origin[1])

    def ref(self, row: int, column: int) -> str:
        return f"{self.title}!{_column_letter(column)}{row}"

    def where(self, cell: _Cell) -> str:
        return self.ref(cell.row, cell.column)


def _traditional_notice(grids: list[_Grid]) -> str:
    """What to say about sheets in traditional characters (``""``: none), with or without opencc."""
    seen = [grid for grid in grids if grid.traditional]
    if not seen:
        return ""
    example = seen[0].traditional
    example = example if len(example) <= _EXAMPLE else f"{example[: _EXAMPLE - 1]}…"
    sheets = ", ".join(grid.title for grid in seen)
    found = f"text in traditional characters (sheet {sheets}: {example!r})"
    if opencc_installed():
        how = "recognised in simplified characters (opencc t2s); the texts are kept as printed"
    else:
        how = 'recognised only with opencc: pip install "perftarget[traditional]"'
    return f"{found}: labels, headings and level names {how}"


_EXAMPLE: Final = 24


class _Problems:
    """Problems found so far, each at a place such as ``sheet!A12``; listed sheet by sheet, top to bottom."""

    def __init__(self) -> None:
        self._found: list[tuple[int, int, int, Problem]] = []
        self._sheets: dict[str, int] = {}
        self._seen: set[tuple[str, str]] = set()

    def add(self, where: str, message: str, *, sheet: str = "", position: tuple[int, int] = (0, 0)) -> None:
        """Note a problem; the same message at the same place once (rows read for each project of a sheet)."""
        if (where, message) in self._seen:
            return
        self._seen.add((where, message))
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

