from fastapi.testclient import TestClient

from factories import create_project, make_indicator, make_project
from jixiao.db.models import Organisation
from jixiao.db.session import transaction
from jixiao.domain.enums import ProjectStatus
from jixiao.services.library import refresh_project
from jixiao.services.principal import SYSTEM
from jixiao.services.projects import service as projects
from jixiao.web.ui.indicator_form import framework_groups

from .conftest import Site, login, soup
from .test_project_pages import project_id
from .test_review_pages import submitted

HX = {"HX-Request": "true"}
QUALITY = "1|12|产出指标|质量指标"


def indicator_form(name: str, category: str = QUALITY, value: str = "90") -> dict[str, str]:
    return {
        "category": category,
        "name": name,
        "period_op": ">=",
        "period_value": value,
        "period_unit": "%",
        "annual_op": ">=",
        "annual_value": value,
        "annual_unit": "%",
    }


def stored(site: Site, pid: int, name: str) -> tuple[int, int]:
    with transaction(site.factory) as db:
        ind = next(i for i in projects.get_project(db, SYSTEM, pid).indicators if i.name == name)
        return ind.id, ind.version


def header(site: Site, pid: int) -> dict[str, str]:
    with transaction(site.factory) as db:
        d = projects.get_project(db, SYSTEM, pid)
    return {
        "version": str(d.version),
        "name": d.name,
        "total": "125",
        "fiscal": "125",
        "period_goal": d.goal or "",
        "annual_goal": "全年保障办公区物业服务",
    }


def test_edit_page_offers_framework_pickers_and_current_findings(
    client: TestClient, imported: Site
) -> None:
    login(client, "unit")
    pid = project_id(imported, "物业管理费")
    doc = soup(client.get(f"/projects/{pid}/edit").text)
    groups = [g["label"] for g in doc.select("form.ind-form")[0].select("optgroup")]
    assert groups == ["1-产出指标", "2-效益指标", "3-满意度指标"]
    wrong = next(f for f in doc.select("form.ind-form") if "每月考评达标率" in str(f))
    selected = wrong.select_one("select[name=category] option[selected]")
    assert "不符合指标体系" in selected.text
    assert "JX001" in wrong.select_one(".live-check").text
    assert "JX004" in doc.select_one("#project-findings").text


def category(label: str) -> str:
    """The picker value of a level-2 category, as the edit page offers it."""
    options = [o for g in framework_groups() for o in g.options]
    return next(o.value for o in options if o.label.endswith(label))


