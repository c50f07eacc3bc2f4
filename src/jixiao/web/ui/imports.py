"""导入: upload a table → preview (projects, amounts, repairs, warnings, findings) → confirm.

Between preview and confirmation the uploaded bytes wait as ``web.ui.uploads`` keeps them;
confirming reads them back and applies the import in one transaction, cancelling deletes them.
Files over ``max_upload_bytes`` are refused before they are read (``web.limits``).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.ingest.corrections import MAX_REF, MAX_TEXT
from jixiao.services.errors import AppError, SelfEvaluationUpload, ValidationFailed
from jixiao.services.evaluations import published
from jixiao.services.imports import service as imports
from jixiao.services.imports.reader import (
    accepted_extensions,
    accepted_labels,
    isolated_reader,
    read_upload,
)
from jixiao.services.scope import Action, authorize
from jixiao.web.limits import BodyTooLarge, size_text
from jixiao.web.ui import uploads
from jixiao.web.ui.context import DB, User, small_int, ui_settings
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()

PURPOSE = ""


def _form_page(request: Request, error: str | None = None, **values: str) -> dict[str, object]:
    limit = ui_settings(request).max_upload_bytes
    return {
        "nav": "imports",
        "error": error,
        "limit": size_text(limit),
        "values": values,
        "accept": accepted_extensions(),
        "kinds": accepted_labels(),
    }


@router.get("/imports", name="import_form")
def import_form(request: Request, db: DB, user: User) -> Response:
    authorize(db, user, Action.IMPORT)
    return render(request, "imports/upload.html", _form_page(request))


def _too_large(request: Request) -> Response:
    limit = size_text(ui_settings(request).max_upload_bytes)
    context = _form_page(request, f"文件过大：导入文件不能超过 {limit}。请拆分后分别导入。")
    return render(request, "imports/upload.html", context, status_code=413)


@router.post("/imports/preview", name="import_preview")
async def import_preview(request: Request, db: DB, user: User) -> Response:
    limit = ui_settings(request).max_upload_bytes
    try:
        form = await request.form()
    except BodyTooLarge:
        return _too_large(request)
    upload, year, department = (
        form.get("file"),
        str(form.get("year", "")),
        str(form.get("department", "")),
    )
    if not isinstance(upload, UploadFile) or not upload.filename:
        context = _form_page(request, "请选择要导入的文件。", year=year, department=department)
        return render(request, "imports/upload.html", context, status_code=422)
    try:
        data = await uploads.read_limited(upload, limit)
    except uploads.TooLarge:
        return _too_large(request)
    filename = uploads.clean_name(upload.filename, "upload.txt")
    wanted = imports.Upload(data, filename, small_int(year, 9999), department.strip() or None)
    try:
        reader = isolated_reader(ui_settings(request))
        try:
            preview = await run_in_threadpool(imports.preview_import, db, user, wanted, reader)
        except SelfEvaluationUpload as found:
            matching = published.match_published(
                db, user, found.evaluations, wanted.year, wanted.department
            )
            sha = uploads.keep(request, user, PURPOSE, data)
            context = _selfeval_context(matching, sha, filename, year, department)
            return render(request, "imports/selfeval_preview.html", context)
    except AppError as exc:
        context = _form_page(
            request,
            f"无法导入“{filename}”：{page_message(exc.message, filename)}",
            year=year,
            department=department,
        )
        return render(request, "imports/upload.html", context, status_code=exc.status_code)
    sha = uploads.keep(request, user, PURPOSE, data)
    context = {
        "nav": "imports",
        "preview": preview,
        "sha": sha,
        "filename": filename,
        "year": year,
        "department": department,
    }
    return render(request, "imports/preview.html", context)


ENGLISH_GLOSS = re.compile(r"\s*\([A-Za-z][A-Za-z0-9 ,.;:'/-]*\)\s*$")


def page_message(message: str, filename: str) -> str:
    """A reader's message for a page that already names the file: without the file name
    prefix and without the English gloss the command line keeps."""
    for prefix in (f"{filename}: ", f"{filename}："):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return ENGLISH_GLOSS.sub("", message)


@router.post("/imports/confirm", name="import_confirm")
def import_confirm(
    request: Request,
    db: DB,
    user: User,
    sha: Annotated[str, Form(max_length=64)],
    filename: Annotated[str, Form(max_length=300)],
    year: Annotated[str, Form(max_length=4)] = "",
    department: Annotated[str, Form(max_length=200)] = "",
    skip_locked: Annotated[bool, Form()] = False,
    allow_incomplete: Annotated[bool, Form()] = False,
    cell_ref: Annotated[list[str] | None, Form(max_length=MAX_REF)] = None,
    cell_text: Annotated[list[str] | None, Form(max_length=MAX_TEXT)] = None,
) -> Response:
    path = uploads.pending(request, user, PURPOSE, sha)
    if path is None:
        context = _form_page(request, "待确认的文件已失效（已导入、已取消或已过期），请重新上传。")
        return render(request, "imports/upload.html", context, status_code=410)
    upload = imports.Upload(
        path.read_bytes(),
        uploads.clean_name(filename, "upload.txt"),
        small_int(year, 9999),
        department.strip() or None,
        allow_incomplete,
        corrections(cell_ref or [], cell_text or []),
    )
    reader = isolated_reader(ui_settings(request))
    result = imports.apply_import(db, user, upload, reader, skip_locked=skip_locked)
    uploads.discard(path)
    return render(
        request,
        "imports/done.html",
        {"nav": "imports", "result": result, "filename": upload.filename},
    )


def corrections(refs: list[str], texts: list[str]) -> dict[str, str]:
    """The preview's cell fields (``cell_ref`` beside ``cell_text``, in pairs) as ref → text;
    the file is read again on confirmation and only texts that differ become repairs."""
    if len(refs) != len(texts):
        raise ValidationFailed("更正的单元格无效，请重新预览", fields={"cell_text": "无效"})
    return imports.corrections(zip(refs, texts, strict=True), "cell_text")


def _selfeval_context(
    matching: published.Matching, sha: str, filename: str, year: str, department: str
) -> dict[str, object]:
    rows = [
        {"ev": ev, "match": match, "new": published.project_of(ev) if match is None else None}
        for ev, match in zip(matching.evaluations, matching.matches, strict=True)
    ]
    return {
        "nav": "imports",
        "m": matching,
        "rows": rows,
        "matched": sum(1 for m in matching.matches if m is not None),
        "sha": sha,
        "filename": filename,
        "year": year,
        "department": department,
    }


def _targets(form: dict[str, str], count: int) -> list[int | None]:
    """The project chosen for each evaluation (``target-<i>``; empty: not imported)."""
    return [small_int(form.get(f"target-{i}", "")) for i in range(count)]


def _creations(form: dict[str, str], count: int) -> list[bool]:
    """Whether the person asked to create the project of each evaluation (``create-<i>``
    ticked; the preview offers it only where no project matched; unticked by default)."""
    return [form.get(f"create-{i}", "") == "1" for i in range(count)]


@router.post("/imports/confirm-selfeval", name="import_confirm_selfeval")
async def import_confirm_selfeval(request: Request, db: DB, user: User) -> Response:
    """Attach the previewed self-evaluations to the chosen projects, creating the projects
    the person asked for from their evaluations, all in one transaction."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    path = uploads.pending(request, user, PURPOSE, form.get("sha", ""))
    if path is None:
        context = _form_page(request, "待确认的文件已失效（已导入、已取消或已过期），请重新上传。")
        return render(request, "imports/upload.html", context, status_code=410)
    filename = uploads.clean_name(form.get("filename", ""), "upload.txt")
    reader = isolated_reader(ui_settings(request))
    try:
        await run_in_threadpool(read_upload, path.read_bytes(), filename, reader)
    except SelfEvaluationUpload as found:
        evaluations = found.evaluations
    else:
        raise ValidationFailed(f"“{filename}”不是绩效自评表，请重新上传")
    year = small_int(form.get("year", ""), 9999)
    department = form.get("department", "").strip()[:200] or None
    matching = published.match_published(db, user, evaluations, year, department)
    count = len(matching.evaluations)
    source = imports.Upload(path.read_bytes(), filename, year, department)
    attached = published.attach_matched(
        db, user, matching, _targets(form, count), _creations(form, count), source
    )
    uploads.discard(path)
    context = {"nav": "imports", "attached": attached, "m": matching, "filename": filename}
    return render(request, "imports/selfeval_done.html", context)


@router.post("/imports/cancel", name="import_cancel")
def import_cancel(
    request: Request, user: User, sha: Annotated[str, Form(max_length=64)] = ""
) -> Response:
    path = uploads.pending(request, user, PURPOSE, sha)
    if path is not None:
        uploads.discard(path)
    return RedirectResponse(page_url(request, "import_form"), status_code=303)
