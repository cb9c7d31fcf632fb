"""Tables for analysts: every perftarget result as rows of typed values, or as a pandas DataFrame.

``records(obj)`` needs nothing beyond perftarget; ``to_frame(obj)`` needs the ``pandas``
extra (``pip install "perftarget[pandas]"``). Both accept

- a :class:`~perftarget.Document`, :class:`~perftarget.ProjectTargets` or
  :class:`~perftarget.DepartmentTargets`: one row per indicator;
- a :class:`~perftarget.ProjectEvaluation` or :class:`~perftarget.DocumentEvaluation`: the
  rows of the self-evaluation table (自评表: every indicator, then 预算执行率 and 总分), or
  its ``items`` alone;
- a :class:`~perftarget.MonitoringReport`: the rows of the monitoring table (监控表: the
  money first, then every indicator), or its ``indicators`` or ``findings`` alone;
- review findings (:class:`~perftarget.rules.Findings`, what :func:`~perftarget.review`
  returns, or :class:`~perftarget.Finding` values): one row per finding, its message in the
  frame's language (``message_en`` for ``lang="en"``), with the columns even when there is none;
- a list of any of these (a monitoring series, the findings of many documents): their rows
  one after another; any other perftarget value: one row of its fields.

Figures are numbers, never text: amounts (万元), percents (0-100), weights and scores are
exact ``Decimal`` by default, ``float`` with ``decimals="float"`` (for statistics and
plots), or decimal text with ``decimals="str"``. They are exact, not rounded for display:
the published tables (``str(evaluation)``, :mod:`perftarget.report`) round half up.

Column names are English identifiers by default and the published headings with
``lang="zh"``; so are the values of enums (``"warning"`` / ``"警告"``, ``"certain"`` /
``"确定能"``). A missing value is ``None`` in every column, except in a float column
(``decimals="float"``), where it is ``NaN``; empty text counts as missing.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from perftarget._codec.convert import to_dict
from perftarget._display import Lang, help_text
from perftarget._judge.evaluate import DocumentEvaluation, IndicatorScore, ProjectEvaluation
from perftarget._judge.monitor import IndicatorProgress, MonitoringFinding, MonitoringReport
from perftarget._judge.review import Finding, Findings
from perftarget._model.targets import DepartmentTargets, Document, Indicator, ProjectTargets
from perftarget.exceptions import MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["records", "to_frame"]

DecimalMode = Literal["keep", "float", "str"]
Kind = Literal["text", "number", "bool", "date"]
_HUNDRED: Final = Decimal(100)

# key: (Chinese heading, English identifier, kind)
_Columns = Mapping[str, tuple[str, str, Kind]]

_TARGET_COLUMNS: Final[_Columns] = {
    "project_code": ("项目编码", "project_code", "text"),
    "project_name": ("项目名称", "project_name", "text"),
    "goal": ("绩效目标", "goal", "text"),
    "level1": ("一级指标", "level1", "text"),
    "level2": ("二级指标", "level2", "text"),
    "indicator": ("三级指标", "indicator", "text"),
    "description": ("绩效指标描述", "description", "text"),
    "target": ("指标值", "target", "text"),
    "kind": ("指标值类型", "kind", "text"),
    "comparator": ("计算符号", "comparator", "text"),
    "target_value": ("目标数值", "target_value", "number"),
    "target_upper": ("目标上限", "target_upper", "number"),
    "unit": ("计量单位", "unit", "text"),
    "basis": ("指标值确定依据", "basis", "text"),
    "weight": ("分值", "weight", "number"),
    "path": ("位置", "path", "text"),
}
_SCORE_COLUMNS: Final[_Columns] = {
    "project_code": ("项目编码", "project_code", "text"),
    "project_name": ("项目名称", "project_name", "text"),
    "line": ("行", "line", "text"),
    "path": ("位置", "path", "text"),
    "level1": ("一级指标", "level1", "text"),
    "level2": ("二级指标", "level2", "text"),
    "indicator": ("三级指标", "indicator", "text"),
    "target": ("年度指标值", "target", "text"),
    "actual": ("实际完成值", "actual", "text"),
    "weight": ("分值", "weight", "number"),
    "score": ("得分", "score", "number"),
    "reason": ("偏差原因分析及改进措施", "reason", "text"),
    "rule": ("计分规则", "rule", "text"),
    "formula": ("计算过程", "formula", "text"),
    "needs_explanation": ("需说明偏差", "needs_explanation", "bool"),
    "over_achieved": ("超额完成", "over_achieved", "bool"),
}
_MONITOR_COLUMNS: Final[_Columns] = {
    "project_code": ("项目编码", "project_code", "text"),
    "project_name": ("项目名称", "project_name", "text"),
    "as_of": ("截至日期", "as_of", "date"),
    "line": ("行", "line", "text"),
    "path": ("位置", "path", "text"),
    "budget": ("年度预算数", "budget", "number"),
    "spent": ("截至当期执行数", "spent", "number"),
    "execution_rate": ("执行率", "execution_rate", "number"),
    "projected_spent": ("全年预计执行数", "projected_spent", "number"),
    "planned_share": ("计划进度", "planned_share", "number"),
    "time_progress": ("序时进度", "time_progress", "number"),
    "level1": ("一级指标", "level1", "text"),
    "level2": ("二级指标", "level2", "text"),
    "indicator": ("三级指标", "indicator", "text"),
    "target": ("年度指标值", "target", "text"),
    "unit": ("计量单位", "unit", "text"),
    "value": ("截至当期完成值", "value", "number"),
    "forecast": ("全年预计完成值", "forecast", "number"),
    "achievement": ("截至当期完成情况", "achievement", "text"),
    "forecast_achievement": ("全年预计完成情况", "forecast_achievement", "text"),
    "ratio": ("比值", "ratio", "number"),
    "likelihood": ("完成目标可能性", "likelihood", "text"),
    "status": ("状态", "status", "text"),
    "cause": ("偏差原因分析", "cause", "text"),
    "note": ("备注", "note", "text"),
}
_FINDING_COLUMNS: Final[_Columns] = {
    "code": ("规则", "code", "text"),
    "severity": ("级别", "severity", "text"),
    "path": ("位置", "path", "text"),
    "message": ("问题", "message", "text"),
    "help": ("修改建议", "help", "text"),
    "suppressed": ("已豁免", "suppressed", "bool"),
    "suppression_reason": ("豁免理由", "suppression_reason", "text"),
}
_MONITORING_FINDING_COLUMNS: Final[_Columns] = {
    "code": ("代码", "code", "text"),
    "path": ("位置", "path", "text"),
    "message": ("说明", "message", "text"),
}
_KIND_ZH: Final = {"quantitative": "定量", "qualitative": "定性", "not_applicable": "不适用", "blank": "未填写"}
_LINES: Final = {
    "indicator": ("指标", "indicator"),
    "budget": ("预算执行率", "budget"),
    "total": ("总分", "total"),
}


@attrs.frozen
class _Table:
    """Rows keyed by column key, with the columns' headings and kinds."""

    columns: _Columns
    rows: list[dict[str, object]]


