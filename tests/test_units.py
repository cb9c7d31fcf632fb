"""Units of measure: normalisation, dimensions, exact conversion, Quantity."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perftarget._values.units import convert, convertible, dimension_of, is_known_unit, normalize_unit
from perftarget.exceptions import ThresholdSyntaxError, UnitMismatchError
from perftarget.testing import amounts, units_of_measure
from perftarget.values import Quantity

MONEY = ["元", "千元", "万元", "百万元", "千万元", "亿元"]


def test_normalize_unit() -> None:
    """Spaces go, full-width slash and percent fold, 百分比 is %, aliases map to one spelling."""
    assert normalize_unit(" 小时 ／ 天 ") == "小时/天"
    assert normalize_unit("百分比") == "%"
    assert normalize_unit("％") == "%"
    assert normalize_unit("千分比") == "‰"
    assert normalize_unit("万元 / 人") == "万元/人"
    assert normalize_unit("百分比/年") == "%/年"
    assert normalize_unit("") == ""
    with pytest.raises(TypeError):
        normalize_unit(5)  # type: ignore[arg-type]


@given(st.text(max_size=12))
def test_normalize_unit_is_idempotent(unit: str) -> None:
    """Normalising twice changes nothing."""
    once = normalize_unit(unit)
    assert normalize_unit(once) == once


def test_dimensions() -> None:
    """Known units have a dimension and a factor; compound units are rates; others are their own."""
    assert dimension_of("万元") == ("money", Decimal(10000))
    assert dimension_of("‰") == ("ratio", Decimal("0.1"))
    assert dimension_of("小时/天") == ("minutes/days", Decimal(60))
    assert dimension_of("季度") == ("months", Decimal(3))
    assert dimension_of("万人次") == ("人次", Decimal(10000))
    assert dimension_of("亿元") == ("money", Decimal(100000000))
    assert dimension_of("万") == ("", Decimal(10000))
    assert dimension_of("个") == ("个", Decimal(1))
    assert dimension_of("个行政村") == ("个行政村", Decimal(1))
    assert dimension_of("") == ("", Decimal(1))


def test_rates_are_not_times() -> None:
    """小时/天 is a rate: it does not convert to 小时, nor 天 to 小时, nor 天 to 月."""
    assert not convertible("小时/天", "小时")
    assert not convertible("天", "小时")
    assert not convertible("天", "月")
    assert convertible("小时/天", "分钟/天")
    assert convertible("周", "天")


def test_known_units() -> None:
    """The vocabulary: convertible and counting units, 万/亿 prefixes, A/B of known units."""
    for unit in ("%", "‰", "个", "人次", "个工作日", "万元", "万人次", "万", "小时/天", "万元/人", "百分比"):
        assert is_known_unit(unit), unit
    for unit in ("", "天完成", "个行政村", "/天", "万%", "a/b/c", "元/"):
        assert not is_known_unit(unit), unit


@given(amounts(max_value=10**9, places=4), st.sampled_from(MONEY), st.sampled_from(MONEY))
def test_money_converts_exactly_both_ways(value: Decimal, first: str, second: str) -> None:
    """Converting between money units and back gives the same amount exactly."""
    there = convert(value, first, second)
    assert convert(there, second, first) == value
    assert there * dimension_of(second)[1] == value * dimension_of(first)[1]


def test_conversion_examples() -> None:
    """95000元 is 9.5万元; 5‰ is 0.5%; 2小时 is 120分钟; 1年 is 4季度."""
    assert convert(Decimal(95000), "元", "万元") == Decimal("9.5")
    assert convert(Decimal(5), "‰", "%") == Decimal("0.5")
    assert convert(Decimal(2), "小时", "分钟") == 120
    assert convert(Decimal(1), "年", "季度") == 4
    assert convert(Decimal(3), "人次", "人次") == 3


def test_conversion_ignores_the_callers_context() -> None:
    """Scaling by powers of ten stays exact under a low-precision decimal context."""
    with localcontext() as context:
        context.prec = 2
        assert convert(Decimal("123456.789"), "元", "万元") == Decimal("12.3456789")


@given(units_of_measure(), st.sampled_from(["%", "万元", "天", "个", "小时/天", "人次"]))
def test_mismatched_dimensions_raise(first: str, second: str) -> None:
    """Converting across dimensions raises UnitMismatchError (a ValueError) naming both units."""
    if convertible(first, second):
        return
    with pytest.raises(UnitMismatchError) as info:
        convert(Decimal(1), first, second)
    assert isinstance(info.value, ValueError)
    assert (info.value.from_unit, info.value.to_unit) == (first, second)


def test_quantity() -> None:
    """Quantity normalises its unit, converts, reads text and prints compactly."""
    quantity = Quantity("95000", "元")
    assert quantity.to("万元") == Quantity(Decimal("9.5"), "万元")
    assert Quantity(1, "百分比").unit == "%"
    assert Quantity.parse("7.5 小时／天") == Quantity(Decimal("7.5"), "小时/天")
    assert Quantity.parse("１,２００人次") == Quantity(1200, "人次")
    assert str(Quantity("28.80", "万元")) == "28.80万元"
    with pytest.raises(UnitMismatchError):
        quantity.to("个")


@pytest.mark.parametrize(("text", "column"), [("约95%", 1), ("95%以上", 4), ("95 % 好", 6), ("≥95%", 1), ("95%的", 3)])
def test_quantity_syntax_errors(text: str, column: int) -> None:
    """Text that is not one number with a unit raises ThresholdSyntaxError with the column."""
    with pytest.raises(ThresholdSyntaxError) as info:
        Quantity.parse(text)
    assert info.value.column == column
