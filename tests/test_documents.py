"""Documents a council and the Projektträger accept (issue #13): the as-of rule, the council
paper, user Markdown inside documents, the free texts, the Verwendungsnachweis, `report render
--all`, the calendar, and the one screening every document comes from."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt

from regiotwin.asof import action_done, action_overdue, as_of_for, measure_status
from regiotwin.budget import PlanLine, derived_plan
from regiotwin.models import ActionItem, Measure, Partnership
from regiotwin.reports import md_block
from regiotwin.validation import validated
from tests.conftest import PAIR, copy_example
from tests.test_reports import assert_valid_mermaid, mermaid_blocks, table_shapes

P = f"partnerships/{PAIR}"
EXAMPLE = "landkreis-teltow-flaeming--landkreis-giessen"
E = f"partnerships/{EXAMPLE}"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CHECKS = Path(__file__).resolve().parent.parent / "regiotwin" / "checks.py"


def render(run: Callable[..., Result], *args: str) -> str:
    result = run("report", "render", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def headings(text: str) -> list[tuple[str, str]]:
    """(tag, text) of every heading, as a Markdown parser sees them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens)
            if t.type == "heading_open"]


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    return root


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# --- one as-of rule ---------------------------------------------------------------------------


def test_final_is_as_of_the_end_of_the_period(example: Path, run: Callable[..., Result]) -> None:
    """Rendered today, the 2016/17 final report says Stand 14.06.2017; an action due after that
    date is open, not overdue; a meeting after the end is not counted."""
    append(example / E / "meetings/2017-06-07-abschlussworkshop.yaml",
           "actions:\n- what: Bericht an den Kreistag\n  due: 2017-06-30\n")
    assert run("meeting", "add", "--date", "2017-06-20", "--title", "Nachtreffen").exit_code == 0
    text = render(run, "final")
    assert "Stand 14.06.2017." in text
    assert ("| 07.06.2017 Abschlussworkshop | 1 | Bericht an den Kreistag |  | 30.06.2017 | offen |"
            in text)
    assert "überfällig" not in text
    assert ("Insgesamt fanden 16 Termine statt: 6 Telefonkonferenzen, 4 Jours fixes, "
            "3 Workshops, 2 Vernetzungsveranstaltungen des Programms und 1 Exkursion.") in text
    assert "| 20.06.2017" not in text  # listed only as the warning that it lies outside
    assert "Stand 14.06.2017" in render(run, "proof")


def test_final_and_proof_of_a_running_year_are_as_of_today() -> None:
    ship = validated(Partnership, {
        "id": PAIR, "title": "x", "topic": "x", "start": "2026-01-01", "end": "2026-12-31",
        "partners": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]})
    today = dt.date(2026, 11, 26)
    assert as_of_for("final", ship, None, today) == today
    assert as_of_for("proof", ship, None, dt.date(2027, 3, 1)) == dt.date(2026, 12, 31)
    assert as_of_for("status", ship, None, dt.date(2027, 3, 1)) == dt.date(2027, 3, 1)
    assert as_of_for("final", ship, dt.date(2026, 5, 1), today) == dt.date(2026, 5, 1)


def test_status_as_of_a_past_date_leaves_out_later_meetings_and_decisions(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt",
        "--action", "Entwurf @stadt-a due 2016-07-20")
    run("meeting", "add", "--date", "2016-09-05", "--title", "Später",
        "--action", "Später zu tun @stadt-b due 2016-09-20")
    run("decision", "add", "--partner", "stadt-a", "--body", "Stadtrat", "--date", "2016-09-15",
        "--title", "Beschluss im September", "--status", "passed")
    row = json.loads(run("status", "--as-of", "2016-08-01", "--json").stdout)[0]
    assert (row["meetings_held"], row["open_actions"], row["overdue_actions"]) == (1, 1, 1)
    text = render(run, "status", "--as-of", "2016-08-01")
    assert "Später zu tun" not in text and "Beschluss im September" not in text
    assert "Stand 01.08.2016" in text
    later = render(run, "status", "--as-of", "2016-10-01")
    assert "Später zu tun" in later and "Beschluss im September" in later


def test_measures_stand_as_they_did_on_the_as_of_date(
    example: Path, run: Callable[..., Result]
) -> None:
    """A measure that starts after the as-of date is planned then, a done one is in progress
    until its due date, whatever the status now; the document says how it knows (issue #13)."""
    council = render(run, "council", "--partner", "landkreis-teltow-flaeming", "--as-of",
                     "2016-06-13")
    assert ("- Energiecontrolling für kreiseigene Liegenschaften (geplant, fällig 31.03.2017)\n"
            "- Energiesparmodell an Schulen nach Gießener Vorbild (geplant, fällig 14.06.2017): "
            "**Beschluss erforderlich**\n"
            "- Gemeinsame Kampagne Energiesparen im Haushalt (geplant, fällig 14.06.2017)\n"
            ) in council
    assert "(erledigt" not in council
    status = render(run, "status", "--as-of", "2016-12-01")
    assert ("| Energiecontrolling für kreiseigene Liegenschaften | Landkreis Teltow-Fläming | "
            "in Arbeit | 01.07.2016 | 31.03.2017 |") in status
    assert ("| Gemeinsame Kampagne Energiesparen im Haushalt | Landkreis Teltow-Fläming, Landkreis "
            "Gießen | geplant | 01.02.2017 | 14.06.2017 |") in status
    gantt = next(b for b in mermaid_blocks(status) if b[0] == "gantt")
    assert "    Energiecontrolling für kreiseigene Liegenschaften :active, m1, 2016-07-01, 2017-03-31" in gantt
    assert "    Gemeinsame Kampagne Energiesparen im Haushalt :m3, 2017-02-01, 2017-06-14" in gantt
    assert ("Der Stand der Maßnahmen am 01.12.2016 ist aus Beginn und Fälligkeit abgeleitet, "
            "da nur der aktuelle Stand erfasst ist: eine Maßnahme vor ihrem Beginn gilt als "
            "geplant, eine inzwischen erledigte bis zu ihrer Fälligkeit als in Arbeit.") in status
    final = render(run, "final")  # as of the end: the statuses as recorded, no note
    assert "| erledigt | 01.07.2016 | 31.03.2017 |" in final
    assert "aus Beginn und Fälligkeit abgeleitet" not in final


