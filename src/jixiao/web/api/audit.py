"""The audit log per object and per user."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from jixiao.services import audit
from jixiao.services.audit import AuditOut
from jixiao.services.pagination import Page
from jixiao.services.types import MAX_ID
from jixiao.web.deps import CurrentUser, PageDep, PathId, SessionDep

router = APIRouter(tags=["audit"])

ObjectType = Literal["project", "indicator", "finding", "document", "user", "organisation"]


@router.get("/audit")
def audit_for_object(
    object_type: ObjectType,
    object_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    page: PageDep,
    session: SessionDep,
    user: CurrentUser,
) -> Page[AuditOut]:
    """Changes of one object (a project includes its indicators, findings and transitions)."""
    return audit.list_for_object(session, user, object_type, object_id, page)


@router.get("/users/{user_id}/audit")
def audit_for_user(
    user_id: PathId, page: PageDep, session: SessionDep, user: CurrentUser
) -> Page[AuditOut]:
    return audit.list_for_user(session, user, user_id, page)
