"""The iCalendar export (RFC 5545) of meetings, work-plan due dates and action items.

UIDs are derived from record ids, so importing the file again updates events instead of
duplicating them. Meetings with a time are in Europe/Berlin, with its VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from regiotwin.loader import Repository
from regiotwin.vocabulary import MEETING_KIND

BERLIN = ZoneInfo("Europe/Berlin")
MEETING_HOURS = 2
UID_DOMAIN = "regiotwin"


def _uid(*parts: str) -> str:
    return "-".join(parts) + f"@{UID_DOMAIN}"


def calendar_bytes(repo: Repository, pair_ids: list[str], banner: str | None = None) -> bytes:
    """The calendar of the chosen pairs; a draft's *banner* names the calendar and marks every
    entry, so no one mistakes it for the real dates."""
    cal = Calendar()
    cal.add("prodid", "-//regiotwin//RegioTwin calendar//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"RegioTwin ({banner})" if banner else "RegioTwin")
    stamp = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)  # stable output for git diffs
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
            event.add("summary", f"{m.title} ({ship.title})")
            event.add("categories", [MEETING_KIND.label(m.kind)])
            if m.time:
                hour, minute = (int(x) for x in m.time.split(":"))
                start = dt.datetime.combine(m.date, dt.time(hour, minute), tzinfo=BERLIN)
                event.add("dtstart", start)
                event.add("dtend", start + dt.timedelta(hours=MEETING_HOURS))
            else:
                event.add("dtstart", m.date)
                event.add("dtend", m.date + dt.timedelta(days=1))
            if m.location:
                event.add("location", m.location)
            if m.agenda:
                event.add("description", "Tagesordnung:\n" + "\n".join(f"- {a}" for a in m.agenda))
            cal.add_component(event)
            for number, action in enumerate(m.actions, 1):
                if action.due is None:
                    continue
                item = Event()
                item.add("uid", _uid(pair_id, "action", m.id, str(number)))
                item.add("dtstamp", stamp)
                state = "erledigt: " if action.done else ""
                item.add("summary", f"Aufgabe fällig ({state}{action.what})")
                item.add("dtstart", action.due)
                item.add("dtend", action.due + dt.timedelta(days=1))
                item.add("description", f"Aus {m.title} ({m.date.isoformat()})"
                         + (f"; verantwortlich: {action.owner}" if action.owner else ""))
                cal.add_component(item)
        for planned in sorted(pair.measures, key=lambda m: m.model.id):
            measure = planned.model
            if measure.due is None:
                continue
            item = Event()
            item.add("uid", _uid(pair_id, "measure", measure.id))
            item.add("dtstamp", stamp)
            item.add("summary", f"Maßnahme fällig: {measure.title}")
            item.add("dtstart", measure.due)
            item.add("dtend", measure.due + dt.timedelta(days=1))
            cal.add_component(item)
    for programme_event in sorted(repo.events, key=lambda e: (e.model.date, e.model.id)):
        ev = programme_event.model
        if not set(ev.pairs) & set(pair_ids):
            continue
        item = Event()
        item.add("uid", _uid("event", ev.id))
        item.add("dtstamp", stamp)
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
