"""The money rules of SPEC §3 (issue #10): unit tests of budget.py, the issue's cases through the
CLI, and a property test that `expense add`, `budget status` and `check` always agree."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import random
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from regiotwin.belegliste import pair_rows
from regiotwin.budget import (
    PartnerBudget,
    Terms,
    fundable_limit,
    grant_of,
    own_shares,
    pair_budget,
    refuse_past_headroom,
    unmarked_past_limit,
)
from regiotwin.cli import cli
from regiotwin.errors import RefusedError
from regiotwin.models import Cancellation, Expense, Partnership, Programme
from regiotwin.money import format_eur
from regiotwin.validation import validated
from tests.conftest import PAIR, PARTNERSHIP, PROGRAMME, copy_example, write_files

P = f"partnerships/{PAIR}"
D = Decimal


def expense(eid: str, amount: str, *, day: int = 15, over_cap: bool = False,
            partner: str = "stadt-a", cancelled: bool = False) -> Expense:
    return Expense(
        id=eid, receipt_no=1, date=dt.date(2016, 7, day), partner=partner, category="travel",
        amount=D(amount), description=eid, over_cap=over_cap,
        cancelled=Cancellation(date=dt.date(2016, 8, 1), reason="falsch gebucht")
        if cancelled else None,
    )


def budget_of(cap: str, rate: str, *amounts: str, marked: tuple[str, ...] = ()) -> PartnerBudget:
    b = PartnerBudget("stadt-a", "Stadt A", Terms(D(cap), D(rate)))
    for i, a in enumerate(amounts):
        b.add(expense(f"e{i}", a))
    for i, a in enumerate(marked):
        b.add(expense(f"m{i}", a, over_cap=True))
    return b


# --- the formulas --------------------------------------------------------------------------------


@pytest.mark.parametrize(("cap", "rate", "limit"), [
    ("1400.00", "1.0", "1400.00"),
    ("1400.00", "0.8", "1750.00"),
    ("1000.00", "0.3", "3333.34"),  # rounded up: 3333.33 × 0.3 would fall short of the cap
    ("500.00", "0.75", "666.67"),
    ("0.00", "0.5", "0.00"),
])
def test_fundable_limit_is_cap_over_rate_rounded_up(cap: str, rate: str, limit: str) -> None:
    assert fundable_limit(D(cap), D(rate)) == D(limit)
    assert grant_of(D(limit), D(cap), D(rate)) == D(cap)


def test_grant_is_rounded_half_up_and_capped() -> None:
    assert grant_of(D("0.05"), D("1400"), D("0.5")) == D("0.03")
    assert grant_of(D("2000.00"), D("1400.00"), D("0.8")) == D("1400.00")


def test_issue_case_1500_at_80_percent_is_consistent() -> None:
    """Why 1: one row showed remaining 200 €, 85,7 % and 'over cap' together."""
    b = budget_of("1400.00", "0.8", "1500.00")
    assert (b.total, b.grant, b.own_funds, b.remaining, b.headroom) == (
        D("1500.00"), D("1200.00"), D("300.00"), D("200.00"), D("250.00"))
    assert (b.percent_used, b.over_cap, b.over_limit, b.mark) == (D("85.7"), False, False, "")


@pytest.mark.parametrize(("amounts", "marked", "percent", "mark"), [
    (("1259.99",), (), "89.9", ""),
    (("1260.00",), (), "90.0", "≥ 90 %"),
    (("1399.99",), (), "99.9", "≥ 90 %"),  # rounded down: 100,0 % only when nothing remains
    (("1400.00",), (), "100.0", "≥ 90 %"),
    (("1400.00",), ("0.01",), "100.0", "over cap"),
    (("1400.01",), (), "100.0", "over limit"),
    (("100.00",), ("1500.00",), "100.0", "over cap"),
])
def test_marks_follow_the_figures(
    amounts: tuple[str, ...], marked: tuple[str, ...], percent: str, mark: str
) -> None:
    b = budget_of("1400.00", "1.0", *amounts, marked=marked)
    assert (str(b.percent_used), b.mark) == (percent, mark)
    assert b.over_cap == (b.remaining == 0 and b.total * b.terms.rate > b.cap)
    assert b.over_limit == (b.headroom < 0)


def test_cancelled_expenses_count_nowhere() -> None:
    ship = validated(Partnership, json.loads(json.dumps(_ship())))
    spent = [expense("a", "1000.00"), expense("b", "900.00", cancelled=True)]
    b = pair_budget(Programme(), ship, spent).partners[0]
    assert (b.total, b.headroom) == (D("1000.00"), D("400.00"))
    assert unmarked_past_limit(spent, D("1400.00")) == []
    assert [share for _, share in own_shares(spent, Terms(D("1400.00"), D("1.0")))] == [
        D("0.00"), D("0.00")]


# --- the over-cap marking: order-independent ----------------------------------------------------


def test_same_day_expenses_reach_the_limit_in_any_order() -> None:
    """Why 2: the marked expense never makes another one need the marking."""
    spent = [expense("zug", "500.00"), expense("bus", "400.00"), expense("taxi", "500.00"),
             expense("aaa-eigen", "80.00", over_cap=True)]
    for order in itertools.permutations(spent):
        assert unmarked_past_limit(list(order), D("1400.00")) == []


def test_check_names_the_unmarked_expenses_from_the_crossing_one() -> None:
    spent = [expense("a", "1000.00", day=1), expense("b", "300.00", day=2),
             expense("c", "200.00", day=3), expense("m", "999.00", day=2, over_cap=True),
             expense("d", "50.00", day=4)]
    past = unmarked_past_limit(spent, D("1400.00"))
    assert [(e.id, total) for e, total in past] == [("c", D("1500.00")), ("d", D("1550.00"))]
    shares = {e.id: share for e, share in own_shares(spent, Terms(D("1400.00"), D("1.0")))}
    assert shares == {"a": D("0.00"), "b": D("0.00"), "c": D("100.00"), "m": D("999.00"),
                      "d": D("50.00")}


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(1, 200_000), st.booleans(), st.integers(1, 3)),
                max_size=8),
       st.integers(0, 300_000), st.permutations(range(8)))
def test_the_rule_is_the_unmarked_total_whatever_the_order(
    spent: list[tuple[int, bool, int]], cap_cents: int, order: list[int]
) -> None:
    expenses = [expense(f"e{i}", str(D(c) / 100), day=day, over_cap=marked)
                for i, (c, marked, day) in enumerate(spent)]
    limit = D(cap_cents) / 100
    unmarked = sum((e.amount for e in expenses if not e.over_cap), D(0))
    shuffled = [expenses[i] for i in order if i < len(expenses)]
    assert bool(unmarked_past_limit(shuffled, limit)) == (unmarked > limit)
    # and the list itself is the running total's, taken the long way (issue #16 skips it
    # when the whole stays within the limit)
    total, past = D(0), []
    for e in sorted((e for e in shuffled if not e.over_cap), key=lambda e: (e.date, e.id)):
        total += e.amount
        if total > limit:
            past.append((e, total))
    assert unmarked_past_limit(shuffled, limit) == past


# --- each expense's own-funds share: the Belegliste's column adds up to the own funds -----------


def shares_of(spent: list[Expense], cap: str, rate: str) -> dict[str, Decimal]:
    return {e.id: share for e, share in own_shares(spent, Terms(D(cap), D(rate)))}


def test_a_marked_expense_under_the_cap_is_paid_by_the_grant() -> None:
    """The trial's case: 973,30 € unmarked and 100,00 € marked stay under the cap, so the grant
    pays both and no row shows own funds (it showed 100,00 € against own funds of 0,00 €)."""
    spent = [expense("a", "973.30", day=1), expense("m", "100.00", day=2, over_cap=True)]
    assert shares_of(spent, "1400.00", "1.0") == {"a": D("0.00"), "m": D("0.00")}


def test_marked_expenses_take_the_own_funds_first_when_the_cap_binds() -> None:
    """Unmarked first, then marked, each by date: a marked expense dated before an unmarked one
    is still paid after it."""
    spent = [expense("m1", "100.00", day=1, over_cap=True), expense("a", "973.30", day=5),
             expense("m2", "500.00", day=3, over_cap=True), expense("b", "300.00", day=20)]
    assert shares_of(spent, "1400.00", "1.0") == {
        "a": D("0.00"), "b": D("0.00"), "m1": D("0.00"), "m2": D("473.30")}


def test_below_full_funding_every_expense_keeps_its_share() -> None:
    """r = 80 %: each expense carries 20 % until the cap binds; the rounding is that of the
    running grant, so the shares still add up to total − grant."""
    spent = [expense("a", "1000.00", day=1), expense("b", "500.00", day=2),
             expense("m", "300.00", day=1, over_cap=True)]
    assert shares_of(spent, "1400.00", "0.8") == {
        "a": D("200.00"), "b": D("100.00"), "m": D("100.00")}  # 1.800 − 1.400
    cents = [expense(f"c{i}", "0.01", day=i) for i in range(1, 4)]
    # grant after each: 0,01 (0,005 rounded up), 0,01, 0,02 (0,015): 0,01 of own funds in all
    assert shares_of(cents, "1400.00", "0.5") == {
        "c1": D("0.00"), "c2": D("0.01"), "c3": D("0.00")}


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(1, 200_000), st.booleans(), st.integers(1, 28),
                          st.booleans(), st.sampled_from(["stadt-a", "stadt-b"])),
                max_size=10),
       st.integers(0, 300_000), st.integers(1, 100), st.randoms(use_true_random=False))
def test_the_own_share_column_adds_up_to_the_own_funds(
    spent: list[tuple[int, bool, int, bool, str]], cap_cents: int, rate_percent: int,
    rnd: random.Random,
) -> None:
    """For any bookings, the Belegliste's rows of a partner add up to its own funds in
    `budget status`, to the cent; no share is negative or more than its expense; a marked
    expense is paid nothing once the unmarked ones alone reach the cap."""
    expenses = [expense(f"e{i}", str(D(c) / 100), day=day, over_cap=marked, partner=partner,
                        cancelled=cancelled)
                for i, (c, marked, day, cancelled, partner) in enumerate(spent)]
    rnd.shuffle(expenses)
    programme = Programme(grant_cap=D(cap_cents) / 100, funding_rate=D(rate_percent) / 100)
    ship = validated(Partnership, _ship())
    rows = pair_rows(programme, ship, expenses)
    for budget in pair_budget(programme, ship, expenses).partners:
        own = [r for r in rows if r.partner == budget.partner_id]
        assert sum((r.own_share for r in own), D(0)) == budget.own_funds
        assert all(D(0) <= r.own_share <= r.amount for r in own)
        assert all(r.own_share == 0 for r in own if r.cancelled)
        counting = [e for e in expenses if e.partner == budget.partner_id and e.counts]
        unmarked = sum((e.amount for e in counting if not e.over_cap), D(0))
        if grant_of(unmarked, budget.cap, budget.terms.rate) == budget.cap:
            assert all(r.own_share == r.amount for r in own if r.over_cap and not r.cancelled)
    assert {r.id: r.own_share for r in rows} == {
        r.id: r.own_share for r in pair_rows(programme, ship, sorted(expenses, key=lambda e: e.id))}


def test_own_funds_are_one_figure_everywhere_on_the_example(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """The trial's repro: `expense add`, `budget status`, `export expenses`, `expense list` and
    the budget report's overview and Belegliste give one own-funds figure, and the row of a
    marked expense shows the part the grant does not pay."""
    root = copy_example(tmp_path)

    def add_own(amount: str, date: str) -> str:
        result = run("-C", str(root), "expense", "add", "--partner", "landkreis-giessen",
                     "--date", date, "--amount", amount, "--category", "project",
                     "--description", "Eigenanteil", "--payee", "X", "--over-cap")
        assert result.exit_code == 0, result.stderr
        return result.stdout.splitlines()[-1]

    def figures() -> tuple[str, str, dict[str, str], dict[str, str], str, str]:
        status = json.loads(run("-C", str(root), "budget", "status", "--json").stdout)
        giessen = status["pairs"][0]["partners"][1]
        exported = list(csv.DictReader(io.StringIO(
            run("-C", str(root), "export", "expenses", "--format", "rfc4180").stdout)))
        listed = list(csv.DictReader(io.StringIO(
            run("-C", str(root), "expense", "list", "--format", "csv").stdout)))
        report = run("-C", str(root), "report", "render", "budget").stdout
        overview = next(line for line in report.splitlines()
                        if line.startswith("| Landkreis Gießen |"))
        total = next(line for line in report.splitlines()
                     if line.startswith("| **Summe** | | |"))
        return (giessen["own_funds"],
                str(sum((D(r["davon Eigenmittel (EUR)"]) for r in exported
                         if r["Partner"] == "Landkreis Gießen"), D(0))),
                {r["Nr."]: r["davon Eigenmittel (EUR)"] for r in exported if r["Zweck"] == "Eigenanteil"},
                {r["no"]: r["own share"] for r in listed if r["description"] == "Eigenanteil"},
                overview.split(" | ")[6], total.split(" | ")[-2])

    assert add_own("100", "2017-05-01") == (
        "landkreis-giessen: spent 1.073,30 €, grant 1.073,30 € of 1.400,00 €, headroom 426,70 €")
    assert figures() == ("0.00", "0.00", {"GI-006": "0.00"}, {"GI-006": "0.00"},
                         "0,00 €", "0,00 €")
    assert add_own("500", "2017-05-02") == (
        "landkreis-giessen: spent 1.573,30 €, grant 1.400,00 € of 1.400,00 €, headroom "
        "426,70 €, own funds 173,30 €")
    assert figures() == ("173.30", "173.30", {"GI-006": "0.00", "GI-007": "173.30"},
                         {"GI-006": "0.00", "GI-007": "173.30"}, "173,30 €", "173,30 €")
    report = run("-C", str(root), "report", "render", "budget").stdout
    assert "| Eigenanteil (über den förderfähigen Betrag hinaus gebucht) | 500,00 € | 173,30 € |" \
        in report
    assert ("„davon Eigenmittel“: der Teil einer Ausgabe, den die Zuwendung nicht trägt; je "
            "Partner summiert ergibt die Spalte seine Eigenmittel.") in report


def test_the_over_cap_help_says_what_the_marking_does(run: Callable[..., Result]) -> None:
    """It books past the headroom; it does not make the expense own money."""
    added = " ".join(run("expense", "add", "--help").stdout.split())
    assert ("--over-cap Book it even past the headroom; what the grant does not pay is the "
            "commune's own money.") in added
    changed = " ".join(run("expense", "set", "--help").stdout.split())
    assert ("--over-cap / --no-over-cap Book it even past the headroom (what the grant does not "
            "pay is the commune's own money), or no longer so.") in changed
    assert "as the commune's own money" not in added + changed


# --- the one check a booking or a change goes through -------------------------------------------


def _ship() -> dict[str, object]:
    return {"id": PAIR, "title": "t", "topic": "t", "start": "2016-07-01", "end": "2017-06-30",
            "partners": [{"id": "stadt-a", "name": "Stadt A"},
                         {"id": "stadt-b", "name": "Stadt B", "grant_cap": "500.00"}]}


def test_refuse_past_headroom_for_new_and_changed_expenses() -> None:
    ship = validated(Partnership, _ship())
    programme = Programme(funding_rate=D("0.8"))
    spent = [expense("a", "1700.00"), expense("b", "100.00", partner="stadt-b")]
    after = refuse_past_headroom(programme, ship, spent, expense("c", "50.00"))
    assert (after.unmarked, after.headroom) == (D("1750.00"), D("0.00"))
    with pytest.raises(RefusedError) as info:
        refuse_past_headroom(programme, ship, spent, expense("c", "50.01"))
    assert info.value.message == (
        "refused: 50,01 € is more than stadt-a's headroom of 50,00 €: the fundable limit "
        "1.750,00 € (cap 1.400,00 € ÷ funding rate 80 %) less 1.700,00 € of unmarked expenses; "
        "add --over-cap to book it even past the headroom (what the grant does not pay is the commune's own money)")
    refuse_past_headroom(programme, ship, spent, expense("c", "5000.00", over_cap=True))
    refuse_past_headroom(programme, ship, spent, expense("c", "5000.00", cancelled=True))
    # `expense set` changing `a` leaves the old version out of the headroom
    changed = refuse_past_headroom(programme, ship, spent, expense("a", "1750.00"), replaces="a")
    assert changed.headroom == D("0.00")
    with pytest.raises(RefusedError):
        refuse_past_headroom(programme, ship, spent, expense("a", "1750.01"), replaces="a")
    # the partner's own cap: 500 ÷ 0.8 = 625
    with pytest.raises(RefusedError, match="headroom of 525,00 €"):
        refuse_past_headroom(programme, ship, spent, expense("d", "525.01", partner="stadt-b"))


# --- the issue's "Done when", through the command line ------------------------------------------


def add(run: Callable[..., Result], amount: str, *extra: str, description: str = "Fahrt",
        date: str = "2016-07-15") -> Result:
    return run("expense", "add", "--partner", "stadt-a", "--date", date, "--amount", amount,
               "--category", "travel", "--description", description, *extra)


def test_funding_rate_80_percent(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    """After 1.400,00 € spent, 300,00 € more books; 50,01 € is refused naming a headroom of
    50,00 €; budget status shows total 1700.00, grant 1360.00, remaining 40.00, headroom 50.00."""
    repo({"regiotwin.yaml": PROGRAMME + "funding_rate: 0.8\n"})
    assert add(run, "1.400,00").exit_code == 0
    assert add(run, "300,00", description="Bahn").exit_code == 0
    refused = add(run, "50,01", description="Taxi")
    assert (refused.exit_code, refused.stderr) == (1, (
        "error: refused: 50,01 € is more than stadt-a's headroom of 50,00 €: the fundable limit "
        "1.750,00 € (cap 1.400,00 € ÷ funding rate 80 %) less 1.700,00 € of unmarked expenses; "
        "add --over-cap to book it even past the headroom (what the grant does not pay is the commune's own money)\n"))
    status = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert {k: status[k] for k in ("total", "grant", "remaining", "headroom", "limit")} == {
        "total": "1700.00", "grant": "1360.00", "remaining": "40.00", "headroom": "50.00",
        "limit": "1750.00"}
    row = run("budget", "status").stdout.splitlines()[3]
    assert "40,00 €      50,00 €   97,1 %   ≥ 90 %" in row
    assert add(run, "50,00", description="Taxi").exit_code == 0


def test_same_day_expenses_and_a_marked_fourth(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Three same-day expenses reach the cap exactly; a fourth with --over-cap books, and
    `check` is clean."""
    root = repo()
    for n, (amount, what) in enumerate([("500", "Zug"), ("400", "Bus"), ("500", "Taxi"),
                                        ("80", "Aaa Eigenanteil")]):
        (root / f"{n}.pdf").write_text(f"receipt {n}")
        extra = ["--over-cap"] if n == 3 else []
        result = add(run, amount, "--receipt", str(root / f"{n}.pdf"), *extra, description=what)
        assert result.exit_code == 0, result.stderr
        (root / f"{n}.pdf").unlink()
    checked = run("check", "--as-of", "2016-07-31")
    assert (checked.exit_code, checked.stdout, checked.stderr) == (
        0, "", "no problems found in 6 files\n")
    status = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert (status["headroom"], status["own_funds"], status["mark"]) == ("0.00", "80.00", "over cap")