def _word(value: object, lang: Lang) -> object:
    """An enum member as its published word (``zh``) or English name; other values unchanged."""
    if isinstance(value, enum.Enum):
        if lang == "zh":
            return value.label if hasattr(value, "label") else value.value
        return getattr(value, "english", value.value)
    return value


def _line(key: str, lang: Lang) -> str:
    zh, en = _LINES[key]
    return zh if lang == "zh" else en


# --- documents --------------------------------------------------------------------------------


def _indicator_row(
    indicator: Indicator, path: str, goal: str, project: ProjectTargets | None, lang: Lang
) -> dict[str, object]:
    target = indicator.target
    kind = target.kind.value
    return {
        "project_code": project.code if project else None,
        "project_name": project.name if project else None,
        "goal": goal,
        "level1": indicator.level1_label,
        "level2": indicator.level2_label,
        "indicator": indicator.name,
        "description": indicator.description,
        "target": target.display,
        "kind": _KIND_ZH[kind] if lang == "zh" else kind,
        "comparator": target.comparator.value if target.comparator else None,
        "target_value": target.value,
        "target_upper": target.upper,
        "unit": target.unit,
        "basis": indicator.basis.text if indicator.basis else None,
        "weight": indicator.weight,
        "path": path,
    }


def _targets(
    goals: Sequence[Any], prefix: str, project: ProjectTargets | None, lang: Lang
) -> Iterable[dict[str, object]]:
    for g, goal in enumerate(goals):
        for i, indicator in enumerate(goal.indicators):
            yield _indicator_row(indicator, f"{prefix}goals[{g}].indicators[{i}]", goal.content, project, lang)


def _document(document: Document, lang: Lang) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    if document.department is not None:
        rows.extend(_targets(document.department.goals, "department.", None, lang))
    for p, project in enumerate(document.projects):
        rows.extend(_targets(project.goals, f"projects[{p}].", project, lang))
    return rows


