"""The batch API: a folder on all cores, one result table, failures reported, frames and record batches."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

import perftarget as pt
from perftarget._codec.actuals import load_actuals
from perftarget._judge.evaluate import evaluate
from perftarget._values.numbers import format_number
from perftarget.batch import (
    BatchOptions,
    find_documents,
    map_arrow,
    map_pandas,
    process_arrow,
    process_folder,
    process_frame,
    process_record,
    result_columns,
    result_ddl,
    result_schema,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generate():
    """The benchmark's seeded generator of province data."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate as module
    finally:
        sys.path.pop(0)
    return module


@pytest.fixture(scope="module")
def province(tmp_path_factory, generate):
    """A small generated province: 60 tables in 6 unit files, with actuals and spending beside them."""
    folder = tmp_path_factory.mktemp("province")
    generate.write_province(folder, 60, seed=1)
    return folder


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_documents_are_found_without_their_companions(province):
    """Targets files are found recursively; actuals and spending files beside them are not documents."""
    found = find_documents(province)
    assert len(found) == 6
    assert all(not p.name.endswith((".actuals.json", ".monitoring.json")) for p in found)
    assert found == sorted(found)


@pytest.mark.parametrize("operation", ["check", "evaluate", "monitor"])
@pytest.mark.parametrize("per", ["table", "indicator"])
def test_folder_to_csv_and_parquet(province, tmp_path, operation, per):
    """Every table is processed on two processes, and CSV and Parquet hold the same rows."""
    pq = pytest.importorskip("pyarrow.parquet")
    summary = process_folder(
        operation, province, per=per, csv_path=tmp_path / "out.csv", parquet_path=tmp_path / "out.parquet",
        workers=2, progress=False, as_of="2023-07-31",
    )
    assert summary.ok, summary.failures
    assert summary.files == 6
    rows = _read_csv(tmp_path / "out.csv")
    assert len(rows) == summary.rows
    assert list(rows[0]) == list(result_columns(operation, per))
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema == result_schema(operation, per)
    assert table.num_rows == summary.rows
    if per == "table":
        assert summary.rows == 60
        assert len({row["project_code"] for row in rows}) == 60
    first = table.slice(0, 1).to_pylist()[0]
    assert {name: str(value) for name, value in first.items()} == rows[0]


def test_processes_and_one_process_give_the_same_rows(province):
    """The rows come in file order whatever the number of processes."""
    one = process_folder("evaluate", province, per="indicator", workers=1, collect=True, progress=False)
    two = process_folder("evaluate", province, per="indicator", workers=2, collect=True, progress=False)
    assert one.collected == two.collected
    assert one.rows == len(one.collected or ())


def test_evaluate_rows_are_the_evaluation(province):
    """A table's row carries evaluate()'s exact total and grade, as decimal text."""
    path = find_documents(province)[0]
    document = pt.load(path)
    actuals = load_actuals(path.with_name(path.name.replace(".json", ".actuals.json")))
    project = document.projects[0]
    entry = actuals.for_project(project.code)
    assert entry is not None
    expected = evaluate(project, entry, spent=entry.spent, budget=entry.budget, strict=False)
    summary = process_folder("evaluate", path, collect=True, progress=False)
    row = summary.to_records()[0]
    assert row["project_code"] == project.code
    assert row["total"] == format_number(expected.total)
    assert row["grade"] == expected.grade.value
    assert row["error"] == ""


