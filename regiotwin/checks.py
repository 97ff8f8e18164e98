"""Cross-file checks of a loaded repository (SPEC §5): references, ids, period, cap, obligations.

Errors make data invalid; warnings are the programme's obligations, judged as of a date.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from regiotwin.asof import action_overdue
from regiotwin.belegliste import next_receipt_no, prefix_of, receipt_number
from regiotwin.budget import terms_of, unmarked_past_limit
from regiotwin.cache import hash_file
from regiotwin.deadlines import add_months, pair_deadlines
from regiotwin.english import plural
from regiotwin.errors import Finding, sorted_findings
from regiotwin.loader import (
    PAIR_FILE,
    PAIRS_DIR,
    RATES_DIR,
    RECEIPTS_DIR,
    RECORD_DIRS,
    Loaded,
    Pair,
    Repository,
    load_repository,
    paused_gc,
)
from regiotwin.models import Expense, Partnership, Record, split_participant
from regiotwin.money import format_eur
from regiotwin.texts import check_texts

__all__ = ["RECEIPTS_DIR", "add_months", "check_pair", "check_repository", "run_check", "screen"]

if TYPE_CHECKING:
    from regiotwin.cache import RecordCache
    from regiotwin.travel import RateBook

M = TypeVar("M", bound=Record)
MAX_GAP_DAYS = 31
MEASURE_GRACE_MONTHS = 2


def check_repository(repo: Repository, as_of: dt.date) -> list[Finding]:
    """All cross-file findings, sorted by path and line."""
    findings: list[Finding] = []
    rates = TravelRates(repo.root)
    with paused_gc():  # a finding per expense, and no cycles (see paused_gc)
        for pair in repo.pairs.values():
            findings.extend(check_pair(repo, pair, as_of, rates))
            findings.extend(check_participants(pair))
        findings.extend(_check_events(repo))
        findings.extend(rates.findings())
    if repo.cache is not None:
        repo.cache.save()  # the receipts' hashes
    return sorted_findings(findings)


class TravelRates:
    """The rate book that stored travel-cost computations are priced again with: read at most
    once per run, and only when an expense holds a computation or the repository has rate
    files of its own (`travel-rates/`), so 10,000 expenses without one cost nothing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._read: tuple[RateBook, list[Finding]] | None = None

    def book(self) -> RateBook:
        if self._read is None:
            from regiotwin.travel import read_rate_book

            self._read = read_rate_book(self.root)
        return self._read[0]

    def findings(self) -> list[Finding]:
        """The findings of the repository's own rate files (none when it has none)."""
        if self._read is None and not (self.root / RATES_DIR).is_dir():
            return []
        self.book()
        assert self._read is not None
        return self._read[1]


def check_participants(pair: Pair) -> list[Finding]:
    """Participants whose name is within two edits of a contact's without being it (`Max
    Beispeil`): probably a typo, which leaves the person unlinked from their partner. Data
    hygiene, not an obligation, so kept apart from `check_pair` (whose warnings the reports
    list as unmet obligations)."""
    if pair.partnership is None or not pair.meetings:
        return []
    # imported here: the write path's module, which a read command needs only for this
    from regiotwin.records import contact_names, participant_typos

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
    code: str, record: Loaded[Any], loc: tuple[int | str, ...], message: str, **values: Any
) -> Finding:
    """An obligation: the English *message* for the CLI, the *values* its German wording in
    the documents needs (templates/obligations.md.j2, keyed by *code*)."""
    return Finding(record.path, record.line(*loc), "warning", message, code=code, values=values)


