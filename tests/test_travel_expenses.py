"""Travel costs by the book, wired in (issue #14, phase 2): `expense add` prices a trip and books
it as one expense with its computation, `check` prices it again, and the Belegliste and the budget
report show how the amount came about."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given, settings

from regiotwin import checks
from regiotwin.belegliste import pair_rows, to_csv
from regiotwin.budget import partner_budget
from regiotwin.checks import TravelRates, run_check
from regiotwin.errors import RefusedError, UsageError
from regiotwin.expenses import book_expense, trip_booking
from regiotwin.loader import load_repository, validate
from regiotwin.models import Expense, Partnership, Programme, TravelInputs
from regiotwin.store import record_yaml
from regiotwin.travel import TravelError, TripOptions, compute, load_rate_book
from regiotwin.validation import validated
from regiotwin.yamlio import parse_yaml
from tests.conftest import PAIR, PARTNERSHIP, copy_example
from tests.test_schema import schema_errors
from tests.test_travel import BAYERN, _inputs, trips

P = f"partnerships/{PAIR}"
EXAMPLE_PAIR = "landkreis-teltow-flaeming--landkreis-giessen"
D = Decimal
BOOK = load_rate_book(None)

THE_TRIP = ("expense", "add", "--partner", "landkreis-giessen", "--category", "travel", "--km",
            "700", "--from", "2016-09-14 07:00", "--to", "2016-09-14 19:30", "--description",
            "Exkursion Schulen")

STORED = """\
id: 2016-09-14-landkreis-giessen-exkursion-schulen
receipt_no: 6
date: 2016-09-14
partner: landkreis-giessen
category: travel
amount: 142.00
description: Exkursion Schulen
over_cap: false
travel:
  law: bund
  rates_from: 2014-01-01
  inputs:
    start: 2016-09-14 07:00
    end: 2016-09-14 19:30
    km: 700
  mileage:
    rate: 0.20
    cap: 130.00
    amount: 130.00
  per_diem:
  - date: 2016-09-14
    hours: '12:30'
    rate: 12.00
    amount: 12.00
  total: 142.00
"""


def files(root: Path) -> dict[str, bytes]:
    """Every file a user would see, with its content (the cache folder is not data)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".regiotwin-cache" not in p.parts}


def errors(result: Result) -> list[str]:
    """The error lines of `check` (a trip booked without a receipt also has a warning)."""
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def trip(run: Callable[..., Result], *extra: str, partner: str = "stadt-a",
         description: str = "Dienstreise") -> Result:
    return run("expense", "add", "--partner", partner, "--category", "travel",
               "--description", description, *extra)


# --- done when ---------------------------------------------------------------------------------


def test_the_issues_trip_books_142_euros_in_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    """Done when: the issue's command, word for word, on a copy of the example, books 142,00 €
    (130,00 € + 12,00 €) as one expense with the computation stored and shown in the
    Belegliste. Gießen's headroom before is 426,70 €, so the money rules allow it."""
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    before = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][1]
    assert (before["partner"], before["headroom"], before["travel"]) == (
        "landkreis-giessen", "426.70", "423.30")

    result = run(*THE_TRIP)
    assert result.exit_code == 0, result.stderr
    path = f"partnerships/{EXAMPLE_PAIR}/expenses/2016-09-14-landkreis-giessen-exkursion-schulen.yaml"
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert lines[:4] == [path, "Belegnummer GI-006", "under bund, the rates since 2014-01-01",
                         "part basis amount"]
    assert set(lines[4]) == {"─"}  # the table's rule
    assert lines[5:] == [
        "Wegstreckenentschädigung 700 km × 0,20 €, at most 130,00 € 130,00 €",
        "Tagegeld 2016-09-14 12:30 h away: 12,00 € 12,00 €",
        "total 142,00 €",
        "in the Belegliste: 700 km × 0,20 €, höchstens 130,00 €; Tagegeld 12,00 €",
        "landkreis-giessen: spent 1.115,30 €, grant 1.115,30 € of 1.400,00 €, headroom 284,70 €",
    ]
    assert (root / path).read_text("utf-8") == STORED

    rows = list(csv.reader(io.StringIO(run("export", "expenses").stdout.removeprefix("\ufeff")),
                           delimiter=";"))
    header, booked = rows[0], [r for r in rows if r[1] == "GI-006"]
    assert dict(zip(header, booked[0])) == {
        "Partnerschaft": EXAMPLE_PAIR, "Nr.": "GI-006", "Datum": "14.09.2016",
        "Partner": "Landkreis Gießen", "Kategorie": "Reisekosten", "Zahlungsempfänger": "",
        "Zweck": "Exkursion Schulen",
        "Berechnung": "700 km × 0,20 €, höchstens 130,00 €; Tagegeld 12,00 €",
        "Betrag (EUR)": "142,00", "davon Eigenmittel (EUR)": "0,00", "Beleg": "",
        "Storniert am": "", "Stornogrund": "",
    }
    after = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][1]
    assert (after["headroom"], after["travel"]) == ("284.70", "565.30")
    check = run("check", "--as-of", "2017-06-14")
    assert check.exit_code == 0
    assert check.stdout == (f"{path}:1: warning: no receipt for 'Exkursion Schulen' (2016-09-14); "
                            "the proof of use needs one for every expense\n")


