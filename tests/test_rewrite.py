"""Rewrites keep every comment with what it belongs to (issue #11, item 4): a comment line
belongs to the key or list item that follows it, an end-of-line comment to its line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, SequenceNode

from regiotwin import store
from regiotwin.models import Meeting
from regiotwin.validation import validated
from regiotwin.yamlio import (
    _Quoted,
    dump_yaml,
    parse_yaml,
    rewrite_yaml,
    written_alike,
    yaml_comments,
)
from tests.conftest import copy_example
from tests.test_fmt_properties import hand_written

EXAMPLE = "partnerships/landkreis-teltow-flaeming--landkreis-giessen"
PAIR_FILE = f"{EXAMPLE}/partnership.yaml"
KICKOFF = f"{EXAMPLE}/meetings/2016-06-15-auftaktworkshop-regio-twinning.yaml"
SUBMITTED = "# Beispieldaten: die Tage, an denen die Nachweise eingereicht wurden\n"
MAX = """\
  - name: Max Beispiel
    function: Klimaschutzmanager (Beispiel)
    email: klimaschutz-giessen@example.org
    phone: +49 641 000000
    example: true
"""
KIM = "  - name: Kim Gast\n    function: Praktikantin\n"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str) -> str:
    """Change the file *rel* by hand; its text now."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text.replace(old, new)


# --- the cases the trial found ------------------------------------------------------------------


def test_a_new_contact_goes_above_the_comment_of_the_next_key(
    example: Path, run: Callable[..., Result]
) -> None:
    text = (example / PAIR_FILE).read_text(encoding="utf-8")
    added = run("contact", "add", "--partner", "landkreis-giessen", "--name", "Kim Gast",
                "--function", "Praktikantin")
    assert added.exit_code == 0, added.stderr
    assert (example / PAIR_FILE).read_text(encoding="utf-8") == text.replace(
        MAX + SUBMITTED, MAX + KIM + SUBMITTED)
    removed = run("contact", "remove", "Max Beispiel")
    assert removed.exit_code == 0, removed.stderr
    assert (example / PAIR_FILE).read_text(encoding="utf-8") == text.replace(
        MAX + SUBMITTED, KIM + SUBMITTED)


def test_removing_the_only_contact_keeps_the_comments_of_others_once(
    example: Path, run: Callable[..., Result]
) -> None:
    own = "  # Max kommt aus dem Fachdienst Umwelt\n"
    text = edit(example, PAIR_FILE, MAX, own + MAX)
    removed = run("contact", "remove", "Max Beispiel")
    assert removed.exit_code == 0, removed.stderr
    assert (example / PAIR_FILE).read_text(encoding="utf-8") == text.replace(
        "  contacts:\n" + own + MAX + SUBMITTED, SUBMITTED)
    assert run("check", "--as-of", "2017-06-14").exit_code == 0


def test_a_new_participant_goes_above_the_comment_of_the_agenda(
    example: Path, run: Callable[..., Result]
) -> None:
    text = edit(example, KICKOFF, "agenda:\n", "# Tagesordnung wie verschickt\nagenda:\n")
    result = run("meeting", "set", "2016-06-15", "--participant", "Kim Gast @landkreis-giessen")
    assert result.exit_code == 0, result.stderr
    assert (example / KICKOFF).read_text(encoding="utf-8") == text.replace(
        "(IdE)\n# Tagesordnung", "(IdE)\n- Kim Gast @landkreis-giessen\n# Tagesordnung")


FOUR = """\
id: 2016-07-13-jour-fixe
date: 2016-07-13
title: Jour fixe
participants:
    - Anna Alt
agenda:
    - Arbeitsplan  # zuerst
    - Exkursion
actions:
    -   what: Angebote einholen
        # Bernd fragt zwei Firmen
        owner: stadt-b
    -   what: Entwurf schicken
"""


