"""Everything the CLI shows: rich tables on stdout, messages on stderr, JSON with exact money.

Only CLI code imports this module (it imports rich); the core never prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from regiotwin.money import format_eur, plain

UNLIMITED = 4000  # piped into a file or another program: no line is broken


def width() -> int | None:
    """The width tables fit: `$COLUMNS` when set, else the terminal's (None: rich asks it),
    else (piped) unlimited."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if sys.stdout.isatty() else UNLIMITED


def out() -> Console:
    """A console on the current stdout (made per call, so redirected streams are honoured)."""
    return Console(highlight=False, width=width())


def err() -> Console:
    return Console(stderr=True, highlight=False)


def echo(text: str) -> None:
    """Plain data line on stdout, never interpreted as markup."""
    out().print(Text(text), soft_wrap=True)


def note(text: str, style: str = "") -> None:
    """A message for the person (stderr), shown literally."""
    err().print(Text(text, style=style), soft_wrap=True)


def print_diff(text: str) -> None:
    """A unified diff as git shows it: removed lines red, added green (colour only where the
    terminal has it)."""
    console = out()
    for line in text.splitlines():
        style = ""
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("@@"):
            style = "cyan"
        console.print(Text(line, style=style), soft_wrap=True)


@dataclass(frozen=True)
class Column:
    """A column of a list: its header, the row key it shows, and what its values are.

    kinds: `text` wraps at spaces (after a hyphen inside a compound word only when a word is
    wider than the column); `id` (record ids, pair ids, e-mail addresses, one or a list) wraps
    only between ids; `money` (Decimal, shown as 1.400,00 €), `date`, `number`, `figure` (text
    such as `57,8 %`) and `label` (a word such as a status or a Belegnummer) are never broken
    or cut, at any width. An *optional* column (1, 2, …) is left out, the highest first, when
    the table could not fit otherwise.
    """

    header: str
    key: str = ""
    kind: str = "text"
    optional: int = 0

    @property
    def field(self) -> str:
        return self.key or self.header

    @property
    def whole(self) -> bool:
        return self.kind not in ("text", "id")


MIN_TEXT = 10  # a text column narrower than this is harder to read than one block per record
_GAP = 3  # what rich puts between two columns: padding on both sides and the separator
# where text may break: spaces, never a no-break space, nor between a figure and its € or %
_SPACE = re.compile(r"(?<![\d ]) +|(?<=\d) +(?![ €%])")
# where a compound word may break when it is wider than its column: after a hyphen between
# letters (Teltow-/Fläming), never inside a number, a date or a Belegnummer (TF-001)
_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")


def table(
    columns: Sequence[str | Column],
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = None,
    right: Iterable[str] = (),
    detail: tuple[Sequence[str | Column], Iterable[Sequence[object]]] | None = None,
) -> None:
    """Rows as a table that never cuts anything: figures (amounts, dates, numbers, and the
    columns in *right*) and ids keep their width, text columns wrap at spaces; optional
    columns are left out (with a note) when that lets the table fit; when even that cannot
    fit the width, one block per record (as `gh` prints in narrow terminals), of *detail*'s
    columns and rows when given (a summary table may show more in its blocks). Cells are
    shown exactly as given (no rich markup in user text)."""
    specs, cells = _prepared(columns, rows, right)
    keep = [i for i, s in enumerate(specs) if s.header or any(row[i].plain for row in cells)]
    specs, cells = [specs[i] for i in keep], [[row[i] for i in keep] for row in cells]
    console = out()
    fitted = _fitted(specs, cells, console.width)
    if fitted is None:
        if detail is not None:
            specs, cells = _prepared(detail[0], detail[1], right)
        _blocks(console, specs, cells, title)
        return
    shown, widths = fitted
    if len(shown) < len(specs):
        left_out = ", ".join(s.header for i, s in enumerate(specs) if i not in shown)
        note(f"left out at {console.width} columns: {left_out} (--format csv shows every "
             "column)", style="dim")
    specs, cells = [specs[i] for i in shown], [[row[i] for i in shown] for row in cells]
    grid = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, title_justify="left")
    for spec, size in zip(specs, widths):
        grid.add_column(spec.header, width=size, overflow="fold",
                        justify="right" if spec.kind in ("money", "number", "figure")
                        else "left")
    for row in cells:
        grid.add_row(*(_spaced(cell if spec.whole else _wrapped(cell, size, spec.kind))
                       for cell, spec, size in zip(row, specs, widths)))
    console.print(grid)


