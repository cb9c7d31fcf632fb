"""The compiled module (``perftarget._speedups``): its writer gives the cattrs path's bytes or declines,
its indicator builder gives what the Python builder gives.

It is built at install time when a C compiler is at hand; these tests skip when it was not
built (the CI of this project checks that it was).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import perftarget as pt
from perftarget._model import Basis, BasisCategory, Budget, Document, Goal, Indicator
from perftarget._serialization import to_dict
from perftarget.testing import documents, project_targets

_fast = pytest.importorskip("perftarget._fast")
_speedups = pytest.importorskip("perftarget._speedups")

ROOT = Path(__file__).resolve().parent.parent


def _expected(obj: object) -> bytes | None:
    """What the cattrs path writes, as UTF-8; None when that text has no UTF-8 form (a lone surrogate)."""
    text = json.dumps(to_dict(obj), ensure_ascii=False, indent=2) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _seed() -> Document:
    return pt.load(ROOT / "examples" / "petition-bureau.toml")


def _first_indicator(document: Document) -> Indicator:
    return document.projects[0].goals[0].indicators[0]


def _with_indicator(document: Document, indicator: Indicator) -> Document:
    """The document with its first indicator replaced."""
    project = document.projects[0]
    goal = project.goals[0]
    goal = attrs.evolve(goal, indicators=(indicator, *goal.indicators[1:]))
    project = attrs.evolve(project, goals=(goal, *project.goals[1:]))
    return attrs.evolve(document, projects=(project, *document.projects[1:]))


def test_in_use():
    """When it was built from the source beside it, the fast path writes with it."""
    assert _fast._SPEEDUPS is _speedups
    source = Path(_fast.__file__).with_name("_speedups.c").read_bytes()
    assert _fast.hashlib.sha256(source).hexdigest() == _speedups.SOURCE_SHA256


@given(documents())
def test_writes_what_cattrs_writes(document):
    """Any document: the cattrs path's bytes exactly."""
    assert _speedups.dump(document) == _expected(document)


@given(project_targets())
def test_project_tables_alone(project):
    """A project table on its own too."""
    assert _speedups.dump(project) == _expected(project)


@given(documents())
def test_the_struct_writer_still_writes_the_same(document):
    """Without the compiled writer, the msgspec writer gives the same bytes (it serves where it is not built)."""
    written = _speedups.dump(document)
    saved = _fast._SPEEDUPS
    _fast._SPEEDUPS = None
    try:
        assert _fast.dumps_json_bytes(document) == written
    finally:
        _fast._SPEEDUPS = saved


_ANY_TEXT = st.text(st.characters(), max_size=12)
"""Any text at all: control characters, quotes, backslashes, Latin-1, astral characters, lone surrogates."""


@given(name=_ANY_TEXT.filter(bool), description=_ANY_TEXT, notes=_ANY_TEXT, key=st.none() | _ANY_TEXT)
def test_any_text_is_escaped_as_json_escapes_it(name, description, notes, key):
    """Every character is written as the json module writes it; a lone surrogate makes it decline."""
    base = _seed()
    indicator = attrs.evolve(_first_indicator(base), name=name, description=description, key=key)
    document = attrs.evolve(_with_indicator(base, indicator), notes=notes)
    assert _speedups.dump(document) == _expected(document)
    assert pt.dumps(document) == json.dumps(to_dict(document), ensure_ascii=False, indent=2) + "\n"


_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, min_value=0, max_value=10**12) | st.sampled_from(
    [Decimal("1E+3"), Decimal("0E-7"), Decimal("1.50"), Decimal("-0"), Decimal("12345678901234567890.5"), Decimal("0.000001")]
)


@given(weight=_DECIMALS, total=_DECIMALS, fiscal=st.none() | _DECIMALS)
def test_decimals_are_written_as_the_converter_writes_them(weight, total, fiscal):
    """Exponents, trailing zeros, -0 and long digits: the stored text of every decimal."""
    base = _seed()
    indicator = attrs.evolve(_first_indicator(base), weight=weight)
    document = _with_indicator(base, indicator)
    project = attrs.evolve(document.projects[0], budget=Budget(total=total, fiscal=fiscal))
    document = attrs.evolve(document, projects=(project, *document.projects[1:]))
    assert _speedups.dump(document) == _expected(document)


