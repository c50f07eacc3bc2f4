"""The indicator library while writing, in a real browser: type, pick with the keyboard, see
where the value sits among peers, save."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Tab

PROJECT = "区食安办工作经费"


def test_type_pick_a_suggestion_and_save(tab: Tab) -> None:
    requests: list[str] = []
    tab.page.on(
        "request", lambda r: requests.append(r.url) if "/library/suggest" in r.url else None
    )
    tab.login("unit")
    tab.go(f"/projects?q={PROJECT}")
    tab.page.click(f"#project-table a:text-is('{PROJECT}')")
    tab.page.click("a.btn:text-is('编辑')")

    new = tab.page.locator("form#ind-new")
    new.locator("select[name=category]").select_option(label="1-产出指标 › 11-数量指标")
    name = new.locator("input[name=name]")
    name.press_sequentially("抽检", delay=60)
    options = new.locator("[role=option]")
    expect(options.first).to_contain_text("抽检任务完成率")
    expect(name).to_have_attribute("aria-expanded", "true")
    assert len(requests) == 1, requests  # one request for the pause, not one per keystroke

    name.press("ArrowDown")
    expect(name).to_have_attribute("aria-activedescendant", "ind-new-opt-1")
    expect(options.first).to_have_attribute("aria-selected", "true")
    name.press("Enter")
    expect(name).to_have_value("抽检任务完成率")
    expect(new.locator("[role=option]")).to_have_count(0)
    expect(new.locator("input[name=annual_unit]")).to_have_value("%")
    expect(new.locator("select[name=annual_op]")).to_have_value("=")

    new.locator("input[name=annual_value]").fill("100")
    expect(new.locator("#ind-new-rank")).to_contain_text("的同类目标")
    new.locator("input[name=period_value]").fill("100")
    new.locator("button:text-is('添加')").click()
    expect(
        tab.page.locator("#indicator-list input[name=name][value='抽检任务完成率']")
    ).to_have_count(1)
    tab.shot("library-suggest-saved")


def test_escape_closes_the_suggestions(tab: Tab) -> None:
    tab.login("unit")
    tab.go(f"/projects?q={PROJECT}")
    tab.page.click(f"#project-table a:text-is('{PROJECT}')")
    tab.page.click("a.btn:text-is('编辑')")
    name = tab.page.locator("form#ind-new input[name=name]")
    name.press_sequentially("设备", delay=60)
    expect(tab.page.locator("form#ind-new [role=option]").first).to_be_visible()
    name.press("Escape")
    expect(tab.page.locator("form#ind-new [role=option]")).to_have_count(0)
    expect(name).to_have_attribute("aria-expanded", "false")
