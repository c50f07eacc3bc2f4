"""The workflow bar: at the top and sticky; refused decisions bring their error into view.

Submitting with an open error finding is refused and lists it; approving over open findings
asks the reviewer to confirm having read them. Both at desktop and phone size.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

WITH_ERROR = "物业管理费"  # JX001 (wrong 二级指标) is an error: submitting must be refused
CLEAN = {"desktop": "政府雇员工资费用", "phone": "三证一照业务政府购买服务费"}  # warnings only
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def open_project(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/projects?q={name}")
    page.click(f"#project-table a:text-is('{name}')")
    expect(page.locator("h1")).to_have_text(name)


def in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]  # type: ignore[index]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def focused_is(page: Page, selector: str) -> bool:
    return bool(page.evaluate(f"document.activeElement.matches({selector!r})"))


@pytest.mark.parametrize("size", list(SIZES))
def test_submit_with_an_open_error_is_refused_in_view(
    browser: Browser, seeded_server: LiveServer, size: str
) -> None:
    with signed_in(browser, seeded_server, "unit", SIZES[size]) as tab:
        open_project(tab.page, tab.base, WITH_ERROR)
        bar = tab.page.locator("#workflow-bar")
        assert in_view(tab.page, "#workflow-bar"), "the workflow bar starts in view"
        expect(tab.page.locator("#blocking-findings")).to_contain_text("JX001")
        tab.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert in_view(tab.page, "#workflow-bar"), "the workflow bar stays in view (sticky)"
        tab.problems.allow.append("status of 422")
        bar.locator("button:text-is('提交')").click()
        error = tab.page.locator("#decision .notice.error[data-first-error]")
        expect(error).to_contain_text("不能提交")
        expect(error).to_contain_text("JX001")
        assert in_view(tab.page, "#decision .notice.error[data-first-error]")
        assert focused_is(tab.page, "[data-first-error]")
        expect(tab.page.locator(".page-head .badge").first).to_have_text("草稿")
        tab.shot(f"submit-refused-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_approving_over_open_findings_asks_for_a_confirmation(
    browser: Browser, seeded_server: LiveServer, size: str
) -> None:
    name = CLEAN[size]
    with signed_in(browser, seeded_server, "unit", SIZES[size]) as unit:
        open_project(unit.page, unit.base, name)
        expect(unit.page.locator("#blocking-findings")).to_have_count(0)
        unit.page.click("#workflow-bar button:text-is('提交')")
        expect(unit.page.locator(".notice.ok")).to_contain_text("已提交审核")
    with signed_in(browser, seeded_server, "deptrev", SIZES[size]) as reviewer:
        open_project(reviewer.page, reviewer.base, name)
        listed = reviewer.page.locator("#open-findings li")
        expect(listed.first).to_be_visible()
        reviewer.shot(f"approve-open-findings-{size}")
        reviewer.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        reviewer.problems.allow.append("status of 422")
        reviewer.page.click("#workflow-bar button:text-is('部门审核通过')")
        error = reviewer.page.locator("#decision .notice.error[data-first-error]")
        expect(error).to_contain_text("我已查看")
        assert in_view(reviewer.page, "#decision .notice.error[data-first-error]")
        reviewer.page.check("#open-findings input[name=findings_seen]")
        reviewer.page.click("#workflow-bar button:text-is('部门审核通过')")
        expect(reviewer.page.locator(".notice.ok")).to_contain_text("已通过部门审核")
