"""Review (审核) of a columnar batch: the built-in rules over :class:`~perftarget._formats.columnar.Columns`.

:func:`review_columns` gives the findings :func:`perftarget.review` gives for the same
project tables, the same codes, paths, severities and messages, without one Python call
per indicator. It never re-implements a rule's judgement or wording: every finding comes
from the rule's own ``check`` run through :class:`~perftarget.RuleContext`, only fewer
times:

- **indicator rules** run once per *distinct* indicator rather than once per row. The
  rows are dictionary-encoded on the columns the rules read (levels, name, description,
  basis, target) and grouped on the codes; no indicator object is built per group. Each
  rule is first asked *whether* it fires on one representative of each distinct
  combination of the fields its decision depends on, built from small per-value tables
  (rules that read the same fields share the representatives). The target stands in by
  its class (kind, comparator, unit, bare or not, and where the value lies against 100 % /
  1000 ‰); a name, description or basis that a decision reads only as 无 or not (as
  ``is_row`` reads the name) stands in by that class, and a name or description that it reads
  only through the word tests of ``rules/_text.py`` (a rate, growth, which way is better,
  spending restated) by the answers of those tests. Then each rule is run for its message
  on each distinct combination among the rows where it fires. The findings are broadcast
  to the rows with numpy.
- **table rules** (PT101, PT102, PT402, PT406, the goal rules) are decided with numpy
  group operations over ``table``; their messages do not depend on the table, or only
  on a value with few distinct values. The plan rules (PT404, PT405) run once per
  distinct spending plan.
- **rare findings that need the whole table** (PT204 mixed trees, PT205 duplicates,
  PT401, PT403, PT502, PT503, PT111) are found by a vectorised pre-filter that may
  over-select; the rule then runs on the table rebuilt from its rows (or, for PT403, on the
  row), which decides. The money pre-filters (PT401, PT403) compare with floats where the
  floats differ by more than their rounding and exactly (``Decimal``) otherwise, once per
  distinct pair of amounts, so that a target equal to the budget costs no rule call.

Paths are what :func:`perftarget.review` gives for each document: ``projects[p].…`` with
``p`` the table's place in its document. That place is the ``project`` column of
``tables`` when present; otherwise it is counted among the consecutive tables with the
same ``file`` (right for :func:`~perftarget._formats.columnar.flatten` of a mapping of file to
document or of one document; for a list of unnamed documents add the ``project`` column).

What the columns must hold. :func:`~perftarget._formats.columnar.flatten` gives every column the
rules read. Tables built elsewhere may lack some (``description``, ``basis``, ``project``,
``purpose``, ``budget_fiscal``, ``budget_other``, ``year_assumed``, ``goal_contents``,
``plan_labels``): a rule whose inputs are missing is *not run* (see :func:`covered_codes`),
and :func:`with_review_columns` adds them from the source documents.

Never covered, because a batch of project tables has no department part and no
suppressions: PT501 and PT505 (the department), PT504 and suppressions themselves (a
finding a table suppresses is reported), the department's goals and indicators, and
custom rules (:func:`perftarget.register_rule`). An inferred comparator other than ≥ (a
bare value read as ≤) does not survive the ``target`` text either.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from perftarget._codec.build import builder
from perftarget._formats.columnar import (
    Columns,
    clean_columns,
    column_schemas,
    dictionary_texts,
    kernel_modules,
    pyarrow_module,
    text_codes,
)
from perftarget._values.levels import Level1, Level2, to_level1, to_level2
from perftarget._model.targets import (
    Basis,
    Budget,
    Document,
    Goal,
    Indicator,
    ProjectTargets,
    Unit,
)
from perftarget._values.numbers import format_number
from perftarget._judge.review import (
    ReviewConfig,
    Rule,
    RuleContext,
    Scope,
    Severity,
    _path_key,
    _plan,
    _to_ignore,
    _to_selectors,
)
from perftarget._values.schedule import Checkpoint, SpendingSchedule
from perftarget._values.threshold import Threshold
from perftarget._values.units import convert, dimension_of
from perftarget.exceptions import InvalidValueError
from perftarget.rules import BUILTIN_RULES
from perftarget.rules._common import is_cost, is_row
from perftarget.rules._text import (
    direction_of,
    is_growth,
    is_not_applicable_text,
    normalize_name,
    rate_kind,
    restates_spending,
    serves_people,
)

__all__ = ["covered_codes", "review_columns", "review_summary", "with_review_columns"]

# --- what each rule reads --------------------------------------------------------------------

# Indicator rules: (fields the decision depends on, fields the message adds). "target" is the
# threshold itself; "target_class" stands for it where only its class matters (see _target_class).
# "name_na", "description_na" and "basis_na" stand for a field the decision reads only through
# is_not_applicable_text (is_row reads the name so): its class (无 or not; for the basis also
# absent), shown by one value of the class (see _STAND_IN_CLASSES). "name_words" and
# "description_words" stand for a text the decision reads only through the word tests of
# rules/_text.py (无 or not, rate_kind, is_growth, direction_of, restates_spending): the
# answers of those tests, shown by one text that gives them. A rule whose decision reads a
# text any other way must list the text itself.
_INDICATOR_SPEC: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "PT104": (("name_na", "target_class"), ("name", "description", "target")),
    "PT105": (("target_class",), ("name", "description", "target")),
    "PT106": (("basis_na", "name_na", "target_class"), ("name", "description")),
    "PT110": (("description_na", "name_na", "target_class"), ("name", "description")),
    "PT201": (("level1",), ()),
    "PT202": (("level2",), ()),
    "PT203": (("level1", "level2"), ("name", "description")),
    "PT206": (("name_na", "target_class"), ("level1", "level2")),
    "PT207": (("name_na", "target_class"), ("name", "target")),
    "PT301": (("name_words", "description_words", "level2", "target_class"), ("name", "description", "target")),
    "PT302": (("name_words", "description_words", "target_class"), ("name", "description", "target")),
    "PT303": (("name_words", "description_words", "target_class"), ("name", "description", "target")),
    "PT304": (("name_words", "description_words", "target_class"), ("name", "description", "target")),
    "PT305": (("name_words", "target_class"), ("name", "target")),
    "PT306": (("name_na", "level1", "level2", "target_class"), ("name", "description", "target")),
    "PT307": (("target_class",), ("name", "description", "target")),
}
# Codes and the optional columns they need beyond flatten's (indicator column, table column).
_NEEDS: Final[dict[str, tuple[str, ...]]] = {
    "PT101": (), "PT102": (), "PT103": ("description", "purpose", "goal_contents"),
    "PT104": ("description", "target"), "PT105": ("description", "target"),
    "PT106": ("description", "basis"), "PT107": ("goal_contents",), "PT108": ("goal_contents",),
    "PT109": ("goal_contents",), "PT110": ("description",), "PT111": ("year_assumed",),
    "PT201": (), "PT202": (), "PT203": ("description",), "PT204": (), "PT205": (),
    "PT206": (), "PT207": ("target",),
    "PT301": ("description", "target"), "PT302": ("description", "target"),
    "PT303": ("description", "target"), "PT304": ("description", "target"),
    "PT305": ("target",), "PT306": ("description", "target"),
    "PT307": ("description", "target"),
    "PT401": ("budget_fiscal", "budget_other"), "PT402": (), "PT403": ("description", "target"),
    "PT404": ("plan_labels",), "PT405": ("plan_labels",), "PT406": (),
    "PT502": (), "PT503": ("description",),
}
_TABLE_EXTRAS: Final = ("project", "purpose", "budget", "budget_fiscal", "budget_other", "year_assumed",
                        "goal_contents", "plan_labels")
_INDICATOR_EXTRAS: Final = ("description", "basis", "target")

_FIELD_ORDER: Final = ("level1", "level2", "name", "description", "basis", "target", "target_class", "name_na",
                       "description_na", "basis_na", "name_words", "description_words")
# Stand-in fields: the field they stand for in an Indicator.
_STANDS_FOR: Final = {"target_class": "target", "name_na": "name", "description_na": "description",
                      "basis_na": "basis", "name_words": "name", "description_words": "description"}
_HUNDRED: Final = Decimal(100)
_CEILINGS: Final = {"%": _HUNDRED, "‰": Decimal(1000)}
_LEVEL1S: Final = tuple(Level1)
_PATH: Final = re.compile(r"\Agoals\[(\d+)\]\.indicators\[(\d+)\]\Z")


def covered_codes(columns: Columns) -> frozenset[str]:
    """The codes of the built-in rules :func:`review_columns` runs on these columns.

    A code is covered when every column it reads is present (see the module docstring);
    :func:`with_review_columns` adds the optional ones.

    .. versionadded:: 0.1.0
    """
    present = set(columns.tables.column_names) | set(columns.indicators.column_names)
    return frozenset(code for code, needs in _NEEDS.items() if all(name in present for name in needs))


# --- adding the optional columns ----------------------------------------------------------------


def _walk(source: object) -> Iterator[tuple[int, ProjectTargets]]:
    if isinstance(source, Document):
        yield from enumerate(source.projects)
    elif isinstance(source, ProjectTargets):
        yield 0, source
    elif isinstance(source, Mapping):
        for item in source.values():
            yield from _walk(item)
    elif isinstance(source, Iterable) and not isinstance(source, (str, bytes)):
        for item in source:
            yield from _walk(item)
    else:
        msg = f"expected documents or project tables (got {type(source).__name__})"
        raise InvalidValueError(msg, field="source", value=source)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value)


def with_review_columns(columns: Columns, source: object) -> Columns:
    """``columns`` with the optional columns the review reads, taken from ``source``.

    ``source`` is what ``columns`` was flattened from (the same documents, in the same
    order). See the module docstring for the columns added.

    Raises:
        InvalidValueError: ``source`` does not hold the tables and indicators of ``columns``.

    .. versionadded:: 0.1.0
    """
    pa = pyarrow_module("perftarget.columnar")
    table_values: dict[str, list[object]] = {name: [] for name in _TABLE_EXTRAS}
    indicator_values: dict[str, list[object]] = {name: [] for name in _INDICATOR_EXTRAS}
    for index, project in _walk(source):
        schedule = project.schedule
        budget = project.budget
        for name, value in (
            ("project", index), ("purpose", project.purpose), ("budget", _amount(budget.total)),
            ("budget_fiscal", _amount(budget.fiscal)), ("budget_other", _amount(budget.other)),
            ("year_assumed", project.year_assumed), ("goal_contents", [goal.content for goal in project.goals]),
            ("plan_labels", [] if schedule is None else [c.label for c in schedule.checkpoints]),
        ):
            table_values[name].append(value)
        for _, indicator in project.iter_indicators():
            indicator_values["description"].append(indicator.description)
            indicator_values["basis"].append(None if indicator.basis is None else indicator.basis.text)
            indicator_values["target"].append(indicator.target.display)
    if len(table_values["project"]) != columns.table_count or (
        len(indicator_values["description"]) != columns.indicator_count
    ):
        msg = (
            f"source: expected the {columns.table_count} tables and {columns.indicator_count} indicators of the "
            f"columns, got {len(table_values['project'])} and {len(indicator_values['description'])}"
        )
        raise InvalidValueError(msg, field="source")
    table_schema, indicator_schema, _ = column_schemas(pa)  # the types flatten gives these columns
    tables = columns.tables
    for name, values in table_values.items():
        tables = _put(tables, name, pa.array(values, table_schema.field(name).type))
    indicators = columns.indicators
    for name, values in indicator_values.items():
        indicators = _put(indicators, name, pa.array(values, indicator_schema.field(name).type))
    return attrs.evolve(columns, tables=tables, indicators=indicators)


def _put(table: Any, name: str, array: Any) -> Any:  # noqa: ANN401 - pyarrow tables
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, array)
    return table.append_column(name, array)


# --- encoding -------------------------------------------------------------------------------------


class _Encoded:
    """A column as integer codes (0 for null) and its distinct values (index 0: ``None``)."""

    __slots__ = ("codes", "dictionary", "values")

    def __init__(self, column: Any, np: Any, pc: Any) -> None:  # noqa: ANN401 - pyarrow and numpy
        import pyarrow as pa  # noqa: PLC0415 - only reached through the columnar entry points

        codes, dictionary = text_codes(column, pa, pc, np)
        self.codes: Any = np.add(codes, 1, dtype=np.int64)
        self.dictionary: Any = dictionary  # the distinct values as Arrow (code k + 1 is dictionary[k])
        self.values: list[Any] = [None, *dictionary.to_pylist()]


def _combine(parts: Sequence[Any], np: Any) -> tuple[Any, Any]:  # noqa: ANN401 - numpy arrays
    """Distinct rows of several code arrays: (the id of each row, one row of each id)."""
    key, _ = _combine_key(parts, np)
    return _first_ids(key, np)


def _to_numpy(column: Any, np: Any, dtype: Any, fill: object) -> Any:  # noqa: ANN401 - pyarrow, numpy
    return np.asarray(column.fill_null(fill).to_numpy(zero_copy_only=False), dtype=dtype)


# --- thresholds and representatives ---------------------------------------------------------------


def _target_class(threshold: Threshold) -> tuple[object, ...]:
    """What the rules' decisions read of a target (not the number, except against 100 % / 1000 ‰)."""
    ceiling = _CEILINGS.get(threshold.unit)
    value = threshold.value
    side = 0
    if ceiling is not None and value is not None:
        side = (value > ceiling) - (value < ceiling)
    # the enum members by identity: hashing a member runs Python code, hashing an int does not
    return (id(threshold.kind), id(threshold.comparator), threshold.unit, threshold.inferred, value is None, side)


