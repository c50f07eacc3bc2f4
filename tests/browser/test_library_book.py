"""指标库 import in a real browser: upload a workbook, read the preview at desktop and phone
size (no console errors, nothing wider than the screen), confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from jixiao.db.models import LibraryEntry
from jixiao.db.session import make_engine, make_session_factory, transaction

from .conftest import DESKTOP, PHONE, LiveServer, signed_in

SIZES = {"desktop": DESKTOP, "phone": PHONE}


def _known_entry(server: LiveServer) -> tuple[str, str]:
    """The most used entry of the sample: (level-2 name, name)."""
    factory = make_session_factory(make_engine(server.settings))
    with transaction(factory) as db:
        entry = db.scalars(
            select(LibraryEntry).order_by(LibraryEntry.occurrence_count.desc(), LibraryEntry.id)
        ).first()
        assert entry is not None
        assert entry.level2_name
        return entry.level2_name, entry.name


def _workbook(path: Path, size: str, known: tuple[str, str]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["省级绩效指标库"])
    ws.append(["三级指标名称", "二级指标", "指标说明", "计算公式", "适用行业"])
    long = "按年度内实际完成的数量统计，以验收报告、签到表等佐证材料为准。" * 3
    ws.append([known[1], known[0], f"{size}：{long}", f"{size}：完成数÷计划数×100%", "市场监管"])
    for i in range(3):
        ws.append([f"{size}新增指标{i + 1}", "质量指标", long, "每低1%扣1分", "市场监管、教育"])
    wb.save(path)


@pytest.mark.parametrize("size", list(SIZES))
def test_import_preview_and_confirm(
    browser: Browser, seeded_server: LiveServer, size: str, tmp_path: Path
) -> None:
    known = _known_entry(seeded_server)
    path = tmp_path / "省指标库.xlsx"
    _workbook(path, size, known)
    with signed_in(browser, seeded_server, "finance", SIZES[size]) as tab:
        page = tab.page
        tab.go("/library")
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        expect(page.locator("#library-export")).to_be_visible()
        page.click("#library-import")
        page.set_input_files("input[name=file]", str(path))
        page.click("button:has-text('上传并预览')")
        expect(page.locator("h1")).to_have_text("导入预览：省指标库.xlsx")
        expect(page.locator("#book-new tbody tr")).to_have_count(3)
        updated = page.locator("#book-updated tbody tr")
        expect(updated).to_have_count(1)
        expect(updated.locator("td[data-label='修改']")).to_contain_text("指标解释")
        expect(updated.locator("td[data-label='修改']")).to_contain_text("计算公式/评分标准")
        tab.shot(f"library-import-preview-{size}")
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        page.click("#book-confirm button:text-is('确认导入')")
        expect(page.locator("#book-imported")).to_have_text("指标库已导入：新增 3 条，修改 1 条。")
        tab.go(f"/library?q={size}新增指标")
        expect(page.locator("#library-entries tbody a")).to_have_count(3)
