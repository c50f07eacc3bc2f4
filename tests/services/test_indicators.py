"""Indicator edits: validation by the framework and the value grammar, versions, order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import World, create_project, make_indicator, make_project
from jixiao.db.models import AuditEntry
from jixiao.domain.enums import Operator, Role, TargetKind
from jixiao.services.errors import StaleVersion, ValidationFailed
from jixiao.services.indicators.schemas import (
    IndicatorCreate,
    IndicatorOrder,
    IndicatorUpdate,
    TargetIn,
)
from jixiao.services.indicators.service import (
    create_indicator,
    delete_indicator,
    move_indicator,
    reorder_indicators,
    update_indicator,
)
from jixiao.services.projects.service import get_project


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_create_completes_level_names_and_parses_values(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    data = IndicatorCreate(
        level2_code="13",
        name="办结时限",
        period=TargetIn(raw="≤5个工作日"),
        annual=TargetIn(kind=TargetKind.QUANTITATIVE, op=Operator.LE, value=Decimal(3), unit="天"),
        position=0,
    )
    out = create_indicator(session, world.actor(Role.UNIT_EDITOR), project.id, data)
    assert (out.level1_code, out.level1_name, out.level2_name) == ("1", "产出指标", "时效指标")
    assert out.period is not None
    assert out.period.raw == "≤5个工作日"
    assert out.annual is not None
    assert (out.annual.op, out.annual.value, out.annual.text) == (
        Operator.LE,
        Decimal(3),
        "≤3天",
    )
    detail = get_project(session, world.actor(Role.UNIT_EDITOR), project.id)
    by_position = sorted(detail.indicators, key=lambda i: i.position)
    assert by_position[0].name == "办结时限"
    assert [i.position for i in by_position] == [0, 1, 2]


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (
            {"level1_code": "3", "level2_code": "12", "name": "x", "annual": {"raw": "1"}},
            {"level2_code"},
        ),
        ({"level2_code": "99", "name": "x", "annual": {"raw": "1"}}, {"level2_code"}),
        ({"level2_code": "11", "name": "  ", "annual": {"raw": "1"}}, {"name"}),
        ({"level2_code": "11", "name": "x"}, {"annual"}),
        ({"level2_code": "11", "name": "x", "annual": {"kind": "quantitative"}}, {"annual"}),
        (
            {
                "level2_code": "11",
                "name": "x",
                "period": {"kind": "deadline"},
                "annual": {"raw": "1"},
            },
            {"period"},
        ),
    ],
)
def test_invalid_input_is_reported_by_field(
    session: Session, world: World, data: dict[str, object], fields: set[str]
) -> None:
    project = create_project(session, org=world.unit_a)
    with pytest.raises(ValidationFailed) as err:
        create_indicator(
            session, world.actor(Role.UNIT_EDITOR), project.id, IndicatorCreate.model_validate(data)
        )
    assert set(err.value.fields) == fields


def test_update_names_the_version_and_is_audited(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    indicator = project.indicators[0]
    unit = world.actor(Role.UNIT_EDITOR)
    data = IndicatorUpdate(
        version=1, level2_code="11", name="服务天数", annual=TargetIn(raw="300天")
    )
    out = update_indicator(session, unit, indicator.id, data)
    assert (out.version, out.annual and out.annual.value, out.period) == (2, Decimal(300), None)
    with pytest.raises(StaleVersion):
        update_indicator(session, unit, indicator.id, data)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "indicator.update"))
    assert entry is not None
    assert entry.before is not None
    assert entry.before["annual"]["raw"] == "365天"
    assert entry.after is not None
    assert entry.after["annual"]["raw"] == "300天"


def test_move_within_a_category(session: Session, world: World) -> None:
    indicators = [make_indicator(name=name) for name in ("服务天数", "服务人次", "覆盖街道")]
    project = create_project(session, org=world.unit_a, domain=make_project(indicators=indicators))
    ids = [i.id for i in project.indicators]
    unit = world.actor(Role.UNIT_EDITOR)
    moved = move_indicator(session, unit, project.id, ids[2], -1)
    assert [i.id for i in moved] == [ids[0], ids[2], ids[1]]
    assert [i.id for i in move_indicator(session, unit, project.id, ids[0], -1)] == [
        ids[0],
        ids[2],
        ids[1],
    ]
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "indicator.reorder"))
    assert [e.after for e in entries] == [{"order": [ids[0], ids[2], ids[1]]}]


def test_delete_and_reorder(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    first, second = project.indicators
    unit = world.actor(Role.UNIT_EDITOR)
    stored = [first.id, second.id]
    with pytest.raises(ValidationFailed):
        reorder_indicators(
            session, unit, project.id, IndicatorOrder(ids=[first.id], expected=stored)
        )
    with pytest.raises(StaleVersion) as stale:
        reorder_indicators(
            session, unit, project.id, IndicatorOrder(ids=stored, expected=stored[::-1])
        )
    assert stale.value.current == {"order": stored}
    swapped = IndicatorOrder(ids=stored[::-1], expected=stored)
    order = reorder_indicators(session, unit, project.id, swapped)
    assert [i.id for i in order] == [second.id, first.id]
    with pytest.raises(StaleVersion):
        delete_indicator(session, unit, second.id, version=5)
    delete_indicator(session, unit, second.id, version=1)
    detail = get_project(session, unit, project.id)
    assert [(i.id, i.position) for i in detail.indicators] == [(first.id, 0)]
