"""Bulk writes: reserved ids are unused, values are stored as the ORM stores them, and a
refused row is refused as SQLAlchemy reports any refused statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factories import create_org, create_project
from jixiao.db.base import utcnow
from jixiao.db.bulk import insert_rows, new_ids
from jixiao.db.models import FundingLine, Indicator, Project, TargetValueRow
from jixiao.domain.enums import FundSource, Operator, OrgKind, TargetKind, TargetPeriod
from jixiao.domain.money import Money


@pytest.fixture
def project(session: Session) -> Project:
    org = create_org(session, name="批量单位", kind=OrgKind.DEPARTMENT)
    return create_project(session, org=org)


def test_reserved_ids_are_new_and_distinct(session: Session, project: Project) -> None:
    ids = new_ids(session, Indicator, 50)
    assert len(set(ids)) == 50
    taken = set(session.scalars(select(Indicator.id)))
    assert not taken & set(ids)
    now = utcnow()
    rows = [
        {"id": i, "project_id": project.id, "position": n, "name": f"指标{n}", "version": 1}
        | {"created_at": now, "updated_at": now, "source": {"lines": [n + 1]}}
        for n, i in enumerate(ids)
    ]
    insert_rows(session, Indicator, rows)
    assert new_ids(session, Indicator, 1)[0] not in taken | set(ids)


def test_values_come_back_as_the_orm_writes_them(session: Session, project: Project) -> None:
    (indicator_id,) = new_ids(session, Indicator, 1)
    now = utcnow()
    insert_rows(
        session,
        Indicator,
        [
            {
                "id": indicator_id,
                "project_id": project.id,
                "position": 9,
                "name": "满意度",
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "source": {"cells": ["表1 第3行第2列"]},
            }
        ],
    )
    target = {
        "indicator_id": indicator_id,
        "raw": "≥95.50%",
        "kind": TargetKind.QUANTITATIVE,
        "op": Operator.GE,
        "value": Decimal("95.50"),
        "unit": "%",
        "deadline": date(2023, 12, 31),
    }
    insert_rows(session, TargetValueRow, [{"period": TargetPeriod.PERIOD, **target}])
    session.expire_all()
    row = session.scalars(
        select(TargetValueRow).where(TargetValueRow.indicator_id == indicator_id)
    ).one()
    assert (row.kind, row.op, row.value, row.deadline) == (
        TargetKind.QUANTITATIVE,
        Operator.GE,
        Decimal("95.50"),
        date(2023, 12, 31),
    )
    assert str(row.value) == "95.50"
    indicator = session.get(Indicator, indicator_id)
    assert indicator is not None
    assert indicator.source == {"cells": ["表1 第3行第2列"]}
    assert indicator.created_at == now


def test_a_refused_row_raises_integrity_error_and_writes_nothing(
    session: Session, project: Project
) -> None:
    duplicate = [
        {"project_id": project.id, "source": FundSource.SPECIAL, "amount": Money(1)},
        {"project_id": project.id, "source": FundSource.SPECIAL, "amount": Money(2)},
    ]
    before = set(session.scalars(select(FundingLine.id)))
    with pytest.raises(IntegrityError), session.begin_nested():
        insert_rows(session, FundingLine, duplicate)
    assert set(session.scalars(select(FundingLine.id))) == before
