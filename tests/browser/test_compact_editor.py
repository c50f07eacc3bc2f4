"""The indicator editor is a compact table: one row per indicator, labelled fields, any width.

Before, eight indicators made a 3,300 px page at 1366×768 (270 px per indicator) and a
9,700 px page on a phone (900 px per indicator).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from .conftest import DESKTOP, PHONE, LiveServer, Tab, signed_in

PROJECT = "信息化运行维护项目"  # eight indicators in the sample; no other browser test edits it
CONTROLS = "input:not([type=hidden]), select, textarea, button"
#: viewport width → most px per indicator row, findings shown under a row not counted
ROW_LIMIT = {DESKTOP["width"]: 80, PHONE["width"]: 360}


def _open_editor(tab: Tab) -> None:
    tab.go(f"/projects?q={PROJECT}")
    tab.page.click(f"#project-table a:text-is('{PROJECT}')")
    tab.page.click("a.btn:text-is('编辑')")
    expect(tab.page.locator("#indicator-list form.ind-form")).to_have_count(8)


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def editor(
    request: pytest.FixtureRequest, browser: Browser, seeded_server: LiveServer
) -> Iterator[Tab]:
    with signed_in(browser, seeded_server, "unit", request.param) as tab:
        _open_editor(tab)
        yield tab


def _width(tab: Tab) -> int:
    size = tab.page.viewport_size
    assert size is not None
    return size["width"]


def _height(tab: Tab, selector: str) -> float:
    box = tab.page.locator(selector).bounding_box()
    assert box is not None
    return box["height"]


def test_eight_indicators_fit_in_a_compact_editor(editor: Tab) -> None:
    row_limit = ROW_LIMIT[_width(editor)]
    editor.shot(f"compact-editor-{_width(editor)}")
    findings = editor.page.locator("#indicator-list .live-check").evaluate_all(
        "cs => cs.reduce((sum, c) => sum + c.getBoundingClientRect().height, 0)"
    )
    assert _height(editor, "#indicator-list") - findings <= 8 * row_limit
    assert editor.page.evaluate("document.documentElement.scrollWidth") <= _width(editor)


def test_every_field_of_the_editor_has_a_name(editor: Tab) -> None:
    """Column heads are drawn once; each control still tells a screen reader what it is."""
    unnamed = editor.page.locator("#indicator-editor form.ind-form").evaluate_all(
        """forms => forms.flatMap(f => [...f.querySelectorAll(CONTROLS)]
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                           && !el.textContent.trim())
             .map(el => el.name))""".replace("CONTROLS", repr(CONTROLS))
    )
    assert unnamed == []
    first = editor.page.locator("#indicator-list form.ind-form").first
    expect(first.get_by_label("三级指标名称")).not_to_have_value("")
    expect(first.get_by_role("button", name="上移")).to_be_visible()


def test_a_row_is_edited_and_saved_in_place(editor: Tab) -> None:
    at = 2 if _width(editor) == DESKTOP["width"] else 3  # the server is shared by both runs
    row = editor.page.locator("#indicator-list form.ind-form").nth(at)
    expect(row.locator("details.ind-more")).not_to_have_attribute("open", "")
    row.get_by_label("实施周期指标值运算符").select_option(label="定性")
    text = row.get_by_label("实施周期指标值定性描述")
    expect(text).to_be_visible()
    expect(row.get_by_label("实施周期指标值数值")).to_be_hidden()
    row.get_by_label("实施周期指标值运算符").select_option(label="≤")
    expect(text).to_be_hidden()
    row.get_by_label("年度指标值单位").fill("%")
    row.locator("summary").click()
    row.get_by_label("设定依据（选填）").fill("劳动合同期限")
    row.get_by_role("button", name="保存").click()
    saved = editor.page.locator("#indicator-list form.ind-form").nth(at)
    expect(saved.locator(".notice.ok")).to_contain_text("已保存")
    expect(saved.locator("details.ind-more")).to_have_attribute("open", "")
    expect(saved.get_by_label("设定依据（选填）")).to_have_value("劳动合同期限")
