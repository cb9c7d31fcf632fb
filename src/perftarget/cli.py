"""The ``perftarget`` command line.

Exit codes: 0 fine; 1 the check found errors (or, for ``evaluate``/``monitor``, the
input was read but problems were reported); 2 bad input or usage. Bad input never
shows a traceback: one message says which file, where and what was expected.

With ``--out``, ``check``, ``evaluate`` and ``monitor`` process folders of documents on
all cores (:func:`perftarget.batch.process_folder`) and write one result table; exit 1
then means the table was written and some row needs attention (a file or table that
failed, an error finding, an evaluation with problems), 2 that nothing was written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, NoReturn

import attrs

from perftarget._codec.actuals import load_actuals
from perftarget._codec.convert import dump, dumps, load, to_dict
from perftarget._display import display_width, help_text, markdown_table, render_document, text_table
from perftarget._formats.schema import json_schema
from perftarget._judge.evaluate import ProjectEvaluation, ScoringPolicy, evaluate, evaluate_document
from perftarget._judge.monitor import MonitoringReport, load_payments, load_progress, monitor, monitor_series
from perftarget._judge.review import Finding, ReviewConfig, Severity, load_config
from perftarget._model.targets import Document, ProjectTargets
from perftarget._progress import progress_bar
from perftarget.batch import (
    BatchSummary,
    _is_companion,
    _pyarrow,
    csv_rows,
    find_documents,
    process_folder,
    result_columns,
    terminate_as_exit,
)
from perftarget.exceptions import EvaluationError, PerftargetError
from perftarget.report import write as write_report
from perftarget.rules import DEFAULT_RULES, review

__all__ = ["main"]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2
_SUFFIXES: Final = (".json", ".toml")
_WORKBOOK_SUFFIXES: Final = (".xlsx", ".xls", ".ods")
_TABLE_SUFFIXES: Final = (*_SUFFIXES, *_WORKBOOK_SUFFIXES)


def _load(path: str | Path, args: argparse.Namespace | None = None) -> Document:
    """A document from .json, .toml or a workbook (.xlsx; .xls and .ods with the xls extra), with --sheets, --year."""
    if Path(path).suffix.lower() in _WORKBOOK_SUFFIXES:
        from perftarget.excel import read_workbook  # noqa: PLC0415 - optional extra

        sheets = _selectors(getattr(args, "sheets", None))
        return read_workbook(path, sheets=sheets, year=getattr(args, "year", None))
    return load(path)


_CLI_WORDS: Final = (
    # the API's hints, as the command line's options (the API messages name keyword arguments)
    ("read it with read_any_workbook(), or pass sheets= to leave it out",
     "this command reads target tables only: give --sheets with the titles of the sheets to read"),
    ("pass sheets= to read only the others", "give --sheets with the titles of the sheets to read"),
    ("pass sheets=", "give --sheets"),
    ("read it with perftarget.excel.read_workbook() (the excel extra), or convert it with", "convert it with"),
    ("pass year=", "give --year YEAR"),
    ("pass budget= with spent=", "give the department's budget in the actuals file (budget = ...)"),
    ("or use workers=1", "or give --jobs 1"),
)
_ENCODING_HINT: Final = re.compile(r", or read it with encoding='[^']*'")  # the API's; the files given here are UTF-8


def _cli_message(message: str) -> str:
    """An error message with the API's hints put as the command line's options."""
    for api, cli in _CLI_WORDS:
        message = message.replace(api, cli)
    return _ENCODING_HINT.sub("", message)


def _dump(document: Document, path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        from perftarget.excel import write_workbook  # noqa: PLC0415 - optional extra

        write_workbook(document, path)
    else:
        dump(document, path)


class _UsageError(Exception):
    """Wrong arguments: reported as usage, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _in_folder(path: Path) -> bool:
    """A document in a folder: a .json/.toml/.xlsx name, not a companion file, not a folder.

    Companion files (actuals, spending, payments, progress) are told by batch's one rule
    (``X.actuals.toml``, ``X-actuals.toml``, ``X-payments.toml``...); an unreadable file is reported.
    """
    return path.suffix.lower() in _TABLE_SUFFIXES and not _is_companion(path) and not path.is_dir()


