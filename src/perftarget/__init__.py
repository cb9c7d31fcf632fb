"""perftarget: Chinese budget performance targets (预算绩效目标) as typed data."""

from __future__ import annotations

from perftarget._levels import Level1, Level2, Schema
from perftarget._model import (
    Basis,
    BasisCategory,
    Budget,
    DepartmentTargets,
    Document,
    Goal,
    Indicator,
    Measure,
    ProjectTargets,
    Suppression,
    Unit,
)
from perftarget._schedule import Checkpoint, SpendingSchedule
from perftarget._serialization import SCHEMA_VERSION, dump, dumps, load, loads
from perftarget._threshold import Achievement, Comparator, Threshold, ThresholdKind, parse_statement
from perftarget._units import Quantity
from perftarget.exceptions import (
    DocumentError,
    InvalidActualError,
    InvalidValueError,
    PerftargetError,
    PerftargetWarning,
    Problem,
    ThresholdSyntaxError,
    UnitMismatchError,
)

__all__ = [
    "SCHEMA_VERSION",
    "Achievement",
    "Basis",
    "BasisCategory",
    "Budget",
    "Checkpoint",
    "Comparator",
    "DepartmentTargets",
    "Document",
    "DocumentError",
    "Goal",
    "Indicator",
    "InvalidActualError",
    "InvalidValueError",
    "Level1",
    "Level2",
    "Measure",
    "PerftargetError",
    "PerftargetWarning",
    "Problem",
    "ProjectTargets",
    "Quantity",
    "Schema",
    "SpendingSchedule",
    "Suppression",
    "Threshold",
    "ThresholdKind",
    "ThresholdSyntaxError",
    "Unit",
    "UnitMismatchError",
    "__version__",
    "dump",
    "dumps",
    "load",
    "loads",
    "parse_statement",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("perftarget")
    msg = f"module 'perftarget' has no attribute {name!r}"
    raise AttributeError(msg)
