"""Amounts as users type them, and exact sums (issue #5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiotwin.money import AmountError, format_eur, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1400", "1400.00"),
        ("1400.5", "1400.50"),
        ("1400.50", "1400.50"),
        ("1400,50", "1400.50"),
        ("1.400,50", "1400.50"),
        ("1 400,50", "1400.50"),
        ("1400 €", "1400.00"),
        ("1.400,50 EUR", "1400.50"),
        ("€ 12,5", "12.50"),
        ("0,01", "0.01"),
        ("1.234.567,89", "1234567.89"),
    ],
)
def test_accepted_amounts(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)
    assert str(parse_amount(text)) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.400", "'1.400' is ambiguous: write 1400 or 1.400,00 if the dot groups thousands, or 1,40 if it is a decimal point"),
        ("0", "'0' is zero; amounts must be greater than zero"),
        ("0,00", "'0,00' is zero; amounts must be greater than zero"),
        ("-5", "'-5' is negative; amounts must be greater than zero"),
        ("12,345", "'12,345' has more than two decimal places"),
        ("12.3456", "'12.3456' has more than two decimal places"),
        ("NaN", "'NaN' is not an amount; write it like 1400, 1400,50 or 1.400,50"),
        ("1e3", "'1e3' is not an amount; write it like 1400, 1400,50 or 1.400,50"),
        ("", "'' is not an amount; write it like 1400, 1400,50 or 1.400,50"),
        ("1,400.50", "'1,400.50' is not an amount; write it like 1400, 1400,50 or 1.400,50"),
    ],
)
def test_refused_amounts(text: str, message: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert str(info.value) == message


def test_german_display() -> None:
    assert format_eur(Decimal("1400")) == "1.400,00 €"
    assert format_eur(Decimal("1234567.8")) == "1.234.567,80 €"
    assert format_eur(Decimal("-0.5")) == "-0,50 €"
    assert format_eur(Decimal("0.005")) == "0,01 €"


@given(st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2),
                max_size=200))
def test_sums_of_two_place_amounts_are_exact(amounts: list[Decimal]) -> None:
    total = sum(amounts, Decimal("0.00"))
    cents = sum(int(a * 100) for a in amounts)
    assert total == Decimal(cents) / 100
    assert total.as_tuple().exponent == -2
