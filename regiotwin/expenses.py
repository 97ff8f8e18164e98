"""Booking, correcting and cancelling expenses: the money rules (budget.py), the Belegnummer,
the receipt, and a trip priced by the partner's travel-cost law (travel.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regiotwin.belegliste import next_receipt_no, prefix_of, receipt_number
from regiotwin.budget import PartnerBudget, refuse_past_headroom
from regiotwin.cache import RecordCache
from regiotwin.english import agree
from regiotwin.errors import DataError, Finding, OptionValueError, RefusedError, UsageError
from regiotwin.layout import RECEIPTS_DIR
from regiotwin.loader import PAIRS_DIR, Loaded, Pair, load_pair
from regiotwin.lookup import Choices, resolve
from regiotwin.models import (
    Cancellation,
    Expense,
    Partnership,
    Programme,
    Receipt,
    Travel,
    TravelInputs,
)
from regiotwin.records import Changes, find, resolve_partner
from regiotwin.slugs import SlugError, checked_slug
from regiotwin.store import (
    Edit,
    before_writing,
    build,
    check_readable,
    edit_record,
    pair_lock,
    record_yaml,
    reload_pair,
    remember,
)
from regiotwin.writer import RecordExistsError, publish_record_with_copy, stage_copy

if TYPE_CHECKING:  # the rules of travel costs are imported by the trips that need them
    from regiotwin.travel import RateBook, TripOptions

_MAX_SUFFIX = 999


@dataclass
class Booked:
    """What `expense add` wrote, its Belegnummer, and where the partner stands afterwards."""

    expense: Expense
    path: Path
    number: str  # the Belegnummer as shown, e.g. TF-007
    budget: PartnerBudget


def _receipt_extension(source: Path) -> str:
    ext = source.suffix.lower()
    return ext if re.fullmatch(r"\.[a-z0-9]{1,8}", ext) else ""


def book_expense(
    root: Path,
    programme: Programme,
    pair_id: str,
    *,
    partner: str,
    date: dt.date | None,
    amount: Decimal | None,
    category: str,
    description: str,
    payee: str | None = None,
    receipt: Path | None = None,
    meeting: str | None = None,
    measure: str | None = None,
    over_cap: bool = False,
    again: bool = False,
    trip: TripOptions | None = None,
) -> Booked:
    """Check the expense against the pair and the money rules, and write it with the partner's
    next Belegnummer, all under the pair lock.

    The expense costs either *amount* or a *trip*, priced under the partner's travel-cost law
    and booked as one expense at its total (dated by its first day unless *date* says the
    same). The lock makes read-then-write one step, so two people booking at the same moment
    can never take a partner past its limit together, nor get the same Belegnummer.
    """
    inputs = _trip_or_amount(amount, trip, category)
    day = _booking_date(date, inputs)
    if receipt is not None and not receipt.is_file():
        raise OptionValueError("--receipt", f"{receipt} does not exist or is not a file")
    folder = root / "partnerships" / pair_id
    with pair_lock(folder):
        return _book_locked(
            root, programme, folder, partner=partner, date=day, amount=amount,
            category=category, description=description, payee=payee, receipt=receipt,
            meeting=meeting, measure=measure, over_cap=over_cap, again=again,
            trip=inputs,
        )


def _trip_or_amount(
    amount: Decimal | None, trip: TripOptions | None, category: str
) -> TravelInputs | None:
    """Exactly one of an amount and a trip, and a trip only for travel costs: the trip's
    inputs, or None when the amount is booked as given."""
    if trip is None or not trip.given():
        if amount is None:
            raise UsageError("--amount missing: give the amount, or for --category travel the "
                             'trip that computes it (--from "YYYY-MM-DD HH:MM" --to … '
                             "[--km N] [--nights N])")
        return None
    if amount is not None:
        raise UsageError("give either --amount or a trip (--from, --to, --km, …), not both: "
                         "a trip's amount is computed by the partner's travel-cost law")
    if category != "travel":
        raise UsageError(f"a trip (--from, --to, --km, …) prices travel costs, not {category} "
                         "costs; use --category travel, or give --amount")
    from regiotwin.travel import parse_trip

    return parse_trip(trip)


def _booking_date(date: dt.date | None, inputs: TravelInputs | None) -> dt.date:
    """The expense's date: a trip is booked on the day it began."""
    if inputs is None:
        if date is None:
            raise UsageError("--date missing: give the date of the expense")
        return date
    first_day = inputs.start.date()
    if date is not None and date != first_day:
        raise UsageError(f"--date {date} is not the first day of the trip ({first_day}, "
                         "--from): a trip is booked on the day it began; leave out --date")
    return first_day


