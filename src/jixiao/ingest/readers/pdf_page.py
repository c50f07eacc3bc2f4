"""One page of a text-layer PDF → the ruled tables on it as cell grids, and the text around them.

The chain, each step a small function over the page's characters and ruling edges:

1. ``ruling_edges``: the page's horizontal and vertical edges (lines and rectangle sides), with
   white strokes drawn over black ones subtracted (a merged cell drawn by erasing its inner
   rules), and **open ends closed**: a row cut by a page break has vertical rules but no rule
   under it (or, on the next page, above it); a horizontal edge is added where the verticals
   end, so the lattice finder keeps that row instead of dropping it. The same holds for merged
   cells running on past a page's last row while the rows beside them end there: each stretch
   between rules that end together with no rule across it is closed.
2. pdfplumber's lattice finder on those edges (``explicit`` strategy); pages without ruled
   tables fall back to its ``"text"`` strategy.
3. ``_part``: the finder's cell boxes → grid boundaries → cells with true row and column spans
   (a merged cell is one box, not a text cell with ``None`` neighbours); each character goes to
   the cell holding its centre.
4. Characters outside every table become text lines (title, ``单位：万元``, notes), page-number
   lines dropped.

Cell text is assembled later (``cell_text``), after pages are stitched, because a row cut by a
page break gets the characters of its continuation first.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from jixiao.ingest.rawtable import Box
from jixiao.ingest.readers.pdf_rules import joined, ruled_tables

Obj = dict[str, Any]

SNAP = 1.5  # points: boundaries closer than this are one boundary
MIN_EDGE = 3.0  # points: shorter edges are rectangle corners, not rules
OPEN_END = 3.0  # points a vertical rule must run past the last horizontal to count as open
_WHITE = {(1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}
_PAGE_NUMBER = re.compile(
    r"^\s*(第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+(\s*/\s*\d+)?"
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页|page\s*\d+(\s*of\s*\d+)?)\s*$",
    re.IGNORECASE,
)


@dataclass
class TextLine:
    text: str
    page: int
    box: Box


@dataclass
class PartCell:
    row: int  # 0-based inside the part
    col: int  # index into the part's column boundaries
    rowspan: int
    colspan: int
    box: Box
    chars: list[Obj] = field(default_factory=list)


@dataclass
class Part:
    """One table as found on one page."""

    page: int  # 1-based
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    cells: list[PartCell]
    open_top: bool
    open_bottom: bool
    rules: list[tuple[float, float, float]] = field(
        default_factory=list
    )  # vertical: x, top, bottom
    cut_top: list[tuple[float, float]] = field(default_factory=list)  # x-ranges left open
    cut_bottom: list[tuple[float, float]] = field(default_factory=list)
    lines_before: list[TextLine] = field(default_factory=list)
    lines_after: list[TextLine] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def row_count(self) -> int:
        return len(self.ys) - 1


@dataclass
class PageTables:
    parts: list[Part]
    lines: list[TextLine]  # the text on a page with no table


def _white(color: object) -> bool:
    try:
        return tuple(float(v) for v in color) in _WHITE  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return False


def _visible(edge: Obj) -> bool:
    """A rule a reader sees: stroked in a colour other than white, or filled so."""
    if edge.get("stroke", True) and not _white(edge.get("stroking_color")):
        return True
    return bool(edge.get("fill")) and not _white(edge.get("non_stroking_color"))


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> Obj:
    return {
        "object_type": "line_edge",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _subtract(edge: Obj, white: list[Obj]) -> list[Obj]:
    """The parts of a horizontal ``edge`` not painted over by a white horizontal line."""
    pieces = [(edge["x0"], edge["x1"])]
    for w in white:
        if abs(w["top"] - edge["top"]) > 1.0:
            continue
        cut: list[tuple[float, float]] = []
        for a, b in pieces:
            if w["x1"] <= a + SNAP or w["x0"] >= b - SNAP:
                cut.append((a, b))
                continue
            if w["x0"] > a + SNAP:
                cut.append((a, w["x0"]))
            if w["x1"] < b - SNAP:
                cut.append((w["x1"], b))
        pieces = cut
    return [{**edge, "x0": a, "x1": b, "width": b - a} for a, b in pieces if b - a >= MIN_EDGE]


def _text_reach(y: float, x0: float, x1: float, chars: list[Obj], down: bool) -> float:
    """How far the lines of text running on from ``y`` (down or up) inside ``x0``–``x1`` reach:
    some writers draw the text of a cut row past the end of its rules."""
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1]
    inside.sort(key=lambda c: c["top"] if down else -c["bottom"])
    reach = y
    for c in inside:
        height = max(1.0, c["bottom"] - c["top"])
        if down and c["bottom"] > reach:
            if c["top"] - reach > height:
                break
            reach = c["bottom"]
        elif not down and c["top"] < reach:
            if reach - c["bottom"] > height:
                break
            reach = c["top"]
    return reach + (1.0 if down else -1.0) if reach != y else y


def _joined(v: list[Obj]) -> list[Obj]:
    """Vertical rules drawn in pieces (one per row or block) joined into whole rules."""
    pieces = [(e["x0"], e["top"], e["bottom"]) for e in v]
    return [_edge("v", x, top, x, bottom) for x, top, bottom in joined(pieces)]


def _close_open_ends(h: list[Obj], v: list[Obj], chars: list[Obj]) -> list[Obj]:
    """Horizontal edges under (over) the cells whose side rules end with no horizontal rule
    between them: the open bottom of a row cut by a page break, or the open top of its
    continuation, and a merged cell running on past the page's last row while the rows beside
    it end there. The edge goes under (over) the last line of text running on past the rules'
    end."""
    rules = [e for e in _joined(v) if _anchored(e, h)]
    added = []
    for end in ("bottom", "top"):
        for run in _open_runs(rules, h, end):
            x0, x1 = run[0]["x0"], run[-1]["x0"]
            if _enclosed(rules, x0, x1, run[0][end]):
                continue
            down = end == "bottom"
            rules_end = max(e[end] for e in run) if down else min(e[end] for e in run)
            y = _text_reach(rules_end, x0, x1, chars, down)
            added.append({**_edge("h", x0, y, x1, y), "added": True})
            if y != rules_end:  # the rules run on to the text's end
                top, bottom = sorted((rules_end, y))
                added += [{**_edge("v", e["x0"], top, e["x0"], bottom), "added": True} for e in run]
    return added


def _anchored(rule: Obj, h: list[Obj]) -> bool:
    """Whether a horizontal rule meets the vertical ``rule`` (a stray line is no cell side)."""
    return any(
        x["x0"] - SNAP <= rule["x0"] <= x["x1"] + SNAP
        and rule["top"] - SNAP <= x["top"] <= rule["bottom"] + SNAP
        for x in h
    )


def _open_runs(rules: list[Obj], h: list[Obj], end: str) -> list[list[Obj]]:
    """Runs of side-by-side vertical rules ending (``end`` is ``"bottom"`` or ``"top"``) at
    one height with no horizontal rule between neighbours there, left to right."""
    runs: list[list[Obj]] = []
    for level in _cluster_by(rules, end):
        y = level[0][end]
        crossing = [
            e["x0"] for e in rules if e["top"] < y - OPEN_END and e["bottom"] > y + OPEN_END
        ]
        run: list[Obj] = []
        for a, b in itertools.pairwise(sorted(level, key=lambda e: e["x0"])):
            between = any(a["x0"] + SNAP < x < b["x0"] - SNAP for x in crossing)
            if between or _ruled_across(h, a["x0"], b["x0"], y):
                if len(run) > 1:
                    runs.append(run)
                run = []
                continue
            run = run or [a]
            run.append(b)
        if len(run) > 1:
            runs.append(run)
    return runs


def _cluster_by(rules: list[Obj], end: str) -> list[list[Obj]]:
    """The rules grouped by where their ``end`` lies, ends within ``OPEN_END`` together."""
    levels: list[list[Obj]] = []
    for e in sorted(rules, key=lambda e: e[end]):
        if levels and e[end] - levels[-1][-1][end] <= OPEN_END:
            levels[-1].append(e)
        else:
            levels.append([e])
    return [level for level in levels if len(level) > 1]


def _ruled_across(h: list[Obj], x0: float, x1: float, y: float) -> bool:
    """Whether a horizontal rule runs at ``y`` through the middle of ``x0``–``x1``."""
    middle = (x0 + x1) / 2
    return any(abs(e["top"] - y) <= OPEN_END and e["x0"] <= middle <= e["x1"] for e in h)


def _enclosed(rules: list[Obj], x0: float, x1: float, y: float) -> bool:
    """Whether rules left of ``x0`` and right of ``x1`` run on through ``y``: rules ending
    there stop inside the table (a header whose bottom rule was left out), not at a cut."""

    def through(e: Obj) -> bool:
        return bool(e["top"] < y - OPEN_END and e["bottom"] > y + OPEN_END)

    return any(through(e) and e["x0"] < x0 - SNAP for e in rules) and any(
        through(e) and e["x0"] > x1 + SNAP for e in rules
    )


def ruling_edges(page: Any, chars: list[Obj]) -> tuple[list[Obj], list[Obj]]:
    """Horizontal and vertical rules of ``page``, white-erased parts removed, open ends closed."""
    edges = [e for e in page.edges if max(e["width"], e["height"]) >= MIN_EDGE]
    v = [e for e in edges if e["orientation"] == "v" and _visible(e)]
    white = [e for e in edges if e["orientation"] == "h" and not _visible(e)]
    h: list[Obj] = []
    for e in edges:
        if e["orientation"] == "h" and _visible(e):
            h.extend(_subtract(e, white) if white else [e])
    closing = _close_open_ends(h, v, chars)
    return h + [e for e in closing if e["orientation"] == "h"], v + [
        e for e in closing if e["orientation"] == "v"
    ]


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > SNAP:
            out.append(value)
    return out


def _index(bounds: list[float], value: float) -> int:
    i = bisect.bisect_left(bounds, value - SNAP)
    return min(i, len(bounds) - 1)


def _part(page_no: int, cells: list[Box], h: list[Obj], v: list[Obj]) -> Part:
    """One table from its cell boxes. Its column boundaries include every vertical rule inside
    it, also one that no cell edge shows (a rule ending at a bottom rule the writer left out)."""
    left, right = min(c[0] for c in cells), max(c[2] for c in cells)
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    rules = [
        (e["x0"], e["top"], e["bottom"])
        for e in _joined(v)
        if left - SNAP <= e["x0"] <= right + SNAP
        and e["bottom"] > ys[0] + SNAP
        and e["top"] < ys[-1] - SNAP
    ]
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells] + [r[0] for r in rules])
    out = []
    for x0, top, x1, bottom in cells:
        r, c = _index(ys, top), _index(xs, x0)
        out.append(
            PartCell(
                r,
                c,
                max(1, _index(ys, bottom) - r),
                max(1, _index(xs, x1) - c),
                (x0, top, x1, bottom),
            )
        )
    out.sort(key=lambda cell: (cell.row, cell.col))
    open_top = _added_at(h, ys[0], xs)
    open_bottom = _added_at(h, ys[-1], xs)
    return Part(
        page_no,
        xs,
        ys,
        out,
        open_top=open_top,
        open_bottom=open_bottom,
        rules=rules,
        cut_top=_added_spans(h, ys[0]),
        cut_bottom=_added_spans(h, ys[-1]),
    )


def _added_spans(h: list[Obj], y: float) -> list[tuple[float, float]]:
    """Where along the rule at ``y`` ``_close_open_ends`` closed cells (a partial cut: merged
    cells running on over the page break beside rows that end there)."""
    return [(e["x0"], e["x1"]) for e in h if e.get("added") and abs(e["top"] - y) <= SNAP]


def _added_at(h: list[Obj], y: float, xs: list[float]) -> bool:
    """Whether the rule at ``y`` across the table is one ``_close_open_ends`` added."""
    return any(
        e.get("added")
        and abs(e["top"] - y) <= SNAP
        and e["x0"] <= xs[0] + SNAP
        and e["x1"] >= xs[-1] - SNAP
        for e in h
    )


def _assign_chars(parts: list[Part], chars: list[Obj]) -> list[Obj]:
    """Put each character into the cell it starts in (CJK punctuation at a line end may hang
    over the right rule); return those outside all tables."""
    outside = []
    for ch in chars:
        cx = min(ch["x0"] + 1.0, (ch["x0"] + ch["x1"]) / 2)  # punctuation may hang past the rule
        cy = (ch["top"] + ch["bottom"]) / 2
        for part in parts:
            x0, top, x1, bottom = part.box
            if x0 <= cx <= x1 and top <= cy <= bottom:
                for cell in part.cells:
                    b = cell.box
                    if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                        cell.chars.append(ch)
                        break
                break
        else:
            outside.append(ch)
    return outside


def char_lines(chars: list[Obj]) -> list[list[Obj]]:
    """Characters grouped into lines, top to bottom, each left to right."""
    lines: list[list[Obj]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines:
            first = lines[-1][0]
            height = max(1.0, min(first["bottom"] - first["top"], ch["bottom"] - ch["top"]))
            if ch["top"] - first["top"] < height * 0.5:
                lines[-1].append(ch)
                continue
        lines.append([ch])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def line_text(line: list[Obj]) -> str:
    """A line's characters in order; a space where the text layer leaves a gap but no space."""
    out: list[str] = []
    previous: Obj | None = None
    for ch in line:
        text = ch["text"]
        if previous is not None and out and not out[-1].endswith(" ") and text != " ":
            size = max(float(ch.get("size") or 0), 1.0)
            if ch["x0"] - previous["x1"] > 0.25 * size:
                out.append(" ")
        out.append(text)
        previous = ch
    return "".join(out).strip()


