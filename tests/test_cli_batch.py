"""The command line on folders (``--out``): one result table, all cores, failures reported, atomic output."""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import sys
from pathlib import Path

import attrs
import pytest

import perftarget as pt
from perftarget._values import toml as _toml
from perftarget.batch import result_columns
from perftarget.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "petition-bureau.toml"
ACTUALS = ROOT / "examples" / "petition-bureau-actuals.toml"
SEED_CODE = "13063722P0041681003"
SECOND_CODE = "13063722P0041681099"
SPENDING_TOML = """schema_version = 1
as_of = "2022-07-31"

[[projects]]
project = "13063722P0041681003"
payments = [{date = "2022-03-15", amount = "2.0"}, {date = "2022-06-20", amount = "2.0"}]
progress = {"群众来访接待劝返率" = "96%"}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> str:
    """Run a command line that must be refused as usage (exit 2); return stderr."""
    with pytest.raises(SystemExit) as caught:
        main([str(arg) for arg in argv])
    assert caught.value.code == EXIT_BAD_INPUT
    return capsys.readouterr().err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _second_document() -> pt.Document:
    """The seed with another project code and name, as a second unit's table."""
    seed = pt.load(SEED)
    project = attrs.evolve(seed.projects[0], code=SECOND_CODE, name="第二个项目")
    return attrs.evolve(seed, projects=(project,))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two documents with their companions: ``boye.toml`` (TOML) and ``county/second.json`` (JSON)."""
    root = tmp_path / "tables"
    (root / "county").mkdir(parents=True)
    shutil.copy(SEED, root / "boye.toml")
    shutil.copy(ACTUALS, root / "boye.actuals.toml")
    (root / "boye.monitoring.toml").write_text(SPENDING_TOML, encoding="utf-8")
    pt.dump(_second_document(), root / "county" / "second.json")
    actuals = _toml.loads(ACTUALS.read_text("utf-8"))
    actuals["projects"][0]["project"] = SECOND_CODE
    (root / "county" / "second.actuals.json").write_text(
        json.dumps(actuals, ensure_ascii=False, default=str), encoding="utf-8"
    )
    spending = _toml.loads(SPENDING_TOML.replace(SEED_CODE, SECOND_CODE))
    (root / "county" / "second.monitoring.json").write_text(
        json.dumps(spending, ensure_ascii=False, default=str), encoding="utf-8"
    )
    return root


def test_check_writes_csv_and_parquet(capsys, folder, tmp_path):
    """check DIR --out a.csv --out a.parquet: one row per table in both files, and a summary."""
    pq = pytest.importorskip("pyarrow.parquet")
    code, out, err = run(capsys, "check", folder, "--out", tmp_path / "r.csv", "--out", tmp_path / "r.parquet")
    assert code == EXIT_OK
    rows = read_csv(tmp_path / "r.csv")
    assert list(rows[0]) == list(result_columns("check", "table"))
    assert [row["project_code"] for row in rows] == [SEED_CODE, SECOND_CODE]
    assert [row["file"] for row in rows] == [str(folder / "boye.toml"), str(folder / "county" / "second.json")]
    assert all(row["errors"] == "0" and row["warnings"] == "5" and row["error"] == "" for row in rows)
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.column_names == list(result_columns("check", "table"))
    assert table.to_pylist() == [{**row, "year": 2022, "indicators": 9, "errors": 0, "warnings": 5, "infos": 4}
                                 for row in rows]
    written = f"{tmp_path / 'r.csv'}, {tmp_path / 'r.parquet'}"
    assert out.splitlines()[0] == f"2 个文件，2 行写入 {written}；0 个失败"  # the report follows --lang
    assert "审核：0 个错误，10 个警告，8 个提示" in out
    assert err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.parquet", "tables"]


def test_evaluate_per_indicator(capsys, folder, tmp_path):
    """--per indicator gives one row per indicator, with the score and its formula."""
    code, _, _ = run(capsys, "evaluate", folder, "--out", tmp_path / "e.csv", "--per", "indicator", "--jobs", "1")
    assert code == EXIT_OK
    rows = read_csv(tmp_path / "e.csv")
    assert list(rows[0]) == list(result_columns("evaluate", "indicator"))
    assert len(rows) == 18
    assert {row["project_code"] for row in rows} == {SEED_CODE, SECOND_CODE}
    first = rows[1]
    assert (first["indicator"], first["formula"]) == ("群众来访接待劝返率", "93 / 95 × 12.5 ≈ 12.24")


def test_evaluate_per_table_matches_the_single_document_command(capsys, folder, tmp_path):
    """A table's row carries the total and grade that evaluate FILE --actuals prints."""
    code, _, _ = run(capsys, "evaluate", folder, "--out", tmp_path / "e.csv")
    assert code == EXIT_OK
    rows = read_csv(tmp_path / "e.csv")
    assert [(row["grade"], row["total"][:5], row["problems"]) for row in rows] == [("优", "94.23", "0")] * 2
    code, out, _ = run(capsys, "evaluate", folder / "boye.toml", "--actuals", folder / "boye.actuals.toml")
    assert code == EXIT_OK
    assert "总分 94.23  等级 优  预算执行率 92.00%" in out


