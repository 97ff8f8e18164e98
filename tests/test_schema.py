"""JSON Schemas for editors (issue #15): what the YAML language server sees agrees with `check`."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from regiotwin import schema
from regiotwin.checks import run_check
from regiotwin.cli import editors
from regiotwin.dates import parse_date
from regiotwin.loader import load_repository
from regiotwin.models import Partnership, parse_trip_time
from regiotwin.validation import validated
from regiotwin.yamlio import YamlError, _NodeLoader, parse_yaml
from tests.conftest import PAIR, PARTNERSHIP, SOURCE, copy_example

P = f"partnerships/{PAIR}"

# --- what the YAML language server sees -----------------------------------------------------------

# The YAML 1.2 core schema, as the YAML language server (eemeli/yaml) and check-jsonschema read
# plain scalars; quoted and block scalars are always strings.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    if node.style:  # quoted or a block; plain is None (or "" from the C parser)
        return text
    if _NULL.fullmatch(text):
        return None
    if _BOOL.fullmatch(text):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float(text.replace(".", ""))
    if _NAN.fullmatch(text):
        return float("nan")
    return text


def _data(node: Node) -> Any:
    if isinstance(node, MappingNode):
        return {key.value: _data(value) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [_data(item) for item in node.value]
    assert isinstance(node, ScalarNode)
    return _scalar(node)


def editor_view(text: str) -> Any:
    """The data a YAML 1.2 editor validates against the schema (an unquoted date is a string)."""
    loader = _NodeLoader(text)
    try:
        return _data(loader.get_single_node())
    finally:
        loader.dispose()


def _yaml12_reads_other_than_us(node: Node, ours: Any) -> bool:
    """A plain scalar that YAML 1.2 reads as a number, true or null and our reader as text."""
    if isinstance(node, MappingNode):
        return any(_yaml12_reads_other_than_us(v, ours.get(k.value) if isinstance(ours, dict)
                                               else None) for k, v in node.value)
    if isinstance(node, SequenceNode):
        items = ours if isinstance(ours, list) else []
        return any(_yaml12_reads_other_than_us(v, items[i] if i < len(items) else None)
                   for i, v in enumerate(node.value))
    return isinstance(ours, str) and not isinstance(_scalar(node), str)  # type: ignore[arg-type]


def validator(kind: str, schemas: Path | None = None) -> jsonschema.protocols.Validator:
    """A validator as check-jsonschema builds one: draft 2020-12, formats checked."""
    body = (json.loads((schemas / f"{kind}.schema.json").read_text("utf-8")) if schemas
            else schema.build_schema(schema.KINDS[kind]))
    cls = jsonschema.validators.validator_for(body)
    cls.check_schema(body)
    return cls(body, format_checker=cls.FORMAT_CHECKER)


VALIDATORS = {kind: validator(kind) for kind in schema.KINDS}


def schema_errors(kind: str, text: str) -> list[str]:
    return sorted(e.message for e in VALIDATORS[kind].iter_errors(editor_view(text)))


def model_accepts(kind: str, text: str) -> bool:
    try:
        doc = parse_yaml(text)
    except YamlError:
        return False
    try:
        validated(schema.KINDS[kind].model, doc.data)
    except ValueError:
        return False
    return True


# --- the shipped example and the editor settings ----------------------------------------------------


def _kind_of(rel: str) -> list[str]:
    return [name for name, kind in schema.KINDS.items() if PurePosixPath(rel).match(kind.glob)]


def test_every_example_record_is_valid_against_its_schema(tmp_path: Path) -> None:
    """Each record file of the example matches exactly one kind's glob and validates."""
    example = copy_example(tmp_path)
    repo, findings = load_repository(example)
    assert findings == []
    files = [example / "regiotwin.yaml", *example.glob("partnerships/**/*.yaml"),
             *example.glob("events/*.yaml")]
    assert len(files) == 1 + sum(
        1 + sum(len(pair.records(k)) for k in ("measures", "meetings", "decisions", "expenses"))
        for pair in repo.pairs.values()) + len(repo.events)
    for path in files:
        rel = path.relative_to(example).as_posix()
        kinds = _kind_of(rel)
        assert len(kinds) == 1, (rel, kinds)
        assert schema_errors(kinds[0], path.read_text("utf-8")) == [], rel


