"""A published self-evaluation whose project is not stored: on request, the project is created
from the evaluation (through the import service) and the evaluation stored on it, all or
nothing; never without the request, never twice, never outside the actor's organisations."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import World, create_user
from jixiao.db.migrate import upgrade
from jixiao.db.models import (
    AuditEntry,
    FundingLine,
    Goal,
    ImportedDocument,
    Indicator,
    Project,
    RepairRow,
    SelfEvaluationRecord,
    TargetValueRow,
)
from jixiao.db.session import make_engine, make_session_factory, transaction
from jixiao.domain.enums import FundSource, MoneyUnit, ProjectStatus, Role, TargetPeriod
from jixiao.domain.money import Money
from jixiao.domain.project import Amounts
from jixiao.ingest import parse_bytes
from jixiao.services.errors import Conflict, Forbidden
from jixiao.services.evaluations import published
from jixiao.services.imports.service import Upload
from jixiao.services.orgs import service as orgs
from jixiao.services.principal import Principal
from jixiao.settings import Settings

FILENAME = "2023年自评表.csv"

# Two published forms of 甲部门; neither project is stored. The budget the year began with
# (年初预算数) differs from the adjusted one (全年预算数).
FORMS = """\
项目支出绩效自评表（2023年度）
项目名称,,新建的项目
主管部门,,甲部门,,,实施单位,甲单位
项目资金（万元）,,,年初预算数,全年预算数,全年执行数,分值,执行率,得分
,,年度资金总额,100.00,120.50,90.00,10,74.69%,7.47
,,其中：当年财政拨款,80.00,100.50,70.00,,,
,,其他资金,20.00,20.00,20.00,,,
年度总体目标,,预期目标,,,实际完成情况
,,保障办公场所全年正常运转。,,,全年正常运转。
绩效指标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分
,1-产出指标,11-数量指标,服务天数,≥365天,300天,50,50
,2-效益指标,22-社会效益指标,群众满意度,≥90%,95%,40,40
总分,,,,,,100,97.47
项目名称,,留待以后的项目
主管部门,,甲部门,,,实施单位,甲单位
项目资金（万元）,,,全年预算数,全年执行数,分值,执行率,得分
,,年度资金总额,10.00,10.00,10,100.00%,10
绩效指标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分
,1-产出指标,11-数量指标,培训人次,≥100人次,120人次,90,90
总分,,,,,,100,100
""".encode()

# A form copied out of a web page: the reader mends a page number inside a sentence and a
# number split by a space (two repairs).
PAGE_TEXT = """\
项目支出绩效自评表（2023年度）
项目名称 网页上的项目
主管部门 甲部门
项目资金（万元） 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 100. 00 90.00 10 90.00% 10
年度总体目标 预期目标 实际完成情况
保障办公场所全年 - 2 - 正常运转。 全年正常运转。
绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
1-产出指标 11-数量指标 服务天数 ≥365天 365天 90 90
总分 100 100
""".encode()


def _matching(
    session: Session, actor: Principal, data: bytes = FORMS, filename: str = FILENAME
) -> published.Matching:
    evaluations = parse_bytes(data, filename).evaluations
    return published.match_published(session, actor, evaluations, 2023, "甲部门")


def _count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _project(session: Session, name: str) -> Project | None:
    return session.scalar(select(Project).where(Project.name == name))


@pytest.fixture
def world(session: Session) -> World:
    w = World(session)
    session.flush()
    return w


def test_the_project_is_read_from_the_evaluation_s_header(session: Session, world: World) -> None:
    matching = _matching(session, world.actor(Role.DEPT_REVIEWER))
    assert matching.matches == [None, None]
    project = published.project_of(matching.evaluations[0])
    assert project.name == "新建的项目"
    assert project.unit_name == "甲单位"
    assert project.annual_goal == "保障办公场所全年正常运转。"
    # 年初预算数 in 万元, exact: the budget the project was approved with.
    assert project.amounts == Amounts(
        total=Decimal("100.00"), fiscal=Decimal("80.00"), other=Decimal("20.00")
    )
    assert [
        (i.level1.format() if i.level1 else None, i.level2.name if i.level2 else None, i.name)
        for i in project.indicators
    ] == [("1-产出指标", "数量指标", "服务天数"), ("2-效益指标", "社会效益指标", "群众满意度")]
    assert [i.annual.raw if i.annual else None for i in project.indicators] == ["≥365天", "≥90%"]
    assert all(i.period is None for i in project.indicators)
    # No 年初预算数 printed: the 全年预算数.
    assert published.project_of(matching.evaluations[1]).amounts.total == Decimal("10.00")


def test_created_on_request_with_its_targets_and_the_evaluation(
    session: Session, world: World
) -> None:
    actor = world.actor(Role.DEPT_REVIEWER)
    matching = _matching(session, actor)
    attached = published.attach_matched(
        session, actor, matching, [None, None], [True, False], Upload(FORMS, FILENAME, 2023)
    )
    assert [(a.name, a.created, a.project_id is not None) for a in attached] == [
        ("新建的项目", True, True),
        ("留待以后的项目", False, False),
    ]
    session.flush()
    project = _project(session, "新建的项目")
    assert project is not None
    assert attached[0].project_id == project.id
    assert _project(session, "留待以后的项目") is None
    assert project.org_id == world.dept_a.id
    assert project.status is ProjectStatus.DRAFT
    assert project.unit_name == "甲单位"
    assert project.money_unit is MoneyUnit.WAN_YUAN
    funding = session.execute(
        select(FundingLine.source, FundingLine.amount).where(FundingLine.project_id == project.id)
    ).all()
    assert dict(funding) == {
        FundSource.TOTAL: Money.of("100", MoneyUnit.WAN_YUAN),
        FundSource.FISCAL: Money.of("80", MoneyUnit.WAN_YUAN),
        FundSource.OTHER: Money.of("20", MoneyUnit.WAN_YUAN),
    }
    goals = session.execute(select(Goal.period, Goal.text).where(Goal.project_id == project.id))
    assert goals.all() == [(TargetPeriod.ANNUAL, "保障办公场所全年正常运转。")]
    targets = session.execute(
        select(Indicator.level1_name, Indicator.name, TargetValueRow.period, TargetValueRow.raw)
        .join(TargetValueRow, TargetValueRow.indicator_id == Indicator.id)
        .where(Indicator.project_id == project.id)
        .order_by(Indicator.position)
    ).all()
    assert targets == [
        ("产出指标", "服务天数", TargetPeriod.ANNUAL, "≥365天"),
        ("效益指标", "群众满意度", TargetPeriod.ANNUAL, "≥90%"),
    ]
    # Scored as a matched evaluation is: 50 × 300/365 + 40 + 10 × 74.69% of the budget points.
    record = session.scalar(
        select(SelfEvaluationRecord).where(SelfEvaluationRecord.project_id == project.id)
    )
    assert record is not None
    assert record.year == 2023
    assert record.total == attached[0].recomputed_total
    assert attached[0].published_total == Decimal("97.47")
    assert attached[0].recomputed_total is not None
    assert attached[0].recomputed_total < attached[0].published_total
    assert attached[0].findings >= 1  # full marks for 300 of 365 days
    document = session.scalar(select(ImportedDocument))
    assert document is not None
    assert document.filename == FILENAME
    assert project.document_id == document.id
    actions = session.execute(
        select(AuditEntry.action, AuditEntry.reason).order_by(AuditEntry.id)
    ).all()
    assert ("project.import_create", f"导入 {FILENAME}") in actions
    assert ("import.apply", f"导入 {FILENAME}") in actions
    assert [a for a, _ in actions if a.startswith(("project.", "import.", "selfeval."))] == [
        "project.import_create",
        "import.apply",
        "selfeval.save",
    ]


def test_the_reader_s_repairs_stay_with_the_project_and_the_evaluation(
    session: Session, world: World
) -> None:
    actor = world.actor(Role.DEPT_REVIEWER)
    matching = _matching(session, actor, PAGE_TEXT, "自评表.txt")
    [done] = published.attach_matched(
        session, actor, matching, [None], [True], Upload(PAGE_TEXT, "自评表.txt", 2023)
    )
    assert done.created
    assert done.project_id is not None
    kept = session.execute(
        select(RepairRow.before, RepairRow.after).where(RepairRow.project_id == done.project_id)
    ).all()
    expected = [
        (
            "保障办公场所全年 - 2 - 正常运转。 全年正常运转。",
            "保障办公场所全年正常运转。 全年正常运转。",
        ),
        ("100. 00", "100.00"),
    ]
    assert sorted(kept) == sorted(expected)
    entry = session.scalar(
        select(SelfEvaluationRecord.entry).where(SelfEvaluationRecord.project_id == done.project_id)
    )
    assert entry is not None
    assert [(r["before"], r["after"]) for r in entry["repairs"]] == expected


def test_nothing_is_created_without_the_request(session: Session, world: World) -> None:
    actor = world.actor(Role.DEPT_REVIEWER)
    matching = _matching(session, actor)
    source = Upload(FORMS, FILENAME, 2023)
    attached = published.attach_matched(session, actor, matching, [None, None], None, source)
    assert [a.project_id for a in attached] == [None, None]
    attached = published.attach_matched(
        session, actor, matching, [None, None], [False, False], source
    )
    assert [a.project_id for a in attached] == [None, None]
    session.flush()
    for model in (Project, ImportedDocument, SelfEvaluationRecord):
        assert _count(session, model) == 0


def test_a_second_confirmation_of_the_same_preview_does_not_create_it_twice(
    session: Session, world: World
) -> None:
    actor = world.actor(Role.DEPT_REVIEWER)
    source = Upload(FORMS, FILENAME, 2023)
    # Both confirmations matched the file before either wrote (the race of two clicks).
    first, second = _matching(session, actor), _matching(session, actor)
    published.attach_matched(session, actor, first, [None, None], [True, False], source)
    session.flush()
    before = {m: _count(session, m) for m in (Project, SelfEvaluationRecord, AuditEntry)}
    with pytest.raises(Conflict, match="新建的项目"):
        published.attach_matched(session, actor, second, [None, None], [True, False], source)
    assert {m: _count(session, m) for m in before} == before
    # Confirmed after the first was stored, it matches by then and refuses to create again.
    third = _matching(session, actor)
    assert third.matches[0] is not None
    with pytest.raises(Conflict, match="已有项目“新建的项目”"):
        published.attach_matched(session, actor, third, [None, None], [True, False], source)
    assert {m: _count(session, m) for m in before} == before


def test_only_who_may_import_into_the_department_creates(session: Session, world: World) -> None:
    source = Upload(FORMS, FILENAME, 2023)
    # A unit editor edits the department's projects but imports nothing: the creation is refused.
    editor = create_user(session, username="editor", role=Role.UNIT_EDITOR, org=world.dept_a)
    matching = _matching(session, Principal.of(editor))
    with pytest.raises(Forbidden, match="无权在“甲部门”新建项目"):
        published.attach_matched(
            session, Principal.of(editor), matching, [None, None], [True, False], source
        )
    # A unit's editor and another department's reviewer do not reach the department at all.
    other = create_user(session, username="other", role=Role.DEPT_REVIEWER, org=world.dept_b)
    for actor in (world.actor(Role.UNIT_EDITOR), Principal.of(other)):
        with pytest.raises(Forbidden):
            _matching(session, actor)
    session.flush()
    for model in (Project, ImportedDocument, SelfEvaluationRecord):
        assert _count(session, model) == 0


CONFIRMERS = 4


def test_concurrent_confirmations_create_the_project_once(scratch_settings: Settings) -> None:
    upgrade(scratch_settings)
    engine = make_engine(scratch_settings)
    factory = make_session_factory(engine)
    with transaction(factory) as s:
        actor = World(s).actor(Role.DEPT_REVIEWER)
        orgs.fiscal_year(s, 2023)
    source = Upload(FORMS, FILENAME, 2023)
    barrier = threading.Barrier(CONFIRMERS)

    def confirm() -> str:
        with factory() as s:
            matching = _matching(s, actor)  # each read the file before any of them wrote
            barrier.wait()
            try:
                published.attach_matched(s, actor, matching, [None, None], [True, False], source)
            except Conflict as exc:
                s.rollback()
                return exc.message
            s.commit()
            return "created"

    try:
        with ThreadPoolExecutor(CONFIRMERS) as pool:
            outcomes = list(pool.map(lambda _: confirm(), range(CONFIRMERS)))
        assert Counter(outcomes)["created"] == 1, outcomes
        assert all("已有项目“新建的项目”" in o for o in outcomes if o != "created")
        with factory() as s:
            assert s.scalars(select(Project.name)).all() == ["新建的项目"]
            assert _count(s, SelfEvaluationRecord) == 1
            assert _count(s, ImportedDocument) == 1
            creations = select(func.count()).where(AuditEntry.action == "project.import_create")
            assert s.scalar(creations) == 1
    finally:
        engine.dispose()
