"""Dict-shaped data, JSON and TOML: the one configured converter, ``load`` and ``dump``.

Serialization stays out of the models: everything here is hooks on a private
:class:`cattrs.Converter`. The stored format is versioned by ``schema_version``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
import os
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final, Literal, TypeVar

import attrs
import cattrs
import cattrs.cols
from cattrs.errors import ForbiddenExtraKeysError

from perftarget._codec.hooks import SCHEMA_VERSION, STRUCTURE, TEXT_FORMS, UNSTRUCTURE
from perftarget._files import read_text_file, write_atomic
from perftarget._limits import DEFAULT_LIMITS, Limits, check_size
from perftarget._model.targets import Document
from perftarget._values import toml as _toml
from perftarget._values.numbers import format_number
from perftarget._values.text import lone_surrogate
from perftarget.exceptions import DocumentError, InvalidValueError, LimitExceededError, PerftargetError, Problem

FAST: ModuleType | None
"""The msgspec fast path for JSON (:mod:`perftarget._codec.fast`), or ``None`` without the ``fast`` extra."""
try:
    from perftarget._codec import fast as FAST  # noqa: N812 - a module held as a switch
except ImportError:  # pragma: no cover - without msgspec the cattrs path serves alone
    FAST = None

__all__ = [
    "SCHEMA_VERSION",
    "Format",
    "configure_converter",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "make_converter",
    "to_dict",
]

Format = Literal["json", "toml"]
_SUFFIXES: Final[dict[str, Format]] = {".json": "json", ".toml": "toml"}

T = TypeVar("T")


def configure_converter(converter: cattrs.Converter) -> None:
    """Register perftarget's hooks on ``converter`` (leaf types first, then classes).

    Use it to embed perftarget's format in your own converter; :func:`make_converter`
    gives a fresh configured one.
    """
    for leaf, structure in STRUCTURE.items():
        if isinstance(leaf, type):
            converter.register_structure_hook(leaf, structure)
        else:  # a union, such as a level's
            converter.register_structure_hook_func(functools.partial(operator.eq, leaf), structure)
    for leaf, unstructure in UNSTRUCTURE.items():
        if isinstance(leaf, type):
            converter.register_unstructure_hook(leaf, unstructure)
        else:
            converter.register_unstructure_hook_func(functools.partial(operator.eq, leaf), unstructure)
    for cls, from_text in TEXT_FORMS.items():
        converter.register_structure_hook(cls, _text_or_table(converter, cls, from_text))
    converter.register_structure_hook_factory(_is_list_of_items, _list_of_items)


def _is_list_of_items(kind: object) -> bool:
    if kind in STRUCTURE:  # a list that is a leaf (printed amounts) has its own hook
        return False
    arguments = typing.get_args(kind)
    return typing.get_origin(kind) is tuple and len(arguments) == 2 and arguments[1] is Ellipsis  # noqa: PLR2004


def _list_of_items(kind: type, converter: cattrs.Converter) -> Callable[[object, type], object]:
    """A list field (``tuple[X, ...]``): refuses text or a table, which would otherwise be split into pieces."""
    items = cattrs.cols.homogenous_tuple_structure_factory(kind, converter)

    def structure(value: object, _: type) -> object:
        if isinstance(value, (str, bytes, Mapping)):
            shown = "text" if isinstance(value, (str, bytes)) else "a table"
            msg = f"expected a list (got {shown}: {value!r:.60})"
            raise InvalidValueError(msg, value=value)
        return items(value, kind)

    return structure


def _text_or_table(converter: cattrs.Converter, cls: type, from_text: Callable[[str], object]) -> Any:  # noqa: ANN401
    """The structure hook of a class read from bare text or from a table of its fields."""
    from_table: Callable[[Mapping[str, Any], type], object] = cattrs.gen.make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=True
    )

    def structure(value: object, _: type) -> object:
        if isinstance(value, str):
            return from_text(value)
        if not isinstance(value, Mapping):
            msg = f"expected text or a table with text and category (got {type(value).__name__})"
            raise InvalidValueError(msg, value=value)
        return from_table(value, cls)

    return structure


def make_converter() -> cattrs.Converter:
    """A new converter configured for perftarget's stored format (strict: unknown keys are errors)."""
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    configure_converter(converter)
    return converter


