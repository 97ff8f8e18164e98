"""Documents: reports from templates, the calendar export, the consultant's overview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from regiotwin.cli.base import (
    DATE,
    MEETING,
    OUTPUT,
    PARTNER,
    ChoiceOne,
    choose_pair,
    choose_pairs,
    command,
    current_state,
    draft_option,
    exit_if_invalid,
    group,
    json_option,
    option_param,
    output_option,
    pair_option,
    plural,
    rel_path,
    screened,
    write_output,
)

# --- reports, calendar, overview ---------------------------------------------------------------

REPORT_KINDS = ("minutes", "status", "budget", "final", "council", "proof")


@group()
def report() -> None:
    """German documents rendered from Jinja templates (Markdown)."""


@report.command("render")
@click.argument("kind", type=ChoiceOne(REPORT_KINDS), metavar="[KIND]", required=False)
@click.option("--all", "every", is_flag=True,
              help="Every kind (or KIND) for every pair, one file each under -o DIR "
                   "(default: reports): <pair>/<kind>.md, minutes/<meeting>.md, "
                   "council/<partner>.md.")
@click.option("--meeting", "meeting_id", type=MEETING,
              help="The meeting (for `minutes`; default: the latest one held).")
@click.option("--partner", type=PARTNER,
              help="Whose council the paper is for (for `council`; default: the first partner).")
@click.option("--meeting-date", type=DATE,
              help="The council's session (Sitzung) the paper is for (`council`).")
@click.option("--number", metavar="TEXT", help="The paper's number, Vorlagen-Nr. (`council`).")
@click.option("--signed-by", metavar="NAME", help="Who signs the paper (`council`).")
@click.option("--signed-as", metavar="OFFICE",
              help="The signer's office, printed under the partner's name as in the seed, "
                   "e.g. 'Die Landrätin' (`council`).")
@click.option("--place", metavar="PLACE",
              help="Where the paper is dated (`council`; default: the partner's seat).")
@click.option("--as-of", type=DATE,
              help="Report date, its Stand and the council paper's date (default: today; "
                   "`final`, `proof` and `council`: the end of the period, or today while it "
                   "runs).")
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE (atomically) instead of standard output ('-'); with --all "
                   "the folder to write into.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Use this template instead of the built-in or the repository's one.")
@draft_option
@pair_option
def report_render(
    kind: str | None, every: bool, meeting_id: str | None, partner: str | None,
    meeting_date: dt.date | None, number: str | None, signed_by: str | None,
    signed_as: str | None, place: str | None, as_of: dt.date | None, output: str | None,
    template: Path | None,
    draft: bool, pair: str | None,
) -> None:
    """Render KIND: minutes, status, budget, final, council or proof (Verwendungsnachweis).

    Templates: --template FILE, else <root>/templates/KIND.md.j2, else the built-in one.
    Refused (exit 1) when the pair's data fails `check`, unless --draft, which puts
    "ENTWURF — die Daten enthalten N Fehler" at the top of the document. With --all, pairs
    whose data fails `check` are skipped (exit 1) unless --draft.
    """
    from regiotwin.context import CouncilOptions, ReportRequest
    from regiotwin.documents import make_report
    from regiotwin.errors import UsageError
    from regiotwin.terminal import note

    council = CouncilOptions(partner, meeting_date, number, signed_by, signed_as, place)
    if every:
        if meeting_id or template:
            raise UsageError("--all renders every meeting's minutes with the templates in use; "
                             "leave out --meeting and --template")
        _render_all(kind, as_of, output, draft, pair, council)
        return
    if kind is None:
        raise UsageError("name the KIND of report (minutes, status, budget, final, council, "
                         "proof), or give --all")
    if output is not None:
        ctx = click.get_current_context()
        output = OUTPUT.convert(output, option_param(ctx, "output"), ctx)
    workspace = current_state().workspace()
    pair_id = choose_pair(pair)
    screening = screened([pair_id])
    exit_if_invalid(screening, draft)
    if meeting_id is not None:  # by id, prefix, date, file name, as every id option
        from regiotwin.records import find

        meeting_id = find(screening.repo.pairs[pair_id].meetings, meeting_id, "meeting",
                          "--meeting").model.id
    request = ReportRequest(kind, meeting_id, council)
    made = make_report(workspace.root, screening, pair_id, request, as_of, dt.date.today(),
                       template)
    for warning in made.warnings:
        note(f"warning: {warning}")
    if write_output(output, made.text):
        note(f"wrote {output}")


def _render_all(kind: str | None, as_of: dt.date | None, output: str | None, draft: bool,
                pair: str | None, council: Any) -> None:
    """`report render --all`: write every document; skipped pairs make the exit code 1."""
    from regiotwin.documents import all_reports, kinds_for
    from regiotwin.errors import OptionValueError
    from regiotwin.terminal import note
    from regiotwin.writer import write_atomic

    folder = Path(output or "reports")
    if folder.exists() and not folder.is_dir():
        raise OptionValueError("--output", f"{folder} is not a folder; --all writes one file "
                               "per document")
    screening = screened(choose_pairs(pair))
    written = 0
    for document in all_reports(current_state().workspace().root, screening, kinds_for(kind),
                                as_of, dt.date.today(), draft, council):
        target = folder.joinpath(*document.path.parts)
        for warning in document.warnings:
            note(f"warning: {document.path}: {warning}")
        write_atomic(target, document.text, new=False, make_folder=True)
        written += 1
        note(f"wrote {target}")
    if not written and not screening.invalid:
        note("nothing to write")
    exit_if_invalid(screening, draft)


@report.command("list")
@json_option
def report_list(as_json: bool) -> None:
    """The report kinds and where each template comes from."""
    from regiotwin.reports import KINDS, list_templates
    from regiotwin.terminal import Column, print_json, table

    workspace = current_state().workspace()
    rows = [{"kind": s.kind, "document": KINDS[s.kind],
             "template": rel_path(workspace, s.path), "from": s.origin}
            for s in list_templates(workspace.root)]
    if as_json:
        print_json(rows)
        return
    table([Column("kind", kind="label"), Column("document"), Column("template", kind="id"),
           Column("from", kind="id")], ([r[k] for k in r] for r in rows))


@command("calendar")
@output_option
@draft_option
@pair_option
def export_calendar(output: str | None, draft: bool, pair: str | None) -> None:
    """iCalendar (.ics) of meetings, work-plan due dates, action items and deadlines.

    In a git repository each entry's SEQUENCE counts the commits that changed its record and
    DTSTAMP is the last of them, so a changed record is an update for the calendars that
    import the file and an unchanged one stays byte for byte the same; elsewhere SEQUENCE is 0
    and DTSTAMP the export time ($SOURCE_DATE_EPOCH fixes it).

    Pairs whose data fails `check` are left out (exit 1) unless --draft, which names the
    calendar and every entry ENTWURF. A calendar that leaves a pair out says so in its name
    (UNVOLLSTÄNDIG — nicht enthalten: <pair>).
    """
    from regiotwin.checks import draft_banner, incomplete_banner
    from regiotwin.history import NoHistory, read_history
    from regiotwin.ical import calendar_bytes
    from regiotwin.terminal import note

    screening = screened(choose_pairs(pair), warnings=False)
    shown = screening.shown(draft)
    if shown:
        drafted = [p for p in shown if screening.errors[p]]
        banner = draft_banner(screening.error_count(drafted)) if drafted else None
        try:
            history = read_history(screening.repo.root)
        except NoHistory as exc:
            history = None
            note(f"note: {exc}")
        data = calendar_bytes(screening.repo, shown, banner, incomplete_banner(screening, draft),
                              history)
        if write_output(output, data):
            note(f"wrote {output}")
    exit_if_invalid(screening, draft)


@command()
@click.option("--as-of", type=DATE, help="Judge as of this date (default: today).")
@draft_option
@pair_option
@json_option
def status(as_of: dt.date | None, draft: bool, pair: str | None, as_json: bool) -> None:
    """The consultant's overview: each pair's period, meetings, budget, open items and next
    deadline.

    A table with a short row per pair where the terminal is wide enough (about 120 columns for
    pairs named after two Landkreise): the pair with its period and how much of it has passed;
    meetings held and days since the last; each partner's share of the grant used (by its
    Belegnummer prefix); open and overdue action items; unmet obligations (the warnings of
    `check`); the next reporting deadline. Narrower, one block per pair with every figure;
    --json gives all of it, the obligations and the deadline's title too.

    A pair whose data fails `check` gets a row naming its error count and no figures (exit 1);
    --draft shows its figures anyway, marked DRAFT.
    """
    from regiotwin.overview import overview
    from regiotwin.terminal import Column, echo, print_json, table

    day = as_of or dt.date.today()
    screening = screened(choose_pairs(pair))
    rows = overview(screening, day, draft)
    if as_json:
        print_json(rows)
        exit_if_invalid(screening, draft)
        return
    drafted = [r["pair"] for r in rows if r["errors"] and "title" in r]
    if drafted:
        echo(f"DRAFT — the data has {plural(screening.error_count(drafted), 'error')}; "
             "these figures are not to be relied on (see `regiotwin check`)")
    table([Column("pair", kind="label"), Column("meetings", kind="label"),
           Column("budget used", kind="label"), Column("actions", kind="label"),
           Column("unmet", kind="number"), Column("next deadline", kind="label")],
          [_status_row(r) for r in rows],
          detail=(["pair", "period", "elapsed", "meetings", "last meeting", "days since",
                   "budget used", "open actions", "overdue", "unmet obligations",
                   "next deadline"], [_status_detail(r) for r in rows]))
    exit_if_invalid(screening, draft)


def _invalid(r: dict[str, Any]) -> str:
    return f"invalid: {plural(r['errors'], 'error')} (see `regiotwin check`)"


def _status_row(r: dict[str, Any]) -> list[Any]:
    """A pair's short row in `status`: two lines, the second under the first."""
    if "title" not in r:
        return [f"{r['pair']}\n{_invalid(r)}", "", "", "", None, ""]
    days = r["days_since_last_meeting"]
    deadline = r["next_deadline"]
    return [
        f"{r['pair']}\n{r['start']} to {r['end']}, {r['elapsed_percent']} %"
        + (" (DRAFT)" if r["errors"] else ""),
        f"{r['meetings_held']} held" + ("" if days is None else f"\n{days} d ago"),
        "\n".join(f"{p['prefix']} {p['percent_used'].replace('.', ',')} %" for p in r["budget"]),
        f"{r['open_actions']} open\n{r['overdue_actions']} late",
        r["unmet_obligations"],
        "-" if deadline is None else f"{deadline['id']}\n{deadline['due']}, "
        + _days_left(deadline["days_left"], "d"),
    ]


