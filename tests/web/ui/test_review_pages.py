from fastapi.testclient import TestClient

from jixiao.db.session import transaction
from jixiao.services.principal import SYSTEM
from jixiao.services.projects import service as projects
from jixiao.services.reviews import service as reviews
from jixiao.services.workflow import service as workflow

from .conftest import Site, login, soup
from .test_project_pages import project_id

COMMENT = "请补充成本指标"


def submitted(site: Site, name: str) -> tuple[int, int]:
    """Submit a sample project, its error findings waived first (submitting needs that)."""
    pid = project_id(site, name)
    with transaction(site.factory) as db:
        for finding in reviews.blocking_findings(db, pid):
            reviews.waive(db, SYSTEM, finding.id, "已核实，属合理情形")
        workflow.transition(db, SYSTEM, pid, "submit")
        return pid, projects.get_project(db, SYSTEM, pid).version


def test_queue_lists_what_waits_for_the_reviewer(client: TestClient, imported: Site) -> None:
    submitted(imported, "物业管理费")
    login(client, "deptrev")
    doc = soup(client.get("/reviews").text)
    queue = doc.select_one("#queue-submitted")
    assert "待审 1 个" in queue.text
    assert "物业管理费" in queue.text
    assert doc.select_one("#queue-dept_approved") is None


def test_return_needs_a_comment_and_the_unit_sees_it(client: TestClient, imported: Site) -> None:
    pid, version = submitted(imported, "物业管理费")
    token = login(client, "deptrev")
    form = {"action": "dept_return", "version": str(version), "csrf_token": token}
    refused = client.post(f"/projects/{pid}/transition", data=form)
    assert refused.status_code == 422
    assert "必须填写意见" in soup(refused.text).select_one("#decision .notice.error").text
    done = client.post(f"/projects/{pid}/transition", data={**form, "comment": COMMENT})
    assert done.status_code == 303
    assert done.headers["location"] == f"/projects/{pid}?done=dept_return"
    client.cookies.clear()
    login(client, "unit")
    detail = soup(client.get(f"/projects/{pid}").text)
    assert COMMENT in detail.select_one("#returned-note").text
    assert "部门审核退回" in detail.select_one("#history").text
    listing = soup(client.get("/projects?status=returned").text)
    assert "物业管理费" in listing.select_one("tr.returned").text
    home = soup(client.get("/").text)
    assert COMMENT in home.select_one("#todo").text
    edit = soup(client.get(f"/projects/{pid}/edit").text)
    assert COMMENT in edit.select_one(".notice.warn").text


def test_stale_decisions_and_wrong_roles_are_refused(client: TestClient, imported: Site) -> None:
    pid, version = submitted(imported, "物业管理费")
    token = login(client, "unit")
    form = {"action": "dept_approve", "version": str(version), "csrf_token": token}
    assert client.post(f"/projects/{pid}/transition", data=form).status_code == 403
    assert client.get("/reviews").status_code == 403
    client.cookies.clear()
    token = login(client, "deptrev")
    stale = {**form, "version": str(version - 1), "csrf_token": token}
    assert client.post(f"/projects/{pid}/transition", data=stale).status_code == 409
    current = {**stale, "version": str(version), "findings_seen": "true"}
    ok = client.post(f"/projects/{pid}/transition", data=current)
    assert ok.status_code == 303


def test_reviewers_waive_a_finding_with_a_reason(client: TestClient, imported: Site) -> None:
    pid = project_id(imported, "物业管理费")
    token = login(client, "deptrev")
    doc = soup(client.get(f"/projects/{pid}").text)
    form = doc.select_one("#indicators details.waive form")
    assert form is not None
    empty = client.post(form["action"], data={"csrf_token": token, "reason": " "})
    assert empty.status_code == 422
    done = client.post(
        form["action"], data={"csrf_token": token, "reason": "本项目为物业服务，成本已在合同中约定"}
    )
    assert done.status_code == 303
    after = soup(client.get(done.headers["location"]).text)
    assert "本项目为物业服务" in after.select_one("#waived").text
    assert len(after.select("#indicators .finding")) == len(doc.select("#indicators .finding")) - 1


def test_unit_editors_see_no_waive_forms(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    doc = soup(client.get(f"/projects/{project_id(imported, '物业管理费')}").text)
    assert doc.select("#indicators .finding")
    assert doc.select("details.waive") == []


def test_an_adjustment_after_approval_keeps_the_approved_version(
    client: TestClient, imported: Site
) -> None:
    pid, _ = submitted(imported, "物业管理费")
    with transaction(imported.factory) as db:
        workflow.transition(db, SYSTEM, pid, "dept_approve", findings_seen=True)
        workflow.transition(db, SYSTEM, pid, "finance_approve", findings_seen=True)
        version = projects.get_project(db, SYSTEM, pid).version
    token = login(client, "unit")
    locked = soup(client.get(f"/projects/{pid}").text)
    assert "已锁定" in locked.select_one(".notice.info").text
    assert [b.text for b in locked.select("#workflow-bar button")] == ["调整"]
    form = {"action": "adjust", "version": str(version), "csrf_token": token}
    assert client.post(f"/projects/{pid}/transition", data=form).status_code == 422
    reason = "年中追加预算，调整服务天数"
    moved = client.post(f"/projects/{pid}/transition", data={**form, "comment": reason})
    assert moved.status_code == 303
    doc = soup(client.get(moved.headers["location"]).text)
    assert doc.select_one(".page-head .badge").text == "草稿"
    assert "第 2 版" in doc.select_one(".page-head").text
    versions = doc.select_one("#versions").text
    assert "批复版本" in versions
    assert reason in versions
    assert client.get(f"/projects/{pid}/edit").status_code == 200


def test_submit_with_an_open_error_is_refused_and_lists_it(
    client: TestClient, imported: Site
) -> None:
    pid = project_id(imported, "物业管理费")
    token = login(client, "unit")
    page = soup(client.get(f"/projects/{pid}").text)
    blocking = page.select_one("#decision #blocking-findings")
    assert "JX001" in blocking.text
    assert "每月考评达标率" in blocking.text
    version = page.select_one("#decision-form input[name=version]")["value"]
    form = {"action": "submit", "version": version, "csrf_token": token}
    refused = client.post(f"/projects/{pid}/transition", data=form)
    assert refused.status_code == 422
    doc = soup(refused.text)
    assert "不能提交" in doc.select_one("#decision .notice.error[data-first-error]").text
    assert doc.select_one(".page-head .badge").text == "草稿"


def test_approving_over_open_findings_needs_a_confirmation(
    client: TestClient, imported: Site
) -> None:
    pid, version = submitted(imported, "物业管理费")
    token = login(client, "deptrev")
    page = soup(client.get(f"/projects/{pid}").text)
    listed = page.select("#open-findings li")
    with transaction(imported.factory) as db:
        open_ = reviews.list_findings(db, SYSTEM, pid, include_waived=False)
    assert open_
    assert len(listed) == len(open_)
    assert page.select_one("#open-findings input[name=findings_seen]") is not None
    form = {"action": "dept_approve", "version": str(version), "csrf_token": token}
    refused = client.post(f"/projects/{pid}/transition", data=form)
    assert refused.status_code == 422
    assert "我已查看" in soup(refused.text).select_one("#decision .notice.error").text
    done = client.post(f"/projects/{pid}/transition", data={**form, "findings_seen": "true"})
    assert done.status_code == 303
