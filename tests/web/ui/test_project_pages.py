import re

from fastapi.testclient import TestClient

from jixiao.db.session import transaction
from jixiao.services.pagination import PageParams
from jixiao.services.principal import SYSTEM
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import ProjectFilters, ProjectUpdate

from .conftest import Site, login, soup


def project_id(site: Site, name: str) -> int:
    with transaction(site.factory) as db:
        page = projects.list_projects(db, SYSTEM, ProjectFilters(q=name), PageParams())
        return next(p.id for p in page.items if p.name == name)


def names(html: str) -> list[str]:
    return [a.text for a in soup(html).select("#project-table tbody td:first-child a")]


def test_list_shows_projects_with_wan_amounts_and_pages(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    page = client.get("/projects")
    assert page.status_code == 200
    doc = soup(page.text)
    assert "共 37 个项目" in doc.select_one("#result-count").text
    assert len(names(page.text)) == 30
    row = next(tr for tr in doc.select("#project-table tbody tr") if "政府雇员工资费用" in tr.text)
    assert row.select_one("td[data-label='预算（万元）']").text == "1,714.44"
    second = client.get("/projects?page=2")
    assert len(names(second.text)) == 7
    assert not set(names(second.text)) & set(names(page.text))


def test_search_finds_names_and_goal_text(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    assert names(client.get("/projects?q=物业").text) == ["物业管理费"]
    by_goal = names(client.get("/projects?q=联边办公区").text)
    assert by_goal == ["物业管理费"]


def test_sorting_by_budget_descending(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    doc = soup(client.get("/projects?sort=total&dir=desc").text)
    cells = [td.text for td in doc.select("td[data-label='预算（万元）']")]
    amounts = [float(c.replace(",", "")) for c in cells]
    assert amounts == sorted(amounts, reverse=True)
    assert names(str(doc))[0] == "化妆品产业专项扶持政策经费及工作经费"
    header = doc.select_one("th a.sort.on")
    assert header is not None
    assert "↓" in header.text


def test_filters_by_grade_status_and_rule(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    poor = soup(client.get("/projects?grade=poor").text)
    assert all(b.text == "差" for b in poor.select("td[data-label='质量等级'] .badge"))
    assert "物业管理费" in names(str(poor))
    jx001 = names(client.get("/projects?rule=JX001").text)
    assert "物业管理费" in jx001
    assert len(jx001) < 37
    assert names(client.get("/projects?status=approved").text) == []
    assert names(client.get("/projects?status=nonsense&year=abc").text)  # bad input ignored


def test_detail_groups_indicators_as_the_official_table(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    page = client.get(f"/projects/{project_id(imported, '物业管理费')}")
    assert page.status_code == 200
    assert soup(page.text).title.text == "物业管理费 · 绩效目标管理"
    table = soup(page.text).select_one("table.official")
    groups = [(td.text, td["rowspan"]) for td in table.select("td.group")]
    assert groups[0] == ("1-产出指标", "3")
    assert ("12-质量指标", "2") in groups
    row = next(tr for tr in table.select("tbody tr") if "每月考评达标率" in tr.text)
    finding = row.select_one(".finding.error")
    assert finding is not None
    assert "JX001" in finding.text
    assert "应属一级指标＝3-满意度指标" in finding.select_one(".evidence").text
    assert finding.select_one(".fix").text.strip()


def test_detail_shows_funding_repairs_and_the_approver_trail(
    client: TestClient, imported: Site
) -> None:
    login(client, "finance")
    doc = soup(client.get(f"/projects/{project_id(imported, '政府雇员工资费用')}").text)
    funding = [td.text for td in doc.select("#main table.data")[0].select("td")]
    assert funding[:2] == ["1,714.44", "1,714.44"]
    assert doc.select_one("#repairs") is not None
    assert doc.select_one("#repairs .diff-add") is not None
    assert "尚无流程记录" in doc.select_one("#history").text


def test_unknown_and_out_of_scope_projects_are_404_pages(
    client: TestClient, imported: Site
) -> None:
    login(client, "unit")
    missing = client.get("/projects/999999")
    assert missing.status_code == 404
    assert "项目不存在或无权查看" in missing.text
    assert soup(missing.text).select_one("header nav") is not None


def test_project_names_are_escaped_everywhere(client: TestClient, imported: Site) -> None:
    pid = project_id(imported, "物业管理费")
    evil = "<script>alert(1)</script>"
    with transaction(imported.factory) as db:
        version = projects.get_project(db, SYSTEM, pid).version
        projects.update_project(db, SYSTEM, pid, ProjectUpdate(version=version, name=evil))
    login(client, "unit")
    for path in ("/", "/projects?q=script", f"/projects/{pid}", f"/projects/{pid}/edit"):
        html = client.get(path).text
        assert evil not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_security_headers_forbid_inline_scripts(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    page = client.get("/projects")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"<script>(?!\s*$)", page.text)
    assert " on" not in "".join(re.findall(r"<[^>]+ on[a-z]+=", page.text))


def test_htmx_filtering_gets_only_the_table(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    fragment = client.get("/projects?q=物业", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert names(fragment.text) == ["物业管理费"]


def test_repairs_show_where_in_the_source_they_were_made(
    client: TestClient, imported: Site
) -> None:
    login(client, "finance")
    doc = soup(client.get(f"/projects/{project_id(imported, '物业管理费')}").text)
    assert "第 9 行" in doc.select_one("#source-ref").text
    assert "baiyun-amr-2023-targets.ocr.txt" in doc.select_one("#source-ref").text
    repair = doc.select_one("#repairs tbody tr")
    assert "日常办 公需求" in repair.select_one(".diff-del").text
    assert "日常办公需求" in repair.select_one(".diff-add").text


def test_history_restore_gets_the_whole_page(client: TestClient, imported: Site) -> None:
    login(client, "finance")
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    page = client.get("/projects?q=物业", headers=headers)
    assert "<html" in page.text


def test_a_page_past_the_end_shows_the_last_page(client: TestClient, imported: Site) -> None:
    login(client, "viewer")
    doc = soup(client.get("/projects?page=99").text)
    assert "第 2 / 2 页" in doc.select_one(".pager").text
    assert doc.select("#project-table tbody tr a")  # not an empty page


def test_repair_table_names_fields_in_chinese(client: TestClient, imported: Site) -> None:
    login(client, "viewer")
    pid = project_id(imported, "政府雇员工资费用")
    cells = [
        tr.select_one("td").text
        for tr in soup(client.get(f"/projects/{pid}").text).select("#repairs tbody tr")
    ]
    assert cells
    assert not [c for c in cells if re.search(r"[A-Za-z]", c)], cells
