"""Tables that run over several pages, stitched into one grid.

A table found at the top of a page continues the table at the bottom of the page before when
nothing but page numbers stands between them and both have the same outer edges. Then:

- the header rows repeated at the top of the new page are dropped (the leading rows equal, in
  text, row spans and cell edges, to the first rows of the table). Some writers leave out the
  rule between a repeated header and the continuation of a cut row, so when the page before
  ended in a cut row the continuation page is first split at the header's height as it was
  measured on the first page;
- when the page before ended in a row cut by the page break (its bottom rule was missing and
  the page reader closed it), the first row after the header is that row's continuation: its
  characters are appended cell by cell to the cut row;
- when the page broke between two rows while merged cells ran on over the break (only those
  cells were left open), the cells of the first row after the header under those open parts
  are the merged cells' pieces: they lengthen the merged cells, the other cells start a row.

Columns of all pages are laid on one set of boundaries, so a page whose rows use fewer column
rules still lands in the right columns.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from typing import Any

from jixiao.ingest.limits import Budget
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.readers.pdf_page import SNAP, Part, PartCell, TextLine, cell_text

MAX_HEADER_ROWS = 4


@dataclass
class GridCell:
    row: int  # 0-based in the stitched table
    col: int
    rowspan: int
    colspan: int
    page: int
    page_row: int  # 1-based row on its page, as printed
    page_col: int
    box: tuple[float, float, float, float]
    chars: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return cell_text(self.chars, self.box)


@dataclass
class StitchedTable:
    pages: list[int]
    cells: list[GridCell]
    lines_before: list[TextLine]
    lines_after: list[TextLine]


def _continues(prev: Part, part: Part, prev_is_last: bool, part_is_first: bool) -> bool:
    return (
        part.page == prev.page + 1
        and prev_is_last
        and part_is_first
        and not prev.lines_after
        and not part.lines_before
        and abs(part.xs[0] - prev.xs[0]) <= 2 * SNAP
        and abs(part.xs[-1] - prev.xs[-1]) <= 2 * SNAP
    )


def group_parts(parts_by_page: list[list[Part]]) -> list[list[Part]]:
    """Parts in reading order, grouped into tables that run over page breaks."""
    groups: list[list[Part]] = []
    previous_page: list[Part] = []
    for parts in parts_by_page:
        for i, part in enumerate(parts):
            if (
                groups
                and i == 0
                and previous_page
                and _continues(groups[-1][-1], part, groups[-1][-1] is previous_page[-1], True)
            ):
                groups[-1].append(part)
            else:
                groups.append([part])
        previous_page = parts
    return groups


def _row_key(part: Part, row: int) -> list[tuple[float, float, int, str]]:
    """A row as printed: each cell's left and right edge from the table's left, rowspan, text.
    Edges, not column indices: a page whose rows leave out a column rule that the first page
    draws numbers its columns differently under the same header."""
    left = part.xs[0]
    return [
        (c.box[0] - left, c.box[2] - left, c.rowspan, cell_text(c.chars, c.box))
        for c in part.cells
        if c.row == row
    ]


def _same_row(
    a: list[tuple[float, float, int, str]], b: list[tuple[float, float, int, str]]
) -> bool:
    return len(a) == len(b) and all(
        abs(x0 - y0) <= 2 * SNAP and abs(x1 - y1) <= 2 * SNAP and rest == other
        for (x0, x1, *rest), (y0, y1, *other) in zip(a, b, strict=True)
    )


def _closed_rows(part: Part, k: int) -> bool:
    """No cell of the first ``k`` rows reaches below row ``k``."""
    return all(c.row + c.rowspan <= k for c in part.cells if c.row < k)


def _closed_at(part: Part, y: float) -> bool:
    """Whether ``y`` is a row boundary of ``part`` that no cell crosses."""
    at = [i for i, b in enumerate(part.ys) if abs(b - y) <= SNAP]
    return bool(at) and _closed_rows(part, at[0])


def _ruled(part: Part, x: float, top: float, bottom: float) -> bool:
    """Whether a vertical rule of ``part`` runs at ``x`` through the band ``top``–``bottom``."""
    middle = (top + bottom) / 2
    return any(abs(rx - x) <= SNAP and rt <= middle <= rb for rx, rt, rb in part.rules)


def _divided(part: Part, cell: PartCell) -> list[PartCell]:
    """``cell`` cut at every column boundary inside it that a vertical rule crosses in the
    cell's own band: a cell split off a taller one keeps only the merges drawn in its band."""
    x0, top, x1, bottom = cell.box
    cuts = [
        k
        for k in range(cell.col + 1, cell.col + cell.colspan)
        if _ruled(part, part.xs[k], top, bottom)
    ]
    if not cuts:
        return [cell]
    edges = [cell.col, *cuts, cell.col + cell.colspan]
    pieces = []
    for a, b in itertools.pairwise(edges):
        left = x0 if a == cell.col else part.xs[a]
        right = x1 if b == cell.col + cell.colspan else part.xs[b]
        piece = PartCell(cell.row, a, cell.rowspan, b - a, (left, top, right, bottom))
        piece.chars = [ch for ch in cell.chars if left <= (ch["x0"] + ch["x1"]) / 2 < right]
        pieces.append(piece)
    pieces[-1].chars += [ch for ch in cell.chars if (ch["x0"] + ch["x1"]) / 2 >= pieces[-1].box[2]]
    pieces[0].chars += [ch for ch in cell.chars if (ch["x0"] + ch["x1"]) / 2 < pieces[0].box[0]]
    return pieces


