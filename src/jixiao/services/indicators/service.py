"""Indicator use-cases. Each checks permission and lock, validates with the domain model,
writes, bumps the indicator's version and records the change in the audit log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jixiao.db.base import utcnow
from jixiao.db.mapping import (
    indicator_fields,
    indicator_from_domain,
    indicator_to_domain,
    target_rows,
)
from jixiao.db.models import Indicator, Project
from jixiao.domain.exchange import indicator_to_json
from jixiao.services import audit
from jixiao.services.errors import NotFound, ValidationFailed
from jixiao.services.indicators.schemas import (
    IndicatorCreate,
    IndicatorOrder,
    IndicatorUpdate,
)
from jixiao.services.indicators.validation import to_domain
from jixiao.services.principal import Principal
from jixiao.services.projects.locking import check_version, ensure_editable
from jixiao.services.projects.schemas import IndicatorOut
from jixiao.services.projects.service import indicator_out
from jixiao.services.scope import Action, project_for
from jixiao.services.types import MAX_INDICATORS


def _load(session: Session, indicator_id: int) -> Indicator:
    row = session.scalar(
        select(Indicator)
        .where(Indicator.id == indicator_id)
        .options(selectinload(Indicator.targets))
    )
    if row is None:
        raise NotFound("指标不存在或无权查看")
    return row


def _editable_project(session: Session, actor: Principal, project_id: int) -> Project:
    project = project_for(session, actor, project_id, Action.EDIT)
    ensure_editable(project)
    return project


def _siblings(session: Session, project_id: int) -> list[Indicator]:
    return list(
        session.scalars(
            select(Indicator).where(Indicator.project_id == project_id).order_by(Indicator.position)
        )
    )


def _as_json(row: Indicator) -> dict[str, Any]:
    data = indicator_to_json(indicator_to_domain(row))
    data.update(position=row.position, version=row.version, weight=row.weight)
    return data


def get_indicator(session: Session, actor: Principal, indicator_id: int) -> IndicatorOut:
    row = _load(session, indicator_id)
    project_for(session, actor, row.project_id, Action.VIEW)
    return indicator_out(row)


def create_indicator(
    session: Session, actor: Principal, project_id: int, data: IndicatorCreate
) -> IndicatorOut:
    """Add an indicator at ``data.position`` (end by default) of an editable project."""
    project = _editable_project(session, actor, project_id)
    siblings = _siblings(session, project_id)
    if len(siblings) >= MAX_INDICATORS:
        raise ValidationFailed(
            f"一个项目最多 {MAX_INDICATORS} 个指标（too many indicators）",
            fields={"indicators": f"最多 {MAX_INDICATORS} 个"},
        )
    domain = to_domain(data)
    position = len(siblings) if data.position is None else min(data.position, len(siblings))
    for sibling in siblings[position:]:
        sibling.position += 1
    row = indicator_from_domain(domain, position)
    row.project_id = project.id
    session.add(row)
    project.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "indicator.create",
        ("indicator", row.id),
        after=_as_json(row),
        project_id=project.id,
    )
    return indicator_out(row)


def update_indicator(
    session: Session, actor: Principal, indicator_id: int, data: IndicatorUpdate
) -> IndicatorOut:
    """Replace an indicator's fields, naming the indicator version edited (else 409)."""
    row = _load(session, indicator_id)
    project = _editable_project(session, actor, row.project_id)
    check_version(row.version, data.version, "指标")
    domain = to_domain(data)
    before = _as_json(row)
    fields = indicator_fields(domain)
    fields.pop("source")
    for name, value in fields.items():
        setattr(row, name, value)
    row.targets.clear()
    session.flush()
    row.targets.extend(target_rows(domain))
    row.version += 1
    project.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "indicator.update",
        ("indicator", row.id),
        before=before,
        after=_as_json(row),
        project_id=project.id,
    )
    return indicator_out(row)


def delete_indicator(session: Session, actor: Principal, indicator_id: int, version: int) -> None:
    """Delete an indicator of an editable project, naming the version deleted."""
    row = _load(session, indicator_id)
    project = _editable_project(session, actor, row.project_id)
    check_version(row.version, version, "指标")
    before = _as_json(row)
    session.delete(row)
    session.flush()
    for i, sibling in enumerate(_siblings(session, project.id)):
        sibling.position = i
    project.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "indicator.delete",
        ("indicator", indicator_id),
        before=before,
        project_id=project.id,
    )


def reorder_indicators(
    session: Session, actor: Principal, project_id: int, order: IndicatorOrder
) -> list[IndicatorOut]:
    """Put the project's indicators in the given order."""
    project = _editable_project(session, actor, project_id)
    siblings = {row.id: row for row in _siblings(session, project_id)}
    if sorted(order.ids) != sorted(siblings):
        raise ValidationFailed(
            "顺序须恰好列出本项目的每个指标一次", fields={"ids": "指标列表不完整"}
        )
    before = [row.id for row in sorted(siblings.values(), key=lambda r: r.position)]
    for position, indicator_id in enumerate(order.ids):
        siblings[indicator_id].position = position
    project.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "indicator.reorder",
        ("project", project.id),
        before={"order": before},
        after={"order": order.ids},
        project_id=project.id,
    )
    rows = sorted(siblings.values(), key=lambda r: r.position)
    return [indicator_out(_load(session, r.id)) for r in rows]
