"""Tables for analysts: one row per indicator, as records or as a pandas DataFrame.

``records(obj)`` needs nothing beyond perftarget; ``to_frame(obj)`` needs the ``pandas``
extra (``pip install "perftarget[pandas]"``). Both accept a :class:`~perftarget.Document`,
a :class:`~perftarget.ProjectTargets`, a :class:`~perftarget.DepartmentTargets`, any
result with a ``to_rows()`` method (evaluations, monitoring reports), any other perftarget
value (a :class:`~perftarget.Finding`: one row of its fields), or a list of these.

Amounts stay ``Decimal`` unless asked otherwise: ``decimals="float"`` converts them
for plotting and statistics, ``decimals="str"`` keeps every digit as text.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

from perftarget._codec.convert import to_dict
from perftarget._display import Lang
from perftarget._model.targets import DepartmentTargets, Document, Indicator, ProjectTargets
from perftarget.exceptions import MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["records", "to_frame"]

DecimalMode = Literal["keep", "float", "str"]

_COLUMNS: dict[str, tuple[str, str]] = {
    "project_code": ("项目编码", "project_code"),
    "project_name": ("项目名称", "project_name"),
    "goal": ("绩效目标", "goal"),
    "level1": ("一级指标", "level1"),
    "level2": ("二级指标", "level2"),
    "indicator": ("三级指标", "indicator"),
    "description": ("绩效指标描述", "description"),
    "target": ("指标值", "target"),
    "kind": ("指标值类型", "kind"),
    "comparator": ("计算符号", "comparator"),
    "target_value": ("目标数值", "target_value"),
    "target_upper": ("目标上限", "target_upper"),
    "unit": ("计量单位", "unit"),
    "basis": ("指标值确定依据", "basis"),
    "weight": ("分值", "weight"),
    "path": ("位置", "path"),
}
_KIND_ZH = {"quantitative": "定量", "qualitative": "定性", "not_applicable": "不适用", "blank": "未填写"}


def _indicator_record(
    indicator: Indicator, path: str, goal: str, project: ProjectTargets | None, lang: Lang
) -> dict[str, object]:
    target = indicator.target
    kind = target.kind.value
    values: dict[str, object] = {
        "project_code": project.code if project else None,
        "project_name": project.name if project else None,
        "goal": goal,
        "level1": indicator.level1_label or None,
        "level2": indicator.level2_label or None,
        "indicator": indicator.name,
        "description": indicator.description,
        "target": target.display,
        "kind": _KIND_ZH[kind] if lang == "zh" else kind,
        "comparator": target.comparator.value if target.comparator else None,
        "target_value": target.value,
        "target_upper": target.upper,
        "unit": target.unit or None,
        "basis": indicator.basis.text if indicator.basis else None,
        "weight": indicator.weight,
        "path": path,
    }
    index = 0 if lang == "zh" else 1
    return {_COLUMNS[key][index]: value for key, value in values.items()}


def _project_records(project: ProjectTargets, prefix: str, lang: Lang) -> Iterable[dict[str, object]]:
    for g, goal in enumerate(project.goals):
        for i, indicator in enumerate(goal.indicators):
            yield _indicator_record(indicator, f"{prefix}goals[{g}].indicators[{i}]", goal.content, project, lang)


def _department_records(department: DepartmentTargets, prefix: str, lang: Lang) -> Iterable[dict[str, object]]:
    for g, goal in enumerate(department.goals):
        for i, indicator in enumerate(goal.indicators):
            yield _indicator_record(indicator, f"{prefix}goals[{g}].indicators[{i}]", goal.content, None, lang)


def records(obj: object, *, lang: Lang = "en") -> list[dict[str, object]]:
    """One dict per indicator (or per row of a result's ``to_rows()``).

    Column names are English identifiers by default, the Chinese table headings with
    ``lang="zh"``.
    """
    if isinstance(obj, Document):
        rows: list[dict[str, object]] = []
        if obj.department is not None:
            rows.extend(_department_records(obj.department, "department.", lang))
        for p, project in enumerate(obj.projects):
            rows.extend(_project_records(project, f"projects[{p}].", lang))
        return rows
    if isinstance(obj, ProjectTargets):
        return list(_project_records(obj, "", lang))
    if isinstance(obj, DepartmentTargets):
        return list(_department_records(obj, "", lang))
    to_rows = getattr(obj, "to_rows", None)
    if callable(to_rows):
        return [dict(row) for row in to_rows()]
    if attrs.has(type(obj)):  # a finding, a payment...: its fields, as stored
        return [to_dict(obj, native=True)]
    if isinstance(obj, Iterable) and not isinstance(obj, (str, bytes, Mapping)):
        out: list[dict[str, object]] = []
        for item in obj:
            out.extend(records(item, lang=lang))
        return out
    msg = f"no table form for {type(obj).__name__}"
    raise TypeError(msg)


def _convert(value: object, mode: DecimalMode) -> object:
    if isinstance(value, Decimal):
        if mode == "float":
            return float(value)
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
    """A pandas DataFrame with one row per indicator (see :func:`records`).

    Args:
        obj: a document, project, department, or a result with ``to_rows()``.
        decimals: ``"keep"`` (``Decimal`` objects), ``"float"`` or ``"str"``.
        lang: ``"en"`` identifiers or ``"zh"`` table headings as column names.
    """
    pd = _pandas()
    rows = records(obj, lang=lang)
    if decimals != "keep":
        rows = [{k: _convert(v, decimals) for k, v in row.items()} for row in rows]
    return pd.DataFrame.from_records(rows)
