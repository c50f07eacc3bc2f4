"""The audit trail: :func:`record` is called by every service that writes.

Entries carry the actor, the time, the object (type, id and the project it belongs to), the
before/after JSON and the reason. They can be listed per object and per user.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.bulk import insert_rows
from jixiao.db.models import AuditEntry, ImportedDocument
from jixiao.services.errors import NotFound
from jixiao.services.pagination import Page, PageParams
from jixiao.services.principal import Principal
from jixiao.services.scope import (
    Action,
    authorize,
    authorize_self_or,
    ensure_visible,
    project_for,
)


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: int | None
    project_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None


def record(
    session: Session,
    actor: Principal,
    action: str,
    obj: tuple[str, int | None],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    project_id: int | None = None,
) -> AuditEntry:
    """Add one audit entry for ``obj`` = (object type, object id) in the current transaction."""
    entry = AuditEntry(
        **entry_values(
            actor, action, obj, before=before, after=after, reason=reason, project_id=project_id
        )
    )
    session.add(entry)
    return entry


def entry_values(
    actor: Principal,
    action: str,
    obj: tuple[str, int | None],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    project_id: int | None = None,
) -> dict[str, Any]:
    """The columns of one audit entry (see :func:`record`), for :func:`record_many`."""
    return {
        "actor_id": actor.id,
        "actor_name": actor.label,
        "action": action,
        "object_type": obj[0],
        "object_id": obj[1],
        "project_id": project_id,
        "before": before,
        "after": after,
        "reason": reason,
    }


def record_many(session: Session, entries: list[dict[str, Any]]) -> None:
    """Insert many entries made by :func:`entry_values` at once, all stamped now."""
    at = utcnow()
    insert_rows(session, AuditEntry, [{"at": at, **entry} for entry in entries])


def record_security_event(
    session: Session,
    action: str,
    *,
    user_id: int | None,
    actor_name: str,
    after: dict[str, Any],
    reason: str | None = None,
) -> AuditEntry:
    """Add an entry about an account that nobody is logged in as yet (a login, a lockout).

    ``user_id`` is the account's id when it exists; ``actor_name`` the name that was typed.
    """
    entry = AuditEntry(
        actor_id=user_id,
        actor_name=actor_name[:100],
        action=action,
        object_type="user",
        object_id=user_id,
        after=after,
        reason=reason,
    )
    session.add(entry)
    return entry


def list_for_project(
    session: Session, actor: Principal, project_id: int, page: PageParams
) -> Page[AuditOut]:
    """Every change of a project and of its parts (indicators, findings, transitions)."""
    project_for(session, actor, project_id, Action.VIEW_AUDIT)
    return _page(session, AuditEntry.project_id == project_id, page)


def list_for_object(
    session: Session, actor: Principal, object_type: str, object_id: int, page: PageParams
) -> Page[AuditOut]:
    """Changes of one object. Parts of a project (indicators, findings) and imported documents
    need the right to see the project's audit; users, organisations and tokens need the
    审计管理员 (separated from the 管理员 who changes them)."""
    condition = (AuditEntry.object_type == object_type) & (AuditEntry.object_id == object_id)
    if object_type == "project":
        return list_for_project(session, actor, object_id, page)
    if object_type in ("indicator", "finding"):
        project_id = session.scalar(
            select(AuditEntry.project_id).where(condition, AuditEntry.project_id.is_not(None))
        )
        if project_id is None:
            raise NotFound("没有该对象的修改记录，或无权查看")
        project_for(session, actor, project_id, Action.VIEW_AUDIT)
    elif object_type == "document":
        document = session.get(ImportedDocument, object_id)
        if document is None:
            raise NotFound("导入记录不存在或无权查看")
        ensure_visible(session, actor, document.org_id, "导入记录")
        authorize(session, actor, Action.VIEW_AUDIT, document.org_id)
    else:
        authorize(session, actor, Action.VIEW_SECURITY_AUDIT)
    return _page(session, condition, page)


def list_for_user(
    session: Session, actor: Principal, user_id: int, page: PageParams
) -> Page[AuditOut]:
    """What one user did (with their logins): 审计管理员 for anyone, every user for themself."""
    authorize_self_or(session, actor, user_id, Action.VIEW_SECURITY_AUDIT)
    return _page(session, AuditEntry.actor_id == user_id, page)


def _page(session: Session, condition: Any, page: PageParams) -> Page[AuditOut]:
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(condition)) or 0
    rows = session.scalars(
        select(AuditEntry)
        .where(condition)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(page.offset)
        .limit(page.size)
    ).all()
    return Page[AuditOut](
        items=[AuditOut.model_validate(r) for r in rows],
        total=total,
        page=page.page,
        size=page.size,
    )
