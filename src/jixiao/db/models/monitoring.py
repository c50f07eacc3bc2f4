"""Monitoring records (双监控) and self-evaluations (单位自评) of a project.

The rows a dashboard filters and sums on are typed columns — money in integer 分, the score as an
exact decimal, lights and grade as labelled enums. The entered detail (funds rows and every
indicator row) is kept as the project entry of the open ``jixiao.monitoring/1`` /
``jixiao.selfeval/1`` format, whose numbers are decimal strings, so nothing passes through a
float and the same data exports and re-imports as a file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jixiao.db.base import Base, IdMixin, TimestampMixin
from jixiao.db.models._columns import fk
from jixiao.db.types import EnumText, ExactDecimal, MoneyType, PortableJSON
from jixiao.domain.enums import Grade, Light
from jixiao.domain.money import Money


class MonitoringRecord(IdMixin, TimestampMixin, Base):
    """A project's monitoring for one round (January to ``end_month`` of ``year``)."""

    __tablename__ = "monitoring_records"
    __table_args__ = (UniqueConstraint("project_id", "year", "end_month"),)

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    year: Mapped[int] = mapped_column(Integer, index=True)
    end_month: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    budget: Mapped[Money | None] = mapped_column(MoneyType(), default=None)
    executed: Mapped[Money | None] = mapped_column(MoneyType(), default=None)
    forecast: Mapped[Money | None] = mapped_column(MoneyType(), default=None)
    budget_light: Mapped[Light | None] = mapped_column(EnumText(Light), default=None)
    worst_light: Mapped[Light | None] = mapped_column(EnumText(Light), default=None, index=True)
    profile: Mapped[str] = mapped_column(String(64))
    entry: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    lights: Mapped[list[dict[str, Any]]] = mapped_column(PortableJSON, default=list)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(PortableJSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)


class SelfEvaluationRecord(IdMixin, TimestampMixin, Base):
    """A project's year-end self-evaluation with its score, grade and explanation."""

    __tablename__ = "self_evaluations"
    __table_args__ = (UniqueConstraint("project_id", "year"),)

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    year: Mapped[int] = mapped_column(Integer, index=True)
    budget: Mapped[Money | None] = mapped_column(MoneyType(), default=None)
    executed: Mapped[Money | None] = mapped_column(MoneyType(), default=None)
    total: Mapped[Decimal] = mapped_column(ExactDecimal())
    grade: Mapped[Grade] = mapped_column(EnumText(Grade), index=True)
    profile: Mapped[str] = mapped_column(String(64))
    entry: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    score: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(PortableJSON, default=list)
    discrepancies: Mapped[list[dict[str, Any]]] = mapped_column(PortableJSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
