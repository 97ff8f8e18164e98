"""German a Verwaltung would sign (issue #13): one test per grammar rule, through the core
(regiotwin.german) and, for the cases the issue reproduced, through the documents."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from regiotwin import german
from regiotwin.asof import phase
from regiotwin.german import Body, body, partner_body
from regiotwin.models import CostPlan
from regiotwin.partnerships import guess_kind
from regiotwin.slugs import slugify
from regiotwin.vocabulary import CATEGORY, EVENT_KIND, MEETING_KIND, PARTNER_KIND
from tests.conftest import PAIR

# --- number agreement --------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "noun", "expected"), [
    (1, "Termin", "1 Termin"),
    (2, "Termin", "2 Termine"),
    (0, "Termin", "0 Termine"),
    (1, "Aufgabe", "1 Aufgabe"),
    (3, "Aufgabe", "3 Aufgaben"),
    (1, "Veranstaltung", "1 Veranstaltung"),
    (2, "Veranstaltung", "2 Veranstaltungen"),
    (2, "Beschluss", "2 Beschlüsse"),
])
def test_singular_and_plural_agree_with_the_number(number: int, noun: str, expected: str) -> None:
    assert german.count(number, noun) == expected


@pytest.mark.parametrize(("number", "noun", "expected"), [
    (24, "Tag", "24 Tagen"),  # in 24 Tagen: the dative plural adds -n
    (1, "Tag", "1 Tag"),
    (2, "Termin", "2 Terminen"),
    (2, "Aufgabe", "2 Aufgaben"),  # a plural in -n takes no second one
])
def test_the_dative_plural_adds_an_n(number: int, noun: str, expected: str) -> None:
    assert german.count(number, noun, "dat") == expected


def test_verbs_agree_with_the_number() -> None:
    assert german.agree(1, "fand", "fanden") == "fand"
    assert german.agree(4, "fand", "fanden") == "fanden"


# --- articles and cases ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "nom", "dat", "acc"), [
    ("Landkreis Gießen", "der Landkreis Gießen", "dem Landkreis Gießen", "den Landkreis Gießen"),
    ("Kreis Höxter", "der Kreis Höxter", "dem Kreis Höxter", "den Kreis Höxter"),
    ("Stadt Słubice", "die Stadt Słubice", "der Stadt Słubice", "die Stadt Słubice"),
    ("Region Hannover", "die Region Hannover", "der Region Hannover", "die Region Hannover"),
    ("Gemeinde Wettenberg", "die Gemeinde Wettenberg", "der Gemeinde Wettenberg",
     "die Gemeinde Wettenberg"),
    ("Hansestadt Rostock", "die Hansestadt Rostock", "der Hansestadt Rostock",
     "die Hansestadt Rostock"),
    ("Rhein-Sieg-Kreis", "der Rhein-Sieg-Kreis", "dem Rhein-Sieg-Kreis", "den Rhein-Sieg-Kreis"),
    ("Amt Britz-Chorin", "das Amt Britz-Chorin", "dem Amt Britz-Chorin", "das Amt Britz-Chorin"),
])
def test_a_partner_takes_the_article_of_its_head_noun(
    name: str, nom: str, dat: str, acc: str
) -> None:
    found = partner_body(name, None)
    assert (found.nom, found.dat, found.acc) == (nom, dat, acc)


@pytest.mark.parametrize(("kind", "nom", "dat"), [
    ("Landkreis", "der Landkreis Gießen", "dem Landkreis Gießen"),
    ("Stadt", "die Stadt Gießen", "der Stadt Gießen"),
    ("Gemeinde", "die Gemeinde Gießen", "der Gemeinde Gießen"),
    ("Region", "die Region Gießen", "der Region Gießen"),
    ("Verband", "der Verband Gießen", "dem Verband Gießen"),
])
def test_a_bare_name_takes_its_kind_and_the_kinds_article(kind: str, nom: str, dat: str) -> None:
    found = partner_body("Gießen", kind)
    assert (found.nom, found.dat) == (nom, dat)


def test_a_bare_name_of_no_known_kind_stays_bare() -> None:
    assert partner_body("Gießen", "Sonstige").dat == "Gießen"
    assert partner_body("Gießen", None).dat == "Gießen"
    assert str(partner_body("Landkreis Gießen", "Landkreis")) == "Landkreis Gießen"


@pytest.mark.parametrize(("text", "acc", "name"), [
    ("Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit (BMUB)",
     "das Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit (BMUB)",
     "Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit (BMUB)"),
    ("Projektträger Jülich (PtJ)", "den Projektträger Jülich (PtJ)", "Projektträger Jülich (PtJ)"),
    ("Institut dezentrale Energietechnologien (IdE)",
     "das Institut dezentrale Energietechnologien (IdE)",
     "Institut dezentrale Energietechnologien (IdE)"),
    ("BMUB", "das BMUB", "BMUB"),
    ("die Zukunft – Umwelt – Gesellschaft gGmbH", "die Zukunft – Umwelt – Gesellschaft gGmbH",
     "Zukunft – Umwelt – Gesellschaft gGmbH"),  # an article written in front decides
    ("Klimaschutzbüro Nord", "das Klimaschutzbüro Nord", "Klimaschutzbüro Nord"),
    ("Acme Consulting", "Acme Consulting", "Acme Consulting"),  # unknown: named bare
])
def test_programme_bodies_take_their_article(text: str, acc: str, name: str) -> None:
    found = body(text)
    assert (found.acc, str(found)) == (acc, name)


@pytest.mark.parametrize(("name", "gender", "cases"), [
    ("Kreistag", "m", ("der Kreistag", "den Kreistag", "dem Kreistag")),
    ("Stadtverordnetenversammlung", "f", ("die Stadtverordnetenversammlung",
                                          "die Stadtverordnetenversammlung",
                                          "der Stadtverordnetenversammlung")),
    ("Amt Britz-Chorin", "n", ("das Amt Britz-Chorin", "das Amt Britz-Chorin",
                               "dem Amt Britz-Chorin")),
])
def test_the_article_in_each_case_and_gender(name: str, gender: str, cases: tuple[str, ...]) -> None:
    found = body(name)
    assert found == Body(name, gender)
    assert (found.nom, found.acc, found.dat) == cases


def test_every_partner_kind_but_sonstige_has_a_gender() -> None:
    assert {v: PARTNER_KIND.gender(v) for v in PARTNER_KIND.values} == {
        "Landkreis": "m", "Stadt": "f", "Gemeinde": "f", "Region": "f", "Verband": "m",
        "Sonstige": None}


def test_partner_kinds_are_typed_as_a_user_would() -> None:
    assert PARTNER_KIND.lookup("Kreis") == "Landkreis"
    assert guess_kind("Kreis Höxter") == "Landkreis"
    assert guess_kind("Stadt Słubice") == "Stadt"
    assert guess_kind("Musterhausen") is None


# --- quotes, brackets, lists, dates --------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Wärmewende", "„Wärmewende“"),
    ("Projekt „Schule“ läuft", "„Projekt ‚Schule‘ läuft“"),
    ('Projekt "Schule" läuft', "„Projekt ‚Schule‘ läuft“"),
    ("Projekt “Schule” läuft", "„Projekt ‚Schule‘ läuft“"),
])
def test_quotes_nest(text: str, expected: str) -> None:
    assert german.quoted(text) == expected


def test_brackets_nest() -> None:
    assert german.parenthesized("Institut dezentrale Energietechnologien (IdE)") == (
        "(Institut dezentrale Energietechnologien [IdE])")


@pytest.mark.parametrize(("items", "expected"), [
    ([], ""), (["A"], "A"), (["A", "B"], "A und B"), (["A", "B", "C"], "A, B und C")])
def test_lists_are_joined_with_und(items: list[str], expected: str) -> None:
    assert german.enumeration(items) == expected


def test_long_dates_name_the_month() -> None:
    assert german.long_date(dt.date(2016, 6, 13)) == "13. Juni 2016"
    assert german.long_date(dt.date(2017, 3, 1)) == "1. März 2017"


@given(st.text(alphabet="ab „“\"”()[]", max_size=30))
def test_quoted_text_holds_no_second_opening_double_quote(text: str) -> None:
    quoted = german.quoted(text)
    assert quoted.count("„") == 1 and quoted.count("“") == 1 and '"' not in quoted


# --- ids from every script ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "slug"), [
    ("Stadt Słubice", "stadt-slubice"),
    ("Landkreis Teltow-Fläming", "landkreis-teltow-flaeming"),
    ("Gießen", "giessen"),
    ("Kommune Tønsberg", "kommune-tonsberg"),
    ("Ærø Kommune", "aero-kommune"),
    ("Łódź", "lodz"),
    ("Москва", "moskva"),
    ("Θεσσαλονίκη", "thessalonike"),
    ("Überlingen", "ueberlingen"),
])
def test_ids_transliterate_every_script_and_keep_the_umlaut_rules(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_polish_partner_gets_a_readable_id(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = run("partnership", "new", "--partner", "Landkreis Märkisch-Oderland",
                 "--partner", "Stadt Słubice", "--topic", "Wärme", "--start", "2016-07-01")
    assert result.exit_code == 0, result.stderr
    assert "landkreis-maerkisch-oderland--stadt-slubice" in result.stdout


def test_cost_plan_has_one_field_per_category() -> None:
    """The Finanzierungsplan and the cost categories are kept in step."""
    assert [f.name for f in dataclasses.fields(CostPlan) if f.name != "example"] == list(CATEGORY.values)


# --- the cases the issue reproduced, in the documents ----------------------------------------


def test_one_meeting_is_one_termin_and_two_contacts_are_joined_with_und(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    run("meeting", "add", "--date", "2016-07-05", "--title", "Auftakt")
    run("contact", "add", "--partner", "stadt-b", "--name", "Clara Chef",
        "--function", "Leitung (Umwelt)")
    result = run("report", "render", "council", "--partner", "stadt-b", "--as-of", "2016-08-01")
    assert result.exit_code == 0, result.stderr
    assert "\nBis zum 01.08.2016 fand ein Jour fixe statt.\n" in result.stdout
    assert "Ansprechpersonen: Bernd Bau und Clara Chef (Leitung [Umwelt])." in result.stdout
    final = run("report", "render", "final").stdout
    assert "\nEs fand ein Jour fixe statt.\n" in final


def test_counts_name_one_thing_in_words_and_several_kinds_in_figures() -> None:
    assert german.counted(1, "Workshop", "Workshops", "m") == "ein Workshop"
    assert german.counted(1, "Exkursion", "Exkursionen", "f") == "eine Exkursion"
    assert german.counted(1, "Arbeitsgespräch", "Arbeitsgespräche", "n") == "ein Arbeitsgespräch"
    assert german.counted(1, "Sitzung X", "Sitzungen X") == "1 Sitzung X"
    assert german.counted(3, "Jour fixe", "Jours fixes", "m") == "3 Jours fixes"
    assert german.tally([(2, "Jour fixe", "Jours fixes"), (1, "Telefonkonferenz",
                         "Telefonkonferenzen"), (1, "Workshop", "Workshops")]) == (
        "2 Jours fixes, 1 Telefonkonferenz und 1 Workshop")
    assert [MEETING_KIND.plural(k) for k in MEETING_KIND.values] == [
        "Jours fixes", "Telefonkonferenzen", "Workshops", "Arbeitsgespräche", "Exkursionen",
        "Vernetzungsveranstaltungen", "Termine"]
    assert all(MEETING_KIND.gender(k) for k in MEETING_KIND.values)
    assert all(EVENT_KIND.gender(k) and EVENT_KIND.plural(k) != EVENT_KIND.label(k)
               for k in EVENT_KIND.values)


@pytest.mark.parametrize(("as_of", "words"), [
    ("2016-06-30", "wird … zusammenarbeiten"), ("2016-07-01", "arbeitet … zusammen"),
    ("2017-06-29", "arbeitet … zusammen"), ("2017-06-30", "hat … zusammengearbeitet"),
    ("2017-07-01", "hat … zusammengearbeitet"),
])
def test_the_tense_follows_the_as_of_date_against_the_period(as_of: str, words: str) -> None:
    where = phase(dt.date(2016, 7, 1), dt.date(2017, 6, 30), dt.date.fromisoformat(as_of))
    assert (german.tense(where, "wird", "arbeitet", "hat") + " … "
            + german.tense(where, "zusammenarbeiten", "zusammen", "zusammengearbeitet")) == words


def test_the_funder_and_the_agency_are_named_with_their_articles(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({"regiotwin.yaml": "name: RegioTwin\nfunder: das BMUB\n"})
    text = run("report", "render", "status", "--as-of", "2016-08-01").stdout
    assert "gefördert durch das BMUB über den Projektträger Jülich (PtJ)." in text
    assert "An das RegioTwin-Projektteam (Institut dezentrale Energietechnologien [IdE])" in text


def test_a_kreis_is_named_with_its_article_and_quotes_nest(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    ship = root / "partnerships" / PAIR / "partnership.yaml"
    ship.write_text(ship.read_text(encoding="utf-8")
                    .replace("name: Stadt A", "name: Kreis Höxter")
                    .replace("topic: Wärmewende", "topic: Kampagne „Energie sparen“"),
                    encoding="utf-8")
    text = run("report", "render", "council", "--partner", "stadt-b",
               "--as-of", "2016-08-01").stdout
    assert "**Betr.:** Regio-Twinning mit dem Kreis Höxter" in text
    assert "zum Thema „Kampagne ‚Energie sparen‘“ zusammen" in text
