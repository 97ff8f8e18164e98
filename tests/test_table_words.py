"""Tables never break a word, an id or a figure (the new-user trial of issue #12's tables):
text wraps at spaces, a compound word after its hyphen only when it is wider than its column,
and a table that cannot fit so becomes one block per record."""

from __future__ import annotations

import datetime as dt
import io
import json
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from regiotwin.terminal import Column, _wrapped, table
from tests.conftest import PROGRAMME, copy_example, write_files


def shown(columns: list[Column | str], rows: list[list[object]], width: int) -> str:
    buffer = io.StringIO()
    with mock.patch.dict("os.environ", {"COLUMNS": str(width)}), mock.patch("sys.stdout", buffer):
        table(columns, rows)
    return buffer.getvalue()


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the rules, on the table itself --------------------------------------------------------------


def test_text_wraps_at_spaces_and_a_compound_word_only_when_it_must() -> None:
    assert _wrapped("Landkreis Teltow-Fläming", 14) == "Landkreis\nTeltow-Fläming"
    assert _wrapped("Landkreis Teltow-Fläming", 10) == "Landkreis\nTeltow-\nFläming"
    # never after the hyphen of a number, a date or a Belegnummer
    assert _wrapped("Beleg TF-001 vom 2016-09-14", 6) == (
        "Beleg\nTF-001\nvom\n2016-0\n9-14")
    # an amount or a percentage in a text keeps its unit
    assert _wrapped("0,20 € per km, lunch 40 %", 7) == "0,20 €\nper km,\nlunch\n40 %"
    # an id is never broken, even when it is wider than the column
    assert _wrapped("landkreis-giessen, landkreis-teltow-flaeming", 10, "id") == (
        "landkreis-giessen,\nlandkreis-teltow-flaeming")


def test_a_name_is_never_broken_inside_a_word() -> None:
    """Why: at 120 columns `budget status` showed "Landkreis / Teltow-Flämi / ng"."""
    columns: list[Column | str] = [Column("partner"), *(Column(h, kind="money") for h in "abcd")]
    rows: list[list[object]] = [["Landkreis Teltow-Fläming", *[Decimal("1400.00")] * 4]]
    cells = [line[1:15].rstrip() for line in shown(columns, rows, 68).splitlines()[2:]]
    assert cells == ["Landkreis", "Teltow-Fläming"]
    cells = [line[1:11].rstrip() for line in shown(columns, rows, 64).splitlines()[2:]]
    assert cells == ["Landkreis", "Teltow-", "Fläming"]
    assert shown(columns, rows, 63).splitlines()[0] == "partner  Landkreis Teltow-Fläming"


def test_ids_stay_whole_and_a_table_that_cannot_fit_becomes_blocks() -> None:
    """Why: `expense list` split each id into 5-7 pieces, so that none could be copied."""
    expense = "2016-09-14-landkreis-teltow-flaeming-bahnfahrt-zur-exkursion-nach-giessen"
    columns: list[Column | str] = [Column("no", kind="label"), Column("description"),
                                   Column("id", kind="id")]
    rows: list[list[object]] = [["TF-001", "Bahnfahrt zur Exkursion nach Gießen", expense]]
    for width in (100, 80, 40):
        text = shown(columns, rows, width)
        assert any(expense in line for line in text.splitlines()), (width, text)
        assert any("TF-001" in line for line in text.splitlines())
    assert shown(columns, rows, 80) == (
        "no           TF-001\n"
        "description  Bahnfahrt zur Exkursion nach Gießen\n"
        f"id           {expense}\n")


