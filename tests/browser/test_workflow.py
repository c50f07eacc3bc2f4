"""The whole path through the pages: import, fix a finding, submit, return, resubmit, approve."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import SAMPLE, LiveServer, Tab

FIXED_PROJECT = "物业管理费"
WRONG_LEVEL_INDICATOR = "每月考评达标率"


def test_import_the_sample_through_the_pages(tab: Tab, live_server: LiveServer) -> None:
    tab.login("deptrev")
    tab.page.click("nav >> text=导入")
    tab.page.set_input_files("input[name=file]", str(SAMPLE))
    tab.page.fill("input[name=year]", "2023")
    tab.page.click("button:has-text('上传并预览')")
    expect(tab.page.locator("h1")).to_contain_text("导入预览")
    expect(tab.page.locator(".stat").first).to_contain_text("37")
    expect(tab.page.locator("body")).to_contain_text(FIXED_PROJECT)
    expect(tab.page.locator("body")).to_contain_text("JX001")
    tab.shot("import-preview")
    tab.page.click("button:has-text('确认导入')")
    expect(tab.page.locator("h1")).to_have_text("导入完成")
    expect(tab.page.locator("body")).to_contain_text("新增项目 37 个")
    tab.page.click("text=查看导入的项目")
    expect(tab.page.locator("h1")).to_have_text("项目列表")
    expect(tab.page.locator("#result-count")).to_contain_text("共 37 个项目")
    tab.shot("project-list")
    assert re.search(r"/projects\?org=\d+&year=2023", tab.page.url)
