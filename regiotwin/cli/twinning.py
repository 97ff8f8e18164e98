"""The twinning year: meetings, the work plan, council decisions, programme events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from regiotwin.cli.base import (
    AMOUNT,
    DATE,
    TimeType,
    VocabularyChoice,
    choose_pairs,
    cli,
    current_state,
    edit_until_valid,
    json_option,
    load_selected,
    pair_option,
    read_text_file,
    rel_path,
)
from regiotwin.vocabulary import DECISION_STATUS, EVENT_KIND, MEASURE_STATUS, MEETING_KIND

# --- meetings ---------------------------------------------------------------------------------




@cli.group()
def meeting() -> None:
    """Meetings: jour fixe, phone conferences, workshops, with minutes and action items."""


@meeting.command("add")
@click.option("--date", "date", required=True, type=DATE, help="Day of the meeting.")
@click.option("--kind", type=VocabularyChoice(MEETING_KIND), default="jour-fixe", show_default=True,
              help="Kind of meeting.")
@click.option("--title", help="Title (default: the kind's German name and the date).")
@click.option("--time", type=TimeType(), help="Start time, HH:MM.")
@click.option("--location", help="Place, or 'Telefon' / 'online'.")
@click.option("--participant", "participants", multiple=True, metavar="NAME",
              help="Who took part (repeatable). A contact's name is linked to its partner; "
                   "'Name @partner' links a guest to a partner.")
@click.option("--agenda", multiple=True, metavar="TEXT", help="An agenda item (repeatable).")
@click.option("--minutes-file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Minutes in Markdown; '-' reads stdin.")
@click.option("--decision", "decisions", multiple=True, metavar="TEXT",
              help="A decision taken (repeatable).")
@click.option("--action", "actions", multiple=True, metavar="'WHAT [@OWNER] [due DATE]'",
              help="An action item (repeatable), e.g. "
                   "--action 'Angebote einholen @Max Beispiel due 2016-08-01'. "
                   "OWNER is a partner id or name or a contact's name.")
@click.option("--edit", is_flag=True, help="Open the new record in $EDITOR before saving.")
@pair_option
def meeting_add(
    date: dt.date, kind: str, title: str | None, time: str | None, location: str | None,
    participants: tuple[str, ...], agenda: tuple[str, ...], minutes_file: str | None,
    decisions: tuple[str, ...], actions: tuple[str, ...], edit: bool, pair: str | None,
) -> None:
    """Record a meeting: meetings/<date>-<slug>.yaml. Prints the path written."""
    from regiotwin.records import new_meeting, save_new
    from regiotwin.terminal import echo, note

    workspace, loaded, ship = load_selected(pair)
    minutes = read_text_file(minutes_file, "--minutes-file") if minutes_file else None
    record = new_meeting(
        loaded, ship, date=date, kind=kind, title=title, time=time, location=location,
        participants=list(participants), agenda=list(agenda), minutes=minutes,
        decisions=list(decisions), actions=list(actions),
    )
    if edit:
        record = edit_until_valid(record, "meeting")
    echo(rel_path(workspace, save_new(workspace.root, loaded, "meetings", record)))
    if not ship.start <= record.date <= ship.end:
        note(f"note: {record.date} is outside the partnership period {ship.start} to {ship.end}")


@meeting.command("list")
@pair_option
@json_option
def meeting_list(pair: str | None, as_json: bool) -> None:
    """List the pair's meetings: date, kind, title, open action items."""
    from regiotwin.terminal import print_json, table

    _, loaded, _ = load_selected(pair)
    meetings = sorted((m.model for m in loaded.meetings), key=lambda m: (m.date, m.id))
    if as_json:
        print_json([
            {"id": m.id, "date": m.date, "time": m.time, "kind": m.kind, "title": m.title,
             "open_actions": sum(not a.done for a in m.actions)}
            for m in meetings
        ])
        return
    table(["date", "kind", "title", "open actions", "id"],
          ([m.date, m.kind, m.title, sum(not a.done for a in m.actions), m.id] for m in meetings),
          right=["open actions"])


