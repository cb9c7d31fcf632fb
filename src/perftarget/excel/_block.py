"""The perftarget block of a result sheet: the fields the published table cannot show, by path.

A self-evaluation or a monitoring report has more in it than its published table shows
(the rule and formula behind each score, the plan and time progress, findings...), and
a number shown with two decimals is not the exact one. Below such a table, a block
headed ``perftarget`` lists exactly the fields that the table alone would read back
differently, one per row: the field's path (``items[1].score``, ``next_checkpoint.date``)
in column A, then, for a field of one of the table's rows, that row's name (so that a
row moved in Excel is noticed rather than misread), then the value.

Reading derives every field it can from the table (:class:`_Derived`), applies the
block on top, and builds the result with the one converter (``from_dict``), which
checks it. The table wins over the block where the two disagree about a number shown
in the table: a value edited in Excel is read as edited.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Final, TypeVar

import attrs

from perftarget._codec.convert import from_dict
from perftarget._values.numbers import format_number, to_decimal
from perftarget.excel._grid import _Cell, _display, _Reader
from perftarget.excel._writer import _MARKER, _stored_float, _Writer
from perftarget.exceptions import DocumentError, InvalidValueError, LimitExceededError

T = TypeVar("T")


@attrs.frozen
class _Count:
    """The length of a list, as a leaf: ``items`` has 9 entries."""

    length: int


_Leaf = object  # None, str, int, bool, Decimal, date or _Count
_ABSENT: Final = object()
_EMPTY_TEXT: Final = '""'  # an empty text where blank would mean "none"
_TOKEN: Final = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)|\[(\d+)\]|(\.)")


# --- objects as leaves, and back ------------------------------------------------------------------


def _leaves(obj: object, prefix: str = "") -> dict[str, _Leaf]:
    """Every scalar of ``obj`` by its path (``items[1].score``); each list also by its length."""
    out: dict[str, _Leaf] = {}
    _walk(obj, prefix, out)
    return out


def _walk(obj: object, path: str, out: dict[str, _Leaf]) -> None:
    cls = type(obj)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            _walk(getattr(obj, field.name), f"{path}.{field.name}" if path else field.name, out)
    elif isinstance(obj, tuple):
        out[path] = _Count(len(obj))
        for index, item in enumerate(obj):
            _walk(item, f"{path}[{index}]", out)
    elif isinstance(obj, enum.Enum):
        out[path] = obj.value
    elif obj is None or isinstance(obj, (str, int, Decimal, dt.date)):
        out[path] = obj
    else:  # pragma: no cover - the result types hold nothing else
        msg = f"{path}: cannot keep a {type(obj).__name__} in a workbook"
        raise TypeError(msg)


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


@functools.lru_cache(maxsize=8192)
def _tokens(path: str) -> tuple[str | int, ...] | None:
    """``items[1].score`` as ``("items", 1, "score")``; ``None`` if it is no path."""
    tokens: list[str | int] = []
    position = 0
    expect_name = True
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            return None
        name, index, dot = match.groups()
        if name is not None:
            if not expect_name:
                return None
            tokens.append(name)
            expect_name = False
        elif index is not None:
            if expect_name:
                return None
            tokens.append(int(index))
        elif dot is not None:
            if expect_name:
                return None
            expect_name = True
        position = match.end()
    return tuple(tokens) if tokens and not expect_name else None


def _field_type(cls: type, tokens: Sequence[str | int]) -> object:
    """The declared type at a path (``Decimal | None``...); ``KeyError`` if the path names no field."""
    current: object = cls
    for token in tokens:
        current = _without_none(current)
        if isinstance(token, int):
            if typing.get_origin(current) is not tuple:
                raise KeyError(token)
            current = typing.get_args(current)[0]
        else:
            if not (isinstance(current, type) and attrs.has(current)):
                raise KeyError(token)
            attrs.resolve_types(current)
            current = attrs.fields_dict(current)[token].type
    return current


def _optional(kind: object) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in typing.get_args(kind)


def _without_none(kind: object) -> object:
    if not _optional(kind):
        return kind
    rest = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    return rest[0] if len(rest) == 1 else kind


def _nest(leaves: dict[str, _Leaf]) -> dict[str, object]:
    """The dict-shaped data for the converter: lists sized by their lengths, leaves in place."""
    root: dict[str, object] = {}
    parsed = [(tokens, value) for path, value in leaves.items() if (tokens := _tokens(path)) is not None]
    counts = sorted(((t, v) for t, v in parsed if isinstance(v, _Count)), key=lambda entry: len(entry[0]))
    for tokens, count in counts:
        length = count.length if isinstance(count, _Count) else 0
        _place(root, tokens, [None] * length, sized=True)
    for tokens, value in parsed:
        if not isinstance(value, _Count):
            _place(root, tokens, value, sized=False)
    return root


def _place(root: dict[str, object], tokens: Sequence[str | int], value: object, *, sized: bool) -> None:
    container: object = root
    for position, token in enumerate(tokens):
        last = position == len(tokens) - 1
        following = None if last else tokens[position + 1]
        if isinstance(token, int):
            if not isinstance(container, _List):
                return
            if token >= len(container):
                if container.sized:
                    return  # beyond the list's length: dropped
                container.extend([None] * (token + 1 - len(container)))
            slot: object = container[token]
        else:
            if not isinstance(container, dict):
                return
            slot = container.get(token)
        if last:
            new: object = _List(value, sized=True) if sized and isinstance(value, list) else value
        elif isinstance(following, int):
            new = slot if isinstance(slot, _List) else _List()
        else:
            new = slot if isinstance(slot, dict) else {}
        if isinstance(token, int):
            assert isinstance(container, _List)  # noqa: S101 - checked above
            container[token] = new
        else:
            assert isinstance(container, dict)  # noqa: S101 - checked above
            container[token] = new
        container = new


class _List(list[object]):
    """A list that knows whether its length was given (longer entries are then dropped)."""

    def __init__(self, items: Iterable[object] = (), *, sized: bool = False) -> None:
        super().__init__(items)
        self.sized = sized


# --- what the table says ----------------------------------------------------------------------------


@attrs.define
class _Derived:
    """Every field the table alone gives, by path; the names of the table's rows; the cells numbers came from."""

    leaves: dict[str, _Leaf] = attrs.Factory(dict)
    names: list[str] = attrs.Factory(list)
    sources: dict[str, tuple[_Cell, bool]] = attrs.Factory(dict)  # path -> (cell, percent)

    def number(self, path: str, value: Decimal | None, cell: _Cell | None, *, percent: bool = False) -> None:
        """A number read from ``cell``: the block may give its exact value, if the cell still holds it."""
        self.leaves[path] = value
        if cell is not None:
            self.sources[path] = (cell, percent)


