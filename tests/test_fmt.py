"""`regiotwin fmt` tidies hand-edited records and keeps every comment (issue #15, item 3)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from regiotwin.fmt import format_repository, tidy_text
from regiotwin.loader import record_files, record_model
from regiotwin.models import Expense, Meeting, Partnership
from regiotwin.validation import validated
from regiotwin.yamlio import TidyError, parse_yaml, tidy_yaml, yaml_comments
from tests.conftest import PAIR, copy_example

EXPENSES = f"partnerships/{PAIR}/expenses"
MEETINGS = f"partnerships/{PAIR}/meetings"


def tidy(text: str, model: type[Any] = Expense) -> str:
    """The tidy form of a record file's text, through the core function fmt calls."""
    text = textwrap.dedent(text)
    return tidy_text(text, validated(model, parse_yaml(text).data))


EXPENSE = """\
id: 2016-09-14-stadt-a-bahn
receipt_no: 1
date: 2016-09-14
partner: stadt-a
category: travel
amount: 186.40
description: Bahnfahrt nach Luckenwalde
payee: Deutsche Bahn
over_cap: false
"""


# --- each normalisation, through the core ----------------------------------------------------


def test_keys_go_in_the_order_the_tool_writes_and_take_their_comments_along() -> None:
    assert tidy("""\
        # header of the file, kept on top

        # the amount as on the receipt
        amount: 186.40   # incl. BahnCard
        description: Bahnfahrt nach Luckenwalde
        id: 2016-09-14-stadt-a-bahn
        # booked by the finance office
        receipt_no: 1
        date: 2016-09-14

        # who
        partner: stadt-a
        category: travel
        # end of the file
        """) == textwrap.dedent("""\
        # header of the file, kept on top

        id: 2016-09-14-stadt-a-bahn
        # booked by the finance office
        receipt_no: 1
        date: 2016-09-14

        # who
        partner: stadt-a
        category: travel
        # the amount as on the receipt
        amount: 186.40   # incl. BahnCard
        description: Bahnfahrt nach Luckenwalde
        # end of the file
        """)


def test_a_comment_right_above_the_first_key_moves_with_it() -> None:
    """Only a header that a blank line separates from the keys stays on top."""
    assert tidy("""\
        # about the payee
        payee: Deutsche Bahn
        id: x
        date: 2016-09-14
        partner: stadt-a
        category: travel
        amount: 1.00
        description: d
        """) == textwrap.dedent("""\
        id: x
        date: 2016-09-14
        partner: stadt-a
        category: travel
        amount: 1.00
        description: d
        # about the payee
        payee: Deutsche Bahn
        """)


def test_nested_keys_and_list_items_are_ordered_with_their_comments() -> None:
    """A list item's first key hands its `-` on; comments indented under a value stay with it."""
    assert tidy("""\
        id: 2016-07-20-jour-fixe
        date: 2016-07-20
        title: Jour fixe
        actions:
        - due: 2016-08-31   # eol of due
          # the task
          what: Angebote einholen
          owner: stadt-a
        - what: Protokoll
          done: true
          # who: Anna
          owner: Anna Alt
        participants:
        - Anna Alt
          # a note under the list
        # before the agenda
        agenda: [Stand, Planung]
        """, Meeting) == textwrap.dedent("""\
        id: 2016-07-20-jour-fixe
        date: 2016-07-20
        title: Jour fixe
        participants:
        - Anna Alt
          # a note under the list
        # before the agenda
        agenda: [Stand, Planung]
        actions:
        # the task
        - what: Angebote einholen
          owner: stadt-a
          due: 2016-08-31   # eol of due
        - what: Protokoll
          # who: Anna
          owner: Anna Alt
          done: true
        """)


