"""Bad input at the command line and in batches: CSV safe in spreadsheets, unreadable names reported,
signals that leave no temporary file or worker behind, errors that name the right place, no traceback.

Every input is built here, small; nothing large is stored in the repository.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perftarget as pt
from perftarget._codec.convert import from_dict, to_dict
from perftarget._files import atomic_writer, remove_stale_temporaries, temporary_beside, temporary_name
from perftarget.batch import csv_cell, csv_rows, find_documents, process_folder, process_frame, terminate_as_exit
from perftarget.cli import EXIT_BAD_INPUT, main

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
SEED = ROOT / "examples" / "petition-bureau.toml"
ACTUALS = ROOT / "examples" / "petition-bureau-actuals.toml"
SEED_CODE = "13063722P0041681003"
SPENDING = f"""schema_version = 1
as_of = "2022-07-31"

[[projects]]
project = "{SEED_CODE}"
spent = "1.0"
"""
POSIX = pytest.mark.skipif(os.name != "posix", reason="signals, FIFOs and symbolic links as on POSIX")
FORK = pytest.mark.skipif(
    os.name != "posix" or multiprocessing.get_start_method(allow_none=False) != "fork",
    reason="the slowed-down workers are inherited through fork",
)
TEMPORARY = re.compile(r"\..+\.perftarget-[0-9a-f]{6}-(?P<pid>[0-9]+)-[0-9a-f]{8}\.tmp")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def temporaries(folder: Path) -> list[str]:
    """The temporary files in a folder (any hidden .tmp file, ours or not)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


def _is_number(text: str) -> bool:
    """A number written out in ASCII (Decimal also takes ``1_000`` and other scripts' digits)."""
    if not text.isascii() or "_" in text:
        return False
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in {"inf", "infinity", "nan", "snan"}


# --- CSV cells a spreadsheet will not run ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-12.5", "-12.5"),  # a negative amount written out in full stays a number
        ("+3", "+3"),
        ("1E+5", "1E+5"),
        ("-.5", "-.5"),
        ("群众来访接待劝返率", "群众来访接待劝返率"),
        ("", ""),
        (-3, -3),  # int columns (counts) are never touched
        (True, True),
    ],
)
def test_csv_cell(value, written):
    assert csv_cell(value) == written


