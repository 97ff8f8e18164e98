"""Money: expenses against the grant cap, budget status, the receipts list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from regiotwin.cli.base import (
    AMOUNT,
    DATE,
    ChoiceOne,
    VocabularyChoice,
    choose_pair,
    choose_pairs,
    cli,
    current_state,
    export,
    json_option,
    load_valid,
    output_option,
    pair_option,
    rel_path,
    write_output,
)
from regiotwin.vocabulary import CATEGORY

# --- expenses and budget ----------------------------------------------------------------------

@cli.group()
def expense() -> None:
    """Project and travel costs, booked against each partner's grant cap."""


@expense.command("add")
@click.option("--partner", required=True, metavar="PARTNER", help="Who paid: partner id or name.")
@click.option("--date", required=True, type=DATE, help="Date of the expense.")
@click.option("--amount", required=True, type=AMOUNT,
              help="Amount in EUR: 1400, 1400,50, 1.400,50 or 1400.50 (not 1.400).")
@click.option("--category", required=True, type=VocabularyChoice(CATEGORY), help="Cost category.")
@click.option("--description", required=True, help="What it was for (the purpose).")
@click.option("--payee", help="Who was paid.")
@click.option("--receipt", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Scanned receipt; copied into the pair's receipts/ with its SHA-256.")
@click.option("--meeting", metavar="ID", help="The meeting it belongs to.")
@click.option("--measure", metavar="ID", help="The measure it belongs to.")
@click.option("--over-cap", is_flag=True,
              help="Record it even past the cap; the excess is the commune's own money.")
@pair_option
def expense_add(
    partner: str, date: dt.date, amount: Any, category: str, description: str,
    payee: str | None, receipt: Path | None, meeting: str | None, measure: str | None,
    over_cap: bool, pair: str | None,
) -> None:
    """Book an expense: expenses/<date>-<partner>-<slug>.yaml.

    Refused when it is outside the partnership period or would take the partner past its
    grant cap (unless --over-cap). Prints the path and the partner's remaining budget.
    """
    from regiotwin.expenses import book_expense
    from regiotwin.money import format_eur
    from regiotwin.terminal import echo

    workspace = current_state().workspace()
    pair_id = choose_pair(pair)
    booked = book_expense(
        workspace.root, workspace.programme(), pair_id, partner=partner, date=date,
        amount=amount, category=category, description=description, payee=payee,
        receipt=receipt, meeting=meeting, measure=measure, over_cap=over_cap,
    )
    echo(rel_path(workspace, booked.path))
    left = booked.remaining
    echo(f"{booked.expense.partner}: spent {format_eur(booked.spent)} of {format_eur(booked.cap)}"
         + (f", remaining {format_eur(left)}" if left >= 0
            else f", {format_eur(-left)} over the cap (own funds)"))


@expense.command("list")
@click.option("--partner", metavar="PARTNER", help="Only this partner's expenses.")
@click.option("--category", type=VocabularyChoice(CATEGORY), help="Only this category.")
@pair_option
@json_option
def expense_list(partner: str | None, category: str | None, pair: str | None,
                 as_json: bool) -> None:
    """List expenses by partner and category, in date order."""
    from regiotwin.expenses import expense_rows
    from regiotwin.money import format_eur
    from regiotwin.terminal import print_json, table

    workspace = current_state().workspace()
    repo = load_valid(workspace)
    rows = expense_rows(repo, choose_pairs(pair), partner, category)
    if as_json:
        print_json(rows)
        return
    table(["no", "date", "partner", "category", "amount", "payee", "description", "receipt",
           "id"],
          ([r["number"], r["date"], r["partner"], r["category"],
            format_eur(r["amount"]) + (" *" if r["over_cap"] else ""), r["payee"],
            r["description"], r["receipt"], r["id"]] for r in rows),
          right=["no", "amount"])


@cli.group()
def budget() -> None:
    """Spending against the grant caps."""


@budget.command("status")
@click.option("--as-of", type=DATE, help="Count expenses up to this date (default: all).")
@pair_option
@json_option
def budget_status(as_of: dt.date | None, pair: str | None, as_json: bool) -> None:
    """Per partner: cap, spent by category, grant, own funds, remaining, % used."""
    from rich.text import Text

    from regiotwin.budget import pair_budget
    from regiotwin.money import format_eur
    from regiotwin.terminal import print_json, table

    workspace = current_state().workspace()
    programme = workspace.programme()
    budgets = []
    for loaded, ship in workspace.load_pairs(choose_pairs(pair), kinds=("expenses",)):
        budgets.append(pair_budget(programme, ship, (e.model for e in loaded.expenses), as_of))
    if as_json:
        print_json({"as_of": as_of, "pairs": [b.as_json() for b in budgets]})
        return
    for b in budgets:
        rows: list[list[Any]] = [
            [p.name, format_eur(p.cap), format_eur(p.spent_on("project")),
             format_eur(p.spent_on("travel")), format_eur(p.total),
             format_eur(p.grant), format_eur(p.own_funds), format_eur(p.remaining),
             f"{p.percent_used} %".replace(".", ","),
             Text(p.flag, style="bold red" if p.over_cap else "yellow")]
            for p in b.partners
        ]
        rows.append(["Summe", format_eur(b.sum("cap")), format_eur(b.category("project")),
                     format_eur(b.category("travel")), format_eur(b.sum("total")),
                     format_eur(b.sum("grant")), format_eur(b.sum("own_funds")),
                     format_eur(b.sum("remaining")), "", ""])
        money = ["cap", "project", "travel", "total", "grant", "own funds", "remaining", "used"]
        table(["partner", *money, ""], rows, title=f"{b.title} ({b.pair_id})", right=money)


@export.command("expenses")
@output_option
@click.option("--format", "fmt", type=ChoiceOne(("excel", "rfc4180")), default="excel",
              show_default=True,
              help="excel: UTF-8 with BOM, ';', 1234,56 and TT.MM.JJJJ for a German Excel; "
                   "rfc4180: plain CSV with ',', 1234.56 and ISO dates.")
@pair_option
def export_expenses(output: str | None, fmt: str, pair: str | None) -> None:
    """The receipts list (Belegliste): every expense, by partner and category, in date order."""
    from regiotwin.expenses import belegliste, expense_rows
    from regiotwin.terminal import note

    workspace = current_state().workspace()
    text = belegliste(expense_rows(load_valid(workspace), choose_pairs(pair)), fmt)
    if write_output(output, text):
        note(f"wrote {output}")


