"""YAML reading restricted to what a person means, with positions; atomic, stable writing.

Reading composes the node tree with PyYAML's C parser (when present) and a resolver of our own,
so `NO` stays a string, `14:30` stays a string, floats become `Decimal` and every value keeps
the line it came from. Writing is the only way records reach the disk.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from regiotwin.limits import MAX_BYTES as MAX_BYTES
from regiotwin.limits import MAX_DEPTH, LimitError, read_capped
from regiotwin.lines import line_in

# the atomic writer lives in regiotwin.writer; importable from here for callers written earlier
from regiotwin.writer import RecordExistsError as RecordExistsError
from regiotwin.writer import write_atomic as write_atomic

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
DATE = "tag:yaml.org,2002:timestamp"

TOO_DEEP = (f"values are nested more than {MAX_DEPTH} levels deep here, far deeper than any "
            "record goes (a few levels); look for brackets [ or { that are never closed, or "
            "indentation that keeps growing")

# what the parser would refuse with an error of its own: control characters, and the two
# noncharacters U+FFFE and U+FFFF (which would otherwise end the command in a traceback)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ufffe\uffff]")
_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?:[ \t].*)?$", re.MULTILINE)


class YamlError(LimitError):
    """A file that is not acceptable YAML; ``line`` is 1-based."""


_SCALAR = re.compile(
    r"(?P<bool>true|True|TRUE|false|False|FALSE)"
    r"|(?P<null>~|null|Null|NULL)"
    r"|(?P<int>[-+]?(?:0|[1-9][0-9]*))"
    r"|(?P<float>[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+))"
    r"|(?P<timestamp>[0-9]{4}-[0-9]{2}-[0-9]{2})"
)
_TAG = {name: f"tag:yaml.org,2002:{name}" for name in _SCALAR.groupindex}
_MAYBE_NOT_TEXT = frozenset("tTfF~nN-+0123456789.")


class _Resolver(BaseResolver):
    """YAML 1.2 core schema without the surprises: no yes/no/on booleans, no sexagesimals,
    no octals (`01234` stays text), no exponents; plain `12.50` is a Decimal, `2016-06-27` a date.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # The C composer calls this once per node: the hot path when loading 10,000 files.
        if kind is ScalarNode:
            if not implicit[0]:
                return STR
            if value == "":
                return NULL
            if value[0] in _MAYBE_NOT_TEXT:
                match = _SCALAR.fullmatch(value)
                if match:
                    return _TAG[match.lastgroup or ""]
            return STR
        if kind is SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # no path resolvers

    def ascend_resolver(self) -> None:
        pass


