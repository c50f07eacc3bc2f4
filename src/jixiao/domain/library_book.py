"""The indicator library as a workbook, the way provinces publish theirs: one row per indicator.

The columns, their header labels and the synonyms a header may use instead, and one row as
plain values. ``jixiao.export.layouts.library`` writes this shape, ``jixiao.ingest.library_book``
reads it back; the services decide what a row changes in the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jixiao.domain.enums import Direction


class BookColumn(StrEnum):
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    NAME = "name"
    EXPLANATION = "explanation"
    SCORING = "scoring"
    REFERENCE = "reference_value"
    UNIT = "unit"
    DIRECTION = "direction"
    RECOMMENDED = "recommended"
    SECTORS = "sectors"
    BASIS = "basis"
    COUNT = "count"
    TYPICAL = "typical"
    MET_RATE = "met_rate"


#: Column order and header label of the exported workbook.
LABELS: dict[BookColumn, str] = {
    BookColumn.LEVEL1: "一级指标",
    BookColumn.LEVEL2: "二级指标",
    BookColumn.NAME: "三级指标",
    BookColumn.EXPLANATION: "指标解释",
    BookColumn.SCORING: "计算公式/评分标准",
    BookColumn.REFERENCE: "参考值",
    BookColumn.UNIT: "计量单位",
    BookColumn.DIRECTION: "指标方向",
    BookColumn.RECOMMENDED: "推荐",
    BookColumn.SECTORS: "行业/领域",
    BookColumn.BASIS: "设定依据",
    BookColumn.COUNT: "出现次数",
    BookColumn.TYPICAL: "典型值（中位数）",
    BookColumn.MET_RATE: "自评达成率（%）",
}

#: Other header labels read as the same column (compared without spaces, width folded, a
#: bracketed note such as ``（必填）`` dropped).
SYNONYMS: dict[BookColumn, tuple[str, ...]] = {
    BookColumn.LEVEL1: ("一级", "一级指标名称"),
    BookColumn.LEVEL2: ("二级", "二级指标名称"),
    BookColumn.NAME: ("三级", "三级指标名称", "指标名称", "绩效指标名称"),
    BookColumn.EXPLANATION: ("指标说明", "指标含义", "指标内涵", "指标定义", "解释说明"),
    BookColumn.SCORING: (
        "计算公式、评分标准",
        "计算公式及评分标准",
        "计算公式和评分标准",
        "评分标准",
        "计算公式",
        "评分规则",
        "计分方法",
        "计算方法",
        "评价标准",
    ),
    BookColumn.REFERENCE: ("指标参考值", "参考指标值", "指标值", "目标值", "参考标准", "标准值"),
    BookColumn.UNIT: ("单位", "度量单位"),
    BookColumn.DIRECTION: ("方向", "指标性质"),
    BookColumn.RECOMMENDED: ("是否推荐", "推荐指标", "推荐使用"),
    BookColumn.SECTORS: (
        "行业领域",
        "行业",
        "领域",
        "适用行业",
        "适用领域",
        "所属行业",
        "行业分类",
    ),
    BookColumn.BASIS: ("指标设定依据", "设置依据", "依据", "政策依据", "指标依据"),
    BookColumn.COUNT: ("使用次数",),
    BookColumn.TYPICAL: ("典型值", "中位数"),
    BookColumn.MET_RATE: ("自评达成率", "达成率"),
}

#: The curated fields: what an import sets on entries that already exist.
CURATED = (
    BookColumn.EXPLANATION,
    BookColumn.SCORING,
    BookColumn.REFERENCE,
    BookColumn.RECOMMENDED,
    BookColumn.SECTORS,
    BookColumn.BASIS,
)
#: Set only on an entry the import creates (kept by the library's recount otherwise).
DESCRIPTIVE = (BookColumn.LEVEL1, BookColumn.UNIT, BookColumn.DIRECTION)
#: Figures of the library itself: written for the reader, ignored when read back.
FIGURES = (BookColumn.COUNT, BookColumn.TYPICAL, BookColumn.MET_RATE)

YES, NO = "是", "否"
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "推荐"}
_FALSE = {"否", "n", "no", "false", "0", "×", "不推荐", ""}
_DIRECTIONS = {
    "正向": Direction.POSITIVE,
    "正向指标": Direction.POSITIVE,
    "越高越好": Direction.POSITIVE,
    "反向": Direction.REVERSE,
    "反向指标": Direction.REVERSE,
    "越低越好": Direction.REVERSE,
    "定性": Direction.NEUTRAL,
    "定性指标": Direction.NEUTRAL,
    "": Direction.NEUTRAL,
}
SECTOR_SEPARATORS = "、，,；;\n"

# Longest texts kept (as the library's columns and the curation form allow).
MAX_NAME = 300
MAX_LEVEL = 100
MAX_TEXT = 2000
MAX_REFERENCE = 200
MAX_UNIT = 50
MAX_SECTOR = 50
MAX_SECTORS = 20


@dataclass(frozen=True)
class BookRow:
    """One indicator of the workbook; ``None`` where the cell is empty."""

    level2: str
    name: str
    level1: str | None = None
    explanation: str | None = None
    scoring: str | None = None
    reference_value: str | None = None
    unit: str | None = None
    direction: Direction = Direction.NEUTRAL
    recommended: bool = False
    sectors: tuple[str, ...] = ()
    basis: str | None = None
    count: int | None = None
    typical: Decimal | None = None
    met_rate: Decimal | None = None


def yes_no(text: str) -> bool | None:
    """``是``/``否`` and the usual variants (√, Y, 1 …); None when it is neither."""
    folded = "".join(text.split()).lower()
    if folded in _TRUE:
        return True
    return False if folded in _FALSE else None


def direction_of(text: str) -> Direction | None:
    return _DIRECTIONS.get("".join(text.split()))


def split_sectors(text: str) -> tuple[str, ...]:
    """``教育、卫生`` → (教育, 卫生): split on 、 ， , ； ; and line breaks, de-duplicated."""
    for sep in SECTOR_SEPARATORS[1:]:
        text = text.replace(sep, SECTOR_SEPARATORS[0])
    parts = (p.strip() for p in text.split(SECTOR_SEPARATORS[0]))
    return tuple(dict.fromkeys(p for p in parts if p))
