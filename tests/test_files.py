"""Writes colleagues can read, what is written reads back, comments survive, templates stay in
their folder, clear messages for what shells, editors and git do (issue #11)."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regiotwin import reports, store
from regiotwin.errors import RefusedError
from regiotwin.limits import MAX_BYTES
from regiotwin.models import Partnership
from regiotwin.store import rewrite_record_text, update_partnership
from regiotwin.validation import validated
from regiotwin.writer import NotAFileError, write_atomic
from regiotwin.yamlio import YamlError, parse_bytes, parse_yaml, rewrite_yaml
from tests.conftest import PAIR

P = f"partnerships/{PAIR}"
MEETING = """\
# Protokoll der Sitzung, von Hand ergänzt
id: 2016-07-13-jour-fixe
date: 2016-07-13
# die Uhrzeit stimmt mit der Einladung überein
time: '10:00'
title: Jour fixe
actions:
- what: Angebote einholen  # bis Ende Juli
  # Bernd fragt zwei Firmen
  owner: stadt-b
- what: Entwurf schicken
"""


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and ".regiotwin-cache" not in p.parts)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- files colleagues can read (Why 3) -------------------------------------------------------


def test_written_files_get_the_mode_the_umask_gives(
    repo: Callable[..., Path], run: Callable[..., Result], umask_022: None, tmp_path: Path
) -> None:
    root = repo({"scan.pdf": "%PDF-1.4"})
    os.chmod(root / P / "partnership.yaml", 0o664)
    assert run("measure", "add", "--title", "Schulen", "--owner", "stadt-a").exit_code == 0
    assert run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount", "10",
               "--category", "travel", "--description", "Bahn", "--receipt", "scan.pdf"
               ).exit_code == 0
    assert run("contact", "add", "--partner", "stadt-a", "--name", "Cem Neu").exit_code == 0
    assert run("report", "render", "status", "-o", "status.md").exit_code == 0
    assert run("export", "expenses", "-o", "belege.csv").exit_code == 0
    assert mode(root / P / "measures/schulen.yaml") == 0o644
    assert mode(root / P / "expenses/2016-08-01-stadt-a-bahn.yaml") == 0o644
    assert mode(root / P / "receipts/2016-08-01-stadt-a-bahn.pdf") == 0o644
    assert mode(root / "status.md") == 0o644
    assert mode(root / "belege.csv") == 0o644
    assert mode(root / P / "partnership.yaml") == 0o664  # rewritten, mode kept
    os.chmod(root / "status.md", 0o640)
    assert run("report", "render", "status", "-o", "status.md").exit_code == 0
    assert mode(root / "status.md") == 0o640


def test_the_writer_never_replaces_anything_but_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "target").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    for name in ("folder", "link"):
        with pytest.raises(NotAFileError):
            write_atomic(tmp_path / name, "new", new=False)
    assert (tmp_path / "target").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "link", "target"]


# --- -o (Why 6) -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["folder", "device", "fifo", "no-parent"])
def test_output_refuses_what_is_not_a_file(
    repo: Callable[..., Path], run: Callable[..., Result], kind: str
) -> None:
    root = repo()
    target = {"folder": root / P, "device": Path("/dev/full"), "fifo": root / "pipe",
              "no-parent": root / "nowhere" / "belege.csv"}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    before = target.stat().st_mode if target.exists() else None
    result = run("export", "expenses", "-o", str(target))
    expected = {
        "folder": " is a folder; give a file name",
        "device": " is not a regular file (a device or a pipe); give a file name, or - for stdout",
        "fifo": " is not a regular file (a device or a pipe); give a file name, or - for stdout",
        "no-parent": f": the folder {root / 'nowhere'} does not exist; create it first",
    }[kind]
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1, f"Error: Invalid value for '-o' / '--output': '{target}'{expected}; nothing was "
        "written")
    assert (target.stat().st_mode if target.exists() else None) == before
    assert not (root / "nowhere").exists()


def test_output_dash_is_stdout(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    result = run("export", "expenses", "--format", "rfc4180", "-o", "-")
    assert result.stdout.startswith("Partnerschaft,Nr.,Datum,Partner")
    assert not (root / "-").exists()


# --- what is written can be read (Why 5, 8) --------------------------------------------------


def test_text_that_is_not_utf8_is_refused_naming_the_option(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """A shell loop over a Windows-1252 file passes `Gr\\xfcn` as a surrogate escape."""
    root = repo()
    before = files(root)
    result = run("meeting", "add", "--date", "2016-07-13", "--title", "Gr\udcfcnflächen")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, (
        "Error: Invalid value for '--title': contains bytes that are not UTF-8 (shown as "
        "U+DCFC); convert the text to UTF-8 first; nothing was written"))
    bell = run("meeting", "add", "--date", "2016-07-13", "--agenda", "a\x07b")
    assert (bell.exit_code, bell.stderr.splitlines()[-1]) == (1, (
        "Error: Invalid value for '--agenda': control character U+0007 is not allowed; "
        "nothing was written"))
    assert files(root) == before


def test_non_utf8_arguments_from_a_real_shell_are_refused(repo: Callable[..., Path]) -> None:
    root = repo()
    argv = [sys.executable.encode(), b"-m", b"regiotwin", b"-C", str(root).encode(), b"meeting",
            b"add", b"--date", b"2016-07-13", b"--location", "Gießen".encode("cp1252")]
    done = subprocess.run(argv, capture_output=True)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[-1].startswith(
        "Error: Invalid value for '--location': contains bytes that are not UTF-8")


def test_minutes_larger_than_a_record_can_hold_are_refused(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({"big.md": "x" * (3 * 1024 * 1024)})
    before = files(root)
    for name in ("big.md", "/dev/zero"):
        result = run("meeting", "add", "--date", "2016-07-13", "--minutes-file", name)
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, (
            f"Error: Invalid value for '--minutes-file': {name} is larger than 1 MiB, more than "
            "a record can hold; nothing was written"))
    almost = "y" * (MAX_BYTES - 100)
    (root / "almost.md").write_text(almost + "\n")
    result = run("meeting", "add", "--date", "2016-07-13", "--minutes-file", "almost.md",
                 "--agenda", "z" * 200)
    assert result.exit_code == 1 and "records larger than 1 MiB cannot be read back" in (
        result.stderr)
    assert files(root) == sorted([*before, "almost.md"])


def test_an_absurd_amount_is_a_clean_error(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Why 8: `--amount 1000000000000000000000000000` was an internal error (exit 70)."""
    repo()
    result = run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount",
                 "1000000000000000000000000000", "--category", "travel", "--description", "X")
    assert result.exit_code in (1, 2) and "internal error" not in result.stderr


