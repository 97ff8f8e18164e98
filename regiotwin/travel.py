"""Travel costs by the book: Wegstreckenentschädigung, Tagegeld and Übernachtungsgeld.

The rates are data: one YAML file per travel-cost law, with dated entries and their sources
(`regiotwin/travel_rates/`, plus the laws a data repository adds in `travel-rates/`). The rules
that apply them are here, pure and in Decimal: a trip's inputs and a law give a `Travel` (the
computation an expense stores), which `travel_problems` can later check against its inputs.
The shapes (`TravelInputs`, `Travel`, its parts) live in regiotwin/models.py with the records.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from regiotwin.dates import DateError, parse_date, parse_time
from regiotwin.english import plural
from regiotwin.errors import (
    DataError,
    Finding,
    OptionValueError,
    RefusedError,
    RegiotwinError,
    UsageError,
)
from regiotwin.loader import RATES_DIR, validate
from regiotwin.models import (
    Date,
    Id,
    LodgingPart,
    MileagePart,
    NonEmptyText,
    Partner,
    PerDiemDay,
    PositiveMoney,
    Record,
    Text,
    Travel,
    TravelInputs,
    bounds,
    check,
    dump,
    format_trip_time,
    parse_trip_time,
    trip_days,
)
from regiotwin.money import ZERO, AmountError, format_eur, parse_amount, plain, round_cents
from regiotwin.vocabulary import MEAL

DEFAULT_LAW = "bund"  # SPEC §3: a partner without `travel_law` travels under the BRKG
BUILTIN_DIR = Path(__file__).with_name("travel_rates")


class TravelError(RefusedError):
    """A trip the rate tables cannot price (unknown law, no table for the date, …)."""


class NoRatesError(TravelError):
    """The law has no rates for the day: refused, never guessed."""


class TripInputError(RefusedError):
    """Trip options that do not fit together (a trip without its end, an end before its
    start); the message names the options. A single option that cannot be read is an
    OptionValueError."""


# --- the rate tables (data) -------------------------------------------------------------------

Rate = PositiveMoney
Percent = Annotated[int, bounds(ge=0, le=100)]
Section = Literal["mileage", "per_diem", "lodging"]

SECTION_DE: dict[Section, str] = {
    "mileage": "Wegstreckenentschädigung",
    "per_diem": "Tagegeld",
    "lodging": "Übernachtungsgeld",
}


@dataclass(kw_only=True, slots=True)
class _Entry(Record):
    """Rates of one rule from a date on, until the next entry of the same rule begins."""

    valid_from: Date
    source: NonEmptyText  # the paragraph that sets these rates


@dataclass(kw_only=True, slots=True)
class MileageRates(_Entry):
    rate: Rate  # per km
    cap: Rate | None = None  # per trip
    higher_rate: Rate | None = None  # with a recorded reason for the car
    higher_cap: Rate | None = None
    higher_reason: NonEmptyText | None = None  # what the law calls that reason

    @check(mode="after")
    def _check_higher(self) -> MileageRates:
        if (self.higher_rate is None) != (self.higher_reason is None):
            raise ValueError("higher_rate and higher_reason go together: give both or neither")
        if self.higher_cap is not None and self.higher_rate is None:
            raise ValueError("higher_cap needs a higher_rate")
        return self


@dataclass(kw_only=True, slots=True)
class MealShares(Record):
    """What a meal provided withholds, in per cent of the full-day Tagegeld."""

    breakfast: Percent
    lunch: Percent
    dinner: Percent


@dataclass(kw_only=True, slots=True)
class PerDiemRates(_Entry):
    partial: Rate  # more than `more_than_hours` away, or the first or last day of a stay
    full: Rate  # a calendar day of 24 hours away
    more_than_hours: Annotated[int, bounds(ge=0, le=23)] = 8
    meals_percent: MealShares


@dataclass(kw_only=True, slots=True)
class LodgingRates(_Entry):
    flat: Rate  # per night without a receipt
    hotel_max: Rate  # per night, what a bill may reach without justification


E = TypeVar("E", bound=_Entry)


@dataclass(kw_only=True, slots=True)
class Law(Record):
    """One travel-cost law: `<law>.yaml`, its rules each as a list of dated entries."""

    law: Id
    name: NonEmptyText
    note: Text | None = None
    mileage: list[MileageRates] = field(default_factory=list)
    per_diem: list[PerDiemRates] = field(default_factory=list)
    lodging: list[LodgingRates] = field(default_factory=list)

    @check("mileage", "per_diem", "lodging")
    @classmethod
    def _check_order(cls, entries: list[E]) -> list[E]:
        for before, after in zip(entries, entries[1:]):
            if after.valid_from <= before.valid_from:
                raise ValueError(
                    f"the entries must run in date order, each from a later date "
                    f"({after.valid_from} follows {before.valid_from})"
                )
        return entries

    @check(mode="after")
    def _check_not_empty(self) -> Law:
        if not (self.mileage or self.per_diem or self.lodging):
            raise ValueError("a law needs at least one entry of mileage, per_diem or lodging")
        return self

    def entries(self, section: Section) -> list[Any]:
        return list(getattr(self, section))

    def entry(self, section: Section, on: dt.date) -> Any:
        """The entry of *section* in force on *on*, or None."""
        found = None
        for entry in self.entries(section):
            if entry.valid_from > on:
                break
            found = entry
        return found

    def begins(self) -> dt.date:
        return min(e.valid_from for s in SECTION_DE for e in self.entries(s))

    def __str__(self) -> str:
        return self.law


@dataclass(frozen=True)
class RateTable:
    """The rates of one law in force on one day: each rule's entry, or None where it has none."""

    law: Law
    on: dt.date
    mileage: MileageRates | None
    per_diem: PerDiemRates | None
    lodging: LodgingRates | None

    @property
    def valid_from(self) -> dt.date:
        """Since when this combination of rates holds: the latest entry that is in force."""
        return max(e.valid_from for e in (self.mileage, self.per_diem, self.lodging) if e)

    @property
    def valid_until(self) -> dt.date | None:
        """The last day before any rule of the law changes again (None: no change known)."""
        later = [e.valid_from for s in SECTION_DE for e in self.law.entries(s)
                 if e.valid_from > self.on]
        return min(later) - dt.timedelta(days=1) if later else None


