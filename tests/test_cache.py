"""The record cache can neither run code nor show stale figures (issue #11, items 1 and 2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from regiotwin import cache as cache_module
from regiotwin import models
from regiotwin.cache import RecordCache, as_json, cacheable, cached_data, rebuild
from regiotwin.errors import Finding
from regiotwin.loader import RECORD_DIRS, load_file
from regiotwin.models import check, dump
from regiotwin.validation import validated
from regiotwin.workspace import Workspace
from tests.conftest import PAIR, PARTNERSHIP

P = f"partnerships/{PAIR}"
SECOND = 1_000_000_000


def cache_files() -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "regiotwin").rglob("*.json"))


def same_model(a: Any, b: Any) -> bool:
    """Equal, and alike in every way a caller could notice: types all the way down."""
    if isinstance(a, models.Record):
        return (type(a) is type(b) and a == b and repr(a) == repr(b)
                and all(same_model(getattr(a, f.name), getattr(b, f.name))
                        for f in dataclasses.fields(a)))
    if isinstance(a, list):
        return type(b) is list and len(a) == len(b) and all(map(same_model, a, b))
    return type(a) is type(b) and a == b and (not isinstance(a, Decimal) or str(a) == str(b))


# --- built without validating again, equal to what validation gives ---------------------------

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)
_money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
_day = st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1))
_records = st.one_of(
    st.builds(lambda d, a, t, p, r: {"kind": "Expense", "data": {
        "id": "e-1", "date": d, "partner": "stadt-a", "category": "travel", "amount": a,
        "description": t, **({"payee": p} if p else {}),
        **({"receipt": {"path": "receipts/x.pdf", "sha256": "a" * 64}} if r else {})}},
        _day, _money, _text, st.none() | _text, st.booleans()),
    st.builds(lambda d, t, actions, agenda: {"kind": "Meeting", "data": {
        "id": "m", "date": d, "title": t, "agenda": agenda,
        "actions": [{"what": w, **({"due": due} if due else {})} for w, due in actions]}},
        _day, _text, st.lists(st.tuples(_text, st.none() | _day), max_size=3),
        st.lists(_text, max_size=3)),
    st.builds(lambda s, c: {"kind": "Partnership", "data": {
        "id": "a--b", "title": "T", "topic": "X", "start": s,
        "partners": [{"id": "a", "name": "A", "contacts": [{"name": n} for n in c]},
                     {"id": "b", "name": "B", "grant_cap": Decimal("500.00")}]}},
        _day, st.lists(_text, max_size=2)),
    st.builds(lambda rate: {"kind": "Programme", "data": {"funding_rate": rate}},
              st.decimals(min_value=Decimal("0.1"), max_value=Decimal(1), places=3)),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(record=_records)
def test_a_record_from_the_cache_is_exactly_the_validated_one(record: dict[str, Any]) -> None:
    """What the cache keeps goes through JSON and comes back without validators, equal to
    what validation gives in value, type, order and nested models."""
    model = getattr(models, record["kind"])
    checked = validated(model, record["data"])
    stored = json.loads(as_json(cached_data(checked)))
    built = rebuild(model, stored)
    assert same_model(built, checked)
    assert dump(built) == dump(checked)
    assert dump(built, mode="json") == dump(checked, mode="json")


def test_every_record_model_can_be_cached() -> None:
    for model in (*RECORD_DIRS.values(), models.Partnership, models.Programme, models.Event):
        assert cacheable(model), model


def test_cached_data_of_the_wrong_shape_is_a_miss_not_a_crash() -> None:
    good = cached_data(models.Measure(id="m", title="T", owners=["a"]))
    assert rebuild(models.Measure, json.loads(as_json(good))) is not None
    names = [f.name for f in dataclasses.fields(models.Measure)]

    def changed(**values: Any) -> list[Any]:
        return [values.get(name, value) for name, value in zip(names, good)]

    for bad in (changed(owners="a"), changed(title=3), changed(needs_decision=1), [*good, 1],
                good[:-1], {"title": "T"}, [], None, changed(due="2016-13-45"),
                changed(status="weird"), changed(planned_cost="abc"),
                changed(effect={"value": "1"}), changed(effect=["1"]),
                changed(effect=["1", "t CO2", "x"])):
        assert rebuild(models.Measure, bad) is None, bad


# --- nothing planted in a repository runs or changes the figures ------------------------------


class _Plant:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (self.marker, "w"))  # unpickling creates the marker file


def test_a_planted_pickle_never_runs(repo: Callable[..., Path], run: Callable[..., Result]
                                     ) -> None:
    """Why 1: a records.pickle committed with `git add -f` ran when the repository was read."""
    root = repo()
    marker = root.parent / "pwned"
    (root / ".regiotwin-cache").mkdir()
    for name in ("records.pickle", "repository.json"):
        (root / ".regiotwin-cache" / name).write_bytes(pickle.dumps(_Plant(str(marker))))
    result = run("check", "--as-of", "2016-07-05")
    assert (result.exit_code, result.stderr) == (0, "no problems found in 2 files\n")
    assert not marker.exists()


def test_a_cache_planted_in_the_repository_changes_no_figure(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """A cache file of the right format planted in the repository is never read: the cache
    lives in the user's cache folder."""
    root = repo({f"{P}/expenses/e.yaml": "id: e\nreceipt_no: 1\ndate: 2016-08-01\n"
                                          "partner: stadt-a\ncategory: travel\namount: 212.80\n"
                                          "description: F\n"})
    assert run("budget", "status", "--json").exit_code == 0
    for cached in cache_files():  # the real cache, copied into the repository with a lie in it
        text = cached.read_text().replace("212.80", "999.99")
        (root / ".regiotwin-cache" / cached.name).write_text(text)
    shutil.rmtree(cache_files()[0].parent)
    total = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert total["total"] == "212.80"


