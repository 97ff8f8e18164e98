"""Adding, changing and removing the records of the twinning year: meetings, measures,
decisions, events.

Each function takes plain values from the CLI, checks them against the pair, and writes through
the one write path of store.py (lock, read again, change, validate, write; comments kept).
Records are found through regiotwin/lookup.py, so every id argument takes the same forms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from regiotwin.dates import DateError, parse_date
from regiotwin.english import agree, plural
from regiotwin.errors import OptionValueError, RefusedError, UsageError
from regiotwin.limits import nfc
from regiotwin.loader import EVENTS_DIR, PAIRS_DIR, Loaded, Pair
from regiotwin.lookup import (
    choices_of,
    closest,
    find_named,
    near_misses,
    resolve,
    resolve_pair,
    unknown_partner,
)
from regiotwin.models import (
    ActionItem,
    Decision,
    Effect,
    Event,
    Measure,
    Meeting,
    Partnership,
    Record,
    dump,
    split_participant,
)
from regiotwin.slugs import SlugError, checked_slug
from regiotwin.store import (
    Edit,
    build,
    change_record,
    edit_record,
    lock_for,
    pair_lock,
    reload_pair,
    remove_record,
    write_new,
)
from regiotwin.vocabulary import MEETING_KIND

M = TypeVar("M", bound=Record)

# the kinds whose records a date finds (`meeting show 2016-07-20`)
DATED = ("meeting", "decision", "expense", "event")

# --- references inside a pair -----------------------------------------------------------------


def resolve_partner(ship: Partnership, ref: str, option: str) -> str:
    """A partner id from an id or a name (in any case, composed or not, `Giessen` for
    `Gießen`); refuses anything else, listing the partners."""
    partner = ship.partner(ref)
    if partner is None:
        raise unknown_partner(ref, option, ship.partners)
    return partner.id


def contact_names(ship: Partnership) -> list[str]:
    return [c.name for p in ship.partners for c in p.contacts]


def resolve_owner(ship: Partnership, ref: str) -> str:
    """An action owner: a partner (stored as its id) or a contact (stored as the contact's name)."""
    partner = ship.partner(ref)
    if partner is not None:
        return partner.id
    found = find_named(contact_names(ship), ref)
    if len(found) == 1:
        return found[0]
    names = [p.id for p in ship.partners] + contact_names(ship)
    raise RefusedError(
        f"action owner {nfc(ref)!r} is neither a partner nor a contact; use one of: "
        f"{', '.join(names)}"
    )


def participant_typos(ship: Partnership, participant: str,
                      names: list[str] | None = None) -> list[str]:
    """The contacts a participant's name is within two edits of without being one of them:
    `Max Beispeil` is probably `Max Beispiel`, who is then not linked to his partner.
    *names* are the contacts' names, when the caller has them already."""
    name, ref = split_participant(nfc(participant))
    if ref is not None:
        return []  # `Name @partner`: a guest said to belong to a partner
    names = contact_names(ship) if names is None else names
    return [] if name in names else near_misses(name, names)


def typo_warnings(ship: Partnership, participants: Iterable[str]) -> list[str]:
    """What `meeting add` and `meeting set` say about likely typos in participants' names."""
    warnings = []
    for person in participants:
        near = participant_typos(ship, person)
        if near:
            warnings.append(f"warning: participant {person!r} is not a contact; did you mean "
                            f"{' or '.join(repr(n) for n in near)}? (saved as written: a guest)")
    return warnings


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
    r"(?:\s+(?:due|bis)(?:\s+zum)?[:\s]\s*(?P<due>\S+))?\s*$",
    re.DOTALL,
)


def parse_action(text: str, ship: Partnership) -> ActionItem:
    """`WHAT [@OWNER] [due DATE]`, e.g. `Angebote einholen @Max Beispiel due 2016-08-01` or
    `… bis 01.08.2016` (dates in the one grammar of regiotwin/dates.py)."""
    match = _ACTION.match(text.strip())
    assert match is not None  # the pattern matches any text
    what = match["what"].strip()
    if not what:
        raise OptionValueError("--action", f"{text!r} says nothing to do; write WHAT [@OWNER] "
                               "[due DATE]")
    owner = resolve_owner(ship, match["owner"].strip()) if match["owner"] else None
    due = None
    if match["due"]:
        try:
            due = parse_date(match["due"])
        except DateError as exc:
            raise OptionValueError("--action", f"{text!r}: due date {exc}") from None
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
        "actions": [dump(parse_action(a, ship)) for a in actions or []],
    }
    return build(Meeting, data, "meeting")


