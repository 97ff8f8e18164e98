"""The records of a data repository, one dataclass per kind (SPEC §3).

Models validate one file on its own; references between files are checked by the loader.
Field order is the order in which the store writes keys.

They are plain dataclasses, so that a command served from the record cache never imports
pydantic (its import alone costs more than the 100 ms a command on the example may take). What
pydantic checks of a field is written into its annotation all the same, as a `Rules` marker
that makes pydantic's own metadata (validators, bounds, patterns) only when a validator is
built; methods marked `@check` are pydantic's field and model validators. Both are handed to
pydantic by regiotwin/validation.py, which only the paths that validate import.
"""

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from regiotwin.dates import DATE_FORMS, parse_date, parse_date_time
from regiotwin.english import agree, plural
from regiotwin.limits import nfc, text_problem
from regiotwin.lookup import find_partner
from regiotwin.money import amount, non_negative, plain
from regiotwin.slugs import check_id
from regiotwin.vocabulary import (
    Category,
    DecisionStatus,
    EventKind,
    Meal,
    MeasureStatus,
    MeetingKind,
    PartnerKind,
    Role,
)

if TYPE_CHECKING:
    from pydantic import ValidationInfo

F = TypeVar("F")

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- what pydantic checks, made when a validator is built ------------------------------------


class Rules:
    """pydantic's metadata of one annotation (`BeforeValidator(f)`, `Field(ge=1)`, …), made
    when a validator is built, so that the models import no pydantic.

    `Annotated[str, Rules(...)]` validates as `Annotated[str, *metadata]` would: the schema is
    pydantic's own, with the same errors and JSON Schema. One `Rules` per annotation (a second
    would not see the first; regiotwin/validation.py refuses such a model).
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], tuple[Any, ...]]) -> None:
        self.make = make

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        params = (source, *self.make())
        return handler.generate_schema(Annotated[params])


def before(function: Callable[[Any], Any], **constraints: Any) -> Rules:
    """`BeforeValidator(function)`, then `Field(**constraints)` when given."""

    def make() -> tuple[Any, ...]:
        from pydantic import BeforeValidator, Field

        return (BeforeValidator(function), *([Field(**constraints)] if constraints else []))

    return Rules(make)


def bounds(**constraints: Any) -> Rules:
    """`Field(**constraints)`: bounds, lengths, a pattern, strictness."""

    def make() -> tuple[Any, ...]:
        from pydantic import Field

        return (Field(**constraints),)

    return Rules(make)


def check(*fields: str, mode: Literal["before", "after"] = "after") -> Callable[[F], F]:
    """Marks a method as pydantic's `field_validator(*fields, mode=mode)`, or without fields as
    its `model_validator(mode=mode)` (regiotwin/validation.py hands it over)."""

    def mark(method: F) -> F:
        function: Any = getattr(method, "__func__", method)
        function.__regiotwin_check__ = (fields, mode)
        return method

    return mark


class Record:
    """Base of every model, each a `@dataclass(kw_only=True, slots=True)`: keyword arguments
    as pydantic's models took them, and no `__dict__` (100,000 records take a third less
    memory). Unknown keys are errors (pydantic reads `__pydantic_config__`)."""

    __slots__ = ()
    __pydantic_config__: Any = {"extra": "forbid"}


def empty_list() -> list[Any]:
    """The default of a list field. pydantic asks each default factory for its signature;
    the builtin `list` has only a text signature, whose parsing compiles the tokenizer's
    regular expressions, 1.4 ms of every write for nothing."""
    return []


# --- the values of the fields ----------------------------------------------------------------


def _to_date(value: object) -> dt.date:
    """A date as the reader gives it, or as text in the one date grammar (`27.06.2016` in a
    hand-written file is the 27 June; the tool itself writes ISO)."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date YYYY-MM-DD without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError(f"{value!r} is not a date; write it as {DATE_FORMS}")


def _to_time(value: object) -> str:
    if isinstance(value, str) and _TIME.match(value.strip()):
        return value.strip()
    raise ValueError(f"{value!r} is not a time; write it as HH:MM (00:00-23:59)")


