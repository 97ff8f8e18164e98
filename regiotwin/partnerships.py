"""Creating and summarising twinning pairs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from regiotwin.errors import DataError, RefusedError
from regiotwin.models import Partnership, default_end
from regiotwin.slugs import SlugError, check_id, checked_slug, slugify
from regiotwin.store import build, create_partnership
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
        if advisor not in (*ids, *partners):
            raise RefusedError(
                f"--advisor {advisor!r} is not one of the partners: {', '.join(ids)}"
            )
        index = 0 if advisor in (ids[0], partners[0]) else 1
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
