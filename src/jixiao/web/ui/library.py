"""指标库 pages: search and filter entries, one entry with its peers' box plot and curation,
and a project's quantitative targets against their peers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.services.library import service
from jixiao.services.library.schemas import Curation, LibraryFilters, PeerStats
from jixiao.services.pagination import PageParams
from jixiao.services.projects import service as projects
from jixiao.services.projects.schemas import IndicatorOut
from jixiao.services.scope import Action, can
from jixiao.web.ui.context import DB, PathId, User
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()

PAGE_SIZE = 50
Text = Annotated[str, Form(max_length=2000)]


def box(label: str, stats: PeerStats, mark: Decimal | None) -> dict[str, Any] | None:
    """A box-plot spec for the page script (numbers as text: no float on the way)."""
    if stats.median is None:
        return None
    five = (stats.minimum, stats.p25, stats.median, stats.p75, stats.maximum)
    return {
        "kind": "boxplot",
        "labels": [label],
        "unit": stats.unit or "",
        "boxes": [[str(v) for v in five]],
        "marks": [None if mark is None else str(mark)],
    }


@router.get("/library", name="library_index")
def library_index(
    request: Request,
    db: DB,
    user: User,
    q: Annotated[str | None, Query(max_length=100)] = None,
    level2: Annotated[str | None, Query(max_length=100)] = None,
    sector: Annotated[str | None, Query(max_length=50)] = None,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    created: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    updated: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
) -> Response:
    filters = LibraryFilters(
        q=q or None, level2=level2 or None, sector=sector or None, unit=unit or None, year=year
    )
    entries = service.search_entries(db, user, filters, PageParams(page=page, size=PAGE_SIZE))
    context = {
        "nav": "library",
        "filters": filters,
        "entries": entries,
        "pages": max(1, -(-entries.total // PAGE_SIZE)),
        "level2_names": service.level2_names(db, user),
        "departments": service.department_ease(db, user, year),
        "may_curate": can(user, Action.CURATE_LIBRARY),
        "imported": None if created is None or updated is None else (created, updated),
    }
    return render(request, "library/index.html", context)


@router.get("/library/{entry_id}", name="library_entry")
def library_entry(
    request: Request,
    db: DB,
    user: User,
    entry_id: PathId,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    entry = service.get_entry(db, user, entry_id)
    context = {
        "nav": "library",
        "e": entry,
        "chart": box(entry.name, entry.peers, None),
        "done": done,
    }
    return render(request, "library/entry.html", context)


@router.post("/library/{entry_id}", name="library_curate")
def library_curate(
    request: Request,
    db: DB,
    user: User,
    entry_id: PathId,
    version: Annotated[int, Form(ge=0, le=2**31 - 1)],
    recommended: Annotated[bool, Form()] = False,
    sectors: Annotated[str, Form(max_length=500)] = "",
    explanation: Text = "",
    basis: Text = "",
    scoring: Text = "",
    reference_value: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    data = Curation(
        version=version,
        recommended=recommended,
        sectors=[s for s in sectors.replace("，", ",").replace("、", ",").split(",") if s.strip()],
        explanation=explanation,
        basis=basis,
        scoring=scoring,
        reference_value=reference_value,
    )
    service.curate(db, user, entry_id, data)
    target = page_url(request, "library_entry", entry_id=entry_id) + "?done=saved"
    return RedirectResponse(target, status_code=303)


def _annual_value(ind: IndicatorOut) -> tuple[Decimal | None, str | None]:
    target = ind.annual or ind.period
    if target is None or target.kind != "quantitative":
        return None, None
    return target.value, target.unit


@router.get("/projects/{project_id}/peers", name="project_peers")
def project_peers(request: Request, db: DB, user: User, project_id: PathId) -> Response:
    detail = projects.get_project(db, user, project_id)
    rows = []
    for ind in detail.indicators:
        value, unit = _annual_value(ind)
        if value is None:
            continue
        stats = service.peers(db, user, (ind.name, unit), unit=unit, exclude_project_id=project_id)
        rows.append(
            {
                "ind": ind,
                "value": value,
                "unit": unit,
                "stats": stats,
                "rank": service.rank_of(value, stats),
                "chart": box(ind.name, stats, value),
            }
        )
    context = {"nav": "projects", "p": detail, "rows": rows}
    return render(request, "library/project_peers.html", context)
