"""The columnar review gives the object review's findings (code, path, severity, message) on project tables.

The columns carry the project tables without their department part and suppressions, so the
findings expected are those :func:`perftarget.review` gives for the documents without them.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perftarget as pt
from perftarget._formats.columnar import Columns, flatten
from perftarget._formats.columnar_review import review_columns, review_summary, with_review_columns
from perftarget._formats.results import result_columns
from perftarget._judge.review import Rule
from perftarget.rules import BUILTIN_RULES, review
from perftarget.testing import documents, indicators, project_targets, text, thresholds

pa = pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "petition-bureau.toml"

Row = tuple[str, str, str, str, str]  # file, path, code, severity, message


def _bare(document: pt.Document) -> pt.Document:
    """``document`` as the columns carry it: without its department part and suppressions.

    Nor what published layouts print besides (a unit column, a value kind, a cost build-up,
    targets per region) or the table's form: the columns have no place for them yet.
    """

    def indicator(item: pt.Indicator) -> pt.Indicator:
        return attrs.evolve(item, suppressions=(), unit_text="", value_kind="", regional_targets=())

    projects = tuple(
        attrs.evolve(
            project,
            suppressions=(),
            costs=(),
            cost_total=None,
            form="target-table",
            goals=tuple(attrs.evolve(goal, indicators=tuple(map(indicator, goal.indicators))) for goal in project.goals),
        )
        for project in document.projects
    )
    return attrs.evolve(document, department=None, projects=projects)


def _expected(files: dict[str, pt.Document], **options: object) -> Counter[Row]:
    rows: Counter[Row] = Counter()
    for file, document in files.items():
        for finding in review(_bare(document), **options):  # type: ignore[arg-type]
            rows[file, finding.path, finding.code, finding.severity.value, finding.message] += 1
    return rows


def _found(table: object) -> Counter[Row]:
    data = table.to_pydict()  # type: ignore[attr-defined]
    return Counter(zip(data["file"], data["path"], data["code"], data["severity"], data["message"], strict=True))


def _columns(files: dict[str, pt.Document]) -> Columns:
    return with_review_columns(flatten(files), files)


# Cells the rules read as 无 (or not), in several spellings: the columnar review asks some rules
# once per class of such a cell (无 or not) and must still give each row its own finding.
_NOT_APPLICABLE_CELLS = ("无", " 无 ", "/", "－", "-", "不适用", "N/A", "", "无效", "无人机巡检次数")
# Names the rules' word tests answer differently (rate, satisfaction, growth, better higher or lower,
# spending restated): the columnar review asks the text rules once per combination of those answers.
_RATE_NAMES = (
    "来信办理及时率", "群众满意度", "经费支出增长率", "差错率", "值班天数", "值班费支出", "投诉处理满意度", "不合格率",
    "资金执行率", "按时间进度要求支付使用资金", "合格率同比提高", "巡查频率", "事故发生次数", "覆盖率", "占比",
)


@st.composite
def _unusual_indicators(draw: st.DrawFn) -> pt.Indicator:
    """Indicators whose name, description or basis is often a 无 cell, with any target."""
    base = draw(indicators())
    name = draw(st.sampled_from(_NOT_APPLICABLE_CELLS + _RATE_NAMES) | text())
    description = draw(st.sampled_from(_NOT_APPLICABLE_CELLS + _RATE_NAMES) | text())
    basis = draw(st.none() | st.sampled_from(_NOT_APPLICABLE_CELLS[:-2]).map(pt.Basis) | text().map(pt.Basis))
    target = draw(thresholds() | st.sampled_from(["无", "/", "≥95%", "≤10万元", "按时完成"]).map(pt.Threshold.parse))
    return attrs.evolve(base, name=name, description=description, basis=basis, target=target, suppressions=())


@st.composite
def _tables_with_unusual_rows(draw: st.DrawFn) -> pt.Document:
    """Documents whose tables mix ordinary indicators with rows of 无 cells (often the same ones again)."""
    projects = []
    for project in draw(st.lists(project_targets(), min_size=1, max_size=3)):
        rows = draw(st.lists(_unusual_indicators(), min_size=1, max_size=8))
        rows += draw(st.lists(st.sampled_from(rows), max_size=4))  # repeated rows share their groups
        goals = (*project.goals, pt.Goal("重复与无", tuple(rows)))
        projects.append(attrs.evolve(project, goals=goals))
    return pt.Document(projects=tuple(projects))


def test_seed_findings() -> None:
    """The seed's nine project findings (of the object review's eleven; two are the department's), in order."""
    seed = pt.load(SEED)
    columns = _columns({"seed.toml": seed})
    found = review_columns(columns)
    assert found.column_names == list(result_columns("check", "indicator"))
    expected = [f for f in review(seed) if f.path.startswith("projects[")]
    assert len(review(seed)) == 11
    assert len(expected) == 9
    assert list(zip(found.column("path").to_pylist(), found.column("code").to_pylist(), strict=True)) == [
        (f.path, f.code) for f in expected
    ]
    assert found.column("message").to_pylist() == [f.message for f in expected]
    assert found.column("severity").to_pylist() == [f.severity.value for f in expected]
    assert set(found.column("file").to_pylist()) == {"seed.toml"}
    assert set(found.column("error").to_pylist()) == {""}


