"""The 10号 self-evaluation table (项目支出绩效自评表): a :class:`~perftarget.ProjectEvaluation` as published.

The layout is 财预〔2020〕10号 附件1's (domain notes §5.8), columns A to I:

- the title and ``（2022年度）``; 项目名称; 主管部门 and 实施单位;
- 项目资金（万元）: 年初预算数, 全年预算数（A）, 全年执行数（B）, 分值, 执行率（B/A）, 得分,
  on the rows 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金;
- 年度总体目标: 预期目标 and 实际完成情况;
- 年度绩效指标完成情况: 一级指标 (merged, with its points: ``产出指标(50分)``), 二级指标
  (merged), 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施;
- 总分: 100 and the total.

主管部门 and 实施单位 are the evaluation's ``department`` and ``unit``, 年初预算数 on the
年度资金总额 row its ``initial_budget``, the 年度总体目标 row's 预期目标 and 实际完成情况 its
``goal`` and ``outcome``: written from it and read as printed (四川's form labels them
年初预算, 项目年度目标 and 年度目标完成情况). An evaluation does not carry the 其中 rows: they
are written blank (their scores as ``—``) for people to fill in, and reading skips them.
Below the table, the perftarget block keeps the rest (the rule and formula of each line,
exact scores, the policy...), as for every result sheet.

.. versionadded:: 0.1.0
.. versionchanged:: 0.2.0
   主管部门, 实施单位, 年初预算数, 预期目标 and 实际完成情况 are written and read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from perftarget._judge.evaluate import DEFAULT_POLICY, ProjectEvaluation, ScoringPolicy
from perftarget._rulebook.scoring import add_up
from perftarget._values.numbers import format_number, round_half_up
from perftarget.excel._block import _Count, _Derived, _read_result, _write_block
from perftarget.excel._grid import (
    _INDICATOR_NUMBERING,
    _NOT_APPLICABLE,
    _YEAR_IN_TITLE,
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
from perftarget.excel._layouts import column_roles, labels_of
from perftarget.excel._targets import _with_comparator
from perftarget.excel._writer import _Writer
from perftarget.exceptions import WorkbookError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["read_evaluation_sheet", "write_evaluation_sheet"]

_TITLE: Final = "项目支出绩效自评表"
_WIDTH: Final = 9  # columns A..I: the section labels, then the eight indicator columns
_COLUMN_WIDTHS: Final = (14, 14, 16, 26, 16, 16, 10, 10, 30)
_FULL_MARKS: Final = Decimal(100)
_KEYED: Final = "items"

_LABELS: Final = {
    **dict.fromkeys(("项目名称",), "name"),
    **dict.fromkeys(("主管部门", "实施单位", "主管部门及代码"), "units"),
    **dict.fromkeys(("项目资金", "项目资金情况", "资金情况", "预算执行情况"), "funds"),
    **dict.fromkeys(("年度总体目标", "年度总体目标完成情况", "总体目标", "年度目标", "项目年度目标完成情况"), "goal"),
    **dict.fromkeys(("年度绩效指标完成情况", "绩效指标完成情况", "年度绩效指标", "绩效指标"), "heading"),
    **dict.fromkeys(("总分", "合计得分", "合计"), "total"),
}

# The labels of the 主管部门 / 实施单位 rows (this reader's, then the registry's evaluation layouts'), and the
# headings of the 年度总体目标 texts, by field.
_UNIT_FIELDS: Final = {
    **dict.fromkeys(labels_of("evaluation", "department"), "department"),
    **dict.fromkeys(labels_of("evaluation", "implementer"), "unit"),
    "主管部门": "department", "主管部门及代码": "department", "主管单位": "department",
    "实施单位": "unit", "项目实施单位": "unit",
}
_GOAL_FIELDS: Final = {"预期目标": "goal", "项目年度目标": "goal", "年度目标": "goal", "总体目标": "goal",
                       "实际完成情况": "outcome", "年度目标完成情况": "outcome", "目标完成情况": "outcome",
                       "完成情况": "outcome", "实际完成": "outcome"}
_TEXT_NAMES: Final = {"department": "主管部门", "unit": "实施单位", "goal": "预期目标", "outcome": "实际完成情况"}

# The indicator table's columns: (field, printed heading, headings accepted when reading).
_COLUMNS: Final = (
    ("level1", "一级指标", ("一级指标",)),
    ("level2", "二级指标", ("二级指标",)),
    ("name", "三级指标", ("三级指标", "三级指标名称")),
    ("target", "年度指标值", ("年度指标值", "指标值", "目标值", "年度目标值")),
    ("actual", "实际完成值", ("实际完成值", "全年实际值", "实际值", "完成值", "全年实际完成值")),
    ("weight", "分值", ("分值", "权重", "指标分值")),
    ("score", "得分", ("得分", "自评得分")),
    ("reason", "偏差原因分析及改进措施", ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因及改进措施",
                                          "原因分析及改进措施", "未完成原因分析及改进措施", "偏差原因")),
)
_HEADING_FIELDS: Final = {heading: field for field, _, headings in _COLUMNS for heading in headings}
_HEADINGS: Final = {field: heading for field, heading, _ in _COLUMNS}

_FUNDS: Final = (
    ("initial", "年初预算数", ("年初预算数", "年初预算")),
    ("budget", "全年预算数（A）", ("全年预算数", "全年预算", "调整后预算数")),
    ("spent", "全年执行数（B）", ("全年执行数", "全年执行", "执行数", "预算执行数")),
    ("weight", "分值", ("分值", "权重")),
    ("rate", "执行率（B/A）", ("执行率", "预算执行率")),
    ("score", "得分", ("得分",)),
)
_FUND_FIELDS: Final = {heading: field for field, _, headings in _FUNDS for heading in headings}
_FUND_NAMES: Final = {"budget": "全年预算数", "spent": "全年执行数", "weight": "预算执行率的分值", "rate": "执行率",
                      "score": "预算执行率的得分"}
_FUND_ROWS: Final = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
_TOTAL_ROW: Final = frozenset({"年度资金总额", "资金总额", "年度资金合计", "合计"})
_NOT_SCORED: Final = "—"

_Lines = list[tuple[str, Decimal | None, Decimal]]  # per line: level-1, weight (None for 无), score


_REGISTERED: Final = frozenset({*_HEADINGS, "unit_text", "comparator"})
"""The column roles of the registry's evaluation layouts this reader takes (四川 指标性质, 度量单位...)."""


