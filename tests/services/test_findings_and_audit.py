"""Findings (waive with a reason, re-run keeps waivers) and the audit trail listings."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factories import (
    World,
    create_org,
    create_project,
    create_user,
    document_bytes,
    make_document,
    make_indicator,
    make_project,
)
from jixiao.domain.enums import OrgKind, Role, Severity
from jixiao.services import audit
from jixiao.services.errors import Forbidden, NotFound, ValidationFailed
from jixiao.services.imports.service import Upload, apply_import
from jixiao.services.indicators.schemas import IndicatorUpdate, TargetIn
from jixiao.services.indicators.service import update_indicator
from jixiao.services.pagination import PageParams
from jixiao.services.principal import SYSTEM, Principal
from jixiao.services.projects.schemas import ProjectUpdate
from jixiao.services.projects.service import update_project
from jixiao.services.reviews.service import list_findings, rerun, waive


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def vague_project() -> object:
    """A project the real review engine objects to: no 满意度 indicator, vague values."""
    return make_project(
        name="宣传经费",
        indicators=[
            make_indicator(
                name="宣传效果",
                level1=("2", "效益指标"),
                level2=("22", "社会效益指标"),
                period="效果明显",
                annual="效果明显",
            ),
        ],
    )


def test_rerun_finds_problems_and_keeps_waivers(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, domain=vague_project())  # type: ignore[arg-type]
    dept = world.actor(Role.DEPT_REVIEWER)
    findings = rerun(session, dept, project.id)
    assert findings
    assert all(f.message for f in findings)
    target = next(f for f in findings if f.severity is not Severity.ERROR)
    with pytest.raises(ValidationFailed):
        waive(session, dept, target.id, "   ")
    with pytest.raises(Forbidden):
        waive(session, world.actor(Role.UNIT_EDITOR), target.id, "理由")
    waived = waive(session, dept, target.id, "已与单位核实，属合理情形")
    assert waived.waived
    again = rerun(session, dept, project.id)
    kept = [f for f in again if f.waived]
    assert [(f.rule, f.waived_reason) for f in kept] == [(target.rule, "已与单位核实，属合理情形")]
    assert len(again) == len(findings)
    assert list_findings(session, dept, project.id, include_waived=False) == [
        f for f in again if not f.waived
    ]


def test_waiving_again_records_the_real_before_state(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, domain=vague_project())  # type: ignore[arg-type]
    dept = world.actor(Role.DEPT_REVIEWER)
    target = next(f for f in rerun(session, dept, project.id) if f.severity is not Severity.ERROR)
    waive(session, dept, target.id, "第一次理由")
    waive(session, dept, target.id, "第二次理由")
    entries = audit.list_for_object(session, dept, "finding", target.id, PageParams()).items
    befores = sorted((e.before or {}).get("waived_reason") or "" for e in entries)
    assert befores == ["", "第一次理由"]
    assert sorted((e.after or {})["waived_reason"] for e in entries) == ["第一次理由", "第二次理由"]


def test_audit_lists_per_project_and_per_user(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    unit = world.actor(Role.UNIT_EDITOR)
    update_project(session, unit, project.id, ProjectUpdate(version=1, name="新名称"))
    entries = audit.list_for_project(session, unit, project.id, PageParams()).items
    assert [(e.action, e.actor_name) for e in entries] == [("project.update", "unit（单位填报）")]
    assert entries[0].before is not None
    assert entries[0].before["name"] != "新名称"
    assert entries[0].after is not None
    assert entries[0].after["name"] == "新名称"
    mine = audit.list_for_user(session, unit, unit.id or 0, PageParams())
    assert [e.object_id for e in mine.items] == [project.id]
    with pytest.raises(Forbidden):
        audit.list_for_user(session, unit, world.users[Role.ADMIN].id, PageParams())
    other = create_project(session, org=world.unit_b)
    with pytest.raises(NotFound):
        audit.list_for_project(session, unit, other.id, PageParams())


def test_audit_of_an_indicator_follows_its_project(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    indicator = project.indicators[0]
    unit = world.actor(Role.UNIT_EDITOR)
    update = IndicatorUpdate(
        version=1, level2_code="11", name="服务天数", annual=TargetIn(raw="360天")
    )
    update_indicator(session, unit, indicator.id, update)
    own = audit.list_for_object(session, unit, "indicator", indicator.id, PageParams())
    assert [e.action for e in own.items] == ["indicator.update"]
    other_unit = create_org(session, name="丙单位", kind=OrgKind.UNIT, parent=world.dept_b)
    outsider = create_user(session, username="outsider", role=Role.UNIT_EDITOR, org=other_unit)
    with pytest.raises(NotFound):
        audit.list_for_project(session, Principal.of(outsider), project.id, PageParams())
    with pytest.raises(Forbidden):
        audit.list_for_object(session, unit, "user", world.users[Role.ADMIN].id, PageParams())


def test_another_departments_document_audit_is_not_found_not_forbidden(
    session: Session, world: World
) -> None:
    """Regression: a 403 told an outsider that the document exists."""
    upload = Upload(document_bytes(make_document(department="乙部门")), "b.json", 2023)
    document_id = apply_import(session, SYSTEM, upload).document_id
    outsider = world.actor(Role.DEPT_REVIEWER)  # reviews 甲部门
    with pytest.raises(NotFound):
        audit.list_for_object(session, outsider, "document", document_id, PageParams())
    own = Principal.of(
        create_user(session, username="dept_b", role=Role.DEPT_REVIEWER, org=world.dept_b)
    )
    entries = audit.list_for_object(session, own, "document", document_id, PageParams())
    assert [e.action for e in entries.items] == ["import.apply"]
