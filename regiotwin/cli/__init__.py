"""The command line: each command parses its options, calls one core function, prints.

The commands live in modules named for what they cover; importing them registers them on the
root group. This package itself imports nothing (not even `typing`, which alone takes
milliseconds): `main` first installs the signal handlers, then loads click and the commands,
so Ctrl-C at any moment ends in one line. `from regiotwin.cli import cli` still gives the
root group (loaded on first use).
"""

import sys


def main() -> None:
    try:
        from regiotwin.cli import signals

        signals.install()
        root = _load()
        _utf8_streams()
    except KeyboardInterrupt as exc:  # nothing has run yet, so nothing was written
        _stop(exc)
    try:
        getattr(root, "main")(prog_name="regiotwin")  # noqa: B009 - click's entry point
    except KeyboardInterrupt as exc:  # between click's parsing and our commands
        _stop(exc)


def _stop(exc: KeyboardInterrupt) -> None:
    terminated = type(exc).__name__ == "Terminated"
    sys.stderr.write(f"{'terminated' if terminated else 'interrupted'}; nothing was written\n")
    sys.stderr.flush()
    raise SystemExit(143 if terminated else 130)


def _load() -> object:
    from regiotwin.cli import (  # noqa: F401  (registers the commands)
        documents,
        editors,
        money,
        setup,
        shells,
        travel,
        twinning,
    )
    from regiotwin.cli.base import cli

    return cli


def __getattr__(name: str) -> object:
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
