"""A fast JSON path for documents (the ``fast`` extra): msgspec, driven by the attrs model itself.

Nothing here repeats the model. At import, the fields of the model classes (``attrs.fields``
and their types) give:

- for reading, one msgspec struct per class (the stored keys, unknown keys refused, a leaf as
  the JSON text or whole number its hook reads), and a builder that makes the model object
  from it: each field goes through the hook the cattrs converter uses for its type
  (:mod:`perftarget._codec.hooks`), then the field's own converter and validator, then the
  class's ``__attrs_post_init__``, as ``__init__`` would; only checks of a type that decoding
  already guarantees (``instance_of``) are skipped. Leaves and the values of the classes that
  repeat between tables (:data:`_SHARED`) are built once per call and shared by every object
  that has them, as immutable values may be; a post-init that reads nothing of ``self`` but
  such fields (its bytecode tells) runs once per call for each distinct set of them;
- for writing, one msgspec struct per class with the keys in the order cattrs writes them
  (fields without a default first, then the others, each in class order) and defaults left
  out, and the functions that fill it: each leaf through the cattrs unstructure hook once per
  distinct object (a date and a level, msgspec writes itself as the hook would), each shared
  value once per object, both kept as their encoded JSON (:class:`msgspec.Raw`) for the rest
  of the call. :func:`msgspec.json.format` then gives the layout of
  ``json.dumps(..., ensure_ascii=False, indent=2)``.

The builders and writers are small functions generated from the field names, as attrs and
cattrs generate theirs. A JSON decimal (``7.5``) is left to the cattrs path: msgspec would
read it as a float, and a float is not the exact number written.

msgspec's own support for attrs classes cannot do this (measured, see ``benchmarks/README.md``):
it cannot decode the levels' ``Level1 | str | None``, runs no converter (a budget of
``"Infinity"`` is read), and writes every default, in alphabetical key order, a target as an
object.

The contract: whenever this path returns a result, it is the one the cattrs path returns (the
same objects, the same bytes). When it cannot (invalid input, a JSON decimal, text where a list
belongs, another class) it returns ``None``, and the caller runs the cattrs path, which
gives the result or the error with its paths. Field validators are called with ``None`` for
the instance: the model's rules between fields live in ``__attrs_post_init__``.
"""

from __future__ import annotations

import datetime as dt
import dis
import gc
import textwrap
import types
import typing
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

import attrs
import msgspec
from msgspec import UNSET

from perftarget._codec.build import builder
from perftarget._codec.hooks import SCHEMA_VERSION, STRUCTURE, TEXT_FORMS, UNSTRUCTURE
from perftarget._model.targets import (
    Basis,
    Budget,
    Document,
    Indicator,
    Measure,
    ProjectTargets,
    Suppression,
    TypeCheck,
    Unit,
)
from perftarget._values.levels import Level1, Level2
from perftarget._values.numbers import to_tuple
from perftarget._values.schedule import Checkpoint, SpendingSchedule

__all__ = ["dumps_json", "dumps_json_bytes", "loads_json"]

T = TypeVar("T")
Convert = Callable[[Any], Any]

_PLAIN: Final = (str, int, bool)
"""Types msgspec reads exactly as the cattrs hooks do (strict: no bool for int, no null)."""

_NATIVE: Final[tuple[object, ...]] = (str, int, bool, dt.date, Level1 | str | None, Level2 | str | None)
"""Types msgspec writes exactly as their hook does: a date as ``isoformat``, a level as its label."""

_SHARED: Final = frozenset({Unit, Budget, SpendingSchedule, Checkpoint, Basis, Suppression, Measure})
"""Classes whose equal values are built once per call and shared: they repeat between tables.

Every leaf (a target, a level, an amount) is shared too. Rows (indicators, goals, tables) are
not: they seldom repeat, and hashing one costs more than building it.
"""


def _field_types(cls: type) -> list[tuple[attrs.Attribute[Any], Any]]:
    hints = typing.get_type_hints(cls)
    return [(field, hints[field.name]) for field in attrs.fields(cls)]


