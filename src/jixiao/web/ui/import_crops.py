"""导入预览的单元格截图: the crop of a doubtful cell, cut from the uploaded page.

The preview names each doubtful cell by its page and box (points on the page as the reader
turned it upright and levelled it). ``/imports/crop`` renders that page of the kept upload
once, in a bounded child process like the reading (``upright_page_png``), keeps the image
beside the upload (``uploads.page_image``; confirming or cancelling deletes it), and cuts
each crop from it with a small margin, as a PNG at most ``crop.MAX_SIDE`` pixels a side.
It is authorized like the preview: the importing user's own kept upload, and the right to
import.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jixiao.errors import UnreadableDocument
from jixiao.ingest.readers.scan.crop import cut
from jixiao.ingest.readers.scan.pages import MAX_SIDE, POINT
from jixiao.services.errors import NotFound, ValidationFailed
from jixiao.services.imports.reader import upright_page_png
from jixiao.services.scope import Action, authorize
from jixiao.web.ui import uploads
from jixiao.web.ui.context import DB, User, ui_settings
from jixiao.web.ui.imports import PURPOSE

router = APIRouter()

MAX_PAGE = 10_000
PAGE_POINTS = MAX_SIDE * POINT  # the largest page side the reader renders, in points
MAX_CELL = 1_000.0  # points: a cell larger than this is not one a person retypes

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def parse_box(text: str) -> tuple[float, float, float, float]:
    """``x0,top,x1,bottom`` in points, within a page and no larger than ``MAX_CELL``."""
    try:
        x0, top, x1, bottom = (float(v) for v in text.split(","))
    except ValueError:
        raise ValidationFailed("单元格位置无效", fields={"box": "单元格位置无效"}) from None
    values = (x0, top, x1, bottom)
    inside = all(math.isfinite(v) and 0 <= v <= PAGE_POINTS for v in values)
    if not inside or not 0 < x1 - x0 <= MAX_CELL or not 0 < bottom - top <= MAX_CELL:
        raise ValidationFailed("单元格位置无效", fields={"box": "单元格位置无效"})
    return values


def _lock(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


def _upright(request: Request, kept: Path, page: int) -> bytes:
    """The upright image of ``page`` of the kept upload, rendered once per page."""
    image = uploads.page_image(kept, page)
    with _lock(image):
        if not image.is_file():
            png = upright_page_png(kept.read_bytes(), "upload", page, ui_settings(request))
            partial = image.with_suffix(".part")
            partial.write_bytes(png)
            partial.replace(image)
        return image.read_bytes()


@router.get("/imports/crop", name="import_crop")
def import_crop(
    request: Request,
    db: DB,
    user: User,
    sha: Annotated[str, Query(max_length=64)],
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)],
    box: Annotated[str, Query(max_length=120)],
) -> Response:
    authorize(db, user, Action.IMPORT)
    kept = uploads.pending(request, user, PURPOSE, sha)
    if kept is None:
        raise NotFound("待确认的文件已失效（已导入、已取消或已过期），请重新上传。")
    try:
        crop = cut(_upright(request, kept, page), parse_box(box))
    except UnreadableDocument as exc:
        raise ValidationFailed(str(exc), fields={"box": str(exc)}) from None
    return Response(crop, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})
