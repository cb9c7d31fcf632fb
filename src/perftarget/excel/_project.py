"""The project target table (项目绩效目标表): written as published, read back with what real files contain.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

from perftarget._model.targets import TABLE_FORMS, Budget, CostItem, Detail, Measure, ProjectTargets, Unit
from perftarget._values.schedule import Checkpoint, SpendingSchedule, checkpoint_date
from perftarget.excel._grid import _NOT_APPLICABLE, _Cell, _display, _Grid, _label_key, _openpyxl, _Problems, _Reader
from perftarget.excel._layout import _Segment, _segments, _unexpected, _value_after
from perftarget.excel._layouts import label_roles, note_row
from perftarget.excel._targets import (
    _COLUMN_WIDTHS,
    _WIDTH,
    _Block,
    _collect_tables,
    _goals,
    _header_columns,
    _measures,
    _read_block,
    _suppression,
    _Table,
    _table_values_of,
    _table_width,
    _unit,
    _unit_of,
    _write_goals,
    _write_measures,
    _write_unit,
    _year,
)
from perftarget.excel._writer import _Fields, _Writer
from perftarget.exceptions import InvalidValueError, WorkbookError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["read_project_sheet", "write_project_sheet"]

def _project_labels() -> dict[str, str]:
    """Label key -> row kind, over every project layout (:mod:`perftarget.excel._layouts`)."""
    return label_roles("project")


_BUDGET_NAMES: Final = {"total": "预算数", "fiscal": "财政资金", "other": "其他资金"}
_BUDGET_LABELS: Final = {
    **dict.fromkeys(("预算数", "预算总额", "资金总额", "年度资金总额", "当年年度预算", "年度资金申请总额"), "total"),
    **dict.fromkeys(("财政资金", "财政拨款", "当年财政拨款"), "fiscal"),
    **dict.fromkeys(("其他资金", "其它资金", "其他"), "other"),
}
"""The budget's parts by label (``其中：`` removed); a budget row's other labels are the layout's details."""
_INLINE_PART: Final = re.compile(
    r"(?:其中[:：]?)?(" + "|".join(sorted(map(re.escape, _BUDGET_LABELS), key=len, reverse=True)) + r")[:：]?"
)
"""A budget part's label inside one cell that holds them all (福建 ``资金总额：30　其中：财政拨款30　其他资金``)."""


# --- reading ---------------------------------------------------------------------------------------


_PROJECT_FIELDS: Final = frozenset(
    {
        "year", "year_assumed", "schedule.start_month", "schedule.multi_year", "schedule.checkpoints.date",
        "suppressions", "costs.years", "form",
    }
)
_ANY_YEAR: Final = 2000
_REQUIRED: Final = (("name", "项目名称"), ("budget", "预算规模及资金用途"))
_SINGLE: Final = {
    "code": "the project code",
    "name": "the project name",
    "department": "主管部门",
    "implementer": "实施单位",
    "category": "项目类别",
    "nature": "项目性质",
    "grounds": "立项依据",
    "carryover": "上年结转资金",
    "unit_name": "部门(单位)名称",
    "unit_code": "部门预算编码",
}
"""Label rows with one value each; a row may hold several (``项目类别 | … | 项目性质 | …``)."""
_TOTAL: Final = frozenset({"合计", "总计", "合 计"})
_COST_HEADINGS: Final = {
    "项目": "name",
    "本年度申请金额": "amount",
    "资金测算依据及说明": "basis",
    "上年度实际执行": "prior",
    "上年度预算安排": "prior_budget",
}
"""Cost build-up headings read by name (黑龙江 项目支出内容及明细预算); the others by place: name, 金额, 依据, years."""
_DEPARTMENT_ROW: Final = "部门预算数"
"""The detail that keeps a department's row above its projects (四川: its code and name, its total)."""
_BY_SOURCE: Final = "本年度申请金额"
"""The heading that makes a budget block a table by source (黑龙江 项目资金情况: 资金来源 | prior years | this year)."""


