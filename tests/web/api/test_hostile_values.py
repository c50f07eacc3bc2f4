"""Hostile values over the API on SQLite and PostgreSQL alike: huge numbers, NUL bytes and
long target texts are refused (404/422) or stored, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_project, create_token
from jixiao.domain.enums import Role

HUGE = "9" * 40


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def bearer(session: Session, world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, user=world.users[Role.UNIT_EDITOR])}"}


def test_a_long_target_value_is_stored_the_same_on_both_backends(
    api: TestClient, session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a)
    headers = bearer(session, world)
    raw = "≥" + "9" * 100 + "%"
    body = {"level1_code": "1", "level2_code": "11", "name": "长数字", "annual": {"raw": raw}}
    response = api.post(f"/projects/{project.id}/indicators", json=body, headers=headers)
    assert response.status_code == 201, response.text
    again = api.get(f"/indicators/{response.json()['id']}", headers=headers).json()
    assert again["annual"]["raw"] == raw
    assert again["annual"]["value"] == "9" * 100


def test_a_long_target_is_stored_the_same_on_both_backends(
    api: TestClient, session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a)
    headers = bearer(session, world)
    unit = "个" * 120
    body = {
        "level1_code": "1",
        "level2_code": "11",
        "name": "长单位",
        "annual": {"raw": f"≥95{unit}"},
        "period": {"kind": "quantitative", "op": ">=", "value": "95", "unit": "次" * 50},
    }
    response = api.post(f"/projects/{project.id}/indicators", json=body, headers=headers)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["annual"]["raw"] == f"≥95{unit}"
    again = api.get(f"/indicators/{stored['id']}", headers=headers).json()
    assert again["annual"]["unit"] == stored["annual"]["unit"]
    assert again["annual"]["raw"] == f"≥95{unit}"


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=abc%00def", "rule=MEA%00", f"year={HUGE}", f"org_id={HUGE}", f"page={HUGE}"],
)
def test_hostile_queries_are_422(
    api: TestClient, session: Session, world: World, query: str
) -> None:
    response = api.get(f"/projects?{query}", headers=bearer(session, world))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


def test_nul_bytes_in_text_are_422(api: TestClient, session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    headers = bearer(session, world)
    for body in ({"version": 1, "name": "a\x00b"}, {"version": 1, "goal": "\x00"}):
        response = api.patch(f"/projects/{project.id}", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert "空字符" in response.json()["error"]["message"]
    assert api.get(f"/projects/{project.id}", headers=headers).json()["version"] == 1


def test_huge_ids_are_404_or_422(api: TestClient, session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    headers = bearer(session, world)
    for path in (
        f"/projects/{HUGE}",
        f"/indicators/{HUGE}",
        f"/projects/{project.id}/versions/compare?a={HUGE}&b=1",
        f"/projects/{project.id}/versions/{HUGE}",
    ):
        response = api.get(path, headers=headers)
        assert response.status_code in (404, 422), (path, response.text)