def save_new(root: Path, pair: Pair, kind: str, model: Any) -> Path:
    """Write a new record of a pair (under its lock); a record with the same id is refused,
    naming its file."""
    path = _record_path(pair, kind, model.id)
    write_new(path, model, root)
    return path


def find(records: list[Loaded[Any]], ref: str, what: str, option: str = "ID") -> Loaded[Any]:
    """The record *ref* names (full id, file name or path, unique prefix, or for dated kinds a
    unique date): regiotwin/lookup.py."""
    choices = choices_of(what, records, lambda r: r.model, dated=what in DATED)
    return resolve(choices, ref, option)


def find_measures(pair: Pair, refs: Iterable[str], option: str = "--measure") -> list[str]:
    return [find(pair.measures, ref, "measure", option).model.id for ref in refs]


def set_action_done(
    root: Path, pair: Pair, meeting_id: str, number: int, *, today: dt.date,
    day: dt.date | None = None, undo: bool = False,
) -> Meeting:
    """Mark action item *number* (1-based, as `meeting show` numbers them) done on *day*
    (`done_on`; default: today, or the day already recorded), or open again with *undo*. A day
    before the meeting that gave the task, or after today, is refused."""
    path = root / find(pair.meetings, meeting_id, "meeting").path

    def change(meeting: Meeting) -> None:
        if not 1 <= number <= len(meeting.actions):
            raise RefusedError(
                f"meeting {meeting_id} has {plural(len(meeting.actions), 'action item')}; "
                f"there is no item {number}"
            )
        action = meeting.actions[number - 1]
        if undo:
            action.done, action.done_on = False, None
            return
        if day is not None and day < meeting.date:
            raise RefusedError(f"--date {day} is before the meeting ({meeting.date}) that gave "
                               "the task")
        if day is not None and day > today:
            raise RefusedError(f"--date {day} is in the future; mark the item done when it is")
        if day is None and action.done:
            return  # done already: its day stays unless --date says another
        action.done, action.done_on = True, day or today

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


def _check_measure_dates(measure: Measure) -> None:
    if measure.start and measure.due and measure.due < measure.start:
        raise RefusedError(f"due {measure.due} would be before start {measure.start}")


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
    data: dict[str, Any] = {
        "id": f"{date.isoformat()}-{_slug(title, 'title')}",
        "body": body,
        "date": date,
        "number": number,
        "title": title,
        "status": status,
        "partner": resolve_partner(ship, partner, "--partner"),
        "measures": find_measures(pair, measures or []),
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
    pairs = [resolve_pair(ref, known_pairs) for ref in pairs]
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


# --- changing and removing ---------------------------------------------------------------------


@dataclass
class Changes:
    """What `set` changes in a record: new values by field, and the fields to remove."""

    values: dict[str, Any] = field(default_factory=dict)
    unset: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.values or self.unset)

    def applied(self, model: type[M], record: M, what: str) -> M:
        """*record* with the changes, validated as the file would be."""
        data = dump(record)
        for name in self.unset:
            data[name] = [] if isinstance(data.get(name), list) else None
        data.update(self.values)
        return build(model, data, what)


@dataclass
class Outcome:
    """What a `set` or `remove` did, file by file, and what the user should hear about it."""

    edits: list[Edit[Any]]
    warnings: list[str] = field(default_factory=list)

    @property
    def edit(self) -> Edit[Any]:
        return self.edits[-1]


def _path(root: Path, record: Loaded[Any]) -> Path:
    return root / record.path


def _referrers(pair: Pair, what: str, record_id: str) -> list[str]:
    """The records of *pair* that refer to a measure or meeting (what `remove` must not
    leave dangling), as `path (field)`."""
    found: list[str] = []
    if what == "measure":
        found += [f"{d.path} (measures)" for d in pair.decisions
                  if record_id in d.model.measures]
        found += [f"{e.path} (measure)" for e in pair.expenses if e.model.measure == record_id]
    elif what == "meeting":
        found += [f"{e.path} (meeting)" for e in pair.expenses if e.model.meeting == record_id]
    return found


