"""Alembic environment: metadata from jixiao.db, URL from Settings, batch mode on SQLite."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import JSON, BigInteger, Date, DateTime, Text, engine_from_config, pool

from jixiao.db import models  # noqa: F401  (registers every table)
from jixiao.db.base import Base
from jixiao.db.types import EnumText, ExactDecimal, MoneyType, UTCDateTime
from jixiao.settings import Settings

config = context.config
target_metadata = Base.metadata

_PLAIN_TYPES: dict[type, Any] = {
    MoneyType: BigInteger(),
    ExactDecimal: Text(),
    UTCDateTime: DateTime(timezone=True),
}


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our TypeDecorators as the plain column types they store."""
    if type_ != "type":
        return False
    if isinstance(obj, EnumText):
        return f"sa.String(length={obj.impl.length})"
    for decorator, plain in _PLAIN_TYPES.items():
        if isinstance(obj, decorator):
            return f"sa.{plain!r}"
    if isinstance(obj, JSON):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    if isinstance(obj, Date):
        return "sa.Date()"
    return False


# Text-search objects made by raw SQL in the migrations (FTS5 tables with their shadow tables,
# pg_trgm and pattern indexes): not in the metadata, and not to be dropped by a comparison.
_SEARCH_TABLES = ("library_entry_search", "project_search")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if type_ == "table" and reflected and compare_to is None:
        return not (name or "").startswith(_SEARCH_TABLES)
    if type_ == "index" and reflected and compare_to is None:
        return not (name or "").startswith(("trgm_", "pattern_"))
    return True


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings().resolved_database_url


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
        include_object=include_object,
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        {"sqlalchemy.url": _url()}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
