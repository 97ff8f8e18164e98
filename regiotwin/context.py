"""The data a report template receives: typed sections built by pure functions from a loaded
repository, its findings and an as-of date.

Templates compute nothing the core could: elapsed shares, open and overdue actions, budget
figures, the cost plan, chart rows, deadlines and unmet obligations are all worked out here. The
findings come in from the command's one screening (`checks.Screening`), so a report never checks
the data or hashes a receipt again.

One as-of rule (regiotwin/asof.py): a report is as of the date asked for (`as_of_for`), every
list counts only what happened by then, action items count done from the day they were marked
done, and measures stand as their dates say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from regiotwin.asof import (
    Phase,
    action_done,
    action_overdue,
    measure_status,
    phase,
)
from regiotwin.belegliste import Row, counted_total, pair_rows
from regiotwin.budget import (
    OVER_PLAN_PERCENT,
    PartnerBudget,
    PartnerPlan,
    PlanLine,
    cost_plans,
    pair_budget,
    shown_percent,
)
from regiotwin.checks import draft_banner, meeting_dates
from regiotwin.deadlines import Deadline, pair_deadlines
from regiotwin.errors import Finding, RefusedError, UsageError
from regiotwin.german import Body, body, counted, partner_body
from regiotwin.loader import Pair, Repository
from regiotwin.models import Meeting, Partner, Partnership, split_participant
from regiotwin.texts import SECTIONS
from regiotwin.vocabulary import (
    CATEGORY,
    DECISION_STATUS,
    EVENT_KIND,
    MEASURE_STATUS,
    MEETING_KIND,
    ROLE,
    Gender,
)

GANTT_STATUS = {"done": "done", "in-progress": "active", "planned": "", "dropped": "crit"}


# --- the sections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeInfo:
    name: str
    organiser: Body
    funder: Body
    project_agency: Body
    grant_cap: Decimal
    funding_percent: Decimal


@dataclass(frozen=True)
class ConsultantInfo:
    name: str
    organisation: str | None
    email: str | None


@dataclass(frozen=True)
class AgreementInfo:
    signed: dt.date | None
    reference: str | None


@dataclass(frozen=True)
class PairInfo:
    id: str
    title: str
    topic: str
    start: dt.date
    end: dt.date
    days_total: int
    days_elapsed: int
    elapsed_percent: Decimal
    phase: Phase  # the as-of date before, during or after the period: the documents' tense
    consultant: ConsultantInfo | None
    agreement: AgreementInfo | None


@dataclass(frozen=True)
class ContactInfo:
    name: str
    function: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class PartnerInfo:
    id: str
    name: str
    kind: str | None
    role: str | None
    role_de: str
    cap: Decimal
    seat: str | None
    contacts: list[ContactInfo]
    body: Body  # the partner with its article: {{ partner.body.dat }} = dem Landkreis Gießen


@dataclass(frozen=True)
class MeetingRow:
    id: str
    date: dt.date
    time: str | None
    end_time: str | None
    kind: str
    kind_de: str
    title: str
    location: str | None
    programme_event: bool
    held: bool
    open_actions: int


@dataclass(frozen=True)
class KindCount:
    """How many meetings of one kind were held; the programme's events apart from the pair's
    own meetings of the same kind."""

    singular: str  # Jour fixe, Vernetzungsveranstaltung des Programms
    plural: str
    gender: Gender | None
    count: int

    @property
    def phrase(self) -> str:
        """`ein Workshop`, `3 Telefonkonferenzen`."""
        return counted(self.count, self.singular, self.plural, self.gender)


@dataclass(frozen=True)
class Effect:
    value: Decimal
    unit: str


@dataclass(frozen=True)
class MeasureRow:
    id: str
    title: str
    description: str | None
    owners: list[str]
    status: str  # as it stood on the as-of date (asof.measure_status)
    status_de: str
    derived: bool  # the status differs from the one recorded today
    start: dt.date | None
    due: dt.date | None
    planned_cost: Decimal | None
    needs_decision: bool
    decisions: list[str]  # titles of the passed decisions that enable it
    effect: Effect | None
    result: str | None


@dataclass(frozen=True)
class DecisionRow:
    date: dt.date
    body: str
    number: str | None
    title: str
    status: str
    status_de: str
    partner: str | None
    measures: list[str]


@dataclass(frozen=True)
class ActionRow:
    meeting: str
    meeting_title: str
    meeting_date: dt.date
    number: int
    what: str
    owner: str | None
    due: dt.date | None
    done: bool  # by the as-of date
    done_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class BudgetRow:
    name: str
    cap: Decimal
    limit: Decimal
    project: Decimal
    travel: Decimal
    total: Decimal
    grant: Decimal
    own_funds: Decimal
    remaining: Decimal
    headroom: Decimal
    percent_used: Decimal
    over_limit: bool
    over_cap: bool
    warning: bool


@dataclass(frozen=True)
class CategorySum:
    name: str
    amount: Decimal


@dataclass(frozen=True)
class BudgetInfo:
    partners: list[BudgetRow]
    totals: dict[str, Decimal]
    categories: list[CategorySum]
    pie: list[CategorySum]  # the categories with spending: a pie has no zero slices


@dataclass(frozen=True)
class Cancelled:
    date: dt.date
    reason: str


@dataclass(frozen=True)
class ReceiptRow:
    number: str
    date: dt.date
    partner: str
    category: str
    payee: str | None
    description: str
    computation: str  # how a priced trip came to its amount; '' for other expenses
    amount: Decimal
    own_share: Decimal
    receipt: str | None
    over_cap: bool
    cancelled: Cancelled | None


@dataclass(frozen=True)
class GanttTask:
    label: str
    tag: str
    key: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class GanttMilestone:
    label: str
    key: str
    date: dt.date


@dataclass(frozen=True)
class Gantt:
    tasks: list[GanttTask]  # measures with a start and a due date
    milestones: list[GanttMilestone]  # meetings held, and measures with a due date only
    undated: list[str]  # measures without dates: listed beside the chart, never drawn


# Not frozen: `status` makes one per warning, 100,000 on a large programme, and a frozen
# dataclass sets each field through object.__setattr__ (its values make it unhashable anyway).
@dataclass(slots=True)
class Obligation:
    """An unmet obligation: its code and values (worded in templates/obligations.md.j2) and
    the English message (for `status`)."""

    code: str
    values: dict[str, Any]
    message: str


@dataclass(frozen=True)
class DeadlineRow:
    id: str
    title: str
    due: dt.date
    basis: str
    submitted: dt.date | None  # sent by the as-of date
    state: str  # sent, passed, due (within 30 days), open
    days_left: int


@dataclass(frozen=True)
class Draft:
    errors: int
    banner: str


@dataclass(frozen=True)
class ParticipantGroup:
    group: str
    names: list[str]


@dataclass(frozen=True)
class MeetingDetail:
    """One meeting, for its minutes."""

    id: str
    date: dt.date
    time: str | None
    end_time: str | None
    kind: str
    kind_de: str
    title: str
    location: str | None
    participants: list[ParticipantGroup]
    agenda: list[str]
    minutes: str | None
    decisions: list[str]
    actions: list[ActionRow]


@dataclass(frozen=True)
class Council:
    """The council paper (Informationsvorlage) of one partner."""

    partner: PartnerInfo
    other: PartnerInfo
    own: BudgetRow
    body: Body  # the Gremium, e.g. der Kreistag
    meeting_date: dt.date | None  # the Sitzung (--meeting-date)
    number: str | None  # the Vorlagen-Nr. (--number)
    signed_by: str | None
    signed_as: str | None  # the signer's office, under the partner's name: Die Landrätin
    place: str | None
    date: dt.date  # the paper's date: the as-of date
    attachments: list[str]
    warnings: list[str]  # for the person who renders it (stderr), never in the paper


@dataclass(frozen=True)
class PlanRow:
    category: str
    planned: Decimal | None
    actual: Decimal
    deviation: Decimal | None
    percent: Decimal | None  # as shown (budget.shown_percent): never contradicts over_plan
    over_plan: bool


@dataclass(frozen=True)
class PlanInfo:
    """One partner's zahlenmäßiger Nachweis: SOLL and IST per category."""

    partner: PartnerInfo
    derived: bool  # the plan was derived from the measures' planned costs
    lines: list[PlanRow]
    planned: Decimal
    actual: Decimal
    deviation: Decimal | None
    percent: Decimal | None
    flagged: int  # lines more than 20 % over plan
    budget: BudgetRow


