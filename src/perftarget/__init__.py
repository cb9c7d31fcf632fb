"""perftarget: Chinese budget performance targets (预算绩效目标) as typed data."""

from __future__ import annotations

from perftarget._actuals import Actual, ActualsDocument, ExplicitScore, TableActuals, load_actuals
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
from perftarget._scoring import (
    DocumentEvaluation,
    Grade,
    IndicatorScore,
    ProjectEvaluation,
    ScoringPolicy,
    Subtotal,
    evaluate,
    evaluate_department,
    evaluate_document,
)
from perftarget._serialization import SCHEMA_VERSION, dump, dumps, load, loads
from perftarget._threshold import Achievement, Comparator, Threshold, ThresholdKind, parse_quantity, parse_statement
from perftarget._units import Quantity
from perftarget.exceptions import (
    DocumentError,
    EvaluationError,
    InvalidActualError,
    InvalidValueError,
    MissingDependencyError,
    MonitoringError,
    PerftargetError,
    PerftargetWarning,
    Problem,
    ThresholdSyntaxError,
    UnitMismatchError,
    WorkbookError,
)

__all__ = [
    "MONITORING_COLUMNS",
    "SCHEMA_VERSION",
    "Achievement",
    "Actual",
    "ActualsDocument",
    "Basis",
    "BasisCategory",
    "Budget",
    "Checkpoint",
    "Comparator",
    "DepartmentTargets",
    "DeviationCause",
    "Document",
    "DocumentError",
    "DocumentEvaluation",
    "EvaluationError",
    "ExplicitScore",
    "Goal",
    "Grade",
    "Indicator",
    "IndicatorProgress",
    "IndicatorScore",
    "InvalidActualError",
    "InvalidValueError",
    "Level1",
    "Level2",
    "Likelihood",
    "Measure",
    "MissingDependencyError",
    "MonitoringError",
    "MonitoringFinding",
    "MonitoringPolicy",
    "MonitoringReport",
    "Payment",
    "PerftargetError",
    "PerftargetWarning",
    "Problem",
    "ProgressValue",
    "ProjectEvaluation",
    "ProjectTargets",
    "Quantity",
    "Schema",
    "ScoringPolicy",
    "SpendingSchedule",
    "Status",
    "Subtotal",
    "Suppression",
    "TableActuals",
    "Threshold",
    "ThresholdKind",
    "ThresholdSyntaxError",
    "Unit",
    "UnitMismatchError",
    "WorkbookError",
    "checkpoint_date",
    "dump",
    "dumps",
    "evaluate",
    "evaluate_department",
    "evaluate_document",
    "load",
    "load_actuals",
    "load_payments",
    "loads",
    "monitor",
    "monitor_series",
    "parse_quantity",
    "parse_statement",
    "__version__",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("perftarget")
    msg = f"module 'perftarget' has no attribute {name!r}"
    raise AttributeError(msg)
