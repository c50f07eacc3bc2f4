"""An input's pages as grey images at 200 dpi: PDF pages rendered with pypdfium2, images (PNG,
JPEG, TIFF, every frame of a multi-page TIFF) decoded with Pillow. Bounded: pages, pixels."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jixiao.errors import UnreadableDocument
from jixiao.ingest.limits import Budget

DPI = 200
POINT = 72.0 / DPI  # PDF points per pixel at DPI
MAX_PIXELS = 60_000_000  # one page: A0 at 200 dpi is 46 Mpx
MAX_SIDE = 12_000
RED = 40  # red minus the larger of green and blue: more is a seal's ink
LONGEST = 3_400  # pixels: A3 at 200 dpi


@dataclass
class Page:
    number: int  # 1-based
    image: Any  # numpy uint8 array, grey, at DPI


def lightest(rgb: Any) -> Any:
    """Grey as the lightest channel of each pixel: black print stays black, a red seal or blue
    ink over it turns pale and drops out when the page is binarised. Reddish pixels (a seal's
    thin strokes, greyed by JPEG's coarse colour) are paper outright."""
    import numpy as np

    grey = rgb.max(axis=2)
    channels = rgb.astype(np.int16)
    reddish = channels[:, :, 0] - np.maximum(channels[:, :, 1], channels[:, :, 2]) > RED
    grey[reddish] = 255
    return grey


def _check_pixels(width: int, height: int, name: str, number: int) -> None:
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise UnreadableDocument(
            f"{name}: 第{number}页图像过大（{width}×{height} 像素）(page image too large)"
        )


def render_pdf_page(document: Any, index: int, name: str) -> Page:
    """Page ``index`` (0-based) of an open pypdfium2 document at ``DPI``."""
    import numpy as np

    page = document[index]
    try:
        width, height = page.get_size()
        scale = DPI / 72.0
        _check_pixels(int(width * scale), int(height * scale), name, index + 1)
        bitmap = page.render(scale=scale)
        image = lightest(np.array(bitmap.to_pil().convert("RGB")))
    finally:
        page.close()
    return Page(index + 1, image)


def image_pages(data: bytes, name: str, budget: Budget) -> Iterator[Page]:
    """Every frame of an image file, grey; photos larger than an A3 page at ``DPI`` scaled down."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        for number, frame in enumerate(ImageSequence.Iterator(image), 1):
            budget.page()
            _check_pixels(frame.width, frame.height, name, number)
            grey = Image.fromarray(lightest(np.array(frame.convert("RGB"))))
            longest = max(grey.width, grey.height)
            if longest > LONGEST:  # a photo: bring it near a page at DPI
                scale = LONGEST / longest
                size = (round(grey.width * scale), round(grey.height * scale))
                grey = grey.resize(size, Image.Resampling.LANCZOS)
            yield Page(number, np.array(grey))
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise UnreadableDocument(f"{name}: 图片已损坏，无法读取 (corrupt image)") from None
