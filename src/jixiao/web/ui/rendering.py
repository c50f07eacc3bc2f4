"""Template rendering for the pages: one Jinja environment, full pages or HTMX fragments."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from jixiao.web.ui.formatting import FILTERS
from jixiao.web.ui.indicator_table import level_text

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.filters.update(FILTERS)
templates.env.filters["level_text"] = level_text
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
    "Referrer-Policy": "same-origin",
}


def page_url(request: Request, name: str, /, **params: Any) -> str:
    """The path of a page route of this app (never a same-named route of the mounted API)."""
    values = {k: str(v) for k, v in params.items()}
    path = _path_format(request.app, name, tuple(sorted(values))).format(**values)
    return str(request.scope.get("root_path", "")) + path


_FORMATS: weakref.WeakKeyDictionary[Any, dict[tuple[str, tuple[str, ...]], str]] = (
    weakref.WeakKeyDictionary()
)


def _path_format(app: Any, name: str, keys: tuple[str, ...]) -> str:
    """``/projects/{project_id}`` for a route name and its parameters, asked of the router once
    per app.

    The router tries every route in turn (milliseconds for each link of a page); the path with
    numbered stand-ins for the parameters, turned back into a format string, is remembered."""
    known = _FORMATS.setdefault(app, {})
    found = known.get((name, keys))
    if found is None:
        stand_ins = {key: f"90817{n}36452" for n, key in enumerate(keys)}
        found = str(app.url_path_for(name, **stand_ins))
        for key, stand_in in stand_ins.items():
            found = found.replace(stand_in, "{" + key + "}")
        known[(name, keys)] = found
    return found


@pass_context
def _url_for(context: dict[str, Any], name: str, /, **params: Any) -> str:
    return page_url(context["request"], name, **params)


templates.env.globals["url_for"] = _url_for


def is_htmx(request: Request) -> bool:
    """An HTMX request that wants a fragment (a history restore wants the whole page)."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render ``name`` with the page context (user, CSRF token, permissions) merged in."""
    page = dict(getattr(request.state, "page", {}))
    page.update(context or {})
    response = templates.TemplateResponse(request, name, page, status_code=status_code)
    response.headers.update({**SECURITY_HEADERS, **(headers or {})})
    return response


def toast(request: Request, message: str, kind: str = "error", status_code: int = 200) -> Response:
    """A toast fragment for HTMX requests, placed into ``#toasts`` whatever the target was."""
    headers = {"HX-Retarget": "#toasts", "HX-Reswap": "beforeend"}
    return render(
        request,
        "_partials/toast.html",
        {"message": message, "kind": kind},
        status_code=status_code,
        headers=headers,
    )
