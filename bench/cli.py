"""Command start-up: ``jixiao parse`` on an empty file and on the sample, against bare Python.

Run as ``python -m bench cli``. A bad file must be refused within seconds, and most of that
time is the start-up of the command (importing its modules), not the reading. Each command
runs a few times in a subprocess; the figures are the median CPU time of the child process
(user + system), with the wall-clock median beside it, and the ratio to starting Python with
nothing to do, measured in the same run.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jixiao

SAMPLE = Path(jixiao.__file__).parent / "samples" / "baiyun-amr-2023-targets.ocr.txt"
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
RUNS = 3


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(command: list[str]) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of ``RUNS`` runs of ``command``."""
    cpu, wall = [], []
    for _ in range(RUNS):
        before, start = _children_cpu(), time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        wall.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - before)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.txt"
        empty.write_bytes(b"")
        commands = {
            "基线：python -c pass": [sys.executable, "-c", "pass"],
            "import jixiao.ingest": [sys.executable, "-c", "import jixiao.ingest"],
            "import jixiao.cli": [sys.executable, "-c", "import jixiao.cli"],
            "jixiao parse 空文件": [JIXIAO, "parse", str(empty), "--format", "json"],
            "jixiao parse 样本": [JIXIAO, "parse", str(SAMPLE), "--format", "json"],
        }
        timings = {label: run_timed(command) for label, command in commands.items()}
    base_cpu = timings["基线：python -c pass"][0]
    print(f"cli: 命令启动时间（每项运行 {RUNS} 次取中位数）")
    for label, (cpu, wall) in timings.items():
        print(
            f"  {label:22} CPU {cpu * 1000:7.0f} ms  基线的 {cpu / base_cpu:5.1f} 倍  "
            f"(墙钟 {wall * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