def test_the_repository_schemas_and_editor_settings_are_what_init_writes(
    run: Callable[..., Result],
) -> None:
    """This repository is a data repository too: `schema --check` passes here, and its .vscode
    is the one `init` writes (regenerate with `regiotwin schema` after changing the models)."""
    from regiotwin.scaffold import editor_files

    result = run("-C", str(SOURCE), "schema", "--check")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "the schemas in .regiotwin/schemas are up to date\n"
    for rel, text in editor_files().items():
        assert (SOURCE / rel).read_text("utf-8") == text, rel


def test_vscode_settings_map_every_kind_to_its_folders() -> None:
    from regiotwin.scaffold import vscode_settings

    settings_ = json.loads(vscode_settings())["yaml.schemas"]
    assert settings_ == {
        "./.regiotwin/schemas/programme.schema.json": "regiotwin.yaml",
        "./.regiotwin/schemas/partnership.schema.json": "partnerships/*/partnership.yaml",
        "./.regiotwin/schemas/measure.schema.json": "partnerships/*/measures/*.yaml",
        "./.regiotwin/schemas/meeting.schema.json": "partnerships/*/meetings/*.yaml",
        "./.regiotwin/schemas/decision.schema.json": "partnerships/*/decisions/*.yaml",
        "./.regiotwin/schemas/expense.schema.json": "partnerships/*/expenses/*.yaml",
        "./.regiotwin/schemas/event.schema.json": "events/*.yaml",
    }
    assert _kind_of("partnerships/a--b/receipts/scan.yaml") == []
    assert _kind_of(".regiotwin-cache/x.yaml") == []


# --- descriptions ---------------------------------------------------------------------------------


def test_every_field_has_a_description_and_every_validator_a_rule() -> None:
    """A field added to models.py without a description in regiotwin/schema.py fails here."""
    assert schema.gaps() == []


def test_every_property_of_every_schema_is_described_in_german_and_english() -> None:
    for kind in schema.KINDS:
        body = schema.build_schema(schema.KINDS[kind])
        objects = [body, *(d for d in body["$defs"].values() if d.get("type") == "object")]
        for obj in objects:
            assert obj["title"]
            for name, prop in obj["properties"].items():
                german, _, english = prop.get("description", "").partition("\n\n")
                assert german and english, f"{kind}: {name}"


def test_enum_values_carry_their_german_labels() -> None:
    expense = schema.build_schema(schema.KINDS["expense"])
    assert expense["properties"]["category"]["enumDescriptions"] == ["Projektkosten",
                                                                     "Reisekosten"]


def test_a_new_field_without_a_description_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    fields = dict(schema.MODELS["Expense"][1])
    del fields["payee"]
    monkeypatch.setitem(schema.MODELS, "Expense", (schema.MODELS["Expense"][0], fields))
    assert schema.gaps() == ["Expense.payee: no description in regiotwin/schema.py"]


