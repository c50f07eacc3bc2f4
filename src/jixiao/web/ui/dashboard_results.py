"""首页的「绩效监控与自评」: execution rate, lights and the spread of self-evaluation scores.

The dashboard includes ``dashboard/_results.html``, which loads this fragment with HTMX, so the
dashboard's own figures are not held up by these queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jixiao.domain.enums import Grade, Light
from jixiao.domain.money import Money
from jixiao.services.evaluations.listing import year_list
from jixiao.services.monitoring.overview import ResultsOverview, results_overview
from jixiao.web.ui.context import DB, User, YearQuery
from jixiao.web.ui.monitoring_form import percent
from jixiao.web.ui.rendering import render

router = APIRouter()

LIGHT_COLORS = {
    Light.RED: "#d92d20",
    Light.YELLOW: "#f5b800",
    Light.GREEN: "#27a35a",
    Light.BLUE: "#2e6fd8",
}
GRADE_COLORS = {
    Grade.EXCELLENT: "#1e7b46",
    Grade.GOOD: "#2e5aac",
    Grade.FAIR: "#d49a00",
    Grade.POOR: "#b42318",
}


def _light_pie(counts: dict[Light, int], what: str) -> dict[str, Any]:
    """A pie of the lights that occur, each in its own colour."""
    lights = [light for light in Light if counts[light]]
    return {
        "kind": "pie",
        "labels": [light.label for light in lights],
        "colors": [LIGHT_COLORS[light] for light in lights],
        "series": [{"name": what, "data": [counts[light] for light in lights]}],
    }


def _charts(o: ResultsOverview) -> dict[str, Any]:
    return {
        "lights": _light_pie(o.project_lights, "项目数"),
        "indicator_lights": _light_pie(o.indicator_lights, "指标数"),
        "scores": {
            "kind": "bar",
            "labels": [label for label, _ in o.score_bands],
            "series": [{"name": "项目数", "data": [n for _, n in o.score_bands]}],
        },
    }


@router.get("/dashboard/results", name="dashboard_results")
def results(request: Request, db: DB, user: User, year: YearQuery = None) -> Response:
    """The fragment (a whole page is never needed: it only lives inside the dashboard)."""
    wanted = year if year is not None and 2000 <= year <= 2100 else date.today().year
    o = results_overview(db, user, wanted)
    context = {
        "o": o,
        "rate": percent(o.execution_rate),
        "average": percent(o.average_score),
        "budget": Money(o.budget_fen),
        "executed": Money(o.executed_fen),
        "charts": _charts(o),
        "grades": [(g, o.grades[g], GRADE_COLORS[g]) for g in Grade],
        "differs": sum(1 for r in year_list(db, user, wanted) if r.differs),
    }
    return render(request, "dashboard/_results_body.html", context)
