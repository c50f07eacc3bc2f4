"""Monitoring and self-evaluation over the JSON API: template, save, read, export, permissions."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from factories import World, create_project, create_token
from jixiao.db.models import Project
from jixiao.domain.enums import Grade, Light, ProjectStatus, Role
from jixiao.services.monitoring.overview import results_overview


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def auth(session: Session, world: World, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, user=world.users[role])}"}


def approved(session: Session, world: World, own: bool = True) -> Project:
    org = world.unit_a if own else world.unit_b
    return create_project(session, org=org, status=ProjectStatus.APPROVED, name="物业管理费")


def monitoring_body(api: TestClient, pid: int, headers: dict[str, str]) -> dict[str, Any]:
    """The template of round 2023/1–7月 filled in: 40% spent, 150 of 365 days, 93% satisfied."""
    response = api.get(f"/projects/{pid}/monitoring-template/2023/7", headers=headers)
    assert response.status_code == 200, response.text
    entry = response.json()["entry"]
    days, satisfaction = entry["indicators"]
    entry["funds"][0]["executed"] = "50"
    entry["funds"][0]["forecast"] = "120"
    entry["indicators"] = [
        {**days, "actual": "150", "forecast": "365", "likelihood": "有可能"},
        {**satisfaction, "actual": "93", "likelihood": "确定能"},
    ]
    return {"entry": entry}


def selfeval_body(api: TestClient, pid: int, headers: dict[str, str]) -> dict[str, Any]:
    response = api.get(f"/projects/{pid}/self-evaluation-template/2023", headers=headers)
    assert response.status_code == 200, response.text
    entry = response.json()["entry"]
    days, satisfaction = entry["indicators"]
    entry["funds"][0]["executed"] = "125"
    entry["indicators"] = [{**days, "actual": "365"}, {**satisfaction, "actual": "95"}]
    return {"entry": entry}


def test_template_carries_budget_and_annual_targets(
    api: TestClient, session: Session, world: World
) -> None:
    p = approved(session, world)
    body = api.get(
        f"/projects/{p.id}/monitoring-template/2023/7", headers=auth(session, world, Role.VIEWER)
    ).json()
    assert (body["year"], body["end_month"], body["version"]) == (2023, 7, None)
    (funds,) = body["entry"]["funds"]
    assert (funds["line"], Decimal(funds["budget"]), funds["executed"]) == ("total", 125, "")
    assert [(i["name"], i["target"]) for i in body["entry"]["indicators"]] == [
        ("服务天数", "365天"),
        ("服务对象满意度", "≥90%"),
    ]


def test_save_lights_issues_and_optimistic_version(
    api: TestClient, session: Session, world: World
) -> None:
    p = approved(session, world)
    headers = auth(session, world, Role.UNIT_EDITOR)
    body = monitoring_body(api, p.id, headers)
    url = f"/projects/{p.id}/monitoring/2023/7"
    first = api.put(url, json=body, headers=headers)
    assert first.status_code == 200, first.text
    out = first.json()
    assert out["period"] == "1–7月"
    assert Decimal(out["execution_rate"]) == Decimal(40)
    assert [(x["subject"], x["light"], x["label"]) for x in out["lights"]] == [
        ("预算执行", "yellow", "黄灯"),
        ("服务天数", "yellow", "黄灯"),
        ("服务对象满意度", "green", "绿灯"),
    ]
    # yellow lights without reasons are open issues, returned rather than refused
    assert {(i["indicator"], i["field"]) for i in out["issues"]} == {
        (None, "budget_deviation"),
        ("服务天数", "causes"),
    }
    stale = api.put(url, json=body, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    body["entry"]["budget_deviation"] = "合同按季度支付"
    days = body["entry"]["indicators"][0]
    days.update(causes=["人员", "其他"], cause_note="上半年人手不足", measures="增加外包")
    again = api.put(url, json={**body, "version": out["version"]}, headers=headers)
    assert again.status_code == 200, again.text
    assert (again.json()["version"], again.json()["issues"]) == (2, [])
    assert again.json()["entry"]["indicators"][0]["causes"] == ["other", "staffing"]
    listed = api.get(f"/projects/{p.id}/monitoring", headers=headers).json()
    assert [(m["period"], m["worst_light"]) for m in listed] == [("1–7月", "yellow")]
    assert api.get(url, headers=headers).json()["version"] == 2


def test_malformed_entry_is_a_field_error(api: TestClient, session: Session, world: World) -> None:
    p = approved(session, world)
    headers = auth(session, world, Role.UNIT_EDITOR)
    body = monitoring_body(api, p.id, headers)
    body["entry"]["indicators"][0]["actual"] = "一百五十"
    response = api.put(f"/projects/{p.id}/monitoring/2023/7", json=body, headers=headers)
    assert response.status_code == 422
    assert "indicators[0].actual" in response.json()["error"]["fields"]["entry"]
    assert api.get(f"/projects/{p.id}/monitoring", headers=headers).json() == []
    month = api.put(f"/projects/{p.id}/monitoring/2023/13", json=body, headers=headers)
    assert month.status_code == 422
    missing = api.get(f"/projects/{p.id}/monitoring/2023/6", headers=headers)
    assert missing.status_code == 404


def content_disposition_name(header: str) -> str:
    star = header.split("filename*=UTF-8''", 1)[1]
    return unquote(star)


def test_monitoring_exports_as_xlsx_and_pdf(
    api: TestClient, session: Session, world: World
) -> None:
    p = approved(session, world)
    headers = auth(session, world, Role.UNIT_EDITOR)
    api.put(
        f"/projects/{p.id}/monitoring/2023/7",
        json=monitoring_body(api, p.id, headers),
        headers=headers,
    )
    viewer = auth(session, world, Role.VIEWER)
    url = f"/projects/{p.id}/monitoring/2023/7/export"
    xlsx = api.get(url, params={"format": "xlsx"}, headers=viewer)
    assert xlsx.status_code == 200, xlsx.text
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = xlsx.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="monitoring-')
    assert content_disposition_name(disposition) == "物业管理费-绩效目标执行监控表-2023年1–7月.xlsx"
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    assert ws["A1"].value == "项目支出绩效目标执行监控表（2023年1–7月）"
    pdf = api.get(url, params={"format": "pdf"}, headers=viewer)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert content_disposition_name(pdf.headers["content-disposition"]).endswith(".pdf")
    assert api.get(url, params={"format": "docx"}, headers=viewer).status_code == 422


def test_self_evaluation_score_is_explained_and_exported(
    api: TestClient, session: Session, world: World
) -> None:
    p = approved(session, world)
    headers = auth(session, world, Role.UNIT_EDITOR)
    url = f"/projects/{p.id}/self-evaluations/2023"
    body = selfeval_body(api, p.id, headers)
    saved = api.put(url, json=body, headers=headers)
    assert saved.status_code == 200, saved.text
    out = saved.json()
    # everything met, all the budget spent: full marks (no 效益 indicator: weights re-scaled)
    assert (Decimal(out["total"]), out["grade"], out["grade_label"]) == (
        Decimal(100),
        "excellent",
        "优",
    )
    assert [(ln["name"], ln["target"], ln["actual"]) for ln in out["lines"]][1:] == [
        ("服务天数", "365天", "365天"),
        ("服务对象满意度", "≥90%", "95%"),
    ]
    assert all(ln["formula"] for ln in out["lines"])
    assert sum(Decimal(ln["points"]) for ln in out["lines"]) == Decimal(100)
    body["entry"]["indicators"][0]["actual"] = "300"
    stale = api.put(url, json=body, headers=headers)
    assert stale.status_code == 409
    lower = api.put(url, json={**body, "version": out["version"]}, headers=headers).json()
    assert Decimal(lower["total"]) < 100
    assert [(i["indicator"], i["field"]) for i in lower["issues"]] == [("服务天数", "deviation")]
    assert api.get(url, headers=headers).json()["version"] == 2
    xlsx = api.get(f"{url}/export", params={"format": "xlsx"}, headers=headers)
    assert xlsx.status_code == 200
    assert content_disposition_name(xlsx.headers["content-disposition"]) == (
        "物业管理费-项目支出绩效自评表-2023年度.xlsx"
    )
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    assert ws["A1"].value == "项目支出绩效自评表（2023年度）"
    pdf = api.get(f"{url}/export", params={"format": "pdf"}, headers=headers)
    assert pdf.content.startswith(b"%PDF")


A, F, D, U, V = Role.ADMIN, Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER, Role.UNIT_EDITOR, Role.VIEWER
SAVE_ALLOWED = {A: ("own", "other"), D: ("own",), U: ("own",)}
SEES = {
    A: ("own", "other"),
    Role.SECURITY_ADMIN: (),
    Role.AUDIT_ADMIN: ("own", "other"),
    F: ("own", "other"),
    D: ("own",),
    U: ("own",),
    V: ("own",),
}


def expected(role: Role, where: str, allowed: dict[Role, tuple[str, ...]], ok: int) -> int:
    if where in allowed.get(role, ()):
        return ok
    return 403 if where in SEES[role] else 404


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", list(Role))
def test_permissions(
    api: TestClient, session: Session, world: World, role: Role, where: str
) -> None:
    p = approved(session, world, own=where == "own")
    admin = auth(session, world, Role.ADMIN)
    headers = auth(session, world, role)
    m_url, s_url = f"/projects/{p.id}/monitoring/2023/7", f"/projects/{p.id}/self-evaluations/2023"
    m_body, s_body = monitoring_body(api, p.id, admin), selfeval_body(api, p.id, admin)
    assert api.put(m_url, json=m_body, headers=headers).status_code == expected(
        role, where, SAVE_ALLOWED, 200
    )
    assert api.put(s_url, json=s_body, headers=headers).status_code == expected(
        role, where, SAVE_ALLOWED, 200
    )
    if role not in SAVE_ALLOWED or where not in SAVE_ALLOWED[role]:
        assert api.put(m_url, json=m_body, headers=admin).status_code == 200
        assert api.put(s_url, json=s_body, headers=admin).status_code == 200
    reads = [
        api.get(m_url, headers=headers),
        api.get(f"/projects/{p.id}/monitoring", headers=headers),
        api.get(f"/projects/{p.id}/monitoring-template/2023/7", headers=headers),
        api.get(f"{m_url}/export", params={"format": "xlsx"}, headers=headers),
        api.get(s_url, headers=headers),
        api.get(f"/projects/{p.id}/self-evaluation-template/2023", headers=headers),
        api.get(f"{s_url}/export", params={"format": "xlsx"}, headers=headers),
    ]
    assert [r.status_code for r in reads] == [expected(role, where, SEES, 200)] * len(reads)


def test_anonymous_is_refused(api: TestClient, session: Session, world: World) -> None:
    p = approved(session, world)
    assert api.get(f"/projects/{p.id}/monitoring").status_code == 401
    assert api.put(f"/projects/{p.id}/monitoring/2023/7", json={"entry": {}}).status_code == 401


def test_results_overview_counts_only_what_the_actor_sees(
    api: TestClient, session: Session, world: World
) -> None:
    admin = auth(session, world, Role.ADMIN)
    own, other = approved(session, world), approved(session, world, own=False)
    for p, executed in ((own, "50"), (other, "125")):
        body = monitoring_body(api, p.id, admin)
        body["entry"]["funds"][0]["executed"] = executed
        assert api.put(f"/projects/{p.id}/monitoring/2023/7", json=body, headers=admin).is_success
    june = monitoring_body(api, own.id, admin)
    june["entry"]["funds"][0]["executed"] = "1"
    api.put(f"/projects/{own.id}/monitoring/2023/6", json=june, headers=admin)  # older round
    evaluated = api.put(
        f"/projects/{own.id}/self-evaluations/2023",
        json=selfeval_body(api, own.id, admin),
        headers=admin,
    )
    assert evaluated.is_success
    everything = results_overview(session, world.actor(Role.ADMIN), 2023)
    assert (everything.monitored, everything.budget_fen, everything.executed_fen) == (
        2,
        250_000_000,  # 分
        175_000_000,
    )
    assert everything.execution_rate == Decimal(70)  # 175 of 250 万元, July rounds only
    assert everything.project_lights[Light.YELLOW] == 2  # both have 150 of 365 days
    assert (everything.evaluated, everything.grades[Grade.EXCELLENT]) == (1, 1)
    assert everything.score_bands[-1] == ("90 分以上", 1)
    mine = results_overview(session, world.actor(Role.DEPT_REVIEWER), 2023)
    assert (mine.monitored, mine.execution_rate) == (1, Decimal(40))
    assert mine.indicator_lights == {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 1, Light.BLUE: 0}
    assert results_overview(session, world.actor(Role.VIEWER), 2024).monitored == 0


def test_only_bundled_profiles_are_accepted(
    api: TestClient, session: Session, world: World
) -> None:
    p = approved(session, world)
    headers = auth(session, world, Role.UNIT_EDITOR)
    body = monitoring_body(api, p.id, headers)
    url = f"/projects/{p.id}/monitoring/2023/7"
    for path in ("/etc/hostname", "../../pyproject.toml"):
        refused = api.put(url, json={**body, "profile": path}, headers=headers)
        assert refused.status_code == 422
        assert "未知的评分口径" in refused.json()["error"]["fields"]["profile"]
    strict = api.put(url, json={**body, "profile": "shanxi"}, headers=headers)
    assert strict.json()["profile"] == "shanxi"
    s_url = f"/projects/{p.id}/self-evaluations/2023"
    s_body = {**selfeval_body(api, p.id, headers), "profile": "/etc/passwd"}
    assert api.put(s_url, json=s_body, headers=headers).status_code == 422


def test_a_save_without_profile_keeps_the_stored_one(
    api: TestClient, session: Session, world: World
) -> None:
    p = approved(session, world)
    headers = auth(session, world, Role.UNIT_EDITOR)
    body = monitoring_body(api, p.id, headers)
    url = f"/projects/{p.id}/monitoring/2023/7"
    first = api.put(url, json={**body, "profile": "shanxi"}, headers=headers)
    assert first.json()["profile"] == "shanxi"
    again = api.put(url, json={**body, "version": first.json()["version"]}, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json()["profile"] == "shanxi"
    assert api.get(url, headers=headers).json()["profile"] == "shanxi"
    new_round = api.put(f"/projects/{p.id}/monitoring/2023/9", json=body, headers=headers)
    assert new_round.json()["profile"] == "national"


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = ("actual", "tier", "forecast", "likelihood", "causes", "target", "name", "tier_percent")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(FIELDS), value=JSON_VALUES, selfeval=st.booleans())
def test_any_value_in_any_field_is_an_answer_never_a_crash(
    api: TestClient, session: Session, world: World, field: str, value: Any, selfeval: bool
) -> None:
    p = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)  # own name
    headers = auth(session, world, Role.ADMIN)
    if selfeval:
        body, url = selfeval_body(api, p.id, headers), f"/projects/{p.id}/self-evaluations/2023"
    else:
        body, url = monitoring_body(api, p.id, headers), f"/projects/{p.id}/monitoring/2023/7"
    body["entry"]["indicators"][0][field] = value
    response = api.put(url, json=body, headers=headers)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert "\n" not in response.json()["error"]["message"]


def test_absurd_magnitudes_are_refused_or_scored_never_a_crash(
    api: TestClient, session: Session, world: World
) -> None:
    p = approved(session, world)
    headers = auth(session, world, Role.ADMIN)
    body = monitoring_body(api, p.id, headers)
    body["entry"]["funds"][0]["executed"] = "1e14"  # 10^20 分: more than a database integer
    money = api.put(f"/projects/{p.id}/monitoring/2023/7", json=body, headers=headers)
    assert money.status_code == 422
    assert "金额过大" in money.json()["error"]["fields"]["entry"]
    s_body = selfeval_body(api, p.id, headers)
    s_body["entry"]["indicators"][0]["actual"] = "1e27"
    number = api.put(f"/projects/{p.id}/self-evaluations/2023", json=s_body, headers=headers)
    assert number.status_code == 422
    assert "数值过大" in number.json()["error"]["fields"]["entry"]
    tiny = monitoring_body(api, p.id, headers)  # a ratio of 10^37: still a light and a text
    tiny["entry"]["indicators"][0].update(target="0.00000000000000000000001天", actual="1e14")
    lit = api.put(f"/projects/{p.id}/monitoring/2023/8", json=tiny, headers=headers)
    assert lit.status_code == 200, lit.text
    assert lit.json()["lights"][1]["light"] == "blue"
