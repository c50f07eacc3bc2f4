"""Shapes of organisations in and out."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from jixiao.domain.enums import OrgKind
from jixiao.services.types import DbId


class OrgOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OrgKind
    code: str | None
    parent_id: int | None


class OrgCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    parent_id: DbId | None = None
    code: str | None = Field(None, max_length=50)