def test_lists_indented_by_four_keep_their_indentation(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Untouched parts keep the file's indentation; a new item stands under its siblings and
    is written inside as the tool writes (two spaces)."""
    rel = "partnerships/stadt-a--stadt-b/meetings/2016-07-13-jour-fixe.yaml"
    root = repo({rel: FOUR})
    assert run("meeting", "done", "2016-07-13-jour-fixe", "1").exit_code == 0
    done = (root / rel).read_text()
    # what marks the item done goes below its last key, at its indentation; nothing else moves
    last = "    -   what: Entwurf schicken\n"
    assert done.startswith(FOUR.removesuffix(last)) and done.endswith(last)
    added = done[len(FOUR) - len(last):-len(last)].splitlines()
    assert "        done: true" in added
    assert all(line.startswith("        ") and line[8] != " " for line in added)
    result = run("meeting", "set", "2016-07-13-jour-fixe", "--agenda", "Termine",
                 "--action", "Bericht schreiben @stadt-a", "--decision", "Arbeitsplan steht")
    assert result.exit_code == 0, result.stderr
    assert (root / rel).read_text() == done.replace(
        "    - Exkursion\n", "    - Exkursion\n    - Termine\ndecisions:\n- Arbeitsplan steht\n"
    ) + "    - what: Bericht schreiben\n      owner: stadt-a\n      done: false\n"


# --- what a rewrite does, in the core ------------------------------------------------------------


def rewritten(text: str, change: Callable[[dict[str, Any]], Any]) -> str:
    """*text* rewritten after *change* changed its data in place or returned new data."""
    was = parse_yaml(text).data
    now = parse_yaml(text).data
    returned = change(now)
    now = returned if isinstance(returned, dict) else now
    result = rewrite_yaml(text, was, now)
    assert written_alike(parse_yaml(result).data, now)
    return result


def test_a_removed_first_key_hands_the_dash_to_the_next() -> None:
    text = ("actions:\n# die erste\n- due: 2017-01-31  # verschoben\n  # wer\n"
            "  owner: stadt-b\n  what: Angebote\n")
    assert rewritten(text, lambda d: d["actions"][0].pop("due")) == (
        "actions:\n# die erste\n  # wer\n- owner: stadt-b\n  what: Angebote\n")


def test_a_new_first_key_takes_the_dash() -> None:
    text = "actions:\n# die erste\n- owner: stadt-b  # Bernd\n  done: true\n"

    def change(data: dict[str, Any]) -> None:
        data["actions"][0] = {"what": "Angebote", **data["actions"][0]}

    assert rewritten(text, change) == (
        "actions:\n# die erste\n- what: Angebote\n  owner: stadt-b  # Bernd\n  done: true\n")


def test_of_equal_items_the_one_changed_is_the_one_at_the_change() -> None:
    text = "agenda:\n- Bericht  # erster\n# der zweite\n- Bericht\n"
    assert rewritten(text, lambda d: d.update(agenda=["Haushalt", "Bericht"])) == (
        "agenda:\n- Haushalt  # erster\n# der zweite\n- Bericht\n")
    text = "actions:\n- what: Bericht\n# der zweite\n- what: Bericht\n"

    def change(data: dict[str, Any]) -> None:
        data["actions"][0]["done"] = True

    assert rewritten(text, change) == (
        "actions:\n- what: Bericht\n  done: true\n# der zweite\n- what: Bericht\n")


def test_a_value_that_changes_shape_keeps_its_comments() -> None:
    text = "id: m\nowners:  # wer\n# die Stadt\n- stadt-a  # zuerst\ntitle: T\n"
    assert rewritten(text, lambda d: d.update(owners="stadt-b")) == (
        "id: m\n# die Stadt\n# zuerst\nowners: stadt-b  # wer\ntitle: T\n")


def test_inline_lists_stay_inline_and_new_values_fill_empty_ones() -> None:
    text = "id: m\nowners: [stadt-a]  # beide?\ndue:\ntitle: T\n"

    def change(data: dict[str, Any]) -> None:
        data.update(owners=["stadt-a", "stadt-b"], due=dt.date(2017, 1, 31))

    assert rewritten(text, change) == (
        "id: m\nowners: [stadt-a, stadt-b]  # beide?\ndue: 2017-01-31\ntitle: T\n")


def test_a_removal_leaves_no_doubled_blank_line() -> None:
    text = "id: m\n\n# Termin\ndue: 2017-01-31\n\ntitle: T\n\n# Stand\nstatus: done\n"
    assert rewritten(text, lambda d: d.pop("due")) == (
        "id: m\n\ntitle: T\n\n# Stand\nstatus: done\n")
    assert rewritten(text, lambda d: d.pop("status")) == (
        "id: m\n\n# Termin\ndue: 2017-01-31\n\ntitle: T\n")


def test_a_comment_after_a_block_belongs_to_what_follows() -> None:
    text = ("id: m\nnotes: |-\n  erste Zeile\n  # keine Bemerkung, Text\n# zu den Terminen\n"
            "dates:\n- 2017-01-31\n")

    def change(data: dict[str, Any]) -> None:
        data["notes"] = "neu"
        data["dates"].append(dt.date(2017, 2, 28))

    assert rewritten(text, change) == (
        "id: m\nnotes: neu\n# zu den Terminen\ndates:\n- 2017-01-31\n- 2017-02-28\n")


def test_a_new_key_goes_below_the_header_and_above_the_first_keys_comments() -> None:
    text = "# Maßnahme aus dem Plan\n\n# die Kennung\nid: m\n"
    assert rewritten(text, lambda d: {"a": 1, **d}) == (
        "# Maßnahme aus dem Plan\n\na: 1\n# die Kennung\nid: m\n")


def test_blocks_that_keep_their_final_line_breaks_take_in_no_blank_line() -> None:
    """`|+` text ends only where something else starts: blank lines after it are its text."""
    text = "a: |+\n  x\nb: 1\n\nc: 2\n"
    assert rewritten(text, lambda d: d.pop("b")) == "a: |+\n  x\nc: 2\n"
    text = "a: 1\n\n# zu c\nc: 2\n"
    assert rewritten(text, lambda d: {"a": 1, "b": "x\n\n", "c": 2}) == (
        "a: 1\n\nb: |+\n  x\n\n# zu c\nc: 2\n")


def test_a_block_whose_last_line_is_a_no_break_space_keeps_it() -> None:
    """A no-break space is text to YAML, though Python's str.strip() takes it for blank."""
    text = "a: 1\nb: x\n# zu c\nc: 2\n"
    assert rewritten(text, lambda d: d.update(b="0\n\xa0")) == (
        "a: 1\nb: |-\n  0\n  \xa0\n# zu c\nc: 2\n")
    assert rewritten("b: |-\n  0\n  \xa0\nc: 2\n", lambda d: d.update(c=3)) == (
        "b: |-\n  0\n  \xa0\nc: 3\n")
    from regiotwin.fmt import tidy_text
    from regiotwin.models import Cancellation

    tidy = tidy_text('reason: "0\\n\xa0"\ndate: 2015-01-01\n',
                     Cancellation(date=dt.date(2015, 1, 1), reason="0\n\xa0"))
    assert tidy == "date: 2015-01-01\nreason: |-\n  0\n  \xa0\n"


def test_text_that_as_a_block_would_take_in_a_comment_is_quoted() -> None:
    """A comment line indented as deep as a block's text below it would become its text."""
    text = "actions:\n- what: A\n    # zu A, tief eingerückt\ntitle: T\n"
    assert rewritten(text, lambda d: d["actions"].append({"what": "B\nC"})) == (
        'actions:\n- what: A\n- what: "B\\nC"\n    # zu A, tief eingerückt\ntitle: T\n')
    assert rewritten(text, lambda d: d["actions"][0].update(what="A\nB")) == (
        'actions:\n- what: "A\\nB"\n    # zu A, tief eingerückt\ntitle: T\n')
    removed = "agenda:\n- |-\n  A\n  B\n- C\n  # zu D, unter dem Wert\ndecisions:\n- D\n"
    assert rewritten(removed, lambda d: d["agenda"].pop()) == (
        'agenda:\n- "A\\nB"\n  # zu D, unter dem Wert\ndecisions:\n- D\n')
    # two removals together, and a change with a removal, put a deep comment below a block
    kept = "notes: |-\n  A\n  B\nagenda:\n- C\ntitle: T\n  # zum Ende\n"
    assert rewritten(kept, lambda d: {"notes": "A\nB"}) == 'notes: "A\\nB"\n  # zum Ende\n'
    assert rewritten(kept, lambda d: {"notes": "A\nC", "title": "T"}) == (
        'notes: |-\n  A\n  C\ntitle: T\n  # zum Ende\n')
    assert rewritten(kept.replace("title: T\n", ""), lambda d: {"notes": "A\nC"}) == (
        'notes: "A\\nC"\n  # zum Ende\n')
    shallow = text.replace("    # zu A", "  # zu A")
    assert rewritten(shallow, lambda d: d["actions"][0].update(what="A\nB")) == (
        "actions:\n- what: |-\n    A\n    B\n  # zu A, tief eingerückt\ntitle: T\n")


def test_crlf_and_a_missing_final_line_break() -> None:
    text = "id: m\r\n# Stand\r\nstatus: planned"
    assert rewritten(text, lambda d: d.update(status="done", due=dt.date(2017, 1, 31))) == (
        "id: m\r\n# Stand\r\nstatus: done\r\ndue: 2017-01-31\r\n")


def test_the_store_keeps_comments_through_a_model_change() -> None:
    text = ("# Protokoll\nid: 2016-07-13-jour-fixe\ndate: 2016-07-13\ntitle: Jour fixe\n"
            "# wer da war\nparticipants:\n- Anna Alt\n# Punkte\nagenda:\n- Arbeitsplan\n")
    meeting = validated(Meeting, parse_yaml(text).data)
    changed = dataclasses.replace(meeting, participants=[], agenda=["Arbeitsplan", "Neu"])
    result = store.rewrite_record_text(text, changed, was=store.record_data(meeting))
    assert result == text.replace("# wer da war\nparticipants:\n- Anna Alt\n", "").replace(
        "- Arbeitsplan\n", "- Arbeitsplan\n- Neu\n")


# --- the property: comments at random places, random changes -------------------------------------

Path_ = tuple[str | int, ...]
END: Path_ = ("<end>",)


@st.composite
def shapes(draw: st.DrawFn, depth: int = 0) -> Any:
    """A mapping of 1–4 keys whose values are scalars (None: filled in later), mappings, lists
    of scalars or lists of mappings."""
    kinds = ["scalar", "scalar", "map", "list", "maps"] if depth < 3 else ["scalar"]
    data: dict[str, Any] = {}
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        if kind == "scalar":
            data[f"k{i}"] = None
        elif kind == "map":
            data[f"k{i}"] = draw(shapes(depth + 1))
        elif kind == "list":
            data[f"k{i}"] = [None] * draw(st.integers(1, 4))
        else:
            data[f"k{i}"] = [draw(shapes(depth + 2)) for _ in range(draw(st.integers(1, 3)))]
    return data


class Values:
    """Scalars that are all different (a list's items stay told apart), of every kind a
    record holds, some of which must be quoted or written as a block."""

    def __init__(self, kinds: list[int], start: int = 0) -> None:
        self.kinds = iter(kinds)
        self.count = start

    def next(self, in_list: bool = False) -> Any:
        self.count += 1
        n = self.count
        kind = next(self.kinds, 0) % 8
        if kind == 7 and in_list:  # two booleans in one list could not be told apart
            kind = 0
        return [f"Wert {n}", n, Decimal(f"{n}.50"), dt.date(2016, 1, 1) + dt.timedelta(n),
                f"{n // 60 % 24}:{n % 60:02d}",
                f"Zeile {n}\nund noch eine" if n % 2 else f"Zeile {n}\n\xa0",  # no-break space
                f"Nr.#{n} 'a #b'", n % 2 == 0][kind]

    def fill(self, shape: Any, in_list: bool = False) -> Any:
        if shape is None:
            return self.next(in_list)
        if isinstance(shape, dict):
            return {k: self.fill(v, in_list) for k, v in shape.items()}
        return [self.fill(v, in_list=True) for v in shape]


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk(value, (*path, i))


def at(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def heads(text: str) -> tuple[dict[int, Path_], dict[int, Path_], dict[Path_, int]]:
    """Of each line that starts a key or item: the outermost and the innermost thing it
    starts; and the line each thing starts on."""
    outer: dict[int, Path_] = {}
    inner: dict[int, Path_] = {}
    line_of: dict[Path_, int] = {}

    def mark(line: int, path: Path_) -> None:
        outer.setdefault(line, path)
        inner[line] = path
        line_of[path] = line

    def visit(node: Node, path: Path_) -> None:
        if isinstance(node, MappingNode):
            for key, value in node.value:
                mark(key.start_mark.line, (*path, key.value))
                visit(value, (*path, key.value))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                mark(item.start_mark.line, (*path, i))
                visit(item, (*path, i))

    visit(parse_yaml(text).node, ())
    return outer, inner, line_of


COMMENT_LINE = re.compile(r"^ *# c\d+$")
END_OF_LINE = re.compile(r"  # e\d+$")


def comments_of(text: str) -> list[tuple[int, str]]:
    """(line, comment) of the comments the test put in."""
    found = []
    for number, line in enumerate(text.splitlines()):
        if COMMENT_LINE.match(line):
            found.append((number, line.strip()))
        elif END_OF_LINE.search(line):
            found.append((number, END_OF_LINE.search(line).group().strip()))  # type: ignore
    return found


def free_above(lines: list[str], line: int) -> range:
    """The comment lines directly above *line*."""
    first = line
    while first > 0 and COMMENT_LINE.match(lines[first - 1]):
        first -= 1
    return range(first, line)


def head_column(line: str, path: Path_) -> int:
    """The column of the innermost key or `-` that *line* starts (*path*)."""
    if isinstance(path[-1], str):
        return len(line) - len(line.lstrip(" -"))
    return len(line) - len(line.lstrip(" "))


@st.composite
def commented(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A record as the tool writes it, with comment lines above keys and items (at their
    column, deeper, shallower, under the value above), after blocks, at the end, and at the
    ends of lines."""
    data = Values(draw(st.lists(st.integers(0, 7), min_size=60, max_size=60))).fill(
        draw(shapes()))
    lines = dump_yaml(data).splitlines()
    outer, inner, _ = heads(dump_yaml(data))
    count = iter(range(1000))
    ends = draw(st.sets(st.sampled_from(sorted(inner))))
    for line in ends:
        lines[line] += f"  # e{next(count)}"
    places = sorted(outer) + [len(lines)]
    above: dict[int, list[str]] = {}
    for place in draw(st.lists(st.sampled_from(places), max_size=12)):
        columns = {0}
        if place < len(lines):  # the column of the key or item below, and of its `-`
            columns.add(len(lines[place]) - len(lines[place].lstrip(" ")))
            columns.add(head_column(lines[place], inner[place]))
        previous = max((line for line in inner if line < place), default=None)
        if previous is not None:  # under the key or item above, or under its value
            columns.add(head_column(lines[previous], inner[previous]))
            columns.add(head_column(lines[previous], inner[previous]) + 2)
        if place > 0 and place - 1 not in outer:  # the last line of a block of text
            block = len(lines[place - 1]) - len(lines[place - 1].lstrip(" "))
            columns = {column for column in columns if column < block}
        column = draw(st.sampled_from(sorted(columns)))
        above.setdefault(place, []).append(" " * column + f"# c{next(count)}")
    for place in sorted(above, reverse=True):
        lines[place:place] = above[place]
    return data, "\n".join(lines) + "\n"


@st.composite
def changes(draw: st.DrawFn, data: dict[str, Any]
            ) -> tuple[dict[str, Any], Callable[[Path_], Path_ | None]]:
    """1–3 changes to *data* (set, append, remove an item, remove a key, empty a list, add a
    key), no two in one list; and what became of each old path (None: gone). The keys on a
    list item's `-` line are removed and added more often: they move the `-`."""
    # new text over several lines often: as a block, it must not take in a comment below it
    kinds = st.sampled_from([0, 1, 2, 3, 4, 5, 5, 5, 5, 6, 7])
    values = Values(draw(st.lists(kinds, min_size=20, max_size=20)), 10_000)
    now: dict[str, Any] = parse_yaml(dump_yaml(data)).data
    moves: list[Callable[[Path_], Path_ | None]] = []
    footprints: list[Path_] = []

    def footprint(path: Path_) -> Path_:
        """The outermost list that holds *path* (or is it), else *path*."""
        return next((path[:i] for i in range(len(path) + 1)
                     if isinstance(at(now, path[:i]), list)), path)

    def free(path: Path_) -> bool:
        mine = footprint(path)
        return not any(mine[:len(t)] == t or t[:len(mine)] == mine for t in footprints)

    for _ in range(draw(st.integers(1, 3))):
        options = []
        for path, value in walk(now):
            if not path or not free(path):
                continue
            parent = at(now, path[:-1])
            if not isinstance(value, (dict, list)):
                options.append(("set", path))
            if isinstance(value, list):
                options.append(("append", path))
                if len(value) > 1:
                    options += [("remove-item", (*path, i)) for i in range(len(value))]
            if isinstance(parent, dict) and len(parent) > 1:
                options.append(("empty" if isinstance(value, list) else "remove-key", path))
                if isinstance(path[-2:-1][0] if len(path) > 1 else None, int) and next(
                        iter(parent)) == path[-1]:  # the key on a list item's `-` line
                    options.append(("remove-first-key", path))
            if isinstance(value, dict):
                options.append(("add-key", path))
                if isinstance(path[-1], int):
                    options.append(("add-first-key", path))
        if free(()):
            options.append(("add-key", ()))
        if not options:
            break
        kind = draw(st.sampled_from(sorted({kind for kind, _ in options})))
        path = draw(st.sampled_from([path for k, path in options if k == kind]))
        footprints.append(footprint(path))
        if kind == "set":
            at(now, path[:-1])[path[-1]] = values.next(in_list=len(footprint(path)) < len(path))
        elif kind == "append":
            items = at(now, path)
            items.append(values.fill({"a": None, "b": None}, in_list=True)
                         if isinstance(items[0], dict) else values.next(in_list=True))
        elif kind == "remove-item":
            del at(now, path[:-1])[path[-1]]
            moves.append(_item_removed(path))
        elif kind in ("remove-key", "remove-first-key", "empty"):
            del at(now, path[:-1])[path[-1]]
            moves.append(lambda p, gone=path: None if p[:len(gone)] == gone else p)
        else:
            mapping = at(now, path)
            items = list(mapping.items())
            new = values.fill(draw(shapes(2)), in_list=len(footprint(path)) < len(path))
            place = 0 if kind == "add-first-key" else draw(st.integers(0, len(items)))
            items.insert(place, (f"n{values.count}", new))
            mapping.clear()
            mapping.update(items)

    def moved(path: Path_) -> Path_ | None:
        now_path: Path_ | None = path
        for move in moves:
            if now_path is None:
                return None
            now_path = move(now_path)
        return now_path

    return now, moved


def _item_removed(gone: Path_) -> Callable[[Path_], Path_ | None]:
    """What removing list item *gone* does to paths: it and what it holds are gone, the items
    after it move up by one."""
    depth = len(gone)

    def move(path: Path_) -> Path_ | None:
        if path[:depth] == gone:
            return None
        if len(path) >= depth and path[:depth - 1] == gone[:-1]:
            index = path[depth - 1]
            assert isinstance(index, int) and isinstance(gone[-1], int)
            if index > gone[-1]:
                return (*gone[:-1], index - 1, *path[depth:])
        return path

    return move


def last_line(lines: list[str], outer: dict[int, Path_], line_of: dict[Path_, int],
              path: Path_) -> int:
    """The last line of what *path* holds."""
    last = max(line for p, line in line_of.items() if p[:len(path)] == path)
    while last + 1 < len(lines) and last + 1 not in outer and not COMMENT_LINE.match(
            lines[last + 1]):
        last += 1  # the lines of a block of text
    return last


def quoted_where_needed(text: str, data: dict[str, Any]) -> dict[str, Any]:
    """*data* with the texts over several lines that *text* writes in quotes marked to be
    written so; each must stand right above a comment line that a block would take in."""
    lines = text.splitlines()
    _, _, line_of = heads(text)
    for path, value in walk(data):
        if isinstance(value, str) and "\n" in value and END_OF_LINE.sub(
                "", lines[line_of[path]]).endswith('"'):
            below = lines[line_of[path] + 1]
            column = head_column(lines[line_of[path]], path)
            assert COMMENT_LINE.match(below) and below.startswith(" " * (column + 2)), text
            at(data, path[:-1])[path[-1]] = _Quoted(value)
    return data


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_rewrite_keeps_the_comments_where_they_belong(data: st.DataObject) -> None:
    was, text = data.draw(commented())
    assert written_alike(parse_yaml(text).data, was)
    now, moved = data.draw(changes(was))
    result = rewrite_yaml(text, was, now)

    # (b) the file reads back as exactly the new data
    assert written_alike(parse_yaml(result).data, now)
    # (c) nothing else changed: without the comments it is what the tool writes, but for text
    # in quotes that as a block would take in the comment line below it
    stripped = [END_OF_LINE.sub("", line) for line in result.splitlines()
                if not COMMENT_LINE.match(line)]
    assert "\n".join(stripped) + "\n" == dump_yaml(quoted_where_needed(result, now))

    # (a) each comment is still there, once, with what it belongs to
    lines, new_lines = text.splitlines(), result.splitlines()
    outer, inner, line_of = heads(text)
    _, _, new_line_of = heads(result)
    kept = []
    for line, comment in comments_of(text):
        eol = comment.startswith("# e")
        if eol:
            owner = inner[line]
        else:
            following = next((n for n in range(line, len(lines)) if n in outer), None)
            owner = END if following is None else outer[following]
        target = None if owner == END else moved(owner)
        if owner != END and target is None:  # what it belongs to is gone
            head = line_of[owner]
            own_column = len(lines[head]) - len(lines[head].lstrip(" "))
            directly_above = line in free_above(lines, head) and all(
                lines[n].startswith(" " * own_column + "#")
                for n in range(line, head))
            inside = any(line_of[gone] < line <= last_line(lines, outer, line_of, gone)
                         for gone in line_of if moved(gone) is None)
            if eol or directly_above or inside:
                continue
            kept.append((comment, None))
            continue
        kept.append((comment, target))
    assert [comment for _, comment in comments_of(result)] == [c for c, _ in kept]
    for (number, comment), (_, target) in zip(comments_of(result), kept):
        if target is None:
            continue
        if target == END:
            assert all(n < number for n in new_line_of.values()), comment
        elif comment.startswith("# e"):
            assert number == new_line_of[target], comment
        else:
            assert number in free_above(new_lines, new_line_of[target]), comment


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_files_written_oddly_by_hand_are_edited_in_place(data: st.DataObject) -> None:
    """Records as a person might write them (fmt's generator: any indentation, inline lists,
    quoting, blank lines, blocks, comments anywhere, CRLF): every change is made by editing the
    text, which reads back as the new data; comments are only ever dropped, never added,
    doubled or reordered, and only by a change that removes something."""
    _, text, _ = data.draw(hand_written())
    was = parse_yaml(text).data
    now, moved = data.draw(changes(was))
    result = rewrite_yaml(text, was, now)
    assert written_alike(parse_yaml(result).data, now)
    assert ("\r\n" in text) == ("\r\n" in result)
    before, after = yaml_comments(text), yaml_comments(result)
    remaining = iter(before)
    assert all(comment in remaining for comment in after)  # a subsequence
    if all(moved(path) is not None for path, _ in walk(was)):
        assert after == before