def test_live_check_runs_the_review_rules_as_you_type(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    iid, _ = stored(imported, pid, "每月考评达标率")
    url = f"/projects/{pid}/indicators-check"
    headers = {**HX, "X-CSRF-Token": token}
    as_satisfaction = {**indicator_form("每月考评达标率", category("31-服务对象满意度指标"))}
    bad = client.post(url, data={**as_satisfaction, "indicator_id": str(iid)}, headers=headers)
    assert bad.status_code == 200
    assert "JX037" in bad.text
    good = client.post(
        url, data={**indicator_form("每月考评达标率"), "indicator_id": str(iid)}, headers=headers
    )
    assert "JX0" not in good.text
    assert "未发现问题" in good.text
    typo = client.post(url, data=indicator_form("每月考评达标率", value="N/A"), headers=headers)
    assert "须为数字" in typo.text
    mismatch = indicator_form("每月考评达标率", "2|31|效益指标|服务对象满意度")
    refused = client.post(url, data=mismatch, headers=headers)
    assert "不在指标体系中" in refused.text


def test_saving_an_indicator_fixes_the_stored_finding(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    iid, version = stored(imported, pid, "每月考评达标率")
    data = {**indicator_form("每月考评达标率"), "version": str(version), "csrf_token": token}
    saved = client.post(f"/projects/{pid}/indicators/{iid}", data=data, headers=HX)
    assert saved.status_code == 200, saved.text
    assert "已保存" in saved.text
    detail = soup(client.get(f"/projects/{pid}").text)
    row = next(tr for tr in detail.select("table.official tbody tr") if "每月考评达标率" in tr.text)
    assert "12-质量指标" in str(detail.select("table.official")[0])
    assert "JX001" not in row.text


def test_a_stale_indicator_edit_is_explained_and_the_input_kept(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    iid, version = stored(imported, pid, "每月考评达标率")
    first = {**indicator_form("每月考评达标率"), "version": str(version), "csrf_token": token}
    assert (
        client.post(f"/projects/{pid}/indicators/{iid}", data=first, headers=HX).status_code == 200
    )
    mine = {
        **indicator_form("考评达标率（我的修改）", value="93"),
        "version": str(version),
        "csrf_token": token,
    }
    conflict = client.post(f"/projects/{pid}/indicators/{iid}", data=mine, headers=HX)
    assert conflict.status_code == 409
    doc = soup(conflict.text)
    assert "已被他人修改" in doc.select_one(".notice.error").text
    assert doc.select_one("input[name=name]")["value"] == "考评达标率（我的修改）"
    assert doc.select_one("input[name=period_value]")["value"] == "93"
    assert doc.select_one("input[name=version]")["value"] == str(version + 1)


def test_header_save_conflict_and_bad_amounts(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    form = {**header(imported, pid), "csrf_token": token}
    bad = client.post(f"/projects/{pid}/edit", data={**form, "total": "一百"})
    assert bad.status_code == 422
    assert "须为数字" in soup(bad.text).select_one(".field.invalid .err").text
    ok = client.post(f"/projects/{pid}/edit", data=form)
    assert ok.status_code == 303
    stale = client.post(f"/projects/{pid}/edit", data={**form, "name": "物业管理费（改）"})
    assert stale.status_code == 409
    doc = soup(stale.text)
    assert "已被他人修改" in doc.select_one(".notice.error").text
    assert "项目名称" in doc.select_one(".notice.error").text
    assert doc.select_one("#header-form input[name=name]")["value"] == "物业管理费（改）"


def test_add_move_and_delete_indicators(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    added = client.post(
        f"/projects/{pid}/indicators",
        data={**indicator_form("保洁覆盖率"), "csrf_token": token},
        headers=HX,
    )
    assert added.status_code == 204
    assert added.headers["HX-Redirect"].startswith(f"/projects/{pid}/edit?added=")
    iid, version = stored(imported, pid, "保洁覆盖率")
    page = soup(client.get(f"/projects/{pid}/edit").text)
    before = [i["value"] for i in page.select("form.ind-form input[name=name]")]
    at = before.index("保洁覆盖率")  # the last of the 12-质量指标 group (official order)
    moved = client.post(
        f"/projects/{pid}/indicators/{iid}/move",
        data={"move": "up", "csrf_token": token},
        headers=HX,
    )
    order = [i["value"] for i in soup(moved.text).select("form.ind-form input[name=name]")]
    assert order[at - 1 : at + 1] == ["保洁覆盖率", before[at - 1]]
    first_of_group = stored(imported, pid, order[at - 2])[0]
    across = client.post(
        f"/projects/{pid}/indicators/{first_of_group}/move",
        data={"move": "up", "csrf_token": token},
        headers=HX,
    )
    assert [i["value"] for i in soup(across.text).select("form.ind-form input[name=name]")] == order
    gone = client.post(
        f"/projects/{pid}/indicators/{iid}/delete",
        data={"version": str(version), "csrf_token": token},
        headers=HX,
    )
    assert "保洁覆盖率" not in gone.text
    empty = client.post(
        f"/projects/{pid}/indicators",
        data={**indicator_form(""), "category": "", "csrf_token": token},
        headers=HX,
    )
    assert empty.status_code == 422
    assert "请选择一级、二级指标" in empty.text


def test_a_submitted_project_cannot_be_edited(client: TestClient, imported: Site) -> None:
    pid, _ = submitted(imported, "物业管理费")
    token = login(client, "unit")
    page = client.get(f"/projects/{pid}/edit")
    assert page.status_code == 409
    assert "审核期间不能修改" in page.text
    iid, version = stored(imported, pid, "每月考评达标率")
    data = {"version": str(version), "csrf_token": token}
    toast = client.post(f"/projects/{pid}/indicators/{iid}/delete", data=data, headers=HX)
    assert toast.status_code == 409
    assert toast.headers["HX-Retarget"] == "#toasts"
    assert "toast" in soup(toast.text).select_one(".notice")["class"]


def test_header_can_be_renamed(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    form = {**header(imported, pid), "csrf_token": token, "name": "物业管理服务费"}
    assert client.post(f"/projects/{pid}/edit", data=form).status_code == 303
    with transaction(imported.factory) as db:
        assert projects.get_project(db, SYSTEM, pid).name == "物业管理服务费"


def test_imported_category_names_are_matched_to_the_framework(
    client: TestClient, imported: Site
) -> None:
    login(client, "unit")
    pid = project_id(imported, "公务用车更新购置费")
    doc = soup(client.get(f"/projects/{pid}/edit").text)
    chosen = [
        f.select_one("select[name=category] option[selected]").text
        for f in doc.select("form.ind-form")[:-1]
    ]
    assert "2-效益指标 › 22-社会效益指标" in chosen
    assert not any("不符合" in c for c in chosen)


def test_explanation_basis_and_weight_are_edited_and_kept(
    client: TestClient, imported: Site
) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    iid, version = stored(imported, pid, "每月考评达标率")
    notes = {"explanation": "考评达标月数÷12", "basis": "物业服务合同第五条", "weight": "15"}
    data = {**indicator_form("每月考评达标率"), **notes, "version": str(version)}
    saved = client.post(
        f"/projects/{pid}/indicators/{iid}", data={**data, "csrf_token": token}, headers=HX
    )
    assert saved.status_code == 200, saved.text
    with transaction(imported.factory) as db:
        ind = next(i for i in projects.get_project(db, SYSTEM, pid).indicators if i.id == iid)
    assert (ind.explanation, ind.basis, ind.weight) == ("考评达标月数÷12", "物业服务合同第五条", 15)
    form = soup(client.get(f"/projects/{pid}/edit").text).select_one(f"#ind-{iid}")
    assert form.select_one("textarea[name=explanation]").text == "考评达标月数÷12"
    assert form.select_one("textarea[name=basis]").text == "物业服务合同第五条"
    assert form.select_one("input[name=weight]")["value"] == "15"
    cleared = {**indicator_form("每月考评达标率"), "version": str(ind.version)}
    again = client.post(
        f"/projects/{pid}/indicators/{iid}", data={**cleared, "csrf_token": token}, headers=HX
    )
    assert again.status_code == 200, again.text
    with transaction(imported.factory) as db:
        ind = next(i for i in projects.get_project(db, SYSTEM, pid).indicators if i.id == iid)
    assert (ind.explanation, ind.basis, ind.weight) == (None, None, None)


def test_a_bad_weight_is_refused_and_the_input_kept(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    iid, version = stored(imported, pid, "每月考评达标率")
    for bad in ("101", "-1", "12.5", "十"):
        data = {**indicator_form("每月考评达标率"), "weight": bad, "basis": "合同"}
        data.update(version=str(version), csrf_token=token)
        refused = client.post(f"/projects/{pid}/indicators/{iid}", data=data, headers=HX)
        assert refused.status_code == 422, (bad, refused.status_code)
        doc = soup(refused.text)
        assert "权重须为 0 到 100 的整数" in doc.select_one(".field.invalid .err").text
        assert doc.select_one("input[name=weight]")["value"] == bad
        assert doc.select_one("textarea[name=basis]").text == "合同"
    assert stored(imported, pid, "每月考评达标率") == (iid, version)


def test_live_check_weighs_the_peers_targets(client: TestClient, imported: Site) -> None:
    with transaction(imported.factory) as db:
        org = db.get(Organisation, imported.department_id)
        assert org is not None
        for i, value in enumerate((90, 92, 94, 96, 98)):
            ind = make_indicator(
                name="档案数字化率",
                level2=("12", "质量指标"),
                period=f"≥{value}%",
                annual=f"≥{value}%",
            )
            domain = make_project(name=f"档案项目{i}", indicators=[ind])
            row = create_project(db, org=org, status=ProjectStatus.APPROVED, domain=domain)
            refresh_project(db, row.id)
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    url = f"/projects/{pid}/indicators-check"
    headers = {**HX, "X-CSRF-Token": token}
    easy = client.post(url, data=indicator_form("档案数字化率", value="80"), headers=headers)
    assert "JX041" in easy.text
    assert "低于 5 个同类目标的下四分位数 92%" in easy.text
    usual = client.post(url, data=indicator_form("档案数字化率", value="95"), headers=headers)
    assert "JX041" not in usual.text
