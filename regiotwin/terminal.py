"""Everything the CLI shows: tables on stdout, messages on stderr, JSON with exact money.

On a terminal rich draws them (colour, the terminal's width). Written to a file or a pipe,
where there is no colour to show, the same characters are made here without rich: a command's
output in a script costs no console per line, and 100,000 findings print in a blink.
tests/test_tables.py holds the two equal for any table and text. Only CLI code imports this
module; the core never prints.
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
from typing import TYPE_CHECKING, Any, TextIO

from regiotwin.money import format_eur, plain

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

UNLIMITED = 4000  # piped into a file or another program: no line is broken


class Styled(str):
    """Text in a style where colour can be shown (`Styled("over cap", "red")`): a rich style
    on a terminal, plain text everywhere else (files, pipes, CSV, JSON)."""

    style: str

    def __new__(cls, text: str, style: str = "") -> Styled:
        made = super().__new__(cls, text)
        made.style = style
        return made


def is_terminal(stream: Any) -> bool:
    """Whether rich treats *stream* as a terminal: a TTY, unless TTY_COMPATIBLE or FORCE_COLOR
    (https://force-color.org/) say otherwise."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a stream already closed
        return False


def width() -> int | None:
    """The width tables fit: `$COLUMNS` when set, else the terminal's (None: rich asks it),
    else (piped) unlimited."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if sys.stdout.isatty() else UNLIMITED


def out() -> Console:
    """A rich console on the current stdout (made per call, so redirected streams are
    honoured); only for a terminal."""
    from rich.console import Console

    return Console(highlight=False, width=width())


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def echo(text: str) -> None:
    """Plain data line on stdout, never interpreted as markup."""
    if is_terminal(sys.stdout):
        out().print(_rich(text), soft_wrap=True)
    else:
        _write(sys.stdout, _soft(text) + "\n")


def echo_lines(lines: Iterable[str]) -> None:
    """Many data lines (`check`'s findings): one write where no terminal needs a console."""
    if is_terminal(sys.stdout):
        console = out()
        for line in lines:
            console.print(_rich(line), soft_wrap=True)
        return
    # one pass over the whole text: what `_soft` does to a line it does within the text
    _write(sys.stdout, _soft("".join(line + "\n" for line in lines)))


def note(text: str, style: str = "") -> None:
    """A message for the person (stderr), shown literally."""
    if is_terminal(sys.stderr):
        err().print(_rich(Styled(text, style)), soft_wrap=True)
    else:
        _write(sys.stderr, _soft(text) + "\n")


def print_diff(text: str) -> None:
    """A unified diff as git shows it: removed lines red, added green (colour only where the
    terminal has it)."""
    lines = []
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
        lines.append(Styled(line, style))
    echo_lines(lines)


def _write(stream: TextIO, text: str) -> None:
    stream.write(text)
    stream.flush()  # as rich does after each print: stdout and stderr stay in order


def _rich(text: str) -> Text:
    """Text for rich: literal (no markup), in its style."""
    from rich.text import Text

    return Text(text, style=getattr(text, "style", ""))


# --- what rich prints, without rich -----------------------------------------------------------

# rich's Text drops these control codes (BEL, BS, VT, FF, CR); the reader refuses them in
# records, but file names and messages may hold them (looked for first: translate is slow)
_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))
_STRIPPED_ANY = re.compile("[\x07\x08\x0b\x0c\x0d]").search
# characters one cell wide: rich's own fast ranges, and the symbols our output holds (a test
# checks each against rich); any other text is measured by rich.cells
_SINGLE_CELLS = frozenset(
    [chr(c) for start, end in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482),
                               (0x2500, 0x25FC), (0x2800, 0x28FF))
     for c in range(start, end + 1)]
    + list("€–—…≥≤„“”‚‘’•→←")
).issuperset


def cell_len(text: str) -> int:
    """The terminal cells *text* takes, as rich counts them (a CJK character takes two)."""
    if _SINGLE_CELLS(text):
        return len(text)
    from rich.cells import cell_len as measure

    return measure(text)


def _soft(text: str) -> str:
    """What rich prints of a Text with soft wrap: control codes dropped, tabs expanded."""
    if _STRIPPED_ANY(text):
        text = text.translate(_STRIPPED)
    if "\t" not in text:
        return text
    return "\n".join(_expand_tabs(line) for line in text.split("\n"))


