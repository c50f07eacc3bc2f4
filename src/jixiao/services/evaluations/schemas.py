"""Input and output shapes of self-evaluations (API, pages, CLI)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from jixiao.domain.enums import Grade
from jixiao.services.monitoring.shared import IssueOut
from jixiao.services.types import Entry


class SelfEvaluationIn(BaseModel):
    """A project's self-evaluation for ``year``.

    ``entry`` is a project entry of the ``jixiao.selfeval/1`` format (docs/formats/
    selfeval.md): ``funds`` (全年预算数, 全年执行数), ``indicators`` with their actuals,
    ``goal_result``; amounts in 万元 as decimal strings. ``version`` names the stored version
    being replaced.
    """

    year: int = Field(ge=2000, le=2100)
    entry: Entry
    version: int | None = None
    profile: str | None = Field(
        default=None, description="评分口径；不填时沿用已保存记录的口径，新记录为 national"
    )


class ScoreLineOut(BaseModel):
    kind: str
    group: str
    name: str
    target: str
    actual: str
    weight: Decimal
    points: Decimal | None
    formula: str
    branch: str


class DiscrepancyOut(BaseModel):
    code: str
    severity: str
    indicator: str | None
    message: str
    evidence: dict[str, str]


class SelfEvaluationOut(BaseModel):
    id: int
    project_id: int
    year: int
    version: int
    profile: str
    budget: Decimal | None = Field(description="全年预算数（万元）")
    executed: Decimal | None = Field(description="全年执行数（万元）")
    total: Decimal
    grade: Grade
    grade_label: str
    lines: list[ScoreLineOut]
    notes: list[str]
    issues: list[IssueOut]
    discrepancies: list[DiscrepancyOut]
    entry: dict[str, Any]
    updated_at: datetime
