"""German dates and times (issue #12): one grammar for options, action texts and files."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from regiotwin.dates import (
    DATE_TIME_PATTERN,
    GERMAN_DATE_PATTERN,
    DateError,
    parse_date,
    parse_date_time,
    parse_time,
)
from regiotwin.loader import load_repository
from tests.conftest import PAIR

P = f"partnerships/{PAIR}"


@pytest.mark.parametrize(("text", "day"), [
    ("2016-06-27", dt.date(2016, 6, 27)),
    ("27.06.2016", dt.date(2016, 6, 27)),
    ("27.6.2016", dt.date(2016, 6, 27)),
    ("1.7.2016", dt.date(2016, 7, 1)),
    (" 29.02.2016 ", dt.date(2016, 2, 29)),
])
def test_dates_in_both_notations(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(("text", "message"), [
    ("12/07/2016", "'12/07/2016' is not a date; write it as YYYY-MM-DD or DD.MM.YYYY "
                   "(e.g. 2016-07-12 or 12.07.2016)"),
    ("27.06.16", "'27.06.16' is not a date; write it as YYYY-MM-DD or DD.MM.YYYY "
                 "(e.g. 2016-07-12 or 12.07.2016)"),
    ("2016-6-27", "'2016-6-27' is not a date; write it as YYYY-MM-DD or DD.MM.YYYY "
                  "(e.g. 2016-07-12 or 12.07.2016)"),
    ("29.02.2015", "29.02.2015 is not a real date (day is out of range for month)"),
    ("2016-13-01", "2016-13-01 is not a real date (month must be in 1..12)"),
])
def test_what_is_not_a_date_is_said(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(("text", "time"), [
    ("14:30", "14:30"), ("9:30", "09:30"), ("14.30", "14:30"), ("14:30 Uhr", "14:30"),
    ("14.30 Uhr", "14:30"), ("14 Uhr", "14:00"), ("9 uhr", "09:00"), ("00:00", "00:00"),
    ("23:59", "23:59"),
])
def test_times_as_people_write_them(text: str, time: str) -> None:
    assert parse_time(text) == time


@pytest.mark.parametrize("text", ["24:00", "14:60", "14", "1430", "14:3", "halb drei", ""])
def test_what_is_not_a_time_is_refused(text: str) -> None:
    with pytest.raises(DateError, match=r"is not a time; write it as HH:MM \(00:00-23:59\)"):
        parse_time(text)


@given(day=st.integers(0, 33), month=st.integers(0, 14), year=st.integers(0, 2400),
       pad=st.booleans())
def test_the_schema_pattern_admits_exactly_the_real_german_dates(
    day: int, month: int, year: int, pad: bool
) -> None:
    """The JSON Schemas cannot call Python: their pattern and `parse_date` must agree."""
    text = f"{day:02d}.{month:02d}.{year:04d}" if pad else f"{day}.{month}.{year:04d}"
    try:
        parse_date(text)
        real = True
    except DateError:
        real = False
    assert bool(re.fullmatch(GERMAN_DATE_PATTERN, text)) == real


def test_a_german_date_on_the_command_line_is_stored_as_iso(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Done when: `meeting add --date 27.06.2016 …` stores `date: 2016-06-27`."""
    root = repo()
    result = run("meeting", "add", "--date", "27.06.2016", "--time", "14.30 Uhr",
                 "--kind", "Telefonkonferenz",
                 "--action", "Angebote einholen @Anna Alt due 30.06.2016",
                 "--action", "Protokoll schicken bis 1.7.2016")
    assert result.exit_code == 0, result.stderr
    text = (root / P / "meetings/2016-06-27-phone-conference.yaml").read_text(encoding="utf-8")
    assert text.startswith("id: 2016-06-27-phone-conference\ndate: 2016-06-27\ntime: '14:30'\n"
                           "kind: phone-conference\n")
    assert "  due: 2016-06-30\n" in text
    assert "- what: Protokoll schicken\n  due: 2016-07-01\n" in text


def test_german_dates_in_every_date_option(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    assert run("measure", "add", "--title", "Plan", "--owner", "stadt-a", "--start",
               "1.8.2016", "--due", "31.12.2016").exit_code == 0
    assert "start: 2016-08-01\ndue: 2016-12-31\n" in (root / P / "measures/plan.yaml").read_text()
    assert run("decision", "add", "--partner", "stadt-a", "--body", "Rat", "--date", "27.6.2016",
               "--title", "Beitritt", "--status", "beschlossen").exit_code == 0
    assert (root / P / "decisions/2016-06-27-beitritt.yaml").is_file()
    assert run("budget", "status", "--as-of", "31.12.2016").exit_code == 0
    assert run("check", "--as-of", "15.09.2016").exit_code == 0
    new = run("partnership", "new", "--partner", "Stadt C", "--partner", "Stadt D", "--topic",
              "Wärme", "--start", "01.06.2016")  # Why: `--start 01.06.2016` was refused
    assert new.exit_code == 0, new.stderr
    assert "start: 2016-06-01\nend: 2017-05-31\n" in (
        root / "partnerships/stadt-c--stadt-d/partnership.yaml").read_text()


def test_a_german_date_in_a_hand_written_file_is_read(repo: Callable[..., Path]) -> None:
    root = repo({f"{P}/meetings/2016-07-20-jour-fixe.yaml":
                 "id: 2016-07-20-jour-fixe\ndate: 20.07.2016\ntitle: Jour fixe\n"})
    repository, findings = load_repository(root)
    assert findings == []
    assert repository.pairs[PAIR].meetings[0].model.date == dt.date(2016, 7, 20)


def test_a_wrong_date_in_a_file_names_both_notations(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({f"{P}/meetings/m.yaml": "id: m\ndate: 20/07/2016\ntitle: Jour fixe\n"})
    result = run("check", "--as-of", "2016-07-10")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{P}/meetings/m.yaml:2: error: date: '20/07/2016' is not a date; write it as "
        "YYYY-MM-DD or DD.MM.YYYY (e.g. 2016-07-12 or 12.07.2016)\n")


@given(day=st.integers(0, 33), month=st.integers(0, 14), year=st.integers(1990, 2030),
       hour=st.integers(0, 25), minute=st.integers(0, 61),
       form=st.sampled_from(["{d}.{m}.{y} {H}:{M}", "{y}-{m:02d}-{d:02d}T{H:02d}:{M:02d}",
                             "{d:02d}.{m:02d}.{y}, {H}.{M:02d} Uhr", "{y}-{m:02d}-{d:02d} {H} Uhr",
                             "{d}.{m}.{y}  {H:02d}:{M:02d}uhr", "{d}.{m}.{y}"]))
def test_the_schema_pattern_of_trip_times_agrees_with_the_parser(
    day: int, month: int, year: int, hour: int, minute: int, form: str
) -> None:
    """A trip's start and end in a file: the schema's pattern admits what `parse_date_time`
    reads (German dates and times too, `14.09.2016 7.00 Uhr`), and nothing else."""
    text = form.format(d=day, m=month, y=year, H=hour, M=minute)
    try:
        parse_date_time(text)
        readable = True
    except DateError:
        readable = False
    assert bool(re.fullmatch(DATE_TIME_PATTERN, text)) == readable, text
