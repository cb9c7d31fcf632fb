"""Self-evaluation scoring (绩效自评): every rule of domain.md §5 on hand-computed cases."""

from __future__ import annotations

import inspect
import pickle
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import perftarget
from perftarget._codec.actuals import load_actuals
from perftarget._codec.convert import dumps, from_dict, loads, to_dict
from perftarget._judge import evaluate as module
from perftarget._judge.evaluate import (
    DocumentEvaluation,
    Grade,
    IndicatorScore,
    ProjectEvaluation,
    ScoringPolicy,
    evaluate,
    evaluate_department,
    evaluate_document,
)
from perftarget._model.actuals import MISSING, Actual, ActualsDocument, ExplicitScore, TableActuals, match_actuals
from perftarget.exceptions import DocumentError, EvaluationError, InvalidValueError, PerftargetError, Problem
from perftarget.results import Subtotal
from perftarget.values import Achievement, Level1, Quantity

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "petition-bureau.toml"
SEED_ACTUALS = ROOT / "examples" / "petition-bureau-actuals.toml"

D = Decimal


def indicator(name: str, target: str, *, level1: str = "产出指标", level2: str = "数量指标",
              weight: object = None, key: str | None = None) -> perftarget.Indicator:
    return perftarget.Indicator(name=name, target=target, level1=level1, level2=level2, weight=weight, key=key)


def project(*indicators: perftarget.Indicator, budget: object = 10) -> perftarget.ProjectTargets:
    return perftarget.ProjectTargets(
        unit=perftarget.Unit("000001", "某单位"), code="P1", name="某项目", year=2022,
        budget=perftarget.Budget(total=budget), goals=[perftarget.Goal("目标", indicators)],
    )


def score_one(target: str, actual: object, *, weight: object = 10, policy: object = None) -> IndicatorScore:
    """One indicator of weight 10 (the weights of such a table do not add up, hence lenient mode)."""
    table = project(indicator("指标", target, weight=weight))
    return evaluate(table, {"指标": actual}, spent=None, policy=policy, strict=False).items[0]


@pytest.fixture(scope="module")
def seed() -> perftarget.ProjectTargets:
    return perftarget.load(SEED).projects[0]


SEED_ACTUAL_VALUES = {
    "工作日保障单位运转": "8小时/天",
    "群众来访接待劝返率": "93%",
    "按时间进度要求支付使用资金": "达成",
    "经费支出准确率": "100%",
    "正常办公条件保障情况": "部分达成",
    "重点敏感时期覆盖率": "100%",
    "上访人员满意度": "96%",
}


# --- 正向 (≥, >) ------------------------------------------------------------------------------


def test_at_least_met_scores_full() -> None:
    """≥: B ≥ A gives the full weight."""
    item = score_one("≥95%", "96%")
    assert (item.score, item.rule, item.formula) == (D(10), "at_least", "96 ≥ 95 → 10")
    assert not item.needs_explanation


def test_at_least_missed_scores_b_over_a() -> None:
    """≥: B < A gives B / A × w (95 / 98 × 10 = 9.6938...)."""
    item = score_one("≥98%", "95%")
    assert item.score == D(95) / D(98) * D(10)
    assert item.formula == "95 / 98 × 10 ≈ 9.69"
    assert item.needs_explanation


def test_greater_than_scores_like_at_least() -> None:
    """>: scored like ≥, so B = A is full marks and B < A is B / A × w."""
    assert score_one(">90%", "90%").score == D(10)
    assert score_one(">90%", "80%").score == D(80) / D(90) * D(10)


def test_at_least_with_zero_target_is_always_met() -> None:
    """≥0: any non-negative actual meets it (no division by zero)."""
    assert score_one("≥0个", "0").score == D(10)


# --- 反向 (≤, <) ------------------------------------------------------------------------------


def test_at_most_ratio() -> None:
    """≤ by A / B: 12 against ≤10 gives 10 / 12 × 10; 8 and 0 give full marks."""
    item = score_one("≤10次", "12次")
    assert item.score == D(10) / D(12) * D(10)
    assert item.formula == "10 / 12 × 10 ≈ 8.33"
    assert score_one("≤10次", "8次").score == D(10)
    assert score_one("≤10次", 0).score == D(10)


def test_less_than_scores_like_at_most() -> None:
    """<: B ≤ A is full marks (as the 10号 note says for 反向), above it A / B × w."""
    assert score_one("<5%", "5%").score == D(10)
    assert score_one("<5%", "8%").score == D(5) / D(8) * D(10)


def test_at_most_linear() -> None:
    """≤ by linear deviation: w × (1 − (B − A) / A), 0 from B = 2A."""
    item = score_one("≤10次", "12次", policy="reverse-linear")
    assert (item.score, item.rule) == (D(8), "at_most_linear")
    assert item.formula == "10 × (1 − (12 − 10) / 10) = 8.00"
    assert score_one("≤10次", "20次", policy="reverse-linear").score == 0
    assert score_one("≤10次", "25次", policy="reverse-linear").score == 0
    assert score_one("≤10次", "10次", policy="reverse-linear").score == D(10)


def test_at_most_zero_target_above_scores_nothing() -> None:
    """≤0 with B > 0 gives 0 under both formulas (A / B is 0; no division by zero)."""
    assert score_one("≤0次", "2次").score == 0
    assert score_one("≤0次", "2次", policy="reverse-linear").score == 0
    assert score_one("≤0次", "0次").score == D(10)


# --- = and ranges -----------------------------------------------------------------------------


def test_equal_scores_like_at_least() -> None:
    """= with A > 0: scored as ≥ (98 against =100% gives 9.8)."""
    item = score_one("=100%", "98%")
    assert (item.score, item.rule) == (D("9.8"), "equal")
    assert score_one("=100%", "100%").score == D(10)