def test_seed_summary() -> None:
    """The summary row counts the seed's project findings by severity and lists their codes in order."""
    seed = pt.load(SEED)
    columns = _columns({"seed.toml": seed})
    summary = review_summary(columns, review_columns(columns))
    assert summary.column_names == list(result_columns("check", "table"))
    (row,) = summary.to_pylist()
    project_findings = [f for f in review(seed) if f.path.startswith("projects[")]
    assert row["codes"] == " ".join(f.code for f in project_findings)
    assert row["indicators"] == len(seed.projects[0].indicators)
    assert (row["errors"], row["warnings"], row["infos"]) == (0, 5, 4)
    assert row["year"] == 2022


def test_select_and_ignore() -> None:
    """``select`` and ``ignore`` choose rules as for the object review, and a bad selector is refused."""
    seed = pt.load(SEED)
    columns = _columns({"seed.toml": seed})
    assert sorted(review_columns(columns, select=["PT3"]).column("code").to_pylist()) == [
        "PT302", "PT305", "PT305", "PT306",
    ]
    assert "PT305" not in review_columns(columns, ignore="PT305").column("code").to_pylist()
    with pytest.raises(ValueError, match="matches no rule"):
        review_columns(columns, select=["PT9"])


def test_columns_the_review_reads_are_required() -> None:
    """Without a column the rules read the review refuses the columns and names what is missing."""
    seed = pt.load(SEED)
    full = flatten({"seed.toml": seed})
    assert _found(review_columns(full)) == _expected({"seed.toml": seed})  # flatten writes them all
    columns = attrs.evolve(
        full, tables=full.tables.drop(["purpose"]), indicators=full.indicators.drop(["description", "basis"])
    )
    with pytest.raises(pt.InvalidValueError, match=r"tables\.purpose, indicators\.description, indicators\.basis"):
        review_columns(columns)
    assert _found(review_columns(with_review_columns(columns, {"seed.toml": seed}))) == _expected({"seed.toml": seed})


def test_empty_batch() -> None:
    """A batch without tables has no findings and an empty summary."""
    columns = _columns({})
    assert review_columns(columns).num_rows == 0
    assert review_summary(columns, review_columns(columns)).num_rows == 0


@settings(max_examples=60, deadline=None)  # each example reviews whole batches both ways
@given(st.lists(documents(), min_size=1, max_size=3))
def test_same_findings_as_review(batch: list[pt.Document]) -> None:
    """On any documents, the column review gives the object review's findings, in its order.

    Every table of the batch takes the one column path (100 % of them): rebuilt from its rows
    and reviewed by the engine; what the columns cannot carry (the department part,
    suppressions) is taken out of the documents the object review is given.
    """
    files = {f"file{k}.json": document for k, document in enumerate(batch)}
    found = review_columns(_columns(files))
    expected = [
        (file, f.path, f.code, f.severity.value, f.message) for file, document in files.items()
        for f in review(_bare(document))
    ]
    data = found.to_pydict()
    assert list(zip(data["file"], data["path"], data["code"], data["severity"], data["message"], strict=True)) == (
        expected
    )
    assert _found(found) == _expected(files)


@settings(max_examples=60, deadline=None)  # each example reviews whole batches both ways
@given(_tables_with_unusual_rows())
def test_same_findings_with_not_applicable_cells(document: pt.Document) -> None:
    """Rows of 无 names, descriptions and bases, repeated or not, give the object review's findings."""
    files = {"unusual.json": document}
    columns = _columns(files)
    found = review_columns(columns)
    assert _found(found) == _expected(files)
    expected = review(_bare(document))
    assert found.column("message").to_pylist() == [f.message for f in expected]


@settings(max_examples=60, deadline=None)  # each example reviews whole batches both ways
@given(st.lists(project_targets(), min_size=1, max_size=4), st.sampled_from(["PT1", "PT3", "PT4", "PT5"]))
def test_same_findings_when_selected(projects: list[pt.ProjectTargets], selector: str) -> None:
    """Selecting a group of rules selects the same findings in both reviews."""
    files = {"one.json": pt.Document(projects=tuple(projects))}
    columns = _columns(files)
    expected = _expected(files, select=[selector])
    assert _found(review_columns(columns, select=[selector])) == expected