@given(st.text(max_size=20))
def test_a_csv_cell_never_starts_a_formula_and_loses_nothing(text):
    """What starts like a formula gets one leading quote; a number or any other text is kept as it is."""
    cell = csv_cell(text)
    assert isinstance(cell, str)
    if cell != text:
        assert cell == "'" + text
        assert text.startswith(FORMULA_START)
        assert not _is_number(text)
    else:
        assert not text.startswith(FORMULA_START) or _is_number(text)


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_numbers_as_text_are_kept(number):
    text = str(number)
    assert csv_cell(text) == text


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder with one document whose texts start like formulas, its actuals and its spending."""
    folder = tmp_path / "in"
    folder.mkdir()
    data = to_dict(pt.load(SEED))
    data["projects"][0]["name"] = '=HYPERLINK("http://evil.example","点击")'
    data["projects"][0]["unit"]["name"] = "@SUM(1+1)"
    pt.dump(from_dict(data, pt.Document), folder / "doc.toml")
    actuals = ACTUALS.read_text("utf-8").replace(
        '"群众来访接待劝返率" = "重复来访人数增加', '"群众来访接待劝返率" = "-1+1 重复来访人数增加'
    )
    (folder / "doc.actuals.toml").write_text(actuals, encoding="utf-8")
    (folder / "doc.monitoring.toml").write_text(SPENDING, encoding="utf-8")
    return folder


def test_batch_csv_escapes_texts_and_keeps_numbers(capsys, hostile, tmp_path):
    """check / monitor --out x.csv: a text starting like a formula gets a quote; negative figures stay numbers."""
    assert main(["check", str(hostile), "--out", str(tmp_path / "c.csv"), "--jobs", "1"]) in (0, 1)
    (row,) = read_csv(tmp_path / "c.csv")
    assert row["project_name"] == '\'=HYPERLINK("http://evil.example","点击")'
    assert main(["monitor", str(hostile), "--out", str(tmp_path / "m.csv"), "--jobs", "1"]) in (0, 1)
    (row,) = read_csv(tmp_path / "m.csv")
    assert row["error"] == ""
    assert row["project_name"].startswith("'=")
    negative = [name for name, value in row.items() if value.startswith("-")]
    assert negative  # 1.0 of 10.00 万元 spent by July: behind the plan and the time
    for name in negative:
        Decimal(row[name])  # written as the number, not as text
    capsys.readouterr()


def test_single_document_csv_escapes_texts(capsys, hostile):
    """evaluate FILE --format csv: the reason a user typed cannot run as a formula."""
    code = main(["evaluate", str(hostile / "doc.toml"), "--actuals", str(hostile / "doc.actuals.toml"),
                 "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    cells = [cell for row in rows for cell in row]
    assert "'-1+1 重复来访人数增加；下年加强源头化解，做好接访前研判" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_START) and not _is_number(cell)]


def test_every_cell_of_a_batch_csv_is_safe(hostile, tmp_path):
    """Whatever the columns, no cell of the written file starts a formula (numbers aside)."""
    for operation in ("check", "evaluate", "monitor"):
        for per in ("table", "indicator"):
            out = tmp_path / f"{operation}-{per}.csv"
            process_folder(operation, hostile, csv_path=out, workers=1, per=per)
            with out.open(encoding="utf-8", newline="") as stream:
                cells = [cell for row in csv.reader(stream) for cell in row]
            assert not [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)], (operation, per)


def test_csv_rows_is_csv_cell_on_every_cell():
    assert [list(row) for row in csv_rows([("=1", 2, "-3"), ("@a",), ("a", -1)])] == [["'=1", 2, "-3"], ["'@a"], ["a", -1]]


# --- names in a folder that cannot be read -----------------------------------------------------


@POSIX
def test_links_in_a_loop_and_fifos_in_a_folder_are_rows(capsys, tmp_path):
    """A link to itself, a link to nowhere and a FIFO named .json are each a row naming the path; a
    link back up the tree is not followed (no file twice)."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.toml").write_bytes(SEED.read_bytes())
    (folder / "loop.json").symlink_to("loop.json")
    (folder / "sub" / "a.json").symlink_to("b.json")
    (folder / "sub" / "b.json").symlink_to("a.json")
    (folder / "dangling.toml").symlink_to("nowhere.toml")
    (folder / "sub" / "up").symlink_to("..")
    os.mkfifo(folder / "pipe.json")
    names = {p.relative_to(folder).as_posix() for p in find_documents(folder)}
    assert names == {"ok.toml", "loop.json", "sub/a.json", "sub/b.json", "dangling.toml", "pipe.json"}

    summary = process_folder("check", folder, workers=2)
    reasons = {Path(f.file).relative_to(folder).as_posix(): f.reason for f in summary.failures}
    assert set(reasons) == names - {"ok.toml"}
    assert "Too many levels of symbolic links" in reasons["loop.json"]
    assert "No such file or directory" in reasons["dangling.toml"]
    assert reasons["pipe.json"] == "cannot read the file: it is a FIFO (named pipe), not a file"

    code = main(["check", str(folder), "--out", str(tmp_path / "c.csv")])
    out = capsys.readouterr().out
    assert code == 1
    rows = {Path(row["file"]).name: row["error"] for row in read_csv(tmp_path / "c.csv")}
    assert rows["loop.json"].startswith("cannot read the file:")
    assert f"  {folder / 'loop.json'}: cannot read the file" in out

    (folder / "pipe.json").unlink()  # without --out a FIFO is the text readers' to refuse (below)
    code = main(["check", str(folder)])  # one by one, without --out: reported as unreadable
    out = capsys.readouterr().out
    assert code == EXIT_BAD_INPUT
    assert f"{folder / 'loop.json'}\n  无法读取：cannot read the file" in out  # the label in the output's language


@POSIX
def test_a_link_in_a_loop_given_by_name_is_a_row(capsys, tmp_path):
    """Named on the command line with a good file, a link in a loop is a row; the batch finishes."""
    (tmp_path / "ok.toml").write_bytes(SEED.read_bytes())
    (tmp_path / "loop.toml").symlink_to("loop.toml")
    code = main(["check", str(tmp_path / "ok.toml"), str(tmp_path / "loop.toml"), "--out", str(tmp_path / "r.csv")])
    out = capsys.readouterr().out
    assert code == 1
    assert [row["error"][:21] for row in read_csv(tmp_path / "r.csv")] == ["cannot read the file:", ""]
    assert f"  {tmp_path / 'loop.toml'}: cannot read the file: Too many levels of symbolic links" in out


