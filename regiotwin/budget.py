"""The money rules of SPEC §3, computed exactly in Decimal; every figure anywhere comes from here.

For a partner with cap C and the programme's funding rate r:

- the fundable limit L = C ÷ r, rounded up to the cent (r = 1: L = C);
- grant = min(total × r, C), rounded half-up to the cent; own funds = total − grant;
  remaining = C − grant; headroom = L − (total of the unmarked expenses);
- the unmarked expenses of a partner may total at most L. An expense marked `over_cap` is
  booked even past that limit (what the grant does not pay is the commune's own money) and never
  makes another expense need the marking, so the rule does not depend on the order of same-day
  expenses;
- the grant is paid out over the expenses unmarked first, then marked, each by date and id
  (`own_shares`), so the Belegliste's own-funds column adds up to the own funds.

A cancelled expense counts nowhere. `expense add`, `budget status`, `check`, the reports and the
exports all call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from regiotwin.errors import RefusedError
from regiotwin.loader import Repository
from regiotwin.models import CostPlan, Expense, Measure, Partnership, Programme
from regiotwin.money import CENT, ZERO, floor_tenth, format_eur, format_percent, plain, round_cents

WARN_PERCENT = Decimal("90")

# The marks of one budget row, strongest first (see `budget status --help`).
OVER_LIMIT = "over limit"  # the unmarked expenses pass L: a `check` error
OVER_CAP = "over cap"  # spending beyond what the grant pays; own funds cover the excess
NEAR_CAP = "≥ 90 %"  # 90 % or more of the grant is used


def fundable_limit(cap: Decimal, rate: Decimal) -> Decimal:
    """L = C ÷ r, rounded up to the cent: what the unmarked expenses may total."""
    return (cap / rate).quantize(CENT, rounding=ROUND_CEILING)


def grant_of(total: Decimal, cap: Decimal, rate: Decimal) -> Decimal:
    """min(total × r, C), rounded half-up to the cent."""
    return min(round_cents(total * rate), cap)


@dataclass(frozen=True)
class Terms:
    """A partner's cap C and the programme's funding rate r."""

    cap: Decimal
    rate: Decimal

    @property
    def limit(self) -> Decimal:
        return fundable_limit(self.cap, self.rate)

    def describe(self) -> str:
        """`fundable limit 1.750,00 € (cap 1.400,00 € ÷ funding rate 80 %)`, for messages."""
        if self.rate == 1:
            return f"fundable limit {format_eur(self.limit)} (the cap)"
        return (f"fundable limit {format_eur(self.limit)} (cap {format_eur(self.cap)} ÷ "
                f"funding rate {format_percent(self.rate)})")


def terms_of(programme: Programme, ship: Partnership, partner_id: str) -> Terms:
    """The partner's own `grant_cap` if it has one, else the programme's."""
    partner = ship.partner(partner_id)
    cap = programme.grant_cap
    if partner is not None and partner.grant_cap is not None:
        cap = partner.grant_cap
    return Terms(cap, programme.funding_rate)


def counted(expenses: Iterable[Expense], as_of: dt.date | None = None) -> list[Expense]:
    """The expenses that count: not cancelled, and dated up to *as_of* (all when None)."""
    return [e for e in expenses if e.counts and (as_of is None or e.date <= as_of)]


@dataclass
class PartnerBudget:
    """Where one partner stands; every figure follows the rules in the module docstring."""

    partner_id: str
    name: str
    terms: Terms
    by_category: dict[str, Decimal] = field(default_factory=dict)
    unmarked: Decimal = ZERO  # the total of the expenses without the over-cap marking

    def add(self, expense: Expense) -> None:
        self.by_category[expense.category] = self.spent_on(expense.category) + expense.amount
        if not expense.over_cap:
            self.unmarked += expense.amount

    @property
    def cap(self) -> Decimal:
        return self.terms.cap

    @property
    def limit(self) -> Decimal:
        return self.terms.limit

    def spent_on(self, category: str) -> Decimal:
        return self.by_category.get(category, ZERO)

    @property
    def total(self) -> Decimal:
        return sum(self.by_category.values(), ZERO)

    @property
    def grant(self) -> Decimal:
        return grant_of(self.total, self.cap, self.terms.rate)

    @property
    def own_funds(self) -> Decimal:
        return self.total - self.grant

    @property
    def remaining(self) -> Decimal:
        """Grant money not yet used: C − grant."""
        return self.cap - self.grant

    @property
    def headroom(self) -> Decimal:
        """How much more may be booked without the marking: L − unmarked (negative when over)."""
        return self.limit - self.unmarked

    @property
    def percent_used(self) -> Decimal:
        """grant ÷ C, rounded down to 0.1 %: 100.0 exactly when nothing remains."""
        if self.cap == 0:
            return Decimal("100.0")
        return floor_tenth(self.grant * 100 / self.cap)

    @property
    def over_limit(self) -> bool:
        """The unmarked expenses pass the fundable limit (`check` reports it as an error)."""
        return self.headroom < 0

    @property
    def over_cap(self) -> bool:
        """Spending beyond what the grant pays: total × r exceeds C, so remaining is 0 and the
        excess is own funds."""
        return round_cents(self.total * self.terms.rate) > self.cap

    @property
    def warning(self) -> bool:
        return self.percent_used >= WARN_PERCENT

    @property
    def mark(self) -> str:
        """The strongest mark of the row: `over limit`, `over cap`, `≥ 90 %` or ''."""
        if self.over_limit:
            return OVER_LIMIT
        if self.over_cap:
            return OVER_CAP
        return NEAR_CAP if self.warning else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner_id,
            "name": self.name,
            "cap": plain(self.cap),
            "funding_rate": str(self.terms.rate),
            "limit": plain(self.limit),
            "project": plain(self.spent_on("project")),
            "travel": plain(self.spent_on("travel")),
            "total": plain(self.total),
            "unmarked": plain(self.unmarked),
            "grant": plain(self.grant),
            "own_funds": plain(self.own_funds),
            "remaining": plain(self.remaining),
            "headroom": plain(self.headroom),
            "percent_used": str(self.percent_used),
            "over_limit": self.over_limit,
            "over_cap": self.over_cap,
            "warning": self.warning,
            "mark": self.mark,
        }


TOTALS = ("cap", "project", "travel", "total", "grant", "own_funds", "remaining", "headroom")


@dataclass
class PairBudget:
    pair_id: str
    title: str
    partners: list[PartnerBudget]

    def sum(self, attribute: str) -> Decimal:
        return sum((getattr(p, attribute) for p in self.partners), ZERO)

    def category(self, name: str) -> Decimal:
        return sum((p.spent_on(name) for p in self.partners), ZERO)

    def totals(self) -> dict[str, Decimal]:
        return {
            key: self.category(key) if key in ("project", "travel") else self.sum(key)
            for key in TOTALS
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "pair": self.pair_id,
            "title": self.title,
            "partners": [p.as_json() for p in self.partners],
            "totals": {key: plain(value) for key, value in self.totals().items()},
        }


def pair_budget(
    programme: Programme,
    ship: Partnership,
    expenses: Iterable[Expense],
    as_of: dt.date | None = None,
) -> PairBudget:
    """Per-partner spending of one pair, counting expenses up to *as_of* (all when None)."""
    partners = {
        p.id: PartnerBudget(p.id, p.name, terms_of(programme, ship, p.id),
                            {c: ZERO for c in programme.categories})
        for p in ship.partners
    }
    for expense in counted(expenses, as_of):
        budget = partners.get(expense.partner)
        if budget is not None:  # an unknown partner is a `check` error; it has no budget
            budget.add(expense)
    return PairBudget(ship.id, ship.title, list(partners.values()))


def pair_budgets(
    repo: Repository, pair_ids: Iterable[str], as_of: dt.date | None = None
) -> list[PairBudget]:
    """The budgets of several pairs (`budget status`); pairs without a valid
    partnership.yaml have none."""
    budgets = []
    for pair_id in pair_ids:
        pair = repo.pairs[pair_id]
        if pair.partnership is not None:
            budgets.append(pair_budget(repo.programme, pair.partnership.model,
                                       (e.model for e in pair.expenses), as_of))
    return budgets


def partner_budget(
    programme: Programme, ship: Partnership, expenses: Iterable[Expense], partner_id: str
) -> PartnerBudget:
    """One partner's budget over all its expenses."""
    partner = ship.partner(partner_id)
    name = partner.name if partner is not None else partner_id
    budget = PartnerBudget(partner_id, name, terms_of(programme, ship, partner_id))
    for expense in counted(expenses):
        if expense.partner == partner_id:
            budget.add(expense)
    return budget


