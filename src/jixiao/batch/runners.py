"""Where the per-file tasks run: local processes, or a Ray cluster.

A runner takes ``(key, data, name)`` tasks lazily and yields ``(key, Outcome)`` as tasks finish,
in any order, with a bounded number in flight (twice the workers), so memory does not grow with
the number of files. Either way each file is read by ``task.read_one_bounded``: in a child
process of its own under the per-file time and memory limits.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol, TypeVar

from jixiao.batch.task import Outcome, TaskSettings, read_one_bounded
from jixiao.errors import JixiaoError

K = TypeVar("K")

CLUSTER_EXTRA = "jixiao[cluster]"


class Runner(Protocol):
    def run(
        self, tasks: Iterable[tuple[K, bytes, str]], settings: TaskSettings
    ) -> Iterator[tuple[K, Outcome]]: ...


class LocalRunner:
    """``jobs`` files at once, each in its own bounded child process."""

    def __init__(self, jobs: int) -> None:
        if jobs < 1:
            raise JixiaoError("--jobs 至少为 1")
        self.jobs = jobs

    def run(
        self, tasks: Iterable[tuple[K, bytes, str]], settings: TaskSettings
    ) -> Iterator[tuple[K, Outcome]]:
        source = iter(tasks)
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            pending: dict[Future[Outcome], K] = {}

            def refill() -> None:
                for key, data, name in itertools.islice(source, 2 * self.jobs - len(pending)):
                    pending[pool.submit(read_one_bounded, data, name, settings)] = key

            refill()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield pending.pop(future), future.result()
                refill()


class RayRunner:
    """The same tasks on a Ray cluster: ``address`` is ``ray://HOST:PORT`` or ``auto``; a Ray
    already started in this process (``ray.init``) is used as it is. Inputs are sent with the
    task, so the workers need jixiao installed but not the input files."""

    def __init__(self, address: str | None, inflight: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise JixiaoError(
                f"--cluster 需要 Ray：请安装 {CLUSTER_EXTRA}（pip install '{CLUSTER_EXTRA}'）"
            ) from None
        self._ray: Any = ray
        if not ray.is_initialized():
            try:
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise JixiaoError(f"无法连接 Ray 集群 {address}：{exc}") from None
        resources: dict[str, float] = self._ray.cluster_resources()
        cpus = int(resources.get("CPU", 1))
        self.inflight = inflight or 2 * max(cpus, 1)
        self._task = ray.remote(num_cpus=1)(read_one_bounded)

    def run(
        self, tasks: Iterable[tuple[K, bytes, str]], settings: TaskSettings
    ) -> Iterator[tuple[K, Outcome]]:
        ray = self._ray
        source = iter(tasks)
        pending: dict[Any, tuple[K, str]] = {}
        shared = ray.put(settings)

        def refill() -> None:
            for key, data, name in itertools.islice(source, self.inflight - len(pending)):
                pending[self._task.remote(data, name, shared)] = (key, name)

        refill()
        while pending:
            finished, _ = ray.wait(list(pending), num_returns=1)
            for ref in finished:
                key, name = pending.pop(ref)
                yield key, self._outcome(ref, name)
            refill()

    def _outcome(self, ref: Any, name: str) -> Outcome:
        """The task's answer; a task Ray gave up on (its worker or node lost, after Ray's
        retries) fails that file alone."""
        ray = self._ray
        try:
            outcome = ray.get(ref)
        except ray.exceptions.RayError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            return Outcome(error=f"{name}: Ray 任务失败（{type(exc).__name__}: {first}）")
        assert isinstance(outcome, Outcome)
        return outcome
