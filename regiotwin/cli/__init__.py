"""The command line: each command parses its options, calls one core function, prints.

The commands live in modules named for what they cover; importing them registers them on the
root group. This package itself imports nothing heavy: `main` first installs the signal
handlers, then loads click and the commands, so Ctrl-C at any moment ends in one line.
`from regiotwin.cli import cli` still gives the root group (loaded on first use).
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    from regiotwin.cli import signals

    signals.install()
    try:
        root = _load()
        _utf8_streams()
    except KeyboardInterrupt as exc:
        signals.stop_quietly(exc)
    try:
        root(prog_name="regiotwin")
    except KeyboardInterrupt as exc:  # between click's parsing and our commands
        signals.stop_quietly(exc)


def _load() -> Any:
    from regiotwin.cli import documents, money, setup, twinning  # noqa: F401  (registers)
    from regiotwin.cli.base import cli

    return cli


def __getattr__(name: str) -> Any:
    if name == "cli":
        return _load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _utf8_streams() -> None:
    """Redirected output on Windows defaults to the ANSI code page, which has no `≥` and no
    Polish or Turkish letters; write UTF-8 instead of failing on them."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


__all__ = ["cli", "main"]