def _heading_fields() -> dict[str, str]:
    """Heading key -> field: this reader's own, then the registry's evaluation layouts' (perftarget.excel._layouts)."""
    registered = {key: role for key, role in column_roles(("evaluation",)).items() if role in _REGISTERED}
    return {**registered, **_HEADING_FIELDS}


def _with_unit(target: str, unit: str) -> str:
    """A number with the unit its own column prints (度量单位 ``%``: ``=100`` reads as ``=100%``)."""
    return f"{target}{unit}" if unit and target[-1:].isdigit() else target


def _header_columns(items: Sequence[_Cell]) -> dict[str, _Cell] | None:
    """The indicator table's header (field -> heading cell), if the row is one."""
    fields: dict[str, _Cell] = {}
    headings = _heading_fields()
    for cell in items:
        field = headings.get(_label_key(_display(cell)))
        if field is not None:
            fields.setdefault(field, cell)
    return fields if "name" in fields and "score" in fields else None


def _places_of(cell: _Cell | None) -> int | None:
    """The decimals a number cell's format shows (``0.00`` → 2), or ``None`` when it does not say."""
    if cell is None or not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool):
        return None
    section = cell.number_format.split(";", 1)[0]
    match = re.search(r"\.([0#?]+)", section)
    if match:
        return len(match.group(1))
    return 0 if re.search(r"[0#?]", section) else None


