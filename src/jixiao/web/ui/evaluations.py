"""年度自评: enter a project's self-evaluation, see its explained score, download the 自评表.

``/projects/{id}/self-evaluation/{year}`` is the form; it starts from the stored evaluation or
from the approved targets. Missing or wrong actuals are refused next to their field (nothing is
saved). A saved evaluation goes to its score page: per indicator the target, the actual, the
formula and the points, the total and the grade; what still needs a deviation explanation is
shown next to the field on the form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.services.errors import NotFound, StaleVersion, ValidationFailed
from jixiao.services.evaluations import listing
from jixiao.services.evaluations import service as evaluations
from jixiao.services.evaluations.schemas import SelfEvaluationIn, SelfEvaluationOut
from jixiao.services.monitoring.shared import profile_named
from jixiao.services.principal import Principal
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import ProjectDetail
from jixiao.services.scope import Action, can
from jixiao.services.types import entry_problem
from jixiao.web.downloads import download, selfeval_filename
from jixiao.web.ui import evaluation_form as ef
from jixiao.web.ui.context import DB, PathId, User, YearQuery, small_int
from jixiao.web.ui.monitoring import file_format
from jixiao.web.ui.monitoring_form import TIERS, chosen_profile, path_error, profile_choices
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()

STALE = (
    "保存失败：在您填写期间，此自评已被他人保存（现为第 {version} 版）。您的输入仍保留在下方，"
    "请核对后再次保存（将以您的输入为准）。"
)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise NotFound("没有这个年度（2000–2100）")


def _stored(db: DB, user: Principal, pid: int, year: int) -> SelfEvaluationOut | None:
    try:
        return evaluations.get_self_evaluation(db, user, pid, year)
    except NotFound:
        return None


def _base(
    db: DB, user: Principal, pid: int, year: int
) -> tuple[dict[str, Any], SelfEvaluationOut | None]:
    stored = _stored(db, user, pid, year)
    return (stored.entry if stored else evaluations.selfeval_template(db, user, pid)), stored


def _context(
    d: ProjectDetail,
    year: int,
    entry: dict[str, Any],
    stored: SelfEvaluationOut | None,
    may_edit: bool,
    **extra: Any,
) -> dict[str, Any]:
    profile = profile_named(stored.profile if stored else None)
    context: dict[str, Any] = {
        "nav": "projects",
        "p": d,
        "year": year,
        "stored": stored,
        "rows": ef.rows_of(entry),
        "form": ef.form_of(entry),
        "version": "" if stored is None else str(stored.version),
        "errors": ef.issue_errors(stored.issues, entry) if stored else {},
        "tiers": TIERS,
        "bands": ef.bands(profile),
        "profiles": profile_choices(),
        "profile": profile.id,
        "may_edit": may_edit,
    }
    context.update(extra)
    return context


def can_edit(user: Principal) -> bool:
    return can(user, Action.EDIT)


@router.get("/projects/{project_id}/self-evaluation/{year}", name="selfeval_form")
def form_page(request: Request, db: DB, user: User, project_id: PathId, year: int) -> Response:
    _check_year(year)
    d = projects.get_project(db, user, project_id)
    entry, stored = _base(db, user, project_id, year)
    return render(
        request, "evaluations/form.html", _context(d, year, entry, stored, can_edit(user))
    )


@router.post("/projects/{project_id}/self-evaluation/{year}", name="selfeval_save")
async def save(request: Request, db: DB, user: User, project_id: PathId, year: int) -> Response:
    _check_year(year)
    base, _ = _base(db, user, project_id, year)
    form = ef.posted(await request.form())
    errors: dict[str, str] = {}
    profile = chosen_profile(form, errors)
    entry = ef.entry_from(base, form, profile_named(profile), errors)
    version = form.get("version", "")
    if not errors and (problem := entry_problem(entry)):
        key, text = path_error(problem, form)
        errors[key] = text
    if not errors:
        data = SelfEvaluationIn(
            year=year,
            entry=entry,
            version=small_int(version),
            profile=profile,
        )
        try:
            evaluations.save_self_evaluation(db, user, project_id, data)
            url = page_url(request, "selfeval_score", project_id=project_id, year=year)
            return RedirectResponse(url + "?saved=1", status_code=303)
        except StaleVersion:
            db.rollback()
            return _refused(request, db, user, project_id, year, form, {}, conflict=True)
        except ValidationFailed as exc:
            db.rollback()
            key, text = path_error(exc.fields.get("entry", exc.message), form)
            errors[key] = text
    return _refused(request, db, user, project_id, year, form, errors)


def _refused(
    request: Request,
    db: DB,
    user: Principal,
    pid: int,
    year: int,
    form: dict[str, Any],
    errors: dict[str, str],
    conflict: bool = False,
) -> Response:
    d = projects.get_project(db, user, pid)
    base, stored = _base(db, user, pid, year)
    context = _context(d, year, base, stored, can_edit(user), form=form, errors=errors)
    context["profile"] = form.get("profile")
    if conflict and stored is not None:
        context.update(conflict=STALE.format(version=stored.version), version=str(stored.version))
    else:
        context.update(version=form.get("version", ""), form_error="未保存：请修改标红的字段。")
    return render(request, "evaluations/form.html", context, status_code=409 if conflict else 422)


@router.get("/projects/{project_id}/self-evaluation/{year}/score", name="selfeval_score")
def score_page(request: Request, db: DB, user: User, project_id: PathId, year: int) -> Response:
    """The score explained line by line: target, actual, formula, points; total and grade."""
    _check_year(year)
    d = projects.get_project(db, user, project_id)
    out = evaluations.get_self_evaluation(db, user, project_id, year)
    flashes = []
    if request.query_params.get("saved"):
        left = len(out.issues)
        text = f"自评已保存；尚有 {left} 项待补正，请在填报页补充。" if left else "自评已保存。"
        flashes.append({"kind": "warn" if left else "ok", "text": text})
    context = {
        "nav": "projects",
        "p": d,
        "year": year,
        "s": out,
        "profile_name": profile_named(out.profile).name,
        "flashes": flashes,
        "may_edit": can_edit(user),
    }
    return render(request, "evaluations/score.html", context)


@router.get(
    "/projects/{project_id}/self-evaluation/{year}/download.{fmt}", name="selfeval_download"
)
def download_table(db: DB, user: User, project_id: PathId, year: int, fmt: str) -> Response:
    """The 项目支出绩效自评表 (xlsx or PDF)."""
    kind = file_format(fmt)
    _check_year(year)
    out = evaluations.get_self_evaluation(db, user, project_id, year)
    data = evaluations.export_self_evaluation(db, user, project_id, year, kind)
    name = selfeval_filename(str(out.entry.get("name", "项目")), year, kind)
    return download(data, kind, name, f"selfeval-{project_id}-{year}.{kind}")


@router.get("/self-evaluations", name="selfeval_year")
def year_page(request: Request, db: DB, user: User, year: YearQuery = None) -> Response:
    """A year's self-evaluations with their published and recomputed totals."""
    wanted = year if year is not None and 2000 <= year <= 2100 else date.today().year
    rows = listing.year_list(db, user, wanted)
    context = {
        "nav": "selfevals",
        "year": wanted,
        "years": list(range(date.today().year + 1, 2018, -1)),
        "rows": rows,
        "differs": sum(1 for r in rows if r.differs),
    }
    return render(request, "evaluations/year.html", context)


@router.get("/self-evaluations/download.xlsx", name="selfeval_year_download")
def year_download(db: DB, user: User, year: YearQuery = None) -> Response:
    wanted = year if year is not None and 2000 <= year <= 2100 else date.today().year
    data = listing.year_list_xlsx(listing.year_list(db, user, wanted), wanted)
    return download(data, "xlsx", f"{wanted}年度自评汇总.xlsx", f"selfeval-{wanted}.xlsx")
