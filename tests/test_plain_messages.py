"""Every schema problem in plain English naming the field and what it allows, never pydantic's
own wording ("Input should be greater than 0"), as the new-user trial met it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from regiotwin.loader import describe_error
from regiotwin.models import Expense, Measure, Meeting, Partnership, Programme, Record
from regiotwin.validation import ValidationError, errors_of, validated

EXPENSE = {"id": "e", "date": dt.date(2016, 8, 1), "partner": "a", "category": "travel",
           "amount": Decimal("1"), "description": "x"}
PARTNERS = [{"id": "a", "name": "A", "kind": "Stadt"}, {"id": "b", "name": "B", "kind": "Stadt"}]
SHIP = {"id": "a--b", "title": "t", "topic": "t", "start": dt.date(2016, 1, 1),
        "partners": PARTNERS}
MEASURE = {"id": "m", "title": "t", "owners": ["a"]}
MEETING = {"id": "m", "date": dt.date(2016, 1, 1), "title": "t", "kind": "jour-fixe"}


def messages(model: type[Record], data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as info:
        validated(model, data)
    return [describe_error(model, error)[1] for error in errors_of(info.value)]


@pytest.mark.parametrize(("model", "data", "expected"), [
    (Programme, {"funding_rate": 0},
     "funding_rate: 0 is too small; it must be more than 0 and at most 1"),
    (Programme, {"funding_rate": Decimal("1.5")},
     "funding_rate: 1.5 is too large; it must be more than 0 and at most 1"),
    (Programme, {"funding_rate": "abc"}, "funding_rate: 'abc' is not a number; write it like 0.8"),
    (Programme, {"reporting": {"proof_months": 0}},
     "reporting.proof_months: 0 is too small; it must be from 1 to 60"),
    (Programme, {"reporting": {"proof_months": 100}},
     "reporting.proof_months: 100 is too large; it must be from 1 to 60"),
    (Programme, {"categories": "x"}, "categories: must be a list (got 'x')"),
    (Measure, {**MEASURE, "owners": []}, "owners: must not be empty; it needs at least 1 entry"),
    (Measure, {**MEASURE, "title": ""}, "title: must not be empty"),
    (Measure, {**MEASURE, "needs_decision": "vielleicht"},
     "needs_decision: 'vielleicht' is neither true nor false; write true or false"),
    (Meeting, {**MEETING, "agenda": [""]}, "agenda[0]: must not be empty"),
    (Meeting, {**MEETING, "actions": "x"}, "actions: must be a list (got 'x')"),
    (Meeting, {**MEETING, "actions": ["x"]},
     "actions[0]: must be a mapping of keys to values (got 'x')"),
    (Expense, {**EXPENSE, "receipt_no": 0},
     "receipt_no: 0 is too small; it must be 1 or more"),
    (Expense, {**EXPENSE, "receipt_no": "3"},
     "receipt_no: '3' is not a whole number; write it without quotes, like 3"),
    (Expense, {**EXPENSE, "receipt": {"path": "x", "sha256": "abc"}},
     "receipt.sha256: 'abc' is not a SHA-256 (64 characters 0-9 and a-f, as `expense add` "
     "writes it)"),
    (Expense, {**EXPENSE, "description": [1]}, "description: must be text, not a list (got [1])"),
    (Partnership, {**SHIP, "partners": [{**PARTNERS[0], "receipt_prefix": "T F"}, PARTNERS[1]]},
     "partners[0].receipt_prefix: 'T F' is not a Belegnummer prefix (letters and digits, up "
     "to 8 in a part, at most three parts joined by '-', like TF or LK-TF)"),
])
def test_schema_problems_in_plain_english(model: type[Record], data: dict[str, Any],
                                          expected: str) -> None:
    """Why: `funding_rate: 0` gave "funding_rate: Input should be greater than 0"."""
    assert messages(model, data) == [expected]


def test_no_message_is_pydantic_s_own() -> None:
    """Whatever goes wrong in a field, the message is ours (no "Input should", "Value should",
    "String should", "List should")."""
    bad: list[tuple[type[Record], dict[str, Any]]] = [
        (Programme, {"funding_rate": v}) for v in (0, -1, 2, "x", [], {}, True)] + [
        (Programme, {"reporting": {"proof_months": v}}) for v in (0, 61, "x", [], 1.5)] + [
        (Expense, {**EXPENSE, key: v}) for key in ("receipt_no", "description", "over_cap",
                                                    "receipt", "meeting")
        for v in (0, -1, "", "x y", [], {}, 1.5)] + [
        (Meeting, {**MEETING, key: v}) for key in ("agenda", "actions", "participants")
        for v in ("x", [""], [1], [[]], {})]
    for model, data in bad:
        try:
            validated(model, data)
        except ValidationError as exc:
            for error in errors_of(exc):
                text = describe_error(model, error)[1]
                assert " should " not in text and "Input " not in text, (data, error, text)


def test_check_names_the_field_and_its_range(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({"regiotwin.yaml": "name: RegioTwin\nfunding_rate: 0\n"})
    result = run("check", "--as-of", "2016-07-10")
    assert result.stdout == ("regiotwin.yaml:2: error: funding_rate: 0 is too small; it must be "
                             "more than 0 and at most 1\n")


def test_a_rate_table_s_problems_name_the_range_and_the_keys(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """The rate tables' models hold their annotations as text (travel.py); a bad rate file
    still gets its range and the keys it may have, as a record does (the review of #16)."""
    root = repo()
    rates = Path(__file__).parent.parent / "regiotwin" / "travel_rates" / "bund.yaml"
    text = rates.read_text(encoding="utf-8")
    for old, new in (("law: bund", "law: kreis"),
                     ("  more_than_hours: 8\n", "  more_than_hours: 30\n"),
                     ("    breakfast: 20\n", "    breakfast: 120\n"),
                     ("  full: 24.00\n", "  ful: 24.00\n"),
                     ("    lunch: 40\n", "    lunch: 40\n    snack: 5\n")):
        text = text.replace(old, new, 1)
    (root / "travel-rates").mkdir()
    (root / "travel-rates" / "kreis.yaml").write_text(text, encoding="utf-8")
    found = run("check", "--as-of", "2016-07-10").stdout.splitlines()
    assert [line.split(": error: ", 1)[1] for line in found] == [
        "missing required key 'per_diem[0].full'",
        "unknown key 'ful' (did you mean 'full'?)",
        "per_diem[0].more_than_hours: 30 is too large; it must be from 0 to 23",
        "per_diem[0].meals_percent.breakfast: 120 is too large; it must be from 0 to 100",
        "unknown key 'snack'; known keys: breakfast, lunch, dinner",
    ]
