"""Errors as values with a place, and the few exceptions the core raises to the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

Severity = Literal["error", "warning"]


# Not frozen (a frozen dataclass sets each field through object.__setattr__, four times the
# cost, and a check of 100,000 records makes 100,000 findings); hashed by value all the same,
# so nothing may change a finding once made.
@dataclass(order=True, unsafe_hash=True, slots=True)
class Finding:
    """One problem found in the data: where it is and what is wrong."""

    path: str  # relative to the repository root, with forward slashes
    line: int  # 1-based; 0 when the finding concerns a whole folder
    severity: Severity
    message: str
    # what kind of finding it is (`duplicate-id`, `over-limit`, …): stable for scripts and tests;
    # the documents word an obligation by its code (templates/obligations.md.j2)
    code: str = field(default="", compare=False)
    # the values that wording needs (names, dates, counts), by name
    values: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


_ORDER = attrgetter("path", "line", "severity", "message")  # the order of the dataclass


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The distinct findings in their order (path, line, severity, message), sorted by a key
    (the dataclass's own comparisons build two tuples per step, ten times slower) and kept in
    the order they came before (mostly sorted already, which the sort finds at once)."""
    return sorted(dict.fromkeys(findings), key=_ORDER)


class RegiotwinError(Exception):
    """A problem the user can fix; the CLI prints the message and exits with ``exit_code``."""

    exit_code = 1

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.findings = findings or []


class UsageError(RegiotwinError):
    """Wrong use of the command line (exit 2)."""

    exit_code = 2


class DataError(RegiotwinError):
    """The data repository holds invalid files; ``findings`` says where."""


class RefusedError(RegiotwinError):
    """An action refused to protect the data: duplicate, over the cap, outside the period."""


class OptionValueError(RefusedError):
    """A malformed value of a command-line option that the core finds (`--km abc`, a
    `--receipt` that is no file): the CLI reports it as it reports every malformed value,
    `Invalid value for '--km': …`, exit 1."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option  # as the user typed it: `--km`, `-C`, or an argument's `PATH`
        self.detail = message