@dataclass(frozen=True)
class RateBook:
    """Every law known here: the built-in ones and those of the data repository."""

    laws: dict[str, Law]
    origins: dict[str, str]  # law → "built-in" or its file, relative to the root

    def law(self, name: str) -> Law:
        try:
            return self.laws[name]
        except KeyError:
            raise TravelError(f"unknown travel-cost law {name!r}; known laws: {self.known()}") \
                from None

    def known(self) -> str:
        return ", ".join(f"{law.law} ({law.name})" for law in self.laws.values())

    def table(self, name: str, on: dt.date) -> RateTable:
        """The table of law *name* in force on *on*; refused when it has no rates for the day."""
        law = self.law(name)
        table = RateTable(law, on, law.entry("mileage", on), law.entry("per_diem", on),
                          law.entry("lodging", on))
        if not (table.mileage or table.per_diem or table.lodging):
            raise NoRatesError(
                f"{law} has no rates in force on {on}: its tables begin on {law.begins()}"
            )
        return table


@dataclass(frozen=True)
class LawOnDay:
    """What `travel rates` shows of one law: its table on the day, or why it has none."""

    law: Law
    origin: str
    table: RateTable | None
    missing: str = ""


def tables_on(book: RateBook, day: dt.date, law: str | None = None) -> list[LawOnDay]:
    """The table of every law (or of *law*, refused when it has none) in force on *day*."""
    result = []
    for name in [book.law(law).law] if law else list(book.laws):
        try:
            result.append(LawOnDay(book.laws[name], book.origins[name], book.table(name, day)))
        except NoRatesError as exc:
            if law:
                raise
            result.append(LawOnDay(book.laws[name], book.origins[name], None, exc.message))
    return result


