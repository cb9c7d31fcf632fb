"""Findings, what review() returns: the sequence it replaces, its views, and its displays.

The sequence is what the engine's list of findings was (same items, same order); it behaves as
an immutable sequence and compares equal to a list or tuple of the same findings. It shows as
the 审核意见 table in a notebook (HTML), as text on str(), and becomes a DataFrame, in Chinese
and in English.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perftarget as pt
from perftarget._display import help_text
from perftarget._judge.review import _plan, _Run, _sorted
from perftarget.exceptions import InvalidValueError
from perftarget.frame import to_frame
from perftarget.report import table
from perftarget.rules import DEFAULT_RULES, Findings, ReviewConfig, review
from perftarget.testing import documents

SEED = "examples/petition-bureau.toml"


def _engine_list(document: pt.Document, *, include_suppressed: bool) -> list[pt.Finding]:
    """The list the engine's walk gives, which review() returned before it returned Findings."""
    config = ReviewConfig()
    skip = DEFAULT_RULES._skip(None, document)  # the engine's own steps, one by one
    run = _Run(_plan(DEFAULT_RULES.rules, config, skip), config, document, "document")
    return _sorted(run, include_suppressed=include_suppressed)[0]


@settings(max_examples=40)  # generating documents is the cost: 12 in the dev profile, 40 in ci
@given(documents(), st.booleans(), st.data())
def test_findings_are_the_engines_list_as_a_sequence(document, include_suppressed, data):
    """Same items in the same order as the engine's list, and every sequence operation agrees with it."""
    findings = review(document, include_suppressed=include_suppressed)
    old = _engine_list(document, include_suppressed=include_suppressed)
    assert isinstance(findings, Findings)
    assert list(findings) == old
    assert findings == old
    assert findings == tuple(old)
    assert old == findings
    assert findings == Findings(old)
    assert hash(findings) == hash(tuple(old))
    assert len(findings) == len(old)
    assert bool(findings) == bool(old)
    assert all(finding in findings for finding in old)
    assert list(reversed(findings)) == old[::-1]
    assert sorted(findings, key=lambda f: f.code) == sorted(old, key=lambda f: f.code)
    if old:
        index = data.draw(st.integers(-len(old), len(old) - 1), label="index")
        assert findings[index] == old[index]
        assert findings.index(old[index]) == old.index(old[index])
        at = index % len(old)
        assert findings != old[:at] + old[at + 1 :]
    window = data.draw(st.tuples(st.integers(-5, 5) | st.none(), st.integers(-5, 5) | st.none()), label="slice")
    step = data.draw(st.sampled_from([None, 1, 2, -1]), label="step")
    part = findings[slice(*window, step)]
    assert isinstance(part, Findings)
    assert part == old[slice(*window, step)]
    # the views share out the sequence: errors, warnings, infos (not suppressed) and the suppressed ones
    views = (findings.errors, findings.warnings, findings.infos, findings.suppressed)
    assert sum(len(view) for view in views) == len(findings)
    assert findings.ok == (not any(f.severity is pt.Severity.ERROR and not f.suppressed for f in old))
    assert findings.codes == tuple(f.code for f in old)
    assert all(f.severity is pt.Severity.WARNING and not f.suppressed for f in findings.warnings)
    if not include_suppressed:
        assert not findings.suppressed


def test_findings_compare_as_the_list_they_replace():
    """``review(document) == []`` holds when nothing is found; other values are never equal."""
    nothing = review(pt.Document())
    assert nothing == []
    assert [] == nothing  # noqa: SIM300 - the reflected comparison is the point
    assert nothing == ()
    assert nothing == Findings()
    assert not nothing
    assert nothing != "[]"
    assert nothing != {}
    found = review(pt.load(SEED))
    assert found != []
    assert found != list(found)[::-1]
    assert {found: 1}[tuple(found)] == 1  # equal values hash alike


