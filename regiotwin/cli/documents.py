"""Documents: reports from templates, the calendar export, the consultant's overview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from regiotwin.cli.base import (
    DATE,
    ChoiceOne,
    choose_pair,
    choose_pairs,
    cli,
    current_state,
    export,
    json_option,
    load_valid,
    output_option,
    pair_option,
    rel_path,
    write_output,
)

# --- reports, calendar, overview ---------------------------------------------------------------

REPORT_KINDS = ("minutes", "status", "budget", "final", "council")


@cli.group()
def report() -> None:
    """German documents rendered from Jinja templates (Markdown)."""


@report.command("render")
@click.argument("kind", type=ChoiceOne(REPORT_KINDS), metavar="KIND")
@click.option("--meeting", "meeting_id", metavar="ID",
              help="The meeting (for `minutes`; default: the latest one held).")
@click.option("--partner", metavar="PARTNER",
              help="Whose council the paper is for (for `council`; default: the first partner).")
@click.option("--as-of", type=DATE, help="Report date (default: today; `final`: the year's end).")
@output_option
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Use this template instead of the built-in or the repository's one.")
@pair_option
def report_render(
    kind: str, meeting_id: str | None, partner: str | None, as_of: dt.date | None,
    output: str | None, template: Path | None, pair: str | None,
) -> None:
    """Render KIND: minutes, status, budget, final or council.

    Templates: --template FILE, else <root>/templates/KIND.md.j2, else the built-in one.
    """
    from regiotwin.context import report_context
    from regiotwin.reports import render, template_for
    from regiotwin.terminal import note

    workspace = current_state().workspace()
    pair_id = choose_pair(pair)
    repo = load_valid(workspace)
    context = report_context(kind, repo, repo.pairs[pair_id], as_of or dt.date.today(),
                             meeting_id, partner)
    text = render(workspace.root, template_for(workspace.root, kind, template), context)
    if write_output(output, text):
        note(f"wrote {output}")


@report.command("list")
@json_option
def report_list(as_json: bool) -> None:
    """The report kinds and where each template comes from."""
    from regiotwin.reports import KINDS, list_templates
    from regiotwin.terminal import print_json, table

    workspace = current_state().workspace()
    rows = [{"kind": s.kind, "document": KINDS[s.kind],
             "template": rel_path(workspace, s.path), "from": s.origin}
            for s in list_templates(workspace.root)]
    if as_json:
        print_json(rows)
        return
    table(["kind", "document", "template", "from"], ([r[k] for k in r] for r in rows))


@export.command("calendar")
@output_option
@pair_option
def export_calendar(output: str | None, pair: str | None) -> None:
    """iCalendar (.ics) of meetings, work-plan due dates and action items."""
    from regiotwin.ical import calendar_bytes
    from regiotwin.terminal import note

    workspace = current_state().workspace()
    data = calendar_bytes(load_valid(workspace), choose_pairs(pair))
    if write_output(output, data):
        note(f"wrote {output}")


@cli.command()
@click.option("--as-of", type=DATE, help="Judge as of this date (default: today).")
@pair_option
@json_option
def status(as_of: dt.date | None, pair: str | None, as_json: bool) -> None:
    """The consultant's overview: one row per pair."""
    from regiotwin.overview import overview
    from regiotwin.terminal import print_json, table

    workspace = current_state().workspace()
    rows = overview(load_valid(workspace), choose_pairs(pair), as_of or dt.date.today())
    if as_json:
        print_json(rows)
        return
    table(["pair", "period", "elapsed", "meetings", "last meeting", "days since",
           "budget used", "open actions", "overdue", "unmet obligations"],
          ([r["pair"], f"{r['start']} to {r['end']}", f"{r['elapsed_percent']} %",
            r["meetings_held"], r["last_meeting"] or "-",
            "-" if r["days_since_last_meeting"] is None else r["days_since_last_meeting"],
            ", ".join(f"{p['partner']} {p['percent_used']} %" for p in r["budget"]),
            r["open_actions"], r["overdue_actions"], r["unmet_obligations"]] for r in rows),
          right=["meetings", "days since", "open actions", "overdue", "unmet obligations"])


