"""The column kernel of the self-evaluation gives the object path's results, row for row."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")
pytest.importorskip("numpy")

import perftarget  # noqa: E402
from perftarget import columnar  # noqa: E402
from perftarget._codec.actuals import load_actuals  # noqa: E402
from perftarget._model.actuals import ActualsDocument, ExplicitScore, TableActuals  # noqa: E402
from perftarget._batch import BatchOptions, _evaluate_rows, result_columns  # noqa: E402
from perftarget._formats.columnar_evaluate import _six  # noqa: E402
from perftarget._model.targets import Document  # noqa: E402
from perftarget._values.numbers import format_number  # noqa: E402
from perftarget._judge.evaluate import ScoringPolicy  # noqa: E402
from perftarget._values.threshold import Achievement, Threshold, ThresholdKind  # noqa: E402
from perftarget.exceptions import InvalidValueError  # noqa: E402
from perftarget.testing import amounts, project_targets  # noqa: E402

SEED = "examples/petition-bureau.toml"
SEED_ACTUALS = "examples/petition-bureau-actuals.toml"
NUMERIC = {
    "total", "raw_total", "weight_total", "budget", "spent", "budget_execution_rate", "budget_score", "weight", "score",
}


def expected_rows(document: Document, actuals: ActualsDocument, per: str, policy: object = None) -> list[dict[str, object]]:
    """The object path's batch rows, each figure rounded half up to 6 places as the kernel prints them."""
    options = BatchOptions(operation="evaluate", per=per, policy=policy)  # type: ignore[arg-type]
    names = result_columns("evaluate", per)  # type: ignore[arg-type]
    rows = []
    for row in _evaluate_rows(document, actuals, options, ""):
        values = dict(zip(names, row, strict=True))
        for key in NUMERIC & values.keys():
            if values[key] != "":
                values[key] = _six(Decimal(str(values[key])))
        rows.append(values)
    return rows


def assert_same(document: Document, actuals: ActualsDocument, policy: object = None) -> None:
    columns = columnar.flatten(document, actuals=actuals)
    for per in ("table", "indicator"):
        got = columnar.evaluate(columns, per=per, policy=policy).to_pylist()  # type: ignore[arg-type]
        assert got == expected_rows(document, actuals, per, policy)


@st.composite
def actual_for(draw: st.DrawFn, target: Threshold) -> object:
    """An actual as people write it: numbers with or without the unit, 元 for 万元, bands, sometimes nonsense."""
    if target.kind is ThresholdKind.QUALITATIVE:
        band = draw(st.sampled_from(list(Achievement)))
        return draw(st.sampled_from([band.value, band.english, band.value, "96%"]))
    value = draw(st.decimals(min_value=0, max_value=10**6, places=draw(st.integers(0, 7)), allow_nan=False,
                             allow_infinity=False))
    choice = draw(st.integers(0, 5))
    if choice == 0:  # a number given as a number: echoed as formulas write it, so at most 6 decimals here
        return value.quantize(Decimal(1).scaleb(-min(6, -int(value.as_tuple().exponent))))
    if choice == 1 and target.unit == "万元":
        return f"{format_number(value * 10000)}元"
    if choice == 2:
        return draw(st.sampled_from(["达成", "-3", "１２", "1,200", f"{format_number(value)}天"]))
    return f"{format_number(value)}{target.unit}"


@st.composite
def batches(draw: st.DrawFn) -> tuple[Document, ActualsDocument]:
    """A few project tables with actuals for most indicators and, mostly, an amount spent."""
    projects = []
    entries = []
    for number in range(draw(st.integers(1, 4))):
        project = attrs.evolve(draw(project_targets()), code=f"P{number}")
        projects.append(project)
        actuals = {
            path: draw(actual_for(indicator.target))
            for path, indicator in project.iter_indicators()
            if indicator.applicable and draw(st.integers(0, 19)) > 0
        }
        spent = draw(st.one_of(st.none(), amounts(max_value=200000), amounts(max_value=200000)))
        entries.append(TableActuals(project=project.code, spent=spent, actuals=actuals))
    # as read from a file: targets keep the text they were written with (formulas quote it)
    document = perftarget.loads(perftarget.dumps(Document(projects=tuple(projects)), fmt="json"), fmt="json")
    return document, ActualsDocument(projects=tuple(entries))


