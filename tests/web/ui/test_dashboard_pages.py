from fastapi.testclient import TestClient

from factories import create_org, create_project, make_project
from jixiao.db.session import transaction
from jixiao.domain.enums import OrgKind
from jixiao.services.imports import service as imports
from jixiao.services.principal import SYSTEM
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import ProjectUpdate
from jixiao.services.workflow import service as workflow
from jixiao.web.ui.dashboard import TOP_ORGS

from .conftest import SAMPLE, Site, login, soup
from .test_project_pages import project_id
from .test_review_pages import submitted


def test_dashboard_sums_the_scope_and_feeds_the_charts(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    doc = soup(client.get("/").text)
    values = [v.text.strip() for v in doc.select(".stat .value")]
    assert values[0].startswith("37")
    assert values[1].startswith("8,631.02")
    group = doc.select_one("[data-charts]")
    keys = [el["data-chart-key"] for el in group.select(".chart")]
    assert keys == ["dept", "status", "rules", "grades"]
    assert not doc.select("script[type='application/json']"), "chart data is fetched, not inlined"
    answer = client.get(group["data-charts"])
    assert answer.headers["content-type"] == "application/json"
    charts = answer.json()
    status = charts["status"]
    assert status["labels"] == ["草稿"]
    assert status["series"][0]["data"] == [37]
    grades = charts["grades"]
    assert sum(grades["series"][0]["data"]) == 37
    rules = charts["rules"]
    assert rules["labels"][0].startswith("JX")
    dept = charts["dept"]
    assert dept["series"][0]["data"] == ["8631.02"]
    assert "待审核" in doc.select_one("#todo").text


def test_each_reviewer_sees_their_own_step_to_do(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    todo = soup(client.get("/").text).select_one("#todo")
    assert "待填报 37" in " ".join(todo.text.split())


def test_versions_side_by_side_mark_the_changes(client: TestClient, imported: Site) -> None:
    pid = project_id(imported, "物业管理费")
    with transaction(imported.factory) as db:
        detail = projects.get_project(db, SYSTEM, pid)
        projects.update_project(
            db, SYSTEM, pid, ProjectUpdate(version=detail.version, name="物业服务费")
        )
    version_id = detail.versions[0].id
    login(client, "unit")
    page = client.get(f"/projects/{pid}/compare?a={version_id}&b=current")
    assert page.status_code == 200
    doc = soup(page.text)
    changed = doc.select("tr.changed")
    assert [tr.select_one("th").text for tr in changed] == ["项目名称"]
    assert "物业管理费" in changed[0].select_one(".diff-del").text
    assert "物业服务费" in changed[0].select_one(".diff-add").text
    assert "共 1 处不同" in doc.text


def test_compare_never_defaults_to_a_version_with_itself(
    client: TestClient, imported: Site
) -> None:
    pid = project_id(imported, "物业管理费")
    with transaction(imported.factory) as db:
        detail = projects.get_project(db, SYSTEM, pid)
        projects.update_project(
            db, SYSTEM, pid, ProjectUpdate(version=detail.version, name="物业服务费")
        )
    login(client, "unit")
    for query in ("", "?a=current&b=current"):
        doc = soup(client.get(f"/projects/{pid}/compare{query}").text)
        heads = [th.text for th in doc.select("thead th")]
        assert heads[1] != heads[2], query
        assert "共 1 处不同" in doc.select_one("#compare-summary").text


def test_the_chart_data_needs_a_login_and_follows_the_year(
    client: TestClient, imported: Site
) -> None:
    assert client.get("/dashboard/charts").status_code in (303, 401)
    login(client, "finance")
    assert client.get("/dashboard/charts?year=2023").json()["status"]["series"][0]["data"] == [37]
    empty = client.get("/dashboard/charts?year=2031").json()
    assert empty["status"]["labels"] == []
    assert empty["dept"]["labels"] == []


def test_the_to_do_list_shows_open_items_of_every_year_with_their_year(
    client: TestClient, imported: Site
) -> None:
    """Choosing 2024 on the dashboard used to hide a 2023 project returned for correction."""
    returned, _ = submitted(imported, "物业管理费")
    with transaction(imported.factory) as db:
        workflow.transition(db, SYSTEM, returned, "dept_return", comment="请补充指标解释")
        upload = imports.Upload(SAMPLE.read_bytes(), "2024年目标表.txt", 2024, None)
        imports.apply_import(db, SYSTEM, upload)
    login(client, "unit")
    todo = soup(client.get("/?year=2024").text).select_one("#todo")
    years = {span.text for span in todo.select(".todo-year")}
    assert years == {"2023 年度", "2024 年度"}
    back = todo.select_one(f"a[href='/projects/{returned}']").parent
    assert "2023 年度" in back.text
    assert "请补充指标解释" in back.text


def test_the_dashboard_lists_the_largest_departments_and_links_to_all(
    client: TestClient, site: Site
) -> None:
    count = TOP_ORGS + 5
    with transaction(site.factory) as db:
        for n in range(count):
            org = create_org(db, name=f"第{n:02d}部门", kind=OrgKind.DEPARTMENT)
            create_project(db, org=org, domain=make_project(name=f"项目{n}", total=f"{n + 1}.00"))
    login(client, "finance")
    doc = soup(client.get("/").text)
    table = doc.select_one("#by-org")
    shown = [a.text for a in table.select("tbody td:first-child a")]
    assert shown == [f"第{n:02d}部门" for n in range(count - 1, count - 1 - TOP_ORGS, -1)]
    link = table.select_one("a[href*='/dashboard/departments']")
    assert link is not None
    assert f"查看全部 {count} 个" in link.text
    whole = soup(client.get(link["href"]).text)
    rows = [tr.select("td") for tr in whole.select("tbody tr")]
    assert [r[0].text for r in rows] == [f"第{n:02d}部门" for n in range(count - 1, -1, -1)]
    assert [r[2].text for r in rows][-2:] == ["2.00", "1.00"]  # 万元, as the dashboard prints


def test_a_small_scope_shows_every_department_without_a_link(
    client: TestClient, imported: Site
) -> None:
    login(client, "finance")
    table = soup(client.get("/").text).select_one("#by-org")
    assert len(table.select("tbody tr")) == 1
    assert not table.select("a[href*='/dashboard/departments']")
