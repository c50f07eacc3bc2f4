"""指标库 pages in a real browser: the peers' box plot draws, on an entry and on a project's
同类比较 page, at desktop and phone size, with no console errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

SIZES = {"desktop": DESKTOP, "phone": PHONE}

# per chart: the box (marked area), the median, whiskers and ends (marked lines), own targets
SERIES = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const s = echarts.getInstanceByDom(el).getOption().series[0];
  return [s.markArea.data.length, s.markLine.data.length, s.data.length];
})"""


@pytest.mark.parametrize("size", list(SIZES))
def test_box_plots_draw(browser: Browser, seeded_server: LiveServer, size: str) -> None:
    with signed_in(browser, seeded_server, "admin", SIZES[size]) as tab:
        tab.go("/library?q=硬件兼容")
        tab.page.locator("#library-entries tbody a").first.click()
        expect(tab.page.locator(".chart canvas")).to_have_count(1)
        assert tab.page.evaluate(SERIES) == [[1, 5, 0]]
        tab.shot(f"library-entry-{size}")
        # a project using this entry, against its peers (its own target marked)
        tab.page.locator("section.card ul a").first.click()
        tab.page.get_by_role("link", name="同类比较").click()
        expect(tab.page.locator(".chart canvas").first).to_be_visible()
        drawn = tab.page.evaluate(SERIES)
        assert drawn
        assert all(series == [1, 5, 1] for series in drawn), drawn
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], width
        tab.shot(f"project-peers-{size}")
