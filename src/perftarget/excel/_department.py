"""The department part (部门整体绩效目标): duties, sub-goals with their indicator tables, guarantee measures.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Final

from perftarget._model.targets import DepartmentTargets, Measure, Unit
from perftarget.excel._grid import _Grid, _Problems, _Reader
from perftarget.excel._layout import _Segment, _segments, _unexpected, _value_after
from perftarget.excel._layouts import label_roles
from perftarget.excel._targets import (
    _COLUMN_WIDTHS,
    _WIDTH,
    _collect_tables,
    _goals,
    _header_columns,
    _measures,
    _read_block,
    _table_values_of,
    _table_width,
    _unit,
    _write_goals,
    _write_measures,
    _write_unit,
    _year,
)
from perftarget.excel._writer import _Writer
from perftarget.exceptions import InvalidValueError

_DEPARTMENT_TITLE: Final = "部门整体绩效目标"

class _DepartmentReader(_Reader):
    """Reads the department part (部门整体绩效目标)."""

    def __init__(self, grid: _Grid, problems: _Problems) -> None:
        super().__init__(grid, problems)
        self.duties: list[str] = []
        self.measures: list[Measure] = []
        self.unit_name = ""

    def other(self, segment: _Segment) -> bool:
        if segment.kind == "section":
            _unexpected(self, segment.rows[1:])
        elif segment.kind == "duties":
            self.duties.extend(text for row in segment.rows if (text := _value_after(self, row, "a duty")))
        elif segment.kind == "measures":
            self.measures.extend(_measures(self, segment.rows))
        elif segment.kind == "unit_name":
            _unexpected(self, segment.rows[1:])
            self.unit_name = _value_after(self, segment.rows[0], "the unit's name")
        else:
            return False
        return True

    def read(self, year: int | None) -> DepartmentTargets | None:
        before = len(self.problems)
        segments, block_start = _segments(self.grid, label_roles("department"), _header_columns)
        title, unit, _ = _unit(self, segments[0].rows)
        tables = _collect_tables(self, segments[1:], self.other)
        block = _read_block(self, block_start, frozenset({"year", "year_assumed"}))
        the_year, assumed = _year(self, block, title, year)
        goals = _goals(self, tables, block)
        values = _table_values_of(tables)
        if unit is None:
            name = self.unit_name or "\n".join(values.get("unit_name", ()))
            unit = Unit("", name) if name else None
            if unit is None:
                self.problem(None, "no row with the budget unit's code and name (or 单位名称：…) above the table")
        duties = [*self.duties, *values.get("duties", ())]
        measures = [*self.measures, *map(Measure, values.get("measures", ()))]
        if len(self.problems) > before or unit is None or the_year is None:
            return None
        try:
            return DepartmentTargets(
                unit=unit, year=the_year, duties=tuple(duties), goals=tuple(goals), measures=tuple(measures),
                year_assumed=assumed,
            )
        except InvalidValueError as exc:  # a year the model refuses (a damaged file's 38), as for projects
            self.problem(None, str(exc))
            return None


def _write_department(w: _Writer, department: DepartmentTargets) -> None:
    width = max(_WIDTH, _table_width(department.goals))
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
    row = _write_measures(w, row, "工作保障措施", department.measures or (Measure(""),), width)
    w.block(row + 1, [("year", (department.year,)), ("year_assumed", (department.year_assumed,)), *fields])
    w.finish(row - 1, width)

