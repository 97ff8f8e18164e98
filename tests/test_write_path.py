"""Issue #16: what the writing commands load and do, beyond what they print (their output is
held by test_meetings.py and test_expenses.py): a booking without a trip leaves the travel
rules and the checks unloaded, and the command line sets Python's cycle collector for a short
process. Never timed: `bench/bench.py` measures."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import PAIR

P = f"partnerships/{PAIR}"

# runs the command line as the console script does, then reports on the process
_PROBE = ("import gc, sys\nfrom regiotwin.cli import main\n"
          "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
          "print(code, sorted(m for m in {modules!r} if m in sys.modules), "
          "gc.get_threshold()[0], gc.get_freeze_count() > 0, file=sys.stderr)\n")


def _probe(root: Path, *args: str, modules: tuple[str, ...] = ()) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", _PROBE.format(modules=modules), "-C",
                           str(root), *args], capture_output=True, text=True)
    return done.stdout, done.stderr.splitlines()[-1]


def test_a_booking_by_amount_loads_neither_the_travel_rules_nor_the_checks(
    repo: Callable[..., Path]
) -> None:
    """`expense add --amount` books as before (path, Belegnummer, where the partner stands)
    without importing regiotwin.travel or regiotwin.checks; a trip still loads the rules."""
    root = repo()
    watched = ("regiotwin.travel", "regiotwin.checks")
    out, probe = _probe(root, "expense", "add", "--partner", "stadt-a", "--date", "2016-08-01",
                        "--amount", "10", "--category", "project", "--description", "Bahn",
                        modules=watched)
    assert out == (f"{P}/expenses/2016-08-01-stadt-a-bahn.yaml\nBelegnummer stadt-a-001\n"
                   "stadt-a: spent 10,00 €, grant 10,00 € of 1.400,00 €, headroom 1.390,00 €\n")
    assert probe.split()[:3] == ["0", "[]", "100000"]
    out, probe = _probe(root, "expense", "add", "--partner", "stadt-a", "--category", "travel",
                        "--km", "10", "--from", "2016-09-14 07:00", "--to", "19:30",
                        "--description", "Dienstreise", modules=watched)
    assert out.startswith(f"{P}/expenses/2016-09-14-stadt-a-dienstreise.yaml\n")
    assert probe.startswith("0 ['regiotwin.travel'] ")


@pytest.mark.parametrize("trip", [["--lodging-provided"], ["--meals", "breakfast"],
                                  ["--nights", "0"]])
def test_any_one_trip_option_makes_the_booking_a_trip(
    repo: Callable[..., Path], run: Callable[..., Result], trip: list[str]
) -> None:
    """A flag or a repeatable option alone is a trip as much as --from is: with --amount it is
    refused as both (exit 2, nothing written), as before the travel rules were loaded lazily."""
    root = repo()
    result = run("expense", "add", "--partner", "stadt-a", "--date", "2016-09-14", "--amount",
                 "12", "--category", "travel", "--description", "Reise", *trip)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "error: give either --amount or a trip (--from, --to, --km, …), not both: a "
               "trip's amount is computed by the partner's travel-cost law\n")
    assert not (root / P / "expenses").exists()


def test_the_command_line_collects_cycles_rarely_and_not_at_exit(
    repo: Callable[..., Path]
) -> None:
    """main() sets the collector to a pass every GC_EVERY new objects and freezes what is left
    when the command is over (Python's exit would otherwise collect it all); the command's
    output and its exit code are those of any run, a refusal's included."""
    from regiotwin.cli import GC_EVERY

    root = repo()
    out, probe = _probe(root, "meeting", "add", "--date", "2016-07-05", "--kind", "workshop")
    assert out == f"{P}/meetings/2016-07-05-workshop.yaml\n"
    assert probe == f"0 [] {GC_EVERY} True"
    out, probe = _probe(root, "meeting", "add", "--date", "2016-07-05", "--kind", "workshop")
    assert out == "" and probe == f"1 [] {GC_EVERY} True"


def test_every_list_field_starts_as_its_own_empty_list() -> None:
    """The models' list defaults come from `empty_list` (pydantic inspects a Python function
    without parsing a builtin's text signature): each record gets a new list, made directly
    or by validation, and a list filled in one record stays out of the next."""
    import dataclasses

    from regiotwin import models
    from regiotwin.validation import validated

    listed = {kind: [f.name for f in dataclasses.fields(kind)
                     if f.default_factory is models.empty_list]
              for kind in vars(models).values()
              if isinstance(kind, type) and issubclass(kind, models.Record)
              and dataclasses.is_dataclass(kind)}
    assert listed[models.Meeting] == ["participants", "agenda", "decisions", "actions"]
    assert sum(len(names) for names in listed.values()) == 10
    first = validated(models.Meeting, {"id": "m", "date": "2016-07-05", "title": "Jour fixe"})
    second = models.Meeting(id="m", date=first.date, title="Jour fixe")
    first.participants.append("Anna Alt")
    assert second.participants == [] and first.agenda == [] and first.agenda is not second.agenda
    third = validated(models.Meeting, {"id": "m", "date": "2016-07-05", "title": "Jour fixe"})
    assert third.participants == [] and third.participants is not first.participants
