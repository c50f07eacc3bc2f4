"""Forwarded headers count only from ``settings.trusted_proxies``.

The client's address (login throttle, audit log) and scheme (HSTS, ``Secure`` cookies) come
from ``X-Forwarded-For`` / ``X-Forwarded-Proto`` when the connection comes from a trusted proxy;
from anyone else the headers change nothing. The in-process client connects as ``testclient``.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.db.migrate import upgrade
from jixiao.db.models import AuditEntry
from jixiao.db.session import make_engine, make_session_factory
from jixiao.settings import Settings
from jixiao.web.main import create_app

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _failed_login_address(settings: Settings) -> tuple[object, bool]:
    """The address audited for one failed login, and whether the answer carried HSTS."""
    upgrade(settings)
    with TestClient(create_app(settings)) as client:
        answer = client.post(
            "/api/v1/auth/login", json={"username": "nobody", "password": "x"}, headers=FORWARDED
        )
        assert answer.status_code == 401
    engine = make_engine(settings)
    with make_session_factory(engine)() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "user.login_failed")
            .order_by(AuditEntry.id.desc())
        ).first()
    engine.dispose()
    assert entry is not None
    assert entry.after is not None
    return entry.after["address"], "strict-transport-security" in answer.headers


def test_forwarded_headers_from_a_trusted_proxy_name_the_client(scratch_settings: Settings) -> None:
    trusted = scratch_settings.model_copy(update={"trusted_proxies": "10.0.0.1, testclient"})
    assert _failed_login_address(trusted) == ("203.0.113.7", True)


def test_forwarded_headers_from_anyone_else_are_ignored(scratch_settings: Settings) -> None:
    assert scratch_settings.trusted_proxies == ""
    assert _failed_login_address(scratch_settings) == ("testclient", False)
    other = scratch_settings.model_copy(update={"trusted_proxies": "10.0.0.0/8"})
    address, hsts = _failed_login_address(other)
    assert (address, hsts) == ("testclient", False)
