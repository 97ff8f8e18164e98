"""One rule for malformed values (SPEC §4, README "Exit codes"): a value of an option or argument
that cannot be used as given exits 1 with click's words, `Error: Invalid value for '--x': …`,
whichever part finds it (a click type, one of ours, or the core); real usage errors stay 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from regiotwin.errors import OptionValueError, RefusedError
from regiotwin.travel import TripOptions, parse_trip

EXPENSE = ["expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--category",
           "travel", "--description", "Fahrt"]

BAD_VALUES = [
    # the trial's outliers: exit 2, or exit 1 in another format, or a wrong message
    (EXPENSE + ["--amount", "5", "--receipt", "folder"],
     "'--receipt'", "File 'folder' is a directory."),
    (["schema", "-o", "notes.txt"], "'-o' / '--output'", "Directory 'notes.txt' is a file."),
    (["travel", "compute", "--km", "abc"], "'--km'", "'abc' is not a number of kilometres"),
    (["export", "expenses", "-o", ""], "'-o' / '--output'",
     "an empty file name; give a file name, or - for standard output"),
    # those that followed the rule already
    (EXPENSE + ["--amount", "abc"], "'--amount'",
     "'abc' is not an amount; write it like 1400, 1400,50 or 1.400,50"),
    (["expense", "list", "--format", "xml"], "'--format'",
     "'xml' is not one of 'table', 'csv', 'tsv', 'json'."),
    (["check", "--as-of", "foo"], "'--as-of'",
     "'foo' is not a date; write it as YYYY-MM-DD or DD.MM.YYYY (e.g. 2016-07-12 or 12.07.2016)"),
    # others of the same kind
    (["report", "render", "budget", "--template", "folder"], "'--template'",
     "File 'folder' is a directory."),
    (["report", "render", "budget", "--template", "none.md.j2"], "'--template'",
     "none.md.j2 does not exist"),
    (["report", "render", "budget", "-o", "folder"], "'-o' / '--output'",
     "'folder' is a folder; give a file name; nothing was written"),
    (["report", "render", "--all", "-o", "notes.txt"], "'-o' / '--output'",
     "notes.txt is not a folder; --all writes one file per document"),
    (["-C", "notes.txt", "check"], "'-C'", "notes.txt is not a folder"),
    (["meeting", "done", "x", "abc"], "'N'", "'abc' is not a valid integer."),
    (["meeting", "set", "x", "--remove-agenda", "abc"], "'--remove-agenda'",
     "'abc' is not a valid integer."),
    (["fmt", "none.yaml"], "'[PATH]...'", "Path 'none.yaml' does not exist."),
    (["init", "notes.txt"], "'[DIRECTORY]'", "Directory 'notes.txt' is a file."),
    (EXPENSE + ["--amount", "5", "--receipt", "none.pdf"], "'--receipt'",
     "none.pdf does not exist or is not a file"),
    (EXPENSE + ["--from", "2016-08-01 07:00", "--to", "19:30", "--meals", "brunch"], "'--meals'",
     "'brunch' is not a meal; use breakfast (Frühstück), lunch (Mittagessen), dinner "
     "(Abendessen)"),
    (["measure", "set", "x", "--effect", "viel"], "'--effect'",
     "'viel': write a number and a unit, e.g. '12,5 t CO2/a'"),
    (["meeting", "add", "--date", "2016-07-13", "--title", "a\x07b"], "'--title'",
     "control character U+0007 is not allowed; nothing was written"),
]


@pytest.mark.parametrize(("args", "hint", "message"), BAD_VALUES)
def test_a_malformed_value_exits_1_in_one_format(
    repo: Callable[..., Path], run: Callable[..., Result], args: list[str], hint: str,
    message: str,
) -> None:
    root = repo({"notes.txt": "x\n"})
    (root / "folder").mkdir()

    def written() -> list[str]:  # the lock folder of a booking is no data
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                      if ".regiotwin-cache" not in p.parts)

    before = written()
    result = run(*args)
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[-1] == f"Error: Invalid value for {hint}: {message}"
    assert lines[0].startswith("Usage: ") and lines[1].startswith("Try '")
    assert written() == before


@pytest.mark.parametrize(("args", "message"), [
    (["expense", "add", "--date", "2016-08-01", "--amount", "5", "--category", "travel",
      "--description", "Fahrt"], "Error: Missing option '--partner'."),
    (["expense", "frobnicate"], "Error: No such command 'frobnicate'."),
    (["expense", "list", "--colour"], "Error: No such option '--colour'."),
    (["expense", "add", "--amount"], "Error: Option '--amount' requires an argument."),
    (["expense", "list", "--json", "--format", "csv"],
     "error: --json and --format csv exclude each other"),
    (EXPENSE + ["--km", "5", "--from", "2016-08-01 07:00"],
     'error: --to missing: a trip needs its start and end, --from "YYYY-MM-DD HH:MM" --to '
     '"YYYY-MM-DD HH:MM"'),
])
def test_usage_errors_stay_exit_2(
    repo: Callable[..., Path], run: Callable[..., Result], args: list[str], message: str
) -> None:
    repo()
    result = run(*args)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, message)


def test_the_core_names_the_option_of_a_malformed_value() -> None:
    """Library users get the option and the reason apart, and a RefusedError as before."""
    with pytest.raises(OptionValueError) as caught:
        parse_trip(TripOptions(km="abc"))
    assert isinstance(caught.value, RefusedError)
    assert (caught.value.option, caught.value.detail, caught.value.message) == (
        "--km", "'abc' is not a number of kilometres", "--km: 'abc' is not a number of kilometres")
