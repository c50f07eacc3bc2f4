"""The indicator library while writing targets (HTMX fragments of the edit page).

* ``/library/suggest``: as an indicator name is typed (one request per pause), a short list of
  library entries, the form's level-2 category first, each with its typical target and met rate;
* ``/library/rank``: where the typed annual value sits among the peers' targets;
* ``/library/pick``: the entries of one level-2 category, for "从指标库添加".

Picking an entry fills the form in the browser (``static/library.js``); nothing is saved here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jixiao.services import library
from jixiao.services.library.schemas import LibraryFilters
from jixiao.services.library.service import search_entries
from jixiao.services.pagination import PageParams
from jixiao.web.ui.context import DB, User, small_int
from jixiao.web.ui.rendering import render

router = APIRouter()

SUGGESTIONS = 6
PICKS = 30
Text = Annotated[str, Query(max_length=300)]


def _level2(category: str) -> str | None:
    """The level-2 name of the form's ``category`` value (``1|11|产出指标|数量指标``)."""
    parts = category.split("|")
    return parts[3] or None if len(parts) == 4 else None


def _form_id(form: str) -> str:
    return form if form.startswith("ind-") and form[4:].replace("new", "").isdigit() else "ind-new"


@router.get("/library/suggest", name="library_suggest")
def suggest(
    request: Request, db: DB, user: User, name: Text = "", category: Text = "", form: Text = ""
) -> Response:
    found = library.suggest(db, user, name, _level2(category), SUGGESTIONS) if name.strip() else []
    context = {"suggestions": found, "fid": _form_id(form), "typed": name.strip()}
    return render(request, "edit/_suggest.html", context)


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@router.get("/library/rank", name="library_rank")
def rank(
    request: Request,
    db: DB,
    user: User,
    name: Text = "",
    annual_value: Text = "",
    annual_unit: Text = "",
    library_entry: Text = "",
) -> Response:
    value = _number(annual_value)
    unit = annual_unit.strip() or None
    stats, position = None, None
    if value is not None and name.strip():
        entry = small_int(library_entry)
        stats = library.peers(db, user, entry if entry else (name, unit), unit=unit)
        position = library.rank_of(value, stats)
    context = {"stats": stats, "position": position, "value": value, "unit": unit}
    return render(request, "edit/_rank.html", context)


@router.get("/library/pick", name="library_pick")
def pick(request: Request, db: DB, user: User, category: Text = "") -> Response:
    level2 = _level2(category)
    entries = (
        search_entries(db, user, LibraryFilters(level2=level2), PageParams(size=PICKS))
        if level2
        else None
    )
    context = {"entries": entries.items if entries else [], "category": category, "level2": level2}
    return render(request, "edit/_library_pick.html", context)
