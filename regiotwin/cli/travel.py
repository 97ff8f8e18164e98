"""Travel costs: the rate tables in force, and what a trip earns under a travel-cost law."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from regiotwin.cli.base import DATE, current_state, group, json_option, plural

if TYPE_CHECKING:
    from regiotwin.models import Travel
    from regiotwin.travel import LawOnDay, RateBook, RateTable, TripOptions


def trip_options(func: Any) -> Any:
    """The options that describe a trip (`expense add --category travel` takes them too)."""
    options = [
        click.option("--from", "start", metavar='"YYYY-MM-DD HH:MM"',
                     help="When the trip began (leaving home or the office); also "
                          '"14.09.2016 7.30" or "14.09.2016 7:30 Uhr".'),
        click.option("--to", "end", metavar='"YYYY-MM-DD HH:MM"',
                     help="When it ended; a time alone (19:30, 19.30) means the day it began."),
        click.option("--km", metavar="N", help="Kilometres driven in a private car."),
        click.option("--car-reason", metavar="TEXT",
                     help="Why the car was needed, recorded before the trip: the higher rate "
                          "(BRKG: erhebliches dienstliches Interesse; HRKG: triftige Gründe)."),
        click.option("--meals", multiple=True, metavar="MEALS",
                     help="Meals provided free: breakfast,lunch,dinner (Frühstück, Mittagessen, "
                          "Abendessen); on a trip of several days DATE:MEALS, repeated."),
        click.option("--nights", metavar="N",
                     help="Nights spent away (0 for a trip over midnight without a stay)."),
        click.option("--hotel", metavar="AMOUNT",
                     help="The lodging bill for all nights (else the flat rate per night)."),
        click.option("--lodging-provided", is_flag=True,
                     help="The lodging was provided free: no Übernachtungsgeld."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def typed_trip(values: dict[str, Any]) -> TripOptions | None:
    """The trip options of a command's keyword arguments, or None when none was typed (click
    gives an option left out as None, `--meals` as (), the flag as False): a booking without
    a trip does not import the travel rules."""
    if all(value in (None, (), False) for value in values.values()):
        return None
    return trip_from_options(values)


def trip_from_options(values: dict[str, Any]) -> TripOptions:
    """The trip options of a command's keyword arguments."""
    from regiotwin.travel import TripOptions

    return TripOptions(
        start=values.get("start"), end=values.get("end"), km=values.get("km"),
        car_reason=values.get("car_reason"), meals=tuple(values.get("meals") or ()),
        nights=values.get("nights"), hotel=values.get("hotel"),
        lodging_provided=bool(values.get("lodging_provided")),
    )


def rate_book() -> RateBook:
    """The built-in laws, plus the data repository's own when there is one."""
    from regiotwin.travel import load_rate_book

    return load_rate_book(_root_or_none())


def _root_or_none() -> Path | None:
    """The data repository's root, or None outside one: the rates can be read anywhere."""
    from regiotwin.loader import find_root

    state = current_state()
    if state.directory or os.environ.get("REGIOTWIN_DIR"):
        return state.workspace().root
    return find_root(Path.cwd())


@group()
def travel() -> None:
    """Travel costs by the law: Wegstreckenentschädigung, Tagegeld, Übernachtungsgeld."""


@travel.command("rates")
@click.option("--law", metavar="LAW", help="Only this law (default: every known law).")
@click.option("--on", "on", type=DATE, help="The rates in force on this day (default: today).")
@json_option
def travel_rates(law: str | None, on: dt.date | None, as_json: bool) -> None:
    """Print the travel-cost rates in force, with their sources.

    The laws are the built-in ones (bund, hessen) and those of the data repository's
    travel-rates/ folder.
    """
    from regiotwin.terminal import echo, print_json
    from regiotwin.travel import tables_on

    day = on or dt.date.today()
    found = tables_on(rate_book(), day, law)
    if as_json:
        print_json({"on": day, "laws": [_table_json(entry) for entry in found]})
        return
    for entry in found:
        if entry.table is None:
            echo(entry.missing)
        else:
            _print_table(entry.origin, entry.table)


def _table_json(entry: LawOnDay) -> dict[str, Any]:
    from regiotwin.models import dump

    law, table = entry.law, entry.table
    data: dict[str, Any] = {"law": law.law, "name": law.name, "origin": entry.origin,
                            "in_force": table is not None, "begins": law.begins()}
    if table is not None:
        data["valid_from"] = table.valid_from
        data["valid_until"] = table.valid_until
        for section in ("mileage", "per_diem", "lodging"):
            rates = getattr(table, section)
            data[section] = dump(rates, exclude_none=True) if rates else None
    return data


