"""Cross-file checks of a loaded repository (SPEC §5): references, ids, period, cap, obligations.

Errors make data invalid; warnings are the programme's obligations, judged as of a date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel

from regiotwin.belegliste import next_receipt_no, prefix_of, receipt_number
from regiotwin.budget import terms_of, unmarked_past_limit
from regiotwin.errors import Finding
from regiotwin.loader import (
    PAIR_FILE,
    PAIRS_DIR,
    RECORD_DIRS,
    Loaded,
    Pair,
    Repository,
    load_repository,
)
from regiotwin.models import Expense, Partnership, split_participant
from regiotwin.money import format_eur
from regiotwin.records import contact_names, participant_typos

M = TypeVar("M", bound=BaseModel)
RECEIPTS_DIR = "receipts"
MAX_GAP_DAYS = 31
MEASURE_GRACE_MONTHS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day *months* later, clamped to the month's end (31 Dec + 2 months → 28 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def check_repository(repo: Repository, as_of: dt.date) -> list[Finding]:
    """All cross-file findings, sorted by path and line."""
    findings: list[Finding] = []
    for pair in repo.pairs.values():
        findings.extend(check_pair(repo, pair, as_of))
        findings.extend(check_participants(pair))
    findings.extend(_check_events(repo))
    return sorted(set(findings))


def check_participants(pair: Pair) -> list[Finding]:
    """Participants whose name is within two edits of a contact's without being it (`Max
    Beispeil`): probably a typo, which leaves the person unlinked from their partner. Data
    hygiene, not an obligation, so kept apart from `check_pair` (whose warnings the reports
    list as unmet obligations)."""
    if pair.partnership is None:
        return []
    ship = pair.partnership.model
    names = contact_names(ship)
    findings = []
    for meeting in pair.meetings:
        for index, person in enumerate(meeting.model.participants):
            near = participant_typos(ship, person, names)
            if near:
                findings.append(Finding(
                    meeting.path, meeting.line("participants", index), "warning",
                    f"participant {person!r} is not a contact; did you mean "
                    f"{' or '.join(repr(n) for n in near)}? (as written, a guest)",
                    code="participant-typo",
                ))
    return findings


def _error(code: str, record: Loaded[Any], loc: tuple[int | str, ...], message: str) -> Finding:
    return Finding(record.path, record.line(*loc), "error", message, code=code)


def _warning(
    code: str, record: Loaded[Any], loc: tuple[int | str, ...], message: str, german: str
) -> Finding:
    return Finding(record.path, record.line(*loc), "warning", message, german, code=code)


def _de(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _originals_first(records: Iterable[Loaded[M]]) -> list[Loaded[M]]:
    """Records whose file is named for their id first: of a record and its copy
    (`… (Kopie).yaml`, `… copy.yaml`), the copy is the one a finding names."""
    return sorted(records, key=lambda r: getattr(r.model, "id", r.stem) != r.stem)


def _check_ids(records: Iterable[Loaded[Any]]) -> list[Finding]:
    findings = []
    seen: dict[str, Loaded[Any]] = {}
    for record in _originals_first(records):
        rid = record.model.id
        if rid != record.stem:
            findings.append(
                _error(
                    "id-mismatch",
                    record,
                    ("id",),
                    f"id {rid!r} differs from the file name {record.stem}.yaml; "
                    "rename the file or fix the id",
                )
            )
        if rid in seen:
            findings.append(
                _error(
                    "duplicate-id",
                    record,
                    ("id",),
                    f"duplicate id {rid!r} (also in {seen[rid].path})",
                )
            )
        else:
            seen[rid] = record
    return findings


def _check_events(repo: Repository) -> list[Finding]:
    findings = _check_ids(repo.events)
    for event in repo.events:
        for index, pair_id in enumerate(event.model.pairs):
            if pair_id not in repo.pairs:
                findings.append(
                    _error("unknown-pair", event, ("pairs", index), f"unknown pair {pair_id!r}")
                )
    return findings


def check_pair(repo: Repository, pair: Pair, as_of: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    for kind in RECORD_DIRS:
        findings.extend(_check_ids(pair.records(kind)))
    loaded = pair.partnership
    if loaded is None:
        return findings
    ship = loaded.model
    if ship.id != pair.id:
        findings.append(
            _error(
                "id-mismatch",
                loaded,
                ("id",),
                f"id {ship.id!r} differs from the folder name {pair.id!r}; "
                "rename the folder or fix the id",
            )
        )
    findings.extend(_check_references(pair, ship))
    findings.extend(_check_expenses(repo, pair, ship))
    findings.extend(_check_obligations(repo, pair, ship, as_of))
    return findings


def _owner_names(ship: Partnership) -> set[str]:
    names = set()
    for partner in ship.partners:
        names.update({partner.id, partner.name})
        names.update(contact.name for contact in partner.contacts)
    return names


def _check_references(pair: Pair, ship: Partnership) -> list[Finding]:
    findings: list[Finding] = []
    partner_ids = {p.id for p in ship.partners}
    known = ", ".join(sorted(partner_ids))
    measure_ids = {m.model.id for m in pair.measures}
    meeting_ids = {m.model.id for m in pair.meetings}
    owners = _owner_names(ship)

    for measure in pair.measures:
        for index, owner in enumerate(measure.model.owners):
            if owner not in partner_ids:
                findings.append(
                    _error(
                        "unknown-partner",
                        measure,
                        ("owners", index),
                        f"unknown partner {owner!r}; known: {known}",
                    )
                )
        m = measure.model
        if m.start and m.due and m.due < m.start:
            findings.append(
                _error(
                    "due-before-start", measure, ("due",), f"due {m.due} is before start {m.start}"
                )
            )

    for meeting in pair.meetings:
        if not ship.start <= meeting.model.date <= ship.end:
            findings.append(
                Finding(
                    meeting.path,
                    meeting.line("date"),
                    "warning",
                    f"meeting date {meeting.model.date} is outside the partnership period "
                    f"{ship.start} to {ship.end}",
                    f"Der Termin am {_de(meeting.model.date)} liegt außerhalb der Laufzeit.",
                    code="meeting-outside-period",
                )
            )
        for index, person in enumerate(meeting.model.participants):
            _, ref = split_participant(person)
            if ref is not None and ship.partner(ref) is None:
                findings.append(
                    _error(
                        "unknown-partner",
                        meeting,
                        ("participants", index),
                        f"participant {person!r} names an unknown partner {ref!r}; known: {known}",
                    )
                )
        for index, action in enumerate(meeting.model.actions):
            if action.owner is not None and action.owner not in owners:
                findings.append(
                    _error(
                        "unknown-owner",
                        meeting,
                        ("actions", index, "owner"),
                        f"action owner {action.owner!r} is neither a partner nor a contact",
                    )
                )

    for decision in pair.decisions:
        if decision.model.partner not in partner_ids:
            findings.append(
                _error(
                    "unknown-partner",
                    decision,
                    ("partner",),
                    f"unknown partner {decision.model.partner!r}; known: {known}",
                )
            )
        for index, measure_id in enumerate(decision.model.measures):
            if measure_id not in measure_ids:
                findings.append(
                    _error(
                        "unknown-measure",
                        decision,
                        ("measures", index),
                        f"unknown measure {measure_id!r}",
                    )
                )

    for expense in pair.expenses:
        e = expense.model
        if e.partner not in partner_ids:
            findings.append(
                _error(
                    "unknown-partner",
                    expense,
                    ("partner",),
                    f"unknown partner {e.partner!r}; known: {known}",
                )
            )
        if e.meeting is not None and e.meeting not in meeting_ids:
            findings.append(
                _error("unknown-meeting", expense, ("meeting",), f"unknown meeting {e.meeting!r}")
            )
        if e.measure is not None and e.measure not in measure_ids:
            findings.append(
                _error("unknown-measure", expense, ("measure",), f"unknown measure {e.measure!r}")
            )
        if e.counts and not ship.start <= e.date <= ship.end:
            findings.append(
                _error(
                    "outside-period",
                    expense,
                    ("date",),
                    f"expense date {e.date} is outside the partnership period "
                    f"{ship.start} to {ship.end}",
                )
            )
    return findings


def _check_expenses(repo: Repository, pair: Pair, ship: Partnership) -> list[Finding]:
    findings: list[Finding] = []
    by_partner: dict[str, list[Loaded[Expense]]] = defaultdict(list)
    for loaded in _originals_first(pair.expenses):
        by_partner[loaded.model.partner].append(loaded)
    for partner_id, records in by_partner.items():
        if ship.partner(partner_id) is None:
            continue  # reported as an unknown partner
        terms = terms_of(repo.programme, ship, partner_id)
        by_id = {id(r.model): r for r in records}
        for expense, total in unmarked_past_limit([r.model for r in records], terms.limit):
            findings.append(
                _error(
                    "over-limit",
                    by_id[id(expense)],
                    ("amount",),
                    f"this expense takes {partner_id}'s unmarked expenses to "
                    f"{format_eur(total)}, past the {terms.describe()}; mark it "
                    "`over_cap: true` if the commune pays it from its own funds",
                )
            )
        findings.extend(_check_receipt_numbers(ship, partner_id, records))
    findings.extend(_check_receipts(pair))
    return findings


def _check_receipt_numbers(
    ship: Partnership, partner_id: str, records: list[Loaded[Expense]]
) -> list[Finding]:
    """Every expense has its own Belegnummer: missing or doubled ones are errors whose hint
    names a free number (numbers are never given out again silently)."""
    findings: list[Finding] = []
    prefix = prefix_of(ship, partner_id)
    free = next_receipt_no((r.model for r in records), partner_id)
    first: dict[int, Loaded[Expense]] = {}
    for record in sorted(_originals_first(records), key=lambda r: (r.model.date, r.model.id)):
        number = record.model.receipt_no
        if number is None:
            findings.append(
                _error(
                    "receipt-no-missing",
                    record,
                    ("id",),
                    f"expense has no Belegnummer; add `receipt_no: {free}`, the next free number "
                    f"of {partner_id} ({receipt_number(prefix, free)})",
                )
            )
            free += 1
        elif number in first:
            findings.append(
                _error(
                    "receipt-no-duplicate",
                    record,
                    ("receipt_no",),
                    f"Belegnummer {receipt_number(prefix, number)} of {partner_id} is also used "
                    f"by {first[number].path}; keep it on the expense whose paper receipt carries "
                    f"it and give the other the next free number, `receipt_no: {free}`",
                )
            )
            free += 1
        else:
            first[number] = record
    return findings


def _check_receipts(pair: Pair) -> list[Finding]:
    findings: list[Finding] = []
    by_path: dict[str, Loaded[Expense]] = {}
    by_hash: dict[str, Loaded[Expense]] = {}
    referenced: set[str] = set()
    folder = pair.folder.resolve()
    for expense in _originals_first(pair.expenses):
        receipt = expense.model.receipt
        if receipt is None:
            if expense.model.counts:
                # line 1, the record as a whole: finding the line of a key parses the file
                # again, which for thousands of expenses costs more than all the rest
                findings.append(
                    Finding(
                        expense.path,
                        1,
                        "warning",
                        f"no receipt for {expense.model.description!r} ({expense.model.date}); "
                        "the proof of use needs one for every expense",
                        f"Zur Ausgabe „{expense.model.description}“ vom "
                        f"{_de(expense.model.date)} liegt kein Beleg vor.",
                        code="receipt-none",
                    )
                )
            continue
        rel = PurePosixPath(receipt.path.replace("\\", "/"))
        target = (pair.folder / rel).resolve()
        if rel.is_absolute() or not target.is_relative_to(folder):
            findings.append(
                _error(
                    "receipt-outside",
                    expense,
                    ("receipt", "path"),
                    f"receipt {receipt.path!r} lies outside the pair folder {pair.path}",
                )
            )
            continue
        key = target.relative_to(folder).as_posix()
        referenced.add(key)
        # a cancelled expense's receipt may prove the booking that replaces it
        if expense.model.counts:
            if key in by_path:
                findings.append(
                    _error(
                        "receipt-shared",
                        expense,
                        ("receipt", "path"),
                        f"receipt {receipt.path!r} is also used by {by_path[key].path}",
                    )
                )
            by_path.setdefault(key, expense)
            if receipt.sha256 in by_hash and by_hash[receipt.sha256] is not by_path[key]:
                findings.append(
                    _error(
                        "receipt-duplicate",
                        expense,
                        ("receipt", "sha256"),
                        "receipt has the same content as the one of "
                        f"{by_hash[receipt.sha256].path}",
                    )
                )
            by_hash.setdefault(receipt.sha256, expense)
        if not target.is_file():
            findings.append(
                _error(
                    "receipt-missing",
                    expense,
                    ("receipt", "path"),
                    f"receipt file {receipt.path!r} is missing",
                )
            )
        elif file_sha256(target) != receipt.sha256:
            findings.append(
                _error(
                    "receipt-changed",
                    expense,
                    ("receipt", "sha256"),
                    f"receipt file {receipt.path!r} has changed since it was recorded "
                    "(its SHA-256 differs)",
                )
            )
    findings.extend(_check_receipt_files(pair, folder, referenced))
    return findings


def _check_receipt_files(pair: Pair, folder: Path, referenced: set[str]) -> list[Finding]:
    """The receipts/ folder itself: it must stay inside the pair folder, and each file in it
    belongs to an expense."""
    receipts = pair.folder / RECEIPTS_DIR
    if not receipts.is_dir():
        return []
    where = f"{pair.path}/{RECEIPTS_DIR}"
    if not receipts_inside(pair.folder):
        return [Finding(where, 0, "error", f"{RECEIPTS_DIR}/ leads outside the pair folder "
                        f"(to {receipts.resolve()}); make it a plain folder",
                        code="receipts-outside")]
    findings = []
    for base, dirs, names in os.walk(receipts):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue  # a receipt being copied in, or the system's own files
            path = Path(base) / name
            resolved = path.resolve()
            key = resolved.relative_to(folder).as_posix() if resolved.is_relative_to(folder) else ""
            if key not in referenced:
                rel = path.relative_to(pair.folder).as_posix()
                findings.append(
                    Finding(
                        f"{pair.path}/{rel}",
                        0,
                        "warning",
                        "no expense refers to this receipt; book it with `regiotwin expense "
                        "add --receipt`, or remove it",
                        f"Der Beleg {rel} gehört zu keiner Ausgabe.",
                        code="receipt-unreferenced",
                    )
                )
    return findings