def _to_id(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an id; ids are lowercase words joined by '-'")
    return check_id(value)


def _to_text(value: object) -> str:
    """Free text; a number or date written unquoted is taken as the text the user typed.

    Windows line ends become `\n`; control characters and bytes that are not UTF-8 are refused,
    so nothing typed on the command line can make a file that the reader would refuse. Text is
    stored composed (NFC): a name typed on macOS (NFD) is the same name.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, dt.date)):
        return str(value)
    if not isinstance(value, str):
        kind = ", not a list" if isinstance(value, list) else (
            ", not a mapping" if isinstance(value, dict) else "")
        raise ValueError(f"must be text{kind} (got {value!r})")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return nfc(value)


def _to_whole(value: object) -> object:
    """Whole numbers only: `700`, never `700.5`, `true` or the text `'700'` (which an editor's
    JSON Schema would refuse as well)."""
    if isinstance(value, str):
        raise ValueError(f"{value!r} is text; write the whole number without quotes")
    if isinstance(value, bool) or (isinstance(value, Decimal) and value != int(value)):
        raise ValueError(f"{value} is not a whole number")
    return value


def _to_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value


Date = Annotated[dt.date, before(_to_date)]
Time = Annotated[str, before(_to_time)]
Id = Annotated[str, before(_to_id)]
Text = Annotated[str, before(_to_text)]
NonEmptyText = Annotated[str, before(_to_text, min_length=1)]


def _email_rules() -> tuple[Any, ...]:
    from pydantic import AfterValidator, BeforeValidator

    return BeforeValidator(_to_text), AfterValidator(_to_email)


Email = Annotated[str, Rules(_email_rules)]
# SPEC §3: expense amounts 0 < a < 1,000,000,000; caps and planned costs may be 0, never less
Amount = Annotated[Decimal, before(amount)]
NonNegativeMoney = Annotated[Decimal, before(non_negative)]
PositiveMoney = Annotated[Decimal, before(non_negative, gt=0)]  # a bill, a rate, a total
# a Belegnummer prefix ends up in CSV cells and file names' neighbours: letters, digits, inner '-'
ReceiptPrefix = Annotated[str, bounds(pattern=r"^[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8}){0,2}$")]


# --- programme -------------------------------------------------------------------------------

CATEGORY_DEFAULT: tuple[Category, ...] = ("project", "travel")
Months = Annotated[int, before(_to_whole, ge=1, le=60)]


@dataclass(kw_only=True, slots=True)
class ProgrammeDeadline(Record):
    """A dated deadline of the programme beyond the Nachweise, for every pair."""

    id: Id  # what a pair's `submitted` names when the paperwork was sent
    date: Date
    title: NonEmptyText


@dataclass(kw_only=True, slots=True)
class Reporting(Record):
    """The reporting rules of the funding (ANBest-P 6.1 by default; ANBest-Gk: 12 months)."""

    # Verwendungsnachweis: due this many months after the end of the period
    proof_months: Months = 6
    # Zwischennachweis: due this many months after each year end inside the period (null: none)
    interim_months: Months | None = 4
    deadlines: list[ProgrammeDeadline] = field(default_factory=empty_list)


@dataclass(kw_only=True, slots=True)
class Programme(Record):
    """`regiotwin.yaml`: the programme's settings; its presence marks the repository root."""

    name: NonEmptyText = "RegioTwin"
    organiser: Text = "Institut dezentrale Energietechnologien (IdE)"
    funder: Text = "Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit (BMUB)"
    project_agency: Text = "Projektträger Jülich (PtJ)"
    currency: Literal["EUR"] = "EUR"
    grant_cap: NonNegativeMoney = Decimal("1400.00")
    funding_rate: Annotated[Decimal, bounds(gt=0, le=1)] = Decimal("1.0")
    categories: list[Category] = field(default_factory=lambda: list(CATEGORY_DEFAULT))
    reporting: Reporting = field(default_factory=Reporting)


# --- partnership -----------------------------------------------------------------------------


@dataclass(kw_only=True, slots=True)
class Contact(Record):
    name: NonEmptyText
    function: Text | None = None
    email: Email | None = None
    phone: Text | None = None
    example: bool = False


@dataclass(kw_only=True, slots=True)
class CostPlan(Record):
    """A partner's Finanzierungsplan: the planned spending per cost category, the SOLL of the
    Verwendungsnachweis. One field per category of vocabulary.Category (a test keeps them in
    step); a category left out is planned at nothing."""

    project: NonNegativeMoney | None = None
    travel: NonNegativeMoney | None = None
    example: bool = False


@dataclass(kw_only=True, slots=True)
class Partner(Record):
    id: Id
    name: NonEmptyText
    kind: PartnerKind | None = None
    role: Role | None = None
    seat: Text | None = None  # where its administration sits: the place a document is dated
    grant_cap: NonNegativeMoney | None = None
    cost_plan: CostPlan | None = None
    receipt_prefix: ReceiptPrefix | None = None  # Belegnummern show as TF-007
    # the travel-cost law its staff travel under (TVöD § 44): a law of regiotwin/travel_rates/
    # or of the repository's travel-rates/; absent means `bund` (regiotwin.travel.DEFAULT_LAW)
    travel_law: Id | None = None
    contacts: list[Contact] = field(default_factory=empty_list)


@dataclass(kw_only=True, slots=True)
class Consultant(Record):
    name: NonEmptyText
    organisation: Text | None = None
    email: Email | None = None
    example: bool = False


@dataclass(kw_only=True, slots=True)
class Agreement(Record):
    signed: Date | None = None
    reference: Text | None = None


@dataclass(kw_only=True, slots=True)
class Submission(Record):
    """The day a Nachweis (a deadline of the programme's reporting rules) was sent."""

    deadline: Id  # `verwendungsnachweis`, `zwischennachweis-2016`, or a programme deadline's id
    date: Date


@dataclass(kw_only=True, slots=True)
class Partnership(Record):
    """`partnerships/<id>/partnership.yaml`: the pair and its year."""

    id: Id
    title: NonEmptyText
    topic: NonEmptyText
    start: Date
    end: Date  # may be left out of the file: start + one year - one day
    consultant: Consultant | None = None
    agreement: Agreement | None = None
    partners: list[Partner]
    submitted: list[Submission] = field(default_factory=empty_list)
    notes: Text | None = None

    @check(mode="before")
    @classmethod
    def _default_end(cls, data: object) -> object:
        """A hand-written file may leave out the end: the programme's one year."""
        if isinstance(data, dict) and data.get("end") is None and "start" in data:
            # a bad start is reported by its own validator
            with contextlib.suppress(ValueError):
                data = {**data, "end": default_end(_to_date(data["start"]))}
        return data

    @check("end")
    @classmethod
    def _check_end(cls, end: dt.date, info: "ValidationInfo") -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"end {end} is before start {start}")
        return end

    @check("partners")
    @classmethod
    def _check_partners(cls, partners: list[Partner]) -> list[Partner]:
        if len(partners) != 2:
            raise ValueError(
                f"a partnership has exactly two partners, this one has {len(partners)}"
            )
        if partners[0].id == partners[1].id:
            raise ValueError(f"both partners have the id {partners[0].id!r}")
        first, second = ((p.receipt_prefix or p.id).casefold() for p in partners)
        if first == second:
            raise ValueError(
                f"both partners' Belegnummern would start with {first!r}; give each its own "
                "receipt_prefix, so that a Belegnummer names one partner"
            )
        return partners

    def participant_partner(self, participant: str) -> str | None:
        """The partner a participant belongs to: `Name @partner`, or a contact's exact name."""
        name, ref = split_participant(nfc(participant))
        if ref is not None:
            partner = self.partner(ref)
            return partner.id if partner else None
        for p in self.partners:
            if any(person.name == name for person in p.contacts):
                return p.id
        return None

    def partner(self, ref: str) -> Partner | None:
        """The partner with this id or name; a name may differ in case, composition or
        transliteration (`Landkreis Giessen` is `Landkreis Gießen`: regiotwin/lookup.py)."""
        for partner in self.partners:  # the common case, an id, without normalising anything
            if ref == partner.id:
                return partner
        return find_partner(self.partners, ref)


