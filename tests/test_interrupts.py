"""Ctrl-C and SIGTERM at any moment: no orphan, no temporary file, a true message, no
traceback (issue #11, Why 9)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PAIR

P = f"partnerships/{PAIR}"


def _start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "regiotwin", "-C", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _temporary_files(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.name.endswith(".tmp")]


def test_killing_expense_add_at_any_point_leaves_no_orphan_and_no_temp_file(
    repo: Callable[..., Path], tmp_path: Path
) -> None:
    """A big receipt is copied and hashed while SIGINT or SIGTERM arrives at a random moment:
    afterwards every receipt belongs to an expense, no `.tmp` is left, and the message says
    exactly what was written."""
    root = repo()
    receipt = tmp_path.parent / f"{tmp_path.name}-scan.pdf"
    chance = random.Random(11)
    outcomes = set()
    for attempt in range(8):
        # a new scan each time: one receipt may prove only one expense
        receipt.write_bytes(os.urandom(1 << 20) * 24)
        process = _start(root, "expense", "add", "--partner", "stadt-a", "--date", "2016-08-01",
                         "--amount", "1", "--category", "travel", "--description",
                         f"Fahrt {attempt}", "--receipt", str(receipt), "--over-cap")
        time.sleep(chance.uniform(0.05, 0.9))
        sent = signal.SIGTERM if attempt % 2 else signal.SIGINT
        process.send_signal(sent)
        _, err = process.communicate(timeout=60)
        message = err.decode()
        assert "Traceback" not in message
        assert _temporary_files(root) == []
        expenses = sorted(p.stem for p in (root / P / "expenses").glob("*.yaml"))
        receipts = sorted(p.stem for p in (root / P / "receipts").glob("*"))
        assert expenses == receipts  # every receipt with its record, every record with its own
        written = any(f"fahrt-{attempt}" in name for name in expenses)
        word = "terminated" if sent == signal.SIGTERM else "interrupted"
        if process.returncode == 0:
            outcomes.add("finished")
            assert written and message == ""
        elif written and process.returncode == -sent:
            # the command had finished; the signal met Python's own clean-up at exit, after
            # our handlers were gone: everything was written and nothing more was said
            outcomes.add("finished")
            assert message == ""
        elif written:
            outcomes.add("written")
            assert process.returncode == (143 if sent == signal.SIGTERM else 130)
            assert message.startswith(f"{word}; written completely before that: {P}/")
            assert f"fahrt-{attempt}.yaml" in message
        else:
            outcomes.add("nothing")
            assert message == f"{word}; nothing was written\n"
            assert process.returncode in (130, 143, -signal.SIGINT, -signal.SIGTERM)
    assert "nothing" in outcomes


# what the `regiotwin` script that pip writes does, with a mark once Python is up and has found
# `main` (an interrupt while the interpreter starts and imports the two tiny package modules is
# Python's to handle, before any of our code can run)
_SCRIPT = ("import sys; from regiotwin.cli import main; sys.stdout.write('up\\n'); "
           "sys.stdout.flush(); sys.argv[0] = 'regiotwin'; sys.exit(main())")


@pytest.mark.parametrize("delay", [0.005, 0.01, 0.02, 0.03, 0.045, 0.06, 0.08])
def test_ctrl_c_in_the_first_milliseconds_prints_no_traceback(
    repo: Callable[..., Path], delay: float
) -> None:
    """Why 9: Ctrl-C while click, pydantic and the commands were imported printed a traceback."""
    root = repo()
    process = subprocess.Popen([sys.executable, "-c", _SCRIPT, "-C", str(root), "budget",
                                "status"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "NO_COLOR": "1"})
    assert process.stdout is not None and process.stdout.readline() == b"up\n"
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err.decode()
    if process.returncode == 130:
        assert err.decode().endswith("interrupted; nothing was written\n")
    else:
        assert process.returncode in (0, -signal.SIGINT), err.decode()


def test_sigterm_runs_the_clean_up_of_a_write(tmp_path: Path) -> None:
    """SIGTERM is handled like Ctrl-C: a write stopped half-way leaves no temporary file."""
    script = (
        "import os, signal, sys\n"
        "from regiotwin.cli import signals\n"
        "from regiotwin import writer\n"
        "signals.install()\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real(fd)\n"
        "os.fsync = slow\n"
        "try:\n"
        f"    writer.write_atomic(__import__('pathlib').Path({str(tmp_path / 'x.yaml')!r}),"
        " 'a: 1\\n', new=True)\n"
        "except signals.Terminated:\n"
        "    print('terminated', sorted(os.listdir(sys.argv[1])))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True)
    assert done.stdout == "terminated []\n", done.stderr
