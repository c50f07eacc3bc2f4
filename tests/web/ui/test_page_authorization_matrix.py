"""Every state-changing page (each POST route of the pages) × every principal, with the outcome.

The principals are the seven roles of ``World`` — the 部门审核, 单位填报 and 只读 users sit in
甲部门 / 甲单位, where every object of the requests lives — plus a 部门审核 and a 单位填报 of
乙部门 and a visitor who has not logged in. Each request is a real form post through the pages
app on the test database (SQLite and PostgreSQL), with the CSRF token the page gave the browser.

An allowed request succeeds (its redirect or page) and leaves an audit entry when it writes; a
refused one writes nothing and answers 403, or 404 when the principal cannot see the project
(its existence is not revealed); the visitor is sent to the login page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from factories import (
    World,
    create_project,
    create_token,
    create_user,
    document_bytes,
    library_workbook,
    make_document,
    published_selfeval,
)
from jixiao.db.base import utcnow
from jixiao.db.models import (
    ApiToken,
    AuditEntry,
    FindingRow,
    LibraryEntry,
    LoginThrottle,
    Organisation,
    Project,
    User,
)
from jixiao.domain.enums import ProjectStatus, Role, Severity
from jixiao.services.library import book, maintain
from jixiao.services.principal import SYSTEM
from jixiao.settings import Settings
from jixiao.web.ui import create_ui_app

from .conftest import csrf_of, login

ADMIN, SECURITY, AUDITOR, FINANCE = "admin", "security", "auditor", "finance"
DEPT, DEPT_OTHER, UNIT, UNIT_OTHER = "dept", "dept_other", "unit", "unit_other"
VIEWER, ANONYMOUS = "viewer", "anonymous"
ROLES = {
    ADMIN: Role.ADMIN,
    SECURITY: Role.SECURITY_ADMIN,
    AUDITOR: Role.AUDIT_ADMIN,
    FINANCE: Role.FINANCE_REVIEWER,
    DEPT: Role.DEPT_REVIEWER,
    UNIT: Role.UNIT_EDITOR,
    VIEWER: Role.VIEWER,
}
PRINCIPALS = (*ROLES, DEPT_OTHER, UNIT_OTHER, ANONYMOUS)
LOGGED_IN = frozenset(PRINCIPALS) - {ANONYMOUS}
# Who sees the projects of 甲单位 (the others get 404 for them, not 403).
SEES = frozenset({ADMIN, AUDITOR, FINANCE, DEPT, UNIT, VIEWER})
EDITORS = frozenset({ADMIN, DEPT, UNIT})
NEW_PASSWORD = "Fresh-horse-42"


@dataclass
class Ctx:
    client: TestClient
    session: Session
    settings: Settings
    world: World
    caller: User | None
    target: User  # an account that is not the caller's: 甲部门's second 只读 user
    token: str  # the CSRF token of the caller's pages

    def project(
        self, status: ProjectStatus = ProjectStatus.DRAFT, org: Organisation | None = None
    ) -> Project:
        org = org or self.world.unit_a
        return create_project(self.session, org=org, status=status, name="物业管理费")

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> Response:
        self.session.commit()
        return self.client.post(url, data={**(data or {}), "csrf_token": self.token}, **kw)


@dataclass(frozen=True)
class Page:
    """One state-changing page: the request, who may do it and what success looks like."""

    route: str
    send: Callable[[Ctx], Response]
    allowed: frozenset[str]
    success: int = 303
    writes: bool = True  # an allowed request leaves an audit entry
    scoped: bool = True  # a project's page: 404 for whoever cannot see the project
    hidden: bool = False  # 404 for every refused principal (another user's token)


def _transition(action: str, status: ProjectStatus, comment: str = "") -> Callable[[Ctx], Response]:
    def send(c: Ctx) -> Response:
        p = c.project(status)
        data = {"action": action, "version": str(p.version), "comment": comment}
        return c.post(f"/projects/{p.id}/transition", data)

    return send


def _waive(severity: Severity) -> Callable[[Ctx], Response]:
    def send(c: Ctx) -> Response:
        p = c.project()
        row = FindingRow(project_id=p.id, rule="JX003", severity=severity, message="缺少满意度指标")
        c.session.add(row)
        c.session.flush()
        return c.post(f"/projects/{p.id}/findings/{row.id}/waive", {"reason": "已核实"})

    return send


INDICATOR = {
    "category": "1|12|产出指标|质量指标",
    "name": "验收合格率",
    "period_op": ">=",
    "period_value": "95",
    "period_unit": "%",
    "annual_op": ">=",
    "annual_value": "95",
    "annual_unit": "%",
}


def _indicator_post(suffix: str, data: dict[str, str]) -> Callable[[Ctx], Response]:
    """A post about the first indicator of a draft project (``{iid}`` in ``suffix``)."""

    def send(c: Ctx) -> Response:
        p = c.project()
        first = min(p.indicators, key=lambda i: i.position)
        url = f"/projects/{p.id}/indicators" + suffix.format(iid=first.id)
        return c.post(url, {**data, "version": str(first.version)})

    return send


def _edit_header(c: Ctx) -> Response:
    p = c.project()
    data = {"version": str(p.version), "name": "物业管理费（改）", "total": "125", "fiscal": "125"}
    return c.post(f"/projects/{p.id}/edit", data)


def _save_monitoring(c: Ctx) -> Response:
    p = c.project(ProjectStatus.APPROVED)
    data = {"executed": "50", "forecast": "125", "i0-actual": "150", "i1-actual": "93"}
    return c.post(f"/projects/{p.id}/monitoring/2023/7", data)


def _save_selfeval(c: Ctx) -> Response:
    p = c.project(ProjectStatus.APPROVED)
    data = {"budget": "125", "executed": "125", "i0-actual": "365", "i1-actual": "93"}
    return c.post(f"/projects/{p.id}/self-evaluation/2023", data)


def _copy(c: Ctx) -> Response:
    return c.post(f"/projects/{c.project(ProjectStatus.APPROVED).id}/copy")


def _curate(c: Ctx) -> Response:
    maintain.refresh_project(c.session, c.project(ProjectStatus.APPROVED).id)
    entry = c.session.scalar(select(LibraryEntry).order_by(LibraryEntry.id.desc()))
    assert entry is not None
    return c.post(f"/library/{entry.id}", {"version": str(entry.version), "recommended": "true"})


TARGETS = document_bytes(make_document(department="甲部门"))
SELFEVAL = published_selfeval([("物业管理费", "100")]).encode()


def _pending(c: Ctx, data: bytes, kind: str = "") -> str:
    """The file as the preview leaves it for the caller to confirm; its SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    if c.caller is not None:
        folder = c.settings.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{c.caller.id}-{kind}{sha}").write_bytes(data)
    return sha


