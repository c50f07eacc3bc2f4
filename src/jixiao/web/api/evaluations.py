"""Year-end self-evaluation (单位自评): the fill-in template, save with its explained score,
read, export the 项目支出绩效自评表.

The evaluation of a year is addressed by ``/{year}``. Saving one that exists already needs the
``version`` that was read (else 409). The response carries every score line (target, actual,
formula, points), the grade, the open issues and the disagreements with the year's monitoring.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.responses import Response

from jixiao.services.evaluations import service
from jixiao.services.evaluations.schemas import SelfEvaluationIn, SelfEvaluationOut
from jixiao.services.types import Entry, Version
from jixiao.web.api.monitoring import FormatQuery, ProfileName, Year
from jixiao.web.deps import CurrentUser, PathId, SessionDep
from jixiao.web.downloads import DOWNLOAD_RESPONSES, download, selfeval_filename

router = APIRouter(tags=["self-evaluations"])


class SelfEvaluationBody(BaseModel):
    """The body of a save: the year is named by the path."""

    entry: Entry = Field(description="jixiao.selfeval/1 项目条目（见 docs/formats/selfeval.md）")
    version: Version | None = Field(None, description="所替换的记录版本；首次保存不填")
    profile: ProfileName = None


@router.get("/projects/{project_id}/self-evaluation-template/{year}")
def selfeval_template(
    project_id: PathId, year: Year, session: SessionDep, user: CurrentUser
) -> SelfEvaluationIn:
    """A body to fill in: the approved budget and annual targets, no actuals yet."""
    entry = service.selfeval_template(session, user, project_id)
    return SelfEvaluationIn(year=year, entry=entry)


@router.get("/projects/{project_id}/self-evaluations/{year}")
def get_self_evaluation(
    project_id: PathId, year: Year, session: SessionDep, user: CurrentUser
) -> SelfEvaluationOut:
    """The stored evaluation with its explained score."""
    return service.get_self_evaluation(session, user, project_id, year)


@router.put("/projects/{project_id}/self-evaluations/{year}")
def save_self_evaluation(
    project_id: PathId, year: Year, body: SelfEvaluationBody, session: SessionDep, user: CurrentUser
) -> SelfEvaluationOut:
    """Score, reconcile and store; 409 when ``version`` is stale."""
    data = SelfEvaluationIn(year=year, **body.model_dump())
    return service.save_self_evaluation(session, user, project_id, data)


@router.get(
    "/projects/{project_id}/self-evaluations/{year}/export",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES,
)
def export_self_evaluation(
    project_id: PathId,
    year: Year,
    fmt: FormatQuery,
    session: SessionDep,
    user: CurrentUser,
) -> Response:
    """The 项目支出绩效自评表 as xlsx or PDF."""
    out = service.get_self_evaluation(session, user, project_id, year)
    data = service.export_self_evaluation(session, user, project_id, year, fmt)
    name = selfeval_filename(str(out.entry.get("name", "项目")), year, fmt)
    return download(data, fmt, name, f"selfeval-{project_id}-{year}.{fmt}")
