"""Hypothesis strategies for every perftarget model type, for your own tests too.

Install the ``hypothesis`` extra (``pip install perftarget[hypothesis]``), then::

    from hypothesis import given
    from perftarget.testing import documents

    @given(documents())
    def test_my_tool_reads_any_document(document): ...

Every strategy builds values through the public constructors, so whatever it
produces satisfies the model's invariants. ``st.from_type(Threshold)`` and friends
work too: the package registers these strategies with Hypothesis.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from perftarget.exceptions import MissingDependencyError

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised in a subprocess without hypothesis
    raise MissingDependencyError("hypothesis", "hypothesis", "perftarget.testing") from None

from perftarget._model.targets import (
    TABLE_FORMS,
    Basis,
    BasisCategory,
    Budget,
    CostItem,
    DepartmentTargets,
    Detail,
    Document,
    Goal,
    Indicator,
    Measure,
    ProjectTargets,
    RegionalTarget,
    Suppression,
    Unit,
    common_target,
)
from perftarget._values.levels import Level1, Level2, Schema
from perftarget._values.schedule import Checkpoint, SpendingSchedule
from perftarget._values.threshold import Comparator, Threshold, ThresholdKind
from perftarget.excel._layouts import heading_key, label_roles

__all__ = [
    "amounts",
    "assert_identical",
    "bases",
    "budgets",
    "checkpoints",
    "cost_items",
    "department_targets",
    "documents",
    "goals",
    "indicators",
    "measures",
    "project_targets",
    "qualitative_statements",
    "regional_targets",
    "schedules",
    "suppressions",
    "thresholds",
    "units",
    "units_of_measure",
]

def assert_identical(a: object, b: object, where: str = "$") -> None:
    """Assert ``a == b`` and more: what ``==`` ignores is equal too, field by field.

    A target's printed source text, a decimal's digits (``Decimal("10.00")`` is not identical to
    ``Decimal("10")``) and exact types are compared; the message names the first field that
    differs (``$.projects[0].budget.total``). Use it to test a reader or writer of your own.

    .. versionadded:: 0.1.0
    """
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"  # noqa: S101 - an assertion helper
    kind = type(a)
    if attrs.has(kind):
        for field in attrs.fields(kind):
            assert_identical(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, tuple):
        assert isinstance(b, tuple)  # noqa: S101
        assert len(a) == len(b), f"{where}: {len(a)} != {len(b)} items"  # noqa: S101
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_identical(x, y, f"{where}[{index}]")
    elif isinstance(a, Decimal):
        assert isinstance(b, Decimal)  # noqa: S101
        assert a.as_tuple() == b.as_tuple(), f"{where}: {a!r} != {b!r}"  # noqa: S101
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"  # noqa: S101


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_TEXT = st.text(alphabet=st.one_of(_CJK, st.sampled_from("，、。（）0123456789ABCabc ")), min_size=1, max_size=24)

UNITS_OF_MEASURE = ("%", "‰", "个", "次", "人", "人次", "户", "项", "件", "天", "个工作日", "月", "小时/天",
                    "元", "万元", "亿元", "万元/人", "")
QUALITATIVE = ("按时发放", "良好", "应保尽保", "效果明显", "严格执行相关制度规定", "符合相关规定",
               "在项目计划完成时间内完成", "按月安排", "优", "较好", "达成预期指标")


def text() -> st.SearchStrategy[str]:
    """Short Chinese-looking text, stripped and non-empty."""
    return _TEXT.map(str.strip).filter(bool)


def amounts(*, max_value: int = 10**8, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Non-negative exact amounts with up to ``places`` decimals."""
    return st.decimals(min_value=0, max_value=max_value, places=places, allow_nan=False, allow_infinity=False)


def units_of_measure() -> st.SearchStrategy[str]:
    """Units as they appear in tables (``%``, ``个``, ``小时/天``, ``万元``...), and none."""
    return st.sampled_from(UNITS_OF_MEASURE)


def qualitative_statements() -> st.SearchStrategy[str]:
    """Qualitative targets: real ones, and Chinese text that does not read as a number."""
    generated = text().filter(lambda s: Threshold.parse(s).kind is ThresholdKind.QUALITATIVE)
    return st.one_of(st.sampled_from(QUALITATIVE), generated)


@st.composite
def _quantitative(draw: st.DrawFn) -> Threshold:
    unit = draw(units_of_measure())
    value = draw(st.decimals(min_value=-1000, max_value=10**6, places=draw(st.integers(0, 3)),
                             allow_nan=False, allow_infinity=False))
    comparator = draw(st.sampled_from(list(Comparator)))
    if comparator is Comparator.BETWEEN:
        upper = value + draw(amounts(max_value=1000, places=2))
        return Threshold.between(value, upper, unit)
    inferred = comparator is Comparator.GE and draw(st.booleans())
    return Threshold(kind=ThresholdKind.QUANTITATIVE, comparator=comparator, value=value, unit=unit,
                     inferred=inferred)


