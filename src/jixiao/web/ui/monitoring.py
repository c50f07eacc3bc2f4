"""监控与自评: a project's monitoring rounds and self-evaluation, entering a monitoring round
(双监控) with its red/yellow/green/blue lights, and downloading the 监控表 and the 绩效目标表.

A round is ``/projects/{id}/monitoring/{year}/{end_month}``. The form starts from the stored
round, or from the approved targets when there is none. Numbers that are not numbers are refused
next to their field (nothing is saved); a round that saves but still lacks deviation reasons for a
red or yellow light shows each missing reason next to its field as 待补正.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.export.tables import Format
from jixiao.services.errors import NotFound, StaleVersion, ValidationFailed
from jixiao.services.evaluations import service as evaluations
from jixiao.services.evaluations.schemas import SelfEvaluationOut
from jixiao.services.monitoring import service as monitoring
from jixiao.services.monitoring.schemas import MonitoringIn, MonitoringOut
from jixiao.services.monitoring.shared import light_rules
from jixiao.services.principal import Principal
from jixiao.services.projects import export as target_export
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import ProjectDetail
from jixiao.services.scope import Action, can
from jixiao.services.types import entry_problem
from jixiao.web.downloads import download, monitoring_filename
from jixiao.web.ui import monitoring_form as mf
from jixiao.web.ui.context import DB, PathId, User, small_int
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()

MONTHS = list(range(1, 13))
STALE = (
    "保存失败：在您填写期间，此监控记录已被他人保存（现为第 {version} 版）。您的输入仍保留在下方，"
    "请核对后再次保存（将以您的输入为准）。"
)


def file_format(text: str) -> Format:
    if text == "xlsx":
        return "xlsx"
    if text == "pdf":
        return "pdf"
    raise NotFound("只提供 xlsx 与 pdf 两种格式")


def _round_or_none(
    db: DB, user: Principal, pid: int, year: int, month: int
) -> MonitoringOut | None:
    try:
        return monitoring.get_monitoring(db, user, pid, year, month)
    except NotFound:
        return None


def _selfeval_or_none(db: DB, user: Principal, pid: int, year: int) -> SelfEvaluationOut | None:
    try:
        return evaluations.get_self_evaluation(db, user, pid, year)
    except NotFound:
        return None


@router.get("/projects/{project_id}/results", name="project_results")
def results(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    """The project's monitoring rounds and self-evaluation, with links to enter and download."""
    d = projects.get_project(db, user, project_id)
    rounds = monitoring.list_monitoring(db, user, project_id)
    context = {
        "nav": "projects",
        "p": d,
        "rounds": rounds,
        "rates": {r.id: mf.percent(r.execution_rate) for r in rounds},
        "selfeval": _selfeval_or_none(db, user, project_id, d.year),
        "months": MONTHS,
        "may_edit": can(user, Action.EDIT),
    }
    return render(request, "monitoring/results.html", context)


@router.get("/projects/{project_id}/monitoring", name="monitoring_open")
def open_round(
    request: Request, user: User, project_id: PathId, year: int, end_month: int
) -> Response:
    """The 「填报监控」 form of the results page: go to the chosen round."""
    _check_round(year, end_month)
    url = page_url(
        request, "monitoring_round", project_id=project_id, year=year, end_month=end_month
    )
    return RedirectResponse(url, status_code=303)


def _context(
    d: ProjectDetail,
    year: int,
    month: int,
    entry: dict[str, Any],
    stored: MonitoringOut | None,
    **extra: Any,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav": "projects",
        "p": d,
        "year": year,
        "end_month": month,
        "period": f"1–{month}月",
        "time_progress": mf.percent(Decimal(month) * 100 / 12),
        "stored": stored,
        "rate": mf.percent(stored.execution_rate) if stored else "—",
        "rows": mf.rows_of(entry, stored.lights if stored else None),
        "form": mf.form_of(entry),
        "version": "" if stored is None else str(stored.version),
        "deadline": ""
        if stored is None or stored.deadline is None
        else stored.deadline.isoformat(),
        "errors": mf.issue_errors(stored.issues, entry) if stored else {},
        "tiers": mf.TIERS,
        "likelihoods": mf.LIKELIHOODS,
        "causes": mf.CAUSES,
        "profiles": mf.profile_choices(),
        "profile": stored.profile if stored else "",
        "light_rules": light_rules(stored.profile if stored else None),
        "budget_light": next((x for x in stored.lights if x.subject == "预算执行"), None)
        if stored
        else None,
    }
    context.update(extra)
    return context


def _base(
    db: DB, user: Principal, pid: int, year: int, month: int
) -> tuple[dict[str, Any], MonitoringOut | None]:
    stored = _round_or_none(db, user, pid, year, month)
    return (stored.entry if stored else monitoring.monitoring_template(db, user, pid)), stored


def _check_round(year: int, month: int) -> None:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise NotFound("没有这个监控轮次（年度 2000–2100，月份 1–12）")


