"""The safe YAML reader and the atomic writer (SPEC §7, issue #3)."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, SequenceNode

from regiotwin.lines import line_in
from regiotwin.yamlio import (
    MAX_BYTES,
    RecordExistsError,
    YamlError,
    dump_yaml,
    line_tree,
    parse_yaml,
    read_yaml,
    write_atomic,
)


def error_of(text: str) -> tuple[int, str]:
    with pytest.raises(YamlError) as info:
        parse_yaml(text)
    return info.value.line, info.value.message


def test_values_mean_what_a_person_typed() -> None:
    data = parse_yaml(
        "a: NO\nb: yes\nc: on\nd: 14:30\ne: 01234\nf: 12.50\ng: 2016-06-27\nh: 3\ni: true\nj:\n"
    ).data
    assert data == {
        "a": "NO",
        "b": "yes",
        "c": "on",
        "d": "14:30",
        "e": "01234",
        "f": Decimal("12.50"),
        "g": dt.date(2016, 6, 27),
        "h": 3,
        "i": True,
        "j": None,
    }
    assert isinstance(data["f"], Decimal)


def test_impossible_date_is_an_error_with_its_line() -> None:
    assert error_of("id: x\ndate: 2016-02-30\n") == (
        2,
        "2016-02-30 is not a real date (day is out of range for month)",
    )


def test_duplicate_key_names_both_lines() -> None:
    assert error_of("title: a\nid: x\ntitle: b\n") == (
        3,
        "duplicate key 'title' (lines 1 and 3); keep one",
    )


def test_alias_bomb_is_refused_at_once() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    assert error_of(bomb) == (1, "anchors and aliases (& and *) are not allowed; write the value out")


def test_python_tag_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    line, message = error_of(f"a: 1\nb: !!python/object/apply:os.system ['touch {marker}']\n")
    assert line == 2
    assert message.startswith("tags like ")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (1, "the file is empty; it must hold a mapping of keys to values")),
        ("# only a comment\n", (1, "the file is empty; it must hold a mapping of keys to values")),
        ("- a\n- b\n", (1, "the file holds a list; it must hold a mapping of keys")),
        ("just text\n", (1, "the file holds a single value; it must hold a mapping of keys")),
        ("a: 1\n---\nb: 2\n", (2, "the file holds several YAML documents (---); keep one")),
        ("a:\n\tb: 1\n", (2, "tab characters cannot indent YAML; indent with spaces")),
        ("a: x\x07y\n", (1, "control character U+0007 is not allowed")),
        ("a: 1\nb: [1, 2\n", (3, "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence")),
    ],
)
def test_unacceptable_documents(text: str, expected: tuple[int, str]) -> None:
    assert error_of(text) == expected


def test_cp1252_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("id: x\ntitle: Gießen\n".encode("cp1252"))
    with pytest.raises(YamlError) as info:
        read_yaml(path)
    assert (info.value.line, info.value.message) == (
        2,
        "the file is not UTF-8 (saved as Windows-1252?); save it as UTF-8",
    )


def test_utf8_bom_from_windows_editors_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffid: x\r\ntitle: Gießen\r\n".encode())
    assert read_yaml(path).data == {"id": "x", "title": "Gießen"}


def test_files_over_one_mebibyte_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    with pytest.raises(YamlError, match="larger than 1 MiB are refused"):
        read_yaml(path)


def test_line_of_walks_the_node_tree() -> None:
    doc = parse_yaml("id: x\npartners:\n- id: a\n  contacts:\n  - name: A\n    email: nope\n")
    assert doc.line_of(("partners", 0, "contacts", 0, "email")) == 6
    assert doc.line_of(("partners", 0, "missing")) == 3
    assert doc.line_of(()) == 1


def test_dump_quotes_what_other_readers_would_misread() -> None:
    text = dump_yaml(
        {
            "a": "NO",
            "b": "14:30",
            "c": "01234",
            "d": Decimal("12.50"),
            "e": dt.date(2016, 6, 27),
            "f": "Gießen",
            "g": "line one\nline two\n",
        }
    )
    assert text == (
        "a: 'NO'\nb: '14:30'\nc: '01234'\nd: 12.50\ne: 2016-06-27\nf: Gießen\n"
        "g: |\n  line one\n  line two\n"
    )
    assert parse_yaml(text).data["c"] == "01234"


def test_one_value_object_in_two_places_is_written_twice_never_as_an_anchor() -> None:
    """A trip whose mileage reached its cap holds one Decimal object as cap and amount; the
    reader refuses anchors, so the writer must never make one."""
    cap, meals = Decimal("130.00"), ["lunch"]
    text = dump_yaml({"mileage": {"cap": cap, "amount": cap}, "meals": [meals, meals]})
    assert "&" not in text and "*" not in text
    assert parse_yaml(text).data == {"mileage": {"cap": cap, "amount": cap},
                                     "meals": [meals, meals]}


def _line_by_nodes(doc: Any, loc: tuple[Any, ...]) -> int:
    """The node walk Document.line_of made before the line trees (issue #16): the reference."""
    node = doc.node
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if not -len(node.value) <= part < len(node.value):  # no such item
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


_keys = st.sampled_from(["a", "b", "items", "0"])
_trees = st.recursive(st.none() | st.integers(0, 9) | st.text("xy z", max_size=3),
                      lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(_keys, inner, max_size=3), max_leaves=12)


@settings(max_examples=300)
@given(data=st.dictionaries(_keys, _trees, min_size=1, max_size=4),
       loc=st.lists(_keys | st.integers(-1, 3), max_size=4))
def test_a_line_tree_finds_every_line_the_node_tree_finds(data: dict[str, Any],
                                                        loc: list[Any]) -> None:
    """The record cache keeps where keys are (line_tree); its answer is the parser's."""
    doc = parse_yaml(dump_yaml(data))
    assert line_in(line_tree(doc.node), loc) == _line_by_nodes(doc, tuple(loc))
    cached = json.loads(json.dumps(line_tree(doc.node)))  # as the cache file holds it
    assert line_in(cached, loc) == _line_by_nodes(doc, tuple(loc))


def test_new_record_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    write_atomic(path, "id: a\n", new=True)
    with pytest.raises(RecordExistsError):
        write_atomic(path, "id: b\n", new=True)
    assert path.read_text() == "id: a\n"
    assert sorted(os.listdir(tmp_path)) == ["a.yaml"]


def test_interrupted_write_leaves_the_old_file_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"id: a\ntitle: old\n")

    def crash(*_: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk unplugged"):
        write_atomic(path, "id: a\ntitle: new\n", new=False)
    assert path.read_bytes() == b"id: a\ntitle: old\n"
    assert sorted(os.listdir(tmp_path)) == ["a.yaml"]


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_noncharacters_are_refused_with_their_line(character: str) -> None:
    """PyYAML refuses U+FFFE and U+FFFF with an error of its own (it ended `check` and `fmt`
    in a traceback); the reader names them and their line like control characters."""
    assert error_of(f"name: RegioTwin\n# {character}\n") == (
        2, f"character U+{ord(character):04X} is not allowed")
