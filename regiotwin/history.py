"""What git knows about the data files: how many commits changed each one, when the last of
them was made, and which files differ from the last commit.

The calendar takes its revisions from here (ical.py says why): the same commit gives the same
answer in every full clone, and a file's count only grows, along a branch and across a merge
(the commits of both sides are counted). A folder that is not in git, a machine without git
and a shallow clone (whose history is cut off, so its counts would be too small) have no
history; the first two are a normal way to keep the data, the last one is said (`NoHistory`).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

DATA = ("regiotwin.yaml", "partnerships", "events")  # what the records are made of
GIT_SECONDS = 60


class NoHistory(Exception):
    """The data is in git, but its history cannot be read as it is (a shallow clone)."""


@dataclass(frozen=True)
class History:
    """Per data file (relative to the data root, forward slashes)."""

    changes: dict[str, int] = field(default_factory=dict)  # commits that changed it
    last: dict[str, int] = field(default_factory=dict)  # Unix time of the last of them
    dirty: frozenset[str] = frozenset()  # changed, new or removed since the last commit


def _git(root: Path, *args: str) -> str | None:
    """git's output, or None where git is missing or fails (not a repository)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=off", *args],
                              capture_output=True, text=True, encoding="utf-8", env=env,
                              timeout=GIT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_history(root: Path) -> History | None:
    """The history of the data under *root*; None where it is not in git (or git is missing).
    Raises NoHistory for a shallow clone."""
    state = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository",
                 "--show-prefix")
    if state is None:
        return None
    inside, shallow, prefix = (state.split("\n") + ["", "", ""])[:3]
    if inside != "true":
        return None
    if shallow == "true":
        raise NoHistory("the repository is a shallow clone, so the calendar's entries carry no "
                        "revisions (fetch the whole history: `git fetch --unshallow`; in CI "
                        "fetch-depth: 0 or GIT_DEPTH: 0)")
    log = _git(root, "log", "--no-merges", "--relative", "--format=%x00%ct", "--name-only",
               "--", *DATA)
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *DATA)
    if log is None or status is None:  # a repository without commits
        return History(dirty=frozenset(_status_paths(status or "", prefix)))
    changes: dict[str, int] = {}
    last: dict[str, int] = {}
    for commit in log.split("\x00")[1:]:
        stamp, *names = commit.strip("\n").split("\n")
        for name in filter(None, names):
            changes[name] = changes.get(name, 0) + 1
            last.setdefault(name, int(stamp))  # newest first
    return History(changes, last, frozenset(_status_paths(status, prefix)))


def _status_paths(status: str, prefix: str) -> list[str]:
    """The paths of `git status --porcelain -z`, relative to the data root (git gives them
    relative to the top of the repository; a rename also names its old path)."""
    paths: list[str] = []
    entries = iter(status.split("\x00"))
    for entry in entries:
        if len(entry) < 4:
            continue
        paths.append(entry[3:].removeprefix(prefix))
        if entry[0] in "RC":
            next(entries, None)
    return paths
