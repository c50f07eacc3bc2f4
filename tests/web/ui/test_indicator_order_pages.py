"""One indicator order on every page and in every table: the official grouping (产出→效益→
满意度), the order of the source table inside a group.

物业管理费 is written in the sample as 2/31, 1/12, 1/11, 1/12, 2/23, 3/31: every surface must show
1/11, 1/12, 1/12, 2/23, 2/31, 3/31.
"""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jixiao.db.session import transaction
from jixiao.domain.indicator import LevelRef, official_order
from jixiao.services.principal import SYSTEM
from jixiao.services.projects import service as projects

from .conftest import Site, login, soup
from .test_project_pages import project_id

PROJECT = "物业管理费"


def expected(site: Site, pid: int) -> list[str]:
    """The official order, computed from the stored levels (not from any page)."""
    with transaction(site.factory) as db:
        stored = projects.get_project(db, SYSTEM, pid).indicators
    by_position = sorted(stored, key=lambda i: i.position)
    ordered = official_order(
        by_position,
        lambda i: LevelRef(i.level1_code, i.level1_name),
        lambda i: LevelRef(i.level2_code, i.level2_name),
    )
    assert [i.name for i in ordered] != [i.name for i in by_position], "source order differs"
    return [i.name for i in ordered]


def test_every_surface_uses_the_official_order(client: TestClient, imported: Site) -> None:
    pid = project_id(imported, PROJECT)
    want = expected(imported, pid)
    login(client, "unit")
    detail = soup(client.get(f"/projects/{pid}").text)
    assert [td.text.strip() for td in detail.select("table.official td.ind-name")] == want
    edit = soup(client.get(f"/projects/{pid}/edit").text)
    names = [i["value"] for i in edit.select("form.ind-form input[name=name]")]
    assert [n for n in names if n] == want  # the blank form to add one comes last
    round_page = soup(client.get(f"/projects/{pid}/monitoring/2023/7").text)
    assert [tr["data-indicator"] for tr in round_page.select("tr[data-indicator]")] == want
    selfeval = soup(client.get(f"/projects/{pid}/self-evaluation/2023").text)
    assert [tr["data-indicator"] for tr in selfeval.select("tr[data-indicator]")] == want
    form = load_workbook(io.BytesIO(client.get(f"/projects/{pid}/targets/download.xlsx").content))
    sheet = form.active
    assert sheet is not None
    written = [str(c.value) for c in sheet["D"] if c.value in want]
    assert written == want
