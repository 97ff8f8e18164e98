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
RATES_DIR = "travel-rates"  # a repository's own travel-cost laws, one file each (travel.py)
# The folders of a pair that hold files but no records: scanned receipts, and the free texts
# of the final report (Markdown, read by regiotwin.texts). Nothing here is loaded or rewritten
# as a record.
RECEIPTS_DIR = "receipts"
TEXTS_DIR = "texts"
PLAIN_DIRS = (RECEIPTS_DIR, TEXTS_DIR)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above *start* that holds `regiotwin.yaml` (like git's `.git`)."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None
