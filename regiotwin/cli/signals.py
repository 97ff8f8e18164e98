"""Ctrl-C and SIGTERM end a command the same way: clean-up runs, one true line, no traceback.

Installed by `regiotwin.cli.main` before click or any command module is imported, so even an
interrupt in the first milliseconds (while the imports run) ends in one line.
"""

from __future__ import annotations

import signal


class Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP), raised where the program is, like Ctrl-C's KeyboardInterrupt."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def install() -> None:
    """SIGINT raises KeyboardInterrupt (Python's default); SIGTERM and SIGHUP raise Terminated,
    unless the caller chose to ignore them (`nohup`)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _terminate)


def exit_code(exc: KeyboardInterrupt) -> int:
    return 143 if isinstance(exc, Terminated) else 130