@pytest.mark.parametrize("command", ["check", "evaluate", "monitor"])
def test_one_and_two_processes_give_the_same_rows(capsys, folder, tmp_path, command):
    """--jobs 1 (in this process) and --jobs 2 (a pool) write the same file, in file order."""
    for jobs in ("1", "2"):
        code, _, _ = run(capsys, command, folder, "--out", tmp_path / f"jobs{jobs}.csv", "--jobs", jobs,
                         "--per", "indicator")
        assert code == EXIT_OK
    one = (tmp_path / "jobs1.csv").read_bytes()
    assert one == (tmp_path / "jobs2.csv").read_bytes()
    assert len(read_csv(tmp_path / "jobs1.csv")) >= 2


def test_a_broken_file_is_a_failure_row_and_the_others_go_on(capsys, folder, tmp_path):
    """A file that cannot be read gives a row with the reason, is listed in the summary, and exits 1."""
    broken = folder / "county" / "broken.json"
    broken.write_text('{"schema_version": 1, "projects": [', encoding="utf-8")
    (folder / "county" / "broken.actuals.json").write_text('{"schema_version": 1}', encoding="utf-8")
    code, out, err = run(capsys, "evaluate", folder, "--out", tmp_path / "e.csv", "--jobs", "2")
    assert code == EXIT_FINDINGS
    rows = {Path(row["file"]).name: row for row in read_csv(tmp_path / "e.csv")}
    assert set(rows) == {"boye.toml", "broken.json", "second.json"}
    assert "invalid JSON" in rows["broken.json"]["error"]
    assert rows["boye.toml"]["error"] == rows["second.json"]["error"] == ""
    assert rows["second.json"]["grade"] == "优"
    assert "3 个文件，3 行写入" in out
    assert "；1 个失败\n" in out
    assert f"  {broken}: line 1, column 36: invalid JSON" in out
    assert "Traceback" not in out + err


def test_a_missing_companion_is_a_failure(capsys, folder, tmp_path):
    """A document without its actuals (or spending) file beside it: a failure naming the missing file."""
    (folder / "county" / "second.actuals.json").unlink()
    code, out, _ = run(capsys, "evaluate", folder, "--out", tmp_path / "e.csv")
    assert code == EXIT_FINDINGS
    rows = read_csv(tmp_path / "e.csv")
    assert rows[1]["error"] == "no second.actuals.json beside it"
    assert f"{folder / 'county' / 'second.json'}: no second.actuals.json beside it" in out
    (folder / "boye.monitoring.toml").unlink()
    code, out, _ = run(capsys, "monitor", folder, "--out", tmp_path / "m.csv")
    assert code == EXIT_FINDINGS
    assert "no boye.monitoring.toml beside it" in out


def test_check_honours_select_ignore_and_config(capsys, folder, tmp_path):
    """--select/--ignore choose the rules; a config raising a severity to error makes the exit 1."""
    code, _, _ = run(capsys, "check", folder, "--out", tmp_path / "c.csv", "--select", "PT3", "--ignore", "PT305")
    assert code == EXIT_OK
    assert [row["codes"] for row in read_csv(tmp_path / "c.csv")] == ["PT302 PT306"] * 2
    config = tmp_path / "perftarget.toml"
    config.write_text('[tool.perftarget]\nseverity = {PT302 = "error"}\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", folder, "--out", tmp_path / "c.csv", "--config", config, "--per", "indicator",
                       "--lang", "en")
    assert code == EXIT_FINDINGS
    rows = read_csv(tmp_path / "c.csv")
    assert [row["path"] for row in rows if row["severity"] == "error"] == [
        "projects[0].goals[0].indicators[0].target"] * 2
    assert "review: 2 errors, 10 warnings, 10 info" in out  # as check FILE... counts them
    assert "PT999" in run(capsys, "check", folder, "--out", tmp_path / "c.csv", "--select", "PT999")[2]


