"""A fast JSON path for documents: msgspec decoding and a cattrs-free writer (the ``fast`` extra).

Reading: :mod:`msgspec` decodes the JSON text into private mirror structs of the stored
format (strict types, unknown keys refused, all in C); the model objects are then built
from them without the generic machinery of cattrs. Equal immutable leaves (targets, bases,
units, weights, spending plans) are shared between the objects built. Writing: the model
objects are turned into msgspec structs shaped like the dicts of
:func:`perftarget._codec.convert.to_dict` (same keys, same order, defaults left out),
encoded, and given the layout of :func:`json.dumps` (``indent=2``) by
:func:`msgspec.json.format`; what shared leaves are written as is remembered by identity.
(msgspec's own encoding of attrs classes cannot give that text: it writes every field,
defaults included, in another key order, and a ``Threshold`` or ``Basis`` as an object.)

The contract is strict: whenever this path returns a result, it is the one the cattrs path
returns (the same objects, the same text byte for byte). Whenever it cannot (bad input, an
input form only the cattrs path reads, a type it does not handle) it returns ``None`` and
the caller runs the cattrs path, which gives the result or the detailed error with paths.

Objects are built as the attrs ``__init__`` would build them, without running the checks
that the decoded types already guarantee (``instance_of``); the model's own converters,
value validators and ``__attrs_post_init__`` still run (a converter or validator that
cannot change or refuse a value of the decoded type is skipped for it: amounts that are
finite and not negative, weights already read once). The slots are filled through a
private subclass that adds no slot and allows plain assignment; the object then becomes
the model class by assigning ``__class__`` (see :func:`perftarget._codec.build.builder`).
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeVar, cast

import attrs
import msgspec
from msgspec import UNSET, Struct, UnsetType

from perftarget._codec.build import builder
from perftarget._values.levels import Level1, Level2, schemas_of, to_level1, to_level2
from perftarget._model.targets import (
    Basis,
    BasisCategory,
    Budget,
    DepartmentTargets,
    Document,
    Goal,
    Indicator,
    Measure,
    ProjectTargets,
    Suppression,
    Unit,
)
from perftarget._values.numbers import format_number, to_decimal, to_tuple
from perftarget._values.schedule import Checkpoint, SpendingSchedule
from perftarget._codec.convert import SCHEMA_VERSION, _structure_category, threshold_text
from perftarget._values.threshold import Threshold

__all__ = ["ACTIVE", "dumps_json", "loads_json"]

T = TypeVar("T")

# --- the stored format as msgspec structs ---------------------------------------------------


class _S(Struct, forbid_unknown_fields=True, gc=False):
    """Base of the mirror structs: unknown keys are errors, as in the cattrs converter."""


class _UnitS(_S):
    code: str
    name: str


class _BudgetS(_S):
    total: Decimal
    fiscal: Decimal | None = None
    other: Decimal | None = None


class _CheckpointS(_S):
    date: dt.date
    percent: str | int  # as written: converted by the model's converter, once per distinct plan
    label: str | None = None


class _ScheduleS(_S):
    fiscal_year: int
    checkpoints: list[_CheckpointS]
    multi_year: bool = False
    start_month: int = 1


class _BasisS(_S):
    text: str
    category: str | None = None


class _SuppressionS(_S):
    code: str
    reason: str


class _IndicatorS(_S):
    name: str
    target: str | int
    # a JSON null is an error for the levels (the cattrs hook wants text): UNSET marks "absent"
    level1: str | UnsetType = UNSET
    level2: str | UnsetType = UNSET
    description: str = ""
    basis: str | _BasisS | None = None
    # read as written and converted by the model's converter (equal texts share one Decimal)
    weight: str | int | None = None
    key: str | None = None
    suppressions: list[_SuppressionS] = []


class _GoalS(_S):
    content: str
    indicators: list[_IndicatorS] = []


class _MeasureS(_S):
    title: str
    detail: str = ""


class _ProjectS(_S):
    unit: _UnitS
    code: str
    name: str
    year: int
    budget: _BudgetS
    purpose: str = ""
    schedule: _ScheduleS | None = None
    goals: list[_GoalS] = []
    year_assumed: bool = False
    suppressions: list[_SuppressionS] = []


class _DepartmentS(_S):
    unit: _UnitS
    year: int
    duties: list[str] = []
    goals: list[_GoalS] = []
    measures: list[_MeasureS] = []
    year_assumed: bool = False


class _DocumentS(_S):
    schema_version: int
    department: _DepartmentS | None = None
    projects: list[_ProjectS] = []
    notes: str = ""


_DOCUMENT_DECODER: Final = msgspec.json.Decoder(_DocumentS)
_PROJECT_DECODER: Final = msgspec.json.Decoder(_ProjectS)

# --- building model objects -------------------------------------------------------------------

_new = object.__new__


_Converter = Callable[[object], Any]
_Validator = Callable[[object, "attrs.Attribute[Any]", object], None]


class _Amount:
    """A model field's own converter and validator, called exactly as ``__init__`` calls them."""

    __slots__ = ("convert", "field", "validate")

    def __init__(self, cls: type, name: str) -> None:
        self.field: attrs.Attribute[Any] = getattr(attrs.fields(cls), name)
        self.convert = cast("_Converter", self.field.converter)
        self.validate = cast("_Validator | None", self.field.validator)

    def __call__(self, obj: object, value: object) -> Any:  # noqa: ANN401 - the converter's result
        converted = self.convert(value)
        if self.validate is not None:
            self.validate(obj, self.field, converted)
        return converted