def test_strings_are_quoted_only_where_a_reader_could_misread_them() -> None:
    assert tidy("""\
        id: '2016-07-20-jour-fixe'
        "date": 2016-07-20
        time: 10:00
        title: "Jour fixe"
        location: no
        participants: ['Anna Alt', "Bernd: Gast", 'yes']
        agenda:
        - '12.5'
        - "Stand \\"Arbeitsplan\\""
        """, Meeting) == textwrap.dedent("""\
        id: 2016-07-20-jour-fixe
        date: 2016-07-20
        time: '10:00'
        title: Jour fixe
        location: 'no'
        participants: [Anna Alt, 'Bernd: Gast', 'yes']
        agenda:
        - '12.5'
        - Stand "Arbeitsplan"
        """)


def test_dates_become_iso_dates_and_amounts_get_two_places() -> None:
    assert tidy("""\
        id: 2016-09-14-stadt-a-bahn
        date: '2016-09-14'
        partner: stadt-a
        category: travel
        amount: 12.5
        description: Bahnfahrt
        cancelled: {date: "2016-09-20", reason: doppelt gebucht}
        """) == textwrap.dedent("""\
        id: 2016-09-14-stadt-a-bahn
        date: 2016-09-14
        partner: stadt-a
        category: travel
        amount: 12.50
        description: Bahnfahrt
        cancelled: {date: 2016-09-20, reason: doppelt gebucht}
        """)


@pytest.mark.parametrize(("written", "tidied"), [
    ("12", "12.00"), ("12.5", "12.50"), ("'12,50'", "12.50"), ('"1.400,50"', "1400.50"),
    ("1400.00", "1400.00"),
])
def test_every_notation_of_an_amount_becomes_two_places(written: str, tidied: str) -> None:
    text = EXPENSE.replace("amount: 186.40", f"amount: {written}")
    assert tidy(text) == EXPENSE.replace("amount: 186.40", f"amount: {tidied}")


def test_a_tidy_file_is_left_exactly_as_it_is() -> None:
    """Comments, blank lines, indentation, lists written inline, text over several lines,
    blocks, nulls, CRLF and keys left out (defaults) are not fmt's business."""
    text = textwrap.dedent("""\
        # Jour fixe, von Hand
        id: 2016-07-20-jour-fixe   # the file's name

        date: 2016-07-20
        kind: workshop
        title: Ein Titel, der zu lang für eine Zeile war und darum
          auf der nächsten weitergeht
        location:
        participants:
            - Anna Alt
            - Bernd Bau
        agenda: [Stand, Planung]
        minutes: >
          gefaltet
          über zwei Zeilen

          # eine Überschrift, kein Kommentar
        actions:
          - what: 'Angebote einholen,
              zwei oder drei'
            due: 2016-08-31
        # the end
        """)
    assert tidy(text, Meeting) == text
    crlf = text.replace("\n", "\r\n")
    assert tidy(crlf, Meeting) == crlf


def test_text_over_several_lines_keeps_its_lines_but_moves_along() -> None:
    assert tidy("""\
        title: Ein Titel über
          zwei Zeilen
        id: x
        date: 2016-07-20
        minutes: |
          Zeile 1
            eingerückt
        kind: workshop
        """, Meeting) == textwrap.dedent("""\
        id: x
        date: 2016-07-20
        kind: workshop
        title: Ein Titel über
          zwei Zeilen
        minutes: |
          Zeile 1
            eingerückt
        """)


def test_text_with_line_breaks_in_quotes_becomes_a_block_as_the_tool_writes_it() -> None:
    assert tidy("""\
        id: x
        date: 2016-07-20
        title: t
        minutes: "Zeile 1\\nZeile 2"
        actions:
        - what: "a\\nb"
        """, Meeting) == textwrap.dedent("""\
        id: x
        date: 2016-07-20
        title: t
        minutes: |-
          Zeile 1
          Zeile 2
        actions:
        - what: |-
            a
            b
        """)


def test_a_comment_under_a_block_never_becomes_part_of_its_text() -> None:
    """Moving a key after a block (`|`) must not put a comment where the block would swallow
    it: comments indented under a value stay with that value."""
    text = textwrap.dedent("""\
        id: x
        minutes: |
          Protokoll
        title: t
          # about title, oddly indented
        date: 2016-07-20
        """)
    tidied = tidy(text, Meeting)
    assert tidied == textwrap.dedent("""\
        id: x
        date: 2016-07-20
        title: t
          # about title, oddly indented
        minutes: |
          Protokoll
        """)
    assert parse_yaml(tidied).data["minutes"] == "Protokoll\n"


