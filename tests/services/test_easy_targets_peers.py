"""JX041 weighs the peers' targets from the indicator library: a higher-is-better target below
the peers' lower quartile (a lower-is-better one above the upper quartile) is found, with the
peers' figures as evidence; with too few peers, another unit or another category, nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factories import World, create_project, make_indicator, make_project
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.library import refresh_project
from jixiao.services.reviews.service import rerun

QUANTITY = ("11", "数量指标")
TIMELINESS = ("13", "时效指标")


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _peers(session: Session, world: World, targets: list[tuple[str, tuple[str, str], str]]) -> None:
    for i, (name, level2, target) in enumerate(targets):
        ind = make_indicator(name=name, level2=level2, period=target, annual=target)
        domain = make_project(name=f"{name}同类项目{i}", indicators=[ind])
        org = world.unit_b if i % 2 else world.unit_a
        row = create_project(session, org=org, status=ProjectStatus.APPROVED, domain=domain)
        refresh_project(session, row.id)


def _draft(
    session: Session,
    world: World,
    indicators: list[tuple[str, tuple[str, str], str]],
    name: str = "本单位培训项目",
) -> int:
    domain = make_project(
        name=name,
        indicators=[
            make_indicator(name=n, level2=l2, period=t, annual=t) for n, l2, t in indicators
        ],
    )
    return create_project(session, org=world.unit_a, domain=domain).id


def _easy(session: Session, world: World, project_id: int) -> dict[str, dict[str, str]]:
    found = rerun(session, world.actor(Role.UNIT_EDITOR), project_id)
    return {f.indicator_name or "": f.evidence for f in found if f.rule == "JX041"}


def test_targets_below_the_peers_lower_quartile_are_found(session: Session, world: World) -> None:
    trained = [("培训人次", QUANTITY, f"≥{v}人次") for v in (100, 200, 300, 400, 500)]
    handled = [("投诉处理时长", TIMELINESS, f"≤{v}天") for v in (3, 4, 5, 6, 7)]
    _peers(session, world, trained + handled)
    project_id = _draft(
        session,
        world,
        [
            ("培训 人次", QUANTITY, "≥150人次"),  # below p25 = 200
            ("投诉处理时长", TIMELINESS, "≤10天"),  # above p75 = 6
        ],
    )
    easy = _easy(session, world, project_id)
    assert easy == {
        "培训 人次": {
            "年度指标值": "≥150人次",
            "同类目标数": "5",
            "同类下四分位数": "200人次",
            "同类中位数": "300人次",
            "同类上四分位数": "400人次",
        },
        "投诉处理时长": {
            "年度指标值": "≤10天",
            "同类目标数": "5",
            "同类下四分位数": "4天",
            "同类中位数": "5天",
            "同类上四分位数": "6天",
        },
    }


def test_targets_within_the_peers_or_with_too_few_are_not(session: Session, world: World) -> None:
    _peers(session, world, [("培训人次", QUANTITY, f"≥{v}人次") for v in (100, 200, 300, 400, 500)])
    _peers(session, world, [("资料印刷", QUANTITY, f"≥{v}份") for v in (100, 200, 300, 400)])
    project_id = _draft(
        session,
        world,
        [
            ("培训人次", QUANTITY, "≥200人次"),  # at p25: not below
            ("培训人次", TIMELINESS, "≥50人次"),  # another category: another entry, no peers
            ("资料印刷", QUANTITY, "≥10份"),  # four peers: fewer than min_peer_count (5)
        ],
    )
    assert _easy(session, world, project_id) == {}
    other_unit = _draft(session, world, [("培训人次", QUANTITY, "≥1人")], "按人计的项目")
    assert _easy(session, world, other_unit) == {}


def test_a_project_is_not_its_own_peer(session: Session, world: World) -> None:
    _peers(session, world, [("培训人次", QUANTITY, f"≥{v}人次") for v in (300, 400, 500, 600)])
    domain = make_project(
        name="已批复项目",
        indicators=[make_indicator(name="培训人次", period="≥100人次", annual="≥100人次")],
    )
    row = create_project(session, org=world.unit_a, status=ProjectStatus.APPROVED, domain=domain)
    refresh_project(session, row.id)
    # five occurrences in the library, but only four are this project's peers
    assert _easy(session, world, row.id) == {}
