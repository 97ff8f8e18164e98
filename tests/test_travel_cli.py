"""`regiotwin travel rates` and `regiotwin travel compute` (issue #14): the rate tables in force,
and a trip priced without booking it, with the options `expense add` will take."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.test_travel import BAYERN


def test_travel_rates_prints_the_table_in_force(run: Callable[..., Result]) -> None:
    result = run("travel", "rates", "--law", "bund", "--on", "2016-09-14")
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == ("bund: Bundesreisekostengesetz (BRKG), on 2016-09-14 (the table since "
                        "2014-01-01, until 2019-12-31)")
    text = "\n".join(" ".join(line.split()) for line in lines)
    assert "Wegstreckenentschädigung 0,20 € per km, at most 130,00 € per trip 2005-09-01 " \
           "BRKG § 5 Abs. 1 und 2" in text
    assert "Tagegeld, more than 8 h away, or the first or last day of a stay 12,00 € " \
           "2014-01-01" in text
    assert "Tagegeld, a full day (24 h away) 24,00 €" in text
    assert "a hotel bill, without justification up to 60,00 € a night 2005-09-01" in text


def test_travel_rates_after_the_changes(run: Callable[..., Result]) -> None:
    result = run("travel", "rates", "--law", "bund", "--on", "2022-12-01", "--json")
    data = json.loads(result.stdout)["laws"][0]
    assert (data["valid_from"], data["valid_until"]) == ("2022-12-01", None)
    assert (data["per_diem"]["partial"], data["per_diem"]["full"]) == ("14.00", "28.00")
    assert data["lodging"] == {"valid_from": "2022-12-01", "flat": "20.00", "hotel_max": "70.00",
                               "source": "BRKG § 7 Abs. 1, BRKGVwV Nr. 7.1.3 (ab 01.12.2022)"}


def test_travel_rates_for_every_law_says_which_have_no_table(run: Callable[..., Result]) -> None:
    result = run("travel", "rates", "--on", "2016-09-14")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "hessen has no rates in force on 2016-09-14: its tables begin on 2021-01-01")
    data = json.loads(run("travel", "rates", "--on", "2016-09-14", "--json").stdout)
    assert [(law["law"], law["in_force"]) for law in data["laws"]] == [("bund", True),
                                                                       ("hessen", False)]


@pytest.mark.parametrize(("args", "message"), [
    (["--law", "bayern"], "error: unknown travel-cost law 'bayern'; known laws: bund "
                          "(Bundesreisekostengesetz (BRKG)), hessen (Hessisches "
                          "Reisekostengesetz (HRKG))\n"),
    (["--law", "hessen", "--on", "2020-12-31"],
     "error: hessen has no rates in force on 2020-12-31: its tables begin on 2021-01-01\n"),
])
def test_travel_rates_refuses_an_unknown_law_or_a_day_without_rates(
    run: Callable[..., Result], args: list[str], message: str
) -> None:
    result = run("travel", "rates", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_travel_rates_shows_a_repositorys_own_law(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({"travel-rates/bayern.yaml": BAYERN})
    result = run("travel", "rates", "--law", "bayern", "--on", "2016-09-14")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "bayern: Bayerisches Reisekostengesetz (BayRKG), on 2016-09-14 (the table since "
        "2010-01-01) (travel-rates/bayern.yaml)")
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Tagegeld, a full day (24 h away) 20,00 € 2010-01-01 Art. 8 BayRKG (example)" in lines
    assert "Übernachtungsgeld no rates in this table" in lines


def test_travel_compute_prices_the_issues_trip(run: Callable[..., Result]) -> None:
    result = run("travel", "compute", "--km", "700", "--from", "2016-09-14 07:00", "--to",
                 "2016-09-14 19:30")
    assert result.exit_code == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert lines[0] == "under bund, the rates since 2014-01-01"
    assert "Wegstreckenentschädigung 700 km × 0,20 €, at most 130,00 € 130,00 €" in lines
    assert "Tagegeld 2016-09-14 12:30 h away: 12,00 € 12,00 €" in lines
    assert "total 142,00 €" in lines
    assert lines[-1] == "700 km × 0,20 €, höchstens 130,00 €; Tagegeld 12,00 €"
    data = json.loads(run("travel", "compute", "--km", "700", "--from", "2016-09-14 07:00",
                          "--to", "19:30", "--json").stdout)
    assert (data["total"], data["inputs"]["start"], data["description"]) == (
        "142.00", "2016-09-14 07:00", "700 km × 0,20 €, höchstens 130,00 €; Tagegeld 12,00 €")


@pytest.mark.parametrize(("args", "message"), [
    (["--law", "hessen", "--km", "5"],
     "error: hessen has no rates in force on 2016-09-14: its tables begin on 2021-01-01; "
     "regiotwin does not guess rates, so enter this trip's amount by hand\n"),
])
def test_travel_compute_refuses_with_one_line(
    run: Callable[..., Result], args: list[str], message: str
) -> None:
    result = run("travel", "compute", "--from", "2016-09-14 07:00", "--to", "19:30", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_travel_compute_reports_a_malformed_value_as_every_command_does(
    run: Callable[..., Result]
) -> None:
    """The trial: `--km abc` said "error: --km: …", unlike every other bad value."""
    for args in (["--km", "abc"], ["--from", "2016-09-14 07:00", "--to", "19:30", "--km", "-5"]):
        result = run("travel", "compute", *args)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr.splitlines()[-1] == (
            "Error: Invalid value for '--km': " + ("'abc' is not a number of kilometres"
                                                    if "abc" in args else
                                                    "-5 is negative; give the number of "
                                                    "kilometres"))
        assert result.stderr.startswith("Usage: cli travel compute [OPTIONS]\n")  # CliRunner