def split_participant(text: str) -> tuple[str, str | None]:
    """`Kim Gast @landkreis-giessen` → (`Kim Gast`, `landkreis-giessen`); no `@`: no partner."""
    name, separator, ref = text.partition(" @")
    if not separator or not ref.strip():
        return text.strip(), None
    return name.strip(), ref.strip()


def default_end(start: dt.date) -> dt.date:
    """One year minus one day: 2016-06-27 → 2017-06-26 (29 February maps to 28 February)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = start.replace(year=start.year + 1, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


# --- the twinning year -----------------------------------------------------------------------

@dataclass(kw_only=True, slots=True)
class Effect(Record):
    """Expected effect of a measure, e.g. 12.5 t CO2/a."""

    value: Decimal
    unit: NonEmptyText


@dataclass(kw_only=True, slots=True)
class Measure(Record):
    id: Id
    title: NonEmptyText
    description: Text | None = None
    owners: Annotated[list[Id], bounds(min_length=1)]
    status: MeasureStatus = "planned"
    start: Date | None = None
    due: Date | None = None
    planned_cost: NonNegativeMoney | None = None
    needs_decision: bool = False
    effect: Effect | None = None
    result: Text | None = None
    example: bool = False


@dataclass(kw_only=True, slots=True)
class ActionItem(Record):
    what: NonEmptyText
    owner: NonEmptyText | None = None  # a partner id or a contact's name
    due: Date | None = None
    done: bool = False
    done_on: Date | None = None  # when it was marked done: reports of earlier days count it open

    @check("done_on")
    @classmethod
    def _check_done_on(cls, day: dt.date | None, info: "ValidationInfo") -> dt.date | None:
        if day is not None and info.data.get("done") is False:
            raise ValueError("a day done while done is false; set done: true, or remove "
                             "done_on")
        return day


@dataclass(kw_only=True, slots=True)
class Meeting(Record):
    id: Id
    date: Date
    time: Time | None = None
    end_time: Time | None = None
    kind: MeetingKind = "jour-fixe"
    title: NonEmptyText
    location: Text | None = None
    participants: list[NonEmptyText] = field(default_factory=empty_list)
    agenda: list[NonEmptyText] = field(default_factory=empty_list)
    minutes: Text | None = None
    decisions: list[NonEmptyText] = field(default_factory=empty_list)
    actions: list[ActionItem] = field(default_factory=empty_list)
    example: bool = False

    @check("end_time")
    @classmethod
    def _check_end_time(cls, end: str | None, info: "ValidationInfo") -> str | None:
        if end is None:
            return end
        start = info.data.get("time")
        if start is None:
            if "time" in info.data:  # given and valid, or left out; a bad one says so itself
                raise ValueError("an end time needs a start time (time)")
            return end
        if end <= start:
            raise ValueError(f"the end time {end} is not after the start time {start}")
        return end


@dataclass(kw_only=True, slots=True)
class Decision(Record):
    """A council decision (Beschluss) of one partner."""

    id: Id
    body: NonEmptyText
    date: Date
    number: Text | None = None
    title: NonEmptyText
    status: DecisionStatus = "pending"
    partner: Id
    measures: list[Id] = field(default_factory=empty_list)
    example: bool = False


@dataclass(kw_only=True, slots=True)
class Receipt(Record):
    path: NonEmptyText  # relative to the pair folder, forward slashes
    sha256: Annotated[str, bounds(pattern=r"^[0-9a-f]{64}$")]


@dataclass(kw_only=True, slots=True)
class Cancellation(Record):
    """A cancelled (storniert) expense keeps its file and its number and counts nowhere."""

    date: Date
    reason: NonEmptyText


@dataclass(kw_only=True, slots=True)
class Event(Record):
    """A programme-wide event (`events/`); it counts as a meeting for the pairs that attended."""

    id: Id
    date: Date
    kind: EventKind = "network-event"
    title: NonEmptyText
    location: Text | None = None
    pairs: list[Id] = field(default_factory=empty_list)
    example: bool = False


# --- travel-cost computation (issue #14) -----------------------------------------------------
# What an expense stores of a trip priced by a travel-cost law: the inputs, the law, the date of
# the rate table, and each part. The rules that fill it in live in regiotwin/travel.py; the
# shapes live here with the other records, so an Expense can hold one without an import cycle.

_HOURS = re.compile(r"^(\d{1,2}):([0-5]\d)$")


def parse_trip_time(value: object) -> dt.datetime:
    """`2016-09-14 07:00` (or with a `T`, or a German date and time): a local date and time to
    the minute."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None or value.second or value.microsecond:
            raise ValueError("expected a local time to the minute, like 2016-09-14 07:00")
        return value
    if isinstance(value, dt.date):
        raise ValueError(f"{value} has no time; write it as YYYY-MM-DD HH:MM, e.g. {value} 07:00")
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date and time; write it as YYYY-MM-DD HH:MM, e.g. "
                         "2016-09-14 07:00")
    return parse_date_time(value)  # the one grammar of dates and times (dates.py)


