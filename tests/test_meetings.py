"""Meetings, the work plan, council decisions and programme events (issue #4)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import PAIR, copy_example

P = f"partnerships/{PAIR}"
HAZARD = "a | b: c # d `e` [bold]f[/] <script>x</script>"


def files(root: Path) -> list[str]:
    """Every file a user would see (the cache folder with its locks is not data)."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*")
        if p.is_file() and ".regiotwin-cache" not in p.parts
    )


def test_jour_fixe_with_minutes_from_a_file_is_one_command(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({"protokoll.md": "# Protokoll\n\n- Stand besprochen\n"})
    result = run(
        "meeting", "add", "--date", "2016-07-13", "--time", "10:00", "--location", "Luckenwalde",
        "--participant", "Anna Alt", "--participant", "Kim Gast @stadt-b",
        "--participant", "Ole Frei", "--agenda", "Arbeitsplan", "--minutes-file", "protokoll.md",
        "--decision", "Monatlicher Jour fixe",
        "--action", "Angebote einholen @Bernd Bau due 2016-08-01",
        "--action", "Entwurf schicken @stadt-a",
    )
    assert (result.exit_code, result.stdout) == (0, f"{P}/meetings/2016-07-13-jour-fixe.yaml\n")
    assert (root / P / "meetings/2016-07-13-jour-fixe.yaml").read_text(encoding="utf-8") == (
        "id: 2016-07-13-jour-fixe\n"
        "date: 2016-07-13\n"
        "time: '10:00'\n"
        "kind: jour-fixe\n"
        "title: Jour fixe am 13.07.2016\n"
        "location: Luckenwalde\n"
        "participants:\n- Anna Alt\n- Kim Gast @stadt-b\n- Ole Frei\n"
        "agenda:\n- Arbeitsplan\n"
        "minutes: |\n  # Protokoll\n\n  - Stand besprochen\n"
        "decisions:\n- Monatlicher Jour fixe\n"
        "actions:\n"
        "- what: Angebote einholen\n  owner: Bernd Bau\n  due: 2016-08-01\n  done: false\n"
        "- what: Entwurf schicken\n  owner: stadt-a\n  done: false\n"
    )
    listed = run("meeting", "list")
    assert listed.stdout.splitlines()[2].split() == [
        "2016-07-13", "10:00", "jour-fixe", "Jour", "fixe", "am", "13.07.2016", "2",
        "2016-07-13-jour-fixe"
    ]
    shown = run("meeting", "show", "2016-07-13-jour-fixe").stdout
    assert "  - Anna Alt (Stadt A)\n  - Kim Gast @stadt-b (Stadt B)\n  - Ole Frei (guest)\n" in shown
    assert "  1. [ ] Angebote einholen (owner Bernd Bau, due 2016-08-01)\n" in shown
    assert "  2. [ ] Entwurf schicken (owner stadt-a)\n" in shown


def test_meeting_outside_the_period_is_noted(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    result = run("meeting", "add", "--date", "2018-01-10")
    assert result.exit_code == 0
    assert result.stderr == "note: 2018-01-10 is outside the partnership period 2016-07-01 to 2017-06-30\n"


def test_minutes_from_standard_input(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    result = run("meeting", "add", "--date", "2016-07-13", "--kind", "phone-conference",
                 "--minutes-file", "-", input="Kurz: alles gut.\n")
    assert result.exit_code == 0
    text = (root / P / "meetings/2016-07-13-phone-conference.yaml").read_text(encoding="utf-8")
    assert "title: Telefonkonferenz am 13.07.2016\n" in text
    assert "minutes: |\n  Kurz: alles gut.\n" in text


def test_user_text_is_stored_exactly_and_shown_literally(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    result = run("meeting", "add", "--date", "2016-07-13", "--title", "Jour fixe #1: [Start]",
                 "--agenda", HAZARD, "--decision", "line one\nline two", "--minutes-file", "-",
                 input=HAZARD + "\n")
    assert result.exit_code == 0
    data = json.loads(run("meeting", "show", "2016-07-13-jour-fixe-1-start", "--json").stdout)
    assert data["agenda"] == [HAZARD]
    assert data["minutes"] == HAZARD + "\n"
    assert data["decisions"] == ["line one\nline two"]
    shown = run("meeting", "show", "2016-07-13-jour-fixe-1-start").stdout
    assert shown.startswith("Jour fixe #1: [Start]\n")
    assert f"  1. {HAZARD}\n" in shown
    assert "Jour fixe #1: [Start]" in run("meeting", "list").stdout


def test_duplicate_meeting_is_refused_naming_the_file(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    run("meeting", "add", "--date", "2016-07-13", "--location", "first")
    before = (root / P / "meetings/2016-07-13-jour-fixe.yaml").read_bytes()
    again = run("meeting", "add", "--date", "2016-07-13", "--location", "second")
    assert (again.exit_code, again.stderr) == (
        1, f"error: {P}/meetings/2016-07-13-jour-fixe.yaml already exists; nothing was written\n"
    )
    assert (root / P / "meetings/2016-07-13-jour-fixe.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "12/07/2016"], "Invalid value for '--date': '12/07/2016' is not a date; write it as YYYY-MM-DD or DD.MM.YYYY (e.g. 2016-07-12 or 12.07.2016)"),
        (["--date", "31.06.2016"], "Invalid value for '--date': 31.06.2016 is not a real date (day is out of range for month)"),
        (["--date", "2016-13-01"], "Invalid value for '--date': 2016-13-01 is not a real date (month must be in 1..12)"),
        (["--date", "2016-07-13", "--kind", "meeting"], "Invalid value for '--kind': 'meeting' is not a meeting kind; use one of: jour-fixe, phone-conference (Telefonkonferenz), workshop, working-meeting (Arbeitsgespräch), study-tour (Exkursion), network-event (Vernetzungsveranstaltung), other (Termin)"),
        (["--date", "2016-07-13", "--time", "25:00"], "Invalid value for '--time': '25:00' is not a time; write it as HH:MM (00:00-23:59)"),
        (["--date", "2016-07-13", "--minutes-file", "nope.md"], "Invalid value for '--minutes-file': nope.md does not exist"),
        (["--date", "2016-07-13", "--minutes-file", "cp1252.md"], "Invalid value for '--minutes-file': cp1252.md is not UTF-8 text; save it as UTF-8"),
        (["--date", "2016-07-13", "--title", "!!!"], "error: title '!!!' gives an empty id; use letters or digits"),
        (["--date", "2016-07-13", "--action", "Anrufen @Nobody"], "error: action owner 'Nobody' is neither a partner nor a contact; use one of: stadt-a, stadt-b, Anna Alt, Bernd Bau"),
        (["--date", "2016-07-13", "--action", "Anrufen due 1.8.16"], "Invalid value for '--action': 'Anrufen due 1.8.16': due date '1.8.16' is not a date; write it as YYYY-MM-DD or DD.MM.YYYY (e.g. 2016-07-12 or 12.07.2016)"),
        (["--date", "2016-07-13", "--participant", "Kim @stadt-z"], "error: unknown partner 'stadt-z' (--participant 'Kim @stadt-z'); partners: stadt-a (Stadt A), stadt-b (Stadt B)"),
    ],
)
def test_bad_meeting_input_writes_nothing(
    repo: Callable[..., Path], run: Callable[..., Result], args: list[str], message: str
) -> None:
    root = repo()
    (root / "cp1252.md").write_bytes("Gießen".encode("cp1252"))
    before = files(root)
    result = run("meeting", "add", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert files(root) == before


def test_mark_action_done_and_undo(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    run("meeting", "add", "--date", "2016-07-13", "--action", "Anrufen @stadt-a due 2016-07-20")
    overdue = run("check", "--as-of", "2016-07-25")
    assert overdue.stdout == (
        f"{P}/meetings/2016-07-13-jour-fixe.yaml:6: warning: action item 1 ('Anrufen') was due "
        "on 2016-07-20 and is still open\n"
    )
    done = run("meeting", "done", "2016-07-13-jour-fixe", "1", "--date", "2016-07-22")
    assert done.stdout == "2016-07-13-jour-fixe: action item 1 (Anrufen) is done (on 2016-07-22)\n"
    assert run("check", "--as-of", "2016-07-25").stdout == ""
    assert json.loads(run("meeting", "list", "--json").stdout)[0]["open_actions"] == 0
    run("meeting", "done", "2016-07-13-jour-fixe", "1", "--undo")
    assert json.loads(run("meeting", "list", "--json").stdout)[0]["open_actions"] == 1
    missing = run("meeting", "done", "2016-07-13-jour-fixe", "3")
    assert (missing.exit_code, missing.stderr) == (
        1, "error: meeting 2016-07-13-jour-fixe has 1 action item; there is no item 3\n"
    )


def test_edit_opens_the_editor_and_repeats_until_valid(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = repo()
    script = tmp_path_factory.mktemp("bin") / "editor.py"
    counter = script.with_suffix(".count")
    script.write_text(
        "import sys, pathlib\n"
        f"c = pathlib.Path({str(counter)!r})\n"
        "n = int(c.read_text()) if c.exists() else 0\n"
        "c.write_text(str(n + 1))\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "t = p.read_text()\n"
        "p.write_text(t.replace('kind: jour-fixe', 'kind: nonsense') if n == 0 else\n"
        "             t.replace('kind: nonsense', 'kind: workshop'))\n"
    )
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = run("meeting", "add", "--date", "2016-07-13", "--location", "x", "--edit")
    assert result.exit_code == 0, result.stderr
    assert "error: line " in result.stderr and "kind" in result.stderr
    text = (root / P / "meetings/2016-07-13-jour-fixe.yaml").read_text()
    assert "location: x\n" in text and "kind: workshop\n" in text


def test_work_plan(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    added = run("measure", "add", "--title", "Energiesparmodell an Schulen", "--owner", "Stadt A",
                "--owner", "stadt-b", "--due", "2017-03-31", "--planned-cost", "1.200,50",
                "--needs-decision")
    assert added.stdout == f"{P}/measures/energiesparmodell-an-schulen.yaml\n"
    assert (root / P / "measures/energiesparmodell-an-schulen.yaml").read_text() == (
        "id: energiesparmodell-an-schulen\ntitle: Energiesparmodell an Schulen\n"
        "owners:\n- stadt-a\n- stadt-b\nstatus: planned\ndue: 2017-03-31\n"
        "planned_cost: 1200.50\nneeds_decision: true\n"
    )
    changed = run("measure", "set", "energiesparmodell-an-schulen", "--status", "in-progress",
                  "--due", "2017-05-31")
    assert changed.stdout == (f"{P}/measures/energiesparmodell-an-schulen.yaml\n"
                              "  status: planned → in-progress\n  due: 2017-03-31 → 2017-05-31\n")
    listed = json.loads(run("measure", "list", "--json").stdout)
    assert [(m["id"], m["status"], m["due"], m["planned_cost"]) for m in listed] == [
        ("energiesparmodell-an-schulen", "in-progress", "2017-05-31", "1200.50")
    ]
    assert run("measure", "list", "--status", "done", "--json").stdout == "[]\n"
    unknown = run("measure", "set", "nope", "--status", "done")
    assert (unknown.exit_code, unknown.stderr) == (
        1, "error: no measure 'nope' (ID); the closest: energiesparmodell-an-schulen\n"
    )
    bad_owner = run("measure", "add", "--title", "X", "--owner", "Stadt Z")
    assert (bad_owner.exit_code, bad_owner.stderr) == (
        1, "error: unknown partner 'Stadt Z' (--owner); partners: stadt-a (Stadt A), stadt-b (Stadt B)\n"
    )
    dup = run("measure", "add", "--title", "Energiesparmodell an Schulen", "--owner", "stadt-a")
    assert dup.exit_code == 1 and "already exists; nothing was written" in dup.stderr


def test_decision_enables_a_measure(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    run("measure", "add", "--title", "Schulen", "--owner", "stadt-a", "--needs-decision")
    waiting = run("check", "--as-of", "2016-07-10")
    assert waiting.stdout == (
        f"{P}/measures/schulen.yaml:6: warning: measure 'schulen' needs a council decision "
        "and none has passed\n"
    )
    pending = run("decision", "add", "--partner", "Stadt A", "--body", "Stadtrat", "--date",
                  "2016-07-05", "--title", "Schulen", "--measure", "schulen")
    assert pending.stdout == f"{P}/decisions/2016-07-05-schulen.yaml\n"
    assert run("check", "--as-of", "2016-07-10").stdout == waiting.stdout
    run("decision", "add", "--partner", "stadt-a", "--body", "Stadtrat", "--date", "2016-07-06",
        "--title", "Schulen", "--number", "12/2016", "--status", "passed", "--measure", "schulen")
    assert run("check", "--as-of", "2016-07-10").stdout == ""
    listed = json.loads(run("decision", "list", "--json").stdout)
    assert [(d["id"], d["status"], d["number"]) for d in listed] == [
        ("2016-07-05-schulen", "pending", None), ("2016-07-06-schulen", "passed", "12/2016")
    ]
    unknown = run("decision", "add", "--partner", "stadt-a", "--body", "Rat", "--date",
                  "2016-07-07", "--title", "Y", "--measure", "nope")
    assert (unknown.exit_code, unknown.stderr) == (
        1, "error: no measure 'nope' (--measure); the closest: schulen\n"
    )


def test_events_count_as_meetings(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    run("measure", "add", "--title", "Plan", "--owner", "stadt-a")
    run("meeting", "add", "--date", "2016-07-01")
    run("meeting", "add", "--date", "2016-09-01")
    gap = run("check", "--as-of", "2016-09-15")
    assert gap.stdout == (
        f"{P}/meetings/2016-09-01-jour-fixe.yaml:1: warning: 62 days without a meeting between "
        "2016-07-01-jour-fixe (2016-07-01) and 2016-09-01-jour-fixe (2016-09-01)\n"
    )
    added = run("event", "add", "--date", "2016-08-01", "--title", "1. Vernetzungstreffen",
                "--location", "Berlin")
    assert added.stdout == "events/2016-08-01-1-vernetzungstreffen.yaml\n"
    assert run("check", "--as-of", "2016-09-15").stdout == ""
    assert json.loads(run("event", "list", "--json").stdout)[0]["pairs"] == [PAIR]
    bad = run("event", "add", "--date", "2016-08-02", "--title", "x", "--pair", "nope")
    assert (bad.exit_code, bad.stderr) == (1, f"error: unknown pair 'nope' (--pair); pairs: {PAIR}\n")


def test_gap_rules(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    assert run("check", "--as-of", "2016-08-01").stdout == ""  # 31 days: still fine
    assert run("check", "--as-of", "2016-08-02").stdout == (
        f"{P}/partnership.yaml:4: warning: no meeting in the 32 days from the start "
        "(2016-07-01) to 2016-08-02\n"
    )
    run("meeting", "add", "--date", "2016-08-05")
    run("measure", "add", "--title", "Plan", "--owner", "stadt-a")
    assert run("check", "--as-of", "2016-08-10").stdout == (
        f"{P}/meetings/2016-08-05-jour-fixe.yaml:1: warning: 35 days without a meeting from "
        "the start (2016-07-01) to 2016-08-05-jour-fixe (2016-08-05)\n"
    )
    assert run("check", "--as-of", "2016-09-10").stdout.splitlines()[-1] == (
        f"{P}/meetings/2016-08-05-jour-fixe.yaml:1: warning: 36 days without a meeting since "
        "2016-08-05-jour-fixe (2016-08-05) until the as-of date (2016-09-10)"
    )


def test_no_measure_two_months_after_start(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    run("meeting", "add", "--date", "2016-08-30")
    run("meeting", "add", "--date", "2016-07-31")
    assert run("check", "--as-of", "2016-08-31").stdout == ""
    assert run("check", "--as-of", "2016-09-01").stdout == (
        f"{P}/partnership.yaml:4: warning: no work-plan measure two months after the start "
        "(2016-07-01); add one with `regiotwin measure add`\n"
    )


def test_reference_errors_in_files(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo({
        f"{P}/meetings/m.yaml": "id: m\ndate: 2016-07-01\ntitle: x\nactions:\n- what: y\n  owner: Nobody\n",
        f"{P}/decisions/d.yaml": "id: d\nbody: Rat\ndate: 2016-07-01\ntitle: x\npartner: stadt-a\nmeasures: [nope]\n",
        f"{P}/meetings/n.yaml": "id: n\ndate: 2016-07-32\ntitle: x\n",
        f"{P}/meetings/o.yaml": "id: o\ndate: 2016-07-01\ntitle: x\nparticipants:\n- Kim @stadt-z\n",
    })
    result = run("check", "--as-of", "2016-07-02")
    assert result.stdout.splitlines() == [
        f"{P}/decisions/d.yaml:6: error: unknown measure 'nope'",
        f"{P}/meetings/m.yaml:6: error: action owner 'Nobody' is neither a partner nor a contact",
        f"{P}/meetings/n.yaml:2: error: 2016-07-32 is not a real date (day is out of range for month)",
        f"{P}/meetings/o.yaml:5: error: participant 'Kim @stadt-z' names an unknown partner 'stadt-z'; known: stadt-a, stadt-b",
    ]


def test_example_is_clean_and_its_june_gap_is_found(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(copy_example(tmp_path))
    clean = run("check", "--strict")
    assert (clean.exit_code, clean.stdout) == (0, "")
    meetings = tmp_path / "partnerships/landkreis-teltow-flaeming--landkreis-giessen/meetings"
    for path in meetings.glob("201?-06-*.yaml"):
        os.remove(path)
    gap = run("check")
    assert gap.stdout.splitlines() == [
        "partnerships/landkreis-teltow-flaeming--landkreis-giessen/meetings/2016-07-20-jour-fixe"
        ".yaml:1: warning: 35 days without a meeting from the start (2016-06-15) to "
        "2016-07-20-jour-fixe (2016-07-20)",
        "partnerships/landkreis-teltow-flaeming--landkreis-giessen/meetings/2017-05-10-jour-fixe"
        ".yaml:1: warning: 35 days without a meeting since 2017-05-10-jour-fixe (2017-05-10) "
        "until the end of the period (2017-06-14)",
    ]


def test_changing_a_record_keeps_its_header_comments(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{P}/measures/m.yaml": "# Beispielwert, von Hand angelegt\nid: m\ntitle: M\n"
                                          "owners: [stadt-a]\n"})
    assert run("measure", "set", "m", "--status", "done").exit_code == 0
    assert (root / P / "measures/m.yaml").read_text() == (
        "# Beispielwert, von Hand angelegt\nid: m\ntitle: M\nowners: [stadt-a]\nstatus: done\n"
    )


def test_gap_ending_at_a_programme_event_is_reported_in_the_pair(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({"events/2016-09-01-treffen.yaml": f"id: 2016-09-01-treffen\ndate: 2016-09-01\n"
                                              f"title: Treffen\npairs: [{PAIR}]\n"})
    run("measure", "add", "--title", "Plan", "--owner", "stadt-a")
    run("meeting", "add", "--date", "2016-07-01")
    assert run("check", "--as-of", "2016-09-15").stdout == (
        f"{P}/partnership.yaml:1: warning: 62 days without a meeting between "
        "2016-07-01-jour-fixe (2016-07-01) and 2016-09-01-treffen (2016-09-01)\n"
    )


def test_list_tables_show_their_rows(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    run("measure", "add", "--title", "Schulen", "--owner", "stadt-a", "--planned-cost", "450",
        "--needs-decision")
    run("decision", "add", "--partner", "stadt-a", "--body", "Stadtrat", "--date", "2016-07-06",
        "--title", "Schulen", "--number", "12/2016", "--status", "passed", "--measure", "schulen")
    run("event", "add", "--date", "2016-08-01", "--title", "Treffen", "--location", "Berlin")
    assert run("measure", "list").stdout.splitlines()[2].split() == [
        "schulen", "Schulen", "stadt-a", "planned", "450,00", "€", "needed"]
    assert run("decision", "list").stdout.splitlines()[2].split() == [
        "2016-07-06", "Stadtrat", "12/2016", "Schulen", "passed", "stadt-a", "schulen",
        "2016-07-06-schulen"]
    assert run("event", "list").stdout.splitlines()[2].split() == [
        "2016-08-01", "network-event", "Treffen", "Berlin", PAIR, "2016-08-01-treffen"]
