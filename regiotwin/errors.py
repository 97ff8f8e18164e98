"""Errors as values with a place, and the few exceptions the core raises to the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
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
