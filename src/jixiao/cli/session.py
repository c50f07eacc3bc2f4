"""Sessions for the commands that use the database: the database is migrated first if it is
behind (checked once per process), and each unit of work is one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from jixiao.cli.database import CliError, database_errors
from jixiao.db.migrate import ensure_current
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.services.errors import AppError
from jixiao.settings import Settings, get_settings


@contextmanager
def database(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the database of ``settings``, migrated first if it is behind (checked once:
    the stored revision against the migration files, without loading Alembic)."""
    with database_errors(settings.resolved_database_url):
        engine = make_engine(settings)
        try:
            ensure_current(settings, engine)
            yield make_session_factory(engine)
        finally:
            engine.dispose()


@contextmanager
def unit_of_work(settings: Settings | None = None) -> Iterator[Session]:
    """A migrated database and one transaction; AppError becomes a one-line CLI error."""
    with database(settings or get_settings()) as factory:
        try:
            with transaction(factory) as session:
                yield session
        except AppError as exc:
            raise CliError(exc.message) from None
