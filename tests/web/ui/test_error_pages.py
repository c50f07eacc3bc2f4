"""Malformed query or path values get a Chinese page (or an HTMX toast), never API JSON."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import Site, login, soup


def _is_error_page(response_text: str) -> bool:
    doc = soup(response_text)
    return doc.select_one("header nav") is not None and doc.select_one("h1") is not None


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("/projects?page=abc", "页码（page）应为整数"),
        ("/projects?page=0", "页码（page）超出允许范围"),
        ("/?year=x", "年度（year）应为整数"),
        ("/dashboard/results?year=二〇二三", "年度（year）应为整数"),
    ],
)
def test_bad_query_values_get_a_chinese_page(
    client: TestClient, imported: Site, url: str, phrase: str
) -> None:
    login(client, "admin")
    response = client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert _is_error_page(response.text)
    assert "输入有误" in soup(response.text).select_one("h1").text
    assert phrase in response.text
    assert "detail" not in response.text


@pytest.mark.parametrize(
    "url", ["/projects/notanumber", "/projects/1x/edit", "/projects/1/monitoring/abc/3"]
)
def test_unparseable_path_is_a_404_page(client: TestClient, imported: Site, url: str) -> None:
    login(client, "admin")
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert _is_error_page(response.text)
    assert "页面不存在" in response.text


def test_htmx_request_with_bad_value_gets_a_toast(client: TestClient, imported: Site) -> None:
    login(client, "admin")
    response = client.get("/projects?page=abc", headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#toasts"
    assert "页码（page）应为整数" in response.text
    assert soup(response.text).select_one("header nav") is None


def test_anonymous_user_is_sent_to_login_before_validation(
    client: TestClient, imported: Site
) -> None:
    response = client.get("/projects?page=abc")
    assert response.status_code == 303
    assert "/login" in response.headers["location"]
