"""The Belegliste and the Belegnummer (issue #10): one list for the CSV and the reports, and
numbers that never change."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from regiotwin.belegliste import (
    CSV_HEADER,
    Row,
    next_receipt_no,
    pair_rows,
    receipt_number,
    to_csv,
)
from regiotwin.budget import own_shares, terms_of
from regiotwin.models import Cancellation, Expense, Partnership, Programme
from regiotwin.money import plain
from regiotwin.validation import validated
from regiotwin.vocabulary import CATEGORY
from tests.conftest import PAIR, PARTNERSHIP

P = f"partnerships/{PAIR}"
D = Decimal
SHIP = validated(Partnership, {
    "id": PAIR, "title": "t", "topic": "t", "start": "2016-07-01", "end": "2017-06-30",
    "partners": [{"id": "stadt-b", "name": "Stadt B", "receipt_prefix": "SB"},
                 {"id": "stadt-a", "name": "Stadt A"}],
})


def expense(eid: str, no: int | None, day: int, amount: str = "10.00", *, partner: str = "stadt-a",
            category: str = "travel", over_cap: bool = False, cancelled: bool = False,
            payee: str | None = None) -> Expense:
    return Expense(id=eid, receipt_no=no, date=dt.date(2016, 8, day), partner=partner,
                   category=category, amount=D(amount), description=eid, payee=payee,
                   over_cap=over_cap,
                   cancelled=Cancellation(date=dt.date(2016, 9, 1), reason="doppelt")
                   if cancelled else None)


def test_numbers_are_shown_with_the_partners_prefix() -> None:
    assert receipt_number("TF", 7) == "TF-007"
    assert receipt_number("TF", 1234) == "TF-1234"
    assert receipt_number("TF", None) == ""
    spent = [expense("a", 3, 1), expense("b", None, 2), expense("c", 9, 3, cancelled=True),
             expense("d", 40, 4, partner="stadt-b")]
    assert next_receipt_no(spent, "stadt-a") == 10  # a cancelled expense keeps its number
    assert next_receipt_no(spent, "stadt-b") == 41
    assert next_receipt_no([], "stadt-a") == 1


def test_rows_are_ordered_by_partner_category_date_and_number() -> None:
    spent = [
        expense("late", 1, 20), expense("early-2", 3, 5), expense("early-1", 2, 5),
        expense("print", 4, 1, category="project"),
        expense("b-trip", 1, 2, partner="stadt-b"),
    ]
    rows = pair_rows(Programme(), SHIP, spent)
    assert [(r.number, r.id) for r in rows] == [
        ("SB-001", "b-trip"),  # partners in the order of partnership.yaml
        ("stadt-a-004", "print"),  # a partner without a prefix is named by its id
        ("stadt-a-002", "early-1"), ("stadt-a-003", "early-2"), ("stadt-a-001", "late"),
    ]
    assert [r.id for r in pair_rows(Programme(), SHIP, spent, as_of=dt.date(2016, 8, 5))] == [
        "b-trip", "print", "early-1", "early-2"]
    assert [r.id for r in pair_rows(Programme(), SHIP, spent, partner="Stadt B")] == ["b-trip"]
    assert [r.id for r in pair_rows(Programme(), SHIP, spent, category="project")] == ["print"]


def test_own_share_column_and_cancelled_rows() -> None:
    programme = Programme(grant_cap=D("100.00"))
    spent = [expense("a", 1, 1, "60.00"), expense("b", 2, 2, "30.00", over_cap=True),
             expense("c", 3, 3, "50.00"), expense("x", 4, 4, "500.00", cancelled=True)]
    rows = pair_rows(programme, SHIP, spent)
    assert [(r.id, r.own_share) for r in rows] == [
        ("a", D("0.00")), ("b", D("30.00")), ("c", D("10.00")), ("x", D("0.00"))]
    assert rows[-1].cancelled == Cancellation(date=dt.date(2016, 9, 1), reason="doppelt")


def test_csv_has_the_same_columns_for_one_pair_and_neutralises_only_for_excel() -> None:
    spent = [expense("a", 1, 1, payee="=HYPERLINK(\"x\")"),
             expense("x", 2, 2, "7.50", cancelled=True, payee="-5 Rabatt")]
    rows = pair_rows(Programme(), SHIP, spent)
    excel = list(csv.reader(io.StringIO(to_csv(rows, "excel").removeprefix("\ufeff")),
                            delimiter=";"))
    assert excel == [
        CSV_HEADER,
        [PAIR, "stadt-a-001", "01.08.2016", "Stadt A", "Reisekosten", "'=HYPERLINK(\"x\")", "a",
         "", "10,00", "0,00", "", "", ""],
        [PAIR, "stadt-a-002", "02.08.2016", "Stadt A", "Reisekosten", "'-5 Rabatt", "x", "",
         "7,50", "0,00", "", "01.09.2016", "doppelt"],
    ]
    assert CSV_HEADER[0] == "Partnerschaft"
    plain = list(csv.reader(io.StringIO(to_csv(rows, "rfc4180"))))
    assert plain[1][5] == "=HYPERLINK(\"x\")" and plain[2][5] == "-5 Rabatt"
    assert plain[2][11:] == ["2016-09-01", "doppelt"]
    banner = to_csv(rows, "rfc4180", "ENTWURF — die Daten enthalten 2 Fehler")
    assert banner.splitlines()[0] == "ENTWURF — die Daten enthalten 2 Fehler"
    both = to_csv(rows, "excel", "ENTWURF — die Daten enthalten 2 Fehler",
                  "UNVOLLSTÄNDIG — nicht enthalten: x--y (1 Fehler)").splitlines()
    assert both[:3] == ["\ufeffENTWURF — die Daten enthalten 2 Fehler",
                        "UNVOLLSTÄNDIG — nicht enthalten: x--y (1 Fehler)",
                        ";".join(CSV_HEADER)]


def _csv_by_the_writer(rows: list[Row], fmt: str) -> str:
    """The Belegliste as `to_csv` wrote it before issue #16 made it fast: every row through
    the csv writer, every cell formatted on its own."""
    excel = fmt == "excel"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")

    def day(value: dt.date | None) -> str:
        if value is None:
            return ""
        return value.strftime("%d.%m.%Y") if excel else value.isoformat()

    def money(value: Decimal) -> str:
        return plain(value).replace(".", ",") if excel else plain(value)

    def cell(value: str) -> str:
        return "'" + value if excel and value.startswith(("=", "+", "-", "@", "\t", "\r")) \
            else value

    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([
            cell(row.pair), row.number, day(row.date), cell(row.partner_name),
            cell(CATEGORY.label(row.category)), cell(row.payee or ""), cell(row.description),
            cell(row.computation), money(row.amount), money(row.own_share),
            cell(row.receipt or ""), day(row.cancelled.date if row.cancelled else None),
            cell(row.cancelled.reason) if row.cancelled else "",
        ])
    text = buffer.getvalue()
    return "\ufeff" + text if excel else text


# what a person writes into a cell, the characters CSV and Excel treat specially included
_CELL = st.text(alphabet=st.sampled_from("aZ 0,;.\"'=+-@\t\r\nä€"), max_size=8)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.tuples(_CELL, _CELL, st.none() | _CELL, st.none() | _CELL,
                                st.integers(1, 28), st.integers(1, 99_999),
                                st.sampled_from(["project", "travel"])),
                      max_size=6),
       fmt=st.sampled_from(["excel", "rfc4180"]))
def test_the_fast_csv_is_what_the_writer_writes(
    cells: list[tuple[str, str, str | None, str | None, int, int, str]], fmt: str
) -> None:
    """Issue #16: rows without a delimiter, quote or line break are joined instead of going
    through the csv writer, and repeated values are formatted once; the text stays the
    writer's, character for character."""
    rows = [
        Row(PAIR, f"e{i}", f"SB-{i:03d}", i, dt.date(2016, 8, day), "stadt-b", name, category,
            payee, description, "", Decimal(cents) / 100, Decimal(cents % 7) / 100,
            receipt, None, None, False,
            Cancellation(date=dt.date(2016, 9, day), reason=description) if i % 2 else None)
        for i, (name, description, payee, receipt, day, cents, category) in enumerate(cells)
    ]
    assert to_csv(rows, fmt) == _csv_by_the_writer(rows, fmt)