@POSIX
def test_an_unreadable_companion_is_named(tmp_path):
    """Actuals that are a link in a loop: the row names the actuals file, not the document."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc.toml").write_bytes(SEED.read_bytes())
    (folder / "doc.actuals.toml").symlink_to("doc.actuals.toml")
    (failure,) = process_folder("evaluate", folder, workers=1).failures
    assert failure.reason.startswith(f"{folder / 'doc.actuals.toml'}: cannot read the file:")


# --- the file each error names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("actuals", "expected"),
    [
        ('{"schema_version": 1, "projects": [', "line 1, column 36: invalid JSON"),
        ('{"schema_version": 1, "projects": [{"project": 5}]}', "projects[0].project"),
        ('{"schema_version": 1, "projects": {}}', "projects"),
        (b"\xff\xfe garbage", "not UTF-8 text"),
    ],
)
def test_a_broken_actuals_file_is_named_in_its_row(tmp_path, actuals, expected):
    folder = tmp_path / "in"
    folder.mkdir()
    pt.dump(pt.load(SEED), folder / "doc.json")
    companion = folder / "doc.actuals.json"
    companion.write_bytes(actuals if isinstance(actuals, bytes) else actuals.encode("utf-8"))
    (failure,) = process_folder("evaluate", folder, workers=1).failures
    assert failure.file == str(folder / "doc.json")
    assert failure.reason.startswith(f"{companion}: ")
    assert expected in failure.reason


def test_a_broken_companion_cell_is_named_in_a_frame():
    """In a frame without file names, the row says the actuals (or spending) text is the broken one."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"targets": [SEED.read_text("utf-8")], "actuals": ['{"schema_version": 1, "projects": [']})
    (error,) = process_frame(frame, "evaluate")["error"]
    assert error.startswith("actuals: line 1, column 36: invalid JSON")
    frame = pd.DataFrame({"targets": [SEED.read_text("utf-8")], "monitoring": ["projects = 3"]})
    (error,) = process_frame(frame, "monitor")["error"]
    assert error.startswith("monitoring: projects: expected a list")


