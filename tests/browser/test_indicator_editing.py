"""Indicator editing through HTMX in a real browser: add, reorder and delete."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Tab

PROJECT = "区食安办工作经费"


def names(tab: Tab) -> list[str]:
    return tab.page.locator("#indicator-list input[name=name]").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )


def test_add_reorder_and_delete_an_indicator(tab: Tab) -> None:
    tab.login("unit")
    tab.go(f"/projects?q={PROJECT}")
    tab.page.click(f"#project-table a:text-is('{PROJECT}')")
    tab.page.click("a.btn:text-is('编辑')")
    before = names(tab)

    new = tab.page.locator("form#ind-new")
    new.locator("select[name=category]").select_option(label="1-产出指标 › 11-数量指标")
    new.locator("input[name=name]").fill("食品安全培训人次")
    new.locator("input[name=period_value]").fill("500")
    new.locator("input[name=period_unit]").fill("人次")
    new.locator("input[name=annual_value]").fill("500")
    new.locator("input[name=annual_unit]").fill("人次")
    expect(new.locator(".live-check")).to_contain_text("未发现问题")
    new.locator("button:text-is('添加')").click()
    expect(tab.page.locator("#indicator-list input[name=name]")).to_have_count(len(before) + 1)
    # A new indicator goes last in its category (official order), not last in the list.
    after = names(tab)
    at = after.index("食品安全培训人次")
    assert after[:at] + after[at + 1 :] == before
    assert at > 0

    added = tab.page.locator("#indicator-list form.ind-form").nth(at)
    added.get_by_role("button", name="上移").click()
    expect(
        tab.page.locator("#indicator-list form.ind-form").nth(at - 1).locator("input[name=name]")
    ).to_have_value("食品安全培训人次")

    tab.problems.accept_confirms = True
    moved = tab.page.locator("#indicator-list form.ind-form").nth(at - 1)
    moved.get_by_role("button", name="删除").click()
    expect(tab.page.locator("#indicator-list input[name=name]")).to_have_count(len(before))
    assert names(tab) == before
