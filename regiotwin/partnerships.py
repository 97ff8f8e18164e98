"""Creating, summarising and changing twinning pairs and their contact people."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from regiotwin.english import plural
from regiotwin.errors import DataError, RefusedError, UsageError
from regiotwin.loader import PAIR_FILE, PAIRS_DIR, Pair
from regiotwin.lookup import closest, find_named, same_name
from regiotwin.models import (
    Contact,
    Meeting,
    Partner,
    Partnership,
    Programme,
    default_end,
    dump,
)
from regiotwin.records import Changes, Outcome, refuse_referred, resolve_partner
from regiotwin.slugs import SlugError, check_id, checked_slug, slugify
from regiotwin.store import Edit, build, create_partnership
from regiotwin.vocabulary import PARTNER_KIND
from regiotwin.workspace import Workspace


def guess_kind(name: str) -> str | None:
    """`Landkreis Gießen` → `Landkreis`, `Kreis Höxter` → `Landkreis`; the council paper names
    communes this way. `Sonstige` is never guessed: it says nothing."""
    first = name.split()[0] if name.split() else ""
    kind = PARTNER_KIND.lookup(first)
    return kind if kind != "Sonstige" else None


def receipt_prefixes(names: list[str]) -> list[str]:
    """A Belegnummer prefix per partner from its name: the initials of the name without its
    kind (`Landkreis Teltow-Fläming` → `TF`), or the first two letters of a one-word name
    (`Landkreis Gießen` → `GI`). Two equal prefixes get the partner's position appended."""
    prefixes = []
    for name in names:
        words = name.split()
        if len(words) > 1 and guess_kind(words[0]):
            words = words[1:]
        parts = slugify(" ".join(words)).split("-")
        prefix = parts[0][:2] if len(parts) == 1 else "".join(part[0] for part in parts)[:4]
        prefixes.append(prefix.upper() or "X")
    if len(set(prefixes)) < len(prefixes):
        prefixes = [f"{prefix}{index}" for index, prefix in enumerate(prefixes, 1)]
    return prefixes


def new_partnership(
    root: Path,
    *,
    partners: list[str],
    topic: str,
    start: dt.date,
    end: dt.date | None = None,
    title: str | None = None,
    pair_id: str | None = None,
    advisor: str | None = None,
    consultant: str | None = None,
) -> Path:
    """Write a new pair folder with its partnership.yaml; returns the file written."""
    if len(partners) != 2:
        raise RefusedError(
            f"a partnership has exactly two partners; give --partner twice (got {len(partners)})"
        )
    try:
        ids = [checked_slug(name, "partner name") for name in partners]
        pair = check_id(pair_id, "--id") if pair_id else f"{ids[0]}--{ids[1]}"
    except SlugError as exc:
        raise RefusedError(str(exc)) from None
    if ids[0] == ids[1]:
        raise RefusedError(f"both partners would get the id {ids[0]!r}; give two different names")
    roles: list[str | None] = [None, None]
    if advisor is not None:
        named = [i for i, (pid, name) in enumerate(zip(ids, partners))
                 if advisor == pid or same_name(advisor, name)]
        if len(named) != 1:
            raise RefusedError(
                f"--advisor {advisor!r} is not one of the partners: {', '.join(ids)}"
            )
        index = named[0]
        roles[index], roles[1 - index] = "advisor", "implementer"
    data: dict[str, Any] = {
        "id": pair,
        "title": title or f"{partners[0]} – {partners[1]}",
        "topic": topic,
        "start": start,
        "end": end or default_end(start),
        "consultant": {"name": consultant} if consultant else None,
        "partners": [
            {"id": pid, "name": name, "kind": guess_kind(name), "role": role,
             "receipt_prefix": prefix}
            for pid, name, role, prefix in zip(ids, partners, roles, receipt_prefixes(partners))
        ],
    }
    ship = build(Partnership, data, "partnership")
    return create_partnership(root, ship)


def pair_summaries(workspace: Workspace) -> list[dict[str, Any]]:
    """One plain row per pair, for `partnership list` (pairs with invalid files are named)."""
    rows: list[dict[str, Any]] = []
    for pair_id in workspace.pair_ids():
        try:
            _, ship = workspace.load_pair(pair_id, kinds=())  # partnership.yaml is enough
        except DataError:
            rows.append({"id": pair_id, "title": None, "topic": None, "start": None,
                         "end": None, "partners": [], "valid": False})
            continue
        rows.append(
            {
                "id": ship.id,
                "title": ship.title,
                "topic": ship.topic,
                "start": ship.start,
                "end": ship.end,
                "partners": [{"id": p.id, "name": p.name, "role": p.role} for p in ship.partners],
                "valid": True,
            }
        )
    return rows


