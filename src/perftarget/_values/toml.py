"""A small TOML writer for perftarget's documents, and the reader shim.

The writer covers what the model produces: tables, arrays of tables, strings,
integers, booleans, ``Decimal`` (written as TOML numbers, read back exactly with
``parse_float=Decimal``) and dates.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from perftarget._values.numbers import format_number

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["TOMLDecodeError", "dumps", "loads"]

TOMLDecodeError = tomllib.TOMLDecodeError

_BARE_KEY: Final = re.compile(r"^[A-Za-z0-9_-]+$")
_INLINE_MAX_KEYS: Final = 4
_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def loads(text: str) -> dict[str, Any]:
    """Parse TOML, reading every float as an exact ``Decimal``."""
    return tomllib.loads(text, parse_float=Decimal)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:  # noqa: PLR2004
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _is_scalar(value: object) -> bool:
    return isinstance(value, (str, int, Decimal, dt.date, bool))


def _is_inline_table(value: object) -> bool:
    return (
        isinstance(value, Mapping)
        and len(value) <= _INLINE_MAX_KEYS
        and all(_is_scalar(v) for v in value.values())
    )


def _value(value: object) -> str:  # noqa: PLR0911 - one branch per TOML type
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Decimal):
        return format_number(value)  # an integral Decimal reads back as an int, converted exactly
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, Sequence):
        items = [_value(v) for v in value]
        if not items:
            return "[]"
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 80 and "\n" not in one_line:  # noqa: PLR2004
            return one_line
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    msg = f"cannot write {type(value).__name__} to TOML"
    raise TypeError(msg)


def _is_table_array(value: object) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(isinstance(v, Mapping) for v in value)
        and not all(_is_inline_table(v) for v in value)
    )


def _emit(lines: list[str], path: str, table: Mapping[str, Any]) -> None:
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        if value is None:
            continue
        if (isinstance(value, Mapping) and not _is_inline_table(value)) or _is_table_array(value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        sub = f"{path}.{_key(key)}" if path else _key(key)
        if isinstance(value, Mapping):
            lines.append("")
            lines.append(f"[{sub}]")
            _emit(lines, sub, value)
        else:
            for item in value:
                lines.append("")
                lines.append(f"[[{sub}]]")
                _emit(lines, sub, item)


def dumps(data: Mapping[str, Any]) -> str:
    """Write a mapping as TOML; ``None`` values are left out (TOML has no null)."""
    lines: list[str] = []
    _emit(lines, "", data)
    return "\n".join(lines).lstrip("\n") + "\n"
