"""Instructions per call of one part of JSON reading or writing, counted by valgrind: steady on a shared machine.

Wall-clock ratios on the reference machine move by ±25 % between runs (other jobs share its two
cores); instruction counts move by less than 0.1 % with a fixed hash seed, so a change of a few per
cent shows. The script runs one part (``--part``) once to warm up, then ``--calls`` more times, on a
document of ``--tables`` seed-shaped tables (as ``bench_json.py`` builds it). Run it under valgrind
twice, with ``--calls 1`` and ``--calls 3``, and halve the difference: that removes the start-up and
the set-up. ``--count`` does exactly that and prints the figure::

    PYTHONPATH=<orjson>:src .venv/bin/python benchmarks/count_json.py --part dump --count
    PYTHONPATH=<orjson>:src .venv/bin/python benchmarks/count_json.py --part walk --count \
        --writer-from /tmp/fast_before.py

Parts: ``load`` and ``dump`` (the public calls), ``decode`` (msgspec into the read structs),
``keys`` (the duplicate-key guard), ``build`` (model objects from the structs), ``walk`` (the
write structs from the model), ``encode`` (msgspec, compact), ``format`` (msgspec's indenting), and
``orjson.loads`` / ``orjson.dumps`` (the floors, with the ``bench`` extra). ``--writer-from`` (a
``fast.py`` of another version) counts that version instead, for an A/B in instructions. Instructions
are not time: a count that falls can still run slower (memory, branches), so confirm a change with
``bench_json.py`` too. Needs valgrind for ``--count``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import msgspec

try:
    import orjson  # the bench extra: only for the floors
except ImportError:  # pragma: no cover - the other parts need no orjson
    orjson = None

import perftarget
from perftarget._codec import convert
from perftarget._codec import fast as _fast

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_json

PARTS = ("load", "dump", "decode", "keys", "build", "walk", "encode", "format", "orjson.loads", "orjson.dumps")


def _version(path: Path | None) -> ModuleType:
    """The fast path of this tree, or the ``fast.py`` at ``path`` loaded beside it (and used by load and dump)."""
    if path is None:
        return _fast
    module = convert.FAST = bench_json.fast_from(path)
    return module


def _clear(fast: ModuleType) -> None:
    for memo in fast._MEMOS:  # noqa: SLF001 - a benchmark of the private fast path
        memo.clear()
    fast._WRITTEN.clear()  # noqa: SLF001
    fast._WRITTEN[id(None)] = None  # noqa: SLF001


def part(name: str, tables: int, fast: ModuleType) -> Callable[[], object]:
    """The call that runs one ``name`` part on ``tables`` seed-shaped tables (the set-up done)."""
    text = json.dumps(bench_json.document_data(tables, "seed"), ensure_ascii=False, indent=2) + "\n"
    document = perftarget.loads(text)
    decoder = fast._DECODERS[perftarget.Document]  # noqa: SLF001
    read = decoder.decode(text)
    write = fast._WRITERS[perftarget.Document]  # noqa: SLF001
    structs = write(document)
    _clear(fast)
    compact = msgspec.json.encode(structs)

    def after(run: Callable[[], object]) -> Callable[[], object]:
        def call() -> object:
            try:
                return run()
            finally:
                _clear(fast)

        return call

    if name.startswith("orjson"):
        if orjson is None:
            msg = "the orjson parts need the bench extra (orjson)"
            raise SystemExit(msg)
        plain = orjson.loads(text)
        return (lambda: orjson.loads(text)) if name == "orjson.loads" else (lambda: orjson.dumps(plain))
    return {
        "load": lambda: perftarget.loads(text),
        "dump": lambda: perftarget.dumps_bytes(document),
        "decode": lambda: decoder.decode(text),
        "keys": lambda: fast._keys_unique(text, read),  # noqa: SLF001
        "build": after(lambda: fast._BUILD_DOCUMENT(read)),  # noqa: SLF001
        "walk": after(lambda: write(document)),
        "encode": lambda: msgspec.json.encode(structs),
        "format": lambda: msgspec.json.format(compact, indent=2),
    }[name]


def _counted(argv: list[str], calls: int) -> int:
    """Instructions valgrind counts for this script run with ``argv`` and ``calls``."""
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, *argv, "--calls", str(calls),
    ]
    environment = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dict layouts in every run
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)  # noqa: S603
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        msg = f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}"
        raise RuntimeError(msg)
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    """Run a part ``--calls`` times after one warm-up, or with ``--count`` print its instructions per call."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--part", choices=PARTS, default="dump")
    parser.add_argument("--tables", type=int, default=300, help="seed-shaped tables in the document (default 300)")
    parser.add_argument("--calls", type=int, default=1, help="calls after the warm-up one (default 1)")
    parser.add_argument("--writer-from", type=Path, metavar="FAST_PY", help="count this other fast.py instead")
    parser.add_argument("--count", action="store_true", help="run under valgrind twice and print the difference")
    args = parser.parse_args(argv)
    if args.count:
        passed = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--count"]
        once, thrice = _counted(passed, 1), _counted(passed, 3)
        print(f"{args.part}: {(thrice - once) / 2 / 1e6:.2f} M instructions per call ({args.tables} tables)")
        return 0
    call = part(args.part, args.tables, _version(args.writer_from))
    gc.disable()  # as the fast path does for a large document; a small one counts no collection either
    call()
    for _ in range(args.calls):
        call()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
