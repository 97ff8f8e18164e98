"""Where things live in a data repository (SPEC §2), and how its root is found.

Only the standard library: the shell completion finds the root and the record files without
loading the models.
"""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "regiotwin.yaml"
PAIRS_DIR = "partnerships"
EVENTS_DIR = "events"
PAIR_FILE = "partnership.yaml"
RECORD_KINDS = ("measures", "meetings", "decisions", "expenses")


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above *start* that holds `regiotwin.yaml` (like git's `.git`)."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None
