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
    ValidationInfo,
    field_validator,
    model_validator,
)

from regiotwin.limits import nfc, text_problem
from regiotwin.money import to_money
from regiotwin.slugs import check_id
from regiotwin.vocabulary import (
    Category,
    DecisionStatus,
    EventKind,
    MeasureStatus,
    MeetingKind,
    Role,
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _to_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date YYYY-MM-DD without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value} is not a real date ({exc})") from None
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")


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
        raise ValueError("expected text")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return nfc(value)


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
Money = Annotated[Decimal, BeforeValidator(to_money)]


class Record(BaseModel):
    """Base of every model: unknown keys are errors, values are validated on assignment."""

    # defer_build: a command served from the record cache never pays for building validators
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


# --- programme -------------------------------------------------------------------------------

CATEGORY_DEFAULT: tuple[Category, ...] = ("project", "travel")


class Programme(Record):
    """`regiotwin.yaml`: the programme's settings; its presence marks the repository root."""

    name: NonEmptyText = "RegioTwin"
    organiser: Text = "Institut dezentrale Energietechnologien (IdE)"
    funder: Text = "Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit (BMUB)"
    project_agency: Text = "Projektträger Jülich (PtJ)"
    currency: Literal["EUR"] = "EUR"
    grant_cap: Money = Decimal("1400.00")
    funding_rate: Annotated[Decimal, Field(gt=0, le=1)] = Decimal("1.0")
    categories: list[Category] = Field(default_factory=lambda: list(CATEGORY_DEFAULT))


# --- partnership -----------------------------------------------------------------------------


class Contact(Record):
    name: NonEmptyText
    function: Text | None = None
    email: Email | None = None
    phone: Text | None = None
    example: bool = False


PartnerKind = Literal["Landkreis", "Stadt", "Gemeinde", "Region", "Verband", "Sonstige"]


class Partner(Record):
    id: Id
    name: NonEmptyText
    kind: PartnerKind | None = None
    role: Role | None = None
    grant_cap: Money | None = None
    contacts: list[Contact] = Field(default_factory=list)


class Consultant(Record):
    name: NonEmptyText
    organisation: Text | None = None
    email: Email | None = None
    example: bool = False


class Agreement(Record):
    signed: Date | None = None
    reference: Text | None = None


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
        """The partner with this id, or with exactly this name (composed or not)."""
        ref = nfc(ref)
        for partner in self.partners:
            if ref in (partner.id, partner.name):
                return partner
        return None


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
    planned_cost: Money | None = None
    needs_decision: bool = False
    effect: Effect | None = None
    result: Text | None = None
    example: bool = False


class ActionItem(Record):
    what: NonEmptyText
    owner: NonEmptyText | None = None  # a partner id or a contact's name
    due: Date | None = None
    done: bool = False


class Meeting(Record):
    id: Id
    date: Date
    time: Time | None = None
    kind: MeetingKind = "jour-fixe"
    title: NonEmptyText
    location: Text | None = None
    participants: list[NonEmptyText] = Field(default_factory=list)
    agenda: list[NonEmptyText] = Field(default_factory=list)
    minutes: Text | None = None
    decisions: list[NonEmptyText] = Field(default_factory=list)
    actions: list[ActionItem] = Field(default_factory=list)
    example: bool = False


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


class Expense(Record):
    id: Id
    date: Date
    partner: Id
    category: Category
    amount: Annotated[Money, Field(gt=0)]
    description: NonEmptyText
    payee: Text | None = None
    receipt: Receipt | None = None
    meeting: Id | None = None
    measure: Id | None = None
    over_cap: bool = False
    example: bool = False


class Event(Record):
    """A programme-wide event (`events/`); it counts as a meeting for the pairs that attended."""

    id: Id
    date: Date
    kind: EventKind = "network-event"
    title: NonEmptyText
    location: Text | None = None
    pairs: list[Id] = Field(default_factory=list)
    example: bool = False
