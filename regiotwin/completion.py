"""What shell completion offers: the pairs, records, partners and contacts that exist.

It runs on every TAB, so it stays cheap: ids come from file names (a record's file stem is its
id), partners and contacts from the record cache, which is plain JSON, by the cache's own rules
of trust. Nothing here imports pydantic or PyYAML; only when the cache holds no current entry
for a pair's partnership.yaml is that file read and validated once (which fills the cache for
the next TAB).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from regiotwin.layout import EVENTS_DIR, PAIR_FILE, PAIRS_DIR, find_root

if TYPE_CHECKING:
    from regiotwin.models import Partnership

RECORD_FOLDERS = ("meetings", "measures", "decisions", "expenses")


def find_repository(directory: str | None, cwd: Path) -> Path | None:
    """The root as the commands find it (`-C DIR`, `$REGIOTWIN_DIR`, the working folder)."""
    explicit = directory or os.environ.get("REGIOTWIN_DIR") or None
    try:
        return find_root(Path(explicit) if explicit else cwd)
    except OSError:
        return None


def pair_ids(root: Path) -> list[str]:
    try:
        with os.scandir(root / PAIRS_DIR) as entries:
            return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except OSError:
        return []


def pairs_meant(root: Path, requested: str | None, cwd: Path) -> list[str]:
    """The pairs whose records to offer: the one `--pair` names, else the one around the
    working folder, else all of them."""
    ids = pair_ids(root)
    if requested:
        from regiotwin.errors import RegiotwinError
        from regiotwin.lookup import resolve_pair

        try:
            return [resolve_pair(requested, ids)]
        except RegiotwinError:
            return []
    try:
        here = cwd.resolve().relative_to((root / PAIRS_DIR).resolve()).parts
    except (ValueError, OSError):
        here = ()
    return [here[0]] if here and here[0] in ids else ids


def record_ids(root: Path, pairs: list[str], folder: str) -> list[str]:
    """The ids of one kind of record (`meetings`, …, or `events`), from their file names."""
    places = [root / EVENTS_DIR] if folder == EVENTS_DIR else [
        root / PAIRS_DIR / pair / folder for pair in pairs]
    found: set[str] = set()
    for place in places:
        try:
            with os.scandir(place) as entries:
                found.update(e.name[:-5] for e in entries
                             if e.name.endswith(".yaml") and not e.name.startswith("."))
        except OSError:
            continue
    return sorted(found)


def partners_and_contacts(root: Path, pairs: list[str]) -> tuple[list[str], list[str]]:
    """The partners' ids and the contacts' names of *pairs*."""
    partners: list[str] = []
    contacts: list[str] = []
    for pair in pairs:
        ship = _cached_partnership(root, pair) or _read_partnership(root, pair)
        for partner in ship.partners if ship is not None else []:
            partners.append(partner.id)
            contacts += [contact.name for contact in partner.contacts]
    return sorted(set(partners)), sorted(set(contacts))


def _cached_partnership(root: Path, pair: str) -> Partnership | None:
    """A pair's partnership.yaml from the record cache, when its entry can be trusted (the
    cache's own rules: the file's full stat, or its bytes)."""
    from regiotwin.cache import RecordCache
    from regiotwin.models import Partnership

    rel = f"{PAIRS_DIR}/{pair}/{PAIR_FILE}"
    try:
        ship, _ = RecordCache(root).lookup(os.fspath(root / rel), rel, Partnership)
    except OSError:
        return None
    return ship


def _read_partnership(root: Path, pair: str) -> Partnership | None:
    """A cold cache: read and validate the file once (this fills the cache)."""
    try:
        from regiotwin.workspace import Workspace

        _, ship = Workspace(root, root).load_pair(pair, kinds=())
    except Exception:  # completion offers what it can; `check` says what is wrong
        return None
    return ship
