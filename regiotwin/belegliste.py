"""The Belegliste (list of receipts): one row per expense, the same rows for the CSV export,
`expense list` and every report.

Rows are ordered by pair, partner, category, date and Belegnummer. The Belegnummer ("Nr.") is
the expense's own `receipt_no`, given once by `expense add` and never computed at render time,
so a receipt carries one number on paper, in the CSV and in every report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from regiotwin.belegnummer import receipt_number as receipt_number
from regiotwin.belegnummer import receipt_prefix
from regiotwin.budget import grant_parts, terms_of
from regiotwin.loader import Repository, paused_gc
from regiotwin.models import Cancellation, Expense, Partnership, Programme
from regiotwin.money import ZERO, plain
from regiotwin.vocabulary import CATEGORY


def prefix_of(ship: Partnership, partner_id: str) -> str:
    """The partner's `receipt_prefix`, or its id (regiotwin/belegnummer.py)."""
    partner = ship.partner(partner_id)
    return receipt_prefix(partner.receipt_prefix if partner else None, partner_id)


def next_receipt_no(expenses: Iterable[Expense], partner_id: str) -> int:
    """The partner's next Belegnummer: one more than the highest it has (cancelled included,
    since a cancelled expense keeps its number)."""
    return 1 + max(
        (e.receipt_no for e in expenses if e.partner == partner_id and e.receipt_no is not None),
        default=0,
    )


@dataclass(slots=True)  # not frozen: 100,000 rows, each field set through object.__setattr__
class Row:
    """One line of the Belegliste."""

    pair: str
    id: str
    number: str  # the Belegnummer as shown, e.g. TF-007
    receipt_no: int | None
    date: dt.date
    partner: str
    partner_name: str
    category: str
    payee: str | None
    description: str
    computation: str  # how a priced trip's amount came about (German), '' for any other
    amount: Decimal
    own_share: Decimal  # the part of the amount the grant does not pay (budget.own_shares)
    receipt: str | None
    meeting: str | None
    measure: str | None
    over_cap: bool
    cancelled: Cancellation | None

    def as_json(self) -> dict[str, Any]:
        return {
            "pair": self.pair, "number": self.number, "receipt_no": self.receipt_no,
            "id": self.id, "date": self.date, "partner": self.partner,
            "partner_name": self.partner_name, "category": self.category, "amount": self.amount,
            "own_share": self.own_share, "payee": self.payee, "description": self.description,
            "computation": self.computation or None,
            "receipt": self.receipt, "meeting": self.meeting, "measure": self.measure,
            "over_cap": self.over_cap,
            "cancelled": ({"date": self.cancelled.date, "reason": self.cancelled.reason}
                          if self.cancelled else None),
        }


def pair_rows(
    programme: Programme,
    ship: Partnership,
    expenses: Iterable[Expense],
    *,
    as_of: dt.date | None = None,
    partner: str | None = None,
    category: str | None = None,
) -> list[Row]:
    """The rows of one pair: expenses dated up to *as_of*, optionally of one partner (id or
    name) or one category."""
    chosen = [e for e in expenses if as_of is None or e.date <= as_of]
    wanted = None
    if partner:
        from regiotwin.records import resolve_partner  # the write path's; rarely needed here

        wanted = resolve_partner(ship, partner, "--partner")
    by_partner: dict[str, list[Expense]] = {}
    for expense in chosen:
        by_partner.setdefault(expense.partner, []).append(expense)
    funded: dict[int, Decimal] = {}  # the grant's part of each expense (budget.own_shares)
    for partner_id, own in by_partner.items():
        funded.update(grant_parts(own, terms_of(programme, ship, partner_id)))
    # by partner and category (in the order of the partnership and the programme), then
    # date and Belegnummer: the groups are sorted, then each group in itself (twice as fast
    # as one sort by the whole key, and the same order: both sorts are stable)
    groups: dict[tuple[str, str], list[Expense]] = {}
    for e in chosen:
        if (wanted is None or e.partner == wanted) and (category is None or e.category == category):
            group = groups.get((e.partner, e.category))
            if group is None:
                group = groups[e.partner, e.category] = []
            group.append(e)
    partner_order = {p.id: i for i, p in enumerate(ship.partners)}
    category_order: dict[str, int] = {c: i for i, c in enumerate(programme.categories)}
    ordered: list[Expense] = []
    for key in sorted(groups, key=lambda key: (
            partner_order.get(key[0], len(partner_order)), key[0],
            category_order.get(key[1], len(category_order)), key[1])):
        group = groups[key]
        group.sort(key=lambda e: (e.date, e.receipt_no is None, e.receipt_no or 0, e.id))
        ordered += group
    names = {p.id: p.name for p in ship.partners}
    prefixes = {partner_id: prefix_of(ship, partner_id) for partner_id in by_partner}
    # positional: 100,000 rows are made, and keywords cost a third more (the order is Row's)
    return [
        Row(ship.id, e.id, receipt_number(prefixes[e.partner], e.receipt_no), e.receipt_no,
            e.date, e.partner, names.get(e.partner, e.partner), e.category, e.payee,
            e.description, _computation(e) if e.travel is not None else "", e.amount,
            ZERO if (part := funded.get(id(e))) is None else e.amount - part,
            e.receipt.path if e.receipt else None, e.meeting, e.measure, e.over_cap,
            e.cancelled)
        for e in ordered
    ]


