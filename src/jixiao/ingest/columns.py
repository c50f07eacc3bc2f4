"""The column header of a project target table, and which field each column holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from jixiao.ingest.normalize import FUNDING_WORDS, clean_text
from jixiao.ingest.rawtable import RawRow


class Column(StrEnum):
    NAME = "name"
    TOTAL = "total"
    FISCAL = "fiscal"
    SPECIAL = "special"
    OTHER = "other"
    GOAL = "goal"
    INDICATORS = "indicators"
    SERIAL = "serial"
    CODE = "code"


# Keyword → column, checked in order (the funding sources as FUNDING_WORDS orders them).
_KEYWORDS: tuple[tuple[str, Column], ...] = (
    ("项目名称", Column.NAME),
    ("序号", Column.SERIAL),
    ("编码", Column.CODE),
    ("代码", Column.CODE),
    ("项目", Column.NAME),
    ("总计", Column.TOTAL),
    ("合计", Column.TOTAL),
    ("资金总额", Column.TOTAL),
    *((word, Column(value)) for word, value in FUNDING_WORDS if value in set(Column)),
    ("绩效目标", Column.GOAL),
    ("绩效指标", Column.INDICATORS),
)
DEFAULT_COLUMNS: tuple[Column, ...] = (
    Column.NAME,
    Column.TOTAL,
    Column.FISCAL,
    Column.SPECIAL,
    Column.OTHER,
    Column.GOAL,
    Column.INDICATORS,
)
MONEY_COLUMNS: tuple[Column, ...] = (Column.TOTAL, Column.FISCAL, Column.SPECIAL, Column.OTHER)
_DIGIT = re.compile(r"\d")
HEADER_CELL_MAX = 30
_FOREIGN = ("自评", "得分", "全年执行数", "执行率", "偏差原因", "年初预算数")


@dataclass(frozen=True)
class ColumnHeader:
    line: int
    columns: tuple[Column | None, ...]

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def name_col(self) -> int:
        """The column of the project name (after any 序号 / 项目编码 columns)."""
        return self.columns.index(Column.NAME) if Column.NAME in self.columns else 0


def classify_header_cell(text: str) -> Column | None:
    cleaned = clean_text(text)
    return next((col for key, col in _KEYWORDS if key in cleaned), None)


def header_score(row: RawRow) -> int:
    """How many distinct target-table columns a row names (0 for data rows)."""
    if len(row.cells) < 2 or any(len(c.text) > HEADER_CELL_MAX for c in row.cells):
        return 0  # header cells are short; a data row has a long goal or indicator cell
    found = {classify_header_cell(c.text) for c in row.cells}
    found.discard(None)
    return len(found)


def is_header_like(row: RawRow) -> bool:
    """A (part of a) column header: names two columns and holds no amount or indicator text."""
    if header_score(row) >= 3:
        return True
    texts = [c.text for c in row.cells if c.text.strip()]
    return header_score(row) >= 2 and not any(_DIGIT.search(t) for t in texts)


def is_foreign_header(row: RawRow) -> bool:
    """A header of another kind of table (self-evaluation, monitoring)."""
    text = clean_text("".join(row.texts))
    return any(word in text for word in _FOREIGN)


def column_header(row: RawRow, second: RawRow | None = None) -> ColumnHeader:
    """Columns named by a header row; a second header row refines them (资金总额 → 总计 …)."""
    first = [classify_header_cell(c.text) for c in row.cells]
    if second is None:
        return ColumnHeader(row.line, tuple(first))
    below = [classify_header_cell(c.text) for c in second.cells]
    width = max(len(first), len(below))
    first += [None] * (width - len(first))
    below += [None] * (width - len(below))
    return ColumnHeader(row.line, tuple(b or a for a, b in zip(first, below, strict=True)))
