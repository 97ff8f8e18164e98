"""The files around the records that fit a data repository to its users' tools: JSON Schemas
and VS Code settings for editors, a pre-commit configuration, a CI pipeline. `init` writes them;
none of them is ever overwritten, so running `init --ci …` on a repository in use is safe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from regiotwin import __version__
from regiotwin.errors import RefusedError
from regiotwin.loader import CONFIG_NAME
from regiotwin.schema import KINDS, SCHEMA_DIR, schema_files
from regiotwin.store import init_repository
from regiotwin.writer import RecordExistsError, write_atomic

CI_SYSTEMS = ("github", "gitlab")
PIPELINES = {"github": ".github/workflows/regiotwin.yml", "gitlab": ".gitlab-ci.yml"}
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
VSCODE_SETTINGS = ".vscode/settings.json"
VSCODE_EXTENSIONS = ".vscode/extensions.json"
YAML_EXTENSION = "redhat.vscode-yaml"
# pre-commit 4.4 renamed `language: system` to `unsupported` (and warns about the old name)
PRE_COMMIT_MINIMUM = "4.4.0"
PYTHON_IN_CI = "3.12"


@dataclass(frozen=True)
class Placed:
    """A file `init` wrote, or found there already and kept as it was."""

    path: Path
    created: bool
    hint: str = ""  # what the user may want to do about a kept file


def set_up(
    target: Path, *, ci: str | None = None, pre_commit: bool = False, editor: bool = False
) -> list[Placed]:
    """`init`: a new data repository with the editor files, or, in an existing one, the files
    asked for (CI, pre-commit, editor) that are not there yet."""
    files: dict[str, str] = {}
    placed: list[Placed] = []
    if (target / CONFIG_NAME).exists():
        if not (ci or pre_commit or editor):
            raise RefusedError(
                f"{target / CONFIG_NAME} already exists; this is already a regiotwin repository "
                "(to add files to it: --ci github|gitlab, --pre-commit, --editor)"
            )
    else:
        placed += [Placed(path, True) for path in init_repository(target)]
        editor = True
    if editor:
        files.update(editor_files())
    if pre_commit:
        files[PRE_COMMIT_CONFIG] = pre_commit_config()
    if ci:
        files[PIPELINES[ci]] = pipeline(ci)
    for rel, text in files.items():
        path = target / rel
        try:
            write_atomic(path, text, new=True, make_folder=True)
            placed.append(Placed(path, True))
        except RecordExistsError:
            placed.append(Placed(path, False, _hint(rel, path)))
    return placed


def _hint(rel: str, path: Path) -> str:
    if rel != VSCODE_SETTINGS:
        return ""
    try:
        mine = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    if SCHEMA_DIR in mine:
        return ""
    return 'it has no "yaml.schemas" for the schemas: see the README, section Editors'


# --- editors ---------------------------------------------------------------------------------


def editor_files() -> dict[str, str]:
    """The JSON Schemas, and VS Code settings that apply them and recommend the YAML extension."""
    files = {f"{SCHEMA_DIR}/{name}": text for name, text in schema_files().items()}
    files[VSCODE_SETTINGS] = vscode_settings()
    files[VSCODE_EXTENSIONS] = _json({"recommendations": [YAML_EXTENSION]})
    return files


def vscode_settings() -> str:
    """`yaml.schemas` maps each schema to the files of its kind (globs relative to the folder
    opened in VS Code, matched at any depth by the YAML extension)."""
    schemas = {f"./{SCHEMA_DIR}/{kind.file_name}": kind.glob for kind in KINDS.values()}
    return _json({"yaml.schemas": schemas})


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- pre-commit --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hook:
    """One pre-commit hook; `.pre-commit-hooks.yaml` of this repository offers the same ones."""

    id: str
    entry: str
    description: str
    files: str
    pass_filenames: bool


DATA_FILES = r"^(regiotwin\.yaml|partnerships/|events/)"
# exactly the files the loader reads as records (regiotwin.loader.record_model; a test keeps
# them equal): `fmt` refuses any other file, and pre-commit passes it only these
RECORD_FILES = (r"^(regiotwin\.yaml|events/[^/.][^/]*\.yaml|partnerships/[^/.][^/]*/"
                r"(partnership\.yaml|(measures|meetings|decisions|expenses)/[^/.][^/]*\.yaml))$")
HOOKS = (
    # Not --strict: warnings are about the calendar (a meeting gap, a deadline), not about the
    # commit; they must not stop someone from committing the record that fixes them.
    Hook("regiotwin-check", "regiotwin check",
         "Stop a commit that leaves the RegioTwin records invalid (errors; warnings are shown).",
         DATA_FILES, False),
    Hook("regiotwin-fmt", "regiotwin fmt",
         "Tidy hand-edited RegioTwin records (key order, quoting, dates, amounts); keeps comments.",
         RECORD_FILES, True),
)


def pre_commit_config() -> str:
    """`.pre-commit-config.yaml` with the hooks as local hooks: they run the regiotwin on the
    PATH, the one that writes the files, so no download and no repository URL is needed."""
    lines = [
        "# pre-commit (https://pre-commit.com) runs these before every commit, after",
        "# `pre-commit install`; `pre-commit run --all-files` runs them now.",
        f"# Written by `regiotwin init --pre-commit` (regiotwin {__version__}); they run the",
        "# regiotwin on your PATH.",
        f'minimum_pre_commit_version: "{PRE_COMMIT_MINIMUM}"',
        "repos:",
        "  - repo: local",
        "    hooks:",
    ]
    for hook in HOOKS:
        lines += [
            f"      - id: {hook.id}",
            f"        name: {hook.entry}",
            f"        entry: {hook.entry}",
            "        language: unsupported",
            f"        files: '{hook.files}'",
            f"        pass_filenames: {'true' if hook.pass_filenames else 'false'}",
        ]
    return "\n".join(lines) + "\n"


# --- CI --------------------------------------------------------------------------------------



@dataclass(frozen=True)
class InstallSource:
    """Where CI installs regiotwin from: the place the user installed it from (*spec*, for
    pip), or None when CI cannot reach that place or it is not known; *origin* says which."""

    spec: str | None
    origin: str


UNKNOWN = "where regiotwin was installed from is not known"
LOCAL = "regiotwin was installed from a folder or file on this computer, which CI cannot reach"


def install_source() -> InstallSource:
    """The regiotwin that runs, by what pip recorded of its origin (PEP 610 direct_url.json): a
    remote git repository at the installed commit, a downloaded archive, or (no record) a
    package index, pinned to this version. A folder, clone or file on this computer is out of
    CI's reach."""
    from importlib import metadata

    try:
        text = metadata.distribution("regiotwin").read_text("direct_url.json")
        info = json.loads(text) if text is not None else {}
    except (metadata.PackageNotFoundError, ValueError, OSError):
        return InstallSource(None, UNKNOWN)
    if not isinstance(info, dict):
        return InstallSource(None, UNKNOWN)
    if not info:
        return InstallSource(f"regiotwin=={__version__}",
                             "the package index you installed it from")
    url = info.get("url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://", "ssh://")):
        return InstallSource(None, LOCAL)
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        return InstallSource(f"regiotwin @ git+{url}" + (f"@{commit}" if commit else ""),
                             "the git repository and commit you installed it from")
    if isinstance(info.get("archive_info"), dict):
        return InstallSource(f"regiotwin @ {url}", "the archive you installed it from")
    return InstallSource(None, UNKNOWN)


