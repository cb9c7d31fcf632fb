"""Laying out documents and results as the published forms: terminal text, Markdown and HTML.

The forms: the 项目绩效目标表 and the department part of a document, the 项目支出绩效自评表 of
an evaluation, the 绩效监控表 of a monitoring report, and the review findings as a table.
Chinese text is aligned by display width (a CJK character takes two columns); HTML tables
draw grid lines so that merged cells show (the rules are in :data:`CSS`, scoped to the
``perftarget`` class); :func:`html_page` makes a whole page (UTF-8, A4 print rules).

The model and the judgements know nothing of display: this module gives their classes
their notebook form (``_repr_html_``, which Jupyter looks up on the class), ``str()`` (the
form as text) and, for results, a one-line ``repr()`` when the front door calls
:func:`install_notebook_display`, as ``import perftarget`` does. The model classes keep
their full ``repr()``, which Hypothesis and test failures print.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Final, Literal

import attrs

from perftarget._judge.evaluate import DocumentEvaluation, ProjectEvaluation
from perftarget._judge.monitor import MONITORING_COLUMNS, DeviationCause, Likelihood, MonitoringReport
from perftarget._judge.review import Finding, Findings
from perftarget._model.targets import DepartmentTargets, Document, Indicator, ProjectTargets
from perftarget._values.numbers import format_number

__all__ = [
    "CSS",
    "Lang",
    "Table",
    "display_width",
    "html_page",
    "install_notebook_display",
    "render",
    "render_document",
    "render_project",
    "to_html",
]

Lang = Literal["zh", "en"]
TableFormat = Literal["text", "markdown", "html"]

_LABELS: Final[dict[str, tuple[str, str]]] = {
    "project_table": ("项目绩效目标表", "Project performance targets"),
    "department": ("部门整体绩效目标", "Department-wide performance targets"),
    "unit": ("预算单位", "Budget unit"),
    "code": ("项目编码", "Project code"),
    "name": ("项目名称", "Project name"),
    "year": ("年度", "Year"),
    "assumed": ("（推定）", " (assumed)"),
    "budget": ("预算数（万元）", "Budget (10k yuan)"),
    "fiscal": ("其中：财政资金", "of which fiscal funds"),
    "other": ("其他资金", "other funds"),
    "purpose": ("资金用途", "Use of funds"),
    "plan": ("资金支出计划（%）", "Spending plan (cumulative %)"),
    "goal": ("绩效目标", "Goal"),
    "level1": ("一级指标", "Level 1"),
    "level2": ("二级指标", "Level 2"),
    "indicator": ("三级指标", "Indicator"),
    "description": ("绩效指标描述", "Description"),
    "target": ("指标值", "Target"),
    "basis": ("指标值确定依据", "Basis"),
    "weight": ("分值", "Weight"),
    "duties": ("部门职责（总体绩效目标）", "Duties (overall goal)"),
    "goals": ("分项绩效目标", "Goals"),
    "measures": ("工作保障措施", "Guarantee measures"),
    "indicator_line": ("绩效指标", "Indicator"),
    # the self-evaluation (自评表)
    "evaluation_table": ("项目支出绩效自评表", "Project self-evaluation"),
    "department_evaluation": ("部门整体绩效自评表", "Department self-evaluation"),
    "policy": ("评分办法", "Scoring policy"),
    "competent": ("主管部门", "Competent department"),
    "implementer": ("实施单位", "Implementing unit"),
    "expected_goal": ("年度总体目标：预期目标", "Overall goal: expected"),
    "outcome": ("年度总体目标：实际完成情况", "Overall goal: actual outcome"),
    "rate": ("预算执行率", "Budget execution rate"),
    "total": ("总分", "Total"),
    "grade": ("评价等级", "Grade"),
    "explain": ("需填写偏差原因分析", "Needs a reason for the deviation"),
    "problem": ("问题", "Problem"),
    "actual": ("实际完成值", "Actual"),
    "annual_target": ("年度指标值", "Annual target"),
    "score": ("得分", "Score"),
    "reason": ("偏差原因分析及改进措施", "Reason for deviation and remedy"),
    # the monitoring table (监控表)
    "monitoring_table": ("项目绩效运行监控表", "Performance monitoring"),
    "as_of": ("截至日期", "As of"),
    "spent": ("截至当期执行数（万元）", "Spent to date (10k yuan)"),
    "execution_rate": ("执行率", "Execution rate"),
    "projected": ("全年预计执行数（万元）", "Projected year spending (10k yuan)"),
    "planned_share": ("计划进度", "Planned progress"),
    "time_progress": ("序时进度", "Time progress"),
    "ratio": ("执行/序时", "Execution / time"),
    "status": ("状态", "Status"),
    "value": ("截至当期完成值", "Value to date"),
    "forecast": ("全年预计完成值", "Year-end forecast"),
    "likelihood": ("完成目标可能性", "Likelihood of meeting the target"),
    "cause": ("偏差原因分析", "Cause of deviation"),
    "note": ("备注", "Note"),
    # review findings (审核意见)
    "review": ("审核意见", "Review findings"),
    "number": ("序号", "No."),
    "rule": ("规则", "Rule"),
    "severity": ("级别", "Severity"),
    "path": ("位置", "Where"),
    "message": ("问题", "Finding"),
    "help": ("修改建议", "How to fix"),
    "suppressed": ("已豁免", "suppressed"),
    "errors": ("错误", "errors"),
    "warnings": ("警告", "warnings"),
    "infos": ("提示", "info"),
    "no_findings": ("未发现问题", "No problems found"),
}


def _t(key: str, lang: Lang) -> str:
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _level_label(value: object, lang: Lang) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    english = getattr(value, "english", None)
    return str(value) if lang == "zh" or english is None else str(english)


def _money(value: object) -> str:
    return "" if value is None else format_number(value)  # type: ignore[arg-type]


def indicator_rows(project: ProjectTargets, lang: Lang = "zh") -> tuple[list[str], list[list[str]]]:
    """The indicator table's header and rows; level-1/level-2 cells repeat on every row."""
    with_weight = any(i.weight is not None for i in project.indicators)
    header = [_t(k, lang) for k in ("level1", "level2", "indicator", "description", "target", "basis")]
    if with_weight:
        header.append(_t("weight", lang))
    rows = []
    for indicator in project.indicators:
        row = _indicator_cells(indicator, lang)
        if with_weight:
            row.append(_money(indicator.weight))
        rows.append(row)
    return header, rows


