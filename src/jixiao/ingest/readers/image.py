"""Images of tables (PNG, JPEG, TIFF with every frame a page: scans, faxes, photos) → grid
``RawTable``\\ s by OCR (``scan.reader``, the extra ``jixiao[ocr]``), stitched over pages."""

from __future__ import annotations

from dataclasses import replace

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, Budget, ReadLimits
from jixiao.ingest.rawtable import RawTable
from jixiao.ingest.readers.pdf_page import Part
from jixiao.ingest.readers.pdf_stitch import group_parts, raw_table, stitch
from jixiao.ingest.readers.scan import engine
from jixiao.ingest.readers.scan.pages import image_pages
from jixiao.ingest.readers.scan.reader import scan_page

KIND = "image"


def read_image(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[RawTable, ...]:
    """Every table of every page of the image; one line when OCR is missing or finds none."""
    engine.require(name)
    budget = Budget(name, replace(limits, max_seconds=limits.max_scan_seconds))
    parts_by_page: list[list[Part]] = []
    for page in image_pages(data, name, budget):
        if page.number > limits.max_scan_pages:
            raise UnreadableDocument(
                f"{name}: 扫描页过多（超过 {limits.max_scan_pages} 页）(too many scanned pages)"
            )
        parts = scan_page(page, budget)
        if parts:
            parts_by_page.append(parts)
    if not parts_by_page:
        raise UnreadableDocument(f"{name}: 图片中没有找到表格 (no table found in the image)")
    return tuple(
        raw_table(stitch(group), name, budget, KIND) for group in group_parts(parts_by_page)
    )
