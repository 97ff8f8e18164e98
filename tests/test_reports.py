"""Reports, the calendar export and the consultant's overview (issue #6).

Golden files live in tests/golden/; regenerate them with REGIOTWIN_UPDATE_GOLDEN=1 after a
deliberate change to a template, and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from icalendar import Calendar
from markdown_it import MarkdownIt

from tests.conftest import PAIR, copy_example

P = f"partnerships/{PAIR}"
GOLDEN = Path(__file__).parent / "golden"
HAZARD = "A|B <script>alert(1)</script> `x` a: b # c; d\nzweite Zeile"
AS_OF = "2016-10-20"


@pytest.fixture
def year(repo: Callable[..., Path], run: Callable[..., Result]) -> Path:
    """A fixed test pair with a few months of work, one hazard string in each kind of text."""
    root = repo({"protokoll.md": "Besprochen: **Arbeitsplan**.\n\n<b>fett</b> & mehr\n"})
    steps = [
        ["meeting", "add", "--date", "2016-07-05", "--time", "10:00", "--kind", "workshop",
         "--title", "Auftakt", "--location", "Rathaus A", "--participant", "Anna Alt",
         "--participant", "Bernd Bau", "--participant", "Kim Gast", "--agenda", "Arbeitsplan",
         "--agenda", HAZARD, "--minutes-file", "protokoll.md", "--decision", "Jour fixe monatlich",
         "--action", "Entwurf Arbeitsplan @Anna Alt due 2016-07-20",
         "--action", f"{HAZARD} @stadt-b due 2016-08-01"],
        ["meeting", "add", "--date", "2016-08-02", "--kind", "phone-conference",
         "--location", "Telefon"],
        ["meeting", "add", "--date", "2016-08-30", "--title", "Jour fixe: Planung #2"],
        ["event", "add", "--date", "2016-09-21", "--title", "1. Vernetzungstreffen",
         "--location", "Berlin"],
        ["measure", "add", "--title", "Energiesparmodell Schulen", "--owner", "stadt-a",
         "--owner", "stadt-b", "--start", "2016-08-01", "--due", "2017-03-31",
         "--planned-cost", "500", "--needs-decision"],
        ["measure", "add", "--title", "Kampagne | Haushalte", "--owner", "stadt-b"],
        ["measure", "set", "kampagne-haushalte", "--status", "in-progress"],
        ["decision", "add", "--partner", "stadt-a", "--body", "Stadtrat", "--date", "2016-09-15",
         "--title", "Energiesparmodell", "--number", "12/2016", "--status", "passed",
         "--measure", "energiesparmodell-schulen"],
        ["expense", "add", "--partner", "stadt-a", "--date", "2016-07-05", "--amount", "84,50",
         "--category", "project", "--description", "Verpflegung Auftakt", "--payee", "Bäckerei"],
        ["expense", "add", "--partner", "stadt-b", "--date", "2016-07-05", "--amount", "1.250,00",
         "--category", "travel", "--description", "Bahn", "--payee", "=HYPERLINK()"],
        ["expense", "add", "--partner", "stadt-b", "--date", "2016-09-21", "--amount", "212,40",
         "--category", "travel", "--description", "Fahrt Berlin", "--over-cap"],
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.stderr)
    return root


def render(run: Callable[..., Result], *args: str) -> str:
    result = run("report", "render", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("minutes", ["--as-of", AS_OF, "--meeting", "2016-07-05-auftakt"]),
        ("status", ["--as-of", AS_OF]),
        ("budget", ["--as-of", AS_OF]),
        ("final", []),  # as of the end of the period, 30.06.2017
        ("council", ["--as-of", AS_OF, "--partner", "Stadt B", "--meeting-date", "2016-11-24",
                     "--number", "B-112/2016", "--signed-by", "Berta Bürgermeisterin",
                     "--place", "B-Stadt"]),
        ("proof", []),
    ],
)
def test_golden_reports(year: Path, run: Callable[..., Result], kind: str, args: list[str]) -> None:
    text = render(run, kind, *args)
    golden = GOLDEN / f"{kind}.md"
    if os.environ.get("REGIOTWIN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


# --- the Markdown and the charts hold together ----------------------------------------------------


def table_shapes(text: str) -> list[list[int]]:
    """Cells per row of every table, as a Markdown parser (markdown-it, GFM tables) sees it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    shapes: list[list[int]] = []
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            shapes.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            shapes[-1].append(cells)
    return shapes


