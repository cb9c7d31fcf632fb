"""The msgspec fast path: what it hands over to the cattrs path, what it shares, how it is made.

That both paths read and write the same objects and bytes is tested in ``test_serialization.py``,
whose tests run over both.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import weakref
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perftarget as pt
from perftarget._codec import convert
from perftarget._codec.convert import from_dict, to_dict
from perftarget._codec.hooks import UNSTRUCTURE
from perftarget._model.targets import Document, Goal, ProjectTargets
from perftarget._values.levels import Level1, Level2
from perftarget._values.schedule import SpendingSchedule
from perftarget.testing import assert_identical, documents

_fast = pytest.importorskip("perftarget._codec.fast")
msgspec = pytest.importorskip("msgspec")

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"


def _cattrs_loads(text: str, cls: type = Document) -> Any:
    return from_dict(json.loads(text, parse_float=Decimal), cls)


def _cattrs_dumps(obj: object) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, indent=2) + "\n"


def _read_both(text):
    """(fast path, cattrs path) readings of ``text``; None when cattrs refuses it, which the fast path must too."""
    fast = _fast.loads_json(text)
    try:
        slow = _cattrs_loads(text)
    except pt.DocumentError:
        assert fast is None
        return None
    return fast, slow




# --- inputs only the cattrs path reads, and bad inputs ----------------------------------------

PROJECT: dict[str, Any] = {
    "schema_version": 1,
    "projects": [
        {
            "unit": {"code": "1", "name": "单位"},
            "code": "P1",
            "name": "项目",
            "year": 2022,
            "budget": {"total": "10.00", "fiscal": "10.00"},
            "schedule": {
                "fiscal_year": 2022,
                "checkpoints": [{"date": "2022-06-30", "percent": "50"}, {"date": "2022-12-31", "percent": "100"}],
            },
            "goals": [
                {
                    "content": "目标",
                    "indicators": [
                        {"name": "合格率", "target": "≥95%", "level1": "产出指标", "level2": "质量指标",
                         "basis": {"text": "标准", "category": "行业"}, "weight": "10"},
                        {"name": "次数", "target": 12, "basis": "计划"},
                    ],
                }
            ],
        }
    ],
}


def _with(path: str, value: object) -> str:
    data = json.loads(json.dumps(PROJECT))
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is _DELETE:
        del node[int(last) if last.isdigit() else last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return json.dumps(data, ensure_ascii=False)


_DELETE = object()
_INDICATOR = "projects.0.goals.0.indicators.0"

HANDED_OVER = [
    (f"{_INDICATOR}.weight", 7.5),  # a weight written as a JSON decimal
    ("projects.0.schedule.checkpoints.0.percent", 50.5),  # so is this percent
    (f"{_INDICATOR}.target", 95.5),  # a target written as a JSON decimal
]


@pytest.mark.parametrize(("path", "value"), HANDED_OVER)
def test_forms_only_cattrs_reads_are_handed_over(path, value):
    """Inputs the fast path does not read come back as None, and perftarget.loads still reads them."""
    text = _with(path, value)
    assert _fast.loads_json(text) is None
    assert_identical(pt.loads(text), _cattrs_loads(text))


def test_text_where_a_list_belongs_is_refused_by_both():
    """``"duties": "ab"`` was split into characters by cattrs; both paths now refuse it with its path."""
    text = _with("department", {"unit": {"code": "1", "name": "单位"}, "year": 2022, "duties": "ab"})
    assert _fast.loads_json(text) is None
    with pytest.raises(pt.DocumentError, match=r"department\.duties: expected a list \(got text"):
        pt.loads(text)


READ_BY_THE_SAME_HOOKS = [
    ("projects.0.budget.total", "1,000.00"),  # thousands separators
    ("projects.0.schedule.checkpoints.0.date", "20220630"),  # a basic ISO date
]


@pytest.mark.parametrize(("path", "value"), READ_BY_THE_SAME_HOOKS)
def test_forms_the_hooks_read_are_read_by_both(path, value):
    """Text the cattrs hooks read is read by the fast path through the same hooks (it used to hand these over)."""
    text = _with(path, value)
    fast = _fast.loads_json(text)
    assert fast is not None
    assert_identical(fast, _cattrs_loads(text))


BAD = [
    ("projects.0.budget.total", "NaN"),
    ("projects.0.budget.total", "-1"),
    ("projects.0.budget.other", "5"),
    ("projects.0.budget.colour", "red"),
    ("projects.0.code", 7),
    ("projects.0.year", 2022.0),
    ("projects.0.year", True),
    ("projects.0.schedule.checkpoints.1.percent", "90"),
    ("projects.0.schedule.checkpoints.0.percent", "Infinity"),
    ("projects.0.schedule.checkpoints.0.percent", "101"),
    ("projects.0.schedule.checkpoints.0.percent", "-1"),
    ("projects.0.schedule.checkpoints.0.percent", "NaN"),
    ("projects.0.schedule.checkpoints.0.percent", None),
    ("projects.0.schedule.fiscal_year", 2023),
    (f"{_INDICATOR}.level1", None),
    (f"{_INDICATOR}.level1", "效益指标"),
    (f"{_INDICATOR}.target", "≥abc"),
    (f"{_INDICATOR}.target", True),
    (f"{_INDICATOR}.weight", "-2"),
    (f"{_INDICATOR}.weight", "sNaN"),
    (f"{_INDICATOR}.weight", "Infinity"),
    (f"{_INDICATOR}.weight", "-1E+2"),
    (f"{_INDICATOR}.weight", "七"),
    (f"{_INDICATOR}.weight", True),
    (f"{_INDICATOR}.weight", [7]),
    (f"{_INDICATOR}.basis", ["x"]),
    (f"{_INDICATOR}.basis", {"text": "x", "category": "国际"}),
    (f"{_INDICATOR}.name", _DELETE),
    (f"{_INDICATOR}.suppressions", [{"code": "PT301", "reason": "  "}]),
    ("projects.0.unit.extra", 1),
    ("schema_version", 2),
    ("schema_version", _DELETE),
    ("notes", None),
]


@pytest.mark.parametrize(("path", "value"), BAD)
def test_bad_input_gets_the_cattrs_errors(path, value):
    """Invalid input is never read by the fast path; perftarget.loads reports the cattrs problems and paths."""
    text = _with(path, value)
    assert _fast.loads_json(text) is None
    with pytest.raises(pt.DocumentError) as expected:
        _cattrs_loads(text)
    with pytest.raises(pt.DocumentError) as caught:
        pt.loads(text)
    assert caught.value.problems == expected.value.problems
    assert isinstance(caught.value, ValueError)


def test_syntax_errors_keep_line_and_column():
    """Malformed JSON is reported by the cattrs path, with its line and column."""
    with pytest.raises(pt.DocumentError, match=r"line 2, column 16: invalid JSON"):
        pt.loads('{"schema_version": 1,\n  "projects": [}')


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.sampled_from(
        ["", "无", "≥95%", "≤10万元", "按时", "1,000", "10.00", "NaN", "-1", "2022-03-31", "20220331", "产出指标",
         "数量指标", "效益指标", "计划标准", "plan", " 7 ", "1e2", "\u0000", "\ud800", "1_000", "-0", "7.50", "1E+2",
         "Infinity", "0.000001", "1E-7"]
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["text", "x", "name"]),
                                                                       children, max_size=2),
    max_leaves=4,
)


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_mutated_documents_never_read_differently(document, data):
    """Whatever one value is changed to, the fast path reads it identically or hands over to cattrs."""
    tree = to_dict(document)
    paths = _paths(tree)
    if paths:
        path = data.draw(st.sampled_from(paths))
        *parents, last = path
        node: Any = tree
        for part in parents:
            node = node[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            node[last] = data.draw(_JSON_VALUES)
        elif action == "delete":
            del node[last]
        elif isinstance(node, dict):
            node[data.draw(st.sampled_from(["colour", "level3", "weight", "key", "label"]))] = data.draw(_JSON_VALUES)
    both = _read_both(json.dumps(tree, ensure_ascii=False))
    if both is not None and both[0] is not None:
        assert_identical(*both)


def test_other_types_are_handed_over():
    """Only documents and project tables take the fast path; the rest is read and written by cattrs."""
    goal = Goal("目标")
    assert _fast.loads_json('{"content": "目标"}', Goal) is None
    assert pt.loads('{"content": "目标"}', "json", Goal) == goal
    assert _fast.dumps_json(goal) is None
    assert pt.dumps(goal) == '{\n  "content": "目标"\n}\n'


def test_unwritable_text_is_handed_over():
    """Text msgspec cannot encode (a lone surrogate) is written by the cattrs path as before."""
    document = Document(notes="\ud800")
    assert _fast.dumps_json(document) is None
    assert pt.dumps(document) == _cattrs_dumps(document)


def test_unwritable_shared_value_is_handed_over_and_forgotten():
    """A shared value msgspec cannot encode (a unit named with a lone surrogate) hands the document over.

    Shared values are encoded when first met, during the walk: the failure comes from there, and
    nothing remembered in that call is left for the next one.
    """
    document = pt.load(ROOT / "examples" / "petition-bureau.toml")
    bad = attrs.evolve(document, projects=tuple(
        attrs.evolve(p, unit=attrs.evolve(p.unit, name="\ud800")) for p in document.projects
    ))
    assert _fast.dumps_json(bad) is None
    assert pt.dumps(bad) == _cattrs_dumps(bad)
    assert list(_fast._WRITTEN.items()) == [(id(None), None)]
    assert _fast.dumps_json(document) == _cattrs_dumps(document)


def test_without_msgspec_the_cattrs_path_serves(monkeypatch):
    """Without the fast extra, loads and dumps work as before."""
    monkeypatch.setattr(convert, "FAST", None)
    golden = (GOLDEN / "petition-bureau.json").read_text("utf-8")
    document = pt.loads(golden)
    assert pt.dumps(document) == golden


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_state_is_restored(enabled):
    """Reading and writing a large document pause the collector and leave it as they found it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    text = json.dumps(generate.document(generate.generate_tables(150, seed=5)), ensure_ascii=False).encode()
    assert len(text) >= _fast._PAUSE_GC_AT
    import gc

    was = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        document = _fast.loads_json(text)
        assert document is not None
        assert gc.isenabled() is enabled
        assert _fast.dumps_json(document) is not None
        assert gc.isenabled() is enabled
        assert _fast.loads_json(b'{"schema_version": 1, "projects": [' + b" " * _fast._PAUSE_GC_AT + b"}") is None
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


