"""Project use-cases: the scoped, filtered list; the detail view; header edits; versions.

All functions take the SQLAlchemy session and the acting :class:`Principal`; they flush but
never commit (the request or CLI command commits).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from jixiao.db.mapping import amounts_from_funding, funding_from_amounts
from jixiao.db.models import (
    Goal,
    ImportedDocument,
    Indicator,
    Organisation,
    Project,
    ProjectVersion,
    TargetValueRow,
)
from jixiao.domain.enums import MoneyUnit, OrgKind, TargetPeriod
from jixiao.domain.exchange import FORMAT, document_from_json
from jixiao.domain.indicator import LevelRef, official_order
from jixiao.domain.money import Money
from jixiao.domain.project import Amounts
from jixiao.domain.project import Project as DomainProject
from jixiao.domain.target import TargetValue
from jixiao.services import audit, library
from jixiao.services.errors import NotFound, ValidationFailed
from jixiao.services.imports.diff import ProjectChange, compare_project
from jixiao.services.pagination import Page, PageParams
from jixiao.services.principal import Principal
from jixiao.services.projects import repository
from jixiao.services.projects.last_year import (
    copy_source,
    last_year_results,
    may_copy,
    source_out,
)
from jixiao.services.projects.locking import (
    check_version,
    claim_project,
    ensure_editable,
    is_locked,
)
from jixiao.services.projects.schemas import (
    AmountsOut,
    DocumentOut,
    FindingOut,
    IndicatorOut,
    LastYearOut,
    ProjectDetail,
    ProjectFilters,
    ProjectSummary,
    ProjectUpdate,
    RepairOut,
    TargetOut,
    TransitionOut,
    VersionOut,
    VersionSummary,
    WarningOut,
)
from jixiao.services.scope import (
    Action,
    authorize,
    can,
    in_scope,
    project_for,
    subtree,
    visible_org_ids,
)
from jixiao.services.workflow import duties
from jixiao.services.workflow.rules import RULES


def list_projects(
    session: Session, actor: Principal, filters: ProjectFilters, page: PageParams
) -> Page[ProjectSummary]:
    """Projects the actor may see, filtered, sorted and paged."""
    org_ids = visible_org_ids(session, actor)
    if filters.org_id is not None:
        wanted = subtree(session, filters.org_id)
        org_ids = wanted if org_ids is None else org_ids & wanted
    where = repository.conditions(session, filters, org_ids)
    total, rows = repository.page_rows(session, where, filters.sort, page.offset, page.size)
    items = [_summary(row) for row in rows]
    return Page[ProjectSummary](items=items, total=total, page=page.page, size=page.size)


def _summary(row: Any) -> ProjectSummary:
    data = row._asdict()
    total: Money | None = data["total"]
    data["total"] = None if total is None else total.amount(data["money_unit"])
    return ProjectSummary.model_validate(data)


def get_project(session: Session, actor: Principal, project_id: int) -> ProjectDetail:
    """The full detail of a visible project (NotFound otherwise)."""
    project = repository.load_full(session, project_id)
    if project is None:
        raise NotFound("项目不存在或无权查看")
    project_for(session, actor, project_id, Action.VIEW)
    return _detail(session, actor, project)


def _detail(session: Session, actor: Principal, p: Project) -> ProjectDetail:
    goals = {g.period: g.text for g in p.goals}
    document = session.get(ImportedDocument, p.document_id) if p.document_id else None
    source = copy_source(session, p)
    last_year = last_year_results(session, p, source) if source is not None else {}
    return ProjectDetail(
        id=p.id,
        name=p.name,
        code=p.code,
        unit_name=p.unit_name,
        org_id=p.org_id,
        org_name=p.org.name,
        year=p.fiscal_year.year,
        status=p.status,
        locked=is_locked(p),
        grade=p.grade,
        grade_score=p.grade_score,
        grade_explanation=p.grade_explanation,
        version=p.version,
        edition=p.edition,
        money_unit=p.money_unit,
        amounts=amounts_out(p),
        goal=goals.get(TargetPeriod.PERIOD),
        annual_goal=goals.get(TargetPeriod.ANNUAL),
        indicators=[indicator_out(i, last_year.get(i.id)) for i in in_official_order(p.indicators)],
        findings=[FindingOut.model_validate(f) for f in repository.findings(session, p.id)],
        repairs=[RepairOut.model_validate(r) for r in repository.repairs(session, p.id)],
        warnings=[WarningOut.model_validate(w) for w in repository.warnings(session, p.id)],
        transitions=[
            TransitionOut.model_validate(t) for t in repository.transitions(session, p.id)
        ],
        versions=[VersionSummary.model_validate(v) for v in repository.versions(session, p.id)],
        document=DocumentOut.model_validate(document) if document else None,
        source=p.source,
        copied_from=source_out(source) if source is not None else None,
        allowed=allowed_actions(session, actor, p),
    )


def allowed_actions(session: Session, actor: Principal, project: Project) -> list[str]:
    """What the actor may do now: ``edit``, the workflow actions valid in this status, and
    ``copy`` (next year's draft) for an approved project."""
    if not in_scope(session, actor, project.org_id):
        return []
    out = ["edit"] if can(actor, Action.EDIT) and not is_locked(project) else []
    out += [
        r.action
        for r in RULES.values()
        if project.status in r.sources
        and can(actor, r.permission)
        and not duties.conflicts(session, actor, project, r.action)
    ]
    out += [a.value for a in (Action.WAIVE_FINDING, Action.RUN_REVIEW) if can(actor, a)]
    if may_copy(project) and can(actor, Action.CREATE_PROJECT):
        out.append("copy")
    return out


def in_official_order(rows: list[Indicator]) -> list[Indicator]:
    """Stored indicators in the one official order (category, then the unit's order)."""
    by_position = sorted(rows, key=lambda i: i.position)
    return official_order(by_position, _level1_ref, _level2_ref)


def _level1_ref(row: Indicator) -> LevelRef:
    return LevelRef(row.level1_code, row.level1_name)


def _level2_ref(row: Indicator) -> LevelRef:
    return LevelRef(row.level2_code, row.level2_name)


def amounts_out(p: Project) -> AmountsOut:
    a = amounts_from_funding(p.funding, p.money_unit)
    return AmountsOut(total=a.total, fiscal=a.fiscal, special=a.special, other=a.other)


def target_out(row: TargetValueRow) -> TargetOut:
    value = TargetValue(row.raw, row.kind, row.op, row.value, row.unit, row.deadline)
    return TargetOut(
        raw=row.raw,
        kind=row.kind,
        op=row.op,
        value=row.value,
        unit=row.unit,
        deadline=row.deadline,
        text=value.format(),
    )


def indicator_out(row: Indicator, last_year: LastYearOut | None = None) -> IndicatorOut:
    by_period = {t.period: target_out(t) for t in row.targets}
    return IndicatorOut(
        id=row.id,
        position=row.position,
        level1_code=row.level1_code,
        level1_name=row.level1_name,
        level2_code=row.level2_code,
        level2_name=row.level2_name,
        name=row.name,
        explanation=row.explanation,
        basis=row.basis,
        weight=row.weight,
        version=row.version,
        period=by_period.get(TargetPeriod.PERIOD),
        annual=by_period.get(TargetPeriod.ANNUAL),
        source=row.source,
        last_year=last_year,
    )


def update_project(
    session: Session, actor: Principal, project_id: int, data: ProjectUpdate
) -> ProjectDetail:
    """Edit header, goals and funding of an editable project, naming the version edited.

    Everything is checked before anything is written; then the version is claimed
    (compare-and-set): of concurrent edits of one version exactly one is applied, the others
    get 409 with the stored version.
    """
    project_for(session, actor, project_id, Action.EDIT)
    project = repository.load_full(session, project_id)
    assert project is not None
    ensure_editable(project)
    check_version(project.version, data.version)
    new_org = data.org_id if data.org_id != project.org_id else None
    if new_org is not None:
        _check_move(session, actor, project, new_org)
    _check_header(data)
    amounts = None if data.amounts is None else Amounts(**data.amounts.model_dump())
    if amounts is not None and amounts.total is not None and amounts.parts_sum() > amounts.total:
        raise ValidationFailed(
            "各资金来源之和超过总计", fields={"amounts.total": "总计小于各来源之和"}
        )
    before = _header(project)
    claim_project(session, project_id, data.version)
    project = repository.load_full(session, project_id)
    assert project is not None
    if new_org is not None:
        project.org_id = new_org
        session.flush()
        library.refresh_project(session, project.id)
        session.refresh(project, ["org"])
    _apply_header(project, data)
    if amounts is not None:
        _apply_amounts(project, amounts, project.money_unit)
    session.flush()
    audit.record(
        session,
        actor,
        "project.update",
        ("project", project.id),
        before=before,
        after=_header(project),
        project_id=project.id,
    )
    return _detail(session, actor, project)


def _check_move(session: Session, actor: Principal, project: Project, org_id: int) -> None:
    """The project may go to ``org_id``: another organisation of its department (e.g. a unit)."""
    target = session.get(Organisation, org_id)
    if target is None:
        raise ValidationFailed("单位不存在", fields={"org_id": "单位不存在"})
    authorize(session, actor, Action.EDIT, org_id)
    if _department_of(session, target) != _department_of(session, project.org):
        raise ValidationFailed(
            "项目只能划转到本部门或其下属单位", fields={"org_id": "须为同一部门下的单位"}
        )


def _department_of(session: Session, org: Organisation) -> int | None:
    if org.kind is OrgKind.UNIT:
        return org.parent_id
    return org.id if org.kind is OrgKind.DEPARTMENT else None


def _check_header(data: ProjectUpdate) -> None:
    if "name" in data.model_fields_set and not (data.name or "").strip():
        raise ValidationFailed("项目名称不能为空", fields={"name": "项目名称不能为空"})


def _apply_header(project: Project, data: ProjectUpdate) -> None:
    for name in ("name", "code", "unit_name"):
        if name in data.model_fields_set:
            setattr(project, name, getattr(data, name))
    for name, period in (("goal", TargetPeriod.PERIOD), ("annual_goal", TargetPeriod.ANNUAL)):
        if name in data.model_fields_set:
            set_goal(project, period, getattr(data, name))


def set_goal(project: Project, period: TargetPeriod, text: str | None) -> None:
    """Set, change or (with empty text) remove a goal of a project whose goals are loaded."""
    existing = next((g for g in project.goals if g.period is period), None)
    if existing is not None and not text:
        project.goals.remove(existing)
    elif existing is not None and text:
        existing.text = text
    elif text:
        project.goals.append(Goal(period=period, text=text))


def _apply_amounts(project: Project, amounts: Amounts, unit: MoneyUnit) -> None:
    wanted = {line.source: line for line in funding_from_amounts(amounts, unit)}
    for line in list(project.funding):
        if line.source not in wanted:
            project.funding.remove(line)
        else:
            line.amount = wanted.pop(line.source).amount
    project.funding.extend(wanted.values())


def _header(p: Project) -> dict[str, Any]:
    goals = {g.period.value: g.text for g in p.goals}
    funding = {f.source.value: f.amount.fen for f in p.funding}
    return {
        "org_id": p.org_id,
        "name": p.name,
        "code": p.code,
        "unit_name": p.unit_name,
        "goals": goals,
        "funding_fen": funding,
        "version": p.version,
    }


def list_versions(session: Session, actor: Principal, project_id: int) -> list[VersionSummary]:
    project_for(session, actor, project_id, Action.VIEW)
    return [VersionSummary.model_validate(v) for v in repository.versions(session, project_id)]


def get_version(session: Session, actor: Principal, project_id: int, version_id: int) -> VersionOut:
    """One kept version with its snapshot (for side-by-side comparison)."""
    project_for(session, actor, project_id, Action.VIEW)
    row = session.get(ProjectVersion, version_id)
    if row is None or row.project_id != project_id:
        raise NotFound("版本不存在")
    return VersionOut.model_validate(row)


def compare_versions(
    session: Session, actor: Principal, project_id: int, old_id: int, new_id: int
) -> ProjectChange:
    """What changed between two kept versions of a project (amounts, goal, indicators)."""
    old = get_version(session, actor, project_id, old_id)
    new = get_version(session, actor, project_id, new_id)
    change = compare_project(_from_snapshot(old.snapshot), _from_snapshot(new.snapshot))
    return change or ProjectChange(
        name=new.snapshot["name"],
        fields=[],
        indicators_added=[],
        indicators_removed=[],
        indicators_changed=[],
    )


def _from_snapshot(snapshot: dict[str, Any]) -> DomainProject:
    document = document_from_json({"format": FORMAT, "projects": [snapshot]})
    return document.projects[0]
