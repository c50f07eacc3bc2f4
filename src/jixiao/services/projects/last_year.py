"""What a draft copied from last year's project knows of last year: each copied indicator's
target then and its actual value from the stored self-evaluation.

The pages show it beside each target; the review receives it as evidence (``Benchmark``) for
the rule on easy targets, together with the peers' targets from the indicator library
(``services.library.benchmarks``). Nothing here decides permissions: callers pass a project
they have already been allowed to see.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import Indicator, Project, ProjectCopy, SelfEvaluationRecord, TargetValueRow
from jixiao.domain.enums import ProjectStatus, TargetPeriod
from jixiao.domain.evaluation import IndicatorActual
from jixiao.review.evidence import Benchmark, LastYear
from jixiao.review.text import compact
from jixiao.scoring.formats import SELFEVAL_FORMAT, selfeval_from_data
from jixiao.services.library.benchmarks import peer_spreads
from jixiao.services.projects import repository
from jixiao.services.projects.schemas import CopySourceOut, LastYearOut

COPIED_FROM = "copied_from"
COPYABLE = frozenset({ProjectStatus.APPROVED, ProjectStatus.PUBLISHED})


def may_copy(project: Project) -> bool:
    """Only an approved (or published) project is copied: its targets are the agreed ones."""
    return project.status in COPYABLE


def copy_source(session: Session, project: Project) -> Project | None:
    """The fully loaded project ``project`` was copied from, if it still exists."""
    source_id = session.scalar(
        select(ProjectCopy.source_id).where(ProjectCopy.project_id == project.id)
    )
    return None if source_id is None else repository.load_full(session, source_id)


def source_out(source: Project) -> CopySourceOut:
    return CopySourceOut(
        id=source.id, name=source.name, year=source.fiscal_year.year, edition=source.edition
    )


def _target_text(row: Indicator) -> str:
    by_period = {t.period: t for t in row.targets}
    chosen: TargetValueRow | None = by_period.get(TargetPeriod.ANNUAL) or by_period.get(
        TargetPeriod.PERIOD
    )
    return chosen.raw if chosen is not None else ""


def _actuals(session: Session, source: Project) -> dict[str, IndicatorActual]:
    """The self-evaluation's indicator rows of ``source``'s year, by compacted name."""
    year = source.fiscal_year.year
    row = session.scalar(
        select(SelfEvaluationRecord).where(
            SelfEvaluationRecord.project_id == source.id, SelfEvaluationRecord.year == year
        )
    )
    if row is None:
        return {}
    data = {
        "format": SELFEVAL_FORMAT,
        "year": year,
        "unit": source.money_unit.value,
        "projects": [{**row.entry, "name": source.name}],
    }
    found: dict[str, IndicatorActual] = {}
    for actual in selfeval_from_data(data)[0].indicators:
        found.setdefault(compact(actual.name), actual)
    return found


def _result(year: int, old: Indicator, actual: IndicatorActual | None) -> LastYearOut:
    shown = actual.actual_display() if actual is not None and actual.has_actual else None
    value: Decimal | None = actual.actual if actual is not None else None
    return LastYearOut(
        year=year,
        target=_target_text(old),
        actual=shown or None,
        value=value,
        unit=actual.target.unit if actual is not None and value is not None else None,
    )


def last_year_results(
    session: Session, project: Project, source: Project
) -> dict[int, LastYearOut]:
    """For each indicator of a loaded ``project`` copied from ``source``: last year's result."""
    olds = {i.id: i for i in source.indicators}
    actuals = _actuals(session, source)
    year = source.fiscal_year.year
    out: dict[int, LastYearOut] = {}
    for ind in project.indicators:
        old = olds.get(ind.source.get(COPIED_FROM, -1))
        if old is not None:
            out[ind.id] = _result(year, old, actuals.get(compact(old.name)))
    return out


def benchmark(result: LastYearOut) -> Benchmark | None:
    """The review's evidence from one result: only a numeric actual can be compared."""
    if result.value is None:
        return None
    return Benchmark(last_year=LastYear(result.year, result.target, result.value, result.unit))


def indicator_benchmarks(session: Session, project: Project) -> dict[int, Benchmark]:
    """The review's evidence for a loaded ``project``, by indicator id: last year's result of a
    copied indicator, and the peers' targets of the same library entry and unit."""
    last: dict[int, LastYear] = {}
    source = copy_source(session, project)
    if source is not None:
        for indicator_id, result in last_year_results(session, project, source).items():
            bench = benchmark(result)
            if bench is not None and bench.last_year is not None:
                last[indicator_id] = bench.last_year
    peers = peer_spreads(session, project)
    return {
        i: Benchmark(last_year=last.get(i), peers=peers.get(i)) for i in sorted({*last, *peers})
    }


def group_benchmarks(
    session: Session, group: list[Project], project_id: int
) -> dict[tuple[int, int], Benchmark]:
    """The evidence for project ``project_id`` of a loaded table (its document's indices)."""
    index = next(i for i, p in enumerate(group) if p.id == project_id)
    by_id = indicator_benchmarks(session, group[index])
    ordered = sorted(group[index].indicators, key=lambda i: i.position)
    return {(index, i): by_id[ind.id] for i, ind in enumerate(ordered) if ind.id in by_id}
