"""The dashboard's figures per organisation and budget year, cached and never stale.

A ``Rollup`` holds one organisation's projects of one year: counts by status and by grade, the
total budget and the open findings by rule and severity. Database triggers give every
(organisation, year) a new random ``rollup_versions.version`` whenever a write changes any of
these (see ``jixiao.db.models.dashboard``), whoever writes it. ``RollupCache`` keeps each rollup
with the version it was computed under and recomputes only the organisations and years whose
version moved, in one grouped query each.

The version is read before the figures. Under PostgreSQL's read-committed isolation a write
committed in between may already be in the figures while the version read is the older one; the
next request then sees a newer version and recomputes, so the cache can be needlessly fresh but
never stale. A version is random, never a counter, so a rolled-back write cannot hand its
figures to a later write's version. The cache is per process and shared by its threads;
several server workers each keep their own, all checked against the same versions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jixiao.db.models import (
    FindingRow,
    FiscalYear,
    FundingLine,
    Organisation,
    Project,
    RollupVersion,
)
from jixiao.domain.enums import FundSource, Grade, ProjectStatus, Severity

Key = tuple[int, int]  # (organisation id, fiscal year id)
GRADES = tuple(Grade)


@dataclass
class Rollup:
    """One organisation's projects in one budget year. ``budget_fen`` is integer 分."""

    count: int = 0
    budget_fen: int = 0
    by_status: dict[ProjectStatus, int] = field(default_factory=dict)
    grades: dict[Grade, int] = field(default_factory=dict)
    findings: dict[tuple[str, Severity], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Mark:
    """What the version query says of one (organisation, year)."""

    org_id: int
    org_name: str
    year: int
    version: int


class RollupCache:
    """Rollups by (organisation, year) with the version each was computed under."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Key, tuple[int, Rollup]] = {}

    def rollups(self, session: Session, org_ids: set[int] | None) -> list[tuple[Mark, Rollup]]:
        """Every (organisation, year) in scope (all organisations when ``org_ids`` is None)
        with its figures, recomputing those whose version changed since they were cached."""
        marks = _marks(session, org_ids)
        with self._lock:
            cached = {key: self._entries.get(key) for key in marks}
        found = {
            key: entry[1]
            for key, entry in cached.items()
            if entry is not None and entry[0] == marks[key].version
        }
        stale = set(marks) - set(found)
        fresh = _compute(session, stale) if stale else {}
        with self._lock:
            for key, rollup in fresh.items():
                self._entries[key] = (marks[key].version, rollup)
        found.update(fresh)
        return [(mark, found[key]) for key, mark in marks.items()]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


CACHE = RollupCache()


def _marks(session: Session, org_ids: set[int] | None) -> dict[Key, Mark]:
    stmt = (
        select(
            RollupVersion.org_id,
            RollupVersion.fiscal_year_id,
            RollupVersion.version,
            FiscalYear.year,
            Organisation.name,
        )
        .join(FiscalYear, FiscalYear.id == RollupVersion.fiscal_year_id)
        .join(Organisation, Organisation.id == RollupVersion.org_id)
    )
    if org_ids is not None:
        stmt = stmt.where(RollupVersion.org_id.in_(org_ids))
    return {
        (org_id, year_id): Mark(org_id, name, year, version)
        for org_id, year_id, version, year, name in session.execute(stmt)
    }


def _compute(session: Session, keys: set[Key]) -> dict[Key, Rollup]:
    """The rollups of ``keys``: one grouped query over their projects, one over findings."""
    out = {key: Rollup() for key in keys}
    # A superset of the keys (their organisations × their years); the rest is dropped below.
    wanted = Project.org_id.in_({org for org, _ in keys}) & Project.fiscal_year_id.in_(
        {year for _, year in keys}
    )
    for key, status, count, fen, graded in _project_rows(session, wanted):
        if key not in out:
            continue
        rollup = out[key]
        rollup.count += count
        rollup.budget_fen += fen
        rollup.by_status[status] = count
        for grade, n in zip(GRADES, graded, strict=True):
            if n:
                rollup.grades[grade] = rollup.grades.get(grade, 0) + n
    findings = (
        select(
            Project.org_id,
            Project.fiscal_year_id,
            FindingRow.rule,
            FindingRow.severity,
            func.count(FindingRow.id),
        )
        .join(Project, Project.id == FindingRow.project_id)
        .where(FindingRow.waived.is_(False), wanted)
        .group_by(Project.org_id, Project.fiscal_year_id, FindingRow.rule, FindingRow.severity)
    )
    for org_id, year_id, rule, severity, count in session.execute(findings):
        if (org_id, year_id) in out:
            out[(org_id, year_id)].findings[(rule, severity)] = count
    return out


def _project_rows(
    session: Session, wanted: Any
) -> Iterable[tuple[Key, ProjectStatus, int, int, list[int]]]:
    """Per (organisation, year, status): project count, budget in 分, counts by grade.

    A project has at most one 总计 funding line (unique per project and source), so the outer
    join neither drops nor repeats projects.
    """
    total_line = (FundingLine.project_id == Project.id) & (FundingLine.source == FundSource.TOTAL)
    per_grade = [func.sum(case((Project.grade == grade, 1), else_=0)) for grade in GRADES]
    stmt = (
        select(
            Project.org_id,
            Project.fiscal_year_id,
            Project.status,
            func.count(Project.id),
            func.coalesce(func.sum(FundingLine.amount), 0),
            *per_grade,
        )
        .outerjoin(FundingLine, total_line)
        .where(wanted)
        .group_by(Project.org_id, Project.fiscal_year_id, Project.status)
    )
    for org_id, year_id, status, count, fen, *graded in session.execute(stmt):
        yield (org_id, year_id), status, int(count), _fen(fen), [int(n or 0) for n in graded]


def _fen(value: Any) -> int:
    """A summed money column: the Money type or a plain number of 分."""
    return int(getattr(value, "fen", value) or 0)