def test_findings_are_immutable_and_hold_only_findings():
    """A Findings cannot be changed, and holds Finding values only."""
    findings = review(pt.load(SEED))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        findings.items = ()  # type: ignore[misc]
    assert not hasattr(findings, "append")
    with pytest.raises(InvalidValueError, match="expected Finding values"):
        Findings(["PT101"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="expected Finding values"):
        Findings(findings[0])  # type: ignore[arg-type]
    assert Findings(iter(findings)) == findings


# --- a review with every severity and a suppressed finding ----------------------------------------

_SUPPRESSION = pt.Suppression("PT302", "单位按小时计，经财政局同意")


def _finding(code: str, severity: str, path: str, suppressed: bool = False) -> pt.Finding:
    return pt.Finding(
        code=code,
        severity=pt.Severity.of(severity),
        path=path,
        message=f"{code} 的问题 <b>",
        message_en=f"{code} problem <b>",
        help=f"fix {code}" if code != "PT111" else "",
        suppression=_SUPPRESSION if suppressed else None,
    )


MIXED = Findings([
    _finding("PT101", "error", "projects[0]"),
    _finding("PT102", "error", "projects[0].goals[0]"),
    _finding("PT305", "warning", "projects[0].goals[0].indicators[2].name"),
    _finding("PT111", "info", "projects[0].year"),
    _finding("PT302", "warning", "projects[0].goals[0].indicators[0].target", suppressed=True),
])


def test_views_by_severity():
    """Errors, warnings and infos leave out the suppressed finding, which ``suppressed`` holds."""
    assert MIXED.errors.codes == ("PT101", "PT102")
    assert MIXED.warnings.codes == ("PT305",)
    assert MIXED.infos.codes == ("PT111",)
    assert MIXED.suppressed.codes == ("PT302",)
    assert not MIXED.ok
    assert MIXED[2:].ok
    assert MIXED.codes == ("PT101", "PT102", "PT305", "PT111", "PT302")


def test_suppressed_findings_follow_include_suppressed(seed_path):
    """With ``include_suppressed``, the suppressed findings are in the sequence, marked; without, they are not."""
    document = pt.load(seed_path)
    project = document.projects[0]
    indicators = tuple(
        attrs.evolve(i, suppressions=(_SUPPRESSION,)) if n == 0 else i for n, i in enumerate(project.goals[0].indicators)
    )
    goal = attrs.evolve(project.goals[0], indicators=indicators)
    document = attrs.evolve(document, projects=(attrs.evolve(project, goals=(goal, *project.goals[1:])),))
    kept = review(document)
    everything = review(document, include_suppressed=True)
    assert not kept.suppressed
    assert everything.suppressed.codes == ("PT302",)
    assert everything.suppressed[0].suppression == _SUPPRESSION
    assert [f for f in everything if not f.suppressed] == kept
    assert "PT302" not in kept.codes


def test_findings_show_as_the_review_form_in_chinese():
    """The notebook shows the 审核意见 table: numbered rows, six columns, the counts in the caption, styled."""
    html = MIXED._repr_html_()
    assert html.startswith('<div class="perftarget"><style>')
    assert "border:1px solid" in html
    assert "<caption>审核意见（2 个错误，1 个警告，1 个提示，1 条已豁免）</caption>" in html
    assert "<tr><th>序号</th><th>规则</th><th>级别</th><th>位置</th><th>问题</th><th>修改建议</th></tr>" in html
    assert '<tr><td class="num">1</td><td>PT101</td><td>错误</td><td>projects[0]</td>' in html
    assert "PT101 的问题 &lt;b&gt;" in html
    assert "（已豁免：单位按小时计，经财政局同意）" in html
    assert "<td>fix PT305</td>" in html
    assert html.count("<tr>") == 1 + len(MIXED)
    text = str(MIXED)
    lines = text.splitlines()
    assert lines[0] == "审核意见（2 个错误，1 个警告，1 个提示，1 条已豁免）"
    assert lines[2].split() == ["序号", "规则", "级别", "位置", "问题"]  # the long help is left out of the text
    assert lines[4].split()[:3] == ["1", "PT101", "错误"]
    assert "fix PT101" not in text
    assert repr(MIXED) == "<Findings: 2 errors, 1 warning, 1 info, 1 suppressed>"
    assert repr(MIXED[2:3]) == "<Findings: 1 warning>"


def test_findings_show_in_english():
    """In English: the headings, the severities' names and the English messages."""
    html = table(MIXED, "en")._repr_html_()
    assert "<caption>Review findings (2 errors, 1 warnings, 1 info, 1 suppressed)</caption>" in html
    assert "<th>No.</th><th>Rule</th><th>Severity</th><th>Where</th><th>Finding</th><th>How to fix</th>" in html
    assert "<td>PT101 problem &lt;b&gt;</td>" in html
    assert "(suppressed: 单位按小时计，经财政局同意)" in html
    text = str(table(MIXED, "en"))
    assert text.splitlines()[0] == "Review findings (2 errors, 1 warnings, 1 info, 1 suppressed)"
    assert "PT305 problem <b>" in text
    assert "的问题" not in text


def test_no_findings_say_so():
    """An empty review shows 未发现问题 (No problems found), with no empty table header."""
    nothing = review(pt.Document())
    assert repr(nothing) == "<Findings: none>"
    assert str(nothing) == "审核意见\n========\n\n未发现问题\n"
    html = nothing._repr_html_()
    assert "<caption>审核意见</caption>" in html
    assert "<li>未发现问题</li>" in html
    assert "<th>" not in html
    assert "No problems found" in str(table(nothing, "en"))


def test_findings_become_a_frame_in_either_language():
    """One row per finding, the message in the frame's language, one missing-value convention."""
    en = to_frame(MIXED)
    assert list(en.columns) == ["code", "severity", "path", "message", "help", "suppressed", "suppression_reason"]
    assert en["message"].tolist() == [f.message_en for f in MIXED]
    assert en["severity"].tolist() == ["error", "error", "warning", "info", "warning"]
    assert en["help"].tolist() == [help_text(f, "en") or None for f in MIXED]
    assert en["help"].iloc[3] is None  # empty text is missing
    assert en["suppressed"].tolist() == [False, False, False, False, True]
    assert en["suppression_reason"].tolist() == [None, None, None, None, _SUPPRESSION.reason]
    zh = to_frame(MIXED, lang="zh")
    assert list(zh.columns) == ["规则", "级别", "位置", "问题", "修改建议", "已豁免", "豁免理由"]
    assert zh["问题"].tolist() == [f.message for f in MIXED]
    assert zh["级别"].tolist() == ["错误", "错误", "警告", "提示", "警告"]
    empty = to_frame(Findings(), lang="zh")
    assert empty.shape == (0, 7)
    assert list(empty.columns) == list(zh.columns)
