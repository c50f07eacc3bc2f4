"""Property-based run of schemathesis against the API's own OpenAPI schema: never a 500.

Bounded (few examples per operation) to keep the suite fast. Requests carry an admin token,
so the generated inputs reach the services rather than stopping at authentication. The schema
is loaded once through a small ASGI proxy that each test points at its own app (bound to the
test's rolled-back transaction).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy.orm import Session, sessionmaker

from factories import World, create_project, create_token
from jixiao.domain.enums import Role
from jixiao.settings import Settings
from jixiao.web.api import create_api_app


class AppProxy:
    """An ASGI app that forwards to whichever app the current test installed."""

    def __init__(self) -> None:
        self.app: Any = create_api_app(Settings(), sessionmaker())

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


PROXY = AppProxy()
schema = schemathesis.openapi.from_asgi("/openapi.json", PROXY)


@pytest.fixture
def admin_token(
    settings: Settings, session: Session, session_factory: sessionmaker[Session]
) -> str:
    world = World(session)
    for index in range(2):
        create_project(session, org=world.unit_a, name=f"样例项目{index}")
    token = create_token(session, user=world.users[Role.ADMIN])
    session.commit()
    PROXY.app = create_api_app(settings, session_factory)
    return token


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case: schemathesis.Case, admin_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"}, checks=[not_a_server_error]
    )
