"""Review findings stored per project (and indicator), with waivers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jixiao.db.base import Base, IdMixin, utcnow
from jixiao.db.models._columns import fk
from jixiao.db.types import EnumText, PortableJSON, UTCDateTime
from jixiao.domain.enums import Severity


class FindingRow(IdMixin, Base):
    """A finding of one review rule; a waiver keeps the finding with its reason."""

    __tablename__ = "findings"

    project_id: Mapped[int] = fk("projects.id", ondelete="CASCADE")
    indicator_id: Mapped[int | None] = fk("indicators.id", ondelete="SET NULL", nullable=True)
    indicator_name: Mapped[str | None] = mapped_column(String(300), default=None)
    rule: Mapped[str] = mapped_column(String(20), index=True)
    severity: Mapped[Severity] = mapped_column(EnumText(Severity), index=True)
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    waived: Mapped[bool] = mapped_column(Boolean, default=False)
    waived_reason: Mapped[str | None] = mapped_column(Text, default=None)
    waived_by_id: Mapped[int | None] = fk("users.id", ondelete="SET NULL", nullable=True)
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