def test_the_budget_report_shows_the_computation_in_its_receipts_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    monkeypatch.chdir(copy_example(tmp_path))
    assert run(*THE_TRIP).exit_code == 0
    report = run("report", "render", "budget").stdout
    assert ("| GI-006 | 14.09.2016 | Landkreis Gießen | Reisekosten |  | Exkursion Schulen "
            "(700 km × 0,20 €, höchstens 130,00 €; Tagegeld 12,00 €) | 142,00 € | – | – |"
            ) in report


# --- expense add: a trip instead of an amount ---------------------------------------------------


def test_a_trip_of_several_days_is_one_expense_on_its_first_day(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    result = trip(run, "--km", "300", "--from", "2016-09-13 06:00", "--to", "2016-09-15 18:00",
                  "--nights", "2", "--hotel", "150", "--meals", "2016-09-14:breakfast,lunch",
                  "--payee", "Anna Alt")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [
        "in the Belegliste: 300 km × 0,20 € = 60,00 €; Tagegeld 12,00 € + 24,00 € + 12,00 € − "
        "14,40 € für Mahlzeiten = 33,60 €; Übernachtung 150,00 €, höchstens 120,00 € (2 Nächte)",
        "stadt-a: spent 213,60 €, grant 213,60 € of 1.400,00 €, headroom 1.186,40 €",
    ]
    [path] = (root / P / "expenses").iterdir()
    assert path.name == "2016-09-13-stadt-a-dienstreise.yaml"
    expense = validated(Expense, parse_yaml(path.read_text("utf-8")).data)
    assert (expense.date, expense.amount, expense.payee) == (dt.date(2016, 9, 13), D("213.60"),
                                                             "Anna Alt")
    assert expense.travel is not None and expense.travel.inputs.nights == 2
    assert [d.amount for d in expense.travel.per_diem] == [D("12.00"), D("9.60"), D("12.00")]
    assert run("check", "--as-of", "2016-09-20").exit_code == 0


def test_date_may_repeat_the_trips_first_day(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    result = trip(run, "--date", "2016-09-14", "--km", "10", "--from", "2016-09-14 07:00",
                  "--to", "19:30")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{P}/expenses/2016-09-14-stadt-a-dienstreise.yaml\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--category", "project", "--km", "700", "--from", "2016-09-14 07:00", "--to", "19:30"],
     "error: a trip (--from, --to, --km, …) prices travel costs, not project costs; use "
     "--category travel, or give --amount\n"),
    (["--category", "travel", "--amount", "142", "--km", "700", "--from", "2016-09-14 07:00",
      "--to", "19:30"],
     "error: give either --amount or a trip (--from, --to, --km, …), not both: a trip's amount "
     "is computed by the partner's travel-cost law\n"),
    (["--category", "travel", "--date", "2016-09-14"],
     'error: --amount missing: give the amount, or for --category travel the trip that computes '
     'it (--from "YYYY-MM-DD HH:MM" --to … [--km N] [--nights N])\n'),
    (["--category", "travel", "--amount", "12"], "error: --date missing: give the date of the "
                                                 "expense\n"),
    (["--category", "travel", "--date", "2016-09-15", "--km", "700", "--from",
      "2016-09-14 07:00", "--to", "2016-09-15 10:00", "--nights", "1"],
     "error: --date 2016-09-15 is not the first day of the trip (2016-09-14, --from): a trip is "
     "booked on the day it began; leave out --date\n"),
])
def test_an_amount_and_a_trip_exclude_each_other_and_a_trip_is_travel(
    repo: Callable[..., Path], run: Callable[..., Result], args: list[str], message: str
) -> None:
    """Exactly one of an amount and a trip; a trip with another category, with --amount, or with
    another --date is a usage error (exit 2), and nothing is written."""
    root = repo()
    before = files(root)
    result = run("expense", "add", "--partner", "stadt-a", "--description", "Reise", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert files(root) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2016-09-14 07:00", "--to", "12:00"],
     "error: the trip from 2016-09-14 07:00 to 2016-09-14 12:00 earns nothing under bund: no "
     "kilometres, no paid nights, and no day long enough for Tagegeld\n"),
    (["--km", "5", "--from", "2017-09-14 07:00", "--to", "19:30"],
     "error: refused: 2017-09-14 is outside the partnership period 2016-07-01 to 2017-06-30; "
     "the grant pays nothing outside it\n"),
])
def test_a_trip_that_cannot_be_priced_or_booked_is_refused_with_one_line(
    repo: Callable[..., Path], run: Callable[..., Result], args: list[str], message: str
) -> None:
    root = repo()
    before = files(root)
    result = trip(run, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    assert files(root) == before


def test_a_malformed_trip_option_or_a_missing_end_writes_nothing(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """A malformed value exits 1 in click's words, as every bad value; a missing --to is a
    usage error (exit 2), as a missing --amount is."""
    root = repo()
    before = files(root)
    bad = trip(run, "--km", "-5", "--from", "2016-09-14 07:00", "--to", "19:30")
    assert (bad.exit_code, bad.stdout, bad.stderr.splitlines()[-1]) == (
        1, "", "Error: Invalid value for '--km': -5 is negative; give the number of kilometres")
    missing = trip(run, "--km", "5", "--from", "2016-09-14 07:00")
    assert (missing.exit_code, missing.stdout, missing.stderr) == (
        2, "", 'error: --to missing: a trip needs its start and end, --from "YYYY-MM-DD HH:MM" '
        '--to "YYYY-MM-DD HH:MM"\n')
    assert files(root) == before


HESSEN_2021 = PARTNERSHIP.replace("2016-07-01", "2021-01-01").replace(
    "2017-06-30", "2021-12-31").replace("  role: advisor\n", "  role: advisor\n  travel_law: hessen\n")


def test_the_partners_travel_law_prices_the_trip(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Stadt A travels under the HRKG (0,21 € per km, no cap), Stadt B under the default BRKG."""
    repo({f"{P}/partnership.yaml": HESSEN_2021})
    hessen = trip(run, "--km", "700", "--from", "2021-03-01 07:00", "--to", "19:30")
    assert hessen.exit_code == 0, hessen.stderr
    assert hessen.stdout.splitlines()[-2] == (
        "in the Belegliste: 700 km × 0,21 € = 147,00 €; Tagegeld 14,00 €")
    bund = trip(run, "--km", "700", "--from", "2021-03-01 07:00", "--to", "19:30",
                partner="stadt-b")
    assert bund.stdout.splitlines()[-2] == (
        "in the Belegliste: 700 km × 0,20 €, höchstens 130,00 €; Tagegeld 14,00 €")


def test_no_hessian_rates_before_2021_means_an_amount_by_hand(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{P}/partnership.yaml": PARTNERSHIP.replace(
        "  role: advisor\n", "  role: advisor\n  travel_law: hessen\n")})
    before = files(root)
    result = trip(run, "--km", "700", "--from", "2016-09-14 07:00", "--to", "19:30")
    assert (result.exit_code, result.stderr) == (
        1, "error: hessen has no rates in force on 2016-09-14: its tables begin on 2021-01-01; "
           "regiotwin does not guess rates, so enter this trip's amount by hand\n")
    assert files(root) == before
    by_hand = trip(run, "--date", "2016-09-14", "--amount", "186,40")
    assert by_hand.exit_code == 0, by_hand.stderr


def test_a_law_of_the_repository_prices_the_trip_and_a_broken_one_stops_booking(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({"travel-rates/bayern.yaml": BAYERN, f"{P}/partnership.yaml": PARTNERSHIP.replace(
        "  role: advisor\n", "  role: advisor\n  travel_law: bayern\n")})
    result = trip(run, "--km", "100", "--from", "2016-09-14 07:00", "--to", "19:30")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-2] == (
        "in the Belegliste: 100 km × 0,35 € = 35,00 €; Tagegeld 10,00 €")
    (root / "travel-rates/bayern.yaml").write_text(
        textwrap.dedent(BAYERN).replace("rate: 0.35", "rate: -0.35"), "utf-8")
    before = files(root)
    broken = trip(run, "--km", "100", "--from", "2016-09-15 07:00", "--to", "19:30")
    assert broken.exit_code == 1
    assert broken.stderr == (
        "travel-rates/bayern.yaml:7: error: mileage[0].rate: -0.35 is negative; it must be 0 or "
        "more\nerror: 1 problem in the travel-rate tables\n")
    assert files(root) == before


def test_a_trip_past_the_headroom_is_refused_by_the_one_rule_and_says_what_it_came_to(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    assert run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount",
               "1300", "--category", "project", "--description", "Druck").exit_code == 0
    before = files(root)
    refused = trip(run, "--km", "700", "--from", "2016-09-14 07:00", "--to", "19:30")
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        "error: refused: 142,00 € is more than stadt-a's headroom of 100,00 €: the fundable limit "
        "1.400,00 € (the cap) less 1.300,00 € of unmarked expenses; add --over-cap to book it even "
        "past the headroom (what the grant does not pay is the commune's own money) (the trip "
        "under bund: 700 km × 0,20 €, höchstens 130,00 €; "
        "Tagegeld 12,00 €)\n")
    assert files(root) == before
    own = trip(run, "--km", "700", "--from", "2016-09-14 07:00", "--to", "19:30", "--over-cap")
    assert own.exit_code == 0, own.stderr
    assert own.stdout.splitlines()[-1] == (
        "stadt-a: spent 1.442,00 €, grant 1.400,00 € of 1.400,00 €, headroom 100,00 €, "
        "own funds 42,00 €")


def test_the_same_trip_twice_is_refused_unless_again(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    args = ("--km", "700", "--from", "2016-09-14 07:00", "--to", "19:30")
    assert trip(run, *args).exit_code == 0
    twice = trip(run, *args)
    assert twice.exit_code == 1 and "already books this" in twice.stderr
    again = trip(run, *args, "--again")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[:2] == [
        f"{P}/expenses/2016-09-14-stadt-a-dienstreise-2.yaml", "Belegnummer stadt-a-002"]


def test_book_expense_takes_a_trip_and_trip_booking_is_the_step_it_calls(
    repo: Callable[..., Path]
) -> None:
    """The library: a trip as options, or inputs priced for a partner by `trip_booking`."""
    root = repo()
    booked = book_expense(
        root, Programme(), PAIR, partner="Stadt A", date=None, amount=None, category="travel",
        description="Exkursion", trip=TripOptions(start="2016-09-14 07:00", end="19:30",
                                                   km="700"))
    assert (booked.expense.amount, booked.expense.date, booked.number) == (
        D("142.00"), dt.date(2016, 9, 14), "stadt-a-001")
    assert booked.budget.headroom == D("1258.00")
    ship = validated(Partnership, parse_yaml(textwrap.dedent(PARTNERSHIP)).data)
    inputs = validated(TravelInputs, {"start": "2016-09-14 07:00", "end": "2016-09-14 19:30",
                                          "km": 700})
    fields = trip_booking(BOOK, ship, "stadt-a", inputs)
    assert {k: v for k, v in fields.items() if k != "travel"} == {
        "amount": D("142.00"), "date": dt.date(2016, 9, 14), "category": "travel"}
    assert fields["travel"] == booked.expense.travel
    with pytest.raises(UsageError):
        book_expense(root, Programme(), PAIR, partner="stadt-a", date=None, amount=D("5"),
                     category="travel", description="x",
                     trip=TripOptions(start="2016-09-14 07:00", end="19:30", km="7"))
    with pytest.raises(RefusedError, match="unknown partner 'stadt-x'"):
        trip_booking(BOOK, ship, "stadt-x", inputs)


# --- a hand-edited record ---------------------------------------------------------------------


@pytest.mark.parametrize(("edit", "finding"), [
    (("amount: 142.00\n", "amount: 150.00\n"),
     "6: error: amount: 150.00 differs from the total of its travel computation, 142.00 "
     "(travel.total); a priced trip is booked at its total"),
    (("category: travel\n", "category: project\n"),
     "5: error: category: 'project', but the expense holds a travel computation; a priced trip "
     "is booked as travel"),
    (("date: 2016-09-14\n", "date: 2016-09-15\n"),
     "3: error: date: 2016-09-15 is not the first day of its trip, 2016-09-14 "
     "(travel.inputs.start); a priced trip is dated by the day it began"),
])
def test_an_expense_that_disagrees_with_its_computation_is_invalid_at_its_own_line(
    edit: tuple[str, str], finding: str
) -> None:
    text = STORED.replace(*edit, 1)
    expense, findings = validate(Expense, parse_yaml(text), "e.yaml")
    assert expense is None
    assert [str(f) for f in findings] == [f"e.yaml:{finding}"]
    assert findings[0].code == "schema"


def _stored_trip(root: Path, name: str, text: str = STORED) -> Path:
    path = root / P / "expenses" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("2016-09-14-landkreis-giessen-exkursion-schulen", name)
                    .replace("landkreis-giessen", "stadt-a"), "utf-8")
    return path


def test_check_prices_a_stored_computation_again_and_names_what_differs(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Someone changed the kilometres by hand but not the figures: an error at `travel:`."""
    root = repo()
    path = _stored_trip(root, "2016-09-14-stadt-a-exkursion")
    clean = run("check", "--as-of", "2016-07-10")
    assert (clean.exit_code, errors(clean)) == (0, [])
    path.write_text(path.read_text("utf-8").replace("km: 700", "km: 500"), "utf-8")
    result = run("check", "--as-of", "2016-07-10")
    assert result.exit_code == 1
    assert errors(result) == [
        f"{P}/expenses/2016-09-14-stadt-a-exkursion.yaml:9: error: the travel-cost computation "
        "no longer matches its inputs under bund: mileage.amount: stored 130.00, the rates give "
        "100.00; total: stored 142.00, the rates give 112.00 (correct the inputs, or the stored "
        "figures and the amount)"]
    data = json.loads(run("check", "--as-of", "2016-07-10", "--json").stdout)
    assert [(f["code"], f["line"]) for f in data["findings"] if f["severity"] == "error"] == [
        ("travel-mismatch", 9)]
    status = run("budget", "status")
    assert status.exit_code == 1 and "invalid, 1 error" in status.stdout


def test_a_computation_under_a_law_no_longer_known_is_a_mismatch(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    path = _stored_trip(root, "2016-09-14-stadt-a-exkursion")
    path.write_text(path.read_text("utf-8").replace("law: bund", "law: bayern"), "utf-8")
    result = run("check", "--as-of", "2016-07-10")
    assert errors(result) == [
        f"{P}/expenses/2016-09-14-stadt-a-exkursion.yaml:9: error: the travel-cost computation "
        "no longer matches its inputs under bayern: unknown travel-cost law 'bayern'; known "
        "laws: bund (Bundesreisekostengesetz (BRKG)), hessen (Hessisches Reisekostengesetz "
        "(HRKG)) (correct the inputs, or the stored figures and the amount)"]


def test_a_cancelled_trip_counts_nowhere_and_is_not_priced_again(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    text = STORED.replace("km: 700", "km: 500") + "cancelled:\n  date: 2016-09-20\n  reason: x\n"
    _stored_trip(root, "2016-09-14-stadt-a-exkursion", text)
    result = run("check", "--as-of", "2016-07-10")
    assert (result.exit_code, errors(result)) == (0, [])


def test_check_reports_a_broken_rate_file_of_the_repository(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """A rate file is shared by every pair: `check` names it, and no figures come from bad
    rates (as from a broken events/ file)."""
    repo({"travel-rates/bayern.yaml": BAYERN.replace("law: bayern", "law: bavaria")})
    result = run("check", "--as-of", "2016-07-10")
    assert result.exit_code == 1
    assert result.stdout == ("travel-rates/bayern.yaml:2: error: the law 'bavaria' must be in a "
                             "file named bavaria.yaml\n")
    data = json.loads(run("check", "--as-of", "2016-07-10", "--json").stdout)
    assert [f["code"] for f in data["findings"]] == ["travel-law-name"]
    assert run("budget", "status").exit_code == 1


def test_the_rate_book_is_read_once_and_only_when_needed(
    repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """10,000 expenses without a computation never read a rate table; with computations in two
    pairs, the book is read once for the run."""
    import regiotwin.travel

    reads: list[Path | None] = []
    real = regiotwin.travel.read_rate_book

    def counting(root: Path | None) -> Any:
        reads.append(root)
        return real(root)

    monkeypatch.setattr(regiotwin.travel, "read_rate_book", counting)
    root = repo({f"{P}/expenses/2016-08-01-stadt-a-druck.yaml": """\
        id: 2016-08-01-stadt-a-druck
        receipt_no: 1
        date: 2016-08-01
        partner: stadt-a
        category: project
        amount: 10
        description: Druck
        """})
    assert run_check(root, [PAIR], dt.date(2016, 7, 10)).errors == 0
    assert reads == []
    _stored_trip(root, "2016-09-14-stadt-a-exkursion")
    other = root / "partnerships/stadt-c--stadt-d"
    (other / "expenses").mkdir(parents=True)
    (other / "partnership.yaml").write_text(textwrap.dedent(PARTNERSHIP).replace(
        "stadt-a", "stadt-c").replace("stadt-b", "stadt-d"), "utf-8")
    (other / "expenses/2016-09-14-stadt-c-exkursion.yaml").write_text(STORED.replace(
        "2016-09-14-landkreis-giessen-exkursion-schulen", "2016-09-14-stadt-c-exkursion")
        .replace("landkreis-giessen", "stadt-c"), "utf-8")
    report = run_check(root, [PAIR, "stadt-c--stadt-d"], dt.date(2016, 7, 10))
    assert report.errors == 0 and reads == [root]
    repo_, findings = load_repository(root)
    reads.clear()
    screening = checks.screen(repo_, findings, [PAIR, "stadt-c--stadt-d"])
    assert screening.valid == [PAIR, "stadt-c--stadt-d"] and reads == [root]


def test_travel_rates_findings_need_no_reading_without_a_rates_folder(tmp_path: Path) -> None:
    rates = TravelRates(tmp_path)
    assert rates.findings() == [] and rates._read is None
    (tmp_path / "travel-rates").mkdir()
    (tmp_path / "travel-rates/bayern.yaml").write_text(textwrap.dedent(BAYERN), "utf-8")
    assert rates.findings() == [] and "bayern" in rates.book().laws


def test_a_stored_computation_is_served_from_the_record_cache_unchanged(
    repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run takes the expense, meals by day included, from the record cache (nothing
    is validated again) and gets the same model."""
    import regiotwin.loader

    root = repo()
    text = STORED.replace("    km: 700\n", "    km: 700\n    meals:\n      2016-09-14:\n"
                          "      - lunch\n").replace("amount: 12.00\n  total", "deduction: 9.60\n"
                          "    amount: 2.40\n  total").replace("142.00", "132.40")
    _stored_trip(root, "2016-09-14-stadt-a-exkursion", text)
    validated: list[str] = []
    real = regiotwin.loader.validate

    def counting(model: Any, doc: Any, path: str) -> Any:
        validated.append(path)
        return real(model, doc, path)

    monkeypatch.setattr(regiotwin.loader, "validate", counting)
    first, findings = load_repository(root)
    assert findings == []
    assert f"{P}/expenses/2016-09-14-stadt-a-exkursion.yaml" in validated
    validated.clear()
    again, _ = load_repository(root)
    assert validated == []
    [fresh], [cached] = first.pairs[PAIR].expenses, again.pairs[PAIR].expenses
    assert cached.model == fresh.model
    assert cached.model.travel is not None and cached.model.travel.inputs.meals == {
        dt.date(2016, 9, 14): ["lunch"]}
    assert run_check(root, [PAIR], dt.date(2016, 7, 10)).errors == 0


# --- the Belegliste -----------------------------------------------------------------------------


def _priced(eid: str, **inputs: Any) -> Expense:
    travel = compute(validated(TravelInputs, inputs), "bund", BOOK)
    return Expense(id=eid, receipt_no=1, date=travel.inputs.start.date(), partner="stadt-a",
                   category="travel", amount=travel.total, description="Fahrt", travel=travel)


def test_the_belegliste_has_the_same_columns_with_and_without_computations() -> None:
    ship = validated(Partnership, parse_yaml(textwrap.dedent(PARTNERSHIP)).data)
    by_hand = Expense(id="b", receipt_no=2, date=dt.date(2016, 9, 20), partner="stadt-a",
                      category="travel", amount=D("12.50"), description="Bus")
    priced = _priced("a", start="2016-09-14 07:00", end="2016-09-14 19:30", km=100)
    rows = pair_rows(Programme(), ship, [priced, by_hand])
    assert [r.computation for r in rows] == ["100 km × 0,20 € = 20,00 €; Tagegeld 12,00 €", ""]
    plain = list(csv.reader(io.StringIO(to_csv(rows, "rfc4180"))))
    only_by_hand = list(csv.reader(io.StringIO(to_csv(rows[1:], "rfc4180"))))
    assert plain[0] == only_by_hand[0] and [len(r) for r in plain] == [13, 13, 13]
    assert plain[1][6:9] == ["Fahrt", "100 km × 0,20 € = 20,00 €; Tagegeld 12,00 €", "32.00"]
    assert plain[2][6:9] == ["Bus", "", "12.50"]
    assert rows[0].as_json()["computation"] == "100 km × 0,20 € = 20,00 €; Tagegeld 12,00 €"
    assert rows[1].as_json()["computation"] is None


def test_expense_list_shows_the_computation_under_the_description(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    trip(run, "--km", "100", "--from", "2016-09-14 07:00", "--to", "19:30")
    listed = [line.strip() for line in run("expense", "list").stdout.splitlines()]
    assert listed[3] == "100 km × 0,20 € = 20,00 €; Tagegeld 12,00 €"
    data = json.loads(run("expense", "list", "--json").stdout)
    assert (data[0]["amount"], data[0]["computation"]) == (
        "32.00", "100 km × 0,20 € = 20,00 €; Tagegeld 12,00 €")


# --- the record and its schema ------------------------------------------------------------------


def test_the_stored_record_reads_back_as_written() -> None:
    expense = validated(Expense, parse_yaml(STORED).data)
    assert record_yaml(expense) == STORED
    assert partner_budget(Programme(), _ship("landkreis-giessen"), [expense],
                          "landkreis-giessen").spent_on("travel") == D("142.00")


def _ship(partner: str) -> Partnership:
    return validated(Partnership, parse_yaml(textwrap.dedent(PARTNERSHIP).replace(
        "stadt-a", partner)).data)


@settings(max_examples=60, deadline=None)
@given(trips)
def test_any_priced_trip_makes_an_expense_that_reads_back_and_the_schema_accepts(
    t: dict[str, Any]
) -> None:
    """What `expense add` writes for any trip is valid to the model, to `check` and to the
    editor's JSON Schema."""
    try:
        travel = compute(_inputs(t), "bund", BOOK)
    except TravelError:
        return
    expense = Expense(id="e", receipt_no=1, date=travel.inputs.start.date(), partner="stadt-a",
                      category="travel", amount=travel.total, description="Fahrt",
                      travel=travel)
    text = record_yaml(expense)
    assert validated(Expense, parse_yaml(text).data) == expense
    assert schema_errors("expense", text) == []


# --- expense set changes a trip ----------------------------------------------------------------


def test_expense_set_prices_a_changed_trip_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    """`expense set GI-006 --km 500` keeps the stored trip but its kilometres, prices it again
    and changes only the lines that follow; `check` stays without errors."""
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    assert run(*THE_TRIP).exit_code == 0
    path = root / f"partnerships/{EXAMPLE_PAIR}/expenses/2016-09-14-landkreis-giessen-exkursion-schulen.yaml"
    changed = run("expense", "set", "GI-006", "--km", "500")
    assert changed.exit_code == 0, changed.stderr
    assert path.read_text("utf-8") == (
        STORED.replace("amount: 142.00", "amount: 112.00").replace("km: 700", "km: 500")
        .replace("    amount: 130.00", "    amount: 100.00").replace("total: 142.00", "total: 112.00"))
    assert changed.stdout.splitlines()[1:] == [
        "  amount: 142.00 → 112.00", "  travel.inputs.km: 700 → 500",
        "  travel.mileage.amount: 130.00 → 100.00", "  travel.total: 142.00 → 112.00"]
    assert errors(run("check", "--as-of", "2017-06-14")) == []
    later = run("expense", "set", "GI-006", "--to", "2016-09-15 10:00", "--nights", "1")
    assert later.exit_code == 0, later.stderr
    stored = parse_yaml(path.read_text("utf-8")).data
    assert (stored["amount"], stored["date"], stored["travel"]["inputs"]["km"]) == (
        D("144.00"), dt.date(2016, 9, 14), 500)  # 100,00 € km, 2 × 12,00 € Tagegeld, 20,00 €


def test_expense_set_refuses_a_hand_amount_on_a_trip_and_both_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    assert run(*THE_TRIP).exit_code == 0
    before = files(root)
    by_hand = run("expense", "set", "GI-006", "--amount", "150")
    assert by_hand.exit_code == 1
    assert "its amount follows the trip: change the trip (--from, --to, --km" in by_hand.stderr
    both = run("expense", "set", "GI-006", "--amount", "150", "--km", "600")
    assert (both.exit_code, both.stderr.splitlines()[-1]) == (
        2, "error: give either a trip (--from, --to, --km, …) or --amount, not both: a trip's "
           "amount, date and category follow from it")
    half = run("expense", "set", "GI-001", "--km", "100")
    assert half.exit_code == 2 and "give the whole trip, at least --from" in half.stderr
    assert files(root) == before


def test_an_amount_becomes_a_priced_trip_and_the_headroom_still_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    """A travel expense booked by amount is priced when its trip is given; a trip whose new
    price passes the headroom is refused by the same rule as `expense add`."""
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    priced = run("expense", "set", "GI-002", "--from", "2016-10-12 06:00", "--to", "19:00",
                 "--km", "120")
    assert priced.exit_code == 0, priced.stderr
    record = next((root / f"partnerships/{EXAMPLE_PAIR}/expenses").glob("2016-10-12-landkreis-giessen-*"))
    data = parse_yaml(record.read_text("utf-8")).data
    assert (data["amount"], data["receipt_no"], data["travel"]["total"]) == (
        D("36.00"), 2, D("36.00"))  # 120 km × 0,20 € + 12,00 € Tagegeld; the number stays
    before = files(root)
    dear = run("expense", "set", "GI-002", "--to", "2016-10-20 19:00", "--nights", "8",
               "--hotel", "800")
    assert dear.exit_code == 1 and "headroom" in dear.stderr
    assert files(root) == before


def test_a_german_trip_is_stored_in_iso(repo: Callable[..., Path],
                                        run: Callable[..., Result]) -> None:
    root = repo()
    result = run("expense", "add", "--partner", "stadt-a", "--category", "travel",
                 "--description", "Exkursion", "--km", "120", "--from", "14.09.2016 07:00",
                 "--to", "19.30")
    assert result.exit_code == 0, result.stderr
    text = next((root / P / "expenses").glob("*.yaml")).read_text(encoding="utf-8")
    assert "    start: 2016-09-14 07:00\n    end: 2016-09-14 19:30\n" in text
