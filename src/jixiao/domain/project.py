"""Projects (项目) with their funding by source, goal and indicators."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.enums import FundSource
from jixiao.domain.indicator import Indicator
from jixiao.domain.provenance import ParseWarning, Repair, SourceRef


@dataclass
class Amounts:
    """Money by source in the document's unit. ``None`` means the cell was empty."""

    total: Decimal | None = None
    fiscal: Decimal | None = None
    special: Decimal | None = None
    other: Decimal | None = None

    def get(self, source: FundSource) -> Decimal | None:
        value: Decimal | None = getattr(self, source.value)
        return value

    def parts_sum(self) -> Decimal:
        return sum(
            (v for v in (self.fiscal, self.special, self.other) if v is not None), Decimal(0)
        )

    def as_json(self) -> dict[str, str | None]:
        return {s.value: None if self.get(s) is None else str(self.get(s)) for s in FundSource}


@dataclass
class Project:
    name: str
    amounts: Amounts = field(default_factory=Amounts)
    goal: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    source: SourceRef = field(default_factory=SourceRef)
    # Fields a data-entry form adds beyond what published tables show.
    code: str | None = None
    unit_name: str | None = None
    annual_goal: str | None = None