_TOTAL: Final = _Amount(Budget, "total")
_FISCAL: Final = _Amount(Budget, "fiscal")
_OTHER: Final = _Amount(Budget, "other")
_WEIGHT: Final = _Amount(Indicator, "weight")
_PERCENT: Final = _Amount(Checkpoint, "percent")


_B_UNIT: Final = builder(Unit)
_B_BUDGET: Final = builder(Budget)
_B_CHECKPOINT: Final = builder(Checkpoint)
_B_SCHEDULE: Final = builder(SpendingSchedule)
_B_INDICATOR: Final = builder(Indicator)
_B_GOAL: Final = builder(Goal)
_B_PROJECT: Final = builder(ProjectTargets)
_B_DOCUMENT: Final = builder(Document)

# Pure functions of their key, remembered; immutable results are shared between objects.
_CACHE_LIMIT: Final = 8192
_THRESHOLDS: Final[dict[str, Threshold]] = {}
_LEVELS: Final[dict[tuple[str | UnsetType, str | UnsetType], tuple[Level1 | str | None, Level2 | str | None]]] = {}
_BASES: Final[dict[str, Basis]] = {}
_CATEGORIES: Final[dict[str, BasisCategory]] = {}
_UNITS: Final[dict[tuple[str, str], Unit]] = {}
_SCHEDULES: Final[dict[tuple[object, ...], SpendingSchedule]] = {}
_WEIGHTS: Final[dict[str | int, Decimal]] = {}
K = TypeVar("K")
V = TypeVar("V")


_KEY_LIMIT: Final = 256


def _remember(cache: dict[K, V], key: K, value: V) -> V:
    """Keep ``value`` under ``key`` unless the key is long text (hostile input must not fill memory)."""
    if isinstance(key, str) and len(key) > _KEY_LIMIT:
        return value
    if isinstance(key, tuple) and sum(len(part) for part in key if isinstance(part, str)) > _KEY_LIMIT:
        return value
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def _threshold(target: str | int) -> Threshold:
    text = target if isinstance(target, str) else format_number(Decimal(target))
    threshold = _THRESHOLDS.get(text)
    if threshold is None:
        threshold = _remember(_THRESHOLDS, text, Threshold.parse(text))
    return threshold


def _levels(
    level1: str | UnsetType, level2: str | UnsetType
) -> tuple[Level1 | str | None, Level2 | str | None]:
    first = to_level1(level1) if isinstance(level1, str) else None
    second = to_level2(level2) if isinstance(level2, str) else None
    if type(first) is Level1 and type(second) is Level2 and not schemas_of(first, second):
        Indicator(level1=first, level2=second, name="", target=Threshold.not_applicable())  # raises the model's error
    return _remember(_LEVELS, (level1, level2), (first, second))