try:  # the C parser is ~10x faster; our resolver and constructor stay in Python
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    class _NodeLoader(_Parser, _Resolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _Resolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _NodeLoader(Reader, Scanner, Parser, Composer, _Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _Resolver.__init__(self)


def _line(mark: Any) -> int:
    return int(mark.line) + 1 if mark is not None else 1


@dataclass
class Document:
    """A parsed YAML file: its plain data and the node tree that knows every line."""

    data: dict[str, Any]
    node: MappingNode

    def line_of(self, loc: Iterable[int | str]) -> int:
        """Line of the value at *loc* (a pydantic error location); the nearest known parent."""
        return line_in(line_tree(self.node), loc)


def line_tree(node: Node) -> Any:
    """Where a document's keys and items are: [line, children], the children a mapping by key,
    a list of items, or None. Plain data, so the record cache can keep it: a warning about an
    unchanged file then needs no parser (regiotwin/lines.py)."""
    if isinstance(node, MappingNode):
        children: Any = {}
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                children.setdefault(key.value, [_line(key.start_mark), line_tree(value)[1]])
    elif isinstance(node, SequenceNode):
        children = [line_tree(item) for item in node.value]
    else:
        children = None
    return [_line(node.start_mark), children]


def _refuse_anchors_and_tags(text: str) -> None:
    """Aliases can blow up memory (billion laughs) and tags can name Python objects: refuse."""
    loader = _NodeLoader(text)
    try:
        while loader.check_event():
            event: Any = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlError(
                    _line(event.start_mark),
                    "anchors and aliases (& and *) are not allowed; write the value out",
                )
            tag = getattr(event, "tag", None)
            if tag and not isinstance(event, yaml.DocumentStartEvent):
                raise YamlError(
                    _line(event.start_mark), f"tags like {tag!r} are not allowed; remove the tag"
                )
    except yaml.MarkedYAMLError:
        pass  # the composer below reports syntax errors with their line
    finally:
        loader.dispose()


def _construct(node: Node, depth: int = 0) -> Any:
    if isinstance(node, ScalarNode):
        tag, value = node.tag, node.value
        if tag == STR:
            return value
        if tag == NULL:
            return None
        if tag == BOOL:
            return value.lower() == "true"
        if tag == INT:
            if len(value) > 100:
                raise YamlError(_line(node.start_mark), "a number with more than 100 digits")
            return int(value)
        if tag == FLOAT:
            return Decimal(value)
        if tag == DATE:
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise YamlError(
                    _line(node.start_mark), f"{value} is not a real date ({exc})"
                ) from None
        raise YamlError(_line(node.start_mark), f"tags like {tag!r} are not allowed")
    if depth >= MAX_DEPTH:
        raise YamlError(_line(node.start_mark), TOO_DEEP)
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlError(_line(key_node.start_mark), "a key must be a plain word")
            key = key_node.value
            here = _line(key_node.start_mark)
            if key in lines:
                raise YamlError(
                    here, f"duplicate key {key!r} (lines {lines[key]} and {here}); keep one"
                )
            lines[key] = here
            result[key] = _construct(value_node, depth + 1)
        return result
    if isinstance(node, SequenceNode):
        items = []
        for item in node.value:
            items.append(_construct(item, depth + 1))
        return items
    raise YamlError(_line(node.start_mark), "unsupported YAML node")  # pragma: no cover


def parse_yaml(text: str) -> Document:
    """Parse one YAML document that must be a mapping; raise YamlError with a line."""
    if "<<<<<<<" in text or ">>>>>>>" in text:
        _refuse_conflict_markers(text)
    match = _CONTROL.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        code = ord(match.group())
        kind = "control character" if code < 0xFFFE else "character"
        raise YamlError(line, f"{kind} U+{code:04X} is not allowed")
    if "&" in text or "*" in text or "!" in text:
        _refuse_anchors_and_tags(text)
    loader = _NodeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlError(1, "the file is empty; it must hold a mapping of keys to values")
    if not isinstance(node, MappingNode):
        kind = "a list" if isinstance(node, SequenceNode) else "a single value"
        raise YamlError(
            _line(node.start_mark), f"the file holds {kind}; it must hold a mapping of keys"
        )
    return Document(_construct(node), node)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    line = _line(mark)
    problem = exc.problem or "invalid YAML"
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        opened = _line(exc.context_mark)
        return YamlError(opened, "a quoted value starts on this line and is never closed; "
                                 "add the closing quote")
    if "maximum nesting depth" in problem:
        return YamlError(line, TOO_DEEP)
    if "expected a single document" in str(exc) or "but found another document" in str(exc):
        return YamlError(line, "the file holds several YAML documents (---); keep one")
    lines = text.splitlines()
    if "\t" in problem or (0 < line <= len(lines) and lines[line - 1][:1] == "\t"):
        return YamlError(line, "tab characters cannot indent YAML; indent with spaces")
    context = f" {exc.context}" if exc.context else ""
    return YamlError(line, f"YAML syntax error: {problem}{context}")


def _refuse_conflict_markers(text: str) -> None:
    lines = [text.count("\n", 0, m.start()) + 1 for m in _CONFLICT.finditer(text)]
    if lines:
        shown = ", ".join(str(n) for n in lines)
        raise YamlError(
            lines[0],
            f"unresolved merge conflict: git's conflict markers on lines {shown}; "
            "keep the right lines, remove the markers, then commit",
        )


_WIDE_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32 (what Windows editors call "Unicode"), by the BOM or the zero bytes."""
    for bom, name in _WIDE_ENCODINGS:
        if raw.startswith(bom):
            return name
    head = raw[:64]
    if len(head) >= 4 and b"\x00" in head:
        if head[1::4].count(0) == head[2::4].count(0) == head[3::4].count(0) == len(head) // 4:
            return "UTF-32"
        if head[1::2].count(0) == len(head) // 2 or head[0::2].count(0) == len(head) // 2:
            return "UTF-16"
        if head[0::4].count(0) == head[1::4].count(0) == head[2::4].count(0) == len(head) // 4:
            return "UTF-32"
    return None


def parse_bytes(raw: bytes) -> Document:
    """A record file's bytes, decoded as UTF-8 (a BOM is fine) and parsed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        wide = _wide_encoding(raw)
        if wide:
            raise YamlError(1, f"the file is saved as {wide}; save it as UTF-8") from None
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            line, "the file is not UTF-8 (saved as Windows-1252?); save it as UTF-8"
        ) from None
    if "\x00" in text:
        wide = _wide_encoding(raw)
        if wide:
            raise YamlError(1, f"the file is saved as {wide}; save it as UTF-8")
    return parse_yaml(text)


def read_yaml(path: Path | str) -> Document:
    """Read a record file from disk with the size and encoding rules of SPEC §7."""
    try:
        raw = read_capped(path)
    except LimitError as exc:
        raise YamlError(exc.line, exc.message) from None
    return parse_bytes(raw)


# --- writing -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Stable, readable output; strings that another YAML reader could misread get quoted."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never an anchor: our reader refuses them, and one amount object in two fields (a
        trip's cap that is also its amount) is two values in the file."""
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(STR, value, style=style)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    # money is already two-place (models quantize it); `f` keeps 1E+3 out of the file
    text = format(value, "f")
    return dumper.represent_scalar(FLOAT, text if "." in text else text + ".0")


def _represent_date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_scalar(DATE, value.isoformat())


class _Quoted(str):
    """Text to be written in double quotes, never as a block (see `_last_quoted`)."""


def _represent_quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar(STR, str(value), style='"')


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(dt.date, _represent_date)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """YAML text in the given key order (the model's field order)."""
    return yaml.dump(
        dict(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
        indent=2,
    )


# --- rewriting a file, comments kept -------------------------------------------------------
#
# A rewrite edits the text in place, as `fmt` does: what changed is written anew, as `dump_yaml`
# writes it, and every other character stays, so the indentation, quoting, blank lines and
# comments of the untouched parts survive by construction (a round trip through a
# comment-keeping YAML library re-emits the whole file and ties comments to the wrong node).
#
# Comments belong where a reader of the file sees them:
# - a comment line belongs to what follows it: the next key or list item below it (the end of
#   the file when nothing follows);
# - an end-of-line comment belongs to its line.
# So what is added goes directly after the last line of what precedes it, before the comments
# of what follows; what is removed takes along its end-of-line comments, the comments inside
# it and the comment lines directly above it at its own indentation, and no other comment.


def rewrite_yaml(text: str, was: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """*text*, which holds *was*, changed to hold *now*, keeping everything else.

    Keys, values and list items that did not change keep their text, quoting and comments;
    changed values are written in place as `dump_yaml` would write them, new keys go after the
    key that precedes them in *now*, new list items after the item that precedes them, and
    new parts are written in the tool's layout (two spaces, a list's `- ` under its key)
    aligned with their neighbours. Keys that are in neither *was* nor *now* (a default written
    out) stay. Comments stay with what they belong to (see above); text over several lines
    that as a block (`|`) would take in a comment line below it is written in quotes. Line
    ends (CRLF) are kept; a byte-order mark is dropped; a missing final line break is added.
    ValueError when the change cannot be made by editing (the caller then writes the record
    afresh).
    """
    crlf = "\r\n" in text
    body = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    # A block of text (`|`) ends where a line less indented starts; a comment line as deep as
    # its text that a change puts below it becomes part of it. Such blocks, new or kept, are
    # written in quotes instead: found by reading the result back, then written again.
    quote: set[_Path] = set()  # new text, by where it is in *now*
    requote: set[int] = set()  # blocks of the file, by where they start
    for _ in range(3):
        rewrite = _Rewrite(body, quote, requote)
        if not rewrite.merge_map(rewrite.root, dict(was), dict(now), (), compact=False):
            raise ValueError("no key of the file is left")
        result = rewrite.result()
        more_quote, more_requote = rewrite.taken_in(result)
        if not (more_quote or more_requote):
            return result.replace("\n", "\r\n") if crlf else result
        quote |= more_quote
        requote |= more_requote
    raise ValueError("the rewritten text does not read back as intended")


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text if "." in text else text + ".0"


def written_alike(a: Any, b: Any) -> bool:
    """Equal and written alike (12.5 and 12.50 are not the same text)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(written_alike(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(written_alike(x, y) for x, y in zip(a, b))
    if isinstance(a, Decimal):
        return str(a) == str(b)
    return bool(a == b)


_MISSING = object()


def _indented(text: str, column: int) -> str:
    """*text* (lines ending in a line break) moved right by *column*; empty lines stay empty."""
    pad = " " * column
    return "".join((pad + line if line.strip(_BLANKS) else line) + "\n"
                   for line in text.split("\n")[:-1])


def _dumped(data: Mapping[Any, Any]) -> str:
    text = dump_yaml(data)
    # the end marker PyYAML puts after a block that keeps its final line breaks
    return text[:-4] if text.endswith("\n...\n") else text


def _entry_text(entry: dict[Any, Any], column: int) -> str:
    """New keys and values as `dump_yaml` writes them, the keys at *column*."""
    return _indented(_dumped(entry), column)


def _items_text(values: list[Any], column: int) -> str:
    """New list items as `dump_yaml` writes them, their `-` at *column*."""
    return _indented(_dumped({"k": values}).split("\n", 1)[1], column)


_Path = tuple[Any, ...]  # keys and list positions from the top of a record


def _last_path(value: Any) -> _Path:
    """Where in *value* the value it ends with is."""
    if isinstance(value, dict) and value:
        last = list(value)[-1]
        return (last, *_last_path(value[last]))
    if isinstance(value, list) and value:
        return (len(value) - 1, *_last_path(value[-1]))
    return ()


def _leaf(value: Any) -> Any:
    """The value *value* ends with."""
    if isinstance(value, dict) and value:
        return _leaf(value[list(value)[-1]])
    if isinstance(value, list) and value:
        return _leaf(value[-1])
    return value


def _last_quoted(value: Any) -> Any:
    """*value* with the text it ends with in double quotes: written as a block, it would take
    in the comment lines below it that stand deeper than its key."""
    if isinstance(value, dict) and value:
        last = list(value)[-1]
        return {**value, last: _last_quoted(value[last])}
    if isinstance(value, list) and value:
        return [*value[:-1], _last_quoted(value[-1])]
    if isinstance(value, str) and "\n" in value:
        return _Quoted(value)
    return value


def _last_key_column(value: Any, column: int) -> int:
    """The column of the key or `-` of the last value in *value* (a mapping whose keys, or a
    list whose `-`, stand at *column*) as `dump_yaml` lays it out; text written as a block
    there is indented two more."""
    if isinstance(value, dict) and value:
        last = value[list(value)[-1]]
        if isinstance(last, dict) and last:
            return _last_key_column(last, column + 2)
        if isinstance(last, list) and last:
            return _last_key_column(last, column)  # a list's `-` stands under its key
        return column
    if isinstance(value, list) and value and isinstance(value[-1], (dict, list)) and value[-1]:
        return _last_key_column(value[-1], column + 2)
    return column


def _scalars(node: Node) -> Iterable[ScalarNode]:
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def _comment_below(lines: list[str], line: int, column: int) -> bool:
    """Whether the first line after *line* that is not blank is a comment at *column* or
    deeper: a block of text ending on *line* and indented that far would take it in (a
    comment less indented ends the block, and then any may follow)."""
    for text in lines[line + 1:]:
        content = text.strip(_BLANKS)
        if content:
            return content.startswith("#") and len(text) - len(text.lstrip(" \t")) >= column
    return False


def _item_key(item: Any) -> str:
    import json

    return json.dumps(item, sort_keys=True, default=str)


def _text_lines(root: Node, lines: list[str]
                ) -> tuple[list[bool], set[int], dict[int, ScalarNode]]:
    """Where text over several lines stands in a document: which lines are inside such a
    value (never a blank or comment line of the file's own), the last lines of blocks that
    keep their final line breaks, and the blocks of text (`|`, `>`) by their last line. The
    rewrite and fmt both must leave these lines alone."""
    inside = [False] * len(lines)
    keep_ends: set[int] = set()
    blocks: dict[int, ScalarNode] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            last = _last_line(node, lines)
            for line in range(node.start_mark.line + 1, last + 1):
                inside[line] = True
            if _keeps_breaks(node, lines):
                keep_ends.add(last)
            if node.style in ("|", ">"):
                blocks[last] = node
        elif isinstance(node, MappingNode):  # pushed last first: read in document order
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return inside, keep_ends, blocks


class _Rewrite:
    """The edits that change the text of a parsed YAML mapping to hold other data."""

    def __init__(self, text: str, quote: set[_Path] | frozenset[_Path] = frozenset(),
                 requote: set[int] | frozenset[int] = frozenset()) -> None:
        self.text = text
        self.quote = quote  # where new text is to be written in quotes, not as a block
        self.requote = requote  # where blocks of the file start that are to be quoted
        self.edited: set[int] = set()  # the scalars given new text (by id)
        self.texts: list[tuple[_Path, str]] = []  # new text over several lines, and where
        self.kept: list[tuple[int, int, int]] = []  # (start, end, where in the result)
        self.root = parse_yaml(text).node
        self.lines = _lines(text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        # lines inside text over several lines, the last lines of blocks that keep their
        # line breaks, and the blocks of text (`|`, `>`) by their last line
        self.inside, self.keep_ends, self.blocks = _text_lines(self.root, self.lines)
        self.edits: list[tuple[int, int, int, int, str]] = []  # start, end, rank, order, text
        self._blanked: list[str] | None = None

    # --- the lines of the text

    def blank(self, line: int) -> bool:
        return not self.inside[line] and not self.lines[line].strip(_BLANKS)

    def free(self, line: int) -> bool:
        """A blank or comment line, not part of a value."""
        if self.inside[line]:
            return False
        content = self.lines[line].strip(_BLANKS)
        return not content or content.startswith("#")

    def comment_column(self, line: int) -> int:
        """The column of a comment line's `#`; -1 for any other line."""
        if self.inside[line]:
            return -1
        text = self.lines[line]
        stripped = text.lstrip(" \t")
        return len(text) - len(stripped) if stripped.startswith("#") else -1

    def last(self, node: Node) -> int:
        return _last_line(node, self.lines)

    def after(self, line: int) -> int:
        """The offset where the line after *line* starts."""
        return self.starts[line + 1]

    def lead(self, head: int, column: int) -> int:
        """The first of the comment lines directly above *head* at *column*: they belong to
        what stands on *head*, and go when it goes."""
        line = head
        while line > 0 and self.comment_column(line - 1) == column:
            line -= 1
        return line

    def before(self, head: int) -> int:
        """Where something goes that comes before what stands on *head*: after the content
        above, or after the blank line that parts *head*'s comments from those above them."""
        first = head - 1
        while first >= 0 and self.free(first):
            first -= 1
        for line in range(head - 1, first, -1):
            if self.blank(line):
                return self.starts[line + 1]
        return self.starts[first + 1]

    def comments(self, first: int, last: int) -> list[str]:
        """The comments on lines *first* to *last* (after `#` outside values)."""
        if self._blanked is None:
            self._blanked = _lines(_blank_values(self.text, self.root))
        found = []
        for line in range(first, last + 1):
            at = self._blanked[line].find("#")
            if at >= 0:
                found.append(self.lines[line][at:].rstrip("\n"))
        return found

    def item_head(self, item: Node) -> tuple[int, int]:
        """The line and column of a list item's `-`."""
        index = item.start_mark.index - 1
        while index >= 0 and self.text[index] == " ":
            index -= 1
        if index >= 0 and self.text[index] == "-":
            line = int(item.start_mark.line)
            column = int(item.start_mark.column) - (item.start_mark.index - index)
        else:  # the `-` stands alone on a line above
            line = int(item.start_mark.line) - 1
            while line >= 0 and self.free(line):
                line -= 1
            if line < 0 or self.lines[line].split("#")[0].strip() != "-":
                raise ValueError(f"no `-` found for the list item on line {item.start_mark.line}")
            column = self.lines[line].index("-")
        if self.lines[line][:column].strip():
            raise ValueError(f"a list inside a list item on line {line + 1}")
        return line, column

    # --- recording and applying edits

    def edit(self, start: int, end: int, text: str, rank: int = 0) -> None:
        """Replace text[start:end]; of insertions at one place, a lower *rank* goes first
        (0: after what precedes, 1: before what follows), then the earlier recorded."""
        self.edits.append((start, end, rank, len(self.edits), text))

    def delete_lines(self, first: int, last: int) -> None:
        """Delete lines *first* to *last*, and a blank line that would then be doubled, or
        taken in by a block above that keeps its final line breaks."""
        count = len(self.lines)
        if first - 1 in self.keep_ends:
            while last + 1 < count and self.blank(last + 1):
                last += 1
        blank_before = first == 0 or self.blank(first - 1)
        if blank_before and (last + 1 == count or self.blank(last + 1)):
            if last + 1 < count:
                last += 1
            elif first > 0:
                first -= 1
        self.edit(self.starts[first], self.after(last), "")

    def insert(self, at: int, value: dict[Any, Any] | list[Any],
               render: Callable[[Any], str], column: int, last: _Path) -> None:
        """Insert *value* (keys and values, or list items) as *render* writes it, its keys or
        `-` at *column*, at *at*, a line's start; *last* is where what it ends with goes in the
        record. That is quoted where a block would take in the comment lines that follow; a
        block keeping its final line breaks goes after the blank lines there."""
        line = bisect.bisect_left(self.starts, at)
        if last in self.quote or _comment_below(self.lines, line - 1,
                                                _last_key_column(value, column) + 2):
            value = _last_quoted(value)
        self.written(last, _leaf(value))
        text = render(value)
        if text.endswith("\n\n"):
            while line < len(self.lines) and self.blank(line):
                line += 1
            at = self.starts[line]
        self.edit(at, at, text)

    def written(self, path: _Path, value: Any) -> None:
        """Note new text, to check that it reads back (see `taken_in`)."""
        if isinstance(value, str) and "\n" in value:
            self.texts.append((path, value))

    def result(self) -> str:
        """The text with every edit made (and the blocks to be quoted quoted)."""
        for node in self.blocks.values():
            if node.start_mark.index in self.requote and id(node) not in self.edited:
                edit = _scalar_edit(self.text, self.lines, node, _construct(node), False, 0,
                                    "\n", quoted=True)
                if edit is not None:
                    self.edit(*edit)
        out: list[str] = []
        length = 0
        position = 0
        deleting = False
        # at one place, insertions come before what replaces text from there
        for start, end, _, _, new in sorted(self.edits,
                                            key=lambda e: (e[0], e[1] > e[0], e[2], e[3])):
            if start < position:
                if deleting and not new and end > start:  # deletions that overlap join
                    position = max(position, end)
                    continue
                raise ValueError("two changes of the text overlap")
            self.kept.append((position, start, length))
            out += [self.text[position:start], new]
            length += start - position + len(new)
            position = end
            deleting = not new and end > start
        self.kept.append((position, len(self.text), length))
        out.append(self.text[position:])
        return "".join(out)

    def taken_in(self, result: str) -> tuple[set[_Path], set[int]]:
        """What of *result* does not read back as written: the new texts (where they are in
        the new record) and the blocks of the file (where they start) that took in what
        follows them."""
        doc = parse_yaml(result)
        quote = set()
        for path, text in self.texts:
            value: Any = doc.data
            try:
                for part in path:
                    value = value[part]
            except (LookupError, TypeError):
                raise ValueError("the rewritten text does not read back as intended") from None
            if value != text:
                quote.add(path)
        requote = set()
        scalars = {node.start_mark.index: node for node in _scalars(doc.node)}
        for node in self.blocks.values():
            if id(node) in self.edited:
                continue
            start = node.start_mark.index
            for first, end, there in self.kept:
                if first <= start < end:
                    found = scalars.get(there + start - first)
                    if found is not None and found.value != node.value:
                        requote.add(start)
                    break
        return quote, requote

    # --- merging the data

    def merge_map(self, node: MappingNode, was: Any, now: Mapping[Any, Any], path: _Path,
                  compact: bool) -> bool:
        """Edit a block mapping's entries to hold *now* (*was* is what they hold; *path* is
        where *now* is in the new record); False when that would leave none of its keys.
        *compact*: a list item's mapping whose first key stands on the item's `-` line."""
        entries = node.value
        wanted = _keyed(now)
        before = _keyed(was) if isinstance(was, Mapping) else {}
        index = {key.value: i for i, (key, _) in enumerate(entries)}
        removed = {i for i, (key, _) in enumerate(entries)
                   if key.value in before and key.value not in wanted}
        if len(removed) == len(entries):
            return False
        column = int(entries[0][0].start_mark.column)
        for n, (key, _) in enumerate(entries):
            if key.start_mark.column != column or (
                    self.lines[key.start_mark.line][:column].strip() and not (compact and n == 0)):
                raise ValueError(f"a key on line {key.start_mark.line + 1} shares its line")
        preceding = -1  # the last (in the file) of the kept keys that precede in *now*
        for name, (key, value) in wanted.items():
            old = before.get(name, (None, _MISSING))[1]
            i = index.get(name)
            if i is not None and old is _MISSING:  # in the file, though not in *was*
                old = _construct(entries[i][1])
            if old is not _MISSING and written_alike(old, value):
                if i is not None:
                    preceding = max(preceding, i)
                continue  # unchanged, or a default the file leaves out
            if i is not None:
                if not self.merge_value(entries[i][1], old, value, column, (*path, key),
                                        item=False):
                    self.replace_entry(node, i, key, value, path)
                preceding = max(preceding, i)
            elif preceding >= 0:
                self.insert(self.after(self.last(entries[preceding][1])), {key: value},
                            functools.partial(_entry_text, column=column), column,
                            (*path, key, *_last_path(value)))
            elif compact:  # the new first key takes the item's `-`
                at = self.starts[entries[0][0].start_mark.line] + column
                self.edit(at, at, _entry_text({key: value}, column)[column:] + " " * column)
            else:
                self.insert(self.before(entries[0][0].start_mark.line), {key: value},
                            functools.partial(_entry_text, column=column), column,
                            (*path, key, *_last_path(value)))
        for i in sorted(removed):
            if compact and i == 0:
                self.remove_first_key(node, removed)
            else:
                key, value_node = entries[i]
                head = int(key.start_mark.line)
                self.delete_lines(self.lead(head, column), self.last(value_node))
        return True

    def remove_first_key(self, node: MappingNode, removed: set[int]) -> None:
        """Remove the key on a list item's `-` line: the next kept key takes the `-`, and the
        comment lines above that key (they belong to it) go above the item."""
        entries = node.value
        column = int(entries[0][0].start_mark.column)
        dash = int(entries[0][0].start_mark.line)
        follower = min(i for i in range(len(entries)) if i not in removed)
        head = int(entries[follower][0].start_mark.line)
        gone: set[int] = set()
        for i in removed - {0}:
            line = int(entries[i][0].start_mark.line)
            gone.update(range(self.lead(line, column), self.last(entries[i][1]) + 1))
        moving = [self.lines[line] for line in range(self.last(entries[0][1]) + 1, head)
                  if self.comment_column(line) >= 0 and line not in gone]
        if moving:
            self.edit(self.starts[dash], self.starts[dash], "".join(moving), rank=1)
        self.edit(self.starts[dash] + column, self.starts[head] + column, "")

    def merge_value(self, node: Node, old: Any, new: Any, owner: int, path: _Path, *,
                    item: bool) -> bool:
        """Edit a value in place (*owner*: the column of its key or `-`; *path*: where it is
        in the new record); False when it has to be written anew as a whole."""
        if isinstance(node, MappingNode) and not node.flow_style and node.value:
            if isinstance(new, Mapping) and new:
                compact = item and _starts_on_its_dash(self.lines, node)
                return self.merge_map(node, old, new, path, compact=compact)
            return False
        if isinstance(node, SequenceNode) and not node.flow_style and node.value:
            if isinstance(new, list) and new and isinstance(old, list) and len(old) == len(
                    node.value):
                self.merge_seq(node, old, new, path)
                return True
            return False
        if isinstance(node, ScalarNode):
            if isinstance(new, (Mapping, list)):
                return False
            edit = _scalar_edit(self.text, self.lines, node, new, False, owner, "\n",
                                quoted=path in self.quote)
            self.edited.add(id(node))
            self.written(path, new)
            if edit is not None:
                self.edit(*edit)
            return True
        if node.start_mark.line == node.end_mark.line and isinstance(new, (Mapping, list)):
            self.edit(node.start_mark.index, node.end_mark.index, _rendered(new, True))
            return True  # a list or mapping written inline stays inline
        return False

    def merge_seq(self, node: SequenceNode, old: list[Any], new: list[Any], path: _Path
                  ) -> None:
        """Edit a block list's items: unchanged items stay, changed ones are edited in place,
        removed ones go, new ones are put after the item that precedes them."""
        import difflib

        items = node.value
        column = self.item_head(items[0])[1]
        was, now = [_item_key(x) for x in old], [_item_key(x) for x in new]
        # items equal at the start and the end stay where they are: among equal items, the
        # one edited is the one at the place of the change, not the first of them
        first = 0
        while first < min(len(was), len(now)) and was[first] == now[first]:
            first += 1
        end = 0
        while end < min(len(was), len(now)) - first and was[-1 - end] == now[-1 - end]:
            end += 1
        matcher = difflib.SequenceMatcher(a=was[first:len(was) - end],
                                          b=now[first:len(now) - end], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            i1, i2, j1, j2 = i1 + first, i2 + first, j1 + first, j2 + first
            common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(common):
                self.merge_item(items[i1 + k], old[i1 + k], new[j1 + k], (*path, j1 + k))
            for k in range(i1 + common, i2):
                head, dash = self.item_head(items[k])
                self.delete_lines(self.lead(head, dash), self.last(items[k]))
            if j1 + common < j2:
                previous = i1 + common - 1
                at = (self.after(self.last(items[previous])) if previous >= 0
                      else self.before(self.item_head(items[0])[0]))
                self.insert(at, new[j1 + common:j2], lambda v: _items_text(v, column), column,
                            (*path, j2 - 1, *_last_path(new[j2 - 1])))

    def merge_item(self, item: Node, old: Any, new: Any, path: _Path) -> None:
        head, column = self.item_head(item)
        if not self.merge_value(item, old, new, column, path, item=True):
            self.replace(head, self.last(item), column, [new],
                         lambda v: _items_text(v, column)[column:], (*path, *_last_path(new)))

    def replace_entry(self, node: MappingNode, index: int, key: Any, value: Any,
                      path: _Path) -> None:
        key_node, value_node = node.value[index]
        column = int(key_node.start_mark.column)
        self.replace(int(key_node.start_mark.line), self.last(value_node), column,
                     {key: value}, lambda v: _entry_text(v, column)[column:],
                     (*path, key, *_last_path(value)))

    def replace(self, head: int, last: int, column: int, value: dict[Any, Any] | list[Any],
                render: Callable[[Any], str], ends: _Path) -> None:
        """Write lines *head* to *last* anew: *value* (a key and its value, or a list item) as
        *render* writes it after the first *column* characters of *head* (*ends*: where what
        it ends with is in the record). Their comments are kept: the one after *head* after
        the first new line, the others on lines of their own above it."""
        if ends in self.quote or _comment_below(self.lines, last,
                                                _last_key_column(value, column) + 2):
            value = _last_quoted(value)
        self.written(ends, _leaf(value))
        text = render(value)
        prefix = self.lines[head][:column]
        indent = " " * (len(prefix) - len(prefix.lstrip(" ")))
        found = self.comments(head, last)
        own = self.comments(head, head)
        above = "".join(f"{indent}{comment.lstrip()}\n" for comment in found[len(own):])
        if own:
            first, rest = text.split("\n", 1)
            text = f"{first}  {own[0]}\n{rest}"
        self.edit(self.starts[head], self.after(last), above + prefix + text)


# --- tidying a file in place (regiotwin fmt) -----------------------------------------------
#
# `fmt` may change the order of keys and how single values are written, nothing else. A round
# trip through ruamel re-emits the whole file (it re-indents lists, joins text written over
# several lines, moves comments to other columns), so tidying edits the text itself: each value
# written differently from how `dump_yaml` writes it gets its new text in its place, then the
# lines of each mapping's entries are put in order, every entry with the comment lines above it.

# line breaks as libyaml counts lines (NEL is refused by the reader)
_LINE = re.compile(r"[^\r\n\u2028\u2029]*(?:\r\n|[\r\n\u2028\u2029]|$)")
# what YAML counts as blank; str.strip() would also take a no-break space, which is text
_BLANKS = " \t\r\n\u2028\u2029"
_NO_WRAP = 1 << 30
_MISSING_KEY = object()


class TidyError(YamlError):
    """A file that cannot be tidied without rewriting more than single values and key order."""


def tidy_yaml(text: str, target: Mapping[str, Any], node: MappingNode | None = None) -> str:
    """*text* with its values written as `dump_yaml` writes those of *target*, and the keys of
    every mapping in *target*'s order; comments and everything else kept.

    *text* must parse (`parse_yaml`); *target* holds its keys (keys only in *target* are not
    added, keys only in *text* keep their values and go last). A key moves with the comment
    lines directly above it and its end-of-line comment; comment lines indented deeper than
    the key above them stay with that key's value. Comments above the first key that end with
    a blank line are the mapping's header and stay on top. Kept as written: nulls, lists and
    mappings written inline (`[a, b]`; an inline mapping is put in order when it stands on one
    line), text written over several lines or as a block (`|`, `>`) unless its value changes,
    indentation, blank lines and line ends; a missing final line break is added. TidyError
    when the shapes differ too much for that. *node* is the text's parsed node tree, when the
    caller has it already.
    """
    if text and not text.endswith(("\n", "\r", "\u2028", "\u2029")):
        text += "\r\n" if "\r\n" in text else "\n"
    root = node if node is not None else parse_yaml(text).node
    edits = _value_edits(text, root, target)
    edited = _apply_edits(text, edits) if edits else text
    reorder = _Reorder(edited, target, None if edits else root)
    tidied = reorder.text() if reorder.plans else edited
    if tidied != text and sorted(yaml_comments(tidied)) != sorted(yaml_comments(text)):
        raise TidyError(1, "tidying would lose a comment")  # pragma: no cover - a safety net
    return tidied


def _lines(text: str) -> list[str]:
    """The lines of *text* with their line breaks, numbered as the parser numbers them."""
    found = _LINE.findall(text)
    if found and found[-1] == "":
        found.pop()
    return found


def _key_text(key: Any) -> str:
    if isinstance(key, dt.date):
        return key.isoformat()
    return str(key)


def _keyed(want: Mapping[Any, Any]) -> dict[str, tuple[Any, Any]]:
    return {_key_text(k): (k, v) for k, v in want.items()}


_RENDERED: dict[tuple[type, str, bool], str] = {}
# text that PyYAML writes plain: a letter first, then letters, digits and a few marks, no space
# last; what a YAML 1.1 reader takes for a boolean or null is quoted (the emitter is slow, and
# a test holds this shortcut to what it writes)
_PLAIN_TEXT = re.compile(r"[^\W\d_](?:[\w .,()/–-]*[\w.,()/–-])?")
_YAML11_WORDS = frozenset({
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"})


def _rendered(value: Any, flow: bool) -> str:
    """How `dump_yaml` writes *value* after `key: ` (or inside `[…]` when *flow*), unwrapped;
    a block (`|`) comes with its lines indented by two spaces."""
    kind = type(value)
    if kind is str:
        if (_PLAIN_TEXT.fullmatch(value) and value not in _YAML11_WORDS
                and not (flow and "," in value)):
            return str(value)
    elif kind is dt.date:
        return str(value.isoformat())
    elif kind is bool:
        return "true" if value else "false"
    elif kind is int:
        return str(value)
    elif kind is Decimal:
        return _decimal_text(value)
    cacheable = isinstance(value, (str, int, Decimal, dt.date))
    key = (type(value), str(value), flow)
    if cacheable and key in _RENDERED:
        return _RENDERED[key]
    out = yaml.dump({"k": value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                    default_flow_style=flow, width=_NO_WRAP, indent=2)
    if out.endswith("\n...\n"):  # the end marker after a block that keeps its final newlines
        out = out[:-4]
    text = out[4:-2] if flow else out[3:-1]
    if cacheable:
        if len(_RENDERED) > 20_000:
            _RENDERED.clear()
        _RENDERED[key] = text
    return text


def _value_text(value: Any, flow: bool, owner_column: int, newline: str) -> str:
    """*value* as it is written in place: a block's lines indented under their key."""
    text = _rendered(value, flow)
    if "\n" not in text:
        return text
    first, *rest = text.split("\n")
    pad = " " * owner_column
    return first + "".join(newline + (pad + line if line else "") for line in rest)


def _value_edits(text: str, root: MappingNode, target: Mapping[str, Any]
                 ) -> list[tuple[int, int, str]]:
    """(start, end, new text) for every key and value written differently from *target*."""
    edits: list[tuple[int, int, str]] = []
    lines = _lines(text)
    newline = "\r\n" if "\r\n" in text else "\n"

    def whole(node: Node, want: Any) -> None:
        """A value whose shape changed: rewritten inline when it stands on one line."""
        if node.start_mark.line != node.end_mark.line:
            raise TidyError(_line(node.start_mark),
                            "the value here would have to be rewritten as a whole")
        edits.append((node.start_mark.index, node.end_mark.index, _rendered(want, True)))

    def scalar(node: ScalarNode, want: Any, flow: bool, owner: int) -> None:
        if node.tag == NULL:
            return  # `~`, `null` and an empty value all read as nothing: kept as written
        if isinstance(want, (Mapping, list)):
            whole(node, want)
            return
        edit = _scalar_edit(text, lines, node, want, flow, owner, newline)
        if edit is not None:
            edits.append(edit)

    def walk(node: Node, want: Any, flow: bool, owner: int) -> None:
        if want is None:
            return
        if isinstance(node, ScalarNode):
            scalar(node, want, flow, owner)
        elif isinstance(node, MappingNode):
            mapping(node, want, flow)
        elif isinstance(node, SequenceNode):
            if not isinstance(want, list) or len(want) != len(node.value):
                whole(node, want)
                return
            inner = flow or bool(node.flow_style)
            for item, value in zip(node.value, want):
                walk(item, value, inner, _dash_column(text, item))

    def mapping(node: MappingNode, want: Any, flow: bool) -> None:
        if not isinstance(want, Mapping):
            whole(node, want)
            return
        keyed = _keyed(want)
        present = [key_node.value for key_node, _ in node.value]
        if (node.flow_style and node.start_mark.line == node.end_mark.line
                and all(k in keyed for k in present)):
            ordered = [k for k in keyed if k in present]
            if ordered != present:  # an inline mapping is written anew in order
                wanted = {keyed[k][0]: keyed[k][1] for k in ordered}
                edits.append((node.start_mark.index, node.end_mark.index,
                              _rendered(wanted, True)))
                return
        inner = flow or bool(node.flow_style)
        for key_node, value_node in node.value:
            found = keyed.get(key_node.value)
            if found is None:
                continue
            key, value = found
            if key_node.style in ("'", '"'):  # a quoted key: every key of a record is a word
                new = _rendered(key, inner)
                if new == key_node.value:
                    edits.append((key_node.start_mark.index, key_node.end_mark.index, new))
            walk(value_node, value, inner, key_node.start_mark.column)

    mapping(root, target, False)
    return edits


def _scalar_edit(text: str, lines: list[str], node: ScalarNode, want: Any, flow: bool,
                 owner: int, newline: str, *, quoted: bool = False
                 ) -> tuple[int, int, str] | None:
    """(start, end, new text) that writes *want* in place of the scalar *node* as `dump_yaml`
    writes it (inside `[…]` when *flow*; a block's lines under the column *owner*), or in
    quotes if *quoted*; None when it is written so already. A comment after the value stays
    on its line."""
    start, end = node.start_mark.index, node.end_mark.index
    block = node.style in ("|", ">")
    if (block or node.start_mark.line != node.end_mark.line) and written_alike(
            _construct(node), want) and not quoted:
        return None  # text over several lines keeps its lines unless its value changes
    new = _value_text(want, flow, owner, newline)
    kept = _BLOCK_HEADER.match(new)
    if kept is not None and (quoted or
            (not block and "+" in kept.group())  # it would swallow the blank lines after it
            or _comment_below(lines, _last_line(node, lines), owner + 2)):  # or comments
        new = _rendered(want, True)
    after = ""  # what follows the value's first line (a comment), kept there
    if block:
        header = _line_at(text, start)
        after = header[len(_BLOCK_HEADER.match(header).group()):]  # type: ignore[union-attr]
        last = _last_line(node, lines)
        end = sum(len(line) for line in lines[:last]) + len(_line_at(lines[last], 0))
    elif "\n" in new:  # a block now: the rest of the value's line goes to its header
        after = _line_at(text, end)
        end += len(after)
    if after:
        first, separator, rest = new.partition(newline)
        new = first + after + separator + rest
    if start == end and not block:  # an empty value (`key:`): a space after the colon
        new = " " + new
    return None if text[start:end] == new else (start, end, new)


_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")


def _line_at(text: str, index: int) -> str:
    """The rest of the line from *index*, without its line break."""
    found = _LINE.match(text, index)
    return found.group().rstrip("\r\n\u2028\u2029") if found else ""


def _dash_column(text: str, item: Node) -> int:
    """The column of the `-` before a list item on its line (the item's own column if none)."""
    index = item.start_mark.index - 1
    while index >= 0 and text[index] == " ":
        index -= 1
    if index >= 0 and text[index] == "-":
        return int(item.start_mark.column) - (item.start_mark.index - index)
    return int(item.start_mark.column)


def _apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _last_line(node: Node, lines: list[str]) -> int:
    """The last line (0-based) that holds part of *node*; a block's trailing blank lines count
    only when they are part of its text (`|+`)."""
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        end = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
        end = min(end, len(lines) - 1)
        if _keeps_breaks(node, lines):
            return int(end)
        while end > node.start_mark.line and not lines[end].strip(_BLANKS):
            end -= 1
        return int(end)
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        return _last_line(node.value[-1][1], lines)
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return _last_line(node.value[-1], lines)
    return int(node.end_mark.line)


def _keeps_breaks(node: ScalarNode, lines: list[str]) -> bool:
    """A block that keeps its final line breaks (`|+`): its blank lines at the end are text."""
    if node.style not in ("|", ">"):
        return False
    header = _BLOCK_HEADER.match(lines[node.start_mark.line], node.start_mark.column)
    return header is not None and "+" in header.group()


@dataclass
class _Plan:
    """The entries of one mapping to be put in order: entry i runs from line starts[i] (its
    comments) over its key's line keys[i] to starts[i + 1]."""

    starts: list[int]
    keys: list[int]
    order: list[int]
    column: int
    dash: str | None  # the `- ` before the first key of a list item mapping


class _Reorder:
    """The lines of a text with the entries of its mappings put in the wanted order."""

    def __init__(self, text: str, target: Mapping[str, Any], root: MappingNode | None = None
                 ) -> None:
        self.lines = _lines(text)
        self.root = root if root is not None else parse_yaml(text).node
        self._inside: list[bool] = []  # lines inside text over several lines
        self._keep_ends: set[int] = set()  # last lines of blocks that keep their line breaks
        self._scanned = False
        self.plans: dict[int, _Plan] = {}
        self._after_keep = False
        self._plan(self.root, target, 0, compact=False)

    def text(self) -> str:
        out: list[str] = []
        self._emit(0, len(self.lines), out)
        return "".join(out)

    @property
    def inside(self) -> list[bool]:
        """Which lines belong to text over several lines (worked out when first needed)."""
        self._scan()
        return self._inside

    @property
    def keep_ends(self) -> set[int]:
        """The last lines of blocks that keep their final line breaks (`|+`)."""
        self._scan()
        return self._keep_ends

    def _scan(self) -> None:
        if not self._scanned:
            self._inside, self._keep_ends, _ = _text_lines(self.root, self.lines)
            self._scanned = True

    def _free(self, line: int) -> bool:
        """A blank or comment line, not part of a value."""
        if self.inside[line]:
            return False
        content = self.lines[line].strip()
        return not content or content.startswith("#")

    def _comment_deeper(self, line: int, column: int) -> bool:
        text = self.lines[line]
        stripped = text.lstrip(" \t")
        return stripped.startswith("#") and len(text) - len(stripped) > column

    def _tail_end(self, start: int, stop: int, column: int) -> int:
        """Where an entry ends: after its value, and after the comment lines below it that are
        indented deeper than its key (they speak of that value)."""
        end = line = start
        while line < stop and self._free(line):
            if self._comment_deeper(line, column):
                end = line + 1
            elif self.lines[line].strip():
                break
            line += 1
        return end

    def _plan(self, node: Node, want: Any, region: int, compact: bool) -> None:
        if isinstance(node, SequenceNode) and not node.flow_style:
            if isinstance(want, list) and len(want) == len(node.value):
                for item, value in zip(node.value, want):
                    self._plan(item, value, item.start_mark.line,
                               compact=_starts_on_its_dash(self.lines, item))
            return
        if not isinstance(node, MappingNode) or node.flow_style or not node.value:
            return
        keyed = _keyed(want) if isinstance(want, Mapping) else {}
        for key_node, value_node in node.value:
            found = keyed.get(key_node.value, (None, _MISSING_KEY))[1]
            if found is not _MISSING_KEY:
                self._plan(value_node, found, key_node.start_mark.line + 1, compact=False)
        position = {name: n for n, name in enumerate(keyed)}
        count = len(node.value)
        order = sorted(range(count),
                       key=lambda i: (position.get(node.value[i][0].value, len(position)), i))
        if order == list(range(count)):
            return
        keys = [int(key_node.start_mark.line) for key_node, _ in node.value]
        column = int(node.value[0][0].start_mark.column)
        first = keys[0]
        while first - 1 >= region and self._free(first - 1) and self.lines[first - 1].strip():
            first -= 1
        starts = [first]
        for i in range(1, count + 1):
            last = _last_line(node.value[i - 1][1], self.lines) + 1
            starts.append(self._tail_end(last, keys[i] if i < count else len(self.lines),
                                         column))
        dash = self.lines[keys[0]][:column] if compact else None
        if dash is not None and dash.strip(" -"):  # pragma: no cover - not a list item after all
            dash = None
        self.plans[first] = _Plan(starts, keys, order, column, dash)

    def _emit(self, start: int, stop: int, out: list[str]) -> None:
        line = start
        while line < stop:
            plan = self.plans.get(line)
            if plan is not None and plan.starts[-1] <= stop:
                self._emit_plan(plan, out)
                line = plan.starts[-1]
            else:
                self._put(line, self.lines[line], out)
                line += 1

    def _put(self, line: int, text: str, out: list[str]) -> None:
        """Emit a line; a blank line that a moved key brought right after a block which keeps
        its final line breaks is left out, or that block would take it in."""
        if self._after_keep and self._free(line) and not text.strip():
            return
        out.append(text)
        self._after_keep = line in self.keep_ends

    def _emit_plan(self, plan: _Plan, out: list[str]) -> None:
        for rank, i in enumerate(plan.order):
            start, key, end = plan.starts[i], plan.keys[i], plan.starts[i + 1]
            lead = self.lines[start:key]
            key_line = self.lines[key]
            if plan.dash is not None and rank != i:
                if i == 0:  # the first key gives up the list item's `-`
                    key_line = " " * plan.column + key_line[plan.column:]
                elif rank == 0:  # and the new first key takes it; its comments go above it
                    key_line = plan.dash + key_line[plan.column:]
                    pad = " " * (len(plan.dash) - len(plan.dash.lstrip()))
                    lead = [pad + line.lstrip(" \t") if line.strip() else line for line in lead]
            for offset, text in enumerate(lead):
                self._put(start + offset, text, out)
            self._put(key, key_line, out)
            self._emit(key + 1, end, out)


def _starts_on_its_dash(lines: list[str], item: Node) -> bool:
    """Whether a list item starts on its `-` line (`- key: value`)."""
    before = lines[item.start_mark.line][: item.start_mark.column]
    return bool(before.strip()) and not before.strip(" -")


def yaml_comments(text: str) -> list[str]:
    """Every comment of a YAML text (what follows `#` outside values), in order of lines."""
    comments = []
    for line in _lines(_blank_values(text, parse_yaml(text).node)):
        at = line.find("#")
        if at >= 0:
            comments.append(line[at:].rstrip())
    return comments


def _blank_values(text: str, root: Node) -> str:
    """*text* with every key and value blanked out (line breaks kept): what is left of a line
    from a `#` on is a comment."""
    body = list(text)

    def blank(node: Node) -> None:
        if isinstance(node, ScalarNode):
            start = int(node.start_mark.index)
            if node.style in ("|", ">"):  # a comment may follow the block's header
                start += len(_line_at(text, start))
            for index in range(start, node.end_mark.index):
                if body[index] not in "\r\n\u2028\u2029":
                    body[index] = " "
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                blank(key)
                blank(value)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                blank(item)

    blank(root)
    return "".join(body)
