"""Input and output shapes of the account use-cases."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from jixiao.db.models import ApiToken
from jixiao.domain.enums import Role
from jixiao.services.types import DbId


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Role
    org_id: int | None
    active: bool
    created_at: datetime


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str = Field(min_length=1, max_length=200, description="须符合密码策略")
    role: Role
    display_name: str | None = Field(None, max_length=100)
    org_id: DbId | None = None


class UserUpdate(BaseModel):
    """Change role, organisation, name or active flag (omitted fields stay as they are)."""

    role: Role | None = None
    org_id: DbId | None = None
    display_name: str | None = Field(None, min_length=1, max_length=100)
    active: bool | None = None


class LoginResult(BaseModel):
    """A new browser session: put ``token`` in an HttpOnly cookie; ``csrf_token`` in forms."""

    token: str
    csrf_token: str
    expires_at: datetime
    user: UserOut


class TokenCreated(BaseModel):
    """A new API token; ``token`` is shown once and never stored in clear."""

    id: int
    name: str
    token: str
    expires_at: datetime


class TokenOut(BaseModel):
    """An API token as listed (never the token itself)."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None
    active: bool

    @classmethod
    def of(cls, row: ApiToken, now: datetime) -> TokenOut:
        return cls(
            id=row.id,
            name=row.name,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            active=row.revoked_at is None and row.expires_at > now,
        )
