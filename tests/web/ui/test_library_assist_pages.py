"""The indicator library on the edit page: suggestions, where a value sits, the category picker."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import Site, login, soup

HX = {"HX-Request": "true"}
QUANTITY = "1|11|产出指标|数量指标"


def test_suggestions_list_entries_with_typical_target_and_met_rate(
    client: TestClient, imported: Site
) -> None:
    login(client, "unit")
    page = client.get(
        "/library/suggest",
        params={"name": "抽检", "category": QUANTITY, "form": "ind-new"},
        headers=HX,
    )
    assert page.status_code == 200
    options = soup(page.text).select("#ind-new-suggest-list [role=option]")
    names = [o["data-name"] for o in options]
    assert names[:2] == ["抽检任务完成率", "食品安全抽检量(批次)"]  # 数量指标 first
    first = options[0]
    assert (first["data-unit"], first["data-op"]) == ("%", "=")
    assert "常见目标 100%" in first.get_text()
    assert "暂无自评" in first.get_text()
    assert all(o["id"].startswith("ind-new-opt-") for o in options)
    empty = client.get("/library/suggest", params={"name": " "}, headers=HX)
    assert soup(empty.text).select("[role=option]") == []


def test_rank_says_where_the_typed_value_sits(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    params = {"name": "食品安全抽检量(批次)", "annual_value": "4000", "annual_unit": "批次"}
    html = client.get("/library/rank", params=params, headers=HX).text
    assert soup(html).select_one("[data-rank]").get_text() == "高于 100% 的同类目标"
    params["annual_value"] = "3710"
    assert "高于 50% 的同类目标" in client.get("/library/rank", params=params, headers=HX).text
    params["annual_unit"] = "吨"
    assert "暂无单位为“吨”" in client.get("/library/rank", params=params, headers=HX).text
    params["annual_value"] = "x"
    assert (
        soup(client.get("/library/rank", params=params, headers=HX).text).get_text().strip() == ""
    )


def test_picker_lists_one_categorys_entries(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    html = client.get("/library/pick", params={"category": QUANTITY}, headers=HX).text
    buttons = soup(html).select("button.lib-pick")
    assert buttons
    assert {b["data-category"] for b in buttons} == {QUANTITY}
    assert {b["data-level2"] for b in buttons} == {"数量指标"}
    assert len(buttons) == 30  # the page size: the sample has more 数量指标 entries


def test_the_library_needs_a_login(client: TestClient, imported: Site) -> None:
    answer = client.get("/library/suggest", params={"name": "抽检"}, follow_redirects=False)
    assert answer.status_code in (302, 303, 401)
