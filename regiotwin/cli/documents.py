"""Documents: reports from templates, the calendar export, the consultant's overview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from regiotwin.cli.base import (
    DATE,
    MEETING,
    PARTNER,
    ChoiceOne,
    choose_pair,
    choose_pairs,
    cli,
    current_state,
    draft_option,
    exit_if_invalid,
    export,
    json_option,
    output_option,
    pair_option,
    plural,
    rel_path,
    screened,
    write_output,
)

# --- reports, calendar, overview ---------------------------------------------------------------

REPORT_KINDS = ("minutes", "status", "budget", "final", "council")


@cli.group()
def report() -> None:
    """German documents rendered from Jinja templates (Markdown)."""


@report.command("render")
@click.argument("kind", type=ChoiceOne(REPORT_KINDS), metavar="KIND")
@click.option("--meeting", "meeting_id", type=MEETING,
              help="The meeting (for `minutes`; default: the latest one held).")
@click.option("--partner", type=PARTNER,
              help="Whose council the paper is for (for `council`; default: the first partner).")
@click.option("--as-of", type=DATE, help="Report date (default: today; `final`: the year's end).")
@output_option
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Use this template instead of the built-in or the repository's one.")
@draft_option
@pair_option
def report_render(
    kind: str, meeting_id: str | None, partner: str | None, as_of: dt.date | None,
    output: str | None, template: Path | None, draft: bool, pair: str | None,
) -> None:
    """Render KIND: minutes, status, budget, final or council.

    Templates: --template FILE, else <root>/templates/KIND.md.j2, else the built-in one.
    Refused (exit 1) when the pair's data fails `check`, unless --draft, which puts
    "ENTWURF — die Daten enthalten N Fehler" at the top of the document.
    """
    from regiotwin.checks import draft_banner
    from regiotwin.context import report_context
    from regiotwin.reports import draft_document, render, template_for
    from regiotwin.terminal import note

    workspace = current_state().workspace()
    pair_id = choose_pair(pair)
    screening = screened([pair_id])
    exit_if_invalid(screening, draft)
    repo = screening.repo
    errors = screening.error_count()
    if meeting_id is not None:  # by id, prefix, date, file name, as every id option
        from regiotwin.records import find

        meeting_id = find(repo.pairs[pair_id].meetings, meeting_id, "meeting", "--meeting"
                          ).model.id
    context = report_context(kind, repo, repo.pairs[pair_id], as_of or dt.date.today(),
                             meeting_id, partner, errors)
    text = render(workspace.root, template_for(workspace.root, kind, template), context)
    if errors:
        text = draft_document(text, draft_banner(errors))
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
@draft_option
@pair_option
def export_calendar(output: str | None, draft: bool, pair: str | None) -> None:
    """iCalendar (.ics) of meetings, work-plan due dates and action items.

    Pairs whose data fails `check` are left out (exit 1) unless --draft, which names the
    calendar and every entry ENTWURF.
    """
    from regiotwin.checks import draft_banner
    from regiotwin.ical import calendar_bytes
    from regiotwin.terminal import note

    screening = screened(choose_pairs(pair))
    shown = screening.shown(draft)
    if shown:
        drafted = [p for p in shown if screening.errors[p]]
        banner = draft_banner(screening.error_count(drafted)) if drafted else None
        data = calendar_bytes(screening.repo, shown, banner)
        if write_output(output, data):
            note(f"wrote {output}")
    exit_if_invalid(screening, draft)


@cli.command()
@click.option("--as-of", type=DATE, help="Judge as of this date (default: today).")
@draft_option
@pair_option
@json_option
def status(as_of: dt.date | None, draft: bool, pair: str | None, as_json: bool) -> None:
    """The consultant's overview: one row per pair.

    A pair whose data fails `check` gets a row naming its error count and no figures (exit 1);
    --draft shows its figures anyway, marked DRAFT.
    """
    from regiotwin.overview import overview
    from regiotwin.terminal import echo, print_json, table

    day = as_of or dt.date.today()
    screening = screened(choose_pairs(pair), day)
    rows = overview(screening, day, draft)
    if as_json:
        print_json(rows)
        exit_if_invalid(screening, draft)
        return
    drafted = [r["pair"] for r in rows if r["errors"] and "title" in r]
    if drafted:
        echo(f"DRAFT — the data has {plural(screening.error_count(drafted), 'error')}; "
             "these figures are not to be relied on (see `regiotwin check`)")

    def cells(r: dict[str, Any]) -> list[Any]:
        if "title" not in r:
            return [r["pair"], f"invalid: {plural(r['errors'], 'error')} (see `regiotwin check`)",
                    "", "", "", "", "", "", "", ""]
        name = r["pair"] + (" (DRAFT)" if r["errors"] else "")
        return [name, f"{r['start']} to {r['end']}", f"{r['elapsed_percent']} %",
                r["meetings_held"], r["last_meeting"] or "-",
                "-" if r["days_since_last_meeting"] is None else r["days_since_last_meeting"],
                # one partner a line, the figure never split from its unit
                "\n".join(f"{p['partner']} {p['percent_used'].replace('.', ',')}\u00a0%"
                          for p in r["budget"]),
                r["open_actions"], r["overdue_actions"], r["unmet_obligations"]]

    table(["pair", "period", "elapsed", "meetings", "last meeting", "days since",
           "budget used", "open actions", "overdue", "unmet obligations"],
          (cells(r) for r in rows),
          right=["elapsed", "meetings", "days since", "open actions", "overdue",
                 "unmet obligations"])
    exit_if_invalid(screening, draft)