def test_equal_zero_target() -> None:
    """= 0 (安全事故=0): full marks only at zero."""
    item = score_one("=0起", "0")
    assert (item.score, item.rule) == (D(10), "equal_zero")
    assert score_one("=0起", "1起").score == 0


def test_range() -> None:
    """A range: full inside, else the ratio to the nearer bound."""
    assert score_one("90%~100%", "95%").score == D(10)
    assert score_one("90%~100%", "85%").score == D(85) / D(90) * D(10)
    assert score_one("90%~100%", "110%").score == D(100) / D(110) * D(10)
    assert score_one("90%~100%", "100%").rule == "range"


def test_negative_actual_against_a_positive_target() -> None:
    """A negative actual misses a positive 正向 target (0, as the vendors' clamp gave) and meets a 反向 one.

    Changed in 0.2.0: values are compared as written (no clamp), and the formula says why.
    """
    item = score_one("≥95%", "-5%")
    assert (item.score, item.formula) == (0, "-5 < 0 → 0")
    assert score_one("≤10次", -3).score == D(10)
    assert score_one("90%~100%", "-5%").formula == "-5 < 0 → 0"


def test_signed_targets_are_compared_as_written() -> None:
    """Growth and decrease rates: met → full marks, missed → 0 (a ratio of signed numbers means nothing).

    Regressions: ``≥-5%`` with ``-8%`` gave full marks (the actual was clamped to 0 ≥ -5), and
    ``≤-3%`` with ``-5%`` (a decrease met) gave 0; both now agree with ``Threshold.is_met``.
    """
    growth = score_one("≥-5%", "-8%")
    assert (growth.score, growth.rule, growth.formula) == (0, "at_least", "-8 < -5 → 0")
    assert not perftarget.Threshold.parse("≥-5%").is_met("-8%")
    assert score_one("≥-5%", "-3%").score == D(10)
    decrease = score_one("≤-3%", "-5%")
    assert (decrease.score, decrease.formula) == (D(10), "-5 ≤ -3 → 10")
    assert perftarget.Threshold.parse("≤-3%").is_met("-5%")
    assert score_one("≤-3%", "-1%").formula == "-1 > -3 → 0"
    assert score_one("=-2%", "-2%").formula == "-2 = -2 → 10"
    assert score_one("=-2%", "-1%").score == 0
    assert score_one("=0", "-1").formula == "-1 ≠ 0 → 0"
    assert score_one("-10%~-5%", "-7%").score == D(10)
    assert score_one("-10%~-5%", "-12%").formula == "-12 < -10 → 0"
    assert score_one("-10%~-5%", "-1%").formula == "-1 > -5 → 0"


def test_actual_in_yuan_against_target_in_wan_yuan() -> None:
    """Amounts convert to the target's unit: 95000元 against ≤10万元 is 9.5 万元."""
    item = score_one("≤10万元", "95000元")
    assert (item.score, item.formula) == (D(10), "9.5 ≤ 10 → 10")
    assert score_one("≤10万元", "120000元").score == D(10) / D(12) * D(10)


def test_actual_as_number_and_quantity() -> None:
    """A bare number is in the target's unit; a Quantity converts."""
    assert score_one("≥8小时/天", 7).score == D(7) / D(8) * D(10)
    assert score_one("≥8小时/天", D("7.5")).score == D("7.5") / D(8) * D(10)
    assert score_one("≤10万元", Quantity(D(50000), "元")).score == D(10)


# --- over-achievement and the percentage variant ------------------------------------------------


def test_over_achievement_flagged_at_120_percent() -> None:
    """B ≥ 1.2 A flags a 正向 indicator; the score stays full, nothing is deducted."""
    flagged = score_one("≥50个", "60个")
    assert (flagged.over_achieved, flagged.score) == (True, D(10))
    assert not score_one("≥50个", "59个").over_achieved
    assert not score_one("≤50个", "10个").over_achieved


def test_over_achievement_threshold_is_policy() -> None:
    """A policy sets its own threshold (广西 uses 130 %) or turns the flag off."""
    policy = attrs.evolve(ScoringPolicy.preset(), name="gx", over_achievement=D("1.3"))
    assert not score_one("≥50个", "60个", policy=policy).over_achieved
    assert score_one("≥50个", "65个", policy=policy).over_achieved
    off = attrs.evolve(policy, over_achievement=0)
    assert not score_one("≥50个", "500个", policy=off).over_achieved


def test_rate_times_weight() -> None:
    """rate_times_weight: ≥ % indicators score B × w even when met (98% of 20 is 19.6)."""
    item = score_one("≥98%", "98%", weight=20, policy="rate-times-weight")
    assert (item.score, item.rule, item.formula) == (D("19.6"), "rate_times_weight", "98% × 20 = 19.60")
    assert score_one("≥98%", "100%", policy="rate-times-weight").score == D(10)
    assert score_one("≥98%", "120%", policy="rate-times-weight").score == D(10)
    assert score_one("≤5%", "4%", policy="rate-times-weight").score == D(10)
    assert score_one("≥50个", "49个", policy="rate-times-weight").rule == "at_least"


# --- qualitative ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("达成", D(10)),
        ("部分达成", D(7)),
        ("未达成", D(3)),
        ("partially achieved", D(7)),
        ("not achieved", D(3)),
        (Achievement.PARTIAL, D(7)),
        ("按时发放", D(10)),
    ],
)
def test_qualitative_band_defaults(actual: object, expected: Decimal) -> None:
    """达成 w, 部分达成 0.7w, 未达成 0.3w; the target's own statement counts as 达成."""
    item = score_one("按时发放", actual)
    assert (item.score, item.rule) == (expected, "qualitative")


def test_qualitative_ordinal_scale() -> None:
    """On an ordinal scale (优秀/良好/合格): above the target is 达成, one step below 部分达成."""
    assert score_one("良好", "优秀").score == D(10)
    assert score_one("良好", "合格").score == D(7)
    assert score_one("良好", "不合格").score == D(3)


