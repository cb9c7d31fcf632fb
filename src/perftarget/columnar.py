"""Province-scale work on columns: a batch of tables as Arrow tables, scored a column at a time.

A finance department holds its targets as rows in a warehouse (one per indicator) and asks
questions of hundreds of thousands of tables at once. This module works in that form:

- :func:`flatten` turns documents (with their actuals and payments) into :class:`Columns`:
  ``tables`` (one row per project table), ``indicators`` (one row per indicator) and
  ``payments`` (one row per dated payment), as pyarrow Tables;
- :func:`write_parquet` / :func:`read_parquet` keep them as Parquet files;
- :func:`evaluate` scores every table (绩效自评) with numpy over whole columns and gives the
  result table of :func:`perftarget.batch.result_columns` (``"evaluate"``), one row per table
  or per indicator, the formula of every score included;
- :func:`monitor` computes the in-year monitoring figures (绩效运行监控) of every table as of a
  date from its dated payments (or an amount per table): execution rate, planned share, time
  progress, gaps, status and findings, the ``"monitor"`` result rows (one per table);
- :func:`review` reviews every table (审核) with the built-in rules, each table rebuilt from its
  rows and given to the review engine, and gives the ``"check"`` result rows (one per finding);
  :func:`review_summary` one row per table.

Results equal those of :func:`perftarget.evaluate`, :func:`perftarget.monitor` and
:func:`perftarget.review` row for row (figures printed rounded half up to 6 decimal places);
a table a kernel does not do exactly goes through the object path. Needs the ``columnar``
extra (``pyarrow`` and ``numpy``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
from pathlib import Path

from perftarget._files import atomic_writer
from perftarget._formats.columnar import Columns, flatten, pyarrow_module
from perftarget._formats.columnar_evaluate import evaluate_columns as evaluate
from perftarget._formats.columnar_monitor import monitor_columns as monitor
from perftarget._formats.columnar_review import review_columns as review
from perftarget._formats.columnar_review import review_summary, with_review_columns

__all__ = [
    "Columns",
    "evaluate",
    "flatten",
    "monitor",
    "read_parquet",
    "review",
    "review_summary",
    "with_review_columns",
    "write_parquet",
]

_PARTS = ("tables", "indicators", "payments")


def write_parquet(columns: Columns, directory: str | os.PathLike[str]) -> list[Path]:
    """Write ``tables.parquet``, ``indicators.parquet`` and ``payments.parquet`` into ``directory``.

    Each file is written to a temporary name and renamed into place, so a failed write
    leaves the previous file. Returns the paths written.

    .. versionadded:: 0.1.0
    """
    pyarrow_module("perftarget.columnar.write_parquet")
    import pyarrow.parquet as pq  # noqa: PLC0415 - optional dependency

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _PARTS:
        table = getattr(columns, name)
        if table is None:
            continue
        path = folder / f"{name}.parquet"
        with atomic_writer(path) as stream:
            pq.write_table(table, stream)
        written.append(path)
    return written


def read_parquet(directory: str | os.PathLike[str]) -> Columns:
    """Read the files :func:`write_parquet` wrote (``payments.parquet`` may be absent).

    .. versionadded:: 0.1.0
    """
    pyarrow_module("perftarget.columnar.read_parquet")
    import pyarrow.parquet as pq  # noqa: PLC0415 - optional dependency

    folder = Path(directory)
    payments = folder / "payments.parquet"
    return Columns(
        tables=pq.read_table(folder / "tables.parquet"),
        indicators=pq.read_table(folder / "indicators.parquet"),
        payments=pq.read_table(payments) if payments.exists() else None,
    )
