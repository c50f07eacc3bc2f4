"""Pins the one JSON error body of the API for every 4xx and 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from factories import World, create_project, create_token
from jixiao.db.models import Organisation
from jixiao.domain.enums import OrgKind, ProjectStatus, Role
from jixiao.settings import Settings
from jixiao.web.api import create_api_app
from jixiao.web.deps import SessionDep

SHAPE_KEYS = {"status", "code", "message", "fields"}


def assert_error(
    response: Any,
    status: int,
    code: str,
    fields: set[str] | None = None,
    current: dict[str, Any] | None = None,
) -> None:
    """The pinned body; ``current`` (the stored state) only on conflicts that know it."""
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error.pop("current", None) == current
    assert set(error) == SHAPE_KEYS
    assert response.status_code == status
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert set(error["fields"]) == (fields or set())
    assert all(isinstance(v, str) and v for v in error["fields"].values())


@pytest.fixture
def world(session: Session) -> World:
    world = World(session)
    session.commit()
    return world


@pytest.fixture
def auth(session: Session, world: World) -> dict[str, str]:
    token = create_token(session, user=world.users[Role.ADMIN])
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_401_without_credentials(api: TestClient) -> None:
    response = api.get("/projects")
    assert_error(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_401_with_a_wrong_token(api: TestClient) -> None:
    assert_error(
        api.get("/projects", headers={"Authorization": "Bearer nope"}), 401, "not_authenticated"
    )


def test_403_forbidden(api: TestClient, session: Session, world: World) -> None:
    token = create_token(session, user=world.users[Role.VIEWER])
    session.commit()
    assert_error(api.get("/users", headers={"Authorization": f"Bearer {token}"}), 403, "forbidden")


def test_404_unknown_route_and_unknown_object(api: TestClient, auth: dict[str, str]) -> None:
    assert_error(api.get("/nowhere", headers=auth), 404, "not_found")
    assert_error(api.get("/projects/999999", headers=auth), 404, "not_found")


def test_405_method_not_allowed(api: TestClient, auth: dict[str, str]) -> None:
    assert_error(api.delete("/projects", headers=auth), 405, "method_not_allowed")


def test_409_stale_version(
    api: TestClient, session: Session, world: World, auth: dict[str, str]
) -> None:
    project = create_project(session, org=world.unit_a)
    session.commit()
    response = api.patch(f"/projects/{project.id}", json={"version": 7, "name": "x"}, headers=auth)
    assert_error(response, 409, "stale_version", {"version"}, {"version": 1})


def test_409_locked(api: TestClient, session: Session, world: World, auth: dict[str, str]) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    session.commit()
    response = api.patch(f"/projects/{project.id}", json={"version": 1, "name": "x"}, headers=auth)
    assert_error(response, 409, "locked", current={"status": "approved", "version": 1})


def test_409_invalid_transition(
    api: TestClient, session: Session, world: World, auth: dict[str, str]
) -> None:
    project = create_project(session, org=world.unit_a)
    session.commit()
    body = {"action": "publish"}
    response = api.post(f"/projects/{project.id}/transitions", json=body, headers=auth)
    assert_error(response, 409, "invalid_transition", current={"status": "draft", "version": 1})


def test_422_request_validation_is_keyed_by_field(api: TestClient, auth: dict[str, str]) -> None:
    response = api.post("/users", json={"username": "x!", "role": "nobody"}, headers=auth)
    assert_error(response, 422, "validation_error", {"username", "password", "role"})
    nested = api.patch("/projects/1", json={"version": 1, "amounts": {"total": "-1"}}, headers=auth)
    assert_error(nested, 422, "validation_error", {"amounts.total"})


def test_422_domain_validation_is_keyed_by_field(
    api: TestClient, session: Session, world: World, auth: dict[str, str]
) -> None:
    project = create_project(session, org=world.unit_a)
    session.commit()
    body = {"level1_code": "1", "level2_code": "31", "name": " ", "annual": {"kind": "deadline"}}
    response = api.post(f"/projects/{project.id}/indicators", json=body, headers=auth)
    assert_error(response, 422, "validation_error", {"name", "level2_code", "annual"})


def test_422_unreadable_upload(api: TestClient, auth: dict[str, str]) -> None:
    response = api.post("/imports", files={"file": ("x.txt", b"")}, headers=auth)
    assert_error(response, 422, "unreadable_document", {"file"})


def test_413_upload_too_large(
    settings: Settings, session_factory: sessionmaker[Session], auth: dict[str, str]
) -> None:
    small = settings.model_copy(update={"max_upload_bytes": 10})
    app = FastAPI()
    app.mount("/api/v1", create_api_app(small, session_factory))
    client = TestClient(app, base_url="http://testserver/api/v1")
    response = client.post("/imports", files={"file": ("x.txt", b"0123456789AB")}, headers=auth)
    assert_error(response, 413, "payload_too_large", {"file"})


def test_409_when_a_concurrent_write_hits_a_constraint_at_commit(
    settings: Settings, session_factory: sessionmaker[Session], world: World
) -> None:
    api_app = create_api_app(settings, session_factory)

    @api_app.post("/duplicate")
    def duplicate(session: SessionDep) -> None:
        session.add(Organisation(name="甲部门", kind=OrgKind.DEPARTMENT, parent_id=world.root.id))

    client = TestClient(api_app, raise_server_exceptions=False)
    assert_error(client.post("/duplicate"), 409, "conflict")


def test_500_has_the_same_shape(settings: Settings, session_factory: sessionmaker[Session]) -> None:
    api_app = create_api_app(settings, session_factory)

    @api_app.get("/boom")
    def boom() -> None:
        raise RuntimeError("unexpected")

    client = TestClient(api_app, raise_server_exceptions=False)
    response = client.get("/boom")
    assert_error(response, 500, "internal_error")
    assert "unexpected" not in response.text
