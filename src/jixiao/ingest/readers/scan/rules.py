"""The ruling-line grid of an upright page image, found with OpenCV morphology.

1. Ink (Otsu) opened with a long thin kernel keeps horizontal rules (then vertical ones):
   characters, speckle and seals are shorter than ``RULE`` pixels in either direction.
2. Each connected set of rules big enough to be a table is one table. Its row boundaries are
   the rules' clustered heights, its column boundaries the rules' clustered positions; a grid
   left open (vertical rules running on past the last horizontal one: a row cut by the page
   end) is closed where the verticals end, and ``open_top``/``open_bottom`` say so.
3. Neighbouring grid cells with no rule between them are one merged cell (row and column
   spans), as a person reads the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Box = tuple[float, float, float, float]

PAPER = 250  # grey level: lighter is paper on a cleaned page
RULE = 40  # pixels: the shortest run of ink kept as a rule (longer than a character's stroke)
SNAP = 8  # pixels: rule positions closer than this are one boundary
OPEN = 12  # pixels verticals must run past the last rule for a grid to count as open
MIN_TABLE = 60  # pixels: the smallest table side
SPAN = 0.7  # share of the way between two boundaries a rule must run
COVER = 0.6  # share of a boundary segment that must be inked to count as a rule


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box  # pixels


@dataclass
class TableGrid:
    xs: list[float]
    ys: list[float]
    cells: list[GridCell] = field(default_factory=list)
    open_top: bool = False
    open_bottom: bool = False

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


@dataclass
class Masks:
    horizontal: Any
    vertical: Any


def rule_masks(image: Any) -> Masks:
    """The horizontal and vertical rules of a cleaned page (``orient.clean``: what is not
    paper-white is ink, faint rules included) as two binary images."""
    import cv2

    ink = (image < PAPER).astype("uint8") * 255
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (RULE, 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE)))
    return Masks(h, v)


def _segments(mask: Any, horizontal: bool) -> list[tuple[float, float, float]]:
    """Each rule as (position across, start, end): y, x0, x1 for horizontal ones."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if horizontal:
            out.append((y + h / 2, float(x), float(x + w)))
        else:
            out.append((x + w / 2, float(y), float(y + h)))
    return out


def _cluster(values: list[tuple[float, float]]) -> list[float]:
    """Positions weighted by rule length, clustered within ``SNAP``; (position, length) in."""
    groups: list[list[tuple[float, float]]] = []
    for value in sorted(values):
        if groups and value[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(p * n for p, n in g) / sum(n for _, n in g) for g in groups]


def _covered(mask: Any, across: float, start: float, end: float, horizontal: bool) -> bool:
    """Whether the boundary at ``across`` from ``start`` to ``end`` is inked (a rule)."""
    a = round(across)
    s, e = round(start) + SNAP // 2, round(end) - SNAP // 2
    if e <= s:
        return True
    if horizontal:
        band = mask[max(0, a - 3) : a + 4, s:e]
        inked = band.max(axis=0) if band.size else band
    else:
        band = mask[s:e, max(0, a - 3) : a + 4]
        inked = band.max(axis=1) if band.size else band
    return bool(inked.size) and float((inked > 0).mean()) >= COVER


def _table_regions(masks: Masks) -> list[Box]:
    import cv2

    both = cv2.bitwise_or(masks.horizontal, masks.vertical)
    both = cv2.dilate(both, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    regions = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if w >= MIN_TABLE and h >= MIN_TABLE:
            regions.append((float(x), float(y), float(x + w), float(y + h)))
    return sorted(regions, key=lambda r: (r[1], r[0]))


def _inside(seg: tuple[float, float, float], region: Box, horizontal: bool) -> bool:
    across, start, end = seg
    x0, top, x1, bottom = region
    if horizontal:
        return top - 4 <= across <= bottom + 4 and start >= x0 - 4 and end <= x1 + 4
    return x0 - 4 <= across <= x1 + 4 and start >= top - 4 and end <= bottom + 4


def _spans_cell(seg: tuple[float, float, float], bounds: list[float]) -> bool:
    """Whether a rule runs most of the way between the boundaries around it: a stroke of a
    character is short against the cell it sits in, a rule is not."""
    _, start, end = seg
    before = [b for b in bounds if b <= start + SNAP]
    after = [b for b in bounds if b >= end - SNAP]
    if not before or not after:
        return True  # past the outer boundaries: an outer rule the other way is missing
    return end - start >= SPAN * (after[0] - before[-1])


def _grid(masks: Masks, region: Box) -> TableGrid | None:
    hs = [s for s in _segments(masks.horizontal, True) if _inside(s, region, True)]
    vs = [s for s in _segments(masks.vertical, False) if _inside(s, region, False)]
    if not hs or not vs:
        return None
    xs = _cluster([(x, y1 - y0) for x, y0, y1 in vs])
    hs = [s for s in hs if _spans_cell(s, xs)] or hs
    ys = _cluster([(y, x1 - x0) for y, x0, x1 in hs])
    vs = [s for s in vs if _spans_cell(s, ys)] or vs
    xs = _cluster([(x, y1 - y0) for x, y0, y1 in vs])
    x0, _top, x1, _bottom = region
    # tables drawn without outer side rules: the horizontal rules' ends are the edges
    if xs[0] - x0 > SNAP:
        xs.insert(0, min(s[1] for s in hs))
    if x1 - xs[-1] > SNAP:
        xs.append(max(s[2] for s in hs))
    v_top, v_bottom = min(s[1] for s in vs), max(s[2] for s in vs)
    open_top = ys[0] - v_top > OPEN
    open_bottom = v_bottom - ys[-1] > OPEN
    if open_top:
        ys.insert(0, v_top)
    if open_bottom:
        ys.append(v_bottom)
    if len(xs) < 2 or len(ys) < 2:
        return None
    grid = TableGrid(xs, ys, open_top=open_top, open_bottom=open_bottom)
    grid.cells = _merged_cells(masks, grid)
    return grid


def _merged_cells(masks: Masks, grid: TableGrid) -> list[GridCell]:
    """Grid positions joined where no rule parts them, as cells with spans."""
    xs, ys = grid.xs, grid.ys
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(rows):
        for c in range(cols):
            here = r * cols + c
            if c + 1 < cols and not _covered(masks.vertical, xs[c + 1], ys[r], ys[r + 1], False):
                join(here, here + 1)
            if r + 1 < rows and not _covered(masks.horizontal, ys[r + 1], xs[c], xs[c + 1], True):
                join(here, here + cols)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    cells = []
    taken: set[tuple[int, int]] = set()
    for members in sorted(groups.values()):
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
        c0, c1 = min(c for _, c in members), max(c for _, c in members)
        if (r0, c0) in taken:
            continue
        taken.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        box = (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box))
    return sorted(cells, key=lambda cell: (cell.row, cell.col))


def find_tables(image: Any) -> list[TableGrid]:
    """The ruled tables of an upright page, top to bottom."""
    masks = rule_masks(image)
    grids = [_grid(masks, region) for region in _table_regions(masks)]
    return [g for g in grids if g is not None and len(g.cells) >= 2]
