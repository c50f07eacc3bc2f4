"""Well-written tables from other departments raise nothing; each planted defect raises its rule.

The projects below are written the way the guidance asks (产出 with 数量/质量/时效/成本, 效益,
满意度 with a named survey object, cost within the budget). A rule that fires on them is a false
alarm; planting one defect at a time must add exactly the rule meant to find it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal

import pytest

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target
from jixiao.review import review_document

LEVELS = {
    "11": ("1", "产出指标", "数量指标"),
    "12": ("1", "产出指标", "质量指标"),
    "13": ("1", "产出指标", "时效指标"),
    "14": ("1", "产出指标", "成本指标"),
    "21": ("2", "效益指标", "经济效益指标"),
    "22": ("2", "效益指标", "社会效益指标"),
    "23": ("2", "效益指标", "生态效益指标"),
    "24": ("2", "效益指标", "可持续影响指标"),
    "31": ("3", "满意度指标", "服务对象满意度指标"),
}


def ind(code: str, name: str, period: str, annual: str | None = None) -> Indicator:
    c1, n1, n2 = LEVELS[code]
    return Indicator(
        name,
        LevelRef(c1, n1),
        LevelRef(code, n2),
        parse_target(period),
        parse_target(annual if annual is not None else period),
    )


def project(name: str, budget: str, goal: str, indicators: list[Indicator]) -> Project:
    amount = Decimal(budget)
    return Project(name, Amounts(amount, amount), goal, indicators)


def clean_document() -> Document:
    return Document(
        [
            project(
                "义务教育学校校舍维修改造项目",
                "500",
                "完成全区12所中小学校舍维修改造，消除校舍安全隐患，改善师生学习工作条件。",
                [
                    ind("11", "维修改造校舍面积", "≥5000平方米"),
                    ind("12", "工程竣工验收合格率", "100%"),
                    ind("13", "工程完工时间", "2023年8月31日前"),
                    ind("14", "项目总成本", "≤500万元"),
                    ind("22", "校舍安全隐患整改率", "100%"),
                    ind("24", "维修后校舍使用年限", "≥15年"),
                    ind("31", "受益学校师生满意度", "≥90%"),
                ],
            ),
            project(
                "家庭经济困难学生资助",
                "320.5",
                "按标准向家庭经济困难学生发放国家助学金，保障困难学生顺利完成学业。",
                [
                    ind("11", "资助学生人数", "≥2100人"),
                    ind("12", "资助对象认定准确率", "≥98%"),
                    ind("13", "助学金按时发放率", "100%"),
                    ind("14", "生均资助标准", "1500元/人·年"),
                    ind("22", "受助学生辍学率", "≤0.5%"),
                    ind("31", "受助学生家长满意度", "≥92%"),
                ],
            ),
            project(
                "基层医疗机构设备购置",
                "86",
                "为8家社区卫生服务中心购置彩超、心电图机等设备，提升基层诊疗能力。",
                [
                    ind("11", "购置医疗设备数量", "24台"),
                    ind("12", "设备到货验收合格率", "100%"),
                    ind("13", "设备采购完成时间", "2023年9月30日前"),
                    ind("14", "单台设备平均采购成本", "≤3.6万元"),
                    ind("22", "基层医疗机构门诊量增长率", "≥5%"),
                    ind("23", "医疗废物规范处置率", "100%"),
                    ind("31", "就诊居民满意度", "≥88%"),
                ],
            ),
            project(
                "城市公园绿化养护",
                "210",
                "对全区18个公园开展绿化养护，保持绿地整洁完好，改善城市生态环境。",
                [
                    ind("11", "养护绿地面积", "≥120万平方米"),
                    ind("12", "绿化养护质量考核达标率", "≥95%"),
                    ind("13", "病虫害处置响应时间", "≤24小时"),
                    ind("14", "每平方米年养护成本", "≤1.75元"),
                    ind("23", "绿化覆盖率", "≥42%"),
                    ind("31", "公园游客满意度", "≥90%"),
                ],
            ),
            project(
                "消费者投诉举报处理",
                "45",
                "受理处理消费者投诉举报，依法维护消费者合法权益，营造放心消费环境。",
                [
                    ind("11", "受理消费者投诉举报件数", "≥8000件"),
                    ind("12", "投诉处理结果复核合格率", "≥98%"),
                    ind("13", "投诉举报受理时限", "≤7个工作日"),
                    ind("14", "单件投诉平均处理成本", "≤56元"),
                    ind("21", "为消费者挽回经济损失", "≥300万元"),
                    ind("31", "投诉人满意度", "≥85%"),
                ],
            ),
        ],
        unit=MoneyUnit.WAN_YUAN,
        year=2023,
    )


def test_well_written_tables_raise_nothing() -> None:
    report = review_document(clean_document())
    assert [(f.rule, f.project, f.indicator, f.message) for f in report.findings] == []
    assert {g.grade.label for g in report.project_grades} == {"优"}


def _set(project_index: int, indicator_index: int, **changes: object) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        target = doc.projects[project_index].indicators[indicator_index]
        for key, value in changes.items():
            setattr(target, key, value)

    return plant


def _replace(
    project_index: int, indicator_index: int, new: Indicator
) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        doc.projects[project_index].indicators[indicator_index] = new

    return plant


def _drop_code(project_index: int, code: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        p = doc.projects[project_index]
        p.indicators = [i for i in p.indicators if i.level2 is None or i.level2.code != code]

    return plant


def _amounts(project_index: int, **parts: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        for key, value in parts.items():
            setattr(doc.projects[project_index].amounts, key, Decimal(value))

    return plant


def _goal(project_index: int, goal: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        doc.projects[project_index].goal = goal

    return plant


def _append(project_indices: tuple[int, ...], new: Indicator) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        for i in project_indices:
            doc.projects[i].indicators.append(copy.deepcopy(new))

    return plant


def _all_satisfaction(value: str) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        for p in doc.projects:
            for i in p.indicators:
                if i.level2 is not None and i.level2.code == "31":
                    i.period = i.annual = parse_target(value)

    return plant


def _project(project_index: int, **changes: object) -> Callable[[Document], None]:
    def plant(doc: Document) -> None:
        for key, value in changes.items():
            setattr(doc.projects[project_index], key, value)

    return plant


PLANTED: list[tuple[str, Callable[[Document], None]]] = [
    ("JX001", _set(1, 5, level1=LevelRef("2", "效益指标"))),
    ("JX002", _set(2, 0, level2=LevelRef("15", "效率指标"))),
    ("JX003", _drop_code(3, "31")),
    ("JX004", _drop_code(4, "14")),
    ("JX005", _replace(2, 3, ind("14", "项目总成本", "120万元"))),
    ("JX006", _replace(0, 4, ind("22", "校舍安全水平", "显著提升"))),
    ("JX007", _replace(1, 5, ind("31", "受助学生家长满意度", "100%"))),
    ("JX008", _replace(4, 1, ind("12", "投诉处理结果复核合格率", "100%", "0%"))),
    ("JX009", _replace(2, 4, ind("11", "购置医疗设备数量", "24台"))),
    ("JX010", _amounts(3, fiscal="200")),
    ("JX011", _replace(0, 1, ind("12", "工程竣工验收合格率", "≥110%"))),
    ("JX012", _replace(4, 2, ind("13", "投诉举报受理时限", "≥7个工作日"))),
    ("JX014", _goal(2, "设备购置")),
    ("JX016", _replace(3, 0, ind("11", "养护绿地面积", "120"))),
    ("JX017", _replace(4, 4, ind("22", "消费者对维权工作的满意度", "≥85%"))),
    ("JX018", _replace(1, 0, ind("11", "资助资金拨付金额", "320.5万元"))),
    ("JX019", _set(3, 1, level2=LevelRef("12", "社会效益"))),
    ("JX023", _replace(2, 0, ind("11", "医疗设备购置率", "24台"))),
    ("JX026", _replace(3, 2, ind("13", "病虫害处置响应时间", "*"))),
    ("JX030", _replace(0, 3, ind("14", "施工成本控制", "≤12个月"))),
    ("JX034", _replace(0, 5, ind("24", "可持续影响", "≥15年"))),
    ("JX013", _append((0, 2, 4), ind("22", "用户友好性", "≥95%"))),
    ("JX013", _append((1,), ind("23", "完成工作任务造成环境污染天数", "0天"))),
    ("JX015", _project(4, indicators=[ind("14", "单件投诉平均处理成本", "≤56元")])),
    ("JX020", _replace(4, 4, ind("21", "挽回经济损失金额及调解成功率", "≥300万元"))),
    ("JX021", _replace(0, 0, ind("11", "维修改造" * 26 + "面积", "≥5000平方米"))),
    ("JX022", _set(0, 0, basis="计划标准：区教育设施规划")),
    ("JX024", _set(2, 2, annual=parse_target("2024年3月31日前"))),
    ("JX025", _project(3, annual_goal=clean_document().projects[3].goal)),
    ("JX027", _replace(4, 4, ind("21", "消费纠纷调解协议履行合格率", "≥98%"))),
    ("JX028", _replace(0, 1, ind("12", "工程按期完工率", "100%"))),
    ("JX029", _replace(3, 5, ind("31", "服务对象满意度", "≥90%"))),
    ("JX031", _replace(2, 0, ind("11", "购置医疗设备", "按需购置"))),
    ("JX032", _all_satisfaction("≥90%")),
    ("JX033", _replace(3, 4, ind("23", "绿化植物成活保持率", "≥100%"))),
    ("JX035", _goal(4, "保障机关办公大楼日常运转，维护办公秩序。")),
    ("JX036", _replace(2, 0, ind("11", "设备安装调试合格率", "100%"))),
    ("JX037", _replace(1, 5, ind("31", "资助政策宣传到位率", "100%"))),
    ("JX038", _project(0, amounts=Amounts())),
]


@pytest.mark.parametrize(("rule", "plant"), PLANTED, ids=[r for r, _ in PLANTED])
def test_planted_defect_is_found_by_its_rule(rule: str, plant: Callable[[Document], None]) -> None:
    doc = copy.deepcopy(clean_document())
    plant(doc)
    found = {f.rule for f in review_document(doc).findings}
    assert rule in found
    assert found <= {rule, "JX015", "JX003", "JX008"}, "nothing unrelated fires"