def test_a_validator_without_a_rule_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new type in models.py must say what an editor may accept, or this names it."""
    from regiotwin import models

    rules = {f: k for f, k in schema._VALIDATORS.items() if f is not models._to_time}
    monkeypatch.setattr(schema, "_VALIDATORS", rules)
    assert schema.gaps() == ["meeting: no JSON Schema rule for the validator _to_time"]


def test_the_cli_knows_the_schema_kinds() -> None:
    """The CLI keeps its own list (so --help needs no pydantic); they agree."""
    assert tuple(schema.KINDS) == editors.SCHEMA_KINDS


# --- the done-when of issue #15 ---------------------------------------------------------------------


def test_a_misspelt_key_is_reported_against_the_schema_init_wrote(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """Before `regiotwin check` runs, the schema `init` wrote already names the misspelt key."""
    assert run("init", str(tmp_path / "data")).exit_code == 0
    text = ("id: 2016-09-14-stadt-a-bahn\ndate: 2016-09-14\npartner: stadt-a\ncategory: travel\n"
            "ammount: 12.50\ndescription: Bahnfahrt\n")
    errors = sorted(e.message for e in validator("expense", tmp_path / "data/.regiotwin/schemas")
                    .iter_errors(editor_view(text)))
    assert errors == [
        "'amount' is a required property",
        "Additional properties are not allowed ('ammount' was unexpected)",
    ]


# Bad records, each with what `check` says (codes) and whether the schema sees it.
EXPENSE = ("id: {id}\nreceipt_no: 1\ndate: 2016-09-14\npartner: stadt-a\ncategory: travel\n"
           "amount: 12.50\ndescription: Bahnfahrt\n")
# An expense with a stored travel computation (issue #14).
TRAVEL = (EXPENSE.format(id="e").replace("12.50", "142.00").replace("{", "{{").replace("}", "}}")
          + "travel:\n  law: bund\n  rates_from: 2014-01-01\n  inputs:\n"
          "    start: 2016-09-14 07:00\n    end: {end}\n    km: {km}\n"
          "  per_diem:\n  - date: 2016-09-14\n    hours: {hours}\n    rate: 12.00\n"
          "    amount: 12.00\n  total: 142.00\n")
BAD_RECORDS: list[tuple[str, str, str, set[str]]] = [
    # (name, relative path, text, codes `check` reports)
    ("misspelt key", f"{P}/expenses/e.yaml", EXPENSE.format(id="e") + "payer: DB\n", {"schema"}),
    ("German category", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e").replace("travel", "Reisekosten"), {"schema"}),
    ("negative amount", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e").replace("12.50", "-12.50"), {"schema"}),
    ("amount in words", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e").replace("12.50", "zwölf"), {"schema"}),
    ("capital letters in an id", f"{P}/expenses/E.yaml", EXPENSE.format(id="E"), {"schema"}),
    ("missing description", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e").replace("description: Bahnfahrt\n", ""), {"schema"}),
    ("time 25:00", f"{P}/meetings/m.yaml",
     "id: m\ndate: 2016-07-20\ntime: '25:00'\ntitle: Jour fixe\n", {"schema"}),
    ("meeting kind in German", f"{P}/meetings/m.yaml",
     "id: m\ndate: 2016-07-20\nkind: Telefonkonferenz\ntitle: Telko\n", {"schema"}),
    ("decision without body", f"{P}/decisions/d.yaml",
     "id: d\ndate: 2016-09-20\ntitle: Beschluss\npartner: stadt-a\n", {"schema"}),
    ("measure without owners", f"{P}/measures/m.yaml", "id: m\ntitle: Plan\nowners: []\n",
     {"schema"}),
    ("event on a date that does not exist", "events/e.yaml",
     "id: e\ndate: '2016-02-30'\ntitle: Treffen\n", {"schema"}),
    ("bad e-mail", f"{P}/partnership.yaml",
     PARTNERSHIP.replace("anna@example.org", "anna(at)example.org"), {"schema"}),
    ("programme funding rate above 1", "regiotwin.yaml", "grant_cap: 1400.00\nfunding_rate: 1.5\n",
     {"schema"}),
    # what the schema cannot know: the other files, and the file's own name
    ("expense of an unknown partner", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e").replace("stadt-a", "stadt-x"), {"unknown-partner"}),
    ("expense for an unknown meeting", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e") + "meeting: 2016-01-01-nie\n", {"unknown-meeting"}),
    ("measure owned by an unknown partner", f"{P}/measures/m.yaml",
     "id: m\ntitle: Plan\nowners: [stadt-x]\n", {"unknown-partner"}),
    ("decision for an unknown measure", f"{P}/decisions/d.yaml",
     "id: d\nbody: Rat\ndate: 2016-09-20\ntitle: B\npartner: stadt-a\nmeasures: [nie]\n",
     {"unknown-measure"}),
    ("event of an unknown pair", "events/e.yaml",
     "id: e\ndate: 2016-10-12\ntitle: Treffen\npairs: [x--y]\n", {"unknown-pair"}),
    ("expense outside the year", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e").replace("2016-09-14", "2018-01-01"), {"outside-period"}),
    ("id other than the file name", f"{P}/expenses/e.yaml", EXPENSE.format(id="f"),
     {"id-mismatch"}),
]
# Rules inside one file that JSON Schema cannot state (see regiotwin/schema.py).
BEYOND_JSON_SCHEMA = {
    ("end before start", f"{P}/partnership.yaml"),
    ("three decimal places", f"{P}/expenses/e.yaml"),
    ("amount other than its travel total", f"{P}/expenses/e.yaml"),
}
BAD_RECORDS += [
    ("end before start", f"{P}/partnership.yaml",
     "id: stadt-a--stadt-b\ntitle: T\ntopic: W\nstart: 2016-07-01\nend: 2016-01-01\npartners:\n"
     "- {id: stadt-a, name: Stadt A, contacts: [{name: A}]}\n"
     "- {id: stadt-b, name: Stadt B, contacts: [{name: B}]}\n", {"schema"}),
    ("three decimal places", f"{P}/expenses/e.yaml",
     EXPENSE.format(id="e").replace("12.50", "12.505"), {"schema"}),
    ("amount other than its travel total", f"{P}/expenses/e.yaml",
     TRAVEL.format(end="2016-09-14 19:30", hours="'12:30'", km="700").replace(
         "amount: 142.00\n", "amount: 150.00\n", 1), {"schema"}),
    # the figures against the rates: `check` prices the inputs again (no mileage stored here)
    ("travel computation that no longer matches its inputs", f"{P}/expenses/e.yaml",
     TRAVEL.format(end="2016-09-14 19:30", hours="'12:30'", km="700"), {"travel-mismatch"}),
]


@pytest.mark.parametrize(("name", "rel", "text", "codes"), BAD_RECORDS,
                         ids=[case[0] for case in BAD_RECORDS])
def test_references_between_files_are_the_gap_between_schema_and_check(
    repo: Callable[..., Path], name: str, rel: str, text: str, codes: set[str]
) -> None:
    """The schema reports what `check` finds in a file on its own (code `schema`); what needs the
    other files or the file name is `check`'s alone, and so are two comparisons in one file."""
    root = repo({rel: text})
    report = run_check(root, [PAIR], dt.date(2016, 7, 10))
    errors = [f for f in report.findings if f.severity == "error"]
    assert {f.code for f in errors} == codes, [str(f) for f in errors]
    kind = _kind_of(rel)[0]
    seen_by_schema = schema_errors(kind, text) != []
    if (name, rel) in BEYOND_JSON_SCHEMA:
        assert not seen_by_schema
    else:
        assert seen_by_schema == (codes == {"schema"}), schema_errors(kind, text)


