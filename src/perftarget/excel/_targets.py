"""What the project table and the department part share: indicator tables, the unit row, the perftarget block.

Both target layouts print goals with an indicator table under each (一级指标 … 指标值,
level cells merged), a row with the budget unit's code and name, and below the table a
block headed ``perftarget`` with what the published layout cannot show (the year, keys,
basis categories, suppressions...). Reading and writing those parts lives here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs

from perftarget._codec.hooks import structure_category as _structure_category
from perftarget._codec.hooks import threshold_text
from perftarget._model.targets import Basis, Goal, Indicator, Suppression, Unit
from perftarget._values.levels import Level1, Level2, to_level1, to_level2
from perftarget._values.threshold import Threshold
from perftarget.excel._grid import (
    _INDICATOR_NUMBERING,
    _YEAR_IN_TITLE,
    _Cell,
    _display,
    _is_filler,
    _label_key,
    _Reader,
)
from perftarget.excel._layout import _level_text, _Levels, _resolve_levels, _Segment, _unexpected, _value_after
from perftarget.excel._writer import _Fields, _Writer
from perftarget.exceptions import InvalidValueError, ThresholdSyntaxError

_AMOUNT_UNIT: Final = "单位：万元"
_WIDTH: Final = 7  # columns A..G: the budget row is the widest fixed row

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

_INDICATOR_FIELD: Final = re.compile(
    r"^goals\[(\d+)\]\.indicators\[(\d+)\]\.(key|basis\.category|suppressions|level1|level2)$"
)
_YEARS: Final = (1, 9998)  # a fiscal year and the next must fit the calendar


def _header_columns(items: Sequence[_Cell]) -> dict[str, _Cell] | None:
    """The indicator table's header (field -> heading cell), if the row is one."""
    fields: dict[str, _Cell] = {}
    for cell in items:
        field = _HEADING_FIELDS.get(_label_key(_display(cell)))
        if field is not None:
            fields.setdefault(field, cell)
    return fields if "name" in fields and "target" in fields else None


# --- reading: the perftarget block of a target table ------------------------------------------


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
    for row in grid.rows(start):
        items = grid.items(row)
        if not items:
            continue
        first = items[0]
        name = _display(first)
        values = [grid.at(row, column) for column in range(first.column + 1, grid.row_end(row) + 2)]
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
    target_cell = cells.get("target")
    # "=100%" typed into Excel becomes a formula; in this column its text is the target
    formula = target_cell is not None and target_cell.formula
    target_text = str(target_cell.value).strip() if formula and target_cell else _display(target_cell)
    weight_text = _display(cells.get("weight"))
    name = _INDICATOR_NUMBERING.sub("", texts.get("name", ""), count=1)
    content = (name, texts.get("description", ""), target_text, texts.get("basis", ""), weight_text)
    # a filler row ("……", "等") is skipped; in a row with content, "。" is text like any other
    placeholder = all(not text or _is_filler(text) for text in content)
    levels = tuple("" if _is_filler(texts.get(field, "")) else texts.get(field, "") for field in ("level1", "level2"))
    result = _Row(row, (levels[0], levels[1]), placeholder, cells)
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


def _write_indicators(w: _Writer, row: int, indicators: Sequence[Indicator], *, weighted: bool) -> None:
    """Indicator rows from ``row``, level cells merged over runs of the same level."""
    w.levels(row, 1, [(_level_text(i.level1), _level_text(i.level2)) for i in indicators])
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


_COLUMN_WIDTHS: Final = (16, 14, 22, 26, 14, 18, 10)
