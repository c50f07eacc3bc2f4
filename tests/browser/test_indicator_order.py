"""The detail page and the edit page list the indicators in the same (official) order."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

PROJECT = "资产综合管理信息系统建设项目费用"  # written 满意度 → 效益 → 产出 in the sample
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("size", list(SIZES))
def test_detail_and_edit_pages_agree_on_the_order(
    browser: Browser, seeded_server: LiveServer, size: str
) -> None:
    with signed_in(browser, seeded_server, "unit", SIZES[size]) as tab:
        tab.go(f"/projects?q={PROJECT}")
        tab.page.click(f"#project-table a:text-is('{PROJECT}')")
        expect(tab.page.locator("table.official")).to_be_visible()
        shown = tab.page.locator("table.official td.ind-name").all_inner_texts()
        groups = tab.page.locator("table.official td.group").all_inner_texts()
        level1 = [g for g in groups if g.strip()[:2] in ("1-", "2-", "3-")]
        assert [g.strip()[0] for g in level1] == ["1", "2", "3"]
        tab.page.click("a.btn:text-is('编辑')")
        expect(tab.page.locator("h1")).to_have_text("编辑绩效目标")
        names = tab.page.locator("form.ind-form input[name=name]")
        edited = [v for v in (names.nth(i).input_value() for i in range(names.count())) if v]
        assert edited == [s.strip() for s in shown]
        tab.shot(f"indicator-order-edit-{size}")
