"""Units of measure (计量单位): normalisation, dimensions and exact conversion.

>>> from decimal import Decimal
>>> from perftarget.units import convert, dimension_of, normalize_unit
>>> normalize_unit("百分比"), normalize_unit("小时 / 天")
('%', '小时/天')
>>> convert(Decimal("95000"), "元", "万元")
Decimal('9.5')

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from perftarget._values.units import Quantity, convert, convertible, dimension_of, is_known_unit, normalize_unit

__all__ = ["Quantity", "convert", "convertible", "dimension_of", "is_known_unit", "normalize_unit"]
