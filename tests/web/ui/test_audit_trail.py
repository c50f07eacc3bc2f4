"""The audit trail reads as a person wants it: Chinese operation names, labelled fields, names
instead of ids, whole texts with the edits marked; and the system-wide 审计记录 page."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jixiao.services.audit import AuditOut
from jixiao.services.audit_trail import CHINA, Names, changes, text_diff

from .conftest import Site, login, soup
from .test_edit_pages import header
from .test_monitoring_pages import ROUND, SELFEVAL, monitoring_form, selfeval_form
from .test_project_pages import project_id

GOAL = (
    "通过聘请专业物业管理公司，为区市场监督管理局办公区提供保洁、保安、绿化、设备维护等"
    "物业管理服务，保障机关日常办公秩序和环境卫生，提升后勤保障水平。"
)
CODE = re.compile(r"\b[a-z]+[._][a-z_.]+\b|\b(?:org_id|user_id|funding_fen|entry)\b")


def _entry(before: dict[str, object], after: dict[str, object]) -> AuditOut:
    return AuditOut(
        id=1,
        at=datetime.now(UTC),
        actor_id=None,
        actor_name="系统",
        action="project.update",
        object_type="project",
        object_id=1,
        project_id=1,
        reason=None,
        before=before,
        after=after,
    )


def test_a_long_goal_change_shows_the_whole_text_with_the_edit_marked() -> None:
    """Before, both sides were cut at 80 characters and read the same."""
    edited = GOAL.replace("提升后勤保障水平", "提升后勤保障满意度至90%以上")
    entry = _entry({"goals": {"period": GOAL}}, {"goals": {"period": edited}})
    [change] = changes(entry, Names())
    assert change.field == "目标 › 实施周期目标"
    assert (change.before, change.after) == (GOAL, edited)
    assert "".join(s.text for s in change.diff if s.kind != "add") == GOAL
    assert "".join(s.text for s in change.diff if s.kind != "del") == edited
    assert [s.text for s in change.diff if s.kind == "add"] == ["满意度至90%以上"]


def test_ids_amounts_and_orders_read_as_names() -> None:
    names = Names(orgs={3: "区市场监督管理局"}, indicators={7: "保洁面积", 8: "满意度"})
    entry = _entry(
        {"org_id": 2, "funding_fen": {"fiscal": 125_000_000}, "order": [7, 8], "version": 1},
        {"org_id": 3, "funding_fen": {"fiscal": 130_000_000}, "order": [8, 7], "version": 2},
    )
    shown = [(c.field, c.before, c.after) for c in changes(entry, names)]
    assert shown == [
        ("所属单位", "（已删除的单位）", "区市场监督管理局"),
        ("资金（万元） › 财政拨款", "125.00", "130.00"),
        ("指标顺序", "1. 保洁面积；2. 满意度", "1. 满意度；2. 保洁面积"),
    ]


def test_text_diff_keeps_both_texts() -> None:
    segments = text_diff("保障办公秩序", "保障日常办公秩序良好")
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "保障"),
        ("add", "日常"),
        ("same", "办公秩序"),
        ("add", "良好"),
    ]


def _form_fields(html: str, form_id: str) -> dict[str, str]:
    """What the browser would send for the form ``form_id`` as shown."""
    form = soup(html).select_one(f"form#{form_id}")
    assert form is not None
    data = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    data |= {t["name"]: t.text for t in form.select("textarea[name]")}
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        data[select["name"]] = chosen.get("value", "") if chosen else ""
    return data


def _make_history(client: TestClient, site: Site) -> tuple[int, str]:
    """By 单位填报: a goal edit, an indicator renamed and moved, a monitoring round, a
    self-evaluation. Returns the project id and the renamed indicator's new name."""
    token = login(client, "unit")
    pid = project_id(site, "物业管理费")
    form = {**header(site, pid), "csrf_token": token, "period_goal": GOAL}
    assert client.post(f"/projects/{pid}/edit", data=form).status_code == 303
    form = {**header(site, pid), "csrf_token": token}
    form["period_goal"] = GOAL.replace("提升后勤保障水平", "提升后勤保障满意度")
    assert client.post(f"/projects/{pid}/edit", data=form).status_code == 303
    edit_page = client.get(f"/projects/{pid}/edit").text
    ids = [f["id"] for f in soup(edit_page).select("#indicator-list form.ind-form")]
    rows = [_form_fields(edit_page, i) for i in ids]
    at = next(i for i in range(len(rows) - 1) if rows[i]["category"] == rows[i + 1]["category"])
    fields = rows[at]
    first_id = ids[at].removeprefix("ind-")
    renamed = fields["name"] + "（已核定）"
    fields |= {"csrf_token": token, "name": renamed, "basis": "物业服务合同"}
    saved = client.post(f"/projects/{pid}/indicators/{first_id}", data=fields)
    assert saved.status_code == 303
    move = {"csrf_token": token, "move": "down"}
    assert client.post(f"/projects/{pid}/indicators/{first_id}/move", data=move).status_code == 303
    assert client.post(ROUND.format(pid=pid), data=monitoring_form(token)).status_code == 303
    assert client.post(SELFEVAL.format(pid=pid), data=selfeval_form(token)).status_code == 303
    client.cookies.clear()
    return pid, renamed


