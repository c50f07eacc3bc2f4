"""项目支出绩效目标表: the department table and the per-project 申报表 (rules.md §8.1–8.2).

The department table follows the published Guangzhou layout (the bundled sample):
``项目名称 | 总计 | 财政拨款 | 财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标``, one row per project,
the indicators written as the 一体化 export writes them —
``1、1-产出指标,11-数量指标,名称;实施周期指标值:…,年度指标值:…;`` — one item per line, so
the table reads back through ``jixiao.ingest``.

The per-project form has the header block (项目名称, 主管部门, 实施单位, 项目资金, 总体目标) and
the indicator block ``一级指标 | 二级指标 | 三级指标 | 实施周期指标值 | 年度指标值``
grouped by level, with the level cells merged over their items.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.document import Document
from jixiao.domain.enums import FundSource, MoneyUnit
from jixiao.domain.indicator import Indicator, official_order
from jixiao.domain.project import Project
from jixiao.domain.target import TargetValue
from jixiao.export.grid import Block, Cell, Sheet, Style, merge_runs
from jixiao.export.layouts.common import header_line, labelled_row, level_text

TITLE = "项目支出绩效目标表"
FORM_TITLE = "项目支出绩效目标申报表"
DEPT_HEADERS = ["项目名称", *(source.label for source in FundSource), "绩效目标", "绩效指标"]


def _value(target: TargetValue | None) -> str:
    return target.raw if target is not None else ""


def indicator_item(number: int, ind: Indicator) -> str:
    """One indicator as the published table writes it."""
    levels = ",".join(p for p in (level_text(ind.level1), level_text(ind.level2), ind.name) if p)
    values = []
    if ind.period is not None:
        values.append(f"实施周期指标值:{ind.period.raw}")
    if ind.annual is not None:
        values.append(f"年度指标值:{ind.annual.raw}")
    return f"{number}、{levels};{','.join(values)};"


def _amount(value: Decimal | None) -> Cell:
    return Cell(value, Style.MONEY)


def department_sheet(doc: Document) -> Sheet:
    """The whole department's table, one row per project."""
    unit = (doc.unit or MoneyUnit.WAN_YUAN).label
    sheet = Sheet("绩效目标表", doc.title or TITLE, [24, 12, 12, 12, 12, 42, 70])
    header_line(sheet.block(bordered=False), doc.department, unit)
    table = sheet.block(repeat=1)
    table.add(list(DEPT_HEADERS), Style.HEADER)
    for project in doc.projects:
        ordered = official_order(project.indicators, lambda i: i.level1, lambda i: i.level2)
        items = "\n".join(indicator_item(i, ind) for i, ind in enumerate(ordered, 1))
        amounts = [_amount(project.amounts.get(s)) for s in FundSource]
        table.add([project.name, *amounts, project.goal or "", items])
    return sheet


def _funds_rows(block: Block, project: Project, unit: str) -> None:
    heads = [source.label for source in FundSource]
    first = block.add([f"项目资金（{unit}）", None, *heads], Style.HEADER)
    block.rows[first][0] = Cell(f"项目资金（{unit}）", Style.LABEL)
    values = [_amount(project.amounts.get(s)) for s in FundSource]
    second = block.add([None, None, *values])
    block.merge(first, 0, second, 1)


def _goal_rows(block: Block, project: Project) -> None:
    first = block.add(["总体目标", None, "实施周期目标", None, None, "年度目标"], Style.HEADER)
    block.rows[first][0] = Cell("总体目标", Style.LABEL)
    second = block.add(
        [None, None, project.goal or "", None, None, project.annual_goal or project.goal or ""]
    )
    block.merge(first, 0, second, 1)
    for row in (first, second):
        block.merge(row, 2, row, 4)


def _indicator_rows(block: Block, project: Project) -> None:
    head = block.add(
        ["绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"],
        Style.HEADER,
    )
    block.rows[head][0] = Cell("绩效指标", Style.LABEL)
    items = official_order(project.indicators, lambda i: i.level1, lambda i: i.level2)
    start = len(block.rows)
    for ind in items:
        block.add(
            [
                None,
                Cell(level_text(ind.level1), Style.CENTER),
                Cell(level_text(ind.level2), Style.CENTER),
                ind.name,
                Cell(_value(ind.period), Style.CENTER),
                Cell(_value(ind.annual), Style.CENTER),
            ]
        )
    block.merge(head, 0, max(head, len(block.rows) - 1), 0)
    merge_runs(block, 1, start, [level_text(i.level1) for i in items])
    merge_runs(block, 2, start, [f"{level_text(i.level1)}|{level_text(i.level2)}" for i in items])


def project_sheet(doc: Document, project: Project) -> Sheet:
    """One project's 申报表: header block and the indicators grouped by level."""
    unit = (doc.unit or MoneyUnit.WAN_YUAN).label
    title = f"{FORM_TITLE}（{doc.year}年度）" if doc.year else FORM_TITLE
    sheet = Sheet(project.name, title, [10, 14, 16, 40, 18, 18])
    head = sheet.block()
    labelled_row(head, "项目名称", [(project.name, 2, 5, Style.TEXT)])
    labelled_row(
        head,
        "主管部门",
        [
            (doc.department or "", 2, 3, Style.TEXT),
            ("实施单位", 4, 4, Style.LABEL),
            (project.unit_name or "", 5, 5, Style.TEXT),
        ],
    )
    _funds_rows(head, project, unit)
    _goal_rows(head, project)
    _indicator_rows(sheet.block(repeat=1), project)
    return sheet
