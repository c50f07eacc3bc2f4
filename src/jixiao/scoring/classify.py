"""Which group, category and direction an indicator belongs to, for scoring and lights.

Names are compared without the ``指标`` suffix (``社会效益指标`` = ``社会效益``); a category given
only by its code is looked up in the bundled frameworks (classic first, then cb101).
"""

from __future__ import annotations

from jixiao.domain.enums import Direction, Operator, TargetKind
from jixiao.domain.framework import Framework, load_framework
from jixiao.domain.indicator import LevelRef
from jixiao.domain.target import TargetValue

COST_CATEGORIES = ("成本", "经济成本", "社会成本", "生态环境成本")


def short_name(name: str) -> str:
    """``社会效益指标`` → ``社会效益``; spaces removed."""
    cleaned = "".join(name.split())
    return cleaned[: -len("指标")] if cleaned.endswith("指标") and len(cleaned) > 2 else cleaned


def _frameworks() -> tuple[Framework, ...]:
    return (load_framework("classic"), load_framework("cb101"))


def _name_of(ref: LevelRef | None, level: int) -> str | None:
    if ref is None:
        return None
    if ref.name:
        return short_name(ref.name)
    for framework in _frameworks():
        found = framework.find(ref.code, None, level)
        if found is not None:
            return short_name(found.name)
    return None


def level2_key(level2: LevelRef | None) -> str | None:
    """The level-2 category as a short name (``数量``), or None when unknown."""
    return _name_of(level2, 2)


def level1_key(level1: LevelRef | None, level2: LevelRef | None) -> str | None:
    """The level-1 category as written, else the parent of the level-2 category."""
    name = _name_of(level1, 1)
    if name is not None or level2 is None:
        return name
    for framework in _frameworks():
        found = framework.find(level2.code, level2.name, 2)
        parent = framework.parent(found) if found is not None else None
        if parent is not None:
            return short_name(parent.name)
    return None


def direction(target: TargetValue, level2: str | None) -> Direction:
    """正向 for ≥ > (and = outside cost categories), 反向 for ≤ < (and = on costs)."""
    if target.kind is not TargetKind.QUANTITATIVE or target.value is None:
        return Direction.NEUTRAL
    if target.op in (Operator.LE, Operator.LT):
        return Direction.REVERSE
    if target.op in (None, Operator.EQ) and level2 in COST_CATEGORIES:
        return Direction.REVERSE
    return Direction.POSITIVE
