"""An import replacing a project respects the version like a save: a project edited, submitted
or deleted after the import read it makes the whole import fail with 409, nothing lost.

The other writer is simulated between the import's read and its writes by a plain UPDATE on the
database (as another transaction's commit would appear), through the comparison step.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Executable, select, update
from sqlalchemy.orm import Session

from factories import document_bytes, make_document, make_project
from jixiao.db.models import Project
from jixiao.domain.enums import ProjectStatus
from jixiao.services.errors import Locked, StaleVersion
from jixiao.services.imports import service as imports
from jixiao.services.imports.service import Upload, apply_import
from jixiao.services.principal import SYSTEM


def _first_import(session: Session) -> int:
    v1 = make_document(projects=[make_project(name="甲"), make_project(name="乙")])
    apply_import(session, SYSTEM, Upload(document_bytes(v1), "v1.json"))
    pid = session.scalar(select(Project.id).where(Project.name == "甲"))
    assert pid is not None
    return pid


def _meanwhile(monkeypatch: pytest.MonkeyPatch, session: Session, write: Executable) -> None:
    """Run ``write`` once the import has read the stored projects, before it writes."""
    real = imports.compare

    def compare_after_write(*args: Any, **kwargs: Any) -> Any:
        session.execute(write)
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "compare", compare_after_write)


def _second_version() -> Upload:
    v2 = make_document(projects=[make_project(name="甲", total="999"), make_project(name="乙")])
    return Upload(document_bytes(v2), "v2.json")


def _stored(session: Session, pid: int) -> tuple[str, int, int, ProjectStatus]:
    row = session.execute(
        select(Project.code, Project.version, Project.edition, Project.status).where(
            Project.id == pid
        )
    ).one()
    return row.code, row.version, row.edition, row.status


def test_an_import_does_not_overwrite_an_edit_made_after_it_read(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _first_import(session)
    edited = (
        update(Project)
        .where(Project.id == pid)
        .values(code="EDITED", version=Project.version + 1)
        .execution_options(synchronize_session=False)
    )
    _meanwhile(monkeypatch, session, edited)
    with pytest.raises(StaleVersion, match="甲"):
        apply_import(session, SYSTEM, _second_version())
    session.expire_all()
    code, _, edition, _ = _stored(session, pid)
    assert (code, edition) == ("EDITED", 1)


def test_an_import_does_not_change_a_project_submitted_after_it_read(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _first_import(session)
    submitted = (
        update(Project)
        .where(Project.id == pid)
        .values(status=ProjectStatus.SUBMITTED, version=Project.version + 1)
        .execution_options(synchronize_session=False)
    )
    _meanwhile(monkeypatch, session, submitted)
    with pytest.raises(Locked):
        apply_import(session, SYSTEM, _second_version())


def test_an_import_of_an_unchanged_project_claims_one_version(session: Session) -> None:
    pid = _first_import(session)
    _, version, edition, _ = _stored(session, pid)
    apply_import(session, SYSTEM, _second_version())
    session.expire_all()
    assert _stored(session, pid)[1:3] == (version + 1, edition + 1)
