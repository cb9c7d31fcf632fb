"""Units of measure (计量单位) and exact conversion between units of one dimension.

A unit is kept as its normalised text (``"%"``, ``"万元"``, ``"小时/天"``). Units with a
known dimension convert exactly (元/万元/亿元, %/‰, 天/周, 月/季度/年, 分钟/小时);
a compound unit ``A/B`` is a rate whose dimension is ``dim(A)/dim(B)`` (小时/天 is a
rate, not a time). Any other unit (个, 次, 人次, 户...) is its own dimension: it
compares only with itself.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import attrs

from perftarget._numbers import format_number, to_decimal
from perftarget.exceptions import UnitMismatchError

# unit -> (dimension, factor to the dimension's base unit)
_KNOWN: dict[str, tuple[str, Decimal]] = {
    "%": ("ratio", Decimal(1)),
    "‰": ("ratio", Decimal("0.1")),
    "元": ("money", Decimal(1)),
    "千元": ("money", Decimal(1000)),
    "万元": ("money", Decimal(10000)),
    "百万元": ("money", Decimal(1000000)),
    "亿元": ("money", Decimal(100000000)),
    "分钟": ("minutes", Decimal(1)),
    "小时": ("minutes", Decimal(60)),
    "天": ("days", Decimal(1)),
    "日": ("days", Decimal(1)),
    "周": ("days", Decimal(7)),
    "月": ("months", Decimal(1)),
    "个月": ("months", Decimal(1)),
    "季度": ("months", Decimal(3)),
    "年": ("months", Decimal(12)),
}

# spelling variants -> canonical unit
_ALIASES: dict[str, str] = {
    "百分比": "%",
    "％": "%",
    "百分率": "%",
    "千分比": "‰",
    "圆": "元",
}

_TRANSLATE = str.maketrans({"／": "/", "％": "%", "\u3000": "", " ": "", "\t": ""})


def normalize_unit(unit: str) -> str:
    """The canonical spelling of a unit: spaces removed, ``百分比``/``％`` -> ``%``."""
    return _normalize_unit(unit)


@lru_cache(maxsize=4096)
def _normalize_unit(unit: str) -> str:
    text = unit.translate(_TRANSLATE)
    if "/" in text:
        return "/".join(_ALIASES.get(part, part) for part in text.split("/"))
    return _ALIASES.get(text, text)


@lru_cache(maxsize=4096)
def dimension_of(unit: str) -> tuple[str, Decimal]:
    """The dimension of ``unit`` and its factor to that dimension's base unit.

    >>> dimension_of("万元")
    ('money', Decimal('10000'))
    >>> dimension_of("个")
    ('个', Decimal('1'))
    """
    unit = normalize_unit(unit)
    if unit in _KNOWN:
        return _KNOWN[unit]
    if "/" in unit:
        top, _, bottom = unit.partition("/")
        top_dim, top_factor = dimension_of(top)
        bottom_dim, bottom_factor = dimension_of(bottom)
        return f"{top_dim}/{bottom_dim}", top_factor / bottom_factor
    return unit, Decimal(1)


def convertible(from_unit: str, to_unit: str) -> bool:
    """Whether a value in ``from_unit`` can be expressed in ``to_unit``."""
    return dimension_of(from_unit)[0] == dimension_of(to_unit)[0]


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Express ``value`` given in ``from_unit`` in ``to_unit``, exactly.

    Raises:
        UnitMismatchError: the units measure different things.

    >>> convert(Decimal("95000"), "元", "万元")
    Decimal('9.5')
    """
    if from_unit == to_unit:
        return value
    from_dim, from_factor = dimension_of(from_unit)
    to_dim, to_factor = dimension_of(to_unit)
    if from_dim != to_dim:
        raise UnitMismatchError(from_unit, to_unit)
    if from_factor == to_factor:
        return value
    return value * from_factor / to_factor


@attrs.frozen
class Quantity:
    """A number with its unit of measure, e.g. ``Quantity(Decimal("9.5"), "万元")``.

    .. versionadded:: 0.1.0
    """

    value: Decimal = attrs.field(converter=to_decimal)
    unit: str = attrs.field(default="", converter=normalize_unit)

    def to(self, unit: str) -> Quantity:
        """The same amount in ``unit``; raises :class:`UnitMismatchError` across dimensions."""
        unit = normalize_unit(unit)
        return Quantity(convert(self.value, self.unit, unit), unit)

    @classmethod
    def parse(cls, text: str) -> Quantity:
        """Read ``"95000元"``, ``"96%"`` or ``"7.5 小时/天"``.

        Raises:
            ThresholdSyntaxError: the text is not a number followed by a unit.
        """
        from perftarget._threshold import parse_quantity  # noqa: PLC0415 - grammar lives with Threshold

        return parse_quantity(text)

    def __str__(self) -> str:
        return f"{format_number(self.value)}{self.unit}"
