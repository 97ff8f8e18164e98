"""Writing records: one file each, stable key order, atomic, never overwriting another record.

There is one way to change a record (`edit_record`, or `change_record` when only the result
matters): take the pair's lock, read the file again, apply the change, validate, and write it
atomically with every comment kept (or, in a dry run, return the diff). `remove_record` deletes
one the same way; new records go through `write_new`. Writes check that what they write reads
back, through the strict reader and the model, as exactly the record, so the tool never writes
a file it would then refuse.
"""

from __future__ import annotations

import contextlib
import copy
import os
import stat
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from regiotwin.cache import RecordCache, lock_dir
from regiotwin.errors import DataError, Finding, RefusedError
from regiotwin.limits import MAX_BYTES, LimitError, read_capped
from regiotwin.loader import (
    CONFIG_NAME,
    EVENTS_DIR,
    PAIR_FILE,
    PAIRS_DIR,
    Pair,
    describe_error,
    load_pair,
    validate,
)
from regiotwin.models import Contact, Partnership, Programme, Record, dump
from regiotwin.notices import notice
from regiotwin.writer import RecordExistsError, remove_file, write_atomic

LOCK_TIMEOUT = 30.0
LOCK_NOTICE_AFTER = 1.0

GITIGNORE = """\
# regiotwin: its lock files are local, never data
.regiotwin-cache/
*.tmp
"""
GITATTRIBUTES = """\
# one line ending everywhere, so Windows and Linux clones produce the same diffs
*.yaml text eol=lf
*.yml text eol=lf
*.md text eol=lf
*.j2 text eol=lf
# receipts are kept byte for byte: their SHA-256 is recorded with the expense
partnerships/*/receipts/** binary
"""

M = TypeVar("M", bound=Record)


# --- the text of a record -------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """Drop empty lists and `example: false` so files hold only what was said."""
    if isinstance(value, dict):
        return {
            k: _clean(v)
            for k, v in value.items()
            if v != [] and not (k == "example" and v is False)
        }
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def record_data(model: Record) -> dict[str, Any]:
    """What a record's file holds: the model's fields in order, without empty values."""
    data: dict[str, Any] = _clean(dump(model, exclude_none=True))
    return data


def record_yaml(model: Record) -> str:
    """The YAML text of a record, keys in the model's field order."""
    from regiotwin.yamlio import dump_yaml

    return dump_yaml(record_data(model))


def _what(model: Record | type[Record]) -> str:
    kind = model if isinstance(model, type) else type(model)
    return kind.__name__.lower()


