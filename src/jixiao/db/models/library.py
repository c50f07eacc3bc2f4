"""The indicator library (指标库): normalised entries and the occurrences linked to them.

An occurrence is one indicator of an approved or imported project (or nothing but a curated
row from a library workbook: then the entry has no occurrence). Occurrences are derived data:
:mod:`jixiao.services.library.maintain` rewrites a project's occurrences whenever the project is
approved, adjusted, imported or self-evaluated, and ``jixiao library rebuild`` rewrites them all.
Curated fields live on the entry and survive every rebuild.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jixiao.db.base import Base, IdMixin, TimestampMixin
from jixiao.db.models._columns import fk
from jixiao.db.types import EnumText, ExactDecimal, PortableJSON, UTCDateTime
from jixiao.domain.enums import Direction, Operator, TargetKind


class LibraryEntry(IdMixin, TimestampMixin, Base):
    """One normalised indicator under one level-2 category, with its curated fields."""

    __tablename__ = "library_entries"
    __table_args__ = (UniqueConstraint("name_key", "level2_key"),)

    name_key: Mapped[str] = mapped_column(String(300))
    level2_key: Mapped[str] = mapped_column(String(100), default="", index=True)
    name: Mapped[str] = mapped_column(String(300))
    level1_name: Mapped[str | None] = mapped_column(String(100), default=None)
    level2_name: Mapped[str | None] = mapped_column(String(100), default=None)
    unit: Mapped[str | None] = mapped_column(String(50), default=None)
    op: Mapped[Operator | None] = mapped_column(EnumText(Operator), default=None)
    direction: Mapped[Direction] = mapped_column(EnumText(Direction), default=Direction.NEUTRAL)
    occurrence_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    # Kept by the recount: the median target in ``unit`` and the self-evaluated met counts.
    typical: Mapped[Decimal | None] = mapped_column(ExactDecimal(), default=None)
    met_count: Mapped[int] = mapped_column(Integer, default=0)
    evaluated_count: Mapped[int] = mapped_column(Integer, default=0)
    recommended: Mapped[bool] = mapped_column(Boolean, default=False)
    sectors: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    explanation: Mapped[str | None] = mapped_column(Text, default=None)
    basis: Mapped[str | None] = mapped_column(Text, default=None)
    scoring: Mapped[str | None] = mapped_column(Text, default=None)
    reference_value: Mapped[str | None] = mapped_column(Text, default=None)
    curated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)


class LibraryOccurrence(IdMixin, Base):
    """One indicator of one project, linked to its entry, with the target and whether it was met.

    ``source`` is ``approved`` (a project approved in the system) or ``imported`` (a published
    table read by ``jixiao import``); ``document_id`` names the imported file.
    """

    __tablename__ = "library_occurrences"
    __table_args__ = (Index("ix_library_occurrences_entry_unit", "entry_id", "unit"),)

    entry_id: Mapped[int] = fk("library_entries.id", ondelete="CASCADE")
    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    indicator_id: Mapped[int] = fk("indicators.id", ondelete="CASCADE")
    org_id: Mapped[int] = fk("organisations.id", ondelete="CASCADE")
    department_id: Mapped[int | None] = fk("organisations.id", ondelete="SET NULL", nullable=True)
    document_id: Mapped[int | None] = fk(
        "imported_documents.id", ondelete="SET NULL", nullable=True
    )
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    raw: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[TargetKind] = mapped_column(EnumText(TargetKind))
    op: Mapped[Operator | None] = mapped_column(EnumText(Operator), default=None)
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal(), default=None)
    unit: Mapped[str | None] = mapped_column(String(50), default=None)
    direction: Mapped[Direction] = mapped_column(EnumText(Direction))
    met: Mapped[bool | None] = mapped_column(Boolean, default=None)
