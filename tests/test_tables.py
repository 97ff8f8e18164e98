"""Tables that never cut money (issue #12), and lists as CSV and TSV."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from regiotwin import terminal
from regiotwin.money import format_eur
from regiotwin.terminal import Column, delimited, table
from tests.conftest import PAIR, copy_example

P = f"partnerships/{PAIR}"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _figures_of_budget(data: dict[str, object]) -> set[str]:
    figures = set()
    for pair in data["pairs"]:  # type: ignore[attr-defined]
        for row in [*pair["partners"], pair["totals"]]:
            for key in ("cap", "project", "travel", "total", "grant", "own_funds", "remaining",
                        "headroom"):
                figures.add(format_eur(Decimal(row[key])))
    return figures


@pytest.mark.parametrize("width", ["60", "80"])
def test_budget_status_shows_every_amount_in_full(
    example: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    """Why: at 80 columns `budget status` showed "1.40…", at 60 every amount was "1.…"."""
    figures = _figures_of_budget(json.loads(run("budget", "status", "--json").stdout))
    monkeypatch.setenv("COLUMNS", width)
    shown = run("budget", "status").stdout
    assert "…" not in shown
    assert all(len(line) <= int(width) for line in shown.splitlines())
    missing = [f for f in figures if f not in shown]
    assert missing == []
    assert "57,8 %" in shown and "69,5 %" in shown


@pytest.mark.parametrize("width", ["60", "80"])
def test_expense_list_shows_every_amount_and_date_in_full(
    example: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    rows = json.loads(run("expense", "list", "--json").stdout)
    monkeypatch.setenv("COLUMNS", width)
    shown = run("expense", "list").stdout
    assert "…" not in shown
    for row in rows:
        assert format_eur(Decimal(row["amount"])) in shown
        assert row["date"] in shown
        assert row["number"] in shown


@pytest.mark.parametrize("width", ["60", "80"])
def test_status_shows_every_figure_in_full(
    example: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    """Why: `status` needed about 220 columns."""
    rows = json.loads(run("status", "--as-of", "2016-12-31", "--json").stdout)
    monkeypatch.setenv("COLUMNS", width)
    shown = run("status", "--as-of", "2016-12-31").stdout
    assert "…" not in shown
    assert all(len(line) <= int(width) for line in shown.splitlines())
    for row in rows:
        for partner in row["budget"]:
            assert f"{partner['partner']} {partner['percent_used'].replace('.', ',')} %" in shown
        assert f"{row['start']} to {row['end']}" in shown
        assert f"last meeting       {row['last_meeting']}" in shown


def test_a_narrow_budget_turns_then_is_one_block_per_partner(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo()
    assert run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount",
               "1.260,50", "--category", "travel", "--description", "Bahn").exit_code == 0
    monkeypatch.setenv("COLUMNS", "60")  # too narrow for a column per figure: turned
    assert run("budget", "status").stdout == (
        "Stadt A – Stadt B (stadt-a--stadt-b)              \n"
        "                Stadt A      Stadt B        Summe \n"
        "──────────────────────────────────────────────────\n"
        " cap         1.400,00 €   1.400,00 €   2.800,00 € \n"
        " project         0,00 €       0,00 €       0,00 € \n"
        " travel      1.260,50 €       0,00 €   1.260,50 € \n"
        " total       1.260,50 €       0,00 €   1.260,50 € \n"
        " grant       1.260,50 €       0,00 €   1.260,50 € \n"
        " own funds       0,00 €       0,00 €       0,00 € \n"
        " remaining     139,50 €   1.400,00 €   1.539,50 € \n"
        " headroom      139,50 €   1.400,00 €   1.539,50 € \n"
        " used            90,0 %        0,0 %              \n"
        " mark            ≥ 90 %                           \n"
    )
    monkeypatch.setenv("COLUMNS", "40")  # too narrow for that too: a block per partner
    assert run("budget", "status").stdout == (
        "Stadt A – Stadt B (stadt-a--stadt-b)\n"
        "\n"
        "partner    Stadt A\n"
        "cap        1.400,00 €\n"
        "project    0,00 €\n"
        "travel     1.260,50 €\n"
        "total      1.260,50 €\n"
        "grant      1.260,50 €\n"
        "own funds  0,00 €\n"
        "remaining  139,50 €\n"
        "headroom   139,50 €\n"
        "used       90,0 %\n"
        "mark       ≥ 90 %\n"
        "\n"
        "partner    Stadt B\n"
        "cap        1.400,00 €\n"
        "project    0,00 €\n"
        "travel     0,00 €\n"
        "total      0,00 €\n"
        "grant      0,00 €\n"
        "own funds  0,00 €\n"
        "remaining  1.400,00 €\n"
        "headroom   1.400,00 €\n"
        "used       0,0 %\n"
        "\n"
        "partner    Summe\n"
        "cap        2.800,00 €\n"
        "project    0,00 €\n"
        "travel     1.260,50 €\n"
        "total      1.260,50 €\n"
        "grant      1.260,50 €\n"
        "own funds  0,00 €\n"
        "remaining  1.539,50 €\n"
        "headroom   1.539,50 €\n"
    )


def test_text_wraps_and_figures_stay_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    table(["date", "description", "amount"],
          [[dt.date(2016, 9, 14), "Bahnfahrt zur Exkursion nach Gießen mit zwei Personen",
            "1.234.567,89 €"], [dt.date(2016, 9, 15), "Kurz", "1,00 €"]],
          right=["amount"])
    table(["id", "description", "amount"],
          [["2016-09-14-landkreis-teltow-flaeming-bahnfahrt", "Bahnfahrt", "1.234.567,89 €"]],
          right=["amount"])
    rule = "─" * 50
    assert capsys.readouterr().out == (
        " date         description                  amount \n"
        f"{rule}\n"
        " 2016-09-14   Bahnfahrt zur        1.234.567,89 € \n"
        "              Exkursion nach                      \n"
        "              Gießen mit zwei                     \n"
        "              Personen                            \n"
        " 2016-09-15   Kurz                         1,00 € \n"
        # a word too wide for the table: one block per record, and the word (text, not an id)
        # is broken only because it is wider than the line, after a hyphen between letters
        "id           2016-09-14-landkreis-teltow-flaeming-\n"
        "             bahnfahrt\n"
        "description  Bahnfahrt\n"
        "amount       1.234.567,89 €\n"
    )


words = st.text(alphabet="abcdefghij -.,€0123456789ÄÖÜßé", min_size=0, max_size=40)


@settings(max_examples=150, deadline=None)
@given(width=st.integers(20, 140),
       rows=st.lists(st.tuples(words, st.decimals(min_value=0, max_value=10**8, places=2,
                                                  allow_nan=False),
                               st.dates(), words), min_size=1, max_size=4))
def test_figures_are_never_cut(width: int, rows: list[tuple[str, Decimal, dt.date, str]]) -> None:
    """At any width every amount and date appears whole, on one line."""
    import io
    from unittest import mock

    buffer = io.StringIO()
    columns = [Column("title"), Column("amount", kind="money"), Column("date", kind="date"),
               Column("note")]
    with mock.patch.dict("os.environ", {"COLUMNS": str(width)}), \
            mock.patch("sys.stdout", buffer):
        table(columns, [list(r) for r in rows])
    shown = buffer.getvalue()
    assert "…" not in shown
    for _, amount, day, _ in rows:
        assert format_eur(amount) in shown
        assert day.isoformat() in shown


@given(text=st.text(alphabet="abc -\u00a0\n", max_size=60), size=st.integers(1, 30))
def test_wrapped_text_loses_nothing(text: str, size: int) -> None:
    """Text is broken at spaces (never at a no-break space, unless a word is longer than the
    column) into lines no longer than the column; no character is lost."""
    from regiotwin.terminal import _wrapped

    lines = _wrapped(text, size).split("\n")
    if max((len(line) for line in text.split("\n")), default=0) > size:
        assert all(len(line) <= size for line in lines)
    assert "".join("".join(lines).split(" ")) == "".join(text.replace("\n", "").split(" "))


# --- the same text with rich (a terminal) and without (a file or a pipe) ------------------------

_TEXT = st.text(alphabet="ab Z-.,:/€–\u00a0語\né\t\x07", max_size=40)
_VALUES = st.one_of(_TEXT, st.none(), st.integers(-5, 10**6),
                    st.decimals(min_value=0, max_value=10**7, places=2),
                    st.dates(dt.date(2016, 1, 1), dt.date(2017, 12, 31)),
                    st.lists(st.text(alphabet="ab ", max_size=5), max_size=3),
                    st.builds(lambda t, s: terminal.Styled(t, s), _TEXT,
                              st.sampled_from(["", "red", "bold red"])))
_KINDS = st.sampled_from(["text", "money", "date", "number", "figure", "label"])


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[object], list[list[object]], str | None, list[str]]:
    count = draw(st.integers(1, 5))
    headers = draw(st.lists(st.text(alphabet="ab d€語\u00a0", max_size=12), min_size=count,
                            max_size=count))
    columns: list[object] = [
        terminal.Column(h, kind=draw(_KINDS)) if draw(st.booleans()) else h for h in headers]
    rows = draw(st.lists(st.lists(_VALUES, min_size=count, max_size=count), max_size=4))
    for row in rows:  # money cells hold amounts
        for i, column in enumerate(columns):
            if isinstance(column, terminal.Column) and column.kind == "money":
                row[i] = draw(st.decimals(min_value=0, max_value=10**7, places=2))
    title = draw(st.none() | _TEXT)
    right = draw(st.lists(st.sampled_from(headers), max_size=2))
    return columns, rows, title, right


def _drawn(show: Callable[[], None], terminal_like: bool, columns: int | None) -> str:
    """What *show* prints: through rich (a terminal without colour, as the tests always saw
    it) or through the plain path (a file)."""
    from rich.console import Console

    buffer = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        if columns is None:
            patch.delenv("COLUMNS", raising=False)
        else:
            patch.setenv("COLUMNS", str(columns))
        patch.setattr(terminal, "is_terminal", lambda stream: terminal_like)
        patch.setattr(terminal, "out", lambda: Console(
            file=buffer, width=terminal.width(), highlight=False, color_system=None))
        patch.setattr(terminal, "err", lambda: Console(
            file=buffer, highlight=False, color_system=None))
        patch.setattr(sys, "stdout", buffer)
        patch.setattr(sys, "stderr", buffer)
        show()
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(case=_tables(), columns=st.none() | st.integers(8, 120))
def test_a_table_without_rich_is_what_rich_draws(
    case: tuple[list[object], list[list[object]], str | None, list[str]], columns: int | None
) -> None:
    """Issue #16: written to a file or a pipe, tables are made without rich, character for
    character as rich draws them (blocks too, when no table fits)."""
    head, rows, title, right = case

    def show() -> None:
        terminal.table(head, rows, title=title, right=right)  # type: ignore[arg-type]

    assert _drawn(show, False, columns) == _drawn(show, True, columns)


@settings(max_examples=200, deadline=None)
@given(text=_TEXT, columns=st.none() | st.integers(8, 120))
def test_lines_without_rich_are_what_rich_prints(text: str, columns: int | None) -> None:
    def show() -> None:
        terminal.echo(text)
        terminal.echo_lines([text, text + "\t"])
        terminal.note(text, "red")
        terminal.print_diff(f"--- a\n+++ b\n@@ -1 +1 @@\n-{text}\n+{text}")

    assert _drawn(show, False, columns) == _drawn(show, True, columns)


def test_cells_are_counted_as_rich_counts_them() -> None:
    from rich.cells import cell_len

    assert all(terminal.cell_len(c) == cell_len(c) == 1 for c in "€–—…≥≤„“”‚‘’•→←")
    for text in ("1.400,00 €", "語語", "e\u0301", "\x07", "a\u200bb", "👍", "Łódź"):
        assert terminal.cell_len(text) == cell_len(text), text


# --- CSV and TSV -------------------------------------------------------------------------------


def test_expense_list_as_csv_and_tsv(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    for args in (["--amount", "1.260,50", "--description", "Bahn, 2. Klasse", "--payee",
                  "Deutsche Bahn"],
                 ["--amount", "12", "--description", "Tab\there", "--over-cap"]):
        assert run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01",
                   "--category", "travel", *args).exit_code == 0
    assert run("expense", "cancel", "stadt-a-2", "--reason", "doppelt",
               "--date", "2016-08-02").exit_code == 0
    header = ("pair,no,date,partner,category,amount,own share,over cap,cancelled,reason,payee,"
              "description,computation,receipt,meeting,measure,id\n")
    assert run("expense", "list", "--format", "csv").stdout == header + (
        f"{PAIR},stadt-a-001,2016-08-01,stadt-a,travel,1260.50,0.00,false,,,Deutsche Bahn,"
        '"Bahn, 2. Klasse",,,,,2016-08-01-stadt-a-bahn-2-klasse\n'
        f"{PAIR},stadt-a-002,2016-08-01,stadt-a,travel,12.00,0.00,true,2016-08-02,doppelt,,"
        "Tab\there,,,,,2016-08-01-stadt-a-tab-here\n")
    tsv = run("expense", "list", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:6] == ["pair", "no", "date", "partner", "category", "amount"]
    assert tsv[2].split("\t")[11] == "Tab here"  # a tab inside a value would shift columns
    assert len(tsv) == 3 and all(line.count("\t") == 16 for line in tsv)


def test_every_list_takes_csv(example: Path, run: Callable[..., Result]) -> None:
    for command, first in ((["meeting", "list"], "date,time,kind,title,open actions,id"),
                           (["measure", "list"],
                            "id,title,owners,status,start,due,planned cost,decision"),
                           (["decision", "list"],
                            "date,body,number,title,status,partner,measures,id"),
                           (["event", "list"], "date,kind,title,location,pairs,id"),
                           (["contact", "list"], "partner,name,function,email,phone"),
                           (["partnership", "list"], "id,title,topic,start,end,partners")):
        result = run(*command, "--format", "csv")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[0] == first
    measures = run("measure", "list", "--format", "tsv").stdout.splitlines()
    planned = json.loads(run("measure", "list", "--json").stdout)[0]["planned_cost"]
    assert measures[1].split("\t")[6] == planned == "300.00"  # plain, for a spreadsheet


def test_json_and_csv_exclude_each_other(example: Path, run: Callable[..., Result]) -> None:
    result = run("meeting", "list", "--json", "--format", "csv")
    assert (result.exit_code, result.stderr) == (
        2, "error: --json and --format csv exclude each other\n")
    assert run("meeting", "list", "--format", "json").stdout == run(
        "meeting", "list", "--json").stdout


def test_delimited_values() -> None:
    columns = [Column("a"), Column("b")]
    rows = [{"a": ["x", "y"], "b": Decimal("1.50")}, {"a": None, "b": dt.date(2016, 1, 2)}]
    assert delimited(rows, columns, "csv") == 'a,b\n"x, y",1.50\n,2016-01-02\n'
    assert delimited([{"a": "x\ny", "b": True}], columns, "tsv") == "a\tb\nx y\ttrue\n"
