"""Load the JSON API on PostgreSQL with 10,000 projects: 1, 4 and 16 clients, one and two workers.

Run as ``python -m bench api``. A dedicated database ``jixiao_bench_api`` on the test server
(``JIXIAO_TEST_PG_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) is
rebuilt by the migrations and filled with 250 departments × 40 projects × 10 indicators
(100,000 indicators, 200,000 target values), funding, goals and findings. The real
``jixiao serve --workers N`` runs on 127.0.0.1; httpx clients (one connection each) load the
project list (plain and with a text search), the project detail and the indicator update (each
update names the version it edits), next to the trivial ``/health`` of the same server in the
same run. Failed requests are counted and printed, never fatal. p99 is printed only from
1,000 samples or more. The server's CPU time per request (all its processes) is printed too.

Targets (issue 13): with ``--workers 2`` the list's p95 at 16 clients within 3× its 1-client
p95, and its throughput at 16 clients ≥ 1.6× that of one worker. The two-core machine runs the
clients too, so the throughput ratio is bounded by what the clients leave to the server.
The database is dropped afterwards.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from bench._dataset import INDICATORS, PROJECTS, SUBJECTS
from bench._http import Figures, Request, Server, bench_settings, fill, load, serve
from jixiao.db.base import utcnow
from jixiao.db.models import ApiToken, User
from jixiao.domain.enums import ProjectStatus, Role

TOKEN = "jx_bench_token_0123456789"
ALONE, BUSY, CROWD = 300, 400, 1200  # requests at 1, 4 and 16 clients
LEVELS = ((1, ALONE), (4, BUSY), (16, CROWD))
UPDATES = ALONE + BUSY + CROWD + 8


def status_of(pid: int, rng: random.Random) -> ProjectStatus:
    """Two projects in three are drafts (editable); the rest take any status."""
    return ProjectStatus.DRAFT if pid % 3 else rng.choice(list(ProjectStatus))


def add_token(session: Session) -> None:
    user = User(username="bench", display_name="bench", password_hash="-", role=Role.ADMIN)
    session.add(user)
    session.flush()
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    expires = utcnow() + timedelta(days=1)
    session.add(ApiToken(user_id=user.id, name="bench", token_hash=digest, expires_at=expires))


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
    updates = update_request(draft_indicators(UPDATES * 2))
    return [
        ("GET /health", lambda c, i: c.get("/health")),
        ("GET /projects", lambda c, i: c.get("/projects", params={"page": i % 200 + 1})),
        (
            "GET /projects?q=…",
            lambda c, i: c.get("/projects", params={"q": SUBJECTS[i % 7], "status": "draft"}),
        ),
        ("GET /projects/{id}", lambda c, i: c.get(f"/projects/{pids[i % len(pids)]}")),
        ("PUT /indicators/{id}", updates),
    ]


def _client(server: Server) -> Callable[[], httpx.Client]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    return lambda: httpx.Client(base_url=f"{server.base}/api/v1", headers=headers, timeout=60)


def run_load(server: Server, pids: list[int], first: int) -> dict[str, dict[int, Figures]]:
    """Each endpoint at 1, 4 and 16 clients; ratios to /health's p95 at the same level."""
    results: dict[str, dict[int, Figures]] = {}
    make = _client(server)
    load(server, lambda c, i: c.get("/projects"), 64, 16, make_client=make)  # warm every worker
    for name, request in endpoints(pids):
        numbered = first
        results[name] = {}
        for clients, n in LEVELS:
            results[name][clients] = load(server, request, n, clients, numbered, make)
            numbered += n
    for clients, _ in LEVELS:
        print(f"   {server.workers} worker(s), {clients} client(s):")
        base = results["GET /health"][clients]
        for name, by_level in results.items():
            print(f"     {name:<21} {by_level[clients].line(base)}")
    return results


def verdict(one: dict[str, dict[int, Figures]], two: dict[str, dict[int, Figures]]) -> None:
    alone, crowd = two["GET /projects"][1], two["GET /projects"][16]
    single = one["GET /projects"][16]
    if alone.p95 and crowd.p95:
        growth = crowd.p95 / alone.p95
        print(
            f"   list p95, 2 workers: 16 clients {crowd.p95:.1f} ms / 1 client {alone.p95:.1f} ms"
            f" = ×{growth:.2f} (target ≤ 3)"
        )
    gain = crowd.rps / single.rps
    print(
        f"   list throughput at 16 clients: 2 workers {crowd.rps:.1f} req/s / 1 worker "
        f"{single.rps:.1f} req/s = ×{gain:.2f} (target ≥ 1.6)"
    )
    errors = sum(f.errors for r in (one, two) for by_level in r.values() for f in by_level.values())
    print(f"   failed requests in all runs: {errors}")


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_settings("postgresql", Path(tmp), "api") as settings,
    ):
        seconds = fill(settings, status_of, add_token)
        print(
            f"   filled {PROJECTS:,} projects, {PROJECTS * INDICATORS:,} indicators in "
            f"{seconds:.1f} s (PostgreSQL); latency in ms; CPU = server CPU per request"
        )
        rng = random.Random(3)
        pids = [rng.randint(1, PROJECTS) for _ in range(UPDATES)]
        by_workers = {}
        for workers, first in ((1, 0), (2, UPDATES)):
            with serve(settings, workers) as server:
                by_workers[workers] = run_load(server, pids, first)
        verdict(by_workers[1], by_workers[2])


if __name__ == "__main__":
    main()