# What a pipeline holds where it cannot know where CI gets regiotwin: pip refuses it and its
# error shows this text, so a push before it is filled in says what to do.
PLACEHOLDER = "FILL IN where CI installs regiotwin from: see the comment above"
EXAMPLE_SPEC = f"regiotwin @ git+https://git.example.org/regiotwin.git@v{__version__}"

_INSTALL_NOTE = (
    'What pip installs: the regiotwin that wrote this file, from {origin}, so that '
    '`schema --check` and `fmt --check` judge the files as your own regiotwin does. Change it '
    'when you upgrade; for a copy of regiotwin kept in git: "{example}".'
)
_PLACEHOLDER_NOTE = (
    'FILL IN what pip installs: {origin}. Write where CI can get the same regiotwin, e.g. '
    '"{example}", or "regiotwin=={version}" from your organisation\'s package index (with '
    'PIP_INDEX_URL in the CI settings). Until then the pipeline stops where it installs '
    'regiotwin.'
)


def _comment(text: str) -> str:
    """*text* as comment lines of the pipeline's variables; quoted examples stay whole."""
    import re
    import textwrap

    kept = re.sub(r'"[^"]*"', lambda m: m.group(0).replace(" ", "\0"), text)
    lines = textwrap.wrap(kept, width=96, initial_indent="  # ", subsequent_indent="  # ",
                          break_long_words=False, break_on_hyphens=False)
    return "\n".join(line.replace("\0", " ") for line in lines)


