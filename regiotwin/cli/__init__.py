"""The command line: each command parses its options, calls one core function, prints.

The commands live in modules named for what they cover; the root group (`base.cli`) knows them
from a table and imports a command's module only when it runs (click's LazyGroup pattern), so
`regiotwin --help` loads none of them. This package itself imports nothing (not even `typing`,
which alone takes milliseconds): `main` first installs the signal handlers, then loads click,
so Ctrl-C at any moment ends in one line. `from regiotwin.cli import cli` still gives the
root group (loaded on first use).
"""

import sys


def main() -> None:
    _collect_rarely()
    try:
        from regiotwin.cli import signals

        signals.install()
        root = _load()
        _utf8_streams()
    except KeyboardInterrupt as exc:  # nothing has run yet, so nothing was written
        _stop(exc)
    try:
        try:
            # not standalone: click would answer Ctrl-C in its own code with "Aborted!", exit 1
            code = getattr(root, "main")(prog_name="regiotwin", standalone_mode=False)  # noqa: B009
        except KeyboardInterrupt:
            raise
        except SystemExit:  # a command's own exit code
            _finished()
            raise
        except Exception as exc:  # click's own exceptions, which standalone mode would print
            code = _click_exit(exc)
        _finished()
    except KeyboardInterrupt as exc:  # between click's parsing and our commands
        _stop(exc)
    raise SystemExit(code if isinstance(code, int) else 0)


GC_EVERY = 100_000  # new objects between two passes of the cycle collector


def _collect_rarely() -> None:
    """Importing what a command needs makes a few hundred thousand objects and no garbage;
    with Python's default (a pass every 700 new objects) the collector walks them again and
    again, 8-11 ms of `expense add` on the example. A pass every GC_EVERY objects still bounds
    the garbage of a long run (the loader pauses the collector while it builds records)."""
    import gc

    gc.set_threshold(GC_EVERY, *gc.get_threshold()[1:])


def _finished() -> None:
    """The command is over: a late Ctrl-C must not meet Python's own clean-up at exit, and
    that clean-up need not collect every object the command made, modules and all, only to
    free what the end of the process frees anyway (on the example a tenth of the time of
    `expense add`): frozen objects are left out of every later collection."""
    import gc
    import signal

    gc.freeze()
    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def _click_exit(exc: Exception) -> int:
    """What click's standalone mode does with its exceptions; Ctrl-C as every interrupt."""
    import click

    if isinstance(exc, click.exceptions.Abort):
        if isinstance(exc.__cause__, KeyboardInterrupt):
            raise exc.__cause__
        sys.stderr.write("aborted\n")
        return 1
    if isinstance(exc, click.ClickException):
        exc.show()
        return exc.exit_code
    raise exc


def _stop(exc: KeyboardInterrupt) -> None:
    """One true line after Ctrl-C or SIGTERM: what was written before it, or nothing."""
    _finished()
    base = sys.modules.get("regiotwin.cli.base")
    if base is not None:
        message, code = base._interrupted(exc)
    else:  # nothing has run yet, so nothing was written
        terminated = type(exc).__name__ == "Terminated"
        message = f"{'terminated' if terminated else 'interrupted'}; nothing was written"
        code = 143 if terminated else 130
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _load() -> object:
    import os

    from regiotwin.cli.base import cli

    if os.environ.get("_REGIOTWIN_COMPLETE"):  # a TAB: the shells' completion classes
        from regiotwin.cli import shells  # noqa: F401

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