def source_table_rows(text: str) -> list[list[int]]:
    """Pipe-separated cells per source line of each table block (unescaped pipes only)."""
    blocks: list[list[int]] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("|"):
            if not inside:
                blocks.append([])
                inside = True
            blocks[-1].append(len(re.findall(r"(?<!\\)\|", line)) - 1)
        else:
            inside = False
    return blocks


MERMAID_GANTT = [
    re.compile(r"^gantt$"),
    re.compile(r"^    title [^:;#\n]+$"),
    re.compile(r"^    dateFormat YYYY-MM-DD$"),
    re.compile(r"^    axisFormat %m/%Y$"),
    re.compile(r"^    section [^:;#\n]+$"),
    re.compile(r"^    [^:;#\n%{}]+ :(?:(?:done|active|crit), )?m\d+, \d{4}-\d{2}-\d{2}, \d{4}-\d{2}-\d{2}$"),
    re.compile(r"^    [^:;#\n%{}]+ :milestone, [mt]\d+, \d{4}-\d{2}-\d{2}, 0d$"),
]
MERMAID_PIE = [
    re.compile(r"^pie title [^:;#\n]+$"),
    re.compile(r'^    "[^"\n]+" : \d+\.\d{2}$'),
]


def mermaid_blocks(text: str) -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"```mermaid\n(.*?)```", text, re.S)]


def assert_valid_mermaid(block: list[str]) -> None:
    """A strict checker of the Mermaid subset the reports use: every line must match a rule."""
    rules = MERMAID_GANTT if block[0] == "gantt" else MERMAID_PIE
    assert block[0] in ("gantt",) or block[0].startswith("pie title ")
    for line in block:
        assert any(rule.match(line) for rule in rules), f"invalid Mermaid line: {line!r}"


@pytest.mark.parametrize("kind", ["minutes", "status", "budget", "final", "council", "proof"])
def test_markdown_tables_and_charts_are_well_formed(
    year: Path, run: Callable[..., Result], kind: str
) -> None:
    args = ["--meeting", "2016-07-05-auftakt"] if kind == "minutes" else []
    text = render(run, kind, "--as-of", AS_OF, *args)
    for shape in table_shapes(text):
        assert len(set(shape)) == 1, shape  # every row has the header's number of cells
    for block in source_table_rows(text):
        assert len(set(block)) == 1, block
    assert len(table_shapes(text)) == len(source_table_rows(text))
    for block in mermaid_blocks(text):
        assert_valid_mermaid(block)
    if kind in ("status", "final"):
        kinds = sorted(block[0].split()[0] for block in mermaid_blocks(text))
        assert kinds == ["gantt", "pie"]


