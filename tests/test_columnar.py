"""Documents as columns: what flatten writes, how actuals are matched, and Parquet round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

import perftarget  # noqa: E402
from perftarget import columnar  # noqa: E402
from perftarget._codec.actuals import load_actuals  # noqa: E402
from perftarget._judge.monitor import Payment  # noqa: E402
from perftarget._model.actuals import Matched, match_actuals  # noqa: E402
from perftarget._model.targets import Document  # noqa: E402
from perftarget.exceptions import InvalidValueError  # noqa: E402
from perftarget.testing import project_targets  # noqa: E402

SEED = "examples/petition-bureau.toml"
SEED_ACTUALS = "examples/petition-bureau-actuals.toml"


def test_seed_columns() -> None:
    """One table row and one row per indicator, with the texts as the table shows them."""
    document = perftarget.load(SEED)
    (project,) = document.projects
    payments = {project.code: [Payment(dt.date(2022, 3, 1), "1.5"), Payment(dt.date(2022, 6, 1), "2.5")]}
    columns = columnar.flatten({"seed.toml": document}, actuals=load_actuals(SEED_ACTUALS), payments=payments)
    assert (columns.table_count, columns.indicator_count) == (1, len(project.indicators))
    (table,) = columns.tables.to_pylist()
    assert table["file"] == "seed.toml"
    assert table["project"] == 0
    assert table["project_code"] == project.code
    assert table["budget"] == "10.00"
    assert table["spent"] == "9.2"
    assert table["plan_percents"] == ["25", "50", "75", "100"]
    assert table["plan_dates"][-1] == dt.date(2022, 12, 31)
    rows = columns.indicators.to_pylist()
    assert [row["target"] for row in rows] == [i.target.display for i in project.indicators]
    assert rows[1]["level1"] == "产出指标"
    assert rows[1]["actual"] == "93%"
    assert rows[1]["reason"].startswith("重复来访人数增加")
    assert columns.payments.to_pylist() == [
        {"table": 0, "date": dt.date(2022, 3, 1), "amount": "1.5"},
        {"table": 0, "date": dt.date(2022, 6, 1), "amount": "2.5"},
    ]


def test_refuses_other_things() -> None:
    """Only documents and project tables flatten; the error says what came."""
    with pytest.raises(InvalidValueError, match="int"):
        columnar.flatten([1])  # type: ignore[list-item]


def test_parquet_round_trip(tmp_path: Path) -> None:
    """write_parquet then read_parquet gives the same tables; no temporary file is left behind."""
    columns = columnar.flatten(perftarget.load(SEED), actuals=load_actuals(SEED_ACTUALS))
    written = columnar.write_parquet(columns, tmp_path / "batch")
    assert sorted(p.name for p in written) == ["indicators.parquet", "payments.parquet", "tables.parquet"]
    assert sorted(p.name for p in (tmp_path / "batch").iterdir()) == sorted(p.name for p in written)
    back = columnar.read_parquet(tmp_path / "batch")
    assert back.tables.equals(columns.tables)
    assert back.indicators.equals(columns.indicators)
    assert columnar.evaluate(back).equals(columnar.evaluate(columns))


def test_parquet_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails leaves the file already there as it was."""
    columns = columnar.flatten(perftarget.load(SEED))
    columnar.write_parquet(columns, tmp_path)
    before = (tmp_path / "tables.parquet").read_bytes()
    import pyarrow.parquet as pq

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        columnar.write_parquet(columns, tmp_path)
    assert (tmp_path / "tables.parquet").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


@st.composite
def tables_with_actuals(draw: st.DrawFn) -> tuple[perftarget.ProjectTargets, dict[str, object]]:
    """A table and actuals keyed by name, path or key, with unknown names and 无 rows among them."""
    project = draw(project_targets())
    if draw(st.booleans()):  # sometimes two indicators share a name
        goals = list(project.goals)
        if goals and len(goals[0].indicators) > 1:
            first, second, *rest = goals[0].indicators
            goals[0] = attrs.evolve(goals[0], indicators=(first, attrs.evolve(second, name=first.name), *rest))
            project = attrs.evolve(project, goals=tuple(goals))
    actuals: dict[str, object] = {}
    for path, indicator in project.iter_indicators():
        how = draw(st.integers(0, 4))
        value = draw(st.sampled_from(["95%", "达成", Decimal("3.5"), "12个"]))
        if how == 0:
            actuals[indicator.name] = value
        elif how == 1:
            actuals[path] = value
        elif how == 2 and indicator.key:
            actuals[indicator.key] = value
    if draw(st.booleans()):
        actuals["没有这个指标"] = "1"
    return project, actuals


def _as_lists(matched: Matched) -> tuple[list[object], list[str], list[object]]:
    return matched.values, matched.reasons, matched.manual


@given(case=tables_with_actuals())
@settings(max_examples=80)
def test_the_quick_match_by_names_is_the_general_match(case: tuple[perftarget.ProjectTargets, dict[str, object]]) -> None:
    """match_actuals' quick case (every actual names one row) finds exactly what its general loop finds.

    flatten and evaluate both call match_actuals (flatten kept a copy of the quick case until it moved there).
    """
    from perftarget._model import actuals as actuals_module

    project, actuals = case
    entries = list(project.iter_indicators())
    quick_problems: list[object] = []
    quick = match_actuals(entries, actuals, quick_problems)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as patch:  # per example, undone at once
        patch.setattr(actuals_module, "_by_names", lambda *_: None)
        general_problems: list[object] = []
        general = match_actuals(entries, actuals, general_problems)  # type: ignore[arg-type]
    assert _as_lists(quick) == _as_lists(general)
    assert quick_problems == general_problems


def test_missing_actuals_are_null() -> None:
    """An indicator without an actual has a null ``actual``; 无 rows never take one."""
    document = perftarget.load(SEED)
    (entry,) = load_actuals(SEED_ACTUALS).projects
    kept = {k: v for k, v in entry.actuals.items() if k != "群众来访接待劝返率"}
    from perftarget._model.actuals import ActualsDocument

    columns = columnar.flatten(document, actuals=ActualsDocument(projects=(attrs.evolve(entry, actuals=kept),)))
    rows = {row["name"]: row for row in columns.indicators.to_pylist()}
    assert rows["群众来访接待劝返率"]["actual"] is None


def test_tables_from_several_documents() -> None:
    """Tables are numbered through the batch; ``project`` is the place in each document."""
    document = perftarget.load(SEED)
    (project,) = document.projects
    two = Document(projects=(project, attrs.evolve(project, code="X2")))
    columns = columnar.flatten({"a.json": document, "b.json": two})
    assert columns.tables.column("table").to_pylist() == [0, 1, 2]
    assert columns.tables.column("project").to_pylist() == [0, 0, 1]
    assert columns.tables.column("file").to_pylist() == ["a.json", "b.json", "b.json"]
    tables = columns.indicators.column("table").to_pylist()
    assert tables == sorted(tables)
