"""The audit log: every write with actor, time, object, before/after JSON and reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jixiao.db.base import ID_TYPE, Base, IdMixin, utcnow
from jixiao.db.models._columns import fk
from jixiao.db.types import PortableJSON, UTCDateTime


class AuditEntry(IdMixin, Base):
    """One recorded change. ``project_id`` groups changes of a project and its parts."""

    __tablename__ = "audit_log"

    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = fk("users.id", ondelete="SET NULL", nullable=True)
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[int | None] = mapped_column(ID_TYPE, default=None)
    project_id: Mapped[int | None] = mapped_column(ID_TYPE, default=None, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(PortableJSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(PortableJSON, default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
