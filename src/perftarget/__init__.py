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
from perftarget._monitoring import (
    MONITORING_COLUMNS,
    DeviationCause,
    IndicatorProgress,
    Likelihood,
    MonitoringFinding,
    MonitoringPolicy,
    MonitoringReport,
    Payment,
    ProgressValue,
    Status,
    load_payments,
    monitor,
    monitor_series,
)
from perftarget._schedule import Checkpoint, SpendingSchedule, checkpoint_date
from perftarget._serialization import SCHEMA_VERSION, dump, dumps, load, loads
from perftarget._threshold import Achievement, Comparator, Threshold, ThresholdKind, parse_statement
from perftarget._units import Quantity
from perftarget.exceptions import (
    DocumentError,
    InvalidActualError,
    InvalidValueError,
    MonitoringError,
    PerftargetError,
    PerftargetWarning,
    Problem,
    ThresholdSyntaxError,
    UnitMismatchError,
)

__all__ = [
    "MONITORING_COLUMNS",
    "SCHEMA_VERSION",
    "Achievement",
    "Basis",
    "BasisCategory",
    "Budget",
    "Checkpoint",
    "Comparator",
    "DepartmentTargets",
    "DeviationCause",
    "Document",
    "DocumentError",
    "Goal",
    "Indicator",
    "IndicatorProgress",
    "InvalidActualError",
    "InvalidValueError",
    "Level1",
    "Level2",
    "Likelihood",
    "Measure",
    "MonitoringError",
    "MonitoringFinding",
    "MonitoringPolicy",
    "MonitoringReport",
    "Payment",
    "PerftargetError",
    "PerftargetWarning",
    "Problem",
    "ProgressValue",
    "ProjectTargets",
    "Quantity",
    "Schema",
    "SpendingSchedule",
    "Status",
    "Suppression",
    "Threshold",
    "ThresholdKind",
    "ThresholdSyntaxError",
    "Unit",
    "UnitMismatchError",
    "checkpoint_date",
    "dump",
    "dumps",
    "load",
    "load_payments",
    "loads",
    "monitor",
    "monitor_series",
    "parse_statement",
    "__version__",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("perftarget")
    msg = f"module 'perftarget' has no attribute {name!r}"
    raise AttributeError(msg)