def test_a_block_that_keeps_its_line_breaks_swallows_no_blank_line() -> None:
    """Text ending in blank lines is written `|+`, whose blank lines are text: a key moved
    after it leaves its blank line behind, and quoted text of that kind stays quoted."""
    assert tidy("""\
        id: x
        date: 2016-07-20
        title: t

        # what is left
        example: true
        minutes: |+
          Protokoll

        """, Meeting) == textwrap.dedent("""\
        id: x
        date: 2016-07-20
        title: t
        minutes: |+
          Protokoll

        # what is left
        example: true
        """)
    assert tidy("""\
        id: x
        date: 2016-07-20
        title: t
        minutes: "Protokoll\\x0A\\n"   # c

        location: Berlin
        """, Meeting) == textwrap.dedent("""\
        id: x
        date: 2016-07-20
        title: t

        location: Berlin
        minutes: "Protokoll\\n\\n"   # c
        """)


def test_the_byte_order_mark_goes_and_a_final_line_break_comes() -> None:
    model = validated(Expense, parse_yaml(EXPENSE).data)
    assert tidy_text(EXPENSE.rstrip("\n"), model) == EXPENSE


def test_keys_the_file_leaves_out_stay_out_and_those_it_has_stay() -> None:
    """fmt adds no default (`over_cap`, a partnership's end) and drops no key the tool would
    leave out (`example: false`, an empty list)."""
    text = textwrap.dedent("""\
        id: stadt-a--stadt-b
        title: T
        topic: Wärme
        start: 2016-07-01
        partners:
        - id: stadt-a
          name: Stadt A
          contacts: []
          grant_cap: 1400
        - id: stadt-b
          name: Stadt B
        notes: ~
        """)
    assert tidy(text, Partnership) == text.replace(
        "  contacts: []\n  grant_cap: 1400\n", "  grant_cap: 1400.00\n  contacts: []\n")


def test_tidy_yaml_keeps_keys_it_does_not_know_last() -> None:
    """The YAML layer alone: keys missing from the target keep their text and go last."""
    text = "b: 2\nzz: kept   # c\na: '1'\n"
    assert tidy_yaml(text, {"a": "1", "b": 2}) == "a: '1'\nb: 2\nzz: kept   # c\n"


def test_yaml_comments_ignores_hashes_inside_values() -> None:
    text = "a: '# no'   # yes\nb: |\n  # no\n# yes too\nc: x#y\n"
    assert yaml_comments(text) == ["# yes", "# yes too"]


def test_a_value_whose_shape_changes_is_rewritten_inline_or_refused() -> None:
    """No model changes a value's shape today; should one, a value on one line is written
    anew, and one over several lines is left to the person (TidyError, the file untouched)."""
    assert tidy_yaml("a: [1, 2]  # c\n", {"a": [1]}) == "a: [1]  # c\n"
    with pytest.raises(TidyError) as info:
        tidy_yaml("b: 0\na:\n- 1\n- 2\n", {"a": [1]})
    assert (info.value.line, info.value.message) == (
        3, "the value here would have to be rewritten as a whole")


def test_every_record_of_the_shipped_example_is_tidy(tmp_path: Path) -> None:
    """The core on its own: each file of the example is its own tidy text."""
    root = copy_example(tmp_path)
    files = record_files(root, [])
    assert len(files) > 30
    for path, _rel, model in files:
        text = Path(path).read_text("utf-8")
        assert tidy_text(text, validated(model, parse_yaml(text).data)) == text, path


# --- the repository: which files, what is written ----------------------------------------------


HAND_EDITED = """\
# gebucht von Hand: der Beleg kam später
amount: 12.5   # laut Beleg
id: 2016-09-14-stadt-a-bahn
date: "2016-09-14"
partner: 'stadt-a'
category: travel
description: Bahnfahrt
"""

