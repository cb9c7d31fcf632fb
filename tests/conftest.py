"""Shared test configuration: Hypothesis profiles and paths to the bundled data."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: "ci" (chosen when CI is set) searches longest; "dev", the default, keeps a plain
# `pytest` within a few minutes on a small machine; "fast" is for iterating (HYPOTHESIS_PROFILE=fast).
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("fast", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# A property that sets its own max_examples (an expensive one) states its budget for a run of
# _BASELINE examples per property; a profile with fewer examples scales that budget down by the same
# share (never below _FLOOR, never above the budget itself), so "dev" is short everywhere and "ci"
# keeps every budget as written.
_BASELINE = 100
_FLOOR = 5


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Scale the explicit example budgets of property tests to the loaded profile (see above)."""
    profile = settings.default
    share = profile.max_examples / _BASELINE
    if share >= 1:
        return
    scaled: set[int] = set()
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None or id(test) in scaled or own.max_examples <= profile.max_examples:
            continue
        scaled.add(id(test))
        budget = min(own.max_examples, max(_FLOOR, round(own.max_examples * share)))
        test._hypothesis_internal_use_settings = settings(own, max_examples=budget)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "petition-bureau.toml"


@pytest.fixture
def seed_path() -> Path:
    """The bundled seed document."""
    return SEED


@pytest.fixture(scope="session")
def load_script() -> Callable[[str], ModuleType]:
    """Import a script of the repository by its path (``benchmarks/generate.py``, ``examples/…``), once a session."""
    loaded: dict[str, ModuleType] = {}

    def load(relative: str) -> ModuleType:
        if relative not in loaded:
            name = "_script_" + Path(relative).stem
            spec = importlib.util.spec_from_file_location(name, ROOT / relative)
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module  # dataclasses look their module up while the class is made
            spec.loader.exec_module(module)
            loaded[relative] = module
        return loaded[relative]

    return load
