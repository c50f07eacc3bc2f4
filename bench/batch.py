"""Batch reading: --jobs 2 and Ray local mode against one process; the parent's memory over
100 to 500 documents.

Run as ``python -m bench batch``. The documents are the bundled sample, each copy made the table
of another department (37 projects, 238 indicators, one page each), so every copy has its own
content and is read. Times are wall-clock: a speed-up from running in parallel is wall-clock by
nature (on a machine shared with other work it shows less than the cores could give).

- baseline: one process reading the files one after another (``read_one``, no child process);
- ``--jobs 1`` / ``--jobs 2``: ``run_batch`` with local processes, each file in its own bounded
  child (outputs, manifest and corpus written as the command does);
- Ray local mode: the same batch on a Ray started in this process with 2 CPUs (its start-up
  reported apart).

Memory: a fresh process runs batches of 100, 250 and 500 documents with ``--jobs 2`` and reports
its own peak RSS (``ru_maxrss``; the parsing happens in children, the parent only dispatches,
writes and builds the corpus). Targets: ``--jobs 2`` ≥ 1.7× one process on two free cores;
the parent's peak RSS flat (500 documents within 1.2× of 100).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jixiao
from jixiao.batch import LocalRunner, RayRunner, TaskSettings, run_batch
from jixiao.batch.runners import Runner
from jixiao.batch.task import read_one

SAMPLE = Path(jixiao.__file__).parent / "samples" / "baiyun-amr-2023-targets.ocr.txt"
DOCUMENTS = 40
SIZES = (100, 250, 500)
TARGET_SPEEDUP = 1.7
TARGET_MEMORY = 1.2


def write_documents(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the sample, copy n the table of department n."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    paths = []
    for n in range(1, count + 1):
        path = folder / f"dept-{n:04d}.txt"
        path.write_text(text.replace("(本级)", f"第{n}所(本级)", 1), encoding="utf-8")
        paths.append(path)
    return paths


def _one_process(files: list[Path]) -> float:
    settings = TaskSettings()
    started = time.perf_counter()
    for path in files:
        outcome = read_one(path.read_bytes(), path.name, settings)
        assert outcome.error is None, outcome.error
    return time.perf_counter() - started


def _batch(files: list[Path], out: Path, runner: Runner) -> float:
    started = time.perf_counter()
    summary = run_batch(files, out, runner, TaskSettings())
    assert summary.read == len(files), summary
    assert not summary.failures, summary.failures
    return time.perf_counter() - started


def _row(label: str, seconds: float, baseline: float, count: int) -> None:
    print(
        f"  {label:28} {seconds:7.2f} s  {count / seconds:6.1f} 份/秒  "
        f"相对单进程 {baseline / seconds:5.2f} 倍"
    )


def _ray_runner() -> tuple[Runner, float]:
    import ray

    started = time.perf_counter()
    source = str(Path(jixiao.__file__).resolve().parents[1])
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.WARNING,
        runtime_env={"env_vars": {"PYTHONPATH": source}},
    )
    return RayRunner(None), time.perf_counter() - started


_PEAK = """
import json, resource, sys
from pathlib import Path
from jixiao.batch import LocalRunner, TaskSettings, run_batch
files = sorted(Path(sys.argv[1]).iterdir())[: int(sys.argv[2])]
summary = run_batch(files, Path(sys.argv[3]), LocalRunner(2), TaskSettings())
assert summary.read == len(files) and not summary.failures
print(json.dumps({"kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _peak_rss_kb(folder: Path, count: int, out: Path) -> int:
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, str(folder), str(count), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(json.loads(proc.stdout.strip().splitlines()[-1])["kb"])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_documents(root / "in", DOCUMENTS)
        print(f"batch: {DOCUMENTS} 份文档（样本改作不同部门，每份 37 个项目、238 条指标）")
        baseline = _one_process(files)
        _row("基线：单进程逐个读取", baseline, baseline, DOCUMENTS)
        jobs1 = _batch(files, root / "jobs1", LocalRunner(1))
        _row("--jobs 1", jobs1, baseline, DOCUMENTS)
        jobs2 = _batch(files, root / "jobs2", LocalRunner(2))
        _row("--jobs 2", jobs2, baseline, DOCUMENTS)
        speedup = baseline / jobs2
        verdict = "达到" if speedup >= TARGET_SPEEDUP else "未达到"
        print(
            f"  --jobs 2 相对单进程 {speedup:.2f} 倍、相对 --jobs 1 {jobs1 / jobs2:.2f} 倍"
            f"（目标 ≥ {TARGET_SPEEDUP}，两个空闲核上）—— {verdict}"
        )
        ray_runner, startup = _ray_runner()
        on_ray = _batch(files, root / "ray", ray_runner)
        _row(f"Ray 本地模式（启动 {startup:.1f} s 另计）", on_ray, baseline, DOCUMENTS)

        import ray

        ray.shutdown()
        big = write_documents(root / "many", max(SIZES))
        peaks = {n: _peak_rss_kb(big[0].parent, n, root / f"peak{n}") for n in SIZES}
        print(
            "  父进程峰值内存（--jobs 2）："
            + "，".join(f"{n} 份 {kb / 1024:.0f} MB" for n, kb in peaks.items())
        )
        growth = peaks[max(SIZES)] / peaks[min(SIZES)]
        verdict = "达到" if growth <= TARGET_MEMORY else "未达到"
        print(
            f"  {max(SIZES)} 份 / {min(SIZES)} 份 = {growth:.2f}"
            f"（目标 ≤ {TARGET_MEMORY}）—— {verdict}"
        )


if __name__ == "__main__":
    main()
