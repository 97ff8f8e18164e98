"""Adding and changing the records of the twinning year: meetings, measures, decisions, events.

Each function takes plain values from the CLI, checks them against the pair, and writes one file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regiotwin.errors import RefusedError
from regiotwin.limits import nfc
from regiotwin.loader import EVENTS_DIR, Loaded, Pair
from regiotwin.models import (
    ActionItem,
    Decision,
    Event,
    Measure,
    Meeting,
    Partnership,
    split_participant,
)
from regiotwin.slugs import SlugError, checked_slug
from regiotwin.store import build, change_record, write_new
from regiotwin.vocabulary import MEETING_KIND

# --- references inside a pair -----------------------------------------------------------------


def resolve_partner(ship: Partnership, ref: str, option: str) -> str:
    """A partner id from an id or an exact name; refuses anything else, listing the partners."""
    partner = ship.partner(ref)
    if partner is None:
        known = ", ".join(f"{p.id} ({p.name})" for p in ship.partners)
        raise RefusedError(f"unknown partner {ref!r} ({option}); partners: {known}")
    return partner.id


def resolve_owner(ship: Partnership, ref: str) -> str:
    """An action owner: a partner (stored as its id) or a contact (stored as the contact's name)."""
    partner = ship.partner(ref)
    if partner is not None:
        return partner.id
    ref = nfc(ref)
    for p in ship.partners:
        for person in p.contacts:
            if person.name == ref:
                return person.name
    names = [p.id for p in ship.partners] + [c.name for p in ship.partners for c in p.contacts]
    raise RefusedError(
        f"action owner {ref!r} is neither a partner nor a contact; use one of: {', '.join(names)}"
    )


def _slug(text: str, what: str) -> str:
    try:
        return checked_slug(text, what)
    except SlugError as exc:
        raise RefusedError(str(exc)) from None


def _record_path(pair: Pair, kind: str, record_id: str) -> Path:
    return pair.folder / kind / f"{record_id}.yaml"


# --- meetings ---------------------------------------------------------------------------------

_ACTION = re.compile(
    r"^(?P<what>.*?)"
    r"(?:\s+@(?P<owner>.+?))?"
    r"(?:\s+(?:due|bis)[:\s]\s*(?P<due>\S+))?\s*$",
    re.DOTALL,
)


def parse_action(text: str, ship: Partnership) -> ActionItem:
    """`WHAT [@OWNER] [due YYYY-MM-DD]`, e.g. `Angebote einholen @Max Beispiel due 2016-08-01`."""
    match = _ACTION.match(text.strip())
    assert match is not None  # the pattern matches any text
    what = match["what"].strip()
    if not what:
        raise RefusedError(f"--action {text!r} says nothing to do; write WHAT [@OWNER] [due DATE]")
    owner = resolve_owner(ship, match["owner"].strip()) if match["owner"] else None
    due = None
    if match["due"]:
        try:
            due = dt.date.fromisoformat(match["due"])
        except ValueError:
            raise RefusedError(
                f"--action {text!r}: due date {match['due']!r} is not a date; "
                "write it as YYYY-MM-DD"
            ) from None
    return ActionItem(what=what, owner=owner, due=due)


def meeting_id(date: dt.date, kind: str, title: str | None) -> str:
    return f"{date.isoformat()}-{_slug(title, 'title') if title else kind}"


def default_title(kind: str, date: dt.date) -> str:
    return f"{MEETING_KIND.label(kind)} am {date:%d.%m.%Y}"


def new_meeting(
    pair: Pair,
    ship: Partnership,
    *,
    date: dt.date,
    kind: str,
    title: str | None,
    time: str | None = None,
    end_time: str | None = None,
    location: str | None = None,
    participants: list[str] | None = None,
    agenda: list[str] | None = None,
    minutes: str | None = None,
    decisions: list[str] | None = None,
    actions: list[str] | None = None,
) -> Meeting:
    """Build (not yet write) a meeting from command-line values."""
    participants = participants or []
    for person in participants:
        _, ref = split_participant(person)
        if ref is not None:
            resolve_partner(ship, ref, f"--participant {person!r}")
    data: dict[str, Any] = {
        "id": meeting_id(date, kind, title),
        "date": date,
        "time": time,
        "end_time": end_time,
        "kind": kind,
        "title": title or default_title(kind, date),
        "location": location,
        "participants": participants,
        "agenda": agenda or [],
        "minutes": minutes,
        "decisions": decisions or [],
        "actions": [parse_action(a, ship).model_dump() for a in actions or []],
    }
    return build(Meeting, data, "meeting")


def save_new(root: Path, pair: Pair, kind: str, model: Any) -> Path:
    """Write a new record of a pair (under its lock); a record with the same id is refused,
    naming its file."""
    path = _record_path(pair, kind, model.id)
    write_new(path, model, root)
    return path


def find(records: list[Loaded[Any]], record_id: str, what: str) -> Loaded[Any]:
    for record in records:
        if record.model.id == record_id:
            return record
    known = ", ".join(r.model.id for r in records[-5:]) or "none yet"
    raise RefusedError(f"no {what} with the id {record_id!r} (latest: {known})")


def set_action_done(root: Path, pair: Pair, meeting_id: str, number: int, done: bool) -> Meeting:
    """Mark action item *number* (1-based, as `meeting show` numbers them) done or open."""
    path = root / find(pair.meetings, meeting_id, "meeting").path

    def change(meeting: Meeting) -> None:
        if not 1 <= number <= len(meeting.actions):
            raise RefusedError(
                f"meeting {meeting_id} has {len(meeting.actions)} action items; "
                f"there is no item {number}"
            )
        meeting.actions[number - 1].done = done

    return change_record(root, path, Meeting, change)


# --- work plan --------------------------------------------------------------------------------


def new_measure(
    pair: Pair,
    ship: Partnership,
    *,
    title: str,
    owners: list[str],
    description: str | None = None,
    start: dt.date | None = None,
    due: dt.date | None = None,
    planned_cost: Any = None,
    needs_decision: bool = False,
    record_id: str | None = None,
) -> Measure:
    data: dict[str, Any] = {
        "id": _slug(record_id or title, "--id" if record_id else "title"),
        "title": title,
        "description": description,
        "owners": [resolve_partner(ship, o, "--owner") for o in owners],
        "start": start,
        "due": due,
        "planned_cost": planned_cost,
        "needs_decision": needs_decision,
    }
    measure = build(Measure, data, "measure")
    if measure.start and measure.due and measure.due < measure.start:
        raise RefusedError(f"--due {measure.due} is before --start {measure.start}")
    return measure


def update_measure(root: Path, pair: Pair, measure_id: str, changes: dict[str, Any]) -> Measure:
    """Apply *changes* (only the options given) to a measure and rewrite its file."""
    path = root / find(pair.measures, measure_id, "measure").path

    def change(fresh: Measure) -> Measure:
        measure = build(Measure, {**fresh.model_dump(), **changes}, "measure")
        if measure.start and measure.due and measure.due < measure.start:
            raise RefusedError(f"due {measure.due} would be before start {measure.start}")
        return measure

    return change_record(root, path, Measure, change)


# --- council decisions ------------------------------------------------------------------------


def new_decision(
    pair: Pair,
    ship: Partnership,
    *,
    partner: str,
    body: str,
    date: dt.date,
    title: str,
    number: str | None = None,
    status: str = "pending",
    measures: list[str] | None = None,
) -> Decision:
    known = {m.model.id for m in pair.measures}
    for measure_id in measures or []:
        if measure_id not in known:
            raise RefusedError(
                f"unknown measure {measure_id!r} (--measure); measures: "
                + (", ".join(sorted(known)) or "none yet")
            )
    data: dict[str, Any] = {
        "id": f"{date.isoformat()}-{_slug(title, 'title')}",
        "body": body,
        "date": date,
        "number": number,
        "title": title,
        "status": status,
        "partner": resolve_partner(ship, partner, "--partner"),
        "measures": list(measures or []),
    }
    return build(Decision, data, "decision")


# --- programme events -------------------------------------------------------------------------


@dataclass
class EventPlan:
    event: Event
    path: Path


def new_event(
    root: Path,
    known_pairs: list[str],
    *,
    date: dt.date,
    title: str,
    kind: str,
    location: str | None,
    pairs: list[str],
) -> EventPlan:
    for pair_id in pairs:
        if pair_id not in known_pairs:
            raise RefusedError(
                f"unknown pair {pair_id!r} (--pair); pairs: {', '.join(known_pairs)}"
            )
    data: dict[str, Any] = {
        "id": f"{date.isoformat()}-{_slug(title, 'title')}",
        "date": date,
        "kind": kind,
        "title": title,
        "location": location,
        "pairs": pairs,
    }
    event = build(Event, data, "event")
    return EventPlan(event, root / EVENTS_DIR / f"{event.id}.yaml")


def save_event(root: Path, plan: EventPlan) -> Path:
    write_new(plan.path, plan.event, root)
    return plan.path
