"""The built-in rules assembled into the default :class:`~perftarget.RuleSet`, and :func:`review` over it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from perftarget._judge.review import Finding, ReviewConfig, Rule, RuleSet
from perftarget._model.targets import DepartmentTargets, Document, ProjectTargets
from perftarget.exceptions import InvalidValueError
from perftarget.rules import completeness, consistency, document, money, quality, structure

__all__ = ["BUILTIN_RULES", "DEFAULT_RULES", "review"]

BUILTIN_RULES: Final[tuple[Rule, ...]] = (
    *completeness.RULES,
    *structure.RULES,
    *quality.RULES,
    *money.RULES,
    *consistency.RULES,
    *document.RULES,
)
"""Every built-in rule, in code order."""

DEFAULT_RULES: Final = RuleSet(BUILTIN_RULES)
"""The built-in rules as a :class:`~perftarget.RuleSet`: what :func:`review` runs unless told otherwise."""


def review(
    document_or_table: Document | ProjectTargets | DepartmentTargets,
    *,
    rules: RuleSet | None = None,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    config: ReviewConfig | None = None,
    include_suppressed: bool = False,
) -> list[Finding]:
    """Review a document or one table and return every finding, ordered by path then code.

    Args:
        document_or_table: a :class:`~perftarget.Document`, a
            :class:`~perftarget.ProjectTargets` or a :class:`~perftarget.DepartmentTargets`;
            paths are relative to it.
        rules: the :class:`~perftarget.RuleSet` to run (default: the built-in rules,
            ``perftarget.rules.DEFAULT_RULES``); add your own with
            ``DEFAULT_RULES.with_rules(my_rule)``.
        select: codes or prefixes of the rules to run (replaces ``config.select``).
        ignore: codes or prefixes of rules to skip (replaces ``config.ignore``).
        config: a :class:`~perftarget.rules.ReviewConfig`, e.g. from
            :func:`~perftarget.rules.load_config`.
        include_suppressed: keep the findings the table suppresses, marked with their
            :class:`~perftarget.Suppression`, instead of dropping them.

    Raises:
        InvalidValueError: a selector matches no rule of the set, or ``rules`` is not a
            :class:`~perftarget.RuleSet`.
        TypeError: the first argument is not a document or a table.

    >>> import perftarget
    >>> seed = perftarget.load("examples/petition-bureau.toml")
    >>> [f.code for f in review(seed, select=["PT3"])]
    ['PT302', 'PT305', 'PT305', 'PT306']

    .. versionadded:: 0.1.0
    """
    if rules is None:
        rules = DEFAULT_RULES
    elif not isinstance(rules, RuleSet):
        msg = (
            f"rules: expected a RuleSet, got {type(rules).__name__}; "
            "to add rules to the built-in ones, pass DEFAULT_RULES.with_rules(...)"
        )
        raise InvalidValueError(msg, field="rules", value=rules)
    return rules.review(
        document_or_table, select=select, ignore=ignore, config=config, include_suppressed=include_suppressed
    )
