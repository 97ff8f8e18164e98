"""docs/cli.md stays in step with the commands (as sqlite-utils' tests/test_docs.py does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regiotwin.cli import reference
from tests.conftest import SOURCE

DOCS = SOURCE / "docs" / "cli.md"


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


def test_cli_reference_is_up_to_date() -> None:
    expected = reference.render()
    current = DOCS.read_text(encoding="utf-8")
    if current != expected:
        old, new = _sections(current), _sections(expected)
        changed = sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n))
        pytest.fail(f"docs/cli.md is out of date ({', '.join(changed) or 'the index'}); "
                    f"regenerate it: {reference.COMMAND}")


def test_every_command_has_a_section_and_an_index_entry() -> None:
    text = reference.render()
    paths = [ctx.command_path for ctx, _ in reference.commands()]
    assert "regiotwin schema" in paths and "regiotwin expense add" in paths
    for path in paths:
        assert f"\n## {path}\n" in text
        assert f"- [`{path}`](#{path.replace(' ', '-')})" in text


def test_the_reference_is_written_as_utf8_with_lf(tmp_path: Path) -> None:
    """Written by Python, so PowerShell's `>` (UTF-16) never produces the file."""
    target = tmp_path / "docs" / "cli.md"
    assert reference.main([str(target)]) == 0
    raw = target.read_bytes()
    assert b"\r\n" not in raw
    assert raw.decode("utf-8") == reference.render()
    assert reference.main([]) == 2
