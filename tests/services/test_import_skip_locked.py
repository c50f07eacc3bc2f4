"""One locked project no longer blocks a whole import: the rest can be imported, skips listed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import document_bytes, make_document, make_project
from jixiao.db.models import Project
from jixiao.domain.enums import ProjectStatus
from jixiao.services.errors import Locked
from jixiao.services.imports.service import Upload, apply_import, preview_import
from jixiao.services.principal import SYSTEM
from jixiao.services.projects.service import get_project


def first_version(session: Session) -> dict[str, Project]:
    v1 = make_document(projects=[make_project(name="甲"), make_project(name="乙")])
    apply_import(session, SYSTEM, Upload(document_bytes(v1), "v1.json"))
    rows = {p.name: p for p in session.scalars(select(Project))}
    rows["甲"].status = ProjectStatus.SUBMITTED
    session.flush()
    return rows


def test_skip_locked_imports_the_rest_and_lists_what_was_skipped(session: Session) -> None:
    first_version(session)
    v2 = make_document(
        projects=[
            make_project(name="甲", total="999"),
            make_project(name="乙", total="321"),
            make_project(name="丙"),
        ]
    )
    upload = Upload(document_bytes(v2), "v2.json")
    preview = preview_import(session, SYSTEM, upload)
    assert preview.blocked == ["甲（已提交）"]
    with pytest.raises(Locked, match="跳过"):
        apply_import(session, SYSTEM, upload)
    result = apply_import(session, SYSTEM, upload, skip_locked=True)
    assert [(s.name, s.status) for s in result.skipped] == [("甲", ProjectStatus.SUBMITTED)]
    assert "已提交" in result.skipped[0].reason
    assert result.diff.added == ["丙"]
    assert [c.name for c in result.diff.changed] == ["乙"]
    session.expire_all()
    stored = {p.name: p for p in session.scalars(select(Project))}
    assert set(stored) == {"甲", "乙", "丙"}
    assert (stored["甲"].edition, stored["乙"].edition) == (1, 2)
    total = {n: get_project(session, SYSTEM, p.id).amounts.total for n, p in stored.items()}
    assert total["乙"] == Decimal("321")
    assert total["甲"] != Decimal("999")


def test_a_locked_project_missing_from_the_new_table_is_kept(session: Session) -> None:
    first_version(session)
    v2 = make_document(projects=[make_project(name="乙", total="321")])
    result = apply_import(session, SYSTEM, Upload(document_bytes(v2), "v2.json"), skip_locked=True)
    assert [s.name for s in result.skipped] == ["甲"]
    assert "未删除" in result.skipped[0].reason
    assert result.diff.removed == []
    assert {p.name for p in session.scalars(select(Project))} == {"甲", "乙"}
