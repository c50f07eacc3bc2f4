"""Monitoring (双监控) of a project: the fill-in template, save a round, read, export the 监控表.

A round is addressed by ``/{year}/{end_month}`` (``2023/7`` is 1–7月). Saving a round that
exists already needs the ``version`` that was read (else 409); the lights and the open issues
(missing deviation reasons…) come back with the saved round.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import AfterValidator, BaseModel, Field
from starlette.responses import Response

from jixiao.export.tables import Format
from jixiao.scoring.weights import bundled_profiles
from jixiao.services.monitoring import service
from jixiao.services.monitoring.schemas import MonitoringIn, MonitoringOut
from jixiao.services.types import Entry, Version
from jixiao.web.deps import CurrentUser, PathId, SessionDep
from jixiao.web.downloads import DOWNLOAD_RESPONSES, download, monitoring_filename

router = APIRouter(tags=["monitoring"])

Year = Annotated[int, Path(ge=2000, le=2100, description="年度")]
EndMonth = Annotated[int, Path(ge=1, le=12, description="监控截止月份，7 表示 1–7月")]
FormatQuery = Annotated[Format, Query(alias="format", description="xlsx 或 pdf")]


def bundled_profile(name: str | None) -> str | None:
    """Only the bundled profiles: a web caller never names a file on the server."""
    if name is not None and name not in bundled_profiles():
        raise ValueError(f"未知的评分口径：{name}（可选：{'、'.join(bundled_profiles())}）")
    return name


ProfileName = Annotated[
    Annotated[str, Field(max_length=64)] | None,
    AfterValidator(bundled_profile),
    Field(description="评分与预警口径：national（默认）或 shanxi（较严）"),
]


class MonitoringRoundIn(BaseModel):
    """The body of a save: the round itself is named by the path."""

    entry: Entry = Field(
        description="jixiao.monitoring/1 项目条目（见 docs/formats/monitoring.md）"
    )
    deadline: date | None = None
    version: Version | None = Field(None, description="所替换的记录版本；首次保存不填")
    profile: ProfileName = None


@router.get("/projects/{project_id}/monitoring-template/{year}/{end_month}")
def monitoring_template(
    project_id: PathId, year: Year, end_month: EndMonth, session: SessionDep, user: CurrentUser
) -> MonitoringIn:
    """A body to fill in: the approved budget and annual targets, no values yet."""
    entry = service.monitoring_template(session, user, project_id)
    return MonitoringIn(year=year, end_month=end_month, entry=entry)


@router.get("/projects/{project_id}/monitoring")
def list_monitoring(
    project_id: PathId, session: SessionDep, user: CurrentUser
) -> list[MonitoringOut]:
    """Every round of the project, oldest first, with its lights."""
    return service.list_monitoring(session, user, project_id)


@router.get("/projects/{project_id}/monitoring/{year}/{end_month}")
def get_monitoring(
    project_id: PathId, year: Year, end_month: EndMonth, session: SessionDep, user: CurrentUser
) -> MonitoringOut:
    return service.get_monitoring(session, user, project_id, year, end_month)


@router.put("/projects/{project_id}/monitoring/{year}/{end_month}")
def save_monitoring(
    project_id: PathId,
    year: Year,
    end_month: EndMonth,
    body: MonitoringRoundIn,
    session: SessionDep,
    user: CurrentUser,
) -> MonitoringOut:
    """Store the round, light it and return the open issues; 409 when ``version`` is stale."""
    data = MonitoringIn(year=year, end_month=end_month, **body.model_dump())
    return service.save_monitoring(session, user, project_id, data)


@router.get(
    "/projects/{project_id}/monitoring/{year}/{end_month}/export",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES,
)
def export_monitoring(
    project_id: PathId,
    year: Year,
    end_month: EndMonth,
    fmt: FormatQuery,
    session: SessionDep,
    user: CurrentUser,
) -> Response:
    """The 项目支出绩效目标执行监控表 of the round as xlsx or PDF."""
    out = service.get_monitoring(session, user, project_id, year, end_month)
    data = service.export_monitoring(session, user, project_id, year, end_month, fmt)
    name = monitoring_filename(str(out.entry.get("name", "项目")), out, fmt)
    return download(data, fmt, name, f"monitoring-{project_id}-{year}-{end_month}.{fmt}")
