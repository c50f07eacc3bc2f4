"""Indicators (三级指标) and their 实施周期 / 年度 target values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jixiao.db.base import Base, IdMixin, TimestampMixin
from jixiao.db.models._columns import fk
from jixiao.db.models.project import Project
from jixiao.db.types import EnumText, ExactDecimal, PortableJSON
from jixiao.domain.enums import Operator, TargetKind, TargetPeriod


class Indicator(IdMixin, TimestampMixin, Base):
    """A level-3 indicator under its level-1/level-2 category, ordered by ``position``."""

    __tablename__ = "indicators"

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    position: Mapped[int] = mapped_column(Integer)
    level1_code: Mapped[str | None] = mapped_column(String(20), default=None)
    level1_name: Mapped[str | None] = mapped_column(String(100), default=None)
    level2_code: Mapped[str | None] = mapped_column(String(20), default=None)
    level2_name: Mapped[str | None] = mapped_column(String(100), default=None)
    name: Mapped[str] = mapped_column(String(300))
    explanation: Mapped[str | None] = mapped_column(Text, default=None)
    basis: Mapped[str | None] = mapped_column(Text, default=None)
    weight: Mapped[int | None] = mapped_column(Integer, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)

    project: Mapped[Project] = relationship(back_populates="indicators", lazy="raise")
    targets: Mapped[list[TargetValueRow]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", lazy="raise"
    )


class TargetValueRow(IdMixin, Base):
    """One target value: kind, operator, exact value, unit, deadline and the raw text."""

    __tablename__ = "target_values"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    indicator_id: Mapped[int] = fk("indicators.id", ondelete="CASCADE")
    period: Mapped[TargetPeriod] = mapped_column(EnumText(TargetPeriod))
    raw: Mapped[str] = mapped_column(Text)
    kind: Mapped[TargetKind] = mapped_column(EnumText(TargetKind))
    op: Mapped[Operator | None] = mapped_column(EnumText(Operator), default=None)
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal(), default=None)
    unit: Mapped[str | None] = mapped_column(String(50), default=None)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)

    indicator: Mapped[Indicator] = relationship(back_populates="targets", lazy="raise")
