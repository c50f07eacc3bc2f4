"""Pieces every official layout shares: header rows, level grouping, light colours."""

from __future__ import annotations

from typing import TypeVar

from jixiao.domain.enums import Light, MoneyUnit
from jixiao.domain.indicator import LevelRef
from jixiao.domain.money import Money
from jixiao.export.grid import Block, Cell, Style

T = TypeVar("T")

LIGHT_FILL = {
    Light.RED: "F4B6B6",
    Light.YELLOW: "FFE699",
    Light.GREEN: "C6E0B4",
    Light.BLUE: "BDD7EE",
}


def wan_cell(money: Money | None) -> Cell:
    """An amount in 万元, exact to the 分 (six places), shown with two; empty when None."""
    return Cell(None if money is None else money.amount(MoneyUnit.WAN_YUAN), Style.MONEY)


def level_text(ref: LevelRef | None) -> str:
    return ref.format() if ref is not None else ""


def labelled_row(block: Block, label: str, pieces: list[tuple[str | None, int, int, Style]]) -> int:
    """A form row: a bold label over columns 0–1, then (value, first, last, style) pieces."""
    row = block.add([Cell(label, Style.LABEL), Cell(None, Style.LABEL)])
    block.merge(row, 0, row, 1)
    for value, first, last, style in pieces:
        block.rows[row][first] = Cell(value, style)
        block.merge(row, first, row, last)
    return row


def header_line(block: Block, department: str | None, unit: str = "万元") -> None:
    """The caption lines above a table, as published: 部门名称, then 单位 on the right."""
    block.span(f"部门名称：{department or ''}", Style.CAPTION)
    block.span(f"单位：{unit}", Style.CAPTION_RIGHT)
