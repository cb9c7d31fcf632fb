"""Province-scale benchmark: load, dump, review, evaluate and monitor, against floors and peers.

One command (see ``benchmarks/README.md``)::

    .venv/bin/python benchmarks/bench_province.py                      # 1k, 10k, 100k, 300k tables
    .venv/bin/python benchmarks/bench_province.py --sizes 1000,5000     # a quick run

For each size the generated province (``benchmarks/generate.py``, seeded) is made as JSON
bytes, in documents of ``--chunk`` tables (10,000 by default: one document at 1k and 10k);
above two documents they are generated again for each repetition, one at a time, so that
memory holds one document (generating is not timed).
Every repetition walks the documents; on each one, every path runs once, in a rotating
order, so that the noise of a shared machine falls on all paths alike. Times are CPU
seconds of this process (``time.process_time``), summed over the documents; the table
shows the median over ``--repeat`` repetitions, per table and per indicator, and as a
ratio to the floor measured in the same run:

- load+validate: floor ``orjson.loads`` of the same bytes; peers: stdlib ``json.loads``
  (with exact decimals), ``msgspec.json.decode`` (dicts), the same schema as pydantic v2
  models (``model_validate_json``), perftarget's cattrs path, and ``perftarget.loads``;
- dump: floor ``orjson.dumps`` of the equivalent dicts (``to_dict``) with the same layout
  (``OPT_INDENT_2``); peers: pydantic ``model_dump_json(indent=2)``, the cattrs path,
  ``perftarget.dumps`` (``str``) and ``perftarget.dumps_bytes`` (the UTF-8 bytes ``dump`` writes);
- review, evaluate (with the generated actuals, explanations included) and monitor (dated
  payments and progress as of 31 July): perftarget only, per table and per indicator, on the
  objects (``perftarget.review``/``evaluate``/``monitor``, one call per table) and on columns
  (``perftarget.columnar``, the whole document at once; with the ``columnar`` extra), and the
  cost of making the columns from the documents (``columnar.flatten``), shown on its own.

Memory: bytes allocated and still held per table after loading one document of
``min(size, chunk)`` tables (``tracemalloc``), and the peak during the load, for the
dicts, pydantic and perftarget. The garbage collector runs as usual (``--gc on``), is paused
around each timed call (``--gc off``), or both (the default).

The cattrs path and pydantic are slow; above ``--peers-up-to`` tables (10,000 by default)
they are left out, so that the large sizes show how perftarget's own costs grow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
import orjson

import perftarget
from perftarget._codec import convert
from perftarget._codec import fast as _fast
from perftarget._codec.actuals import actuals_from_dict
from perftarget._codec.convert import from_dict, to_dict
from perftarget._codec.hooks import threshold_text
from perftarget._judge.evaluate import evaluate
from perftarget._judge.monitor import Payment, monitor
from perftarget._model.actuals import TableActuals
from perftarget._model.targets import Document
from perftarget._values.levels import schemas_of, to_level1, to_level2
from perftarget._values.threshold import Threshold
from perftarget.rules import review

try:
    import msgspec
except ImportError:  # pragma: no cover - the fast extra is missing
    msgspec = None

try:
    from perftarget import columnar
except ImportError:  # pragma: no cover - the columnar extra is missing
    columnar = None  # type: ignore[assignment]

try:
    import pydantic
except ImportError:  # pragma: no cover
    pydantic = None

# --- the same schema as pydantic v2 models ----------------------------------------------------


def _pydantic_models() -> type[Any] | None:  # noqa: C901 - one schema, kept together
    if pydantic is None:
        return None
    from pydantic import (  # noqa: PLC0415 - optional peer
        AfterValidator,
        BaseModel,
        BeforeValidator,
        ConfigDict,
        Field,
        PlainSerializer,
        StrictBool,
        StrictInt,
        StrictStr,
        model_validator,
    )

    def parse_target(value: object) -> Threshold:
        if isinstance(value, Threshold):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            msg = "expected a target such as ≥95%"
            raise ValueError(msg)  # noqa: TRY004 - pydantic wants ValueError
        return Threshold.parse(value)

    # type aliases, named like types
    TargetText = Annotated[  # noqa: N806
        Threshold, BeforeValidator(parse_target), PlainSerializer(threshold_text, return_type=str)
    ]
    Level1Text = Annotated[StrictStr, AfterValidator(to_level1), PlainSerializer(str, return_type=str)]  # noqa: N806
    Level2Text = Annotated[StrictStr, AfterValidator(to_level2), PlainSerializer(str, return_type=str)]  # noqa: N806
    Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]  # noqa: N806

    class Base(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    class Unit(Base):
        code: StrictStr
        name: StrictStr

    class Budget(Base):
        total: Amount
        fiscal: Amount | None = None
        other: Amount | None = None

        @model_validator(mode="after")
        def parts_add_up(self) -> Budget:
            if self.fiscal is not None and self.other is not None and self.fiscal + self.other != self.total:
                msg = "budget parts do not add up"
                raise ValueError(msg)
            return self

    class Checkpoint(Base):
        date: dt.date
        percent: Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
        label: StrictStr | None = None

    class Schedule(Base):
        fiscal_year: StrictInt
        checkpoints: tuple[Checkpoint, ...]
        multi_year: StrictBool = False
        start_month: Annotated[StrictInt, Field(ge=1, le=12)] = 1

        @model_validator(mode="after")
        def plan_rules(self) -> Schedule:
            previous = None
            for point in self.checkpoints:
                if not dt.date(self.fiscal_year, 1, 1) <= point.date <= dt.date(self.fiscal_year, 12, 31):
                    msg = "checkpoint outside the fiscal year"
                    raise ValueError(msg)
                if previous is not None and (point.date <= previous.date or point.percent < previous.percent):
                    msg = "the plan is cumulative"
                    raise ValueError(msg)
                previous = point
            if previous is not None and not self.multi_year and previous.percent != 100:
                msg = "the last checkpoint must plan 100%"
                raise ValueError(msg)
            return self

    class BasisTable(Base):
        text: StrictStr
        category: StrictStr | None = None

    class Suppression(Base):
        code: StrictStr
        reason: Annotated[StrictStr, Field(min_length=1)]

    class Indicator(Base):
        name: StrictStr
        target: TargetText
        level1: Level1Text | None = None
        level2: Level2Text | None = None
        description: StrictStr = ""
        basis: StrictStr | BasisTable | None = None
        weight: Amount | None = None
        key: StrictStr | None = None
        suppressions: tuple[Suppression, ...] = ()

        @model_validator(mode="after")
        def level_pair(self) -> Indicator:
            first, second = self.level1, self.level2
            both = not isinstance(first, str) and not isinstance(second, str) and None not in (first, second)
            if both and not schemas_of(first, second):  # type: ignore[arg-type]
                msg = "level-2 does not belong to level-1"
                raise ValueError(msg)
            return self

    class Goal(Base):
        content: StrictStr
        indicators: tuple[Indicator, ...] = ()

    class Project(Base):
        unit: Unit
        code: StrictStr
        name: StrictStr
        year: StrictInt
        budget: Budget
        purpose: StrictStr = ""
        schedule: Schedule | None = None
        goals: tuple[Goal, ...] = ()
        year_assumed: StrictBool = False
        suppressions: tuple[Suppression, ...] = ()

    class PydanticDocument(Base):
        schema_version: Annotated[StrictInt, Field(ge=1, le=1)]
        projects: tuple[Project, ...] = ()
        notes: StrictStr = ""

    return PydanticDocument


# --- one document's inputs --------------------------------------------------------------------


class Chunk:
    """One document of generated tables: its JSON bytes, and what review/evaluate/monitor need."""

    def __init__(self, count: int, seed: int, start: int) -> None:
        tables = list(generate.generate_tables(count, seed=seed, start=start))
        self.tables = count
        self.indicators = sum(len(goal["indicators"]) for t in tables for goal in t.targets["goals"])
        self.data = orjson.dumps(generate.document(tables))
        self.actuals = orjson.dumps(generate.actuals_document(tables))
        self.monitoring = orjson.dumps([t.monitoring for t in tables])

    def text(self) -> str:
        """A fresh ``str`` each time (a str caches its UTF-8 form once asked for it)."""
        return self.data.decode("utf-8")

    def actual_entries(self) -> list[TableActuals]:
        data = json.loads(self.actuals, parse_float=Decimal)
        return list(actuals_from_dict(data).projects)

    def monitoring_entries(self) -> list[tuple[list[Payment], dict[str, object]]]:
        entries = []
        for item in json.loads(self.monitoring):
            payments = [Payment(dt.date.fromisoformat(p["date"]), p["amount"]) for p in item["payments"]]
            entries.append((payments, item["progress"]))
        return entries


# --- timing -----------------------------------------------------------------------------------


def _timed(call: Callable[[], object], *, gc_on: bool) -> tuple[float, object]:
    if not gc_on:
        gc.disable()
    try:
        start = time.process_time()
        result = call()
        elapsed = time.process_time() - start
    finally:
        if not gc_on:
            gc.enable()
    return elapsed, result


def _evaluate_all(document: Document, entries: list[TableActuals]) -> int:
    by_code = {entry.project: entry for entry in entries}
    count = 0
    for project in document.projects:
        entry = by_code[project.code]
        evaluation = evaluate(project, entry, spent=entry.spent, budget=entry.budget, strict=False)
        count += len(evaluation.items)
    return count


AS_OF = dt.date(generate.YEAR, 7, 31)


def _monitor_all(document: Document, entries: list[tuple[list[Payment], dict[str, object]]]) -> int:
    count = 0
    for project, (payments, progress) in zip(document.projects, entries, strict=True):
        report = monitor(project, spent=payments, as_of=AS_OF, progress=progress)
        count += len(report.indicators)
    return count


class Run:
    """Accumulates CPU seconds per (operation, path) per repetition."""

    def __init__(self) -> None:
        self.seconds: dict[tuple[str, str], list[float]] = {}

    def add(self, key: tuple[str, str], rep: int, seconds: float) -> None:
        runs = self.seconds.setdefault(key, [])
        while len(runs) <= rep:
            runs.append(0.0)
        runs[rep] += seconds

    def median(self, key: tuple[str, str]) -> float:
        return statistics.median(self.seconds[key])


def _rotate(items: list[Any], shift: int) -> list[Any]:
    shift %= max(len(items), 1)
    return items[shift:] + items[:shift]


def measure_size(  # noqa: C901, PLR0912, PLR0915 - the measuring loop reads best in one piece
    size: int, args: argparse.Namespace, pyd: type[Any] | None
) -> dict[str, Any]:
    spans = [(start, min(args.chunk, size - start)) for start in range(0, size, args.chunk)]
    # small provinces are generated once; large ones document by document, so that memory
    # holds one document at a time (a 300,000-table province is about 2 GB of JSON texts)
    kept = len(spans) <= 2
    cache: dict[int, Chunk] = {}

    def chunks() -> Iterable[Chunk]:
        for start, count in spans:
            chunk = cache.get(start) or Chunk(count, args.seed, start)
            if kept:
                cache[start] = chunk
            yield chunk

    tables = indicators = data_bytes = 0
    for chunk in chunks():
        tables += chunk.tables
        indicators += chunk.indicators
        data_bytes += len(chunk.data)
    peers = size <= args.peers_up_to
    columns_only = args.paths == "columnar"
    results: dict[str, Any] = {"size": tables, "indicators": indicators, "bytes": data_bytes}
    for gc_mode in args.gc:
        gc_on = gc_mode == "on"
        run = Run()
        for rep in range(args.repeat):
            for index, chunk in enumerate(chunks()):
                text = chunk.text()
                loaders: list[tuple[str, Callable[[], object]]] = [
                    ("orjson.loads (floor)", lambda c=chunk: orjson.loads(c.data)),
                    ("perftarget.loads", lambda t=text: perftarget.loads(t)),
                ]
                if not columns_only:
                    loaders += [
                        ("perftarget fast path, from bytes", lambda c=chunk: _fast.loads_json(c.data)),
                        ("json.loads, exact decimals (dicts)", lambda t=text: json.loads(t, parse_float=Decimal)),
                    ]
                if msgspec is not None and not columns_only:
                    loaders.append(("msgspec.json.decode (dicts)", lambda c=chunk: msgspec.json.decode(c.data)))
                if peers and not columns_only:
                    cattrs_text = chunk.text()
                    loaders.append(
                        ("cattrs path (json + from_dict)",
                         lambda t=cattrs_text: from_dict(json.loads(t, parse_float=Decimal)))
                    )
                    if pyd is not None:
                        loaders.append(
                            ("pydantic v2 model_validate_json", lambda c=chunk: pyd.model_validate_json(c.data))
                        )
                document: Document | None = None
                model = None
                for name, call in _rotate(loaders, rep + index):
                    seconds, result = _timed(call, gc_on=gc_on)
                    run.add(("load+validate", name), rep, seconds)
                    if name == "perftarget.loads":
                        document = result  # type: ignore[assignment]
                    elif name.startswith("pydantic"):
                        model = result
                    del result
                if not isinstance(document, Document):
                    msg = "perftarget.loads did not return a document"
                    raise TypeError(msg)
                dicts = {} if columns_only else to_dict(document)
                dumpers: list[tuple[str, Callable[[], object]]] = [] if columns_only else [
                    ("orjson.dumps, indent 2 (floor)", lambda d=dicts: orjson.dumps(d, option=orjson.OPT_INDENT_2)),
                    ("orjson.dumps, compact", lambda d=dicts: orjson.dumps(d)),
                    ("perftarget.dumps", lambda doc=document: perftarget.dumps(doc)),
                    ("perftarget.dumps_bytes", lambda doc=document: perftarget.dumps_bytes(doc)),
                ]
                if peers and not columns_only:
                    dumpers.append(
                        ("cattrs path (to_dict + json.dumps)",
                         lambda doc=document: json.dumps(to_dict(doc), ensure_ascii=False, indent=2))
                    )
                    if model is not None:
                        dumpers.append(("pydantic v2 model_dump_json", lambda m=model: m.model_dump_json(indent=2)))
                for name, call in _rotate(dumpers, rep + index):
                    seconds, _ = _timed(call, gc_on=gc_on)
                    run.add(("dump", name), rep, seconds)
                del dicts, model
                actual_entries = chunk.actual_entries()
                monitoring_entries = chunk.monitoring_entries()
                judges: list[tuple[str, str, Callable[[], object]]] = [] if columns_only else [
                    ("review", "perftarget.review", lambda doc=document: review(doc)),
                    ("evaluate", "perftarget.evaluate",
                     lambda doc=document, e=actual_entries: _evaluate_all(doc, e)),
                    ("monitor", "perftarget.monitor",
                     lambda doc=document, e=monitoring_entries: _monitor_all(doc, e)),
                ]
                for operation, name, call in _rotate(judges, rep + index):
                    seconds, _ = _timed(call, gc_on=gc_on)
                    run.add((operation, name), rep, seconds)
                if columnar is not None:
                    payments = {p.code: pay for p, (pay, _) in zip(document.projects, monitoring_entries, strict=True)}
                    seconds, columns = _timed(
                        lambda doc=document, e=actual_entries, p=payments: columnar.flatten(doc, actuals=e, payments=p),
                        gc_on=gc_on,
                    )
                    run.add(("columns", "columnar.flatten (documents → columns)"), rep, seconds)
                    kernels: list[tuple[str, str, Callable[[], object]]] = [
                        ("review", "columnar.review", lambda c=columns: columnar.review(c)),
                        ("evaluate", "columnar.evaluate, per table", lambda c=columns: columnar.evaluate(c)),
                        ("evaluate", "columnar.evaluate, per indicator (formulas)",
                         lambda c=columns: columnar.evaluate(c, per="indicator")),
                    ]
                    if hasattr(columnar, "monitor"):
                        kernels.append(("monitor", "columnar.monitor",
                                        lambda c=columns: columnar.monitor(c, as_of=AS_OF)))
                    for operation, name, call in _rotate(kernels, rep + index):
                        seconds, _ = _timed(call, gc_on=gc_on)
                        run.add((operation, name), rep, seconds)
                    del columns, payments
                del document, actual_entries, monitoring_entries
                gc.collect()
            print(f"  size {tables:,} gc {gc_mode}: repetition {rep + 1}/{args.repeat} done", file=sys.stderr)
        results[f"gc {gc_mode}"] = {f"{op} | {name}": run.median((op, name)) for op, name in run.seconds}
    if args.memory:
        results["memory"] = measure_memory(next(iter(chunks())), pyd if peers else None)
    return results


def _held(build: Callable[[], object]) -> tuple[int, int, object]:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    result = build()
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return after - before, peak - before, result


def measure_memory(chunk: Chunk, pyd: type[Any] | None) -> dict[str, tuple[int, int]]:
    """Bytes held and peak bytes per table, for each representation of one document."""
    _fast_caches_clear()
    sizes: dict[str, tuple[int, int]] = {}
    builders: list[tuple[str, Callable[[], object]]] = [
        ("orjson.loads (dicts)", lambda: orjson.loads(chunk.data)),
        ("json.loads, exact decimals (dicts)", lambda: json.loads(chunk.data, parse_float=Decimal)),
        ("perftarget.loads", lambda: perftarget.loads(chunk.text())),
    ]
    if pyd is not None:
        builders.append(("pydantic v2 model_validate_json", lambda: pyd.model_validate_json(chunk.data)))
    for name, build in builders:
        held, peak, result = _held(build)
        del result
        sizes[name] = (held // chunk.tables, peak // chunk.tables)
    return sizes


def _fast_caches_clear() -> None:
    """Nothing to clear: the fast path shares values within one call only."""


# --- the report -------------------------------------------------------------------------------

_FLOORS = {"load+validate": "orjson.loads (floor)", "dump": "orjson.dumps, indent 2 (floor)"}


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def report(results: list[dict[str, Any]], args: argparse.Namespace, command: str) -> str:
    lines = [
        f"Command: `{command}`",
        "",
        (
            f"Python {platform.python_version()} on {platform.machine()}, {_cpus()} CPUs; "
            f"orjson {orjson.__version__}, msgspec {getattr(msgspec, '__version__', '-')}, "
            f"pydantic {getattr(pydantic, 'VERSION', '-')}; perftarget fast path "
            f"{'on' if convert.FAST is not None else 'OFF'}. "
            f"CPU time of one process, median of {args.repeat} "
            f"repetitions, documents of up to {args.chunk:,} tables."
        ),
        "",
    ]
    for result in results:
        size, indicators = result["size"], result["indicators"]
        per_table = result["bytes"] / size / 1024
        lines.append(f"### {size:,} tables ({indicators:,} indicators, {per_table:.1f} KiB of JSON per table)")
        lines.append("")
        for gc_mode in args.gc:
            medians = result[f"gc {gc_mode}"]
            lines.append(f"GC {'running' if gc_mode == 'on' else 'paused around each call'}:")
            lines.append("")
            lines.append("| operation | path | µs / table | µs / indicator | × floor | tables / s | indicators / s |")
            lines.append("|---|---|---:|---:|---:|---:|---:|")
            for key, seconds in medians.items():
                operation, name = key.split(" | ", 1)
                floor_name = _FLOORS.get(operation)
                ratio = "" if floor_name is None else f"{seconds / medians[f'{operation} | {floor_name}']:.2f}"
                lines.append(
                    f"| {operation} | {name} | {_fmt(seconds / size * 1e6)} | {_fmt(seconds / indicators * 1e6)} "
                    f"| {ratio} | {_fmt(size / seconds)} | {_fmt(indicators / seconds)} |"
                )
            lines.append("")
        if "memory" in result:
            lines.append("Memory per table after loading one document (tracemalloc):")
            lines.append("")
            lines.append("| representation | KiB held / table | KiB peak / table |")
            lines.append("|---|---:|---:|")
            for name, (held, peak) in result["memory"].items():
                lines.append(f"| {name} | {held / 1024:.1f} | {peak / 1024:.1f} |")
            lines.append("")
    if len(results) > 1:
        lines.extend(_growth(results, args))
    return "\n".join(lines)


def _growth(results: list[dict[str, Any]], args: argparse.Namespace) -> list[str]:
    gc_mode = args.gc[0]
    keys = [k for k in results[0][f"gc {gc_mode}"] if all(k in r[f"gc {gc_mode}"] for r in results)]
    header = " | ".join(f"{r['size']:,}" for r in results)
    lines = [
        (
            f"Growth: µs per table by number of tables (GC {'running' if gc_mode == 'on' else 'paused'}); "
            "flat rows mean cost linear in the number of tables."
        ),
        "",
        f"| operation | path | {header} |",
        "|---|---|" + "---:|" * len(results),
    ]
    for key in keys:
        operation, name = key.split(" | ", 1)
        cells = " | ".join(_fmt(r[f"gc {gc_mode}"][key] / r["size"] * 1e6) for r in results)
        lines.append(f"| {operation} | {name} | {cells} |")
    lines.append("")
    return lines


def _cpus() -> int:
    import os  # noqa: PLC0415

    return os.cpu_count() or 1


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "").replace(",", "")) for part in text.split(",") if part.strip()]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Province-scale benchmark of perftarget (see benchmarks/README.md).")
    parser.add_argument("--sizes", type=str, default="1000,10000,100000,300000",
                        help="comma-separated numbers of tables (default 1000,10000,100000,300000)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions; the median is reported (default 5)")
    parser.add_argument("--chunk", type=int, default=10_000, help="tables per JSON document (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gc", type=str, default="on,off", help="'on', 'off' or 'on,off' (default)")
    parser.add_argument("--peers-up-to", type=int, default=10_000,
                        help="run the cattrs path and pydantic only up to this many tables (default 10000)")
    parser.add_argument("--no-memory", dest="memory", action="store_false", help="skip the memory measurement")
    parser.add_argument("--paths", choices=["all", "columnar"], default="all",
                        help="'columnar': only the floor, perftarget.loads and the columnar paths (for large sizes)")
    parser.add_argument("--json", type=Path, help="also write the raw medians to this file")
    args = parser.parse_args(list(argv) if argv is not None else None)
    args.gc = [mode.strip() for mode in args.gc.split(",") if mode.strip()]
    command = "python benchmarks/bench_province.py " + " ".join(sys.argv[1:] if argv is None else list(argv))
    pyd = _pydantic_models()
    results = []
    for size in _sizes(args.sizes):
        print(f"measuring {size:,} tables ...", file=sys.stderr)
        results.append(measure_size(size, args, pyd))
        # what is measured so far, in case a long run is cut short
        print(report(results[-1:], args, command.strip()), file=sys.stderr, flush=True)
        if args.json is not None:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results, args, command.strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
