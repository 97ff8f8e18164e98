"""Benchmarks for SPEC §7 and issue #16, run by hand: medians of whole commands, ratios in one run.

    python bench/bench.py [--records 10000] [--runs 7] [--scaling]

Everything is measured in this one run against its reference (`python -c "import click"` for
start-up, `hledger bal` on an equivalent journal for the repositories), so the ratios hold on
a busy machine even when the milliseconds do not. It prints one table of the targets of
issue #16 with the figure beside each, then the growth with the number of records when
`--scaling` is given. Install hledger for the comparisons: `apt-get install hledger`.

The repositories are generated in a temporary folder (expenses over pairs of 100 records each,
as the consultant's repository would hold them) with a private record cache, so a "first run"
really starts without one; the shipped example is copied, never changed in place.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = [sys.executable, "-m", "regiotwin"]
PER_PAIR = 100  # records per pair in generated repositories


# --- running commands ---------------------------------------------------------------------------


@dataclass
class Timing:
    seconds: float
    peak_kib: int  # the largest resident set of the runs


def run_once(cmd: list[str], cwd: Path | None = None,
             env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of one run; exit 0 or 1 (warnings) only."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                                   env={**os.environ, **env} if env else None)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed: {errors.read().decode()[-800:]}")
    return elapsed, usage.ru_maxrss


def measure(cmd: list[str], runs: int, cwd: Path | None = None, *,
            before: object = None) -> Timing:
    """Median of *runs* runs; *before* (a callable) runs ahead of each, e.g. to drop the cache."""
    times, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        seconds, peak = run_once(cmd, cwd)
        times.append(seconds)
        peaks.append(peak)
    return Timing(statistics.median(times), max(peaks))


# --- repositories -------------------------------------------------------------------------------


def generate_expenses(root: Path, records: int, per_pair: int = PER_PAIR) -> Path:
    """*records* expense files in pairs of *per_pair*, and the equivalent hledger journal."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "regiotwin.yaml").write_text("name: RegioTwin\n", encoding="utf-8")
    lines = []
    pairs = max(1, records // per_pair)
    for p in range(pairs):
        folder = root / "partnerships" / f"stadt-{p}a--stadt-{p}b"
        (folder / "expenses").mkdir(parents=True)
        (folder / "partnership.yaml").write_text(
            f"id: stadt-{p}a--stadt-{p}b\ntitle: Pair {p}\ntopic: Klimaschutz\n"
            "start: 2016-01-01\nend: 2016-12-31\npartners:\n"
            f"- id: stadt-{p}a\n  name: Stadt {p}A\n- id: stadt-{p}b\n  name: Stadt {p}B\n",
            encoding="utf-8",
        )
        for i in range(min(per_pair, records - p * per_pair)):
            day = f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}"
            partner = f"stadt-{p}{'ab'[i % 2]}"
            category = ("project", "travel")[i // 2 % 2]
            (folder / "expenses" / f"e{i}.yaml").write_text(
                f"id: e{i}\nreceipt_no: {i // 2 + 1}\ndate: {day}\npartner: {partner}\n"
                f"category: {category}\namount: 0.25\ndescription: Fahrt {i}\n"
                "payee: Deutsche Bahn\n",
                encoding="utf-8",
            )
            lines.append(
                f"{day} Fahrt {i} | Deutsche Bahn\n    expenses:{partner}:{category}  0.25 EUR\n"
                f"    assets:grant:{partner}\n"
            )
    journal = root.parent / f"{root.name}.journal"  # beside the repository, not in it
    journal.write_text("\n".join(lines), encoding="utf-8")
    return journal


def copy_example(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "regiotwin.yaml", target / "regiotwin.yaml")
    for folder in ("partnerships", "events"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


# --- the table ----------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    ours: float  # seconds, or KiB for memory rows
    reference: float | None  # the same unit, or None for absolute targets
    target: float  # a ratio when there is a reference, else seconds
    unit: str = "ms"

    def shown(self, value: float) -> str:
        if self.unit == "MiB":
            return f"{value / 1024:9.1f} MiB"
        return f"{value * 1000:9.1f} ms"

    @property
    def ratio(self) -> float | None:
        return self.ours / self.reference if self.reference else None

    def line(self) -> str:
        ref = self.shown(self.reference) if self.reference else " " * 12
        ratio = self.ratio
        if ratio is not None:
            got, goal, met = f"{ratio:5.2f}x", f"≤ {self.target:.2f}x", ratio <= self.target
        else:
            got, goal, met = "", f"≤ {self.target * 1000:.0f} ms", self.ours <= self.target
        return (f"{self.what:<52} {self.shown(self.ours)} {ref} {got:>6}  {goal:<10} "
                f"{'met' if met else 'NOT MET'}")


def print_table(rows: list[Row]) -> None:
    print(f"\n{'':<52} {'regiotwin':>12} {'reference':>12} {'ratio':>6}  {'target':<10}")
    for row in rows:
        print(row.line())


# --- the measurements ---------------------------------------------------------------------------


def startup_and_example(runs: int, scratch: Path) -> list[Row]:
    click = measure([sys.executable, "-c", "import click"], runs)
    helped = measure([*EXE, "--help"], runs)
    rows = [Row("regiotwin --help / python -c 'import click'", helped.seconds, click.seconds,
                1.5)]
    example = copy_example(scratch / "example")
    for args in (["budget", "status"], ["status"], ["check"], ["meeting", "list"]):
        run_once([*EXE, *args], example)  # the cache is filled once, as after any first use
        timing = measure([*EXE, *args], runs, example)
        rows.append(Row(f"{' '.join(args)} (example)", timing.seconds, None, 0.100))
    # what a TAB costs (issue #12: under 150 ms on the example, the cache warm)
    for words in ("regiotwin meeting done ", "regiotwin expense add --partner "):
        env = {"_REGIOTWIN_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()))}
        times = [run_once(EXE, example, env)[0] for _ in range(runs)]
        rows.append(Row(f"completion of '{words.strip()} <TAB>' (example)",
                        statistics.median(times), None, 0.150))
    counter = iter(range(10_000))
    adds = {
        "meeting add (example)": lambda: [
            *EXE, "meeting", "add", "--date", "2016-08-03", "--kind", "workshop",
            "--title", f"Bench {next(counter)}"],
        "expense add (example)": lambda: [
            *EXE, "expense", "add", "--partner", "landkreis-giessen", "--date", "2016-08-03",
            "--amount", "0,01", "--category", "project", "--description",
            f"Bench {next(counter)}", "--over-cap"],
    }
    for what, make in adds.items():
        times = [run_once(make(), example)[0] for _ in range(runs)]
        rows.append(Row(what, statistics.median(times), None, 0.150))
    return rows


COMMANDS = (["budget", "status"], ["check"], ["status"], ["export", "expenses"])


def at_scale(records: int, runs: int, scratch: Path, cache: Path, *, first: float,
             repeated: float, memory: float | None) -> list[Row]:
    """Every command covering all pairs, first run and repeated, against `hledger bal`."""
    repo = scratch / f"r{records}"
    journal = generate_expenses(repo, records)
    ledger = measure(["hledger", "-f", str(journal), "bal"], runs) if shutil.which("hledger") \
        else None
    if ledger is None:
        print("hledger is not installed (apt-get install hledger): no comparison at scale")
        return []

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    rows = []
    first_runs = max(1, min(runs, 3 if records >= 100_000 else runs))
    budget_cold: Timing | None = None
    for args in COMMANDS:
        cold = measure([*EXE, *args], first_runs, repo, before=drop_cache)
        if args == ["budget", "status"]:
            budget_cold = cold
        rows.append(Row(f"{' '.join(args)}, first run, {records:,} records", cold.seconds,
                        ledger.seconds, first))
    for args in COMMANDS:
        warm = measure([*EXE, *args], runs, repo)
        rows.append(Row(f"{' '.join(args)}, repeated, {records:,} records", warm.seconds,
                        ledger.seconds, repeated))
    if memory is not None and budget_cold is not None:
        rows.append(Row(f"peak memory, budget status first run, {records:,}",
                        budget_cold.peak_kib, ledger.peak_kib, memory, unit="MiB"))
    shutil.rmtree(repo)
    journal.unlink()
    return rows


def pair_scoped(runs: int, scratch: Path) -> list[Row]:
    """`expense add` on one pair of a 1,000-pair repository against a one-pair repository."""
    rows = []
    timings = {}
    for pairs in (1, 1000):
        repo = scratch / f"pairs{pairs}"
        journal = generate_expenses(repo, pairs * 10, per_pair=10)
        journal.unlink()
        adds = [[*EXE, "-p", "stadt-0a--stadt-0b", "expense", "add", "--partner", "stadt-0a",
                 "--date", "2016-08-03", "--amount", "0,01", "--category", "project",
                 "--description", f"Bench {n}", "--over-cap"] for n in range(runs)]
        run_once([*EXE, "check"], repo)  # a warm cache, as in daily use
        timings[pairs] = statistics.median(run_once(add, repo)[0] for add in adds)
        shutil.rmtree(repo)
    rows.append(Row("expense add, 1,000-pair / one-pair repository", timings[1000], timings[1],
                    1.2))
    return rows


def scaling(runs: int, scratch: Path, cache: Path, largest: int) -> None:
    """budget status at 1k, 10k and 100k records: the time per record must not grow."""
    print("\ngrowth with the number of records (budget status; µs per record)")
    sizes = [n for n in (1_000, 10_000, 100_000) if n <= max(largest, 1_000)]
    for records in sizes:
        repo = scratch / f"s{records}"
        generate_expenses(repo, records).unlink()

        def drop_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        cold = measure([*EXE, "budget", "status"], max(1, min(runs, 3)), repo, before=drop_cache)
        warm = measure([*EXE, "budget", "status"], runs, repo)
        print(f"{records:>8,} records: first {cold.seconds * 1000:9.1f} ms "
              f"({cold.seconds / records * 1e6:6.1f} µs/record), repeated "
              f"{warm.seconds * 1000:9.1f} ms ({warm.seconds / records * 1e6:6.1f} µs/record), "
              f"peak {cold.peak_kib / 1024:6.1f} MiB")
        shutil.rmtree(repo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000,
                        help="size of the large repository (targets for 10,000 and 100,000)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scaling", action="store_true",
                        help="also print budget status at 1k, 10k and 100k records")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="regiotwin-bench-"))
    # the record cache lives in the user's cache folder; a private one here, so a first run
    # really starts without one
    cache = scratch / "cache"
    os.environ["REGIOTWIN_CACHE_DIR"] = str(cache)
    os.environ.pop("REGIOTWIN_DIR", None)
    try:
        print(f"{sys.platform}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
              f"hledger: {shutil.which('hledger') or 'not installed'}")
        rows = startup_and_example(args.runs, scratch)
        rows += at_scale(10_000, args.runs, scratch, cache, first=2.0, repeated=0.5,
                         memory=None)
        if args.records >= 100_000:
            rows += at_scale(args.records, args.runs, scratch, cache, first=2.5,
                             repeated=0.35, memory=0.5)
        rows += pair_scoped(args.runs, scratch)
        print_table(rows)
        if args.scaling:
            scaling(args.runs, scratch, cache, args.records)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
