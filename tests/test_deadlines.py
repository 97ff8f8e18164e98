"""Reporting deadlines as data (issue #13): the rules in regiotwin.yaml, one function that
computes them, `check` warnings, `deadline list` / `deadline done`, `status` and the calendar."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from icalendar import Calendar

from regiotwin.deadlines import Deadline, next_deadline, pair_deadlines
from regiotwin.models import Partnership, Programme
from regiotwin.validation import validated
from tests.conftest import PAIR, PARTNERSHIP, copy_example

EXAMPLE = "landkreis-teltow-flaeming--landkreis-giessen"
SHIP_FILE = f"partnerships/{PAIR}/partnership.yaml"


def ship(start: str = "2016-07-01", end: str = "2017-06-30", **extra: object) -> Partnership:
    partners = [{"id": "stadt-a", "name": "Stadt A"}, {"id": "stadt-b", "name": "Stadt B"}]
    return validated(Partnership, {"id": PAIR, "title": "A – B", "topic": "x", "start": start,
                                       "end": end, "partners": partners, **extra})


def dues(deadlines: list[Deadline]) -> list[tuple[str, dt.date]]:
    return [(d.id, d.due) for d in deadlines]


# --- the rules, through the core ---------------------------------------------------------------


def test_the_default_rules_are_anbest_p() -> None:
    """Zwischennachweis by 30 April after a year end inside the period; Verwendungsnachweis six
    months after the end."""
    assert dues(pair_deadlines(Programme(), ship())) == [
        ("zwischennachweis-2016", dt.date(2017, 4, 30)),
        ("verwendungsnachweis", dt.date(2017, 12, 30)),
    ]


def test_the_months_are_changeable_and_the_interim_can_be_switched_off() -> None:
    programme = validated(Programme, {"reporting": {"proof_months": 12,
                                                        "interim_months": None}})
    assert dues(pair_deadlines(programme, ship())) == [
        ("verwendungsnachweis", dt.date(2018, 6, 30))]


def test_a_period_inside_one_year_has_no_interim_and_a_long_one_has_two() -> None:
    assert dues(pair_deadlines(Programme(), ship("2016-01-01", "2016-12-31"))) == [
        ("verwendungsnachweis", dt.date(2017, 6, 30))]
    assert [d for d, _ in dues(pair_deadlines(Programme(), ship("2016-07-01", "2018-03-31")))] == [
        "zwischennachweis-2016", "zwischennachweis-2017", "verwendungsnachweis"]


def test_the_months_are_added_to_the_last_day_of_a_month() -> None:
    """31 August + 6 months is the last day of February."""
    assert pair_deadlines(Programme(), ship("2016-09-01", "2017-08-31"))[-1].due == (
        dt.date(2018, 2, 28))


def test_extra_deadlines_of_the_programme_apply_to_every_pair() -> None:
    programme = validated(Programme, {"reporting": {"deadlines": [
        {"id": "ergebnisbroschuere", "date": "2017-08-31",
         "title": "Beitrag zur Ergebnisbroschüre"}]}})
    assert dues(pair_deadlines(programme, ship())) == [
        ("zwischennachweis-2016", dt.date(2017, 4, 30)),
        ("ergebnisbroschuere", dt.date(2017, 8, 31)),
        ("verwendungsnachweis", dt.date(2017, 12, 30)),
    ]


def test_a_submission_counts_from_its_day_on() -> None:
    sent = ship(submitted=[{"deadline": "zwischennachweis-2016", "date": "2017-04-20"}])
    interim, proof = pair_deadlines(Programme(), sent)
    assert interim.state(dt.date(2017, 4, 19)) == "due"
    assert interim.state(dt.date(2017, 4, 20)) == "sent"
    assert proof.state(dt.date(2017, 4, 20)) == "open"
    assert proof.state(dt.date(2017, 11, 30)) == "due"  # 30 days ahead
    assert proof.state(dt.date(2017, 11, 29)) == "open"
    assert proof.state(dt.date(2017, 12, 31)) == "passed"
    assert next_deadline([interim, proof], dt.date(2017, 4, 19)) is interim
    assert next_deadline([interim, proof], dt.date(2017, 4, 20)) is proof


# --- check, through the CLI -------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    return root


def test_the_example_is_clean_today_and_warned_before_its_proof_was_sent(
    example: Path, run: Callable[..., Result]
) -> None:
    assert run("check", "--strict").exit_code == 0
    result = run("check", "--as-of", "2017-11-20")
    assert (result.exit_code, result.stderr) == (0, "1 warning in 33 files\n")
    assert result.stdout == (
        f"partnerships/{EXAMPLE}/partnership.yaml:5: warning: the Verwendungsnachweis is due on "
        "14.12.2017, in 24 days; once it is sent: `regiotwin deadline done verwendungsnachweis "
        f"--pair {EXAMPLE}`\n")
    assert run("check", "--strict", "--as-of", "2017-11-20").exit_code == 1
    data = json.loads(run("check", "--json", "--as-of", "2017-11-20").stdout)
    assert [f["code"] for f in data["findings"]] == ["deadline-due"]


def test_the_example_calendar_holds_the_deadline(example: Path, run: Callable[..., Result]) -> None:
    cal = Calendar.from_ical(run("export", "calendar").stdout_bytes)
    entry = next(e for e in cal.walk("VEVENT")
                 if str(e["UID"]) == f"{EXAMPLE}-deadline-verwendungsnachweis@regiotwin")
    assert entry.decoded("DTSTART") == dt.date(2017, 12, 14)
    assert str(entry["TRANSP"]) == "TRANSPARENT"
    assert str(entry["SUMMARY"]).startswith(
        "Frist: Verwendungsnachweis (eingereicht am 08.12.2017)")


def test_a_passed_deadline_is_warned_until_it_is_recorded(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    result = run("check", "--as-of", "2017-05-02", "--json")
    deadline = [f for f in json.loads(result.stdout)["findings"] if f["code"].startswith("deadline")]
    assert deadline == [{
        "path": SHIP_FILE, "line": 5, "severity": "warning", "code": "deadline-passed",
        "message": "the Zwischennachweis 2016 was due on 30.04.2017, 2 days ago, and is not "
                   "recorded as sent; once it is sent: `regiotwin deadline done "
                   f"zwischennachweis-2016 --pair {PAIR}`"}]
    before = (root / SHIP_FILE).read_text(encoding="utf-8")
    done = run("deadline", "done", "zwischennachweis-2016", "--date", "2017-05-02")
    assert (done.exit_code, done.stdout) == (0, f"{PAIR}: zwischennachweis-2016 sent on "
                                                "2017-05-02\n")
    assert (root / SHIP_FILE).read_text(encoding="utf-8") == before + (
        "submitted:\n- deadline: zwischennachweis-2016\n  date: 2017-05-02\n")
    assert "deadline" not in run("check", "--as-of", "2017-05-02").stdout
    # as of a day before it was sent, it was still open
    assert "deadline-passed" in run("check", "--as-of", "2017-05-01", "--json").stdout


def test_deadline_done_refuses_an_unknown_deadline_and_undoes(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    unknown = run("deadline", "done", "verwendungsnachweis-2017")
    assert (unknown.exit_code, unknown.stderr) == (
        1, f"error: no deadline 'verwendungsnachweis-2017' for {PAIR}; its deadlines: "
           "zwischennachweis-2016, verwendungsnachweis\n")
    assert run("deadline", "done", "verwendungsnachweis", "--date", "2017-12-01").exit_code == 0
    undo = run("deadline", "done", "verwendungsnachweis", "--undo")
    assert (undo.exit_code, undo.stdout) == (
        0, f"{PAIR}: verwendungsnachweis no longer recorded as sent\n")
    both = run("deadline", "done", "verwendungsnachweis", "--undo", "--date", "2017-12-01")
    assert (both.exit_code, both.stderr) == (
        2, "error: --undo removes the record of the day it was sent; leave out --date\n")
    again = run("deadline", "done", "verwendungsnachweis", "--undo")
    assert (again.exit_code, again.stderr) == (
        1, "error: verwendungsnachweis is not recorded as sent; nothing to undo\n")


def test_a_submission_of_an_unknown_deadline_is_an_error(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({SHIP_FILE: PARTNERSHIP + "submitted:\n- deadline: schlussbericht\n  date: 2017-07-01\n"})
    result = run("check")
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "error" in line] == [
        f"{SHIP_FILE}:21: error: no deadline 'schlussbericht' for this pair; its deadlines: "
        "zwischennachweis-2016, verwendungsnachweis"]


def test_deadline_list_and_status_show_the_next_deadline(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo()
    monkeypatch.setenv("COLUMNS", "120")
    listed = json.loads(run("deadline", "list", "--as-of", "2017-04-10", "--json").stdout)
    assert listed == [
        {"pair": PAIR, "id": "zwischennachweis-2016", "title": "Zwischennachweis 2016",
         "due": "2017-04-30", "submitted": None, "state": "due", "days_left": 20},
        {"pair": PAIR, "id": "verwendungsnachweis", "title": "Verwendungsnachweis",
         "due": "2017-12-30", "submitted": None, "state": "open", "days_left": 264},
    ]
    table = run("status", "--as-of", "2017-04-10").stdout.splitlines()
    assert table[2].endswith(" zwischennachweis-2016 ")
    assert table[3].endswith(" 2017-04-30, in 20 d   ")
    late = run("status", "--as-of", "2017-05-03").stdout.splitlines()
    assert late[3].endswith(" 2017-04-30, 3 d overdue ")
    monkeypatch.setenv("COLUMNS", "80")  # one block per pair, the deadline in words
    late = run("status", "--as-of", "2017-05-03").stdout.splitlines()
    assert late[-1] == "next deadline      zwischennachweis-2016 2017-04-30 (3 days overdue)"


def test_the_status_report_lists_the_deadlines(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    run("deadline", "done", "zwischennachweis-2016", "--date", "2017-04-28")
    text = run("report", "render", "status", "--as-of", "2017-12-10").stdout
    assert ("| Zwischennachweis 2016 | 30.04.2017 | 4 Monate nach dem Jahresende 31.12.2016 | "
            "eingereicht am 28.04.2017 |") in text
    assert ("| Verwendungsnachweis | 30.12.2017 | 6 Monate nach dem Ende der Laufzeit am "
            "30.06.2017 | **fällig in 20 Tagen** |") in text
    assert "- Der Verwendungsnachweis ist am 30.12.2017 fällig, in 20 Tagen." in text
