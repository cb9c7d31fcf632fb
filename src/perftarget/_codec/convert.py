"""Dict-shaped data, JSON and TOML: the one configured converter, ``load`` and ``dump``.

Serialization stays out of the models: everything here is hooks on a private
:class:`cattrs.Converter`. The stored format is versioned by ``schema_version``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import tempfile
import typing
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Final, Literal, TypeVar

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError

from perftarget._values import toml as _toml
from perftarget._values.levels import Level1, Level2, to_level1, to_level2
from perftarget._model.targets import Basis, BasisCategory, Document
from perftarget._values.numbers import format_number, to_decimal
from perftarget._values.threshold import Comparator, Threshold
from perftarget.exceptions import DocumentError, InvalidValueError, PerftargetError, Problem

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

SCHEMA_VERSION: Final = 1
"""The version of the stored format this release reads and writes."""

Format = Literal["json", "toml"]
_SUFFIXES: Final[dict[str, Format]] = {".json": "json", ".toml": "toml"}

T = TypeVar("T")


# --- leaf hooks ----------------------------------------------------------------------------


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, (bool, float)) or not isinstance(value, (str, int, Decimal)):
        shown = type(value).__name__ if not isinstance(value, (str, int, float)) else repr(value)
        msg = f"expected a number such as 10.00 (got {shown})"
        raise InvalidValueError(msg, value=value)
    try:
        return to_decimal(value)
    except InvalidValueError:
        msg = f"expected a number such as 10.00 (got {value!r})"
        raise InvalidValueError(msg, value=value) from None


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        msg = f"expected text (got {type(value).__name__} {value!r})"
        raise InvalidValueError(msg, value=value)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a whole number (got {type(value).__name__} {value!r})"
        raise InvalidValueError(msg, value=value)
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false (got {type(value).__name__} {value!r})"
        raise InvalidValueError(msg, value=value)
    return value


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        msg = f"expected a date such as 2024-03-31, not a date and time (got {value})"
        raise InvalidValueError(msg, value=value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"expected a date such as 2024-03-31 (got {value!r})"
    raise InvalidValueError(msg, value=value)


def threshold_text(threshold: Threshold) -> str:
    """The text a threshold is stored as: its source when that reads back the same, else canonical."""
    if threshold.inferred and threshold.comparator is not Comparator.GE:
        return str(attrs.evolve(threshold, inferred=False, source=None))
    return threshold.display


def _structure_threshold(value: object, _: type) -> Threshold:
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = format_number(Decimal(value))
    if not isinstance(value, str):
        msg = f'expected a target such as "≥95%", "按时发放" or "无" (got {type(value).__name__})'
        raise InvalidValueError(msg, value=value)
    return Threshold.parse(value)


def _structure_level1(value: object, _: type) -> Level1 | str | None:
    return to_level1(_structure_str(value, str))


def _structure_level2(value: object, _: type) -> Level2 | str | None:
    return to_level2(_structure_str(value, str))


def _structure_category(value: object, _: type) -> BasisCategory:
    text = _structure_str(value, str).strip()
    for member in BasisCategory:
        if text in (member.value, member.value.removesuffix("标准"), member.english):
            return member
    choices = ", ".join(f"{m.value} ({m.english})" for m in BasisCategory)
    msg = f"expected one of {choices} (got {text!r})"
    raise InvalidValueError(msg, value=value)


def _unstructure_basis(basis: Basis) -> object:
    if basis.category is None:
        return basis.text
    return {"text": basis.text, "category": basis.category.value}


def configure_converter(converter: cattrs.Converter) -> None:
    """Register perftarget's hooks on ``converter`` (leaf types first, then classes).

    Use it to embed perftarget's format in your own converter; :func:`make_converter`
    gives a fresh configured one.
    """
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, format_number)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(Threshold, _structure_threshold)
    converter.register_unstructure_hook(Threshold, threshold_text)
    converter.register_structure_hook_func(lambda t: t == (Level1 | str | None), _structure_level1)
    converter.register_structure_hook_func(lambda t: t == (Level2 | str | None), _structure_level2)
    converter.register_unstructure_hook_func(
        lambda t: t in (Level1 | str | None, Level2 | str | None),
        lambda v: None if v is None else str(v),
    )
    converter.register_structure_hook(BasisCategory, _structure_category)
    converter.register_unstructure_hook(BasisCategory, lambda c: c.value)

    def structure_basis(value: object, _: type) -> Basis:
        if isinstance(value, str):
            return Basis(value)
        if not isinstance(value, Mapping):
            msg = f"expected text or a table with text and category (got {type(value).__name__})"
            raise InvalidValueError(msg, value=value)
        return structure_basis_table(value, Basis)

    structure_basis_table = cattrs.gen.make_dict_structure_fn(Basis, converter, _cattrs_forbid_extra_keys=True)
    converter.register_structure_hook(Basis, structure_basis)
    converter.register_unstructure_hook(Basis, _unstructure_basis)


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
    if isinstance(exc, TypeError) and type_ is not None and "iterable" in str(exc):
        return "expected a list"
    if isinstance(exc, (AttributeError, TypeError)) and "items" in str(exc):
        return "expected a table (mapping)"
    return cattrs.v.format_exception(exc, type_)


def _problems(exc: BaseException) -> list[Problem]:
    problems = []
    for line in cattrs.transform_error(exc, path="$", format_exception=_format_exception):
        message, _, where = line.rpartition(" @ ")
        path = where.removeprefix("$").removeprefix(".")
        problems.append(Problem(path, message))
    return problems


def from_dict(data: object, cls: type[T] = Document, *, source: str | None = None) -> T:  # type: ignore[assignment]
    """Build a model object from dict-shaped data (as read from JSON or TOML).

    For a :class:`Document`, ``schema_version`` must be present and not newer than
    :data:`SCHEMA_VERSION`.

    Raises:
        DocumentError: listing every problem with its path.
    """
    if cls is Document:
        if not isinstance(data, Mapping):
            raise DocumentError([Problem("", "expected a table (mapping) at the top")], source=source)
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


def _parse_text(text: str, fmt: Format) -> object:
    if fmt == "json":
        return json.loads(text, parse_float=Decimal)
    return _toml.loads(text)


def loads(text: str, fmt: Format = "json", cls: type[T] = Document, *, source: str | None = None) -> T:  # type: ignore[assignment]
    """Read a document (or another model type) from JSON or TOML text.

    Raises:
        DocumentError: the text is malformed or the data breaks the model; every
            problem is listed with its path (or line and column for syntax errors).
    """
    if fmt == "json" and (fast := _fast_path()) is not None:
        result: T | None = fast.loads_json(text, cls)  # None: the cattrs path below reads it or explains
        if result is not None:
            return result
    try:
        data = _parse_text(text, fmt)
    except (json.JSONDecodeError, _toml.TOMLDecodeError) as exc:
        raise DocumentError([_syntax_problem(exc)], source=source) from exc
    return from_dict(data, cls, source=source)


@functools.cache
def _fast_path() -> ModuleType | None:
    """The msgspec fast path for JSON (the ``fast`` extra), or ``None`` without msgspec."""
    try:
        from perftarget._codec import fast as _fast  # noqa: PLC0415 - optional extra, imported on first use
    except ImportError:
        return None
    return _fast


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    msg = f"cannot write {type(value).__name__} to JSON"
    raise TypeError(msg)


def dumps(obj: object, fmt: Format = "json") -> str:
    """Write a document (or another model object) as JSON or TOML text."""
    if fmt == "json" and (fast := _fast_path()) is not None:
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
    if fmt == "json" and (fast := _fast_path()) is not None:
        data: bytes | None = fast.dumps_json_bytes(obj)  # the same bytes, or None
        if data is not None:
            return data
    return dumps(obj, fmt).encode("utf-8")


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
        raise DocumentError([Problem("", msg)], source=str(path)) from None


def load(path: str | os.PathLike[str], *, fmt: Format | None = None) -> Document:
    """Read a :class:`Document` from a ``.json`` or ``.toml`` file.

    Raises:
        DocumentError: the file cannot be read, is malformed, or breaks the model;
            ``.problems`` lists every problem with its path.
    """
    file = Path(path)
    kind = format_of(file, fmt)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise DocumentError([Problem("", f"cannot read the file: {exc.strerror or exc}")], source=str(file)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = Problem(f"byte {exc.start}", "the file is not UTF-8 text")
        raise DocumentError([problem], source=str(file)) from exc
    return loads(text, kind, Document, source=str(file))


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8 when ``str``) to ``path`` through a temporary file and a rename: all or nothing."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")  # before a temporary file exists
    directory = path.parent if str(path.parent) else Path()
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def dump(document: object, path: str | os.PathLike[str], *, fmt: Format | None = None) -> None:
    """Write a document to a ``.json`` or ``.toml`` file, atomically.

    The text is produced in full before anything touches the disk, then written to a
    temporary file beside the target and renamed over it: a failure leaves the old
    file as it was and no partial file behind.
    """
    file = Path(path)
    write_atomic(file, dumps_bytes(document, format_of(file, fmt)))
