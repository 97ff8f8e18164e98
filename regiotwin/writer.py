"""Every file the tool writes goes through here: records, reports, exports, receipts, the cache.

A file is written under a temporary name in its own folder, flushed to disk, then published in
one step: `os.replace` over an existing file, or a hard link for a new record, which fails when
the name is taken, so a record is never overwritten. A crash or an interrupt leaves the old
content or the new one, never a mix, and never a temporary file: the temporary file is removed
on every way out that Python sees (SIGKILL and power loss excepted; the loader skips hidden
`.*.tmp` files such an end leaves).

New files get the mode the umask gives (0644 under 022), as `open()` would, so colleagues on a
shared drive can read them; a replaced file keeps its mode. Only regular files are ever
replaced: a folder, a device or a pipe given as `-o` is refused, not turned into a file.

The paths published during a command are remembered, so the message after an interrupt can say
truthfully what was written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from regiotwin.errors import RefusedError

_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_NOFOLLOW
_BLOCK = 1 << 20


class RecordExistsError(FileExistsError):
    """A new record (or its receipt) would overwrite an existing file."""


class NotAFileError(RefusedError):
    """The target exists and is not a regular file; it is never replaced."""


# --- what was written -------------------------------------------------------------------------

_written: list[Path] = []


def written() -> list[Path]:
    """Paths published since the last `forget_written()`, in order (the cache is not counted)."""
    return list(_written)


def forget_written() -> None:
    _written.clear()


# --- interrupts -------------------------------------------------------------------------------

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name)
)
_held = 0
_pending: list[int] = []


def _hold(signum: int, frame: object) -> None:
    _pending.append(signum)


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then deliver them.

    Publishing a file and noting it as written (or a receipt together with its record) is one
    step that an interrupt must not split.
    """
    global _held
    if _held or threading.current_thread() is not threading.main_thread():
        _held += 1
        try:
            yield
        finally:
            _held -= 1
        return
    previous = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    for sig, handler in previous.items():
        if handler is not None:
            signal.signal(sig, _hold)
    _held = 1
    try:
        yield
    finally:
        _held = 0
        for sig, handler in previous.items():
            if handler is not None:
                signal.signal(sig, handler)
        if _pending:
            signum = _pending[0]
            _pending.clear()
            signal.raise_signal(signum)


# --- targets ----------------------------------------------------------------------------------


def output_problem(path: Path) -> str | None:
    """Why *path* cannot take a report or an export, or None when it can."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        parent = Path(os.path.abspath(path)).parent
        if parent.is_dir():
            return None
        if parent.exists():
            return f"{parent} is not a folder"
        return f"the folder {parent} does not exist; create it first"
    except OSError as exc:
        return f"{exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder; give a file name"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device or a pipe); give a file name, or - for stdout"
    return None


def _existing_mode(path: Path) -> int | None:
    """The mode of the file about to be replaced; refuses anything but a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else (
            "a link" if stat.S_ISLNK(info.st_mode) else "not a regular file")
        raise NotAFileError(f"{path} is {kind}; it is never replaced, nothing was written")
    return stat.S_IMODE(info.st_mode)


def _temp_name(folder: Path, name: str) -> Path:
    return folder / f".{name}.{os.getpid()}-{os.urandom(4).hex()}.tmp"


def _create(path: Path) -> int:
    """A new file with the mode the umask gives (what `open()` would make)."""
    return os.open(path, _NEW_FILE, 0o666)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


# --- writing ----------------------------------------------------------------------------------


