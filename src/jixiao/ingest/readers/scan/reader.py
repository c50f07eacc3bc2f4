"""Scanned pages → the text-layer reader's page ``Part``\\ s, stitched into grid ``RawTable``\\ s.

``read_images`` reads an image file (PNG, JPEG, TIFF with all its frames); ``scan_page``
reads one page image of a PDF for the PDF reader, which sends it the pages without a usable
text layer. Every recognised piece becomes one "character" of the text-layer reader (its box
in points on the upright page at 200 dpi, its score kept), so cells are assembled, stitched
over page breaks and written out by the same code as text-layer PDFs.
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

from jixiao.ingest.limits import Budget
from jixiao.ingest.readers.pdf_page import (
    Part,
    PartCell,
    TextLine,
    attach_lines,
    text_lines,
)
from jixiao.ingest.readers.scan import cells, engine, no_rules, orient, rules
from jixiao.ingest.readers.scan.cells import Piece
from jixiao.ingest.readers.scan.pages import POINT, Page

Box = tuple[float, float, float, float]
Obj = dict[str, Any]

PER_CELL = "cells"  # one crop a cell
CUT_LINES = "lines"  # one detection a page, boxes cut at the column rules
DESIGN = PER_CELL


def _points(box: Box) -> Box:
    return (box[0] * POINT, box[1] * POINT, box[2] * POINT, box[3] * POINT)


def _char(piece: Piece) -> Obj:
    """A piece as one "character" of the text-layer reader; full- and half-width forms, which
    the recogniser mixes, made one by NFKC."""
    x0, top, x1, bottom = _points(piece.box)
    return {
        "text": unicodedata.normalize("NFKC", piece.text),
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "size": bottom - top,
        "score": piece.score,
    }


def _inside(box: Box, region: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def upright(image: Any) -> tuple[Any, list[Box]]:
    """The page levelled and turned upright, and its detected text-line boxes."""
    import numpy as np

    image, _ = orient.deskew(orient.clean(image))
    boxes = engine.detect(image)
    turns = orient.quarter_turns(image, boxes)
    if turns:
        height, width = image.shape[:2]
        image = np.ascontiguousarray(np.rot90(image, turns))
        boxes = orient.turn_boxes(boxes, width, height) if turns == 2 else engine.detect(image)
    return image, boxes


def _part(number: int, grid: rules.TableGrid, pieces: list[list[Piece]]) -> Part:
    part_cells = [
        PartCell(
            c.row,
            c.col,
            c.rowspan,
            c.colspan,
            _points(c.box),
            [_char(p) for p in found],
        )
        for c, found in zip(grid.cells, pieces, strict=True)
    ]
    return Part(
        page=number,
        xs=[x * POINT for x in grid.xs],
        ys=[y * POINT for y in grid.ys],
        cells=part_cells,
        open_top=grid.open_top,
        open_bottom=grid.open_bottom,
    )


def _unruled(number: int, pieces: list[Piece]) -> list[Part]:
    """A page without rules: the pieces as a grid of rows and clustered columns."""
    rows = no_rules.rows_of(pieces)
    first = next((i for i, row in enumerate(rows) if len(row) > 1), None)
    spans = no_rules.column_spans(rows)
    if first is None or len(spans) < 2:
        return []
    xs = no_rules.boundaries(spans)
    body = rows[first:]
    ys = [min(p.box[1] for p in body[0])]
    ys += [
        (max(p.box[3] for p in a) + min(p.box[1] for p in b)) / 2
        for a, b in itertools.pairwise(body)
    ]
    ys.append(max(p.box[3] for p in body[-1]))
    part_cells = []
    for r, row in enumerate(body):
        by_cols: dict[tuple[int, int], list[Piece]] = {}
        for piece in row:
            by_cols.setdefault(no_rules.columns_of(piece, spans), []).append(piece)
        for (c0, c1), found in sorted(by_cols.items()):
            box = (xs[c0], ys[r], xs[c1 + 1], ys[r + 1])
            part_cells.append(
                PartCell(r, c0, 1, c1 - c0 + 1, _points(box), [_char(p) for p in found])
            )
    part = Part(number, [x * POINT for x in xs], [y * POINT for y in ys], part_cells, False, False)
    above = [p for row in rows[:first] for p in row]
    part.lines_before = text_lines(number, [_char(p) for p in above])
    return [part]


def scan_page(page: Page, budget: Budget, design: str | None = None) -> list[Part]:
    """The tables of one page image, each with the text lines above and below it; ``design``
    is ``PER_CELL`` or ``CUT_LINES`` (default ``DESIGN``)."""
    design = design or DESIGN
    image, boxes = upright(page.image)
    grids = rules.find_tables(image)
    budget.clock()
    if not grids:
        return _unruled(page.number, cells.recognise_text(image, boxes))
    parts = []
    for grid in grids:
        if design == PER_CELL:
            found = cells.recognise_cells(image, grid)
        else:
            inside = [b for b in boxes if _inside(b, grid.box)]
            found = cells.recognise_lines(image, grid, inside)
        parts.append(_part(page.number, grid, found))
        budget.cell(len(grid.cells))
    outside = [b for b in boxes if not any(_inside(b, g.box) for g in grids)]
    lines: list[TextLine] = text_lines(
        page.number, [_char(p) for p in cells.recognise_text(image, outside)]
    )
    return attach_lines(parts, lines).parts