_CONVERTER: Final = make_converter()

# TOML has native numbers and dates: the same format, with Decimal and date left for the writer.
_TOML_CONVERTER: Final = _CONVERTER.copy()
_TOML_CONVERTER.register_unstructure_hook(Decimal, lambda value: value)
_TOML_CONVERTER.register_unstructure_hook(dt.date, lambda value: value)


# --- errors with paths ---------------------------------------------------------------------


def _format_exception(exc: BaseException, type_: type | None) -> str:  # noqa: PLR0911 - one message per error kind
    if isinstance(exc, PerftargetError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        names = ", ".join(repr(k) for k in sorted(exc.extra_fields))
        allowed = ", ".join(a.name for a in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ""
        return f"unknown key {names}; expected one of: {allowed}"
    if isinstance(exc, KeyError):
        return "required key missing"
    if type_ is not None and typing.get_origin(type_) is Literal:
        choices = ", ".join(repr(choice) for choice in typing.get_args(type_))
        got = str(exc).split(" not in literal", 1)[0]
        return f"expected one of {choices} (got {got!r})"
    if isinstance(exc, (AttributeError, TypeError)) and ("items" in str(exc) or "keys" in str(exc)):
        return "expected a table (mapping)"
    if isinstance(exc, TypeError) and type_ is not None and "iterable" in str(exc):
        return "expected a table (mapping)" if attrs.has(type_) else "expected a list"
    return cattrs.v.format_exception(exc, type_)


def _class_problem(exc: BaseException, cl: type, path: str) -> Problem:
    """The problem of a check of a whole object (``cl`` at ``path``).

    A check that blames one field of the object says so by starting its message with the field's
    name (``total: must not be negative (got -5)``): the problem is then *at* that field, the name
    not repeated. Any other (parts that do not add up, a level-2 under the wrong level-1) is about
    the object and stays at its path.
    """
    message = _format_exception(exc, None)
    field = getattr(exc, "field", None) if isinstance(exc, InvalidValueError) else None
    if (
        isinstance(field, str) and attrs.has(cl) and field in attrs.fields_dict(cl)
        and message.startswith(f"{field}: ")
    ):
        return Problem(f"{path}.{field}" if path else field, message.removeprefix(f"{field}: "))
    return Problem(path, message)


def _problems(exc: BaseException, path: str = "") -> list[Problem]:
    """Every problem in a cattrs error, each at its path (as ``cattrs.transform_error`` walks it)."""
    if not isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        return [Problem(path, _format_exception(exc, None))]
    problems = []
    with_notes, without = exc.group_exceptions()
    for inner, note in with_notes:
        name = getattr(note, "name", None)
        where = f"{path}.{name}".removeprefix(".") if name is not None else f"{path}[{note.index!r}]"
        if isinstance(inner, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
            problems.extend(_problems(inner, where))
        else:
            problems.append(Problem(where, _format_exception(inner, note.type)))
    cl = exc.cl if isinstance(exc, cattrs.ClassValidationError) else object
    problems.extend(_class_problem(inner, cl, path) for inner in without)
    return problems


def from_dict(data: object, cls: type[T] = Document, *, source: str | None = None) -> T:  # type: ignore[assignment]
    """Build a model object from dict-shaped data (as read from JSON or TOML).

    For a :class:`Document`, ``schema_version`` must be present and not newer than
    :data:`SCHEMA_VERSION`.

    Raises:
        DocumentError: listing every problem with its path.
    """
    if attrs.has(cls) and not isinstance(data, Mapping):
        problem = Problem("", f"expected a table (mapping) at the top (got {type(data).__name__})")
        raise DocumentError([problem], source=source)
    if cls is Document:
        assert isinstance(data, Mapping)  # noqa: S101 - checked above (Document is an attrs class)
        data = dict(data)
        version = data.pop("schema_version", None)
        if version is None:
            problem = Problem("schema_version", f"required key missing (this release writes {SCHEMA_VERSION})")
            raise DocumentError([problem], source=source)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise DocumentError([Problem("schema_version", f"expected a positive whole number (got {version!r})")],
                                source=source)
        if version > SCHEMA_VERSION:
            msg = f"written by a newer perftarget (format {version}); this release reads up to {SCHEMA_VERSION}"
            raise DocumentError([Problem("schema_version", msg)], source=source)
    try:
        return _CONVERTER.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        raise DocumentError(_problems(exc), source=source) from exc
    except PerftargetError as exc:
        raise DocumentError([Problem("", str(exc))], source=source) from exc


def to_dict(obj: object, *, native: bool = False) -> dict[str, Any]:
    """The dict-shaped form of a model object; a :class:`Document` gets ``schema_version`` first.

    Amounts are strings (``"10.00"``) and dates ISO strings, as stored in JSON; with
    ``native=True`` they stay ``Decimal`` and ``date`` (as TOML stores them).
    """
    data = (_TOML_CONVERTER if native else _CONVERTER).unstructure(obj)
    if isinstance(obj, Document):
        return {"schema_version": SCHEMA_VERSION, **data}
    if not isinstance(data, dict):
        msg = f"{type(obj).__name__} does not serialize to a table"
        raise TypeError(msg)
    return data


# --- text formats --------------------------------------------------------------------------


def _syntax_problem(exc: Exception) -> Problem:
    if isinstance(exc, json.JSONDecodeError):
        return Problem(f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")
    message = str(exc)
    location = ""
    if "(at line" in message:
        message, _, where = message.rpartition(" (at ")
        location = where.rstrip(")")
    elif "(at end of document)" in message:
        message = message.replace(" (at end of document)", "")
        location = "end of document"
    return Problem(location, f"invalid TOML: {message}")


class _DuplicateKeyError(ValueError):
    """Internal: a JSON object gives a key twice."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    data = dict(pairs)
    if len(data) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        raise _DuplicateKeyError(next(key for key, count in counts.items() if count > 1))
    return data


def _bounded_int(text: str) -> int:
    check_size(text.lstrip("-"), where="a number")  # before int(): converting 10⁵ digits takes seconds
    return int(text)


def _no_constant(name: str) -> object:
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def _depth(data: object) -> int:
    """How deeply lists and tables nest in parsed data (iteratively: no recursion on hostile input)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _parse_text(text: str, fmt: Format, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> object:
    """JSON or TOML text as plain data, checked: syntax, duplicate keys, nesting depth, number sizes.

    The one parser of perftarget's text formats (documents, actuals, payments).

    Raises:
        DocumentError: every problem found, with its line and column where known.
    """
    try:
        if fmt == "json":
            data = json.loads(
                text, parse_float=Decimal, parse_int=_bounded_int, parse_constant=_no_constant,
                object_pairs_hook=_unique_keys,
            )
        else:
            data = _toml.loads(text)
    except (json.JSONDecodeError, _toml.TOMLDecodeError) as exc:
        raise DocumentError([_syntax_problem(exc)], source=source) from exc
    except RecursionError:
        problem = Problem("", f"lists or tables nested deeper than the limit depth = {limits.depth}")
        raise DocumentError([problem], source=source) from None
    except _DuplicateKeyError as exc:
        problem = Problem("", f"the key {exc.args[0]!r} is given twice in one object; JSON keys must be unique")
        raise DocumentError([problem], source=source) from None
    except LimitExceededError as exc:
        raise DocumentError([Problem("", str(exc))], source=source) from None
    except ValueError as exc:  # NaN or Infinity in JSON; an integer of thousands of digits in TOML
        raise DocumentError([Problem("", f"invalid {fmt.upper()}: {exc}")], source=source) from None
    depth = _depth(data)
    if depth > limits.depth:
        problem = Problem("", f"lists or tables nested {depth} deep, above the limit depth = {limits.depth}")
        raise DocumentError([problem], source=source)
    return data


def loads(
    text: str,
    fmt: Format = "json",
    cls: type[T] = Document,  # type: ignore[assignment]
    *,
    source: str | None = None,
    limits: Limits | None = None,
) -> T:
    """Read a document (or another model type) from JSON or TOML text.

    Raises:
        DocumentError: the text is malformed or the data breaks the model; every
            problem is listed with its path (or line and column for syntax errors).
    """
    if fmt == "json" and (fast := FAST) is not None:
        result: T | None = fast.loads_json(text, cls)  # None: the cattrs path below reads it or explains
        if result is not None:
            return result
    data = _parse_text(text, fmt, source=source, limits=DEFAULT_LIMITS if limits is None else limits)
    return from_dict(data, cls, source=source)


def _fast_path() -> ModuleType | None:
    """The msgspec fast path (see :data:`FAST`), or ``None``."""
    return FAST


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    msg = f"cannot write {type(value).__name__} to JSON"
    raise TypeError(msg)


def dumps(obj: object, fmt: Format = "json") -> str:
    """Write a document (or another model object) as JSON or TOML text."""
    if fmt == "json" and (fast := FAST) is not None:
        text: str | None = fast.dumps_json(obj)  # the same text, byte for byte, or None
        if text is not None:
            return text
    data = to_dict(obj, native=fmt == "toml")
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    return _toml.dumps(data)


def dumps_bytes(obj: object, fmt: Format = "json") -> bytes:
    """:func:`dumps` as UTF-8 bytes: what :func:`dump` writes to a file.

    With the ``fast`` extra, JSON is made as bytes directly, which saves decoding it to
    ``str`` and encoding it again (about a third of the time of :func:`dumps` for a
    large document): use it to write to a file, a socket or an HTTP response.

    .. versionadded:: 0.1.0
    """
    if fmt == "json" and (fast := FAST) is not None:
        data: bytes | None = fast.dumps_json_bytes(obj)  # the same bytes, or None
        if data is not None:
            return data
    text = dumps(obj, fmt)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        problem = lone_surrogate(text)
        msg = f"cannot write the document as UTF-8: its text {problem}"
        raise InvalidValueError(msg) from None


_WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm")


def format_of(path: Path, fmt: str | None = None) -> Format:
    """The format named by ``fmt`` or by the file's suffix."""
    if fmt is not None:
        if fmt not in ("json", "toml"):
            raise DocumentError([Problem("", f"unknown format {fmt!r}; expected json or toml")], source=str(path))
        return fmt  # type: ignore[return-value]
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        msg = f"cannot tell the format from the suffix {path.suffix!r}; expected .json or .toml"
        if path.suffix.lower() in _WORKBOOK_SUFFIXES:
            msg = (
                f"{msg}. This is an Excel workbook: read it with perftarget.excel.read_workbook() "
                "(the excel extra), or convert it with `perftarget convert FILE.xlsx FILE.toml`"
            )
        raise DocumentError([Problem("", msg)], source=str(path)) from None


def load(
    path: str | os.PathLike[str], *, fmt: Format | None = None, encoding: str | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read a :class:`Document` from a ``.json`` or ``.toml`` file.

    Args:
        path: the file.
        fmt: ``"json"`` or ``"toml"``; by default from the suffix.
        encoding: the file's text encoding; JSON and TOML are UTF-8, but a legacy export
            can be read as it is, e.g. ``encoding="gb18030"``. A file that is not UTF-8 is
            refused with the encoding it looks like.
        limits: the bounds the file is checked against (:class:`~perftarget.Limits`).

    Raises:
        DocumentError: the file cannot be read, is malformed, or breaks the model;
            ``.problems`` lists every problem with its path.
    """
    file = Path(path)
    kind = format_of(file, fmt)
    bounds = DEFAULT_LIMITS if limits is None else limits
    text = read_text_file(file, encoding=encoding, limits=bounds)
    return loads(text, kind, Document, source=str(file), limits=bounds)


def dump(document: object, path: str | os.PathLike[str], *, fmt: Format | None = None) -> None:
    """Write a document to a ``.json`` or ``.toml`` file, atomically.

    The text is produced in full before anything touches the disk, then written to a
    temporary file beside the target and renamed over it: a failure leaves the old
    file as it was and no partial file behind.
    """
    file = Path(path)
    write_atomic(file, dumps_bytes(document, format_of(file, fmt)))
