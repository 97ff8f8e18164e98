"""The install users make (issue #9): a wheel and an sdist built from the sources, the wheel in a
fresh virtual environment, and the commands of the README run there, away from the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from regiotwin import __version__
from tests.conftest import SOURCE, copy_example

EXAMPLE_PAIR = "landkreis-teltow-flaeming--landkreis-giessen"


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it (as `python -m build` does by default)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(SOURCE)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def _wheel(dists: Path) -> Path:
    (wheel,) = dists.glob("regiotwin-*.whl")
    return wheel


def test_wheel_and_sdist_carry_the_version(dists: Path) -> None:
    names = sorted(p.name for p in dists.iterdir())
    assert names == [f"regiotwin-{__version__}-py3-none-any.whl",
                     f"regiotwin-{__version__}.tar.gz"]


def test_wheel_holds_every_module_template_and_rate_table(dists: Path) -> None:
    """A module missing from the wheel is a ModuleNotFoundError for every user."""
    names = set(zipfile.ZipFile(_wheel(dists)).namelist())
    modules = sorted(p.relative_to(SOURCE).as_posix() for p in (SOURCE / "regiotwin").rglob("*.py"))
    assert modules and [m for m in modules if m not in names] == []
    templates = sorted(p.name for p in (SOURCE / "templates").glob("*.j2"))
    assert templates and [t for t in templates if f"regiotwin/templates/{t}" not in names] == []
    rates = sorted(p.relative_to(SOURCE).as_posix()
                   for p in (SOURCE / "regiotwin" / "travel_rates").glob("*.yaml"))
    assert rates and [r for r in rates if r not in names] == []


def test_installed_wheel_runs_outside_the_source_tree(dists: Path, tmp_path: Path) -> None:
    """The wheel in a fresh venv: --version, --help and the README's budget on the example,
    run from a folder that has nothing of the sources on sys.path."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(_wheel(dists))],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    outside = tmp_path / "elsewhere"
    for folder in (outside, tmp_path / "example"):
        folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REGIOTWIN_DIR")}
    env["COLUMNS"] = "200"

    def regiotwin(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bindir / "regiotwin"), *args], cwd=outside, env=env,
                              capture_output=True, text=True)

    version = regiotwin("--version")
    assert (version.returncode, version.stdout) == (0, f"regiotwin {__version__}\n")
    helped = regiotwin("--help")
    assert helped.returncode == 0 and "budget" in helped.stdout
    example = copy_example(tmp_path / "example")
    budget = regiotwin("-C", str(example), "budget", "status")
    assert budget.returncode == 0, budget.stderr
    assert "Landkreis Teltow-Fläming" in budget.stdout and "Landkreis Gießen" in budget.stdout
    rates = regiotwin("travel", "rates", "--law", "bund", "--on", "2016-09-14")
    assert rates.returncode == 0 and "24,00 €" in rates.stdout, rates.stderr
    where = subprocess.run([str(python), "-c", "import regiotwin.cli, regiotwin.reports as r; "
                            "print(r.__file__); print(r.builtin_dir())"],
                           cwd=outside, env=env, capture_output=True, text=True)
    module, templates = where.stdout.splitlines()
    assert Path(module).is_relative_to(env_dir) and Path(templates).is_relative_to(env_dir)


def test_ci_runs_the_readme_set_up_commands() -> None:
    """The README's two set-up commands are the ones CI runs, word for word."""
    readme = (SOURCE / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [block.split("\n", 1)[1].strip() for block in section.split("```sh")[1:]]
    commands = [c.split("```")[0].strip() for c in commands]
    assert commands == ["python3 -m pip install . && regiotwin budget status",
                        "python3 -m pip install -e '.[test]' && python3 -m pytest"]
    ci = (SOURCE / ".ci" / "run").read_text(encoding="utf-8")
    assert all(command in ci for command in commands)
