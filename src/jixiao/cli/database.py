"""Database trouble on the command line: a one-line error with exit status 2, no traceback.

SQLAlchemy is imported only when a database error is being reported, so that loading the file
commands stays light.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click


class CliError(click.ClickException):
    """A one-line ``错误：…`` on standard error, exit status 2."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn an unreachable or refused database into :class:`CliError` (any open transaction
    has already been rolled back by then)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    try:
        yield
    except OperationalError as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise CliError(f"无法连接数据库 {safe_url(url)}：{reason}") from None


def safe_url(url: str) -> str:
    """The URL without a password."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, rest = head.split("//", 1)
    return f"{scheme}//{rest.split(':', 1)[0]}:***@{tail}"
