"""When a project's targets may be edited, and the writes that make concurrent saves safe.

Each of these is one conditional statement, decided by the database, so that of several writers
racing on the same state exactly one wins and the others get 409 with the current state:

* :func:`claim_version` — a versioned save: ``UPDATE … SET version = version + 1 WHERE id = :id
  AND version = :v`` (the project header, an indicator, a monitoring round, a self-evaluation);
* :func:`create_once` — the first save of a record keyed by its natural key: ``INSERT … ON
  CONFLICT DO NOTHING``;
* :func:`hold_editable` — edits of a project's indicators first take the project:
  ``UPDATE projects SET updated_at = … WHERE id = :id AND status IN (草稿, 已退回)``, which also
  orders them against workflow transitions;
* :func:`lock_project` and :func:`move_status` — a transition reads the project under a row lock
  (``SELECT … FOR NO KEY UPDATE`` on PostgreSQL) and moves it with ``UPDATE … WHERE status =
  :from AND version = :v``, which alone decides the race on SQLite (no row locks there).

On PostgreSQL the winner's row lock is held to the end of its transaction and the others'
statements then see its commit (READ COMMITTED re-checks the WHERE); on SQLite the first write
takes the database write lock, so everything after it in the transaction reads the latest state.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Executable, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.models import (
    Indicator,
    LibraryEntry,
    MonitoringRecord,
    Project,
    SelfEvaluationRecord,
)
from jixiao.domain.enums import ProjectStatus
from jixiao.services.errors import Locked, NotFound, StaleVersion

EDITABLE = frozenset({ProjectStatus.DRAFT, ProjectStatus.RETURNED})

Versioned = (
    type[Project]
    | type[Indicator]
    | type[MonitoringRecord]
    | type[SelfEvaluationRecord]
    | type[LibraryEntry]
)
Keyed = type[MonitoringRecord] | type[SelfEvaluationRecord]


def is_locked(project: Project) -> bool:
    return project.status not in EDITABLE


def ensure_editable(project: Project) -> None:
    """Raise Locked unless the project is a draft or returned."""
    if is_locked(project):
        raise _locked(project.status, project.version)


def _locked(status: ProjectStatus, version: int) -> Locked:
    hint = (
        "批复后的修改请发起“调整”"
        if status in (ProjectStatus.APPROVED, ProjectStatus.PUBLISHED)
        else "请等待审核结果或由审核人退回后再修改"
    )
    return Locked(
        f"项目处于“{status.label}”状态，绩效目标已锁定；{hint}",
        current={"status": status.value, "version": version},
    )


def stale(current: int | None, expected: int, what: str = "项目") -> StaleVersion:
    """The 409 for an edit made on version ``expected`` when ``current`` is stored."""
    if current is None:
        return StaleVersion(f"{what}已被他人删除，请刷新后重试", fields={"version": "记录已不存在"})
    return StaleVersion(
        f"{what}已被他人修改（当前版本 {current}，您编辑的是版本 {expected}），请刷新后重试",
        fields={"version": f"当前版本为 {current}"},
        current={"version": current},
    )


def check_version(current: int, expected: int, what: str = "项目") -> None:
    """Fail early when the edit names an older version than the one just read.

    Only a shortcut: the save itself must still :func:`claim_version`.
    """
    if current != expected:
        raise stale(current, expected, what)


def _rowcount(session: Session, statement: Executable) -> int:
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount


def claim_version(
    session: Session,
    model: Versioned,
    row_id: int,
    expected: int,
    what: str = "项目",
    **values: Any,
) -> int:
    """Move row ``row_id`` from version ``expected`` to the next one, writing ``values`` in the
    same statement, or raise StaleVersion (and write nothing).

    The row is then the caller's alone until commit, for any further writes; objects of
    ``model`` already in the session still show the old state (reload them).
    """
    claimed = _rowcount(
        session,
        update(model)
        .where(model.id == row_id, model.version == expected)
        .values(version=model.version + 1, **values)
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        raise stale(session.scalar(select(model.version).where(model.id == row_id)), expected, what)
    return expected + 1


def create_once(
    session: Session, model: Keyed, key: dict[str, Any], values: dict[str, Any], what: str
) -> None:
    """Insert version 1 of the record named by ``key`` (its unique columns), unless one exists.

    When another writer created it first, raise StaleVersion with that record's version.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .values(**key, **values, version=1)
        .on_conflict_do_nothing()
        .returning(model.id)
    )
    if session.scalar(statement) is None:
        where = [getattr(model, name) == value for name, value in key.items()]
        current = session.scalar(select(model.version).where(*where))
        raise StaleVersion(
            f"{what}已由他人先行保存（当前版本 {current}），请刷新后在其基础上修改",
            fields={"version": f"当前版本为 {current}"},
            current={"version": current},
        )


def current_state(session: Session, project_id: int) -> tuple[ProjectStatus, int]:
    """(status, version) of a project as stored now."""
    row = session.execute(
        select(Project.status, Project.version).where(Project.id == project_id)
    ).one_or_none()
    if row is None:
        raise NotFound("项目不存在或无权查看")
    return row.status, row.version


def claim_project(session: Session, project_id: int, expected: int) -> None:
    """:func:`claim_version` for a project edit, which also needs the project editable."""
    claimed = _rowcount(
        session,
        update(Project)
        .where(
            Project.id == project_id,
            Project.version == expected,
            Project.status.in_(EDITABLE),
        )
        .values(version=Project.version + 1)
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        status, version = current_state(session, project_id)
        if status not in EDITABLE:
            raise _locked(status, version)
        raise stale(version, expected)


def hold_editable(session: Session, project_id: int) -> None:
    """Take an editable project for an edit of its indicators (Locked unless editable)."""
    held = _rowcount(
        session,
        update(Project)
        .where(Project.id == project_id, Project.status.in_(EDITABLE))
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    if held != 1:
        raise _locked(*current_state(session, project_id))


def lock_project(session: Session, project_id: int) -> Project:
    """The project as stored now, row-locked until commit on PostgreSQL."""
    project = session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if project is None:
        raise NotFound("项目不存在或无权查看")
    return project


def move_status(session: Session, project: Project, target: ProjectStatus, **values: Any) -> bool:
    """Move ``project`` from the status and version read to ``target`` (one more version).

    False when another writer moved it first; then nothing was written. On success the
    in-session ``project`` shows the new state.
    """
    moved = _rowcount(
        session,
        update(Project)
        .where(
            Project.id == project.id,
            Project.status == project.status,
            Project.version == project.version,
        )
        .values(status=target, version=Project.version + 1, **values)
        .execution_options(synchronize_session=False),
    )
    if moved == 1:
        session.refresh(project, ["status", "version", "edition", "updated_at"])
    return moved == 1
