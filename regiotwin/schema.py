"""JSON Schemas (draft 2020-12) of the record files, for YAML editors and CI.

They are made from the models by pydantic, so they cannot drift from what `check` accepts. What the
models do not say lives here: the descriptions in German and English and the examples (a table
keyed by model and field: a test fails for a field without one), and what a YAML editor sees of
our types. The YAML language server reads YAML 1.2, so an unquoted date is a string, `12.50` a
number and `10:00` a string; the schemas accept exactly what our reader and the models accept,
with these differences, which `regiotwin check` still reports:

- what needs another file or the file's name: references, duplicate ids, the id matching the
  file name, the partnership period, the grant cap;
- comparisons inside one file: an end before the start, two partners with one id, the
  bounds of a number written as text (`funding_rate: '1.5'`), and a travel computation
  against its expense (amount, date, category) and its inputs (nights and meals within the
  trip), which `check` also prices again;
- the decimal places of an amount written as a number (`12.345`): `multipleOf: 0.01` misfires
  on binary floats in Python validators (19.99 would be refused), so it is left to `check`;
- plain scalars that YAML 1.2 reads as numbers and our reader as text (`0012`, `1e3`, `0x1f`):
  the editor wants quotes around such an id, and takes `1e3` for an amount, which `check`
  refuses as text;
- a bare date (`2016-06-15`) is a date to our reader: it is no id, and one that does not exist
  (`2016-02-30`) is refused even where text is expected, as it is in a trip's time
  (`2016-02-30 07:00`); and a quoted date with spaces inside the quotes (`' 2016-06-15'`) is
  refused by the schema's `format: date`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from regiotwin import dates, models, money
from regiotwin.limits import CONTROL_CHARACTERS
from regiotwin.loader import CONFIG_NAME, EVENTS_DIR, PAIR_FILE, PAIRS_DIR
from regiotwin.money import text_pattern
from regiotwin.slugs import _WINDOWS_DEVICES, ID_RE
from regiotwin.vocabulary import (
    CATEGORY,
    DECISION_STATUS,
    EVENT_KIND,
    MEAL,
    MEASURE_STATUS,
    MEETING_KIND,
    PARTNER_KIND,
    ROLE,
)
from regiotwin.writer import write_atomic

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = ".regiotwin/schemas"
SUFFIX = ".schema.json"


@dataclass(frozen=True)
class Kind:
    """A kind of record file: its model, where its files live, and what it is."""

    name: str
    model: type[models.Record]
    glob: str  # relative to the repository root, `*` within one folder
    german: str
    english: str

    @property
    def file_name(self) -> str:
        return self.name + SUFFIX


_PAIR = f"{PAIRS_DIR}/*"
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("programme", models.Programme, CONFIG_NAME,
             "Programmeinstellungen (regiotwin.yaml im Wurzelordner)",
             "Programme settings (regiotwin.yaml at the root)"),
        Kind("partnership", models.Partnership, f"{_PAIR}/{PAIR_FILE}",
             "Ein Twinning-Paar: partnerships/<paar>/partnership.yaml",
             "A twinning pair: partnerships/<pair>/partnership.yaml"),
        Kind("measure", models.Measure, f"{_PAIR}/measures/*.yaml",
             "Eine Maßnahme des Arbeitsplans: partnerships/<paar>/measures/<kennung>.yaml",
             "A measure of the work plan: partnerships/<pair>/measures/<id>.yaml"),
        Kind("meeting", models.Meeting, f"{_PAIR}/meetings/*.yaml",
             "Ein Termin (Jour fixe, Telefonkonferenz, Workshop …): "
             "partnerships/<paar>/meetings/<datum>-<kurzname>.yaml",
             "A meeting (jour fixe, phone conference, workshop …): "
             "partnerships/<pair>/meetings/<date>-<slug>.yaml"),
        Kind("decision", models.Decision, f"{_PAIR}/decisions/*.yaml",
             "Ein Gremienbeschluss: partnerships/<paar>/decisions/<datum>-<kurzname>.yaml",
             "A council decision: partnerships/<pair>/decisions/<date>-<slug>.yaml"),
        Kind("expense", models.Expense, f"{_PAIR}/expenses/*.yaml",
             "Eine Ausgabe: partnerships/<paar>/expenses/<datum>-<partner>-<kurzname>.yaml",
             "An expense: partnerships/<pair>/expenses/<date>-<partner>-<slug>.yaml"),
        Kind("event", models.Event, f"{EVENTS_DIR}/*.yaml",
             "Eine programmweite Veranstaltung: events/<datum>-<kurzname>.yaml",
             "A programme-wide event: events/<date>-<slug>.yaml"),
    )
}


# --- what the models do not say: descriptions and examples ----------------------------------


@dataclass(frozen=True)
class Doc:
    german: str
    english: str
    examples: tuple[Any, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.german}\n\n{self.english}"


_ID = Doc("Kennung = Dateiname ohne .yaml: Kleinbuchstaben, Ziffern und '-'.",
          "Id = the file name without .yaml: lowercase letters, digits and '-'.")
_EXAMPLE = Doc("true: erfundene Beispieldaten, keine Tatsache.",
               "true: made-up example data, not a fact.", (True,))
_LOCATION = Doc("Ort.", "Place.", ("Luckenwalde",))
_EMAIL = Doc("E-Mail-Adresse.", "E-mail address.", ("klimaschutz@example.org",))

# Titles of the nested models and descriptions of every field, keyed by model and field name.
MODELS: dict[str, tuple[str, dict[str, Doc]]] = {
    "Programme": ("Programmeinstellungen (programme settings)", {
        "name": Doc("Name des Förderprogramms.", "Name of the funding programme.",
                    ("RegioTwin",)),
        "organiser": Doc("Träger des Programms.", "Who runs the programme.",
                         ("Institut dezentrale Energietechnologien (IdE)",)),
        "funder": Doc("Fördermittelgeber.", "Who funds the programme.",
                      ("Bundesministerium für Umwelt, Naturschutz, Bau und "
                       "Reaktorsicherheit (BMUB)",)),
        "project_agency": Doc("Projektträger, der die Förderung verwaltet.",
                              "The project agency that administers the grant.",
                              ("Projektträger Jülich (PtJ)",)),
        "currency": Doc("Währung (nur EUR).", "Currency (EUR only).", ("EUR",)),
        "grant_cap": Doc("Förderhöchstbetrag je Kommune in Euro, höchstens zwei "
                         "Nachkommastellen.",
                         "Grant cap per municipality in euros, at most two decimal places.",
                         (1400,)),
        "funding_rate": Doc("Förderquote: größer als 0, höchstens 1 (1.0 = 100 %).",
                            "Funding rate: above 0, at most 1 (1.0 = 100 %).", (1.0, 0.8)),
        "categories": Doc("Die geförderten Kostenarten.", "The cost categories that are funded.",
                          (["project", "travel"],)),
        "reporting": Doc("Berichtspflichten: wann Zwischen- und Verwendungsnachweis fällig sind.",
                         "Reporting rules: when the interim and the final proof of use are due."),
    }),
    "Reporting": ("Berichtspflichten (reporting rules)", {
        "proof_months": Doc("Verwendungsnachweis fällig so viele Monate nach dem Ende der "
                            "Laufzeit (ANBest-P 6.1: 6; ANBest-Gk: 12).",
                            "The proof of use (Verwendungsnachweis) is due this many months "
                            "after the end of the period (ANBest-P: 6; ANBest-Gk: 12).", (6, 12)),
        "interim_months": Doc("Zwischennachweis fällig so viele Monate nach jedem Jahresende "
                              "in der Laufzeit (ANBest-P 6.1: 4, also zum 30. April); null: "
                              "keiner.",
                              "An interim proof is due this many months after each year end "
                              "inside the period (ANBest-P: 4, i.e. by 30 April); null: none.",
                              (4,)),
        "deadlines": Doc("Weitere Fristen des Programms für jedes Paar.",
                         "Further deadlines of the programme, for every pair."),
    }),
    "ProgrammeDeadline": ("Frist des Programms (programme deadline)", {
        "id": Doc("Kennung der Frist; ein Paar nennt sie unter submitted.",
                  "Id of the deadline; a pair names it under submitted.",
                  ("ergebnisbroschuere",)),
        "date": Doc("Fällig am (JJJJ-MM-TT).", "Due on (YYYY-MM-DD).", ("2017-08-31",)),
        "title": Doc("Was fällig ist.", "What is due.",
                     ("Beitrag zur Ergebnisbroschüre",)),
    }),
    "Contact": ("Ansprechperson (contact person)", {
        "name": Doc("Vor- und Nachname.", "Full name.", ("Erika Beispiel",)),
        "function": Doc("Funktion.", "Role.", ("Klimaschutzmanagerin",)),
        "email": _EMAIL,
        "phone": Doc("Telefonnummer.", "Phone number.", ("+49 3371 000000",)),
        "example": _EXAMPLE,
    }),
    "Partner": ("Partner (partner municipality)", {
        "id": Doc("Kennung des Partners, aus dem Namen gebildet: Kleinbuchstaben, Ziffern "
                  "und '-'.",
                  "The partner's id, made from its name: lowercase letters, digits and '-'.",
                  ("landkreis-giessen",)),
        "name": Doc("Name der Kommune.", "Name of the municipality.", ("Landkreis Gießen",)),
        "kind": Doc("Art der Kommune.", "Kind of municipality.", ("Landkreis",)),
        "role": Doc("Rolle im Twinning: beratend (mit Umsetzungserfahrung) oder umsetzend.",
                    "Role in the twinning: the advisor (with experience) or the implementer.",
                    ("advisor",)),
        "seat": Doc("Sitz der Verwaltung: der Ort, mit dem Vorlagen und Nachweise datiert "
                    "werden.",
                    "Seat of the administration: the place documents are dated with.",
                    ("Luckenwalde",)),
        "cost_plan": Doc("Finanzierungsplan des Partners (SOLL im Verwendungsnachweis); fehlt "
                         "er, wird er aus den geplanten Kosten der Maßnahmen abgeleitet.",
                         "The partner's cost plan (the planned figures of the proof of use); "
                         "when left out, it is derived from the measures' planned costs."),
        "grant_cap": Doc("Eigener Förderhöchstbetrag dieses Partners in Euro (sonst der des "
                         "Programms).",
                         "This partner's own grant cap in euros (default: the programme's).",
                         (1400,)),
        "receipt_prefix": Doc("Kürzel vor den Belegnummern des Partners (TF-007).",
                              "Prefix of the partner's receipt numbers (TF-007).", ("TF",)),
        "travel_law": Doc("Reisekostenrecht des Partners (Standard: bund, das BRKG).",
                          "The travel-cost law of the partner's staff (default: bund, the "
                          "BRKG).", ("bund", "hessen")),
        "contacts": Doc("Ansprechpersonen (mindestens eine).",
                        "Contact people (at least one).", ()),
    }),
    "CostPlan": ("Finanzierungsplan (cost plan)", {
        "project": Doc("Geplante Projektkosten in Euro.", "Planned project costs in euros.",
                       (700,)),
        "travel": Doc("Geplante Reisekosten in Euro.", "Planned travel costs in euros.", (700,)),
        "example": _EXAMPLE,
    }),
    "Submission": ("Eingereichter Nachweis (submission)", {
        "deadline": Doc("Die Frist: verwendungsnachweis, zwischennachweis-JJJJ oder die "
                        "Kennung einer Frist des Programms.",
                        "The deadline: verwendungsnachweis, zwischennachweis-YYYY or the id "
                        "of a programme deadline.", ("verwendungsnachweis",)),
        "date": Doc("Eingereicht am (JJJJ-MM-TT).", "Sent on (YYYY-MM-DD).", ("2017-12-08",)),
    }),
    "Consultant": ("Beratung (RegioTwin consultant)", {
        "name": Doc("Name der RegioTwin-Beraterin oder des -Beraters.",
                    "Name of the RegioTwin consultant.", ("Beispiel-Beraterin RegioTwin",)),
        "organisation": Doc("Organisation.", "Organisation.",
                            ("Institut dezentrale Energietechnologien (IdE)",)),
        "email": _EMAIL,
        "example": _EXAMPLE,
    }),
    "Agreement": ("Kooperationsvereinbarung (cooperation agreement)", {
        "signed": Doc("Tag der Unterzeichnung (JJJJ-MM-TT).", "Date signed (YYYY-MM-DD).",
                      ("2016-06-15",)),
        "reference": Doc("Bezeichnung oder Aktenzeichen.", "Name or file reference.",
                         ("Kooperationsvereinbarung für das Regionen-Twinning",)),
    }),
    "Partnership": ("Twinning-Paar (partnership)", {
        "id": Doc("Kennung = Name des Ordners: die Kennungen der beiden Partner, mit '--' "
                  "verbunden.",
                  "Id = the folder name: both partner ids joined by '--'.",
                  ("landkreis-teltow-flaeming--landkreis-giessen",)),
        "title": Doc("Titel des Twinnings.", "Title of the twinning.",
                     ("Regio-Twinning Landkreis Teltow-Fläming – Landkreis Gießen",)),
        "topic": Doc("Klimaschutz-Handlungsfeld.", "The climate-protection field.",
                     ("Energiesparen und Klimaschutz",)),
        "start": Doc("Erster Tag des Twinning-Jahres (JJJJ-MM-TT).",
                     "First day of the twinning year (YYYY-MM-DD).", ("2016-06-15",)),
        "end": Doc("Letzter Tag (JJJJ-MM-TT); fehlt er, gilt Beginn + ein Jahr − ein Tag.",
                   "Last day (YYYY-MM-DD); when left out: start + one year − one day.",
                   ("2017-06-14",)),
        "consultant": Doc("RegioTwin-Beratung des Paares.", "The pair's RegioTwin consultant."),
        "agreement": Doc("Die Kooperationsvereinbarung.", "The cooperation agreement."),
        "partners": Doc("Genau zwei Partner.", "Exactly two partners."),
        "submitted": Doc("Eingereichte Nachweise mit Datum; eine Frist mit Eintrag mahnt "
                         "`regiotwin check` nicht mehr an.",
                         "Proofs sent, with their dates; `regiotwin check` no longer warns "
                         "about a deadline listed here."),
        "notes": Doc("Notizen (Markdown).", "Notes (Markdown)."),
    }),
    "Effect": ("Erwartete Wirkung (expected effect)", {
        "value": Doc("Zahlenwert.", "Value.", (25.0,)),
        "unit": Doc("Einheit.", "Unit.", ("t CO2/a", "kWh/a")),
    }),
    "Measure": ("Maßnahme (work-plan measure)", {
        "id": _ID,
        "title": Doc("Titel der Maßnahme.", "Title of the measure.",
                     ("Energiesparmodell an Schulen",)),
        "description": Doc("Beschreibung.", "Description."),
        "owners": Doc("Verantwortliche Partner (Kennungen).", "Responsible partners (ids).",
                      (["landkreis-giessen"],)),
        "status": Doc("Stand der Umsetzung.", "State of the work.", ("planned",)),
        "start": Doc("Beginn (JJJJ-MM-TT).", "Start (YYYY-MM-DD).", ("2016-09-01",)),
        "due": Doc("Zieltermin (JJJJ-MM-TT).", "Due date (YYYY-MM-DD).", ("2017-03-31",)),
        "planned_cost": Doc("Geplante Kosten in Euro.", "Planned cost in euros.", (600,)),
        "needs_decision": Doc("true: die Umsetzung braucht einen Gremienbeschluss.",
                              "true: it needs a council decision.", (True,)),
        "effect": Doc("Erwartete Wirkung, z. B. 25 t CO2/a.",
                      "Expected effect, e.g. 25 t CO2/a."),
        "result": Doc("Ergebnis.", "Outcome."),
        "example": _EXAMPLE,
    }),
    "ActionItem": ("Aufgabe (action item)", {
        "what": Doc("Was zu tun ist.", "What to do.", ("Angebote einholen",)),
        "owner": Doc("Wer es tut: Kennung eines Partners oder Name einer Ansprechperson.",
                     "Who does it: a partner id or a contact's name.", ("landkreis-giessen",)),
        "due": Doc("Bis wann (JJJJ-MM-TT).", "Due date (YYYY-MM-DD).", ("2016-08-31",)),
        "done": Doc("true: erledigt.", "true: done.", (True,)),
        "done_on": Doc("Erledigt am (JJJJ-MM-TT; `meeting done` trägt den Tag ein). Berichte "
                       "mit früherem Stand zählen die Aufgabe als offen.",
                       "Done on (YYYY-MM-DD; `meeting done` records the day). Reports as of an "
                       "earlier day count the item open.", ("2016-07-14",)),
    }),
    "Meeting": ("Termin (meeting)", {
        "id": _ID,
        "date": Doc("Datum (JJJJ-MM-TT).", "Date (YYYY-MM-DD).", ("2016-07-20",)),
        "time": Doc("Beginn als HH:MM, z. B. '10:00'.", "Start as HH:MM, e.g. '10:00'.",
                    ("10:00",)),
        "end_time": Doc("Ende als HH:MM (nach dem Beginn).", "End as HH:MM (after the start).",
                        ("12:30",)),
        "kind": Doc("Art des Termins.", "Kind of meeting.", ("jour-fixe",)),
        "title": Doc("Titel.", "Title.", ("Jour fixe am 20.07.2016",)),
        "location": _LOCATION,
        "participants": Doc("Teilnehmende; 'Name @partner' ordnet jemanden einem Partner zu.",
                            "Participants; 'Name @partner' links a person to a partner.",
                            (["Erika Beispiel", "Kim Gast @landkreis-giessen"],)),
        "agenda": Doc("Tagesordnung.", "Agenda items.", (["Arbeitsplan abstimmen"],)),
        "minutes": Doc("Protokoll (Markdown).", "Minutes (Markdown)."),
        "decisions": Doc("Vereinbarungen.", "What was agreed.",
                         (["Arbeitsplan mit drei Maßnahmen beschlossen"],)),
        "actions": Doc("Aufgaben mit Verantwortlichen und Terminen.",
                       "Action items with owners and due dates."),
        "example": _EXAMPLE,
    }),
    "Decision": ("Gremienbeschluss (council decision)", {
        "id": _ID,
        "body": Doc("Gremium.", "The council body.", ("Kreistag", "Gemeinderat")),
        "date": Doc("Sitzungstag (JJJJ-MM-TT).", "Date of the session (YYYY-MM-DD).",
                    ("2016-06-27",)),
        "number": Doc("Nummer der Vorlage.", "Number of the council paper.", ("5-2786/16-III",)),
        "title": Doc("Titel der Vorlage.", "Title of the paper.",
                     ("Regio-Twinning mit dem Landkreis Gießen",)),
        "status": Doc("Stand des Beschlusses.", "State of the decision.", ("passed",)),
        "partner": Doc("Der Partner, dessen Gremium beschließt (Kennung).",
                       "The partner whose council decides (id).", ("landkreis-teltow-flaeming",)),
        "measures": Doc("Maßnahmen, die der Beschluss ermöglicht (Kennungen).",
                        "Measures the decision enables (ids).", (["energiesparmodell-schulen"],)),
        "example": _EXAMPLE,
    }),
    "Receipt": ("Beleg (receipt)", {
        "path": Doc("Pfad der Belegdatei im Ordner des Paares, mit '/'.",
                    "Path of the receipt file inside the pair folder, with '/'.",
                    ("receipts/2016-09-14-bahn.pdf",)),
        "sha256": Doc("SHA-256-Prüfsumme der Datei (64 Hex-Zeichen); regiotwin trägt sie ein.",
                      "SHA-256 of the file (64 hex digits); regiotwin fills it in."),
    }),
    "Expense": ("Ausgabe (expense)", {
        "id": _ID,
        "date": Doc("Tag der Ausgabe (JJJJ-MM-TT).", "Date of the expense (YYYY-MM-DD).",
                    ("2016-09-14",)),
        "partner": Doc("Der Partner, der bezahlt hat (Kennung).", "The partner who paid (id).",
                       ("landkreis-giessen",)),
        "category": Doc("Kostenart.", "Cost category.", ("travel",)),
        "receipt_no": Doc("Belegnummer: von `regiotwin expense add` vergeben (die nächste des "
                          "Partners), danach nie geändert.",
                          "Receipt number (Belegnummer): given by `regiotwin expense add` (the "
                          "partner's next number), never changed afterwards.", (7,)),
        "amount": Doc("Betrag in Euro: größer als 0, unter 1 Mrd., höchstens zwei "
                      "Nachkommastellen: 212.80 oder als Text '212,80', '1.400,50'.",
                      "Amount in euros: above 0, below one billion, at most two decimal "
                      "places: 212.80, or as text '212,80', '1.400,50'.", (212.8, "1.400,50")),
        "description": Doc("Wofür (Zweck).", "What it was for.",
                           ("Bahnfahrt zum Auftaktworkshop nach Luckenwalde",)),
        "payee": Doc("Empfänger der Zahlung.", "Who was paid.", ("Deutsche Bahn",)),
        "receipt": Doc("Der gescannte Beleg (von `regiotwin expense add --receipt`).",
                       "The scanned receipt (from `regiotwin expense add --receipt`)."),
        "meeting": Doc("Zugehöriger Termin (Kennung).", "The meeting it belongs to (id).",
                       ("2016-09-14-exkursion",)),
        "measure": Doc("Zugehörige Maßnahme (Kennung).", "The measure it belongs to (id).",
                       ("energiesparmodell-schulen",)),
        "over_cap": Doc("true: auch über den förderfähigen Betrag hinaus gebucht; was die "
                        "Zuwendung nicht trägt, sind Eigenmittel der Kommune.",
                        "true: booked even past the headroom; what the grant does not pay is "
                        "the commune's own money.", (True,)),
        "travel": Doc("Reisekostenberechnung nach dem Reisekostenrecht des Partners (von "
                      "`regiotwin expense add --km/--from/--to`); Betrag, Datum und Kostenart "
                      "folgen ihr, und `regiotwin check` rechnet sie nach.",
                      "Travel-cost computation under the partner's travel-cost law (from "
                      "`regiotwin expense add --km/--from/--to`); amount, date and category "
                      "follow it, and `regiotwin check` recomputes it."),
        "cancelled": Doc("Storno: die Ausgabe behält Datei und Belegnummer und zählt nirgends "
                         "mehr.",
                         "Cancellation (Storno): the expense keeps its file and number and "
                         "counts nowhere."),
        "example": _EXAMPLE,
    }),
    "Travel": ("Reisekostenberechnung (travel-cost computation)", {
        "law": Doc("Das angewandte Reisekostenrecht (bund = BRKG, hessen = HRKG, oder ein "
                   "Gesetz aus travel-rates/).",
                   "The travel-cost law applied (bund = BRKG, hessen = HRKG, or a law of "
                   "travel-rates/).", ("bund",)),
        "rates_from": Doc("Seit wann die angewandte Satztabelle gilt (JJJJ-MM-TT).",
                          "Since when the rate table applied is in force (YYYY-MM-DD).",
                          ("2014-01-01",)),
        "inputs": Doc("Die Angaben zur Reise, aus denen gerechnet wird.",
                      "What the traveller stated, from which it is computed."),
        "mileage": Doc("Wegstreckenentschädigung (gefahrene Kilometer im Privatwagen).",
                       "Mileage allowance (kilometres driven in a private car)."),
        "per_diem": Doc("Tagegeld, je Kalendertag der Reise.",
                        "Per-diem allowance, for each calendar day of the trip."),
        "lodging": Doc("Übernachtungsgeld.", "Lodging allowance."),
        "total": Doc("Summe aller Teile in Euro; gleich dem Betrag der Ausgabe.",
                     "Sum of all parts in euros; equal to the expense's amount.", (142.0,)),
    }),
    "TravelInputs": ("Angaben zur Reise (trip inputs)", {
        "start": Doc("Beginn der Reise: 'JJJJ-MM-TT HH:MM' (Verlassen der Wohnung oder "
                     "Dienststelle).",
                     "When the trip began: 'YYYY-MM-DD HH:MM' (leaving home or the office).",
                     ("2016-09-14 07:00",)),
        "end": Doc("Ende der Reise: 'JJJJ-MM-TT HH:MM'.", "When the trip ended: "
                   "'YYYY-MM-DD HH:MM'.", ("2016-09-14 19:30",)),
        "km": Doc("Im Privatwagen gefahrene Kilometer (ganze Zahl).",
                  "Kilometres driven in a private car (a whole number).", (700,)),
        "car_reason": Doc("Warum der Wagen nötig war, vor der Reise festgehalten: der höhere "
                          "Satz (BRKG: erhebliches dienstliches Interesse; HRKG: triftige "
                          "Gründe).",
                          "Why the car was needed, recorded before the trip: the higher rate "
                          "(BRKG: erhebliches dienstliches Interesse; HRKG: triftige Gründe).",
                          ("Transport von Ausstellungsmaterial",)),
        "meals": Doc("Unentgeltlich gestellte Mahlzeiten je Tag (JJJJ-MM-TT: breakfast, lunch, "
                     "dinner); sie kürzen das Tagegeld.",
                     "Meals provided free, by day (YYYY-MM-DD: breakfast, lunch, dinner); they "
                     "reduce the per-diem allowance.", ({"2016-09-14": ["lunch"]},)),
        "nights": Doc("Übernachtungen auswärts (0 bei einer Reise über Mitternacht ohne "
                      "Übernachtung); nötig, sobald die Reise über Nacht geht.",
                      "Nights spent away (0 for a trip over midnight without a stay); needed "
                      "once the trip runs over a night.", (1,)),
        "hotel": Doc("Die Übernachtungsrechnung für alle Nächte in Euro (sonst gilt das "
                     "pauschale Übernachtungsgeld).",
                     "The lodging bill for all nights in euros (else the flat rate applies).",
                     (85.5,)),
        "lodging_provided": Doc("true: die Unterkunft wurde unentgeltlich gestellt, kein "
                                "Übernachtungsgeld.",
                                "true: the lodging was provided free, no lodging allowance.",
                                (True,)),
    }),
    "MileagePart": ("Wegstreckenentschädigung (mileage allowance)", {
        "rate": Doc("Satz je Kilometer in Euro.", "Rate per kilometre in euros.", (0.2,)),
        "cap": Doc("Höchstbetrag je Reise in Euro, wenn das Gesetz einen kennt.",
                   "Cap per trip in euros, where the law has one.", (130.0,)),
        "amount": Doc("Betrag in Euro: Kilometer × Satz, höchstens der Höchstbetrag.",
                      "Amount in euros: kilometres × rate, at most the cap.", (130.0,)),
    }),
    "PerDiemDay": ("Tagegeld eines Tages (per diem of one day)", {
        "date": Doc("Der Kalendertag (JJJJ-MM-TT).", "The calendar day (YYYY-MM-DD).",
                    ("2016-09-14",)),
        "hours": Doc("Abwesenheit an diesem Tag, H:MM (0:00 bis 24:00).",
                     "Time away on this day, H:MM (0:00 to 24:00).", ("12:30",)),
        "rate": Doc("Der Satz, den der Tag erreicht, in Euro (0, Teil- oder Volltag).",
                    "The rate the day earns in euros (0, the partial or the full day).",
                    (12.0,)),
        "deduction": Doc("Kürzung für gestellte Mahlzeiten in Euro (nie mehr als der Satz).",
                         "Withheld for meals provided, in euros (never more than the rate).",
                         (4.8,)),
        "amount": Doc("Tagegeld des Tages in Euro: Satz minus Kürzung.",
                      "The day's allowance in euros: rate less deduction.", (12.0,)),
    }),
    "LodgingPart": ("Übernachtungsgeld (lodging allowance)", {
        "nights": Doc("Bezahlte Übernachtungen.", "Nights paid for.", (1,)),
        "flat": Doc("Das pauschale Übernachtungsgeld für alle Nächte in Euro.",
                    "The flat rate for all nights in euros.", (20.0,)),
        "hotel": Doc("Die Rechnung in Euro, wenn es eine gibt.",
                     "The bill in euros, when there is one.", (85.5,)),
        "limit": Doc("Bis zu welchem Betrag die Rechnung ohne Begründung zählt, für alle "
                     "Nächte in Euro.",
                     "What the bill may reach without justification, for all nights in "
                     "euros.", (60.0,)),
        "amount": Doc("Übernachtungsgeld in Euro.", "Lodging allowance in euros.", (60.0,)),
    }),
    "Cancellation": ("Storno (cancellation)", {
        "date": Doc("Tag des Stornos (JJJJ-MM-TT).", "Date of the cancellation (YYYY-MM-DD).",
                    ("2016-10-01",)),
        "reason": Doc("Grund des Stornos.", "Why the expense was cancelled.",
                      ("doppelt gebucht",)),
    }),
    "Event": ("Programmweite Veranstaltung (programme event)", {
        "id": _ID,
        "date": Doc("Datum (JJJJ-MM-TT).", "Date (YYYY-MM-DD).", ("2016-10-12",)),
        "kind": Doc("Art der Veranstaltung.", "Kind of event.", ("network-event",)),
        "title": Doc("Titel.", "Title.", ("Erste RegioTwin-Vernetzungsveranstaltung",)),
        "location": Doc("Ort.", "Place.", ("Berlin",)),
        "pairs": Doc("Teilnehmende Paare (Kennungen).", "Pairs that attended (ids).",
                     (["landkreis-teltow-flaeming--landkreis-giessen"],)),
        "example": _EXAMPLE,
    }),
}

_MARK = "x-regiotwin-type"  # stands for a `$ref` until pydantic is done with the schema

# What model validators add to a field and JSON Schema can state.
_FIELD_RULES: dict[tuple[str, str], dict[str, Any]] = {
    ("Partnership", "partners"): {"minItems": 2, "maxItems": 2},
    # meals by day: each key a date, each day at least one meal, none twice
    ("TravelInputs", "meals"): {"propertyNames": {_MARK: "date"},
                                "additionalProperties": {"minItems": 1, "uniqueItems": True}},
}
# Required fields that a model validator fills in when a file leaves them out.
_FILLED_IN: dict[str, tuple[str, ...]] = {"Partnership": ("end",)}

_VOCABULARIES = (CATEGORY, MEETING_KIND, MEASURE_STATUS, DECISION_STATUS, EVENT_KIND, ROLE,
                 MEAL, PARTNER_KIND)


# --- what a YAML editor sees of our types -------------------------------------------------------

# Each shared type is one entry of `$defs`, referred to by every field of that type.
_TYPES: dict[str, dict[str, Any]] = {
    "id": {
        "type": "string",
        "pattern": ID_RE.pattern,
        "not": {"enum": sorted(_WINDOWS_DEVICES)},
        "patternErrorMessage": "Kleinbuchstaben a-z, Ziffern und '-', z. B. landkreis-giessen / "
        "lowercase letters a-z, digits and '-', e.g. landkreis-giessen",
    },
    "date": {  # regiotwin writes ISO; a hand-written German date is read as well (dates.py)
        "anyOf": [
            {"type": "string", "format": "date", "pattern": dates.ISO_DATE.pattern},
            {"type": "string", "pattern": dates.GERMAN_DATE_PATTERN},
        ],
        "errorMessage": "Datum als JJJJ-MM-TT oder TT.MM.JJJJ / a date as YYYY-MM-DD or "
        "DD.MM.YYYY, e.g. 2016-06-27",
    },
    "time": {  # the models strip spaces around a quoted time or amount
        "type": "string",
        "pattern": r"^\s*" + models._TIME.pattern[1:-1] + r"\s*$",
        "patternErrorMessage": "Uhrzeit als HH:MM / a time as HH:MM, e.g. '10:00'",
    },
    # free text: a number, date or `true` written unquoted is taken as the text typed
    "text": {
        "type": ["string", "number", "boolean"],
        "pattern": "^[^" + CONTROL_CHARACTERS + "]*$",
        "patternErrorMessage": "Steuerzeichen (etwa aus einer PDF kopiert) sind nicht erlaubt / "
        "control characters (e.g. pasted from a PDF) are not allowed",
    },
    # amounts as numbers, or as text in the command line's grammar (`'1.400,50'`): money.py
    "money": {  # a cap or a planned cost: 0 or more
        "anyOf": [
            {"type": "number", "minimum": 0, "exclusiveMaximum": 1_000_000_000},
            {"type": "string", "pattern": text_pattern(zero_ok=True)},
        ],
    },
    "amount": {  # an expense amount: above zero
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1_000_000_000},
            {"type": "string", "pattern": text_pattern(zero_ok=False)},
        ],
    },
    "trip_time": {  # a local date and time to the minute, in the grammar of dates.py
        "type": "string",
        "pattern": dates.DATE_TIME_PATTERN,
        "patternErrorMessage": "Datum und Uhrzeit als 'JJJJ-MM-TT HH:MM' oder 'TT.MM.JJJJ HH:MM' "
        "/ a date and time as 'YYYY-MM-DD HH:MM' or 'DD.MM.YYYY HH:MM', e.g. '2016-09-14 07:00'",
    },
    "hours": {  # time away on one day, 0:00 to 24:00
        "type": "string",
        "pattern": r"^\s*(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)\s*$",
        "patternErrorMessage": "Stunden als H:MM, 0:00 bis 24:00 / hours as H:MM, 0:00 to 24:00",
    },
    "email": {
        "type": "string",
        "pattern": models._EMAIL.pattern,
        "patternErrorMessage": "E-Mail-Adresse / an e-mail address",
    },
    # pydantic's booleans: true/false, 0/1, and yes/no, on/off, y/n, t/f in any case
    "boolean": {
        "anyOf": [
            {"type": "boolean"},
            {"enum": [0, 1]},
            {"type": "string", "pattern": "^(" + "|".join(
                "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)
                for word in ("0", "1", "y", "n", "t", "f", "yes", "no", "on", "off", "true",
                             "false")) + ")$"},
        ],
    },
}
_DECIMAL_TEXT = r"^\s*[+-]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?\s*$"

# The validators of models.py: the type each one checks, or None where pydantic's own schema of
# the field is right, or JSON Schema cannot say it (comparisons between fields: `check` does).
_VALIDATORS: dict[Any, str | None] = {
    models._to_id: "id",
    models._to_date: "date",
    models._to_time: "time",
    models._to_text: "text",
    money.non_negative: "money",
    money.amount: "amount",
    models._to_email: "email",
    models.Partnership._default_end: None,  # the end may be left out: _FILLED_IN
    models.Partnership._check_end: None,  # end not before start: a comparison
    models.Partnership._check_partners: None,  # two partners: _FIELD_RULES; distinct ids
    models.Expense._check_travel: None,  # amount, date and category follow the computation
    models.parse_trip_time: "trip_time",
    models._to_hours: "hours",
    models._to_whole: None,  # an integer, which JSON Schema says itself
    # comparisons between the inputs: the end after the start, nights and meals within the
    # trip, a hotel bill or free lodging with nights, a car reason with kilometres
    models.TravelInputs._check_end: None,
    models.TravelInputs._check_car_reason: None,
    models.TravelInputs._check_meals: None,
    models.TravelInputs._check_nights: None,
    models.TravelInputs._check_hotel: None,
    models.TravelInputs._check_provided: None,
    models.TravelInputs._drop_false: None,  # `false` is stored as left out
    models.Meeting._check_end_time: None,  # end after start: a comparison
    models.ActionItem._check_done_on: None,  # a day only with done: true; a comparison
}
_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


class _Generator(GenerateJsonSchema):
    """pydantic's generator, taught our validators; it notes those it does not know."""

    noted: list[str]  # set per run by _generate

    def _known(self, schema: Any) -> str | None:
        function = schema["function"]["function"]
        if function in _VALIDATORS:
            return _VALIDATORS[function]
        inner = getattr(function, "func", function)  # pydantic's constraints are partials
        if not getattr(inner, "__module__", "").startswith("pydantic"):
            self.noted.append(getattr(function, "__qualname__", repr(function)))
        return None

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        kind = self._known(schema)
        return {_MARK: kind} if kind else super().function_before_schema(schema)

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        kind = self._known(schema)
        return {_MARK: kind} if kind else super().function_after_schema(schema)

    def function_wrap_schema(
        self, schema: core_schema.WrapValidatorFunctionSchema
    ) -> JsonSchemaValue:
        kind = self._known(schema)
        return {_MARK: kind} if kind else super().function_wrap_schema(schema)

    def function_plain_schema(
        self, schema: core_schema.PlainValidatorFunctionSchema
    ) -> JsonSchemaValue:
        kind = self._known(schema)
        return {_MARK: kind} if kind else super().function_plain_schema(schema)

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        return {_MARK: "boolean"}

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        result = super().decimal_schema(schema)
        for branch in result.get("anyOf", []):
            if branch.get("type") == "string":
                branch["pattern"] = _DECIMAL_TEXT
        return result

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # the descriptions say it better than "Over Cap"

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Decimal):  # a number in the editor, as in the files
            return int(dft) if dft == dft.to_integral_value() else float(dft)
        return super().encode_default(dft)