def _de(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _originals_first(records: Iterable[Loaded[M]]) -> list[Loaded[M]]:
    """Records whose file is named for their id first: of a record and its copy
    (`… (Kopie).yaml`, `… copy.yaml`), the copy is the one a finding names."""
    records = list(records)
    for record in records:
        if getattr(record.model, "id", None) != record.stem:
            break
    else:  # the common case: every file named for its record
        return records
    copies = [getattr(r.model, "id", r.stem) != r.stem for r in records]
    return [r for _, r in sorted(zip(copies, records), key=lambda pair: pair[0])]


def _check_ids(records: Iterable[Loaded[Any]], ordered: bool = False) -> list[Finding]:
    """Ids that differ from their file's name, or repeat; *ordered*: *records* come
    originals first already (`_originals_first`)."""
    findings = []
    seen: dict[str, Loaded[Any]] = {}
    for record in records if ordered else _originals_first(records):
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


def check_pair(
    repo: Repository, pair: Pair, as_of: dt.date, rates: TravelRates | None = None
) -> list[Finding]:
    """Every finding of one pair: its data, and its obligations as of *as_of*; *rates* lets
    several pairs share one rate book."""
    return pair_findings(repo, pair, rates) + obligation_findings(repo, pair, as_of)


def pair_findings(repo: Repository, pair: Pair, rates: TravelRates | None = None,
                  warnings: bool = True) -> list[Finding]:
    """What is wrong with one pair's data whatever the date: ids, references, money, receipts
    (hashed here, once per command), travel computations, texts. Every error is one of these;
    without *warnings* only they are made (a figure needs no list of missing receipts)."""
    findings: list[Finding] = []
    # in the order findings name records: of a record and its copy, the copy (once per pair)
    expenses = _originals_first(pair.expenses)
    for kind in RECORD_DIRS:
        if kind == "expenses":
            findings.extend(_check_ids(expenses, ordered=True))
        else:
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
    findings.extend(_check_expenses(repo, pair, ship, expenses, warnings))
    findings.extend(_check_travel(pair, rates or TravelRates(repo.root)))
    findings.extend(_check_submissions(repo, pair, ship))
    findings.extend(check_texts(pair.folder, pair.path))
    return findings if warnings else [f for f in findings if f.severity == "error"]


def obligation_findings(repo: Repository, pair: Pair, as_of: dt.date) -> list[Finding]:
    """The programme's obligations of one pair as of *as_of* (warnings; no file is read)."""
    if pair.partnership is None:
        return []
    return _check_obligations(repo, pair, pair.partnership.model, as_of)


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
    # a record whose file is broken is known all the same: only its own finding is reported
    measure_ids = {m.model.id for m in pair.measures} | pair.broken.get("measures", set())
    meeting_ids = {m.model.id for m in pair.meetings} | pair.broken.get("meetings", set())
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
                _warning(
                    "meeting-outside-period",
                    meeting,
                    ("date",),
                    f"meeting date {meeting.model.date} is outside the partnership period "
                    f"{ship.start} to {ship.end}",
                    date=meeting.model.date,
                    title=meeting.model.title,
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


def _check_expenses(repo: Repository, pair: Pair, ship: Partnership,
                    expenses: list[Loaded[Expense]], warnings: bool = True) -> list[Finding]:
    """Limits, Belegnummern and receipts of the pair's *expenses* (originals first)."""
    findings: list[Finding] = []
    by_partner: dict[str, list[Loaded[Expense]]] = defaultdict(list)
    for loaded in expenses:
        by_partner[loaded.model.partner].append(loaded)
    for partner_id, records in by_partner.items():
        if ship.partner(partner_id) is None:
            continue  # reported as an unknown partner
        terms = terms_of(repo.programme, ship, partner_id)
        past = unmarked_past_limit([r.model for r in records], terms.limit)
        by_id = {id(r.model): r for r in records} if past else {}
        for expense, total in past:
            findings.append(
                _error(
                    "over-limit",
                    by_id[id(expense)],
                    ("amount",),
                    f"this expense takes {partner_id}'s unmarked expenses to "
                    f"{format_eur(total)}, past the {terms.describe()}; mark it "
                    "`over_cap: true` to book it even past the headroom (what the grant does "
                    "not pay is the commune's own money)",
                )
            )
        findings.extend(_check_receipt_numbers(ship, partner_id, records))
    findings.extend(_check_receipts(pair, expenses, repo.cache, warnings))
    return findings


def _check_travel(pair: Pair, rates: TravelRates) -> list[Finding]:
    """Each stored travel-cost computation priced again from its inputs under its law, with the
    rates known now: one that no longer comes out the same is an error at its `travel` key. A
    cancelled expense counts nowhere and is left alone."""
    findings: list[Finding] = []
    for expense in pair.expenses:
        travel = expense.model.travel
        if travel is None or not expense.model.counts:
            continue
        from regiotwin.travel import travel_problems

        problems = travel_problems(travel, rates.book())
        if problems:
            findings.append(
                _error(
                    "travel-mismatch",
                    expense,
                    ("travel",),
                    f"the travel-cost computation no longer matches its inputs under "
                    f"{travel.law}: {'; '.join(problems)} (correct the inputs, or the stored "
                    "figures and the amount)",
                )
            )
    return findings


def _check_receipt_numbers(
    ship: Partnership, partner_id: str, records: list[Loaded[Expense]]
) -> list[Finding]:
    """Every expense has its own Belegnummer: missing or doubled ones are errors whose hint
    names a free number (numbers are never given out again silently). *records* come
    originals first."""
    numbers = [r.model.receipt_no for r in records]
    if None not in numbers and len(set(numbers)) == len(numbers):
        return []  # the common case: every number given, each once
    findings: list[Finding] = []
    prefix = prefix_of(ship, partner_id)
    free = next_receipt_no((r.model for r in records), partner_id)
    first: dict[int, Loaded[Expense]] = {}
    for record in sorted(records, key=lambda r: (r.model.date, r.model.id)):
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


def _check_receipts(pair: Pair, expenses: list[Loaded[Expense]],
                    cache: RecordCache | None = None, warnings: bool = True) -> list[Finding]:
    findings: list[Finding] = []
    by_path: dict[str, Loaded[Expense]] = {}
    by_hash: dict[str, Loaded[Expense]] = {}
    referenced: set[str] = set()
    folder = pair.folder.resolve()
    for expense in expenses:
        model = expense.model
        receipt = model.receipt
        if receipt is None:
            if warnings and model.cancelled is None:  # (model.counts, inline: 100,000 calls)
                # line 1, the record as a whole: finding the line of a key parses the file
                # again, which for thousands of expenses costs more than all the rest
                description, day = model.description, model.date
                findings.append(Finding(  # positional: path, line, severity, message, code
                    expense.path, 1, "warning",
                    f"no receipt for {description!r} ({day}); the proof of use needs one for "
                    "every expense", "receipt-none", {"description": description, "date": day},
                ))
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
        digest = _receipt_hash(cache, target, f"{pair.path}/{key}")
        if digest is None:
            findings.append(
                _error(
                    "receipt-missing",
                    expense,
                    ("receipt", "path"),
                    f"receipt file {receipt.path!r} is missing",
                )
            )
        elif digest != receipt.sha256:
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
    broken = pair.broken.get("expenses", set())  # `expense add` names a receipt after its expense
    for base, dirs, names in os.walk(receipts):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue  # a receipt being copied in, or the system's own files
            path = Path(base) / name
            resolved = path.resolve()
            key = resolved.relative_to(folder).as_posix() if resolved.is_relative_to(folder) else ""
            if key not in referenced and name.split(".", 1)[0] not in broken:
                rel = path.relative_to(pair.folder).as_posix()
                findings.append(
                    Finding(
                        f"{pair.path}/{rel}",
                        0,
                        "warning",
                        "no expense refers to this receipt; book it with `regiotwin expense "
                        "add --receipt`, or remove it",
                        code="receipt-unreferenced",
                        values={"file": rel},
                    )
                )
    return findings


def _receipt_hash(cache: RecordCache | None, path: Path, rel: str) -> str | None:
    """A receipt file's SHA-256 (hashed once while the file stays as it is, when there is a
    record cache), or None when it is no file."""
    try:
        if cache is not None:
            return cache.file_sha256(os.fspath(path), rel)
        return hash_file(path) if path.is_file() else None
    except OSError:
        return None


def receipts_inside(folder: Path) -> bool:
    """Whether the pair's receipts/ (if any) stays inside the pair folder; a symlink leading
    elsewhere would let receipts come from, or be written to, anywhere."""
    receipts = folder / RECEIPTS_DIR
    if not os.path.lexists(receipts):
        return True
    return receipts.resolve().is_relative_to(folder.resolve())


def file_sha256(path: Any) -> str:
    return hash_file(path)


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
    """The obligations as of *as_of*: only what happened by then counts (a decision passed
    later, a meeting held later, paperwork sent later)."""
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
                    partner=partner.name,
                )
            )
    grace_end = add_months(ship.start, MEASURE_GRACE_MONTHS)
    if as_of >= grace_end and not pair.measures and not pair.broken.get("measures"):
        findings.append(
            _warning(
                "no-measure",
                loaded,
                ("start",),
                f"no work-plan measure two months after the start ({ship.start}); "
                "add one with `regiotwin measure add`",
                start=ship.start,
                months=MEASURE_GRACE_MONTHS,
            )
        )
    if not (pair.broken.get("meetings") or repo.broken_events):
        # a broken meeting or event file hides a date: the gaps it would close are not judged
        findings.extend(_check_gaps(repo, pair, ship, as_of))
    passed = {
        measure_id
        for decision in pair.decisions
        if decision.model.status == "passed" and decision.model.date <= as_of
        for measure_id in decision.model.measures
    }
    for measure in pair.measures if not pair.broken.get("decisions") else ():
        m = measure.model  # (a broken decision file may be the one that passed it)
        if m.needs_decision and m.status != "dropped" and m.id not in passed:
            findings.append(
                _warning(
                    "decision-missing",
                    measure,
                    ("needs_decision",),
                    f"measure {m.id!r} needs a council decision and none has passed",
                    measure=m.title,
                )
            )
    for meeting in pair.meetings:
        if meeting.model.date > as_of:
            continue  # its action items did not exist yet
        for index, action in enumerate(meeting.model.actions):
            if action_overdue(action, as_of):
                findings.append(
                    _warning(
                        "action-overdue",
                        meeting,
                        ("actions", index),
                        f"action item {index + 1} ({action.what!r}) was due on {action.due} "
                        "and is still open",
                        what=action.what,
                        meeting=meeting.model.title,
                        due=action.due,
                    )
                )
    findings.extend(_check_deadlines(repo, loaded, ship, as_of))
    return findings


