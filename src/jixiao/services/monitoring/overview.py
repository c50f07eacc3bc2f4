"""The results of a year across the projects an actor may see (the dashboard's 监控与自评 part).

Monitoring figures come from each project's latest round of the year: budget and amount
executed (integer 分), the worst light of the project and every indicator light. Self-evaluation
figures: how many projects were evaluated, their grades and how the totals spread over bands.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.db.models import MonitoringRecord, Project, SelfEvaluationRecord
from jixiao.domain.enums import Grade, Light
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize, scope_projects

SCORE_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("60 分以下", Decimal(0)),
    ("60–69", Decimal(60)),
    ("70–79", Decimal(70)),
    ("80–89", Decimal(80)),
    ("90 分以上", Decimal(90)),
)


class ResultsOverview(BaseModel):
    year: int
    monitored: int
    budget_fen: int
    executed_fen: int
    execution_rate: Decimal | None
    project_lights: dict[Light, int]
    indicator_lights: dict[Light, int]
    evaluated: int
    average_score: Decimal | None
    grades: dict[Grade, int]
    score_bands: list[tuple[str, int]]


def _latest_rounds(session: Session, actor: Principal, year: int) -> list[MonitoringRecord]:
    rows = session.scalars(
        scope_projects(
            session,
            actor,
            select(MonitoringRecord)
            .join(Project, Project.id == MonitoringRecord.project_id)
            .where(MonitoringRecord.year == year),
        )
    )
    latest: dict[int, MonitoringRecord] = {}
    for row in rows:
        if row.project_id not in latest or row.end_month > latest[row.project_id].end_month:
            latest[row.project_id] = row
    return list(latest.values())


def _first_indicator(row: MonitoringRecord) -> int:
    """Where the indicator lights start: the budget light comes first when there is a budget."""
    return 1 if row.budget is not None else 0


def _light_counts(lights: list[str | None]) -> dict[Light, int]:
    return {light: lights.count(light.value) for light in Light}


def _band_counts(totals: list[Decimal]) -> list[tuple[str, int]]:
    lows = [low for _, low in SCORE_BANDS]
    counts = [0] * len(SCORE_BANDS)
    for total in totals:
        counts[max(i for i, low in enumerate(lows) if total >= low)] += 1
    return [(label, n) for (label, _), n in zip(SCORE_BANDS, counts, strict=True)]


def results_overview(session: Session, actor: Principal, year: int) -> ResultsOverview:
    """Monitoring and self-evaluation figures of ``year`` within the actor's scope."""
    authorize(session, actor, Action.VIEW)
    rounds = _latest_rounds(session, actor, year)
    budget = sum(r.budget.fen for r in rounds if r.budget is not None and r.executed is not None)
    executed = sum(
        r.executed.fen for r in rounds if r.budget is not None and r.executed is not None
    )
    evaluations = session.execute(
        scope_projects(
            session,
            actor,
            select(SelfEvaluationRecord.total, SelfEvaluationRecord.grade)
            .join(Project, Project.id == SelfEvaluationRecord.project_id)
            .where(SelfEvaluationRecord.year == year),
        )
    ).all()
    totals = [Decimal(total) for total, _ in evaluations]
    return ResultsOverview(
        year=year,
        monitored=len(rounds),
        budget_fen=budget,
        executed_fen=executed,
        execution_rate=Decimal(executed) * 100 / Decimal(budget) if budget else None,
        project_lights=_light_counts(
            [r.worst_light.value if r.worst_light else None for r in rounds]
        ),
        indicator_lights=_light_counts(
            [x.get("light") for r in rounds for x in r.lights[_first_indicator(r) :]]
        ),
        evaluated=len(evaluations),
        average_score=sum(totals, Decimal(0)) / len(totals) if totals else None,
        grades={grade: sum(1 for _, g in evaluations if g is grade) for grade in Grade},
        score_bands=_band_counts(totals),
    )