def test_an_action_item_is_done_from_the_day_it_was_marked_done(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """`meeting done` records the day (`done_on`, `--date`, `--undo` clears it); reports and
    `check` count the item as done only from that day on (issue #13)."""
    root = repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt",
        "--action", "Entwurf @stadt-a due 2016-07-20")
    meeting = root / P / "meetings/2016-07-05-auftakt.yaml"
    done = run("meeting", "done", "2016-07-05", "1", "--date", "2016-07-28")
    assert (done.exit_code, done.stdout) == (
        0, "2016-07-05-auftakt: action item 1 (Entwurf) is done (on 2016-07-28)\n")
    assert "  done: true\n  done_on: 2016-07-28\n" in meeting.read_text(encoding="utf-8")
    assert json.loads(run("status", "--as-of", "2016-07-25", "--json").stdout)[0][
        "overdue_actions"] == 1
    assert "was due on 2016-07-20 and is still open" in run("check", "--as-of",
                                                            "2016-07-25").stdout
    assert "1 Aufgabe ist offen und überfällig." in render(run, "status", "--as-of", "2016-07-25")
    assert "Es gibt keine offenen Aufgaben." in render(run, "status", "--as-of", "2016-07-28")
    assert run("check", "--as-of", "2016-07-28").stdout == ""
    undone = run("meeting", "done", "2016-07-05", "1", "--undo")
    assert (undone.exit_code, undone.stdout) == (
        0, "2016-07-05-auftakt: action item 1 (Entwurf) is open\n")
    assert "  done: false\n" in meeting.read_text(encoding="utf-8")
    assert "done_on" not in meeting.read_text(encoding="utf-8")
    today = run("meeting", "done", "2016-07-05", "1")
    assert f"done_on: {dt.date.today().isoformat()}\n" in meeting.read_text(encoding="utf-8")
    assert today.stdout.endswith(f"is done (on {dt.date.today().isoformat()})\n")
    early = run("meeting", "done", "2016-07-05", "1", "--date", "2016-07-04")
    assert (early.exit_code, early.stderr) == (1, (
        "error: --date 2016-07-04 is before the meeting (2016-07-05) that gave the task\n"))
    again = run("meeting", "done", "2016-07-05", "1", "--date", "2016-07-28")
    assert again.stdout.endswith("is done (on 2016-07-28)\n")
    kept = run("meeting", "done", "2016-07-05", "1")  # done already: its day stays
    assert kept.stdout.endswith("is done (on 2016-07-28)\n")
    both = run("meeting", "done", "2016-07-05", "1", "--undo", "--date", "2016-07-28")
    assert both.exit_code == 2
    future = run("meeting", "done", "2016-07-05", "1", "--date", "2999-01-01")
    assert (future.exit_code, future.stderr) == (
        1, "error: --date 2999-01-01 is in the future; mark the item done when it is\n")


