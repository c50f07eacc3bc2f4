"""Helpers of the HTTP benchmarks: a database of the 10,000-project dataset on either backend,
the real ``jixiao serve --workers N`` on a free port, and a load runner that counts errors.

Latency percentiles are computed only from enough samples to mean something: p95 from at least
100, p99 from at least 1,000 (printed as ``—`` otherwise). The server's CPU time per request is
summed over all its processes (supervisor and workers), from ``/proc``.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import URL, insert, make_url
from sqlalchemy.orm import Session

from bench._dataset import StatusOf, rows
from jixiao.db.migrate import upgrade
from jixiao.db.models import FiscalYear
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.money import Money
from jixiao.settings import Settings

P95_SAMPLES, P99_SAMPLES = 100, 1000
SECRET = "bench-secret-key-0123456789abcdefghij"
ANALYZED = ("projects", "indicators", "target_values", "findings", "funding_lines", "goals")


def _test_server_url() -> URL:
    return make_url(
        os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )


def _admin_connect() -> psycopg.Connection[Any]:
    admin = _test_server_url().set(drivername="postgresql", database="postgres")
    return psycopg.connect(admin.render_as_string(False), autocommit=True, connect_timeout=3)


def _drop_pg_database(database: str) -> None:
    with _admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def bench_settings(backend: str, tmp: Path, name: str) -> Iterator[Settings]:
    """Settings of an empty database: ``jixiao_bench_<name>`` on the test server (one per
    benchmark, so that two benchmarks never drop each other's), or SQLite in ``tmp``."""
    if backend == "sqlite":
        yield Settings(data_dir=tmp, secret_key=SECRET)
        return
    database = f"jixiao_bench_{name}"
    _drop_pg_database(database)
    with _admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    url = _test_server_url().set(database=database).render_as_string(False)
    try:
        yield Settings(data_dir=tmp, database_url=url, secret_key=SECRET)
    finally:
        _drop_pg_database(database)


def _plain(value: Any) -> Any:
    """A value as PostgreSQL COPY takes it (enums by value, money in 分, JSON as text)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    return value


def copy_rows(session: Session, model: type, values: list[dict[str, Any]]) -> None:
    """Bulk-load rows with COPY (the schema itself came from the migrations)."""
    columns = sorted({key for row in values for key in row})
    table = model.__table__.name  # type: ignore[attr-defined]
    driver = session.connection().connection.driver_connection
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in values:
            copy.write_row([_plain(row.get(c)) for c in columns])
    if "id" in columns:
        session.connection().exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def fill(settings: Settings, status_of: StatusOf, extra: Callable[[Session], None]) -> float:
    """Migrate, load the 10,000-project dataset (COPY on PostgreSQL, executemany on SQLite),
    run ``extra`` in the same transaction; the seconds it took."""
    started = time.perf_counter()
    upgrade(settings)
    engine = make_engine(settings)
    data = rows(random.Random(7), status_of)
    postgres = not settings.is_sqlite
    with transaction(make_session_factory(engine)) as session:
        session.execute(insert(FiscalYear), [{"id": 1, "year": 2023}])
        for model, values in data.items():
            if postgres:
                copy_rows(session, model, values)
            else:
                session.execute(insert(model), values)
        extra(session)
        if postgres:
            for table in ANALYZED:
                session.connection().exec_driver_sql(f"ANALYZE {table}")
    engine.dispose()
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree(pid: int) -> list[int]:
    try:
        children = [
            int(c)
            for t in Path(f"/proc/{pid}/task").iterdir()
            for c in (t / "children").read_text().split()
        ]
    except OSError:
        return []
    return [pid] + [p for c in children for p in _tree(c)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its descendants (Linux /proc)."""
    total = 0
    for each in _tree(pid):
        try:
            stat = Path(f"/proc/{each}/stat").read_text(encoding="ascii")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    base: str
    pid: int
    workers: int


@contextmanager
def serve(settings: Settings, workers: int) -> Iterator[Server]:
    """``jixiao serve --workers N`` on 127.0.0.1; returns once every worker answers."""
    port = _free_port()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(settings.data_dir), "JIXIAO_SECRET_KEY": SECRET}
    if settings.database_url:
        env["JIXIAO_DATABASE_URL"] = settings.database_url
    command = [sys.executable, "-m", "jixiao", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, workers)
        yield Server(base, process.pid, workers)
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            ready = httpx.get(f"{base}/api/v1/ready", timeout=2).status_code == 200
            # one process serves alone; several are children of a supervisor, next to
            # multiprocessing's resource tracker (the first requests of the run warm them all)
            if ready and len(_tree(process.pid)) >= (1 if workers == 1 else workers + 2):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start")


Request = Callable[[httpx.Client, int], httpx.Response]


@dataclass(frozen=True)
class Figures:
    """Latency percentiles (ms; None when too few samples), requests per second, server CPU
    ms per request, and how many requests failed (status ≥ 400 or no answer)."""

    samples: int
    p50: float
    p95: float | None
    p99: float | None
    rps: float
    cpu_ms: float
    errors: int

    def line(self, baseline: Figures | None = None) -> str:
        def ms(value: float | None) -> str:
            return f"{value:7.1f}" if value is not None else "      —"

        ratio = ""
        if baseline is not None and baseline.p95 and self.p95:
            ratio = f"  p95 ×{self.p95 / baseline.p95:5.1f}"
        failed = f"  ERRORS {self.errors}" if self.errors else ""
        return (
            f"n {self.samples:5}  p50 {ms(self.p50)}  p95 {ms(self.p95)}  p99 {ms(self.p99)} ms  "
            f"{self.rps:6.1f} req/s  CPU {self.cpu_ms:5.1f} ms/req{ratio}{failed}"
        )


def load(
    server: Server,
    request: Request,
    n: int,
    clients: int,
    first: int = 0,
    make_client: Callable[[], httpx.Client] | None = None,
) -> Figures:
    """``n`` requests (numbered from ``first``) from ``clients`` threads, each with its own
    connection. A failed request is counted, never fatal."""
    make = make_client or (lambda: httpx.Client(base_url=server.base, timeout=60))
    pool = [make() for _ in range(clients)]

    def one(i: int) -> float | None:
        """Milliseconds of one request; None when it failed."""
        start = time.perf_counter()
        try:
            response = request(pool[i % clients], first + i)
        except httpx.HTTPError:
            return None
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed if response.status_code < 400 else None

    started, cpu = time.perf_counter(), cpu_seconds(server.pid)
    with ThreadPoolExecutor(clients) as executor:
        answers = list(executor.map(one, range(n)))
    wall, cpu = time.perf_counter() - started, cpu_seconds(server.pid) - cpu
    latencies = sorted(x for x in answers if x is not None)
    errors = n - len(latencies)
    for client in pool:
        client.close()
    return Figures(
        samples=len(latencies),
        p50=statistics.median(latencies) if latencies else float("nan"),
        p95=_percentile(latencies, 95, P95_SAMPLES),
        p99=_percentile(latencies, 99, P99_SAMPLES),
        rps=len(latencies) / wall,
        cpu_ms=cpu * 1000 / n,
        errors=errors,
    )


def _percentile(sorted_ms: list[float], q: int, needed: int) -> float | None:
    if len(sorted_ms) < needed:
        return None
    return statistics.quantiles(sorted_ms, n=100)[q - 1]
