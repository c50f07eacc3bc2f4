"""The 审计记录 page in a real browser: the 审计管理员 filters the whole trail and exports it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

SIZES = {"desktop": DESKTOP, "phone": PHONE}


def _cells(page: Page, label: str) -> list[str]:
    return page.locator(f"#audit tbody td[data-label='{label}']").all_inner_texts()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_auditor_filters_the_trail_and_exports_it(
    browser: Browser, seeded_server: LiveServer, size: str
) -> None:
    with signed_in(browser, seeded_server, "auditor", SIZES[size]) as tab:
        page = tab.page
        page.click("nav a:text-is('审计记录')")
        expect(page.locator("h1")).to_have_text("审计记录")
        expect(page.locator("#audit tbody tr").first).to_be_visible()
        assert "登录" in _cells(page, "操作")  # the account trail is the auditor's to read

        filters = page.locator("#audit-filters")
        filters.locator("select[name=action]").select_option(label="导入新建项目")
        filters.get_by_label("项目名称").fill("物业管理")
        filters.get_by_role("button", name="筛选").click()
        expect(page.locator("#audit tbody tr")).to_have_count(1)
        assert _cells(page, "操作") == ["导入新建项目"]
        assert _cells(page, "项目") == ["物业管理费"]
        changes = page.locator("#audit tbody td[data-label='变化']")
        expect(changes).to_contain_text("实施周期目标")
        expect(changes).not_to_contain_text("project.")

        filters = page.locator("#audit-filters")
        filters.get_by_label("起始日期").fill("2000-01-01")
        filters.get_by_label("截止日期").fill("2000-12-31")
        filters.get_by_role("button", name="筛选").click()
        expect(page.locator("#audit tbody")).to_contain_text("没有符合条件的记录")
        page.click("#audit-filters a:text-is('清除')")
        expect(page.locator("#audit tbody tr").nth(1)).to_be_visible()

        filters = page.locator("#audit-filters")
        filters.locator("select[name=action]").select_option(label="登录")
        filters.get_by_role("button", name="筛选").click()
        expect(page.locator("#audit tbody td[data-label='操作']").first).to_have_text("登录")
        with page.expect_download() as info:
            page.click("#audit-download")
        data = info.value.path().read_bytes()
        ws = load_workbook(io.BytesIO(data)).active
        assert ws is not None
        operations = {row[2] for row in ws.iter_rows(values_only=True)} - {None, "操作"}
        assert operations == {"登录"}
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"]
        tab.shot(f"audit-log-{size}")


def test_a_viewer_has_no_audit_page(browser: Browser, seeded_server: LiveServer) -> None:
    with signed_in(browser, seeded_server, "viewer") as tab:
        expect(tab.page.locator("nav a:text-is('审计记录')")).to_have_count(0)
        tab.problems.allow.append("status of 403")
        tab.go("/audit")
        expect(tab.page.locator("main")).to_contain_text("无权")
