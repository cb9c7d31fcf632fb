"""Review profiles: each table form is checked by the rules that fit it, chosen from the tables or given."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import perftarget as pt
from perftarget.cli import EXIT_BAD_INPUT, EXIT_OK, main
from perftarget.exceptions import DocumentError, InvalidValueError
from perftarget.rules import (
    BUILTIN_PROFILES,
    BUILTIN_RULES,
    DEFAULT_RULES,
    Profile,
    ReviewConfig,
    RuleSet,
    load_config,
    review,
)

# A self-evaluation table's indicator part: 年度指标值 and 分值, no basis, description or plan.
SELF_EVALUATION = """\
schema_version = 1

[[projects]]
form = "self-evaluation"
code = "42000021P0000123"
name = "农村公路养护补助"
year = 2020
unit = {code = "420001", name = "某县交通运输局"}
budget = {total = 100.00, fiscal = 100.00}

[[projects.goals]]
content = "完成农村公路日常养护，保障道路安全畅通"

[[projects.goals.indicators]]
level1 = "产出指标"
level2 = "数量指标"
name = "养护里程"
target = "≥120公里"
weight = 30

[[projects.goals.indicators]]
level1 = "效益指标"
level2 = "社会效益指标"
name = "道路优良路率"
target = "≥85%"
weight = 30

[[projects.goals.indicators]]
level1 = "满意度指标"
level2 = "服务对象满意度指标"
name = "沿线群众满意度"
target = "≥90%"
weight = 30
"""

COLUMN_RULES = {"PT106", "PT110", "PT406"}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def self_evaluation() -> pt.Document:
    return pt.loads(SELF_EVALUATION, "toml")


def codes(findings: list[pt.Finding]) -> list[str]:
    return [finding.code for finding in findings]


def as_target_table(document: pt.Document) -> pt.Document:
    return attrs.evolve(document, projects=tuple(attrs.evolve(p, form="target-table") for p in document.projects))


def test_a_self_evaluation_is_not_asked_for_columns_it_does_not_print(self_evaluation):
    """The form chooses the profile: the three column rules report the target table, not the self-evaluation."""
    assert set(codes(review(as_target_table(self_evaluation)))) >= COLUMN_RULES
    found = codes(review(self_evaluation))
    assert not COLUMN_RULES & set(found)
    # what fits the form is still reviewed: the weights add to 90, not 100
    assert "PT502" in found


def test_the_profile_can_be_set(self_evaluation):
    """profile= (a name or a value) and config.profile win over the tables' form; "auto" is the form's."""
    target = as_target_table(self_evaluation)
    assert codes(review(target, profile="self-evaluation")) == codes(review(self_evaluation))
    assert codes(review(self_evaluation, profile="target-table")) == codes(review(target))
    assert codes(review(self_evaluation, profile="auto")) == codes(review(self_evaluation))
    chosen = DEFAULT_RULES.profile("self-evaluation")
    assert codes(review(target, profile=chosen)) == codes(review(self_evaluation))
    configured = ReviewConfig(profile="target-table")
    assert codes(review(self_evaluation, config=configured)) == codes(review(target))
    assert codes(review(self_evaluation, config=configured, profile="auto")) == codes(review(self_evaluation))
    mine = Profile(name="no-basis", title="no basis column", skip=["PT106"])
    assert set(codes(review(target))) - set(codes(review(target, profile=mine))) == {"PT106"}


def test_one_table_on_its_own_keeps_its_form(self_evaluation):
    """A table reviewed alone is reviewed by its own form's profile."""
    (project,) = self_evaluation.projects
    assert not COLUMN_RULES & set(codes(review(project)))
    assert codes(DEFAULT_RULES.review(project)) == codes(review(project))


def test_tables_of_two_forms_skip_only_what_both_skip(self_evaluation):
    """A document mixing forms runs every rule that fits one of them (no finding is hidden from a table)."""
    (project,) = self_evaluation.projects
    mixed = attrs.evolve(self_evaluation, projects=(project, attrs.evolve(project, form="target-table")))
    assert {f.code for f in review(mixed) if f.path.startswith("projects[0]")} >= COLUMN_RULES


def test_skipped_rules_stay_known(self_evaluation):
    """Selecting or suppressing a rule the profile skips is not an error, nor an unused suppression (PT504)."""
    assert review(self_evaluation, select=["PT106"]) == []
    (project,) = self_evaluation.projects
    quiet = attrs.evolve(project, suppressions=(pt.Suppression("PT106", "自评表无指标值确定依据栏"),))
    assert "PT504" not in codes(review(quiet))
    unknown = attrs.evolve(project, suppressions=(pt.Suppression("PT999", "笔误"),))
    assert "PT504" in codes(review(unknown))


def test_a_set_without_profiles_runs_every_rule(self_evaluation):
    """RuleSet(rules) has no profiles: the form chooses nothing; naming a profile it lacks is an error."""
    plain = RuleSet(BUILTIN_RULES)
    assert set(codes(review(self_evaluation, rules=plain))) >= COLUMN_RULES
    with pytest.raises(InvalidValueError, match=r"no profile named 'self-evaluation' \(known: none"):
        review(self_evaluation, rules=plain, profile="self-evaluation")
    with pytest.raises(InvalidValueError, match="known: target-table, self-evaluation"):
        review(self_evaluation, profile="self-evaluations")


