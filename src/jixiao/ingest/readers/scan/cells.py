"""The text of each cell of a ruled grid, in two designs that give the same pieces:

- ``recognise_cells``: each cell cropped (``INSET`` pixels inside its rules, so strokes that
  touch a rule are kept and the rule is not read as ``|``), text lines detected in the crop,
  each line recognised;
- ``recognise_lines``: the page's text lines detected once, each box cut where a column rule
  crosses it (one detection box often runs over several cells: the column bleed of full-page
  OCR), each piece recognised and put in the cell holding its centre.

A ``Piece`` is one recognised line piece with its box on the page and the recogniser's score;
a cell's text is assembled from its pieces later, like the text-layer reader's characters.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from jixiao.ingest.readers.scan import engine
from jixiao.ingest.readers.scan.orient import Box, crop
from jixiao.ingest.readers.scan.rules import TableGrid

INSET = 4  # pixels inside a rule's centre line
MIN_INK = 12  # ink pixels: fewer, and a cell is empty
INK = 160  # grey level: darker is ink (on a cleaned page, the paper is white)
LINE = 1.25  # runs of inked rows within this many times the tallest run are one line
MIN_PIECE = 6  # pixels: narrower cut pieces are rule debris
STACKED = 1.8  # a crop this many times taller than wide holds characters stacked up
GLYPH = 1.1  # a character is at most this many times as tall as the line is wide
PAD = 2  # pixels around a detected box when cropping it for recognition


@dataclass
class Piece:
    text: str
    score: float
    box: Box  # pixels on the upright page


def _inner(box: Box) -> Box:
    x0, top, x1, bottom = box
    return (x0 + INSET, top + INSET, x1 - INSET, bottom - INSET)


def _clip(box: Box, within: Box) -> Box:
    return (
        max(box[0], within[0]),
        max(box[1], within[1]),
        min(box[2], within[2]),
        min(box[3], within[3]),
    )


def _padded(box: Box) -> Box:
    return (box[0] - PAD, box[1] - PAD, box[2] + PAD, box[3] + PAD)


def recognise_cells(image: Any, grid: TableGrid) -> list[list[Piece]]:
    """Each cell of ``grid`` (in ``grid.cells`` order) read from its own crop, its lines
    found by the blank rows between them."""
    boxes: list[Box] = []
    within: list[Box] = []
    owner: list[int] = []
    for index, cell in enumerate(grid.cells):
        inner = _inner(cell.box)
        if inner[2] - inner[0] < MIN_PIECE or inner[3] - inner[1] < MIN_PIECE:
            continue
        for x0, top, x1, bottom in text_lines(crop(image, inner)):
            boxes.append((x0 + inner[0], top + inner[1], x1 + inner[0], bottom + inner[1]))
            within.append(inner)
            owner.append(index)
    return _by_cell(_read_owned(image, boxes, within, owner), len(grid.cells))


def _runs(inked: Any) -> list[tuple[int, int]]:
    """The runs of True in a 1-D array, as (start, end)."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, value in enumerate(inked):
        if value and start is None:
            start = i
        elif not value and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(inked)))
    return runs


def text_lines(region: Any) -> list[Box]:
    """The lines of text in a cell's crop (of a cleaned page): runs of inked rows, the runs of
    one line joined (二 and 号 have blank rows inside), each trimmed to its ink."""
    ink = region < INK
    if int(ink.sum()) < MIN_INK:
        return []
    runs = _runs(ink.any(axis=1))
    tallest = max(b - a for a, b in runs)
    lines: list[tuple[int, int]] = []
    for a, b in runs:
        if lines and b - lines[-1][0] <= LINE * tallest:
            lines[-1] = (lines[-1][0], b)
        else:
            lines.append((a, b))
    boxes: list[Box] = []
    for a, b in lines:
        cols = _runs(ink[a:b].any(axis=0))
        if cols and int(ink[a:b].sum()) >= MIN_INK // 3:
            boxes.append((float(cols[0][0]), float(a), float(cols[-1][1]), float(b)))
    return boxes


