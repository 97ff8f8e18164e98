"""What changing a record costs, run by hand: the rewrite alone and whole commands.

    python bench/rewrite.py [--runs 30]

On a copy of the shipped example: `meeting done` on the kick-off meeting's action item (made
open first) and `contact add` to Gießen's contacts. Prints the median of
`store.rewrite_record_text` (the text edit, the read-back check and the size check; the lock,
reading and writing are not in it) over ten times as many calls as runs, and the median wall
and CPU time (user + system, steadier on a busy machine) of the whole command in a new
process, each from a fresh file. POSIX only (os.wait4).
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIR = "partnerships/landkreis-teltow-flaeming--landkreis-giessen"
MEETING = f"{PAIR}/meetings/2016-06-15-auftaktworkshop-regio-twinning.yaml"
MEETING_ID = "2016-06-15-auftaktworkshop-regio-twinning"


def copy_example(target: Path) -> Path:
    for name in ("regiotwin.yaml", "partnerships", "events"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    meeting = target / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("  done: true\n", ""),
                       encoding="utf-8")
    return target


def in_process(root: Path, runs: int) -> None:
    import copy

    from regiotwin import store
    from regiotwin.models import Contact, Meeting, Partnership, Record
    from regiotwin.validation import validated
    from regiotwin.yamlio import parse_yaml

    def timed(label: str, text: str, model: Record, changed: Record) -> None:
        was = store.record_data(model)
        times = []
        for _ in range(runs * 10):
            start = time.perf_counter()
            store.rewrite_record_text(text, changed, was=was)
            times.append(time.perf_counter() - start)
        print(f"{label:24} rewrite_record_text  {statistics.median(times) * 1000:8.2f} ms")

    text = (root / MEETING).read_text(encoding="utf-8")
    meeting = validated(Meeting, parse_yaml(text).data)
    done = copy.deepcopy(meeting)
    done.actions[0].done = True
    timed("meeting done", text, meeting, done)

    text = (root / PAIR / "partnership.yaml").read_text(encoding="utf-8")
    ship = validated(Partnership, parse_yaml(text).data)
    added = copy.deepcopy(ship)
    partner = added.partner("landkreis-giessen")
    assert partner is not None
    partner.contacts.append(Contact(name="Kim Gast", function="Praktikantin"))
    timed("contact add", text, ship, added)


def commands(root: Path, runs: int) -> None:
    exe = [sys.executable, "-m", "regiotwin"]

    def restore(rel: str) -> Callable[[], None]:
        text = (root / rel).read_text(encoding="utf-8")

        def reset() -> None:
            (root / rel).write_text(text, encoding="utf-8")

        return reset

    cases = {
        "meeting done": (["meeting", "done", MEETING_ID, "1"], restore(MEETING)),
        "contact add": (["contact", "add", "--partner", "landkreis-giessen", "--name",
                         "Kim Gast", "--function", "Praktikantin"],
                        restore(f"{PAIR}/partnership.yaml")),
    }
    for label, (args, reset) in cases.items():
        wall, cpu = [], []
        for _ in range(runs):
            reset()
            start = time.perf_counter()
            process = subprocess.Popen(exe + args, cwd=root, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            wall.append(time.perf_counter() - start)
            cpu.append(usage.ru_utime + usage.ru_stime)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{label} failed")
        print(f"{label:24} whole command        {statistics.median(wall) * 1000:8.1f} ms "
              f"(CPU {statistics.median(cpu) * 1000:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        root = copy_example(Path(scratch))
        in_process(root, runs)
        commands(root, runs)


if __name__ == "__main__":
    main()
