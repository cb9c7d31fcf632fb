"""The printed 总分: the exact total rounded (default) or the printed 得分 added (published practice), said which."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import perftarget as pt
from perftarget._rulebook.scoring import printed_sum, printed_total, rules_of
from perftarget.cli import main

SEED_ACTUALS = "examples/petition-bureau-actuals.toml"


@pytest.fixture
def seed(seed_path):
    return pt.load(seed_path)


def sum_rounded(name="printed-sum", **changes):
    return attrs.evolve(pt.ScoringPolicy.preset(), name=name, total_rounding="sum_rounded", **changes)


def test_the_default_prints_the_exact_total_rounded_and_says_so(seed):
    """94.23 printed, the 得分 column adds to 94.24: the note says which rule the total follows."""
    evaluation = pt.evaluate_document(seed, pt.load_actuals(SEED_ACTUALS)).projects[0]
    assert (evaluation.total_rounding, evaluation.printed_total) == ("round_total", None)
    assert (evaluation.display_total(), evaluation.column_sum()) == ("94.23", "94.24")
    assert evaluation.to_rows()[-1]["得分"] == "94.23"
    assert "round_total" in evaluation.rounding_note()
    assert "94.24" in evaluation.rounding_note("en")


def test_the_published_practice_adds_the_printed_scores(seed):
    """total_rounding = "sum_rounded": 总分 94.24 is the 得分 column's sum, in the table and its explanation."""
    evaluation = pt.evaluate_document(seed, pt.load_actuals(SEED_ACTUALS), policy=sum_rounded()).projects[0]
    assert evaluation.printed_total == Decimal("94.24")
    assert evaluation.display_total() == evaluation.column_sum() == "94.24"
    assert evaluation.to_rows()[-1]["得分"] == "94.24"
    assert evaluation.total == pt.evaluate_document(seed, pt.load_actuals(SEED_ACTUALS)).projects[0].total  # exact
    assert evaluation.rounding_note() == ""
    assert evaluation.total_formula.endswith("总分 printed as the 得分 add up: 94.24")


def test_the_grade_follows_the_printed_total():
    """Under sum_rounded a printed 90.00 is 优 even when the exact total is just below 90."""
    rules = rules_of(sum_rounded())
    scores = [Decimal("44.996")] * 2  # printed 45.00 each: 90.00, exactly 89.992
    printed = printed_total(scores, Decimal(100), rules)
    assert printed == Decimal("90.00")
    assert rules.grade(printed).value == "优"
    assert rules.grade(sum(scores)).value == "良"
    assert printed_total(scores, Decimal(100), rules_of(pt.ScoringPolicy.preset())) is None


@given(st.lists(st.decimals(0, 20, places=6), min_size=1, max_size=12))
def test_without_rescaling_the_printed_total_is_the_column_sum(scores):
    """When the weights add up to 100 the printed total is exactly the sum of the rounded scores."""
    rules = rules_of(sum_rounded())
    assert printed_total(scores, Decimal(100), rules) == min(printed_sum(scores, 2), Decimal(100))


def test_a_policy_file_sets_it_and_the_cli_shows_it(capsys, seed_path, tmp_path):
    """total_rounding in a policy file; the command line prints the note under the total when they differ."""
    policy = tmp_path / "policy.toml"
    policy.write_text('name = "printed-sum"\ntotal_rounding = "sum_rounded"\n', encoding="utf-8")
    assert main(["evaluate", str(seed_path), "--actuals", SEED_ACTUALS, "--policy", str(policy)]) == 0
    out = capsys.readouterr().out
    assert "总分 94.24  等级 优" in out
    assert "得分列合计" not in out
    assert main(["evaluate", str(seed_path), "--actuals", SEED_ACTUALS, "--lang", "en"]) == 0
    assert "Total: the exact total 94.232760 rounded half up (policy total_rounding = round_total)" in (
        capsys.readouterr().out
    )
    with pytest.raises(pt.InvalidValueError):
        attrs.evolve(pt.ScoringPolicy.preset(), total_rounding="sum")
