"""The Chinese pages (Jinja2 + HTMX) over the same services as the API.

``create_ui_app(settings)`` builds the sub-application that ``jixiao.web.main`` mounts at ``/``.
One router module per area: auth, dashboard, projects, edit, imports, reviews, users.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from jixiao.db.session import make_engine, make_session_factory
from jixiao.settings import Settings
from jixiao.web.headers import SecurityHeadersMiddleware
from jixiao.web.limits import RequestLimitsMiddleware, refuse_nul_in_query
from jixiao.web.ui import (
    account,
    audit,
    auth,
    dashboard,
    dashboard_results,
    edit,
    edit_indicators,
    errors,
    evaluations,
    import_crops,
    imports,
    library,
    library_assist,
    library_book,
    monitoring,
    projects,
    reviews,
    users,
)
from jixiao.web.ui.csrf import AnonymousIdMiddleware
from jixiao.web.ui.rendering import TEMPLATE_DIR

STATIC_DIR = TEMPLATE_DIR.parent / "static"


def create_ui_app(
    settings: Settings, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    """The pages app; pass the main app's session factory to share its engine."""
    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(refuse_nul_in_query)],
    )
    app.state.settings = settings
    app.state.session_factory = session_factory or make_session_factory(make_engine(settings))
    app.add_middleware(AnonymousIdMiddleware)
    app.add_middleware(RequestLimitsMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.install(app)
    for module in (
        auth,
        account,
        audit,
        dashboard,
        projects,
        edit,
        edit_indicators,
        library_assist,
        imports,
        import_crops,
        reviews,
        users,
    ):
        app.include_router(module.router)
    for module in (monitoring, evaluations, dashboard_results, library_book, library):
        app.include_router(module.router)
    return app
