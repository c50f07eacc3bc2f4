"""项目支出绩效自评表 (财预〔2020〕10号 annex) on a cell grid, read by its labels.

One grid may hold several forms one after another (a Word file, a page, a sheet): each starts at
a 项目名称 label. Inside a form everything is found by label, never by position:

- key–value header: 项目名称, 主管部门, 实施单位 — the value is the next cell to the right;
- 项目资金 block: a row labelled 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 (any
  subset, any order) and under it the rows 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 /
  财政专户拨款 / 其他资金; the unit from ``项目资金（万元）`` or ``单位：元`` (万元 by default);
- 年度总体目标: the cells under 预期目标 and 实际完成情况;
- indicators: the row labelled 一级指标 / 二级指标 / 三级指标 / 年度指标值 (指标值, 目标值) /
  实际完成值 / 分值 / 得分 / 偏差原因分析及改进措施; 指标性质 + 指标值 + 度量单位 as separate
  cells are joined; 一级/二级 merged down (or repeated, or left blank) cover their rows; group
  weights written in a level cell (``产出指标（50分）``) are dropped from the name; a 预算执行率
  row inside the indicators gives the budget's 分值 and 得分;
- 总分 (its last number is the published total) and 自评等级.

Printed figures are kept as printed (``published_*``); every doubt is a warning naming the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit, TargetKind
from jixiao.domain.evaluation import FundsExecution, IndicatorActual, SelfEvaluation
from jixiao.domain.money import Money
from jixiao.domain.monitoring import BudgetLine
from jixiao.domain.provenance import ParseWarning, SourceRef
from jixiao.domain.target import parse_target
from jixiao.errors import InvalidValue
from jixiao.ingest.form_grid import (
    DASHES,
    Form,
    compact,
    form_labels,
    level,
    raw,
    split_forms,
    target_text,
    text_of,
)
from jixiao.ingest.normalize import FUNDING_WORDS, clean_text, parse_amount, to_halfwidth
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.result import SELF_EVALUATION, Incomplete, TableParse

_DATE = re.compile(r"(20\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_NUMBER = re.compile(r"^[^\d+-]{0,4}?([+-]?\d[\d,]*(?:\.\d+)?)")

FUNDS_FIELDS = {
    "年初预算数": "initial",
    "年初预算": "initial",
    "全年预算数": "budget",
    "全年预算": "budget",
    "调整后预算数": "budget",
    "全年执行数": "executed",
    "全年执行": "executed",
    "实际执行数": "executed",
    "分值": "weight",
    "执行率": "rate",
    "预算执行率": "rate",
    "得分": "score",
}
INDICATOR_FIELDS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "年度指标值": "target",
    "指标值": "target",
    "目标值": "target",
    "年度目标值": "target",
    "指标性质": "op",
    "度量单位": "unit",
    "计量单位": "unit",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "实际值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation",
    "偏差原因及改进措施": "deviation",
    "偏差原因分析": "deviation",
}
FUNDS_LINES = (
    ("年度资金总额", BudgetLine.TOTAL),
    ("资金总额", BudgetLine.TOTAL),
    *((word, BudgetLine(value)) for word, value in FUNDING_WORDS),
)
BUDGET_ROW = "预算执行率"


def detect(table: RawTable) -> float:
    """Confidence that ``table`` holds self-evaluation forms (their labels, not a target list)."""
    labels = form_labels(table)
    hits = sum(
        1
        for group in (
            ("项目名称",),
            ("实际完成值", "全年实际值", "实际值"),
            ("全年执行数",),
            ("得分",),
        )
        if labels & set(group)
    )
    return 0.25 * hits


@dataclass
class FormRead:
    """What the self-evaluation layout made of one grid."""

    evaluations: list[SelfEvaluation]
    warnings: list[ParseWarning] = field(default_factory=list)


LABELS = frozenset({*FUNDS_FIELDS, *INDICATOR_FIELDS, "总分", "自评等级"})


def read_forms(table: RawTable) -> FormRead:
    """Every self-evaluation form of ``table``, in order."""
    forms, warnings = split_forms(table, LABELS, "自评")
    return FormRead([_read_form(form) for form in forms], warnings)


def _read_form(form: Form) -> SelfEvaluation:
    unit = form.unit()
    funds_row = form.find_row(lambda labels: "全年执行数" in labels or "全年预算数" in labels)
    indicator_row = form.find_row(lambda labels: "三级指标" in labels)
    funds = _funds(form, funds_row, unit) if funds_row is not None else []
    indicators, budget_figures = (
        _indicators(form, indicator_row) if indicator_row is not None else ([], None)
    )
    if indicator_row is None:
        form.warn("no_indicators", "自评表中没有找到指标表（三级指标 表头）")
    if budget_figures is not None and funds:
        funds[0] = _with_budget_figures(funds[0], *budget_figures)
    total, grade = _total_and_grade(form)
    return SelfEvaluation(
        project=form.value("项目名称") or "",
        year=form.year,
        department=form.value("主管部门"),
        unit_name=form.value("实施单位") or form.value("预算单位"),
        funds=funds,
        indicators=indicators,
        goal=form.under("预期目标"),
        goal_result=form.under("实际完成情况"),
        published_total=total,
        published_grade=grade,
    )


# --- funds ----------------------------------------------------------------------------------


def _funds(form: Form, at: int, unit: MoneyUnit) -> list[FundsExecution]:
    cols = form.columns(form.rows[at], FUNDS_FIELDS)
    first = min(cols.values(), default=0)
    out: list[FundsExecution] = []
    for row in form.rows[at + 1 :]:
        line = _funds_line(form, row, first)
        if line is None:
            break
        values = {name: form.grid.covering(row.line, col) for name, col in cols.items()}
        budget = _money(form, values.get("budget"), unit)
        executed = _money(form, values.get("executed"), unit)
        if budget is None or executed is None:
            if line is BudgetLine.TOTAL:
                form.warn("funds_missing", "年度资金总额缺少全年预算数或全年执行数", row.cells[0])
            continue
        out.append(
            FundsExecution(
                line,
                budget,
                executed,
                _money(form, values.get("initial"), unit),
                published_rate=form.figure(values.get("rate"), percent=True),
                published_weight=form.figure(values.get("weight")),
                published_score=form.figure(values.get("score")),
            )
        )
    return out


def _funds_line(form: Form, row: RawRow, first_value_col: int) -> BudgetLine | None:
    for cell in form.cells(row):
        if cell.col >= first_value_col:
            break
        key = compact(cell.text)
        for label, line in FUNDS_LINES:
            if label in key:
                return line
    return None


def _money(form: Form, cell: RawCell | None, unit: MoneyUnit) -> Money | None:
    figure = form.figure(cell)
    if figure is None:
        return None
    if figure < 0:
        form.warn("negative_amount", "金额为负数，未采用", cell)
        return None
    return Money.of(figure, unit)


def _with_budget_figures(
    funds: FundsExecution, weight: Decimal | None, score: Decimal | None
) -> FundsExecution:
    return replace(
        funds,
        published_weight=funds.published_weight if funds.published_weight is not None else weight,
        published_score=funds.published_score if funds.published_score is not None else score,
    )


# --- goal, total, grade ---------------------------------------------------------------------


def _total_and_grade(form: Form) -> tuple[Decimal | None, str | None]:
    total: Decimal | None = None
    grade: str | None = None
    for row in form.rows:
        cells = form.cells(row)
        keys = [compact(c.text) for c in cells]
        if keys and keys[0] in ("总分", "合计", "总计", "自评总分"):
            numbers = [form.figure(c) for c in cells[1:] if compact(c.text) not in DASHES]
            found = [n for n in numbers if n is not None]
            total = found[-1] if found else None
        for i, key in enumerate(keys):
            if key.startswith(("自评等级", "评价等级", "绩效等级")) and i + 1 < len(cells):
                grade = clean_text(cells[i + 1].text) or None
    return total, grade


# --- indicators -----------------------------------------------------------------------------


def _indicators(
    form: Form, at: int
) -> tuple[list[IndicatorActual], tuple[Decimal | None, Decimal | None] | None]:
    cols = form.columns(form.rows[at], INDICATOR_FIELDS)
    if "name" not in cols:
        form.warn("no_indicators", "指标表缺少三级指标列", form.rows[at].cells[0])
        return [], None
    out: list[IndicatorActual] = []
    budget: tuple[Decimal | None, Decimal | None] | None = None
    levels: dict[str, str] = {}
    for row in form.rows[at + 1 :]:
        cells = form.cells(row)
        first = compact(cells[0].text) if cells else ""
        if first.startswith(("总分", "合计", "总计", "自评等级", "评价等级")):
            break
        text = {name: form.grid.covering(row.line, col) for name, col in cols.items()}
        if any(compact(c.text) == BUDGET_ROW for c in cells):
            budget = (form.figure(text.get("weight")), form.figure(text.get("score")))
            continue
        for key in ("level1", "level2"):  # merged down, or left blank under the first
            levels[key] = text_of(text.get(key)) or levels.get(key, "")
        name_cell = text["name"]
        if name_cell is None or not name_cell.text.strip() or name_cell.line != row.line:
            continue
        indicator = _indicator(form, clean_text(name_cell.text), text, levels)
        if indicator is not None:
            out.append(indicator)
    return out, budget


def _indicator(
    form: Form, name: str, text: dict[str, RawCell | None], levels: dict[str, str]
) -> IndicatorActual | None:
    target = parse_target(target_text(text, "target"))
    actual_text = raw(text.get("actual"))
    score = _score(form, text.get("score"))
    try:
        return IndicatorActual(
            name=name,
            target=target,
            level1=level(levels["level1"]),
            level2=level(levels["level2"]),
            actual=_actual_number(actual_text, target.kind),
            actual_date=_actual_date(actual_text, target.kind),
            actual_text=actual_text or None,
            weight=form.figure(text.get("weight")),
            deviation=text_of(text.get("deviation")),
            published_score=score,
        )
    except InvalidValue as exc:
        form.warn("invalid_indicator", f"指标“{name}”：{exc}", text.get("name"))
        return None


def _score(form: Form, cell: RawCell | None) -> Decimal | None:
    if cell is not None and compact(cell.text) in ("满分", "全分"):
        form.warn("text_score", f"得分写作“{cell.text.strip()}”，未作为数值采用", cell)
        return None
    return form.figure(cell)


def _actual_number(text: str, kind: TargetKind) -> Decimal | None:
    if kind is not TargetKind.QUANTITATIVE or not text:
        return None
    m = _NUMBER.match(to_halfwidth(text).replace(" ", ""))
    if m is None:
        return None
    parsed = parse_amount(m[1])
    return parsed[0] if parsed is not None else None


def _actual_date(text: str, kind: TargetKind) -> date | None:
    if kind is not TargetKind.DEADLINE:
        return None
    m = _DATE.search(to_halfwidth(text))
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


class SelfEvaluationForm:
    """The layout of 项目支出绩效自评表 grids (kind ``self_evaluation``)."""

    name = "self_evaluation_form"

    def detect(self, table: RawTable) -> float:
        return detect(table)

    def extract(self, table: RawTable) -> TableParse:
        read = read_forms(table)
        document = Document(
            projects=[],
            year=next((e.year for e in read.evaluations if e.year), None),
            warnings=read.warnings,
            source_name=table.source_name,
            source_kind=table.kind,
        )
        cut = _cut(table, read)
        if cut is not None:
            document.complete = False
            document.warnings.append(
                ParseWarning(
                    "incomplete",
                    f"文件似乎被截断：最后一张自评表（{cut.place}起）{cut.reason}",
                    SourceRef(lines=(cut.line,)),
                )
            )
        return TableParse(
            document,
            table,
            self.name,
            self.detect(table),
            kind=SELF_EVALUATION,
            incomplete=cut,
            evaluations=read.evaluations,
        )


def _cut(table: RawTable, read: FormRead) -> Incomplete | None:
    """A last form without 总分 or 自评等级 stops mid-way (a copy cut short)."""
    if not read.evaluations:
        return None
    last = read.evaluations[-1]
    if last.published_total is not None or last.published_grade is not None:
        return None
    start = next(
        (c for r in reversed(table.rows) for c in r.cells if compact(c.text) == "项目名称"), None
    )
    line = start.line if start is not None else table.rows[-1].line
    where = start.where if start is not None else ""
    return Incomplete(line, "没有总分行", where)