def test_an_optional_column_is_left_out_before_the_table_becomes_blocks(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    columns = [Column("date", kind="date"), Column("title"),
               Column("id", kind="id", optional=1)]
    rows = [[dt.date(2016, 6, 15), "Auftaktworkshop", "2016-06-15-auftaktworkshop-regio-twinning"]]
    table(columns, rows)
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == ["date", "title"]
    assert out.splitlines()[2].split() == ["2016-06-15", "Auftaktworkshop"]
    assert err == "left out at 60 columns: id (--format csv shows every column)\n"
    monkeypatch.setenv("COLUMNS", "100")
    table(columns, rows)
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == ["date", "title", "id"]
    assert err == ""


def test_a_headerless_column_nobody_fills_takes_no_room(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    table(["partner", ""], [["Stadt A", ""], ["Stadt B", None]])
    assert capsys.readouterr().out == " partner \n─────────\n Stadt A \n Stadt B \n"


unbreakable = st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=30)
words = st.text(alphabet="abcdefg -ÄÖß", min_size=0, max_size=40)


@settings(max_examples=150, deadline=None)
@given(width=st.integers(30, 160),
       rows=st.lists(st.tuples(words, unbreakable, unbreakable, words), min_size=1, max_size=4))
def test_ids_and_labels_appear_whole_at_any_width(
    width: int, rows: list[tuple[str, str, str, str]]
) -> None:
    """At any width every id and label stands whole on one line, and no word of a text that
    fits the width is broken inside (only after a hyphen between letters)."""
    columns: list[Column | str] = [Column("title"), Column("id", kind="id"),
                                   Column("no", kind="label"), Column("note")]
    text = shown(columns, [list(r) for r in rows], width)
    lines = text.splitlines()
    for title, ident, label, note in rows:
        assert any(ident in line for line in lines)
        assert any(label in line for line in lines)
        for word in (title + " " + note).split():
            pieces = [p for p in word.replace("-", "- ").split(" ") if p]
            if len(word) <= width - len("title  ") and len(word) > 0:
                assert all(any(p in line for line in lines) for p in pieces), (word, text)


# --- the commands at an ordinary width -----------------------------------------------------------


def _new_pair(run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("init", str(tmp_path / "t")).exit_code == 0
    monkeypatch.chdir(tmp_path / "t")
    assert run("partnership", "new", "--partner", "Landkreis Teltow-Fläming", "--partner",
               "Landkreis Gießen", "--start", "2016-07-01", "--topic",
               "Energiesparmodelle in Schulen").exit_code == 0


def test_budget_status_of_a_new_pair_keeps_names_whole_at_120(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: a new user saw "Landkreis / Teltow-Flämi / ng" at COLUMNS=120."""
    _new_pair(run, tmp_path, monkeypatch)
    monkeypatch.setenv("COLUMNS", "120")
    lines = run("budget", "status").stdout.splitlines()
    assert lines[1:3] == [" " * 82 + "own" + " " * 35, " partner" + " " * 27 + "cap   project"
                          "   travel    total    grant     funds    remaining     headroom    used "]
    assert lines[4].split() == ["Landkreis", "Teltow-Fläming", "1.400,00", "€", "0,00", "€",
                                "0,00", "€", "0,00", "€", "0,00", "€", "0,00", "€", "1.400,00",
                                "€", "1.400,00", "€", "0,0", "%"]
    assert lines[5].split()[:2] == ["Landkreis", "Gießen"]
    assert all(len(line) <= 120 for line in lines)


def test_expense_list_at_120_never_splits_an_id(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: `expense list` split each id into 5-7 pieces. At 120 columns the long ids are left
    out (the Belegnummer names an expense too), saying so; narrower, one block per expense."""
    _new_pair(run, tmp_path, monkeypatch)
    assert run("expense", "add", "--partner", "landkreis-teltow-flaeming", "--date",
               "2016-09-14", "--amount", "120", "--category", "travel", "--description",
               "Bahnfahrt zur Exkursion nach Gießen").exit_code == 0
    monkeypatch.setenv("COLUMNS", "120")
    result = run("expense", "list")
    assert result.stderr == "left out at 120 columns: id (--format csv shows every column)\n"
    assert result.stdout.splitlines()[2].split() == [
        "TF-001", "2016-09-14", "landkreis-teltow-flaeming", "travel", "120,00", "€", "Bahnfahrt",
        "zur", "Exkursion", "nach"]
    assert result.stdout.splitlines()[3].split() == ["Gießen"]
    assert run("expense", "set", "TF-001", "--payee", "Deutsche Bahn").exit_code == 0
    monkeypatch.setenv("COLUMNS", "80")
    result = run("expense", "list")
    assert result.stderr == ""
    assert result.stdout == (
        "no           TF-001\n"
        "date         2016-09-14\n"
        "partner      landkreis-teltow-flaeming\n"
        "category     travel\n"
        "amount       120,00 €\n"
        "payee        Deutsche Bahn\n"
        "description  Bahnfahrt zur Exkursion nach Gießen\n"
        "id           2016-09-14-landkreis-teltow-flaeming-bahnfahrt-zur-exkursion-nach-giessen\n")


@pytest.mark.parametrize("command", [["expense", "list"], ["meeting", "list"],
                                     ["event", "list"], ["partnership", "list"],
                                     ["measure", "list"], ["decision", "list"],
                                     ["contact", "list"]])
@pytest.mark.parametrize("width", [60, 80, 100, 120, 160])
def test_every_list_shows_ids_whole_or_says_it_left_them_out(
    example: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
    command: list[str], width: int
) -> None:
    """Why: `event list`, `meeting list` and `partnership list` split ids like `expense list`."""
    records = json.loads(run(*command, "--json").stdout)
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(*command)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # only a line that holds an id wider than the terminal is wider (the terminal folds it)
    ids = [str(r[key]) for r in records for key in ("id", "email") if r.get(key)]
    assert all(len(line) <= width or any(len(i) > width - 14 and i in line for i in ids)
               for line in lines), result.stdout
    for key in ("id", "number", "partner", "email", "date"):
        values = [str(r[key]) for r in records if r.get(key)]
        if not values or (f" {key}" in result.stderr or f"{key}," in result.stderr):
            continue
        for value in values:
            assert any(value in line for line in lines), (key, value, result.stdout)


# --- status: a short row per pair ----------------------------------------------------------------


def _ten_pairs(root: Path) -> list[str]:
    files = {"regiotwin.yaml": PROGRAMME}
    names = ["Teltow-Fläming", "Gießen", "Oberhavel", "Lahn-Dill-Kreis", "Havelland",
             "Wetteraukreis", "Uckermark", "Hochtaunuskreis", "Barnim", "Vogelsbergkreis",
             "Prignitz", "Odenwaldkreis", "Spree-Neiße", "Bergstraße", "Elbe-Elster", "Fulda",
             "Dahme-Spreewald", "Kassel", "Oder-Spree", "Main-Kinzig-Kreis"]
    pairs = []
    for number in range(10):
        first, second = names[2 * number], names[2 * number + 1]
        ids = ["landkreis-" + n.lower().replace("ä", "ae").replace("ß", "ss")
               for n in (first, second)]
        pair = f"{ids[0]}--{ids[1]}"
        pairs.append(pair)
        files[f"partnerships/{pair}/partnership.yaml"] = textwrap.dedent(f"""\
            id: {pair}
            title: Landkreis {first} – Landkreis {second}
            topic: Klimaschutz
            start: 2016-06-15
            partners:
            - id: {ids[0]}
              name: Landkreis {first}
              kind: Landkreis
              receipt_prefix: A{number}
              contacts:
              - name: Erika Beispiel
            - id: {ids[1]}
              name: Landkreis {second}
              kind: Landkreis
              receipt_prefix: B{number}
              contacts:
              - name: Max Beispiel
            """)
        files[f"partnerships/{pair}/meetings/2016-12-14-jour-fixe.yaml"] = textwrap.dedent("""\
            id: 2016-12-14-jour-fixe
            date: 2016-12-14
            kind: jour-fixe
            title: Jour fixe
            """)
    write_files(root, files)
    return pairs


def test_status_of_ten_pairs_at_120_is_ten_short_rows(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why: `status` promised "one row per pair", but at 120 columns each pair became a block
    of 13 lines (about 140 lines for 10 pairs)."""
    pairs = _ten_pairs(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    result = run("status", "--as-of", "2016-12-31")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 2 * 10
    assert all(len(line) <= 120 for line in lines)
    assert lines[0].split() == ["pair", "meetings", "budget", "used", "actions", "unmet",
                                "next", "deadline"]
    first = sorted(pairs)[0]
    assert [line.split() for line in lines[2:4]] == [
        [first, "1", "held", "A4", "0,0", "%", "0", "open", "2", "zwischennachweis-2016"],
        ["2016-06-15", "to", "2017-06-14,", "55", "%", "17", "d", "ago", "B4", "0,0", "%", "0",
         "late", "2017-04-30,", "in", "120", "d"]]
    for pair in pairs:
        assert any(line.startswith(f" {pair} ") for line in lines)


def test_status_help_says_what_it_shows(run: Callable[..., Result]) -> None:
    text = run("status", "--help").stdout
    assert "one row per pair" not in text
    assert "one block per pair" in text and "--json" in text
