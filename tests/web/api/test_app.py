"""The assembled app: API at /api/v1, its schema at /openapi.json, pages at /."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jixiao.settings import Settings
from jixiao.web.main import create_app


def test_app_mounts_api_schema_and_pages(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        health = client.get("/api/v1/health")
        assert health.json()["status"] == "ok"
        schema = client.get("/openapi.json").json()
        assert schema["servers"] == [{"url": "/api/v1"}]
        assert "/projects/{project_id}" in schema["paths"]
        assert client.get("/api/v1/openapi.json").status_code == 200
        page = client.get("/", follow_redirects=False)
        assert page.status_code in (200, 303)
        assert "application/json" not in page.headers.get("content-type", "")
