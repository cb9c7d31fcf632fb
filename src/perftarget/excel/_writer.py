"""Writing cells with the tables' styles, merged level cells, and saving a workbook atomically.

:class:`_Writer` puts values on one worksheet (text stays text, numbers get a display
format, a merged range in one call) and collects what a workbook cannot store.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

from perftarget._files import atomic_writer
from perftarget._values.numbers import format_number
from perftarget._values.text import lone_surrogate
from perftarget.excel._grid import _column_letter, _places, _Problems

if TYPE_CHECKING:
    from types import ModuleType

    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_MARKER: Final = (
    "perftarget 数据：公开表不含此部分，读回时需要，请勿改动（perftarget data, not part of the published table）"
)

_SHEET_TITLE_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\']")
_SHEET_TITLE_MAX: Final = 31

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
        problem = lone_surrogate(value) if isinstance(value, str) else None
        try:
            if problem is None:
                cell.value = value if value != "" else None
        except self._illegal:
            problem = "holds a control character that a workbook cannot store"
        if problem is not None:
            where = f"{self.ws.title}!{_column_letter(column)}{row}"
            self.problems.add(where, f"{value!r:.60} {problem}", sheet=self.ws.title, position=(row, column))
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

    def shown(
        self, row: int, column: int, value: Decimal | None, places: int, *, percent: bool = False, unit: str = "",
        style: str = "cell",
    ) -> None:
        """A number with ``places`` decimals shown (a percent format, or ``unit`` after it); ``None`` is blank.

        The cell holds a float (16 significant digits, what a saved file keeps), so that the
        sheet computes like any other; a number no float can hold (too large) is written as
        exact text instead. The exact value, when the float is not, is the caller's to keep
        (in the perftarget block).
        """
        if value is None:
            self.put(row, column, None, style)
            return
        stored = _stored_float(value, percent=percent)
        if not math.isfinite(stored):
            self.put(row, column, format_number(value) + ("%" if percent else unit), style)
            return
        self.put(row, column, stored, style, number_format=_number_format(places, percent=percent, unit=unit))

    def levels(
        self, row: int, column: int, texts: Sequence[tuple[str, str]], own: Sequence[bool] = ()
    ) -> None:
        """Level-1 and level-2 cells from ``row`` in ``column`` and the next, merged over runs of the same level.

        A level-2 run ends where its level-1 run does; a blank level is a blank cell of its own;
        a row flagged in ``own`` has level cells of its own (never merged with its neighbours).
        """
        alone = [index if index < len(own) and own[index] else -1 for index in range(len(texts))]
        for offset, keys in (
            (0, [(level1, single) for (level1, _), single in zip(texts, alone, strict=True)]),
            (1, [(*pair, single) for pair, single in zip(texts, alone, strict=True)]),
        ):
            for first, last in _runs(keys):
                text = texts[first][offset]
                if text:
                    self.put(row + first, column + offset, text, to=(row + last, column + offset))
                else:  # blank: no level, each cell on its own
                    for index in range(first, last + 1):
                        self.put(row + index, column + offset, None)

    def merge(self, row: int, column: int, to: tuple[int, int]) -> None:
        """Merge the cells from (``row``, ``column``) to ``to``, keeping the first cell as it is."""
        self.ws.merge_cells(start_row=row, start_column=column, end_row=to[0], end_column=to[1])

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


def _stored_float(value: Decimal, *, percent: bool = False) -> float:
    """The float a number cell holds for ``value`` (a percent as its fraction), as it reads back from the file.

    openpyxl saves 16 significant digits; a float made from 16 digits reads back as itself.
    """
    return float(format(value / 100 if percent else value, ".16g"))


_UNIT_IN_FORMAT: Final = re.compile(r'^[^"\\]*$')  # a unit that can sit between quotes in a number format


def _number_format(places: int, *, percent: bool = False, unit: str = "") -> str:
    """``0.00``, ``0.00%`` or ``0.00"次"``: ``places`` decimals, then the percent sign or the unit."""
    decimals = "." + "0" * places if places else ""
    if percent:
        return f"0{decimals}%"
    suffix = f'"{unit}"' if unit and _UNIT_IN_FORMAT.match(unit) else ""
    return f"0{decimals}{suffix}"


def _sheet_title(index: int, name: str) -> str:
    return f"{index}.{_SHEET_TITLE_FORBIDDEN.sub('_', name)}"[:_SHEET_TITLE_MAX]


def _save_atomic(workbook: Workbook, path: Path) -> None:
    """Save through a temporary file beside ``path`` and a rename: all or nothing."""
    with atomic_writer(path) as stream:
        workbook.save(stream)
