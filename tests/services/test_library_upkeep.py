"""The library kept up import by import says what a recount of every occurrence says.

Each import rewrites the occurrences of its projects and recounts the entries they touch from
the database's grouping of their occurrences. Random documents drawn from a few names, units
and values (so that entries recur, tie and change their most common wording) are imported one
after another; every entry's summary must then equal the summary computed directly from all of
its occurrences, and a full rebuild must change nothing.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import make_document
from jixiao.db.models import LibraryEntry, LibraryOccurrence
from jixiao.domain.enums import Direction, Operator, TargetKind
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.library import distribution
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import TargetValue
from jixiao.services.imports.service import Upload, apply_import
from jixiao.services.library import rebuild
from jixiao.services.principal import SYSTEM

_files = itertools.count()

targets = st.builds(
    TargetValue,
    raw=st.sampled_from(["≥95%", "100%", "≤3天", "好"]),
    kind=st.sampled_from([TargetKind.QUANTITATIVE, TargetKind.QUALITATIVE]),
    op=st.none() | st.sampled_from([Operator.GE, Operator.LE]),
    value=st.none() | st.sampled_from([Decimal("95"), Decimal("100"), Decimal("3")]),
    unit=st.none() | st.sampled_from(["%", "天"]),
)
indicators = st.builds(
    Indicator,
    name=st.sampled_from(["群众满意度", "群众满意度 ", "办结率", "办结率数"]),
    level1=st.just(LevelRef("1", "产出指标")),
    level2=st.sampled_from([LevelRef("11", "数量指标"), LevelRef("12", "质量指标")]),
    annual=targets,
)
projects = st.builds(
    Project,
    name=st.text(alphabet="甲乙丙丁", min_size=1, max_size=4),
    amounts=st.just(Amounts(total=Decimal("1"))),
    indicators=st.lists(indicators, min_size=1, max_size=5),
)
documents = st.lists(
    st.tuples(st.sampled_from(["甲局", "乙局"]), st.lists(projects, min_size=1, max_size=3)),
    min_size=1,
    max_size=4,
)


def summaries(session: Session) -> dict[int, tuple[Any, ...]]:
    session.flush()
    entries = session.scalars(select(LibraryEntry).order_by(LibraryEntry.id))
    return {
        e.id: (
            e.occurrence_count,
            e.name,
            e.unit,
            e.op,
            e.direction,
            e.typical,
            e.met_count,
            e.evaluated_count,
        )
        for e in entries
    }


def commonest(items: list[Any]) -> Any:
    """The most frequent item; of those tied, None, else the first by its text."""
    if not items:
        return None
    best = max(items.count(i) for i in items)
    tied = {i for i in items if items.count(i) == best}
    return None if None in tied else min(tied, key=str)


def recounted(session: Session) -> dict[int, tuple[Any, ...]]:
    """Every entry's summary straight from all of its occurrences."""
    rows = session.scalars(select(LibraryOccurrence).order_by(LibraryOccurrence.id)).all()
    out = {}
    for entry_id in sorted({r.entry_id for r in rows}):
        mine = [r for r in rows if r.entry_id == entry_id]
        numbers = [r for r in mine if r.kind is TargetKind.QUANTITATIVE]
        unit = commonest([r.unit for r in numbers])
        directed = [r.direction for r in mine if r.direction is not Direction.NEUTRAL]
        values = [r.value for r in numbers if r.unit == unit and r.value is not None]
        found = distribution(values, unit)
        out[entry_id] = (
            len(mine),
            commonest([r.name for r in mine]),
            unit,
            commonest([r.op for r in numbers]),
            commonest(directed) or Direction.NEUTRAL,
            None if found is None else found.median,
            sum(1 for r in mine if r.met is True),
            sum(1 for r in mine if r.met is not None),
        )
    return out


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(documents)
def test_entries_kept_up_by_imports_equal_a_recount(
    session: Session, imports: list[tuple[str, list[Project]]]
) -> None:
    nested = session.begin_nested()
    try:
        for department, found in imports:
            doc = make_document(department=department, projects=found)
            apply_import(
                session,
                SYSTEM,
                Upload(f"{next(_files)}".encode(), "t.txt", 2023),
                reader=lambda data, name, doc=doc: doc,
            )
        kept = summaries(session)
        assert kept == recounted(session)
        rebuild(session)
        assert summaries(session) == kept
    finally:
        nested.rollback()
