"""The login throttle lives in the database: several server workers share it, a restart keeps
it, and concurrent failures are all counted (SQLite and PostgreSQL, committed data)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import DEFAULT_PASSWORD, create_user
from jixiao.db.migrate import upgrade
from jixiao.db.models import AuditEntry, LoginThrottle
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import Role
from jixiao.services.errors import LoginFailed
from jixiao.services.users import auth
from jixiao.settings import Settings
from jixiao.web.main import create_app

WRONG = {"username": "wang", "password": "Wrong-pass-1"}
RIGHT = {"username": "wang", "password": DEFAULT_PASSWORD}


def _prepared(scratch_settings: Settings) -> Settings:
    upgrade(scratch_settings)
    engine = make_engine(scratch_settings)
    with transaction(make_session_factory(engine)) as db:
        create_user(db, username="wang", role=Role.VIEWER)
    engine.dispose()
    return scratch_settings.model_copy(update={"login_backoff_seconds": 0})


def test_two_workers_share_the_lockout_and_a_restart_keeps_it(
    scratch_settings: Settings,
) -> None:
    settings = _prepared(scratch_settings)
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        for attempt in range(settings.login_max_failures):
            worker = first if attempt % 2 else second
            assert worker.post("/api/v1/auth/login", json=WRONG).status_code == 401
        assert first.post("/api/v1/auth/login", json=RIGHT).status_code == 429
        assert second.post("/api/v1/auth/login", json=RIGHT).status_code == 429
    with TestClient(create_app(settings)) as restarted:
        refused = restarted.post("/api/v1/auth/login", json=RIGHT)
        assert refused.status_code == 429
        assert "已锁定" in refused.json()["error"]["message"]


def test_concurrent_failures_are_all_counted(scratch_settings: Settings) -> None:
    settings = _prepared(scratch_settings).model_copy(
        update={"login_max_failures": 100, "login_address_max_failures": 100}
    )
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    attempts = 8

    def fail(i: int) -> str:
        with factory() as db:
            try:
                auth.login(db, "wang", "Wrong-pass-1", settings, f"203.0.113.{i % 2}")
            except LoginFailed as exc:
                db.commit()  # what the request's unit of work does for keeps_writes
                return exc.code
            return "logged in"

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        outcomes = list(pool.map(fail, range(attempts)))
    assert outcomes == ["not_authenticated"] * attempts
    with factory() as db:
        counted = db.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == "wang"))
        addresses = db.scalars(
            select(LoginThrottle.failures).where(LoginThrottle.kind == "address")
        ).all()
        audited = db.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "user.login_failed")
        ).all()
    engine.dispose()
    assert counted == attempts
    assert sorted(addresses) == [attempts // 2, attempts // 2]
    assert len(audited) == attempts