def write_atomic(
    path: Path,
    data: str | bytes,
    *,
    new: bool,
    newline: str = "\n",
    make_folder: bool = False,
    durable: bool = True,
    note: bool = True,
) -> None:
    """Write *data* to *path* through a temporary file in the same folder.

    With ``new`` the file is created exclusively (RecordExistsError when the name is taken);
    otherwise it replaces a regular file in one step and keeps that file's mode. Text is written
    as UTF-8 with *newline* line ends. ``make_folder`` creates missing folders (record folders);
    without it a missing folder is an error. ``durable=False`` skips the fsyncs (the cache, which
    may be lost). ``note=False`` keeps the path out of `written()`.
    """
    if isinstance(data, str):
        payload = (data if newline == "\n" else data.replace("\n", newline)).encode("utf-8")
    else:
        payload = data
    folder = path.parent
    if make_folder:
        folder.mkdir(parents=True, exist_ok=True)
    mode = None if new else _existing_mode(path)
    tmp = _temp_name(folder, path.name)
    fd = _create(tmp)
    try:
        try:
            if mode is not None:
                _chmod(fd, tmp, mode)
            _write_all(fd, payload)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        with uninterrupted():
            if new:
                _publish_exclusive(tmp, path, payload, durable)
            else:
                os.replace(tmp, path)
            if note:
                _written.append(path)
        if durable:
            _fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _chmod(fd: int, path: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # pragma: no cover - Windows
        os.chmod(path, mode)


def _publish_exclusive(tmp: Path, path: Path, payload: bytes, durable: bool) -> None:
    try:
        os.link(tmp, path)  # atomic, and fails when the name is taken
        return
    except FileExistsError:
        raise RecordExistsError(str(path)) from None
    except OSError:  # pragma: no cover - file systems without hard links (FAT, some shares)
        pass
    try:  # pragma: no cover - as above
        fd = _create(path)
    except FileExistsError:  # pragma: no cover
        raise RecordExistsError(str(path)) from None
    try:  # pragma: no cover
        try:
            _write_all(fd, payload)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:  # pragma: no cover - never leave half a record behind
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _fsync_folder(folder: Path) -> None:
    """Make the new name itself durable (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- a file published together with its record (receipts) -------------------------------------


@dataclass
class StagedCopy:
    """A copy under a temporary name, with its SHA-256; published only with its record."""

    tmp: Path
    sha256: str

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


def stage_copy(source: Path, folder: Path) -> StagedCopy:
    """Copy *source* into *folder* under a hidden temporary name, hashing it on the way."""
    import hashlib

    folder.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(folder, "receipt")
    digest = hashlib.sha256()
    fd = _create(tmp)
    try:
        try:
            with open(source, "rb") as handle:
                for block in iter(lambda: handle.read(_BLOCK), b""):
                    digest.update(block)
                    _write_all(fd, block)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return StagedCopy(tmp, digest.hexdigest())


def _link_or_copy(tmp: Path, target: Path) -> None:
    """Give the staged file its name, exclusively."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise RecordExistsError(str(target)) from None
    except OSError:  # pragma: no cover - file systems without hard links (FAT, some shares)
        pass
    try:  # pragma: no cover - as above
        fd = _create(target)
    except FileExistsError:  # pragma: no cover
        raise RecordExistsError(str(target)) from None
    try:  # pragma: no cover
        try:
            with open(tmp, "rb") as handle:
                for block in iter(lambda: handle.read(_BLOCK), b""):
                    _write_all(fd, block)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:  # pragma: no cover
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def publish_record_with_copy(
    path: Path, text: str, staged: StagedCopy | None, target: Path | None, *, new: bool = True
) -> None:
    """Publish a record (a new one, or with ``new=False`` a changed one) and the staged file it
    names together: both, or neither.

    RecordExistsError when either new name is taken; nothing is left published then.
    """
    with uninterrupted():
        if staged is not None and target is not None:
            _link_or_copy(staged.tmp, target)
        try:
            write_atomic(path, text, new=new, make_folder=new)
        except BaseException:
            if staged is not None and target is not None:
                with contextlib.suppress(OSError):
                    os.unlink(target)
            raise
        if target is not None:
            _written.append(target)
        _fsync_folder(target.parent if target is not None else path.parent)


def remove_file(path: Path) -> None:
    """Delete a record's file (never a folder, a link's target or a device), durably."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotAFileError(f"{path} is not a regular file; it is not removed")
    with uninterrupted():
        os.unlink(path)
    _fsync_folder(path.parent)
