"""Concurrent saves and transitions against a running server: exactly one writer wins.

The real app runs under uvicorn on a free 127.0.0.1 port (in a thread) on a database of each
backend built by the migrations. Each race starts eight HTTP clients at once (a barrier releases
them once their connections are open and signed in); every request names the same version or
the same starting status, so exactly one may succeed and the others must get 409 with the
current state.
Only the winner leaves an audit entry and a transition.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from conftest import drop_pg_database, pg_database_url, worker_name
from factories import World, create_project, create_token, create_user, workbook_bytes
from jixiao.db.migrate import upgrade
from jixiao.db.models import (
    AuditEntry,
    Indicator,
    LibraryEntry,
    Project,
    ProjectCopy,
    Transition,
)
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.library.book import apply_book, preview_book
from jixiao.services.principal import SYSTEM
from jixiao.settings import Settings
from jixiao.web.main import create_app

WRITERS = 8
Call = Callable[[httpx.Client], httpx.Response]


@dataclass
class Live:
    url: str
    factory: sessionmaker[Session]
    world: World
    tokens: dict[str, str]

    def project(self, status: ProjectStatus = ProjectStatus.DRAFT) -> int:
        with transaction(self.factory) as s:
            return create_project(s, org=self.world.unit_a, status=status).id

    def audit_count(self, action: str, object_id: int) -> int:
        with self.factory() as s:
            query = select(func.count(AuditEntry.id)).where(
                AuditEntry.action == action, AuditEntry.object_id == object_id
            )
            return s.scalar(query) or 0

    def transitions(self, project_id: int) -> list[tuple[str, ProjectStatus, ProjectStatus]]:
        with self.factory() as s:
            rows = s.scalars(
                select(Transition)
                .where(Transition.project_id == project_id)
                .order_by(Transition.id)
            )
            return [(t.action, t.from_status, t.to_status) for t in rows]

    def order(self, project_id: int) -> list[int]:
        """The project's indicator ids in their stored order (``position``)."""
        with self.factory() as s:
            query = (
                select(Indicator.id)
                .where(Indicator.project_id == project_id)
                .order_by(Indicator.position)
            )
            return list(s.scalars(query))

    def stored(self, project_id: int) -> tuple[ProjectStatus, int]:
        with self.factory() as s:
            row = s.get_one(Project, project_id)
            return row.status, row.version

    def race(self, calls: list[tuple[str, Call]]) -> list[httpx.Response]:
        """Run every call at once, each from its own client signed in as the named account."""
        barrier = threading.Barrier(len(calls))

        def run(who: str, call: Call) -> httpx.Response:
            headers = {"Authorization": f"Bearer {self.tokens[who]}"}
            with httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=60) as c:
                # open the connection and sign in (a token's first use is a write of its own)
                assert c.get("/projects", params={"size": 1}).status_code == 200
                barrier.wait()
                return call(c)

        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(lambda wc: run(*wc), calls))

    def get(self, who: str, path: str) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        response = httpx.get(f"{self.url}/api/v1{path}", headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(factory: sessionmaker[Session]) -> tuple[World, dict[str, str]]:
    with transaction(factory) as s:
        world = World(s)
        second = create_user(s, username="dept2", role=Role.DEPT_REVIEWER, org=world.dept_a)
        users = {
            "unit": world.users[Role.UNIT_EDITOR],
            "dept": world.users[Role.DEPT_REVIEWER],
            "dept2": second,
            "finance": world.users[Role.FINANCE_REVIEWER],
        }
        tokens = {name: create_token(s, user=user) for name, user in users.items()}
    return world, tokens


@pytest.fixture(scope="module")
def live(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    database = f"jixiao_test_{worker_name()}_live"
    url = None if backend == "sqlite" else pg_database_url(database)
    settings = Settings(
        data_dir=tmp_path_factory.mktemp(f"live-{backend}"),
        database_url=url,
        secret_key="concurrency-tests",
    )
    upgrade(settings)
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    world, tokens = _seed(factory)
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        assert time.monotonic() < deadline, "the server did not start in time"
        time.sleep(0.05)
    yield Live(f"http://127.0.0.1:{port}", factory, world, tokens)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()
    if url is not None:
        drop_pg_database(database)


def assert_one_winner(responses: list[httpx.Response], ok: int) -> httpx.Response:
    """Exactly one ``ok``; every other answer is 409 and names the current state."""
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {ok: 1, 409: WRITERS - 1}, [(r.status_code, r.text) for r in responses]
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.json()["error"]["current"], loser.text
    return next(r for r in responses if r.status_code == ok)


def test_concurrent_project_patches_with_one_version(live: Live) -> None:
    pid = live.project()
    calls: list[tuple[str, Call]] = [
        ("unit", lambda c, i=i: c.patch(f"/projects/{pid}", json={"version": 1, "code": f"C{i}"}))
        for i in range(WRITERS)
    ]
    winner = assert_one_winner(live.race(calls), 200)
    assert winner.json()["version"] == 2
    assert live.stored(pid) == (ProjectStatus.DRAFT, 2)
    assert live.get("unit", f"/projects/{pid}")["code"] == winner.json()["code"]
    assert live.audit_count("project.update", pid) == 1


def test_concurrent_submits_store_one_transition(live: Live) -> None:
    pid = live.project()
    calls: list[tuple[str, Call]] = [
        ("unit", lambda c: c.post(f"/projects/{pid}/transitions", json={"action": "submit"}))
    ] * WRITERS
    responses = live.race(calls)
    assert_one_winner(responses, 201)
    assert live.transitions(pid) == [("submit", ProjectStatus.DRAFT, ProjectStatus.SUBMITTED)]
    assert live.stored(pid) == (ProjectStatus.SUBMITTED, 2)
    assert live.audit_count("workflow.submit", pid) == 1
    current = next(r for r in responses if r.status_code == 409).json()["error"]["current"]
    assert current["status"] == "submitted"


@pytest.mark.parametrize("trial", range(3))
def test_approve_racing_return_has_one_winner(live: Live, trial: int) -> None:
    pid = live.project(ProjectStatus.SUBMITTED)

    def step(action: str, comment: str | None) -> Call:
        body = {"action": action, "comment": comment}
        return lambda c: c.post(f"/projects/{pid}/transitions", json=body)

    approve, back = step("dept_approve", None), step("dept_return", "请补充指标")
    calls = [("dept" if i % 2 else "dept2", approve if i % 2 else back) for i in range(WRITERS)]
    winner = assert_one_winner(live.race(calls), 201).json()
    (moved,) = live.transitions(pid)
    assert moved == (winner["action"], ProjectStatus.SUBMITTED, ProjectStatus(winner["to_status"]))
    assert live.stored(pid) == (ProjectStatus(winner["to_status"]), 2)
    audited = live.audit_count("workflow.dept_approve", pid) + live.audit_count(
        "workflow.dept_return", pid
    )
    assert audited == 1


def test_concurrent_indicator_saves_with_one_version(live: Live) -> None:
    pid = live.project()
    indicator = live.get("unit", f"/projects/{pid}")["indicators"][0]
    body = {
        "level1_code": indicator["level1_code"],
        "level2_code": indicator["level2_code"],
        "period": {"raw": "365天"},
        "annual": {"raw": "365天"},
        "version": indicator["version"],
    }
    calls: list[tuple[str, Call]] = [
        (
            "unit",
            lambda c, i=i: c.put(
                f"/indicators/{indicator['id']}", json={**body, "name": f"服务天数{i}"}
            ),
        )
        for i in range(WRITERS)
    ]
    winner = assert_one_winner(live.race(calls), 200).json()
    assert winner["version"] == indicator["version"] + 1
    stored = live.get("unit", f"/indicators/{indicator['id']}")
    assert (stored["name"], stored["version"]) == (winner["name"], winner["version"])
    assert live.audit_count("indicator.update", indicator["id"]) == 1


def test_concurrent_reorders_from_one_order(live: Live) -> None:
    pid = live.project()
    ids = live.order(pid)
    calls: list[tuple[str, Call]] = [
        (
            "unit",
            lambda c: c.put(
                f"/projects/{pid}/indicators/order", json={"ids": ids[::-1], "expected": ids}
            ),
        )
    ] * WRITERS
    assert_one_winner(live.race(calls), 200)
    assert live.order(pid) == ids[::-1]
    assert live.audit_count("indicator.reorder", pid) == 1


def _round_body(live: Live, pid: int, executed: str) -> dict[str, Any]:
    entry = live.get("unit", f"/projects/{pid}/monitoring-template/2023/7")["entry"]
    entry["funds"][0]["executed"] = executed
    for indicator in entry["indicators"]:
        indicator["actual"] = "100"
    return {"entry": entry}


@pytest.mark.parametrize("first", [True, False], ids=["first-save", "resave"])
def test_concurrent_monitoring_saves(live: Live, first: bool) -> None:
    pid = live.project(ProjectStatus.APPROVED)
    url = f"/projects/{pid}/monitoring/2023/7"
    version = None
    if not first:
        headers = {"Authorization": f"Bearer {live.tokens['unit']}"}
        saved = httpx.put(
            f"{live.url}/api/v1{url}", json=_round_body(live, pid, "10"), headers=headers
        )
        assert saved.status_code == 200, saved.text
        version = saved.json()["version"]
    bodies = [{**_round_body(live, pid, str(20 + i)), "version": version} for i in range(WRITERS)]
    calls: list[tuple[str, Call]] = [("unit", lambda c, b=b: c.put(url, json=b)) for b in bodies]
    winner = assert_one_winner(live.race(calls), 200).json()
    stored = live.get("unit", url)
    assert stored["version"] == winner["version"] == (1 if first else version + 1)
    assert stored["entry"] == winner["entry"]
    assert live.audit_count("monitoring.save", stored["id"]) == (1 if first else 2)


@pytest.mark.parametrize("first", [True, False], ids=["first-save", "resave"])
def test_concurrent_self_evaluation_saves(live: Live, first: bool) -> None:
    pid = live.project(ProjectStatus.APPROVED)
    url = f"/projects/{pid}/self-evaluations/2023"
    template = live.get("unit", f"/projects/{pid}/self-evaluation-template/2023")["entry"]

    def body(executed: str, version: int | None) -> dict[str, Any]:
        entry = {**template, "funds": [{**template["funds"][0], "executed": executed}]}
        entry["indicators"] = [{**i, "actual": "100"} for i in template["indicators"]]
        return {"entry": entry, "version": version}

    version = None
    if not first:
        headers = {"Authorization": f"Bearer {live.tokens['unit']}"}
        saved = httpx.put(f"{live.url}/api/v1{url}", json=body("10", None), headers=headers)
        assert saved.status_code == 200, saved.text
        version = saved.json()["version"]
    calls: list[tuple[str, Call]] = [
        ("unit", lambda c, i=i: c.put(url, json=body(str(20 + i), version))) for i in range(WRITERS)
    ]
    winner = assert_one_winner(live.race(calls), 200).json()
    stored = live.get("unit", url)
    assert stored["version"] == winner["version"] == (1 if first else version + 1)
    assert stored["entry"] == winner["entry"]
    assert live.audit_count("selfeval.save", stored["id"]) == (1 if first else 2)


def test_concurrent_copies_make_one_draft(live: Live) -> None:
    pid = live.project(ProjectStatus.APPROVED)
    calls: list[tuple[str, Call]] = [("unit", lambda c: c.post(f"/projects/{pid}/copy"))] * WRITERS
    winner = assert_one_winner(live.race(calls), 201).json()
    assert winner["copied_from"]["id"] == pid
    with live.factory() as s:
        copies = s.scalars(select(ProjectCopy.project_id).where(ProjectCopy.source_id == pid)).all()
    assert copies == [winner["id"]]
    assert live.audit_count("project.copy", winner["id"]) == 1


def test_concurrent_library_imports_of_one_preview(live: Live) -> None:
    first = workbook_bytes([["二级指标", "三级指标", "参考值"], ["质量指标", "竞争归档率", "≥90%"]])
    with transaction(live.factory) as s:
        apply_book(s, SYSTEM, first, "1.xlsx", preview_book(s, SYSTEM, first, "1.xlsx").token)
    rows = [
        ["二级指标", "三级指标", "参考值"],
        ["质量指标", "竞争归档率", "≥95%"],
        ["数量指标", "竞争新增指标", "≥10个"],
    ]
    data = workbook_bytes(rows)
    preview = live.race(
        [("finance", lambda c: c.post("/library/import/preview", files={"file": ("2.xlsx", data)}))]
    )
    token = preview[0].json()["token"]
    calls: list[tuple[str, Call]] = [
        (
            "finance",
            lambda c: c.post(
                "/library/import", files={"file": ("2.xlsx", data)}, data={"token": token}
            ),
        )
    ] * WRITERS
    responses = live.race(calls)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: WRITERS - 1}, [(r.status_code, r.text) for r in responses]
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.json() == {"created": 1, "updated": 1, "unchanged": 0}
    with live.factory() as s:
        entries = s.scalars(
            select(LibraryEntry).where(LibraryEntry.name_key.in_(["竞争归档", "竞争新增指标"]))
        ).all()
        assert sorted((e.name, e.reference_value, e.version) for e in entries) == [
            ("竞争归档率", "≥95%", 2),
            ("竞争新增指标", "≥10个", 1),
        ]
        audit = select(func.count(AuditEntry.id)).where(
            AuditEntry.action.in_(["library.curate", "library.create"]),
            AuditEntry.object_id.in_([e.id for e in entries]),
        )
        assert s.scalar(audit) == 3  # the first import's creation, then one update and one creation
