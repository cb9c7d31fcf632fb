"""The monitoring table (绩效运行监控表): a :class:`~perftarget.MonitoringReport` as published.

The published columns (domain notes §6.2, :data:`perftarget.MONITORING_COLUMNS`), columns
A to I:

- the title; 项目编码; 项目名称; 截至日期 (the report's ``as_of``);
- 预算执行情况（万元）: 年度预算数, 截至当期执行数, 执行率, 全年预计执行数;
- the indicators: 一级指标 and 二级指标 (merged), 三级指标, 年度指标值, 截至当期完成值,
  全年预计完成值, 完成目标可能性, 偏差原因分析, 备注.

The published table does not show the plan and time progress, the gaps, the ratio and its
status, the next checkpoint, what remains to spend, the projections, the findings or the
policy; the perftarget block below the table keeps them, so a sheet read back gives an
equal report. A sheet
without that block cannot be read into a report: the reader says which fields are missing.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from perftarget._judge.monitor import (
    MONITORING_COLUMNS,
    DeviationCause,
    Likelihood,
    MonitoringPolicy,
    MonitoringReport,
    cumulative_by_unit,
)
from perftarget._values.threshold import Achievement, Threshold
from perftarget.excel._block import _Count, _Derived, _leaves, _read_result, _write_block
from perftarget.excel._grid import (
    _INDICATOR_NUMBERING,
    _Cell,
    _display,
    _Grid,
    _is_filler,
    _label_key,
    _openpyxl,
    _Problems,
    _Reader,
)
from perftarget.excel._layout import _level_text, _resolve_levels, _Segment, _segments, _value_after
from perftarget.excel._writer import _Writer
from perftarget.exceptions import (
    InvalidActualError,
    MonitoringError,
    ThresholdSyntaxError,
    UnitMismatchError,
    WorkbookError,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["read_monitoring_sheet", "write_monitoring_sheet"]

_TITLE: Final = "项目绩效运行监控表"
_WIDTH: Final = 9  # columns A..I: the indicator columns
_COLUMN_WIDTHS: Final = (14, 16, 24, 14, 16, 16, 14, 16, 24)
_KEYED: Final = "indicators"
_DATE_FORMAT: Final = "yyyy-mm-dd"
_CHINESE_DATE: Final = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")

_LABELS: Final = {
    **dict.fromkeys(("项目编码", "项目代码", "项目编号"), "code"),
    **dict.fromkeys(("项目名称",), "name"),
    **dict.fromkeys(("截至日期", "监控时点", "截止日期", "监控截止日期", "截至时间", "监控日期"), "as_of"),
    **dict.fromkeys(("预算执行情况", "预算资金执行情况", "资金执行情况", "项目资金"), "funds"),
    **dict.fromkeys(("绩效目标完成情况", "绩效指标", "年度绩效指标", "绩效指标完成情况"), "heading"),
}

# The indicator table's columns: (field, printed heading, headings accepted when reading).
_COLUMNS: Final = (
    ("level1", MONITORING_COLUMNS[4], ("一级指标",)),
    ("level2", MONITORING_COLUMNS[5], ("二级指标",)),
    ("name", MONITORING_COLUMNS[6], ("三级指标", "三级指标名称")),
    ("target", MONITORING_COLUMNS[7], ("年度指标值", "指标值", "目标值")),
    ("value", MONITORING_COLUMNS[8], ("截至当期完成值", "当前执行情况", "截至当期完成情况", "累计完成值")),
    ("forecast", MONITORING_COLUMNS[9], ("全年预计完成值", "全年预计完成情况", "预计全年完成值")),
    ("likelihood", MONITORING_COLUMNS[10], ("完成目标可能性", "完成可能性")),
    ("cause", MONITORING_COLUMNS[11], ("偏差原因分析", "偏差原因")),
    ("note", MONITORING_COLUMNS[12], ("备注",)),
)
_HEADING_FIELDS: Final = {heading: field for field, _, headings in _COLUMNS for heading in headings}
_HEADINGS: Final = {field: heading for field, heading, _ in _COLUMNS}

_FUNDS: Final = (
    ("budget", MONITORING_COLUMNS[0], ("年度预算数", "全年预算数", "预算数")),
    ("spent", MONITORING_COLUMNS[1], ("截至当期执行数", "累计执行数", "执行数")),
    ("rate", MONITORING_COLUMNS[2], ("执行率", "预算执行率")),
    ("projected", MONITORING_COLUMNS[3], ("全年预计执行数", "预计全年执行数")),
)
_FUND_FIELDS: Final = {heading: field for field, _, headings in _FUNDS for heading in headings}
_FUND_NAMES: Final = {field: heading for field, heading, _ in _FUNDS}
_CONTENT: Final = ("name", "target", "value", "forecast", "likelihood", "cause", "note")  # not a template row


def _header_columns(items: Sequence[_Cell]) -> dict[str, _Cell] | None:
    """The indicator table's header (field -> heading cell), if the row is one."""
    fields: dict[str, _Cell] = {}
    for cell in items:
        field = _HEADING_FIELDS.get(_label_key(_display(cell)))
        if field is not None:
            fields.setdefault(field, cell)
    return fields if "name" in fields and ("value" in fields or "forecast" in fields) else None