def test_evaluate_policy_and_problems(capsys, folder, tmp_path):
    """--policy picks a preset for every table; an unknown one is exit 2; a table with problems exits 1."""
    code, _, _ = run(capsys, "evaluate", folder, "--out", tmp_path / "e.csv", "--policy", "rescale-na")
    assert code == EXIT_OK
    code, _, err = run(capsys, "evaluate", folder, "--out", tmp_path / "x.csv", "--policy", "nope")
    assert code == EXIT_BAD_INPUT
    assert "unknown policy 'nope'" in err
    assert not (tmp_path / "x.csv").exists()
    actuals = json.loads((folder / "county" / "second.actuals.json").read_text("utf-8"))
    del actuals["projects"][0]["actuals"]["上访人员满意度"]
    (folder / "county" / "second.actuals.json").write_text(json.dumps(actuals, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", folder, "--out", tmp_path / "e.csv")
    assert code == EXIT_FINDINGS
    rows = read_csv(tmp_path / "e.csv")
    assert rows[1]["problems"] == "1"
    assert "上访人员满意度" in rows[1]["problem_messages"]
    assert "1 个表有问题（problems 列）" in out


def test_monitor_as_of_and_strict(capsys, folder, tmp_path):
    """The date comes from the spending files or --as-of (an ISO date); --strict exits 1 on findings."""
    code, out, _ = run(capsys, "monitor", folder, "--out", tmp_path / "m.csv")
    assert code == EXIT_OK
    rows = read_csv(tmp_path / "m.csv")
    assert [(row["as_of"], row["execution_rate"], row["status"]) for row in rows] == [("2022-07-31", "40", "黄")] * 2
    assert "2 个表有监控发现（findings 列）" in out
    code, _, _ = run(capsys, "monitor", folder, "--out", tmp_path / "m.csv", "--as-of", "2022-08-31", "--strict")
    assert code == EXIT_FINDINGS
    assert {row["as_of"] for row in read_csv(tmp_path / "m.csv")} == {"2022-08-31"}
    err = usage_error(capsys, "monitor", folder, "--out", tmp_path / "m.csv", "--as-of", "7月底")
    assert "give a date such as 2023-07-31" in err
    err = usage_error(capsys, "monitor", folder, "--out", tmp_path / "m.csv", "--as-of", "2022-06-30", "2022-07-31")
    assert "one --as-of date with --out" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("evaluate", "--actuals", "a.toml"),
        ("evaluate", "--spent", "9"),
        ("evaluate", "--project", SEED_CODE),
        ("evaluate", "--format", "json"),
        ("monitor", "--payments", "p.toml"),
        ("monitor", "--spent", "4"),
        ("monitor", "--monthly"),
        ("monitor", "--project", SEED_CODE),
        ("check", "--format", "json"),
    ],
)
def test_single_document_options_are_refused_with_out(capsys, folder, tmp_path, argv):
    """The options of the one-document form are a usage error with --out, and nothing is written."""
    command, *options = argv
    err = usage_error(capsys, command, folder, *options, "--out", tmp_path / "r.csv")
    assert f"{options[0]} cannot be used with --out" in err
    assert err.startswith(f"usage: perftarget {command}")
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("option", [("--jobs", "2"), ("--per", "indicator"), ("--progress",), ("--no-progress",)])
def test_batch_options_need_out(capsys, option):
    """--jobs, --per and --progress without --out are a usage error."""
    err = usage_error(capsys, "check", str(SEED), *option)
    assert "applies to folders processed with --out FILE" in err


