"""A cache of validated records, so commands on an unchanged repository skip YAML and pydantic.

Keyed by each file's path, size, inode and modification time in nanoseconds; a file whose
stat differs is read again. Only files that validated cleanly are cached, so every finding
still comes from a fresh read. The cache lives in `.regiotwin-cache/` (git-ignored) and is
only ever an optimisation: an unreadable or stale cache is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from typing import Any

from regiotwin import __version__

CACHE_DIR = ".regiotwin-cache"
CACHE_FILE = "records.pickle"
# 2: receipt numbers, cancellations, caps >= 0; 3: an expense's travel computation
_FORMAT = ("regiotwin-records", __version__, 3)

Stamp = tuple[int, int, int]


def cache_dir(root: Path) -> Path:
    """The repository's local folder for the record cache and the locks.

    Like pytest's cache it ignores itself, whatever the repository's own .gitignore says.
    """
    folder = root / CACHE_DIR
    if not folder.is_dir():
        folder.mkdir(exist_ok=True)
        with contextlib.suppress(OSError):
            (folder / ".gitignore").write_text("# created by regiotwin\n*\n")
    return folder


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class RecordCache:
    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / CACHE_FILE
        self.entries: dict[str, tuple[Stamp, Any]] = {}
        self.seen: set[str] = set()
        self.dirty = False
        with contextlib.suppress(Exception):  # a broken cache is no error, only slower
            with open(self.path, "rb") as handle:
                data = pickle.load(handle)
            if isinstance(data, dict) and data.get("format") == _FORMAT:
                self.entries = data["entries"]

    def get(self, rel: str, stamp: Stamp) -> Any:
        self.seen.add(rel)
        entry = self.entries.get(rel)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        return None

    def put(self, rel: str, stamp: Stamp, model: Any) -> None:
        self.seen.add(rel)
        self.entries[rel] = (stamp, model)
        self.dirty = True

    def save(self, complete: bool = False) -> None:
        """Write the cache if it changed. After reading the *complete* repository, entries of
        files not seen are dropped; a command that read only a part keeps the rest."""
        if complete:
            for rel in [rel for rel in self.entries if rel not in self.seen]:
                del self.entries[rel]
                self.dirty = True
        if not self.dirty:
            return
        with contextlib.suppress(OSError):
            cache_dir(self.path.parent.parent)
            tmp = self.path.with_name(f".{CACHE_FILE}.{os.getpid()}.tmp")
            with open(tmp, "wb") as handle:
                pickle.dump({"format": _FORMAT, "entries": self.entries}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