HAND_EDITED_TIDY = """\
id: 2016-09-14-stadt-a-bahn
date: 2016-09-14
partner: stadt-a
category: travel
# gebucht von Hand: der Beleg kam später
amount: 12.50   # laut Beleg
description: Bahnfahrt
"""


def test_done_when_fmt_check_passes_on_the_shipped_example(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(copy_example(tmp_path))
    result = run("fmt", "--check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "33 files already tidy\n")


def test_done_when_fmt_tidies_a_hand_edit_keeps_its_comment_and_check_passes_again(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    folder = "partnerships/landkreis-teltow-flaeming--landkreis-giessen/expenses"
    name = f"{folder}/2016-06-15-landkreis-giessen-bahnfahrt-zum-auftaktworkshop-nach-luckenwalde.yaml"
    path = root / name
    tidy_text_before = path.read_text("utf-8")
    # the amount moved to the top with a comment, odd quoting, an amount with one decimal
    edited = (
        "# nachgetragen: Preis laut Beleg\namount: 212.8  # mit BahnCard\n"
        + tidy_text_before.replace("amount: 212.80\n", "")
        .replace("date: 2016-06-15", "date: '2016-06-15'")
        .replace("payee: Deutsche Bahn", 'payee: "Deutsche Bahn"')
    )
    path.write_text(edited, encoding="utf-8")

    check = run("fmt", "--check")
    assert check.exit_code == 1
    assert check.stdout == f"{name}: would be reformatted\n"
    assert check.stderr == ("1 file would be reformatted, 32 files already tidy; run "
                            "`regiotwin fmt` to tidy them\n")
    assert path.read_text("utf-8") == edited

    result = run("fmt")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"reformatted {name}\n1 file reformatted, 32 files already tidy\n"
    assert path.read_text("utf-8") == tidy_text_before.replace(
        "amount: 212.80", "# nachgetragen: Preis laut Beleg\namount: 212.80  # mit BahnCard")

    again = run("fmt", "--check")
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "33 files already tidy\n")
    assert run("check", "--strict", "--as-of", "2017-06-30").exit_code in (0, 1)
    assert run("budget", "status").exit_code == 0


def test_fmt_rewrites_only_what_changes_and_keeps_the_mode(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml": HAND_EDITED,
                 f"{EXPENSES}/2016-09-15-stadt-a-taxi.yaml": EXPENSE.replace(
                     "2016-09-14-stadt-a-bahn", "2016-09-15-stadt-a-taxi")
                 .replace("date: 2016-09-14", "date: 2016-09-15")
                 .replace("receipt_no: 1", "receipt_no: 2")})
    edited = root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml"
    tidy_one = root / EXPENSES / "2016-09-15-stadt-a-taxi.yaml"
    os.chmod(edited, 0o640)
    past = 1_000_000_000
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(past, past))

    result = run("fmt")
    assert result.exit_code == 0
    assert result.stderr == (f"reformatted {EXPENSES}/2016-09-14-stadt-a-bahn.yaml\n"
                             "1 file reformatted, 3 files already tidy\n")
    assert edited.read_text("utf-8") == HAND_EDITED_TIDY
    assert stat.S_IMODE(edited.stat().st_mode) == 0o640
    for path in root.rglob("*.yaml"):
        if path != edited:
            assert path.stat().st_mtime_ns == past, path
    assert tidy_one.read_text("utf-8").startswith("id: 2016-09-15-stadt-a-taxi\n")
    assert [p.name for p in edited.parent.iterdir()] == sorted(
        p.name for p in edited.parent.iterdir())  # no temporary file left


