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

from jixiao.domain.provenance import Repair
from jixiao.ingest.columns import MONEY_COLUMNS, Column, ColumnHeader
from jixiao.ingest.normalize import clean_text, looks_like_amount, parse_amount, strip_tags
from jixiao.ingest.rawtable import RawCell, RawRow

_WHITESPACE = re.compile(r"\s+")
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
    repairs: list[Repair] = field(default_factory=list)

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
    """Indicator wording, looked for with wrap spaces ignored (``实施周期 指标 值``)."""
    return bool(_INDICATOR_HINT.search(_WHITESPACE.sub("", text)))


_PLACEHOLDER = re.compile(r"^[\s\-—–/／\\]*$")


def _blank(cell: RawCell) -> bool:
    """Empty, or a placeholder such as ``-``, ``—`` or ``/`` standing for an empty cell."""
    return bool(_PLACEHOLDER.match(cell.text))


def _indicator_cells(cells: tuple[RawCell, ...], header: ColumnHeader) -> list[RawCell]:
    """The cell(s) holding indicator text: by wording, by header column, or by position.

    OCR may split the indicator column into several cells; a run of hinted cells at the end of
    the row, and any text cells after it, are taken together.
    """
    first = header.name_col
    texts = [
        c
        for c in cells
        if not _blank(c) and c.col >= first and (c.col == first or not looks_like_amount(c.text))
    ]
    hinted = [i for i, c in enumerate(texts) if looks_like_indicators(c.text)]
    if hinted:
        start = hinted[-1]
        while start - 1 in hinted and texts[start - 1].col > first:
            start -= 1
        return texts[start:]
    trimmed = len(cells)
    while trimmed and _blank(cells[trimmed - 1]):
        trimmed -= 1
    last = cells[trimmed - 1] if trimmed else None
    if last is None or last not in texts or last.col == first:
        return []
    full_width = trimmed == header.width and header.columns[-1] is Column.INDICATORS
    # After a goal cell, the last text cell is the indicator cell even without a hint.
    after_goal = sum(1 for c in texts if c.col > first) >= 2
    return [last] if full_width or after_goal else []


_AMOUNT_TOKEN = r"\d{1,3}(?:\s*,\s*\d{3})*\s*\.\s*\d{2}|\d+\s*\.\s*\d{2}"
_SEVERAL_AMOUNTS = re.compile(rf"^\s*(?:(?:{_AMOUNT_TOKEN})\s+)+(?:{_AMOUNT_TOKEN})\s*$")
_NAME_WITH_AMOUNTS = re.compile(rf"^(?P<name>.*?\D)\s+(?P<money>(?:(?:{_AMOUNT_TOKEN})\s*)+)$")
_TOKEN = re.compile(_AMOUNT_TOKEN)


def _amount_tokens(text: str) -> list[str]:
    """``90.00 90.00`` (a lost tab between two money cells) → the two amounts."""
    cleaned = strip_tags(text)
    return _TOKEN.findall(cleaned) if _SEVERAL_AMOUNTS.match(cleaned) else []


Money = tuple[int, str, Decimal, bool]  # column, raw text, value, decimal point restored


def _money_of(cell: RawCell) -> list[Money]:
    amount = parse_amount(cell.text)
    if amount is not None:
        return [(cell.col, cell.text, *amount)]
    return [(cell.col, t, *_amount(t)) for t in _amount_tokens(cell.text)]


def _amount(token: str) -> tuple[Decimal, bool]:
    parsed = parse_amount(token)
    assert parsed is not None  # tokens are amounts by construction
    return parsed


def _name_cell(piece: RowPiece, cell: RawCell, money: list[Money]) -> None:
    """The name cell, splitting off amounts that lost their tab (``物业管理费 125.00``)."""
    m = _NAME_WITH_AMOUNTS.match(strip_tags(cell.text))
    if m is None:
        piece.name = cell.text
        return
    piece.name = m.group("name")
    tokens = _TOKEN.findall(m.group("money"))
    money[:0] = [(cell.col, t, *_amount(t)) for t in tokens]
    piece.repairs.append(
        Repair("name", cell.text, piece.name, "项目名称与金额粘连（缺少分隔符），已拆开")
    )


def split_row(row: RawRow, header: ColumnHeader) -> RowPiece:
    """Assign the cells of one data row to fields by content."""
    piece = RowPiece(row.line)
    cells = row.cells
    first = header.name_col
    ind = _indicator_cells(cells, header)
    if ind:
        piece.indicator = "".join(c.text for c in ind)
    money: list[Money] = []
    for cell in cells:
        if cell in ind or _blank(cell):
            continue
        found = [] if cell.col <= first else _money_of(cell)
        if found:
            money.extend(found)
        elif cell.col == first:
            _name_cell(piece, cell, money)
        elif cell.col < first:
            if header.columns[cell.col] is Column.CODE:
                piece.code = cell.text.strip()
        else:
            piece.goal_texts.append(cell.text)
    _assign_money(piece, money, len(cells) == header.width, header)
    return piece


def _assign_money(
    piece: RowPiece, money: list[Money], full_width: bool, header: ColumnHeader
) -> None:
    cols = [col for col, _, _, _ in money]
    by_position = (
        full_width
        and len(set(cols)) == len(cols)
        and all(c < header.width and header.columns[c] in MONEY_COLUMNS for c in cols)
    )
    for index, (col, raw, value, restored) in enumerate(money):
        if by_position:
            column = header.columns[col]
            assert column is not None
        else:
            column = MONEY_COLUMNS[min(index, len(MONEY_COLUMNS) - 1)]
        piece.amounts.append(AmountCell(column, raw, value, restored))
    piece.ambiguous_money = not by_position and len(money) > 2
