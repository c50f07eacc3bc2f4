"""Text-layer PDF → one RawTable per table, stitched over page breaks (pdfplumber + pypdfium2).

Each page is first asked by pypdfium2 whether it has a text layer (``count_chars``, 1–2 ms a
page); pages without one, or whose characters are ``(cid:…)`` codes or private-use glyphs (a
font without a Unicode map, an earlier bad OCR), are scans: until the scan reader exists they
are named in one line (``扫描页，需要 OCR（第N页）``) — a refusal when no page is readable, a
note on the tables otherwise. The rest is read by ``pdf_page`` (tables on one page) and
``pdf_stitch`` (tables over page breaks). Cells are grid cells with spans, ``ref`` like
``第2页 第3行第2列`` (the row and column as printed on that page), ``page`` and ``box``; the
text above a table (title, ``单位：万元``) and under its end come as one-cell rows spanning it.

Bounded by ``ReadLimits``: bytes, pages, cells and time, and a cap on the drawing objects of
one page (a crafted page cannot make the layout analysis run away).
"""

from __future__ import annotations

import io
from typing import Any

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, Budget, ReadLimits
from jixiao.ingest.rawtable import RawCell, RawRow, RawTable
from jixiao.ingest.readers.pdf_page import Part, TextLine, read_page
from jixiao.ingest.readers.pdf_stitch import StitchedTable, group_parts, stitch

KIND = "pdf_text"
MAX_PAGE_OBJECTS = 200_000
GARBAGE_SHARE = 0.3


def accepts(data: bytes, name: str) -> bool:
    """A PDF by its signature (``%PDF-`` within the first KiB, as readers allow)."""
    return b"%PDF-" in data[:1024]


def _pages_text(pages: list[int]) -> str:
    return "、".join(str(p) for p in pages)


def _open_pdfium(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocument(
                f"{name}: PDF 文件有密码保护，请去除密码后再导入 (password-protected PDF)"
            ) from None
        raise UnreadableDocument(f"{name}: PDF 文件已损坏，无法读取 (corrupt PDF)") from None


def _open_plumber(data: bytes, name: str) -> Any:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PdfminerException, PDFSyntaxError, PSException):
        raise UnreadableDocument(f"{name}: PDF 文件已损坏，无法读取 (corrupt PDF)") from None


def _object_count(page: Any) -> int:
    import pypdfium2.raw as pdfium_c

    return int(pdfium_c.FPDFPage_CountObjects(page.raw))


def _is_garbage(chars: list[dict[str, Any]]) -> bool:
    """Characters a font without a Unicode map leaves: ``(cid:12)`` or private-use code points."""
    visible = [c["text"] for c in chars if c["text"].strip()]
    if not visible:
        return True
    bad = sum(
        1 for t in visible if t.startswith("(cid:") or any("\ue000" <= ch <= "\uf8ff" for ch in t)
    )
    return bad > GARBAGE_SHARE * len(visible)


def read_pdf(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[RawTable, ...]:
    """Every table of a text-layer PDF; UnreadableDocument with one line when there is none."""
    if len(data) > limits.max_bytes:
        raise UnreadableDocument(
            f"{name}: 文件过大（{len(data) / (1024 * 1024):.1f} MB，上限 "
            f"{limits.max_bytes // (1024 * 1024)} MB）(file too large)"
        )
    budget = Budget(name, limits)
    document = _open_pdfium(data, name)
    try:
        count = len(document)
        if count > limits.max_pages:
            raise UnreadableDocument(
                f"{name}: 页数过多（{count} 页，上限 {limits.max_pages} 页）(too many pages)"
            )
        parts_by_page, scanned = _read_pages(data, name, document, budget)
    finally:
        document.close()
    if not any(parts_by_page):
        if scanned and len(scanned) == count:
            raise UnreadableDocument(
                f"{name}: 扫描页，需要 OCR（第{_pages_text(scanned)}页）(scanned pages, OCR needed)"
            )
        raise UnreadableDocument(f"{name}: PDF 中没有找到表格 (no table in the PDF)")
    notes: tuple[str, ...] = ()
    if scanned:
        notes = (
            f"扫描页，需要 OCR（第{_pages_text(scanned)}页），这些页未读取 "
            "(scanned pages skipped, OCR needed)",
        )
    groups = group_parts(parts_by_page)
    tables = []
    for i, group in enumerate(groups):
        table = _raw_table(stitch(group), name, budget)
        tables.append(table if i else _with_notes(table, notes))
    return tuple(tables)


def _with_notes(table: RawTable, notes: tuple[str, ...]) -> RawTable:
    if not notes:
        return table
    return RawTable(
        rows=table.rows,
        source_name=table.source_name,
        line_count=table.line_count,
        reader=table.reader,
        notes=notes,
        kind=table.kind,
        grid=True,
        name=table.name,
    )


def _read_pages(
    data: bytes, name: str, document: Any, budget: Budget
) -> tuple[list[list[Part]], list[int]]:
    parts_by_page: list[list[Part]] = []
    scanned: list[int] = []
    plumber = None
    try:
        for index in range(len(document)):
            budget.page()
            page_no = index + 1
            page = document[index]
            try:
                has_text = page.get_textpage().count_chars() > 0
                objects = _object_count(page)
            finally:
                page.close()
            if not has_text:
                scanned.append(page_no)
                continue
            if objects > MAX_PAGE_OBJECTS:
                raise UnreadableDocument(
                    f"{name}: 第{page_no}页的图形对象过多（{objects}）(page too complex)"
                )
            plumber = plumber or _open_plumber(data, name)
            found = _read_plumber_page(plumber.pages[index], page_no)
            if found is None:
                scanned.append(page_no)
            else:
                parts_by_page.append(found)
                budget.cell(sum(len(p.cells) for p in found))
    finally:
        if plumber is not None:
            plumber.close()
    return parts_by_page, scanned


def _read_plumber_page(page: Any, page_no: int) -> list[Part] | None:
    """The tables of one page, or None for a page whose text layer is unreadable."""
    try:
        chars = page.chars
        if _is_garbage(chars):
            return None
        found = read_page(page, page_no, chars)
    finally:
        page.close()
    return found.parts


def _raw_table(table: StitchedTable, name: str, budget: Budget) -> RawTable:
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
        reader=KIND,
        kind=KIND,
        grid=True,
        name=f"第{first}页" if first == last else f"第{first}–{last}页",
    )
