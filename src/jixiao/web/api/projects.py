"""Projects: filtered list, detail, header edits, versions and workflow transitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from jixiao.domain.enums import Grade, ProjectStatus
from jixiao.services.imports.diff import ProjectChange
from jixiao.services.pagination import Page
from jixiao.services.projects import service
from jixiao.services.projects.copy import copy_to_next_year
from jixiao.services.projects.schemas import (
    ProjectDetail,
    ProjectFilters,
    ProjectSummary,
    ProjectUpdate,
    SortKey,
    TransitionOut,
    VersionOut,
    VersionSummary,
)
from jixiao.services.types import MAX_ID, Version
from jixiao.services.workflow import service as workflow
from jixiao.web.deps import CurrentUser, PageDep, PathId, SessionDep

router = APIRouter(prefix="/projects", tags=["projects"])


def project_filters(
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    org_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="部门或单位（含下属单位）")
    ] = None,
    status: ProjectStatus | None = None,
    grade: Grade | None = None,
    rule: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=100, description="名称或目标中的文字")] = None,
    sort: SortKey = "name",
) -> ProjectFilters:
    return ProjectFilters(
        year=year, org_id=org_id, status=status, grade=grade, rule=rule, q=q, sort=sort
    )


Filters = Annotated[ProjectFilters, Depends(project_filters)]


class TransitionIn(BaseModel):
    action: str = Field(
        description="submit / dept_approve / dept_return / finance_approve / "
        "finance_return / publish / adjust",
        max_length=32,
    )
    comment: str | None = Field(None, max_length=2000, description="退回与调整时必填")
    version: Version | None = Field(None, description="所见的项目版本；过期时返回 409")
    findings_seen: bool = Field(
        False,
        description="通过（dept_approve、finance_approve）时确认已查看未处理的审核问题"
        "（即页面上的“我已查看”）；有未处理问题而未确认时返回 422",
    )


@router.get("")
def list_projects(
    filters: Filters, page: PageDep, session: SessionDep, user: CurrentUser
) -> Page[ProjectSummary]:
    return service.list_projects(session, user, filters, page)


@router.get("/{project_id}")
def get_project(project_id: PathId, session: SessionDep, user: CurrentUser) -> ProjectDetail:
    return service.get_project(session, user, project_id)


@router.patch("/{project_id}")
def update_project(
    project_id: PathId, body: ProjectUpdate, session: SessionDep, user: CurrentUser
) -> ProjectDetail:
    """Edit header, goals and funding; ``version`` must be the current project version."""
    return service.update_project(session, user, project_id, body)


@router.post("/{project_id}/copy", status_code=201)
def copy_project(project_id: PathId, session: SessionDep, user: CurrentUser) -> ProjectDetail:
    """Next year's draft of an approved project (targets, goals, amounts editable), each
    indicator with last year's target and self-evaluated actual value (``last_year``).

    409 when the source is not approved, or next year's project already exists.
    """
    return copy_to_next_year(session, user, project_id)


@router.get("/{project_id}/versions")
def list_versions(
    project_id: PathId, session: SessionDep, user: CurrentUser
) -> list[VersionSummary]:
    return service.list_versions(session, user, project_id)


@router.get("/{project_id}/versions/compare")
def compare_versions(
    project_id: PathId,
    old: Annotated[int, Query(ge=1, le=MAX_ID, description="旧版本编号")],
    new: Annotated[int, Query(ge=1, le=MAX_ID, description="新版本编号")],
    session: SessionDep,
    user: CurrentUser,
) -> ProjectChange:
    """The differences between two kept versions (amounts, goal, indicators)."""
    return service.compare_versions(session, user, project_id, old, new)


@router.get("/{project_id}/versions/{version_id}")
def get_version(
    project_id: PathId, version_id: PathId, session: SessionDep, user: CurrentUser
) -> VersionOut:
    return service.get_version(session, user, project_id, version_id)


@router.get("/{project_id}/transitions")
def list_transitions(
    project_id: PathId, session: SessionDep, user: CurrentUser
) -> list[TransitionOut]:
    return workflow.history(session, user, project_id)


@router.post("/{project_id}/transitions", status_code=201)
def transition(
    project_id: PathId, body: TransitionIn, session: SessionDep, user: CurrentUser
) -> TransitionOut:
    """Move the project through the workflow; the response is the approver stamp."""
    return workflow.transition(
        session, user, project_id, body.action, body.comment, body.version, body.findings_seen
    )