def _is_placeholder(texts: Sequence[str]) -> bool:
    """Whether a row's texts (name, target, actual, reason, 分值, 得分) are all empty or filler: a template row."""
    return all(not text or _is_filler(text) for text in texts)


def _target_cell(name: str, target: str, actual: str, reason: str, *, applicable: bool) -> str:
    """The 年度指标值 a line is written with: its target, or 无 where the row would read as a template row.

    A 无 line prints no 分值 or 得分; with no name and a filler target (``……``) it would look like
    the template's filler rows, which reading skips. Writing 无 keeps it a row; the perftarget
    block keeps the target as it was.
    """
    texts = (_INDICATOR_NUMBERING.sub("", name.strip(), count=1), target.strip(), actual.strip(), reason.strip())
    return "无" if not applicable and _is_placeholder(texts) else target


def _sums(leaves: dict[str, object], lines: _Lines, budget_weight: Decimal, budget_score: Decimal | None) -> None:
    """``raw_total``, ``weight_total`` and the subtotals, as the scorer adds them up (the rulebook's :func:`add_up`)."""
    raw, weight_total, subtotals = add_up(
        [label for label, _, _ in lines], [weight for _, weight, _ in lines], [score for _, _, score in lines],
        budget_weight, budget_score,
    )
    leaves["raw_total"] = raw
    leaves["weight_total"] = weight_total
    leaves["subtotals"] = _Count(len(subtotals))
    for index, (level1, (weight, score)) in enumerate(subtotals.items()):
        leaves.update({f"subtotals[{index}].level1": level1, f"subtotals[{index}].weight": weight,
                       f"subtotals[{index}].score": score})


# --- reading -----------------------------------------------------------------------------------------


