"""修改记录 of a project, and the system-wide 审计记录 with filters and an xlsx export.

What an entry says (operation names, labelled field changes, names for ids, text diffs) comes
from :mod:`jixiao.services.audit_trail`; who may read which entries is decided there too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jixiao.services import audit, audit_trail
from jixiao.services.audit_trail import AuditFilter
from jixiao.services.pagination import PageParams
from jixiao.services.projects import service as projects
from jixiao.web.downloads import download
from jixiao.web.ui.context import DB, PathId, User, small_int
from jixiao.web.ui.rendering import render

router = APIRouter()

PAGE_SIZE = 50
PageNo = Annotated[int, Query(ge=1, le=100_000)]


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@router.get("/projects/{project_id}/audit", name="project_audit")
def project_audit(
    request: Request, db: DB, user: User, project_id: PathId, page: PageNo = 1
) -> Response:
    detail = projects.get_project(db, user, project_id)
    entries = audit.list_for_project(db, user, project_id, PageParams(page=page, size=PAGE_SIZE))
    pages = _pages(entries.total)
    if page > pages:  # past the end: show the last page
        page = pages
        entries = audit.list_for_project(
            db, user, project_id, PageParams(page=page, size=PAGE_SIZE)
        )
    context = {
        "nav": "projects",
        "p": detail,
        "rows": audit_trail.describe(db, entries.items),
        "total": entries.total,
        "page_no": page,
        "pages": pages,
    }
    return render(request, "projects/audit.html", context)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _filters(user_id: str, project: str, action: str, start: str, end: str) -> AuditFilter:
    return AuditFilter(
        actor_id=small_int(user_id),
        project=project.strip()[:100] or None,
        action=action.strip()[:50] or None,
        date_from=_date(start),
        date_to=_date(end),
    )


@router.get("/audit", name="audit_log")
def audit_log(
    request: Request,
    db: DB,
    user: User,
    actor: str = "",
    project: str = "",
    action: str = "",
    start: str = "",
    end: str = "",
    page: PageNo = 1,
) -> Response:
    wanted = _filters(actor, project, action, start, end)
    found = audit_trail.search(db, user, wanted, PageParams(page=page, size=PAGE_SIZE))
    pages = _pages(found.total)
    if page > pages:
        page = pages
        found = audit_trail.search(db, user, wanted, PageParams(page=page, size=PAGE_SIZE))
    people, operations = audit_trail.filter_choices(db, user)
    params = {k: v for k, v in request.query_params.items() if v and k != "page"}

    def query(**changes: Any) -> str:
        return urlencode({**params, **{k: str(v) for k, v in changes.items()}})

    context = {
        "nav": "audit",
        "rows": found.items,
        "total": found.total,
        "page_no": page,
        "pages": pages,
        "query": query,
        "people": people,
        "operations": operations,
        "form": {"actor": actor, "project": project, "action": action, "start": start, "end": end},
    }
    return render(request, "audit/log.html", context)


@router.get("/audit/download.xlsx", name="audit_download")
def audit_download(
    db: DB,
    user: User,
    actor: str = "",
    project: str = "",
    action: str = "",
    start: str = "",
    end: str = "",
) -> Response:
    wanted = _filters(actor, project, action, start, end)
    data = audit_trail.export_xlsx(db, user, wanted)
    return download(data, "xlsx", "审计记录.xlsx", "audit-log.xlsx")