def _status_detail(r: dict[str, Any]) -> list[Any]:
    """A pair's block in `status` where no table fits: every figure on a line of its own."""
    if "title" not in r:
        return [r["pair"], _invalid(r), "", "", "", "", "", "", "", "", ""]
    name = r["pair"] + (" (DRAFT)" if r["errors"] else "")
    return [name, f"{r['start']} to {r['end']}", f"{r['elapsed_percent']} %",
            r["meetings_held"], r["last_meeting"] or "-",
            "-" if r["days_since_last_meeting"] is None else r["days_since_last_meeting"],
            # one partner a line, the figure never split from its unit
            "\n".join(f"{p['partner']} {p['percent_used'].replace('.', ',')}\u00a0%"
                      for p in r["budget"]),
            r["open_actions"], r["overdue_actions"], r["unmet_obligations"],
            _deadline_cell(r["next_deadline"])]


def _deadline_cell(deadline: dict[str, Any] | None) -> str:
    if deadline is None:
        return "-"
    return f"{deadline['id']} {deadline['due']} ({_days_left(deadline['days_left'])})"


def _days_left(days: int, unit: str = "") -> str:
    """How far off a deadline is: `in 3 days`, `today`, `2 days overdue` (`in 3 d` with
    *unit* `d`)."""
    count = f"{abs(days)} {unit}" if unit else plural(abs(days), "day")
    return f"{count} overdue" if days < 0 else "today" if days == 0 else f"in {count}"


