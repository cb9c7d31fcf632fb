"""Self-evaluation (绩效自评) throughput: per-object ``evaluate`` and column ``columnar.evaluate``.

One command (see ``benchmarks/README.md``)::

    .venv/bin/python benchmarks/bench_evaluate.py                       # 1,000 and 10,000 tables
    .venv/bin/python benchmarks/bench_evaluate.py --objects 500 --columns 2000 --repeat 3

The tables are the seed's project (``examples/petition-bureau.toml``: 9 indicator rows, 7
scored, 2 无) copied with distinct indicator names (``群众来访接待劝返率-17``) and targets
and actuals varied by table (a met and a missed target of every comparator, a qualitative
band), so nothing repeats across tables but the notation. ``evaluate`` runs once per table
(explanations included: every formula is read once, so a lazily built text is paid for);
``columnar.evaluate(per="indicator")`` runs on the whole batch flattened once (not timed).
The figures are the median and the best CPU time (``time.process_time``) of ``--repeat`` runs,
as indicators scored per second; each line ends with the 1-minute load average (the machine
is shared: compare figures of one run). ``--object-path`` adds the column evaluation with
every table left to the object path (``rescale-na``, which the kernel does not do): what
the batch would cost without a kernel.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

import perftarget
from perftarget import columnar

_SEED = Path(__file__).resolve().parent.parent / "examples" / "petition-bureau.toml"
_TARGETS = ("≥95%", "≥98%", "≤10万元", ">90%", "≥8小时/天", "=100%", "≤5%")
_ACTUALS = ("93%", "100%", "9.5万元", "96%", "7.5小时/天", "100%", "6%")


def tables(count: int) -> tuple[list[perftarget.ProjectTargets], list[perftarget.TableActuals]]:
    """``count`` copies of the seed's project with distinct names, codes, targets and actuals."""
    project = perftarget.load(_SEED).projects[0]
    projects, actuals = [], []
    for serial in range(count):
        goals = []
        values: dict[str, Any] = {}
        slot = 0
        for goal in project.goals:
            indicators = []
            for indicator in goal.indicators:
                if not indicator.target.is_applicable:
                    indicators.append(indicator)
                    continue
                name = f"{indicator.name}-{serial}"
                if indicator.target.is_quantitative:
                    pick = (serial + slot) % len(_TARGETS)
                    target = perftarget.Threshold.parse(_TARGETS[pick])
                    values[name] = _ACTUALS[pick] if serial % 3 else _ACTUALS[(pick + 1) % len(_ACTUALS)]
                    if target.unit != perftarget.Threshold.parse(values[name]).unit:
                        values[name] = _ACTUALS[pick]
                else:
                    target = indicator.target
                    values[name] = ("达成", "部分达成", "未达成")[serial % 3]
                slot += 1
                indicators.append(attrs.evolve(indicator, name=name, target=target))
            goals.append(attrs.evolve(goal, indicators=tuple(indicators)))
        code = f"{project.code[:-6]}{serial:06d}"
        projects.append(attrs.evolve(project, code=code, goals=tuple(goals)))
        spent = Decimal(800 + serial % 250) / 100  # 8.00 to 10.49 万元 of the seed's 10.00
        actuals.append(perftarget.TableActuals(project=code, actuals=values, spent=spent))
    return projects, actuals


def _times(run: Any, repeat: int) -> tuple[float, float]:
    """(median, best) CPU seconds of ``repeat`` calls after one warm-up call."""
    run()
    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.process_time()
        run()
        times.append(time.process_time() - began)
    return statistics.median(times), min(times)


def _line(what: str, tables: int, indicators: int, seconds: tuple[float, float], extra: str = "") -> None:
    median, best = seconds
    print(f"{what:<22} {tables:>6} tables {indicators:>7} indicators {indicators / median:>12,.0f}/s median "
          f"{indicators / best:>12,.0f}/s best {extra} load {os.getloadavg()[0]:.1f}")


def _objects(projects: list[perftarget.ProjectTargets], actuals: list[perftarget.TableActuals]) -> int:
    scored = 0
    for project, table in zip(projects, actuals, strict=True):
        evaluation = perftarget.evaluate(project, table, spent=None)
        for item in evaluation.items:
            scored += len(item.formula) > 0
    return scored


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1000, help="tables for per-object evaluate")
    parser.add_argument("--columns", type=int, default=10000, help="tables for columnar.evaluate")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--object-path", action="store_true", help="also time the batch without the kernel")
    options = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    projects, actuals = tables(options.objects)
    indicators = sum(1 for p in projects for _, i in p.iter_indicators() if i.target.is_applicable)
    _line("evaluate (objects)", options.objects, indicators,
          _times(lambda: _objects(projects, actuals), options.repeat))
    if not options.columns:
        return 0
    projects, actuals = tables(options.columns)
    batch = columnar.flatten(projects, actuals=actuals)
    scored = sum(1 for p in projects for _, i in p.iter_indicators() if i.target.is_applicable)
    rows = f"({batch.indicators.num_rows} rows)"
    _line("columnar.evaluate", options.columns, scored,
          _times(lambda: columnar.evaluate(batch, per="indicator"), options.repeat), rows)
    if options.object_path:
        _line("  without the kernel", options.columns, scored,
              _times(lambda: columnar.evaluate(batch, per="indicator", policy="rescale-na"), options.repeat), rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