_PLACEHOLDER_TARGET: Final = Threshold.parse("≥1个")
# The values a representative indicator takes for the fields a rule does not read.
_FILLER: Final = Indicator(name="指标", target=_PLACEHOLDER_TARGET)
# The fields a representative takes from the batch (the arguments of _representative), with the filler's values.
_REPRESENTED: Final = tuple(
    (name, getattr(_FILLER, name)) for name in ("level1", "level2", "name", "description", "target", "basis")
)


_new: Final = object.__new__
_B_INDICATOR: Final = builder(Indicator)
_B_CONTEXT: Final = builder(RuleContext)


def _representative(  # noqa: PLR0917 - one argument per field a rule may read
    level1: object, level2: object, name: str, description: str, target: Threshold, basis: Basis | None
) -> Indicator:
    """An indicator from field values that are already converted, the others left at the filler's.

    The values come from :class:`_Distinct`, converted once per distinct value by the
    converters :class:`Indicator` uses, and each pair of levels has been checked by a real
    ``Indicator`` (see :func:`_check_levels`); so the converters and validators are not run
    again (they cost more than most rules): one assignment per slot. The result equals
    ``Indicator(...)`` with the same values.
    """
    made = _new(_B_INDICATOR)
    made.level1 = level1
    made.level2 = level2
    made.name = name
    made.description = description
    made.target = target
    made.basis = basis
    made.weight = None
    made.key = None
    made.suppressions = ()
    made.__class__ = Indicator
    return made  # type: ignore[no-any-return]


def _indicator_contexts(config: ReviewConfig, indicators: Iterable[Indicator]) -> list[RuleContext]:
    """The context of an indicator rule for each indicator (document and table: the dummies), slot by slot."""
    contexts: list[RuleContext] = []
    append = contexts.append
    for indicator in indicators:
        made = _new(_B_CONTEXT)
        made.document = _DUMMY_DOCUMENT
        made.config = config
        made.path = ""
        made.project = _DUMMY_PROJECT
        made.department = None
        made.goal = None
        made.indicator = indicator
        made.root = "document"
        made.__class__ = RuleContext
        append(made)
    return contexts


def _level(text: object, convert_level: Callable[[Any], Any]) -> object:
    if text is None or text == "":
        return None
    return convert_level(text)


# A key space up to this many times the rows (plus a constant) is grouped with arrays indexed by key.
_DENSE: Final = 4
_DENSE_EXTRA: Final = 1 << 16


def _first_ids(key: Any, np: Any) -> tuple[Any, Any]:  # noqa: ANN401 - numpy
    """Distinct values of a non-negative int64 array: (the id of each row, one row of each id).

    Ids follow the order of the values. A small key space is marked in a boolean array
    (no sort, no hashing); a large one is hashed by ``pyarrow``.
    """
    n = len(key)
    if not n:
        return key, key
    size = int(key.max()) + 1
    if size <= _DENSE * n + _DENSE_EXTRA:
        present = np.zeros(size, dtype=bool)
        present[key] = True
        rank = np.cumsum(present, dtype=np.int64) - 1
        ids = rank[key]
    else:
        import pyarrow as pa  # noqa: PLC0415 - only reached through the columnar entry points
        import pyarrow.compute as pc  # noqa: PLC0415 - optional dependency

        encoded = pc.dictionary_encode(pa.array(key))
        ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    first = np.empty(int(ids.max()) + 1, dtype=np.int64)
    first[ids] = np.arange(n, dtype=np.int64)
    return ids, first