def standing_line(image: Any) -> Any:
    """A crop of characters stacked one under another (a narrow cell wraps after each) laid
    out as one line, each character cut at the blank rows between them."""
    import numpy as np

    height, width = image.shape[:2]
    if height < STACKED * width:
        return image
    glyphs = _runs((image < INK).any(axis=1))
    glyphs = _whole_glyphs(glyphs, width)
    if len(glyphs) < 2:
        return image
    side = max(width, *(b - a for a, b in glyphs))
    pieces = []
    for a, b in glyphs:
        top = (side - (b - a)) // 2
        block = np.full((side + 8, width + 4), 255, dtype=image.dtype)
        block[4 + top : 4 + top + b - a, 2 : 2 + width] = image[a:b]
        pieces.append(block)
    return np.ascontiguousarray(np.hstack(pieces))


def _whole_glyphs(runs: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
    """Runs of inked rows joined into whole characters (号 is two runs), each at most about
    as tall as the line is wide."""
    out: list[tuple[int, int]] = []
    for a, b in runs:
        if out and b - out[-1][0] <= GLYPH * width:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _margin(line: Any) -> Any:
    """White paper around a line crop: the recogniser misreads glyphs cut close (``》``)."""
    import cv2

    if line.size == 0:
        return line
    side = max(8, line.shape[0] // 2)
    return cv2.copyMakeBorder(line, 4, 4, side, side, cv2.BORDER_CONSTANT, value=255)


def _read_owned(
    image: Any, boxes: list[Box], within: list[Box], owner: list[int]
) -> list[tuple[int, Piece]]:
    crops = [
        _margin(standing_line(crop(image, _clip(_padded(b), w))))
        for b, w in zip(boxes, within, strict=True)
    ]
    keep = [i for i, c in enumerate(crops) if c.shape[0] > 2 and c.shape[1] > 2]
    read = engine.recognise([crops[i] for i in keep])
    return [
        (owner[i], Piece(text, score, boxes[i]))
        for i, (text, score) in zip(keep, read, strict=True)
        if text.strip()
    ]


def _by_cell(owned: list[tuple[int, Piece]], count: int) -> list[list[Piece]]:
    out: list[list[Piece]] = [[] for _ in range(count)]
    for index, piece in owned:
        out[index].append(piece)
    return out


def _cuts(box: Box, xs: list[float]) -> list[float]:
    return [x for x in xs if box[0] + MIN_PIECE < x < box[2] - MIN_PIECE]


def _cell_at(grid: TableGrid, x: float, y: float) -> int | None:
    for index, cell in enumerate(grid.cells):
        x0, top, x1, bottom = cell.box
        if x0 <= x <= x1 and top <= y <= bottom:
            return index
    return None


def recognise_lines(image: Any, grid: TableGrid, boxes: list[Box]) -> list[list[Piece]]:
    """Each cell of ``grid`` read from the page's detected ``boxes`` cut at the column rules."""
    pieces: list[Box] = []
    within: list[Box] = []
    owner: list[int] = []
    for box in boxes:
        edges = [box[0], *_cuts(box, grid.xs), box[2]]
        for left, right in itertools.pairwise(edges):
            piece = (left, box[1], right, box[3])
            index = _cell_at(grid, (left + right) / 2, (box[1] + box[3]) / 2)
            if index is None:
                continue
            inner = _inner(grid.cells[index].box)
            clipped = _clip(piece, inner)
            if clipped[2] - clipped[0] < MIN_PIECE or clipped[3] - clipped[1] < MIN_PIECE / 2:
                continue
            pieces.append(clipped)
            within.append(inner)
            owner.append(index)
    return _by_cell(_read_owned(image, pieces, within, owner), len(grid.cells))


def recognise_text(image: Any, boxes: list[Box]) -> list[Piece]:
    """Text outside every table (title, ``单位：万元``, notes) from its detected boxes."""
    height, width = image.shape[:2]
    page: Box = (0.0, 0.0, float(width), float(height))
    owned = _read_owned(image, boxes, [page] * len(boxes), [0] * len(boxes))
    return [piece for _, piece in owned]