def in_limit_order(expenses: Iterable[Expense]) -> list[Expense]:
    """The order in which `check` names the expenses past the limit: date, then id."""
    return sorted(expenses, key=lambda e: (e.date, e.id))


def unmarked_past_limit(
    expenses: Iterable[Expense], limit: Decimal
) -> list[tuple[Expense, Decimal]]:
    """The unmarked expenses of one partner from the one at which their running total first
    passes L, each with the running total it reaches (empty when they total at most L)."""
    unmarked = [e for e in counted(expenses) if not e.over_cap]
    if sum((e.amount for e in unmarked), ZERO) <= limit:
        return []  # amounts are positive: no running total passes L when the whole does not
    total = ZERO
    found = []
    for expense in in_limit_order(unmarked):
        total += expense.amount
        if total > limit:
            found.append((expense, total))
    return found


def in_grant_order(expenses: Iterable[Expense]) -> list[Expense]:
    """The order in which the grant pays a partner's expenses: the unmarked ones first, then
    the marked ones, each by date, then id; so a marked expense is the first to be own money
    when the cap binds."""
    return sorted(expenses, key=lambda e: (e.over_cap, e.date, e.id))


def own_shares(expenses: Iterable[Expense], terms: Terms) -> list[tuple[Expense, Decimal]]:
    """Each expense of one partner with the part of it that is own money (the Belegliste's
    "davon Eigenmittel"); the shares add up to the partner's own funds to the cent.

    The grant is paid out over the counted expenses in grant order: after the first k of them
    it is G_k = grant_of(S_k), S_k their running total, so the k-th is funded with
    G_k − G_(k−1) and the rest of it is own money. A cancelled expense has no share.
    """
    chosen = list(expenses)
    get = grant_parts(chosen, terms).get
    return [(e, ZERO if (part := get(id(e))) is None else e.amount - part) for e in chosen]


