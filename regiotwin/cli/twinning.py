"""The twinning year: meetings, the work plan, council decisions, programme events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from regiotwin.cli.base import (
    AMOUNT,
    CONTACT,
    DATE,
    DECISION,
    EVENT,
    MEASURE,
    MEETING,
    PAIR,
    PARTNER,
    ActionNumber,
    AmountType,
    TimeType,
    VocabularyChoice,
    choose_pair,
    choose_pairs,
    current_state,
    dry_run_option,
    edit_text_until_valid,
    edit_until_valid,
    given,
    group,
    json_option,
    list_format_option,
    load_selected,
    nothing_to_change,
    pair_option,
    read_text_file,
    rel_path,
    show_outcome,
    unset_fields,
    unset_option,
)
from regiotwin.vocabulary import DECISION_STATUS, EVENT_KIND, MEASURE_STATUS, MEETING_KIND

# --- meetings ---------------------------------------------------------------------------------




@group()
def meeting() -> None:
    """Meetings: jour fixe, phone conferences, workshops, with minutes and action items."""


@meeting.command("add")
@click.option("--date", "date", required=True, type=DATE, help="Day of the meeting.")
@click.option("--kind", type=VocabularyChoice(MEETING_KIND), default="jour-fixe", show_default=True,
              help="Kind of meeting.")
@click.option("--title", help="Title (default: the kind's German name and the date).")
@click.option("--time", type=TimeType(), help="Start time, HH:MM.")
@click.option("--until", "end_time", type=TimeType(), metavar="HH:MM",
              help="End time, HH:MM (needs --time; default in calendars: by kind, e.g. a "
                   "phone conference 1 h).")
@click.option("--location", help="Place, or 'Telefon' / 'online'.")
@click.option("--participant", "participants", multiple=True, type=CONTACT,
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
    date: dt.date, kind: str, title: str | None, time: str | None, end_time: str | None,
    location: str | None, participants: tuple[str, ...], agenda: tuple[str, ...],
    minutes_file: str | None, decisions: tuple[str, ...], actions: tuple[str, ...], edit: bool,
    pair: str | None,
) -> None:
    """Record a meeting: meetings/<date>-<slug>.yaml. Prints the path written."""
    from regiotwin.records import new_meeting, save_new, typo_warnings
    from regiotwin.terminal import echo, note

    if end_time and not time:
        from regiotwin.errors import UsageError

        raise UsageError("--until needs --time: when does the meeting start?")
    workspace, loaded, ship = load_selected(pair)
    minutes = read_text_file(minutes_file, "--minutes-file") if minutes_file else None
    record = new_meeting(
        loaded, ship, date=date, kind=kind, title=title, time=time, end_time=end_time,
        location=location,
        participants=list(participants), agenda=list(agenda), minutes=minutes,
        decisions=list(decisions), actions=list(actions),
    )
    if edit:
        record = edit_until_valid(record, "meeting")
    echo(rel_path(workspace, save_new(workspace.root, loaded, "meetings", record)))
    if not ship.start <= record.date <= ship.end:
        note(f"note: {record.date} is outside the partnership period {ship.start} to {ship.end}")
    for warning in typo_warnings(ship, record.participants):
        note(warning)


@meeting.command("list")
@pair_option
@list_format_option
def meeting_list(pair: str | None, fmt: str) -> None:
    """List the pair's meetings: date, kind, title, open action items.

    Where the long ids do not fit the terminal, the table leaves them out: the date names a
    meeting as well (`meeting show 2016-07-20`).
    """
    from regiotwin.terminal import Column, show_rows

    _, loaded, _ = load_selected(pair)
    meetings = sorted((m.model for m in loaded.meetings), key=lambda m: (m.date, m.id))
    rows = [{"id": m.id, "date": m.date, "time": m.time, "kind": m.kind, "title": m.title,
             "open_actions": sum(not a.done for a in m.actions)} for m in meetings]
    show_rows(fmt, rows, [Column("date", kind="date"), Column("time", kind="label"),
                          Column("kind", kind="label"), Column("title"),
                          Column("open actions", "open_actions", "number"),
                          Column("id", kind="id", optional=1)])


@meeting.command("show")
@click.argument("meeting_id", type=MEETING)
@pair_option
@json_option
def meeting_show(meeting_id: str, pair: str | None, as_json: bool) -> None:
    """Show one meeting with participants by partner, agenda, minutes, decisions and actions."""
    from regiotwin.models import dump
    from regiotwin.records import find
    from regiotwin.terminal import echo, print_json

    _, loaded, ship = load_selected(pair)
    m = find(loaded.meetings, meeting_id, "meeting").model
    if as_json:
        print_json(dump(m, mode="json"))
        return
    when = f"{m.date}" + (f" {m.time}" if m.time else "") + (f"-{m.end_time}" if m.end_time else "")
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
                f"due {action.due}" if action.due else "",
                f"done {action.done_on}" if action.done_on else "") if x)
            lines.append(f"  {i}. [{mark}] {action.what}" + (f" ({extra})" if extra else ""))
    for line in lines:
        echo(line)


@meeting.command("done")
@click.argument("meeting_id", type=MEETING)
@click.argument("number", type=ActionNumber(), metavar="N")
@click.option("--date", "day", type=DATE,
              help="The day it was done (default: today); reports as of an earlier day count "
                   "it open.")
@click.option("--undo", is_flag=True, help="Mark the item open again.")
@pair_option
def meeting_done(
    meeting_id: str, number: int, day: dt.date | None, undo: bool, pair: str | None
) -> None:
    """Mark action item N of meeting ID as done (numbers as in `meeting show`), recording the
    day (`done_on`)."""
    from regiotwin.records import set_action_done
    from regiotwin.terminal import echo

    if undo and day:
        from regiotwin.errors import UsageError

        raise UsageError("--undo marks the item open again; leave out --date")
    workspace, loaded, _ = load_selected(pair)
    record = set_action_done(workspace.root, loaded, meeting_id, number, today=dt.date.today(),
                             day=day, undo=undo)
    action = record.actions[number - 1]
    state = "open" if not action.done else (
        f"done (on {action.done_on})" if action.done_on else "done")
    echo(f"{record.id}: action item {number} ({action.what}) is {state}")


@meeting.command("set")
@click.argument("meeting_id", type=MEETING)
@click.option("--date", type=DATE, help="Day of the meeting (the id stays).")
@click.option("--time", type=TimeType(), help="Start time, e.g. 14:30 or 14.30 Uhr.")
@click.option("--until", "end_time", type=TimeType(), metavar="HH:MM",
              help="End time (after the start; with --time to move both).")
@click.option("--kind", type=VocabularyChoice(MEETING_KIND), help="Kind of meeting.")
@click.option("--title", help="Title (the id stays).")
@click.option("--location", help="Place, or 'Telefon' / 'online'.")
@click.option("--minutes-file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Replace the minutes with this Markdown file; '-' reads stdin.")
@click.option("--participant", "participants", multiple=True, type=CONTACT,
              help="Add a participant (repeatable).")
@click.option("--remove-participant", "gone", multiple=True, metavar="NAME",
              help="Remove a participant (repeatable).")
@click.option("--agenda", multiple=True, metavar="TEXT", help="Add an agenda item (repeatable).")
@click.option("--remove-agenda", multiple=True, type=int, metavar="N",
              help="Remove agenda item N, as `meeting show` numbers them (repeatable).")
@click.option("--decision", "decisions", multiple=True, metavar="TEXT",
              help="Add a decision taken (repeatable).")
@click.option("--remove-decision", multiple=True, type=int, metavar="N",
              help="Remove decision N (repeatable).")
@click.option("--action", "actions", multiple=True, metavar="'WHAT [@OWNER] [due DATE]'",
              help="Add an action item (repeatable).")
@click.option("--remove-action", multiple=True, type=ActionNumber(), metavar="N",
              help="Remove action item N (repeatable).")
@unset_option(("time", "end_time", "location", "minutes"))
@click.option("--edit", is_flag=True,
              help="Open the meeting's file in $EDITOR (alone, without the other options); it "
                   "is saved as you leave it once it is valid.")
@dry_run_option
@pair_option
def meeting_set(
    meeting_id: str, date: dt.date | None, time: str | None, end_time: str | None,
    kind: str | None,
    title: str | None, location: str | None, minutes_file: str | None,
    participants: tuple[str, ...], gone: tuple[str, ...], agenda: tuple[str, ...],
    remove_agenda: tuple[int, ...], decisions: tuple[str, ...], remove_decision: tuple[int, ...],
    actions: tuple[str, ...], remove_action: tuple[int, ...], unset: tuple[str, ...],
    edit: bool, dry_run: bool, pair: str | None,
) -> None:
    """Change a meeting: any field, the minutes (from a file), and participants, agenda items,
    decisions and action items added or removed. Prints the file and what changed."""
    from regiotwin.errors import UsageError
    from regiotwin.records import Changes, MeetingChanges, set_meeting

    wanted = MeetingChanges(
        changes=Changes(given(date=date, time=time, end_time=end_time, kind=kind, title=title,
                              location=location),
                        unset_fields(unset)),
        minutes=read_text_file(minutes_file, "--minutes-file") if minutes_file else None,
        add_participants=list(participants), remove_participants=list(gone),
        add_agenda=list(agenda), remove_agenda=list(remove_agenda),
        add_decisions=list(decisions), remove_decisions=list(remove_decision),
        add_actions=list(actions), remove_actions=list(remove_action),
    )
    given_any = bool(wanted.changes) or any(
        value for name, value in vars(wanted).items() if name != "changes")
    if edit:
        if given_any:
            raise UsageError("--edit opens the whole meeting; give it without other options")
        _edit_meeting(meeting_id, dry_run, pair)
        return
    if not given_any:
        raise nothing_to_change("an option such as --minutes-file, --participant, --action, "
                                "--date or --title (or --edit)")
    workspace = current_state().workspace()
    outcome = set_meeting(workspace.root, choose_pair(pair), meeting_id, wanted,
                          dry_run=dry_run)
    show_outcome(outcome.edits, outcome.warnings, dry_run)


def _edit_meeting(ref: str, dry_run: bool, pair: str | None) -> None:
    """`meeting set --edit`: the file as it is, comments and all, in the editor."""
    from regiotwin.records import meeting_text, save_edited, typo_warnings

    workspace, loaded, ship = load_selected(pair)
    record, started = meeting_text(workspace.root, loaded, ref)
    meeting, edited = edit_text_until_valid(started, record.model, "meeting")
    change = save_edited(workspace.root, record, started, edited, meeting, dry_run=dry_run)
    added = [p for p in meeting.participants if p not in record.model.participants]
    show_outcome([change], typo_warnings(ship, added), dry_run)


@meeting.command("remove")
@click.argument("meeting_id", type=MEETING)
@dry_run_option
@pair_option
def meeting_remove(meeting_id: str, dry_run: bool, pair: str | None) -> None:
    """Remove a meeting; refused while expenses refer to it."""
    _remove("meeting", meeting_id, dry_run, pair)


# --- work plan --------------------------------------------------------------------------------

@group()
def measure() -> None:
    """The work plan (Arbeitsplan): measures, their owners, dates and status."""


@measure.command("add")
@click.option("--title", required=True, help="What the measure is.")
@click.option("--owner", "owners", multiple=True, required=True, type=PARTNER,
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
@list_format_option
def measure_list(status: str | None, pair: str | None, fmt: str) -> None:
    """List the work plan."""
    from regiotwin.models import dump
    from regiotwin.terminal import Column, show_rows

    _, loaded, _ = load_selected(pair)
    measures = sorted((m.model for m in loaded.measures),
                      key=lambda m: (m.due or dt.date.max, m.id))
    if status:
        measures = [m for m in measures if m.status == status]
    rows = [dump(m) for m in measures]
    for row in rows:
        row["decision"] = "needed" if row["needs_decision"] else ""
    show_rows(fmt, rows, [Column("id", kind="id"), Column("title"),
                          Column("owners", kind="id", optional=1),
                          Column("status", kind="label"), Column("start", kind="date"),
                          Column("due", kind="date"),
                          Column("planned cost", "planned_cost", "money"),
                          Column("decision", kind="label")],
              as_json=[dump(m, mode="json") for m in measures])


MEASURE_UNSET = ("description", "start", "due", "planned-cost", "effect", "result")


@measure.command("set")
@click.argument("measure_id", type=MEASURE)
@click.option("--title", help="New title (the id stays).")
@click.option("--description", help="Longer description.")
@click.option("--owner", "owners", multiple=True, type=PARTNER,
              help="Responsible partner (repeatable; replaces the owners).")
@click.option("--status", type=VocabularyChoice(MEASURE_STATUS), help="New status.")
@click.option("--start", type=DATE, help="New start date.")
@click.option("--due", type=DATE, help="New due date.")
@click.option("--planned-cost", type=AmountType(zero_ok=True), metavar="AMOUNT",
              help="New planned cost.")
@click.option("--needs-decision/--no-needs-decision", default=None,
              help="Whether a council decision is needed.")
@click.option("--effect", metavar="'NUMBER UNIT'",
              help="Expected effect, e.g. '12,5 t CO2/a'.")
@click.option("--result", help="What came out of it (for the final report).")
@unset_option(MEASURE_UNSET)
@dry_run_option
@pair_option
def measure_set(
    measure_id: str, title: str | None, description: str | None, owners: tuple[str, ...],
    status: str | None, start: dt.date | None, due: dt.date | None, planned_cost: Any,
    needs_decision: bool | None, effect: str | None, result: str | None,
    unset: tuple[str, ...], dry_run: bool, pair: str | None,
) -> None:
    """Change any field of a measure (the id stays). Prints the file and what changed."""
    from regiotwin.models import dump
    from regiotwin.records import Changes, parse_effect, set_measure

    values = given(title=title, description=description, status=status, start=start, due=due,
                   planned_cost=planned_cost, needs_decision=needs_decision, result=result)
    if effect is not None:
        values["effect"] = dump(parse_effect(effect))
    changes = Changes(values, unset_fields(unset))
    if not changes and not owners:
        raise nothing_to_change("--status, --due, --start, --title, --owner, --planned-cost, "
                                "--needs-decision, --effect, --result or --unset")
    workspace = current_state().workspace()
    edit = set_measure(workspace.root, choose_pair(pair), measure_id, changes,
                       owners=list(owners), dry_run=dry_run)
    show_outcome([edit], [], dry_run)


@measure.command("remove")
@click.argument("measure_id", type=MEASURE)
@dry_run_option
@pair_option
def measure_remove(measure_id: str, dry_run: bool, pair: str | None) -> None:
    """Remove a measure from the work plan; refused while decisions or expenses refer to it."""
    _remove("measure", measure_id, dry_run, pair)


def _remove(what: str, ref: str, dry_run: bool, pair: str | None) -> None:
    from regiotwin.records import remove_pair_record

    workspace = current_state().workspace()
    outcome = remove_pair_record(workspace.root, choose_pair(pair), what, ref, dry_run=dry_run)
    show_outcome(outcome.edits, outcome.warnings, dry_run)


# --- council decisions ------------------------------------------------------------------------

@group()
def decision() -> None:
    """Council decisions (Beschlüsse) and the measures they enable."""


@decision.command("add")
@click.option("--partner", required=True, type=PARTNER, help="Whose council decides.")
@click.option("--body", required=True, help="The deciding body, e.g. Kreistag.")
@click.option("--date", required=True, type=DATE, help="Date of the session.")
@click.option("--title", required=True, help="Subject of the decision.")
@click.option("--number", help="Reference number, e.g. 5-2786/16-III.")
@click.option("--status", type=VocabularyChoice(DECISION_STATUS), default="pending",
              show_default=True)
@click.option("--measure", "measures", multiple=True, type=MEASURE,
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
@list_format_option
def decision_list(pair: str | None, fmt: str) -> None:
    """List the pair's council decisions."""
    from regiotwin.models import dump
    from regiotwin.terminal import Column, show_rows

    _, loaded, _ = load_selected(pair)
    items = sorted((d.model for d in loaded.decisions), key=lambda d: (d.date, d.id))
    show_rows(fmt, [dump(d) for d in items],
              [Column("date", kind="date"), Column("body"), Column("number", kind="label"),
               Column("title"), Column("status", kind="label"),
               Column("partner", kind="id", optional=2), Column("measures", kind="id", optional=1),
               Column("id", kind="id", optional=3)],
              as_json=[dump(d, mode="json") for d in items])


