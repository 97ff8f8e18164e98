"""Documents a council and the Projektträger accept (issue #13): the as-of rule, the council
paper, user Markdown inside documents, the free texts, the Verwendungsnachweis, `report render
--all`, the calendar, and the one screening every document comes from."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt

from regiotwin.budget import PlanLine, derived_plan
from regiotwin.context import as_of_for
from regiotwin.models import Measure, Partnership
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
    assert "16 Termine, davon 2 Veranstaltungen des Programms." in text
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


def test_the_report_help_states_the_defaults(run: Callable[..., Result]) -> None:
    text = " ".join(run("report", "render", "--help").stdout.split())
    assert "`final` and `proof`: the end of the period, or today while it runs" in text


# --- the council paper -------------------------------------------------------------------------


def test_the_council_paper_has_what_the_seed_has(
    example: Path, run: Callable[..., Result]
) -> None:
    text = render(run, "council", "--partner", "Landkreis Teltow-Fläming", "--as-of",
                  "2016-06-13", "--meeting-date", "2016-06-27", "--number", "5-2786/16-III",
                  "--signed-by", "Wehlan")
    head = text.split("## Sachverhalt")[0]
    assert head == (
        "# Landkreis Teltow-Fläming\n\n"
        "**Informationsvorlage** Nr. 5-2786/16-III\n\n"
        "für die öffentliche Sitzung\n\n"
        "| Beratungsfolge | Sitzung |\n|---|---|\n| Kreistag | 27.06.2016 |\n\n"
        "**Betr.:** Regio-Twinning mit dem Landkreis Gießen\n\n"
        "Luckenwalde, den 13. Juni 2016\n\n"
        "Wehlan\n\n")
    assert ("## Anlage\n\n- Kooperationsvereinbarung für das Regionen-Twinning mit dem "
            "Landkreis Gießen\n") in text
    assert "Kooperationsvereinbarung wird am 15.06.2016 unterzeichnet" in text


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


@pytest.mark.parametrize(("planned", "actual", "percent", "flagged"), [
    ("100.00", "120.00", "20.0", False),  # up to 20 % is allowed
    ("100.00", "120.01", "20.1", True),  # shown rounded away from zero: never 20,0 % flagged
    ("300.00", "282.20", "-6.0", False),
    ("0.00", "0.00", None, False),
])
def test_a_plan_line_is_flagged_beyond_twenty_percent(
    planned: str, actual: str, percent: str | None, flagged: bool
) -> None:
    line = PlanLine("travel", Decimal(planned), Decimal(actual))
    assert (line.percent, line.over_plan) == (
        Decimal(percent) if percent else None, flagged)


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
    assert (refused.exit_code, refused.stderr) == (
        1, "error: -o a-file: is not a folder; --all writes one file per document\n")
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


def test_sequence_grows_when_the_record_changes(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt",
        "--action", "Entwurf @stadt-a due 2016-07-20")
    meeting = root / P / "meetings/2016-07-05-auftakt.yaml"
    os.utime(meeting, (1_500_000_000, 1_500_000_000))
    uid = f"{PAIR}-meeting-2016-07-05-auftakt@regiotwin"
    first = calendar(run)
    assert first[uid]["SEQUENCE"] == 1_500_000_000 - 946_684_800
    assert calendar(run)[uid]["SEQUENCE"] == first[uid]["SEQUENCE"]
    assert run("meeting", "done", "2016-07-05-auftakt", "1").exit_code == 0
    later = calendar(run)
    assert later[uid]["SEQUENCE"] > first[uid]["SEQUENCE"]
    actions = [u for u in later if "-action-" in u]
    assert later[actions[0]]["SEQUENCE"] == later[uid]["SEQUENCE"]


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
