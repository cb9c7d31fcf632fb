"""What the project table and the department part share: indicator tables, the unit row, the perftarget block.

Both target layouts print goals with an indicator table under each (一级指标 … 指标值,
level cells merged), a row with the budget unit's code and name, and below the table a
block headed ``perftarget`` with what the published layout cannot show (the year, keys,
basis categories, suppressions...). Reading and writing those parts lives here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from perftarget._codec.hooks import structure_category as _structure_category
from perftarget._codec.hooks import threshold_text
from perftarget._model.targets import Basis, Goal, Indicator, Measure, RegionalTarget, Suppression, Unit, common_target
from perftarget._values.levels import Level1, Level2, to_level1, to_level2
from perftarget._values.numbers import format_number
from perftarget._values.threshold import Comparator, Threshold, ThresholdKind
from perftarget.excel._grid import (
    _INDICATOR_NUMBERING,
    _NOT_APPLICABLE,
    _YEAR_IN_TITLE,
    _Cell,
    _display,
    _is_filler,
    _label_key,
    _Reader,
)
from perftarget.excel._layout import _level_text, _Levels, _resolve_levels, _Segment, _unexpected, _value_after
from perftarget.excel._layouts import (
    column_roles,
    is_template_name,
    label_roles,
    labels_of,
    note_row,
    span_roles,
    title_words,
    unit_label,
)
from perftarget.excel._writer import _Fields, _Writer
from perftarget.exceptions import InvalidValueError, ThresholdSyntaxError

_AMOUNT_UNIT: Final = "单位：万元"
_WIDTH: Final = 7  # columns A..G: the budget row is the widest fixed row

# The indicator table's columns as perftarget writes them: (field, printed heading). The optional
# ones are printed only when an indicator of the sheet has them; reading takes the headings of
# every registered layout (perftarget.excel._layouts).
_COLUMNS: Final = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("description", "绩效指标描述"),
    ("target", "指标值"),
    ("basis", "指标值确定依据"),
)
_OPTIONAL_COLUMNS: Final = (
    ("unit_text", "计量单位"),
    ("value_kind", "指标值类型"),
    ("weight", "分值"),
    ("scoring_rule", "评(扣)分标准"),
    ("remarks", "备注"),
    ("last_year", "上年度实际水平"),
)
_TABLE_ROLES: Final = {
    "unit_name": "部门(单位)名称",
    "project_name": "项目名称",
    "duties": "部门职责",
    "goal": "年度绩效目标",
    "measures": "保障绩效目标实现措施",
    "budget": "预算数",
}
"""Columns that hold one value for the whole table (a cell merged down the rows), with a heading for messages."""
_HEADINGS: Final = {**dict(_COLUMNS), **dict(_OPTIONAL_COLUMNS), **_TABLE_ROLES}
_TEXTS: Final = (
    "level1", "level2", "name", "description", "basis", "unit_text", "value_kind", "scoring_rule", "remarks",
    "last_year",
)
"""The columns read as text on every indicator row (the target and the weight are read apart)."""

_INDICATOR_FIELD: Final = re.compile(
    r"^goals\[(\d+)\]\.indicators\[(\d+)\]\.(key|basis\.category|suppressions|level1|level2|template|target|name"
    r"|regions)$"
)
_YEARS: Final = (1, 9998)  # a fiscal year and the next must fit the calendar
_KEPT: Final = "kept"
_BLANK: Final = "blank"
_REGIONS_HEADING: Final = "区域目标值"
"""The heading over one target column per region (福建), the regions' names in the row below it."""