def test_explicit_score_inside_band() -> None:
    """An explicit score is kept when it lies in its band."""
    item = score_one("按时发放", ExplicitScore("部分达成", D("7.5")))
    assert (item.score, item.rule) == (D("7.5"), "explicit")
    assert item.formula == "部分达成: 7.5 given, within [6, 8)"
    assert score_one("按时发放", ExplicitScore("达成", 10)).score == D(10)
    assert score_one("按时发放", ExplicitScore("达成", 8)).score == D(8)
    assert score_one("按时发放", ExplicitScore("未达成", 0)).score == 0
    assert score_one("按时发放", {"band": "achieved", "score": 9}).score == D(9)


@pytest.mark.parametrize(("band", "score"), [("部分达成", 8), ("部分达成", "5.9"), ("达成", "7.9"), ("未达成", 6)])
def test_explicit_score_outside_band_is_a_problem(band: str, score: object) -> None:
    """A score outside its band is refused: 部分达成 is [0.6w, 0.8w), so 8 of 10 is not in it."""
    table = project(indicator("指标", "按时发放", weight=90))
    with pytest.raises(EvaluationError, match=r"goals\[0\]\.indicators\[0\]: the score .* must lie in"):
        evaluate(table, {"指标": ExplicitScore(band, D(score) * 9)}, spent=10)


def test_explicit_score_cannot_be_negative() -> None:
    """ExplicitScore refuses a negative score and an unknown band when built."""
    with pytest.raises(InvalidValueError):
        ExplicitScore("达成", -1)
    with pytest.raises(InvalidValueError, match="band"):
        ExplicitScore("很好", 1)


def test_manual_score_deducts() -> None:
    """A score set by hand (over-achievement deduction) replaces the rule's, never above it."""
    item = score_one("≥50个", Actual("80个", score=8, reason="目标值设置偏低"))
    assert (item.score, item.rule, item.reason) == (D(8), "manual", "目标值设置偏低")
    assert item.formula == "80 ≥ 50 → 10; set by hand to 8"
    table = project(indicator("指标", "≥50个", weight=90))
    with pytest.raises(EvaluationError, match="exceeds what the rule gives"):
        evaluate(table, {"指标": Actual("40个", score=80)}, spent=10)


# --- budget execution -------------------------------------------------------------------------


def test_budget_ratio() -> None:
    """min(spent / budget, 1) × 10: 9.2 of 10 gives 9.2; 11 of 10 gives 10 (rate 110 %)."""
    table = project(indicator("指标", "≥1个"))
    evaluation = evaluate(table, {"指标": 1}, spent=D("9.2"))
    assert (evaluation.budget_execution_rate, evaluation.budget_score) == (D(92), D("9.2"))
    assert evaluation.budget_formula == "9.2 / 10 = 92%; 92% × 10 = 9.20"
    over = evaluate(table, {"指标": 1}, spent=11)
    assert (over.budget_execution_rate, over.budget_score) == (D(110), D(10))
    assert evaluate(table, {"指标": 1}, spent="92000元").budget_score == D("9.2")
    assert evaluate(table, {"指标": 1}, spent=8, budget=16).budget_score == D(5)


@pytest.mark.parametrize(("spent", "expected"), [("9.2", "10"), ("9", "10"), ("8.6", "6"), ("8.95", "9.5"), ("5", "0")])
def test_budget_full_at_90_minus_1_per_point(spent: str, expected: str) -> None:
    """Full from 90 %, one point off per percentage point below, down to 0."""
    table = project(indicator("指标", "≥1个"))
    evaluation = evaluate(table, {"指标": 1}, spent=D(spent), policy="budget-90-minus-1")
    assert evaluation.budget_score == D(expected)


def test_negative_spent_and_zero_budget_are_problems() -> None:
    """A negative amount spent, or a budget of 0, cannot be scored."""
    table = project(indicator("指标", "≥1个"))
    with pytest.raises(EvaluationError, match="spent: must not be negative"):
        evaluate(table, {"指标": 1}, spent=-1)
    with pytest.raises(EvaluationError, match="budget: the budget is 0"):
        evaluate(project(indicator("指标", "≥1个"), budget=0), {"指标": 1}, spent=0)
    with pytest.raises(EvaluationError, match="spent: expected an amount"):
        evaluate(table, {"指标": 1}, spent="九万元")


# --- weights, 无 rows and totals ---------------------------------------------------------------


def test_seed_default_weights_and_total(seed: perftarget.ProjectTargets) -> None:
    """The seed's weights are split per level-1 among applicable rows: 50/4, 30/2 (two 无 rows), 10/1."""
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES, spent=D("9.2"))
    weights = [item.weight for item in evaluation.items]
    assert weights == [D("12.5")] * 4 + [D(15), D(0), D(15), D(0), D(10)]
    expected = (D("12.5") * 3 + D(93) / D(95) * D("12.5") + D("10.5") + D(15)
                + D(96) / D(98) * D(10) + D("9.2"))
    assert abs(evaluation.total - expected) < D("1e-19")
    assert evaluation.display_total() == "94.23"
    assert evaluation.grade is Grade.EXCELLENT
    assert [s.level1 for s in evaluation.subtotals] == ["产出指标", "效益指标", "满意度指标"]
    assert evaluation.subtotal(Level1.BENEFIT).score == D("25.5")
    assert not evaluation.problems


