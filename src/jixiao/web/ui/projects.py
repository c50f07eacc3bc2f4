"""项目列表 and 项目详情: filters, search, sorting, paging; the official indicator table."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.domain.enums import Grade, ProjectStatus
from jixiao.review.registry import all_rules
from jixiao.services.dashboard import service as dashboard
from jixiao.services.errors import AppError, NotFound
from jixiao.services.orgs import service as orgs
from jixiao.services.pagination import PageParams
from jixiao.services.projects import service as projects
from jixiao.services.projects.copy import copy_to_next_year
from jixiao.services.projects.schemas import ProjectFilters
from jixiao.services.reviews import service as reviews
from jixiao.services.workflow import service as workflow
from jixiao.web.ui import compare
from jixiao.web.ui import project_view as view
from jixiao.web.ui.context import DB, PathId, User, small_int
from jixiao.web.ui.formatting import version_kind
from jixiao.web.ui.rendering import is_htmx, page_url, render

router = APIRouter()

PAGE_SIZE = 30
SORTABLE = {"name", "total", "updated", "status", "grade"}
DESCENDING = {"name", "total", "updated"}
DONE = {
    "submit": "已提交审核。",
    "dept_approve": "已通过部门审核。",
    "dept_return": "已退回，意见已通知填报单位。",
    "finance_approve": "已批复。",
    "finance_return": "已退回，意见已通知填报单位。",
    "publish": "已公开。",
    "adjust": "已发起调整，生成新版本草稿。",
    "waive": "已豁免该问题，理由已记录。",
}


def _enum_or_none(enum: Any, value: str | None) -> Any:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def _sort_key(sort: str, direction: str) -> str:
    if sort not in SORTABLE:
        return "name"
    return f"-{sort}" if direction == "desc" and sort in DESCENDING else sort


def _page_window(current: int, pages: int) -> list[int | None]:
    """Page numbers to show: first, last and two around the current page; None = gap."""
    wanted = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    out: list[int | None] = []
    for n in wanted:
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


@router.get("/projects", name="project_list")
def project_list(
    request: Request,
    db: DB,
    user: User,
    q: Annotated[str, Query(max_length=100)] = "",
    year: str = "",
    org: str = "",
    status: str = "",
    grade: str = "",
    rule: Annotated[str, Query(max_length=20)] = "",
    sort: str = "name",
    dir: str = "asc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    filters = ProjectFilters(
        year=small_int(year, 9999),
        org_id=small_int(org) or None,
        status=_enum_or_none(ProjectStatus, status),
        grade=_enum_or_none(Grade, grade),
        rule=rule.strip() or None,
        q=q.strip() or None,
        sort=_sort_key(sort, dir),
    )
    result = projects.list_projects(db, user, filters, PageParams(page=page, size=PAGE_SIZE))
    pages = max(1, -(-result.total // PAGE_SIZE))
    if page > pages:  # past the end (an old link, a hand-typed ?page=99): show the last page
        page = pages
        result = projects.list_projects(db, user, filters, PageParams(page=page, size=PAGE_SIZE))
    params = {k: v for k, v in request.query_params.items() if v}

    def query(**changes: Any) -> str:
        return urlencode({**params, **{k: str(v) for k, v in changes.items()}})

    context = {
        "nav": "projects",
        "result": result,
        "filters": {**filters.model_dump(), "org": filters.org_id},
        "options": {
            "years": dashboard.available_years(db, user),
            "orgs": orgs.list_orgs(db, user),
            "statuses": list(ProjectStatus),
            "grades": list(Grade),
            "rules": all_rules(),
        },
        "sort": sort if sort in SORTABLE else "name",
        "direction": "desc" if dir == "desc" else "asc",
        "query": query,
        "page_no": min(page, pages),
        "pages": pages,
        "page_window": _page_window(min(page, pages), pages),
    }
    template = "projects/_table.html" if is_htmx(request) else "projects/list.html"
    return render(request, template, context)


def detail_context(request: Request, db: DB, user: User, project_id: int) -> dict[str, Any]:
    detail = projects.get_project(db, user, project_id)
    views = view.indicator_views(detail)
    done = request.query_params.get("done", "")
    return {
        "nav": "projects",
        "p": detail,
        "can_edit": "edit" in detail.allowed,
        "can_copy": "copy" in detail.allowed,
        "actions": view.actions(detail),
        "returned": view.return_note(detail),
        "lock_reason": view.lock_reason(detail),
        "funding": view.funding_lines(detail),
        "rows": view.official_rows(views),
        "project_findings": view.project_findings(detail),
        "history": view.history(detail),
        "waived": [f for f in detail.findings if f.waived],
        "waive_project": detail.id if "waive_finding" in detail.allowed else None,
        "open_findings": view.open_findings(detail),
        "blocking": reviews.blocking_findings(db, detail.id) if "submit" in detail.allowed else [],
        "approving": [a for a in view.APPROVE_ACTIONS if a in detail.allowed],
        "flashes": [{"kind": "ok", "text": DONE[done]}] if done in DONE else [],
    }


@router.get("/projects/{project_id}", name="project_detail")
def project_detail(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    return render(request, "projects/detail.html", detail_context(request, db, user, project_id))


@router.post("/projects/{project_id}/transition", name="project_transition")
def project_transition(
    request: Request,
    db: DB,
    user: User,
    project_id: PathId,
    action: Annotated[str, Form(max_length=32)],
    version: Annotated[int, Form()],
    comment: Annotated[str, Form(max_length=2000)] = "",
    findings_seen: Annotated[bool, Form()] = False,
) -> Response:
    try:
        workflow.transition(
            db,
            user,
            project_id,
            action,
            comment=comment,
            version=version,
            findings_seen=findings_seen,
        )
    except AppError as exc:
        db.rollback()
        context = detail_context(request, db, user, project_id)
        context.update(
            decision_error=exc.message, decision_fields=exc.fields, decision_comment=comment
        )
        return render(request, "projects/detail.html", context, status_code=exc.status_code)
    target = (
        page_url(request, "project_detail", project_id=project_id)
        + "?"
        + urlencode({"done": action})
    )
    return RedirectResponse(target, status_code=303)


@router.post("/projects/{project_id}/copy", name="project_copy")
def project_copy(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    """Next year's draft from this approved project, then its edit page."""
    try:
        made = copy_to_next_year(db, user, project_id)
    except AppError as exc:
        db.rollback()
        context = detail_context(request, db, user, project_id)
        context.update(decision_error=exc.message)
        return render(request, "projects/detail.html", context, status_code=exc.status_code)
    target = page_url(request, "project_edit", project_id=made.id) + "?copied=1"
    return RedirectResponse(target, status_code=303)


