"""Booking expenses against the grant cap, their receipts, and the receipts list (Belegliste)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from regiotwin.budget import cap_of, spent, unmarked_past_cap
from regiotwin.cache import RecordCache
from regiotwin.errors import DataError, Finding, RefusedError
from regiotwin.loader import Pair, Repository, load_pair
from regiotwin.models import Expense, Partnership, Programme, Receipt
from regiotwin.money import format_eur, plain
from regiotwin.records import resolve_partner
from regiotwin.slugs import SlugError, checked_slug
from regiotwin.store import build, check_readable, pair_lock, record_yaml
from regiotwin.vocabulary import CATEGORY
from regiotwin.writer import RecordExistsError, publish_record_with_copy, stage_copy

RECEIPTS_DIR = "receipts"
_MAX_SUFFIX = 999


@dataclass
class Booked:
    """What `expense add` wrote and where the partner stands afterwards."""

    expense: Expense
    path: Path
    cap: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.spent


def _receipt_extension(source: Path) -> str:
    ext = source.suffix.lower()
    return ext if re.fullmatch(r"\.[a-z0-9]{1,8}", ext) else ""


def book_expense(
    root: Path,
    programme: Programme,
    pair_id: str,
    *,
    partner: str,
    date: dt.date,
    amount: Decimal,
    category: str,
    description: str,
    payee: str | None = None,
    receipt: Path | None = None,
    meeting: str | None = None,
    measure: str | None = None,
    over_cap: bool = False,
) -> Booked:
    """Check the expense against the pair and the cap, and write it, all under the pair lock.

    The lock makes read-total-then-write one step, so two people booking at the same moment
    can never take a partner past its cap together.
    """
    if receipt is not None and not receipt.is_file():
        raise RefusedError(f"--receipt: {receipt} does not exist or is not a file")
    folder = root / "partnerships" / pair_id
    with pair_lock(folder):
        return _book_locked(
            root, programme, folder, partner=partner, date=date, amount=amount,
            category=category, description=description, payee=payee, receipt=receipt,
            meeting=meeting, measure=measure, over_cap=over_cap,
        )


def _book_locked(
    root: Path, programme: Programme, folder: Path, *, partner: str, date: dt.date,
    amount: Decimal, category: str, description: str, payee: str | None,
    receipt: Path | None, meeting: str | None, measure: str | None, over_cap: bool,
) -> Booked:
    findings: list[Finding] = []
    cache = RecordCache(root)
    pair = load_pair(root, folder, findings, cache=cache)  # read inside the lock
    cache.save()
    errors = [f for f in findings if f.severity == "error"]
    if errors or pair.partnership is None:
        raise DataError(f"pair {pair.id!r} has invalid files; fix them first", errors)
    ship = pair.partnership.model
    partner_id = resolve_partner(ship, partner, "--partner")
    _check_links(pair, ship, date, meeting, measure)
    try:
        slug = checked_slug(description, "description")
    except SlugError as exc:
        raise RefusedError(str(exc)) from None
    base_id = f"{date.isoformat()}-{partner_id}-{slug}"
    cap = cap_of(programme, ship, partner_id)
    before = spent((e.model for e in pair.expenses), partner_id)
    data: dict[str, Any] = {
        "id": base_id, "date": date, "partner": partner_id, "category": category,
        "amount": amount, "description": description, "payee": payee, "meeting": meeting,
        "measure": measure, "over_cap": over_cap,
    }
    expense = build(Expense, data, "expense")
    if before + amount > cap and not over_cap:
        raise RefusedError(
            f"refused: {format_eur(amount)} would take {partner_id} past its grant cap "
            f"(cap {format_eur(cap)}, spent {format_eur(before)}, "
            f"remaining {format_eur(max(cap - before, Decimal(0)))}); "
            "add --over-cap to record it anyway, the excess is the commune's own money"
        )
    others = [e.model for e in pair.expenses if e.model.partner == partner_id]
    _refuse_pushing_later_expenses(others, expense, cap)
    path, expense = _write_with_free_id(root, folder, expense, receipt)
    return Booked(expense, path, cap, before + amount)


def _check_links(
    pair: Pair, ship: Partnership, date: dt.date, meeting: str | None, measure: str | None
) -> None:
    if not ship.start <= date <= ship.end:
        raise RefusedError(
            f"refused: {date} is outside the partnership period {ship.start} to {ship.end}; "
            "the grant pays nothing outside it"
        )
    if meeting is not None and meeting not in {m.model.id for m in pair.meetings}:
        raise RefusedError(f"unknown meeting {meeting!r} (--meeting); see `regiotwin meeting list`")
    if measure is not None and measure not in {m.model.id for m in pair.measures}:
        raise RefusedError(f"unknown measure {measure!r} (--measure); see `regiotwin measure list`")


def _refuse_pushing_later_expenses(
    others: list[Expense], expense: Expense, cap: Decimal
) -> None:
    """A back-dated expense moves every later one up the running total; refuse when that
    would leave a later, unmarked expense past the cap (which `check` would report)."""
    newly = {e.id for e, _ in unmarked_past_cap([*others, expense], cap)} - {
        e.id for e, _ in unmarked_past_cap(others, cap)
    }
    newly.discard(expense.id)
    if newly:
        raise RefusedError(
            f"refused: booking this on {expense.date} would push later expenses past the cap "
            f"without the over-cap marking: {', '.join(sorted(newly))}"
        )


def _write_with_free_id(
    root: Path, folder: Path, expense: Expense, receipt: Path | None
) -> tuple[Path, Expense]:
    """Write under the first free id (`…`, `…-2`, `…-3`); the receipt is copied under a
    temporary name first and published together with the record, under the same id."""
    base = expense.id
    staged = stage_copy(receipt, folder / RECEIPTS_DIR) if receipt is not None else None
    try:
        for n in range(1, _MAX_SUFFIX + 1):
            candidate = base if n == 1 else f"{base}-{n}"
            path = folder / "expenses" / f"{candidate}.yaml"
            if path.exists():
                continue
            expense = expense.model_copy(update={"id": candidate})
            copied = None
            if staged is not None and receipt is not None:
                copied = folder / RECEIPTS_DIR / f"{candidate}{_receipt_extension(receipt)}"
                if copied.exists():
                    continue
                proof = Receipt(path=f"{RECEIPTS_DIR}/{copied.name}", sha256=staged.sha256)
                expense = expense.model_copy(update={"receipt": proof})
            text = record_yaml(expense)
            check_readable(text, expense)
            try:
                publish_record_with_copy(path, text, staged, copied)
            except RecordExistsError:
                continue
            return path, expense
    finally:
        if staged is not None:
            staged.discard()
    raise RefusedError(f"too many expenses with the id {base}; change the description")


# --- listing and the receipts list ----------------------------------------------------------


def expense_rows(
    repo: Repository, pair_ids: list[str], partner: str | None = None, category: str | None = None
) -> list[dict[str, Any]]:
    """Expenses of the chosen pairs grouped by pair, partner and category, in date order."""
    rows: list[dict[str, Any]] = []
    for pair_id in pair_ids:
        pair = repo.pairs[pair_id]
        if pair.partnership is None:
            continue
        ship = pair.partnership.model
        order = {p.id: i for i, p in enumerate(ship.partners)}
        names = {p.id: p.name for p in ship.partners}
        wanted = resolve_partner(ship, partner, "--partner") if partner else None
        chosen = [
            e.model for e in pair.expenses
            if (wanted is None or e.model.partner == wanted)
            and (category is None or e.model.category == category)
        ]
        chosen.sort(key=lambda e: (order.get(e.partner, 99), e.partner, e.category, e.date, e.id))
        for e in chosen:
            rows.append({
                "pair": pair_id, "id": e.id, "date": e.date, "partner": e.partner,
                "partner_name": names.get(e.partner, e.partner), "category": e.category,
                "amount": e.amount, "payee": e.payee, "description": e.description,
                "receipt": e.receipt.path if e.receipt else None,
                "meeting": e.meeting, "measure": e.measure, "over_cap": e.over_cap,
            })
    for number, row in enumerate(rows, 1):
        row["number"] = number
    return rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(text: str) -> str:
    """Neutralise a text cell that a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def belegliste(rows: list[dict[str, Any]], fmt: str) -> str:
    """The receipts list as CSV: `excel` for a German Excel, `rfc4180` for everything else."""
    several = len({r["pair"] for r in rows}) > 1
    header = ["Nr.", "Datum", "Partner", "Kategorie", "Zahlungsempfänger", "Zweck", "Betrag (EUR)",
              "Beleg"]
    if several:
        header.insert(1, "Partnerschaft")
    buffer = io.StringIO()
    excel = fmt == "excel"
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        day: dt.date = row["date"]
        cells = [
            str(row["number"]),
            day.strftime("%d.%m.%Y") if excel else day.isoformat(),
            _safe_cell(row["partner_name"]),
            CATEGORY.label(row["category"]),
            _safe_cell(row["payee"] or ""),
            _safe_cell(row["description"]),
            plain(row["amount"]).replace(".", ",") if excel else plain(row["amount"]),
            _safe_cell(row["receipt"] or ""),
        ]
        if several:
            cells.insert(1, row["pair"])
        writer.writerow(cells)
    text = buffer.getvalue()
    return "\ufeff" + text if excel else text