@meeting.command("show")
@click.argument("meeting_id", metavar="ID")
@pair_option
@json_option
def meeting_show(meeting_id: str, pair: str | None, as_json: bool) -> None:
    """Show one meeting with participants by partner, agenda, minutes, decisions and actions."""
    from regiotwin.records import find
    from regiotwin.terminal import echo, print_json

    _, loaded, ship = load_selected(pair)
    m = find(loaded.meetings, meeting_id, "meeting").model
    if as_json:
        print_json(m.model_dump(mode="json"))
        return
    when = f"{m.date}" + (f" {m.time}" if m.time else "")
    lines = [m.title, f"date:      {when}", f"kind:      {m.kind}"]
    if m.location:
        lines.append(f"location:  {m.location}")
    if m.participants:
        lines += ["", "participants:"]
        names = {p.id: p.name for p in ship.partners}
        for person in m.participants:
            partner = ship.participant_partner(person)
            lines.append(f"  - {person}" + (f" ({names[partner]})" if partner else " (guest)"))
    for heading, items in (("agenda", m.agenda), ("decisions", m.decisions)):
        if items:
            lines += ["", f"{heading}:"] + [f"  {i}. {item}" for i, item in enumerate(items, 1)]
    if m.minutes:
        lines += ["", "minutes:"] + [f"  {line}" for line in m.minutes.splitlines()]
    if m.actions:
        lines += ["", "action items:"]
        for i, action in enumerate(m.actions, 1):
            mark = "x" if action.done else " "
            extra = ", ".join(x for x in (
                f"owner {action.owner}" if action.owner else "",
                f"due {action.due}" if action.due else "") if x)
            lines.append(f"  {i}. [{mark}] {action.what}" + (f" ({extra})" if extra else ""))
    for line in lines:
        echo(line)


@meeting.command("done")
@click.argument("meeting_id", metavar="ID")
@click.argument("number", type=int, metavar="N")
@click.option("--undo", is_flag=True, help="Mark the item open again.")
@pair_option
def meeting_done(meeting_id: str, number: int, undo: bool, pair: str | None) -> None:
    """Mark action item N of meeting ID as done (numbers as in `meeting show`)."""
    from regiotwin.records import set_action_done
    from regiotwin.terminal import echo

    workspace, loaded, _ = load_selected(pair)
    record = set_action_done(workspace.root, loaded, meeting_id, number, not undo)
    state = "open" if undo else "done"
    echo(f"{record.id}: action item {number} ({record.actions[number - 1].what}) is {state}")


# --- work plan --------------------------------------------------------------------------------

@cli.group()
def measure() -> None:
    """The work plan (Arbeitsplan): measures, their owners, dates and status."""


@measure.command("add")
@click.option("--title", required=True, help="What the measure is.")
@click.option("--owner", "owners", multiple=True, required=True, metavar="PARTNER",
              help="Responsible partner, id or name (repeatable).")
@click.option("--description", help="Longer description.")
@click.option("--start", type=DATE, help="Planned start.")
@click.option("--due", type=DATE, help="Planned completion.")
@click.option("--planned-cost", type=AMOUNT, help="Planned cost in EUR, e.g. 450 or 450,00.")
@click.option("--needs-decision", is_flag=True, help="Needs a council decision (Beschluss).")
@click.option("--id", "record_id", metavar="ID", help="Id (default: made from the title).")
@pair_option
def measure_add(
    title: str, owners: tuple[str, ...], description: str | None, start: dt.date | None,
    due: dt.date | None, planned_cost: Any, needs_decision: bool, record_id: str | None,
    pair: str | None,
) -> None:
    """Add a measure to the work plan: measures/<id>.yaml. Prints the path written."""
    from regiotwin.records import new_measure, save_new
    from regiotwin.terminal import echo

    workspace, loaded, ship = load_selected(pair)
    record = new_measure(
        loaded, ship, title=title, owners=list(owners), description=description, start=start,
        due=due, planned_cost=planned_cost, needs_decision=needs_decision, record_id=record_id,
    )
    echo(rel_path(workspace, save_new(workspace.root, loaded, "measures", record)))


@measure.command("list")
@click.option("--status", type=VocabularyChoice(MEASURE_STATUS),
              help="Only measures in this status.")
@pair_option
@json_option
def measure_list(status: str | None, pair: str | None, as_json: bool) -> None:
    """List the work plan."""
    from regiotwin.terminal import print_json, table

    _, loaded, _ = load_selected(pair)
    measures = sorted((m.model for m in loaded.measures),
                      key=lambda m: (m.due or dt.date.max, m.id))
    if status:
        measures = [m for m in measures if m.status == status]
    if as_json:
        print_json([m.model_dump(mode="json") for m in measures])
        return
    table(["id", "title", "owners", "status", "due", "planned cost", "decision"],
          ([m.id, m.title, ", ".join(m.owners), m.status, m.due, m.planned_cost,
            "needed" if m.needs_decision else ""] for m in measures),
          right=["planned cost"])


@measure.command("set")
@click.argument("measure_id", metavar="ID")
@click.option("--status", type=VocabularyChoice(MEASURE_STATUS), help="New status.")
@click.option("--title", help="New title (the id stays).")
@click.option("--start", type=DATE, help="New start date.")
@click.option("--due", type=DATE, help="New due date.")
@click.option("--planned-cost", type=AMOUNT, help="New planned cost.")
@click.option("--needs-decision/--no-needs-decision", default=None,
              help="Whether a council decision is needed.")
