"""Indicator use-cases. Each checks permission and lock, validates with the domain model,
writes, bumps the indicator's version and records the change in the audit log.

Every write first takes the project (:func:`~jixiao.services.projects.locking.hold_editable`),
so edits of one project's indicators run one after another and never land on a project that a
concurrent step has just submitted; a save then claims the indicator version it names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jixiao.db.mapping import (
    indicator_fields,
    indicator_from_domain,
    indicator_to_domain,
    target_rows,
)
from jixiao.db.models import Indicator, Project
from jixiao.domain.exchange import indicator_to_json
from jixiao.services import audit, library
from jixiao.services.errors import NotFound, StaleVersion, ValidationFailed
from jixiao.services.indicators.schemas import (
    IndicatorCreate,
    IndicatorOrder,
    IndicatorUpdate,
)
from jixiao.services.indicators.validation import to_domain
from jixiao.services.principal import Principal
from jixiao.services.projects.locking import (
    check_version,
    claim_version,
    ensure_editable,
    hold_editable,
)
from jixiao.services.projects.schemas import IndicatorOut
from jixiao.services.projects.service import in_official_order, indicator_out
from jixiao.services.scope import Action, project_for
from jixiao.services.types import MAX_INDICATORS


def _load(session: Session, indicator_id: int) -> Indicator:
    row = session.scalar(
        select(Indicator)
        .where(Indicator.id == indicator_id)
        .options(selectinload(Indicator.targets))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound("指标不存在或无权查看")
    return row


def _editable_project(session: Session, actor: Principal, project_id: int) -> Project:
    """The project, checked and held for an edit of its indicators."""
    project = project_for(session, actor, project_id, Action.EDIT)
    ensure_editable(project)
    hold_editable(session, project_id)
    return project


def _siblings(session: Session, project_id: int) -> list[Indicator]:
    return list(
        session.scalars(
            select(Indicator)
            .where(Indicator.project_id == project_id)
            .order_by(Indicator.position)
            .execution_options(populate_existing=True)
        )
    )


def _as_json(row: Indicator) -> dict[str, Any]:
    data = indicator_to_json(indicator_to_domain(row))
    data.update(
        explanation=row.explanation,
        basis=row.basis,
        weight=row.weight,
        position=row.position,
        version=row.version,
    )
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
    session.flush()
    library.refresh_project(session, project.id)
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
    claim_version(session, Indicator, indicator_id, data.version, "指标")
    row = _load(session, indicator_id)
    before = {**_as_json(row), "version": data.version}
    fields = indicator_fields(domain)
    fields.pop("source")
    for name, value in fields.items():
        setattr(row, name, value)
    row.targets.clear()
    session.flush()
    row.targets.extend(target_rows(domain))
    session.flush()
    library.refresh_project(session, project.id)
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
    claim_version(session, Indicator, indicator_id, version, "指标")
    row = _load(session, indicator_id)
    before = {**_as_json(row), "version": version}
    released = library.release(session, [project.id])
    session.delete(row)
    session.flush()
    for i, sibling in enumerate(_siblings(session, project.id)):
        sibling.position = i
    library.refresh_project(session, project.id, released)
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
    """Put the project's indicators in the given order, if ``order.expected`` is still stored.

    Of concurrent reorders from one order exactly one is applied; the others get 409 with the
    stored order.
    """
    project = _editable_project(session, actor, project_id)
    rows = _siblings(session, project_id)
    stored = [row.id for row in rows]
    if order.expected != stored:
        raise StaleVersion(
            "指标顺序已被他人修改，请刷新后重试",
            fields={"expected": "与当前顺序不符"},
            current={"order": stored},
        )
    return _put_in_order(session, actor, project, rows, order.ids)


def move_indicator(
    session: Session, actor: Principal, project_id: int, indicator_id: int, step: int
) -> list[IndicatorOut]:
    """Move one indicator one place up (``step`` −1) or down (+1) in the official order as
    stored now, within its category (一级/二级指标): at a category's edge it stays put."""
    project = _editable_project(session, actor, project_id)
    rows = in_official_order(_siblings(session, project_id))
    ids = [row.id for row in rows]
    if indicator_id not in ids:
        raise NotFound("指标不存在或无权查看")
    at = ids.index(indicator_id)
    to = at + (1 if step > 0 else -1)
    if not 0 <= to < len(rows) or _category(rows[to]) != _category(rows[at]):
        return [indicator_out(_load(session, i)) for i in ids]
    ids[at], ids[to] = ids[to], ids[at]
    return _put_in_order(session, actor, project, rows, ids)


def _category(row: Indicator) -> tuple[str | None, str | None]:
    return row.level1_code, row.level2_code


def _put_in_order(
    session: Session, actor: Principal, project: Project, rows: list[Indicator], ids: list[int]
) -> list[IndicatorOut]:
    siblings = {row.id: row for row in rows}
    if sorted(ids) != sorted(siblings):
        raise ValidationFailed(
            "顺序须恰好列出本项目的每个指标一次", fields={"ids": "指标列表不完整"}
        )
    before = [row.id for row in rows]
    for position, indicator_id in enumerate(ids):
        siblings[indicator_id].position = position
    session.flush()
    audit.record(
        session,
        actor,
        "indicator.reorder",
        ("project", project.id),
        before={"order": before},
        after={"order": ids},
        project_id=project.id,
    )
    return [indicator_out(_load(session, i)) for i in ids]
