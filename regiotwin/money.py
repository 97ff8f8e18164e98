"""Money is Decimal from one constructor; rounding happens only for display."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# German and plain notations: 1400 | 1400.5 | 1400,50 | 1.400,50 | 1 400,50 (optionally € / EUR)
_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_GROUPED = re.compile(r"^\d{1,3}(?:[. \u00a0\u202f]\d{3})+(?:,\d{1,2})?$")
_GROUPED_DOT_DECIMAL = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d{1,2})?$")
_AMBIGUOUS = re.compile(r"^\d{1,3}\.\d{3}$")


class AmountError(ValueError):
    """Text that is not an amount of money; the message says how to write it."""


def parse_amount(text: str) -> Decimal:
    """Read an amount the way a German user types it, refusing anything ambiguous."""
    raw = text.strip()
    for suffix in ("EUR", "€"):
        if raw.upper().endswith(suffix):
            raw = raw[: -len(suffix)].strip()
        if raw.upper().startswith(suffix):
            raw = raw[len(suffix) :].strip()
    if raw.startswith("-"):
        raise AmountError(f"{text!r} is negative; amounts must be greater than zero")
    if _AMBIGUOUS.match(raw):
        whole = raw.replace(".", "")
        small = f"{Decimal(raw).quantize(CENT)}".replace(".", ",")
        raise AmountError(
            f"{text!r} is ambiguous: write {whole} or {raw},00 if the dot groups thousands, "
            f"or {small} if it is a decimal point"
        )
    if _PLAIN.match(raw):
        number = raw.replace(",", ".")
    elif _GROUPED.match(raw):
        number = re.sub(r"[. \u00a0\u202f]", "", raw.split(",")[0])
        if "," in raw:
            number += "." + raw.split(",")[1]
    elif _GROUPED_DOT_DECIMAL.match(raw):
        number = re.sub(r"[ \u00a0\u202f]", "", raw)
    else:
        if re.match(r"^\d+[.,]\d{3,}$", raw):
            raise AmountError(f"{text!r} has more than two decimal places")
        raise AmountError(f"{text!r} is not an amount; write it like 1400, 1400,50 or 1.400,50")
    value = Decimal(number)
    if value == 0:
        raise AmountError(f"{text!r} is zero; amounts must be greater than zero")
    return value.quantize(CENT)


def to_money(value: object) -> Decimal:
    """Turn a value read from YAML into two-place money; refuse floats, NaN and sub-cent amounts."""
    if isinstance(value, (bool, float)):
        raise ValueError("amounts must be written as decimal numbers like 12.50")
    if isinstance(value, int):
        return Decimal(value).quantize(CENT)
    if isinstance(value, str):
        if not re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
            raise ValueError(f"{value!r} is not an amount; write it like 12.50")
        value = Decimal(value.strip())
    if not isinstance(value, Decimal):
        raise ValueError("expected an amount like 12.50")
    if not value.is_finite():
        raise ValueError("amounts must be finite numbers")
    try:
        exact = value.quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - absurdly large numbers
        raise ValueError("amount is too large") from exc
    if exact != value:
        raise ValueError(f"{value} has more than two decimal places")
    return exact


def round_cents(amount: Decimal) -> Decimal:
    """Round a computed amount (e.g. total × funding rate) to cents, half up as in commerce."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount: Decimal, symbol: bool = True) -> str:
    """German display: 1.400,00 € (the one place where amounts are rounded)."""
    rounded = round_cents(amount)
    sign = "-" if rounded < 0 else ""
    whole, cents = f"{abs(rounded):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    text = f"{sign}{grouped},{cents}"
    return f"{text} €" if symbol else text


def plain(amount: Decimal) -> str:
    """Exact two-place string for JSON and YAML: "1400.00"."""
    return f"{amount.quantize(CENT):.2f}"