@attrs.frozen
class _Distinct:
    """The distinct indicators of the batch, with each target standing in by its class.

    No indicator object is built here: ``codes`` gives, per field, the code of each
    distinct indicator's value and ``values`` the value of each code (converted once per
    distinct value); ``target_class`` codes index the representative targets. ``row_id``
    maps each row to its distinct indicator, ``target_row`` each row to its real target in
    ``targets``.
    """

    row_id: Any
    first: Any  # distinct indicator -> its first row
    codes: dict[str, Any]  # field -> numpy code per distinct indicator
    values: dict[str, list[Any]]  # field -> value per code
    target_row: Any
    targets: list[Threshold]
    _columns: dict[str, list[Any]] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def count(self) -> int:
        """How many distinct indicators."""
        return len(self.first)

    def fields_of(self, fields: Iterable[str], i: int) -> dict[str, Any]:
        """The fields of distinct indicator ``i`` as :class:`Indicator` arguments (a class as its target)."""
        return {_STANDS_FOR.get(f, f): self.values[f][int(self.codes[f][i])] for f in fields}

    def column(self, field: str) -> list[Any]:
        """The value of ``field`` (as :class:`Indicator` takes it) for each distinct indicator, made once."""
        made = self._columns.get(field)
        if made is None:
            values = self.values[field]
            made = self._columns[field] = list(map(values.__getitem__, self.codes[field].tolist()))
        return made

    def representatives(
        self, fields: Sequence[str], indices: Sequence[int], targets: Sequence[Threshold] | None = None
    ) -> list[Indicator]:
        """The representative indicator (see :func:`_representative`) of each of ``indices``, on ``fields``.

        ``targets``, when given, are the targets of the indicators (in place of the field's).
        """
        count = len(indices)
        slots: dict[str, list[Any]] = {}
        for field in fields:
            column = self.column(field)
            slots[_STANDS_FOR.get(field, field)] = list(map(column.__getitem__, indices))
        if targets is not None:
            slots["target"] = list(targets)
        arguments = [slots.get(name) or [default] * count for name, default in _REPRESENTED]
        return list(map(_representative, *arguments))

    def combos(self, fields: Sequence[str], np: Any) -> tuple[Any, Any]:  # noqa: ANN401 - numpy
        """The distinct combinations of ``fields``: (the combination of each distinct indicator, its first one)."""
        return _combine([self.codes[f] for f in fields], np)

    def per_indicator(self, fields: Sequence[str], judge: Callable[[Indicator], object], np: Any) -> Any:  # noqa: ANN401
        """``judge`` of each distinct indicator, asked once per combination of the ``fields`` it reads."""
        if not self.count:
            return np.zeros(0, dtype=np.int64)
        ids, first = self.combos(fields, np)
        return np.array([judge(i) for i in self.representatives(fields, first.tolist())])[ids]


def _words(text: str) -> tuple[object, ...]:
    """What the word tests of the rules say of a name or description (see _INDICATOR_SPEC)."""
    return (is_not_applicable_text(text), rate_kind(text), is_growth(text), direction_of(text),
            restates_spending(text))


# The stand-ins for fields a decision reads only through some tests: (field, the class of a value).
_STAND_IN_CLASSES: Final[dict[str, tuple[str, Callable[[Any], object]]]] = {
    "name_na": ("name", is_not_applicable_text),
    "description_na": ("description", is_not_applicable_text),
    "basis_na": ("basis", lambda v: None if v is None else is_not_applicable_text(v.text)),
    "name_words": ("name", _words),
    "description_words": ("description", _words),
}
_CONVERTERS: Final[dict[str, Callable[[Any], Any]]] = {
    "level1": lambda v: _level(v, to_level1),
    "level2": lambda v: _level(v, to_level2),
    "name": lambda v: v or "",
    "description": lambda v: v or "",
    "basis": lambda v: None if v is None else Basis(v),
}


def _distinct_indicators(indicators: Any, np: Any, pc: Any) -> _Distinct:  # noqa: ANN401 - pyarrow, numpy
    names = indicators.column_names
    rows = int(indicators.num_rows)
    row_codes: dict[str, Any] = {}
    values: dict[str, list[Any]] = {}
    for field, convert_value in _CONVERTERS.items():
        if field in names:
            encoded = _Encoded(indicators.column(field), np, pc)
            row_codes[field] = encoded.codes
            values[field] = [convert_value(v) for v in encoded.values]
        else:
            row_codes[field] = np.zeros(rows, dtype=np.int64)
            values[field] = [convert_value(None)]
    # the targets: one threshold per distinct text, and its class
    if "target" in names:
        encoded = _Encoded(indicators.column("target"), np, pc)
        target_row = encoded.codes
        used = np.zeros(len(encoded.values), dtype=bool)
        used[target_row] = True
        present = used.tolist()
        targets = [
            Threshold.parse(text or "") if here else _PLACEHOLDER_TARGET
            for text, here in zip(encoded.values, present, strict=True)
        ]
    else:
        target_row = np.zeros(rows, dtype=np.int64)
        targets = [_PLACEHOLDER_TARGET]
        present = [rows > 0]
    classes: dict[tuple[object, ...], int] = {}
    representative: list[Threshold] = []
    class_of = []
    for threshold, here in zip(targets, present, strict=True):
        if not here:  # a code no row has (the null code): never looked up
            class_of.append(0)
            continue
        klass = _target_class(threshold)
        number = classes.get(klass)
        if number is None:
            number = classes[klass] = len(representative)
            representative.append(threshold)
        class_of.append(number)
    class_row = np.array(class_of, dtype=np.int64)[target_row]
    values["target_class"] = representative
    key, _ = _combine_key([*(row_codes[f] for f in _CONVERTERS), class_row], np)
    row_id, first = _first_ids(key, np)
    codes = {f: row_codes[f][first] for f in _CONVERTERS}
    codes["target_class"] = class_row[first]
    for stand_in, (field, class_of_value) in _STAND_IN_CLASSES.items():
        codes[stand_in], values[stand_in] = _classes(values[field], codes[field], class_of_value, np)
    distinct = _Distinct(row_id=row_id, first=first, codes=codes, values=values, target_row=target_row,
                         targets=targets)
    _check_levels(distinct, np)
    return distinct


def _classes(values: list[Any], codes: Any, class_of_value: Callable[[Any], object], np: Any) -> tuple[Any, list[Any]]:  # noqa: ANN401
    """The class of each code's value, numbered: (the class of each distinct indicator, a value shown for each class).

    Each class is shown by the first value that has it.
    """
    numbers: dict[object, int] = {}
    shown_by: list[Any] = []
    classes_of = []
    for value in values:
        klass = class_of_value(value)
        number = numbers.get(klass)
        if number is None:
            number = numbers[klass] = len(shown_by)
            shown_by.append(value)
        classes_of.append(number)
    return np.array(classes_of, dtype=np.int64)[codes], shown_by


def _check_levels(distinct: _Distinct, np: Any) -> None:  # noqa: ANN401 - numpy
    """Each pair of levels as :class:`Indicator` checks it (a level-2 of another level-1 is refused)."""
    if not distinct.count:
        return
    _, first = distinct.combos(("level1", "level2"), np)
    for i in first.tolist():
        Indicator(**distinct.fields_of(("level1", "level2"), i), name="指标", target=_PLACEHOLDER_TARGET)


def _combine_key(parts: Sequence[Any], np: Any) -> tuple[Any, int]:  # noqa: ANN401 - numpy arrays
    """One non-negative int64 key per row from several code arrays (same key: same codes).

    The key is renumbered (by :func:`_first_ids`) whenever the next part would take it past
    a space :func:`_first_ids` groups without hashing, or near the int64 range.
    """
    n = len(parts[0]) if parts else 0
    key = np.zeros(n, dtype=np.int64)
    size = 1
    for codes in parts:
        span = int(codes.max()) + 1 if len(codes) else 1
        if size > 1 and (size * span > _DENSE * n + _DENSE_EXTRA or size * span >= 2**62):
            key, _ = _first_ids(key, np)
            size = int(key.max()) + 1 if n else 1
        key = key * span + codes
        size *= span
    return key, size


# --- findings under construction --------------------------------------------------------------------


class _Texts:
    """Interned strings: each distinct path suffix, code and message gets a number."""

    __slots__ = ("index", "values")

    def __init__(self) -> None:
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.values)
            self.values.append(text)
        return number


@attrs.define
class _Out:
    """Findings as parallel lists of numbers: table, indicator row (-1: none), suffix, code, severity, message."""

    texts: _Texts = attrs.field(factory=_Texts)
    parts: list[tuple[Any, Any, Any, Any, Any, Any]] = attrs.field(factory=list)


def _suffix(field: str) -> str:
    if not field:
        return ""
    return field if field.startswith("[") else f".{field}"


@attrs.frozen
class _Batch:
    """What every stage needs: numpy, pyarrow, the plan and the per-table arrays."""

    np: Any
    pa: Any
    pc: Any
    columns: Columns
    rules: Mapping[str, tuple[Rule, Severity]]
    config: ReviewConfig
    covered: frozenset[str]
    tables: int
    row_table: Any  # indicator row -> table
    order: Any  # indicator rows sorted by table (stable)
    starts: Any  # table -> first position in order
    distinct: _Distinct
    goal: Any  # row -> goal index
    place: Any  # row -> index inside the goal
    out: _Out


_DUMMY_PROJECT: Final = ProjectTargets(
    unit=Unit("", ""), code="", name="", year=2000, budget=Budget(total=Decimal(1))
)
_DUMMY_DOCUMENT: Final = Document(projects=(_DUMMY_PROJECT,))


def _context(config: ReviewConfig, **kwargs: Any) -> RuleContext:  # noqa: ANN401 - passed on
    document = kwargs.pop("document", None) or _DUMMY_DOCUMENT
    return RuleContext(document=document, config=config, **kwargs)


