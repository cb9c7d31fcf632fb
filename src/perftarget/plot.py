"""Charts for notebooks and reports (the ``plot`` extra: ``pip install "perftarget[plot]"``).

- :func:`spending_chart`: planned versus actual cumulative spending over the fiscal year,
  with the plan's checkpoints, the linear time progress (序时进度) and the as-of date marked.
- :func:`scores_chart`: weight and score of every indicator of a self-evaluation and of
  the budget execution (预算执行率), so that the bars add up to the total in the title.

Both return the matplotlib ``Axes`` they drew on (pass ``ax=`` to draw into your own
figure). Labels are English by default (``lang="en"``: indicators numbered I1, I2, ...
with a key beside the bars), so a chart is the same whatever fonts the machine has.
``lang="zh"`` draws the Chinese labels (计划进度, 序时进度, indicator names) with the first
CJK font installed among common families (Noto Sans CJK, Source Han Sans, WenQuanYi,
SimHei, Microsoft YaHei, PingFang; :func:`cjk_font` tells which). With none, Chinese
would show as boxes: the chart falls back to the English labels and its key, and one
:class:`~perftarget.PerftargetWarning` (once a session) says that the font is missing.
The key names each indicator with a CJK font, else by its level-2 in English.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dateutil.relativedelta import relativedelta

from perftarget._model.targets import ProjectTargets
from perftarget._rulebook.progress import time_progress
from perftarget._values.levels import Level2
from perftarget._values.schedule import SpendingSchedule, to_wan
from perftarget.exceptions import MissingDependencyError, PerftargetWarning

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from perftarget._judge.evaluate import ProjectEvaluation
    from perftarget._judge.monitor import Payment

__all__ = ["cjk_font", "scores_chart", "spending_chart"]

_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)
_HUNDRED = Decimal(100)

Lang = Literal["en", "zh"]


def _pyplot() -> Any:  # noqa: ANN401 - the matplotlib.pyplot module
    try:
        import matplotlib as mpl  # noqa: PLC0415 - optional extra

        if mpl.get_backend().lower() not in {"agg", "module://matplotlib_inline.backend_inline"}:
            mpl.use("Agg", force=False)
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("matplotlib", "plot", "charts") from None
    return plt


# Files of the families above as packages install them (fonts-wqy-zenhei, fonts-noto-cjk...): a font
# installed after matplotlib cached its list of fonts is found by its file and added for the session.
_CJK_FILES = (
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "notosanscjk-regular.ttc",
    "notosanscjksc-regular.otf",
    "sourcehansanssc-regular.otf",
    "sourcehanssans-regular.ttc",
    "simhei.ttf",
    "msyh.ttc",
    "pingfang.ttc",
)


def _installed(font_manager: Any) -> set[str]:  # noqa: ANN401 - matplotlib.font_manager
    return {font.name for font in font_manager.fontManager.ttflist}


@functools.cache
def _add_uncached_cjk_fonts() -> None:
    """Add the CJK font files installed on the system that matplotlib's cached list misses (once a session)."""
    from matplotlib import font_manager  # noqa: PLC0415 - optional extra

    for path in font_manager.findSystemFonts():
        if Path(path).name.lower() in _CJK_FILES:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # pragma: no cover - a broken font file
                continue


def cjk_font() -> str | None:
    """The first installed font family able to draw Chinese, or ``None``.

    A font installed after matplotlib cached its font list is found too (the system's font
    files are looked at once a session when the cached list has none).
    """
    from matplotlib import font_manager  # noqa: PLC0415 - optional extra

    installed = _installed(font_manager)
    if not any(family in installed for family in _CJK_FAMILIES):
        _add_uncached_cjk_fonts()
        installed = _installed(font_manager)
    return next((family for family in _CJK_FAMILIES if family in installed), None)


@functools.cache
def _warn_no_cjk_font() -> None:
    """Say once a session that Chinese labels cannot be drawn."""
    message = (
        "no CJK font is installed: charts use English labels with a key instead of Chinese "
        "(install one, e.g. fonts-wqy-zenhei or Noto Sans CJK, then clear matplotlib's font cache)"
    )
    warnings.warn(message, PerftargetWarning, stacklevel=4)


def _font(lang: Lang) -> tuple[bool, str | None]:
    """Whether to draw Chinese labels, and the CJK font family found (``None`` if none)."""
    if lang not in {"en", "zh"}:
        msg = f"lang: expected 'en' or 'zh', got {lang!r}"
        raise ValueError(msg)
    font = cjk_font()
    if lang == "zh" and font is None:
        _warn_no_cjk_font()
    return lang == "zh" and font is not None, font


def _axes(ax: Axes | None) -> Any:  # noqa: ANN401
    """The axes to draw on, typed loosely: matplotlib converts dates, which its stubs do not model."""
    if ax is not None:
        return ax
    _, created = _pyplot().subplots(figsize=(9, 4.5))
    return created


def _days(schedule: SpendingSchedule) -> list[dt.date]:
    days = [schedule.start]
    day = schedule.start
    while day < schedule.end:
        day = min(day + relativedelta(days=7), schedule.end)
        days.append(day)
    days.extend(checkpoint.date for checkpoint in schedule.checkpoints)
    return sorted(set(days))


