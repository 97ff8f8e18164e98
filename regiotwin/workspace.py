"""A data repository on disk: finding its root, choosing a pair, loading what a command needs."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from regiotwin.cache import RecordCache
from regiotwin.errors import DataError, Finding, OptionValueError, RefusedError, UsageError
from regiotwin.loader import (
    CONFIG_NAME,
    PAIRS_DIR,
    RECORD_DIRS,
    Pair,
    Repository,
    find_root,
    load_pair,
    load_programme,
    load_repository,
    pair_folders,
    paused_gc,
)
from regiotwin.lookup import resolve_pair
from regiotwin.models import Partnership, Programme

if TYPE_CHECKING:
    from regiotwin.checks import Screening


def locate_root(directory: str | None, cwd: Path) -> Path:
    """Root from `-C DIR`, else `$REGIOTWIN_DIR`, else the working directory, searched upward."""
    explicit = directory or os.environ.get("REGIOTWIN_DIR") or None
    start = Path(explicit) if explicit else cwd
    if explicit and not start.is_dir():
        if directory:
            raise OptionValueError("-C", f"{explicit} is not a folder")
        raise RefusedError(f"$REGIOTWIN_DIR {explicit} is not a folder")
    root = find_root(start)
    if root is None:
        where = str(start) if explicit else "the current folder"
        raise UsageError(
            f"no {CONFIG_NAME} found in {where} or any folder above it; "
            "run `regiotwin init` to create a data repository there"
        )
    return root


@dataclass
class Workspace:
    root: Path
    cwd: Path
    _cache: RecordCache | None = field(default=None, repr=False)
    _pair_ids: list[str] | None = field(default=None, repr=False)

    @property
    def cache(self) -> RecordCache:
        """One record cache per command, read once."""
        if self._cache is None:
            self._cache = RecordCache(self.root)
        return self._cache

    def pair_ids(self) -> list[str]:
        """The pairs' ids, listed once per command."""
        if self._pair_ids is None:
            self._pair_ids = [folder.name for folder in pair_folders(self.root)]
        return list(self._pair_ids)

    def pair_from_cwd(self) -> str | None:
        """The pair whose folder holds the working directory, if any."""
        base = (self.root / PAIRS_DIR).resolve()
        try:
            rel = self.cwd.resolve().relative_to(base)
        except ValueError:
            return None
        return rel.parts[0] if rel.parts else None

    def select_pairs(self, requested: str | None) -> list[str]:
        """SPEC §4: `--pair` (an id, a unique prefix, or a partner of one pair only), else the
        pair around the working directory, else every pair."""
        ids = self.pair_ids()
        if requested is not None:
            return [resolve_pair(requested, ids, partners=_PartnerNames(self), selecting=True)]
        here = self.pair_from_cwd()
        if here is not None and here in ids:
            return [here]
        return ids

    def select_pair(self, requested: str | None) -> str:
        """The one pair a pair-scoped command works on; a usage error when that is unclear."""
        ids = self.select_pairs(requested)
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise UsageError(
                "there is no partnership yet; create one with `regiotwin partnership new`"
            )
        raise UsageError(
            "several pairs in this repository; choose one with --pair: " + ", ".join(ids)
        )

    def programme(self) -> Programme:
        findings: list[Finding] = []
        programme = load_programme(self.root, findings, self.cache)
        _raise_errors(findings, f"{CONFIG_NAME} is invalid")
        return programme

    def load_pair(
        self, pair_id: str, kinds: tuple[str, ...] = tuple(RECORD_DIRS)
    ) -> tuple[Pair, Partnership]:
        """One pair, which must be valid enough to work on (its files parse and validate)."""
        return self.load_pairs([pair_id], kinds)[0]

    def load_pairs(
        self, pair_ids: list[str], kinds: tuple[str, ...] = tuple(RECORD_DIRS)
    ) -> list[tuple[Pair, Partnership]]:
        """Several pairs through one record cache; any invalid file stops with its findings."""
        with paused_gc():
            loaded = [self._load_one(pair_id, kinds, self.cache) for pair_id in pair_ids]
        self.cache.save()
        return loaded

    def _load_one(
        self, pair_id: str, kinds: tuple[str, ...], cache: RecordCache
    ) -> tuple[Pair, Partnership]:
        findings: list[Finding] = []
        pair = load_pair(self.root, self.root / PAIRS_DIR / pair_id, findings, kinds, cache)
        _raise_errors(findings, f"pair {pair_id!r} has invalid files; fix them first")
        assert pair.partnership is not None
        return pair, pair.partnership.model

    def load(self) -> tuple[Repository, list[Finding]]:
        return load_repository(self.root, self.cache)

    def screen(self, pair_ids: list[str], warnings: bool = True) -> Screening:
        """The whole repository, checked: which of *pair_ids* may show figures (SPEC §3).
        Every command that makes a figure or a document asks this first; one that shows no
        obligations asks without *warnings*."""
        from regiotwin.checks import screen

        repo, findings = self.load()
        return screen(repo, findings, pair_ids, warnings)

    def load_valid(self) -> Repository:
        """The whole repository, which must have no errors (warnings are fine)."""
        repo, findings = self.load()
        _raise_errors(findings, "the repository has invalid files; fix them first")
        return repo


class _PartnerNames(Mapping[str, list[str]]):
    """Each pair's partner ids and names, read only when `--pair` names no pair by its id."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def __getitem__(self, pair_id: str) -> list[str]:
        try:
            _, ship = self.workspace.load_pair(pair_id, kinds=())
        except DataError:
            return []
        return [name for p in ship.partners for name in (p.id, p.name)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.workspace.pair_ids())

    def __len__(self) -> int:
        return len(self.workspace.pair_ids())


def _raise_errors(findings: list[Finding], message: str) -> None:
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataError(message + " (run `regiotwin check`)", errors)
