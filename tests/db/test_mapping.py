"""ORM ↔ domain round trip: what is stored comes back equal (hypothesis)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from sqlalchemy.orm import Session

from factories import create_org, create_project
from jixiao.db.mapping import project_to_domain
from jixiao.domain.enums import MoneyUnit, OrgKind
from jixiao.domain.project import Amounts, Project
from jixiao.services.projects import repository
from strategies import projects

_counter = itertools.count()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(project=projects)
def test_project_round_trips_through_the_database(session: Session, project: Project) -> None:
    org = create_org(session, name=f"单位{next(_counter)}", kind=OrgKind.DEPARTMENT)
    row = create_project(session, org=org, domain=project)
    session.expunge_all()
    loaded = repository.load_full(session, row.id)
    assert loaded is not None
    assert project_to_domain(loaded) == project


def test_money_is_stored_as_integer_fen(session: Session) -> None:
    org = create_org(session, name="金额单位", kind=OrgKind.DEPARTMENT)
    domain = Project(name="工资", amounts=Amounts(total=Decimal("1714.44")))
    row = create_project(session, org=org, domain=domain)
    stored = (
        session.connection()
        .exec_driver_sql(f"SELECT amount FROM funding_lines WHERE project_id = {row.id}")
        .scalar_one()
    )
    assert stored == 1_714_440_000
    assert isinstance(stored, int)
    assert row.money_unit is MoneyUnit.WAN_YUAN
