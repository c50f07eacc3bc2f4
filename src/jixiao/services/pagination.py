"""Paginated results shared by every list use-case."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class PageParams(BaseModel):
    """1-based page number and page size (bounded by the caller's settings)."""

    page: int = Field(1, ge=1)
    size: int = Field(50, ge=1, le=500)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


class Page(BaseModel, Generic[T]):
    """One page of ``items`` out of ``total``."""

    items: list[T]
    total: int
    page: int
    size: int
