"""A first run reads a large repository in worker processes: the same records and findings,
in the same order, as reading it in one process (issue #16)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from regiotwin import parallel
from regiotwin.cache import RecordCache
from regiotwin.loader import load_repository
from tests.conftest import PAIR, PARTNERSHIP

P = f"partnerships/{PAIR}"
OTHER = "stadt-c--stadt-d"


def _files(outside: Path) -> dict[str, str]:
    """Valid and invalid files of every kind, over two pairs and the events."""
    files = {
        f"partnerships/{OTHER}/partnership.yaml": PARTNERSHIP.replace(PAIR, OTHER),
        f"{P}/meetings/2016-07-05-jour-fixe.yaml": (
            "id: 2016-07-05-jour-fixe\ndate: 2016-07-05\ntitle: Jour fixe\n"
            "participants:\n- Anna Alt\nactions:\n- what: Angebote einholen\n  due: 2016-07-20\n"),
        f"{P}/meetings/2016-08-02-workshop.yaml": (
            "id: 2016-08-02-workshop\ndate: 2016-08-02\nkind: workshop\ntitle: Workshop\n"),
        f"{P}/meetings/bad.yaml": "id: bad\ndate: 2016-02-30\ntitle: x\n",
        f"{P}/meetings/tabs.yaml": "id: tabs\n\tdate: 2016-07-01\n",
        f"{P}/measures/daemmung.yaml": (
            "id: daemmung\ntitle: Dämmung\nowners: [stadt-a]\nneeds_decision: true\n"),
        f"{P}/measures/nobody.yaml": "id: nobody\ntitle: Niemand\nowners: []\nextra: 1\n",
        f"{P}/decisions/2016-09-01-beschluss.yaml": (
            "id: 2016-09-01-beschluss\nbody: Rat\ndate: 2016-09-01\ntitle: Beschluss\n"
            "partner: stadt-a\nmeasures: [daemmung]\n"),
        f"{P}/expenses/e1.yaml": (
            "id: e1\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-a\ncategory: travel\n"
            "amount: 12.50\ndescription: Bahn\n"),
        f"{P}/expenses/e2.yaml": (
            "id: e2\nreceipt_no: 2\ndate: 2016-08-02\npartner: stadt-a\ncategory: project\n"
            "amount: 1.400\ndescription: Druck\n"),
        f"{P}/expenses/e3.yaml": "id: e3\nid: e3\n",
        f"{P}/expenses/old.yml": "id: old\n",
        f"partnerships/{OTHER}/expenses/e1.yaml": (
            "id: e1\nreceipt_no: 1\ndate: 2016-08-01\npartner: stadt-c\ncategory: travel\n"
            "amount: 3.00\ndescription: Bus\n"),
        "events/2016-10-12-vernetzung.yaml": (
            "id: 2016-10-12-vernetzung\ndate: 2016-10-12\ntitle: Vernetzung\n"
            f"pairs: [{PAIR}, unknown]\n"),
        "events/broken.yaml": "- a list\n",
    }
    (outside / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    return files


def _shape(root: Path) -> Any:
    """The repository and findings as a first run reads them, from a cache of its own."""
    cache = RecordCache(root, folder=root.parent / f"cache-{os.urandom(4).hex()}")
    repo, findings = load_repository(root, cache)
    return repo, findings


def test_workers_read_what_one_process_reads(
    repo: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    root = repo(_files(outside))
    os.symlink(outside / "secret.yaml", root / P / "measures" / "secret.yaml")
    answered: list[int] = []
    real = parallel.read_in_workers

    def counted(*args: Any) -> Any:
        result = real(*args)
        answered.append(-1 if result is None else len(result))
        return result

    monkeypatch.setattr(parallel, "read_in_workers", counted)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "BATCH", 3)  # several tasks, in order
    monkeypatch.setattr(parallel, "MIN_FILES", 10**9)
    serial = _shape(root)
    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    shared_out = _shape(root)
    assert answered == [-1, 15]  # the second run read its 15 files in two workers
    assert shared_out == serial
    assert [f.code for f in serial[1]] == [  # every kind of problem is among them
        "link-outside", "schema", "schema", "yaml", "yaml", "yml-ignored", "schema", "yaml",
        "yaml"]
    # and the cache a parallel run leaves serves the next run the same repository
    cache = RecordCache(root, folder=root.parent / "shared")
    load_repository(root, cache)
    assert load_repository(root, RecordCache(root, folder=root.parent / "shared")) == serial
    entries = [json.loads(path.read_text())["entries"] for path in
               sorted((root.parent / "shared").glob("*.json"))]
    assert sum(len(e) for e in entries) == 10  # every valid file, nothing else
