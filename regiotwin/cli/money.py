"""Money: expenses against the grant cap, budget status, the receipts list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from regiotwin.cli.base import (
    AMOUNT,
    DATE,
    EXPENSE,
    MEASURE,
    MEETING,
    PARTNER,
    ChoiceOne,
    VocabularyChoice,
    choose_pair,
    choose_pairs,
    command,
    current_state,
    draft_option,
    dry_run_option,
    exit_if_invalid,
    given,
    group,
    json_option,
    list_format_option,
    nothing_to_change,
    output_option,
    pair_option,
    plural,
    rel_path,
    screened,
    show_outcome,
    unset_fields,
    unset_option,
    write_output,
)
from regiotwin.cli.travel import print_travel, trip_from_options, trip_options, typed_trip
from regiotwin.vocabulary import CATEGORY

# --- expenses and budget ----------------------------------------------------------------------

@group()
def expense() -> None:
    """Project and travel costs, booked against each partner's grant cap."""


@expense.command("add")
@click.option("--partner", required=True, type=PARTNER, help="Who paid: partner id or name.")
@click.option("--date", type=DATE,
              help="Date of the expense (a trip: its first day, the default).")
@click.option("--amount", type=AMOUNT,
              help="Amount in EUR: 1400, 1400,50, 1.400,50 or 1400.50 (not 1.400); a trip "
                   "(--from, --to, …) is computed instead.")
