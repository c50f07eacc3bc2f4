"""Lay out indicators the way the official 绩效目标表 prints them: grouped by level 1 and level 2.

The table has one row per 三级指标; the 一级指标 and 二级指标 cells span the rows of their group.
Indicators come in the one official order (:func:`jixiao.domain.indicator.official_order`):
by category, the unit's own order kept inside a group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from jixiao.domain.indicator import LevelRef, official_order

T = TypeVar("T")

LevelKey = tuple[str, str]  # (code, name) as stored; either may be empty


@dataclass(frozen=True)
class Row(Generic[T]):
    """One printed row: the indicator and the spans of the group cells it opens (0 = none)."""

    item: T
    level1: LevelKey
    level2: LevelKey
    level1_span: int
    level2_span: int


def _ref(key: LevelKey) -> LevelRef:
    code, name = key
    return LevelRef(code or None, name or None)


def group_rows(
    items: Sequence[T],
    level1_of: Callable[[T], LevelKey],
    level2_of: Callable[[T], LevelKey],
) -> list[Row[T]]:
    """Sort by (level 1, level 2) and compute the rowspans of the group cells."""
    ordered = official_order(items, lambda it: _ref(level1_of(it)), lambda it: _ref(level2_of(it)))
    rows: list[Row[T]] = []
    i = 0
    while i < len(ordered):
        l1 = level1_of(ordered[i])
        j = i
        while j < len(ordered) and level1_of(ordered[j]) == l1:
            j += 1
        rows.extend(_level2_rows(ordered[i:j], l1, level2_of))
        i = j
    return rows


def _level2_rows(
    group: Sequence[T], level1: LevelKey, level2_of: Callable[[T], LevelKey]
) -> list[Row[T]]:
    rows: list[Row[T]] = []
    i = 0
    while i < len(group):
        l2 = level2_of(group[i])
        j = i
        while j < len(group) and level2_of(group[j]) == l2:
            j += 1
        for k in range(i, j):
            rows.append(
                Row(
                    item=group[k],
                    level1=level1,
                    level2=l2,
                    level1_span=len(group) if not rows else 0,
                    level2_span=j - i if k == i else 0,
                )
            )
        i = j
    return rows


def level_text(key: LevelKey) -> str:
    """``1-产出指标`` as the official table writes it."""
    code, name = key
    if code and name:
        return f"{code}-{name}"
    return code or name or "（未分类）"
