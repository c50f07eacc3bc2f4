"""Import the sample through the API, browse it, edit an indicator, walk the workflow."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import World, create_token, create_user
from jixiao.db.models import Organisation
from jixiao.domain.enums import Role


def bearer(session: Session, world: World, role: Role) -> dict[str, str]:
    token = create_token(session, user=world.users[role])
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_sample_through_the_api(api: TestClient, session: Session, sample_path: Path) -> None:
    world = World(session)
    admin = bearer(session, world, Role.ADMIN)
    files = {"file": (sample_path.name, sample_path.read_bytes())}
    preview = api.post("/imports/preview", files=files, data={"year": "2023"}, headers=admin)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert len(body["projects"]) == 37
    assert body["findings"]
    assert len(body["diff"]["added"]) == 37
    assert api.get("/projects", headers=admin).json()["total"] == 0

    applied = api.post("/imports", files=files, data={"year": "2023"}, headers=admin)
    assert applied.status_code == 201, applied.text
    again = api.post("/imports", files=files, data={"year": "2023"}, headers=admin)
    assert again.json()["unchanged_file"] is True

    listing = api.get("/projects", params={"size": 5, "sort": "-total"}, headers=admin).json()
    assert listing["total"] == 37
    totals = [Decimal(item["total"]) for item in listing["items"]]
    assert totals == sorted(totals, reverse=True)
    found = api.get("/projects", params={"q": "政府雇员工资"}, headers=admin).json()["items"]
    top = next(item for item in found if item["name"] == "政府雇员工资费用")
    assert top["total"] == "1714.44"

    detail = api.get(f"/projects/{top['id']}", headers=admin).json()
    assert detail["repairs"]
    indicator = detail["indicators"][0]
    body = {
        "level1_code": indicator["level1_code"],
        "level2_code": indicator["level2_code"],
        "name": indicator["name"],
        "period": {"raw": "≥98%"},
        "annual": {"raw": "≥98%"},
        "version": indicator["version"],
    }
    updated = api.put(f"/indicators/{indicator['id']}", json=body, headers=admin)
    assert updated.status_code == 200, updated.text
    assert updated.json()["annual"]["value"] == "98"
    stale = api.put(f"/indicators/{indicator['id']}", json=body, headers=admin)
    assert stale.status_code == 409

    # Each step by another person: a 管理员 does not review (separation of duties).
    org = session.get(Organisation, detail["org_id"])
    assert org is not None
    reviewer = create_user(session, username="sample_dept", role=Role.DEPT_REVIEWER, org=org)
    steps = (
        ("submit", admin),
        ("dept_approve", {"Authorization": f"Bearer {create_token(session, user=reviewer)}"}),
        ("finance_approve", bearer(session, world, Role.FINANCE_REVIEWER)),
    )
    session.commit()
    for action, who in steps:
        # the imported project has open findings: approving confirms they were read
        body_ = {"action": action, "findings_seen": action != "submit"}
        step = api.post(f"/projects/{top['id']}/transitions", json=body_, headers=who)
        assert step.status_code == 201, step.text
    body["version"] = updated.json()["version"]
    locked = api.put(f"/indicators/{indicator['id']}", json=body, headers=admin)
    assert locked.json()["error"]["code"] == "locked"
    history = api.get(f"/projects/{top['id']}/transitions", headers=admin).json()
    assert [h["to_status"] for h in history] == ["submitted", "dept_approved", "approved"]
    audit = api.get(
        "/audit", params={"object_type": "project", "object_id": top["id"]}, headers=admin
    )
    actions = [e["action"] for e in audit.json()["items"]]
    assert "indicator.update" in actions
    assert "workflow.finance_approve" in actions
