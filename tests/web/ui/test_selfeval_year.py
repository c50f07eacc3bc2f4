"""年度自评汇总: published against recomputed totals per project, and its Excel download."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jixiao.db.session import transaction
from jixiao.services.evaluations.published import attach_published
from jixiao.services.principal import SYSTEM

from .conftest import DEPARTMENT, Site, login, soup

PUBLISHED = "\n".join(
    [
        "项目支出绩效自评表（2023年度）",
        "项目名称,,物业管理费",
        f"主管部门,,{DEPARTMENT}",
        "项目资金（万元）,,,全年预算数,全年执行数,分值,执行率,得分",
        ",,年度资金总额,100.00,90.00,10,90.00%,10",
        "绩效指标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分",
        ",1-产出指标,11-数量指标,服务天数,≥365天,300天,90,90",
        "总分,,,,,,100,100",
    ]
).encode("utf-8")


def _attach(site: Site) -> None:
    with transaction(site.factory) as db:
        [attached] = attach_published(db, SYSTEM, PUBLISHED, "自评表.csv")
        assert attached.project_id is not None


def test_the_year_list_shows_published_against_recomputed(
    client: TestClient, imported: Site
) -> None:
    _attach(imported)
    login(client, "finance")
    page = soup(client.get("/self-evaluations", params={"year": 2023}).text)
    [row] = page.select("#selfeval-year tbody tr")
    cells = [td.text.strip() for td in row.select("td")]
    assert cells[1:4] == ["物业管理费", "100", "82.97"]
    assert "differs" in row["class"]
    assert page.select_one("#count-differs").text.startswith("1")
    assert int(cells[5]) >= 2  # SC003 and SC006 at least
    empty = soup(client.get("/self-evaluations", params={"year": 2022}).text)
    assert "还没有自评记录" in empty.select_one("#selfeval-year").text


def test_the_year_list_downloads_as_excel(client: TestClient, imported: Site) -> None:
    _attach(imported)
    login(client, "viewer")
    response = client.get("/self-evaluations/download.xlsx", params={"year": 2023})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if "项目名称" in row)
    assert values[header + 1][1:4] == ["物业管理费", 100, 82.97]


def test_the_dashboard_counts_published_totals_that_differ(
    client: TestClient, imported: Site
) -> None:
    login(client, "finance")
    before = soup(client.get("/dashboard/results", params={"year": 2023}).text)
    assert before.select_one("#differs-link") is None
    _attach(imported)
    after = soup(client.get("/dashboard/results", params={"year": 2023}).text)
    link = after.select_one("#differs-link")
    assert link is not None
    assert link.text == "公布总分与复核不符 1 个"
    assert link["href"] == "/self-evaluations?year=2023"