class _EvaluationReader(_Reader):
    """Reads one self-evaluation table into the fields it shows (:meth:`derive`), then the block on top."""

    def __init__(self, grid: _Grid, problems: _Problems) -> None:
        super().__init__(grid, problems)
        self.block_start = grid.max_row + 1
        self.scored = False  # whether any line prints a 得分 or 完成值 (a form not yet scored prints neither)

    def read(self) -> ProjectEvaluation | None:
        before = len(self.problems)
        derived = self.derive()
        return _read_result(self, ProjectEvaluation, derived, self.block_start, _KEYED, before=before)

    def derive(self) -> _Derived:  # noqa: C901, PLR0912 - one branch per part of the table
        """Every field of the evaluation the table gives, read as :class:`ProjectEvaluation` holds it."""
        segments, self.block_start = _segments(self.grid, _LABELS, _header_columns)
        derived = _Derived()
        name = ""
        year = 0
        total: tuple[Decimal | None, _Cell | None] = (None, None)
        funds: _Segment | None = None
        header: _Segment | None = None
        total_row: int | None = None
        texts = dict.fromkeys(_TEXT_NAMES, "")
        for segment in segments:
            kind = segment.kind
            if kind == "preamble":
                year = self.year(segment.rows)
            elif kind == "name":
                name = _value_after(self, segment.rows[0], "the project name")
            elif kind == "units":
                self.units(segment.rows, texts)
            elif kind == "goal":
                self.goal(segment.rows, texts)
            elif kind == "funds" and funds is None:
                funds = segment
            elif kind == "header" and header is None:
                header = segment
            elif kind == "total":
                total_row = segment.rows[0]
            elif kind in ("funds", "header"):
                self.problem(segment.label, f"a second {_display(segment.label)} part in one table")
        leaves = derived.leaves
        leaves.update({"scope": "project", "code": "", "name": name, "year": year, "policy": DEFAULT_POLICY, **texts})
        budget_weight, budget_score = self.funds(funds, derived)
        lines, row_total = self.lines(header, derived) if header is not None else ([], None)
        if header is None:
            self.problem(None, "no indicator table (a header row 一级指标 … 三级指标 … 得分)")
        if total_row is not None:  # read after the lines: whether any is scored tells what its cells mean
            total = self.total(total_row, header)
        if total[1] is None and row_total is not None:
            total = row_total
        amount, total_cell = total
        if total_cell is None:
            self.problem(None, "no 总分 row")
        elif lines and not self.scored and budget_score is None:
            amount, total_cell = self.unscored_total(amount, total_cell, budget_weight, lines)
        derived.number("total", amount, total_cell)
        if amount is not None:
            leaves["grade"] = ScoringPolicy.preset(DEFAULT_POLICY).grade(amount).value
        _sums(leaves, lines, budget_weight, budget_score)
        places = _places_of(total_cell)
        leaves.update({"total_formula": "", "budget_formula": "", "places": 2 if places is None else places,
                       "problems": _Count(0)})
        return derived

    def units(self, rows: Sequence[int], texts: dict[str, str]) -> None:
        """主管部门 and 实施单位: each label's value is the next cell right of it that is no label (none: blank)."""
        for row in rows:
            cells = [cell for cell in self.grid.items(row) if not cell.continued]
            for index, cell in enumerate(cells):
                field = _UNIT_FIELDS.get(_label_key(_display(cell)))
                if field is None or texts[field]:
                    continue
                after = cells[index + 1] if index + 1 < len(cells) else None
                if after is not None and _label_key(_display(after)) not in _UNIT_FIELDS:
                    texts[field] = self.text(after, _TEXT_NAMES[field])

    def goal(self, rows: Sequence[int], texts: dict[str, str]) -> None:
        """预期目标 and 实际完成情况: the texts right below their headings, in their columns (blank: none)."""
        grid = self.grid
        for row in rows:
            cells = [cell for cell in grid.items(row) if cell.column > grid.left and not cell.continued]
            fields = [(_GOAL_FIELDS.get(_label_key(_display(cell))), cell) for cell in cells]
            headings = {field: cell for field, cell in fields if field is not None}
            if not headings:
                continue
            for field, heading in headings.items():
                cell = grid.at(row + 1, heading.column)
                if cell is not None and not cell.continued:  # not the heading merged down
                    texts[field] = self.text(cell, _TEXT_NAMES[field])
            return

    def unscored_total(
        self, amount: Decimal | None, cell: _Cell, budget_weight: Decimal, lines: _Lines
    ) -> tuple[Decimal, _Cell | None]:
        """A form not yet scored: no 得分 anywhere, so the total is 0; a number on its 合计 row is the weights' sum.

        四川's published form prints 合计 with 100 under 得分 and nothing scored: the points of the
        budget line and the indicators (10 + 60 + 30). A number that is not their sum is reported.
        """
        weights = budget_weight + sum((weight for _, weight, _ in lines if weight is not None), Decimal(0))
        if amount is not None and amount != weights:
            self.problem(cell, f"nothing is scored, so 合计 should be the points {format_number(weights)}, "
                               f"not {format_number(amount)}")
        return Decimal(0), None

    def year(self, rows: Sequence[int]) -> int:
        """The year printed above the table (``（2022年度）``), or 0 when none is."""
        for row in rows:
            for cell in self.grid.items(row):
                match = _YEAR_IN_TITLE.search(_display(cell))
                if match:
                    return int(match.group(1))
        return 0

    def funds(self, segment: _Segment | None, derived: _Derived) -> tuple[Decimal, Decimal | None]:
        """全年预算数, 全年执行数, 分值, 执行率 and 得分 from the 年度资金总额 row; (budget weight, budget score)."""
        columns: dict[str, _Cell] = {}
        values_row: int | None = None
        for row in segment.rows if segment is not None else ():
            row_cells = [cell for cell in self.grid.items(row) if not cell.continued]
            found = {
                _FUND_FIELDS[key]: cell for cell in row_cells if (key := _label_key(_display(cell))) in _FUND_FIELDS
            }
            if not columns and len(found) >= 2:  # noqa: PLR2004 - a heading row names several columns
                columns = found
            elif columns and values_row is None and any(_label_key(_display(c)) in _TOTAL_ROW for c in row_cells):
                values_row = row
        if columns and values_row is None and segment is not None:  # no 年度资金总额 label: the row below the headings
            below = [row for row in segment.rows if row > next(iter(columns.values())).row]
            values_row = below[0] if below else None
        cells = {field: self.grid.at(values_row, c.column) if values_row else None for field, c in columns.items()}
        amounts = {
            "initial": self.number(cells.get("initial"), "年初预算数", ("万元", "元"), plain="万元", to="万元"),
            "budget": self.number(cells.get("budget"), "全年预算数", ("万元", "元"), plain="万元", to="万元"),
            "spent": self.number(cells.get("spent"), "全年执行数", ("万元", "元"), plain="万元", to="万元"),
            "rate": self.number(cells.get("rate"), "执行率", ("%",), plain="%"),
            "weight": self.number(cells.get("weight"), _FUND_NAMES["weight"], ("分",)),
            "score": self.number(cells.get("score"), _FUND_NAMES["score"], ("分",)),
        }
        paths = {"initial": "initial_budget", "budget": "budget", "spent": "spent", "rate": "budget_execution_rate"}
        for field, path in paths.items():
            derived.number(path, amounts[field], cells.get(field), percent=field == "rate" and self.percent(cells))
        weight = amounts["weight"] if amounts["weight"] is not None else Decimal(0)
        derived.number("budget_weight", weight, cells.get("weight"))
        derived.number("budget_score", amounts["score"], cells.get("score"))
        return weight, amounts["score"]

    @staticmethod
    def percent(cells: dict[str, _Cell | None]) -> bool:
        cell = cells.get("rate")
        return cell is not None and "%" in cell.number_format.split(";", 1)[0]

    def total(self, row: int, header: _Segment | None) -> tuple[Decimal | None, _Cell | None]:
        """The total from the 总分 row, in the header's 得分 column (else the last number on the row)."""
        label = next(cell for cell in self.grid.items(row) if not cell.continued)
        where: _Cell | tuple[int, int] = label
        cell = None
        if header is not None:
            columns = _header_columns(self.grid.items(header.rows[0])) or {}
            if "score" in columns:
                where = (row, columns["score"].column)
                cell = self.grid.at(*where)
        else:
            numbers = [c for c in self.grid.items(row) if isinstance(c.value, (int, float)) and c.column > label.column]
            cell = numbers[-1] if numbers else None
        amount = self.number(cell, "总分", ("分",))
        if not self.scored and _display(cell) == "":
            return amount, cell or label  # a form not yet scored: derive() says 0
        if amount is None and _display(cell) in ("", *_NOT_APPLICABLE):  # else number() said what is wrong
            self.problem(cell or where, "the 总分 row has no score (得分)")
        return amount, cell or label

    def lines(
        self, header: _Segment, derived: _Derived
    ) -> tuple[_Lines, tuple[Decimal | None, _Cell | None] | None]:
        """The indicator rows as items; (level-1, weight or None when 无, score) per line; a 总分 row inside."""
        grid = self.grid
        items = grid.items(header.rows[0])
        columns = {field: cell.column for field, cell in (_header_columns(items) or {}).items()}
        for cell in items:
            key = _label_key(_display(cell))
            if key not in _heading_fields() and _LABELS.get(key) != "heading":
                known = "、".join(_HEADINGS.values())
                self.problem(cell, f"unknown column heading {_display(cell)!r}; expected {known}")
        rows: list[dict[str, object]] = []
        total = None
        for row in header.rows[1:]:
            first = next(cell for cell in grid.items(row) if not cell.continued)
            if _LABELS.get(_label_key(_display(first))) == "total":
                total = self.total(row, header)
                break
            line = self.line(row, columns)
            if line is not None:
                rows.append(line)
        self.unreported(rows)
        resolved = _resolve_levels([(str(line["level1"]), str(line["level2"])) for line in rows])
        kept = [(line, levels) for line, levels in zip(rows, resolved, strict=True) if not line["placeholder"]]
        leaves = derived.leaves
        leaves["items"] = _Count(len(kept))
        result = []
        for index, (line, (level1, level2)) in enumerate(kept):
            path = f"items[{index}]"
            weight = line["weight"]
            score = line["score"]
            assert weight is None or isinstance(weight, Decimal)  # noqa: S101 - built below
            assert isinstance(score, Decimal)  # noqa: S101 - built below
            applicable = weight is not None
            rule = "manual" if not applicable or not line["unreported"] else "missing"
            label1 = _level_text(level1)
            leaves.update({f"{path}.path": f"goals[0].indicators[{index}]", f"{path}.name": line["name"],
                           f"{path}.level1": label1, f"{path}.level2": _level_text(level2),
                           f"{path}.target": line["target"], f"{path}.actual": line["actual"]})
            weight_cell, score_cell = line["weight_cell"], line["score_cell"]
            assert weight_cell is None or isinstance(weight_cell, _Cell)  # noqa: S101 - built below
            assert score_cell is None or isinstance(score_cell, _Cell)  # noqa: S101 - built below
            derived.number(f"{path}.weight", weight if weight is not None else Decimal(0), weight_cell)
            derived.number(f"{path}.score", score, score_cell)
            leaves.update({f"{path}.rule": rule if applicable else "not_applicable", f"{path}.formula": "",
                           f"{path}.reason": line["reason"],
                           f"{path}.needs_explanation": applicable and weight is not None and score < weight,
                           f"{path}.over_achieved": False})
            derived.names.append(str(line["name"]))
            result.append((label1, weight, score))
        return result, total

    def unreported(self, rows: Sequence[dict[str, object]]) -> None:
        """Lines with 分值 but 完成值 and 得分 blank: 0 of their points in a form not yet scored, else 得分 missing."""
        for line in rows:
            if not line["unreported"]:
                continue
            if not self.scored:  # rule missing (lines() names it)
                line.update({"weight": line["raw_weight"], "score": Decimal(0)})
                continue
            where = line["where"]
            assert isinstance(where, (_Cell, tuple))  # noqa: S101 - built by line()
            self.problem(where, "得分 is missing")

    def line(self, row: int, columns: dict[str, int]) -> dict[str, object] | None:
        """One indicator row's texts and numbers (``placeholder`` when it holds nothing but levels)."""
        grid = self.grid
        cells = {field: grid.at(row, column) for field, column in columns.items()}
        texts = {}
        for field in ("level1", "level2", "name", "reason"):
            texts[field] = self.text(cells.get(field), _HEADINGS[field])
        for field in ("target", "actual"):  # "=100%" typed into Excel is a formula: its text is the value
            cell = cells.get(field)
            texts[field] = str(cell.value).strip() if cell is not None and cell.formula else _display(cell)
        if "comparator" in cells:  # a published layout's own columns (四川 指标性质, 度量单位)
            texts["target"] = _with_comparator(self, cells["comparator"], texts["target"])
        unit = self.text(cells.get("unit_text"), "度量单位")
        texts["target"], texts["actual"] = _with_unit(texts["target"], unit), _with_unit(texts["actual"], unit)
        texts["name"] = _INDICATOR_NUMBERING.sub("", texts["name"], count=1)
        for field in ("level1", "level2"):
            texts[field] = "" if _is_filler(texts[field]) else texts[field]
        weight = self.number(cells.get("weight"), "分值", ("分",))
        score = self.number(cells.get("score"), "得分", ("分",))
        content = (texts["name"], texts["target"], texts["actual"], texts["reason"], _display(cells.get("weight")),
                   _display(cells.get("score")))
        placeholder = _is_placeholder(content)  # a template or filler row
        # Not reported yet: a 分值 with 完成值 and 得分 blank; unreported() decides once every line is read
        unreported = weight is not None and score is None and not texts["actual"] and not _display(cells.get("score"))
        self.scored = self.scored or score is not None or bool(texts["actual"])
        if not placeholder:
            blank = ("", *_NOT_APPLICABLE)  # else number() said what is wrong
            if weight is None and score is not None and _display(cells.get("weight")) in blank:
                self.problem(cells.get("weight") or (row, columns.get("weight", grid.left)), "分值 is missing")
            elif score is None and weight is not None and not unreported and _display(cells.get("score")) in blank:
                self.problem(cells.get("score") or (row, columns.get("score", grid.left)), "得分 is missing")
            for cell in grid.items(row):
                if cell.column not in columns.values() and not cell.continued:
                    self.problem(cell, f"a value in a column without a heading: {_display(cell)!r}")
        return {**texts, "placeholder": placeholder, "unreported": unreported and not placeholder, "raw_weight": weight,
                "where": cells.get("score") or (row, columns.get("score", grid.left)),
                "weight": weight if score is not None else None,
                "score": score if score is not None and weight is not None else Decimal(0),
                "weight_cell": cells.get("weight"), "score_cell": cells.get("score")}


