"""Monitoring and self-evaluation through the services, on the migrated database."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import World, create_project
from jixiao.db.models import AuditEntry, MonitoringRecord, SelfEvaluationRecord
from jixiao.domain.enums import Grade, Light, ProjectStatus, Role
from jixiao.services.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.evaluations.service import (
    export_self_evaluation,
    get_self_evaluation,
    save_self_evaluation,
    selfeval_template,
)
from jixiao.services.monitoring.schemas import MonitoringIn
from jixiao.services.monitoring.service import (
    export_monitoring,
    get_monitoring,
    list_monitoring,
    monitoring_template,
    save_monitoring,
)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _filled_monitoring(template: dict[str, Any], executed: str) -> dict[str, Any]:
    entry = dict(template)
    entry["funds"] = [{**template["funds"][0], "executed": executed}]
    days, satisfaction = template["indicators"]
    entry["indicators"] = [
        {
            **days,
            "actual": "150",
            "likelihood": "有可能",
            "causes": ["人员保障"],
            "cause_note": "上半年人手不足",
            "measures": "下半年增加外包人员",
        },
        {**satisfaction, "actual": "93", "likelihood": "确定能"},
    ]
    entry["budget_deviation"] = "合同按季度支付"
    return entry


def test_monitoring_round_is_stored_lit_and_audited(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    unit = world.actor(Role.UNIT_EDITOR)
    template = monitoring_template(session, unit, project.id)
    assert [i["target"] for i in template["indicators"]] == ["365天", "≥90%"]
    entry = _filled_monitoring(template, "50")
    out = save_monitoring(
        session, unit, project.id, MonitoringIn(year=2023, end_month=7, entry=entry)
    )
    # 150 / (365 × 7/12 = 212.92) = 70.45% → yellow; budget 50/125 = 40% vs 58.33% → yellow
    assert [(x.subject, x.light) for x in out.lights] == [
        ("预算执行", Light.YELLOW),
        ("服务天数", Light.YELLOW),
        ("服务对象满意度", Light.GREEN),
    ]
    assert out.worst_light is Light.YELLOW
    assert out.issues == []
    assert out.execution_rate == Decimal(40)
    row = session.scalar(select(MonitoringRecord).where(MonitoringRecord.id == out.id))
    assert row is not None
    assert row.executed is not None
    assert row.executed.fen == 50_000_000  # 50 万元 in 分
    assert row.entry["funds"][0]["executed"] == "50"
    assert get_monitoring(session, world.actor(Role.VIEWER), project.id, 2023, 7).id == out.id
    assert [m.period for m in list_monitoring(session, unit, project.id)] == ["1–7月"]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.project_id == project.id)
    ).all()
    assert "monitoring.save" in actions


def test_second_save_names_the_version(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    unit = world.actor(Role.UNIT_EDITOR)
    entry = _filled_monitoring(monitoring_template(session, unit, project.id), "70")
    first = save_monitoring(
        session, unit, project.id, MonitoringIn(year=2023, end_month=7, entry=entry)
    )
    with pytest.raises(StaleVersion):
        save_monitoring(
            session, unit, project.id, MonitoringIn(year=2023, end_month=7, entry=entry)
        )
    again = MonitoringIn(year=2023, end_month=7, entry=entry, version=first.version)
    assert save_monitoring(session, unit, project.id, again).version == 2


def test_missing_reasons_are_open_issues(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    unit = world.actor(Role.UNIT_EDITOR)
    entry = _filled_monitoring(monitoring_template(session, unit, project.id), "20")
    entry["indicators"][0] = {k: v for k, v in entry["indicators"][0].items() if k != "causes"}
    entry.pop("budget_deviation")
    out = save_monitoring(
        session, unit, project.id, MonitoringIn(year=2023, end_month=7, entry=entry)
    )
    assert {(i.indicator, i.field) for i in out.issues} == {
        (None, "budget_deviation"),
        ("服务天数", "causes"),
    }


def test_permissions_and_bad_input(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_b, status=ProjectStatus.APPROVED)
    entry = _filled_monitoring(
        monitoring_template(session, world.actor(Role.ADMIN), project.id), "70"
    )
    request = MonitoringIn(year=2023, end_month=7, entry=entry)
    with pytest.raises((Forbidden, NotFound)):
        save_monitoring(session, world.actor(Role.UNIT_EDITOR), project.id, request)  # other unit
    with pytest.raises(Forbidden):
        save_monitoring(session, world.actor(Role.FINANCE_REVIEWER), project.id, request)
    bad = MonitoringIn(year=2023, end_month=7, entry={**entry, "funds": [{"budget": "abc"}]})
    with pytest.raises(ValidationFailed) as err:
        save_monitoring(session, world.actor(Role.ADMIN), project.id, bad)
    assert "funds[0].budget" in err.value.fields["entry"]
    with pytest.raises(NotFound):
        get_monitoring(session, world.actor(Role.ADMIN), project.id, 2023, 6)


def test_monitoring_exports(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    unit = world.actor(Role.UNIT_EDITOR)
    entry = _filled_monitoring(monitoring_template(session, unit, project.id), "50")
    save_monitoring(session, unit, project.id, MonitoringIn(year=2023, end_month=7, entry=entry))
    ws = load_workbook(
        io.BytesIO(export_monitoring(session, unit, project.id, 2023, 7, "xlsx"))
    ).active
    assert ws is not None
    assert ws["A1"].value == "项目支出绩效目标执行监控表（2023年1–7月）"
    assert (
        ws["A4"].value == "主管部门" or ws["C3"].value == "甲单位" or ws["C2"].value == project.name
    )
    assert export_monitoring(session, unit, project.id, 2023, 7, "pdf").startswith(b"%PDF")


def _filled_selfeval(template: dict[str, Any], executed: str, days: str) -> dict[str, Any]:
    entry = dict(template)
    entry["funds"] = [{**template["funds"][0], "executed": executed}]
    service_days, satisfaction = template["indicators"]
    entry["indicators"] = [
        {**service_days, "actual": days, "deviation": "春节停工"},
        {**satisfaction, "actual": "95"},
    ]
    return entry


def test_self_evaluation_is_scored_reconciled_and_exported(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    unit = world.actor(Role.UNIT_EDITOR)
    mid = _filled_monitoring(monitoring_template(session, unit, project.id), "80")
    save_monitoring(session, unit, project.id, MonitoringIn(year=2023, end_month=7, entry=mid))
    entry = _filled_selfeval(selfeval_template(session, unit, project.id), "75", "140")
    out = save_self_evaluation(session, unit, project.id, SelfEvaluationIn(year=2023, entry=entry))
    # No 效益 indicator: 10 + 50 + 10 = 70 points re-scaled × 100/70 → 14.29, 71.43, 14.28.
    assert [ln.weight for ln in out.lines] == [Decimal("14.29"), Decimal("71.43"), Decimal("14.28")]
    assert out.lines[0].points == Decimal("8.57")  # 75/125 = 60% × 14.29 = 8.574
    assert out.lines[1].points == Decimal("27.40")  # 140/365 × 71.43 = 27.397…
    assert out.lines[2].points == Decimal("14.28")  # 95% ≥ 90%
    assert out.total == Decimal("50.25")
    assert out.grade is Grade.POOR
    codes = sorted(d.code for d in out.discrepancies)
    assert codes == ["RC003", "RC004"]  # spent less than reported in July; 140 < 150 days
    row = session.scalar(select(SelfEvaluationRecord).where(SelfEvaluationRecord.id == out.id))
    assert row is not None
    assert row.total == Decimal("50.25")
    assert (
        get_self_evaluation(session, world.actor(Role.VIEWER), project.id, 2023).grade_label == "差"
    )
    ws = load_workbook(
        io.BytesIO(export_self_evaluation(session, unit, project.id, 2023, "xlsx"))
    ).active
    assert ws is not None
    assert ws["A1"].value == "项目支出绩效自评表（2023年度）"


def test_published_figures_are_checked_when_stored(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    unit = world.actor(Role.UNIT_EDITOR)
    entry = _filled_selfeval(selfeval_template(session, unit, project.id), "75", "140")
    plain = save_self_evaluation(
        session, unit, project.id, SelfEvaluationIn(year=2023, entry=entry)
    )
    assert not any(d.code.startswith("SC") for d in plain.discrepancies)
    # The table as published: full marks for 140 of 365 days, a total that is not the sum.
    days, satisfaction = entry["indicators"]
    days |= {"weight": "60", "published_score": "60"}
    satisfaction |= {"weight": "30", "published_score": "30"}
    entry["published_total"] = "99"
    out = save_self_evaluation(
        session, unit, project.id, SelfEvaluationIn(year=2023, entry=entry, version=plain.version)
    )
    found = {d.code: d for d in out.discrepancies}
    assert set(found) & {f"SC00{n}" for n in range(1, 10)} == {"SC001", "SC003"}
    assert found["SC001"].evidence == {"公布": "99", "复核": "90"}
    assert found["SC003"].indicator == days["name"]
    assert out.entry["published_total"] == "99"