# --- writing ---------------------------------------------------------------------------------------


def _write_block(w: _Writer, row: int, result: object, derived: _Derived, keyed: str) -> int:
    """The block from ``row`` (nothing when the table says it all); the last row written."""
    cls = type(result)
    changes = [
        (path, value) for path, value in _leaves(result).items() if not _same(derived.leaves.get(path, _ABSENT), value)
    ]
    if not changes:
        return row - 1
    w.put(row, 1, _MARKER, "note")
    for offset, (path, value) in enumerate(changes, start=1):
        tokens = _tokens(path)
        assert tokens is not None  # noqa: S101 - paths are built from field names
        cells: list[object] = [path]
        if len(tokens) > 2 and tokens[0] == keyed and isinstance(tokens[1], int):  # noqa: PLR2004 - name, index, field
            cells.append(derived.names[tokens[1]] if tokens[1] < len(derived.names) else "")
        cells.append(_cell_value(value, _field_type(cls, tokens)))
        for column, cell in enumerate(cells, start=1):
            if cell is not None:
                w.put(row + offset, column, cell, "note")
    return row + len(changes)


def _cell_value(value: _Leaf, kind: object) -> object:
    """A leaf as a cell holds it: numbers as exact text, dates as ISO text, an empty text as ``""`` where needed."""
    if isinstance(value, _Count):
        return value.length
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value == "" and _optional(kind):
        return _EMPTY_TEXT
    return value


# --- reading ---------------------------------------------------------------------------------------


def _read_result(reader: _Reader, cls: type[T], derived: _Derived, start: int, keyed: str, *, before: int) -> T | None:
    """The result from what the table gives and the block below it (from ``start``), or ``None`` on problems.

    ``before`` is the number of problems noted before the table was read: with more, the
    block is still checked, but no result is built.
    """
    leaves = dict(derived.leaves)
    given: dict[str, _Cell] = {}
    parents = {parent for path in leaves for parent in _parents(path)}
    for first, path, value in _block_rows(reader, cls, derived, start, keyed):
        source = derived.sources.get(path)
        if source is not None and isinstance(value, Decimal) and not _holds(source, value):
            continue  # the table was edited: the table wins
        if path in given:
            reader.problem(first, f"{path} is given twice in the perftarget block")
        given[path] = first
        _apply(leaves, path, value, under=path in parents)
        parents.update(_parents(path))
    if len(reader.problems) > before:
        return None
    try:
        return from_dict(_nest(leaves), cls)
    except DocumentError as exc:
        missing = [p.location for p in exc.problems if p.message == "required key missing"]
        if missing:
            reader.problem(None, f"the published table does not show {', '.join(missing)}; perftarget keeps them in "
                           "the perftarget block below the table, which is missing or incomplete")
        for problem in exc.problems:
            if problem.message != "required key missing":
                where = _origin(given, problem.location)
                reader.problem(where, f"{problem.location}: {problem.message}" if where is None else problem.message)
        return None


