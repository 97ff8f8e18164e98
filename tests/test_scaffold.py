"""`init` fits a data repository to its users' tools (issue #15): editor files, pre-commit, CI."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from regiotwin import __version__, scaffold
from regiotwin.cli import setup
from regiotwin.errors import RefusedError
from regiotwin.yamlio import parse_yaml
from tests.conftest import SOURCE


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


SCHEMAS = [f".regiotwin/schemas/{k}.schema.json" for k in
           ("decision", "event", "expense", "measure", "meeting", "partnership", "programme")]


def test_init_writes_schemas_and_vscode_settings(tmp_path: Path, run: Callable[..., Result]) -> None:
    result = run("init", str(tmp_path / "data"))
    assert result.exit_code == 0
    root = tmp_path / "data"
    assert _tree(root) == [".gitattributes", ".gitignore", *SCHEMAS, ".vscode/extensions.json",
                           ".vscode/settings.json", "regiotwin.yaml"]
    assert result.stderr == (
        f"created {root}/regiotwin.yaml\n"
        f"created {root}/partnerships\n"
        f"created {root}/.gitignore\n"
        f"created {root}/.gitattributes\n"
        f"created {root}/.regiotwin/schemas (7 JSON Schemas)\n"
        f"created {root}/.vscode/settings.json\n"
        f"created {root}/.vscode/extensions.json\n"
        "next: regiotwin partnership new --partner NAME --partner NAME --topic TEXT --start DATE\n"
    )
    assert json.loads((root / ".vscode/extensions.json").read_text("utf-8")) == {
        "recommendations": ["redhat.vscode-yaml"]}
    assert run("-C", str(root), "schema", "--check").exit_code == 0


def test_init_refuses_an_existing_repository_and_says_what_it_could_add(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / "regiotwin.yaml").write_text("name: mine\n")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path / 'regiotwin.yaml'} already exists; this is already a regiotwin "
        "repository (to add files to it: --ci github|gitlab, --pre-commit, --editor)\n"
    )
    assert _tree(tmp_path) == ["regiotwin.yaml"]


def test_init_adds_ci_to_an_existing_repository_and_never_overwrites(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """A user who ran init last month adds CI now; an existing pipeline is kept as it is."""
    run("init", str(tmp_path))
    programme = (tmp_path / "regiotwin.yaml").read_text("utf-8")
    first = run("init", str(tmp_path), "--ci", "github")
    assert first.exit_code == 0
    assert first.stderr == (
        f"created {tmp_path}/.github/workflows/regiotwin.yml\n"
        f"next: commit and push .github/workflows/regiotwin.yml; it installs "
        f"{scaffold.install_spec()} (REGIOTWIN in the file)\n"
    )
    workflow = tmp_path / ".github/workflows/regiotwin.yml"
    workflow.write_text("# mine\n", encoding="utf-8")
    again = run("init", str(tmp_path), "--ci", "github", "--pre-commit")
    assert again.exit_code == 0
    assert again.stderr == (
        f"created {tmp_path}/.pre-commit-config.yaml\n"
        f"kept {tmp_path}/.github/workflows/regiotwin.yml (it exists)\n"
        "next: pre-commit install (https://pre-commit.com), then every commit is checked\n"
    )
    assert workflow.read_text("utf-8") == "# mine\n"
    assert (tmp_path / "regiotwin.yaml").read_text("utf-8") == programme


def test_init_editor_keeps_the_users_vscode_settings(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / "regiotwin.yaml").write_text("name: RegioTwin\n")
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode/settings.json").write_text('{"editor.tabSize": 2}\n')
    result = run("init", str(tmp_path), "--editor")
    assert result.exit_code == 0
    assert result.stderr == (
        f"created {tmp_path}/.regiotwin/schemas (7 JSON Schemas)\n"
        f"kept {tmp_path}/.vscode/settings.json (it exists)\n"
        '  it has no "yaml.schemas" for the schemas: see the README, section Editors\n'
        f"created {tmp_path}/.vscode/extensions.json\n"
    )
    assert (tmp_path / ".vscode/settings.json").read_text() == '{"editor.tabSize": 2}\n'


def test_set_up_reports_what_it_created_and_what_it_kept(tmp_path: Path) -> None:
    """The core function under `init`: created or kept, and a hint for kept VS Code settings."""
    first = scaffold.set_up(tmp_path)
    assert all(p.created for p in first)
    assert [p.path.relative_to(tmp_path).as_posix() for p in first][-2:] == [
        ".vscode/settings.json", ".vscode/extensions.json"]
    (tmp_path / ".vscode/settings.json").write_text("{}\n")
    again = scaffold.set_up(tmp_path, editor=True, ci="gitlab")
    assert [(p.path.relative_to(tmp_path).as_posix(), p.created, p.hint) for p in again[-3:]] == [
        (".vscode/settings.json", False,
         'it has no "yaml.schemas" for the schemas: see the README, section Editors'),
        (".vscode/extensions.json", False, ""),
        (".gitlab-ci.yml", True, ""),
    ]
    with pytest.raises(RefusedError):
        scaffold.set_up(tmp_path)


def test_init_ci_of_an_unknown_system(tmp_path: Path, run: Callable[..., Result]) -> None:
    result = run("init", str(tmp_path), "--ci", "jenkins")
    assert result.exit_code == 1
    assert "'jenkins' is not one of 'github', 'gitlab'" in result.stderr
    assert _tree(tmp_path) == []


def test_the_cli_knows_the_ci_systems() -> None:
    """The CLI keeps its own list (so --help needs no pydantic); they agree."""
    assert setup.CI_SYSTEMS == scaffold.CI_SYSTEMS == tuple(scaffold.PIPELINES)


# --- the pipelines ----------------------------------------------------------------------------------

CHECKS = ["regiotwin check --strict", "regiotwin fmt --check", "regiotwin schema --check"]
DOCUMENTS = [
    "regiotwin report render --all -o reports/",
    "regiotwin export calendar -o reports/regiotwin.ics",
    "regiotwin export expenses -o reports/belegliste.csv",
]


def _written(tmp_path: Path, run: Callable[..., Result], ci: str) -> dict[str, Any]:
    assert run("init", str(tmp_path), "--ci", ci).exit_code == 0
    return parse_yaml((tmp_path / scaffold.PIPELINES[ci]).read_text("utf-8")).data


def test_github_workflow_checks_and_keeps_the_documents(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    flow = _written(tmp_path, run, "github")
    assert set(flow["on"]) == {"push", "pull_request", "workflow_dispatch"}
    assert flow["env"]["REGIOTWIN"] == f"regiotwin=={__version__}"
    check, documents = flow["jobs"]["check"]["steps"], flow["jobs"]["documents"]["steps"]
    for steps in (check, documents):
        assert steps[0]["uses"].startswith("actions/checkout@")
        assert steps[1]["uses"].startswith("actions/setup-python@")
        assert steps[2]["run"] == 'python -m pip install "$REGIOTWIN"'
    assert [s["run"] for s in check[3:]] == CHECKS
    # fmt and schema report even when check failed, so one push shows every problem
    assert [s.get("if") for s in check[3:]] == [None, "${{ !cancelled() }}", "${{ !cancelled() }}"]
    assert [s["run"] for s in documents[3:-1]] == DOCUMENTS
    assert documents[0]["with"] == {"fetch-depth": 0}  # the calendar's revisions need history
    upload = documents[-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"] == {"name": "regiotwin-documents", "path": "reports/",
                              "if-no-files-found": "error"}
    assert "needs" not in flow["jobs"]["documents"]  # a warning does not stop the documents


def test_gitlab_pipeline_checks_and_keeps_the_documents(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    pipe = _written(tmp_path, run, "gitlab")
    assert pipe["variables"]["REGIOTWIN"] == f"regiotwin=={__version__}"
    assert pipe["default"]["image"].startswith("python:3")
    assert pipe["default"]["before_script"] == ['python -m pip install "$REGIOTWIN"']
    assert pipe["stages"] == ["check", "documents"]
    assert pipe["check"] == {"stage": "check", "script": CHECKS}
    documents = pipe["documents"]
    assert documents["script"] == DOCUMENTS
    assert documents["variables"] == {"GIT_DEPTH": 0}
    assert documents["needs"] == []  # a warning does not stop the documents
    assert documents["artifacts"]["paths"] == ["reports/"]


# Commands of the pipelines that arrive with other issues; when one arrives this test fails:
# remove it here, so every command is checked against the CLI. (Every one has arrived.)
ARRIVING: set[str] = set()


def test_every_command_of_the_pipelines_exists(run: Callable[..., Result]) -> None:
    for command in CHECKS + DOCUMENTS:
        result = run(*shlex.split(command)[1:], "--help")
        exists = result.exit_code == 0
        assert exists == (command not in ARRIVING), (command, result.stderr)


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (None, f"regiotwin=={__version__}"),
        ('{"url": "file:///home/erika/regiotwin", "dir_info": {"editable": true}}',
         f"regiotwin=={__version__}"),
        ('{"url": "https://git.example.org/kreis/regiotwin.git", "vcs_info": {"vcs": "git", '
         '"commit_id": "4f0c1d2", "requested_revision": "v0.1.0"}}',
         "regiotwin @ git+https://git.example.org/kreis/regiotwin.git@4f0c1d2"),
        ("not json", f"regiotwin=={__version__}"),
    ],
)
def test_ci_installs_the_regiotwin_that_wrote_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, direct_url: str | None, expected: str
) -> None:
    """Installed from git, CI installs the same commit (PEP 610); else the pinned version."""

    class Distribution:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return direct_url

    monkeypatch.setattr("importlib.metadata.distribution", lambda name: Distribution())
    assert scaffold.install_spec() == expected
    assert f'REGIOTWIN: "{expected}"' in scaffold.pipeline("gitlab")


# --- pre-commit -------------------------------------------------------------------------------------


def _hooks_of_this_repository() -> list[dict[str, Any]]:
    import yaml

    hooks: list[dict[str, Any]] = yaml.safe_load((SOURCE / ".pre-commit-hooks.yaml").read_text())
    return hooks


def test_pre_commit_hooks_of_this_repository() -> None:
    hooks = _hooks_of_this_repository()
    assert [(h["id"], h["entry"], h["language"], h["pass_filenames"]) for h in hooks] == [
        ("regiotwin-check", "regiotwin check", "python", False),
        ("regiotwin-fmt", "regiotwin fmt", "python", True),
    ]
    assert [(h["id"], h["entry"], h["files"], h["pass_filenames"], h["description"])
            for h in hooks] == [
        (h.id, h.entry, h.files, h.pass_filenames, h.description) for h in scaffold.HOOKS]


def test_init_pre_commit_writes_the_same_hooks_as_local_ones(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    run("init", str(tmp_path), "--pre-commit")
    config = parse_yaml((tmp_path / ".pre-commit-config.yaml").read_text("utf-8")).data
    assert config["minimum_pre_commit_version"] == "4.4.0"
    (local,) = config["repos"]
    assert local["repo"] == "local"
    assert [(h["id"], h["entry"], h["language"], h["files"], h["pass_filenames"])
            for h in local["hooks"]] == [
        (h["id"], h["entry"], "unsupported", h["files"], h["pass_filenames"])
        for h in _hooks_of_this_repository()]


@pytest.mark.parametrize(
    ("path", "check", "fmt"),
    [
        ("regiotwin.yaml", True, True),
        ("partnerships/a--b/partnership.yaml", True, True),
        ("partnerships/a--b/expenses/2016-09-14-a-bahn.yaml", True, True),
        ("partnerships/a--b/receipts/scan.pdf", True, False),
        ("events/2016-10-12-treffen.yaml", True, True),
        (".pre-commit-config.yaml", False, False),
        (".gitlab-ci.yml", False, False),
        (".regiotwin/schemas/expense.schema.json", False, False),
        ("docs/regiotwin.yaml", False, False),
    ],
)
def test_pre_commit_hooks_run_on_the_records(path: str, check: bool, fmt: bool) -> None:
    """check runs when any data changes (a receipt too); fmt gets only record files."""
    by_id = {h.id: h for h in scaffold.HOOKS}
    assert bool(re.search(by_id["regiotwin-check"].files, path)) is check
    assert bool(re.search(by_id["regiotwin-fmt"].files, path)) is fmt


def test_readme_pre_commit_snippet_names_the_hooks() -> None:
    readme = (SOURCE / "README.md").read_text("utf-8")
    snippet = readme.split("```yaml\n# .pre-commit-config.yaml")[1].split("```")[0]
    config = parse_yaml("# .pre-commit-config.yaml" + snippet).data
    (remote,) = config["repos"]
    assert [h["id"] for h in remote["hooks"]] == [h.id for h in scaffold.HOOKS]


def test_readme_shows_the_vscode_setting_init_writes() -> None:
    """The entry the README asks to add to an existing .vscode/settings.json is the real one."""
    readme = (SOURCE / "README.md").read_text("utf-8")
    block = readme.split('```json\n"yaml.schemas"')[1].split("```")[0]
    assert json.loads('{"yaml.schemas"' + block + "}") == json.loads(scaffold.vscode_settings())