def _print_table(origin: str, table: RateTable) -> None:
    from regiotwin.money import format_eur
    from regiotwin.terminal import echo
    from regiotwin.terminal import table as show

    law = table.law
    until = f", until {table.valid_until}" if table.valid_until else ""
    rows: list[list[Any]] = []
    m = table.mileage
    if m is None:
        rows.append(["Wegstreckenentschädigung", "no rates in this table", "", ""])
    else:
        cap = f", at most {format_eur(m.cap)} per trip" if m.cap else ""
        rows.append(["Wegstreckenentschädigung", f"{format_eur(m.rate)} per km{cap}",
                     m.valid_from, m.source])
        if m.higher_rate:
            cap = f", at most {format_eur(m.higher_cap)} per trip" if m.higher_cap else ""
            rows.append([f"  with {m.higher_reason}", f"{format_eur(m.higher_rate)} per km{cap}",
                         m.valid_from, m.source])
    p = table.per_diem
    if p is None:
        rows.append(["Tagegeld", "no rates in this table", "", ""])
    else:
        rows.append([f"Tagegeld, more than {p.more_than_hours} h away, or the first or last "
                     "day of a stay", format_eur(p.partial), p.valid_from, p.source])
        rows.append(["Tagegeld, a full day (24 h away)", format_eur(p.full), p.valid_from,
                     p.source])
        shares = p.meals_percent
        rows.append(["  less for meals provided (of the full day)",
                     f"breakfast {shares.breakfast} %, lunch {shares.lunch} %, "
                     f"dinner {shares.dinner} %", p.valid_from, p.source])
    lodging = table.lodging
    if lodging is None:
        rows.append(["Übernachtungsgeld", "no rates in this table", "", ""])
    else:
        rows.append(["Übernachtungsgeld without a receipt", f"{format_eur(lodging.flat)} a night",
                     lodging.valid_from, lodging.source])
        rows.append(["  a hotel bill, without justification",
                     f"up to {format_eur(lodging.hotel_max)} a night", lodging.valid_from,
                     lodging.source])
    show(["rule", "rate", "since", "source"], rows,
         title=f"{law}: {law.name}, on {table.on} (the table since {table.valid_from}{until})"
               + ("" if origin == "built-in" else f" ({origin})"))
    if law.note:
        echo(f"  {law.law}: {law.note}")


@travel.command("compute")
@click.option("--law", default="bund", show_default=True, metavar="LAW",
              help="The travel-cost law (a partner's travel_law).")
@trip_options
@json_option
def travel_compute(law: str, as_json: bool, **trip: Any) -> None:
    """What a trip earns under a law, part by part, without booking it.

    Example: regiotwin travel compute --km 700 --from "2016-09-14 07:00" --to 19:30
    """
    from regiotwin.models import dump
    from regiotwin.terminal import print_json
    from regiotwin.travel import describe, price_trip

    priced = price_trip(trip_from_options(trip), law, _root_or_none())
    if as_json:
        print_json({**dump(priced, mode="json", exclude_none=True),
                    "description": describe(priced)})
        return
    print_travel(priced)


def print_travel(priced: Travel, lead: str = "") -> None:
    """A computation part by part, and (after *lead*) the line the Belegliste shows of it."""
    from regiotwin.money import format_eur
    from regiotwin.terminal import echo, table
    from regiotwin.travel import describe

    rows: list[list[Any]] = []
    if priced.mileage is not None:
        m = priced.mileage
        cap = f", at most {format_eur(m.cap)}" if m.cap else ""
        rows.append(["Wegstreckenentschädigung", f"{priced.inputs.km} km × "
                     f"{format_eur(m.rate)}{cap}", format_eur(m.amount)])
    for day in priced.per_diem:
        less = f", less {format_eur(day.deduction)} for meals" if day.deduction is not None else ""
        rows.append([f"Tagegeld {day.date}", f"{day.hours} h away: {format_eur(day.rate)}{less}",
                     format_eur(day.amount)])
    if priced.lodging is not None:
        lodging = priced.lodging
        basis = (f"{plural(lodging.nights, 'night')}, flat {format_eur(lodging.flat)}"
                 if lodging.hotel is None else
                 f"{plural(lodging.nights, 'night')}, bill {format_eur(lodging.hotel)}, limit "
                 f"{format_eur(lodging.limit or lodging.flat)}")
        rows.append(["Übernachtungsgeld", basis, format_eur(lodging.amount)])
    rows.append(["total", "", format_eur(priced.total)])
    table(["part", "basis", "amount"], rows, right=["amount"],
          title=f"under {priced.law}, the rates since {priced.rates_from}")
    echo(lead + describe(priced))
