"""Shared helpers: a small data repository written from dedented strings, and a CLI runner."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from regiotwin.cli import cli

SOURCE = Path(__file__).resolve().parent.parent
PAIR = "stadt-a--stadt-b"

# What running the suite may leave in the source tree: tool caches and build output.
_DEV_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
             ".hypothesis", "build", "dist"}


def _source_snapshot() -> dict[str, int]:
    """Every file of the source tree with its modification time, tool caches left out."""
    files: dict[str, int] = {}
    for folder, dirs, names in os.walk(SOURCE):
        dirs[:] = [d for d in dirs if d not in _DEV_DIRS and not d.endswith(".egg-info")]
        for name in names:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, SOURCE)] = os.stat(path).st_mtime_ns
    return files


@pytest.fixture(scope="session", autouse=True)
def source_tree_untouched() -> Iterator[None]:
    """No test may write into the source tree (the example data lives there)."""
    before = _source_snapshot()
    yield
    after = _source_snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"the tests changed the source tree: {changed[:20]}"


@pytest.fixture(autouse=True)
def isolation(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own working folder, HOME and cache folders, no colour and a fixed
    width, as pypa/hatch's conftest does: nothing leaks between tests or into the user's files."""
    base = tmp_path_factory.mktemp("isolated")
    home = base / "home"
    work = base / "work"
    for folder in (home, work):
        folder.mkdir()
    for name, value in {
        "HOME": home, "USERPROFILE": home, "XDG_CACHE_HOME": home / ".cache",
        "XDG_CONFIG_HOME": home / ".config", "XDG_DATA_HOME": home / ".local" / "share",
        "LOCALAPPDATA": home / "AppData" / "Local", "APPDATA": home / "AppData" / "Roaming",
    }.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LINES", "50")
    for name in ("REGIOTWIN_DIR", "REGIOTWIN_CACHE_DIR", "FORCE_COLOR", "CLICOLOR_FORCE",
                 "EDITOR", "VISUAL",
                 "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)

PROGRAMME = """\
name: RegioTwin
grant_cap: 1400.00
"""

PARTNERSHIP = """\
id: stadt-a--stadt-b
title: Stadt A – Stadt B
topic: Wärmewende
start: 2016-07-01
end: 2017-06-30
partners:
- id: stadt-a
  name: Stadt A
  kind: Stadt
  role: advisor
  contacts:
  - name: Anna Alt
    email: anna@example.org
- id: stadt-b
  name: Stadt B
  kind: Stadt
  role: implementer
  contacts:
  - name: Bernd Bau
"""


def copy_example(target: Path) -> Path:
    """The example data repository shipped in the source tree, copied so tests can change it."""
    import shutil

    shutil.copy2(SOURCE / "regiotwin.yaml", target / "regiotwin.yaml")
    for folder in ("partnerships", "events"):
        shutil.copytree(SOURCE / folder, target / folder)
    return target


def write_files(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Make a data repository with one valid pair plus *files*; the working dir is its root."""

    def make(files: dict[str, str] | None = None, *, pair: bool = True) -> Path:
        base = {"regiotwin.yaml": PROGRAMME}
        if pair:
            base[f"partnerships/{PAIR}/partnership.yaml"] = PARTNERSHIP
        base.update(files or {})
        write_files(tmp_path, base)
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return make


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the CLI in-process, stdout and stderr apart (isolation sets colour and width)."""

    def invoke(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke
