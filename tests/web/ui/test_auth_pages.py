from fastapi.testclient import TestClient

from jixiao.db.session import transaction
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserUpdate

from .conftest import PASSWORD, Site, csrf_of, login, soup


def test_login_page_is_chinese_and_carries_a_csrf_token(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert "登录" in page.text
    assert len(csrf_of(page.text)) >= 32
    assert "jixiao_anon" in page.headers["set-cookie"]
    assert "HttpOnly" in page.headers["set-cookie"]


def test_pages_redirect_to_login_with_the_wanted_path(client: TestClient) -> None:
    response = client.get("/projects?year=2023")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert "%2Fprojects" in response.headers["location"]


def test_htmx_requests_without_login_get_a_client_redirect(client: TestClient) -> None:
    response = client.get("/projects", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login")


def test_login_sets_an_httponly_lax_session_cookie(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "unit",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "/projects",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/projects"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("jixiao_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()


def test_wrong_password_shows_the_form_again_with_a_message(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "unit", "password": "nope", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 401
    notice = soup(response.text).select_one(".notice.error")
    assert notice is not None
    assert "用户名或密码错误" in notice.text
    assert soup(response.text).select_one("input[name=username]")["value"] == "unit"


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "unit", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert "jixiao_session" not in response.headers.get("set-cookie", "")


def test_login_never_redirects_off_site(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "unit",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/x",
        },
    )
    assert response.headers["location"] == "/"


def test_logout_needs_the_session_csrf_token_and_ends_the_session(client: TestClient) -> None:
    token = login(client, "unit")
    refused = client.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert client.get("/").status_code == 200
    done = client.post("/logout", data={"csrf_token": token})
    assert done.status_code == 303
    assert client.get("/").status_code == 303


def test_the_htmx_header_token_is_accepted(client: TestClient) -> None:
    token = login(client, "unit")
    response = client.post("/logout", headers={"X-CSRF-Token": token})
    assert response.status_code == 303


def test_a_deactivated_account_is_sent_to_the_login_form(client: TestClient, site: Site) -> None:
    login(client, "viewer")
    with transaction(site.factory) as db:
        viewer = users.get_user_by_username(db, "viewer")
        users.update_user(db, SYSTEM, viewer.id, UserUpdate(active=False))
    response = client.get("/projects")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert client.get("/login").status_code == 200


def test_unknown_pages_get_a_chinese_404(client: TestClient, site: Site) -> None:
    login(client, "viewer")
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "您要找的页面不存在" in page.text
