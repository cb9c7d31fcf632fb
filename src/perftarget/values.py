"""The values inside a target table: thresholds, quantities and units, indicator levels, plan dates.

The front door has :class:`~perftarget.Threshold`, :class:`~perftarget.SpendingSchedule` and
:class:`~perftarget.Checkpoint`; this module is the public home of everything else of the
values layer, which a tool that reads or checks tables of its own needs:

- the threshold grammar: :func:`parse_statement` reads an indicator value (指标值) such as
  ``≥95%``, :class:`Comparator` and :class:`ThresholdKind` classify it, :class:`Achievement`
  is a band (达成 / 部分达成 / 未达成);
- quantities and units (计量单位): :func:`parse_quantity` reads ``9.5万元``,
  :func:`normalize_unit` spells a unit one way, :func:`dimension_of` and :func:`convert`
  convert exactly within a dimension;
- indicator levels: :class:`Level1`, :class:`Level2` and the :class:`Schema` (2018 or 2021
  framework) they belong to;
- :func:`checkpoint_date` reads a plan checkpoint label (``6月底``);
- targets per region (福建 区域目标值): :class:`RegionalTarget`, an indicator's target for one
  region (:attr:`perftarget.Indicator.regional_targets`), and :func:`common_target`, the
  indicator's own target when a table prints only the regions'.

>>> from decimal import Decimal
>>> from perftarget.values import convert, normalize_unit, parse_quantity
>>> normalize_unit("百分比"), normalize_unit("小时 / 天")
('%', '小时/天')
>>> convert(Decimal("95000"), "元", "万元")
Decimal('9.5')
>>> parse_quantity("9.5万元")
Quantity(value=Decimal('9.5'), unit='万元')

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from perftarget._model.targets import RegionalTarget, common_target
from perftarget._values.levels import Level1, Level2, Schema
from perftarget._values.schedule import checkpoint_date
from perftarget._values.threshold import (
    Achievement,
    Comparator,
    Deadline,
    ThresholdKind,
    parse_quantity,
    parse_statement,
)
from perftarget._values.units import Quantity, convert, convertible, dimension_of, is_known_unit, normalize_unit

__all__ = [
    "Achievement",
    "Comparator",
    "Deadline",
    "Level1",
    "Level2",
    "Quantity",
    "RegionalTarget",
    "Schema",
    "ThresholdKind",
    "checkpoint_date",
    "common_target",
    "convert",
    "convertible",
    "dimension_of",
    "is_known_unit",
    "normalize_unit",
    "parse_quantity",
    "parse_statement",
]