def receipts_inside(folder: Path) -> bool:
    """Whether the pair's receipts/ (if any) stays inside the pair folder; a symlink leading
    elsewhere would let receipts come from, or be written to, anywhere."""
    receipts = folder / RECEIPTS_DIR
    if not os.path.lexists(receipts):
        return True
    return receipts.resolve().is_relative_to(folder.resolve())


def file_sha256(path: Any) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


# --- obligations (warnings) ------------------------------------------------------------------


def meeting_dates(repo: Repository, pair: Pair) -> list[tuple[dt.date, str, Loaded[Any]]]:
    """The pair's meetings and the programme events it attended, in date order."""
    dates: list[tuple[dt.date, str, Loaded[Any]]] = [
        (m.model.date, m.model.id, m) for m in pair.meetings
    ]
    dates += [(e.model.date, e.model.id, e) for e in repo.events if pair.id in e.model.pairs]
    return sorted(dates, key=lambda item: (item[0], item[1]))


def _check_obligations(
    repo: Repository, pair: Pair, ship: Partnership, as_of: dt.date
) -> list[Finding]:
    loaded = pair.partnership
    assert loaded is not None
    findings: list[Finding] = []
    if as_of < ship.start:
        return findings
    for index, partner in enumerate(ship.partners):
        if not partner.contacts:
            findings.append(
                _warning(
                    "no-contact",
                    loaded,
                    ("partners", index),
                    f"partner {partner.id!r} has no contact person "
                    f"(add one with `regiotwin contact add --partner {partner.id}`)",
                    f"{partner.name} hat noch keine Ansprechperson benannt.",
                )
            )
    grace_end = add_months(ship.start, MEASURE_GRACE_MONTHS)
    if as_of >= grace_end and not pair.measures:
        findings.append(
            _warning(
                "no-measure",
                loaded,
                ("start",),
                f"no work-plan measure two months after the start ({ship.start}); "
                "add one with `regiotwin measure add`",
                f"Zwei Monate nach dem Beginn ({_de(ship.start)}) enthält der Arbeitsplan noch "
                "keine Maßnahme.",
            )
        )
    findings.extend(_check_gaps(repo, pair, ship, as_of))
    passed = {
        measure_id
        for decision in pair.decisions
        if decision.model.status == "passed"
        for measure_id in decision.model.measures
    }
    for measure in pair.measures:
        m = measure.model
        if m.needs_decision and m.status != "dropped" and m.id not in passed:
            findings.append(
                _warning(
                    "decision-missing",
                    measure,
                    ("needs_decision",),
                    f"measure {m.id!r} needs a council decision and none has passed",
                    f"Für die Maßnahme „{m.title}“ fehlt noch der erforderliche Beschluss.",
                )
            )
    for meeting in pair.meetings:
        for index, action in enumerate(meeting.model.actions):
            if not action.done and action.due is not None and action.due < as_of:
                findings.append(
                    _warning(
                        "action-overdue",
                        meeting,
                        ("actions", index),
                        f"action item {index + 1} ({action.what!r}) was due on {action.due} "
                        "and is still open",
                        f"Aufgabe „{action.what}“ aus „{meeting.model.title}“ war am "
                        f"{_de(action.due)} fällig und ist noch offen.",
                    )
                )
    return findings


