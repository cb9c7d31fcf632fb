"""Exact numbers: conversion and display rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perftarget._values.numbers import format_number, round_half_up, to_decimal
from perftarget.exceptions import InvalidValueError


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [("0.125", 2, "0.13"), ("0.135", 2, "0.14"), ("8.5", 0, "9"), ("-2.5", 0, "-3"), ("1E+30", 2, "1" + "0" * 30 + ".00")],
)
def test_round_half_up(value, places, expected):
    """Half up, away from zero at .5, at any magnitude (Python's round() would give 0.12 and 8)."""
    assert round_half_up(Decimal(value), places) == Decimal(expected)
    assert str(round_half_up(Decimal(value), places)) == expected


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**30), max_value=10**30))
def test_rounding_moves_at_most_half_a_unit(value):
    """Display rounding never moves a value by more than half its last place."""
    assert abs(round_half_up(value, 2) - value) <= Decimal("0.005")


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_format_number_reads_back(value):
    """Plain notation, never an exponent, and it reads back to the same number."""
    text = format_number(value)
    assert "E" not in text
    assert Decimal(text) == value


def test_to_decimal_inputs():
    """int, str, float (through repr) and Decimal convert; bool, NaN and junk do not, naming the field."""
    assert to_decimal("1,200.5") == Decimal("1200.5")
    assert to_decimal(0.1) == Decimal("0.1")
    for bad in (True, "abc", float("nan"), "Infinity", object()):
        with pytest.raises(InvalidValueError, match="'amount'"):
            to_decimal(bad, field="amount")
