"""perftarget: Chinese budget performance targets (预算绩效目标) as typed data.

The front door holds the model, the few values every table has, reading and writing,
the three judgements (review, evaluate, monitor) with their policies and main results,
and the errors most callers catch. Everything else has one documented home:
:mod:`perftarget.values` (thresholds, units, levels), :mod:`perftarget.rules` (review rules
and :class:`RuleSet`), :mod:`perftarget.results` (the parts of the results and their enums),
:mod:`perftarget.exceptions` (every error), :mod:`perftarget.serialization`,
:mod:`perftarget.frame`, :mod:`perftarget.plot`, :mod:`perftarget.excel`,
:mod:`perftarget.columnar`, :mod:`perftarget.batch` and :mod:`perftarget.testing`.

Importing :mod:`perftarget` installs the notebook display (``_repr_html_``) of documents and
tables: see :func:`perftarget._display.install_notebook_display`.
"""

from __future__ import annotations

from perftarget._codec.actuals import load_actuals
from perftarget._codec.convert import dump, dumps, dumps_bytes, load, loads
from perftarget._display import install_notebook_display
from perftarget._judge.evaluate import (
    DocumentEvaluation,
    ProjectEvaluation,
    ScoringPolicy,
    evaluate,
    evaluate_department,
    evaluate_document,
)
from perftarget._judge.monitor import (
    MonitoringPolicy,
    MonitoringReport,
    Payment,
    ProgressValue,
    load_payments,
    load_progress,
    monitor,
    monitor_series,
)
from perftarget._judge.review import Finding, RuleSet, Severity
from perftarget._limits import Limits
from perftarget._model.actuals import Actual, ActualsDocument, ExplicitScore, TableActuals
from perftarget._model.targets import (
    Basis,
    BasisCategory,
    Budget,
    CostItem,
    DepartmentTargets,
    Detail,
    Document,
    Goal,
    Indicator,
    Measure,
    ProjectTargets,
    Suppression,
    Unit,
)
from perftarget._values.schedule import Checkpoint, SpendingSchedule
from perftarget._values.threshold import Threshold
from perftarget.exceptions import DocumentError, InvalidValueError, PerftargetError, PerftargetWarning
from perftarget.rules import review

__all__ = [
    "Actual",
    "ActualsDocument",
    "Basis",
    "BasisCategory",
    "Budget",
    "Checkpoint",
    "CostItem",
    "DepartmentTargets",
    "Detail",
    "Document",
    "DocumentError",
    "DocumentEvaluation",
    "ExplicitScore",
    "Finding",
    "Goal",
    "Indicator",
    "InvalidValueError",
    "Limits",
    "Measure",
    "MonitoringPolicy",
    "MonitoringReport",
    "Payment",
    "PerftargetError",
    "PerftargetWarning",
    "ProgressValue",
    "ProjectEvaluation",
    "ProjectTargets",
    "RuleSet",
    "ScoringPolicy",
    "Severity",
    "SpendingSchedule",
    "Suppression",
    "TableActuals",
    "Threshold",
    "Unit",
    "__version__",
    "dump",
    "dumps",
    "dumps_bytes",
    "evaluate",
    "evaluate_department",
    "evaluate_document",
    "load",
    "load_actuals",
    "load_payments",
    "load_progress",
    "loads",
    "monitor",
    "monitor_series",
    "review",
]

install_notebook_display()


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("perftarget")
    msg = f"module 'perftarget' has no attribute {name!r}"
    raise AttributeError(msg)
