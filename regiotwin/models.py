"""The records of a data repository, one pydantic model per kind (SPEC §3).

Models validate one file on its own; references between files are checked by the loader.
Field order is the order in which the store writes keys.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

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

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


Date = Annotated[dt.date, BeforeValidator(_to_date)]
Time = Annotated[str, BeforeValidator(_to_time)]
Id = Annotated[str, BeforeValidator(_to_id)]
Text = Annotated[str, BeforeValidator(_to_text)]
NonEmptyText = Annotated[str, BeforeValidator(_to_text), Field(min_length=1)]
Email = Annotated[str, BeforeValidator(_to_text), AfterValidator(_to_email)]
# SPEC §3: expense amounts 0 < a < 1,000,000,000; caps and planned costs may be 0, never less
Amount = Annotated[Decimal, BeforeValidator(amount)]
NonNegativeMoney = Annotated[Decimal, BeforeValidator(non_negative)]
# a Belegnummer prefix ends up in CSV cells and file names' neighbours: letters, digits, inner '-'
ReceiptPrefix = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8}){0,2}$")]


class Record(BaseModel):
    """Base of every model: unknown keys are errors, values are validated on assignment."""

    # defer_build: a command served from the record cache never pays for building validators
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


# --- programme -------------------------------------------------------------------------------

CATEGORY_DEFAULT: tuple[Category, ...] = ("project", "travel")
Months = Annotated[int, BeforeValidator(_to_whole), Field(ge=1, le=60)]


class ProgrammeDeadline(Record):
    """A dated deadline of the programme beyond the Nachweise, for every pair."""

    id: Id  # what a pair's `submitted` names when the paperwork was sent
    date: Date
    title: NonEmptyText


class Reporting(Record):
    """The reporting rules of the funding (ANBest-P 6.1 by default; ANBest-Gk: 12 months)."""

    # Verwendungsnachweis: due this many months after the end of the period
    proof_months: Months = 6
    # Zwischennachweis: due this many months after each year end inside the period (null: none)
    interim_months: Months | None = 4
    deadlines: list[ProgrammeDeadline] = Field(default_factory=list)


class Programme(Record):
    """`regiotwin.yaml`: the programme's settings; its presence marks the repository root."""

    name: NonEmptyText = "RegioTwin"
    organiser: Text = "Institut dezentrale Energietechnologien (IdE)"
    funder: Text = "Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit (BMUB)"
    project_agency: Text = "Projektträger Jülich (PtJ)"
    currency: Literal["EUR"] = "EUR"
    grant_cap: NonNegativeMoney = Decimal("1400.00")
    funding_rate: Annotated[Decimal, Field(gt=0, le=1)] = Decimal("1.0")
    categories: list[Category] = Field(default_factory=lambda: list(CATEGORY_DEFAULT))
    reporting: Reporting = Field(default_factory=Reporting)


# --- partnership -----------------------------------------------------------------------------


class Contact(Record):
    name: NonEmptyText
    function: Text | None = None
    email: Email | None = None
    phone: Text | None = None
    example: bool = False


class CostPlan(Record):
    """A partner's Finanzierungsplan: the planned spending per cost category, the SOLL of the
    Verwendungsnachweis. One field per category of vocabulary.Category (a test keeps them in
    step); a category left out is planned at nothing."""

    project: NonNegativeMoney | None = None
    travel: NonNegativeMoney | None = None
    example: bool = False


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
    contacts: list[Contact] = Field(default_factory=list)


class Consultant(Record):
    name: NonEmptyText
    organisation: Text | None = None
    email: Email | None = None
    example: bool = False


class Agreement(Record):
    signed: Date | None = None
    reference: Text | None = None


class Submission(Record):
    """The day a Nachweis (a deadline of the programme's reporting rules) was sent."""

    deadline: Id  # `verwendungsnachweis`, `zwischennachweis-2016`, or a programme deadline's id
    date: Date


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
    submitted: list[Submission] = Field(default_factory=list)
    notes: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_end(cls, data: object) -> object:
        """A hand-written file may leave out the end: the programme's one year."""
        if isinstance(data, dict) and data.get("end") is None and "start" in data:
            # a bad start is reported by its own validator
            with contextlib.suppress(ValueError):
                data = {**data, "end": default_end(_to_date(data["start"]))}
        return data

    @field_validator("end")
    @classmethod
    def _check_end(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"end {end} is before start {start}")
        return end

    @field_validator("partners")
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