# --- results ----------------------------------------------------------------------------------


def _score_row(item: IndicatorScore, lang: Lang) -> dict[str, object]:
    return {
        "line": _line("indicator", lang), "path": item.path, "level1": item.level1, "level2": item.level2,
        "indicator": item.name, "target": item.target, "actual": item.actual, "weight": item.weight,
        "score": item.score, "reason": item.reason, "rule": item.rule, "formula": item.formula,
        "needs_explanation": item.needs_explanation, "over_achieved": item.over_achieved,
    }


def _evaluation(evaluation: ProjectEvaluation, lang: Lang) -> list[dict[str, object]]:
    """The self-evaluation table's rows: each indicator, then 预算执行率 (when scored) and 总分."""
    project = {"project_code": evaluation.code, "project_name": evaluation.name}
    rows = [{**project, **_score_row(item, lang)} for item in evaluation.items]
    if evaluation.budget_score is not None:
        spent = f"{evaluation.display(evaluation.spent)}（{evaluation.display_rate()}）"
        rows.append({
            **project, "line": _line("budget", lang), "level1": _line("budget", lang),
            "target": evaluation.display(evaluation.budget), "actual": spent, "weight": evaluation.budget_weight,
            "score": evaluation.budget_score, "formula": evaluation.budget_formula,
        })
    rows.append({
        **project, "line": _line("total", lang), "level1": _line("total", lang), "weight": _HUNDRED,
        "score": evaluation.total, "formula": evaluation.total_formula,
    })
    return rows


def _progress_row(line: IndicatorProgress, lang: Lang) -> dict[str, object]:
    return {
        "line": _line("indicator", lang), "path": line.path, "level1": line.level1, "level2": line.level2,
        "indicator": line.name, "target": line.target, "unit": line.unit, "value": line.value,
        "forecast": line.forecast, "achievement": _word(line.achievement, lang),
        "forecast_achievement": _word(line.forecast_achievement, lang), "ratio": line.ratio,
        "likelihood": _word(line.likelihood, lang), "status": _word(line.status, lang),
        "cause": _word(line.deviation_cause, lang), "note": line.note,
    }


def _monitoring(report: MonitoringReport, lang: Lang) -> list[dict[str, object]]:
    """The monitoring table's rows: the money first, then each indicator."""
    project = {"project_code": report.project_code, "project_name": report.project_name, "as_of": report.as_of}
    money = {
        **project, "line": _line("budget", lang), "budget": report.budget, "spent": report.spent,
        "execution_rate": report.execution_rate, "projected_spent": report.projected_spent,
        "planned_share": report.planned_share, "time_progress": report.time_progress, "ratio": report.ratio,
        "status": _word(report.status, lang),
    }
    return [money, *({**project, **_progress_row(line, lang)} for line in report.indicators)]


def _finding_row(finding: Finding, lang: Lang) -> dict[str, object]:
    return {
        "code": finding.code, "severity": _word(finding.severity, lang), "path": finding.path,
        "message": finding.message if lang == "zh" else finding.message_en, "help": help_text(finding, lang),
        "suppressed": finding.suppression is not None,
        "suppression_reason": None if finding.suppression is None else finding.suppression.reason,
    }


def _evaluations(evaluation: DocumentEvaluation, lang: Lang) -> list[dict[str, object]]:
    parts = ([evaluation.department] if evaluation.department is not None else []) + list(evaluation.projects)
    return [row for part in parts for row in _evaluation(part, lang)]


_KINDS: Final[tuple[tuple[type, _Columns, Callable[[Any, Lang], list[dict[str, object]]]], ...]] = (
    (Document, _TARGET_COLUMNS, _document),
    (ProjectTargets, _TARGET_COLUMNS, lambda table, lang: list(_targets(table.goals, "", table, lang))),
    (DepartmentTargets, _TARGET_COLUMNS, lambda table, lang: list(_targets(table.goals, "", None, lang))),
    (ProjectEvaluation, _SCORE_COLUMNS, _evaluation),
    (DocumentEvaluation, _SCORE_COLUMNS, _evaluations),
    (IndicatorScore, _SCORE_COLUMNS, lambda item, lang: [_score_row(item, lang)]),
    (MonitoringReport, _MONITOR_COLUMNS, _monitoring),
    (IndicatorProgress, _MONITOR_COLUMNS, lambda line, lang: [_progress_row(line, lang)]),
    (Finding, _FINDING_COLUMNS, lambda finding, lang: [_finding_row(finding, lang)]),
    (Findings, _FINDING_COLUMNS, lambda findings, lang: [_finding_row(finding, lang) for finding in findings]),
    (
        MonitoringFinding,
        _MONITORING_FINDING_COLUMNS,
        lambda finding, _: [{"code": finding.code, "path": finding.location, "message": finding.message}],
    ),
)
"""Each kind of value with a table form: its columns and its rows."""


