"""Money is Decimal from one constructor; rounding happens only for display.

One grammar for amounts wherever they come from: the command line (`1400`, `1400.50`,
`1400,50`, `1.400,50`) and YAML files (the same, written plain or, with a comma, quoted).
Every amount lies in 0 < amount < 1,000,000,000 (caps and planned costs may be 0).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
LIMIT = Decimal("1000000000")  # amounts stay below one billion euros

# German and plain notations: 1400 | 1400.5 | 1400,50 | 1.400,50 | 1 400,50 (optionally € / EUR)
_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_GROUPED = re.compile(r"^\d{1,3}(?:[. \u00a0\u202f]\d{3})+(?:,\d{1,2})?$")
_GROUPED_DOT_DECIMAL = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d{1,2})?$")
_THREE = re.compile(r"^(\d+)([.,])(\d{3})$")  # 1.400, 12,345, 0.001: three decimals


def text_pattern(*, zero_ok: bool) -> str:
    """The grammar of `parse_amount` as one regular expression (for the JSON Schemas): an
    amount written as text, optionally with EUR / €, below one billion, above zero unless
    *zero_ok*. A test holds the two to each other."""
    eur = r"(?:[Ee][Uu][Rr])"
    space = r"[ \u00a0\u202f]"
    forms = "|".join([
        r"0*[0-9]{1,9}(?:[.,][0-9]{1,2})?",  # 1400 | 1400,50 | 1400.5
        rf"[0-9]{{1,3}}(?:(?:\.|{space})[0-9]{{3}}){{1,2}}(?:,[0-9]{{1,2}})?",  # 1.400,50
        rf"[0-9]{{1,3}}(?:{space}[0-9]{{3}}){{1,2}}(?:\.[0-9]{{1,2}})?",  # 1 400.50
    ])
    head = rf"\s*(?:{eur}\s*)?(?:€\s*)?"
    tail = rf"(?:\s*€)?(?:\s*{eur})?\s*$"
    ambiguous = rf"(?!{head}[0-9]{{1,3}}\.[0-9]{{3}}{tail})"  # 1.400: which did you mean?
    nonzero = "" if zero_ok else "(?=.*[1-9])"
    return f"^{ambiguous}{nonzero}{head}(?:{forms}){tail}"


class AmountError(ValueError):
    """Text that is not an amount of money; the message says how to write it."""


def parse_amount(text: str, *, zero_ok: bool = False) -> Decimal:
    """Read an amount the way a German user types it, refusing anything ambiguous."""
    raw = text.strip()
    for suffix in ("EUR", "€"):
        if raw.upper().endswith(suffix):
            raw = raw[: -len(suffix)].strip()
        if raw.upper().startswith(suffix):
            raw = raw[len(suffix) :].strip()
    if raw.startswith("-"):
        raise AmountError(f"{text!r} is negative; {_bounds(zero_ok)}")
    if _THREE.match(raw):
        raise AmountError(_three_decimals(raw, repr(text), zero_ok, german=True))
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
    return _in_bounds(Decimal(number), repr(text), zero_ok)


def to_money(value: object, *, zero_ok: bool = False) -> Decimal:
    """The one constructor of amounts read from files: two-place Decimal within the bounds.

    The YAML reader gives `Decimal("1.400")` for `amount: 1.400`; its exponent says how many
    decimals were written, so three of them are refused as ambiguous, naming both readings.
    Text follows the command line's grammar (`"1.400,50"`).
    """
    if isinstance(value, (bool, float)):
        raise ValueError("amounts must be written as decimal numbers like 12.50")
    if isinstance(value, str):
        try:
            return parse_amount(value, zero_ok=zero_ok)
        except AmountError as exc:
            raise ValueError(str(exc)) from None
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise ValueError("expected an amount like 12.50")
    if not value.is_finite():
        raise ValueError("amounts must be finite numbers")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if value < 0:
        raise ValueError(f"{value} is negative; {_bounds(zero_ok)}")
    if exponent == -3:
        raise ValueError(_three_decimals(str(value), str(value), zero_ok, german=False))
    if exponent < -3:
        raise ValueError(f"{value} has more than two decimal places")
    return _in_bounds(value, str(value), zero_ok)


def _three_decimals(raw: str, shown: str, zero_ok: bool, *, german: bool) -> str:
    """What is wrong with an amount written with three decimals, *raw* (`1.400`, `12.345`,
    `0.001`): where the mark may group thousands (1 to 3 digits before it, not starting with
    0), it is ambiguous and both readings are named; else it is finer than a cent or has a
    decimal too many, and the amounts in cents around it are named. Suggestions are written
    as the command line (*german*) or a YAML file takes them."""
    match = _THREE.match(raw)
    assert match is not None
    head, mark, tail = match.groups()
    value = Decimal(f"{head}.{tail}")
    if value == 0 and not zero_ok:
        return f"{shown} is zero; {_bounds(zero_ok)}"
    down = value.quantize(CENT, rounding=ROUND_DOWN)
    cents = [down] if value == down else [c for c in (down, down + CENT) if c or zero_ok]
    nearest = " or ".join(format_eur(c, symbol=False) if german else str(c) for c in cents)
    point = "a decimal comma" if mark == "," else "a decimal point"
    if len(head) <= 3 and not head.startswith("0"):
        grouped = f"{head}{tail} or {head}.{tail},00" if german else f"{head}{tail}.00"
        groups = f"if the {'comma' if mark == ',' else 'dot'} groups thousands"
        if value == down:
            return f"{shown} is ambiguous: write {grouped} {groups}, or {nearest} if it is {point}"
        return (f"{shown} is ambiguous: write {grouped} {groups}; as {point} it is finer than "
                f"a cent ({nearest})")
    if value == down:
        return f"{shown} has three decimals, and amounts have at most two: write {nearest}"
    return f"{shown} has three decimals, finer than a cent; write {nearest}"


def _bounds(zero_ok: bool) -> str:
    return "it must be 0 or more" if zero_ok else "amounts must be greater than zero"


def _in_bounds(value: Decimal, shown: str, zero_ok: bool) -> Decimal:
    if value >= LIMIT:
        raise AmountError(f"{shown} is too large; amounts must be less than 1.000.000.000 €")
    if value == 0 and not zero_ok:
        raise AmountError(f"{shown} is zero; amounts must be greater than zero")
    try:
        return value.quantize(CENT)
    except InvalidOperation:  # pragma: no cover - excluded by the bound above
        raise AmountError(f"{shown} is too large") from None


def amount(value: object) -> Decimal:
    """An expense amount: 0 < amount < 1,000,000,000."""
    return to_money(value)


def non_negative(value: object) -> Decimal:
    """A cap or a planned cost: 0 ≤ value < 1,000,000,000."""
    return to_money(value, zero_ok=True)


def round_cents(amount: Decimal) -> Decimal:
    """Round a computed amount (e.g. total × funding rate) to cents, half up as in commerce."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def floor_tenth(value: Decimal) -> Decimal:
    """A share shown to one decimal, rounded down: 99.99 % shows as 99.9 %, never as 100.0 %."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def format_eur(amount: Decimal, symbol: bool = True) -> str:
    """German display: 1.400,00 € (the one place where amounts are rounded)."""
    rounded = round_cents(amount)
    sign = "-" if rounded < 0 else ""
    whole, cents = f"{abs(rounded):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    text = f"{sign}{grouped},{cents}"
    return f"{text} €" if symbol else text


def format_percent(value: Decimal) -> str:
    """German percent of a rate or share: 0.8 → `80 %`, 0.333 → `33,3 %`."""
    text = format((value * 100).normalize(), "f")
    return text.replace(".", ",") + " %"


def plain(amount: Decimal) -> str:
    """Exact two-place string for JSON and YAML: "1400.00"."""
    return f"{amount.quantize(CENT):.2f}"
