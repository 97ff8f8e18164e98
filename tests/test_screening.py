"""No document or figure from data that fails `check` (issue #10, SPEC §3): budget status,
report render, the exports and status refuse pairs with errors, show the valid ones, and make
a draft only when asked, marked so nobody can mistake it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from icalendar import Calendar

from regiotwin.checks import screen
from regiotwin.loader import load_repository
from tests.conftest import PAIR, PARTNERSHIP

P = f"partnerships/{PAIR}"
OTHER = "stadt-c--stadt-d"
EXPENSE = f"{P}/expenses/2016-08-01-stadt-a-fahrt.yaml"
COPY = f"{P}/expenses/2016-08-01-stadt-a-fahrt (Kopie).yaml"


@pytest.fixture
def booked(repo: Callable[..., Path], run: Callable[..., Result]) -> Path:
    """A valid pair with one expense and its receipt, and a meeting (for the calendar)."""
    root = repo({"scan.pdf": "%PDF-1.4 Fahrkarte\n"})
    for args in (
        ["expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount", "100",
         "--category", "travel", "--description", "Fahrt", "--receipt", "scan.pdf"],
        ["meeting", "add", "--date", "2016-07-20", "--title", "Jour fixe"],
    ):
        assert run(*args).exit_code == 0
    (root / "scan.pdf").unlink()
    return root


def test_a_copied_expense_file_stops_every_figure(booked: Path, run: Callable[..., Result]) -> None:
    """Why 4: a file manager's copy counted the money twice while `check` reported it."""
    shutil.copy(booked / EXPENSE, booked / COPY)
    duplicate = (f"{COPY}:1: error: duplicate id '2016-08-01-stadt-a-fahrt' "
                 f"(also in {EXPENSE})")
    for command in (["budget", "status"], ["report", "render", "budget"],
                    ["export", "expenses"]):
        result = run(*command)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0] == duplicate
        assert result.stderr.splitlines()[-1] == (
            f"error: no figures from data with errors: {PAIR} (4 errors); fix them (see "
            "`regiotwin check`), or add --draft for a draft marked as such")
        assert "200" not in result.stdout and "100,00" not in result.stdout
    assert run("budget", "status").stdout == (
        f"{PAIR}: invalid, 4 errors — no figures (see `regiotwin check`)\n")
    assert json.loads(run("budget", "status", "--json").stdout) == {
        "as_of": None, "pairs": [], "invalid": [{"pair": PAIR, "errors": 4}]}


def test_a_draft_says_so_at_the_top(booked: Path, run: Callable[..., Result]) -> None:
    shutil.copy(booked / EXPENSE, booked / COPY)
    table = run("budget", "status", "--draft")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0] == ("DRAFT — the data has 4 errors; these figures are not to be signed "
                        "(see `regiotwin check`)")
    assert lines[1].strip() == f"Stadt A – Stadt B ({PAIR}) — DRAFT, 4 errors"
    report = run("report", "render", "budget", "--draft", "--as-of", "2016-12-31")
    assert report.exit_code == 0
    assert report.stdout.splitlines()[0] == (
        "> **ENTWURF — die Daten enthalten 4 Fehler.** Dieser Entwurf ist nicht zur Vorlage "
        "oder Unterschrift bestimmt; `regiotwin check` nennt die Fehler.")
    assert report.stderr.startswith(f"{COPY}:1: error: duplicate id")
    for fmt in ("excel", "rfc4180"):
        exported = run("export", "expenses", "--draft", "--format", fmt)
        assert exported.exit_code == 0
        first, header = exported.stdout.lstrip("\ufeff").splitlines()[:2]
        assert first == "ENTWURF — die Daten enthalten 4 Fehler"
        assert header.startswith("Partnerschaft;Nr.;Datum" if fmt == "excel"
                                 else "Partnerschaft,Nr.,Datum")
    calendar = Calendar.from_ical(run("export", "calendar", "--draft").stdout_bytes)
    assert str(calendar["X-WR-CALNAME"]) == "RegioTwin (ENTWURF — die Daten enthalten 4 Fehler)"
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "ENTWURF: Jour fixe (Stadt A – Stadt B)",
        "ENTWURF: Frist: Zwischennachweis 2016 (Stadt A – Stadt B)",
        "ENTWURF: Frist: Verwendungsnachweis (Stadt A – Stadt B)"]
    status = run("status", "--draft", "--as-of", "2016-08-15")
    assert status.stdout.splitlines()[0].startswith("DRAFT — the data has 4 errors")
    assert status.stdout.splitlines()[4].startswith(" 2016-07-01 to 2017-06-30, 13 % (DRAFT) ")