def test_every_optional_field_and_enum():
    """Level labels kept as text, a basis with a category, suppressions, a department: all as cattrs writes them."""
    base = _seed()
    indicator = attrs.evolve(
        _first_indicator(base),
        level1="自定义一级",
        level2=None,
        basis=Basis("行业标准文件", BasisCategory.INDUSTRY),
        suppressions=(pt.Suppression("PT301", "原表如此"),),
    )
    document = _with_indicator(base, indicator)
    project = attrs.evolve(document.projects[0], year_assumed=True, purpose="", suppressions=(pt.Suppression("PT110", "x"),))
    document = attrs.evolve(document, projects=(project, *document.projects[1:]))
    assert document.department is not None
    assert _speedups.dump(document) == _expected(document)


def _declined(document: Document) -> None:
    """The compiled writer declines, and dumps still gives the cattrs path's text."""
    assert _speedups.dump(document) is None
    assert pt.dumps(document) == json.dumps(to_dict(document), ensure_ascii=False, indent=2) + "\n"


class _Name(str):
    """A str subclass (the json module writes its characters; the compiled writer leaves it to the general writer)."""

    __slots__ = ()


def test_declines_what_it_does_not_know():
    """A str subclass, a bool for a year, a datetime for a date, a year beyond 64 bits: declined."""
    base = _seed()
    _declined(_with_indicator(base, attrs.evolve(_first_indicator(base), name=_Name("名称"))))
    project = base.projects[0]
    _declined(attrs.evolve(base, projects=(attrs.evolve(project, schedule=None, year=True), *base.projects[1:])))
    schedule = project.schedule
    assert schedule is not None
    checkpoint = attrs.evolve(schedule.checkpoints[0])
    moment = dt.datetime.combine(checkpoint.date, dt.time(12))
    object.__setattr__(checkpoint, "date", moment)  # the model refuses it; a writer must not trust that
    changed = attrs.evolve(schedule)
    object.__setattr__(changed, "checkpoints", (checkpoint, *schedule.checkpoints[1:]))
    assert _speedups.dump(attrs.evolve(base, projects=(attrs.evolve(project, schedule=changed), *base.projects[1:]))) is None
    huge = attrs.evolve(project, schedule=None, year=2**70)
    assert _speedups.dump(huge) is None
    assert _speedups.dump(Goal("目标")) is None
    assert _speedups.dump("not a document") is None


def test_an_unset_field_is_declined_not_read():
    """An instance made without __init__ has empty slots: the writer declines instead of reading them."""
    base = _seed()
    empty = object.__new__(Indicator)
    goal = attrs.evolve(base.projects[0].goals[0], indicators=(empty,))
    project = attrs.evolve(base.projects[0], goals=(goal,))
    assert _speedups.dump(project) is None


def test_an_error_in_a_callback_propagates_and_dumps_still_works(monkeypatch):
    """When the target text cannot be made, dump raises that error; perftarget.dumps hands over to cattrs."""
    document = _seed()

    def broken(_: Any) -> str:
        raise ZeroDivisionError

    types = {cls.__name__: cls for cls in (*_fast._CLASSES, _fast.Level1, _fast.Level2, BasisCategory, Decimal)}
    monkeypatch.setattr(_fast, "_WRITTEN", {})
    try:
        _speedups.configure(types, {}, broken, _fast._number, _fast.SCHEMA_VERSION)
        with pytest.raises(ZeroDivisionError):
            _speedups.dump(document)
        assert pt.dumps_bytes(document) == _expected(document)
    finally:
        _speedups.configure(types, _fast._WRITTEN, _fast._target_text, _fast._number, _fast.SCHEMA_VERSION)
    assert _speedups.dump(document) == _expected(document)


def test_configure_refuses_a_class_without_slots_and_keeps_what_it_had():
    """A model class whose fields are not slots is refused, and the writer goes on as configured before."""

    @attrs.define(slots=False)
    class Loose:
        name: str = ""

    types = {cls.__name__: cls for cls in (*_fast._CLASSES, _fast.Level1, _fast.Level2, BasisCategory, Decimal)}
    types["Indicator"] = Loose
    with pytest.raises(TypeError, match=r"Indicator\.name is not a slot"):
        _speedups.configure(types, _fast._WRITTEN, _fast._target_text, _fast._number, _fast.SCHEMA_VERSION)
    document = _seed()
    assert _speedups.dump(document) == _expected(document)


