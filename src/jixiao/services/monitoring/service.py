"""Monitoring use-cases: a template from the approved targets, save a round with its lights
and open issues, read it back, and export the 绩效目标执行监控表.

Monitoring happens on approved projects, so saving needs the ``EDIT`` right on the project's
organisation but not an editable (draft) project. Every save is audited; a second save names
the version it replaces, and is one compare-and-set on it (the first save one insert of the
round): of concurrent saves exactly one is stored, the others get 409 with the stored version.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import MonitoringRecord, Project
from jixiao.domain.enums import Light, MoneyUnit
from jixiao.domain.money import Money
from jixiao.domain.monitoring import MonitoringRound, ProjectMonitoring
from jixiao.export import monitoring_sheets, render
from jixiao.export.tables import Format
from jixiao.scoring.formats import MONITORING_FORMAT, monitoring_entry, monitoring_from_data
from jixiao.scoring.lights import SEVERITY, ProjectLights, monitor_project
from jixiao.services import audit
from jixiao.services.errors import NotFound
from jixiao.services.monitoring.schemas import MonitoringIn, MonitoringOut
from jixiao.services.monitoring.shared import (
    IssueOut,
    LightOut,
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


def _domain(
    session: Session,
    project: Project,
    year: int,
    end_month: int,
    deadline: Any,
    entry: dict[str, Any],
) -> ProjectMonitoring:
    department, unit_name = org_names(session, project)
    data = {
        "format": MONITORING_FORMAT,
        "year": year,
        "end_month": end_month,
        "deadline": None if deadline is None else str(deadline),
        "department": department,
        "unit": project.money_unit.value,
        "projects": [{"unit_name": unit_name, **entry, "name": project.name}],
    }
    return parse_entry(monitoring_from_data, data)


def _lights_json(lights: ProjectLights) -> list[dict[str, Any]]:
    rows = [lights.budget] if lights.budget is not None else []
    return [
        {
            "subject": r.subject,
            "light": None if r.light is None else r.light.value,
            "reason": r.reason,
            "branch": r.branch,
        }
        for r in [*rows, *lights.indicators]
    ]


def _worst(lights: ProjectLights) -> Light | None:
    found = [r.light for r in (lights.budget, *lights.indicators) if r is not None and r.light]
    return max(found, key=lambda light: SEVERITY[light], default=None)


def _out(row: MonitoringRecord) -> MonitoringOut:
    rate = None
    if row.budget is not None and row.executed is not None and row.budget.fen:
        rate = Decimal(row.executed.fen) * 100 / Decimal(row.budget.fen)
    return MonitoringOut(
        id=row.id,
        project_id=row.project_id,
        year=row.year,
        end_month=row.end_month,
        period=MonitoringRound(row.year, row.end_month).label,
        deadline=row.deadline,
        version=row.version,
        profile=row.profile,
        budget=_wan(row.budget),
        executed=_wan(row.executed),
        forecast=_wan(row.forecast),
        execution_rate=rate,
        budget_light=row.budget_light,
        worst_light=row.worst_light,
        lights=[
            LightOut(
                subject=x["subject"],
                light=Light(x["light"]) if x["light"] else None,
                label=Light(x["light"]).label if x["light"] else None,
                reason=x["reason"],
                branch=x["branch"],
            )
            for x in row.lights
        ],
        issues=[IssueOut(**i) for i in row.issues],
        entry=row.entry,
        updated_at=row.updated_at,
    )


def _find(session: Session, project_id: int, year: int, end_month: int) -> MonitoringRecord | None:
    return session.scalar(
        select(MonitoringRecord)
        .where(
            MonitoringRecord.project_id == project_id,
            MonitoringRecord.year == year,
            MonitoringRecord.end_month == end_month,
        )
        .execution_options(populate_existing=True)
    )


def monitoring_template(session: Session, actor: Principal, project_id: int) -> dict[str, Any]:
    """A ``jixiao.monitoring/1`` entry with the project's budget and annual targets to fill in."""
    return entry_template(
        session,
        actor,
        project_id,
        lambda total: {"line": "total", "budget": str(total), "executed": ""},
    )


def save_monitoring(
    session: Session, actor: Principal, project_id: int, data: MonitoringIn
) -> MonitoringOut:
    """Validate, light and store one round; the issues that remain are returned, not raised."""
    project = project_for(session, actor, project_id, Action.EDIT)
    row = _find(session, project_id, data.year, data.end_month)
    profile = profile_named(kept_profile(data.profile, row.profile if row else None))
    pm = _domain(session, project, data.year, data.end_month, data.deadline, data.entry)
    lights = monitor_project(pm, profile)
    before = None if row is None else {"entry": row.entry, "version": row.version}
    total = pm.total_funds
    values = {
        "deadline": data.deadline,
        "budget": total.budget if total else None,
        "executed": total.executed if total else None,
        "forecast": total.forecast if total else None,
        "budget_light": lights.budget.light if lights.budget else None,
        "worst_light": _worst(lights),
        "profile": profile.id,
        "entry": monitoring_entry(pm),
        "lights": _lights_json(lights),
        "issues": issues_json(lights.issues),
    }
    if row is None:
        key = {"project_id": project_id, "year": data.year, "end_month": data.end_month}
        create_once(session, MonitoringRecord, key, values, "监控记录")
    else:
        expected = data.version if data.version is not None else -1
        check_version(row.version, expected, "监控记录")
        claim_version(session, MonitoringRecord, row.id, expected, "监控记录", **values)
    row = _find(session, project_id, data.year, data.end_month)
    assert row is not None
    audit.record(
        session,
        actor,
        "monitoring.save",
        ("monitoring", row.id),
        before=before,
        after={"entry": row.entry, "version": row.version},
        project_id=project_id,
    )
    return _out(row)


def get_monitoring(
    session: Session, actor: Principal, project_id: int, year: int, end_month: int
) -> MonitoringOut:
    project_for(session, actor, project_id, Action.VIEW)
    row = _find(session, project_id, year, end_month)
    if row is None:
        raise NotFound(f"{year}年1–{end_month}月的监控记录不存在")
    return _out(row)


def list_monitoring(session: Session, actor: Principal, project_id: int) -> list[MonitoringOut]:
    project_for(session, actor, project_id, Action.VIEW)
    rows = session.scalars(
        select(MonitoringRecord)
        .where(MonitoringRecord.project_id == project_id)
        .order_by(MonitoringRecord.year, MonitoringRecord.end_month)
    )
    return [_out(r) for r in rows]


def stored_monitoring(
    session: Session, actor: Principal, project_id: int, year: int, end_month: int
) -> ProjectMonitoring:
    """The stored round as the domain object (for exports and reconciliation)."""
    project = project_for(session, actor, project_id, Action.VIEW)
    row = _find(session, project_id, year, end_month)
    if row is None:
        raise NotFound(f"{year}年1–{end_month}月的监控记录不存在")
    return _domain(session, project, row.year, row.end_month, row.deadline, row.entry)


def export_monitoring(
    session: Session, actor: Principal, project_id: int, year: int, end_month: int, fmt: Format
) -> bytes:
    """The 绩效目标执行监控表 of one round as xlsx or PDF bytes."""
    pm = stored_monitoring(session, actor, project_id, year, end_month)
    row = _find(session, project_id, year, end_month)
    profile = profile_named(row.profile if row else None)
    return render(monitoring_sheets([pm], profile), fmt)