def read_evaluation_sheet(ws: Worksheet) -> ProjectEvaluation:
    """Read a self-evaluation table (项目支出绩效自评表) from an openpyxl worksheet.

    The sheet is laid out as :func:`write_evaluation_sheet` writes it, or as a published
    10号 table is: the same tolerance as for target tables (labels with points or
    numbering, filler and template rows, merged or blank level cells, 无 and ``/``,
    numbers as text, full-width characters). A table without the perftarget block reads
    as its cells say: each line's ``rule`` is ``manual`` (scored by hand, or ``not_applicable``
    for a line without 分值 and 得分), formulas are empty, the grade is the national one
    for the total, and ``places`` is what the 总分 cell shows.

    Args:
        ws: an openpyxl worksheet.

    Raises:
        WorkbookError: listing every cell that could not be read, as ``sheet!A12: reason``.

    .. versionadded:: 0.1.0
    """
    problems = _Problems()
    evaluation = _EvaluationReader(_Grid(ws), problems).read()
    if evaluation is None:
        raise WorkbookError(problems.found)
    return evaluation


# --- writing -----------------------------------------------------------------------------------------


def _points(weight: Decimal, places: int) -> str:
    """A level-1's points as printed in its cell: ``50``, ``33.33``."""
    text = format_number(round_half_up(weight, places))
    return text.rstrip("0").rstrip(".") if "." in text else text