# --- changing a pair ---------------------------------------------------------------------------

# the fields `partnership set` changes; dotted names are inside `consultant` and `agreement`
PAIR_FIELDS = ("title", "topic", "start", "end", "notes", "agreement.signed",
               "agreement.reference", "consultant.name", "consultant.organisation",
               "consultant.email")
PARTNER_FIELDS = ("name", "kind", "role", "grant_cap", "receipt_prefix", "travel_law")
OTHER_ROLE = {"advisor": "implementer", "implementer": "advisor"}


def _put(data: dict[str, Any], name: str, value: Any) -> None:
    """Set `consultant.email` and the like in a model's data (None removes the value)."""
    head, _, rest = name.partition(".")
    if not rest:
        data[head] = value
        return
    inner = data.get(head)
    if inner is None:
        if value is None:
            return
        inner = data[head] = {}
    inner[rest] = value
    if all(v in (None, False) for k, v in inner.items() if k != "example"):
        data[head] = None  # nothing left of the consultant or agreement


def set_partnership(
    root: Path,
    programme: Programme,
    pair_id: str,
    changes: Changes,
    *,
    partner: str | None = None,
    partner_changes: Changes | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Change a pair's settings and (with *partner*) one partner's; refuses what would make
    the data invalid: expenses outside a new period, a cap the booked expenses pass, a new
    receipt prefix for a partner whose Belegnummern are on paper already."""
    from regiotwin.budget import refuse_past_limit
    from regiotwin.store import edit_record, pair_lock, reload_pair

    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        assert pair.partnership is not None
        expenses = [e.model for e in pair.expenses]
        warnings: list[str] = []

        def change(fresh: Partnership) -> Partnership:
            data = dump(fresh)
            for name in changes.unset:
                _put(data, name, None)
            for name, value in changes.values.items():
                _put(data, name, value)
            consultant = data.get("consultant")
            if consultant is not None and not consultant.get("name"):
                raise RefusedError("a consultant needs a name: give --consultant NAME")
            if consultant is not None and any(n.startswith("consultant.") for n in changes.values):
                consultant["example"] = False  # what the user sets is no invented example
            if "start" in changes.values and "end" not in changes.values \
                    and fresh.end == default_end(fresh.start):
                data["end"] = default_end(changes.values["start"])
                warnings.append(f"note: the end follows the start: {data['end']} (one year; "
                                "--end sets another)")
            chosen = None
            if partner is not None:
                chosen = resolve_partner(fresh, partner, "--partner")
                _change_partner(root, fresh, data, chosen, partner_changes or Changes(),
                                expenses, warnings)
            ship = build(Partnership, data, "partnership")
            _refuse_outside(ship, pair, warnings)
            cap = partner_changes or Changes()
            if chosen is not None and ("grant_cap" in cap.values or "grant_cap" in cap.unset):
                refuse_past_limit(programme, ship, expenses, chosen)
            return ship

        path = root / PAIRS_DIR / pair_id / PAIR_FILE
        edit = edit_record(root, path, Partnership, change, dry_run=dry_run)
    return Outcome([edit], warnings)


def _change_partner(root: Path, fresh: Partnership, data: dict[str, Any], partner_id: str,
                    changes: Changes, expenses: list[Any], warnings: list[str]) -> None:
    index = [p.id for p in fresh.partners].index(partner_id)
    entry = data["partners"][index]
    for name in changes.unset:
        entry[name] = None
    entry.update(changes.values)
    old = fresh.partners[index]
    if entry.get("receipt_prefix") != old.receipt_prefix and any(
            e.partner == partner_id for e in expenses):
        raise RefusedError(
            f"refused: {partner_id} has booked expenses, and their Belegnummern "
            f"({old.receipt_prefix or partner_id}-…) are written on the paper receipts; the "
            "receipt prefix stays"
        )
    role = changes.values.get("role")
    if role is not None:
        other = data["partners"][1 - index]
        if other.get("role") != OTHER_ROLE[role]:
            other["role"] = OTHER_ROLE[role]
            warnings.append(f"note: {other['id']} is the {OTHER_ROLE[role]} now")
    law = changes.values.get("travel_law")
    if law is not None:
        from regiotwin.travel import load_rate_book

        load_rate_book(root).law(law)  # an unknown law is refused, naming the known ones


def _refuse_outside(ship: Partnership, pair: Pair, warnings: list[str]) -> None:
    """Expenses must lie inside the period (`check` errors); meetings outside it are noted."""
    outside = [e.path for e in pair.expenses
               if e.model.counts and not ship.start <= e.model.date <= ship.end]
    if outside:
        raise RefusedError(
            f"refused: {plural(len(outside), 'expense')} would lie outside "
            f"the period {ship.start} to {ship.end}: {'; '.join(outside)}"
        )
    for m in pair.meetings:
        if not ship.start <= m.model.date <= ship.end:
            warnings.append(f"note: {m.path} ({m.model.date}) lies outside the period "
                            f"{ship.start} to {ship.end}")


# --- contact people ----------------------------------------------------------------------------


def contact_rows(ship: Partnership, partner: str | None = None) -> list[dict[str, Any]]:
    """One row per contact person, partner by partner (`contact list`)."""
    wanted = resolve_partner(ship, partner, "--partner") if partner else None
    return [
        {"partner": p.id, "name": c.name, "function": c.function, "email": c.email,
         "phone": c.phone}
        for p in ship.partners if wanted in (None, p.id)
        for c in p.contacts
    ]


def find_contact(ship: Partnership, ref: str, partner: str | None = None) -> tuple[str, str]:
    """(partner id, name) of the contact *ref* names: exactly, or but for case and
    transliteration; *partner* narrows the search."""
    wanted = resolve_partner(ship, partner, "--partner") if partner else None
    people = [(p.id, c.name) for p in ship.partners if wanted in (None, p.id)
              for c in p.contacts]
    names = find_named([name for _, name in people], ref)
    found = [(pid, name) for pid, name in people if name in names]
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"{ref!r} names contacts of both partners; choose one with --partner")
    known = [name for _, name in people]
    if not known:
        raise RefusedError(f"no contact {ref!r}; there is no contact yet")
    raise RefusedError(f"no contact {ref!r}; the closest: {', '.join(closest(ref, known))}")


def _owned_actions(pair: Pair, name: str) -> list[str]:
    return [f"{m.path} (action item {i})" for m in pair.meetings
            for i, action in enumerate(m.model.actions, 1) if action.owner == name]


def set_contact(
    root: Path, pair_id: str, ref: str, changes: Changes, *, partner: str | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Change a contact person; a new name is carried into the meetings that name them (as a
    participant or an action's owner), so nothing is left pointing at the old name."""
    from regiotwin.store import edit_record, pair_lock, reload_pair

    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        assert pair.partnership is not None
        ship = pair.partnership.model
        partner_id, name = find_contact(ship, ref, partner)
        new_name = changes.values.get("name", name)
        if new_name != name and new_name in [c.name for c in _partner(ship, partner_id).contacts]:
            raise RefusedError(f"{partner_id} already has a contact named {new_name!r}")
        edits: list[Edit[Any]] = []
        if new_name != name:
            for record in pair.meetings:
                m = record.model
                if name in m.participants or any(a.owner == name for a in m.actions):
                    edits.append(edit_record(root, root / record.path, Meeting,
                                             _renamer(name, new_name), dry_run=dry_run))

        def change(fresh: Partnership) -> None:
            contacts = _partner(fresh, partner_id).contacts
            index = [c.name for c in contacts].index(name)
            values = {**changes.values, "example": False}  # set by the user: no example
            contacts[index] = Changes(values, changes.unset).applied(
                Contact, contacts[index], "contact")

        path = root / PAIRS_DIR / pair_id / PAIR_FILE
        edits.append(edit_record(root, path, Partnership, change, dry_run=dry_run))
    return Outcome(edits)


def _partner(ship: Partnership, partner_id: str) -> Partner:
    found = ship.partner(partner_id)
    assert found is not None
    return found


def _renamer(old: str, new: str) -> Any:
    def change(meeting: Meeting) -> None:
        meeting.participants = [new if p == old else p for p in meeting.participants]
        for action in meeting.actions:
            if action.owner == old:
                action.owner = new

    return change


def remove_contact(
    root: Path, pair_id: str, ref: str, *, partner: str | None = None, dry_run: bool = False
) -> Outcome:
    """Remove a contact person, refused while action items name them as owner (meetings that
    list them as a participant keep the name: they took part)."""
    from regiotwin.store import edit_record, pair_lock, reload_pair

    with pair_lock(root / PAIRS_DIR / pair_id):
        pair = reload_pair(root, pair_id)
        assert pair.partnership is not None
        partner_id, name = find_contact(pair.partnership.model, ref, partner)
        refuse_referred("contact", repr(name), _owned_actions(pair, name))

        def change(fresh: Partnership) -> None:
            contacts = _partner(fresh, partner_id).contacts
            contacts[:] = [c for c in contacts if c.name != name]

        path = root / PAIRS_DIR / pair_id / PAIR_FILE
        edit = edit_record(root, path, Partnership, change, dry_run=dry_run)
    return Outcome([edit])
