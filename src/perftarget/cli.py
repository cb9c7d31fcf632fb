"""The ``perftarget`` command line.

Exit codes: 0 fine; 1 the check found errors (or, for ``evaluate``/``monitor``, the
input was read but problems were reported); 2 bad input or usage. Bad input never
shows a traceback: one message says which file, where and what was expected.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final, NoReturn, TextIO

from perftarget._display import render_document
from perftarget._model import Document
from perftarget._schema import json_schema
from perftarget._serialization import dump, dumps, load, to_dict
from perftarget.exceptions import PerftargetError

__all__ = ["main"]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2
_SUFFIXES: Final = (".json", ".toml")


class _UsageError(Exception):
    """Wrong arguments: reported as usage, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _files(arguments: Sequence[str]) -> list[Path]:
    """Expand folders (their .json/.toml files, sorted) and glob patterns."""
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file()))
        elif any(ch in argument for ch in "*?[") and not path.exists():
            matches = sorted(Path().glob(argument))
            if not matches:
                raise _UsageError(f"no file matches {argument!r}")
            found.extend(matches)
        else:
            found.append(path)
    if not found:
        raise _UsageError("no input files")
    return found


class Progress:
    """A one-line progress bar on stderr, silent when stderr is not a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = total > 1 and self.stream.isatty()
        self.done = 0

    def step(self, label: str = "") -> None:
        """Count one item done and redraw."""
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // self.total
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label[-40:]:<40}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()

    def wrap(self, paths: Sequence[Path]) -> Iterator[Path]:
        """Iterate ``paths``, advancing the bar after each."""
        for path in paths:
            yield path
            self.step(str(path))


def _cmd_show(args: argparse.Namespace) -> int:
    for path in _files(args.files):
        document = load(path)
        if args.format == "json":
            sys.stdout.write(dumps(document, "json"))
        else:
            sys.stdout.write(render_document(document, args.format, args.lang))
            if args.format == "text":
                sys.stdout.write(_summary(document, args.lang))
    return EXIT_OK


def _summary(document: Document, lang: str) -> str:
    indicators = sum(len(p.indicators) for p in document.projects)
    if lang == "zh":
        return f"\n已读取并校验：{len(document.projects)} 个项目表，{indicators} 个三级指标。\n"
    return f"\nRead and validated: {len(document.projects)} project table(s), {indicators} indicators.\n"


def _cmd_check(args: argparse.Namespace) -> int:
    paths = _files(args.files)
    results: list[dict[str, Any]] = []
    worst = EXIT_OK
    for path in Progress(len(paths)).wrap(paths):
        try:
            load(path)
        except PerftargetError as exc:
            problems = getattr(exc, "problems", ())
            listed = [str(p) for p in problems] if isinstance(problems, tuple) else []
            results.append({"file": str(path), "ok": False, "problems": listed or [str(exc)]})
            worst = EXIT_FINDINGS
            continue
        results.append({"file": str(path), "ok": True, "problems": []})
    if args.format == "json":
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    else:
        for result in results:
            if result["ok"]:
                sys.stdout.write(f"{result['file']}: ok\n")
            else:
                sys.stdout.write(f"{result['file']}:\n")
                sys.stdout.writelines(f"  {p}\n" for p in result["problems"])
    return worst


def _cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=args.indent) + "\n")
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    source, target = Path(args.input), Path(args.output)
    if source.resolve() == target.resolve():
        raise _UsageError("the output must not be the input")
    document = load(source)
    dump(document, target)
    sys.stderr.write(f"wrote {target}\n")
    return EXIT_OK


def _cmd_dict(args: argparse.Namespace) -> int:  # pragma: no cover - debugging aid kept private
    sys.stdout.write(json.dumps(to_dict(load(args.file)), ensure_ascii=False, indent=2, default=str) + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = _Parser(prog="perftarget", description="Chinese budget performance targets (预算绩效目标) as data.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    show = commands.add_parser("show", help="lay out target tables as published")
    show.add_argument("files", nargs="+", metavar="FILE", help="a .toml or .json document, a folder or a glob")
    show.add_argument("--format", choices=["text", "markdown", "json", "html"], default="text")
    show.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the labels")
    show.set_defaults(run=_cmd_show)

    check = commands.add_parser("check", help="validate documents and review them; exit 1 on errors")
    check.add_argument("files", nargs="+", metavar="FILE", help="documents, folders or globs")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(run=_cmd_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of the document format")
    schema.add_argument("--indent", type=int, default=2)
    schema.set_defaults(run=_cmd_schema)

    convert = commands.add_parser("convert", help="convert a document between formats (by suffix)")
    convert.add_argument("input", metavar="IN")
    convert.add_argument("output", metavar="OUT")
    convert.set_defaults(run=_cmd_convert)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("perftarget")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except _UsageError as exc:
        sys.stderr.write(f"perftarget: error: {exc}\n")
        return EXIT_BAD_INPUT
    except PerftargetError as exc:
        sys.stderr.write(f"perftarget: error: {exc}\n")
        return EXIT_BAD_INPUT
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"perftarget: error: {where}{exc.strerror or exc}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # pragma: no cover - `perftarget show | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
