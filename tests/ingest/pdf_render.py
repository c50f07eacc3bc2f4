"""Render abstract cell grids (``grid_generator.GridSpec`` or any cells with spans) into PDF.

reportlab draws the grid as one ruled table with the merges as spans, the header rows
repeated on every page (``repeatRows``) and rows split across page breaks (``splitInRow``;
``splitByRow=0`` makes reportlab cut the row at the bottom of a page instead of moving it to
the next one). The lines around the table (title, ``部门名称``, ``单位：万元``, notes) are drawn
as plain text lines, spaces kept. The page size is a parameter, so a small page forces many
page breaks. The CJK font is the one the project's PDF export registers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Protocol
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from jixiao.export.pdf import register_font

FONT_SIZE = 9.0


class Cell(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def col(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def rowspan(self) -> int: ...
    @property
    def colspan(self) -> int: ...


class TextLine(Flowable):  # type: ignore[misc]
    """One line of text drawn as it is (reportlab paragraphs would fold runs of spaces)."""

    def __init__(self, text: str, font: str, size: float = 10.0) -> None:
        super().__init__()
        self.text, self.font, self.size = text, font, size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, self.size * 1.5

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.setFont(self.font, self.size)
        canvas.drawString(0, self.size * 0.4, self.text)


def _widths(cells: Sequence[Cell], width: int, usable: float) -> list[float]:
    """Column widths in proportion to each column's longest text (4 to 24 characters)."""
    longest = [4] * width
    for c in cells:
        if c.colspan == 1:
            longest[c.col] = min(max(longest[c.col], len(c.text)), 24)
    scale = usable / sum(longest)
    return [n * scale for n in longest]


def _crossing(table: Table, width: float, height: float, continued: bool) -> bool:
    """Whether some cell of ``table`` draws its text across its own rules.

    reportlab sizes the pieces of a cell it splits at a page break from the row heights before
    the split, so a piece can hold more lines than its box: bottom-aligned (the first piece of
    a centred cell) they rise over the rule above into the cell there, top-aligned they hang
    below the table. No writer prints a table so; only the first row of a continued piece
    may rise over the repeated header (some writers do that, and the reader allows for it).
    """
    table.wrap(width, height)
    header = table.repeatRows if isinstance(table.repeatRows, int) else 0
    every = {(k, r): (k, r, k, r) for r in range(table._nrows) for k in range(table._ncols)}
    for (k, r), span in (getattr(table, "_spanRanges", None) or every).items():
        value = table._cellvalues[r][k]
        flowables = [value] if isinstance(value, Flowable) else value
        if span is None or not isinstance(flowables, (list, tuple)) or not flowables:
            continue
        k0, r0, k1, r1 = span
        style = table._cellStyles[r][k]
        box = sum(table._rowHeights[r0 : r1 + 1])
        text = table._listCellGeom(flowables, sum(table._colWidths[k0 : k1 + 1]), style)[1]
        top = {  # where reportlab's _drawCell starts the text, up from the box's bottom
            "TOP": box - style.topPadding,
            "BOTTOM": style.bottomPadding + text,
            "MIDDLE": (box + style.bottomPadding - style.topPadding + text) / 2,
        }[style.valign]
        if top - text < -0.5:
            return True
        if top > box + 0.5 and not (continued and r0 == header):
            return True
    return False


def _paginate(table: Table, width: float, first: float, later: float) -> list[Flowable]:
    """The table cut into page-sized pieces with a page break after each.

    reportlab's frame would lay the rest of a split table into what is left of the same page
    (printing the repeated header mid-page, or cutting it); splitting by hand keeps each piece
    on a fresh page as a writer would. Where reportlab's cut would draw text across the rules
    (see ``_crossing``), or it finds no cut at all, the page ends a little higher.
    """
    pieces: list[Flowable] = []
    available = first
    continued = False
    while True:
        split = _split(table, width, available)
        if not split or (len(split) == 2 and _crosses(split, width, continued)):
            for shorter in range(6, int(available / 2), 6):
                higher = _split(table, width, available - shorter)
                if len(higher) == 2 and not _crosses(higher, width, continued):
                    split = higher
                    break
        if len(split) < 2:
            return [*pieces, table]
        pieces += [split[0], PageBreak()]
        table, available, continued = split[1], later, True


def _crosses(split: list[Table], width: float, continued: bool) -> bool:
    return any(_crossing(piece, width, 1e6, continued or i > 0) for i, piece in enumerate(split))


def _split(table: Table, width: float, height: float) -> list[Table]:
    try:
        return list(table.split(width, height))
    except UnboundLocalError:
        # reportlab 4 cuts a merged, vertically centred cell whose content it does not
        # split through an unset variable (``Table._splitRows``): this piece is cut
        # with its cells at the top instead, as a writer without that bug draws it.
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return list(table.split(width, height))


def render_grid(
    cells: Sequence[Cell],
    header_rows: int,
    lines_before: Sequence[str] = (),
    lines_after: Sequence[str] = (),
    page: tuple[float, float] = (842.0, 595.0),
    margin: float = 36.0,
    keep_together: Sequence[tuple[int, int]] = (),
) -> bytes:
    """The grid as a ruled PDF table over as many pages as it needs; ``keep_together`` are
    (first, last) row ranges a page break must not cut (a header written again mid-table)."""
    font = register_font()
    style = ParagraphStyle("grid", fontName=font, fontSize=FONT_SIZE, leading=12, wordWrap="CJK")
    width = max(c.col + c.colspan for c in cells)
    height = max(c.row + c.rowspan for c in cells)
    data: list[list[object]] = [[""] * width for _ in range(height)]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), font),
    ]
    commands += [("NOSPLIT", (0, first), (-1, last)) for first, last in keep_together]
    for c in cells:
        data[c.row][c.col] = Paragraph(escape(c.text).replace("\n", "<br/>"), style)
        if c.rowspan > 1 or c.colspan > 1:
            last = (c.col + c.colspan - 1, c.row + c.rowspan - 1)
            commands.append(("SPAN", (c.col, c.row), last))
    usable = page[0] - 2 * margin
    table = Table(
        data,
        colWidths=_widths(cells, width, usable),
        repeatRows=header_rows,
        splitInRow=1,
        splitByRow=0,
    )
    table.setStyle(TableStyle(commands))
    story: list[Flowable] = [TextLine(text, font) for text in lines_before]
    frame = page[1] - 2 * margin - 12  # SimpleDocTemplate's frame pads 6 points each side
    first = frame - sum(line.wrap(usable, frame)[1] for line in story) - 4
    story += [Spacer(1, 4), *_paginate(table, usable, first, frame), Spacer(1, 4)]
    story += [TextLine(text, font) for text in lines_after]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
    )
    doc.build(story)
    return buffer.getvalue()
