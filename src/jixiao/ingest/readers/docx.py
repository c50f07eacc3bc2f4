"""Word documents (.docx) → one grid ``RawTable`` per table, with the text around each table.

python-docx opens the package; the tables are read from their XML, because
``table.rows[i].cells`` repeats a merged cell in every position it covers. A cell's width is
its ``w:gridSpan``; ``w:vMerge`` (restart / continue) and the older ``w:hMerge`` become
row and column spans; ``w:gridBefore`` shifts a row's first cell. Text in content controls
(``w:sdt``) and custom XML is read like any other.

A table nested inside a cell is flattened into that cell's text (its paragraphs in reading
order), except a table used as a frame: a one-cell table whose cell holds tables is read as if
its content stood in the body. Paragraphs between tables go above the next table (title,
``单位：万元``), notes (``注：``) under the one before; the paragraphs after the last table go
under it. Paragraph refs count the document's non-empty paragraphs: ``第12段``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, Budget, ReadLimits, check_extent, check_zip
from jixiao.ingest.rawtable import RawTable

if TYPE_CHECKING:  # python-docx and lxml are loaded when a Word file is read
    from lxml import etree
from jixiao.ingest.readers.grid import (
    Placed,
    TextLine,
    assign_text,
    grid_table,
    join_lines,
    split_lines,
)
from jixiao.ingest.sniff import check_size

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = W + "p", W + "tbl", W + "tr", W + "tc", W + "t"
_BR, _CR, _TAB = W + "br", W + "cr", W + "tab"
_VAL = W + "val"
_TRPR, _TCPR, _GRID_BEFORE, _GRID_SPAN = W + "trPr", W + "tcPr", W + "gridBefore", W + "gridSpan"
_VMERGE, _HMERGE = W + "vMerge", W + "hMerge"
# Elements that only wrap block, row or cell content; their children are read in their place.
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"}
# Content that is not shown: deleted and moved-away revisions.
_HIDDEN = {W + "del", W + "moveFrom"}


def read_docx(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[RawTable, ...]:
    """Every table of a .docx file, in document order, named ``表1``, ``表2`` …"""
    check_size(len(data), name, limits)
    check_zip(data, name, limits).close()
    body = _open_body(data, name)
    walk = _Walk(Budget(name, limits))
    walk.blocks(body)
    if not walk.tables:
        raise UnreadableDocument(f"{name}: 文档中没有表格 (no table in the document)")
    stretches = [*walk.stretches, walk.current]
    around = assign_text(stretches, keep_after_last=True)
    return tuple(
        grid_table(
            cells,
            name=f"表{number}",
            source_name=name,
            kind="docx",
            before=before,
            after=after,
        )
        for number, (cells, (before, after)) in enumerate(zip(walk.tables, around, strict=True), 1)
    )


def _open_body(data: bytes, name: str) -> etree._Element:
    from docx import Document as open_document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        document = open_document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError):
        raise UnreadableDocument(
            f"{name}: 不是有效的 Word（.docx）文档 (not a valid .docx file)"
        ) from None
    body: etree._Element = document.element.body
    return body


@dataclass
class _Walk:
    """Reads block content in order: paragraphs become text lines, tables become grids."""

    budget: Budget
    tables: list[list[Placed]] = field(default_factory=list)
    stretches: list[list[TextLine]] = field(default_factory=list)
    current: list[TextLine] = field(default_factory=list)
    paragraphs: int = 0

    def blocks(self, parent: etree._Element) -> None:
        for element in _content(parent, (_P, _TBL)):
            if element.tag == _P:
                self.paragraph(element)
            elif (frame := _frame_cell(element)) is not None:
                self.blocks(frame)
            else:
                self.tables.append(_table_cells(element, len(self.tables) + 1, self.budget))
                self.stretches.append(self.current)
                self.current = []

    def paragraph(self, p: etree._Element) -> None:
        self.budget.cell()
        text = cell_text(p)
        if text:
            self.paragraphs += 1
            self.current.append(TextLine(text, f"第{self.paragraphs}段"))


def _content(parent: etree._Element, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """Children of ``parent`` with one of ``tags``, looking through wrapper elements."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _content(child, tags)


def _frame_cell(tbl: etree._Element) -> etree._Element | None:
    """The one cell of a one-cell table that holds tables (a frame around content), else None."""
    cells = [tc for tr in _content(tbl, (_TR,)) for tc in _content(tr, (_TC,))]
    if len(cells) == 1 and next(_content(cells[0], (_TBL,)), None) is not None:
        return cells[0]
    return None


def cell_text(element: etree._Element) -> str:
    """The visible text of a paragraph or cell: paragraphs and line breaks joined as wrapping."""
    from lxml import etree

    lines: list[str] = []
    line: list[str] = []
    walker = etree.iterwalk(element, events=("start",))
    for _, node in walker:
        tag = node.tag
        if tag in _HIDDEN:
            walker.skip_subtree()
        elif tag == _T:
            line.append(node.text or "")
        elif tag == _TAB:
            line.append(" ")
        elif tag in (_P, _BR, _CR):
            lines.append("".join(line))
            line = []
    lines.append("".join(line))
    return join_lines(part for raw in lines for part in split_lines(raw))


@dataclass
class _Open:
    """A cell that the next row may continue with ``w:vMerge``."""

    index: int
    colspan: int


def _table_cells(tbl: etree._Element, number: int, budget: Budget) -> list[Placed]:
    """The cells of one table with their true spans."""
    placed: list[Placed] = []
    open_cells: dict[int, _Open] = {}
    rows = list(_content(tbl, (_TR,)))
    for r, tr in enumerate(rows):
        col = _grid_before(tr)
        still_open: dict[int, _Open] = {}
        for tc in _content(tr, (_TC,)):
            budget.cell()
            span, merge, across = _cell_props(tc)
            if across == "continue" and placed and placed[-1].row == r:
                last = placed[-1]
                placed[-1] = Placed(
                    last.row, last.col, last.text, last.rowspan, last.colspan + span
                )
            elif merge == "continue" and (above := open_cells.get(col)) and above.colspan == span:
                cell = placed[above.index]
                placed[above.index] = Placed(
                    cell.row, cell.col, cell.text, cell.rowspan + 1, cell.colspan
                )
                still_open[col] = above
            else:
                placed.append(Placed(r, col, cell_text(tc), 1, span))
                if merge is not None:
                    still_open[col] = _Open(len(placed) - 1, span)
            col += span
        open_cells = still_open
    width = max((c.col + c.colspan for c in placed), default=0)
    check_extent(len(rows), width, f"表{number}", budget.limits)
    return placed


def _number(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _grid_before(tr: etree._Element) -> int:
    """Grid columns skipped before a row's first cell (``w:trPr/w:gridBefore``)."""
    props = tr.find(_TRPR)
    found = props.find(_GRID_BEFORE) if props is not None else None
    return max(_number(found.get(_VAL), 0), 0) if found is not None else 0


def _cell_props(tc: etree._Element) -> tuple[int, str | None, str | None]:
    """A cell's width in grid columns and its vertical and horizontal merge state: None, or
    ``restart`` / ``continue`` (``w:vMerge`` / ``w:hMerge`` without a value continue)."""
    span, down, across = 1, None, None
    props = tc.find(_TCPR)
    for child in props if props is not None else ():
        if child.tag == _GRID_SPAN:
            span = max(_number(child.get(_VAL), 1), 1)
        elif child.tag in (_VMERGE, _HMERGE):
            state = "restart" if child.get(_VAL) == "restart" else "continue"
            down, across = (state, across) if child.tag == _VMERGE else (down, state)
    return span, down, across
