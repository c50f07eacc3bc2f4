"""Output shapes of the dashboard use-case."""

from __future__ import annotations

from pydantic import BaseModel

from jixiao.domain.enums import Grade, ProjectStatus, Severity


class OrgRollup(BaseModel):
    """Projects and budget of one organisation, by status. ``budget_fen`` is integer 分."""

    org_id: int
    org_name: str
    count: int
    budget_fen: int
    by_status: dict[ProjectStatus, int]


class TodoItem(BaseModel):
    id: int
    name: str
    status: ProjectStatus
    year: int
    note: str | None = None


class Figures(BaseModel):
    """The counts and sums of one budget year in the actor's scope (the charts' data)."""

    year: int | None
    years: list[int]
    project_count: int
    budget_fen: int
    by_org: list[OrgRollup]
    by_status: dict[ProjectStatus, int]
    findings_by_severity: dict[Severity, int]
    findings_by_rule: dict[str, int]
    grades: dict[Grade, int]


class Overview(Figures):
    """The figures and what waits for the actor."""

    to_fill: list[TodoItem]
    to_review: list[TodoItem]
    returned: list[TodoItem]
