"""The consultant's overview of every pair (`regiotwin status`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from regiotwin.checks import Screening
from regiotwin.context import pair_context


def overview(screening: Screening, as_of: dt.date, draft: bool = False) -> list[dict[str, Any]]:
    """One plain row per chosen pair: period, meetings, budget use, open items, unmet
    obligations. A pair with errors gets a row that says so and, unless *draft*, no figures."""
    repo = screening.repo
    shown = set(screening.shown(draft))
    rows: list[dict[str, Any]] = []
    for pair_id in screening.pair_ids:
        errors = screening.error_count([pair_id])
        pair = repo.pairs[pair_id]
        if pair_id not in shown or pair.partnership is None:
            rows.append({"pair": pair_id, "valid": False, "errors": errors})
            continue
        ctx = pair_context(repo, pair, as_of, errors)
        held = ctx["meetings_held"]
        last = held[-1]["date"] if held else None
        rows.append({
            "pair": pair_id,
            "valid": not errors,
            "errors": errors,
            "title": ctx["pair"]["title"],
            "start": ctx["pair"]["start"],
            "end": ctx["pair"]["end"],
            "elapsed_percent": str(ctx["pair"]["elapsed_percent"]),
            "meetings_held": len(held),
            "last_meeting": last,
            "days_since_last_meeting": (as_of - last).days if last else None,
            "budget": [
                {"partner": p.id, "percent_used": str(b["percent_used"]),
                 "remaining": b["remaining"], "headroom": b["headroom"],
                 "over_cap": b["over_cap"], "over_limit": b["over_limit"]}
                for p, b in zip(pair.partnership.model.partners, ctx["budget"]["partners"])
            ],
            "open_actions": len(ctx["open_actions"]),
            "overdue_actions": len(ctx["overdue_actions"]),
            "unmet_obligations": len(ctx["obligations_en"]),
            "obligations": ctx["obligations_en"],
        })
    return rows
