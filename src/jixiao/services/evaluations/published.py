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


@dataclass(frozen=True)
class Candidate:
    """A project of the department and year an evaluation may be attached to."""

    project_id: int
    name: str


@dataclass(frozen=True)
class Matching:
    """Where each evaluation of a file goes: ``matches[i]`` is the project of the same name
    as ``evaluations[i]`` (None when there is none); ``candidates`` every project it could go to."""

    department: str
    year: int
    evaluations: list[SelfEvaluation]
    matches: list[int | None]
    candidates: list[Candidate]


def match_published(
    session: Session,
    actor: Principal,
    evaluations: list[SelfEvaluation],
    year: int | None = None,
    department: str | None = None,
) -> Matching:
    """Match every evaluation to the department's project of the same name (nothing written)."""
    if not evaluations:
        raise ValidationFailed("表中没有自评表")
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
    projects = session.scalars(
        select(Project)
        .where(Project.org_id == org.id, Project.fiscal_year_id == fiscal_year.id)
        .order_by(Project.name)
    ).all()
    by_name = {_key(p.name): p.id for p in projects}
    return Matching(
        department=org.name,
        year=found_year,
        evaluations=evaluations,
        matches=[by_name.get(_key(ev.project)) for ev in evaluations],
        candidates=[Candidate(p.id, p.name) for p in projects],
    )


def attach_matched(
    session: Session,
    actor: Principal,
    matching: Matching,
    targets: list[int | None] | None = None,
) -> list[Attached]:
    """Save every evaluation as the self-evaluation of its project: the same-name match, or
    ``targets[i]`` where the person chose another project (None: not imported). All or nothing:
    a target outside the department's projects of the year, or two evaluations for one
    project, refuses the whole file."""
    chosen = matching.matches if targets is None else targets
    if len(chosen) != len(matching.evaluations):
        raise ValidationFailed("每张自评表都须选择对应的项目或“不导入”")
    allowed = {c.project_id for c in matching.candidates}
    picked = [t for t in chosen if t is not None]
    if any(t not in allowed for t in picked):
        raise ValidationFailed(f"所选项目不属于{matching.department} {matching.year} 年度")
    if len(set(picked)) != len(picked):
        raise ValidationFailed("两张自评表不能导入同一个项目")
    out = []
    for ev, project_id in zip(matching.evaluations, chosen, strict=True):
        if project_id is None:
            out.append(Attached(ev.project, None, None, None, 0))
            continue
        stored = _record(session, project_id, matching.year)
        entry = {k: v for k, v in selfeval_entry(ev).items() if k != "name"}
        saved = save_self_evaluation(
            session,
            actor,
            project_id,
            SelfEvaluationIn(
                year=matching.year, entry=entry, version=stored.version if stored else None
            ),
        )
        checks = [d for d in saved.discrepancies if d.code.startswith("SC")]
        out.append(Attached(ev.project, project_id, ev.published_total, saved.total, len(checks)))
    return out


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
    matching = match_published(session, actor, _evaluations(data, filename), year, department)
    if preview:
        return [
            Attached(ev.project, project_id, None, None, 0)
            for ev, project_id in zip(matching.evaluations, matching.matches, strict=True)
        ]
    return attach_matched(session, actor, matching)