@decision.command("set")
@click.argument("decision_id", type=DECISION)
@click.option("--status", type=VocabularyChoice(DECISION_STATUS),
              help="pending, passed or rejected (offen, beschlossen, abgelehnt).")
@click.option("--number", help="Reference number, e.g. 5-2786/16-III.")
@click.option("--date", type=DATE, help="Date of the session (the id stays).")
@click.option("--title", help="Subject of the decision (the id stays).")
@click.option("--body", help="The deciding body, e.g. Kreistag.")
@click.option("--partner", type=PARTNER, help="Whose council decides.")
@click.option("--measure", "measures", multiple=True, type=MEASURE,
              help="A measure it enables (repeatable; replaces the list).")
@unset_option(("number", "measures"))
@dry_run_option
@pair_option
def decision_set(
    decision_id: str, status: str | None, number: str | None, date: dt.date | None,
    title: str | None, body: str | None, partner: str | None, measures: tuple[str, ...],
    unset: tuple[str, ...], dry_run: bool, pair: str | None,
) -> None:
    """Change a council decision, e.g. from pending to passed: `decision set ID --status
    beschlossen --number 0815/16`."""
    from regiotwin.records import Changes, set_decision

    changes = Changes(given(status=status, number=number, date=date, title=title, body=body),
                      unset_fields(unset))
    if not changes and partner is None and not measures:
        raise nothing_to_change("--status, --number, --date, --title, --body, --partner, "
                                "--measure or --unset")
    workspace = current_state().workspace()
    edit = set_decision(workspace.root, choose_pair(pair), decision_id, changes,
                        partner=partner, measures=list(measures), dry_run=dry_run)
    show_outcome([edit], [], dry_run)


