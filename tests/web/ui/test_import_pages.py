import httpx
from fastapi.testclient import TestClient

from .conftest import SAMPLE, Site, login, soup


def upload(
    client: TestClient, token: str, content: bytes, name: str = "table.txt", year: str = "2023"
) -> httpx.Response:
    return client.post(
        "/imports/preview",
        data={"csrf_token": token, "year": year},
        files={"file": (name, content, "text/plain")},
    )


def test_preview_then_confirm_imports_everything(client: TestClient, site: Site) -> None:
    token = login(client, "deptrev")
    preview = upload(client, token, SAMPLE.read_bytes(), SAMPLE.name)
    assert preview.status_code == 200, preview.text
    doc = soup(preview.text)
    assert "37" in doc.select(".stat .value")[0].text
    rows = doc.select("table.data.responsive")[0].select("tbody tr")
    assert len(rows) == 37
    salary = next(r for r in rows if "政府雇员工资费用" in r.text)
    assert salary.select_one("td[data-label='总计']").text == "1,714.44"
    assert "JX001" in doc.text
    assert client.get("/projects").text.count("<tr") <= 2  # nothing written yet
    form = {
        i["name"]: i.get("value", "") for i in doc.select("form[action='/imports/confirm'] input")
    }
    done = client.post("/imports/confirm", data=form)
    assert done.status_code == 200
    assert "新增项目 37 个" in done.text
    assert "共 37 个项目" in client.get("/projects").text
    again = client.post("/imports/confirm", data=form)
    assert again.status_code == 410
    assert "已失效" in again.text


def test_cancel_discards_the_upload(client: TestClient, site: Site) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, SAMPLE.read_bytes(), SAMPLE.name).text)
    form = {
        i["name"]: i.get("value", "") for i in doc.select("form[action='/imports/confirm'] input")
    }
    cancelled = client.post("/imports/cancel", data=form)
    assert cancelled.status_code == 303
    assert client.post("/imports/confirm", data=form).status_code == 410
    assert not list((site.settings.data_dir / "uploads").iterdir())


def test_unreadable_and_empty_files_get_a_clear_message(client: TestClient, site: Site) -> None:
    token = login(client, "deptrev")
    binary = upload(client, token, bytes(range(256)) * 40, "scan.txt")
    assert binary.status_code == 422
    notice = soup(binary.text).select_one(".notice.error").text
    assert notice.startswith("无法导入“scan.txt”")
    empty = upload(client, token, b"", "empty.txt")
    assert empty.status_code in (422,)
    assert "文件为空" in soup(empty.text).select_one(".notice.error").text
    missing = client.post("/imports/preview", data={"csrf_token": token})
    assert missing.status_code == 422
    assert "请选择要导入的文件" in missing.text


def test_too_large_files_are_refused_before_reading(client: TestClient, site: Site) -> None:
    site.settings.max_upload_bytes = 10_000
    token = login(client, "deptrev")
    refused = upload(client, token, b"x" * 20_000, "big.txt")
    assert refused.status_code == 413
    assert "文件过大" in soup(refused.text).select_one(".notice.error").text


def test_unit_editors_cannot_import(client: TestClient, site: Site) -> None:
    token = login(client, "unit")
    assert client.get("/imports").status_code == 403
    refused = upload(client, token, SAMPLE.read_bytes(), SAMPLE.name)
    assert refused.status_code == 403


def test_upload_form_offers_exactly_the_registered_kinds(client: TestClient, site: Site) -> None:
    from jixiao.ingest.readers import KINDS

    login(client, "deptrev")
    field = soup(client.get("/imports").text).select_one("input[type=file]")
    assert field is not None
    offered = str(field["accept"]).split(",")
    registered = [ext for kind in KINDS for ext in kind.extensions]
    assert offered == [".json", *dict.fromkeys(registered)]
    assert len(offered) == len(set(offered))  # .txt once, though two kinds read it


def test_workbook_upload_is_previewed(client: TestClient, site: Site) -> None:
    from jixiao.export import render, target_sheets
    from jixiao.ingest import read_document

    document = read_document(SAMPLE)
    workbook = render(target_sheets(document), "xlsx")
    token = login(client, "deptrev")
    preview = upload(client, token, workbook, "白云区目标表.xlsx")
    assert preview.status_code == 200, preview.text
    assert len(soup(preview.text).select("table.data.responsive")[0].select("tbody tr")) == 37


def test_cut_off_file_is_imported_only_with_the_checkbox(client: TestClient, site: Site) -> None:
    token = login(client, "deptrev")
    preview = upload(client, token, SAMPLE.read_bytes()[:20000], "cut.txt")
    assert preview.status_code == 200, preview.text
    doc = soup(preview.text)
    notice = doc.select_one("#incomplete-table")
    assert notice is not None
    assert "第35行" in notice.text
    box = doc.select_one("form[action='/imports/confirm'] input[name='allow_incomplete']")
    assert box is not None
    assert box.has_attr("required")
    form = {
        i["name"]: i.get("value", "")
        for i in doc.select("form[action='/imports/confirm'] input")
        if i["name"] != "allow_incomplete"
    }
    refused = client.post("/imports/confirm", data=form)
    assert refused.status_code == 422
    assert "共 19 个项目" not in client.get("/projects").text
    done = client.post("/imports/confirm", data={**form, "allow_incomplete": "true"})
    assert done.status_code == 200, done.text
    assert "新增项目 19 个" in done.text


def test_preview_shows_the_cells_each_project_came_from(client: TestClient, site: Site) -> None:
    from jixiao.export import render, target_sheets
    from jixiao.ingest import read_document

    workbook = render(target_sheets(read_document(SAMPLE)), "xlsx")
    token = login(client, "deptrev")
    doc = soup(upload(client, token, workbook, "白云区目标表.xlsx").text)
    sources = [td.text for td in doc.select("td[data-label='来源']")]
    assert len(sources) == 37
    assert all(s.startswith("单元格 ") and "!" in s for s in sources)


def test_a_table_of_another_kind_is_named_once_and_said_in_chinese(
    client: TestClient, site: Site
) -> None:
    token = login(client, "deptrev")
    text = "会议纪要\n今天讨论了办公用品采购事宜。\n".encode()
    refused = upload(client, token, text, "纪要.txt")
    assert refused.status_code == 422
    notice = soup(refused.text).select_one(".notice.error").text.strip()
    assert notice.count("纪要.txt") == 1
    assert "不是项目支出绩效目标表" in notice
    assert "(not a" not in notice
