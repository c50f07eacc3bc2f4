"""The dashboard figures on both backends: grouped in SQL, equal to counting by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from factories import World, create_project, make_project
from jixiao.db.models import FindingRow, FundingLine, Project, Transition
from jixiao.domain.enums import FundSource, Grade, ProjectStatus, Role, Severity
from jixiao.services.dashboard import service as dashboard


def _project(
    session: Session, world: World, org: str, total: str, status: ProjectStatus, **kw: object
) -> Project:
    row = create_project(
        session,
        org=getattr(world, org),
        status=status,
        domain=make_project(name=f"{org}{total}{status}", total=total),
        year=int(str(kw.get("year", 2023))),
    )
    row.grade = kw.get("grade")  # type: ignore[assignment]
    return row


def _finding(
    session: Session, project: Project, rule: str, severity: Severity, waived: bool
) -> None:
    session.add(
        FindingRow(
            project_id=project.id, rule=rule, severity=severity, message="测试", waived=waived
        )
    )


def _seed(session: Session) -> World:
    world = World(session)
    a1 = _project(session, world, "dept_a", "100.00", ProjectStatus.DRAFT, grade=Grade.EXCELLENT)
    _project(session, world, "dept_a", "50.50", ProjectStatus.SUBMITTED, grade=Grade.GOOD)
    _project(session, world, "dept_a", "0.25", ProjectStatus.SUBMITTED)
    u1 = _project(session, world, "unit_a", "20.00", ProjectStatus.RETURNED, grade=Grade.EXCELLENT)
    b1 = _project(session, world, "dept_b", "300.00", ProjectStatus.DEPT_APPROVED, grade=Grade.FAIR)
    no_total = _project(session, world, "dept_b", "7.00", ProjectStatus.DRAFT)
    old = _project(session, world, "dept_a", "999.00", ProjectStatus.DRAFT, year=2022)
    session.flush()
    session.execute(
        delete(FundingLine).where(
            FundingLine.project_id == no_total.id, FundingLine.source == FundSource.TOTAL
        )
    )
    _finding(session, a1, "JX001", Severity.ERROR, False)
    _finding(session, a1, "JX006", Severity.WARNING, False)
    _finding(session, u1, "JX006", Severity.WARNING, False)
    _finding(session, b1, "JX006", Severity.WARNING, True)
    _finding(session, b1, "JX002", Severity.ERROR, False)
    _finding(session, old, "JX001", Severity.ERROR, False)
    session.flush()
    return world


def test_admin_sees_every_organisation_of_the_latest_year(session: Session) -> None:
    world = _seed(session)
    o = dashboard.overview(session, world.actor(Role.ADMIN))
    assert (o.year, o.years) == (2023, [2023, 2022])
    assert o.project_count == 6
    assert o.budget_fen == 470_750_000  # 470.75 万元; the project without 总计 adds nothing
    rows = {r.org_name: (r.count, r.budget_fen, r.by_status) for r in o.by_org}
    assert rows == {
        "乙部门": (2, 300_000_000, {ProjectStatus.DEPT_APPROVED: 1, ProjectStatus.DRAFT: 1}),
        "甲部门": (3, 150_750_000, {ProjectStatus.DRAFT: 1, ProjectStatus.SUBMITTED: 2}),
        "甲单位": (1, 20_000_000, {ProjectStatus.RETURNED: 1}),
    }
    assert [r.org_name for r in o.by_org] == ["乙部门", "甲部门", "甲单位"]
    assert o.by_status == {
        ProjectStatus.DRAFT: 2,
        ProjectStatus.SUBMITTED: 2,
        ProjectStatus.RETURNED: 1,
        ProjectStatus.DEPT_APPROVED: 1,
    }
    assert o.grades == {Grade.EXCELLENT: 2, Grade.GOOD: 1, Grade.FAIR: 1}
    assert o.findings_by_severity == {Severity.ERROR: 2, Severity.WARNING: 2}
    assert o.findings_by_rule == {"JX006": 2, "JX001": 1, "JX002": 1}


def test_department_reviewer_sees_own_department_and_units_of_a_chosen_year(
    session: Session,
) -> None:
    world = _seed(session)
    o = dashboard.overview(session, world.actor(Role.DEPT_REVIEWER), 2023)
    assert o.project_count == 4
    assert {r.org_name: r.count for r in o.by_org} == {"甲部门": 3, "甲单位": 1}
    assert o.grades == {Grade.EXCELLENT: 2, Grade.GOOD: 1}
    assert o.findings_by_rule == {"JX006": 2, "JX001": 1}
    assert sorted(t.name for t in o.to_review) == ["dept_a0.25submitted", "dept_a50.50submitted"]
    old = dashboard.overview(session, world.actor(Role.DEPT_REVIEWER), 2022)
    assert (old.project_count, old.budget_fen, old.grades) == (1, 999_000_000, {})


def test_each_to_do_list_is_newest_first_and_capped(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "TODO_LIMIT", 3)
    world = World(session)
    start = datetime(2024, 5, 1, tzinfo=UTC)
    made = {}
    for n, (year, status) in enumerate(
        [(2023, ProjectStatus.DRAFT)] * 2
        + [(2024, ProjectStatus.DRAFT)] * 3
        + [(2023, ProjectStatus.SUBMITTED), (2024, ProjectStatus.RETURNED)]
    ):
        row = create_project(
            session,
            org=world.unit_a,
            status=status,
            domain=make_project(name=f"{year}-{status}-{n}"),
            year=year,
        )
        row.updated_at = start + timedelta(hours=n)
        made[row.name] = row
    returned = made["2024-returned-6"]
    session.add(
        Transition(
            project_id=returned.id,
            from_status=ProjectStatus.SUBMITTED,
            to_status=ProjectStatus.RETURNED,
            action="return",
            actor_name="审核员",
            comment="请补充成本指标",
            edition=1,
        )
    )
    session.flush()
    o = dashboard.overview(session, world.actor(Role.DEPT_REVIEWER))
    # the newest year first, then the latest change; three at most
    assert [t.name for t in o.to_review] == ["2023-submitted-5"]
    assert [(t.name, t.note) for t in o.returned] == [("2024-returned-6", "审核员：请补充成本指标")]
    editor = dashboard.overview(session, world.actor(Role.UNIT_EDITOR))
    assert [t.name for t in editor.to_fill] == ["2024-draft-4", "2024-draft-3", "2024-draft-2"]
    assert [t.year for t in editor.to_fill] == [2024, 2024, 2024]
    assert editor.to_review == []
