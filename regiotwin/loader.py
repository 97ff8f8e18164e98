"""Read a whole data repository in passes and collect every problem with its place.

Pass 1 parses each file, pass 2 validates each model on its own; the cross-file checks
(references, ids, period, cap, obligations) live in `checks.py` and run on the result.
The loader never prints and never stops at the first problem.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from regiotwin.cache import Probe, RecordCache
from regiotwin.english import plural
from regiotwin.errors import Finding

# the layout lives in regiotwin.layout (no models needed); importable from here as before
from regiotwin.layout import CONFIG_NAME as CONFIG_NAME
from regiotwin.layout import EVENTS_DIR as EVENTS_DIR
from regiotwin.layout import PAIR_FILE as PAIR_FILE
from regiotwin.layout import PAIRS_DIR as PAIRS_DIR
from regiotwin.layout import PLAIN_DIRS as PLAIN_DIRS
from regiotwin.layout import RATES_DIR as RATES_DIR
from regiotwin.layout import RECEIPTS_DIR as RECEIPTS_DIR
from regiotwin.layout import TEXTS_DIR as TEXTS_DIR
from regiotwin.layout import find_root as find_root
from regiotwin.limits import LimitError, read_capped
from regiotwin.models import (
    Decision,
    Event,
    Expense,
    Measure,
    Meeting,
    Partnership,
    Programme,
    Record,
    Rules,
)

# the kinds the obligations (warnings, made on every run) point into: their lines are kept, in
# the record cache too, so that the warnings of an unchanged repository need no parser
WARNED: tuple[type[Record], ...] = (Partnership, Meeting, Measure)

RECORD_DIRS: dict[str, type[Record]] = {
    "measures": Measure,
    "meetings": Meeting,
    "decisions": Decision,
    "expenses": Expense,
}

if TYPE_CHECKING:
    from regiotwin.yamlio import Document

M = TypeVar("M", bound=Record)


@dataclass(slots=True)
class Loaded(Generic[M]):
    """A valid model together with the file it came from (for `path:line` findings)."""

    model: M
    path: str  # relative to the root, forward slashes
    doc: Document | None  # parsed again on demand, only for records that have findings
    root: Path | None = None
    # where its keys are (yamlio.line_tree), kept for the kinds obligations point into
    lines: Any = None
    _stem: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def stem(self) -> str:
        """The file name without .yaml (made when first asked: 100,000 records are loaded)."""
        stem = self._stem
        if stem is None:
            stem = self._stem = self.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        return stem

    def line(self, *loc: int | str) -> int:
        if self.lines is not None:
            from regiotwin.lines import line_in

            try:
                return line_in(self.lines, loc)
            except (TypeError, ValueError):  # not a line tree: a cache file of another shape
                self.lines = None
        if self.doc is None:
            from regiotwin.yamlio import YamlError, read_yaml

            assert self.root is not None
            try:
                self.doc = read_yaml(self.root / self.path)
            except YamlError:
                return 1  # changed under our feet; the next run reports it properly
        return self.doc.line_of(loc)


@dataclass
class Pair:
    """One twinning pair's folder; `partnership` is None when its file is invalid.

    `broken` holds, per record folder, the ids (file stems) of the files that exist but did
    not load: such a record is still known, so that nothing else is reported as referring to
    an unknown record, or missing, because of it."""

    id: str
    folder: Path
    partnership: Loaded[Partnership] | None = None
    measures: list[Loaded[Measure]] = field(default_factory=list)
    meetings: list[Loaded[Meeting]] = field(default_factory=list)
    decisions: list[Loaded[Decision]] = field(default_factory=list)
    expenses: list[Loaded[Expense]] = field(default_factory=list)
    broken: dict[str, set[str]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"{PAIRS_DIR}/{self.id}"

    def records(self, kind: str) -> list[Loaded[Any]]:
        records: list[Loaded[Any]] = getattr(self, kind)
        return records


@dataclass
class Repository:
    root: Path
    programme: Programme
    pairs: dict[str, Pair] = field(default_factory=dict)
    events: list[Loaded[Event]] = field(default_factory=list)
    broken_events: set[str] = field(default_factory=set)  # ids of event files that did not load
    # the record cache it was read through, which also keeps the receipts' hashes
    cache: RecordCache | None = field(default=None, repr=False, compare=False)


# --- validation messages ---------------------------------------------------------------------


def _field_path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _model_fields(model: type[Record], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the (nested) model that *loc* points into, for 'did you mean'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not _is_record(current):
            continue
        annotation = _field_types(current).get(str(part))
        if annotation is None:
            return []
        current = _inner_model(annotation)
    if _is_record(current):
        return list(_field_types(current))
    return []


@functools.cache
def _field_types(model: type[Record]) -> dict[str, Any]:
    """Each field's annotation, in order, resolved (a module written with `from __future__
    import annotations`, as travel.py is, holds them as text)."""
    hints = typing.get_type_hints(model, include_extras=True)
    kind: Any = model  # every record class is a dataclass
    return {f.name: hints[f.name] for f in dataclasses.fields(kind)}


def _is_record(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Record)


def _inner_model(annotation: Any) -> Any:
    """The model inside an annotation like `Receipt | None` or `list[ActionItem]`."""
    if _is_record(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def describe_error(model: type[Record], error: Any) -> tuple[tuple[int | str, ...], str]:
    """A pydantic error as (location, plain-English message)."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    kind = error["type"]
    name = _field_path(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _model_fields(model, loc[:-1])
        import difflib  # only for a file with an unknown key

        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        if not close and known:
            hint = f"; known keys: {', '.join(known)}"
        return loc, f"unknown key {key!r}{hint}"
    if kind == "missing":
        return loc, f"missing required key {name!r}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return loc, f"{name}: {error['input']!r} is not allowed; use one of {expected}"
    plain = _plain_message(model, loc, kind, error)
    if plain is not None:
        return loc, f"{name}: {plain}" if name else plain
    message = str(error["msg"]).removeprefix("Value error, ")
    if message.startswith("Input should be "):  # a kind without words of its own yet
        message = f"must be {message.removeprefix('Input should be ')} (got {error['input']!r})"
    return loc, f"{name}: {message}" if name else message


# what a field with a pattern holds, in words (by the field's name)
_FORMS = {
    "receipt_prefix": "a Belegnummer prefix (letters and digits, up to 8 in a part, at most "
                      "three parts joined by '-', like TF or LK-TF)",
    "sha256": "a SHA-256 (64 characters 0-9 and a-f, as `expense add` writes it)",
}


def _plain_message(model: type[Record], loc: tuple[int | str, ...], kind: str,
                   error: Any) -> str | None:
    """pydantic's message for the kinds of error a user meets, in our words: what was written
    and what the field allows (its range, its form). None: a message of our own validators."""
    value = error.get("input")
    shown = repr(value) if isinstance(value, str) else str(value)
    ctx = error.get("ctx", {})
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        size = "small" if kind.startswith("greater") else "large"
        return f"{shown} is too {size}; it must be {_range(_constraints(model, loc) or ctx)}"
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        if isinstance(value, str) or not ctx.get("actual_length"):
            entries = "" if isinstance(value, str) else (
                f"; it needs at least {plural(least, 'entry', 'entries')}")
            return f"must not be empty{entries}" if least == 1 or entries else (
                f"{shown} is too short; it needs at least {least} characters")
        return (f"has {plural(ctx['actual_length'], 'entry', 'entries')}; it needs at least "
                f"{least}")
    if kind in ("too_long", "string_too_long"):
        return f"is too long; it may have at most {ctx.get('max_length')}"
    if kind == "bool_parsing":
        return f"{shown} is neither true nor false; write true or false"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        if isinstance(value, str) and value.strip().isdigit():
            return f"{shown} is not a whole number; write it without quotes, like {value.strip()}"
        return f"{shown} is not a whole number"
    if kind in ("decimal_parsing", "decimal_type"):
        return f"{shown} is not a number; write it like 0.8"
    if kind == "string_pattern_mismatch":
        form = _FORMS.get(str(loc[-1]) if loc else "", "in the form this key takes")
        return f"{shown} is not {form}"
    words = {"list_type": "a list", "dict_type": "a mapping of keys to values",
             "model_type": "a mapping of keys to values",
             "model_attributes_type": "a mapping of keys to values",
             "string_type": "text", "bool_type": "true or false"}
    if kind in words:
        return f"must be {words[kind]} (got {value!r})"
    return None


def _constraints(model: type[Record], loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The bounds (gt, ge, lt, le) of the field *loc* points to, from its annotations."""
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        if not _is_record(current):
            return {}
        info = _field_types(current).get(str(part))
        if info is None:
            return {}
        current = _inner_model(info)
    if info is None:
        return {}
    found: dict[str, Any] = {}
    for item in _metadata([info]):
        for key in ("gt", "ge", "lt", "le"):
            bound = getattr(item, key, None)
            if bound is not None:
                found.setdefault(key, bound)
    return found


def _metadata(items: list[Any]) -> Iterator[Any]:
    """Every constraint object inside *items*: annotated-types bounds, and those inside a
    Field(...) or an Annotated[...] (also within `X | None`)."""
    for item in items:
        yield item
        if isinstance(item, Rules):  # pydantic's metadata, made as a validator makes it
            yield from _metadata(list(item.make()))
        inner = getattr(item, "metadata", None)
        if isinstance(inner, list):
            yield from _metadata(inner)
        yield from _metadata(list(getattr(item, "__metadata__", ())))
        yield from _metadata([a for a in getattr(item, "__args__", ()) if a is not type(None)])


def _range(bounds: dict[str, Any]) -> str:
    """`more than 0 and at most 1`, `from 1 to 60`, `1 or more`."""
    if "ge" in bounds and "le" in bounds:
        return f"from {bounds['ge']} to {bounds['le']}"
    words = []
    if "gt" in bounds:
        words.append(f"more than {bounds['gt']}")
    if "ge" in bounds:
        words.append(f"{bounds['ge']} or more")
    if "lt" in bounds:
        words.append(f"less than {bounds['lt']}")
    if "le" in bounds:
        words.append(f"at most {bounds['le']}")
    return " and ".join(words)


def validate(model: type[M], doc: Document, path: str) -> tuple[M | None, list[Finding]]:
    from regiotwin.validation import ValidationError, errors_of, validated

    try:
        return validated(model, doc.data), []
    except ValidationError as exc:
        findings = []
        for error in errors_of(exc):
            loc, message = describe_error(model, error)
            findings.append(Finding(path, doc.line_of(loc), "error", message, code="schema"))
        return None, findings
    except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
        # a validator met a value it has no rule for (a number too large for Decimal's
        # context, say): an error in the file, never a crash
        return None, [Finding(path, 1, "error", f"a value cannot be read ({exc})",
                              code="schema")]


# --- loading ---------------------------------------------------------------------------------


def _rel(root: Path, path: Path | str) -> str:
    """Path relative to the root with forward slashes (plain string work: it runs per file)."""
    text = os.fspath(path)
    base = os.fspath(root)
    if text.startswith(base + os.sep):
        return text[len(base) + 1 :].replace(os.sep, "/")
    return Path(text).relative_to(root).as_posix()


def _yaml_files(root: Path, folder: Path, findings: list[Finding], *,
                yml: bool = False) -> list[tuple[str, str]]:
    """The record files of a folder in name order, as (path, path relative to the root), from
    one listing; hidden and temporary files are skipped, and a link that leads out of the
    repository is refused (it could show another file's text). With *yml*, a `.yml` file is
    a warning: it is never read, and a record should not be silently ignored."""
    names: list[str] = []
    links: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not name.startswith("."):
                    names.append(name)
                    if entry.is_symlink():
                        links.add(name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names.sort()
    base = os.fspath(folder) + os.sep
    rel_base = _rel(root, folder) + "/"
    if yml:
        findings.extend(Finding(rel_base + name, 1, "warning",
                                "ignored: record files must end in .yaml; rename it",
                                code="yml-ignored")
                        for name in names if name.endswith(".yml"))
    if not links:  # the common case, 100,000 files: no link to look into
        return [(base + name, rel_base + name) for name in names if name.endswith(".yaml")]
    files = []
    for name in names:
        if not name.endswith(".yaml"):
            continue
        path = base + name
        if name in links and not _inside(root, path):
            findings.append(Finding(rel_base + name, 1, "error",
                                    "a link to a file outside the repository is not read; "
                                    "put the record itself here", code="link-outside"))
            continue
        files.append((path, rel_base + name))
    return files


def _inside(root: Path, path: str) -> bool:
    real_root = os.path.realpath(root)
    return os.path.realpath(path).startswith(real_root + os.sep)


def load_file(
    root: Path,
    path: Path | str,
    model: type[M],
    findings: list[Finding],
    cache: RecordCache | None = None,
    rel: str | None = None,
) -> Loaded[M] | None:
    """Parse and validate one file, appending its problems to *findings*."""
    if rel is None:
        rel = _rel(root, path)
    loaded = load_files(root, [(os.fspath(path), rel)], model, findings, cache)
    return loaded[0] if loaded else None


def load_files(root: Path, files: list[tuple[str, str]], model: type[M],
               findings: list[Finding], cache: RecordCache | None = None) -> list[Loaded[M]]:
    """The valid records of *files* (path, path relative to the root): from *cache* when
    their files have not changed, else parsed and validated (problems go to *findings*)."""
    step = _Step(model, files, findings)
    _read_steps(root, [step], cache, parallel=False)
    return step.records


@dataclass
class _Step:
    """The files of one folder and kind, in order, as the loader reads them: their records,
    and their findings (the listing's first, then each file's in order)."""

    model: type[Record]
    files: list[tuple[str, str]]
    findings: list[Finding] = field(default_factory=list)
    records: list[Loaded[Any]] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # stems of the files that did not load


def _read_steps(root: Path, steps: list[_Step], cache: RecordCache | None,
                parallel: bool) -> None:
    """Every step's records: first all that the cache holds, then the rest read afresh, in
    worker processes when there are enough of them (*parallel*) and in this one otherwise,
    with the same records and findings in the same order either way."""
    slots: list[list[Loaded[Any] | None]] = []
    pending: list[tuple[int, int, str, str, Probe | None]] = []  # step, file, path, rel, probe
    for number, step in enumerate(steps):
        looked = (cache.lookup_many(step.files, step.model) if cache is not None
                  else [(path, rel, None, None, None) for path, rel in step.files])
        row: list[Loaded[Any] | None] = []
        for index, (path, rel, built, lines, probe) in enumerate(looked):
            row.append(Loaded(built, rel, None, root, lines) if built is not None else None)
            if built is None:
                pending.append((number, index, path, rel, probe))
        slots.append(row)
    read: list[tuple[Loaded[Any] | None, list[Finding]]] | None = None
    if parallel and pending:
        from regiotwin.parallel import read_in_workers

        read = read_in_workers(root, [(path, rel, steps[number].model, probe)
                                      for number, _, path, rel, probe in pending], cache)
    if read is None:
        read = [_read_one(root, path, rel, steps[number].model, cache, probe)
                for number, _, path, rel, probe in pending]
    problems_of: list[list[list[Finding]]] = [[] for _ in steps]  # in file order
    for (number, index, _, _, _), (loaded, problems) in zip(pending, read):
        slots[number][index] = loaded
        if problems:
            problems_of[number].append(problems)
    for number, step in enumerate(steps):
        for problems in problems_of[number]:
            step.findings.extend(problems)
        step.records = [loaded for loaded in slots[number] if loaded is not None]
        step.broken = {_stem(rel) for (_, rel), loaded in zip(step.files, slots[number])
                       if loaded is None}


def _read_one(root: Path, path: str, rel: str, model: type[M], cache: RecordCache | None,
              probe: Probe | None) -> tuple[Loaded[M] | None, list[Finding]]:
    """One file read afresh in this process, kept in the cache when valid."""
    findings: list[Finding] = []
    value, lines, raw = parsed(path, rel, model, findings, probe.raw if probe else None)
    if value is None:
        return None, findings
    if cache is not None and probe is not None and raw is not None:
        cache.store(rel, probe, raw, value, lines)
    return Loaded(value, rel, None, root, lines), findings


def parsed(path: str, rel: str, model: type[M], findings: list[Finding],
           raw: bytes | None = None) -> tuple[M | None, Any, bytes | None]:
    """A file's record, where its keys are (for the kinds warnings point into) and its bytes
    (*raw*, when the cache read them already, is reused); problems go to *findings*."""
    # imported here: a run served from the record cache never needs PyYAML
    from regiotwin.yamlio import line_tree, parse_bytes

    try:
        if raw is None:
            raw = read_capped(path)
        doc = parse_bytes(raw)
    except LimitError as exc:  # YamlError is one too
        findings.append(Finding(rel, exc.line, "error", exc.message, code="yaml"))
        return None, None, raw
    value, problems = validate(model, doc, rel)
    findings.extend(problems)
    if value is None:
        return None, None, raw
    # The node tree is not kept: 10,000 of them make every garbage collection slow; where the
    # keys are is kept for the kinds the obligations point into (line_tree, plain data).
    return value, line_tree(doc.node) if model in WARNED else None, raw


def load_programme(
    root: Path, findings: list[Finding], cache: RecordCache | None = None
) -> Programme:
    """The settings; a missing or invalid file falls back to the defaults (with its finding)."""
    loaded = load_file(root, root / CONFIG_NAME, Programme, findings, cache)
    return loaded.model if loaded else Programme()


def load_pair(
    root: Path,
    folder: Path,
    findings: list[Finding],
    kinds: tuple[str, ...] = tuple(RECORD_DIRS),
    cache: RecordCache | None = None,
) -> Pair:
    """A pair folder's records; *kinds* limits which record folders are read."""
    pair = Pair(id=folder.name, folder=folder)
    steps = _pair_steps(root, pair, kinds, cache)
    _read_steps(root, steps, cache, parallel=False)
    _place(pair, steps, kinds, findings)
    return pair


def _pair_steps(root: Path, pair: Pair, kinds: tuple[str, ...],
                cache: RecordCache | None) -> list[_Step]:
    """What to read of a pair folder, in order: partnership.yaml, then each record folder."""
    pair_file = pair.folder / PAIR_FILE
    first = _Step(Partnership, [])
    if pair_file.is_file():
        first.files.append((os.fspath(pair_file), _rel(root, pair_file)))
    else:
        first.findings.append(
            Finding(_rel(root, pair.folder), 0, "error", f"the pair folder has no {PAIR_FILE}",
                    code="no-partnership")
        )
    steps = [first]
    for kind in kinds:
        step = _Step(RECORD_DIRS[kind], [])
        step.files = _yaml_files(root, pair.folder / kind, step.findings, yml=True)
        steps.append(step)
        if cache is not None:
            cache.listed(_rel(root, pair.folder / kind))
    return steps


def _place(pair: Pair, steps: list[_Step], kinds: tuple[str, ...],
           findings: list[Finding]) -> None:
    """The records and findings of `_pair_steps`, read, into the pair and *findings*."""
    first, *rest = steps
    pair.partnership = first.records[0] if first.records else None
    findings.extend(first.findings)
    for kind, step in zip(kinds, rest):
        pair.records(kind).extend(step.records)
        if step.broken:
            pair.broken.setdefault(kind, set()).update(step.broken)
        findings.extend(step.findings)


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".yaml")


def pair_folders(root: Path) -> list[Path]:
    """The pair folders, in name order, from one listing (a folder entry needs no stat of its
    own: 1,000 pairs cost one scandir)."""
    base = root / PAIRS_DIR
    try:
        with os.scandir(base) as entries:
            names = sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [base / name for name in names]


def record_model(rel: str) -> type[Record] | None:
    """The model of the record file at *rel* (relative to the root, forward slashes), or None
    when the loader reads no record there (the files `record_files` lists)."""
    parts = rel.split("/")
    name = parts[-1]
    if not name.endswith(".yaml") or name.startswith("."):
        return None
    if parts == [CONFIG_NAME]:
        return Programme
    if len(parts) == 2 and parts[0] == EVENTS_DIR:
        return Event
    if len(parts) in (3, 4) and parts[0] == PAIRS_DIR and not parts[1].startswith("."):
        if len(parts) == 3:
            return Partnership if name == PAIR_FILE else None
        return RECORD_DIRS.get(parts[2])
    return None


def record_files(root: Path, findings: list[Finding]) -> list[tuple[str, str, type[Record]]]:
    """Every record file of the repository as (path, path relative to the root, model), in the
    order the loader reads them; a link that leads out of the repository is a finding."""
    files: list[tuple[str, str, type[Record]]] = []
    if (root / CONFIG_NAME).is_file():
        files.append((os.fspath(root / CONFIG_NAME), CONFIG_NAME, Programme))
    for folder in pair_folders(root):
        if (folder / PAIR_FILE).is_file():
            files.append((os.fspath(folder / PAIR_FILE), _rel(root, folder / PAIR_FILE),
                          Partnership))
        for kind, model in RECORD_DIRS.items():
            files.extend((path, rel, model)
                         for path, rel in _yaml_files(root, folder / kind, findings))
    files.extend((path, rel, Event)
                 for path, rel in _yaml_files(root, root / EVENTS_DIR, findings))
    return files


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Loading builds many small objects and no cycles; collecting while it runs costs a third
    of the time on 10,000 records for nothing. What was loaded is frozen afterwards (moved out
    of the collector's sight), so the first collection after the load does not walk it all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load_repository(
    root: Path, cache: RecordCache | None = None, *, parallel: bool = True
) -> tuple[Repository, list[Finding]]:
    """Every file of the repository, parsed and validated; problems are returned, not raised.

    Records come from *cache* when their files have not changed (a fresh cache by default);
    the others are read in worker processes when there are many (*parallel*).
    """
    with paused_gc():
        return _load_repository(root, cache or RecordCache(root), parallel)


def _load_repository(root: Path, cache: RecordCache,
                     parallel: bool) -> tuple[Repository, list[Finding]]:
    findings: list[Finding] = []
    repo = Repository(root=root, programme=load_programme(root, findings, cache), cache=cache)
    kinds = tuple(RECORD_DIRS)
    pairs = [Pair(id=folder.name, folder=folder) for folder in pair_folders(root)]
    steps = [_pair_steps(root, pair, kinds, cache) for pair in pairs]
    events = _Step(Event, [])
    events.files = _yaml_files(root, root / EVENTS_DIR, events.findings)
    cache.listed(EVENTS_DIR)
    _read_steps(root, [step for group in steps for step in group] + [events], cache, parallel)
    for pair, group in zip(pairs, steps):
        _place(pair, group, kinds, findings)
        repo.pairs[pair.id] = pair
    repo.events = events.records
    repo.broken_events = events.broken
    findings.extend(events.findings)
    cache.save(complete=True)
    return repo, findings


def load_events(
    root: Path, findings: list[Finding], cache: RecordCache | None = None,
    broken: set[str] | None = None,
) -> list[Loaded[Event]]:
    """The programme events (`events/`), valid ones only; problems go to *findings*, and the
    ids of the files that did not load to *broken*."""
    step = _Step(Event, _yaml_files(root, root / EVENTS_DIR, findings), findings)
    _read_steps(root, [step], cache, parallel=False)
    events = step.records
    if broken is not None:
        broken.update(step.broken)
    if cache is not None:
        cache.listed(EVENTS_DIR)
    return events
