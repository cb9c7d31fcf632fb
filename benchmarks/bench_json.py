"""JSON load and dump of one large document, against orjson on the same data as plain dicts.

The document holds ``--tables`` project tables (5,000 by default). ``seed`` tables are copies of
the seed's project table (``examples/petition-bureau.toml``); ``generated`` tables come from
``generate.py`` (both trees, every target notation, plans, weights). In both, each table gets
its own code and every indicator name is made distinct (the table's number is appended), so
that no cache of names helps.

Measured in one process, interleaved, the median of ``--repeat`` runs (5 by default) each:

- load: ``perftarget.loads(text)`` (JSON text to validated model objects) against
  ``orjson.loads(text)`` (the same text to plain dicts, no validation);
- dump: ``perftarget.dumps_bytes(document)`` (model objects to the stored JSON, indented)
  against ``orjson.dumps(data)`` (the same data as plain dicts, compact) and, for reference,
  with ``orjson.OPT_INDENT_2``.

Besides the medians it prints the *paired* ratio: each round's run over the floor's run of the same
round, the median of those, which follows the shared machine's slow and fast phases better. Each
orjson floor is the faster of its runs with the garbage collector on and off; perftarget
runs with the collector on, as a caller has it (it pauses the collector itself for large
documents). Needs the ``bench`` extra (orjson) and, for the fast path, the ``fast`` extra.

Run from the repository root::

    .venv/bin/python benchmarks/bench_json.py                       # about a minute
    .venv/bin/python benchmarks/bench_json.py --shape generated --tables 5000 --repeat 5
    .venv/bin/python benchmarks/bench_json.py --no-fast            # the cattrs path alone

To compare the writer with an earlier one in the same process, interleaved, save that version's
``fast.py`` and pass it: ``git show 257fcf3:src/perftarget/_codec/fast.py > /tmp/fast_before.py``,
then ``--writer-from /tmp/fast_before.py`` (it is loaded as a second module beside the current one).
"""

from __future__ import annotations

import argparse
import copy
import gc
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson

import perftarget
from perftarget._codec import convert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402 - the benchmarks folder is put on the path just above


def _distinct(project: dict[str, Any], serial: int) -> dict[str, Any]:
    project = copy.deepcopy(project)
    project["code"] = f"{project['code']}-{serial}"
    for goal in project.get("goals", []):
        for indicator in goal.get("indicators", []):
            indicator["name"] = f"{indicator['name']}{serial}"
    return project


def document_data(tables: int, shape: str) -> dict[str, Any]:
    """The dict form of a document of ``tables`` project tables of the given shape."""
    if shape == "seed":
        seed = convert.to_dict(perftarget.load(ROOT / "examples" / "petition-bureau.toml"))
        projects = [_distinct(seed["projects"][i % len(seed["projects"])], i) for i in range(tables)]
    else:
        projects = [_distinct(t.targets, i) for i, t in enumerate(generate.generate_tables(tables, seed=0))]
    return {"schema_version": convert.SCHEMA_VERSION, "projects": projects}


def _time(function: Callable[[], object], *, collector: bool) -> float:
    gc.collect()
    was = gc.isenabled()
    if collector:
        gc.enable()
    else:
        gc.disable()
    try:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def fast_from(path: Path) -> ModuleType:
    """Another version of ``perftarget/_codec/fast.py``, loaded as a second module beside the current one."""
    spec = importlib.util.spec_from_file_location("perftarget._codec._fast_compared", path)
    if spec is None or spec.loader is None:
        msg = f"cannot load {path}"
        raise RuntimeError(msg)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _writer_from(path: Path) -> Callable[[object], bytes | None]:
    """``dumps_json_bytes`` of another version of ``fast.py`` (:func:`fast_from`)."""
    return fast_from(path).dumps_json_bytes  # type: ignore[no-any-return]


