from fastapi.testclient import TestClient

from .conftest import Site, login, soup


def test_review_queue_lists_submitted_projects(client: TestClient, imported: Site) -> None:
    login(client, "deptrev")
    page = client.get("/reviews")
    assert page.status_code == 200, page.text
    assert "部门审核：待审 0 个" in soup(page.text).text
