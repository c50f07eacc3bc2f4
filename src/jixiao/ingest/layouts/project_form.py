"""Single-project target forms (项目支出绩效目标申报表 / 审批表 / 项目绩效目标表) on a cell grid.

Read by labels (``form_grid``), one project per form, several forms one after another:

- header: 项目名称, 主管部门(及代码), 实施单位 — the value beside the label;
- 项目资金: label–amount pairs (``年度资金总额 | 100 | 其中：财政拨款 | 80``), one side per period
  when the form has 中期/实施期 and 年度 columns (the 年度 side is read), or a row of labels with
  the amounts under them; 万元 or 元 from the block's label or a ``单位：`` line;
- goals: the text under 中期目标/实施期目标 and 年度目标, or beside 总体目标 / 年度绩效目标;
- indicators: the header row with 三级指标; 一级/二级 merged down, repeated or left blank;
  实施期指标值 and 年度指标值 (or one 指标值 / 目标值 column: the annual value); 指标性质 + 指标值 +
  度量单位 joined; 权重/分值 and 指标解释 kept.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.indicator import Indicator
from jixiao.domain.project import Amounts, Project
from jixiao.domain.provenance import ParseWarning
from jixiao.domain.target import TargetValue, parse_target
from jixiao.ingest.form_grid import (
    Form,
    compact,
    form_labels,
    level,
    split_forms,
    target_text,
    text_of,
)
from jixiao.ingest.normalize import FUNDING_WORDS
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.result import PROJECT_TARGETS, TableParse

INDICATOR_FIELDS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "实施期指标值": "period",
    "中期指标值": "period",
    "实施周期指标值": "period",
    "年度指标值": "annual",
    "指标值": "annual",
    "目标值": "annual",
    "指标性质": "op",
    "度量单位": "unit",
    "计量单位": "unit",
    "权重": "weight",
    "分值": "weight",
    "指标解释": "explanation",
    "指标说明": "explanation",
}
# label (compact, prefix) → Amounts field; the totals first.
FUNDS_LABELS = (
    ("年度资金总额", "total"),
    ("中期资金总额", "total"),
    ("实施期资金总额", "total"),
    ("资金总额", "total"),
    *((word, value) for word, value in FUNDING_WORDS if value != "carryover"),
)
LABELS = frozenset({*INDICATOR_FIELDS, "总体目标", "年度目标", "中期目标", "实施期目标"})


def detect(table: RawTable) -> float:
    """Confidence that ``table`` holds single-project target forms (not a list, not a 自评表)."""
    labels = form_labels(table)
    if not labels or labels & {"实际完成值", "全年执行数", "得分"}:
        return 0.0
    groups = (("项目名称",), ("三级指标",), ("年度资金总额", "资金总额"), ("年度目标", "总体目标"))
    return 0.25 * sum(1 for group in groups if labels & set(group))


def read_forms(table: RawTable) -> tuple[Document, list[ParseWarning]]:
    """Every target form of ``table`` as one project of a document."""
    forms, warnings = split_forms(table, LABELS, "目标")
    projects = [_project(form) for form in forms]
    unit = forms[0].unit() if forms else MoneyUnit.WAN_YUAN
    department = forms[0].value("主管部门") if forms else None
    year = forms[0].year if forms else None
    doc = Document(projects=projects, department=department, unit=unit, year=year)
    return doc, warnings


def _project(form: Form) -> Project:
    indicator_row = form.find_row(lambda labels: "三级指标" in labels)
    if indicator_row is None:
        form.warn("no_indicators", "目标表中没有找到指标表（三级指标 表头）")
    period_goal = form.under("中期目标") or form.under("实施期目标")
    annual_goal = form.under("年度目标") or form.value("年度绩效目标")
    return Project(
        name=form.value("项目名称") or "",
        amounts=_amounts(form),
        goal=annual_goal or period_goal or form.value("总体目标"),
        indicators=_indicators(form, indicator_row) if indicator_row is not None else [],
        unit_name=form.value("实施单位"),
        annual_goal=annual_goal,
    )


# --- funds ----------------------------------------------------------------------------------


def _funds_field(cell: RawCell) -> str | None:
    key = compact(cell.text)
    return next((name for label, name in FUNDS_LABELS if key.startswith(label)), None)


def _amounts(form: Form) -> Amounts:
    """The annual amounts: where a row gives a field twice (中期 | 年度 sides), the 年度 side."""
    found: dict[str, Decimal] = {}
    side: int | None = None
    for row in form.rows:
        by_field: dict[str, list[tuple[RawCell, Decimal | None]]] = {}
        for cell, value in _pairs(form, row):
            name = _funds_field(cell)
            if name is not None:
                by_field.setdefault(name, []).append((cell, value))
        for name, pairs in by_field.items():
            if len(pairs) > 1 and side is None:
                labels = [compact(cell.text) for cell, _ in pairs]
                side = next((i for i, t in enumerate(labels) if "年度" in t), len(pairs) - 1)
            _, value = pairs[min(side or 0, len(pairs) - 1)] if len(pairs) > 1 else pairs[0]
            if value is not None and name not in found:
                found[name] = value
    return Amounts(**found)


def _pairs(form: Form, row: RawRow) -> list[tuple[RawCell, Decimal | None]]:
    """(label, amount) for each funds label of ``row``: the amount beside it, else under it."""
    cells = form.cells(row)
    out = []
    for i, cell in enumerate(cells):
        if _funds_field(cell) is None:
            continue
        beside = cells[i + 1] if i + 1 < len(cells) else None
        if beside is not None and _funds_field(beside) is None and not form.is_label(beside.text):
            out.append((cell, form.figure(beside)))
        else:
            below = form.grid.covering(cell.line + max(cell.rowspan, 1), cell.col)
            out.append((cell, form.figure(below) if below is not None else None))
    return out


# --- indicators -----------------------------------------------------------------------------


def _indicators(form: Form, at: int) -> list[Indicator]:
    cols = form.columns(form.rows[at], INDICATOR_FIELDS)
    if "name" not in cols:
        form.warn("no_indicators", "指标表缺少三级指标列", form.rows[at].cells[0])
        return []
    out: list[Indicator] = []
    levels: dict[str, str] = {}
    for row in form.rows[at + 1 :]:
        text = {name: form.grid.covering(row.line, col) for name, col in cols.items()}
        for key in ("level1", "level2"):
            levels[key] = text_of(text.get(key)) or levels.get(key, "")
        name_cell = text["name"]
        if name_cell is None or not name_cell.text.strip() or name_cell.line != row.line:
            continue
        out.append(
            Indicator(
                name=text_of(name_cell),
                level1=level(levels["level1"]),
                level2=level(levels["level2"]),
                period=_target(text, "period"),
                annual=_target(text, "annual"),
                explanation=text_of(text.get("explanation")) or None,
                weight=_whole(form, text.get("weight")),
            )
        )
    return out


def _target(text: dict[str, RawCell | None], column: str) -> TargetValue | None:
    if column not in text:
        return None
    value = target_text(text, column)
    return parse_target(value) if value else None


def _whole(form: Form, cell: RawCell | None) -> int | None:
    figure = form.figure(cell)
    if figure is None:
        return None
    if figure != figure.to_integral_value():
        form.warn("fractional_weight", f"权重 {figure} 不是整数，未采用", cell)
        return None
    return int(figure)


class ProjectTargetForm:
    """The layout of single-project target form grids (kind ``project_targets``)."""

    name = "project_target_form"

    def detect(self, table: RawTable) -> float:
        return detect(table)

    def extract(self, table: RawTable) -> TableParse:
        document, warnings = read_forms(table)
        document.warnings.extend(warnings)
        document.source_name = table.source_name
        document.source_kind = table.kind
        return TableParse(document, table, self.name, self.detect(table), kind=PROJECT_TARGETS)
