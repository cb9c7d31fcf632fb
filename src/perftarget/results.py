"""The parts of the judgements' results, and their enums.

:func:`~perftarget.evaluate` returns a :class:`~perftarget.ProjectEvaluation` (or a
:class:`~perftarget.DocumentEvaluation`) made of :class:`IndicatorScore` rows and
:class:`Subtotal` lines with a :class:`Grade`; :func:`~perftarget.monitor` returns a
:class:`~perftarget.MonitoringReport` whose :class:`IndicatorProgress` rows carry a
:class:`Likelihood` and a :class:`DeviationCause`, with a :class:`Status` and
:class:`MonitoringFinding` notes; :data:`MONITORING_COLUMNS` are the headings of the
monitoring table (绩效监控表). The findings of :func:`~perftarget.review` are in
:mod:`perftarget.rules`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from perftarget._judge.evaluate import Grade, IndicatorScore, Subtotal
from perftarget._judge.monitor import (
    MONITORING_COLUMNS,
    DeviationCause,
    IndicatorProgress,
    Likelihood,
    MonitoringFinding,
    Status,
)

__all__ = [
    "MONITORING_COLUMNS",
    "DeviationCause",
    "Grade",
    "IndicatorProgress",
    "IndicatorScore",
    "Likelihood",
    "MonitoringFinding",
    "Status",
    "Subtotal",
]
