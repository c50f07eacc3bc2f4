"""Self-evaluation use-cases: a template from the approved targets, save with score and
reconciliation against the year's latest monitoring round, read back, export the 自评表.

Saving needs the ``EDIT`` right on the project's organisation (the project itself is approved
and locked by then). Every save is audited; a second save names the version it replaces.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import MonitoringRecord, Project, SelfEvaluationRecord
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.evaluation import SelfEvaluation
from jixiao.domain.money import Money
from jixiao.domain.monitoring import ProjectMonitoring
from jixiao.export import render, selfeval_sheets
from jixiao.export.tables import Format
from jixiao.scoring.check import CheckFinding, check_evaluation, has_published_figures
from jixiao.scoring.explain import EvaluationScore
from jixiao.scoring.formats import SELFEVAL_FORMAT, selfeval_entry, selfeval_from_data
from jixiao.scoring.reconcile import Discrepancy, reconcile
from jixiao.scoring.selfeval import score_evaluation
from jixiao.services import audit, library
from jixiao.services.errors import NotFound
from jixiao.services.evaluations.schemas import (
    DiscrepancyOut,
    ScoreLineOut,
    SelfEvaluationIn,
    SelfEvaluationOut,
)
from jixiao.services.monitoring.service import stored_monitoring
from jixiao.services.monitoring.shared import (
    IssueOut,
    entry_template,
    issues_json,
    kept_profile,
    org_names,
    parse_entry,
    profile_named,
)
from jixiao.services.principal import Principal
from jixiao.services.projects.locking import check_version, claim_version, create_once
from jixiao.services.scope import Action, project_for


def _wan(money: Money | None) -> Decimal | None:
    return None if money is None else money.amount(MoneyUnit.WAN_YUAN)


def _domain(session: Session, project: Project, year: int, entry: dict[str, Any]) -> SelfEvaluation:
    department, unit_name = org_names(session, project)
    data = {
        "format": SELFEVAL_FORMAT,
        "year": year,
        "department": department,
        "unit": project.money_unit.value,
        "projects": [{"unit_name": unit_name, **entry, "name": project.name}],
    }
    return parse_entry(selfeval_from_data, data)


def _score_json(score: EvaluationScore) -> dict[str, Any]:
    return {
        "lines": [
            {
                "kind": ln.kind,
                "group": ln.group,
                "name": ln.name,
                "target": ln.target,
                "actual": ln.actual,
                "weight": str(ln.weight),
                "points": None if ln.points is None else str(ln.points),
                "formula": ln.formula,
                "branch": ln.branch,
            }
            for ln in score.lines
        ],
        "notes": list(score.notes),
    }


def _discrepancies_json(found: list[Discrepancy]) -> list[dict[str, Any]]:
    return [
        {
            "code": d.code,
            "severity": d.severity.value,
            "indicator": d.indicator,
            "message": d.message,
            "evidence": d.evidence,
        }
        for d in found
    ]


def _published_json(found: tuple[CheckFinding, ...]) -> list[dict[str, Any]]:
    """SC findings on the figures a published 自评表 printed, in the discrepancy shape."""
    return [
        {
            "code": f.code,
            "severity": f.severity.value,
            "indicator": f.indicator,
            "message": f.message,
            "evidence": {
                k: v for k, v in (("公布", f.published), ("复核", f.recomputed)) if v is not None
            },
        }
        for f in found
    ]


def _out(row: SelfEvaluationRecord) -> SelfEvaluationOut:
    return SelfEvaluationOut(
        id=row.id,
        project_id=row.project_id,
        year=row.year,
        version=row.version,
        profile=row.profile,
        budget=_wan(row.budget),
        executed=_wan(row.executed),
        total=row.total,
        grade=row.grade,
        grade_label=row.grade.label,
        lines=[ScoreLineOut(**ln) for ln in row.score["lines"]],
        notes=row.score["notes"],
        issues=[IssueOut(**i) for i in row.issues],
        discrepancies=[DiscrepancyOut(**d) for d in row.discrepancies],
        entry=row.entry,
        updated_at=row.updated_at,
    )


def _find(session: Session, project_id: int, year: int) -> SelfEvaluationRecord | None:
    return session.scalar(
        select(SelfEvaluationRecord)
        .where(SelfEvaluationRecord.project_id == project_id, SelfEvaluationRecord.year == year)
        .execution_options(populate_existing=True)
    )


def _latest_round(
    session: Session, actor: Principal, project_id: int, year: int
) -> ProjectMonitoring | None:
    end_month = session.scalar(
        select(MonitoringRecord.end_month)
        .where(MonitoringRecord.project_id == project_id, MonitoringRecord.year == year)
        .order_by(MonitoringRecord.end_month.desc())
        .limit(1)
    )
    return (
        None
        if end_month is None
        else stored_monitoring(session, actor, project_id, year, end_month)
    )


def selfeval_template(session: Session, actor: Principal, project_id: int) -> dict[str, Any]:
    """A ``jixiao.selfeval/1`` entry with the project's budget and annual targets to fill in."""
    return entry_template(
        session,
        actor,
        project_id,
        lambda total: {
            "line": "total",
            "initial_budget": str(total),
            "budget": str(total),
            "executed": "",
        },
    )