def test_not_applicable_redistribute_vs_rescale(seed: perftarget.ProjectTargets) -> None:
    """redistribute: 效益's 30 goes to its two live rows (0.7 × 15 = 10.5 lost 4.5).
    rescale: each of its four rows keeps 7.5; 0.7 × 7.5 = 5.25; total × 100 / 85."""
    actuals = dict.fromkeys(SEED_ACTUAL_VALUES, "达成") | {
        "工作日保障单位运转": "8小时/天", "群众来访接待劝返率": "95%", "经费支出准确率": "98%",
        "重点敏感时期覆盖率": "95%", "上访人员满意度": "98%", "正常办公条件保障情况": "部分达成",
    }
    redistributed = evaluate(seed, actuals, spent=10)
    assert redistributed.total == D("95.5")
    rescaled = evaluate(seed, actuals, spent=10, policy="rescale-na")
    assert rescaled.item("正常办公条件保障情况").weight == D("7.5")
    assert rescaled.weight_total == D(85)
    assert rescaled.raw_total == D("82.75")
    assert abs(rescaled.total - D("82.75") * 100 / 85) < D("1e-19")
    assert rescaled.total_formula == "82.75 × 100 / 85 ≈ 97.35"


def test_missing_level1_block_redistributes_to_the_others() -> None:
    """No 满意度 indicator: its 10 points go to 产出 and 效益 in proportion (4 × 22.5 = 90 with 50:30)."""
    table = project(indicator("甲", "≥1个"), indicator("乙", "≥1个", level1="效益指标", level2="社会效益指标"))
    evaluation = evaluate(table, {"甲": 1, "乙": 1}, spent=10)
    assert [item.weight for item in evaluation.items] == [D("56.25"), D("33.75")]
    assert evaluation.total == D(100)


def test_table_weights_are_used() -> None:
    """Weights printed in the table are used as they are; unweighted rows share what is left."""
    table = project(
        indicator("甲", "≥1个", weight=20), indicator("乙", "≥1个"), indicator("丙", "≥1个"),
        indicator("丁", "≥1个", level1="效益指标", level2="社会效益指标", weight=30),
        indicator("戊", "≥1个", level1="满意度指标", level2="服务对象满意度指标", weight=10),
    )
    evaluation = evaluate(table, dict.fromkeys("甲乙丙丁戊", 1), spent=10)
    assert [item.weight for item in evaluation.items] == [D(20), D(15), D(15), D(30), D(10)]
    assert evaluation.total == D(100)


def test_weights_that_do_not_add_up() -> None:
    """Table weights adding up to 80 (+10 budget): strict mode refuses; lenient rescales to 100."""
    table = project(indicator("甲", "≥1个", weight=40), indicator("乙", "≥1个", level1="效益指标",
                                                                  level2="社会效益指标", weight=40))
    with pytest.raises(EvaluationError, match="weights: the weights add up to 90, not 100"):
        evaluate(table, {"甲": 1, "乙": 1}, spent=10)
    evaluation = evaluate(table, {"甲": 1, "乙": D("0.5")}, spent=10, strict=False)
    assert abs(evaluation.total - (D(40) + D(20) + D(10)) * 100 / 90) < D("1e-19")


def test_weights_given_exceed_the_block() -> None:
    """Given weights above the level-1's points leave nothing for the others: a problem."""
    table = project(indicator("甲", "≥1个", weight=60), indicator("乙", "≥1个"),
                    indicator("丙", "≥1个", level1="效益指标", level2="社会效益指标"))
    with pytest.raises(EvaluationError, match=r"goals\[0\]\.indicators\[1\]: the weights given in 产出指标 \(60\) "
                                              r"exceed its 56.25 points"):
        evaluate(table, {"甲": 1, "乙": 1, "丙": 1}, spent=10)


def test_cost_level1_is_carved_out_of_output() -> None:
    """core2021 tables: 成本指标 rows share 产出's 50 points with the 产出 rows."""
    table = project(
        indicator("甲", "≥1个"), indicator("乙", "≥1个"),
        indicator("丙", "≤10万元", level1="成本指标", level2="经济成本指标"),
        indicator("丁", "≤5万元", level1="成本指标", level2="经济成本指标"),
        indicator("戊", "≥1个", level1="效益指标", level2="社会效益指标"),
        indicator("己", "≥90%", level1="满意度指标", level2="服务对象满意度指标"),
    )
    evaluation = evaluate(table, {"甲": 1, "乙": 1, "丙": 10, "丁": 5, "戊": 1, "己": "95%"}, spent=10)
    assert [item.weight for item in evaluation.items[:4]] == [D("12.5")] * 4
    assert evaluation.subtotal("成本指标").weight == D(25)
    assert evaluation.subtotal("产出指标").weight == D(25)
    assert evaluation.total == D(100)


def test_policy_without_satisfaction_folds_it_into_benefit(seed: perftarget.ProjectTargets) -> None:
    """产出 40, 效益 40 (满意度 scored inside it), budget 20 × rate.

    This was the hubei-2020 preset; that preset now gives its points per goal block (the table it
    cites prints 年度绩效目标1 (40分) and 年度绩效目标2 (40分)), see test_published_selfeval.py.
    """
    policy = perftarget.ScoringPolicy(name="40-40", budget_weight=20, level1_weights={"产出指标": 40, "效益指标": 40})
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES, spent=D("9.2"), policy=policy)
    assert evaluation.item("工作日保障单位运转").weight == D(10)
    assert evaluation.item("上访人员满意度").weight == D(40) / 3
    assert evaluation.budget_score == D("18.4")
    assert evaluation.policy == "40-40"


def test_hubei_policy_gives_points_per_goal(seed: perftarget.ProjectTargets) -> None:
    """hubei-2020 on the seed (one goal): that goal takes both blocks' 80 points; budget 20 × rate."""
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES, spent=D("9.2"), policy="hubei-2020")
    assert {item.weight for item in evaluation.items if item.applicable} == {D(80) / 7}
    assert [(s.level1, s.weight) for s in evaluation.subtotals] == [("年度绩效目标1", D(80))]
    assert evaluation.budget_score == D("18.4")
    assert evaluation.policy == "hubei-2020"


