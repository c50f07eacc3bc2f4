"""指标库 as Excel on the pages: download, upload → preview → confirm, stale and refused files."""

from __future__ import annotations

import io

import httpx
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from factories import workbook_bytes

from .conftest import Site, login, soup


def upload(client: TestClient, token: str, content: bytes, name: str = "库.xlsx") -> httpx.Response:
    return client.post(
        "/library/book/preview",
        data={"csrf_token": token},
        files={"file": (name, content, "application/octet-stream")},
    )


def confirm_form(html: str) -> dict[str, str]:
    inputs = soup(html).select("#book-confirm input")
    return {str(i["name"]): str(i.get("value", "")) for i in inputs}


def test_export_download_reads_back(client: TestClient, imported: Site) -> None:
    login(client, "viewer")
    index = soup(client.get("/library").text)
    assert index.select_one("#library-export") is not None
    assert index.select_one("#library-import") is None  # a viewer does not curate
    got = client.get("/library/book/export")
    assert got.status_code == 200
    assert "filename*=UTF-8''%E7%BB%A9%E6%95%88" in got.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(got.content)).active
    assert ws is not None
    assert ws.max_row > 100  # the sample's indicators
    assert client.get("/library/book/upload").status_code == 403


def test_preview_then_confirm_then_gone(client: TestClient, imported: Site) -> None:
    token = login(client, "finance")
    exported = client.get("/library/book/export").content
    same = upload(client, token, exported, "绩效指标库.xlsx")
    assert same.status_code == 200
    assert "无变化" in soup(same.text).select_one("#book-summary").text
    assert soup(same.text).select_one("#book-confirm button[type=submit]").has_attr("disabled")
    rows = [
        ["三级指标", "二级指标", "指标解释", "推荐"],
        ["档案归档率", "质量指标", "归档的比例", "是"],
    ]
    preview = upload(client, token, workbook_bytes(rows))
    assert preview.status_code == 200, preview.text
    new = soup(preview.text).select("#book-new tbody tr")
    assert [r.select_one("td[data-label='三级指标']").text for r in new] == ["档案归档率"]
    form = confirm_form(preview.text)
    done = client.post("/library/book/confirm", data=form)
    assert done.status_code == 303
    assert "created=1&updated=0" in done.headers["location"]
    shown = client.get(done.headers["location"]).text
    assert "新增 1 条，修改 0 条" in soup(shown).select_one("#book-imported").text
    again = client.post("/library/book/confirm", data=form)
    assert again.status_code == 410
    assert "已失效" in soup(again.text).select_one("#book-error").text


def test_a_preview_made_stale_is_refused(client: TestClient, imported: Site) -> None:
    token = login(client, "admin")
    rows = [["二级指标", "三级指标", "参考值"], ["质量指标", "档案归档率", "≥95%"]]
    first = confirm_form(upload(client, token, workbook_bytes(rows), "a.xlsx").text)
    rows[1][2] = "≥99%"
    other = workbook_bytes(rows)
    second = confirm_form(upload(client, token, other, "b.xlsx").text)
    assert client.post("/library/book/confirm", data=first).status_code == 303
    stale = client.post("/library/book/confirm", data=second)
    assert stale.status_code == 409
    assert "请重新上传预览" in soup(stale.text).select_one("#book-error").text


def test_refused_rows_are_listed_and_cannot_be_confirmed(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "admin")
    rows = [
        ["二级指标", "三级指标", "推荐"],
        ["", "无二级", "是"],
        ["质量指标", "推荐乱填", "或许"],
    ]
    preview = upload(client, token, workbook_bytes(rows))
    refused = [li.text for li in soup(preview.text).select("#book-refused li")]
    assert refused == ["第2行：缺少二级指标", "第3行：“推荐”应填“是”或“否”，而不是“或许”"]
    assert soup(preview.text).select_one("#book-confirm button[type=submit]").has_attr("disabled")
    forced = client.post("/library/book/confirm", data=confirm_form(preview.text))
    assert forced.status_code == 422
    assert "2 行无法导入" in soup(forced.text).select_one("#book-error").text


def test_unreadable_uploads_and_other_roles(client: TestClient, imported: Site) -> None:
    token = login(client, "admin")
    text = upload(client, token, "二级指标,三级指标\n".encode(), "a.csv")
    assert text.status_code == 422
    assert soup(text.text).select_one("#book-error").text.startswith("无法导入“a.csv”：指标库须为")
    missing = client.post("/library/book/preview", data={"csrf_token": token})
    assert missing.status_code == 422
    client.post("/logout", data={"csrf_token": token})
    token = login(client, "unit")
    assert upload(client, token, workbook_bytes([["二级指标", "三级指标"]])).status_code == 403