@settings(max_examples=150, deadline=None)
@given(spent=st.lists(st.tuples(st.sampled_from(["stadt-a", "stadt-b", "stadt-x"]),
                                st.sampled_from(["project", "travel"]), st.integers(1, 4),
                                st.none() | st.integers(1, 5), st.integers(1, 60_000),
                                st.booleans(), st.booleans()),
                      max_size=12))
def test_rows_come_in_the_order_of_one_sort_by_the_whole_key(
    spent: list[tuple[str, str, int, int | None, int, bool, bool]]
) -> None:
    """Issue #16: the rows are grouped by partner and category and each group sorted, which
    must give the order (and the own shares) of one sort by the whole key."""
    expenses = [
        Expense(id=f"e{i % 5}", receipt_no=no, date=dt.date(2016, 8, day), partner=partner,
                category=category, amount=D(cents) / 100, description=f"e{i}",
                over_cap=over_cap,
                cancelled=Cancellation(date=dt.date(2016, 9, 1), reason="x") if cancelled else None)
        for i, (partner, category, day, no, cents, over_cap, cancelled) in enumerate(spent)
    ]
    programme = Programme()
    partners = {"stadt-b": 0, "stadt-a": 1}  # SHIP's order
    categories = {c: i for i, c in enumerate(programme.categories)}
    expected = sorted(expenses, key=lambda e: (
        partners.get(e.partner, 2), e.partner, categories.get(e.category, 2), e.category,
        e.date, e.receipt_no is None, e.receipt_no or 0, e.id))
    shares = {id(e): share for partner in ("stadt-a", "stadt-b", "stadt-x")
              for e, share in own_shares([e for e in expenses if e.partner == partner],
                                         terms_of(programme, SHIP, partner))}
    rows = pair_rows(programme, SHIP, expenses)
    assert [(r.description, r.own_share) for r in rows] == [
        (e.description, shares[id(e)]) for e in expected]