def _check_deadlines(
    repo: Repository, loaded: Loaded[Partnership], ship: Partnership, as_of: dt.date
) -> list[Finding]:
    """A deadline within WARN_DAYS or passed, unless the pair records it as sent by *as_of*."""
    findings = []
    for deadline in pair_deadlines(repo.programme, ship):
        state = deadline.state(as_of)
        if state not in ("due", "passed"):
            continue
        days = deadline.days_left(as_of)
        hint = f"once it is sent: `regiotwin deadline done {deadline.id} --pair {ship.id}`"
        if state == "due":
            when = "today" if days == 0 else f"in {plural(days, 'day')}"
            message = f"the {deadline.title} is due on {_de(deadline.due)}, {when}; {hint}"
        else:
            message = (f"the {deadline.title} was due on {_de(deadline.due)}, "
                       f"{plural(-days, 'day')} ago, and is not recorded as sent; {hint}")
        findings.append(
            _warning(
                f"deadline-{state}",
                loaded,
                ("end",),
                message,
                title=deadline.title,
                due=deadline.due,
                days=abs(days),
            )
        )
    return findings


def _check_submissions(repo: Repository, pair: Pair, ship: Partnership) -> list[Finding]:
    """A recorded submission names a deadline of this pair, once."""
    loaded = pair.partnership
    assert loaded is not None
    known = [d.id for d in pair_deadlines(repo.programme, ship)]
    findings: list[Finding] = []
    seen: set[str] = set()
    for index, submission in enumerate(ship.submitted):
        if submission.deadline not in known:
            findings.append(
                _error(
                    "unknown-deadline",
                    loaded,
                    ("submitted", index, "deadline"),
                    f"no deadline {submission.deadline!r} for this pair; its deadlines: "
                    f"{', '.join(known)}",
                )
            )
        elif submission.deadline in seen:
            findings.append(
                _error(
                    "duplicate-submission",
                    loaded,
                    ("submitted", index, "deadline"),
                    f"{submission.deadline!r} is recorded as sent twice; keep one date",
                )
            )
        seen.add(submission.deadline)
    return findings


