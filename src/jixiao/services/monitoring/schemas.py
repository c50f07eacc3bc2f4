"""Input and output shapes of monitoring records (API, pages, CLI)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from jixiao.domain.enums import Light
from jixiao.services.monitoring.shared import IssueOut, LightOut
from jixiao.services.types import Entry


class MonitoringIn(BaseModel):
    """One round of a project's monitoring.

    ``entry`` is a project entry of the ``jixiao.monitoring/1`` format (docs/formats/
    monitoring.md): ``funds``, ``indicators``, ``goal_progress``, ``budget_deviation`` …;
    amounts in 万元 as decimal strings. ``version`` names the stored version being replaced.
    """

    year: int = Field(ge=2000, le=2100)
    end_month: int = Field(ge=1, le=12)
    deadline: date | None = None
    entry: Entry
    version: int | None = None
    profile: str | None = Field(
        default=None, description="评分与预警口径；不填时沿用已保存记录的口径，新记录为 national"
    )


class MonitoringOut(BaseModel):
    id: int
    project_id: int
    year: int
    end_month: int
    period: str = Field(description="如 1–7月")
    deadline: date | None
    version: int
    profile: str
    budget: Decimal | None = Field(description="年初预算数（万元）")
    executed: Decimal | None = Field(description="截至本期执行数（万元）")
    forecast: Decimal | None = Field(description="全年预计执行数（万元）")
    execution_rate: Decimal | None = Field(description="执行率（%）")
    budget_light: Light | None
    worst_light: Light | None
    lights: list[LightOut]
    issues: list[IssueOut]
    entry: dict[str, Any]
    updated_at: datetime
