"""Browser tests: the real app under uvicorn on a free 127.0.0.1 port, driven by Debian's Chromium.

The server runs in a background thread against a temporary SQLite database built by the
migrations, with one account per role. Every page opened through the ``page`` fixture records
console errors and uncaught page errors; a test fails if any appear that it did not expect.
Screenshots go to ``tests/artifacts/`` (ignored by git). ``JIXIAO_TEST_CHROMIUM`` names another
Chromium binary; without one the tests skip, or fail under ``JIXIAO_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Playwright,
    sync_playwright,
)

from jixiao.db.migrate import upgrade
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import Role
from jixiao.ingest import read_document
from jixiao.services.imports import service as imports
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate
from jixiao.settings import Settings
from jixiao.web.main import create_app
from required import REQUIRE_BROWSER, unavailable

CHROMIUM = Path(os.environ.get("JIXIAO_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_MISSING = f"Debian Chromium ({CHROMIUM}) is not installed: run make system-deps"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src/jixiao/samples/baiyun-amr-2023-targets.ocr.txt"
ARTIFACTS = ROOT / "tests/artifacts"
SAMPLE_YEAR = 2023
PASSWORD = "browser-pass-1"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

ACCOUNTS = {
    "admin": (Role.ADMIN, "系统管理员"),
    "finance": (Role.FINANCE_REVIEWER, "财政局王审核"),
    "deptrev": (Role.DEPT_REVIEWER, "部门李审核"),
    "unit": (Role.UNIT_EDITOR, "单位张填报"),
    "viewer": (Role.VIEWER, "只读赵查看"),
    "auditor": (Role.AUDIT_ADMIN, "审计孙管理"),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives a real Chromium: mark it ``browser``."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    url: str
    settings: Settings
    department: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(settings: Settings) -> str:
    """One account per role; the department the sample belongs to exists beforehand."""
    department = read_document(SAMPLE).department or "部门"
    factory = make_session_factory(make_engine(settings))
    with transaction(factory) as db:
        dept = orgs.add_department(db, SYSTEM, department)
        for username, (role, name) in ACCOUNTS.items():
            org_id = dept.id if role in (Role.DEPT_REVIEWER, Role.UNIT_EDITOR) else None
            data = UserCreate(
                username=username, password=PASSWORD, role=role, display_name=name, org_id=org_id
            )
            users.create_user(db, SYSTEM, data, settings)
    return department


def _serve(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, str]:
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def _start(tmp: pytest.TempPathFactory, imported: bool) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        unavailable(REQUIRE_BROWSER, CHROMIUM_MISSING)
    settings = Settings(data_dir=tmp.mktemp("browser-db"), secret_key="browser-tests")
    upgrade(settings)
    department = _seed(settings)
    if imported:
        _import_sample(settings)
    server, thread, url = _serve(settings)
    yield LiveServer(url, settings, department)
    server.should_exit = True
    thread.join(timeout=10)


def _import_sample(settings: Settings) -> None:
    factory = make_session_factory(make_engine(settings))
    with transaction(factory) as db:
        upload = imports.Upload(SAMPLE.read_bytes(), SAMPLE.name, SAMPLE_YEAR, None)
        imports.apply_import(db, SYSTEM, upload)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An empty system (accounts only): the workflow test imports the sample through the pages."""
    yield from _start(tmp_path_factory, imported=False)


@pytest.fixture(scope="session")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A system with the sample already imported (through the services)."""
    yield from _start(tmp_path_factory, imported=True)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(REQUIRE_BROWSER, CHROMIUM_MISSING)
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class Problems:
    """Console errors and page errors seen by one page; ``allow`` lists expected substrings."""

    seen: list[str] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)
    accept_confirms: bool = False

    def on_dialog(self, dialog: Dialog) -> None:
        """Confirmations are accepted when the test says so; anything else is a problem."""
        if dialog.type == "confirm" and self.accept_confirms:
            dialog.accept()
            return
        self.seen.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.seen.append(f"console: {message.text} @ {message.location.get('url', '')}")

    def on_page_error(self, error: Exception) -> None:
        self.seen.append(f"pageerror: {error}")

    def unexpected(self) -> list[str]:
        return [s for s in self.seen if not any(a in s for a in self.allow)]


@dataclass
class Tab:
    page: Page
    problems: Problems
    base: str

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def login(self, username: str) -> None:
        self.go("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/")

    def logout(self) -> None:
        self.page.click("header .who button")
        self.page.wait_for_url(f"{self.base}/login")

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def open_tab(browser: Browser, server: LiveServer, viewport: dict[str, int]) -> Iterator[Tab]:
    context = browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
    page = context.new_page()
    problems = Problems()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    page.on("dialog", problems.on_dialog)
    yield Tab(page, problems, server.url)
    context.close()
    assert problems.unexpected() == [], "console or page errors"


@contextmanager
def signed_in(
    browser: Browser, server: LiveServer, username: str, viewport: dict[str, int] = DESKTOP
) -> Iterator[Tab]:
    """A fresh browser context logged in as ``username``; checks for errors on close."""
    tabs = open_tab(browser, server, viewport)
    tab = next(tabs)
    tab.login(username)
    yield tab
    next(tabs, None)


@pytest.fixture
def tab(browser: Browser, seeded_server: LiveServer) -> Iterator[Tab]:
    """A desktop-size (1366×768) page on the system with the sample imported."""
    yield from open_tab(browser, seeded_server, DESKTOP)


@pytest.fixture
def phone(browser: Browser, seeded_server: LiveServer) -> Iterator[Tab]:
    """A phone-size (390×844) page on the system with the sample imported."""
    yield from open_tab(browser, seeded_server, PHONE)