def _in_pair(pair: Pair, record: Loaded[Any]) -> str:
    """Where a gap finding goes: the meeting's file, or for a programme event (shared by many
    pairs) the pair's own partnership.yaml, so the consultant sees which pair it concerns."""
    if record.path.startswith(pair.path + "/"):
        return record.path
    return f"{pair.path}/{PAIR_FILE}"


def _gap(pair: Pair, record: Loaded[Any], message: str, **values: Any) -> Finding:
    return Finding(_in_pair(pair, record), 1, "warning", message, code="meeting-gap",
                   values=values)


def _check_gaps(repo: Repository, pair: Pair, ship: Partnership, as_of: dt.date) -> list[Finding]:
    """More than MAX_GAP_DAYS without a meeting: from the start, between meetings, and up to
    the end or the as-of date. The values say which (`gap`: none, first, between, last)."""
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
                    gap="none", days=days, start=ship.start, until=until,
                )
            )
        return findings
    first_date, first_id, first = dates[0]
    days = (first_date - ship.start).days
    if days > MAX_GAP_DAYS:
        findings.append(_gap(
            pair, first,
            f"{days} days without a meeting from the start ({ship.start}) to {first_id} "
            f"({first_date})",
            gap="first", days=days, start=ship.start, until=first_date))
    for (before_date, before_id, _), (after_date, after_id, after) in zip(dates, dates[1:]):
        days = (after_date - before_date).days
        if days > MAX_GAP_DAYS:
            findings.append(_gap(
                pair, after,
                f"{days} days without a meeting between {before_id} ({before_date}) "
                f"and {after_id} ({after_date})",
                gap="between", days=days, start=before_date, until=after_date))
    last_date, last_id, last = dates[-1]
    days = (until - last_date).days
    if days > MAX_GAP_DAYS:
        end_word = "the end of the period" if until == ship.end else "today"
        if until != ship.end and until != dt.date.today():
            end_word = "the as-of date"
        findings.append(_gap(
            pair, last,
            f"{days} days without a meeting since {last_id} ({last_date}) until {end_word} "
            f"({until})",
            gap="last", days=days, start=last_date, until=until))
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
        files = plural(self.files, "file")
        if not self.findings:
            return f"no problems found in {files}"
        parts = [plural(count, word) for count, word in
                 ((self.errors, "error"), (self.warnings, "warning")) if count]
        return f"{' and '.join(parts)} in {files}"

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
    checked = check_repository(repo, as_of)  # sorted and distinct already
    findings = sorted_findings([*findings, *checked]) if findings else checked
    chosen = set(pair_ids)
    if chosen != set(repo.pairs):
        findings = [f for f in findings if _pair_of(f.path) in chosen or _pair_of(f.path) is None]
    return CheckReport(findings, files_read(repo))


