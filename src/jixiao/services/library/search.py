"""Finding library entries by typed text: indexed candidates, then one ranking in Python.

Candidates come from the trigram index of each backend — PostgreSQL ``pg_trgm`` (GIN on
``library_entries.name_key``: ``ILIKE`` and the similarity operator ``%``), SQLite FTS5 with the
``trigram`` tokenizer (table ``library_entry_search``, kept by triggers). Text of one or two
characters has no trigram; it is matched by ``LIKE`` on the entries (far fewer rows than
occurrences). Without an FTS5 trigram table (SQLite before 3.34) every length is matched by
``LIKE`` — slower, same results.

Ranking is the same on both backends: the requested level-2 category first, then exact key,
prefix, substring, fuzzy; then 推荐, the number of occurrences and the character-bigram
similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, exists, func, literal, or_, select, text
from sqlalchemy.orm import Session

from jixiao.db.models import LibraryEntry, LibraryOccurrence
from jixiao.db.search import LIBRARY_FTS, has_fts_table
from jixiao.domain.library import category_key
from jixiao.domain.widths import FULL_WIDTH_TO_ASCII
from jixiao.services.library.schemas import LibraryFilters

CANDIDATES = 300


def query_key(text_: str) -> str:
    """Typed text as it compares with entry keys (width folded, no spaces, lower case)."""
    return "".join(text_.translate(FULL_WIDTH_TO_ASCII).split()).lower()


def _escaped(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _trigrams(q: str) -> list[str]:
    return list(dict.fromkeys(q[i : i + 3] for i in range(len(q) - 2)))


def text_condition(session: Session, q: str) -> Any:
    """The WHERE condition matching entries to typed text ``q`` (a query key)."""
    like = LibraryEntry.name_key.like(f"%{_escaped(q)}%", escape="\\")
    if len(q) < 3:
        return like
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return or_(like, LibraryEntry.name_key.op("%")(q))
    if has_fts_table(session, LIBRARY_FTS):
        phrases = " OR ".join('"' + t.replace('"', '""') + '"' for t in _trigrams(q))
        matched = text(f"SELECT rowid FROM {LIBRARY_FTS} WHERE {LIBRARY_FTS} MATCH :m").bindparams(
            m=phrases
        )
        return LibraryEntry.id.in_(matched.columns(rowid=LibraryEntry.id.type))
    return like


def filtered(session: Session, stmt: Select[Any], filters: LibraryFilters) -> Select[Any]:
    """Apply the level-2, sector, unit, department, year and 推荐 filters."""
    if filters.level2:
        stmt = stmt.where(LibraryEntry.level2_key == category_key(filters.level2))
    if filters.unit:
        stmt = stmt.where(LibraryEntry.unit == filters.unit)
    if filters.recommended is not None:
        stmt = stmt.where(LibraryEntry.recommended.is_(filters.recommended))
    if filters.sector:
        stmt = stmt.where(_has_sector(session, filters.sector))
    occurrence: list[Any] = []
    if filters.department_id is not None:
        occurrence.append(LibraryOccurrence.department_id == filters.department_id)
    if filters.year is not None:
        occurrence.append(LibraryOccurrence.year == filters.year)
    if occurrence:
        used = exists().where(LibraryOccurrence.entry_id == LibraryEntry.id, *occurrence)
        stmt = stmt.where(used)
    return stmt


def _has_sector(session: Session, sector: str) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return LibraryEntry.sectors.op("@>")(func.jsonb_build_array(sector))
    each = func.json_each(LibraryEntry.sectors).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == sector))


def candidates(
    session: Session, filters: LibraryFilters, prefer_level2: str | None
) -> list[LibraryEntry]:
    """Up to :data:`CANDIDATES` entries matching the text and filters, roughly best first."""
    q = query_key(filters.q or "")
    stmt = filtered(session, select(LibraryEntry), filters)
    order: list[Any] = []
    if prefer_level2:
        order.append(case((LibraryEntry.level2_key == category_key(prefer_level2), 0), else_=1))
    if q:
        stmt = stmt.where(text_condition(session, q))
        prefix = LibraryEntry.name_key.like(f"{_escaped(q)}%", escape="\\")
        order.append(case((prefix, 0), else_=1))
    order += [LibraryEntry.occurrence_count.desc(), LibraryEntry.id]
    return list(session.scalars(stmt.order_by(*order).limit(CANDIDATES)))


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def similarity(q: str, key: str) -> float:
    """Character-bigram Jaccard similarity of two keys (0–1); only used to order candidates."""
    a, b = _bigrams(q), _bigrams(key)
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Ranked:
    entry: LibraryEntry
    score: tuple[int, int, float, int, int, float]


def rank(entries: Sequence[LibraryEntry], q: str, level2: str | None) -> list[LibraryEntry]:
    """Order entries for typed text ``q`` (a query key), preferring ``level2``."""
    wanted = category_key(level2) if level2 else None
    ranked = [Ranked(e, _score(e, q, wanted)) for e in entries]
    ranked.sort(key=lambda r: (r.score, -r.entry.id), reverse=True)
    return [r.entry for r in ranked]


def _score(
    entry: LibraryEntry, q: str, level2: str | None
) -> tuple[int, int, float, int, int, float]:
    key = entry.name_key
    same_level2 = int(level2 is not None and entry.level2_key == level2)
    if not q:
        match = 0
    elif key == q or key == q.rstrip("率数"):
        match = 3
    elif key.startswith(q):
        match = 2
    elif q in key:
        match = 1
    else:
        match = 0
    sim = similarity(q, key) if q else 0.0
    fuzzy = round(sim, 1) if match == 0 else 0.0  # among fuzzy matches, closeness first
    return (same_level2, match, fuzzy, int(entry.recommended), entry.occurrence_count, sim)