def _write_header(w: _Writer, evaluation: ProjectEvaluation) -> None:
    """Rows 1 to 11: title, year, name, units, funds, the 年度总体目标 rows."""
    places = evaluation.places
    width = _WIDTH
    w.put(1, 1, _TITLE, "title", to=(1, width))
    w.put(2, 1, f"（{evaluation.year}年度）" if evaluation.year else None, "plain", to=(2, width))
    w.put(3, 1, "项目名称", "label")
    w.put(3, 2, evaluation.name, "text", to=(3, width))
    w.put(4, 1, "主管部门", "label")
    w.put(4, 2, evaluation.department, "text", to=(4, 5))
    w.put(4, 6, "实施单位", "label")
    w.put(4, 7, evaluation.unit, "text", to=(4, width))
    w.put(5, 1, "项目资金（万元）", "label", to=(9, 1))
    w.put(5, 2, None)
    for column, (_, heading, _) in enumerate(_FUNDS, start=3):
        w.put(5, column, heading, "label", to=(5, width) if column == 8 else None)  # noqa: PLR2004 - 得分 to the end
    for offset, label in enumerate(_FUND_ROWS):
        row = 6 + offset
        w.put(row, 2, label, "label")
        if offset == 0:
            w.shown(row, 3, evaluation.initial_budget, places)
            w.shown(row, 4, evaluation.budget, places)
            w.shown(row, 5, evaluation.spent, places)
            w.shown(row, 6, evaluation.budget_weight, places)
            w.shown(row, 7, evaluation.budget_execution_rate, places, percent=True)
            w.shown(row, 8, evaluation.budget_score, places)
        else:
            for column in range(3, 6):
                w.put(row, column, None)
            for column in range(6, 9):
                w.put(row, column, _NOT_SCORED)
        w.merge(row, 8, (row, width))
    w.put(10, 1, "年度总体目标", "label", to=(11, 1))
    w.put(10, 2, "预期目标", "label", to=(10, 5))
    w.put(10, 6, "实际完成情况", "label", to=(10, width))
    w.put(11, 2, evaluation.goal, "text", to=(11, 5))
    w.put(11, 6, evaluation.outcome, "text", to=(11, width))


