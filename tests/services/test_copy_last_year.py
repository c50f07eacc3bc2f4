"""Copy last year: next year's draft from an approved project, with last year's actual values
beside each target and the review rule on easy targets (JX041) fed by them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import World, create_project, make_indicator, make_project
from jixiao.db.models import AuditEntry, Project, ProjectCopy
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.errors import Conflict, Forbidden, NotFound
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.evaluations.service import save_self_evaluation, selfeval_template
from jixiao.services.indicators.schemas import IndicatorUpdate, TargetIn
from jixiao.services.indicators.service import update_indicator
from jixiao.services.projects.copy import copy_to_next_year
from jixiao.services.projects.service import get_project
from jixiao.services.reviews.service import rerun

CASES = make_indicator(name="执法办案立案数", period="≥1500宗", annual="≥1500宗")
RATE = make_indicator(
    name="检验报告合格率", level2=("12", "质量指标"), period="100%", annual="100%"
)
SATISFIED = make_indicator(
    name="服务对象满意度",
    level1=("3", "满意度指标"),
    level2=("31", "服务对象满意度"),
    period="≥90%",
    annual="≥90%",
)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def approved(session: Session, world: World, year: int = 2023) -> Project:
    domain = make_project(name="市场监管执法办案经费", indicators=[CASES, RATE, SATISFIED])
    domain.annual_goal = "全年立案查处违法案件不少于1500宗。"
    return create_project(
        session, org=world.unit_a, year=year, status=ProjectStatus.APPROVED, domain=domain
    )


def evaluate(session: Session, world: World, project: Project, actuals: list[str]) -> None:
    unit = world.actor(Role.UNIT_EDITOR)
    entry: dict[str, Any] = selfeval_template(session, unit, project.id)
    entry["funds"] = [{**entry["funds"][0], "executed": "120"}]
    entry["indicators"] = [
        {**row, "actual": actual} for row, actual in zip(entry["indicators"], actuals, strict=True)
    ]
    save_self_evaluation(session, unit, project.id, SelfEvaluationIn(year=2023, entry=entry))


def test_copy_makes_next_years_draft_with_last_years_actuals(
    session: Session, world: World
) -> None:
    source = approved(session, world)
    evaluate(session, world, source, ["1650", "100", "95"])
    before = get_project(session, world.actor(Role.ADMIN), source.id)

    draft = copy_to_next_year(session, world.actor(Role.UNIT_EDITOR), source.id)

    assert (draft.year, draft.status, draft.name) == (2024, ProjectStatus.DRAFT, source.name)
    assert (draft.version, draft.edition, draft.org_id) == (1, 1, source.org_id)
    assert draft.amounts == before.amounts
    assert (draft.goal, draft.annual_goal) == (before.goal, before.annual_goal)
    assert [(i.name, i.annual and i.annual.raw) for i in draft.indicators] == [
        (i.name, i.annual and i.annual.raw) for i in before.indicators
    ]
    assert draft.copied_from is not None
    assert draft.copied_from.id == source.id
    assert "edit" in draft.allowed
    last = {i.name: i.last_year for i in draft.indicators}
    assert last["执法办案立案数"] is not None
    assert (last["执法办案立案数"].target, last["执法办案立案数"].actual) == ("≥1500宗", "1650宗")
    assert last["执法办案立案数"].value == Decimal("1650")
    assert last["服务对象满意度"] is not None
    assert last["服务对象满意度"].actual == "95%"
    # History starts anew: one version, naming its source.
    assert [(v.kind, v.edition) for v in draft.versions] == [("copy", 1)]
    assert "2023 年度" in (draft.versions[0].reason or "")
    assert source.name in (draft.versions[0].reason or "")
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "project.copy")).all()
    assert [a.object_id for a in audit] == [draft.id]
    # The source is untouched.
    after = get_project(session, world.actor(Role.ADMIN), source.id)
    assert (after.status, after.version, after.year) == (before.status, before.version, 2023)


def test_easy_targets_are_found_with_last_years_evidence(session: Session, world: World) -> None:
    source = approved(session, world)
    evaluate(session, world, source, ["1650", "100", "95"])
    draft = copy_to_next_year(session, world.actor(Role.UNIT_EDITOR), source.id)
    easy = {f.indicator_name: f for f in draft.findings if f.rule == "JX041"}
    # 1500 ≤ 1650 done last year, ≥90% ≤ 95% satisfied; 100% can rise no further.
    assert sorted(easy) == ["执法办案立案数", "服务对象满意度"]
    assert easy["执法办案立案数"].evidence == {
        "年度指标值": "≥1500宗",
        "上年指标值": "≥1500宗",
        "上年实际完成值": "1650宗",
    }
    assert "1650宗" in easy["执法办案立案数"].message

    # Raising the target above last year's actual clears the finding.
    unit = world.actor(Role.UNIT_EDITOR)
    ind = next(i for i in draft.indicators if i.name == "执法办案立案数")
    update = IndicatorUpdate(
        version=ind.version,
        level1_code="1",
        level1_name="产出指标",
        level2_code="11",
        level2_name="数量指标",
        name=ind.name,
        period=TargetIn(raw="≥1700宗"),
        annual=TargetIn(raw="≥1700宗"),
    )
    update_indicator(session, unit, ind.id, update)
    found = rerun(session, unit, draft.id)
    assert sorted(f.indicator_name or "" for f in found if f.rule == "JX041") == ["服务对象满意度"]


def test_without_a_self_evaluation_last_years_target_is_shown_and_nothing_judged(
    session: Session, world: World
) -> None:
    source = approved(session, world)
    draft = copy_to_next_year(session, world.actor(Role.DEPT_REVIEWER), source.id)
    cases = next(i for i in draft.indicators if i.name == "执法办案立案数")
    assert cases.last_year is not None
    assert (cases.last_year.target, cases.last_year.actual, cases.last_year.value) == (
        "≥1500宗",
        None,
        None,
    )
    assert not [f for f in draft.findings if f.rule == "JX041"]


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.SUBMITTED])
def test_only_an_approved_project_is_copied(
    session: Session, world: World, status: ProjectStatus
) -> None:
    project = create_project(session, org=world.unit_a, status=status)
    with pytest.raises(Conflict, match="只能复制已批复的项目"):
        copy_to_next_year(session, world.actor(Role.UNIT_EDITOR), project.id)
    assert "copy" not in get_project(session, world.actor(Role.UNIT_EDITOR), project.id).allowed


def test_a_published_project_is_copied_too(session: Session, world: World) -> None:
    source = approved(session, world)
    source.status = ProjectStatus.PUBLISHED
    session.flush()
    assert copy_to_next_year(session, world.actor(Role.ADMIN), source.id).year == 2024


def test_copying_twice_is_refused_even_after_a_rename(session: Session, world: World) -> None:
    source = approved(session, world)
    unit = world.actor(Role.UNIT_EDITOR)
    draft = copy_to_next_year(session, unit, source.id)
    with pytest.raises(Conflict, match="已从本项目复制出 2024 年度") as refused:
        copy_to_next_year(session, unit, source.id)
    assert refused.value.current == {"project_id": draft.id}
    session.get_one(Project, draft.id).name = "改名后的项目"
    session.flush()
    with pytest.raises(Conflict, match="已从本项目复制出 2024 年度的“改名后的项目”"):
        copy_to_next_year(session, unit, source.id)


def test_an_existing_project_of_the_same_name_next_year_is_refused(
    session: Session, world: World
) -> None:
    source = approved(session, world)
    create_project(session, org=world.unit_a, year=2024, name=source.name)
    with pytest.raises(Conflict, match="2024 年度已有同名项目"):
        copy_to_next_year(session, world.actor(Role.UNIT_EDITOR), source.id)
    assert session.scalar(select(ProjectCopy.id).where(ProjectCopy.source_id == source.id)) is None


@pytest.mark.parametrize(
    ("role", "error"),
    [
        (Role.VIEWER, Forbidden),
        (Role.FINANCE_REVIEWER, Forbidden),
        (Role.AUDIT_ADMIN, Forbidden),
        (Role.SECURITY_ADMIN, NotFound),
    ],
)
def test_roles_that_may_not_create_projects_are_refused(
    session: Session, world: World, role: Role, error: type[Exception]
) -> None:
    source = approved(session, world)
    with pytest.raises(error):
        copy_to_next_year(session, world.actor(role), source.id)
    if error is Forbidden:
        assert "copy" not in get_project(session, world.actor(role), source.id).allowed


def test_another_departments_editor_cannot_copy(session: Session, world: World) -> None:
    other = create_project(session, org=world.unit_b, status=ProjectStatus.APPROVED)
    with pytest.raises(NotFound):
        copy_to_next_year(session, world.actor(Role.UNIT_EDITOR), other.id)
    with pytest.raises(NotFound):
        copy_to_next_year(session, world.actor(Role.DEPT_REVIEWER), other.id)
