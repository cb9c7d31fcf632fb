"""The review engine: the seed's findings, selection, configuration, suppressions, custom rules, docs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import perftarget as pt
from perftarget._codec.convert import from_dict, to_dict
from perftarget.rules import (
    BUILTIN_RULES,
    DEFAULT_RULES,
    Finding,
    ReviewConfig,
    Rule,
    RuleContext,
    RuleExample,
    RuleSet,
    Scope,
    Severity,
    Violation,
    load_config,
    render_docs,
    review,
    write_docs,
)
from perftarget.rules.__main__ import main as rules_main
from perftarget.rules._docs import MARKER

ROOT = Path(__file__).resolve().parent.parent
RULE_DOCS = ROOT / "docs" / "rules"

SEED_FINDINGS = [
    ("department.goals[1].indicators[0].target", "PT501", "warning"),
    ("department.year", "PT111", "info"),
    ("projects[0].goals[0].content", "PT109", "warning"),
    ("projects[0].goals[0].indicators[0].target", "PT302", "warning"),
    ("projects[0].goals[0].indicators[2].name", "PT305", "warning"),
    ("projects[0].goals[0].indicators[3].name", "PT305", "warning"),
    ("projects[0].goals[0].indicators[3].target", "PT306", "warning"),
    ("projects[0].goals[0].indicators[5].target", "PT206", "info"),
    ("projects[0].goals[0].indicators[7].target", "PT206", "info"),
    ("projects[0].schedule.checkpoints[2]", "PT405", "info"),
    ("projects[0].year", "PT111", "info"),
]


@pytest.fixture
def seed(seed_path: Path) -> pt.Document:
    """The bundled seed document."""
    return pt.load(seed_path)


def _rows(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.path, f.code, f.severity.value) for f in findings]


# --- the seed ------------------------------------------------------------------------------


def test_seed_findings_pinned(seed):
    """The seed's full list of findings, in order (path, then code)."""
    assert _rows(review(seed)) == SEED_FINDINGS


def test_seed_narrative_disagrees_with_table(seed):
    """ "群众来访劝返率大于 95%" (read as >95%) disagrees with the project's ≥95%."""
    (finding,) = [f for f in review(seed) if f.code == "PT501"]
    assert finding.path == "department.goals[1].indicators[0].target"
    assert ">95%" in finding.message
    assert "≥95%" in finding.message
    assert "群众来访接待劝返率" in finding.message
    assert "projects[0].goals[0].indicators[1].target" in finding.message_en
    assert "Dice" in finding.help


def test_seed_rate_named_indicator_in_hours(seed):
    """在岗人员出勤率 with ≥8 小时/天 is a rate-named indicator in a non-rate unit."""
    (finding,) = [f for f in review(seed) if f.code == "PT302"]
    assert finding.path == "projects[0].goals[0].indicators[0].target"
    assert "在岗人员出勤率" in finding.message
    assert "小时/天" in finding.message
    assert "named as a rate" in finding.message_en


def test_seed_has_no_errors(seed):
    """The seed was approved as published: it has warnings and notes, but no error."""
    assert all(f.severity is not Severity.ERROR for f in review(seed))


def test_review_a_project_alone(seed):
    """A table reviewed alone gives paths relative to it and the same findings as inside the document."""
    alone = review(seed.projects[0])
    inside = [f for f in review(seed) if f.path.startswith("projects[0].")]
    assert [(f.path, f.code) for f in alone] == [(f.path.removeprefix("projects[0]."), f.code) for f in inside]


def test_review_the_department_alone(seed):
    """The department part alone: its own findings, no narrative check without the tables."""
    assert seed.department is not None
    assert _rows(review(seed.department)) == [("year", "PT111", "info")]


def test_review_rejects_other_values():
    """Anything but a document or a table is a TypeError naming what was given."""
    with pytest.raises(TypeError, match="not dict"):
        review({})  # type: ignore[arg-type]