# --- Belegnummern never change (CLI) --------------------------------------------------------------


def add(run: Callable[..., Result], date: str, description: str, partner: str = "stadt-a") -> str:
    result = run("expense", "add", "--partner", partner, "--date", date, "--amount", "10",
                 "--category", "travel", "--description", description)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[1]


def numbers_in_csv(run: Callable[..., Result]) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(run("export", "expenses", "--format", "rfc4180").stdout)))
    return {row[6]: row[1] for row in rows[1:]}


def numbers_in_report(run: Callable[..., Result]) -> dict[str, str]:
    text = run("report", "render", "budget", "--as-of", "2016-12-31").stdout
    found = re.findall(r"^\| (\S+-\d{3}) \| [\d.]+ \| Stadt \w \| \w+ \|  \| (\w+) \|", text, re.M)
    return {purpose: number for number, purpose in found}


def test_a_back_dated_booking_leaves_every_earlier_number_unchanged(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    assert add(run, "2016-08-10", "Zug") == "Belegnummer stadt-a-001"
    assert add(run, "2016-09-10", "Bus") == "Belegnummer stadt-a-002"
    assert add(run, "2016-08-10", "Taxi", partner="stadt-b") == "Belegnummer stadt-b-001"
    before = numbers_in_csv(run)
    assert before == numbers_in_report(run) == {
        "Zug": "stadt-a-001", "Bus": "stadt-a-002", "Taxi": "stadt-b-001"}
    assert add(run, "2016-07-02", "Fähre") == "Belegnummer stadt-a-003"  # back-dated
    after = numbers_in_csv(run)
    assert after == numbers_in_report(run) == {**before, "Fähre": "stadt-a-003"}
    assert list(after) == ["Fähre", "Zug", "Bus", "Taxi"]  # listed by date, numbers kept


def test_a_file_without_a_number_is_an_error_with_the_next_free_one(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """A hand-written expense is never numbered silently: check names the number to add."""
    repo({f"{P}/expenses/hand.yaml": "id: hand\ndate: 2016-08-01\npartner: stadt-a\n"
                                     "category: travel\namount: 5\ndescription: Bus\n"})
    add(run, "2016-08-02", "Zug")
    result = run("check", "--as-of", "2016-07-31")
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if ": error: " in line] == [
        f"{P}/expenses/hand.yaml:1: error: expense has no Belegnummer; add `receipt_no: 2`, the "
        "next free number of stadt-a (stadt-a-002)"]
    assert run("budget", "status").exit_code == 1
    assert "receipt_no" not in (Path(P) / "expenses/hand.yaml").read_text()


def test_two_expenses_with_one_number_after_a_merge(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Two clones booked offline both gave out TF-001: check says which to renumber."""
    partnership = PARTNERSHIP.replace("  role: advisor\n", "  role: advisor\n  receipt_prefix: A\n")
    repo({
        f"{P}/partnership.yaml": partnership,
        f"{P}/expenses/mine.yaml": "id: mine\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-a\n"
                                   "category: travel\namount: 5\ndescription: Bus\n",
        f"{P}/expenses/theirs.yaml": "id: theirs\nreceipt_no: 1\ndate: 2016-08-03\n"
                                     "partner: stadt-a\ncategory: travel\namount: 5\n"
                                     "description: Zug\n",
    })
    errors = [line for line in run("check", "--as-of", "2016-07-31").stdout.splitlines()
              if ": error: " in line]
    assert errors == [
        f"{P}/expenses/theirs.yaml:2: error: Belegnummer A-001 of stadt-a is also used by "
        f"{P}/expenses/mine.yaml; keep it on the expense whose paper receipt carries it and give "
        "the other the next free number, `receipt_no: 2`"]


@pytest.mark.parametrize(("prefix", "message"), [
    ("T F", "receipt_prefix: 'T F' is not a Belegnummer prefix (letters and digits"),
    ("=1+1", "receipt_prefix: '=1+1' is not a Belegnummer prefix (letters and digits"),
    ("stadt-b", "both partners' Belegnummern would start with 'stadt-b'"),
])
def test_receipt_prefixes_are_safe_and_tell_the_partners_apart(
    repo: Callable[..., Path], run: Callable[..., Result], prefix: str, message: str
) -> None:
    repo({f"{P}/partnership.yaml": PARTNERSHIP.replace(
        "  role: advisor\n", f"  role: advisor\n  receipt_prefix: '{prefix}'\n")})
    result = run("check", "--as-of", "2016-07-31")
    assert result.exit_code == 1 and message in result.stdout


def test_expense_list_shows_the_belegnummer(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    add(run, "2016-08-10", "Zug")
    listed = run("expense", "list", "--json").stdout
    assert '"number": "stadt-a-001"' in listed and '"receipt_no": 1' in listed
    assert run("expense", "list").stdout.splitlines()[2].split()[0] == "stadt-a-001"


@pytest.mark.parametrize(("names", "prefixes"), [
    (["Landkreis Teltow-Fläming", "Landkreis Gießen"], ["TF", "GI"]),
    (["Stadt Frankfurt am Main", "Region Hannover"], ["FAM", "HA"]),
    (["Gießen", "Stadt Gießen"], ["GI1", "GI2"]),
    (["Stadt A", "Stadt B"], ["A", "B"]),
])
def test_partnership_new_derives_a_prefix_from_the_name(
    names: list[str], prefixes: list[str]
) -> None:
    from regiotwin.partnerships import receipt_prefixes

    assert receipt_prefixes(names) == prefixes