def _optional(t: Any) -> Any:  # noqa: ANN401 - a type
    """``X`` for ``X | None``, else ``None``."""
    args = typing.get_args(t)
    if typing.get_origin(t) in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:  # noqa: PLR2004
        return next(arg for arg in args if arg is not type(None))
    return None


def _tuple_of(t: Any) -> Any:  # noqa: ANN401 - a type
    """``X`` for ``tuple[X, ...]``, else ``None``."""
    args = typing.get_args(t)
    return args[0] if typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis else None  # noqa: PLR2004


_INSTANCE_OF: Final = type(attrs.validators.instance_of(int))
_OPTIONAL: Final = type(attrs.validators.optional(attrs.validators.instance_of(int)))
_DEEP_ITERABLE: Final = type(attrs.validators.deep_iterable(attrs.validators.instance_of(int)))
_AND: Final = type(attrs.validators.and_(attrs.validators.instance_of(int)))


def _type_check(validator: object) -> bool:
    """Whether ``validator`` only checks types (which decoding into typed structs guarantees)."""
    kind, inner = type(validator), cast("Any", validator)
    if validator is None or kind is _INSTANCE_OF or kind is TypeCheck:
        return True
    if kind is _OPTIONAL:
        return _type_check(inner.validator)
    if kind is _DEEP_ITERABLE:
        return _type_check(inner.member_validator) and _type_check(inner.iterable_validator)
    if kind is _AND:
        return all(map(_type_check, inner._validators))  # noqa: SLF001 - attrs keeps them there
    return False


# --- reading ----------------------------------------------------------------------------------


class _Memo(dict[Any, Any]):
    """Values built from raw ones, each once: a miss calls ``build``. Emptied after every call."""

    __slots__ = ("build",)

    def __init__(self, build: Convert) -> None:
        super().__init__()
        self.build = build

    def __missing__(self, raw: object) -> Any:  # noqa: ANN401 - the built value
        value = self[raw] = self.build(raw)
        return value


_MEMOS: Final[list[_Memo | set[Any]]] = []
"""What is remembered during one call, emptied after it."""


def _memo(build: Convert) -> _Memo:
    memo = _Memo(build)
    _MEMOS.append(memo)
    return memo


def _reader(t: Any) -> tuple[Any, Convert | None, bool]:  # noqa: ANN401, PLR0911 - a type; one return a kind
    """The wire type for ``t``, what turns a wire value into the model's (``None``: as is), whether to share it."""
    if t in _PLAIN:
        return t, None, True
    if t in STRUCTURE:  # a leaf: what its hook reads, floats excepted (msgspec has no exact decimal for them)
        hook = STRUCTURE[t]
        wire = str | int if _tuple_of(t) is None else tuple[str | int | None, ...]  # a list leaf: printed amounts
        return wire, lambda raw: hook(raw, t), True
    if attrs.has(t):
        struct, build = _class_reader(t)
        if t not in TEXT_FORMS:
            return struct, build, t in _SHARED
        from_text = TEXT_FORMS[t]
        return str | struct, lambda raw: from_text(raw) if type(raw) is str else build(raw), t in _SHARED
    if (inner := _optional(t)) is not None:
        wire, convert, shared = _reader(inner)
        if convert is None:
            return wire | None, None, shared
        return wire | None, lambda raw: None if raw is None else convert(raw), shared
    if (item := _tuple_of(t)) is not None:
        wire, convert, shared = _reader(item)
        if convert is None:
            return tuple[wire, ...], None, shared  # type: ignore[valid-type]
        each = _memo(convert).__getitem__ if shared else convert
        return tuple[wire, ...], lambda raw: tuple(map(each, raw)), shared  # type: ignore[valid-type]
    msg = f"the fast path cannot read a field of type {t!r}"
    raise TypeError(msg)


