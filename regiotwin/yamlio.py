"""YAML reading restricted to what a person means, with positions; atomic, stable writing.

Reading composes the node tree with PyYAML's C parser (when present) and a resolver of our own,
so `NO` stays a string, `14:30` stays a string, floats become `Decimal` and every value keeps
the line it came from. Writing is the only way records reach the disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

MAX_BYTES = 1024 * 1024

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
DATE = "tag:yaml.org,2002:timestamp"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


class YamlError(Exception):
    """A file that is not acceptable YAML; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


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


def _construct(node: Node) -> Any:
    if isinstance(node, ScalarNode):
        tag, value = node.tag, node.value
        if tag == STR:
            return value
        if tag == NULL:
            return None
        if tag == BOOL:
            return value.lower() == "true"
        if tag == INT:
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
            result[key] = _construct(value_node)
        return result
    if isinstance(node, SequenceNode):
        return [_construct(item) for item in node.value]
    raise YamlError(_line(node.start_mark), "unsupported YAML node")  # pragma: no cover


def parse_yaml(text: str) -> Document:
    """Parse one YAML document that must be a mapping; raise YamlError with a line."""
    match = _CONTROL.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise YamlError(line, f"control character U+{ord(match.group()):04X} is not allowed")
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
    if "expected a single document" in str(exc) or "but found another document" in str(exc):
        return YamlError(line, "the file holds several YAML documents (---); keep one")
    lines = text.splitlines()
    if "\t" in problem or (0 < line <= len(lines) and lines[line - 1][:1] == "\t"):
        return YamlError(line, "tab characters cannot indent YAML; indent with spaces")
    context = f" {exc.context}" if exc.context else ""
    return YamlError(line, f"YAML syntax error: {problem}{context}")


def read_yaml(path: Path | str, size: int | None = None) -> Document:
    """Read a file from disk with the size and encoding rules of SPEC §7.

    *size* is the file's size when the caller has just stat-ed it (saves a system call).
    """
    try:
        if size is None:
            size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise YamlError(1, f"the file is {size} bytes; records larger than 1 MiB are refused")
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise YamlError(1, f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise YamlError(1, "the file is larger than 1 MiB; records that large are refused")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            line, "the file is not UTF-8 (saved as Windows-1252?); save it as UTF-8"
        ) from None
    return parse_yaml(text)


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


class RecordExistsError(FileExistsError):
    """A new record would overwrite an existing file."""


def write_atomic(path: Path, text: str, *, new: bool, newline: str = "\n") -> None:
    """Write through a temp file in the same folder, fsync, then publish.

    With ``new`` the file is created exclusively (never overwrites); otherwise it replaces the
    old one in one step, so a crash leaves either the old or the new content, never a mix.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if new:
            _publish_exclusive(tmp, path, text, newline)
        else:
            os.replace(tmp, path)
        _fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _publish_exclusive(tmp: Path, path: Path, text: str, newline: str) -> None:
    try:
        os.link(tmp, path)  # atomic and fails if the target exists
    except FileExistsError:
        raise RecordExistsError(str(path)) from None
    except OSError:  # pragma: no cover - file systems without hard links (FAT, some shares)
        try:
            with open(path, "x", encoding="utf-8", newline=newline) as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except FileExistsError:
            raise RecordExistsError(str(path)) from None


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