def test_bad_outputs_and_inputs_exit_2(capsys, folder, tmp_path):
    """A wrong suffix, two CSV files, a missing folder, no documents, --jobs 0: exit 2 before any work."""
    assert "expected a file ending in .csv or .parquet" in usage_error(capsys, "check", folder, "--out", "r.txt")
    err = usage_error(capsys, "check", folder, "--out", tmp_path / "a.csv", "--out", tmp_path / "b.csv")
    assert "one .csv file at most" in err
    assert "expected at least 1 process" in usage_error(capsys, "check", folder, "--out", "r.csv", "--jobs", "0")
    code, _, err = run(capsys, "check", folder, "--out", tmp_path / "missing" / "r.csv")
    assert code == EXIT_BAD_INPUT
    assert "the folder" in err
    assert "does not exist" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "check", empty, "--out", tmp_path / "r.csv")
    assert code == EXIT_BAD_INPUT
    assert "no targets documents" in err
    code, _, err = run(capsys, "check", tmp_path / "nothing.json", "--out", tmp_path / "r.csv")
    assert code == EXIT_BAD_INPUT
    assert "no such file or folder" in err
    assert not (tmp_path / "r.csv").exists()


def test_globs_leave_companions_out(capsys, folder, tmp_path):
    """A glob such as DIR/**/*.json matches documents only, not their actuals or spending files."""
    code, out, _ = run(capsys, "evaluate", f"{folder}/**/*.json", "--out", tmp_path / "e.csv")
    assert code == EXIT_OK
    assert [Path(row["file"]).name for row in read_csv(tmp_path / "e.csv")] == ["second.json"]
    assert out.startswith("1 个文件，1 行写入")
    code, _, err = run(capsys, "check", f"{folder}/*.xml", "--out", tmp_path / "c.csv")
    assert code == EXIT_BAD_INPUT
    assert "no file matches" in err


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys, folder, tmp_path):
    """Off by default when stderr is not a terminal; --progress draws it on stderr."""
    _, _, err = run(capsys, "check", folder, "--out", tmp_path / "c.csv", "--jobs", "1")
    assert err == ""
    _, out, err = run(capsys, "check", folder, "--out", tmp_path / "c.csv", "--jobs", "1", "--progress")
    assert err.rstrip().endswith("2/2 files, 2 rows")
    assert "files" not in out.splitlines()[1]