def _indicator_cells(indicator: Indicator, lang: Lang) -> list[str]:
    return [
        _level_label(indicator.level1, lang),
        _level_label(indicator.level2, lang),
        indicator.name,
        indicator.description,
        indicator.target.display,
        "" if indicator.basis is None else indicator.basis.text,
    ]


def _grouped(rows: list[list[str]]) -> list[list[str]]:
    """Blank a level-1/level-2 cell that repeats the row above (as merged cells print)."""
    out = []
    previous: list[str] = []
    for row in rows:
        cells = list(row)
        if previous and cells[0] == previous[0]:
            cells[0] = ""
            if cells[1] == previous[1]:
                cells[1] = ""
        out.append(cells)
        previous = row
    return out


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A box-free text table aligned by display width."""
    widths = [display_width(h) for h in header]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)
    return "\n".join(lines)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def _plan_cells(project: ProjectTargets) -> tuple[list[str], list[str]]:
    if project.schedule is None:
        return [], []
    labels = [c.display_label for c in project.schedule.checkpoints]
    values = [f"{format_number(c.percent)}%" for c in project.schedule.checkpoints]
    return labels, values


def _project_facts(project: ProjectTargets, lang: Lang) -> list[tuple[str, str]]:
    year = str(project.year) + (_t("assumed", lang) if project.year_assumed else "")
    facts = [
        (_t("unit", lang), str(project.unit)),
        (_t("code", lang), project.code),
        (_t("name", lang), project.name),
        (_t("year", lang), year),
        (_t("budget", lang), _money(project.budget.total)),
        (_t("fiscal", lang), _money(project.budget.fiscal)),
        (_t("other", lang), _money(project.budget.other)),
        (_t("purpose", lang), project.purpose),
    ]
    labels, values = _plan_cells(project)
    if labels:
        facts.append((_t("plan", lang), "  ".join(f"{a} {b}" for a, b in zip(labels, values, strict=True))))
    facts.extend((_t("goal", lang), goal.content) for goal in project.goals)
    return facts


def render_project(project: ProjectTargets, fmt: TableFormat = "text", lang: Lang = "zh") -> str:
    """One project table laid out like the published 项目绩效目标表."""
    if fmt == "html":
        return project_html(project, lang)
    separator = " " if lang == "en" else ""
    title = f"{project.name}{separator}{_t('project_table', lang)}"
    facts = _project_facts(project, lang)
    header, rows = indicator_rows(project, lang)
    if fmt == "markdown":
        fact_lines = "\n".join(f"- **{k}**: {v}" for k, v in facts if v)
        return f"## {title}\n\n{fact_lines}\n\n{markdown_table(header, _grouped(rows))}\n"
    width = max(display_width(k) for k, _ in facts)
    fact_lines = "\n".join(f"{_pad(k, width)}  {v}" for k, v in facts if v)
    return f"{title}\n{'=' * display_width(title)}\n{fact_lines}\n\n{text_table(header, _grouped(rows))}\n"


def render_department(department: DepartmentTargets, fmt: TableFormat = "text", lang: Lang = "zh") -> str:
    """The department-wide part: duties, goals with their indicators, measures (numbered lists)."""
    title = f"{department.unit.name} {_t('department', lang)}"
    markdown = fmt == "markdown"
    indent = "" if markdown else "  "
    sub = "   -" if markdown else "      "
    lines = [f"## {title}" if markdown else f"{title}\n{'=' * display_width(title)}", ""]
    lines.append(f"{_t('duties', lang)}:")
    lines.extend(f"{indent}{n}. {duty}" for n, duty in enumerate(department.duties, 1))
    lines.append("")
    lines.append(f"{_t('goals', lang)}:")
    for n, goal in enumerate(department.goals, 1):
        lines.append(f"{indent}{n}. {goal.content}")
        lines.extend(
            f"{sub} {_t('indicator_line', lang)}: {i.name} {i.target.display}".rstrip() for i in goal.indicators
        )
    lines.append("")
    lines.append(f"{_t('measures', lang)}:")
    lines.extend(f"{indent}{n}. {m.title} {m.detail}".rstrip() for n, m in enumerate(department.measures, 1))
    return "\n".join(lines) + "\n"


def render_document(document: Document, fmt: TableFormat = "text", lang: Lang = "zh") -> str:
    """Every part of a document, one after another; ``"html"`` gives a whole page (:func:`html_page`)."""
    if fmt == "html":
        return html_page(document_html(document, lang), _document_title(document, lang), lang)
    parts = []
    if document.department is not None:
        parts.append(render_department(document.department, fmt, lang))
    parts.extend(render_project(project, fmt, lang) for project in document.projects)
    return "\n".join(parts)


# --- HTML (also the notebooks' _repr_html_) ----------------------------------------------------

CSS: Final = """\
.perftarget{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","WenQuanYi Micro Hei",\
"Microsoft YaHei","PingFang SC",SimHei,sans-serif;color:#111}
.perftarget table{border-collapse:collapse;margin:0 0 1em 0;font-size:13px}
.perftarget table caption{font-weight:bold;font-size:1.1em;padding:4px;caption-side:top;text-align:center}
.perftarget table th,.perftarget table td{border:1px solid #777;padding:3px 6px;text-align:left;\
vertical-align:middle}
.perftarget table th{background:#f0f0f0;font-weight:bold}
.perftarget table td.num{text-align:right;font-variant-numeric:tabular-nums}
.perftarget table tr.sum td,.perftarget table tr.sum th{font-weight:bold;background:#fafafa}
"""
"""The style of every HTML form: grid lines on every cell (merged cells show), headings shaded."""

_PAGE_CSS: Final = """\
body{margin:24px auto;max-width:1100px;padding:0 12px}
.perftarget h1{font-size:1.5em}
.perftarget h2{font-size:1.25em;border-bottom:2px solid #444;padding-bottom:2px;margin-top:1.6em}
.perftarget h3{font-size:1.1em}
.perftarget figure{margin:0 0 1em 0}
.perftarget figure svg{max-width:100%;height:auto}
@page{size:A4;margin:15mm 12mm}
@media print{
body{margin:0;max-width:none;padding:0}
.perftarget table{font-size:9pt;page-break-inside:auto}
.perftarget tr,.perftarget figure{page-break-inside:avoid}
.perftarget h2{page-break-after:avoid}
.perftarget section.project{page-break-before:always}
.perftarget section.project:first-of-type{page-break-before:auto}
}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _styled(fragment: str) -> str:
    """An HTML fragment with its style, as a notebook shows it."""
    return f'<div class="perftarget"><style>{CSS}</style>\n{fragment}\n</div>'


def html_page(body: str, title: str, lang: Lang = "zh", *, css: str = "") -> str:
    """A whole HTML page around ``body``: UTF-8, the forms' style, A4 print rules, no outside resources."""
    code = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{CSS}{_PAGE_CSS}{css}</style>\n</head>\n"
        f'<body>\n<main class="perftarget">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _document_title(document: Document, lang: Lang) -> str:
    names = [p.name for p in document.projects]
    if document.department is not None:
        names.insert(0, document.department.unit.name)
    return "、".join(names) or _t("project_table", lang)


def project_html(project: ProjectTargets, lang: Lang = "zh") -> str:
    """The project table as an HTML ``<table>`` with merged level-1/level-2 cells."""
    header, rows = indicator_rows(project, lang)
    columns = len(header)
    title = _e(project.name + ("" if lang == "en" else _t("project_table", lang)))
    out = [f'<table class="perftarget-project"><caption>{title}</caption>']
    for key, value in _project_facts(project, lang):
        if value:
            out.append(f'<tr><th colspan="2">{_e(key)}</th><td colspan="{columns - 2}">{_e(value)}</td></tr>')
    out.append("<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>")
    weight = _t("weight", lang)
    out.extend(_merged_rows(rows, 2, {header.index(weight)} if weight in header else ()))
    out.append("</table>")
    return "\n".join(out)


def _merged_rows(rows: Sequence[Sequence[str]], merged: int, numeric: Iterable[int] = ()) -> list[str]:
    """Table rows whose first ``merged`` (0-2) cells are merged down runs of equal values."""
    right = set(numeric)
    spans = [_spans(["\x00".join(r[: level + 1]) for r in rows]) for level in range(merged)]
    out = []
    for index, row in enumerate(rows):
        cells = [
            f'<td rowspan="{span[index]}">{_e(row[level])}</td>'
            for level, span in enumerate(spans)
            if span[index]
        ]
        cells.extend(
            f'<td class="num">{_e(c)}</td>' if column in right else f"<td>{_e(c)}</td>"
            for column, c in enumerate(row[merged:], merged)
        )
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def _spans(keys: list[str]) -> list[int]:
    """Row spans for runs of equal keys: the first row of a run gets its length, the rest 0."""
    spans = [0] * len(keys)
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            spans[start] = index - start
            start = index
    return spans


def department_html(department: DepartmentTargets, lang: Lang = "zh") -> str:
    """The department part as HTML."""
    out = [f'<div class="perftarget-department"><h3>{_e(department.unit.name)} {_e(_t("department", lang))}</h3>']
    out.append(f"<h4>{_e(_t('duties', lang))}</h4><ol>")
    out.extend(f"<li>{_e(d)}</li>" for d in department.duties)
    out.append(f"</ol><h4>{_e(_t('goals', lang))}</h4><ol>")
    for goal in department.goals:
        indicators = "".join(f"<li>{_e(i.name)} {_e(i.target.display)}</li>" for i in goal.indicators)
        out.append(f"<li>{_e(goal.content)}<ul>{indicators}</ul></li>")
    out.append(f"</ol><h4>{_e(_t('measures', lang))}</h4><ol>")
    out.extend(f"<li><b>{_e(m.title)}</b> {_e(m.detail)}</li>" for m in department.measures)
    out.append("</ol></div>")
    return "\n".join(out)


def document_html(document: Document, lang: Lang = "zh") -> str:
    """A whole document as HTML."""
    parts = []
    if document.department is not None:
        parts.append(department_html(document.department, lang))
    parts.extend(project_html(p, lang) for p in document.projects)
    return "\n".join(parts)


# --- the forms of results ------------------------------------------------------------------------


@attrs.frozen
class Form:
    """A published form laid out once and written as text, Markdown or HTML.

    ``facts`` are the header block (label, value); ``rows`` the table under ``header``, whose
    first ``merged`` columns merge down runs of equal values; ``totals`` are summary rows
    (their first cell spans ``merged + 1`` columns); ``notes`` are lines after the table;
    ``text_drops`` are columns too long for a terminal, left out of the text form.
    """

    kind: str
    title: str
    facts: tuple[tuple[str, str], ...]
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    merged: int = 0
    numeric: frozenset[int] = frozenset()
    totals: tuple[tuple[str, ...], ...] = ()
    notes: tuple[str, ...] = ()
    text_drops: frozenset[int] = frozenset()

    def text(self) -> str:
        """The form as terminal text, aligned by display width."""
        out = [self.title, "=" * display_width(self.title)]
        if self.facts:
            width = max(display_width(k) for k, _ in self.facts)
            out.extend(f"{_pad(k, width)}  {v}".rstrip() for k, v in self.facts)
            out.append("")
        if self.header:
            rows = [list(r) for r in self.rows]
            shown = _grouped(rows) if self.merged == 2 else rows  # noqa: PLR2004 - level-1 and level-2
            keep = [i for i in range(len(self.header)) if i not in self.text_drops]
            table = [[row[i] for i in keep] for row in [*shown, *self.totals]]
            out.append(text_table([self.header[i] for i in keep], table))
        if self.notes:
            out.extend(["", *self.notes])
        return "\n".join(out) + "\n"

    def markdown(self) -> str:
        """The form as Markdown: a heading, the facts as a list, the table, the notes."""
        out = [f"### {self.title}", ""]
        if self.facts:
            out.extend(f"- **{_md(k)}**: {_md(v)}" for k, v in self.facts if v)
            out.append("")
        if self.header:
            rows = [list(r) for r in self.rows]
            shown = _grouped(rows) if self.merged == 2 else rows  # noqa: PLR2004 - level-1 and level-2
            out.extend([markdown_table(self.header, [*shown, *self.totals]), ""])
        out.extend(f"- {_md(note)}" for note in self.notes)
        return "\n".join(out).rstrip() + "\n"

    def html(self) -> str:
        """The form as an HTML ``<table>`` (no style: see :data:`CSS`), the notes as a list after it."""
        columns = max(len(self.header), 2)
        out = [f'<table class="perftarget-{self.kind}"><caption>{_e(self.title)}</caption>']
        for key, value in self.facts:
            out.append(f'<tr><th colspan="2">{_e(key)}</th><td colspan="{columns - 2 or 1}">{_e(value)}</td></tr>')
        if self.header:
            out.append("<tr>" + "".join(f"<th>{_e(h)}</th>" for h in self.header) + "</tr>")
        out.extend(_merged_rows(self.rows, self.merged, self.numeric))
        span = self.merged + 1
        for row in self.totals:
            cells = [f'<th colspan="{span}">{_e(row[0])}</th>']
            cells.extend(
                f'<td class="num">{_e(c)}</td>' if column in self.numeric else f"<td>{_e(c)}</td>"
                for column, c in enumerate(row[span:], span)
            )
            out.append('<tr class="sum">' + "".join(cells) + "</tr>")
        out.append("</table>")
        if self.notes:
            out.append(f'<ul class="perftarget-notes">{"".join(f"<li>{_e(n)}</li>" for n in self.notes)}</ul>')
        return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_ROW_LABELS: Final = {"预算执行率": "rate", "总分": "total"}
_EVALUATION_HEADER: Final = ("level1", "level2", "indicator", "annual_target", "actual", "weight", "score", "reason")


def evaluation_form(evaluation: ProjectEvaluation, lang: Lang = "zh") -> Form:
    """The 项目支出绩效自评表: the figures, every indicator's line (rounded as published), the totals."""
    rows = [tuple(row.values()) for row in evaluation.to_rows()]
    items, totals = rows[: len(evaluation.items)], rows[len(evaluation.items) :]
    if lang == "en":
        totals = [(_t(_ROW_LABELS.get(row[0], "total"), lang), *row[1:]) for row in totals]
    key = "department_evaluation" if evaluation.scope == "department" else "evaluation_table"
    grade = evaluation.grade.value if lang == "zh" else evaluation.grade.english
    facts = [
        (_t("code", lang), evaluation.code),
        (_t("year", lang), str(evaluation.year)),
        (_t("competent", lang), evaluation.department),
        (_t("implementer", lang), evaluation.unit),
        (_t("expected_goal", lang), evaluation.goal),
        (_t("outcome", lang), evaluation.outcome),
        (_t("budget", lang), evaluation.display(evaluation.budget)),
        (_t("rate", lang), evaluation.display_rate()),
        (_t("total", lang), evaluation.display_total()),
        (_t("grade", lang), grade),
        (_t("policy", lang), evaluation.policy),
    ]
    notes = []
    explain = [item.name for item in evaluation.missing_explanations]
    if explain:
        notes.append(f"{_t('explain', lang)}: {'、'.join(explain)}")
    notes.extend(f"{_t('problem', lang)}: {problem}" for problem in evaluation.problems)
    return Form(
        kind="evaluation",
        title=f"{evaluation.name}{'' if lang == 'zh' else ': '}{_t(key, lang)}",
        facts=tuple((k, v) for k, v in facts if v),
        header=tuple(_t(k, lang) for k in _EVALUATION_HEADER),
        rows=tuple(items),
        merged=2,
        numeric=frozenset({5, 6}),
        totals=tuple(totals),
        notes=tuple(notes),
    )


_WORDS_EN: Final = {
    **{member.value: member.english for member in Likelihood},
    **{member.value: member.english for member in DeviationCause},
}
_MONITORING_HEADER: Final = (
    "level1", "level2", "indicator", "annual_target", "value", "forecast", "likelihood", "cause", "note",
)


def monitoring_form(report: MonitoringReport, lang: Lang = "zh") -> Form:
    """The 绩效监控表: the money against plan and time, every indicator's line, the findings."""
    money, *lines = report.to_rows()
    series = report.series_row()
    status = report.status.value + "灯" if lang == "zh" else report.status.english
    facts = [
        (_t("code", lang), report.project_code),
        (_t("as_of", lang), report.as_of.isoformat()),
        (_t("budget", lang), money["年度预算数"]),
        (_t("spent", lang), money["截至当期执行数"]),
        (_t("execution_rate", lang), money["执行率"]),
        (_t("planned_share", lang), series["计划进度"]),
        (_t("time_progress", lang), series["序时进度"]),
        (_t("ratio", lang), series["执行/序时"]),
        (_t("status", lang), status),
        (_t("projected", lang), money["全年预计执行数"]),
    ]
    columns = MONITORING_COLUMNS[4:]
    rows = []
    for line in lines:
        cells = [line[c] for c in columns]
        if lang == "en":
            cells = [_WORDS_EN.get(c, c) for c in cells]
        rows.append(tuple(cells))
    return Form(
        kind="monitoring",
        title=f"{report.project_name}{'' if lang == 'zh' else ': '}{_t('monitoring_table', lang)}",
        facts=tuple((k, v) for k, v in facts if v),
        header=tuple(_t(k, lang) for k in _MONITORING_HEADER) if rows else (),
        rows=tuple(rows),
        merged=2,
        numeric=frozenset({4, 5}),
        notes=tuple(str(finding) for finding in report.findings),
    )


def help_text(finding: Finding, lang: Lang) -> str:
    """How to fix ``finding``, in ``lang`` (the English where a finding has no Chinese help).

    The one place the forms and frames take a finding's help from.
    """
    return (finding.help_zh or finding.help) if lang == "zh" else finding.help


def _tally(findings: Findings, lang: Lang) -> str:
    """The counts by severity (suppressed findings apart): ``0 个错误，6 个警告，5 个提示``."""
    counts = ((findings.errors, "errors"), (findings.warnings, "warnings"), (findings.infos, "infos"))
    if lang == "zh":
        parts = [f"{len(part)} 个{_t(key, lang)}" for part, key in counts]
        suppressed = f"{len(findings.suppressed)} 条{_t('suppressed', lang)}"
    else:
        parts = [f"{len(part)} {_t(key, lang)}" for part, key in counts]
        suppressed = f"{len(findings.suppressed)} {_t('suppressed', lang)}"
    if findings.suppressed:
        parts.append(suppressed)
    return ("，" if lang == "zh" else ", ").join(parts)


def _finding_message(finding: Finding, lang: Lang) -> str:
    message = finding.message if lang == "zh" else finding.message_en
    if finding.suppression is None:
        return message
    if lang == "zh":
        return f"{message}（{_t('suppressed', lang)}：{finding.suppression.reason}）"
    return f"{message} ({_t('suppressed', lang)}: {finding.suppression.reason})"


_FINDINGS_HEADER: Final = ("number", "rule", "severity", "path", "message", "help")


def findings_form(findings: Sequence[Finding], lang: Lang = "zh") -> Form:
    """The review findings as the 审核意见 table: 序号, rule, severity, where, the finding, how to fix it.

    The caption counts the findings by severity; with none, the form says so (未发现问题).
    """
    shown = findings if isinstance(findings, Findings) else Findings(findings)
    rows = tuple(
        (
            str(number),
            finding.code,
            finding.severity.label if lang == "zh" else finding.severity.value,
            finding.path,
            _finding_message(finding, lang),
            help_text(finding, lang),
        )
        for number, finding in enumerate(shown, 1)
    )
    title = _t("review", lang)
    if rows:
        title += f"（{_tally(shown, lang)}）" if lang == "zh" else f" ({_tally(shown, lang)})"
    return Form(
        kind="findings",
        title=title,
        facts=(),
        header=tuple(_t(k, lang) for k in _FINDINGS_HEADER) if rows else (),
        rows=rows,
        numeric=frozenset({0}),
        notes=() if rows else (_t("no_findings", lang),),
        text_drops=frozenset({5}),
    )


def _is_findings(obj: object) -> bool:
    return isinstance(obj, Findings) or (
        isinstance(obj, (list, tuple)) and all(isinstance(item, Finding) for item in obj)
    )


def forms(obj: object, lang: Lang = "zh") -> list[Form]:
    """The published forms of a result: one per evaluation or report (a list gives each of its items')."""
    if isinstance(obj, ProjectEvaluation):
        return [evaluation_form(obj, lang)]
    if isinstance(obj, DocumentEvaluation):
        parts = ([obj.department] if obj.department is not None else []) + list(obj.projects)
        return [evaluation_form(part, lang) for part in parts]
    if isinstance(obj, MonitoringReport):
        return [monitoring_form(obj, lang)]
    if isinstance(obj, Finding):
        return [findings_form([obj], lang)]
    if _is_findings(obj):
        return [findings_form(obj, lang)]  # type: ignore[arg-type]  # checked item by item
    if isinstance(obj, (list, tuple)):
        return [form for item in obj for form in forms(item, lang)]
    msg = f"no published form for {type(obj).__name__}"
    raise TypeError(msg)


def render(obj: object, fmt: TableFormat = "text", lang: Lang = "zh") -> str:
    """A document, table or result as its published form(s), in text, Markdown or HTML (a fragment)."""
    if isinstance(obj, Document):
        return document_html(obj, lang) if fmt == "html" else render_document(obj, fmt, lang)
    if isinstance(obj, ProjectTargets):
        return render_project(obj, fmt, lang)
    if isinstance(obj, DepartmentTargets):
        return department_html(obj, lang) if fmt == "html" else render_department(obj, fmt, lang)
    parts = forms(obj, lang)
    if fmt == "html":
        return "\n".join(form.html() for form in parts)
    if fmt == "markdown":
        return "\n".join(form.markdown() for form in parts)
    return "\n".join(form.text() for form in parts)


def to_html(obj: object, lang: Lang = "zh") -> str:
    """HTML for a document, project table, department part or result (a fragment, without style)."""
    return render(obj, "html", lang)


@attrs.frozen
class Table:
    """Any result shown as its published form: in a notebook (HTML with grid lines), ``str()`` (text).

    ``Table(perftarget.review(document))`` shows the findings as a table, as an evaluation or a
    monitoring report shows itself.
    """

    value: object
    lang: Lang = "zh"

    def __str__(self) -> str:
        return render(self.value, "text", self.lang)

    def _repr_html_(self) -> str:
        return _styled(render(self.value, "html", self.lang))

    def _repr_markdown_(self) -> str:
        return render(self.value, "markdown", self.lang)

    def __repr__(self) -> str:
        return f"<Table of {_short(self.value)}>"


# --- the hooks the front door installs -------------------------------------------------------------


def _short(obj: object) -> str:
    """A one-line description of a value (what ``repr()`` of a result shows)."""
    if isinstance(obj, ProjectEvaluation):
        total = obj.display_total() if isinstance(obj.total, Decimal) else obj.total
        grade = getattr(obj.grade, "value", obj.grade)
        return f"<ProjectEvaluation {obj.code} {obj.name}: {total} {grade}, {_count(obj.items, 'indicator')}>"
    if isinstance(obj, DocumentEvaluation):
        totals = ", ".join(f"{p.code} {_short_total(p)}" for p in obj.projects)
        department = "" if obj.department is None else f"department {_short_total(obj.department)}; "
        return f"<DocumentEvaluation: {department}{_count(obj.projects, 'project')} ({totals})>"
    if isinstance(obj, MonitoringReport):
        rate = format_number(obj.execution_rate) if isinstance(obj.execution_rate, Decimal) else obj.execution_rate
        status = getattr(obj.status, "english", obj.status)
        return (
            f"<MonitoringReport {obj.project_code} {obj.project_name} as of {obj.as_of}: "
            f"spent {rate}%, {status}, {_count(obj.indicators, 'indicator')}, {_count(obj.findings, 'finding')}>"
        )
    if isinstance(obj, Findings):
        return f"<Findings: {_short_tally(obj)}>"
    if isinstance(obj, (list, tuple)):
        return f"{len(obj)} {'findings' if _is_findings(obj) else 'items'}"
    return type(obj).__name__


def _short_tally(findings: Findings) -> str:
    """``2 errors, 1 warning`` (the severities found, suppressed findings apart), or ``none``."""
    plural = ((len(findings.errors), "error"), (len(findings.warnings), "warning"))
    parts = [f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in plural if n]
    plain = ((len(findings.infos), "info"), (len(findings.suppressed), "suppressed"))
    parts += [f"{n} {noun}" for n, noun in plain if n]
    return ", ".join(parts) or "none"


def _count(items: object, noun: str) -> str:
    number = len(items) if isinstance(items, (tuple, list, str, Findings)) else 0
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _short_total(evaluation: ProjectEvaluation) -> str:
    return evaluation.display_total() if isinstance(evaluation.total, Decimal) else str(evaluation.total)


def _repr_html_(self: object) -> str:
    """The published form as styled HTML, for Jupyter."""
    return _styled(to_html(self))


def _str(self: object) -> str:
    """The published form as text."""
    return render(self, "text")


_NOTEBOOK_HOOK: Final = "_repr_html_"
_MODEL: Final = (Document, ProjectTargets, DepartmentTargets)
_RESULTS: Final = (ProjectEvaluation, DocumentEvaluation, MonitoringReport, Findings)


def install_notebook_display() -> None:
    """Give documents and results their displays (idempotent).

    Every class gets ``_repr_html_`` (the published form, styled, which Jupyter looks for)
    and ``__str__`` (the form as text: ``print(project)``); the results also a one-line
    ``__repr__``. ``import perftarget`` calls it; the model itself never imports display code.
    """
    hooks: dict[str, Callable[[object], str]] = {_NOTEBOOK_HOOK: _repr_html_, "__str__": _str}
    for cls in (*_MODEL, *_RESULTS):
        for name, hook in hooks.items():
            setattr(cls, name, hook)
    for cls in _RESULTS:
        cls.__repr__ = _short  # type: ignore[method-assign]
