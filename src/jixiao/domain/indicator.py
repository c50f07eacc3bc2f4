"""Performance indicators: a level-3 name under a level-1/level-2 category, with its targets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from jixiao.domain.framework import DEFAULT_FRAMEWORK, load_framework
from jixiao.domain.provenance import SourceRef
from jixiao.domain.target import TargetValue

T = TypeVar("T")


@dataclass(frozen=True)
class LevelRef:
    """A category as written in the source: ``1-产出指标`` → code ``"1"``, name ``"产出指标"``."""

    code: str | None
    name: str | None

    def format(self) -> str:
        if self.code and self.name:
            return f"{self.code}-{self.name}"
        return self.code or self.name or ""

    def as_json(self) -> dict[str, str | None]:
        return {"code": self.code, "name": self.name}


@dataclass
class Indicator:
    """One 三级指标 with its 实施周期 (period) and 年度 (annual) target values."""

    name: str
    level1: LevelRef | None = None
    level2: LevelRef | None = None
    period: TargetValue | None = None
    annual: TargetValue | None = None
    source: SourceRef = field(default_factory=SourceRef)
    # Optional details a data-entry form collects (指标解释, 设定依据, 权重).
    explanation: str | None = None
    basis: str | None = None
    weight: int | None = None

    @property
    def level1_code(self) -> str | None:
        return self.level1.code if self.level1 else None

    @property
    def level2_code(self) -> str | None:
        return self.level2.code if self.level2 else None


BUNDLED_FRAMEWORKS = (DEFAULT_FRAMEWORK, "cb101")


def _code_of(ref: LevelRef, level: int) -> str | None:
    """The category's code; an uncoded name is looked up in the bundled frameworks."""
    if ref.code or not ref.name:
        return ref.code
    for framework_id in BUNDLED_FRAMEWORKS:
        found = load_framework(framework_id).by_name(ref.name, level)
        if found is not None:
            return found.code
    return None


def level_order(ref: LevelRef | None, level: int) -> tuple[int, int, str]:
    """Where a category sorts in the official table: by its code (``0`` 成本 in the 101号
    framework, then ``1`` 产出, ``2`` 效益, ``3`` 满意度; ``11`` before ``12``…), categories
    with neither a code nor a known name after those, missing ones last."""
    if ref is None:
        return (3, 0, "")
    code = _code_of(ref, level)
    if code is None:
        return (2, 0, ref.name or "")
    if code.isdigit():
        return (0, int(code), "")
    return (1, 0, code)


def official_order(
    items: Sequence[T],
    level1: Callable[[T], LevelRef | None],
    level2: Callable[[T], LevelRef | None],
) -> list[T]:
    """The one indicator order every page and table uses: grouped by 一级 then 二级 category
    in the framework's order, the source order kept inside a group."""
    order = sorted(
        range(len(items)),
        key=lambda i: (level_order(level1(items[i]), 1), level_order(level2(items[i]), 2), i),
    )
    return [items[i] for i in order]
