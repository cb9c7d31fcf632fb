"""The department part (部门整体绩效目标): duties, sub-goals with their indicator tables, guarantee measures.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Final

from perftarget._model.targets import DepartmentTargets, Measure
from perftarget.excel._grid import _display, _Grid, _Problems, _Reader
from perftarget.excel._layout import _Segment, _segments, _unexpected, _value_after
from perftarget.excel._targets import (
    _COLUMN_WIDTHS,
    _WIDTH,
    _collect_tables,
    _goals,
    _header_columns,
    _read_block,
    _unit,
    _write_goals,
    _write_unit,
    _year,
)
from perftarget.excel._writer import _Writer

_DEPARTMENT_TITLE: Final = "部门整体绩效目标"

_DEPARTMENT_LABELS: Final = {
    **dict.fromkeys(("总体绩效目标", "部门职责", "主要职责"), "duties"),
    **dict.fromkeys(("分项绩效目标",), "section"),
    **dict.fromkeys(("绩效目标", "年度绩效目标"), "goal"),
    **dict.fromkeys(("绩效指标", "年度绩效指标"), "heading"),
    **dict.fromkeys(("工作保障措施", "保障措施"), "measures"),
}


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
        segments, block_start = _segments(self.grid, _DEPARTMENT_LABELS, _header_columns)
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

