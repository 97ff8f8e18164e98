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
from typing import TYPE_CHECKING, Any

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
    except Exception:  # completion offers what it can; `check` says what is wrong
        return None
    return ship


def _records(root: Path, pair: str, folder: str) -> dict[str, dict[str, Any]]:
    """The data of a pair's records of one kind, by id: from the record cache, by its own
    rules of trust, and the files it holds no current entry of read once (which fills the
    cache); a file that does not load is left out (`check` says why)."""
    try:
        from regiotwin.cache import RecordCache
        from regiotwin.loader import load_pair
        from regiotwin.models import dump

        cache = RecordCache(root)
        loaded = load_pair(root, root / PAIRS_DIR / pair, [], (folder,), cache)
        cache.save()
        return {r.stem: dump(r.model, mode="json") for r in loaded.records(folder)}
    except Exception:  # completion offers what it can
        return {}


def action_items(root: Path, pairs: list[str], meeting: str | None) -> list[tuple[str, str]]:
    """The action items of the meeting *meeting* names as `meeting done` finds it (id, file
    name, unique prefix or date), as (number, `[x] what`); none unless it names one meeting
    of one pair (with several pairs, the command needs --pair)."""
    if not meeting or len(pairs) != 1:
        return []
    from regiotwin.dates import DateError, parse_date
    from regiotwin.lookup import Choices, matches

    meetings = _records(root, pairs[0], "meetings")
    choices: Choices[dict[str, Any]] = Choices("meeting")
    for record_id, data in meetings.items():
        try:
            day = parse_date(str(data.get("date")))
        except DateError:
            day = None
        choices.add(record_id, data, date=day)
    named = matches(choices, meeting)
    if len(named) != 1:
        return []
    items = []
    for number, action in enumerate(meetings[named[0]].get("actions") or [], 1):
        if isinstance(action, dict):
            mark = "x" if action.get("done") else " "
            items.append((str(number), f"[{mark}] {action.get('what', '')}"))
    return items


def receipt_numbers(root: Path, pairs: list[str]) -> list[tuple[str, str]]:
    """The Belegnummern of the pairs' expenses, as (`GI-003`, the expense's id)."""
    from regiotwin.belegnummer import receipt_number, receipt_prefix

    numbers = []
    for pair in pairs:
        ship = _cached_partnership(root, pair) or _read_partnership(root, pair)
        prefixes = {p.id: p.receipt_prefix for p in (ship.partners if ship else [])}
        for record_id, expense in _records(root, pair, "expenses").items():
            partner, number = expense.get("partner"), expense.get("receipt_no")
            if isinstance(partner, str) and isinstance(number, int):
                prefix = receipt_prefix(prefixes.get(partner), partner)
                numbers.append((receipt_number(prefix, number), record_id))
    return sorted(numbers)


def _read_partnership(root: Path, pair: str) -> Partnership | None:
    """A cold cache: read and validate the file once (this fills the cache)."""
    try:
        from regiotwin.workspace import Workspace

        _, ship = Workspace(root, root).load_pair(pair, kinds=())
    except Exception:  # completion offers what it can; `check` says what is wrong
        return None
    return ship