def _expand_tabs(line: str, size: int = 8) -> str:
    if "\t" not in line:
        return line
    parts = line.split("\t")
    expanded = ""
    position = 0
    for part in parts[:-1]:
        position += cell_len(part) + 1
        spaces = (size - position % size) % size
        expanded += part + " " * (1 + spaces)
        position += spaces
    return expanded + parts[-1]


def _justified(line: str, size: int, right: bool) -> str:
    """One line of a cell as rich justifies it in a column of *size* cells (it fits)."""
    line = _expand_tabs(line)
    if right:
        line = line.rstrip()
        return " " * (size - cell_len(line)) + line
    return line + " " * max(size - cell_len(line), 0)


def _cell_lines(text: str, size: int, right: bool) -> list[str]:
    if size == 0:
        return [""]  # rich draws a column of no width as one empty line, whatever it holds
    if _STRIPPED_ANY(text):
        text = text.translate(_STRIPPED)
    return [_justified(line, size, right) for line in text.split("\n")]


def _plain_table(specs: list[Column], cells: list[list[str]], widths: list[int],
                 title: str | None) -> str:
    """The table rich draws (SIMPLE_HEAD, no edge, cells padded by one, headers at the bottom
    of their row), as plain text; *cells*, headers and title fit their widths already."""
    total = _table_width(widths)
    rights = [spec.kind in ("money", "number", "figure") for spec in specs]
    lines: list[str] = []
    if title:
        lines += _cell_lines(title, total, False)

    def row(texts: list[str], bottom: bool) -> None:
        columns = [_cell_lines(text, size, right)
                   for text, size, right in zip(texts, widths, rights)]
        height = max(len(c) for c in columns)
        for c, size in zip(columns, widths):
            blank = [" " * size] * (height - len(c))
            c[:] = blank + c if bottom else c + blank
        for i in range(height):
            lines.append(" " + "   ".join(c[i] for c in columns) + " ")

    row([spec.header for spec in specs], bottom=True)
    lines.append("─" * total)
    for cell_row in cells:
        row(cell_row, bottom=False)
    return "".join(line + "\n" for line in lines)


def _table_width(widths: list[int]) -> int:
    return sum(widths) + _GAP * (len(widths) - 1) + 2


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
    turned: tuple[Sequence[str | Column], Iterable[Sequence[object]]] | None = None,
) -> None:
    """Rows as a table that never cuts anything: figures (amounts, dates, numbers, and the
    columns in *right*) and ids keep their width, text columns wrap at spaces; optional
    columns are left out (with a note) when that lets the table fit; else the same figures
    *turned* (one column per record, one row per figure) when given and that fits; when
    nothing fits the width, one block per record (as `gh` prints in narrow terminals), of
    *detail*'s columns and rows when given (a summary table may show more in its blocks).
    Cells are shown exactly as given (no rich markup in user text); a `Styled` cell is
    coloured on a terminal."""
    specs, cells = _prepared(columns, rows, right)
    keep = [i for i, s in enumerate(specs) if s.header or any(row[i] for row in cells)]
    specs, cells = [specs[i] for i in keep], [[row[i] for i in keep] for row in cells]
    if not specs:  # nothing to show, not even a header
        return
    console = out() if is_terminal(sys.stdout) else None
    total = console.width if console is not None else (width() or UNLIMITED)
    fitted = _fitted(specs, cells, total)
    if fitted is None and turned is not None:
        turned_specs, turned_cells = _prepared(turned[0], turned[1], ())
        if _fitted(turned_specs, turned_cells, total) is not None:
            table(turned[0], turned[1], title=title)
            return
    if fitted is None:
        if detail is not None:
            specs, cells = _prepared(detail[0], detail[1], right)
        _blocks(specs, cells, title, total)
        return
    kept, widths = fitted
    if len(kept) < len(specs):
        left_out = ", ".join(s.header for i, s in enumerate(specs) if i not in kept)
        note(f"left out at {total} columns: {left_out} (--format csv shows every column)",
             style="dim")
    specs, cells = [specs[i] for i in kept], [[row[i] for i in kept] for row in cells]
    # what rich would wrap is wrapped here (it leaves alone what fits), so that both draw alike
    shown = [[_spaced(cell if spec.whole else _wrapped(cell, size, spec.kind))
              for cell, spec, size in zip(row, specs, widths)] for row in cells]
    title = _wrapped(_soft(title), _table_width(widths)) if title else None
    specs = [Column(_wrapped(spec.header, size), spec.key, spec.kind)
             for spec, size in zip(specs, widths)]
    if console is None:
        _write(sys.stdout, _plain_table(specs, shown, widths, title))
        return
    from rich import box
    from rich.table import Table

    grid = Table(title=_rich(title) if title else None, box=box.SIMPLE_HEAD, show_edge=False,
                 title_justify="left")
    for spec, size in zip(specs, widths):
        grid.add_column(_rich(spec.header), width=size, overflow="fold",
                        justify="right" if spec.kind in ("money", "number", "figure")
                        else "left")
    for row in shown:
        grid.add_row(*(_rich(cell) for cell in row))
    console.print(grid)