def test_a_deeply_nested_file_is_a_finding_not_a_crash(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Why 8: `agenda` nested ~500 levels deep (1 KB) broke every command with exit 70."""
    repo({f"{P}/meetings/m.yaml": "id: m\ndate: 2016-07-13\ntitle: T\nagenda: "
                                   + "[" * 500 + "]" * 500 + "\n"})
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (  # why: "…; a record needs a few" was no sentence
        f"{P}/meetings/m.yaml:4: error: values are nested more than 32 levels deep here, far "
        "deeper than any record goes (a few levels); look for brackets [ or { that are never "
        "closed, or indentation that keeps growing")
    budget = run("budget", "status")  # no figures from a pair with errors, and no crash
    assert budget.exit_code == 1
    assert f"{P}/meetings/m.yaml:4: error: values are nested" in budget.stderr
    deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 40))
    with pytest.raises(YamlError, match="nested more than 32 levels"):
        parse_yaml(deep)


# --- names typed on macOS (Why 10) -----------------------------------------------------------


def test_one_name_in_nfd_and_nfc_is_one_contact(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    first = run("contact", "add", "--partner", "stadt-a", "--name", "Jörg Müller")
    assert first.exit_code == 0
    again = run("contact", "add", "--partner", "stadt-a", "--name", "Jo\u0308rg Mu\u0308ller")
    assert (again.exit_code, again.stderr) == (
        1, "error: stadt-a already has a contact named 'Jörg Müller'\n")
    assert "Jo\u0308rg" not in (root / P / "partnership.yaml").read_text()


def test_a_partner_name_in_nfd_matches(repo: Callable[..., Path],
                                       run: Callable[..., Result]) -> None:
    from tests.conftest import PARTNERSHIP

    repo({f"{P}/partnership.yaml": PARTNERSHIP.replace("name: Stadt B", "name: Stadt Gießen Ö")})
    result = run("measure", "add", "--title", "T", "--owner", "Stadt Gießen O\u0308")
    assert result.exit_code == 0, result.stderr


# --- comments survive every rewrite (Why 4) ---------------------------------------------------


def test_meeting_done_keeps_every_comment(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{P}/meetings/2016-07-13-jour-fixe.yaml": MEETING})
    assert run("meeting", "done", "2016-07-13-jour-fixe", "1", "--date", "2016-07-20"
               ).exit_code == 0
    assert (root / P / "meetings/2016-07-13-jour-fixe.yaml").read_text() == MEETING.replace(
        "  owner: stadt-b\n", "  owner: stadt-b\n  done: true\n  done_on: 2016-07-20\n")


def test_contact_add_keeps_every_comment(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    from tests.conftest import PARTNERSHIP

    text = ("# Partnerschaft laut Vereinbarung\n" + PARTNERSHIP.replace(
        "topic: Wärmewende\n", "# das Thema aus dem Antrag\ntopic: Wärmewende  # Arbeitstitel\n"))
    root = repo({f"{P}/partnership.yaml": text})
    assert run("contact", "add", "--partner", "stadt-b", "--name", "Cem Neu").exit_code == 0
    assert (root / P / "partnership.yaml").read_text() == text + "  - name: Cem Neu\n"


def test_measure_set_keeps_every_comment(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    text = ("# Maßnahme aus dem Arbeitsplan\nid: m\n# Titel wie im Antrag\ntitle: M  # kurz\n"
            "owners: [stadt-a]\n# Stand: offen\nstatus: planned\n")
    root = repo({f"{P}/measures/m.yaml": text})
    assert run("measure", "set", "m", "--status", "done", "--due", "2017-01-31").exit_code == 0
    assert (root / P / "measures/m.yaml").read_text() == text.replace(
        "status: planned\n", "status: done\ndue: 2017-01-31\n")


def test_partnership_changes_keep_every_comment(repo: Callable[..., Path]) -> None:
    """The write path later `partnership set` (#12) uses."""
    from tests.conftest import PARTNERSHIP

    text = PARTNERSHIP.replace("partners:\n", "# die beiden Städte\npartners:\n")
    root = repo({f"{P}/partnership.yaml": text})

    def rename(ship: Partnership) -> None:
        ship.title = "Neuer Titel"

    update_partnership(root, PAIR, rename)
    assert (root / P / "partnership.yaml").read_text() == text.replace(
        "title: Stadt A – Stadt B", "title: Neuer Titel")


_comment = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Zs")), max_size=12)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(comments=st.lists(st.tuples(st.integers(0, 12), _comment), max_size=6),
       status=st.sampled_from(["planned", "in-progress", "done", "dropped"]),
       title=st.sampled_from(["M", "Neu: 14:30", "NO", "01234", "a\nb"]))
def test_a_rewrite_keeps_every_comment_wherever_it_is(
    comments: list[tuple[int, str]], status: str, title: str
) -> None:
    from regiotwin.models import Measure

    lines = ["id: m", "title: M", "owners:", "- stadt-a", "- stadt-b", "status: planned",
             "due: 2017-01-31", "planned_cost: 12.50"]
    for position, comment in sorted(comments, reverse=True):
        lines.insert(min(position, len(lines)), f"# {comment}".rstrip())
    text = "\n".join(lines) + "\n"
    current = validated(Measure, parse_yaml(text).data)
    changed = dataclasses.replace(current, status=status, title=title)
    rewritten = rewrite_record_text(text, changed, was=store.record_data(current))
    kept = [line for line in text.splitlines() if line.startswith("#")]
    assert [line for line in rewritten.splitlines() if line.lstrip().startswith("#")] == kept
    assert validated(Measure, parse_yaml(rewritten).data) == changed


def test_removed_keys_and_items_take_only_their_own_comments() -> None:
    """A comment line belongs to what follows it: `# vor b` goes with b, `# nach due` stays
    with status, which it stands above."""
    text = ("id: m\ntitle: T\nowners:\n- a  # erster\n# vor b\n- b  # b am Ende\n# vor c\n- c\n"
            "due: 2017-01-31  # laut Plan\n# nach due\nstatus: done\n")
    was = parse_yaml(text).data
    now = {**was, "owners": ["a", "c"]}
    del now["due"]
    result = rewrite_yaml(text, was, now)
    assert result == ("id: m\ntitle: T\nowners:\n- a  # erster\n# vor c\n- c\n"
                      "# nach due\nstatus: done\n")


def test_crlf_files_stay_crlf(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    path = root / P / "measures/m.yaml"
    path.parent.mkdir()
    path.write_bytes(b"# Kommentar\r\nid: m\r\ntitle: M\r\nowners: [stadt-a]\r\n")
    assert run("measure", "set", "m", "--status", "done").exit_code == 0
    assert path.read_bytes() == (b"# Kommentar\r\nid: m\r\ntitle: M\r\nowners: [stadt-a]\r\n"
                                 b"status: done\r\n")


# --- templates (Why 7) ------------------------------------------------------------------------


def test_a_template_link_leading_out_of_templates_is_refused(
    repo: Callable[..., Path], run: Callable[..., Result], tmp_path: Path
) -> None:
    root = repo({"templates/status.md.j2": '{% include "etc/hostname" %}\n'})
    secret = tmp_path.parent / f"{tmp_path.name}-outside"
    secret.mkdir()
    (secret / "hostname").write_text("geheim\n")
    (root / "templates" / "etc").symlink_to(secret)
    result = run("report", "render", "status")
    assert result.exit_code == 1
    assert "geheim" not in result.stdout + result.stderr
    assert result.stderr == (
        f"templates/status.md.j2:1: error: templates/etc is a link to {secret}, outside "
        "templates/; templates may only use files inside it\n"
        "error: the template could not be rendered (templates/status.md.j2:1)\n")
    (root / "templates" / "status.md.j2").unlink()
    (root / "templates" / "status.md.j2").symlink_to(secret / "hostname")
    linked = run("report", "render", "status")
    assert linked.exit_code == 1 and "geheim" not in linked.stdout + linked.stderr


def test_a_render_is_bounded_in_time(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reports, "RENDER_SECONDS", 0.3)
    repo({"templates/status.md.j2": "{% set r = range(100000) %}\n"
                                     "{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}\n"})
    started = time.monotonic()
    result = run("report", "render", "status")
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert "the template ran longer than 0.3 s and was stopped" in result.stderr


@pytest.mark.parametrize("body", ['{{ "x" * 100000000 }}', "{{ 'x'|center(100000000) }}",
                                  "{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}"])
def test_a_render_is_bounded_in_output(
    repo: Callable[..., Path], run: Callable[..., Result], body: str
) -> None:
    repo({"templates/status.md.j2": body + "\n"})
    result = run("report", "render", "status")
    assert result.exit_code == 1
    assert "the template made more than 8 MiB of text and was stopped" in result.stderr


# --- what editors and git leave in a file (Why 10) --------------------------------------------


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"),
                                                ("utf-32", "UTF-32"), ("utf-16-be", "UTF-16")])