def files_read(repo: Repository) -> int:
    """Every record file read, whether it loaded or not (regiotwin.yaml included)."""
    return (
        1
        + len(repo.events) + len(repo.broken_events)
        + sum(
            (1 if p.partnership or (p.folder / PAIR_FILE).is_file() else 0)
            + sum(len(p.records(k)) for k in RECORD_DIRS)
            + sum(len(stems) for stems in p.broken.values())
            for p in repo.pairs.values()
        )
    )


def _pair_of(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) > 1 and parts[0] == PAIRS_DIR else None


# --- no figure from bad data -------------------------------------------------------------------


@dataclass
class Screening:
    """Which of the chosen pairs may show figures (SPEC §3): a pair with errors — its own, or
    in the files every pair shares (regiotwin.yaml, events/) — gives no document or figure,
    unless a draft is asked for, which then says so.

    It holds each pair's data findings, made once per command (receipts are hashed here), so
    that documents take their obligations from it instead of checking again."""

    repo: Repository
    pair_ids: list[str]
    errors: dict[str, list[Finding]]  # per chosen pair: every error that concerns it
    warnings: dict[str, list[Finding]] = field(default_factory=dict)  # the pair's own data
    warned: bool = True  # whether the warnings were made (a figure needs only the errors)

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

    def left_out(self, draft: bool) -> list[str]:
        """The chosen pairs that give no figures (exit 1)."""
        shown = self.shown(draft)
        return [p for p in self.pair_ids if p not in shown]

    def error_findings(self, pair_ids: list[str] | None = None) -> list[Finding]:
        """The distinct errors of the given pairs (default: all chosen), each once."""
        chosen = self.pair_ids if pair_ids is None else pair_ids
        return sorted_findings(f for p in chosen for f in self.errors[p])

    def error_count(self, pair_ids: list[str] | None = None) -> int:
        return len(self.error_findings(pair_ids))

    def unmet(self, pair_id: str, as_of: dt.date) -> list[Finding]:
        """The pair's warnings as of *as_of*: those of its data, and its obligations."""
        assert self.warned, "screened without warnings"
        pair = self.repo.pairs[pair_id]
        found = self.warnings.get(pair_id, []) + obligation_findings(self.repo, pair, as_of)
        return sorted_findings(found)