def test_invalid_files_are_left_as_they_are_and_reported_as_check_does(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    broken = "id: 2016-09-14-stadt-a-bahn\ndate: '2016-09-14\namount: 12.5\n"
    unknown = HAND_EDITED + "colour: red\n"
    root = repo({f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml": broken,
                 f"{EXPENSES}/2016-09-15-stadt-a-taxi.yaml": unknown.replace(
                     "2016-09-14-stadt-a-bahn", "2016-09-15-stadt-a-taxi"),
                 f"{MEETINGS}/2016-07-20-jour-fixe.yaml":
                     "title: Jour fixe\nid: 2016-07-20-jour-fixe\ndate: 2016-07-20\n"})
    check = run("check")
    findings = [line for line in check.stdout.splitlines() if "expenses/" in line]
    assert [line.split("; known keys")[0] for line in findings] == [
        f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml:2: error: a quoted value starts on this line "
        "and is never closed; add the closing quote",
        f"{EXPENSES}/2016-09-15-stadt-a-taxi.yaml:8: error: unknown key 'colour'",
    ]
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}

    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout == f"{MEETINGS}/2016-07-20-jour-fixe.yaml: would be reformatted\n"
    assert result.stderr == "\n".join(findings) + (
        "\n1 file would be reformatted, 2 files already tidy, 2 files left as they are (fix "
        "the errors above); run `regiotwin fmt` to tidy them\n")

    result = run("fmt")
    assert result.exit_code == 1
    assert result.stderr == (
        f"reformatted {MEETINGS}/2016-07-20-jour-fixe.yaml\n" + "\n".join(findings)
        + "\n1 file reformatted, 2 files already tidy, 2 files left as they are (fix the "
        "errors above)\n")
    for path, raw in before.items():
        if path.parent.name == "expenses":
            assert path.read_bytes() == raw