@settings(max_examples=60, deadline=None)  # each example reviews whole batches both ways
@given(st.lists(project_targets(), min_size=1, max_size=4))
def test_order_and_summary(projects: list[pt.ProjectTargets]) -> None:
    """Findings come in the object review's order, and the summary counts each table's findings."""
    document = pt.Document(projects=tuple(projects))
    files = {"one.json": document}
    columns = _columns(files)
    found = review_columns(columns)
    expected = review(_bare(document))
    assert list(zip(found.column("path").to_pylist(), found.column("code").to_pylist(), strict=True)) == [
        (f.path, f.code) for f in expected
    ]
    summary = review_summary(columns, found).to_pylist()
    for index, row in enumerate(summary):
        mine = [f for f in expected if f.path.startswith(f"projects[{index}]")]
        assert row["codes"] == " ".join(f.code for f in mine)
        assert row["errors"] == sum(f.severity.value == "error" for f in mine)
        assert row["indicators"] == len(projects[index].indicators)


@pytest.mark.parametrize("rule", [r for r in BUILTIN_RULES if r.fail_example is not None], ids=lambda r: r.code)
def test_rule_examples_at_second_place(rule: Rule) -> None:
    """Each rule's failing example, as the second table of a document, gives the object review's findings."""
    assert rule.fail_example is not None
    example = rule.fail_example.document()
    document = attrs.evolve(example, projects=(pt.load(SEED).projects[0], *example.projects))
    files = {"example.json": document}
    columns = _columns(files)
    assert _found(review_columns(columns)) == _expected(files)


def test_garbage_collector_state_is_restored() -> None:
    """The review pauses the garbage collector while it runs and leaves it as it found it."""
    import gc

    document = pt.load(SEED)
    files = {"seed.toml": document}
    columns = _columns(files)
    assert gc.isenabled()
    review_columns(columns)
    assert gc.isenabled()
    gc.disable()
    try:
        review_columns(columns)
        assert not gc.isenabled()
    finally:
        gc.enable()


_TO_UNIT = {"元": Decimal(10000), "千元": Decimal(10), "万元": Decimal(1), "亿元": Decimal("0.0001")}