def test_a_stale_build_is_not_used(monkeypatch):
    """A module built from another version of _speedups.c (an editable install after an edit) is not used."""
    monkeypatch.setattr(_speedups, "SOURCE_SHA256", "0" * 64)
    assert _fast._compiled_speedups() is None


def test_no_references_are_leaked():
    """Writing the same document again and again leaves the reference counts of its leaves as they were."""
    document = _seed()
    indicator = _first_indicator(document)
    leaves = [indicator.name, indicator.target, indicator.basis, indicator.level1, document.projects[0].budget.total,
              document.projects[0].unit, document.projects[0].code]
    _speedups.dump(document)
    before = [sys.getrefcount(leaf) for leaf in leaves]
    for _ in range(50):
        assert _speedups.dump(document) is not None
    assert [sys.getrefcount(leaf) for leaf in leaves] == before


def test_generated_province_is_written_identically():
    """The benchmark's realistic tables: the same bytes as the cattrs path."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    document = pt.loads(json.dumps(generate.document(generate.generate_tables(200, seed=5)), ensure_ascii=False))
    assert _speedups.dump(document) == _expected(document)


# --- reading: build_indicators ----------------------------------------------------------------


@pytest.fixture(scope="session")
def identical(load_script):
    """tests/test_fast.py's comparison: equal, of the same types, with the same source texts and digits."""
    return load_script("tests/test_fast.py")._identical


def test_reading_builds_indicators_in_c():
    """The fast path builds the indicators of each goal with the compiled builder."""
    assert _fast._BUILD_INDICATORS is _speedups.build_indicators


@given(documents())
def test_indicators_are_built_as_the_python_builder_builds_them(identical, document):
    """Any document read back: the compiled builder and the Python one give identical objects."""
    text = json.dumps(to_dict(document), ensure_ascii=False, indent=2)
    compiled = _fast.loads_json(text)
    saved = _fast._BUILD_INDICATORS
    _fast._BUILD_INDICATORS = _fast._indicators
    try:
        python = _fast.loads_json(text)
    finally:
        _fast._BUILD_INDICATORS = saved
    assert compiled is not None
    identical(compiled, python)  # and tests/test_fast.py compares the fast path with cattrs
    for goal_c, goal_p in zip(
        (g for p in compiled.projects for g in p.goals), (g for p in python.projects for g in p.goals), strict=True
    ):
        for a, b in zip(goal_c.indicators, goal_p.indicators, strict=True):
            assert a.target is b.target  # the same shared threshold, from the same cache
            assert a.weight is b.weight


def test_a_bad_level_pair_raises_the_model_error():
    """A level-2 of another level-1 raises what the model raises; loads then reports it through cattrs."""
    struct = _fast._IndicatorS(name="指标", target="≥1个", level1="产出指标", level2="社会效益指标")
    with pytest.raises(pt.InvalidValueError, match="does not belong"):
        _speedups.build_indicators([struct])


def test_build_indicators_refuses_what_is_not_a_list_of_structs():
    """Anything but a list of the decoder's indicator structs is refused with an error, never read."""
    with pytest.raises(TypeError):
        _speedups.build_indicators(("not", "a", "list"))
    with pytest.raises(TypeError):
        _speedups.build_indicators([object()])
    assert _speedups.build_indicators([]) == ()


def test_build_indicators_keeps_reference_counts(identical):
    """Building the same structs again and again leaves the reference counts of the shared leaves as they were."""
    structs = [_fast._IndicatorS(name="指标", target="≥95%", level1="产出指标", level2="质量指标", basis="工作要求",
                                 weight="10")]
    built = _speedups.build_indicators(structs)
    leaves = [built[0].target, built[0].basis, built[0].weight, built[0].level1, structs[0].name]
    before = [sys.getrefcount(leaf) for leaf in leaves]
    for _ in range(50):
        again = _speedups.build_indicators(structs)
        identical(again, built)
        del again
    assert [sys.getrefcount(leaf) for leaf in leaves] == before