def _files(arguments: Sequence[str]) -> list[Path]:
    """Expand folders (their .json/.toml/.xlsx files, sorted) and glob patterns."""
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if _in_folder(p))
            if not inside:
                raise _UsageError(f"{argument}: a folder with no .json, .toml or .xlsx file in it")
            found.extend(inside)
        elif any(ch in argument for ch in "*?[") and not path.exists():
            if path.is_absolute():  # Path().glob takes relative patterns only
                matches = sorted(Path(match) for match in glob.glob(argument, recursive=True))  # noqa: PTH207
            else:
                matches = sorted(Path().glob(argument))
            if not matches:
                raise _UsageError(f"no file matches {argument!r}")
            found.extend(matches)
        else:
            found.append(path)
    if not found:
        raise _UsageError("no input files")
    return found


# --- folders on all cores (--out) ---------------------------------------------------------------

_OUT_SUFFIXES: Final = (".csv", ".parquet")
_SHOWN_FAILURES: Final = 20
_INTERRUPTED: Final = 130


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes (got {value!r})") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 process (got {jobs})")
    return jobs


def _add_batch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("folders on all cores (with --out)")
    group.add_argument("--out", action="append", metavar="FILE",
                       help="write one result table to FILE (.csv or .parquet; give twice for both)")
    group.add_argument("--jobs", type=_jobs, metavar="N", help="processes to use (default: usable cores; 1: no pool)")
    group.add_argument("--per", choices=["table", "indicator"], help="one row per table (default) or per indicator")
    group.add_argument("--progress", action=argparse.BooleanOptionalAction,
                       help="draw a progress bar on stderr (default: when stderr is a terminal)")


def _single_mode(args: argparse.Namespace) -> None:
    """Without --out: refuse the batch-only options; one FILE for evaluate and monitor."""
    parser: argparse.ArgumentParser = args.parser
    for name, given in (("--jobs", args.jobs), ("--per", args.per), ("--progress/--no-progress", args.progress)):
        if given is not None:
            parser.error(f"{name} applies to folders processed with --out FILE")
    if args.command in ("evaluate", "monitor"):
        if len(args.files) > 1:
            parser.error(f"unrecognized arguments: {' '.join(args.files[1:])} (several documents need --out FILE)")
        args.file = args.files[0]
    if args.command == "evaluate" and args.actuals is None:
        parser.error("the following arguments are required: --actuals")
    if args.format is None:
        args.format = "text"


_BATCH_NOTE: Final = {
    "check": "the documents are .json or .toml files, and the results go to the --out file(s)",
    "evaluate": "each document X.json (X.toml) is read with X.actuals.json (X.actuals.toml) beside it, "
                "and the results go to the --out file(s)",
    "monitor": "each document X.json (X.toml) is read with X.monitoring.json (X.monitoring.toml) beside it, "
               "and the results go to the --out file(s)",
}


def _refuse(args: argparse.Namespace, flags: list[tuple[str, str]]) -> None:
    """Refuse the single-document options in batch mode, as a usage error."""
    given = [flag for attribute, flag in flags if getattr(args, attribute, None) not in (None, False)]
    if given:
        parser: argparse.ArgumentParser = args.parser
        parser.error(f"{', '.join(given)} cannot be used with --out: {_BATCH_NOTE[args.command]}")


