"""A scanned table through the JSON API: the preview lists the doubtful cells, and the
confirmation takes the person's corrections (``corrections``, a JSON object of cell → text),
stored and recorded exactly as the import page does. Runs on SQLite and PostgreSQL.

The page is the one of the import page tests: its first project's 资金总额 is printed 100.00
where 财政拨款 60.00 + 其他资金 30.00 make 90.00.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import create_org, create_token, create_user
from jixiao.db.models import AuditEntry, FundingLine, Project, RepairRow, WarningRow
from jixiao.domain.enums import FundSource, MoneyUnit, OrgKind, Role
from jixiao.settings import Settings

sys.path.insert(0, str(Path(__file__).parents[2] / "ingest"))
from test_corrections import TOTAL, scanned_page

DEPARTMENT = "示例局"
NOWHERE = "第9页 第1行第1列"


@pytest.fixture
def headers(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    # more time than the default on a busy machine
    monkeypatch.setattr(settings, "ocr_parse_seconds", 300.0)
    dept = create_org(session, name=DEPARTMENT, kind=OrgKind.DEPARTMENT)
    user = create_user(session, username="scanner", role=Role.DEPT_REVIEWER, org=dept)
    token = create_token(session, user=user)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def _post(api: TestClient, path: str, headers: dict[str, str], **fields: str) -> httpx.Response:
    data = {"year": "2024", "department": DEPARTMENT, **fields}
    files = {"file": ("scan.png", scanned_page(DEPARTMENT), "image/png")}
    return api.post(path, data=data, files=files, headers=headers)


def _total(session: Session) -> Decimal:
    session.expire_all()
    project = session.scalar(select(Project).where(Project.name == "办公设备购置"))
    assert project is not None
    line = session.scalar(
        select(FundingLine).where(
            FundingLine.project_id == project.id, FundingLine.source == FundSource.TOTAL
        )
    )
    assert line is not None
    return line.amount.amount(MoneyUnit.WAN_YUAN)


def test_a_correction_through_the_api_is_stored_and_recorded(
    api: TestClient, session: Session, headers: dict[str, str]
) -> None:
    preview = _post(api, "/imports/preview", headers)
    assert preview.status_code == 200, preview.text[:2000]
    doubtful = {cell["ref"]: cell for cell in preview.json()["doubtful"]}
    assert doubtful[TOTAL]["text"] == "100.00"
    assert any("不等于各来源之和" in reason for reason in doubtful[TOTAL]["reasons"])

    fixes = json.dumps({TOTAL: "90.00"}, ensure_ascii=False)
    applied = _post(api, "/imports", headers, corrections=fixes)
    assert applied.status_code == 201, applied.text[:2000]
    assert not any("未采用" in w for w in applied.json()["warnings"])

    assert _total(session) == Decimal("90.00")
    repair = session.scalar(select(RepairRow).where(RepairRow.field == TOTAL))
    assert repair is not None
    assert (repair.before, repair.after) == ("100.00", "90.00")
    assert "scanner" in repair.reason
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "import.correct"))
    assert [(e.before, e.after) for e in entries] == [
        ({"cell": TOTAL, "text": "100.00"}, {"cell": TOTAL, "text": "90.00"})
    ]


def test_a_correction_naming_no_cell_is_a_warning_and_changes_nothing(
    api: TestClient, session: Session, headers: dict[str, str]
) -> None:
    fixes = json.dumps({NOWHERE: "90.00"}, ensure_ascii=False)
    applied = _post(api, "/imports", headers, corrections=fixes)
    assert applied.status_code == 201, applied.text[:2000]
    assert any(NOWHERE in w and "不在表中" in w for w in applied.json()["warnings"])

    assert _total(session) == Decimal("100.00")
    stored = session.scalars(select(WarningRow).where(WarningRow.code == "correction_unmatched"))
    assert [w.source["cells"] for w in stored] == [[NOWHERE]]
    corrected = select(func.count()).select_from(RepairRow).where(RepairRow.field == NOWHERE)
    assert session.scalar(corrected) == 0
    audit = (
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import.correct")
    )
    assert session.scalar(audit) == 0


@pytest.mark.parametrize(
    "value", ["{not json", '["第1页 第2行第2列", "90.00"]', '{"第1页 第2行第2列": 90}']
)
def test_corrections_that_are_not_an_object_of_texts_are_refused(
    api: TestClient, headers: dict[str, str], value: str
) -> None:
    refused = _post(api, "/imports", headers, corrections=value)
    assert refused.status_code == 422, refused.text[:2000]
    assert "corrections" in refused.text
