"""Run the Alembic migrations programmatically (``jixiao db upgrade``, the commands, the tests).

:func:`ensure_current` is what a command calls before using the database: it reads the
revision stored in ``alembic_version`` and compares it with the head of the migration files
(read as text, without loading Alembic), and runs the migrations only when they differ. Alembic
is imported only then.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from jixiao.settings import Settings

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*[\"']([0-9A-Za-z_]+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?=\s*(None|[\"']([0-9A-Za-z_]+)[\"'])", re.M)


def migrations_dir() -> Path:
    """The ``migrations`` folder of the checkout (the package is installed editable)."""
    return Path(__file__).resolve().parents[3] / "migrations"


def alembic_config(settings: Settings, connection: Connection | None = None) -> Config:
    from alembic.config import Config

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
    from alembic import command

    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings, connection), revision)


@cache
def head_revision(folder: Path | None = None) -> str | None:
    """The one revision of the migration files that no other revises; None when there is no
    single head (then Alembic decides)."""
    revised, revisions = set(), set()
    for path in (folder or migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN.search(source)
        if found is None or down is None:
            return None
        revisions.add(found.group(1))
        if down.group(2):
            revised.add(down.group(2))
    heads = revisions - revised
    return next(iter(heads)) if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database; None for a new database (or several)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return rows[0][0] if len(rows) == 1 else None


def ensure_current(settings: Settings, engine: Engine) -> None:
    """Migrate the database unless it is already at the head revision."""
    head = head_revision()
    if head is None or stored_revision(engine) != head:
        upgrade(settings)