class _ProjectReader(_Reader):
    """Reads one project table (项目绩效目标表) in any registered project layout."""

    def __init__(self, grid: _Grid, problems: _Problems) -> None:
        super().__init__(grid, problems)
        self.once: dict[str, _Segment] = {}
        self.values: dict[str, tuple[_Cell, _Cell | None]] = {}
        self.amount_unit = "万元"
        self.measures: list[Measure] = []
        self.costs: list[CostItem] = []
        self.cost_total: Decimal | None = None
        self.details: list[Detail] = []
        self.unit_above: Unit | None = None
        self.detail_columns: dict[int, int] = {}
        """A budget detail's column -> its index in ``details`` (兵团 项目资金总额: its own set of columns)."""

    def other(self, segment: _Segment) -> bool:
        if segment.kind == "measures" and segment.label is not None and segment.label.column > self.grid.left:
            self.measures.append(Measure(self.text(self.grid.after(segment.label), "the measure")))  # under a goal
            _unexpected(self, segment.rows[1:])
            return True
        if segment.kind == "measures":
            self.measures.extend(_measures(self, segment.rows))
            return True
        if segment.kind == "detail":
            for row in segment.rows:
                self.pairs(row, loose=True)
            return True
        if segment.kind not in ("budget", "plan", "costs", *_SINGLE):
            return False
        first = self.once.setdefault(segment.kind, segment)
        if first is not segment:
            where = self.grid.where(first.label) if first.label else "?"
            self.problem(segment.label, f"a second {_display(segment.label)} row (the first is {where})")
        elif segment.kind == "costs":
            self.read_costs(segment)
        elif segment.kind in _SINGLE:
            _unexpected(self, segment.rows[1:])
            self.pairs(segment.rows[0])
        return True

    def pairs(self, row: int, *, loose: bool = False) -> None:
        """The label/value pairs of one row: ``项目类别 | 专项业务类 | 项目性质 | 延续性项目``.

        A detail's further values are kept with it (``项目实施进度计划 | 项目实施内容 | 开始时间 |
        完成时间``: text ``项目实施内容 | 开始时间 | 完成时间``); with ``loose`` (a row under a
        detail label) a row whose first cell is no label is a detail named by that cell. The cell
        right after a label (after its merged range) is its value, whatever it says (a project
        named 上年结转 is a name); a label-looking cell past a blank one starts the next pair
        (``项目类别 | | 项目性质 | …``: 项目类别 has no value).
        """
        labels = _project_labels()
        cells = [cell for cell in self.grid.items(row) if not cell.continued]
        index = 0
        current = ""
        while index < len(cells):
            cell = cells[index]
            kind = labels.get(_label_key(_display(cell)))
            if current == "detail" and kind is None:
                last = self.details[-1]
                text = f"{last.text} | {_display(cell)}" if last.text else _display(cell)
                self.details[-1] = Detail(last.label, text)
                index += 1
                continue
            if (
                kind == "detail"
                or (kind == "implementer" and self.implementer_apart(cells, index))
                or (loose and index == 0 and kind is None)
            ):
                value = cells[index + 1] if index + 1 < len(cells) else None
                if (
                    value is not None
                    and labels.get(_label_key(_display(value))) is not None
                    and self.grid.after(cell) != value
                ):
                    value = None  # a label with a blank value, then the next label
                self.details.append(Detail(_display(cell).strip(), _display(value)))
                current = "detail"
                index += 1 if value is None else 2
                continue
            if kind in _SINGLE and (kind not in self.values or index == 0):
                value = cells[index + 1] if index + 1 < len(cells) else None
                if (
                    value is not None
                    and labels.get(_label_key(_display(value))) in _SINGLE
                    and self.grid.after(cell) != value
                ):
                    value = None  # a label with a blank value, then the next label
                self.values[kind] = (cell, value)
                current = kind
                index += 1 if value is None else 2
                continue
            what = _SINGLE.get(current, "the label")
            self.problem(cell, f"expected one value for {what}, found another: {_display(cell)!r}")
            index += 1

    def implementer_apart(self, cells: list[_Cell], index: int) -> bool:
        """Whether a 实施单位 names a body other than the unit above the table (then it is a detail)."""
        value = cells[index + 1] if index + 1 < len(cells) else None
        return self.unit_above is not None and value is not None and _display(value) != self.unit_above.name

    def value(self, kind: str) -> str:
        found = self.values.get(kind)
        return self.text(found[1], _SINGLE[kind]) if found and found[1] is not None else ""

    def read_costs(self, segment: _Segment) -> None:
        """The cost build-up: 预算成本构成 | 金额 | 测算（公式）依据 | the prior years' actuals…, and 合计.

        Headings of :data:`_COST_HEADINGS` are read by name (黑龙江 项目 | 上年度预算安排 | 上年度实际执行 |
        本年度申请金额 | 资金测算依据及说明, under a label of its own); the others by place.
        """
        grid = self.grid
        headings = grid.items(segment.rows[0])
        named = {role: cell.column for cell in headings if (role := _COST_HEADINGS.get(_label_key(_display(cell))))}
        if "name" in named:  # the block's label stands left of the 项目 column
            headings = [cell for cell in headings if cell.column >= named["name"]]
        columns = [cell.column for cell in headings]
        placed = [column for column in columns if column not in named.values()]
        roles = dict(zip(("name", "amount", "basis"), placed, strict=False))
        prior_columns = [named["prior"]] if "prior" in named else placed[3:]
        roles.update({role: column for role, column in named.items() if role != "prior"})
        for row in segment.rows[1:]:
            cells = {role: grid.at(row, column) for role, column in roles.items()}
            name = self.text(cells.get("name"), "a cost item")
            amount = self.amount(cells.get("amount"), "金额")
            prior = tuple(self.amount(grid.at(row, column), "an actual of a prior year") for column in prior_columns)
            prior_budget = self.amount(cells.get("prior_budget"), "上年度预算安排")
            if _label_key(name) in _TOTAL:
                self.cost_total = amount
                self.cost_sums(row, prior_columns, cells.get("prior_budget"), prior, prior_budget)
                continue
            basis = self.text(cells.get("basis"), "测算依据")
            for cell in grid.items(row):
                if cell.column not in columns and not cell.continued:
                    self.problem(cell, f"a value in a column without a heading: {_display(cell)!r}")
            self.costs.append(CostItem(name, amount, basis, prior, prior_budget))

    def cost_sums(
        self, row: int, prior_columns: list[int], budget_cell: _Cell | None,
        prior: tuple[Decimal | None, ...], prior_budget: Decimal | None,
    ) -> None:
        """The 合计 row's prior-year figures: not kept, so each must be its column's sum (else reported)."""
        sums = [(self.grid.at(row, column), total, [item.prior[k] for item in self.costs if k < len(item.prior)])
                for k, (column, total) in enumerate(zip(prior_columns, prior, strict=True))]
        sums.append((budget_cell, prior_budget, [item.prior_budget for item in self.costs]))
        for cell, total, parts in sums:
            added = sum((part for part in parts if part is not None), Decimal(0))
            if total is not None and total != added:
                self.problem(cell, f"合计 {total} is not the sum of the column above ({added}): it is not kept")

    def amount(self, cell: _Cell | None, what: str) -> Decimal | None:
        return self.number(cell, what, ("万元", "元"), plain=self.amount_unit, to="万元")

    def read(self, year: int | None) -> ProjectTargets | None:
        before = len(self.problems)
        segments, block_start = _segments(self.grid, _project_labels(), _header_columns)
        title, unit, self.amount_unit = _unit(self, segments[0].rows)
        self.unit_above = unit
        tables = _collect_tables(self, segments[1:], self.other)
        block = _read_block(self, block_start, _PROJECT_FIELDS)
        table_values = _table_values_of(tables)
        for kind, label in _REQUIRED:
            if kind not in self.once and not table_values.get({"name": "project_name"}.get(kind, kind)):
                self.problem(None, f"no {label} row")
        code = self.value("code")
        name = self.value("name") or "\n".join(table_values.get("project_name", ()))
        if not name and "name" in self.once:
            self.problem(self.once["name"].label, "the project name is blank")
        listed = self.listed(tables)
        if unit is None and "unit_name" in self.values:  # a label row: 部门(单位)名称 | … | 部门预算编码 | …
            unit = Unit(self.value("unit_code"), self.value("unit_name"))
        elif "unit_name" in self.values:
            self.problem(self.values["unit_name"][0], f"a second unit: {unit} is named above the table")
        if unit is None and "unit_name" in listed:
            unit = _unit_of(self, listed["unit_name"], [(listed["unit_name"], _display(listed["unit_name"]))])
        unit = self.unit(unit)
        budget, purpose = self.budget()
        if budget is None and "budget" not in self.once and "budget" in listed:
            total = self.amount(listed["budget"], "预算数")
            budget = Budget(total=total) if total is not None else None
        the_year, assumed = _year(self, block, title, year)
        schedule = self.schedule(the_year, block)
        goals = _goals(self, tables, block)
        carryover = self.values.get("carryover")
        carried = self.amount(carryover[1], "上年结转资金") if carryover else None
        suppressions = [_suppression(self, where, values) for where, values in block.suppressions]
        measures = [*self.measures, *map(Measure, table_values.get("measures", ()))]
        self.prior_years(block)
        form = self.form(block.first("form"))
        if len(self.problems) > before or unit is None or budget is None or the_year is None:
            return None
        try:
            return ProjectTargets(
                unit=unit, code=code, name=name, year=the_year, budget=budget, purpose=purpose, schedule=schedule,
                goals=tuple(goals), year_assumed=assumed, suppressions=tuple(s for s in suppressions if s),
                department=self.value("department"), category=self.value("category"), nature=self.value("nature"),
                grounds=self.value("grounds"), carryover=carried, costs=tuple(self.costs),
                cost_total=self.cost_total, measures=tuple(measures),
                form=form, details=tuple(self.details),
            )
        except InvalidValueError as exc:
            self.problem(None, str(exc))
            return None

    def listed(self, tables: list[_Table]) -> dict[str, _Cell]:
        """The unit and budget a one-row-an-indicator table lists in its columns (四川 单位名称, 预算数).

        The project's are on its own first row (where its 项目名称 is); a row above it giving
        a unit and an amount but no project (the department's row, with its total over all its
        projects) is kept as the detail ``部门预算数``: its cells as printed (``820-马踏镇部门 |
        8827620.53``). One on any other row is reported (a sheet of several projects is read as one
        view a project, :func:`_project_grids`, so this is a row without its 项目名称).
        """
        found: dict[str, _Cell] = {}
        above: dict[int, list[_Cell]] = {}
        for table in tables:
            names = table.cells.get("project_name", [])
            for field in ("unit_name", "budget"):
                for cell in table.cells.get(field, []):
                    if any(name.row == cell.row for name in names) and field not in found:
                        found[field] = cell
                    elif names and cell.row < names[0].row:  # the department's row
                        above.setdefault(cell.row, []).append(cell)
                    elif not names or field in found:
                        what = "the department's row" if cell.row < (names[0].row if names else 0) else "a row"
                        self.problem(cell, f"{what} {_display(cell)!r} is not a project's: a 单位名称 or 预算数 "
                                     "is read on the row of its 项目名称")
        for row in sorted(above):
            shown = [_display(cell) for cell in self.grid.items(row) if not cell.continued]
            self.details.append(Detail(_DEPARTMENT_ROW, " | ".join(text for text in shown if text)))
        return found

    def prior_years(self, block: _Block) -> None:
        """Each cost item's prior years as the block counts them (when the items had unequal counts)."""
        counts = list(block.fields.get("costs.years", ()))
        while counts and counts[-1] is None:
            counts.pop()
        if "costs.years" not in block.fields:
            return
        if len(counts) != len(self.costs):
            self.problem(counts[0] if counts else None, f"costs.years gives {len(counts)} counts for "
                         f"{len(self.costs)} cost items: the table was edited; correct or delete this row")
            return
        for index, (cell, item) in enumerate(zip(counts, self.costs, strict=True)):
            count = self.integer(cell, "costs.years")
            if count is not None and 0 <= count <= len(item.prior):
                self.costs[index] = attrs.evolve(item, prior=item.prior[:count])
            elif count is not None:
                self.problem(cell, f"costs.years must be 0 to {len(item.prior)}, not {count}")

    def unit(self, unit: Unit | None) -> Unit | None:
        """The unit above the table, else the 实施单位 row's; ``None`` (reported) when neither gives one."""
        implementer = self.value("implementer")
        if unit is None and implementer:
            return Unit("", implementer)
        if unit is None:
            self.problem(None, "no row with the budget unit's code and name (or 单位名称：…) above the table")
        elif implementer and implementer != unit.name:
            where = self.values["implementer"][1]
            self.problem(where, f"实施单位 {implementer!r} is not the unit above the table ({unit.name!r})")
        return unit

    def form(self, cell: _Cell | None) -> str:
        """The table's form from the perftarget block (absent: a target table)."""
        if cell is None:
            return TABLE_FORMS[0]
        text = self.text(cell, "form")
        if text not in TABLE_FORMS:
            self.problem(cell, f"form must be one of {', '.join(TABLE_FORMS)}, not {text!r}")
            return TABLE_FORMS[0]
        return text

    def budget(self) -> tuple[Budget | None, str]:
        """The budget rows: label/value pairs (预算数 | 50 | 其中：财政资金 | 50 ...), then the fund use.

        A row after the first whose first cell is a budget part or a detail label (重庆's
        当年年度预算, 其中：财政资金, 年度预算执行率 | 100% | 分值 | 10分) is read as pairs too; the
        layout's detail labels are kept as :class:`~perftarget.Detail`; the second row is
        otherwise the fund use (资金用途), as it always is when it is one cell merged over the row
        (as written: a use that reads ``资金总额`` is a use, not a label).
        """
        segment = self.once.get("budget")
        if segment is None:
            return None, ""
        grid = self.grid
        labels = _project_labels()
        row = segment.rows[0]
        cells: dict[str, _Cell | None] = {}
        purpose = ""
        headings = [cell for cell in grid.items(row) if cell.column > grid.left and not cell.continued]
        if any(_label_key(_display(cell)) == _BY_SOURCE for cell in headings):
            return self.budget_of(self.by_source(segment, headings), row), purpose
        for index, line in enumerate(segment.rows):
            items = [cell for cell in grid.items(line) if cell.column > grid.left and not cell.continued]
            merged_use = index == 1 and len(items) == 1 and grid.last_column(items[0]) > items[0].column
            pairs = items and (self.budget_label(items[0], labels) or items[0].column in self.detail_columns)
            if index and items and (merged_use or not pairs):
                if index == 1:
                    purpose = _value_after(self, line, "the fund use (资金用途)")
                else:
                    _unexpected(self, [line])
                continue
            self.budget_pairs(items, cells, labels)
        return self.budget_of(cells, row), purpose

    def budget_of(self, cells: dict[str, _Cell | None], row: int) -> Budget | None:
        """The budget from the cells of its parts (``None``, reported, without a total)."""
        amounts = {
            kind: self.number(cell, _BUDGET_NAMES[kind], ("万元", "元"), plain=self.amount_unit, to="万元")
            for kind, cell in cells.items()
        }
        total = amounts.get("total")
        where = cells.get("total") or (row, self.grid.left)
        if total is None:
            if _display(cells.get("total")) in ("", *_NOT_APPLICABLE):  # else number() said what is wrong
                self.problem(where, "预算数 (the budget total) is missing")
            return None
        try:
            return Budget(total=total, fiscal=amounts.get("fiscal"), other=amounts.get("other"))
        except InvalidValueError as exc:
            self.problem(where, str(exc))
            return None

    def by_source(self, segment: _Segment, headings: list[_Cell]) -> dict[str, _Cell | None]:
        """A budget table by source (黑龙江 资金来源 | 上年度预算安排 | 上年度实际执行 | 本年度申请金额).

        The budget is the 本年度申请金额 column (合计 the total, 财政拨款 the fiscal part, 其他资金 the
        other); each other column, the prior year's figures, is a :class:`~perftarget.Detail` named
        by its heading, its text the sources with their figures as printed (``合计 30.00 | 财政拨款 30.00``).
        """
        grid = self.grid
        source = headings[0].column
        amount = next(cell.column for cell in headings if _label_key(_display(cell)) == _BY_SOURCE)
        priors = [cell for cell in headings[1:] if cell.column != amount]
        known = {source, amount, *(cell.column for cell in priors)}
        cells: dict[str, _Cell | None] = {}
        texts: dict[int, list[str]] = {cell.column: [] for cell in priors}
        for line in segment.rows[1:]:
            label = grid.at(line, source)
            key = _label_key(_display(label)).removeprefix("其中").lstrip(":")
            kind = "total" if key in _TOTAL else _BUDGET_LABELS.get(key)
            if kind is None:
                what = f"expected a source (合计, 财政拨款, 其他资金), not {_display(label)!r}"
                self.problem(label or (line, source), what)
                continue
            cells[kind] = grid.at(line, amount)
            for prior in priors:
                shown = _display(grid.at(line, prior.column))
                if shown:
                    texts[prior.column].append(f"{_display(label).strip()} {shown}")
            for cell in grid.items(line):
                if cell.column > grid.left and cell.column not in known and not cell.continued:
                    self.problem(cell, f"a value in a column without a heading: {_display(cell)!r}")
        self.details.extend(Detail(_display(prior).strip(), " | ".join(texts[prior.column])) for prior in priors)
        return cells

    def budget_pairs(self, items: list[_Cell], cells: dict[str, _Cell | None], labels: dict[str, str]) -> None:
        """One budget row's label/value pairs: the budget's parts into ``cells``, details kept.

        A row printing a detail beside the budget total (兵团 ``项目资金总额： | 1500 | 年度资金申请总额 |
        1500``: the whole project's funds, then the year's) has two sets of columns: what the rows
        below print in the detail's column (``其中：财政资金 | 1500``, ``上年结转资金``) is kept with it,
        as printed (``1500.00 | 其中：财政资金 1500.00 | 上年结转资金``).
        """
        used: set[int] = set()
        kept: dict[int, int] = {}
        for cell in items:
            if cell.column in used:
                continue
            inline = self.inline_parts(cell)
            if inline is not None:
                cells.update(inline)
                used.add(cell.column)
                continue
            value = self.grid.after(cell)
            kind = _BUDGET_LABELS.get(_label_key(_display(cell)).removeprefix("其中").lstrip(":"))
            if value is not None and (kind is None or cell.column in self.detail_columns):
                value = None if self.budget_label(value, labels) else value  # a label with a blank value
            if cell.column in self.detail_columns:
                index = self.detail_columns[cell.column]
                shown = " ".join(text for text in (_display(cell).strip(), _display(value)) if text)
                self.details[index] = Detail(self.details[index].label, f"{self.details[index].text} | {shown}")
            elif kind is not None:
                cells[kind] = value
                if kind == "total":
                    self.detail_columns.update(kept)
            elif labels.get(_label_key(_display(cell))) == "detail":
                kept[cell.column] = len(self.details)
                self.details.append(Detail(_display(cell).strip(), _display(value)))
            else:
                self.problem(cell, f"unexpected cell in the budget row: {_display(cell)!r}")
                continue
            used |= {cell.column, value.column if value else 0}

    @staticmethod
    def inline_parts(cell: _Cell) -> dict[str, _Cell | None] | None:
        """The budget's parts written inside one cell, each label followed by its amount or nothing.

        ``资金总额：30　其中：财政拨款30　其他资金`` gives the total 30, the fiscal part 30 and no
        other part (blank, as a blank cell would be); each amount is read as if in a cell of its
        own at this cell. ``None`` when the cell does not start with a budget part's label or
        names only one part (then it is a label whose value is the next cell).
        """
        if not isinstance(cell.value, str):
            return None
        text = "".join(cell.value.split())
        found = list(_INLINE_PART.finditer(text))
        if len(found) < 2 or found[0].start() != 0:  # noqa: PLR2004 - one label is a label cell
            return None
        parts: dict[str, _Cell | None] = {}
        for match, following in zip(found, [*found[1:], None], strict=True):
            amount = text[match.end() : following.start() if following else len(text)]
            parts[_BUDGET_LABELS[match.group(1)]] = attrs.evolve(cell, value=amount) if amount else None
        return parts

    @staticmethod
    def budget_label(cell: _Cell, labels: dict[str, str]) -> bool:
        """Whether a cell is a budget part's label or a detail label."""
        key = _label_key(_display(cell))
        return key.removeprefix("其中").lstrip(":") in _BUDGET_LABELS or labels.get(key) == "detail"

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


