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

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import (
    DEFAULT_PASSWORD,
    World,
    create_project,
    create_token,
    document_bytes,
    library_workbook,
    make_document,
)
from jixiao.db.models import ApiToken, FindingRow, LibraryEntry, Organisation, Project, User
from jixiao.domain.enums import OrgKind, ProjectStatus, Role, Severity
from jixiao.services import library
from jixiao.services.evaluations import service as evaluations
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.library import book
from jixiao.services.monitoring import service as monitoring
from jixiao.services.monitoring.schemas import MonitoringIn
from jixiao.services.principal import SYSTEM
from jixiao.services.projects.snapshot import keep_version
from jixiao.settings import Settings
from jixiao.web.api import create_api_app
from jixiao.web.main import API_PREFIX

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
LIBRARY_READERS = {role: BOTH for role in Role if role is not Role.SECURITY_ADMIN}


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


def _entry(kind: str, pid: int, c: Ctx) -> dict[str, Any]:
    """A filled-in monitoring (2023/1–7月) or self-evaluation (2023) entry of project ``pid``."""
    fill = monitoring.monitoring_template if kind == "monitoring" else evaluations.selfeval_template
    entry = fill(c.session, SYSTEM, pid)
    days, satisfaction = entry["indicators"]
    entry["funds"][0]["executed"] = "50"
    entry["indicators"] = [{**days, "actual": "150"}, {**satisfaction, "actual": "93"}]
    return entry


def _approved(c: Ctx) -> int:
    return c.project(ProjectStatus.APPROVED).id


def _with_round(c: Ctx) -> int:
    pid = _approved(c)
    data = MonitoringIn(year=2023, end_month=7, entry=_entry("monitoring", pid, c))
    monitoring.save_monitoring(c.session, SYSTEM, pid, data)
    return pid


def _with_evaluation(c: Ctx) -> int:
    pid = _approved(c)
    data = SelfEvaluationIn(year=2023, entry=_entry("selfeval", pid, c))
    evaluations.save_self_evaluation(c.session, SYSTEM, pid, data)
    return pid


def _with_versions(c: Ctx) -> tuple[int, int, int]:
    project = c.project()
    old = keep_version(c.session, SYSTEM, project, "import", "矩阵")
    new = keep_version(c.session, SYSTEM, project, "approved", "矩阵")
    return project.id, old.id, new.id


def _library_entry(c: Ctx) -> LibraryEntry:
    project = c.project(ProjectStatus.APPROVED)
    library.refresh_project(c.session, project.id)
    entry = c.session.scalar(select(LibraryEntry).order_by(LibraryEntry.id.desc()))
    assert entry is not None
    return entry


def _reorder(c: Ctx) -> Response:
    project = c.project()
    ids = [i.id for i in sorted(project.indicators, key=lambda i: i.position)]
    body = {"ids": ids[::-1], "expected": ids}
    return c.api.put(f"/projects/{project.id}/indicators/order", json=body, headers=c.headers)


