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
