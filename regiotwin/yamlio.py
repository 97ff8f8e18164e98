"""YAML reading restricted to what a person means, with positions; atomic, stable writing.

Reading composes the node tree with PyYAML's C parser (when present) and a resolver of our own,
so `NO` stays a string, `14:30` stays a string, floats become `Decimal` and every value keeps
the line it came from. Writing is the only way records reach the disk.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from regiotwin.limits import MAX_BYTES as MAX_BYTES
from regiotwin.limits import MAX_DEPTH, LimitError, read_capped

# the atomic writer lives in regiotwin.writer; importable from here for callers written earlier
from regiotwin.writer import RecordExistsError as RecordExistsError
from regiotwin.writer import write_atomic as write_atomic

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
DATE = "tag:yaml.org,2002:timestamp"

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
        node: Node = self.node
        line = _line(node.start_mark)
        for part in loc:
            if isinstance(node, MappingNode) and isinstance(part, str):
                for key, value in node.value:
                    if key.value == part:
                        line = _line(key.start_mark)
                        node = value
                        break
                else:
                    return line
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
                line = _line(node.start_mark)
            else:
                break
        return line


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
        raise YamlError(
            _line(node.start_mark),
            f"values are nested more than {MAX_DEPTH} levels deep here; a record needs a few",
        )
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
        return YamlError(line, f"values are nested more than {MAX_DEPTH} levels deep here; "
                               "a record needs a few")
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


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(STR, value, style=style)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    # money is already two-place (models quantize it); `f` keeps 1E+3 out of the file
    text = format(value, "f")
    return dumper.represent_scalar(FLOAT, text if "." in text else text + ".0")


def _represent_date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_scalar(DATE, value.isoformat())


_Dumper.add_representer(str, _represent_str)
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
# ruamel.yaml (round trip) is used for this alone: it keeps comments, quoting and order, but
# its reader is not ours (YAML 1.2 resolution, tags, aliases), so a file is always read and
# validated by parse_yaml first, and what a rewrite produces is read back by it afterwards.


def rewrite_yaml(text: str, was: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """*text*, which holds *was*, changed to hold *now*, keeping everything else.

    Keys, values and list items that did not change keep their text, quoting and comments;
    changed values are written as `dump_yaml` would; new keys go after the key that precedes
    them in *now*; comments on removed keys or items move to what precedes them. Keys that
    are in neither *was* nor *now* (a default written out) stay. Line ends (CRLF) are kept;
    a byte-order mark is dropped.
    """
    from ruamel.yaml.comments import CommentedMap

    crlf = "\r\n" in text
    body = text.removeprefix("\ufeff").replace("\r\n", "\n")
    round_trip = _round_trip(body)
    doc = round_trip.load(body)
    if not isinstance(doc, CommentedMap):
        raise ValueError("the text does not hold a mapping")
    _merge_map(doc, dict(was), dict(now))
    out = io.StringIO()
    round_trip.dump(doc, out)
    result = out.getvalue()
    return result.replace("\n", "\r\n") if crlf else result


def _round_trip(body: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml_rt = YAML(typ="rt")
    yaml_rt.preserve_quotes = True
    yaml_rt.width = 4096
    try:
        _, indent, offset = load_yaml_guess_indent(body)
    except Exception:  # the guess is a nicety; our own style otherwise
        indent, offset = 2, 0
    indent = indent if isinstance(indent, int) and 1 < indent < 10 else 2
    offset = offset if isinstance(offset, int) and 0 <= offset < indent else 0
    yaml_rt.indent(mapping=indent, sequence=indent + offset, offset=offset)
    yaml_rt.representer.add_representer(
        Decimal, lambda rep, value: rep.represent_scalar(FLOAT, _decimal_text(value))
    )
    return yaml_rt


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


def _merge_map(node: Any, was: dict[str, Any], now: dict[str, Any]) -> None:
    for key in [k for k in node if k in was and k not in now]:
        _drop(node, key)
    keys = list(now)
    for index, key in enumerate(keys):
        value = now[key]
        old = was.get(key, _MISSING)
        if key in node:
            if old is not _MISSING and written_alike(old, value):
                continue
            node[key] = _merge_value(node[key], old, value)
        else:
            if old is not _MISSING and written_alike(old, value):
                continue  # a default the file leaves out
            present = list(node)
            before = [k for k in keys[:index] if k in node]
            position = present.index(before[-1]) + 1 if before else 0
            node.insert(position, key, _new_node(value))


def _merge_value(node: Any, old: Any, new: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(new, dict) and isinstance(old, dict) and isinstance(node, CommentedMap):
        _merge_map(node, old, new)
        return node
    if (isinstance(new, list) and isinstance(old, list) and isinstance(node, CommentedSeq)
            and len(node) == len(old)):
        _merge_seq(node, old, new)
        return node
    return _new_node(new, node)


def _merge_seq(node: Any, old: list[Any], new: list[Any]) -> None:
    import difflib
    import json

    def key(item: Any) -> str:
        return json.dumps(item, sort_keys=True, default=str)

    matcher = difflib.SequenceMatcher(a=[key(x) for x in old], b=[key(x) for x in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(common):
            node[i1 + k] = _merge_value(node[i1 + k], old[i1 + k], new[j1 + k])
        for k in reversed(range(i1 + common, i2)):
            _drop(node, k)
        for k in range(j1 + common, j2):
            node.insert(i1 + (k - j1), _new_node(new[k]))


def _drop(node: Any, key: Any) -> None:
    """Remove a key or an item; its comments move to what precedes it, so none is lost."""
    comments = _comments_in(node, key)
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    position = keys.index(key)
    del node[key]
    if comments and position > 0:
        _append_comment(node, keys[position - 1], comments)


def _comments_in(parent: Any, key: Any) -> str:
    """The full comment lines attached to a value and everything inside it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    values: list[str] = []

    def tokens(slot: Any) -> None:
        if slot is None:
            return
        if isinstance(slot, list):
            for item in slot:
                tokens(item)
        elif hasattr(slot, "value"):
            values.append(str(slot.value))

    def walk(holder: Any, inner_key: Any) -> None:
        tokens(holder.ca.items.get(inner_key))
        child: Any = holder[inner_key]
        if isinstance(child, (CommentedMap, CommentedSeq)):
            tokens(child.ca.comment)
            for k in (list(child) if isinstance(child, dict) else range(len(child))):
                walk(child, k)

    walk(parent, key)
    lines = [line.strip() for value in values for line in value.splitlines()]
    return "".join(f"{line}\n" for line in lines if line.startswith("#"))


