"""Liveness and readiness.

``/health`` answers as long as the process serves requests (liveness; the baseline of the API
benchmark). ``/ready`` also asks the database (``SELECT 1``) and is 503 when it does not answer,
so a load balancer stops sending traffic while the database is down.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from jixiao import __version__

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str


class Ready(Health):
    database: str


@router.get("/health")
def health() -> Health:
    """The process is alive (the database is not asked)."""
    return Health(status="ok", version=__version__)


@router.get("/ready", responses={503: {"description": "数据库不可用"}})
def ready(request: Request) -> Ready:
    """The database answers; 503 (``unavailable``) when it refuses connections."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        session.execute(text("SELECT 1"))
    return Ready(status="ok", version=__version__, database="ok")
