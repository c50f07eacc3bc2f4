"""The 绩效目标表 downloads beside the 监控表/自评表 ones, at desktop and phone size."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from .conftest import DESKTOP, PHONE, LiveServer, signed_in
from .test_monitoring_selfeval import pdf_text

PROJECT = "物业管理费"
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("size", list(SIZES))
def test_download_the_project_form_and_the_department_table(
    browser: Browser, seeded_server: LiveServer, size: str, tmp_path: Path
) -> None:
    with signed_in(browser, seeded_server, "viewer", SIZES[size]) as tab:
        tab.go(f"/projects?q={PROJECT}")
        tab.page.click(f"#project-table a:text-is('{PROJECT}')")
        tab.page.click("a.btn:text-is('监控与自评')")
        targets = tab.page.locator("#targets")
        expect(targets).to_be_visible()
        tab.shot(f"target-downloads-{size}")
        got = {}
        for label in (
            "下载本项目申报表（Excel）",
            "下载本项目申报表（PDF）",
            "下载本单位2023年度目标表（Excel）",
            "下载本单位2023年度目标表（PDF）",
        ):
            with tab.page.expect_download() as info:
                targets.locator(f"a:text-is('{label}')").click()
            path = tmp_path / info.value.suggested_filename
            info.value.save_as(path)
            got[label] = path
        form = load_workbook(got["下载本项目申报表（Excel）"]).active
        assert form is not None
        assert "项目支出绩效目标申报表" in str(form["A1"].value)
        assert "每月考评达标率" in pdf_text(got["下载本项目申报表（PDF）"])
        table = load_workbook(got["下载本单位2023年度目标表（Excel）"]).active
        assert table is not None
        assert table.max_row > 37
        assert "公务用车更新购置费" in pdf_text(got["下载本单位2023年度目标表（PDF）"])
        assert got["下载本项目申报表（PDF）"].name.startswith(PROJECT)
