"""Older and open formats: ``.xls`` (Excel 97-2003) and ``.ods`` (OpenDocument) read through python-calamine.

calamine gives each sheet's values; the layouts are then read from the same :class:`_Grid` as an
``.xlsx`` (so a sheet's kind, labels and every problem are found the same way). Two things calamine
does not give are read here from the file itself, in the same pass that bounds it before calamine
opens it: an ``.ods`` sheet's merged ranges (calamine reports them for ``.xls`` only) and which of its
numbers are percentages (its ``office:value-type``).

calamine holds a sheet as a rectangle from its first value to its last, so besides the cells written
(``limits.sheet_cells``) the rectangle is bounded too, before calamine reads anything: a 5 kB ``.xls``
with one value at ``IV65536`` would otherwise take gigabytes. The ``.xls`` is measured by walking its
compound file and the BIFF records of each sheet, the ``.ods`` by streaming its ``content.xml``.

Not available through calamine: number formats (a percent-formatted number in an ``.xls`` reads as
the fraction, ``0.95``; an ``.ods`` percentage reads as a percent), and formulas (their last computed
value is read, as Excel shows it).
"""

from __future__ import annotations

import importlib
import struct
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from perftarget._limits import Limits
from perftarget.excel._grid import _Grid, _Range, _Stored
from perftarget.exceptions import LimitExceededError, MissingDependencyError, Problem, WorkbookError

if TYPE_CHECKING:
    from types import ModuleType

CALAMINE_SUFFIXES: Final = frozenset({".xls", ".ods"})
"""The workbook suffixes read through python-calamine (the ``xls`` extra)."""


def _calamine() -> ModuleType:
    """python-calamine, imported on first use (the ``xls`` extra)."""
    try:
        return importlib.import_module("python_calamine")
    except ImportError as exc:
        raise MissingDependencyError("python-calamine", "xls", "reading .xls and .ods workbooks") from exc


@attrs.frozen
class _Extent:
    """What one sheet holds, measured before calamine reads it."""

    name: str
    cells: int = 0  # cells holding a value
    rows: tuple[int, int] = (0, -1)  # first and last row holding a value (0-based)
    columns: tuple[int, int] = (0, -1)
    merged: tuple[_Range, ...] = ()  # 1-based, as the grid takes them
    formats: Mapping[tuple[int, int], str] = attrs.field(factory=dict)  # number formats by 1-based position

    @property
    def area(self) -> int:
        return max(self.rows[1] - self.rows[0] + 1, 0) * max(self.columns[1] - self.columns[0] + 1, 0)

    def check(self, limits: Limits) -> None:
        place = self.name
        limits.check("sheet_cells", self.cells, place)
        limits.check("sheet_cells", self.area, f"{place} (its rectangle from the first value to the last)")
        merged = sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in self.merged)
        limits.check("sheet_cells", merged, f"{place} (merged ranges)")


class _Bounds:
    """A sheet being measured: value cells, their rectangle."""

    def __init__(self) -> None:
        self.cells = 0
        self.rows = [1 << 62, -1]
        self.columns = [1 << 62, -1]

    def add(self, row: int, column: int, count: int = 1, *, rows: int = 1, columns: int = 1) -> None:
        self.cells += count
        self.rows[0] = min(self.rows[0], row)
        self.rows[1] = max(self.rows[1], row + rows - 1)
        self.columns[0] = min(self.columns[0], column)
        self.columns[1] = max(self.columns[1], column + columns - 1)

    def extent(self, name: str, merged: list[_Range], formats: dict[tuple[int, int], str]) -> _Extent:
        if self.rows[1] < 0:
            return _Extent(name, merged=tuple(merged))
        rows, columns = (self.rows[0], self.rows[1]), (self.columns[0], self.columns[1])
        return _Extent(name, self.cells, rows, columns, tuple(merged), formats)


# --- .xls: the compound file, then the BIFF records ----------------------------------------

_CFB_SIGNATURE: Final = bytes.fromhex("d0cf11e0a1b11ae1")
_END_OF_CHAIN: Final = 0xFFFFFFFE
_DIRECTORY_ENTRY: Final = 128
_HEADER_DIFAT: Final = 109

# BIFF8 records: a cell (row, column at offsets 0 and 2), a run of cells, merged ranges, sheet bounds.
_CELLS: Final = frozenset({0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, 0x0201})
_RUNS: Final = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column, ..., last column
_MERGED: Final = 0x00E5
_NUMBERS: Final = frozenset({0x0203, 0x027E, 0x0006})  # NUMBER, RK, FORMULA
_MULRK: Final = 0x00BD
_XF: Final = 0x00E0
_FORMAT: Final = 0x041E
# The built-in number formats that show a number differently from General (the ECMA-376 table, 18.8.30).
_BUILTIN_FORMATS: Final = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00"}
_BOF: Final = 0x0809
_EOF: Final = 0x000A
_WORKSHEET: Final = 0x0010
_BOUNDSHEET: Final = 0x0085


