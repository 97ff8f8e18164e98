"""`regiotwin check`: every bad file is named with path:line and the right exit code."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import PAIR

P = f"partnerships/{PAIR}"
AS_OF = "--as-of=2016-07-10"  # early in the year: no obligation is due yet


def test_clean_repository(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    result = run("check", AS_OF)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no problems found in 2 files\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("syntax", "id: m\ntitle: [x\n", "3: error: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence"),
        ("tabs", "id: tabs\ntitle: x\nowners:\n\t- stadt-a\n", "4: error: tab characters cannot indent YAML; indent with spaces"),
        ("dupkey", "id: dupkey\ntitle: a\nowners: [stadt-a]\ntitle: b\n", "4: error: duplicate key 'title' (lines 2 and 4); keep one"),
        ("date", "id: date\ntitle: a\nowners: [stadt-a]\ndue: 2016-02-30\n", "4: error: 2016-02-30 is not a real date (day is out of range for month)"),
        ("unknown", "id: unknown\ntitle: a\nowners: [stadt-a]\nstauts: done\n", "4: error: unknown key 'stauts' (did you mean 'status'?)"),
        ("missing", "id: missing\nowners: [stadt-a]\n", "1: error: missing required key 'title'"),
        ("empty", "", "1: error: the file is empty; it must hold a mapping of keys to values"),
        ("list", "- id: list\n", "1: error: the file holds a list; it must hold a mapping of keys"),
        ("stem", "id: other\ntitle: a\nowners: [stadt-a]\n", "1: error: id 'other' differs from the file name stem.yaml; rename the file or fix the id"),
        ("python", "id: python\ntitle: !!python/object/apply:os.system [echo]\nowners: [stadt-a]\n", "2: error: tags like 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed; remove the tag"),
        ("status", "id: status\ntitle: a\nowners: [stadt-a]\nstatus: finished\n", "4: error: status: 'finished' is not allowed; use one of 'planned', 'in-progress', 'done' or 'dropped'"),
        ("owner", "id: owner\ntitle: a\nowners: [stadt-c]\n", "3: error: unknown partner 'stadt-c'; known: stadt-a, stadt-b"),
    ],
)
def test_bad_measure_file_is_located(
    repo: Callable[..., Path], run: Callable[..., Result], name: str, text: str, expected: str
) -> None:
    repo({f"{P}/measures/{name}.yaml": text})
    result = run("check", AS_OF)
    assert result.exit_code == 1
    assert result.stdout == f"{P}/measures/{name}.yaml:{expected}\n"
    assert result.stderr == "1 error in 2 files\n" or result.stderr == "1 error in 3 files\n"


def test_cp1252_file(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    (root / P / "measures").mkdir()
    (root / P / "measures" / "m.yaml").write_bytes("id: m\ntitle: Gießen\n".encode("cp1252"))
    result = run("check", AS_OF)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{P}/measures/m.yaml:2: error: the file is not UTF-8 (saved as Windows-1252?); "
        "save it as UTF-8\n"
    )


def test_alias_bomb_is_refused(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    lines = ["id: bomb", "title: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"x{i}: &b{i} [{', '.join(['*a'] * 9)}]" for i in range(30)]
    repo({f"{P}/measures/bomb.yaml": "\n".join(lines) + "\n"})
    result = run("check", AS_OF)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{P}/measures/bomb.yaml:2: error: anchors and aliases (& and *) are not allowed; "
        "write the value out\n"
    )


def test_two_records_with_the_same_id(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo(
        {
            f"{P}/measures/a.yaml": "id: a\ntitle: a\nowners: [stadt-a]\n",
            f"{P}/measures/b.yaml": "id: a\ntitle: b\nowners: [stadt-a]\n",
        }
    )
    result = run("check", AS_OF)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{P}/measures/b.yaml:1: error: duplicate id 'a' (also in {P}/measures/a.yaml)",
        f"{P}/measures/b.yaml:1: error: id 'a' differs from the file name b.yaml; "
        "rename the file or fix the id",
    ]


def test_three_partners(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    from tests.conftest import PARTNERSHIP

    repo({f"{P}/partnership.yaml": PARTNERSHIP + "- id: stadt-c\n  name: Stadt C\n"})
    result = run("check", AS_OF)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{P}/partnership.yaml:6: error: partners: a partnership has exactly two partners, "
        "this one has 3\n"
    )


def test_nested_error_points_at_its_line(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    from tests.conftest import PARTNERSHIP

    repo({f"{P}/partnership.yaml": PARTNERSHIP.replace("anna@example.org", "anna-at-example")})
    result = run("check", AS_OF)
    assert result.stdout == (
        f"{P}/partnership.yaml:13: error: partners[0].contacts[0].email: "
        "'anna-at-example' is not an e-mail address\n"
    )


def test_folder_name_must_match_pair_id(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    from tests.conftest import PARTNERSHIP

    repo({"partnerships/renamed/partnership.yaml": PARTNERSHIP}, pair=False)
    result = run("check", AS_OF)
    assert result.exit_code == 1
    assert result.stdout == (
        "partnerships/renamed/partnership.yaml:1: error: id 'stadt-a--stadt-b' differs from the "
        "folder name 'renamed'; rename the folder or fix the id\n"
    )


def test_partner_without_contact_is_a_warning(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    from tests.conftest import PARTNERSHIP

    repo({f"{P}/partnership.yaml": PARTNERSHIP.replace("  contacts:\n  - name: Bernd Bau\n", "")})
    result = run("check", AS_OF)
    expected = (
        f"{P}/partnership.yaml:14: warning: partner 'stadt-b' has no contact person "
        "(add one with `regiotwin contact add --partner stadt-b`)\n"
    )
    assert (result.exit_code, result.stdout) == (0, expected)
    assert result.stderr == "1 warning in 2 files\n"
    strict = run("check", AS_OF, "--strict")
    assert (strict.exit_code, strict.stdout) == (1, expected)


def test_json_output(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo({f"{P}/measures/m.yaml": "id: m\ntitel: a\nowners: [stadt-a]\n"})
    result = run("check", AS_OF, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "files": 3,  # the broken file was read too
        "errors": 2,
        "warnings": 0,
        "findings": [
            {"path": f"{P}/measures/m.yaml", "line": 1, "severity": "error", "code": "schema",
             "message": "missing required key 'title'"},
            {"path": f"{P}/measures/m.yaml", "line": 2, "severity": "error", "code": "schema",
             "message": "unknown key 'titel' (did you mean 'title'?)"},
        ],
    }


def test_partnership_without_end_runs_one_year(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    from tests.conftest import PARTNERSHIP

    repo({f"{P}/partnership.yaml": PARTNERSHIP.replace("end: 2017-06-30\n", "")})
    assert run("check", AS_OF).exit_code == 0
    assert json.loads(run("partnership", "show", "--json").stdout)["end"] == "2017-06-30"


def test_yml_files_and_meetings_outside_the_period_are_warned(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({
        f"{P}/meetings/a.yml": "id: a\n",
        f"{P}/meetings/m.yaml": "id: m\ndate: 2018-01-01\ntitle: x\n",
    })
    assert run("check", AS_OF).stdout.splitlines() == [
        f"{P}/meetings/a.yml:1: warning: ignored: record files must end in .yaml; rename it",
        f"{P}/meetings/m.yaml:2: warning: meeting date 2018-01-01 is outside the partnership "
        "period 2016-07-01 to 2017-06-30",
    ]


def test_record_cache_never_hides_a_change(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({f"{P}/measures/m.yaml": "id: m\ntitle: a\nowners: [stadt-a]\n"})
    assert run("check", AS_OF).stdout == ""
    # the cache lives in the user's cache folder, never in the repository
    cached = list((Path(os.environ["XDG_CACHE_HOME"]) / "regiotwin" / "records").rglob("*.json"))
    assert len(cached) == 2  # regiotwin.yaml with events/, and the one pair
    assert sorted(p.name for p in (root / ".regiotwin-cache").iterdir()) == [".gitignore"]
    assert run("check", AS_OF).stdout == ""  # served from the cache
    path = root / P / "measures/m.yaml"
    before = path.stat()
    path.write_text("id: m\ntitle: a\nowners: [stadt-x]\n")  # same size, other content
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    assert run("check", AS_OF).stdout == (
        f"{P}/measures/m.yaml:3: error: unknown partner 'stadt-x'; known: stadt-a, stadt-b\n"
    )
    path.unlink()
    assert run("check", AS_OF).stdout == ""


def test_every_finding_has_a_code(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    """Scripts can tell findings apart by code, whatever the wording."""
    repo({
        f"{P}/measures/m.yaml": "id: m\ntitle: a\nowners: [stadt-z]\nneeds_decision: true\n",
        f"{P}/meetings/x.yaml": "id: y\ndate: 2016-07-02\ntitle: T\n",
        f"{P}/meetings/z.yml": "id: z\n",
    })
    findings = json.loads(run("check", AS_OF, "--json").stdout)["findings"]
    assert sorted({f["code"] for f in findings}) == [
        "decision-missing", "id-mismatch", "unknown-partner", "yml-ignored"]
