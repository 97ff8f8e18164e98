"""Making a pair's documents: which report, as of when, from which findings and texts.

A command screens the repository once (`checks.Screening`: receipts hashed, data checked) and
asks here for one document or for all of them; each report takes its obligations from that
screening as of its own date, never checking again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from regiotwin.asof import as_of_for
from regiotwin.checks import Screening, draft_banner
from regiotwin.context import CouncilOptions, ReportRequest, report_context
from regiotwin.reports import KINDS, draft_document, render, template_for
from regiotwin.texts import read_texts


def make_report(
    root: Path,
    screening: Screening,
    pair_id: str,
    request: ReportRequest,
    given_as_of: dt.date | None,
    today: dt.date,
    template: Path | None = None,
    texts: dict[str, str] | None = None,
) -> Rendered:
    """One document of one screened pair, as of the report's date (`asof.as_of_for`), with
    what its maker should hear (a council session before the paper's date); a pair with
    errors (shown only as a draft) gets the ENTWURF banner."""
    pair = screening.repo.pairs[pair_id]
    assert pair.partnership is not None
    as_of = as_of_for(request.kind, pair.partnership.model, given_as_of, today)
    errors = screening.error_count([pair_id])
    context = report_context(
        request, screening.repo, pair, as_of, screening.unmet(pair_id, as_of),
        read_texts(pair.folder) if texts is None else texts, errors)
    text = render(root, template_for(root, request.kind, template), context.variables())
    warnings = context.council.warnings if context.council else []
    return Rendered(draft_document(text, draft_banner(errors)) if errors else text, warnings)


@dataclass(frozen=True)
class Rendered:
    text: str
    warnings: list[str]


@dataclass(frozen=True)
class Document:
    path: PurePosixPath  # relative to the output folder: <pair>/<kind>.md
    text: str
    warnings: list[str]


def all_reports(
    root: Path,
    screening: Screening,
    kinds: list[str],
    given_as_of: dt.date | None,
    today: dt.date,
    draft: bool,
    council: CouncilOptions | None = None,
) -> Iterator[Document]:
    """Every document of *kinds* for each pair that may show figures (`Screening.shown`):
    `<pair>/<kind>.md`; minutes one per meeting held by the as-of date
    (`<pair>/minutes/<meeting>.md`), council papers one per partner
    (`<pair>/council/<partner>.md`)."""
    options = council or CouncilOptions()
    for pair_id in screening.shown(draft):
        pair = screening.repo.pairs[pair_id]
        assert pair.partnership is not None
        ship = pair.partnership.model
        texts = read_texts(pair.folder)
        base = PurePosixPath(pair_id)
        for kind in kinds:
            if kind == "minutes":
                as_of = as_of_for(kind, ship, given_as_of, today)
                held = sorted((m.model.date, m.model.id) for m in pair.meetings
                              if m.model.date <= as_of)
                for _, meeting_id in held:
                    request = ReportRequest(kind, meeting_id=meeting_id)
                    yield _document(base / "minutes" / f"{meeting_id}.md", make_report(
                        root, screening, pair_id, request, given_as_of, today, texts=texts))
            elif kind == "council":
                for partner in ship.partners:
                    request = ReportRequest(kind, council=replace(options, partner=partner.id))
                    yield _document(base / "council" / f"{partner.id}.md", make_report(
                        root, screening, pair_id, request, given_as_of, today, texts=texts))
            else:
                yield _document(base / f"{kind}.md", make_report(
                    root, screening, pair_id, ReportRequest(kind), given_as_of, today,
                    texts=texts))


def _document(path: PurePosixPath, made: Rendered) -> Document:
    return Document(path, made.text, made.warnings)


def kinds_for(kind: str | None) -> list[str]:
    """The kinds `--all` renders: the one named, or every kind."""
    return [kind] if kind else list(KINDS)
