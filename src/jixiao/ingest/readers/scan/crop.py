"""The crop of one cell of a page, for a person to compare with the text read from it.

A cell's box is in points on the page as the reader saw it: a scan turned upright (quarter
turns) and levelled (deskew). ``upright_page`` renders the page again exactly as the reader did
(``pages`` at 200 dpi, then ``reader.upright``: the same deterministic steps on the same
bytes) as a PNG, and ``cut`` cuts a box from that image with a small margin, so the crop shows
the very pixels the OCR read. A page of a text-layer PDF is already upright, and ``upright``
leaves it as it is. Turning a page upright takes a text detection (seconds), so a server keeps
the upright page and cuts every crop of the page from it. A crop is a PNG, scaled down when
larger than ``MAX_SIDE`` pixels.
"""

from __future__ import annotations

import io
from typing import Any

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import DEFAULT_LIMITS, Budget
from jixiao.ingest.readers.scan import engine
from jixiao.ingest.readers.scan.orient import Box, crop
from jixiao.ingest.readers.scan.pages import POINT, image_pages, render_pdf_page
from jixiao.ingest.readers.scan.reader import upright

MARGIN = 6.0  # points around the cell (2 mm): the rules and a little of the neighbours
MAX_SIDE = 1200  # pixels: the longest side of a crop sent to a browser


def _page(data: bytes, name: str, number: int) -> Any:
    from jixiao.ingest.readers.pdf_text import _open_pdfium
    from jixiao.ingest.readers.recognise import is_pdf

    if is_pdf(data, name):
        document = _open_pdfium(data, name)
        try:
            if not 1 <= number <= len(document):
                raise UnreadableDocument(f"{name}: 没有第{number}页 (no such page)")
            return render_pdf_page(document, number - 1, name).image
        finally:
            document.close()
    for page in image_pages(data, name, Budget(name, DEFAULT_LIMITS)):
        if page.number == number:
            return page.image
    raise UnreadableDocument(f"{name}: 没有第{number}页 (no such page)")


def _pixels(box: Box, margin: float) -> Box:
    x0, top, x1, bottom = box
    return (
        (x0 - margin) / POINT,
        (top - margin) / POINT,
        (x1 + margin) / POINT,
        (bottom + margin) / POINT,
    )


def _png(image: Any, longest: int | None = None) -> bytes:
    from PIL import Image

    picture = Image.fromarray(image)
    if longest is not None and max(picture.size) > longest:
        picture.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def upright_page(data: bytes, name: str, number: int) -> bytes:
    """Page ``number`` of the file as the reader saw it (upright, levelled, grey), a PNG."""
    engine.require(name)
    image, _ = upright(_page(data, name, number))
    return _png(image)


def cut(page_png: bytes, box: Box, margin: float = MARGIN) -> bytes:
    """The PNG of ``box`` (points) of an ``upright_page``, with ``margin`` around it."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(page_png)) as picture:
        image = np.array(picture.convert("L"))
    part = crop(image, _pixels(box, margin))
    if part.size == 0:
        raise UnreadableDocument("页面上没有这个位置 (box outside the page)")
    return _png(part, MAX_SIDE)


def cell_crop(data: bytes, name: str, number: int, box: Box, margin: float = MARGIN) -> bytes:
    """The PNG of ``box`` (points, on upright page ``number``) of the file, with ``margin``."""
    return cut(upright_page(data, name, number), box, margin)