def _project_starts(grid: _Grid) -> tuple[tuple[int, dict[str, _Cell]] | None, list[int]]:
    """The indicator header (row, columns) and the first row of each project its 项目名称 column names.

    No starts when the header has no 项目名称 column (the sheet is one project, named by a label row).
    A project starts at each row where a 项目名称 cell starts (a merged range's first row, or a
    printed cell) naming another project than the row above's (an export repeats the name on every
    row), up to the perftarget block; a repeated header or a note row below is none.
    """
    header = None
    for row in grid.rows():
        fields = _header_columns(grid.items(row))
        if fields is not None:
            header = (row, fields)
            break
    if header is None or "project_name" not in header[1]:
        return header, []
    column = header[1]["project_name"].column
    note = note_row("below")
    starts: list[int] = []
    current = ""
    for row in grid.rows(header[0] + 1):
        items = grid.items(row)
        if items and _display(items[0]).lower().startswith("perftarget"):
            break
        cell = grid.at(row, column)
        if (
            cell is None or not cell.leading or cell.continued or _header_columns(items) is not None
            or all(note.match(_label_key(_display(item))) for item in items)
            or _display(cell) == current
        ):
            continue
        starts.append(row)
        current = _display(cell)
    return header, starts


def _project_grids(grid: _Grid) -> list[_Grid]:
    """The sheet as one grid a project: itself, or one view a project when its rows name several (四川 申报表).

    A layout whose indicator header has a 项目名称 column (四川 单位名称 | 项目名称 | 预算数 | 年度目标 | …,
    printed once a project, merged down its rows or blank below) may hold many projects on one sheet;
    each runs from its first row (:func:`_project_starts`) to the next one's. Each view keeps the
    rows above the header and the header; the first project's also the rows between the header and
    it (the department's row, kept as the detail 部门预算数). A 单位名称 printed once for several
    projects (merged down them, or blank below) is each one's. Rows keep their numbers, so a problem
    names the sheet's own cell (``Sheet!A12``).
    """
    header, starts = _project_starts(grid)
    if header is None or len(starts) < 2:  # noqa: PLR2004 - one project: the sheet as it is
        return [grid]
    header_row, fields = header
    rows = grid.rows()
    above = [row for row in rows if row <= header_row]
    ends = [*starts[1:], grid.max_row + 1]
    unit = fields.get("unit_name")
    views: list[_Grid] = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        first = header_row + 1 if index == 0 else start
        borrowed: dict[tuple[int, int], tuple[int, int]] = {}
        if unit is not None and index and grid.at(start, unit.column) is None:  # printed once above: inherited
            source = next((row for row in reversed(starts[:index]) if grid.at(row, unit.column) is not None), None)
            if source is not None:
                borrowed[(start, unit.column)] = (source, unit.column)
        views.append(grid.view([*above, *(row for row in rows if first <= row < end)], borrowed))
    return views


