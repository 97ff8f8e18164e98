"""A first run over a large repository: its files parsed and validated in worker processes.

Parsing YAML and validating take nine tenths of a first run, file by file and independent of
each other, so they are shared out over the cores (as many workers as this process may use,
at most MAX_WORKERS) when there are at least MIN_FILES of them: below that, starting the
processes costs more than they save. The records and findings are the serial run's, in its
order (a test holds them equal):

- a worker sends back plain JSON text, never a pickled object: for a valid file its hash, its
  values as the record cache keeps them and where its keys are; for an invalid one its
  findings. Nothing read from disk is ever unpickled here;
- this process builds each record from those values with the cache's decoders (what a run
  served from the cache does; the cache's tests prove it equal to validation) and keeps the
  entry in the cache, with the stat it took before the file was read.

Workers leave Ctrl-C and SIGTERM to this process, which stops them on its way out.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from regiotwin.cache import Probe, RecordCache, as_json, cached_data, rebuild
from regiotwin.errors import Finding
from regiotwin.loader import RECORD_DIRS, Loaded, parsed
from regiotwin.models import Event, Partnership, Programme, Record

MIN_FILES = 1000  # fewer are read faster in this process than by starting workers
MAX_WORKERS = 8
BATCH = 250  # files per task: big enough to keep the pipes quiet, small enough to share out

_MODELS: dict[str, type[Record]] = {
    m.__name__: m for m in (Programme, Partnership, *RECORD_DIRS.values(), Event)}

Job = tuple[str, str, type[Record], "Probe | None"]  # path, relative path, model, the stat


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def read_in_workers(root: Path, jobs: list[Job], cache: RecordCache | None
                    ) -> list[tuple[Loaded[Any] | None, list[Finding]]] | None:
    """Each file of *jobs* read afresh in worker processes, as `loader._read_one` reads it in
    this one; None when they are too few to pay for the processes, or none can be started."""
    workers = min(cores(), MAX_WORKERS, -(-len(jobs) // BATCH))
    if len(jobs) < MIN_FILES or workers < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from regiotwin import validation, yamlio  # noqa: F401  (loaded once, before the fork)

    for model in {model for _, _, model, _ in jobs}:
        validation.adapter(model)  # built once, here, not once per worker
    # fork where it is safe and cheap (Linux); a new interpreter elsewhere
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    tasks = [[(path, rel, model.__name__) for path, rel, model, _ in jobs[i:i + BATCH]]
             for i in range(0, len(jobs), BATCH)]
    results: list[tuple[Loaded[Any] | None, list[Finding]]] = []
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                 initializer=_worker_start) as pool:
            for text in pool.map(functools.partial(_read_batch, os.fspath(root)), tasks):
                for answer in json.loads(text):
                    path, rel, model, probe = jobs[len(results)]
                    results.append(_received(root, path, rel, model, probe, answer, cache))
    except (OSError, ImportError, BrokenProcessPool):  # no processes to be had, or one died
        return None
    return results


def _received(root: Path, path: str, rel: str, model: type[Record], probe: Probe | None,
              answer: list[Any], cache: RecordCache | None
              ) -> tuple[Loaded[Any] | None, list[Finding]]:
    """A worker's answer for one file as the loader's: the record built from the values the
    cache would keep, or the findings."""
    sent_rel, sha, data, lines, found = answer
    assert sent_rel == rel, (sent_rel, rel)  # answers come back in the order of the jobs
    if sha is None:
        return None, [Finding(*finding) for finding in found]
    value = rebuild(model, data)
    if value is None:  # pragma: no cover - the cache's tests prove the values rebuild
        from regiotwin.loader import _read_one

        return _read_one(root, path, rel, model, cache, probe)
    if cache is not None and probe is not None:
        cache.keep(rel, probe, sha, value, data, lines)
    return Loaded(value, rel, None, root, lines), []


def _worker_start() -> None:
    """A worker leaves interrupts to the command, which ends the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _read_batch(root: str, batch: list[tuple[str, str, str]]) -> str:
    """In a worker: each file parsed and validated, answered as JSON text."""
    answers = []
    for path, rel, name in batch:
        findings: list[Finding] = []
        value, lines, raw = parsed(path, rel, _MODELS[name], findings)
        if value is None or raw is None:
            answers.append([rel, None, None, None,
                            [[f.path, f.line, f.severity, f.message, f.code] for f in findings]])
        else:
            answers.append([rel, hashlib.sha256(raw).hexdigest(), cached_data(value), lines, []])
    return as_json(answers)
