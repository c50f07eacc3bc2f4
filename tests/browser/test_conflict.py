"""Two people edit the same indicator: the second save is refused, explained, and loses nothing."""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, expect

from .conftest import LiveServer, Tab, signed_in

PROJECT = "公务用车更新购置费"
INDICATOR = "更新购置公务车辆台数"


def indicator_form(tab: Tab) -> Locator:
    tab.go(f"/projects?q={PROJECT}")
    tab.page.click(f"#project-table a:text-is('{PROJECT}')")
    tab.page.click("a.btn:text-is('编辑')")
    return tab.page.locator("form.ind-form", has=tab.page.locator(f"input[value='{INDICATOR}']"))


def test_a_stale_save_is_explained_and_the_input_kept(
    browser: Browser, seeded_server: LiveServer
) -> None:
    with (
        signed_in(browser, seeded_server, "unit") as first,
        signed_in(browser, seeded_server, "deptrev") as second,
    ):
        mine, theirs = indicator_form(first), indicator_form(second)
        theirs.locator("input[name=period_value]").fill("3")
        theirs.locator("button:text-is('保存')").click()
        expect(theirs.locator(".notice.ok")).to_contain_text("已保存")

        first.problems.allow.append("status of 409")  # the refused save is a 409 response
        mine.locator("input[name=period_value]").fill("4")
        mine.locator("input[name=annual_value]").fill("4")
        mine.locator("button:text-is('保存')").click()
        conflict = first.page.locator("form.ind-form .notice.error")
        expect(conflict).to_contain_text("已被他人修改")
        expect(conflict).to_contain_text("3台")
        form_id = conflict.locator("xpath=ancestor::form").get_attribute("id")
        form = first.page.locator(f"form#{form_id}")
        expect(form.locator("input[name=period_value]")).to_have_value("4")
        expect(form.locator("input[name=annual_value]")).to_have_value("4")
        first.shot("edit-conflict")

        form.locator("button:text-is('保存')").click()
        expect(form.locator(".notice.ok")).to_contain_text("已保存")
        expect(form.locator("input[name=period_value]")).to_have_value("4")
