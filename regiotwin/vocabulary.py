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
Gender = Literal["m", "f", "n"]  # of a German noun: der, die, das
Meal = Literal["breakfast", "lunch", "dinner"]


@dataclass(frozen=True)
class Term:
    value: str  # what the files hold
    label: str  # what German documents show
    aliases: tuple[str, ...] = ()  # further words a user may type
    gender: Gender | None = None  # of the label, where documents put an article before it
    plural: str | None = None  # of the label, where documents count it (2 Jours fixes)


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

    def plural(self, value: str) -> str:
        """The plural of a value's label (the label itself where it has none)."""
        term = self.terms.get(value)
        return (term.plural or term.label) if term else value

    def gender(self, value: str) -> Gender | None:
        """The gender of a value's label (der Landkreis, die Stadt); None when it has none."""
        term = self.terms.get(value)
        return term.gender if term else None

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
        Term("jour-fixe", "Jour fixe", ("jourfixe",), "m", "Jours fixes"),
        Term("phone-conference", "Telefonkonferenz",
             ("Telko", "Telefon", "phone", "Videokonferenz", "Videocall", "online"), "f",
             "Telefonkonferenzen"),
        Term("workshop", "Workshop", (), "m", "Workshops"),
        Term("working-meeting", "Arbeitsgespräch",
             ("Arbeitstreffen", "Arbeitssitzung", "Besprechung", "Treffen"), "n",
             "Arbeitsgespräche"),
        Term("study-tour", "Exkursion", ("Studienreise", "Studienfahrt"), "f", "Exkursionen"),
        Term("network-event", "Vernetzungsveranstaltung", ("Netzwerktreffen",), "f",
             "Vernetzungsveranstaltungen"),
        Term("other", "Termin", ("Sonstiges", "sonstige"), "m", "Termine"),
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
        Term("network-event", "Vernetzungsveranstaltung", ("Netzwerktreffen",), "f",
             "Vernetzungsveranstaltungen"),
        Term("workshop", "Workshop", (), "m", "Workshops"),
        Term("conference", "Konferenz", ("Tagung",), "f", "Konferenzen"),
        Term("other", "Veranstaltung", ("Sonstiges", "sonstige"), "f", "Veranstaltungen"),
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

# the kinds of partner; the gender gives the article (der Landkreis, dem Landkreis: german.py)
PARTNER_KIND = Vocabulary(
    "partner kind",
    PartnerKind,
    [
        Term("Landkreis", "Landkreis", ("Kreis", "county", "district"), "m"),
        Term("Stadt", "Stadt", ("kreisfreie Stadt", "Kreisstadt", "city", "town"), "f"),
        Term("Gemeinde", "Gemeinde",
             ("Samtgemeinde", "Verbandsgemeinde", "municipality", "Kommune"), "f"),
        Term("Region", "Region", ("Regionalverband",), "f"),
        Term("Verband", "Verband", ("Zweckverband", "Gemeindeverband", "association"), "m"),
        Term("Sonstige", "Sonstige", ("other", "sonstiges")),
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