@click.option("--result", help="What came out of it (for the final report).")
@pair_option
def measure_set(
    measure_id: str, status: str | None, title: str | None, start: dt.date | None,
    due: dt.date | None, planned_cost: Any, needs_decision: bool | None, result: str | None,
    pair: str | None,
) -> None:
    """Change a measure's status, dates or other fields."""
    from regiotwin.errors import UsageError
    from regiotwin.records import update_measure
    from regiotwin.terminal import echo

    changes = {k: v for k, v in {
        "status": status, "title": title, "start": start, "due": due,
        "planned_cost": planned_cost, "needs_decision": needs_decision, "result": result,
    }.items() if v is not None}
    if not changes:
        raise UsageError("nothing to change; give --status, --due, --start, --title, "
                         "--planned-cost, --needs-decision or --result")
    workspace, loaded, _ = load_selected(pair)
    record = update_measure(workspace.root, loaded, measure_id, changes)
    echo(f"{record.id}: " + ", ".join(f"{k} = {v}" for k, v in changes.items()))


# --- council decisions ------------------------------------------------------------------------

@cli.group()
def decision() -> None:
    """Council decisions (Beschlüsse) and the measures they enable."""


@decision.command("add")
@click.option("--partner", required=True, metavar="PARTNER", help="Whose council decides.")
@click.option("--body", required=True, help="The deciding body, e.g. Kreistag.")
@click.option("--date", required=True, type=DATE, help="Date of the session.")
@click.option("--title", required=True, help="Subject of the decision.")
@click.option("--number", help="Reference number, e.g. 5-2786/16-III.")
@click.option("--status", type=VocabularyChoice(DECISION_STATUS), default="pending",
              show_default=True)
@click.option("--measure", "measures", multiple=True, metavar="ID",
              help="A measure this decision enables (repeatable).")
@pair_option
def decision_add(
    partner: str, body: str, date: dt.date, title: str, number: str | None, status: str,
    measures: tuple[str, ...], pair: str | None,
) -> None:
    """Record a council decision: decisions/<date>-<slug>.yaml. Prints the path written."""
    from regiotwin.records import new_decision, save_new
    from regiotwin.terminal import echo

    workspace, loaded, ship = load_selected(pair)
    record = new_decision(loaded, ship, partner=partner, body=body, date=date, title=title,
                          number=number, status=status, measures=list(measures))
    echo(rel_path(workspace, save_new(workspace.root, loaded, "decisions", record)))


@decision.command("list")
@pair_option
@json_option
def decision_list(pair: str | None, as_json: bool) -> None:
    """List the pair's council decisions."""
    from regiotwin.terminal import print_json, table

    _, loaded, _ = load_selected(pair)
    items = sorted((d.model for d in loaded.decisions), key=lambda d: (d.date, d.id))
    if as_json:
        print_json([d.model_dump(mode="json") for d in items])
        return
    table(["date", "body", "number", "title", "status", "partner", "measures"],
          ([d.date, d.body, d.number, d.title, d.status, d.partner, ", ".join(d.measures)]
           for d in items))


# --- programme events -------------------------------------------------------------------------

@cli.group()
def event() -> None:
    """Programme-wide events (the networking events); they count as meetings for their pairs."""


@event.command("add")
@click.option("--date", required=True, type=DATE, help="Day of the event.")
@click.option("--title", required=True, help="Title of the event.")
@click.option("--kind", type=VocabularyChoice(EVENT_KIND), default="network-event",
              show_default=True)
@click.option("--location", help="Place.")
@click.option("--pair", "-p", "pairs", multiple=True, metavar="ID",
              help="A pair that attended (repeatable; default: the pair you are in, else all).")
def event_add(
    date: dt.date, title: str, kind: str, location: str | None, pairs: tuple[str, ...]
) -> None:
    """Record a programme event: events/<date>-<slug>.yaml. Prints the path written."""
    from regiotwin.records import new_event, save_event
    from regiotwin.terminal import echo

    workspace = current_state().workspace()
    attended = list(pairs) or choose_pairs(None)
    plan = new_event(workspace.root, workspace.pair_ids(), date=date, title=title, kind=kind,
                     location=location, pairs=attended)
    echo(rel_path(workspace, save_event(workspace.root, plan)))


@event.command("list")
@json_option
def event_list(as_json: bool) -> None:
    """List the programme events and the pairs that attended."""
    from regiotwin.terminal import print_json, table

    workspace = current_state().workspace()
    repo, _ = workspace.load()
    items = sorted((e.model for e in repo.events), key=lambda e: (e.date, e.id))
    if as_json:
        print_json([e.model_dump(mode="json") for e in items])
        return
    table(["date", "kind", "title", "location", "pairs"],
          ([e.date, e.kind, e.title, e.location, ", ".join(e.pairs)] for e in items))