def _split_at(part: Part, y: float) -> None:
    """Make ``y`` a row boundary of ``part`` (added, or the one there already), splitting the
    cells that cross it; each half keeps only the column merges its own band draws."""
    if not part.ys[0] + SNAP < y < part.ys[-1] - SNAP:
        return
    at = next(i for i, b in enumerate(part.ys) if b > y - SNAP)
    shift = 0 if abs(part.ys[at] - y) <= SNAP else 1
    if shift:
        part.ys.insert(at, y)
    y = part.ys[at]
    cells: list[PartCell] = []
    for c in part.cells:
        top_row, bottom_row = c.row, c.row + c.rowspan
        if c.row >= at:
            c.row += shift
            cells.append(c)
        elif bottom_row <= at - shift:
            cells.append(c)
        else:
            x0, top, x1, bottom = c.box
            upper = PartCell(top_row, c.col, at - top_row, c.colspan, (x0, top, x1, y))
            lower = PartCell(at, c.col, bottom_row + shift - at, c.colspan, (x0, y, x1, bottom))
            for ch in c.chars:
                (upper if (ch["top"] + ch["bottom"]) / 2 < y else lower).chars.append(ch)
            cells += _divided(part, upper) + _divided(part, lower)
    part.cells = sorted(cells, key=lambda cell: (cell.row, cell.col))


def _drop_spill(part: Part, k: int) -> None:
    """Move down the characters that stand across the bottom of the first ``k`` rows: the first
    line of a cut row's continuation, which some writers draw over the repeated header."""
    y = part.ys[k]
    for c in part.cells:
        if c.row + c.rowspan != k:
            continue
        spill = [ch for ch in c.chars if ch["top"] < y < ch["bottom"]]
        for ch in spill:
            x = (ch["x0"] + ch["x1"]) / 2
            below = next((b for b in part.cells if b.row == k and b.box[0] <= x <= b.box[2]), None)
            if below is not None:
                c.chars.remove(ch)
                below.chars.insert(0, ch)


def _header_rows(first: Part, part: Part) -> int:
    """How many leading rows of ``part`` repeat the first rows of the table. ``part`` is split
    at the header's height first where its writer left out the rule under the header."""
    for k in range(min(MAX_HEADER_ROWS, first.row_count - 1), 0, -1):
        if not _closed_rows(first, k):
            continue
        y = part.ys[0] + first.ys[k] - first.ys[0]
        split = part.ys[0] < y < part.ys[-1] and not _closed_at(part, y)
        straddle = any(ch["top"] < y < ch["bottom"] for c in part.cells for ch in c.chars)
        candidate = copy.deepcopy(part) if split or straddle else part
        if split:
            _split_at(candidate, y)
        if candidate.row_count > k and _closed_rows(candidate, k):
            _drop_spill(candidate, k)
            if all(_same_row(_row_key(candidate, r), _row_key(first, r)) for r in range(k)):
                part.ys, part.cells = candidate.ys, candidate.cells
                return k
    return 0


