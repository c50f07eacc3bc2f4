"""指标库 as Excel on the pages: download it; upload one → preview → confirm (管理员, 财政审核).

Between preview and confirmation the uploaded bytes wait as ``web.ui.uploads`` keeps them (as
for table imports); the preview's token goes with the
confirmation, so a preview the library has moved past since is refused (409) and the file is
deleted once imported (a second confirmation finds nothing to confirm).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.services.errors import AppError
from jixiao.services.library import book
from jixiao.services.scope import Action, authorize
from jixiao.web.downloads import download
from jixiao.web.limits import BodyTooLarge, size_text
from jixiao.web.ui import uploads
from jixiao.web.ui.context import DB, User, ui_settings
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()

PURPOSE = "library-"
ACCEPT = ".xlsx,.xlsm,.xls,.ods"
GONE = "待确认的文件已失效（已导入、已取消或已过期），请重新上传。"


def _form(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    limit = size_text(ui_settings(request).max_upload_bytes)
    context = {"nav": "library", "error": error, "limit": limit, "accept": ACCEPT}
    return render(request, "library/book.html", context, status_code=status_code)


@router.get("/library/book/export", name="library_book_export")
def library_book_export(db: DB, user: User) -> Response:
    data = book.export_book(db, user)
    return download(data, "xlsx", book.BOOK_FILENAME, "indicator-library.xlsx")


@router.get("/library/book/upload", name="library_book_form")
def library_book_form(request: Request, db: DB, user: User) -> Response:
    authorize(db, user, Action.CURATE_LIBRARY)
    return _form(request)


@router.post("/library/book/preview", name="library_book_preview")
async def library_book_preview(request: Request, db: DB, user: User) -> Response:
    limit = ui_settings(request).max_upload_bytes
    too_large = f"文件过大：指标库文件不能超过 {size_text(limit)}。"
    try:
        form = await request.form()
    except BodyTooLarge:
        return _form(request, too_large, 413)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _form(request, "请选择要导入的指标库文件。", 422)
    try:
        data = await uploads.read_limited(upload, limit)
    except uploads.TooLarge:
        return _form(request, too_large, 413)
    filename = uploads.clean_name(upload.filename, "指标库.xlsx")
    try:
        preview = await run_in_threadpool(book.preview_book, db, user, data, filename)
    except AppError as exc:
        return _form(request, f"无法导入“{filename}”：{exc.message}", exc.status_code)
    uploads.keep(request, user, PURPOSE, data)
    context = {"nav": "library", "pv": preview}
    return render(request, "library/book_preview.html", context)


@router.post("/library/book/confirm", name="library_book_confirm")
def library_book_confirm(
    request: Request,
    db: DB,
    user: User,
    sha: Annotated[str, Form(max_length=64)],
    token: Annotated[str, Form(max_length=64)],
    filename: Annotated[str, Form(max_length=300)],
) -> Response:
    path = uploads.pending(request, user, PURPOSE, sha)
    if path is None:
        return _form(request, GONE, 410)
    try:
        result = book.apply_book(
            db, user, path.read_bytes(), uploads.clean_name(filename, "指标库.xlsx"), token
        )
    except AppError as exc:
        db.rollback()
        return _form(request, exc.message, exc.status_code)
    path.unlink(missing_ok=True)
    target = page_url(request, "library_index")
    query = f"?created={result.created}&updated={result.updated}"
    return RedirectResponse(target + query, status_code=303)


@router.post("/library/book/cancel", name="library_book_cancel")
def library_book_cancel(
    request: Request, user: User, sha: Annotated[str, Form(max_length=64)] = ""
) -> Response:
    path = uploads.pending(request, user, PURPOSE, sha)
    if path is not None:
        path.unlink(missing_ok=True)
    return RedirectResponse(page_url(request, "library_index"), status_code=303)
