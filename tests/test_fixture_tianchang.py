"""The published 天长市水利局 2022 self-evaluation table, reproduced (domain.md §9)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import perftarget
from perftarget._codec.actuals import load_actuals
from perftarget._judge.evaluate import Grade, evaluate, evaluate_document

DATA = Path(__file__).resolve().parent / "data"
TARGETS = DATA / "tianchang-water-2022.toml"
ACTUALS = DATA / "tianchang-water-2022-actuals.toml"


@pytest.fixture(scope="module")
def document() -> perftarget.Document:
    return perftarget.load(TARGETS)


def test_transcription(document: perftarget.Document) -> None:
    """The table as published: ten rows, one of them /, weights 10, budget 880 万元."""
    project = document.projects[0]
    assert (project.name, project.year, project.unit.name, project.budget.total) == (
        "水旱灾害防御经费", 2022, "天长市水利局", Decimal(880))
    rows = project.indicators
    assert len(rows) == 10
    assert [row.applicable for row in rows].count(False) == 1
    assert {row.weight for row in rows if row.applicable} == {Decimal(10)}
    assert str(rows[-1].target) == "90%"
    assert rows[2].target.is_qualitative


def test_total_100_and_grade(document: perftarget.Document) -> None:
    """Every row full marks, 880 of 880 executed: 100, 优, as published."""
    result = evaluate_document(document, load_actuals(ACTUALS))
    evaluation = result.projects[0]
    assert evaluation.total == Decimal(100)
    assert evaluation.grade is Grade.EXCELLENT
    assert evaluation.display_total() == "100.00"
    assert (evaluation.budget_execution_rate, evaluation.budget_score) == (Decimal(100), Decimal(10))
    assert [(s.level1, s.weight, s.score) for s in evaluation.subtotals] == [
        ("产出指标", 50, 50), ("效益指标", 30, 30), ("满意度指标", 10, 10)]
    assert not evaluation.needs_explanation
    assert not result.problems


def test_published_scores_per_row(document: perftarget.Document) -> None:
    """Each row's 分值 and 得分 as printed (10 and 10; the / row has none)."""
    evaluation = evaluate_document(document, load_actuals(ACTUALS)).projects[0]
    rows = evaluation.to_rows()
    printed = [(row["三级指标"], row["分值"], row["得分"]) for row in rows[:10]]
    assert printed[7] == ("/", "", "")
    assert all((weight, score) == ("10.00", "10.00") for _, weight, score in printed[:7] + printed[8:])
    assert rows[-2]["实际完成值"] == "880.00（100.00%）"
    assert rows[-1]["得分"] == "100.00"


def test_default_weights_give_the_same_table(document: perftarget.Document) -> None:
    """Without the printed weights, the national split gives the same 10 per row (50/5, 30/3, 10/1)."""
    project = document.projects[0]
    unweighted = attrs.evolve(project, goals=[
        attrs.evolve(goal, indicators=[attrs.evolve(row, weight=None) for row in goal.indicators])
        for goal in project.goals
    ])
    entry = load_actuals(ACTUALS).projects[0]
    evaluation = evaluate(unweighted, entry, spent=entry.spent)
    assert [item.weight for item in evaluation.items if item.applicable] == [Decimal(10)] * 9
    assert evaluation.total == Decimal(100)
