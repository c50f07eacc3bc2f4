"""Parse an untrusted file in a child process with its own time and memory limits.

A server must not parse uploads on its request workers: a crafted file that slipped past the
readers' bounds could hold a worker's CPU or exhaust the server's memory for everyone. Here each
parse runs in a fresh process forked from a clean fork server (``multiprocessing`` forkserver,
with the ingest package and every reader module preloaded), under ``RLIMIT_AS`` (memory) and
``RLIMIT_CPU``, at a lower scheduling priority, and is killed when its wall-clock time is up. At
most ``workers`` parses run at once; a request waits for a slot up to twice the time limit (the
parses ahead of it end by then unless many more are queued), else it is told to try again.

The answer is the parsed ``Document``, the self-evaluations of a self-evaluation file (as
``SelfEvaluationFile``) or one ``UnreadableDocument`` line; a child that dies
(allocation failure aborts a native reader) is reported as over the memory limit.
``call_isolated`` runs any module-level function the same way (batch reading runs its per-file
task through it, many at once); ``preload`` names modules the fork server imports up front.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from jixiao.domain.document import Document
from jixiao.errors import JixiaoError, UnreadableDocument
from jixiao.ingest.readers import reader_modules
from jixiao.ingest.result import SelfEvaluationFile


class ParseBusy(JixiaoError):
    """Every parsing slot stayed taken for the whole time limit."""


@dataclass(frozen=True)
class Isolation:
    seconds: float = 30.0
    memory_bytes: int = 1024 * 1024 * 1024
    workers: int = 2
    nice: int = 10  # a server parses below its request workers; a batch at full priority


_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}
_context: Any = None
_preload = ["jixiao.ingest", *reader_modules()]  # the registry loads a reader when it is chosen


def preload(modules: Sequence[str]) -> None:
    """Have the fork server import ``modules`` too. Once the server runs this changes nothing:
    the children then import them themselves, which is slower but the same."""
    with _lock:
        _preload.extend(m for m in modules if m not in _preload)


def _get_context() -> Any:
    """The forkserver context, its server preloading the readers (started on first use)."""
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(_preload))
            _context = context
        return _context


def _slot(workers: int) -> threading.BoundedSemaphore:
    with _lock:
        return _slots.setdefault(workers, threading.BoundedSemaphore(workers))


def read_isolated(
    data: bytes,
    filename: str,
    isolation: Isolation,
    corrections: Mapping[str, str] | None = None,
) -> Document:
    """The Document in ``data`` (with a person's ``corrections`` of cells by ref), parsed in
    a bounded child process."""
    wanted = dict(corrections or {})
    document = run_isolated(_read, (data, filename, wanted), filename, isolation)
    assert isinstance(document, Document)
    return document


def run_isolated(
    fn: Callable[..., Any], args: tuple[Any, ...], filename: str, isolation: Isolation
) -> Any:
    """``call_isolated`` in one of the ``workers`` parsing slots (ParseBusy when none frees
    up within twice the time limit): what a server does with an uploaded file."""
    slot = _slot(isolation.workers)
    if not slot.acquire(timeout=2 * isolation.seconds):
        raise ParseBusy("服务器正忙于解析其他文件，请稍后再试 (parser busy)")
    try:
        return call_isolated(fn, args, filename, isolation)
    finally:
        slot.release()


def _read(data: bytes, filename: str, corrections: dict[str, str]) -> Document:
    from jixiao.ingest import read_bytes

    return read_bytes(data, filename, corrections)


def call_isolated(
    fn: Callable[..., Any], args: tuple[Any, ...], filename: str, isolation: Isolation
) -> Any:
    """``fn(*args)`` in a bounded child process; ``fn`` must be a module-level function and
    its answer picklable. A ``JixiaoError`` it raises, a timeout, running out of memory or a
    crash come back as ``UnreadableDocument`` naming ``filename``."""
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child,
        args=(sender, fn, args, filename, isolation),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        message = receiver.recv() if receiver.poll(isolation.seconds) else ("timeout", "")
    except EOFError:
        message = ("died", "")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    return _answer(message, filename, isolation)


def _answer(message: tuple[str, Any], filename: str, isolation: Isolation) -> Any:
    status, value = message
    if status == "ok":
        return value
    if status == "evaluations":
        text, evaluations = value
        raise SelfEvaluationFile(text, evaluations)
    if status == "refused":
        raise UnreadableDocument(value)
    if status == "timeout":
        raise UnreadableDocument(
            f"{filename}: 读取超时（超过 {isolation.seconds:g} 秒），文件未导入 (reading timed out)"
        )
    if status in ("died", "memory"):
        mb = isolation.memory_bytes // (1024 * 1024)
        raise UnreadableDocument(
            f"{filename}: 读取所需内存超过上限（{mb} MB），文件未导入 (memory limit exceeded)"
        )
    raise UnreadableDocument(f"{filename}: 解析时发生内部错误（{value}），文件未导入")


def _child(
    sender: Connection,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    filename: str,
    isolation: Isolation,
) -> None:
    """In the child: bound memory and CPU, call ``fn``, send one answer."""
    memory = isolation.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = math.ceil(isolation.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if isolation.nice:
        os.nice(isolation.nice)
    try:
        answer: tuple[str, Any] = ("ok", fn(*args))
    except SelfEvaluationFile as exc:
        answer = ("evaluations", (str(exc), exc.evaluations))
    except JixiaoError as exc:
        answer = ("refused", str(exc).splitlines()[0] if str(exc) else filename)
    except MemoryError:
        answer = ("memory", "")
    except Exception as exc:  # a reader bug: one line for the user, the type for the log
        answer = ("bug", f"{type(exc).__name__}: {exc}"[:300])
    try:
        sender.send(answer)
    except MemoryError:
        sender.send(("memory", ""))
    finally:
        sender.close()