def grant_parts(expenses: Iterable[Expense], terms: Terms) -> dict[int, Decimal]:
    """The part of each counted expense of one partner that the grant pays, by the `id()` of
    the expense (`own_shares` says how); the Belegliste takes its own shares from this."""
    funded: dict[int, Decimal] = {}
    total = granted = ZERO
    cap, rate = terms.cap, terms.rate
    for expense in in_grant_order(counted(expenses)):
        total += expense.amount
        grant = grant_of(total, cap, rate)
        funded[id(expense)] = grant - granted
        granted = grant
    return funded


def refuse_past_headroom(
    programme: Programme,
    ship: Partnership,
    expenses: Iterable[Expense],
    expense: Expense,
    *,
    replaces: str | None = None,
    advice: str = ("add --over-cap to book it even past the headroom (what the grant does not "
                   "pay is the commune's own money)"),
) -> PartnerBudget:
    """Refuse an unmarked, uncancelled expense whose amount exceeds its partner's headroom.

    *expenses* are the pair's expenses; *replaces* is the id of the record that *expense*
    changes (`expense set`, `expense cancel --undo`), which is then left out of the headroom;
    *advice* says what the command can do instead. Returns the partner's budget with the
    expense booked.
    """
    listed = list(expenses)
    others = [e for e in listed if replaces is None or e.id != replaces]
    budget = partner_budget(programme, ship, others, expense.partner)
    if expense.counts and not expense.over_cap and expense.amount > budget.headroom:
        headroom, unmarked = format_eur(budget.headroom), format_eur(budget.unmarked)
        booked = [e for e in listed if e.id == replaces and e.counts and not e.over_cap]
        if booked:  # a changed expense: its old booking is left out
            now = partner_budget(programme, ship, listed, expense.partner).headroom
            headroom += (f" (the {format_eur(now)} that `budget status` shows, plus what this "
                         "expense books now)")
            unmarked += " of other unmarked expenses"
        else:
            unmarked += " of other unmarked expenses" if replaces else " of unmarked expenses"
        raise RefusedError(
            f"refused: {format_eur(expense.amount)} is more than {expense.partner}'s headroom "
            f"of {headroom}: the {budget.terms.describe()} less {unmarked}; {advice}"
        )
    if expense.counts:
        budget.add(expense)
    return budget


def refuse_past_limit(
    programme: Programme, ship: Partnership, expenses: Iterable[Expense], partner_id: str
) -> PartnerBudget:
    """Refuse new terms (a changed cap, `partnership set --grant-cap`) under which the
    partner's unmarked expenses would pass its fundable limit, which `check` reports as an
    error. Returns the partner's budget under the new terms."""
    budget = partner_budget(programme, ship, expenses, partner_id)
    if budget.over_limit:
        raise RefusedError(
            f"refused: {partner_id}'s unmarked expenses total {format_eur(budget.unmarked)}, "
            f"more than the {budget.terms.describe()} would allow; cancel or mark expenses "
            "(over_cap) first, or choose a higher cap"
        )
    return budget


# --- the cost plan: SOLL against IST (Verwendungsnachweis) -------------------------------------