def test_unscored_budget_gives_its_points_to_the_indicators() -> None:
    """spent=None: no budget score; the indicators share all 100 points."""
    table = project(indicator("甲", "≥1个"), indicator("乙", "≥1个", level1="效益指标", level2="社会效益指标"))
    evaluation = evaluate(table, {"甲": 1, "乙": 1}, spent=None)
    assert evaluation.budget_score is None
    assert sum(item.weight for item in evaluation.items) == D(100)
    assert evaluation.total == D(100)


def test_levels_missing_in_a_levelled_table() -> None:
    """A row without a level-1 among levelled rows cannot be weighed unless it gives a weight."""
    table = project(indicator("甲", "≥1个"), perftarget.Indicator(name="乙", target="≥1个"))
    with pytest.raises(EvaluationError, match=r"goals\[0\]\.indicators\[1\]: level-1 \(none\) has no points"):
        evaluate(table, {"甲": 1, "乙": 1}, spent=10)


# --- grades and rounding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", Grade.EXCELLENT), ("90", Grade.EXCELLENT), ("89.9999", Grade.GOOD), ("80", Grade.GOOD),
     ("79.99", Grade.FAIR), ("60", Grade.FAIR), ("59.999", Grade.POOR), ("0", Grade.POOR)],
)
def test_grade_boundaries(total: str, grade: Grade) -> None:
    """Half-open bands on the unrounded total: 优 [90, 100], 良 [80, 90), 中 [60, 80), 差 below 60."""
    assert ScoringPolicy.preset().grade(D(total)) is grade


def test_grade_at_exactly_90_through_evaluate(seed: perftarget.ProjectTargets) -> None:
    """Every target met and nothing spent: 90 exactly, which is 优 (89.995 would be 良 though shown 90.00)."""
    met = dict(SEED_ACTUAL_VALUES) | {"群众来访接待劝返率": "95%", "正常办公条件保障情况": "达成", "上访人员满意度": "98%"}
    evaluation = evaluate(seed, met, spent=0)
    assert (evaluation.total, evaluation.grade) == (D(90), Grade.EXCELLENT)
    assert (Grade.EXCELLENT.value, Grade.EXCELLENT.english, str(Grade.POOR)) == ("优", "excellent", "差")


def test_display_rounds_half_up(seed: perftarget.ProjectTargets) -> None:
    """Display rounding is half up (8.625 → 8.63), to 2 places or whole points."""
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES, spent=D("9.2"))
    assert evaluation.display(D("8.625")) == "8.63"
    assert evaluation.display(D("0.5")) == "0.50"
    whole = attrs.evolve(ScoringPolicy.preset(), name="whole", display_places=0)
    rounded = evaluate(seed, SEED_ACTUAL_VALUES, spent=D("9.2"), policy=whole)
    assert rounded.display_total() == "94"
    assert rounded.display(D("8.5")) == "9"
    assert rounded.display_rate() == "92%"


# --- the table and its rows -------------------------------------------------------------------


def test_to_rows_has_the_10hao_columns(seed: perftarget.ProjectTargets) -> None:
    """to_rows: one row per indicator in the 10号 columns, then 预算执行率 and 总分."""
    rows = evaluate(seed, SEED_ACTUAL_VALUES | {"上访人员满意度": Actual("96%", reason="个别诉求未解决")},
                    spent=D("9.2")).to_rows()
    assert list(rows[0]) == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                             "偏差原因分析及改进措施"]
    assert rows[1] == {"一级指标": "产出指标", "二级指标": "质量指标", "三级指标": "群众来访接待劝返率",
                       "年度指标值": "≥95%", "实际完成值": "93%", "分值": "12.50", "得分": "12.24",
                       "偏差原因分析及改进措施": ""}
    assert rows[5]["分值"] == rows[5]["得分"] == ""
    assert rows[8]["偏差原因分析及改进措施"] == "个别诉求未解决"
    assert rows[-2]["一级指标"] == "预算执行率"
    assert rows[-2]["实际完成值"] == "9.20（92.00%）"
    assert rows[-1] == {"一级指标": "总分", "二级指标": "", "三级指标": "", "年度指标值": "", "实际完成值": "",
                        "分值": "100.00", "得分": "94.23", "偏差原因分析及改进措施": ""}


def test_explanations_needed(seed: perftarget.ProjectTargets) -> None:
    """Lines below their weight need a 偏差原因; missing_explanations lists those without one."""
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES | {"上访人员满意度": Actual("96%", reason="个别诉求未解决")},
                          spent=D("9.2"))
    assert [item.name for item in evaluation.needs_explanation] == [
        "群众来访接待劝返率", "正常办公条件保障情况", "上访人员满意度"]
    assert [item.name for item in evaluation.missing_explanations] == ["群众来访接待劝返率", "正常办公条件保障情况"]


def test_item_lookup(seed: perftarget.ProjectTargets) -> None:
    """An item is found by path or name; an unknown one is a KeyError."""
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES, spent=D("9.2"))
    assert evaluation.item("goals[0].indicators[1]") is evaluation.item("群众来访接待劝返率")
    assert not evaluation.item("goals[0].indicators[5]").applicable
    with pytest.raises(KeyError):
        evaluation.item("没有")
    with pytest.raises(KeyError):
        evaluation.subtotal("成本指标")


# --- finding actuals, and bad input -----------------------------------------------------------


def test_actuals_by_key_and_by_path() -> None:
    """An indicator is found by its key or its path as well as by its name."""
    table = project(indicator("甲", "≥1个", key="a"), indicator("乙", "≥2个"))
    evaluation = evaluate(table, {"a": 1, "goals[0].indicators[1]": 1}, spent=10)
    assert [item.score for item in evaluation.items] == [D(90) / 2, D(90) / 2 / 2]


