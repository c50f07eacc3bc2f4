"""Kept versions of a project: a ``jixiao.document/1`` project JSON plus the form fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from jixiao.db.mapping import project_to_domain
from jixiao.db.models import Project, ProjectVersion
from jixiao.domain.enums import FundSource, MoneyUnit, ProjectStatus
from jixiao.domain.exchange import project_to_json
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.domain.project import Project as DomainProject
from jixiao.services.principal import Principal
from jixiao.services.projects import repository


def snapshot(project: Project) -> dict[str, Any]:
    """The project (funding, goals, indicators loaded) as kept JSON."""
    return snapshot_of(project_to_domain(project), project.money_unit, project.status)


def snapshot_of(
    project: DomainProject, money_unit: MoneyUnit, status: ProjectStatus
) -> dict[str, Any]:
    """The kept JSON of ``project`` as it reads back once stored in ``money_unit``: amounts
    rounded to 分, a category with neither code nor name left out, no repairs or warnings (they
    are kept apart). So a project just read from a file has the snapshot it will have once
    written and loaded again."""
    data = project_to_json(project)
    data.update(
        amounts={s.value: _stored(project.amounts.get(s), money_unit) for s in FundSource},
        repairs=[],
        warnings=[],
        code=project.code,
        unit_name=project.unit_name,
        annual_goal=project.annual_goal,
        money_unit=money_unit.value,
        status=status.value,
    )
    for out, ind in zip(data["indicators"], project.indicators, strict=True):
        out.update(
            level1=_level(ind.level1),
            level2=_level(ind.level2),
            explanation=ind.explanation,
            basis=ind.basis,
            weight=ind.weight,
        )
    return data


def _stored(amount: Decimal | None, unit: MoneyUnit) -> str | None:
    return None if amount is None else str(Money.of(amount, unit).amount(unit))


def _level(ref: LevelRef | None) -> dict[str, str | None] | None:
    return None if ref is None or (ref.code is None and ref.name is None) else ref.as_json()


def keep_version(
    session: Session, actor: Principal, project: Project, kind: str, reason: str | None = None
) -> ProjectVersion:
    """Store the current state of ``project`` as a version of kind ``kind``."""
    full = repository.load_full(session, project.id)
    assert full is not None
    row = ProjectVersion(
        project_id=project.id,
        edition=project.edition,
        kind=kind,
        reason=reason,
        snapshot=snapshot(full),
        actor_id=actor.id,
    )
    session.add(row)
    session.flush()
    return row
