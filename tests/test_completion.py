"""Shell completion (issue #12): commands, options and the values that exist, without the
models on the path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from regiotwin.cli import shells
from regiotwin.cli.base import LIST_FORMATS
from regiotwin.terminal import FORMATS
from tests.conftest import copy_example

EXAMPLE = "landkreis-teltow-flaeming--landkreis-giessen"
MEETINGS = sorted(p.stem for p in (Path(__file__).parent.parent / "partnerships" / EXAMPLE
                                   / "meetings").glob("*.yaml"))
BIN = Path(sys.executable).parent


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example in a folder of its own, with a record cache of its own."""
    root = tmp_path / "data"
    root.mkdir()
    copy_example(root)
    monkeypatch.setenv("REGIOTWIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


def complete(words: str, root: Path, shell: str = "bash") -> list[str]:
    """What `regiotwin` answers the completion of *words* (the last one incomplete)."""
    env = {**os.environ, "_REGIOTWIN_COMPLETE": f"{shell}_complete"}
    if shell == "powershell":
        env["COMP_LINE"] = words
    else:
        env["COMP_WORDS"] = words
        env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    if shell == "fish":  # fish gives the incomplete word itself
        env["COMP_CWORD"] = "" if words.endswith(" ") else words.split()[-1]
    done = subprocess.run([sys.executable, "-m", "regiotwin"], cwd=root, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_bash_offers_the_meeting_ids_after_meeting_done(example: Path) -> None:
    """Done when: `regiotwin meeting done <TAB>` in bash offers the pair's meeting ids (the
    script that `completion bash` prints, sourced into a real bash)."""
    bash = shutil.which("bash")
    if bash is None:  # pragma: no cover - bash is part of every CI image we use
        pytest.skip("no bash")
    script = (
        'eval "$(regiotwin completion bash)"\n'
        'COMP_WORDS=(regiotwin meeting done "")\nCOMP_CWORD=3\n'
        "_regiotwin_completion regiotwin\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([bash, "--norc", "--noprofile", "-c", script], cwd=example, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == MEETINGS


def test_bash_gets_names_with_spaces_quoted(example: Path) -> None:
    """bash inserts a completion as it is: a contact's name must come escaped."""
    assert complete("regiotwin contact remove M", example) == ["plain,Max\\\\ Beispiel"]
    bash = shutil.which("bash")
    if bash is None:  # pragma: no cover
        pytest.skip("no bash")
    script = ('eval "$(regiotwin completion bash)"\n'
              "COMP_WORDS=(regiotwin meeting add --participant E)\nCOMP_CWORD=4\n"
              '_regiotwin_completion regiotwin\nprintf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([bash, "--norc", "--noprofile", "-c", script], cwd=example, env=env,
                          capture_output=True, text=True)
    assert done.stdout == "Erika\\ Beispiel\n"


@pytest.mark.parametrize(("words", "offered"), [
    ("regiotwin meeting done 2016-0", ["plain,2016-06-15-auftaktworkshop-regio-twinning",
                                       "plain,2016-06-29-phone-conference",
                                       "plain,2016-07-20-jour-fixe",
                                       "plain,2016-08-17-phone-conference",
                                       "plain,2016-09-14-exkursion-zu-energiesparschulen-im-"
                                       "landkreis-giessen"]),
    ("regiotwin expense add --partner ", ["plain,landkreis-giessen",
                                          "plain,landkreis-teltow-flaeming"]),
    ("regiotwin meeting add --participant ", ["plain,Erika\\\\ Beispiel",
                                              "plain,Max\\\\ Beispiel"]),
    ("regiotwin -p land", [f"plain,{EXAMPLE}"]),
    ("regiotwin decision set 2016-1", ["plain,2016-11-28-energiesparmodell-an-kreiseigenen-"
                                       "schulen"]),
    ("regiotwin decision add --measure energiec", ["plain,energiecontrolling-liegenschaften"]),
    ("regiotwin expense set 2017-06", ["plain,2017-06-07-landkreis-giessen-verpflegung-"
                                       "abschlussworkshop"]),
    ("regiotwin event remove 2017", ["plain,2017-04-05-zweite-regiotwin-vernetzungsveranstaltung"]),
    ("regiotwin measure set --status d", ["plain,done", "plain,dropped"]),
    ("regiotwin meeting li", ["plain,list"]),
    ("regiotwin expense cancel --r", ["plain,--reason"]),
])
def test_values_that_exist_are_offered(example: Path, words: str, offered: list[str]) -> None:
    assert complete(words, example) == offered


MEETING_WITH_TWO = "2016-07-20-jour-fixe"


def _two_actions(root: Path) -> None:
    path = root / "partnerships" / EXAMPLE / "meetings" / f"{MEETING_WITH_TWO}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "example: true", "- what: Bericht schicken\n  due: 2016-08-31\nexample: true"),
        encoding="utf-8")


def test_meeting_done_offers_the_meetings_action_items(example: Path) -> None:
    """Why: `meeting done <ID> <TAB>` offered nothing; the numbers come with their text where
    the shell shows help (zsh, fish, PowerShell's tooltip)."""
    _two_actions(example)
    assert complete("regiotwin meeting done 2016-07-20 ", example) == ["plain,1", "plain,2"]
    assert complete("regiotwin meeting done 2016-07-20-jour-fixe 2", example) == ["plain,2"]
    assert complete("regiotwin meeting done 20.07.2016 ", example, "zsh") == [
        "plain", "1", "[x] Exkursion organisieren", "plain", "2", "[ ] Bericht schicken"]
    assert complete("regiotwin meeting done 2016-07-20 ", example, "fish") == [
        "plain,1\t[x] Exkursion organisieren", "plain,2\t[ ] Bericht schicken"]
    assert complete("regiotwin meeting done 2016-07-20 ", example, "powershell") == [
        "plain\t1\t[x] Exkursion organisieren", "plain\t2\t[ ] Bericht schicken"]
    assert complete("regiotwin meeting set 2016-07-20 --remove-action ", example) == [
        "plain,1", "plain,2"]
    assert complete("regiotwin meeting done 2016 ", example) == [""]  # names no one meeting


def test_expense_ids_and_belegnummern_are_offered(example: Path) -> None:
    """Why: `expense set <TAB>` offered the ids but not the Belegnummern (GI-003) that the
    paper receipts carry."""
    offered = complete("regiotwin expense set ", example)
    assert offered[:10] == [f"plain,{p.stem}" for p in sorted(
        (example / "partnerships" / EXAMPLE / "expenses").glob("*.yaml"))]
    assert offered[10:] == [*(f"plain,GI-00{n}" for n in range(1, 6)),
                            *(f"plain,TF-00{n}" for n in range(1, 6))]
    assert complete("regiotwin expense cancel gi-00", example) == [
        f"plain,GI-00{n}" for n in range(1, 6)]
    assert complete("regiotwin expense set GI-003", example, "zsh") == [
        "plain", "GI-003", "2017-02-20-landkreis-giessen-druck-flyer-kampagne-energiesparen-"
        "im-haushalt"]


def test_partners_come_from_the_cache_without_the_models(example: Path) -> None:
    """The completion path imports neither pydantic nor PyYAML once the cache is warm (the
    first TAB, or any command, fills it)."""
    assert complete("regiotwin expense add --partner ", example)  # a cold cache: filled now
    probe = (
        "import sys\n"
        "from regiotwin.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('pydantic', 'yaml', 'ruamel', 'jinja2', 'rich') "
        "if m in sys.modules)\n"
        "print('imported:', heavy, file=sys.stderr)\n"
    )
    assert complete("regiotwin expense set GI", example)  # the expenses: cold, filled now
    assert complete("regiotwin meeting done 2016-07-20 ", example)  # the meetings, too
    for words in ("regiotwin expense add --partner ", "regiotwin meeting add --participant ",
                  "regiotwin meeting done ", "regiotwin decision set --status ",
                  "regiotwin meeting done 2016-07-20 ", "regiotwin expense set GI",
                  "regiotwin expense cancel "):
        env = {**os.environ, "_REGIOTWIN_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()))}
        done = subprocess.run([sys.executable, "-c", probe], cwd=example, env=env,
                              capture_output=True, text=True, check=True)
        assert done.stdout
        assert done.stderr == "imported: []\n"


def test_a_changed_partnership_is_not_offered_from_a_stale_cache(example: Path) -> None:
    complete("regiotwin expense add --partner ", example)
    pair = example / "partnerships" / EXAMPLE / "partnership.yaml"
    pair.write_text(pair.read_text(encoding="utf-8").replace("- name: Max Beispiel",
                                                             "- name: Moritz Muster"),
                    encoding="utf-8")
    assert complete("regiotwin contact set M", example) == ["plain,Moritz\\\\ Muster"]


def test_powershell_gets_the_same_values(example: Path) -> None:
    assert complete("regiotwin meeting show 2017-06", example, "powershell") == [
        "plain\t2017-06-07-abschlussworkshop"]
    assert complete("regiotwin meeting add --participant ", example, "powershell") == [
        "plain\tErika Beispiel", "plain\tMax Beispiel"]


@pytest.mark.parametrize("shell", shells.SHELLS)
def test_completion_prints_a_script_for_each_shell(run: Callable[..., Result], shell: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    assert "_REGIOTWIN_COMPLETE" in result.stdout
    assert f"{shell}_complete" in result.stdout or shell == "bash"


def test_an_unknown_shell_is_refused(run: Callable[..., Result]) -> None:
    result = run("completion", "tcsh")
    assert result.exit_code == 1
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish', 'powershell'" in result.stderr


def test_the_cli_knows_the_list_formats() -> None:
    """The CLI keeps its own list (so --help needs no rich); they agree."""
    assert LIST_FORMATS == FORMATS


def test_a_cache_of_the_wrong_shape_leaves_completion_as_it_was(example: Path, tmp_path: Path
                                                                ) -> None:
    """A cache entry that is a mapping (not the list the cache writes) made TAB print a
    traceback into the shell (the review of the #16 merge)."""
    import json

    words = "regiotwin expense add --partner "
    offered = complete(words, example)
    assert offered
    for cached in (tmp_path / "cache").rglob("*.json"):
        data = json.loads(cached.read_text(encoding="utf-8"))
        if isinstance(data.get("entries"), dict):
            data["entries"] = {rel: {} for rel in data["entries"]}
            cached.write_text(json.dumps(data), encoding="utf-8")
    env = {**os.environ, "_REGIOTWIN_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()))}
    done = subprocess.run([sys.executable, "-m", "regiotwin"], cwd=example, env=env,
                          capture_output=True, text=True)
    assert (done.returncode, done.stderr, done.stdout.splitlines()) == (0, "", offered)
