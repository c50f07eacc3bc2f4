"""What a perfect Word or HTML reader makes of rendered grids: ``grid_generator.as_raw_table``
for each table, with the text around it assigned the way the readers document it.

Lines between two tables: notes (``注：``) that open the stretch belong under the table above,
the rest above the table below (at most the ``AROUND`` nearest). After the last table: its
notes, or for Word every line (at most ``AROUND``), since a page's footer is chrome but a
document's closing paragraphs are not.
"""

from __future__ import annotations

import re

from grid_generator import as_raw_table
from rendered_grids import Grid, GridLike

from jixiao.ingest.rawtable import RawTable

AROUND = 6
_NOTE = re.compile(r"^(?:注|备注|说明|附注)[0-9一二三]*[:：.、]")

Row = tuple[int, tuple[tuple[int, int, int, str, str], ...]]


def _notes(lines: list[str]) -> list[str]:
    count = 0
    while count < len(lines) and _NOTE.match(lines[count]):
        count += 1
    return lines[:count]


def assigned(grids: list[GridLike], keep_after_last: bool) -> list[Grid]:
    """Each grid with the lines the reader puts above and below it."""
    out: list[Grid] = []
    for i, grid in enumerate(grids):
        before = list(grid.lines_before)
        if i > 0:
            previous = list(grids[i - 1].lines_after)
            before = previous[len(_notes(previous)) :] + before
        after = list(grid.lines_after)
        last = i == len(grids) - 1
        after = after[:AROUND] if last and keep_after_last else _notes(after)
        out.append(Grid(list(grid.cells), before[-AROUND:], after))
    return out


def rows_of(table: RawTable) -> list[Row]:
    """Every row as (line, cells (col, rowspan, colspan, text, ref)); the refs of text rows
    around the table (reader-specific: ``第3段``, ``正文第7行``) are left out."""
    out: list[Row] = []
    for row in table.rows:
        cells = tuple(
            (c.col, c.rowspan, c.colspan, c.text, c.ref if "第" in c.ref and "列" in c.ref else "")
            for c in row.cells
        )
        out.append((row.line, cells))
    return out


def expected_rows(grid: Grid, kind: str, name: str) -> list[Row]:
    table = as_raw_table(grid, kind)  # type: ignore[arg-type]
    rows = rows_of(table)
    return [
        (
            line,
            tuple(
                (c, rs, cs, t, ref.replace("表1 ", f"{name} ", 1)) for c, rs, cs, t, ref in cells
            ),
        )
        for line, cells in rows
    ]
