"""The built-in rules assembled into the default :class:`~perftarget.RuleSet`, and :func:`review` over it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from perftarget._judge.review import Findings, Profile, ReviewConfig, Rule, RuleSet
from perftarget._model.targets import DepartmentTargets, Document, ProjectTargets
from perftarget.exceptions import InvalidValueError
from perftarget.rules import completeness, consistency, document, money, quality, structure

__all__ = ["BUILTIN_PROFILES", "BUILTIN_RULES", "DEFAULT_RULES", "review"]

BUILTIN_RULES: Final[tuple[Rule, ...]] = (
    *completeness.RULES,
    *structure.RULES,
    *quality.RULES,
    *money.RULES,
    *consistency.RULES,
    *document.RULES,
)
"""Every built-in rule, in code order."""

BUILTIN_PROFILES: Final[tuple[Profile, ...]] = (
    Profile(
        name="target-table",
        title="项目绩效目标表 (project target table)",
        help="Every rule: the target table is what the rules were written for.",
        title_zh="项目绩效目标表",
        help_zh="运行全部规则：审核规则正是按项目绩效目标表编写的。",
    ),
    Profile(
        name="self-evaluation",
        title="项目支出绩效自评表 (self-evaluation table, 财预〔2020〕10号 附件1)",
        skip=("PT106", "PT110", "PT404", "PT405", "PT406"),
        help=(
            "A self-evaluation table prints each indicator's 年度指标值, 实际完成值, 分值 and 得分, but no "
            "指标值确定依据 (PT106), no 绩效指标描述 (PT110) and no 资金支出计划 (PT404, PT405, PT406): those rules "
            "would report a column the form does not have on every row of every table."
        ),
        title_zh="项目支出绩效自评表（财预〔2020〕10号 附件1）",
        help_zh=(
            "项目支出绩效自评表列出每个指标的年度指标值、实际完成值、分值和得分，但没有指标值确定依据（PT106）、"
            "绩效指标描述（PT110）和资金支出计划（PT404、PT405、PT406）：这些规则会在每张表的每一行报告一个该表式"
            "本来就没有的栏目。"
        ),
    ),
)
"""The built-in profiles, one per table form (:data:`perftarget.TABLE_FORMS`)."""

DEFAULT_RULES: Final = RuleSet(BUILTIN_RULES, profiles=BUILTIN_PROFILES)
"""The built-in rules as a :class:`~perftarget.RuleSet`: what :func:`review` runs unless told otherwise.

It carries :data:`BUILTIN_PROFILES`: tables whose ``form`` is ``"self-evaluation"`` are reviewed
without the rules of that profile's ``skip``.
"""


def review(
    document_or_table: Document | ProjectTargets | DepartmentTargets,
    *,
    rules: RuleSet | None = None,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    config: ReviewConfig | None = None,
    include_suppressed: bool = False,
    profile: Profile | str | None = None,
) -> Findings:
    """Review a document or one table and return every finding, ordered by path then code.

    The result is a :class:`~perftarget.rules.Findings`: an immutable sequence of
    :class:`~perftarget.Finding` (used as a list), with views by severity, and shown in a
    notebook as the 审核意见 table.

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
        profile: the :class:`~perftarget.rules.Profile` (or the name of one of the set's
            profiles: ``"target-table"``, ``"self-evaluation"``) to review with; ``None``
            (or ``"auto"``): ``config.profile`` if set, else the profile named by the
            tables' :attr:`~perftarget.ProjectTargets.form`.

    Raises:
        InvalidValueError: a selector matches no rule of the set, ``rules`` is not a
            :class:`~perftarget.RuleSet`, or the set has no profile of the name given.
        TypeError: the first argument is not a document or a table.

    >>> import perftarget
    >>> seed = perftarget.load("examples/petition-bureau.toml")
    >>> [f.code for f in review(seed, select=["PT3"])]
    ['PT302', 'PT305', 'PT305', 'PT306']

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 ``profile``.
    .. versionchanged:: 0.1.0 returns :class:`~perftarget.rules.Findings` (a list before).
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
        document_or_table,
        select=select,
        ignore=ignore,
        config=config,
        include_suppressed=include_suppressed,
        profile=profile,
    )