def _preview(c: Ctx) -> Response:
    c.session.commit()
    files = {"file": ("甲部门.json", TARGETS, "application/json")}
    return c.client.post("/imports/preview", data={"csrf_token": c.token}, files=files)


def _confirm(c: Ctx) -> Response:
    return c.post("/imports/confirm", {"sha": _pending(c, TARGETS), "filename": "甲部门.json"})


def _confirm_selfeval(c: Ctx) -> Response:
    project = c.project(ProjectStatus.APPROVED, org=c.world.dept_a)
    data = {
        "sha": _pending(c, SELFEVAL),
        "filename": "自评表.csv",
        "year": "2023",
        "department": "甲部门",
        "target-0": str(project.id),
    }
    return c.post("/imports/confirm-selfeval", data)


UNMATCHED = published_selfeval([("自评表里的新项目", "100")]).encode()


def _create_from_selfeval(c: Ctx) -> Response:
    data = {
        "sha": _pending(c, UNMATCHED),
        "filename": "自评表.csv",
        "year": "2023",
        "department": "甲部门",
        "create-0": "1",
    }
    return c.post("/imports/confirm-selfeval", data)


def _cancel(c: Ctx) -> Response:
    return c.post("/imports/cancel", {"sha": _pending(c, TARGETS)})


