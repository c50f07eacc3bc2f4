"""指标库 as one worksheet: a header row, then one row per indicator (一级/二级/三级 指标, 指标解释,
计算公式/评分标准, 参考值 and the curated fields), as provinces publish their libraries.

Every text is written as text (``export.excel``); the header stays in view when scrolling. The
typical target of a money indicator (元 or 万元) is given in 万元.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jixiao.domain.enums import Direction, MoneyUnit
from jixiao.domain.library_book import LABELS, NO, YES, BookColumn, BookRow
from jixiao.domain.money import convert
from jixiao.export.grid import Cell, Sheet, Style

TITLE = "绩效指标库"
WIDTHS: dict[BookColumn, float] = {
    BookColumn.LEVEL1: 12,
    BookColumn.LEVEL2: 14,
    BookColumn.NAME: 24,
    BookColumn.EXPLANATION: 36,
    BookColumn.SCORING: 36,
    BookColumn.REFERENCE: 14,
    BookColumn.UNIT: 9,
    BookColumn.DIRECTION: 9,
    BookColumn.RECOMMENDED: 6,
    BookColumn.SECTORS: 16,
    BookColumn.BASIS: 30,
    BookColumn.COUNT: 9,
    BookColumn.TYPICAL: 12,
    BookColumn.MET_RATE: 10,
}
MONEY_UNITS = {u.value: u for u in MoneyUnit}


def library_sheet(rows: Sequence[BookRow]) -> Sheet:
    """The library's rows under the header of :data:`LABELS`, in the order given."""
    columns = list(LABELS)
    sheet = Sheet("指标库", TITLE, [WIDTHS[c] for c in columns], freeze=True)
    block = sheet.block(repeat=1)
    block.add([Cell(LABELS[c], Style.HEADER) for c in columns])
    for row in rows:
        cells = _cells(row)
        block.add([cells[c] for c in columns])
    return sheet


def _text(value: str | None) -> Cell:
    return Cell(value or None, Style.TEXT)


def _centre(value: str | None) -> Cell:
    return Cell(value or None, Style.CENTER)


def _cells(row: BookRow) -> dict[BookColumn, Cell]:
    typical, unit = _typical(row)
    return {
        BookColumn.LEVEL1: _centre(row.level1),
        BookColumn.LEVEL2: _centre(row.level2),
        BookColumn.NAME: _text(row.name),
        BookColumn.EXPLANATION: _text(row.explanation),
        BookColumn.SCORING: _text(row.scoring),
        BookColumn.REFERENCE: _centre(row.reference_value),
        BookColumn.UNIT: _centre(unit),
        BookColumn.DIRECTION: _centre(_direction(row.direction)),
        BookColumn.RECOMMENDED: _centre(YES if row.recommended else NO),
        BookColumn.SECTORS: _text("、".join(row.sectors)),
        BookColumn.BASIS: _text(row.basis),
        BookColumn.COUNT: Cell(row.count, Style.CENTER),
        BookColumn.TYPICAL: typical,
        BookColumn.MET_RATE: Cell(row.met_rate, Style.PERCENT),
    }


def _direction(direction: Direction) -> str | None:
    return None if direction is Direction.NEUTRAL else direction.label


def _typical(row: BookRow) -> tuple[Cell, str | None]:
    """The median target as a number; money in 万元 (the unit cell says so)."""
    money = MONEY_UNITS.get(row.unit or "")
    if row.typical is None:
        return Cell(None, Style.CENTER), row.unit
    if money is None:
        return Cell(row.typical, Style.CENTER), row.unit
    wan = convert(Decimal(row.typical), money, MoneyUnit.WAN_YUAN)
    return Cell(wan, Style.MONEY), MoneyUnit.WAN_YUAN.value
