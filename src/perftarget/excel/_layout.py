"""Rows grouped under their labels, and level-1/level-2 cells resolved: what every layout reads the same way.

A published table is a column of labels (项目名称, 预算规模及资金用途, 绩效目标...) with
values to their right, and indicator tables whose level cells are merged, repeated or
left blank. :func:`_segments` groups a sheet's rows under its labels;
:func:`_resolve_levels` turns the level cells of an indicator table into each row's levels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import attrs

from perftarget._values.levels import Level1, Level2, to_level1, to_level2
from perftarget.excel._grid import _Cell, _display, _Grid, _label_key, _Reader

T = TypeVar("T")

# --- rows grouped under their labels -------------------------------------------------------


@attrs.define
class _Segment:
    """A label row and the rows that follow it up to the next label."""

    kind: str
    label: _Cell | None
    rows: list[int] = attrs.Factory(list)


_HeaderTest = Callable[[Sequence[_Cell]], object]


def _segments(grid: _Grid, labels: dict[str, str], header: _HeaderTest) -> tuple[list[_Segment], int]:
    """Rows grouped under their labels (kind ``preamble`` first), and the first row of the perftarget block.

    A row for which ``header`` gives anything but ``None`` is an indicator table's
    header (kind ``header``), wherever it starts.
    """
    segments = [_Segment("preamble", None)]
    for row in grid.rows():
        items = grid.items(row)
        if not items or all(cell.continued for cell in items):
            continue  # blank, or nothing but the rest of merged cells from above
        first = items[0]
        if header(items) is not None:
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


# --- level-1 and level-2 cells ----------------------------------------------------------------


def _level(text: str, parse: Callable[[str], T]) -> T:
    """A level label; one that is known once its line breaks and spaces are removed counts as known."""
    value = parse(text)
    if isinstance(value, str):
        squeezed = parse("".join(text.split()))
        if not isinstance(squeezed, str):
            return squeezed
    return value


_Levels = tuple[Level1 | str | None, Level2 | str | None]


def _resolve_levels(texts: Sequence[tuple[str, str]], *, level2_first: bool = False) -> list[_Levels]:
    """Each row's levels from the level cells' texts (merged cells already filled in).

    A blank level-1 repeats the one above; a blank level-2 repeats the one above when
    the level-1 is blank or the same as above (merged or repeated), and is none otherwise.
    With ``level2_first`` (a table whose first level column holds the level-2, as 湖北's
    数量指标/质量指标, and that has no level-2 column), a first text that is a level-2 label
    is the level-2, and the level-1 is none.
    """
    if level2_first:
        texts = [
            ("", text1) if not text2 and not isinstance(_level(text1, to_level2), str) else (text1, text2)
            for text1, text2 in texts
        ]
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


def _level_text(level: Level1 | Level2 | str | None) -> str:
    return "" if level is None else str(level)