def test_expense_list_lists_no_expenses_from_bad_data(
    booked: Path, run: Callable[..., Result]
) -> None:
    """The trial: with a copied `… (Kopie).yaml`, `expense list --format csv` exited 0 listing
    the expense twice; it follows the rule of the other figure commands now."""
    shutil.copy(booked / EXPENSE, booked / COPY)
    left_out = (f"error: no figures from data with errors: {PAIR} (4 errors); fix them (see "
                "`regiotwin check`), or add --draft for a draft marked as such")
    for fmt in ("csv", "tsv", "json", "table"):
        result = run("expense", "list", "--format", fmt)
        assert result.exit_code == 1, fmt
        assert result.stderr.splitlines()[0].startswith(f"{COPY}:1: error: duplicate id")
        assert result.stderr.splitlines()[-1] == left_out
        assert "stadt-a-001" not in result.stdout
    assert run("expense", "list", "--format", "csv").stdout.splitlines() == [
        "pair,no,date,partner,category,amount,own share,over cap,cancelled,reason,payee,"
        "description,computation,receipt,meeting,measure,id"]
    assert json.loads(run("expense", "list", "--json").stdout) == []
    assert run("expense", "list").stdout == (
        f"{PAIR}: invalid, 4 errors — no expenses listed (see `regiotwin check`)\n")

    draft = run("expense", "list", "--draft", "--format", "csv")
    assert draft.exit_code == 0
    assert [line.split(",")[1] for line in draft.stdout.splitlines()] == [
        "no", "stadt-a-001", "stadt-a-001"]
    assert draft.stderr.splitlines()[-1] == (
        "DRAFT — the data has 4 errors; these expenses are not to be relied on (see "
        "`regiotwin check`)")
    table = run("expense", "list", "--draft")
    assert (table.exit_code, table.stdout.splitlines()[0]) == (0, (
        "DRAFT — the data has 4 errors; these expenses are not to be relied on (see "
        "`regiotwin check`)"))
    (booked / COPY).unlink()
    assert run("expense", "list", "--format", "csv").exit_code == 0


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_a_missing_or_changed_receipt_stops_the_figures(
    booked: Path, run: Callable[..., Result], damage: str
) -> None:
    receipt = booked / P / "receipts/2016-08-01-stadt-a-fahrt.pdf"
    if damage == "missing":
        receipt.unlink()
    else:
        receipt.write_text("%PDF-1.4 something else\n")
    result = run("budget", "status")
    assert result.exit_code == 1
    word = "is missing" if damage == "missing" else "has changed since it was recorded"
    assert f"{EXPENSE}:" in result.stderr and word in result.stderr