def _violations(rule: Rule, context: RuleContext) -> list[tuple[str, Mapping[str, object]]]:
    return [(v.field, v.values) for v in rule.check(context)]


def _message(rule: Rule, severity: Severity, field: str, values: Mapping[str, object]) -> str:
    """The message of a finding of ``rule``, as :meth:`Rule._finding` fills it (and refuses it)."""
    try:
        return rule.message.format_map(values)
    except (KeyError, IndexError, ValueError):
        return rule._finding(severity, field, values).message  # noqa: SLF001 - raises the engine's own error


def _emit(  # noqa: PLR0917 - one finding's parts
    batch: _Batch, table: Any, row: Any, suffix: Any, code: str, severity: Severity, message: Any,  # noqa: ANN401
) -> None:
    np = batch.np
    n = len(table)
    if not n:
        return
    texts = batch.out.texts
    batch.out.parts.append((
        np.asarray(table, dtype=np.int64), np.asarray(row, dtype=np.int64) * np.ones(n, dtype=np.int64),
        np.asarray(suffix, dtype=np.int64) * np.ones(n, dtype=np.int64), np.full(n, texts(code), dtype=np.int64),
        np.full(n, texts(severity.value), dtype=np.int64),
        np.asarray(message, dtype=np.int64) * np.ones(n, dtype=np.int64),
    ))


# --- indicator rules ------------------------------------------------------------------------------


def _indicator_rules(batch: _Batch) -> None:
    np = batch.np
    distinct = batch.distinct
    if not distinct.count:
        return
    specs = {code: spec for code, spec in _INDICATOR_SPEC.items() if code in batch.rules and code in batch.covered}
    verdicts = _decide(batch, {code: decide for code, (decide, _) in specs.items()})
    texts = batch.out.texts
    for code, (decide, message) in specs.items():
        rule, severity = batch.rules[code]
        fires = verdicts[code]
        if not fires.any():
            continue
        wanted = {*decide, *message}
        real_target = "target" in wanted
        wanted.discard("target")
        # a stand-in is implied by the field itself
        wanted -= {f for f, base in _STANDS_FOR.items() if base in wanted or (base == "target" and real_target)}
        fields = tuple(f for f in _FIELD_ORDER if f in wanted)
        # the distinct combinations of the fields among the distinct indicators that fire ...
        firing = np.flatnonzero(fires)
        sub_ids, sub_first = _combine([distinct.codes[f][firing] for f in fields], np)
        group_of = np.full(distinct.count, -1, dtype=np.int64)
        group_of[firing] = sub_ids
        rows = np.flatnonzero(fires[distinct.row_id])
        groups = group_of[distinct.row_id[rows]]
        # ... and, when the message shows the target, of the real targets among their rows
        if real_target:
            ids, first_rows = _combine([groups, distinct.target_row[rows]], np)
            representatives = distinct.row_id[rows[first_rows]].tolist()
            real = [distinct.targets[t] for t in distinct.target_row[rows[first_rows]].tolist()]
        else:
            ids = groups
            representatives = firing[sub_first].tolist()
            real = []
        starts: list[int] = []
        suffixes: list[int] = []
        messages: list[int] = []
        suffix_of: dict[str, int] = {}
        made = distinct.representatives(fields, representatives, real if real_target else None)
        for context in _indicator_contexts(batch.config, made):
            starts.append(len(suffixes))
            for violation in rule.check(context):
                field = violation.field
                suffix = suffix_of.get(field)
                if suffix is None:
                    suffix = suffix_of[field] = texts(_suffix(field))
                suffixes.append(suffix)
                messages.append(texts(_message(rule, severity, field, violation.values)))
        starts.append(len(suffixes))
        _broadcast(batch, rows, ids, np.array(starts), np.array(suffixes, dtype=np.int64),
                   np.array(messages, dtype=np.int64), rule, severity)


def _broadcast(  # noqa: PLR0917 - the groups and their findings
    batch: _Batch, rows: Any, groups: Any, starts: Any, suffixes: Any, messages: Any, rule: Rule,  # noqa: ANN401
               severity: Severity) -> None:
    np = batch.np
    sizes = (starts[1:] - starts[:-1])[groups]
    total = int(sizes.sum())
    if not total:
        return
    expanded = np.repeat(rows, sizes)
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    which = np.repeat(starts[:-1][groups], sizes) + (np.arange(total) - offsets)
    _emit(batch, batch.row_table[expanded], expanded, suffixes[which], rule.code, severity, messages[which])


