"""Columnar review (审核) throughput: ``review_columns`` on generated tables, next to the object review.

One command (see ``benchmarks/README.md``)::

    .venv/bin/python benchmarks/bench_columnar_review.py                    # 10k and 100k tables
    .venv/bin/python benchmarks/bench_columnar_review.py --sizes 2000 --repeat 3

For each size the generated province (``benchmarks/generate.py``, seed 0) is loaded in
documents of ``--chunk`` tables (``perftarget.loads``, not timed), flattened to columns
with the optional review columns (``flatten`` + ``with_review_columns``, timed once,
separately), and the chunks' columns are joined into one batch. ``review_columns`` then
runs ``--repeat`` times on the whole batch; the figure is the median CPU time
(``time.process_time``). The object review (``perftarget.review``) runs on one document
of ``--object-tables`` tables for comparison. Issues 8 and 19 ask for 1,000,000 indicators per
second on one core; the column review runs the review engine on every rebuilt table (its
``object_only`` rules once per distinct row, budget or plan; every other table rule on every
table), so it reaches a little more than the object review does (see ``benchmarks/README.md``).
Each line ends with the 1-minute load average (the machine may be shared).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
import pyarrow as pa

import perftarget
from perftarget._formats.columnar import Columns, flatten
from perftarget._formats.columnar_review import review_columns, review_summary, with_review_columns
from perftarget.rules import review


def _document(count: int, start: int) -> perftarget.Document:
    data = generate.document(generate.generate_tables(count, seed=0, start=start))
    return perftarget.loads(json.dumps(data, ensure_ascii=False))


def _shift(table: Any, offset: int) -> Any:
    index = table.column_names.index("table")
    shifted = pa.compute.add(table.column("table"), pa.scalar(offset, pa.int32()))
    return table.set_column(index, "table", shifted)


def build(size: int, chunk: int) -> tuple[Columns, float]:
    """The columns of ``size`` generated tables, and the CPU seconds flattening took."""
    parts: list[Columns] = []
    spent = 0.0
    for start in range(0, size, chunk):
        document = _document(min(chunk, size - start), start)
        source = {f"chunk-{start // chunk:04d}.json": document}
        began = time.process_time()
        columns = with_review_columns(flatten(source), source)
        spent += time.process_time() - began
        parts.append(
            Columns(tables=_shift(columns.tables, start), indicators=_shift(columns.indicators, start),
                    payments=columns.payments)
        )
        del document, source
    tables = pa.concat_tables([p.tables for p in parts]).combine_chunks()
    indicators = pa.concat_tables([p.indicators for p in parts]).combine_chunks()
    return Columns(tables=tables, indicators=indicators), spent


def median_time(run: Any, repeat: int) -> tuple[float, Any]:
    """The median CPU time of ``repeat`` calls, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        began = time.process_time()
        result = run()
        times.append(time.process_time() - began)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="table counts, comma-separated")
    parser.add_argument("--chunk", type=int, default=10000, help="tables per generated document")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size (the median is shown)")
    parser.add_argument("--object-tables", type=int, default=1000, help="tables for the object review")
    args = parser.parse_args(argv)

    document = _document(args.object_tables, 0)
    count = sum(len(p.indicators) for p in document.projects)
    seconds, findings = median_time(lambda: review(document), args.repeat)
    print(f"object review   {args.object_tables:>8,} tables {count:>10,} indicators  {seconds:8.3f} s  "
          f"{count / seconds:>12,.0f} indicators/s  ({len(findings):,} findings)")
    document = None  # free the objects before the columnar runs

    for size in (int(s) for s in args.sizes.split(",")):
        columns, flat_seconds = build(size, args.chunk)
        count = columns.indicator_count
        seconds, found = median_time(lambda c=columns: review_columns(c), args.repeat)
        summary_seconds, _ = median_time(lambda c=columns, f=found: review_summary(c, f), 1)
        print(f"columnar review {size:>8,} tables {count:>10,} indicators  {seconds:8.3f} s  "
              f"{count / seconds:>12,.0f} indicators/s  ({found.num_rows:,} findings; flatten "
              f"{flat_seconds:.1f} s, summary {summary_seconds:.3f} s; load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