def test_fmt_check_on_a_repository_with_nothing_to_do(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    result = run("fmt", "--check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "2 files already tidy\n")


# --- paths ---------------------------------------------------------------------------------------


def test_paths_name_files_or_folders(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo({f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml": HAND_EDITED,
                 f"{MEETINGS}/2016-07-20-jour-fixe.yaml":
                     "title: Jour fixe\nid: 2016-07-20-jour-fixe\ndate: 2016-07-20\n",
                 "events/2016-10-12-treffen.yaml":
                     "title: Treffen\nid: 2016-10-12-treffen\ndate: 2016-10-12\n"})
    result = run("fmt", "--check", f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml", "events")
    assert result.exit_code == 1
    assert result.stdout == (f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml: would be reformatted\n"
                             "events/2016-10-12-treffen.yaml: would be reformatted\n")
    monkeypatch.chdir(root / "partnerships" / PAIR)
    result = run("fmt", "meetings", "partnership.yaml")
    assert result.stderr == (f"reformatted {MEETINGS}/2016-07-20-jour-fixe.yaml\n"
                             "1 file reformatted, 1 file already tidy\n")
    result = run("fmt", "--check", "..")
    assert result.stdout == f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml: would be reformatted\n"
    result = run("fmt", "--check", "../..")
    assert result.stdout == (f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml: would be reformatted\n"
                             "events/2016-10-12-treffen.yaml: would be reformatted\n")


def test_a_file_that_is_not_a_record_is_refused_before_anything_is_written(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml": HAND_EDITED,
                 f"partnerships/{PAIR}/receipts/scan.yaml": "a: 1\n",
                 "notes.yaml": "b: 2\n"})
    for other in (f"partnerships/{PAIR}/receipts/scan.yaml", "notes.yaml"):
        result = run("fmt", f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml", other)
        assert result.exit_code == 1  # a malformed value, as every one (README: exit codes)
        assert result.stderr.splitlines()[-1] == (
            f"Error: Invalid value for '[PATH]...': {other} is not a record file of the "
            "repository; fmt tidies regiotwin.yaml, partnerships/<pair>/partnership.yaml, "
            "partnerships/<pair>/{measures,meetings,decisions,expenses}/*.yaml, events/*.yaml")
    assert (root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml").read_text("utf-8") == HAND_EDITED


def test_paths_outside_the_repository_and_missing_ones_are_malformed_values(
    repo: Callable[..., Path], run: Callable[..., Result], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = repo()
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "regiotwin.yaml"
    elsewhere.write_text("name: x\n", encoding="utf-8")
    result = run("fmt", str(elsewhere))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '[PATH]...': {elsewhere} is outside the repository {root}; "
        "fmt tidies the record files of the repository it runs in")
    missing = run("fmt", "events/none.yaml")
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[-1] == (
        "Error: Invalid value for '[PATH]...': Path 'events/none.yaml' does not exist.")


def test_a_folder_without_records_says_so(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    (root / "partnerships" / PAIR / "receipts").mkdir()
    result = run("fmt", f"partnerships/{PAIR}/receipts")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (f"partnerships/{PAIR}/receipts: no record files here\n"
                             "0 files already tidy\n")


@pytest.mark.parametrize(("path", "kind"), [
    ("regiotwin.yaml", "Programme"),
    ("partnerships/a--b/partnership.yaml", "Partnership"),
    ("partnerships/a--b/expenses/2016-09-14-a-bahn.yaml", "Expense"),
    ("partnerships/a--b/measures/m.yaml", "Measure"),
    ("partnerships/a--b/meetings/m.yaml", "Meeting"),
    ("partnerships/a--b/decisions/d.yaml", "Decision"),
    ("events/2016-10-12-treffen.yaml", "Event"),
    ("partnerships/a--b/receipts/scan.yaml", None),
    ("partnerships/a--b/notes.yaml", None),
    ("partnerships/a--b/expenses/.draft.yaml", None),
    ("partnerships/a--b/expenses/sub/x.yaml", None),
    ("partnerships/.trash/partnership.yaml", None),
    ("partnerships/a--b/expenses/x.yml", None),
    ("events/sub/x.yaml", None),
    ("docs/regiotwin.yaml", None),
    ("partnerships/partnership.yaml", None),
])
def test_record_files_are_those_the_loader_reads_and_the_hook_passes(
    path: str, kind: str | None
) -> None:
    """One rule: fmt's refusal, the loader's folders and the pre-commit hook's pattern agree."""
    import re

    from regiotwin import scaffold

    model = record_model(path)
    assert (model.__name__ if model else None) == kind
    (hook,) = [h for h in scaffold.HOOKS if h.id == "regiotwin-fmt"]
    assert bool(re.search(hook.files, path)) is (kind is not None)


def test_the_pre_commit_hook_tidies_the_files_it_is_given(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit runs `regiotwin fmt FILE…` from the repository root with the staged records;
    it fails the commit when a file changed (exit 0, the file differs)."""
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    pair = "partnerships/landkreis-teltow-flaeming--landkreis-giessen"
    staged = [f"{pair}/partnership.yaml", "regiotwin.yaml",
              f"{pair}/measures/energiesparmodell-schulen.yaml"]
    measure = root / staged[2]
    measure.write_text(measure.read_text("utf-8").replace("status:", "# Stand Mai\nstatus:")
                       .replace("planned_cost: 600.00", "planned_cost: 600"), encoding="utf-8")
    result = run("fmt", *staged)
    assert result.exit_code == 0
    assert result.stderr == f"reformatted {staged[2]}\n1 file reformatted, 2 files already tidy\n"
    assert "# Stand Mai\nstatus:" in measure.read_text("utf-8")
    assert "planned_cost: 600.00\n" in measure.read_text("utf-8")


def test_format_repository_reports_without_printing(repo: Callable[..., Path]) -> None:
    """The core function under the command: what changed, what was tidy, what is invalid."""
    root = repo({f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml": HAND_EDITED,
                 f"{EXPENSES}/2016-09-15-stadt-a-x.yaml": "id: [\n"})
    report = format_repository(root, check=True)
    assert report.changed == [f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml"]
    assert report.tidy == 2
    assert [(f.path, f.line, f.code) for f in report.findings] == [
        (f"{EXPENSES}/2016-09-15-stadt-a-x.yaml", 2, "yaml")]
    assert (root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml").read_text("utf-8") == HAND_EDITED
    report = format_repository(root, [root / EXPENSES])
    assert report.changed == [f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml"]
    assert (root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml").read_text("utf-8") == (
        HAND_EDITED_TIDY)
    assert format_repository(root).changed == []


def test_a_byte_order_mark_is_dropped_like_every_rewrite_does(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml": EXPENSE})
    path = root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + EXPENSE.encode("utf-8"))
    assert run("fmt", "--check").stdout == f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml: would be reformatted\n"
    assert run("fmt").exit_code == 0
    assert path.read_bytes() == EXPENSE.encode("utf-8")


def test_a_german_amount_and_a_quoted_date_read_the_same_after_fmt() -> None:
    text = EXPENSE.replace("amount: 186.40", "amount: '1.186,40'").replace(
        "date: 2016-09-14", "date: '2016-09-14'")
    before = validated(Expense, parse_yaml(text).data)
    after = validated(Expense, parse_yaml(tidy(text)).data)
    assert before == after
    assert after.amount == Decimal("1186.40") and after.date == dt.date(2016, 9, 14)


def test_a_link_is_never_replaced(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo({f"partnerships/{PAIR}/drafts/bahn.yaml": HAND_EDITED})
    (root / EXPENSES).mkdir()
    (root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml").symlink_to(
        root / f"partnerships/{PAIR}/drafts/bahn.yaml")
    for args in (["fmt", "--check"], ["fmt"]):
        result = run(*args)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith(
            f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml: error: not tidy, and a link, which fmt "
            "never replaces; tidy the file it points to\n")
    assert (root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml").is_symlink()
    assert (root / f"partnerships/{PAIR}/drafts/bahn.yaml").read_text("utf-8") == HAND_EDITED


def test_a_file_that_cannot_be_written_is_reported_and_the_others_are_tidied(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo({f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml": HAND_EDITED,
                 "events/2016-10-12-treffen.yaml":
                     "title: Treffen\nid: 2016-10-12-treffen\ndate: 2016-10-12\n"})
    from regiotwin import fmt, writer

    def full_disk(path: Path, data: str, **options: Any) -> None:
        if path.parent.name == "expenses":
            raise OSError(28, "No space left on device")
        writer.write_atomic(path, data, **options)

    monkeypatch.setattr(fmt, "write_atomic", full_disk)
    result = run("fmt")
    assert result.exit_code == 1
    assert result.stderr == (
        "reformatted events/2016-10-12-treffen.yaml\n"
        f"{EXPENSES}/2016-09-14-stadt-a-bahn.yaml: error: not tidied: No space left on device\n"
        "1 file reformatted, 2 files already tidy, 1 file left as it is (fix the errors above)\n")
    assert (root / EXPENSES / "2016-09-14-stadt-a-bahn.yaml").read_text("utf-8") == HAND_EDITED


def test_what_the_tool_writes_and_rewrites_is_tidy(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands that change a record (keeping its comments) leave it as fmt would: fmt and
    the write path agree on key order and on how values are written."""
    root = copy_example(tmp_path)
    monkeypatch.chdir(root)
    pair = root / "partnerships/landkreis-teltow-flaeming--landkreis-giessen"
    measure = pair / "measures/energiesparmodell-schulen.yaml"
    measure.write_text("# Arbeitsplan, Punkt 1\n" + measure.read_text("utf-8").replace(
        "status:", "# Stand\nstatus:"), encoding="utf-8")
    assert run("fmt", "--check").exit_code == 0
    for args in (["measure", "set", "energiesparmodell-schulen", "--status", "done",
                  "--result", "Läuft: an 12 Schulen", "--start", "2016-09-01"],
                 ["contact", "add", "--partner", "landkreis-giessen", "--name", "Kim Gast",
                  "--function", "no", "--phone", "0641 12:30"],
                 ["meeting", "done", "2016-07-20-jour-fixe", "1"],
                 ["expense", "add", "--partner", "landkreis-giessen", "--date", "2016-09-15",
                  "--amount", "12,5", "--category", "travel", "--description", "Taxi: 2016",
                  "--payee", "yes"]):
        assert run(*args).exit_code == 0, args
    result = run("fmt", "--check")
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    assert "# Stand\nstatus: done" in measure.read_text("utf-8")
