"""One data row → a RowPiece: which cells hold the name, money, goal text and indicator text.

Cells are assigned by what they contain, not by position, because OCR drops empty cells and
lets short goal fragments bleed into the money columns. Positions are used only for a row as
wide as the header, where they are trustworthy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from jixiao.ingest.columns import MONEY_COLUMNS, Column, ColumnHeader
from jixiao.ingest.normalize import clean_text, looks_like_amount, parse_amount
from jixiao.ingest.rawtable import RawCell, RawRow

_INDICATOR_HINT = re.compile(
    r"[指目]标值|^\s*值\s*[:：]|\d{1,2}\s*[-—–]\s*[\u4e00-\u9fff]{1,8}指标|\d+、\s*\d-"
)


@dataclass(frozen=True)
class AmountCell:
    column: Column
    raw: str
    value: Decimal
    point_restored: bool


@dataclass
class RowPiece:
    """The parts of one physical row, before rows are stitched into projects."""

    line: int
    name: str | None = None
    amounts: list[AmountCell] = field(default_factory=list)
    goal_texts: list[str] = field(default_factory=list)
    indicator: str | None = None
    ambiguous_money: bool = False
    code: str | None = None

    @cached_property
    def clean_indicator(self) -> str:
        """The indicator text with tags, widths and wrap spaces cleaned."""
        return clean_text(self.indicator) if self.indicator else ""

    @property
    def is_named(self) -> bool:
        return self.name is not None

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.amounts or self.goal_texts or self.indicator)


def looks_like_indicators(text: str) -> bool:
    return bool(_INDICATOR_HINT.search(text))


_PLACEHOLDER = re.compile(r"^[\s\-—–/／\\]*$")


def _blank(cell: RawCell) -> bool:
    """Empty, or a placeholder such as ``-``, ``—`` or ``/`` standing for an empty cell."""
    return bool(_PLACEHOLDER.match(cell.text))


def _indicator_cell(cells: tuple[RawCell, ...], header: ColumnHeader) -> RawCell | None:
    """The cell holding indicator text: by its wording, by the header column, or by position."""
    first = header.name_col
    texts = [
        c
        for c in cells
        if not _blank(c) and c.col >= first and (c.col == first or not looks_like_amount(c.text))
    ]
    hinted = [c for c in texts if looks_like_indicators(c.text)]
    if hinted:
        return hinted[-1]
    trimmed = len(cells)
    while trimmed and _blank(cells[trimmed - 1]):
        trimmed -= 1
    last = cells[trimmed - 1] if trimmed else None
    if last is None or last not in texts or last.col == first:
        return None
    full_width = trimmed == header.width and header.columns[-1] is Column.INDICATORS
    # After a goal cell, the last text cell is the indicator cell even without a hint.
    after_goal = sum(1 for c in texts if c.col > first) >= 2
    return last if full_width or after_goal else None


def split_row(row: RawRow, header: ColumnHeader) -> RowPiece:
    """Assign the cells of one data row to fields by content."""
    piece = RowPiece(row.line)
    cells = row.cells
    first = header.name_col
    ind = _indicator_cell(cells, header)
    if ind is not None:
        piece.indicator = ind.text
    money: list[tuple[RawCell, Decimal, bool]] = []
    for cell in cells:
        if cell is ind or _blank(cell):
            continue
        amount = None if cell.col <= first else parse_amount(cell.text)
        if amount is not None:
            money.append((cell, *amount))
        elif cell.col == first:
            piece.name = cell.text
        elif cell.col < first:
            if header.columns[cell.col] is Column.CODE:
                piece.code = cell.text.strip()
        else:
            piece.goal_texts.append(cell.text)
    _assign_money(piece, money, len(cells) == header.width, header)
    return piece


def _assign_money(
    piece: RowPiece,
    money: list[tuple[RawCell, Decimal, bool]],
    full_width: bool,
    header: ColumnHeader,
) -> None:
    by_position = full_width and all(
        c.col < header.width and header.columns[c.col] in MONEY_COLUMNS for c, _, _ in money
    )
    for index, (cell, value, restored) in enumerate(money):
        if by_position:
            column = header.columns[cell.col]
            assert column is not None
        else:
            column = MONEY_COLUMNS[min(index, len(MONEY_COLUMNS) - 1)]
        piece.amounts.append(AmountCell(column, cell.text, value, restored))
    piece.ambiguous_money = not by_position and len(money) > 2
