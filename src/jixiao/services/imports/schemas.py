"""What an import preview shows and what an applied import reports."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from jixiao.domain.enums import MoneyUnit, ProjectStatus, Severity
from jixiao.services.imports.diff import ImportDiff


class ProjectPreview(BaseModel):
    name: str
    source: str = ""  # where it was read from: 单元格 Sheet1!A5…, 第3页, 第12行
    total: Decimal | None
    indicator_count: int
    repairs: int
    warnings: int
    findings: int


class DoubtfulCell(BaseModel):
    """A cell the reader doubted (a low OCR score, amounts that do not add up, a mended
    glyph): where it is on its page (points, on the page turned upright), the text read, and
    why; the person may correct it before confirming."""

    ref: str  # 第1页 第2行第2列
    page: int
    box: tuple[float, float, float, float]
    text: str
    reasons: list[str]
    project: str | None = None


class FindingPreview(BaseModel):
    project: str
    indicator: str | None
    rule: str
    severity: Severity
    message: str
    suggestion: str


class ImportPreview(BaseModel):
    """What importing the file would do; nothing has been written."""

    sha256: str
    filename: str
    already_imported_document_id: int | None
    department: str
    year: int
    money_unit: MoneyUnit
    projects: list[ProjectPreview]
    warnings: list[str]
    # False when the file was cut short: only its complete rows are read (``incomplete`` says
    # where it stops); storing it needs ``allow_incomplete``.
    complete: bool = True
    incomplete: str | None = None
    findings: list[FindingPreview]
    diff: ImportDiff
    blocked: list[str]
    doubtful: list[DoubtfulCell] = []


class SkippedProject(BaseModel):
    """A stored project an import left as it was, and why."""

    name: str
    status: ProjectStatus
    reason: str


class ImportResult(BaseModel):
    """What an applied import did. ``unchanged_file`` is true for a re-import of the same file."""

    document_id: int
    unchanged_file: bool
    department_id: int
    year: int
    diff: ImportDiff
    findings: int
    skipped: list[SkippedProject] = []
    # what the reader could not settle about the whole file, e.g. a correction naming no cell
    warnings: list[str] = []
