"""A scanned table imported through the pages in Chromium: the doubtful cell is highlighted
with the crop of the page loaded beside it, the person retypes the amount, confirms, and the
project page shows the corrected amount.

The page is the small one of the import page tests, titled with the system's department: its
first project's 资金总额 is printed 100.00 where 财政拨款 60.00 + 其他资金 30.00 make 90.00.
Reading it takes 20–45 s on a busy machine, hence the long waits.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, FilePayload, expect

from .conftest import LiveServer, signed_in

sys.path.insert(0, str(Path(__file__).parents[1] / "ingest"))
from test_corrections import TOTAL, scanned_page

PROJECT = "办公设备购置"
READING = 240_000  # ms: OCR in a child process, models loaded first


def test_a_doubtful_scanned_cell_is_corrected_in_the_preview(
    browser: Browser, live_server: LiveServer
) -> None:
    with signed_in(browser, live_server, "deptrev") as tab:
        page = tab.page
        page.click("nav >> text=导入")
        png = scanned_page(live_server.department)
        payload = FilePayload(name="scan.png", mimeType="image/png", buffer=png)
        page.set_input_files("input[name=file]", payload)
        page.fill("input[name=year]", "2024")
        page.fill("input[name=department]", live_server.department)
        with page.expect_navigation(timeout=READING):
            page.click("button:has-text('上传并预览')")
        refused = page.locator(".notice.error")
        assert refused.count() == 0, refused.first.inner_text()
        expect(page.locator("h1")).to_contain_text("导入预览")

        named = page.locator(f"input[name=cell_ref][value='{TOTAL}']")
        row = page.locator("#doubtful-cells tr.doubtful", has=named)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("不等于各来源之和")
        # highlighted: the row's cells take the warning background, not the table's
        background = row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
        plain = page.locator("table.data tbody tr:not(.doubtful) td").first
        assert background != plain.evaluate("td => getComputedStyle(td).backgroundColor")
        crop = row.locator("img.cell-crop")
        crop.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0",
            arg=crop.element_handle(),
            timeout=READING,
        )
        assert crop.evaluate("img => img.naturalWidth") > 200
        field = row.locator("input[name=cell_text]")
        expect(field).to_have_value("100.00")
        field.fill("90.00")
        tab.shot("scan-import-preview")

        page.click("button:has-text('确认导入')")
        expect(page.locator("h1")).to_have_text("导入完成", timeout=READING)
        page.click("nav >> text=项目")
        page.fill("input[name=q]", PROJECT)
        page.press("input[name=q]", "Enter")
        expect(page.locator("#result-count")).to_contain_text("共 1 个项目")
        page.click(f"#project-table a:text-is('{PROJECT}')")
        expect(page.locator("h1")).to_have_text(PROJECT)
        expect(page.locator("td[data-label='总计']")).to_have_text("90.00")
        expect(page.locator("body")).to_contain_text("人工核对更正")
        tab.shot("scan-import-project")