def _is_letter(ch: str) -> bool:
    """A letter of a Latin-script word (not a digit: numbers break anywhere)."""
    return ch < "\u2e80" and unicodedata.category(ch).startswith("L")


def cell_text(chars: list[Obj], box: Box) -> str:
    """A cell's text with wrapped lines joined: CJK without a space, Latin words with one.

    A break between two Latin characters is a word break (one space) only when the next
    line's first character would have fitted on the line before: a line filled to the cell's
    edge was broken inside a word or number.
    """
    lines = char_lines(chars)
    if not lines:
        return ""
    pad = max(0.0, min(line[0]["x0"] for line in lines) - box[0])
    room = box[2] - box[0] - 2 * pad
    texts = [line_text(line) for line in lines]
    out = texts[0]
    for prev_line, line, text in zip(lines, lines[1:], texts[1:], strict=False):
        if not text:
            continue
        if out and _is_letter(out[-1]) and _is_letter(text[0]):
            used = prev_line[-1]["x1"] - prev_line[0]["x0"]
            first = line[0]
            if used + 2 * (first["x1"] - first["x0"]) <= room:
                out += " "
        out += text
    return out


def text_lines(page_no: int, chars: list[Obj]) -> list[TextLine]:
    """Characters outside every table as lines of text, page-number lines dropped."""
    lines = []
    for line in char_lines(chars):
        text = line_text(line)
        if not text or _PAGE_NUMBER.match(text):
            continue
        box = (
            min(c["x0"] for c in line),
            min(c["top"] for c in line),
            max(c["x1"] for c in line),
            max(c["bottom"] for c in line),
        )
        lines.append(TextLine(text, page_no, box))
    return lines