def check_readable(text: str, model: Record) -> None:
    """Refuse to write *text* unless the reader takes it back as exactly *model*."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise RefusedError(
            f"the {_what(model)} would be {size} bytes; records larger than 1 MiB cannot be "
            "read back, so nothing was written (shorten the longest text)"
        )
    if not _reads_back(text, model):  # pragma: no cover - the models refuse what cannot be read
        raise RefusedError(f"the {_what(model)} could not be written so that it reads back; "
                           "nothing was written")


def _reads_back(text: str, model: Record) -> bool:
    from regiotwin.yamlio import YamlError, parse_yaml

    try:
        value, problems = validate(type(model), parse_yaml(text), "")
    except YamlError:
        return False
    return value is not None and value == model and _same_data(value, model)


def _same_data(a: Record, b: Record) -> bool:
    from regiotwin.yamlio import written_alike

    return written_alike(record_data(a), record_data(b))


def rewrite_record_text(text: str, model: Record, *, was: Mapping[str, Any] | None = None
                        ) -> str:
    """*text* rewritten to hold *model*, keeping its comments, quoting and layout.

    *was* is the data the text stands for; values equal in *was* and in the model keep their
    text. By default it is what the reader makes of the text, so a value written differently
    from how the tool writes it (`12.5`, a quoted date) is rewritten: what `fmt` wants. The
    result always reads back as exactly *model*; when the comment-keeping merge cannot achieve
    that, the record is written afresh below the file's header comments.
    """
    from regiotwin.yamlio import YamlError, parse_yaml, rewrite_yaml

    now = record_data(model)
    candidate: str | None
    try:
        before = dict(was) if was is not None else parse_yaml(text).data
        candidate = rewrite_yaml(text, before, now)
    except (YamlError, ValueError, TypeError, LookupError, AttributeError):
        candidate = None
    except Exception:  # pragma: no cover - a safety net; the fresh text is the fallback
        candidate = None
    if candidate is None or not _reads_back(candidate, model):
        candidate = _header_comments(text) + record_yaml(model)
    check_readable(candidate, model)
    return candidate


def _header_comments(text: str) -> str:
    header = []
    for line in text.removeprefix("\ufeff").splitlines(keepends=True):
        if not line.lstrip().startswith("#"):
            break
        header.append(line if line.endswith("\n") else line + "\n")
    return "".join(header)


def build(model: type[M], data: dict[str, Any], what: str) -> M:
    """Validate data assembled from options; errors name the option-like field."""
    from regiotwin.validation import ValidationError, errors_of, validated

    try:
        return validated(model, data)
    except ValidationError as exc:
        messages = [describe_error(model, error)[1] for error in errors_of(exc)]
        raise RefusedError(f"invalid {what}: " + "; ".join(messages)) from None
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise RefusedError(f"invalid {what}: {exc}") from None


# --- locks ------------------------------------------------------------------------------------

_held: dict[tuple[str, int], int] = {}


@contextlib.contextmanager
def _lock(root: Path, name: str, what: str) -> Iterator[None]:
    """Serialise read-change-write on *what* across processes; re-entrant within a thread.

    After a second of waiting it says who it waits for and how long, in the same words for
    every command; after LOCK_TIMEOUT it refuses. The operating system releases the lock when
    a process dies, so a crash never blocks the next user.
    """
    path = lock_dir(root) / f"{name}.lock"
    key = (str(path), threading.get_ident())
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    _clear_planted(path)
    from filelock import FileLock, Timeout

    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=LOCK_NOTICE_AFTER)
    except Timeout:
        notice(f"another regiotwin process is changing {what}; "
                f"waiting up to {LOCK_TIMEOUT:g} s for it to finish")
        try:
            lock.acquire(timeout=LOCK_TIMEOUT - LOCK_NOTICE_AFTER)
        except Timeout:
            raise RefusedError(
                f"another regiotwin process has been changing {what} for "
                f"{LOCK_TIMEOUT:g} s; nothing was written, try again later"
            ) from None
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        lock.release()


def _clear_planted(path: Path) -> None:
    """A lock file is an empty regular file we make; a link or anything else there was planted
    (it could point the lock at someone's file) and goes."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        raise RefusedError(f"{path} is a folder; remove it (regiotwin keeps a lock file there)")
    os.unlink(path)


def pair_lock(folder: Path) -> contextlib.AbstractContextManager[None]:
    """The lock of one pair folder (`<root>/partnerships/<pair>`), e.g. for the cap."""
    root = folder.parent.parent
    return _lock(root, folder.name, f"{PAIRS_DIR}/{folder.name}")


def lock_for(root: Path, path: Path) -> contextlib.AbstractContextManager[None]:
    """The lock that covers the record at *path*: its pair's, or the events'."""
    parts = path.relative_to(root).parts
    if len(parts) > 2 and parts[0] == PAIRS_DIR:
        return _lock(root, parts[1], f"{PAIRS_DIR}/{parts[1]}")
    if parts and parts[0] == EVENTS_DIR:
        return _lock(root, "_events", EVENTS_DIR)  # '_' never occurs in a pair's id
    return contextlib.nullcontext()


# --- writing records --------------------------------------------------------------------------


def write_new(path: Path, model: Record, root: Path) -> None:
    """Create the record's file exclusively; refuse when a file of that name exists."""
    text = record_yaml(model)
    check_readable(text, model)
    cache = before_writing(root)
    try:
        with lock_for(root, path):
            write_atomic(path, text, new=True, make_folder=True)
    except RecordExistsError:
        rel = path.relative_to(root).as_posix()
        raise RefusedError(f"{rel} already exists; nothing was written") from None
    remember(cache, path, text, model)


def before_writing(root: Path) -> RecordCache:
    """The record cache, its clock read before a record is written (see `remember`)."""
    cache = RecordCache(root)
    cache.now()
    return cache


def remember(cache: RecordCache, path: Path, text: str, model: Record) -> None:
    """Keep a record just written (as *text*) in the record cache, so that the next command
    finds it without parsing or validating it: a read command after `expense add` needs
    neither PyYAML nor pydantic. Its clock was read before the write, so the entry starts
    racy and the next run compares the file's bytes with it (a change made meanwhile by
    anyone else is read afresh). Only an optimisation: nothing here may fail the command."""
    from regiotwin.cache import Probe
    from regiotwin.loader import WARNED

    with contextlib.suppress(OSError, ValueError, LimitError):
        rel = path.relative_to(cache.root).as_posix()
        info = os.stat(path)
        lines = None
        if type(model) in WARNED:
            from regiotwin.yamlio import line_tree, parse_yaml

            lines = line_tree(parse_yaml(text).node)
        stamp = [info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev]
        cache.store(rel, Probe(stamp), text.encode("utf-8"), model, lines)
        cache.save()


def read_record(root: Path, path: Path, model: type[M]) -> tuple[str, M]:
    """A record's text and model, read now; an invalid file stops here with its findings."""
    from regiotwin.yamlio import parse_bytes

    rel = path.relative_to(root).as_posix()
    try:
        raw = read_capped(path)
        doc = parse_bytes(raw)
    except LimitError as exc:
        finding = Finding(rel, exc.line, "error", exc.message, code="yaml")
        raise DataError(f"{rel} is invalid; fix it first", [finding]) from None
    value, findings = validate(model, doc, rel)
    if value is None:
        raise DataError(f"{rel} is invalid; fix it first", findings)
    return raw.decode("utf-8-sig"), value


def reload_record(root: Path, path: Path, model: type[M]) -> M:
    """Read a record again (inside a lock, right before changing it); invalid files stop here."""
    return read_record(root, path, model)[1]


@dataclass
class Edit(Generic[M]):
    """What changing or removing one record did to its file (or, in a dry run, would do)."""

    rel: str  # the file, relative to the root
    before: str  # its text before
    after: str | None  # its text after; None when the record is removed
    was: M  # the record before
    model: M  # the record after (the removed record, for a removal)
    written: bool  # False in a dry run, and when nothing changed

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self) -> str:
        """The change as a unified diff of the file's text, comments included (git's form)."""
        import difflib

        def lines(text: str) -> list[str]:
            split = text.splitlines(keepends=True)
            if split and not split[-1].endswith("\n"):
                split[-1] += "\n\\ No newline at end of file\n"
            return split

        after = "" if self.after is None else self.after
        target = "/dev/null" if self.after is None else f"b/{self.rel}"
        return "".join(difflib.unified_diff(lines(self.before), lines(after),
                                            fromfile=f"a/{self.rel}", tofile=target))