# --- weights as written, shared leaves, fast number text, built objects -------------------------

_WEIGHT = f"{_INDICATOR}.weight"
_PERCENT = "projects.0.schedule.checkpoints.0.percent"
AMOUNTS_READ = [
    *((_WEIGHT, weight) for weight in
      ["10", "7.50", " 7 ", "1,000", "1_000", "-0", "1E+2", "0.000001", "1E-7", "００７", 0, 7, 10**30]),
    *((_PERCENT, percent) for percent in [" 50 ", "5_0", "50.0", 50, "0", "-0", "5E+1", "00050", "1,0", "50.000"]),
]


@pytest.mark.parametrize(("path", "value"), AMOUNTS_READ)
def test_amounts_as_written_read_as_cattrs_reads_them(path, value):
    """Every weight and planned percent the cattrs path reads is read by the fast path the same, twice over."""
    text = _with(path, value)
    expected = _cattrs_loads(text)
    for _ in range(2):  # the second read takes the remembered Decimal
        fast = _fast.loads_json(text)
        assert fast is not None
        assert_identical(fast, expected)
        assert _fast.dumps_json(fast) == _cattrs_dumps(expected)


def test_equal_weights_are_one_object():
    """Equal weight texts read as one shared Decimal (immutable), as targets and bases are shared."""
    document = _fast.loads_json(_with(f"{_INDICATOR}.weight", "7.14").replace('"basis": "计划"', '"weight": "7.14"'))
    assert document is not None
    first, second = document.projects[0].goals[0].indicators
    assert first.weight == Decimal("7.14")
    assert first.weight is second.weight