class Effect(Record):
    """Expected effect of a measure, e.g. 12.5 t CO2/a."""

    value: Decimal
    unit: NonEmptyText


class Measure(Record):
    id: Id
    title: NonEmptyText
    description: Text | None = None
    owners: list[Id] = Field(min_length=1)
    status: MeasureStatus = "planned"
    start: Date | None = None
    due: Date | None = None
    planned_cost: NonNegativeMoney | None = None
    needs_decision: bool = False
    effect: Effect | None = None
    result: Text | None = None
    example: bool = False


class ActionItem(Record):
    what: NonEmptyText
    owner: NonEmptyText | None = None  # a partner id or a contact's name
    due: Date | None = None
    done: bool = False
    done_on: Date | None = None  # when it was marked done: reports of earlier days count it open

    @field_validator("done_on")
    @classmethod
    def _check_done_on(cls, day: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if day is not None and info.data.get("done") is False:
            raise ValueError("a day done while done is false; set done: true, or remove "
                             "done_on")
        return day


class Meeting(Record):
    id: Id
    date: Date
    time: Time | None = None
    end_time: Time | None = None
    kind: MeetingKind = "jour-fixe"
    title: NonEmptyText
    location: Text | None = None
    participants: list[NonEmptyText] = Field(default_factory=list)
    agenda: list[NonEmptyText] = Field(default_factory=list)
    minutes: Text | None = None
    decisions: list[NonEmptyText] = Field(default_factory=list)
    actions: list[ActionItem] = Field(default_factory=list)
    example: bool = False

    @field_validator("end_time")
    @classmethod
    def _check_end_time(cls, end: str | None, info: ValidationInfo) -> str | None:
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


class Decision(Record):
    """A council decision (Beschluss) of one partner."""

    id: Id
    body: NonEmptyText
    date: Date
    number: Text | None = None
    title: NonEmptyText
    status: DecisionStatus = "pending"
    partner: Id
    measures: list[Id] = Field(default_factory=list)
    example: bool = False


class Receipt(Record):
    path: NonEmptyText  # relative to the pair folder, forward slashes
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Cancellation(Record):
    """A cancelled (storniert) expense keeps its file and its number and counts nowhere."""

    date: Date
    reason: NonEmptyText


class Expense(Record):
    id: Id
    # the Belegnummer: given by `expense add` (the partner's next number), never changed
    receipt_no: Annotated[int, Field(ge=1, strict=True)] | None = None
    date: Date
    partner: Id
    category: Category
    amount: Amount
    description: NonEmptyText
    payee: Text | None = None
    receipt: Receipt | None = None
    meeting: Id | None = None
    measure: Id | None = None
    over_cap: bool = False  # booked even past the fundable limit: never counts against it
    # a trip priced by a travel-cost law (`expense add --km/--from/--to`): amount, date and
    # category follow it, and `check` prices its inputs again
    travel: Travel | None = None
    cancelled: Cancellation | None = None
    example: bool = False

    @property
    def counts(self) -> bool:
        """Whether the expense counts in totals, headroom and checks (not when cancelled)."""
        return self.cancelled is None

    @model_validator(mode="after")
    def _check_travel(self) -> Expense:
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
            raise ValidationError.from_exception_data("Expense", [
                InitErrorDetails(type=PydanticCustomError("travel_mismatch", message),
                                 loc=(key,), input=value)
                for key, value, message in errors
            ])
        return self


class Event(Record):
    """A programme-wide event (`events/`); it counts as a meeting for the pairs that attended."""

    id: Id
    date: Date
    kind: EventKind = "network-event"
    title: NonEmptyText
    location: Text | None = None
    pairs: list[Id] = Field(default_factory=list)
    example: bool = False


# --- travel-cost computation (issue #14) -------------------------------------------------------
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


TripTime = Annotated[
    dt.datetime, BeforeValidator(parse_trip_time), PlainSerializer(format_trip_time)
]
Hours = Annotated[str, BeforeValidator(_to_hours)]


class TravelInputs(Record):
    """What the traveller states: the absence, the kilometres, meals provided, nights."""

    start: TripTime
    end: TripTime
    km: Annotated[int, BeforeValidator(_to_whole), Field(ge=1)] | None = None
    car_reason: NonEmptyText | None = None  # why the car was needed: the higher rate
    meals: dict[Date, list[Meal]] | None = None  # meals provided, by day
    # nights spent away; a trip over a night must say it (0: away overnight, no stay), so the
    # check runs even when the key is missing
    nights: Annotated[int, BeforeValidator(_to_whole), Field(ge=0)] | None = Field(
        default=None, validate_default=True
    )
    hotel: Annotated[NonNegativeMoney, Field(gt=0)] | None = None  # the lodging bill for all nights
    lodging_provided: bool | None = None  # free lodging: nights away, no Übernachtungsgeld

    @field_validator("lodging_provided", mode="before")
    @classmethod
    def _drop_false(cls, value: object) -> object:
        return None if value is False else value

    @field_validator("end")
    @classmethod
    def _check_end(cls, end: dt.datetime, info: ValidationInfo) -> dt.datetime:
        start = info.data.get("start")
        if start is not None and end <= start:
            word = "when" if end == start else "before"
            raise ValueError(
                f"the trip ends ({format_trip_time(end)}) {word} it starts "
                f"({format_trip_time(start)})"
            )
        return end

    @field_validator("car_reason")
    @classmethod
    def _check_car_reason(cls, reason: str | None, info: ValidationInfo) -> str | None:
        if reason is not None and info.data.get("km") is None and "km" not in _failed(info):
            raise ValueError("a reason for the car needs the kilometres driven (km)")
        return reason

    @field_validator("meals")
    @classmethod
    def _check_meals(
        cls, meals: dict[dt.date, list[str]] | None, info: ValidationInfo
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

    @field_validator("nights")
    @classmethod
    def _check_nights(cls, nights: int | None, info: ValidationInfo) -> int | None:
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

    @field_validator("hotel")
    @classmethod
    def _check_hotel(cls, hotel: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if hotel is not None and not info.data.get("nights") and "nights" not in _failed(info):
            raise ValueError("a hotel bill needs the number of nights (at least 1)")
        return hotel

    @field_validator("lodging_provided")
    @classmethod
    def _check_provided(cls, provided: bool | None, info: ValidationInfo) -> bool | None:
        if provided and info.data.get("hotel") is not None:
            raise ValueError("lodging provided free and a hotel bill exclude each other")
        if provided and not info.data.get("nights") and "nights" not in _failed(info):
            raise ValueError("lodging provided free needs the number of nights (at least 1)")
        return provided or None


def _failed(info: ValidationInfo) -> set[str]:
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


class MileagePart(Record):
    """Wegstreckenentschädigung: km × rate, at most the cap (per trip)."""

    rate: NonNegativeMoney
    cap: NonNegativeMoney | None = None  # the cap of the rate used, when the law has one
    amount: NonNegativeMoney


class PerDiemDay(Record):
    """Tagegeld of one calendar day: the rate the day earns, less meals provided."""

    date: Date
    hours: Hours  # time away on this day
    rate: NonNegativeMoney  # 0, the partial or the full-day rate
    # withheld for meals provided (never more than the rate)
    deduction: NonNegativeMoney | None = None
    amount: NonNegativeMoney


class LodgingPart(Record):
    """Übernachtungsgeld: the flat rate per night, or the hotel bill up to the limit."""

    nights: Annotated[int, Field(ge=1)]
    flat: NonNegativeMoney  # the flat rate for all nights
    hotel: NonNegativeMoney | None = None  # the bill, when there is one
    # what a bill may reach without justification, for all nights
    limit: NonNegativeMoney | None = None
    amount: NonNegativeMoney


class Travel(Record):
    """A trip priced by a travel-cost law: stored in an expense, checked against its inputs."""

    law: Id
    rates_from: Date  # the valid-from date of the rate table in force when the trip began
    inputs: TravelInputs
    mileage: MileagePart | None = None
    per_diem: list[PerDiemDay] = Field(default_factory=list)
    lodging: LodgingPart | None = None
    total: Annotated[NonNegativeMoney, Field(gt=0)]
