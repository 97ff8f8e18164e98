"""A record file that exists but does not load is still known by its id (its file stem): it
leaves only its own finding, never "unknown measure", "no expense refers to this receipt" or a
meeting gap that only its absence made (the new-user trial)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from regiotwin.checks import check_repository, run_check
from regiotwin.loader import load_repository
from tests.conftest import copy_example

EXAMPLE = "landkreis-teltow-flaeming--landkreis-giessen"
P = f"partnerships/{EXAMPLE}"
AS_OF = "2017-06-01"  # late in the year: every obligation of the example is judged
EXPENSE = "2016-06-15-landkreis-giessen-bahnfahrt-zum-auftaktworkshop-nach-luckenwalde"
MEETING = "2016-10-26-phone-conference"
EXCURSION = "2016-09-14-exkursion-zu-energiesparschulen-im-landkreis-giessen"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def damage(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(run: Callable[..., Result]) -> tuple[int, list[str], str]:
    result = run("check", "--as-of", AS_OF)
    return result.exit_code, result.stdout.splitlines(), result.stderr.rstrip("\n")


def test_the_example_is_clean(example: Path, run: Callable[..., Result]) -> None:
    assert check(run) == (0, [], "no problems found in 33 files")


def test_a_broken_expense_leaves_its_receipt_alone(
    example: Path, run: Callable[..., Result]
) -> None:
    """Why: a broken expense file also gave "no expense refers to this receipt" for its
    receipt, and the summary counted 32 of the 33 files."""
    damage(example, f"{P}/expenses/{EXPENSE}.yaml", "amount: 212.80", "amount: [")
    assert check(run) == (1, [
        f"{P}/expenses/{EXPENSE}.yaml:8: error: YAML syntax error: did not find expected ',' or "
        "']' while parsing a flow sequence"], "1 error in 33 files")


def test_a_broken_meeting_makes_no_meeting_gap(example: Path, run: Callable[..., Result]) -> None:
    """Why: a broken meeting file added "42 days without a meeting" (its own date's gap)."""
    damage(example, f"{P}/meetings/{MEETING}.yaml", "date: 2016-10-26", "date: 2016-13-45")
    assert check(run) == (1, [
        f"{P}/meetings/{MEETING}.yaml:2: error: 2016-13-45 is not a real date (month must be in "
        "1..12)"], "1 error in 33 files")


def test_a_broken_meeting_is_no_unknown_meeting(example: Path, run: Callable[..., Result]) -> None:
    damage(example, f"{P}/meetings/{EXCURSION}.yaml", "kind: study-tour", "kind: trip")
    code, findings, summary = check(run)
    assert (code, summary) == (1, "1 error in 33 files")
    assert findings == [
        f"{P}/meetings/{EXCURSION}.yaml:4: error: kind: 'trip' is not allowed; use one of "
        "'jour-fixe', 'phone-conference', 'workshop', 'working-meeting', 'study-tour', "
        "'network-event' or 'other'"]


def test_a_broken_measure_is_no_unknown_measure(example: Path, run: Callable[..., Result]) -> None:
    """Why: `planned_cost: -600` in a measure added two "unknown measure" errors, in the
    decision and the expense that refer to it, although the file exists."""
    damage(example, f"{P}/measures/energiesparmodell-schulen.yaml", "planned_cost: 600.00",
           "planned_cost: -600")
    assert check(run) == (1, [
        f"{P}/measures/energiesparmodell-schulen.yaml:10: error: planned_cost: -600 is negative; "
        "it must be 0 or more"], "1 error in 33 files")


def test_a_broken_decision_leaves_the_measure_it_enables_alone(
    example: Path, run: Callable[..., Result]
) -> None:
    """The measure needs a decision; the broken file may be the one that passed it."""
    decision = f"{P}/decisions/2016-11-28-energiesparmodell-an-kreiseigenen-schulen.yaml"
    damage(example, decision, "status: passed", "status: done")
    code, findings, summary = check(run)
    assert (code, summary) == (1, "1 error in 33 files")
    assert [f.split(": error: ")[0] for f in findings] == [f"{decision}:5"]


def test_a_broken_event_makes_no_meeting_gap(example: Path, run: Callable[..., Result]) -> None:
    """The event counts as a meeting of the pairs that attended; which they are, a broken file
    cannot say."""
    event = "events/2016-10-12-erste-regiotwin-vernetzungsveranstaltung.yaml"
    damage(example, event, "date: 2016-10-12", "date: 12.10.2016x")
    code, findings, summary = check(run)
    assert (code, summary) == (1, "1 error in 33 files")
    assert [f.split(": error: ")[0] for f in findings] == [f"{event}:2"]


def test_a_broken_measure_still_counts_as_a_work_plan(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({"partnerships/stadt-a--stadt-b/measures/plan.yaml":
                 "id: plan\ntitle: Plan\nowners: [stadt-a]\nplanned_cost: -1\n"})
    result = run("check", "--as-of", "2016-09-15")
    assert [*result.stdout.splitlines(), result.stderr] == [
        "partnerships/stadt-a--stadt-b/measures/plan.yaml:4: error: planned_cost: -1 is "
        "negative; it must be 0 or more",
        "partnerships/stadt-a--stadt-b/partnership.yaml:4: warning: no meeting in the 76 days "
        "from the start (2016-07-01) to 2016-09-15",
        "1 error and 1 warning in 3 files\n"]
    assert root


def test_the_loader_knows_broken_files_by_their_stem(example: Path) -> None:
    damage(example, f"{P}/expenses/{EXPENSE}.yaml", "amount: 212.80", "amount: [")
    damage(example, f"{P}/meetings/{MEETING}.yaml", "date: 2016-10-26", "date: 2016-13-45")
    repo, findings = load_repository(example)
    pair = repo.pairs[EXAMPLE]
    assert pair.broken == {"expenses": {EXPENSE}, "meetings": {MEETING}}
    assert repo.broken_events == set()
    assert [f.path for f in findings] == [f"{P}/meetings/{MEETING}.yaml",
                                          f"{P}/expenses/{EXPENSE}.yaml"]
    assert check_repository(repo, dt.date(2017, 6, 1)) == []
    report = run_check(example, [EXAMPLE], dt.date(2017, 6, 1))
    assert (report.files, report.errors, report.warnings) == (33, 2, 0)


def test_a_broken_partnership_file_is_counted(repo: Callable[..., Path],
                                              run: Callable[..., Result]) -> None:
    root = repo()
    (root / "partnerships/stadt-a--stadt-b/partnership.yaml").write_text("id: [\n")
    result = run("check", "--as-of", "2016-07-10")
    assert result.stderr == "1 error in 2 files\n"
