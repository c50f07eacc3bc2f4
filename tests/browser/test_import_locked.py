"""Importing a newer table while some projects are locked: the rest can be imported.

The plain 确认导入 looks disabled (grey, not-allowed cursor); the page offers to skip the
locked projects, and the result page lists each skipped project with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from jixiao.db.models import FiscalYear, Project
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.exchange import document_to_json
from jixiao.ingest import read_document
from jixiao.services.imports import service as imports
from jixiao.services.principal import SYSTEM
from jixiao.services.workflow import service as workflow

from .conftest import DESKTOP, PHONE, SAMPLE, LiveServer, _start, signed_in

LOCKED = "罚没物品处置费"  # no error finding: it can be submitted as it is
EDITED = "打假专项经费"
SIZES = {"desktop": (DESKTOP, 2031), "phone": (PHONE, 2032)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from _start(tmp_path_factory, imported=False)


def import_and_lock(server: LiveServer, year: int) -> None:
    factory = make_session_factory(make_engine(server.settings))
    with transaction(factory) as db:
        upload = imports.Upload(SAMPLE.read_bytes(), SAMPLE.name, year, None)
        imports.apply_import(db, SYSTEM, upload)
        project = db.scalar(
            select(Project).join(FiscalYear).where(Project.name == LOCKED, FiscalYear.year == year)
        )
        assert project is not None
        workflow.transition(db, SYSTEM, project.id, "submit")


def newer_table(folder: Path, year: int) -> Path:
    """The sample with a revised goal for the locked project and for one other project."""
    document = read_document(SAMPLE)
    document.year = year
    for project in document.projects:
        if project.name in (LOCKED, EDITED):
            project.goal = (project.goal or "") + "（修订）"
    path = folder / f"newer-{year}.json"
    path.write_text(json.dumps(document_to_json(document), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("size", list(SIZES))
def test_one_locked_project_does_not_block_the_rest(
    browser: Browser, server: LiveServer, size: str, tmp_path: Path
) -> None:
    viewport, year = SIZES[size]
    import_and_lock(server, year)
    with signed_in(browser, server, "deptrev", viewport) as tab:
        tab.go("/imports")
        tab.page.set_input_files("input[name=file]", str(newer_table(tmp_path, year)))
        tab.page.fill("input[name=year]", str(year))
        tab.page.click("button:has-text('上传并预览')")
        expect(tab.page.locator("#blocked-projects")).to_contain_text(LOCKED)
        plain = tab.page.locator("button:text-is('确认导入')")
        expect(plain).to_be_disabled()
        assert plain.evaluate("b => getComputedStyle(b).cursor") == "not-allowed"
        skip = tab.page.locator("button[name=skip_locked]")
        shade = "b => getComputedStyle(b).backgroundColor"
        assert plain.evaluate(shade) != skip.evaluate(shade), "a disabled button looks different"
        tab.shot(f"import-locked-preview-{size}")
        skip.click()
        expect(tab.page.locator("h1")).to_have_text("导入完成")
        skipped = tab.page.locator("#skipped-projects")
        expect(skipped).to_contain_text(LOCKED)
        expect(skipped).to_contain_text("已提交")
        expect(tab.page.locator("main")).to_contain_text("变更项目 1 个")
        tab.shot(f"import-locked-done-{size}")
