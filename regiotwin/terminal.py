"""Everything the CLI shows: rich tables on stdout, messages on stderr, JSON with exact money.

Only CLI code imports this module (it imports rich); the core never prints.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from regiotwin.money import plain


def out() -> Console:
    """A console on the current stdout (made per call, so redirected streams are honoured).

    Piped into a file or another program, tables are not squeezed to 80 columns.
    """
    wide = None if sys.stdout.isatty() else 4000
    return Console(highlight=False, width=wide)


def err() -> Console:
    return Console(stderr=True, highlight=False)


def echo(text: str) -> None:
    """Plain data line on stdout, never interpreted as markup."""
    out().print(Text(text), soft_wrap=True)


def note(text: str, style: str = "") -> None:
    """A message for the person (stderr), shown literally."""
    err().print(Text(text, style=style), soft_wrap=True)


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = None,
    right: Iterable[str] = (),
) -> None:
    """A table whose cells are shown exactly as given (no rich markup in user text)."""
    right_cols = set(right)
    grid = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, title_justify="left")
    for column in columns:
        grid.add_column(column, justify="right" if column in right_cols else "left")
    for row in rows:
        grid.add_row(*(c if isinstance(c, Text) else Text(_cell(c)) for c in row))
    out().print(grid)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _json_default(value: object) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def print_json(data: object) -> None:
    sys.stdout.write(to_json(data) + "\n")
    sys.stdout.flush()
