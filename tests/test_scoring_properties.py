"""Properties of self-evaluation scoring over generated tables, actuals and policies."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perftarget
from perftarget._codec.convert import dumps, from_dict, loads, to_dict
from perftarget._judge import evaluate as evaluation_module
from perftarget._judge.evaluate import Grade, ProjectEvaluation, ScoringPolicy, evaluate, evaluate_department
from perftarget._model.actuals import ExplicitScore
from perftarget._rulebook import scoring
from perftarget._rulebook.scoring import add_up
from perftarget._values.numbers import format_number
from perftarget._values.threshold import Achievement, Comparator, Threshold, ThresholdKind
from perftarget.exceptions import EvaluationError
from perftarget.testing import amounts, assert_identical, department_targets, project_targets, thresholds
from perftarget.values import Level1

HUNDRED = Decimal(100)
PRESETS = ScoringPolicy.presets()

numbers = st.decimals(min_value=-100, max_value=10**7, places=3, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def actual_for(draw: st.DrawFn, target: Threshold) -> object:
    """An actual of the kind people give for ``target``: a number or text, a band or a band with a score."""
    if target.kind is ThresholdKind.QUALITATIVE:
        band = draw(st.sampled_from(list(Achievement)))
        choice = draw(st.integers(0, 2))
        if choice == 0:
            return band
        if choice == 1:
            return draw(st.sampled_from([band.value, band.english]))
        return ExplicitScore(band, draw(amounts(max_value=60, places=2)))
    value = draw(numbers)
    if draw(st.booleans()):
        return f"{format_number(value)}{target.unit}"
    return value


@st.composite
def projects_with_actuals(draw: st.DrawFn) -> tuple[perftarget.ProjectTargets, dict[str, object], Decimal]:
    project = draw(project_targets())
    actuals = {
        path: draw(actual_for(indicator.target))
        for path, indicator in project.iter_indicators()
        if indicator.applicable and draw(st.integers(0, 9)) > 0
    }
    return project, actuals, draw(amounts(max_value=200000))


def check_bounds(evaluation: ProjectEvaluation) -> None:
    for item in evaluation.items:
        assert Decimal(0) <= item.score <= item.weight, item
        assert item.needs_explanation == (item.applicable and item.score < item.weight)
    assert Decimal(0) <= evaluation.total <= HUNDRED
    if evaluation.budget_score is not None:
        assert Decimal(0) <= evaluation.budget_score <= evaluation.budget_weight


@given(projects_with_actuals(), st.sampled_from(PRESETS))
def test_scores_stay_in_bounds(case: tuple[perftarget.ProjectTargets, dict[str, object], Decimal], preset: str) -> None:
    """Every score lies in [0, weight], the total in [0, 100], the grade is the total's grade,
    and the evaluation goes through to_dict/from_dict and JSON unchanged."""
    project, actuals, spent = case
    policy = ScoringPolicy.preset(preset)
    evaluation = evaluate(project, actuals, spent=spent, policy=policy, strict=False)
    check_bounds(evaluation)
    assert evaluation.grade is policy.grade(evaluation.total)
    bounds = policy.grade_bounds
    assert (evaluation.total >= bounds[Grade.EXCELLENT]) == (evaluation.grade is Grade.EXCELLENT)
    assert (evaluation.total < bounds[Grade.FAIR]) == (evaluation.grade is Grade.POOR)
    assert len(evaluation.items) == len(project.indicators)
    assert from_dict(to_dict(evaluation), ProjectEvaluation) == evaluation
    assert loads(dumps(evaluation, "json"), "json", ProjectEvaluation) == evaluation


@given(projects_with_actuals())
def test_strict_raises_exactly_when_lenient_finds_problems(
    case: tuple[perftarget.ProjectTargets, dict[str, object], Decimal],
) -> None:
    """Strict mode raises when, and only when, lenient mode reports problems; otherwise they agree."""
    project, actuals, spent = case
    lenient = evaluate(project, actuals, spent=spent, strict=False)
    if lenient.problems:
        with pytest.raises(EvaluationError) as caught:
            evaluate(project, actuals, spent=spent)
        assert list(caught.value.problems) == list(lenient.problems)
    else:
        assert evaluate(project, actuals, spent=spent) == lenient


@given(department_targets(), st.data())
def test_department_scores_stay_in_bounds(department: perftarget.DepartmentTargets, data: st.DataObject) -> None:
    """Department evaluation keeps the same bounds, with or without a budget."""
    actuals = {
        f"goals[{g}].indicators[{i}]": data.draw(actual_for(indicator.target))
        for g, goal in enumerate(department.goals)
        for i, indicator in enumerate(goal.indicators)
        if indicator.applicable
    }
    spent = data.draw(st.none() | amounts(max_value=1000))
    evaluation = evaluate_department(department, actuals, spent=spent, budget=spent and Decimal(500), strict=False)
    check_bounds(evaluation)


def one_score(target: Threshold, actual: object, policy: str = "national-2020") -> Decimal:
    indicator = perftarget.Indicator(name="指标", target=target, level1="产出指标", level2="数量指标", weight=10)
    project = perftarget.ProjectTargets(
        unit=perftarget.Unit("1", "单位"), code="P", name="项目", year=2022, budget=perftarget.Budget(total=10),
        goals=[perftarget.Goal("目标", [indicator])],
    )
    return evaluate(project, {"指标": actual}, spent=None, policy=policy, strict=False).items[0].score


directions = st.sampled_from([Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT])


@given(thresholds(kinds=(ThresholdKind.QUANTITATIVE,)), numbers, numbers, st.sampled_from(PRESETS))
def test_monotone_in_the_actual(target: Threshold, low: Decimal, high: Decimal, preset: str) -> None:
    """≥ and >: the score never falls as the actual rises; ≤ and <: it never rises."""
    low, high = min(low, high), max(low, high)
    direction = target.comparator.higher_is_better if target.comparator else None
    if direction is None:
        return
    first, second = one_score(target, low, preset), one_score(target, high, preset)
    if direction:
        assert first <= second
    else:
        assert first >= second


@given(st.sampled_from([Comparator.GE, Comparator.LE, Comparator.EQ, Comparator.BETWEEN]), positive, positive,
       positive, st.sampled_from(PRESETS))
def test_same_score_in_yuan_and_wan_yuan(
    comparator: Comparator, value: Decimal, width: Decimal, actual: Decimal, preset: str
) -> None:
    """A target and an actual in 元 score as the same target and actual in 万元."""
    ten_thousand = Decimal(10000)
    if comparator is Comparator.BETWEEN:
        wan = Threshold.between(value, value + width, "万元")
        yuan = Threshold.between(value * ten_thousand, (value + width) * ten_thousand, "元")
    else:
        wan = Threshold(kind=ThresholdKind.QUANTITATIVE, comparator=comparator, value=value, unit="万元")
        yuan = Threshold(kind=ThresholdKind.QUANTITATIVE, comparator=comparator, value=value * ten_thousand, unit="元")
    assert one_score(wan, actual, preset) == one_score(yuan, actual * ten_thousand, preset)
    assert one_score(wan, f"{format_number(actual * ten_thousand)}元", preset) == one_score(wan, actual, preset)


@st.composite
def policies(draw: st.DrawFn) -> ScoringPolicy:
    """Valid policies: weights adding up to 100, every option, bands and grades in order."""
    places = 1
    budget = draw(st.decimals(min_value=0, max_value=100, places=places))
    output = draw(st.decimals(min_value=0, max_value=HUNDRED - budget, places=places))
    benefit = draw(st.decimals(min_value=0, max_value=HUNDRED - budget - output, places=places))
    weights = {Level1.OUTPUT: output, Level1.BENEFIT: benefit,
               Level1.SATISFACTION: HUNDRED - budget - output - benefit}
    goal_points: tuple[Decimal, ...] = ()
    if draw(st.integers(0, 3)) == 0:  # points per goal block instead (hubei-2020's 40 + 40)
        goal_points = (output, benefit, HUNDRED - budget - output - benefit)[: draw(st.integers(1, 3))]
        goal_points = (*goal_points[:-1], HUNDRED - budget - sum(goal_points[:-1], Decimal(0)))
        weights = {}
    return ScoringPolicy(
        name=draw(st.text(min_size=1, max_size=10).filter(str.strip)),
        description=draw(st.text(max_size=20)),
        goal_points=goal_points,
        level1_weights=weights,
        budget_weight=budget,
        budget_rule=draw(st.sampled_from(["ratio", "full_at_90_minus_1_per_point"])),
        budget_full_rate=draw(st.decimals(min_value="0.1", max_value=100, places=1)),
        reverse_formula=draw(st.sampled_from(["ratio", "linear"])),
        percentage_rule=draw(st.sampled_from(["ratio", "rate_times_weight"])),
        over_achievement=draw(st.just(Decimal(0)) | st.decimals(min_value="1.01", max_value=3, places=2)),
        not_applicable=draw(st.sampled_from(["redistribute", "rescale"])),
        display_places=draw(st.integers(0, 4)),
        grade_bounds={Grade.EXCELLENT: draw(st.decimals(min_value=81, max_value=100, places=1))},
    )


@given(policies())
def test_policy_round_trip(policy: ScoringPolicy) -> None:
    """A ScoringPolicy goes through to_dict/from_dict, JSON and TOML unchanged."""
    assert from_dict(to_dict(policy), ScoringPolicy) == policy
    assert loads(dumps(policy, "json"), "json", ScoringPolicy) == policy
    assert loads(dumps(policy, "toml"), "toml", ScoringPolicy) == policy
    assert hash(attrs.evolve(policy)) == hash(policy)


@given(projects_with_actuals(), policies())
def test_any_policy_keeps_the_bounds(
    case: tuple[perftarget.ProjectTargets, dict[str, object], Decimal], policy: ScoringPolicy
) -> None:
    """The bounds hold under any valid policy, not only the presets."""
    project, actuals, spent = case
    evaluation = evaluate(project, actuals, spent=spent, policy=policy, strict=False)
    check_bounds(evaluation)
    assert evaluation.grade is policy.grade(evaluation.total)


signed_actuals = st.decimals(min_value=-10**4, max_value=10**4, places=3, allow_nan=False, allow_infinity=False)


@given(thresholds(kinds=(ThresholdKind.QUANTITATIVE,)), signed_actuals, st.sampled_from(["10", "12.5", "50"]))
def test_item_score_is_weight_times_attainment(target: Threshold, actual: Decimal, weight: str) -> None:
    """Under the national preset, every target and actual (signed values included): score = weight × attainment.

    The attainment is the rulebook's (``ScoringPolicy.attainment``, documented in
    docs/concepts/scoring.md); it is 1 whenever ``Threshold.is_met``, and in [0, 1].
    """
    national = ScoringPolicy.preset()
    row = perftarget.Indicator(name="指标", level1="产出指标", level2="数量指标", target=target, weight=Decimal(weight))
    table = perftarget.ProjectTargets(
        unit=perftarget.Unit("000001", "某单位"), code="P1", name="某项目", year=2022,
        budget=perftarget.Budget(total=10), goals=[perftarget.Goal("目标", (row,))],
    )
    item = evaluate(table, {"指标": actual}, spent=None, policy=national, strict=False).items[0]
    share = national.attainment(target, actual)
    assert item.score == item.weight * share
    assert Decimal(0) <= share <= 1
    if target.is_met(actual):
        assert share == 1


score_values = st.decimals(min_value=0, max_value=60, places=30, allow_nan=False, allow_infinity=False)


@given(
    st.lists(st.tuples(st.sampled_from(["产出指标", "效益指标", "满意度指标", ""]), st.booleans(),
                       st.sampled_from(["12.5", "12.50", "10", "50", "3.333"]), score_values), min_size=1, max_size=12),
    st.sampled_from(["9.2", "0", "10.000", "7.123456789012345678901234567"]),
)
def test_add_up_memo_gives_the_plain_sums(rows: list[tuple[str, bool, str, Decimal]], budget: str) -> None:
    """``add_up`` on a shape's tuples (its weights' part and subtotals remembered) gives the plain path's sums.

    The plain path (lists) remembers nothing; the memo is asked twice (first a miss, then a hit with the
    same score objects) and once with equal but distinct score objects; the digits must be the same.
    """
    labels = tuple(label for label, _, _, _ in rows)
    weights = tuple(Decimal(weight) if live else None for _, live, weight, _ in rows)
    scores = [score if live else Decimal(0) for _, live, _, score in rows]
    budget_weight, points = Decimal(10), Decimal(budget)
    plain = _sums(add_up(list(labels), list(weights), scores, budget_weight, points))
    copies = [Decimal(str(score)) for score in scores]
    for attempt in (scores, scores, copies):
        assert_identical(_sums(add_up(labels, weights, attempt, budget_weight, points)), plain)


def _sums(result: tuple[Decimal, Decimal, dict[str, tuple[Decimal, Decimal]]]) -> tuple[object, ...]:
    raw, weight_total, subtotals = result
    return raw, weight_total, tuple((label, *sums) for label, sums in subtotals.items())


@settings(max_examples=25)  # 8 in the dev profile (tables are slow to draw)
@given(projects_with_actuals(), st.sampled_from(PRESETS))
def test_remembered_lines_give_the_first_evaluation(
    case: tuple[perftarget.ProjectTargets, dict[str, object], Decimal], preset: str,
) -> None:
    """A table evaluated with every memo empty, then again (its lines, shape and sums remembered): identical."""
    project, actuals, spent = case
    for memo in (evaluation_module._LINES, evaluation_module._SHAPES, scoring._SUMS, scoring._SUBTOTALS):
        memo.clear()
    first = evaluate(project, actuals, spent=spent, policy=preset, strict=False)
    assert_identical(evaluate(project, actuals, spent=spent, policy=preset, strict=False), first)
