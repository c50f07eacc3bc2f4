"""Every page for every role, at desktop and phone width: no console errors, content as text."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, PHONE, LiveServer, Tab, signed_in

NAV = {
    "admin": ["首页", "项目", "导入", "自评汇总", "指标库", "用户管理", "审计记录"],  # no 审核
    "finance": ["首页", "项目", "导入", "审核", "自评汇总", "指标库", "审计记录"],
    "deptrev": ["首页", "项目", "导入", "审核", "自评汇总", "指标库", "审计记录"],
    "unit": ["首页", "项目", "自评汇总", "指标库", "审计记录"],
    "viewer": ["首页", "项目", "自评汇总", "指标库"],
}
XSS_NAME = "<script>alert(1)</script>项目"


def overflows(page: Page) -> bool:
    """Whether the page is wider than the window (horizontal scrolling of the whole page)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(width > page.viewport_size["width"] + 1)  # type: ignore[index]


def visit(tab: Tab, path: str, heading: str) -> None:
    tab.go(path)
    expect(tab.page.locator("main h1").first).to_contain_text(heading)
    assert not overflows(tab.page), f"{path} is wider than the window"


@pytest.mark.parametrize("username", list(NAV))
def test_each_role_sees_its_menu_and_pages_without_errors(
    browser: Browser, seeded_server: LiveServer, username: str
) -> None:
    with signed_in(browser, seeded_server, username) as tab:
        expect(tab.page.locator("header nav a")).to_have_text(NAV[username])
        expect(tab.page.locator("#todo")).to_be_visible()
        expect(tab.page.locator(".chart canvas").first).to_be_visible()
        visit(tab, "/projects", "项目列表")
        tab.page.locator("#project-table tbody a").first.click()
        expect(tab.page.locator("table.official")).to_be_visible()
        if "审核" in NAV[username]:
            visit(tab, "/reviews", "审核队列")
        if "导入" in NAV[username]:
            visit(tab, "/imports", "导入绩效目标表")
        if "用户管理" in NAV[username]:
            visit(tab, "/users", "用户管理")
        tab.shot(f"dashboard-{username}")


def test_viewer_cannot_edit_and_is_told_so(tab: Tab) -> None:
    tab.login("viewer")
    tab.go("/projects")
    tab.page.locator("#project-table tbody a").first.click()
    expect(tab.page.locator("a.btn:text-is('编辑')")).to_have_count(0)
    expect(tab.page.locator("#decision")).to_have_count(0)
    tab.problems.allow.append("status of 403")  # the refused edit page below
    tab.go(urlparse(tab.page.url).path + "/edit")
    expect(tab.page.locator("main h1")).to_have_text("没有权限")
    expect(tab.page.locator("main")).to_contain_text("“只读”角色无权执行此操作")


def rename_project(tab: Tab, new_name: str) -> None:
    tab.go("/projects?q=打假专项经费")
    tab.page.click("#project-table a:text-is('打假专项经费')")
    tab.page.click("a.btn:text-is('编辑')")
    tab.page.fill("#header-form input[name=name]", new_name)
    tab.page.click("#header-form button[type=submit]")
    expect(tab.page.locator(".notice.ok")).to_contain_text("项目信息已保存")


def test_a_script_in_a_project_name_stays_text(tab: Tab) -> None:
    tab.login("unit")
    rename_project(tab, XSS_NAME)
    tab.go("/projects?q=script")
    link = tab.page.locator("#project-table tbody a").first
    expect(link).to_have_text(XSS_NAME)
    link.click()
    expect(tab.page.locator("h1")).to_have_text(XSS_NAME)
    assert tab.page.locator("main script").count() == 0
    tab.go("/")
    tab.shot("xss-as-text")
    # the dialog handler records any alert(); the fixture fails the test if one fired


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])
def test_key_pages_fit_the_screen(
    browser: Browser, seeded_server: LiveServer, viewport: dict[str, int]
) -> None:
    with signed_in(browser, seeded_server, "deptrev", viewport) as tab:
        size = f"{viewport['width']}x{viewport['height']}"
        assert not overflows(tab.page)
        tab.shot(f"dashboard-{size}")
        visit(tab, "/projects", "项目列表")
        tab.shot(f"projects-{size}")
        tab.page.locator("#project-table tbody a").first.click()
        expect(tab.page.locator("table.official")).to_be_visible()
        assert not overflows(tab.page)
        tab.shot(f"detail-{size}")
        tab.page.click("a.btn:text-is('编辑')")
        expect(tab.page.locator("main h1")).to_have_text("编辑绩效目标")
        assert not overflows(tab.page)
        tab.shot(f"edit-{size}")
        visit(tab, "/reviews", "审核队列")
        visit(tab, "/imports", "导入绩效目标表")