def _field_reader(field: attrs.Attribute[Any], convert: Convert | None) -> tuple[Convert, object]:
    """What the cattrs path and ``__init__`` together do to a field read as ``raw``, and its value when absent."""
    converter: Any = field.converter
    if converter is to_tuple:  # our tuples pass it unchanged
        converter = None
    validator = None if _type_check(field.validator) else field.validator
    if converter is not None and not callable(converter):  # pragma: no cover - an attrs.Converter object
        msg = f"the fast path cannot run the converter of {field.name!r}"
        raise TypeError(msg)
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # pragma: no cover - none in the model
        msg = f"the fast path cannot read a field with a factory default ({field.name!r})"
        raise TypeError(msg)
    absent = default if converter is None or default is attrs.NOTHING else converter(default)
    if validator is not None and default is not attrs.NOTHING:
        validator(None, field, absent)

    def read(raw: object) -> object:
        if raw is UNSET:
            return absent
        value = raw if convert is None else convert(raw)
        if converter is not None:
            value = converter(value)
        if validator is not None:
            validator(None, field, value)
        return value

    return read, absent


def _fields_read(method: Callable[..., object], fields: set[str]) -> list[str] | None:
    """The fields ``method(self)`` reads, when it does nothing else with ``self`` (else ``None``)."""
    code = method.__code__
    me = code.co_varnames[0] if code.co_argcount == 1 else None
    if me is None or me in code.co_cellvars or "super" in code.co_names or "__class__" in code.co_freevars:
        return None
    read: list[str] = []
    instructions = list(dis.get_instructions(code))
    for instruction, after in zip(instructions, [*instructions[1:], None], strict=True):
        names = instruction.argval if isinstance(instruction.argval, tuple) else (instruction.argval,)
        if me not in names or "FAST" not in instruction.opname:
            continue
        if instruction.opname != "LOAD_FAST" or after is None or after.opname != "LOAD_ATTR":
            return None  # self passed on or stored
        if after.argval not in fields:
            return None  # another of its attributes read
        if after.argval not in read:
            read.append(after.argval)
    return read


@typing.no_type_check
def _class_reader(cls: type) -> tuple[Any, Convert]:
    """The struct read for ``cls`` and the builder of a ``cls`` from it."""
    if cls in _READERS:
        return _READERS[cls]
    wire_fields: list[Any] = [("schema_version", int)] if cls is Document else []
    namespace: dict[str, object] = {"new": object.__new__, "B": builder(cls), "C": cls, "UNSET": UNSET}
    lines = [f"def build_{cls.__name__}(s):", "    o = new(B)"]
    hashable: set[str] = set()  # the fields read from a value that is a key already: shared, or a scalar
    for index, (field, t) in enumerate(_field_types(cls)):
        wire, convert, shared = _reader(t)
        name = field.name
        if shared and (convert is not None or t in _PLAIN):
            hashable.add(name)
        if convert is None and field.converter in (None, to_tuple) and _type_check(field.validator):
            # an absent key reads as UNSET here too, so that the struct written back has exactly the
            # keys that were read (see _keys_unique)
            if field.default is attrs.NOTHING:
                wire_fields.append((name, wire))
                lines.append(f"    o.{name} = s.{name}")
            else:
                wire_fields.append((name, wire, UNSET))
                namespace[f"a{index}"] = field.default
                lines.append(f"    o.{name} = a{index} if (r := s.{name}) is UNSET else r")
            continue
        read, absent = _field_reader(field, convert)  # an absent key reads as UNSET: the field's default
        wire_fields.append((name, wire) if field.default is attrs.NOTHING else (name, wire, UNSET))
        namespace[f"f{index}"], namespace[f"a{index}"] = _memo(read) if shared else read, absent
        if shared:  # built once per distinct value: a dict lookup, and a call on a miss
            lines.append(f"    o.{name} = f{index}[s.{name}]")
        elif field.default is attrs.NOTHING:
            lines.append(f"    o.{name} = f{index}(s.{name})")
        else:  # spare a call for an absent key
            lines.append(f"    o.{name} = a{index} if (r := s.{name}) is UNSET else f{index}(r)")
    lines.append("    o.__class__ = C")
    post_init = getattr(cls, "__attrs_post_init__", None)
    read = None if post_init is None or cls in _SHARED else _fields_read(post_init, hashable)
    if read:  # a function of these fields: run once per call for each distinct set of their raw values
        namespace["passed"] = passed = set()
        _MEMOS.append(passed)
        key = "".join(f"s.{name}, " for name in read)
        lines.append(f"    if (key := ({key})) not in passed:")
        lines.append("        o.__attrs_post_init__()")
        lines.append("        passed.add(key)")
    elif post_init is not None:
        lines.append("    o.__attrs_post_init__()")
    lines.append("    return o")
    exec("\n".join(lines), namespace)  # noqa: S102 - code made above from the model's field names
    struct = msgspec.defstruct(
        f"_{cls.__name__}Read",
        wire_fields,
        kw_only=True,
        forbid_unknown_fields=True,
        gc=False,
        frozen=True,
        omit_defaults=True,
    )
    _READERS[cls] = struct, namespace[f"build_{cls.__name__}"]
    return _READERS[cls]