def test_over_several_pairs_the_valid_ones_are_shown(
    booked: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why 4: one broken file in one pair made status, budget status and the exports fail for
    all ten pairs of the consultant's repository."""
    monkeypatch.setenv("COLUMNS", "120")
    assert run("partnership", "new", "--partner", "Stadt C", "--partner", "Stadt D", "--topic",
               "x", "--start", "2016-07-01").exit_code == 0
    broken = booked / "partnerships" / OTHER / "meetings" / "x.yaml"
    broken.parent.mkdir()
    broken.write_text("id: x\ndate: [\n")
    error = (f"partnerships/{OTHER}/meetings/x.yaml:3: error: YAML syntax error: did not find "
             "expected node content while parsing a flow node")
    status = run("status", "--as-of", "2016-08-15")
    assert status.exit_code == 1
    assert status.stderr.splitlines()[0] == error
    lines = status.stdout.splitlines()
    assert lines[2].split()[:5] == [PAIR, "1", "held", "stadt-a", "7,1"]
    assert lines[3].split()[:5] == ["2016-07-01", "to", "2017-06-30,", "13", "%"]
    assert [line.rstrip() for line in lines[4:]] == [
        f" {OTHER}", " invalid: 1 error (see `regiotwin check`)"]
    rows = json.loads(run("status", "--json", "--as-of", "2016-08-15").stdout)
    assert [(r["pair"], r["valid"], r["errors"]) for r in rows] == [
        (PAIR, True, 0), (OTHER, False, 1)]
    budget = run("budget", "status", "--json")
    assert budget.exit_code == 1
    data = json.loads(budget.stdout)
    assert ([p["pair"] for p in data["pairs"]], data["invalid"]) == (
        [PAIR], [{"pair": OTHER, "errors": 1}])
    exported = run("export", "expenses", "--format", "rfc4180")
    assert exported.exit_code == 1
    assert [line.split(",")[0] for line in exported.stdout.splitlines()] == [
        f"UNVOLLSTÄNDIG — nicht enthalten: {OTHER} (1 Fehler)", "Partnerschaft", PAIR]
    calendar = run("export", "calendar")
    assert calendar.exit_code == 1 and b"Jour fixe" in calendar.stdout_bytes
    listed = run("expense", "list", "--format", "csv")
    assert listed.exit_code == 1
    assert [line.split(",")[0] for line in listed.stdout.splitlines()] == ["pair", PAIR]
    assert run("report", "render", "status", "--pair", PAIR).exit_code == 0
    assert run("report", "render", "status", "--pair", OTHER).exit_code == 1
    assert run("budget", "status", "--pair", PAIR).exit_code == 0


def test_a_belegliste_with_a_pair_left_out_says_so_inside_the_file(
    booked: Path, run: Callable[..., Result]
) -> None:
    """The trial: `export expenses -o belegliste.csv` with one of two pairs broken wrote the
    valid pair only, and nothing in the file told the finance office that a pair was missing.
    Its first line says so now, in the first cell Excel shows; the calendar's name too."""
    assert run("partnership", "new", "--partner", "Stadt C", "--partner", "Stadt D", "--topic",
               "x", "--start", "2016-07-01").exit_code == 0
    broken = booked / "partnerships" / OTHER / "meetings" / "x.yaml"
    broken.parent.mkdir()
    broken.write_text("id: x\ndate: [\n")
    result = run("export", "expenses", "-o", "belegliste.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "wrote belegliste.csv",
        f"error: no figures from data with errors: {OTHER} (1 error); fix them (see "
        "`regiotwin check`), or add --draft for a draft marked as such"]
    lines = (booked / "belegliste.csv").read_text("utf-8").splitlines()
    assert lines[0] == f"\ufeffUNVOLLSTÄNDIG — nicht enthalten: {OTHER} (1 Fehler)"
    assert lines[1].startswith("Partnerschaft;Nr.;Datum;") and lines[2].startswith(f"{PAIR};")
    assert len(lines) == 3
    calendar = Calendar.from_ical(run("export", "calendar").stdout_bytes)
    assert str(calendar["X-WR-CALNAME"]) == (
        f"RegioTwin (UNVOLLSTÄNDIG — nicht enthalten: {OTHER} (1 Fehler))")
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")][0] == (
        "Jour fixe (Stadt A – Stadt B)")  # the entries it holds are right as they are

    # a draft that still cannot hold a pair without a readable partnership.yaml says both
    (booked / "partnerships" / OTHER / "partnership.yaml").write_text("id: [\n")
    shutil.copy(booked / EXPENSE, booked / COPY)
    draft = run("export", "expenses", "--draft", "--format", "rfc4180")
    assert draft.exit_code == 1
    assert draft.stdout.splitlines()[:3] == [
        "ENTWURF — die Daten enthalten 4 Fehler",
        f"UNVOLLSTÄNDIG — nicht enthalten: {OTHER} (2 Fehler)",
        "Partnerschaft,Nr.,Datum,Partner,Kategorie,Zahlungsempfänger,Zweck,Berechnung,"
        "Betrag (EUR),davon Eigenmittel (EUR),Beleg,Storniert am,Stornogrund"]
    calendar = Calendar.from_ical(run("export", "calendar", "--draft").stdout_bytes)
    assert str(calendar["X-WR-CALNAME"]) == (
        "RegioTwin (ENTWURF — die Daten enthalten 4 Fehler; UNVOLLSTÄNDIG — nicht enthalten: "
        f"{OTHER} (2 Fehler))")
    # complete again: no such line
    shutil.rmtree(booked / "partnerships" / OTHER)
    (booked / COPY).unlink()
    clean = run("export", "expenses", "--format", "rfc4180")
    assert (clean.exit_code, clean.stdout.splitlines()[0]) == (0, (
        "Partnerschaft,Nr.,Datum,Partner,Kategorie,Zahlungsempfänger,Zweck,Berechnung,"
        "Betrag (EUR),davon Eigenmittel (EUR),Beleg,Storniert am,Stornogrund"))


