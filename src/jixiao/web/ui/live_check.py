"""Live validation while editing: run the review rules on the project as it would be saved.

The stored project (from the services) is turned into a domain Project, the edited indicator
replaces its stored version (or is appended when new), and ``jixiao.review.review_project``
returns the findings (weighing last year's results of copied indicators and the peers' targets
of the edited one); the page shows those about the edited indicator.
"""

from __future__ import annotations

from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import TargetValue
from jixiao.review.engine import ReviewContext, review_project
from jixiao.review.evidence import Benchmark, PeerSpread
from jixiao.review.findings import Finding
from jixiao.services.projects.last_year import benchmark
from jixiao.services.projects.schemas import IndicatorOut, ProjectDetail, TargetOut


def _target(t: TargetOut | None) -> TargetValue | None:
    if t is None:
        return None
    return TargetValue(t.raw, t.kind, t.op, t.value, t.unit, t.deadline)


def _level(code: str | None, name: str | None) -> LevelRef | None:
    return LevelRef(code, name) if code or name else None


def _indicator(i: IndicatorOut) -> Indicator:
    return Indicator(
        name=i.name,
        level1=_level(i.level1_code, i.level1_name),
        level2=_level(i.level2_code, i.level2_name),
        period=_target(i.period),
        annual=_target(i.annual),
        explanation=i.explanation,
        basis=i.basis,
        weight=i.weight,
    )


def domain_project(detail: ProjectDetail) -> Project:
    a = detail.amounts
    return Project(
        name=detail.name,
        amounts=Amounts(total=a.total, fiscal=a.fiscal, special=a.special, other=a.other),
        goal=detail.goal,
        indicators=[_indicator(i) for i in detail.indicators],
        code=detail.code,
        unit_name=detail.unit_name,
        annual_goal=detail.annual_goal,
    )


def check_indicator(
    detail: ProjectDetail,
    edited: Indicator,
    indicator_id: int | None,
    peers: PeerSpread | None = None,
) -> list[Finding]:
    """Findings about ``edited`` when it replaces indicator ``indicator_id`` (None: appended),
    weighing ``peers``: the other projects' targets of the edited indicator."""
    project = domain_project(detail)
    ids = [i.id for i in detail.indicators]
    if indicator_id in ids:
        index = ids.index(indicator_id)
        project.indicators[index] = edited
    else:
        project.indicators.append(edited)
        index = len(project.indicators) - 1
    benchmarks = _benchmarks(detail)
    if peers is not None:
        last = benchmarks.get((0, index))
        benchmarks[(0, index)] = Benchmark(last.last_year if last else None, peers)
    context = ReviewContext(unit=detail.money_unit, year=detail.year, benchmarks=benchmarks)
    return [f for f in review_project(project, context=context) if f.indicator_index == index]


def _benchmarks(detail: ProjectDetail) -> dict[tuple[int, int], Benchmark]:
    """Last year's results of the copied indicators, as the review's evidence."""
    found = {}
    for index, ind in enumerate(detail.indicators):
        bench = benchmark(ind.last_year) if ind.last_year is not None else None
        if bench is not None:
            found[(0, index)] = bench
    return found