def test_missing_pyarrow_is_one_message(capsys, folder, tmp_path, monkeypatch):
    """Parquet without pyarrow: one message naming the extra, exit 2, and the CSV beside it untouched."""
    (tmp_path / "r.csv").write_text("old\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, out, err = run(capsys, "check", folder, "--out", tmp_path / "r.csv", "--out", tmp_path / "r.parquet")
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err == (f"perftarget: error: --out {tmp_path / 'r.parquet'} needs pyarrow, which is not installed: "
                   'pip install "perftarget[parquet]"\n')
    assert (tmp_path / "r.csv").read_text("utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "tables"]


def test_a_failed_run_leaves_the_old_output(capsys, folder, tmp_path, monkeypatch):
    """A write that fails midway (a full disk) is exit 2 and leaves the previous file and no temporary file."""
    from perftarget import batch as _batch

    out_file = tmp_path / "r.csv"
    out_file.write_text("previous results\n", encoding="utf-8")

    def full(self: object, rows: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_batch._Writers, "write", full)
    code, out, err = run(capsys, "check", folder, "--out", out_file, "--jobs", "1")
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err == f"perftarget: error: {os.strerror(errno.ENOSPC)}\n"
    assert out_file.read_text("utf-8") == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "tables"]


def test_an_output_that_is_a_folder_is_refused(capsys, folder, tmp_path):
    """--out naming an existing folder: exit 2 before any work, the folder untouched."""
    (tmp_path / "r.csv").mkdir()
    code, _, err = run(capsys, "check", folder, "--out", tmp_path / "r.csv")
    assert code == EXIT_BAD_INPUT
    assert "it is a folder" in err
    assert list((tmp_path / "r.csv").iterdir()) == []


def test_an_unwritable_folder_is_refused_before_any_work(capsys, folder, tmp_path, monkeypatch):
    """A folder reported as not writable (as for a user without rights): exit 2, the old file kept."""
    from perftarget import cli

    (tmp_path / "r.csv").write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(cli.os, "access", lambda _path, _mode: False)
    code, out, err = run(capsys, "check", folder, "--out", tmp_path / "r.csv")
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err == f"perftarget: error: cannot write {tmp_path / 'r.csv'}: the folder {tmp_path} is not writable\n"
    assert (tmp_path / "r.csv").read_text("utf-8") == "old\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_refused(capsys, folder, tmp_path):
    """--out in a folder that cannot be written: exit 2 and the file there keeps its content."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "r.csv").write_text("old\n", encoding="utf-8")
    locked.chmod(0o555)
    try:
        code, _, err = run(capsys, "check", folder, "--out", locked / "r.csv")
    finally:
        locked.chmod(0o755)
    assert code == EXIT_BAD_INPUT
    assert "is not writable" in err
    assert (locked / "r.csv").read_text("utf-8") == "old\n"


def test_without_out_the_one_document_forms_stay(capsys, folder, tmp_path):
    """No --out: check takes several files and prints; evaluate and monitor take one FILE as before."""
    code, out, _ = run(capsys, "check", folder / "boye.toml", folder / "county" / "second.json", "--lang", "en")
    assert code == EXIT_OK
    assert out.rstrip().endswith("0 errors, 12 warnings, 10 info")
    code, out, _ = run(capsys, "evaluate", folder / "boye.toml", "--actuals", folder / "boye.actuals.toml",
                       "--format", "csv")
    assert code == EXIT_OK
    assert out.startswith("一级指标,二级指标,三级指标,年度指标值")
    code, out, _ = run(capsys, "monitor", folder / "boye.toml", "--spent", "4.0", "--as-of", "2022-07-31")
    assert code == EXIT_OK
    assert "执行/序时 68.57：黄" in out
    assert "the following arguments are required: --actuals" in usage_error(capsys, "evaluate", folder / "boye.toml")
    err = usage_error(capsys, "evaluate", folder / "boye.toml", folder / "boye.toml", "--actuals", ACTUALS)
    assert "several documents need --out FILE" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


def test_an_absolute_glob_without_out(capsys, folder):
    """check with an absolute glob pattern reviews the matches (it used to fail with a traceback)."""
    code, out, _ = run(capsys, "check", f"{folder}/b?ye.toml", "--lang", "en")
    assert code == EXIT_OK
    assert out.startswith(f"{folder / 'boye.toml'}\n")
    assert out.rstrip().endswith("0 errors, 6 warnings, 5 info")


def test_process_folder_on_rows_and_an_interrupted_run(folder, tmp_path):
    """on_rows sees each file's rows in order; an interruption leaves the old files and no temporary file."""
    from perftarget.batch import process_folder

    seen: list[tuple[str, int]] = []
    summary = process_folder("check", folder, workers=1, progress=False,
                             on_rows=lambda file, rows: seen.append((Path(file).name, len(rows))))
    assert seen == [("boye.toml", 1), ("second.json", 1)]
    assert summary.rows == 2
    (tmp_path / "r.csv").write_text("old\n", encoding="utf-8")

    def interrupt(_file: str, _rows: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        process_folder("check", folder, workers=1, progress=False, csv_path=tmp_path / "r.csv", on_rows=interrupt)
    assert (tmp_path / "r.csv").read_text("utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "tables"]


def test_a_failure_row_goes_into_parquet(capsys, folder, tmp_path):
    """``evaluate DIR --out x.parquet`` writes every row when a file fails (its counts are 0 in int columns)."""
    pq = pytest.importorskip("pyarrow.parquet")
    (folder / "county" / "broken.json").write_text("{", encoding="utf-8")
    (folder / "county" / "broken.actuals.json").write_text("{}", encoding="utf-8")
    (folder / "gbk.json").write_bytes(pt.dumps(_second_document()).encode("gb18030"))
    (folder / "gbk.actuals.json").write_bytes((folder / "county" / "second.actuals.json").read_bytes())
    code, out, err = run(capsys, "evaluate", folder, "--out", tmp_path / "e.parquet", "--out", tmp_path / "e.csv")
    assert code == EXIT_FINDINGS
    assert "Traceback" not in out + err
    rows = {Path(row["file"]).name: row for row in pq.read_table(tmp_path / "e.parquet").to_pylist()}
    assert set(rows) == {"boye.toml", "broken.json", "gbk.json", "second.json"}
    assert "invalid JSON" in rows["broken.json"]["error"]
    assert "looks like GB18030/GBK" in rows["gbk.json"]["error"]
    assert rows["broken.json"]["needs_explanation"] == rows["broken.json"]["indicators"] == 0
    assert {Path(row["file"]).name: row["needs_explanation"] for row in read_csv(tmp_path / "e.csv")}["gbk.json"] == "0"