def screen(repo: Repository, load_findings: list[Finding], pair_ids: list[str],
           warnings: bool = True) -> Screening:
    """Check the chosen pairs (and the shared files) and sort the errors by the pair they
    concern. A broken file in one pair never stops the others. Without *warnings*, only the
    errors are made (what a figure or an export needs)."""
    rates = TravelRates(repo.root)
    shared = [f for f in load_findings if _pair_of(f.path) is None] + _check_events(repo)
    shared += rates.findings()  # a broken rate file: no figure from any pair until it is fixed
    own: dict[str, list[Finding]] = defaultdict(list)
    for finding in load_findings:
        pair_id = _pair_of(finding.path)
        if pair_id is not None:
            own[pair_id].append(finding)
    errors, found_warnings = {}, {}
    with paused_gc():  # a finding per expense, and no cycles (see paused_gc)
        for pair_id in pair_ids:
            checked = pair_findings(repo, repo.pairs[pair_id], rates, warnings)
            found = own[pair_id] + checked + shared
            errors[pair_id] = sorted_findings(f for f in found if f.severity == "error")
            found_warnings[pair_id] = [f for f in checked if f.severity == "warning"]
    if repo.cache is not None:
        repo.cache.save()  # the receipts' hashes
    return Screening(repo, list(pair_ids), errors, found_warnings, warnings)


def draft_banner(errors: int) -> str:
    """The German line at the top of every draft document or export."""
    return f"ENTWURF — die Daten enthalten {errors} Fehler"


def incomplete_banner(screening: Screening, draft: bool) -> str | None:
    """The German line at the top of an export that leaves pairs out (a Belegliste opened in
    Excel shows it in its first cell), or None when every chosen pair is in it."""
    left_out = screening.left_out(draft)
    if not left_out:
        return None
    pairs = ", ".join(f"{p} ({screening.error_count([p])} Fehler)" for p in left_out)
    return f"UNVOLLSTÄNDIG — nicht enthalten: {pairs}"
