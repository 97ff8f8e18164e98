"""Finding records from what a person types: every id argument and option goes through here.

A record is found by its full id, its file name (`NAME.yaml`) or path, a unique prefix of its
id, or (meetings, decisions, expenses) a unique date in either notation; an expense also by its
Belegnummer (`GI-007`). Several matches are a usage error listing them; none is a refusal that
names the closest ids by edit distance. Partners are found by id or name, also when the name
differs only in case, composition or German transliteration (`Giessen` = `Gießen`); pairs by a
unique prefix or by one partner's id. Only the standard library is imported.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from regiotwin.dates import DateError, parse_date
from regiotwin.errors import RefusedError, UsageError
from regiotwin.slugs import slugify

T = TypeVar("T")
CLOSEST = 3
NEAR_EDITS = 2  # a participant this close to a contact's name is probably a typo


# --- edit distance ----------------------------------------------------------------------------


def distance(a: str, b: str) -> int:
    """The Levenshtein distance: insertions, deletions and substitutions from *a* to *b*."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (left != right)))
        previous = current
    return previous[-1]


def closest(ref: str, candidates: Iterable[str], count: int = CLOSEST) -> list[str]:
    """The *count* candidates nearest to *ref* by edit distance (ties by name)."""
    return sorted(set(candidates), key=lambda c: (distance(ref, c), c))[:count]


def near_misses(name: str, known: Iterable[str], edits: int = NEAR_EDITS) -> list[str]:
    """Names within *edits* edits of *name* but not equal to it: probably what was meant."""
    name = unicodedata.normalize("NFC", name)
    return sorted(k for k in set(known)
                  if k != name and abs(len(k) - len(name)) <= edits and distance(name, k) <= edits)


# --- records ----------------------------------------------------------------------------------


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


@dataclass
class Choices(Generic[T]):
    """What an argument may name: each item with its id and, where it has them, its date and
    further names (an expense's Belegnummer)."""

    what: str  # `meeting`, `measure`, …
    items: dict[str, T] = field(default_factory=dict)
    dates: dict[str, dt.date] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias → id

    def add(self, record_id: str, item: T, *, date: dt.date | None = None,
            aliases: Iterable[str] = ()) -> None:
        self.items.setdefault(record_id, item)
        if date is not None:
            self.dates[record_id] = date
        for alias in aliases:
            self.aliases.setdefault(_fold_alias(alias), record_id)


def _fold_alias(text: str) -> str:
    """`GI-007`, `gi-7` and `GI 7` name one Belegnummer."""
    prefix, _, number = text.strip().replace(" ", "-").rpartition("-")
    return f"{prefix.casefold()}-{int(number)}" if number.isdigit() else text.strip().casefold()


def _as_file_name(ref: str) -> str | None:
    """The id a file name or path names: `…/meetings/2016-07-20-jour-fixe.yaml` → the stem."""
    name = ref.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name if "/" in ref.replace("\\", "/") else None


def resolve(choices: Choices[T], ref: str, option: str) -> T:
    """The one item *ref* names (see the module docstring); UsageError when it names several,
    RefusedError when none."""
    found = matches(choices, ref)
    if len(found) == 1:
        return choices.items[found[0]]
    if found:
        raise UsageError(
            f"{option} {ref!r} matches {len(found)} {choices.what}s: {', '.join(found)}; "
            "give more of the id"
        )
    raise RefusedError(unknown_message(choices.what, ref, option, list(choices.items)))


def unknown_message(what: str, ref: str, option: str, known: Sequence[str]) -> str:
    """`no meeting 'x' (ID); the closest: a, b, c`."""
    if not known:
        return f"no {what} {ref!r} ({option}); there is no {what} yet"
    near = closest(_as_file_name(ref.strip()) or ref.strip(), known)
    return f"no {what} {ref!r} ({option}); the closest: {', '.join(near)}"