@router.get("/projects/{project_id}/monitoring/{year}/{end_month}", name="monitoring_round")
def round_page(
    request: Request, db: DB, user: User, project_id: PathId, year: int, end_month: int
) -> Response:
    _check_round(year, end_month)
    d = projects.get_project(db, user, project_id)
    entry, stored = _base(db, user, project_id, year, end_month)
    flashes = []
    if request.query_params.get("saved"):
        left = len(stored.issues) if stored else 0
        text = f"监控记录已保存；尚有 {left} 项待补正（见标红处）。" if left else "监控记录已保存。"
        flashes.append({"kind": "warn" if left else "ok", "text": text})
    context = _context(
        d, year, end_month, entry, stored, flashes=flashes, may_edit=can(user, Action.EDIT)
    )
    return render(request, "monitoring/round.html", context)


def _deadline(text: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors["deadline"] = "日期须写成 YYYY-MM-DD"
        return None


@router.post("/projects/{project_id}/monitoring/{year}/{end_month}", name="monitoring_save")
async def save_round(
    request: Request, db: DB, user: User, project_id: PathId, year: int, end_month: int
) -> Response:
    _check_round(year, end_month)
    base, _ = _base(db, user, project_id, year, end_month)
    form = mf.posted(await request.form(), len(base.get("indicators", [])))
    errors: dict[str, str] = {}
    entry = mf.entry_from(base, form, errors)
    deadline = _deadline(form.get("deadline", ""), errors)
    profile = mf.chosen_profile(form, errors)
    version = form.get("version", "")
    if not errors and (problem := entry_problem(entry)):
        key, text = mf.path_error(problem, form)
        errors[key] = text
    if not errors:
        data = MonitoringIn(
            year=year,
            end_month=end_month,
            deadline=deadline,
            entry=entry,
            version=small_int(version),
            profile=profile,
        )
        try:
            monitoring.save_monitoring(db, user, project_id, data)
            url = page_url(
                request, "monitoring_round", project_id=project_id, year=year, end_month=end_month
            )
            return RedirectResponse(url + "?saved=1", status_code=303)
        except StaleVersion:
            db.rollback()
            return _refused(request, db, user, project_id, year, end_month, form, {}, conflict=True)
        except ValidationFailed as exc:
            db.rollback()
            key, text = mf.path_error(exc.fields.get("entry", exc.message), form)
            errors[key] = text
    return _refused(request, db, user, project_id, year, end_month, form, errors)


def _refused(
    request: Request,
    db: DB,
    user: Principal,
    pid: int,
    year: int,
    month: int,
    form: dict[str, Any],
    errors: dict[str, str],
    conflict: bool = False,
) -> Response:
    """The form again with the user's input and the errors (422), or the conflict (409)."""
    d = projects.get_project(db, user, pid)
    base, stored = _base(db, user, pid, year, month)
    context = _context(d, year, month, base, stored, may_edit=can(user, Action.EDIT))
    context.update(
        form=form, errors=errors, deadline=form.get("deadline", ""), profile=form.get("profile")
    )
    if conflict and stored is not None:
        context.update(conflict=STALE.format(version=stored.version), version=str(stored.version))
    else:
        context["version"] = form.get("version", "")
        context["form_error"] = "未保存：请修改标红的字段。"
    return render(request, "monitoring/round.html", context, status_code=409 if conflict else 422)


@router.get(
    "/projects/{project_id}/monitoring/{year}/{end_month}/download.{fmt}",
    name="monitoring_download",
)
def download_round(
    db: DB, user: User, project_id: PathId, year: int, end_month: int, fmt: str
) -> Response:
    """The 绩效目标执行监控表 of the round (xlsx or PDF)."""
    kind = file_format(fmt)
    out = monitoring.get_monitoring(db, user, project_id, year, end_month)
    data = monitoring.export_monitoring(db, user, project_id, year, end_month, kind)
    name = monitoring_filename(str(out.entry.get("name", "项目")), out, kind)
    return download(data, kind, name, f"monitoring-{project_id}-{year}-{end_month}.{kind}")


@router.get("/projects/{project_id}/targets/download.{fmt}", name="targets_download")
def download_targets(db: DB, user: User, project_id: int, fmt: str) -> Response:
    """The project's 项目支出绩效目标申报表 (xlsx or PDF)."""
    kind = file_format(fmt)
    data, name = target_export.export_targets(db, user, project_id, kind)
    return download(data, kind, name, f"targets-{project_id}.{kind}")


@router.get("/projects/{project_id}/targets/table.{fmt}", name="targets_table_download")
def download_target_table(db: DB, user: User, project_id: int, fmt: str) -> Response:
    """The whole 项目支出绩效目标表 of the project's organisation and year (xlsx or PDF)."""
    kind = file_format(fmt)
    data, name = target_export.export_targets(db, user, project_id, kind, whole_table=True)
    return download(data, kind, name, f"targets-table-{project_id}.{kind}")