def _outputs(args: argparse.Namespace) -> dict[str, Path]:
    """The --out files by suffix, checked before any work: a known suffix, a writable folder, pyarrow."""
    parser: argparse.ArgumentParser = args.parser
    outputs: dict[str, Path] = {}
    for value in args.out:
        path = Path(value)
        suffix = path.suffix.lower()
        if suffix not in _OUT_SUFFIXES:
            parser.error(f"--out {value}: expected a file ending in .csv or .parquet")
        if suffix in outputs:
            parser.error(f"--out {value}: one {suffix} file at most (already {outputs[suffix]})")
        folder = path.parent
        if not folder.is_dir():
            raise _UsageError(f"cannot write {value}: the folder {folder} does not exist")
        if path.is_dir():
            raise _UsageError(f"cannot write {value}: it is a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise _UsageError(f"cannot write {value}: the folder {folder} is not writable")
        if suffix == ".parquet":
            _pyarrow(f"--out {value}")
        outputs[suffix] = path
    return outputs


def _batch_inputs(arguments: Sequence[str]) -> list[Path]:
    """Folders, files and globs; the targets documents they hold (companion files left out)."""
    given: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.exists() or path.is_symlink():  # a link in a loop or to nowhere: its row says so
            given.append(path)
        elif any(ch in argument for ch in "*?["):
            matches = [
                Path(match) for match in sorted(glob.glob(argument, recursive=True))  # noqa: PTH207 - absolute patterns too
                if Path(match).is_dir() or (Path(match).suffix.lower() in _SUFFIXES and not _is_companion(Path(match)))
            ]
            if not matches:
                raise _UsageError(f"no file matches {argument!r}")
            given.extend(matches)
        else:
            raise _UsageError(f"{argument}: no such file or folder")
    documents = find_documents(given)
    if not documents:
        raise _UsageError(f"no targets documents (.json or .toml) in {', '.join(arguments)}")
    return documents


_COUNT_COLUMNS: Final = (("errors", Severity.ERROR), ("warnings", Severity.WARNING), ("infos", Severity.INFO))


class _Tally:
    """Counts, from the rows as they are written, what decides the exit code."""

    def __init__(self, command: str, per: str, columns: Sequence[str]) -> None:
        self.command = command
        self.per = per
        self.index = {name: i for i, name in enumerate(columns)}
        self.severities = dict.fromkeys(Severity, 0)
        self.flagged = 0
        flag = {"evaluate": "problems", "monitor": "findings"}.get(command) if per == "table" else None
        self.flag = None if flag is None else self.index[flag]

    def add(self, _file: str, rows: list[tuple[object, ...]]) -> None:
        index = self.index
        for row in rows:
            if self.command == "check" and self.per == "table":
                for name, severity in _COUNT_COLUMNS:
                    count = row[index[name]]
                    self.severities[severity] += count if isinstance(count, int) else 0
            elif self.command == "check" and row[index["severity"]]:
                self.severities[Severity(row[index["severity"]])] += 1
            elif self.flag is not None and row[self.flag]:
                self.flagged += 1


_BATCH_WORDS: Final = {
    "en": {
        "written": "{files} file(s), {rows} row(s) written to {written}; {failures} failure(s)\n",
        "more": "  ... and {more} more (see the error column)\n",
        "review": "review: {counts}\n",
        "evaluate": "{flagged} table(s) with problems (problems column)\n",
        "monitor": "{flagged} table(s) with findings (findings column)\n",
    },
    "zh": {
        "written": "{files} 个文件，{rows} 行写入 {written}；{failures} 个失败\n",
        "more": "  ……另有 {more} 个（见 error 列）\n",
        "review": "审核：{counts}\n",
        "evaluate": "{flagged} 个表有问题（problems 列）\n",
        "monitor": "{flagged} 个表有监控发现（findings 列）\n",
    },
}


def _report(summary: BatchSummary, tally: _Tally, outputs: Sequence[Path], lang: str) -> None:
    words = _BATCH_WORDS[lang]
    failures = summary.failures
    written = ", ".join(str(path) for path in outputs)
    sys.stdout.write(
        words["written"].format(files=summary.files, rows=summary.rows, written=written, failures=len(failures))
    )
    for failure in failures[:_SHOWN_FAILURES]:
        sys.stdout.write(f"  {failure}\n")
    if len(failures) > _SHOWN_FAILURES:
        sys.stdout.write(words["more"].format(more=len(failures) - _SHOWN_FAILURES))
    if tally.command == "check":
        sys.stdout.write(words["review"].format(counts=_tallied(tally.severities, lang)))
    elif tally.per == "table":
        sys.stdout.write(words[tally.command].format(flagged=tally.flagged))


def _cmd_batch(args: argparse.Namespace) -> int:
    """check/evaluate/monitor with --out: a folder on all cores, one result table."""
    command: str = args.command
    _refuse(args, {
        "check": [("format", "--format")],
        "evaluate": [("actuals", "--actuals"), ("spent", "--spent"), ("project", "--project"), ("format", "--format")],
        "monitor": [("spent", "--spent"), ("payments", "--payments"), ("indicators", "--indicators"),
                    ("monthly", "--monthly"), ("project", "--project"), ("format", "--format")],
    }[command] + [("sheets", "--sheets"), ("year", "--year")])
    outputs = _outputs(args)
    per = args.per or "table"
    options: dict[str, Any] = {"per": per}
    if command == "check":
        config = _config(args)
        select, ignore = _selectors(args.select), _selectors(args.ignore)
        review(Document(), select=select, ignore=ignore, config=config)  # an unknown rule code: exit 2 now
        options.update(select=None if select is None else tuple(select),
                       ignore=None if ignore is None else tuple(ignore), config=config)
    elif command == "evaluate" and args.policy is not None:
        _policy(args.policy)  # an unknown name or a bad policy file: exit 2 now, not a failure per table
        options["policy"] = args.policy
    elif command == "monitor" and args.as_of:
        if len(args.as_of) > 1:
            args.parser.error("one --as-of date with --out (the month-by-month view is for one document)")
        try:
            options["as_of"] = dt.date.fromisoformat(args.as_of[0])
        except ValueError:
            args.parser.error(f"--as-of {args.as_of[0]}: with --out, give a date such as 2023-07-31 "
                              "(documents may be of different years)")
    documents = _batch_inputs(args.files)
    tally = _Tally(command, per, result_columns(command, per))  # type: ignore[arg-type]
    try:
        summary = process_folder(
            command,  # type: ignore[arg-type]
            documents,
            csv_path=outputs.get(".csv"), parquet_path=outputs.get(".parquet"),
            workers=args.jobs, progress=args.progress, on_rows=tally.add, **options,
        )
    except KeyboardInterrupt:
        sys.stderr.write("\nperftarget: interrupted; the --out files were left as they were\n")
        return _INTERRUPTED
    except SystemExit:  # SIGTERM (terminate_as_exit): the workers are stopped, the temporary files removed
        sys.stderr.write("\nperftarget: terminated; the --out files were left as they were\n")
        raise
    _report(summary, tally, list(outputs.values()), args.lang)
    flagged = (
        not summary.ok
        or tally.severities[Severity.ERROR] > 0
        or (tally.flagged > 0 and (command == "evaluate" or (command == "monitor" and args.strict)))
    )
    return EXIT_FINDINGS if flagged else EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    for path in _files(args.files):
        document = _load(path, args)
        if args.format == "json":
            sys.stdout.write(dumps(document, "json"))
        else:
            sys.stdout.write(render_document(document, args.format, args.lang))
            if args.format == "text":
                sys.stdout.write(_summary(document, args.lang))
    return EXIT_OK


def _summary(document: Document, lang: str) -> str:
    indicators = sum(len(p.indicators) for p in document.projects)
    findings = _counts(review(document), lang)
    if lang == "zh":
        return (
            f"\n已读取并校验：{len(document.projects)} 个项目表，{indicators} 个三级指标。"
            f"审核：{findings}（perftarget check 查看详情）。\n"
        )
    return (
        f"\nRead and validated: {len(document.projects)} project table(s), {indicators} indicators. "
        f"Review: {findings} (details: perftarget check).\n"
    )


def _config(args: argparse.Namespace) -> ReviewConfig | None:
    """The review configuration: --config, else perftarget.toml or pyproject.toml in the working folder.

    ``--profile`` replaces the file's ``profile``.
    """
    config: ReviewConfig | None = None
    if args.config is not None:
        config = load_config(args.config)
    else:
        for name in ("perftarget.toml", "pyproject.toml"):
            if Path(name).is_file():
                config = load_config(name)
                break
    if args.profile is not None:
        config = attrs.evolve(config or ReviewConfig(), profile=args.profile)
    return config


def _selectors(values: Sequence[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _counts(findings: Sequence[Finding], lang: str, unreadable: int = 0) -> str:
    tally = dict.fromkeys(Severity, 0)
    for finding in findings:
        tally[finding.severity] += 1
    return _tallied(tally, lang, unreadable)


def _tallied(tally: dict[Severity, int], lang: str, unreadable: int = 0) -> str:
    """The counts by severity; a file that could not be read counts as an error, and is said to."""
    errors, warnings, infos = tally[Severity.ERROR] + unreadable, tally[Severity.WARNING], tally[Severity.INFO]
    if lang == "zh":
        why = f"（其中 {unreadable} 个文件无法读取）" if unreadable else ""
        return f"{errors} 个错误{why}，{warnings} 个警告，{infos} 个提示"
    why = f" ({unreadable} file(s) could not be read)" if unreadable else ""
    return f"{errors} errors{why}, {warnings} warnings, {infos} info"


def _check_one(path: Path, args: argparse.Namespace, config: ReviewConfig | None) -> dict[str, Any]:
    """One file's check: readable with its findings, or the problems that stopped reading it."""
    try:
        document = _load(path, args)
    except PerftargetError as exc:
        problems = getattr(exc, "problems", None)
        listed = [str(p) for p in problems] if isinstance(problems, tuple) and problems else [str(exc)]
        return {"file": str(path), "readable": False, "problems": [_cli_message(p) for p in listed], "findings": []}
    findings = review(document, select=_selectors(args.select), ignore=_selectors(args.ignore), config=config)
    return {"file": str(path), "readable": True, "problems": [], "findings": findings}


def _cmd_check(args: argparse.Namespace) -> int:
    paths = _files(args.files)
    config = _config(args)
    results: list[dict[str, Any]] = []
    with progress_bar(len(paths) if len(paths) > 1 else 0, sys.stderr if sys.stderr.isatty() else None) as bar:
        for path in paths:
            results.append(_check_one(path, args, config))
            bar.advance(str(path)[-40:])
    worst = EXIT_OK
    for result in results:
        if not result["readable"]:
            worst = EXIT_BAD_INPUT
        elif worst != EXIT_BAD_INPUT and any(f.severity is Severity.ERROR for f in result["findings"]):
            worst = EXIT_FINDINGS
    if args.format == "json":
        payload = [{**r, "findings": [to_dict(f) for f in r["findings"]]} for r in results]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return worst
    every: list[Finding] = []
    for result in results:
        sys.stdout.write(f"{result['file']}\n")
        if not result["readable"]:  # in the language of the reasons (the readers' messages are English)
            label = "无法读取：" if args.lang == "zh" else "cannot read: "
            sys.stdout.writelines(f"  {label}{p}\n" for p in result["problems"])
            continue
        for finding in result["findings"]:  # one language: the message and help in args.lang
            zh = args.lang == "zh"
            message, fix = (finding.message if zh else finding.message_en), help_text(finding, args.lang)
            severity = finding.severity.label if zh else f"{finding.severity.value:<7}"  # 错误, 警告, 提示: one width
            sys.stdout.write(f"  {finding.code} {severity} {finding.path}\n      {message}\n")
            if args.show_help and fix:
                sys.stdout.write(f"      {'修改建议：' if zh else 'help: '}{fix}\n")
        every.extend(result["findings"])
    unreadable = sum(not result["readable"] for result in results)
    sys.stdout.write(f"\n{_counts(every, args.lang, unreadable)}\n")
    return worst


def _write_rows(rows: Sequence[dict[str, str]], fmt: str) -> None:
    if not rows:
        return
    header = list(rows[0])
    cells = [[str(row.get(column, "")) for column in header] for row in rows]
    if fmt == "csv":
        import csv  # noqa: PLC0415 - only for this format

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows(csv_rows([header, *cells]))  # the one CSV cell rule (formulas as text)
    elif fmt == "markdown":
        sys.stdout.write(markdown_table(header, cells) + "\n")
    else:
        sys.stdout.write(text_table(header, cells) + "\n")


def _policy(value: str | None) -> ScoringPolicy | None:
    if value is None:
        return None
    if value in ScoringPolicy.presets():
        return ScoringPolicy.preset(value)
    if Path(value).suffix.lower() in _SUFFIXES:
        return ScoringPolicy.load(value)
    raise _UsageError(f"unknown policy {value!r}; presets: {', '.join(ScoringPolicy.presets())}, or a .toml/.json file")


def _project(document: Document, code: str | None) -> ProjectTargets:
    if code is not None:
        try:
            return document.project(code)
        except KeyError:
            raise _UsageError(f"no project {code!r} in the document") from None
    if len(document.projects) != 1:
        codes = ", ".join(p.code for p in document.projects) or "none"
        raise _UsageError(f"the document has {len(document.projects)} projects ({codes}); choose one with --project")
    return document.projects[0]


_EVALUATION_WORDS: Final = {
    "zh": {
        "title": "{name} 项目支出绩效自评表",
        "total": "\n总分 {total}  等级 {grade}  预算执行率 {rate}\n",
        "explain": "需填写偏差原因分析: {names}\n",
        "problem": "问题: {problem}\n",
        "goal": "年度总体目标 预期目标: {text}\n",
        "outcome": "年度总体目标 实际完成情况: {text}\n",
    },
    "en": {
        "title": "{name}: self-evaluation of project spending",
        "total": "\nTotal {total}  Grade {grade}  Budget execution rate {rate}\n",
        "explain": "Deviation analysis needed for: {names}\n",
        "problem": "problem: {problem}\n",
        "goal": "Overall goal, expected: {text}\n",
        "outcome": "Overall goal, actual outcome: {text}\n",
    },
}


def _show_evaluation(evaluation: ProjectEvaluation, fmt: str, lang: str) -> None:
    words = _EVALUATION_WORDS[lang]
    if fmt == "text":
        title = words["title"].format(name=evaluation.name)
        sys.stdout.write(f"{title}\n{'=' * display_width(title)}\n")
    _write_rows(evaluation.to_rows(lang=lang), fmt)  # type: ignore[arg-type]
    if fmt != "csv":
        grade = evaluation.grade.value if lang == "zh" else evaluation.grade.english
        sys.stdout.write(words["total"].format(total=evaluation.display_total(), grade=grade,
                                               rate=evaluation.display_rate() or "-"))
        note = evaluation.rounding_note(lang)  # type: ignore[arg-type]
        if note:
            sys.stdout.write(f"{note}\n")
        for key, text in (("goal", evaluation.goal), ("outcome", evaluation.outcome)):
            if text:  # the 年度总体目标 row
                sys.stdout.write(words[key].format(text=" ".join(text.split("\n"))))
        explain = [item.name for item in evaluation.missing_explanations]
        if explain:
            sys.stdout.write(words["explain"].format(names="、".join(explain)))
        for problem in evaluation.problems:
            sys.stdout.write(words["problem"].format(problem=problem))


def _misfit(exc: EvaluationError, actuals: str, document: str) -> _UsageError:
    """Actuals that cannot be scored: the actuals file is to blame, against the targets document."""
    problems = [str(problem) for problem in exc.problems]
    if len(problems) == 1:
        return _UsageError(f"{actuals} (actuals for {document}): {problems[0]}")
    listed = "".join(f"\n  {problem}" for problem in problems)
    return _UsageError(f"{actuals} (actuals for {document}): {len(problems)} problems:{listed}")


def _cmd_evaluate(args: argparse.Namespace) -> int:
    document = _load(args.file, args)
    policy = _policy(args.policy)
    actuals = load_actuals(args.actuals)
    try:
        if args.spent is not None:
            project = _project(document, args.project)
            entry = actuals.for_project(project.code, project.name)
            if entry is None:
                raise _UsageError(f"{args.actuals}: no actuals for project {project.code}")
            evaluations = [evaluate(project, entry, spent=args.spent, policy=policy, strict=not args.lenient)]
            problems: tuple[object, ...] = ()
        else:
            result = evaluate_document(document, actuals, policy=policy, strict=not args.lenient)
            evaluations = list(result.projects)
            if args.project is not None:
                evaluations = [e for e in evaluations if args.project in (e.code, e.name)]
            problems = tuple(result.problems)
    except EvaluationError as exc:
        raise _misfit(exc, args.actuals, args.file) from None
    if args.format == "json":
        sys.stdout.write(json.dumps([to_dict(e) for e in evaluations], ensure_ascii=False, indent=2) + "\n")
    else:
        for evaluation in evaluations:
            _show_evaluation(evaluation, args.format, args.lang)
        for problem in problems:
            sys.stderr.write(_EVALUATION_WORDS[args.lang]["problem"].format(problem=problem))
    flagged = problems or any(e.problems for e in evaluations)
    return EXIT_FINDINGS if flagged else EXIT_OK


def _series_rows(reports: Sequence[MonitoringReport], lang: str) -> list[dict[str, str]]:
    return [report.series_row(lang=lang) for report in reports]  # type: ignore[arg-type]


def _monitoring_rows(report: MonitoringReport, lang: str) -> list[dict[str, str]]:
    """The monitoring table; without indicator progress, only its money columns (the others would be empty)."""
    rows = list(report.to_rows(lang=lang))  # type: ignore[arg-type]
    if report.indicators:
        return rows
    return [dict(list(row.items())[:_MONEY_COLUMNS]) for row in rows]


_MONEY_COLUMNS: Final = 4  # 年度预算数, 截至当期执行数, 执行率, 全年预计执行数


def _cmd_monitor(args: argparse.Namespace) -> int:
    document = _load(args.file, args)
    project = _project(document, args.project)
    if (args.spent is None) == (args.payments is None):
        raise _UsageError("give either --spent AMOUNT or --payments FILE")
    progress = None if args.indicators is None else load_progress(args.indicators)
    if args.spent is not None:
        if args.monthly or len(args.as_of or ()) > 1:
            raise _UsageError("a series of dates needs --payments (dated spending)")
        if not args.as_of:
            raise _UsageError("--as-of DATE is required (there is no hidden clock)")
        reports = [monitor(project, spent=args.spent, as_of=args.as_of[0], progress=progress)]
    else:
        payments = load_payments(args.payments)
        if args.monthly or len(args.as_of or ()) > 1:
            reports = list(monitor_series(project, payments=payments, dates=args.as_of or None, progress=progress))
        elif args.as_of:
            reports = [monitor(project, spent=payments, as_of=args.as_of[0], progress=progress)]
        else:
            raise _UsageError("--as-of DATE is required (there is no hidden clock); or --monthly")
    series = len(reports) > 1
    if args.format == "json":
        sys.stdout.write(json.dumps([to_dict(r) for r in reports], ensure_ascii=False, indent=2) + "\n")
    elif series:
        _write_rows(_series_rows(reports, args.lang), args.format)
    else:
        (report,) = reports
        if args.format == "text":
            sys.stdout.write(report.summary(lang=args.lang) + "\n\n")
        _write_rows(_monitoring_rows(report, args.lang), args.format)
    return EXIT_FINDINGS if any(r.findings for r in reports) and args.strict else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=args.indent) + "\n")
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    source, target = Path(args.input), Path(args.output)
    if source.resolve() == target.resolve():
        raise _UsageError("the output must not be the input")
    document = _load(source, args)
    _dump(document, target)
    sys.stderr.write(f"已写入 {target}\n" if args.lang == "zh" else f"wrote {target}\n")
    return EXIT_OK


def _cmd_dict(args: argparse.Namespace) -> int:  # pragma: no cover - debugging aid kept private
    sys.stdout.write(json.dumps(to_dict(load(args.file)), ensure_ascii=False, indent=2, default=str) + "\n")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    """One page (HTML, or Markdown for .md) with the tables, review, monitoring and self-evaluation."""
    path = write_report(
        args.report_out, _load(args.file), fmt=args.format, lang=args.lang, charts=not args.no_charts,
        actuals=args.actuals, as_of=args.as_of, spent=args.spent, payments=args.payments,
        project=args.project, policy=_policy(args.policy), source=args.file,
    )
    sys.stderr.write(f"wrote {path}\n")
    return EXIT_OK


def _add_report_command(commands: Any) -> None:  # noqa: ANN401 - argparse's subparsers action
    """Register ``perftarget report``."""
    report = commands.add_parser("report", help="one printable page: tables, review, monitoring, self-evaluation")
    report.add_argument("file", metavar="FILE", help="the targets document (.toml, .json or .xlsx)")
    report.add_argument("--out", dest="report_out", required=True, metavar="PATH",
                        help="the page to write: .html (self-contained, charts as SVG) or .md")
    report.add_argument("--actuals", metavar="ACTUALS", help="an actuals file: adds the self-evaluation (绩效自评)")
    report_spent = report.add_mutually_exclusive_group()
    report_spent.add_argument("--spent", metavar="X", help="amount spent by --as-of (万元, or text such as 40000元)")
    report_spent.add_argument("--payments", metavar="P", help="a file of dated payments: adds the spending chart")
    report.add_argument("--as-of", metavar="DATE", help="date of the monitoring (绩效运行监控): 2022-07-31, 7月底")
    report.add_argument("--project", metavar="CODE", help="the project to monitor (code or name)")
    report.add_argument("--policy", metavar="NAME|FILE", help="a scoring preset or a policy file")
    report.add_argument("--format", choices=["html", "markdown"], help="default: by the suffix of --out")
    report.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the labels")
    report.add_argument("--no-charts", action="store_true", help="leave the charts out")
    report.set_defaults(run=_cmd_report)


def _add_reading_options(parser: argparse.ArgumentParser, lang_help: str = "language of the output") -> None:
    """--lang, and the options of reading a workbook (.xlsx), on every command that reads documents."""
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help=f"{lang_help} (default: zh)")
    group = parser.add_argument_group("Excel workbooks (.xlsx)")
    group.add_argument("--sheets", action="append", metavar="TITLES",
                       help="read only these sheets (titles, comma-separated; may be repeated)")
    group.add_argument("--year", type=int, metavar="YEAR", help="the budget year of tables that give none")


