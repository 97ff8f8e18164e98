"""Benchmarks for SPEC §7 and issue #16, run by hand: medians of whole commands, ratios in one run.

    python bench/bench.py [--records 10000] [--runs 7] [--scaling] [--only example|repeated]

Everything is measured in this one run against its reference (`python -c "import click"` for
start-up, `hledger bal` on an equivalent journal for the repositories), so the ratios hold on
a busy machine even when the milliseconds do not. It prints one table of the targets of
issue #16 with the figure beside each, then the growth with the number of records when
`--scaling` is given. Install hledger for the comparisons: `apt-get install hledger`.

The repositories are generated in a temporary folder with a private record cache, so a "first
run" really starts without one; the shipped example is copied, never changed in place. Their
shapes are the issue's: 10,000 expenses are a consultant's 10 pairs of 1,000, 100,000 are a
programme's 1,000 pairs of 100 (`shape`); the growth table keeps 100 records per pair at every
size, so that only the number of records changes.

Python is measured as installed: pip compiles a package's bytecode when it installs it, so the
bench compiles the checkout's once before measuring (with PYTHONDONTWRITEBYTECODE set, as in
some shells and containers, every run would otherwise compile our sources again, a cost no
installed copy has). Peak memory is that of the whole process tree (a command may read with
worker processes): the proportional set size (shared pages counted once, however many forked
workers share them) sampled from /proc, in runs of their own so that sampling never slows a
timed run; without /proc, the largest resident set of one process.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = [sys.executable, "-m", "regiotwin"]
PER_PAIR = 100  # records per pair beyond the consultant's scale, and in the growth table


def shape(records: int) -> int:
    """Records per pair as the issue measured them: up to 10,000 records a consultant's 10
    pairs, beyond that a programme's pairs of PER_PAIR records each."""
    return max(1, records // 10) if records <= 10_000 else PER_PAIR


# --- running commands ---------------------------------------------------------------------------


@dataclass
class Timing:
    seconds: float
    peak_kib: int  # the largest resident set of the runs


def _tree_pss_kib(pid: int) -> int:
    """The memory of a process and all its descendants (Linux /proc), in KiB: the sum of
    their proportional set sizes, so pages a forked worker shares are counted once."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", "rb") as rollup:
                for line in rollup:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as children:
                    todo += [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


class _TreeSampler(threading.Thread):
    """The largest memory of the process tree, sampled every 10 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, _tree_pss_kib(self.pid))


