"""项目支出绩效自评表 (财预〔2020〕10号 annex; rules.md §8.3), one sheet per project.

Header block: 项目名称, 主管部门, 实施单位; 项目资金 with 年初预算数 | 全年预算数 | 全年执行数 |
分值 | 执行率 | 得分 (sub-rows carry "—" for points, as in the template); 年度总体目标 with
预期目标 | 实际完成情况. Indicator block: 一级 (with its points, e.g. 产出指标（50分）) | 二级 |
三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施; then 总分 and 自评等级,
and below the table the 计分说明 — the formula behind every score.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.evaluation import FundsExecution, SelfEvaluation
from jixiao.domain.indicator import official_order
from jixiao.domain.numbers import plain
from jixiao.export.grid import Block, Cell, Sheet, Style, merge_runs
from jixiao.export.layouts.common import labelled_row, level_text, wan_cell
from jixiao.scoring.explain import EvaluationScore, ScoreLine

TITLE = "项目支出绩效自评表"
WIDTHS = [9, 13, 13, 26, 13, 13, 9, 9, 36]
DASH = Cell("—", Style.CENTER)


def _funds_cells(funds: FundsExecution, score: EvaluationScore, total: bool) -> list[Cell]:
    rate = funds.execution_rate
    line = score.budget_line
    weight = Cell(line.weight, Style.NUMBER) if total and line else DASH
    points = Cell(line.points, Style.NUMBER) if total and line and line.points is not None else DASH
    label = "年度资金总额" if total else f"其中：{funds.line.label}"
    return [
        Cell(label, Style.CENTER),
        wan_cell(funds.initial_budget),
        wan_cell(funds.budget),
        wan_cell(funds.executed),
        weight,
        Cell(None if rate is None else rate * 100, Style.PERCENT),
        points,
    ]


def _funds(block: Block, ev: SelfEvaluation, score: EvaluationScore) -> None:
    heads = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    first = block.add(
        [
            Cell("项目资金（万元）", Style.LABEL),
            Cell(None, Style.LABEL),
            *(Cell(h, Style.HEADER) for h in heads),
        ]
    )
    total = ev.total_funds
    lines = [total, *(f for f in ev.funds if f is not total)] if total else []
    for funds in lines:
        block.add([None, None, *_funds_cells(funds, score, funds is total)])
    block.merge(first, 0, first + len(lines), 1)


def _header(block: Block, ev: SelfEvaluation, score: EvaluationScore) -> None:
    labelled_row(block, "项目名称", [(ev.project, 2, 8, Style.TEXT)])
    labelled_row(
        block,
        "主管部门",
        [
            (ev.department or "", 2, 4, Style.TEXT),
            ("实施单位", 5, 6, Style.LABEL),
            (ev.unit_name or "", 7, 8, Style.TEXT),
        ],
    )
    _funds(block, ev, score)
    first = block.add(
        [
            Cell("年度总体目标", Style.LABEL),
            Cell(None, Style.LABEL),
            Cell("预期目标", Style.HEADER),
            None,
            None,
            None,
            Cell("实际完成情况", Style.HEADER),
        ]
    )
    second = block.add([None, None, ev.goal or "", None, None, None, ev.goal_result or ""])
    block.merge(first, 0, second, 1)
    for row in (first, second):
        block.merge(row, 2, row, 5)
        block.merge(row, 6, row, 8)


def _level1_label(line: ScoreLine, score: EvaluationScore) -> str:
    if line.group == "未归类":
        return line.level1 or "未归类"
    return f"{line.group}\n（{plain(score.group_weight(line.group))}分）"


def _indicator_row(line: ScoreLine, level2: str, score: EvaluationScore) -> list[Cell | str | None]:
    points = "不适用" if line.points is None else line.points
    return [
        None,
        Cell(_level1_label(line, score), Style.CENTER),
        Cell(level2, Style.CENTER),
        line.name,
        Cell(line.target, Style.CENTER),
        Cell(line.actual, Style.CENTER),
        Cell(line.weight, Style.NUMBER),
        Cell(points, Style.NUMBER if line.points is not None else Style.CENTER),
        line.explanation,
    ]


def _indicators(block: Block, ev: SelfEvaluation, score: EvaluationScore) -> None:
    head = block.add(
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        Style.HEADER,
    )
    block.rows[head][0] = Cell("绩效指标", Style.LABEL)
    paired = official_order(
        list(zip(ev.indicators, score.indicator_lines, strict=True)),
        lambda pair: pair[0].level1,
        lambda pair: pair[0].level2,
    )
    rows = [(line, level_text(i.level2) or line.level2) for i, line in paired]
    start = len(block.rows)
    for line, level2 in rows:
        block.add(_indicator_row(line, level2, score))
    block.merge(head, 0, max(head, len(block.rows) - 1), 0)
    merge_runs(block, 1, start, [ln.group for ln, _ in rows])
    merge_runs(block, 2, start, [f"{ln.group}|{level2}" for ln, level2 in rows])
    total = block.add(
        [
            Cell("总分", Style.LABEL),
            None,
            None,
            None,
            None,
            None,
            Cell(Decimal(100), Style.NUMBER),
            Cell(score.total, Style.NUMBER),
            Cell(f"自评等级：{score.grade.label}", Style.CENTER),
        ]
    )
    block.merge(total, 0, total, 5)


def _explanations(block: Block, score: EvaluationScore) -> None:
    """One row per scored line (short rows split cleanly across pages)."""
    block.span("计分说明", Style.HEADER)
    for ln in score.lines:
        points = "不计分" if ln.points is None else f"{ln.points} 分"
        block.span(f"{ln.name}：{ln.formula} → {points}", Style.TEXT)
    for note in score.notes:
        block.span(f"注：{note}", Style.TEXT)
    for issue in score.issues:
        block.span(f"待补正：{issue.indicator or issue.project}：{issue.message}", Style.TEXT)


def selfeval_sheet(ev: SelfEvaluation, score: EvaluationScore) -> Sheet:
    """One project's self-evaluation table with its scores and their explanation."""
    title = f"{TITLE}（{ev.year}年度）" if ev.year else TITLE
    sheet = Sheet(ev.project, title, list(WIDTHS))
    _header(sheet.block(), ev, score)
    _indicators(sheet.block(repeat=1), ev, score)
    _explanations(sheet.block(), score)
    return sheet
