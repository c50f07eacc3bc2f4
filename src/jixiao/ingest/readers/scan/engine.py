"""The OCR engine (rapidocr with onnxruntime; models ship inside the wheel, so no network).

Built once per process and shared: ``detect`` finds text-line boxes on an image,
``recognise`` reads a batch of line crops into (text, score) pairs. Without the extra
installed, ``require`` raises one line naming it.
"""

from __future__ import annotations

import threading
from typing import Any

from jixiao.errors import UnreadableDocument

MISSING = "扫描件需要 OCR 组件，请先安装：pip install 'jixiao[ocr]' (OCR extra not installed)"
# ``limit_type: max`` keeps small crops small (the default scales every crop up to 736 px).
PARAMS = {
    "Global.log_level": "error",
    "Global.use_cls": False,
    "Det.limit_type": "max",
    "Det.limit_side_len": 1600,
    "Rec.rec_batch_num": 6,
}
BATCH = 6

_lock = threading.Lock()  # building the engine
_calls = threading.Lock()  # rapidocr keeps per-call switches on the engine: one call at a time
_engine: Any = None


def available() -> bool:
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def require(name: str) -> None:
    """Raise the one-line refusal naming the extra when OCR is not installed."""
    if not available():
        raise UnreadableDocument(f"{name}: {MISSING}")


def engine() -> Any:
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr import RapidOCR

            _engine = RapidOCR(params=PARAMS)
        return _engine


def _colour(image: Any) -> Any:
    """The three-channel image the models take (pages are kept grey)."""
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def detect(image: Any) -> list[tuple[float, float, float, float]]:
    """Axis-aligned boxes (x0, top, x1, bottom) of the text lines found on ``image``."""
    ocr = engine()
    with _calls:
        out = ocr(_colour(image), use_det=True, use_cls=False, use_rec=False)
    if out.boxes is None:
        return []
    boxes = []
    for quad in out.boxes:
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _same_shape(crops: list[Any]) -> list[Any]:
    """The crops padded with white on the right so that each batch the recogniser makes
    (``BATCH`` crops of similar shape) has one shape: it pads the narrower ones of a batch
    with grey itself, and reads a short line among long ones badly (``》。`` as ``。``)."""
    import cv2

    ratio = [c.shape[1] / max(1, c.shape[0]) for c in crops]
    order = sorted(range(len(crops)), key=lambda i: ratio[i])
    out = list(crops)
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]
        widest = max(ratio[i] for i in chunk)
        for i in chunk:
            height, width = crops[i].shape[:2]
            extra = int(height * widest) - width
            if extra > 0:
                out[i] = cv2.copyMakeBorder(
                    crops[i], 0, 0, 0, extra, cv2.BORDER_CONSTANT, value=(255, 255, 255)
                )
    return out


def recognise(crops: list[Any]) -> list[tuple[str, float]]:
    """Each crop (one text line) read: its text and the model's score in [0, 1]."""
    if not crops:
        return []
    ocr = engine()
    padded = _same_shape([_colour(c) for c in crops])
    with _calls:
        out = ocr.recognize_txt(padded)
    return [(str(t), float(s)) for t, s in zip(out.txts, out.scores, strict=True)]


def upside_down(crops: list[Any]) -> int:
    """How many of ``crops`` (text lines) the direction classifier reads as turned 180°."""
    if not crops:
        return 0
    ocr = engine()
    with _calls:
        out = ocr._load_cls_model()([_colour(c) for c in crops])
    return sum(1 for label, _ in out.cls_res if label == "180")
