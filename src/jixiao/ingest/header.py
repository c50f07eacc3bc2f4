"""The lines above a table: title, department (部门名称), money unit (单位) and year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.domain.enums import MoneyUnit
from jixiao.ingest.normalize import clean_text, strip_tags, to_halfwidth

_DEPARTMENT = re.compile(r"^(?:部门|单位|预算单位|主管部门)(?:名称)?[:：](.+)$")
_UNIT = re.compile(r"(?:^|[\s(（])(?:金额)?单位[:：]\s*(万元|元)\s*[)）]?$")
_TITLE = re.compile(r"(绩效目标表|目标表|绩效目标)")
_YEAR = re.compile(r"(20\d{2})\s*年")


@dataclass
class DocumentHeader:
    title: str | None = None
    department: str | None = None
    unit: MoneyUnit | None = None
    year: int | None = None


def read_header_line(text: str, header: DocumentHeader) -> bool:
    """Take what one line above the table says; return whether it was a header line."""
    # The unit is looked for before wrap spaces go: the space in ``部门：X  单位：万元`` tells
    # the unit from a name ending in 单位.
    spaced = to_halfwidth(strip_tags(text)).lstrip("#").strip()
    unit = _UNIT.search(spaced)
    if unit and header.unit is None:
        header.unit = MoneyUnit(unit.group(1))
        spaced = spaced[: unit.start()]
    line = clean_text(spaced).lstrip("#").strip()
    if not line:
        return bool(unit)
    department = _DEPARTMENT.match(line)
    if department and header.department is None:
        header.department = department.group(1).strip()
        return True
    if header.title is None and _TITLE.search(line):
        header.title = line
        year = _YEAR.search(line)
        header.year = int(year.group(1)) if year else None
        return True
    return bool(unit)


_UNIT_IN_HEADER = re.compile(r"[(（](万元|元)[)）]")


def unit_in_header(text: str) -> MoneyUnit | None:
    """The money unit a column header names, as in ``总计（万元）``."""
    m = _UNIT_IN_HEADER.search(clean_text(text))
    return MoneyUnit(m.group(1)) if m else None