def _computation(expense: Expense) -> str:
    if expense.travel is None:
        return ""
    from regiotwin.travel import describe  # only a repository with priced trips needs it

    return describe(expense.travel)


def rows_of(
    repo: Repository,
    pair_ids: Iterable[str],
    *,
    as_of: dt.date | None = None,
    partner: str | None = None,
    category: str | None = None,
) -> list[Row]:
    """The rows of several pairs, pair after pair (pairs without a valid partnership.yaml have
    no rows: there is nothing to number them by)."""
    rows: list[Row] = []
    with paused_gc():  # a row per expense, and no cycles (see paused_gc)
        for pair_id in pair_ids:
            pair = repo.pairs[pair_id]
            if pair.partnership is None:
                continue
            rows += pair_rows(repo.programme, pair.partnership.model,
                              (e.model for e in pair.expenses), as_of=as_of, partner=partner,
                              category=category)
    return rows


def counted_total(rows: Iterable[Row]) -> dict[str, Decimal]:
    """The sums under a Belegliste: amounts and own shares of the expenses that count."""
    counting = [r for r in rows if r.cancelled is None]
    return {"amount": sum((r.amount for r in counting), ZERO),
            "own_share": sum((r.own_share for r in counting), ZERO)}


# --- CSV -------------------------------------------------------------------------------------

# The same columns whatever the data, so a spreadsheet or a script can rely on them. A priced
# trip's computation has a column of its own beside the purpose rather than inside it: the
# Zweck stays the user's words, and a finance office can filter, check or hide the figures.
CSV_HEADER = ["Partnerschaft", "Nr.", "Datum", "Partner", "Kategorie", "Zahlungsempfänger",
              "Zweck", "Berechnung", "Betrag (EUR)", "davon Eigenmittel (EUR)", "Beleg",
              "Storniert am", "Stornogrund"]
# a text cell that a spreadsheet would run as a formula is neutralised by a leading '
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cells(rows: Iterable[Row], excel: bool) -> Iterator[list[str]]:
    """The cells of each row as `to_csv` writes them. 100,000 rows repeat their pairs,
    partners, categories, payees, dates and amounts: each such value is formatted (and
    checked for a formula) once and looked up after that; only the cells a person wrote for
    one expense are checked on every row, inline."""
    starts = _FORMULA_START if excel else ()  # `str.startswith(())` is never true
    shown: dict[Any, str] = {}  # value → its cell (texts, dates and amounts never compare equal)

    def fresh(value: Any) -> str:
        if isinstance(value, str):
            text = "'" + value if value.startswith(starts) else value
        elif isinstance(value, dt.date):
            text = value.strftime("%d.%m.%Y") if excel else value.isoformat()
        else:  # an amount; equal amounts are one text: plain() rounds to cents
            text = plain(value).replace(".", ",") if excel else plain(value)
        shown[value] = text
        return text

    labels = {key: CATEGORY.label(key) for key in CATEGORY.values}
    get = shown.get
    for row in rows:
        label = labels.get(row.category) or CATEGORY.label(row.category)
        description, computation = row.description, row.computation
        receipt, cancelled = row.receipt or "", row.cancelled
        yield [
            get(row.pair) or fresh(row.pair), row.number, get(row.date) or fresh(row.date),
            get(row.partner_name) or fresh(row.partner_name), get(label) or fresh(label),
            get(row.payee or "") or fresh(row.payee or ""),
            "'" + description if description.startswith(starts) else description,
            "'" + computation if computation.startswith(starts) else computation,
            get(row.amount) or fresh(row.amount), get(row.own_share) or fresh(row.own_share),
            "'" + receipt if receipt.startswith(starts) else receipt,
            (get(cancelled.date) or fresh(cancelled.date)) if cancelled else "",
            ("'" + cancelled.reason if cancelled.reason.startswith(starts)
             else cancelled.reason) if cancelled else "",
        ]


def to_csv(rows: Iterable[Row], fmt: str, banner: str | None = None,
           incomplete: str | None = None) -> str:
    """The Belegliste as CSV. `excel`: UTF-8 with BOM, `;`, 1234,56, TT.MM.JJJJ, and formulas
    neutralised for a German Excel; `rfc4180`: `,`, 1234.56, ISO dates, the data unchanged.
    A *banner* (a draft's warning) becomes the first line, then *incomplete* (the pairs left
    out), each above the header, where a finance office sees it at once."""
    excel = fmt == "excel"
    buffer = io.StringIO()
    delimiter = ";" if excel else ","
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    for line in (banner, incomplete):
        if line:
            writer.writerow([line])
    writer.writerow(CSV_HEADER)
    # A row whose cells hold no delimiter, quote or line break is written as the writer
    # would write it, its cells joined (QUOTE_MINIMAL quotes only cells with one of those):
    # ten times faster than the writer. Any other row goes through the writer.
    # tests/test_belegliste.py holds the two to each other.
    separators = len(CSV_HEADER) - 1
    write = buffer.write
    for cells in _csv_cells(rows, excel):
        line = delimiter.join(cells)
        if (line.count(delimiter) == separators and '"' not in line and "\r" not in line
                and "\n" not in line):
            write(line + "\r\n")
        else:
            writer.writerow(cells)
    text = buffer.getvalue()
    return "\ufeff" + text if excel else text