def test_order_is_natural_by_path_then_code():
    """indicators[10] comes after indicators[2], and codes are ordered within one path."""
    rows = [
        pt.Indicator(
            level1="产出指标", level2="质量指标", name=f"办结率{k}", description="说明", target="≥95%", basis="要求"
        )
        for k in range(12)
    ]
    rows[2] = attrs.evolve(rows[2], target=pt.Threshold.parse("105个"))
    rows[10] = attrs.evolve(rows[10], target=pt.Threshold.parse("105个"))
    project = attrs.evolve(RuleExample("").document().projects[0], goals=(pt.Goal("目标", rows),))
    paths = [(f.path, f.code) for f in review(project) if f.path.startswith("goals[0].indicators")]
    assert paths == [
        ("goals[0].indicators[2].target", "PT302"),
        ("goals[0].indicators[2].target", "PT307"),
        ("goals[0].indicators[10].target", "PT302"),
        ("goals[0].indicators[10].target", "PT307"),
    ]


def test_finding_text_and_serialization(seed):
    """A finding prints as path: code [severity] message and round-trips through the converter."""
    finding = review(seed)[0]
    assert str(finding).startswith("department.goals[1].indicators[0].target: PT501 [warning] 部门整体目标")
    marked = attrs.evolve(finding, suppression=pt.Suppression("PT501", "叙述沿用上年表述"))
    for value in (finding, marked):
        data = to_dict(value)
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data
        assert from_dict(data, Finding) == value
    assert str(marked).endswith("(suppressed)")
    assert marked.suppressed
    assert not finding.suppressed


# --- selection and configuration -----------------------------------------------------------


def test_select_by_prefix(seed):
    """select takes prefixes, as a list or a single string, in any case."""
    assert {f.code for f in review(seed, select=["PT3"])} == {"PT302", "PT305", "PT306"}
    assert review(seed, select="pt3") == review(seed, select=["PT3"])
    assert {f.code for f in review(seed, select=["PT1", "PT206"])} == {"PT109", "PT111", "PT206"}


def test_ignore_and_specificity(seed):
    """The more specific selector wins between select and ignore; on a tie, ignore."""
    codes = {f.code for f in review(seed, ignore=["PT3"])}
    assert not any(code.startswith("PT3") for code in codes)
    assert {f.code for f in review(seed, select=["PT3"], ignore=["PT305"])} == {"PT302", "PT306"}
    assert {f.code for f in review(seed, select=["PT305"], ignore=["PT3"])} == {"PT305"}
    assert review(seed, select=["PT3"], ignore=["PT3"]) == []
    assert review(seed, select=["ALL"]) == review(seed)


@pytest.mark.parametrize("selector", ["PT9", "PT3011", "XX1"])
def test_selector_matching_no_rule_is_an_error(seed, selector):
    """A selector that matches no rule is refused by name (a typo would otherwise select nothing)."""
    with pytest.raises(pt.InvalidValueError, match=selector):
        review(seed, select=[selector])


@pytest.mark.parametrize("selector", ["PT-3", "3", "", 3])
def test_malformed_selector(seed, selector):
    """A selector must be capital letters and digits."""
    with pytest.raises(pt.InvalidValueError, match="rule code or prefix"):
        review(seed, ignore=[selector])


def test_severity_overrides(seed):
    """Severity overrides per code or prefix; the longest prefix wins."""
    config = ReviewConfig(severity={"PT3": "info", "PT302": "error"})
    severities = {f.code: f.severity for f in review(seed, config=config)}
    assert severities["PT302"] is Severity.ERROR
    assert severities["PT305"] is Severity.INFO
    assert severities["PT501"] is Severity.WARNING


def test_call_arguments_replace_config(seed):
    """select/ignore given to review() replace the configuration's."""
    config = ReviewConfig(select=["PT1"], ignore=["PT111"])
    assert {f.code for f in review(seed, config=config)} == {"PT109"}
    assert {f.code for f in review(seed, config=config, select=["PT2"])} == {"PT206"}
    assert {f.code for f in review(seed, config=config, ignore=[])} == {"PT109", "PT111"}