def test_values_msgspec_writes_itself_are_written_as_their_hook_writes_them():
    """A level member is written by msgspec as its label and a date as its ISO text: what the cattrs hooks write."""
    samples = {Level1 | str | None: [*Level1, "自定义"], Level2 | str | None: [*Level2], dt.date: [dt.date(2024, 3, 31)]}
    assert set(samples) == {t for t in _fast._NATIVE if t not in (str, int, bool)}
    for leaf, values in samples.items():
        for value in values:
            expected = json.dumps(UNSTRUCTURE[leaf](value), ensure_ascii=False)
            assert msgspec.json.encode(value).decode() == expected


@pytest.mark.parametrize("cls", [Document, ProjectTargets, Goal, pt.Indicator, pt.Budget, pt.Basis, SpendingSchedule])
def test_structs_are_made_from_the_model(cls):
    """The structs read and written have exactly the attrs fields of the model class (no copied field lists)."""
    names = [field.name for field in attrs.fields(cls)]
    extra = ["schema_version"] if cls is Document else []
    read, _ = _fast._class_reader(cls)
    assert [f.name for f in msgspec.structs.fields(read)] == extra + names
    written = _fast._WRITE_NAMESPACE[f"S_{_fast._class_writer(cls)}"]
    required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
    optional = [f.name for f in attrs.fields(cls) if f.default is not attrs.NOTHING]
    assert [f.name for f in msgspec.structs.fields(written)] == extra + required + optional


