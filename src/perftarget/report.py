"""A report a bureau can print: the target tables, review findings, monitoring and self-evaluation.

:func:`to_html` gives one self-contained HTML page (UTF-8, every chart embedded as SVG, no
outside file, print rules for A4); :func:`to_markdown` the same tables in Markdown (without
the charts); :func:`write` writes either, all or nothing. ``perftarget report`` is the same
from the command line.

What the report holds depends on what you give it:

- always: the review findings (审核意见) of the document and every table (department part,
  项目绩效目标表);
- with ``as_of`` and ``spent`` (an amount) or ``payments``: the 绩效监控表 of the project
  (with payments, the spending chart);
- with ``actuals``: the 项目支出绩效自评表 of every project with actuals, and the score chart.

Monitoring is of one project: the one named by ``project`` (code or name), or the only
one. Charts need the ``plot`` extra; without matplotlib they are left out with a note.
:func:`table` wraps any result (a list of findings included) so that a notebook shows it as
its published form.

>>> import perftarget.report
>>> page = perftarget.report.to_html("examples/petition-bureau.toml")
>>> page.startswith("<!DOCTYPE html>"), '<meta charset="utf-8">' in page
(True, True)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from perftarget._codec.convert import load
from perftarget._display import (
    Lang,
    Table,
    department_html,
    evaluation_form,
    findings_form,
    html_page,
    monitoring_form,
    project_html,
    render_department,
    render_project,
)
from perftarget._files import write_atomic
from perftarget._judge.evaluate import DocumentEvaluation, ProjectEvaluation, ScoringPolicy, evaluate_document
from perftarget._judge.monitor import MonitoringReport, Payment, load_payments, monitor
from perftarget._judge.review import Findings
from perftarget._model.actuals import ActualsDocument
from perftarget._model.targets import Document, ProjectTargets
from perftarget.exceptions import MissingDependencyError, MonitoringError
from perftarget.rules import review

__all__ = ["Contents", "contents", "table", "to_html", "to_markdown", "write"]

Format = Literal["html", "markdown"]
PathLike = str | os.PathLike[str]

_LABELS: Final[dict[str, tuple[str, str]]] = {
    "report": ("预算绩效报告", "Budget performance report"),
    "as_of": ("监控截至", "Monitored as of"),
    "review": ("一、审核意见", "1. Review findings"),
    "targets": ("二、绩效目标", "2. Performance targets"),
    "monitoring": ("三、绩效运行监控", "3. Performance monitoring"),
    "evaluation": ("四、绩效自评", "4. Self-evaluation"),
    "no_monitoring": ("未监控：需给出截至日期和执行数（或支付明细）。",
                      "Not monitored: needs a date (as_of) and the spending (spent or payments)."),
    "no_evaluation": ("未自评：需给出实际完成值文件。", "Not evaluated: needs an actuals file."),
    "problems": ("自评问题", "Evaluation problems"),
    "no_charts": ("图表未生成：需安装 matplotlib（perftarget[plot]）。",
                  "Charts left out: they need matplotlib (perftarget[plot])."),
    "spending_chart": ("支出进度", "Spending against plan"),
    "scores_chart": ("各指标得分", "Scores by indicator"),
    "source": ("来源", "Source"),
}


def _t(key: str, lang: Lang) -> str:
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def table(obj: object, lang: Lang = "zh") -> Table:
    """``obj`` shown as its published form: a notebook displays it as a styled table, ``str()`` as text.

    Evaluations, monitoring reports and review findings already show themselves so (in
    Chinese); this is for a list of results, or to choose the language
    (``table(perftarget.review(document), "en")``).
    """
    return Table(obj, lang)


@attrs.frozen(kw_only=True)
class Contents:
    """What a report shows: the document and the results computed for it (see :func:`contents`)."""

    document: Document
    findings: Findings
    monitored: ProjectTargets | None = None
    monitoring: MonitoringReport | None = None
    payments: tuple[Payment, ...] = ()
    evaluation: DocumentEvaluation | None = None
    source: str = ""


def _document(document: Document | PathLike) -> tuple[Document, str]:
    if isinstance(document, Document):
        return document, ""
    return load(document), os.fspath(document)


def _pick(document: Document, project: str | None) -> ProjectTargets:
    if project is not None:
        for table_ in document.projects:
            if project in (table_.code, table_.name):
                return table_
        msg = f"no project {project!r} in the document (projects: {', '.join(p.code for p in document.projects)})"
        raise MonitoringError(msg)
    if len(document.projects) != 1:
        msg = (
            f"monitoring is of one project and the document has {len(document.projects)}: "
            "name it (project=, or --project on the command line)"
        )
        raise MonitoringError(msg)
    return document.projects[0]


def contents(
    document: Document | PathLike,
    *,
    actuals: ActualsDocument | PathLike | None = None,
    as_of: dt.date | str | None = None,
    spent: object = None,
    payments: Sequence[Payment] | PathLike | None = None,
    progress: Mapping[object, object] | None = None,
    project: str | None = None,
    policy: ScoringPolicy | str | None = None,
    source: str = "",
) -> Contents:
    """Review, monitor and evaluate as far as the inputs allow (see the module's description).

    ``source`` names the file the document came from (the path when ``document`` is one).

    Raises:
        MonitoringError: both ``spent`` and ``payments``, spending without ``as_of`` (or the
            reverse), several projects and no ``project``, or what :func:`perftarget.monitor` refuses.
        DocumentError: a file cannot be read.
    """
    loaded, path = _document(document)
    findings = review(loaded)
    if spent is not None and payments is not None:
        msg = "give the spending as an amount (spent=, --spent) or as payments (payments=, --payments), not both"
        raise MonitoringError(msg)
    spending = spent is not None or payments is not None
    if spending != (as_of is not None):
        msg = (
            "monitoring needs both the date (as_of=, --as-of) and the spending "
            "(spent= or payments=, --spent or --payments)"
        )
        raise MonitoringError(msg)
    monitored = report = None
    paid: tuple[Payment, ...] = ()
    if spending and as_of is not None:
        monitored = _pick(loaded, project)
        if payments is not None:
            paid = load_payments(payments) if isinstance(payments, (str, os.PathLike)) else tuple(payments)
        report = monitor(monitored, spent=paid if payments is not None else spent, as_of=as_of, progress=progress)
    evaluation = None
    if actuals is not None:
        evaluation = evaluate_document(loaded, actuals, policy=policy, strict=False)
    return Contents(
        document=loaded, findings=findings, monitored=monitored, monitoring=report, payments=paid,
        evaluation=evaluation, source=source or path,
    )


# --- charts ----------------------------------------------------------------------------------------


def _svg(draw: Any, *args: object, lang: Lang, **kwargs: object) -> str:  # noqa: ANN401
    """A chart drawn by ``draw`` as an inline ``<svg>`` element (text drawn as paths: no font needed)."""
    from perftarget import plot  # noqa: PLC0415 - the plot extra is optional here

    plt = plot._pyplot()  # noqa: SLF001 - the one place that loads pyplot headless
    import matplotlib as mpl  # noqa: PLC0415 - loaded by the line above

    fonts = logging.getLogger("matplotlib.font_manager")  # "using weight 500" for WenQuanYi: not news
    level = fonts.level
    fonts.setLevel(logging.ERROR)
    try:
        with mpl.rc_context({"svg.hashsalt": "perftarget", "svg.fonttype": "path"}):
            ax = draw(*args, lang=lang, **kwargs)
            buffer = io.StringIO()
            try:
                ax.figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
            finally:
                plt.close(ax.figure)
    finally:
        fonts.setLevel(level)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _charts_available() -> bool:
    try:
        from perftarget import plot  # noqa: PLC0415

        plot._pyplot()  # noqa: SLF001
    except MissingDependencyError:  # pragma: no cover - depends on the environment
        return False
    return True


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="perftarget-chart">{svg}<figcaption>{caption}</figcaption></figure>'


# --- the page --------------------------------------------------------------------------------------


def _title(document: Document, lang: Lang) -> str:
    names = [p.name for p in document.projects]
    if document.department is not None:
        names.insert(0, document.department.unit.name)
    return f"{'、'.join(names[:3])}{'…' if len(names) > 3 else ''} {_t('report', lang)}".strip()  # noqa: PLR2004


def _evaluations(evaluation: DocumentEvaluation | None) -> list[ProjectEvaluation]:
    if evaluation is None:
        return []
    return ([evaluation.department] if evaluation.department is not None else []) + list(evaluation.projects)


def _esc(text: object) -> str:
    import html  # noqa: PLC0415 - tiny, only for the page

    return html.escape(str(text))


def render_html(report: Contents, *, lang: Lang = "zh", charts: bool = True) -> str:
    """The report of :func:`contents` as a whole HTML page."""
    document = report.document
    title = _title(document, lang)
    draw = charts and _charts_available()
    out = [f"<h1>{_esc(title)}</h1>"]
    if report.source:
        out.append(f'<p class="perftarget-meta">{_esc(_t("source", lang))}: {_esc(report.source)}</p>')
    if charts and not draw:  # pragma: no cover - depends on the environment
        out.append(f"<p>{_esc(_t('no_charts', lang))}</p>")
    out.append(f'<section class="review"><h2>{_esc(_t("review", lang))}</h2>')
    out.append(findings_form(report.findings, lang).html())
    out.append("</section>")
    out.append(f'<section class="targets"><h2>{_esc(_t("targets", lang))}</h2>')
    if document.department is not None:
        out.append(department_html(document.department, lang))
    out.extend(project_html(p, lang) for p in document.projects)
    out.append("</section>")
    out.append(f'<section class="monitoring"><h2>{_esc(_t("monitoring", lang))}</h2>')
    if report.monitoring is None or report.monitored is None:
        out.append(f"<p>{_esc(_t('no_monitoring', lang))}</p>")
    else:
        out.append(monitoring_form(report.monitoring, lang).html())
        if draw and report.payments:
            from perftarget.plot import spending_chart  # noqa: PLC0415 - optional extra

            svg = _svg(spending_chart, report.monitored, report.payments, as_of=report.monitoring.as_of, lang=lang)
            out.append(_figure(svg, _esc(_t("spending_chart", lang))))
    out.append("</section>")
    out.append(f'<section class="evaluation"><h2>{_esc(_t("evaluation", lang))}</h2>')
    evaluations = _evaluations(report.evaluation)
    if report.evaluation is None:
        out.append(f"<p>{_esc(_t('no_evaluation', lang))}</p>")
    for evaluation in evaluations:
        out.append(evaluation_form(evaluation, lang).html())
        if draw and any(item.weight > 0 for item in evaluation.items):
            from perftarget.plot import scores_chart  # noqa: PLC0415 - optional extra

            out.append(_figure(_svg(scores_chart, evaluation, lang=lang), _esc(_t("scores_chart", lang))))
    if report.evaluation is not None and report.evaluation.problems:
        problems = "".join(f"<li>{_esc(p)}</li>" for p in report.evaluation.problems)
        out.append(f"<h3>{_esc(_t('problems', lang))}</h3><ul>{problems}</ul>")
    out.append("</section>")
    return html_page("\n".join(out), title, lang)


def _demoted(markdown: str) -> str:
    """A table's Markdown with its headings one level down (under the report's sections)."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.split("\n"))