def test_an_action_item_done_without_a_date_counts_as_done_at_any_date(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Files written before `done_on` existed keep `done: true`, and their items count done."""
    root = repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt",
        "--action", "Entwurf @stadt-a due 2016-07-20")
    meeting = root / P / "meetings/2016-07-05-auftakt.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "  done: false\n", "  done: true\n"), encoding="utf-8")
    assert run("check", "--strict", "--as-of", "2016-07-25").exit_code == 0
    row = json.loads(run("status", "--as-of", "2016-07-06", "--json").stdout)[0]
    assert row["open_actions"] == 0
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "  done: true\n", "  done: false\n  done_on: 2016-07-10\n"), encoding="utf-8")
    bad = run("check", "--as-of", "2016-07-06")
    assert (bad.exit_code, bad.stdout) == (1, (
        f"{P}/meetings/2016-07-05-auftakt.yaml:10: error: actions[0].done_on: a day done while "
        "done is false; set done: true, or remove done_on\n"))


def test_the_example_counts_its_first_task_open_before_it_was_done(
    example: Path, run: Callable[..., Result]
) -> None:
    text = render(run, "status", "--as-of", "2016-07-01")
    assert "1 Aufgabe ist offen, keine ist überfällig." in text
    assert ("| 15.06.2016 Auftaktworkshop Regio-Twinning | 1 | Entwurf des Arbeitsplans erstellen "
            "| Erika Beispiel (Landkreis Teltow-Fläming) | 15.07.2016 | offen |") in text


PERIOD = validated(Partnership, {
    "id": PAIR, "title": "x", "topic": "x", "start": "2016-07-01", "end": "2017-06-30",
    "partners": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]})
DAYS = st.dates(dt.date(2016, 5, 1), dt.date(2017, 9, 1))


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from(["planned", "in-progress", "done", "dropped"]),
       start=st.none() | DAYS, length=st.none() | st.integers(0, 400), as_of=DAYS, later=DAYS)
def test_a_measure_stands_no_further_than_its_dates_allow(
    status: str, start: dt.date | None, length: int | None, as_of: dt.date, later: dt.date
) -> None:
    due = None if length is None else (start or PERIOD.start) + dt.timedelta(days=length)
    measure = Measure(id="m", title="x", owners=["a"], status=status, start=start, due=due)
    shown = measure_status(measure, PERIOD, as_of)
    if as_of < (start or PERIOD.start):
        assert shown == "planned"  # not started: planned, whatever it is now
    if as_of < (due or PERIOD.end):
        assert shown != "done"  # nothing is done before it is due, as far as we know
    if as_of >= (start or PERIOD.start) and as_of >= (due or PERIOD.end):
        assert shown == status  # once both dates have passed, as recorded
    order = ["planned", "in-progress", "done"]
    if as_of <= later and status in order:  # a later day never stands further back
        assert order.index(measure_status(measure, PERIOD, later)) >= order.index(shown)


@given(done_on=st.none() | DAYS, as_of=DAYS)
def test_an_action_item_is_done_from_its_day_on(done_on: dt.date | None, as_of: dt.date) -> None:
    item = ActionItem(what="x", due=dt.date(2016, 8, 1), done=True, done_on=done_on)
    assert action_done(item, as_of) == (done_on is None or done_on <= as_of)
    assert not action_done(ActionItem(what="x"), as_of)
    assert action_overdue(item, as_of) == (not action_done(item, as_of)
                                           and as_of > dt.date(2016, 8, 1))


def test_the_report_help_states_the_defaults(run: Callable[..., Result]) -> None:
    text = " ".join(run("report", "render", "--help").stdout.split())
    assert "`final`, `proof` and `council`: the end of the period, or today while it runs" in text


# --- the council paper -------------------------------------------------------------------------


def test_the_council_paper_has_what_the_seed_has(
    example: Path, run: Callable[..., Result]
) -> None:
    text = render(run, "council", "--partner", "Landkreis Teltow-Fläming", "--as-of",
                  "2016-06-13", "--meeting-date", "2016-06-27", "--number", "5-2786/16-III",
                  "--signed-by", "Wehlan", "--signed-as", "Die Landrätin")
    head = text.split("## Sachverhalt")[0]
    assert head == (
        "# Landkreis Teltow-Fläming\n\n"
        "Die Landrätin\n\n"
        "**Informationsvorlage** Nr. 5-2786/16-III\n\n"
        "für die öffentliche Sitzung\n\n"
        "| Beratungsfolge | Sitzung |\n|---|---|\n| Kreistag | 27.06.2016 |\n\n"
        "**Betr.:** Regio-Twinning mit dem Landkreis Gießen\n\n"
        "Luckenwalde, den 13. Juni 2016\n\n"
        "Wehlan\n\n")
    assert ("## Anlage\n\n- Kooperationsvereinbarung für das Regionen-Twinning mit dem "
            "Landkreis Gießen\n") in text
    assert "Kooperationsvereinbarung wird am 15.06.2016 unterzeichnet" in text
    assert ("Der Landkreis Teltow-Fläming wird vom 15.06.2016 bis zum 14.06.2017 im Programm "
            "RegioTwin mit dem Landkreis Gießen zum Thema „Energiesparen und Klimaschutz“ "
            "zusammenarbeiten; die auf ein Jahr befristete Kooperationsvereinbarung wird am "
            "15.06.2016 unterzeichnet.") in text
    assert "\nBisher fand noch kein Termin statt.\n" in text


def test_the_council_paper_is_dated_by_its_as_of_date_and_warns_of_a_past_session(
    example: Path, run: Callable[..., Result]
) -> None:
    """Rendered today for a year that has ended, the paper is dated at the end of the period,
    in the present perfect; a Sitzung before the paper's date is warned about (issue #13)."""
    result = run("report", "render", "council", "--meeting-date", "2016-06-27")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: the session on 2016-06-27 (--meeting-date) is before the paper's date "
        "2017-06-14; give the paper's date with --as-of\n")
    text = result.stdout
    assert "Luckenwalde, den 14. Juni 2017\n" in text
    assert ("Der Landkreis Teltow-Fläming hat vom 15.06.2016 bis zum 14.06.2017 im "
            "Programm RegioTwin mit dem Landkreis Gießen") in text
    assert ("Insgesamt fanden 16 Termine statt: 6 Telefonkonferenzen, 4 Jours fixes, "
            "3 Workshops, 2 Vernetzungsveranstaltungen des Programms und 1 Exkursion.") in text
    running = run("report", "render", "council", "--as-of", "2017-06-13").stdout
    assert ("Der Landkreis Teltow-Fläming arbeitet vom 15.06.2016 bis zum 14.06.2017 im "
            "Programm RegioTwin mit dem Landkreis Gießen") in running
    assert "\nBis zum 13.06.2017 fanden 16 Termine statt: " in running
    later = run("report", "render", "council", "--as-of", "2026-11-26")
    assert (later.exit_code, later.stderr) == (0, "")
    assert ("Der Landkreis Teltow-Fläming hat vom 15.06.2016 bis zum 14.06.2017 im Programm "
            "RegioTwin mit dem Landkreis Gießen zum Thema „Energiesparen und Klimaschutz“ "
            "zusammengearbeitet") in later.stdout
    assert ("Der Landkreis Gießen brachte Umsetzungserfahrung in diesem Bereich ein; der "
            "Landkreis Teltow-Fläming baute die eigenen Aktivitäten aus.") in later.stdout
    assert "\nInsgesamt fanden 16 Termine statt: 6 Telefonkonferenzen," in later.stdout
    every = run("report", "render", "--all", "council", "--meeting-date", "2016-06-27")
    assert every.stderr.count(": the session on 2016-06-27 (--meeting-date) is before") == 2
    assert f"warning: {EXAMPLE}/council/landkreis-giessen.md: the session" in every.stderr


