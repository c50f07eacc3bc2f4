"""Benchmark the pages: server render time of the project list and detail with 10,000 projects.

Run as ``python -m bench pages`` (or through ``make bench``). A temporary SQLite database built by
the migrations is filled with 250 departments × 40 projects (10 indicators each, funding, goals
and findings), then the real pages app answers in-process requests (no network) as an admin who
sees every project. For each page the median and p95 of the server time are printed, with the
ratio to a trivial page (the login form: a template, no database) measured in the same run.
Target: list and detail under 200 ms.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench._dataset import INDICATORS, PROJECTS, rows
from jixiao.db.migrate import upgrade
from jixiao.db.models import FiscalYear
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate
from jixiao.settings import Settings
from jixiao.web.ui import create_ui_app

REQUESTS = 60
PASSWORD = "bench-password-1"
STATUSES = list(ProjectStatus)  # pid % 6 == 0 is a draft (editable)


def status_of(pid: int, rng: random.Random) -> ProjectStatus:
    return STATUSES[pid % len(STATUSES)]


def fill(session: Session, rng: random.Random) -> None:
    session.execute(insert(FiscalYear), [{"id": 1, "year": 2023}])
    for model, values in rows(rng, status_of).items():
        session.execute(insert(model), values)
    users.create_user(
        session, SYSTEM, UserCreate(username="admin", password=PASSWORD, role=Role.ADMIN)
    )


def timed(
    client: TestClient, paths: Callable[[int], str], n: int = REQUESTS, htmx: bool = False
) -> list[float]:
    """Milliseconds per request for ``n`` requests (after two warm-up requests)."""
    headers = {"HX-Request": "true"} if htmx else {}
    for i in range(2):
        client.get(paths(i), headers=headers)
    out = []
    for i in range(n):
        start = time.perf_counter()
        response = client.get(paths(i), headers=headers)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (paths(i), response.status_code)
    return out


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]


def login(client: TestClient) -> None:
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), secret_key="bench")
        upgrade(settings)
        factory = make_session_factory(make_engine(settings))
        started = time.perf_counter()
        with transaction(factory) as session:
            fill(session, rng)
        total = PROJECTS
        print(
            f"filled {total:,} projects, {total * INDICATORS:,} indicators "
            f"in {time.perf_counter() - started:.1f} s (SQLite)"
        )
        app = create_ui_app(settings, factory)
        with TestClient(app, follow_redirects=False) as client, TestClient(app) as anonymous:
            login(client)
            report(client, anonymous, rng, total)


def report(client: TestClient, anonymous: TestClient, rng: random.Random, total: int) -> None:
    ids = [rng.randint(1, total) for _ in range(REQUESTS + 2)]
    pages: dict[str, Callable[[int], str]] = {
        "dashboard (all departments)": lambda i: "/",
        "project list, page 1": lambda i: "/projects",
        "project list, page 100 by budget": lambda i: "/projects?sort=total&dir=desc&page=100",
        "project list, search + filters": lambda i: f"/projects?q=食品&year=2023&org={2 + i % 50}",
        "project detail": lambda i: f"/projects/{ids[i]}",
        "edit page (draft)": lambda i: f"/projects/{ids[i] // 6 * 6 or 6}/edit",
    }
    results = {"trivial (login form)": timed(anonymous, lambda i: "/login")}
    results.update({name: timed(client, path) for name, path in pages.items()})
    fragment = timed(client, lambda i: f"/projects?q=食品&page={1 + i % 20}", htmx=True)
    results["project list, HTMX table fragment"] = fragment
    base = statistics.median(results["trivial (login form)"])
    print(f"{'page':36} {'median ms':>10} {'p95 ms':>8} {'× trivial':>10}")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"{name:36} {median:10.1f} {p95(samples):8.1f} {median / base:10.1f}")
    print("target: list and detail pages under 200 ms on the server")


if __name__ == "__main__":
    main()
