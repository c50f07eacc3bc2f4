"""A file imported before is a duplicate only for the same department and year.

A template re-used for another year (or another department) is imported as new projects, and
the preview says exactly what confirming will do. The preview never reveals a document of a
department the user may not see.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import World, create_user, document_bytes, make_document, make_project
from jixiao.db.models import FiscalYear, ImportedDocument, Project
from jixiao.domain.enums import Role
from jixiao.services.imports.service import Upload, apply_import, preview_import
from jixiao.services.principal import SYSTEM, Principal


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def template(department: str) -> bytes:
    projects = [make_project(name=f"项目{i}") for i in range(3)]
    return document_bytes(make_document(projects=projects, department=department, year=2023))


def projects_in(session: Session, year: int) -> int:
    stmt = select(func.count()).select_from(Project).join(FiscalYear)
    return session.scalar(stmt.where(FiscalYear.year == year)) or 0


def test_same_file_for_another_year_is_imported_and_the_preview_agrees(
    session: Session, world: World
) -> None:
    data = template("甲部门")
    apply_import(session, SYSTEM, Upload(data, "目标表.json", 2023))
    preview = preview_import(session, SYSTEM, Upload(data, "目标表.json", 2024))
    assert preview.already_imported_document_id is None
    assert len(preview.diff.added) == 3
    result = apply_import(session, SYSTEM, Upload(data, "目标表.json", 2024))
    assert not result.unchanged_file
    assert result.diff.added == preview.diff.added
    assert projects_in(session, 2024) == 3
    assert session.scalar(select(func.count()).select_from(ImportedDocument)) == 2


def test_same_file_same_department_and_year_previews_as_no_change(
    session: Session, world: World
) -> None:
    data = template("甲部门")
    first = apply_import(session, SYSTEM, Upload(data, "目标表.json", 2023))
    preview = preview_import(session, SYSTEM, Upload(data, "目标表.json", 2023))
    assert preview.already_imported_document_id == first.document_id
    assert (preview.diff.added, preview.diff.changed, preview.diff.removed) == ([], [], [])
    again = apply_import(session, SYSTEM, Upload(data, "目标表.json", 2023))
    assert again.unchanged_file
    assert again.diff == preview.diff


def test_same_file_for_another_department_is_new_and_reveals_nothing(
    session: Session, world: World
) -> None:
    data = template("甲部门")
    apply_import(session, SYSTEM, Upload(data, "目标表.json", 2023))
    reviewer_b = Principal.of(
        create_user(session, username="dept_b", role=Role.DEPT_REVIEWER, org=world.dept_b)
    )
    upload = Upload(data, "目标表.json", 2023, department="乙部门")
    preview = preview_import(session, reviewer_b, upload)
    assert preview.already_imported_document_id is None
    assert len(preview.diff.added) == 3
    result = apply_import(session, reviewer_b, upload)
    assert not result.unchanged_file
    assert result.department_id == world.dept_b.id