def edit_record(
    root: Path,
    path: Path,
    model: type[M],
    change: Callable[[M], M | None],
    *,
    dry_run: bool = False,
    edited: tuple[str, str] | None = None,
    publish: Callable[[Path, str], None] | None = None,
) -> Edit[M]:
    """The one way to change a record: lock, read it again, change, validate, write.

    *change* gets a copy of the record as it is on disk now and changes it in place or returns
    a new one; it may raise RefusedError. The file is rewritten keeping its comments; nothing
    is written when the record stays the same, or in a *dry_run*. *edited* is (the text an
    editor was opened with, the text it returned): the new text keeps the returned text's
    layout and comments, and a file that changed meanwhile is refused. *publish* writes the
    new text instead of the atomic writer (a record with a receipt copied in beside it).
    """
    rel = path.relative_to(root).as_posix()
    with lock_for(root, path):
        text, current = read_record(root, path, model)
        if edited is not None and text != edited[0]:
            raise RefusedError(f"{rel} changed while it was open in the editor; nothing was "
                               "written, run the command again")
        draft = copy.deepcopy(current)
        result = change(draft)
        changed = build(model, dump(result if result is not None else draft), _what(model))
        if edited is not None:
            new_text = rewrite_record_text(edited[1], changed)
        elif changed == current and _same_data(changed, current):
            return Edit(rel, text, text, current, changed, False)
        else:
            new_text = rewrite_record_text(text, changed, was=record_data(current))
        if new_text == text or dry_run:
            return Edit(rel, text, new_text, current, changed, False)
        cache = before_writing(root)
        (publish or _replace)(path, new_text)
        remember(cache, path, new_text, changed)
    return Edit(rel, text, new_text, current, changed, True)


