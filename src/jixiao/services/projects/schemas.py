"""Output and input shapes of projects and their parts (used by the API and the pages).

Money is Decimal in the project's unit (``money_unit``, normally 万元) — serialised as text in
JSON, never a float.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.domain.enums import Grade, MoneyUnit, Operator, ProjectStatus, Severity, TargetKind
from jixiao.services.types import DbId, Version


class AmountsOut(BaseModel):
    total: Decimal | None = None
    fiscal: Decimal | None = None
    special: Decimal | None = None
    other: Decimal | None = None


class TargetOut(BaseModel):
    raw: str
    kind: TargetKind
    op: Operator | None
    value: Decimal | None
    unit: str | None
    deadline: date | None
    text: str = Field(description="规范写法，如 ≥95%")


class LastYearOut(BaseModel):
    """Last year's target of a copied indicator and its actual value from the self-evaluation."""

    year: int
    target: str = Field(description="上年指标值（原文）")
    actual: str | None = Field(description="上年实际完成值（自评表写法）；尚无自评时为空")
    value: Decimal | None = Field(description="实际完成值的数值（定量时）")
    unit: str | None


class CopySourceOut(BaseModel):
    """The previous year's project a draft was copied from."""

    id: int
    name: str
    year: int
    edition: int


class IndicatorOut(BaseModel):
    id: int
    position: int
    level1_code: str | None
    level1_name: str | None
    level2_code: str | None
    level2_name: str | None
    name: str
    explanation: str | None
    basis: str | None
    weight: int | None
    version: int
    period: TargetOut | None
    annual: TargetOut | None
    source: dict[str, Any]
    last_year: LastYearOut | None = None


class FindingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    indicator_id: int | None
    indicator_name: str | None
    rule: str
    severity: Severity
    message: str
    suggestion: str
    evidence: dict[str, Any]
    waived: bool
    waived_reason: str | None
    waived_by_id: int | None
    waived_at: datetime | None


class RepairOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    field: str
    before: str | None
    after: str | None
    reason: str


class WarningOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    message: str
    source: dict[str, Any]


class TransitionOut(BaseModel):
    """An approver stamp: who moved the project from → to, when, and why."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    from_status: ProjectStatus
    to_status: ProjectStatus
    comment: str | None
    actor_id: int | None
    actor_name: str
    edition: int
    created_at: datetime


class VersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    edition: int
    kind: str
    reason: str | None
    actor_id: int | None
    created_at: datetime


class VersionOut(VersionSummary):
    snapshot: dict[str, Any] = Field(description="jixiao.document/1 的项目 JSON")


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    sha256: str
    source: str
    title: str | None
    created_at: datetime


class ProjectSummary(BaseModel):
    """One row of the project list."""

    id: int
    name: str
    org_id: int
    org_name: str
    year: int
    status: ProjectStatus
    grade: Grade | None
    money_unit: MoneyUnit
    total: Decimal | None
    indicator_count: int
    open_errors: int
    version: int
    updated_at: datetime


class ProjectDetail(BaseModel):
    """Everything the detail page shows; ``allowed`` lists what the current user may do."""

    id: int
    name: str
    code: str | None
    unit_name: str | None
    org_id: int
    org_name: str
    year: int
    status: ProjectStatus
    locked: bool
    grade: Grade | None
    grade_score: Decimal | None
    grade_explanation: str | None
    version: int
    edition: int
    money_unit: MoneyUnit
    amounts: AmountsOut
    goal: str | None
    annual_goal: str | None
    indicators: list[IndicatorOut]
    findings: list[FindingOut]
    repairs: list[RepairOut]
    warnings: list[WarningOut]
    transitions: list[TransitionOut]
    versions: list[VersionSummary]
    document: DocumentOut | None
    source: dict[str, Any]
    copied_from: CopySourceOut | None = None
    allowed: list[str]


SortKey = Literal["name", "-name", "total", "-total", "updated", "-updated", "status", "grade"]


class ProjectFilters(BaseModel):
    """List filters; ``org_id`` includes the organisation's units, ``q`` searches names/goals."""

    year: int | None = None
    org_id: DbId | None = None
    status: ProjectStatus | None = None
    grade: Grade | None = None
    rule: str | None = Field(None, max_length=20, description="有该规则未豁免问题的项目")
    q: str | None = Field(None, max_length=100)
    sort: SortKey = "name"


class AmountsIn(BaseModel):
    total: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    fiscal: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    special: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)
    other: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=6)


class ProjectUpdate(BaseModel):
    """Edit the header, goals and funding; ``version`` is the version being edited."""

    version: Version
    org_id: DbId | None = Field(None, description="划转到本部门或其下属单位")
    name: str | None = Field(None, min_length=1, max_length=300)
    code: str | None = Field(None, max_length=50)
    unit_name: str | None = Field(None, max_length=200)
    goal: str | None = Field(None, max_length=5000)
    annual_goal: str | None = Field(None, max_length=5000)
    amounts: AmountsIn | None = None