def refuse_referred(what: str, record_id: str, referrers: list[str]) -> None:
    if referrers:
        raise RefusedError(
            f"refused: {plural(len(referrers), 'record')} "
            f"{agree(len(referrers), 'refers', 'refer')} to {what} {record_id}: "
            f"{'; '.join(referrers)}; change or remove {agree(len(referrers), 'it', 'them')} "
            "first; nothing was removed"
        )


_KINDS: dict[str, tuple[str, type[Record]]] = {
    "measure": ("measures", Measure),
    "meeting": ("meetings", Meeting),
    "decision": ("decisions", Decision),
}


def remove_pair_record(
    root: Path, pair_id: str, what: str, ref: str, *, dry_run: bool = False
) -> Outcome:
    """Remove a measure, meeting or decision, refused while other records refer to it."""
    kind, model = _KINDS[what]
    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        record = find(pair.records(kind), ref, what)

        def refuse(current: Record) -> None:
            refuse_referred(what, record.model.id, _referrers(pair, what, record.model.id))

        return Outcome([remove_record(root, _path(root, record), model, refuse=refuse,
                                      dry_run=dry_run)])


def set_measure(
    root: Path, pair_id: str, ref: str, changes: Changes, *, owners: list[str] | None = None,
    dry_run: bool = False,
) -> Edit[Measure]:
    """Change a measure's fields; *owners* replaces its owners (partner ids or names)."""
    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        ship = _ship(pair)
        record = find(pair.measures, ref, "measure")
        values = dict(changes.values)
        if owners:
            values["owners"] = [resolve_partner(ship, o, "--owner") for o in owners]

        def change(fresh: Measure) -> Measure:
            measure = Changes(values, changes.unset).applied(Measure, fresh, "measure")
            _check_measure_dates(measure)
            return measure

        return edit_record(root, _path(root, record), Measure, change, dry_run=dry_run)


_EFFECT = re.compile(r"^\s*(?P<value>[0-9][0-9.,]*)\s+(?P<unit>\S.*?)\s*$")


def parse_effect(text: str) -> Effect:
    """`12,5 t CO2/a` or `12.5 t CO2/a`: an expected effect, its number and its unit."""
    from decimal import Decimal, InvalidOperation

    match = _EFFECT.match(text)
    if match is None:
        raise OptionValueError("--effect", f"{text!r}: write a number and a unit, e.g. "
                               "'12,5 t CO2/a'")
    number = match["value"]
    if re.fullmatch(r"\d{1,3}\.\d{3}", number):
        raise OptionValueError("--effect", f"{text!r}: {number} is ambiguous; write "
                               f"{number.replace('.', '')} or {number.replace('.', ',')}")
    if "," in number:
        number = number.replace(".", "").replace(",", ".")
    try:
        value = Decimal(number)
    except InvalidOperation:
        raise OptionValueError("--effect", f"{text!r}: {match['value']!r} is not a number") \
            from None
    return Effect(value=value, unit=match["unit"])


def _ship(pair: Pair) -> Partnership:
    assert pair.partnership is not None  # reload_pair refuses a pair without one
    return pair.partnership.model


def _numbers(items: list[Any], numbers: Iterable[int], what: str, record_id: str) -> set[int]:
    """1-based item numbers as `meeting show` shows them, checked, as 0-based indexes."""
    chosen = set()
    for number in numbers:
        if not 1 <= number <= len(items):
            raise RefusedError(f"meeting {record_id} has {plural(len(items), what)}; there is "
                               f"no number {number}")
        chosen.add(number - 1)
    return chosen


def _without(items: list[Any], indexes: set[int]) -> list[Any]:
    return [item for i, item in enumerate(items) if i not in indexes]


