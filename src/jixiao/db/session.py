"""Engine and session factory from Settings; SQLite gets foreign keys, WAL and a busy timeout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from jixiao.settings import Settings


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def begin_before_savepoint(conn: Connection, _name: str | None) -> None:
    """Open the transaction before a SAVEPOINT that would otherwise open it.

    The sqlite3 driver sends ``BEGIN`` only before the first write; a savepoint taken before any
    write would then be the transaction itself, and releasing it would commit, so a later
    rollback could not undo it."""
    driver = conn.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        driver.execute("BEGIN")


def json_text(value: Any) -> str:
    """JSON columns as text with Chinese kept as it is (shorter and quicker than escapes)."""
    return json.dumps(value, ensure_ascii=False)


def make_engine(settings: Settings) -> Engine:
    """An engine for ``settings``; creates the SQLite data directory on first use."""
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=settings.echo_sql, json_serializer=json_text)
        event.listen(engine, "connect", sqlite_pragmas)
        event.listen(engine, "savepoint", begin_before_savepoint)
        return engine
    return create_engine(
        url,
        echo=settings.echo_sql,
        json_serializer=json_text,
        pool_pre_ping=True,
        pool_size=10,
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error (the CLI boundary)."""
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
