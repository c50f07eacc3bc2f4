"""Imports: upload a table (multipart) to preview it, or to apply it in one transaction."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from jixiao.ingest.corrections import MAX_CORRECTIONS, MAX_REF, MAX_TEXT
from jixiao.services.errors import PayloadTooLarge, ValidationFailed
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
CorrectionsField = Annotated[
    str | None,
    Form(
        max_length=MAX_CORRECTIONS * (MAX_REF + MAX_TEXT + 8),
        description="对预览中 doubtful 单元格的更正：JSON 对象，键为单元格（ref，如"
        '“第1页 第2行第2列”），值为更正后的文字，例如 {"第1页 第3行第5列": "90.00"}；'
        "确认时文件重新读取，与所读文字不同者作为修复（人工核对更正）记录并写入审计；"
        "不在表中的单元格给出警告 correction_unmatched，不作更改",
        examples=['{"第1页 第3行第5列": "90.00"}'],
    ),
]


def _corrections(raw: str | None) -> dict[str, str]:
    """The ``corrections`` field: a JSON object of cell ref → text (see CorrectionsField)."""
    if not raw:
        return {}
    message = "corrections 须为 JSON 对象：单元格 → 更正后的文字"
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ValidationFailed(message, fields={"corrections": "不是有效的 JSON"}) from exc
    if not isinstance(value, dict) or not all(isinstance(t, str) for t in value.values()):
        raise ValidationFailed(message, fields={"corrections": message})
    return service.corrections(value.items(), "corrections")


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
    corrections: CorrectionsField = None,
) -> ImportResult:
    """Store the table; a file already imported changes nothing (``unchanged_file``).

    ``corrections`` retypes cells the preview listed in ``doubtful`` (a scan's cells), recorded
    as repairs with who made them and in the audit log (``import.correct``)."""
    fixes = _corrections(corrections)
    upload = _upload(file, year, department, settings)
    upload.allow_incomplete = allow_incomplete
    upload.corrections = fixes
    reader = isolated_reader(settings)
    return service.apply_import(session, user, upload, reader, skip_locked=skip_locked)