def _basis(value: str | _BasisS) -> Basis:
    if type(value) is str:
        basis = _BASES.get(value)
        if basis is None:
            basis = _remember(_BASES, value, Basis(value))
        return basis
    assert isinstance(value, _BasisS)  # noqa: S101 - the decoder's type
    if value.category is None:
        return Basis(value.text)
    category = _CATEGORIES.get(value.category)
    if category is None:
        category = _remember(_CATEGORIES, value.category, _structure_category(value.category, BasisCategory))
    return Basis(value.text, category)


def _unit(s: _UnitS) -> Unit:
    key = (s.code, s.name)
    unit = _UNITS.get(key)
    if unit is None:
        unit = _new(_B_UNIT)
        unit.code = s.code
        unit.name = s.name
        unit.__class__ = Unit
        _remember(_UNITS, key, unit)
    return unit


def _plain(value: Decimal | None) -> bool:
    """True for what the model's amount converters and validators pass unchanged: None, or finite and >= 0."""
    return value is None or (value.is_finite() and value >= 0)


def _budget(s: _BudgetS) -> Budget:
    budget = _new(_B_BUDGET)
    total, fiscal, other = s.total, s.fiscal, s.other
    if not (_plain(total) and _plain(fiscal) and _plain(other)):
        total, fiscal, other = _TOTAL(budget, total), _FISCAL(budget, fiscal), _OTHER(budget, other)
    budget.total = total
    budget.fiscal = fiscal
    budget.other = other
    budget.__class__ = Budget
    budget.__attrs_post_init__()
    return cast("Budget", budget)


def _weight(value: str | int) -> Decimal:
    """The model's converter and validator on a weight as written (raising the model's error)."""
    weight: Decimal = _WEIGHT(None, value)
    return _remember(_WEIGHTS, value, weight)


def _suppressions(items: list[_SuppressionS]) -> tuple[Suppression, ...]:
    return tuple(Suppression(item.code, item.reason) for item in items) if items else ()


def _schedule(s: _ScheduleS) -> SpendingSchedule:
    # equal plans are one object: the key keeps each percent as written (25 and 25.0 write differently)
    key: tuple[object, ...] = (s.fiscal_year, s.multi_year, s.start_month)
    for c in s.checkpoints:
        key += (c.date, c.percent, c.label)
    schedule = _SCHEDULES.get(key)
    if schedule is not None:
        return schedule
    points = []
    for c in s.checkpoints:
        point = _new(_B_CHECKPOINT)
        point.date = c.date
        point.percent = _PERCENT(point, c.percent)
        point.label = c.label
        point.__class__ = Checkpoint
        point.__attrs_post_init__()
        points.append(point)
    built = _new(_B_SCHEDULE)
    built.fiscal_year = s.fiscal_year
    built.checkpoints = tuple(points)
    built.multi_year = s.multi_year
    built.start_month = s.start_month
    built.__class__ = SpendingSchedule
    built.__attrs_post_init__()
    return _remember(_SCHEDULES, key, cast("SpendingSchedule", built))


def _indicators(items: list[_IndicatorS]) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    append = out.append
    levels_get, thresholds_get, bases_get, weights_get = _LEVELS.get, _THRESHOLDS.get, _BASES.get, _WEIGHTS.get
    new, building, indicator_class = _new, _B_INDICATOR, Indicator
    for s in items:
        levels = levels_get((s.level1, s.level2))
        if levels is None:
            levels = _levels(s.level1, s.level2)
        threshold = thresholds_get(s.target)  # type: ignore[arg-type]
        if threshold is None:
            threshold = _threshold(s.target)
        basis: Any = s.basis
        if basis is not None:
            shared = bases_get(basis) if type(basis) is str else None
            basis = shared if shared is not None else _basis(basis)
        weight: Any = s.weight
        if weight is not None:
            known = weights_get(weight)
            weight = known if known is not None else _weight(weight)
        indicator = new(building)
        indicator.level1, indicator.level2 = levels
        indicator.name = s.name
        indicator.description = s.description
        indicator.target = threshold
        indicator.basis = basis
        indicator.weight = weight
        indicator.key = s.key
        indicator.suppressions = _suppressions(s.suppressions) if s.suppressions else ()
        indicator.__class__ = indicator_class
        append(indicator)
    return tuple(out)


