"""Indicator editing on the edit page: each indicator is its own HTMX form.

Every route works without JavaScript too (plain form posts answered with a redirect); with
HTMX the answer is the re-rendered fragment.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.domain.indicator import Indicator
from jixiao.review.findings import Finding
from jixiao.services.errors import AppError, StaleVersion
from jixiao.services.indicators import service as indicators
from jixiao.services.indicators.schemas import IndicatorCreate, IndicatorUpdate
from jixiao.services.indicators.validation import to_domain
from jixiao.services.library import benchmarks
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import ProjectDetail
from jixiao.web.ui import indicator_form as forms
from jixiao.web.ui import project_view as view
from jixiao.web.ui.context import DB, PathId, User, small_int
from jixiao.web.ui.edit import STALE_INDICATOR, _context, _text, refresh_review
from jixiao.web.ui.live_check import check_indicator
from jixiao.web.ui.rendering import is_htmx, render

router = APIRouter()


def _edit_url(project_id: int, anchor: str = "", query: str = "") -> str:
    return (
        f"/projects/{project_id}/edit"
        + (f"?{query}" if query else "")
        + (f"#{anchor}" if anchor else "")
    )


def _fragment(
    request: Request, d: ProjectDetail, state: forms.FormState, status_code: int = 200
) -> Response:
    context = _context(d, ind=state)
    return render(request, "edit/_indicator.html", context, status_code=status_code)


def _list(request: Request, db: DB, user: User, project_id: int) -> Response:
    if not is_htmx(request):
        return RedirectResponse(_edit_url(project_id, "indicator-editor"), status_code=303)
    d = projects.get_project(db, user, project_id)
    return render(request, "edit/_list.html", _context(d))


def _current_text(d: ProjectDetail, indicator_id: int) -> str:
    ind = view.indicator_by_id(d, indicator_id)
    if ind is None:
        return "（已被删除）"
    levels = "-".join(p for p in (ind.level2_code, ind.level2_name) if p)
    return f"{levels} {ind.name}：{view.target_text(ind.period)}｜{view.target_text(ind.annual)}"


def _state(d: ProjectDetail, form: dict[str, str], indicator_id: int | None) -> forms.FormState:
    state = forms.state_from_form(form, forms.framework_groups())
    state.id = indicator_id
    if indicator_id is not None:
        ids = [i.id for i in d.indicators]
        state.number = ids.index(indicator_id) + 1 if indicator_id in ids else None
    return state


def _check(
    db: DB, user: User, d: ProjectDetail, edited: Indicator, indicator_id: int | None
) -> list[Finding]:
    """The review's findings about the edited indicator, weighing its peers' targets."""
    peers = benchmarks.spread_for(db, user, d.id, edited)
    return check_indicator(d, edited, indicator_id, peers)


@router.post("/projects/{project_id}/indicators", name="indicator_create")
async def create(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    form = _text(await request.form())
    d = projects.get_project(db, user, project_id)
    state = _state(d, form, None)
    data, errors = forms.to_input(state)
    status = 422
    if data is not None:
        try:
            made = indicators.create_indicator(
                db, user, project_id, IndicatorCreate(**data.model_dump())
            )
            refresh_review(db, user, project_id)
        except AppError as exc:
            db.rollback()
            errors = forms.field_errors(exc.fields) or {"live": exc.message}
            status = exc.status_code
        else:
            target = _edit_url(project_id, f"ind-{made.id}", f"added={made.id}")
            if is_htmx(request):
                return Response(status_code=204, headers={"HX-Redirect": target})
            return RedirectResponse(target, status_code=303)
    state.errors = errors
    return _fragment(request, d, state, status_code=status)


@router.post("/projects/{project_id}/indicators/{indicator_id}", name="indicator_save")
async def save(
    request: Request, db: DB, user: User, project_id: PathId, indicator_id: PathId
) -> Response:
    form = _text(await request.form())
    d = projects.get_project(db, user, project_id)
    state = _state(d, form, indicator_id)
    data, errors = forms.to_input(state)
    status = 422
    if data is not None:
        try:
            update = IndicatorUpdate(**data.model_dump(), version=state.version or 0)
            saved = indicators.update_indicator(db, user, indicator_id, update)
            refresh_review(db, user, project_id)
        except StaleVersion:
            db.rollback()
            d = projects.get_project(db, user, project_id)
            current = view.indicator_by_id(d, indicator_id)
            state.conflict = STALE_INDICATOR.format(current=_current_text(d, indicator_id))
            state.version = current.version if current else state.version
            return _fragment(request, d, state, status_code=409)
        except AppError as exc:
            db.rollback()
            errors = forms.field_errors(exc.fields) or {"live": exc.message}
            status = exc.status_code
        else:
            if not is_htmx(request):
                return RedirectResponse(
                    _edit_url(project_id, f"ind-{indicator_id}"), status_code=303
                )
            d = projects.get_project(db, user, project_id)
            fresh = forms.state_of(saved, state.number or 0, forms.framework_groups())
            fresh.saved = True
            fresh.findings = _check(db, user, d, to_domain(data), indicator_id)
            fresh.checked = True
            return _fragment(request, d, fresh)
    state.errors = errors
    return _fragment(request, d, state, status_code=status)


@router.post("/projects/{project_id}/indicators/{indicator_id}/delete", name="indicator_delete")
async def delete(
    request: Request, db: DB, user: User, project_id: PathId, indicator_id: PathId
) -> Response:
    form = _text(await request.form())
    version = form.get("version", "")
    indicators.delete_indicator(db, user, indicator_id, small_int(version) or 0)
    refresh_review(db, user, project_id)
    return _list(request, db, user, project_id)


@router.post("/projects/{project_id}/indicators/{indicator_id}/move", name="indicator_move")
async def move(
    request: Request, db: DB, user: User, project_id: PathId, indicator_id: PathId
) -> Response:
    form = _text(await request.form())
    step = -1 if form.get("move") == "up" else 1
    indicators.move_indicator(db, user, project_id, indicator_id, step)
    refresh_review(db, user, project_id)
    return _list(request, db, user, project_id)


@router.post("/projects/{project_id}/indicators-check", name="indicator_validate")
async def validate(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    """Live check: field errors and the review findings the edited indicator would get."""
    form = _text(await request.form())
    d = projects.get_project(db, user, project_id)
    raw_id = form.get("indicator_id", "")
    indicator_id = small_int(raw_id)
    state = _state(d, form, indicator_id)
    data, errors = forms.to_input(state)
    state.checked = True
    if data is not None:
        try:
            state.findings = _check(db, user, d, to_domain(data), indicator_id)
        except AppError as exc:
            errors = {"live": exc.message}
    state.errors = errors
    if errors and "live" not in errors:
        state.errors["live"] = "；".join(errors.values())
    return render(request, "edit/_check.html", _context(d, ind=state))
