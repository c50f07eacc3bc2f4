"""Load the JSON API on PostgreSQL with 10,000 projects: p50/p95/p99 and rps per endpoint.

Run as ``python -m bench api`` (or ``python -m bench.api``). A dedicated database
``jixiao_bench`` on the test server (``JIXIAO_TEST_PG_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) is rebuilt by the migrations and filled
with 250 departments × 40 projects × 10 indicators (100,000 indicators, 200,000 target values),
funding, goals and findings. A real uvicorn server is started on 127.0.0.1; httpx clients send a
bounded load to the project list (plain and with a text search), the project detail and the
indicator update (each update names the version it edits), next to the trivial ``/health``
endpoint of the same server in the same run: first one client at a time, then four at once.
The server's CPU time per request is printed too (robust on a busy machine).
Target: p95 under 100 ms for list and detail.
The database is dropped afterwards.
"""

from __future__ import annotations

import hashlib
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
from typing import Any

import httpx
import psycopg
from sqlalchemy import URL, insert, make_url
from sqlalchemy.orm import Session

from bench._dataset import INDICATORS, PROJECTS, SUBJECTS, rows
from jixiao.db.migrate import upgrade
from jixiao.db.models import (
    ApiToken,
    FiscalYear,
    User,
)
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import (
    ProjectStatus,
    Role,
)
from jixiao.domain.money import Money
from jixiao.settings import Settings

DATABASE = "jixiao_bench"
SEQUENTIAL, REQUESTS, THREADS = 150, 400, 4
TOKEN = "jx_bench_token_0123456789"


def _test_server_url() -> URL:
    return make_url(
        os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )


def drop_database() -> None:
    admin = _test_server_url().set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(False), autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def bench_url() -> str:
    """A fresh, empty ``jixiao_bench`` database on the test server."""
    drop_database()
    admin = _test_server_url().set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(False), autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return _test_server_url().set(database=DATABASE).render_as_string(False)


def status_of(pid: int, rng: random.Random) -> ProjectStatus:
    """Two projects in three are drafts (editable); the rest take any status."""
    return ProjectStatus.DRAFT if pid % 3 else rng.choice(list(ProjectStatus))


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