def test_convert_into_a_missing_folder_names_the_target(capsys, tmp_path):
    target = tmp_path / "missing" / "dir" / "out.json"
    assert main(["convert", str(SEED), str(target)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err == f"perftarget: error: {target}: No such file or directory\n"


@POSIX
def test_a_write_onto_a_folder_names_the_target_and_leaves_no_temporary(capsys, tmp_path):
    (tmp_path / "out.json").mkdir()
    assert main(["convert", str(SEED), str(tmp_path / "out.json")]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"perftarget: error: {tmp_path / 'out.json'}: Is a directory\n"
    assert temporaries(tmp_path) == []


def _with(data: dict[str, object], path: tuple[object, ...], value: object) -> dict[str, object]:
    changed = copy.deepcopy(data)
    here: object = changed
    for key in path[:-1]:
        here = here[key]  # type: ignore[index]
    here[path[-1]] = value  # type: ignore[index]
    return changed


@pytest.mark.parametrize(
    ("path", "value", "location", "message"),
    [
        (("projects", 0, "budget", "total"), "-1", "projects[0].budget.total", "must not be negative (got -1)"),
        (("projects", 0, "budget", "fiscal"), "-2", "projects[0].budget.fiscal", "must not be negative (got -2)"),
        (("projects", 0, "budget", "total"), "abc", "projects[0].budget.total", "expected a number"),
        (("projects", 0, "goals", 0, "indicators", 1, "weight"), "-3",
         "projects[0].goals[0].indicators[1].weight", "must not be negative (got -3)"),
        (("projects", 0, "goals", 0, "indicators", 0, "level2"), "社会效益指标",
         "projects[0].goals[0].indicators[0]", "level-2 社会效益指标 does not belong to level-1 产出指标"),
        (("projects", 0, "goals", 0, "indicators", 0, "suppressions"), [{"code": "PT301", "reason": " "}],
         "projects[0].goals[0].indicators[0].suppressions[0]", "suppressing PT301 needs a reason"),
        (("projects", 0, "budget", "other"), "5", "projects[0].budget", "budget parts do not add up"),
        (("projects", 0, "year"), "x", "projects[0].year", "expected a whole number"),
        (("projects", 0, "code"), 5, "projects[0].code", "expected text"),
    ],
)
def test_a_model_problem_is_located_at_its_path(path, value, location, message):
    """The place is the Problem's location (a field, or the object a check of several fields is about);
    the message says what, without repeating where."""
    data = _with(to_dict(pt.load(SEED)), path, value)
    with pytest.raises(pt.DocumentError) as caught:
        from_dict(data, pt.Document)
    (problem,) = caught.value.problems
    assert problem.location == location
    assert problem.message.startswith(message)
    assert not problem.message.startswith((f"{path[-1]}:", f"'{path[-1]}'"))


def test_a_model_error_outside_a_document_still_names_the_field():
    with pytest.raises(pt.InvalidValueError, match=r"^total: must not be negative \(got -1\)$") as caught:
        pt.Budget(total="-1")
    assert caught.value.field == "total"


# --- temporary files: named, swept when stale, ignored as input --------------------------------


def _dead_pid() -> int:
    """The id of a process that has ended (and been waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(timeout=60)
    return process.pid


def test_temporary_names_say_whose_they_are(tmp_path):
    name = temporary_name(tmp_path / "x.csv")
    match = TEMPORARY.fullmatch(name)
    assert match is not None
    assert name.startswith(".x.csv.perftarget-")
    assert int(match["pid"]) == os.getpid()


@POSIX
def test_only_stale_temporaries_of_this_machine_are_removed(tmp_path):
    mine = tmp_path / temporary_name(tmp_path / "a.csv")
    host = TEMPORARY.fullmatch(mine.name)
    assert host is not None
    tag = mine.name.split("perftarget-")[1][:6]
    dead = tmp_path / f".a.csv.perftarget-{tag}-{_dead_pid()}-0123abcd.tmp"
    elsewhere = tmp_path / f".a.csv.perftarget-{'0' * 6 if tag != '0' * 6 else '1' * 6}-{_dead_pid()}-0123abcd.tmp"
    user = tmp_path / ".notes.tmp"
    for path in (mine, dead, elsewhere, user):
        path.write_bytes(b"partial")
    assert remove_stale_temporaries(tmp_path) == [dead]
    assert sorted(temporaries(tmp_path)) == sorted(p.name for p in (mine, elsewhere, user))


_KILLED_DUMP = """
import os, signal, sys
import perftarget as pt
document = pt.load(sys.argv[1])
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # killed after writing, before the rename
pt.dump(document, sys.argv[2])
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}


@POSIX
def test_a_dump_killed_outright_loses_nothing_and_its_temporary_is_swept(tmp_path):
    """SIGKILL during dump: the old file is intact, the partial file is recognizable, ignored by a
    batch, and removed by the next write into the folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / "out.json"
    target.write_text("old", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _KILLED_DUMP, str(SEED), str(target)],
                          env=_env(), capture_output=True, timeout=120, check=False)
    assert done.returncode == -signal.SIGKILL
    assert target.read_text("utf-8") == "old"
    (left,) = temporaries(folder)
    match = TEMPORARY.fullmatch(left)
    assert match is not None
    assert left.startswith(".out.json.perftarget-")
    assert find_documents(folder) == [target]  # the temporary file is no input
    pt.dump(pt.load(SEED), folder / "other.json")
    assert temporaries(folder) == []
    assert target.read_text("utf-8") == "old"


@POSIX
def test_sigterm_runs_the_cleanup(tmp_path):
    """Inside terminate_as_exit, SIGTERM raises SystemExit(143): an atomic write removes its temporary file."""
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        pytest.skip("SIGTERM already has a handler here")
    target = tmp_path / "out.json"

    def write_and_be_terminated() -> None:
        with terminate_as_exit(), atomic_writer(target) as stream:
            stream.write(b"partial")
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(200):  # the handler runs between two bytecodes: at once
                time.sleep(0.01)

    with pytest.raises(SystemExit) as caught:
        write_and_be_terminated()
    assert caught.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert list(tmp_path.iterdir()) == []


# --- a batch killed: no temporary file, no orphan worker ----------------------------------------

_SLOW_BATCH = """
import os, sys, time
from pathlib import Path
import perftarget.batch as batch

marks = Path(sys.argv[1])
real = batch._process_file

def slow(task):
    (marks / str(os.getpid())).touch()
    time.sleep(120)  # the test ends this process long before
    return real(task)

batch._process_file = slow
from perftarget.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - pid taken by another user's process
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in {"Z", "X"}  # a zombie has ended


def _children(pid: int) -> set[int]:
    """The children of a process, where Linux lists them (else none: the marks say which workers ran)."""
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found.update(int(child) for child in children.read_text().split())
    return found


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def slow_batch(tmp_path: Path) -> Callable[[], tuple[subprocess.Popen[bytes], Path, set[int]]]:
    """Start `perftarget check IN --out out/r.csv --jobs 2` with workers that hang; return it when both work."""
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(4):
        (folder / f"doc{index}.toml").write_bytes(SEED.read_bytes())
    out, marks = tmp_path / "out", tmp_path / "marks"
    out.mkdir()
    marks.mkdir()
    started: list[subprocess.Popen[bytes]] = []

    def start() -> tuple[subprocess.Popen[bytes], Path, set[int]]:
        process = subprocess.Popen(
            [sys.executable, "-c", _SLOW_BATCH, str(marks), "check", str(folder), "--out", str(out / "r.csv"),
             "--jobs", "2", "--no-progress"],
            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        started.append(process)
        assert _wait_for(lambda: len(list(marks.iterdir())) >= 2 and bool(temporaries(out)), 60)
        workers = {int(p.name) for p in marks.iterdir()} | _children(process.pid)
        return process, out, workers

    yield start
    for process in started:  # the test failed midway: end what it started, by id
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    for mark in marks.iterdir():
        if _alive(int(mark.name)):  # pragma: no cover - only when a worker outlived its batch
            os.kill(int(mark.name), signal.SIGKILL)


@FORK
def test_a_terminated_batch_leaves_no_temporary_file_and_no_worker(slow_batch):
    process, out, workers = slow_batch()
    assert workers
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert b"Traceback" not in err
    assert err.strip() == b"perftarget: terminated; the --out files were left as they were"
    assert list(out.iterdir()) == []  # no temporary file, and no half-written r.csv
    assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 30), [p for p in workers if _alive(p)]


@FORK
def test_a_killed_batch_leaves_no_worker_and_the_next_run_sweeps_its_temporary(capsys, slow_batch):
    process, out, workers = slow_batch()
    process.kill()  # SIGKILL: nothing can run in the parent
    process.communicate(timeout=60)
    assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 30), [p for p in workers if _alive(p)]
    (left,) = temporaries(out)
    match = TEMPORARY.fullmatch(left)
    assert match is not None
    assert int(match["pid"]) == process.pid
    folder = out.parent / "in"
    assert main(["check", str(folder), "--out", str(out / "r.csv"), "--jobs", "1"]) == 0
    capsys.readouterr()
    assert [p.name for p in out.iterdir()] == ["r.csv"]
    assert len(read_csv(out / "r.csv")) == 4


def test_a_temporary_file_beside_the_target_is_made_and_removed_by_name(tmp_path):
    temporary = temporary_beside(tmp_path / "x.csv")
    assert TEMPORARY.fullmatch(temporary.name)
    temporary.unlink()


# --- the command line: exit 2, one line naming the file, never a traceback -----------------------

def _bad_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    made = {
        "gbk": folder / "gbk.toml",
        "garbage": folder / "garbage.json",
        "folder": folder / "folder.toml",
        "missing": folder / "missing.json",
        "deep": folder / "deep.json",
        "year": folder / "year.toml",
    }
    made["gbk"].write_bytes(SEED.read_text("utf-8").encode("gbk"))
    made["garbage"].write_bytes(bytes(range(256)) * 4)
    made["folder"].mkdir(exist_ok=True)
    depth = 100_000
    made["deep"].write_text('{"schema_version": 1, "projects": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    made["year"].write_text(re.sub(r"(?m)^year = 2022$", "year = " + "9" * 5000, SEED.read_text("utf-8")),
                            encoding="utf-8")
    return made


_COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "show": lambda bad, _tmp: ["show", str(bad)],
    "evaluate": lambda bad, _tmp: ["evaluate", str(bad), "--actuals", str(ACTUALS)],
    "actuals": lambda bad, _tmp: ["evaluate", str(SEED), "--actuals", str(bad)],
    "payments": lambda bad, _tmp: ["monitor", str(SEED), "--payments", str(bad), "--as-of", "2022-07-31"],
    "policy": lambda bad, _tmp: ["evaluate", str(SEED), "--actuals", str(ACTUALS), "--policy", str(bad)],
    "convert": lambda bad, tmp: ["convert", str(bad), str(tmp / "out.json")],
}