@dataclass
class MeetingChanges:
    """What `meeting set` changes: fields, and items added to or removed from its lists
    (removed by their number in `meeting show`, participants by name)."""

    changes: Changes = field(default_factory=Changes)
    minutes: str | None = None
    add_participants: list[str] = field(default_factory=list)
    remove_participants: list[str] = field(default_factory=list)
    add_agenda: list[str] = field(default_factory=list)
    remove_agenda: list[int] = field(default_factory=list)
    add_decisions: list[str] = field(default_factory=list)
    remove_decisions: list[int] = field(default_factory=list)
    add_actions: list[str] = field(default_factory=list)
    remove_actions: list[int] = field(default_factory=list)


def set_meeting(
    root: Path, pair_id: str, ref: str, wanted: MeetingChanges, *, dry_run: bool = False
) -> Outcome:
    """Change a meeting: its fields, minutes, participants, agenda, decisions and actions."""
    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        ship = _ship(pair)
        record = find(pair.meetings, ref, "meeting")
        for person in wanted.add_participants:
            _, partner = split_participant(person)
            if partner is not None:
                resolve_partner(ship, partner, f"--participant {person!r}")
        actions = [parse_action(text, ship) for text in wanted.add_actions]

        def change(fresh: Meeting) -> Meeting:
            _check_times(fresh, wanted.changes)
            meeting = wanted.changes.applied(Meeting, fresh, "meeting")
            if wanted.minutes is not None:
                meeting.minutes = wanted.minutes
            gone = {_participant(meeting, name) for name in wanted.remove_participants}
            meeting.participants = [p for p in meeting.participants if p not in gone]
            meeting.participants += [p for p in wanted.add_participants
                                     if p not in meeting.participants]
            for name, removed, added in (("agenda", wanted.remove_agenda, wanted.add_agenda),
                                         ("decisions", wanted.remove_decisions,
                                          wanted.add_decisions)):
                items: list[str] = getattr(meeting, name)
                kept = _without(items, _numbers(items, removed, f"{name} item", meeting.id))
                setattr(meeting, name, kept + added)
            meeting.actions = _without(
                meeting.actions,
                _numbers(meeting.actions, wanted.remove_actions, "action item", meeting.id),
            ) + actions
            return meeting

        edit = edit_record(root, _path(root, record), Meeting, change, dry_run=dry_run)
        return Outcome([edit], typo_warnings(ship, wanted.add_participants))


def _check_times(meeting: Meeting, changes: Changes) -> None:
    """The end after the start once the changes are made, said in the options' words (the
    model would name only the fields)."""

    def after(name: str) -> str | None:
        return None if name in changes.unset else changes.values.get(name, getattr(meeting, name))

    start, end = after("time"), after("end_time")
    if end is None:
        return
    if start is None:
        if "time" in changes.unset:
            raise RefusedError(f"--unset time would leave the end time {end} without a start; "
                               "remove both (--unset time --unset end_time)")
        raise RefusedError(f"--until {end} needs a start time; give --time HH:MM too")
    if end > start:
        return
    if "end_time" in changes.values:
        raise RefusedError(f"--until {end} is not after the meeting's start time {start}")
    raise RefusedError(f"--time {start} is not before the meeting's end time {end}; give the "
                       "new end with --until HH:MM too, or remove it with --unset end_time")


def _participant(meeting: Meeting, ref: str) -> str:
    """The participant *ref* names (exactly, or but for case and transliteration)."""
    found = find_named(meeting.participants, ref)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"--remove-participant {ref!r} matches {', '.join(found)}; "
                         "write the name as `meeting show` shows it")
    near = closest(ref, meeting.participants)
    raise RefusedError(f"{ref!r} (--remove-participant) is not a participant of "
                       f"{meeting.id}; " + (f"the closest: {', '.join(near)}" if near else
                                            "it has no participants"))


def meeting_text(root: Path, pair: Pair, ref: str) -> tuple[Loaded[Meeting], str]:
    """A meeting and the text of its file, to open in an editor (`meeting set --edit`)."""
    from regiotwin.limits import read_capped

    record = find(pair.meetings, ref, "meeting")
    return record, read_capped(_path(root, record)).decode("utf-8-sig")


def save_edited(
    root: Path, record: Loaded[Meeting], started: str, edited: str, meeting: Meeting,
    *, dry_run: bool = False,
) -> Edit[Meeting]:
    """Write a meeting edited in an editor as the user left it (their comments and layout),
    unless the file changed while the editor was open."""
    return edit_record(root, _path(root, record), Meeting, lambda _: meeting,
                       edited=(started, edited), dry_run=dry_run)


