"""Ids are lowercase slugs; every file and folder name is made through here."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# `--` joins the two partner ids of a pair, so it is allowed inside an id.
ID_RE = re.compile(r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$")

_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
_WINDOWS_DEVICES = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
MAX_SLUG = 60


class SlugError(ValueError):
    """Text that cannot name a file."""


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """`Landkreis Teltow-Fläming` → `landkreis-teltow-flaeming`: the German umlaut rules first,
    then every other script transliterated (`Słubice` → `slubice`, `Москва` → `moskva`)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(_GERMAN.get(ch, ch) for ch in text)
    if not text.isascii():  # what is ASCII already needs no table (it costs 5-10 ms to load)
        from text_unidecode import unidecode

        text = unidecode(text)
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def checked_slug(text: str, what: str) -> str:
    """Slug of *text*, refusing names that would make no safe file name."""
    slug = slugify(text)
    if not slug:
        raise SlugError(f"{what} {text!r} gives an empty id; use letters or digits")
    check_id(slug, what)
    return slug


def check_id(value: str, what: str = "id") -> str:
    """Refuse an id that is not a slug or that Windows cannot use as a file name."""
    if not ID_RE.match(value):
        raise SlugError(
            f"{what} {value!r} is not a valid id: use lowercase letters a-z, digits and '-'"
        )
    if value in _WINDOWS_DEVICES:
        raise SlugError(f"{what} {value!r} is a reserved device name on Windows; choose another")
    return value
