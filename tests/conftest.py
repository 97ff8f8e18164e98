"""Shared helpers: a small data repository written from dedented strings, and a CLI runner."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from regiotwin.cli import cli

PAIR = "stadt-a--stadt-b"

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
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Invoke the CLI in-process, stdout and stderr apart, no colour, a fixed width."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("REGIOTWIN_DIR", raising=False)

    def invoke(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke
