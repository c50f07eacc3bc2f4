"""Users (one role each, attached to an organisation), browser sessions, API tokens and the
login-failure counters that throttle password guessing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jixiao.db.base import Base, IdMixin, TimestampMixin, utcnow
from jixiao.db.models._columns import fk
from jixiao.db.types import EnumText, UTCDateTime
from jixiao.domain.enums import Role


class User(IdMixin, TimestampMixin, Base):
    """An account; ``password_hash`` is argon2, ``org_id`` anchors the role's scope."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(EnumText(Role))
    org_id: Mapped[int | None] = fk("organisations.id", ondelete="RESTRICT", nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(IdMixin, Base):
    """A bearer token for programs; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = fk("users.id", ondelete="CASCADE")
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class UserSession(IdMixin, Base):
    """A server-side browser session; the cookie holds the token, the table its SHA-256."""

    __tablename__ = "user_sessions"

    user_id: Mapped[int] = fk("users.id", ondelete="CASCADE")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # read with the session (one query per request for both)
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class LoginThrottle(IdMixin, Base):
    """Recent login failures of one account name or one client address.

    ``kind`` is ``account`` (the submitted username, whether or not it exists) or ``address``.
    Kept in the database so that every server worker and a restarted server see the same count.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(128))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