def spending_chart(
    project: ProjectTargets,
    payments: Sequence[Payment] | Iterable[Payment] = (),
    *,
    as_of: dt.date | None = None,
    ax: Axes | None = None,
    lang: Lang = "en",
) -> Axes:
    """Planned versus actual cumulative spending, in percent of the budget.

    Args:
        project: the project table (its plan; an even plan when it has none).
        payments: dated payments; their cumulative sum is drawn up to ``as_of``.
        as_of: the date of the check, marked with a vertical line (the year's end if omitted).
        ax: the matplotlib axes to draw on (a new figure if omitted).
        lang: ``"en"`` (the default) or ``"zh"`` for Chinese labels (with a CJK font; without
            one, English labels and a warning).
    """
    schedule = project.schedule or SpendingSchedule.even(project.year)
    chinese, font = _font(lang)
    family = font if chinese else None
    canvas = _axes(ax)
    days = _days(schedule)
    planned = [float(schedule.planned_share(day)) for day in days]
    time = [float(time_progress(day, schedule.start)) for day in days]
    canvas.plot(days, planned, label="计划进度" if chinese else "planned (plan)", color="#1f77b4")
    canvas.plot(days, time, label="序时进度" if chinese else "time progress", color="#999999", linestyle="--")
    marks = [c.date for c in schedule.checkpoints]
    canvas.scatter(marks, [float(c.percent) for c in schedule.checkpoints], color="#1f77b4", zorder=3)
    for checkpoint in schedule.checkpoints:
        label = checkpoint.display_label if chinese else checkpoint.date.strftime("%m-%d")
        canvas.annotate(label, (checkpoint.date, float(checkpoint.percent)), textcoords="offset points",
                    xytext=(0, 6), ha="center", fontsize=8, family=family)
    end = as_of or schedule.end
    budget = project.budget.total
    paid = sorted((p for p in payments if schedule.start <= p.date <= end), key=lambda p: p.date)
    xs, ys = [schedule.start], [0.0]
    total = Decimal(0)
    for payment in paid:
        total += to_wan(payment.amount)
        xs.append(payment.date)
        ys.append(float(total / budget * _HUNDRED) if budget else 0.0)
    xs.append(end)
    ys.append(ys[-1])
    canvas.step(xs, ys, where="post", label="实际执行" if chinese else "actual (spent)", color="#d62728")
    if as_of is not None:
        canvas.axvline(as_of, color="#d62728", linestyle=":", linewidth=1)
        canvas.annotate(as_of.isoformat(), (as_of, 2), fontsize=8, rotation=90, va="bottom", ha="right")
    canvas.set_ylim(0, max(105.0, max(ys) + 5))
    canvas.set_xlim(schedule.start, schedule.end)
    from matplotlib import dates as mdates  # noqa: PLC0415 - optional extra

    canvas.xaxis.set_major_locator(mdates.MonthLocator(bymonthday=1))  # type: ignore[no-untyped-call]
    canvas.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m" if not chinese else "%m月"))  # type: ignore[no-untyped-call]
    for tick in canvas.get_xticklabels():
        tick.set_rotation(45)
        tick.set_fontsize(8)
        if family:
            tick.set_fontfamily(family)
    canvas.set_ylabel("累计执行（%）" if chinese else "cumulative % of budget", family=family)
    canvas.set_title(project.name if chinese else f"Spending against plan: {project.code}", family=family)
    canvas.legend(loc="upper left", prop={"family": family} if family else None)
    canvas.grid(visible=True, alpha=0.3)
    return canvas  # type: ignore[no-any-return]


def _level2_english(label: str) -> str:
    try:
        return Level2(label).english
    except ValueError:
        return label


def scores_chart(evaluation: ProjectEvaluation, *, ax: Axes | None = None, lang: Lang = "en") -> Axes:
    """Weight (分值) and score (得分) of each applicable indicator and of the budget, as horizontal bars.

    The bars add up to the total in the title: the indicators, then 预算执行率 (when the
    budget is scored). With English labels the indicators are numbered I1, I2, ... and a
    key beside the bars names them. ``lang="zh"`` names the indicators and writes the
    labels in Chinese (with a CJK font; without one, English labels and a warning).
    """
    chinese, font = _font(lang)
    items = [item for item in evaluation.items if item.weight > 0]
    canvas = _axes(ax)
    labels = [item.name if chinese else f"I{n}" for n, item in enumerate(items, 1)]
    weights = [float(item.weight) for item in items]
    scores = [float(item.score) for item in items]
    if evaluation.budget_score is not None:
        labels.append("预算执行率" if chinese else "budget")
        weights.append(float(evaluation.budget_weight))
        scores.append(float(evaluation.budget_score))
    positions = list(range(len(labels)))[::-1]
    canvas.barh(positions, weights, color="#dddddd", label="分值" if chinese else "weight")
    canvas.barh(positions, scores, color="#2ca02c", height=0.5, label="得分" if chinese else "score")
    canvas.set_yticks(positions)
    canvas.set_yticklabels(labels, family=font if chinese else None)
    total = f"{evaluation.display_total()} ({evaluation.grade.value if chinese else evaluation.grade.english})"
    canvas.set_title(("总分 " if chinese else "Total ") + total, family=font if chinese else None)
    canvas.legend(loc="lower right", prop={"family": font} if chinese else None)
    canvas.grid(visible=True, axis="x", alpha=0.3)
    if not chinese and items:
        names = [item.name if font else _level2_english(item.level2) or item.path for item in items]
        key = "\n".join(f"{label}  {name}" for label, name in zip(labels, names, strict=False))
        canvas.text(1.02, 1.0, key, transform=canvas.transAxes, va="top", ha="left", fontsize=8,
                    family=font, gid="perftarget-key")
    return canvas  # type: ignore[no-any-return]