def trip_booking(
    book: RateBook, ship: Partnership, partner_id: str, inputs: TravelInputs
) -> dict[str, Any]:
    """What a trip sets on its expense: the computation under the partner's travel-cost law
    with the rates valid on the trip's dates, and the amount, date and category that follow
    it. `expense add` calls it, and so will `expense set` when a trip changes."""
    partner = ship.partner(partner_id)
    if partner is None:
        raise RefusedError(f"unknown partner {partner_id!r}")
    from regiotwin.travel import compute, law_of

    travel: Travel = compute(inputs, law_of(partner), book)
    return {"amount": travel.total, "date": travel.inputs.start.date(), "category": "travel",
            "travel": travel}


def _book_locked(
    root: Path, programme: Programme, folder: Path, *, partner: str, date: dt.date,
    amount: Decimal | None, category: str, description: str, payee: str | None,
    receipt: Path | None, meeting: str | None, measure: str | None, over_cap: bool,
    again: bool, trip: TravelInputs | None,
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
    meeting, measure = _check_links(pair, ship, date, meeting, measure)
    try:
        slug = checked_slug(description, "description")
    except SlugError as exc:
        raise RefusedError(str(exc)) from None
    if receipt is not None:
        _check_receipt(pair, receipt)
    existing = [e.model for e in pair.expenses]
    data: dict[str, Any] = {
        "id": f"{date.isoformat()}-{partner_id}-{slug}",
        "receipt_no": next_receipt_no(existing, partner_id), "date": date,
        "partner": partner_id, "category": category, "amount": amount,
        "description": description, "payee": payee, "meeting": meeting, "measure": measure,
        "over_cap": over_cap,
    }
    if trip is not None:
        from regiotwin.travel import load_rate_book

        data.update(trip_booking(load_rate_book(root), ship, partner_id, trip))
    expense = build(Expense, data, "expense")
    if not again:
        _refuse_same_booking(pair, expense)
    try:
        budget = refuse_past_headroom(programme, ship, existing, expense)
    except RefusedError as exc:
        if expense.travel is None:
            raise
        from regiotwin.travel import describe

        # say what the trip came to, since the user typed kilometres and times, not the sum
        raise RefusedError(f"{exc.message} (the trip under {expense.travel.law}: "
                           f"{describe(expense.travel)})") from None
    path, expense = _write_with_free_id(root, folder, expense, receipt)
    number = receipt_number(prefix_of(ship, partner_id), expense.receipt_no)
    return Booked(expense, path, number, budget)


def _check_links(
    pair: Pair, ship: Partnership, date: dt.date, meeting: str | None, measure: str | None
) -> tuple[str | None, str | None]:
    """Refuse a date outside the period; the ids of the meeting and measure named (by id,
    prefix, date, … as every id option takes them)."""
    if not ship.start <= date <= ship.end:
        raise RefusedError(
            f"refused: {date} is outside the partnership period {ship.start} to {ship.end}; "
            "the grant pays nothing outside it"
        )
    if meeting is not None:
        meeting = find(pair.meetings, meeting, "meeting", "--meeting").model.id
    if measure is not None:
        measure = find(pair.measures, measure, "measure", "--measure").model.id
    return meeting, measure


def _check_receipt(pair: Pair, receipt: Path, exclude: str | None = None) -> None:
    """Refuse a receipt that `check` would reject: one whose folder leads outside the pair, or
    whose content already proves another expense (than *exclude*)."""
    from regiotwin.checks import file_sha256, receipts_inside

    if not receipts_inside(pair.folder):
        raise RefusedError(
            f"refused: {pair.path}/{RECEIPTS_DIR} leads outside the pair folder (to "
            f"{(pair.folder / RECEIPTS_DIR).resolve()}); make it a plain folder"
        )
    digest = file_sha256(receipt)
    for other in pair.expenses:
        proof = other.model.receipt
        if other.model.id == exclude:
            continue
        if other.model.counts and proof is not None and proof.sha256 == digest:
            raise RefusedError(
                f"refused: {receipt} has the same content as the receipt of {other.path}; "
                "one receipt proves one expense"
            )


def _same_words(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _refuse_same_booking(pair: Pair, expense: Expense) -> None:
    """The same booking twice is almost always a slip (a double click, a retried command)."""
    key = (expense.partner, expense.date, expense.amount, _same_words(expense.payee),
           _same_words(expense.description))
    for other in pair.expenses:
        e = other.model
        if e.counts and key == (e.partner, e.date, e.amount, _same_words(e.payee),
                                _same_words(e.description)):
            raise RefusedError(
                f"refused: {other.path} already books this (same partner, date, amount, payee "
                "and description); add --again if it really was paid twice"
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
            expense = replace(expense, id=candidate)
            copied = None
            if staged is not None and receipt is not None:
                copied = folder / RECEIPTS_DIR / f"{candidate}{_receipt_extension(receipt)}"
                if copied.exists():
                    continue
                proof = Receipt(path=f"{RECEIPTS_DIR}/{copied.name}", sha256=staged.sha256)
                expense = replace(expense, receipt=proof)
            text = record_yaml(expense)
            check_readable(text, expense)
            cache = before_writing(root)
            try:
                publish_record_with_copy(path, text, staged, copied)
            except RecordExistsError:
                continue
            remember(cache, path, text, expense)
            return path, expense
    finally:
        if staged is not None:
            staged.discard()
    raise RefusedError(f"too many expenses with the id {base}; change the description")


# --- finding, changing and cancelling ----------------------------------------------------------


def find_expense(pair: Pair, ship: Partnership, ref: str, option: str = "ID") -> Loaded[Expense]:
    """The expense *ref* names: an id, file name or path, unique prefix or date, or its
    Belegnummer (`GI-007`)."""
    choices: Choices[Loaded[Expense]] = Choices("expense")
    for record in pair.expenses:
        e = record.model
        number = receipt_number(prefix_of(ship, e.partner), e.receipt_no)
        choices.add(e.id, record, date=e.date, aliases=[number] if number else [])
    return resolve(choices, ref, option)


@dataclass
class ExpenseEdit:
    """What `expense set` or `expense cancel` did, the Belegnummer, and where the partner
    stands afterwards."""

    edit: Edit[Expense]
    number: str
    budget: PartnerBudget
    notes: list[str]


def _travel_guard(current: Expense, changes: Changes, trip: TripOptions | None) -> None:
    """A trip priced by a travel-cost law keeps its amount, date and category in step with
    its computation: they are not set by hand, but follow a changed trip."""
    fixed = sorted({"amount", "date", "category"} & set(changes.values))
    if trip is not None and trip.given():
        if fixed:
            raise UsageError(f"give either a trip (--from, --to, --km, …) or --{fixed[0]}, not "
                             "both: a trip's amount, date and category follow from it")
        if current.travel is None and (trip.start is None or trip.end is None):
            raise UsageError(f"{current.id} is booked by amount; to price it as a trip give "
                             'the whole trip, at least --from "YYYY-MM-DD HH:MM" and --to')
        return
    if current.travel is not None and fixed:
        raise RefusedError(
            f"refused: {current.id} is a trip priced by its travel-cost law; its "
            f"{', '.join(fixed)} {agree(len(fixed), 'follows', 'follow')} the trip: change the "
            "trip (--from, --to, --km, --nights, …), or cancel the expense and book the amount "
            "by hand"
        )


def _repriced(root: Path, ship: Partnership, current: Expense,
              trip: TripOptions) -> dict[str, Any]:
    """The stored trip (if any) with the options given now, priced again by the law."""
    from regiotwin.travel import (
        TripOptions,
        changed_trip,
        load_rate_book,
        options_of,
        parse_trip,
    )

    stored = options_of(current.travel.inputs) if current.travel else TripOptions()
    inputs = parse_trip(changed_trip(stored, trip))
    return trip_booking(load_rate_book(root), ship, current.partner, inputs)


def change_expense(
    root: Path,
    programme: Programme,
    pair_id: str,
    ref: str,
    changes: Changes,
    *,
    receipt: Path | None = None,
    trip: TripOptions | None = None,
    dry_run: bool = False,
) -> ExpenseEdit:
    """Correct an expense: checked against the pair and the cap exactly as a new booking is
    (the same rule, `refuse_past_headroom`, with this expense left out of the headroom). Its
    Belegnummer and partner never change; a cancelled expense is not changed. A *trip* (the
    options given, in place of the stored ones) is priced again, and sets the amount, the date
    and the category."""
    if receipt is not None and not receipt.is_file():
        raise OptionValueError("--receipt", f"{receipt} does not exist or is not a file")
    folder = root / PAIRS_DIR / pair_id
    with pair_lock(folder):
        pair = reload_pair(root, pair_id)
        assert pair.partnership is not None
        ship = pair.partnership.model
        record = find_expense(pair, ship, ref)
        current = record.model
        if current.cancelled is not None:
            raise RefusedError(
                f"refused: {current.id} was cancelled on {current.cancelled.date}; a cancelled "
                "expense is not changed (`expense cancel --undo` books it again)"
            )
        _travel_guard(current, changes, trip)
        values = dict(changes.values)
        if trip is not None and trip.given():
            values.update(_repriced(root, ship, current, trip))
        values["meeting"], values["measure"] = _check_links(
            pair, ship, values.get("date", current.date), values.get("meeting"),
            values.get("measure"))
        values = {k: v for k, v in values.items() if v is not None}
        expense = Changes(values, changes.unset).applied(Expense, current, "expense")
        existing = [e.model for e in pair.expenses]
        budget = refuse_past_headroom(programme, ship, existing, expense, replaces=current.id)
        staged = None
        target = None
        notes: list[str] = []
        if receipt is not None:
            _check_receipt(pair, receipt, exclude=current.id)
            target = _free_receipt_name(folder, current.id, receipt)
            if not dry_run:
                staged = stage_copy(receipt, folder / RECEIPTS_DIR)
                expense = replace(expense, receipt=Receipt(
                    path=f"{RECEIPTS_DIR}/{target.name}", sha256=staged.sha256))
            else:
                from regiotwin.checks import file_sha256

                expense = replace(expense, receipt=Receipt(
                    path=f"{RECEIPTS_DIR}/{target.name}", sha256=file_sha256(receipt)))
            if current.receipt is not None:
                notes.append(f"note: {current.receipt.path} is no longer the receipt of "
                             f"{current.id}; keep it elsewhere or delete it")

        def publish(path: Path, text: str) -> None:
            publish_record_with_copy(path, text, staged, target, new=False)

        try:
            edit = edit_record(root, root / record.path, Expense, lambda _: expense,
                               dry_run=dry_run, publish=publish if staged else None)
        finally:
            if staged is not None:
                staged.discard()
    number = receipt_number(prefix_of(ship, current.partner), current.receipt_no)
    return ExpenseEdit(edit, number, budget, notes)


def _free_receipt_name(folder: Path, expense_id: str, receipt: Path) -> Path:
    """`receipts/<id>.pdf`, or `<id>-2.pdf` … when an earlier receipt holds that name."""
    extension = _receipt_extension(receipt)
    for n in range(1, _MAX_SUFFIX + 1):
        name = f"{expense_id}{'' if n == 1 else f'-{n}'}{extension}"
        if not (folder / RECEIPTS_DIR / name).exists():
            return folder / RECEIPTS_DIR / name
    raise RefusedError(f"too many receipts named for {expense_id}")


UNDO_ADVICE = ("it stays cancelled: make room first (cancel another expense, or mark one as the "
               "commune's own money with `expense set ID --over-cap`), or book it anew with "
               "`expense add … --over-cap`")


def cancel_expense(
    root: Path,
    programme: Programme,
    pair_id: str,
    ref: str,
    *,
    reason: str | None,
    date: dt.date,
    undo: bool = False,
    dry_run: bool = False,
) -> ExpenseEdit:
    """Cancel an expense (Storno): it keeps its file and its Belegnummer and counts nowhere.
    *undo* books it again, checked against the cap and the receipts as a new booking is."""
    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        assert pair.partnership is not None
        ship = pair.partnership.model
        record = find_expense(pair, ship, ref)
        current = record.model
        existing = [e.model for e in pair.expenses]
        if undo:
            if current.cancelled is None:
                raise RefusedError(f"refused: {current.id} is not cancelled")
            expense = replace(current, cancelled=None)
            _check_links(pair, ship, expense.date, None, None)
            _refuse_shared_receipt(pair, expense)
        else:
            if current.cancelled is not None:
                raise RefusedError(
                    f"refused: {current.id} was cancelled on {current.cancelled.date} "
                    f"({current.cancelled.reason}); it cannot be cancelled again"
                )
            if not reason or not reason.strip():
                raise UsageError("--reason is needed: say why the expense is cancelled")
            expense = replace(current, cancelled=Cancellation(date=date, reason=reason))
        # only booking it again (--undo) can pass the headroom; `cancel` has no --over-cap
        budget = refuse_past_headroom(programme, ship, existing, expense, replaces=current.id,
                                      advice=UNDO_ADVICE)
        edit = edit_record(root, root / record.path, Expense, lambda _: expense,
                           dry_run=dry_run)
    number = receipt_number(prefix_of(ship, current.partner), current.receipt_no)
    return ExpenseEdit(edit, number, budget, [])


def _refuse_shared_receipt(pair: Pair, expense: Expense) -> None:
    """A cancelled expense's receipt may have gone on to prove its replacement; booking the
    cancelled one again would make one receipt prove two expenses."""
    if expense.receipt is None:
        return
    for other in pair.expenses:
        o = other.model
        if o.id == expense.id or not o.counts or o.receipt is None:
            continue
        if o.receipt.sha256 == expense.receipt.sha256 or o.receipt.path == expense.receipt.path:
            raise RefusedError(
                f"refused: the receipt of {expense.id} now proves {other.path}; one receipt "
                "proves one expense"
            )