def _block_rows(
    reader: _Reader, cls: type, derived: _Derived, start: int, keyed: str
) -> Iterator[tuple[_Cell, str, _Leaf]]:
    """Each readable row of the block as (its first cell, the path, the value); the others are noted."""
    grid = reader.grid
    for row in grid.rows(start):
        items = grid.items(row)
        if not items:
            continue
        first = items[0]
        path = _display(first)
        tokens = _tokens(path)
        try:
            kind = _field_type(cls, tokens) if tokens is not None else None
        except KeyError:
            kind = None
        if tokens is None or kind is None:
            reader.problem(first, f"unknown field {path!r} in the perftarget block; expected a field of {cls.__name__} "
                           f"such as {keyed}[0].name")
            continue
        if any(isinstance(token, int) and token >= grid.limits.items for token in tokens):
            reader.problem(first, f"{path}: an index above the limit items = {grid.limits.items:,}")
            continue
        value_column = first.column + 1
        if len(tokens) > 2 and tokens[0] == keyed and isinstance(tokens[1], int):  # noqa: PLR2004 - name, index, field
            if not _same_row(reader, first, tokens[1], derived, keyed):
                continue
            value_column += 1
        cell = grid.at(row, value_column)
        ok, value = _leaf(reader, cell or (row, value_column), cell, kind, path)
        if ok:
            yield first, path, value


def _same_row(reader: _Reader, first: _Cell, index: int, derived: _Derived, keyed: str) -> bool:
    name = reader.text(reader.grid.at(first.row, first.column + 1), "the row's name")
    if index >= len(derived.names):
        reader.problem(first, f"{keyed}[{index}] is not in the table above")
        return False
    if name != derived.names[index]:
        reader.problem(first, f"this row is for {name!r}, but {keyed}[{index}] is {derived.names[index]!r}: the "
                       "table was edited; correct or delete this row")
        return False
    return True


def _holds(source: tuple[_Cell, bool], value: Decimal) -> bool:
    """Whether the table's cell still holds the number as written (its nearest float)."""
    cell, percent = source
    stored = cell.value
    return isinstance(stored, (int, float)) and not isinstance(stored, bool) and (
        stored == _stored_float(value, percent=percent)
    )


def _origin(given: dict[str, _Cell], location: str) -> tuple[int, int] | None:
    """The block cell a converter problem comes from (the field's, or the nearest enclosing one's)."""
    path = location
    while path:
        cell = given.get(path)
        if cell is not None:
            return (cell.row, cell.column)
        shorter = re.sub(r"(\.[A-Za-z_0-9]+|\[\d+\])$", "", path)
        if shorter == path:
            return None
        path = shorter
    return None


def _parents(path: str) -> list[str]:
    """The paths that enclose ``path``: ``items[1].score`` is inside ``items[1]`` and ``items``."""
    found = []
    prefix = ""
    for token in (_tokens(path) or [])[:-1]:
        prefix = f"{prefix}[{token}]" if isinstance(token, int) else (f"{prefix}.{token}" if prefix else token)
        found.append(prefix)
    return found


def _apply(leaves: dict[str, _Leaf], path: str, value: _Leaf, *, under: bool) -> None:
    """Set one field: what the table said under it (``under``: it has fields) or about it as a whole gives way."""
    if under and not isinstance(value, _Count):
        for key in [k for k in leaves if k.startswith((f"{path}.", f"{path}["))]:
            del leaves[key]
    for prefix in _parents(path):
        if prefix in leaves and not isinstance(leaves[prefix], _Count):
            del leaves[prefix]
    leaves[path] = value


def _leaf(  # noqa: C901, PLR0911, PLR0912 - one branch per kind of field
    reader: _Reader, where: _Cell | tuple[int, int], cell: _Cell | None, kind: object, path: str
) -> tuple[bool, _Leaf]:
    """A block cell as the field's value: ``(True, value)``, or ``(False, None)`` with the problem noted."""
    optional = _optional(kind)
    base = _without_none(kind)
    text = reader.text(cell, path) if cell is None or not isinstance(cell.value, bool) else ""
    if cell is None or (not text and not isinstance(cell.value, bool)):
        if optional:
            return True, None
        if base is str:
            return True, ""
        reader.problem(where, f"{path} is blank")
        return False, None
    before = len(reader.problems)
    if base is str:
        return True, "" if optional and text == _EMPTY_TEXT else text
    if base is bool:
        flag = reader.flag(cell, path)
        return len(reader.problems) == before, flag
    if base is int or typing.get_origin(base) is tuple:
        number = reader.integer(cell, path)
        if number is None:
            return False, None
        if typing.get_origin(base) is tuple:
            if number < 0:
                reader.problem(cell, f"{path} must be a count (0 or more), not {number}")
                return False, None
            most = reader.grid.limits.items
            if number > most:
                reader.problem(cell, f"{path} is {number:,} entries, above the limit items = {most:,}")
                return False, None
            return True, _Count(number)
        return True, number
    if base is Decimal:
        raw = cell.value
        try:
            return True, to_decimal(raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else text)
        except LimitExceededError as exc:
            reader.problem(cell, f"{path}: {str(exc).removeprefix(f'{exc.where}: ')}")
            return False, None
        except InvalidValueError:
            reader.problem(cell, f"{path} must be a number, not {text!r}")
            return False, None
    if base is dt.date:
        day = reader.date(cell, path)
        return day is not None, day
    if isinstance(base, type) and attrs.has(base):
        reader.problem(cell, f"{path} is a group of fields: leave it blank for none, or give its fields one per row")
        return False, None
    return True, text  # an enum or a choice: the converter checks it
