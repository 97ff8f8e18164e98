"""The plain data a report template receives, built by pure functions from a loaded repository.

Templates compute nothing the core could: elapsed shares, open and overdue actions, budget
figures, chart rows and unmet obligations are all worked out here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from regiotwin.belegliste import Row, counted_total, pair_rows
from regiotwin.budget import PartnerBudget, pair_budget
from regiotwin.checks import check_pair, draft_banner, meeting_dates
from regiotwin.loader import Pair, Repository
from regiotwin.models import Meeting, Partnership, split_participant
from regiotwin.vocabulary import (
    CATEGORY,
    DECISION_STATUS,
    EVENT_KIND,
    MEASURE_STATUS,
    MEETING_KIND,
    ROLE,
)

GANTT_STATUS = {"done": "done", "in-progress": "active", "planned": "", "dropped": "crit"}


def _names(ship: Partnership) -> dict[str, str]:
    """Partner ids and contact names to display names (a contact shows with its partner)."""
    names = {p.id: p.name for p in ship.partners}
    for p in ship.partners:
        for c in p.contacts:
            names.setdefault(c.name, f"{c.name} ({p.name})")
    return names


def _participants(ship: Partnership, meeting: Meeting) -> list[dict[str, Any]]:
    """Participants grouped by partner; guests last."""
    groups: dict[str, list[str]] = {p.id: [] for p in ship.partners}
    guests: list[str] = []
    for person in meeting.participants:
        partner = ship.participant_partner(person)
        name, _ = split_participant(person)
        (groups[partner] if partner else guests).append(name)
    result = [{"group": p.name, "names": groups[p.id]} for p in ship.partners if groups[p.id]]
    if guests:
        result.append({"group": "Weitere Teilnehmende", "names": guests})
    return result


def _actions(ship: Partnership, pair: Pair, as_of: dt.date) -> list[dict[str, Any]]:
    names = _names(ship)
    rows = []
    for loaded in sorted(pair.meetings, key=lambda m: (m.model.date, m.model.id)):
        m = loaded.model
        for number, a in enumerate(m.actions, 1):
            rows.append({
                "meeting": m.id, "meeting_title": m.title, "meeting_date": m.date,
                "number": number, "what": a.what,
                "owner": names.get(a.owner, a.owner) if a.owner else None,
                "due": a.due, "done": a.done,
                "overdue": (not a.done) and a.due is not None and a.due < as_of,
            })
    return rows


def meeting_context(ship: Partnership, meeting: Meeting) -> dict[str, Any]:
    names = _names(ship)
    return {
        "id": meeting.id, "date": meeting.date, "time": meeting.time, "kind": meeting.kind,
        "kind_de": MEETING_KIND.label(meeting.kind), "title": meeting.title,
        "location": meeting.location, "participants": _participants(ship, meeting),
        "agenda": list(meeting.agenda), "minutes": meeting.minutes,
        "decisions": list(meeting.decisions),
        "actions": [
            {"number": i, "what": a.what, "owner": names.get(a.owner, a.owner) if a.owner else None,
             "due": a.due, "done": a.done}
            for i, a in enumerate(meeting.actions, 1)
        ],
    }


def _gantt(ship: Partnership, measures: list[dict[str, Any]],
           meetings: list[dict[str, Any]]) -> dict[str, Any]:
    tasks = []
    for index, m in enumerate(measures, 1):
        start = m["start"] or ship.start
        end = m["due"] or ship.end
        if end < start:
            end = start
        tasks.append({"label": m["title"], "tag": GANTT_STATUS[m["status"]],
                      "key": f"m{index}", "start": start, "end": end})
    milestones = [{"label": t["title"], "key": f"t{i}", "date": t["date"]}
                  for i, t in enumerate(meetings, 1)]
    return {"tasks": tasks, "milestones": milestones}


ARTICLES = {"Landkreis": ("der", "dem"), "Verband": ("der", "dem"), "Stadt": ("die", "der"),
            "Gemeinde": ("die", "der"), "Region": ("die", "der")}


def _with_article(name: str, kind: str | None, case: int) -> str:
    """`der Landkreis Gießen` (case 0) / `dem Landkreis Gießen` (case 1), as the seed writes."""
    articles = ARTICLES.get(kind or "")
    return f"{articles[case]} {name}" if articles and name.startswith(kind or "") else name


def pair_context(
    repo: Repository, pair: Pair, as_of: dt.date, draft_errors: int = 0
) -> dict[str, Any]:
    """Everything the status, budget, final and council reports show about one pair.

    *draft_errors* > 0 marks a draft made from data with that many errors (`--draft`)."""
    assert pair.partnership is not None
    ship = pair.partnership.model
    names = _names(ship)
    programme = repo.programme
    total_days = (ship.end - ship.start).days + 1
    elapsed = min(max((as_of - ship.start).days + 1, 0), total_days)

    meetings = []
    for date, _, loaded in meeting_dates(repo, pair):
        model = loaded.model
        is_event = not isinstance(model, Meeting)
        kind_de = EVENT_KIND.label(model.kind) if is_event else MEETING_KIND.label(model.kind)
        meetings.append({
            "id": model.id, "date": date, "time": None if is_event else model.time,
            "kind": model.kind, "kind_de": kind_de, "title": model.title,
            "location": model.location, "programme_event": is_event,
            "held": date <= as_of,
            "open_actions": 0 if is_event else sum(not a.done for a in model.actions),
        })

    passed: dict[str, list[str]] = {}
    for d in pair.decisions:
        if d.model.status == "passed":
            for mid in d.model.measures:
                passed.setdefault(mid, []).append(d.model.title)
    measures = []
    for loaded in sorted(pair.measures, key=lambda m: (m.model.start or ship.start,
                                                       m.model.due or ship.end, m.model.id)):
        m = loaded.model
        measures.append({
            "id": m.id, "title": m.title, "description": m.description,
            "owners": [names.get(o, o) for o in m.owners], "status": m.status,
            "status_de": MEASURE_STATUS.label(m.status), "start": m.start, "due": m.due,
            "planned_cost": m.planned_cost, "needs_decision": m.needs_decision,
            "decisions": passed.get(m.id, []),
            "effect": {"value": m.effect.value, "unit": m.effect.unit} if m.effect else None,
            "result": m.result,
        })
    titles = {m["id"]: m["title"] for m in measures}
    decisions = [
        {"date": d.model.date, "body": d.model.body, "number": d.model.number,
         "title": d.model.title, "status": d.model.status,
         "status_de": DECISION_STATUS.label(d.model.status), "partner": names.get(d.model.partner),
         "measures": [titles.get(i, i) for i in d.model.measures]}
        for d in sorted(pair.decisions, key=lambda d: (d.model.date, d.model.id))
    ]
    actions = _actions(ship, pair, as_of)
    expenses = [e.model for e in pair.expenses]
    budget = pair_budget(programme, ship, expenses, as_of)
    budget_rows = [_budget_row(p) for p in budget.partners]
    categories: list[dict[str, Any]] = [
        {"name": CATEGORY.label(c), "amount": budget.category(c)} for c in programme.categories
    ]
    rows = pair_rows(programme, ship, expenses, as_of=as_of)
    receipts = [_receipt_row(r) for r in rows]
    unmet = [f for f in check_pair(repo, pair, as_of) if f.severity == "warning"]
    return {
        "programme": {"name": programme.name, "organiser": programme.organiser,
                      "funder": programme.funder, "project_agency": programme.project_agency,
                      "grant_cap": programme.grant_cap,
                      "funding_percent": (programme.funding_rate * 100).quantize(Decimal("1"))},
        "pair": {
            "id": ship.id, "title": ship.title, "topic": ship.topic, "start": ship.start,
            "end": ship.end, "days_total": total_days, "days_elapsed": elapsed,
            "elapsed_percent": (Decimal(elapsed * 100) / total_days).quantize(Decimal("1")),
            "consultant": ship.consultant.model_dump() if ship.consultant else None,
            "agreement": ship.agreement.model_dump() if ship.agreement else None,
        },
        "partners": [
            {"id": p.id, "name": p.name, "kind": p.kind, "role": p.role,
             "the": _with_article(p.name, p.kind, 0), "to_the": _with_article(p.name, p.kind, 1),
             "role_de": ROLE.label(p.role) if p.role else "",
             "cap": p.grant_cap if p.grant_cap is not None else programme.grant_cap,
             "contacts": [c.model_dump() for c in p.contacts]}
            for p in ship.partners
        ],
        "meetings": meetings,
        "meetings_held": [m for m in meetings if m["held"]],
        "measures": measures,
        "decisions": decisions,
        "actions": actions,
        "open_actions": [a for a in actions if not a["done"]],
        "overdue_actions": [a for a in actions if a["overdue"]],
        "budget": {"partners": budget_rows,
                   "totals": budget.totals(),
                   "categories": categories,
                   "pie": [c for c in categories if c["amount"] > 0]},
        "receipts": receipts,
        "receipts_total": counted_total(rows),
        "gantt": _gantt(ship, measures, [m for m in meetings if m["held"]]),
        "obligations": [f.german or f.message for f in unmet],
        "obligations_en": [f.message for f in unmet],  # for the English `status` overview
        "as_of": as_of,
        "draft": {"errors": draft_errors, "banner": draft_banner(draft_errors)}
        if draft_errors else None,
    }


def _budget_row(p: PartnerBudget) -> dict[str, Any]:
    return {"name": p.name, "cap": p.cap, "limit": p.limit, "project": p.spent_on("project"),
            "travel": p.spent_on("travel"), "total": p.total, "grant": p.grant,
            "own_funds": p.own_funds, "remaining": p.remaining, "headroom": p.headroom,
            "percent_used": p.percent_used, "over_limit": p.over_limit, "over_cap": p.over_cap,
            "warning": p.warning}


def _receipt_row(row: Row) -> dict[str, Any]:
    return {"number": row.number, "date": row.date, "partner": row.partner_name,
            "category": CATEGORY.label(row.category), "payee": row.payee,
            "description": row.description, "computation": row.computation,
            "amount": row.amount, "own_share": row.own_share,
            "receipt": row.receipt, "over_cap": row.over_cap,
            "cancelled": ({"date": row.cancelled.date, "reason": row.cancelled.reason}
                          if row.cancelled else None)}


def latest_meeting(pair: Pair, as_of: dt.date) -> str:
    """The id of the last meeting held by *as_of* (the default for `report render minutes`)."""
    from regiotwin.errors import UsageError

    held = sorted((m.model.date, m.model.id) for m in pair.meetings if m.model.date <= as_of)
    if not held:
        raise UsageError("there is no meeting to write minutes for yet; add one with "
                         "`regiotwin meeting add`, or name one with --meeting")
    return held[-1][1]


COUNCIL_BODY = {"Landkreis": "Kreistag", "Stadt": "Stadtverordnetenversammlung",
                "Gemeinde": "Gemeindevertretung", "Region": "Regionalversammlung",
                "Verband": "Verbandsversammlung"}


def report_context(
    kind: str,
    repo: Repository,
    pair: Pair,
    as_of: dt.date,
    meeting_id: str | None = None,
    partner_ref: str | None = None,
    draft_errors: int = 0,
) -> dict[str, Any]:
    """The context of one report KIND; `final` is judged as of the end of the year."""
    from regiotwin.errors import RefusedError

    assert pair.partnership is not None
    ship = pair.partnership.model
    if kind == "final":
        as_of = max(as_of, ship.end)
    context = pair_context(repo, pair, as_of, draft_errors)
    if kind == "minutes":
        if meeting_id is None:
            meeting_id = latest_meeting(pair, as_of)
        for loaded in pair.meetings:
            if loaded.model.id == meeting_id:
                context["meeting"] = meeting_context(ship, loaded.model)
                break
        else:
            raise RefusedError(f"no meeting with the id {meeting_id!r} (--meeting)")
    if kind == "council":
        partner = ship.partner(partner_ref) if partner_ref else ship.partners[0]
        if partner is None:
            known = ", ".join(p.id for p in ship.partners)
            raise RefusedError(f"unknown partner {partner_ref!r} (--partner); partners: {known}")
        index = ship.partners.index(partner)
        own_decisions = [d for d in context["decisions"] if d["partner"] == partner.name]
        body = own_decisions[-1]["body"] if own_decisions else COUNCIL_BODY.get(
            partner.kind or "", "Rat")
        context.update({
            "partner": context["partners"][index],
            "other": context["partners"][1 - index],
            "own": context["budget"]["partners"][index],
            "council": {"body": body, "date": as_of},
        })
    return context