@given(batches(), st.sampled_from(ScoringPolicy.presets()))
@settings(max_examples=40, deadline=None)
def test_same_rows_as_the_object_path(batch: tuple[Document, ActualsDocument], preset: str) -> None:
    """Per table and per indicator, every column equals the object path's, whatever the tables and the policy."""
    document, actuals = batch
    assert_same(document, actuals, preset)


def test_seed() -> None:
    """The seed scores 94.23 (优), as perftarget.evaluate gives it, with every formula spelled the same."""
    document = perftarget.load(SEED)
    actuals = load_actuals(SEED_ACTUALS)
    columns = columnar.flatten(document, actuals=actuals)
    (row,) = columnar.evaluate(columns).to_pylist()
    assert row["grade"] == "优"
    assert Decimal(row["total"]).quantize(Decimal("0.01")) == Decimal("94.23")
    assert row["error"] == ""
    assert_same(document, actuals)
    lines = columnar.evaluate(columns, per="indicator").to_pylist()
    assert [line["rule"] for line in lines][:2] == ["at_least", "at_least"]
    assert lines[1]["formula"].startswith("93 / 95 × ")


def test_kernel_path_is_taken_for_plain_tables() -> None:
    """The seed goes through the kernel, not the object path (white-box: no table is left to it)."""
    from decimal import localcontext

    from perftarget._formats.columnar_evaluate import _Kernel, _score
    from perftarget._judge.evaluate import _CONTEXT, _constants, _policy

    columns = columnar.flatten(perftarget.load(SEED), actuals=load_actuals(SEED_ACTUALS))
    policy = _policy(None)
    kernel = _Kernel(columns, _constants(policy), policy)
    with localcontext(_CONTEXT):
        _score(kernel)
    assert not kernel.slow.any()


def _seed_with(**actuals: object) -> tuple[Document, ActualsDocument]:
    document = perftarget.load(SEED)
    given_actuals = load_actuals(SEED_ACTUALS)
    (entry,) = given_actuals.projects
    merged = {**entry.actuals, **actuals}
    return document, ActualsDocument(projects=(attrs.evolve(entry, actuals=merged),))


@pytest.mark.parametrize(
    "change",
    [
        {"群众来访接待劝返率": {"value": "93%", "score": "5"}},  # a score set by hand
        {"按时间进度要求支付使用资金": ExplicitScore(Achievement.PARTIAL, Decimal(3))},
        {"群众来访接待劝返率": "about ninety"},  # unreadable: a problem, scored 0
        {"群众来访接待劝返率": "0.93"},
    ],
)
def test_tables_left_to_the_object_path(change: dict[str, object]) -> None:
    """Hand scores, band scores and unreadable actuals give the object path's rows, problems included."""
    document, actuals = _seed_with(**change)
    assert_same(document, actuals)


def test_missing_actual_and_no_spending() -> None:
    """A missing actual and a table without an amount spent come out as the object path gives them."""
    document = perftarget.load(SEED)
    (entry,) = load_actuals(SEED_ACTUALS).projects
    actuals = dict(entry.actuals)
    actuals.pop("群众来访接待劝返率")
    for spent in (entry.spent, None):
        assert_same(document, ActualsDocument(projects=(attrs.evolve(entry, actuals=actuals, spent=spent),)))


def test_rescale_policy() -> None:
    """A policy the kernel leaves to the object path gives the same rows."""
    document, actuals = perftarget.load(SEED), load_actuals(SEED_ACTUALS)
    assert_same(document, actuals, "rescale-na")
    assert_same(document, actuals, ScoringPolicy.preset("budget-90-minus-1"))


def test_many_tables_mixed() -> None:
    """Fast and slow tables interleaved keep their order (spliced and taken results alike)."""
    document = perftarget.load(SEED)
    (entry,) = load_actuals(SEED_ACTUALS).projects
    (project,) = document.projects
    projects, entries = [], []
    for number in range(300):
        code = f"P{number:03d}"
        projects.append(attrs.evolve(project, code=code))
        odd = {**entry.actuals, "群众来访接待劝返率": "about"} if number % 3 == 0 else entry.actuals
        entries.append(attrs.evolve(entry, project=code, actuals=odd))
    document, actuals = Document(projects=tuple(projects)), ActualsDocument(projects=tuple(entries))
    assert_same(document, actuals)
    frame = columnar.evaluate(columnar.flatten({"a.json": document}, actuals=actuals), per="indicator").to_pandas()
    assert frame["file"].nunique() == 1
    lines = columnar.evaluate(columnar.flatten({"a.json": document}, actuals=actuals), per="indicator")
    counts = {row["rule"]: row["rule_count"] for row in lines.group_by("rule").aggregate([("rule", "count")]).to_pylist()}
    assert sum(counts.values()) == lines.num_rows
    assert_same(document, actuals, "rescale-na")  # every table by the object path: taken, not spliced
    assert len(frame) == sum(len(p.indicators) for p in document.projects)


