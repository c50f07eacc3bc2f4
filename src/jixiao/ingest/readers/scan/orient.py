"""A page turned upright: a skew of a few degrees and quarter turns (90°, 180°, 270°) undone.

- ``deskew``: the small angle (±``MAX_SKEW``°) at which the rows of ink are sharpest (largest
  variance of the row sums of the binarised page; a coarse then a fine search) is undone;
- ``quarter_turns``: text lines are wider than tall on an upright page, so a page whose
  detected lines stand is turned 90° or 270°; which of a turn and its opposite (0° or 180°
  too) is upright, the direction classifier says of the page's longest lines.
"""

from __future__ import annotations

from typing import Any

from jixiao.ingest.readers.scan import engine

Box = tuple[float, float, float, float]

MAX_SKEW = 4.0  # degrees
SPECK = 4  # pixels: dust on the glass, smaller than a printed full stop at 200 dpi
SAMPLE_LINES = 9
PROBE_SIDE = 1000  # pixels: the page is scaled to this for the angle search


def binarise(image: Any) -> Any:
    """Ink as 255 on 0, by Otsu's threshold (a grey or yellowed background drops out)."""
    import cv2

    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def clean(image: Any) -> Any:
    """``image`` on white paper: everything nearer the paper's grey than the ink's (a grey or
    yellowed background, a seal in colour, show-through) painted white, and specks of ink no
    bigger than ``SPECK`` pixels painted out. Faint rules (blurred, thin) stay."""
    import cv2
    import numpy as np

    level, _ = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    paper = float(np.median(image))
    cut = (level + paper) / 2 if paper > level else level
    ink = (image <= cut).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= SPECK
    small[0] = False
    out = image.copy()
    out[(image > cut) | small[labels]] = 255
    return out


def _rotate(image: Any, degrees: float, fill: int) -> Any:
    import cv2

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(
        image,
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )


def _sharpness(ink: Any, degrees: float) -> float:
    rows = _rotate(ink, degrees, 0).sum(axis=1, dtype="float64")
    return float(rows.var())


def _small(image: Any) -> Any:
    import cv2

    height, width = image.shape[:2]
    scale = PROBE_SIDE / max(height, width)
    if scale >= 1:
        return image
    size = (round(width * scale), round(height * scale))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def skew_angle(image: Any) -> float:
    """The angle (degrees, counter-clockwise) to rotate ``image`` by to level its rows."""
    ink = binarise(_small(image))
    steps = [i * 0.5 - MAX_SKEW for i in range(int(2 * MAX_SKEW / 0.5) + 1)]
    best = max(steps, key=lambda a: _sharpness(ink, a))
    fine = [best + i * 0.05 for i in range(-10, 11)]
    return max(fine, key=lambda a: _sharpness(ink, a))


def deskew(image: Any) -> tuple[Any, float]:
    """``image`` levelled, and the angle it was turned by (0 when already level)."""
    angle = skew_angle(image)
    if abs(angle) < 0.05:
        return image, 0.0
    return _rotate(image, angle, 255), angle


def crop(image: Any, box: Box, pad: int = 0) -> Any:
    height, width = image.shape[:2]
    x0, top, x1, bottom = (round(v) for v in box)
    return image[
        max(0, top - pad) : min(height, bottom + pad), max(0, x0 - pad) : min(width, x1 + pad)
    ]


def _single_lines(boxes: list[Box], across: int) -> list[Box]:
    """The longest boxes no thicker than one line (detection joins close lines at times)."""
    if not boxes:
        return []
    thickness = sorted(b[across + 2] - b[across] for b in boxes)
    line = thickness[len(thickness) // 2]
    single = [b for b in boxes if b[across + 2] - b[across] <= 1.5 * line]
    return sorted(single, key=lambda b: -(b[3 - across] - b[1 - across]))


def quarter_turns(image: Any, boxes: list[Box]) -> int:
    """How many quarter turns counter-clockwise (``numpy.rot90``'s k) make ``image`` upright,
    from the text-line ``boxes`` detected on it as it is."""
    import numpy as np

    wide = [b for b in boxes if b[2] - b[0] > 2 * (b[3] - b[1])]
    tall = [b for b in boxes if b[3] - b[1] > 2 * (b[2] - b[0])]
    standing = len(tall) > len(wide)
    lines = _single_lines(tall if standing else wide, 0 if standing else 1)
    crops = [crop(image, b) for b in lines[:SAMPLE_LINES]]
    crops = [c for c in crops if c.size]
    if not crops:
        return 0
    if not standing:
        return 2 if 2 * engine.upside_down(crops) > len(crops) else 0
    turned = [np.ascontiguousarray(np.rot90(c, 1)) for c in crops]
    return 3 if 2 * engine.upside_down(turned) > len(turned) else 1


def turn_boxes(boxes: list[Box], width: int, height: int) -> list[Box]:
    """``boxes`` on a page of ``width`` × ``height`` as they sit after turning it 180°."""
    return [(width - x1, height - y1, width - x0, height - y0) for x0, y0, x1, y1 in boxes]
