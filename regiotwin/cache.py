"""A cache of validated records, so commands on an unchanged repository skip YAML and pydantic.

Why it looks the way it does:

- **Nothing in it can run code, and nothing in it arrives with a repository.** It is JSON (data
  only, no pickle) kept in the user's cache directory (platformdirs' `user_cache_dir`, or
  `$REGIOTWIN_CACHE_DIR`), in a folder named by a hash of the repository's real path. A cache
  file committed with `git add -f`, zipped along or lying on a shared drive is never read. A
  file that is not JSON of the expected shape, written by other code, or for another
  repository, is ignored entry by entry, never an error: the cache is only an optimisation.
- **One file per scope**: `regiotwin.yaml` with `events/`, and one per pair folder, so a
  command about one pair reads that pair's entries and no other (`expense add` in a
  repository of 1,000 pairs costs what it costs in one of one pair).
- **An entry is trusted only when it cannot be stale**: the file's full stat must match
  (mtime_ns, ctime_ns, size, inode, device: a same-size edit whose mtime a sync tool or
  `touch -r` restored still changes ctime; a new file on a reused inode has a new ctime), and
  the file must not be *racy* in git's sense (Documentation/technical/racy-git.txt): when its
  timestamps lie within the file system's granularity (2 s, FAT) of the moment its entry was
  made, an edit in the same tick would leave the stat unchanged. That moment is read from the
  repository's own file system (the mtime of a file created in `.regiotwin-cache/` before any
  record is looked at), not from this machine's clock: on a network share, files carry the
  server's clock, which is why git compares with the index file's mtime. Otherwise the content
  decides: each entry keeps the SHA-256 of the bytes it was made from, and equal bytes reuse
  the entry (with the new stat and moment, so a racy entry becomes trusted on a later run);
  other bytes are read and validated again. Where no moment can be had (a read-only
  repository) every file is hashed, which is slower but never wrong. Windows reports no
  change time, so there a same-size edit with a restored mtime is seen only when racy (as
  with git).
- **Entries belong to the code that validated them**: each file carries a fingerprint of the
  source of the models and the reader (models.py, validation.py, vocabulary.py, money.py,
  dates.py, slugs.py, limits.py, yamlio.py, loader.py, this module) and of the pydantic and
  Python versions, so a new field or validator never meets records validated by the old one.
- **Unchanged records are not validated again**: an entry holds the model's data as JSON, one
  value per field in the model's order (a list parses twice as fast as a mapping), and the
  model is built from it with the types the model declares (without the validators, and
  without importing pydantic), equal to what validation gives; a value of the wrong type
  makes the entry a miss. The tests prove the equality.

The per-pair lock files stay in the repository's `.regiotwin-cache/` folder (git-ignored):
everyone working on one shared folder must see the same lock, and an empty lock file holds no
data to trust.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import stat as stat_module
import sys
import types
import typing
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, TypeVar, Union

from regiotwin import __version__
from regiotwin.cachedir import records_folder, scope_name
from regiotwin.limits import MAX_BYTES, LimitError, read_capped
from regiotwin.models import Record

CACHE_DIR = ".regiotwin-cache"  # in the repository: the per-pair locks
FORMAT = "regiotwin-record-cache"
FORMAT_VERSION = 4
GRANULARITY_NS = 2_000_000_000  # FAT's two seconds: the coarsest timestamps we meet
_SOURCES = ("models.py", "validation.py", "vocabulary.py", "money.py", "dates.py", "slugs.py",
            "limits.py", "yamlio.py", "loader.py", "cache.py")

M = TypeVar("M", bound=Record)


def lock_dir(root: Path) -> Path:
    """The repository's folder for lock files (`.regiotwin-cache/`), a real folder.

    Like pytest's cache it ignores itself, whatever the repository's own .gitignore says. A
    link or a file planted under that name is removed, never followed.
    """
    folder = root / CACHE_DIR
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        info = None
    if info is not None and not stat_module.S_ISDIR(info.st_mode):
        os.unlink(folder)
        info = None
    if info is None:
        folder.mkdir(exist_ok=True)
        with contextlib.suppress(OSError):
            (folder / ".gitignore").write_text("# created by regiotwin\n*\n")
    return folder


_fingerprint: str | None = None


def code_fingerprint() -> str | None:
    """A hash of the code that reads and validates records; None when its source is missing."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256()
        digest.update(f"{FORMAT_VERSION} {__version__} {sys.version_info[:2]}".encode())
        package = Path(__file__).resolve().parent
        try:
            for name in _SOURCES:
                digest.update(name.encode() + b"\0" + (package / name).read_bytes())
            # pydantic's version without importing it (a cached run never does): the file
            # that holds it (pydantic pins its pydantic-core exactly)
            digest.update((_pydantic_folder() / "version.py").read_bytes())
        except OSError:
            return None
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _pydantic_folder() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        raise OSError("pydantic is not installed")
    return Path(spec.origin).parent


