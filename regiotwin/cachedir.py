"""Where the record cache lives: a folder of the user's, never the repository's.

Only the standard library (platformdirs is imported when needed), so that the shell completion
can read the partners and contacts the cache holds without loading the models.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CACHE_ENV = "REGIOTWIN_CACHE_DIR"


def user_cache_root() -> Path:
    """`$REGIOTWIN_CACHE_DIR`, else the platform's user cache folder for regiotwin."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("regiotwin", appauthor=False))


def records_folder(real_root: str) -> Path:
    """The cache folder of the repository whose real path is *real_root*."""
    key = hashlib.sha256(real_root.encode("utf-8", "surrogatepass")).hexdigest()
    return user_cache_root() / "records" / key[:32]


def scope_name(rel: str) -> str:
    """The cache file a record belongs to: its pair's (`pair-<hash>`), or the repository's
    (`regiotwin.yaml` and `events/`)."""
    parts = rel.split("/", 2)
    if len(parts) >= 2 and parts[0] == "partnerships":
        return "pair-" + hashlib.sha256(parts[1].encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return "repository"
