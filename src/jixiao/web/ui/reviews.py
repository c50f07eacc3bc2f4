"""审核: the queue of projects waiting for the reviewer's decision (approve or return)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jixiao.domain.enums import ProjectStatus
from jixiao.services.pagination import PageParams
from jixiao.services.principal import Principal
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import ProjectFilters, ProjectSummary
from jixiao.services.scope import Action, authorize_any, can
from jixiao.web.ui.context import DB, User
from jixiao.web.ui.rendering import render

router = APIRouter()

QUEUE_SIZE = 200


def _steps(user: Principal) -> list[tuple[str, ProjectStatus]]:
    steps = []
    if can(user, Action.DEPT_REVIEW):
        steps.append(("部门审核", ProjectStatus.SUBMITTED))
    if can(user, Action.FINANCE_REVIEW):
        steps.append(("财政审核", ProjectStatus.DEPT_APPROVED))
    return steps


def _queue(
    db: DB, user: User, status: ProjectStatus, year: int | None
) -> tuple[int, list[ProjectSummary]]:
    filters = ProjectFilters(status=status, year=year, sort="updated")
    page = projects.list_projects(db, user, filters, PageParams(page=1, size=QUEUE_SIZE))
    return page.total, page.items


@router.get("/reviews", name="review_queue")
def review_queue(
    request: Request,
    db: DB,
    user: User,
    year: Annotated[int | None, Query(ge=1990, le=2200)] = None,
) -> Response:
    authorize_any(db, user, Action.DEPT_REVIEW, Action.FINANCE_REVIEW)
    steps = _steps(user)
    queues = []
    for title, status in steps:
        total, items = _queue(db, user, status, year)
        queues.append({"title": title, "status": status, "total": total, "projects": items})
    returned_total, returned = _queue(db, user, ProjectStatus.RETURNED, year)
    context = {
        "nav": "reviews",
        "queues": queues,
        "returned": returned,
        "returned_total": returned_total,
    }
    return render(request, "reviews/queue.html", context)
