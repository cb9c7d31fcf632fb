"""The project target table (项目绩效目标表): written as published, read back with what real files contain.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

from perftarget._model.targets import TABLE_FORMS, Budget, ProjectTargets
from perftarget._values.schedule import Checkpoint, SpendingSchedule, checkpoint_date
from perftarget.excel._grid import _NOT_APPLICABLE, _Cell, _display, _Grid, _label_key, _openpyxl, _Problems, _Reader
from perftarget.excel._layout import _Segment, _segments, _unexpected, _value_after
from perftarget.excel._targets import (
    _COLUMN_WIDTHS,
    _WIDTH,
    _Block,
    _collect_tables,
    _goals,
    _header_columns,
    _read_block,
    _suppression,
    _unit,
    _write_goals,
    _write_unit,
    _year,
)
from perftarget.excel._writer import _Fields, _Writer
from perftarget.exceptions import InvalidValueError, WorkbookError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["read_project_sheet", "write_project_sheet"]

_PROJECT_LABELS: Final = {
    **dict.fromkeys(("项目编码", "项目代码", "项目编号"), "code"),
    **dict.fromkeys(("项目名称",), "name"),
    **dict.fromkeys(("预算规模及资金用途", "预算规模及用途", "资金规模及用途", "预算规模"), "budget"),
    **dict.fromkeys(("资金支出计划", "支出计划"), "plan"),
    **dict.fromkeys(("绩效目标", "年度绩效目标", "年度总体目标", "项目绩效目标", "总体绩效目标"), "goal"),
    **dict.fromkeys(("绩效指标", "年度绩效指标"), "heading"),
}

_BUDGET_NAMES: Final = {"total": "预算数", "fiscal": "财政资金", "other": "其他资金"}
_BUDGET_LABELS: Final = {
    **dict.fromkeys(("预算数", "预算总额", "资金总额", "年度资金总额"), "total"),
    **dict.fromkeys(("财政资金", "财政拨款"), "fiscal"),
    **dict.fromkeys(("其他资金",), "other"),
}


# --- reading ---------------------------------------------------------------------------------------


_PROJECT_FIELDS: Final = frozenset(
    {
        "year", "year_assumed", "schedule.start_month", "schedule.multi_year", "schedule.checkpoints.date",
        "suppressions", "form",
    }
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
        segments, block_start = _segments(self.grid, _PROJECT_LABELS, _header_columns)
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
        form = self.form(block.first("form"))
        if len(self.problems) > before or unit is None or budget is None or the_year is None:
            return None
        try:
            return ProjectTargets(
                unit=unit, code=code, name=name, year=the_year, budget=budget, purpose=purpose, schedule=schedule,
                goals=tuple(goals), year_assumed=assumed, suppressions=tuple(s for s in suppressions if s),
                form=form,
            )
        except InvalidValueError as exc:
            self.problem(None, str(exc))
            return None

    def form(self, cell: _Cell | None) -> str:
        """The table's form from the perftarget block (absent: a target table)."""
        if cell is None:
            return TABLE_FORMS[0]
        text = self.text(cell, "form")
        if text not in TABLE_FORMS:
            self.problem(cell, f"form must be one of {', '.join(TABLE_FORMS)}, not {text!r}")
            return TABLE_FORMS[0]
        return text

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
            if _display(cells.get("total")) in ("", *_NOT_APPLICABLE):  # else number() said what is wrong
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

