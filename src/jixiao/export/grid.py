"""A table layout independent of the output format: cells, merges, column widths.

Each official table is built once as a ``Sheet`` (``export.layouts``) and rendered twice, by
``export.excel`` and ``export.pdf``, so the Excel and PDF versions cannot drift apart.
A sheet is a title plus blocks stacked vertically; all blocks share the sheet's columns.
A block is either plain (caption lines, no borders) or a bordered grid, and may name how many
of its leading rows repeat at the top of every printed page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

MONEY_FORMAT = "#,##0.00"


class Style(Enum):
    TEXT = "text"  # body text, left, wrapped
    CENTER = "center"  # body text, centred (levels, values, labels of the funds block)
    LABEL = "label"  # a row label inside a form (项目名称, 总体目标 …), bold, centred
    HEADER = "header"  # a column header, bold, shaded, centred
    MONEY = "money"  # an amount in 万元, right, #,##0.00
    NUMBER = "number"  # points / scores, right, two places
    PERCENT = "percent"  # a rate given as a percentage number, right, two places + %
    CAPTION = "caption"  # a line above the table (部门名称, 单位), left
    CAPTION_RIGHT = "caption_right"


@dataclass(frozen=True)
class Cell:
    value: str | Decimal | int | None = None
    style: Style = Style.TEXT
    fill: str | None = None  # background colour as RRGGBB (the colour of a light)

    @property
    def text(self) -> str:
        """The value as printed (amounts and scores with two places and separators)."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, str):
            return v
        if self.style is Style.PERCENT:
            return f"{Decimal(v):,.2f}%"
        if self.style in (Style.MONEY, Style.NUMBER):
            return f"{Decimal(v):,.2f}"
        return str(v)


CellLike = Cell | str | Decimal | int | None


def as_cell(value: CellLike, style: Style) -> Cell:
    return value if isinstance(value, Cell) else Cell(value, style)


@dataclass(frozen=True)
class Merge:
    """A merged range inside a block, 0-based and inclusive."""

    row: int
    col: int
    last_row: int
    last_col: int

    def overlaps(self, other: Merge) -> bool:
        return not (
            other.row > self.last_row
            or other.last_row < self.row
            or other.col > self.last_col
            or other.last_col < self.col
        )


@dataclass
class Block:
    ncols: int
    bordered: bool = True
    repeat: int = 0
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)

    def add(self, values: Sequence[CellLike], style: Style = Style.TEXT) -> int:
        """Append a row (padded to the block's width); return its index."""
        if len(values) > self.ncols:
            raise ValueError(f"row has {len(values)} cells, block has {self.ncols} columns")
        padded = [*values, *([None] * (self.ncols - len(values)))]
        self.rows.append([as_cell(v, style) for v in padded])
        return len(self.rows) - 1

    def merge(self, row: int, col: int, last_row: int, last_col: int) -> None:
        """Merge a range, emptying the cells it covers (only the top-left cell shows).

        Overlapping ranges are a layout bug (Excel would refuse the file).
        """
        if (row, col) == (last_row, last_col):
            return
        new = Merge(row, col, last_row, last_col)
        for old in self.merges:
            if old.overlaps(new):
                raise ValueError(f"merged ranges overlap: {old} and {new}")
        self.merges.append(new)
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                if (r, c) != (row, col):
                    covered = self.rows[r][c]
                    self.rows[r][c] = Cell(None, covered.style, covered.fill)

    def span(self, value: CellLike, style: Style = Style.TEXT, first: int = 0) -> int:
        """A row whose cells from column ``first`` on are one merged cell."""
        index = self.add([None] * first + [value], style)
        self.merge(index, first, index, self.ncols - 1)
        return index

    def merge_down(self, col: int, first_row: int, last_row: int) -> None:
        """Merge a column over rows ``first_row..last_row`` (a level cell over its items)."""
        self.merge(first_row, col, last_row, col)


@dataclass
class Sheet:
    """One printed table: a title and its blocks, with column widths in Excel characters."""

    name: str
    title: str
    widths: list[float]
    blocks: list[Block] = field(default_factory=list)
    # Excel only: keep the title and the first block's repeated header rows in view (frozen).
    freeze: bool = False

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def block(self, bordered: bool = True, repeat: int = 0) -> Block:
        new = Block(self.ncols, bordered, repeat)
        self.blocks.append(new)
        return new


def merge_runs(block: Block, col: int, first_row: int, keys: list[str]) -> None:
    """Merge consecutive equal, non-empty ``keys`` in ``col`` starting at ``first_row``."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start]:
                block.merge_down(col, first_row + start, first_row + i - 1)
            start = i