def format_trip_time(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _to_hours(value: object) -> str:
    """A length of time on one day, `0:00` to `24:00`, as `H:MM`."""
    match = _HOURS.match(value.strip()) if isinstance(value, str) else None
    if match is None or int(match.group(1)) * 60 + int(match.group(2)) > 24 * 60:
        raise ValueError(f"{value!r} is not a length of time within a day; write it as H:MM")
    return f"{int(match.group(1))}:{match.group(2)}"


def _trip_time_rules() -> tuple[Any, ...]:
    from pydantic import BeforeValidator, PlainSerializer

    return BeforeValidator(parse_trip_time), PlainSerializer(format_trip_time)


# a datetime is always a trip time: `dump` writes every datetime as format_trip_time does
TripTime = Annotated[dt.datetime, Rules(_trip_time_rules)]
Hours = Annotated[str, before(_to_hours)]


@dataclass(kw_only=True, slots=True)
class TravelInputs(Record):
    """What the traveller states: the absence, the kilometres, meals provided, nights."""

    # a trip over a night must say how many nights were spent away, so the check of `nights`
    # runs even when the key is missing: every default is validated
    __pydantic_config__ = {"extra": "forbid", "validate_default": True}

    start: TripTime
    end: TripTime
    km: Annotated[int, before(_to_whole, ge=1)] | None = None
    car_reason: NonEmptyText | None = None  # why the car was needed: the higher rate
    meals: dict[Date, list[Meal]] | None = None  # meals provided, by day
    # nights spent away (0: away overnight, no stay)
    nights: Annotated[int, before(_to_whole, ge=0)] | None = None
    hotel: PositiveMoney | None = None  # the lodging bill for all nights
    lodging_provided: bool | None = None  # free lodging: nights away, no Übernachtungsgeld

    @check("lodging_provided", mode="before")
    @classmethod
    def _drop_false(cls, value: object) -> object:
        return None if value is False else value

    @check("end")
    @classmethod
    def _check_end(cls, end: dt.datetime, info: "ValidationInfo") -> dt.datetime:
        start = info.data.get("start")
        if start is not None and end <= start:
            word = "when" if end == start else "before"
            raise ValueError(
                f"the trip ends ({format_trip_time(end)}) {word} it starts "
                f"({format_trip_time(start)})"
            )
        return end

    @check("car_reason")
    @classmethod
    def _check_car_reason(cls, reason: str | None, info: "ValidationInfo") -> str | None:
        if reason is not None and info.data.get("km") is None and "km" not in _failed(info):
            raise ValueError("a reason for the car needs the kilometres driven (km)")
        return reason

    @check("meals")
    @classmethod
    def _check_meals(
        cls, meals: dict[dt.date, list[str]] | None, info: "ValidationInfo"
    ) -> dict[dt.date, list[str]] | None:
        if not meals:
            return None
        days = trip_days(info.data.get("start"), info.data.get("end"))
        order = ("breakfast", "lunch", "dinner")
        for day, provided in meals.items():
            if days and day not in days:
                raise ValueError(
                    f"meals on {day}: that day is not part of the trip ({days[0]} to {days[-1]})"
                )
            twice = sorted({m for m in provided if provided.count(m) > 1}, key=order.index)
            if twice:
                raise ValueError(f"meals on {day}: {', '.join(twice)} given twice")
            if not provided:
                raise ValueError(f"meals on {day}: name at least one meal or leave the day out")
        return {day: sorted(meals[day], key=order.index) for day in sorted(meals)}

    @check("nights")
    @classmethod
    def _check_nights(cls, nights: int | None, info: "ValidationInfo") -> int | None:
        days = trip_days(info.data.get("start"), info.data.get("end"))
        if not days:
            return nights
        possible = len(days) - 1
        if possible == 0:
            if nights:
                raise ValueError(f"{plural(nights, 'night')} {agree(nights, 'does', 'do')} not "
                                 "fit a trip within one day")
            return None
        if nights is None:
            raise ValueError(
                f"the trip runs over {plural(possible, 'night')}: say how "
                "many nights were spent away (nights; 0 when none)"
            )
        if nights > possible:
            span = f"{format_trip_time(info.data['start'])} to {format_trip_time(info.data['end'])}"
            raise ValueError(
                f"{plural(nights, 'night')} {agree(nights, 'does', 'do')} not fit the absence "
                f"from {span}, which spans {plural(possible, 'night')}"
            )
        return nights

    @check("hotel")
    @classmethod
    def _check_hotel(cls, hotel: Decimal | None, info: "ValidationInfo") -> Decimal | None:
        if hotel is not None and not info.data.get("nights") and "nights" not in _failed(info):
            raise ValueError("a hotel bill needs the number of nights (at least 1)")
        return hotel

    @check("lodging_provided")
    @classmethod
    def _check_provided(cls, provided: bool | None, info: "ValidationInfo") -> bool | None:
        if provided and info.data.get("hotel") is not None:
            raise ValueError("lodging provided free and a hotel bill exclude each other")
        if provided and not info.data.get("nights") and "nights" not in _failed(info):
            raise ValueError("lodging provided free needs the number of nights (at least 1)")
        return provided or None


def _failed(info: "ValidationInfo") -> set[str]:
    """Fields given but invalid: their own error is reported, not a second one about them."""
    raw = info.data
    return {name for name in ("km", "nights") if name not in raw}


def trip_days(start: dt.datetime | None, end: dt.datetime | None) -> list[dt.date]:
    """The calendar days on which the traveller is away for some time (an end at 00:00 adds
    no day)."""
    if start is None or end is None or end <= start:
        return []
    last = (end - dt.timedelta(minutes=1)).date()
    count = (last - start.date()).days + 1
    return [start.date() + dt.timedelta(days=i) for i in range(count)]


@dataclass(kw_only=True, slots=True)
class MileagePart(Record):
    """Wegstreckenentschädigung: km × rate, at most the cap (per trip)."""

    rate: NonNegativeMoney
    cap: NonNegativeMoney | None = None  # the cap of the rate used, when the law has one
    amount: NonNegativeMoney


@dataclass(kw_only=True, slots=True)
class PerDiemDay(Record):
    """Tagegeld of one calendar day: the rate the day earns, less meals provided."""

    date: Date
    hours: Hours  # time away on this day
    rate: NonNegativeMoney  # 0, the partial or the full-day rate
    # withheld for meals provided (never more than the rate)
    deduction: NonNegativeMoney | None = None
    amount: NonNegativeMoney


@dataclass(kw_only=True, slots=True)
class LodgingPart(Record):
    """Übernachtungsgeld: the flat rate per night, or the hotel bill up to the limit."""

    nights: Annotated[int, bounds(ge=1)]
    flat: NonNegativeMoney  # the flat rate for all nights
    hotel: NonNegativeMoney | None = None  # the bill, when there is one
    # what a bill may reach without justification, for all nights
    limit: NonNegativeMoney | None = None
    amount: NonNegativeMoney


@dataclass(kw_only=True, slots=True)
class Travel(Record):
    """A trip priced by a travel-cost law: stored in an expense, checked against its inputs."""

    law: Id
    rates_from: Date  # the valid-from date of the rate table in force when the trip began
    inputs: TravelInputs
    mileage: MileagePart | None = None
    per_diem: list[PerDiemDay] = field(default_factory=empty_list)
    lodging: LodgingPart | None = None
    total: PositiveMoney


# --- expenses (after the travel computation they may hold) -----------------------------------


@dataclass(kw_only=True, slots=True)
class Expense(Record):
    id: Id
    # the Belegnummer: given by `expense add` (the partner's next number), never changed
    receipt_no: Annotated[int, bounds(ge=1, strict=True)] | None = None
    date: Date
    partner: Id
    category: Category
    amount: Amount
    description: NonEmptyText
    payee: Text | None = None
    receipt: Receipt | None = None
    meeting: Id | None = None
    measure: Id | None = None
    over_cap: bool = False  # own money by intent: never counts against the fundable limit
    # a trip priced by a travel-cost law (`expense add --km/--from/--to`): amount, date and
    # category follow it, and `check` prices its inputs again
    travel: Travel | None = None
    cancelled: Cancellation | None = None
    example: bool = False

    @property
    def counts(self) -> bool:
        """Whether the expense counts in totals, headroom and checks (not when cancelled)."""
        return self.cancelled is None

    @check(mode="after")
    def _check_travel(self) -> "Expense":
        """A priced trip is booked at its total, as travel costs, on the day it began; a hand
        edit that breaks this is reported at the expense's own key, the one a reader compares."""
        travel = self.travel
        if travel is None:
            return self
        errors: list[tuple[str, object, str]] = []
        if self.amount != travel.total:
            errors.append(("amount", self.amount,
                           f"{plain(self.amount)} differs from the total of its travel "
                           f"computation, {plain(travel.total)} (travel.total); a priced trip is "
                           "booked at its total"))
        if self.category != "travel":
            errors.append(("category", self.category,
                           f"{self.category!r}, but the expense holds a travel computation; "
                           "a priced trip is booked as travel"))
        first_day = travel.inputs.start.date()
        if self.date != first_day:
            errors.append(("date", self.date,
                           f"{self.date} is not the first day of its trip, {first_day} "
                           "(travel.inputs.start); a priced trip is dated by the day it began"))
        if errors:
            from pydantic import ValidationError
            from pydantic_core import InitErrorDetails, PydanticCustomError

            raise ValidationError.from_exception_data("Expense", [
                InitErrorDetails(type=PydanticCustomError("travel_mismatch", message),
                                 loc=(key,), input=value)
                for key, value, message in errors
            ])
        return self


# --- records as plain data -------------------------------------------------------------------

_NO_DEFAULT: Any = object()
_PLANS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _plan(kind: type) -> tuple[tuple[str, Any], ...]:
    """Each field of a record class with its default (or _NO_DEFAULT), in order."""
    plan = _PLANS.get(kind)
    if plan is None:
        from dataclasses import MISSING, fields

        plan = _PLANS[kind] = tuple(
            (f.name, f.default if f.default is not MISSING
             else f.default_factory() if f.default_factory is not MISSING else _NO_DEFAULT)
            for f in fields(kind))
    return plan


def dump(record: Record, *, mode: Literal["python", "json"] = "python",
         exclude_none: bool = False, exclude_defaults: bool = False) -> dict[str, Any]:
    """A record as plain data, its fields in order (as pydantic's `model_dump` made it): nested
    records as dicts; in "json" mode amounts as text (`"1400.00"`) and dates in ISO form; a trip
    time always as `2016-09-14 07:00`. *exclude_none* leaves out the fields that are None,
    *exclude_defaults* those that hold their default, at every depth."""
    json = mode == "json"
    data: dict[str, Any] = {}
    for name, default in _plan(type(record)):
        value = getattr(record, name)
        if (value is None and exclude_none) or (exclude_defaults and value == default
                                                and default is not _NO_DEFAULT):
            continue
        data[name] = _plain(value, json, exclude_none, exclude_defaults)
    return data


def _plain(value: Any, json: bool, exclude_none: bool, exclude_defaults: bool) -> Any:
    if isinstance(value, Record):
        return dump(value, mode="json" if json else "python", exclude_none=exclude_none,
                    exclude_defaults=exclude_defaults)
    if isinstance(value, list):
        return [_plain(v, json, exclude_none, exclude_defaults) for v in value]
    if isinstance(value, dict):
        return {_plain(k, json, exclude_none, exclude_defaults):
                _plain(v, json, exclude_none, exclude_defaults) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return format_trip_time(value)
    if json:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
    return value