# ANBest-P 1.2: a single line of the cost plan may be exceeded by up to 20 % (when savings on
# other lines make up for it); a line beyond that is flagged.
OVER_PLAN_PERCENT = Decimal("20")


def deviation_percent(deviation: Decimal, planned: Decimal) -> Decimal:
    """deviation ÷ plan in percent, exact (to Decimal's precision); `shown_percent` rounds it."""
    return deviation * 100 / planned


def shown_percent(exact: Decimal, flagged: bool = False) -> Decimal:
    """A deviation as the documents show it: to 0.1, half up as a reviewer recomputes it
    (−83,333… → −83,3). A flagged line never reads OVER_PLAN_PERCENT or less: it gets as many
    places as it takes (20,04 %), so the document never contradicts its own flag."""
    for places in range(1, 12):
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if not flagged or shown > OVER_PLAN_PERCENT:
            return shown
    return exact  # pragma: no cover - cent amounts differ from 20 % within a few places


@dataclass(frozen=True)
class PlanLine:
    """One line of a partner's cost plan: the planned (SOLL) and actual (IST) spending of one
    category. *planned* is None where the plan has no figure for it (a derived plan knows
    project costs only)."""

    category: str
    planned: Decimal | None
    actual: Decimal

    @property
    def deviation(self) -> Decimal | None:
        return None if self.planned is None else self.actual - self.planned

    @property
    def percent(self) -> Decimal | None:
        """The exact deviation in percent (None without a plan to compare with)."""
        if self.planned is None or self.planned == 0:
            return None
        return deviation_percent(self.actual - self.planned, self.planned)

    @property
    def percent_shown(self) -> Decimal | None:
        exact = self.percent
        return None if exact is None else shown_percent(exact, self.over_plan)

    @property
    def over_plan(self) -> bool:
        """More than OVER_PLAN_PERCENT over the plan (any spending on a line planned at 0)."""
        if self.planned is None:
            return False
        return self.actual * 100 > self.planned * (100 + OVER_PLAN_PERCENT)


@dataclass(frozen=True)
class PartnerPlan:
    """A partner's cost plan against its spending, and whether the plan was recorded or
    derived from the measures' planned costs."""

    partner_id: str
    name: str
    derived: bool
    lines: list[PlanLine]

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines if line.planned is not None), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((line.actual for line in self.lines), ZERO)

    @property
    def complete(self) -> bool:
        """Whether every line has a plan (only then do the totals compare)."""
        return all(line.planned is not None for line in self.lines)

    @property
    def deviation(self) -> Decimal | None:
        return self.actual - self.planned if self.complete else None

    @property
    def percent(self) -> Decimal | None:
        deviation = self.deviation
        if deviation is None or not self.planned:
            return None
        return deviation_percent(deviation, self.planned)

    @property
    def flagged(self) -> list[PlanLine]:
        return [line for line in self.lines if line.over_plan]


def derived_plan(ship: Partnership, measures: Iterable[Measure], partner_id: str) -> CostPlan:
    """A plan from the measures' planned costs: project costs, each measure's cost shared
    equally by its owners (the cents left over go to the first owner); travel is not planned."""
    total = ZERO
    for measure in measures:
        if measure.planned_cost is None or partner_id not in measure.owners:
            continue
        owners = [o for o in measure.owners if ship.partner(o) is not None] or [partner_id]
        share = (measure.planned_cost / len(owners)).quantize(CENT, rounding=ROUND_DOWN)
        if owners[0] == partner_id:
            share += measure.planned_cost - share * len(owners)
        total += share
    return CostPlan(project=total)


def cost_plans(
    programme: Programme,
    ship: Partnership,
    measures: Iterable[Measure],
    expenses: Iterable[Expense],
    as_of: dt.date | None = None,
) -> list[PartnerPlan]:
    """Each partner's cost plan (recorded, else derived) against its spending by *as_of*, by
    the money rules above: cancelled expenses count nowhere, marked ones count as spending."""
    measures = list(measures)
    budget = pair_budget(programme, ship, expenses, as_of)
    plans = []
    for partner, spent in zip(ship.partners, budget.partners):
        recorded = partner.cost_plan
        plan = recorded or derived_plan(ship, measures, partner.id)
        lines = []
        for category in programme.categories:
            planned = getattr(plan, category)
            if planned is None and recorded is not None:
                planned = ZERO  # a recorded plan without the line plans nothing for it
            lines.append(PlanLine(category, planned, spent.spent_on(category)))
        plans.append(PartnerPlan(partner.id, partner.name, recorded is None, lines))
    return plans
