"""The approval workflow: steps, required comments, locks, adjustments and approver stamps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import World, create_project
from jixiao.db.models import AuditEntry
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.errors import (
    Forbidden,
    InvalidTransition,
    Locked,
    StaleVersion,
    ValidationFailed,
)
from jixiao.services.indicators.schemas import IndicatorUpdate, TargetIn
from jixiao.services.indicators.service import update_indicator
from jixiao.services.projects.schemas import AmountsIn, ProjectUpdate
from jixiao.services.projects.service import (
    compare_versions,
    get_project,
    get_version,
    update_project,
)
from jixiao.services.workflow.service import transition


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_full_path_records_every_stamp(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    unit, dept = world.actor(Role.UNIT_EDITOR), world.actor(Role.DEPT_REVIEWER)
    finance = world.actor(Role.FINANCE_REVIEWER)
    transition(session, unit, project.id, "submit")
    transition(session, dept, project.id, "dept_return", comment="满意度指标缺少调查对象")
    transition(session, unit, project.id, "submit", comment="已补充")
    transition(session, dept, project.id, "dept_approve")
    transition(session, finance, project.id, "finance_approve", comment="同意")
    transition(session, finance, project.id, "publish")
    detail = get_project(session, unit, project.id)
    assert detail.status is ProjectStatus.PUBLISHED
    stamps = [(t.action, t.actor_name, t.comment) for t in detail.transitions]
    assert stamps == [
        ("submit", "unit（单位填报）", None),
        ("dept_return", "dept（部门审核）", "满意度指标缺少调查对象"),
        ("submit", "unit（单位填报）", "已补充"),
        ("dept_approve", "dept（部门审核）", None),
        ("finance_approve", "finance（财政审核）", "同意"),
        ("publish", "finance（财政审核）", None),
    ]
    assert [v.kind for v in detail.versions] == ["approved"]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.project_id == project.id).order_by(AuditEntry.id)
    ).all()
    assert actions == [f"workflow.{a}" for a, _, _ in stamps]


def test_return_requires_a_comment(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.SUBMITTED)
    with pytest.raises(ValidationFailed) as err:
        transition(session, world.actor(Role.DEPT_REVIEWER), project.id, "dept_return", "  ")
    assert "comment" in err.value.fields
    assert project.status is ProjectStatus.SUBMITTED


def test_wrong_status_is_a_conflict(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    with pytest.raises(InvalidTransition, match="草稿"):
        transition(session, world.actor(Role.FINANCE_REVIEWER), project.id, "finance_approve")


def test_unit_editor_cannot_approve(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.SUBMITTED)
    with pytest.raises(Forbidden):
        transition(session, world.actor(Role.UNIT_EDITOR), project.id, "dept_approve")


def test_stale_version_is_refused(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    with pytest.raises(StaleVersion):
        transition(session, world.actor(Role.UNIT_EDITOR), project.id, "submit", version=99)


def test_approved_targets_are_locked(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED)
    indicator = project.indicators[0]
    unit = world.actor(Role.UNIT_EDITOR)
    with pytest.raises(Locked, match="调整"):
        update_project(session, unit, project.id, ProjectUpdate(version=1, name="新名称"))
    edit = IndicatorUpdate(
        version=1, name="服务天数", level1_code="1", level2_code="11", annual=TargetIn(raw="300天")
    )
    with pytest.raises(Locked):
        update_indicator(session, unit, indicator.id, edit)


def test_adjustment_creates_a_new_edition_and_keeps_the_original(
    session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.DEPT_APPROVED)
    finance, unit = world.actor(Role.FINANCE_REVIEWER), world.actor(Role.UNIT_EDITOR)
    transition(session, finance, project.id, "finance_approve")
    with pytest.raises(ValidationFailed):
        transition(session, unit, project.id, "adjust")
    transition(session, unit, project.id, "adjust", comment="年中预算调减，目标相应调整")
    detail = get_project(session, unit, project.id)
    assert (detail.status, detail.edition, detail.locked) == (ProjectStatus.DRAFT, 2, False)
    amounts = AmountsIn(total=Decimal(100), fiscal=Decimal(100))
    update = ProjectUpdate(version=detail.version, name="调整后", amounts=amounts)
    update_project(session, unit, project.id, update)
    after = get_project(session, unit, project.id)
    kinds = [(v.kind, v.edition) for v in after.versions]
    assert kinds == [("approved", 1), ("adjustment", 2)]
    approved = after.versions[0]
    assert approved.reason is None
    original = get_version(session, unit, project.id, approved.id)
    assert original.snapshot["name"] != "调整后"
    assert after.name == "调整后"
    transition(session, unit, project.id, "submit")
    transition(session, world.actor(Role.DEPT_REVIEWER), project.id, "dept_approve")
    transition(session, finance, project.id, "finance_approve")
    versions = get_project(session, unit, project.id).versions
    first, last = versions[0], versions[-1]
    assert (last.kind, last.edition) == ("approved", 2)
    change = compare_versions(session, unit, project.id, first.id, last.id)
    assert change.name == "调整后"
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("amounts.total", "125", "100"),
        ("amounts.fiscal", "125", "100"),
    ]
    assert after.transitions[-1].comment == "年中预算调减，目标相应调整"
