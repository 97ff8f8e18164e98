"""`regiotwin fmt`: hand-edited record files written the way the tool writes them, comments kept.

A record file is tidy when its keys stand in the model's field order and every value is written
as the store writes it: text quoted only where our reader or a YAML 1.1 reader would misread
it, ISO dates, amounts with two places. Tidying changes nothing else (`yamlio.tidy_yaml` edits
the text in place), must read back as the same record, goes through the one atomic writer and
leaves a tidy file alone, so its modification time stays.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from regiotwin.errors import Finding, OptionValueError, RefusedError
from regiotwin.limits import MAX_BYTES, LimitError, read_capped
from regiotwin.loader import EVENTS_DIR, PAIRS_DIR, record_files, record_model, validate
from regiotwin.models import Record, dump
from regiotwin.store import lock_for
from regiotwin.writer import write_atomic
from regiotwin.yamlio import Document, TidyError, YamlError, parse_bytes, parse_yaml, tidy_yaml

RecordFile = tuple[str, str, type[Record]]  # path, path relative to the root, model

RECORD_KINDS = ("regiotwin.yaml, partnerships/<pair>/partnership.yaml, "
                "partnerships/<pair>/{measures,meetings,decisions,expenses}/*.yaml, "
                "events/*.yaml")


@dataclass
class FmtReport:
    """What `fmt` did, or with `check` would do: paths relative to the root."""

    changed: list[str] = field(default_factory=list)  # reformatted (or would be)
    tidy: int = 0  # files already tidy
    findings: list[Finding] = field(default_factory=list)  # files left as they are, and why
    empty: list[str] = field(default_factory=list)  # folders asked for without record files

    @property
    def invalid(self) -> int:
        """How many files were left alone because they are invalid."""
        return len({f.path for f in self.findings})


# --- one file ----------------------------------------------------------------------------------


def tidy_text(text: str, model: Record, doc: Document | None = None) -> str:
    """The tidy text of a record file whose *text* reads as *model* (*doc* is *text* parsed,
    when the caller has it).

    Raises TidyError (a YamlError) when it cannot be tidied so that it reads back as *model*
    with every comment; the file is then left as it is.
    """
    doc = doc if doc is not None else parse_yaml(text)
    target = _aligned(dump(model), doc.data)
    tidied = tidy_yaml(text, target, doc.node)
    if tidied == text:
        return text
    if len(tidied.encode("utf-8")) > MAX_BYTES:
        raise TidyError(1, "tidied it would be larger than 1 MiB, more than a record may be")
    again, problems = validate(type(model), parse_yaml(tidied), "")
    if again != model:  # pragma: no cover - a safety net: tidy_yaml keeps every value
        detail = f": {problems[0].message}" if problems else ""
        raise TidyError(1, f"tidied it would not read as the same record{detail}")
    return tidied


def _aligned(value: Any, written: Any) -> Any:
    """The model's *value* with just the keys the file has, in the model's order: fmt adds no
    key the file leaves out (a default) and drops none the tool would leave out."""
    if isinstance(value, dict) and isinstance(written, dict):
        result = {}
        for key, inner in value.items():
            name = key.isoformat() if isinstance(key, dt.date) else str(key)
            if name in written:
                result[key] = _aligned(inner, written[name])
        return result
    if isinstance(value, list) and isinstance(written, list) and len(value) == len(written):
        return [_aligned(v, w) for v, w in zip(value, written)]
    return value


def _examine(path: str, rel: str, model: type[Record]) -> tuple[str | None, list[Finding]]:
    """The file's tidy text when it is not tidy yet (None when it is), or the findings that
    keep it as it is: a file that does not read is reported as `check` reports it."""
    try:
        raw = read_capped(path)
        doc = parse_bytes(raw)
    except LimitError as exc:  # YamlError is one too
        return None, [Finding(rel, exc.line, "error", exc.message, code="yaml")]
    value, problems = validate(model, doc, rel)
    if value is None:
        return None, problems
    text = raw.decode("utf-8-sig")
    try:
        tidied = tidy_text(text, value, doc)
    except YamlError as exc:
        return None, [Finding(rel, exc.line, "error",
                              f"fmt cannot tidy this file ({exc.message}); it was left as it is",
                              code="fmt-failed")]
    if tidied == text and not raw.startswith(codecs.BOM_UTF8):
        return None, []
    if os.path.islink(path):  # the writer never replaces a link; say so in --check too
        return None, [Finding(rel, 0, "error", "not tidy, and a link, which fmt never replaces; "
                              "tidy the file it points to", code="fmt-link")]
    return tidied, []


# --- the files of a repository -----------------------------------------------------------------


def select_files(root: Path, paths: Sequence[Path], report: FmtReport) -> list[RecordFile]:
    """The record files that *paths* name (files, or folders for the records inside them), in
    the loader's order; every record file of the repository without *paths*.

    A path outside the repository or a file that is not a record is a malformed PATH
    (OptionValueError), raised before anything is written.
    """
    found: list[Finding] = []
    every = record_files(root, found)
    if not paths:
        report.findings.extend(found)
        return every
    files: set[str] = set()
    folders: list[str] = []
    for given in paths:
        rel = _relative(root, given)
        if os.path.isdir(given):
            prefix = "" if rel == "." else rel + "/"
            folders.append(prefix)
            if not any(r.startswith(prefix) for _, r, _ in every) and not any(
                    f.path.startswith(prefix) for f in found):
                report.empty.append(rel)
        elif record_model(rel) is None:
            raise OptionValueError("PATH", f"{given} is not a record file of the repository; "
                                   f"fmt tidies {RECORD_KINDS}")
        else:
            files.add(rel)

    def chosen(rel: str) -> bool:
        return rel in files or any(rel.startswith(prefix) for prefix in folders)

    report.findings.extend(f for f in found if chosen(f.path))
    return [record for record in every if chosen(record[1])]


def _relative(root: Path, given: Path) -> str:
    """*given* relative to the root with forward slashes ('.' for the root itself); a link to a
    file keeps its own name (fmt never follows it out of its folder)."""
    absolute = os.path.abspath(given)
    if os.path.isdir(absolute):
        real = os.path.realpath(absolute)
    else:
        real = os.path.join(os.path.realpath(os.path.dirname(absolute)),
                            os.path.basename(absolute))
    try:
        return Path(real).relative_to(root).as_posix()
    except ValueError:
        raise OptionValueError("PATH", f"{given} is outside the repository {root}; fmt tidies "
                               "the record files of the repository it runs in") from None


def _lock_group(record: RecordFile) -> str:
    """Files that share a lock: a pair's records, the events, or the programme on its own."""
    parts = record[1].split("/")
    if parts[0] == PAIRS_DIR and len(parts) > 2:
        return f"{PAIRS_DIR}/{parts[1]}"
    return EVENTS_DIR if parts[0] == EVENTS_DIR else record[1]