def _decide(batch: _Batch, decides: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """Whether each rule fires, per distinct indicator, from one representative per combination of its fields.

    Rules that read the same fields share the representatives (and their contexts).
    """
    np = batch.np
    distinct = batch.distinct
    by_fields: dict[tuple[str, ...], list[str]] = {}
    for code, fields in decides.items():
        by_fields.setdefault(fields, []).append(code)
    verdicts: dict[str, Any] = {}
    for fields, codes in by_fields.items():
        ids, first = distinct.combos(fields, np)
        contexts = _indicator_contexts(batch.config, distinct.representatives(fields, first.tolist()))
        for code in codes:
            check = batch.rules[code][0].check
            fired = [next(iter(check(context)), None) is not None for context in contexts]
            verdicts[code] = np.array(fired, dtype=bool)[ids]
    return verdicts


# --- table helpers ------------------------------------------------------------------------------------


def _rows_of(batch: _Batch, table: int) -> Any:  # noqa: ANN401 - numpy array
    return batch.order[batch.starts[table] : batch.starts[table + 1]]


def _schedule(batch: _Batch, table: int, year: int) -> SpendingSchedule | None:
    tables = batch.columns.tables
    start = tables.column("plan_start_month")[table].as_py()
    if start is None:
        return None
    dates = tables.column("plan_dates")[table].as_py() or []
    percents = tables.column("plan_percents")[table].as_py() or []
    labels = (tables.column("plan_labels")[table].as_py() if "plan_labels" in tables.column_names else None) or (
        [None] * len(dates)
    )
    multi_year = bool(tables.column("plan_multi_year")[table].as_py())
    return SpendingSchedule(
        fiscal_year=year,
        checkpoints=tuple(
            Checkpoint(date=d, percent=Decimal(p), label=lab) for d, p, lab in zip(dates, percents, labels, strict=True)
        ),
        multi_year=multi_year,
        start_month=int(start),
    )


def _rebuild(batch: _Batch, table: int) -> ProjectTargets:
    """The project table ``table`` rebuilt from its rows (as far as the columns tell)."""
    tables = batch.columns.tables
    names = tables.column_names

    def cell(name: str, default: object = None) -> Any:  # noqa: ANN401 - a cell
        return tables.column(name)[table].as_py() if name in names else default

    distinct = batch.distinct
    indicators = batch.columns.indicators
    rows = _rows_of(batch, table)
    picked = batch.pa.array(rows)
    weights = indicators.column("weight").take(picked).to_pylist()
    keys = indicators.column("key").take(picked).to_pylist()
    contents = cell("goal_contents")
    goal_count = len(contents) if contents is not None else 0
    if len(rows):
        goal_count = max(goal_count, int(batch.goal[rows].max()) + 1)
    placed: list[list[tuple[int, Indicator]]] = [[] for _ in range(goal_count)]
    fields = ("level1", "level2", "name", "description", "basis")
    for row, weight, key in zip(rows.tolist(), weights, keys, strict=True):
        indicator = Indicator(
            **distinct.fields_of(fields, int(distinct.row_id[row])),
            target=distinct.targets[int(distinct.target_row[row])],
            weight=None if weight is None else Decimal(weight),
            key=key,
        )
        placed[int(batch.goal[row])].append((int(batch.place[row]), indicator))
    goals = tuple(
        Goal(contents[g] if contents is not None and g < len(contents) else "", tuple(i for _, i in sorted(items)))
        for g, items in enumerate(placed)
    )
    year = int(cell("year"))
    total = cell("budget") or cell("budget") or "0"
    return ProjectTargets(
        unit=Unit("", cell("unit") or ""),
        code=cell("project_code") or "",
        name=cell("project_name") or "",
        year=year,
        budget=Budget(total=Decimal(total), fiscal=_decimal(cell("budget_fiscal")),
                      other=_decimal(cell("budget_other"))),
        purpose=cell("purpose") or "",
        schedule=_schedule(batch, table, year),
        goals=goals,
        year_assumed=bool(cell("year_assumed", default=False)),
    )


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@attrs.frozen(kw_only=True)
class _TableContext(RuleContext):
    """A document of one table that stands at ``index`` in the real document (for document rules)."""

    index: int = 0

    def project_path(self, index: int) -> str:
        """The path of the table (``projects[index]`` of the real document)."""
        return f"projects[{self.index + index}]"


def _run_rebuilt(batch: _Batch, code: str, tables: Iterable[int], places: Any) -> None:  # noqa: ANN401 - numpy
    """Run ``code`` on each of ``tables`` rebuilt from the columns."""
    if code not in batch.rules or code not in batch.covered:
        return
    rule, severity = batch.rules[code]
    for table in tables:
        project = _rebuild(batch, table)
        index = int(places[table])
        document = Document(projects=(project,))
        if rule.scope is Scope.DOCUMENT:
            context: RuleContext = _TableContext(document=document, config=batch.config, index=index)
        else:
            context = RuleContext(document=document, config=batch.config, path=f"projects[{index}]",
                                  project=project)
        for field, values in _violations(rule, context):
            relative = field.removeprefix(f"projects[{index}]").removeprefix(".") if rule.scope is Scope.DOCUMENT \
                else field
            finding = rule._finding(severity, field, values)  # noqa: SLF001 - the engine's own formatting
            texts = batch.out.texts
            np = batch.np
            _emit(batch, np.array([table]), np.array([-1]), texts(_suffix(relative)), code, severity,
                  texts(finding.message))


# --- table rules ------------------------------------------------------------------------------------


def _group_any(batch: _Batch, mask: Any) -> Any:  # noqa: ANN401 - numpy
    np = batch.np
    return np.bincount(batch.row_table[mask], minlength=batch.tables) > 0


def _constant(batch: _Batch, code: str, tables: Any, project: ProjectTargets) -> None:  # noqa: ANN401 - numpy
    """A project rule whose finding is the same for every table it fires on: run it once on ``project``."""
    if code not in batch.rules or code not in batch.covered or not len(tables):
        return
    rule, severity = batch.rules[code]
    context = RuleContext(document=Document(projects=(project,)), config=batch.config, path="", project=project)
    found = _violations(rule, context)
    texts = batch.out.texts
    for field, values in found:
        finding = rule._finding(severity, field, values)  # noqa: SLF001 - the engine's own formatting
        _emit(batch, tables, -1, texts(_suffix(field)), code, severity, texts(finding.message))


def _table_rules(batch: _Batch, places: Any) -> None:  # noqa: ANN401 - numpy; one stage per rule
    np, pc = batch.np, batch.pc
    distinct = batch.distinct
    rid = distinct.row_id
    tables = batch.columns.tables
    n = batch.tables
    # per distinct indicator: a real row or 无, its level-1, its tree
    rowish = distinct.per_indicator(("name_na", "target_class"), is_row, np).astype(bool)
    l1 = np.array([_LEVEL1S.index(v) if isinstance(v, Level1) else -1 for v in distinct.values["level1"]],
                  dtype=np.int64)[distinct.codes["level1"]]
    schema = distinct.per_indicator(("level1", "level2"), lambda i: _schema(i.level1, i.level2), np)
    is_row_r = rowish[rid]
    l1_r = l1[rid]
    # PT101, PT102: no applicable output / benefit row
    for code, level in (("PT101", Level1.OUTPUT), ("PT102", Level1.BENEFIT)):
        has = _group_any(batch, is_row_r & (l1_r == _LEVEL1S.index(level)))
        _constant(batch, code, np.flatnonzero(~has), _DUMMY_PROJECT)
    # PT402: budget total zero
    budgets = tables.column("budget")
    budget_codes = _Encoded(budgets, np, pc)
    zero = np.array([v is not None and Decimal(v).is_zero() for v in budget_codes.values], dtype=bool)
    _constant(batch, "PT402", np.flatnonzero(zero[budget_codes.codes]),
              attrs.evolve(_DUMMY_PROJECT, budget=Budget(total=Decimal(0))))
    # PT406: no plan
    lengths = _to_numpy(pc.list_value_length(tables.column("plan_dates")), np, np.int64, 0)
    _constant(batch, "PT406", np.flatnonzero(lengths == 0), _DUMMY_PROJECT)
    # PT404, PT405: once per distinct plan
    _plan_rules(batch, lengths)
    # PT204: both trees in one table
    schema_r = schema[rid]
    mixed = _group_any(batch, schema_r == 1) & _group_any(batch, schema_r == 2)  # noqa: PLR2004 - the 2021 tree
    _run_rebuilt(batch, "PT204", np.flatnonzero(mixed).tolist(), places)
    # PT205: repeated key or name in one table
    _run_rebuilt(batch, "PT205", _duplicate_tables(batch, rowish).tolist(), places)
    # PT502, PT503: weights
    weights = batch.columns.indicators.column("weight")
    given = ~_to_numpy(pc.is_null(weights), np, bool, True)  # noqa: FBT003 - a fill value
    has_weights = _group_any(batch, given)
    rows_per = np.bincount(batch.row_table[is_row_r], minlength=n)
    given_per = np.bincount(batch.row_table[is_row_r & given], minlength=n)
    partial = has_weights & (given_per > 0) & (given_per < rows_per)
    _run_rebuilt(batch, "PT503", np.flatnonzero(partial).tolist(), places)
    full = has_weights & (rows_per > 0) & (given_per == rows_per)
    _run_rebuilt(batch, "PT502", _weight_candidates(batch, full, is_row_r, l1_r, weights).tolist(), places)
    # PT401: a part above the total
    if "PT401" in batch.rules and "PT401" in batch.covered:
        _run_rebuilt(batch, "PT401", _part_above_total(batch, budgets, budget_codes).tolist(), places)
    # PT403: a cost above the budget
    _cost_above_budget(batch, budget_codes, rowish)
    # PT111: year not printed
    if "PT111" in batch.covered:
        assumed = _to_numpy(tables.column("year_assumed"), np, bool, False)  # noqa: FBT003 - a fill value
        _run_rebuilt(batch, "PT111", np.flatnonzero(assumed).tolist(), places)
    # PT103: serves people without satisfaction
    _satisfaction(batch, l1)
    # PT107, PT108, PT109: goal rules
    _goal_rules(batch)


def _floats(encoded: _Encoded, np: Any, pc: Any) -> Any:  # noqa: ANN401 - numpy, pyarrow.compute
    """The amounts of an encoded decimal column as floats (NaN for null), as ``float(text)`` reads them.

    Arrow parses the distinct texts (correctly rounded, as ``float`` is); a text it refuses
    is read by ``float``, which decides.
    """
    try:
        parsed = pc.cast(encoded.dictionary, "float64").to_numpy(zero_copy_only=False)
        values = np.concatenate([np.array([np.nan]), np.asarray(parsed, dtype=np.float64)])
    except (ValueError, TypeError):  # pyarrow.ArrowInvalid is a ValueError
        values = np.array([np.nan if v is None else float(v) for v in encoded.values], dtype=np.float64)
    return values[encoded.codes]


def _part_above_total(batch: _Batch, budgets: Any, budget_codes: _Encoded) -> Any:  # noqa: ANN401 - pyarrow, numpy
    """Tables whose fiscal or other part exceeds the total (PT401), compared exactly.

    Floats decide where they differ by more than their rounding; equal texts are equal; the
    rest is compared as ``Decimal``.
    """
    np, pc = batch.np, batch.pc
    tables = batch.columns.tables
    total = _floats(budget_codes, np, pc)
    found = np.zeros(batch.tables, dtype=bool)
    for name in ("budget_fiscal", "budget_other"):
        column = tables.column(name)
        encoded = _Encoded(column, np, pc)
        part = _floats(encoded, np, pc)
        same = _to_numpy(pc.equal(column, budgets), np, bool, False)  # noqa: FBT003 - a fill value
        with np.errstate(invalid="ignore", over="ignore"):
            difference = part - total
            margin = 1e-9 * np.maximum(np.abs(part), np.abs(total))
            above = difference > margin
            below = difference < -margin
        found |= above
        unsure = np.flatnonzero(~above & ~below & ~same & (encoded.codes > 0))
        for table in unsure.tolist():
            text = encoded.values[int(encoded.codes[table])]
            found[table] |= Decimal(text) > Decimal(budget_codes.values[int(budget_codes.codes[table])])
    return np.flatnonzero(found)


def _schema(level1: object, level2: object) -> int:
    if level2 is Level2.COST:
        return 1
    if level1 is Level1.COST or level2 in (Level2.ECONOMIC_COST, Level2.SOCIAL_COST, Level2.ECOLOGICAL_COST):
        return 2
    return 0


def _duplicate_tables(batch: _Batch, rowish: Any) -> Any:  # noqa: ANN401 - numpy
    np, pc = batch.np, batch.pc
    distinct = batch.distinct
    rid = distinct.row_id
    normal: dict[str, int] = {}
    name_ids = np.array(
        [normal.setdefault(normalize_name(v), len(normal)) if normalize_name(v) else -1
         for v in distinct.values["name"]],
        dtype=np.int64,
    )
    candidates = np.zeros(batch.tables, dtype=bool)
    names = name_ids[distinct.codes["name"]][rid]
    usable = rowish[rid] & (names >= 0)
    key_column = batch.columns.indicators.column("key")
    keys = (np.zeros(len(rid), dtype=np.int64) if key_column.null_count == len(key_column)
            else _Encoded(key_column, np, pc).codes)
    for value, mask in ((names, usable), (keys, keys > 0)):
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        # a (table, value) pair that sorts next to an equal one is repeated
        span = int(value[rows].max()) + 1
        pairs = np.sort(batch.row_table[rows] * span + value[rows])
        repeated = pairs[1:][pairs[1:] == pairs[:-1]]
        candidates[repeated // span] = True
    return np.flatnonzero(candidates)


def _weight_candidates(batch: _Batch, full: Any, is_row_r: Any, l1_r: Any, weights: Any) -> Any:  # noqa: ANN401 - numpy
    """Tables whose weights may not add up (a superset: the rule decides)."""
    np = batch.np
    rule = batch.rules.get("PT502")
    if rule is None or not full.any():
        return np.flatnonzero(full & False)
    from perftarget._judge.evaluate import ScoringPolicy  # noqa: PLC0415 - scoring is a sibling judgement

    policy = ScoringPolicy.preset(batch.config.scoring_policy)
    encoded = _Encoded(weights, np, batch.pc)
    decimals = [Decimal(v) if v is not None else Decimal(0) for v in encoded.values]
    exponents = [d.as_tuple().exponent for d in decimals]
    scale = max((-e for e in exponents if isinstance(e, int)), default=0)
    scale = max(scale, 2)
    if scale > 6 or any(abs(d) > 10**9 for d in decimals):  # noqa: PLR2004 - int64 range
        return np.flatnonzero(full)
    factor = Decimal(10) ** scale
    scaled = np.array([int(d * factor) for d in decimals], dtype=np.int64)[encoded.codes]
    blocks: dict[Level1, Level1] = {level: level for level in policy.level1_weights}
    for child, parent in ((Level1.COST, Level1.OUTPUT), (Level1.SATISFACTION, Level1.BENEFIT)):
        if child not in blocks and parent in blocks:
            blocks[child] = parent
    rows = np.flatnonzero(is_row_r & full[batch.row_table])
    table = batch.row_table[rows]
    total = np.bincount(table, weights=None, minlength=batch.tables) * 0
    np.add.at(total, table, scaled[rows])
    expected_total = int(sum(policy.level1_weights.values(), Decimal(0)) * factor)
    block_of = np.full(len(_LEVEL1S) + 1, -1, dtype=np.int64)
    order = list(policy.level1_weights)
    for child, parent in blocks.items():
        block_of[_LEVEL1S.index(child)] = order.index(parent)
    row_block = block_of[l1_r[rows]]
    present_all = np.ones(batch.tables, dtype=bool)
    wrong_block = np.zeros(batch.tables, dtype=bool)
    for b, level in enumerate(order):
        in_block = row_block == b
        present_all &= np.bincount(table[in_block], minlength=batch.tables) > 0
        sums = np.zeros(batch.tables, dtype=np.int64)
        np.add.at(sums, table[in_block], scaled[rows][in_block])
        wrong_block |= sums != int(policy.level1_weights[level] * factor)
    fires = np.where(present_all, wrong_block, total != expected_total)
    return np.flatnonzero(full & fires)


def _cost_above_budget(batch: _Batch, budget_codes: _Encoded, rowish: Any) -> None:  # noqa: ANN401 - numpy
    """PT403: rows whose money target may exceed the budget are found with floats (with a margin).

    The amount and the budget of each distinct (target, budget) pair among them are then
    compared exactly, as the rule compares them; the rule runs on the rows that pass.
    """
    if "PT403" not in batch.rules or "PT403" not in batch.covered:
        return
    np = batch.np
    distinct = batch.distinct
    cost = rowish & distinct.per_indicator(("level1", "level2"), is_cost, np).astype(bool)
    rows = np.flatnonzero(cost[distinct.row_id])
    # cost rows with an amount of money as target: money or not is a matter of the target's class
    money = [
        t.is_quantitative and t.value is not None and dimension_of(t.unit)[0] == "money"
        for t in distinct.values["target_class"]
    ]
    rows = rows[np.array(money, dtype=bool)[distinct.codes["target_class"][distinct.row_id[rows]]]]
    # each of their targets in 万元 as a float (value times the unit's factor); exact amounts only below
    present = np.zeros(len(distinct.targets), dtype=bool)
    present[distinct.target_row[rows]] = True
    codes = np.flatnonzero(present)
    factors: dict[str, float] = {}
    floats = []
    for code in codes.tolist():
        t = distinct.targets[code]
        factor = factors.get(t.unit)
        if factor is None:
            factor = factors[t.unit] = float(convert(Decimal(1), t.unit, "万元"))
        floats.append(float(t.value) * factor)  # a money class has a value
    amounts = np.full(len(distinct.targets), np.nan, dtype=np.float64)
    amounts[codes] = floats
    amount = amounts[distinct.target_row[rows]]
    budget = _floats(budget_codes, np, batch.pc)[batch.row_table[rows]]
    with np.errstate(invalid="ignore"):
        near = amount >= budget * (1 - 1e-6)  # the float product and the texts are within 1e-15 of exact
    rows = rows[~np.isnan(amount) & near]
    if not len(rows):
        return
    target_of = distinct.target_row[rows]
    budget_of = budget_codes.codes[batch.row_table[rows]]
    pair, first = _combine([target_of, budget_of], np)
    totals: dict[int, Decimal] = {}
    above = []
    for t, b in zip(target_of[first].tolist(), budget_of[first].tolist(), strict=True):
        total = totals.get(b)
        if total is None:
            total = totals[b] = Decimal(budget_codes.values[b])
        target = distinct.targets[t]
        above.append(convert(target.value, target.unit, "万元") > total)  # a money class has a value
    rows = rows[np.array(above, dtype=bool)[pair]]
    rule, severity = batch.rules["PT403"]
    texts = batch.out.texts
    fields = ("level1", "level2", "name", "description", "basis")
    for row in rows.tolist():
        table = int(batch.row_table[row])
        total = budget_codes.values[int(budget_codes.codes[table])]
        project = attrs.evolve(_DUMMY_PROJECT, budget=Budget(total=Decimal(total)))
        (indicator,) = distinct.representatives(
            fields, [int(distinct.row_id[row])], [distinct.targets[int(distinct.target_row[row])]]
        )
        context = RuleContext(document=Document(projects=(project,)), config=batch.config, path="",
                              project=project, indicator=indicator)
        for field, found in _violations(rule, context):
            finding = rule._finding(severity, field, found)  # noqa: SLF001 - the engine's own formatting
            _emit(batch, np.array([table]), np.array([row]), texts(_suffix(field)), rule.code, severity,
                  texts(finding.message))


def _join_lists(column: Any, batch: _Batch) -> Any:  # noqa: ANN401 - pyarrow arrays
    """Each list of texts as one text (null items and null lists kept apart from empty ones)."""
    pa, pc = batch.pa, batch.pc
    array = column.combine_chunks() if hasattr(column, "chunks") else column
    values = array.flatten().fill_null("\x00")
    offsets = batch.np.asarray(array.offsets.to_numpy(zero_copy_only=False), dtype=batch.np.int32)
    rebuilt = pa.ListArray.from_arrays(pa.array(offsets - offsets[0]), values)
    return pc.binary_join(rebuilt, "\x1f")


def _plan_rules(batch: _Batch, lengths: Any) -> None:  # noqa: ANN401 - numpy
    """PT404 on each multi-year plan; PT405 once per distinct checkpoint (year, start, date, percent, label)."""
    np, pc = batch.np, batch.pc
    tables = batch.columns.tables
    if "PT404" in batch.rules and "PT404" in batch.covered:
        multi = _to_numpy(tables.column("plan_multi_year"), np, bool, False)  # noqa: FBT003 - a fill value
        for table in np.flatnonzero(multi & (lengths > 0)).tolist():
            year = int(tables.column("year")[table].as_py())
            project = attrs.evolve(_DUMMY_PROJECT, year=year, schedule=_schedule(batch, table, year))
            _run_on(batch, "PT404", project, table)
    if "PT405" not in batch.rules or "PT405" not in batch.covered:
        return
    rule, severity = batch.rules["PT405"]
    parent = _to_numpy(pc.list_parent_indices(tables.column("plan_dates")), np, np.int64, 0)
    if not len(parent):
        return
    starts = np.cumsum(lengths) - lengths
    index = np.arange(len(parent)) - starts[parent]
    dates = _Encoded(pc.list_flatten(tables.column("plan_dates")), np, pc)
    percents = _Encoded(pc.list_flatten(tables.column("plan_percents")), np, pc)
    labels = _Encoded(pc.list_flatten(tables.column("plan_labels")), np, pc)
    years = _Encoded(tables.column("year"), np, pc)
    months = _Encoded(tables.column("plan_start_month"), np, pc)
    ids, first = _combine(
        [years.codes[parent], months.codes[parent], dates.codes, percents.codes, labels.codes], np
    )
    texts = batch.out.texts
    group_start: list[int] = []
    templates: list[str] = []
    messages: list[int] = []
    for position in first.tolist():
        year = int(years.values[int(years.codes[parent[position]])])
        checkpoint = Checkpoint(date=dates.values[int(dates.codes[position])],
                                percent=Decimal(percents.values[int(percents.codes[position])]),
                                label=labels.values[int(labels.codes[position])])
        start = int(months.values[int(months.codes[parent[position]])])
        schedule = SpendingSchedule(fiscal_year=year, checkpoints=(checkpoint,), multi_year=True, start_month=start)
        project = attrs.evolve(_DUMMY_PROJECT, year=year, schedule=schedule)
        context = RuleContext(document=Document(projects=(project,)), config=batch.config, path="", project=project)
        group_start.append(len(templates))
        for field, values in _violations(rule, context):
            templates.append(_suffix(field).replace("checkpoints[0]", "checkpoints[{i}]"))
            messages.append(texts(rule._finding(severity, field, values).message))  # noqa: SLF001 - the engine's
    group_start.append(len(templates))
    start_of = np.array(group_start)
    sizes = (start_of[1:] - start_of[:-1])[ids]
    total = int(sizes.sum())
    if not total:
        return
    points = np.repeat(np.arange(len(ids)), sizes)
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    which = np.repeat(start_of[:-1][ids], sizes) + (np.arange(total) - offsets)
    width = int(index.max()) + 1
    lookup = np.array([[texts(t.replace("{i}", str(i))) for i in range(width)] for t in templates], dtype=np.int64)
    suffix = lookup[which, index[points]]
    _emit(batch, parent[points], -1, suffix, "PT405", severity, np.array(messages, dtype=np.int64)[which])


def _run_on(batch: _Batch, code: str, project: ProjectTargets, table: int) -> None:
    rule, severity = batch.rules[code]
    context = RuleContext(document=Document(projects=(project,)), config=batch.config, path="", project=project)
    texts = batch.out.texts
    for field, values in _violations(rule, context):
        finding = rule._finding(severity, field, values)  # noqa: SLF001 - the engine's own formatting
        _emit(batch, batch.np.array([table]), -1, texts(_suffix(field)), code, severity, texts(finding.message))


def _satisfaction(batch: _Batch, l1: Any) -> None:  # noqa: ANN401 - numpy
    if "PT103" not in batch.rules or "PT103" not in batch.covered:
        return
    np, pc = batch.np, batch.pc
    rule, severity = batch.rules["PT103"]
    from perftarget.rules._text import _RECIPIENTS  # noqa: PLC0415 - the order serves_people reads in

    rank = {word: k for k, word in enumerate(_RECIPIENTS)}
    none = len(_RECIPIENTS)

    def first(text: str | None) -> int:
        word = serves_people(text or "")
        return none if word is None else rank[word]

    distinct = batch.distinct
    best = np.full(batch.tables, none, dtype=np.int64)
    per_distinct = distinct.per_indicator(("name", "description"), lambda i: first(f"{i.name} {i.description}"), np)
    np.minimum.at(best, batch.row_table, per_distinct[distinct.row_id])
    tables = batch.columns.tables
    for name in ("project_name", "purpose"):
        encoded = _Encoded(tables.column(name), np, pc)
        best = np.minimum(best, np.array([first(v) for v in encoded.values], dtype=np.int64)[encoded.codes])
    contents = tables.column("goal_contents")
    flat = _Encoded(pc.list_flatten(contents), np, pc)
    parents = _to_numpy(pc.list_parent_indices(contents), np, np.int64, 0)
    if len(parents):
        np.minimum.at(best, parents, np.array([first(v) for v in flat.values], dtype=np.int64)[flat.codes])
    satisfied = _group_any(batch, l1[distinct.row_id] == _LEVEL1S.index(Level1.SATISFACTION))
    fires = (best < none) & ~satisfied
    texts = batch.out.texts
    for k in np.unique(best[fires]).tolist():
        word = _RECIPIENTS[k]
        project = attrs.evolve(_DUMMY_PROJECT, purpose=word)
        context = RuleContext(document=Document(projects=(project,)), config=batch.config, path="", project=project)
        for field, values in _violations(rule, context):
            finding = rule._finding(severity, field, values)  # noqa: SLF001 - the engine's own formatting
            _emit(batch, np.flatnonzero(fires & (best == k)), -1, texts(_suffix(field)), rule.code, severity,
                  texts(finding.message))


def _goal_rules(batch: _Batch) -> None:
    codes = [c for c in ("PT107", "PT108", "PT109") if c in batch.rules and c in batch.covered]
    if not codes:
        return
    np, pc = batch.np, batch.pc
    contents = batch.columns.tables.column("goal_contents")
    flat = _Encoded(pc.list_flatten(contents), np, pc)
    table = _to_numpy(pc.list_parent_indices(contents), np, np.int64, 0)
    if not len(table):
        return
    lengths = _to_numpy(pc.list_value_length(contents), np, np.int64, 0)
    starts = np.cumsum(lengths) - lengths
    goal = np.arange(len(table)) - starts[table]
    # goals with indicators: (table, goal) pairs of the rows
    width = int(max(goal.max(), batch.goal.max() if len(batch.goal) else 0)) + 1
    used = np.zeros(batch.tables * width, dtype=bool)
    used[batch.row_table * width + batch.goal] = True
    empty = ~used[table * width + goal]
    ids, first = _combine([flat.codes, empty.astype(np.int64)], np)
    texts = batch.out.texts
    filler = Indicator(name="指标", target=_PLACEHOLDER_TARGET)
    for code in codes:
        rule, severity = batch.rules[code]
        starts_list: list[int] = []
        suffixes: list[int] = []
        messages: list[int] = []
        for position in first.tolist():
            content = flat.values[int(flat.codes[position])] or ""
            value = Goal(content, () if empty[position] else (filler,))
            context = _context(batch.config, path="", project=_DUMMY_PROJECT, goal=value)
            starts_list.append(len(suffixes))
            for field, values in _violations(rule, context):
                finding = rule._finding(severity, field, values)  # noqa: SLF001 - the engine's own formatting
                suffixes.append(texts(_suffix(f"goals[{{g}}].{field}" if field else "goals[{g}]")))
                messages.append(texts(finding.message))
        starts_list.append(len(suffixes))
        start = np.array(starts_list)
        sizes = (start[1:] - start[:-1])[ids]
        total = int(sizes.sum())
        if not total:
            continue
        expanded = np.repeat(np.arange(len(ids)), sizes)
        offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
        which = np.repeat(start[:-1][ids], sizes) + (np.arange(total) - offsets)
        # the goal's index goes in the suffix: one suffix text per (template, goal)
        suffix = np.array(suffixes)[which]
        numbers = goal[expanded]
        resolved = np.array(
            [texts(batch.out.texts.values[s].replace("{g}", str(g))) for s, g in
             zip(suffix.tolist(), numbers.tolist(), strict=True)],
            dtype=np.int64,
        )
        _emit(batch, table[expanded], -1, resolved, code, severity, np.array(messages)[which])


# --- the entry points ---------------------------------------------------------------------------------


def _places(batch_tables: Any, np: Any, pc: Any) -> Any:  # noqa: ANN401 - pyarrow, numpy
    """Each table's index in its document: the ``project`` column, or its run of equal ``file``."""
    if "project" in batch_tables.column_names:
        return _to_numpy(batch_tables.column("project"), np, np.int64, 0)
    files = _Encoded(batch_tables.column("file"), np, pc).codes
    n = len(files)
    if not n:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = files[1:] != files[:-1]
    run_start = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    return np.arange(n) - run_start


def review_columns(
    columns: Columns,
    *,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
) -> Any:  # noqa: ANN401 - a pyarrow.Table
    """The findings of the built-in rules on a columnar batch, one row per finding.

    The columns are those of ``perftarget.batch.result_columns("check", "indicator")``:
    ``file`` (the table's), ``project_code``, ``project_name``, ``path``
    (``projects[p].goals[g].indicators[k].target``, relative to the table's document),
    ``code``, ``severity``, ``message`` and ``error`` (always empty). Rows are ordered by
    table, then as :func:`perftarget.review` orders them (path, then code). The texts that
    repeat (``file``, ``project_code``, ``project_name``, ``code``, ``severity``,
    ``message``) are dictionary-encoded (pandas shows them as categoricals).

    Only the rules of :func:`covered_codes` run (see the module docstring for what the
    columns must hold); ``select`` and ``ignore`` choose among the built-in rules as for
    :func:`perftarget.review`.

    Raises:
        InvalidValueError: a selector matches no rule.
        MissingDependencyError: ``pyarrow`` is not installed (the ``columnar`` extra).

    .. versionadded:: 0.1.0
    """
    pa, pc, np = kernel_modules("perftarget.columnar")

    config = ReviewConfig()
    if select is not None or ignore is not None:
        config = attrs.evolve(
            config,
            select=None if select is None else _to_selectors(select),
            ignore=() if ignore is None else _to_ignore(ignore),
        )
    plan = _plan(BUILTIN_RULES, config)
    active = {rule.code: (rule, severity) for items in plan.by_scope.values() for rule, severity in items}
    columns = clean_columns(columns, pa, pc, np)
    tables = columns.tables
    indicators = columns.indicators
    n = int(tables.num_rows)
    row_table = _to_numpy(indicators.column("table"), np, np.int64, 0)
    numbers = _to_numpy(tables.column("table"), np, np.int64, 0)
    if n and not (numbers == np.arange(n)).all():
        msg = "tables: the 'table' column must number the tables 0, 1, … in order"
        raise InvalidValueError(msg, field="table")
    order = np.argsort(row_table, kind="stable")
    starts = np.searchsorted(row_table[order], np.arange(n + 1))
    paths = _Encoded(indicators.column("path"), np, pc)
    parsed = [_PATH.match(p or "") for p in paths.values]
    goal_of = np.array([int(m.group(1)) if m else 0 for m in parsed], dtype=np.int64)[paths.codes]
    place_of = np.array([int(m.group(2)) if m else 0 for m in parsed], dtype=np.int64)[paths.codes]
    batch = _Batch(
        np=np, pa=pa, pc=pc, columns=columns, rules=active, config=config, covered=covered_codes(columns),
        tables=n, row_table=row_table, order=order, starts=starts,
        distinct=_distinct_indicators(indicators, np, pc), goal=goal_of, place=place_of, out=_Out(),
    )
    places = _places(tables, np, pc)
    # the stages make many small objects that hold no cycles (representatives, contexts, findings):
    # the garbage collector is paused while they run, as the fast JSON path does for a large document
    collecting = gc.isenabled()
    gc.disable()
    try:
        _indicator_rules(batch)
        _table_rules(batch, places)
    finally:
        if collecting:
            gc.enable()
    return _assemble(batch, places, paths)


def _assemble(batch: _Batch, places: Any, paths: _Encoded) -> Any:  # noqa: ANN401 - pyarrow, numpy
    np, pa, pc = batch.np, batch.pa, batch.pc
    from perftarget._formats.results import result_schema  # noqa: PLC0415

    schema = result_schema("check", "indicator")
    parts = batch.out.parts
    if not parts:
        return _dictionary_schema(schema, pa).empty_table()
    table, row, suffix, code, severity, message = (np.concatenate([p[k] for p in parts]) for k in range(6))
    texts = batch.out.texts.values
    # the path inside the table, as a number ranked like the engine's sort key
    path_code = np.zeros(len(row), dtype=np.int64)
    indicator_findings = row >= 0
    path_code[indicator_findings] = paths.codes[row[indicator_findings]]
    rel_ids, rel_first = _combine([path_code, suffix], np)
    relative = [
        (("" if paths.values[int(path_code[i])] is None or row[i] < 0 else "." + paths.values[int(path_code[i])])
         + texts[int(suffix[i])])
        for i in rel_first.tolist()
    ]
    rank_of = np.empty(len(relative), dtype=np.int64)
    rank_of[sorted(range(len(relative)), key=lambda k: _path_key(relative[k]))] = np.arange(len(relative))
    code_texts = sorted({texts[c] for c in np.unique(code).tolist()})
    code_rank = np.zeros(len(texts), dtype=np.int64)
    for k, text in enumerate(code_texts):
        code_rank[batch.out.texts.index[text]] = k
    # one sort key: table, then path, then code (a stable sort keeps the order of equal findings)
    path_rank, code_order = rank_of[rel_ids], code_rank[code]
    paths_span, codes_span = len(rank_of) + 1, len(code_texts) + 1
    if (int(table.max()) + 1) * paths_span * codes_span < 2**62:
        order = np.argsort((table * paths_span + path_rank) * codes_span + code_order, kind="stable")
    else:  # pragma: no cover - beyond int64
        order = np.lexsort((code_order, path_rank, table))
    table, rel_ids, code, severity, message = (a[order] for a in (table, rel_ids, code, severity, message))
    tables = batch.columns.tables
    # the texts that repeat (the table's, the code, severity and message) are dictionary-encoded:
    # each finding holds a number, not a copy of the text
    strings = pa.array(texts, pa.string())
    picked = pa.array(table.astype(np.int32))
    place_text = pc.cast(pa.array(places).take(picked), pa.string())
    path = pc.binary_join_element_wise(
        "projects[", place_text, "]", pa.array(relative, pa.string()).take(pa.array(rel_ids)), ""
    )

    def coded(indices: Any, values: Any) -> Any:  # noqa: ANN401 - Arrow arrays
        return pa.DictionaryArray.from_arrays(indices, values)

    def of_table(name: str) -> Any:  # noqa: ANN401 - an Arrow array
        return coded(picked, tables.column(name).combine_chunks().cast(pa.string()))

    arrays = [
        of_table("file"), of_table("project_code"), of_table("project_name"), path,
        coded(pa.array(code.astype(np.int32)), strings),
        coded(pa.array(severity.astype(np.int32)), strings),
        coded(pa.array(message.astype(np.int32)), strings),
        pa.repeat(pa.scalar("", pa.string()), len(table)),
    ]
    return pa.Table.from_arrays([pa.chunked_array([a]) if not hasattr(a, "chunks") else a for a in arrays],
                                schema=_dictionary_schema(schema, pa))


_CODED: Final = ("file", "project_code", "project_name", "code", "severity", "message")


def _dictionary_schema(schema: Any, pa: Any) -> Any:  # noqa: ANN401 - a pyarrow schema
    """``schema`` with the repeated texts of the findings (:data:`_CODED`) dictionary-encoded."""
    return dictionary_texts(schema, _CODED, pa)


def _plain(column: Any, pa: Any) -> Any:  # noqa: ANN401 - an Arrow column
    """A text column as plain strings (a dictionary-encoded one decoded)."""
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def review_summary(columns: Columns, findings: Any) -> Any:  # noqa: ANN401 - pyarrow tables
    """One row per table with its finding counts: the columns of ``result_columns("check", "table")``.

    ``findings`` is what :func:`review_columns` returned for ``columns``: ``codes`` lists
    each table's codes in its findings' order, ``indicators`` counts its indicators.

    .. versionadded:: 0.1.0
    """
    pa, pc, np = kernel_modules("perftarget.columnar")

    from perftarget._formats.results import result_schema  # noqa: PLC0415

    columns = clean_columns(columns, pa, pc, np)
    tables = columns.tables
    n = int(tables.num_rows)
    table = _finding_tables(tables, findings, np, pa, pc)
    order = np.argsort(table, kind="stable")
    table = table[order]
    keep = table >= 0
    order, table = order[keep], table[keep]
    picked = pa.array(order)
    codes = _plain(findings.column("code"), pa).take(picked)
    severity = _plain(findings.column("severity"), pa).take(picked)
    counts = {
        kind: np.bincount(table[_to_numpy(pc.equal(severity, kind), np, bool, False)], minlength=n)  # noqa: FBT003
        for kind in ("error", "warning", "info")
    }
    offsets = np.searchsorted(table, np.arange(n + 1)).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), codes.combine_chunks()), " ")
    row_table = _to_numpy(columns.indicators.column("table"), np, np.int64, 0)
    schema = result_schema("check", "table")
    arrays = [
        tables.column("file"), tables.column("project_code"), tables.column("project_name"),
        pc.cast(tables.column("year"), pa.int64()),
        pa.array(np.bincount(row_table, minlength=n)[:n].astype(np.int64)),
        pa.array(counts["error"].astype(np.int64)), pa.array(counts["warning"].astype(np.int64)),
        pa.array(counts["info"].astype(np.int64)), joined, pa.repeat(pa.scalar("", pa.string()), n),
    ]
    return pa.Table.from_arrays([pa.chunked_array([a]) if not hasattr(a, "chunks") else a for a in arrays],
                                schema=schema)