def _read_projects(grid: _Grid, problems: _Problems, year: int | None) -> list[ProjectTargets]:
    """Every project of a target sheet, in sheet order (one, or one a 项目名称 for a 四川 申报表)."""
    found = (_ProjectReader(view, problems).read(year) for view in _project_grids(grid))
    return [project for project in found if project is not None]


def read_project_sheet(ws: Worksheet, *, year: int | None = None) -> ProjectTargets:
    """Read one project target table (项目绩效目标表) from an openpyxl worksheet.

    The sheet is laid out as :func:`write_project_sheet` writes it, or as a published
    table is (see the guide for what is tolerated). The year comes from the sheet's
    perftarget block, else from a ``20xx年`` in the title, else from ``year`` (the project
    is then marked :attr:`~perftarget.ProjectTargets.year_assumed`).

    Args:
        ws: an openpyxl worksheet.
        year: the budget year to use when the sheet gives none.

    A sheet that holds several projects (四川 申报表: a 项目名称 column naming more than one) is
    reported where each further one starts: :func:`~perftarget.excel.read_workbook` reads each.

    Raises:
        WorkbookError: listing every cell that could not be read, as ``sheet!A12: reason``.

    .. versionadded:: 0.1.0
    """
    problems = _Problems()
    grid = _Grid(ws)
    _, starts = _project_starts(grid)
    if len(starts) > 1:
        reader = _Reader(grid, problems)
        for row in starts[1:]:
            reader.problem((row, grid.left), f"a further project starts here ({len(starts)} on the sheet): "
                           "read_project_sheet reads one project; read_workbook() reads each")
        raise WorkbookError(problems.found)
    project = _ProjectReader(grid, problems).read(year)
    if project is None:
        raise WorkbookError(problems.found)
    return project