def set_decision(
    root: Path, pair_id: str, ref: str, changes: Changes, *, partner: str | None = None,
    measures: list[str] | None = None, dry_run: bool = False,
) -> Edit[Decision]:
    """Change a council decision; *measures* replaces the measures it enables."""
    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        ship = _ship(pair)
        record = find(pair.decisions, ref, "decision")
        values = dict(changes.values)
        if partner is not None:
            values["partner"] = resolve_partner(ship, partner, "--partner")
        if measures:
            values["measures"] = find_measures(pair, measures)
        return edit_record(root, _path(root, record), Decision,
                           lambda fresh: Changes(values, changes.unset).applied(
                               Decision, fresh, "decision"),
                           dry_run=dry_run)


# --- programme events ---------------------------------------------------------------------------


def _events(root: Path) -> list[Loaded[Event]]:
    """The events as they are now (inside the events' lock); invalid files stop here."""
    from regiotwin.errors import DataError, Finding
    from regiotwin.loader import load_events

    findings: list[Finding] = []
    events = load_events(root, findings)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataError(f"{EVENTS_DIR}/ has invalid files; fix them first", errors)
    return events


def _events_lock(root: Path) -> Any:
    return lock_for(root, root / EVENTS_DIR / "x.yaml")


def set_event(
    root: Path, known_pairs: list[str], ref: str, changes: Changes, *,
    pairs: list[str] | None = None, dry_run: bool = False,
) -> Edit[Event]:
    """Change a programme event; *pairs* replaces the pairs that attended."""
    values = dict(changes.values)
    if pairs:
        values["pairs"] = [resolve_pair(p, known_pairs) for p in pairs]
    with _events_lock(root):
        record = find(_events(root), ref, "event")
        return edit_record(root, _path(root, record), Event,
                           lambda fresh: Changes(values, changes.unset).applied(
                               Event, fresh, "event"),
                           dry_run=dry_run)


def remove_event(root: Path, ref: str, *, dry_run: bool = False) -> Edit[Event]:
    with _events_lock(root):
        record = find(_events(root), ref, "event")
        return remove_record(root, _path(root, record), Event, dry_run=dry_run)


def changed_fields(edit: Edit[Any]) -> list[str]:
    """What a change did, field by field: `status: pending → passed`, `cancelled.reason:
    doppelt gebucht`, `participants: + Kim Gast`; long text and lists of records only say
    that they changed."""
    from regiotwin.store import record_data

    return _field_changes(record_data(edit.was), record_data(edit.model), "")


def _field_changes(before: dict[str, Any], after: dict[str, Any], prefix: str) -> list[str]:
    lines = []
    for name in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(name), after.get(name)
        label = prefix + name
        if old == new:
            continue
        if isinstance(old, dict) or isinstance(new, dict):
            if old is None or new is None:
                lines.append(f"{label} {'added' if old is None else 'removed'}")
            lines += _field_changes(old or {}, new or {}, label + ".")
        elif isinstance(old, list) or isinstance(new, list):
            old, new = old or [], new or []
            if len(old) == len(new) and all(isinstance(v, dict) for v in (*old, *new)):
                for number, (a, b) in enumerate(zip(old, new), 1):  # numbered as shown
                    lines += _field_changes(a, b, f"{label}[{number}].")
                continue
            lines += [f"{label}: − {_summary(v)}" for v in old if v not in new]
            lines += [f"{label}: + {_summary(v)}" for v in new if v not in old]
        elif any(isinstance(v, str) and "\n" in v for v in (old, new)):
            lines.append(f"{label} changed")  # the diff (--dry-run) shows long text
        elif new is None:
            lines.append(f"{label} removed")
        elif old is None:
            lines.append(f"{label}: {_summary(new)}")
        else:
            lines.append(f"{label}: {_summary(old)} → {_summary(new)}")
    return lines


def _summary(value: Any) -> str:
    """An item of a list as one line: itself, or a record by its first text (`what`, `name`)."""
    if isinstance(value, dict):
        return next((v for v in value.values() if isinstance(v, str)), "…")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
