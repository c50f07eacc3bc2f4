"""网络安全等级保护 over the API (issue 10, items 4–6): lockout answers 429 and its audit survives
the refused request; tokens are listed, expire and are revoked; one's own password is changed
with the current one; separation of duties refuses with a Chinese 403."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import DEFAULT_PASSWORD, World, create_project, create_token
from jixiao.db.models import AuditEntry, LoginThrottle
from jixiao.domain.enums import Role

NEW = "Fresh-horse-42"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_failures_lock_the_account_and_the_audit_is_kept(
    api: TestClient, session: Session
) -> None:
    World(session)
    session.commit()
    statuses = []
    for _ in range(8):
        answer = api.post("/auth/login", json={"username": "viewer", "password": "Wrong-pass-1"})
        statuses.append(answer.status_code)
    assert statuses[:2] == [401, 401]
    assert set(statuses[2:]) == {429}  # back-off, then the lockout
    right = api.post("/auth/login", json={"username": "viewer", "password": DEFAULT_PASSWORD})
    assert right.status_code == 429
    error = right.json()["error"]
    assert error["code"] == "too_many_attempts"
    assert "登录失败次数过多" in error["message"]
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[:2] == ["user.login_failed", "user.login_failed"]
    assert set(actions[2:]) == {"user.login_refused"}
    assert session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == "viewer")) == 2


def test_the_password_to_token_exchange_is_throttled_too(api: TestClient, session: Session) -> None:
    World(session)
    session.commit()
    for _ in range(2):
        body = {"username": "viewer", "password": "Wrong-pass-1"}
        assert api.post("/auth/token", json=body).status_code == 401
    body = {"username": "viewer", "password": DEFAULT_PASSWORD}
    assert api.post("/auth/token", json=body).status_code == 429


def test_tokens_are_listed_revoked_and_die_with_a_password_change(
    api: TestClient, session: Session
) -> None:
    world = World(session)
    token = create_token(session, user=world.users[Role.VIEWER])
    session.commit()
    made = api.post("/me/tokens", json={"name": "同步脚本"}, headers=_bearer(token))
    assert made.status_code == 201
    assert made.json()["expires_at"]
    listed = api.get("/me/tokens", headers=_bearer(token)).json()
    assert [t["name"] for t in listed] == ["同步脚本", "test"]
    assert set(listed[0]) == {
        "id",
        "name",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "active",
    }
    other = made.json()["token"]
    revoked = api.delete(f"/tokens/{made.json()['id']}", headers=_bearer(token))
    assert revoked.status_code == 204
    assert api.get("/me", headers=_bearer(other)).status_code == 401
    wrong = api.put(
        "/me/password",
        json={"current_password": "Not-it-123", "new_password": NEW},
        headers=_bearer(token),
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"] == {"current_password": "当前密码不正确"}
    weak = api.put(
        "/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "viewer-2026"},
        headers=_bearer(token),
    )
    assert weak.status_code == 422
    assert "用户名" in weak.json()["error"]["message"]
    changed = api.put(
        "/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW},
        headers=_bearer(token),
    )
    assert changed.status_code == 204
    assert api.get("/me", headers=_bearer(token)).status_code == 401


def test_a_password_change_keeps_this_session_and_ends_the_others(
    api: TestClient, session: Session
) -> None:
    World(session)
    session.commit()
    credentials = {"username": "viewer", "password": DEFAULT_PASSWORD}
    elsewhere = api.post("/auth/login", json=credentials).cookies.get("jixiao_session")
    here = api.post("/auth/login", json=credentials)
    csrf = here.json()["csrf_token"]
    body = {"current_password": DEFAULT_PASSWORD, "new_password": NEW}
    changed = api.put("/me/password", json=body, headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 204
    assert api.get("/me").status_code == 200
    api.cookies.clear()
    assert elsewhere
    api.cookies.set("jixiao_session", elsewhere)
    assert api.get("/me").status_code == 401


def test_deactivation_kills_tokens_for_good(api: TestClient, session: Session) -> None:
    world = World(session)
    admin = create_token(session, user=world.users[Role.ADMIN])
    viewer = create_token(session, user=world.users[Role.VIEWER])
    session.commit()
    viewer_id = world.users[Role.VIEWER].id
    off = api.patch(f"/users/{viewer_id}", json={"active": False}, headers=_bearer(admin))
    assert off.status_code == 200
    on = api.patch(f"/users/{viewer_id}", json={"active": True}, headers=_bearer(admin))
    assert on.status_code == 200
    assert api.get("/me", headers=_bearer(viewer)).status_code == 401


def test_separation_of_duties_answers_403_in_chinese(api: TestClient, session: Session) -> None:
    world = World(session)
    dept = create_token(session, user=world.users[Role.DEPT_REVIEWER])
    admin = create_token(session, user=world.users[Role.ADMIN])
    project = create_project(session, org=world.unit_a)
    session.commit()
    url = f"/projects/{project.id}/transitions"
    submitted = api.post(url, json={"action": "submit"}, headers=_bearer(dept))
    assert submitted.status_code == 201
    own = api.post(url, json={"action": "dept_approve"}, headers=_bearer(dept))
    assert own.status_code == 403
    assert "职责分离" in own.json()["error"]["message"]
    by_admin = api.post(url, json={"action": "dept_approve"}, headers=_bearer(admin))
    assert by_admin.status_code == 403
    assert "管理员不参与审核" in by_admin.json()["error"]["message"]
    detail = api.get(f"/projects/{project.id}", headers=_bearer(dept)).json()
    assert "dept_approve" not in detail["allowed"]


def test_security_administrator_unlocks_through_the_api(api: TestClient, session: Session) -> None:
    world = World(session)
    security = create_token(session, user=world.users[Role.SECURITY_ADMIN])
    session.commit()
    for _ in range(2):
        api.post("/auth/login", json={"username": "viewer", "password": "Wrong-pass-1"})
    viewer_id = world.users[Role.VIEWER].id
    assert api.post(f"/users/{viewer_id}/unlock", headers=_bearer(security)).status_code == 204
    right = api.post("/auth/login", json={"username": "viewer", "password": DEFAULT_PASSWORD})
    assert right.status_code == 200
