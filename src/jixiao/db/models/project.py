"""Projects with their funding lines, goals, versions and workflow transitions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jixiao.db.base import Base, IdMixin, TimestampMixin, utcnow
from jixiao.db.models._columns import fk
from jixiao.db.types import EnumText, ExactDecimal, MoneyType, PortableJSON, UTCDateTime
from jixiao.domain.enums import FundSource, Grade, MoneyUnit, ProjectStatus, TargetPeriod
from jixiao.domain.money import Money

if TYPE_CHECKING:
    from jixiao.db.models.indicator import Indicator
    from jixiao.db.models.org import FiscalYear, Organisation


class Project(IdMixin, TimestampMixin, Base):
    """A 项目 of one organisation and budget year. ``version`` is the optimistic-lock counter."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("org_id", "fiscal_year_id", "name"),)

    org_id: Mapped[int] = fk("organisations.id", ondelete="RESTRICT")
    fiscal_year_id: Mapped[int] = fk("fiscal_years.id", ondelete="RESTRICT")
    document_id: Mapped[int | None] = fk(
        "imported_documents.id", ondelete="SET NULL", nullable=True
    )
    name: Mapped[str] = mapped_column(String(300), index=True)
    code: Mapped[str | None] = mapped_column(String(50), default=None)
    unit_name: Mapped[str | None] = mapped_column(String(200), default=None)
    money_unit: Mapped[MoneyUnit] = mapped_column(EnumText(MoneyUnit), default=MoneyUnit.WAN_YUAN)
    status: Mapped[ProjectStatus] = mapped_column(
        EnumText(ProjectStatus), default=ProjectStatus.DRAFT, index=True
    )
    grade: Mapped[Grade | None] = mapped_column(EnumText(Grade), default=None, index=True)
    grade_score: Mapped[Decimal | None] = mapped_column(ExactDecimal(), default=None)
    grade_explanation: Mapped[str | None] = mapped_column(Text, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    edition: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)

    org: Mapped[Organisation] = relationship(lazy="raise")
    fiscal_year: Mapped[FiscalYear] = relationship(lazy="raise")
    funding: Mapped[list[FundingLine]] = relationship(
        back_populates="project", cascade="all, delete-orphan", lazy="raise"
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="project", cascade="all, delete-orphan", lazy="raise"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="Indicator.position",
    )


class FundingLine(IdMixin, Base):
    """Money of one source (总计 / 财政拨款 / 财政专户拨款 / 其他资金) in integer 分."""

    __tablename__ = "funding_lines"
    __table_args__ = (UniqueConstraint("project_id", "source"),)

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    source: Mapped[FundSource] = mapped_column(EnumText(FundSource))
    amount: Mapped[Money] = mapped_column(MoneyType())

    project: Mapped[Project] = relationship(back_populates="funding", lazy="raise")


class Goal(IdMixin, Base):
    """The 实施周期 (period) or 年度 (annual) goal text of a project."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("project_id", "period"),)

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    period: Mapped[TargetPeriod] = mapped_column(EnumText(TargetPeriod))
    text: Mapped[str] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="goals", lazy="raise")


class ProjectVersion(IdMixin, Base):
    """A kept snapshot of a project (``jixiao.document/1`` project JSON) at one edition."""

    __tablename__ = "project_versions"
    __table_args__ = (UniqueConstraint("project_id", "edition", "kind"),)

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    edition: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    snapshot: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    actor_id: Mapped[int | None] = fk("users.id", ondelete="SET NULL", nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProjectCopy(IdMixin, Base):
    """Next year's draft (``project_id``) made from an approved project (``source_id``): each
    project is copied at most once, and a draft has one source."""

    __tablename__ = "project_copies"

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE", unique=True)
    source_id: Mapped[int] = fk("projects.id", ondelete="CASCADE", unique=True)
    actor_id: Mapped[int | None] = fk("users.id", ondelete="SET NULL", nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Transition(IdMixin, Base):
    """One workflow step with its approver stamp: who, when, from → to, and why."""

    __tablename__ = "transitions"

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[ProjectStatus] = mapped_column(EnumText(ProjectStatus))
    to_status: Mapped[ProjectStatus] = mapped_column(EnumText(ProjectStatus))
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    actor_id: Mapped[int | None] = fk("users.id", ondelete="SET NULL", nullable=True)
    actor_name: Mapped[str] = mapped_column(String(100))
    edition: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
