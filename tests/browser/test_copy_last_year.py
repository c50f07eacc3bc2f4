"""Copy last year in a real browser: the button on an approved project, the draft's edit page
with last year's actual value beside the target, and the easy-target finding going away once
the target is raised."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from factories import create_project, make_indicator, make_project
from jixiao.db.models import Organisation
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import ProjectStatus
from jixiao.services.evaluations.schemas import SelfEvaluationIn
from jixiao.services.evaluations.service import save_self_evaluation, selfeval_template
from jixiao.services.principal import SYSTEM

from .conftest import LiveServer, Tab

NAME = "案件查办复制示例经费"


def _approved_with_selfeval(server: LiveServer) -> int:
    """An approved 2023 project of the sample's department, self-evaluated: 1650 cases done."""
    factory = make_session_factory(make_engine(server.settings))
    with transaction(factory) as db:
        dept = db.scalars(select(Organisation).where(Organisation.name == server.department)).one()
        domain = make_project(
            name=NAME,
            indicators=[make_indicator(name="执法办案立案数", period="≥1500宗", annual="≥1500宗")],
        )
        project = create_project(db, org=dept, status=ProjectStatus.APPROVED, domain=domain)
        entry: dict[str, Any] = selfeval_template(db, SYSTEM, project.id)
        entry["funds"] = [{**entry["funds"][0], "executed": "120"}]
        entry["indicators"] = [{**entry["indicators"][0], "actual": "1650"}]
        save_self_evaluation(db, SYSTEM, project.id, SelfEvaluationIn(year=2023, entry=entry))
        return project.id


def test_copy_last_year_and_raise_an_easy_target(tab: Tab, seeded_server: LiveServer) -> None:
    source = _approved_with_selfeval(seeded_server)
    tab.login("unit")
    tab.go(f"/projects/{source}")
    tab.page.click("#copy-form button:text-is('复制为 2024 年度草稿')")
    tab.page.wait_for_url("**/edit?copied=1")
    expect(tab.page.locator(".notice.ok[role=status]").first).to_contain_text(
        "已复制为 2024 年度草稿"
    )

    form = tab.page.locator("#indicator-list form.ind-form").first
    expect(form.locator("input[name=name]")).to_have_value("执法办案立案数")
    expect(form.locator("[data-last-year]")).to_have_text(
        "上年（2023）指标值 ≥1500宗，实际完成 1650宗"
    )
    expect(form).to_contain_text("JX041")
    tab.shot("copy-last-year-edit")

    form.locator("input[name=annual_value]").fill("1700")
    form.locator("input[name=period_value]").fill("1700")
    form.locator("button:text-is('保存')").click()
    saved = tab.page.locator("#indicator-list form.ind-form").first
    expect(saved.locator("[role=status]")).to_contain_text("已保存")
    expect(saved).not_to_contain_text("JX041")
    expect(saved.locator("[data-last-year]")).to_contain_text("实际完成 1650宗")

    tab.page.click("a.btn:text-is('返回详情')")
    expect(tab.page.locator("#copied-from")).to_contain_text(f"2023 年度“{NAME}”")
    expect(tab.page.locator("#versions")).to_contain_text("复制上年")
    # Copying again is refused with the reason, on the source's page.
    tab.go(f"/projects/{source}")
    tab.page.click("#copy-form button")
    expect(tab.page.locator("[role=alert]").first).to_contain_text("不能再复制")
    tab.problems.allow.append("409")