def test_strict_mode_lists_every_problem() -> None:
    """Strict mode raises one EvaluationError listing every problem, each with its path."""
    table = project(
        indicator("甲", "≥8小时/天"), indicator("乙", "按时发放"), indicator("丙", "≥95%"),
        indicator("丁", "≥1个"), indicator("同名", "≥1个"), indicator("同名", "≥2个"),
    )
    actuals = {"甲": "8个", "乙": 1, "丙": "达成", "戊": "1", "同名": 1}
    with pytest.raises(EvaluationError) as caught:
        evaluate(table, actuals, spent=-1)
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, PerftargetError)
    locations = [problem.location for problem in error.problems]
    assert locations == [
        "actuals['戊']", "actuals['同名']", "spent",
        "goals[0].indicators[0]", "goals[0].indicators[1]", "goals[0].indicators[2]", "goals[0].indicators[3]",
        "goals[0].indicators[4]", "goals[0].indicators[5]",
    ]
    text = str(error)
    assert text.startswith("project P1 某项目: 9 problems:")
    assert "cannot be compared with target '≥8小时/天'" in text
    assert "is qualitative: give 达成, 部分达成 or 未达成" in text
    assert "is quantitative: give a number, not the band 达成" in text
    assert "no indicator has this name, key or path" in text
    assert "ambiguous: goals[0].indicators[4], goals[0].indicators[5] share this name" in text
    assert "no actual value for '丁'" in text


def test_lenient_mode_scores_what_it_can() -> None:
    """Lenient mode gives 0 to what cannot be scored and lists the problems."""
    table = project(indicator("甲", "≥8小时/天"), indicator("乙", "≥1个"))
    evaluation = evaluate(table, {"甲": "8个", "乙": 1}, spent=10, strict=False)
    assert [item.rule for item in evaluation.items] == ["invalid", "at_least"]
    assert [item.score for item in evaluation.items] == [0, 45]
    assert evaluation.total == D(55)
    assert [problem.location for problem in evaluation.problems] == ["goals[0].indicators[0]"]


def test_actual_for_a_not_applicable_row_is_ignored(seed: perftarget.ProjectTargets) -> None:
    """An actual given for a 无 row (the seed has two named 无) is ignored, not ambiguous."""
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES | {"无": "无"}, spent=D("9.2"))
    assert not evaluation.problems


def test_bad_actual_shapes() -> None:
    """A malformed actual (a table without value, a bool, a list) is a problem for that indicator."""
    table = project(indicator("甲", "≥1个"), indicator("乙", "≥1个"), indicator("丙", "≥1个"))
    evaluation = evaluate(table, {"甲": {"valeur": 1}, "乙": True, "丙": [1]}, spent=10, strict=False)
    assert [item.rule for item in evaluation.items] == ["invalid"] * 3
    assert len(evaluation.problems) == 3
    with pytest.raises(InvalidValueError, match="'actuals' must map"):
        evaluate(table, [1, 2], spent=10)  # type: ignore[arg-type]


def test_same_indicator_twice_is_a_problem() -> None:
    """Giving one indicator two actuals (by name and by path) is a problem."""
    table = project(indicator("甲", "≥1个"))
    with pytest.raises(EvaluationError, match="already has an actual"):
        evaluate(table, {"甲": 1, "goals[0].indicators[0]": 2}, spent=10)


# --- department -------------------------------------------------------------------------------


def test_department_indicators_split_evenly() -> None:
    """Department goals carry no levels: their indicators split the points evenly."""
    department = perftarget.load(SEED).department
    assert department is not None
    actuals = {"单位正常运转": "达成", "群众来访劝返率": "96%", "工资、补贴发放": "达成", "经费支出准确": "部分达成"}
    evaluation = evaluate_department(department, actuals)
    assert [item.weight for item in evaluation.items] == [D(25)] * 4
    assert evaluation.total == D(25) * 3 + D("17.5")
    assert evaluation.budget_score is None
    assert evaluation.scope == "department"
    with_budget = evaluate_department(department, actuals, spent=90, budget=100)
    assert [item.weight for item in with_budget.items] == [D("22.5")] * 4
    assert with_budget.total == D("22.5") * 3 + D("15.75") + 9
    with pytest.raises(EvaluationError, match="department targets carry no budget"):
        evaluate_department(department, actuals, spent=90)


# --- policies ---------------------------------------------------------------------------------


def test_presets() -> None:
    """The presets ship as data; each loads, and the default is national-2020."""
    assert ScoringPolicy.presets() == (
        "budget-90-minus-1", "hubei-2020", "national-2020", "rate-times-weight", "rescale-na", "reverse-linear")
    for name in ScoringPolicy.presets():
        assert ScoringPolicy.preset(name).name == name
    national = ScoringPolicy.preset()
    assert national == ScoringPolicy(name="national-2020", description=national.description)
    assert dict(national.level1_weights) == {
        Level1.OUTPUT: 50, Level1.BENEFIT: 30, Level1.SATISFACTION: 10}
    assert national.budget_weight == 10
    with pytest.raises(InvalidValueError, match="no scoring preset 'nope'; the presets are budget-90-minus-1"):
        ScoringPolicy.preset("nope")


def test_policy_from_a_province_file(tmp_path: Path) -> None:
    """A province writes its own policy in TOML without Python; unspecified keys keep the national rules."""
    path = tmp_path / "province.toml"
    path.write_text('name = "某省"\nbudget_weight = 20\nbudget_rule = "full_at_90_minus_1_per_point"\n'
                    '[level1_weights]\n"产出指标" = 40\n"效益指标" = 30\n"满意度指标" = 10\n', encoding="utf-8")
    policy = ScoringPolicy.load(path)
    assert (policy.name, policy.budget_weight, policy.reverse_formula) == ("某省", 20, "ratio")
    table = project(indicator("甲", "≥1个"))
    assert evaluate(table, {"甲": 1}, spent="8.6", policy=policy).budget_score == D(16)
    json_path = tmp_path / "province.json"
    json_path.write_text(dumps(policy, "json"), encoding="utf-8")
    assert ScoringPolicy.load(json_path) == policy