# --- reading -----------------------------------------------------------------------------------------


class _MonitoringReader(_Reader):
    """Reads one monitoring table into the fields it shows (:meth:`derive`), then the block on top."""

    def __init__(self, grid: _Grid, problems: _Problems) -> None:
        super().__init__(grid, problems)
        self.block_start = grid.max_row + 1

    def read(self) -> MonitoringReport | None:
        before = len(self.problems)
        derived = self.derive()
        return _read_result(self, MonitoringReport, derived, self.block_start, _KEYED, before=before)

    def derive(self) -> _Derived:
        """Every field of the report the table gives, read as :class:`MonitoringReport` holds it."""
        segments, self.block_start = _segments(self.grid, _LABELS, _header_columns)
        derived = _Derived()
        leaves = derived.leaves
        seen: dict[str, _Segment] = {}
        for segment in segments:
            if segment.kind in ("preamble", "heading"):
                continue
            first = seen.get(segment.kind)
            if first is not None:
                where = self.grid.where(first.label) if first.label is not None else "?"
                self.problem(segment.label, f"a second {_display(segment.label)} part (the first is {where})")
                continue
            seen[segment.kind] = segment
        for kind, path, what in (("code", "project_code", "the project code"),
                                 ("name", "project_name", "the project name")):
            leaves[path] = _value_after(self, seen[kind].rows[0], what) if kind in seen else ""
        day = self.as_of(seen.get("as_of"))
        if day is not None:
            leaves.update({"as_of": day, "year_start": dt.date(day.year, 1, 1), "year_end": dt.date(day.year, 12, 31)})
        self.funds(seen.get("funds"), derived)
        if "header" in seen:
            self.lines(seen["header"], derived)
        else:
            self.problem(None, "no indicator table (a header row 一级指标 … 三级指标 … 截至当期完成值)")
        leaves.update(_leaves(MonitoringPolicy(), "policy"))
        return derived

    def as_of(self, segment: _Segment | None) -> dt.date | None:
        """The date of the report, from the 截至日期 row: a date cell, ``2022-07-31`` or ``2022年7月31日``."""
        if segment is None:
            self.problem(None, "no 截至日期 row (the date of the report)")
            return None
        cells = [cell for cell in self.grid.items(segment.rows[0]) if cell.column > self.grid.left]
        if not cells:
            self.problem(segment.label, "the date of the report (截至日期) is blank")
            return None
        cell = cells[0]
        match = _CHINESE_DATE.match(_display(cell))
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                self.problem(cell, f"截至日期 is not a date: {_display(cell)!r}")
                return None
        return self.date(cell, "截至日期")

    def funds(self, segment: _Segment | None, derived: _Derived) -> None:
        """年度预算数, 截至当期执行数, 执行率 and 全年预计执行数 from the row below their headings."""
        columns: dict[str, _Cell] = {}
        values_row: int | None = None
        for row in segment.rows if segment is not None else ():
            found = {
                _FUND_FIELDS[key]: cell
                for cell in self.grid.items(row)
                if not cell.continued and (key := _label_key(_display(cell))) in _FUND_FIELDS
            }
            if not columns and len(found) >= 2:  # noqa: PLR2004 - a heading row names several columns
                columns = found
            elif columns and values_row is None:
                values_row = row
        if segment is None or values_row is None:
            self.problem(segment.label if segment else None, "no budget execution (年度预算数 and 截至当期执行数 with "
                         "their values below)")
            return
        cells = {field: self.grid.at(values_row, cell.column) for field, cell in columns.items()}
        for field, path in (("budget", "budget"), ("spent", "spent"), ("rate", "execution_rate"),
                            ("projected", "projected_spent")):
            cell = cells.get(field)
            percent = field == "rate"
            units = ("%",) if percent else ("万元", "元")
            value = self.number(cell, _FUND_NAMES[field], units, plain="%" if percent else "万元",
                                to="" if percent else "万元")
            if value is None and field != "projected" and not _display(cell):
                self.problem(cell or (values_row, columns[field].column if field in columns else self.grid.left),
                             f"{_FUND_NAMES[field]} is missing")
            shown_percent = percent and cell is not None and "%" in cell.number_format.split(";", 1)[0]
            derived.number(path, value, cell, percent=shown_percent)

    def lines(self, header: _Segment, derived: _Derived) -> None:
        """The indicator rows as :class:`~perftarget.IndicatorProgress` fields."""
        grid = self.grid
        items = grid.items(header.rows[0])
        columns = {field: cell.column for field, cell in (_header_columns(items) or {}).items()}
        for cell in items:
            if _HEADING_FIELDS.get(_label_key(_display(cell))) is None:
                known = "、".join(_HEADINGS.values())
                self.problem(cell, f"unknown column heading {_display(cell)!r}; expected {known}")
        rows = [self.texts(row, columns) for row in header.rows[1:]]
        resolved = _resolve_levels([(texts["level1"], texts["level2"]) for _, texts, _ in rows])
        kept = [(row, texts, levels) for (row, texts, skip), levels in zip(rows, resolved, strict=True) if not skip]
        leaves = derived.leaves
        leaves[_KEYED] = _Count(len(kept))
        for index, (row, texts, (level1, level2)) in enumerate(kept):
            path = f"{_KEYED}[{index}]"
            leaves.update({f"{path}.path": f"goals[0].indicators[{index}]", f"{path}.name": texts["name"],
                           f"{path}.level1": _level_text(level1), f"{path}.level2": _level_text(level2),
                           f"{path}.target": texts["target"]})
            self.progress(row, columns, texts, path, derived)
            derived.names.append(texts["name"])

    def texts(self, row: int, columns: dict[str, int]) -> tuple[int, dict[str, str], bool]:
        """A row's texts by field, and whether it is a template or filler row (levels only)."""
        grid = self.grid
        texts = {}
        for field in _HEADINGS:
            cell = grid.at(row, columns[field]) if field in columns else None
            if field == "target" and cell is not None and cell.formula:  # "=100%" typed into Excel
                texts[field] = str(cell.value).strip()
            else:
                texts[field] = self.text(cell, _HEADINGS[field])
        texts["name"] = _INDICATOR_NUMBERING.sub("", texts["name"], count=1)
        for field in ("level1", "level2"):
            texts[field] = "" if _is_filler(texts[field]) else texts[field]
        if all(not texts[field] or _is_filler(texts[field]) for field in _CONTENT):  # a template or filler row
            return row, texts, True
        for cell in grid.items(row):
            if cell.column not in columns.values() and not cell.continued:
                self.problem(cell, f"a value in a column without a heading: {_display(cell)!r}")
        return row, texts, False

    def progress(self, row: int, columns: dict[str, int], texts: dict[str, str], path: str, derived: _Derived) -> None:
        """One line's values to date and forecast (in the target's unit, or bands), likelihood, cause and note."""
        grid = self.grid
        leaves = derived.leaves
        target_cell = grid.at(row, columns["target"]) if "target" in columns else None
        try:
            target = Threshold.parse(texts["target"])
        except ThresholdSyntaxError as exc:
            self.problem(target_cell or (row, grid.left), f"cannot read the target {texts['target']!r}: expected "
                         f"{exc.expected} at column {exc.column}")
            return
        quantitative = target.is_quantitative
        leaves.update({f"{path}.unit": target.unit if quantitative else "",
                       f"{path}.cumulative": quantitative and cumulative_by_unit(target.unit),
                       f"{path}.value": None, f"{path}.forecast": None, f"{path}.achievement": None,
                       f"{path}.forecast_achievement": None})
        for field, number_path, band_path in (("value", "value", "achievement"),
                                              ("forecast", "forecast", "forecast_achievement")):
            cell = grid.at(row, columns[field]) if field in columns else None
            if not texts[field]:
                continue
            if quantitative:
                number = self.quantity(cell, target, _HEADINGS[field])
                percent = cell is not None and "%" in cell.number_format.split(";", 1)[0]
                derived.number(f"{path}.{number_path}", number, cell, percent=percent)
            elif target.is_qualitative:
                band = Achievement.from_text(texts[field])
                if band is None:
                    message = (f"{_HEADINGS[field]} must be 达成, 部分达成 or 未达成 for the qualitative target "
                               f"{target.display!r}, not {texts[field]!r}")
                    self.problem(cell or (row, grid.left), message)
                leaves[f"{path}.{band_path}"] = None if band is None else band.value
            else:
                what = "blank (none printed)" if target.is_blank else "无 (not applicable)"
                self.problem(cell or (row, grid.left), f"the target is {what}: {_HEADINGS[field]} must be blank")
        if not quantitative or leaves[f"{path}.forecast"] is None:
            leaves[f"{path}.ratio"] = None
        leaves[f"{path}.likelihood"] = self.likelihood(row, columns, texts["likelihood"])
        leaves[f"{path}.deviation_cause"] = self.cause(row, columns, texts["cause"])
        leaves[f"{path}.note"] = texts["note"]

    def quantity(self, cell: _Cell | None, target: Threshold, what: str) -> Decimal | None:
        """A number in the target's unit: a number cell, or text with a unit (``96%``, ``40000元``)."""
        if cell is None:
            return None
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            return self.number(cell, what, ("%",))
        text = _display(cell)
        try:
            return target.actual_in_unit(text)
        except (InvalidActualError, UnitMismatchError) as exc:
            self.problem(cell, f"{what}: {exc}")
            return None

    def likelihood(self, row: int, columns: dict[str, int], text: str) -> str | None:
        if not text:
            return None
        for member in Likelihood:
            if text in (member.value, member.english, member.name):
                return member.value
        choices = ", ".join(member.value for member in Likelihood)
        self.problem((row, columns["likelihood"]), f"完成目标可能性 must be one of {choices}, not {text!r}")
        return None

    def cause(self, row: int, columns: dict[str, int], text: str) -> str | None:
        if not text:
            return None
        try:
            return DeviationCause.from_text(text).value
        except MonitoringError as exc:
            self.problem((row, columns["cause"]), f"偏差原因分析: {exc}; write free text in 备注")
            return None


