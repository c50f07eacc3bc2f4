"""Imports: upload a table (multipart) to preview it, or to apply it in one transaction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from jixiao.services.errors import PayloadTooLarge
from jixiao.services.imports import service
from jixiao.services.imports.reader import isolated_reader
from jixiao.services.imports.schemas import ImportPreview, ImportResult
from jixiao.settings import Settings
from jixiao.web.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/imports", tags=["imports"])

FileField = Annotated[
    UploadFile,
    File(description="目标表文件（Excel/ODS 工作簿、CSV、OCR 文本、jixiao.document/1 JSON 等）"),
]
YearField = Annotated[int | None, Form(ge=1990, le=2100)]
DeptField = Annotated[str | None, Form(max_length=200)]
IncompleteField = Annotated[
    bool, Form(description="文件被截断时，确认只导入其中完整的行（否则 422 拒绝）")
]
SkipField = Annotated[
    bool, Form(description="已提交或已批复的项目保持不变，只导入其余项目（结果中 skipped 列出）")
]


def _upload(
    file: UploadFile, year: int | None, department: str | None, settings: Settings
) -> service.Upload:
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        limit = settings.max_upload_bytes // (1024 * 1024)
        raise PayloadTooLarge(f"文件超过 {limit} MB 上限", fields={"file": "文件过大"})
    return service.Upload(data, file.filename or "upload", year, department or None)


@router.post("/preview")
def preview(
    file: FileField,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    year: YearField = None,
    department: DeptField = None,
) -> ImportPreview:
    """What the import would change; nothing is written."""
    upload = _upload(file, year, department, settings)
    return service.preview_import(session, user, upload, isolated_reader(settings))


@router.post("", status_code=201)
def apply(
    file: FileField,
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    year: YearField = None,
    department: DeptField = None,
    skip_locked: SkipField = False,
    allow_incomplete: IncompleteField = False,
) -> ImportResult:
    """Store the table; a file already imported changes nothing (``unchanged_file``)."""
    upload = _upload(file, year, department, settings)
    upload.allow_incomplete = allow_incomplete
    reader = isolated_reader(settings)
    return service.apply_import(session, user, upload, reader, skip_locked=skip_locked)
