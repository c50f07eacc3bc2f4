"""首页: the figures of the user's scope, charts (ECharts) and what waits for the user.

The page carries the figures and the to-dos; the four charts fetch their data from
``/dashboard/charts`` (JSON) once the page is shown, so the page itself stays small.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jixiao.domain.enums import Grade, MoneyUnit, ProjectStatus, Severity
from jixiao.domain.money import Money
from jixiao.review.registry import all_rules
from jixiao.services.dashboard import service as dashboard
from jixiao.services.dashboard.schemas import Figures, Overview
from jixiao.services.principal import Principal
from jixiao.web.ui.context import DB, User, YearQuery
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()

GRADE_COLORS = {"excellent": "#1e7b46", "good": "#2e5aac", "fair": "#d49a00", "poor": "#b42318"}
TOP_RULES = 12
TOP_ORGS = 15  # rows of 各部门汇总 on the dashboard; the rest on their own page


def _wan_text(fen: int) -> str:
    """Exact 万元 text for chart data (ECharts reads numeric strings; no float on our side)."""
    return str(Money(fen).amount(MoneyUnit.WAN_YUAN).quantize(Decimal("0.01")))


def _short(name: str, keep: int = 12) -> str:
    """An organisation name short enough for a chart axis."""
    return name if len(name) <= keep else name[: keep - 1] + "…"


def _rule_label(rule_id: str) -> str:
    """``JX004 缺少成本指标`` (the title cut short) so the chart says what each bar is."""
    titles = {spec.id: spec.title for spec in all_rules()}
    title = titles.get(rule_id, "")
    return f"{rule_id} {title[:10]}{'…' if len(title) > 10 else ''}".strip()


def _charts(o: Figures) -> dict[str, Any]:
    top_orgs = o.by_org[:15]
    statuses = [s for s in ProjectStatus if o.by_status.get(s)]
    grades = [g for g in Grade if o.grades.get(g)]
    rules = list(o.findings_by_rule.items())[:TOP_RULES]
    return {
        "dept": {
            "kind": "bar",
            "horizontal": True,
            "labels": [_short(r.org_name) for r in top_orgs],
            "series": [
                {"name": "预算（万元）", "data": [_wan_text(r.budget_fen) for r in top_orgs]}
            ],
        },
        "status": {
            "kind": "pie",
            "labels": [s.label for s in statuses],
            "series": [{"name": "项目数", "data": [o.by_status[s] for s in statuses]}],
        },
        "rules": {
            "kind": "bar",
            "horizontal": True,
            "labels": [_rule_label(rule) for rule, _ in rules],
            "series": [{"name": "问题数", "data": [n for _, n in rules]}],
        },
        "grades": {
            "kind": "pie",
            "labels": [g.label for g in grades],
            "colors": [GRADE_COLORS[g.value] for g in grades],
            "series": [{"name": "项目数", "data": [o.grades[g] for g in grades]}],
        },
    }


def _todo_boxes(request: Request, o: Overview) -> list[dict[str, Any]]:
    projects = page_url(request, "project_list")
    return [
        {
            "title": "待填报",
            "badge": "s-draft",
            "entries": o.to_fill,
            "more": f"{projects}?status=draft",
        },
        {
            "title": "待审核",
            "badge": "s-submitted",
            "entries": o.to_review,
            "more": page_url(request, "review_queue"),
        },
        {
            "title": "被退回",
            "badge": "s-returned",
            "entries": o.returned,
            "more": f"{projects}?status=returned",
        },
    ]


def _scope_label(user: Principal, o: Figures) -> str:
    if len(o.by_org) == 1:
        return o.by_org[0].org_name
    return "全部部门" if user.org_id is None else "本部门及所属单位"


@router.get("/", name="dashboard")
def show(request: Request, db: DB, user: User, year: YearQuery = None) -> Response:
    o = dashboard.overview(db, user, year)
    todo = _todo_boxes(request, o)
    stats = {
        "project_count": o.project_count,
        "total_budget": Money(o.budget_fen),
        "error_count": o.findings_by_severity.get(Severity.ERROR, 0),
        "warning_count": o.findings_by_severity.get(Severity.WARNING, 0),
    }
    year_query = f"?year={o.year}" if o.year is not None else ""
    context = {
        "nav": "dashboard",
        "year": o.year,
        "years": o.years,
        "stats": stats,
        "todo": todo,
        "todo_total": sum(len(box["entries"]) for box in todo),
        "charts_url": page_url(request, "dashboard_charts") + year_query,
        "by_org": _org_rows(o, TOP_ORGS),
        "org_total": len(o.by_org),
        "all_orgs_url": page_url(request, "dashboard_departments") + year_query,
        "statuses": list(ProjectStatus),
        "scope_label": _scope_label(user, o),
    }
    return render(request, "dashboard/index.html", context)


@router.get("/dashboard/departments", name="dashboard_departments")
def departments(request: Request, db: DB, user: User, year: YearQuery = None) -> Response:
    """各部门汇总 of every organisation in the user's scope (the dashboard shows the first)."""
    o = dashboard.figures(db, user, year)
    context = {
        "nav": "dashboard",
        "year": o.year,
        "years": o.years,
        "by_org": _org_rows(o, None),
        "statuses": list(ProjectStatus),
        "scope_label": _scope_label(user, o),
    }
    return render(request, "dashboard/departments.html", context)


def _org_rows(o: Figures, limit: int | None) -> list[dict[str, Any]]:
    """各部门汇总 rows, largest budget first, with the budget as Money for the 万元 filter."""
    return [{**r.model_dump(), "budget": Money(r.budget_fen)} for r in o.by_org[:limit]]


@router.get("/dashboard/charts", name="dashboard_charts")
def charts(db: DB, user: User, year: YearQuery = None) -> JSONResponse:
    """The data of the dashboard's four charts (counts, and 万元 as exact decimal text)."""
    return JSONResponse(_charts(dashboard.figures(db, user, year)))
