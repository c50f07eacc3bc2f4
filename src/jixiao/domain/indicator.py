"""Performance indicators: a level-3 name under a level-1/level-2 category, with its targets."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.domain.provenance import SourceRef
from jixiao.domain.target import TargetValue


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
