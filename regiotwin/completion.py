"""What shell completion offers: the pairs, records, partners and contacts that exist.

It runs on every TAB, so it stays cheap: ids come from file names (a record's file stem is its
id), partners and contacts from the record cache, which is plain JSON. Nothing here imports
pydantic or PyYAML; only when the cache holds no current entry for a pair's partnership.yaml is
that file read through the models once (which fills the cache for the next TAB).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from regiotwin.cachedir import records_folder, scope_name
from regiotwin.layout import EVENTS_DIR, PAIR_FILE, PAIRS_DIR, find_root

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
        data = _cached_partnership(root, pair) or _read_partnership(root, pair)
        for partner in data.get("partners") or []:
            if isinstance(partner, dict) and isinstance(partner.get("id"), str):
                partners.append(partner["id"])
                contacts += [c["name"] for c in partner.get("contacts") or []
                             if isinstance(c, dict) and isinstance(c.get("name"), str)]
    return sorted(set(partners)), sorted(set(contacts))


def _cached_partnership(root: Path, pair: str) -> dict[str, Any] | None:
    """The cached data of a pair's partnership.yaml, when the file is unchanged since."""
    return _fresh(root, _pair_entries(root, pair), f"{PAIRS_DIR}/{pair}/{PAIR_FILE}",
                  "Partnership")


def _pair_entries(root: Path, pair: str) -> dict[str, Any]:
    """The record cache's entries of a pair's files (its JSON file), {} when it has none."""
    real = os.path.realpath(root)
    try:
        with open(records_folder(real) / f"{scope_name(f'{PAIRS_DIR}/{pair}/')}.json",
                  "rb") as handle:
            cached = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return {}
    if (not isinstance(cached, dict) or cached.get("root") != real
            or not isinstance(cached.get("entries"), dict)):
        return {}
    entries: dict[str, Any] = cached["entries"]
    return entries


def _fresh(root: Path, entries: dict[str, Any], rel: str, model: str) -> dict[str, Any] | None:
    """An entry's data when its file is unchanged since it was cached."""
    entry = entries.get(rel)
    if (not isinstance(entry, list) or len(entry) != 5 or entry[0] != model
            or not isinstance(entry[4], dict)):
        return None
    try:
        info = os.stat(root / rel)
    except OSError:
        return None
    stamp = [info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev]
    return entry[4] if entry[1] == stamp else None


def _records(root: Path, pair: str, folder: str, model: str) -> dict[str, dict[str, Any]]:
    """The data of a pair's records of one kind, by id: from the cache, and for the files it
    holds no current entry of, read through the models once (which fills the cache); a file
    that does not load is left out (`check` says why)."""
    entries = _pair_entries(root, pair)
    found: dict[str, dict[str, Any]] = {}
    missing = False
    for record_id in record_ids(root, [pair], folder):
        data = _fresh(root, entries, f"{PAIRS_DIR}/{pair}/{folder}/{record_id}.yaml", model)
        if data is None:
            missing = True
        else:
            found[record_id] = data
    if missing:
        try:
            from regiotwin.cache import RecordCache
            from regiotwin.loader import load_pair

            cache = RecordCache(root)
            loaded = load_pair(root, root / PAIRS_DIR / pair, [], (folder,), cache)
            cache.save()
            found = {r.stem: r.model.model_dump(mode="json") for r in loaded.records(folder)}
        except Exception:  # completion offers what it can
            pass
    return found


def action_items(root: Path, pairs: list[str], meeting: str | None) -> list[tuple[str, str]]:
    """The action items of the meeting *meeting* names as `meeting done` finds it (id, file
    name, unique prefix or date), as (number, `[x] what`); none unless it names one meeting
    of one pair (with several pairs, the command needs --pair)."""
    if not meeting or len(pairs) != 1:
        return []
    from regiotwin.dates import DateError, parse_date
    from regiotwin.lookup import Choices, matches

    meetings = _records(root, pairs[0], "meetings", "Meeting")
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
        prefixes = {p["id"]: p.get("receipt_prefix") for p in ship.get("partners") or []
                    if isinstance(p, dict) and isinstance(p.get("id"), str)}
        for record_id, expense in _records(root, pair, "expenses", "Expense").items():
            partner, number = expense.get("partner"), expense.get("receipt_no")
            if isinstance(partner, str) and isinstance(number, int):
                prefix = receipt_prefix(prefixes.get(partner), partner)
                numbers.append((receipt_number(prefix, number), record_id))
    return sorted(numbers)


def _read_partnership(root: Path, pair: str) -> dict[str, Any]:
    """A cold cache: read the file through the models once (this fills the cache)."""
    try:
        from regiotwin.workspace import Workspace

        _, ship = Workspace(root, root).load_pair(pair, kinds=())
    except Exception:  # completion offers what it can; `check` says what is wrong
        return {}
    data: dict[str, Any] = ship.model_dump(mode="json")
    return data