def matches(choices: Choices[T], ref: str) -> list[str]:
    """The ids *ref* names, best rule first: the full id, a file name or path, a Belegnummer,
    a date, a prefix."""
    text = ref.strip()
    if text in choices.items:
        return [text]
    stem = _as_file_name(text)
    if stem is not None:
        return [stem] if stem in choices.items else []
    alias = choices.aliases.get(_fold_alias(text))
    if alias is not None:
        return [alias]
    if choices.dates:
        try:
            day = parse_date(text)
        except DateError:
            pass
        else:
            on_day = sorted(i for i, d in choices.dates.items() if d == day)
            if on_day:
                return on_day
    return sorted(i for i in choices.items if i.startswith(text))


def choices_of(what: str, records: Iterable[T], ident: Callable[[T], _Identified],
               *, dated: bool = False) -> Choices[T]:
    """Choices over loaded records; *ident* gives the model (with `id`, and `date` if dated)."""
    found: Choices[T] = Choices(what)
    for record in records:
        model = ident(record)
        found.add(model.id, record, date=getattr(model, "date", None) if dated else None)
    return found


# --- partners, contacts, pairs ----------------------------------------------------------------


def name_keys(text: str) -> set[str]:
    """How a typed name is compared: `Landkreis Gießen`, `landkreis giessen`, `LANDKREIS
    GIEßEN` and `Landkreis Giessen` share a key; `Fläming` also meets `Flaming`."""
    composed = unicodedata.normalize("NFC", text.strip())
    plain = unicodedata.normalize("NFKD", composed).encode("ascii", "ignore").decode()
    return {k for k in (slugify(composed, max_length=10_000), slugify(plain, max_length=10_000))
            if k}


def same_name(a: str, b: str) -> bool:
    return bool(name_keys(a) & name_keys(b))


class _Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=_Named)


def find_partner(partners: Iterable[N], ref: str) -> N | None:
    """The partner with this id or name, or whose name is the same but for case, composition
    or transliteration (`Landkreis Giessen` finds `Landkreis Gießen`)."""
    ref = unicodedata.normalize("NFC", ref.strip())
    listed = list(partners)
    for partner in listed:
        if ref in (partner.id, partner.name):
            return partner
    found = [p for p in listed if same_name(ref, p.name) or same_name(ref, p.id)]
    return found[0] if len(found) == 1 else None


def unknown_partner(ref: str, option: str, partners: Iterable[_Named]) -> RefusedError:
    listed = list(partners)
    known = ", ".join(f"{p.id} ({p.name})" for p in listed)
    return RefusedError(f"unknown partner {ref!r} ({option}); partners: {known}")


def find_named(names: Iterable[str], ref: str) -> list[str]:
    """The names *ref* means: the exact one, else those equal but for case or transliteration."""
    listed = list(names)
    text = unicodedata.normalize("NFC", ref.strip())
    if text in listed:
        return [text]
    return [n for n in listed if same_name(text, n)]


def resolve_pair(ref: str, pair_ids: Sequence[str], option: str = "--pair",
                 partners: Mapping[str, Iterable[str]] | None = None,
                 *, selecting: bool = False) -> str:
    """A pair by its id, a unique prefix, or one partner's id (or name, with *partners*: pair
    id → partner ids and names) when only one pair has that partner. An unknown pair is a
    usage error when *selecting* the pair to work on, else (a reference in a record) a
    refusal."""
    text = ref.strip()
    if text in pair_ids:
        return text
    found = [p for p in pair_ids if p.startswith(text)]
    if not found:
        found = [p for p in pair_ids if text in p.split("--")]
    if not found and partners is not None:
        found = [p for p in pair_ids if any(same_name(text, n) for n in partners.get(p, ()))]
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"{option} {ref!r} matches {len(found)} pairs: {', '.join(found)}; "
                         "give more of the id")
    error = UsageError if selecting else RefusedError
    if not pair_ids:
        raise error(f"unknown pair {ref!r} ({option}); pairs: none yet (create one with "
                    "`partnership new`)")
    raise error(f"unknown pair {ref!r} ({option}); pairs: {', '.join(pair_ids)}")
