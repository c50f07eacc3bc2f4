"""The library workbook over the JSON API: export for readers, preview and import for curators."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from factories import World, create_token, workbook_bytes
from jixiao.domain.enums import Role


def _headers(session: Session, world: World, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, user=world.users[role])}"}


def test_preview_import_export(api: TestClient, session: Session) -> None:
    world = World(session)
    finance = _headers(session, world, Role.FINANCE_REVIEWER)
    unit = _headers(session, world, Role.UNIT_EDITOR)
    session.commit()
    data = workbook_bytes(
        [["指标名称", "二级指标", "评分标准"], ["档案归档率", "质量指标", "每低1%扣1分"]]
    )
    files = {"file": ("库.xlsx", data)}
    assert api.post("/library/import/preview", files=files, headers=unit).status_code == 403
    preview = api.post("/library/import/preview", files=files, headers=finance)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert [(c["where"], c["name"], c["entry_id"]) for c in body["new"]] == [
        ("第2行", "档案归档率", None)
    ]
    assert (body["refused"], body["may_confirm"]) == ([], True)
    done = api.post("/library/import", files=files, data={"token": body["token"]}, headers=finance)
    assert done.status_code == 200, done.text
    assert done.json() == {"created": 1, "updated": 0, "unchanged": 0}
    again = api.post("/library/import", files=files, data={"token": body["token"]}, headers=finance)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "stale_version"
    exported = api.get("/library/export", headers=unit)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    ws = load_workbook(io.BytesIO(exported.content)).active
    assert ws is not None
    assert [c.value for c in ws[3]][2:5] == ["档案归档率", None, "每低1%扣1分"]
    bad = api.post("/library/import/preview", files={"file": ("a.txt", b"hello")}, headers=finance)
    assert bad.status_code == 422
    assert "须为 Excel 工作簿" in bad.json()["error"]["message"]