@pytest.mark.parametrize(("as_of", "sentence"), [
    ("2016-06-13", "Bisher fand noch kein Termin statt."),
    ("2016-06-20", "Bis zum 20.06.2016 fand ein Workshop statt."),
    ("2016-07-01", "Bis zum 01.07.2016 fanden 2 Termine statt: 1 Workshop und 1 "
                   "Telefonkonferenz."),
    ("2016-12-01", "Bis zum 01.12.2016 fanden 8 Termine statt: 3 Telefonkonferenzen, 2 Workshops, "
                   "1 Jour fixe, 1 Exkursion und 1 Vernetzungsveranstaltung des Programms."),
])
def test_the_meetings_held_are_named_by_kind(
    example: Path, run: Callable[..., Result], as_of: str, sentence: str
) -> None:
    """Only the kinds that took place, counted, singular and plural from the vocabulary."""
    council = render(run, "council", "--as-of", as_of)
    assert f"\n{sentence}\n" in council
    assert f"\n{sentence}\n" in render(run, "status", "--as-of", as_of)
    assert "Jour fixe, Telefonkonferenzen, Workshops" not in council


def test_zero_reads_as_a_sentence(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    """No '0 Termine', '0 von 0 Aufgaben', '0 offen, davon 0 überfällig', and no bare 'Keine.'
    after a sentence that already says so."""
    repo()
    final = render(run, "final", "--as-of", "2016-08-01")
    assert "\n## Zusammenarbeit im Jahresverlauf\n\nBisher fand noch kein Termin statt.\n\n## " in final
    assert "\n## Aufgaben\n\nBisher wurden keine Aufgaben vereinbart.\n\n## " in final
    status = render(run, "status", "--as-of", "2016-08-01")
    assert "\n## Termine\n\nBisher fand noch kein Termin statt.\n\n## " in status
    assert "\n## Offene Aufgaben\n\nEs gibt keine offenen Aufgaben.\n\n## " in status
    proof = render(run, "proof", "--as-of", "2016-08-01")
    assert ("Die Stadt A und die Stadt B arbeiten vom 01.07.2016 bis zum 30.06.2017 zum Thema "
            "„Wärmewende“ zusammen. Bisher fand noch kein Termin statt.\n") in proof
    before = render(run, "proof", "--as-of", "2016-06-01")
    assert "Die Stadt A und die Stadt B werden vom 01.07.2016 bis zum 30.06.2017" in before
    due_today = render(run, "status", "--as-of", "2017-12-30")
    assert "| Verwendungsnachweis | 30.12.2017 | 6 Monate nach dem Ende der Laufzeit am 30.06.2017 | **heute fällig** |" in due_today
    for text in (final, status, proof):
        assert not re.search(r"\b0 (Termine|Aufgaben|offen|Veranstaltungen)", text)
        assert "Keine.\n" not in text.split("## Offene Pflichten")[0]
    run("meeting", "add", "--date", "2016-07-05", "--action", "A @stadt-a",
        "--action", "B @stadt-b")
    run("meeting", "done", "2016-07-05", "1", "--date", "2016-07-06")
    run("meeting", "done", "2016-07-05", "2", "--date", "2016-07-06")
    done = render(run, "final", "--as-of", "2016-08-01")
    assert "\n## Aufgaben\n\nAlle 2 Aufgaben sind erledigt.\n\n## " in done
    run("meeting", "done", "2016-07-05", "2", "--undo")
    half = render(run, "final", "--as-of", "2016-08-01")
    assert "\n1 von 2 Aufgaben ist erledigt; offen ist noch:\n\n| Sitzung |" in half


def test_the_council_session_is_never_today_unasked(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    text = render(run, "council", "--as-of", "2016-08-01", "--place", "A-Stadt")
    assert "| Stadtverordnetenversammlung | noch offen |" in text
    assert "**Informationsvorlage** Nr. ……………\n" in text
    assert "A-Stadt, den 1. August 2016\n\n……………………………… (Unterschrift)\n" in text


# --- user Markdown inside documents ----------------------------------------------------------


def test_headings_in_minutes_stay_below_their_section(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    minutes = ("# Protokoll\n\nText\n\n## Punkt 1\n\nMehr\n\nUnterstrichen\n=============\n\n"
               "```\n# kein Titel\n```\n")
    repo({"protokoll.md": minutes})
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt",
        "--minutes-file", "protokoll.md")
    text = render(run, "minutes")
    assert headings(text) == [
        ("h1", "Protokoll: Auftakt"), ("h2", "Teilnehmende"), ("h2", "Tagesordnung"),
        ("h2", "Verlauf"), ("h3", "Protokoll"), ("h4", "Punkt 1"), ("h3", "Unterstrichen"),
        ("h2", "Beschlüsse und Vereinbarungen"), ("h2", "Aufgaben")]
    assert "```\n# kein Titel\n```" in text


def test_measures_without_dates_are_listed_beside_the_gantt(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    run("measure", "add", "--title", "Ohne Termin", "--owner", "stadt-a")
    run("measure", "add", "--title", "Nur fällig", "--owner", "stadt-a", "--due", "2017-03-31")
    run("measure", "add", "--title", "Mit Plan", "--owner", "stadt-b", "--start", "2016-09-01",
        "--due", "2016-12-31")
    text = render(run, "status", "--as-of", "2016-10-01")
    gantt = next(b for b in mermaid_blocks(text) if b[0] == "gantt")
    assert_valid_mermaid(gantt)
    assert "    Mit Plan :m3, 2016-09-01, 2016-12-31" in gantt
    assert "    Nur fällig (fällig) :milestone, m1, 2017-03-31, 0d" in gantt
    assert not any("Ohne Termin" in line for line in gantt)
    assert "Ohne Termine geplant (nicht im Diagramm): Ohne Termin." in text


# --- the final report's free texts ----------------------------------------------------------


def test_the_final_report_takes_the_free_texts_and_names_the_missing(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{P}/texts/ergebnisse.md": "# Was erreicht wurde\n\nDrei Schulen <b>sparen</b>.\n",
                 f"{P}/texts/ausblick.md": "Es geht weiter.\n"})
    text = render(run, "final")
    assert "## Ergebnisse\n\n### Was erreicht wurde\n\nDrei Schulen &lt;b&gt;sparen&lt;/b&gt;.\n" in text
    assert ("## Erfahrungen\n\n*Noch nicht verfasst* (`texts/erfahrungen.md` im Ordner der "
            "Partnerschaft).\n") in text
    assert "## Ausblick\n\nEs geht weiter.\n" in text
    assert [h for h in headings(text) if h[0] == "h1"] == [("h1", "Abschlussbericht: Stadt A – Stadt B")]
    proof = render(run, "proof")
    assert "### Ergebnisse\n\n#### Was erreicht wurde\n" in proof
    assert run("check", "--strict", "--as-of", "2016-07-02").exit_code == 0
    (root / P / "texts" / "ergebnis.md").write_text("Tippfehler\n", encoding="utf-8")
    (root / P / "texts" / "erfahrungen.md").write_bytes("Gie\xdfen\n".encode("latin-1"))
    result = run("check", "--as-of", "2016-07-02")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{P}/texts/erfahrungen.md: error: cannot be used in a report: not UTF-8 text; save it "
        "as UTF-8",
        f"{P}/texts/ergebnis.md: warning: no report uses texts/ergebnis.md; the final report "
        "reads ergebnisse.md, erfahrungen.md, ausblick.md",
    ]


# --- the Verwendungsnachweis -------------------------------------------------------------------


def test_the_example_proof_has_soll_and_ist_and_flags_a_line_over_plan(
    example: Path, run: Callable[..., Result]
) -> None:
    text = render(run, "proof")
    assert text.startswith("# Verwendungsnachweis: Regio-Twinning Landkreis Teltow-Fläming – "
                           "Landkreis Gießen\n")
    assert ("| Kostenart | SOLL | IST | Abweichung | Abweichung in % | |\n"
            "|---|---:|---:|---:|---:|---|\n"
            "| Projektkosten | 400,00 € | 239,00 € | −161,00 € | −40,3 % |  |\n"
            "| Reisekosten | 400,00 € | 570,30 € | +170,30 € | +42,6 % | **mehr als 20 % über dem "
            "Ansatz** |\n"
            "| **Summe** | 800,00 € | 809,30 € | +9,30 € | +1,2 % | |\n") in text
    assert "**1 Ansatz ist um mehr als 20 % überschritten.**" in text
    assert "| TF-002 | 14.09.2016 | Landkreis Teltow-Fläming | Reisekosten |" in text
    assert "Sachlich und rechnerisch richtig:\n\nLuckenwalde, den ……………\n" in text
    assert "Sachlich und rechnerisch richtig:\n\nGießen, den ……………\n" in text
    assert all(len(set(shape)) == 1 for shape in table_shapes(text))


def test_a_cancelled_expense_is_not_spending_and_a_line_planned_at_nothing_is_flagged(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    ship = root / P / "partnership.yaml"
    ship.write_text(ship.read_text(encoding="utf-8").replace(
        "  role: advisor\n", "  role: advisor\n  cost_plan:\n    project: 100.00\n"),
        encoding="utf-8")
    run("expense", "add", "--partner", "stadt-a", "--date", "2016-07-05", "--amount", "120",
        "--category", "project", "--description", "Saal")
    run("expense", "add", "--partner", "stadt-a", "--date", "2016-07-06", "--amount", "500",
        "--category", "project", "--description", "Irrtum")
    append(root / P / "expenses/2016-07-06-stadt-a-irrtum.yaml",
           "cancelled:\n  date: 2016-07-07\n  reason: doppelt gebucht\n")
    run("expense", "add", "--partner", "stadt-a", "--date", "2016-07-08", "--amount", "10",
        "--category", "travel", "--description", "Bus")
    text = render(run, "proof")
    assert ("| Projektkosten | 100,00 € | 120,00 € | +20,00 € | +20,0 % |  |\n"
            "| Reisekosten | 0,00 € | 10,00 € | +10,00 € |  | **mehr als 20 % über dem Ansatz** |\n"
            ) in text
    assert "(**storniert** am 07.07.2016: doppelt gebucht) | (500,00 €)" in text


@pytest.mark.parametrize(("planned", "actual", "shown", "flagged"), [
    ("100.00", "120.00", "20.0", False),  # up to 20 % is allowed
    ("100.00", "120.04", "20.04", True),  # flagged: as many places as it takes to read over 20
    ("100.00", "120.01", "20.01", True),
    ("1000.00", "1200.01", "20.001", True),
    ("100.00", "120.05", "20.1", True),  # half up
    ("300.00", "50.00", "-83.3", False),  # half up, not away from zero (−83,333… %)
    ("300.00", "49.85", "-83.4", False),  # −83,383… %
    ("300.00", "282.20", "-5.9", False),  # −5,933… %
    ("0.00", "0.00", None, False),
])
def test_a_plan_line_is_flagged_beyond_twenty_percent_and_never_reads_otherwise(
    planned: str, actual: str, shown: str | None, flagged: bool
) -> None:
    line = PlanLine("travel", Decimal(planned), Decimal(actual))
    assert (line.percent_shown, line.over_plan) == (
        Decimal(shown) if shown else None, flagged)
    if line.percent is not None:  # the flag is the exact rule: actual > plan × 1,2
        assert line.over_plan == (Decimal(actual) > Decimal(planned) * Decimal("1.2"))


@settings(max_examples=300, deadline=None)
@given(planned=st.integers(1, 10**9), actual=st.integers(0, 2 * 10**9))
def test_a_flagged_line_always_reads_more_than_twenty_percent(planned: int, actual: int) -> None:
    line = PlanLine("travel", Decimal(planned) / 100, Decimal(actual) / 100)
    assert line.percent_shown is not None
    assert (line.percent_shown > 20) == line.over_plan
    assert abs(line.percent_shown - line.percent) <= Decimal("0.05")


def test_the_proof_shows_percentages_as_a_reviewer_recomputes_them(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    ship = root / P / "partnership.yaml"
    ship.write_text(ship.read_text(encoding="utf-8").replace(
        "  role: advisor\n", "  role: advisor\n  cost_plan:\n    project: 300.00\n"
        "    travel: 100.00\n"), encoding="utf-8")
    run("expense", "add", "--partner", "stadt-a", "--date", "2016-07-05", "--amount", "50",
        "--category", "project", "--description", "Saal")
    run("expense", "add", "--partner", "stadt-a", "--date", "2016-07-06", "--amount", "120,04",
        "--category", "travel", "--description", "Bahn")
    text = render(run, "proof")
    assert ("| Projektkosten | 300,00 € | 50,00 € | −250,00 € | −83,3 % |  |\n"
            "| Reisekosten | 100,00 € | 120,04 € | +20,04 € | +20,04 % | **mehr als 20 % über dem "
            "Ansatz** |\n"
            "| **Summe** | 400,00 € | 170,04 € | −229,96 € | −57,5 % | |\n") in text


def test_a_derived_plan_shares_each_measure_among_its_owners() -> None:
    ship = validated(Partnership, {
        "id": PAIR, "title": "x", "topic": "x", "start": "2016-07-01",
        "partners": [{"id": "stadt-a", "name": "A"}, {"id": "stadt-b", "name": "B"}]})
    measures = [Measure(id="m1", title="x", owners=["stadt-a", "stadt-b"],
                        planned_cost=Decimal("100.01")),
                Measure(id="m2", title="y", owners=["stadt-b"], planned_cost=Decimal("40"))]
    assert derived_plan(ship, measures, "stadt-a").project == Decimal("50.01")
    assert derived_plan(ship, measures, "stadt-b").project == Decimal("90.00")
    assert derived_plan(ship, measures, "stadt-b").travel is None


# --- report render --all ------------------------------------------------------------------------


def test_render_all_writes_every_document_of_every_pair(
    example: Path, run: Callable[..., Result]
) -> None:
    result = run("report", "render", "--all", "-o", "out")
    assert result.exit_code == 0, result.stderr
    written = sorted(p.relative_to(example / "out").as_posix()
                     for p in (example / "out").rglob("*.md"))
    meetings = sorted(p.stem for p in (example / E / "meetings").glob("*.yaml"))
    assert written == sorted(
        [f"{EXAMPLE}/{kind}.md" for kind in ("status", "budget", "final", "proof")]
        + [f"{EXAMPLE}/council/{p}.md" for p in ("landkreis-teltow-flaeming", "landkreis-giessen")]
        + [f"{EXAMPLE}/minutes/{m}.md" for m in meetings])
    assert (example / "out" / EXAMPLE / "proof.md").read_text(encoding="utf-8") == render(
        run, "proof")
    assert result.stderr.count("wrote out/") == len(written)


def test_render_all_skips_a_pair_with_errors_unless_draft(
    example: Path, run: Callable[..., Result]
) -> None:
    assert run("partnership", "new", "--partner", "Stadt C", "--partner", "Stadt D", "--topic",
               "x", "--start", "2016-07-01").exit_code == 0
    (example / "partnerships/stadt-c--stadt-d/measures").mkdir()
    (example / "partnerships/stadt-c--stadt-d/measures/kaputt.yaml").write_text(
        "id: heil\ntitle: x\nowners: [stadt-c]\n", encoding="utf-8")
    result = run("report", "render", "--all", "status")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: no figures from data with errors: stadt-c--stadt-d (1 error); fix them (see "
        "`regiotwin check`), or add --draft for a draft marked as such")
    assert (example / "reports" / EXAMPLE / "status.md").is_file()
    assert not (example / "reports" / "stadt-c--stadt-d").exists()
    draft = run("report", "render", "--all", "status", "--draft")
    assert draft.exit_code == 0
    assert (example / "reports/stadt-c--stadt-d/status.md").read_text(encoding="utf-8").startswith(
        "> **ENTWURF — die Daten enthalten 1 Fehler.**")


def test_render_all_refuses_what_it_cannot_do(example: Path, run: Callable[..., Result]) -> None:
    (example / "a-file").write_text("x")
    refused = run("report", "render", "--all", "-o", "a-file")
    assert (refused.exit_code, refused.stderr.splitlines()[-1]) == (
        1, "Error: Invalid value for '-o' / '--output': a-file is not a folder; --all writes "
        "one file per document")
    usage = run("report", "render", "--all", "--meeting", "x")
    assert usage.exit_code == 2
    assert run("report", "render").exit_code == 2


def test_each_receipt_is_hashed_once_per_command(
    example: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents take their findings from the command's one screening."""
    from regiotwin import cache

    calls: list[object] = []
    original = cache.hash_file

    def counting(path: object) -> str:
        calls.append(path)
        return original(path)

    monkeypatch.setattr(cache, "hash_file", counting)
    assert run("report", "render", "--all").exit_code == 0
    assert len(calls) == len(list((example / E / "receipts").iterdir())) == 10


# --- obligations are worded with the templates --------------------------------------------------


def test_every_obligation_has_a_german_wording() -> None:
    source = CHECKS.read_text(encoding="utf-8")
    codes = set(re.findall(r'_warning\(\s*"([a-z-]+)"', source))
    codes |= {"meeting-gap", "receipt-none", "receipt-unreferenced", "deadline-due",
              "deadline-passed", "text-unused"}
    wording = (TEMPLATES / "obligations.md.j2").read_text(encoding="utf-8")
    assert "Zwischennachweis" not in source.split("def _check_deadlines")[0]
    assert {c for c in codes if f'o.code == "{c}"' not in wording} == set()
    assert "stattgefunden" not in source and "fällig und ist noch offen" not in source


# --- the calendar ---------------------------------------------------------------------------------


def calendar(run: Callable[..., Result]) -> dict[str, object]:
    result = run("export", "calendar")
    assert result.exit_code == 0, result.stderr
    return {str(e["UID"]): e for e in Calendar.from_ical(result.stdout_bytes).walk("VEVENT")}


def test_dtstamp_is_the_export_time(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt")
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stamps = {e.decoded("DTSTAMP") for e in calendar(run).values()}
    assert len(stamps) == 1 and before <= stamps.pop() <= dt.datetime.now(dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    stamps = {e.decoded("DTSTAMP") for e in calendar(run).values()}
    assert stamps == {dt.datetime(2017, 7, 14, 2, 40, tzinfo=dt.timezone.utc)}


def git(root: Path, *args: str, when: int = 1_500_000_000) -> str:
    """git with a fixed author and commit time (*when*, Unix seconds)."""
    stamp = f"@{when} +0000"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout


def ics(run: Callable[..., Result], root: Path) -> bytes:
    result = run("-C", str(root), "export", "calendar")
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def entries(data: bytes) -> dict[str, Any]:
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def touch_all(root: Path, seconds: int) -> None:
    for path in root.rglob("*.yaml"):
        os.utime(path, (seconds, seconds))


def test_without_git_two_copies_give_the_same_calendar(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Modification times say nothing: two copies of the data, touched at different times,
    give byte-identical calendars with SOURCE_DATE_EPOCH; SEQUENCE is 0, DTSTAMP the epoch,
    and no LAST-MODIFIED is claimed (issue #13)."""
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, seconds in ((first, 1_000_000_000), (second, 1_700_000_000)):
        folder.mkdir()
        copy_example(folder)
        touch_all(folder, seconds)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    data = ics(run, first)
    assert data == ics(run, second)
    found = entries(data).values()
    assert {int(e["SEQUENCE"]) for e in found} == {0}
    assert {e.decoded("DTSTAMP") for e in found} == {
        dt.datetime(2017, 7, 14, 2, 40, tzinfo=dt.timezone.utc)}
    assert not any("LAST-MODIFIED" in e for e in found)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_git_an_entry_changes_exactly_when_its_record_does(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """Two clones of one commit give the same calendar whatever their files' times and with
    no SOURCE_DATE_EPOCH; changing a meeting raises its SEQUENCE (uncommitted and committed)
    and dates it, and leaves every other entry byte for byte as it was (issue #13)."""
    origin = tmp_path / "origin"
    origin.mkdir()
    copy_example(origin)
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "Beispiel", when=1_500_000_000)
    clones = [tmp_path / "one", tmp_path / "two"]
    for clone, seconds in zip(clones, (1_000_000_000, 1_800_000_000)):
        git(tmp_path, "clone", "-q", str(origin), clone.name)
        touch_all(clone, seconds)
    before = ics(run, clones[0])
    assert before == ics(run, clones[1])
    uid = f"{EXAMPLE}-meeting-2016-07-20-jour-fixe@regiotwin"
    meeting = entries(before)[uid]
    committed = dt.datetime(2017, 7, 14, 2, 40, tzinfo=dt.timezone.utc)
    # its file and partnership.yaml (the summary names the pair), one commit each
    assert (int(meeting["SEQUENCE"]), meeting.decoded("DTSTAMP"),
            meeting.decoded("LAST-MODIFIED")) == (2, committed, committed)

    work = clones[0]
    assert run("-C", str(work), "meeting", "set", "2016-07-20", "--time", "11:00").exit_code == 0
    edited = entries(ics(run, work))
    assert int(edited[uid]["SEQUENCE"]) == 3  # uncommitted: one more, dated by the export
    assert edited[uid].decoded("DTSTAMP") > committed
    git(work, "commit", "-qam", "Jour fixe später", when=1_600_000_000)
    after = entries(ics(run, work))
    assert (int(after[uid]["SEQUENCE"]), after[uid].decoded("DTSTAMP")) == (
        3, dt.datetime(2020, 9, 13, 12, 26, 40, tzinfo=dt.timezone.utc))
    # the entries of other records stay byte for byte; the meeting's action item comes from
    # the same file and is revised with it
    same_file = "-2016-07-20-jour-fixe"
    unchanged = {k: v.to_ical() for k, v in entries(before).items() if same_file not in k}
    assert {k: v.to_ical() for k, v in after.items() if same_file not in k} == unchanged
    assert len(unchanged) == len(after) - 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_shallow_clone_says_it_has_no_revisions(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    copy_example(origin)
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "Beispiel")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "ci")
    result = run("-C", str(tmp_path / "ci"), "export", "calendar")
    assert result.exit_code == 0
    assert result.stderr == (
        "note: the repository is a shallow clone, so the calendar's entries carry no revisions "
        "(fetch the whole history: `git fetch --unshallow`; in CI fetch-depth: 0 or GIT_DEPTH: "
        "0)\n")
    assert {int(e["SEQUENCE"]) for e in entries(result.stdout_bytes).values()} == {0}


def test_due_dates_do_not_block_the_day_and_meetings_do(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt",
        "--action", "Entwurf @stadt-a due 2016-07-20")
    run("measure", "add", "--title", "Plan", "--owner", "stadt-a", "--due", "2017-03-31")
    entries = calendar(run)
    transparent = {uid.removeprefix(PAIR + "-").split("-")[0] for uid, e in entries.items()
                   if str(e.get("TRANSP")) == "TRANSPARENT"}
    assert transparent == {"action", "measure", "deadline"}
    assert "TRANSP" not in entries[f"{PAIR}-meeting-2016-07-05-auftakt@regiotwin"]


def test_action_uids_survive_reordering(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt",
        "--action", "Erstens @stadt-a due 2016-07-20", "--action", "Zweitens @stadt-b due 2016-07-25")
    before = {str(e["SUMMARY"]): uid for uid, e in calendar(run).items() if "-action-" in uid}
    meeting = root / P / "meetings/2016-07-05-auftakt.yaml"
    text = meeting.read_text(encoding="utf-8")
    head, actions = text.split("actions:\n")
    first, second = ("- " + a for a in actions.split("- ")[1:])
    meeting.write_text(head + "actions:\n" + second + first, encoding="utf-8")
    after = {str(e["SUMMARY"]): uid for uid, e in calendar(run).items() if "-action-" in uid}
    assert after == before and len(after) == 2


def test_a_meeting_lasts_until_its_end_time_or_by_its_kind(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    assert run("meeting", "add", "--date", "2016-07-05", "--time", "10:00", "--until", "12:30",
               "--title", "Auftakt").exit_code == 0
    assert "end_time: '12:30'" in (root / P / "meetings/2016-07-05-auftakt.yaml").read_text()
    run("meeting", "add", "--date", "2016-08-02", "--time", "14:00", "--kind", "phone-conference")
    run("meeting", "add", "--date", "2016-09-02", "--time", "09:00", "--kind", "workshop")
    entries = calendar(run)

    def span(uid: str) -> str:
        e = entries[f"{PAIR}-meeting-{uid}@regiotwin"]
        return f"{e.decoded('DTSTART'):%H:%M}-{e.decoded('DTEND'):%H:%M}"

    assert span("2016-07-05-auftakt") == "10:00-12:30"
    assert span("2016-08-02-phone-conference") == "14:00-15:00"
    assert span("2016-09-02-workshop") == "09:00-13:00"
    assert "| 05.07.2016 10:00–12:30 | Jour fixe | Auftakt |" in render(
        run, "status", "--as-of", "2016-10-01")
    minutes = render(run, "minutes", "--meeting", "2016-07-05-auftakt")
    assert "| Datum | 05.07.2016, 10:00–12:30 Uhr |" in minutes


def test_an_end_time_needs_a_start_before_it(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    usage = run("meeting", "add", "--date", "2016-07-05", "--until", "12:30")
    assert (usage.exit_code, usage.stderr) == (
        2, "error: --until needs --time: when does the meeting start?\n")
    early = run("meeting", "add", "--date", "2016-07-05", "--time", "12:00", "--until", "11:00")
    assert (early.exit_code, early.stderr) == (
        1, "error: invalid meeting: end_time: the end time 11:00 is not after the start time "
           "12:00\n")
    assert not (root / P / "meetings").exists()


LINES = st.sampled_from([
    "", "Text", "# Titel", "## Punkt", "###### Tief", "#ohne Abstand", "===", "---", "- Punkt",
    "> Zitat", "```", "~~~", "    eingerückt", "  # eingerückt", "1. Erstens", "* * *", "Text #",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=14))
def test_user_markdown_never_makes_a_second_title(lines: list[str]) -> None:
    """Whatever headings pasted minutes hold, the document keeps one H1 and nothing above the
    section they sit in."""
    text = "\n".join(lines)
    document = f"# Protokoll\n\n## Verlauf\n\n{md_block(text, 2)}\n"
    found = [tag for tag, _ in headings(document)]
    assert found[:2] == ["h1", "h2"]
    assert found.count("h1") == 1 and found[2:].count("h2") == 0