@dataclass(frozen=True)
class Proof:
    """The Verwendungsnachweis: the cost plans; the Sachbericht and the Belegliste come from
    the shared sections."""

    plans: list[PlanInfo]
    over_plan_percent: Decimal
    flagged: int


@dataclass(frozen=True)
class PairReport:
    """Everything a report shows about one pair, as of one date."""

    programme: ProgrammeInfo
    pair: PairInfo
    partners: list[PartnerInfo]
    meetings: list[MeetingRow]
    meetings_held: list[MeetingRow]
    meeting_kinds: list[KindCount]  # of the meetings held: the most frequent first
    measures: list[MeasureRow]
    measures_derived: bool  # some statuses were set back to what the dates say (asof.py)
    decisions: list[DecisionRow]
    actions: list[ActionRow]
    open_actions: list[ActionRow]
    overdue_actions: list[ActionRow]
    budget: BudgetInfo
    receipts: list[ReceiptRow]
    receipts_total: dict[str, Decimal]
    gantt: Gantt
    obligations: list[Obligation]
    deadlines: list[DeadlineRow]
    texts: dict[str, str]  # the free texts by section (texts/<section>.md)
    texts_missing: list[str]  # the sections without a text
    as_of: dt.date
    draft: Draft | None
    meeting: MeetingDetail | None = None
    council: Council | None = None
    proof: Proof | None = None

    def variables(self) -> dict[str, Any]:
        """The template's variables: the sections by name (not copied: templates only read)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- building them -------------------------------------------------------------------------


def _names(ship: Partnership) -> dict[str, str]:
    """Partner ids and contact names to display names (a contact shows with its partner)."""
    names = {p.id: p.name for p in ship.partners}
    for p in ship.partners:
        for c in p.contacts:
            names.setdefault(c.name, f"{c.name} ({p.name})")
    return names


def _partner(partner: Partner, cap: Decimal) -> PartnerInfo:
    return PartnerInfo(
        id=partner.id, name=partner.name, kind=partner.kind, role=partner.role,
        role_de=ROLE.label(partner.role) if partner.role else "", cap=cap, seat=partner.seat,
        contacts=[ContactInfo(c.name, c.function, c.email, c.phone) for c in partner.contacts],
        body=partner_body(partner.name, partner.kind))


def _participants(ship: Partnership, meeting: Meeting) -> list[ParticipantGroup]:
    """Participants grouped by partner; guests last."""
    groups: dict[str, list[str]] = {p.id: [] for p in ship.partners}
    guests: list[str] = []
    for person in meeting.participants:
        partner = ship.participant_partner(person)
        name, _ = split_participant(person)
        (groups[partner] if partner else guests).append(name)
    result = [ParticipantGroup(p.name, groups[p.id]) for p in ship.partners if groups[p.id]]
    if guests:
        result.append(ParticipantGroup("Weitere Teilnehmende", guests))
    return result


def _meeting_actions(names: dict[str, str], meeting: Meeting, as_of: dt.date) -> list[ActionRow]:
    return [
        ActionRow(
            meeting=meeting.id, meeting_title=meeting.title, meeting_date=meeting.date,
            number=number, what=a.what,
            owner=names.get(a.owner, a.owner) if a.owner else None, due=a.due,
            done=action_done(a, as_of), done_on=a.done_on if action_done(a, as_of) else None,
            overdue=action_overdue(a, as_of))
        for number, a in enumerate(meeting.actions, 1)
    ]


def _actions(ship: Partnership, pair: Pair, as_of: dt.date) -> list[ActionRow]:
    """The action items of the meetings held by *as_of* (later ones did not exist yet)."""
    names = _names(ship)
    rows: list[ActionRow] = []
    for loaded in sorted(pair.meetings, key=lambda m: (m.model.date, m.model.id)):
        if loaded.model.date <= as_of:
            rows += _meeting_actions(names, loaded.model, as_of)
    return rows


def meeting_detail(ship: Partnership, meeting: Meeting, as_of: dt.date) -> MeetingDetail:
    return MeetingDetail(
        id=meeting.id, date=meeting.date, time=meeting.time, end_time=meeting.end_time,
        kind=meeting.kind, kind_de=MEETING_KIND.label(meeting.kind), title=meeting.title,
        location=meeting.location, participants=_participants(ship, meeting),
        agenda=list(meeting.agenda), minutes=meeting.minutes, decisions=list(meeting.decisions),
        actions=_meeting_actions(_names(ship), meeting, as_of))


def _gantt(ship: Partnership, measures: list[MeasureRow], held: list[MeetingRow]) -> Gantt:
    """Measures with both dates are bars; with a due date only, milestones; without dates,
    listed beside the chart (a bar across the whole year would claim a plan nobody made)."""
    tasks: list[GanttTask] = []
    milestones: list[GanttMilestone] = []
    undated: list[str] = []
    for index, m in enumerate(measures, 1):
        if m.start is not None and m.due is not None:
            tasks.append(GanttTask(m.title, GANTT_STATUS[m.status], f"m{index}", m.start,
                                   max(m.start, m.due)))
        elif m.due is not None:
            milestones.append(GanttMilestone(f"{m.title} (fällig)", f"m{index}", m.due))
        else:
            undated.append(m.title)
    milestones += [GanttMilestone(t.title, f"t{i}", t.date) for i, t in enumerate(held, 1)]
    return Gantt(tasks, milestones, undated)


def _meetings(repo: Repository, pair: Pair, as_of: dt.date) -> list[MeetingRow]:
    rows = []
    for date, _, loaded in meeting_dates(repo, pair):
        model = loaded.model
        is_event = not isinstance(model, Meeting)
        rows.append(MeetingRow(
            id=model.id, date=date, time=None if is_event else model.time,
            end_time=None if is_event else model.end_time, kind=model.kind,
            kind_de=EVENT_KIND.label(model.kind) if is_event else MEETING_KIND.label(model.kind),
            title=model.title, location=model.location, programme_event=is_event,
            held=date <= as_of,
            open_actions=0 if is_event else sum(not action_done(a, as_of)
                                                for a in model.actions)))
    return rows


def _kinds(held: list[MeetingRow]) -> list[KindCount]:
    """The kinds of the meetings held, each counted; the most frequent first, then the one
    held first."""
    found: dict[tuple[str, bool], list[MeetingRow]] = {}
    for row in held:
        found.setdefault((row.kind, row.programme_event), []).append(row)
    kinds = []
    for (kind, programme), rows in sorted(found.items(),
                                          key=lambda item: (-len(item[1]), item[1][0].date)):
        words = EVENT_KIND if programme else MEETING_KIND
        suffix = " des Programms" if programme else ""
        kinds.append(KindCount(words.label(kind) + suffix, words.plural(kind) + suffix,
                               words.gender(kind), len(rows)))
    return kinds


def _measures(ship: Partnership, pair: Pair, as_of: dt.date) -> list[MeasureRow]:
    names = _names(ship)
    passed: dict[str, list[str]] = {}
    for d in pair.decisions:
        if d.model.status == "passed" and d.model.date <= as_of:
            for mid in d.model.measures:
                passed.setdefault(mid, []).append(d.model.title)
    rows = []
    for loaded in sorted(pair.measures, key=lambda m: (m.model.start or ship.start,
                                                       m.model.due or ship.end, m.model.id)):
        m = loaded.model
        status = measure_status(m, ship, as_of)
        rows.append(MeasureRow(
            id=m.id, title=m.title, description=m.description,
            owners=[names.get(o, o) for o in m.owners], status=status,
            status_de=MEASURE_STATUS.label(status), derived=status != m.status, start=m.start,
            due=m.due, planned_cost=m.planned_cost, needs_decision=m.needs_decision,
            decisions=passed.get(m.id, []),
            effect=Effect(m.effect.value, m.effect.unit) if m.effect else None,
            result=m.result if status == m.status else None))  # no outcome before it came
    return rows


def _decisions(ship: Partnership, pair: Pair, titles: dict[str, str],
               as_of: dt.date) -> list[DecisionRow]:
    names = _names(ship)
    return [
        DecisionRow(d.model.date, d.model.body, d.model.number, d.model.title, d.model.status,
                    DECISION_STATUS.label(d.model.status), names.get(d.model.partner),
                    [titles.get(i, i) for i in d.model.measures])
        for d in sorted(pair.decisions, key=lambda d: (d.model.date, d.model.id))
        if d.model.date <= as_of
    ]


def _budget_row(p: PartnerBudget) -> BudgetRow:
    return BudgetRow(p.name, p.cap, p.limit, p.spent_on("project"), p.spent_on("travel"),
                     p.total, p.grant, p.own_funds, p.remaining, p.headroom, p.percent_used,
                     p.over_limit, p.over_cap, p.warning)


def _receipt_row(row: Row) -> ReceiptRow:
    return ReceiptRow(
        row.number, row.date, row.partner_name, CATEGORY.label(row.category), row.payee,
        row.description, row.computation, row.amount, row.own_share, row.receipt, row.over_cap,
        Cancelled(row.cancelled.date, row.cancelled.reason) if row.cancelled else None)


def _deadline_row(deadline: Deadline, as_of: dt.date) -> DeadlineRow:
    return DeadlineRow(deadline.id, deadline.title, deadline.due, deadline.basis,
                       deadline.submitted if deadline.sent_by(as_of) else None,
                       deadline.state(as_of), deadline.days_left(as_of))


def pair_report(
    repo: Repository,
    pair: Pair,
    as_of: dt.date,
    findings: list[Finding],
    texts: dict[str, str] | None = None,
    draft_errors: int = 0,
) -> PairReport:
    """Everything the reports show about one pair as of *as_of*. *findings* are the pair's
    warnings as of that date (`Screening.unmet`); *texts* its free texts (texts.read_texts);
    *draft_errors* > 0 marks a draft made from data with that many errors (`--draft`)."""
    assert pair.partnership is not None
    ship = pair.partnership.model
    programme = repo.programme
    meetings = _meetings(repo, pair, as_of)
    held = [m for m in meetings if m.held]
    measures = _measures(ship, pair, as_of)
    titles = {m.id: m.title for m in measures}
    actions = _actions(ship, pair, as_of)
    expenses = [e.model for e in pair.expenses]
    budget = pair_budget(programme, ship, expenses, as_of)
    categories = [CategorySum(CATEGORY.label(c), budget.category(c))
                  for c in programme.categories]
    rows = pair_rows(programme, ship, expenses, as_of=as_of)
    texts = texts or {}
    return PairReport(
        programme=ProgrammeInfo(
            programme.name, body(programme.organiser), body(programme.funder),
            body(programme.project_agency), programme.grant_cap,
            (programme.funding_rate * 100).quantize(Decimal("1"))),
        pair=_pair_info(ship, as_of),
        partners=[_partner(p, p.grant_cap if p.grant_cap is not None else programme.grant_cap)
                  for p in ship.partners],
        meetings=meetings,
        meetings_held=held,
        meeting_kinds=_kinds(held),
        measures=measures,
        measures_derived=any(m.derived for m in measures),
        decisions=_decisions(ship, pair, titles, as_of),
        actions=actions,
        open_actions=[a for a in actions if not a.done],
        overdue_actions=[a for a in actions if a.overdue],
        budget=BudgetInfo([_budget_row(p) for p in budget.partners], budget.totals(),
                          categories, [c for c in categories if c.amount > 0]),
        receipts=[_receipt_row(r) for r in rows],
        receipts_total=counted_total(rows),
        gantt=_gantt(ship, measures, held),
        obligations=_obligations(findings),
        deadlines=[_deadline_row(d, as_of) for d in pair_deadlines(programme, ship)],
        texts={k: texts[k] for k in SECTIONS if texts.get(k)},
        texts_missing=[k for k in SECTIONS if not texts.get(k)],
        as_of=as_of,
        draft=Draft(draft_errors, draft_banner(draft_errors)) if draft_errors else None,
    )


def _pair_info(ship: Partnership, as_of: dt.date) -> PairInfo:
    total_days = (ship.end - ship.start).days + 1
    elapsed = min(max((as_of - ship.start).days + 1, 0), total_days)
    return PairInfo(
        ship.id, ship.title, ship.topic, ship.start, ship.end, total_days, elapsed,
        (Decimal(elapsed * 100) / total_days).quantize(Decimal("1")),
        phase(ship.start, ship.end, as_of),
        ConsultantInfo(ship.consultant.name, ship.consultant.organisation,
                       ship.consultant.email) if ship.consultant else None,
        AgreementInfo(ship.agreement.signed, ship.agreement.reference)
        if ship.agreement else None)


def _obligations(findings: list[Finding]) -> list[Obligation]:
    return [Obligation(f.code, dict(f.values), f.message)
            for f in findings if f.severity == "warning"]


@dataclass(frozen=True)
class PairOverview:
    """What `status` shows of one pair: the sections of its report it needs, made by the same
    functions (not the receipts, measures and charts of a whole report)."""

    pair: PairInfo
    meetings_held: list[MeetingRow]
    budget: list[BudgetRow]  # per partner
    open_actions: list[ActionRow]
    overdue_actions: list[ActionRow]
    obligations: list[Obligation]


def pair_overview(repo: Repository, pair: Pair, as_of: dt.date,
                  findings: list[Finding]) -> PairOverview:
    """The overview of one pair as of *as_of*; *findings* as for `pair_report`."""
    assert pair.partnership is not None
    ship = pair.partnership.model
    held = [m for m in _meetings(repo, pair, as_of) if m.held]
    actions = _actions(ship, pair, as_of)
    budget = pair_budget(repo.programme, ship, [e.model for e in pair.expenses], as_of)
    return PairOverview(_pair_info(ship, as_of), held, [_budget_row(p) for p in budget.partners],
                        [a for a in actions if not a.done], [a for a in actions if a.overdue],
                        _obligations(findings))


def latest_meeting(pair: Pair, as_of: dt.date) -> str:
    """The id of the last meeting held by *as_of* (the default for `report render minutes`)."""
    held = sorted((m.model.date, m.model.id) for m in pair.meetings if m.model.date <= as_of)
    if not held:
        raise UsageError("there is no meeting to write minutes for yet; add one with "
                         "`regiotwin meeting add`, or name one with --meeting")
    return held[-1][1]


COUNCIL_BODY = {"Landkreis": "Kreistag", "Stadt": "Stadtverordnetenversammlung",
                "Gemeinde": "Gemeindevertretung", "Region": "Regionalversammlung",
                "Verband": "Verbandsversammlung"}


@dataclass(frozen=True)
class CouncilOptions:
    """What the command line says about a council paper."""

    partner: str | None = None  # id or name; default: the first partner
    meeting_date: dt.date | None = None
    number: str | None = None
    signed_by: str | None = None
    signed_as: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class ReportRequest:
    """Which report of a pair: its kind, the meeting for minutes, the council paper's details."""

    kind: str
    meeting_id: str | None = None
    council: CouncilOptions = field(default_factory=CouncilOptions)