def _side(db: DB, user: User, project_id: int, key: str, current: Any) -> compare.Side:
    version_id = small_int(key)
    if version_id is None:
        return compare.side_from_detail("当前内容", current)
    version = projects.get_version(db, user, project_id, version_id)
    title = f"第 {version.edition} 版 · {version_kind(version.kind)}"
    return compare.side_from_snapshot(title, version.snapshot)


@router.get("/projects/{project_id}/compare", name="project_compare")
def project_compare(
    request: Request, db: DB, user: User, project_id: PathId, a: str = "", b: str = "current"
) -> Response:
    detail = projects.get_project(db, user, project_id)
    if (not a or a == b) and detail.versions:  # never a version with itself by default
        newest = max(detail.versions, key=lambda v: (v.created_at, v.id))
        a = str(newest.id) if b != str(newest.id) else "current"
    side_a = _side(db, user, project_id, a, detail)
    side_b = _side(db, user, project_id, b, detail)
    head, inds = compare.lines(side_a, side_b)
    context = {
        "nav": "projects",
        "p": detail,
        "a": side_a,
        "b": side_b,
        "head": head,
        "inds": inds,
        "changed": sum(line.changed for line in head + inds),
    }
    return render(request, "projects/compare.html", context)


@router.post("/projects/{project_id}/findings/{finding_id}/waive", name="finding_waive")
def finding_waive(
    request: Request,
    db: DB,
    user: User,
    project_id: PathId,
    finding_id: PathId,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    finding = reviews.waive(db, user, finding_id, reason)
    if finding.project_id != project_id:
        raise NotFound("问题不存在或无权查看")
    target = page_url(request, "project_detail", project_id=project_id) + "?done=waive#indicators"
    return RedirectResponse(target, status_code=303)
