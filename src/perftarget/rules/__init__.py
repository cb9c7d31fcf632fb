"""Review rules: the :class:`RuleSet` value, the built-in rules, and their documentation.

Each rule is a :class:`Rule` value: code, severity, scope, title, Chinese and English
message templates, help, a check function, and a failing and a passing example.
:func:`review` returns :class:`Findings`, the sequence of every :class:`Finding`.
:data:`DEFAULT_RULES` is the :class:`RuleSet` of the built-in rules, with the
:class:`Profile` of each table form (:data:`BUILTIN_PROFILES`); an application that
adds rules of its own makes its own set (``DEFAULT_RULES.with_rules(my_rule)``) and passes
it to :func:`review` (``rules=``). Nothing here changes with the process: a set is a value.
Built-in codes are grouped by hundreds:

- ``PT1xx`` completeness (:mod:`perftarget.rules.completeness`),
- ``PT2xx`` structure (:mod:`perftarget.rules.structure`),
- ``PT3xx`` quality of targets (:mod:`perftarget.rules.quality`),
- ``PT4xx`` money and the spending plan (:mod:`perftarget.rules.money`),
- ``PT5xx`` consistency (:mod:`perftarget.rules.consistency`),
- ``PT6xx`` the document as a whole (:mod:`perftarget.rules.document`).

The pages under ``docs/rules/`` are generated from these definitions by
:func:`write_docs` (``python -m perftarget.rules --write-docs docs/rules``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from perftarget._judge.review import (
    Finding,
    Findings,
    Profile,
    ReviewConfig,
    Rule,
    RuleContext,
    RuleExample,
    RuleSet,
    Scope,
    Severity,
    Violation,
    load_config,
)
from perftarget.rules._default import BUILTIN_PROFILES, BUILTIN_RULES, DEFAULT_RULES, review
from perftarget.rules._docs import GROUPS, render_docs, write_docs

__all__ = [
    "BUILTIN_PROFILES",
    "BUILTIN_RULES",
    "DEFAULT_RULES",
    "GROUPS",
    "Finding",
    "Findings",
    "Profile",
    "ReviewConfig",
    "Rule",
    "RuleContext",
    "RuleExample",
    "RuleSet",
    "Scope",
    "Severity",
    "Violation",
    "load_config",
    "render_docs",
    "review",
    "write_docs",
]
