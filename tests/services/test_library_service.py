"""The indicator library service: kept on write, exact peers, suggestions, scope, curation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import World, create_project, make_indicator, make_project
from jixiao.db.models import LibraryEntry, LibraryOccurrence, Organisation
from jixiao.domain.enums import Direction, ProjectStatus, Role
from jixiao.services.errors import Forbidden, StaleVersion
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.evaluations.service import save_self_evaluation, selfeval_template
from jixiao.services.library import peers, rank_of, rebuild, refresh_project, suggest
from jixiao.services.library.schemas import Curation, LibraryFilters
from jixiao.services.library.service import (
    curate,
    department_ease,
    get_entry,
    search_entries,
)
from jixiao.services.pagination import PageParams
from jixiao.services.workflow.service import transition

D = Decimal
QUANTITY = ("11", "数量指标")
TIMELINESS = ("13", "时效指标")


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _project(
    session: Session, org: Organisation, name: str, indicators: list[tuple[str, Any, str]]
) -> int:
    domain = make_project(
        name=name,
        indicators=[
            make_indicator(name=n, level2=l2, level1=("1", "产出指标"), period=t, annual=t)
            for n, l2, t in indicators
        ],
    )
    row = create_project(session, org=org, status=ProjectStatus.APPROVED, domain=domain)
    refresh_project(session, row.id)
    return row.id


@pytest.fixture
def corpus(session: Session, world: World) -> dict[str, int]:
    return {
        "a1": _project(
            session,
            world.unit_a,
            "甲培训一",
            [("培训人次", QUANTITY, "≥100人次"), ("投诉处理时长", TIMELINESS, "≤5天")],
        ),
        "a2": _project(session, world.unit_a, "甲培训二", [("培训 人次", QUANTITY, "≥200人次")]),
        "b1": _project(session, world.unit_b, "乙培训一", [("培训人次", QUANTITY, "≥300人次")]),
        "b2": _project(session, world.unit_b, "乙培训二", [("培训人次", QUANTITY, "≥400人次")]),
        "b3": _project(session, world.unit_b, "乙培训三", [("培训人次", QUANTITY, "≥12次")]),
        "b4": _project(session, world.unit_b, "乙培训四", [("培训人次", QUANTITY, "效果明显")]),
    }


def _entry_id(session: Session, key: str, level2: str) -> int:
    found = session.scalar(
        select(LibraryEntry.id).where(
            LibraryEntry.name_key == key, LibraryEntry.level2_key == level2
        )
    )
    assert found is not None
    return found


def test_peers_are_exact_per_unit_and_never_pool_words(
    session: Session, world: World, corpus: dict[str, int]
) -> None:
    unit = world.actor(Role.UNIT_EDITOR)
    stats = peers(session, unit, _entry_id(session, "培训人次", "数量"))
    assert stats.unit == "人次"
    assert stats.count == 6
    assert stats.numeric_count == 4
    # 100 200 300 400: positions 0.75, 1.5, 2.25 → 175, 250, 325
    assert (stats.minimum, stats.p25, stats.median, stats.p75, stats.maximum) == (
        D(100),
        D(175),
        D(250),
        D(325),
        D(400),
    )
    assert [(u.unit, u.count) for u in stats.other_units] == [("次", 1)]
    assert [(w.text, w.count) for w in stats.wordings] == [("效果明显", 1)]
    assert rank_of(D(350), stats) == 75
    assert rank_of(D(300), stats) == 62  # 2 below + ½ tie of 4 = 62.5 → 62 (half to even)
    # the same figures by (name, unit), and one project left out of its own peers
    by_name = peers(session, unit, ("培训人次数", "人次"), exclude_project_id=corpus["a1"])
    assert (by_name.numeric_count, by_name.median) == (3, D(300))


def test_examples_name_only_readable_projects(
    session: Session, world: World, corpus: dict[str, int]
) -> None:
    entry = _entry_id(session, "培训人次", "数量")
    unit_a = peers(session, world.actor(Role.UNIT_EDITOR), entry)
    assert {e.project_name for e in unit_a.examples} == {"甲培训一", "甲培训二"}
    finance = peers(session, world.actor(Role.FINANCE_REVIEWER), entry)
    assert len(finance.examples) == 6
    with pytest.raises(Forbidden):
        peers(session, world.actor(Role.SECURITY_ADMIN), entry)


def test_met_rate_from_self_evaluations_with_a_reverse_indicator(
    session: Session, world: World, corpus: dict[str, int]
) -> None:
    unit = world.actor(Role.UNIT_EDITOR)
    template = selfeval_template(session, unit, corpus["a1"])
    training, complaints = template["indicators"]
    entry = dict(template)
    entry["funds"] = [{**template["funds"][0], "executed": "100"}]
    entry["indicators"] = [{**training, "actual": "120"}, {**complaints, "actual": "6"}]
    save_self_evaluation(session, unit, corpus["a1"], SelfEvaluationIn(year=2023, entry=entry))
    training_stats = peers(session, unit, _entry_id(session, "培训人次", "数量"))
    assert (training_stats.met.met, training_stats.met.evaluated) == (1, 1)
    assert training_stats.met.rate == D("100.0")
    slow = peers(session, unit, _entry_id(session, "投诉处理时长", "时效"))
    assert slow.direction is Direction.REVERSE
    assert (slow.met.met, slow.met.evaluated, slow.met.rate) == (0, 1, D("0.0"))


def test_suggestions_prefer_the_level2_category_and_carry_typical_targets(
    session: Session, world: World, corpus: dict[str, int]
) -> None:
    _project(session, world.unit_b, "乙培训五", [("培训满意度", ("31", "服务对象满意度"), "≥90%")])
    unit = world.actor(Role.UNIT_EDITOR)
    got = suggest(session, unit, "培训", "数量指标")
    assert [s.name for s in got] == ["培训人次", "培训满意度"]
    first = got[0]
    assert (first.unit, first.typical, first.typical_text, first.count) == (
        "人次",
        D(250),
        "≥250人次",
        6,
    )
    assert suggest(session, unit, "培训", "服务对象满意度")[0].name == "培训满意度"
    assert [s.name for s in suggest(session, unit, "诉处理时", None)] == ["投诉处理时长"]
    assert suggest(session, unit, "  ", None) == []


def test_workflow_and_rebuild_keep_the_same_occurrences(session: Session, world: World) -> None:
    project = create_project(session, org=world.unit_a)
    count = select(func.count(LibraryOccurrence.id)).where(
        LibraryOccurrence.project_id == project.id
    )
    assert session.scalar(count) == 0
    transition(session, world.actor(Role.UNIT_EDITOR), project.id, "submit")
    transition(session, world.actor(Role.DEPT_REVIEWER), project.id, "dept_approve")
    transition(session, world.actor(Role.FINANCE_REVIEWER), project.id, "finance_approve")
    assert session.scalar(count) == 2
    before = _occurrences(session)
    assert rebuild(session) == len(before)
    assert _occurrences(session) == before
    transition(session, world.actor(Role.UNIT_EDITOR), project.id, "adjust", comment="调整")
    assert session.scalar(count) == 0
    # entries without occurrences and without curation are gone
    assert session.scalar(select(func.count(LibraryEntry.id))) == 0


def _occurrences(session: Session) -> list[tuple[Any, ...]]:
    rows = session.execute(
        select(
            LibraryOccurrence.indicator_id,
            LibraryEntry.name_key,
            LibraryOccurrence.value,
            LibraryOccurrence.unit,
            LibraryOccurrence.source,
            LibraryOccurrence.met,
        ).join(LibraryEntry, LibraryEntry.id == LibraryOccurrence.entry_id)
    )
    return sorted(tuple(r) for r in rows)


def test_curation_by_allowed_roles_with_versions(
    session: Session, world: World, corpus: dict[str, int]
) -> None:
    entry_id = _entry_id(session, "培训人次", "数量")
    data = Curation(
        version=1,
        recommended=True,
        sectors=[" 教育 ", "教育", "人社"],
        explanation=" 年度参训人次 ",
    )
    with pytest.raises(Forbidden):
        curate(session, world.actor(Role.UNIT_EDITOR), entry_id, data)
    out = curate(session, world.actor(Role.FINANCE_REVIEWER), entry_id, data)
    assert (out.recommended, out.sectors, out.explanation, out.version) == (
        True,
        ["教育", "人社"],
        "年度参训人次",
        2,
    )
    with pytest.raises(StaleVersion):
        curate(session, world.actor(Role.ADMIN), entry_id, data)
    # curated fields survive a rebuild; the filters find the entry by sector
    rebuild(session)
    viewer = world.actor(Role.VIEWER)
    assert get_entry(session, viewer, entry_id).explanation == "年度参训人次"
    page = search_entries(session, viewer, LibraryFilters(sector="人社"), PageParams())
    assert [e.id for e in page.items] == [entry_id]
    by_year = search_entries(session, viewer, LibraryFilters(year=2022), PageParams())
    assert by_year.total == 0


def test_departments_below_the_peers_median(
    session: Session, world: World, corpus: dict[str, int]
) -> None:
    for i, value in enumerate((150, 250, 350)):
        _project(session, world.unit_b, f"乙补充{i}", [("培训人次", QUANTITY, f"≥{value}人次")])
    # 人次 targets 100 150 200 250 300 350 400: median 250
    ease = {d.department_name: d for d in department_ease(session, world.actor(Role.ADMIN))}
    assert (ease["甲部门"].compared, ease["甲部门"].below_median) == (2, 2)
    assert (ease["乙部门"].compared, ease["乙部门"].below_median) == (5, 1)
    mine = department_ease(session, world.actor(Role.DEPT_REVIEWER))
    assert [d.department_name for d in mine] == ["甲部门"]