def _import_previewed_book(c: Ctx, data: bytes) -> Response:
    """Confirm a library workbook previewed with the very same bytes (an .xlsx written twice
    differs in its saved time, and the preview's token names the file's hash)."""
    token = book.preview_book(c.session, SYSTEM, data, "库.xlsx").token
    files = {"file": ("库.xlsx", data)}
    return c.api.post("/library/import", files=files, data={"token": token}, headers=c.headers)


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
    "me": (lambda c: c.api.get("/me", headers=c.headers), 200, EVERYONE),
    "list_projects": (lambda c: c.api.get("/projects", headers=c.headers), 200, EVERYONE),
    "list_organisations": (
        lambda c: c.api.get("/organisations", headers=c.headers),
        200,
        EVERYONE,
    ),
    "update_user": (
        lambda c: c.api.patch(
            f"/users/{_account(c).id}", json={"display_name": "新名字"}, headers=c.headers
        ),
        200,
        {A: BOTH},
    ),
    "get_version": (
        lambda c: c.api.get(
            "/projects/{}/versions/{}".format(*_with_versions(c)[:2]), headers=c.headers
        ),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "compare_versions": (
        lambda c: c.api.get(
            f"/projects/{(v := _with_versions(c))[0]}/versions/compare",
            params={"old": v[1], "new": v[2]},
            headers=c.headers,
        ),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "list_transitions": (
        lambda c: c.api.get(f"/projects/{c.project().id}/transitions", headers=c.headers),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "get_indicator": (
        lambda c: c.api.get(f"/indicators/{c.project().indicators[0].id}", headers=c.headers),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "reorder_indicators": (_reorder, 200, {A: BOTH, D: OWN, U: OWN}),
    "copy_project": (
        lambda c: c.api.post(f"/projects/{_approved(c)}/copy", headers=c.headers),
        201,
        {A: BOTH, D: OWN, U: OWN},
    ),
    "monitoring_template": (
        lambda c: c.api.get(
            f"/projects/{_approved(c)}/monitoring-template/2023/7", headers=c.headers
        ),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "list_monitoring": (
        lambda c: c.api.get(f"/projects/{_with_round(c)}/monitoring", headers=c.headers),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "get_monitoring": (
        lambda c: c.api.get(f"/projects/{_with_round(c)}/monitoring/2023/7", headers=c.headers),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "save_monitoring": (
        lambda c: c.api.put(
            f"/projects/{(pid := _approved(c))}/monitoring/2023/7",
            json={"entry": _entry("monitoring", pid, c)},
            headers=c.headers,
        ),
        200,
        {A: BOTH, D: OWN, U: OWN},
    ),
    "export_monitoring": (
        lambda c: c.api.get(
            f"/projects/{_with_round(c)}/monitoring/2023/7/export",
            params={"format": "xlsx"},
            headers=c.headers,
        ),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "selfeval_template": (
        lambda c: c.api.get(
            f"/projects/{_approved(c)}/self-evaluation-template/2023", headers=c.headers
        ),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "get_self_evaluation": (
        lambda c: c.api.get(
            f"/projects/{_with_evaluation(c)}/self-evaluations/2023", headers=c.headers
        ),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "save_self_evaluation": (
        lambda c: c.api.put(
            f"/projects/{(pid := _approved(c))}/self-evaluations/2023",
            json={"entry": _entry("selfeval", pid, c)},
            headers=c.headers,
        ),
        200,
        {A: BOTH, D: OWN, U: OWN},
    ),
    "export_self_evaluation": (
        lambda c: c.api.get(
            f"/projects/{_with_evaluation(c)}/self-evaluations/2023/export",
            params={"format": "xlsx"},
            headers=c.headers,
        ),
        200,
        {A: BOTH, X: BOTH, F: BOTH, D: OWN, U: OWN, V: OWN},
    ),
    "library_search": (
        lambda c: c.api.get("/library/entries", headers=c.headers),
        200,
        LIBRARY_READERS,
    ),
    "library_suggest": (
        lambda c: c.api.get("/library/suggest", params={"q": "天数"}, headers=c.headers),
        200,
        LIBRARY_READERS,
    ),
    "library_departments": (
        lambda c: c.api.get("/library/departments", headers=c.headers),
        200,
        LIBRARY_READERS,
    ),
    "library_entry": (
        lambda c: c.api.get(f"/library/entries/{_library_entry(c).id}", headers=c.headers),
        200,
        LIBRARY_READERS,
    ),
    "library_peers": (
        lambda c: c.api.get(f"/library/entries/{_library_entry(c).id}/peers", headers=c.headers),
        200,
        LIBRARY_READERS,
    ),
    "library_curate": (
        lambda c: c.api.put(
            f"/library/entries/{(e := _library_entry(c)).id}",
            json={"version": e.version, "recommended": True},
            headers=c.headers,
        ),
        200,
        {A: BOTH, F: BOTH},
    ),
    "library_export": (
        lambda c: c.api.get("/library/export", headers=c.headers),
        200,
        LIBRARY_READERS,
    ),
    "library_import_preview": (
        lambda c: c.api.post(
            "/library/import/preview",
            files={"file": ("库.xlsx", library_workbook())},
            headers=c.headers,
        ),
        200,
        {A: BOTH, F: BOTH},
    ),
    "library_import": (
        lambda c: _import_previewed_book(c, library_workbook()),
        200,
        {A: BOTH, F: BOTH},
    ),
}

# Each action's route: together they must be every route of the API (see the test below).
ROUTES = {
    "view_project": "GET /projects/{project_id}",
    "list_versions": "GET /projects/{project_id}/versions",
    "list_findings": "GET /projects/{project_id}/findings",
    "edit_project": "PATCH /projects/{project_id}",
    "create_indicator": "POST /projects/{project_id}/indicators",
    "update_indicator": "PUT /indicators/{indicator_id}",
    "delete_indicator": "DELETE /indicators/{indicator_id}",
    "submit": "POST /projects/{project_id}/transitions",
    "dept_approve": "POST /projects/{project_id}/transitions",
    "dept_return": "POST /projects/{project_id}/transitions",
    "finance_approve": "POST /projects/{project_id}/transitions",
    "finance_return": "POST /projects/{project_id}/transitions",
    "publish": "POST /projects/{project_id}/transitions",
    "adjust": "POST /projects/{project_id}/transitions",
    "waive_finding": "POST /findings/{finding_id}/waive",
    "waive_error_finding": "POST /findings/{finding_id}/waive",
    "rerun_review": "POST /projects/{project_id}/review",
    "project_audit": "GET /audit",
    "import": "POST /imports",
    "import_preview": "POST /imports/preview",
    "create_user": "POST /users",
    "create_unit": "POST /organisations",
    "list_users": "GET /users",
    "read_account": "GET /users/{user_id}",
    "reset_password": "PUT /users/{user_id}/password",
    "change_own_password": "PUT /me/password",
    "list_tokens": "GET /users/{user_id}/tokens",
    "list_own_tokens": "GET /me/tokens",
    "create_own_token": "POST /me/tokens",
    "revoke_token": "DELETE /tokens/{token_id}",
    "unlock_account": "POST /users/{user_id}/unlock",
    "user_audit": "GET /users/{user_id}/audit",
    "account_audit": "GET /audit",
    "me": "GET /me",
    "list_projects": "GET /projects",
    "list_organisations": "GET /organisations",
    "update_user": "PATCH /users/{user_id}",
    "get_version": "GET /projects/{project_id}/versions/{version_id}",
    "compare_versions": "GET /projects/{project_id}/versions/compare",
    "list_transitions": "GET /projects/{project_id}/transitions",
    "get_indicator": "GET /indicators/{indicator_id}",
    "reorder_indicators": "PUT /projects/{project_id}/indicators/order",
    "copy_project": "POST /projects/{project_id}/copy",
    "monitoring_template": "GET /projects/{project_id}/monitoring-template/{year}/{end_month}",
    "list_monitoring": "GET /projects/{project_id}/monitoring",
    "get_monitoring": "GET /projects/{project_id}/monitoring/{year}/{end_month}",
    "save_monitoring": "PUT /projects/{project_id}/monitoring/{year}/{end_month}",
    "export_monitoring": "GET /projects/{project_id}/monitoring/{year}/{end_month}/export",
    "selfeval_template": "GET /projects/{project_id}/self-evaluation-template/{year}",
    "get_self_evaluation": "GET /projects/{project_id}/self-evaluations/{year}",
    "save_self_evaluation": "PUT /projects/{project_id}/self-evaluations/{year}",
    "export_self_evaluation": "GET /projects/{project_id}/self-evaluations/{year}/export",
    "library_search": "GET /library/entries",
    "library_suggest": "GET /library/suggest",
    "library_departments": "GET /library/departments",
    "library_entry": "GET /library/entries/{entry_id}",
    "library_peers": "GET /library/entries/{entry_id}/peers",
    "library_curate": "PUT /library/entries/{entry_id}",
    "library_export": "GET /library/export",
    "library_import_preview": "POST /library/import/preview",
    "library_import": "POST /library/import",
}
# Routes open without an account: health, readiness, the docs, signing in and out.
PUBLIC = {
    "GET /health",
    "GET /ready",
    "GET /docs",
    "GET /openapi.json",
    "POST /auth/login",
    "POST /auth/token",
    "POST /auth/logout",
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
    "me",
    "list_projects",
    "list_organisations",
    "update_user",
    "library_search",
    "library_suggest",
    "library_departments",
    "library_entry",
    "library_peers",
    "library_curate",
    "library_export",
    "library_import_preview",
    "library_import",
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
    assert _route_of(response) == ROUTES[action]
    expected = expected_status(action, role, where)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["error"]["code"] in {"forbidden", "not_found"}


def _pattern(route: str) -> tuple[str, re.Pattern[str]]:
    method, path = route.split(" ", 1)
    return method, re.compile(re.sub(r"\{[a-z_]+\}", "[^/]+", path) + "$")


def _route_of(response: Response) -> str | None:
    """The declared route (of ROUTES) that the request of ``response`` matched."""
    path = response.request.url.path.removeprefix(API_PREFIX)
    for route in sorted(set(ROUTES.values()), key=lambda r: ("{" in r, r)):
        method, pattern = _pattern(route)
        if method == response.request.method and pattern.match(path):
            return route
    return None


def _api_routes(settings: Settings) -> set[str]:
    app = create_api_app(settings, sessionmaker())
    out = {f"{m.upper()} {path}" for path, ops in app.openapi()["paths"].items() for m in ops}
    return out | {"GET /docs", "GET /openapi.json"} & PUBLIC


def test_every_api_route_is_in_the_matrix(settings: Settings) -> None:
    """A new route fails here until its allowed roles are written into ACTIONS and ROUTES."""
    assert set(ROUTES) == set(ACTIONS)
    assert _api_routes(settings) - PUBLIC == set(ROUTES.values())


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
