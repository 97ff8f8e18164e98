"""Benchmarks for SPEC §7, run by hand: medians of several runs of whole commands.

    python bench/bench.py [--records 10000] [--runs 7]

It generates a repository of N records (10 pairs with meetings, measures, decisions and
expenses) in a temporary folder and times the installed `regiotwin` command on it and on the
example shipped in this repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = [sys.executable, "-m", "regiotwin"]


def median_seconds(cmd: list[str], runs: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def generate(root: Path, records: int, pairs: int = 10) -> None:
    """A valid repository with *records* record files spread over *pairs* pairs."""
    (root / "regiotwin.yaml").write_text("name: RegioTwin\n", encoding="utf-8")
    per_pair = records // pairs
    for p in range(pairs):
        folder = root / "partnerships" / f"stadt-{p}a--stadt-{p}b"
        for sub in ("meetings", "measures", "decisions", "expenses"):
            (folder / sub).mkdir(parents=True)
        (folder / "partnership.yaml").write_text(
            f"id: stadt-{p}a--stadt-{p}b\ntitle: Pair {p}\ntopic: Klimaschutz\n"
            "start: 2016-01-01\nend: 2016-12-31\npartners:\n"
            f"- id: stadt-{p}a\n  name: Stadt {p}A\n  contacts:\n  - name: Anna {p}\n"
            f"- id: stadt-{p}b\n  name: Stadt {p}B\n  contacts:\n  - name: Bernd {p}\n",
            encoding="utf-8",
        )
        for i in range(per_pair):
            day = f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}"
            kind = i % 4
            if kind == 0:
                (folder / "meetings" / f"m{i}.yaml").write_text(
                    f"id: m{i}\ndate: {day}\ntime: '10:00'\nkind: jour-fixe\ntitle: Jour fixe {i}\n"
                    f"participants: [Anna {p}, Bernd {p}]\nagenda: [Stand, Planung]\n"
                    f"minutes: |\n  Protokoll {i}.\nactions:\n- what: Aufgabe {i}\n"
                    f"  owner: stadt-{p}a\n  due: {day}\n  done: true\n",
                    encoding="utf-8",
                )
            elif kind == 1:
                (folder / "measures" / f"a{i}.yaml").write_text(
                    f"id: a{i}\ntitle: Maßnahme {i}\nowners: [stadt-{p}a]\nstatus: planned\n"
                    f"due: {day}\nplanned_cost: 100.00\n",
                    encoding="utf-8",
                )
            elif kind == 2:
                (folder / "decisions" / f"d{i}.yaml").write_text(
                    f"id: d{i}\nbody: Kreistag\ndate: {day}\ntitle: Beschluss {i}\n"
                    f"status: passed\npartner: stadt-{p}b\n",
                    encoding="utf-8",
                )
            else:
                (folder / "expenses" / f"e{i}.yaml").write_text(
                    f"id: e{i}\nreceipt_no: {i + 1}\ndate: {day}\n"
                    f"partner: stadt-{p}{'ab'[i % 2]}\ncategory: travel\n"
                    f"amount: 0.10\ndescription: Fahrt {i}\nover_cap: true\n",
                    encoding="utf-8",
                )


def generate_expenses(root: Path, records: int, pairs: int = 10) -> Path:
    """*records* expense files over *pairs* pairs, and the equivalent hledger journal."""
    (root / "regiotwin.yaml").write_text("name: RegioTwin\n", encoding="utf-8")
    journal = root / "equivalent.journal"
    lines = []
    per_pair = records // pairs
    for p in range(pairs):
        folder = root / "partnerships" / f"stadt-{p}a--stadt-{p}b"
        (folder / "expenses").mkdir(parents=True)
        (folder / "partnership.yaml").write_text(
            f"id: stadt-{p}a--stadt-{p}b\ntitle: Pair {p}\ntopic: Klimaschutz\n"
            "start: 2016-01-01\nend: 2016-12-31\npartners:\n"
            f"- id: stadt-{p}a\n  name: Stadt {p}A\n- id: stadt-{p}b\n  name: Stadt {p}B\n",
            encoding="utf-8",
        )
        for i in range(per_pair):
            day = f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}"
            partner = f"stadt-{p}{'ab'[i % 2]}"
            category = ("project", "travel")[i // 2 % 2]
            (folder / "expenses" / f"e{i}.yaml").write_text(
                f"id: e{i}\nreceipt_no: {i + 1}\ndate: {day}\npartner: {partner}\n"
                f"category: {category}\namount: 0.25\ndescription: Fahrt {i}\n"
                "payee: Deutsche Bahn\n",
                encoding="utf-8",
            )
            lines.append(
                f"{day} Fahrt {i} | Deutsche Bahn\n    expenses:{partner}:{category}  0.25 EUR\n"
                f"    assets:grant:{partner}\n"
            )
    journal.write_text("\n".join(lines), encoding="utf-8")
    return journal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    # the record cache lives in the user's cache folder; a private one here, so a first run
    # really starts without one
    cache = Path(tempfile.mkdtemp(prefix="regiotwin-bench-cache-"))
    os.environ["REGIOTWIN_CACHE_DIR"] = str(cache)
    try:
        _run(args, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def _run(args: argparse.Namespace, cache: Path) -> None:

    base = median_seconds([sys.executable, "-c", "import click"], args.runs)
    helped = median_seconds([*EXE, "--help"], args.runs)
    print(f"python -c 'import click'      {base * 1000:8.1f} ms")
    print(f"regiotwin --help              {helped * 1000:8.1f} ms  ({helped / base:.2f}x)")
    example = median_seconds([*EXE, "check"], args.runs, cwd=ROOT)
    print(f"regiotwin check (example)     {example * 1000:8.1f} ms")

    tmp = Path(tempfile.mkdtemp(prefix="regiotwin-bench-"))
    try:
        generate(tmp, args.records)
        check = [*EXE, "check", "--as-of", "2016-12-31"]
        first = []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            first.append(median_seconds(check, 1, cwd=tmp))
        print(f"regiotwin check, first run ({args.records} records) "
              f"{statistics.median(first) * 1000:8.1f} ms")
        big = median_seconds(check, args.runs, cwd=tmp)
        print(f"regiotwin check, unchanged ({args.records} records) {big * 1000:8.1f} ms")
    finally:
        shutil.rmtree(tmp)

    tmp = Path(tempfile.mkdtemp(prefix="regiotwin-bench-"))
    try:
        journal = generate_expenses(tmp, args.records)
        first = []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            first.append(median_seconds([*EXE, "budget", "status"], 1, cwd=tmp))
        cold = statistics.median(first)
        warm = median_seconds([*EXE, "budget", "status"], args.runs, cwd=tmp)
        print(f"budget status, first run ({args.records} expenses) {cold * 1000:8.1f} ms")
        print(f"budget status, unchanged ({args.records} expenses) {warm * 1000:8.1f} ms")
        if shutil.which("hledger"):
            ledger = median_seconds(["hledger", "-f", str(journal), "bal"], args.runs)
            print(f"hledger bal ({args.records} transactions)       {ledger * 1000:8.1f} ms")
            print(f"ratio first run / hledger: {cold / ledger:.2f}x, "
                  f"unchanged / hledger: {warm / ledger:.2f}x")
        else:
            print("hledger not installed (apt-get install hledger) - no comparison")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
