"""What a record file may be: the limits the reader enforces, in one place.

The reader refuses files over 1 MiB, values nested deeper than a record ever needs, and
characters that no editor shows (control characters, lone surrogates). The models and the
command line check text against the same rules before anything is written, so the tool never
writes a file that it would then refuse to read. Nothing here imports PyYAML or pydantic: the
record cache reads raw bytes through `read_capped` on its fast path.
"""

from __future__ import annotations

import os
import re
import stat as stat_module
import unicodedata

MAX_BYTES = 1024 * 1024
# a partnership is the deepest record (partners → contacts → fields: 4 levels); anything far
# deeper is a mistake or an attack on the reader's recursion
MAX_DEPTH = 32

# C0 and C1 controls except tab and newline, the Unicode line and paragraph separators, and a
# BOM inside the text (a character class body, also for the JSON Schemas); and lone surrogates
# (what Python makes of bytes that are not UTF-8)
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff"
_BAD_CHARACTER = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff]")


class LimitError(Exception):
    """A file or a value outside the reader's limits; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def text_problem(text: str) -> str | None:
    """Why *text* cannot be stored in a record, or None when it can."""
    match = _BAD_CHARACTER.search(text)
    if match is None:
        return None
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:
        return (
            f"contains bytes that are not UTF-8 (shown as U+{code:04X}); "
            "convert the text to UTF-8 first"
        )
    return f"control character U+{code:04X} is not allowed"


def nfc(text: str) -> str:
    """Names typed on macOS arrive decomposed (NFD); store and compare them composed."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def read_capped(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; anything else is a LimitError.

    Reads at most MAX_BYTES + 1 bytes, so a device, a pipe or a file growing under us can never
    make the reader run without end; a pipe is opened without waiting for a writer. Plain
    descriptor calls: a first run reads 100,000 files, and a Python file object costs as much
    again as the reading itself.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
        try:
            info = os.fstat(fd)
            if not stat_module.S_ISREG(info.st_mode):
                raise LimitError(1, "not a regular file; a record must be a plain file")
            if info.st_size > MAX_BYTES:
                raise LimitError(
                    1, f"the file is {info.st_size} bytes; records larger than 1 MiB are refused"
                )
            # as much as the file holds, and one byte more to see it grew meanwhile; a file
            # that did, or a short read, is read on up to the limit
            raw = os.read(fd, info.st_size + 1)
            while len(raw) != info.st_size and len(raw) <= MAX_BYTES:
                more = os.read(fd, MAX_BYTES + 1 - len(raw))
                if not more:
                    break
                raw += more
        finally:
            os.close(fd)
    except OSError as exc:
        raise LimitError(1, f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise LimitError(1, "the file is larger than 1 MiB; records that large are refused")
    return raw


# binary on Windows; a FIFO opens at once instead of waiting for a writer (it is refused)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