def test_bad_columns() -> None:
    """Tables out of order, indicators not grouped by table and an unknown ``per`` are refused with the reason."""
    columns = columnar.flatten(perftarget.load(SEED), actuals=load_actuals(SEED_ACTUALS))
    with pytest.raises(InvalidValueError, match="per"):
        columnar.evaluate(columns, per="goal")  # type: ignore[arg-type]
    shuffled = columnar.Columns(columns.tables, columns.indicators.take(pa.array([1, 0, 2])))
    doubled = columnar.Columns(
        pa.concat_tables([columns.tables, columns.tables]),
        columns.indicators,
    )
    with pytest.raises(InvalidValueError, match=r"tables\.table must number"):
        columnar.evaluate(doubled)
    two = columnar.flatten([perftarget.load(SEED), perftarget.load(SEED)], actuals=load_actuals(SEED_ACTUALS))
    table = two.indicators.column("table").to_pylist()
    order = sorted(range(len(table)), key=lambda i: -table[i])
    with pytest.raises(InvalidValueError, match="table by table"):
        columnar.evaluate(columnar.Columns(two.tables, two.indicators.take(pa.array(order))))
    assert columnar.evaluate(shuffled).num_rows == 1
    orphan = columnar.Columns(two.tables.slice(0, 1), two.indicators)
    with pytest.raises(InvalidValueError, match="not in tables"):
        columnar.evaluate(orphan)

    def numbered(tables: list[int], rows: list[int]) -> columnar.Columns:
        """``two`` with its tables numbered ``tables`` and its indicators' tables ``rows`` (one number per table)."""
        per_row = [rows[number] for number in two.indicators.column("table").to_pylist()]
        return columnar.Columns(
            two.tables.set_column(0, "table", pa.array(tables, pa.int32())),
            two.indicators.set_column(0, "table", pa.array(per_row, pa.int32())),
        )

    assert columnar.evaluate(numbered([5, 9], [5, 9])).num_rows == 2  # a partition: any increasing numbers
    for tables, rows in (([0, 1], [-1, 1]), ([5, 9], [5, 7]), ([5, 9], [5, 10]), ([5, 9], [4, 9])):
        with pytest.raises(InvalidValueError, match="not in tables"):
            columnar.evaluate(numbered(tables, rows))


def test_a_partition_scores_as_the_whole() -> None:
    """Tables numbered 5, 9… (a partition of a larger batch) give the rows the whole batch gives for them."""
    document = perftarget.load(SEED)
    (entry,) = load_actuals(SEED_ACTUALS).projects
    (project,) = document.projects
    projects = [attrs.evolve(project, code=f"P{n}") for n in range(12)]
    entries = [attrs.evolve(entry, project=f"P{n}", spent=Decimal(n)) for n in range(12)]
    whole = columnar.flatten(Document(projects=tuple(projects)), actuals=ActualsDocument(projects=tuple(entries)))
    keep = [5, 9, 10]
    tables = whole.tables.filter(pc.is_in(whole.tables.column("table"), pa.array(keep, pa.int32())))
    rows = whole.indicators.filter(pc.is_in(whole.indicators.column("table"), pa.array(keep, pa.int32())))
    part = columnar.evaluate(columnar.Columns(tables, rows))
    assert part.to_pylist() == columnar.evaluate(whole).take(pa.array(keep)).to_pylist()


def test_minimal_columns() -> None:
    """Warehouse tables with only the required columns score the same; a missing required column is named."""
    columns = columnar.flatten(perftarget.load(SEED), actuals=load_actuals(SEED_ACTUALS))
    minimal = columnar.Columns(
        columns.tables.select(["table", "project_code", "budget", "spent", "project_name", "file", "year"]),
        columns.indicators.select(["table", "path", "level1", "level2", "name", "target", "actual", "reason"]),
    )
    for per in ("table", "indicator"):
        assert columnar.evaluate(minimal, per=per).equals(columnar.evaluate(columns, per=per))  # type: ignore[arg-type]
    bare = columnar.Columns(columns.tables.select(["table", "project_code", "budget", "spent"]),
                            columns.indicators.select(["table", "path", "level1", "name", "target", "actual"]))
    assert columnar.evaluate(bare).column("total").to_pylist() == columnar.evaluate(columns).column("total").to_pylist()
    with pytest.raises(InvalidValueError, match=r"indicators lacks the column\(s\) actual"):
        columnar.evaluate(columnar.Columns(columns.tables, columns.indicators.drop(["actual"])))