# --- building models from their data without validating again -------------------------------


class _Bad(Exception):
    """Cached data of the wrong shape."""


Decoder = Callable[[Any], Any]
_ABSENT: Any = object()


def _identity(kind: type | tuple[type, ...]) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise _Bad
        return value

    return decode


_TEXT = _identity(str)
_BOOL = _identity(bool)
_INT = _identity(int)
# what the generated builders check inline instead of calling the decoder
_INLINE: dict[Any, str] = {_TEXT: "type({v}) is not str", _BOOL: "type({v}) is not bool",
                           _INT: "type({v}) is not int"}


class _Literal:
    """One of a Literal's values (text): the builders check it inline."""

    __slots__ = ("allowed",)

    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or value not in self.allowed:
            raise _Bad
        return value


class _Optional:
    """`X | None`: None, or what X's decoder makes of the value."""

    __slots__ = ("inner",)

    def __init__(self, inner: Decoder) -> None:
        self.inner = inner

    def __call__(self, value: Any) -> Any:
        return None if value is None else self.inner(value)


# Amounts and dates repeat across records (a year has 365 days): each text is decoded once
# per run and the value shared (both are immutable). The builders look here first.
_DECIMALS: dict[str, Decimal] = {}
_DATES: dict[str, dt.date] = {}
_MEMO_LIMIT = 100_000


def _decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise _Bad
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise _Bad from None
    if len(_DECIMALS) < _MEMO_LIMIT:
        _DECIMALS[value] = amount
    return amount


def _date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise _Bad
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad from None
    if len(_DATES) < _MEMO_LIMIT:
        _DATES[value] = day
    return day


def _datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise _Bad
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad from None


