"""Browser sessions on the API: login sets an HttpOnly cookie; writes need the CSRF header."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jixiao.domain.enums import Role
from jixiao.services.principal import SYSTEM
from jixiao.services.users.auth import SESSION_COOKIE
from jixiao.services.users.schemas import UserCreate
from jixiao.services.users.service import create_user
from jixiao.settings import Settings


def test_cookie_session_login_csrf_and_logout(
    api: TestClient, session: Session, settings: Settings
) -> None:
    data = UserCreate(username="zhao", password="Secret-pass-1", role=Role.VIEWER)
    create_user(session, SYSTEM, data, settings)
    session.commit()
    wrong = api.post("/auth/login", json={"username": "zhao", "password": "nope"})
    assert wrong.status_code == 401
    login = api.post("/auth/login", json={"username": "zhao", "password": "Secret-pass-1"})
    assert login.status_code == 200
    cookie = login.headers["set-cookie"]
    assert SESSION_COOKIE in cookie
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    csrf = login.json()["csrf_token"]
    assert api.get("/me").json()["username"] == "zhao"

    no_header = api.post("/me/tokens", json={"name": "脚本"})
    assert no_header.status_code == 403
    assert "CSRF" in no_header.json()["error"]["message"]
    created = api.post("/me/tokens", json={"name": "脚本"}, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201
    token = created.json()["token"]

    assert api.post("/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    api.cookies.clear()
    assert api.get("/me").status_code == 401
    assert api.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
