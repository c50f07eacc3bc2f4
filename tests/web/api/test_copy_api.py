"""Copy last year over the JSON API: 201 with the draft, 409 with a reason, 403 by role."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_project, create_token
from jixiao.domain.enums import ProjectStatus, Role


def test_copy_over_the_api(api: TestClient, session: Session) -> None:
    world = World(session)
    source = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    draft = create_project(session, org=world.unit_a)
    unit = {"Authorization": f"Bearer {create_token(session, user=world.users[Role.UNIT_EDITOR])}"}
    viewer = {"Authorization": f"Bearer {create_token(session, user=world.users[Role.VIEWER])}"}

    assert api.post(f"/projects/{source.id}/copy", headers=viewer).status_code == 403
    made = api.post(f"/projects/{source.id}/copy", headers=unit)
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["year"], body["status"], body["copied_from"]["id"]) == (2024, "draft", source.id)
    assert all(i["last_year"]["target"] for i in body["indicators"])
    again = api.post(f"/projects/{source.id}/copy", headers=unit)
    assert again.status_code == 409
    assert again.json()["error"]["current"] == {"project_id": body["id"]}
    assert "不能再复制" in again.json()["error"]["message"]
    refused = api.post(f"/projects/{draft.id}/copy", headers=unit)
    assert refused.status_code == 409
    assert "只能复制已批复的项目" in refused.json()["error"]["message"]