def measure(tables: int, shape: str, repeat: int, writer_from: Path | None = None) -> dict[str, float]:
    """Median seconds per path: interleaved runs, orjson floors the faster of collector on and off.

    ``"<path>, fastest"`` is its fastest run: on a shared machine, the ratio of fastest runs moves less.
    """
    data = document_data(tables, shape)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    document: perftarget.Document = perftarget.loads(text)
    plain = orjson.loads(text)
    if perftarget.dumps_bytes(document) != text.encode("utf-8"):
        msg = "the document does not write back as it was read"
        raise RuntimeError(msg)
    paths: dict[str, tuple[Callable[[], object], tuple[bool, ...]]] = {
        "perftarget.loads": (lambda: perftarget.loads(text), (True,)),
        "orjson.loads": (lambda: orjson.loads(text), (True, False)),
        "perftarget.dumps_bytes": (lambda: perftarget.dumps_bytes(document), (True,)),
        "orjson.dumps": (lambda: orjson.dumps(plain), (True, False)),
        "orjson.dumps indent 2": (lambda: orjson.dumps(plain, option=orjson.OPT_INDENT_2), (True, False)),
    }
    if writer_from is not None:
        compared = _writer_from(writer_from)
        if compared(document) != text.encode("utf-8"):
            msg = f"the writer of {writer_from} does not write the document as it was read"
            raise RuntimeError(msg)
        paths["compared writer"] = (lambda: compared(document), (True,))
    runs: dict[tuple[str, bool], list[float]] = {(name, on): [] for name, (_, modes) in paths.items() for on in modes}
    for _ in range(repeat):
        for name, (function, modes) in paths.items():
            for on in modes:
                runs[name, on].append(_time(function, collector=on))
    medians: dict[str, float] = {}
    for name, (_, modes) in paths.items():
        medians[name] = min(statistics.median(runs[name, on]) for on in modes)
        medians[f"{name}, fastest"] = min(min(runs[name, on]) for on in modes)
        # this path's run of each round over the floor's run of the same round (its faster mode)
        floor = "orjson.loads" if "loads" in name else "orjson.dumps"
        medians[f"{name}, paired"] = statistics.median(
            min(runs[name, on][i] for on in modes) / min(runs[floor, on][i] for on in paths[floor][1])
            for i in range(repeat)
        )
    medians["bytes"] = len(text.encode("utf-8"))
    medians["indicators"] = sum(len(g.indicators) for p in document.projects for g in p.goals)
    return medians


def main(argv: list[str] | None = None) -> int:
    """Print the medians and the ratios to the orjson floors."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tables", type=int, default=5000, help="project tables in the document (default 5000)")
    parser.add_argument("--shape", choices=("seed", "generated"), default="seed")
    parser.add_argument("--repeat", type=int, default=5, help="runs per path; the median is kept (default 5)")
    parser.add_argument("--no-fast", action="store_true", help="switch the msgspec fast path off (cattrs alone)")
    parser.add_argument("--writer-from", type=Path, metavar="FAST_PY",
                        help="also time dumps_json_bytes of this other fast.py, interleaved")
    args = parser.parse_args(argv)
    if args.no_fast:
        convert.FAST = None
    m = measure(args.tables, args.shape, args.repeat, args.writer_from)
    fast = "cattrs only" if convert.FAST is None else "msgspec fast path"
    print(f"{args.tables} {args.shape}-shaped tables, {m['indicators']:.0f} indicators, "
          f"{m['bytes'] / 2**20:.1f} MiB of JSON; {fast}; medians of {args.repeat}")
    per = 1e6 / args.tables
    for name in ("perftarget.loads", "orjson.loads", "perftarget.dumps_bytes", "orjson.dumps", "orjson.dumps indent 2"):
        print(f"  {name:24} {m[name] * 1e3:8.1f} ms  {m[name] * per:7.1f} µs/table")
    load = m["perftarget.loads"] / m["orjson.loads"]
    print(f"  load: perftarget.loads / orjson.loads       = {load:.2f}x (target <= 2)")
    print(f"  dump: perftarget.dumps_bytes / orjson.dumps = {m['perftarget.dumps_bytes'] / m['orjson.dumps']:.2f}x "
          f"(target <= 4); / orjson indent 2 = {m['perftarget.dumps_bytes'] / m['orjson.dumps indent 2']:.2f}x")
    print(f"  paired (the median of each round's ratio): load {m['perftarget.loads, paired']:.2f}x, "
          f"dump {m['perftarget.dumps_bytes, paired']:.2f}x")
    fastest = m["orjson.dumps, fastest"]
    print(f"  dump, fastest runs: dumps_bytes / orjson.dumps = {m['perftarget.dumps_bytes, fastest'] / fastest:.2f}x")
    if "compared writer" in m:
        compared = m["compared writer"]
        print(f"  {'compared writer':24} {compared * 1e3:8.1f} ms  {compared * per:7.1f} µs/table ({args.writer_from})")
        print(f"  dump: compared writer / orjson.dumps        = {compared / m['orjson.dumps']:.2f}x; "
              f"fastest runs {m['compared writer, fastest'] / fastest:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
