"""The iCalendar export (RFC 5545) of meetings, work-plan due dates, action items, reporting
deadlines and programme events.

What a calendar program needs to take a re-import as an update, not a copy, and to leave an
unchanged entry alone:

- UIDs from what an entry is: record ids, and for an action item its meeting and its text (so
  reordering a meeting's actions keeps them; a changed text is a new entry).
- Revisions from git, the history the data already has (history.py). RFC 5545 §3.8.7.4 makes
  SEQUENCE the revision number that grows with each significant change; RFC 5546 §2.1.5 lets
  the higher SEQUENCE win and, where it is equal, the later DTSTAMP. A counter in the data
  would conflict in merges and miss hand edits; a file's modification time differs between
  two clones of one commit and is reset by every fresh checkout (CI would change every entry
  on every push); a hash of the content is the same everywhere but does not grow, so a client
  would take half of all changes for stale ones. The number of commits that changed an
  entry's files does all three: the same in every full clone, unchanged while the record is,
  and growing with each commit that changes it, also across merges. So an entry's
  SEQUENCE is that count (plus one while its file has uncommitted changes), its LAST-MODIFIED
  the time of the last of those commits, and its DTSTAMP the same time: an iCalendar object
  without METHOD dates each entry by its last revision (RFC 5545 §3.8.7.2), so an unchanged
  entry is byte for byte what an earlier export held. An entry made from several files (a
  meeting shows the pair's title; a deadline comes from regiotwin.yaml and the pair) adds
  their counts.
- Without that history (the data is not in git, or a shallow clone) every entry has SEQUENCE
  0, no LAST-MODIFIED, and DTSTAMP the time of the export or `$SOURCE_DATE_EPOCH`: clients
  that compare versions take each export as the newest, which updates a changed entry and
  rewrites an unchanged one with what it already holds.

What clients do with a re-import differs, and no file can change it: Thunderbird's import skips
an entry whose UID the calendar already has (it updates only what comes as an invitation, by
SEQUENCE, then DTSTAMP); Outlook's import matches UIDs only for meetings with attendees and
recurring series, so other entries are added again. A calendar that subscribes to the file (a
URL, or a shared file) is read whole on every refresh and is always current; that is the way
the README recommends.

Due dates (actions, measures, deadlines) are all-day and TRANSP:TRANSPARENT: they do not
block the day. A meeting with a time is in Europe/Berlin (with its VTIMEZONE) and lasts until
its `end_time`, or for a default time by kind (MEETING_HOURS).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from regiotwin.deadlines import pair_deadlines
from regiotwin.history import History
from regiotwin.loader import CONFIG_NAME, Loaded, Repository
from regiotwin.models import ActionItem, Meeting
from regiotwin.vocabulary import MEETING_KIND

BERLIN = ZoneInfo("Europe/Berlin")
UID_DOMAIN = "regiotwin"
# how long a meeting without an end time lasts, by kind (hours)
MEETING_HOURS = {"phone-conference": 1.0, "jour-fixe": 1.5, "workshop": 4.0,
                 "study-tour": 8.0, "network-event": 6.0}
DEFAULT_HOURS = 2.0


def _uid(*parts: str) -> str:
    return "-".join(parts) + f"@{UID_DOMAIN}"


def action_uids(meeting: Meeting) -> list[str]:
    """A UID part per action item from its text (and, for equal texts, their order among
    themselves), so reordering the items keeps each one's UID."""
    seen: dict[str, int] = {}
    parts = []
    for action in meeting.actions:
        digest = hashlib.sha256(action.what.encode("utf-8")).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        parts.append(digest if seen[digest] == 1 else f"{digest}-{seen[digest]}")
    return parts


