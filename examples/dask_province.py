"""Process a province's target tables on a Dask cluster: the same per-table function as the batch API.

Each partition is a pandas DataFrame with one row per targets document (its ``file``, the
``targets`` text and the companion ``actuals`` or ``monitoring`` text);
``map_partitions(process_frame, ...)`` turns it into result rows. Here the cluster is a
``LocalCluster`` on this machine; point the ``Client`` at a scheduler address to use a real one.

Run it on a generated province (``benchmarks/generate.py`` writes one)::

    .venv/bin/python benchmarks/generate.py --tables 3000 --out /tmp/province
    .venv/bin/python examples/dask_province.py /tmp/province --operation evaluate --out /tmp/scores.parquet

Needs the ``dask`` extra (``pip install "perftarget[dask,parquet]"``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
from dask.distributed import Client, LocalCluster

from perftarget.batch import find_documents, process_frame, read_frame


def run(
    folder: Path, *, operation: str = "evaluate", per: str = "table", files_per_partition: int = 50,
    workers: int = 2, as_of: str | None = None, address: str | None = None,
) -> pd.DataFrame:
    """The result table of ``operation`` over every document under ``folder``, computed on Dask.

    Without ``address`` a ``LocalCluster`` of ``workers`` processes is started for the run.
    """
    paths = [str(p) for p in find_documents(folder)]
    chunks = [paths[i : i + files_per_partition] for i in range(0, len(paths), files_per_partition)]
    options = {"per": per, **({"as_of": as_of} if as_of else {})}
    # only perftarget's functions travel to the workers: they import perftarget, not this script
    empty = read_frame([], operation)
    records = dd.from_map(read_frame, chunks, operation=operation, meta=empty)
    results = records.map_partitions(process_frame, operation, meta=process_frame(empty, operation, **options),
                                     **options)
    if address is not None:
        with Client(address):
            return results.compute()
    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster):
        return results.compute()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="a folder of targets documents (searched recursively)")
    parser.add_argument("--operation", choices=["check", "evaluate", "monitor"], default="evaluate")
    parser.add_argument("--per", choices=["table", "indicator"], default="table")
    parser.add_argument("--as-of", help="monitoring date, e.g. 2023-07-31 (default: from the spending files)")
    parser.add_argument("--workers", type=int, default=2, help="processes of the local cluster")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler instead of a local cluster")
    parser.add_argument("--out", type=Path, help="write the result table here (.parquet or .csv)")
    args = parser.parse_args(argv)
    table = run(args.folder, operation=args.operation, per=args.per, workers=args.workers, as_of=args.as_of,
                address=args.scheduler)
    failed = table[table["error"] != ""]
    print(f"{len(table)} rows, {table['file'].nunique()} files, {len(failed)} rows with an error")
    for row in failed.itertuples():
        print(f"  {row.file} {row.project_code}: {row.error}")
    if args.out is not None:
        if args.out.suffix == ".csv":
            table.to_csv(args.out, index=False)
        else:
            table.to_parquet(args.out, index=False)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
