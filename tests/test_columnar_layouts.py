"""The column kernels give the same results whatever the layout of the text columns.

:func:`flatten` writes repeated texts dictionary-encoded; a warehouse may hand over plain
strings, pandas categoricals (int8 indices), or chunks that each carry their own dictionary,
with repeated or null dictionary entries. Each layout must give the same rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perftarget as pt
from perftarget import columnar
from perftarget._formats.columnar_review import with_review_columns
from perftarget._judge.monitor import Payment
from perftarget.testing import documents, project_targets

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")

SEED = "examples/petition-bureau.toml"
SEED_ACTUALS = "examples/petition-bureau-actuals.toml"
LAYOUTS = ("plain", "messy")


def _plain_array(column: object) -> object:
    return column.cast(pa.string())  # type: ignore[attr-defined]


def _messy_chunk(array: object, salt: int) -> object:
    """``array`` (plain text) as a dictionary array whose dictionary repeats values, holds a null and unused texts.

    Odd rows point at the second copy of their text; half the nulls point at the dictionary's null
    entry instead of being null indices.
    """
    values = array.to_pylist()  # type: ignore[attr-defined]
    distinct = sorted({v for v in values if v is not None})
    dictionary = [*distinct, f"unused {salt}", *distinct, None]
    first = {v: k for k, v in enumerate(distinct)}
    second = len(distinct) + 1
    indices: list[int | None] = []
    for row, value in enumerate(values):
        if value is None:
            indices.append(len(dictionary) - 1 if row % 2 else None)
        else:
            indices.append(first[value] + (second if row % 2 else 0))
    width = pa.int8() if len(dictionary) < 128 else pa.int32()
    return pa.DictionaryArray.from_arrays(pa.array(indices, width), pa.array(dictionary, pa.string()))


def relayout(table: object, layout: str) -> object:
    """``table`` with every text column (plain or dictionary) in ``layout``: ``plain`` or ``messy``."""
    for index, field in enumerate(table.schema):  # type: ignore[attr-defined]
        kind = field.type
        if not (pa.types.is_dictionary(kind) or pa.types.is_string(kind)):
            continue
        column = _plain_array(table.column(index)).combine_chunks()  # type: ignore[attr-defined]
        if layout == "messy":
            half = len(column) // 2
            pieces = [column.slice(0, half), column.slice(half)]
            column = pa.chunked_array([_messy_chunk(p, k) for k, p in enumerate(pieces)])
        table = table.set_column(index, field.name, column)  # type: ignore[attr-defined]
    return table


def in_layout(columns: columnar.Columns, layout: str) -> columnar.Columns:
    return columnar.Columns(
        tables=relayout(columns.tables, layout),
        indicators=relayout(columns.indicators, layout),
        payments=columns.payments,
    )


def rows(table: object) -> list[dict[str, object]]:
    """The rows as Python values (a dictionary-encoded text reads as its text)."""
    return table.to_pylist()  # type: ignore[attr-defined,no-any-return]


def test_flatten_encodes_repeated_texts() -> None:
    """flatten writes the repeated texts dictionary-encoded, and Parquet keeps them so."""
    columns = columnar.flatten(pt.load(SEED))
    for name in ("path", "level1", "level2", "name", "description", "target", "basis", "weight", "key"):
        assert pa.types.is_dictionary(columns.indicators.schema.field(name).type), name
    for name in ("actual", "reason"):
        assert columns.indicators.schema.field(name).type == pa.string()
    assert pa.types.is_dictionary(columns.tables.schema.field("file").type)


def test_parquet_keeps_the_dictionaries(tmp_path: object) -> None:
    columns = columnar.flatten(pt.load(SEED), actuals=pt.load_actuals(SEED_ACTUALS))
    columnar.write_parquet(columns, tmp_path)  # type: ignore[arg-type]
    back = columnar.read_parquet(tmp_path)  # type: ignore[arg-type]
    assert back.indicators.schema == columns.indicators.schema
    assert rows(columnar.review(back)) == rows(columnar.review(columns))


def test_messy_layout_is_messy() -> None:
    """The messy layout really has chunks with their own dictionaries, repeated and null entries."""
    columns = in_layout(columnar.flatten([pt.load(SEED)] * 2), "messy")
    name = columns.indicators.column("name")
    assert name.num_chunks == 2
    first = name.chunk(0)
    assert first.type.index_type == pa.int8()
    assert first.dictionary.null_count == 1
    assert len(pc.unique(first.dictionary)) < len(first.dictionary) - 1
    assert name.to_pylist() == columnar.flatten([pt.load(SEED)] * 2).indicators.column("name").to_pylist()


@settings(max_examples=40, deadline=None)  # each example reviews whole batches three ways
@given(st.lists(documents(), min_size=1, max_size=3))
def test_review_in_every_layout(batch: list[pt.Document]) -> None:
    files = {f"d{k}.json": document for k, document in enumerate(batch)}
    columns = with_review_columns(columnar.flatten(files), files)
    expected = rows(columnar.review(columns))
    for layout in LAYOUTS:
        changed = in_layout(columns, layout)
        findings = columnar.review(changed)
        assert rows(findings) == expected, layout
        assert rows(columnar.review_summary(changed, findings)) == rows(columnar.review_summary(columns, findings))


@settings(max_examples=30, deadline=None)  # each example scores whole batches three ways
@given(st.lists(project_targets(), min_size=1, max_size=4), st.sampled_from(["table", "indicator"]))
def test_evaluate_in_every_layout(projects: list[pt.ProjectTargets], per: str) -> None:
    document: pt.Document = pt.loads(pt.dumps(pt.Document(projects=tuple(projects)), fmt="json"), fmt="json")
    columns = columnar.flatten(document)
    expected = rows(columnar.evaluate(columns, per=per))  # type: ignore[arg-type]
    for layout in LAYOUTS:
        assert rows(columnar.evaluate(in_layout(columns, layout), per=per)) == expected, layout  # type: ignore[arg-type]


def test_evaluate_seed_with_actuals_in_every_layout() -> None:
    columns = columnar.flatten([pt.load(SEED)] * 3, actuals=pt.load_actuals(SEED_ACTUALS))
    for per in ("table", "indicator"):
        expected = rows(columnar.evaluate(columns, per=per))
        assert any(row["total" if per == "table" else "score"] for row in expected)
        for layout in LAYOUTS:
            assert rows(columnar.evaluate(in_layout(columns, layout), per=per)) == expected


def test_evaluate_result_texts_are_dictionary_encoded() -> None:
    """Per indicator, the texts shown from the input come dictionary-encoded, whatever the input's layout."""
    columns = columnar.flatten(pt.load(SEED), actuals=pt.load_actuals(SEED_ACTUALS))
    for layout in ("as flattened", *LAYOUTS):
        changed = columns if layout == "as flattened" else in_layout(columns, layout)
        result = columnar.evaluate(changed, per="indicator")
        for name in ("path", "level1", "level2", "indicator", "target"):
            assert result.schema.field(name).type == pa.dictionary(pa.int32(), pa.string()), (layout, name)


