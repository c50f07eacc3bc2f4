from fastapi.testclient import TestClient

from .conftest import Site, login, soup


def test_admin_lists_and_creates_users(client: TestClient, site: Site) -> None:
    token = login(client, "admin")
    page = soup(client.get("/users").text)
    assert [td.text for td in page.select("td[data-label='用户名']")] == [
        "admin",
        "auditor",
        "deptrev",
        "deptrev2",
        "finance",
        "security",
        "unit",
        "viewer",
    ]
    form = {
        "username": "lisi",
        "display_name": "李四",
        "password": "long-enough-1",
        "role": "unit_editor",
        "org_id": str(site.department_id),
        "csrf_token": token,
    }
    created = client.post("/users", data=form)
    assert created.status_code == 303
    assert "李四" in client.get("/users?done=created").text
    duplicate = client.post("/users", data=form)
    assert duplicate.status_code == 409  # as the API answers a taken username
    assert "已存在" in soup(duplicate.text).select_one(".notice.error").text
    short = client.post("/users", data={**form, "username": "wangwu", "password": "short"})
    assert "密码至少 8 位" in soup(short.text).select_one(".field.invalid .err").text
    no_org = client.post("/users", data={**form, "username": "zhao", "org_id": ""})
    assert no_org.status_code == 422


def test_admin_changes_role_state_and_password(client: TestClient, site: Site) -> None:
    token = login(client, "admin")
    doc = soup(client.get("/users").text)
    viewer_row = next(tr for tr in doc.select("tbody tr") if "viewer" in tr.text)
    action = viewer_row.select_one("form")["action"]
    changed = client.post(
        action, data={"role": "finance_reviewer", "org_id": "", "active": "0", "csrf_token": token}
    )
    assert changed.status_code == 303
    row = next(
        tr for tr in soup(client.get("/users").text).select("tbody tr") if "viewer" in tr.text
    )
    assert "财政审核" in row.text
    assert "停用" in row.select_one("td[data-label='状态']").text
    assert (
        client.post(action, data={"password": "another-pass-2", "csrf_token": token}).status_code
        == 303
    )


def test_only_admins_manage_users(client: TestClient, site: Site) -> None:
    token = login(client, "finance")
    assert client.get("/users").status_code == 403
    form = {"username": "x1", "password": "long-enough-1", "role": "viewer", "csrf_token": token}
    refused = client.post("/users", data=form)
    assert refused.status_code == 403
