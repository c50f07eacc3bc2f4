"""Random published 项目支出绩效自评表 as abstract cell grids (``GridSpec``), with the truth.

``selfeval_specs()`` draws one to three self-evaluations and lays them out one after another
the way the 10号 annex and its local variants do: key–value header (项目名称, 主管部门, 实施单位),
the 项目资金 block (年初预算数 optional; 分值/执行率/得分 in the block or, as some templates do, the
budget's 分值/得分 in a 预算执行率 row of the indicator table), 年度总体目标
(预期目标 | 实际完成情况),
the indicator table (一级/二级 merged down or repeated, group weights written as
``产出指标（50分）`` or not, 指标性质 + 指标值 + 度量单位 as separate cells or one 年度指标值 cell,
operators printed as ``≧`` or ``＞``), 总分 and, optionally, 自评等级. Amounts are printed in 万元
or 元, with or without thousands separators. The published scores are drawn at random: the
reader must give back what was printed, right or wrong.

``spec.evaluations`` is the truth; ``evaluation_view`` is what a test compares. Render ``spec``
into any kind the grid generator's renderers support, or use ``as_raw_table``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from generator import BUREAUS, GOAL_PHRASES, INDICATOR_NAMES, LEVEL_PAIRS, PLACES, project_names
from grid_generator import GridSpec, GridStyle, SpecCell, runs
from hypothesis import strategies as st

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.evaluation import FundsExecution, IndicatorActual, SelfEvaluation
from jixiao.domain.indicator import Indicator, LevelRef
from jixiao.domain.money import Money
from jixiao.domain.monitoring import BudgetLine
from jixiao.domain.project import Amounts, Project
from jixiao.domain.target import parse_target

Draw = Any
WIDTH = 9
GROUP_WEIGHTS = {"1": 50, "2": 30, "3": 10, "4": 20}
FUNDS_LABELS = {
    BudgetLine.TOTAL: "年度资金总额",
    BudgetLine.FISCAL: "其中：当年财政拨款",
    BudgetLine.CARRYOVER: "上年结转资金",
    BudgetLine.OTHER: "其他资金",
}


@dataclass(frozen=True)
class FormStyle:
    unit: MoneyUnit
    thousands: bool
    initial_column: bool
    budget_in_indicators: bool
    levels_merged: bool
    group_weights: bool
    split_target: bool
    grade_row: bool


@dataclass
class FormSpec:
    grid: GridSpec
    evaluations: list[SelfEvaluation]
    style: FormStyle


def _amount(value: Decimal, style: FormStyle) -> str:
    return f"{value:,.2f}" if style.thousands else f"{value:.2f}"


@st.composite
def form_styles(draw: Draw) -> FormStyle:
    return FormStyle(
        unit=draw(st.sampled_from([MoneyUnit.WAN_YUAN, MoneyUnit.YUAN])),
        thousands=draw(st.booleans()),
        initial_column=draw(st.booleans()),
        budget_in_indicators=draw(st.booleans()),
        levels_merged=draw(st.booleans()),
        group_weights=draw(st.booleans()),
        split_target=draw(st.booleans()),
        grade_row=draw(st.booleans()),
    )


@st.composite
def _target(draw: Draw, year: int) -> tuple[str, str, str, str]:
    """(op as printed, value, unit, actual as printed) for one indicator."""
    kind = draw(st.sampled_from(["quantity", "quantity", "rate", "deadline", "quality"]))
    if kind == "quantity":
        op = draw(st.sampled_from(["≥", "≧", "＞", "≤", ""]))
        n = draw(st.integers(1, 5000))
        unit = draw(st.sampled_from(["台", "人次", "个", "批次", "天"]))
        return op, str(n), unit, f"{draw(st.integers(0, 6000))}{unit}"
    if kind == "rate":
        op = draw(st.sampled_from(["≥", "≧", ""]))
        return op, str(draw(st.integers(50, 100))), "%", f"{draw(st.integers(0, 100))}%"
    if kind == "deadline":
        done = draw(st.dates(date(year, 1, 1), date(year + 1, 3, 31)))
        return "", f"{year}年12月31日前", "", f"{done.year}年{done.month}月{done.day}日"
    wording = draw(st.sampled_from(["效果明显", "有效提升", "持续改善"]))
    return "", wording, "", draw(st.sampled_from(["效果明显", "基本达成", "有所改善"]))


@st.composite
def _evaluation(
    draw: Draw, style: FormStyle, year: int
) -> tuple[SelfEvaluation, list[dict[str, str]]]:
    pairs = draw(st.lists(st.sampled_from(LEVEL_PAIRS), min_size=1, max_size=6))
    pairs.sort(key=lambda p: (p[0].code or "", p[1].code or ""))
    rows: list[dict[str, str]] = []
    indicators = []
    for l1, l2 in pairs:
        op, value, unit, actual = draw(_target(year))
        weight = Decimal(draw(st.integers(1, 30)))
        score = Decimal(draw(st.integers(0, int(weight) * 100))) / 100
        deviation = draw(st.sampled_from(["", "", "受疫情影响进度滞后，下年度加快推进。"]))
        target = parse_target(f"{op}{value}{unit}")
        name = draw(st.sampled_from(INDICATOR_NAMES))
        indicators.append(
            IndicatorActual(
                name=name,
                target=target,
                level1=l1,
                level2=l2,
                actual=_actual_number(actual, target.kind.value),
                actual_date=_actual_date(actual, target.kind.value),
                actual_text=actual,
                weight=weight,
                deviation=deviation,
                published_score=score,
            )
        )
        rows.append(
            {"op": op, "value": value, "unit": unit, "actual": actual, "name": name,
             "weight": str(weight), "score": f"{score}", "deviation": deviation}
        )  # fmt: skip
    funds = []
    lines = draw(st.lists(st.sampled_from(list(FUNDS_LABELS)[1:]), max_size=3, unique=True))
    for line in [BudgetLine.TOTAL, *sorted(lines, key=list(FUNDS_LABELS).index)]:
        budget = Decimal(draw(st.integers(1, 900_000_00))) / 100
        executed = Decimal(draw(st.integers(0, int(budget * 100)))) / 100
        initial = Decimal(draw(st.integers(0, 900_000_00))) / 100 if style.initial_column else None
        is_total = line is BudgetLine.TOTAL
        funds.append(
            FundsExecution(
                line,
                Money.of(budget, style.unit),
                Money.of(executed, style.unit),
                None if initial is None else Money.of(initial, style.unit),
                published_rate=Decimal(draw(st.integers(0, 10000))) / 100 if is_total else None,
                published_weight=Decimal(10) if is_total else None,
                published_score=Decimal(draw(st.integers(0, 1000))) / 100 if is_total else None,
            )
        )
    total = Decimal(draw(st.integers(0, 10000))) / 100
    ev = SelfEvaluation(
        project=draw(project_names()),
        year=year,
        department=draw(st.sampled_from(PLACES)) + draw(st.sampled_from(BUREAUS)),
        unit_name=draw(st.sampled_from(PLACES)) + draw(st.sampled_from(BUREAUS)) + "本级",
        funds=funds,
        indicators=indicators,
        goal=draw(st.sampled_from(GOAL_PHRASES)) + "。",
        goal_result=draw(st.sampled_from(GOAL_PHRASES)) + "，已完成。",
        published_total=total,
        published_grade=draw(st.sampled_from(["优", "良", "中", "差"]))
        if style.grade_row
        else None,
    )
    return ev, rows


def _actual_number(text: str, kind: str) -> Decimal | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    return Decimal(digits) if kind == "quantitative" and digits else None


def _actual_date(text: str, kind: str) -> date | None:
    if kind != "deadline":
        return None
    year, rest = text.split("年")
    month, rest = rest.split("月")
    return date(int(year), int(month), int(rest.rstrip("日")))


def _level_cells(levels: list[list[str]], top: int, first_col: int, merged: bool) -> list[SpecCell]:
    """一级/二级 columns from row ``top``: runs merged down, or every cell written."""
    cells = []
    for col, column in enumerate(levels, start=first_col):
        if merged:
            cells.extend(
                SpecCell(top + start, col, column[start], rowspan=length)
                for start, length in runs(list(column))
            )
        else:
            cells.extend(SpecCell(top + i, col, text) for i, text in enumerate(column))
    return cells


def _level_cell(ref: LevelRef, style: FormStyle) -> str:
    text = f"{ref.code}-{ref.name}" if ref.code else ref.name or ""
    if style.group_weights and ref.code in GROUP_WEIGHTS:
        text += f"（{GROUP_WEIGHTS[ref.code]}分）"
    return text


def _layout(
    ev: SelfEvaluation, rows: list[dict[str, str]], style: FormStyle, top: int
) -> list[SpecCell]:
    cells: list[SpecCell] = []
    r = top

    def put(col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        cells.append(SpecCell(r, col, text, rowspan, colspan))

    put(0, "项目名称", colspan=2)
    put(2, ev.project, colspan=7)
    r += 1
    put(0, "主管部门", colspan=2)
    put(2, ev.department or "", colspan=3)
    put(5, "实施单位")
    put(6, ev.unit_name or "", colspan=3)
    r += 1
    unit = "万元" if style.unit is MoneyUnit.WAN_YUAN else "元"
    put(0, f"项目资金（{unit}）", rowspan=1 + len(ev.funds), colspan=2)
    heads = ["年初预算数"] if style.initial_column else []
    heads += ["全年预算数", "全年执行数"]
    heads += ["执行率"] if style.budget_in_indicators else ["分值", "执行率", "得分"]
    for k, head in enumerate(heads):
        put(3 + k, head)
    r += 1
    for f in ev.funds:
        put(2, FUNDS_LABELS[f.line])
        values = [f.initial_budget] if style.initial_column else []
        figures = [*values, f.budget, f.executed]
        for k, money in enumerate(figures):
            if money is not None:
                put(3 + k, _amount(money.amount(style.unit), style))
        k = 3 + len(figures)
        total_row = f.line is BudgetLine.TOTAL
        rate = f"{f.published_rate}%" if total_row else "—"
        if style.budget_in_indicators:
            put(k, rate)
        else:
            put(k, str(f.published_weight) if total_row else "—")
            put(k + 1, rate)
            put(k + 2, str(f.published_score) if total_row else "—")
        r += 1
    put(0, "年度总体目标", rowspan=2, colspan=2)
    put(2, "预期目标", colspan=3)
    put(5, "实际完成情况", colspan=4)
    r += 1
    put(2, ev.goal or "", colspan=3)
    put(5, ev.goal_result or "", colspan=4)
    r += 1
    extra = 1 if style.budget_in_indicators else 0
    put(0, "绩效指标", rowspan=1 + len(rows) + extra)
    if style.split_target:
        heads = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"]
    else:
        heads = ["一级指标", "二级指标", "三级指标", "年度指标值"]
    heads += ["实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    for k, head in enumerate(heads):
        put(1 + k, head)
    r += 1
    if style.budget_in_indicators:
        total = ev.funds[0]
        put(1, "预算执行率", colspan=3 + (3 if style.split_target else 1) + 1)
        base = 1 + len(heads) - 4
        put(base + 1, str(total.published_weight))
        put(base + 2, str(total.published_score))
        r += 1
    levels = [
        [_level_cell(i.level1, style) if i.level1 else "" for i in ev.indicators],
        [_level_cell(i.level2, style) if i.level2 else "" for i in ev.indicators],
    ]
    cells.extend(_level_cells(levels, r, 1, style.levels_merged))
    for row in rows:
        values = (
            [row["name"], row["op"], row["value"], row["unit"]]
            if style.split_target
            else [row["name"], f"{row['op']}{row['value']}{row['unit']}"]
        )
        values += [row["actual"], row["weight"], row["score"], row["deviation"]]
        for k, text in enumerate(values):
            if text:
                put(3 + k, text)
        r += 1
    put(0, "总分", colspan=1 + len(heads) - 3)
    put(len(heads) - 2, "100")
    put(len(heads) - 1, str(ev.published_total))
    r += 1
    if style.grade_row:
        put(0, "自评等级", colspan=1 + len(heads) - 3)
        put(len(heads) - 2, ev.published_grade or "", colspan=3)
    return cells


@st.composite
def selfeval_specs(draw: Draw) -> FormSpec:
    style = draw(form_styles())
    year = draw(st.integers(2019, 2025))
    drawn = draw(st.lists(_evaluation(style, year), min_size=1, max_size=3))
    cells: list[SpecCell] = []
    top = 0
    for n, (ev, rows) in enumerate(drawn):
        if n:  # the next form's title, inside the same grid
            cells.append(SpecCell(top, 0, f"项目支出绩效自评表（{year}年度）", colspan=WIDTH))
            top += 1
        laid = _layout(ev, rows, style, top)
        cells.extend(laid)
        top = max(c.row + c.rowspan for c in laid)
    grid = GridSpec(
        document=Document(projects=[]),
        style=_NO_STYLE,
        cells=cells,
        lines_before=[f"项目支出绩效自评表（{year}年度）"],
    )
    return FormSpec(grid, [ev for ev, _ in drawn], style)


_NO_STYLE = GridStyle(
    serial=False,
    funds=(),
    indicator_columns=True,
    project_cells="merged",
    levels_merged=False,
    level_codes=True,
    header_rows=1,
    thousands=False,
    whole_numbers=False,
    total_row="",
    repeat_header=False,
)


def evaluation_view(ev: SelfEvaluation) -> dict[str, object]:
    """What a reader must recover of a self-evaluation, amounts in 分."""
    return {
        "project": ev.project,
        "year": ev.year,
        "department": ev.department,
        "unit_name": ev.unit_name,
        "goal": (ev.goal, ev.goal_result),
        "published": (ev.published_total, ev.published_grade),
        "funds": [
            (
                f.line,
                f.budget.fen,
                f.executed.fen,
                None if f.initial_budget is None else f.initial_budget.fen,
                f.published_rate,
                f.published_weight,
                f.published_score,
            )
            for f in ev.funds
        ],
        "indicators": [
            (
                i.level1,
                i.level2,
                i.name,
                i.target.raw,
                i.target.op,
                i.target.value,
                i.actual,
                i.actual_date,
                i.actual_text,
                i.weight,
                i.published_score,
                i.deviation,
            )
            for i in ev.indicators
        ],
    }


# --- single-project target forms (申报表) -------------------------------------------------------


@dataclass(frozen=True)
class TargetFormStyle:
    unit: MoneyUnit
    thousands: bool
    funds: str  # "two_sides" (中期 | 年度 pairs) | "one_side" | "header_row"
    period_values: bool  # an 实施期指标值 column beside 年度指标值
    split_target: bool  # 指标性质 | 指标值 | 度量单位 (annual only)
    levels_merged: bool
    extras: bool  # 权重 and 指标解释 columns
    two_goals: bool  # 中期目标 | 年度目标 rather than one 年度绩效目标 row


@dataclass
class TargetFormSpec:
    grid: GridSpec
    document: Document
    style: TargetFormStyle


@st.composite
def target_form_styles(draw: Draw) -> TargetFormStyle:
    return TargetFormStyle(
        unit=draw(st.sampled_from([MoneyUnit.WAN_YUAN, MoneyUnit.YUAN])),
        thousands=draw(st.booleans()),
        funds=draw(st.sampled_from(["two_sides", "one_side", "header_row"])),
        period_values=draw(st.booleans()),
        split_target=draw(st.booleans()),
        levels_merged=draw(st.booleans()),
        extras=draw(st.booleans()),
        two_goals=draw(st.booleans()),
    )


def _money_text(value: Decimal, style: TargetFormStyle) -> str:
    return f"{value:,.2f}" if style.thousands else f"{value:.2f}"


@st.composite
def _target_project(draw: Draw, style: TargetFormStyle, year: int) -> tuple[Project, list[str]]:
    cents = st.integers(1, 90_000_000).map(lambda n: Decimal(n).scaleb(-2))  # as printed: 190.80
    fiscal = draw(cents)
    other = draw(cents) if draw(st.booleans()) else None
    total = fiscal + (other or 0)
    indicators = []
    splits: list[str] = []  # the op of each annual value, for the split layout
    pairs = sorted(
        draw(st.lists(st.sampled_from(LEVEL_PAIRS), min_size=1, max_size=6)),
        key=lambda p: (p[0].code or "", p[1].code or ""),
    )
    for l1, l2 in pairs:
        op, value, unit, _ = draw(_target(year))
        if style.split_target and not value[0].isdigit():
            op, unit = "", ""  # a wording or a deadline: written whole in the 指标值 cell
        annual = parse_target(f"{op}{value}{unit}")
        period = parse_target(f"{op}{value}{unit}") if style.period_values else None
        indicators.append(
            Indicator(
                name=draw(st.sampled_from(INDICATOR_NAMES)),
                level1=l1,
                level2=l2,
                period=period,
                annual=annual,
                explanation=draw(st.sampled_from(GOAL_PHRASES)) if style.extras else None,
                weight=draw(st.integers(1, 30)) if style.extras else None,
            )
        )
        splits.append(f"{op}\t{value}\t{unit}")
    goal = draw(st.sampled_from(GOAL_PHRASES)) + "。"
    project = Project(
        name=draw(project_names()),
        amounts=Amounts(total=total, fiscal=fiscal, other=other),
        goal=goal,
        indicators=indicators,
        unit_name=draw(st.sampled_from(PLACES)) + draw(st.sampled_from(BUREAUS)) + "本级",
        annual_goal=goal,
    )
    return project, splits


def _target_layout(
    project: Project, department: str, splits: list[str], style: TargetFormStyle, top: int
) -> list[SpecCell]:
    cells: list[SpecCell] = []
    r = top

    def put(col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        cells.append(SpecCell(r, col, text, rowspan, colspan))

    put(0, "项目名称", colspan=2)
    put(2, project.name, colspan=6)
    r += 1
    put(0, "主管部门及代码", colspan=2)
    put(2, department, colspan=2)
    put(4, "实施单位")
    put(5, project.unit_name or "", colspan=3)
    r += 1
    a = project.amounts
    unit = "万元" if style.unit is MoneyUnit.WAN_YUAN else "元"
    lines = [("资金总额", a.total), ("其中：财政拨款", a.fiscal), ("其他资金", a.other)]
    lines = [(label, v) for label, v in lines if v is not None]
    if style.funds == "header_row":
        put(0, f"项目资金（{unit}）", rowspan=2, colspan=2)
        for k, (label, _) in enumerate(lines):
            put(2 + 2 * k, "年度" + label if k == 0 else label.removeprefix("其中："), colspan=2)
        r += 1
        for k, (_, value) in enumerate(lines):
            put(2 + 2 * k, _money_text(value or Decimal(0), style), colspan=2)
        r += 1
    else:
        put(0, f"项目资金（{unit}）", rowspan=len(lines), colspan=2)
        for k, (label, value) in enumerate(lines):
            text = _money_text(value or Decimal(0), style)
            if style.funds == "two_sides":
                put(2, ("中期" if k == 0 else "") + label)
                put(3, text)
                put(4, ("年度" if k == 0 else "") + label, colspan=2)
                put(6, text, colspan=2)
            else:
                put(2, ("年度" if k == 0 else "") + label, colspan=3)
                put(5, text, colspan=3)
            r += 1
    if style.two_goals:
        put(0, "总体目标", rowspan=2, colspan=2)
        put(2, "中期目标", colspan=3)
        put(5, "年度目标", colspan=3)
        r += 1
        put(2, project.goal or "", colspan=3)
        put(5, project.annual_goal or "", colspan=3)
    else:
        put(0, "年度绩效目标", colspan=2)
        put(2, project.annual_goal or "", colspan=6)
    r += 1
    heads = ["一级指标", "二级指标", "三级指标"]
    heads += ["实施期指标值"] if style.period_values else []
    heads += ["指标性质", "指标值", "度量单位"] if style.split_target else ["年度指标值"]
    heads += ["权重", "指标解释"] if style.extras else []
    for k, head in enumerate(heads):
        put(k, head)
    r += 1
    inds = project.indicators
    levels = [
        [f"{i.level1.code}-{i.level1.name}" if i.level1 else "" for i in inds],
        [f"{i.level2.code}-{i.level2.name}" if i.level2 else "" for i in inds],
    ]
    cells.extend(_level_cells(levels, r, 0, style.levels_merged))
    for ind, split in zip(inds, splits, strict=True):
        values = [ind.name]
        values += [ind.period.raw if ind.period else ""] if style.period_values else []
        annual = ind.annual.raw if ind.annual else ""
        values += split.split("\t") if style.split_target else [annual]
        values += [str(ind.weight), ind.explanation or ""] if style.extras else []
        for k, text in enumerate(values):
            if text:
                put(2 + k, text)
        r += 1
    return cells


@st.composite
def target_form_specs(draw: Draw) -> TargetFormSpec:
    style = draw(target_form_styles())
    year = draw(st.integers(2019, 2025))
    department = draw(st.sampled_from(PLACES)) + draw(st.sampled_from(BUREAUS))
    drawn = draw(st.lists(_target_project(style, year), min_size=1, max_size=3))
    cells: list[SpecCell] = []
    top = 0
    for n, (project, splits) in enumerate(drawn):
        if n:
            cells.append(SpecCell(top, 0, f"项目支出绩效目标申报表（{year}年度）", colspan=8))
            top += 1
        laid = _target_layout(project, department, splits, style, top)
        cells.extend(laid)
        top = max(c.row + c.rowspan for c in laid)
    projects = [p for p, _ in drawn]
    if not style.two_goals:
        projects = [replace(p, goal=p.annual_goal) for p in projects]
    document = Document(projects=projects, department=department, unit=style.unit, year=year)
    grid = GridSpec(
        document=document,
        style=_NO_STYLE,
        cells=cells,
        lines_before=[f"项目支出绩效目标申报表（{year}年度）"],
    )
    return TargetFormSpec(grid, document, style)


def target_document_view(doc: Document) -> dict[str, object]:
    return {
        "department": doc.department,
        "unit": doc.unit,
        "year": doc.year,
        "projects": [
            (
                p.name,
                p.amounts.as_json(),
                p.goal,
                p.annual_goal,
                p.unit_name,
                [
                    (
                        i.level1,
                        i.level2,
                        i.name,
                        i.period.raw if i.period else None,
                        i.annual.raw if i.annual else None,
                        i.annual.value if i.annual else None,
                        i.explanation,
                        i.weight,
                    )
                    for i in p.indicators
                ],
            )
            for p in doc.projects
        ],
    }
