"""Pieces the monitoring and self-evaluation services share: loading a project for them,
turning a format error into a field error, and the issue/light output shapes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from jixiao.db.mapping import project_to_domain
from jixiao.db.models import Organisation, Project
from jixiao.domain.enums import Light, OrgKind
from jixiao.domain.indicator import Indicator, official_order
from jixiao.errors import InvalidValue, ProfileError
from jixiao.scoring.explain import ValidationIssue
from jixiao.scoring.lights import rule_lines
from jixiao.scoring.weights import DEFAULT_PROFILE, ScoringProfile, bundled_profile
from jixiao.services.errors import NotFound, ValidationFailed
from jixiao.services.principal import Principal
from jixiao.services.projects.repository import load_full
from jixiao.services.scope import Action, project_for

T = TypeVar("T")


class IssueOut(BaseModel):
    indicator: str | None
    field: str
    message: str


class LightOut(BaseModel):
    subject: str
    light: Light | None
    label: str | None
    reason: str
    branch: str


def issues_json(issues: tuple[ValidationIssue, ...]) -> list[dict[str, Any]]:
    return [{"indicator": i.indicator, "field": i.field, "message": i.message} for i in issues]


def parse_entry(read: Callable[[dict[str, Any]], list[T]], data: dict[str, Any]) -> T:
    """One record from format data; a malformed entry is a 422 naming the field."""
    try:
        return read(data)[0]
    except InvalidValue as exc:
        raise ValidationFailed(str(exc), fields={"entry": str(exc)}) from None


def profile_named(name: str | None) -> ScoringProfile:
    """A bundled scoring profile by name (``None``: the national one); a 422 for anything else.

    Names come from web callers, so a file path is refused here, whatever the layers above
    check: only the command line and library callers may load a profile from a file.
    """
    try:
        return bundled_profile(name or DEFAULT_PROFILE)
    except ProfileError as exc:
        raise ValidationFailed(str(exc), fields={"profile": str(exc)}) from None


def kept_profile(requested: str | None, stored: str | None) -> str | None:
    """The profile a save uses: the one asked for, else the record's own (new: the default)."""
    return requested if requested is not None else stored


def annual_target(ind: Indicator) -> str:
    """The 年度指标值 as written (the 实施周期 value when no annual one was set)."""
    target = ind.annual or ind.period
    return target.raw if target is not None else ""


def org_names(session: Session, project: Project) -> tuple[str | None, str | None]:
    """(主管部门, 实施单位) of a project: a unit's parent department and the unit itself."""
    org = session.get(Organisation, project.org_id)
    if org is None:
        return None, project.unit_name
    if org.kind is OrgKind.UNIT and org.parent_id is not None:
        parent = session.get(Organisation, org.parent_id)
        return (parent.name if parent else None), project.unit_name or org.name
    return org.name, project.unit_name


def entry_template(
    session: Session,
    actor: Principal,
    project_id: int,
    fund_line: Callable[[Decimal], dict[str, str]],
) -> dict[str, Any]:
    """A fill-in entry: the goal, the budget as ``fund_line(total)`` and the annual targets."""
    project_for(session, actor, project_id, Action.VIEW)
    row = load_full(session, project_id)
    if row is None:
        raise NotFound("项目不存在或无权查看")
    domain = project_to_domain(row)
    total = domain.amounts.total
    indicators = [
        {
            "level1": i.level1.format() if i.level1 else None,
            "level2": i.level2.format() if i.level2 else None,
            "name": i.name,
            "target": annual_target(i),
        }
        for i in official_order(domain.indicators, lambda i: i.level1, lambda i: i.level2)
    ]
    return {
        "name": domain.name,
        "goal": domain.annual_goal or domain.goal,
        "funds": [] if total is None else [fund_line(total)],
        "indicators": indicators,
    }


def light_rules(profile: str | None) -> list[str]:
    """How the lights of ``profile`` (a bundled name; None: the default) are decided, in words."""
    return rule_lines(profile_named(profile))
