"""The monitoring, self-evaluation and score pages on the imported sample (物业管理费)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jixiao.services.monitoring.shared import profile_named
from jixiao.web.ui import evaluation_form as ef
from jixiao.web.ui import monitoring_form as mf

from .conftest import Site, csrf_of, login, soup
from .test_project_pages import project_id

ROUND = "/projects/{pid}/monitoring/2023/7"
SELFEVAL = "/projects/{pid}/self-evaluation/2023"


def monitoring_form(token: str, **extra: str) -> dict[str, str]:
    """物业管理费 in July: 40% spent, 150 of 365 days (yellow), the rest on track."""
    return {
        "csrf_token": token,
        "executed": "50",
        "forecast": "125",
        "i4-actual": "92",
        "i1-actual": "5",
        "i0-actual": "150",
        "i2-actual": "100",
        "i3-tier": "achieved",
        "i5-tier": "achieved",
        **extra,
    }


def test_results_page_links_rounds_and_self_evaluation(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    pid = project_id(imported, "物业管理费")
    detail = soup(client.get(f"/projects/{pid}").text)
    assert detail.select_one(f'a[href="/projects/{pid}/results"]') is not None
    page = soup(client.get(f"/projects/{pid}/results").text)
    assert "尚无监控记录" in page.select_one("#monitoring").text
    opened = client.get(f"/projects/{pid}/monitoring", params={"year": 2023, "end_month": 7})
    assert (opened.status_code, opened.headers["location"]) == (303, ROUND.format(pid=pid))


def test_round_form_offers_numbers_tiers_likelihood_and_causes(
    client: TestClient, imported: Site
) -> None:
    login(client, "unit")
    pid = project_id(imported, "物业管理费")
    doc = soup(client.get(ROUND.format(pid=pid)).text)
    rows = doc.select("#indicators tbody tr")
    assert rows[0]["data-indicator"] == "提供全年日常物业管理服务天数"
    assert rows[0].select_one("input[name=i0-actual]") is not None
    tiers = [o.text for o in rows[3].select("select[name=i3-tier] option")][1:]
    assert tiers == ["达成", "部分达成", "未达成"]
    likelihood = [o.text for o in rows[4].select("select[name=i4-likelihood] option")][1:]
    assert likelihood == ["确定能", "有可能", "完全不可能"]
    causes = [c.parent.text for c in rows[4].select("input[name=i4-causes]")]
    assert causes == ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
    assert "125" in doc.select_one("#budget").text


def test_bad_numbers_are_refused_next_to_their_fields(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    pid = project_id(imported, "物业管理费")
    url = ROUND.format(pid=pid)
    token = csrf_of(client.get(url).text)
    bad = client.post(url, data=monitoring_form(token, executed="五十", **{"i0-actual": "-1"}))
    assert bad.status_code == 422
    doc = soup(bad.text)
    assert "须为不小于 0 的数字" in doc.select_one('[data-error-for="executed"]').text
    assert doc.select_one('[data-error-for="i0-actual"]') is not None
    assert doc.select_one("input[name=executed]")["value"] == "五十"  # the input is kept
    assert "尚无监控记录" in client.get(f"/projects/{pid}/results").text


def test_saved_round_shows_lights_and_asks_for_reasons(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    pid = project_id(imported, "物业管理费")
    url = ROUND.format(pid=pid)
    token = csrf_of(client.get(url).text)
    note = "<script>alert(1)</script>人手不足"
    saved = client.post(url, data=monitoring_form(token, **{"i0-cause_note": note}))
    assert (saved.status_code, saved.headers["location"]) == (303, url + "?saved=1")
    page = client.get(url + "?saved=1")
    doc = soup(page.text)
    assert "待补正" in doc.select_one(".notice.warn").text
    lights = {
        r["data-subject"]: r.select_one(".light")["class"][1]
        for r in doc.select("#lights tr[data-subject]")
    }
    assert lights["预算执行"] == "yellow"  # 40% against 58.33% of the year
    assert lights["提供全年日常物业管理服务天数"] == "yellow"  # 150 of 212.92 days
    assert "须勾选偏差原因类别" in doc.select_one('[data-error-for="i0-causes"]').text
    assert doc.select_one('[data-error-for="budget_deviation"]') is not None
    assert "<script>alert(1)</script>" not in page.text  # user text is escaped
    assert note in doc.select_one("textarea[name=i0-cause_note]").text
    fixed = monitoring_form(
        token,
        version=doc.select_one("input[name=version]")["value"],
        budget_deviation="合同按季度支付",
        **{"i0-causes": "staffing", "i0-cause_note": "上半年人手不足", "i0-measures": "增加外包"},
    )
    assert client.post(url, data=fixed).status_code == 303
    doc = soup(client.get(url + "?saved=1").text)
    assert doc.select_one(".notice.ok") is not None
    assert doc.select("[data-error-for]") == []
    assert doc.select_one("input[name=i0-causes][value=staffing]").has_attr("checked")
    stale = client.post(url, data={**fixed, "version": "1"})
    assert stale.status_code == 409
    assert "已被他人保存" in soup(stale.text).select_one("#conflict").text


def test_round_downloads_and_readonly_roles(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    url = ROUND.format(pid=pid)
    client.post(url, data=monitoring_form(token))
    xlsx = client.get(f"{url}/download.xlsx")
    assert xlsx.status_code == 200
    assert "filename*=UTF-8''" in xlsx.headers["content-disposition"]
    assert xlsx.headers["cache-control"] == "no-store"  # one user's table, never cached
    assert xlsx.headers["x-content-type-options"] == "nosniff"
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    assert ws["A1"].value == "项目支出绩效目标执行监控表（2023年1–7月）"
    assert client.get(f"{url}/download.pdf").content.startswith(b"%PDF")
    assert client.get(f"{url}/download.docx").status_code == 404
    assert client.post(url, data=monitoring_form("forged")).status_code == 403  # CSRF
    client.cookies.clear()
    viewer_token = login(client, "viewer")
    doc = soup(client.get(url).text)
    assert doc.select_one("#monitoring-form fieldset").has_attr("disabled")
    assert doc.select_one("#monitoring-form button[type=submit]") is None
    assert client.post(url, data=monitoring_form(viewer_token)).status_code == 403


def selfeval_form(token: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "budget": "125",
        "executed": "125",
        "i4-actual": "95",
        "i1-actual": "2",
        "i0-actual": "365",
        "i2-actual": "100",
        "i3-tier": "achieved",
        "i5-tier": "achieved",
        "i5-tier_percent": "90",
        **extra,
    }


def test_self_evaluation_validates_bands_and_shows_the_explained_score(
    client: TestClient, imported: Site
) -> None:
    login(client, "unit")
    pid = project_id(imported, "物业管理费")
    url = SELFEVAL.format(pid=pid)
    doc = soup(client.get(url).text)
    token = csrf_of(str(doc))
    assert doc.select_one("input[name=budget]")["value"] in ("125", "125.00")
    assert doc.select_one("select[name=i3-tier]") is not None
    out_of_band = client.post(url, data=selfeval_form(token, **{"i5-tier_percent": "50"}))
    assert out_of_band.status_code == 422
    error = soup(out_of_band.text).select_one('[data-error-for="i5-tier_percent"]').text
    assert "80%–100%" in error
    missing = client.post(url, data=selfeval_form(token, **{"i0-actual": ""}))
    assert soup(missing.text).select_one('[data-error-for="i0-actual"]') is not None
    saved = client.post(url, data=selfeval_form(token, **{"i0-actual": "300"}))
    assert (saved.status_code, saved.headers["location"]) == (303, f"{url}/score?saved=1")
    score = soup(client.get(f"{url}/score?saved=1").text)
    lines = {r["data-line"]: r for r in score.select("#score-lines tbody tr")}
    days = lines["提供全年日常物业管理服务天数"]
    cells = [td.text.strip() for td in days.select("td")]
    assert cells[2:4] == ["365天", "300天"]
    assert "300/365" in cells[5]
    assert Decimal(score.select_one("#score-total").text.replace("分", "")) < 100
    assert "待补正" in score.select_one("#issues").text
    form = soup(client.get(url).text)
    assert "偏差原因" in form.select_one('[data-error-for="i0-deviation"]').text
    xlsx = client.get(f"{url}/download.xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    assert ws["A1"].value == "项目支出绩效自评表（2023年度）"
    assert client.get(f"{url}/download.pdf").content.startswith(b"%PDF")


def test_score_page_needs_a_saved_evaluation(client: TestClient, imported: Site) -> None:
    login(client, "viewer")
    pid = project_id(imported, "物业管理费")
    assert client.get(SELFEVAL.format(pid=pid) + "/score").status_code == 404
    assert client.get("/projects/999999/results").status_code == 404


def test_dashboard_shows_execution_rate_lights_and_scores(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    home = soup(client.get("/?year=2023").text)
    loader = home.select_one("#results-overview")
    assert loader["hx-get"] == "/dashboard/results?year=2023"
    empty = soup(client.get("/dashboard/results?year=2023", headers={"HX-Request": "true"}).text)
    assert "尚无监控或自评记录" in empty.text
    client.post(ROUND.format(pid=pid), data=monitoring_form(token))
    client.post(SELFEVAL.format(pid=pid), data=selfeval_form(token, **{"i0-actual": "300"}))
    doc = soup(client.get("/dashboard/results?year=2023").text)
    assert doc.select_one("#monitored-count").text.startswith("1")
    assert doc.select_one("#execution-rate").text == "40.00%"  # 50 of 125 万元
    assert doc.select_one("#evaluated-count").text.startswith("1")
    lights = json.loads(doc.select_one("#chart-lights").text)
    assert (lights["labels"], lights["series"][0]["data"]) == (["黄灯"], [1])
    indicator_lights = json.loads(doc.select_one("#chart-indicator-lights").text)
    assert (indicator_lights["labels"], indicator_lights["series"][0]["data"]) == (
        ["黄灯", "绿灯"],
        [1, 5],
    )
    scores = json.loads(doc.select_one("#chart-scores").text)
    assert sum(scores["series"][0]["data"]) == 1
    assert "2024" in soup(client.get("/dashboard/results?year=2024").text).select_one("h2").text


TEMPLATE = {
    "name": "样例",
    "funds": [],
    "indicators": [
        {"level2": "11-数量指标", "name": "培训人次", "target": "≥200人次"},
        {"level2": "21-社会效益", "name": "群众知晓度", "target": "明显提高"},
        {"level2": "13-时效指标", "name": "完成时间", "target": "2023年12月31日前"},
    ],
}


def test_monitoring_form_without_a_budget_line_and_service_errors() -> None:
    errors: dict[str, str] = {}
    form = {"i0-actual": "120", "i1-tier": "partial", "i1-causes": ["funding", "bogus"]}
    entry = mf.entry_from(TEMPLATE, form, errors)
    assert (errors, entry["funds"]) == ({}, [])
    assert entry["indicators"][0]["actual"] == "120"
    assert (entry["indicators"][1]["tier"], entry["indicators"][1]["causes"]) == (
        "partial",
        ["funding"],
    )
    mf.entry_from(TEMPLATE, {"forecast": "10"}, errors)
    assert errors == {"executed": "请填写截至本期执行数（万元）"}
    message = "projects[0].indicators[0].actual：须为数值，得到 'x'"
    assert mf.path_error(message, {"i0-actual": "x"}) == ("i0-actual", "须为数值，得到 'x'")
    assert mf.path_error("projects[0].funds[0].budget：须为数值", {"executed": ""})[0] == "_"


def test_self_evaluation_form_kinds_bands_and_not_applicable() -> None:
    profile = profile_named(None)
    errors: dict[str, str] = {}
    form = {
        "budget": "10",
        "executed": "9.5",
        "i0-actual": "210",
        "i1-tier": "not_achieved",
        "i1-tier_percent": "61",
        "i2-na": "1",
    }
    entry = ef.entry_from(TEMPLATE, form, profile, errors)
    assert errors == {"i1-tier_percent": "“未达成”的得分率须在 0%–60% 之间"}
    assert entry["indicators"][2]["not_applicable"] is True
    assert "actual_date" not in entry["indicators"][2]
    form.update({"i1-tier_percent": "", "i2-na": "", "i2-actual_date": "2023-12-20"})
    errors.clear()
    entry = ef.entry_from(TEMPLATE, form, profile, errors)
    assert errors == {}
    assert entry["indicators"][2]["actual_date"] == "2023-12-20"
    assert entry["funds"] == [{"line": "total", "budget": "10", "executed": "9.5"}]
    assert [r.kind for r in ef.rows_of(TEMPLATE)] == ["number", "tier", "date"]


def test_the_profile_is_picked_from_the_bundled_ones(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    url = ROUND.format(pid=pid)
    options = [o.text for o in soup(client.get(url).text).select("select[name=profile] option")]
    assert options == ["全国默认口径", "山西式地方口径（较严）"]
    refused = client.post(url, data=monitoring_form(token, profile="/etc/passwd"))
    assert refused.status_code == 422
    assert soup(refused.text).select_one('[data-error-for="profile"]') is not None
    assert client.post(url, data=monitoring_form(token, profile="shanxi")).status_code == 303
    chosen = soup(client.get(url).text).select_one("select[name=profile] option[selected]")
    assert chosen["value"] == "shanxi"
    s_url = SELFEVAL.format(pid=pid)
    assert client.post(s_url, data=selfeval_form(token, profile="shanxi")).status_code == 303
    profile = soup(client.get(f"{s_url}/score").text).select_one("#score-profile")
    assert profile.text == "评分口径：山西式地方口径（较严）"


def test_an_overlong_note_is_refused_next_to_its_field(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    url = ROUND.format(pid=project_id(imported, "物业管理费"))
    token = csrf_of(client.get(url).text)
    long = client.post(url, data=monitoring_form(token, **{"i0-cause_note": "慢" * 2001}))
    assert long.status_code == 422
    shown = soup(long.text).select_one('[data-error-for="i0-cause_note"]')
    assert shown is not None
    assert "最多 2000 个字符" in shown.text