def _rows(html: str) -> list[dict[str, str]]:
    return [
        {td["data-label"]: " ".join(td.text.split()) for td in tr.select("td[data-label]")}
        for tr in soup(html).select("#audit tbody tr")
    ]


def test_the_change_log_speaks_chinese_and_names_things(client: TestClient, imported: Site) -> None:
    pid, renamed = _make_history(client, imported)
    login(client, "unit")
    page = client.get(f"/projects/{pid}/audit")
    rows = _rows(page.text)
    operations = [r["操作"] for r in rows]
    for wanted in ("保存绩效自评", "保存执行监控", "调整指标顺序", "修改指标", "修改项目信息"):
        assert wanted in operations
    text = " ".join(r["变化"] + r["操作"] + r["对象"] for r in rows)
    assert CODE.findall(text) == []  # no operation codes, no field keys
    assert "{" not in text
    assert '"' not in text
    edit = next(r for r in rows if r["操作"] == "修改指标")
    assert "名称：物业管理费" not in edit["变化"]
    assert renamed in edit["变化"]
    assert "设定依据" in edit["变化"]
    order = next(r for r in rows if r["操作"] == "调整指标顺序")
    assert renamed in order["变化"]
    assert not re.search(r"\b\d{2,}\b", order["变化"])
    goal_edit = soup(page.text).select("#audit tbody tr")[operations.index("修改项目信息")]
    assert [i.text for i in goal_edit.select(".text-diff ins")] == ["满意度"]
    assert [d.text for d in goal_edit.select(".text-diff del")] == ["水平"]


def test_the_auditor_reads_every_entry_and_filters_them(client: TestClient, imported: Site) -> None:
    _make_history(client, imported)
    login(client, "auditor")
    home = soup(client.get("/").text)
    assert home.select_one("nav a[href='/audit']").text == "审计记录"
    everything = client.get("/audit")
    assert everything.status_code == 200
    doc = soup(everything.text)
    operations = {o.text for o in doc.select("select[name=action] option")}
    assert {"登录", "新建账号", "保存绩效自评", "导入新建项目"} <= operations
    people = {o.text: o["value"] for o in doc.select("select[name=actor] option") if o["value"]}
    unit = people["unit（unit）"]  # an account: its name and its username

    by_unit = _rows(client.get(f"/audit?actor={unit}").text)
    assert by_unit
    assert {r["操作人"] for r in by_unit} == {"unit（单位填报）"}  # logins and saves alike
    assert {r["操作"] for r in by_unit} >= {"登录", "修改指标", "保存执行监控"}
    saves = _rows(client.get("/audit?action=selfeval.save").text)
    assert [r["操作"] for r in saves] == ["保存绩效自评"]
    assert saves[0]["项目"] == "物业管理费"
    by_project = _rows(client.get("/audit?project=物业管理").text)
    assert by_project
    assert {r["项目"] for r in by_project} == {"物业管理费"}
    today = datetime.now(CHINA).date()
    assert len(_rows(client.get(f"/audit?start={today}&end={today}").text)) >= 10
    later = today + timedelta(days=1)
    assert "没有符合条件的记录" in client.get(f"/audit?start={later}").text

    export = client.get(f"/audit/download.xlsx?actor={unit}&action=indicator.update")
    assert export.status_code == 200
    ws = load_workbook(io.BytesIO(export.content)).active
    assert ws is not None
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header_at = next(i for i, r in enumerate(values) if r[0] == "时间")
    assert values[header_at][:8] == [
        "时间",
        "操作人",
        "操作",
        "对象",
        "项目",
        "内容",
        "修改前",
        "修改后",
    ]
    body = values[header_at + 1 :]
    assert {r[2] for r in body} == {"修改指标"}
    assert {r[5] for r in body} >= {"名称", "设定依据"}


def test_others_see_only_project_entries_in_their_scope(client: TestClient, imported: Site) -> None:
    _make_history(client, imported)
    login(client, "admin")
    operations = {r["操作"] for r in _rows(client.get("/audit").text)}
    assert "保存绩效自评" in operations
    assert not operations & {"登录", "新建账号", "退出登录"}  # the account trail is the auditor's
    assert client.get("/audit?action=user.login").text.count("<tr>") <= 2
    client.cookies.clear()
    login(client, "viewer")
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/download.xlsx").status_code == 403
    assert soup(client.get("/").text).select_one("nav a[href='/audit']") is None
