"""The README's tour runs as written, line by line, in a fresh folder: every command exits 0.

A new user's first steps are the tour's commands; when one of them fails, the README is wrong
(issue #9: test what users run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SOURCE


def tour() -> str:
    """The shell block of the README's "A short tour" section."""
    readme = (SOURCE / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A short tour", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def test_the_tour_runs_through_in_a_fresh_folder(tmp_path: Path) -> None:
    # `regiotwin` as the installed script runs it, whatever PATH the tests run with
    script = ('set -euo pipefail\nregiotwin() { "$REGIOTWIN_PYTHON" -m regiotwin "$@"; }\n'
              + tour())
    env = {**os.environ, "REGIOTWIN_PYTHON": sys.executable, "COLUMNS": "120"}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    root = tmp_path / "my-twinning"
    pair = root / "partnerships/landkreis-teltow-flaeming--landkreis-giessen"
    assert sorted(p.name for p in (pair / "expenses").iterdir()) == [
        "2016-09-14-landkreis-giessen-bahnfahrt-nach-luckenwalde.yaml",
        "2016-09-14-landkreis-giessen-exkursion-schulen.yaml",
    ]
    for name in ("belegliste.csv", "sachstand.md", "verwendungsnachweis.md", "regiotwin.ics"):
        assert (root / name).stat().st_size > 0
    assert (root / "reports/landkreis-teltow-flaeming--landkreis-giessen/proof.md").is_file()
    assert "Traceback" not in done.stderr