def test_utf16_and_utf32_files_are_named_as_such(encoding: str, name: str) -> None:
    with pytest.raises(YamlError) as info:
        parse_bytes("id: m\ntitle: Gießen\n".encode(encoding))
    assert (info.value.line, info.value.message) == (
        1, f"the file is saved as {name}; save it as UTF-8")


def test_merge_conflict_markers_are_an_unresolved_merge(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({f"{P}/measures/m.yaml": "id: m\n<<<<<<< HEAD\ntitle: Schulen\n=======\n"
                                   "title: Kitas\n>>>>>>> feature\nowners: [stadt-a]\n"})
    assert run("check").stdout.splitlines()[0] == (
        f"{P}/measures/m.yaml:2: error: unresolved merge conflict: git's conflict markers on "
        "lines 2, 4, 6; keep the right lines, remove the markers, then commit")


def test_a_missing_closing_quote_is_reported_where_it_opens() -> None:
    with pytest.raises(YamlError) as info:
        parse_yaml("id: m\ntitle: 'Schulen\nowners: [stadt-a]\nstatus: planned\n")
    assert (info.value.line, info.value.message) == (
        2, "a quoted value starts on this line and is never closed; add the closing quote")


# --- locks (Why 10) ---------------------------------------------------------------------------


def _hold_lock(root: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock; "
         f"lock = FileLock({str(root / '.regiotwin-cache' / (PAIR + '.lock'))!r}); "
         f"lock.acquire(); print('held', flush=True); time.sleep({seconds}); lock.release()"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


@pytest.mark.parametrize("command", [
    ["measure", "set", "m", "--status", "done"],
    ["meeting", "done", "2016-07-13-jour-fixe", "1"],
    ["contact", "add", "--partner", "stadt-a", "--name", "Cem Neu"],
    ["expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount", "10",
     "--category", "travel", "--description", "Bahn"],
    ["meeting", "add", "--date", "2016-07-20"],
])
def test_every_writing_command_says_who_it_waits_for(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
    command: list[str]
) -> None:
    monkeypatch.setattr(store, "LOCK_NOTICE_AFTER", 0.2)
    root = repo({f"{P}/measures/m.yaml": "id: m\ntitle: M\nowners: [stadt-a]\n",
                 f"{P}/meetings/2016-07-13-jour-fixe.yaml": MEETING})
    (root / ".regiotwin-cache").mkdir()
    holder = _hold_lock(root, 0.8)
    result = run(*command)
    holder.wait()
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"another regiotwin process is changing {P}; waiting up to 30 s for it to finish")


def test_a_lock_held_too_long_is_a_clear_refusal(
    repo: Callable[..., Path], run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "LOCK_NOTICE_AFTER", 0.1)
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.4)
    root = repo({f"{P}/measures/m.yaml": "id: m\ntitle: M\nowners: [stadt-a]\n"})
    (root / ".regiotwin-cache").mkdir()
    holder = _hold_lock(root, 2)
    result = run("measure", "set", "m", "--status", "done")
    holder.kill()
    holder.wait()
    assert (result.exit_code, result.stderr) == (1, (
        f"another regiotwin process is changing {P}; waiting up to 0.4 s for it to finish\n"
        f"error: another regiotwin process has been changing {P} for 0.4 s; nothing was "
        "written, try again later\n"))


