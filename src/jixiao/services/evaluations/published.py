"""Published self-evaluations (项目支出绩效自评表 read from a file) attached to their projects.

Each evaluation of the file is matched to the department's project of the same name in the
same year (wrap spaces and widths ignored) and saved as that project's self-evaluation through
``save_self_evaluation``, so it is scored, reconciled and checked against its published figures
(SC findings) like one entered by hand. An evaluation with no such project is listed, never
guessed: the person picks another project, leaves it out, or asks for the project to be
created from the evaluation (:func:`project_of`), which the import service then creates as it
creates a department table's new projects. All or nothing: the caller's transaction holds
every creation and every save.

A project created from a published self-evaluation gets the status an import gives every new
project: 草稿 (draft). The published form shows that the project was approved in reality, but
what is stored is reconstructed from the evaluation (its 年度指标值 as targets, its budget as
funding), not the approved target table, and 已批复 is a decision the finance reviewer records
through the workflow; a draft can be corrected, reviewed and approved there, and a later import
of the department's target table replaces it as a new edition instead of being refused as
locked. The project's version and audit entry say it was imported from the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import Organisation, Project, SelfEvaluationRecord
from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.evaluation import FundsExecution, SelfEvaluation
from jixiao.domain.indicator import Indicator
from jixiao.domain.monitoring import BudgetLine
from jixiao.domain.project import Amounts
from jixiao.domain.project import Project as DomainProject
from jixiao.ingest import parse_bytes
from jixiao.ingest.normalize import clean_text
from jixiao.ingest.result import SELF_EVALUATION
from jixiao.scoring.formats import selfeval_entry
from jixiao.services.errors import Conflict, NotFound, ValidationFailed
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.evaluations.service import save_self_evaluation
from jixiao.services.imports import service as imports
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
    created: bool = False  # the project was created from the evaluation


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
    org_id: int | None = None


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
        org_id=org.id,
    )


def _wan(execution: FundsExecution | None) -> Decimal | None:
    """The row's 年初预算数 (the budget the project was approved with), else 全年预算数, in 万元."""
    if execution is None:
        return None
    money = execution.initial_budget or execution.budget
    return money.amount(MoneyUnit.WAN_YUAN)


def project_of(ev: SelfEvaluation) -> DomainProject:
    """The project a published self-evaluation describes, as an import reads one: its name and
    unit; 资金 in 万元 from the funds rows (年度资金总额 / 财政拨款 / 其他资金, the budget the year
    began with where the form prints it); 年度总体目标 as the annual goal; every indicator with
    its 一级/二级 categories and 年度指标值 as the annual target; the reader's repairs."""
    return DomainProject(
        name=ev.project,
        amounts=Amounts(
            total=_wan(ev.funds_line(BudgetLine.TOTAL)),
            fiscal=_wan(ev.funds_line(BudgetLine.FISCAL)),
            special=_wan(ev.funds_line(BudgetLine.SPECIAL)),
            other=_wan(ev.funds_line(BudgetLine.OTHER)),
        ),
        indicators=[
            Indicator(name=i.name, level1=i.level1, level2=i.level2, annual=i.target)
            for i in ev.indicators
        ],
        repairs=list(ev.repairs),
        unit_name=ev.unit_name,
        annual_goal=ev.goal,
    )


def _create(
    session: Session,
    actor: Principal,
    matching: Matching,
    wanted: list[int],
    source: imports.Upload,
) -> dict[int, int]:
    """Create the projects of ``matching.evaluations[i]`` for every ``i`` in ``wanted``
    through the import service; their ids by ``i``."""
    if not wanted:
        return {}
    assert matching.org_id is not None
    org = session.get(Organisation, matching.org_id)
    assert org is not None
    document = Document(
        projects=[project_of(matching.evaluations[i]) for i in wanted],
        title="项目支出绩效自评表",
        department=matching.department,
        unit=MoneyUnit.WAN_YUAN,
        year=matching.year,
    )
    ids = imports.create_projects(session, actor, source, document, org, matching.year)
    return dict(zip(wanted, ids, strict=True))


def attach_matched(
    session: Session,
    actor: Principal,
    matching: Matching,
    targets: list[int | None] | None = None,
    create: list[bool] | None = None,
    source: imports.Upload | None = None,
) -> list[Attached]:
    """Save every evaluation as the self-evaluation of its project: the same-name match, or
    ``targets[i]`` where the person chose another project (None: not imported), or, where
    ``create[i]``, a project created from the evaluation (:func:`project_of`) in the
    department and year from the file ``source``. All or nothing: a target outside the
    department's projects of the year, two evaluations for one project, or a project to create
    whose name is taken (by then) refuses the whole file."""
    chosen = list(matching.matches if targets is None else targets)
    creating = [False] * len(chosen) if create is None else create
    if len(chosen) != len(matching.evaluations) or len(creating) != len(chosen):
        raise ValidationFailed("每张自评表都须选择对应的项目或“不导入”")
    wanted = [i for i, c in enumerate(creating) if c]
    for i in wanted:
        name = matching.evaluations[i].project
        if chosen[i] is not None:
            raise ValidationFailed(f"“{name}”：请在“导入到项目”与“新建项目”中只选一项")
        if matching.matches[i] is not None:
            raise Conflict(
                f"{matching.department} {matching.year} 年度已有项目“{name}”"
                "（可能刚由他人导入），未新建，本次未写入任何数据，请重新上传预览"
            )
    if wanted and source is None:
        raise ValidationFailed("新建项目须提供自评表文件")
    allowed = {c.project_id for c in matching.candidates}
    picked = [t for t in chosen if t is not None]
    if any(t not in allowed for t in picked):
        raise ValidationFailed(f"所选项目不属于{matching.department} {matching.year} 年度")
    if len(set(picked)) != len(picked):
        raise ValidationFailed("两张自评表不能导入同一个项目")
    if len({_key(matching.evaluations[i].project) for i in wanted}) != len(wanted):
        raise ValidationFailed("两张自评表的项目名称相同，不能都新建项目")
    created = _create(session, actor, matching, wanted, source) if source else {}
    for i, new_id in created.items():
        chosen[i] = new_id
    out = []
    for i, (ev, project_id) in enumerate(zip(matching.evaluations, chosen, strict=True)):
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
        out.append(
            Attached(
                ev.project,
                project_id,
                ev.published_total,
                saved.total,
                len(checks),
                created=i in created,
            )
        )
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
