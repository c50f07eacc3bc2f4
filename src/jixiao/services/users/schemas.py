"""Input and output shapes of the account use-cases."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

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
    password: str = Field(min_length=8, max_length=200)
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
