"""项目支出绩效目标执行监控表 (财预〔2019〕136号 annex; rules.md §6.2), one sheet per project.

Header block: 项目名称, 主管部门, 实施单位; 项目资金 with 年初预算数 | 1–N月执行数 | 1–N月执行率 |
全年预计执行数 and the budget light; 年度总体目标 and its progress. Indicator block:
一级 | 二级 | 三级指标 | 年度指标值 | 1–N月执行情况 | 全年预计完成情况 | 预警 | 偏差原因分析
(经费保障 | 制度保障 | 人员保障 | 硬件条件保障 | 其他, ticked with √) | 完成目标可能性 |
原因说明及改进措施 — the light cells coloured.
"""

from __future__ import annotations

from jixiao.domain.enums import DeviationCause
from jixiao.domain.indicator import official_order
from jixiao.domain.monitoring import FundsProgress, IndicatorMonitoring, ProjectMonitoring
from jixiao.export.grid import Block, Cell, Sheet, Style, merge_runs
from jixiao.export.layouts.common import LIGHT_FILL, labelled_row, level_text, wan_cell
from jixiao.scoring.lights import LightResult, ProjectLights

TITLE = "项目支出绩效目标执行监控表"
WIDTHS = [9, 9, 11, 24, 12, 13, 13, 8, 7, 7, 7, 7, 7, 10, 30]
# Funds block: (first, last) columns of 行次 | 年初预算数 | 执行数 | 执行率 | 全年预计执行数 | 预警
FUND_SPANS = ((2, 3), (4, 5), (6, 7), (8, 10), (11, 12), (13, 14))


def _light_cell(result: LightResult | None) -> Cell:
    if result is None or result.light is None:
        return Cell("", Style.CENTER)
    return Cell(result.light.label, Style.CENTER, LIGHT_FILL[result.light])


def _spread(block: Block, row: int, cells: list[Cell]) -> None:
    for (first, last), cell in zip(FUND_SPANS, cells, strict=True):
        block.rows[row][first] = cell
        block.merge(row, first, row, last)


def _funds_row(funds: FundsProgress, light: Cell) -> list[Cell]:
    rate = funds.execution_rate
    return [
        Cell(funds.line.label, Style.CENTER),
        wan_cell(funds.budget),
        wan_cell(funds.executed),
        Cell(None if rate is None else rate * 100, Style.PERCENT),
        wan_cell(funds.forecast),
        light,
    ]


def _funds(block: Block, pm: ProjectMonitoring, lights: ProjectLights) -> None:
    period = pm.round.label
    first = block.add([Cell("项目资金（万元）", Style.LABEL), Cell(None, Style.LABEL)])
    heads = ["", "年初预算数", f"{period}执行数", f"{period}执行率", "全年预计执行数", "预警"]
    _spread(block, first, [Cell(h, Style.HEADER) for h in heads])
    for i, funds in enumerate(pm.funds):
        row = block.add([])
        light = _light_cell(lights.budget) if i == 0 else Cell("", Style.CENTER)
        _spread(block, row, _funds_row(funds, light))
    block.merge(first, 0, first + len(pm.funds), 1)


def _header(block: Block, pm: ProjectMonitoring, lights: ProjectLights) -> None:
    labelled_row(block, "项目名称", [(pm.project, 2, 14, Style.TEXT)])
    labelled_row(
        block,
        "主管部门",
        [
            (pm.department or "", 2, 7, Style.TEXT),
            ("实施单位", 8, 10, Style.LABEL),
            (pm.unit_name or "", 11, 14, Style.TEXT),
        ],
    )
    _funds(block, pm, lights)
    if lights.budget is not None:
        labelled_row(block, "预算执行预警", [(lights.budget.reason, 2, 14, Style.TEXT)])
    if pm.budget_deviation:
        labelled_row(block, "执行偏差说明", [(pm.budget_deviation, 2, 14, Style.TEXT)])
    labelled_row(
        block,
        "年度总体目标",
        [
            (pm.goal or "", 2, 7, Style.TEXT),
            (f"{pm.round.label}执行情况", 8, 10, Style.LABEL),
            (pm.goal_progress or "", 11, 14, Style.TEXT),
        ],
    )


def _indicator_head(block: Block, period: str) -> int:
    top = block.add(
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            f"{period}执行情况",
            "全年预计完成情况",
            "预警",
            "偏差原因分析",
            None,
            None,
            None,
            None,
            "完成目标可能性",
            None,
            "原因说明及改进措施",
        ],
        Style.HEADER,
    )
    sub = block.add([None] * 7 + [c.label for c in DeviationCause], Style.HEADER)
    for col in (0, 1, 2, 3, 4, 5, 6, 14):
        block.merge(top, col, sub, col)
    block.merge(top, 7, top, 11)
    block.merge(top, 12, sub, 13)
    return top


def _explanation(ind: IndicatorMonitoring) -> str:
    parts = [
        f"原因：{ind.cause_note}" if ind.cause_note else "",
        f"措施：{ind.measures}" if ind.measures else "",
        ind.note,
    ]
    return "\n".join(p for p in parts if p)


def _indicator_cells(ind: IndicatorMonitoring, light: LightResult) -> list[Cell | str | None]:
    ticks = [Cell("√" if c in ind.causes else "", Style.CENTER) for c in DeviationCause]
    likelihood = ind.likelihood.label if ind.likelihood else ""
    return [
        Cell(level_text(ind.level1), Style.CENTER),
        Cell(level_text(ind.level2), Style.CENTER),
        ind.name,
        Cell(ind.target.raw, Style.CENTER),
        Cell(ind.actual_display(), Style.CENTER),
        Cell(ind.forecast_display(), Style.CENTER),
        _light_cell(light),
        *ticks,
        Cell(likelihood, Style.CENTER),
        None,
        _explanation(ind),
    ]


def _indicators(block: Block, pm: ProjectMonitoring, lights: ProjectLights) -> None:
    _indicator_head(block, pm.round.label)
    paired = list(zip(pm.indicators, lights.indicators, strict=True))
    ordered = official_order(paired, lambda p: p[0].level1, lambda p: p[0].level2)
    start = len(block.rows)
    for ind, light in ordered:
        row = block.add(_indicator_cells(ind, light))
        block.merge(row, 12, row, 13)
    merge_runs(block, 0, start, [level_text(p[0].level1) for p in ordered])
    merge_runs(
        block, 1, start, [f"{level_text(p[0].level1)}|{level_text(p[0].level2)}" for p in ordered]
    )


def monitoring_sheet(pm: ProjectMonitoring, lights: ProjectLights) -> Sheet:
    """One project's monitoring table for its round."""
    title = f"{TITLE}（{pm.round.year}年{pm.round.label}）"
    sheet = Sheet(pm.project, title, list(WIDTHS))
    _header(sheet.block(), pm, lights)
    _indicators(sheet.block(repeat=2), pm, lights)
    if lights.issues:
        notes = sheet.block()
        notes.span("待补正事项", Style.HEADER)
        for issue in lights.issues:
            notes.span(f"{issue.indicator or '预算执行'}：{issue.message}", Style.TEXT)
    return sheet
