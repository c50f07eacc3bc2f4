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
import re
import unicodedata
from dataclasses import replace
from typing import Any

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, Budget, ReadLimits
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers.pdf_page import Part, cell_text, read_page
from jixiao.ingest.readers.pdf_stitch import group_parts, raw_table, stitch
from jixiao.ingest.readers.scan import engine
from jixiao.ingest.readers.scan.pages import render_pdf_page
from jixiao.ingest.readers.scan.reader import scan_page

KIND = "pdf_text"
SCAN_KIND = "pdf_scan"
MAX_PAGE_OBJECTS = 200_000
GARBAGE_SHARE = 0.3
SCAN_SHARE = 0.5  # of the page an image must cover to make it a scan
# A number come apart in the text layer: digits split by a space, a thousands comma turned
# into a point, a decimal point set apart after the digits (``90 00``, ``1.714.44``,
# ``90 00 .``). Not two amounts side by side (``90.0090.00``), a section number (``1.2.3``)
# or a numbered item (``1.``): those are what was printed.
_BROKEN_NUMBER = re.compile(
    r"^[\d,]*\d[ \n]+\d[\d,.]*$|^\d{1,3}(?:\.\d{3})+\.\d+$|^[\d,. \n]*\d[ \n]+\.$"
)


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
        by_page, scanned = _read_pages(data, name, document, budget)
        if len(scanned) > limits.max_scan_pages:
            raise UnreadableDocument(
                f"{name}: 扫描页过多（{len(scanned)} 页，上限 {limits.max_scan_pages} 页）"
                "(too many scanned pages)"
            )
        if scanned and engine.available():
            budget.limits = replace(budget.limits, max_seconds=limits.max_scan_seconds)
            for number in scanned:
                budget.clock()
                by_page[number] = scan_page(render_pdf_page(document, number - 1, name), budget)
            ocr_pages, scanned = set(scanned), []
        else:
            ocr_pages = set()
    finally:
        document.close()
    parts_by_page = [by_page[number] for number in sorted(by_page) if by_page[number]]
    if not parts_by_page:
        if scanned and len(scanned) == count:
            raise UnreadableDocument(
                f"{name}: 扫描页，需要 OCR（第{_pages_text(scanned)}页）；{engine.MISSING}"
            )
        raise UnreadableDocument(f"{name}: PDF 中没有找到表格 (no table in the PDF)")
    notes: tuple[str, ...] = ()
    if scanned:
        notes = (f"扫描页，需要 OCR（第{_pages_text(scanned)}页），这些页未读取；{engine.MISSING}",)
    groups = group_parts(parts_by_page)
    tables = []
    for i, group in enumerate(groups):
        kind = SCAN_KIND if any(p.page in ocr_pages for p in group) else KIND
        table = raw_table(stitch(group), name, budget, kind)
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
) -> tuple[dict[int, list[Part]], list[int]]:
    """The tables of each page with a usable text layer, and the pages that need OCR."""
    parts_by_page: dict[int, list[Part]] = {}
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
                parts_by_page[page_no] = found
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
        if _numbers_come_apart(found.parts) or (not found.parts and _is_a_scan(page)):
            return None
    finally:
        page.close()
    return found.parts


def _is_a_scan(page: Any) -> bool:
    """An image covering most of the page: a scan, whatever text layer lies over it (an
    earlier OCR's, often without the table's structure)."""
    area = float(page.width * page.height) or 1.0
    return any(
        (image["x1"] - image["x0"]) * (image["bottom"] - image["top"]) >= SCAN_SHARE * area
        for image in page.images
    )


def _numbers_come_apart(parts: list[Part]) -> bool:
    """Whether the page's cells hold numbers the text layer broke (``90 00``, ``1.714.44``)."""
    for part in parts:
        for cell in part.cells:
            text = unicodedata.normalize("NFKC", cell_text(cell.chars, cell.box)).strip()
            if _BROKEN_NUMBER.match(text):
                return True
    return False