def test_an_error_in_a_shared_file_concerns_every_pair(
    booked: Path, run: Callable[..., Result]
) -> None:
    (booked / "regiotwin.yaml").write_text("name: RegioTwin\ngrant_cap: -100.00\n")
    result = run("budget", "status")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "regiotwin.yaml:2: error: grant_cap: -100.00 is negative; it must be 0 or more")


def test_a_draft_needs_a_readable_partnership(booked: Path, run: Callable[..., Result]) -> None:
    (booked / P / "partnership.yaml").write_text(PARTNERSHIP.replace("title:", "titel:"))
    result = run("report", "render", "budget", "--draft")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-1] == (
        f"error: no figures from data with errors: {PAIR} (2 errors); its partnership.yaml is "
        "invalid, so not even a draft can be made")


def test_screen_through_the_library(booked: Path, run: Callable[..., Result]) -> None:
    run("partnership", "new", "--partner", "Stadt C", "--partner", "Stadt D", "--topic", "x",
        "--start", "2016-07-01")
    shutil.copy(booked / EXPENSE, booked / COPY)
    repo, findings = load_repository(booked)
    screening = screen(repo, findings, [PAIR, OTHER])
    assert (screening.valid, screening.invalid) == ([OTHER], [PAIR])
    assert screening.shown(draft=False) == [OTHER]
    assert screening.shown(draft=True) == [PAIR, OTHER]
    assert screening.error_count([PAIR]) == 4 and screening.error_count([OTHER]) == 0
    assert {f.code for f in screening.error_findings()} == {
        "duplicate-id", "id-mismatch", "receipt-no-duplicate", "receipt-shared"}


def test_a_figure_is_screened_for_errors_alone(booked: Path, run: Callable[..., Result]) -> None:
    """Issue #16: budget status and the exports need no list of missing receipts; screened
    without warnings, every pair has the same errors, and no warning is made."""
    shutil.copy(booked / EXPENSE, booked / COPY)
    (booked / P / "expenses" / "2016-08-02-stadt-b-druck.yaml").write_text(
        "id: 2016-08-02-stadt-b-druck\nreceipt_no: 1\ndate: 2016-08-02\npartner: stadt-b\n"
        "category: project\namount: 20.00\ndescription: Druck\n", encoding="utf-8")
    repo, findings = load_repository(booked)
    full = screen(repo, findings, [PAIR])
    errors_only = screen(repo, findings, [PAIR], warnings=False)
    assert full.errors == errors_only.errors and full.errors[PAIR]
    assert [f.code for f in full.warnings[PAIR]] == ["receipt-none"]
    assert errors_only.warnings[PAIR] == []
    with pytest.raises(AssertionError):
        errors_only.unmet(PAIR, dt.date(2017, 6, 30))
