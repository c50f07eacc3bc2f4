"""我的账号 in Chromium at desktop and phone width: change one's own password (the current one is
asked for, the policy explained), create an API token (shown once), see it listed, revoke it."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import Browser, expect

from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import Role
from jixiao.services.principal import SYSTEM
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate

from .conftest import DESKTOP, PHONE, LiveServer, Tab, open_tab
from .test_pages import overflows

FIRST = "Start-pass-2026"
SECOND = "Second-pass-2027"


def _new_account(server: LiveServer) -> str:
    """An account of its own, so that changing its password disturbs no other test."""
    username = f"acct{secrets.token_hex(3)}"
    engine = make_engine(server.settings)
    with transaction(make_session_factory(engine)) as db:
        data = UserCreate(username=username, password=FIRST, role=Role.VIEWER)
        users.create_user(db, SYSTEM, data, server.settings)
    engine.dispose()
    return username


def _login(tab: Tab, username: str, password: str) -> None:
    tab.go("/login")
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", password)
    tab.page.click("button[type=submit]")
    tab.page.wait_for_url(tab.base + "/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_change_own_password_and_manage_tokens(
    browser: Browser, seeded_server: LiveServer, viewport: dict[str, int]
) -> None:
    username = _new_account(seeded_server)
    tabs = open_tab(browser, seeded_server, viewport)
    tab = next(tabs)
    page = tab.page
    _login(tab, username, FIRST)
    page.click("header .who a")
    page.wait_for_url(tab.base + "/account")
    expect(page.locator("main h1")).to_have_text("我的账号")
    assert not overflows(page), "the account page is wider than the window"

    page.fill("input[name=name]", "数据同步脚本")
    page.click("#api-tokens button:text-is('创建令牌')")
    expect(page.locator("#new-token code.token")).to_contain_text("jx_")
    row = page.locator("#tokens tbody tr").first
    expect(row.locator("td[data-label='名称']")).to_have_text("数据同步脚本")
    expect(row.locator("td[data-label='最近使用']")).to_have_text("从未使用")
    expect(row.locator("td[data-label='状态']")).to_have_text("有效")
    expect(row.locator("td[data-label='有效期至']")).not_to_be_empty()
    tab.shot(f"account-token-{viewport['width']}")
    row.locator("button:text-is('撤销')").click()
    expect(page.locator(".notice.ok")).to_contain_text("令牌已撤销")
    expect(page.locator("#tokens tbody tr").first.locator("td[data-label='状态']")).to_have_text(
        "已撤销"
    )
    expect(page.locator("#new-token")).to_have_count(0)

    form = page.locator("#change-password")
    expect(form).to_contain_text("至少 8 位")
    form.locator("input[name=current_password]").fill("Not-the-pass-1")
    form.locator("input[name=password]").fill(SECOND)
    form.locator("input[name=password_again]").fill(SECOND)
    form.locator("button[type=submit]").click()
    expect(page.locator("#change-password .field.invalid .err")).to_have_text("当前密码不正确")
    tab.problems.allow.append("status of 422")
    form = page.locator("#change-password")
    form.locator("input[name=current_password]").fill(FIRST)
    form.locator("input[name=password]").fill("12345678")
    form.locator("input[name=password_again]").fill("12345678")
    form.locator("button[type=submit]").click()
    expect(page.locator("#change-password .field.invalid .err")).to_contain_text("3 类")
    form = page.locator("#change-password")
    form.locator("input[name=current_password]").fill(FIRST)
    form.locator("input[name=password]").fill(SECOND)
    form.locator("input[name=password_again]").fill(SECOND)
    form.locator("button[type=submit]").click()
    expect(page.locator(".notice.ok")).to_contain_text("密码已修改")
    tab.shot(f"account-password-{viewport['width']}")
    tab.logout()
    _login(tab, username, SECOND)
    next(tabs, None)