BOOK = library_workbook()


def _pending_book(c: Ctx) -> str:
    """The 指标库 file as its preview leaves it for the caller to confirm; its SHA-256."""
    return _pending(c, BOOK, "library-")


def _book_preview(c: Ctx) -> Response:
    c.session.commit()
    files = {"file": ("库.xlsx", BOOK, "application/octet-stream")}
    return c.client.post("/library/book/preview", data={"csrf_token": c.token}, files=files)


def _book_confirm(c: Ctx) -> Response:
    token = book.preview_book(c.session, SYSTEM, BOOK, "库.xlsx").token
    data = {"sha": _pending_book(c), "token": token, "filename": "库.xlsx"}
    return c.post("/library/book/confirm", data)


def _create_user(c: Ctx) -> Response:
    data = {"username": "new_user", "password": NEW_PASSWORD, "role": "viewer"}
    return c.post("/users", data)


def _update_user(c: Ctx) -> Response:
    return c.post(f"/users/{c.target.id}", {"role": "viewer", "active": "1"})


def _reset_password(c: Ctx) -> Response:
    return c.post(f"/users/{c.target.id}", {"password": NEW_PASSWORD})


def _unlock(c: Ctx) -> Response:
    locked = utcnow() + timedelta(minutes=30)
    c.session.add(
        LoginThrottle(kind="account", key=c.target.username, failures=5, locked_until=locked)
    )
    return c.post(f"/users/{c.target.id}/unlock")


def _own_password(c: Ctx) -> Response:
    data = {
        "current_password": "correct-horse-9",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
    }
    return c.post("/account/password", data)


def _revoke(of_caller: bool) -> Callable[[Ctx], Response]:
    """Revoke an API token of the caller (or of another user)."""

    def send(c: Ctx) -> Response:
        owner = c.caller if of_caller and c.caller is not None else c.target
        create_token(c.session, user=owner)
        newest = select(func.max(ApiToken.id)).where(ApiToken.user_id == owner.id)
        return c.post(f"/tokens/{c.session.scalar(newest)}/revoke")

    return send


