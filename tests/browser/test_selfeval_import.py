"""Published self-evaluations imported through the web pages: preview, choose, confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from factories import published_selfeval

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

#: per size: the form matching a project by name, and the project chosen for the unmatched one
PROJECTS = {
    "desktop": ("执法办案专项经费", "综合业务经费"),
    "phone": ("新开办企业印章刻制经费", "市场监管举报奖励专项经费"),
}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("size", list(SIZES))
def test_a_published_self_evaluation_file_is_previewed_and_attached(
    browser: Browser, seeded_server: LiveServer, size: str, tmp_path: Path
) -> None:
    matched, chosen = PROJECTS[size]
    new = f"按自评表新建的项目（{size}）"
    path = tmp_path / "自评表.csv"
    forms = [(matched, "100"), ("表中另起的名称", "95"), (new, "90")]
    path.write_text(published_selfeval(forms), "utf-8")
    with signed_in(browser, seeded_server, "deptrev", SIZES[size]) as tab:
        page = tab.page
        page.click("nav a:text-is('导入')")
        page.set_input_files("input[name=file]", str(path))
        page.click("button:has-text('上传并预览')")
        expect(page.locator("#selfeval-summary")).to_contain_text("3 张自评表：1 张")
        rows = page.locator("#selfeval-matches tbody tr")
        expect(rows.nth(0).locator("td[data-label='匹配']")).to_have_text("同名项目")
        expect(rows.nth(1).locator("td[data-label='匹配']")).to_have_text("未匹配")
        pick = page.get_by_label("“表中另起的名称”导入到项目")
        expect(pick).to_have_value("")
        pick.select_option(label=chosen)
        # Only the unmatched forms offer to create their project, unticked.
        expect(rows.nth(0).get_by_role("checkbox")).to_have_count(0)
        create = rows.nth(2).get_by_role("checkbox", name="新建项目并导入自评")
        expect(create).not_to_be_checked()
        expect(rows.nth(2).locator(".create-project")).to_contain_text(f"新建“{new}”")
        create.check()
        tab.shot(f"selfeval-import-preview-{size}")
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        page.click("#selfeval-import button:text-is('确认导入')")
        expect(page.locator("h1")).to_have_text("自评表导入完成")
        results = page.locator("#selfeval-attached td[data-label='结果']")
        expect(results).to_have_text(
            [
                "已导入，查看评分",
                "已导入，查看评分",
                "已新建项目并导入，查看评分 · 查看新建项目",
            ]
        )
        created = page.locator("#selfeval-attached a:text-is('查看新建项目')")
        created_url = created.evaluate("a => a.href")
        page.locator("#selfeval-attached a").first.click()
        expect(page.locator("#score-total")).to_be_visible()
        expect(page.locator("main")).to_contain_text(matched)
        page.goto(created_url)
        expect(page.locator("main")).to_contain_text(new)
        expect(page.locator("main")).to_contain_text("服务天数")