def thresholds(*, kinds: tuple[ThresholdKind, ...] = tuple(ThresholdKind)) -> st.SearchStrategy[Threshold]:
    """Targets of the given kinds: quantitative (every comparator), qualitative, 无, blank (no target printed).

    .. versionchanged:: 0.2.0 blank targets (``Threshold.blank()``, the empty cell).
    """
    options: list[st.SearchStrategy[Threshold]] = []
    if ThresholdKind.QUANTITATIVE in kinds:
        options.append(_quantitative())
    if ThresholdKind.QUALITATIVE in kinds:
        options.append(qualitative_statements().map(Threshold.qualitative))
    if ThresholdKind.NOT_APPLICABLE in kinds:
        options.append(st.sampled_from(["无", "/", "—", "不适用"]).map(Threshold.parse))
    if ThresholdKind.BLANK in kinds:
        options.append(st.just(Threshold.blank()))
    return st.one_of(options)


def units() -> st.SearchStrategy[Unit]:
    """Budget units (预算单位)."""
    return st.builds(Unit, st.from_regex(r"\A[0-9]{6}\Z"), text())


def budgets() -> st.SearchStrategy[Budget]:
    """Budgets whose parts add up (or are partly missing)."""

    @st.composite
    def build(draw: st.DrawFn) -> Budget:
        fiscal = draw(amounts(max_value=100000))
        other = draw(amounts(max_value=100000))
        shape = draw(st.sampled_from(["all", "total", "fiscal"]))
        if shape == "all":
            return Budget(total=fiscal + other, fiscal=fiscal, other=other)
        if shape == "fiscal":
            return Budget(total=fiscal, fiscal=fiscal)
        return Budget(total=fiscal + other)

    return build()


def bases() -> st.SearchStrategy[Basis]:
    """指标值确定依据 with or without a category."""
    return st.builds(Basis, text(), st.none() | st.sampled_from(list(BasisCategory)))


def _level_pair(schema: Schema) -> st.SearchStrategy[tuple[Level1, Level2]]:
    pairs = [(l1, l2) for l1, members in schema.tree.items() for l2 in members]
    return st.sampled_from(pairs)


UNKNOWN_LEVEL2 = ("社会公众或服务对象满意度指标", "满意度", "其他指标")


def suppressions() -> st.SearchStrategy[Suppression]:
    """Suppressions of a review rule, with a reason."""
    return st.builds(Suppression, st.from_regex(r"\APT[1-5][0-9]{2}\Z"), text())


REGIONS = ("新罗区", "永定区", "上杭县", "武平县", "长汀县", "连城县", "漳平市", "笏石街道办", "埭头镇")
"""Regions as 福建's 区域目标值 columns name them (龙岩市 counties, 秀屿区 townships)."""


def regional_targets(
    *, regions: tuple[str, ...] = REGIONS, max_size: int = 4
) -> st.SearchStrategy[tuple[RegionalTarget, ...]]:
    """Targets per region (福建 区域目标值): some of ``regions``, each once and each target saying something.

    Mostly in the order of ``regions`` (as one table's columns give them), sometimes in another.

    .. versionadded:: 0.2.0
    """

    @st.composite
    def build(draw: st.DrawFn) -> tuple[RegionalTarget, ...]:
        chosen = sorted(draw(st.sets(st.integers(0, len(regions) - 1), max_size=max_size)))
        if draw(st.integers(0, 3)) == 0:
            chosen = draw(st.permutations(chosen))
        kinds = (ThresholdKind.QUANTITATIVE, ThresholdKind.QUALITATIVE, ThresholdKind.NOT_APPLICABLE)
        shared = draw(thresholds(kinds=kinds))
        same = draw(st.booleans())  # the regions agree on the target (then it is the indicator's)
        return tuple(
            RegionalTarget(regions[index], shared if same else draw(thresholds(kinds=kinds))) for index in chosen
        )

    return build()


NOT_APPLICABLE_NAMES = ("无", "/")
"""The names a 无 row prints in its 三级指标 cell (a level-2 that does not apply: ``生态效益指标 | 无 | 无``)."""