def _goals(items: list[_GoalS]) -> tuple[Goal, ...]:
    goals = []
    build = _indicators
    for s in items:
        goal = _new(_B_GOAL)
        goal.content = s.content
        goal.indicators = build(s.indicators) if s.indicators else ()
        goal.__class__ = Goal
        goals.append(goal)
    return tuple(goals)


def _project(s: _ProjectS) -> ProjectTargets:
    project = _new(_B_PROJECT)
    project.unit = _unit(s.unit)
    project.code = s.code
    project.name = s.name
    project.year = s.year
    project.budget = _budget(s.budget)
    project.purpose = s.purpose
    project.schedule = None if s.schedule is None else _schedule(s.schedule)
    project.goals = _goals(s.goals)
    project.year_assumed = s.year_assumed
    project.suppressions = _suppressions(s.suppressions)
    project.__class__ = ProjectTargets
    project.__attrs_post_init__()
    return cast("ProjectTargets", project)


def _department(s: _DepartmentS) -> DepartmentTargets:
    return DepartmentTargets(
        unit=_unit(s.unit),
        year=s.year,
        duties=tuple(s.duties),
        goals=_goals(s.goals),
        measures=tuple(Measure(m.title, m.detail) for m in s.measures),
        year_assumed=s.year_assumed,
    )


def _document(s: _DocumentS) -> Document:
    document = _new(_B_DOCUMENT)
    document.department = None if s.department is None else _department(s.department)
    document.projects = tuple([_project(p) for p in s.projects])
    document.notes = s.notes
    document.__class__ = Document
    return cast("Document", document)


_PAUSE_GC_AT: Final = 1 << 18
"""Texts of at least this many characters (about 90 tables) are read with the collector paused."""
_PAUSE_GC_TABLES: Final = 100
"""Documents of at least this many tables are written with the collector paused."""


def loads_json(text: str | bytes, cls: type[T] = Document) -> T | None:  # type: ignore[assignment]
    """The object the cattrs path would read from ``text``, or ``None`` to let the cattrs path run.

    ``None`` comes back for malformed or invalid input (the cattrs path then reports it with
    paths), for input forms only the cattrs path reads (``"1,000"`` amounts, dates such as
    ``20240331``, targets written as JSON decimals), for types other than
    :class:`Document` and :class:`ProjectTargets`, and when the fast path is off.

    A large text (256 Ki characters or more) is read with the cyclic garbage collector
    paused, and its previous state restored afterwards: every object built survives, so
    collecting while building only traverses them again and again (three times the cost
    at 10,000 tables). Nothing built here forms a cycle.
    """
    if not ACTIVE:
        return None
    pause = len(text) >= _PAUSE_GC_AT and gc.isenabled()
    if pause:
        gc.disable()
    try:
        if cls is Document:
            data = _DOCUMENT_DECODER.decode(text)
            if not 1 <= data.schema_version <= SCHEMA_VERSION:
                return None
            return _document(data)  # type: ignore[return-value]
        if cls is ProjectTargets:
            return _project(_PROJECT_DECODER.decode(text))  # type: ignore[return-value]
    except Exception:  # noqa: BLE001 - any failure hands over to the cattrs path, which explains it
        return None
    finally:
        if pause:
            gc.enable()
    return None


# --- writing ----------------------------------------------------------------------------------
#
# The dicts of to_dict() as msgspec structs built in C: fields in the order cattrs writes them
# (required first, then the others in class order), defaults omitted. cattrs omits a field when
# ``value != default``; msgspec when the value *is* the default, so values equal to their default
# are passed as the default object itself.


