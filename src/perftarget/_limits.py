"""Bounds on every input, checked before the work they guard (docs/concepts/limits.md).

One frozen :class:`Limits` value names each bound. Readers take ``limits=`` (``None`` is
:data:`DEFAULT_LIMITS`); exceeding a bound raises a typed error that names the bound and the
place. The two number bounds are also the range in which perftarget computes exactly, so the
model's own converters apply them whatever a reader was given, and a reader may lower them
but not raise them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Final

import attrs

from perftarget.exceptions import LimitExceededError

__all__ = ["DEFAULT_LIMITS", "MAX_NUMBER_DIGITS", "MAX_NUMBER_EXPONENT", "Limits", "check_number", "check_size"]

MAX_NUMBER_DIGITS: Final = 34
"""Significant digits of one number, at most (the precision of IEEE decimal128)."""
MAX_NUMBER_EXPONENT: Final = 30
"""A number's magnitude: 10 to the power -30 to 10 to the power 30, at most (besides 0)."""

_MIB: Final = 1 << 20


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"limit {attribute.name!r} must be a whole number of at least 1 (got {value!r})"
        raise LimitExceededError(msg, limit=attribute.name, value=value)


def _at_most(ceiling: int) -> Callable[[object, attrs.Attribute[int], int], None]:
    def check(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
        _positive(instance, attribute, value)
        if value > ceiling:
            msg = f"limit {attribute.name!r} can be at most {ceiling}, the range perftarget computes in (got {value})"
            raise LimitExceededError(msg, limit=attribute.name, value=value)

    return check


@attrs.frozen(kw_only=True)
class Limits:
    """How large an input may be. Every field is checked before the work it guards.

    Attributes:
        text_bytes: a JSON or TOML file (document, actuals, payments, review configuration).
        workbook_bytes: a workbook file as stored.
        unpacked_bytes: all the parts of a workbook unpacked (a zip bomb is refused unread).
        sheet_cells: cells holding a value in one sheet (blank cells do not count).
        depth: nesting of lists and tables in JSON or TOML.
        items: entries of one list (indicators of a goal, rows of a sheet's perftarget block).
        number_digits: significant digits of one number (at most 34).
        number_exponent: magnitude of one number, as a power of ten either way (at most 30).

    .. versionadded:: 0.1.0
    """

    text_bytes: int = attrs.field(default=32 * _MIB, validator=_positive)
    workbook_bytes: int = attrs.field(default=64 * _MIB, validator=_positive)
    unpacked_bytes: int = attrs.field(default=512 * _MIB, validator=_positive)
    sheet_cells: int = attrs.field(default=500_000, validator=_positive)
    depth: int = attrs.field(default=64, validator=_positive)
    items: int = attrs.field(default=100_000, validator=_positive)
    number_digits: int = attrs.field(default=MAX_NUMBER_DIGITS, validator=_at_most(MAX_NUMBER_DIGITS))
    number_exponent: int = attrs.field(default=MAX_NUMBER_EXPONENT, validator=_at_most(MAX_NUMBER_EXPONENT))

    def check(self, name: str, value: int, where: str) -> None:
        """Raise :class:`~perftarget.LimitExceededError` when ``value`` is above the bound ``name``."""
        bound: int = getattr(self, name)
        if value > bound:
            msg = f"{where}: {value:,} is above the limit {name} = {bound:,}"
            raise LimitExceededError(msg, limit=name, value=value, where=where)


DEFAULT_LIMITS: Final = Limits()
"""The bounds used where no ``limits=`` is given."""


def check_number(value: Decimal, limits: Limits = DEFAULT_LIMITS, where: str = "value") -> None:
    """Raise :class:`~perftarget.LimitExceededError` when a finite ``value`` is outside the number range."""
    if value.is_zero():
        return
    digits = 0 if len(str(value)) <= limits.number_digits else len(value.as_tuple().digits)  # the text is never shorter
    if digits > limits.number_digits:
        bound = limits.number_digits
        msg = f"{where}: {_shown(value)} has {digits} significant digits, above the limit number_digits = {bound}"
        raise LimitExceededError(msg, limit="number_digits", value=value, where=where)
    magnitude = value.adjusted()
    if abs(magnitude) > limits.number_exponent:
        bound = limits.number_exponent
        msg = (
            f"{where}: {_shown(value)} is of the order of 10^{magnitude}, "
            f"outside 10^-{bound} to 10^{bound} (limit number_exponent)"
        )
        raise LimitExceededError(msg, limit="number_exponent", value=value, where=where)


def check_size(value: int | str, limits: Limits = DEFAULT_LIMITS, where: str = "value") -> None:
    """Refuse an integer or a number's text too long to be in range, before converting it (that costs time)."""
    longest = limits.number_digits + limits.number_exponent + 20  # room for signs, a point, zeros, an exponent
    size = len(value) if isinstance(value, str) else value.bit_length() * 3 // 10
    if size > longest:
        kind = "a text of" if isinstance(value, str) else "an integer of about"
        unit = "characters" if isinstance(value, str) else "digits"
        msg = f"{where}: {kind} {size:,} {unit} is too long for a number within the limits"
        raise LimitExceededError(msg, limit="number_digits", value=size, where=where)


_SHOWN: Final = 40


def _shown(value: Decimal) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 3]}..."