def indicators(
    *, schema: Schema = Schema.CLASSIC, levels: bool = True, unusual: bool = True, nameless: bool = False
) -> st.SearchStrategy[Indicator]:
    """Indicators placed in ``schema``'s tree (or without levels, as in department narratives).

    With ``unusual`` (the default), some indicators also carry what real tables and tools
    add now and then: a stable ``key``, suppressions, a level-2 label outside the national
    trees (kept as text), or no level-2 at all; the columns of a provincial layout, and
    targets per region (:func:`regional_targets`, the indicator's own target then mostly the
    regions' common one); and some are 无 rows, a level-2 that does not apply, named 无 or
    ``/`` with a 无 target. With ``nameless``, some 无 rows have no name at all (the 三级指标
    cell empty), as published tables print them.

    .. versionchanged:: 0.2.0 无 rows, ``nameless``, and targets per region.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Indicator:
        level1: Level1 | str | None = None
        level2: Level2 | str | None = None
        if levels:
            level1, level2 = draw(_level_pair(schema))
            if unusual:
                level2 = draw(st.sampled_from([level2] * 8 + [None, *UNKNOWN_LEVEL2]))
        if unusual and draw(st.integers(0, 7)) == 0:  # a 无 row: the level-2 does not apply
            names = [*NOT_APPLICABLE_NAMES, ""] if nameless else list(NOT_APPLICABLE_NAMES)
            marks = ["无", "/", "—", "不适用", "……"] if nameless else ["无", "/", "—", "不适用"]
            return Indicator(level1=level1, level2=level2, name=draw(st.sampled_from(names)),
                             target=Threshold.parse(draw(st.sampled_from(marks))))
        extras = unusual and draw(st.integers(0, 5)) == 0
        published = unusual and draw(st.integers(0, 3)) == 0  # the columns of a provincial layout
        regional: tuple[RegionalTarget, ...] = draw(regional_targets()) if published and draw(st.booleans()) else ()
        own = bool(regional) and draw(st.integers(0, 3)) > 0  # mostly the regions' common target, as read
        target = common_target(regional) if own else draw(thresholds())
        return Indicator(
            level1=level1,
            level2=level2,
            name=draw(text()),
            target=target,
            description=draw(st.just("") | text()),
            basis=draw(st.none() | bases()),
            weight=draw(st.none() | amounts(max_value=50, places=1)),
            key=draw(st.none() | st.from_regex(r"\A[a-z][a-z0-9-]{0,11}\Z")) if extras else None,
            suppressions=tuple(draw(st.lists(suppressions(), max_size=2))) if extras else (),
            unit_text=draw(units_of_measure()) if published else "",
            value_kind=draw(st.sampled_from(["", "定量", "定性"])) if published else "",
            scoring_rule=draw(st.just("") | text()) if published else "",
            remarks=draw(st.just("") | text()) if published else "",
            last_year=draw(st.just("") | text()) if published else "",
            regional_targets=regional,
        )

    return build()


def goals(
    *, schema: Schema = Schema.CLASSIC, levels: bool = True, max_indicators: int = 6, nameless: bool = False
) -> st.SearchStrategy[Goal]:
    """Goals with a few indicators (``nameless``: some 无 rows without a name, see :func:`indicators`)."""
    return st.builds(
        Goal, text(),
        st.lists(indicators(schema=schema, levels=levels, nameless=nameless), max_size=max_indicators).map(tuple),
    )


def checkpoints(
    fiscal_year: int, *, start_month: int = 1, multi_year: bool = False
) -> st.SearchStrategy[tuple[Checkpoint, ...]]:
    """A valid plan's checkpoints: month ends in order, with non-decreasing percents.

    The last is 100 (or below, for a multi-year plan); dates fall in a fiscal year starting
    in ``start_month``.
    """

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Checkpoint, ...]:
        offsets = sorted(draw(st.sets(st.integers(0, 10), max_size=4)))
        offsets.append(11)
        count = len(offsets)
        percents = sorted(draw(st.lists(amounts(max_value=100, places=1), min_size=count, max_size=count)))
        if not multi_year:
            percents[-1] = Decimal(100)
        start = dt.date(fiscal_year, start_month, 1)
        out = []
        for offset, percent in zip(offsets, percents, strict=True):
            day = start + relativedelta(months=offset + 1, days=-1)
            label = draw(st.none() | st.just(f"{day.month}月底"))
            out.append(Checkpoint(date=day, percent=percent, label=label))
        return tuple(out)

    return build()


def schedules(fiscal_year: int | None = None) -> st.SearchStrategy[SpendingSchedule]:
    """Valid spending plans (资金支出计划) for ``fiscal_year`` (any year when ``None``).

    Most start in January and end at 100 %; some start in April or October, and some
    are multi-year plans that end below 100 %.
    """

    @st.composite
    def build(draw: st.DrawFn) -> SpendingSchedule:
        year = fiscal_year if fiscal_year is not None else draw(st.integers(2015, 2035))
        start_month = draw(st.sampled_from([1, 1, 1, 1, 4, 10]))
        multi_year = draw(st.integers(0, 7)) == 0
        points = draw(checkpoints(year, start_month=start_month, multi_year=multi_year))
        return SpendingSchedule(fiscal_year=year, checkpoints=points, multi_year=multi_year, start_month=start_month)

    return build()


def measures() -> st.SearchStrategy[Measure]:
    """Guarantee measures."""
    return st.builds(Measure, text(), st.just("") | text())


_DETAIL_LABELS: Final = ("项目负责人", "联系电话", "建设周期", "项目总体概况")
"""Labels that published layouts register as details (the ``detail`` label role), so that they read back."""


def _details() -> st.SearchStrategy[Detail]:
    return st.builds(Detail, st.sampled_from(_DETAIL_LABELS), st.just("") | text())


_NOT_COST_NAMES = frozenset({"合计", "总计", *label_roles("project")})
"""合计, and the project table's labels (上年结转, 项目名称...): a cost row so named reads as that row."""


