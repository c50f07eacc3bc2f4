"""Separation of duties (issue 10, item 6): nobody approves what they submitted or approved
before, a 管理员 takes no review decision (unless configured), error-level findings are waived
one level up, and the three administrators' duties are apart."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factories import World, create_project, create_user
from jixiao.db.models import FindingRow
from jixiao.domain.enums import ProjectStatus, Role, Severity
from jixiao.services import audit
from jixiao.services.errors import Forbidden
from jixiao.services.pagination import PageParams
from jixiao.services.principal import Principal
from jixiao.services.projects.service import get_project
from jixiao.services.reviews.service import waive
from jixiao.services.users.schemas import UserCreate
from jixiao.services.users.service import create_user as create_account
from jixiao.services.workflow.service import transition
from jixiao.settings import Settings


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _second_dept_reviewer(session: Session, world: World) -> Principal:
    return Principal.of(
        create_user(session, username="dept2", role=Role.DEPT_REVIEWER, org=world.dept_a)
    )


def test_the_submitter_may_not_approve_the_same_step(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    dept = world.actor(Role.DEPT_REVIEWER)
    transition(session, dept, project.id, "submit")
    assert "dept_approve" not in get_project(session, dept, project.id).allowed
    with pytest.raises(Forbidden, match="职责分离"):
        transition(session, dept, project.id, "dept_approve")
    other = _second_dept_reviewer(session, world)
    assert "dept_approve" in get_project(session, other, project.id).allowed
    transition(session, other, project.id, "dept_approve")


def test_the_submitter_may_still_return_and_a_new_round_starts_afresh(
    session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a)
    dept, unit = world.actor(Role.DEPT_REVIEWER), world.actor(Role.UNIT_EDITOR)
    transition(session, dept, project.id, "submit")
    transition(session, dept, project.id, "dept_return", comment="撤回补充")
    transition(session, unit, project.id, "submit", comment="已补充")
    transition(session, dept, project.id, "dept_approve")


def test_an_administrator_does_not_approve_or_return_by_default(
    session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a, status=ProjectStatus.SUBMITTED)
    admin = world.actor(Role.ADMIN)
    assert not {"dept_approve", "dept_return"} & set(
        get_project(session, admin, project.id).allowed
    )
    for action, comment in (("dept_approve", None), ("dept_return", "退回")):
        with pytest.raises(Forbidden, match="管理员不参与审核"):
            transition(session, admin, project.id, action, comment=comment)


def test_with_the_setting_an_administrator_reviews_but_never_alone(
    session: Session, world: World
) -> None:
    project = create_project(session, org=world.unit_a)
    admin = Principal.of(world.users[Role.ADMIN], admin_may_review=True)
    transition(session, admin, project.id, "submit")
    with pytest.raises(Forbidden, match="职责分离"):
        transition(session, admin, project.id, "dept_approve")
    transition(session, world.actor(Role.DEPT_REVIEWER), project.id, "dept_approve")
    transition(session, admin, project.id, "finance_return", comment="请补充")
    transition(session, world.actor(Role.UNIT_EDITOR), project.id, "submit")
    transition(session, admin, project.id, "dept_approve")
    with pytest.raises(Forbidden, match="职责分离"):
        transition(session, admin, project.id, "finance_approve")
    transition(session, world.actor(Role.FINANCE_REVIEWER), project.id, "finance_approve")


def _finding(session: Session, world: World, severity: Severity) -> FindingRow:
    project = create_project(session, org=world.unit_a)
    row = FindingRow(project_id=project.id, rule="JX003", severity=severity, message="缺少指标")
    session.add(row)
    session.flush()
    return row


def test_an_error_finding_is_waived_one_level_up(session: Session, world: World) -> None:
    dept, finance = world.actor(Role.DEPT_REVIEWER), world.actor(Role.FINANCE_REVIEWER)
    warning = _finding(session, world, Severity.WARNING)
    assert waive(session, dept, warning.id, "已核实").waived
    error = _finding(session, world, Severity.ERROR)
    with pytest.raises(Forbidden, match="上一级"):
        waive(session, dept, error.id, "已核实")
    with pytest.raises(Forbidden, match="管理员不参与审核"):
        waive(session, world.actor(Role.ADMIN), error.id, "已核实")
    assert waive(session, finance, error.id, "财政复核同意").waived


def test_the_three_administrators_are_apart(
    session: Session, world: World, settings: Settings
) -> None:
    admin, security = world.actor(Role.ADMIN), world.actor(Role.SECURITY_ADMIN)
    auditor = world.actor(Role.AUDIT_ADMIN)
    viewer_id = world.users[Role.VIEWER].id
    created = create_account(
        session,
        admin,
        UserCreate(username="zhao", password="Fresh-horse-42", role=Role.VIEWER),
        settings,
    )
    with pytest.raises(Forbidden):
        audit.list_for_user(session, admin, viewer_id, PageParams())
    with pytest.raises(Forbidden):
        audit.list_for_object(session, admin, "user", created.id, PageParams())
    entries = audit.list_for_object(session, auditor, "user", created.id, PageParams())
    assert [e.action for e in entries.items] == ["user.create"]
    for actor in (security, auditor):
        with pytest.raises(Forbidden):
            create_account(
                session,
                actor,
                UserCreate(username="qian", password="Fresh-horse-42", role=Role.ADMIN),
                settings,
            )
    project = create_project(session, org=world.unit_a, status=ProjectStatus.SUBMITTED)
    with pytest.raises(Forbidden):
        transition(session, auditor, project.id, "dept_approve")
    assert get_project(session, auditor, project.id).allowed == []
