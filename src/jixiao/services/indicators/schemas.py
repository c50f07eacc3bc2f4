"""Indicator input shapes. A target is either text (parsed by the domain grammar) or parts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from jixiao.domain.enums import Operator, TargetKind
from jixiao.services.types import MAX_INDICATORS, DbId, Version


class TargetIn(BaseModel):
    """Either ``raw`` alone (``≥95%`` is parsed), or ``kind`` with its parts.

    quantitative: ``op`` + ``value`` (+ ``unit``); deadline: ``deadline``; qualitative: ``raw``.
    """

    raw: str | None = Field(None, max_length=500)
    kind: TargetKind | None = None
    op: Operator | None = None
    value: Decimal | None = Field(None, max_digits=20, decimal_places=6)
    unit: str | None = Field(None, max_length=50)
    deadline: date | None = None


class IndicatorIn(BaseModel):
    """One 三级指标 as a form sends it; level codes must exist in the indicator framework."""

    level1_code: str | None = Field(None, max_length=20)
    level1_name: str | None = Field(None, max_length=100)
    level2_code: str | None = Field(None, max_length=20)
    level2_name: str | None = Field(None, max_length=100)
    name: str = Field(max_length=300)
    period: TargetIn | None = None
    annual: TargetIn | None = None
    explanation: str | None = Field(None, max_length=2000)
    basis: str | None = Field(None, max_length=2000)
    weight: int | None = Field(None, ge=0, le=100)


class IndicatorCreate(IndicatorIn):
    position: int | None = Field(None, ge=0, le=100_000, description="插入位置；为空时追加到末尾")


class IndicatorUpdate(IndicatorIn):
    """Replace the indicator's fields; ``version`` is the indicator version being edited."""

    version: Version


class IndicatorOrder(BaseModel):
    """The project's indicator ids in their new order (every id exactly once), and the order
    they were in when read: a reorder applies only while that is still the stored order."""

    ids: list[DbId] = Field(max_length=MAX_INDICATORS, description="新的顺序")
    expected: list[DbId] = Field(
        max_length=MAX_INDICATORS, description="读取时的顺序；已变化时返回 409"
    )
