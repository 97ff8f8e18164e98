"""The reporting deadlines of a pair, computed from the programme's rules (regiotwin.yaml
`reporting`) and the pair's period; the one place that says when paperwork is due.

- the Verwendungsnachweis (proof of use): `proof_months` after the end (ANBest-P 6.1: six;
  ANBest-Gk: twelve);
- a Zwischennachweis (interim proof) for each year end inside the period, `interim_months` after
  it (ANBest-P 6.1: four, i.e. by 30 April), since the purpose was not fulfilled by then;
- the programme's further dated deadlines (`reporting.deadlines`), for every pair.

A deadline is met once the pair records the day it was sent (`submitted` in partnership.yaml),
judged as of a date: paperwork sent after the as-of date was not sent yet on that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from regiotwin.models import Partnership, Programme

WARN_DAYS = 30  # `check` warns this many days ahead (SPEC §5)
PROOF_ID = "verwendungsnachweis"
INTERIM_PREFIX = "zwischennachweis-"

State = Literal["sent", "passed", "due", "open"]


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day *months* later, clamped to the month's end (31 Dec + 2 months → 28 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Deadline:
    """One piece of paperwork a pair owes, when it is due and when it was sent."""

    id: str
    kind: Literal["interim", "proof", "programme"]
    title: str  # the document's German name: Verwendungsnachweis, Zwischennachweis 2016
    due: dt.date
    basis: str  # the German reason for the date, for documents and calendars
    submitted: dt.date | None = None  # as recorded, possibly after an as-of date

    def sent_by(self, as_of: dt.date) -> bool:
        return self.submitted is not None and self.submitted <= as_of

    def days_left(self, as_of: dt.date) -> int:
        return (self.due - as_of).days

    def state(self, as_of: dt.date) -> State:
        """`sent`; else `passed` (overdue), `due` (within WARN_DAYS) or `open`."""
        if self.sent_by(as_of):
            return "sent"
        days = self.days_left(as_of)
        if days < 0:
            return "passed"
        return "due" if days <= WARN_DAYS else "open"

    def as_json(self, as_of: dt.date) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "due": self.due,
                "submitted": self.submitted if self.sent_by(as_of) else None,
                "state": self.state(as_of), "days_left": self.days_left(as_of)}


def pair_deadlines(programme: Programme, ship: Partnership) -> list[Deadline]:
    """Every deadline of one pair in date order, each with its recorded submission."""
    rules = programme.reporting
    found: list[Deadline] = []
    if rules.interim_months:
        for year in range(ship.start.year, ship.end.year + 1):
            year_end = dt.date(year, 12, 31)
            if ship.start <= year_end < ship.end:
                found.append(Deadline(
                    f"{INTERIM_PREFIX}{year}", "interim", f"Zwischennachweis {year}",
                    add_months(year_end, rules.interim_months),
                    f"{rules.interim_months} Monate nach dem Jahresende 31.12.{year}"))
    found.append(Deadline(
        PROOF_ID, "proof", "Verwendungsnachweis", add_months(ship.end, rules.proof_months),
        f"{rules.proof_months} Monate nach dem Ende der Laufzeit am {ship.end:%d.%m.%Y}"))
    for extra in rules.deadlines:
        found.append(Deadline(extra.id, "programme", extra.title, extra.date,
                              "Frist des Programms"))
    sent = {s.deadline: s.date for s in ship.submitted}
    dated = [_with_submission(d, sent.get(d.id)) for d in found]
    return sorted(dated, key=lambda d: (d.due, d.id))


def _with_submission(deadline: Deadline, submitted: dt.date | None) -> Deadline:
    return Deadline(deadline.id, deadline.kind, deadline.title, deadline.due, deadline.basis,
                    submitted)


def next_deadline(deadlines: list[Deadline], as_of: dt.date) -> Deadline | None:
    """The earliest deadline not met by *as_of* (an overdue one first)."""
    return next((d for d in deadlines if not d.sent_by(as_of)), None)


def deadline_ids(programme: Programme, ship: Partnership) -> list[str]:
    return [d.id for d in pair_deadlines(programme, ship)]


def record_submission(
    root: Path, pair_id: str, programme: Programme, deadline_id: str, day: dt.date | None
) -> Partnership:
    """Record in the pair's partnership.yaml that the paperwork of *deadline_id* was sent on
    *day* (None removes the record); refuses an id that is not one of the pair's deadlines."""
    from regiotwin.errors import RefusedError
    from regiotwin.models import Submission
    from regiotwin.store import update_partnership

    def change(ship: Partnership) -> None:
        known = [d.id for d in pair_deadlines(programme, ship)]
        if deadline_id not in known:
            raise RefusedError(f"no deadline {deadline_id!r} for {pair_id}; its deadlines: "
                               f"{', '.join(known)}")
        kept = [s for s in ship.submitted if s.deadline != deadline_id]
        if day is None and len(kept) == len(ship.submitted):
            raise RefusedError(f"{deadline_id} is not recorded as sent; nothing to undo")
        if day is not None:
            kept.append(Submission(deadline=deadline_id, date=day))
        ship.submitted = sorted(kept, key=lambda s: (s.date, s.deadline))

    return update_partnership(root, pair_id, change)
