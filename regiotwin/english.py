"""The English the CLI speaks: a counted noun and its verb agree with the number (`1 record
refers`, `2 records refer`). German grammar, for the documents, is in german.py.

Only the standard library: the CLI's base module imports this on every run.
"""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 error`, `2 errors`, `0 errors` (*many* for a plural that is not *word* + s)."""
    return f"{count} {agree(count, word, many or word + 's')}"


def agree(count: int, one: str, many: str) -> str:
    """The word that agrees with *count*: a verb (`refers`, `refer`) or a pronoun (`it`,
    `them`)."""
    return one if abs(count) == 1 else many
