"""Every role × every API action × own/other organisation, with the exact allow or deny.

"own" is an object of 甲单位 (under 甲部门, where the scoped users sit); "other" is one of
乙单位 (under 乙部门). A denied action on an object the role can see is 403; on an object it
cannot see it is 404 (its existence is not revealed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from factories import World, create_project, create_token, document_bytes, make_document
from jixiao.db.models import FindingRow, Organisation, Project
from jixiao.domain.enums import OrgKind, ProjectStatus, Role, Severity

A, F, D, U, V = (
    Role.ADMIN,
    Role.FINANCE_REVIEWER,
    Role.DEPT_REVIEWER,
    Role.UNIT_EDITOR,
    Role.VIEWER,
)
BOTH = ("own", "other")


@dataclass
class Ctx:
    api: TestClient
    session: Session
    world: World
    headers: dict[str, str]
    where: str

    @property
    def unit(self) -> Organisation:
        return self.world.unit_a if self.where == "own" else self.world.unit_b

    @property
    def dept(self) -> Organisation:
        return self.world.dept_a if self.where == "own" else self.world.dept_b

    def project(self, status: ProjectStatus = ProjectStatus.DRAFT) -> Project:
        return create_project(self.session, org=self.unit, status=status, name="矩阵项目")


def _transition(
    action: str, status: ProjectStatus, comment: str | None = None
) -> Callable[[Ctx], Response]:
    def run(c: Ctx) -> Response:
        p = c.project(status)
        body = {"action": action, "comment": comment, "version": p.version}
        return c.api.post(f"/projects/{p.id}/transitions", json=body, headers=c.headers)

    return run


def _finding(c: Ctx) -> FindingRow:
    p = c.project()
    row = FindingRow(
        project_id=p.id, rule="JX003", severity=Severity.WARNING, message="缺少满意度指标"
    )
    c.session.add(row)
    c.session.flush()
    return row


INDICATOR = {
    "level1_code": "1",
    "level2_code": "12",
    "name": "验收合格率",
    "period": {"raw": "≥95%"},
    "annual": {"raw": "≥95%"},
}

ACTIONS: dict[str, tuple[Callable[[Ctx], Response], int, dict[Role, tuple[str, ...]]]] = {
    # name: (request, success status, {role: where it is allowed})
    "view_project": (
        lambda c: c.api.get(f"/projects/{c.project().id}", headers=c.headers),
        200,
        {A: BOTH, F: BOTH, D: ("own",), U: ("own",), V: ("own",)},
    ),
    "list_versions": (
        lambda c: c.api.get(f"/projects/{c.project().id}/versions", headers=c.headers),
        200,
        {A: BOTH, F: BOTH, D: ("own",), U: ("own",), V: ("own",)},
    ),
    "list_findings": (
        lambda c: c.api.get(f"/projects/{c.project().id}/findings", headers=c.headers),
        200,
        {A: BOTH, F: BOTH, D: ("own",), U: ("own",), V: ("own",)},
    ),
    "edit_project": (
        lambda c: c.api.patch(
            f"/projects/{(p := c.project()).id}",
            json={"version": p.version, "name": "改名"},
            headers=c.headers,
        ),
        200,
        {A: BOTH, D: ("own",), U: ("own",)},
    ),
    "create_indicator": (
        lambda c: c.api.post(
            f"/projects/{c.project().id}/indicators", json=INDICATOR, headers=c.headers
        ),
        201,
        {A: BOTH, D: ("own",), U: ("own",)},
    ),
    "update_indicator": (
        lambda c: c.api.put(
            f"/indicators/{c.project().indicators[0].id}",
            json={**INDICATOR, "version": 1},
            headers=c.headers,
        ),
        200,
        {A: BOTH, D: ("own",), U: ("own",)},
    ),
    "delete_indicator": (
        lambda c: c.api.delete(
            f"/indicators/{c.project().indicators[0].id}", params={"version": 1}, headers=c.headers
        ),
        204,
        {A: BOTH, D: ("own",), U: ("own",)},
    ),
    "submit": (
        _transition("submit", ProjectStatus.DRAFT),
        201,
        {A: BOTH, D: ("own",), U: ("own",)},
    ),
    "dept_approve": (
        _transition("dept_approve", ProjectStatus.SUBMITTED),
        201,
        {A: BOTH, D: ("own",)},
    ),
    "dept_return": (
        _transition("dept_return", ProjectStatus.SUBMITTED, "请补充"),
        201,
        {A: BOTH, D: ("own",)},
    ),
    "finance_approve": (
        _transition("finance_approve", ProjectStatus.DEPT_APPROVED),
        201,
        {A: BOTH, F: BOTH},
    ),
    "finance_return": (
        _transition("finance_return", ProjectStatus.DEPT_APPROVED, "请补充"),
        201,
        {A: BOTH, F: BOTH},
    ),
    "publish": (_transition("publish", ProjectStatus.APPROVED), 201, {A: BOTH, F: BOTH}),
    "adjust": (
        _transition("adjust", ProjectStatus.APPROVED, "预算调减"),
        201,
        {A: BOTH, D: ("own",), U: ("own",)},
    ),
    "waive_finding": (
        lambda c: c.api.post(
            f"/findings/{_finding(c).id}/waive", json={"reason": "已核实"}, headers=c.headers
        ),
        200,
        {A: BOTH, F: BOTH, D: ("own",)},
    ),
    "rerun_review": (
        lambda c: c.api.post(f"/projects/{c.project().id}/review", headers=c.headers),
        200,
        {A: BOTH, F: BOTH, D: ("own",), U: ("own",)},
    ),
    "project_audit": (
        lambda c: c.api.get(
            "/audit",
            params={"object_type": "project", "object_id": c.project().id},
            headers=c.headers,
        ),
        200,
        {A: BOTH, F: BOTH, D: ("own",), U: ("own",)},
    ),
    "import": (
        lambda c: c.api.post(
            "/imports",
            headers=c.headers,
            files={"file": ("t.json", document_bytes(make_document(department=c.dept.name)))},
        ),
        201,
        {A: BOTH, F: BOTH, D: ("own",)},
    ),
    "import_preview": (
        lambda c: c.api.post(
            "/imports/preview",
            headers=c.headers,
            files={"file": ("t.json", document_bytes(make_document(department=c.dept.name)))},
        ),
        200,
        {A: BOTH, F: BOTH, D: ("own",)},
    ),
    "create_user": (
        lambda c: c.api.post(
            "/users",
            headers=c.headers,
            json={
                "username": "new_user",
                "password": "long-enough-1",
                "role": "dept_reviewer",
                "org_id": c.dept.id,
            },
        ),
        201,
        {A: BOTH},
    ),
    "create_unit": (
        lambda c: c.api.post(
            "/organisations",
            headers=c.headers,
            json={"name": "新单位", "kind": OrgKind.UNIT.value, "parent_id": c.dept.id},
        ),
        201,
        {A: BOTH},
    ),
}

# Roles that can see the "own" / "other" objects (a denial is then 403, else 404).
SEES = {A: BOTH, F: BOTH, D: ("own",), U: ("own",), V: ("own",)}
NOT_PROJECT_SCOPED = {"import", "import_preview", "create_user", "create_unit"}

CASES = [
    pytest.param(action, role, where, id=f"{action}-{role.value}-{where}")
    for action in ACTIONS
    for role in Role
    for where in BOTH
]


def expected_status(action: str, role: Role, where: str) -> int:
    _, success, allowed = ACTIONS[action]
    if where in allowed.get(role, ()):
        return success
    if action in NOT_PROJECT_SCOPED or where in SEES[role]:
        return 403
    return 404


@pytest.mark.parametrize(("action", "role", "where"), CASES)
def test_authorization_matrix(
    api: TestClient, session: Session, action: str, role: Role, where: str
) -> None:
    world = World(session)
    token = create_token(session, user=world.users[role])
    session.commit()
    ctx = Ctx(api, session, world, {"Authorization": f"Bearer {token}"}, where)
    request, _, _ = ACTIONS[action]
    response = request(ctx)
    expected = expected_status(action, role, where)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["error"]["code"] in {"forbidden", "not_found"}


@pytest.mark.parametrize("role", list(Role))
def test_project_list_shows_exactly_the_scope(
    api: TestClient, session: Session, role: Role
) -> None:
    world = World(session)
    token = create_token(session, user=world.users[role])
    own = create_project(session, org=world.unit_a, name="本单位项目")
    dept_level = create_project(session, org=world.dept_a, name="部门本级项目")
    other = create_project(session, org=world.unit_b, name="他单位项目")
    session.commit()
    response = api.get("/projects", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    expected = {
        A: {own.id, dept_level.id, other.id},
        F: {own.id, dept_level.id, other.id},
        D: {own.id, dept_level.id},
        U: {own.id},
        V: {own.id, dept_level.id},
    }[role]
    assert ids == expected


@pytest.mark.parametrize("role", list(Role))
def test_user_list_is_for_admins_only(api: TestClient, session: Session, role: Role) -> None:
    world = World(session)
    token = create_token(session, user=world.users[role])
    session.commit()
    response = api.get("/users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == (200 if role is A else 403)
