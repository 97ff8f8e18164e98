"""Finding records (issue #12): ids by prefix, file name, path or date; partners by name in any
spelling; pairs by prefix or partner; the closest ids when nothing matches."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from regiotwin.errors import RefusedError, UsageError
from regiotwin.lookup import (
    Choices,
    closest,
    distance,
    find_partner,
    near_misses,
    resolve,
    resolve_pair,
    same_name,
)
from regiotwin.models import Partner
from tests.conftest import PAIR, copy_example

EXAMPLE = "landkreis-teltow-flaeming--landkreis-giessen"
E = f"partnerships/{EXAMPLE}"


# --- the core -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "edits"), [
    ("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("Max Beispiel", "Max Beispeil", 2),
    ("Gießen", "Giessen", 2), ("jour-fixe", "jour-fixe", 0),
])
def test_edit_distance(a: str, b: str, edits: int) -> None:
    assert distance(a, b) == distance(b, a) == edits


@given(st.text(max_size=8), st.text(max_size=8), st.text(max_size=8))
def test_edit_distance_is_a_metric(a: str, b: str, c: str) -> None:
    assert distance(a, b) == distance(b, a)
    assert (distance(a, b) == 0) == (a == b)
    assert distance(a, c) <= distance(a, b) + distance(b, c)


def _meetings() -> Choices[str]:
    import datetime as dt

    choices: Choices[str] = Choices("meeting")
    for record_id, day in (("2016-06-15-auftakt", dt.date(2016, 6, 15)),
                           ("2016-07-20-jour-fixe", dt.date(2016, 7, 20)),
                           ("2016-07-20-telefon", dt.date(2016, 7, 20)),
                           ("2016-08-17-jour-fixe", dt.date(2016, 8, 17))):
        choices.add(record_id, record_id, date=day)
    return choices


@pytest.mark.parametrize(("ref", "found"), [
    ("2016-06-15-auftakt", "2016-06-15-auftakt"),
    ("2016-06-15", "2016-06-15-auftakt"),
    ("15.06.2016", "2016-06-15-auftakt"),
    ("15.6.2016", "2016-06-15-auftakt"),
    ("2016-08", "2016-08-17-jour-fixe"),
    ("2016-06-15-auftakt.yaml", "2016-06-15-auftakt"),
    (f"{E}/meetings/2016-06-15-auftakt.yaml", "2016-06-15-auftakt"),
    ("meetings\\2016-07-20-telefon.yaml", "2016-07-20-telefon"),
    ("/abs/path/2016-07-20-telefon.yml", "2016-07-20-telefon"),
])
def test_a_record_is_found_by_id_date_prefix_file_name_or_path(ref: str, found: str) -> None:
    assert resolve(_meetings(), ref, "ID") == found


def test_several_matches_are_a_usage_error_naming_them() -> None:
    with pytest.raises(UsageError) as caught:
        resolve(_meetings(), "20.07.2016", "ID")
    assert caught.value.message == ("ID '20.07.2016' matches 2 meetings: 2016-07-20-jour-fixe, "
                                    "2016-07-20-telefon; give more of the id")
    with pytest.raises(UsageError, match="matches 4 meetings"):
        resolve(_meetings(), "2016", "ID")


def test_nothing_found_names_the_three_closest_ids() -> None:
    with pytest.raises(RefusedError) as caught:
        resolve(_meetings(), "2016-07-21-jour-fixe", "ID")
    assert caught.value.message == (
        "no meeting '2016-07-21-jour-fixe' (ID); the closest: 2016-07-20-jour-fixe, "
        "2016-08-17-jour-fixe, 2016-07-20-telefon")
    with pytest.raises(RefusedError, match="the closest: 2016-06-15-auftakt"):
        resolve(_meetings(), "2016-06-16-auftakt.yaml", "ID")
    with pytest.raises(RefusedError, match="there is no meeting yet"):
        resolve(Choices("meeting"), "x", "ID")


def test_closest_breaks_ties_by_name() -> None:
    assert closest("ab", ["ac", "aa", "zz", "ab-c"]) == ["aa", "ac", "ab-c"]


PARTNERS = [Partner(id="landkreis-giessen", name="Landkreis Gießen"),
            Partner(id="landkreis-teltow-flaeming", name="Landkreis Teltow-Fläming")]


@pytest.mark.parametrize("ref", [
    "landkreis-giessen", "Landkreis Gießen", "Landkreis Giessen", "landkreis giessen",
    "LANDKREIS GIESSEN", "Landkreis Gie\u00dfen", "Landkreis Gies\u0073en",
])
def test_a_partner_by_id_or_name_in_any_spelling(ref: str) -> None:
    assert find_partner(PARTNERS, ref) is PARTNERS[0]


@pytest.mark.parametrize("ref", ["Landkreis Teltow-Flaming", "Landkreis Teltow-Flaeming",
                                 "Landkreis Teltow-Fla\u0308ming"])
def test_umlauts_with_or_without_transliteration(ref: str) -> None:
    assert find_partner(PARTNERS, ref) is PARTNERS[1]


def test_an_unknown_partner_is_none() -> None:
    assert find_partner(PARTNERS, "Landkreis") is None
    assert not same_name("Gießen", "Giesen")


PAIRS = ["stadt-lueneburg--stadt-eberswalde", "stadt-lueneburg--stadt-kiel",
         "landkreis-giessen--landkreis-teltow-flaeming"]


@pytest.mark.parametrize(("ref", "pair"), [
    ("stadt-lueneburg--stadt-kiel", "stadt-lueneburg--stadt-kiel"),
    ("landkreis", "landkreis-giessen--landkreis-teltow-flaeming"),
    ("stadt-eberswalde", "stadt-lueneburg--stadt-eberswalde"),
    ("landkreis-teltow-flaeming", "landkreis-giessen--landkreis-teltow-flaeming"),
])
def test_a_pair_by_prefix_or_by_one_partner(ref: str, pair: str) -> None:
    assert resolve_pair(ref, PAIRS) == pair


def test_a_partner_of_two_pairs_is_ambiguous() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_pair("stadt-lueneburg", PAIRS)
    assert caught.value.message == (
        "--pair 'stadt-lueneburg' matches 2 pairs: stadt-lueneburg--stadt-eberswalde, "
        "stadt-lueneburg--stadt-kiel; give more of the id")


def test_near_misses_are_within_two_edits_but_not_equal() -> None:
    names = ["Max Beispiel", "Erika Beispiel", "Jan Ott"]
    assert near_misses("Max Beispeil", names) == ["Max Beispiel"]
    assert near_misses("max beispiel", names) == ["Max Beispiel"]
    assert near_misses("Max Beispiel", names) == []
    assert near_misses("Moritz Beispiel", names) == []


# --- through the command line (the cases of the issue) --------------------------------------------


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_meeting_done_takes_the_date_of_the_only_meeting_that_day(
    example: Path, run: Callable[..., Result]
) -> None:
    """Why: `meeting done 2016-06-15 1` failed although only one meeting is on that date."""
    done = run("meeting", "done", "2016-06-15", "1")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ("2016-06-15-auftaktworkshop-regio-twinning: action item 1 (Entwurf "
                           "des Arbeitsplans erstellen) is done (on 2016-07-14)\n")
    assert run("meeting", "done", "15.06.2016", "1", "--undo").exit_code == 0


@pytest.mark.parametrize("ref", [
    "2016-07-20-jour-fixe.yaml", f"{E}/meetings/2016-07-20-jour-fixe.yaml",
    "2016-07-20-jour", "20.07.2016",
])
def test_meeting_show_takes_file_names_paths_prefixes_and_dates(
    example: Path, run: Callable[..., Result], ref: str
) -> None:
    shown = run("meeting", "show", ref)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.startswith("Jour fixe am 20.07.2016\n")


def test_an_ambiguous_prefix_is_a_usage_error(example: Path, run: Callable[..., Result]) -> None:
    result = run("meeting", "show", "2017-0")
    assert (result.exit_code, result.stderr) == (2, (
        "error: ID '2017-0' matches 6 meetings: 2017-01-11-jour-fixe, 2017-02-08-phone-conference, "
        "2017-03-08-jour-fixe, 2017-04-26-phone-conference, 2017-05-10-jour-fixe, "
        "2017-06-07-abschlussworkshop; give more of the id\n"))


def test_an_unknown_id_names_the_closest(example: Path, run: Callable[..., Result]) -> None:
    """Why: the error listed the latest ids, not the closest."""
    result = run("meeting", "show", "2016-07-21-jour-fixe")
    assert (result.exit_code, result.stderr) == (1, (
        "error: no meeting '2016-07-21-jour-fixe' (ID); the closest: 2016-07-20-jour-fixe, "
        "2017-01-11-jour-fixe, 2017-03-08-jour-fixe\n"))


def test_a_partner_name_in_another_spelling(example: Path, run: Callable[..., Result]) -> None:
    """Why: `--partner "Landkreis Giessen"` failed for the Landkreis Gießen."""
    listed = run("expense", "list", "--partner", "Landkreis Giessen", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert {row["partner"] for row in json.loads(listed.stdout)} == {"landkreis-giessen"}
    added = run("contact", "add", "--partner", "landkreis giessen", "--name", "Kim Neu")
    assert added.exit_code == 0, added.stderr


def test_a_pair_by_a_prefix_or_one_partner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    """Why: `-p stadt-lueneburg` failed for `stadt-lueneburg--stadt-eberswalde`."""
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    for other in ("Stadt Eberswalde", "Stadt Kiel"):
        assert run("partnership", "new", "--partner", "Stadt Lüneburg", "--partner", other,
                   "--topic", "Wärme", "--start", "2016-07-01").exit_code == 0
    assert run("partnership", "new", "--partner", "Landkreis Gießen", "--partner", "Stadt Ulm",
               "--topic", "Wärme", "--start", "2016-07-01", "--id", "gi-ulm").exit_code == 0
    for ref, pair in (("stadt-lueneburg--stadt-e", "stadt-lueneburg--stadt-eberswalde"),
                      ("stadt-kiel", "stadt-lueneburg--stadt-kiel"),
                      ("Landkreis Giessen", "gi-ulm")):
        shown = run("-p", ref, "partnership", "show", "--json")
        assert shown.exit_code == 0, shown.stderr
        assert json.loads(shown.stdout)["id"] == pair
        assert json.loads(run("partnership", "show", "-p", ref, "--json").stdout)["id"] == pair
    ambiguous = run("meeting", "list", "-p", "stadt-lueneburg")
    assert (ambiguous.exit_code, ambiguous.stderr) == (2, (
        "error: --pair 'stadt-lueneburg' matches 2 pairs: stadt-lueneburg--stadt-eberswalde, "
        "stadt-lueneburg--stadt-kiel; give more of the id\n"))


def test_measures_and_meetings_in_options_take_the_same_forms(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    assert run("measure", "add", "--title", "Energiesparmodell an Schulen",
               "--owner", "Stadt a").exit_code == 0
    assert run("meeting", "add", "--date", "2016-07-13").exit_code == 0
    decided = run("decision", "add", "--partner", "STADT A", "--body", "Rat", "--date",
                  "2016-07-14", "--title", "Modell", "--measure", "energiespar")
    assert decided.exit_code == 0, decided.stderr
    text = (root / f"partnerships/{PAIR}/decisions/2016-07-14-modell.yaml").read_text()
    assert "partner: stadt-a\nmeasures:\n- energiesparmodell-an-schulen\n" in text
    booked = run("expense", "add", "--partner", "Stadt B", "--date", "2016-07-13", "--amount",
                 "12", "--category", "Reisekosten", "--description", "Bahn", "--meeting",
                 "13.07.2016", "--measure", "energie")
    assert booked.exit_code == 0, booked.stderr
    expense = (root / f"partnerships/{PAIR}/expenses/2016-07-13-stadt-b-bahn.yaml").read_text()
    assert "meeting: 2016-07-13-jour-fixe\nmeasure: energiesparmodell-an-schulen\n" in expense
    report = run("report", "render", "minutes", "--meeting", "2016-07-13-jour-fixe.yaml")
    assert report.exit_code == 0, report.stderr
