"""Run the Alembic migrations programmatically (``jixiao db upgrade`` and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from jixiao.settings import Settings


def migrations_dir() -> Path:
    """The ``migrations`` folder of the checkout (the package is installed editable)."""
    return Path(__file__).resolve().parents[3] / "migrations"


def alembic_config(settings: Settings, connection: Connection | None = None) -> Config:
    cfg = Config(str(migrations_dir().parent / "alembic.ini"))
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", settings.resolved_database_url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(
    settings: Settings, revision: str = "head", connection: Connection | None = None
) -> None:
    """Migrate the database of ``settings`` (or the given connection) to ``revision``."""
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings, connection), revision)