# --- the schema accepts exactly what the reader and the models accept -------------------------------

TEMPLATES: dict[str, tuple[str, str]] = {
    # slot: (kind, record with {value} where the slot's value goes)
    "id": ("expense", EXPENSE.replace("id: {id}", "id: {value}")),
    "date": ("expense", EXPENSE.format(id="e").replace("date: 2016-09-14", "date: {value}")),
    "partner": ("expense", EXPENSE.format(id="e").replace("partner: stadt-a", "partner: {value}")),
    "category": ("expense", EXPENSE.format(id="e").replace("travel", "{value}")),
    "amount": ("expense", EXPENSE.format(id="e").replace("12.50", "{value}")),
    "description": ("expense", EXPENSE.format(id="e").replace("Bahnfahrt", "{value}")),
    "payee": ("expense", EXPENSE.format(id="e") + "payee: {value}\n"),
    "over_cap": ("expense", EXPENSE.format(id="e") + "over_cap: {value}\n"),
    "time": ("meeting", "id: m\ndate: 2016-07-20\ntitle: Jour fixe\ntime: {value}\n"),
    "participants": ("meeting", "id: m\ndate: 2016-07-20\ntitle: J\nparticipants: [{value}]\n"),
    "planned_cost": ("measure", "id: m\ntitle: Plan\nowners: [stadt-a]\nplanned_cost: {value}\n"),
    "grant_cap": ("programme", "grant_cap: {value}\n"),
    "funding_rate": ("programme", "funding_rate: {value}\n"),
    "email": ("partnership", "id: a--b\ntitle: T\ntopic: W\nstart: 2016-07-01\npartners:\n"
              "- {{id: a, name: A}}\n- {{id: b, name: B}}\nconsultant:\n  name: C\n"
              "  email: {value}\n"),
    "end": ("partnership", "id: a--b\ntitle: T\ntopic: W\nstart: 2016-07-01\nend: {value}\n"
            "partners:\n- {{id: a, name: A}}\n- {{id: b, name: B}}\n"),
    # a stored travel computation (issue #14): the trip's end, a day's hours, the kilometres
    "trip_end": ("expense", TRAVEL.format(end="{value}", hours="'12:30'", km="700")),
    "hours": ("expense", TRAVEL.format(end="2016-09-14 19:30", hours="{value}", km="700")),
    "km": ("expense", TRAVEL.format(end="2016-09-14 19:30", hours="'12:30'", km="{value}")),
}