class _XlsError(Exception):
    """The file is not a readable .xls (the message says why)."""


class _Compound:
    """Just enough of a compound file (OLE2) to find one stream's bytes."""

    def __init__(self, data: bytes) -> None:
        if data[:8] != _CFB_SIGNATURE or len(data) < 512:  # noqa: PLR2004 - the header's size
            msg = "not an Excel 97-2003 workbook (no compound file header)"
            raise _XlsError(msg)
        self.data = data
        self.size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        self.mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
        fat_count, self.directory_start = struct.unpack_from("<II", data, 0x2C)
        self.cutoff, self.minifat_start, _, difat_start, difat_count = struct.unpack_from("<IIIII", data, 0x38)
        self.sectors = max((len(data) - 512) // self.size, 0)
        difat = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", data, 0x4C))
        per_sector = self.size // 4 - 1
        sector, seen = difat_start, 0
        while seen < difat_count and sector < self.sectors:  # DIFAT sectors: entries, then the next one
            block = self.sector(sector)
            difat += struct.unpack_from(f"<{per_sector}I", block)
            sector, seen = struct.unpack_from("<I", block, per_sector * 4)[0], seen + 1
        self.fat: list[int] = []
        for number in difat[: min(fat_count, self.sectors)]:
            self.fat += struct.unpack_from(f"<{self.size // 4}I", self.sector(number))

    def sector(self, number: int) -> bytes:
        if number >= self.sectors:
            msg = f"damaged compound file (sector {number} is past its end)"
            raise _XlsError(msg)
        start = (number + 1) * self.size
        return self.data[start : start + self.size]

    def _walk(self, start: int) -> Iterator[int]:
        """The sectors of a chain, guarded against loops and references past the end."""
        sector, seen = start, 0
        while sector != _END_OF_CHAIN:
            if seen > self.sectors or sector >= len(self.fat):
                msg = "damaged compound file (a chain of sectors loops or leaves the file)"
                raise _XlsError(msg)
            yield sector
            sector, seen = self.fat[sector], seen + 1

    def chain(self, start: int, size: int | None = None) -> bytes:
        data = b"".join(self.sector(sector) for sector in self._walk(start))
        return data if size is None else data[:size]

    def stream(self, names: tuple[str, ...]) -> bytes:
        """The first stream with one of these names (the workbook: ``Workbook``, or ``Book`` in BIFF5)."""
        directory = self.chain(self.directory_start)
        entries: dict[str, tuple[int, int]] = {}
        root = (0, 0)
        for offset in range(0, len(directory) - _DIRECTORY_ENTRY + 1, _DIRECTORY_ENTRY):
            length, kind = struct.unpack_from("<HB", directory, offset + 0x40)
            name = directory[offset : offset + max(length - 2, 0)].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", directory, offset + 0x74)
            if kind == 5:  # noqa: PLR2004 - the root entry, which holds the mini stream
                root = (start, size)
            elif kind == 2:  # noqa: PLR2004 - a stream
                entries.setdefault(name, (start, size))
        found = next((entries[name] for name in names if name in entries), None)
        if found is None:
            msg = "not an Excel 97-2003 workbook (no Workbook stream)"
            raise _XlsError(msg)
        start, size = found
        if size >= self.cutoff:
            return self.chain(start, size)
        mini = self.chain(*root)
        minifat_data = self.chain(self.minifat_start) if self.minifat_start != _END_OF_CHAIN else b""
        minifat = struct.unpack_from(f"<{len(minifat_data) // 4}I", minifat_data)
        parts = []
        sector = start
        for _ in range(len(minifat) + 1):
            if sector >= len(minifat) and sector != _END_OF_CHAIN:
                msg = "damaged compound file (a mini sector past the end)"
                raise _XlsError(msg)
            if sector == _END_OF_CHAIN:
                break
            parts.append(mini[sector * self.mini_size : (sector + 1) * self.mini_size])
            sector = minifat[sector]
        return b"".join(parts)[:size]


class _Biff:
    """The records of a workbook stream, read one by one: sheet names and styles, then each sheet's cells."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.styles: list[int] = []  # XF index -> number format number
        self.custom: dict[int, str] = {}  # number format number -> FORMAT record's text
        self.extents: list[_Extent] = []
        self.sheet: _Bounds | None = None
        self.merged: list[_Range] = []
        self.formats: dict[tuple[int, int], str] = {}
        self.depth = 0

    def number_format(self, style: int) -> str:
        number = self.styles[style] if style < len(self.styles) else 0
        shown = self.custom.get(number) or _BUILTIN_FORMATS.get(number, "")
        return "" if shown == "General" else shown

    def record(self, kind: int, body: bytes) -> None:
        if kind == _BOF:
            self.depth += 1
            if len(body) >= 4 and struct.unpack_from("<H", body, 2)[0] == _WORKSHEET:  # noqa: PLR2004
                self.sheet, self.merged, self.formats = _Bounds(), [], {}
        elif kind == _EOF:
            self.depth = max(self.depth - 1, 0)
            if self.sheet is not None and self.depth == 0:
                index = len(self.extents)
                name = self.names[index] if index < len(self.names) else f"sheet {index + 1}"
                self.extents.append(self.sheet.extent(name, self.merged, self.formats))
                self.sheet = None
        elif self.sheet is None:
            self.workbook_record(kind, body)
        elif len(body) >= 6:  # noqa: PLR2004 - a row, a column, a style
            self.sheet_record(self.sheet, kind, body)

    def workbook_record(self, kind: int, body: bytes) -> None:
        if kind == _BOUNDSHEET:
            self.names.append(_sheet_name(body, 6))
        elif kind == _XF and len(body) >= 4:  # noqa: PLR2004
            self.styles.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == _FORMAT and len(body) >= 5:  # noqa: PLR2004
            self.custom[struct.unpack_from("<H", body)[0]] = _unicode(body, 2)

    def sheet_record(self, sheet: _Bounds, kind: int, body: bytes) -> None:
        row, column, style = struct.unpack_from("<HHH", body)
        if kind in _CELLS:
            sheet.add(row, column)
            if kind in _NUMBERS and (shown := self.number_format(style)):
                self.formats[(row + 1, column + 1)] = shown
        elif kind in _RUNS:
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            count = max(last - column + 1, 1)
            sheet.add(row, column, count, columns=count)
            for index in range(min(count, (len(body) - 6) // 6) if kind == _MULRK else 0):
                if shown := self.number_format(struct.unpack_from("<H", body, 4 + 6 * index)[0]):
                    self.formats[(row + 1, column + 1 + index)] = shown
        elif kind == _MERGED:
            count = struct.unpack_from("<H", body)[0]
            for index in range(min(count, (len(body) - 2) // 8)):
                first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body, 2 + 8 * index)
                self.merged.append((first_row + 1, first_col + 1, last_row + 1, last_col + 1))


def _xls_extents(data: bytes) -> list[_Extent]:
    """Each worksheet's cells, rectangle, merged ranges and number formats, from its BIFF records.

    No value is decoded here (calamine does that); a number cell's format comes from its XF record,
    which names a built-in format or a FORMAT record.
    """
    stream = _Compound(data).stream(("Workbook", "Book"))
    biff = _Biff()
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        biff.record(kind, stream[position + 4 : position + 4 + length])
        position += 4 + length
    return biff.extents


def _unicode(body: bytes, at: int) -> str:
    """A BIFF8 XLUnicodeString at ``at``: a 16-bit length, a flag for 16-bit characters, the characters."""
    length, flags = struct.unpack_from("<HB", body, at)
    text = body[at + 3 : at + 3 + length * (2 if flags & 1 else 1)]
    return text.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def _sheet_name(body: bytes, at: int) -> str:
    """A BIFF8 ShortXLUnicodeString at ``at`` (a sheet's name): an 8-bit length, a flag, the characters."""
    if len(body) < at + 2:
        return ""
    length, wide = body[at], body[at + 1] & 1
    text = body[at + 2 : at + 2 + length * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


# --- .ods: content.xml streamed ------------------------------------------------------------

_TABLE: Final = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE: Final = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T: Final = f"{{{_TABLE}}}"
_VALUE_TYPE: Final = f"{{{_OFFICE}}}value-type"


def _count(element: object, name: str) -> int:
    value = element.get(f"{_T}{name}", "1")  # type: ignore[attr-defined]
    try:
        return max(int(value), 1)
    except ValueError:
        return 1


class _Ods:
    """The tables of a content.xml, measured element by element: positions advance by each repeat."""

    def __init__(self) -> None:
        self.extents: list[_Extent] = []
        self.name = ""
        self.sheet = _Bounds()
        self.merged: list[_Range] = []
        self.formats: dict[tuple[int, int], str] = {}
        self.row = self.column = self.repeat = 0

    def start(self, element: Any) -> None:  # noqa: ANN401 - an ElementTree element
        if element.tag == f"{_T}table":
            self.name, self.row = element.get(f"{_T}name", ""), 0
            self.sheet, self.merged, self.formats = _Bounds(), [], {}
        elif element.tag == f"{_T}table-row":
            self.column, self.repeat = 0, _count(element, "number-rows-repeated")

    def end(self, element: Any) -> None:  # noqa: ANN401 - an ElementTree element
        tag = element.tag
        if tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            self.cell(element, covered=tag != f"{_T}table-cell")
        elif tag == f"{_T}table-row":
            self.row += self.repeat
        elif tag == f"{_T}table":
            self.extents.append(self.sheet.extent(self.name, self.merged, self.formats))
        else:
            return
        element.clear()

    def cell(self, element: Any, *, covered: bool) -> None:  # noqa: ANN401 - an ElementTree element
        row, column = self.row, self.column
        columns = _count(element, "number-columns-repeated")
        value_type = element.get(_VALUE_TYPE)
        if value_type is not None or len(element):
            self.sheet.add(row, column, self.repeat * columns, rows=self.repeat, columns=columns)
            if value_type == "percentage":
                self.formats.update(((row + 1, column + 1 + index), "0%") for index in range(columns))
        spans = (_count(element, "number-rows-spanned"), _count(element, "number-columns-spanned"))
        if spans != (1, 1) and not covered:
            for index in range(columns):
                first = column + index * spans[1]
                self.merged.append((row + 1, first + 1, row + spans[0], first + spans[1]))
        self.column += columns


def _ods_extents(archive: zipfile.ZipFile) -> list[_Extent]:
    """Each table's value cells (repeats multiplied out), rectangle, merged ranges and percentages."""
    try:
        defused = importlib.import_module("defusedxml.ElementTree")
    except ImportError as exc:
        raise MissingDependencyError("defusedxml", "xls", "reading .ods workbooks safely") from exc
    ods = _Ods()
    with archive.open("content.xml") as stream:
        for event, element in defused.iterparse(stream, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                ods.start(element)
            else:
                ods.end(element)
    return ods.extents


# --- reading -------------------------------------------------------------------------------


def _measure(file: Path, limits: Limits) -> list[_Extent]:
    """The file's sheets measured and checked against the limits, before calamine opens it."""
    limits.check("workbook_bytes", file.stat().st_size, str(file))
    if file.suffix.lower() == ".ods":
        with zipfile.ZipFile(file) as archive:
            limits.check("unpacked_bytes", sum(part.file_size for part in archive.infolist()), str(file))
            extents = _ods_extents(archive)
    else:
        extents = _xls_extents(file.read_bytes())
    for extent in extents:
        extent.check(limits)
    return extents


def _grid(sheet: object, extent: _Extent | None, title: str, limits: Limits) -> _Grid:
    """One sheet's values as a grid: positions from 1, merged ranges from calamine or the measuring pass."""
    start = sheet.start or (0, 0)  # type: ignore[attr-defined]
    first_row, first_column = start[0] + 1, start[1] + 1
    formats = extent.formats if extent is not None else {}
    values: dict[tuple[int, int], _Stored] = {}
    for row, cells in enumerate(sheet.to_python(), start=first_row):  # type: ignore[attr-defined]
        for column, value in enumerate(cells, start=first_column):
            if value is None or value == "":
                continue
            values[(row, column)] = (value, formats.get((row, column), ""), False)
    reported = sheet.merged_cell_ranges  # type: ignore[attr-defined]
    if reported is not None:
        ranges = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in reported]
    else:
        ranges = list(extent.merged) if extent is not None else []
    return _Grid.of(title, values, ranges, limits)


def read_calamine(file: Path, limits: Limits, wanted: set[str] | None = None) -> tuple[list[str], list[_Grid]]:
    """The titles of an ``.xls`` or ``.ods`` workbook's sheets, and the wanted ones (all: ``None``) as grids.

    Raises:
        WorkbookError: the file cannot be read, or a sheet is above the limits (naming the file and sheet).
        MissingDependencyError: python-calamine is not installed.
    """
    calamine = _calamine()
    kind = "an OpenDocument spreadsheet (.ods)" if file.suffix.lower() == ".ods" else "an Excel 97-2003 workbook (.xls)"
    try:
        extents = {extent.name: extent for extent in _measure(file, limits)}
        with calamine.CalamineWorkbook.from_path(file) as workbook:
            titles = [sheet.name for sheet in workbook.sheets_metadata if sheet.typ == calamine.SheetTypeEnum.WorkSheet]
            grids = [
                _grid(workbook.get_sheet_by_name(title), extents.get(title), title, limits)
                for title in titles
                if wanted is None or title in wanted
            ]
    except LimitExceededError as exc:
        problem = Problem(exc.where or "", str(exc).removeprefix(f"{exc.where}: "))
        raise WorkbookError([problem], source=str(file)) from exc
    except OSError as exc:
        raise WorkbookError([Problem("", f"cannot read the file: {exc.strerror or exc}")], source=str(file)) from exc
    except (MissingDependencyError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        # BaseException: a damaged .xls made one), a damaged compound file or zip, XML errors
        problem = Problem("", f"not {kind} that can be read: {exc or type(exc).__name__}")
        raise WorkbookError([problem], source=str(file)) from exc
    return titles, grids