_READERS: Final[dict[type, tuple[Any, Convert]]] = {}

_DOCUMENT_STRUCT, _BUILD_DOCUMENT = _class_reader(Document)
_PROJECT_STRUCT, _BUILD_PROJECT = _class_reader(ProjectTargets)
_DECODERS: Final = {
    Document: msgspec.json.Decoder(_DOCUMENT_STRUCT),
    ProjectTargets: msgspec.json.Decoder(_PROJECT_STRUCT),
}

_CHECK_ENCODER: Final = msgspec.json.Encoder()


def _keys_unique(text: str | bytes, data: object) -> bool:
    r"""Whether ``text`` gave no object a key twice (msgspec keeps the last of two silently).

    The structs read hold exactly the keys that were present (an absent key reads as UNSET, which
    is never written; an unknown key is refused), so writing them back gives one colon for each
    key that survived, plus the colons inside the texts kept. ``text`` has one colon for each key
    it holds, plus the colons of every text it holds, kept or dropped, unless a text escapes one
    (``\u003a``). With no such escape, the two counts are equal exactly when no key was dropped.
    ``False`` (a duplicate, or an escape that makes the counts unusable) hands the text to the
    cattrs path, which names a duplicate key if there is one: it costs time, never a wrong answer.
    Measured on 5,000 tables: about an eighth of the time of reading them. A text with no backslash
    at all (most) is told so by one search for the backslash, several times faster than a search
    for the escape (0.9 against 7.3 ms on 5,000 tables held as ``str``).
    """
    if isinstance(text, bytes):
        if b"\\" in text and b"\\u003" in text:
            return False
        colons = text.count(b":")
    else:
        if "\\" in text and "\\u003" in text:
            return False
        colons = text.count(":")
    return colons == _CHECK_ENCODER.encode(data).count(b":")


_PAUSE_GC_AT: Final = 1 << 18
"""Texts of at least this many characters (about 90 tables) are read with the collector paused."""


def loads_json(text: str | bytes, cls: type[T] = Document) -> T | None:  # type: ignore[assignment]
    """The object the cattrs path would read from ``text``, or ``None`` to let the cattrs path run.

    ``None`` comes back for malformed or invalid input (the cattrs path then reports it with
    paths), for forms only the cattrs path reads (numbers written as JSON decimals), and for
    classes other than :class:`Document` and :class:`ProjectTargets`.

    A large text (256 Ki characters or more) is read with the cyclic garbage collector
    paused, and its previous state restored afterwards: every object built survives, so
    collecting while building only traverses them again and again. Nothing built here
    forms a cycle.
    """
    decoder = _DECODERS.get(cls)
    if decoder is None:
        return None
    pause = len(text) >= _PAUSE_GC_AT and gc.isenabled()
    if pause:
        gc.disable()
    try:
        data = decoder.decode(text)
        if not _keys_unique(text, data):
            return None
        if cls is Document:
            if not 1 <= data.schema_version <= SCHEMA_VERSION:
                return None
            return _BUILD_DOCUMENT(data)  # type: ignore[no-any-return]
        return _BUILD_PROJECT(data)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any failure hands over to the cattrs path, which explains it
        return None
    finally:
        for memo in _MEMOS:
            memo.clear()
        if pause:
            gc.enable()


# --- writing ----------------------------------------------------------------------------------

_WRITTEN: Final[dict[int, msgspec.Raw | None]] = {id(None): None}
"""What each leaf and shared object is written as, by identity, during one call (then emptied)."""
_EMPTY: Final[list[Any]] = []
"""An empty list for every empty tuple (never changed; left out where it is the default)."""