def _find_cells(page: Any, h: list[Obj], v: list[Obj]) -> list[list[Box]]:
    found = ruled_tables(h, v)
    if found:
        return found
    settings = {"vertical_strategy": "text", "horizontal_strategy": "text"}
    return [t.cells for t in page.find_tables(settings) if _is_grid(t.cells)]


def _is_grid(cells: list[Box]) -> bool:
    """A table the text strategy found that looks like one: 2+ rows, 3+ columns."""
    xs = _cluster([c[0] for c in cells])
    ys = _cluster([c[1] for c in cells])
    return len(xs) >= 3 and len(ys) >= 2


def read_page(page: Any, page_no: int, chars: list[Obj]) -> PageTables:
    """The tables on ``page`` (1-based ``page_no``) and the text lines around them."""
    h, v = ruling_edges(page, chars)
    parts = [_part(page_no, cells, h, v) for cells in _find_cells(page, h, v) if cells]
    parts.sort(key=lambda p: (p.ys[0], p.xs[0]))
    outside = _assign_chars(parts, chars)
    lines = text_lines(page_no, outside)
    return attach_lines(parts, lines)


def attach_lines(parts: list[Part], lines: list[TextLine]) -> PageTables:
    """Each line of text goes above the first table below it, else under the last table."""
    if not parts:
        return PageTables([], lines)
    for line in lines:
        below = [p for p in parts if p.ys[0] >= line.box[1]]
        if below:
            below[0].lines_before.append(line)
        else:
            parts[-1].lines_after.append(line)
    return PageTables(parts, [])
