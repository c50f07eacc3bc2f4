"""Cells of ruled tables, found from the rules alone.

Every rule's position, and every end of a rule, is a boundary; the boundaries cut the page into
small rectangles (atoms). Two neighbouring atoms belong to one cell unless a rule runs between
them. Atoms reachable from outside every rule are no table. Inside a table, each band of atoms
between two row boundaries is cut into runs at its vertical rules, and a run joins the same run
of the band below when no rule lies between them: so a merged cell is one cell. Where a writer
left out a whole rule (under a header repeated over a row cut by a page break), the column
rules still change along it: the cells either side part there.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from jixiao.ingest.rawtable import Box

Obj = dict[str, Any]

SNAP = 1.5  # points: boundaries closer than this are one boundary
REACH = 3.0  # points a rule may stop short of an atom's corner and still close its side
_OUT = 10.0  # points: the ring of atoms around all rules, outside every table


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > SNAP:
            out.append(value)
    return out


def _near(bounds: list[float], value: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - value))


class _Rules:
    """Rules on one axis, by the boundary they lie on: (position index) -> [(start, end)]."""

    def __init__(self, bounds: list[float], segments: list[tuple[float, float, float]]) -> None:
        self.by_bound: dict[int, list[tuple[float, float]]] = {}
        for at, start, end in segments:
            self.by_bound.setdefault(_near(bounds, at), []).append((start, end))

    def closes(self, bound: int, start: float, end: float) -> bool:
        return any(a <= start + REACH and b >= end - REACH for a, b in self.by_bound.get(bound, []))


def joined(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Rules drawn in pieces (one per cell or row) joined into whole rules: ``(at, start,
    end)`` pieces whose positions lie within ``SNAP`` of each other are one line, and along it
    the pieces that meet or overlap are one rule, at the first piece's position. Pieces of one
    line that leave a gap stay apart, whatever order they were drawn in."""
    lines: list[list[tuple[float, float, float]]] = []
    for segment in sorted(segments):
        if lines and segment[0] - lines[-1][-1][0] <= SNAP:
            lines[-1].append(segment)
        else:
            lines.append([segment])
    out: list[tuple[float, float, float]] = []
    for line in lines:
        at = line[0][0]
        first = len(out)
        for _, start, end in sorted(line, key=lambda s: s[1]):
            if len(out) > first and start <= out[-1][2] + SNAP:
                out[-1] = (at, out[-1][1], max(out[-1][2], end))
            else:
                out.append((at, start, end))
    return out


def ruled_tables(h: list[Obj], v: list[Obj]) -> list[list[Box]]:
    """The cell boxes of each ruled table drawn by horizontal ``h`` and vertical ``v`` rules."""
    if len(h) < 2 or len(v) < 2:
        return []
    hs = joined([(e["top"], e["x0"], e["x1"]) for e in h])
    vs = joined([(e["x0"], e["top"], e["bottom"]) for e in v])
    xs = _cluster([x for x, _, _ in vs] + [a for _, a, _ in hs] + [b for _, _, b in hs])
    rows = _cluster([y for y, _, _ in hs])
    ends = [y for _, a, b in vs for y in (a, b) if all(abs(y - r) > REACH for r in rows)]
    ys = _cluster(rows + ends)
    xs = [xs[0] - _OUT, *xs, xs[-1] + _OUT]
    ys = [ys[0] - _OUT, *ys, ys[-1] + _OUT]
    across, down = _Rules(ys, hs), _Rules(xs, vs)
    width, height = len(xs) - 1, len(ys) - 1

    def apart_right(r: int, k: int) -> bool:  # a rule between (r, k) and (r, k + 1)
        return down.closes(k + 1, ys[r], ys[r + 1])

    def apart_below(r: int, k: int) -> bool:  # a rule between (r, k) and (r + 1, k)
        return across.closes(r + 1, xs[k], xs[k + 1])

    outside = _reach({(0, 0)}, width, height, apart_right, apart_below)
    inside = {(r, k) for r in range(height) for k in range(width)} - outside
    tables = []
    while inside:
        table = _reach({min(inside)}, width, height, lambda r, k: False, lambda r, k: False, inside)
        inside -= table
        tables.append(_cells(table, xs, ys, apart_right, apart_below))
    return [t for t in sorted(tables, key=lambda t: (t[0][1], t[0][0])) if t]


def _reach(
    start: set[tuple[int, int]],
    width: int,
    height: int,
    apart_right: Any,
    apart_below: Any,
    within: set[tuple[int, int]] | None = None,
) -> set[tuple[int, int]]:
    """The atoms reachable from ``start`` without crossing a rule (or leaving ``within``)."""
    seen = set(start)
    todo = deque(start)
    while todo:
        r, k = todo.popleft()
        steps = [
            ((r, k + 1), k + 1 < width and not apart_right(r, k)),
            ((r, k - 1), k > 0 and not apart_right(r, k - 1)),
            ((r + 1, k), r + 1 < height and not apart_below(r, k)),
            ((r - 1, k), r > 0 and not apart_below(r - 1, k)),
        ]
        for atom, open_ in steps:
            if open_ and atom not in seen and (within is None or atom in within):
                seen.add(atom)
                todo.append(atom)
    return seen


def _cells(
    atoms: set[tuple[int, int]],
    xs: list[float],
    ys: list[float],
    apart_right: Any,
    apart_below: Any,
) -> list[Box]:
    """The cells of one table: runs of atoms per band, joined down while they stay the same."""
    runs: dict[int, list[tuple[int, int]]] = {}
    for r in sorted({r for r, _ in atoms}):
        ks = sorted(k for rr, k in atoms if rr == r)
        start = ks[0]
        for a, b in zip(ks, [*ks[1:], None], strict=True):
            if b is None or b != a + 1 or apart_right(r, a):
                runs.setdefault(r, []).append((start, a))
                if b is not None:
                    start = b
    # A line where the column rules change with no rule drawn along any of it is a rule the
    # writer left out: the cells either side of it part, also where their columns agree.
    implied = {
        r
        for r in runs
        if r + 1 in runs
        and runs[r] != runs[r + 1]
        and not any(apart_below(r, k) for rr, k in atoms if rr == r)
    }
    boxes: list[Box] = []
    used: set[tuple[int, int, int]] = set()
    for r in sorted(runs):
        for run in runs[r]:
            if (r, *run) in used:
                continue
            bottom = r
            while (
                bottom not in implied
                and run in runs.get(bottom + 1, [])
                and not any(apart_below(bottom, k) for k in range(run[0], run[1] + 1))
            ):
                bottom += 1
                used.add((bottom, *run))
            boxes.append((xs[run[0]], ys[r], xs[run[1] + 1], ys[bottom + 1]))
    return sorted(boxes, key=lambda b: (b[1], b[0]))
