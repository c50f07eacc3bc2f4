"""The dashboard's cached figures follow every change, on both backends and under concurrency.

Each change is made the way any writer makes it (ORM or plain SQL); the cached overview must show
it at once and equal an overview computed with an empty cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from factories import World, create_project
from jixiao.db.migrate import upgrade
from jixiao.db.models import FindingRow, FundingLine, Organisation, Project
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import FundSource, Grade, ProjectStatus, Role, Severity
from jixiao.domain.money import Money
from jixiao.services.dashboard import service as dashboard
from jixiao.services.dashboard.rollups import CACHE
from jixiao.services.dashboard.schemas import Overview
from jixiao.settings import Settings


def _fresh(session: Session, world: World, year: int | None = None) -> Overview:
    CACHE.clear()
    return dashboard.overview(session, world.actor(Role.ADMIN), year)


def _cached(session: Session, world: World, year: int | None = None) -> Overview:
    """The overview through the warm cache, checked against one from an empty cache."""
    cached = dashboard.overview(session, world.actor(Role.ADMIN), year)
    assert cached == _fresh(session, world, year)
    dashboard.overview(session, world.actor(Role.ADMIN), year)  # warm again
    return cached


def _finding(session: Session, project: Project, rule: str = "JX006") -> FindingRow:
    row = FindingRow(
        project_id=project.id,
        rule=rule,
        severity=Severity.WARNING,
        message="指标值为定性描述",
        evidence={},
    )
    session.add(row)
    session.flush()
    return row


def _total(session: Session, project: Project) -> int:
    line = session.scalars(
        select(FundingLine).where(
            FundingLine.project_id == project.id, FundingLine.source == FundSource.TOTAL
        )
    ).one()
    return line.amount.fen


def test_every_kind_of_change_shows_at_once(session: Session) -> None:
    world = World(session)
    first = create_project(session, org=world.unit_a)
    second = create_project(session, org=world.unit_a)
    other = create_project(session, org=world.unit_b)
    before = _cached(session, world, 2023)
    assert before.project_count == 3
    assert before.by_status == {ProjectStatus.DRAFT: 3}

    first.status = ProjectStatus.SUBMITTED
    session.flush()
    assert _cached(session, world, 2023).by_status == {
        ProjectStatus.DRAFT: 2,
        ProjectStatus.SUBMITTED: 1,
    }

    session.execute(update(Project).where(Project.id == second.id).values(grade=Grade.POOR))
    assert _cached(session, world, 2023).grades == {Grade.POOR: 1}

    budget = before.budget_fen
    session.execute(
        update(FundingLine)
        .where(FundingLine.project_id == other.id, FundingLine.source == FundSource.TOTAL)
        .values(amount=Money(_total(session, other) + 12_345))
    )
    assert _cached(session, world, 2023).budget_fen == budget + 12_345

    finding = _finding(session, other, rule="JX099")
    assert _cached(session, world, 2023).findings_by_rule.get("JX099") == 1
    finding.waived = True
    session.flush()
    assert "JX099" not in _cached(session, world, 2023).findings_by_rule

    session.execute(update(Project).where(Project.id == other.id).values(org_id=world.unit_a.id))
    orgs = {row.org_name: row.count for row in _cached(session, world, 2023).by_org}
    assert orgs == {"甲单位": 3}

    session.execute(
        update(Organisation).where(Organisation.id == world.unit_a.id).values(name="甲单位（更名）")
    )
    assert [row.org_name for row in _cached(session, world, 2023).by_org] == ["甲单位（更名）"]

    session.execute(delete(Project).where(Project.id == first.id))
    assert _cached(session, world, 2023).project_count == 2

    create_project(session, org=world.unit_b, year=2024)
    latest = _cached(session, world)
    assert (latest.year, latest.years, latest.project_count) == (2024, [2024, 2023], 1)


def test_a_rolled_back_write_leaves_nothing_behind(session: Session) -> None:
    world = World(session)
    project = create_project(session, org=world.unit_a)
    assert _cached(session, world, 2023).project_count == 1
    with session.begin_nested() as savepoint:
        create_project(session, org=world.unit_a)
        assert dashboard.overview(session, world.actor(Role.ADMIN), 2023).project_count == 2
        savepoint.rollback()
    assert _cached(session, world, 2023).project_count == 1
    project.status = ProjectStatus.RETURNED
    session.flush()
    assert _cached(session, world, 2023).by_status == {ProjectStatus.RETURNED: 1}


def test_readers_during_concurrent_writes_end_on_the_truth(scratch_settings: Settings) -> None:
    """Four readers hammer the dashboard while a writer commits status changes one by one;
    afterwards the cached figures equal a fresh computation."""
    upgrade(scratch_settings)
    factory = make_session_factory(make_engine(scratch_settings))
    with transaction(factory) as session:
        world = World(session)
        ids = [create_project(session, org=world.unit_a).id for _ in range(12)]
        admin = world.actor(Role.ADMIN)
    errors: list[BaseException] = []
    done = threading.Event()

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as exc:  # reported by the main thread below
                errors.append(exc)
                done.set()

        return run

    def write() -> None:
        for pid in ids:
            with transaction(factory) as session:
                session.execute(
                    update(Project).where(Project.id == pid).values(status=ProjectStatus.SUBMITTED)
                )
        done.set()

    def read() -> None:
        while not done.is_set():
            with factory() as session:
                dashboard.overview(session, admin, 2023)

    threads = [threading.Thread(target=guarded(read)) for _ in range(4)]
    threads.append(threading.Thread(target=guarded(write)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with factory() as session:
        cached = dashboard.overview(session, admin, 2023)
        assert cached.by_status == {ProjectStatus.SUBMITTED: 12}
        CACHE.clear()
        assert dashboard.overview(session, admin, 2023) == cached


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    CACHE.clear()
