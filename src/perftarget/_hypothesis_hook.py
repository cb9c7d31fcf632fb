"""Hypothesis entry point: makes ``st.from_type`` build perftarget's model types.

Kept apart from :mod:`perftarget.testing` and resolved lazily, because Hypothesis calls
this hook while it is itself being imported (possibly by ``perftarget.testing``).
"""

from __future__ import annotations

import importlib
from typing import Any

_STRATEGIES = {
    "Threshold": "thresholds",
    "Unit": "units",
    "Budget": "budgets",
    "Basis": "bases",
    "Indicator": "indicators",
    "Goal": "goals",
    "SpendingSchedule": "schedules",
    "Measure": "measures",
    "ProjectTargets": "project_targets",
    "DepartmentTargets": "department_targets",
    "Document": "documents",
}


def _lazy(function_name: str) -> Any:  # noqa: ANN401 - a Hypothesis strategy factory
    def resolve(_type: type) -> Any:  # noqa: ANN401
        return getattr(importlib.import_module("perftarget.testing"), function_name)()

    return resolve


def _hypothesis_setup_hook() -> None:
    """Register every model type's strategy with Hypothesis (called by its entry point)."""
    from hypothesis import strategies as st  # noqa: PLC0415 - Hypothesis is importing us

    import perftarget  # noqa: PLC0415

    for class_name, function_name in _STRATEGIES.items():
        st.register_type_strategy(getattr(perftarget, class_name), _lazy(function_name))
