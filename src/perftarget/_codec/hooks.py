"""The stored format's leaf values: how each is read and written, once for both JSON paths.

The cattrs converter (:mod:`perftarget._codec.convert`) registers these hooks, and the msgspec
fast path (:mod:`perftarget._codec.fast`) calls the same functions on the same values, so that
both read and write every amount, date, target, level and basis alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import attrs

from perftarget._model.targets import Basis, BasisCategory
from perftarget._values.levels import Level1, Level2, to_level1, to_level2
from perftarget._values.numbers import format_number, to_decimal
from perftarget._values.text import lone_surrogate
from perftarget._values.threshold import Comparator, Threshold
from perftarget.exceptions import InvalidValueError, LimitExceededError, shown

__all__ = [
    "AMOUNTS",
    "SCHEMA_VERSION",
    "STRUCTURE",
    "UNSTRUCTURE",
    "structure_category",
    "threshold_text",
    "unstructure_basis",
]

SCHEMA_VERSION: Final = 1
"""The version of the stored format this release reads and writes."""


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, (bool, float)) or not isinstance(value, (str, int, Decimal)):
        what = type(value).__name__ if not isinstance(value, (str, int, float)) else shown(value)
        msg = f"expected a number such as 10.00 (got {what})"
        raise InvalidValueError(msg, value=value)
    try:
        return to_decimal(value)
    except LimitExceededError as exc:
        msg = str(exc).removeprefix(f"{exc.where}: ")
        raise LimitExceededError(msg, limit=exc.limit, value=exc.value) from None
    except InvalidValueError:
        msg = f"expected a number such as 10.00 (got {shown(value)})"
        raise InvalidValueError(msg, value=value) from None


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        msg = f"expected text (got {type(value).__name__} {shown(value)})"
        raise InvalidValueError(msg, value=value)
    problem = lone_surrogate(value)
    if problem is not None:
        raise InvalidValueError(f"the text {problem}", value=value)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a whole number (got {type(value).__name__} {shown(value)})"
        raise InvalidValueError(msg, value=value)
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false (got {type(value).__name__} {shown(value)})"
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
    msg = f"expected a date such as 2024-03-31 (got {shown(value)})"
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
    return Threshold.parse(_structure_str(value, str))  # a lone surrogate is refused as in any text


def _structure_level1(value: object, _: type) -> Level1 | str | None:
    return to_level1(_structure_str(value, str))


def _structure_level2(value: object, _: type) -> Level2 | str | None:
    return to_level2(_structure_str(value, str))


def structure_category(value: object, _: type) -> BasisCategory:
    """A basis category from its Chinese name (with or without 标准) or its English name."""
    text = _structure_str(value, str).strip()
    for member in BasisCategory:
        if text in (member.value, member.value.removesuffix("标准"), member.english):
            return member
    choices = ", ".join(f"{m.value} ({m.english})" for m in BasisCategory)
    msg = f"expected one of {choices} (got {shown(text)})"
    raise InvalidValueError(msg, value=value)


def unstructure_basis(basis: Basis) -> object:
    """A basis as stored: its text alone, or a table with its category."""
    if basis.category is None:
        return basis.text
    return {"text": basis.text, "category": basis.category.value}


AMOUNTS: Final = tuple[Decimal | None, ...]
"""A row of printed amounts with blank cells (:attr:`CostItem.prior`): a leaf, a blank written as ``""``."""


def _structure_amounts(value: object, _: type) -> tuple[Decimal | None, ...]:
    if not isinstance(value, (list, tuple)):
        msg = f'expected a list of numbers, "" for a blank cell (got {type(value).__name__} {shown(value)})'
        raise InvalidValueError(msg, value=value)
    return tuple(None if item is None or item == "" else _structure_decimal(item, Decimal) for item in value)


def _unstructure_amounts(value: tuple[Decimal | None, ...]) -> list[str]:
    return ["" if item is None else format_number(item) for item in value]


def _level_text(value: object) -> str | None:
    return None if value is None else str(value)


STRUCTURE: Final[dict[Any, Callable[[object, type], object]]] = {
    Decimal: _structure_decimal,
    str: _structure_str,
    int: _structure_int,
    bool: _structure_bool,
    dt.date: _structure_date,
    Threshold: _structure_threshold,
    Level1 | str | None: _structure_level1,
    Level2 | str | None: _structure_level2,
    BasisCategory: structure_category,
    AMOUNTS: _structure_amounts,
}
"""How each leaf type is read, by the field type it fills (a level's whole union is one leaf)."""

UNSTRUCTURE: Final[dict[Any, Callable[[Any], object]]] = {
    Decimal: format_number,
    dt.date: dt.date.isoformat,
    Threshold: threshold_text,
    Level1 | str | None: _level_text,
    Level2 | str | None: _level_text,
    BasisCategory: lambda category: category.value,
    Basis: unstructure_basis,
    AMOUNTS: _unstructure_amounts,
}
"""How each leaf type is written; ``str``, ``int`` and ``bool`` are written as they are."""

TEXT_FORMS: Final[dict[type, Callable[[str], object]]] = {Basis: lambda text: Basis(_structure_str(text, str))}
"""Classes also read from bare text (``"basis": "工作要求"``), with what makes one from the text."""