def _add_monitor(commands: Any) -> None:  # noqa: ANN401 - argparse's subparsers action is private
    monitor_parser = commands.add_parser("monitor", help="spending and targets against the plan (绩效运行监控)")
    monitor_parser.add_argument("files", nargs="+", metavar="FILE",
                                help="the targets document; with --out, documents, folders or globs")
    spent_group = monitor_parser.add_mutually_exclusive_group()
    spent_group.add_argument("--spent", metavar="X", help="amount spent by the date (万元, or text such as 40000元)")
    spent_group.add_argument("--payments", metavar="P", help="a file of dated payments (.toml/.json)")
    monitor_parser.add_argument("--indicators", metavar="FILE",
                                help="values to date of indicators (.toml/.json with a [progress] table), "
                                     "as the API's progress=")
    monitor_parser.add_argument("--as-of", nargs="+", metavar="DATE", help="date(s) of the check: 2022-07-31, 7月底")
    monitor_parser.add_argument("--monthly", action="store_true", help="month-by-month view (with --payments)")
    monitor_parser.add_argument("--project", metavar="CODE", help="the project (code or name)")
    monitor_parser.add_argument("--format", choices=["text", "markdown", "csv", "json"], help="default: text")
    monitor_parser.add_argument("--strict", action="store_true", help="exit 1 when the report has findings")
    _add_reading_options(monitor_parser)
    _add_batch_options(monitor_parser)
    monitor_parser.set_defaults(run=_cmd_monitor, parser=monitor_parser)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = _Parser(prog="perftarget", description="Chinese budget performance targets (预算绩效目标) as data.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    show = commands.add_parser("show", help="lay out target tables as published")
    show.add_argument("files", nargs="+", metavar="FILE", help="a .toml or .json document, a folder or a glob")
    show.add_argument("--format", choices=["text", "markdown", "json", "html"], default="text")
    _add_reading_options(show, "language of the labels")
    show.set_defaults(run=_cmd_show)

    check = commands.add_parser("check", help="review documents (审核); exit 1 when a finding is an error")
    check.add_argument("files", nargs="+", metavar="FILE", help="documents, folders or globs")
    check.add_argument("--format", choices=["text", "json"], help="text (default) or json")
    check.add_argument("--select", action="append", metavar="CODES", help="only these rules (codes or prefixes)")
    check.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules (codes or prefixes)")
    check.add_argument("--config", metavar="FILE", help="a pyproject.toml or perftarget.toml with [tool.perftarget]")
    check.add_argument(
        "--profile",
        choices=["auto", *(profile.name for profile in DEFAULT_RULES.profiles)],
        help="the rules that fit this table form (default auto: each table's form)",
    )
    _add_reading_options(check, "language of the messages")
    check.add_argument("--show-help", action="store_true", help="print how to fix each finding")
    _add_batch_options(check)
    check.set_defaults(run=_cmd_check, parser=check)

    schema = commands.add_parser("schema", help="print the JSON Schema of the document format")
    schema.add_argument("--indent", type=int, default=2)
    schema.set_defaults(run=_cmd_schema)

    evaluate_parser = commands.add_parser("evaluate", help="score projects against their actuals (绩效自评)")
    evaluate_parser.add_argument("files", nargs="+", metavar="FILE",
                                 help="the targets document; with --out, documents, folders or globs")
    evaluate_parser.add_argument("--actuals", metavar="ACTUALS", help="the actuals file (.toml/.json); required")
    evaluate_parser.add_argument("--spent", metavar="X", help="full-year amount executed, 万元 (overrides the file)")
    evaluate_parser.add_argument("--project", metavar="CODE", help="only this project (code or name)")
    evaluate_parser.add_argument("--policy", metavar="NAME|FILE", help="a scoring preset or a policy file")
    evaluate_parser.add_argument("--format", choices=["text", "markdown", "csv", "json"], help="default: text")
    evaluate_parser.add_argument("--lenient", action="store_true",
                                 help="score what can be scored, list the rest (always so with --out)")
    _add_reading_options(evaluate_parser)
    _add_batch_options(evaluate_parser)
    evaluate_parser.set_defaults(run=_cmd_evaluate, parser=evaluate_parser)

    _add_monitor(commands)

    convert = commands.add_parser("convert", help="convert between .toml, .json and .xlsx (by suffix)")
    convert.add_argument("input", metavar="IN")
    convert.add_argument("output", metavar="OUT")
    _add_reading_options(convert, "language of the messages")
    convert.set_defaults(run=_cmd_convert)
    _add_report_command(commands)
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
    if getattr(args, "out", None) is not None:
        run = _cmd_batch
    elif hasattr(args, "out"):
        _single_mode(args)
    try:
        with terminate_as_exit():  # SIGTERM: remove the temporary files, stop the workers, exit 143
            return run(args)
    except (_UsageError, PerftargetError) as exc:
        sys.stderr.write(f"perftarget: error: {_cli_message(str(exc))}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # pragma: no cover - `perftarget show | head`
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"perftarget: error: {where}{exc.strerror or exc}\n")
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