_GITHUB = """\
# Checks the RegioTwin records on every push and keeps the documents as an artifact
# ("regiotwin-documents" on the run's page). Written by `regiotwin init --ci github`
# (regiotwin {version}).
name: regiotwin

on:
  push:
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

env:
{note}
  REGIOTWIN: "{install}"

# Once regiotwin is installed every step runs, even after one that failed: one push shows
# every problem and keeps every document it could make; a failed step still fails the job.
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: "{python}"
      - name: Install regiotwin
        id: install
        run: python -m pip install "$REGIOTWIN"
      - name: Records are valid (warnings fail too)
        run: regiotwin check --strict
      - name: Records are tidy
        if: {after_install}
        run: regiotwin fmt --check
      - name: Editor schemas are up to date
        if: {after_install}
        run: regiotwin schema --check

  documents:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0  # the whole history: the calendar's revisions come from it
      - uses: actions/setup-python@v6
        with:
          python-version: "{python}"
      - name: Install regiotwin
        id: install
        run: python -m pip install "$REGIOTWIN"
      - name: Reports
        run: mkdir -p reports && regiotwin report render --all -o reports/
      - name: Calendar
        if: {after_install}
        run: regiotwin export calendar -o reports/regiotwin.ics
      - name: Belegliste
        if: {after_install}
        run: regiotwin export expenses -o reports/belegliste.csv
      - uses: actions/upload-artifact@v6
        if: {after_install}
        with:
          name: regiotwin-documents
          path: reports/
          if-no-files-found: error
"""

# GitHub runs a step after a failed one only when its `if` says so.
AFTER_INSTALL = "${{ !cancelled() && steps.install.outcome == 'success' }}"

_GITLAB = """\
# Checks the RegioTwin records on every push and keeps the documents as artifacts (the
# "documents" job's page, Download). Written by `regiotwin init --ci gitlab`
# (regiotwin {version}).
variables:
{note}
  REGIOTWIN: "{install}"
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

default:
  image: python:{python}
  cache:
    paths:
      - .cache/pip
  before_script:
    - python -m pip install "$REGIOTWIN"

stages:
  - check
  - documents

# Every command runs, even after one that failed (`|| failed=1`): one push shows every
# problem and keeps every document it could make; `exit $failed` then fails the job.
check:
  stage: check
  script:
    - failed=0
    - regiotwin check --strict || failed=1
    - regiotwin fmt --check || failed=1
    - regiotwin schema --check || failed=1
    - exit $failed

documents:
  stage: documents
  needs: []
  variables:
    GIT_DEPTH: 0  # the whole history: the calendar's revisions come from it
  script:
    - failed=0
    - mkdir -p reports && regiotwin report render --all -o reports/ || failed=1
    - regiotwin export calendar -o reports/regiotwin.ics || failed=1
    - regiotwin export expenses -o reports/belegliste.csv || failed=1
    - exit $failed
  artifacts:
    name: regiotwin-documents
    when: always
    paths:
      - reports/
    expire_in: 1 year
"""


def pipeline(ci: str) -> str:
    """The CI pipeline for GitHub Actions or GitLab CI: one job checks (strict check, fmt and
    schema), another renders every document. The documents do not wait for the check (a
    warning is an obligation, not broken data); in each job every step runs after a failed
    one (a pair with errors fails `report render --all`, and the other pairs' Belegliste is
    still wanted), the documents are kept, and the job fails at its end."""
    template = {"github": _GITHUB, "gitlab": _GITLAB}[ci]
    source = install_source()
    if source.spec is None:
        install = PLACEHOLDER
        note = _PLACEHOLDER_NOTE.format(origin=source.origin, example=EXAMPLE_SPEC,
                                        version=__version__)
    else:
        install = source.spec.replace("\\", "\\\\").replace('"', '\\"')
        note = _INSTALL_NOTE.format(origin=source.origin, example=EXAMPLE_SPEC)
    return template.format(version=__version__, install=install, note=_comment(note),
                           python=PYTHON_IN_CI, after_install=AFTER_INSTALL)
