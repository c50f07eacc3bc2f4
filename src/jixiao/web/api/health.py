"""A trivial endpoint (liveness; the baseline of the API benchmark)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from jixiao import __version__

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str


@router.get("/health")
def health() -> Health:
    return Health(status="ok", version=__version__)