def test_a_cache_of_the_wrong_shape_is_ignored(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Why 8: a cache of the right format but the wrong shape made every command exit 70."""
    repo({f"{P}/expenses/e.yaml": "id: e\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-a\n"
                                   "category: travel\namount: 212.80\ndescription: F\n"})
    first = run("budget", "status", "--json").stdout
    for cached in cache_files():
        data = json.loads(cached.read_text())
        for entry in data["entries"].values():
            entry[4] = {"id": ["not", "text"], "amount": {"x": 1}}
        cached.write_text(json.dumps(data))
    assert run("budget", "status", "--json").stdout == first
    for garbage in ("garbage", {}, {"0": 1}, [None] * 10, [[]] * 10):
        for cached in cache_files():
            data = json.loads(cached.read_text())
            data["entries"] = {rel: garbage for rel in data["entries"]}
            cached.write_text(json.dumps(data))
        assert run("budget", "status", "--json").stdout == first, garbage
    for cached in cache_files():
        cached.write_text('{"format": "regiotwin-record-cache", "entries": [1, 2]}')
    assert run("budget", "status", "--json").stdout == first


# --- stale figures ----------------------------------------------------------------------------


def test_a_same_size_edit_with_its_mtime_restored_is_seen(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Why 2: 212.80 → 912.80 with `touch -r` kept the old total, a clean check and let
    `expense add` book 400 € past the cap."""
    root = repo({f"{P}/expenses/2016-08-01-stadt-a-bahn.yaml":
                 "id: 2016-08-01-stadt-a-bahn\ndate: 2016-08-01\npartner: stadt-a\n"
                 "category: travel\namount: 212.80\ndescription: Bahn\nreceipt_no: 1\n"})
    assert run("budget", "status", "--json").exit_code == 0
    assert run("budget", "status", "--json").exit_code == 0  # now served from the cache
    path = root / P / "expenses/2016-08-01-stadt-a-bahn.yaml"
    before = path.stat()
    path.write_text(path.read_text().replace("212.80", "912.80"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    total = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert total["total"] == "912.80"
    refused = run("expense", "add", "--partner", "stadt-a", "--date", "2016-08-02",
                  "--amount", "900", "--category", "travel", "--description", "Hotel")
    assert refused.exit_code == 1 and "headroom of 487,20 €" in refused.stderr


class _SimulatedDisk:
    """A file system with one-second timestamps whose stat the test controls (FAT, SMB)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.now = 1_500_000_000 * SECOND
        self.meta: dict[str, list[int]] = {}  # name → [mtime, ctime, inode]
        self.next_inode = 100
        self.freed: list[int] = []

    def tick(self) -> int:
        return self.now // SECOND * SECOND

    def stat(self, path: str) -> Any:
        name = os.path.basename(path)
        size = os.stat(path).st_size
        mtime, ctime, inode = self.meta[name]
        return types.SimpleNamespace(st_mtime_ns=mtime, st_ctime_ns=ctime, st_size=size,
                                     st_ino=inode, st_dev=7)

    def write(self, name: str, text: str, *, keep_mtime: bool, reuse_inode: bool) -> None:
        (self.root / name).write_text(text)
        old = self.meta.get(name)
        inode = old[2] if old else (self.freed.pop() if reuse_inode and self.freed
                                    else self._inode())
        mtime = old[0] if old and keep_mtime else self.tick()
        self.meta[name] = [mtime, self.tick(), inode]

    def rename(self, source: str, target: str) -> None:
        os.replace(self.root / source, self.root / target)
        if target in self.meta:
            self.freed.append(self.meta[target][2])
        mtime, _, inode = self.meta.pop(source)
        self.meta[target] = [mtime, self.tick(), inode]

    def delete(self, name: str) -> None:
        (self.root / name).unlink()
        self.freed.append(self.meta.pop(name)[2])

    def _inode(self) -> int:
        self.next_inode += 1
        return self.next_inode


def _variant(strict: bool) -> type[models.Event]:
    """The Event model, or a changed one of the same name (a new validator)."""
    if not strict:
        return models.Event

    @dataclasses.dataclass(kw_only=True, slots=True)
    class Event(models.Event):
        @check("title")
        @classmethod
        def _check_title(cls, title: str) -> str:
            if title == "Bravo":
                raise ValueError("Bravo is no longer allowed")
            return title

    return Event


_NAMES = ("a.yaml", "b.yaml", "c.yaml")
_TITLES = ("Alpha", "Bravo", "Delta", "Gamma")  # one length: every edit keeps the size


class CacheAgainstTheDisk(RuleBasedStateMachine):
    """Random edits, renames, inode reuse, edits within one second and model changes: what
    the cache serves is always what reading the files afresh gives."""

    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="regiotwin-cache-machine-"))
        self.root = self.base / "repo"
        (self.root / "events").mkdir(parents=True)
        self.disk = _SimulatedDisk(self.root / "events")
        self.strict = False
        self.runs = 0

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    @rule(name=st.sampled_from(_NAMES), title=st.sampled_from(_TITLES),
          valid=st.booleans(), keep_mtime=st.booleans(), reuse_inode=st.booleans())
    def write(self, name: str, title: str, valid: bool, keep_mtime: bool,
              reuse_inode: bool) -> None:
        text = f"id: {name[0]}\ndate: 2016-07-01\ntitle: {title}\n"
        if not valid:
            text = text.replace("date:", "dote:")
        self.disk.write(name, text, keep_mtime=keep_mtime, reuse_inode=reuse_inode)

    @rule(source=st.sampled_from(_NAMES), to=st.sampled_from(_NAMES))
    def rename(self, source: str, to: str) -> None:
        if source in self.disk.meta and source != to:
            self.disk.rename(source, to)

    @rule(name=st.sampled_from(_NAMES))
    def delete(self, name: str) -> None:
        if name in self.disk.meta:
            self.disk.delete(name)

    @rule(seconds=st.sampled_from([0.0, 0.2, 0.7, 1.0, 1.6, 2.5]))
    def wait(self, seconds: float) -> None:
        self.disk.now += int(seconds * SECOND)

    @rule()
    def change_the_model(self) -> None:
        self.strict = not self.strict

    @invariant()
    def cached_equals_fresh(self) -> None:
        model = _variant(self.strict)
        cache = RecordCache(self.root, folder=self.base / "cache",
                            fingerprint=f"code-{self.strict}", stat=self.disk.stat,
                            clock=self.disk.tick)
        for name in sorted(self.disk.meta):
            path = str(self.root / "events" / name)
            with_cache: list[Finding] = []
            fresh: list[Finding] = []
            cached = load_file(self.root, path, model, with_cache, cache)
            read = load_file(self.root, path, model, fresh, None)
            assert with_cache == fresh
            assert (cached is None) == (read is None)
            if cached is not None and read is not None:
                assert same_model(cached.model, read.model), name
        cache.save()
        self.runs += 1


CacheAgainstTheDisk.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestCacheAgainstTheDisk = CacheAgainstTheDisk.TestCase


def test_an_edit_in_the_same_second_on_a_coarse_clock_is_seen(tmp_path: Path) -> None:
    """Why 2: on FAT, SMB or HFS+ an edit in the same second as the last run was not seen."""
    root = tmp_path / "repo"
    (root / "events").mkdir(parents=True)
    disk = _SimulatedDisk(root / "events")
    disk.write("a.yaml", "id: a\ndate: 2016-07-01\ntitle: Alpha\n", keep_mtime=False,
               reuse_inode=False)

    def title() -> str:
        cache = RecordCache(root, folder=tmp_path / "cache", fingerprint="x", stat=disk.stat,
                            clock=disk.tick)
        loaded = load_file(root, str(root / "events/a.yaml"), models.Event, [], cache)
        cache.save()
        assert loaded is not None
        return loaded.model.title

    assert title() == "Alpha"
    disk.now += SECOND // 3  # same second: the stat does not change at all
    disk.write("a.yaml", "id: a\ndate: 2016-07-01\ntitle: Bravo\n", keep_mtime=True,
               reuse_inode=False)
    assert title() == "Bravo"
    disk.now += 10 * SECOND
    assert title() == "Bravo"


def test_a_changed_model_never_meets_records_the_old_one_validated(tmp_path: Path) -> None:
    """Why 2: after a change of the models, cached records were served without validation."""
    root = tmp_path / "repo"
    (root / "events").mkdir(parents=True)
    path = root / "events/a.yaml"
    path.write_text("id: a\ndate: 2016-07-01\ntitle: Bravo\n")
    os.utime(path, ns=(0, 10 * SECOND))  # long ago: trusted by its stat alone

    def load(fingerprint: str, model: type[models.Event]) -> list[Finding]:
        cache = RecordCache(root, folder=tmp_path / "cache", fingerprint=fingerprint)
        findings: list[Finding] = []
        load_file(root, str(path), model, findings, cache)
        cache.save()
        return findings

    assert load("old", _variant(False)) == []
    assert load("old", _variant(False)) == []
    assert [f.message for f in load("new", _variant(True))] == [
        "title: Bravo is no longer allowed"]


def test_a_command_about_one_pair_reads_only_that_pairs_cache(
    repo: Callable[..., Path]
) -> None:
    """Issue #16 builds on this: `expense add` in 1,000 pairs costs what it costs in one."""
    other = PARTNERSHIP.replace("stadt-a--stadt-b", "stadt-c--stadt-d")
    root = repo({"partnerships/stadt-c--stadt-d/partnership.yaml": other})
    Workspace(root, root).load_valid()  # every scope cached
    workspace = Workspace(root, root)
    workspace.programme()
    workspace.load_pair(PAIR)
    assert len(workspace.cache._scopes) == 2  # regiotwin.yaml's and the one pair's
    assert len(list(workspace.cache.folder.glob("*.json"))) == 3


def test_an_unchanged_repository_is_checked_without_parser_or_validator(
    repo: Callable[..., Path]
) -> None:
    """Issue #16: a run served from the cache imports neither PyYAML nor pydantic (nor rich,
    writing to a pipe), and its warnings keep their lines (the cache holds where the keys of
    a partnership, a meeting and a measure are)."""
    root = repo({f"{P}/meetings/2016-07-05-jour-fixe.yaml": (
        "id: 2016-07-05-jour-fixe\ndate: 2016-07-05\ntitle: Jour fixe\nactions:\n"
        "- what: Angebote einholen\n  due: 2016-07-20\n")})
    probe = ("import sys\nfrom regiotwin.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('pydantic', 'yaml', 'ruamel', 'rich') "
             "if m in sys.modules), file=sys.stderr)\n")
    runs = [subprocess.run([sys.executable, "-c", probe, "-C", str(root), "check", "--as-of",
                            "2016-12-31"], capture_output=True, text=True) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout
    assert f"{P}/meetings/2016-07-05-jour-fixe.yaml:5: warning: action item 1" in runs[1].stdout
    assert f"{P}/partnership.yaml:" in runs[1].stdout
    assert runs[0].stderr.splitlines()[-1] == "['pydantic', 'yaml']"
    assert runs[1].stderr.splitlines()[-1] == "[]"


def test_a_receipt_is_hashed_once_while_it_stays_as_it_is(
    repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #16: every figure screens the pair, which compares each receipt with the SHA-256
    its expense recorded; a receipt is hashed again only when its stat changes (or is racy),
    as records are read again, and a changed receipt is still found."""
    import hashlib
    import time

    from regiotwin import cache as cache_module
    from regiotwin.checks import screen
    from regiotwin.loader import load_repository

    scan = b"%PDF-1.4 Beleg"
    root = repo({f"{P}/receipts/beleg.pdf": scan.decode(),
                 f"{P}/expenses/e1.yaml": (
                     "id: e1\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-a\n"
                     "category: travel\namount: 12.50\ndescription: Bahn\nreceipt:\n"
                     f"  path: receipts/beleg.pdf\n  sha256: {hashlib.sha256(scan).hexdigest()}\n")})
    hashed: list[str] = []
    real = cache_module.hash_file
    monkeypatch.setattr(cache_module, "hash_file", lambda path: hashed.append(path) or real(path))

    def errors() -> list[str]:
        cache = RecordCache(root, clock=lambda: time.time_ns() + 10 * SECOND)  # not racy
        loaded, findings = load_repository(root, cache)
        return [f.code for f in screen(loaded, findings, [PAIR]).errors[PAIR]]

    assert errors() == [] and len(hashed) == 1
    assert errors() == [] and len(hashed) == 1  # unchanged: not read again
    (root / P / "receipts/beleg.pdf").write_bytes(b"%PDF-1.4 Bel3g")  # same size
    assert errors() == ["receipt-changed"] and len(hashed) == 2


def test_a_record_just_written_is_served_by_the_cache(repo: Callable[..., Path]) -> None:
    """Issue #16: a command after `meeting add` or `expense add` finds the new record in the
    cache (its bytes compared, since it was written just now), with the lines its warnings
    need: it imports neither PyYAML nor pydantic, and says what a fresh read says."""
    root = repo()
    base = [sys.executable, "-m", "regiotwin", "-C", str(root)]
    probe = ("import sys\nfrom regiotwin.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules), "
             "file=sys.stderr)\n")

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", probe, "-C", str(root), "check",
                               "--as-of", "2016-12-31"], capture_output=True, text=True)

    check()  # everything cached
    for args in (["meeting", "add", "--date", "2016-07-05", "--action", "Angebote due 2016-07-20"],
                 ["expense", "add", "--partner", "stadt-a", "--date", "2016-08-01", "--amount",
                  "10", "--category", "travel", "--description", "Bahn"]):
        assert subprocess.run([*base, *args], capture_output=True).returncode == 0
    served = check()
    assert served.stderr.splitlines()[-1] == "[]"
    assert f"{P}/meetings/2016-07-05-jour-fixe.yaml:" in served.stdout
    shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"]) / "regiotwin")  # read afresh
    fresh = check()
    assert fresh.stdout == served.stdout and fresh.stderr.splitlines()[-1] == "['pydantic', 'yaml']"


@pytest.mark.skipif(not cache_module._BY_FOLDER, reason="no stat relative to a folder here")
def test_a_stat_relative_to_its_folder_is_the_stat_of_the_path(tmp_path: Path) -> None:
    """Issue #16: the cache stats each file relative to its open folder; that must be the very
    stat its rules of trust compare (links followed), and a missing file the same error."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.yaml").write_text("id: x\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "y.yaml").write_text("id: yy\n")
    os.symlink(tmp_path / "b" / "y.yaml", tmp_path / "a" / "link.yaml")
    stat = cache_module._FolderStat()
    try:
        for name in ("a/x.yaml", "a/link.yaml", "b/y.yaml", "a/x.yaml"):
            path = os.fspath(tmp_path / name)
            assert cache_module._stamp(stat(path)) == cache_module._stamp(os.stat(path))
        with pytest.raises(FileNotFoundError):
            stat(os.fspath(tmp_path / "a" / "gone.yaml"))
        with pytest.raises(FileNotFoundError):  # a folder that cannot be opened: the path
            stat(os.fspath(tmp_path / "nowhere" / "z.yaml"))
    finally:
        stat.close()
    assert stat.fd is None
