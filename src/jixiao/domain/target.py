"""Target values (指标值): operator + number + unit, a deadline, or qualitative text.

``parse_target`` never raises: text it cannot read as a number becomes qualitative, and the raw
text is always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jixiao.domain.enums import Operator, TargetKind


@dataclass(frozen=True)
class TargetValue:
    raw: str
    kind: TargetKind
    op: Operator | None = None
    value: Decimal | None = None
    unit: str | None = None
    deadline: date | None = None

    @property
    def is_quantitative(self) -> bool:
        return self.kind is TargetKind.QUANTITATIVE

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def format(self) -> str:
        """Canonical text: ``≥95%``, ``1800台``, ``2023年12月31日前``, or the qualitative text."""
        if self.kind is TargetKind.QUALITATIVE or (self.value is None and self.deadline is None):
            return self.raw
        if self.kind is TargetKind.DEADLINE and self.deadline is not None:
            d = self.deadline
            return f"{d.year}年{d.month}月{d.day}日前"
        prefix = "" if self.op in (None, Operator.EQ) else self.op.label
        return f"{prefix}{self.value}{self.unit or ''}"

    def as_json(self) -> dict[str, str | None]:
        value: str | None
        if self.deadline is not None:
            value = self.deadline.isoformat()
        else:
            value = None if self.value is None else str(self.value)
        return {
            "raw": self.raw,
            "kind": self.kind.value,
            "op": None if self.op is None else self.op.value,
            "value": value,
            "unit": self.unit,
        }


_SIMPLE = re.compile(r"^(?P<op>≥|>=|≤|<=|>|<|=)?(?P<num>\d+(?:\.\d+)?)(?P<unit>[^\d\s]{0,8})$")


def parse_target(text: str) -> TargetValue:
    """Parse a published value text into a TargetValue (see docs/formats for the grammar)."""
    raw = text.strip()
    m = _SIMPLE.match(raw)
    if not m:
        return TargetValue(raw=raw, kind=TargetKind.QUALITATIVE)
    op = Operator(m["op"].replace("≥", ">=").replace("≤", "<=")) if m["op"] else Operator.EQ
    return TargetValue(
        raw=raw,
        kind=TargetKind.QUANTITATIVE,
        op=op,
        value=Decimal(m["num"]),
        unit=m["unit"] or None,
    )
