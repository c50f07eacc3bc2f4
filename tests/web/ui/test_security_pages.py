"""网络安全等级保护 on the pages (issue 10 items 4–6, issue 14 item 9): login throttling, the
idle timeout, 我的账号 (own password, API tokens), the user page of the three administrators,
and separation of duties in the review decisions."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.db.models import LoginThrottle, UserSession
from jixiao.db.session import transaction
from jixiao.services.principal import SYSTEM
from jixiao.services.projects import service as projects
from jixiao.services.reviews import service as reviews
from jixiao.web.ui import create_ui_app

from .conftest import PASSWORD, Site, csrf_of, login, soup
from .test_project_pages import project_id

NEW = "Fresh-horse-42"


def _try_login(client: TestClient, username: str, password: str) -> tuple[int, str]:
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
    notice = soup(answer.text).select_one(".notice.error")
    return answer.status_code, notice.text if notice else ""


def test_repeated_wrong_passwords_lock_the_login_form(site: Site) -> None:
    settings = site.settings.model_copy(update={"login_backoff_seconds": 0})
    with TestClient(create_ui_app(settings, site.factory), follow_redirects=False) as client:
        outcomes = [_try_login(client, "unit", "Wrong-pass-1") for _ in range(5)]
        assert [status for status, _ in outcomes] == [401] * 5
        status, message = _try_login(client, "unit", PASSWORD)
    assert status == 429
    assert "登录失败次数过多，已锁定，请 30 分钟后再试" in message


def test_the_back_off_is_shown_on_the_login_form(client: TestClient) -> None:
    assert _try_login(client, "unit", "Wrong-pass-1")[0] == 401
    assert _try_login(client, "unit", "Wrong-pass-1")[0] == 401
    status, message = _try_login(client, "unit", PASSWORD)
    assert status == 429
    assert "秒后再试" in message


def test_an_idle_session_is_sent_back_to_the_login(client: TestClient, site: Site) -> None:
    login(client, "viewer")
    assert client.get("/projects").status_code == 200
    with transaction(site.factory) as db:
        for row in db.scalars(select(UserSession)):
            row.last_seen_at -= timedelta(minutes=31)
    answer = client.get("/projects")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_every_user_changes_their_own_password_on_the_account_page(
    client: TestClient, site: Site
) -> None:
    other = TestClient(create_ui_app(site.settings, site.factory), follow_redirects=False)
    login(other, "unit")
    token = login(client, "unit")
    page = soup(client.get("/").text)
    assert page.select_one(".who a[href='/account']") is not None
    form = {"current_password": "not-it-Pass1", "password": NEW, "password_again": NEW}
    wrong = client.post("/account/password", data={**form, "csrf_token": token})
    assert wrong.status_code == 422
    assert "当前密码不正确" in soup(wrong.text).select_one(".field.invalid .err").text
    form["current_password"] = PASSWORD
    mismatch = client.post(
        "/account/password", data={**form, "password_again": "x", "csrf_token": token}
    )
    assert "两次输入的新密码不一致" in soup(mismatch.text).select_one(".notice.error").text
    weak = client.post(
        "/account/password",
        data={
            **form,
            "password": "unit-Pass-1",
            "password_again": "unit-Pass-1",
            "csrf_token": token,
        },
    )
    assert "密码不能包含用户名" in soup(weak.text).select_one(".field.invalid .err").text
    done = client.post("/account/password", data={**form, "csrf_token": token})
    assert done.status_code == 303
    assert "密码已修改" in client.get(done.headers["location"]).text
    assert other.get("/projects").status_code == 303  # the other session ended
    other.cookies.clear()
    login(other, "unit", NEW)


def test_the_token_page_creates_lists_and_revokes(client: TestClient, site: Site) -> None:
    token = login(client, "viewer")
    created = client.post("/account/tokens", data={"name": "同步脚本", "csrf_token": token})
    assert created.status_code == 201
    doc = soup(created.text)
    secret = doc.select_one("#new-token code.token").text
    assert secret.startswith("jx_")
    headers = [th.text for th in doc.select("#tokens thead th")]
    assert headers == ["名称", "创建时间", "最近使用", "有效期至", "状态", "操作"]
    row = doc.select_one("#tokens tbody tr")
    assert row.select_one("td[data-label='名称']").text == "同步脚本"
    assert row.select_one("td[data-label='最近使用']").text == "从未使用"
    assert "有效" in row.select_one("td[data-label='状态']").text
    listing = soup(client.get("/account").text)
    assert secret not in listing.text  # shown once only
    action = listing.select_one("#tokens form")["action"]
    revoked = client.post(action, data={"csrf_token": token})
    assert revoked.status_code == 303
    after = soup(client.get(revoked.headers["location"]).text)
    assert "已撤销" in after.select_one("#tokens td[data-label='状态']").text
    assert after.select_one("#tokens form") is None


def test_a_new_users_role_defaults_to_the_least_privilege(client: TestClient) -> None:
    login(client, "admin")
    form = soup(client.get("/users").text).select_one("#new-user")
    selected = form.select_one("select[name=role] option[selected]")
    assert selected is not None
    assert selected.text == "只读"


def test_the_security_administrator_unlocks_and_the_auditor_only_reads(
    client: TestClient, site: Site
) -> None:
    for _ in range(2):
        _try_login(client, "viewer", "Wrong-pass-1")
    with transaction(site.factory) as db:
        for row in db.scalars(select(LoginThrottle).where(LoginThrottle.kind == "account")):
            row.locked_until = row.last_failure_at + timedelta(hours=1)
    login(client, "admin")
    admin_page = soup(client.get("/users").text)
    assert admin_page.select_one("form[action$='/unlock']") is None
    client.cookies.clear()
    login(client, "auditor")
    audit_page = soup(client.get("/users").text)
    assert audit_page.select_one("#new-user") is None
    assert audit_page.select("tbody form") == []
    client.cookies.clear()
    token = login(client, "security")
    page = soup(client.get("/users").text)
    row = next(tr for tr in page.select("tbody tr") if "viewer" in tr.text)
    assert "已锁定至" in row.text
    unlock = row.select_one("form[action$='/unlock']")["action"]
    assert client.post(unlock, data={"csrf_token": token}).status_code == 303
    client.cookies.clear()
    login(client, "viewer")


def _decide(client: TestClient, site: Site, pid: int, action: str, token: str) -> tuple[int, str]:
    with transaction(site.factory) as db:
        version = projects.get_project(db, SYSTEM, pid).version
    answer = client.post(
        f"/projects/{pid}/transition",
        data={
            "action": action,
            "version": str(version),
            "csrf_token": token,
            "findings_seen": "true",
        },
    )
    notice = soup(answer.text).select_one("#decision .notice.error")
    return answer.status_code, notice.text if notice else ""


def _buttons(client: TestClient, pid: int) -> str:
    return " ".join(b.text for b in soup(client.get(f"/projects/{pid}").text).select("button"))


def test_the_submitter_cannot_approve_on_the_page(client: TestClient, imported: Site) -> None:
    pid = project_id(imported, "物业管理费")
    with transaction(imported.factory) as db:  # submitting needs the errors waived first
        for finding in reviews.blocking_findings(db, pid):
            reviews.waive(db, SYSTEM, finding.id, "已核实，属合理情形")
    token = login(client, "deptrev")
    assert _decide(client, imported, pid, "submit", token)[0] == 303
    assert "部门审核通过" not in _buttons(client, pid)
    status, reason = _decide(client, imported, pid, "dept_approve", token)
    assert status == 403
    assert "职责分离" in reason
    client.cookies.clear()
    token = login(client, "admin")
    assert "部门审核通过" not in _buttons(client, pid)
    status, reason = _decide(client, imported, pid, "dept_approve", token)
    assert status == 403
    assert "管理员不参与审核" in reason
    client.cookies.clear()
    token = login(client, "deptrev2")
    assert "部门审核通过" in _buttons(client, pid)
    assert _decide(client, imported, pid, "dept_approve", token)[0] == 303