@decision.command("remove")
@click.argument("decision_id", type=DECISION)
@dry_run_option
@pair_option
def decision_remove(decision_id: str, dry_run: bool, pair: str | None) -> None:
    """Remove a council decision."""
    _remove("decision", decision_id, dry_run, pair)


# --- programme events -------------------------------------------------------------------------

@group()
def event() -> None:
    """Programme-wide events (the networking events); they count as meetings for their pairs."""


@event.command("add")
@click.option("--date", required=True, type=DATE, help="Day of the event.")
@click.option("--title", required=True, help="Title of the event.")
@click.option("--kind", type=VocabularyChoice(EVENT_KIND), default="network-event",
              show_default=True)
@click.option("--location", help="Place.")
@click.option("--pair", "-p", "pairs", multiple=True, type=PAIR,
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
@list_format_option
def event_list(fmt: str) -> None:
    """List the programme events and the pairs that attended."""
    from regiotwin.models import dump
    from regiotwin.terminal import Column, show_rows

    workspace = current_state().workspace()
    repo, _ = workspace.load()
    items = sorted((e.model for e in repo.events), key=lambda e: (e.date, e.id))
    show_rows(fmt, [dump(e) for e in items],
              [Column("date", kind="date"), Column("kind", kind="label"), Column("title"),
               Column("location"), Column("pairs", kind="id", optional=1),
               Column("id", kind="id", optional=2)],
              as_json=[dump(e, mode="json") for e in items])


@event.command("set")
@click.argument("event_id", type=EVENT)
@click.option("--date", type=DATE, help="Day of the event (the id stays).")
@click.option("--title", help="Title (the id stays).")
@click.option("--kind", type=VocabularyChoice(EVENT_KIND), help="Kind of event.")
@click.option("--location", help="Place.")
@click.option("--pair", "-p", "pairs", multiple=True, type=PAIR,
              help="A pair that attended (repeatable; replaces the list).")
@unset_option(("location",))
@dry_run_option
def event_set(
    event_id: str, date: dt.date | None, title: str | None, kind: str | None,
    location: str | None, pairs: tuple[str, ...], unset: tuple[str, ...], dry_run: bool,
) -> None:
    """Change a programme event."""
    from regiotwin.records import Changes, set_event

    changes = Changes(given(date=date, title=title, kind=kind, location=location),
                      unset_fields(unset))
    if not changes and not pairs:
        raise nothing_to_change("--date, --title, --kind, --location, --pair or --unset")
    workspace = current_state().workspace()
    edit = set_event(workspace.root, workspace.pair_ids(), event_id, changes,
                     pairs=list(pairs), dry_run=dry_run)
    show_outcome([edit], [], dry_run)


@event.command("remove")
@click.argument("event_id", type=EVENT)
@dry_run_option
def event_remove(event_id: str, dry_run: bool) -> None:
    """Remove a programme event."""
    from regiotwin.records import remove_event

    workspace = current_state().workspace()
    show_outcome([remove_event(workspace.root, event_id, dry_run=dry_run)], [], dry_run)