def format_repository(root: Path, paths: Sequence[Path] = (), *, check: bool = False
                      ) -> FmtReport:
    """Tidy the record files *paths* name (every one without *paths*); with *check*, only say
    which files are not tidy. Invalid files are left as they are, with their findings."""
    report = FmtReport()
    files = select_files(root, paths, report)
    for _, group in groupby(files, key=_lock_group):
        records = list(group)
        if check:
            for path, rel, model in records:
                _note(report, rel, *_examine(path, rel, model))
            continue
        # a pair's lock keeps `expense add` and `set` from writing between our read and write
        with lock_for(root, Path(records[0][0])):
            for path, rel, model in records:
                tidied, findings = _examine(path, rel, model)
                if tidied is not None:
                    try:
                        write_atomic(Path(path), tidied, new=False)
                    except (RefusedError, OSError) as exc:  # a read-only folder, a full disk
                        why = exc.message if isinstance(exc, RefusedError) else (
                            exc.strerror or str(exc))
                        findings, tidied = [_unwritable(rel, why)], None
                _note(report, rel, tidied, findings)
    return report


def _unwritable(rel: str, why: str) -> Finding:
    return Finding(rel, 0, "error", f"not tidied: {why}", code="fmt-write")


def _note(report: FmtReport, rel: str, tidied: str | None, findings: list[Finding]) -> None:
    if findings:
        report.findings.extend(findings)
    elif tidied is not None:
        report.changed.append(rel)
    else:
        report.tidy += 1
