"""Every role × every API action × own/other organisation, with the exact allow or deny.

"own" is an object of 甲单位 (under 甲部门, where the scoped users sit); "other" is one of
乙单位 (under 乙部门). A denied action on an object the role can see is 403; on an object it
cannot see it is 404 (its existence is not revealed). For account routes "own" is the caller's
own account (or token) and "other" another user's.

Separated duties: the 管理员 (A) manages accounts but takes no review decision; the 安全管理员
(S) unlocks accounts and revokes tokens and sees no project; the 审计管理员 (X) reads projects
and every audit trail and changes nothing; error-level findings are waived by 财政审核 only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import (
    DEFAULT_PASSWORD,
    World,
    create_project,
    create_token,
    document_bytes,
    make_document,
)
from jixiao.db.models import ApiToken, FindingRow, Organisation, Project, User
from jixiao.domain.enums import OrgKind, ProjectStatus, Role, Severity

A, S, X, F, D, U, V = (
    Role.ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
    Role.FINANCE_REVIEWER,
    Role.DEPT_REVIEWER,
    Role.UNIT_EDITOR,
    Role.VIEWER,
)
BOTH = ("own", "other")
OWN = ("own",)
EVERYONE = {role: BOTH for role in Role}
EVERYONE_OWN = {role: OWN for role in Role}


@dataclass
class Ctx:
    api: TestClient
    session: Session
    world: World
    headers: dict[str, str]
    where: str
    caller: User

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


def _finding(c: Ctx, severity: Severity = Severity.WARNING) -> FindingRow:
    p = c.project()
    row = FindingRow(project_id=p.id, rule="JX003", severity=severity, message="缺少满意度指标")
    c.session.add(row)
    c.session.flush()
    return row


def _account(c: Ctx) -> User:
    """The caller's own account ("own") or another user's ("other")."""
    if c.where == "own":
        return c.caller
    return c.world.users[Role.VIEWER if c.caller.role is not Role.VIEWER else Role.UNIT_EDITOR]


def _token_of(c: Ctx) -> int:
    create_token(c.session, user=_account(c))
    c.session.commit()
    token = c.session.scalar(
        select(ApiToken.id).where(ApiToken.user_id == _account(c).id).order_by(ApiToken.id.desc())
    )
    assert token is not None
    return token


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
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "list_versions": (
        lambda c: c.api.get(f"/projects/{c.project().id}/versions", headers=c.headers),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "list_findings": (
        lambda c: c.api.get(f"/projects/{c.project().id}/findings", headers=c.headers),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
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
        {D: OWN},
    ),
    "dept_return": (
        _transition("dept_return", ProjectStatus.SUBMITTED, "请补充"),
        201,
        {D: OWN},
    ),
    "finance_approve": (
        _transition("finance_approve", ProjectStatus.DEPT_APPROVED),
        201,
        {F: BOTH},
    ),
    "finance_return": (
        _transition("finance_return", ProjectStatus.DEPT_APPROVED, "请补充"),
        201,
        {F: BOTH},
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
        {F: BOTH, D: OWN},
    ),
    "waive_error_finding": (
        lambda c: c.api.post(
            f"/findings/{_finding(c, Severity.ERROR).id}/waive",
            json={"reason": "已核实"},
            headers=c.headers,
        ),
        200,
        {F: BOTH},
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
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN},
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
    "list_users": (
        lambda c: c.api.get("/users", headers=c.headers),
        200,
        {A: BOTH, S: BOTH, X: BOTH},
    ),
    "read_account": (
        lambda c: c.api.get(f"/users/{_account(c).id}", headers=c.headers),
        200,
        {**EVERYONE_OWN, A: BOTH, S: BOTH, X: BOTH},
    ),
    "reset_password": (
        lambda c: c.api.put(
            f"/users/{_account(c).id}/password",
            json={"password": "Fresh-horse-42"},
            headers=c.headers,
        ),
        204,
        {A: ("other",)},  # one's own password is changed with the current one
    ),
    "change_own_password": (
        lambda c: c.api.put(
            "/me/password",
            json={"current_password": DEFAULT_PASSWORD, "new_password": "Fresh-horse-42"},
            headers=c.headers,
        ),
        204,
        EVERYONE,
    ),
    "list_tokens": (
        lambda c: c.api.get(f"/users/{_account(c).id}/tokens", headers=c.headers),
        200,
        {**EVERYONE_OWN, S: BOTH},
    ),
    "list_own_tokens": (lambda c: c.api.get("/me/tokens", headers=c.headers), 200, EVERYONE),
    "create_own_token": (
        lambda c: c.api.post("/me/tokens", json={"name": "脚本"}, headers=c.headers),
        201,
        EVERYONE,
    ),
    "revoke_token": (
        lambda c: c.api.delete(f"/tokens/{_token_of(c)}", headers=c.headers),
        204,
        {**EVERYONE_OWN, S: BOTH},
    ),
    "unlock_account": (
        lambda c: c.api.post(f"/users/{_account(c).id}/unlock", headers=c.headers),
        204,
        {S: BOTH},
    ),
    "user_audit": (
        lambda c: c.api.get(f"/users/{_account(c).id}/audit", headers=c.headers),
        200,
        {**EVERYONE_OWN, X: BOTH},
    ),
    "account_audit": (
        lambda c: c.api.get(
            "/audit",
            params={"object_type": "user", "object_id": _account(c).id},
            headers=c.headers,
        ),
        200,
        {X: BOTH},
    ),
}

# Roles that can see the "own" / "other" objects (a denial is then 403, else 404).
SEES = {A: BOTH, S: (), X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN}
NOT_PROJECT_SCOPED = {
    "import",
    "import_preview",
    "create_user",
    "create_unit",
    "list_users",
    "read_account",
    "reset_password",
    "list_tokens",
    "unlock_account",
    "user_audit",
    "account_audit",
}
# Another user's token is not revealed to whoever may not revoke it.
HIDDEN = {"revoke_token"}

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
    if action in HIDDEN:
        return 404
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
    headers = {"Authorization": f"Bearer {token}"}
    ctx = Ctx(api, session, world, headers, where, world.users[role])
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
        S: set(),
        X: {own.id, dept_level.id, other.id},
        F: {own.id, dept_level.id, other.id},
        D: {own.id, dept_level.id},
        U: {own.id},
        V: {own.id, dept_level.id},
    }[role]
    assert ids == expected


@pytest.mark.parametrize("role", list(Role))
def test_user_list_is_for_the_three_administrators_only(
    api: TestClient, session: Session, role: Role
) -> None:
    world = World(session)
    token = create_token(session, user=world.users[role])
    session.commit()
    response = api.get("/users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == (200 if role in (A, S, X) else 403)