def _checkpoint_heading(checkpoint: Checkpoint, year: int, start_month: int) -> tuple[str, str | None]:
    """The printed heading, and the date to keep in the block when the heading does not say it."""
    if checkpoint.label is None:
        return checkpoint.date.isoformat(), None
    try:
        implied: dt.date | None = checkpoint_date(checkpoint.label, year, start_month)
    except (ValueError, OverflowError):
        implied = None
    return checkpoint.label, None if implied == checkpoint.date else checkpoint.date.isoformat()


_LABEL_ROWS: Final = (
    ("department", "主管部门"),
    ("category", "项目类别"),
    ("nature", "项目性质"),
    ("grounds", "立项依据"),
)


def _write_labels(w: _Writer, row: int, project: ProjectTargets, width: int) -> int:
    """The rows of what published layouts print besides, each only when given; the next free row."""
    for field, label in _LABEL_ROWS:
        value = getattr(project, field)
        if value:
            w.put(row, 1, label, "label")
            w.put(row, 2, value, "text", to=(row, width))
            row += 1
    if project.carryover is not None:
        w.put(row, 1, "上年结转资金", "label")
        w.number(row, 2, project.carryover, least=2)
        row += 1
    for detail in project.details:
        w.put(row, 1, detail.label, "label")
        w.put(row, 2, detail.text, "text", to=(row, width))
        row += 1
    return row


