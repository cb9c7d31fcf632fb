"""Laying out documents as published tables: terminal text, Markdown and HTML.

Chinese text is aligned by display width (a CJK character takes two columns).

The model knows nothing of display: this module gives :class:`~perftarget.Document`,
:class:`~perftarget.ProjectTargets` and :class:`~perftarget.DepartmentTargets` their
notebook form (``_repr_html_``, which Jupyter looks up on the class) when the front door
calls :func:`install_notebook_display`, as ``import perftarget`` does.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import Final, Literal

from perftarget._model.targets import DepartmentTargets, Document, Indicator, ProjectTargets
from perftarget._values.numbers import format_number

__all__ = ["Lang", "display_width", "install_notebook_display", "render_document", "render_project"]

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
    """Every part of a document, one after another."""
    if fmt == "html":
        return document_html(document, lang)
    parts = []
    if document.department is not None:
        parts.append(render_department(document.department, fmt, lang))
    parts.extend(render_project(project, fmt, lang) for project in document.projects)
    return "\n".join(parts)


# --- HTML (also the notebooks' _repr_html_) ----------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text))


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
    spans1 = _spans([r[0] for r in rows])
    spans2 = _spans([f"{r[0]}\x00{r[1]}" for r in rows])
    for index, row in enumerate(rows):
        cells = []
        if spans1[index]:
            cells.append(f'<td rowspan="{spans1[index]}">{_e(row[0])}</td>')
        if spans2[index]:
            cells.append(f'<td rowspan="{spans2[index]}">{_e(row[1])}</td>')
        cells.extend(f"<td>{_e(c)}</td>" for c in row[2:])
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


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


def to_html(obj: object, lang: Lang = "zh") -> str:
    """HTML for a document, project table or department part."""
    if isinstance(obj, Document):
        return document_html(obj, lang)
    if isinstance(obj, ProjectTargets):
        return project_html(obj, lang)
    if isinstance(obj, DepartmentTargets):
        return department_html(obj, lang)
    msg = f"no HTML form for {type(obj).__name__}"
    raise TypeError(msg)


def _repr_html_(self: Document | ProjectTargets | DepartmentTargets) -> str:
    """The table as HTML, for Jupyter."""
    return to_html(self)


_NOTEBOOK_HOOK: Final = "_repr_html_"


def install_notebook_display() -> None:
    """Give the document classes the ``_repr_html_`` method Jupyter looks for (idempotent).

    ``import perftarget`` calls it; the model itself never imports display code.
    """
    for cls in (Document, ProjectTargets, DepartmentTargets):
        setattr(cls, _NOTEBOOK_HOOK, _repr_html_)
