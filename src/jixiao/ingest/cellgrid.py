"""A RawTable of a grid reader as positions: which cell covers each (line, column).

A merged cell covers every position of its span; ``covering`` gives it for any of them, so a
project name merged down over its indicator rows is the name of each of those rows, and
``starts_at`` tells the row where the cell was written from the rows it only covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.ingest.rawtable import RawCell, RawRow, RawTable


@dataclass(frozen=True)
class CellGrid:
    table: RawTable
    cells: dict[tuple[int, int], RawCell]
    width: int

    @classmethod
    def of(cls, table: RawTable) -> CellGrid:
        """The grid of ``table``; the last one built is kept, since every layout's ``detect``
        and then the chosen ``extract`` ask for the grid of the same table."""
        global _LAST
        if _LAST is not None and _LAST.table is table:
            return _LAST
        _LAST = cls._build(table)
        return _LAST

    @classmethod
    def _build(cls, table: RawTable) -> CellGrid:
        cells: dict[tuple[int, int], RawCell] = {}
        for row in table.rows:
            for cell in row.cells:
                for line in range(cell.line, cell.line + max(cell.rowspan, 1)):
                    for col in range(cell.col, cell.col + max(cell.colspan, 1)):
                        cells.setdefault((line, col), cell)
        return cls(table, cells, table.width)

    def covering(self, line: int, col: int) -> RawCell | None:
        return self.cells.get((line, col))

    def text(self, line: int, col: int) -> str:
        cell = self.cells.get((line, col))
        return cell.text if cell is not None else ""

    def starts_at(self, line: int, col: int) -> bool:
        """Whether the cell at ``(line, col)`` was written in this row (not merged down)."""
        cell = self.cells.get((line, col))
        return cell is not None and cell.line == line

    def row_cells(self, row: RawRow) -> list[RawCell]:
        """The distinct non-empty cells covering ``row``, left to right."""
        seen: dict[int, RawCell] = {}
        for col in range(self.width):
            cell = self.cells.get((row.line, col))
            if cell is not None and id(cell) not in seen and not cell.is_empty:
                seen[id(cell)] = cell
        return list(seen.values())


_LAST: CellGrid | None = None