def _prepared(columns: Sequence[str | Column], rows: Iterable[Sequence[object]],
              right: Iterable[str]) -> tuple[list[Column], list[list[Text]]]:
    """The columns' specs (a plain header's kind read from its values) and the cells as
    shown."""
    right_cols = set(right)
    raw = [list(row) for row in rows]
    specs = []
    for i, column in enumerate(columns):
        if isinstance(column, str):
            values = [row[i] for row in raw if row[i] not in (None, "")]
            kind = "figure" if column in right_cols else "text"
            if values and all(isinstance(v, dt.date) for v in values):
                kind = "date"
            elif values and all(isinstance(v, (int, Decimal)) for v in values):
                kind = "number"
            column = Column(column, kind=kind)
        specs.append(column)
    return specs, [[_shown(value, spec) for value, spec in zip(row, specs)] for row in raw]


def _fitted(specs: list[Column], cells: list[list[Text]],
            total: int) -> tuple[list[int], list[int]] | None:
    """The columns shown (their indexes) and their widths: every column when the table fits,
    else without optional columns, the highest first, as long as the text columns left get
    room enough to read (a table that lost columns should not be cramped as well); None when
    not even that fits."""
    shown = list(range(len(specs)))
    while True:
        widths = _layout([specs[i] for i in shown], [[row[i] for i in shown] for row in cells],
                         total, MIN_TEXT if len(shown) == len(specs) else 2 * MIN_TEXT)
        if widths is not None:
            return shown, widths
        optional = [i for i in shown if specs[i].optional]
        if not optional:
            return None
        shown.remove(max(optional, key=lambda i: (specs[i].optional, i)))


def _spaced(cell: Text) -> Text:
    """A no-break space kept a figure with its unit while lines were broken; shown, it is a
    space (what a reader copies)."""
    if "\u00a0" not in cell.plain:
        return cell
    shown = cell.copy()
    shown.plain = cell.plain.replace("\u00a0", " ")
    return shown


def _shown(value: object, spec: Column) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, Decimal) and spec.kind == "money":
        return Text(format_eur(value))
    return Text(_plain_value(value))


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in _SPACE.split(text.replace("\n", " "))), default=0)


def _longest_piece(text: str) -> int:
    """The widest part of *text* that is never broken in a column that fits it: a word, or
    the part of a compound word up to and after its hyphens."""
    return max((cell_len(piece) for word in _SPACE.split(text.replace("\n", " "))
                for piece in _HYPHEN.split(word)), default=0)


def _least(spec: Column, texts: list[str], readable: int = MIN_TEXT) -> int:
    """The narrowest a column can be without breaking a word: a figure its widest value, an
    id column its widest id, a text column its widest piece of a word, and a wrapping column
    at least *readable* (or as wide as all of it); the header wraps at its spaces."""
    header = _longest_word(spec.header)
    if spec.whole:
        return max(max((_longest_line(t) for t in texts), default=0), header)
    longest = _longest_word if spec.kind == "id" else _longest_piece
    natural = max(max((_longest_line(t) for t in texts), default=0), cell_len(spec.header))
    return max(max((longest(t) for t in texts), default=0), min(natural, readable), header)


def _layout(specs: list[Column], cells: list[list[Text]], total: int,
            readable: int = MIN_TEXT) -> list[int] | None:
    """Column widths that fit *total* with every figure and id whole, no word broken, each
    text column at least *readable* wide (or as wide as its widest cell), or None when no
    such widths exist."""
    content = [max((_longest_line(row[i].plain) for row in cells), default=0)
               for i in range(len(specs))]
    natural = [max(w, cell_len(s.header)) for w, s in zip(content, specs)]
    least = [_least(s, [row[i].plain for row in cells], readable) for i, s in enumerate(specs)]
    room = total - _GAP * (len(specs) - 1) - 2
    if sum(least) > room:
        return None
    if sum(natural) <= room:
        return natural
    widths = list(least)
    texts = [i for i, s in enumerate(specs) if not s.whole]
    # the wrapping columns first share the room up to a common level (a line saved there is
    # a line saved in every row), then figures get their whole header back (one line in all)
    share = room - sum(least[i] for i, s in enumerate(specs) if s.whole)
    level = max((natural[i] for i in texts), default=0)
    while level > 0 and sum(max(min(natural[i], level), least[i]) for i in texts) > share:
        level -= 1
    for i in texts:
        widths[i] = max(min(natural[i], level), least[i])
    spare = room - sum(widths)
    for i, s in enumerate(specs):
        if s.whole:
            extra = min(natural[i] - widths[i], spare)
            widths[i] += extra
            spare -= extra
    for i in texts:  # what the common level left over
        extra = min(natural[i] - widths[i], spare)
        widths[i] += extra
        spare -= extra
    return widths


