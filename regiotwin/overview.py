"""The consultant's overview of every pair (`regiotwin status`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from regiotwin.context import pair_context
from regiotwin.loader import Repository


def overview(repo: Repository, pair_ids: list[str], as_of: dt.date) -> list[dict[str, Any]]:
    """One plain row per pair: period, meetings, budget use, open items, unmet obligations."""
    rows = []
    for pair_id in pair_ids:
        pair = repo.pairs[pair_id]
        if pair.partnership is None:
            continue
        ctx = pair_context(repo, pair, as_of)
        held = ctx["meetings_held"]
        last = held[-1]["date"] if held else None
        rows.append({
            "pair": pair_id,
            "title": ctx["pair"]["title"],
            "start": ctx["pair"]["start"],
            "end": ctx["pair"]["end"],
            "elapsed_percent": str(ctx["pair"]["elapsed_percent"]),
            "meetings_held": len(held),
            "last_meeting": last,
            "days_since_last_meeting": (as_of - last).days if last else None,
            "budget": [
                {"partner": p.id, "percent_used": str(b["percent_used"]),
                 "remaining": b["remaining"], "over_cap": b["over_cap"]}
                for p, b in zip(pair.partnership.model.partners, ctx["budget"]["partners"])
            ],
            "open_actions": len(ctx["open_actions"]),
            "overdue_actions": len(ctx["overdue_actions"]),
            "unmet_obligations": len(ctx["obligations_en"]),
            "obligations": ctx["obligations_en"],
        })
    return rows
