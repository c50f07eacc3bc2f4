"""Organisations (财政局 → 部门 → 单位) and fiscal years."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jixiao.db.base import Base, IdMixin, TimestampMixin
from jixiao.db.models._columns import fk
from jixiao.db.types import EnumText
from jixiao.domain.enums import OrgKind


class Organisation(IdMixin, TimestampMixin, Base):
    """A node of the hierarchy; ``parent_id`` is None only for the finance bureau (root)."""

    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(EnumText(OrgKind))
    code: Mapped[str | None] = mapped_column(String(50), default=None)
    parent_id: Mapped[int | None] = fk("organisations.id", ondelete="RESTRICT", nullable=True)

    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id", lazy="raise")


class FiscalYear(IdMixin, Base):
    """A budget year (预算年度)."""

    __tablename__ = "fiscal_years"

    year: Mapped[int] = mapped_column(Integer, unique=True)
