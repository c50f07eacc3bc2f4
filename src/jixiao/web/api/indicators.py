"""Indicators: create, read, update, delete, reorder (validated by the domain model)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from jixiao.services.indicators import service
from jixiao.services.indicators.schemas import IndicatorCreate, IndicatorOrder, IndicatorUpdate
from jixiao.services.projects.schemas import IndicatorOut
from jixiao.services.types import MAX_VERSION
from jixiao.web.deps import CurrentUser, PathId, SessionDep

router = APIRouter(tags=["indicators"])


@router.post("/projects/{project_id}/indicators", status_code=201)
def create_indicator(
    project_id: PathId, body: IndicatorCreate, session: SessionDep, user: CurrentUser
) -> IndicatorOut:
    return service.create_indicator(session, user, project_id, body)


@router.put("/projects/{project_id}/indicators/order")
def reorder_indicators(
    project_id: PathId, body: IndicatorOrder, session: SessionDep, user: CurrentUser
) -> list[IndicatorOut]:
    return service.reorder_indicators(session, user, project_id, body)


@router.get("/indicators/{indicator_id}")
def get_indicator(indicator_id: PathId, session: SessionDep, user: CurrentUser) -> IndicatorOut:
    return service.get_indicator(session, user, indicator_id)


@router.put("/indicators/{indicator_id}")
def update_indicator(
    indicator_id: PathId, body: IndicatorUpdate, session: SessionDep, user: CurrentUser
) -> IndicatorOut:
    """Replace the indicator; ``version`` must be the current indicator version (else 409)."""
    return service.update_indicator(session, user, indicator_id, body)


@router.delete("/indicators/{indicator_id}", status_code=204)
def delete_indicator(
    indicator_id: PathId,
    version: Annotated[int, Query(ge=0, le=MAX_VERSION, description="要删除的指标版本")],
    session: SessionDep,
    user: CurrentUser,
) -> Response:
    service.delete_indicator(session, user, indicator_id, version)
    return Response(status_code=204)
