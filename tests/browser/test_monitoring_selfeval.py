"""单位填报 enters the 1–7月 monitoring round and the year-end self-evaluation of a sample project
through the pages, sees the lights and the explained score, and downloads both tables.
"""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from .conftest import PHONE, LiveServer, Tab, signed_in

pytestmark = pytest.mark.browser

PROJECT = "食品抽样检验经费"  # 154.80 万元; 3 quantitative and 4 qualitative indicators


def open_results(tab: Tab) -> None:
    tab.go(f"/projects?q={PROJECT}")
    tab.page.click(f"#project-table a:text-is('{PROJECT}')")
    tab.page.click("a.btn:text-is('监控与自评')")
    expect(tab.page.locator("main h1")).to_have_text("监控与自评")


def fill_round(tab: Tab) -> None:
    """40 of 154.80 万元 spent by July (red); 8000 of 20000 quick tests (yellow); rest on track."""
    page = tab.page
    page.fill("input[name=executed]", "40")
    page.fill("input[name=forecast]", "150")
    page.fill("input[name=i0-actual]", "2200")
    page.fill("input[name=i1-actual]", "100")
    page.fill("input[name=i2-actual]", "8000")
    page.fill("input[name=i2-forecast]", "20000")
    page.select_option("select[name=i2-likelihood]", label="有可能")
    for n in (3, 4, 5, 6):
        page.select_option(f"select[name=i{n}-tier]", label="达成")
        page.select_option(f"select[name=i{n}-likelihood]", label="确定能")
    page.click("#monitoring-form button[type=submit]")


def light_of(tab: Tab, subject: str) -> str:
    row = tab.page.locator(f"#lights tr[data-subject='{subject}'] .light")
    return str(row.get_attribute("class"))


def enter_monitoring(tab: Tab) -> None:
    tab.page.select_option("#open-round select[name=end_month]", "7")
    tab.page.click("#open-round button")
    expect(tab.page.locator("main h1")).to_contain_text("2023年1–7月")
    fill_round(tab)
    expect(tab.page.locator(".notice.warn")).to_contain_text("待补正")
    assert light_of(tab, "预算执行") == "light red"  # 25.84% against 58.33% of the year
    assert light_of(tab, "食品及食用农产品快检量(批次)") == "light yellow"  # 8000 of 11666.67
    assert light_of(tab, "食品安全抽检量(批次)") == "light green"
    expect(tab.page.locator("[data-error-for='budget_deviation']")).to_contain_text("须说明")
    expect(tab.page.locator("[data-error-for='i2-causes']")).to_contain_text("须勾选偏差原因")
    tab.shot("monitoring-round-issues")
    tab.page.fill("textarea[name=budget_deviation]", "检验合同按季度结算，第三季度集中支付")
    tab.page.check("input[name=i2-causes][value=staffing]")
    tab.page.fill("textarea[name=i2-cause_note]", "快检人员上半年借调")
    tab.page.fill("textarea[name=i2-measures]", "下半年增加快检车巡检频次")
    tab.page.click("#monitoring-form button[type=submit]")
    expect(tab.page.locator(".notice.ok")).to_have_text("监控记录已保存。")
    expect(tab.page.locator("[data-error-for]")).to_have_count(0)
    expect(tab.page.locator("input[name=i2-causes][value=staffing]")).to_be_checked()
    tab.shot("monitoring-round-saved")


def enter_self_evaluation(tab: Tab) -> None:
    open_results(tab)
    tab.page.click("a.btn:text-is('填报自评')")
    expect(tab.page.locator("main h1")).to_have_text("2023 年度绩效自评")
    page = tab.page
    page.fill("input[name=executed]", "150")
    page.fill("input[name=i0-actual]", "3710")
    page.fill("input[name=i1-actual]", "100")
    page.fill("input[name=i2-actual]", "20000")
    for n in (3, 5, 6):
        page.select_option(f"select[name=i{n}-tier]", "achieved")
    page.select_option("select[name=i4-tier]", "partial")
    page.fill("input[name=i4-tier_percent]", "95")  # outside 部分达成's 60–80 band
    tab.problems.allow.append("status of 422")  # the refused form comes back as 422
    page.click("#selfeval-form button[type=submit]")
    expect(page.locator("[data-error-for='i4-tier_percent']")).to_contain_text("60%–80%")
    expect(page.locator("input[name=i2-actual]")).to_have_value("20000")  # input kept
    page.fill("input[name=i4-tier_percent]", "70")
    page.fill("textarea[name=i4-deviation]", "个别批次复检延迟，已约谈检验机构")
    page.click("#selfeval-form button[type=submit]")
    expect(page.locator("main h1")).to_have_text("2023 年度自评得分")
    expect(page.locator(".notice.ok")).to_have_text("自评已保存。")