def test_bad_policy_files(tmp_path: Path) -> None:
    """A policy whose weights do not add up to 100, or with an unknown key, is refused with its place."""
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nbudget_weight = 20\n', encoding="utf-8")
    with pytest.raises(DocumentError, match="must add up to 100"):
        ScoringPolicy.load(path)
    path.write_text('name = "x"\nbudget_rul = "ratio"\n', encoding="utf-8")
    with pytest.raises(DocumentError, match="unknown key 'budget_rul'"):
        ScoringPolicy.load(path)
    path.write_text('name = "x"\nreverse_formula = "quadratic"\n', encoding="utf-8")
    with pytest.raises(DocumentError, match="reverse_formula"):
        ScoringPolicy.load(path)
    with pytest.raises(DocumentError, match="cannot read the file"):
        ScoringPolicy.load(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"band_bounds": {"部分达成": "0.9"}}, "band_bounds"),
        ({"band_defaults": {"部分达成": "0.9"}}, r"band_defaults\[部分达成\]"),
        ({"grade_bounds": {"良": 95}}, "grade_bounds"),
        ({"over_achievement": 1}, "over_achievement"),
        ({"display_places": 11}, "display_places"),
        ({"budget_full_rate": 0}, "budget_full_rate"),
        ({"level1_weights": {"过程指标": 90}}, "level1_weights"),
        ({"budget_rule": "generous"}, "budget_rule"),
        ({"name": " "}, "name"),
    ],
)
def test_policy_invariants(changes: dict[str, object], message: str) -> None:
    """A policy checks its bands, grades, threshold, places and names when built."""
    with pytest.raises(InvalidValueError, match=message):
        ScoringPolicy(**({"name": "x"} | changes))  # type: ignore[arg-type]


def test_policy_accepts_labels_and_english_keys() -> None:
    """Weights take level labels (产出, 产出指标) and bands/grades their English names."""
    policy = ScoringPolicy(name="x", level1_weights={"产出": 60, "效益指标": 30},
                           band_defaults={"partial": "0.75"}, grade_bounds={"excellent": 85})
    assert policy.level1_weights[Level1.OUTPUT] == 60
    assert policy.band_defaults[Achievement.PARTIAL] == D("0.75")
    assert policy.grade(D(86)) is Grade.EXCELLENT


def test_policy_and_evaluation_round_trip(seed: perftarget.ProjectTargets) -> None:
    """ProjectEvaluation and ScoringPolicy go through to_dict/from_dict and JSON/TOML unchanged."""
    evaluation = evaluate(seed, SEED_ACTUAL_VALUES, spent=D("9.2"), policy="rescale-na")
    assert from_dict(to_dict(evaluation), ProjectEvaluation) == evaluation
    assert loads(dumps(evaluation, "json"), "json", ProjectEvaluation) == evaluation
    assert loads(dumps(evaluation, "toml"), "toml", ProjectEvaluation) == evaluation
    data = to_dict(evaluation)
    assert data["grade"] == "优"
    assert data["items"][1]["formula"] == "93 / 95 × 12.5 ≈ 12.24"
    for name in ScoringPolicy.presets():
        policy = ScoringPolicy.preset(name)
        assert from_dict(to_dict(policy), ScoringPolicy) == policy
        assert loads(dumps(policy, "toml"), "toml", ScoringPolicy) == policy


# --- actuals files and whole documents --------------------------------------------------------


def test_load_actuals_file() -> None:
    """The sample actuals file reads into values with their reasons."""
    actuals = load_actuals(SEED_ACTUALS)
    entry = actuals.projects[0]
    assert (entry.project, entry.spent, entry.budget) == ("13063722P0041681003", D("9.2"), None)
    assert entry.actuals["上访人员满意度"].value == "96%"
    assert entry.actuals["群众来访接待劝返率"].reason.startswith("重复来访人数增加")


def test_evaluate_document_with_the_sample_actuals() -> None:
    """The seed with its sample actuals: some met, some not, one 部分达成, 9.2 spent."""
    result = evaluate_document(perftarget.load(SEED), SEED_ACTUALS)
    assert isinstance(result, DocumentEvaluation)
    evaluation = result.project("13063722P0041681003")
    assert evaluation.display_total() == "94.23"
    assert evaluation.grade is Grade.EXCELLENT
    assert evaluation.item("正常办公条件保障情况").score == D("10.5")
    assert not evaluation.missing_explanations
    assert result.department is None
    assert from_dict(to_dict(result), DocumentEvaluation) == result
    entry = load_actuals(SEED_ACTUALS).projects[0]
    assert evaluate(perftarget.load(SEED).projects[0], entry, spent=None) == evaluation