def _in_pair(pair: Pair, record: Loaded[Any]) -> str:
    """Where a gap finding goes: the meeting's file, or for a programme event (shared by many
    pairs) the pair's own partnership.yaml, so the consultant sees which pair it concerns."""
    if record.path.startswith(pair.path + "/"):
        return record.path
    return f"{pair.path}/{PAIR_FILE}"


def _check_gaps(repo: Repository, pair: Pair, ship: Partnership, as_of: dt.date) -> list[Finding]:
    loaded = pair.partnership
    assert loaded is not None
    until = min(ship.end, as_of)
    dates = [item for item in meeting_dates(repo, pair) if ship.start <= item[0] <= until]
    findings: list[Finding] = []
    if not dates:
        days = (until - ship.start).days
        if days > MAX_GAP_DAYS:
            findings.append(
                _warning(
                    "meeting-gap",
                    loaded,
                    ("start",),
                    f"no meeting in the {days} days from the start ({ship.start}) to {until}",
                    f"Seit dem Beginn ({_de(ship.start)}) hat in {days} Tagen kein Treffen "
                    "stattgefunden.",
                )
            )
        return findings
    first_date, first_id, first = dates[0]
    if (first_date - ship.start).days > MAX_GAP_DAYS:
        findings.append(
            Finding(
                _in_pair(pair, first),
                1,
                "warning",
                f"{(first_date - ship.start).days} days without a meeting from the start "
                f"({ship.start}) to {first_id} ({first_date})",
                f"{(first_date - ship.start).days} Tage ohne Treffen zwischen dem Beginn "
                f"({_de(ship.start)}) und dem ersten Termin am {_de(first_date)}.",
                code="meeting-gap",
            )
        )
    for (before_date, before_id, _), (after_date, after_id, after) in zip(dates, dates[1:]):
        days = (after_date - before_date).days
        if days > MAX_GAP_DAYS:
            findings.append(
                Finding(
                    _in_pair(pair, after),
                    1,
                    "warning",
                    f"{days} days without a meeting between {before_id} ({before_date}) "
                    f"and {after_id} ({after_date})",
                    f"{days} Tage ohne Treffen zwischen den Terminen am {_de(before_date)} "
                    f"und am {_de(after_date)}.",
                    code="meeting-gap",
                )
            )
    last_date, last_id, last = dates[-1]
    if (until - last_date).days > MAX_GAP_DAYS:
        end_word = "the end of the period" if until == ship.end else "today"
        if until != ship.end and until != dt.date.today():
            end_word = "the as-of date"
        findings.append(
            Finding(
                _in_pair(pair, last),
                1,
                "warning",
                f"{(until - last_date).days} days without a meeting since {last_id} "
                f"({last_date}) until {end_word} ({until})",
                f"{(until - last_date).days} Tage ohne Treffen seit dem Termin am "
                f"{_de(last_date)} (Stand {_de(until)}).",
                code="meeting-gap",
            )
        )
    return findings