def test_a_planted_lock_link_is_never_followed(
    repo: Callable[..., Path], run: Callable[..., Result], tmp_path: Path
) -> None:
    root = repo({f"{P}/measures/m.yaml": "id: m\ntitle: M\nowners: [stadt-a]\n"})
    victim = tmp_path.parent / f"{tmp_path.name}-victim"
    victim.write_text("precious\n")
    (root / ".regiotwin-cache").mkdir()
    (root / ".regiotwin-cache" / f"{PAIR}.lock").symlink_to(victim)
    assert run("measure", "set", "m", "--status", "done").exit_code == 0
    assert victim.read_text() == "precious\n"


def test_a_record_linked_from_outside_the_repository_is_not_read(
    repo: Callable[..., Path], run: Callable[..., Result], tmp_path: Path
) -> None:
    root = repo()
    outside = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    outside.write_text("password: hunter2\n")
    (root / P / "measures").mkdir()
    (root / P / "measures" / "m.yaml").symlink_to(outside)
    result = run("check")
    assert "hunter2" not in result.stdout and "password" not in result.stdout
    assert result.stdout.startswith(f"{P}/measures/m.yaml:1: error: a link to a file outside "
                                    "the repository is not read")


def test_refused_change_writes_nothing(repo: Callable[..., Path]) -> None:
    root = repo({f"{P}/measures/m.yaml": "# c\nid: m\ntitle: M\nowners: [stadt-a]\n"})
    before = (root / P / "measures/m.yaml").read_bytes()

    def refuse(measure: object) -> None:
        raise RefusedError("no")

    from regiotwin.models import Measure

    with pytest.raises(RefusedError):
        store.change_record(root, root / P / "measures/m.yaml", Measure, refuse)
    assert (root / P / "measures/m.yaml").read_bytes() == before
    assert json.dumps(files(root))  # nothing else appeared
    assert files(root) == ["partnerships/stadt-a--stadt-b/measures/m.yaml",
                           "partnerships/stadt-a--stadt-b/partnership.yaml", "regiotwin.yaml"]
