"""Many rows in few statements: primary keys reserved up front, one bulk insert per table.

Children can then name their parent's id without a round trip per row. :func:`insert_rows`
turns the rows into the driver's values with each column type's own conversion (the one
SQLAlchemy applies) and hands them over at once: PostgreSQL ``COPY``, SQLite ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Dialect, Table, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jixiao.db.base import Base

_PG_IDS = text(
    "SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
    " FROM generate_series(1, :count) ORDER BY 1"
)

Convert = Callable[[Any], Any] | None
_NOTHING = object()


def table_of(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def new_ids(session: Session, model: type[Base], count: int) -> list[int]:
    """``count`` unused ids of ``model``'s table for rows this transaction is about to insert.

    PostgreSQL takes them from the table's sequence (never handed out twice, even when the
    transaction rolls back). SQLite numbers on from the largest id: call this only after the
    transaction's first write, when it holds the database's one write lock, so that no other
    connection can insert in between.
    """
    if count == 0:
        return []
    table = table_of(model)
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(_PG_IDS, {"table": table.name, "count": count}))
    largest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))


def insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``model``'s table at once, in the session's transaction.

    Every row has the same keys. A column left out gets the database's default (an id from
    the sequence), not a Python-side one: give every column that has one.
    """
    if not rows:
        return
    connection = session.connection()
    names = tuple(rows[0])
    table = table_of(model)
    columns = [
        _converted([row[name] for row in rows], convert)
        for name, convert in zip(names, _conversions(table, names, connection.dialect), strict=True)
    ]
    values = list(zip(*columns, strict=True))
    if connection.dialect.name == "postgresql":
        _copy(connection, table, names, values)
    else:
        connection.exec_driver_sql(_insert_sql(table, names, connection.dialect), values)


@cache
def _conversions(table: Table, names: tuple[str, ...], dialect: Dialect) -> tuple[Convert, ...]:
    return tuple(table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names)


def _converted(values: list[Any], convert: Convert) -> list[Any]:
    """The column's values for the driver. A value repeated from the row before (the one
    timestamp of an import, an enum member) is converted once."""
    if convert is None:
        return values
    out = []
    last: object = _NOTHING
    done = None
    for value in values:
        if value is not last:
            last, done = value, convert(value)
        out.append(done)
    return out


def _columns(table: Table, names: Iterable[str], dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    return f"{quote(table.name)} ({', '.join(quote(n) for n in names)})"


@cache
def _insert_sql(table: Table, names: tuple[str, ...], dialect: Dialect) -> str:
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    return (
        f"INSERT INTO {_columns(table, names, dialect)} VALUES ({', '.join(mark for _ in names)})"
    )


def _copy(
    connection: Connection, table: Table, names: tuple[str, ...], values: Sequence[tuple[Any, ...]]
) -> None:
    """``COPY … FROM STDIN``; a refusal (a constraint, a lost server) is raised as SQLAlchemy
    raises it for any statement (``IntegrityError``, ``OperationalError`` …)."""
    sql = f"COPY {_columns(table, names, connection.dialect)} FROM STDIN"
    driver = connection.dialect.loaded_dbapi
    try:
        with connection.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
            with cursor.copy(sql) as copy:
                for row in values:
                    copy.write_row(row)
    except driver.Error as exc:
        raise DBAPIError.instance(sql, None, exc, driver.Error) from exc