def test_failures_are_reported_and_the_rest_goes_on(province, tmp_path):
    """A malformed file, an invalid table, a missing actuals file and a project without actuals: each reported."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = find_documents(province)[0]
    (folder / "good.json").write_bytes(good.read_bytes())
    (folder / "good.actuals.json").write_bytes(good.with_name(good.name.replace(".json", ".actuals.json")).read_bytes())
    (folder / "broken.json").write_text('{"schema_version": 1, "projects": [', encoding="utf-8")
    (folder / "broken.actuals.json").write_text('{"schema_version": 1}', encoding="utf-8")
    data = json.loads(good.read_text("utf-8"))
    data["projects"][0]["budget"]["total"] = "-5"
    (folder / "invalid.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "invalid.actuals.json").write_text('{"schema_version": 1}', encoding="utf-8")
    (folder / "lonely.json").write_bytes(good.read_bytes())
    data = json.loads(good.read_text("utf-8"))
    (folder / "partial.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    actuals = json.loads(good.with_name(good.name.replace(".json", ".actuals.json")).read_text("utf-8"))
    actuals["projects"] = actuals["projects"][1:]
    (folder / "partial.actuals.json").write_text(json.dumps(actuals, ensure_ascii=False), encoding="utf-8")

    summary = process_folder("evaluate", folder, workers=2, collect=True, progress=False)
    reasons = {Path(f.file).name: f.reason for f in summary.failures}
    assert set(reasons) == {"broken.json", "invalid.json", "lonely.json", "partial.json"}
    assert "invalid JSON" in reasons["broken.json"]
    assert reasons["invalid.json"] == "projects[0].budget.total: must not be negative (got -5)"  # the place is the path
    assert "lonely.actuals.json" in reasons["lonely.json"]
    assert reasons["partial.json"].startswith("no actuals for project")
    good_rows = [r for r in summary.to_records() if Path(str(r["file"])).name == "good.json"]
    assert len(good_rows) == 10
    assert all(r["error"] == "" for r in good_rows)
    partial = [r for r in summary.to_records() if Path(str(r["file"])).name == "partial.json"]
    assert sum(1 for r in partial if r["error"]) == 1
    assert len(partial) == 10


def test_progress_bar_on_a_stream(province):
    """The progress bar counts files on the stream it is given."""
    stream = io.StringIO()
    process_folder("check", province, workers=1, progress=stream)
    assert stream.getvalue().endswith("6/6 files, 60 rows\n")


def _records(province: Path, companion: str | None) -> list[dict[str, str]]:
    records = []
    for path in find_documents(province):
        record = {"file": path.name, "targets": path.read_text("utf-8")}
        if companion is not None:
            record[companion] = path.with_name(path.name.replace(".json", f".{companion}.json")).read_text("utf-8")
        records.append(record)
    return records


@pytest.mark.parametrize(("operation", "companion"), [("check", None), ("evaluate", "actuals"),
                                                      ("monitor", "monitoring")])
def test_frames_and_record_batches_give_the_folder_rows(province, operation, companion):
    """The same rows come from pandas frames and Arrow record batches, whole or in pieces."""
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    records = _records(province, companion)
    expected = []
    for record in records:
        expected.extend(process_record(record["targets"], BatchOptions(operation=operation, per="indicator"),
                                       companion=record.get(companion or ""), file=record["file"]))
    frame = pd.DataFrame.from_records(records)
    result = process_frame(frame, operation, per="indicator")
    assert list(result.columns) == list(result_columns(operation, "indicator"))
    assert [tuple(row) for row in result.itertuples(index=False)] == expected
    pieces = pd.concat(list(map_pandas([frame.iloc[:2], frame.iloc[2:]], operation, per="indicator")),
                       ignore_index=True)
    assert pieces.equals(result)
    batch = pa.RecordBatch.from_pandas(frame, preserve_index=False)
    arrow = process_arrow(batch, operation, per="indicator")
    assert arrow.schema == result_schema(operation, "indicator")
    assert [tuple(row.values()) for row in arrow.to_pylist()] == expected
    batches = list(map_arrow([batch.slice(0, 3), batch.slice(3)], operation, per="indicator"))
    assert sum(b.num_rows for b in batches) == len(expected)


def test_a_bad_record_gives_an_error_row():
    """A record that is not a document gives one row with the reason; nothing raises.

    A text starting with ``{`` is read as JSON, anything else as TOML.
    """
    options = BatchOptions(operation="evaluate", per="table")
    (row,) = process_record("{not json", options, companion="{}", file="x.json")
    record = dict(zip(options.columns, row, strict=True))
    assert record["file"] == "x.json"
    assert "invalid JSON" in str(record["error"])
    (row,) = process_record("not toml either", options, companion="{}", file="x.toml")
    assert "invalid TOML" in str(dict(zip(options.columns, row, strict=True))["error"])
    (row,) = process_record('{"schema_version": 1}', options, file="y.json")
    assert dict(zip(options.columns, row, strict=True))["error"] == "no actuals given for this document"


def test_schema_helpers_agree():
    """The DDL string, the Arrow schema and the column list describe the same columns."""
    pytest.importorskip("pyarrow")
    for operation in ("check", "evaluate", "monitor"):
        for per in ("table", "indicator"):
            columns = result_columns(operation, per)  # type: ignore[arg-type]
            assert tuple(result_schema(operation, per).names) == columns  # type: ignore[arg-type]
            assert [part.split()[0] for part in result_ddl(operation, per).split(", ")] == list(columns)  # type: ignore[arg-type]
            assert columns[0] == "file"
            assert columns[-1] == "error"


def test_options_are_checked():
    """Unknown operations and granularities are refused with the choices named."""
    with pytest.raises(ValueError, match="operation must be one of check, evaluate, monitor"):
        BatchOptions(operation="score")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="per must be one of table, indicator"):
        BatchOptions(operation="check", per="goal")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown operation"):
        result_columns("score")  # type: ignore[arg-type]


def test_scoring_policy_by_name_or_file(province, tmp_path):
    """A preset name or a policy file reaches the worker processes; an object that cannot travel is refused."""
    from perftarget._judge.evaluate import ScoringPolicy

    by_name = process_folder("evaluate", province, policy="rescale-na", workers=2, collect=True, progress=False)
    assert by_name.ok
    default = process_folder("evaluate", province, workers=1, collect=True, progress=False)
    assert by_name.rows == default.rows
    try:
        policy = ScoringPolicy.preset("rescale-na")
        import pickle

        pickle.dumps(policy)
    except Exception:  # noqa: BLE001 - the policy does not pickle: the batch says so before starting
        with pytest.raises(ValueError, match="cannot be sent to worker processes"):
            process_folder("evaluate", province, policy=policy, workers=2, progress=False)
        in_process = process_folder("evaluate", province, policy=policy, workers=1, collect=True, progress=False)
        assert in_process.collected == by_name.collected


def test_default_workers_respect_cpu_affinity(monkeypatch):
    """Without ``workers``, the pool is as large as the CPUs the process may run on, not the machine's."""
    import os

    from perftarget.batch import usable_cpus

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert usable_cpus() == 2
    monkeypatch.delattr(os, "sched_getaffinity")
    assert usable_cpus() == 64


def test_failure_rows_fit_their_schema(province, tmp_path):
    """A failing file in an evaluation per table still writes Parquet and CSV: its counts are 0, not False.

    The per-table ``needs_explanation`` is a count and the per-indicator one a flag; a failure
    row used to take the flag's empty value in both, so no Parquet file was written at all.
    """
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    folder = tmp_path / "in"
    folder.mkdir()
    good = find_documents(province)[0]
    (folder / "good.json").write_bytes(good.read_bytes())
    (folder / "good.actuals.json").write_bytes(good.with_name(good.name.replace(".json", ".actuals.json")).read_bytes())
    (folder / "bad.json").write_text("{", encoding="utf-8")
    (folder / "bad.actuals.json").write_text("{}", encoding="utf-8")
    for per in ("table", "indicator"):
        parquet, csv_path = tmp_path / f"{per}.parquet", tmp_path / f"{per}.csv"
        summary = process_folder("evaluate", folder, per=per, parquet_path=parquet, csv_path=csv_path, workers=1,
                                 progress=False)
        assert len(summary.failures) == 1
        table = pq.read_table(parquet)
        assert table.schema == result_schema("evaluate", per)
        failed = [row for row in table.to_pylist() if row["error"]]
        assert len(failed) == 1
        (failed_csv,) = [row for row in _read_csv(csv_path) if row["error"]]
        if per == "table":
            assert (failed[0]["needs_explanation"], failed[0]["indicators"], failed[0]["year"]) == (0, 0, 0)
            assert failed_csv["needs_explanation"] == "0"
        else:
            assert failed[0]["needs_explanation"] is False
    for operation in ("check", "evaluate", "monitor"):
        for per in ("table", "indicator"):
            options = BatchOptions(operation=operation, per=per)  # type: ignore[arg-type]
            (row,) = process_record("{", options, companion="{}", file="x.json")
            pa.RecordBatch.from_pylist([dict(zip(options.columns, row, strict=True))],
                                       schema=result_schema(operation, per))  # type: ignore[arg-type]


def test_any_error_in_a_record_is_its_row(province, tmp_path, monkeypatch):
    """A file that is not UTF-8, a nesting too deep and an error inside a rule: each its row; the batch ends."""
    folder = tmp_path / "in"
    folder.mkdir()
    good = find_documents(province)[0]
    seed_text = good.read_text("utf-8")
    actuals = good.with_name(good.name.replace(".json", ".actuals.json")).read_text("utf-8")
    for name, targets, companion in (
        ("good", seed_text.encode("utf-8"), actuals.encode("utf-8")),
        ("gbk", seed_text.encode("gb18030"), actuals.encode("utf-8")),  # Chinese text in a GBK encoding
        ("gbk-companion", seed_text.encode("utf-8"), actuals.encode("gb18030")),
        ("deep", b'{"projects": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", actuals.encode("utf-8")),
    ):
        (folder / f"{name}.json").write_bytes(targets)
        (folder / f"{name}.actuals.json").write_bytes(companion)
    for workers in (1, 2):
        summary = process_folder("evaluate", folder, workers=workers, collect=True, progress=False)
        reasons = {Path(f.file).name: f.reason for f in summary.failures}
        assert set(reasons) == {"gbk.json", "gbk-companion.json", "deep.json"}
        assert "not UTF-8 text: it looks like GB18030/GBK" in reasons["gbk.json"]  # a typed problem with a hint
        assert reasons["gbk-companion.json"].startswith(f"{folder / 'gbk-companion.actuals.json'}: ")
        assert "looks like GB18030/GBK" in reasons["gbk-companion.json"]
        assert "limit depth = 64" in reasons["deep.json"]  # a typed problem now (was a RecursionError)
        good_rows = [r for r in summary.to_records() if r["file"] == str(folder / "good.json")]
        assert len(good_rows) == 10
        assert not any(r["error"] for r in good_rows)

    # an exception no check of ours expects, raised while a record is processed
    def broken(*_args: object, **_kwargs: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("perftarget.batch.review", broken)
    options = BatchOptions(operation="check")
    (row,) = process_record(seed_text, options, file="x.json")
    record = dict(zip(options.columns, row, strict=True))
    assert record["error"] == "x.json: RecursionError: maximum recursion depth exceeded"
    assert record["file"] == "x.json"
