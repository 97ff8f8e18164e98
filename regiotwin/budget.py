"""Spending against the grant cap (SPEC §3 money rules), computed exactly in Decimal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from regiotwin.models import Expense, Partnership, Programme
from regiotwin.money import ZERO, plain, round_cents

WARN_PERCENT = Decimal("90")


@dataclass
class PartnerBudget:
    partner_id: str
    name: str
    cap: Decimal
    funding_rate: Decimal
    by_category: dict[str, Decimal] = field(default_factory=dict)

    def spent_on(self, category: str) -> Decimal:
        return self.by_category.get(category, ZERO)

    @property
    def total(self) -> Decimal:
        return sum(self.by_category.values(), ZERO)

    @property
    def grant(self) -> Decimal:
        """min(total × funding rate, cap)."""
        return min(round_cents(self.total * self.funding_rate), self.cap)

    @property
    def own_funds(self) -> Decimal:
        return self.total - self.grant

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.grant

    @property
    def percent_used(self) -> Decimal:
        if self.cap == 0:
            return Decimal("100.0")
        return (self.grant * 100 / self.cap).quantize(Decimal("0.1"))

    @property
    def over_cap(self) -> bool:
        """Spending past the cap: the same rule as the over-cap marking (SPEC §3)."""
        return self.total > self.cap

    @property
    def flag(self) -> str:
        """'over cap', '90 %' or '' — the warning mark of `budget status`."""
        if self.over_cap:
            return "over cap"
        if self.percent_used >= WARN_PERCENT:
            return "≥ 90 %"
        return ""

    def as_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner_id,
            "name": self.name,
            "cap": plain(self.cap),
            "project": plain(self.spent_on("project")),
            "travel": plain(self.spent_on("travel")),
            "total": plain(self.total),
            "grant": plain(self.grant),
            "own_funds": plain(self.own_funds),
            "remaining": plain(self.remaining),
            "percent_used": str(self.percent_used),
            "over_cap": self.over_cap,
            "warning": self.percent_used >= WARN_PERCENT,
        }


@dataclass
class PairBudget:
    pair_id: str
    title: str
    partners: list[PartnerBudget]

    def sum(self, attribute: str) -> Decimal:
        return sum((getattr(p, attribute) for p in self.partners), ZERO)

    def category(self, name: str) -> Decimal:
        return sum((p.spent_on(name) for p in self.partners), ZERO)

    def as_json(self) -> dict[str, Any]:
        return {
            "pair": self.pair_id,
            "title": self.title,
            "partners": [p.as_json() for p in self.partners],
            "totals": {
                "cap": plain(self.sum("cap")),
                "project": plain(self.category("project")),
                "travel": plain(self.category("travel")),
                "total": plain(self.sum("total")),
                "grant": plain(self.sum("grant")),
                "own_funds": plain(self.sum("own_funds")),
                "remaining": plain(self.sum("remaining")),
            },
        }


def cap_of(programme: Programme, ship: Partnership, partner_id: str) -> Decimal:
    partner = ship.partner(partner_id)
    if partner is not None and partner.grant_cap is not None:
        return partner.grant_cap
    return programme.grant_cap


def pair_budget(
    programme: Programme,
    ship: Partnership,
    expenses: Iterable[Expense],
    as_of: dt.date | None = None,
) -> PairBudget:
    """Per-partner spending of one pair, counting expenses up to *as_of* (all when None)."""
    partners = {
        p.id: PartnerBudget(
            p.id,
            p.name,
            cap_of(programme, ship, p.id),
            programme.funding_rate,
            {c: ZERO for c in programme.categories},
        )
        for p in ship.partners
    }
    for expense in expenses:
        if as_of is not None and expense.date > as_of:
            continue
        budget = partners.get(expense.partner)
        if budget is None:  # an unknown partner is a `check` error; it has no budget to count
            continue
        budget.by_category[expense.category] = (
            budget.by_category.get(expense.category, ZERO) + expense.amount
        )
    return PairBudget(ship.id, ship.title, list(partners.values()))


def spent(expenses: Iterable[Expense], partner_id: str) -> Decimal:
    """Everything a partner has spent, marked over-cap expenses included."""
    return sum((e.amount for e in expenses if e.partner == partner_id), ZERO)


def in_cap_order(expenses: Iterable[Expense]) -> list[Expense]:
    """The order that defines the running total: date, then id."""
    return sorted(expenses, key=lambda e: (e.date, e.id))


def unmarked_past_cap(expenses: Iterable[Expense], cap: Decimal) -> list[tuple[Expense, Decimal]]:
    """Each expense of one partner that takes the running total above the cap without the
    over-cap marking, with the running total it reaches (SPEC §3)."""
    total = ZERO
    found = []
    for expense in in_cap_order(expenses):
        total += expense.amount
        if total > cap and not expense.over_cap:
            found.append((expense, total))
    return found
