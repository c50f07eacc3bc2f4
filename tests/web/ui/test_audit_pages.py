from datetime import UTC, datetime

from fastapi.testclient import TestClient

from jixiao.services.audit import AuditOut
from jixiao.services.audit_trail import Names, action_label, changes

from .conftest import Site, login, soup
from .test_edit_pages import header
from .test_project_pages import project_id


def test_every_change_is_listed_with_who_what_and_why(client: TestClient, imported: Site) -> None:
    token = login(client, "unit")
    pid = project_id(imported, "物业管理费")
    form = {**header(imported, pid), "csrf_token": token, "name": "物业管理服务费"}
    assert client.post(f"/projects/{pid}/edit", data=form).status_code == 303
    detail = soup(client.get(f"/projects/{pid}").text)
    link = detail.select_one(f"a[href='/projects/{pid}/audit']")
    assert link is not None
    page = soup(client.get(f"/projects/{pid}/audit").text)
    rows = page.select("#audit tbody tr")
    labels = [r.select_one("td[data-label='操作']").text for r in rows]
    assert labels[:2] == ["重新审核", "修改项目信息"]
    edit = rows[1]
    assert "单位填报" in edit.select_one("td[data-label='操作人']").text
    change = edit.select_one("td[data-label='变化']").text
    assert "名称：物业管理费 → 物业管理服务费" in " ".join(change.split())
    imported_row = rows[-1]
    assert imported_row.select_one("td[data-label='操作']").text == "导入新建项目"


def test_viewers_have_no_audit_link_and_are_refused(client: TestClient, imported: Site) -> None:
    login(client, "viewer")
    pid = project_id(imported, "物业管理费")
    detail = soup(client.get(f"/projects/{pid}").text)
    assert detail.select_one(f"a[href='/projects/{pid}/audit']") is None
    assert client.get(f"/projects/{pid}/audit").status_code == 403


def test_changes_read_as_categories_targets_and_status_labels() -> None:
    entry = AuditOut(
        id=1,
        at=datetime.now(UTC),
        actor_id=None,
        actor_name="系统",
        action="workflow.submit",
        object_type="project",
        object_id=1,
        project_id=1,
        reason=None,
        before={
            "status": "draft",
            "level2": {"code": "31", "name": "服务对象满意度"},
            "annual": {"raw": "》90%", "kind": "quantitative"},
        },
        after={
            "status": "submitted",
            "level2": {"code": "12", "name": "质量指标"},
            "annual": {"raw": "≥90%", "kind": "quantitative"},
        },
    )
    assert [(c.field, c.before, c.after) for c in changes(entry, Names())] == [
        ("状态", "草稿", "已提交"),
        ("二级指标", "31-服务对象满意度", "12-质量指标"),
        ("年度指标值", "》90%", "≥90%"),
    ]
    assert action_label(entry.action) == "流程：提交"