def fill(settings: Settings) -> float:
    started = time.perf_counter()
    upgrade(settings)
    engine = make_engine(settings)
    data = rows(random.Random(7), status_of)
    with transaction(make_session_factory(engine)) as session:
        session.execute(insert(FiscalYear), [{"id": 1, "year": 2023}])
        for model, values in data.items():
            copy_rows(session, model, values)
        user = User(username="bench", display_name="bench", password_hash="-", role=Role.ADMIN)
        session.add(user)
        session.flush()
        session.add(
            ApiToken(
                user_id=user.id, name="bench", token_hash=hashlib.sha256(TOKEN.encode()).hexdigest()
            )
        )
        for table in (
            "projects",
            "indicators",
            "target_values",
            "findings",
            "funding_lines",
            "goals",
        ):
            session.connection().exec_driver_sql(f"ANALYZE {table}")
    engine.dispose()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(settings: Settings) -> Iterator[tuple[str, int]]:
    """A uvicorn process serving the app on 127.0.0.1; yields its base URL and pid."""
    port = free_port()
    env = {
        **os.environ,
        "JIXIAO_DATABASE_URL": settings.resolved_database_url,
        "JIXIAO_DATA_DIR": str(settings.data_dir),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "jixiao.web.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


Request = Callable[[httpx.Client, int], httpx.Response]


def load(target: tuple[str, int], request: Request, n: int, threads: int, first: int) -> Figures:
    """``n`` requests (numbered from ``first``) from ``threads`` threads: latency percentiles
    (ms), requests per second and the server's CPU ms per request (immune to other load)."""
    base, pid = target
    clients = [
        httpx.Client(base_url=f"{base}/api/v1", headers=_auth(), timeout=30) for _ in range(threads)
    ]

    def one(i: int) -> float:
        start = time.perf_counter()
        response = request(clients[i % threads], first + i)
        elapsed = time.perf_counter() - start
        if response.status_code >= 400:
            raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
        return elapsed * 1000

    started, cpu = time.perf_counter(), cpu_seconds(pid)
    with ThreadPoolExecutor(threads) as pool:
        latencies = sorted(pool.map(one, range(n)))
    wall, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
    for client in clients:
        client.close()
    q = statistics.quantiles(latencies, n=100)
    return Figures(q[49], q[94], q[98], n / wall, cpu * 1000 / n)


@dataclass(frozen=True)
class Figures:
    p50: float
    p95: float
    p99: float
    rps: float
    cpu_ms: float

    def line(self, baseline: Figures) -> str:
        return (
            f"p50 {self.p50:6.1f}  p95 {self.p95:6.1f}  p99 {self.p99:6.1f} ms  "
            f"{self.rps:6.1f} req/s  CPU {self.cpu_ms:5.1f} ms/req  "
            f"p95 ×{self.p95 / baseline.p95:5.1f}"
        )


def draft_indicators(n: int) -> list[int]:
    """Ids of indicators of draft projects (editable), one per request."""
    drafts = [pid for pid in range(1, PROJECTS + 1) if pid % 3]
    return [pid * INDICATORS + (pid % INDICATORS) for pid in drafts[: n + 1]]


def update_request(ids: list[int]) -> Callable[[httpx.Client, int], httpx.Response]:
    def run(client: httpx.Client, i: int) -> httpx.Response:
        body = {
            "level1_code": "1",
            "level2_code": "12",
            "name": f"验收合格率{i}",
            "period": {"raw": "≥95%"},
            "annual": {"raw": "≥96%"},
            "version": 1,
        }
        return client.put(f"/indicators/{ids[i]}", json=body)

    return run


def endpoints(pids: list[int]) -> list[tuple[str, Request]]:
    updates = update_request(draft_indicators(SEQUENTIAL + REQUESTS + 2))
    return [
        ("GET /health", lambda c, i: c.get("/health")),
        ("GET /projects", lambda c, i: c.get("/projects", params={"page": i % 200 + 1})),
        (
            "GET /projects?q=…",
            lambda c, i: c.get("/projects", params={"q": SUBJECTS[i % 7], "status": "draft"}),
        ),
        ("GET /projects/{id}", lambda c, i: c.get(f"/projects/{pids[i]}")),
        ("PUT /indicators/{id}", updates),
    ]


def run_load(target: tuple[str, int], pids: list[int]) -> None:
    """Each endpoint alone (1 client), then under concurrency; ratios to /health's p95."""
    results = []
    for name, request in endpoints(pids):
        with httpx.Client(base_url=f"{target[0]}/api/v1", headers=_auth()) as client:
            request(client, 0)  # warm-up
        alone = load(target, request, SEQUENTIAL, 1, 1)
        busy = load(target, request, REQUESTS, THREADS, SEQUENTIAL + 1)
        results.append((name, alone, busy))
    base_alone, base_busy = results[0][1], results[0][2]
    print(f"   1 client, {SEQUENTIAL} requests each:")
    for name, alone, _ in results:
        print(f"     {name:<21} {alone.line(base_alone)}")
    print(f"   {THREADS} clients, {REQUESTS} requests each:")
    for name, _, busy in results:
        print(f"     {name:<21} {busy.line(base_busy)}")


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def main() -> None:
    settings = Settings(database_url=bench_url(), data_dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        seconds = fill(settings)
        print(
            f"   filled {PROJECTS:,} projects, "
            f"{PROJECTS * INDICATORS:,} indicators in {seconds:.1f} s; "
            "one uvicorn process on 127.0.0.1; latency in ms; CPU = server CPU per request"
        )
        rng = random.Random(3)
        pids = [rng.randint(1, PROJECTS) for _ in range(SEQUENTIAL + REQUESTS + 2)]
        with server(settings) as target:
            run_load(target, pids)
    finally:
        drop_database()


if __name__ == "__main__":
    main()
