"""The same batch on Ray's local mode (a Ray started in this process, local CPUs, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_inputs import outputs, write_inputs

import jixiao
from jixiao.batch import CORPUS, LocalRunner, RayRunner, TaskSettings, run_batch

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    # workers import jixiao from the tree under test, whatever their working directory
    source = str(Path(jixiao.__file__).resolve().parents[1])
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": source}},
    )
    yield
    ray.shutdown()


@pytest.mark.usefixtures("local_ray")
def test_ray_writes_what_local_processes_write(tmp_path: Path) -> None:
    files = write_inputs(tmp_path / "in", 4)
    bad = tmp_path / "in" / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    files.append(bad)
    on_ray = run_batch(files, tmp_path / "ray", RayRunner(None), TaskSettings())
    local = run_batch(files, tmp_path / "local", LocalRunner(2), TaskSettings())
    assert (on_ray.read, len(on_ray.failures)) == (4, 1)
    assert on_ray.failures == local.failures
    assert on_ray.failures[0].path == bad
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    ray_corpus = pq.read_table(tmp_path / "ray" / CORPUS)
    assert ray_corpus.equals(pq.read_table(tmp_path / "local" / CORPUS))

    again = run_batch(files, tmp_path / "ray", RayRunner(None), TaskSettings())
    assert (again.read, again.resumed, len(again.failures)) == (0, 4, 1)
