"""The vocabulary (issue #12): English values in the files, German labels in documents, both
accepted on input, in one module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import get_type_hints

import pytest
from click.testing import Result

from regiotwin.vocabulary import (
    CATEGORY,
    DECISION_STATUS,
    MEASURE_STATUS,
    MEETING_KIND,
    Vocabulary,
)
from tests.conftest import PAIR


@pytest.mark.parametrize(("vocabulary", "typed", "value"), [
    (DECISION_STATUS, "beschlossen", "passed"),
    (DECISION_STATUS, "Passed", "passed"),
    (MEETING_KIND, "Telefonkonferenz", "phone-conference"),
    (MEETING_KIND, "jour fixe", "jour-fixe"),
    (MEETING_KIND, "Arbeitsgesprach", None),
    (MEETING_KIND, "Arbeitsgespraech", "working-meeting"),
    (MEETING_KIND, "ARBEITSGESPRÄCH", "working-meeting"),
    (CATEGORY, "Reisekosten", "travel"),
    (CATEGORY, "project", "project"),
    (MEASURE_STATUS, "In Arbeit", "in-progress"),
    (MEASURE_STATUS, "in_progress", "in-progress"),
    (MEASURE_STATUS, "halb fertig", None),
])
def test_lookup_takes_english_german_and_aliases(
    vocabulary: Vocabulary, typed: str, value: str | None
) -> None:
    assert vocabulary.lookup(typed) == value


def test_labels_are_german() -> None:
    assert [MEASURE_STATUS.label(v) for v in MEASURE_STATUS.values] == [
        "geplant", "in Arbeit", "erledigt", "verworfen"]
    assert CATEGORY.label("travel") == "Reisekosten"


def test_the_models_use_the_vocabulary_types() -> None:
    """A value the vocabulary knows is one the models accept, and only those."""
    from typing import get_args

    from regiotwin import models

    assert get_args(get_type_hints(models.Meeting)["kind"]) == MEETING_KIND.values
    assert get_args(get_type_hints(models.Decision)["status"]) == DECISION_STATUS.values


def test_german_values_on_the_command_line_are_stored_in_english(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    added = run("decision", "add", "--partner", "stadt-a", "--body", "Rat", "--date",
                "2016-09-01", "--title", "Wärmeplan", "--status", "beschlossen")
    assert added.exit_code == 0, added.stderr
    text = (root / f"partnerships/{PAIR}/decisions/2016-09-01-waermeplan.yaml").read_text()
    assert "status: passed\n" in text
    meeting = run("meeting", "add", "--date", "2016-09-02", "--kind", "Telefonkonferenz")
    assert meeting.stdout == f"partnerships/{PAIR}/meetings/2016-09-02-phone-conference.yaml\n"


def test_an_unknown_value_lists_english_and_german(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    result = run("measure", "list", "--status", "halb")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--status': 'halb' is not a measure status; use one of: "
        "planned (geplant), in-progress (in Arbeit), done (erledigt), dropped (verworfen)")
