"""The indicator library over the JSON API: suggest, search, entry, peers with rank, curation."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_project, create_token, make_indicator, make_project
from jixiao.domain.enums import ProjectStatus, Role
from jixiao.services.library import refresh_project


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _headers(session: Session, world: World, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, user=world.users[role])}"}


def _corpus(session: Session, world: World) -> None:
    for i, (org, value) in enumerate(
        [(world.unit_a, 90), (world.unit_b, 95), (world.unit_b, 98), (world.unit_b, 99)]
    ):
        ind = make_indicator(
            name="验收合格率", level2=("12", "质量指标"), period=f"≥{value}%", annual=f"≥{value}%"
        )
        domain = make_project(name=f"项目{i}", indicators=[ind])
        row = create_project(session, org=org, status=ProjectStatus.APPROVED, domain=domain)
        refresh_project(session, row.id)


def test_suggest_search_entry_and_peers(api: TestClient, session: Session, world: World) -> None:
    _corpus(session, world)
    headers = _headers(session, world, Role.UNIT_EDITOR)
    session.commit()
    got = api.get("/library/suggest", params={"q": "验收", "level2": "质量指标"}, headers=headers)
    assert got.status_code == 200, got.text
    (first,) = got.json()
    assert (first["name"], first["typical"], first["typical_text"]) == (
        "验收合格率",
        "96.5",
        "≥96.5%",
    )
    page = api.get("/library/entries", params={"q": "收合格"}, headers=headers).json()
    assert [e["id"] for e in page["items"]] == [first["id"]]
    peers = api.get(
        f"/library/entries/{first['id']}/peers", params={"value": "97"}, headers=headers
    ).json()
    stats = peers["stats"]
    assert (stats["median"], stats["p25"], stats["p75"]) == ("96.5", "93.75", "98.25")
    assert peers["rank"] == 50
    assert "values" not in stats
    # the unit editor of 甲 reads only its own project among the examples
    assert [e["project_name"] for e in stats["examples"]] == ["项目0"]
    entry = api.get(f"/library/entries/{first['id']}", headers=headers).json()
    assert entry["may_curate"] is False
    assert entry["peers"]["count"] == 4


def test_curation_needs_the_role_and_the_version(
    api: TestClient, session: Session, world: World
) -> None:
    _corpus(session, world)
    unit = _headers(session, world, Role.UNIT_EDITOR)
    finance = _headers(session, world, Role.FINANCE_REVIEWER)
    session.commit()
    (entry,) = api.get("/library/suggest", params={"q": "验收"}, headers=unit).json()
    body = {"version": 1, "recommended": True, "explanation": "验收合格的批次占比"}
    path = f"/library/entries/{entry['id']}"
    assert api.put(path, json=body, headers=unit).status_code == 403
    done = api.put(path, json=body, headers=finance)
    assert done.status_code == 200, done.text
    assert (done.json()["version"], done.json()["recommended"]) == (2, True)
    stale = api.put(path, json=body, headers=finance)
    assert stale.status_code == 409
    assert api.get("/library/entries/999999", headers=unit).status_code == 404


def test_departments_and_openapi(api: TestClient, session: Session, world: World) -> None:
    _corpus(session, world)
    headers = _headers(session, world, Role.ADMIN)
    session.commit()
    rows = api.get("/library/departments", headers=headers).json()
    assert rows == []  # 4 targets: fewer than the 5 needed for a median to compare with
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/library/suggest", "/library/entries", "/library/entries/{entry_id}/peers"} <= set(
        paths
    )
