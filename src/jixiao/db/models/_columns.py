"""Small column helpers shared by the model modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import MappedColumn, mapped_column

from jixiao.db.base import ID_TYPE


def fk(target: str, *, ondelete: str | None = None, nullable: bool = False, **kw: Any) -> Any:
    """A foreign-key column of the id type, indexed."""
    column: MappedColumn[Any] = mapped_column(
        ID_TYPE, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True, **kw
    )
    return column