def render_markdown(report: Contents, *, lang: Lang = "zh") -> str:
    """The report of :func:`contents` in Markdown (the tables; charts are only in the HTML)."""
    document = report.document
    out = [f"# {_title(document, lang)}", ""]
    if report.source:
        out.extend([f"{_t('source', lang)}: `{report.source}`", ""])
    out.extend([f"## {_t('review', lang)}", "", findings_form(report.findings, lang).markdown()])
    out.extend([f"## {_t('targets', lang)}", ""])
    if document.department is not None:
        out.append(_demoted(render_department(document.department, "markdown", lang)))
    out.extend(_demoted(render_project(p, "markdown", lang)) for p in document.projects)
    out.extend([f"## {_t('monitoring', lang)}", ""])
    if report.monitoring is None:
        out.extend([_t("no_monitoring", lang), ""])
    else:
        out.append(monitoring_form(report.monitoring, lang).markdown())
    out.extend([f"## {_t('evaluation', lang)}", ""])
    if report.evaluation is None:
        out.extend([_t("no_evaluation", lang), ""])
    out.extend(evaluation_form(e, lang).markdown() for e in _evaluations(report.evaluation))
    if report.evaluation is not None and report.evaluation.problems:
        out.extend([f"### {_t('problems', lang)}", "", *(f"- {p}" for p in report.evaluation.problems), ""])
    return "\n".join(out).rstrip() + "\n"