def stitch(group: list[Part]) -> StitchedTable:
    """One grid from the parts of one table, in the column boundaries of all its parts."""
    xs: list[float] = []
    for value in sorted(x for part in group for x in part.xs):
        if not xs or value - xs[-1] > 2 * SNAP:
            xs.append(value)

    def col(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    cells: list[GridCell] = []
    offset = 0
    previous: Part | None = None
    for part in group:
        skip = _header_rows(group[0], part) if previous else 0
        cut = previous is not None and (previous.open_bottom or part.open_top)
        first_row = skip
        if cut and part.row_count > skip:
            _append_continuation(cells, part, skip, col, offset - 1)
            first_row = skip + 1
        running = [] if cut or previous is None else previous.cut_bottom + part.cut_top
        for c in part.cells:
            if c.row < first_row:
                continue
            if c.row == skip and _runs_on(cells, c, running, col(c.box[0]), offset - 1):
                continue
            left, right = col(c.box[0]), col(c.box[2])
            cells.append(
                GridCell(
                    row=offset + c.row - first_row,
                    col=left,
                    rowspan=c.rowspan,
                    colspan=max(1, right - left),
                    page=part.page,
                    page_row=c.row + 1,
                    page_col=c.col + 1,
                    box=c.box,
                    chars=list(c.chars),
                )
            )
        offset += part.row_count - first_row
        previous = part
    return StitchedTable(
        pages=sorted({p.page for p in group}),
        cells=sorted(cells, key=lambda c: (c.row, c.col)),
        lines_before=group[0].lines_before,
        lines_after=group[-1].lines_after,
    )


def _append_continuation(
    cells: list[GridCell], part: Part, row: int, col: object, cut_row: int
) -> None:
    """Append the characters of ``part``'s row ``row`` to the cells of the cut row."""
    assert callable(col)
    for c in part.cells:
        if c.row != row:
            continue
        at = col(c.box[0])
        for target in cells:
            if (
                target.row <= cut_row < target.row + target.rowspan
                and target.col <= at < target.col + target.colspan
            ):
                target.chars += _below(target.chars, c.chars)
                target.rowspan += c.rowspan - 1  # a merged cell running on down the page
                break


def _runs_on(
    cells: list[GridCell], cell: PartCell, spans: list[tuple[float, float]], at: int, last: int
) -> bool:
    """Whether ``cell``, at the top of a page after a partial cut, continues a merged cell
    whose bottom was left open at the end of the page before (row ``last``); if so, its
    characters and rows are added to that cell."""
    middle = (cell.box[0] + cell.box[2]) / 2
    if not any(x0 <= middle <= x1 for x0, x1 in spans):
        return False
    for target in cells:
        if target.row + target.rowspan - 1 == last and target.col == at:
            target.chars += _below(target.chars, cell.chars)
            target.rowspan += cell.rowspan
            return True
    return False


def _below(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``after`` moved to sit under ``before`` so the characters read as following lines."""
    if not before or not after:
        return list(after)
    base = max(float(ch["bottom"]) for ch in before)
    top = min(float(ch["top"]) for ch in after)
    shift = base - top + 1.0
    return [
        {**ch, "top": float(ch["top"]) + shift, "bottom": float(ch["bottom"]) + shift}
        for ch in after
    ]


def _score(chars: list[dict[str, Any]]) -> float | None:
    """An OCR'd cell's score: its weakest piece's (None for text-layer cells)."""
    scores = [float(ch["score"]) for ch in chars if "score" in ch]
    return min(scores) if scores else None


def raw_table(table: StitchedTable, name: str, budget: Budget, kind: str) -> RawTable:
    """The stitched table as a grid ``RawTable``: the lines above, its rows, the lines below;
    refs like ``第2页 第3行第2列``, each cell with its page and box (and score when OCR'd)."""
    width = max((c.col + c.colspan for c in table.cells), default=1)
    rows: list[RawRow] = []
    line = 0

    def text_row(text: TextLine) -> None:
        nonlocal line
        line += 1
        cell = RawCell(
            text.text, 0, line, colspan=width, ref=f"第{text.page}页", page=text.page, box=text.box
        )
        rows.append(RawRow(line, (cell,)))

    for text in table.lines_before:
        text_row(text)
    by_row: dict[int, list[RawCell]] = {}
    height = max((c.row + 1 for c in table.cells), default=0)
    for c in table.cells:
        by_row.setdefault(c.row, []).append(
            RawCell(
                c.text,
                c.col,
                line + 1 + c.row,
                rowspan=c.rowspan,
                colspan=c.colspan,
                ref=f"第{c.page}页 第{c.page_row}行第{c.page_col}列",
                page=c.page,
                box=c.box,
                score=_score(c.chars),
            )
        )
    budget.cell(len(table.cells))
    for r in range(height):
        cells = by_row.get(r, [])
        if any(not c.is_empty for c in cells):
            rows.append(RawRow(line + 1 + r, tuple(sorted(cells, key=lambda c: c.col))))
    line += height
    for text in table.lines_after:
        text_row(text)
    first, last = table.pages[0], table.pages[-1]
    return RawTable(
        rows=tuple(rows),
        source_name=name,
        line_count=line,
        reader=kind,
        kind=kind,
        grid=True,
        name=f"第{first}页" if first == last else f"第{first}–{last}页",
    )