@click.option("--category", required=True, type=VocabularyChoice(CATEGORY), help="Cost category.")
@click.option("--description", required=True, help="What it was for (the purpose).")
@click.option("--payee", help="Who was paid.")
@click.option("--receipt", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Scanned receipt; copied into the pair's receipts/ with its SHA-256.")
@click.option("--meeting", type=MEETING, help="The meeting it belongs to.")
@click.option("--measure", type=MEASURE, help="The measure it belongs to.")
@click.option("--over-cap", is_flag=True,
              help="Book it even past the headroom; what the grant does not pay is the "
                   "commune's own money.")
@click.option("--again", is_flag=True,
              help="Book it even though an expense with the same partner, date, amount, payee "
                   "and description exists (it really was paid twice).")
@trip_options
@pair_option
def expense_add(
    partner: str, date: dt.date | None, amount: Any, category: str, description: str,
    payee: str | None, receipt: Path | None, meeting: str | None, measure: str | None,
    over_cap: bool, again: bool, pair: str | None, **trip: Any,
) -> None:
    """Book an expense: expenses/<date>-<partner>-<slug>.yaml, with the partner's next
    Belegnummer (write it on the paper receipt; it never changes).

    Give the --amount, or for --category travel the trip instead: --from and --to, and
    --km, --meals, --nights, --hotel as they apply. The tool computes the
    Wegstreckenentschädigung, Tagegeld and Übernachtungsgeld under the partner's travel_law
    (default bund) with the rates valid on the trip's dates, books the total as one expense
    on the trip's first day, and stores the computation in the record (`check` recomputes
    it). `regiotwin travel compute` shows the same figures without booking.

    Refused when it is outside the partnership period, when it is more than the partner's
    headroom (unless --over-cap; the headroom is the one `budget status` shows), when its
    receipt already proves another expense, or when the same booking exists (unless --again).
    Prints the path, the Belegnummer, the computation of a trip and where the partner stands.

    \b
    Example, a day trip by car (130,00 € for the kilometres, at most, and 12,00 € Tagegeld):
      regiotwin expense add --partner landkreis-giessen --category travel --km 700
        --from "2016-09-14 07:00" --to 19:30 --description "Exkursion Schulen"
    """
    from regiotwin.expenses import book_expense
    from regiotwin.money import format_eur
    from regiotwin.terminal import echo

    workspace = current_state().workspace()
    pair_id = choose_pair(pair)
    booked = book_expense(
        workspace.root, workspace.programme(), pair_id, partner=partner, date=date,
        amount=amount, category=category, description=description, payee=payee,
        receipt=receipt, meeting=meeting, measure=measure, over_cap=over_cap, again=again,
        trip=typed_trip(trip),
    )
    b = booked.budget
    echo(rel_path(workspace, booked.path))
    echo(f"Belegnummer {booked.number}")
    if booked.expense.travel is not None:
        print_travel(booked.expense.travel, lead="in the Belegliste: ")
    echo(f"{b.partner_id}: spent {format_eur(b.total)}, grant {format_eur(b.grant)} of "
         f"{format_eur(b.cap)}, headroom {format_eur(b.headroom)}"
         + (f", own funds {format_eur(b.own_funds)}" if b.own_funds else ""))


@expense.command("list")
@click.option("--partner", type=PARTNER, help="Only this partner's expenses.")
@click.option("--category", type=VocabularyChoice(CATEGORY), help="Only this category.")
@draft_option
@pair_option
@list_format_option
def expense_list(partner: str | None, category: str | None, draft: bool, pair: str | None,
                 fmt: str) -> None:
    """List expenses as the Belegliste does: by partner, category, date and Belegnummer.

    `*` marks an expense booked even past the headroom (--over-cap), `x` a cancelled one. A
    priced trip shows its computation under the description. Where the long ids do not fit
    the terminal, the table leaves them out: the Belegnummer names an expense as well
    (`expense set GI-003`).

    A pair whose data fails `check` (errors) is listed as invalid with its error count and
    the command exits 1; --draft lists its expenses anyway, marked DRAFT.
    """
    from regiotwin.belegliste import rows_of
    from regiotwin.terminal import Column, echo, note, show_rows

    screening = screened(choose_pairs(pair))
    shown = screening.shown(draft)
    found = rows_of(screening.repo, shown, partner=partner, category=category)
    rows = [{**r.as_json(), "cancelled": r.cancelled.date if r.cancelled else None,
             "reason": r.cancelled.reason if r.cancelled else None,
             "mark": "x" if r.cancelled else "*" if r.over_cap else "",
             "has_receipt": "yes" if r.receipt else "",
             "purpose": "\n".join(filter(None, (r.description, r.computation)))}
            for r in found]
    drafted = [p for p in shown if screening.errors[p]]
    if drafted:  # above a table; on stderr where the output is for a program
        (echo if fmt == "table" else note)(
            f"DRAFT — the data has {plural(screening.error_count(drafted), 'error')}; these "
            "expenses are not to be relied on (see `regiotwin check`)")
    if fmt == "table":
        columns = [Column("no", "number", "label"), Column("date", kind="date"),
                   Column("partner", kind="id", optional=1), Column("category", kind="label"),
                   Column("amount", kind="money"), Column("", "mark", "label"),
                   Column("payee"), Column("description", "purpose"),
                   Column("receipt", "has_receipt", "label"),
                   Column("id", kind="id", optional=2)]
    else:
        columns = [Column("pair"), Column("no", "number"), Column("date"), Column("partner"),
                   Column("category"), Column("amount"), Column("own share", "own_share"),
                   Column("over cap", "over_cap"), Column("cancelled"), Column("reason"),
                   Column("payee"), Column("description"), Column("computation"),
                   Column("receipt"), Column("meeting"), Column("measure"), Column("id")]
    left_out = screening.left_out(draft)
    if rows or fmt != "table" or not left_out:
        show_rows(fmt, rows, columns, as_json=[r.as_json() for r in found])
    if fmt == "table":
        for p in left_out:
            echo(f"{p}: invalid, {plural(screening.error_count([p]), 'error')} — no "
                 "expenses listed (see `regiotwin check`)")
    exit_if_invalid(screening, draft)


EXPENSE_UNSET = ("payee", "meeting", "measure", "receipt")


@expense.command("set")
@click.argument("expense_id", type=EXPENSE)
@click.option("--date", type=DATE, help="Date of the expense (the id stays).")
@click.option("--amount", type=AMOUNT, help="The corrected amount in EUR.")
@click.option("--category", type=VocabularyChoice(CATEGORY), help="Cost category.")
@click.option("--description", help="What it was for (the id stays).")
@click.option("--payee", help="Who was paid.")
@click.option("--receipt", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Scanned receipt, copied into the pair's receipts/ with its SHA-256.")
@click.option("--meeting", type=MEETING, help="The meeting it belongs to.")
@click.option("--measure", type=MEASURE, help="The measure it belongs to.")
@click.option("--over-cap/--no-over-cap", "over_cap", default=None,
              help="Book it even past the headroom (what the grant does not pay is the "
                   "commune's own money), or no longer so.")
@unset_option(EXPENSE_UNSET)
@trip_options
@dry_run_option
@pair_option
def expense_set(
    expense_id: str, date: dt.date | None, amount: Any, category: str | None,
    description: str | None, payee: str | None, receipt: Path | None, meeting: str | None,
    measure: str | None, over_cap: bool | None, unset: tuple[str, ...], dry_run: bool,
    pair: str | None, **trip: Any,
) -> None:
    """Correct an expense (found by id, date, or Belegnummer such as GI-007): checked against
    the period and the partner's headroom exactly as `expense add` is. Its Belegnummer and
    partner never change (to move it to the other partner, cancel it and book it again); a
    cancelled expense is not changed.

    A trip priced by its travel-cost law is changed through its trip options (--from, --to,
    --km, --nights, …; each replaces the stored one, e.g. `--km 650`): it is priced again, and
    its amount, date and category follow. An expense booked by amount becomes a priced trip
    when --from and --to are given.
    """
    from regiotwin.expenses import change_expense
    from regiotwin.records import Changes

    changes = Changes(given(date=date, amount=amount, category=category,
                            description=description, payee=payee, meeting=meeting,
                            measure=measure, over_cap=over_cap), unset_fields(unset))
    journey = trip_from_options(trip)
    if not changes and receipt is None and not journey.given():
        raise nothing_to_change("--amount, --date, --category, --description, --payee, "
                                "--receipt, --meeting, --measure, --over-cap, --unset or a "
                                "trip option (--from, --to, --km, …)")
    workspace = current_state().workspace()
    done = change_expense(workspace.root, workspace.programme(), choose_pair(pair), expense_id,
                          changes, receipt=receipt, trip=journey, dry_run=dry_run)
    _show_expense_edit(done, dry_run)


@expense.command("cancel")
@click.argument("expense_id", type=EXPENSE)
@click.option("--reason", metavar="TEXT", help="Why it is cancelled (needed).")
@click.option("--date", type=DATE, help="Day of the cancellation (default: today).")
@click.option("--undo", is_flag=True,
              help="Book a cancelled expense again (checked against the headroom as a new "
                   "booking is).")
@dry_run_option
@pair_option
def expense_cancel(expense_id: str, reason: str | None, date: dt.date | None, undo: bool,
                   dry_run: bool, pair: str | None) -> None:
    """Cancel an expense (Storno): it keeps its file and its Belegnummer, is shown as
    cancelled in lists, the Belegliste and reports, and no longer counts anywhere."""
    from regiotwin.errors import UsageError
    from regiotwin.expenses import cancel_expense

    if undo and (reason or date):
        raise UsageError("--undo takes no --reason or --date")
    workspace = current_state().workspace()
    done = cancel_expense(workspace.root, workspace.programme(), choose_pair(pair), expense_id,
                          reason=reason, date=date or dt.date.today(), undo=undo,
                          dry_run=dry_run)
    _show_expense_edit(done, dry_run)


def _show_expense_edit(done: Any, dry_run: bool) -> None:
    from regiotwin.money import format_eur
    from regiotwin.terminal import note

    show_outcome([done.edit], done.notes, dry_run)
    if done.edit.written:
        b = done.budget
        note(f"Belegnummer {done.number}; {b.partner_id}: spent {format_eur(b.total)}, grant "
             f"{format_eur(b.grant)} of {format_eur(b.cap)}, headroom {format_eur(b.headroom)}"
             + (f", own funds {format_eur(b.own_funds)}" if b.own_funds else ""))


@group()
def budget() -> None:
    """Spending against the grant caps."""


@budget.command("status")
@click.option("--as-of", type=DATE, help="Count expenses up to this date (default: all).")
@draft_option
@pair_option
@json_option
def budget_status(as_of: dt.date | None, draft: bool, pair: str | None, as_json: bool) -> None:
    """Per partner: cap, spent by category, grant, own funds, remaining, headroom, % used.

    \b
    grant      min(total × funding rate, cap), rounded half-up to the cent
    own funds  total − grant
    remaining  cap − grant: grant money not yet used
    headroom   fundable limit − unmarked expenses, where the fundable limit is
               cap ÷ funding rate (rounded up); `expense add` books an expense
               without --over-cap up to exactly this amount
    used       grant ÷ cap, rounded down to 0.1 % (100,0 % only when nothing remains)

    \b
    The mark of a row, the strongest that applies:
    over limit  the unmarked expenses pass the fundable limit (a `check` error;
                shown only in a --draft)
    over cap    spending beyond what the grant pays: the excess is own funds and
                nothing remains (used is 100,0 %)
    ≥ 90 %      90 % or more of the grant is used

    A pair whose data fails `check` (errors) is listed as invalid with its error count and
    the command exits 1; --draft shows it anyway, marked DRAFT.
    """
    from regiotwin.budget import OVER_CAP, OVER_LIMIT, pair_budgets
    from regiotwin.money import format_eur
    from regiotwin.terminal import Column, Styled, echo, print_json, table

    screening = screened(choose_pairs(pair), warnings=False)
    shown = screening.shown(draft)
    budgets = pair_budgets(screening.repo, shown, as_of)
    left_out = screening.left_out(draft)
    if as_json:
        print_json({
            "as_of": as_of,
            "pairs": [{**b.as_json(), "errors": screening.error_count([b.pair_id])}
                      for b in budgets],
            "invalid": [{"pair": p, "errors": screening.error_count([p])} for p in left_out],
        })
        exit_if_invalid(screening, draft)
        return
    drafted = [p for p in shown if screening.errors[p]]
    if drafted:
        echo(f"DRAFT — the data has {plural(screening.error_count(drafted), 'error')}; "
             "these figures are not to be signed (see `regiotwin check`)")
    styles = {OVER_LIMIT: "bold red", OVER_CAP: "red"}
    for b in budgets:
        rows: list[list[Any]] = [
            [p.name, format_eur(p.cap), format_eur(p.spent_on("project")),
             format_eur(p.spent_on("travel")), format_eur(p.total),
             format_eur(p.grant), format_eur(p.own_funds), format_eur(p.remaining),
             format_eur(p.headroom), f"{p.percent_used} %".replace(".", ","),
             Styled(p.mark, styles.get(p.mark, "yellow"))]
            for p in b.partners
        ]
        totals = b.totals()
        rows.append(["Summe", *(format_eur(totals[key]) for key in (
            "cap", "project", "travel", "total", "grant", "own_funds", "remaining", "headroom")),
            "", ""])
        money = ["cap", "project", "travel", "total", "grant", "own funds", "remaining",
                 "headroom", "used"]
        errors = screening.error_count([b.pair_id])
        title = f"{b.title} ({b.pair_id})" + (
            f" — DRAFT, {plural(errors, 'error')}" if errors else "")
        # too wide for the terminal: the partners side by side, a row per figure
        turned = [Column("", kind="label"), *(Column(str(row[0]), kind="figure") for row in rows)]
        across = [[label, *(row[i] for row in rows)]
                  for i, label in enumerate([*money, "mark"], 1)]
        table(["partner", *money, ""], rows, title=title, right=money,
              turned=(turned, [line for line in across if any(line[1:])]))
    for p in left_out:
        echo(f"{p}: invalid, {plural(screening.error_count([p]), 'error')} — no figures "
             "(see `regiotwin check`)")
    exit_if_invalid(screening, draft)


@command("expenses")
@output_option
@click.option("--format", "fmt", type=ChoiceOne(("excel", "rfc4180")), default="excel",
              show_default=True,
              help="excel: UTF-8 with BOM, ';', 1234,56 and TT.MM.JJJJ for a German Excel, "
                   "formulas neutralised; rfc4180: plain CSV with ',', 1234.56 and ISO dates, "
                   "the data unchanged.")
@draft_option
@pair_option
def export_expenses(output: str | None, fmt: str, draft: bool, pair: str | None) -> None:
    """The receipts list (Belegliste): every expense by pair, partner, category, date and
    Belegnummer, with its own-funds share; cancelled expenses keep their row and number.

    Pairs whose data fails `check` are left out (exit 1) unless --draft, which puts
    "ENTWURF — die Daten enthalten N Fehler" on the first line. A list that leaves a pair out
    says so on a line of its own above the header: "UNVOLLSTÄNDIG — nicht enthalten: <pair>
    (N Fehler)".
    """
    from regiotwin.belegliste import rows_of, to_csv
    from regiotwin.checks import draft_banner, incomplete_banner
    from regiotwin.terminal import note

    screening = screened(choose_pairs(pair), warnings=False)
    shown = screening.shown(draft)
    if shown:
        drafted = [p for p in shown if screening.errors[p]]
        banner = draft_banner(screening.error_count(drafted)) if drafted else None
        text = to_csv(rows_of(screening.repo, shown), fmt, banner,
                      incomplete_banner(screening, draft))
        if write_output(output, text):
            note(f"wrote {output}")
    exit_if_invalid(screening, draft)
