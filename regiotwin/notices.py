"""Messages the core has for the person while it works (a lock it is waiting for).

The core never prints; the CLI says where these go (stderr). Without a receiver they are
dropped, as a library should.
"""

from __future__ import annotations

from collections.abc import Callable

_receiver: Callable[[str], None] | None = None


def set_receiver(receiver: Callable[[str], None] | None) -> None:
    global _receiver
    _receiver = receiver


def notice(message: str) -> None:
    if _receiver is not None:
        _receiver(message)