def save_self_evaluation(
    session: Session, actor: Principal, project_id: int, data: SelfEvaluationIn
) -> SelfEvaluationOut:
    """Validate, score, reconcile and store; open issues are returned with the score."""
    project = project_for(session, actor, project_id, Action.EDIT)
    row = _find(session, project_id, data.year)
    profile = profile_named(kept_profile(data.profile, row.profile if row else None))
    ev = _domain(session, project, data.year, data.entry)
    score = score_evaluation(ev, profile)
    found = reconcile(ev, _latest_round(session, actor, project_id, data.year), profile, score)
    published = check_evaluation(ev, profile).findings if has_published_figures(ev) else ()
    before = None if row is None else {"entry": row.entry, "version": row.version}
    total = ev.total_funds
    values = {
        "budget": total.budget if total else None,
        "executed": total.executed if total else None,
        "total": score.total,
        "grade": score.grade,
        "profile": profile.id,
        "entry": selfeval_entry(ev),
        "score": _score_json(score),
        "issues": issues_json(score.issues),
        "discrepancies": _discrepancies_json(found) + _published_json(published),
    }
    if row is None:
        key = {"project_id": project_id, "year": data.year}
        create_once(session, SelfEvaluationRecord, key, values, "自评记录")
    else:
        expected = data.version if data.version is not None else -1
        check_version(row.version, expected, "自评记录")
        claim_version(session, SelfEvaluationRecord, row.id, expected, "自评记录", **values)
    row = _find(session, project_id, data.year)
    assert row is not None
    library.refresh_project(session, project_id)
    audit.record(
        session,
        actor,
        "selfeval.save",
        ("self_evaluation", row.id),
        before=before,
        after={"entry": row.entry, "total": str(row.total), "version": row.version},
        project_id=project_id,
    )
    return _out(row)


def get_self_evaluation(
    session: Session, actor: Principal, project_id: int, year: int
) -> SelfEvaluationOut:
    project_for(session, actor, project_id, Action.VIEW)
    row = _find(session, project_id, year)
    if row is None:
        raise NotFound(f"{year}年度的自评记录不存在")
    return _out(row)


def export_self_evaluation(
    session: Session, actor: Principal, project_id: int, year: int, fmt: Format
) -> bytes:
    """The 项目支出绩效自评表 as xlsx or PDF bytes."""
    project = project_for(session, actor, project_id, Action.VIEW)
    row = _find(session, project_id, year)
    if row is None:
        raise NotFound(f"{year}年度的自评记录不存在")
    ev = _domain(session, project, row.year, row.entry)
    return render(selfeval_sheets([ev], profile_named(row.profile)), fmt)
