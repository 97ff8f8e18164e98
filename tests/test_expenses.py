"""Expenses against the cap, budget status, receipts and the Belegliste (issues #5 and #10)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import PAIR, copy_example

P = f"partnerships/{PAIR}"


def files(root: Path) -> list[str]:
    """Every file a user would see (the cache folder with its locks is not data)."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*")
        if p.is_file() and ".regiotwin-cache" not in p.parts
    )


def add(run: Callable[..., Result], amount: str, *extra: str, date: str = "2016-08-01",
        partner: str = "stadt-a", description: str = "Fahrt") -> Result:
    return run("expense", "add", "--partner", partner, "--date", date, "--amount", amount,
               "--category", "travel", "--description", description, *extra)


def scan(root: Path, name: str) -> str:
    """A receipt file of its own content, to book with --receipt."""
    path = root / f"{name}.pdf"
    path.write_text(f"%PDF-1.4 {name}\n")
    return str(path)


def test_add_prints_path_number_and_headroom(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    result = add(run, "1.250,50", "--payee", "Deutsche Bahn")
    assert result.exit_code == 0
    assert result.stdout == (
        f"{P}/expenses/2016-08-01-stadt-a-fahrt.yaml\n"
        "Belegnummer stadt-a-001\n"
        "stadt-a: spent 1.250,50 €, grant 1.250,50 € of 1.400,00 €, headroom 149,50 €\n"
    )
    assert (root / P / "expenses/2016-08-01-stadt-a-fahrt.yaml").read_text() == (
        "id: 2016-08-01-stadt-a-fahrt\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-a\n"
        "category: travel\namount: 1250.50\ndescription: Fahrt\npayee: Deutsche Bahn\n"
        "over_cap: false\n"
    )
    second = add(run, "10")
    assert second.stdout.splitlines()[:2] == [
        f"{P}/expenses/2016-08-01-stadt-a-fahrt-2.yaml", "Belegnummer stadt-a-002"]
    other = add(run, "10", partner="stadt-b")
    assert other.stdout.splitlines()[1] == "Belegnummer stadt-b-001"


def test_cap_edges(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    assert add(run, "1399,99", "--receipt", scan(root, "a")).exit_code == 0
    rest = add(run, "0,01", "--receipt", scan(root, "b"), description="Rest")
    assert rest.stdout.splitlines()[2] == (
        "stadt-a: spent 1.400,00 €, grant 1.400,00 € of 1.400,00 €, headroom 0,00 €"
    )
    third = scan(root, "c")
    before = files(root)
    over = add(run, "0,01", "--receipt", third, description="Zuviel")
    assert over.exit_code == 1
    assert over.stderr == (
        "error: refused: 0,01 € is more than stadt-a's headroom of 0,00 €: the fundable limit "
        "1.400,00 € (the cap) less 1.400,00 € of unmarked expenses; add --over-cap to book it "
        "even past the headroom (what the grant does not pay is the commune's own money)\n"
    )
    assert files(root) == before
    marked = add(run, "0,01", "--over-cap", "--receipt", third, description="Zuviel")
    assert marked.stdout.splitlines()[2] == (
        "stadt-a: spent 1.400,01 €, grant 1.400,00 € of 1.400,00 €, headroom 0,00 €, "
        "own funds 0,01 €"
    )
    for name in ("a", "b", "c"):
        (root / f"{name}.pdf").unlink()
    assert (run("check", "--as-of", "2016-07-31").stdout, run("check").exit_code) == ("", 0)
    status = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert status == {
        "partner": "stadt-a", "name": "Stadt A", "cap": "1400.00", "funding_rate": "1.0",
        "limit": "1400.00", "project": "0.00", "travel": "1400.01", "total": "1400.01",
        "unmarked": "1400.00", "grant": "1400.00", "own_funds": "0.01", "remaining": "0.00",
        "headroom": "0.00", "percent_used": "100.0", "over_limit": False, "over_cap": True,
        "warning": True, "mark": "over cap",
    }


def test_refusal_names_the_headroom_that_budget_status_shows(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo()
    add(run, "1300")
    refused = add(run, "150", description="Catering")
    assert refused.exit_code == 1
    assert "more than stadt-a's headroom of 100,00 €" in refused.stderr
    shown = run("budget", "status").stdout.splitlines()[3].split()
    assert shown[shown.index("Stadt") + 16: shown.index("Stadt") + 18] == ["100,00", "€"]


@pytest.mark.parametrize(("date", "ok"), [("2016-06-30", False), ("2016-07-01", True),
                                          ("2017-06-30", True), ("2017-07-01", False)])
def test_period_edges(repo: Callable[..., Path], run: Callable[..., Result], date: str, ok: bool) -> None:
    repo()
    result = add(run, "10", date=date)
    assert result.exit_code == (0 if ok else 1)
    if not ok:
        assert result.stderr == (
            f"error: refused: {date} is outside the partnership period 2016-07-01 to "
            "2017-06-30; the grant pays nothing outside it\n"
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--amount", "1.400"], "'1.400' is ambiguous"),
        (["--amount", "-3"], "'-3' is negative"),
        (["--amount", "1e3"], "'1e3' is not an amount"),
        (["--amount", "NaN"], "'NaN' is not an amount"),
        (["--amount", "1,234"], "'1,234' is ambiguous: write 1234 or 1.234,00 if the comma "
                                "groups thousands; as a decimal comma it is finer than a cent "
                                "(1,23 or 1,24)"),
        (["--amount", "5", "--partner", "stadt-z"], "unknown partner 'stadt-z' (--partner)"),
        (["--amount", "5", "--meeting", "nope"], "no meeting 'nope' (--meeting); there is no meeting yet"),
        (["--amount", "5", "--measure", "nope"], "no measure 'nope' (--measure); there is no measure yet"),
        (["--amount", "5", "--receipt", "missing.pdf"], "Invalid value for '--receipt': missing.pdf does not exist"),
        (["--amount", "5", "--category", "food"], "'food' is not a category; use one of: project (Projektkosten), travel (Reisekosten)"),
    ],
)
def test_bad_expense_input_writes_nothing(
    repo: Callable[..., Path], run: Callable[..., Result], args: list[str], message: str
) -> None:
    root = repo()
    before = files(root)
    base = {"--partner": "stadt-a", "--date": "2016-08-01", "--category": "travel",
            "--description": "Fahrt"}
    for key in args[::2]:
        base.pop(key, None)
    result = run("expense", "add", *[x for kv in base.items() for x in kv], *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert files(root) == before


def test_receipt_is_copied_hashed_and_checked(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({"scan.PDF": "%PDF-1.4 receipt\n"})
    result = add(run, "25", "--receipt", "scan.PDF")
    assert result.exit_code == 0
    copied = root / P / "receipts/2016-08-01-stadt-a-fahrt.pdf"
    assert copied.read_text() == "%PDF-1.4 receipt\n"
    record = (root / P / "expenses/2016-08-01-stadt-a-fahrt.yaml").read_text()
    digest = hashlib.sha256(b"%PDF-1.4 receipt\n").hexdigest()
    assert (f"receipt:\n  path: receipts/2016-08-01-stadt-a-fahrt.pdf\n  sha256: {digest}\n"
            in record)
    assert run("check", "--as-of", "2016-07-31").stdout == ""
    copied.write_text("%PDF-1.4 changed\n")
    changed = run("check", "--as-of", "2016-07-31")
    assert changed.stdout == (
        f"{P}/expenses/2016-08-01-stadt-a-fahrt.yaml:10: error: receipt file "
        "'receipts/2016-08-01-stadt-a-fahrt.pdf' has changed since it was recorded "
        "(its SHA-256 differs)\n"
    )
    copied.unlink()
    assert run("check", "--as-of", "2016-07-31").stdout == (
        f"{P}/expenses/2016-08-01-stadt-a-fahrt.yaml:9: error: receipt file "
        "'receipts/2016-08-01-stadt-a-fahrt.pdf' is missing\n"
    )


def test_receipt_outside_pair_and_duplicate_receipts(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    sha = "0" * 64
    repo({
        f"{P}/expenses/a.yaml": f"id: a\ndate: 2016-08-01\npartner: stadt-a\ncategory: travel\n"
                                f"amount: 5\ndescription: x\nreceipt:\n  path: ../../regiotwin.yaml\n  sha256: '{sha}'\n",
        f"{P}/expenses/b.yaml": f"id: b\ndate: 2016-08-01\npartner: stadt-a\ncategory: travel\n"
                                f"amount: 5\ndescription: x\nreceipt:\n  path: receipts/r.pdf\n  sha256: '{sha}'\n",
        f"{P}/expenses/c.yaml": f"id: c\ndate: 2016-08-01\npartner: stadt-a\ncategory: travel\n"
                                f"amount: 5\ndescription: x\nreceipt:\n  path: receipts/r.pdf\n  sha256: '{sha}'\n",
    })
    lines = run("check", "--as-of", "2016-07-31").stdout.splitlines()
    assert f"{P}/expenses/a.yaml:8: error: receipt '../../regiotwin.yaml' lies outside the pair folder {P}" in lines
    assert f"{P}/expenses/c.yaml:8: error: receipt 'receipts/r.pdf' is also used by {P}/expenses/b.yaml" in lines


def test_check_finds_unmarked_expense_past_the_cap_and_outside_the_period(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    repo({
        f"{P}/expenses/a.yaml": "id: a\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-a\ncategory: travel\namount: 1000.00\ndescription: x\n",
        f"{P}/expenses/b.yaml": "id: b\nreceipt_no: 2\ndate: 2016-08-02\npartner: stadt-a\ncategory: project\namount: 400.01\ndescription: y\n",
        f"{P}/expenses/c.yaml": "id: c\nreceipt_no: 1\ndate: 2017-08-02\npartner: stadt-b\ncategory: project\namount: 1.00\ndescription: z\n",
    })
    assert [line for line in run("check", "--as-of", "2016-07-31").stdout.splitlines()
            if ": error: " in line] == [
        f"{P}/expenses/b.yaml:6: error: this expense takes stadt-a's unmarked expenses to "
        "1.400,01 €, past the fundable limit 1.400,00 € (the cap); mark it `over_cap: true` to "
        "book it even past the headroom (what the grant does not pay is the commune's own "
        "money)",
        f"{P}/expenses/c.yaml:3: error: expense date 2017-08-02 is outside the partnership "
        "period 2016-07-01 to 2017-06-30",
    ]


def test_fourteen_thousand_dimes_are_exactly_the_cap(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    files_ = {
        f"{P}/expenses/e{i:05d}.yaml": f"id: e{i:05d}\nreceipt_no: {i + 1}\ndate: 2016-08-01\n"
                                       "partner: stadt-a\ncategory: travel\namount: 0.10\n"
                                       "description: x\n"
        for i in range(14_000)
    }
    repo(files_)
    assert json.loads(run("check", "--as-of", "2016-07-31", "--json").stdout)["errors"] == 0
    partner = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert (partner["total"], partner["remaining"], partner["headroom"], partner["over_cap"]) == (
        "1400.00", "0.00", "0.00", False)


def test_budget_table_and_sections_per_pair(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    add(run, "1300")
    run("expense", "add", "--partner", "stadt-b", "--date", "2016-08-01", "--amount", "99,99",
        "--category", "project", "--description", "Druck")
    table = run("budget", "status").stdout.splitlines()
    assert table[0].strip() == f"Stadt A – Stadt B ({PAIR})"
    assert table[1].split() == ["partner", "cap", "project", "travel", "total", "grant", "own",
                                "funds", "remaining", "headroom", "used"]
    assert table[3].split() == ["Stadt", "A", "1.400,00", "€", "0,00", "€", "1.300,00", "€",
                                "1.300,00", "€", "1.300,00", "€", "0,00", "€", "100,00", "€",
                                "100,00", "€", "92,8", "%", "≥", "90", "%"]
    assert table[5].split()[:3] == ["Summe", "2.800,00", "€"]
    as_of = json.loads(run("budget", "status", "--json", "--as-of", "2016-07-31").stdout)
    assert as_of["pairs"][0]["totals"]["total"] == "0.00"
    run("partnership", "new", "--partner", "Stadt C", "--partner", "Stadt D", "--topic", "x",
        "--start", "2016-07-01")
    both = json.loads(run("budget", "status", "--json").stdout)
    assert [p["pair"] for p in both["pairs"]] == [PAIR, "stadt-c--stadt-d"]
    assert both["pairs"][0]["totals"] == {
        "cap": "2800.00", "project": "99.99", "travel": "1300.00", "total": "1399.99",
        "grant": "1399.99", "own_funds": "0.00", "remaining": "1400.01", "headroom": "1400.01",
    }
    assert both["invalid"] == [] and [p["errors"] for p in both["pairs"]] == [0, 0]


def test_belegliste_for_excel_and_rfc4180(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo()
    add(run, "1.234,56", "--payee", "=HYPERLINK(\"x\")", description="Fahrt; Gießen \"hin\"",
        date="2016-09-02")
    add(run, "10", "--payee", "+49 Taxi", description="-Rabatt", date="2016-08-01")
    run("expense", "add", "--partner", "stadt-b", "--date", "2016-07-05", "--amount", "7",
        "--category", "project", "--description", "@Druck", "--payee", "Druckerei")
    raw = run("export", "expenses").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [
        ["Partnerschaft", "Nr.", "Datum", "Partner", "Kategorie", "Zahlungsempfänger", "Zweck",
         "Berechnung", "Betrag (EUR)", "davon Eigenmittel (EUR)", "Beleg", "Storniert am",
         "Stornogrund"],
        [PAIR, "stadt-a-002", "01.08.2016", "Stadt A", "Reisekosten", "'+49 Taxi", "'-Rabatt", "",
         "10,00", "0,00", "", "", ""],
        [PAIR, "stadt-a-001", "02.09.2016", "Stadt A", "Reisekosten", "'=HYPERLINK(\"x\")",
         "Fahrt; Gießen \"hin\"", "", "1234,56", "0,00", "", "", ""],
        [PAIR, "stadt-b-001", "05.07.2016", "Stadt B", "Projektkosten", "Druckerei", "'@Druck", "",
         "7,00", "0,00", "", "", ""],
    ]
    out = root / "beleg.csv"
    assert run("export", "expenses", "--format", "rfc4180", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1:3] == [  # rfc4180 writes the data unchanged
        [PAIR, "stadt-a-002", "2016-08-01", "Stadt A", "Reisekosten", "+49 Taxi", "-Rabatt", "",
         "10.00", "0.00", "", "", ""],
        [PAIR, "stadt-a-001", "2016-09-02", "Stadt A", "Reisekosten", "=HYPERLINK(\"x\")",
         "Fahrt; Gießen \"hin\"", "", "1234.56", "0.00", "", "", ""],
    ]


def test_expense_list(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    repo()
    add(run, "12,5", date="2016-08-02")
    run("expense", "add", "--partner", "stadt-b", "--date", "2016-07-05", "--amount", "7",
        "--category", "project", "--description", "Druck")
    listed = json.loads(run("expense", "list", "--json", "--partner", "Stadt A").stdout)
    assert [(r["id"], r["amount"]) for r in listed] == [("2016-08-02-stadt-a-fahrt", "12.50")]
    assert len(json.loads(run("expense", "list", "--json", "--category", "project").stdout)) == 1
    assert "12,50 €" in run("expense", "list").stdout


def test_twenty_concurrent_bookings_never_pass_the_cap(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    env = {**os.environ, "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "regiotwin", "-C", str(root), "expense", "add", "--partner",
           "stadt-a", "--date", "2016-08-01", "--amount", "100", "--category", "travel",
           "--description", "Fahrt", "--again"]

    def book(_: int) -> int:
        return subprocess.run(cmd, capture_output=True, env=env, timeout=120).returncode

    with ThreadPoolExecutor(max_workers=24) as pool:
        codes = list(pool.map(book, range(24)))
    assert sorted(codes) == [0] * 14 + [1] * 10
    written = sorted((root / P / "expenses").glob("*.yaml"))
    assert len(written) == 14
    total = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert total["total"] == "1400.00"
    numbers = sorted(int(p.read_text().split("receipt_no: ")[1].split()[0]) for p in written)
    assert numbers == list(range(1, 15))  # no Belegnummer given twice
    assert run("check", "--as-of", "2016-07-31").exit_code == 0


def test_example_budget_in_a_fresh_clone(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(copy_example(tmp_path))
    result = run("budget", "status")
    assert result.exit_code == 0
    assert "Landkreis Teltow-Fläming" in result.stdout and "Landkreis Gießen" in result.stdout
    assert "1.400,00 €" in result.stdout


def test_lock_of_a_killed_process_does_not_block(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock; "
         f"FileLock({str(root / '.regiotwin-cache' / (PAIR + '.lock'))!r}).acquire(); "
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.kill()
    holder.wait()
    assert (root / ".regiotwin-cache" / f"{PAIR}.lock").exists()
    result = add(run, "10")
    assert result.exit_code == 0


def test_partner_cap_override_and_funding_rate(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    from tests.conftest import PARTNERSHIP

    repo({
        "regiotwin.yaml": "name: RegioTwin\ngrant_cap: 1400.00\nfunding_rate: 0.8\n",
        f"{P}/partnership.yaml": PARTNERSHIP.replace(
            "  role: implementer\n", "  role: implementer\n  grant_cap: 500.00\n"),
    })
    refused = run("expense", "add", "--partner", "stadt-b", "--date", "2016-08-01",
                  "--amount", "625,01", "--category", "travel", "--description", "Bahn")
    assert (refused.exit_code, refused.stderr) == (1, (
        "error: refused: 625,01 € is more than stadt-b's headroom of 625,00 €: the fundable "
        "limit 625,00 € (cap 500,00 € ÷ funding rate 80 %) less 0,00 € of unmarked expenses; "
        "add --over-cap to book it even past the headroom (what the grant does not pay is the commune's own money)\n"))
    booked = run("expense", "add", "--partner", "stadt-b", "--date", "2016-08-01",
                 "--amount", "625", "--category", "travel", "--description", "Bahn")
    assert booked.stdout.splitlines()[2] == (
        "stadt-b: spent 625,00 €, grant 500,00 € of 500,00 €, headroom 0,00 €, own funds 125,00 €")
    add(run, "100,05")
    partner = json.loads(run("budget", "status", "--json").stdout)["pairs"][0]["partners"][0]
    assert (partner["total"], partner["grant"], partner["own_funds"], partner["remaining"]) == (
        "100.05", "80.04", "20.01", "1319.96")


# --- booking refuses what check would reject (issue #10) ------------------------------------------


def test_the_same_booking_twice_needs_again(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """Why 7: the same booking twice was accepted."""
    root = repo()
    assert add(run, "25", "--payee", "Deutsche Bahn").exit_code == 0
    before = files(root)
    twice = add(run, "25,00", "--payee", "deutsche  bahn", description="fahrt")
    assert (twice.exit_code, twice.stderr) == (1, (
        f"error: refused: {P}/expenses/2016-08-01-stadt-a-fahrt.yaml already books this (same "
        "partner, date, amount, payee and description); add --again if it really was paid "
        "twice\n"))
    assert files(root) == before
    assert add(run, "25", "--payee", "Deutsche Bahn", "--again").exit_code == 0
    assert add(run, "25", "--payee", "Deutsche Bahn", partner="stadt-b").exit_code == 0
    assert add(run, "25", "--payee", "Deutsche Bahn", date="2016-08-02").exit_code == 0


def test_a_receipt_proves_one_expense(repo: Callable[..., Path], run: Callable[..., Result]) -> None:
    root = repo({"scan.pdf": "%PDF-1.4 Fahrkarte\n", "same.pdf": "%PDF-1.4 Fahrkarte\n"})
    assert add(run, "25", "--receipt", "scan.pdf").exit_code == 0
    before = files(root)
    again = add(run, "30", "--receipt", "same.pdf", description="Taxi")
    assert (again.exit_code, again.stderr) == (1, (
        f"error: refused: same.pdf has the same content as the receipt of "
        f"{P}/expenses/2016-08-01-stadt-a-fahrt.yaml; one receipt proves one expense\n"))
    assert files(root) == before


def test_receipts_folder_leading_outside_the_pair(
    repo: Callable[..., Path], run: Callable[..., Result], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = repo({"scan.pdf": "%PDF-1.4 Fahrkarte\n"})
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (root / P / "receipts").symlink_to(elsewhere, target_is_directory=True)
    refused = add(run, "25", "--receipt", "scan.pdf")
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: refused: {P}/receipts leads outside the pair folder (to {elsewhere}); make it "
        "a plain folder\n")
    assert list(elsewhere.iterdir()) == []
    assert run("check", "--as-of", "2016-07-31").stdout == (
        f"{P}/receipts: error: receipts/ leads outside the pair folder (to {elsewhere}); make it "
        "a plain folder\n")


def test_expenses_without_receipts_and_receipts_without_expenses_are_warnings(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    root = repo({"scan.pdf": "%PDF-1.4 Fahrkarte\n"})
    add(run, "25", "--receipt", "scan.pdf")
    add(run, "10", description="Bus")
    (root / P / "receipts" / "vergessen.pdf").write_text("%PDF-1.4 ?\n")
    (root / P / "receipts" / ".2016-08-01-x.pdf.tmp").write_text("being copied")
    result = run("check", "--as-of", "2016-07-31")
    assert result.stdout.splitlines() == [
        f"{P}/expenses/2016-08-01-stadt-a-bus.yaml:1: warning: no receipt for 'Bus' "
        "(2016-08-01); the proof of use needs one for every expense",
        f"{P}/receipts/vergessen.pdf: warning: no expense refers to this receipt; book it with "
        "`regiotwin expense add --receipt`, or remove it",
    ]
    assert result.exit_code == 0
    assert run("check", "--as-of", "2016-07-31", "--strict").exit_code == 1


def test_a_cancelled_expense_keeps_its_number_and_counts_nowhere(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    """SPEC §3: a cancelled expense keeps its number and its file and counts nowhere; its
    receipt may prove the booking that replaces it."""
    root = repo({"scan.pdf": "%PDF-1.4 Fahrkarte\n"})
    add(run, "1400", "--receipt", "scan.pdf", "--payee", "DB")
    path = root / P / "expenses/2016-08-01-stadt-a-fahrt.yaml"
    path.write_text(path.read_text() + "cancelled:\n  date: 2016-08-05\n  reason: falscher "
                    "Betrag\n")
    rebooked = add(run, "1400", "--receipt", "scan.pdf", "--payee", "DB", date="2016-08-01")
    assert rebooked.exit_code == 0, rebooked.stderr
    assert rebooked.stdout.splitlines()[1:] == [
        "Belegnummer stadt-a-002",
        "stadt-a: spent 1.400,00 €, grant 1.400,00 € of 1.400,00 €, headroom 0,00 €"]
    assert run("check", "--as-of", "2016-07-31").stdout == ""
    rows = list(csv.reader(io.StringIO(run("export", "expenses", "--format", "rfc4180").stdout)))
    assert [(r[1], r[8], r[11], r[12]) for r in rows[1:]] == [
        ("stadt-a-001", "1400.00", "2016-08-05", "falscher Betrag"),
        ("stadt-a-002", "1400.00", "", "")]
    report = run("report", "render", "budget", "--as-of", "2016-12-31").stdout
    assert ("| stadt-a-001 | 01.08.2016 | Stadt A | Reisekosten | DB | Fahrt (**storniert** am "
            "05.08.2016: falscher Betrag) | (1.400,00 €) | – |") in report
    assert "| **Summe** | | | | | | 1.400,00 € | 0,00 € | |" in report


def test_a_replacement_may_point_at_the_cancelled_expenses_receipt(
    repo: Callable[..., Path], run: Callable[..., Result]
) -> None:
    digest = hashlib.sha256(b"%PDF-1.4 Fahrkarte\n").hexdigest()
    record = ("id: {id}\nreceipt_no: {no}\ndate: 2016-08-01\npartner: stadt-a\ncategory: travel\n"
              "amount: {amount}\ndescription: Fahrt\nreceipt:\n  path: receipts/r.pdf\n"
              f"  sha256: {digest}\n")
    repo({
        f"{P}/receipts/r.pdf": "%PDF-1.4 Fahrkarte\n",
        f"{P}/expenses/a.yaml": record.format(id="a", no=1, amount="12.00")
        + "cancelled:\n  date: 2016-08-02\n  reason: Tippfehler\n",
        f"{P}/expenses/b.yaml": record.format(id="b", no=2, amount="21.00"),
    })
    assert run("check", "--as-of", "2016-07-31").stdout == ""
    Path(P, "expenses/c.yaml").write_text(record.format(id="c", no=3, amount="5"))
    assert run("check", "--as-of", "2016-07-31").stdout == (
        f"{P}/expenses/c.yaml:9: error: receipt 'receipts/r.pdf' is also used by "
        f"{P}/expenses/b.yaml\n")
