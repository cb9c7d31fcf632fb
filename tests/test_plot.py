"""Charts: spending against plan, and scores by indicator (matplotlib, headless)."""

from __future__ import annotations

import datetime as dt

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest

import perftarget as pt
from perftarget.plot import cjk_font, scores_chart, spending_chart


@pytest.fixture
def seed(seed_path):
    return pt.load(seed_path)


def test_spending_chart_draws_plan_time_and_actual(seed):
    """Three lines (plan, time progress, actual), the four checkpoints, and the as-of marker."""
    payments = pt.load_payments("examples/petition-bureau-payments.toml")
    ax = spending_chart(seed.projects[0], payments, as_of=dt.date(2022, 7, 31))
    lines = ax.get_lines()
    labels = [line.get_label() for line in lines]
    assert len([label for label in labels if not label.startswith("_")]) == 3
    actual = next(line for line in lines if line.get_label() in {"actual (spent)", "实际执行"})
    assert actual.get_ydata()[-1] == pytest.approx(40.0)
    marker = next(line for line in lines if line.get_linestyle() == ":")
    assert list(marker.get_xdata()) == [dt.date(2022, 7, 31)] * 2
    (points,) = ax.collections
    assert [float(y) for _, y in points.get_offsets()] == [25.0, 50.0, 75.0, 100.0]
    plt.close(ax.figure)


def test_spending_chart_without_plan_uses_even_plan(seed):
    """A project without a plan is drawn against an even plan."""
    import attrs

    project = attrs.evolve(seed.projects[0], schedule=None)
    ax = spending_chart(project)
    planned = ax.get_lines()[0]
    assert planned.get_ydata()[-1] == pytest.approx(100.0)
    plt.close(ax.figure)


def test_scores_chart(seed):
    """One bar pair per scored indicator, the total in the title."""
    evaluation = pt.evaluate_document(seed, "examples/petition-bureau-actuals.toml").projects[0]
    ax = scores_chart(evaluation)
    scored = [item for item in evaluation.items if item.weight > 0]
    assert len(ax.patches) == 2 * len(scored)
    assert "94.23" in ax.get_title()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected_first = scored[0].name if cjk_font() else "I1"
    assert labels[0] == expected_first
    plt.close(ax.figure)


def test_draws_into_given_axes(seed):
    """ax= draws into the caller's figure."""
    figure, ax = plt.subplots()
    assert spending_chart(seed.projects[0], ax=ax) is ax
    plt.close(figure)
