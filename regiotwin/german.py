"""German a Verwaltung would sign: number agreement, articles in every case, quotes and
brackets that nest, dates written out, lists joined with "und".

The documents reach these rules through template filters (reports.py); the core calls them for
the few German phrases it builds itself. This module imports only the standard library and the
vocabulary (for the gender of a partner kind).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from regiotwin.vocabulary import PARTNER_KIND, Gender

# No genitive: it inflects the noun too (des Landkreises), which a name cannot be made to do.
Case = Literal["nom", "acc", "dat"]
CASES: tuple[Case, ...] = ("nom", "acc", "dat")

# the definite article by gender, in the order of CASES
ARTICLES: dict[str, tuple[str, str, str]] = {
    "m": ("der", "den", "dem"),
    "f": ("die", "die", "der"),
    "n": ("das", "das", "dem"),
}

# --- number agreement ---------------------------------------------------------------------------

# The nouns the documents count, singular → plural (nominative). The dative plural adds an -n
# where the plural does not already end in -n or -s (Termine → Terminen, Tage → Tagen).
NOUNS: dict[str, str] = {
    "Ansprechperson": "Ansprechpersonen",
    "Aufgabe": "Aufgaben",
    "Ausgabe": "Ausgaben",
    "Beleg": "Belege",
    "Beschluss": "Beschlüsse",
    "Frist": "Fristen",
    "Maßnahme": "Maßnahmen",
    "Monat": "Monate",
    "Pflicht": "Pflichten",
    "Tag": "Tage",
    "Termin": "Termine",
    "Veranstaltung": "Veranstaltungen",
}


def plural(noun: str) -> str:
    """The plural of a noun of NOUNS (a noun it lacks is a programming error: KeyError)."""
    return NOUNS[noun]


def dative_plural(noun: str) -> str:
    form = plural(noun)
    return form if form.endswith(("n", "s")) else form + "n"


def noun_for(count: int, noun: str, case: Case = "nom") -> str:
    """The form of *noun* that agrees with *count*: 1 Termin, 0 Termine, 2 Terminen (dative)."""
    if count == 1:
        return noun
    return dative_plural(noun) if case == "dat" else plural(noun)


def count(number: int, noun: str, case: Case = "nom") -> str:
    """`1 Termin`, `4 Termine`; in the dative `in 24 Tagen`."""
    return f"{number} {noun_for(number, noun, case)}"


def agree(number: int, singular: str, plural_form: str) -> str:
    """The word that agrees with *number*, for verbs and the like: fand / fanden."""
    return singular if number == 1 else plural_form


INDEFINITE: dict[str, str] = {"m": "ein", "f": "eine", "n": "ein"}


def counted(number: int, singular: str, plural_form: str, gender: Gender | None = None) -> str:
    """`3 Telefonkonferenzen`; one of a noun whose gender is known reads `ein Workshop`,
    `eine Exkursion` (a lone count in running text), else `1 Workshop`."""
    if number == 1:
        return f"{INDEFINITE[gender]} {singular}" if gender else f"1 {singular}"
    return f"{number} {plural_form}"


def tally(counts: Iterable[tuple[int, str, str]]) -> str:
    """`2 Jours fixes, 1 Telefonkonferenz und 1 Workshop`: (number, singular, plural) each, in
    figures, as a list that counts things of several kinds."""
    return enumeration(f"{n} {singular if n == 1 else plural_form}"
                       for n, singular, plural_form in counts)


def tense(phase: str, before: str, during: str, after: str) -> str:
    """The word for where the as-of date lies against the period (asof.phase): a document
    written before the period says what will be, during it what is, after it what was."""
    return {"before": before, "during": during, "after": after}[phase]


# --- bodies: articles and cases -----------------------------------------------------------------

# The gender of a body's name is the gender of its head noun: the last part of its first word
# (Landkreis, Hansestadt, Kreistag, Bundesministerium). Longer endings are tried first.
HEAD_NOUNS: dict[str, Gender] = {
    "kreis": "m", "stadt": "f", "gemeinde": "f", "region": "f", "verband": "m",
    "bezirk": "m", "ministerium": "n", "institut": "n", "träger": "m", "agentur": "f",
    "gesellschaft": "f", "stiftung": "f", "zentrum": "n", "behörde": "f", "tag": "m",
    "rat": "m", "versammlung": "f", "vertretung": "f", "ausschuss": "m", "büro": "n",
    "bank": "f", "team": "n",
    # documents a pair owes, named with their article in deadlines
    "nachweis": "m", "bericht": "m", "beitrag": "m", "broschüre": "f", "vorlage": "f",
}
# Whole words only: as an ending they would match too much (Amt, Land, Markt Garmisch).
HEAD_WORDS: dict[str, Gender] = {"amt": "n", "land": "n", "markt": "m"}
# Bodies known by their short name.
ACRONYMS: dict[str, Gender] = {
    "BMUB": "n", "BMU": "n", "BMUV": "n", "BMWi": "n", "BMWK": "n", "UBA": "n", "IdE": "n",
    "PtJ": "m", "KfW": "f", "ZUG": "f", "DLR": "n", "SK:KK": "f",
}
_LEADING: dict[str, Gender] = {"der": "m", "die": "f", "das": "n"}


def gender_of(name: str) -> Gender | None:
    """The grammatical gender of a body's name, from its head noun; None for a bare place
    name (Gießen), which takes no article."""
    words = name.split()
    if not words:
        return None
    first = words[0].strip("(),")
    if first in ACRONYMS:
        return ACRONYMS[first]
    last_part = first.rsplit("-", 1)[-1].casefold()
    if last_part in HEAD_WORDS:
        return HEAD_WORDS[last_part]
    for ending in sorted(HEAD_NOUNS, key=len, reverse=True):
        if last_part.endswith(ending):
            return HEAD_NOUNS[ending]
    return None


@dataclass(frozen=True)
class Body:
    """A named body (a partner, a ministry, a council) with the gender its article needs.

    `str()` gives the bare name, for tables; `nom`, `acc`, `dat` give it with the
    article (`dem Landkreis Gießen`); a body without a gender is named bare in every case.
    """

    name: str
    gender: Gender | None = None

    def __str__(self) -> str:
        return self.name

    def with_article(self, case: Case) -> str:
        if self.gender is None:
            return self.name
        return f"{ARTICLES[self.gender][CASES.index(case)]} {self.name}"

    @property
    def nom(self) -> str:
        return self.with_article("nom")

    @property
    def acc(self) -> str:
        return self.with_article("acc")

    @property
    def dat(self) -> str:
        return self.with_article("dat")


def body(text: str) -> Body:
    """A body as a settings file states it: `Projektträger Jülich (PtJ)` (gender from the head
    noun) or, where no rule knows it, with its article in front: `das BMUB`."""
    text = " ".join(text.split())
    first, _, rest = text.partition(" ")
    if first in _LEADING and rest:
        return Body(rest, _LEADING[first])
    return Body(text, gender_of(text))


def with_article(text: object, case: Case = "nom") -> str:
    """A body or a document named with its article where its head noun gives one."""
    return body(str(text)).with_article(case)


def partner_body(name: str, kind: str | None) -> Body:
    """A partner with its article: the head noun of its name decides (`Kreis Höxter`: der,
    `Stadt Słubice`: die). A bare name takes its kind in front (`Gießen`, a Landkreis: `der
    Landkreis Gießen`), unless the kind has no article of its own (Sonstige)."""
    gender = gender_of(name)
    if gender is not None:
        return Body(name, gender)
    if kind:
        kind_gender = PARTNER_KIND.gender(kind)
        if kind_gender is not None:
            return Body(f"{PARTNER_KIND.label(kind)} {name}", kind_gender)
    return Body(name)


# --- quotes, brackets, lists, dates -----------------------------------------------------------

_DOUBLE_QUOTES = frozenset('"„“”«»')


def quoted(text: object) -> str:
    """`„…“`, with quotes inside turned into single ones: „Projekt ‚Schule‘ läuft“."""
    inner, opening = [], True
    for ch in str(text):
        if ch in _DOUBLE_QUOTES:
            inner.append("‚" if opening else "‘")
            opening = not opening
        else:
            inner.append(ch)
    return "„" + "".join(inner) + "“"


def parenthesized(text: object) -> str:
    """`(…)`, with round brackets inside turned into square ones: (Institut … [IdE])."""
    inner = str(text).replace("(", "[").replace(")", "]")
    return f"({inner})"


def enumeration(items: Iterable[object], last: str = "und") -> str:
    """`A`, `A und B`, `A, B und C`."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember")


def long_date(day: dt.date | None) -> str:
    """`13. Juni 2016`, as a letter or a council paper dates itself."""
    if day is None:
        return ""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def capitalised(text: object) -> str:
    """The first letter upper case, for an article that begins a sentence: `Der Landkreis`."""
    value = str(text)
    return value[:1].upper() + value[1:]