@dataclass
class CheckReport:
    """The outcome of `regiotwin check`."""

    findings: list[Finding]
    files: int

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def summary(self) -> str:
        if not self.findings:
            return f"no problems found in {self.files} files"
        parts = []
        for count, word in ((self.errors, "error"), (self.warnings, "warning")):
            if count:
                parts.append(f"{count} {word}{'s' if count != 1 else ''}")
        return f"{' and '.join(parts)} in {self.files} files"

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_json() for f in self.findings],
        }


def run_check(root: Path, pair_ids: list[str], as_of: dt.date) -> CheckReport:
    """Load everything, cross-check, and keep the findings of the chosen pairs and the rest."""
    repo, findings = load_repository(root)
    findings = sorted(set(findings) | set(check_repository(repo, as_of)))
    chosen = set(pair_ids)
    if chosen != set(repo.pairs):
        findings = [f for f in findings if _pair_of(f.path) in chosen or _pair_of(f.path) is None]
    files = (
        1
        + len(repo.events)
        + sum(
            (1 if p.partnership else 0) + sum(len(p.records(k)) for k in RECORD_DIRS)
            for p in repo.pairs.values()
        )
    )
    return CheckReport(findings, files)


def _pair_of(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) > 1 and parts[0] == PAIRS_DIR else None


