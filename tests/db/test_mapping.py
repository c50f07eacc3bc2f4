"""ORM ↔ domain round trip: what is stored comes back equal (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from factories import create_org, create_project
from jixiao.db.mapping import project_to_domain
from jixiao.domain.enums import MoneyUnit, Operator, OrgKind, TargetKind
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.provenance import SourceRef
from jixiao.domain.target import TargetValue
from jixiao.services.projects import repository

_counter = itertools.count()

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
)
money = st.decimals(min_value=0, max_value=Decimal("99999999"), places=6, allow_nan=False)
exact = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)

quantitative = st.builds(
    TargetValue,
    raw=texts,
    kind=st.just(TargetKind.QUANTITATIVE),
    op=st.sampled_from(list(Operator)),
    value=exact,
    unit=st.none() | st.sampled_from(["%", "天", "台", "万元", "次/季度"]),
)
deadline = st.builds(
    TargetValue,
    raw=texts,
    kind=st.just(TargetKind.DEADLINE),
    deadline=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)
qualitative = st.builds(TargetValue, raw=texts, kind=st.just(TargetKind.QUALITATIVE))
targets = st.none() | quantitative | deadline | qualitative
levels = st.none() | st.builds(LevelRef, st.none() | st.sampled_from(["1", "11", "22"]), texts)
sources = st.builds(
    SourceRef,
    lines=st.lists(st.integers(1, 5000), max_size=3).map(tuple),
    raw_text=st.none() | texts,
)
indicators = st.builds(
    Indicator,
    name=texts,
    level1=levels,
    level2=levels,
    period=targets,
    annual=targets,
    source=sources,
    explanation=st.none() | texts,
    basis=st.none() | texts,
    weight=st.none() | st.integers(0, 100),
)
projects = st.builds(
    Project,
    name=texts,
    amounts=st.builds(
        Amounts,
        total=st.none() | money,
        fiscal=st.none() | money,
        special=st.none() | money,
        other=st.none() | money,
    ),
    goal=st.none() | texts,
    indicators=st.lists(indicators, max_size=6),
    source=sources,
    code=st.none() | st.text(alphabet="0123456789", min_size=1, max_size=12),
    unit_name=st.none() | texts,
    annual_goal=st.none() | texts,
)


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
