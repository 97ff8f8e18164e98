"""fmt over generated records written oddly by hand: comments at random places, odd-but-valid
quoting, keys in any order. fmt(fmt(x)) == fmt(x), the record reads the same before and after,
every comment is kept and stays with its key, and the keys end up in the model's order."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regiotwin.fmt import tidy_text
from regiotwin.loader import validate
from regiotwin.models import Expense, Measure, Meeting, Partnership, Record, dump
from regiotwin.store import record_data
from regiotwin.validation import validated
from regiotwin.yamlio import YamlError, dump_yaml, parse_yaml, yaml_comments

# --- records -------------------------------------------------------------------------------------

_char = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                      blacklist_characters="\ufeff\ufffe\uffff\x85")
_tricky = st.sampled_from(["no", "yes", "10:00", "12.5", "2016-06-15", "~", "null", "true",
                           "#x", "a #b", "a: b", "- x", "[x]", "{x}", "'q'", '"dq"', "x'y",
                           "Ä ß €", " lead", "trail ", "a  b", "0012", "1_000", "@x", "%x",
                           "`x`", "! x", "& y", "*z", "a, b", "|", ">"])
_special = st.sampled_from(["\n", " ", ":", "#", "'", '"', "-", ",", "[", "{"])
text = st.one_of(
    _tricky,
    st.lists(st.one_of(_char, _special), min_size=1, max_size=14).map("".join),
    st.lists(st.sampled_from(["Stand", "der", "Planung", "Gießen", "–", "12,50"]),
             min_size=2, max_size=6).map(" ".join),
).filter(lambda s: s.strip() != "")
lines_of_text = st.lists(text.filter(lambda s: "\n" not in s), min_size=2, max_size=4).map(
    "\n".join) | text
slug = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}\Z")
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2018, 12, 31))
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _valid(model: type[Record]) -> Any:
    def build(data: dict[str, Any]) -> Record | None:
        try:
            return validated(model, {k: v for k, v in data.items() if v is not None})
        except ValueError:
            return None

    return build


expenses = st.fixed_dictionaries({
    "id": slug, "receipt_no": maybe(st.integers(1, 999)), "date": dates, "partner": slug,
    "category": st.sampled_from(["project", "travel"]), "amount": money,
    "description": text, "payee": maybe(text),
    "receipt": maybe(st.fixed_dictionaries({"path": text, "sha256": st.just("a" * 64)})),
    "meeting": maybe(slug), "over_cap": st.booleans(),
    "cancelled": maybe(st.fixed_dictionaries({"date": dates, "reason": text})),
    "example": st.booleans(),
}).map(_valid(Expense))
meetings = st.fixed_dictionaries({
    "id": slug, "date": dates, "time": maybe(st.sampled_from(["09:30", "10:00", "23:59"])),
    "kind": st.sampled_from(["jour-fixe", "workshop", "phone-conference"]), "title": text,
    "location": maybe(text), "participants": st.lists(text, max_size=3),
    "agenda": st.lists(text, max_size=3), "minutes": maybe(lines_of_text),
    "actions": st.lists(st.fixed_dictionaries({
        "what": text, "owner": maybe(text), "due": maybe(dates), "done": st.booleans()}),
        max_size=3),
}).map(_valid(Meeting))
measures = st.fixed_dictionaries({
    "id": slug, "title": text, "description": maybe(lines_of_text),
    "owners": st.lists(slug, min_size=1, max_size=2),
    "status": st.sampled_from(["planned", "in-progress", "done"]),
    "start": maybe(dates), "planned_cost": maybe(money), "needs_decision": st.booleans(),
    "effect": maybe(st.fixed_dictionaries({
        "value": st.decimals(min_value=Decimal("0.1"), max_value=Decimal("999"), places=1),
        "unit": text})),
}).map(_valid(Measure))
_partner = st.fixed_dictionaries({
    "id": slug, "name": text, "kind": maybe(st.sampled_from(["Landkreis", "Stadt"])),
    "grant_cap": maybe(money),
    "contacts": st.lists(st.fixed_dictionaries({
        "name": text, "function": maybe(text), "phone": maybe(text)}), max_size=2),
})
partnerships = st.fixed_dictionaries({
    "id": slug, "title": text, "topic": text, "start": dates, "end": maybe(dates),
    "consultant": maybe(st.fixed_dictionaries({"name": text, "email": st.just("a@b.de")})),
    "partners": st.lists(_partner, min_size=2, max_size=2), "notes": maybe(lines_of_text),
}).map(_valid(Partnership))
records = st.one_of(expenses, meetings, measures, partnerships).filter(
    lambda m: m is not None)

MONEY_KEYS = {"amount", "planned_cost", "grant_cap"}


# --- writing a record the way a person might -----------------------------------------------------


def _reads(text: str, value: Any) -> bool:
    try:
        data = parse_yaml(text).data
    except YamlError:
        return False
    return written_equal(data.get("k"), value)


def written_equal(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


class Hand:
    """Writes a record's data as YAML with random layout, quoting and comments; remembers each
    comment and the key it was written above (or at the end of)."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.lines: list[str] = []
        self.comments: list[str] = []
        self.above: list[tuple[str, str]] = []  # (comment, key below it)
        self.eol: list[tuple[str, str | None]] = []  # (comment, key on its line, if any)
        self.after_keep = False  # a block that keeps its final newlines swallows blank lines

    def comment(self) -> str:
        words = self.draw(st.text(_char, max_size=12)).rstrip()
        note = f"# c{len(self.comments)} {words}".rstrip()
        self.comments.append(note)
        return note

    def blank(self) -> None:
        if not self.after_keep and self.draw(st.integers(0, 4)) == 0:
            self.lines.append("")

    def add(self, line: str, key: str | None = None, *, comment: bool = True) -> None:
        if comment and self.draw(st.integers(0, 3)) == 0:
            note = self.comment()
            self.eol.append((note, key))
            line += " " * self.draw(st.integers(1, 3)) + note
        self.lines.append(line)
        self.after_keep = False

    # scalars

    def scalar(self, value: Any, key: str, flow: bool) -> str:
        draw = self.draw
        if isinstance(value, bool):
            return draw(st.sampled_from(["true", "True", "TRUE"] if value
                                        else ["false", "False", "FALSE"]))
        if isinstance(value, int):
            return str(value)
        if isinstance(value, Decimal):
            forms = [format(value, "f"), format(value.normalize(), "f")]
            if key in MONEY_KEYS:
                forms.append("'" + format(value, "f").replace(".", ",") + "'")
            return str(draw(st.sampled_from(forms)))
        if isinstance(value, dt.date):
            return str(draw(st.sampled_from(
                [value.isoformat(), f"'{value.isoformat()}'", f'"{value.isoformat()}"'])))
        assert isinstance(value, str)
        forms = [json.dumps(value, ensure_ascii=False)]
        if "\n" not in value:
            forms.append("'" + value.replace("'", "''") + "'")
        plain = f"[{value}]" if flow else value
        if "\n" not in value and _reads(f"k: {plain}\n", [value] if flow else value):
            forms.append(value)
        return str(draw(st.sampled_from(forms)))

    def string_block(self, prefix: str, value: str, key: str | None, parent: int) -> bool:
        """Text written over several lines, as a block or folded plain text; *parent* is the
        column of its key or its list item's `-`."""
        draw = self.draw
        if "\n" in value:
            dumped = dump_yaml({"k": value})
            if dumped.startswith("k: |") and draw(st.booleans()):
                header, *body = dumped.removesuffix("...\n")[3:].split("\n")
                self.add(prefix + header, key)
                self.lines.extend((" " * parent + line) if line else "" for line in body[:-1])
                self.after_keep = header.startswith("|+") or header.startswith("|2+")
                return True
            return False
        spaces = [i for i in range(1, len(value) - 1)
                  if value[i] == " " and value[i - 1] != " " and value[i + 1] != " "]
        if spaces and _reads(f"k: {value}\n", value) and draw(st.integers(0, 3)) == 0:
            at = draw(st.sampled_from(spaces))
            self.lines.append(f"{prefix}{value[:at]}")
            self.add(" " * (parent + 2) + value[at + 1:])  # a comment at its end
            return True
        return False

    # collections

    def key_text(self, key: str) -> str:
        return str(self.draw(st.sampled_from([key, key, key, f"'{key}'", f'"{key}"'])))

    def mapping(self, data: dict[str, Any], indent: int, dash: str | None = None) -> None:
        """A block mapping at *indent*; *dash* is the `- ` line start of a list item."""
        keys = self.draw(st.permutations(list(data)))
        for n, key in enumerate(keys):
            first_of_item = dash is not None and n == 0
            if not first_of_item:
                self.blank()
                for _ in range(self.draw(st.integers(0, 2) | st.just(0))):
                    note = self.comment()
                    self.lines.append(" " * self.draw(st.sampled_from([indent, 0])) + note)
                    self.above.append((note, key))
            prefix = (dash if first_of_item else " " * indent) + self.key_text(key) + ":"
            self.entry(prefix, key, data[key], indent)

    def entry(self, prefix: str, key: str, value: Any, indent: int) -> None:
        draw = self.draw
        if isinstance(value, dict):
            if draw(st.booleans()) and all(not isinstance(v, (dict, list)) and not (
                    isinstance(v, str) and "\n" in v) for v in value.values()):
                order = draw(st.permutations(list(value)))
                inner = ", ".join(f"{k}: {self.scalar(value[k], k, True)}" for k in order)
                self.add(f"{prefix} {{{inner}}}", key)
                return
            self.add(prefix, key)
            self.mapping(value, indent + 2)
        elif isinstance(value, list):
            if not value:
                self.add(f"{prefix} []", key)
            elif all(not isinstance(v, (dict, list)) for v in value) and draw(st.booleans()):
                inner = ", ".join(self.scalar(v, key, True) for v in value)
                self.add(f"{prefix} [{inner}]", key)
            else:
                self.add(prefix, key)
                dash_at = indent + draw(st.sampled_from([0, 2]))
                for item in value:
                    if draw(st.integers(0, 3)) == 0 and not self.after_keep:
                        self.lines.append(" " * dash_at + self.comment())
                    if isinstance(item, dict):
                        self.mapping(item, dash_at + 2, dash=" " * dash_at + "- ")
                    elif not (isinstance(item, str) and self.string_block(
                            " " * dash_at + "- ", item, None, dash_at)):
                        self.add(" " * dash_at + "- " + self.scalar(item, key, False))
        elif isinstance(value, str) and self.string_block(prefix + " ", value, key, indent):
            return
        else:
            self.add(f"{prefix} {self.scalar(value, key, False)}", key)