class _O(Struct, omit_defaults=True, gc=False):
    """Base of the output structs."""


class _OutUnit(_O):
    code: str
    name: str


class _OutBudget(_O):
    total: str
    fiscal: str | None = None
    other: str | None = None


class _OutCheckpoint(_O):
    date: dt.date
    percent: str
    label: str | None = None


class _OutSchedule(_O):
    fiscal_year: int
    checkpoints: list[_OutCheckpoint]
    multi_year: object = False
    start_month: object = 1


class _OutBasis(_O):
    text: str
    category: str


class _OutSuppression(_O):
    code: str
    reason: str


class _OutIndicator(_O):
    name: str
    target: str
    level1: object = None  # a Level1 member (msgspec writes its value, its str()) or text
    level2: object = None
    description: str = ""
    basis: str | _OutBasis | None = None
    weight: str | None = None
    key: str | None = None
    suppressions: list[_OutSuppression] = []


class _OutGoal(_O):
    content: str
    indicators: list[_OutIndicator] = []


class _OutProject(_O):
    unit: _OutUnit
    code: str
    name: str
    year: int
    budget: _OutBudget
    purpose: str = ""
    schedule: _OutSchedule | None = None
    goals: list[_OutGoal] = []
    year_assumed: object = False
    suppressions: list[_OutSuppression] = []


class _OutMeasure(_O):
    title: str
    detail: str = ""


class _OutDepartment(_O):
    unit: _OutUnit
    year: int
    duties: list[str] = []
    goals: list[_OutGoal] = []
    measures: list[_OutMeasure] = []
    year_assumed: object = False


class _OutDocument(_O):
    schema_version: int
    department: _OutDepartment | None = None
    projects: list[_OutProject] = []
    notes: str = ""


_WRITTEN: Final[dict[int, tuple[object, Any]]] = {}
"""What shared leaves (targets, weights, bases, units, spending plans) are written as, by identity.

Each entry holds its object, so that the id cannot be reused while the entry lives.
:func:`loads_json` shares equal leaves between the objects it builds, so most are looked up.
"""


def _number(value: Decimal) -> str:
    """:func:`format_number`, faster: ``str`` is the same text unless it has an exponent or is ``-0``."""
    text = str(value)
    if "E" in text or "e" in text or text[0] == "-":
        return format_number(value)
    return text


def _written(value: Any, write: Callable[[Any], Any]) -> Any:  # noqa: ANN401 - any leaf, any output
    out = write(value)
    _remember(_WRITTEN, id(value), (value, out))
    return out


def _out_basis(basis: Basis) -> str | _OutBasis:
    category = basis.category
    return basis.text if category is None else _OutBasis(basis.text, category.value)


_EMPTY: Final[list[Any]] = []
"""An empty list for fields left out when empty (never changed; msgspec omits it as the default)."""


def _out_suppressions(items: tuple[Suppression, ...]) -> list[_OutSuppression]:
    return [_OutSuppression(s.code, s.reason) for s in items]


def _out_indicators(items: tuple[Indicator, ...]) -> list[_OutIndicator]:
    out: list[_OutIndicator] = []
    append = out.append
    written_get = _WRITTEN.get
    for i in items:
        target = i.target
        entry = written_get(id(target))
        text = entry[1] if entry is not None and entry[0] is target else _written(target, threshold_text)
        basis: Any = i.basis
        if basis is not None:
            entry = written_get(id(basis))
            basis = entry[1] if entry is not None and entry[0] is basis else _written(basis, _out_basis)
        weight: Any = i.weight
        if weight is not None:
            entry = written_get(id(weight))
            weight = entry[1] if entry is not None and entry[0] is weight else _written(weight, _number)
        append(
            _OutIndicator(
                i.name,
                text,
                i.level1,
                i.level2,
                i.description,
                basis,
                weight,
                i.key,
                _out_suppressions(i.suppressions) if i.suppressions else _EMPTY,
            )
        )
    return out


