"""The change marks behind the dashboard's cached figures."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from jixiao.db.base import ID_TYPE, Base


class RollupVersion(Base):
    """A random number that database triggers replace whenever the dashboard's figures of one
    organisation and budget year may have changed: a project added, deleted, moved, or its
    status or grade changed; a funding line or a finding of one of its projects written.

    Every write path (pages, API, command line, bulk loads) fires the triggers, so a cache of
    the figures keyed by this number is never stale. A random number is never reused, not even
    after a rolled-back transaction, unlike a counter. There are no foreign keys: a mark of a
    removed organisation or year is harmless and is never read.

    The triggers belong to ``projects``, ``funding_lines`` and ``findings``: a migration that
    rebuilds one of these tables on SQLite (batch mode's copy-and-move) drops them and must
    create them again (``tests/services/test_dashboard_rollups.py`` fails otherwise).
    """

    __tablename__ = "rollup_versions"

    org_id: Mapped[int] = mapped_column(ID_TYPE, primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ID_TYPE, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
