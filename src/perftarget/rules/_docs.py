"""The rule pages (``docs/rules/``), generated from the rule definitions so they cannot drift.

Each page gives the rule in both languages: its English and Chinese title (``title``,
``title_zh``), both messages, and the help in English then in Chinese (``help``, ``help_zh``;
a custom rule without Chinese texts gets the English ones only).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from perftarget._files import write_atomic
from perftarget._judge.review import BASE_PROJECT_TOML, Finding, Rule, RuleExample, RuleSet, Scope
from perftarget.rules._default import DEFAULT_RULES

__all__ = ["GROUPS", "MARKER", "render_docs", "write_docs"]

MARKER: Final = "<!-- Generated from the rule definitions by perftarget.rules.write_docs; do not edit. -->"

GROUPS: Final = {
    "1": ("Completeness", "完整性"),
    "2": ("Structure", "结构"),
    "3": ("Quality of targets", "指标值质量"),
    "4": ("Money and the spending plan", "资金与支出计划"),
    "5": ("Consistency", "一致性"),
    "6": ("Document", "文档"),
}
"""The groups of built-in codes: the hundreds digit → (English name, Chinese name)."""

_HOW: Final = {
    "indicators": "Indicator rows appended to the goal of the [base table](index.md#the-base-table):",
    "project": "Keys of the project table, replacing those of the [base table](index.md#the-base-table):",
    "document": (
        "A whole document; each project table takes the keys it does not set from the "
        "[base table](index.md#the-base-table):"
    ),
}


def _group(code: str) -> str:
    digits = "".join(c for c in code if c.isdigit())
    if code.startswith("PT") and len(digits) == 3 and digits[0] in GROUPS:  # noqa: PLR2004 - PTnxx
        english, chinese = GROUPS[digits[0]]
        return f"{digits[0]}xx {english} ({chinese})"
    return "custom rule"


def _looks_at(rule: Rule) -> str:
    return "the whole document" if rule.scope is Scope.DOCUMENT else f"each {rule.scope.value}"


def _findings(rule: Rule, example: RuleExample, rules: RuleSet) -> list[Finding]:
    return [f for f in rules.review(example.document()) if f.code == rule.code]


def _example_block(rule: Rule, example: RuleExample, rules: RuleSet, *, failing: bool) -> list[str]:
    lines = [_HOW[example.kind], "", "```toml", example.toml.rstrip("\n"), "```", ""]
    findings = _findings(rule, example, rules)
    if failing:
        lines += [f"perftarget reports {'this finding' if len(findings) == 1 else 'these findings'}:", "", "```text"]
        for finding in findings:
            lines += [
                f"{finding.path}: {finding.code} [{finding.severity.value}]",
                f"  {finding.message}",
                f"  {finding.message_en}",
            ]
        lines += ["```", ""]
    else:
        lines += [f"No {rule.code} finding.", ""]
    return lines


def _rule_page(rule: Rule, rules: RuleSet) -> str:
    lines = [
        MARKER,
        "",
        f"# {rule.code}: {rule.title}",
        "",
        "| | |",
        "|---|---|",
        f"| Code | `{rule.code}` |",
        *([f"| 规则 | {rule.title_zh} |"] if rule.title_zh else []),
        f"| Group | {_group(rule.code)} |",
        f"| Severity | {rule.severity.value} ({rule.severity.label}) |",
        f"| Looks at | {_looks_at(rule)} |",
        "",
        "Message (Chinese, then English; the values in braces are filled in):",
        "",
        "```text",
        rule.message,
        rule.message_en,
        "```",
        "",
        "## Why and how to fix it",
        "",
        rule.help,
        "",
        *(["## 说明与修改建议", "", rule.help_zh, ""] if rule.help_zh else []),
    ]
    if rule.fail_example is not None:
        lines += ["## Failing example", "", *_example_block(rule, rule.fail_example, rules, failing=True)]
    if rule.pass_example is not None:
        lines += ["## Passing example", "", *_example_block(rule, rule.pass_example, rules, failing=False)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _index_page(rules: RuleSet) -> str:
    lines = [
        MARKER,
        "",
        "# Review rules",
        "",
        (
            "Every rule that {func}`perftarget.review` runs, with its code, severity, what it looks at, and a "
            "failing and a passing example. Codes are stable and grouped by hundreds: 1xx completeness, 2xx "
            "structure, 3xx quality of targets, 4xx money and the spending plan, 5xx consistency, 6xx the "
            "document as a whole. Severities: "
            "**error** (fix before the budget is approved), **warning** (probably wrong; fix or suppress with a "
            "reason), **info** (worth a look)."
        ),
        "",
        (
            "How to choose rules, change severities, suppress a rule for one indicator and add your own rules: "
            "see the review guide ({doc}`../guide/review`)."
        ),
        "",
        (
            "Some problems never reach the review because the model refuses them when a table is read: a known "
            "level-2 under the wrong known level-1, budget parts that do not add up when all three are given, and "
            "a spending plan whose percentages leave 0–100, decrease, are out of date order or do not end at "
            "100 % (unless the project is multi-year). Those raise `InvalidValueError` or `DocumentError` with "
            "the path."
        ),
        "",
    ]
    current = None
    for rule in rules:
        group = _group(rule.code)
        if group != current:
            current = group
            lines += ["", f"## {group}", "", "| Code | Severity | Rule | 规则 | Looks at |", "|---|---|---|---|---|"]
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | {rule.severity.value} | {rule.title} | {rule.title_in('zh')} "
            f"| {_looks_at(rule)} |"
        )
    lines += [
        "",
        "## The base table",
        "",
        "Each example is a snippet applied to this clean project table (it yields no findings at all):",
        "",
        "```toml",
        BASE_PROJECT_TOML.rstrip("\n"),
        "```",
        "",
        "```{toctree}",
        ":hidden:",
        "",
        *(rule.code for rule in rules),
        "```",
    ]
    return "\n".join(lines) + "\n"


def render_docs(rules: RuleSet | Iterable[Rule] = DEFAULT_RULES) -> dict[str, str]:
    """The rule pages as ``{file name: markdown}``: ``index.md`` and one ``<code>.md`` per rule.

    Args:
        rules: the rules to document, a :class:`~perftarget.RuleSet` (default: the built-in
            rules); each rule's examples are reviewed with this set.
    """
    chosen = rules if isinstance(rules, RuleSet) else RuleSet(rules)
    pages = {f"{rule.code}.md": _rule_page(rule, chosen) for rule in chosen}
    pages["index.md"] = _index_page(chosen)
    return pages


def write_docs(directory: str | os.PathLike[str], rules: RuleSet | Iterable[Rule] = DEFAULT_RULES) -> list[Path]:
    """Write the rule pages into ``directory`` and remove generated pages of rules that are gone.

    Returns:
        The paths written, sorted.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    pages = render_docs(rules)
    for stale in folder.glob("*.md"):
        if stale.name not in pages and stale.read_text(encoding="utf-8").startswith(MARKER):
            stale.unlink()
    written = []
    for name, text in sorted(pages.items()):
        path = folder / name
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    return written