def _replace(path: Path, text: str) -> None:
    write_atomic(path, text, new=False)


def change_record(
    root: Path, path: Path, model: type[M], change: Callable[[M], M | None]
) -> M:
    """`edit_record`, for callers that need only the changed record."""
    return edit_record(root, path, model, change).model


def replace_record(root: Path, path: Path, model: Record) -> None:
    """Write a whole changed record over its file (through `change_record`)."""
    change_record(root, path, type(model), lambda _: model)


def remove_record(
    root: Path,
    path: Path,
    model: type[M],
    *,
    refuse: Callable[[M], None] | None = None,
    dry_run: bool = False,
) -> Edit[M]:
    """Remove a record's file: lock, read it again (it must be valid), let *refuse* object
    (it raises RefusedError while other records refer to it), delete."""
    rel = path.relative_to(root).as_posix()
    with lock_for(root, path):
        text, current = read_record(root, path, model)
        if refuse is not None:
            refuse(current)
        if not dry_run:
            remove_file(path)
    return Edit(rel, text, None, current, current, not dry_run)


def reload_pair(root: Path, pair_id: str) -> Pair:
    """A pair's records read now (inside its lock, before a change that depends on the other
    records); a pair with invalid files stops here with their findings."""
    findings: list[Finding] = []
    cache = RecordCache(root)
    pair = load_pair(root, root / PAIRS_DIR / pair_id, findings, cache=cache)
    cache.save()
    errors = [f for f in findings if f.severity == "error"]
    if errors or pair.partnership is None:
        raise DataError(f"pair {pair_id!r} has invalid files; fix them first (run `regiotwin "
                        "check`)", errors)
    return pair


# --- repository and partnerships ------------------------------------------------------------


def init_repository(target: Path) -> list[Path]:
    """A new data repository in *target*: settings with the programme defaults and folders."""
    config = target / CONFIG_NAME
    if config.exists():
        raise RefusedError(f"{config} already exists; this is already a regiotwin repository")
    target.mkdir(parents=True, exist_ok=True)
    written = [config]
    try:
        write_atomic(config, record_yaml(Programme()), new=True)
    except RecordExistsError:
        raise RefusedError(f"{config} already exists; this is already a regiotwin repository"
                           ) from None
    (target / PAIRS_DIR).mkdir(exist_ok=True)
    written.append(target / PAIRS_DIR)
    for name, text in ((".gitignore", GITIGNORE), (".gitattributes", GITATTRIBUTES)):
        path = target / name
        if not path.exists():
            with contextlib.suppress(RecordExistsError):
                write_atomic(path, text, new=True)
                written.append(path)
    return written


def create_partnership(root: Path, ship: Partnership) -> Path:
    folder = root / PAIRS_DIR / ship.id
    path = folder / PAIR_FILE
    with _lock(root, ship.id, f"{PAIRS_DIR}/{ship.id}"):
        if folder.exists():
            raise RefusedError(f"{PAIRS_DIR}/{ship.id} already exists; choose another --id")
        write_new(path, ship, root)
    return path


def update_partnership(
    root: Path, pair_id: str, change: Callable[[Partnership], Partnership | None]
) -> Partnership:
    """Change partnership.yaml through `change_record`."""
    return change_record(root, root / PAIRS_DIR / pair_id / PAIR_FILE, Partnership, change)


def add_contact(root: Path, pair_id: str, partner_ref: str, contact: Contact) -> Partnership:
    def change(ship: Partnership) -> None:
        partner = ship.partner(partner_ref)
        if partner is None:
            known = ", ".join(p.id for p in ship.partners)
            raise RefusedError(f"unknown partner {partner_ref!r} (--partner); partners: {known}")
        if any(c.name == contact.name for c in partner.contacts):
            raise RefusedError(f"{partner.id} already has a contact named {contact.name!r}")
        partner.contacts.append(contact)

    return update_partnership(root, pair_id, change)