def _write_costs(w: _Writer, row: int, project: ProjectTargets) -> int:
    """The cost build-up (预算成本构成), when given: a heading row, one row a part, 合计; the next free row."""
    if not project.costs and project.cost_total is None:
        return row
    years = max((len(item.prior) for item in project.costs), default=0)
    headings = ["预算成本构成", "金额", "测算（公式）依据"]
    headings += [f"{project.year - years + k}年实际" for k in range(years)]
    budgets = any(item.prior_budget is not None for item in project.costs)
    headings += ["上年度预算安排"] if budgets else []
    for column, heading in enumerate(headings, start=1):
        w.put(row, column, heading, "label")
    for item in project.costs:
        row += 1
        w.put(row, 1, item.name)
        w.number(row, 2, item.amount, least=2)
        w.put(row, 3, item.basis, "text")
        for column in range(4, 4 + years):
            prior = item.prior[column - 4] if column - 4 < len(item.prior) else None
            w.number(row, column, prior, least=2)
        if budgets:
            w.number(row, 4 + years, item.prior_budget, least=2)
    if project.cost_total is not None:
        row += 1
        w.put(row, 1, "合计", "label")
        w.number(row, 2, project.cost_total, least=2)
    return row + 1


def _write_project(w: _Writer, project: ProjectTargets) -> None:
    schedule = project.schedule
    checkpoints = schedule.checkpoints if schedule is not None else ()
    years = max((len(item.prior) for item in project.costs), default=0)
    budgets = any(item.prior_budget is not None for item in project.costs)
    width = max(_WIDTH, 1 + len(checkpoints), _table_width(project.goals), 3 + years + budgets)
    w.widths(_COLUMN_WIDTHS)
    w.put(1, 1, f"{project.name}绩效目标表", "title", to=(1, width))
    _write_unit(w, 2, project.unit, width, amounts=True)
    w.put(3, 1, "项目编码", "label")
    w.put(3, 2, project.code, "text", to=(3, width))
    w.put(4, 1, "项目名称", "label")
    w.put(4, 2, project.name, "text", to=(4, width))
    row = _write_labels(w, 5, project, width)
    budget = project.budget
    w.put(row, 1, "预算规模及资金用途", "label", to=(row + 1, 1))
    parts = (("预算数", budget.total), ("其中：财政资金", budget.fiscal), ("其他资金", budget.other))
    for index, (label, amount) in enumerate(parts):
        w.put(row, 2 + 2 * index, label, "label")
        w.number(row, 3 + 2 * index, amount, least=2)
    w.put(row + 1, 2, project.purpose, "text", to=(row + 1, width))
    row += 2
    w.put(row, 1, "资金支出计划（%）", "label", to=(row + 1, 1))
    dates: list[object] = []
    for column in range(2, width + 1):
        if schedule is not None and column - 2 < len(checkpoints):
            checkpoint = checkpoints[column - 2]
            heading, stored = _checkpoint_heading(checkpoint, project.year, schedule.start_month)
            w.put(row, column, heading)
            w.number(row + 1, column, checkpoint.percent, percent=True)
            dates.append(stored)
        else:
            w.put(row, column, None)
            w.put(row + 1, column, None)
    row = _write_costs(w, row + 2, project)
    row, indicator_fields = _write_goals(w, row, project.goals, width)
    if project.measures:
        row = _write_measures(w, row, "保障绩效目标实现措施", project.measures, width)
    fields: _Fields = [("year", (project.year,)), ("year_assumed", (project.year_assumed,))]
    if schedule is not None:
        fields += [("schedule.start_month", (schedule.start_month,)), ("schedule.multi_year", (schedule.multi_year,))]
        if any(dates):
            fields.append(("schedule.checkpoints.date", dates))
    fields += [("suppressions", (s.code, s.reason)) for s in project.suppressions]
    if any(len(item.prior) != years for item in project.costs):
        fields.append(("costs.years", [len(item.prior) for item in project.costs]))
    if project.form != TABLE_FORMS[0]:
        fields.append(("form", (project.form,)))
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

