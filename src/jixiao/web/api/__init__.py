"""The JSON API (mounted at ``/api/v1``): one router module per aggregate."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from jixiao import __version__
from jixiao.settings import Settings
from jixiao.web import errors
from jixiao.web.api import (
    audit,
    docs,
    evaluations,
    findings,
    health,
    imports,
    indicators,
    library,
    monitoring,
    organisations,
    projects,
    session,
    users,
)
from jixiao.web.headers import DOCS_CSP, SecurityHeadersMiddleware
from jixiao.web.limits import RequestLimitsMiddleware, refuse_nul_in_query

ROUTERS = (
    health,
    session,
    organisations,
    projects,
    indicators,
    findings,
    imports,
    audit,
    users,
    monitoring,
    evaluations,
    library,
)


def create_api_app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    """The API sub-application with the canonical error handlers."""
    app = FastAPI(
        title="jixiao API",
        version=__version__,
        description="预算项目支出绩效目标：项目、指标、导入、审核问题、流程、审计与用户。",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_nul_in_query)],
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    errors.install(app)
    app.add_middleware(RequestLimitsMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings, csp={docs.DOCS_PATH: DOCS_CSP})
    app.mount("/static", StaticFiles(directory=docs.STATIC_DIR), name="static")
    app.include_router(docs.router)
    for module in ROUTERS:
        app.include_router(module.router)
    return app
