"""The whole path through the pages, each step by the role that does it in real life:

部门审核 imports the sample → 单位填报 fixes a finding by editing an indicator and submits →
部门审核 returns it with a comment → the unit sees the comment highlighted and resubmits →
部门审核 approves → 财政审核 approves (批复), and the approver stamps are shown.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from .conftest import SAMPLE, LiveServer, Tab, signed_in

PROJECT = "物业管理费"
INDICATOR = "每月考评达标率"
COMMENT = "满意度指标请补充测评方式与样本量，成本指标缺失，请补充后再提交。"


def import_sample(tab: Tab) -> None:
    tab.page.click("nav >> text=导入")
    tab.page.set_input_files("input[name=file]", str(SAMPLE))
    tab.page.fill("input[name=year]", "2023")
    tab.page.click("button:has-text('上传并预览')")
    expect(tab.page.locator("h1")).to_contain_text("导入预览")
    expect(tab.page.locator(".stat").first).to_contain_text("37")
    expect(tab.page.locator("body")).to_contain_text(PROJECT)
    expect(tab.page.locator("body")).to_contain_text("JX001")
    tab.shot("import-preview")
    tab.page.click("button:has-text('确认导入')")
    expect(tab.page.locator("h1")).to_have_text("导入完成")
    expect(tab.page.locator("body")).to_contain_text("新增项目 37 个")
    tab.page.click("text=查看导入的项目")
    expect(tab.page.locator("h1")).to_have_text("项目列表")
    expect(tab.page.locator("#result-count")).to_contain_text("共 37 个项目")
    assert re.search(r"/projects\?org=\d+&year=2023", tab.page.url)
    tab.shot("project-list")


def open_project(tab: Tab, name: str) -> None:
    tab.page.click("nav >> text=项目")
    tab.page.fill("input[name=q]", name)
    tab.page.press("input[name=q]", "Enter")
    expect(tab.page.locator("#result-count")).to_contain_text("共 1 个项目")
    tab.page.click(f"#project-table a:text-is('{name}')")
    expect(tab.page.locator("h1")).to_have_text(name)


def indicator_row(tab: Tab) -> object:
    return tab.page.locator("table.official tr", has_text=INDICATOR)


def fix_wrong_level(tab: Tab) -> None:
    open_project(tab, PROJECT)
    row = tab.page.locator("table.official tr", has_text=INDICATOR)
    expect(row).to_contain_text("JX001")
    expect(row.locator(".finding .fix").first).to_be_visible()
    tab.shot("project-detail")
    tab.page.click("a.btn:text-is('编辑')")
    expect(tab.page.locator("h1")).to_have_text("编辑绩效目标")
    form = tab.page.locator("form.ind-form", has=tab.page.locator(f"input[value='{INDICATOR}']"))
    expect(form.locator(".live-check")).to_contain_text("JX001")
    form.locator("select[name=category]").select_option(label="1-产出指标 › 12-质量指标")
    expect(form.locator(".live-check")).not_to_contain_text("JX001")
    tab.shot("edit-live-check")
    form.locator("button:text-is('保存')").click()
    expect(form.locator(".notice.ok")).to_contain_text("已保存")
    tab.page.click("text=返回详情")
    row = tab.page.locator("table.official tr", has_text=INDICATOR)
    expect(row).to_contain_text("12-质量指标")
    expect(row).not_to_contain_text("JX001")


def decide(tab: Tab, button: str, comment: str = "") -> None:
    tab.page.fill("#decision textarea[name=comment]", comment)
    tab.page.click(f"#workflow-bar button:text-is('{button}')")


def return_with_comment(tab: Tab) -> None:
    tab.page.click("nav >> text=审核")
    queue = tab.page.locator("#queue-submitted")
    expect(queue).to_contain_text(PROJECT)
    tab.shot("review-queue")
    queue.locator("a", has_text=PROJECT).first.click()
    tab.problems.allow.append("status of 422")  # the empty-comment attempt below
    decide(tab, "部门审核退回")
    expect(tab.page.locator("#decision .notice.error")).to_contain_text("必须填写意见")
    decide(tab, "部门审核退回", COMMENT)
    expect(tab.page.locator(".notice.ok")).to_contain_text("已退回")
    expect(tab.page.locator(".page-head .badge").first).to_have_text("已退回")


def resubmit_after_reading_comment(tab: Tab) -> None:
    tab.go("/")
    returned = tab.page.locator("#todo")
    expect(returned).to_contain_text(PROJECT)
    expect(returned).to_contain_text(COMMENT)
    tab.page.click("nav >> text=项目")
    expect(tab.page.locator("#project-table tr.returned")).to_contain_text(PROJECT)
    tab.shot("project-list-returned")
    open_project(tab, PROJECT)
    expect(tab.page.locator("#returned-note")).to_contain_text(COMMENT)
    expect(tab.page.locator("#history")).to_contain_text("部门审核退回")
    tab.shot("project-returned")
    decide(tab, "提交")
    expect(tab.page.locator(".notice.ok")).to_contain_text("已提交审核")
    expect(tab.page.locator("#returned-note")).to_have_count(0)


def approve(tab: Tab, button: str, status: str) -> None:
    tab.page.click("nav >> text=审核")
    tab.page.locator("main a", has_text=PROJECT).first.click()
    tab.page.check("#open-findings input[name=findings_seen]")
    decide(tab, button)
    expect(tab.page.locator(".page-head .badge").first).to_have_text(status)


def test_import_fix_submit_return_resubmit_approve(
    browser: Browser, live_server: LiveServer
) -> None:
    with signed_in(browser, live_server, "deptrev") as reviewer:
        import_sample(reviewer)
    with signed_in(browser, live_server, "unit") as unit:
        fix_wrong_level(unit)
        unit.page.locator("#workflow-bar button:text-is('提交')").click()
        expect(unit.page.locator(".notice.ok")).to_contain_text("已提交审核")
        expect(unit.page.locator("a.btn:text-is('编辑')")).to_have_count(0)
    with signed_in(browser, live_server, "deptrev") as reviewer:
        return_with_comment(reviewer)
    with signed_in(browser, live_server, "unit") as unit:
        resubmit_after_reading_comment(unit)
    with signed_in(browser, live_server, "deptrev") as reviewer:
        approve(reviewer, "部门审核通过", "部门审核通过")
    with signed_in(browser, live_server, "finance") as finance:
        approve(finance, "财政审核通过（批复）", "已批复")
        history = finance.page.locator("#history")
        expect(history.locator(".stamp")).to_have_count(3)
        expect(history).to_contain_text("财政局王审核（财政审核）")
        expect(history).to_contain_text(COMMENT)
        expect(finance.page.locator(".notice.info")).to_contain_text("已锁定")
        finance.shot("project-approved")
        finance.page.click("a.btn:text-is('修改记录')")
        record = finance.page.locator("#audit")
        expect(record).to_contain_text("财政审核通过（批复）")
        expect(record).to_contain_text("修改指标")
        expect(record).to_contain_text(COMMENT)
        finance.shot("project-audit")
