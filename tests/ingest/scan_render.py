"""Tables printed and scanned: PDFs drawn by ``pdf_render`` rasterised at 200 dpi, then damaged
the way scanners, faxes and office stamps damage them, and saved as image files or image PDFs.

``Damage`` holds the choices (drawn by ``damages()``): a skew up to 2°, a grey or yellowed
background, Gaussian blur, speckle (one-pixel noise, or specks as big as a full stop),
JPEG artefacts, a red seal stamped over part of the table
(printed ink stays black under it, as under a real stamp), and the page turned 90°, 180° or
270°. ``scanned(pdf, damage)`` gives the damaged page images; ``as_png``, ``as_jpeg``,
``as_tiff`` (every page a frame) and ``as_image_pdf`` (no text layer) save them.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import pypdfium2 as pdfium
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

DPI = 200
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei


@dataclass(frozen=True)
class Damage:
    skew: float = 0.0  # degrees, counter-clockwise
    background: int = 255  # paper grey level
    blur: float = 0.0  # Gaussian radius, pixels
    speckle: int = 0  # dots per page
    dust: int = 0  # largest speck radius: 0 is one pixel (a scanner's noise), 1 is 3 pixels
    jpeg: int | None = None  # quality; None keeps the image lossless
    seal: bool = False
    turns: int = 0  # quarter turns counter-clockwise
    seed: int = 0


@st.composite
def damages(draw: st.DrawFn, turns: bool = True, heavy: bool = False) -> Damage:
    """Scan damage; ``heavy`` adds specks as big as a printed full stop (which no reader can
    tell from one: the amounts they touch must then be flagged, not silently wrong)."""
    return Damage(
        skew=draw(st.floats(-2.0, 2.0)),
        background=draw(st.sampled_from([255, 235, 215])),
        blur=draw(st.sampled_from([0.0, 0.5, 0.8])),
        speckle=draw(st.sampled_from([0, 300, 1500])),
        jpeg=draw(st.sampled_from([None, 75, 50])),
        seal=draw(st.booleans()),
        dust=draw(st.sampled_from([0, 1])) if heavy else 0,
        turns=draw(st.sampled_from([0, 1, 2, 3])) if turns else 0,
        seed=draw(st.integers(0, 2**16)),
    )


def rasterise(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=DPI / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def _seal(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A red round stamp (ring, star, words) on white, somewhere over the table's body."""
    layer = Image.new("RGB", size, "white")
    pen = ImageDraw.Draw(layer)
    radius = 110
    cx = rng.randint(radius + 20, max(radius + 21, size[0] - radius - 20))
    cy = rng.randint(size[1] // 3, max(size[1] // 3 + 1, size[1] - radius - 20))
    red = (220, 40, 40)
    pen.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=7)
    star = [
        (
            cx + (30 if i % 2 == 0 else 12) * math.sin(i * math.pi / 5),
            cy - (30 if i % 2 == 0 else 12) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    pen.polygon(star, fill=red)
    font = ImageFont.truetype(FONT, 26)
    pen.text((cx - 52, cy + 40), "财务专用章", font=font, fill=red)
    return layer


def damaged(page: Image.Image, damage: Damage) -> Image.Image:
    rng = random.Random(damage.seed)
    image = page
    if damage.background < 255:
        level = damage.background
        paper = Image.new("RGB", image.size, (level, level, max(0, level - 15)))
        image = ImageChops.multiply(image, paper)
    if damage.seal:
        image = ImageChops.multiply(image, _seal(image.size, rng))
    if damage.skew:
        fill = (damage.background,) * 3
        image = image.rotate(damage.skew, Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    if damage.blur:
        image = image.filter(ImageFilter.GaussianBlur(damage.blur))
    if damage.speckle:
        pen = ImageDraw.Draw(image)
        for _ in range(damage.speckle):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            r = rng.randint(0, damage.dust)
            pen.ellipse((x - r, y - r, x + r, y + r), fill=(40, 40, 40))
    if damage.turns:
        image = image.rotate(90 * damage.turns, expand=True)
    if damage.jpeg is not None:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=damage.jpeg)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def scanned(pdf: bytes, damage: Damage) -> list[Image.Image]:
    return [damaged(page, damage) for page in rasterise(pdf)]


def _saved(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def as_png(images: list[Image.Image]) -> bytes:
    return _saved(images[0], "PNG")


def as_jpeg(images: list[Image.Image]) -> bytes:
    return _saved(images[0], "JPEG", quality=90)


def as_tiff(images: list[Image.Image]) -> bytes:
    return _saved(
        images[0], "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw"
    )


def as_image_pdf(images: list[Image.Image]) -> bytes:
    return _saved(images[0], "PDF", save_all=True, append_images=images[1:], resolution=DPI)