def export_time() -> dt.datetime:
    """Now, or `$SOURCE_DATE_EPOCH` (reproducible builds) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Revision:
    sequence: int
    modified: dt.datetime | None  # None: not known from git (no history, or uncommitted)


class _Revisions:
    """SEQUENCE, LAST-MODIFIED and DTSTAMP of an entry, from the history of its files."""

    def __init__(self, history: History | None, stamp: dt.datetime) -> None:
        self.history = history
        self.stamp_time = stamp

    def of(self, *paths: str) -> Revision:
        history = self.history
        if history is None:
            return Revision(0, None)
        count = sum(history.changes.get(p, 0) + (p in history.dirty) for p in paths)
        if any(p in history.dirty or p not in history.last for p in paths):
            return Revision(count, None)
        last = max(history.last[p] for p in paths)
        return Revision(count, dt.datetime.fromtimestamp(last, tz=dt.timezone.utc))

    def stamp(self, event: Event, *paths: str) -> None:
        revision = self.of(*paths)
        event.add("dtstamp", revision.modified or self.stamp_time)
        event.add("sequence", revision.sequence)
        if self.history is not None:  # the time of the revision: git's, or this export's
            event.add("last-modified", revision.modified or self.stamp_time)


def _due(item: Event, day: dt.date) -> None:
    """An all-day due date that does not block the day."""
    item.add("dtstart", day)
    item.add("dtend", day + dt.timedelta(days=1))
    item.add("transp", "TRANSPARENT")


def _meeting_times(event: Event, m: Meeting) -> None:
    if not m.time:
        event.add("dtstart", m.date)
        event.add("dtend", m.date + dt.timedelta(days=1))
        return
    start = dt.datetime.combine(m.date, dt.time.fromisoformat(m.time), tzinfo=BERLIN)
    if m.end_time:
        end = dt.datetime.combine(m.date, dt.time.fromisoformat(m.end_time), tzinfo=BERLIN)
    else:
        end = start + dt.timedelta(hours=MEETING_HOURS.get(m.kind, DEFAULT_HOURS))
    event.add("dtstart", start)
    event.add("dtend", end)


def _action(pair_id: str, loaded: Loaded[Meeting], uid: str, action: ActionItem,
            revisions: _Revisions) -> Event:
    m = loaded.model
    item = Event()
    item.add("uid", _uid(pair_id, "action", m.id, uid))
    revisions.stamp(item, loaded.path)
    state = "erledigt: " if action.done else ""
    item.add("summary", f"Aufgabe fällig ({state}{action.what})")
    assert action.due is not None
    _due(item, action.due)
    item.add("description", f"Aus {m.title} ({m.date:%d.%m.%Y})"
             + (f"; verantwortlich: {action.owner}" if action.owner else ""))
    return item


def calendar_bytes(
    repo: Repository, pair_ids: list[str], banner: str | None = None,
    incomplete: str | None = None, history: History | None = None,
) -> bytes:
    """The calendar of the chosen pairs, its revisions from *history* (history.read_history;
    None: none); a draft's *banner* names the calendar and marks every entry, so no one
    mistakes it for the real dates; *incomplete* (the pairs left out) is named too."""
    cal = Calendar()
    cal.add("prodid", "-//regiotwin//RegioTwin calendar//DE")
    cal.add("version", "2.0")
    notes = "; ".join(line for line in (banner, incomplete) if line)
    cal.add("x-wr-calname", f"RegioTwin ({notes})" if notes else "RegioTwin")
    revisions = _Revisions(history, export_time())
    for pair_id in pair_ids:
        pair = repo.pairs[pair_id]
        if pair.partnership is None:
            continue
        ship = pair.partnership.model
        ship_path = pair.partnership.path
        for loaded in sorted(pair.meetings, key=lambda m: (m.model.date, m.model.id)):
            m = loaded.model
            event = Event()
            event.add("uid", _uid(pair_id, "meeting", m.id))
            revisions.stamp(event, loaded.path, ship_path)  # its summary names the pair
            event.add("summary", f"{m.title} ({ship.title})")
            event.add("categories", [MEETING_KIND.label(m.kind)])
            _meeting_times(event, m)
            if m.location:
                event.add("location", m.location)
            if m.agenda:
                event.add("description", "Tagesordnung:\n" + "\n".join(f"- {a}" for a in m.agenda))
            cal.add_component(event)
            for uid, action in zip(action_uids(m), m.actions):
                if action.due is not None:
                    cal.add_component(_action(pair_id, loaded, uid, action, revisions))
        for planned in sorted(pair.measures, key=lambda m: m.model.id):
            measure = planned.model
            if measure.due is None:
                continue
            item = Event()
            item.add("uid", _uid(pair_id, "measure", measure.id))
            revisions.stamp(item, planned.path)
            item.add("summary", f"Maßnahme fällig: {measure.title}")
            _due(item, measure.due)
            cal.add_component(item)
        for deadline in pair_deadlines(repo.programme, ship):
            item = Event()
            item.add("uid", _uid(pair_id, "deadline", deadline.id))
            revisions.stamp(item, CONFIG_NAME, ship_path)
            sent = f" (eingereicht am {deadline.submitted:%d.%m.%Y})" if deadline.submitted else ""
            item.add("summary", f"Frist: {deadline.title}{sent} ({ship.title})")
            _due(item, deadline.due)
            item.add("description", f"{deadline.title} fällig am {deadline.due:%d.%m.%Y}: "
                     f"{deadline.basis}.")
            cal.add_component(item)
    for programme_event in sorted(repo.events, key=lambda e: (e.model.date, e.model.id)):
        ev = programme_event.model
        if not set(ev.pairs) & set(pair_ids):
            continue
        item = Event()
        item.add("uid", _uid("event", ev.id))
        revisions.stamp(item, programme_event.path)
        item.add("summary", ev.title)
        item.add("dtstart", ev.date)
        item.add("dtend", ev.date + dt.timedelta(days=1))
        if ev.location:
            item.add("location", ev.location)
        cal.add_component(item)
    if banner:
        for component in cal.walk("VEVENT"):
            component["summary"] = f"ENTWURF: {component['summary']}"
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