def run_once(cmd: list[str], cwd: Path | None = None,
             env: dict[str, str] | None = None, *, sample: bool = False) -> tuple[float, int]:
    """Wall time and peak memory (KiB) of one run; exit 0 or 1 (warnings) only. With *sample*
    the memory is the sampled peak of the whole tree (see the module's docstring), else the
    process's own largest resident set."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                                   env={**os.environ, **env} if env else None)
        sampler = (_TreeSampler(process.pid)
                   if sample and os.path.exists("/proc/self/smaps_rollup") else None)
        if sampler is not None:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if sampler is not None:
            sampler.done.set()
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed: {errors.read().decode()[-800:]}")
    return elapsed, sampler.peak if sampler and sampler.peak else usage.ru_maxrss


def measure(cmd: list[str], runs: int, cwd: Path | None = None, *,
            before: object = None, memory: bool = False) -> Timing:
    """Median of *runs* runs; *before* (a callable) runs ahead of each, e.g. to drop the cache.
    With *memory*, one more run (not timed) samples the peak memory of the process tree."""
    times, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        seconds, peak = run_once(cmd, cwd)
        times.append(seconds)
        peaks.append(peak)
    if memory:
        if callable(before):
            before()
        peaks = [run_once(cmd, cwd, sample=True)[1]]
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
        return (f"{self.what:<56} {self.shown(self.ours)} {ref} {got:>6}  {goal:<10} "
                f"{'met' if met else 'NOT MET'}")


def print_table(rows: list[Row]) -> None:
    print(f"\n{'':<56} {'regiotwin':>12} {'reference':>12} {'ratio':>6}  {'target':<10}")
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
        rows.append(Row(f"TAB after '{words.strip()[10:]}' (example)",
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
Runs = dict[str, tuple[Timing, Timing]]  # command → (first run, repeated)
_MEASURED: dict[tuple[int, int], Runs] = {}  # (records, per pair) → what was measured


def measure_commands(records: int, per_pair: int, runs: int, scratch: Path,
                     cache: Path, *, first: bool = True) -> Runs:
    """Every command that covers all pairs on a generated repository: first runs (each from an
    empty cache) and repeated runs (the cache warm); measured once per size and shape. Without
    *first*, the first runs are only made (once, untimed) to fill the cache."""
    key = (records, per_pair)
    if key in _MEASURED:
        return _MEASURED[key]
    repo = scratch / f"r{records}-{per_pair}"
    generate_expenses(repo, records, per_pair).unlink()

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    first_runs = max(1, min(runs, 3 if records >= 100_000 else runs))
    if first:
        cold = {" ".join(args): measure([*EXE, *args], first_runs, repo, before=drop_cache,
                                        memory=True)
                for args in COMMANDS}
    else:
        drop_cache()
        cold = {" ".join(args): Timing(run_once([*EXE, *args], repo)[0], 0) for args in COMMANDS}
    warm = {" ".join(args): measure([*EXE, *args], runs, repo) for args in COMMANDS}
    shutil.rmtree(repo)
    _MEASURED[key] = {name: (cold[name], warm[name]) for name in cold}
    return _MEASURED[key]


def at_scale(records: int, runs: int, scratch: Path, cache: Path, *, first: float,
             repeated: float, memory: float | None, only_repeated: bool = False) -> list[Row]:
    """Every command covering all pairs, first run and repeated, against `hledger bal` on the
    equivalent journal (*only_repeated*: the repeated runs alone)."""
    if not shutil.which("hledger"):
        print("hledger is not installed (apt-get install hledger): no comparison at scale")
        return []
    per_pair = shape(records)
    journal = generate_expenses(scratch / "ledger", records, per_pair)
    shutil.rmtree(scratch / "ledger")
    ledger = measure(["hledger", "-f", str(journal), "bal"], runs, memory=memory is not None)
    journal.unlink()
    measured = measure_commands(records, per_pair, runs, scratch, cache,
                                first=not only_repeated)
    pairs = f"{records:,} records in {max(1, records // per_pair):,} pairs"
    rows = [Row(f"{name}, first run, {pairs}", cold.seconds, ledger.seconds, first)
            for name, (cold, _) in measured.items() if not only_repeated]
    rows += [Row(f"{name}, repeated, {pairs}", warm.seconds, ledger.seconds, repeated)
             for name, (_, warm) in measured.items()]
    if memory is not None and not only_repeated:
        peak = max(cold.peak_kib for cold, _ in measured.values())
        rows.append(Row(f"peak memory, largest of the first runs, {records:,}", peak,
                        ledger.peak_kib, memory, unit="MiB"))
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
    """Every command at 1k, 10k and 100k records of PER_PAIR per pair: the time per record
    must not grow."""
    print(f"\ngrowth with the number of records ({PER_PAIR} per pair; µs per record)")
    sizes = [n for n in (1_000, 10_000, 100_000) if n <= max(largest, 1_000)]
    print(f"{'':<16} {'records':>8}  {'first run':>22}  {'repeated':>22}  {'peak':>9}")
    for records in sizes:
        for name, (cold, warm) in measure_commands(records, PER_PAIR, runs, scratch,
                                                   cache).items():
            print(f"{name:<16} {records:>8,}  {cold.seconds * 1000:9.1f} ms "
                  f"{cold.seconds / records * 1e6:6.1f} µs  {warm.seconds * 1000:9.1f} ms "
                  f"{warm.seconds / records * 1e6:6.1f} µs  {cold.peak_kib / 1024:5.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000,
                        help="size of the large repository (targets for 10,000 and 100,000)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scaling", action="store_true",
                        help="also print every command at 1k, 10k and 100k records")
    parser.add_argument("--only", choices=["example", "repeated"],
                        help="only these rows: 'example' is start-up and the commands on the "
                             "example (no repositories generated, no hledger); 'repeated' the "
                             "repeated runs at scale, against hledger (a quick look while "
                             "working; the whole table is the one to quote)")
    args = parser.parse_args()
    only_repeated = args.only == "repeated"
    scratch = Path(tempfile.mkdtemp(prefix="regiotwin-bench-"))
    # the record cache lives in the user's cache folder; a private one here, so a first run
    # really starts without one
    cache = scratch / "cache"
    os.environ["REGIOTWIN_CACHE_DIR"] = str(cache)
    os.environ.pop("REGIOTWIN_DIR", None)
    # as installed: the bytecode compiled once, never again per run (see the module's docstring)
    compileall.compile_dir(ROOT / "regiotwin", quiet=1)
    try:
        print(f"{sys.platform}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
              f"hledger: {shutil.which('hledger') or 'not installed'}; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        rows = [] if only_repeated else startup_and_example(args.runs, scratch)
        at_scales = args.only != "example"
        if at_scales:
            rows += at_scale(10_000, args.runs, scratch, cache, first=2.0, repeated=0.5,
                             memory=None, only_repeated=only_repeated)
        if at_scales and args.records >= 100_000:
            rows += at_scale(args.records, args.runs, scratch, cache, first=2.5,
                             repeated=0.35, memory=0.5, only_repeated=only_repeated)
        if args.only is None:
            rows += pair_scoped(args.runs, scratch)
        print_table(rows)
        if args.scaling and args.only is None:
            scaling(args.runs, scratch, cache, args.records)
        print(f"\nload average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
