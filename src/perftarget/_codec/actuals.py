"""Reading actuals files (实际完成值): the dict-shaped form and the ``.toml``/``.json`` file.

An actuals file sits beside the targets file, in the same formats (TOML or JSON)::

    schema_version = 1

    [[projects]]
    project = "13063722P0041681003"   # the project's code or name
    spent = 9.2                       # 全年执行数, 万元 (or text: "92000元")
    # budget = 10.00                  # 全年预算数 when it differs from the table's
    outcome = "完成年度目标。"         # 年度总体目标 实际完成情况, as the unit states it (optional)

    [projects.actuals]
    "群众来访接待劝返率" = "93%"
    "正常办公条件保障情况" = "部分达成"
    "上访人员满意度" = {value = "96%", reason = "个别来访诉求未能当场解决"}
    "按时间进度要求支付使用资金" = {band = "达成", score = 11}

    [projects.reasons]
    "群众来访接待劝返率" = "重复来访人数增加；下年加强源头化解"

The values and their tables are the model's (:mod:`perftarget._model.actuals`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs

from perftarget._codec.convert import _parse_text, format_of
from perftarget._codec.hooks import SCHEMA_VERSION
from perftarget._files import read_text_file
from perftarget._limits import DEFAULT_LIMITS, Limits
from perftarget._model.actuals import Actual, ActualsDocument, TableActuals, to_actual
from perftarget.exceptions import DocumentError, InvalidValueError, Problem, shown

__all__ = ["actuals_from_dict", "load_actuals"]

_TABLE_KEYS: Final = frozenset({"project", "spent", "budget", "actuals", "reasons", "outcome"})
_TOP_KEYS: Final = frozenset({"schema_version", "projects", "department", "notes"})


def _unknown_keys(data: Mapping[str, object], allowed: frozenset[str], where: str) -> list[Problem]:
    choices = ", ".join(sorted(allowed))
    prefix = f"{where}." if where else ""
    return [Problem(f"{prefix}{key}", f"unknown key; expected one of: {choices}")
            for key in sorted(set(data) - allowed, key=str)]


def _read_amount(data: Mapping[str, object], key: str, where: str, problems: list[Problem]) -> Decimal | str | None:
    value = data.get(key)
    if value is None or isinstance(value, (str, Decimal)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    problems.append(Problem(f"{where}.{key}", f'expected an amount such as 9.2 or "92000元" (got {shown(value)})'))
    return None


def _read_mapping(data: Mapping[str, object], key: str, where: str, problems: list[Problem]) -> Mapping[str, object]:
    value = data.get(key, {})
    if isinstance(value, Mapping):
        return value
    problems.append(Problem(f"{where}.{key}", "expected a table from indicator name to value"))
    return {}


def _read_actuals(
    raw: Mapping[str, object], reasons: Mapping[str, object], where: str, problems: list[Problem]
) -> dict[str, Actual]:
    actuals: dict[str, Actual] = {}
    for name, value in raw.items():
        spot = f"{where}.actuals[{name!r}]"
        if isinstance(value, (bool, list, float)):
            problems.append(Problem(spot, f"expected text, a number or a table (got {shown(value)})"))
            continue
        try:
            actual = to_actual(value)
        except InvalidValueError as exc:
            problems.append(Problem(spot, str(exc)))
            continue
        reason = reasons.get(name)
        if isinstance(reason, str) and reason:
            if actual.reason and actual.reason != reason:
                problems.append(Problem(f"{where}.reasons[{name!r}]", "the actual already carries another reason"))
            actual = attrs.evolve(actual, reason=reason)
        actuals[str(name)] = actual
    for name, text in reasons.items():
        if not isinstance(text, str):
            problems.append(Problem(f"{where}.reasons[{name!r}]", f"expected text (got {shown(text)})"))
        elif name not in raw:
            problems.append(Problem(f"{where}.reasons[{name!r}]", "a reason for an indicator with no actual value"))
    return actuals


def _read_table(data: object, where: str, problems: list[Problem], *, department: bool) -> TableActuals | None:
    if not isinstance(data, Mapping):
        problems.append(Problem(where, "expected a table (mapping)"))
        return None
    problems.extend(_unknown_keys(data, _TABLE_KEYS - {"project"} if department else _TABLE_KEYS, where))
    project = data.get("project", "")
    if not department and (not isinstance(project, str) or not project):
        problems.append(Problem(f"{where}.project", "required: the project's code or name (text)"))
        project = ""
    spent = _read_amount(data, "spent", where, problems)
    budget = _read_amount(data, "budget", where, problems)
    reasons = _read_mapping(data, "reasons", where, problems)
    actuals = _read_actuals(_read_mapping(data, "actuals", where, problems), reasons, where, problems)
    outcome = data.get("outcome", "")
    if not isinstance(outcome, str):
        problems.append(Problem(f"{where}.outcome", f"expected text (got {shown(outcome)})"))
        outcome = ""
    return TableActuals(project=str(project), spent=spent, budget=budget, actuals=actuals, outcome=outcome)


def actuals_from_dict(data: object, *, source: str | None = None) -> ActualsDocument:
    """Build an :class:`ActualsDocument` from dict-shaped data (as read from JSON or TOML).

    Raises:
        DocumentError: listing every problem with its path.
    """
    if not isinstance(data, Mapping):
        raise DocumentError([Problem("", "expected a table (mapping) at the top")], source=source)
    problems: list[Problem] = []
    version = data.get("schema_version")
    if version is None:
        problems.append(Problem("schema_version", f"required key missing (this release writes {SCHEMA_VERSION})"))
    elif isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        expected = f"expected a whole number from 1 to {SCHEMA_VERSION} (got {version!r})"
        problems.append(Problem("schema_version", expected))
    problems.extend(_unknown_keys(data, _TOP_KEYS, ""))
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        problems.append(Problem("notes", "expected text"))
        notes = ""
    projects: list[TableActuals] = []
    raw_projects = data.get("projects", [])
    if not isinstance(raw_projects, list):
        problems.append(Problem("projects", "expected a list of tables ([[projects]])"))
        raw_projects = []
    for index, item in enumerate(raw_projects):
        table = _read_table(item, f"projects[{index}]", problems, department=False)
        if table is not None:
            projects.append(table)
    department = None
    if "department" in data:
        department = _read_table(data["department"], "department", problems, department=True)
    if problems:
        raise DocumentError(problems, source=source)
    return ActualsDocument(projects=tuple(projects), department=department, notes=notes)


def load_actuals(
    path: str | os.PathLike[str], *, fmt: str | None = None, encoding: str | None = None,
    limits: Limits | None = None,
) -> ActualsDocument:
    """Read an actuals file (``.toml`` or ``.json``) written beside a targets file.

    The format is described in :mod:`perftarget`'s guide *Evaluate a project*: a
    ``schema_version``, then per project its ``project`` (code or name), ``spent``,
    optional ``budget``, an ``actuals`` table from indicator to value, optional
    ``reasons``, and an optional ``outcome`` (年度总体目标 实际完成情况, text); a
    ``department`` table has the same keys without ``project``.

    Raises:
        DocumentError: the file cannot be read or is malformed; every problem is listed
            with its path (``projects[0].actuals['上访人员满意度']``).
    """
    file = Path(path)
    kind = format_of(file, fmt)
    bounds = DEFAULT_LIMITS if limits is None else limits
    text = read_text_file(file, encoding=encoding, limits=bounds)
    data = _parse_text(text, kind, source=str(file), limits=bounds)
    return actuals_from_dict(data, source=str(file))