def _finding_tables(tables: Any, findings: Any, np: Any, pa: Any, pc: Any) -> Any:  # noqa: ANN401 - pyarrow, numpy
    """The table of each finding (-1: none), by its ``file`` and the place in ``projects[p]`` of its path.

    Where two tables share a file and a place, the later one is taken.
    """
    places = _places(tables, np, pc)
    # a null file is a value of its own (a dictionary-encoded column would keep it as a null index)
    files = pc.dictionary_encode(_plain(tables.column("file"), pa).combine_chunks(), null_encoding="encode")
    table_file = files.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    finding_file = _to_numpy(
        pc.index_in(_plain(findings.column("file"), pa), value_set=files.dictionary, skip_nulls=False), np, np.int64,
        -1,
    )
    place = pc.struct_field(pc.extract_regex(findings.column("path"), r"^projects\[(?P<p>\d+)\]"), "p")
    place = _to_numpy(pc.cast(place, pa.int64()), np, np.int64, -1)
    if not len(places) or not len(place):
        return np.full(len(place), -1, dtype=np.int64)
    span = int(max(places.max(), place.max())) + 1
    keys = table_file * span + places
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    wanted = finding_file * span + place
    at = np.searchsorted(sorted_keys, wanted, side="right") - 1
    hit = (finding_file >= 0) & (place >= 0) & (at >= 0)
    hit[hit] = sorted_keys[at[hit]] == wanted[hit]
    return np.where(hit, order[np.maximum(at, 0)], -1)