@settings(max_examples=60, deadline=None)  # each example reviews a table both ways
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2),
            st.sampled_from(sorted(_TO_UNIT)),
            st.sampled_from([-1, 0, 1]),
            st.sampled_from(["≤", "≥", "=", ""]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_cost_targets_near_the_budget(cases: list[tuple[Decimal, str, int, str]]) -> None:
    """Money targets of cost rows at, just below and just above the budget (PT403) in any money unit."""
    base = pt.load(SEED).projects[0]
    projects = []
    for budget, unit, step, comparator in cases:
        value = budget * _TO_UNIT[unit] + Decimal(step) * Decimal("0.01")
        cost = pt.Indicator(
            level1="产出指标", level2="成本指标", name="人均费用", description="每人的费用",
            target=pt.Threshold.parse(f"{comparator}{value}{unit}"), basis=pt.Basis("工作要求"),
        )
        goal = attrs.evolve(base.goals[0], indicators=(*base.goals[0].indicators, cost))
        projects.append(attrs.evolve(base, budget=pt.Budget(total=budget), goals=(goal, *base.goals[1:])))
    files = {"money.json": pt.Document(projects=tuple(projects))}
    columns = _columns(files)
    assert _found(review_columns(columns)) == _expected(files)


@settings(max_examples=17, deadline=None)  # each example reviews a batch of 4 tables both ways (5 in dev)
@given(st.lists(project_targets(), min_size=4, max_size=5))
def test_some_tables_of_a_document(projects: list[pt.ProjectTargets]) -> None:
    """Tables 1 and 3 of a document alone (their ``project`` column says where) give their findings there."""
    pc = pytest.importorskip("pyarrow.compute")
    document = pt.Document(projects=tuple(projects))
    files = {"one.json": document}
    columns = _columns(files)
    kept = [1, 3]
    tables = columns.tables.take(kept)
    tables = tables.set_column(tables.column_names.index("table"), "table", pa.array([0, 1], pa.int32()))
    rows = pc.is_in(columns.indicators.column("table"), value_set=pa.array(kept, pa.int32()))
    indicators = columns.indicators.filter(rows)
    renumbered = pc.if_else(pc.equal(indicators.column("table"), 1), 0, 1).cast(pa.int32())
    indicators = indicators.set_column(indicators.column_names.index("table"), "table", renumbered)
    found = review_columns(Columns(tables=tables, indicators=indicators))
    cross = pc.is_in(found.column("code"), value_set=pa.array(sorted(_CROSS)))  # rules comparing tables
    found = found.filter(pc.invert(cross))
    expected = [
        f for f in review(_bare(document))
        if f.path.startswith(("projects[1]", "projects[3]")) and f.code not in _CROSS
    ]
    assert found.column("path").to_pylist() == [f.path for f in expected]
    assert found.column("message").to_pylist() == [f.message for f in expected]


_CROSS = frozenset({"PT601", "PT602"})  # two tables of one code, of different years: the document's, not a table's


def test_columns_that_describe_no_table_are_refused() -> None:
    """An indicator of no table, or a table at a negative place, is refused with the column named."""
    seed = pt.load(SEED)
    columns = _columns({"seed.toml": seed})
    indicators = columns.indicators
    wrong = indicators.set_column(
        indicators.column_names.index("table"), "table", pa.array([5] * indicators.num_rows, pa.int32())
    )
    with pytest.raises(pt.InvalidValueError, match="'table' column must name a table"):
        review_columns(Columns(tables=columns.tables, indicators=wrong))
    tables = columns.tables.set_column(columns.tables.column_names.index("project"), "project", pa.array([-1], pa.int32()))
    with pytest.raises(pt.InvalidValueError, match="'project' column"):
        review_columns(Columns(tables=tables, indicators=indicators))


# --- the rebuilt indicators are what Indicator.__init__ makes -------------------------------------


@settings(max_examples=31, deadline=None)  # each example flattens and rebuilds a document (9 in dev)
@given(st.lists(project_targets(), min_size=1, max_size=3))
def test_rebuilt_indicators_are_those_init_makes(projects: list[pt.ProjectTargets]) -> None:
    """Each rebuilt row (filled by plain assignment) equals ``Indicator(...)`` of its own values, field by field."""
    from perftarget._formats.columnar import clean_columns, kernel_modules
    from perftarget._formats.columnar_review import _indicators

    pa_, pc, np = kernel_modules("test")
    columns = clean_columns(_columns({"one.json": pt.Document(projects=tuple(projects))}), pa_, pc, np)
    *_, made = _indicators(columns, np, pc)
    assert len(made) == sum(len(project.indicators) for project in projects)
    for indicator in made:
        assert type(indicator) is pt.Indicator
        values = {field.name: getattr(indicator, field.name) for field in attrs.fields(pt.Indicator)}
        again = pt.Indicator(**values)
        assert all(getattr(again, name) is value or getattr(again, name) == value for name, value in values.items())


def test_post_init_of_an_indicator_reads_only_its_levels() -> None:
    """The rebuild runs ``Indicator.__attrs_post_init__`` once per distinct pair of levels: it reads nothing else."""
    from perftarget._codec.fast import _fields_read

    fields = {field.name for field in attrs.fields(pt.Indicator)}
    assert _fields_read(pt.Indicator.__attrs_post_init__, fields) == ["level1", "level2"]


def _with_cells(columns: Columns, name: str, values: list[object]) -> Columns:
    indicators = columns.indicators
    array = pa.array(values, pa.string())
    return Columns(tables=columns.tables, indicators=indicators.set_column(indicators.column_names.index(name), name, array))


@pytest.mark.parametrize(
    ("name", "cell", "match"),
    [("weight", "-1", "weight: must not be negative"), ("level2", "服务对象满意度指标", "does not belong to level-1")],
)
def test_cells_init_refuses_are_refused(name: str, cell: str, match: str) -> None:
    """A cell ``Indicator(...)`` refuses (a negative weight, a level-2 of another level-1) is refused with its error."""
    seed = pt.load(SEED)
    columns = _columns({"seed.toml": seed})
    rows = columns.indicators.num_rows
    values = columns.indicators.column(name).cast(pa.string()).to_pylist()
    first = next(k for k in range(rows) if seed.projects[0].indicators[k].level1_label == "产出指标")
    values[first] = cell
    with pytest.raises(pt.InvalidValueError, match=match):  # as __init__ refuses it
        attrs.evolve(seed.projects[0].indicators[first], **{name: Decimal(cell) if name == "weight" else cell})
    with pytest.raises(pt.InvalidValueError, match=match):
        review_columns(_with_cells(columns, name, values))


@settings(max_examples=31, deadline=None)  # each example reviews a batch three times (9 in dev)
@given(st.lists(project_targets(), min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_rows_in_any_order(projects: list[pt.ProjectTargets], random) -> None:
    """The indicator rows may come in any order: each table is rebuilt from its rows by their paths."""
    files = {"one.json": pt.Document(projects=tuple(projects))}
    columns = _columns(files)
    order = list(range(columns.indicators.num_rows))
    random.shuffle(order)
    shuffled = Columns(tables=columns.tables, indicators=columns.indicators.take(pa.array(order, pa.int64())))
    assert review_columns(shuffled).to_pylist() == review_columns(columns).to_pylist()
    assert _found(review_columns(columns)) == _expected(files)