def _written(value: object, hook: Callable[[Any], object]) -> msgspec.Raw:
    """``hook(value)`` encoded, remembered for the rest of the call by the identity of ``value``.

    Kept as its JSON text (:class:`msgspec.Raw`), a shared value is encoded once per call, not
    once per row that has it: about a sixth fewer instructions to encode a seed-shaped document.
    """
    written = _WRITTEN[id(value)] = msgspec.Raw(_ENCODER.encode(hook(value)))
    return written


_WRITE_NAMESPACE: Final[dict[str, Any]] = {"W": _WRITTEN, "written": _written, "EMPTY": _EMPTY, "SV": SCHEMA_VERSION}


def _empty_text_default(field: attrs.Attribute[Any]) -> bool:
    """Whether ``field`` is text defaulting to ``""``: then it is at its default exactly when it is falsy."""
    return field.default == "" and getattr(field.validator, "type", None) is str


def _native_writer(key: str, field: attrs.Attribute[Any]) -> str:
    """The expression for a field msgspec writes as it is, its default left out as cattrs does."""
    name, default = field.name, field.default
    if default is attrs.NOTHING or default is None:
        return f"o.{name}"
    # msgspec leaves out a default by identity, cattrs by ==: a value equal to its default becomes it
    _WRITE_NAMESPACE[f"D_{key}"] = default
    if _empty_text_default(field):
        return f"(o.{name} or D_{key})"
    return f"(D_{key} if (v_{key} := o.{name}) == D_{key} else v_{key})"


def _leaf_writer(key: str, name: str, hook: Callable[[Any], object], *, optional: bool) -> tuple[str, str]:
    """The statements and expression for a leaf or shared value: ``hook`` once per object, then a lookup.

    A lookup is a dict subscript by identity inside ``try``, which costs nothing while it finds
    the value (measured against ``dict.get`` with a sentinel: about 8 % fewer instructions).
    """
    _WRITE_NAMESPACE[f"h_{key}"] = hook
    value = f"v_{key}"

    def lookup(x: str) -> str:
        return f"try:\n    {value} = W[id({x})]\nexcept KeyError:\n    {value} = written({x}, h_{key})\n"

    if not optional:
        return lookup(f"o.{name}"), value
    return f"if (x := o.{name}) is None:\n    {value} = None\nelse:\n{textwrap.indent(lookup('x'), '    ')}", value


def _field_writer(key: str, field: attrs.Attribute[Any], t: Any) -> tuple[str, str]:  # noqa: ANN401, PLR0911
    """The statements to run first and the expression that write ``o.<field>`` (of type ``t``) as cattrs does.

    ``key`` names what it refers to in the shared namespace (``h_<key>``, ``D_<key>``, ``v_<key>``).
    """
    value, name, inner, item = f"v_{key}", field.name, _optional(t), _tuple_of(t)
    if t in _NATIVE or (inner is not None and inner in _NATIVE):
        return "", _native_writer(key, field)
    if item is not None and t in UNSTRUCTURE:  # a list leaf (printed amounts): left out when empty
        _WRITE_NAMESPACE[f"h_{key}"] = UNSTRUCTURE[t]
        return "", f"(h_{key}({value}) if ({value} := o.{name}) else EMPTY)"
    hook = UNSTRUCTURE.get(t) or UNSTRUCTURE.get(inner)
    if hook is None and (t in _SHARED or inner in _SHARED):  # a shared value: written once per object
        hook = _WRITE_NAMESPACE[f"one_{_class_writer(t if inner is None else inner)}"]
    if hook is not None:
        return _leaf_writer(key, name, hook, optional=inner is not None)
    if attrs.has(t):
        return "", f"one_{_class_writer(t)}(o.{name})"
    if inner is not None and attrs.has(inner):
        return "", f"(None if ({value} := o.{name}) is None else one_{_class_writer(inner)}({value}))"
    if item is not None and attrs.has(item):
        return "", f"(many_{_class_writer(item)}({value}) if ({value} := o.{name}) else EMPTY)"
    if item is not None and item in _NATIVE:
        return "", f"list(o.{name})"
    msg = f"the fast path cannot write a field of type {t!r}"
    raise TypeError(msg)


