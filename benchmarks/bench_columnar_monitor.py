"""Columnar monitoring (绩效运行监控) of a province: ``monitor_columns`` against the object path.

Generates seeded project tables with their dated payments (``generate.py``), reads them into
documents, flattens them once into Arrow columns (timed on its own), then times
``monitor_columns`` on the whole batch (as of 31 July, the payments summed in the kernel) and,
next to it, :func:`perftarget.monitor` table by table on the first tables (the same work: the
same payments, no indicator progress; and, for reference, with the indicator progress that
``bench_province.py`` gives it), each table new to it. CPU time (``time.process_time``), median of the
repetitions, the process pinned to one core. Run it by hand; it is not a test::

    .venv/bin/python benchmarks/bench_columnar_monitor.py                    # 10,000 and 100,000 tables
    .venv/bin/python benchmarks/bench_columnar_monitor.py --sizes 10000 --object 1000 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

import perftarget
from perftarget._formats.columnar import flatten
from perftarget._formats.columnar_monitor import _run, monitor_columns
from perftarget._judge import monitor as _monitoring
from perftarget._judge.monitor import MonitoringPolicy, Payment, monitor
from perftarget._model.targets import ProjectTargets
from perftarget._values import schedule as _schedule


def _cpu(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The median CPU seconds of ``repeat`` calls, and the last result."""
    seconds = []
    result: object = None
    for _ in range(repeat):
        start = time.process_time()
        result = call()
        seconds.append(time.process_time() - start)
    return statistics.median(seconds), result


def _province(count: int) -> tuple[list[ProjectTargets], dict[str, list[Payment]], dict[str, dict[str, object]]]:
    tables = list(generate.generate_tables(count, seed=0))
    document = perftarget.loads(json.dumps(generate.document(tables), ensure_ascii=False), "json")
    payments = {
        table.monitoring["project"]: [
            Payment(dt.date.fromisoformat(p["date"]), p["amount"]) for p in table.monitoring["payments"]
        ]
        for table in tables
    }
    progress = {table.monitoring["project"]: table.monitoring["progress"] for table in tables}
    return list(document.projects), payments, progress


def _object_path(
    projects: list[ProjectTargets], payments: dict[str, list[Payment]], progress: dict[str, dict[str, object]] | None
) -> int:
    """Each table by perftarget.monitor, the per-table caches emptied first (each table is new to it)."""
    _monitoring._PROJECTS.clear()  # noqa: SLF001 - a cold start, as in a province run
    _schedule._CACHE.clear()  # noqa: SLF001
    count = 0
    for project in projects:
        given = None if progress is None else progress[project.code]
        monitor(project, spent=payments[project.code], as_of=generate.AS_OF, progress=given)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000", help="batch sizes, comma-separated")
    parser.add_argument("--object", type=int, default=1000, help="tables for the object path (default 1000)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sizes = [int(size) for size in args.sizes.split(",")]
    largest = max([*sizes, args.object])
    start = time.process_time()
    projects, payments, progress = _province(largest)
    print(f"generated and read {largest:,} tables in {time.process_time() - start:.1f} s CPU")
    print(f"{'what':<48}{'tables':>9}{'CPU s':>10}{'tables/s':>12}")

    first = projects[: args.object]
    paths = (("perftarget.monitor, table by table", None), ("  the same with indicator progress", progress))
    for label, given in paths:
        seconds, _ = _cpu(lambda given=given: _object_path(first, payments, given), args.repeat)
        print(f"{label:<48}{args.object:>9,}{seconds:>10.4f}{args.object / seconds:>12,.0f}")

    for size in sizes:
        chosen = projects[:size]
        start = time.process_time()
        columns = flatten(chosen, payments=payments)
        flat_seconds = time.process_time() - start
        label = "flatten (once, not in the figure below)"
        print(f"{label:<48}{size:>9,}{flat_seconds:>10.4f}{size / flat_seconds:>12,.0f}")
        seconds, result = _cpu(lambda columns=columns: monitor_columns(columns, as_of=generate.AS_OF), args.repeat)
        _, slow = _run(columns, as_of=generate.AS_OF, spent=None, policy=MonitoringPolicy())
        print(f"{'monitor_columns':<48}{size:>9,}{seconds:>10.4f}{size / seconds:>12,.0f}"
              f"   ({len(slow)} tables by the object path)")
        del result, columns
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