def _generate(kind: Kind) -> tuple[dict[str, Any], list[str]]:
    """pydantic's schema of the kind's model, and the validators it had no rule for."""
    unknown: list[str] = []

    class Generator(_Generator):
        noted = unknown

    from regiotwin.validation import adapter

    schema = adapter(kind.model).json_schema(schema_generator=Generator, mode="validation")
    return schema, unknown


def build_schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of one kind of record file."""
    body, _ = _generate(kind)
    definitions = body.pop("$defs", {})
    _describe(kind.model.__name__, body)
    for name, definition in definitions.items():
        _describe(name, definition)
    used: set[str] = set()
    labels = _enum_labels()
    for node in _walk(body, definitions):
        _to_ref(node, used)
        values = node.get("enum")
        if isinstance(values, list) and tuple(values) in labels:
            node["enumDescriptions"] = labels[tuple(values)]
    title, _ = MODELS[kind.model.__name__]
    body.pop("title", None)
    head: dict[str, Any] = {
        "$schema": DIALECT,
        "$comment": "Written by `regiotwin schema`; do not edit. After upgrading regiotwin, "
        "run `regiotwin schema` in the repository to update it.",
        "title": title,
        "description": f"{kind.german}\n\n{kind.english}",
    }
    types = {name: _TYPES[name] for name in _TYPES if name in used}
    return {**head, **body, "$defs": {**definitions, **json.loads(json.dumps(types))}}


def _to_ref(node: dict[str, Any], used: set[str]) -> None:
    """Turn a type mark into a `$ref` to the shared type; `Field(gt=0)` on money is `amount`."""
    kind = node.pop(_MARK, None)
    bounds = {key: node.pop(key) for key in list(node) if key in _BOUNDS}
    if kind == "money" and bounds == {"gt": 0}:
        kind, bounds = "amount", {}
    if kind is not None:
        rest = dict(node)
        node.clear()
        node["$ref"] = f"#/$defs/{kind}"
        node.update(rest)
        used.add(kind)
    node.update({_BOUNDS[key]: value for key, value in bounds.items()})


def _describe(model_name: str, node: dict[str, Any]) -> None:
    """Put the table's title, descriptions and examples into one model's schema."""
    title, fields = MODELS.get(model_name, (None, {}))
    if title:
        node["title"] = title
    node.pop("description", None)  # the model's docstring is written for programmers
    for name, prop in node.get("properties", {}).items():
        doc = fields.get(name)
        if doc is not None:
            prop["description"] = doc.text
            if doc.examples:
                prop["examples"] = list(doc.examples)
        prop.update(json.loads(json.dumps(_FIELD_RULES.get((model_name, name), {}))))
    filled = _FILLED_IN.get(model_name, ())
    if filled:
        node["required"] = [r for r in node.get("required", []) if r not in filled]
        for name in filled:
            prop = node["properties"][name]
            docs = ("description", "examples")
            rest = {k: v for k, v in prop.items() if k not in docs}
            node["properties"][name] = {
                "anyOf": [rest, {"type": "null"}],
                **{k: v for k, v in prop.items() if k in docs},
            }


def _walk(*roots: Any) -> Iterator[dict[str, Any]]:
    for root in roots:
        if isinstance(root, dict):
            yield root
            for value in list(root.values()):
                yield from _walk(value)
        elif isinstance(root, list):
            for value in root:
                yield from _walk(value)


def _enum_labels() -> dict[tuple[str, ...], list[str]]:
    """German labels for the editor's completion list, from the one vocabulary."""
    return {v.values: [v.label(value) for value in v.values] for v in _VOCABULARIES}


