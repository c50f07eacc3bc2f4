"""A batch killed with SIGKILL and started again finishes, reading no finished file twice and
leaving no half-written output."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
from batch_inputs import done_rows, outputs, write_inputs

from jixiao.batch import CORPUS

FILES = 60


def start(src: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "jixiao", "parse", str(src), "--out", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_done(out: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the batch ended before it could be killed"
        try:
            if len(done_rows(out)) >= count:
                return
        except sqlite3.OperationalError:  # not created yet
            pass
        time.sleep(0.02)
    raise AssertionError("the batch made no progress")


def test_sigkill_then_restart(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_inputs(src, FILES)
    proc = start(src, out)
    wait_for_done(out, 5, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    first = done_rows(out)
    assert 5 <= len(first) < FILES
    for name in outputs(out):  # every output there is whole (json.loads would fail otherwise)
        assert name.startswith("dept-")
    for _, _, names, _ in first:
        for name in names:
            json.loads((out / name).read_text(encoding="utf-8"))
    assert not (out / CORPUS).exists()

    again = subprocess.run(
        [sys.executable, "-m", "jixiao", "parse", str(src), "--out", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert f"其中 {len(first)} 个此前已完成" in again.stderr
    final = done_rows(out)
    assert len(final) == FILES
    assert len({sha for sha, *_ in final}) == FILES
    runs = {source: run for _, source, _, run in final}
    assert {source: runs[source] for _, source, _, _ in first} == {s: 1 for _, s, _, _ in first}
    assert sorted(runs.values()).count(2) == FILES - len(first)
    assert sorted(outputs(out)) == [f"dept-{n:04d}.json" for n in range(1, FILES + 1)]
    assert not list(out.glob(".*.tmp"))
    corpus = pq.read_table(out / CORPUS)
    assert set(corpus.column("document").to_pylist()) == set(outputs(out))