def _roles() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Heading key -> column role, and merged heading key -> roles, over every target layout."""
    return column_roles(("project", "department")), span_roles(("project", "department"))


def _header_columns(items: Sequence[_Cell]) -> dict[str, _Cell] | None:
    """The indicator table's header (field -> heading cell), if the row is one.

    A heading that fills two roles when merged over two columns (湖北 ``绩效指标``: the
    二级指标 and the indicator's name) gives its roles to its columns, left to right, where
    no heading of their own does. A heading merged down from the row above (a two-row
    header, such as 福建's over the regions' names) does not make its rows more headers.
    """
    roles, spans = _roles()
    fields: dict[str, _Cell] = {}
    spanned: list[tuple[_Cell, tuple[str, ...]]] = []
    for cell in items:
        if cell.continued:
            continue
        key = _label_key(_display(cell))
        field = roles.get(key)
        if field is not None:
            fields.setdefault(field, cell)
        elif key in spans:
            spanned.append((cell, spans[key]))
    used = {cell.column for cell in fields.values()}
    for cell, span in spanned:
        for offset, role in enumerate(span):
            if role not in fields and cell.column + offset not in used:
                fields[role] = attrs.evolve(cell, column=cell.column + offset)
    return fields if "name" in fields and ("target" in fields or "regions" in fields) else None


def _blank(text: str) -> bool:
    """A cell that says nothing: blank, 无 or /, or filler (……)."""
    return not text or text in _NOT_APPLICABLE or _is_filler(text)


def _name_as_read(texts: Mapping[str, str]) -> str:
    """The name a row's printed texts read as.

    Numbering (``指标1：``) is taken off; filler (……, 等) is no name on a row that prints nothing
    else (every other cell but the levels blank, 无 or filler).
    """
    name = _INDICATOR_NUMBERING.sub("", texts.get("name", ""), count=1)
    says_nothing = all(_blank(text) for field, text in texts.items() if field not in ("name", "level1", "level2"))
    return "" if _is_filler(name) and says_nothing else name


def _prints_nothing(texts: Mapping[str, str]) -> bool:
    """A row whose every cell but the levels is blank or filler: under a merged level, a filler row (skipped)."""
    return all(not text or _is_filler(text) for field, text in texts.items() if field not in ("level1", "level2"))


def _is_template(texts: Mapping[str, str]) -> bool:
    """The template-row rule (see :mod:`perftarget.excel._layouts`), on a row's printed texts.

    The name is a bare ``指标N`` and every other cell but the levels says nothing. Reading
    drops such a row; writing marks an indicator that prints as one, so that it is kept.
    """
    return is_template_name(texts.get("name", "")) and all(
        _blank(text) for field, text in texts.items() if field not in ("name", "level1", "level2")
    )


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
    texts: dict[str, str] = attrs.Factory(dict)
    target: Threshold | None = None
    weight: Decimal | None = None
    template: bool = False
    target_text: str = ""
    printed_name: str = ""
    regional: list[RegionalTarget] = attrs.Factory(list)

    @property
    def name(self) -> str:
        return self.texts.get("name", "")


@attrs.define
class _Table:
    """A goal and its indicator rows as read, with what the table-wide columns hold."""

    content: str
    label: _Cell | None
    rows: list[_Row] = attrs.Factory(list)
    has_header: bool = False
    level2_column: bool = True
    values: dict[str, list[str]] = attrs.Factory(dict)
    cells: dict[str, list[_Cell]] = attrs.Factory(dict)
    label_column: int = 0
    """The column of the table's own label left of its header (陕西 ``长期绩效指标``), merged down its rows."""
    regions: list[tuple[int, str]] = attrs.Factory(list)
    """The region columns under 区域目标值 (福建): each column and the region named above it."""


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


def _table_values(reader: _Reader, table: _Table, cells: Mapping[str, _Cell | None]) -> None:
    """The table-wide columns of one row: a value where a cell (or a merged range) starts.

    The same text as the row above's (printed again on every row, as an export does) is the same value.
    """
    for field, cell in cells.items():
        if field in _TABLE_ROLES and cell is not None and not cell.continued:
            text = reader.text(cell, _TABLE_ROLES[field])
            if text and table.values.get(field, [""])[-1] != text:
                table.values.setdefault(field, []).append(text)
                table.cells.setdefault(field, []).append(cell)


def _read_indicator_row(reader: _Reader, columns: dict[str, int], row: int, table: _Table) -> _Row:
    """One row of an indicator table: a 无 row, a template row, a filler row or an indicator.

    - filler: every cell blank or filler (……, 等) and no level cell of its own: skipped;
    - template: see :func:`_is_template`: dropped unless the perftarget block keeps it
      (then read as printed: an empty target cell is no target printed);
    - 无 row: no name, and the target blank, 无 or /: an indicator without a name whose
      target is 无 (a level that does not apply), kept with whatever else it prints; its
      target is blank instead when the perftarget block says so (``target | blank``).

    A filler name (……, 等) is no name only on a row that prints nothing else (every other
    cell blank, 无 or filler); beside anything else it is the name as printed.
    """
    grid = reader.grid
    cells = {field: grid.at(row, column) for field, column in columns.items()}
    _table_values(reader, table, cells)
    texts: dict[str, str] = {field: reader.text(cells[field], _HEADINGS[field]) for field in _TEXTS if field in cells}
    target_cell = cells.get("target")
    target_text = _target_text(target_cell)
    weight_text = _display(cells.get("weight"))
    regional = [(grid.at(row, column), column, region) for column, region in table.regions]
    region_texts = [_target_text(cell) for cell, _, _ in regional]
    printed: dict[str, str] = {
        **texts, "target": target_text, "weight": weight_text, "regions": _regions_printed(region_texts)
    }
    own_level = any(
        (cell := cells.get(field)) is not None and not cell.continued for field in ("level1", "level2")
    )
    placeholder = _prints_nothing(printed) and not own_level
    levels = tuple("" if _is_filler(texts.get(field, "")) else texts.get(field, "") for field in ("level1", "level2"))
    result = _Row(row, (levels[0], levels[1]), placeholder, cells)
    if placeholder:
        return result
    result.template = _is_template(printed)
    result.printed_name = texts.get("name", "")
    texts["name"] = _name_as_read(printed)
    result.texts = texts
    result.target_text = target_text
    result.regional = _regional_targets(reader, row, regional, region_texts, cells.get("comparator"))
    if not texts["name"] and _blank(target_text) and all(map(_blank, region_texts)):  # a 无 row
        result.target = Threshold.not_applicable()
    else:
        if not texts["name"]:
            reader.problem((row, columns["name"]), "the indicator has no name (三级指标)")
        result.target = _row_target(reader, (row, columns), cells, target_text, result.regional)
    if "weight" in cells:
        result.weight = reader.number(cells["weight"], "分值", ("分",))
    headed = {*columns.values(), *(column for column, _ in table.regions)}
    for cell in grid.items(row):
        if cell.column not in headed and not (cell.continued and cell.column == table.label_column):
            reader.problem(cell, f"a value in a column without a heading: {_display(cell)!r}")
    return result


def _row_target(
    reader: _Reader, at: tuple[int, dict[str, int]], cells: Mapping[str, _Cell | None], text: str,
    regional: Sequence[RegionalTarget],
) -> Threshold | None:
    """An indicator row's target: its 指标值 (with the comparator a column prints), else the regions' common one.

    A table that prints only the regions' targets (福建 区域目标值, no 指标值 column) gives the
    indicator the target :func:`~perftarget.values.common_target` says.
    """
    row, columns = at
    if "target" not in columns:
        return common_target(tuple(regional))
    comparator = cells.get("comparator")
    if comparator is not None:
        text = _with_comparator(reader, comparator, text)
    target = _parse_target(reader, text, cells.get("target") or (row, columns["target"]))
    if target is not None:
        _check_direction(reader, cells.get("direction"), target)
    return target


def _target_text(cell: _Cell | None) -> str:
    """A target cell's text: ``=100%`` typed into Excel becomes a formula, whose text is the target."""
    return str(cell.value).strip() if cell is not None and cell.formula else _display(cell)


def _parse_target(reader: _Reader, text: str, where: _Cell | tuple[int, int]) -> Threshold | None:
    """The target a cell prints (``None``, reported at ``where``, when it cannot be read)."""
    try:
        return Threshold.parse(text)
    except ThresholdSyntaxError as exc:
        reader.problem(where, f"cannot read the target {text!r}: expected {exc.expected} at column {exc.column}")
        return None


def _regions_printed(texts: Sequence[str]) -> str:
    """What a row's region cells print, for the row rules (filler, template, 无): the first that says something."""
    return next((text for text in texts if not _blank(text)), next((text for text in texts if text), ""))


def _regional_targets(
    reader: _Reader, row: int, cells: Sequence[tuple[_Cell | None, int, str]], texts: Sequence[str],
    comparator: _Cell | None,
) -> list[RegionalTarget]:
    """A row's targets per region (福建 区域目标值), in column order; a region whose cell is empty has none."""
    found = []
    for (cell, column, region), printed in zip(cells, texts, strict=True):
        text = _with_comparator(reader, comparator, printed) if comparator is not None else printed
        target = _parse_target(reader, text, cell or (row, column)) if text else None
        if target is not None and not target.is_blank:
            found.append(RegionalTarget(region, target))
    return found


def _region_columns(reader: _Reader, segment: _Segment, heading: _Cell) -> list[tuple[int, str]]:
    """The region columns of a table headed 区域目标值: the regions' names in the row under the header.

    The header's other headings are merged down over that row; a name is read from the
    区域目标值 column on, each region once.
    """
    grid = reader.grid
    if len(segment.rows) < 2:  # noqa: PLR2004 - the header and the names under it
        reader.problem(heading, f"no row of the regions' names under {_REGIONS_HEADING}")
        return []
    regions: dict[str, _Cell] = {}
    columns: list[tuple[int, str]] = []
    for cell in grid.items(segment.rows[1]):
        if cell.continued:
            continue
        if cell.column < heading.column:
            reader.problem(cell, f"expected the regions' names under {_REGIONS_HEADING} only, found {_display(cell)!r}")
            continue
        name = reader.text(cell, "a region's name").strip()
        if name in regions:
            reader.problem(cell, f"region {name!r} is named twice (also at {grid.where(regions[name])})")
            continue
        regions[name] = cell
        columns.append((cell.column, name))
    if not columns:
        reader.problem(heading, f"no region named under {_REGIONS_HEADING}")
    return columns


_BARE_NUMBER: Final = re.compile(r"^[0-9.]")
_DIRECTIONS: Final = {"正向指标": "正向", "正向": "正向", "反向指标": "反向", "反向": "反向"}
_QUALITATIVE_MARK: Final = "定性"


def _with_comparator(reader: _Reader, cell: _Cell | None, target: str) -> str:
    """指标值 with the comparator its own column prints (四川 ``指标性质``): ``≥`` and ``95`` read as ``≥95``.

    The one rule: a bare number takes the comparator in front; a 指标值 that says more
    (``≥95%``, ``按时完成``) stands, and the comparator must agree with it (``定性`` for a
    statement), else it is reported at its cell.
    """
    mark = _display(cell)
    if not mark or not target or target in _NOT_APPLICABLE:
        return target
    if _BARE_NUMBER.match(target):
        return f"{mark}{target}"
    try:
        own = Threshold.parse(target).comparator
        agrees = own is (None if mark == _QUALITATIVE_MARK else Threshold.parse(f"{mark}0").comparator)
    except ThresholdSyntaxError:
        agrees = False
    if not agrees:
        reader.problem(cell, f"指标性质 {mark!r} does not agree with the target {target!r}")
    return target


def _check_direction(reader: _Reader, cell: _Cell | None, target: Threshold) -> None:
    """指标方向性 follows from the target: 反向 for ≤ and <, else 正向; one that differs is reported."""
    text = _display(cell)
    if cell is None or not text:
        return
    implied = "反向" if target.comparator in (Comparator.LE, Comparator.LT) else "正向"
    if _DIRECTIONS.get(text) != implied:
        reader.problem(cell, f"指标方向性 {text!r} does not follow from the target {target}: expected {implied}指标")


def _read_table(reader: _Reader, segment: _Segment, table: _Table) -> None:
    grid = reader.grid
    items = grid.items(segment.rows[0])
    header = _header_columns(items) or {}
    columns = {field: cell.column for field, cell in header.items()}
    for cell in items:
        if cell.column == grid.left and cell.column not in columns.values() and _table_label(cell):
            table.label_column = cell.column
        elif cell.column not in columns.values():
            known = "、".join(heading for field, heading in (*_COLUMNS, *_OPTIONAL_COLUMNS))
            reader.problem(
                cell, f"unknown column heading {_display(cell)!r}; expected {known} or a heading of a published layout"
            )
    table.has_header = True
    table.level2_column = "level2" in columns
    if "regions" in header:  # a two-row header: 区域目标值 over the regions' names
        table.regions = _region_columns(reader, segment, header["regions"])
    rows = [row for row in segment.rows[2 if "regions" in header else 1 :] if not _is_note_row(grid.items(row))]
    table.rows.extend(_read_indicator_row(reader, columns, row, table) for row in rows)


def _table_label(cell: _Cell) -> bool:
    """Whether a header's first cell is a table's label (``长期绩效指标``, ``年度绩效指标``), not a heading."""
    key = _label_key(_display(cell))
    return label_roles("project").get(key) == "heading" or label_roles("department").get(key) == "heading"


def _is_note_row(items: Sequence[_Cell]) -> bool:
    """A note under a table (``注：带*为必填项``, ``填报人：``): every cell of the row starts as a note."""
    note = note_row("below")
    return bool(items) and all(note.match(_label_key(_display(cell))) for cell in items)


@attrs.define
class _Extras:
    """What the perftarget block says about one indicator."""

    level1: list[Level1 | str | None] = attrs.Factory(list)  # empty: as the table says
    level2: list[Level2 | str | None] = attrs.Factory(list)
    key: str | None = None
    category: str = ""
    suppressions: list[Suppression] = attrs.Factory(list)
    kept: bool = False
    blank: bool = False  # no target printed (an empty target cell on a row without a name reads as 无)
    name: str | None = None  # the name as printed (when reading would drop numbering or filler from it)
    regions: list[str] | None = None  # the order of its regional targets, where it is not the columns'


def _extras(reader: _Reader, block: _Block, path: tuple[int, int], row: _Row) -> _Extras:
    extras = _Extras()
    for field, where, values in block.indicators.pop(path, []):
        name = reader.text(values[0], "the indicator's name")
        if name not in (row.name, row.printed_name):
            reader.problem(where, f"this row is for {name!r}, but goals[{path[0]}].indicators[{path[1]}] is "
                           f"{row.name!r} (row {row.row}): the table was edited; correct or delete this row")
        elif field == "name":  # the name as printed, where reading alone takes numbering or filler off
            extras.name = name
        else:
            _extra(reader, extras, field, where, values)
    return extras


def _extra(  # noqa: C901 - one branch a field
    reader: _Reader, extras: _Extras, field: str, where: _Cell, values: Sequence[_Cell | None]
) -> None:
    """One block row about an indicator, its name checked: what it adds to ``extras``."""
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
    elif field == "template":
        extras.kept = True
    elif field == "regions":
        extras.regions = [reader.text(cell, "a region") for cell in values[1:] if cell is not None]
    elif field == "target":
        extras.blank = reader.text(value, field) == _BLANK
        if not extras.blank:
            reader.problem(where, f"target must be {_BLANK!r}, not {reader.text(value, field)!r}")
    else:
        extras.category = reader.text(value, field)
        if not extras.category:
            reader.problem(where, "basis.category is blank")


def _indicator(reader: _Reader, block: _Block, path: tuple[int, int], row: _Row, levels: _Levels) -> Indicator | None:
    """One indicator from its row, its resolved levels and what the block adds (``None``: a template row)."""
    extras = _extras(reader, block, path, row)
    if row.template and not extras.kept:
        return None
    texts = row.texts
    basis = Basis(texts["basis"]) if texts.get("basis") else None
    if extras.category:
        try:
            basis = Basis(texts.get("basis", ""), _structure_category(extras.category, Basis))
        except InvalidValueError as exc:
            reader.problem(None, f"goals[{path[0]}].indicators[{path[1]}].basis.category: {exc}")
    if row.target is None:
        return None
    target = Threshold.blank() if extras.blank and not row.name and not row.target_text else row.target
    regional = row.regional
    if extras.regions is not None:
        by_region = {item.region: item for item in regional}
        if sorted(extras.regions) != sorted(by_region):
            reader.problem(None, f"goals[{path[0]}].indicators[{path[1]}].regions lists {'、'.join(extras.regions)}, "
                           f"but the row gives targets for {'、'.join(by_region) or 'no region'}: the table was edited")
        else:
            regional = [by_region[region] for region in extras.regions]
    try:
        return Indicator(
            name=row.name if extras.name is None else extras.name,
            target=target,
            level1=extras.level1[0] if extras.level1 else levels[0],
            level2=extras.level2[0] if extras.level2 else levels[1],
            description=texts.get("description", ""),
            basis=basis,
            weight=row.weight,
            key=extras.key,
            suppressions=tuple(extras.suppressions),
            unit_text=texts.get("unit_text", ""),
            value_kind=texts.get("value_kind", ""),
            scoring_rule=texts.get("scoring_rule", ""),
            remarks=texts.get("remarks", ""),
            last_year=texts.get("last_year", ""),
            regional_targets=tuple(regional),
        )
    except InvalidValueError as exc:
        reader.problem(row.cells.get("level2") or (row.row, reader.grid.left), str(exc))
        return None


def _goals(reader: _Reader, tables: Sequence[_Table], block: _Block) -> list[Goal]:
    goals = []
    for goal_index, table in enumerate(tables):
        if not table.has_header and table.label is not None:
            reader.problem(table.label, "no indicator table after this goal (a header row 一级指标 … 指标值)")
        resolved = _resolve_levels([row.levels for row in table.rows], level2_first=not table.level2_column)
        kept = [(row, levels) for row, levels in zip(table.rows, resolved, strict=True) if not row.placeholder]
        indicators = [
            _indicator(reader, block, (goal_index, index), row, levels) for index, (row, levels) in enumerate(kept)
        ]
        content = table.content or "\n".join(table.values.get("goal", ()))
        goals.append(Goal(content, tuple(i for i in indicators if i is not None)))
    for (goal_index, index), entries in block.indicators.items():
        reader.problem(entries[0][1], f"goals[{goal_index}].indicators[{index}] is not in the table above")
    return goals


def _table_values_of(tables: Sequence[_Table]) -> dict[str, list[str]]:
    """What the table-wide columns of every table hold, in order, each value once."""
    values: dict[str, list[str]] = {}
    for table in tables:
        for field, texts in table.values.items():
            kept = values.setdefault(field, [])
            kept.extend(text for text in texts if text not in kept)
    return values


def _measures(reader: _Reader, rows: Iterable[int]) -> list[Measure]:
    """Guarantee measures (保障措施), one a row: the title right of the label, its detail right of that."""
    grid = reader.grid
    left = grid.left
    measures = []
    for row in rows:
        title = reader.text(grid.at(row, left + 1), "the measure")
        detail = reader.text(grid.at(row, left + 2), "the measure's detail")
        if title or detail:
            measures.append(Measure(title, detail))
        for cell in grid.items(row):
            if cell.column > left + 2:
                reader.problem(cell, f"unexpected cell after the measure's detail: {_display(cell)!r}")
    return measures


def _write_measures(w: _Writer, row: int, label: str, measures: Sequence[Measure], width: int) -> int:
    """The measures from ``row`` under their label (merged down); the next free row."""
    w.put(row, 1, label, "label", to=(row + len(measures) - 1, 1))
    for offset, measure in enumerate(measures):
        w.put(row + offset, 2, measure.title, "text")
        w.put(row + offset, 3, measure.detail, "text", to=(row + offset, width))
    return row + len(measures)


def _collect_tables(reader: _Reader, segments: Iterable[_Segment], other: Callable[[_Segment], bool]) -> list[_Table]:
    """The goals with their indicator tables; ``other`` reads the layout's other segments."""
    tables: list[_Table] = []
    pending: list[_Table] = []
    for segment in segments:
        if segment.kind == "goal":
            pending = _goal_tables(reader, segment, other, tables)
        elif segment.kind == "header" and pending:
            _read_table(reader, segment, pending.pop(0))
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


def _goal_tables(
    reader: _Reader, segment: _Segment, other: Callable[[_Segment], bool], tables: list[_Table]
) -> list[_Table]:
    """A goal row's goals, added to ``tables``; those waiting for the indicator tables below, in turn.

    A plain goal waits for none (the next header is the last goal's); parts one a row (陕西) take
    the tables below in turn; parts side by side (兵团) leave the table to the last part, and the
    ones before it have no indicators.
    """
    side_by_side = _goal_columns(reader, segment)
    parts = side_by_side if side_by_side is not None else _goal_parts(reader, segment, other)
    if parts is None:
        content = _value_after(reader, segment.rows[0], "the goal")
        tables.append(_Table(_strip_goal_number(content, len(tables) + 1), segment.label))
        _unexpected(reader, segment.rows[1:])
        return []
    goals = [_Table(content, segment.label) for content in parts]
    tables.extend(goals)
    if side_by_side is None:
        return goals
    for goal in goals[:-1]:
        goal.has_header = True  # printed without indicators: the year's part has them
    return goals[-1:]


_CODE: Final = re.compile(r"[0-9A-Za-z.\-]+")


def _goal_parts(reader: _Reader, segment: _Segment, other: Callable[[_Segment], bool]) -> list[str] | None:
    """A goal row of parts, one a row (陕西 ``项目绩效目标 | 长期目标 | … / | 年度目标 | …``): each part's goal.

    The part's label is kept in front of its text (``长期目标：…``); each part takes the next
    indicator table in turn. ``None`` when the row is a plain goal. A row under it with
    another label (黑龙江 ``预期效果``, ``保障绩效目标实现的措施``) is that label's, read by ``other``.
    """
    grid = reader.grid
    parts: list[str] = []
    for row in segment.rows:
        cells = [cell for cell in grid.items(row) if cell.column > grid.left and not cell.continued]
        if not cells or _label_key(_display(cells[0])) not in labels_of("project", "goal_part"):
            if not parts:
                return None
            kind = label_roles("project").get(_label_key(_display(cells[0]))) if cells else None
            if kind is None or not other(_Segment(kind, cells[0], [row])):
                _unexpected(reader, [row])
            continue
        for extra in cells[2:]:
            reader.problem(extra, f"expected one value for {_display(cells[0])}, found another: {_display(extra)!r}")
        text = reader.text(cells[1], "the goal") if len(cells) > 1 else ""
        parts.append(f"{_display(cells[0]).strip()}：{text}")
    return parts


def _goal_columns(reader: _Reader, segment: _Segment) -> list[str] | None:
    """A goal row of parts side by side, their texts on the row below: each part's goal, its label in front.

    兵团 ``项目绩效目标 | 项目总目标 | 年度总体目标``, then ``| … | …``: goals ``项目总目标：…``, ``年度总体目标：…``.
    The indicator table below is the last part's (the year's); the parts before it have none.
    ``None`` when the row is not one of parts side by side.
    """
    grid = reader.grid
    if len(segment.rows) < 2:  # noqa: PLR2004 - the labels' row and the texts' row
        return None
    labels = [cell for cell in grid.items(segment.rows[0]) if cell.column > grid.left and not cell.continued]
    wanted = labels_of("project", "goal_part")
    if len(labels) < 2 or any(_label_key(_display(cell)) not in wanted for cell in labels):  # noqa: PLR2004
        return None
    texts = segment.rows[1]
    columns = {cell.column for cell in labels}
    for cell in grid.items(texts):
        if cell.column > grid.left and not cell.continued and cell.column not in columns:
            reader.problem(cell, f"a goal's text under no goal label: {_display(cell)!r}")
    _unexpected(reader, segment.rows[2:])
    return [f"{_display(cell).strip()}：{reader.text(grid.at(texts, cell.column), 'the goal')}" for cell in labels]


_YEAR_LINE: Final = re.compile(r"^\((?:19|20)[0-9]{2}年度?\)$")


def _unit(reader: _Reader, rows: Sequence[int]) -> tuple[str, Unit | None, str]:  # noqa: C901 - one branch a row kind
    """The title, the budget unit and the amounts' unit (万元 or 元) from the rows above the labels.

    Title rows (one cell naming a 绩效目标表), note cells (``表3``, ``附件2``, ``填报日期``)
    and ``单位：万元`` are taken apart; ``单位名称：…`` or ``填报单位（盖章）：…`` gives the
    unit's name; else the first other row holds the unit's code and name. ``None`` when
    no row gives the unit (the caller looks for it elsewhere).
    """
    grid = reader.grid
    titles, named_unit, note = title_words(), unit_label(), note_row("above")
    title = ""
    unit_rows: list[list[tuple[_Cell, str]]] = []
    named: Unit | None = None
    amount_unit = "万元"
    for row in rows:
        items = grid.items(row)
        key = _label_key(_display(items[0]))
        if not title and not unit_rows and named is None and len(items) == 1 and any(w in key for w in titles):
            title = _display(items[0])
            continue
        if title and len(items) == 1 and _YEAR_LINE.match(key):  # （2023年度） under the title: part of it
            title = f"{title}{_display(items[0])}"
            continue
        parts = []
        for cell in items:
            text = reader.text(cell, "the unit")
            key = _label_key(text)
            if key.startswith(("单位:", "金额单位:")):
                amount_unit = key.split(":", 1)[1]
                if amount_unit not in ("万元", "元"):
                    reader.problem(cell, f"amounts must be in 万元 or 元, not {amount_unit!r}")
                    amount_unit = "万元"
            elif named_unit.match(key):
                name = re.split(r"[:：]", text, maxsplit=1)[1].strip()
                named = _unit_of(reader, cell, [(cell, name)] if name else [])
            elif not note.match(key):
                parts.append((cell, text))
        if parts:
            unit_rows.append(parts)
    for extra in unit_rows[0 if named is not None else 1 :]:
        reader.problem(extra[0][0], f"unexpected row above the table: {extra[0][1]!r}")
    if named is not None or not unit_rows:
        return title, named, amount_unit
    return title, _unit_of(reader, unit_rows[0][0][0], unit_rows[0]), amount_unit


_CODE_AND_NAME: Final = re.compile(r"\s+|(?<=[0-9])-(?=[^0-9\s])")
"""Between a unit's code and name: spaces, or a hyphen (四川 ``820001-井研县马踏镇人民政府``)."""


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
    words = _CODE_AND_NAME.split(text.strip(), maxsplit=1)
    if len(words) == 2 and _CODE.fullmatch(words[0]):  # noqa: PLR2004 - code and name
        return Unit(*words)
    if cell.column == reader.grid.left and _CODE.fullmatch(text):
        return Unit(text, "")
    return Unit("", text)


def _printed(indicator: Indicator) -> dict[str, str]:
    """An indicator's cells as written (the levels apart).

    A 无 row without a name prints its mark as read (无, /, —, 不适用), but a filler mark (……)
    as 无: a row of nothing but filler is read as a filler row.
    """
    target = threshold_text(indicator.target)
    if indicator.target.kind is ThresholdKind.NOT_APPLICABLE and not indicator.name and _is_filler(target):
        target = str(indicator.target)
    return {
        "name": indicator.name,
        "description": indicator.description,
        "target": target,
        "basis": indicator.basis.text if indicator.basis is not None else "",
        "weight": "" if indicator.weight is None else format_number(indicator.weight),
        "unit_text": indicator.unit_text,
        "value_kind": indicator.value_kind,
        "scoring_rule": indicator.scoring_rule,
        "remarks": indicator.remarks,
        "last_year": indicator.last_year,
        "regions": _regions_printed([threshold_text(item.target) for item in indicator.regional_targets]),
    }


def _table_fields(goals: Sequence[Goal]) -> list[tuple[str, str]]:
    """The columns of a sheet's indicator tables: the core, and each optional one some indicator uses."""
    indicators = [indicator for goal in goals for indicator in goal.indicators]
    used = [
        (field, heading)
        for field, heading in _OPTIONAL_COLUMNS
        if any(getattr(indicator, field) not in (None, "") for indicator in indicators)
    ]
    return [*_COLUMNS, *used]


def _write_indicators(
    w: _Writer, row: int, indicators: Sequence[Indicator], fields: Sequence[str], regions: Sequence[str] = ()
) -> None:
    """Indicator rows from ``row``, level cells merged over runs of the same level; the region columns last."""
    printed = [_printed(indicator) for indicator in indicators]
    w.levels(row, 1, [(_level_text(i.level1), _level_text(i.level2)) for i in indicators], _needs_own_levels(printed))
    for offset, (indicator, texts) in enumerate(zip(indicators, printed, strict=True)):
        for column, field in enumerate(fields, start=1):
            if field in ("level1", "level2"):
                continue
            if field == "weight":
                w.number(row + offset, column, indicator.weight)
            else:
                w.put(row + offset, column, texts[field] or None)
        targets = {item.region: item.target for item in indicator.regional_targets}
        for column, region in enumerate(regions, start=len(fields) + 1):
            target = targets.get(region)
            w.put(row + offset, column, None if target is None else threshold_text(target) or None)


def _needs_own_levels(printed: Sequence[Mapping[str, str]]) -> list[bool]:
    """The rows that print nothing but their levels: their level cells are their own, so that they stay rows."""
    return [_prints_nothing(texts) for texts in printed]


def _indicator_fields(goal_index: int, indicators: Sequence[Indicator], regions: Sequence[str] = ()) -> _Fields:
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
        printed = _printed(indicator)
        read_name = _name_as_read(printed)
        if read_name != name:
            fields.append((f"{path}.name", (name,)))
        if _is_template(printed):
            fields.append((f"{path}.template", (name, _KEPT)))
        if indicator.target.kind is ThresholdKind.BLANK and not read_name:
            fields.append((f"{path}.target", (name, _BLANK)))
        own = [item.region for item in indicator.regional_targets]
        if own != [region for region in regions if region in own]:  # read back in the columns' order
            fields.append((f"{path}.regions", (name, *own)))
    return fields


def _write_goals(w: _Writer, row: int, goals: Sequence[Goal], width: int) -> tuple[int, _Fields]:
    """Each goal's 绩效目标 row, indicator header and rows; the next free row and the block rows.

    When an indicator of the sheet has targets per region, every table's header is two rows:
    the headings merged down over both, then 区域目标值 over one column per region, the
    regions' names below it (as 福建 prints them).
    """
    columns = _table_fields(goals)
    names = [field for field, _ in columns]
    regions = _regions(goals)
    below = 2 if regions else 1  # the header's rows
    fields: _Fields = []
    for goal_index, goal in enumerate(goals):
        w.put(row, 1, "绩效目标", "label")
        w.put(row, 2, _number_goal(goal.content, goal_index + 1), "text", to=(row, width))
        for column, (_, heading) in enumerate(columns, start=1):
            w.put(row + 1, column, heading, "label", to=(row + below, column))
        if regions:
            first = len(columns) + 1
            w.put(row + 1, first, _REGIONS_HEADING, "label", to=(row + 1, first + len(regions) - 1))
            for column, region in enumerate(regions, start=first):
                w.put(row + 2, column, region, "label")
        _write_indicators(w, row + 1 + below, goal.indicators, names, regions)
        row += 1 + below + len(goal.indicators)
        fields.extend(_indicator_fields(goal_index, goal.indicators, regions))
    return row, fields


def _regions(goals: Sequence[Goal]) -> list[str]:
    """The region columns of a sheet's indicator tables: each region some indicator has a target for, as first met."""
    indicators = (indicator for goal in goals for indicator in goal.indicators)
    return list(dict.fromkeys(item.region for indicator in indicators for item in indicator.regional_targets))


def _table_width(goals: Sequence[Goal]) -> int:
    """The columns the indicator tables take."""
    return len(_table_fields(goals)) + len(_regions(goals))


def _write_unit(w: _Writer, row: int, unit: Unit, width: int, *, amounts: bool) -> None:
    w.put(row, 1, unit.code, "plain")
    w.put(row, 2, unit.name, "plain", to=(row, width - 2 if amounts else width))
    if amounts:
        w.put(row, width - 1, _AMOUNT_UNIT, "plain", to=(row, width))


_COLUMN_WIDTHS: Final = (16, 14, 22, 26, 14, 18, 10)
