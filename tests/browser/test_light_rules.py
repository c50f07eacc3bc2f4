"""The monitoring page explains how its lights are decided (one rule for rates, per profile)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

PROJECT = "物业管理费"
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("size", list(SIZES))
def test_round_page_explains_the_light_rules(
    browser: Browser, seeded_server: LiveServer, size: str
) -> None:
    with signed_in(browser, seeded_server, "viewer", SIZES[size]) as tab:
        tab.go(f"/projects?q={PROJECT}")
        tab.page.click(f"#project-table a:text-is('{PROJECT}')")
        project = tab.page.url.rstrip("/")
        tab.page.goto(f"{project}/monitoring/2023/6")
        rules = tab.page.locator("#light-rules")
        expect(rules).to_be_visible()
        expect(rules).to_contain_text("比率（%）不随时间累计，直接与年度指标值比较")
        expect(rules).to_contain_text("按序时进度")
        expect(rules.locator("li").first).to_be_visible()
        tab.shot(f"light-rules-{size}")