# --- the front door --------------------------------------------------------------------------------


def to_html(
    document: Document | PathLike,
    *,
    actuals: ActualsDocument | PathLike | None = None,
    as_of: dt.date | str | None = None,
    spent: object = None,
    payments: Sequence[Payment] | PathLike | None = None,
    progress: Mapping[object, object] | None = None,
    project: str | None = None,
    policy: ScoringPolicy | str | None = None,
    lang: Lang = "zh",
    charts: bool = True,
) -> str:
    """The report as one self-contained HTML page (see :func:`contents` for the inputs).

    ``charts=False`` leaves the charts out (they need the ``plot`` extra).
    """
    report = contents(document, actuals=actuals, as_of=as_of, spent=spent, payments=payments,
                      progress=progress, project=project, policy=policy)
    return render_html(report, lang=lang, charts=charts)


def to_markdown(
    document: Document | PathLike,
    *,
    actuals: ActualsDocument | PathLike | None = None,
    as_of: dt.date | str | None = None,
    spent: object = None,
    payments: Sequence[Payment] | PathLike | None = None,
    progress: Mapping[object, object] | None = None,
    project: str | None = None,
    policy: ScoringPolicy | str | None = None,
    lang: Lang = "zh",
) -> str:
    """The report in Markdown: the same sections and tables as :func:`to_html`, without charts."""
    report = contents(document, actuals=actuals, as_of=as_of, spent=spent, payments=payments,
                      progress=progress, project=project, policy=policy)
    return render_markdown(report, lang=lang)


def format_of(path: PathLike) -> Format:
    """``"markdown"`` for a ``.md`` (or ``.markdown``) path, else ``"html"``."""
    return "markdown" if Path(path).suffix.lower() in {".md", ".markdown"} else "html"


def write(
    path: PathLike,
    document: Document | PathLike,
    *,
    fmt: Format | None = None,
    lang: Lang = "zh",
    charts: bool = True,
    **inputs: Any,  # noqa: ANN401 - the keywords of contents()
) -> Path:
    """Write the report to ``path`` (HTML, or Markdown for ``.md``), through a temporary file: all or nothing."""
    kind = fmt or format_of(path)
    report = contents(document, **inputs)
    text = render_markdown(report, lang=lang) if kind == "markdown" else render_html(report, lang=lang, charts=charts)
    write_atomic(path, text.encode("utf-8"))
    return Path(path)
