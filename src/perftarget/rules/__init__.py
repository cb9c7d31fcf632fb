"""The built-in review rules, one module per group of codes, and their documentation.

Each rule is a :class:`~perftarget.Rule` value: code, severity, scope, title, Chinese and
English message templates, help, a check function, and a failing and a passing example.
Codes are grouped by hundreds:

- ``PT1xx`` completeness (:mod:`perftarget.rules.completeness`),
- ``PT2xx`` structure (:mod:`perftarget.rules.structure`),
- ``PT3xx`` quality of targets (:mod:`perftarget.rules.quality`),
- ``PT4xx`` money and the spending plan (:mod:`perftarget.rules.money`),
- ``PT5xx`` consistency (:mod:`perftarget.rules.consistency`).

The pages under ``docs/rules/`` are generated from these definitions by
:func:`write_docs` (``python -m perftarget.rules --write-docs docs/rules``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Final

from perftarget._judge.review import Rule
from perftarget.rules import completeness, consistency, money, quality, structure
from perftarget.rules._docs import GROUPS, render_docs, write_docs

__all__ = ["BUILTIN_RULES", "GROUPS", "get_rule", "render_docs", "write_docs"]

BUILTIN_RULES: Final[tuple[Rule, ...]] = (
    *completeness.RULES,
    *structure.RULES,
    *quality.RULES,
    *money.RULES,
    *consistency.RULES,
)
"""Every built-in rule, in code order."""

_BY_CODE: Final = {rule.code: rule for rule in BUILTIN_RULES}


def get_rule(code: str) -> Rule:
    """The built-in or registered rule with this code.

    Raises:
        KeyError: no rule has it.
    """
    from perftarget._judge.review import registered_rules  # noqa: PLC0415 - the registry changes at run time

    rule = _BY_CODE.get(code)
    if rule is not None:
        return rule
    for custom in registered_rules():
        if custom.code == code:
            return custom
    raise KeyError(code)
