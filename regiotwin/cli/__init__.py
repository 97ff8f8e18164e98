"""The command line: each command parses its options, calls one core function, prints.

The commands live in modules named for what they cover; importing them registers them on the
root group.
"""

import sys

from regiotwin.cli import (  # noqa: F401  (registers commands)
    documents,
    editors,
    money,
    setup,
    travel,
    twinning,
)
from regiotwin.cli.base import cli


def main() -> None:
    _utf8_streams()
    cli(prog_name="regiotwin")


def _utf8_streams() -> None:
    """Redirected output on Windows defaults to the ANSI code page, which has no `≥` and no
    Polish or Turkish letters; write UTF-8 instead of failing on them."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


__all__ = ["cli", "main"]