def _write_evaluation(w: _Writer, evaluation: ProjectEvaluation) -> None:
    places = evaluation.places
    width = _WIDTH
    w.widths(_COLUMN_WIDTHS)
    _write_header(w, evaluation)
    items = evaluation.items
    w.put(12, 1, "年度绩效指标完成情况", "label", to=(12 + len(items), 1))
    for column, (_, heading, _) in enumerate(_COLUMNS, start=2):
        w.put(12, column, heading, "label")
    points = {subtotal.level1: subtotal.weight for subtotal in evaluation.subtotals}
    texts = [
        (f"{item.level1}({_points(points[item.level1], places)}分)" if item.level1 in points and item.level1
         else item.level1, item.level2)
        for item in items
    ]
    w.levels(13, 2, texts)
    for offset, item in enumerate(items):
        row = 13 + offset
        w.put(row, 4, item.name)
        w.put(row, 5, _target_cell(item.name, item.target, item.actual, item.reason, applicable=item.applicable))
        w.put(row, 6, item.actual)
        w.shown(row, 7, item.weight if item.applicable else None, places)
        w.shown(row, 8, item.score if item.applicable else None, places)
        w.put(row, 9, item.reason, "text")
    total_row = 13 + len(items)
    w.put(total_row, 1, "总分", "label", to=(total_row, 6))
    w.shown(total_row, 7, _FULL_MARKS, places)
    w.shown(total_row, 8, evaluation.total, places)
    w.put(total_row, 9, None)
    derived = _EvaluationReader(_Grid(w.ws), _Problems()).derive()
    _write_block(w, total_row + 2, evaluation, derived, _KEYED)
    w.finish(total_row, width)


def write_evaluation_sheet(ws: Worksheet, evaluation: ProjectEvaluation) -> None:
    """Write a self-evaluation (项目支出绩效自评表) onto an empty openpyxl worksheet.

    The layout is the 10号 table's (see the guide): the header with the project's funds
    and the budget execution score, the 年度总体目标 rows, the indicator lines with
    level-1 cells merged and showing their points (``产出指标(50分)``), and the 总分 row.
    Numbers are numbers, shown with the evaluation's ``places`` (its policy's display
    rounding). A block headed ``perftarget`` below the table keeps what the table cannot
    show, so that :func:`read_evaluation_sheet` gives back an equal evaluation; the print
    area leaves it out.

    Args:
        ws: an empty openpyxl worksheet.
        evaluation: the evaluation to write (from :func:`perftarget.evaluate`).

    Raises:
        WorkbookError: a text holds a character that a workbook cannot store.
        MissingDependencyError: openpyxl is not installed.

    .. versionadded:: 0.1.0
    """
    writer = _Writer(ws, _openpyxl())
    _write_evaluation(writer, evaluation)
    if len(writer.problems):
        raise WorkbookError(writer.problems.found)
