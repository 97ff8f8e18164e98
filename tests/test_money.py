"""Amounts as users type them, in files and on the command line, and exact sums (#5, #10)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import example, given, settings
from hypothesis import strategies as st

from regiotwin.money import AmountError, format_eur, non_negative, parse_amount, to_money


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
        ("12,345", "'12,345' is ambiguous: write 12345 or 12.345,00 if the comma groups "
                   "thousands; as a decimal comma it is finer than a cent (12,34 or 12,35)"),
        ("12.345", "'12.345' is ambiguous: write 12345 or 12.345,00 if the dot groups thousands; "
                   "as a decimal point it is finer than a cent (12,34 or 12,35)"),
        ("1.000", "'1.000' is ambiguous: write 1000 or 1.000,00 if the dot groups thousands, or "
                  "1,00 if it is a decimal point"),
        # no thousands reading: a group of thousands never starts with 0 or has four digits
        ("0.001", "'0.001' has three decimals, finer than a cent; write 0,01"),
        ("0,010", "'0,010' has three decimals, and amounts have at most two: write 0,01"),
        ("0.000", "'0.000' is zero; amounts must be greater than zero"),
        ("1000.125", "'1000.125' has three decimals, finer than a cent; write 1.000,12 or "
                     "1.000,13"),
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


# --- one grammar in files and on the command line (issue #10) -----------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1400, "1400.00"),
        (Decimal("1400.5"), "1400.50"),
        (Decimal("1400.50"), "1400.50"),
        ("1400,50", "1400.50"),
        ("1.400,50", "1400.50"),
        ("1400.50", "1400.50"),
        (Decimal("999999999.99"), "999999999.99"),
    ],
)
def test_yaml_amounts_follow_the_command_line(value: object, expected: str) -> None:
    assert str(to_money(value)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("1.400"), "1.400 is ambiguous: write 1400.00 if the dot groups thousands, "
                           "or 1.40 if it is a decimal point"),
        (Decimal("12.345"), "12.345 is ambiguous: write 12345.00 if the dot groups thousands; "
                            "as a decimal point it is finer than a cent (12.34 or 12.35)"),
        (Decimal("1.000"), "1.000 is ambiguous: write 1000.00 if the dot groups thousands, or "
                           "1.00 if it is a decimal point"),
        # Why: "0.001 is ambiguous: 1.00 if the dot groups thousands" made no sense
        (Decimal("0.001"), "0.001 has three decimals, finer than a cent; write 0.01"),
        (Decimal("0.100"), "0.100 has three decimals, and amounts have at most two: write 0.10"),
        (Decimal("1000.123"), "1000.123 has three decimals, finer than a cent; write 1000.12 or "
                              "1000.13"),
        (Decimal("1.4000"), "1.4000 has more than two decimal places"),
        ("1.400", "'1.400' is ambiguous: write 1400 or 1.400,00 if the dot groups thousands, "
                  "or 1,40 if it is a decimal point"),
        (Decimal("-100.00"), "-100.00 is negative; amounts must be greater than zero"),
        (0, "0 is zero; amounts must be greater than zero"),
        (Decimal("1000000000"), "1000000000 is too large; amounts must be less than "
                                "1.000.000.000 €"),
        (True, "amounts must be written as decimal numbers like 12.50"),
        (1.5, "amounts must be written as decimal numbers like 12.50"),
        (Decimal("NaN"), "amounts must be finite numbers"),
    ],
)
def test_yaml_amounts_refused(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        to_money(value)
    assert str(info.value) == message


def test_caps_and_planned_costs_may_be_zero_never_negative() -> None:
    assert non_negative(0) == Decimal("0.00")
    assert non_negative("0") == Decimal("0.00")
    with pytest.raises(ValueError, match="-100.00 is negative; it must be 0 or more"):
        non_negative(Decimal("-100.00"))
    with pytest.raises(ValueError) as info:  # a planned cost may be 0.00, so it is named
        non_negative(Decimal("0.001"))
    assert str(info.value) == "0.001 has three decimals, finer than a cent; write 0.00 or 0.01"


def test_huge_amounts_are_a_clean_refusal() -> None:
    with pytest.raises(AmountError) as info:
        parse_amount("1000000000000000000000000000")
    assert str(info.value) == ("'1000000000000000000000000000' is too large; amounts must be "
                               "less than 1.000.000.000 €")
    assert parse_amount("999.999.999,99") == Decimal("999999999.99")


def test_the_cli_refuses_a_huge_amount_with_exit_1(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    result = run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount",
                 "1000000000000000000000000000", "--category", "travel", "--description", "x")
    assert result.exit_code == 1
    assert "is too large; amounts must be less than 1.000.000.000 €" in result.stderr


P = "partnerships/stadt-a--stadt-b"


def test_three_decimals_in_a_file_are_a_check_error_on_their_line(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    """Why 3: `amount: 1.400` silently became 1,40 €."""
    repo({f"{P}/expenses/e.yaml": "id: e\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-a\n"
                                  "category: travel\namount: 1.400\ndescription: Bahn\n"})
    result = run("check", "--as-of", "2016-07-31")
    assert (result.exit_code, result.stdout) == (1, (
        f"{P}/expenses/e.yaml:6: error: amount: 1.400 is ambiguous: write 1400.00 if the dot "
        "groups thousands, or 1.40 if it is a decimal point\n"))


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("regiotwin.yaml", "name: RegioTwin\ngrant_cap: -1400\n",
         "regiotwin.yaml:2: error: grant_cap: -1400 is negative; it must be 0 or more"),
        (f"{P}/measures/m.yaml", "id: m\ntitle: M\nowners: [stadt-a]\nplanned_cost: -600\n",
         f"{P}/measures/m.yaml:4: error: planned_cost: -600 is negative; it must be 0 or more"),
    ],
)
def test_negative_caps_and_planned_costs_are_check_errors(
    repo: Callable[..., Path], run: Callable[..., Result], file: str, text: str, expected: str
) -> None:
    """Why 5: they passed `check` and produced negative grants."""
    repo({file: text})
    result = run("check", "--as-of", "2016-07-31")
    assert result.exit_code == 1 and expected in result.stdout.splitlines()


def test_a_negative_partner_cap_is_a_check_error(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    from tests.conftest import PARTNERSHIP

    repo({f"{P}/partnership.yaml": PARTNERSHIP.replace(
        "  role: implementer\n", "  role: implementer\n  grant_cap: -100.00\n")})
    result = run("check", "--as-of", "2016-07-31")
    assert result.stdout == (f"{P}/partnership.yaml:18: error: partners[1].grant_cap: -100.00 "
                             "is negative; it must be 0 or more\n")


@settings(max_examples=3000, deadline=None)
@example(text="1.400", zero_ok=True)
@example(text="EUR 1.400 €", zero_ok=True)
@example(text="0,00", zero_ok=False)
@example(text="1.000.000.000", zero_ok=True)
@example(text="999.999.999,99 €", zero_ok=False)
@given(text=st.text(alphabet="0123456789.,  €EURe-\u00a0", max_size=16), zero_ok=st.booleans())
def test_the_schema_pattern_is_the_amount_grammar(text: str, zero_ok: bool) -> None:
    """The JSON Schemas' pattern for amounts written as text accepts exactly what parse_amount
    accepts (a YAML editor and `check` agree on `'1.400,50'`, `'1.400'`, `'0,00'`)."""
    import re

    from regiotwin.money import text_pattern

    try:
        parse_amount(text, zero_ok=zero_ok)
        accepted = True
    except AmountError:
        accepted = False
    assert (re.search(text_pattern(zero_ok=zero_ok), text) is not None) == accepted, text