def _prepared(columns: Sequence[str | Column], rows: Iterable[Sequence[object]],
              right: Iterable[str]) -> tuple[list[Column], list[list[str]]]:
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


def _fitted(specs: list[Column], cells: list[list[str]],
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


def _spaced(cell: str) -> str:
    """A no-break space kept a figure with its unit while lines were broken; shown, it is a
    space (what a reader copies)."""
    if "\u00a0" not in cell:
        return cell
    return Styled(cell.replace("\u00a0", " "), getattr(cell, "style", ""))


def _shown(value: object, spec: Column) -> str:
    """A cell's text: tabs expanded first, so that the widths measure what is shown."""
    if isinstance(value, Decimal) and spec.kind == "money":
        return format_eur(value)
    text = value if isinstance(value, Styled) else _plain_value(value)
    if "\t" in text:
        text = Styled(_soft(text), getattr(text, "style", ""))
    return text


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


def _layout(specs: list[Column], cells: list[list[str]], total: int,
            readable: int = MIN_TEXT) -> list[int] | None:
    """Column widths that fit *total* with every figure and id whole, no word broken, each
    text column at least *readable* wide (or as wide as its widest cell), or None when no
    such widths exist."""
    content = [max((_longest_line(row[i]) for row in cells), default=0)
               for i in range(len(specs))]
    natural = [max(w, cell_len(s.header)) for w, s in zip(content, specs)]
    least = [_least(s, [row[i] for row in cells], readable) for i, s in enumerate(specs)]
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
            part = _fitting(piece, size)
            parts.append(part)
            piece = piece[len(part):]
        parts.append(piece)
    return parts


def _wrapped(cell: str, size: int, kind: str = "text") -> str:
    """*cell* broken at spaces into lines of at most *size*; a word wider than that is broken
    as `_parts` says (an id never: it then stands whole on a line of its own). What fits is
    kept as it is (with its style)."""
    if _longest_line(cell) <= size:
        return cell
    lines = []
    for paragraph in cell.splitlines() or [""]:
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
    return "\n".join(lines)


def _fitting(word: str, size: int) -> str:
    """The longest start of *word* within *size* cells (a wide character takes two), at
    least one character."""
    if _SINGLE_CELLS(word):
        return word[:size]
    used = end = 0
    for character in word:
        used += cell_len(character)
        if used > size and end:
            break
        end += 1
    return word[:end]


def _blocks(specs: list[Column], cells: list[list[str]], title: str | None, total: int) -> None:
    """One block per record, `header  value` per line, for widths no table fits: figures and
    ids whole, text wrapped under its value."""
    lines: list[tuple[str, str, str]] = []  # label, value, the value's style
    if title:
        lines += [(_wrapped(_soft(title), total), "", ""), ("", "", "")]
    label = max(cell_len(s.header or "mark") for s in specs) + 2
    room = max(total - label, MIN_TEXT)
    for number, row in enumerate(cells):
        if number:
            lines.append(("", "", ""))
        for spec, cell in zip(specs, row):
            if not cell:
                continue
            value = _spaced(cell if spec.whole else _wrapped(cell, room, spec.kind))
            style = getattr(value, "style", "")
            head, *rest = value.split("\n")
            if rest and value.endswith("\n"):
                rest.pop()  # as rich splits a text: no blank line after the last
            lines.append(((spec.header or "mark").ljust(label), head, style))
            lines += [(" " * label, more, style) for more in rest]
    if not is_terminal(sys.stdout):
        _write(sys.stdout, "".join(_soft(start + value) + "\n" for start, value, _ in lines))
        return
    from rich.text import Text

    console = out()
    for start, value, style in lines:
        line = Text(start)
        line.append_text(Text(value, style=style))
        console.print(line, soft_wrap=True)


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
    if isinstance(value, str):
        return str(value)
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
