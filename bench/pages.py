"""The pages over HTTP on SQLite and PostgreSQL (10,000 projects) and the dashboard's throughput.

Run as ``python -m bench pages``. For each backend a database built by the migrations is filled
with 250 departments × 40 projects (10 indicators each, funding, goals and findings); the real
``jixiao serve --workers 2`` answers an admin who sees every project. Each page is asked 100
times by one client (median, p95 and the ratio to a trivial page of the same server: the login
form, a template without the database); then 16 clients load the dashboard — the page alone, and
a whole view (the page and its charts' JSON) — for requests per second. Failed requests are
counted, never fatal.
Targets: list and detail pages under 200 ms; dashboard ≥ 100 req/s with two workers (issue 13).
"""

from __future__ import annotations

import random
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from bench._dataset import INDICATORS, PROJECTS
from bench._http import Figures, Server, bench_settings, fill, load, serve
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate
from jixiao.settings import Settings

SEQUENTIAL, CROWD, CLIENTS, WORKERS = 100, 800, 16, 2
PASSWORD = "bench-password-1"
STATUSES = list(ProjectStatus)  # pid % 6 == 0 is a draft (editable)


def status_of(pid: int, rng: random.Random) -> ProjectStatus:
    return STATUSES[pid % len(STATUSES)]


def add_admin(settings: Settings) -> Callable[[Session], None]:
    def add(session: Session) -> None:
        user = UserCreate(username="admin", password=PASSWORD, role=Role.ADMIN)
        users.create_user(session, SYSTEM, user, settings)

    return add


def login(server: Server) -> httpx.Cookies:
    with httpx.Client(base_url=server.base) as client:
        form = client.get("/login")
        found = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert found, "no CSRF token on the login form"
        data = {"username": "admin", "password": PASSWORD, "csrf_token": found.group(1)}
        answer = client.post("/login", data=data)
        assert answer.status_code == 303, answer.text
        return client.cookies


def pages(ids: list[int]) -> dict[str, Callable[[int], str]]:
    return {
        "dashboard (all departments)": lambda i: "/",
        "dashboard charts (JSON)": lambda i: "/dashboard/charts",
        "project list, page 1": lambda i: "/projects",
        "project list, page 100 by budget": lambda i: "/projects?sort=total&dir=desc&page=100",
        "project list, search + filters": lambda i: f"/projects?q=食品&year=2023&org={2 + i % 50}",
        "project detail": lambda i: f"/projects/{ids[i % len(ids)]}",
        "edit page (draft)": lambda i: f"/projects/{ids[i % len(ids)] // 6 * 6 or 6}/edit",
    }


def report(server: Server, cookies: httpx.Cookies, ids: list[int]) -> None:
    def make() -> httpx.Client:
        return httpx.Client(base_url=server.base, cookies=cookies, timeout=60)

    def get(path: Callable[[int], str]) -> Callable[[httpx.Client, int], httpx.Response]:
        return lambda client, i: client.get(path(i))

    load(server, get(lambda i: "/"), 32, CLIENTS, make_client=make)  # warm every worker
    trivial = load(server, get(lambda i: "/login"), SEQUENTIAL, 1)
    results = {
        name: load(server, get(path), SEQUENTIAL, 1, make_client=make)
        for name, path in pages(ids).items()
    }
    base = trivial.p50
    print(f"     {'one client':36} {'median ms':>10} {'p95 ms':>8} {'× trivial':>10}")
    for name, figures in {"trivial (login form)": trivial, **results}.items():
        p95 = f"{figures.p95:8.1f}" if figures.p95 is not None else "       —"
        errors = f"  ERRORS {figures.errors}" if figures.errors else ""
        print(f"     {name:36} {figures.p50:10.1f} {p95} {figures.p50 / base:10.1f}{errors}")
    page = load(server, get(lambda i: "/"), CROWD, CLIENTS, make_client=make)
    view = load(server, _view, CROWD, CLIENTS, make_client=make)
    print(f"     {CLIENTS} clients, dashboard page:        {page.line()}")
    print(f"     {CLIENTS} clients, page + charts JSON:    {view.line()}")
    _verdict(page, view)


def _view(client: httpx.Client, i: int) -> httpx.Response:
    """A whole dashboard view: the page, then its charts' data (the second answer counts)."""
    page = client.get("/")
    return page if page.status_code >= 400 else client.get("/dashboard/charts")


def _verdict(page: Figures, view: Figures) -> None:
    print(
        f"     dashboard: {page.rps:.0f} pages/s, {view.rps:.0f} whole views/s "
        f"with {WORKERS} workers (target ≥ 100 req/s)"
    )


def main() -> None:
    rng = random.Random(7)
    ids = [rng.randint(1, PROJECTS) for _ in range(SEQUENTIAL)]
    for backend in ("sqlite", "postgresql"):
        with (
            tempfile.TemporaryDirectory() as tmp,
            bench_settings(backend, Path(tmp), "pages") as settings,
        ):
            seconds = fill(settings, status_of, add_admin(settings))
            print(
                f"   {backend}: filled {PROJECTS:,} projects, {PROJECTS * INDICATORS:,} indicators"
                f" in {seconds:.1f} s; jixiao serve --workers {WORKERS}"
            )
            with serve(settings, WORKERS) as server:
                report(server, login(server), ids)
    print("   target: list and detail pages under 200 ms on the server")


if __name__ == "__main__":
    main()
