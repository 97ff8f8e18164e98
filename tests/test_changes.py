"""A year of daily work without hand-editing (issue #12): set, remove and cancel, each by one
command, through the one write path, comments kept."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from regiotwin.errors import RefusedError
from regiotwin.models import Measure
from regiotwin.records import Changes, changed_fields
from regiotwin.store import edit_record, remove_record
from tests.conftest import PAIR, copy_example

P = f"partnerships/{PAIR}"
EXAMPLE = "landkreis-teltow-flaeming--landkreis-giessen"
E = f"partnerships/{EXAMPLE}"
DECISION = f"{E}/decisions/2016-11-28-energiesparmodell-an-kreiseigenen-schulen.yaml"
EXPENSE = (f"{E}/expenses/2016-06-15-landkreis-giessen-bahnfahrt-zum-auftaktworkshop-nach-"
           "luckenwalde.yaml")
CANCELLED = f"{E}/expenses/2017-06-07-landkreis-giessen-verpflegung-abschlussworkshop.yaml"
MEETING = f"{E}/meetings/2016-07-20-jour-fixe.yaml"
KICKOFF = f"{E}/meetings/2016-06-15-auftaktworkshop-regio-twinning.yaml"
PAIR_FILE = f"{E}/partnership.yaml"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org",
                           *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def _comment(path: Path, after: str, comment: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + comment, 1), encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_year_of_corrections_each_by_one_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    """Done when: a decision goes from pending to passed, an expense amount is corrected, a
    meeting's minutes are replaced, a contact is removed, an expense is cancelled — each by one
    command; `check` stays clean; `git diff` shows only the intended lines, comments included."""
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    # the state before: a decision still pending, a second contact, hand-written comments
    decision = root / DECISION
    decision.write_text(decision.read_text(encoding="utf-8").replace("status: passed",
                                                                     "status: pending"))
    _comment(decision, "status: pending\n", "# Sitzung am 28.11., Ergebnis folgt\n")
    _comment(root / EXPENSE, "amount: 212.80\n", "# laut Kontoauszug\n")
    _comment(root / CANCELLED, "payee: Catering Gießen\n", "# Rechnung kam doppelt\n")
    _comment(root / KICKOFF, "location: Luckenwalde, Kreisverwaltung\n", "# Raum 2.14\n")
    _comment(root / PAIR_FILE, "  receipt_prefix: GI\n", "  # Ansprechpersonen laut Vereinbarung\n")
    assert run("contact", "add", "--partner", "Landkreis Giessen", "--name", "Kim Vertretung",
               "--function", "Vertretung").exit_code == 0
    (root / "protokoll.md").write_text("# Jour fixe\n\n- Arbeitsplan abgestimmt\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before")
    before = run("check", "--strict", "--as-of", "2017-06-14")
    assert before.stdout == (  # what the pending decision leaves open
        f"{E}/measures/energiesparmodell-schulen.yaml:11: warning: measure "
        "'energiesparmodell-schulen' needs a council decision and none has passed\n")

    steps = [
        ("decision", "set", "2016-11-28", "--status", "beschlossen"),
        ("expense", "set", "GI-001", "--amount", "210,80"),
        ("meeting", "set", "15.06.2016", "--minutes-file", "protokoll.md"),
        ("contact", "remove", "Kim Vertretung"),
        ("expense", "cancel", "GI-005", "--reason", "doppelt gebucht", "--date", "20.06.2017"),
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.stderr)

    after = run("check", "--strict", "--as-of", "2017-06-14")
    assert after.exit_code == 0, after.stdout
    assert git(root, "status", "--porcelain") == "".join(
        f" M {path}\n" for path in sorted([CANCELLED, DECISION, EXPENSE, KICKOFF, PAIR_FILE]))
    changed = [line for line in git(root, "diff", "-U0").splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-status: pending",
        "+status: passed",
        "-amount: 212.80",
        "+amount: 210.80",
        "+cancelled:",
        "+  date: 2017-06-20",
        "+  reason: doppelt gebucht",
        "-minutes: |-",
        "-  Die Partner stellen ihre Klimaschutzaktivitäten vor. Gießen berichtet über das "
        "Energiesparmodell an Schulen.",
        "+minutes: |",
        "+  # Jour fixe",
        "-  Vereinbart: monatlicher Jour fixe, abwechselnd als Telefonkonferenz.",
        "+  - Arbeitsplan abgestimmt",
        "-  - name: Kim Vertretung",
        "-    function: Vertretung",
    ]
    for path, comment in ((DECISION, "# Sitzung am 28.11., Ergebnis folgt\n"),
                          (EXPENSE, "# laut Kontoauszug\n"), (KICKOFF, "# Raum 2.14\n"),
                          (CANCELLED, "# Rechnung kam doppelt\n"),
                          (PAIR_FILE, "  # Ansprechpersonen laut Vereinbarung\n")):
        assert comment in (root / path).read_text(encoding="utf-8")
    budget = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][1]
    assert budget["total"] == "806.30"  # 973.30 − 2.00 corrected − 165.00 cancelled


# --- the cases of "Why" ---------------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_decision_goes_from_pending_to_passed(example: Path, run: Callable[..., Result]) -> None:
    assert run("decision", "set", "2016-11-28", "--status", "offen").exit_code == 0
    result = run("decision", "set", "2016-11-28-energiesparmodell", "--status", "beschlossen",
                 "--number", "0815/16", "--date", "29.11.2016")
    assert (result.exit_code, result.stdout) == (0, (
        f"{DECISION}\n  date: 2016-11-28 → 2016-11-29\n  status: pending → passed\n"
        "  number: 0815/16\n"))
    assert json.loads(run("decision", "list", "--json").stdout)[1]["status"] == "passed"


def test_an_expense_is_corrected_and_cancelled(example: Path, run: Callable[..., Result]) -> None:
    corrected = run("expense", "set", "GI-1", "--amount", "210,80", "--payee", "DB Fernverkehr")
    assert (corrected.exit_code, corrected.stdout, corrected.stderr) == (0, (
        f"{EXPENSE}\n  amount: 212.80 → 210.80\n  payee: Deutsche Bahn → DB Fernverkehr\n"), (
        "Belegnummer GI-001; landkreis-giessen: spent 971,30 €, grant 971,30 € of 1.400,00 €, "
        "headroom 428,70 €\n"))
    cancelled = run("expense", "cancel", "GI-001", "--reason", "storniert", "--date",
                    "2017-01-10")
    assert (cancelled.exit_code, cancelled.stdout) == (0, (
        f"{EXPENSE}\n  cancelled added\n  cancelled.date: 2017-01-10\n"
        "  cancelled.reason: storniert\n"))
    listed = run("expense", "list").stdout
    assert "GI-001   2016-06-15   landkreis-giessen           travel     210,80 €   x   " in listed
    csv = run("export", "expenses", "--format", "rfc4180").stdout
    assert ",GI-001,2016-06-15,Landkreis Gießen,Reisekosten,DB Fernverkehr," in csv
    assert [line for line in csv.splitlines() if ",GI-001," in line][0].endswith(
        ",2017-01-10,storniert")
    budget = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][1]
    assert budget["total"] == "760.50"  # no longer counts
    report = run("report", "render", "budget", "--as-of", "2017-06-14").stdout
    assert ("| Bahnfahrt zum Auftaktworkshop nach Luckenwalde (**storniert** am 10.01.2017: "
            "storniert) | (210,80 €) |") in report
    again = run("expense", "cancel", "GI-001", "--reason", "x")
    assert (again.exit_code, again.stderr) == (1, (
        "error: refused: 2016-06-15-landkreis-giessen-bahnfahrt-zum-auftaktworkshop-nach-"
        "luckenwalde was cancelled on 2017-01-10 (storniert); it cannot be cancelled again\n"))
    changed = run("expense", "set", "GI-001", "--amount", "1")
    assert (changed.exit_code, changed.stderr) == (1, (
        "error: refused: 2016-06-15-landkreis-giessen-bahnfahrt-zum-auftaktworkshop-nach-"
        "luckenwalde was cancelled on 2017-01-10; a cancelled expense is not changed "
        "(`expense cancel --undo` books it again)\n"))
    undone = run("expense", "cancel", "GI-001", "--undo")
    assert undone.exit_code == 0, undone.stderr
    assert "cancelled" not in (example / EXPENSE).read_text()
    assert json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][1][
        "total"] == "971.30"


def test_a_correction_past_the_headroom_is_refused_as_a_booking_is(
    example: Path, run: Callable[..., Result]
) -> None:
    before = (example / EXPENSE).read_bytes()
    result = run("expense", "set", "GI-001", "--amount", "700")
    assert (result.exit_code, result.stderr) == (1, (
        "error: refused: 700,00 € is more than landkreis-giessen's headroom of 639,50 € (the "
        "426,70 € that `budget status` shows, plus what this expense books now): the fundable "
        "limit 1.400,00 € (the cap) less 760,50 € of other unmarked expenses; add --over-cap "
        "to book it even past the headroom (what the grant does not pay is the commune's own money)\n"))
    assert (example / EXPENSE).read_bytes() == before
    outside = run("expense", "set", "GI-001", "--date", "14.06.2016")
    assert (outside.exit_code, outside.stderr) == (1, (
        "error: refused: 2016-06-14 is outside the partnership period 2016-06-15 to 2017-06-14; "
        "the grant pays nothing outside it\n"))
    no_reason = run("expense", "cancel", "GI-001")
    assert (no_reason.exit_code, no_reason.stderr) == (
        2, "error: --reason is needed: say why the expense is cancelled\n")
    assert (example / EXPENSE).read_bytes() == before
    assert run("expense", "set", "GI-001", "--amount", "639,50").exit_code == 0
    own = run("expense", "set", "GI-001", "--amount", "700", "--over-cap")
    assert own.exit_code == 0, own.stderr
    assert "over_cap: true\n" in (example / EXPENSE).read_text()


def test_undoing_a_cancellation_is_checked_as_a_new_booking(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    for amount in ("1000", "300"):
        assert run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount",
                   amount, "--category", "travel", "--description", f"Fahrt {amount}"
                   ).exit_code == 0
    assert run("expense", "cancel", "stadt-a-1", "--reason", "falsch").exit_code == 0
    assert run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-02", "--amount",
               "1000", "--category", "travel", "--description", "Fahrt neu").exit_code == 0
    result = run("expense", "cancel", "2016-08-01-stadt-a-fahrt-1000", "--undo")
    assert (result.exit_code, result.stderr) == (1, (  # why: `cancel` has no --over-cap
        "error: refused: 1.000,00 € is more than stadt-a's headroom of 100,00 €: the fundable "
        "limit 1.400,00 € (the cap) less 1.300,00 € of other unmarked expenses; it stays "
        "cancelled: make room first (cancel another expense, or mark one as the commune's own "
        "money with `expense set ID --over-cap`), or book it anew with `expense add … "
        "--over-cap`\n"))
    assert "cancelled:" in (root / P / "expenses/2016-08-01-stadt-a-fahrt-1000.yaml").read_text()


def test_an_expense_keeps_its_belegnummer_and_partner(
    example: Path, run: Callable[..., Result]
) -> None:
    result = run("expense", "set", "GI-001", "--partner", "landkreis-teltow-flaeming")
    assert result.exit_code == 2
    assert "No such option '--partner'" in result.stderr


def test_a_receipt_is_attached_later(
    repo: Callable[..., Path], run: Callable[..., Result], tmp_path: Path
) -> None:
    root = repo()
    assert run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount",
               "20", "--category", "travel", "--description", "Bahn").exit_code == 0
    scan = tmp_path.parent / f"{tmp_path.name}-scan.PDF"
    scan.write_bytes(b"%PDF-1.4 Beleg")
    shown = run("expense", "set", "stadt-a-001", "--receipt", str(scan), "--dry-run")
    assert shown.exit_code == 0
    assert "+receipt:\n+  path: receipts/2016-08-01-stadt-a-bahn.pdf\n" in shown.stdout
    assert not (root / P / "receipts").exists()
    attached = run("expense", "set", "stadt-a-001", "--receipt", str(scan))
    assert attached.exit_code == 0, attached.stderr
    assert (root / P / "receipts/2016-08-01-stadt-a-bahn.pdf").read_bytes() == b"%PDF-1.4 Beleg"
    assert run("check", "--as-of", "2016-07-30").stdout == ""
    scan.write_bytes(b"%PDF-1.4 Beleg, richtig")
    replaced = run("expense", "set", "stadt-a-001", "--receipt", str(scan))
    assert replaced.stderr.splitlines()[0] == (
        "note: receipts/2016-08-01-stadt-a-bahn.pdf is no longer the receipt of "
        "2016-08-01-stadt-a-bahn; keep it elsewhere or delete it")
    assert "path: receipts/2016-08-01-stadt-a-bahn-2.pdf\n" in (
        root / P / "expenses/2016-08-01-stadt-a-bahn.yaml").read_text()


def test_a_priced_trip_keeps_its_amount_in_step(repo: Callable[..., Path]) -> None:
    """A trip priced by its law (issue #14) is not set by hand: amount, date and category
    follow the trip."""
    import dataclasses

    from regiotwin.expenses import _travel_guard
    from regiotwin.models import Expense
    from regiotwin.validation import validated

    expense = validated(Expense, {"id": "e", "date": "2016-08-01", "partner": "stadt-a",
                                  "category": "travel", "amount": "20", "description": "Fahrt"})
    _travel_guard(expense, Changes({"amount": 30}), None)  # no trip: anything goes
    expense = dataclasses.replace(expense, travel=object())  # type: ignore[arg-type]
    with pytest.raises(RefusedError) as caught:
        _travel_guard(expense, Changes({"amount": 30, "date": "2016-08-02"}), None)
    assert caught.value.message == (
        "refused: e is a trip priced by its travel-cost law; its amount, date follow the trip: "
        "change the trip (--from, --to, --km, --nights, …), or cancel the expense and book the "
        "amount by hand")


def test_contacts_are_listed_changed_and_removed(example: Path, run: Callable[..., Result]) -> None:
    listed = run("contact", "list").stdout.splitlines()
    assert [line.split()[:3] for line in listed[2:]] == [
        ["landkreis-teltow-flaeming", "Erika", "Beispiel"],
        ["landkreis-giessen", "Max", "Beispiel"]]
    assert json.loads(run("contact", "list", "--partner", "Landkreis Gießen", "--json").stdout) == [
        {"partner": "landkreis-giessen", "name": "Max Beispiel",
         "function": "Klimaschutzmanager (Beispiel)", "email": "klimaschutz-giessen@example.org",
         "phone": "+49 641 000000"}]
    renamed = run("contact", "set", "max beispiel", "--name", "Max Mustermann", "--unset",
                  "phone")
    assert renamed.exit_code == 0, renamed.stderr
    lines = renamed.stdout.splitlines()
    assert lines[-4:] == [PAIR_FILE, "  partners[2].contacts[1].name: Max Beispiel → Max "
                          "Mustermann", "  partners[2].contacts[1].phone removed",
                          "  partners[2].contacts[1].example removed"]  # no longer invented
    assert lines[:3] == [f"{E}/meetings/2016-06-15-auftaktworkshop-regio-twinning.yaml",
                         "  participants: − Max Beispiel", "  participants: + Max Mustermann"]
    assert sum(line.startswith(f"{E}/meetings/") for line in lines) == 14
    assert "Max Beispiel" not in "".join(
        p.read_text() for p in (example / E / "meetings").glob("*.yaml"))
    assert run("check", "--strict", "--as-of", "2017-06-14").exit_code == 0
    refused = run("contact", "remove", "Erika Beispiel")
    assert (refused.exit_code, refused.stderr) == (1, (
        "error: refused: 2 records refer to contact 'Erika Beispiel': "
        f"{E}/meetings/2016-06-15-auftaktworkshop-regio-twinning.yaml (action item 1); "
        f"{E}/meetings/2017-01-11-jour-fixe.yaml (action item 1); "
        "change or remove them first; nothing was removed\n"))
    removed = run("contact", "remove", "Max Mustermann")
    assert (removed.exit_code, removed.stdout) == (
        0, f"{PAIR_FILE}\n  partners[2].contacts: − Max Mustermann\n")
    unknown = run("contact", "remove", "Erika Beispeil")
    assert (unknown.exit_code, unknown.stderr) == (1, (
        "error: no contact 'Erika Beispeil'; the closest: Erika Beispiel\n"))


def test_partnership_set_changes_the_pairs_settings(
    example: Path, run: Callable[..., Result]
) -> None:
    """Why: the agreement signed, the consultant, roles and the end needed hand-editing."""
    result = run("partnership", "set", "--agreement-signed", "20.06.2016", "--consultant",
                 "Dr. Berta Rat", "--consultant-email", "rat@example.org", "--unset",
                 "consultant-organisation", "--end", "2017-06-30", "--partner",
                 "Landkreis Teltow-Flaming", "--role", "beratend", "--kind", "county",
                 "--grant-cap", "1.500,00")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "note: landkreis-giessen is the implementer now\n"
    ship = json.loads(run("partnership", "show", "--json").stdout)
    assert ship["end"] == "2017-06-30"
    assert ship["agreement"]["signed"] == "2016-06-20"
    assert ship["consultant"] == {"name": "Dr. Berta Rat", "organisation": None,
                                  "email": "rat@example.org", "example": False}
    assert [(p["role"], p["kind"], p["grant_cap"]) for p in ship["partners"]] == [
        ("advisor", "Landkreis", "1500.00"), ("implementer", "Landkreis", None)]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--end", "2017-01-31"], 1,
     f"error: refused: 6 expenses would lie outside the period 2016-06-15 to 2017-01-31: "
     f"{E}/expenses/2017-02-20-landkreis-giessen-druck-flyer-kampagne-energiesparen-im-haushalt"
     f".yaml; {E}/expenses/2017-04-05-landkreis-giessen-fahrt-zur-zweiten-vernetzungsveranstaltung"
     f"-kassel.yaml; {E}/expenses/2017-04-05-landkreis-teltow-flaeming-fahrt-zur-zweiten-"
     f"vernetzungsveranstaltung-kassel.yaml; {E}/expenses/2017-06-07-landkreis-giessen-"
     "verpflegung-abschlussworkshop.yaml"[:0] + "…"),
    (["--partner", "landkreis-giessen", "--receipt-prefix", "LG"], 1,
     "error: refused: landkreis-giessen has booked expenses, and their Belegnummern (GI-…) are "
     "written on the paper receipts; the receipt prefix stays\n"),
    (["--partner", "landkreis-giessen", "--grant-cap", "900"], 1,
     "error: refused: landkreis-giessen's unmarked expenses total 973,30 €, more than the "
     "fundable limit 900,00 € (the cap) would allow; cancel or mark expenses (over_cap) first, "
     "or choose a higher cap\n"),
    (["--partner", "landkreis-giessen", "--travel-law", "bayern"], 1,
     "error: unknown travel-cost law 'bayern'; known laws: bund (Bundesreisekostengesetz "
     "(BRKG)), hessen (Hessisches Reisekostengesetz (HRKG))\n"),
    (["--role", "advisor"], 2, "error: --partner is needed: say which partner to change\n"),
    ([], 2, "error: nothing to change; give an option such as --end, --agreement-signed, "
            "--consultant, or --partner with --role, --grant-cap, …\n"),
    (["--consultant", ""], 1, "error: a consultant needs a name: give --consultant NAME\n"),
])
def test_partnership_set_refuses_what_would_break_the_data(
    example: Path, run: Callable[..., Result], args: list[str], code: int, message: str
) -> None:
    before = (example / PAIR_FILE).read_bytes()
    result = run("partnership", "set", *args)
    assert result.exit_code == code
    if message.endswith("…"):
        assert result.stderr.startswith(message[:-1])
    else:
        assert result.stderr == message
    assert (example / PAIR_FILE).read_bytes() == before


def test_moving_the_start_moves_the_default_end(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    result = run("partnership", "set", "--start", "1.8.2016")
    assert result.stderr == "note: the end follows the start: 2017-07-31 (one year; --end sets " \
                            "another)\n"
    assert json.loads(run("partnership", "show", "--json").stdout)["end"] == "2017-07-31"


def test_measures_are_changed_and_removed(example: Path, run: Callable[..., Result]) -> None:
    changed = run("measure", "set", "kampagne", "--owner", "Landkreis Gießen", "--status",
                  "in Arbeit", "--effect", "12,5 t CO2/a", "--planned-cost", "0",
                  "--unset", "description", "--no-needs-decision")
    assert changed.exit_code == 0, changed.stderr
    measure = [m for m in json.loads(run("measure", "list", "--json").stdout)
               if m["id"] == "kampagne-energiesparen-haushalt"][0]
    assert (measure["owners"], measure["status"], measure["effect"], measure["planned_cost"],
            measure["description"]) == (["landkreis-giessen"], "in-progress",
                                        {"value": "12.5", "unit": "t CO2/a"}, "0.00", None)
    refused = run("measure", "remove", "energiesparmodell-schulen")
    assert (refused.exit_code, refused.stderr) == (1, (
        "error: refused: 2 records refer to measure energiesparmodell-schulen: "
        f"{E}/decisions/2016-11-28-energiesparmodell-an-kreiseigenen-schulen.yaml (measures); "
        f"{E}/expenses/2016-11-23-landkreis-teltow-flaeming-verpflegung-workshop-"
        "energiesparmodell.yaml (measure); change or remove them first; nothing was removed\n"))
    assert (example / E / "measures/energiesparmodell-schulen.yaml").is_file()
    bad = run("measure", "set", "kampagne", "--effect", "1.400 kWh/a")
    assert (bad.exit_code, bad.stderr.splitlines()[-1]) == (1, (
        "Error: Invalid value for '--effect': '1.400 kWh/a': 1.400 is ambiguous; write 1400 or "
        "1,400"))


def test_meetings_are_changed_and_removed(example: Path, run: Callable[..., Result]) -> None:
    (example / "neu.md").write_text("Neues Protokoll.\n")
    changed = run("meeting", "set", "2016-07-20", "--minutes-file", "neu.md", "--time", "9.30",
                  "--participant", "Kim Gast @landkreis-giessen", "--remove-participant",
                  "max beispiel", "--agenda", "Verschiedenes", "--remove-agenda", "1",
                  "--action", "Bericht schicken @Erika Beispiel bis 31.08.2016",
                  "--unset", "location")
    assert (changed.exit_code, changed.stdout) == (0, (
        f"{MEETING}\n  time: 10:00 → 09:30\n  location removed\n"
        "  participants: − Max Beispiel\n  participants: + Kim Gast @landkreis-giessen\n"
        "  agenda: − Arbeitsplan abstimmen\n  agenda: + Verschiedenes\n"
        "  actions: + Bericht schicken\n  minutes changed\n"))
    shown = run("meeting", "show", "2016-07-20").stdout
    assert "  2. [ ] Bericht schicken (owner Erika Beispiel, due 2016-08-31)\n" in shown
    gone = run("meeting", "set", "2016-07-20", "--remove-action", "3")
    assert (gone.exit_code, gone.stderr) == (1, (
        "error: meeting 2016-07-20-jour-fixe has 2 action items; there is no number 3\n"))
    refused = run("meeting", "remove", "2016-09-14")
    assert (refused.exit_code, refused.stderr) == (1, (
        "error: refused: 1 record refers to meeting 2016-09-14-exkursion-zu-energiesparschulen-"
        f"im-landkreis-giessen: {E}/expenses/2016-09-14-landkreis-teltow-flaeming-bahnfahrt-zur-"
        "exkursion-nach-giessen-2-personen.yaml (meeting); change or remove it first; nothing "
        "was removed\n"))
    removed = run("meeting", "remove", "2016-07-20")
    assert (removed.exit_code, removed.stdout) == (0, f"removed {MEETING}\n")
    assert not (example / MEETING).exists()


def test_a_meetings_end_time_is_set_moved_and_removed(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """`meeting set --until`, `--time` with `--until` together, `--unset end_time`; a start
    that would pass the end says what to do and writes nothing (issue #13)."""
    root = repo()
    assert run("meeting", "add", "--date", "2017-05-31", "--time", "10:00", "--until", "11:00",
               "--title", "Auftakt").exit_code == 0
    path = root / P / "meetings/2017-05-31-auftakt.yaml"
    shown = f"{P}/meetings/2017-05-31-auftakt.yaml\n"
    before = path.read_bytes()
    late = run("meeting", "set", "2017-05-31", "--time", "12:00")
    assert (late.exit_code, late.stderr) == (1, (
        "error: --time 12:00 is not before the meeting's end time 11:00; give the new end "
        "with --until HH:MM too, or remove it with --unset end_time\n"))
    early = run("meeting", "set", "2017-05-31", "--until", "09:30")
    assert (early.exit_code, early.stderr) == (1, (
        "error: --until 09:30 is not after the meeting's start time 10:00\n"))
    assert path.read_bytes() == before
    moved = run("meeting", "set", "2017-05-31", "--time", "12:00", "--until", "13:30")
    assert (moved.exit_code, moved.stdout) == (0, (
        shown + "  time: 10:00 → 12:00\n  end_time: 11:00 → 13:30\n"))
    longer = run("meeting", "set", "2017-05-31", "--until", "14.15 Uhr")
    assert (longer.exit_code, longer.stdout) == (0, shown + "  end_time: 13:30 → 14:15\n")
    alone = run("meeting", "set", "2017-05-31", "--unset", "time")
    assert (alone.exit_code, alone.stderr) == (1, (
        "error: --unset time would leave the end time 14:15 without a start; remove both "
        "(--unset time --unset end_time)\n"))
    removed = run("meeting", "set", "2017-05-31", "--unset", "end_time")
    assert (removed.exit_code, removed.stdout) == (0, shown + "  end_time removed\n")
    assert "end_time" not in path.read_text(encoding="utf-8")
    assert run("meeting", "set", "2017-05-31", "--until", "16:00").exit_code == 0
    both = run("meeting", "set", "2017-05-31", "--unset", "time", "--unset", "end-time")
    assert (both.exit_code, both.stdout) == (0, shown + "  time removed\n  end_time removed\n")
    no_start = run("meeting", "set", "2017-05-31", "--until", "12:00")
    assert (no_start.exit_code, no_start.stderr) == (1, (
        "error: --until 12:00 needs a start time; give --time HH:MM too\n"))


def test_meeting_set_edit_keeps_what_was_written_in_the_editor(
    example: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    _comment(example / MEETING, "location: Luckenwalde\n", "# Raum 2.14\n")
    script = tmp_path_factory.mktemp("bin") / "editor.py"
    counter = script.with_suffix(".count")
    script.write_text(  # first a second `location:` (refused), then a new title with a comment
        "import sys, pathlib\n"
        f"c = pathlib.Path({str(counter)!r})\n"
        "n = int(c.read_text()) if c.exists() else 0\n"
        "c.write_text(str(n + 1))\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "t = p.read_text()\n"
        "assert '# Raum 2.14' in t\n"
        "p.write_text(t.replace('kind: jour-fixe', 'kind: jour-fixe\\nlocation: x') if n == 0\n"
        "             else t.replace('location: x\\n', '').replace(\n"
        "                 'title: Jour fixe am 20.07.2016', 'title: Jour fixe  # im Juli'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = run("meeting", "set", "2016-07-20", "--edit")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "error: line 7: duplicate key 'location' (lines 5 and 7); keep one\n"
    text = (example / MEETING).read_text()
    assert "title: Jour fixe  # im Juli\n" in text and "# Raum 2.14\n" in text
    both = run("meeting", "set", "2016-07-20", "--edit", "--title", "x")
    assert (both.exit_code, both.stderr) == (
        2, "error: --edit opens the whole meeting; give it without other options\n")


def test_events_are_changed_and_removed(example: Path, run: Callable[..., Result]) -> None:
    changed = run("event", "set", "12.10.2016", "--location", "Berlin-Mitte", "--kind",
                  "Tagung", "--pair", "landkreis-giessen")
    assert changed.exit_code == 0, changed.stderr
    event = json.loads(run("event", "list", "--json").stdout)[0]
    assert (event["location"], event["kind"], event["pairs"]) == (
        "Berlin-Mitte", "conference", [EXAMPLE])
    unknown = run("event", "set", "2016-10-12", "--pair", "nope")
    assert (unknown.exit_code, unknown.stderr) == (1, (
        f"error: unknown pair 'nope' (--pair); pairs: {EXAMPLE}\n"))
    assert run("event", "remove", "2017-04").stdout == (
        "removed events/2017-04-05-zweite-regiotwin-vernetzungsveranstaltung.yaml\n")


def test_a_decision_is_removed(example: Path, run: Callable[..., Result]) -> None:
    dry = run("decision", "remove", "2016-06-27", "--dry-run")
    assert dry.stdout.startswith(
        f"--- a/{E}/decisions/2016-06-27-regio-twinning-mit-dem-landkreis-giessen.yaml\n"
        "+++ /dev/null\n@@ -1,7 +0,0 @@\n-id: 2016-06-27-regio-twinning-mit-dem-landkreis-giessen\n")
    assert dry.stderr == "dry run: nothing was written\n"
    assert (example / E / "decisions/2016-06-27-regio-twinning-mit-dem-landkreis-giessen.yaml"
            ).is_file()
    assert run("decision", "remove", "2016-06-27").exit_code == 0
    assert len(json.loads(run("decision", "list", "--json").stdout)) == 1


def test_dry_run_prints_the_diff_and_writes_nothing(
    example: Path, run: Callable[..., Result]
) -> None:
    _comment(example / DECISION, "status: passed\n", "# beschlossen\n")
    before = (example / DECISION).read_bytes()
    result = run("decision", "set", "2016-11-28", "--status", "rejected", "--dry-run")
    assert (result.exit_code, result.stdout, result.stderr) == (0, (
        f"--- a/{DECISION}\n+++ b/{DECISION}\n@@ -2,7 +2,7 @@\n"
        " body: Kreistag\n date: 2016-11-28\n title: Energiesparmodell an kreiseigenen Schulen\n"
        "-status: passed\n+status: rejected\n # beschlossen\n partner: landkreis-teltow-flaeming\n"
        " measures:\n"), "dry run: nothing was written\n")
    assert (example / DECISION).read_bytes() == before
    same = run("decision", "set", "2016-11-28", "--status", "passed")
    assert (same.exit_code, same.stdout, same.stderr) == (
        0, "", "nothing changed: the record says so already\n")


# --- participants ----------------------------------------------------------------------------------


def test_a_typo_in_a_participant_is_a_warning(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Why: a typo in a participant ("Max Beispeil") silently became "Weitere Teilnehmende"."""
    repo()
    result = run("meeting", "add", "--date", "2016-07-13", "--participant", "Bernd Bau",
                 "--participant", "Anna Alf", "--participant", "Ole Frei")
    assert result.exit_code == 0
    assert result.stderr == ("warning: participant 'Anna Alf' is not a contact; did you mean "
                             "'Anna Alt'? (saved as written: a guest)\n")
    checked = run("check", "--as-of", "2016-07-20")
    assert checked.stdout == (
        f"{P}/meetings/2016-07-13-jour-fixe.yaml:7: warning: participant 'Anna Alf' is not a "
        "contact; did you mean 'Anna Alt'? (as written, a guest)\n")
    assert json.loads(run("check", "--as-of", "2016-07-20", "--json").stdout)["findings"][0][
        "code"] == "participant-typo"
    assert run("check", "--strict", "--as-of", "2016-07-20").exit_code == 1
    report = run("status", "--as-of", "2016-07-20", "--json").stdout
    assert json.loads(report)[0]["unmet_obligations"] == 0  # a typo is no obligation


# --- the core, without the command line ----------------------------------------------------------


MEASURE_TEXT = "# Plan\nid: m\ntitle: M  # kurz\nowners: [stadt-a]\nstatus: planned\n"


def test_edit_record_in_a_dry_run_returns_the_diff(repo: Callable[..., Path]) -> None:
    root = repo({f"{P}/measures/m.yaml": MEASURE_TEXT})
    path = root / P / "measures/m.yaml"

    def done(measure: Measure) -> None:
        measure.status = "done"

    edit = edit_record(root, path, Measure, done, dry_run=True)
    assert (edit.written, edit.after) == (False, MEASURE_TEXT.replace("planned", "done"))
    assert edit.diff() == (
        f"--- a/{P}/measures/m.yaml\n+++ b/{P}/measures/m.yaml\n@@ -2,4 +2,4 @@\n"
        " id: m\n title: M  # kurz\n owners: [stadt-a]\n-status: planned\n+status: done\n")
    assert path.read_text() == MEASURE_TEXT
    assert changed_fields(edit) == ["status: planned → done"]
    written = edit_record(root, path, Measure, done)
    assert written.written and path.read_text() == written.after


def test_remove_record_asks_before_it_deletes(repo: Callable[..., Path]) -> None:
    root = repo({f"{P}/measures/m.yaml": MEASURE_TEXT.rstrip("\n")})
    path = root / P / "measures/m.yaml"

    def refuse(measure: Measure) -> None:
        raise RefusedError(f"{measure.id} is needed")

    with pytest.raises(RefusedError, match="m is needed"):
        remove_record(root, path, Measure, refuse=refuse)
    edit = remove_record(root, path, Measure, dry_run=True)
    assert edit.diff().endswith("-status: planned\n\\ No newline at end of file\n")
    assert path.exists()
    assert remove_record(root, path, Measure).written and not path.exists()