def _out_goals(goals: tuple[Goal, ...]) -> list[_OutGoal]:
    return [
        _OutGoal(goal.content, _out_indicators(goal.indicators) if goal.indicators != () else []) for goal in goals
    ]


def _out_schedule(s: SpendingSchedule) -> _OutSchedule:
    points = [_OutCheckpoint(c.date, _number(c.percent), c.label) for c in s.checkpoints]
    return _OutSchedule(
        s.fiscal_year,
        points,
        False if s.multi_year == False else s.multi_year,  # noqa: E712 - cattrs compares with !=
        1 if s.start_month == 1 else s.start_month,
    )


def _out_unit(unit: Unit) -> _OutUnit:
    return _OutUnit(unit.code, unit.name)


def _out_project(p: ProjectTargets) -> _OutProject:
    budget, unit, schedule = p.budget, p.unit, p.schedule
    entry = _WRITTEN.get(id(unit))
    out_unit = entry[1] if entry is not None and entry[0] is unit else _written(unit, _out_unit)
    out_schedule = None
    if schedule is not None:
        entry = _WRITTEN.get(id(schedule))
        out_schedule = entry[1] if entry is not None and entry[0] is schedule else _written(schedule, _out_schedule)
    return _OutProject(
        out_unit,
        p.code,
        p.name,
        p.year,
        _OutBudget(
            _number(budget.total),
            None if budget.fiscal is None else _number(budget.fiscal),
            None if budget.other is None else _number(budget.other),
        ),
        "" if p.purpose == "" else p.purpose,
        out_schedule,
        _out_goals(p.goals) if p.goals != () else [],
        False if p.year_assumed == False else p.year_assumed,  # noqa: E712 - cattrs compares with !=
        _out_suppressions(p.suppressions) if p.suppressions != () else [],
    )


def _out_department(d: DepartmentTargets) -> _OutDepartment:
    return _OutDepartment(
        _OutUnit(d.unit.code, d.unit.name),
        d.year,
        list(d.duties),
        _out_goals(d.goals) if d.goals != () else [],
        [_OutMeasure(m.title, "" if m.detail == "" else m.detail) for m in d.measures],
        False if d.year_assumed == False else d.year_assumed,  # noqa: E712 - cattrs compares with !=
    )


def _out_document(doc: Document) -> _OutDocument:
    return _OutDocument(
        SCHEMA_VERSION,
        None if doc.department is None else _out_department(doc.department),
        [_out_project(p) for p in doc.projects],
        "" if doc.notes == "" else doc.notes,
    )


_ENCODER: Final = msgspec.json.Encoder()


def dumps_json(obj: object) -> str | None:
    """The text :func:`perftarget.dumps` writes for ``obj`` as JSON, or ``None`` to let cattrs write it.

    Handles :class:`Document` and :class:`ProjectTargets`; the text is the one of
    ``json.dumps(to_dict(obj), ensure_ascii=False, indent=2)`` plus a newline, byte for byte.
    """
    data = dumps_json_bytes(obj)
    return None if data is None else data.decode("utf-8")


def dumps_json_bytes(obj: object) -> bytes | None:
    """:func:`dumps_json` as UTF-8 bytes, made without going through ``str``.

    A document of 100 tables or more is written with the garbage collector paused (the
    intermediate objects hold no cycles), as :func:`loads_json` reads a large one.
    """
    if not ACTIVE:
        return None
    pause = type(obj) is Document and len(obj.projects) >= _PAUSE_GC_TABLES and gc.isenabled()
    if pause:
        gc.disable()
    try:
        if type(obj) is Document:
            data: Struct = _out_document(obj)
        elif type(obj) is ProjectTargets:
            data = _out_project(obj)
        else:
            return None
        return msgspec.json.format(_ENCODER.encode(data), indent=2) + b"\n"
    except Exception:  # noqa: BLE001 - e.g. lone surrogates, huge integers: the cattrs path writes those
        return None
    finally:
        if pause:
            gc.enable()


ACTIVE: Final = True
"""Whether the fast path runs (kept for callers that check it)."""
