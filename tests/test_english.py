"""The English the CLI speaks: a counted noun agrees with its number, in every message."""

from __future__ import annotations

import pytest

from regiotwin.checks import CheckReport
from regiotwin.english import agree, plural
from regiotwin.errors import Finding


@pytest.mark.parametrize(("count", "expected"), [(0, "0 records"), (1, "1 record"),
                                                  (2, "2 records"), (-1, "-1 record")])
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "record") == expected


def test_irregular_plural_and_agreement() -> None:
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural(1, "entry", "entries") == "1 entry"
    assert [agree(n, "refers", "refer") for n in (1, 2)] == ["refers", "refer"]


def test_the_check_summary_counts_in_english() -> None:
    """Why: `check` said "1 error in 1 files"."""
    error = Finding("a.yaml", 1, "error", "x", code="x")
    assert CheckReport([error], 1).summary() == "1 error in 1 file"
    assert CheckReport([], 1).summary() == "no problems found in 1 file"
    assert CheckReport([error, Finding("a.yaml", 2, "warning", "y", code="y")], 2).summary() == (
        "1 error and 1 warning in 2 files")