# --- files ---------------------------------------------------------------------------------------


def schema_text(kind: str) -> str:
    """The schema of one kind as the file holds it (UTF-8 JSON, two-space indent)."""
    return json.dumps(build_schema(KINDS[kind]), indent=2, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """Every schema file by name, in the order of KINDS."""
    return {kind.file_name: schema_text(name) for name, kind in KINDS.items()}


@dataclass
class Comparison:
    """How a folder of schemas stands against what this version writes."""

    changed: list[str] = field(default_factory=list)  # differs from what would be written
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # *.schema.json this version never writes

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.missing or self.unknown)


def compare_schemas(folder: Path) -> Comparison:
    """Compare *folder* with the schemas of this version; line endings do not count (a Windows
    checkout may turn them into CRLF)."""
    result = Comparison()
    wanted = schema_files()
    for name, text in wanted.items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            result.missing.append(name)
            continue
        except (OSError, UnicodeDecodeError):
            result.changed.append(name)
            continue
        if current.replace("\r\n", "\n") != text:
            result.changed.append(name)
    if folder.is_dir():
        result.unknown = sorted(
            p.name for p in folder.glob("*" + SUFFIX) if p.name not in wanted
        )
    return result


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema that is missing or differs; return the files written."""
    written = []
    for name, text in schema_files().items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            write_atomic(path, text, new=False, make_folder=True)
            written.append(path)
    return written


# --- for the tests: what the table and the generator do not cover -------------------------------


def gaps() -> list[str]:
    """Fields without a description, descriptions of fields that do not exist, and validators
    the generator does not know: each one line, for a test that fails naming them."""
    problems: list[str] = []
    seen: set[str] = set()
    for kind in KINDS.values():
        body, unknown = _generate(kind)
        problems += [f"{kind.name}: no JSON Schema rule for the validator {u}"
                     for u in dict.fromkeys(unknown)]
        for name, node in [(kind.model.__name__, body), *body.get("$defs", {}).items()]:
            if name in seen:
                continue
            seen.add(name)
            fields = MODELS.get(name, (None, {}))[1]
            if name not in MODELS:
                problems.append(f"{name}: no entry in regiotwin/schema.py MODELS")
            for field_name in node.get("properties", {}):
                if field_name not in fields:
                    problems.append(f"{name}.{field_name}: no description in regiotwin/schema.py")
            problems += [f"{name}.{f}: described but not a field" for f in fields
                         if f not in node.get("properties", {})]
    problems += [f"{name}: described but not a model of any record" for name in MODELS
                 if name not in seen]
    return problems