TOKENS = [
    "12.50", "12.5", "12", "0", "-5", "12.345", "12.340", "'12.50'", "'12.345'", "'12.340'",
    "'-3'", "'0.00'", "'00.50'", "1e3", "0012", "0x1f", "0o17", ".5", "5.", "1_000", ".inf",
    "2016-06-15", "'2016-06-15'", "2016-02-30", "'2016-13-01'", "2015-01-01", "2016-07-01",
    "10:00", "'10:00'", "'9:00'", "'23:59'", "24:00", "true", "false", "yes", "No", "ON", "Off",
    "y", "T", "1", "2", "1.0", "0.5", "1.5", "'1'", "'yes'", "~", "null", "", "''", "'  '",
    "abc", "Abc", "abc-def", "abc--def", "abc---def", "-abc", "con", "'nul'", "a1", "a@b.de",
    "a@b", "'a b@c.de'", "müller@bücher.de", "travel", "project", "Reise", "'travel'",
    "[a, b]", "{a: 1}", "[]", "Bahnfahrt nach Gießen", '"x\\u2028y"', '"tab\\there"', "'#1'",
    # German notations: dates are read from files in both notations (regiotwin/dates.py), so
    # the schemas follow; amounts with a comma only quoted
    "27.06.2016", "'27.06.2016'", "'1.400,50'", "'186,40'", "186,40", "'1.400'", "'12,5'",
    # a trip's times and hours
    "2016-09-14 19:30", "'2016-09-14 19:30'", "2016-09-14T19:30", "2016-09-14 7:30",
    "2016-09-14 24:00", "2016-02-30 19:30", "2016-09-14 06:00", "2016-09-15 00:00",
    "2016-09-15 10:00", "2016-09-14 19:30:00", "' 2016-09-14 19:30 '", "'0:05'", "'12:30'",
    "'24:00'", "'24:01'", "'123:00'", "700", "'700'",
    "1.7.2016", "01.07.2016", "29.02.2016", "29.02.2015", "'31.02.2016'", "31.04.2016",
    "31.12.2016", "32.01.2016", "0.1.2016", "1.13.2016", "27.06.16", "'27.6.2016 '",
    "29.2.2000", "29.2.1900", "1.1.0000",
]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