def _table(obj: object, lang: Lang) -> _Table | None:
    """The rows of one value, or ``None`` when it is a collection to walk."""
    for cls, columns, rows in _KINDS:
        if isinstance(obj, cls):
            return _Table(columns, rows(obj, lang))
    if attrs.has(type(obj)):  # a payment, a subtotal...: its fields, as stored
        row = to_dict(obj, native=True)
        fields: dict[str, tuple[str, str, Kind]] = {
            key: (key, key, "number" if isinstance(value, Decimal) else "text") for key, value in row.items()
        }
        return _Table(fields, [{key: _word(value, lang) for key, value in row.items()}])
    return None


def _collect(obj: object, lang: Lang) -> _Table:
    if lang not in {"zh", "en"}:
        msg = f"lang: expected 'zh' or 'en', got {lang!r}"
        raise ValueError(msg)
    table = _table(obj, lang)
    if table is not None:
        return table
    if isinstance(obj, Iterable) and not isinstance(obj, (str, bytes, Mapping)):
        columns: dict[str, tuple[str, str, Kind]] = {}
        rows: list[dict[str, object]] = []
        for item in obj:
            part = _collect(item, lang)
            columns.update(part.columns)
            rows.extend(part.rows)
        return _Table(columns, rows)
    msg = f"no table form for {type(obj).__name__}"
    raise TypeError(msg)


def _missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _heading(key: str, columns: _Columns, lang: Lang) -> str:
    zh, en, _ = columns[key]
    return zh if lang == "zh" else en


def records(obj: object, *, lang: Lang = "en") -> list[dict[str, object]]:
    """One dict per row (see the module's description): every column, figures as exact ``Decimal``.

    Column names are English identifiers by default, the published headings with
    ``lang="zh"``. A missing value (empty text included) is ``None``.

    >>> import perftarget
    >>> document = perftarget.load("examples/petition-bureau.toml")
    >>> records(document.projects[0], lang="zh")[0]["目标数值"]
    Decimal('8')
    """
    table = _collect(obj, lang)
    keys = list(table.columns)
    return [
        {
            _heading(key, table.columns, lang): None if _missing(value := row.get(key)) else value
            for key in keys
        }
        for row in table.rows
    ]


def _number(value: object, mode: DecimalMode) -> object:
    if value is None:
        return math.nan if mode == "float" else None
    if mode == "float":
        return float(value)  # type: ignore[arg-type]
    if mode == "str":
        return str(value)
    return value


def _pandas() -> Any:  # noqa: ANN401 - the pandas module
    try:
        import pandas as pd  # noqa: PLC0415 - optional extra
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("pandas", "pandas", "to_frame()") from None
    return pd


def to_frame(obj: object, *, decimals: DecimalMode = "keep", lang: Lang = "en") -> pd.DataFrame:
    """A pandas DataFrame of the rows of ``obj`` (see the module's description).

    Args:
        obj: a document, table, evaluation, monitoring report, findings, or a list of these.
        decimals: figures as ``"keep"`` (exact ``Decimal``, object columns), ``"float"``
            (``float64`` columns, ``NaN`` where missing) or ``"str"`` (decimal text).
        lang: ``"en"`` identifiers or ``"zh"`` published headings as column names, and the
            language of enum values.

    Returns:
        One column per field, typed by kind: figures as above, flags ``bool``, text and
        dates as objects; a missing value is ``None`` (``NaN`` in a float column).
    """
    if decimals not in {"keep", "float", "str"}:
        msg = f"decimals: expected 'keep', 'float' or 'str', got {decimals!r}"
        raise ValueError(msg)
    pd = _pandas()
    table = _collect(obj, lang)
    data: dict[str, Any] = {}
    for key, (_, _, kind) in table.columns.items():
        values = [None if _missing(value := row.get(key)) else value for row in table.rows]
        name = _heading(key, table.columns, lang)
        if kind == "number":
            converted = [_number(value, decimals) for value in values]
            data[name] = pd.Series(converted, dtype="float64" if decimals == "float" else object)
        elif kind == "bool":
            data[name] = pd.Series([bool(value) for value in values], dtype=bool)
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=list(data))
