"""Exact numbers: conversion to :class:`~decimal.Decimal` and display rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from perftarget._limits import DEFAULT_LIMITS, Limits, check_number, check_size
from perftarget.exceptions import InvalidValueError, shown

Number = Decimal | int | float | str

_ZERO = Decimal(0)
HUNDRED = Decimal(100)


def to_decimal(value: object, *, field: str = "value", limits: Limits = DEFAULT_LIMITS) -> Decimal:
    """Convert ``value`` to a finite ``Decimal`` exactly, within the number range of ``limits``.

    ``int``, ``Decimal`` and numeric strings convert exactly; a ``float`` converts through
    its shortest ``repr`` (``0.1`` becomes ``Decimal("0.1")``), never through its binary value.
    ``bool`` is refused: ``True`` is not an amount. A number outside the range of
    :class:`~perftarget.Limits` (``1e999999999999``, 5,000 digits) raises
    :class:`~perftarget.LimitExceededError`; an over-long text or integer is refused before it is converted.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise InvalidValueError(f"{field!r} must be a number (got {shown(value)})", field=field, value=value)
    elif isinstance(value, (int, str)):
        check_size(value, limits, field)
        try:
            result = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
        except InvalidOperation:
            msg = f"{field!r} must be a number (got {shown(value)})"
            raise InvalidValueError(msg, field=field, value=value) from None
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        raise InvalidValueError(
            f"{field!r} must be a number (got {type(value).__name__} {shown(value)})", field=field, value=value
        )
    if not result.is_finite():
        raise InvalidValueError(f"{field!r} must be a finite number (got {shown(value)})", field=field, value=value)
    check_number(result, limits, field)
    return result


def to_optional_decimal(value: object) -> Decimal | None:
    """Like :func:`to_decimal`, but ``None`` stays ``None``."""
    return None if value is None else to_decimal(value)


def format_number(value: Decimal) -> str:
    """Plain positional notation, never an exponent: ``Decimal("1E+2")`` gives ``"100"``."""
    if value.is_zero():
        return format(value.copy_abs(), "f")
    return format(value, "f")


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round for display, half up (0.125 -> 0.13), as published tables do."""
    quantum = Decimal(1).scaleb(-places)
    digits = max(28, value.adjusted() + places + 2)  # enough for any magnitude
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def to_tuple(value: object) -> tuple[object, ...]:
    """A list or other iterable as a tuple (the models keep immutable sequences)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        msg = f"expected a sequence (got {type(value).__name__})"
        raise InvalidValueError(msg, value=value)
    return tuple(value)