tokens = st.one_of(
    st.sampled_from(TOKENS),
    st.integers(min_value=-10, max_value=10**7).map(str),
    st.decimals(min_value=-100, max_value=10**6, places=3, allow_nan=False).map(str),
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).map(dt.date.isoformat),
    st.builds("{}.{}.{}".format, st.integers(0, 32), st.integers(0, 13),
              st.sampled_from(["2016", "2015", "2000", "1900", "0000", "16"])),
    st.from_regex(r"[0-9]{1,2}:[0-9]{2}", fullmatch=True).map(_quoted),
    st.from_regex(r"[a-z0-9]{1,4}(-{1,3}[a-z0-9]{1,4}){0,2}", fullmatch=True),
    st.text(alphabet="abcXY019.-@: ", min_size=1, max_size=8).map(_quoted),
    st.builds("{}{}{}".format, st.sampled_from(["", " ", "  "]),
              st.sampled_from(["12.50", "10:00", "2016-06-15", "abc", "0"]),
              st.sampled_from(["", " ", "\t"])).map(_quoted),
)

# Where the schema is knowingly more lenient than `check` (regiotwin/schema.py says why).
def _known_lenience(slot: str, token: str) -> bool:
    plain_number = re.fullmatch(r"-?[0-9]+\.[0-9]*", token)
    if slot in ("amount", "planned_cost", "grant_cap") and plain_number:
        return len(token.split(".")[1]) > 2  # three decimals written: check names both readings
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", token):
        if slot in ("id", "partner"):
            return True  # a bare date is a date to our reader
        try:
            dt.date.fromisoformat(token)
        except ValueError:
            return True  # and one that does not exist is refused by the reader, wherever it is
    if slot == "funding_rate" and not (_INT.fullmatch(token) or _FLOAT.fullmatch(token)):
        return True  # a number written as text (`'0.5'`, `1_000`): its bounds are check's
    if slot == "trip_end":  # compared with the start: after it, and on its day without nights
        try:
            end = parse_trip_time(token.strip("'"))
        except ValueError:
            return re.fullmatch(r"'?2016-02-30 .*", token) is not None  # a date that is not
        return not dt.datetime(2016, 9, 14, 7) < end <= dt.datetime(2016, 9, 15)
    if slot == "end":  # a comparison with the start (in either notation of a date)
        try:
            return parse_date(token.strip("'")) < dt.date(2016, 7, 1)
        except ValueError:
            return False
    return False


def _agree(slot: str, token: str) -> None:
    """The editor and the models agree on *token* in *slot*, but for the documented cases."""
    kind, template = TEMPLATES[slot]
    text = template.format(value=token)
    try:
        doc = parse_yaml(text)
    except YamlError:
        doc = None
    if doc is not None and _yaml12_reads_other_than_us(doc.node, doc.data):
        return  # `0012`, `1e3`, `.inf`: YAML 1.2 reads a number, our reader the text (schema.py)
    ours = model_accepts(kind, text)
    editor = schema_errors(kind, text) == []
    if editor and not ours:
        assert _known_lenience(slot, token), f"the schema accepts what check refuses: {text!r}"
    elif ours and not editor and slot in ("date", "end") and token.startswith("'"):
        assert token[1:-1] != token[1:-1].strip()  # spaces inside the quotes of a date
    else:
        assert editor == ours, f"the schema refuses what check accepts: {text!r}"


def test_the_schema_accepts_exactly_what_check_accepts_for_every_listed_value() -> None:
    for slot in TEMPLATES:
        for token in TOKENS:
            _agree(slot, token)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slot=st.sampled_from(sorted(TEMPLATES)), token=tokens)
