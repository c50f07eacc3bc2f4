"""Timing helpers shared by the benchmarks: repeat a call, report the median per call.

Times are CPU seconds of this process (``time.process_time``): on a shared machine other
programs inflate wall-clock time but not the CPU time the call itself needs. The wall-clock
median is kept too.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """CPU seconds per call (median and best of the rounds) and the wall-clock median."""

    median: float
    best: float
    wall: float
    calls: int

    @property
    def per_second(self) -> float:
        return 1.0 / self.median

    @property
    def ms(self) -> float:
        return self.median * 1000


def measure(fn: Callable[[], object], min_seconds: float = 1.0, rounds: int = 7) -> Timing:
    """Call ``fn`` in ``rounds`` rounds of equal size, each lasting about ``min_seconds`` /
    ``rounds``, after one warm-up call; per-call time is the round time divided by its size."""
    fn()
    start = time.process_time()
    fn()
    once = max(time.process_time() - start, 1e-6)
    per_round = max(1, int(min_seconds / rounds / once))
    cpu, wall = [], []
    for _ in range(rounds):
        start, start_wall = time.process_time(), time.perf_counter()
        for _ in range(per_round):
            fn()
        cpu.append((time.process_time() - start) / per_round)
        wall.append((time.perf_counter() - start_wall) / per_round)
    return Timing(statistics.median(cpu), min(cpu), statistics.median(wall), per_round * rounds)
