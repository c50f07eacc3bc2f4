"""The column header of a department target table on a grid, read by meaning, not position.

Each header cell's text names a field (``classify``); a column's field is the lowest header cell
above it that names one, so group cells merged over several columns (资金来源, 项目资金,
绩效指标 over 一级/二级/三级指标) give way to the leaves under them, and a header flattened
without merges (CSV) reads the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from jixiao.domain.enums import FundSource
from jixiao.ingest.cellgrid import CellGrid
from jixiao.ingest.normalize import funding_source, to_halfwidth
from jixiao.ingest.rawtable import RawRow

_SPACES = re.compile(r"\s+")
MAX_LABEL = 30
HEADER_SEARCH_ROWS = 40


class Field(StrEnum):
    SERIAL = "serial"
    NAME = "name"
    TOTAL = "total"
    FISCAL = "fiscal"
    SPECIAL = "special"
    OTHER = "other"
    GOAL = "goal"
    INDICATORS = "indicators"  # one text cell with every indicator of the project
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    INDICATOR_NAME = "indicator_name"
    PERIOD = "period"
    ANNUAL = "annual"


MONEY_FIELDS = (Field.TOTAL, Field.FISCAL, Field.SPECIAL, Field.OTHER)
PROJECT_FIELDS = (Field.SERIAL, Field.NAME, *MONEY_FIELDS, Field.GOAL)
INDICATOR_FIELDS = (
    Field.LEVEL1,
    Field.LEVEL2,
    Field.INDICATOR_NAME,
    Field.PERIOD,
    Field.ANNUAL,
)
LABELS = {
    Field.SERIAL: "序号",
    Field.NAME: "项目名称",
    **{field: FundSource(field.value).label for field in MONEY_FIELDS},
    Field.GOAL: "绩效目标",
    Field.INDICATORS: "绩效指标",
    Field.LEVEL1: "一级指标",
    Field.LEVEL2: "二级指标",
    Field.INDICATOR_NAME: "三级指标",
    Field.PERIOD: "实施周期指标值",
    Field.ANNUAL: "年度指标值",
}
_MONEY_SOURCES = {field.value: field for field in MONEY_FIELDS}
# Words of group cells over several columns: header text that names no field of its own.
_GROUP_WORDS = ("资金来源", "其中", "项目资金", "预算金额", "资金情况", "金额", "预算数")
_FOREIGN = ("自评", "得分", "全年执行数", "执行率", "偏差原因", "年初预算数", "分值")


def compact(text: str) -> str:
    return _SPACES.sub("", to_halfwidth(text))


def classify(text: str) -> Field | None:
    """The field a header cell names, if any (``财政专户拨款`` → SPECIAL)."""
    if len(text) > 4 * MAX_LABEL:
        return None  # data (a goal, an indicator text), not a label: skip the cleaning
    t = compact(text)
    if not t or len(t) > MAX_LABEL:
        return None
    source = funding_source(t, _MONEY_SOURCES) or ""
    rules: tuple[tuple[bool, Field], ...] = (
        ("序号" in t, Field.SERIAL),
        ("一级指标" in t, Field.LEVEL1),
        ("二级指标" in t, Field.LEVEL2),
        ("三级指标" in t or t.startswith("指标名称"), Field.INDICATOR_NAME),
        (("指标值" in t or "目标值" in t) and "年度" in t, Field.ANNUAL),
        ("指标值" in t or "目标值" in t, Field.PERIOD),
        ("绩效目标" in t or t.endswith("目标"), Field.GOAL),
        ("绩效指标" in t, Field.INDICATORS),
        (source in _MONEY_SOURCES, _MONEY_SOURCES.get(source, Field.OTHER)),
        ("一般公共预算" in t, Field.FISCAL),
        (t.startswith(("总计", "合计")) or "总额" in t, Field.TOTAL),
        (t.startswith("项目名称") or t in ("项目", "名称"), Field.NAME),
    )
    return next((f for hit, f in rules if hit), None)


def is_label(text: str) -> bool:
    """Header text: a field's label or a group word."""
    if len(text) > 4 * MAX_LABEL:
        return False
    t = compact(text)
    return classify(t) is not None or (len(t) <= MAX_LABEL and any(w in t for w in _GROUP_WORDS))