# --- no figure from bad data -------------------------------------------------------------------


@dataclass
class Screening:
    """Which of the chosen pairs may show figures (SPEC §3): a pair with errors — its own, or
    in the files every pair shares (regiotwin.yaml, events/) — gives no document or figure,
    unless a draft is asked for, which then says so."""

    repo: Repository
    pair_ids: list[str]
    errors: dict[str, list[Finding]]  # per chosen pair: every error that concerns it

    @property
    def valid(self) -> list[str]:
        return [p for p in self.pair_ids if not self.errors[p]]

    @property
    def invalid(self) -> list[str]:
        return [p for p in self.pair_ids if self.errors[p]]

    def shown(self, draft: bool) -> list[str]:
        """The pairs to show: the valid ones; in a draft also the invalid ones whose
        partnership.yaml could be read (without it there is nothing to show)."""
        if not draft:
            return self.valid
        return [p for p in self.pair_ids if self.repo.pairs[p].partnership is not None]

    def error_findings(self, pair_ids: list[str] | None = None) -> list[Finding]:
        """The distinct errors of the given pairs (default: all chosen), each once."""
        chosen = self.pair_ids if pair_ids is None else pair_ids
        return sorted({f for p in chosen for f in self.errors[p]})

    def error_count(self, pair_ids: list[str] | None = None) -> int:
        return len(self.error_findings(pair_ids))


def screen(
    repo: Repository, load_findings: list[Finding], pair_ids: list[str], as_of: dt.date
) -> Screening:
    """Check the chosen pairs (and the shared files) and sort the errors by the pair they
    concern. A broken file in one pair never stops the others."""
    shared = [f for f in load_findings if _pair_of(f.path) is None] + _check_events(repo)
    own: dict[str, list[Finding]] = defaultdict(list)
    for finding in load_findings:
        pair_id = _pair_of(finding.path)
        if pair_id is not None:
            own[pair_id].append(finding)
    errors = {}
    for pair_id in pair_ids:
        found = own[pair_id] + check_pair(repo, repo.pairs[pair_id], as_of) + shared
        errors[pair_id] = sorted({f for f in found if f.severity == "error"})
    return Screening(repo, list(pair_ids), errors)


def draft_banner(errors: int) -> str:
    """The German line at the top of every draft document or export."""
    return f"ENTWURF — die Daten enthalten {errors} Fehler"
