"""Project list filters, paging and sorting; header edits with optimistic locking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from factories import World, create_org, create_project, make_project
from jixiao.db.models import FindingRow
from jixiao.domain.enums import Grade, OrgKind, ProjectStatus, Role, Severity
from jixiao.services.errors import Forbidden, StaleVersion, ValidationFailed
from jixiao.services.pagination import PageParams
from jixiao.services.projects.schemas import AmountsIn, ProjectFilters, ProjectUpdate
from jixiao.services.projects.service import get_project, list_projects, update_project


@pytest.fixture
def world(session: Session) -> World:
    world = World(session)
    a = create_project(session, org=world.unit_a, domain=make_project(name="食品抽检", total="10"))
    b = create_project(
        session, org=world.unit_a, year=2024, domain=make_project(name="电梯监测", total="30")
    )
    c = create_project(
        session,
        org=world.unit_b,
        status=ProjectStatus.APPROVED,
        domain=make_project(name="广告监测", total="20", goal="开展食品广告监测"),
    )
    a.grade, c.grade = Grade.GOOD, Grade.POOR
    session.add(FindingRow(project_id=b.id, rule="JX005", severity=Severity.ERROR, message="m"))
    session.flush()
    return world


def names(
    session: Session, world: World, page: PageParams | None = None, **filters: object
) -> list[str]:
    result = list_projects(
        session, world.actor(Role.ADMIN), ProjectFilters(**filters), page or PageParams()
    )
    return [p.name for p in result.items]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["电梯监测", "广告监测", "食品抽检"]),
        ({"year": 2023}, ["广告监测", "食品抽检"]),
        ({"status": ProjectStatus.APPROVED}, ["广告监测"]),
        ({"grade": Grade.GOOD}, ["食品抽检"]),
        ({"q": "食品"}, ["广告监测", "食品抽检"]),
        ({"q": "100%_"}, []),
        ({"rule": "JX005"}, ["电梯监测"]),
        ({"sort": "-total"}, ["电梯监测", "广告监测", "食品抽检"]),
        ({"sort": "total"}, ["食品抽检", "广告监测", "电梯监测"]),
    ],
)
def test_filters_and_sorting(
    session: Session, world: World, filters: dict[str, object], expected: list[str]
) -> None:
    found = names(session, world, **filters)
    # Name order depends on the database collation; totals sort the same everywhere.
    assert found == expected if "sort" in filters else sorted(found) == sorted(expected)


def test_org_filter_includes_units_and_respects_scope(session: Session, world: World) -> None:
    assert sorted(names(session, world, org_id=world.dept_a.id)) == ["电梯监测", "食品抽检"]
    unit = list_projects(
        session, world.actor(Role.UNIT_EDITOR), ProjectFilters(org_id=world.dept_b.id), PageParams()
    )
    assert unit.total == 0


def test_paging(session: Session, world: World) -> None:
    by_total = ProjectFilters(sort="-total")
    first = list_projects(session, world.actor(Role.ADMIN), by_total, PageParams(size=2))
    second = list_projects(session, world.actor(Role.ADMIN), by_total, PageParams(page=2, size=2))
    assert (first.total, len(first.items), len(second.items)) == (3, 2, 1)
    assert (second.total, [p.name for p in first.items + second.items]) == (
        3,
        names(session, world, sort="-total"),
    )
    beyond = list_projects(session, world.actor(Role.ADMIN), by_total, PageParams(page=9, size=2))
    assert (beyond.total, beyond.items) == (3, [])  # past the last page the count still shows
    summary = first.items[0]
    assert (summary.total, summary.indicator_count, summary.open_errors) == (Decimal(30), 2, 1)


def test_update_header_goals_and_funding(session: Session, world: World) -> None:
    project = next(
        p
        for p in list_projects(
            session, world.actor(Role.ADMIN), ProjectFilters(q="食品抽检"), PageParams()
        ).items
    )
    unit = world.actor(Role.UNIT_EDITOR)
    update = ProjectUpdate(
        version=1,
        name="食品安全抽检",
        annual_goal="全年抽检 1500 批次",
        amounts=AmountsIn(total=Decimal("12.5"), fiscal=Decimal("10"), other=Decimal("2.5")),
    )
    detail = update_project(session, unit, project.id, update)
    assert detail.version == 2
    assert (detail.name, detail.annual_goal) == ("食品安全抽检", "全年抽检 1500 批次")
    assert detail.amounts.model_dump() == {
        "total": Decimal("12.5"),
        "fiscal": Decimal(10),
        "special": None,
        "other": Decimal("2.5"),
    }
    with pytest.raises(StaleVersion):
        update_project(session, unit, project.id, ProjectUpdate(version=1, name="再改"))
    bad = ProjectUpdate(version=2, amounts=AmountsIn(total=Decimal(1), fiscal=Decimal(2)))
    with pytest.raises(ValidationFailed) as err:
        update_project(session, unit, project.id, bad)
    assert "amounts.total" in err.value.fields
    assert get_project(session, unit, project.id).version == 2


def test_department_reviewer_assigns_a_project_to_a_unit(session: Session) -> None:
    world = World(session)
    project = create_project(session, org=world.dept_a, name="部门项目")
    dept, unit = world.actor(Role.DEPT_REVIEWER), world.actor(Role.UNIT_EDITOR)
    before = list_projects(session, unit, ProjectFilters(), PageParams())
    assert project.id not in {p.id for p in before.items}
    with pytest.raises(Forbidden):
        update_project(session, dept, project.id, ProjectUpdate(version=1, org_id=world.unit_b.id))
    elsewhere = create_org(session, name="他部门", kind=OrgKind.DEPARTMENT)
    with pytest.raises(Forbidden):
        update_project(session, dept, project.id, ProjectUpdate(version=1, org_id=elsewhere.id))
    moved = update_project(
        session, dept, project.id, ProjectUpdate(version=1, org_id=world.unit_a.id)
    )
    assert (moved.org_id, moved.org_name) == (world.unit_a.id, "甲单位")
    after = list_projects(session, unit, ProjectFilters(), PageParams())
    assert project.id in {p.id for p in after.items}
    admin = world.actor(Role.ADMIN)
    with pytest.raises(ValidationFailed):
        update_project(session, admin, project.id, ProjectUpdate(version=2, org_id=world.unit_b.id))
