"""The free texts of a pair: Markdown files in its `texts/` folder that the final report and the
Sachbericht of the Verwendungsnachweis take whole (results, experiences, outlook).

They are not records: no id, no YAML, no model. `check` reads them to say when one cannot be
used (not UTF-8, too large, a control character) or is named so that no report takes it.
"""

from __future__ import annotations

from pathlib import Path

from regiotwin.errors import Finding
from regiotwin.limits import LimitError, nfc, read_capped, text_problem
from regiotwin.loader import TEXTS_DIR

SUFFIX = ".md"
# the sections the final report takes, in its order (their German headings live in the template)
SECTIONS = ("ergebnisse", "erfahrungen", "ausblick")


def text_files(folder: Path) -> list[Path]:
    """The Markdown files of a pair's texts/ folder, in name order (hidden ones left out)."""
    base = folder / TEXTS_DIR
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir()
                  if p.name.endswith(SUFFIX) and not p.name.startswith(".") and p.is_file())


def read_text(path: Path) -> str:
    """One text as the documents take it; raises ValueError saying why it cannot be used."""
    try:
        raw = read_capped(path)
    except LimitError as exc:
        raise ValueError(exc.message) from None
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text; save it as UTF-8") from None
    problem = text_problem(text)
    if problem:
        raise ValueError(problem)
    return nfc(text).strip()


def read_texts(folder: Path) -> dict[str, str]:
    """The pair's texts by section; a missing, empty or unusable file is left out (`check`
    says why it cannot be used)."""
    texts: dict[str, str] = {}
    for section in SECTIONS:
        path = folder / TEXTS_DIR / (section + SUFFIX)
        if not path.is_file():
            continue
        try:
            text = read_text(path)
        except (ValueError, OSError):
            continue
        if text:
            texts[section] = text
    return texts


def check_texts(folder: Path, where: str) -> list[Finding]:
    """Problems of the texts/ folder of the pair at *where* (its path relative to the root)."""
    findings: list[Finding] = []
    known = ", ".join(s + SUFFIX for s in SECTIONS)
    for path in text_files(folder):
        rel = f"{where}/{TEXTS_DIR}/{path.name}"
        section = path.name.removesuffix(SUFFIX)
        if section not in SECTIONS:
            findings.append(Finding(
                rel, 0, "warning",
                f"no report uses {TEXTS_DIR}/{path.name}; the final report reads {known}",
                code="text-unused", values={"file": f"{TEXTS_DIR}/{path.name}"}))
            continue
        try:
            read_text(path)
        except (ValueError, OSError) as exc:
            findings.append(Finding(rel, 0, "error", f"cannot be used in a report: {exc}",
                                    code="text-unreadable"))
    return findings
