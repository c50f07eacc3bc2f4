"""The text-search objects the migrations make outside the ORM metadata.

PostgreSQL has ``pg_trgm`` GIN indexes; SQLite has FTS5 tables with the ``trigram`` tokenizer,
kept by triggers — when its SQLite (3.34 or later) has that tokenizer. Queries ask
:func:`has_fts_table` and fall back to a scan (same results, slower) when the table is missing.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

LIBRARY_FTS = "library_entry_search"
PROJECT_FTS = "project_search"


def has_fts_table(session: Session, name: str) -> bool:
    """Whether the SQLite database has the FTS5 table ``name``."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": name}
    ).first()
    return found is not None