def read_monitoring_sheet(ws: Worksheet) -> MonitoringReport:
    """Read a monitoring table (绩效运行监控表) from an openpyxl worksheet.

    The sheet is laid out as :func:`write_monitoring_sheet` writes it; the indicator table
    tolerates what target tables do (merged or blank level cells, numbering and filler
    rows, numbers as text with their unit, full-width characters). The fields the
    published table does not show come from the perftarget block below it; a sheet
    without it is reported, naming those fields.

    Args:
        ws: an openpyxl worksheet.

    Raises:
        WorkbookError: listing every cell that could not be read, as ``sheet!A12: reason``.

    .. versionadded:: 0.1.0
    """
    problems = _Problems()
    report = _MonitoringReader(_Grid(ws), problems).read()
    if report is None:
        raise WorkbookError(problems.found)
    return report


# --- writing -----------------------------------------------------------------------------------------


def _write_report(w: _Writer, report: MonitoringReport, places: int) -> None:
    width = _WIDTH
    w.widths(_COLUMN_WIDTHS)
    w.put(1, 1, _TITLE, "title", to=(1, width))
    for row, label, value in ((2, "项目编码", report.project_code), (3, "项目名称", report.project_name)):
        w.put(row, 1, label, "label")
        w.put(row, 2, value, "text", to=(row, width))
    w.put(4, 1, "截至日期", "label")
    w.put(4, 2, report.as_of, "text", to=(4, width), number_format=_DATE_FORMAT)
    w.put(5, 1, "预算执行情况（万元）", "label", to=(6, 1))
    for column, (_, heading, _) in enumerate(_FUNDS, start=2):
        w.put(5, column, heading, "label")
    w.shown(6, 2, report.budget, places)
    w.shown(6, 3, report.spent, places)
    w.shown(6, 4, report.execution_rate, places, percent=True)
    w.shown(6, 5, report.projected_spent, places)
    for column, (_, heading, _) in enumerate(_COLUMNS, start=1):
        w.put(7, column, heading, "label")
    lines = report.indicators
    w.levels(8, 1, [(line.level1, line.level2) for line in lines])
    for offset, line in enumerate(lines):
        row = 8 + offset
        w.put(row, 3, line.name)
        w.put(row, 4, line.target)
        for column, number, band in ((5, line.value, line.achievement), (6, line.forecast, line.forecast_achievement)):
            if band is not None:
                w.put(row, column, band.value)
            else:
                w.shown(row, column, number, places, percent=line.unit == "%", unit=line.unit)
        w.put(row, 7, None if line.likelihood is None else line.likelihood.value)
        w.put(row, 8, None if line.deviation_cause is None else line.deviation_cause.value)
        w.put(row, 9, line.note, "text")
    last = 7 + len(lines)
    derived = _MonitoringReader(_Grid(w.ws), _Problems()).derive()
    _write_block(w, last + 2, report, derived, _KEYED)
    w.finish(last, width)


def write_monitoring_sheet(ws: Worksheet, report: MonitoringReport, *, places: int = 2) -> None:
    """Write a monitoring report (绩效运行监控表) onto an empty openpyxl worksheet.

    The layout has the published columns (see the guide): the project's code, name and
    the date, the budget execution (年度预算数, 截至当期执行数, 执行率, 全年预计执行数), then one
    row per indicator with its level cells merged. Numbers are numbers, shown with
    ``places`` decimals (values in their unit: ``96.00%``, ``120.00次``). What the table
    does not show is kept in a block headed ``perftarget`` below it, so that
    :func:`read_monitoring_sheet` gives back an equal report; the print area leaves it out.

    Args:
        ws: an empty openpyxl worksheet.
        report: the report to write (from :func:`perftarget.monitor`).
        places: decimals shown (the numbers themselves keep every digit).

    Raises:
        WorkbookError: a text holds a character that a workbook cannot store.
        MissingDependencyError: openpyxl is not installed.

    .. versionadded:: 0.1.0
    """
    writer = _Writer(ws, _openpyxl())
    _write_report(writer, report, places)
    if len(writer.problems):
        raise WorkbookError(writer.problems.found)