def _decoder_for(annotation: Any) -> Decoder:
    """A function turning the cached JSON of a value back into the value the model holds."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _decoder_for(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = typing.get_args(annotation)
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and len(args) == 2:
            return _Optional(_decoder_for(inner[0]))
        raise TypeError(f"cannot cache {annotation}")
    if origin is list:
        item = _decoder_for(typing.get_args(annotation)[0])

        def decode_list(value: Any) -> list[Any]:
            if not isinstance(value, list):
                raise _Bad
            return [item(v) for v in value]

        return decode_list
    if origin is dict:  # a travel computation's meals by day
        key_type, value_type = typing.get_args(annotation)
        decode_key, decode_value = _decoder_for(key_type), _decoder_for(value_type)

        def decode_dict(value: Any) -> dict[Any, Any]:
            if not isinstance(value, dict):
                raise _Bad
            return {decode_key(k): decode_value(v) for k, v in value.items()}

        return decode_dict
    if origin is Literal:
        return _Literal(frozenset(typing.get_args(annotation)))
    if annotation is Decimal:
        return _decimal
    if annotation is dt.date:
        return _date
    if annotation is dt.datetime:
        return _datetime
    if annotation is str:
        return _TEXT
    if annotation is bool:
        return _BOOL
    if annotation is int:
        return _INT
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return _ModelDecoder.of(annotation)
    raise TypeError(f"cannot cache {annotation}")


class _ModelDecoder:
    """Builds one record class from its cached values (a list, one per field, in order)."""

    _known: dict[type[Record], _ModelDecoder] = {}

    @classmethod
    def of(cls, model: type[Record]) -> _ModelDecoder:
        decoder = cls._known.get(model)
        if decoder is None:
            decoder = cls._known[model] = _ModelDecoder(model)
        return decoder

    def __init__(self, model: type[Record]) -> None:
        self.model = model
        self._known[model] = self  # nested models may refer back
        try:
            types_ = typing.get_type_hints(model, include_extras=True)
            self.names = [f.name for f in dataclasses.fields(model)]  # type: ignore[arg-type]
            self.plan = [(name, _decoder_for(types_[name])) for name in self.names]
            self.encoders = [_encoder_for(types_[name]) for name in self.names]
        except (TypeError, NameError):
            del self._known[model]  # never leave a decoder without `build` behind
            raise
        self.build = self._compile()
        namespace: dict[str, Any] = {f"encode{i}": e for i, e in enumerate(self.encoders)}
        exec("def encode(record):\n    return [" + ", ".join(  # noqa: S102 - our field names
            f"record.{name}" if self.encoders[i] is None else f"encode{i}(record.{name})"
            for i, name in enumerate(self.names)) + "]", namespace)
        self.encode: Callable[[Record], list[Any]] = namespace["encode"]

    def _compile(self) -> Callable[[Any], Record]:
        """A function made for this model from its field list (as dataclasses makes
        `__init__`): one unrolled step per field, the common checks inline. Only field names
        of our own models go into its source, never cached data."""
        namespace: dict[str, Any] = {"_Bad": _Bad, "cls": self.model, "new": object.__new__,
                                     "DATES": _DATES, "DECIMALS": _DECIMALS}
        memo = {_date: "DATES", _decimal: "DECIMALS"}  # a zero amount is decoded each time
        count = len(self.plan)
        values = ", ".join(f"v{i}" for i in range(count)) + ("," if count == 1 else "")
        lines = ["def build(data):",
                 f"    if type(data) is not list or len(data) != {count}:",
                 "        raise _Bad",
                 f"    {values} = data"]
        for i, (name, decode) in enumerate(self.plan):
            if not name.isidentifier():
                raise TypeError(f"cannot cache a field named {name!r}")
            inline = _INLINE.get(decode)
            literal = decode.inner if isinstance(decode, _Optional) else decode
            if isinstance(literal, _Literal):
                namespace[f"allowed{i}"] = literal.allowed  # text only: JSON has no str subclass
                lines += [f"    if {'' if literal is decode else f'v{i} is not None and '}"
                          f"v{i} not in allowed{i}:", "        raise _Bad"]
            elif inline is not None:
                lines += [f"    if {inline.format(v=f'v{i}')}:", "        raise _Bad"]
            elif isinstance(decode, _Optional) and decode.inner in _INLINE:
                check = _INLINE[decode.inner].format(v=f"v{i}")
                lines += [f"    if v{i} is not None and {check}:", "        raise _Bad"]
            elif isinstance(decode, _Optional):
                namespace[f"decode{i}"] = decode.inner
                known = (f"{memo[decode.inner]}.get(v{i}) or " if decode.inner in memo else "")
                lines += [f"    if v{i} is not None:", f"        v{i} = {known}decode{i}(v{i})"]
            else:
                namespace[f"decode{i}"] = decode
                known = f"{memo[decode]}.get(v{i}) or " if decode in memo else ""
                lines.append(f"    v{i} = {known}decode{i}(v{i})")
        lines.append("    record = new(cls)")
        lines += [f"    record.{name} = v{i}" for i, (name, _) in enumerate(self.plan)]
        lines.append("    return record")
        exec("\n".join(lines), namespace)  # noqa: S102 - our own field names only
        build: Callable[[Any], Record] = namespace["build"]
        return build

    def __call__(self, data: Any) -> Record:
        return self.build(data)


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def cached_data(model: Record) -> Any:
    """What the cache keeps of a validated model: its values in field order, as JSON values;
    a nested record a list the same way (a trip's meals are keyed by dates, which no JSON
    encoder turns into keys by itself)."""
    return (_ModelDecoder._known.get(type(model)) or _ModelDecoder.of(type(model))).encode(model)


Encoder = Callable[[Any], Any]


def _encoder_for(annotation: Any) -> Encoder | None:
    """The function that turns a value the model holds into JSON (None: it is JSON as it is,
    text, a number, a flag). The inverse of `_decoder_for`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _encoder_for(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = _encoder_for(next(a for a in typing.get_args(annotation) if a is not type(None)))
        if inner is None:
            return None
        return lambda value: None if value is None else inner(value)
    if origin is list:
        item = _encoder_for(typing.get_args(annotation)[0])
        if item is None:
            return list
        return lambda value: [item(v) for v in value]  # type: ignore[misc]
    if origin is dict:
        key, item = (_encoder_for(a) or _same for a in typing.get_args(annotation))
        return lambda value: {key(k): item(v) for k, v in value.items()}
    if annotation is Decimal:
        return str
    if annotation is dt.datetime:  # a trip time, to the minute
        return lambda value: value.isoformat(" ", "minutes")
    if annotation is dt.date:
        return dt.date.isoformat
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return cached_data
    return None


def _same(value: Any) -> Any:
    return value


def as_json(data: Any) -> str:
    return json.dumps(data, default=_encode, ensure_ascii=True, separators=(",", ":"))


def rebuild(model: type[M], data: Any) -> M | None:
    """The model back from `cached_data`, without validators; None when the data does not fit."""
    decoder = _ModelDecoder._known.get(model)
    try:
        built = (decoder or _ModelDecoder.of(model)).build(data)
    except (_Bad, TypeError, RecursionError):
        return None
    return built  # type: ignore[return-value]


def cacheable(model: type[Record]) -> bool:
    try:
        _ModelDecoder.of(model)
    except TypeError:
        return False
    return True


# --- the cache ----------------------------------------------------------------------------


class Probe:
    """What a lookup learned about a file: its stat, and its bytes when it had to read them."""

    __slots__ = ("stamp", "raw")

    def __init__(self, stamp: list[int], raw: bytes | None = None) -> None:
        self.stamp = stamp
        self.raw = raw


class _Scope:
    """One cache file: `regiotwin.yaml` with `events/`, or one pair folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.seen: set[str] = set()
        self.listed: set[str] = set()
        self.dirty = False


# an entry, flat (it parses faster): [mtime_ns, ctime_ns, size, inode, device, moment,
# sha256, model name, data, lines]; the first five are the file's stat when the entry was
# made, lines the file's yamlio.line_tree (or null)
MOMENT, SHA, MODEL, DATA, LINES = 5, 6, 7, 8, 9


_HASH = "sha256"  # the "model" of an entry that keeps a receipt's hash


def hash_file(path: Any) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry_ok(entry: Any) -> bool:
    if type(entry) is not list or len(entry) != 10:
        return False
    return (all(type(x) is int for x in entry[:5])
            and (entry[MOMENT] is None or type(entry[MOMENT]) is int)
            and isinstance(entry[SHA], str) and len(entry[SHA]) == 64
            and isinstance(entry[MODEL], str))


def _stamp(info: os.stat_result) -> list[int]:
    return [info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev]


# where the system can stat a file relative to an open folder (fstatat: not on Windows)
_BY_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


class _FolderStat:
    """`os.stat` of the files of one folder after another, each relative to its open folder
    (fstatat): the same stat (links followed), without walking the whole path again for each
    of 100,000 files, which costs a third of the time. Falls back to the path where the
    folder cannot be opened."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.fd: int | None = None

    def __call__(self, path: str) -> os.stat_result:
        folder, _, name = path.rpartition(os.sep)
        if folder != self.folder:
            self.close()
            self.folder = folder
            with contextlib.suppress(OSError):
                self.fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        if self.fd is None or not name:
            return os.stat(path)
        return os.stat(name, dir_fd=self.fd)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class RecordCache:
    """The records of one repository that validated cleanly, by file, for the next run.

    Only files that validated cleanly are kept, so every finding comes from a fresh read.
    *folder*, *fingerprint*, *stat* and *clock* exist for tests (a simulated file system).
    """

    def __init__(
        self,
        root: Path,
        *,
        folder: Path | None = None,
        fingerprint: str | None = None,
        stat: Callable[[str], os.stat_result] = os.stat,
        clock: Callable[[], int | None] | None = None,
    ) -> None:
        self.root = root
        self._real_root = os.path.realpath(root)
        self._folder = folder
        self._fingerprint = fingerprint or code_fingerprint()
        self._stat = stat
        self._clock = clock or self._repository_clock
        self._now: int | None = None
        self._clock_read = False
        self._scopes: dict[str, _Scope] = {}
        self._by_folder: dict[str, _Scope] = {}

    # where the cache lives and when "now" is

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = records_folder(self._real_root)
        return self._folder

    def _repository_clock(self) -> int | None:
        """Now, by the clock of the repository's file system (None when it cannot be read)."""
        try:
            name = lock_dir(self.root) / f".clock-{os.getpid()}-{os.urandom(4).hex()}.tmp"
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return None
        try:
            return os.fstat(fd).st_mtime_ns
        finally:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(name)

    def now(self) -> int | None:
        if not self._clock_read:
            self._now = self._clock()
            self._clock_read = True
        return self._now

    def _scope(self, rel: str) -> _Scope:
        folder = rel.rpartition("/")[0]
        scope = self._by_folder.get(folder)
        if scope is None:
            name = scope_name(rel)
            scope = self._scopes.get(name)
            if scope is None:
                scope = self._scopes[name] = _Scope(self.folder / f"{name}.json")
                scope.entries = self._read_scope(scope.path, name)
            self._by_folder[folder] = scope
        return scope

    def _read_scope(self, path: Path, name: str) -> dict[str, Any]:
        if self._fingerprint is None:
            return {}
        try:
            with open(path, "rb") as handle:
                data = json.load(handle)
        except (OSError, ValueError, RecursionError):
            return {}
        if (isinstance(data, dict) and data.get("format") == FORMAT
                and data.get("version") == FORMAT_VERSION
                and data.get("code") == self._fingerprint
                and data.get("root") == self._real_root and data.get("scope") == name
                and isinstance(data.get("entries"), dict)):
            return data["entries"]
        return {}

    # lookups

    def lookup(self, path: str, rel: str, model: type[M]) -> tuple[M | None, Probe]:
        """The cached model of the file at *path* if it cannot be stale, and what was learned.

        Raises OSError when the file cannot be stat-ed (the caller reports it).
        """
        ((_, _, built, _, probe),) = self.lookup_many([(path, rel)], model)
        if probe is None:
            raise OSError(f"cannot stat {path}")
        return built, probe

    def lookup_many(self, files: list[tuple[str, str]], model: type[M]
                    ) -> list[tuple[str, str, M | None, Any, Probe | None]]:
        """`lookup` for many files of one model, as (path, rel, model or None, its lines,
        probe): the probe is None when the file cannot be stat-ed (reading it says why). The
        loop of an unchanged repository: one stat and one build per file, nothing else."""
        if self._fingerprint is None or not cacheable(model):
            return [(path, rel, None, None, self._probe(path)) for path, rel in files]
        if not self._clock_read:
            self.now()  # before any file is looked at (the racy rule)
        stat = _FolderStat() if self._stat is os.stat and _BY_FOLDER else self._stat
        try:
            return self._lookup_all(files, model, stat)
        finally:
            if isinstance(stat, _FolderStat):
                stat.close()

    def _lookup_all(self, files: list[tuple[str, str]], model: type[M],
                    stat: Callable[[str], os.stat_result]
                    ) -> list[tuple[str, str, M | None, Any, Probe | None]]:
        build = _ModelDecoder.of(model).build
        name = model.__name__
        found: list[tuple[str, str, Any, Any, Probe | None]] = []
        folder, scope = None, None
        for path, rel in files:
            try:
                info = stat(path)
            except OSError:
                found.append((path, rel, None, None, None))
                continue
            where = rel.rpartition("/")[0]
            if where != folder or scope is None:
                folder, scope = where, self._by_folder.get(where) or self._scope(rel)
                seen = scope.seen.add
            seen(rel)
            entry: Any = scope.entries.get(rel)
            try:  # the fast path; an entry of the wrong shape falls through to the slow one
                if (type(entry) is list and entry[0] == info.st_mtime_ns
                        and entry[1] == info.st_ctime_ns
                        and entry[2] == info.st_size and entry[3] == info.st_ino
                        and entry[4] == info.st_dev and entry[MODEL] == name
                        and max(entry[0], entry[1]) + GRANULARITY_NS <= entry[MOMENT]):
                    found.append((path, rel, build(entry[DATA]), entry[LINES], None))
                    continue
            except (TypeError, LookupError, _Bad, RecursionError):
                pass
            built, probe = self._by_content(path, model, info, entry, scope)
            lines = entry[LINES] if built is not None else None
            found.append((path, rel, built, lines, probe))
        return found

    def _probe(self, path: str) -> Probe | None:
        try:
            return Probe(_stamp(self._stat(path)))
        except OSError:
            return None

    def _by_content(self, path: str, model: type[M], info: os.stat_result, entry: Any,
                    scope: _Scope) -> tuple[M | None, Probe]:
        """An entry whose stat differs, or that is racy: equal bytes still vouch for it."""
        probe = Probe(_stamp(info))
        if entry is None or not _entry_ok(entry) or entry[MODEL] != model.__name__ \
                or info.st_size > MAX_BYTES:
            return None, probe
        try:
            probe.raw = read_capped(path)
        except LimitError:
            return None, probe
        if hashlib.sha256(probe.raw).hexdigest() != entry[SHA]:
            return None, probe
        built = rebuild(model, entry[DATA])
        now = self.now()
        if built is not None and (entry[:5] != probe.stamp or entry[MOMENT] != now):
            entry[:5], entry[MOMENT] = probe.stamp, now  # the bytes vouch for it from now on
            scope.dirty = True
        return built, probe

    def store(self, rel: str, probe: Probe, raw: bytes, model: Record, lines: Any = None) -> None:
        """Keep a model validated from *raw* (the bytes read after *probe*'s stat), and where
        its keys are (*lines*, a yamlio.line_tree)."""
        if self._fingerprint is None or not cacheable(type(model)):
            return
        self.keep(rel, probe, hashlib.sha256(raw).hexdigest(), model, cached_data(model), lines)

    def keep(self, rel: str, probe: Probe, sha: str, model: Record, data: Any,
             lines: Any = None) -> None:
        """`store`, with the hash of the bytes and the cached values made already (by a
        worker process: regiotwin/parallel.py)."""
        if self._fingerprint is None or not cacheable(type(model)):
            return
        scope = self._scope(rel)
        scope.seen.add(rel)
        scope.entries[rel] = [*probe.stamp, self.now(), sha, type(model).__name__, data, lines]
        scope.dirty = True

    def file_sha256(self, path: str, rel: str) -> str | None:
        """The SHA-256 of a receipt, by the rules records follow: its entry when the file's
        stat vouches for it (and is not racy), else hashed now and kept. None when the file
        is not a regular file (missing, a folder)."""
        info = self._stat(path)
        if not stat_module.S_ISREG(info.st_mode):
            return None
        scope = self._scope(rel)
        scope.seen.add(rel)
        entry: Any = scope.entries.get(rel)
        try:
            if (type(entry) is list and entry[:5] == _stamp(info) and entry[MODEL] == _HASH
                    and max(entry[0], entry[1]) + GRANULARITY_NS <= entry[MOMENT]
                    and type(entry[SHA]) is str):
                digest: str = entry[SHA]
                return digest
        except (TypeError, LookupError):
            pass
        now = self.now()  # before the bytes are read (the racy rule)
        digest = hash_file(path)
        if self._fingerprint is not None:
            scope.entries[rel] = [*_stamp(info), now, digest, _HASH, None, None]
            scope.dirty = True
        return digest

    def listed(self, rel_folder: str) -> None:
        """Every file of *rel_folder* was looked up: entries of files not seen are dropped."""
        scope = self._scope(rel_folder + "/x")
        scope.listed.add(rel_folder)

    def save(self, complete: bool = False) -> None:
        """Write the scopes that changed. After reading the *complete* repository, the cache
        files of pair folders that are gone are removed as well."""
        if self._fingerprint is None:
            return
        from regiotwin.writer import write_atomic

        for name, scope in self._scopes.items():
            for rel in list(scope.entries):
                if rel not in scope.seen and rel.rsplit("/", 1)[0] in scope.listed:
                    del scope.entries[rel]
                    scope.dirty = True
            if not scope.dirty:
                continue
            text = as_json({
                "format": FORMAT, "version": FORMAT_VERSION, "code": self._fingerprint,
                "root": self._real_root, "scope": name, "entries": scope.entries,
            })
            with contextlib.suppress(OSError):
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                write_atomic(scope.path, text, new=False, durable=False, note=False)
                scope.dirty = False
        if complete:
            with contextlib.suppress(OSError):
                for path in self.folder.glob("pair-*.json"):
                    if path.stem not in self._scopes:
                        path.unlink()
