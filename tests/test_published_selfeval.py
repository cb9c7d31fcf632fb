"""Published self-evaluation tables scored as printed: blank targets that carry points, points per goal block.

- The 天长 2022 table (Anhui, tests/data/tianchang-water-2022.toml) prints 分值 10 and 得分 10 on six
  rows with no target and no actual: read as printed, those targets are blank, not 无.
- A Hubei 2020 table (tests/data/hubei-2020-selfeval.toml, built from issue 17's description) gives
  预算执行 20 points and two goal blocks of 40; the ``hubei-2020`` preset reproduces its 99.6.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import perftarget
from perftarget import Actual, ScoringPolicy, Threshold, columnar
from perftarget._codec.actuals import load_actuals
from perftarget._model.actuals import ActualsDocument, TableActuals, to_actual
from perftarget.exceptions import EvaluationError, InvalidValueError, MonitoringError

DATA = Path(__file__).resolve().parent / "data"
D = Decimal


# --- blank targets: the 天长 2022 table as printed --------------------------------------------------


@pytest.fixture(scope="module")
def as_printed() -> perftarget.ProjectTargets:
    """The 天长 table with the six rows that print no target left blank, as published (not transcribed as 定性)."""
    project = perftarget.load(DATA / "tianchang-water-2022.toml").projects[0]
    goal = project.goals[0]
    rows = tuple(
        attrs.evolve(row, target=Threshold.parse("")) if row.target.statement == row.name else row
        for row in goal.indicators
    )
    return attrs.evolve(project, goals=(attrs.evolve(goal, indicators=rows),))


def _printed_actuals(project: perftarget.ProjectTargets) -> dict[str, object]:
    published = load_actuals(DATA / "tianchang-water-2022-actuals.toml").projects[0].actuals
    return {
        row.name: Actual("", score=D(10)) if row.target.is_blank else published[row.name]
        for row in project.indicators if row.applicable
    }


def test_six_blank_rows_keep_their_weight_and_printed_score(as_printed: perftarget.ProjectTargets) -> None:
    """Six blank rows of 10 points: weights add up to 90, each takes its printed 10, the total is 100 as published."""
    blank = [row for row in as_printed.indicators if row.target.is_blank]
    assert len(blank) == 6
    evaluation = perftarget.evaluate(as_printed, _printed_actuals(as_printed), spent=880)
    assert (evaluation.total, evaluation.weight_total, evaluation.problems) == (D(100), D(100), ())
    lines = [evaluation.item(row.name) for row in blank]
    assert {(line.rule, line.weight, line.score, line.target, line.actual) for line in lines} == {
        ("explicit", D(10), D(10), "", "")}
    assert lines[0].formula == "no target printed (blank): the score 10 given is taken (explicit)"
    assert evaluation.item("/").rule == "not_applicable"


def test_blank_rows_were_dropped_as_not_applicable(as_printed: perftarget.ProjectTargets) -> None:
    """What 无 would have done: weights dropped (strict: add up to 40; lenient: rescaled 40 → 100)."""
    rows = tuple(
        attrs.evolve(row, target=Threshold.not_applicable()) if row.target.is_blank else row
        for row in as_printed.indicators
    )
    dropped = attrs.evolve(as_printed, goals=(attrs.evolve(as_printed.goals[0], indicators=rows),))
    actuals = {row.name: _printed_actuals(as_printed)[row.name] for row in rows if row.applicable}
    with pytest.raises(EvaluationError, match="the weights add up to 40, not 100"):
        perftarget.evaluate(dropped, actuals, spent=880)


def test_blank_rows_without_a_score(as_printed: perftarget.ProjectTargets) -> None:
    """No printed score: a problem per row, 0 points, the weight kept (no rescaling); too high a score is refused."""
    blank = {row.name for row in as_printed.indicators if row.target.is_blank}
    actuals = {name: value for name, value in _printed_actuals(as_printed).items() if name not in blank}
    with pytest.raises(EvaluationError, match=r"indicators\[2\]: no target is printed \(blank\) and no score"):
        perftarget.evaluate(as_printed, actuals, spent=880)
    lenient = perftarget.evaluate(as_printed, actuals, spent=880, strict=False)
    assert (lenient.total, lenient.weight_total, len(lenient.problems)) == (D(40), D(100), 6)
    assert lenient.item("工程质量合格").rule == "missing"
    assert lenient.item("工程质量合格").needs_explanation
    actuals["工程质量合格"] = Actual("", score=D(12))
    assert lenient.item("工程质量合格").weight == D(10)
    over = perftarget.evaluate(as_printed, actuals, spent=880, strict=False)
    assert over.item("工程质量合格").rule == "invalid"
    assert any("exceeds the weight (10)" in problem.message for problem in over.problems)


def test_partial_printed_score_needs_an_explanation(as_printed: perftarget.ProjectTargets) -> None:
    """A printed score below the weight is taken, and the line asks for a 偏差原因 like any other."""
    actuals = _printed_actuals(as_printed)
    actuals["全市安全度汛"] = Actual("", score=D(8), reason="汛期局部受灾")
    evaluation = perftarget.evaluate(as_printed, actuals, spent=880)
    line = evaluation.item("全市安全度汛")
    assert (line.score, line.needs_explanation, line.reason, evaluation.total) == (D(8), True, "汛期局部受灾", D(98))


def test_a_score_alone_is_an_actual() -> None:
    """In an actuals file a printed score without an actual is ``{score = 10}``: Actual("", score=10)."""
    assert to_actual({"score": 10}) == Actual("", score=D(10))
    assert to_actual({"score": "9.5", "reason": "x"}) == Actual("", score=D("9.5"), reason="x")
    with pytest.raises(InvalidValueError):
        to_actual({"reason": "x"})


def test_blank_rows_under_the_column_kernel(as_printed: perftarget.ProjectTargets) -> None:
    """The column kernel sends tables with a blank target to the object path: the same rows."""
    document = perftarget.Document(projects=(as_printed,))
    actuals = ActualsDocument(projects=(TableActuals(project="水旱灾害防御经费", spent=D(880),
                                                     actuals=_printed_actuals(as_printed)),))
    rows = columnar.evaluate(columnar.flatten(document, actuals=actuals), per="table").to_pylist()
    assert [(row["total"], row["grade"]) for row in rows] == [("100", "优")]


# --- goal blocks: the Hubei 2020 table ---------------------------------------------------------------


@pytest.fixture(scope="module")
def hubei() -> perftarget.Document:
    return perftarget.load(DATA / "hubei-2020-selfeval.toml")


def test_hubei_preset_reproduces_the_published_table(hubei: perftarget.Document) -> None:
    """hubei-2020: rows 10, 10, 19.6, 20, 20; budget 20 × 100 %; goal blocks 39.6 and 40 of 40; total 99.6."""
    result = perftarget.evaluate_document(hubei, DATA / "hubei-2020-selfeval-actuals.toml", policy="hubei-2020")
    evaluation = result.projects[0]
    assert [item.score for item in evaluation.items] == [D(10), D(10), D("19.6"), D(20), D(20)]
    assert evaluation.item("服务对象满意度").formula == "98% × 20 = 19.60"
    assert (evaluation.budget_weight, evaluation.budget_score) == (D(20), D(20))
    assert [(s.level1, s.weight, s.score) for s in evaluation.subtotals] == [
        ("年度绩效目标1", D(40), D("39.6")), ("年度绩效目标2", D(40), D(40))]
    assert (evaluation.total, evaluation.display_total(), evaluation.grade.value) == (D("99.6"), "99.60", "优")
    assert not result.problems


def test_reading_the_blocks_as_level1_points_gives_100(hubei: perftarget.Document) -> None:
    """The former hubei-2020 (产出 40, 效益 40, 10号 ratio scoring) gives 100 on this table, not the published 99.6."""
    former = ScoringPolicy(name="level-1 40/40", budget_weight=20, level1_weights={"产出指标": 40, "效益指标": 40})
    result = perftarget.evaluate_document(hubei, DATA / "hubei-2020-selfeval-actuals.toml", policy=former)
    assert result.projects[0].total == D(100)


def test_goal_points_share_within_each_goal(hubei: perftarget.Document) -> None:
    """Without printed 分值 each goal's rows share its 40; a missing goal's points go to the others."""
    project = hubei.projects[0]
    bare = attrs.evolve(project, goals=tuple(
        attrs.evolve(goal, indicators=tuple(attrs.evolve(row, weight=None) for row in goal.indicators))
        for goal in project.goals))
    actuals = load_actuals(DATA / "hubei-2020-selfeval-actuals.toml").projects[0]
    unscored = perftarget.evaluate(bare, actuals.actuals, spent=None, policy="hubei-2020")
    assert [item.weight for item in unscored.items] == [D(50) / 3] * 3 + [D(25), D(25)]
    spent = perftarget.evaluate(bare, actuals, spent=50, policy="hubei-2020")
    assert [item.weight for item in spent.items] == [D(40) / 3] * 3 + [D(20), D(20)]
    one_goal = attrs.evolve(bare, goals=bare.goals[:1])
    alone = perftarget.evaluate(one_goal, actuals.actuals, spent=50, policy="hubei-2020", strict=False)
    assert [item.weight for item in alone.items] == [D(80) / 3] * 3


def test_goal_points_policy_checks() -> None:
    """Goal points and the budget add up to 100, and exclude level-1 points; TOML writes them as a list."""
    policy = ScoringPolicy(name="两块", goal_points=[45, 45])
    assert (policy.level1_weights, policy.budget_weight) == ({}, D(10))
    assert "goal_points = [45, 45]" in perftarget.dumps(policy, "toml")
    with pytest.raises(InvalidValueError, match="年度绩效目标1 40 \\+ 年度绩效目标2 40 \\+ 预算执行率 10 = 90"):
        ScoringPolicy(name="x", goal_points=[40, 40])
    with pytest.raises(InvalidValueError, match="not both"):
        ScoringPolicy(name="x", goal_points=[45, 45], level1_weights={"产出指标": 90})
    with pytest.raises(InvalidValueError, match="goal_points"):
        ScoringPolicy(name="x", goal_points="40")


def test_review_reports_blank_targets(as_printed: perftarget.ProjectTargets) -> None:
    """PT112 on each of the six blank rows (not PT104, which is for a named row written 无)."""
    findings = perftarget.review(perftarget.Document(projects=(as_printed,)))
    blank = [f.path for f in findings if f.code == "PT112"]
    assert len(blank) == 6
    assert all(path.endswith(".target") for path in blank)
    assert "PT104" not in {f.code for f in findings}


def test_monitoring_a_blank_target_says_so(as_printed: perftarget.ProjectTargets) -> None:
    """Progress against a row that prints no target is refused, naming the blank target (not 无)."""
    with pytest.raises(MonitoringError, match=r"prints no target \(blank\); it has no target to monitor"):
        perftarget.monitor(as_printed, spent=400, as_of=date(2022, 7, 31), progress={"工程质量合格": "达成"})


def test_printed_scores_in_an_actuals_file(as_printed: perftarget.ProjectTargets, tmp_path: Path) -> None:
    """``{score = 10}`` in an actuals file is the score printed on a blank row."""
    lines = ["schema_version = 1", "", "[[projects]]", 'project = "水旱灾害防御经费"', "spent = 880", "",
             "[projects.actuals]"]
    published = load_actuals(DATA / "tianchang-water-2022-actuals.toml").projects[0].actuals
    for row in as_printed.indicators:
        if row.target.is_blank:
            lines.append(f'"{row.name}" = {{score = 10}}')
        elif row.applicable:
            lines.append(f'"{row.name}" = "{published[row.name].value}"')
    path = tmp_path / "actuals.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = perftarget.evaluate_document(perftarget.Document(projects=(as_printed,)), path)
    assert (result.projects[0].total, result.problems) == (D(100), ())