# --- reporting deadlines --------------------------------------------------------------------------


@group()
def deadline() -> None:
    """Reporting deadlines: Zwischennachweis, Verwendungsnachweis, the programme's own."""


@deadline.command("list")
@click.option("--as-of", type=DATE, help="Judge as of this date (default: today).")
@pair_option
@json_option
def deadline_list(as_of: dt.date | None, pair: str | None, as_json: bool) -> None:
    """Each pair's deadlines with their state: sent, passed, due (within 30 days) or open.

    The rules are in regiotwin.yaml (`reporting`); a pair records what it sent with
    `regiotwin deadline done`.
    """
    from regiotwin.deadlines import pair_deadlines
    from regiotwin.terminal import Column, print_json, table

    day = as_of or dt.date.today()
    workspace = current_state().workspace()
    ids = choose_pairs(pair)
    rows = []
    for loaded, ship in workspace.load_pairs(ids, kinds=()):
        for item in pair_deadlines(workspace.programme(), ship):
            rows.append({"pair": loaded.id, **item.as_json(day)})
    if as_json:
        print_json(rows)
        return
    table([Column("pair", kind="id"), Column("deadline", kind="id"), Column("due", kind="date"),
           Column("state", kind="label"), Column("sent", kind="label")],
          ([r["pair"], r["id"], r["due"], r["state"], r["submitted"] or "-"] for r in rows))


@deadline.command("done")
@click.argument("deadline_id", metavar="ID")
@click.option("--date", "date", type=DATE, help="The day it was sent (default: today).")
@click.option("--undo", is_flag=True, help="Remove the record: it was not sent after all.")
@pair_option
def deadline_done(deadline_id: str, date: dt.date | None, undo: bool, pair: str | None) -> None:
    """Record that the paperwork of deadline ID was sent (in partnership.yaml, `submitted`);
    `check` no longer warns about it from that day on."""
    from regiotwin.deadlines import record_submission
    from regiotwin.terminal import echo

    if undo and date:
        from regiotwin.errors import UsageError

        raise UsageError("--undo removes the record of the day it was sent; leave out --date")
    workspace = current_state().workspace()
    pair_id = choose_pair(pair)
    day = None if undo else (date or dt.date.today())
    record_submission(workspace.root, pair_id, workspace.programme(), deadline_id, day)
    echo(f"{pair_id}: {deadline_id} " + (f"sent on {day}" if day else "no longer recorded as sent"))
