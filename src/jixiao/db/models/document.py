"""Imported documents with the repairs and warnings the reader recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jixiao.db.base import Base, IdMixin, utcnow
from jixiao.db.models._columns import fk
from jixiao.db.types import EnumText, PortableJSON, UTCDateTime
from jixiao.domain.enums import MoneyUnit


class ImportedDocument(IdMixin, Base):
    """One imported file for one department and year, identified by its SHA-256.

    Re-importing the same file for the same department and year changes nothing; the same
    file (a template re-used) may be imported for another year or department.
    """

    __tablename__ = "imported_documents"
    __table_args__ = (UniqueConstraint("sha256", "org_id", "fiscal_year_id"),)

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text, default=None)
    department_name: Mapped[str | None] = mapped_column(String(200), default=None)
    money_unit: Mapped[MoneyUnit | None] = mapped_column(EnumText(MoneyUnit), default=None)
    org_id: Mapped[int] = fk("organisations.id", ondelete="RESTRICT")
    fiscal_year_id: Mapped[int] = fk("fiscal_years.id", ondelete="RESTRICT")
    summary: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    actor_id: Mapped[int | None] = fk("users.id", ondelete="SET NULL", nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RepairRow(IdMixin, Base):
    """A change the reader made, attached to the project (and field) it repaired."""

    __tablename__ = "repairs"

    document_id: Mapped[int] = fk("imported_documents.id", ondelete="CASCADE")
    project_id: Mapped[int | None] = fk("projects.id", ondelete="CASCADE", nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    field: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(Text, default=None)
    after: Mapped[str | None] = mapped_column(Text, default=None)
    reason: Mapped[str] = mapped_column(Text)


class WarningRow(IdMixin, Base):
    """Something the reader could not settle; ``project_id`` None = about the whole document."""

    __tablename__ = "parse_warnings"

    document_id: Mapped[int] = fk("imported_documents.id", ondelete="CASCADE")
    project_id: Mapped[int | None] = fk("projects.id", ondelete="CASCADE", nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text)
    source: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