PAGES: dict[str, Page] = {
    "submit": Page(
        "POST /projects/{project_id}/transition",
        _transition("submit", ProjectStatus.DRAFT),
        EDITORS,
    ),
    "dept_approve": Page(
        "POST /projects/{project_id}/transition",
        _transition("dept_approve", ProjectStatus.SUBMITTED),
        frozenset({DEPT}),
    ),
    "dept_return": Page(
        "POST /projects/{project_id}/transition",
        _transition("dept_return", ProjectStatus.SUBMITTED, "请补充"),
        frozenset({DEPT}),
    ),
    "finance_approve": Page(
        "POST /projects/{project_id}/transition",
        _transition("finance_approve", ProjectStatus.DEPT_APPROVED),
        frozenset({FINANCE}),
    ),
    "finance_return": Page(
        "POST /projects/{project_id}/transition",
        _transition("finance_return", ProjectStatus.DEPT_APPROVED, "请补充"),
        frozenset({FINANCE}),
    ),
    "publish": Page(
        "POST /projects/{project_id}/transition",
        _transition("publish", ProjectStatus.APPROVED),
        frozenset({ADMIN, FINANCE}),
    ),
    "adjust": Page(
        "POST /projects/{project_id}/transition",
        _transition("adjust", ProjectStatus.APPROVED, "预算调减"),
        EDITORS,
    ),
    "copy": Page("POST /projects/{project_id}/copy", _copy, EDITORS),
    "waive_warning": Page(
        "POST /projects/{project_id}/findings/{finding_id}/waive",
        _waive(Severity.WARNING),
        frozenset({FINANCE, DEPT}),
    ),
    "waive_error": Page(
        "POST /projects/{project_id}/findings/{finding_id}/waive",
        _waive(Severity.ERROR),
        frozenset({FINANCE}),
    ),
    "edit_header": Page("POST /projects/{project_id}/edit", _edit_header, EDITORS),
    "create_indicator": Page(
        "POST /projects/{project_id}/indicators", _indicator_post("", INDICATOR), EDITORS
    ),
    "save_indicator": Page(
        "POST /projects/{project_id}/indicators/{indicator_id}",
        _indicator_post("/{iid}", INDICATOR),
        EDITORS,
    ),
    "delete_indicator": Page(
        "POST /projects/{project_id}/indicators/{indicator_id}/delete",
        _indicator_post("/{iid}/delete", {}),
        EDITORS,
    ),
    "move_indicator": Page(
        "POST /projects/{project_id}/indicators/{indicator_id}/move",
        _indicator_post("/{iid}/move", {"move": "down"}),
        EDITORS,
    ),
    # The live check stores nothing: whoever sees the project may run it.
    "check_indicator": Page(
        "POST /projects/{project_id}/indicators-check",
        _indicator_post("-check", INDICATOR),
        SEES,
        success=200,
        writes=False,
    ),
    "save_monitoring": Page(
        "POST /projects/{project_id}/monitoring/{year}/{end_month}", _save_monitoring, EDITORS
    ),
    "save_selfeval": Page(
        "POST /projects/{project_id}/self-evaluation/{year}", _save_selfeval, EDITORS
    ),
    "curate_library": Page(
        "POST /library/{entry_id}", _curate, frozenset({ADMIN, FINANCE}), scoped=False
    ),
    "library_book_preview": Page(
        "POST /library/book/preview",
        _book_preview,
        frozenset({ADMIN, FINANCE}),
        success=200,
        writes=False,
        scoped=False,
    ),
    "library_book_confirm": Page(
        "POST /library/book/confirm",
        _book_confirm,
        frozenset({ADMIN, FINANCE}),
        scoped=False,
    ),
    "library_book_cancel": Page(
        "POST /library/book/cancel",
        lambda c: c.post("/library/book/cancel", {"sha": _pending_book(c)}),
        LOGGED_IN,
        writes=False,
        scoped=False,
    ),
    "import_preview": Page(
        "POST /imports/preview",
        _preview,
        frozenset({ADMIN, FINANCE, DEPT}),
        success=200,
        writes=False,
        scoped=False,
    ),
    "import_confirm": Page(
        "POST /imports/confirm",
        _confirm,
        frozenset({ADMIN, FINANCE, DEPT}),
        success=200,
        scoped=False,
    ),
    # Published self-evaluations go to the department's own projects: editing there is needed.
    "import_confirm_selfeval": Page(
        "POST /imports/confirm-selfeval",
        _confirm_selfeval,
        frozenset({ADMIN, DEPT}),
        success=200,
        scoped=False,
    ),
    # Creating the project of an unmatched one: importing and creating in the department.
    "import_create_from_selfeval": Page(
        "POST /imports/confirm-selfeval",
        _create_from_selfeval,
        frozenset({ADMIN, DEPT}),
        success=200,
        scoped=False,
    ),
    "import_cancel": Page("POST /imports/cancel", _cancel, LOGGED_IN, writes=False, scoped=False),
    "create_user": Page("POST /users", _create_user, frozenset({ADMIN}), scoped=False),
    "update_user": Page("POST /users/{user_id}", _update_user, frozenset({ADMIN}), scoped=False),
    "reset_password": Page(
        "POST /users/{user_id}", _reset_password, frozenset({ADMIN}), scoped=False
    ),
    "unlock_user": Page(
        "POST /users/{user_id}/unlock", _unlock, frozenset({SECURITY}), scoped=False
    ),
    "own_password": Page("POST /account/password", _own_password, LOGGED_IN, scoped=False),
    "create_own_token": Page(
        "POST /account/tokens",
        lambda c: c.post("/account/tokens", {"name": "脚本"}),
        LOGGED_IN,
        success=201,
        scoped=False,
    ),
    "revoke_own_token": Page(
        "POST /tokens/{token_id}/revoke", _revoke(True), LOGGED_IN, scoped=False
    ),
    "revoke_other_token": Page(
        "POST /tokens/{token_id}/revoke",
        _revoke(False),
        frozenset({SECURITY}),
        scoped=False,
        hidden=True,
    ),
    "logout": Page("POST /logout", lambda c: c.post("/logout"), LOGGED_IN, scoped=False),
}
# Open without an account: signing in.
PUBLIC = {"POST /login"}


