"""Random department 目标表 as abstract cell grids, in the styles finance offices keep them.

``grid_specs()`` draws the truth (a ``Document`` from ``generator.documents()``) and a table
style, and lays the document out as a ``GridSpec``:

- ``spec.cells``: ``SpecCell(row, col, text, rowspan, colspan)``, ``row`` 0-based inside the
  table (header rows first), ``col`` 0-based. A merged cell is one ``SpecCell`` at its top-left;
  the positions it covers have none. Positions neither covered nor holding a ``SpecCell`` are
  blank.
- ``spec.lines_before`` / ``spec.lines_after``: the text around the table (title,
  ``部门名称：…``, ``单位：万元``), one string per line, in order.
- ``spec.document``: what a layout must recover (``generator.document_view`` compares).
- ``spec.style``: how it was drawn; ``spec.project_rows``: the grid rows of each project;
  ``spec.total_row`` / ``spec.total_matches``: where the 合计 row is and whether it adds up
  (when it does not, the layout must warn ``total_mismatch``).

Styles varied: 序号 column or not; 项目名称 / 总计 / 资金来源 merged over any subset and order of
财政拨款 / 财政专户拨款 / 其他资金 (none at all too); 绩效目标; 绩效指标 either as one text cell per
project in the sample's wording, or as separate columns 一级指标 / 二级指标 / 三级指标 /
实施周期指标值 / 年度指标值 with one indicator per row, the project's cells merged down (rowspan),
repeated on every row, or written on its first row only, and 一级/二级 merged down or repeated;
header over 1–3 rows with merged group cells (资金来源, 绩效指标, 项目资金); the header repeated
between projects (a page break); amounts in 万元 or 元 with or without thousands separators;
an optional 合计 row (first or last), which may or may not add up.

How a reader test uses it: render ``spec`` into its file kind (write each ``SpecCell`` at
``(row, col)`` and merge its span, write the lines above and below as paragraphs or as merged
rows), read the file back, and compare with the table a perfect reader would produce::

    expected = as_raw_table(spec, kind="xlsx")      # or "docx", "html", "pdf_text", "csv"
    assert grid_shape(read(rendered_bytes)[0]) == grid_shape(expected)

``as_raw_table`` follows ``ingest/rawtable.py``: lines become one-cell rows spanning the width
(for workbooks they are the sheet rows above/below the table, merged across it); table row ``r``
is at ``line`` = its position in reading order (1-based, after the lines above); refs are
``Sheet1!C7`` for workbooks (``xlsx``, ``xls``, ``ods``), ``C7`` for ``csv``, and
``表1 第r行第c列`` (1-based, inside the table) otherwise. Blank positions that no merge covers
are empty ``RawCell``\\ s (a grid reader keeps column positions); ``csv`` cannot merge, so there
every position is its own cell, covered positions are empty and the lines around are a first
cell of their own. ``grid_shape`` drops what differs
legitimately between kinds (refs, line numbers, pages, boxes, the empty cells) and keeps, per
non-blank row, ``(col, rowspan, colspan, text)`` of each non-empty cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from generator import _Renderer, documents
from hypothesis import strategies as st

from jixiao.domain.document import Document
from jixiao.domain.enums import MoneyUnit
from jixiao.domain.indicator import LevelRef
from jixiao.domain.project import Amounts, Project
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable

Draw = Any

FUND_FIELDS = ("fiscal", "special", "other")
FUND_LABELS = {
    "fiscal": ["财政拨款", "财政拨款资金", "一般公共预算拨款"],
    "special": ["财政专户拨款", "财政专户管理资金"],
    "other": ["其他资金", "其他资金来源"],
}
NAME_LABELS = ["项目名称", "项目名称(资金使用单位)", "项目名称（资金使用单位）"]
TOTAL_LABELS = ["总计", "资金总额", "项目资金总额"]
FUNDS_GROUP_LABELS = ["资金来源", "其中"]
MONEY_GROUP_LABELS = ["项目资金", "项目资金情况", "预算金额"]
GOAL_LABELS = ["绩效目标", "年度绩效目标", "项目绩效目标"]
INDICATOR_GROUP_LABELS = ["绩效指标", "绩效指标明细"]
LEVEL_LABELS = {
    "level1": ["一级指标"],
    "level2": ["二级指标"],
    "name": ["三级指标", "三级指标名称", "指标名称"],
    "period": ["实施周期指标值", "实施期指标值", "指标值（实施周期）"],
    "annual": ["年度指标值", "指标值（年度）"],
}
UNIT_LINES = {
    MoneyUnit.WAN_YUAN: ["单位：万元", "单位:万元", "金额单位：万元"],
    MoneyUnit.YUAN: ["单位：元", "单位:元", "金额单位：元"],
}
TOTAL_ROW_LABELS = ["合计", "合  计", "总计"]


@dataclass(frozen=True)
class SpecCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class GridStyle:
    serial: bool  # a 序号 column first
    funds: tuple[str, ...]  # which of fiscal/special/other have columns, in this order
    indicator_columns: bool  # 一级/二级/三级/values as columns, one indicator per row
    project_cells: str  # "merged" | "repeated" | "first_only" (indicator_columns only)
    levels_merged: bool  # 一级/二级 cells merged down over runs (indicator_columns only)
    level_codes: bool  # 1-产出指标 rather than 产出指标 in level cells
    header_rows: int  # 1, 2 or 3
    thousands: bool  # 1,714.44
    whole_numbers: bool  # 1200 for 1200.00
    total_row: str  # "" | "first" | "last"
    repeat_header: bool  # the header written again before a later project


@dataclass
class GridSpec:
    document: Document
    style: GridStyle
    cells: list[SpecCell]
    lines_before: list[str]
    lines_after: list[str] = field(default_factory=list)
    header_row_count: int = 1
    project_rows: list[tuple[int, ...]] = field(default_factory=list)
    total_row: int | None = None
    total_matches: bool = True
    sheet: str = "Sheet1"

    @property
    def width(self) -> int:
        return max(c.col + c.colspan for c in self.cells)

    @property
    def height(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    def dense(self) -> list[list[str]]:
        """Text at every position; positions a merge covers are empty (how CSV writes it)."""
        grid = [[""] * self.width for _ in range(self.height)]
        for c in self.cells:
            grid[c.row][c.col] = c.text
        return grid


# --- the truth, adjusted to the style ------------------------------------------------------


def _unique_names(projects: list[Project]) -> None:
    """Two projects of one name next to each other could not be told apart when cells repeat."""
    seen: dict[str, int] = {}
    for p in projects:
        count = seen.get(p.name, 0)
        seen[p.name] = count + 1
        if count:
            p.name = f"{p.name}({count + 1})"


def _fit_amounts(amounts: Amounts, funds: tuple[str, ...]) -> Amounts:
    """Sources without a column are empty; the total stays the sum of what the table shows."""
    parts = {f: (getattr(amounts, f) if f in funds else None) for f in FUND_FIELDS}
    shown = [v for v in parts.values() if v is not None]
    total = sum(shown, Decimal(0)) if shown else amounts.total
    return Amounts(total=total, **parts)


# --- text of cells -------------------------------------------------------------------------


def amount_text(value: Decimal | None, style: GridStyle) -> str:
    if value is None:
        return ""
    if style.whole_numbers and value == value.to_integral_value():
        return f"{int(value):,}" if style.thousands else str(int(value))
    return f"{value:,.2f}" if style.thousands else f"{value:.2f}"


def _level_text(ref: LevelRef | None, codes: bool) -> str:
    assert ref is not None
    return ref.format() if codes else (ref.name or "")


# --- header --------------------------------------------------------------------------------


@dataclass
class _Col:
    key: str  # serial, name, total, fiscal/special/other, goal, level1, level2, iname, period…
    leaf: str  # the label in the lowest header row


def _columns(draw: Draw, style: GridStyle) -> list[_Col]:
    cols: list[_Col] = []
    if style.serial:
        cols.append(_Col("serial", "序号"))
    cols.append(_Col("name", draw(st.sampled_from(NAME_LABELS))))
    cols.append(_Col("total", draw(st.sampled_from(TOTAL_LABELS))))
    cols.extend(_Col(f, draw(st.sampled_from(FUND_LABELS[f]))) for f in style.funds)
    cols.append(_Col("goal", draw(st.sampled_from(GOAL_LABELS))))
    if style.indicator_columns:
        for key in ("level1", "level2", "name", "period", "annual"):
            cols.append(_Col("i" + key, draw(st.sampled_from(LEVEL_LABELS[key]))))
    else:
        cols.append(_Col("indicators", draw(st.sampled_from(INDICATOR_GROUP_LABELS))))
    return cols


def _header(draw: Draw, style: GridStyle, cols: list[_Col]) -> list[SpecCell]:
    """Header cells over ``style.header_rows`` rows; group labels merged over their leaves."""
    rows = style.header_rows
    keys = [c.key for c in cols]
    fund_cols = [i for i, k in enumerate(keys) if k in FUND_FIELDS]
    ind_cols = [i for i, k in enumerate(keys) if k.startswith("i") and k != "indicators"]
    total_col = keys.index("total")
    cells: list[SpecCell] = []
    if rows == 1:
        return [SpecCell(0, i, c.leaf) for i, c in enumerate(cols)]
    done: set[int] = set()
    funds_row = rows - 2  # the row of 资金来源 (rows==3: row 1, under 项目资金)
    if rows == 3:
        money = [total_col, *fund_cols]
        label = draw(st.sampled_from(MONEY_GROUP_LABELS))
        cells.append(SpecCell(0, total_col, label, colspan=len(money)))
        cells.append(SpecCell(1, total_col, cols[total_col].leaf, rowspan=2))
        done.add(total_col)
    if fund_cols:
        label = draw(st.sampled_from(FUNDS_GROUP_LABELS))
        cells.append(SpecCell(funds_row, fund_cols[0], label, colspan=len(fund_cols)))
        cells.extend(SpecCell(rows - 1, i, cols[i].leaf) for i in fund_cols)
        done.update(fund_cols)
    if ind_cols:
        label = draw(st.sampled_from(INDICATOR_GROUP_LABELS))
        span = rows - 1
        cells.append(SpecCell(0, ind_cols[0], label, colspan=len(ind_cols)))
        cells.extend(SpecCell(1, i, cols[i].leaf, rowspan=span) for i in ind_cols)
        done.update(ind_cols)
    for i, c in enumerate(cols):
        if i not in done:
            cells.append(SpecCell(0, i, c.leaf, rowspan=rows))
    return cells


# --- body ----------------------------------------------------------------------------------


def runs(values: list[object]) -> list[tuple[int, int]]:
    """(start, length) of runs of equal consecutive values."""
    out: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if out and values[out[-1][0]] == v:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((i, 1))
    return out


def _project_cells(
    draw: Draw, style: GridStyle, cols: list[_Col], project: Project, serial: int, top: int
) -> tuple[list[SpecCell], int]:
    """The cells of one project starting at grid row ``top``, and how many rows it takes."""
    keys = [c.key for c in cols]
    assert project.goal is not None
    own = {
        "serial": str(serial),
        "name": project.name,
        "total": amount_text(project.amounts.total, style),
        "goal": project.goal,
        **{f: amount_text(getattr(project.amounts, f), style) for f in FUND_FIELDS},
    }
    if not style.indicator_columns:
        r = _Renderer(draw, frozenset(), set())
        own["indicators"] = r.indicator_text(project)
        return [SpecCell(top, i, own[k]) for i, k in enumerate(keys) if own[k]], 1
    inds = project.indicators
    height = len(inds)
    cells: list[SpecCell] = []
    for i, k in enumerate(keys):
        if k not in own or not own[k]:
            continue
        if style.project_cells == "merged":
            cells.append(SpecCell(top, i, own[k], rowspan=height))
        elif style.project_cells == "repeated":
            cells.extend(SpecCell(top + j, i, own[k]) for j in range(height))
        else:
            cells.append(SpecCell(top, i, own[k]))
    level1 = [(ind.level1,) for ind in inds]
    level2 = [(ind.level1, ind.level2) for ind in inds]
    for key, values in (("ilevel1", level1), ("ilevel2", level2)):
        col = keys.index(key)
        spans = runs(list(values)) if style.levels_merged else [(j, 1) for j in range(height)]
        for start, length in spans:
            ref = inds[start].level1 if key == "ilevel1" else inds[start].level2
            text = _level_text(ref, style.level_codes)
            cells.append(SpecCell(top + start, col, text, rowspan=length))
    for j, ind in enumerate(inds):
        assert ind.period is not None
        cells.append(SpecCell(top + j, keys.index("iname"), ind.name))
        cells.append(SpecCell(top + j, keys.index("iperiod"), ind.period.raw))
        if ind.annual is not None:
            cells.append(SpecCell(top + j, keys.index("iannual"), ind.annual.raw))
    return cells, height


def _total_cells(
    style: GridStyle, cols: list[_Col], doc: Document, row: int, matches: bool, label: str
) -> list[SpecCell]:
    keys = [c.key for c in cols]
    sums: dict[str, Decimal | None] = {}
    for key in ("total", *FUND_FIELDS):
        values = [getattr(p.amounts, key) for p in doc.projects]
        present = [v for v in values if v is not None]
        sums[key] = sum(present, Decimal(0)) if present else None
    if not matches:
        assert sums["total"] is not None
        sums["total"] += Decimal("1.00")
    cells = [SpecCell(row, 0, label, colspan=2)] if style.serial else [SpecCell(row, 0, label)]
    for key, value in sums.items():
        if key in keys and value is not None:
            cells.append(SpecCell(row, keys.index(key), amount_text(value, style)))
    return cells


@st.composite
def grid_styles(draw: Draw) -> GridStyle:
    funds = draw(st.permutations(FUND_FIELDS))
    count = draw(st.integers(0, 3))
    indicator_columns = draw(st.booleans())
    return GridStyle(
        serial=draw(st.booleans()),
        funds=tuple(funds[:count]),
        indicator_columns=indicator_columns,
        project_cells=draw(st.sampled_from(["merged", "repeated", "first_only"])),
        levels_merged=draw(st.booleans()),
        level_codes=draw(st.booleans()),
        header_rows=draw(st.integers(1, 3)),
        thousands=draw(st.booleans()),
        whole_numbers=draw(st.booleans()),
        total_row=draw(st.sampled_from(["", "", "first", "last"])),
        repeat_header=draw(st.booleans()),
    )


def _truth(draw: Draw, style: GridStyle) -> Document:
    doc = draw(documents())
    _unique_names(doc.projects)
    for p in doc.projects:
        p.amounts = _fit_amounts(p.amounts, style.funds)
    if not draw(st.booleans()):
        doc.department = None
    return doc


def _lines_before(draw: Draw, doc: Document) -> list[str]:
    assert doc.unit is not None
    unit = draw(st.sampled_from(UNIT_LINES[doc.unit]))
    lines = [doc.title or ""]
    if doc.department is None:
        return [*lines, unit]
    department = f"部门名称：{doc.department}"
    if draw(st.booleans()):
        return [*lines, f"{department}    {unit}"]
    return [*lines, department, unit]


@st.composite
def grid_specs(draw: Draw, style: GridStyle | None = None) -> GridSpec:
    """A truth document laid out as a department table in a random (or the given) style."""
    style = style or draw(grid_styles())
    doc = _truth(draw, style)
    cols = _columns(draw, style)
    header = _header(draw, style, cols)
    cells = list(header)
    row = style.header_rows
    total_row: int | None = None
    matches = draw(st.booleans()) if style.total_row else True
    if style.total_row == "first":
        total_row = row
        row += 1
    repeat_before = (
        draw(st.integers(1, len(doc.projects) - 1))
        if style.repeat_header and len(doc.projects) > 1
        else None
    )
    project_rows: list[tuple[int, ...]] = []
    for index, project in enumerate(doc.projects):
        if index == repeat_before:
            cells.extend(replace(c, row=c.row + row) for c in header)
            row += style.header_rows
        body, height = _project_cells(draw, style, cols, project, index + 1, row)
        cells.extend(body)
        project_rows.append(tuple(range(row, row + height)))
        row += height
    if style.total_row == "last":
        total_row = row
    if total_row is not None:
        label = draw(st.sampled_from(TOTAL_ROW_LABELS))
        cells.extend(_total_cells(style, cols, doc, total_row, matches, label))
    after = ["注：本表金额均保留两位小数。"] if draw(st.integers(0, 3)) == 0 else []
    return GridSpec(
        document=doc,
        style=style,
        cells=sorted(cells, key=lambda c: (c.row, c.col)),
        lines_before=_lines_before(draw, doc),
        lines_after=after,
        header_row_count=style.header_rows,
        project_rows=project_rows,
        total_row=total_row,
        total_matches=matches,
    )


# --- the RawTable a perfect reader makes ---------------------------------------------------

WORKBOOK_KINDS = ("xlsx", "xls", "ods")


def column_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _ref(kind: str, sheet: str, line: int, table_row: int | None, col: int) -> str:
    if kind in WORKBOOK_KINDS:
        return f"{sheet}!{column_letter(col)}{line}"
    if kind == "csv":
        return f"{column_letter(col)}{line}"
    if table_row is None:
        return ""
    return f"表1 第{table_row + 1}行第{col + 1}列"


def as_raw_table(spec: GridSpec, kind: str = "xlsx") -> RawTable:
    """The RawTable a perfect ``kind`` reader makes of ``spec`` rendered into that kind."""
    width = spec.width
    rows: list[RawRow] = []
    line = 0

    def text_row(text: str) -> None:
        nonlocal line
        line += 1
        if text.strip():
            ref = _ref(kind, spec.sheet, line, None, 0)
            span = width if merge else 1
            rows.append(RawRow(line, (RawCell(text, 0, line, colspan=span, ref=ref),)))

    merge = kind != "csv"
    for text in spec.lines_before:
        text_row(text)
    covered: set[tuple[int, int]] = set()
    if merge:
        for c in spec.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    if (r, k) != (c.row, c.col):
                        covered.add((r, k))
    at = {(c.row, c.col): c for c in spec.cells}
    for r in range(spec.height):
        line += 1
        cells: list[RawCell] = []
        for k in range(width):
            if (r, k) in covered:
                continue
            spec_cell = at.get((r, k))
            ref = _ref(kind, spec.sheet, line, r, k)
            if spec_cell is None:
                cells.append(RawCell("", k, line, ref=ref))
            elif merge:
                cells.append(
                    RawCell(spec_cell.text, k, line, spec_cell.rowspan, spec_cell.colspan, ref=ref)
                )
            else:
                cells.append(RawCell(spec_cell.text, k, line, ref=ref))
        if any(not c.is_empty for c in cells):
            rows.append(RawRow(line, tuple(cells)))
    for text in spec.lines_after:
        text_row(text)
    return RawTable(
        rows=tuple(rows),
        source_name=f"generated.{kind}",
        line_count=line,
        reader=kind,
        kind=kind,
        grid=True,
        name=spec.sheet if kind in WORKBOOK_KINDS else "",
    )


def grid_shape(table: RawTable) -> list[tuple[tuple[int, int, int, str], ...]]:
    """What two readers of the same grid must agree on: per non-blank row, each non-empty
    cell's (col, rowspan, colspan, text)."""
    shape = []
    for row in table.rows:
        cells = tuple((c.col, c.rowspan, c.colspan, c.text) for c in row.cells if not c.is_empty)
        if cells:
            shape.append(cells)
    return shape