@st.composite
def hand_written(draw: Any) -> tuple[Record, str, Hand]:
    model = draw(records)
    hand = Hand(draw)
    if draw(st.booleans()):
        hand.lines.extend(hand.comment() for _ in range(draw(st.integers(1, 2))))
        hand.lines.append("")
    hand.mapping(record_data(model), 0)
    if draw(st.booleans()):
        hand.lines.append(hand.comment())
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))  # Windows line ends now and then
    return model, newline.join(hand.lines) + newline, hand


def _key_of(line: str) -> str:
    return line.strip().removeprefix("- ").split(":")[0]


def _in_model_order(data: Any, reference: Any) -> bool:
    if isinstance(data, dict) and isinstance(reference, dict):
        order = [k for k in reference if k in data]
        return list(data) == order and all(_in_model_order(data[k], reference[k]) for k in data)
    if isinstance(data, list) and isinstance(reference, list):
        return all(_in_model_order(d, r) for d, r in zip(data, reference))
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=hand_written())
def test_fmt_is_idempotent_keeps_the_record_and_every_comment_with_its_key(
    case: tuple[Record, str, Hand],
) -> None:
    model, text, hand = case
    before, problems = validate(type(model), parse_yaml(text), "")
    assert before == model, problems  # the hand-written file says what the model says
    assert sorted(yaml_comments(text)) == sorted(hand.comments)

    once = tidy_text(text, model)
    after, problems = validate(type(model), parse_yaml(once), "")
    assert after == model, problems
    assert tidy_text(once, model) == once
    assert sorted(yaml_comments(once)) == sorted(hand.comments)
    assert ("\r\n" in text) == ("\n" not in once.replace("\r\n", ""))  # line ends kept
    assert _in_model_order(parse_yaml(once).data, dump(model))

    lines = once.splitlines()
    where = {line.strip(): n for n, line in enumerate(lines) if line.lstrip().startswith("#")}
    for note, key in hand.above:
        below = where[note] + 1
        while lines[below].lstrip().startswith("#"):
            below += 1
        assert _key_of(lines[below]) == key, (note, once)
    for note, key in hand.eol:
        (line,) = [line for line in lines if line.endswith(note)]
        assert key is None or _key_of(line) == key, (note, once)


_words = st.lists(st.one_of(
    st.sampled_from(["yes", "No", "ON", "off", "Null", "y", "n", "a", "Ä", "ß", "x1", "_", "1",
                     "–", "-", ".", ",", "(", ")", "/", " ", "  ", ":", "#", "'", "é", "²"]),
    _char), min_size=1, max_size=6).map("".join)


@settings(max_examples=1000)
@given(value=st.one_of(_words, text, dates, money, st.integers(-10**6, 10**12), st.booleans(),
                       st.decimals(allow_nan=False, allow_infinity=False, places=3)),
       flow=st.booleans())
def test_values_are_written_as_pyyaml_writes_them(value: Any, flow: bool) -> None:
    """fmt writes common values without PyYAML's slow emitter; the result is the same."""
    import yaml

    from regiotwin.yamlio import _Dumper, _rendered

    out = yaml.dump({"k": value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                    default_flow_style=flow, width=1 << 30, indent=2)
    if out.endswith("\n...\n"):  # the end marker after a block keeping its final newlines
        out = out[:-4]
    assert _rendered(value, flow) == (out[4:-2] if flow else out[3:-1])