def check_score(tab: Tab) -> None:
    lines = tab.page.locator("#score-lines tbody tr")
    expect(lines).to_have_count(8)  # 预算执行率 and seven indicators
    partial = tab.page.locator("#score-lines tr[data-line='重大事故发生次数(次)']")
    expect(partial).to_contain_text("部分达成")
    expect(partial.locator(".formula")).to_contain_text("70")
    points = [Decimal(t) for t in lines.locator("td:last-child").all_inner_texts()]
    total = Decimal(tab.page.locator("#score-total").inner_text().replace("分", ""))
    assert sum(points) == total
    assert Decimal(90) <= total < 100  # one indicator partly met, 96.90% of the budget spent
    expect(tab.page.locator("#score-grade")).to_have_text("优")
    tab.shot("selfeval-score")


def download(tab: Tab, link: str, folder: Path) -> Path:
    with tab.page.expect_download() as info:
        tab.page.click(f"a.btn:text-is('{link}')")
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def check_downloads(tab: Tab, tmp_path: Path) -> None:
    xlsx = download(tab, "下载自评表（Excel）", tmp_path)
    assert xlsx.name == f"{PROJECT}-项目支出绩效自评表-2023年度.xlsx"
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    assert sheet is not None
    assert sheet["A1"].value == "项目支出绩效自评表（2023年度）"
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert PROJECT in cells
    pdf = download(tab, "下载自评表（PDF）", tmp_path)
    assert "项目支出绩效自评表" in pdf_text(pdf)
    open_results(tab)
    monitoring_xlsx = download(tab, "下载监控表（Excel）", tmp_path)
    assert monitoring_xlsx.name == f"{PROJECT}-绩效目标执行监控表-2023年1–7月.xlsx"
    sheet = load_workbook(io.BytesIO(monitoring_xlsx.read_bytes())).active
    assert sheet is not None
    assert sheet["A1"].value == "项目支出绩效目标执行监控表（2023年1–7月）"
    text = pdf_text(download(tab, "下载监控表（PDF）", tmp_path))
    assert "绩效目标执行监控表" in text
    assert "快检人员上半年借调" in text


def pdf_text(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return "".join(done.stdout.decode("utf-8").split())


def test_monitoring_and_self_evaluation_end_to_end(
    browser: Browser, seeded_server: LiveServer, tmp_path: Path
) -> None:
    with signed_in(browser, seeded_server, "unit") as tab:
        open_results(tab)
        enter_monitoring(tab)
        enter_self_evaluation(tab)
        check_score(tab)
        check_downloads(tab, tmp_path)
        tab.go("/?year=2023")
        expect(tab.page.locator("#results canvas").first).to_be_visible(timeout=15_000)
        expect(tab.page.locator("#monitored-count")).to_contain_text("1")
        tab.shot("dashboard-results")
    with signed_in(browser, seeded_server, "viewer", PHONE) as phone:
        open_results(phone)
        phone.page.click("#monitoring a:text-is('2023年1–7月')")
        expect(phone.page.locator("#lights .light.red")).to_have_count(1)
        expect(phone.page.locator("#monitoring-form button[type=submit]")).to_have_count(0)
        assert fits(phone), "the round page is wider than a phone"
        phone.shot("monitoring-round-phone")
        open_results(phone)
        phone.page.click("a.btn:text-is('查看评分')")
        expect(phone.page.locator("#score-grade")).to_have_text("优")
        assert fits(phone), "the score page is wider than a phone"
        phone.shot("selfeval-score-phone")
        phone.go("/?year=2023")
        expect(phone.page.locator("#results canvas").first).to_be_visible(timeout=15_000)
        assert fits(phone), "the dashboard is wider than a phone"


def fits(tab: Tab) -> bool:
    """Whether the page fits the phone's width (no sideways scrolling of the whole page)."""
    return bool(tab.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1)
