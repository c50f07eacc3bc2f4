"""The 绩效目标表 from the web: one project's 申报表 and the department's table, Excel and PDF."""

from __future__ import annotations

import io
import subprocess
from urllib.parse import unquote

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jixiao.db.session import transaction
from jixiao.domain.enums import Role
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate

from .conftest import PASSWORD, Site, login, soup
from .test_project_pages import project_id

PROJECT = "物业管理费"


def cells(data: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def pdf_text(data: bytes) -> str:
    """The PDF's text (poppler's pdftotext), whitespace removed."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return "".join(done.stdout.decode("utf-8").split())


def test_results_page_offers_both_target_tables(client: TestClient, imported: Site) -> None:
    login(client, "viewer")
    pid = project_id(imported, PROJECT)
    links = [
        a["href"] for a in soup(client.get(f"/projects/{pid}/results").text).select("#targets a")
    ]
    assert links == [
        f"/projects/{pid}/targets/download.xlsx",
        f"/projects/{pid}/targets/download.pdf",
        f"/projects/{pid}/targets/table.xlsx",
        f"/projects/{pid}/targets/table.pdf",
    ]


def test_project_form_in_excel_and_pdf(client: TestClient, imported: Site) -> None:
    login(client, "unit")
    pid = project_id(imported, PROJECT)
    xlsx = client.get(f"/projects/{pid}/targets/download.xlsx")
    assert xlsx.status_code == 200
    assert "项目支出绩效目标申报表" in unquote(xlsx.headers["content-disposition"])
    found = cells(xlsx.content)
    assert PROJECT in found
    assert "每月考评达标率" in found
    assert "公务用车更新购置费" not in found
    pdf = client.get(f"/projects/{pid}/targets/download.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert "每月考评达标率" in pdf_text(pdf.content)
    assert client.get(f"/projects/{pid}/targets/download.docx").status_code == 404


def test_department_table_holds_every_project_of_the_year(
    client: TestClient, imported: Site
) -> None:
    login(client, "deptrev")
    pid = project_id(imported, PROJECT)
    xlsx = client.get(f"/projects/{pid}/targets/table.xlsx")
    assert xlsx.status_code == 200
    assert "2023年度项目支出绩效目标表" in unquote(xlsx.headers["content-disposition"])
    found = cells(xlsx.content)
    assert PROJECT in found
    assert "公务用车更新购置费" in found
    pdf = client.get(f"/projects/{pid}/targets/table.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert "公务用车更新购置费" in pdf_text(pdf.content)


def test_another_departments_user_cannot_download(client: TestClient, imported: Site) -> None:
    with transaction(imported.factory) as db:
        other = orgs.add_department(db, SYSTEM, "另一个部门")
        data = UserCreate(
            username="outsider", password=PASSWORD, role=Role.UNIT_EDITOR, org_id=other.id
        )
        users.create_user(db, SYSTEM, data, imported.settings)
    login(client, "outsider")
    pid = project_id(imported, PROJECT)
    assert client.get(f"/projects/{pid}/targets/download.xlsx").status_code == 404
    assert client.get(f"/projects/{pid}/targets/table.pdf").status_code == 404
