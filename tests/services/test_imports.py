"""Imports: all or nothing, idempotent by file hash, newer tables applied as differences."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import World, document_bytes, make_document, make_indicator, make_project
from jixiao.db.base import Base
from jixiao.db.models import (
    AuditEntry,
    FindingRow,
    ImportedDocument,
    Project,
    ProjectVersion,
    RepairRow,
    WarningRow,
)
from jixiao.domain.document import Document
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.domain.provenance import ParseWarning, Repair
from jixiao.services.errors import Forbidden, Locked, UnreadableUpload, ValidationFailed
from jixiao.services.imports.service import Upload, apply_import, preview_import
from jixiao.services.principal import SYSTEM
from jixiao.services.projects.service import get_project


def row_counts(session: Session) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(table)) or 0
        for name, table in Base.metadata.tables.items()
    }


def test_sample_import_stores_every_project_with_findings(
    session: Session, sample_path: Path
) -> None:
    result = apply_import(session, SYSTEM, Upload(sample_path.read_bytes(), sample_path.name, 2023))
    assert len(result.diff.added) == 37
    assert result.findings > 0
    projects = session.scalars(select(Project)).all()
    assert len(projects) == 37
    assert all(p.grade is not None for p in projects)
    salary = next(p for p in projects if p.name == "政府雇员工资费用")
    detail = get_project(session, SYSTEM, salary.id)
    assert detail.amounts.total == Decimal("1714.44")
    assert detail.document is not None
    assert detail.document.source == "ocr_text"
    assert session.scalar(select(func.count()).select_from(RepairRow)) > 0
    stored = session.scalar(select(func.count()).select_from(FindingRow))
    assert stored == result.findings


def test_reimporting_the_same_file_changes_nothing(session: Session, sample_path: Path) -> None:
    upload = Upload(sample_path.read_bytes(), sample_path.name, 2023)
    first = apply_import(session, SYSTEM, upload)
    before = row_counts(session)
    again = apply_import(session, SYSTEM, upload)
    assert again.unchanged_file
    assert again.document_id == first.document_id
    assert row_counts(session) == before


def test_repairs_and_warnings_stay_attached_to_their_project(session: Session) -> None:
    project = make_project(name="修复过的项目")
    project.repairs.append(Repair("amounts.total", "1, 714. 44", "1714.44", "去掉数字中的空格"))
    project.warnings.append(ParseWarning("W01", "跨页金额不一致"))
    doc = make_document(projects=[project, make_project(name="另一个项目")])
    doc.warnings.append(ParseWarning("W02", "表头缺少单位"))
    apply_import(session, SYSTEM, Upload(document_bytes(doc), "t.json"))
    repaired = session.scalar(select(Project).where(Project.name == "修复过的项目"))
    assert repaired is not None
    detail = get_project(session, SYSTEM, repaired.id)
    assert [(r.field, r.before, r.after) for r in detail.repairs] == [
        ("amounts.total", "1, 714. 44", "1714.44")
    ]
    assert [w.code for w in detail.warnings] == ["W01"]
    doc_level = session.scalars(select(WarningRow).where(WarningRow.project_id.is_(None))).all()
    assert [w.code for w in doc_level] == ["W02"]


def test_newer_table_is_previewed_and_applied_as_a_new_version(session: Session) -> None:
    old = make_document(projects=[make_project(name="甲"), make_project(name="乙")])
    apply_import(session, SYSTEM, Upload(document_bytes(old), "v1.json"))
    changed = make_project(name="甲", total="130.00")
    changed.indicators.append(make_indicator(name="新增指标", period="≥2次", annual="≥2次"))
    new = make_document(projects=[changed, make_project(name="丙")])
    upload = Upload(document_bytes(new), "v2.json")
    before = row_counts(session)
    preview = preview_import(session, SYSTEM, upload)
    assert row_counts(session) == before
    assert (preview.diff.added, preview.diff.removed) == (["丙"], ["乙"])
    (change,) = preview.diff.changed
    assert change.name == "甲"
    assert change.indicators_added == ["11 新增指标"]
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("amounts.total", "125", "130"),
        ("amounts.fiscal", "125", "130"),
    ]
    result = apply_import(session, SYSTEM, upload)
    assert result.diff == preview.diff
    jia = session.scalar(select(Project).where(Project.name == "甲"))
    assert jia is not None
    assert jia.edition == 2
    versions = session.scalars(
        select(ProjectVersion)
        .where(ProjectVersion.project_id == jia.id)
        .order_by(ProjectVersion.id)
    ).all()
    assert [(v.edition, v.snapshot["amounts"]["total"]) for v in versions] == [
        (1, "125"),
        (2, "130"),
    ]
    names = set(session.scalars(select(Project.name)))
    assert names == {"甲", "丙"}
    deleted = session.scalar(select(AuditEntry).where(AuditEntry.action == "project.import_delete"))
    assert deleted is not None
    assert deleted.before is not None
    assert deleted.before["name"] == "乙"


def test_import_that_would_change_a_locked_project_is_refused_whole(session: Session) -> None:
    apply_import(session, SYSTEM, Upload(document_bytes(make_document()), "v1.json"))
    project = session.scalar(select(Project))
    assert project is not None
    project.status = ProjectStatus.SUBMITTED
    session.commit()
    before = row_counts(session)
    new = make_document(projects=[make_project(total="999"), make_project(name="新项目")])
    with pytest.raises(Locked, match="物业管理费"):
        apply_import(session, SYSTEM, Upload(document_bytes(new), "v2.json"))
    session.rollback()
    assert row_counts(session) == before


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"", "empty.txt"), (b"\x89PNG\r\n\x1a\n\x00\x00binary", "x.png"), (b"{", "broken.json")],
)
def test_unreadable_upload_writes_nothing(session: Session, data: bytes, name: str) -> None:
    before = row_counts(session)
    with pytest.raises(UnreadableUpload):
        apply_import(session, SYSTEM, Upload(data, name))
    assert row_counts(session) == before


def test_a_reader_bug_is_an_unreadable_upload_not_a_crash(session: Session) -> None:
    def broken_reader(data: bytes, filename: str) -> Document:
        raise IndexError("list index out of range")

    before = row_counts(session)
    with pytest.raises(UnreadableUpload) as caught:
        apply_import(session, SYSTEM, Upload(b"col1\tcol2\n", "table.txt"), reader=broken_reader)
    assert caught.value.message.startswith("table.txt: 解析时发生内部错误")
    assert caught.value.fields == {"file": caught.value.message}
    assert row_counts(session) == before


def test_preview_on_an_empty_database_writes_nothing(session: Session, sample_path: Path) -> None:
    before = row_counts(session)
    upload = Upload(sample_path.read_bytes(), sample_path.name, 2023)
    preview = preview_import(session, SYSTEM, upload)
    assert len(preview.diff.added) == 37
    assert row_counts(session) == before


def test_year_and_department_are_required(session: Session) -> None:
    doc = make_document()
    doc.year, doc.department = None, None
    with pytest.raises(ValidationFailed) as err:
        apply_import(session, SYSTEM, Upload(document_bytes(doc), "t.json"))
    assert set(err.value.fields) == {"year", "department"}
    result = apply_import(session, SYSTEM, Upload(document_bytes(doc), "t.json", 2024, "丁部门"))
    assert result.year == 2024


def test_department_reviewer_imports_only_into_own_department(session: Session) -> None:
    world = World(session)
    dept = world.actor(Role.DEPT_REVIEWER)
    own = make_document(department="甲部门")
    assert apply_import(session, dept, Upload(document_bytes(own), "own.json")).diff.added
    other = make_document(department="乙部门")
    with pytest.raises(Forbidden):
        apply_import(session, dept, Upload(document_bytes(other), "other.json"))
    new_dept = make_document(department="新部门")
    with pytest.raises(Forbidden):
        apply_import(session, dept, Upload(document_bytes(new_dept), "new.json"))
    with pytest.raises(Forbidden):
        apply_import(session, world.actor(Role.UNIT_EDITOR), Upload(document_bytes(own), "u.json"))
    assert session.scalar(select(func.count()).select_from(ImportedDocument)) == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.UNIT_EDITOR, Role.SECURITY_ADMIN])
def test_a_role_that_may_not_import_is_refused_before_the_file_is_read(
    session: Session, role: Role
) -> None:
    """Not a parse of the file (nor its 422) for someone who may not import at all."""
    actor = World(session).actor(role)
    for attempt in (preview_import, apply_import):
        with pytest.raises(Forbidden):
            attempt(session, actor, Upload(b"\x00 not a table", "x.xlsx", 2023))


def test_cut_off_table_is_stored_only_when_allowed(session: Session, sample_path: Path) -> None:
    cut = sample_path.read_bytes()[:20000]  # stops in the row of the 20th project (line 35)
    preview = preview_import(session, SYSTEM, Upload(cut, "cut.txt", 2023))
    assert preview.complete is False
    assert preview.incomplete is not None
    assert "第35行" in preview.incomplete
    assert len(preview.projects) == 19
    before = row_counts(session)
    with pytest.raises(ValidationFailed, match="allow-incomplete") as refused:
        apply_import(session, SYSTEM, Upload(cut, "cut.txt", 2023))
    assert "allow_incomplete" in refused.value.fields
    assert row_counts(session) == before
    result = apply_import(session, SYSTEM, Upload(cut, "cut.txt", 2023, allow_incomplete=True))
    assert len(result.diff.added) == 19


def test_preview_says_where_each_project_came_from(session: Session, sample_path: Path) -> None:
    from jixiao.export import render, target_sheets
    from jixiao.ingest import read_document

    text = preview_import(session, SYSTEM, Upload(sample_path.read_bytes(), sample_path.name, 2023))
    assert text.projects[0].source.startswith("第")
    assert text.projects[0].source.endswith("行")
    workbook = render(target_sheets(read_document(sample_path)), "xlsx")
    grid = preview_import(session, SYSTEM, Upload(workbook, "targets.xlsx", 2023))
    assert all(p.source.startswith("单元格 ") for p in grid.projects)
    assert "!" in grid.projects[0].source
