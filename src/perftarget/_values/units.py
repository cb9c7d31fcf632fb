"""Quantities (a number with its unit of measure) and their grammar; units and exact conversion.

The units themselves (names, dimensions, conversion) are in :mod:`perftarget._values.dimensions`
and re-exported here; the grammar of an amount (``"95000元"``, ``"1,200 人次"``) is the
lexicon's (:mod:`perftarget._values.lexicon`), shared with the grammar of targets.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Final

import attrs

from perftarget._values.dimensions import convert, convertible, dimension_of, is_known_unit, normalize_unit
from perftarget._values.lexicon import _CACHE_MAX_LENGTH, FOLD, NotATargetError, scan_quantity
from perftarget._values.numbers import format_number, to_decimal
from perftarget.exceptions import ThresholdSyntaxError

__all__ = [
    "Quantity",
    "convert",
    "convertible",
    "dimension_of",
    "is_known_unit",
    "normalize_unit",
    "parse_quantity",
]

@attrs.frozen
class Quantity:
    """A number with its unit of measure, e.g. ``Quantity(Decimal("9.5"), "万元")``.

    .. versionadded:: 0.1.0
    """

    value: Decimal = attrs.field(converter=to_decimal)
    unit: str = attrs.field(default="", converter=normalize_unit)

    def to(self, unit: str) -> Quantity:
        """The same amount in ``unit``; raises :class:`~perftarget.UnitMismatchError` across dimensions.

        >>> Quantity("95000", "元").to("万元")
        Quantity(value=Decimal('9.5'), unit='万元')
        """
        unit = normalize_unit(unit)
        return Quantity(convert(self.value, self.unit, unit), unit)

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """Read ``"95000元"``, ``"96%"``, ``"1,200人次"`` or ``"7.5 小时/天"``.

        Raises:
            ThresholdSyntaxError: the text is not a number followed by a unit.
        """
        return parse_quantity(text)

    def __str__(self) -> str:
        return f"{format_number(self.value)}{self.unit}"


def parse_quantity(text: str) -> Quantity:
    """Read an amount as people write it: ``"95000元"``, ``"96%"``, ``"7.5 小时/天"``, ``"1,200"``.

    The grammar is the one of :meth:`Threshold.parse` without a comparator: one number
    (full-width digits, thousands separators and a sign allowed), an optional unit (any
    word, normalised), and nothing else but closing punctuation.

    >>> parse_quantity("１,２００ 人次")
    Quantity(value=Decimal('1200'), unit='人次')

    Raises:
        ThresholdSyntaxError: the text is not one number with an optional unit.

    .. versionadded:: 0.1.0
    """
    if not isinstance(text, str):
        msg = f"parse_quantity() takes a str (got {type(text).__name__})"
        raise TypeError(msg)
    if len(text) <= _CACHE_MAX_LENGTH:
        return _parse_quantity_cached(text)
    return _parse_quantity(text)


def _parse_quantity(text: str) -> Quantity:
    s = text.translate(FOLD)
    try:
        value, unit = scan_quantity(s)
    except NotATargetError as failure:
        raise ThresholdSyntaxError(text, failure.pos + 1, failure.expected) from None
    return Quantity(value, unit)


_parse_quantity_cached: Final = lru_cache(maxsize=16384)(_parse_quantity)
