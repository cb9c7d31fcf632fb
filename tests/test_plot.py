"""Charts: spending against plan, and scores by indicator (matplotlib, headless).

The default labels are English, so these tests hold whatever fonts are installed; the Chinese
labels are checked with and without a CJK font (a missing one is a warning).
"""

from __future__ import annotations

import datetime as dt

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest

import perftarget as pt
from perftarget.exceptions import PerftargetWarning
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
    assert [label for label in labels if not label.startswith("_")] == ["planned (plan)", "time progress", "actual (spent)"]
    actual = next(line for line in lines if line.get_label() == "actual (spent)")
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
    assert ax.get_title() == "Total 94.23 (excellent)"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"I{n}" for n in range(1, len(scored) + 1)]
    plt.close(ax.figure)


def test_chinese_labels_with_or_without_a_cjk_font(seed):
    """lang='zh' draws Chinese labels in the CJK font found; with none installed it warns (boxes) and draws them."""
    evaluation = pt.evaluate_document(seed, "examples/petition-bureau-actuals.toml").projects[0]
    font = cjk_font()
    if font is None:
        with pytest.warns(PerftargetWarning, match="no CJK font"):
            ax = scores_chart(evaluation, lang="zh")
    else:
        ax = scores_chart(evaluation, lang="zh")
        assert ax.title.get_fontfamily() == [font]
    assert ax.get_title() == "总分 94.23 (优)"
    scored = [item for item in evaluation.items if item.weight > 0]
    assert ax.get_yticklabels()[0].get_text() == scored[0].name
    plt.close(ax.figure)
    if font is None:
        with pytest.warns(PerftargetWarning):
            ax = spending_chart(seed.projects[0], lang="zh")
    else:
        ax = spending_chart(seed.projects[0], lang="zh")
    assert [line.get_label() for line in ax.get_lines()][:3] == ["计划进度", "序时进度", "实际执行"]
    plt.close(ax.figure)


def test_unknown_language(seed):
    """lang is 'en' or 'zh'."""
    with pytest.raises(ValueError, match="lang"):
        spending_chart(seed.projects[0], lang="fr")  # type: ignore[arg-type]


def test_draws_into_given_axes(seed):
    """ax= draws into the caller's figure."""
    figure, ax = plt.subplots()
    assert spending_chart(seed.projects[0], ax=ax) is ax
    plt.close(figure)
