"""Published self-evaluations imported through the web: preview with the matches, a choice of
project for each form, confirm, all or nothing (the same service as ``jixiao import``)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import published_selfeval
from jixiao.db.models import Project, SelfEvaluationRecord
from jixiao.db.session import transaction

from .conftest import DEPARTMENT, Site, login, soup
from .test_import_pages import upload
from .test_project_pages import project_id

FILE = published_selfeval([("物业管理费", "100"), ("没有的项目", "90")]).encode()


def _stored(site: Site) -> dict[int, str]:
    with transaction(site.factory) as db:
        rows = db.execute(select(SelfEvaluationRecord.project_id, SelfEvaluationRecord.total))
        return {pid: str(total) for pid, total in rows}


def _confirm_form(doc: BeautifulSoup) -> dict[str, str]:
    form = doc.select_one("form#selfeval-import")
    assert form is not None
    data = {
        i["name"]: i.get("value", "")
        for i in form.select("input[name]")
        if i.get("type") != "checkbox" or i.has_attr("checked")  # as a browser sends them
    }
    for select_ in form.select("select[name]"):
        chosen = select_.select_one("option[selected]")
        data[select_["name"]] = chosen["value"] if chosen else ""
    return data


def _cells(doc: BeautifulSoup, table: str, label: str) -> list[str]:
    return [" ".join(td.text.split()) for td in doc.select(f"#{table} td[data-label='{label}']")]


def test_preview_lists_matches_and_confirm_attaches_them(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "deptrev")
    preview = upload(client, token, FILE, "自评表.csv")
    assert preview.status_code == 200, preview.text
    doc = soup(preview.text)
    assert "2 张自评表：1 张" in doc.select_one("#selfeval-summary").text
    assert _cells(doc, "selfeval-matches", "匹配") == ["同名项目", "未匹配"]
    assert _stored(imported) == {}  # the preview writes nothing

    done = client.post("/imports/confirm-selfeval", data=_confirm_form(doc))
    assert done.status_code == 200, done.text
    result = soup(done.text)
    assert _cells(result, "selfeval-attached", "结果") == ["已导入，查看评分", "未导入"]
    # Full marks for 300 of 365 days (SC003); 10 budget points for 90% executed (SC006).
    assert _cells(result, "selfeval-attached", "复核总分")[0] == "82.97"
    assert _cells(result, "selfeval-attached", "公布数问题")[0] == "2"
    pid = project_id(imported, "物业管理费")
    assert list(_stored(imported)) == [pid]
    again = client.post("/imports/confirm-selfeval", data=_confirm_form(doc))
    assert again.status_code == 410  # the pending file is gone


def test_an_unmatched_form_goes_to_the_project_the_person_picks(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, FILE, "自评表.csv").text)
    other = project_id(imported, "区食安办工作经费")
    options = [o["value"] for o in doc.select("select[name=target-1] option")]
    assert str(other) in options
    form = _confirm_form(doc) | {"target-1": str(other)}
    assert client.post("/imports/confirm-selfeval", data=form).status_code == 200
    assert set(_stored(imported)) == {project_id(imported, "物业管理费"), other}


def test_a_bad_choice_refuses_the_whole_file(client: TestClient, imported: Site) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, FILE, "自评表.csv").text)
    form = _confirm_form(doc)
    same = form | {"target-1": form["target-0"]}
    refused = client.post("/imports/confirm-selfeval", data=same)
    assert refused.status_code == 422
    assert "同一个项目" in refused.text
    outside = form | {"target-1": "999999"}
    assert client.post("/imports/confirm-selfeval", data=outside).status_code == 422
    assert _stored(imported) == {}  # nothing written, not even the matched form
    assert client.post("/imports/confirm-selfeval", data=form).status_code == 200


def test_only_editors_of_the_department_attach(client: TestClient, imported: Site) -> None:
    token = login(client, "finance")  # imports targets, edits nothing
    refused = upload(client, token, FILE, "自评表.csv")
    assert refused.status_code == 403
    assert _stored(imported) == {}
    with transaction(imported.factory) as db:
        assert db.scalar(select(func.count()).select_from(SelfEvaluationRecord)) == 0


# A published form copied out of a web page: a page number inside a sentence, a number split by
# a space — repairs the reader made, shown in the preview and kept with the stored evaluation.
PAGE_TEXT = f"""\
项目支出绩效自评表（2023年度）
项目名称 物业管理费
主管部门 {DEPARTMENT}
项目资金（万元） 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 100. 00 90.00 10 90.00% 10
年度总体目标 预期目标 实际完成情况
保障办公场所全年 - 2 - 正常运转。 全年正常运转。
绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
1-产出指标 11-数量指标 服务天数 ≥365天 365天 90 90
总分 100 100
""".encode()


def test_the_reader_s_repairs_are_previewed_and_stored_with_the_evaluation(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, PAGE_TEXT, "自评表.txt").text)
    assert _cells(doc, "selfeval-matches", "读取修复")[0].startswith("2 处")
    assert client.post("/imports/confirm-selfeval", data=_confirm_form(doc)).status_code == 200
    with transaction(imported.factory) as db:
        [entry] = db.scalars(select(SelfEvaluationRecord.entry)).all()
    assert [(r["before"], r["after"]) for r in entry["repairs"]] == [
        (
            "保障办公场所全年 - 2 - 正常运转。 全年正常运转。",
            "保障办公场所全年正常运转。 全年正常运转。",
        ),
        ("100. 00", "100.00"),
    ]
    assert all(set(r) == {"field", "before", "after", "reason"} for r in entry["repairs"])


def _projects(site: Site, name: str) -> list[tuple[int, str]]:
    with transaction(site.factory) as db:
        rows = db.execute(select(Project.id, Project.status).where(Project.name == name))
        return [(pid, str(status)) for pid, status in rows]


def test_only_an_unmatched_form_offers_to_create_its_project(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, FILE, "自评表.csv").text)
    boxes = doc.select("form#selfeval-import input[type=checkbox]")
    assert [(b["name"], b.has_attr("checked")) for b in boxes] == [("create-1", False)]
    [offer] = doc.select(".create-project")
    assert "新建项目并导入自评" in offer.text
    assert "新建“没有的项目”" in " ".join(offer.text.split())
    assert "年度资金总额 100.00 万元 · 1 个指标" in " ".join(offer.text.split())


def test_ticked_the_project_is_created_and_the_evaluation_stored_on_it(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, FILE, "自评表.csv").text)
    done = client.post("/imports/confirm-selfeval", data=_confirm_form(doc) | {"create-1": "1"})
    assert done.status_code == 200, done.text
    result = soup(done.text)
    assert _cells(result, "selfeval-attached", "结果") == [
        "已导入，查看评分",
        "已新建项目并导入，查看评分 · 查看新建项目",
    ]
    # The same form as the matched one, so the same recomputed score.
    assert _cells(result, "selfeval-attached", "复核总分") == ["82.97", "82.97"]
    [(created, status)] = _projects(imported, "没有的项目")
    assert status == "draft"
    assert set(_stored(imported)) == {project_id(imported, "物业管理费"), created}
    page = client.get(f"/projects/{created}")
    assert page.status_code == 200
    assert "服务天数" in page.text
    assert "≥365天" in page.text


def test_unticked_nothing_is_created(client: TestClient, imported: Site) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, FILE, "自评表.csv").text)
    assert client.post("/imports/confirm-selfeval", data=_confirm_form(doc)).status_code == 200
    assert _projects(imported, "没有的项目") == []


def test_a_project_chosen_and_created_at_once_refuses_the_file(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "deptrev")
    doc = soup(upload(client, token, FILE, "自评表.csv").text)
    other = project_id(imported, "区食安办工作经费")
    form = _confirm_form(doc) | {"create-1": "1", "target-1": str(other)}
    refused = client.post("/imports/confirm-selfeval", data=form)
    assert refused.status_code == 422
    assert "只选一项" in refused.text
    assert _stored(imported) == {}
    assert _projects(imported, "没有的项目") == []