def test_sets_keep_and_replace_their_profiles():
    """with_rules and without keep the profiles; with_profiles replaces by name; names are unique and well formed."""
    assert DEFAULT_RULES.profiles == BUILTIN_PROFILES
    assert DEFAULT_RULES.without("PT5").profiles == BUILTIN_PROFILES
    assert DEFAULT_RULES.with_rules().profiles == BUILTIN_PROFILES
    looser = Profile(name="self-evaluation", title="自评表", skip=["PT1"])
    replaced = DEFAULT_RULES.with_profiles(looser)
    assert replaced.profile("self-evaluation") is looser
    assert [p.name for p in replaced.profiles] == ["target-table", "self-evaluation"]
    assert looser.skipped(DEFAULT_RULES) == {code for code in DEFAULT_RULES.codes if code.startswith("PT1")}
    with pytest.raises(InvalidValueError, match="two profiles are named"):
        RuleSet(BUILTIN_RULES, profiles=(looser, looser))
    for bad in ("Self Evaluation", "auto", "", "-x"):
        with pytest.raises(InvalidValueError, match="profile's name"):
            Profile(name=bad, title="")
    with pytest.raises(InvalidValueError, match="skip: expected a rule code"):
        Profile(name="x", title="", skip=["pt 1"])


def test_every_profile_skips_real_rules():
    """A built-in profile's selectors each name a built-in rule, and its help names every rule it skips."""
    for profile in BUILTIN_PROFILES:
        for selector in profile.skip:
            assert any(code.startswith(selector) for code in DEFAULT_RULES.codes), selector
            assert selector in profile.help
            assert selector in profile.help_zh


def test_the_form_is_kept_by_every_format(self_evaluation, tmp_path):
    """form round-trips through JSON, TOML and Excel; a file without it is a target table; a wrong one is refused."""
    assert pt.loads(pt.dumps(self_evaluation, "json"), "json") == self_evaluation
    assert pt.loads(pt.dumps(self_evaluation, "toml"), "toml") == self_evaluation
    target = as_target_table(self_evaluation)
    assert '"form"' not in pt.dumps(target, "json")
    assert pt.loads(SELF_EVALUATION.replace('form = "self-evaluation"\n', ""), "toml") == target
    with pytest.raises(DocumentError, match=r"projects\[0\].*expected a table form .target-table, self-evaluation., got .自评表."):
        pt.loads(SELF_EVALUATION.replace('"self-evaluation"', '"自评表"'), "toml")
    excel = pytest.importorskip("perftarget.excel")
    path = tmp_path / "self-evaluation.xlsx"
    excel.write_workbook(self_evaluation, path)
    assert excel.read_workbook(path) == self_evaluation


def test_config_file_profile(tmp_path, self_evaluation):
    """[tool.perftarget] profile names the profile for every table; a malformed name is refused when read."""
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.perftarget]\nprofile = "target-table"\n', encoding="utf-8")
    assert load_config(config).profile == "target-table"
    assert set(codes(review(self_evaluation, config=load_config(config)))) >= COLUMN_RULES
    config.write_text('[tool.perftarget]\nprofile = "auto"\n', encoding="utf-8")
    assert load_config(config).profile is None
    config.write_text('[tool.perftarget]\nprofile = ["target-table"]\n', encoding="utf-8")
    with pytest.raises(DocumentError, match=r"tool\.perftarget\.profile"):
        load_config(config)


def test_cli_check_profile(capsys, tmp_path, self_evaluation):
    """perftarget check --profile sets the profile; without it each table's form chooses."""
    path = tmp_path / "self-evaluation.json"
    pt.dump(self_evaluation, path)

    def found(*options: str) -> set[str]:
        code = main(["check", str(path), "--format", "json", *options])
        assert code == EXIT_OK
        (result,) = json.loads(capsys.readouterr().out)
        return {f["code"] for f in result["findings"]}

    assert not COLUMN_RULES & found()
    assert found("--profile", "target-table") >= COLUMN_RULES
    assert found("--profile", "auto") == found()
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(path), "--profile", "hubei"])
    assert exit_info.value.code == EXIT_BAD_INPUT


def test_cli_batch_check_profile(capsys, tmp_path, self_evaluation):
    """check --out honours --profile as the one-document form does."""
    path = tmp_path / "self-evaluation.json"
    pt.dump(self_evaluation, path)
    rows = {}
    for profile in ("auto", "target-table"):
        out = tmp_path / f"{profile}.csv"
        main(["check", str(path), "--out", str(out), "--no-progress", "--jobs", "1", "--profile", profile])
        rows[profile] = out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert "PT406" not in rows["auto"]
    assert "PT406" in rows["target-table"]


def test_a_published_self_evaluation():
    """The Tianchang 自评表 (Anhui, 2022): 19 of its 30 findings as a target table ask for columns it lacks."""
    document = pt.load(ROOT / "tests" / "data" / "tianchang-water-2022.toml")
    assert {project.form for project in document.projects} == {"self-evaluation"}
    as_printed = codes(review(document))
    assert not COLUMN_RULES & set(as_printed)
    as_target = codes(review(document, profile="target-table"))
    assert len(as_target) - len(as_printed) == 19  # PT106 and PT110 on 9 rows each, PT406 once
    assert sorted(as_printed) == sorted(c for c in as_target if c not in COLUMN_RULES)