def test_severity_names():
    """Severities read from their English or Chinese names; anything else is refused."""
    assert Severity.of("WARNING") is Severity.WARNING
    assert Severity.of("提示") is Severity.INFO
    with pytest.raises(pt.InvalidValueError, match="expected a severity"):
        Severity.of("fatal")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_config_from_pyproject(tmp_path, seed):
    """[tool.perftarget] in pyproject.toml: select, ignore, severity and the scoring policy."""
    path = _write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.perftarget]\nselect = ["PT3", "PT5"]\nignore = ["PT306"]\n'
        'severity = {PT302 = "error"}\nscoring-policy = "hubei-2020"\n',
    )
    config = load_config(path)
    assert config == ReviewConfig(
        select=("PT3", "PT5"), ignore=("PT306",), severity={"PT302": Severity.ERROR}, scoring_policy="hubei-2020"
    )
    assert _rows(review(seed, config=config)) == [
        ("department.goals[1].indicators[0].target", "PT501", "warning"),
        ("projects[0].goals[0].indicators[0].target", "PT302", "error"),
        ("projects[0].goals[0].indicators[2].name", "PT305", "warning"),
        ("projects[0].goals[0].indicators[3].name", "PT305", "warning"),
    ]


def test_load_config_defaults(tmp_path):
    """A pyproject.toml without the table, and an empty perftarget.toml, give the defaults."""
    assert load_config(_write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')) == ReviewConfig()
    assert load_config(_write(tmp_path, "perftarget.toml", "")) == ReviewConfig()


def test_load_config_top_level(tmp_path):
    """In perftarget.toml the keys sit at the top level (or under [tool.perftarget])."""
    assert load_config(_write(tmp_path, "perftarget.toml", 'ignore = ["PT4"]\n')).ignore == ("PT4",)
    nested = _write(tmp_path, "review.toml", '[tool.perftarget]\nignore = ["PT1"]\n')
    assert load_config(nested).ignore == ("PT1",)


def test_load_config_rejects_unknown_keys_by_name(tmp_path):
    """Every bad key is reported with its path: unknown names, wrong types, bad values."""
    path = _write(
        tmp_path,
        "pyproject.toml",
        '[tool.perftarget]\nselct = ["PT3"]\nignore = "PT1"\nseverity = {PT302 = "fatal"}\n'
        'scoring-policy = "nowhere"\n',
    )
    with pytest.raises(pt.DocumentError) as caught:
        load_config(path)
    problems = {p.location: p.message for p in caught.value.problems}
    assert set(problems) == {
        "tool.perftarget.selct",
        "tool.perftarget.ignore",
        "tool.perftarget.severity",
        "tool.perftarget.scoring-policy",
    }
    assert "unknown key 'selct'" in problems["tool.perftarget.selct"]
    assert "select" in problems["tool.perftarget.selct"]
    assert "list" in problems["tool.perftarget.ignore"]
    assert "fatal" in problems["tool.perftarget.severity"]
    assert "nowhere" in problems["tool.perftarget.scoring-policy"]
    assert str(path) in str(caught.value)


def test_load_config_unreadable(tmp_path):
    """A missing file or bad TOML is a DocumentError naming the file."""
    with pytest.raises(pt.DocumentError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(pt.DocumentError, match="invalid TOML"):
        load_config(_write(tmp_path, "perftarget.toml", "select = [\n"))
    with pytest.raises(pt.DocumentError, match="expected a table"):
        load_config(_write(tmp_path, "pyproject.toml", "tool = {perftarget = 3}\n"))


# --- suppressions --------------------------------------------------------------------------


def _suppress_indicator(document: pt.Document, index: int, *suppressions: pt.Suppression) -> pt.Document:
    project = document.projects[0]
    goal = project.goals[0]
    indicators = list(goal.indicators)
    indicators[index] = attrs.evolve(indicators[index], suppressions=suppressions)
    goal = attrs.evolve(goal, indicators=tuple(indicators))
    return attrs.evolve(document, projects=(attrs.evolve(project, goals=(goal,)),))


def test_indicator_suppression_drops_the_finding(seed):
    """A suppression on an indicator drops that rule's findings there only."""
    reason = "该指标按值班时长考核，名称沿用上年"
    document = _suppress_indicator(seed, 0, pt.Suppression("PT302", reason))
    assert [f for f in review(document) if f.code == "PT302"] == []
    (marked,) = [f for f in review(document, include_suppressed=True) if f.code == "PT302"]
    assert marked.suppression == pt.Suppression("PT302", reason)
    assert len(review(document)) == len(SEED_FINDINGS) - 1


def test_project_suppression_covers_the_table(seed):
    """A suppression on the project covers every finding under it, by code or prefix."""
    project = attrs.evolve(seed.projects[0], suppressions=(pt.Suppression("PT305", "县财政局同意保留"),))
    document = attrs.evolve(seed, projects=(project,))
    assert [f.code for f in review(document)].count("PT305") == 0
    project = attrs.evolve(seed.projects[0], suppressions=(pt.Suppression("PT3", "质量问题另行整改"),))
    codes = {f.code for f in review(attrs.evolve(seed, projects=(project,)))}
    assert not any(code.startswith("PT3") for code in codes)
    assert "PT501" in codes  # the department's finding is outside the project


def test_unused_and_unknown_suppressions(seed):
    """A suppression matching no finding, or no rule, is reported (PT504) unless its rule is not selected."""
    document = _suppress_indicator(seed, 1, pt.Suppression("PT302", "无此问题"), pt.Suppression("PT999", "笔误"))
    findings = [f for f in review(document) if f.code == "PT504"]
    assert [(f.path, f.message_en) for f in findings] == [
        ("projects[0].goals[0].indicators[1].suppressions[0]", "the suppression of PT302 matches no finding here"),
        ("projects[0].goals[0].indicators[1].suppressions[1]", "the suppression of PT999 is not the code of any rule"),
    ]
    assert {(f.help, f.help_zh) for f in findings} == {(DEFAULT_RULES["PT504"].help, DEFAULT_RULES["PT504"].help_zh)}
    selected = review(document, select=["PT5"])
    assert [f.path for f in selected if f.code == "PT504"] == ["projects[0].goals[0].indicators[1].suppressions[1]"]


def test_suppression_in_a_table_reviewed_alone(seed):
    """Project suppressions apply when the project is reviewed on its own (path prefix empty)."""
    project = attrs.evolve(seed.projects[0], suppressions=(pt.Suppression("PT4", "支出计划按合同付款节点"),))
    assert not any(f.code.startswith("PT4") for f in review(project))


# --- custom rules --------------------------------------------------------------------------


def _long_names(ctx: RuleContext) -> Iterator[Violation]:
    indicator = ctx.indicator
    assert indicator is not None
    if len(indicator.name) > 9:
        yield ctx.violation("name", name=indicator.name, length=len(indicator.name))


LONG_NAMES = Rule(
    code="BY101",
    severity="info",
    scope=Scope.INDICATOR,
    title="Indicator name longer than nine characters",
    message="指标名称“{name}”有 {length} 个字",
    message_en="indicator name “{name}” has {length} characters",
    help="Boye county keeps names short.",
    check=_long_names,
    fail_example=RuleExample(
        '[[indicators]]\nlevel1 = "产出指标"\nlevel2 = "数量指标"\nname = "全年驻京值班工作天数统计"\n'
        'description = "天数"\ntarget = "≥250天"\nbasis = "工作要求"\n'
    ),
    pass_example=RuleExample(""),
)
MINE = DEFAULT_RULES.with_rules(LONG_NAMES)


def test_custom_rule_behaves_like_a_builtin(seed):
    """A custom rule is selected, ignored, re-graded and suppressed like a built-in one."""
    findings = [f for f in review(seed, rules=MINE) if f.code == "BY101"]
    assert [f.path for f in findings] == [
        "projects[0].goals[0].indicators[2].name",
        "projects[0].goals[0].indicators[4].name",
    ]
    assert findings[0].message == "指标名称“按时间进度要求支付使用资金”有 13 个字"
    assert findings[0].severity is Severity.INFO
    assert {f.code for f in review(seed, rules=MINE, select=["BY"])} == {"BY101"}
    assert "BY101" not in {f.code for f in review(seed, rules=MINE, ignore=["BY1"])}
    config = ReviewConfig(severity={"BY101": "warning"})
    assert {f.severity for f in review(seed, rules=MINE, config=config) if f.code == "BY101"} == {
        Severity.WARNING
    }
    document = _suppress_indicator(seed, 2, pt.Suppression("BY101", "沿用上级模板名称"))
    assert len([f for f in review(document, rules=MINE) if f.code == "BY101"]) == 1


def test_custom_rule_without_chinese_falls_back_to_english(seed):
    """title_zh and help_zh are optional for a custom rule: Chinese output then shows the English texts;
    given, findings carry the Chinese help (and the rule page shows both languages)."""
    assert (LONG_NAMES.title_zh, LONG_NAMES.help_zh) == ("", "")
    assert LONG_NAMES.title_in("zh") == LONG_NAMES.title
    assert LONG_NAMES.help_in("zh") == LONG_NAMES.help
    findings = [f for f in review(seed, rules=MINE) if f.code == "BY101"]
    assert {(f.help, f.help_zh) for f in findings} == {(LONG_NAMES.help, LONG_NAMES.help)}
    assert "说明与修改建议" not in render_docs([LONG_NAMES])["BY101.md"]
    chinese = attrs.evolve(LONG_NAMES, title_zh="指标名称超过九个字", help_zh="本县要求指标名称简短。")
    findings = [f for f in review(seed, rules=DEFAULT_RULES.with_rules(chinese)) if f.code == "BY101"]
    assert {(f.help, f.help_zh) for f in findings} == {(LONG_NAMES.help, "本县要求指标名称简短。")}
    assert chinese.help_in("en") == LONG_NAMES.help
    pages = render_docs([chinese])
    assert "| 规则 | 指标名称超过九个字 |" in pages["BY101.md"]
    assert "## 说明与修改建议\n\n本县要求指标名称简短。\n" in pages["BY101.md"]
    assert "| Indicator name longer than nine characters | 指标名称超过九个字 |" in pages["index.md"]
    with pytest.raises(TypeError):
        attrs.evolve(LONG_NAMES, help_zh=None)


def test_rule_sets_are_values(seed):
    """A rule set is an immutable value: adding or removing rules makes a new set, and the default never changes."""
    before = DEFAULT_RULES.codes
    assert MINE.codes == (*before, "BY101")
    assert DEFAULT_RULES.codes == before  # with_rules did not change the default
    assert "BY101" in MINE
    assert "BY101" not in DEFAULT_RULES
    assert MINE["BY101"] is LONG_NAMES
    assert DEFAULT_RULES["PT302"].title.startswith("Rate-named")
    with pytest.raises(KeyError):
        DEFAULT_RULES["BY101"]
    assert "BY101" in {f.code for f in review(seed, rules=MINE)}
    assert "BY101" not in {f.code for f in review(seed)}
    assert review(seed, rules=DEFAULT_RULES) == review(seed)
    assert DEFAULT_RULES.with_rules(LONG_NAMES) == MINE
    assert hash(MINE) == hash(DEFAULT_RULES.with_rules(LONG_NAMES))
    with pytest.raises(pt.InvalidValueError, match="two rules have the code BY101"):
        MINE.with_rules(LONG_NAMES)
    with pytest.raises(pt.InvalidValueError, match="two rules have the code PT302"):
        DEFAULT_RULES.with_rules(attrs.evolve(LONG_NAMES, code="PT302"))
    replaced = DEFAULT_RULES.without("PT302").with_rules(attrs.evolve(LONG_NAMES, code="PT302"))
    assert replaced["PT302"].title == LONG_NAMES.title
    assert len(replaced) == len(DEFAULT_RULES)
    no_money = DEFAULT_RULES.without("PT4")
    assert not any(code.startswith("PT4") for code in no_money.codes)
    assert not any(f.code.startswith("PT4") for f in review(seed, rules=no_money))
    with pytest.raises(pt.InvalidValueError, match="'PT9' matches no rule code"):
        DEFAULT_RULES.without("PT9")
    with pytest.raises(pt.InvalidValueError, match="matches no rule code"):
        review(seed, rules=no_money, select=["PT4"])
    assert list(RuleSet([LONG_NAMES])) == [LONG_NAMES]
    assert len(RuleSet()) == 0
    assert review(seed, rules=RuleSet()) == []


@pytest.mark.parametrize("scope", list(Scope))
def test_custom_rule_scopes(seed, scope):
    """Each scope's check sees its object, with the object's path."""
    seen: list[str] = []

    def check(ctx: RuleContext) -> Iterator[Violation]:
        seen.append(ctx.path)
        if scope is Scope.INDICATOR:
            assert ctx.indicator is not None
            assert ctx.goal is not None
        if scope is Scope.GOAL:
            assert ctx.goal is not None
            assert ctx.indicator is None
        if scope is Scope.PROJECT:
            assert ctx.project is not None
            assert ctx.goal is None
        if scope is Scope.DEPARTMENT:
            assert ctx.department is not None
            assert ctx.project is None
        yield ctx.violation()

    rule = attrs.evolve(LONG_NAMES, code="BY201", scope=scope, check=check, message="x", message_en="x")
    findings = review(seed, rules=DEFAULT_RULES.with_rules(rule), select=["BY"])
    expected = {
        Scope.DOCUMENT: [""],
        Scope.DEPARTMENT: ["department"],
        Scope.PROJECT: ["projects[0]"],
        Scope.GOAL: [f"department.goals[{g}]" for g in range(4)] + ["projects[0].goals[0]"],
        Scope.INDICATOR: [f"department.goals[{g}].indicators[0]" for g in range(4)]
        + [f"projects[0].goals[0].indicators[{i}]" for i in range(9)],
    }[scope]
    assert seen == expected
    assert sorted(f.path for f in findings) == sorted(expected)


def test_custom_rule_with_a_bad_template(seed):
    """A message placeholder the check does not fill is an error naming the rule and the place."""
    rule = attrs.evolve(LONG_NAMES, message="{missing}")
    with pytest.raises(pt.InvalidValueError, match=r"rule BY101: cannot fill its message at projects\[0\]"):
        review(seed, rules=DEFAULT_RULES.with_rules(rule))


def test_rule_definition_is_checked():
    """Codes are capital letters then digits; severities and scopes are known names."""
    with pytest.raises(pt.InvalidValueError, match="'code' must be"):
        attrs.evolve(LONG_NAMES, code="by-101")
    with pytest.raises(pt.InvalidValueError, match="expected a severity"):
        attrs.evolve(LONG_NAMES, severity="fatal")
    with pytest.raises(ValueError, match="'table' is not a valid Scope"):
        attrs.evolve(LONG_NAMES, scope="table")
    with pytest.raises(pt.InvalidValueError, match="expected Rule values"):
        RuleSet(["PT101"])  # type: ignore[list-item]
    with pytest.raises(pt.InvalidValueError, match="expected a RuleSet"):
        review(pt.Document(), rules=[LONG_NAMES])  # type: ignore[arg-type]


def test_custom_rules_in_generated_docs():
    """write_docs documents custom rules too, with their examples run."""
    pages = render_docs([LONG_NAMES])
    assert set(pages) == {"BY101.md", "index.md"}
    assert "| Group | custom rule |" in pages["BY101.md"]
    assert "指标名称“全年驻京值班工作天数统计”有 12 个字" in pages["BY101.md"]


# --- generated pages -----------------------------------------------------------------------


def test_rule_pages_are_up_to_date():
    """docs/rules/ is exactly what the rule definitions generate (run `python -m perftarget.rules
    --write-docs docs/rules` after changing a rule)."""
    pages = render_docs(BUILTIN_RULES)
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in RULE_DOCS.glob("*.md")}
    assert sorted(on_disk) == sorted(pages)
    for name, text in pages.items():
        assert on_disk[name] == text, f"docs/rules/{name} is out of date"


def test_write_docs_replaces_stale_pages(tmp_path, capsys):
    """Generated pages of rules that are gone are removed; other pages are kept."""
    _write(tmp_path, "PT999.md", MARKER + "\n# old\n")
    _write(tmp_path, "notes.md", "# hand-written\n")
    assert rules_main(["--write-docs", str(tmp_path)]) == 0
    assert f"wrote {len(DEFAULT_RULES) + 1} pages" in capsys.readouterr().out
    names = {path.name for path in tmp_path.glob("*.md")}
    assert "PT999.md" not in names
    assert "notes.md" in names
    assert {f"{rule.code}.md" for rule in BUILTIN_RULES} < names
    assert write_docs(tmp_path) == sorted(tmp_path / name for name in names - {"notes.md"})
