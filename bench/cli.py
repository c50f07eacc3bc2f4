"""Command start-up: ``jixiao parse`` and ``jixiao import`` of the sample, against bare Python.

Run as ``python -m bench cli``. A bad file must be refused within seconds, and most of that
time is the start-up of the command (importing its modules), not the reading. Each command
runs a few times in a subprocess, after one run that writes the bytecode (as an installed
program has it; ``PYTHONDONTWRITEBYTECODE`` is dropped for the children); the figures are the
median CPU time of the child process (user + system), with the wall-clock median beside it,
and the ratio to starting Python with nothing to do, measured in the same run. ``jixiao
import`` writes the sample into a fresh SQLite database that is already migrated (a copy of one
made by ``jixiao db upgrade``), so it is measured against ``jixiao parse`` too.

Targets: ``jixiao parse`` of the sample ≤ 10× ``python -c pass``; ``jixiao import`` ≤ 2×
``jixiao parse``.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jixiao

SAMPLE = Path(jixiao.__file__).parent / "samples" / "baiyun-amr-2023-targets.ocr.txt"
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
RUNS = 5


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(
    command: list[str], env: dict[str, str], before_each: Callable[[], object] = lambda: None
) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of ``RUNS`` runs of ``command``, after one that is
    not counted (it writes the bytecode)."""
    before_each()
    subprocess.run(command, capture_output=True, check=False, env=env)  # an empty file fails
    cpu, wall = [], []
    for _ in range(RUNS):
        before_each()
        before, start = _children_cpu(), time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=env)
        wall.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - before)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = folder / "empty.txt"
        empty.write_bytes(b"")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        migrated, database = folder / "migrated.db", folder / "jixiao.db"
        env |= {"JIXIAO_DATA_DIR": tmp, "JIXIAO_DATABASE_URL": f"sqlite:///{database}"}
        subprocess.run([JIXIAO, "db", "upgrade"], capture_output=True, check=True, env=env)
        shutil.copyfile(database, migrated)

        def fresh_database() -> None:
            shutil.copyfile(migrated, database)

        commands = {
            "基线：python -c pass": [sys.executable, "-c", "pass"],
            "import jixiao.ingest": [sys.executable, "-c", "import jixiao.ingest"],
            "import jixiao.cli": [sys.executable, "-c", "import jixiao.cli"],
            "jixiao parse 空文件": [JIXIAO, "parse", str(empty), "--format", "json"],
            "jixiao parse 样本": [JIXIAO, "parse", str(SAMPLE), "--format", "json"],
        }
        timings = {label: run_timed(command, env) for label, command in commands.items()}
        imported = [JIXIAO, "import", str(SAMPLE), "--year", "2023"]
        timings["jixiao import 样本"] = run_timed(imported, env, fresh_database)
    base_cpu = timings["基线：python -c pass"][0]
    print(f"cli: 命令启动时间（每项运行 {RUNS} 次取中位数，CPU 时间）")
    for label, (cpu, wall) in timings.items():
        print(
            f"  {label:22} CPU {cpu * 1000:7.0f} ms  基线的 {cpu / base_cpu:5.1f} 倍  "
            f"(墙钟 {wall * 1000:.0f} ms)"
        )
    parse, imported_cpu = timings["jixiao parse 样本"][0], timings["jixiao import 样本"][0]
    print(f"  jixiao parse 样本 / python -c pass = {parse / base_cpu:.1f}（目标 ≤ 10）")
    print(f"  jixiao import 样本 / jixiao parse 样本 = {imported_cpu / parse:.2f}（目标 ≤ 2）")


if __name__ == "__main__":
    main()