def _parts(word: str, size: int, kind: str) -> list[str]:
    """*word* as the parts it may be broken into for a column *size* wide: whole when it fits
    or is an id; else after the hyphens of a compound word, and a part still wider than the
    column is broken inside (never cut)."""
    if kind == "id" or cell_len(word) <= size:
        return [word]
    parts = []
    for piece in _HYPHEN.split(word):
        while cell_len(piece) > size:
            parts.append(piece[:size])
            piece = piece[size:]
        parts.append(piece)
    return parts


def _wrapped(cell: Text, size: int, kind: str = "text") -> Text:
    """*cell* broken at spaces into lines of at most *size*; a word wider than that is broken
    as `_parts` says (an id never: it then stands whole on a line of its own)."""
    if cell.spans or _longest_line(cell.plain) <= size:
        return cell
    lines = []
    for paragraph in cell.plain.splitlines() or [""]:
        line = ""
        for word in _SPACE.split(paragraph):
            for number, part in enumerate(_parts(word, size, kind)):
                joined = (line + " " + part) if number == 0 else line + part
                if line and cell_len(joined) <= size:
                    line = joined
                else:
                    if line:
                        lines.append(line)
                    line = part
        lines.append(line)
    return Text("\n".join(lines))


def _blocks(console: Console, specs: list[Column], cells: list[list[Text]],
            title: str | None) -> None:
    """One block per record, `header  value` per line, for widths no table fits: figures and
    ids whole, text wrapped under its value."""
    if title:
        console.print(_wrapped(Text(title), console.width), soft_wrap=True)
        console.print()
    label = max(cell_len(s.header or "mark") for s in specs) + 2
    room = max(console.width - label, MIN_TEXT)
    for number, row in enumerate(cells):
        if number:
            console.print()
        for spec, cell in zip(specs, row):
            if not cell.plain:
                continue
            value = _spaced(cell if spec.whole else _wrapped(cell, room, spec.kind))
            head, *rest = value.split("\n")
            line = Text((spec.header or "mark").ljust(label))
            line.append_text(head)
            console.print(line, soft_wrap=True)
            for more in rest:
                console.print(Text(" " * label) + more, soft_wrap=True)


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


# --- lists: a table, or CSV, TSV or JSON ----------------------------------------------------------

FORMATS = ("table", "csv", "tsv", "json")


def _plain_value(value: object) -> str:
    """A value as CSV and TSV hold it: amounts `1400.00`, dates ISO, lists joined by `, `."""
    if isinstance(value, Text):
        return value.plain
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _cell(value)


def delimited(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], fmt: str) -> str:
    """CSV (RFC 4180, `,`, UTF-8) or TSV (tabs; tabs and line breaks inside a value become
    spaces), with the column headers as the first line, as hledger writes them."""
    if fmt == "tsv":
        lines = ["\t".join(c.header for c in columns)]
        for row in rows:
            lines.append("\t".join(" ".join(_plain_value(row.get(c.field)).split("\t"))
                                   .replace("\r\n", " ").replace("\n", " ")
                                   for c in columns))
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_plain_value(row.get(c.field)) for c in columns])
    return buffer.getvalue()


def show_rows(fmt: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], *,
              as_json: object = None, title: str | None = None,
              shown: Sequence[Mapping[str, Any]] | None = None) -> None:
    """A list command's output: a table (of *shown*, the rows as displayed, when given), CSV,
    TSV, or JSON (*as_json*, else the rows)."""
    if fmt == "json":
        print_json(rows if as_json is None else as_json)
    elif fmt in ("csv", "tsv"):
        sys.stdout.write(delimited(rows, columns, fmt))
        sys.stdout.flush()
    else:
        table(list(columns), ([row.get(c.field) for c in columns] for row in (shown or rows)),
              title=title)