def _cases() -> list[object]:
    kinds = ("gbk", "garbage", "folder", "missing", "deep", "year")
    return [pytest.param(kind, command, id=f"{kind}-{command}") for kind in kinds for command in _COMMANDS]


@pytest.mark.parametrize(("kind", "command"), _cases())
def test_bad_input_is_one_line_naming_the_file(capsys, tmp_path, kind, command):
    bad = _bad_inputs(tmp_path / "bad")[kind]
    code = main(_COMMANDS[command](bad, tmp_path))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == EXIT_BAD_INPUT, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("perftarget: error: ")
    assert bad.name in lines[0]
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    "kind", ["gbk", "garbage", "folder", "missing", "deep", "year"]
)
def test_bad_input_to_check_is_reported_per_file(capsys, tmp_path, kind):
    """check FILE: an unreadable file is listed with why, exit 2, never a traceback."""
    bad = _bad_inputs(tmp_path / "bad")[kind]
    code = main(["check", str(bad)])
    out, err = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert "Traceback" not in out + err
    assert bad.name in out + err


@pytest.mark.parametrize("kind", ["gbk", "garbage", "missing", "deep", "year"])
def test_bad_input_in_a_batch_is_its_row(tmp_path, kind):
    """The same inputs in a folder: a row each, and the batch finishes."""
    bad = _bad_inputs(tmp_path / "bad")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.toml").write_bytes(SEED.read_bytes())
    if kind == "missing":  # listed, then gone: a link to nowhere
        if os.name != "posix":
            pytest.skip("symbolic links")
        (folder / "missing.json").symlink_to(tmp_path / "nowhere.json")
    else:
        (folder / bad[kind].name).write_bytes(bad[kind].read_bytes())
    summary = process_folder("check", folder, workers=1)
    assert summary.files == 2
    (failure,) = summary.failures
    assert Path(failure.file).parent == folder
    assert failure.reason