# --- property: expense add, budget status and check agree ---------------------------------------

_booking = st.tuples(
    st.integers(1, 150_000),  # cents
    st.booleans(),  # --over-cap
    st.integers(0, 30),  # day offset: back-dated and same-day bookings
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cap_cents=st.integers(0, 300_000), rate_percent=st.integers(1, 100),
       bookings=st.lists(_booking, min_size=1, max_size=6))
def test_refusal_headroom_and_check_always_agree(
    cap_cents: int, rate_percent: int, bookings: list[tuple[int, bool, int]]
) -> None:
    runner = CliRunner()
    cap = str(D(cap_cents) / 100)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_files(root, {
            "regiotwin.yaml": f"name: RegioTwin\ngrant_cap: {cap}\n"
                              f"funding_rate: {D(rate_percent) / 100}\n",
            f"{P}/partnership.yaml": PARTNERSHIP,
        })

        def run(*args: str) -> Result:
            return runner.invoke(cli, ["-C", folder, *args], catch_exceptions=False)

        limit = fundable_limit(D(cap), D(rate_percent) / 100)
        unmarked = D(0)
        for n, (cents, marked, day) in enumerate(bookings):
            headroom = D(json.loads(run("budget", "status", "--json").stdout)
                         ["pairs"][0]["partners"][0]["headroom"])
            assert headroom == limit - unmarked
            amount = D(cents) / 100
            date = (dt.date(2016, 7, 1) + dt.timedelta(days=day)).isoformat()
            result = run("expense", "add", "--partner", "stadt-a", "--date", date, "--amount",
                         str(amount), "--category", "travel", "--description", f"e{n}",
                         *(["--over-cap"] if marked else []))
            refused = not marked and amount > headroom
            event("refused" if refused else "booked")
            assert result.exit_code == (1 if refused else 0), result.stderr
            if refused:
                assert f"headroom of {format_eur(headroom)}" in result.stderr
            elif not marked:
                unmarked += amount
            findings = json.loads(run("check", "--json").stdout)["findings"]
            assert [f for f in findings if f["code"] == "over-limit"] == []
        status = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
        assert D(status["headroom"]) >= 0 and status["over_limit"] is False


def test_the_marks_are_explained_and_shown(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """over limit (only in a draft: it is a check error), over cap, ≥ 90 %."""
    helped = run("budget", "status", "--help").stdout
    for line in ("  over limit  the unmarked expenses pass the fundable limit (a `check` error;",
                 "  over cap    spending beyond what the grant pays: the excess is own funds and",
                 "  ≥ 90 %      90 % or more of the grant is used",
                 "  headroom   fundable limit − unmarked expenses, where the fundable limit is"):
        assert line in helped.splitlines()
    repo({f"{P}/expenses/hand.yaml": "id: hand\nreceipt_no: 1\ndate: 2016-07-15\n"
                                     "partner: stadt-b\ncategory: travel\namount: 1500\n"
                                     "description: Bus\n"})
    add(run, "1400")
    add(run, "10", "--over-cap", description="Eigen")
    assert run("budget", "status").exit_code == 1
    rows = run("budget", "status", "--draft").stdout.splitlines()
    assert rows[4].split()[-2:] == ["over", "cap"] and "Stadt A" in rows[4]
    assert rows[5].split()[-2:] == ["over", "limit"] and "-100,00 €" in rows[5]
