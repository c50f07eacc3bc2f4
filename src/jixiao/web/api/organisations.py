"""Organisations (财政局 → 部门 → 单位)."""

from __future__ import annotations

from fastapi import APIRouter

from jixiao.services.orgs import service
from jixiao.services.orgs.schemas import OrgCreate, OrgOut
from jixiao.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("")
def list_organisations(session: SessionDep, user: CurrentUser) -> list[OrgOut]:
    """The organisations the user may see."""
    return service.list_orgs(session, user)


@router.post("", status_code=201)
def create_organisation(body: OrgCreate, session: SessionDep, user: CurrentUser) -> OrgOut:
    return service.create_org(session, user, body)
