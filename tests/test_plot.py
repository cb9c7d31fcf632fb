"""Charts: spending against plan, and scores by indicator (matplotlib, headless).

The default labels are English; the Chinese labels are checked as on a machine with a CJK font and
as on one without (a warning, English labels and a key), whatever fonts this machine has.
"""

from __future__ import annotations

import datetime as dt
import warnings

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest

import perftarget as pt
from perftarget import plot
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


@pytest.fixture
def evaluation(seed):
    return pt.evaluate_document(seed, "examples/petition-bureau-actuals.toml").projects[0]


@pytest.fixture
def no_cjk_font(monkeypatch):
    """As on a machine without a CJK font (whatever this one has); the once-a-session warning re-armed."""
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    plot._warn_no_cjk_font.cache_clear()
    yield
    plot._warn_no_cjk_font.cache_clear()


@pytest.fixture
def a_cjk_font(monkeypatch):
    """As on a machine with a CJK font: the family named is what the labels ask for."""
    monkeypatch.setattr(plot, "cjk_font", lambda: "WenQuanYi Zen Hei")


def _key(ax):
    return next(text for text in ax.texts if text.get_gid() == "perftarget-key")


def test_scores_chart(evaluation, no_cjk_font):
    """One bar pair per scored indicator and one for the budget: the bars add up to the total in the title."""
    ax = scores_chart(evaluation)
    scored = [item for item in evaluation.items if item.weight > 0]
    assert len(ax.patches) == 2 * (len(scored) + 1)
    assert ax.get_title() == "Total 94.23 (excellent)"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [*(f"I{n}" for n in range(1, len(scored) + 1)), "budget"]
    score_bars = ax.patches[len(scored) + 1 :]
    assert sum(bar.get_width() for bar in score_bars) == pytest.approx(float(evaluation.total))
    assert score_bars[-1].get_width() == pytest.approx(9.2)
    plt.close(ax.figure)


def test_scores_chart_key(evaluation, a_cjk_font):
    """Numbered labels come with a key: indicator names with a CJK font, level-2 names in English without."""
    ax = scores_chart(evaluation)
    key = _key(ax).get_text().splitlines()
    assert key[0] == "I1  工作日保障单位运转"
    assert _key(ax).get_fontfamily() == ["WenQuanYi Zen Hei"]
    plt.close(ax.figure)


def test_scores_chart_key_without_a_cjk_font(evaluation, no_cjk_font):
    """Without a CJK font the key stays readable: the level-2 of each indicator, in English."""
    ax = scores_chart(evaluation)
    key = _key(ax).get_text().splitlines()
    assert key[0] == "I1  quantity"
    assert all(line.isascii() for line in key)
    plt.close(ax.figure)


def test_chinese_labels_with_a_cjk_font(seed, evaluation, a_cjk_font):
    """lang='zh' with a CJK font: Chinese labels in that font, the budget bar named 预算执行率, no key."""
    ax = scores_chart(evaluation, lang="zh")
    assert ax.title.get_fontfamily() == ["WenQuanYi Zen Hei"]
    assert ax.get_title() == "总分 94.23 (优)"
    scored = [item for item in evaluation.items if item.weight > 0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [*(item.name for item in scored), "预算执行率"]
    assert not ax.texts
    plt.close(ax.figure)
    ax = spending_chart(seed.projects[0], lang="zh")
    assert [line.get_label() for line in ax.get_lines()][:3] == ["计划进度", "序时进度", "实际执行"]
    plt.close(ax.figure)


def test_chinese_without_a_cjk_font_falls_back_and_warns_once(seed, evaluation, no_cjk_font):
    """lang='zh' without a CJK font: one warning a session, English labels with the key (no boxes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plt.close(scores_chart(evaluation, lang="zh").figure)
        ax = spending_chart(seed.projects[0], lang="zh")
    assert [(w.category, str(w.message)[:15]) for w in caught] == [(PerftargetWarning, "no CJK font is ")]
    assert [line.get_label() for line in ax.get_lines()][:3] == ["planned (plan)", "time progress", "actual (spent)"]
    plt.close(ax.figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = scores_chart(evaluation, lang="zh")
    assert ax.get_title() == "Total 94.23 (excellent)"
    assert _key(ax).get_text().startswith("I1  quantity")
    plt.close(ax.figure)


def test_english_needs_no_font(seed, evaluation, no_cjk_font):
    """lang='en' never warns: every label is English."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plt.close(scores_chart(evaluation).figure)
        plt.close(spending_chart(seed.projects[0]).figure)


def test_the_installed_font_is_found_or_none():
    """cjk_font names an installed family able to draw Chinese, or says there is none."""
    from matplotlib import font_manager

    font = cjk_font()
    assert font is None or font in {f.name for f in font_manager.fontManager.ttflist}


def test_unknown_language(seed):
    """lang is 'en' or 'zh'."""
    with pytest.raises(ValueError, match="lang"):
        spending_chart(seed.projects[0], lang="fr")  # type: ignore[arg-type]


def test_draws_into_given_axes(seed):
    """ax= draws into the caller's figure."""
    figure, ax = plt.subplots()
    assert spending_chart(seed.projects[0], ax=ax) is ax
    plt.close(figure)
