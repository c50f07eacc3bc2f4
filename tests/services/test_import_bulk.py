"""An import writes its rows in bulk, built from the document in memory: what it stores is what
the project reads back as — the kept version and the audit entry equal the snapshot of the
project loaded again, and every part points at the right parent."""

from __future__ import annotations

import copy
import itertools
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import document_bytes, make_document, make_indicator, make_project
from jixiao.db.models import (
    AuditEntry,
    FindingRow,
    FundingLine,
    Indicator,
    Project,
    ProjectVersion,
    TargetValueRow,
)
from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit, TargetKind
from jixiao.domain.indicator import LevelRef
from jixiao.domain.project import Amounts
from jixiao.domain.project import Project as DomainProject
from jixiao.domain.target import TargetValue
from jixiao.services.imports.service import Upload, apply_import
from jixiao.services.principal import SYSTEM
from jixiao.services.projects import repository
from jixiao.services.projects.snapshot import snapshot
from jixiao.services.reviews.service import waive
from strategies import projects

_files = itertools.count()


def import_document(session: Session, document: Document) -> None:
    """Import ``document`` as read (everything the reader produced, not only the exchange
    format's fields); each call is a new file."""

    def reader(data: bytes, filename: str) -> Document:
        return copy.deepcopy(document)

    apply_import(session, SYSTEM, Upload(f"{next(_files)}".encode(), "t.txt"), reader=reader)


def assert_kept_as_stored(session: Session) -> None:
    """Each project's newest version and newest import audit entry equal its snapshot now."""
    session.expire_all()
    for project_id in session.scalars(select(Project.id)):
        loaded = repository.load_full(session, project_id)
        assert loaded is not None
        now = snapshot(loaded)
        version = session.scalars(
            select(ProjectVersion)
            .where(ProjectVersion.project_id == project_id)
            .order_by(ProjectVersion.edition.desc())
        ).first()
        assert version is not None
        assert version.edition == loaded.edition
        assert version.snapshot == now
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.project_id == project_id, AuditEntry.action.like("project.import_%"))
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        assert entry.after == now


def test_sample_versions_and_audit_equal_the_projects_read_back(
    session: Session, sample_path: Path
) -> None:
    apply_import(session, SYSTEM, Upload(sample_path.read_bytes(), sample_path.name, 2023))
    assert_kept_as_stored(session)
    counts = {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in (Project, ProjectVersion, Indicator, TargetValueRow, FundingLine)
    }
    assert counts["projects"] == counts["project_versions"] == 37
    creations = select(func.count()).where(AuditEntry.action == "project.import_create")
    assert session.scalar(creations) == 37


def test_each_finding_points_at_an_indicator_of_its_own_project(
    session: Session, sample_path: Path
) -> None:
    apply_import(session, SYSTEM, Upload(sample_path.read_bytes(), sample_path.name, 2023))
    pairs = session.execute(
        select(
            FindingRow.indicator_name, Indicator.name, Indicator.project_id, FindingRow.project_id
        ).join(Indicator, Indicator.id == FindingRow.indicator_id)
    ).all()
    assert pairs
    assert all(own == of for _, _, own, of in pairs)
    assert all(label.endswith(name) for label, name, _, _ in pairs if label)


def test_a_new_edition_keeps_code_unit_name_annual_goal_and_waivers(session: Session) -> None:
    first = make_project(name="宣传经费", goal="开展宣传。")
    first.code, first.unit_name, first.annual_goal = "A01", "宣传科", "全年宣传。"
    first.indicators.append(make_indicator(name="宣传效果", period="效果明显", annual="效果明显"))
    import_document(session, make_document(projects=[first]))
    project = session.scalar(select(Project))
    assert project is not None
    finding = session.scalars(
        select(FindingRow).where(FindingRow.project_id == project.id).order_by(FindingRow.id)
    ).first()
    assert finding is not None
    waive(session, SYSTEM, finding.id, "已核实")

    second = make_project(name="宣传经费", total="130.00", goal="开展宣传活动。")
    second.indicators.append(make_indicator(name="宣传效果", period="效果明显", annual="效果明显"))
    import_document(session, make_document(projects=[second]))

    assert_kept_as_stored(session)
    loaded = repository.load_full(session, project.id)
    assert loaded is not None
    assert (loaded.edition, loaded.version, loaded.code, loaded.unit_name) == (
        2,
        2,
        "A01",
        "宣传科",
    )
    goals = {g.period.value: g.text for g in loaded.goals}
    assert goals == {"period": "开展宣传活动。", "annual": "全年宣传。"}
    update = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "project.import_update")
    ).one()
    first_version = session.scalars(select(ProjectVersion).where(ProjectVersion.edition == 1)).one()
    assert update.before == first_version.snapshot
    kept = session.scalars(
        select(FindingRow).where(FindingRow.project_id == project.id, FindingRow.waived)
    ).all()
    assert [(f.rule, f.waived_reason) for f in kept] == [(finding.rule, "已核实")]


def test_what_is_not_stored_is_not_in_the_snapshot(session: Session) -> None:
    """Amounts finer than 分, a category with neither code nor name, a target's trend and
    condition: the version shows them as the stored project does."""
    project = DomainProject(
        name="精度",
        amounts=Amounts(total=Decimal("1.2345678"), fiscal=Decimal("1.00")),
        indicators=[
            make_indicator(name="下降率"),
        ],
    )
    ind = project.indicators[0]
    ind.level1 = LevelRef(None, None)
    ind.period = TargetValue(
        "较上年下降20%", TargetKind.QUANTITATIVE, value=Decimal("20"), unit="%", trend="下降"
    )
    document = make_document(projects=[project])
    document.unit = MoneyUnit.WAN_YUAN
    import_document(session, document)
    assert_kept_as_stored(session)
    version = session.scalars(select(ProjectVersion)).one()
    assert version.snapshot["amounts"]["total"] == "1.234568"
    assert version.snapshot["indicators"][0]["level1"] is None


def test_a_json_upload_is_kept_as_stored(session: Session) -> None:
    apply_import(session, SYSTEM, Upload(document_bytes(make_document()), "t.json"))
    assert_kept_as_stored(session)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tables=st.lists(st.lists(projects, min_size=1, max_size=3), min_size=1, max_size=3))
def test_random_tables_imported_one_after_another_are_kept_as_stored(
    session: Session, tables: list[list[DomainProject]]
) -> None:
    """Newer tables of one department: new, changed and removed projects in any mix."""
    department = f"部门{next(_files)}"
    names = ["甲", "乙", "丙"]
    for table in tables:
        for project, name in zip(table, names, strict=False):
            project.name = name
        import_document(session, make_document(department=department, projects=table))
    assert_kept_as_stored(session)
