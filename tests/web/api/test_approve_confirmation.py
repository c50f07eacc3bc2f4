"""Approving over open findings needs the reviewer's 我已查看 in the API as on the page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_project, create_token
from jixiao.db.models import FindingRow, Project
from jixiao.domain.enums import ProjectStatus, Role, Severity

STEPS = [
    ("dept_approve", ProjectStatus.SUBMITTED, Role.DEPT_REVIEWER, ProjectStatus.DEPT_APPROVED),
    ("finance_approve", ProjectStatus.DEPT_APPROVED, Role.FINANCE_REVIEWER, ProjectStatus.APPROVED),
]


def _with_finding(session: Session, world: World, status: ProjectStatus, waived: bool) -> Project:
    project = create_project(session, org=world.unit_a, status=status, name="待审项目")
    finding = FindingRow(
        project_id=project.id, rule="JX003", severity=Severity.WARNING, message="缺少满意度指标"
    )
    finding.waived = waived
    session.add(finding)
    session.flush()
    return project


@pytest.mark.parametrize(("action", "source", "role", "target"), STEPS)
def test_approve_over_open_findings_needs_the_confirmation(
    api: TestClient,
    session: Session,
    action: str,
    source: ProjectStatus,
    role: Role,
    target: ProjectStatus,
) -> None:
    world = World(session)
    project = _with_finding(session, world, source, waived=False)
    headers = {"Authorization": f"Bearer {create_token(session, user=world.users[role])}"}
    session.commit()
    url = f"/projects/{project.id}/transitions"
    body = {"action": action, "version": project.version}
    refused = api.post(url, json=body, headers=headers)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert "我已查看" in error["message"]
    assert error["fields"] == {"findings_seen": "请确认"}
    session.refresh(project)
    assert project.status is source
    done = api.post(url, json={**body, "findings_seen": True}, headers=headers)
    assert done.status_code == 201, done.text
    session.refresh(project)
    assert project.status is target


def test_waived_findings_need_no_confirmation(api: TestClient, session: Session) -> None:
    world = World(session)
    project = _with_finding(session, world, ProjectStatus.SUBMITTED, waived=True)
    token = create_token(session, user=world.users[Role.DEPT_REVIEWER])
    session.commit()
    response = api.post(
        f"/projects/{project.id}/transitions",
        json={"action": "dept_approve", "version": project.version},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
