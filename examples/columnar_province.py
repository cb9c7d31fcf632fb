"""Review, score and monitor a whole province a column at a time, with perftarget.columnar.

Every targets document under a folder is read with the files beside it (``X.actuals.json`` for
the self-evaluation, ``X.monitoring.json`` for the dated payments), turned once into Arrow columns
(kept as Parquet, the form a finance department's warehouse holds), and then reviewed, scored and
monitored by the column kernels. The results are written as Parquet tables and summed up.

Run it on a generated province (``benchmarks/generate.py`` writes one)::

    .venv/bin/python benchmarks/generate.py --tables 3000 --out /tmp/province
    .venv/bin/python examples/columnar_province.py /tmp/province --as-of 2023-07-31 --out /tmp/results

Needs the ``columnar`` extra (``pip install "perftarget[columnar]"``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import perftarget
from perftarget import columnar
from perftarget.batch import find_documents


def read_folder(folder: Path) -> columnar.Columns:
    """The documents under ``folder`` with their actuals and payments, as columns."""
    documents: dict[str, perftarget.Document] = {}
    actuals: list[perftarget.TableActuals] = []
    payments: dict[str, list[perftarget.Payment]] = {}
    for path in find_documents(folder):
        documents[str(path)] = perftarget.load(path)
        stem = path.with_suffix("")
        actuals_file = stem.with_name(f"{stem.name}.actuals{path.suffix}")
        if actuals_file.exists():
            actuals.extend(perftarget.load_actuals(actuals_file).projects)
        spending_file = stem.with_name(f"{stem.name}.monitoring{path.suffix}")
        if spending_file.exists():
            for entry in json.loads(spending_file.read_text(encoding="utf-8"))["projects"]:
                payments[entry["project"]] = [
                    perftarget.Payment(dt.date.fromisoformat(p["date"]), p["amount"]) for p in entry.get("payments", ())
                ]
    return columnar.flatten(documents, actuals=actuals, payments=payments)


def run(folder: Path, *, as_of: str, out: Path) -> dict[str, Any]:
    """Every result table of the province under ``folder``, also written to ``out`` as Parquet."""
    started = time.process_time()
    columns = read_folder(folder)
    read = time.process_time() - started
    columnar.write_parquet(columns, out / "columns")
    started = time.process_time()
    findings = columnar.review(columns)
    results = {
        "findings": findings,
        "review": columnar.review_summary(columns, findings),
        "scores": columnar.evaluate(columns),
        "scores-by-indicator": columnar.evaluate(columns, per="indicator"),
        "monitoring": columnar.monitor(columns, as_of=as_of),
    }
    computed = time.process_time() - started
    for name, table in results.items():
        pq.write_table(table, out / f"{name}.parquet")
    print(
        f"{columns.table_count:,} tables, {columns.indicator_count:,} indicators: "
        f"read and flattened in {read:.2f} s, reviewed, scored and monitored in {computed:.2f} s of CPU"
    )
    print("grades:", dict(sorted(Counter(results["scores"].column("grade").to_pylist()).items())))
    print("monitoring:", dict(sorted(Counter(results["monitoring"].column("status").to_pylist()).items())))
    print("findings:", dict(sorted(Counter(findings.column("severity").to_pylist()).items())))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="the folder of targets documents")
    parser.add_argument("--as-of", required=True, help="the date of the monitoring, e.g. 2023-07-31")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the Parquet tables into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    run(args.folder, as_of=args.as_of, out=args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