_USUALLY_DEFAULT: Final[dict[type, str]] = {Indicator: "key"}
"""For these classes, the fields from the one named on (in written order) are at their default in most
objects (a key, suppressions, the columns some provinces add): a second, shorter struct writes such an
object, the same bytes as the whole struct with those fields left out (about a fifth of the writing)."""


def _at_default(field: attrs.Attribute[Any]) -> str:
    """A test that ``o.<field>`` is written as its default (so left out), for the defaults that have one."""
    name, default = field.name, field.default
    if default is None:
        return f"o.{name} is None"
    if default == () or _empty_text_default(field):
        return f"not o.{name}"  # an empty tuple is written as an empty list, left out
    if type(default) is bool:
        return f"o.{name} is {default}"
    msg = f"the fast path cannot tell that {field.name!r} is at its default ({default!r})"
    raise TypeError(msg)


def _class_writer(cls: type) -> str:
    """The name of ``cls`` in the writer functions ``one_<name>(obj)`` and ``many_<name>(objects)``.

    They give msgspec structs shaped like the cattrs dicts: the keys in cattrs' order (fields
    without a default first, then the others, each in class order), defaults left out.
    """
    name = cls.__name__
    if f"one_{name}" in _WRITE_NAMESPACE:
        return name
    fields = sorted(_field_types(cls), key=lambda pair: pair[0].default is not attrs.NOTHING)  # stable
    spec: list[Any] = [("schema_version", object)] if cls is Document else []
    arguments = ["SV"] if cls is Document else []
    statements = ""
    for field, t in fields:
        if field.default is attrs.NOTHING:
            spec.append((field.name, object))
        elif isinstance(field.default, tuple):
            spec.append((field.name, object, msgspec.field(default_factory=list)))  # an empty list is left out
        else:
            spec.append((field.name, object, field.default))
        first, expression = _field_writer(f"{name}_{field.name}", field, t)
        statements += first
        arguments.append(expression)
    _WRITE_NAMESPACE[f"S_{name}"] = msgspec.defstruct(f"_{name}Write", spec, omit_defaults=True, gc=False)
    make = f"S_{name}({', '.join(arguments)})"
    if cls in _USUALLY_DEFAULT:  # the short struct when every field of the tail is at its default
        first_usual = [field.name for field, _ in fields].index(_USUALLY_DEFAULT[cls])
        tail = [field for field, _ in fields[first_usual:]]
        cut = len(spec) - len(tail)  # the struct's fields (and arguments) before the tail
        _WRITE_NAMESPACE[f"S_{name}_short"] = msgspec.defstruct(
            f"_{name}WriteShort", spec[:cut], omit_defaults=True, gc=False
        )
        test = " and ".join(f"({_at_default(field)})" for field in tail)
        make = f"(S_{name}_short({', '.join(arguments[:cut])}) if {test} else {make})"
    source = (  # a loop, not a comprehension: the names bound with := stay fast locals
        f"def one_{name}(o):\n{textwrap.indent(statements, '    ')}    return {make}\n\n"
        f"def many_{name}(items):\n    out = []\n    append = out.append\n"
        f"    for o in items:\n{textwrap.indent(statements, '        ')}        append({make})\n    return out\n"
    )
    exec(source, _WRITE_NAMESPACE)  # noqa: S102 - code made above from the model's field names
    return name


_WRITERS: Final[dict[type, Callable[[Any], Any]]] = {
    cls: _WRITE_NAMESPACE[f"one_{_class_writer(cls)}"] for cls in (Document, ProjectTargets)
}
_ENCODER: Final = msgspec.json.Encoder()
_PAUSE_GC_TABLES: Final = 100
"""Documents of at least this many tables are written with the collector paused."""


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
    write = _WRITERS.get(type(obj))
    if write is None:
        return None
    pause = type(obj) is Document and len(obj.projects) >= _PAUSE_GC_TABLES and gc.isenabled()
    if pause:
        gc.disable()
    try:
        return msgspec.json.format(_ENCODER.encode(write(obj)), indent=2) + b"\n"
    except Exception:  # noqa: BLE001 - e.g. lone surrogates: the cattrs path writes those
        return None
    finally:
        _WRITTEN.clear()
        _WRITTEN[id(None)] = None
        if pause:
            gc.enable()
