"""Small predicates shared by the built-in rules."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from perftarget._judge.review import RuleContext
from perftarget._model.targets import DepartmentTargets, Goal, Indicator
from perftarget._values.levels import Level1, Level2
from perftarget._values.threshold import Threshold, ThresholdKind
from perftarget.rules._text import is_not_applicable_text

__all__ = [
    "COST_LEVEL2",
    "PRINTED_ROW_FIELDS",
    "ROW_FIELDS",
    "Table",
    "at",
    "has_levels",
    "is_cost",
    "is_empty_row",
    "is_row",
    "label",
    "row",
    "shown",
    "tables",
    "target_text",
]

ROW_FIELDS = ("level1", "level2", "name", "description", "target")
"""What most indicator rules read of an indicator (their ``Rule.reads``): levels, texts and target.

Rules that read less declare this too (a declaration may name more than the check reads): rules
that declare the same fields are checked together, once per distinct values of those fields.
"""

PRINTED_ROW_FIELDS = (*ROW_FIELDS, "unit_text", "value_kind")
""":data:`ROW_FIELDS` and the columns some layouts print beside the target: 计量单位 and 指标值类型."""

# Level-2s whose indicators are amounts of money: classic 成本指标 and 2021 经济成本指标.
COST_LEVEL2 = frozenset({Level2.COST, Level2.ECONOMIC_COST})


def is_row(indicator: Indicator) -> bool:
    """Whether the row is a real indicator: a name that is not 无 and a target that applies."""
    return indicator.target.kind is not ThresholdKind.NOT_APPLICABLE and not is_not_applicable_text(indicator.name)


def is_empty_row(indicator: Indicator) -> bool:
    """Whether the row prints nothing but its levels: no name, no description, no target (not even 无)."""
    target = indicator.target
    return (
        not indicator.name.strip()
        and not indicator.description.strip()
        and not (target.is_quantitative or target.is_qualitative)
        and not target.display.strip()
    )


def has_levels(department: DepartmentTargets) -> bool:
    """Whether a department's indicators sit in the level tree (a 整体绩效目标表), not in a narrative."""
    return any(
        indicator.level1 is not None or indicator.level2 is not None
        for goal in department.goals
        for indicator in goal.indicators
    )


class Table(NamedTuple):
    """A table the table rules look at: a project table, or a department part with indicator levels."""

    path: str  # relative to what is reviewed
    goals: tuple[Goal, ...]
    texts: tuple[str, ...]  # what the table says of itself: name, purpose or duties
    what: str  # for a message: 项目 / 部门整体绩效目标
    what_en: str


def tables(ctx: RuleContext) -> Iterator[Table]:
    """The department part (when its indicators have levels), then each project table, of a document rule."""
    department = ctx.document.department
    if department is not None and has_levels(department):
        yield Table(ctx.department_path, department.goals, department.duties, "部门整体绩效目标", "department")
    for index, project in enumerate(ctx.document.projects):
        yield Table(ctx.project_path(index), project.goals, (project.name, project.purpose), "项目", "project")


def at(table: Table, field: str) -> str:
    """``field`` of ``table`` as a path relative to what is reviewed."""
    return f"{table.path}.{field}" if table.path else field


def is_cost(indicator: Indicator) -> bool:
    """Whether the indicator sits under a cost level (成本指标, 经济成本指标)."""
    level2 = indicator.level2  # identity tests: an enum's hash is computed in Python, and this runs per row
    return (
        level2 is Level2.COST or level2 is Level2.ECONOMIC_COST or (level2 is None and indicator.level1 is Level1.COST)
    )


def shown(indicator: Indicator) -> str:
    """The indicator's name for a message (its description when the name is empty)."""
    return indicator.name.strip() or indicator.description.strip() or "（未命名）"


def target_text(threshold: Threshold) -> str:
    """The target as the table wrote it."""
    return _target_text(threshold.source, threshold)


@lru_cache(maxsize=16384)
def _target_text(_source: str | None, threshold: Threshold) -> str:
    # the source is part of the key: it takes no part in a threshold's equality, but shows in its display
    return threshold.display.strip() or str(threshold)


def label(value: object) -> str:
    """A level label for a message."""
    return "" if value is None else str(value)


def row(levels: str, name: str, description: str, target: str, basis: str = "工作要求") -> str:
    """An ``[[indicators]]`` example row; ``levels`` is ``"一级/二级"``."""
    level1, _, level2 = levels.partition("/")
    return (
        f'[[indicators]]\nlevel1 = "{level1}"\nlevel2 = "{level2}"\nname = "{name}"\n'
        f'description = "{description}"\ntarget = "{target}"\nbasis = "{basis}"\n'
    )
