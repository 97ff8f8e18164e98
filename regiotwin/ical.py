"""The iCalendar export (RFC 5545) of meetings, work-plan due dates, action items, reporting
deadlines and programme events.

What a calendar program needs to take a re-import as an update, not a copy or nothing:

- UIDs from what an entry is: record ids, and for an action item its meeting and its text (so
  reordering a meeting's actions keeps them; a changed text is a new entry);
- SEQUENCE from the modification time of the file an entry comes from (seconds since
  2000-01-01): a saved change raises it, an unchanged file keeps it, so a re-import of unchanged
  data changes nothing, and the data holds no counter that two clones could disagree on in a
  merge. LAST-MODIFIED says the same time;
- DTSTAMP is the time of the export, or `$SOURCE_DATE_EPOCH` for reproducible output.

Due dates (actions, measures, deadlines) are all-day and TRANSP:TRANSPARENT: they do not
block the day. A meeting with a time is in Europe/Berlin (with its VTIMEZONE) and lasts until
its `end_time`, or for a default time by kind (MEETING_HOURS).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from regiotwin.deadlines import pair_deadlines
from regiotwin.loader import CONFIG_NAME, PAIR_FILE, Loaded, Repository
from regiotwin.models import ActionItem, Meeting
from regiotwin.vocabulary import MEETING_KIND

BERLIN = ZoneInfo("Europe/Berlin")
UID_DOMAIN = "regiotwin"
# how long a meeting without an end time lasts, by kind (hours)
MEETING_HOURS = {"phone-conference": 1.0, "jour-fixe": 1.5, "workshop": 4.0,
                 "study-tour": 8.0, "network-event": 6.0}
DEFAULT_HOURS = 2.0
SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


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


class _Revisions:
    """SEQUENCE and LAST-MODIFIED of the entries of a file, from its modification time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, float] = {}

    def mtime(self, *paths: str) -> float:
        times = []
        for rel in paths:
            if rel not in self._known:
                try:
                    self._known[rel] = os.stat(self.root / rel).st_mtime
                except OSError:
                    self._known[rel] = SEQUENCE_EPOCH.timestamp()
            times.append(self._known[rel])
        return max(times)

    def stamp(self, event: Event, *paths: str) -> None:
        changed = self.mtime(*paths)
        event.add("sequence", max(int(changed - SEQUENCE_EPOCH.timestamp()), 0))
        event.add("last-modified", dt.datetime.fromtimestamp(int(changed), tz=dt.timezone.utc))


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
            stamp: dt.datetime, revisions: _Revisions) -> Event:
    m = loaded.model
    item = Event()
    item.add("uid", _uid(pair_id, "action", m.id, uid))
    item.add("dtstamp", stamp)
    revisions.stamp(item, loaded.path)
    state = "erledigt: " if action.done else ""
    item.add("summary", f"Aufgabe fällig ({state}{action.what})")
    assert action.due is not None
    _due(item, action.due)
    item.add("description", f"Aus {m.title} ({m.date:%d.%m.%Y})"
             + (f"; verantwortlich: {action.owner}" if action.owner else ""))
    return item


def calendar_bytes(repo: Repository, pair_ids: list[str], banner: str | None = None,
                   incomplete: str | None = None) -> bytes:
    """The calendar of the chosen pairs; a draft's *banner* names the calendar and marks every
    entry, so no one mistakes it for the real dates; *incomplete* (the pairs left out) is
    named too."""
    cal = Calendar()
    cal.add("prodid", "-//regiotwin//RegioTwin calendar//DE")
    cal.add("version", "2.0")
    notes = "; ".join(line for line in (banner, incomplete) if line)
    cal.add("x-wr-calname", f"RegioTwin ({notes})" if notes else "RegioTwin")
    stamp = export_time()
    revisions = _Revisions(repo.root)
    for pair_id in pair_ids:
        pair = repo.pairs[pair_id]
        if pair.partnership is None:
            continue
        ship = pair.partnership.model
        for loaded in sorted(pair.meetings, key=lambda m: (m.model.date, m.model.id)):
            m = loaded.model
            event = Event()
            event.add("uid", _uid(pair_id, "meeting", m.id))
            event.add("dtstamp", stamp)
            revisions.stamp(event, loaded.path)
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
                    cal.add_component(_action(pair_id, loaded, uid, action, stamp, revisions))
        for planned in sorted(pair.measures, key=lambda m: m.model.id):
            measure = planned.model
            if measure.due is None:
                continue
            item = Event()
            item.add("uid", _uid(pair_id, "measure", measure.id))
            item.add("dtstamp", stamp)
            revisions.stamp(item, planned.path)
            item.add("summary", f"Maßnahme fällig: {measure.title}")
            _due(item, measure.due)
            cal.add_component(item)
        for deadline in pair_deadlines(repo.programme, ship):
            item = Event()
            item.add("uid", _uid(pair_id, "deadline", deadline.id))
            item.add("dtstamp", stamp)
            revisions.stamp(item, CONFIG_NAME, f"{pair.path}/{PAIR_FILE}")
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
        item.add("dtstamp", stamp)
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
