"""Excel workbooks: the published tables written and read back, target tables, self-evaluations and monitoring.

Needs the ``excel`` extra (``pip install "perftarget[excel]"``). openpyxl is imported on
first use, so ``import perftarget.excel`` works without it; calling a function without
it raises :class:`~perftarget.exceptions.MissingDependencyError`.

Three layouts are written as published and read back:

- the project target table (项目绩效目标表) and the department part (部门整体绩效目标):
  :func:`write_workbook` / :func:`read_workbook` for a whole
  :class:`~perftarget.Document`, :func:`write_project_sheet` / :func:`read_project_sheet`
  for one sheet;
- the 10号 self-evaluation table (项目支出绩效自评表) of a
  :class:`~perftarget.ProjectEvaluation`: :func:`write_evaluation_sheet` /
  :func:`read_evaluation_sheet`, :func:`write_evaluation_workbook`;
- the monitoring table (绩效运行监控表) of a :class:`~perftarget.MonitoringReport`:
  :func:`write_monitoring_sheet` / :func:`read_monitoring_sheet`,
  :func:`write_monitoring_workbook`.

:func:`sheet_kind` tells the layouts apart and :func:`read_any_workbook` reads a workbook
holding any of them. Target tables are also read in the provinces' published layouts
(:data:`LAYOUTS`: 河北, 湖南 整体/项目, 湖北 项目支出 ...); :func:`detect_layout` says which
one a sheet is in, or why none fits. Below each table, a block headed ``perftarget`` keeps what the
published layout cannot show, so that a table written and read back is equal to the
original.

Reading tolerates what real files contain (points after labels, numbering, filler rows,
blank cells under merged ones, 无 and ``/``, numbers stored as text, full-width
characters, extra blank rows and columns). Whatever it cannot read is reported, every
problem with its sheet and cell, in one :class:`~perftarget.exceptions.WorkbookError`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from perftarget.excel._layouts import LAYOUTS, Detection, Layout
from perftarget.excel._monitoring import read_monitoring_sheet, write_monitoring_sheet
from perftarget.excel._project import read_project_sheet, write_project_sheet
from perftarget.excel._selfeval import read_evaluation_sheet, write_evaluation_sheet
from perftarget.excel._workbook import (
    SheetKind,
    WorkbookContents,
    detect_layout,
    read_any_workbook,
    read_workbook,
    sheet_kind,
    write_evaluation_workbook,
    write_monitoring_workbook,
    write_workbook,
)

__all__ = [
    "LAYOUTS",
    "Detection",
    "Layout",
    "SheetKind",
    "WorkbookContents",
    "detect_layout",
    "read_any_workbook",
    "read_evaluation_sheet",
    "read_monitoring_sheet",
    "read_project_sheet",
    "read_workbook",
    "sheet_kind",
    "write_evaluation_sheet",
    "write_evaluation_workbook",
    "write_monitoring_sheet",
    "write_monitoring_workbook",
    "write_project_sheet",
    "write_workbook",
]
