"""The vocabulary: every enumerated value the files hold, its German label, and the words a user
may type for it (`--status beschlossen`, `--kind Telefonkonferenz`, `--category Reisekosten`).

Files keep the English values; documents show the German labels; input accepts either, and the
aliases, in any case and with or without umlauts. This module imports only the standard
library, so the command line can build its option types without loading the models.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal, get_args

Category = Literal["project", "travel"]
MeetingKind = Literal[
    "jour-fixe",
    "phone-conference",
    "workshop",
    "working-meeting",
    "study-tour",
    "network-event",
    "other",
]
MeasureStatus = Literal["planned", "in-progress", "done", "dropped"]
DecisionStatus = Literal["pending", "passed", "rejected"]
EventKind = Literal["network-event", "workshop", "conference", "other"]
Role = Literal["advisor", "implementer"]
PartnerKind = Literal["Landkreis", "Stadt", "Gemeinde", "Region", "Verband", "Sonstige"]
Meal = Literal["breakfast", "lunch", "dinner"]


@dataclass(frozen=True)
class Term:
    value: str  # what the files hold
    label: str  # what German documents show
    aliases: tuple[str, ...] = ()  # further words a user may type


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _key(text: str) -> str:
    """`In Arbeit` = `in-arbeit`, `Gießen` = `giessen`: how typed words are compared."""
    text = unicodedata.normalize("NFC", text).strip().casefold().translate(_UMLAUTS)
    return "-".join(text.replace("_", " ").replace("-", " ").split())


class Vocabulary:
    """The values of one Literal type, with labels and aliases, checked against the type."""

    def __init__(self, name: str, literal: object, terms: list[Term]) -> None:
        self.name = name
        self.terms = {term.value: term for term in terms}
        if tuple(self.terms) != get_args(literal):  # pragma: no cover - a programming error
            raise AssertionError(f"the {name} vocabulary does not match its type")
        self._lookup: dict[str, str] = {}
        for term in terms:
            for word in (term.value, term.label, *term.aliases):
                self._lookup.setdefault(_key(word), term.value)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.terms)

    def label(self, value: str) -> str:
        """The German label of a value (the value itself for one the vocabulary lacks)."""
        term = self.terms.get(value)
        return term.label if term else value

    def lookup(self, text: str) -> str | None:
        """The value a user meant by *text*, or None."""
        return self._lookup.get(_key(text))

    def describe(self) -> str:
        """`planned (geplant), in-progress (in Arbeit), …` for help texts and errors."""
        return ", ".join(
            f"{t.value} ({t.label})" if _key(t.label) != _key(t.value) else t.value
            for t in self.terms.values()
        )


CATEGORY = Vocabulary(
    "category",
    Category,
    [
        Term("project", "Projektkosten", ("Projekt", "Sachkosten", "Sachmittel", "Projektmittel")),
        Term("travel", "Reisekosten", ("Reise", "Fahrtkosten", "Fahrt", "Dienstreise")),
    ],
)

MEETING_KIND = Vocabulary(
    "meeting kind",
    MeetingKind,
    [
        Term("jour-fixe", "Jour fixe", ("jourfixe",)),
        Term("phone-conference", "Telefonkonferenz",
             ("Telko", "Telefon", "phone", "Videokonferenz", "Videocall", "online")),
        Term("workshop", "Workshop"),
        Term("working-meeting", "Arbeitsgespräch",
             ("Arbeitstreffen", "Arbeitssitzung", "Besprechung", "Treffen")),
        Term("study-tour", "Exkursion", ("Studienreise", "Studienfahrt")),
        Term("network-event", "Vernetzungsveranstaltung", ("Netzwerktreffen",)),
        Term("other", "Termin", ("Sonstiges", "sonstige")),
    ],
)

MEASURE_STATUS = Vocabulary(
    "measure status",
    MeasureStatus,
    [
        Term("planned", "geplant"),
        Term("in-progress", "in Arbeit", ("laufend", "begonnen", "in Bearbeitung", "in Umsetzung")),
        Term("done", "erledigt", ("abgeschlossen", "fertig", "umgesetzt")),
        Term("dropped", "verworfen", ("aufgegeben", "gestrichen", "abgebrochen")),
    ],
)

DECISION_STATUS = Vocabulary(
    "decision status",
    DecisionStatus,
    [
        Term("pending", "offen", ("ausstehend", "beantragt", "vorgelegt", "eingebracht")),
        Term("passed", "beschlossen", ("angenommen", "zugestimmt", "genehmigt")),
        Term("rejected", "abgelehnt"),
    ],
)

EVENT_KIND = Vocabulary(
    "event kind",
    EventKind,
    [
        Term("network-event", "Vernetzungsveranstaltung", ("Netzwerktreffen",)),
        Term("workshop", "Workshop"),
        Term("conference", "Konferenz", ("Tagung",)),
        Term("other", "Veranstaltung", ("Sonstiges", "sonstige")),
    ],
)

ROLE = Vocabulary(
    "role",
    Role,
    [
        Term("advisor", "beratender Partner (Umsetzungserfahrung)", ("beratend", "Berater")),
        Term("implementer", "umsetzender Partner", ("umsetzend", "Umsetzer")),
    ],
)

# meals provided on a trip, which reduce the Tagegeld (§ 6 Abs. 2 BRKG)
MEAL = Vocabulary(
    "meal",
    Meal,
    [
        Term("breakfast", "Frühstück"),
        Term("lunch", "Mittagessen", ("Mittag",)),
        Term("dinner", "Abendessen", ("Abendbrot", "supper")),
    ],
)

# what kind of body a partner is; the values are German already, the aliases English
PARTNER_KIND = Vocabulary(
    "partner kind",
    PartnerKind,
    [
        Term("Landkreis", "Landkreis", ("Kreis", "county", "district")),
        Term("Stadt", "Stadt", ("kreisfreie Stadt", "city", "town")),
        Term("Gemeinde", "Gemeinde", ("municipality", "Kommune")),
        Term("Region", "Region", ("Regionalverband",)),
        Term("Verband", "Verband", ("Zweckverband", "association")),
        Term("Sonstige", "Sonstige", ("other", "sonstiges")),
    ],
)
