"""The project list's text search on the trigram indexes: names and goals, kept on every write."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factories import World, create_project, make_project
from jixiao.db.models import Goal, Project
from jixiao.db.search import PROJECT_FTS, has_fts_table
from jixiao.domain.enums import Role
from jixiao.services.pagination import PageParams
from jixiao.services.projects.schemas import ProjectFilters
from jixiao.services.projects.service import list_projects


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _names(session: Session, world: World, q: str) -> list[str]:
    page = list_projects(
        session, world.actor(Role.ADMIN), ProjectFilters(q=q), PageParams(size=500)
    )
    return [p.name for p in page.items]


def test_names_and_goals_are_found_and_follow_edits(session: Session, world: World) -> None:
    create_project(
        session, org=world.unit_a, domain=make_project(name="机关物业管理费", goal="保障办公")
    )
    create_project(
        session,
        org=world.unit_b,
        domain=make_project(name="食品抽检", goal="完成ABC类食品安全抽检 2000 批次"),
    )
    create_project(
        session, org=world.unit_b, domain=make_project(name="折扣100%_专项", goal="专项")
    )
    assert _names(session, world, "物业管理") == ["机关物业管理费"]
    assert _names(session, world, "abc类") == ["食品抽检"]  # goal text, any case
    assert _names(session, world, "ABC类") == _names(session, world, "Abc") == ["食品抽检"]
    assert _names(session, world, "物业") == ["机关物业管理费"]  # two characters: a scan
    assert _names(session, world, "0%_") == ["折扣100%_专项"]  # wildcards are literal
    assert _names(session, world, "不存在的项目") == []
    # a rename, a goal edit and a delete are seen at once
    session.execute(update(Project).where(Project.name == "机关物业管理费").values(name="后勤服务"))
    goal = session.scalars(select(Goal).where(Goal.text.like("%ABC%"))).one()
    goal.text = "完成粮油类抽检"
    session.flush()
    assert _names(session, world, "物业管理") == []
    assert _names(session, world, "后勤服务") == ["后勤服务"]
    assert _names(session, world, "abc类") == []
    assert _names(session, world, "粮油类") == ["食品抽检"]
    session.delete(session.scalars(select(Project).where(Project.name == "食品抽检")).one())
    session.flush()
    assert _names(session, world, "粮油类") == []


def test_sqlite_has_its_trigram_table(session: Session, backend: str) -> None:
    assert has_fts_table(session, PROJECT_FTS) is (backend == "sqlite")
