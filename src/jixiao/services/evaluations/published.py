"""Published self-evaluations (项目支出绩效自评表 read from a file) attached to their projects.

Each evaluation of the file is matched to the department's project of the same name in the
same year (wrap spaces and widths ignored) and saved as that project's self-evaluation through
``save_self_evaluation``, so it is scored, reconciled and checked against its published figures
(SC findings) like one entered by hand. An evaluation with no such project is listed, never
guessed. All or nothing: the caller's transaction holds every save.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import Project, SelfEvaluationRecord
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.ingest import parse_bytes
from jixiao.ingest.normalize import clean_text
from jixiao.ingest.result import SELF_EVALUATION
from jixiao.scoring.formats import selfeval_entry
from jixiao.services.errors import NotFound, ValidationFailed
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.evaluations.service import save_self_evaluation
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize


@dataclass(frozen=True)
class Attached:
    """One evaluation of the file: the project it went to (None when no project matched)."""

    name: str
    project_id: int | None
    published_total: Decimal | None
    recomputed_total: Decimal | None
    findings: int


def _key(name: str) -> str:
    return "".join(clean_text(name).split())


def _evaluations(data: bytes, filename: str) -> list[SelfEvaluation]:
    result = parse_bytes(data, filename)
    if result.kind != SELF_EVALUATION:
        raise ValidationFailed(f"{filename}：不是项目支出绩效自评表")
    return result.evaluations


def _record(session: Session, project_id: int, year: int) -> SelfEvaluationRecord | None:
    return session.scalar(
        select(SelfEvaluationRecord).where(
            SelfEvaluationRecord.project_id == project_id, SelfEvaluationRecord.year == year
        )
    )


def attach_published(
    session: Session,
    actor: Principal,
    data: bytes,
    filename: str,
    year: int | None = None,
    department: str | None = None,
    preview: bool = False,
) -> list[Attached]:
    """Match (and unless ``preview``, save) every evaluation of the file to its project."""
    evaluations = _evaluations(data, filename)
    found_year = year or next((e.year for e in evaluations if e.year), None)
    if found_year is None:
        raise ValidationFailed("表中没有年度，请指定年度")
    name = department or next((e.department for e in evaluations if e.department), None)
    if not name:
        raise ValidationFailed("表中没有主管部门，请指定部门")
    org = orgs.find_department(session, name)
    if org is None:
        raise NotFound(f"部门“{name}”不存在")
    authorize(session, actor, Action.EDIT, org.id)
    fiscal_year = orgs.fiscal_year(session, found_year)
    projects = {
        _key(p.name): p
        for p in session.scalars(
            select(Project).where(
                Project.org_id == org.id, Project.fiscal_year_id == fiscal_year.id
            )
        )
    }
    out = []
    for ev in evaluations:
        project = projects.get(_key(ev.project))
        if project is None or preview:
            out.append(Attached(ev.project, project.id if project else None, None, None, 0))
            continue
        stored = _record(session, project.id, found_year)
        entry = {k: v for k, v in selfeval_entry(ev).items() if k != "name"}
        saved = save_self_evaluation(
            session,
            actor,
            project.id,
            SelfEvaluationIn(
                year=found_year, entry=entry, version=stored.version if stored else None
            ),
        )
        checks = [d for d in saved.discrepancies if d.code.startswith("SC")]
        out.append(Attached(ev.project, project.id, ev.published_total, saved.total, len(checks)))
    return out
