"""Review findings: list per project, waive with a reason, re-run the review."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from jixiao.services.projects.schemas import FindingOut
from jixiao.services.reviews import service
from jixiao.web.deps import CurrentUser, PathId, SessionDep

router = APIRouter(tags=["findings"])


class WaiveIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/projects/{project_id}/findings")
def list_findings(
    project_id: PathId, session: SessionDep, user: CurrentUser, include_waived: bool = True
) -> list[FindingOut]:
    return service.list_findings(session, user, project_id, include_waived)


@router.post("/projects/{project_id}/review")
def rerun_review(project_id: PathId, session: SessionDep, user: CurrentUser) -> list[FindingOut]:
    """Run the review again on the project (with its sibling projects)."""
    return service.rerun(session, user, project_id)


@router.post("/findings/{finding_id}/waive")
def waive_finding(
    finding_id: PathId, body: WaiveIn, session: SessionDep, user: CurrentUser
) -> FindingOut:
    return service.waive(session, user, finding_id, body.reason)
