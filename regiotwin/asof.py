"""What stood on a given day: the one as-of rule of the documents, `status` and `check`.

regiotwin keeps today's state and the dates the records carry, no history. A report as of an
earlier day therefore counts what the dates say had happened by then:

- a report's day: the one asked for; `final`, `proof` and `council` default to the end of the
  period (today while it runs), the others to today (`as_of_for`);
- an action item is done from the day it was marked done (`done_on`); one marked done before
  regiotwin recorded that day counts as done on any day (`action_done`);
- a measure stands as its dates say: planned before its start, and one done by now still in
  progress before its due date; otherwise as recorded (`measure_status`), and the documents
  say so where that changed what they show;
- where the day lies against the period: before, during or after it, which sets the tense of
  the documents (`phase`); on its last day the year is over for the documents, so the final
  report and the Verwendungsnachweis of that day look back on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from regiotwin.models import ActionItem, Measure, Partnership

END_DEFAULT_KINDS = ("final", "proof", "council")  # documents about the year as a whole

Phase = Literal["before", "during", "after"]


def as_of_for(kind: str, ship: Partnership, given: dt.date | None, today: dt.date) -> dt.date:
    """A report's as-of date ("Stand"): *given*; else for the documents about the whole year
    (`final`, `proof`, the council paper) the end of the period, or today while it runs; else
    today."""
    if given is not None:
        return given
    if kind in END_DEFAULT_KINDS:
        return min(ship.end, today)
    return today


def action_done(action: ActionItem, as_of: dt.date) -> bool:
    """Whether the item was done by *as_of*: marked done on or before that day (or marked done
    without a day, as files from before `done_on` are)."""
    return action.done and (action.done_on is None or action.done_on <= as_of)


def action_overdue(action: ActionItem, as_of: dt.date) -> bool:
    """Not done by *as_of* although it was due before that day."""
    return not action_done(action, as_of) and action.due is not None and action.due < as_of


def measure_status(measure: Measure, ship: Partnership, as_of: dt.date) -> str:
    """The measure's status as its dates say it stood on *as_of*. A measure without a start
    starts with the period, one without a due date is due at its end."""
    start = measure.start or ship.start
    due = measure.due or ship.end
    if as_of < start:
        return "planned"
    if measure.status == "done" and as_of < due:
        return "in-progress"
    return measure.status


def phase(start: dt.date, end: dt.date, as_of: dt.date) -> Phase:
    """Where *as_of* lies against the period: before its first day, inside it, or on or after
    its last day (a document of that day reports on the year as done)."""
    if as_of < start:
        return "before"
    return "during" if as_of < end else "after"
