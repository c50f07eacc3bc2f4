"""Dashboard charts count in whole numbers with labels that fit a phone; the project search
sends one request per pause in typing, not several per keystroke."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Request, expect

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

SIZES = {"desktop": DESKTOP, "phone": PHONE}

BAR_AXES = """() => Array.from(document.querySelectorAll('[data-chart-key]')).map(el => {
  const option = echarts.getInstanceByDom(el).getOption();
  if (option.series[0].type !== 'bar') return null;
  const axes = option.xAxis[0].type === 'value' ? option.xAxis : option.yAxis;
  const labels = option.xAxis[0].type === 'category' ? option.xAxis[0].axisLabel : null;
  return {minInterval: axes[0].minInterval, hideOverlap: labels ? labels.hideOverlap : true};
}).filter(Boolean)"""


@pytest.mark.parametrize("size", list(SIZES))
def test_bar_charts_count_whole_projects_and_hide_colliding_labels(
    browser: Browser, seeded_server: LiveServer, size: str
) -> None:
    with signed_in(browser, seeded_server, "admin", SIZES[size]) as tab:
        # the four charts draw once their data (fetched as JSON after the page) arrives
        expect(tab.page.locator("[data-chart-key] canvas")).to_have_count(4)
        axes = tab.page.evaluate(BAR_AXES)
        assert axes, "the dashboard has bar charts"
        assert all(a["minInterval"] == 1 and a["hideOverlap"] for a in axes), axes
        tab.shot(f"dashboard-charts-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_search_sends_one_request_per_pause(
    browser: Browser, seeded_server: LiveServer, size: str
) -> None:
    with signed_in(browser, seeded_server, "viewer", SIZES[size]) as tab:
        tab.go("/projects")
        sent: list[str] = []

        def count(request: Request) -> None:
            if "/projects?" in request.url and request.headers.get("hx-request"):
                sent.append(request.url)

        tab.page.on("request", count)
        box = tab.page.locator("input[name=q]")
        box.press_sequentially("物业", delay=700)  # a pause after each character
        expect(tab.page.locator("#result-count")).to_contain_text("共 1 个项目")
        tab.page.wait_for_timeout(800)
        assert len(sent) == 2, sent
        sent.clear()
        box.press_sequentially("管理费", delay=50)  # quick typing: one request at the end
        tab.page.wait_for_timeout(1000)
        assert len(sent) == 1, sent