def _append_comment(parent: Any, key: Any, text: str) -> None:
    """Put full comment lines after the value at *key* (after its deepest last part)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    holder, inner = parent, key
    child: Any = holder[inner]
    while isinstance(child, (CommentedMap, CommentedSeq)) and len(child):
        holder, inner = child, (list(child)[-1] if isinstance(child, dict) else len(child) - 1)
        child = holder[inner]
    slot_index = 2 if isinstance(holder, dict) else 0
    slots = holder.ca.items.setdefault(inner, [None, None, None, None])
    existing = slots[slot_index]
    if existing is not None and hasattr(existing, "value"):
        value = str(existing.value)
        existing.value = (value if value.endswith("\n") else value + "\n") + text
    else:
        slots[slot_index] = CommentToken("\n" + text, CommentMark(0), None)


def _new_node(value: Any, like: Any = None) -> Any:
    """A value for ruamel to write, quoted exactly where `dump_yaml` would quote it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _new_node(item)
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_new_node(item) for item in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style() and all(
            not isinstance(item, (dict, list)) for item in value
        ):
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str):
        style = _string_style(value)
        if style == "'":
            return SingleQuotedScalarString(value)
        if style == '"':
            return DoubleQuotedScalarString(value)
        if style == "|":
            return LiteralScalarString(value)
    return value


def _string_style(value: str) -> str:
    """How `dump_yaml` writes this string: '' (plain), "'", '"' or '|'."""
    text = dump_yaml({"k": value})
    first = text[3:4]
    return first if first in ("'", '"', "|") else ""