def test_the_schema_accepts_exactly_what_check_accepts(slot: str, token: str) -> None:
    """Any value in any slot: the editor and the models agree, but for the documented cases."""
    _agree(slot, token)


def test_yaml12_numbers_in_an_id_need_quotes_in_the_editor() -> None:
    """The one place the editor is stricter: `0012` is text to us but a number in YAML 1.2."""
    text = EXPENSE.format(id="0012")
    assert model_accepts("expense", text)
    assert schema_errors("expense", text) == ["12 is not of type 'string'"]
    assert schema_errors("expense", EXPENSE.format(id="'0012'")) == []


def test_partnership_end_may_be_left_out() -> None:
    text = ("id: a--b\ntitle: T\ntopic: W\nstart: 2016-07-01\npartners:\n- {id: a, name: A}\n"
            "- {id: b, name: B}\n")
    assert validated(Partnership, parse_yaml(text).data).end == dt.date(2017, 6, 30)
    assert schema_errors("partnership", text) == []


# --- the schema command ---------------------------------------------------------------------------


def test_schema_kind_prints_one_schema(run: Callable[..., Result]) -> None:
    result = run("schema", "expense")
    assert result.exit_code == 0
    assert result.stdout == schema.schema_text("expense")
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_writes_into_the_repository_and_says_what_changed(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    result = run("schema")
    assert result.exit_code == 0
    assert result.stderr == "".join(f"wrote .regiotwin/schemas/{k}.schema.json\n"
                                    for k in schema.KINDS)
    assert sorted(p.name for p in (root / ".regiotwin/schemas").iterdir()) == sorted(
        f"{k}.schema.json" for k in schema.KINDS)
    again = run("schema")
    assert (again.exit_code, again.stderr) == (
        0, "the schemas in .regiotwin/schemas are up to date\n")


def test_schema_check_names_stale_missing_and_unknown_files(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    run("schema")
    folder = root / ".regiotwin/schemas"
    (folder / "event.schema.json").write_text("{}\n", encoding="utf-8")
    (folder / "meeting.schema.json").unlink()
    (folder / "old.schema.json").write_text("{}\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run("schema", "--check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        ".regiotwin/schemas/event.schema.json: error: out of date\n"
        ".regiotwin/schemas/meeting.schema.json: error: missing\n"
        ".regiotwin/schemas/old.schema.json: error: not a schema of this regiotwin; delete it\n"
        "error: .regiotwin/schemas is not as this regiotwin writes it; run `regiotwin schema` "
        "to update it\n"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing written


def test_schema_check_ignores_windows_line_endings(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """A checkout with core.autocrlf turns the schemas' line ends into CRLF: still current."""
    root = repo()
    run("schema")
    path = root / ".regiotwin/schemas/expense.schema.json"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = run("schema", "--check")
    assert (result.exit_code, result.stderr) == (
        0, "the schemas in .regiotwin/schemas are up to date\n")


def test_schema_output_folder_needs_no_repository(tmp_path: Path, run: Callable[..., Result]) -> None:
    out = tmp_path / "out"
    result = run("schema", "-o", str(out))
    assert result.exit_code == 0
    assert run("schema", "-o", str(out), "--check").exit_code == 0
    (out / "expense.schema.json").write_text("{}", encoding="utf-8")
    stale = run("schema", "-o", str(out), "--check")
    assert stale.exit_code == 1
    assert stale.stderr.splitlines()[-1] == (
        f"error: {out} is not as this regiotwin writes it; run `regiotwin schema -o {out}` "
        "to update it")


def test_schema_kind_with_output_is_a_usage_error(run: Callable[..., Result]) -> None:
    result = run("schema", "expense", "--check")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: KIND prints one schema; leave out -o and --check"


def test_schema_of_an_unknown_kind(run: Callable[..., Result]) -> None:
    result = run("schema", "expenses")
    assert result.exit_code == 1
    assert "'expenses' is not one of 'programme', 'partnership'" in result.stderr