def test_evaluate_document_problems() -> None:
    """A project without actuals, and actuals for no project, are problems with their paths."""
    document = perftarget.load(SEED)
    stray = TableActuals(project="P9", spent=1, actuals={"甲": 1})
    with pytest.raises(EvaluationError) as caught:
        evaluate_document(document, ActualsDocument(projects=[stray]))
    assert [p.location for p in caught.value.problems] == ["projects[0]", "actuals.projects[0]"]
    entry = TableActuals(project="常年驻京值班工作队值班费", spent=-1, actuals=SEED_ACTUAL_VALUES)
    lenient = evaluate_document(document, ActualsDocument(projects=[entry]), strict=False)
    assert [p.location for p in lenient.problems] == ["projects[0].spent"]
    department = TableActuals(actuals={"单位正常运转": "达成", "群众来访劝返率": "96%", "工资、补贴发放": "达成",
                                       "经费支出准确": "达成"})
    both = evaluate_document(document, ActualsDocument(projects=[attrs.evolve(entry, spent=9)],
                                                       department=department))
    assert both.department is not None
    assert both.department.total == D(100)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ('[[projects]]\nproject = "P"\n', "schema_version"),
        ("schema_version = 9\n", "schema_version"),
        ("schema_version = 1\nextra = 1\n", "extra"),
        ("schema_version = 1\n[[projects]]\nspent = 1\n", "projects[0].project"),
        ('schema_version = 1\n[[projects]]\nproject = "P"\nspent = true\n', "projects[0].spent"),
        ('schema_version = 1\n[[projects]]\nproject = "P"\n[projects.actuals]\n"甲" = [1]\n',
         "projects[0].actuals['甲']"),
        ('schema_version = 1\n[[projects]]\nproject = "P"\n[projects.actuals]\n"甲" = {band = "达成"}\n',
         "projects[0].actuals['甲']"),
        ('schema_version = 1\n[[projects]]\nproject = "P"\n[projects.reasons]\n"甲" = "x"\n',
         "projects[0].reasons['甲']"),
        ('schema_version = 1\n[department]\nproject = "P"\n', "department.project"),
        ("schema_version = 1\n[[projects]\n", "line 2, column 11"),
    ],
)
def test_bad_actuals_files(tmp_path: Path, text: str, location: str) -> None:
    """A malformed actuals file raises DocumentError naming the place."""
    path = tmp_path / "actuals.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_actuals(path)
    assert location in [problem.location for problem in caught.value.problems]


def test_actuals_file_in_json(tmp_path: Path) -> None:
    """JSON actuals files work the same, amounts read exactly."""
    path = tmp_path / "actuals.json"
    path.write_text('{"schema_version": 1, "projects": [{"project": "P1", "spent": 9.2, '
                    '"actuals": {"甲": {"band": "部分达成", "score": 40, "reason": "部分完成"}}}]}', encoding="utf-8")
    entry = load_actuals(path).projects[0]
    assert entry.spent == D("9.2")
    assert entry.actuals["甲"] == Actual(ExplicitScore("部分达成", 40), reason="部分完成")


def test_result_classes_have_nothing_to_check() -> None:
    """The evaluation fills the result classes' slots directly: they must have no validator, converter or hook."""
    for cls in (IndicatorScore, ProjectEvaluation, Subtotal):
        assert all(field.validator is None and field.converter is None for field in attrs.fields(cls)), cls
        assert not hasattr(cls, "__attrs_post_init__"), cls


def test_result_builders_set_every_field_and_give_the_class_itself() -> None:
    """The builders of the evaluation take every field in order and return the plain class."""
    for build, cls in ((module._subtotal, Subtotal), (module._evaluation, ProjectEvaluation)):
        names = [field.name for field in attrs.fields(cls)]
        assert list(inspect.signature(build).parameters) == names, cls
        values = [f"{name}!" for name in names]
        built = build(*values)
        assert type(built) is cls
        assert built == cls(**dict(zip(names, values, strict=True)))
        assert repr(built) == repr(cls(**dict(zip(names, values, strict=True))))
        assert pickle.loads(pickle.dumps(built)) == built  # noqa: S301 - our own bytes
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            built.__setattr__(names[0], "changed")


def test_lines_are_plain_indicator_scores() -> None:
    """Each line is an IndicatorScore with every field set, as its constructor makes it."""
    table = project(indicator("甲", "≥95%"), indicator("乙", "按时完成"), indicator("丙", "≤10万元"),
                    indicator("丁", "≥8小时/天"), indicator("无", "无"), indicator("无", "无"))
    actuals = {"甲": Actual("96%", reason="原因", score=D("1")), "乙": "达成", "goals[0].indicators[2]": "1小时",
               "无": "1"}
    evaluation = evaluate(table, actuals, spent=None, strict=False)
    assert [item.rule for item in evaluation.items] == [
        "manual", "qualitative", "invalid", "missing", "not_applicable", "not_applicable",
    ]
    for item in evaluation.items:
        assert type(item) is IndicatorScore
        rebuilt = IndicatorScore(**attrs.asdict(item, recurse=False))
        assert rebuilt == item
        assert repr(rebuilt) == repr(item)
        assert pickle.loads(pickle.dumps(item)) == item  # noqa: S301 - our own bytes


@pytest.mark.parametrize(
    ("names", "actuals", "expected"),
    [
        # every actual names one applicable row: one lookup per row
        (["甲", "乙", "无", "无"], {"乙": "1", "甲": "2"}, (["2", "1", None, None], [])),
        # a name that is also another row's path goes to that row (a path first)
        (["goals[0].indicators[1]", "乙"], {"goals[0].indicators[1]": "1"}, ([None, "1"], [])),
        # two applicable rows share a name: ambiguous
        (["甲", "甲"], {"甲": "1"}, ([None, None], ["actuals['甲']"])),
        # a name of 无 rows only is ignored; an unknown name is a problem
        (["甲", "无"], {"无": "1", "丙": "2"}, ([None, None], ["actuals['丙']"])),
        # the same row by name and by path
        (["甲", "乙"], {"甲": "1", "goals[0].indicators[0]": "2"}, (["1", None], ["actuals['goals[0].indicators[0]']"])),
    ],
)
def test_match_actuals_by_name_path_and_ambiguity(
    names: list[str], actuals: dict[str, str], expected: tuple[list[str | None], list[str]],
) -> None:
    """Matching gives the same rows and problems whether or not every actual simply names one row."""
    rows = [indicator(name, "无" if name == "无" else "≥1") for name in names]
    entries = list(project(*rows).iter_indicators())
    problems: list[Problem] = []
    found = match_actuals(entries, actuals, problems)
    values = [None if value is MISSING else value for value in found.values]
    assert (values, [problem.location for problem in problems]) == expected
