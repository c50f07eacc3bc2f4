"""A scanned table through the import pages: doubtful cells highlighted with the crop of the
page beside the text, a person's correction applied on confirmation and recorded with who
made it, before and after. Runs on SQLite and PostgreSQL.

One small page (two projects and a 合计 row, printed, turned a quarter and skewed 1°): its
first project's 资金总额 is printed 100.00 where 财政拨款 60.00 + 其他资金 30.00 make 90.00,
so the reader flags the row's amount cells, and the person corrects 100.00 to 90.00.
"""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import create_org, create_user
from jixiao.db.models import AuditEntry, FundingLine, Project, RepairRow
from jixiao.domain.enums import FundSource, MoneyUnit, OrgKind, Role
from jixiao.settings import Settings
from jixiao.web.ui import create_ui_app

from .conftest import login, soup

sys.path.insert(0, str(Path(__file__).parents[2] / "ingest"))
from test_corrections import TOTAL, scanned_page

DEPARTMENT = "示例局"


@pytest.fixture
def pages(
    settings: Settings, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    # the default memory bound of scans; more time than the default on a busy machine
    monkeypatch.setattr(settings, "ocr_parse_seconds", 300.0)
    app = create_ui_app(settings, session_factory)
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def _accounts(session: Session) -> None:
    dept = create_org(session, name=DEPARTMENT, kind=OrgKind.DEPARTMENT)
    create_user(session, username="scanner", role=Role.DEPT_REVIEWER, org=dept)
    create_user(session, username="unit", role=Role.UNIT_EDITOR, org=dept)
    session.commit()


def _preview(client: TestClient, token: str) -> httpx.Response:
    return client.post(
        "/imports/preview",
        data={"csrf_token": token, "year": "2024", "department": DEPARTMENT},
        files={"file": ("scan.png", scanned_page(DEPARTMENT), "image/png")},
    )


def _form(doc: object) -> list[tuple[str, str]]:
    """Every field of the confirmation form, those outside it (``form=``) included."""
    fields = doc.select("form#confirm-import input, input[form='confirm-import']")  # type: ignore[attr-defined]
    return [(i["name"], i.get("value", "")) for i in fields if i.get("name")]


def test_a_doubtful_cell_is_shown_with_its_crop_and_the_correction_is_stored(
    pages: TestClient, session: Session
) -> None:
    _accounts(session)
    with pages:
        token = login(pages, "scanner")
        preview = _preview(pages, token)
        assert preview.status_code == 200, preview.text[:2000]
        doc = soup(preview.text)
        rows = doc.select("#doubtful-cells tr.doubtful")
        row = next(r for r in rows if TOTAL in r.text)
        field = row.select_one("input[name='cell_text']")
        assert field["value"] == "100.00"
        assert "不等于各来源之和" in row.text
        crop = pages.get(row.select_one("img.cell-crop")["src"].replace("http://testserver", ""))
        assert crop.status_code == 200, crop.text[:500]
        assert crop.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(crop.content))
        assert image.format == "PNG"
        # the cell is 101 × 18 points at 200 dpi, with a 6-point margin round it
        assert 250 < image.width < 400
        assert 60 < image.height < 130

        form = [
            (name, "90.00" if name == "cell_text" and value == "100.00" else value)
            for name, value in _form(doc)
        ]
        done = pages.post(
            "/imports/confirm",
            content=urlencode(form),  # repeated names: cell_ref and cell_text in pairs
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert done.status_code == 200, done.text[:2000]

    session.expire_all()
    project = session.scalar(select(Project).where(Project.name == "办公设备购置"))
    assert project is not None
    total = session.scalar(
        select(FundingLine).where(
            FundingLine.project_id == project.id, FundingLine.source == FundSource.TOTAL
        )
    )
    assert total is not None
    assert total.amount.amount(MoneyUnit.WAN_YUAN) == Decimal("90.00")
    repair = session.scalar(select(RepairRow).where(RepairRow.field == TOTAL))
    assert repair is not None
    assert (repair.before, repair.after, repair.project_id) == ("100.00", "90.00", project.id)
    assert "scanner" in repair.reason
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "import.correct"))
    assert entry is not None
    assert entry.before == {"cell": TOTAL, "text": "100.00"}
    assert entry.after == {"cell": TOTAL, "text": "90.00"}


def test_a_user_without_import_rights_cannot_fetch_crops(
    pages: TestClient, session: Session
) -> None:
    _accounts(session)
    with pages:
        token = login(pages, "scanner")
        doc = soup(_preview(pages, token).text)
        src = doc.select_one("img.cell-crop")["src"].replace("http://testserver", "")
        pages.post("/logout", data={"csrf_token": token})
        login(pages, "unit")
        assert pages.get(src).status_code == 403