def report_context(
    request: ReportRequest,
    repo: Repository,
    pair: Pair,
    as_of: dt.date,
    findings: list[Finding],
    texts: dict[str, str] | None = None,
    draft_errors: int = 0,
) -> PairReport:
    """The context of one report of *pair* as of *as_of* (see `as_of_for`)."""
    assert pair.partnership is not None
    ship = pair.partnership.model
    report = pair_report(repo, pair, as_of, findings, texts, draft_errors)
    if request.kind == "minutes":
        meeting_id = request.meeting_id or latest_meeting(pair, as_of)
        for loaded in pair.meetings:
            if loaded.model.id == meeting_id:
                return replace(report, meeting=meeting_detail(ship, loaded.model, as_of))
        raise RefusedError(f"no meeting with the id {meeting_id!r} (--meeting)")
    if request.kind == "council":
        return replace(report, council=_council(request.council, ship, report))
    if request.kind == "proof":
        plans = cost_plans(repo.programme, ship, (m.model for m in pair.measures),
                           (e.model for e in pair.expenses), as_of)
        return replace(report, proof=_proof(plans, report))
    return report


def _council(options: CouncilOptions, ship: Partnership, report: PairReport) -> Council:
    partner = ship.partner(options.partner) if options.partner else ship.partners[0]
    if partner is None:
        known = ", ".join(p.id for p in ship.partners)
        raise RefusedError(f"unknown partner {options.partner!r} (--partner); partners: {known}")
    index = ship.partners.index(partner)
    own_decisions = [d for d in report.decisions if d.partner == partner.name]
    gremium = own_decisions[-1].body if own_decisions else COUNCIL_BODY.get(
        partner.kind or "", "Rat")
    other = report.partners[1 - index]
    attachments = []
    if ship.agreement is not None:
        attachments.append(f"Kooperationsvereinbarung für das Regionen-Twinning mit "
                           f"{other.body.dat}")
    return Council(
        partner=report.partners[index], other=other, own=report.budget.partners[index],
        body=body(gremium), meeting_date=options.meeting_date, number=options.number,
        signed_by=options.signed_by, signed_as=options.signed_as,
        place=options.place or partner.seat, date=report.as_of, attachments=attachments,
        warnings=_council_warnings(options, report.as_of))


def _council_warnings(options: CouncilOptions, paper: dt.date) -> list[str]:
    """A paper dated after the session it is for was written too late, or is dated wrongly."""
    session = options.meeting_date
    if session is not None and session < paper:
        return [f"the session on {session} (--meeting-date) is before the paper's date {paper}; "
                "give the paper's date with --as-of"]
    return []


def _plan_row(line: PlanLine) -> PlanRow:
    return PlanRow(CATEGORY.label(line.category), line.planned, line.actual, line.deviation,
                   line.percent_shown, line.over_plan)


def _proof(plans: list[PartnerPlan], report: PairReport) -> Proof:
    infos = [
        PlanInfo(partner, plan.derived, [_plan_row(line) for line in plan.lines], plan.planned,
                 plan.actual, plan.deviation,
                 None if plan.percent is None else shown_percent(plan.percent),
                 len(plan.flagged), budget)
        for plan, partner, budget in zip(plans, report.partners, report.budget.partners)
    ]
    return Proof(infos, OVER_PLAN_PERCENT, sum(info.flagged for info in infos))
