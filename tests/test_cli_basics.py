"""init, partnership, contact, root discovery, pair selection, exit codes (issue #3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from regiotwin import __version__
from tests.conftest import PAIR

NEW_PAIR = [
    "partnership", "new",
    "--partner", "Landkreis Teltow-Fläming",
    "--partner", "Landkreis Gießen",
    "--topic", "Energiesparen und Klimaschutz",
    "--start", "2016-06-15",
]


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if ".regiotwin-cache" not in p.parts)


def test_version(run: Callable[..., Result]) -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"regiotwin {__version__}\n")


def test_init_writes_programme_defaults(tmp_path: Path, run: Callable[..., Result]) -> None:
    result = run("init", str(tmp_path / "data"))
    assert result.exit_code == 0
    root = tmp_path / "data"
    assert [p for p in tree(root) if not p.startswith((".regiotwin", ".vscode"))] == [
        ".gitattributes", ".gitignore", "partnerships", "regiotwin.yaml"]  # those: test_scaffold
    assert (root / "regiotwin.yaml").read_text(encoding="utf-8") == (
        "name: RegioTwin\n"
        "organiser: Institut dezentrale Energietechnologien (IdE)\n"
        "funder: Bundesministerium für Umwelt, Naturschutz, Bau und Reaktorsicherheit (BMUB)\n"
        "project_agency: Projektträger Jülich (PtJ)\n"
        "currency: EUR\n"
        "grant_cap: 1400.00\n"
        "funding_rate: 1.0\n"
        "categories:\n- project\n- travel\n"
        "reporting:\n  proof_months: 6\n  interim_months: 4\n"
    )
    assert "*.yaml text eol=lf" in (root / ".gitattributes").read_text()


def test_init_refuses_an_existing_repository(tmp_path: Path, run: Callable[..., Result]) -> None:
    (tmp_path / "regiotwin.yaml").write_text("name: mine\n")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path / 'regiotwin.yaml'} already exists; this is already a regiotwin "
        "repository (to add files to it: --ci github|gitlab, --pre-commit, --editor)\n"
    )
    assert (tmp_path / "regiotwin.yaml").read_text() == "name: mine\n"


def test_partnership_new_derives_ids_and_end(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = run(*NEW_PAIR, "--advisor", "Landkreis Gießen", "--consultant", "Eva Rat")
    pair = "landkreis-teltow-flaeming--landkreis-giessen"
    assert (result.exit_code, result.stdout) == (0, f"partnerships/{pair}/partnership.yaml\n")
    assert (tmp_path / f"partnerships/{pair}/partnership.yaml").read_text(encoding="utf-8") == (
        f"id: {pair}\n"
        "title: Landkreis Teltow-Fläming – Landkreis Gießen\n"
        "topic: Energiesparen und Klimaschutz\n"
        "start: 2016-06-15\n"
        "end: 2017-06-14\n"
        "consultant:\n  name: Eva Rat\n"
        "partners:\n"
        "- id: landkreis-teltow-flaeming\n  name: Landkreis Teltow-Fläming\n"
        "  kind: Landkreis\n  role: implementer\n  receipt_prefix: TF\n"
        "- id: landkreis-giessen\n  name: Landkreis Gießen\n  kind: Landkreis\n  role: advisor\n"
        "  receipt_prefix: GI\n"
    )
    again = run(*NEW_PAIR)
    assert again.exit_code == 1
    assert again.stderr == f"error: partnerships/{pair} already exists; choose another --id\n"


def test_leap_day_start_ends_a_year_later(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    run("partnership", "new", "--partner", "Stadt A", "--partner", "Stadt B", "--topic", "x",
        "--start", "2016-02-29")
    shown = json.loads(run("partnership", "show", "--json").stdout)
    assert (shown["start"], shown["end"]) == ("2016-02-29", "2017-02-28")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("!!!", "partner name '!!!' gives an empty id; use letters or digits"),
        ("..", "partner name '..' gives an empty id; use letters or digits"),
        ("CON", "partner name 'con' is a reserved device name on Windows; choose another"),
    ],
)
def test_partner_names_that_make_no_safe_file_name(
    tmp_path: Path,
    run: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    message: str,
) -> None:
    run("init", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    result = run("partnership", "new", "--partner", name, "--partner", "Stadt B",
                 "--topic", "x", "--start", "2016-07-01")
    assert (result.exit_code, result.stderr) == (1, f"error: {message}\n")
    assert tree(tmp_path) == before


def test_partnership_needs_exactly_two_partners(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    result = run("partnership", "new", "--partner", "Stadt C", "--topic", "x",
                 "--start", "2016-07-01")
    assert (result.exit_code, result.stderr) == (
        1, "error: a partnership has exactly two partners; give --partner twice (got 1)\n"
    )


def test_bad_start_date(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    result = run("partnership", "new", "--partner", "A", "--partner", "B", "--topic", "x",
                 "--start", "07/12/2016")
    assert result.exit_code == 1
    assert ("Invalid value for '--start': '07/12/2016' is not a date; write it as YYYY-MM-DD or "
            "DD.MM.YYYY") in result.stderr


def test_list_and_show(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    listed = json.loads(run("partnership", "list", "--json").stdout)
    assert listed == [
        {
            "id": PAIR,
            "title": "Stadt A – Stadt B",
            "topic": "Wärmewende",
            "start": "2016-07-01",
            "end": "2017-06-30",
            "partners": [
                {"id": "stadt-a", "name": "Stadt A", "role": "advisor"},
                {"id": "stadt-b", "name": "Stadt B", "role": "implementer"},
            ],
            "valid": True,
        }
    ]
    table = run("partnership", "list").stdout
    assert "stadt-a--stadt-b" in table and "Stadt A / Stadt B" in table
    shown = run("partnership", "show").stdout.splitlines()
    assert shown[:3] == [
        "Stadt A – Stadt B  (stadt-a--stadt-b)",
        "topic:       Wärmewende",
        "period:      2016-07-01 to 2017-06-30",
    ]
    assert "Stadt A  (stadt-a; Stadt, grant cap 1.400,00 €, advisor)" in shown
    assert "  - Anna Alt (anna@example.org)" in shown


def test_contact_add(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    result = run("contact", "add", "--partner", "Stadt B", "--name", "Cora [bold]Cl|ar[/]",
                 "--function", "Klimaschutzmanagerin", "--email", "cora@example.org")
    assert result.exit_code == 0
    assert result.stdout == (
        f"added Cora [bold]Cl|ar[/] to stadt-b in partnerships/{PAIR}/partnership.yaml\n"
    )
    text = (root / f"partnerships/{PAIR}/partnership.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "  contacts:\n  - name: Bernd Bau\n  - name: Cora [bold]Cl|ar[/]\n"
        "    function: Klimaschutzmanagerin\n    email: cora@example.org\n"
    )
    assert "  - Cora [bold]Cl|ar[/] (Klimaschutzmanagerin, cora@example.org)" in run(
        "partnership", "show").stdout
    dup = run("contact", "add", "--partner", "stadt-b", "--name", "Bernd Bau")
    assert (dup.exit_code, dup.stderr) == (
        1, "error: stadt-b already has a contact named 'Bernd Bau'\n"
    )
    unknown = run("contact", "add", "--partner", "Stadt Z", "--name", "X")
    assert (unknown.exit_code, unknown.stderr) == (
        1, "error: unknown partner 'Stadt Z' (--partner); partners: stadt-a, stadt-b\n"
    )
    bad_mail = run("contact", "add", "--partner", "stadt-a", "--name", "X", "--email", "nope")
    assert (bad_mail.exit_code, bad_mail.stderr) == (
        1, "error: invalid contact: email: 'nope' is not an e-mail address\n"
    )


def test_missing_repository_is_a_usage_error(tmp_path: Path, run: Callable[..., Result]) -> None:
    result = run("-C", str(tmp_path), "check")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: no regiotwin.yaml found in {tmp_path} or any folder above it; "
        "run `regiotwin init` to create a data repository there\n"
    )


def test_root_is_found_upward_and_from_the_environment(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = repo()
    monkeypatch.chdir(root / "partnerships" / PAIR)
    assert run("partnership", "show").exit_code == 0
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("REGIOTWIN_DIR", str(root))
    assert run("partnership", "show").exit_code == 0
    monkeypatch.delenv("REGIOTWIN_DIR")
    assert run("-C", str(root / "partnerships"), "partnership", "show").exit_code == 0


def test_pair_selection_with_several_pairs(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo()
    run("partnership", "new", "--partner", "Stadt C", "--partner", "Stadt D", "--topic", "x",
        "--start", "2016-07-01")
    result = run("partnership", "show")
    assert (result.exit_code, result.stderr) == (
        2, "error: several pairs in this repository; choose one with --pair: "
           "stadt-a--stadt-b, stadt-c--stadt-d\n"
    )
    assert run("partnership", "show", "-p", "stadt-c--stadt-d").stdout.startswith("Stadt C")
    assert run("-p", "stadt-c--stadt-d", "partnership", "show").stdout.startswith("Stadt C")
    monkeypatch.chdir(root / "partnerships" / "stadt-c--stadt-d")
    assert run("partnership", "show").stdout.startswith("Stadt C")
    unknown = run("partnership", "show", "--pair", "nope")
    assert (unknown.exit_code, unknown.stderr) == (
        2, "error: unknown pair 'nope' (--pair); pairs: stadt-a--stadt-b, stadt-c--stadt-d\n"
    )
    assert len(json.loads(run("partnership", "list", "--json").stdout)) == 2


def test_invalid_pair_is_reported_not_crashed(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({f"partnerships/{PAIR}/partnership.yaml": "id: x\n"})
    listed = run("partnership", "list")
    assert listed.exit_code == 0
    assert "(invalid files: run `regiotwin check`)" in listed.stdout
    result = run("partnership", "show")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: pair '{PAIR}' has invalid files; fix them first (run `regiotwin check`)"
    )
    assert f"partnerships/{PAIR}/partnership.yaml:1: error: missing required key 'title'" \
        in result.stderr


def test_internal_error_is_one_line_and_exit_70(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo()

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("regiotwin.checks.load_repository", boom)
    result = run("check")
    assert result.exit_code == 70
    assert result.stderr == "regiotwin: internal error (RuntimeError: kaputt); please report this\n"


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from regiotwin.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'jinja2', 'rich') if m in sys.modules))"
    )
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_help_imports_no_command_module() -> None:
    """Issue #16: `--help` lists the commands from the table in regiotwin/cli/base.py; each
    command imports its own module only when it runs."""
    code = (
        "import sys; from regiotwin.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('regiotwin.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "['regiotwin.cli.base', 'regiotwin.cli.signals']"


def _groups() -> list[Any]:
    """The root group and every group of it with a table of lazy commands."""
    import click

    from regiotwin.cli.base import cli

    found = [cli]
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        if getattr(command, "lazy", None):
            found.append(command)
    return found


def test_the_table_of_commands_says_what_each_command_says() -> None:
    """The help the table lists is the first paragraph of the command's own help, and each
    entry loads the command of that name."""
    import click

    for group in _groups():
        ctx = click.Context(group)
        for name, (where, text) in group.lazy.items():
            command = group.get_command(ctx, name)
            assert command is not None and command.name == name, where
            first = (command.help or "").split("\n\n")[0]
            assert " ".join(text.split()) == " ".join(first.split()), (
                f"{where}: the table in regiotwin/cli/base.py says {text!r}")


def test_help_lists_the_commands_as_click_lists_loaded_ones() -> None:
    """`regiotwin --help` from the table is what click shows with every command loaded."""
    import click

    from regiotwin.cli.base import _Group

    for group in _groups():
        for width in (40, 80, 200):
            lazy = _Group(group.name, params=group.params, help=group.help, lazy=group.lazy)
            loaded = click.Group(group.name, params=group.params, help=group.help)
            ctx = click.Context(loaded, terminal_width=width)
            for name in group.lazy:
                loaded.add_command(group.get_command(ctx, name), name)
            assert lazy.get_help(click.Context(lazy, terminal_width=width)) == \
                loaded.get_help(ctx)


def test_every_command_is_in_a_table() -> None:
    """A command written in a module but missing from the tables would never run."""
    import importlib
    import pkgutil

    import click

    import regiotwin.cli

    reachable: set[int] = set()

    def walk(command: click.Command) -> None:
        reachable.add(id(command))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub)

    walk(_groups()[0])
    for info in pkgutil.iter_modules(regiotwin.cli.__path__):
        module = importlib.import_module(f"regiotwin.cli.{info.name}")
        for attribute, value in vars(module).items():
            if isinstance(value, click.Command):
                assert id(value) in reachable, f"regiotwin.cli.{info.name}:{attribute}"


def test_report_kinds_of_the_cli_match_the_templates() -> None:
    """The CLI keeps its own list of report kinds (so --help needs no jinja2); they agree."""
    from regiotwin.cli import documents
    from regiotwin.reports import KINDS

    assert tuple(KINDS) == documents.REPORT_KINDS


def test_a_file_system_error_is_a_message_not_a_crash(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    (root / "plain.txt").write_text("x")
    target = root / "plain.txt" / "out.csv"
    result = run("export", "expenses", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '-o' / '--output': '{target}': {root / 'plain.txt'} is not a "
        "folder; nothing was written")


def test_redirected_output_is_utf8_even_with_a_windows_code_page(
    repo: Callable[..., Path]
) -> None:
    """`regiotwin … > file` on Windows must not fail on letters outside cp1252."""
    root = repo()
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "NO_COLOR": "1"}
    base = [sys.executable, "-m", "regiotwin", "-C", str(root)]
    subprocess.run([*base, "contact", "add", "--partner", "stadt-a", "--name", "Łukasz Żółw"],
                   check=True, capture_output=True, env=env)
    shown = subprocess.run([*base, "partnership", "show"], capture_output=True, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "  - Łukasz Żółw\n" in shown.stdout.decode("utf-8")