def is_label_row(grid: CellGrid, row: RawRow) -> bool:
    """Every non-empty cell written in this row is header text, and two fields are named."""
    cells = [c for c in row.cells if not c.is_empty]
    if not cells or not all(is_label(c.text) for c in cells):
        return False
    return len({classify(c.text) for c in cells} - {None}) >= 2


@dataclass(frozen=True)
class GridHeader:
    """Where the header is (first and last line) and the field of each column."""

    first: int
    last: int
    columns: dict[int, Field]
    texts: tuple[str, ...]  # every header cell's text, for the unit (总计（万元）)
    names: dict[int, str]  # the header text that gave each column its field

    def col(self, field: Field) -> int | None:
        """The column of ``field``; of two goal columns (实施期目标, 年度目标) the annual one,
        as the contract's ``goal`` is the annual goal where there is one."""
        found = [c for c, f in self.columns.items() if f is field]
        annual = [c for c in found if "年度" in self.names.get(c, "")]
        if field is Field.GOAL and annual:
            return annual[0]
        return found[0] if found else None

    @property
    def by_indicator_columns(self) -> bool:
        return Field.INDICATOR_NAME in self.columns.values()


def _starts_header(row: RawRow) -> bool:
    fields = {classify(c.text) for c in row.cells} - {None}
    content = fields & {Field.GOAL, Field.INDICATORS, Field.INDICATOR_NAME, Field.LEVEL1}
    return Field.NAME in fields and len(fields) >= 3 and bool(content)


def is_foreign(grid: CellGrid) -> bool:
    """A header of another kind of table (self-evaluation, monitoring)."""
    for row in grid.table.rows[:HEADER_SEARCH_ROWS]:
        if sum(1 for c in row.cells if any(w in compact(c.text) for w in _FOREIGN)) >= 2:
            return True
    return False


def _leaves_below(row: RawRow, name_cols: set[int]) -> bool:
    """A header row under the first, flattened (no merges): header text only, naming a
    field, and nothing under 项目名称 (a 合计 row there is data)."""
    cells = [c for c in row.cells if not c.is_empty]
    return (
        bool(cells)
        and all(is_label(c.text) for c in cells)
        and any(classify(c.text) is not None for c in cells)
        and not any(c.col in name_cols for c in cells)
    )


def find_header(grid: CellGrid) -> GridHeader | None:
    """The header block: its first row names 项目名称 and the goal or indicators; it goes on
    over the rows its merged cells reach and the rows below made only of header text."""
    rows = grid.table.rows
    start = next(
        (i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if _starts_header(row)), None
    )
    if start is None:
        return None
    end = start
    reach = max(c.line + c.rowspan - 1 for c in rows[start].cells)
    name_cols = {c.col for c in rows[start].cells if classify(c.text) is Field.NAME}
    while end + 1 < len(rows):
        nxt = rows[end + 1]
        if nxt.line > reach and not (is_label_row(grid, nxt) or _leaves_below(nxt, name_cols)):
            break
        end += 1
        reach = max(reach, *(c.line + c.rowspan - 1 for c in nxt.cells))
    lines = [r.line for r in rows[start : end + 1]]
    columns: dict[int, Field] = {}
    names: dict[int, str] = {}
    for col in range(grid.width):
        for line in lines:
            cell = grid.covering(line, col)
            field = classify(cell.text) if cell is not None else None
            if cell is not None and field is not None:
                columns[col] = field
                names[col] = compact(cell.text)
    texts = tuple(c.text for r in rows[start : end + 1] for c in r.cells)
    return GridHeader(lines[0], lines[-1], columns, texts, names)
