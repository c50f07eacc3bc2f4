"""编辑: header, funding and goals; add / edit / delete / reorder indicators; live validation.

Saving names the version that was edited; when someone else saved in between, the services
answer 409 and the page shows the user's input again with what changed, never losing it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.domain.enums import FundSource
from jixiao.services.errors import StaleVersion, ValidationFailed
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import AmountsIn, ProjectDetail, ProjectUpdate
from jixiao.services.reviews import service as reviews
from jixiao.services.scope import Action, authorize
from jixiao.web.ui import indicator_form as forms
from jixiao.web.ui import project_view as view
from jixiao.web.ui.context import DB, PathId, User, small_int
from jixiao.web.ui.errors import show_error
from jixiao.web.ui.rendering import render

router = APIRouter()

FUNDING_FIELDS = tuple((source.value, source.label) for source in FundSource)
STALE_PROJECT = (
    "保存失败：在您编辑期间，此项目已被他人修改并保存。您的输入仍保留在下方；"
    "已变化的字段：{changed}。请核对后再次点击保存（将以您的输入为准）。"
)
COPIED = (
    "已复制为 {d.year} 年度草稿：目标、金额和指标均可修改；每个指标下方列出上年的指标值"
    "和自评实际完成值，供设定本年目标时参照。"
)
STALE_INDICATOR = (
    "保存失败：在您编辑期间，此指标已被他人修改。您的输入仍保留在下方；"
    "他人保存的内容为：{current}。请核对后再次保存（将以您的输入为准）。"
)


def _text(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def refresh_review(db: DB, user: User, project_id: int) -> None:
    """Review the saved project again so its findings and grade match what was just saved."""
    reviews.rerun(db, user, project_id)


def _header_form(d: ProjectDetail) -> dict[str, str]:
    amounts = {
        k: "" if getattr(d.amounts, k) is None else str(getattr(d.amounts, k))
        for k, _ in FUNDING_FIELDS
    }
    return {
        "version": str(d.version),
        "name": d.name,
        "unit_name": d.unit_name or "",
        "period_goal": d.goal or "",
        "annual_goal": d.annual_goal or "",
        **amounts,
    }


def _indicator_states(d: ProjectDetail, groups: list[forms.OptionGroup]) -> list[forms.FormState]:
    states = []
    open_findings = [f for f in d.findings if not f.waived]
    for n, ind in enumerate(d.indicators, start=1):
        state = forms.state_of(ind, n, groups)
        state.findings = [f for f in open_findings if f.indicator_id == ind.id]
        states.append(state)
    return states


def _context(d: ProjectDetail, **extra: Any) -> dict[str, Any]:
    groups = forms.framework_groups()
    context: dict[str, Any] = {
        "nav": "projects",
        "p": d,
        "returned": view.return_note(d),
        "project_findings": view.project_findings(d),
        "form": _header_form(d),
        "errors": {},
        "funding_fields": FUNDING_FIELDS,
        "indicators": _indicator_states(d, groups),
        "blank": forms.FormState(),
        "framework_groups": groups,
        "operators": forms.OPERATORS,
        "last_year": {i.id: i.last_year for i in d.indicators if i.last_year is not None},
    }
    context.update(extra)
    return context


@router.get("/projects/{project_id}/edit", name="project_edit")
def edit_page(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    d = projects.get_project(db, user, project_id)
    authorize(db, user, Action.EDIT, d.org_id)
    if d.locked:
        return show_error(request, 409, view.lock_reason(d) or "项目已锁定，不能修改。")
    flashes = []
    if request.query_params.get("saved"):
        flashes.append({"kind": "ok", "text": "项目信息已保存。"})
    if request.query_params.get("copied") and d.copied_from is not None:
        flashes.append({"kind": "ok", "text": COPIED.format(d=d)})
    return render(request, "edit/page.html", _context(d, flashes=flashes))


def _amounts(form: dict[str, str], errors: dict[str, str]) -> AmountsIn | None:
    values: dict[str, Decimal | None] = {}
    for key, label in FUNDING_FIELDS:
        text = form.get(key, "").replace(",", "").replace("，", "").strip()
        try:
            values[key] = Decimal(text) if text else None
        except InvalidOperation:
            errors[key] = f"{label}须为数字（万元），如 1714.44"
    if errors:
        return None
    try:
        return AmountsIn(**values)
    except ValidationError as exc:
        for err in exc.errors():
            errors[str(err["loc"][0])] = "金额须为不小于 0 的数字，最多 6 位小数"
        return None


def _changed_fields(mine: dict[str, str], current: dict[str, str]) -> str:
    labels = {
        "name": "项目名称",
        "unit_name": "资金使用单位",
        "period_goal": "实施周期目标",
        "annual_goal": "年度目标",
    }
    labels.update(dict(FUNDING_FIELDS))
    changed = [label for key, label in labels.items() if mine.get(key, "") != current.get(key, "")]
    return "、".join(changed) or "无（仅修改序号变化）"


@router.post("/projects/{project_id}/edit", name="project_save_header")
async def save_header(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    form = _text(await request.form())
    errors: dict[str, str] = {}
    amounts = _amounts(form, errors)
    version = form.get("version", "")
    if not errors:
        try:
            update = ProjectUpdate(
                version=small_int(version) or 0,
                name=form.get("name", "").strip()[:300],
                unit_name=form.get("unit_name", "").strip()[:200] or None,
                goal=form.get("period_goal", "").strip()[:5000] or None,
                annual_goal=form.get("annual_goal", "").strip()[:5000] or None,
                amounts=amounts,
            )
            projects.update_project(db, user, project_id, update)
            refresh_review(db, user, project_id)
            return RedirectResponse(f"/projects/{project_id}/edit?saved=1", status_code=303)
        except StaleVersion:
            db.rollback()
            current = projects.get_project(db, user, project_id)
            message = STALE_PROJECT.format(changed=_changed_fields(form, _header_form(current)))
            form["version"] = str(current.version)
            return render(
                request, "edit/page.html", _context(current, form=form, conflict=message), 409
            )
        except ValidationFailed as exc:
            db.rollback()
            errors = {("total" if k.startswith("amounts") else k): v for k, v in exc.fields.items()}
            errors.setdefault("_", exc.message)
        except ValidationError:
            errors["name"] = "项目名称须为 1–300 个字"
    d = projects.get_project(db, user, project_id)
    context = _context(d, form=form, errors=errors, header_error="保存失败，请修改标红的字段。")
    return render(request, "edit/page.html", context, status_code=422)