def expected(page: Page, principal: str) -> int | str:
    if principal in page.allowed:
        return page.success
    if principal == ANONYMOUS:
        return "login"
    if page.hidden or (page.scoped and principal not in SEES):
        return 404
    return 403


@pytest.fixture
def pages(settings: Settings, session_factory: sessionmaker[Session]) -> TestClient:
    app = create_ui_app(settings, session_factory)
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def _matches(route: str, response: Response) -> bool:
    method, path = route.split(" ", 1)
    pattern = re.sub(r"\{[a-z_]+\}", "[0-9]+", path) + "$"
    return response.request.method == method and bool(re.match(pattern, response.request.url.path))


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _request(
    pages: TestClient, session: Session, settings: Settings, name: str, principal: str, forged: bool
) -> tuple[Response, bool]:
    """Send the request of ``PAGES[name]`` as ``principal``; the answer, and whether it wrote
    to the audit trail."""
    world = World(session)
    users = {key: world.users[role] for key, role in ROLES.items()}
    users[DEPT_OTHER] = create_user(
        session, username="dept_b", role=Role.DEPT_REVIEWER, org=world.dept_b
    )
    users[UNIT_OTHER] = create_user(
        session, username="unit_b", role=Role.UNIT_EDITOR, org=world.unit_b
    )
    target = create_user(session, username="viewer2", role=Role.VIEWER, org=world.dept_a)
    session.commit()
    caller = users.get(principal)
    with pages:
        token = login(pages, caller.username) if caller else csrf_of(pages.get("/login").text)
        ctx = Ctx(pages, session, settings, world, caller, target, "forged" if forged else token)
        before = _audit_count(session)
        response = PAGES[name].send(ctx)
    assert _matches(PAGES[name].route, response), response.request.url
    session.expire_all()
    return response, _audit_count(session) > before


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("name", PAGES)
def test_page_authorization_matrix(
    pages: TestClient, session: Session, settings: Settings, name: str, principal: str
) -> None:
    page = PAGES[name]
    response, wrote = _request(pages, session, settings, name, principal, forged=False)
    want = expected(page, principal)
    location = response.headers.get("location", "")
    if want == "login":
        assert response.status_code == 303, response.text
        assert location.startswith("/login?next="), location
    else:
        assert response.status_code == want, response.text[:2000]
        assert not location.startswith("/login?"), location
    assert wrote == (want == page.success and page.writes)


@pytest.mark.parametrize("name", PAGES)
def test_every_state_changing_page_refuses_a_forged_csrf_token(
    pages: TestClient, session: Session, settings: Settings, name: str
) -> None:
    """Even for a principal who may do it, a request without the page's token is refused."""
    allowed = next(p for p in PRINCIPALS if p in PAGES[name].allowed)
    response, wrote = _request(pages, session, settings, name, allowed, forged=True)
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert not wrote


def _unsafe_routes(settings: Settings) -> set[str]:
    """Every route of the pages app with a method other than GET."""
    paths = create_ui_app(settings, sessionmaker()).openapi()["paths"]
    return {f"{m.upper()} {path}" for path, ops in paths.items() for m in ops if m != "get"}


def test_every_state_changing_page_is_in_the_matrix(settings: Settings) -> None:
    """A new POST page fails here until its allowed principals are written into PAGES."""
    assert _unsafe_routes(settings) - PUBLIC == {page.route for page in PAGES.values()}
