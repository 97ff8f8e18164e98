"""Writing records: one file each, stable key order, atomic, never overwriting another record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock
from pydantic import BaseModel, ValidationError

from regiotwin.cache import cache_dir
from regiotwin.errors import DataError, Finding, RefusedError
from regiotwin.loader import CONFIG_NAME, PAIR_FILE, PAIRS_DIR, describe_error, load_file
from regiotwin.models import Contact, Partnership, Programme
from regiotwin.yamlio import RecordExistsError, dump_yaml, write_atomic

LOCK_TIMEOUT = 30.0

GITIGNORE = """\
# regiotwin: its cache and lock files are local, never data
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

M = TypeVar("M", bound=BaseModel)


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


def record_yaml(model: BaseModel) -> str:
    """The YAML text of a record, keys in the model's field order."""
    return dump_yaml(_clean(model.model_dump(mode="python", exclude_none=True)))


def build(model: type[M], data: dict[str, Any], what: str) -> M:
    """Validate data assembled from options; errors name the option-like field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        messages = [describe_error(model, error)[1] for error in exc.errors()]
        raise RefusedError(f"invalid {what}: " + "; ".join(messages)) from None


def write_new(path: Path, model: BaseModel, root: Path) -> None:
    """Create the record's file exclusively; refuse when a file of that name exists."""
    try:
        write_atomic(path, record_yaml(model), new=True)
    except RecordExistsError:
        rel = path.relative_to(root).as_posix()
        raise RefusedError(f"{rel} already exists; nothing was written") from None


def pair_lock(folder: Path) -> FileLock:
    """The lock that serialises read-check-write sequences on one pair (e.g. the cap).

    It lives in the git-ignored cache folder at the root, never among the records; the
    operating system releases it when a process dies, so a crash never blocks the next user.
    """
    root = folder.parent.parent  # <root>/partnerships/<pair>
    return FileLock(str(cache_dir(root) / f"{folder.name}.lock"), timeout=LOCK_TIMEOUT)


# --- repository and partnerships ------------------------------------------------------------


def init_repository(target: Path) -> list[Path]:
    """A new data repository in *target*: settings with the programme defaults and folders."""
    config = target / CONFIG_NAME
    if config.exists():
        raise RefusedError(f"{config} already exists; this is already a regiotwin repository")
    target.mkdir(parents=True, exist_ok=True)
    written = [config]
    write_atomic(config, record_yaml(Programme()), new=True)
    (target / PAIRS_DIR).mkdir(exist_ok=True)
    written.append(target / PAIRS_DIR)
    for name, text in ((".gitignore", GITIGNORE), (".gitattributes", GITATTRIBUTES)):
        path = target / name
        if not path.exists():
            write_atomic(path, text, new=True)
            written.append(path)
    return written


def create_partnership(root: Path, ship: Partnership) -> Path:
    folder = root / PAIRS_DIR / ship.id
    if folder.exists():
        raise RefusedError(f"{PAIRS_DIR}/{ship.id} already exists; choose another --id")
    path = folder / PAIR_FILE
    write_new(path, ship, root)
    return path


def update_partnership(
    root: Path, pair_id: str, change: Callable[[Partnership], None]
) -> Partnership:
    """Re-read partnership.yaml under the pair lock, apply *change*, validate, replace."""
    folder = root / PAIRS_DIR / pair_id
    path = folder / PAIR_FILE
    with pair_lock(folder):
        ship = reload_record(root, path, Partnership)
        change(ship)
        ship = build(Partnership, ship.model_dump(), "partnership")
        replace_record(path, ship)
    return ship


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


def reload_record(root: Path, path: Path, model: type[M]) -> M:
    """Read a record again (inside a lock, right before changing it); invalid files stop here."""
    findings: list[Finding] = []
    loaded = load_file(root, path, model, findings)
    if loaded is None:
        raise DataError(f"{path.relative_to(root).as_posix()} is invalid; fix it first", findings)
    return loaded.model


def replace_record(path: Path, model: BaseModel) -> None:
    """Write a changed record over its file in one atomic step.

    The comment lines at the top of the file are kept; comments further down are lost, since
    the record is written again from its model.
    """
    write_atomic(path, _header_comments(path) + record_yaml(model), new=False)


def _header_comments(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return ""
    header = []
    for line in lines:
        if not line.lstrip().startswith("#"):
            break
        header.append(line if line.endswith("\n") else line + "\n")
    return "".join(header)
