"""Kept versions of a project: a ``jixiao.document/1`` project JSON plus the form fields."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from jixiao.db.mapping import project_to_domain
from jixiao.db.models import Project, ProjectVersion
from jixiao.domain.exchange import project_to_json
from jixiao.services.principal import Principal
from jixiao.services.projects import repository


def snapshot(project: Project) -> dict[str, Any]:
    """The project (funding, goals, indicators loaded) as kept JSON."""
    domain = project_to_domain(project)
    data = project_to_json(domain)
    data.update(
        code=project.code,
        unit_name=project.unit_name,
        annual_goal=domain.annual_goal,
        money_unit=project.money_unit.value,
        status=project.status.value,
    )
    for out, ind in zip(data["indicators"], domain.indicators, strict=True):
        out.update(explanation=ind.explanation, basis=ind.basis, weight=ind.weight)
    return data


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