def test_the_example_renders_every_kind(run: Callable[..., Result], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(copy_example(tmp_path))
    for kind in ("status", "budget", "final", "council", "proof"):
        text = render(run, kind, "--as-of", "2017-01-20")
        assert all(len(set(s)) == 1 for s in table_shapes(text))
        for block in mermaid_blocks(text):
            assert_valid_mermaid(block)
    minutes = render(run, "minutes", "--meeting", "2016-06-15-auftaktworkshop-regio-twinning")
    assert minutes.startswith("# Protokoll: Auftaktworkshop Regio-Twinning\n")


# --- escaping, one test per hazard ----------------------------------------------------------------


def test_pipe_and_newline_do_not_break_a_table(year: Path, run: Callable[..., Result]) -> None:
    text = render(run, "status", "--as-of", AS_OF)
    row = next(line for line in text.splitlines() if "Kampagne" in line and line.startswith("|"))
    assert "Kampagne \\| Haushalte" in row
    minutes = render(run, "minutes", "--meeting", "2016-07-05-auftakt")
    action = next(line for line in minutes.splitlines() if line.startswith("| 2 |"))
    assert "<br>zweite Zeile" in action
    assert all(len(set(s)) == 1 for s in table_shapes(minutes))


def test_html_stays_inert(year: Path, run: Callable[..., Result]) -> None:
    minutes = render(run, "minutes", "--meeting", "2016-07-05-auftakt")
    assert "<script>" not in minutes and "<b>" not in minutes
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in minutes
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; mehr" in minutes
    assert "Besprochen: **Arbeitsplan**." in minutes  # the user's Markdown stays Markdown
    html = MarkdownIt("commonmark").enable("table").render(minutes)
    assert "<script>" not in html and "<b>" not in html


def test_backticks_and_emphasis_are_literal(year: Path, run: Callable[..., Result]) -> None:
    minutes = render(run, "minutes", "--meeting", "2016-07-05-auftakt")
    assert "\\`x\\`" in minutes
    html = MarkdownIt("commonmark").render(minutes)
    assert "<code>x</code>" not in html


def test_mermaid_labels_cannot_break_the_chart(year: Path, run: Callable[..., Result]) -> None:
    text = render(run, "status", "--as-of", AS_OF)
    gantt = next(b for b in mermaid_blocks(text) if b[0] == "gantt")
    assert "    Jour fixe∶ Planung Nr.2 :milestone, t3, 2016-08-30, 0d" in gantt
    assert "    Energiesparmodell Schulen :m2, 2016-08-01, 2017-03-31" in gantt
    assert_valid_mermaid(gantt)


def test_pie_leaves_out_zero_slices(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    assert "Bisher keine Ausgaben, daher kein Diagramm." in render(run, "budget", "--as-of", AS_OF)
    run("expense", "add", "--partner", "stadt-a", "--date", "2016-07-05", "--amount", "10",
        "--category", "travel", "--description", "Bus")
    pie = mermaid_blocks(render(run, "budget", "--as-of", AS_OF))[0]
    assert pie == ["pie title Ausgaben nach Kategorie", '    "Reisekosten" : 10.00']


# --- templates: sources, overrides, errors ----------------------------------------------------


def test_report_list_names_the_template_sources(year: Path, run: Callable[..., Result]) -> None:
    (year / "templates").mkdir()
    (year / "templates" / "budget.md.j2").write_text("Budget {{ pair.title }}\n")
    lines = run("report", "list").stdout.splitlines()
    budget = next(line for line in lines if line.strip().startswith("budget"))
    assert "templates/budget.md.j2" in budget and "data repository" in budget
    status = next(line for line in lines if line.strip().startswith("status"))
    assert "built-in" in status
    assert render(run, "budget", "--as-of", AS_OF) == "Budget Stadt A – Stadt B\n"
    listed = json.loads(run("report", "list", "--json").stdout)
    assert [(r["kind"], r["from"]) for r in listed] == [
        ("minutes", "built-in"), ("status", "built-in"), ("budget", "data repository"),
        ("final", "built-in"), ("council", "built-in"), ("proof", "built-in")]


def test_template_option_and_shared_macros(year: Path, run: Callable[..., Result]) -> None:
    own = year / "mine.md.j2"
    own.write_text('{% import "macros.md.j2" as m %}# {{ pair.title|text }}\n'
                   "{{ m.budget_table(budget) }}")
    text = render(run, "status", "--as-of", AS_OF, "--template", str(own))
    assert text.startswith("# Stadt A – Stadt B\n| Partner | Förderhöchstbetrag |")


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("ok\n{{ pair.titel }}\n", 2,
         "'regiotwin.context.PairInfo object' has no attribute 'titel'"),
        ("ok\n\n{% if %}\n", 3, "Expected an expression, got 'end of statement block'"),
        ("{{ pair.__class__.__mro__ }}\n", 1,
         "access to attribute '__class__' of 'PairInfo' object is unsafe."),
    ],
)
def test_template_errors_name_file_and_line_and_write_nothing(
    year: Path, run: Callable[..., Result], source: str, line: int, message: str
) -> None:
    bad = year / "bad.md.j2"
    bad.write_text(source)
    out = year / "out.md"
    result = run("report", "render", "status", "--template", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"bad.md.j2:{line}: error: {message}"
    assert not out.exists()
    assert not list(year.glob(".out.md.*"))


def test_output_file_is_written(year: Path, run: Callable[..., Result]) -> None:
    out = year / "bericht.md"
    result = run("report", "render", "budget", "--as-of", AS_OF, "-o", str(out))
    assert (result.exit_code, result.stderr) == (0, f"wrote {out}\n")
    assert out.read_text(encoding="utf-8") == (GOLDEN / "budget.md").read_text(encoding="utf-8")


def test_minutes_default_to_the_latest_meeting(year: Path, run: Callable[..., Result]) -> None:
    assert render(run, "minutes", "--as-of", "2016-08-10").startswith(
        "# Protokoll: Telefonkonferenz am 02.08.2016\n")
    assert render(run, "minutes", "--as-of", AS_OF).startswith(
        "# Protokoll: Jour fixe: Planung \\#2\n")
    early = run("report", "render", "minutes", "--as-of", "2016-07-01")
    assert (early.exit_code, early.stderr) == (
        2, "error: there is no meeting to write minutes for yet; add one with "
           "`regiotwin meeting add`, or name one with --meeting\n")
    unknown = run("report", "render", "minutes", "--meeting", "nope")
    assert (unknown.exit_code, unknown.stderr) == (1, (
        "error: no meeting 'nope' (--meeting); the closest: 2016-07-05-auftakt, "
        "2016-08-02-phone-conference, 2016-08-30-jour-fixe-planung-2\n"))
    assert render(run, "minutes", "--meeting", "02.08.2016").startswith(
        "# Protokoll: Telefonkonferenz am 02.08.2016\n")


# --- calendar and overview ----------------------------------------------------------------------


def test_calendar_parses_and_has_a_timezone(
    year: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    result = run("export", "calendar")
    assert result.exit_code == 0
    cal = Calendar.from_ical(result.stdout_bytes)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    auftakt = events[f"{PAIR}-meeting-2016-07-05-auftakt@regiotwin"]
    assert auftakt.decoded("DTSTART").isoformat() == "2016-07-05T10:00:00+02:00"
    assert str(auftakt["DTSTART"].params["TZID"]) == "Europe/Berlin"
    phone = events[f"{PAIR}-meeting-2016-08-02-phone-conference@regiotwin"]
    assert phone.decoded("DTSTART").isoformat() == "2016-08-02"  # all-day
    assert f"{PAIR}-measure-energiesparmodell-schulen@regiotwin" in events
    assert sum(uid.startswith(f"{PAIR}-action-2016-07-05-auftakt-") for uid in events) == 2
    assert f"{PAIR}-deadline-verwendungsnachweis@regiotwin" in events
    assert "event-2016-09-21-1-vernetzungstreffen@regiotwin" in events
    again = run("export", "calendar").stdout_bytes
    assert again == result.stdout_bytes  # SOURCE_DATE_EPOCH: reproducible output


def test_status_overview(year: Path, run: Callable[..., Result]) -> None:
    rows = json.loads(run("status", "--as-of", AS_OF, "--json").stdout)
    assert rows == [{
        "pair": PAIR, "valid": True, "errors": 0, "title": "Stadt A – Stadt B",
        "start": "2016-07-01", "end": "2017-06-30",
        "elapsed_percent": "31", "meetings_held": 4, "last_meeting": "2016-09-21",
        "days_since_last_meeting": 29,
        "budget": [
            {"partner": "stadt-a", "prefix": "stadt-a", "percent_used": "6.0",
             "remaining": "1315.50", "headroom": "1315.50", "over_cap": False, "over_limit": False},
            {"partner": "stadt-b", "prefix": "stadt-b", "percent_used": "100.0",
             "remaining": "0.00", "headroom": "150.00", "over_cap": True, "over_limit": False},
        ],
        "open_actions": 2, "overdue_actions": 2, "unmet_obligations": 5,
        "obligations": [
            "no receipt for 'Verpflegung Auftakt' (2016-07-05); the proof of use needs one for every expense",
            "no receipt for 'Bahn' (2016-07-05); the proof of use needs one for every expense",
            "no receipt for 'Fahrt Berlin' (2016-09-21); the proof of use needs one for every expense",
            "action item 1 ('Entwurf Arbeitsplan') was due on 2016-07-20 and is still open",
            "action item 2 ('A|B <script>alert(1)</script> `x` a: b # c; d\\nzweite Zeile') was due on 2016-08-01 and is still open",
        ],
        "next_deadline": {"id": "zwischennachweis-2016", "title": "Zwischennachweis 2016",
                          "due": "2017-04-30", "submitted": None, "state": "open",
                          "days_left": 192},
    }]
    table = run("status", "--as-of", AS_OF).stdout
    assert PAIR in table and "stadt-b 100,0 %" in table
