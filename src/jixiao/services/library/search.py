"""Finding library entries by typed text: indexed candidates, then one ranking in Python.

Text of three characters or more is matched as a substring through the trigram index of each
backend — PostgreSQL ``pg_trgm`` (GIN on ``library_entries.name_key``), SQLite FTS5 with the
``trigram`` tokenizer (table ``library_entry_search``, kept by triggers). One or two characters
have no trigram: they match as a prefix (a B-tree range) or, inside the preferred level-2
category, as a substring. Without an FTS5 trigram table (SQLite before 3.34) ``LIKE`` scans —
slower, same results.

Ranking is done here, the same for both backends: the requested level-2 category first, then
exact key, prefix, substring; then closeness (character-bigram similarity, used to order the
non-prefix matches), 推荐 and the number of occurrences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select, text
from sqlalchemy.orm import Session

from jixiao.db.models import LibraryEntry, LibraryOccurrence
from jixiao.db.search import LIBRARY_FTS, has_fts_table
from jixiao.domain.library import category_key
from jixiao.domain.widths import FULL_WIDTH_TO_ASCII
from jixiao.services.library.schemas import LibraryFilters

CANDIDATES = 300


def query_key(text_: str) -> str:
    """Typed text as it compares with entry keys (width folded, no spaces, lower case, and a
    trailing 率 or 数 dropped as in the keys)."""
    q = "".join(text_.translate(FULL_WIDTH_TO_ASCII).split()).lower()
    return q[:-1] if len(q) > 2 and q[-1] in "率数" else q


def _escaped(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_condition(session: Session, q: str, level2: str | None = None) -> Any:
    """The WHERE condition matching entries to typed text ``q`` (a query key).

    Three characters or more: the name contains ``q`` (a trigram index serves it). Fewer: the
    name starts with ``q`` (a B-tree prefix range; PostgreSQL ``varchar_pattern_ops``), or
    contains it within the preferred level-2 category.
    """
    plain = _escaped(q) == q  # FTS5 serves LIKE from its index only without ESCAPE
    if len(q) >= 3:
        if plain and has_fts_table(session, LIBRARY_FTS):
            matched = text(f"SELECT rowid FROM {LIBRARY_FTS} WHERE name_key LIKE :p").bindparams(
                p=f"%{q}%"
            )
            return LibraryEntry.id.in_(matched.columns(rowid=LibraryEntry.id.type))
        return LibraryEntry.name_key.like(f"%{_escaped(q)}%", escape="\\")
    prefix = LibraryEntry.name_key.like(f"{_escaped(q)}%", escape="\\")
    if not level2:
        return prefix
    inside = and_(
        LibraryEntry.level2_key == category_key(level2),
        LibraryEntry.name_key.like(f"%{_escaped(q)}%", escape="\\"),
    )
    return or_(prefix, inside)


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
        stmt = stmt.where(text_condition(session, q, prefer_level2))
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
