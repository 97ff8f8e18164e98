"""`init` fits a data repository to its users' tools (issue #15): editor files, pre-commit, CI."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
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


GIT_INSTALL = ('{"url": "https://git.example.org/kreis/regiotwin.git", "vcs_info": {"vcs": '
               '"git", "commit_id": "4f0c1d2", "requested_revision": "v0.1.0"}}')
FOLDER_INSTALL = '{"url": "file:///home/erika/regiotwin", "dir_info": {"editable": true}}'


def installed_from(monkeypatch: pytest.MonkeyPatch, direct_url: str | None) -> None:
    """Pretend regiotwin was installed with this PEP 610 record (None: from an index)."""

    class Distribution:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return direct_url

    monkeypatch.setattr("importlib.metadata.distribution", lambda name: Distribution())


def test_init_adds_ci_to_an_existing_repository_and_never_overwrites(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user who ran init last month adds CI now; an existing pipeline is kept as it is."""
    installed_from(monkeypatch, GIT_INSTALL)
    run("init", str(tmp_path))
    programme = (tmp_path / "regiotwin.yaml").read_text("utf-8")
    first = run("init", str(tmp_path), "--ci", "github")
    assert first.exit_code == 0
    assert first.stderr == (
        f"created {tmp_path}/.github/workflows/regiotwin.yml\n"
        "next: commit and push .github/workflows/regiotwin.yml; it installs regiotwin @ "
        "git+https://git.example.org/kreis/regiotwin.git@4f0c1d2, from the git repository and "
        "commit you installed it from (REGIOTWIN in the file)\n"
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
AFTER_INSTALL = "${{ !cancelled() && steps.install.outcome == 'success' }}"


def _written(tmp_path: Path, run: Callable[..., Result], ci: str) -> dict[str, Any]:
    assert run("init", str(tmp_path), "--ci", ci).exit_code == 0
    return parse_yaml((tmp_path / scaffold.PIPELINES[ci]).read_text("utf-8")).data


def _commands(lines: list[str]) -> list[str]:
    """The regiotwin commands of script lines (`mkdir -p reports && … || failed=1`)."""
    return [re.sub(r"^mkdir -p reports && | \|\| failed=1$", "", line) for line in lines
            if "regiotwin " in line]


def test_github_workflow_checks_and_keeps_the_documents(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed_from(monkeypatch, None)
    flow = _written(tmp_path, run, "github")
    assert set(flow["on"]) == {"push", "pull_request", "workflow_dispatch"}
    assert flow["env"]["REGIOTWIN"] == f"regiotwin=={__version__}"
    check, documents = flow["jobs"]["check"]["steps"], flow["jobs"]["documents"]["steps"]
    for steps in (check, documents):
        assert steps[0]["uses"].startswith("actions/checkout@")
        assert steps[1]["uses"].startswith("actions/setup-python@")
        assert (steps[2]["id"], steps[2]["run"]) == (
            "install", 'python -m pip install "$REGIOTWIN"')
    assert [s["run"] for s in check[3:]] == CHECKS
    # fmt and schema report even when check failed, so one push shows every problem
    assert [s.get("if") for s in check[3:]] == [None, AFTER_INSTALL, AFTER_INSTALL]
    assert _commands([s["run"] for s in documents[3:-1]]) == DOCUMENTS
    assert documents[3]["run"] == "mkdir -p reports && " + DOCUMENTS[0]
    assert documents[0]["with"] == {"fetch-depth": 0}  # the calendar's revisions need history
    upload = documents[-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"] == {"name": "regiotwin-documents", "path": "reports/",
                              "if-no-files-found": "error"}
    # the trial: `report render --all` fails on a pair with errors, and the calendar, the
    # Belegliste and the upload were skipped; now each runs once regiotwin is installed
    assert [s.get("if") for s in documents[3:]] == [None] + [AFTER_INSTALL] * 3
    assert "needs" not in flow["jobs"]["documents"]  # a warning does not stop the documents


def test_gitlab_pipeline_checks_and_keeps_the_documents(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed_from(monkeypatch, None)
    pipe = _written(tmp_path, run, "gitlab")
    assert pipe["variables"]["REGIOTWIN"] == f"regiotwin=={__version__}"
    assert pipe["default"]["image"].startswith("python:3")
    assert pipe["default"]["before_script"] == ['python -m pip install "$REGIOTWIN"']
    assert pipe["stages"] == ["check", "documents"]
    assert pipe["check"]["stage"] == "check"
    assert _commands(pipe["check"]["script"]) == CHECKS
    documents = pipe["documents"]
    assert _commands(documents["script"]) == DOCUMENTS
    assert documents["variables"] == {"GIT_DEPTH": 0}
    assert documents["needs"] == []  # a warning does not stop the documents
    # the trial: GitLab kept the artifacts only of a job that succeeded
    assert documents["artifacts"]["paths"] == ["reports/"]
    assert documents["artifacts"]["when"] == "always"


@pytest.mark.parametrize("job", ["check", "documents"])
def test_gitlab_runs_every_command_of_a_job_and_then_fails_it(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, job: str
) -> None:
    """The script as GitLab runs it (one shell, `set -eo pipefail`), with a regiotwin that
    fails its first command: the others run all the same, and the job fails."""
    installed_from(monkeypatch, None)
    script = _written(tmp_path, run, "gitlab")[job]["script"]
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "regiotwin"
    fake.write_text('#!/bin/sh\necho "$*" >> "$LOG"\n[ -s "$LOG.once" ] && exit 0\n'
                    'echo x > "$LOG.once"; exit 1\n')
    fake.chmod(0o755)
    log = tmp_path / "log"
    done = subprocess.run(["sh", "-c", "set -e\n" + "\n".join(script)], cwd=tmp_path,
                          env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
                               "LOG": str(log)}, capture_output=True, text=True)
    assert done.returncode == 1
    expected = CHECKS if job == "check" else DOCUMENTS
    assert log.read_text().splitlines() == [c.removeprefix("regiotwin ") for c in expected]


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
        (None, f"regiotwin=={__version__}"),  # from a package index
        (GIT_INSTALL, "regiotwin @ git+https://git.example.org/kreis/regiotwin.git@4f0c1d2"),
        ('{"url": "https://files.example.org/regiotwin-0.1.0-py3-none-any.whl", '
         '"archive_info": {"hashes": {"sha256": "ab12"}}}',
         "regiotwin @ https://files.example.org/regiotwin-0.1.0-py3-none-any.whl"),
        (FOLDER_INSTALL, None),  # `pip install .` from a clone: CI cannot reach it
        ('{"url": "file:///home/erika/regiotwin", "vcs_info": {"vcs": "git", '
         '"commit_id": "4f0c1d2"}}', None),
        ('{"url": "file:///tmp/regiotwin-0.1.0.tar.gz", "archive_info": {}}', None),
        ("not json", None),
    ],
)
def test_ci_installs_the_regiotwin_that_wrote_it(
    monkeypatch: pytest.MonkeyPatch, direct_url: str | None, expected: str | None
) -> None:
    """CI installs from where the user did (PEP 610); where CI cannot reach that, the
    pipeline holds a placeholder that pip refuses with the words of what to do."""
    installed_from(monkeypatch, direct_url)
    assert scaffold.install_source().spec == expected
    text = scaffold.pipeline("gitlab")
    if expected is not None:
        assert f'REGIOTWIN: "{expected}"' in text and "FILL IN" not in text
    else:
        assert f'REGIOTWIN: "{scaffold.PLACEHOLDER}"' in text
        assert "  # FILL IN what pip installs: " in text
        assert "regiotwin==" not in text.split("REGIOTWIN:")[1]


def test_init_ci_from_a_local_folder_says_to_fill_in_the_install_line(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial: installed with `pip install .`, the pipeline pinned regiotwin==0.1.0 from
    PyPI, where regiotwin is not, and the first push failed; now the file and `init` say what
    to fill in, and a push before that fails with those words."""
    installed_from(monkeypatch, FOLDER_INSTALL)
    result = run("init", str(tmp_path), "--ci", "gitlab")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == (
        "next: fill in REGIOTWIN at the top of .gitlab-ci.yml, where CI installs regiotwin "
        "from (regiotwin was installed from a folder or file on this computer, which CI "
        "cannot reach); then commit and push it")
    text = (tmp_path / ".gitlab-ci.yml").read_text("utf-8")
    assert parse_yaml(text).data["variables"]["REGIOTWIN"] == (
        "FILL IN where CI installs regiotwin from: see the comment above")
    assert "file:///home/erika" not in text  # no path of the user's computer in the repository
    assert max(len(line) for line in text.splitlines()) <= 100


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