def cost_items(*, years: int = 2) -> st.SearchStrategy[CostItem]:
    """Cost build-up rows (预算成本构成): a name, an amount, a basis, up to ``years`` prior actuals.

    The name is never 合计 or a label of the project table (a cost row so named reads as that row).
    Some carry the prior year's budget (上年度预算安排).
    """
    return st.builds(
        CostItem,
        text().filter(lambda name: heading_key(name) not in _NOT_COST_NAMES),
        st.none() | amounts(),
        st.just("") | text(),
        st.lists(st.none() | amounts(), max_size=years).map(tuple),
        st.none() | st.none() | amounts(),
    )


def project_targets(*, schema: Schema = Schema.CLASSIC, nameless: bool = False) -> st.SearchStrategy[ProjectTargets]:
    """Project target tables, valid by the model's invariants (not necessarily clean by review).

    ``nameless``: some 无 rows have no name (see :func:`indicators`).
    """

    @st.composite
    def build(draw: st.DrawFn) -> ProjectTargets:
        year = draw(st.integers(2015, 2035))
        project = ProjectTargets(
            unit=draw(units()),
            code=draw(st.from_regex(r"\A[0-9]{8}P[0-9]{10}\Z")),
            name=draw(text()),
            year=year,
            budget=draw(budgets()),
            purpose=draw(st.just("") | text()),
            schedule=draw(st.none() | schedules(year)),
            goals=tuple(draw(st.lists(goals(schema=schema, nameless=nameless), min_size=1, max_size=2))),
            year_assumed=draw(st.booleans()),
            suppressions=tuple(draw(st.lists(suppressions(), max_size=1))),
            form=draw(st.sampled_from(TABLE_FORMS)),
        )
        if draw(st.integers(0, 3)) == 0:
            project = attrs.evolve(project, **draw(_published_project()))
        return project

    return build()


@st.composite
def _published_project(draw: st.DrawFn) -> dict[str, Any]:
    """What provincial project layouts print besides the core: 主管部门, 项目类别, the cost build-up..."""
    costs = tuple(draw(st.lists(cost_items(), max_size=3)))
    return {
        "department": draw(st.just("") | text()),
        "category": draw(st.sampled_from(["", "专项业务类", "公用经费类", "部门预算项目"])),
        "nature": draw(st.sampled_from(["", "延续性项目", "新增项目", "一次性项目"])),
        "grounds": draw(st.just("") | text()),
        "carryover": draw(st.none() | amounts()),
        "costs": costs,
        "cost_total": draw(st.none() | amounts()),
        "measures": tuple(draw(st.lists(measures(), max_size=2))),
        "details": tuple(draw(st.lists(_details(), max_size=2))),
    }


def department_targets(*, levels: bool = False, nameless: bool = False) -> st.SearchStrategy[DepartmentTargets]:
    """Department-wide targets with narrative goals (indicators without levels).

    With ``levels``, the goals have an indicator table as 湖南's 整体绩效目标表 prints
    (``nameless``: some 无 rows without a name, see :func:`indicators`).

    .. versionchanged:: 0.2.0 ``levels`` and ``nameless``.
    """
    return st.builds(
        DepartmentTargets,
        unit=units(),
        year=st.integers(2015, 2035),
        duties=st.lists(text(), max_size=4).map(tuple),
        goals=st.lists(goals(levels=levels, max_indicators=4 if levels else 2, nameless=nameless),
                       max_size=3).map(tuple),
        measures=st.lists(measures(), max_size=3).map(tuple),
        year_assumed=st.booleans(),
    )


def documents(*, nameless: bool = False) -> st.SearchStrategy[Document]:
    """Whole documents: an optional department part and up to three projects.

    ``nameless``: some 无 rows have no name (see :func:`indicators`), and some department parts
    have an indicator table with levels.

    .. versionchanged:: 0.2.0 ``nameless``.
    """
    department = department_targets()
    if nameless:
        department |= department_targets(levels=True, nameless=True)
    return st.builds(
        Document,
        department=st.none() | department,
        projects=st.lists(project_targets(nameless=nameless), max_size=3).map(tuple),
        notes=st.just("") | text(),
    )