def _read_law(path: Path, rel: str, findings: list[Finding]) -> tuple[Law | None, int]:
    """The law of one file and the line of its `law:` key (for findings about the name)."""
    from regiotwin.yamlio import YamlError, read_yaml

    try:
        doc = read_yaml(path)
    except YamlError as exc:
        findings.append(Finding(rel, exc.line, "error", exc.message, code="yaml"))
        return None, 1
    law, problems = validate(Law, doc, rel)
    findings.extend(problems)
    line = doc.line_of(("law",))
    if law is not None and law.law != path.stem:
        findings.append(Finding(rel, line, "error",
                                f"the law {law.law!r} must be in a file named {law.law}.yaml",
                                code="travel-law-name"))
        return None, line
    return law, line


def _law_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("."))


@functools.lru_cache(maxsize=1)
def builtin_laws() -> dict[str, Law]:
    """The laws shipped with regiotwin (read once per process; tested to be valid)."""
    findings: list[Finding] = []
    laws = {}
    for path in _law_files(BUILTIN_DIR):
        law, _ = _read_law(path, f"regiotwin/travel_rates/{path.name}", findings)
        if law is not None:
            laws[law.law] = law
    if findings:  # pragma: no cover - the shipped tables are tested
        raise AssertionError("invalid built-in rate tables: " + "; ".join(map(str, findings)))
    return laws


def read_rate_book(root: Path | None) -> tuple[RateBook, list[Finding]]:
    """The built-in laws plus the repository's `travel-rates/<law>.yaml`, and their findings.

    A repository may add laws (a Land the tool does not ship) but not replace a built-in one:
    `bund` must mean the same figures in every repository a finance office reads.
    """
    laws = dict(builtin_laws())
    origins = {name: "built-in" for name in laws}
    findings: list[Finding] = []
    for path in _law_files(root / RATES_DIR) if root is not None else ():
        rel = f"{RATES_DIR}/{path.name}"
        law, line = _read_law(path, rel, findings)
        if law is None:
            continue
        if law.law in origins:
            findings.append(Finding(
                rel, line, "error",
                f"{law.law!r} is a built-in law and cannot be replaced; give your table "
                f"another name (e.g. {law.law}-local) and set the partners' travel_law to it",
                code="travel-law-builtin"))
            continue
        laws[law.law] = law
        origins[law.law] = rel
    return RateBook(laws, origins), findings


def load_rate_book(root: Path | None) -> RateBook:
    """The rate book for a command; invalid rate files stop it with their findings."""
    book, findings = read_rate_book(root)
    if findings:
        raise DataError(f"{plural(len(findings), 'problem')} in the travel-rate tables", findings)
    return book


def law_of(partner: Partner) -> str:
    return partner.travel_law or DEFAULT_LAW


# --- the rules ------------------------------------------------------------------------------


def _in_force(law: Law, section: Section, on: dt.date) -> Any:
    entry = law.entry(section, on)
    if entry is None:
        entries = law.entries(section)
        why = (f"its {SECTION_DE[section]} rates begin on {entries[0].valid_from}" if entries
               else f"its table has no {SECTION_DE[section]} rates")
        raise NoRatesError(f"{law} has no {SECTION_DE[section]} rates for {on}: {why}")
    return entry


def _mileage(inputs: TravelInputs, law: Law) -> MileagePart | None:
    """§ 5 BRKG: per km, capped per trip; the rates of the day the trip began."""
    if inputs.km is None:
        return None
    rates: MileageRates = _in_force(law, "mileage", inputs.start.date())
    if inputs.car_reason is None:
        rate, cap = rates.rate, rates.cap
    elif rates.higher_rate is None:
        raise TravelError(f"{law} has no higher rate per km; leave out the reason for the car")
    else:
        rate, cap = rates.higher_rate, rates.higher_cap
    amount = round_cents(inputs.km * rate)
    if cap is not None:
        amount = min(amount, cap)
    return MileagePart(rate=rate, cap=cap, amount=amount)