def test_dictionary_encoded_columns() -> None:
    """Categorical (dictionary-encoded) text columns, as from pandas or Parquet, score the same."""
    columns = columnar.flatten([perftarget.load(SEED)] * 3, actuals=load_actuals(SEED_ACTUALS))
    indicators = columns.indicators
    for name in ("level1", "level2", "target", "weight", "actual", "path", "name"):
        index = indicators.column_names.index(name)
        indicators = indicators.set_column(index, name, pc.dictionary_encode(indicators.column(name)))
    encoded = columnar.Columns(columns.tables, indicators)
    for per in ("table", "indicator"):
        assert columnar.evaluate(encoded, per=per).to_pylist() == columnar.evaluate(columns, per=per).to_pylist()  # type: ignore[arg-type]


def test_empty_batch() -> None:
    """No tables, no rows; the columns are there."""
    columns = columnar.flatten([])
    for per in ("table", "indicator"):
        result = columnar.evaluate(columns, per=per)  # type: ignore[arg-type]
        assert result.num_rows == 0
        assert tuple(result.column_names) == result_columns("evaluate", per)  # type: ignore[arg-type]


def test_texts_in_chunks_and_nulls_holding_bytes() -> None:
    """Columns in several chunks, and null actuals whose slots still hold text (Arrow allows it), score the same."""
    np = pytest.importorskip("numpy")
    columns = columnar.flatten([perftarget.load(SEED)] * 4, actuals=load_actuals(SEED_ACTUALS))
    indicators = columns.indicators.combine_chunks()
    actual = indicators.column("actual").chunk(0)
    given = (np.arange(len(actual)) % 3 != 0) & actual.is_valid().to_numpy(zero_copy_only=False)
    # the same nulls, written as Arrow writes them (empty slots) and with each slot's old text left in place
    plain = pc.if_else(pa.array(given), actual, pa.scalar(None, pa.string()))
    holding = pa.Array.from_buffers(pa.string(), len(actual), [pa.array(given).buffers()[1], *actual.buffers()[1:]])
    assert holding.null_count == plain.null_count
    results = []
    for column in (plain, holding):
        changed = indicators.set_column(indicators.column_names.index("actual"), "actual", column)
        for chunked in (changed, pa.Table.from_batches(changed.to_batches(max_chunksize=7))):
            batch = columnar.Columns(columns.tables, chunked)
            results.append([columnar.evaluate(batch, per=per).to_pylist() for per in ("table", "indicator")])
    assert all(result == results[0] for result in results)
    lines = results[0][1]
    assert all(line["actual"] == "" for line, ok in zip(lines, given.tolist(), strict=True) if not ok)


def test_null_table_texts() -> None:
    """A table without a project name gives null on each of its indicator rows, as on its table row."""
    columns = columnar.flatten([perftarget.load(SEED)] * 2, actuals=load_actuals(SEED_ACTUALS))
    names = pa.array([None, "second"], type=pa.string())
    tables = columns.tables.set_column(columns.tables.column_names.index("project_name"), "project_name", names)
    batch = columnar.Columns(tables, columns.indicators)
    assert columnar.evaluate(batch).column("project_name").to_pylist() == [None, "second"]
    shown = columnar.evaluate(batch, per="indicator").column("project_name").to_pylist()
    half = len(shown) // 2  # the same table twice: the first half of the rows is the first table's
    assert shown == [None] * half + ["second"] * half


@pytest.mark.parametrize("preset", ScoringPolicy.presets())
def test_every_preset_on_the_seed(preset: str) -> None:
    """Each shipped policy (reverse linear, rate × weight…) scores the seed and its variants as the object path."""
    assert_same(perftarget.load(SEED), load_actuals(SEED_ACTUALS), preset)
    document, actuals = _seed_with(群众来访接待劝返率="99%", 按时间进度要求支付使用资金="部分达成")
    assert_same(document, actuals, preset)
