"""Response headers, the API docs page, liveness/readiness and a database outage, on both
surfaces (API and pages)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_project, create_token, create_user
from jixiao.domain.enums import Role
from jixiao.services.users import auth
from jixiao.settings import Settings
from jixiao.web.main import create_app

SECRET = "headers-test-secret-0123456789abcdef"


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_api_answers_are_no_store_and_nosniff(
    api: TestClient, session: Session, world: World
) -> None:
    token = create_token(session, user=world.users[Role.UNIT_EDITOR])
    headers = {"Authorization": f"Bearer {token}"}
    project = create_project(session, org=world.unit_a)
    for path in (
        "/me",
        f"/projects/{project.id}",
        "/projects/999999",  # an error answer too
    ):
        response = api.get(path, headers=headers)
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-content-type-options"] == "nosniff", path
    assert "strict-transport-security" not in response.headers  # plain http


def test_https_adds_hsts_and_a_secure_api_login_cookie(
    settings: Settings, session: Session, session_factory: object
) -> None:
    create_user(session, username="alice", role=Role.VIEWER)
    app = create_app(settings)
    app.state.session_factory = session_factory  # the test transaction
    for sub in app.routes:
        inner = getattr(sub, "app", None)
        if inner is not None and hasattr(inner, "state"):
            inner.state.session_factory = session_factory
    with TestClient(app, base_url="https://testserver") as client:
        login = client.post(
            "/api/v1/auth/login", json={"username": "alice", "password": "correct-horse-9"}
        )
        assert login.status_code == 200, login.text
        cookie = login.headers["set-cookie"]
        assert cookie.startswith(f"{auth.SESSION_COOKIE}=")
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert login.headers["strict-transport-security"] == "max-age=31536000"
        page = client.get("/login")
        assert page.headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(app, base_url="http://testserver") as client:
        login = client.post(
            "/api/v1/auth/login", json={"username": "alice", "password": "correct-horse-9"}
        )
        assert "Secure" not in login.headers["set-cookie"]
        assert "strict-transport-security" not in login.headers


def test_pages_and_static_files(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key=SECRET)
    with TestClient(create_app(settings)) as client:
        page = client.get("/login")
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["x-content-type-options"] == "nosniff"
        static = client.get("/static/jixiao.css")
        assert static.status_code == 200
        assert static.headers["x-content-type-options"] == "nosniff"
        assert "no-store" not in static.headers.get("cache-control", "")


def test_api_docs_use_the_vendored_swagger_ui_under_a_csp(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key=SECRET)
    with TestClient(create_app(settings)) as client:
        docs = client.get("/api/v1/docs")
        assert docs.status_code == 200
        csp = docs.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "<script>" not in docs.text
        assert "cdn" not in docs.text.lower()
        assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
        assert len(assets) == 3
        for asset in assets:
            assert not asset.startswith(("http:", "https:", "//"))
            loaded = client.get(f"/api/v1/{asset}")
            assert loaded.status_code == 200, asset
            assert len(loaded.content) > 100
        spec = client.get("/api/v1/openapi.json")
        assert spec.status_code == 200
        assert spec.json()["info"]["title"] == "jixiao API"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_health_is_live_and_ready_checks_the_database(api: TestClient, tmp_path: Path) -> None:
    assert api.get("/health").json()["status"] == "ok"
    ready = api.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"
    url = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/none"
    down = Settings(data_dir=tmp_path, database_url=url, secret_key=SECRET)
    with TestClient(create_app(down), raise_server_exceptions=False) as client:
        assert client.get("/api/v1/health").status_code == 200
        refused = client.get("/api/v1/ready")
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "unavailable"
        client.cookies.set(auth.SESSION_COOKIE, "some-session")
        page = client.get("/projects")
        assert page.status_code == 503
        assert page.headers["content-type"].startswith("text/html")
        assert "数据库暂时不可用" in page.text
