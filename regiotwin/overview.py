"""The consultant's overview of every pair (`regiotwin status`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from regiotwin.belegliste import prefix_of
from regiotwin.checks import Screening
from regiotwin.context import pair_overview
from regiotwin.deadlines import next_deadline, pair_deadlines
from regiotwin.loader import paused_gc


def overview(screening: Screening, as_of: dt.date, draft: bool = False) -> list[dict[str, Any]]:
    """One plain row per chosen pair: period, meetings, budget use, open items, unmet
    obligations, the next deadline, all as of *as_of*. A pair with errors gets a row that says
    so and, unless *draft*, no figures."""
    with paused_gc():  # an obligation per unmet warning, and no cycles (see paused_gc)
        return _overview(screening, as_of, draft)


def _overview(screening: Screening, as_of: dt.date, draft: bool) -> list[dict[str, Any]]:
    repo = screening.repo
    shown = set(screening.shown(draft))
    rows: list[dict[str, Any]] = []
    for pair_id in screening.pair_ids:
        errors = screening.error_count([pair_id])
        pair = repo.pairs[pair_id]
        if pair_id not in shown or pair.partnership is None:
            rows.append({"pair": pair_id, "valid": False, "errors": errors})
            continue
        ship = pair.partnership.model
        report = pair_overview(repo, pair, as_of, screening.unmet(pair_id, as_of))
        held = report.meetings_held
        last = held[-1].date if held else None
        coming = next_deadline(pair_deadlines(repo.programme, ship), as_of)
        rows.append({
            "pair": pair_id,
            "valid": not errors,
            "errors": errors,
            "title": report.pair.title,
            "start": report.pair.start,
            "end": report.pair.end,
            "elapsed_percent": str(report.pair.elapsed_percent),
            "meetings_held": len(held),
            "last_meeting": last,
            "days_since_last_meeting": (as_of - last).days if last else None,
            "budget": [
                {"partner": p.id, "prefix": prefix_of(ship, p.id),
                 "percent_used": str(b.percent_used),
                 "remaining": b.remaining, "headroom": b.headroom,
                 "over_cap": b.over_cap, "over_limit": b.over_limit}
                for p, b in zip(ship.partners, report.budget)
            ],
            "open_actions": len(report.open_actions),
            "overdue_actions": len(report.overdue_actions),
            "unmet_obligations": len(report.obligations),
            "obligations": [o.message for o in report.obligations],
            "next_deadline": coming.as_json(as_of) if coming else None,
        })
    return rows