def test_built_objects_are_plain_frozen_model_objects():
    """Objects built by the fast path are of the model classes themselves, frozen, hashable and weak-referable."""
    golden = (GOLDEN / "petition-bureau.json").read_text("utf-8")
    document = _fast.loads_json(golden)
    assert document is not None
    project = document.projects[0]
    indicator = project.goals[0].indicators[0]
    objects = [document, project, project.budget, project.unit, project.goals[0], indicator]
    if project.schedule is not None:
        objects += [project.schedule, project.schedule.checkpoints[0]]
    for obj in objects:
        assert type(obj).__module__ == "perftarget._model.targets" or type(obj).__name__ in {"Checkpoint", "SpendingSchedule"}
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            obj.__setattr__(attrs.fields(type(obj))[0].name, None)
        assert hash(obj) == hash(attrs.evolve(obj))
        assert weakref.ref(obj)() is obj
    assert attrs.evolve(indicator, name="新") == attrs.evolve(_cattrs_loads(golden).projects[0].goals[0].indicators[0],
                                                               name="新")


def test_documents_not_read_by_the_fast_path_write_the_same():
    """Objects made by hand (no shared leaves) and the same objects written twice give the cattrs text."""
    document = pt.load(ROOT / "examples" / "petition-bureau.toml")
    expected = _cattrs_dumps(document)
    assert _fast.dumps_json(document) == expected
    assert _fast.dumps_json(document) == expected  # now from the remembered leaves
    changed = attrs.evolve(document, projects=tuple(
        attrs.evolve(p, unit=attrs.evolve(p.unit, name=p.unit.name + "甲")) for p in document.projects
    ))
    assert _fast.dumps_json(changed) == _cattrs_dumps(changed)


_AMOUNT_TEXTS = st.text(alphabet="0123456789.,-+_eE sNaInfity七０\u3000", max_size=8) | st.integers(-3, 10**20)


@given(st.sampled_from([_WEIGHT, _PERCENT]), _AMOUNT_TEXTS)
def test_amounts_accepted_and_refused_as_cattrs_does(path, value):
    """For any weight or planned percent as text or whole number, the fast path reads it exactly when cattrs does."""
    both = _read_both(_with(path, value))
    if both is None:
        return
    fast, slow = both
    assert fast is not None
    assert_identical(fast, slow)
    assert _fast.dumps_json(fast) == _cattrs_dumps(slow)


class _Reads:
    def __init__(self) -> None:
        self.a = self.b = 0

    def only_fields(self) -> None:
        if self.a > self.b:
            raise ValueError(self.a)

    def passes_self_on(self) -> None:
        print(self)  # noqa: T201

    def reads_a_property(self) -> None:
        if self.total:  # type: ignore[attr-defined]
            raise ValueError


def test_post_init_analysis_is_conservative():
    """A post-init is run once per distinct value only when it reads nothing of self but the given fields."""
    fields = {"a", "b", "level1", "level2"}
    assert _fast._fields_read(_Reads.only_fields, fields) == ["a", "b"]
    assert _fast._fields_read(_Reads.only_fields, {"a"}) is None
    assert _fast._fields_read(_Reads.passes_self_on, fields) is None
    assert _fast._fields_read(_Reads.reads_a_property, fields) is None
    assert _fast._fields_read(pt.Indicator.__attrs_post_init__, fields) == ["level1", "level2"]


def test_a_failing_post_init_is_never_remembered():
    """The second indicator with the same wrong level pair is refused too (only passes are remembered)."""
    bad = {"name": "x", "target": "≥1", "level1": "效益指标", "level2": "质量指标"}
    good = {"name": "y", "target": "≥1", "level1": "产出指标", "level2": "质量指标"}
    for rows in ([good, bad], [bad, bad], [good, good, bad]):
        text = _with("projects.0.goals.0.indicators", rows)
        assert _fast.loads_json(text) is None
        with pytest.raises(pt.DocumentError):
            pt.loads(text)