def _minutes_away(inputs: TravelInputs) -> list[tuple[dt.date, int]]:
    result = []
    for day in trip_days(inputs.start, inputs.end):
        begin = max(inputs.start, dt.datetime.combine(day, dt.time()))
        end = min(inputs.end, dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
        result.append((day, int((end - begin).total_seconds()) // 60))
    return result


def _day_kinds(inputs: TravelInputs, away: list[tuple[dt.date, int]],
               rates: list[PerDiemRates]) -> list[str]:
    """Which rate each day earns (§ 9 Abs. 4a Satz 3 EStG): `full`, `partial` or `none`."""
    full_day = 24 * 60

    def more_than(minutes: int, i: int) -> bool:  # "more than 8 hours": 8:00 is not enough
        return minutes > rates[i].more_than_hours * 60

    if len(away) == 1:
        minutes = away[0][1]
        return ["full" if minutes == full_day else "partial" if more_than(minutes, 0) else "none"]
    if len(away) == 2 and inputs.nights == 0:
        # away over midnight without an overnight stay (Nr. 3, second half): the whole absence
        # counts for the day with its larger part (the first day on a tie)
        if all(m < full_day for _, m in away):
            larger = 0 if away[0][1] >= away[1][1] else 1
            kinds = ["none", "none"]
            if more_than(away[0][1] + away[1][1], larger):
                kinds[larger] = "partial"
            return kinds
        # from 0:00: a day of 24 hours is a full day (Nr. 1), the other one stands alone
        return ["full" if m == full_day else "partial" if more_than(m, i) else "none"
                for i, (_, m) in enumerate(away)]
    # a trip with nights away: its first and last days earn the partial rate whatever their
    # hours (unless one is a whole day away, from 0:00), the days between are full days
    kinds = ["partial"] + ["full"] * (len(away) - 2) + ["partial"]
    return ["full" if m == full_day else kind for kind, (_, m) in zip(kinds, away)]


def _per_diem(inputs: TravelInputs, law: Law) -> list[PerDiemDay]:
    """§ 6 BRKG: the Tagegeld of each calendar day, by that day's rates, less meals provided."""
    away = _minutes_away(inputs)
    rates: list[PerDiemRates] = [_in_force(law, "per_diem", day) for day, _ in away]
    meals = inputs.meals or {}
    days = []
    for (day, minutes), kind, entry in zip(away, _day_kinds(inputs, away, rates), rates):
        rate = {"full": entry.full, "partial": entry.partial, "none": ZERO}[kind]
        deduction = None
        if day in meals:
            shares = sum(getattr(entry.meals_percent, meal) for meal in meals[day])
            deduction = min(round_cents(entry.full * shares / 100), rate)
        days.append(PerDiemDay(
            date=day, hours=f"{minutes // 60}:{minutes % 60:02d}", rate=rate,
            deduction=deduction, amount=rate - (deduction or ZERO),
        ))
    return days


def _lodging(inputs: TravelInputs, law: Law) -> LodgingPart | None:
    """§ 7 BRKG: the flat rate per night, or a hotel bill up to the limit per night (never less
    than the flat rate); each night by the rates of its evening; free lodging earns nothing."""
    if not inputs.nights or inputs.lodging_provided:
        return None
    evenings = [inputs.start.date() + dt.timedelta(days=i) for i in range(inputs.nights)]
    rates: list[LodgingRates] = [_in_force(law, "lodging", day) for day in evenings]
    flat = sum((r.flat for r in rates), ZERO)
    if inputs.hotel is None:
        return LodgingPart(nights=inputs.nights, flat=flat, amount=flat)
    limit = sum((r.hotel_max for r in rates), ZERO)
    amount = max(flat, min(inputs.hotel, limit))
    return LodgingPart(nights=inputs.nights, flat=flat, hotel=inputs.hotel, limit=limit,
                       amount=amount)


def compute(inputs: TravelInputs, law: str, book: RateBook) -> Travel:
    """Price a trip under *law*, each part by the rates valid on its dates."""
    try:
        table = book.table(law, inputs.start.date())
        rules = table.law
        mileage = _mileage(inputs, rules)
        per_diem = _per_diem(inputs, rules)
        lodging = _lodging(inputs, rules)
    except NoRatesError as exc:
        raise NoRatesError(f"{exc.message}; regiotwin does not guess rates, so enter this "
                           "trip's amount by hand") from None
    total = sum((d.amount for d in per_diem), ZERO)
    total += sum((p.amount for p in (mileage, lodging) if p is not None), ZERO)
    if total <= 0:
        raise TravelError(
            f"the trip from {format_trip_time(inputs.start)} to {format_trip_time(inputs.end)} "
            f"earns nothing under {rules}: no kilometres, no paid nights, and no day long "
            "enough for Tagegeld"
        )
    return Travel(law=rules.law, rates_from=table.valid_from, inputs=inputs, mileage=mileage,
                  per_diem=per_diem, lodging=lodging, total=total)


def recompute(stored: Travel, book: RateBook) -> Travel:
    """The computation the stored inputs give under the rates known now."""
    return compute(stored.inputs, stored.law, book)


def travel_problems(stored: Travel, book: RateBook) -> list[str]:
    """Why a stored computation no longer matches its inputs (empty: it matches)."""
    try:
        fresh = recompute(stored, book)
    except RegiotwinError as exc:
        return [exc.message]
    return [
        f"{path}: stored {_shown(old)}, the rates give {_shown(new)}"
        for path, old, new in _differences(dump(stored), dump(fresh))
    ]


def matches(stored: Travel, book: RateBook) -> bool:
    return not travel_problems(stored, book)


def _differences(old: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            name = f"{path}.{key}" if path else str(key)
            yield from _differences(old.get(key), new.get(key), name)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from _differences(a, b, f"{path}[{i}]")
    elif old != new:
        yield path, old, new


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, list):
        return plural(len(value), "entry", "entries")
    if isinstance(value, dict):
        return "a part"
    return str(value)


# --- the German line for the Belegliste and the budget report -------------------------------


def describe(travel: Travel) -> str:
    """`700 km × 0,20 €, höchstens 130,00 €; Tagegeld 12,00 €`: how the amount came about."""
    parts = []
    m = travel.mileage
    if m is not None and travel.inputs.km is not None:
        km = travel.inputs.km
        text = f"{km} km × {format_eur(m.rate)}"
        capped = m.cap is not None and km * m.rate > m.cap
        parts.append(f"{text}, höchstens {format_eur(m.amount)}" if capped
                     else f"{text} = {format_eur(m.amount)}")
    earning = [d for d in travel.per_diem if d.rate > 0]
    if earning:
        withheld = sum((d.deduction or ZERO for d in earning), ZERO)
        net = sum((d.amount for d in earning), ZERO)
        text = "Tagegeld " + " + ".join(_runs([d.rate for d in earning]))
        if withheld:
            text += f" − {format_eur(withheld)} für Mahlzeiten"
        if len(earning) > 1 or withheld:
            text += f" = {format_eur(net)}"
        parts.append(text)
    lodging = travel.lodging
    if lodging is not None:
        n = lodging.nights
        nights = "1 Nacht" if n == 1 else f"{n} Nächte"
        if lodging.hotel is None:
            each = lodging.flat / n
            parts.append(f"Übernachtungsgeld {n} × {format_eur(each)}"
                         if n > 1 and round_cents(each) * n == lodging.flat
                         else f"Übernachtungsgeld {format_eur(lodging.flat)} ({nights})")
        elif lodging.amount == lodging.hotel:
            parts.append(f"Übernachtung {format_eur(lodging.hotel)} ({nights})")
        elif lodging.amount == lodging.limit:
            parts.append(f"Übernachtung {format_eur(lodging.hotel)}, höchstens "
                         f"{format_eur(lodging.amount)} ({nights})")
        else:
            parts.append(f"Übernachtungsgeld {format_eur(lodging.amount)} ({nights}; "
                         f"Rechnung {format_eur(lodging.hotel)})")
    return "; ".join(parts)


def _runs(amounts: list[Decimal]) -> list[str]:
    """`12,00 €`, `3 × 24,00 €`, `12,00 €`: equal neighbours grouped."""
    runs: list[list[Any]] = []
    for amount in amounts:
        if runs and runs[-1][0] == amount:
            runs[-1][1] += 1
        else:
            runs.append([amount, 1])
    return [f"{n} × {format_eur(a)}" if n > 1 else format_eur(a) for a, n in runs]


# --- the trip options of `expense add` ------------------------------------------------------


@dataclass(frozen=True)
class TripOptions:
    """The trip as typed on the command line, before it is read (all text, as click gives it)."""

    start: str | None = None  # --from
    end: str | None = None  # --to
    km: str | None = None
    car_reason: str | None = None
    meals: tuple[str, ...] = ()
    nights: str | None = None
    hotel: str | None = None
    lodging_provided: bool = False

    def given(self) -> bool:
        """Whether any trip option was used (then the expense is priced by the law)."""
        return any(getattr(self, f.name) not in (None, (), False) for f in fields(self))


def options_of(inputs: TravelInputs) -> TripOptions:
    """A stored trip as the options that state it, so that `expense set` can change one of
    them and price the trip again."""
    meals = tuple(f"{day.isoformat()}:{','.join(names)}"
                  for day, names in sorted((inputs.meals or {}).items()))
    return TripOptions(
        start=format_trip_time(inputs.start), end=format_trip_time(inputs.end),
        km=None if inputs.km is None else str(inputs.km), car_reason=inputs.car_reason,
        meals=meals, nights=None if inputs.nights is None else str(inputs.nights),
        hotel=None if inputs.hotel is None else str(inputs.hotel),
        lodging_provided=bool(inputs.lodging_provided),
    )


def changed_trip(stored: TripOptions, given: TripOptions) -> TripOptions:
    """The stored trip with the options given now in place of the stored ones."""
    return TripOptions(**{
        f.name: getattr(given, f.name) if getattr(given, f.name) not in (None, (), False)
        else getattr(stored, f.name)
        for f in fields(TripOptions)
    })


OPTION = {
    "start": "--from", "end": "--to", "km": "--km", "car_reason": "--car-reason",
    "meals": "--meals", "nights": "--nights", "hotel": "--hotel",
    "lodging_provided": "--lodging-provided",
}
_COUNT = re.compile(r"^\d+$")
_DAY_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s*:(.*)$")


def parse_trip(options: TripOptions) -> TravelInputs:
    """Read the trip options into inputs, or refuse with one message naming the option: a
    malformed value first (as click reports one before a missing option), then a missing
    --from or --to (a usage error), then options that do not fit together."""
    data: dict[str, Any] = {}
    if options.km is not None:
        data["km"] = _parse_count(options.km.removesuffix("km"), "--km", "kilometres", 1)
    if options.car_reason is not None:
        if not options.car_reason.strip():
            raise OptionValueError("--car-reason", f"{options.car_reason!r} is empty; say why "
                                   "the car was needed")
        data["car_reason"] = options.car_reason.strip()
    if options.nights is not None:
        data["nights"] = _parse_count(options.nights, "--nights", "nights", 0)
    if options.hotel is not None:
        try:
            data["hotel"] = parse_amount(options.hotel)
        except AmountError as exc:
            raise OptionValueError("--hotel", str(exc)) from None
    if options.lodging_provided:
        data["lodging_provided"] = True
    start = None if options.start is None else _parse_time(options.start, "--from")
    end_text = None if options.end is None else options.end.strip()
    clock = _clock(end_text)  # `--to 19:30` (or 19.30, 19:30 Uhr): the day the trip began
    if end_text is not None and clock is None:
        _parse_time(end_text, "--to")
    if start is None or end_text is None:
        missing = " and ".join(o for o, v in (("--from", start), ("--to", end_text))
                               if v is None)
        raise UsageError(
            f"{missing} missing: a trip needs its start and end, "
            '--from "YYYY-MM-DD HH:MM" --to "YYYY-MM-DD HH:MM"'
        )
    end = (dt.datetime.combine(start.date(), clock) if clock is not None
           else _parse_time(end_text, "--to"))
    data.update(start=start, end=end)
    meals = _parse_meals(options.meals, trip_days(start, end))
    if meals:
        data["meals"] = meals
    from regiotwin.validation import ValidationError, errors_of, validated

    try:
        return validated(TravelInputs, data)
    except ValidationError as exc:
        messages = []
        for error in errors_of(exc):
            field = str(error["loc"][0]) if error["loc"] else ""
            message = str(error["msg"]).removeprefix("Value error, ")
            messages.append(f"{OPTION.get(field, field)}: {message}")
        raise TripInputError("; ".join(messages)) from None


def _clock(text: str | None) -> dt.time | None:
    """A time of day alone (`19:30`, `19.30`, `19:30 Uhr`), or None."""
    if text is None:
        return None
    try:
        return dt.time.fromisoformat(parse_time(text))
    except DateError:
        return None


def _parse_time(text: str, option: str) -> dt.datetime:
    try:
        return parse_trip_time(text.strip())
    except ValueError as exc:
        raise OptionValueError(option, str(exc)) from None


def _parse_count(text: str, option: str, unit: str, least: int) -> int:
    raw = text.strip()
    if raw.startswith("-") and _COUNT.match(raw[1:]):
        raise OptionValueError(option, f"{raw} is negative; give the number of {unit}")
    if re.fullmatch(r"\d+[.,]\d+", raw):
        raise OptionValueError(option, f"{raw} is not a whole number; give whole {unit}")
    if not _COUNT.match(raw):
        raise OptionValueError(option, f"{raw!r} is not a number of {unit}")
    value = int(raw)
    if value < least:
        raise OptionValueError(option, f"{value} {unit}; give at least {least}")
    return value


def _parse_meals(values: Sequence[str], days: list[dt.date]) -> dict[dt.date, list[str]]:
    """`breakfast,lunch` on a one-day trip; `2016-09-15:Frühstück,Mittagessen` (or
    `15.09.2016:…`) on any day (repeat --meals, or separate days with `;`)."""
    meals: dict[dt.date, list[str]] = {}
    for value in values:
        for chunk in (c.strip() for c in value.split(";")):
            if not chunk:
                continue
            prefixed = _DAY_PREFIX.match(chunk)
            if prefixed:
                try:
                    day = parse_date(prefixed.group(1))
                except DateError:
                    raise OptionValueError(
                        "--meals", f"{prefixed.group(1)} is not a real date") from None
                words = prefixed.group(2)
            elif len(days) == 1:
                day, words = days[0], chunk
            else:
                example = days[1] if len(days) > 1 else days[0]
                raise TripInputError(
                    f"--meals {chunk}: the trip runs over {len(days)} days ({days[0]} to "
                    f"{days[-1]}); say on which day, e.g. --meals {example}:breakfast "
                    "(repeat --meals for each day)"
                )
            for word in (w.strip() for w in words.split(",")):
                if not word:
                    continue
                meal = MEAL.lookup(word)
                if meal is None:
                    raise OptionValueError(
                        "--meals", f"{word!r} is not a meal; use {MEAL.describe()}")
                meals.setdefault(day, []).append(meal)
    return meals


def price_trip(options: TripOptions, law: str, root: Path | None) -> Travel:
    """What `expense add` calls: read the options, price the trip under *law* with the built-in
    tables and the repository's own (*root*)."""
    inputs = parse_trip(options)
    return compute(inputs, law, load_rate_book(root))
