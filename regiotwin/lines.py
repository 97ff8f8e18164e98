"""Lines of a record's keys without a parser: what a warning about an unchanged file needs.

A line tree (made by `yamlio.line_tree` when a file is read, kept by the record cache) is
[line, children]: the children a mapping from key to such a pair, a list of them for the
items of a sequence, or None. Only the standard library: a run served from the cache never
imports PyYAML.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def line_in(tree: Any, loc: Iterable[int | str]) -> int:
    """The line of the value at *loc* in a `line_tree`: the nearest known parent's when the
    document has no such key or item."""
    line, children = tree
    for part in loc:
        if isinstance(children, dict) and isinstance(part, str):
            found = children.get(part)
            if found is None:
                return int(line)
            line, children = found
        elif isinstance(children, list) and isinstance(part, int):
            if not -len(children) <= part < len(children):
                return int(line)
            line, children = children[part]
        else:
            break
    return int(line)