@settings(max_examples=30, deadline=None)  # each example monitors whole batches three ways
@given(
    st.lists(project_targets(), min_size=1, max_size=4),
    st.lists(st.decimals(min_value=0, max_value=50, places=2), max_size=4),
)
def test_monitor_in_every_layout(projects: list[pt.ProjectTargets], amounts: list[Decimal]) -> None:
    projects = [attrs.evolve(p, code=f"P{k}") for k, p in enumerate(projects)]
    payments = {projects[0].code: [Payment(dt.date(projects[0].year, 3, 1 + k), a) for k, a in enumerate(amounts)]}
    columns = columnar.flatten(projects, payments=payments)
    as_of = dt.date(projects[0].year, 7, 31)
    expected = rows(columnar.monitor(columns, as_of=as_of))
    for layout in LAYOUTS:
        assert rows(columnar.monitor(in_layout(columns, layout), as_of=as_of)) == expected, layout



@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["甲", "乙", "丙", "≥95%", ""])), max_size=12), max_size=4),
    st.booleans(),
)
def test_text_codes(chunks: list[list[str | None]], messy: bool) -> None:
    """Codes into distinct texts, each used, no null among them; a code reads back as its row's text."""
    np = pytest.importorskip("numpy")
    from perftarget._formats.columnar import text_codes

    arrays = [pa.array(chunk, pa.string()) for chunk in chunks]
    if messy:
        arrays = [_messy_chunk(array, k) for k, array in enumerate(arrays)]
    kind = arrays[0].type if arrays else pa.string()
    column = pa.chunked_array(arrays, type=kind) if all(a.type == kind for a in arrays) else pa.chunked_array(
        [a.cast(pa.dictionary(pa.int32(), pa.string())) for a in arrays]
    )
    codes, values = text_codes(column, pa, pc, np)
    texts = values.to_pylist()
    flat = [text for chunk in chunks for text in chunk]
    assert None not in texts
    assert len(set(texts)) == len(texts)
    assert set(texts) == {text for text in flat if text is not None}
    assert [None if code < 0 else texts[code] for code in codes.tolist()] == flat


def test_evaluate_shows_null_texts_as_null() -> None:
    """A null level or target in the input is null in the per-indicator result, in every layout."""
    columns = columnar.flatten([pt.load(SEED)] * 2, actuals=pt.load_actuals(SEED_ACTUALS))
    indicators = columns.indicators
    count = indicators.num_rows
    for name in ("level2", "path"):
        texts = _plain_array(indicators.column(name)).to_pylist()  # type: ignore[attr-defined]
        texts[1] = None
        indicators = indicators.set_column(indicators.column_names.index(name), name, pa.array(texts, pa.string()))
    batch = columnar.Columns(columns.tables, indicators)
    for layout in ("as given", *LAYOUTS):
        changed = batch if layout == "as given" else in_layout(batch, layout)
        result = rows(columnar.evaluate(changed, per="indicator"))
        assert len(result) == count
        assert (result[1]["level2"], result[1]["path"]) == (None, None), layout
        assert None not in (result[0]["level2"], result[2]["path"]), layout


def test_summary_of_a_table_without_a_file_name() -> None:
    """A null file is a file of its own: its table keeps its findings in the summary, in every layout."""
    document = pt.load(SEED)
    columns = columnar.flatten({"a.toml": document, "b.toml": document})
    tables = columns.tables.set_column(
        columns.tables.column_names.index("file"), "file", pa.array([None, "b.toml"], pa.string())
    )
    batch = columnar.Columns(tables, columns.indicators)
    for layout in ("as given", "dictionary", *LAYOUTS):
        if layout == "dictionary":
            changed = columnar.Columns(
                tables.set_column(tables.column_names.index("file"), "file", pc.dictionary_encode(tables.column("file"))),
                columns.indicators,
            )
        else:
            changed = batch if layout == "as given" else in_layout(batch, layout)
        summary = rows(columnar.review_summary(changed, columnar.review(changed)))
        assert [row["file"] for row in summary] == [None, "b.toml"], layout
        assert summary[0]["codes"] == summary[1]["codes"] != "", layout
