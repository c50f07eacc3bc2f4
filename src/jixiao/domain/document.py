"""A performance target table (项目支出绩效目标表) as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain.enums import MoneyUnit
from jixiao.domain.project import Project
from jixiao.domain.provenance import ParseWarning


@dataclass
class Document:
    projects: list[Project] = field(default_factory=list)
    title: str | None = None
    department: str | None = None
    unit: MoneyUnit | None = None
    year: int | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
    source_name: str | None = None
    # False when the source stops mid-table (a warning ``incomplete`` says where).
    complete: bool = True
    # The input kind it was read from (``ocr_text``, ``xlsx``, ``docx``, ``html``, ``pdf_text`` …).
    source_kind: str | None = None