_FIFO_RUN = """
import sys
from perftarget.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _opening_a_fifo(pid: int) -> bool:
    """Whether the process waits in open() for the other end of a FIFO (Linux tells; elsewhere: no)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text().strip() == "wait_for_partner"
    except OSError:
        return False


def _run_unblocked(argv: list[str], what: str) -> subprocess.CompletedProcess[str]:
    """Run a command line; fail (after ending it) if it blocks on a FIFO for a second, or runs a minute."""
    process = subprocess.Popen(argv, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, blocked = time.monotonic() + 60, 0
    while process.poll() is None and time.monotonic() < deadline and blocked < 20:
        blocked = blocked + 1 if _opening_a_fifo(process.pid) else 0
        time.sleep(0.05)
    if process.poll() is None:
        process.kill()
        process.communicate(timeout=30)
        pytest.fail(f"{what} blocked on a FIFO")
    out, err = process.communicate(timeout=30)
    assert "Traceback" not in out + err
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


@POSIX
@pytest.mark.parametrize(
    "command",
    [
        "show",
        "convert",
        pytest.param("batch"),
    ],
)
def test_a_fifo_is_refused_without_blocking(tmp_path, command):
    """A FIFO where a file is expected: refused at once (run in a subprocess, so a hang is a failure)."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    argv = {
        "show": ["show", str(fifo)],
        "convert": ["convert", str(fifo), str(tmp_path / "out.toml")],
        "batch": ["check", str(fifo), "--out", str(tmp_path / "r.csv"), "--jobs", "1"],
    }[command]
    done = _run_unblocked([sys.executable, "-c", _FIFO_RUN, *argv], command)
    if command == "batch":
        assert done.returncode == 1
        (row,) = read_csv(tmp_path / "r.csv")
        assert row["error"] == "cannot read the file: it is a FIFO (named pipe), not a file"
        return
    assert done.returncode == EXIT_BAD_INPUT
    (line,) = done.stderr.splitlines()
    assert "pipe.json" in line
